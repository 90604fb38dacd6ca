/* dmasim -- placeholder LCA index (replaced by the kernel layer). */
#include "model/topo_int.h"

int dmasim__lca_index_build(struct dmasim_topo *topo, struct dmasim_error *err)
{
	(void)err;
	topo->lca = NULL;
	return DMASIM_OK;
}

void dmasim__lca_index_destroy(struct dmasim__lca_index *idx)
{
	(void)idx;
}
