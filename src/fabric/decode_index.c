/* dmasim -- placeholder decode index (replaced by the fabric layer). */
#include "model/topo_int.h"

int dmasim__decode_index_build(struct dmasim_topo *topo, struct dmasim_error *err)
{
	(void)err;
	topo->decode = NULL;
	return DMASIM_OK;
}

void dmasim__decode_index_destroy(struct dmasim__decode_index *idx)
{
	(void)idx;
}
