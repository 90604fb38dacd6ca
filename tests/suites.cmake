# The shipped regression suites, one ctest per architecture (issue 6), and
# `dmasim validate` over every shipped file and every bad file.
foreach(arch x86_64 arm64 ppc64 riscv64)
  add_test(NAME suite_${arch}
           COMMAND dmasim-cli check --quiet ${PROJECT_SOURCE_DIR}/topologies/${arch})
  set_tests_properties(suite_${arch} PROPERTIES TIMEOUT 300 LABELS suite)
endforeach()
add_test(NAME validate_shipped
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/validate_all.sh $<TARGET_FILE:dmasim-cli>
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(validate_shipped PROPERTIES TIMEOUT 300 LABELS golden)
add_test(NAME memcheck_show
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/memcheck_show.sh $<TARGET_FILE:dmasim-cli>
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(memcheck_show PROPERTIES TIMEOUT 600 LABELS "memcheck;slow")
add_test(NAME help_all COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/help_all.sh $<TARGET_FILE:dmasim-cli>)
set_tests_properties(help_all PROPERTIES TIMEOUT 60 LABELS golden)
add_test(NAME install_pkgconfig
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/install/run.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(install_pkgconfig PROPERTIES TIMEOUT 300 LABELS install)
add_test(NAME symbols COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/symbols.sh
         $<TARGET_FILE:dmasim_static> $<TARGET_FILE:dmasim>)
set_tests_properties(symbols PROPERTIES TIMEOUT 60 LABELS golden)
add_test(NAME cli_pipes COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pipes.sh $<TARGET_FILE:dmasim-cli>
                                   ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_pipes PROPERTIES TIMEOUT 60 LABELS golden)
add_test(NAME suite_refs COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/suite_refs.sh $<TARGET_FILE:dmasim-cli>
                                    ${PROJECT_SOURCE_DIR})
set_tests_properties(suite_refs PROPERTIES TIMEOUT 120 LABELS golden)
