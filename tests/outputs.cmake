# Output that consumers read (tests/outputs.sh): escaping of names in TAP,
# JSON, JUnit and terminal text; write errors on stdout and reports.
add_test(NAME cli_outputs COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/outputs.sh $<TARGET_FILE:dmasim-cli>
                                     $<TARGET_FILE:wf-check> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_outputs PROPERTIES TIMEOUT 120 LABELS golden)
