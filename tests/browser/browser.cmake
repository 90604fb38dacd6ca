# dmasim report: a smoke test without a browser, and the tests that open
# the pages in Debian's chromium (label "browser"; .ci/run installs it).
add_test(NAME report_smoke
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/browser/report_smoke.sh
                 $<TARGET_FILE:dmasim-cli> ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/report_smoke)
set_tests_properties(report_smoke PROPERTIES TIMEOUT 120 LABELS golden)
find_program(DMASIM_CHROMIUM NAMES chromium chromium-browser)
find_program(DMASIM_PYTHON3 NAMES python3)
if(DMASIM_CHROMIUM AND DMASIM_PYTHON3)
  set(_rb ${CMAKE_CURRENT_SOURCE_DIR}/browser/report_browser.py)
  set(_work ${CMAKE_CURRENT_BINARY_DIR}/report_browser)
  # keyboard, codes toggle, filter, tree highlight, suites, JavaScript off;
  # its screenshot is the README's docs/report.png
  add_test(NAME browser_report_features
           COMMAND ${DMASIM_PYTHON3} ${_rb} $<TARGET_FILE:dmasim-cli> ${_work}/features
                   features ${PROJECT_SOURCE_DIR} ${_work}/report.png)
  set_tests_properties(browser_report_features PROPERTIES TIMEOUT 300 LABELS browser)
  # an imported machine (values marked inferred): the '*' cells and the
  # panel's inferred values against matrix/p2p/map --json, every cell clicked
  add_test(NAME browser_report_imported
           COMMAND ${DMASIM_PYTHON3} ${_rb} $<TARGET_FILE:dmasim-cli> ${_work}/imported
                   imported ${PROJECT_SOURCE_DIR})
  set_tests_properties(browser_report_imported PROPERTIES TIMEOUT 300 LABELS browser)
  # every cell of every shipped topology against matrix/p2p/map/route --json
  # (skylake-plx always; the others are slow: 15-30 s each)
  file(GLOB _topos ${PROJECT_SOURCE_DIR}/topologies/*/*.yaml)
  foreach(_t ${_topos})
    if(_t MATCHES "\\.suite\\.yaml$")
      continue()
    endif()
    get_filename_component(_n ${_t} NAME_WE)
    add_test(NAME browser_report_cells_${_n}
             COMMAND ${DMASIM_PYTHON3} ${_rb} $<TARGET_FILE:dmasim-cli> ${_work}/${_n} cells ${_t})
    if(_n STREQUAL "skylake-plx")
      set_tests_properties(browser_report_cells_${_n} PROPERTIES TIMEOUT 300 LABELS browser)
    else()
      set_tests_properties(browser_report_cells_${_n} PROPERTIES TIMEOUT 300 LABELS "browser;slow")
    endif()
  endforeach()
else()
  message(STATUS "chromium or python3 not found: the browser tests of dmasim report are not registered (apt-get install chromium)")
endif()
# Without a browser: each policy's matrix and details data in the page equal
# dmasim matrix --style nvidia under that policy (ctrl: auto ACS words, SYS).
if(DMASIM_PYTHON3)
  add_test(NAME report_data
           COMMAND ${DMASIM_PYTHON3} ${PROJECT_SOURCE_DIR}/tests/report_data.py $<TARGET_FILE:dmasim-cli>
                   ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/report_data)
  set_tests_properties(report_data PROPERTIES TIMEOUT 120 LABELS golden)
  # the marks of values the topology marks inferred: tree, matrices, diff,
  # details data; none on a machine that marks nothing
  add_test(NAME report_inferred
           COMMAND ${DMASIM_PYTHON3} ${PROJECT_SOURCE_DIR}/tests/report_inferred.py $<TARGET_FILE:dmasim-cli>
                   ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/report_inferred)
  set_tests_properties(report_inferred PROPERTIES TIMEOUT 120 LABELS golden)
endif()
