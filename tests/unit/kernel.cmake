dmasim_add_check(p2pdma)
dmasim_add_check(policy)
dmasim_add_check(policy_rows)
# docs/policy.md "What changed when" = docs/gen-policy-changes.sh output.
add_test(NAME policy_changes_doc
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/../policy_changes.sh
                 $<TARGET_FILE:dmasim-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(policy_changes_doc PROPERTIES TIMEOUT 120 LABELS doc)
# docs/designers-guide.md shows the real output of its commands.
add_test(NAME doc_commands_designers_guide
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/../doc_commands.sh
                 $<TARGET_FILE:dmasim-cli> ${PROJECT_SOURCE_DIR} docs/designers-guide.md)
set_tests_properties(doc_commands_designers_guide PROPERTIES TIMEOUT 120 LABELS doc)
