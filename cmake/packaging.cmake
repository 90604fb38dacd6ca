# Installed with the tool: manual pages made from the --help texts
# (cmake/dmasim-man.sh), bash completion, the shipped topologies and
# suites; and the Debian package (cpack -G DEB) of everything installed.

set(DMASIM_MAN_DIR ${PROJECT_BINARY_DIR}/man/man1)
add_custom_command(
  OUTPUT ${DMASIM_MAN_DIR}/dmasim.1.gz
  COMMAND sh ${PROJECT_SOURCE_DIR}/cmake/dmasim-man.sh $<TARGET_FILE:dmasim-cli>
          ${DMASIM_MAN_DIR} ${PROJECT_VERSION}
  DEPENDS dmasim-cli ${PROJECT_SOURCE_DIR}/cmake/dmasim-man.sh
  COMMENT "Manual pages from dmasim --help"
  VERBATIM)
add_custom_target(dmasim-man ALL DEPENDS ${DMASIM_MAN_DIR}/dmasim.1.gz)
install(DIRECTORY ${DMASIM_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        FILES_MATCHING PATTERN "*.1.gz")

install(FILES ${PROJECT_SOURCE_DIR}/cmake/dmasim-completion.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME dmasim)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/topologies/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/dmasim/topologies)

set(CPACK_PACKAGE_NAME dmasim)
set(CPACK_PACKAGE_VENDOR "dmasim")
set(CPACK_PACKAGE_CONTACT "dmasim maintainers <dmasim@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
  "dmasim models a machine's PCI Express fabric and the Linux kernel code that
decides and performs peer-to-peer DMA, and routes each DMA address through
the fabric to see where it lands. The package holds the dmasim tool with its
manual pages and bash completion, the libdmasim library with its headers,
pkg-config and CMake files, and the shipped topologies and regression suites
in /usr/share/dmasim/topologies.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# Depends from dpkg-shlibdeps (dpkg-dev), which CPack runs through `file`;
# without them, the libraries the tool and libdmasim link.
find_program(DMASIM_FILE_PROGRAM file)
find_program(DMASIM_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(DMASIM_FILE_PROGRAM AND DMASIM_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libyaml-0-2")
endif()
# The headers and dmasim.pc need libyaml's (Requires.private: yaml-0.1).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libyaml-dev, pkg-config, bash-completion")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "graphviz")
include(CPack)
