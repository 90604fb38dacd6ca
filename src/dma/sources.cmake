# The DMA mapping layer (dma_map_resource, IOVA allocation, P2P mappings).
list(APPEND DMASIM_SOURCES
  dma/iova.c
)
