# Output that consumers read (tests/outputs.sh): escaping of names in TAP,
# JSON, JUnit and terminal text; write errors on stdout and reports.
add_test(NAME cli_outputs COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/outputs.sh $<TARGET_FILE:dmasim-cli>
                                     $<TARGET_FILE:wf-check> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_outputs PROPERTIES TIMEOUT 120 LABELS golden)
# Every command's JSON has the shape docs/json.md documents.
add_executable(json-shape unit/json_shape.c)
target_link_libraries(json-shape PRIVATE dmasim_flags)
add_test(NAME json_shapes COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/json_shapes.sh $<TARGET_FILE:dmasim-cli>
                                     $<TARGET_FILE:json-shape> ${PROJECT_SOURCE_DIR})
set_tests_properties(json_shapes PROPERTIES TIMEOUT 120 LABELS golden)
# The README's tour runs as written, without stray warnings.
add_test(NAME readme_tour COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/readme_tour.sh $<TARGET_FILE:dmasim-cli>
                                     ${PROJECT_SOURCE_DIR})
set_tests_properties(readme_tour PROPERTIES TIMEOUT 120 LABELS golden)
# audit --assume-p2pmem on an imported machine (issue 18).
add_test(NAME audit_assume COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/audit_assume.sh $<TARGET_FILE:dmasim-cli>
                                      ${PROJECT_SOURCE_DIR})
set_tests_properties(audit_assume PROPERTIES TIMEOUT 60 LABELS golden)
# dot escapes names in labels: hostile names render through Graphviz (issue 15).
add_test(NAME dot_escape COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/dot_escape.sh $<TARGET_FILE:dmasim-cli>
                                    ${PROJECT_SOURCE_DIR})
set_tests_properties(dot_escape PROPERTIES TIMEOUT 60 LABELS golden)
# -o - is standard output for collect, import and export; a snapshot given
# as a topology is named for what it is (tests/out_dash.sh).
add_test(NAME out_dash COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/out_dash.sh $<TARGET_FILE:dmasim-cli>
                                  ${PROJECT_SOURCE_DIR})
set_tests_properties(out_dash PROPERTIES TIMEOUT 60 LABELS golden FAIL_REGULAR_EXPRESSION "FAIL ")
# Nothing in the repository points at files outside it.
add_test(NAME self_contained COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/self_contained.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(self_contained PROPERTIES TIMEOUT 60 LABELS golden)
