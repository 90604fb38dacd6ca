# Golden tests: one directory per case under tests/golden/, each with `cmd`
# (the dmasim arguments, run from the repository top), `expected.out` and
# `expected.status`.  Registered at configure time as golden__<case>.
add_executable(wf-check unit/wf_main.c unit/wellformed.c)
target_link_libraries(wf-check PRIVATE dmasim_flags)
file(GLOB DMASIM_GOLDEN_CASES LIST_DIRECTORIES true CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_LIST_DIR}/*)
foreach(case_dir ${DMASIM_GOLDEN_CASES})
  if(IS_DIRECTORY ${case_dir} AND EXISTS ${case_dir}/cmd)
    get_filename_component(case ${case_dir} NAME)
    add_test(NAME golden__${case}
             COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/run.sh $<TARGET_FILE:dmasim-cli>
                     $<TARGET_FILE:wf-check> ${PROJECT_SOURCE_DIR} ${case_dir})
    set_tests_properties(golden__${case} PROPERTIES TIMEOUT 60 LABELS golden)
  endif()
endforeach()
