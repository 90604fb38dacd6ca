/* dmasim -- private: sound / unsound / conservative (src/scenario/verdict.c). */
#ifndef DMASIM_SCENARIO_VERDICT_H
#define DMASIM_SCENARIO_VERDICT_H

#include "dmasim/dma.h"
#include "scenario/scenario_int.h"

/* Would some address given to @client reach CPU address @phys correctly? */
bool dmasim__hw_reachable(const struct dmasim_topo *topo,
			  const struct dmasim_device *client, uint64_t phys,
			  uint64_t size, bool write);
/* Map 4 KiB of @provider's p2pmem for @client in a fresh context and judge
 * it; @res receives the mapping. */
int dmasim__pair_verdict(const struct dmasim_topo *topo,
			 const struct dmasim_policy *policy,
			 const struct dmasim_device *provider,
			 const struct dmasim_device *client, enum dmasim_verdict *out,
			 struct dmasim_dma_result *res);

#endif
