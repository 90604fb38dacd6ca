# Unit test executables of each layer, one include per layer so that work
# on different layers never edits the same file.
include(${CMAKE_CURRENT_LIST_DIR}/fabric.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/kernel.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/dma.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/import.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/scenario.cmake OPTIONAL)
