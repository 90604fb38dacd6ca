/* dmasim tests -- helpers shared by the Check suites. */
#ifndef DMASIM_TESTUTIL_H
#define DMASIM_TESTUTIL_H

#include <check.h>
#include "dmasim/dmasim.h"

/* Load YAML text or fail the test with the loader's message. */
struct dmasim_topo *tu_load(const char *yaml);
/* Load a file under tests/data/ or topologies/ (absolute or relative to
 * DMASIM_TEST_DATA) or fail the test. */
struct dmasim_topo *tu_load_file(const char *path);
/* Load YAML text that must fail; returns the error code, fills @err. */
int tu_load_fails(const char *yaml, struct dmasim_error *err);
/* Device by name, or fail the test. */
const struct dmasim_device *tu_dev(const struct dmasim_topo *t, const char *name);
/* Read a whole file (caller frees); fails the test when unreadable. */
char *tu_read_file(const char *path, size_t *len);
/* Run @s with CK_RUN_SUITE/CK_RUN_CASE honoured; returns the exit status. */
int tu_run(Suite *s);

#endif
