# dmasim report: a smoke test without a browser, and the tests that open
# the pages in Debian's chromium (label "browser"; .ci/run installs it).
add_test(NAME report_smoke
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/browser/report_smoke.sh
                 $<TARGET_FILE:dmasim-cli> ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/report_smoke)
set_tests_properties(report_smoke PROPERTIES TIMEOUT 120 LABELS golden)
