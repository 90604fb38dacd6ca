# Unit tests of the DMA mapping layer (src/dma).
dmasim_add_check(iova)
dmasim_add_check(dma)
