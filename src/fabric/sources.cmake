list(APPEND DMASIM_SOURCES
  fabric/decode_index.c
  fabric/iommu_pt.c
  fabric/route.c
)
list(APPEND DMASIM_CLI_SOURCES cli/cmd_route.c)
