# The fuzz harnesses (fuzz/) as plain programs: each replays the inputs
# that once broke it (fuzz/regress/HARNESS), the project's own files and
# the minimised corpus of the long runs through the harness's properties,
# in every build, sanitizers included.
set(DMASIM_FUZZ_DIR ${PROJECT_SOURCE_DIR}/fuzz)
# ...and the minimised corpus of the long runs (fuzz/corpus.tar.gz).
set(DMASIM_FUZZ_CORPUS ${CMAKE_CURRENT_BINARY_DIR}/fuzz-corpus)
file(REMOVE_RECURSE ${DMASIM_FUZZ_CORPUS})
file(ARCHIVE_EXTRACT INPUT ${DMASIM_FUZZ_DIR}/corpus.tar.gz DESTINATION ${DMASIM_FUZZ_CORPUS})
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${DMASIM_FUZZ_DIR}/corpus.tar.gz)
set(replay_topo   ${DMASIM_TOPOLOGIES} ${DMASIM_TEST_DATA})
set(replay_policy ${DMASIM_TEST_DATA}/policy)
set(replay_suite  ${DMASIM_TOPOLOGIES} ${DMASIM_TEST_DATA}/scenario)
set(replay_lspci  ${DMASIM_TEST_DATA}/import)
set(replay_route  ${DMASIM_TOPOLOGIES})
set(replay_sysfs)   # images: fuzz/regress/sysfs (fuzz/sysfs-pack makes them)
file(MAKE_DIRECTORY ${DMASIM_FUZZ_CORPUS}/sysfs)   # no long-run corpus yet
foreach(h topo policy suite lspci route sysfs)
  add_executable(replay_${h} ${DMASIM_FUZZ_DIR}/fuzz_${h}.c ${DMASIM_FUZZ_DIR}/replay.c)
  target_include_directories(replay_${h} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_definitions(replay_${h} PRIVATE DMASIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(replay_${h} PRIVATE dmasim_static dmasim_flags)
  add_test(NAME fuzz_regress_${h}
           COMMAND replay_${h} ${DMASIM_FUZZ_DIR}/regress/${h} ${replay_${h}}
                   ${DMASIM_FUZZ_CORPUS}/${h})
  set_tests_properties(fuzz_regress_${h} PROPERTIES TIMEOUT 300 LABELS fuzz)
endforeach()

# The same replays under valgrind: no leak and no memory error in any of
# them (an uninstrumented build only; skips without valgrind).
find_program(DMASIM_VALGRIND valgrind)
if(DMASIM_VALGRIND AND NOT DMASIM_SANITIZE AND NOT DMASIM_FUZZ)
  foreach(h topo policy suite lspci route sysfs)
    add_test(NAME memcheck_fuzz_regress_${h}
             COMMAND ${DMASIM_VALGRIND} -q --leak-check=full --errors-for-leak-kinds=all
                     --error-exitcode=9 $<TARGET_FILE:replay_${h}>
                     ${DMASIM_FUZZ_DIR}/regress/${h} ${replay_${h}} ${DMASIM_FUZZ_CORPUS}/${h})
    set_tests_properties(memcheck_fuzz_regress_${h} PROPERTIES TIMEOUT 600
                         LABELS "memcheck;slow")
  endforeach()
endif()

# The command-line harness (fuzz/fuzz_cli.c) replays its inputs: every
# command with typical and broken arguments.
add_executable(replay_cli ${DMASIM_FUZZ_DIR}/fuzz_cli.c ${DMASIM_FUZZ_DIR}/replay.c unit/wellformed.c)
target_include_directories(replay_cli PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_compile_definitions(replay_cli PRIVATE DMASIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_link_libraries(replay_cli PRIVATE dmasim_cli_obj dmasim_static dmasim_flags)
add_test(NAME fuzz_regress_cli COMMAND replay_cli ${DMASIM_FUZZ_DIR}/regress/cli)
set_tests_properties(fuzz_regress_cli PROPERTIES TIMEOUT 300 LABELS fuzz)
if(DMASIM_VALGRIND AND NOT DMASIM_SANITIZE AND NOT DMASIM_FUZZ)
  add_test(NAME memcheck_fuzz_regress_cli
           COMMAND ${DMASIM_VALGRIND} -q --leak-check=full --errors-for-leak-kinds=all
                   --error-exitcode=9 $<TARGET_FILE:replay_cli> ${DMASIM_FUZZ_DIR}/regress/cli)
  set_tests_properties(memcheck_fuzz_regress_cli PROPERTIES TIMEOUT 600 LABELS "memcheck;slow")
endif()
