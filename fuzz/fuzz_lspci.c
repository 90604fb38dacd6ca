/*
 * Fuzz the lspci-dump importer: any text imports or fails with a
 * positioned error; what imports is YAML that the topology loader
 * accepts (an importer that writes what dmasim cannot read would pass a
 * bad machine on silently).
 */
#include <stdlib.h>
#include <string.h>

#include "dmasim/dmasim.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dmasim_limits lim = FUZZ_LIMITS;
	struct dmasim_import_opts opts = { .limits = &lim };
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	char *yaml = NULL;
	size_t len = 0;
	int rc;

	dmasim_error_init(&err);
	rc = dmasim_import_lspci((const char *)data, size, "fuzz.dump", &opts, &yaml,
				 &len, &err);
	FUZZ_CHECK(rc == DMASIM_OK || err.msg[0], "error %d without a message", rc);
	if (rc != DMASIM_OK)
		return 0;
	dmasim_error_init(&err);
	rc = dmasim_topo_load_string_limited(yaml, len, "imported.yaml", &lim, &t, &err);
	FUZZ_CHECK(rc == DMASIM_OK || rc == DMASIM_ELIMIT,
		   "the imported YAML does not load: %s:%u:%u: %s\n%.*s", err.file,
		   err.line, err.column, err.msg, (int)(len > 4000 ? 4000 : len), yaml);
	dmasim_topo_destroy(t);
	dmasim_import_free(yaml);
	return 0;
}
