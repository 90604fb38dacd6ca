# The DMA mapping layer (dma_map_resource, IOVA allocation, P2P mappings).
list(APPEND DMASIM_SOURCES
  dma/iova.c
  dma/arch.c
  dma/dma.c
  dma/p2p_map.c
  dma/target.c
)
list(APPEND DMASIM_CLI_SOURCES cli/cmd_map.c)
