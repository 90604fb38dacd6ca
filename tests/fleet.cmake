# Fleets (docs/fleet.md): diff and audit over directories of machines,
# --shard, and merging the shards' JSON.
add_test(NAME fleet COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fleet.sh $<TARGET_FILE:dmasim-cli>
                              ${PROJECT_SOURCE_DIR})
set_tests_properties(fleet PROPERTIES TIMEOUT 300 LABELS golden)
# The GNU parallel recipe of docs/fleet.md (needs the 'parallel' package;
# fails without it).  Label parallel: a run can leave it out with -LE.
add_test(NAME fleet_parallel COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fleet_parallel.sh
                                       $<TARGET_FILE:dmasim-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(fleet_parallel PROPERTIES TIMEOUT 300 LABELS "golden;parallel")
