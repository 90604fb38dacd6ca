# Importers and the lspci exporter: Check tests, and the real-machine
# corpus (tests/data/corpus, see its README) compared with lspci.
dmasim_add_check(import)
add_test(NAME import_corpus
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/../import_corpus.sh
                 $<TARGET_FILE:dmasim-cli> ${PROJECT_SOURCE_DIR}/tests/data/corpus)
set_tests_properties(import_corpus PROPERTIES TIMEOUT 300 LABELS "unit;import"
                     FAIL_REGULAR_EXPRESSION "FAIL ")
# `dmasim collect` and importing its tar archives (tests/collect.sh).
add_test(NAME collect COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/../collect.sh $<TARGET_FILE:dmasim-cli>)
set_tests_properties(collect PROPERTIES TIMEOUT 120 LABELS "golden;import" FAIL_REGULAR_EXPRESSION "FAIL ")
# `dmasim import hwloc` and `dmasim export hwloc` (tests/hwloc.sh).
add_test(NAME hwloc_xml COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/../hwloc.sh $<TARGET_FILE:dmasim-cli>
                                   ${PROJECT_SOURCE_DIR})
set_tests_properties(hwloc_xml PROPERTIES TIMEOUT 300 LABELS "golden;import" FAIL_REGULAR_EXPRESSION "FAIL ")
