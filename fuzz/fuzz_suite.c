/*
 * Fuzz the suite loader and runner: any text loads as a suite or fails
 * with a positioned error, and a loaded suite runs to the end.  The suite
 * "lives" in a scratch directory holding every shipped topology and the
 * test policies, under the names the shipped suites use, so the fuzzer
 * reaches the files they name as well as inline topologies.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dmasim/dmasim.h"
#include "fuzz.h"

static char suite_name[700];

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	size_t n;

	if (!in || !out) {
		fprintf(stderr, "fuzz_suite: cannot copy %s to %s\n", from, to);
		exit(1);
	}
	while ((n = fread(buf, 1, sizeof(buf), in)))
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
}

/* Every *.yaml of @from into @to (and, with @also, into @also too). */
static void copy_yaml(const char *from, const char *to, const char *also)
{
	char a[1024], b[1024];
	struct dirent *e;
	DIR *d = opendir(from);

	if (!d) {
		fprintf(stderr, "fuzz_suite: cannot read %s\n", from);
		exit(1);
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		snprintf(a, sizeof(a), "%s/%s", from, e->d_name);
		snprintf(b, sizeof(b), "%s/%s", to, e->d_name);
		copy_file(a, b);
		if (also) {
			snprintf(b, sizeof(b), "%s/%s", also, e->d_name);
			copy_file(a, b);
		}
	}
	closedir(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const arches[] = { "x86_64", "arm64", "ppc64", "riscv64" };
	char tmpl[] = "/tmp/dmasim-fuzz-suite-XXXXXX", dir[600], from[1024], to[1024];
	size_t i;

	(void)argc;
	(void)argv;
	if (!mkdtemp(tmpl))
		exit(1);
	/* tmp/a/b/c holds the suite: "x.yaml" and "../../../topologies/ARCH/x.yaml"
	 * both resolve, as in the shipped and the test suites. */
	snprintf(dir, sizeof(dir), "%s/topologies", tmpl);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/a", tmpl);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/a/b", tmpl);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/a/b/c", tmpl);
	mkdir(dir, 0700);
	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		snprintf(from, sizeof(from), "%s/topologies/%s", DMASIM_SOURCE_DIR, arches[i]);
		snprintf(to, sizeof(to), "%s/topologies/%s", tmpl, arches[i]);
		mkdir(to, 0700);
		copy_yaml(from, to, dir);
	}
	snprintf(from, sizeof(from), "%s/tests/data/policy", DMASIM_SOURCE_DIR);
	copy_yaml(from, dir, NULL);
	snprintf(suite_name, sizeof(suite_name), "%s/fuzz.suite.yaml", dir);
	return 0;
}

struct count {
	size_t n, ncases;
};

static void count_case(const struct dmasim_case_result *r, void *arg)
{
	struct count *c = arg;

	/* policy by policy, each case in order */
	FUZZ_CHECK(r->index == c->n % c->ncases && r->policy_index == c->n / c->ncases,
		   "result %zu reported as case %zu, policy %zu", c->n, r->index, r->policy_index);
	FUZZ_CHECK(r->passed || r->skipped || r->failures[0], "case %zu failed without a reason",
		   r->index);
	FUZZ_CHECK(!(r->passed && r->skipped), "case %zu passed and not run", r->index);
	c->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dmasim_limits lim = FUZZ_LIMITS;
	struct dmasim_suite *s = NULL;
	struct dmasim_error err;
	struct count ran = { 0, 0 };
	size_t failed = 0;
	int rc;

	dmasim_error_init(&err);
	rc = dmasim_suite_load_string((const char *)data, size, suite_name, &lim, &s, &err);
	FUZZ_CHECK(rc == DMASIM_OK || err.msg[0], "error %d without a message", rc);
	if (rc != DMASIM_OK)
		return 0;
	ran.ncases = dmasim_suite_ncases(s);
	rc = dmasim_suite_run(s, count_case, &ran, &failed, &err);
	FUZZ_CHECK(rc == DMASIM_OK, "the run failed: %s", err.msg);
	FUZZ_CHECK(ran.n == ran.ncases * dmasim_suite_npolicies(s) && failed <= ran.n,
		   "%zu of %zu cases x %zu policies ran, %zu failed", ran.n, ran.ncases,
		   dmasim_suite_npolicies(s), failed);
	dmasim_suite_destroy(s);
	return 0;
}
