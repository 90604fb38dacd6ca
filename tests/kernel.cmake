# Conformance with real kernels (tests/data/kernel/README.md): every
# recorded machine imported with `dmasim import sysfs` and compared, pair by
# pair, group by group and ACS word by ACS word, with what its kernel printed.
add_executable(kconform kernel/kconform.c)
target_link_libraries(kconform PRIVATE dmasim_static dmasim_flags)
add_test(NAME kernel_conformance
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/kernel_conformance.sh $<TARGET_FILE:dmasim-cli>
                 $<TARGET_FILE:kconform> ${DMASIM_TEST_DATA}/kernel)
set_tests_properties(kernel_conformance PROPERTIES TIMEOUT 300 LABELS golden)
# The checker finds differences: under linux-4.20, whose messages and
# distances differ, a recorded machine must fail.
add_test(NAME kernel_conformance_detects
         COMMAND sh -c "\"$1\" import sysfs \"$2\" -o kconform-detect.yaml && \"$3\" kconform-detect.yaml \"$2/dmesg\" linux-4.20"
                 sh $<TARGET_FILE:dmasim-cli> ${DMASIM_TEST_DATA}/kernel/linux-6.12/sw-vtd-intel $<TARGET_FILE:kconform>)
set_tests_properties(kernel_conformance_detects PROPERTIES WILL_FAIL TRUE TIMEOUT 60 LABELS golden)
# Device-tree host-bridge windows in /proc/iomem (docs/import.md).
add_test(NAME import_dt_windows
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/import_dt_windows.sh $<TARGET_FILE:dmasim-cli>
                 ${DMASIM_TEST_DATA}/kernel/linux-6.12-arm64/arm-smmu)
set_tests_properties(import_dt_windows PROPERTIES TIMEOUT 60 LABELS golden)
# `ctrl: auto` ACS words under each policy (docs/policy.md, pci_enable_acs()).
add_test(NAME acs_auto
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/acs_auto.sh $<TARGET_FILE:dmasim-cli> ${DMASIM_TEST_DATA}/acs)
set_tests_properties(acs_auto PROPERTIES TIMEOUT 60 LABELS golden)
# What the importers read instead of guessing: host-bridge numa_node,
# device class (docs/import.md).
add_test(NAME import_honest
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/import_honest.sh $<TARGET_FILE:dmasim-cli> ${DMASIM_TEST_DATA})
set_tests_properties(import_honest PROPERTIES TIMEOUT 120 LABELS golden)
