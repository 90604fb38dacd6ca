/* dmasim tests -- helpers shared by the Check suites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

struct dmasim_topo *tu_load(const char *yaml)
{
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	char buf[512];

	dmasim_error_init(&err);
	if (dmasim_topo_load_string(yaml, strlen(yaml), "test.yaml", &t, &err)) {
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		ck_abort_msg("load failed: %s", buf);
	}
	return t;
}

struct dmasim_topo *tu_load_file(const char *path)
{
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	char full[1024], buf[512];

	if (path[0] == '/')
		snprintf(full, sizeof(full), "%s", path);
	else
		snprintf(full, sizeof(full), "%s/%s", DMASIM_TEST_DATA, path);
	dmasim_error_init(&err);
	if (dmasim_topo_load_file(full, &t, &err)) {
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		ck_abort_msg("load failed: %s", buf);
	}
	return t;
}

int tu_load_fails(const char *yaml, struct dmasim_error *err)
{
	struct dmasim_topo *t = NULL;
	int rc;

	dmasim_error_init(err);
	rc = dmasim_topo_load_string(yaml, strlen(yaml), "test.yaml", &t, err);
	ck_assert_msg(rc != DMASIM_OK, "expected the load to fail");
	ck_assert_ptr_null(t);
	return rc;
}

const struct dmasim_device *tu_dev(const struct dmasim_topo *t, const char *name)
{
	const struct dmasim_device *d = dmasim_topo_find_device(t, name);

	ck_assert_msg(d != NULL, "no device %s", name);
	return d;
}

char *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
