dmasim_add_check(p2pdma)
dmasim_add_check(policy)
dmasim_add_check(policy_rows)
# docs/policy.md "What changed when" = docs/gen-policy-changes.sh output.
add_test(NAME policy_changes_doc
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/../policy_changes.sh
                 $<TARGET_FILE:dmasim-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(policy_changes_doc PROPERTIES TIMEOUT 120 LABELS doc)
