/*
 * Fuzz the topology loader: any text either loads or fails with a
 * positioned error; the fast scanner's result is libyaml's (the
 * contract of src/load/topo_load.h); a loaded model is consistent
 * (pre-order subtrees, every device findable by its BDF).
 */
#include <string.h>

#include "dmasim/dmasim.h"
#include "load/topo_load.h"
#include "fuzz.h"

static void check_model(const struct dmasim_topo *t)
{
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	size_t i;

	for (i = 0; i < m->ndevices; i++) {
		const struct dmasim_device *d = &m->devices[i];

		FUZZ_CHECK(d->id == i, "device %zu has id %u", i, (unsigned)d->id);
		FUZZ_CHECK(d->subtree_end > d->id && d->subtree_end <= m->ndevices,
			   "device %zu subtree_end %u", i, (unsigned)d->subtree_end);
		FUZZ_CHECK(dmasim_topo_find_device(t, d->bdf) == d, "lookup of %s", d->bdf);
		FUZZ_CHECK(!d->parent || (d->parent->id < d->id &&
					  d->subtree_end <= d->parent->subtree_end),
			   "device %zu is outside its parent's subtree", i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dmasim_limits lim = FUZZ_LIMITS;
	const char *text = (const char *)data;
	struct dmasim_topo *t1 = NULL, *t2 = NULL;
	struct dmasim_error e1, e2;
	int rc1, rc2;

	dmasim_error_init(&e1);
	dmasim_error_init(&e2);
	rc1 = dmasim__topo_load_string_how(text, size, "fuzz.yaml", DMASIM__YAML_AUTO,
					   &lim, &t1, &e1, NULL);
	rc2 = dmasim__topo_load_string_how(text, size, "fuzz.yaml", DMASIM__YAML_LIBYAML,
					   &lim, &t2, &e2, NULL);
	FUZZ_CHECK(rc1 == rc2 && e1.line == e2.line && e1.column == e2.column &&
		   strcmp(e1.msg, e2.msg) == 0,
		   "auto %d %u:%u %s, libyaml %d %u:%u %s", rc1, e1.line, e1.column,
		   e1.msg, rc2, e2.line, e2.column, e2.msg);
	FUZZ_CHECK(rc1 == DMASIM_OK || e1.msg[0], "error %d without a message", rc1);
	if (rc1 == DMASIM_OK) {
		FUZZ_CHECK(dmasim_topo_machine(t1)->ndevices ==
			   dmasim_topo_machine(t2)->ndevices, "device counts differ");
		check_model(t1);
	}
	dmasim_topo_destroy(t1);
	dmasim_topo_destroy(t2);
	return 0;
}
