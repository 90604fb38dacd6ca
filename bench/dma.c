/*
 * dmasim-bench -- dma_map_resource + dma_unmap_resource through the IOMMU
 * (dma.h).  Until the DMA layer is in the build this reports "n/a".
 */
#include <math.h>

#include "bench.h"

double bench_dma_run(const struct dmasim_topo *t, const struct sample *s,
		     bench_time_fn timer, const void *opts)
{
	(void)t, (void)s, (void)timer, (void)opts;
	return NAN;
}
