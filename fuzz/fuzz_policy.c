/*
 * Fuzz the policy loader: any text loads as a policy or fails with an
 * error that has a message; a loaded policy has a name and a base row.
 */
#include <string.h>

#include "dmasim/dmasim.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dmasim_limits lim = FUZZ_LIMITS;
	struct dmasim_policy p;
	struct dmasim_error err;
	int rc;

	memset(&p, 0xa5, sizeof(p));
	dmasim_error_init(&err);
	rc = dmasim_policy_load_string((const char *)data, size, "fuzz/p.yaml", &lim,
				       &p, &err);
	FUZZ_CHECK(rc == DMASIM_OK || err.msg[0], "error %d without a message", rc);
	if (rc == DMASIM_OK)
		FUZZ_CHECK(memchr(p.name, '\0', sizeof(p.name)) != NULL,
			   "the policy name is not terminated");
	return 0;
}
