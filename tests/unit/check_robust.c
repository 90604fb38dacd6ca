/*
 * Robustness (issue 9): the resource limits of limits.h, what kind of file
 * may be opened, and the inputs the fuzzers found (fuzz/regress/).
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dmasim/dmasim.h"
#include "load/ynode.h"
#include "testutil.h"

#define PLX DMASIM_TOPOLOGIES "/x86_64/skylake-plx.yaml"

static char *write_tmp(const char *text, size_t len)
{
	char *path = strdup("/tmp/dmasim-robust-XXXXXX");
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

/* Expect @rc to be DMASIM_ELIMIT with @err at @line:@col containing @msg. */
static void expect_limit(int rc, const struct dmasim_error *err, unsigned line,
			 unsigned col, const char *msg)
{
	ck_assert_msg(rc == DMASIM_ELIMIT, "rc %d (%s), expected ELIMIT", rc, err->msg);
	ck_assert_int_eq(err->code, DMASIM_ELIMIT);
	ck_assert_msg(strstr(err->msg, msg), "message '%s' lacks '%s'", err->msg, msg);
	ck_assert_msg(err->line == line && err->column == col, "at %u:%u, expected %u:%u (%s)",
		      err->line, err->column, line, col, err->msg);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the limits themselves ------------------------------------------ */

START_TEST(test_limits_zero_means_default)
{
	struct dmasim_limits l = { .devices = 7 }, r = dmasim_limits_resolve(&l);

	ck_assert_uint_eq(r.devices, 7);
	ck_assert_uint_eq(r.file_bytes, DMASIM_LIMIT_FILE_BYTES);
	ck_assert_uint_eq(r.depth, DMASIM_LIMIT_DEPTH);
	ck_assert_uint_eq(r.cases, DMASIM_LIMIT_CASES);
	ck_assert_uint_eq(r.windows, DMASIM_LIMIT_WINDOWS);
	ck_assert_uint_eq(r.alias_events, DMASIM_LIMIT_ALIAS_EVENTS);
	ck_assert(!r.no_file_refs);
	r = dmasim_limits_resolve(NULL);
	ck_assert_uint_eq(r.devices, DMASIM_LIMIT_DEVICES);
}
END_TEST

START_TEST(test_limits_set_from_text)
{
	struct dmasim_limits l = { 0 };
	struct dmasim_error err;
	const char *const *names = dmasim_limits_names();
	size_t i;

	ck_assert_int_eq(dmasim_limits_set(&l, "file-bytes=64M", NULL), 0);
	ck_assert_uint_eq(l.file_bytes, 64ull << 20);
	ck_assert_int_eq(dmasim_limits_set(&l, "devices=0x10", NULL), 0);
	ck_assert_uint_eq(l.devices, 16);
	ck_assert_int_eq(dmasim_limits_set(&l, "no-file-refs=1", NULL), 0);
	ck_assert(l.no_file_refs);
	ck_assert_int_eq(dmasim_limits_set(&l, "no-file-refs=0", NULL), 0);
	ck_assert(!l.no_file_refs);
	for (i = 0; names[i]; i++) {
		char text[64];

		snprintf(text, sizeof(text), "%s=1", names[i]);
		ck_assert_msg(dmasim_limits_set(&l, text, NULL) == 0, "%s", text);
	}
	ck_assert_uint_eq(i, 9);
	ck_assert_uint_eq(l.depth, 1);
	ck_assert_uint_eq(l.alias_events, 1);

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_limits_set(&l, "devices", &err), DMASIM_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "NAME=VALUE"));
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_limits_set(&l, "devicez=1", &err), DMASIM_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown limit 'devicez'"));
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_limits_set(&l, "devices=4G", &err), DMASIM_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "below 2^32"));
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_limits_set(&l, "depth=lots", &err), DMASIM_EINVAL);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_limits_set(&l, "cases=0", &err), DMASIM_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "0 is not a limit"));
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_limits_set(&l, "no-file-refs=2", &err), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_limits_set(NULL, "depth=3", NULL), DMASIM_EINVAL);
}
END_TEST

/* ---- file size -------------------------------------------------------- */

START_TEST(test_limit_file_bytes_every_loader)
{
	struct dmasim_limits lim = { .file_bytes = 100 };
	struct dmasim_topo *t = NULL;
	struct dmasim_suite *s = NULL;
	struct dmasim_policy p;
	struct dmasim_error err;
	struct dmasim_import_opts opts = { .limits = &lim };
	char *yaml, *text;
	size_t len, ylen;

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_topo_load_file_limited(PLX, &lim, &t, &err), DMASIM_ELIMIT);
	ck_assert_str_eq(err.file, PLX);
	ck_assert_ptr_nonnull(strstr(err.msg, "larger than the limit of 100 bytes"));
	text = tu_read_file(PLX, &len);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_topo_load_string_limited(text, len, "x.yaml", &lim, &t, &err),
			 DMASIM_ELIMIT);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_suite_load_file_limited(DMASIM_TOPOLOGIES "/x86_64/skylake-plx.suite.yaml",
							&lim, &s, &err), DMASIM_ELIMIT);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_policy_load_limited(DMASIM_TEST_DATA "/policy/hisilicon.yaml",
						    &lim, &p, &err), DMASIM_ELIMIT);
	free(text);
	text = tu_read_file(DMASIM_TEST_DATA "/import/small.dump", &len);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_import_lspci(text, len, "small.dump", &opts, &yaml, &ylen, &err),
			 DMASIM_ELIMIT);
	ck_assert_ptr_nonnull(strstr(err.msg, "the file is larger than the limit of 100 bytes"));
	/* The same inputs load within the defaults. */
	lim.file_bytes = 0;
	ck_assert_int_eq(dmasim_import_lspci(text, len, "small.dump", &opts, &yaml, &ylen, NULL), 0);
	dmasim_import_free(yaml);
	ck_assert_int_eq(dmasim_topo_load_file_limited(PLX, &lim, &t, NULL), 0);
	dmasim_topo_destroy(t);
	free(text);
}
END_TEST

/* Only files and pipes are opened: a device may do something when opened,
 * and /dev/zero never ends. */
START_TEST(test_input_refuses_devices_and_directories)
{
	struct dmasim_topo *t = NULL;
	struct dmasim_policy p;
	struct dmasim_suite *s = NULL;
	struct dmasim_error err;

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_topo_load_file("/dev/zero", &t, &err), DMASIM_EIO);
	ck_assert_str_eq(err.msg, "cannot read: it is a character device, not a file or a pipe");
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_topo_load_file(DMASIM_TOPOLOGIES, &t, &err), DMASIM_EIO);
	ck_assert_str_eq(err.msg, "cannot read: it is a directory, not a file or a pipe");
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_policy_load("/dev/zero", &p, &err), DMASIM_EIO);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_suite_load_file("/dev/zero", &s, &err), DMASIM_EIO);
	ck_assert(!dmasim_suite_is_suite_file("/dev/zero"));
}
END_TEST

/* A pipe has no size until read: the bound is checked while reading. */
static int load_from_fifo(const char *text, size_t len, uint64_t max, struct dmasim_error *err)
{
	char dir[] = "/tmp/dmasim-fifo-XXXXXX", path[64];
	struct dmasim_limits lim = { .file_bytes = max };
	struct dmasim_topo *t = NULL;
	pid_t pid;
	int rc, st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open(path, O_WRONLY);
		size_t i;

		signal(SIGPIPE, SIG_IGN);
		for (i = 0; i < 4; i++)  /* the text, four times over if it is read */
			if (write(fd, text, len) != (ssize_t)len)
				break;
		_exit(0);
	}
	rc = dmasim_topo_load_file_limited(path, &lim, &t, err);
	dmasim_topo_destroy(t);
	/* a writer still waiting for a reader (the load failed before
	 * opening the pipe) gets one, and a broken pipe */
	close(open(path, O_RDONLY | O_NONBLOCK));
	waitpid(pid, &st, 0);
	unlink(path);
	rmdir(dir);
	return rc;
}

START_TEST(test_limit_file_bytes_on_a_pipe)
{
	static const char one[] = "# 0123456789\n";
	char *big = malloc(1 << 16);
	struct dmasim_error err;
	size_t i;

	for (i = 0; i + sizeof(one) - 1 <= (1 << 16); i += sizeof(one) - 1)
		memcpy(big + i, one, sizeof(one) - 1);
	dmasim_error_init(&err);
	ck_assert_int_eq(load_from_fifo(big, i, 100000, &err), DMASIM_ELIMIT);
	ck_assert_ptr_nonnull(strstr(err.msg, "larger than the limit of 100000 bytes"));
	free(big);
}
END_TEST

/* ---- nesting ---------------------------------------------------------- */

static char *nested(const char *prefix, unsigned depth, const char *suffix)
{
	size_t n = strlen(prefix) + 2 * depth + strlen(suffix) + 1;
	char *s = malloc(n), *p = s;
	unsigned i;

	p += sprintf(p, "%s", prefix);
	for (i = 0; i < depth; i++)
		*p++ = '[';
	for (i = 0; i < depth; i++)
		*p++ = ']';
	strcpy(p, suffix);
	return s;
}

START_TEST(test_limit_depth_every_loader)
{
	struct dmasim_limits lim = { .depth = 10 };
	struct dmasim_topo *t = NULL;
	struct dmasim_suite *s = NULL;
	struct dmasim_policy p;
	struct dmasim_error err;
	/* Brackets are counted in the raw text first: the 11th '[' fails. */
	char *topo = nested("dmasim: 1\nram: ", 20, "\n");
	char *pol = nested("dmasim: 1\npolicy:\n  base: ", 20, "\n");
	char *suite = nested("dmasim: 1\ncases: ", 20, "\n");

	dmasim_error_init(&err);
	expect_limit(dmasim_topo_load_string_limited(topo, strlen(topo), "t.yaml", &lim, &t, &err),
		     &err, 2, 16, "brackets nest more than 10 deep");
	dmasim_error_init(&err);
	expect_limit(dmasim_policy_load_string(pol, strlen(pol), "p.yaml", &lim, &p, &err),
		     &err, 3, 19, "brackets nest more than 10 deep");
	dmasim_error_init(&err);
	expect_limit(dmasim_suite_load_string(suite, strlen(suite), "s.yaml", &lim, &s, &err),
		     &err, 2, 18, "brackets nest more than 10 deep");
	free(topo);
	free(pol);
	free(suite);
	/* Ten brackets below the root mapping are eleven levels: the events
	 * find it, at the tenth '['. */
	topo = nested("dmasim: 1\nram: ", 10, "\n");
	dmasim_error_init(&err);
	expect_limit(dmasim_topo_load_string_limited(topo, strlen(topo), "t.yaml", &lim, &t, &err),
		     &err, 2, 15, "lists and mappings nest more than 10 deep");
	free(topo);
	/* Block nesting has no brackets: the events count it. */
	dmasim_error_init(&err);
	{
		static const char block[] =
			"dmasim: 1\nram:\n - a:\n    - b:\n       - c:\n          - d\n";
		struct dmasim_limits three = { .depth = 4 };

		expect_limit(dmasim_topo_load_string_limited(block, strlen(block), "b.yaml", &three,
							     &t, &err),
			     &err, 4, 7, "lists and mappings nest more than 4 deep");
	}
}
END_TEST

/* libyaml spends time proportional to the flow nesting on every token:
 * 40000 brackets took 19 s before they were counted in the raw text.  Now
 * the 257th fails at once, by every path: string, file, fast or not. */
START_TEST(test_limit_depth_deep_brackets_fail_fast)
{
	char *topo = nested("dmasim: 1\nram: ", 200000, "\n"), *path;
	struct dmasim_topo *t = NULL;
	struct dmasim_suite *s = NULL;
	struct dmasim_error err;
	char *suite = nested("dmasim: 1\ncases: ", 200000, "\n");
	double t0 = seconds();

	path = write_tmp(topo, strlen(topo));
	dmasim_error_init(&err);
	expect_limit(dmasim_topo_load_string(topo, strlen(topo), "t.yaml", &t, &err), &err, 2,
		     6 + DMASIM_LIMIT_DEPTH, "brackets nest more than 256 deep");
	dmasim_error_init(&err);
	expect_limit(dmasim_topo_load_file(path, &t, &err), &err, 2, 6 + DMASIM_LIMIT_DEPTH,
		     "brackets nest more than 256 deep");
	dmasim_error_init(&err);
	expect_limit(dmasim_suite_load_string(suite, strlen(suite), "s.yaml", NULL, &s, &err),
		     &err, 2, 8 + DMASIM_LIMIT_DEPTH, "brackets nest more than 256 deep");
	ck_assert_msg(seconds() - t0 < 10, "took %.1f s", seconds() - t0);
	unlink(path);
	free(path);
	free(topo);
	free(suite);
}
END_TEST

/* fuzz/regress/topo/nul-after-deep-brackets: the fast path counted
 * brackets before looking for NUL bytes, libyaml's reading the other way
 * round, so the two gave different errors.  Size, NUL bytes and brackets
 * are now checked in that order by every reading. */
START_TEST(test_fuzz_topo_nul_and_deep_brackets)
{
	char *text = nested("dmasim: 1\nram: ", 300, "\n# x\n"), *path;
	size_t len = strlen(text);
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;

	text[len - 2] = '\0';   /* the 'x' of the comment */
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_topo_load_string(text, len, "n.yaml", &t, &err), DMASIM_ESYNTAX);
	ck_assert_str_eq(err.msg, "the file contains a NUL byte");
	path = write_tmp(text, len);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_topo_load_file(path, &t, &err), DMASIM_ESYNTAX);
	ck_assert_str_eq(err.msg, "the file contains a NUL byte");
	unlink(path);
	free(path);
	free(text);
}
END_TEST

/* The bracket count, eight bytes at a time, fed in random pieces, against
 * the plain byte-by-byte count: the same verdict and position. */
START_TEST(test_flow_count_matches_a_plain_count)
{
	static const char alphabet[] = "[]{}ab\n \xc3\xa9#\"'Z";
	char text[700];
	uint64_t seed = 42;
	unsigned iter, agreed_over = 0;

	for (iter = 0; iter < 20000; iter++) {
		size_t len = 0, at = 0, i;
		uint32_t max = 1 + iter % 40, depth = 0;
		unsigned line = 1, col = 1;
		bool over = false;
		struct dmasim_pos pos = { 0, 0 };
		struct yflow f;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		len = (size_t)(seed >> 33) % sizeof(text);
		for (i = 0; i < len; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			/* mostly openers early on, so that some texts go too deep */
			text[i] = (seed >> 40) % 3 == 0 ? '[' : alphabet[(seed >> 33) % (sizeof(alphabet) - 1)];
		}
		for (i = 0; i < len && !over; i++) {   /* the plain count */
			unsigned char c = (unsigned char)text[i];

			if (c == '[' || c == '{') {
				if (++depth > max) {
					over = true;
					pos.line = line;
					pos.column = col;
				}
			} else if ((c == ']' || c == '}') && depth) {
				depth--;
			}
			if (c == '\n') {
				line++;
				col = 1;
			} else if ((c & 0xc0) != 0x80) {
				col++;
			}
		}
		dmasim__yflow_init(&f, max);
		while (at < len) {
			size_t piece;

			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			piece = 1 + (size_t)(seed >> 33) % 90;
			if (piece > len - at)
				piece = len - at;
			if (!dmasim__yflow_feed(&f, text + at, piece))
				break;
			at += piece;
		}
		ck_assert_msg(f.over == over, "text %u: over %d, plain %d", iter, f.over, over);
		if (over) {
			ck_assert_msg(f.at.line == pos.line && f.at.column == pos.column,
				      "text %u: at %u:%u, plain %u:%u", iter, f.at.line, f.at.column,
				      pos.line, pos.column);
			agreed_over++;
		}
	}
	ck_assert_uint_gt(agreed_over, 1000);
}
END_TEST

/* Telling a suite from a topology reads with libyaml too: brackets that
 * go too deep stop it (a topology, as far as it is concerned; the loader
 * then says why). */
START_TEST(test_suite_sniff_from_text_and_deep_files)
{
	static const char suite[] = "# x\ndmasim: 1\ncases: []\n";
	static const char topo[] = "dmasim: 1\narch: x86_64\n";
	char *deep = nested("x: ", 200000, "\ncases: []\n"), *path;
	double t0 = seconds();

	ck_assert(dmasim_suite_is_suite_text(suite, strlen(suite)));
	ck_assert(!dmasim_suite_is_suite_text(topo, strlen(topo)));
	ck_assert(!dmasim_suite_is_suite_text(NULL, 0));
	ck_assert(!dmasim_suite_is_suite_text(deep, strlen(deep)));
	path = write_tmp(deep, strlen(deep));
	ck_assert(!dmasim_suite_is_suite_file(path));
	ck_assert_msg(seconds() - t0 < 5, "took %.1f s", seconds() - t0);
	unlink(path);
	free(path);
	free(deep);
}
END_TEST

/* ---- counts ----------------------------------------------------------- */

START_TEST(test_limit_devices)
{
	struct dmasim_limits lim = { .devices = 3 };
	struct dmasim_topo *t = tu_load_file(PLX), *t2 = NULL;
	const struct dmasim_device *fourth = &dmasim_topo_machine(t)->devices[3];
	struct dmasim_error err;

	dmasim_error_init(&err);
	expect_limit(dmasim_topo_load_file_limited(PLX, &lim, &t2, &err), &err,
		     fourth->pos.line, fourth->pos.column, "more than 3 devices");
	lim.devices = (uint32_t)dmasim_topo_machine(t)->ndevices;
	ck_assert_int_eq(dmasim_topo_load_file_limited(PLX, &lim, &t2, NULL), 0);
	dmasim_topo_destroy(t2);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_limit_cases)
{
	static const char suite[] =
		"dmasim: 1\n"
		"topology: { dmasim: 1, arch: x86_64, host_bridges: [ { name: hb0, devices: [ { bdf: 00:01.0, type: endpoint, name: a } ] } ] }\n"
		"cases:\n"
		"  - { name: one, upstream: [a, a], expect: { bridge: a } }\n"
		"  - { name: two, upstream: [a, a], expect: { bridge: a } }\n"
		"  - { name: three, upstream: [a, a], expect: { bridge: a } }\n";
	struct dmasim_limits lim = { .cases = 2 };
	struct dmasim_suite *s = NULL;
	struct dmasim_error err;
	size_t failed = 9;

	dmasim_error_init(&err);
	expect_limit(dmasim_suite_load_string(suite, strlen(suite), "s.yaml", &lim, &s, &err),
		     &err, 6, 5, "more than 2 cases");
	lim.cases = 3;
	ck_assert_int_eq(dmasim_suite_load_string(suite, strlen(suite), "s.yaml", &lim, &s, &err), 0);
	ck_assert_int_eq(dmasim_suite_run(s, NULL, NULL, &failed, &err), 0);
	ck_assert_uint_eq(failed, 0);
	dmasim_suite_destroy(s);
}
END_TEST

START_TEST(test_limit_windows_ram_and_dma_ranges)
{
	static const char ram[] =
		"dmasim: 1\narch: x86_64\n"
		"ram: [ { base: 0, size: 1M }, { base: 2M, size: 1M }, { base: 4M, size: 1M } ]\n"
		"host_bridges: [ { name: hb0 } ]\n";
	static const char win[] =
		"dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    windows:\n"
		"      - { kind: mem, cpu: 0x80000000, size: 1M }\n"
		"      - { kind: mem, cpu: 0x80100000, size: 1M }\n"
		"      - { kind: mem, cpu: 0x80200000, size: 1M }\n";
	static const char dr[] =
		"dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    dma_ranges:\n"
		"      - { bus: 0, cpu: 0, size: 1M }\n"
		"      - { bus: 1M, cpu: 1M, size: 1M }\n"
		"      - { bus: 2M, cpu: 2M, size: 1M }\n";
	struct dmasim_limits lim = { .windows = 2 };
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;

	dmasim_error_init(&err);
	expect_limit(dmasim_topo_load_string_limited(ram, strlen(ram), "r.yaml", &lim, &t, &err),
		     &err, 3, 55, "ram has more than 2 entries");
	dmasim_error_init(&err);
	expect_limit(dmasim_topo_load_string_limited(win, strlen(win), "w.yaml", &lim, &t, &err),
		     &err, 8, 9, "windows has more than 2 entries");
	dmasim_error_init(&err);
	expect_limit(dmasim_topo_load_string_limited(dr, strlen(dr), "d.yaml", &lim, &t, &err),
		     &err, 8, 9, "dma_ranges has more than 2 entries");
	lim.windows = 3;
	ck_assert_int_eq(dmasim_topo_load_string_limited(ram, strlen(ram), "r.yaml", &lim, &t, &err), 0);
	dmasim_topo_destroy(t);
	ck_assert_int_eq(dmasim_topo_load_string_limited(win, strlen(win), "w.yaml", &lim, &t, &err), 0);
	dmasim_topo_destroy(t);
	ck_assert_int_eq(dmasim_topo_load_string_limited(dr, strlen(dr), "d.yaml", &lim, &t, &err), 0);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- aliases ---------------------------------------------------------- */

/* Nine levels of ten aliases each: 10^9 devices if followed. */
static char *laughs(const char *indent)
{
	char *s = malloc(16384), *p = s;
	int i, k;

	p += sprintf(p, "%sdmasim: 1\n%sarch: x86_64\n%shost_bridges:\n%s  - name: hb0\n"
		     "%s    devices:\n%s      - &d0 { bdf: 00:00.0, type: endpoint }\n",
		     indent, indent, indent, indent, indent, indent);
	for (i = 1; i <= 9; i++) {
		p += sprintf(p, "%s      - &d%d { bdf: 00:%02x.0, type: root-port, children: [",
			     indent, i, i);
		for (k = 0; k < 10; k++)
			p += sprintf(p, "%s*d%d", k ? ", " : "", i - 1);
		p += sprintf(p, "] }\n");
	}
	return s;
}

START_TEST(test_limit_alias_events_topology)
{
	char *yaml = laughs("");
	struct dmasim_limits lim = { .alias_events = 1000 };
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	double t0 = seconds();

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_topo_load_string(yaml, strlen(yaml), "l.yaml", &t, &err),
			 DMASIM_ELIMIT);
	ck_assert_ptr_nonnull(strstr(err.msg, "aliases expand to more than"));
	ck_assert_ptr_nonnull(strstr(err.msg, "--limit alias-events=N"));
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_topo_load_string_limited(yaml, strlen(yaml), "l.yaml", &lim,
							 &t, &err), DMASIM_ELIMIT);
	/* 1000 events allowed beyond four per event of the file: fails early */
	ck_assert_ptr_nonnull(strstr(err.msg, "aliases expand to more than"));
	ck_assert_msg(seconds() - t0 < 60, "the bomb took %.1f s", seconds() - t0);
	free(yaml);
}
END_TEST

/* The same bomb as a suite's inline topology: walked from libyaml's
 * document, where an alias is a second reference to one node. */
START_TEST(test_limit_alias_events_inline_suite_topology)
{
	char *topo = laughs("  "), *suite = malloc(strlen(topo) + 256);
	struct dmasim_suite *s = NULL;
	struct dmasim_error err;

	sprintf(suite, "dmasim: 1\ntopology:\n%scases: []\n", topo);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_suite_load_string(suite, strlen(suite), "s.yaml", NULL, &s, &err),
			 DMASIM_ELIMIT);
	ck_assert_ptr_nonnull(strstr(err.msg, "aliases expand to more than"));
	free(topo);
	free(suite);
}
END_TEST

/* ---- files a suite names ---------------------------------------------- */

START_TEST(test_limit_no_file_refs)
{
	static const char by_file[] =
		"dmasim: 1\ntopology: skylake-plx.yaml\ncases: []\n";
	static const char policy_file[] =
		"dmasim: 1\n"
		"topology: { dmasim: 1, arch: x86_64, host_bridges: [ { name: hb0 } ] }\n"
		"policy: ../policies/mine.yaml\ncases: []\n";
	static const char inline_only[] =
		"dmasim: 1\n"
		"topology: { dmasim: 1, arch: x86_64, host_bridges: [ { name: hb0 } ] }\n"
		"policy: linux-5.15\ncases: []\n";
	struct dmasim_limits lim = { .no_file_refs = true };
	struct dmasim_suite *s = NULL;
	struct dmasim_error err;
	const char *name = DMASIM_TOPOLOGIES "/x86_64/fuzz.suite.yaml";

	dmasim_error_init(&err);
	expect_limit(dmasim_suite_load_string(by_file, strlen(by_file), name, &lim, &s, &err),
		     &err, 2, 11, "files may not be named here");
	dmasim_error_init(&err);
	expect_limit(dmasim_suite_load_string(policy_file, strlen(policy_file), name, &lim, &s, &err),
		     &err, 3, 9, "files may not be named here");
	ck_assert_int_eq(dmasim_suite_load_string(inline_only, strlen(inline_only), name, &lim,
						  &s, &err), 0);
	ck_assert_str_eq(dmasim_suite_policy(s)->name, "linux-5.15");
	dmasim_suite_destroy(s);
	/* Without the flag the file next to the suite's name is found. */
	ck_assert_int_eq(dmasim_suite_load_string(by_file, strlen(by_file), name, NULL, &s, &err), 0);
	ck_assert_uint_gt(dmasim_topo_machine(dmasim_suite_topo(s))->ndevices, 3);
	dmasim_suite_destroy(s);
}
END_TEST

/* ---- the string loaders ----------------------------------------------- */

START_TEST(test_policy_load_string_names_the_policy)
{
	static const char text[] = "dmasim: 1\npolicy: { base: linux-4.20 }\n";
	struct dmasim_policy p;
	struct dmasim_error err;

	ck_assert_int_eq(dmasim_policy_load_string(text, strlen(text), "dir/mine.yaml", NULL,
						   &p, &err), 0);
	ck_assert_str_eq(p.name, "mine");
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_policy_load_string("dmasim: 2\npolicy: {}\n", 21, "v.yaml", NULL,
						   &p, &err), DMASIM_ESCHEMA);
	ck_assert_uint_eq(err.line, 1);
	ck_assert_uint_eq(err.column, 9);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_policy_load_string("x", 1, NULL, NULL, &p, &err), DMASIM_ESCHEMA);
	ck_assert_str_eq(err.file, "<string>");
	ck_assert_int_eq(dmasim_policy_load_string(NULL, 0, "n", NULL, &p, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_policy_load_string(text, strlen(text), "n", NULL, NULL, NULL),
			 DMASIM_EINVAL);
}
END_TEST

/* ---- what the fuzzers found (fuzz/regress/) ---------------------------- */

/* fuzz/regress/lspci/invalid-utf8-description: a byte that is not UTF-8
 * in lspci's description went into a YAML comment, which then failed to
 * load ("invalid trailing UTF-8 octet"). */
START_TEST(test_fuzz_lspci_description_not_utf8)
{
	size_t len, ylen;
	char *text = tu_read_file(DMASIM_TEST_DATA "/import/small.dump", &len), *yaml, *path;
	char *at = strstr(text, "Intel Corporation");
	struct dmasim_import_opts opts = { .name = "caf\xc3\xa9 \xff\x7f" };
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;

	ck_assert_ptr_nonnull(at);
	at[1] = (char)0xf4;      /* a 4-byte lead without its continuation */
	at[3] = 0x7f;            /* DEL: not printable in YAML */
	at[5] = 0x01;
	path = write_tmp(text, len);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_import_lspci(text, len, "dump\nwith newline", &opts, &yaml,
					     &ylen, &err), 0);
	ck_assert_int_eq(dmasim_topo_load_string(yaml, ylen, "imported.yaml", &t, &err), 0);
	/* well-formed UTF-8 stays; the rest becomes '?' */
	ck_assert_str_eq(dmasim_topo_machine(t)->name, "caf\xc3\xa9 ??");
	ck_assert_ptr_nonnull(strstr(yaml, "I?t?l"));
	ck_assert_ptr_nonnull(strstr(yaml, "dump?with newline"));
	dmasim_topo_destroy(t);
	dmasim_import_free(yaml);
	unlink(path);
	free(path);
	free(text);
}
END_TEST

#define REGRESS DMASIM_TEST_DATA "/../../fuzz/regress"

/* fuzz/regress/lspci/bar32-behind-an-offset: a second segment's window is
 * given a CPU range of its own, so its 32-bit BARs sit above 4 GiB on the
 * CPU side.  The importer wrote them as 64-bit, and BAR 1 then collided
 * with the upper half of BAR 0.  A BAR's width is checked against its bus
 * address (finalize.c), so they stay 32-bit. */
START_TEST(test_fuzz_lspci_bar32_behind_an_offset)
{
	size_t len, ylen, i;
	char *text = tu_read_file(REGRESS "/lspci/bar32-behind-an-offset", &len), *yaml;
	const struct dmasim_machine *m;
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	unsigned n32 = 0;

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_import_lspci(text, len, "d", NULL, &yaml, &ylen, &err), 0);
	ck_assert_msg(dmasim_topo_load_string(yaml, ylen, "i.yaml", &t, &err) == 0, "%u:%u %s",
		      err.line, err.column, err.msg);
	m = dmasim_topo_machine(t);
	for (i = 0; i < m->ndevices; i++) {
		const struct dmasim_device *d = &m->devices[i];
		size_t b;

		for (b = 0; b < d->nbars; b++)
			if (d->bars[b].bits == 32 && d->bars[b].cpu >= 0x100000000ull) {
				ck_assert_uint_lt(d->bars[b].bus + d->bars[b].size - 1, 0x100000000ull);
				n32++;
			}
	}
	ck_assert_uint_ge(n32, 2);
	dmasim_topo_destroy(t);
	dmasim_import_free(yaml);
	free(text);
}
END_TEST

/* fuzz/regress/lspci/hb-window-cannot-be-placed: a second segment whose
 * BARs spread over 256 PiB needs a window that overlaps the first
 * segment's wherever it is shifted; the importer wrote the overlapping
 * windows anyway, and the YAML did not load.  Now it says so. */
START_TEST(test_fuzz_lspci_window_cannot_be_placed)
{
	size_t len, ylen;
	char *text = tu_read_file(REGRESS "/lspci/hb-window-cannot-be-placed", &len), *yaml;
	struct dmasim_error err;

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_import_lspci(text, len, "d", NULL, &yaml, &ylen, &err),
			 DMASIM_ETOPO);
	ck_assert_uint_eq(err.line, 6);
	ck_assert_ptr_nonnull(strstr(err.msg, "that root bus 0004:00 needs overlaps another host bridge's"));
	ck_assert_ptr_nonnull(strstr(err.msg, "--iomem"));
	free(text);
}
END_TEST

/* fuzz/regress/route/route-wraps-past-2-64: the harness expected every
 * route to answer DMASIM_OK; a request whose last byte would wrap past
 * 2^64 is DMASIM_EINVAL (fabric.h), and only that one. */
START_TEST(test_fuzz_route_wraps_past_2_64)
{
	struct dmasim_topo *t = tu_load_file(PLX);
	const struct dmasim_device *gpu0 = tu_dev(t, "gpu0");
	struct dmasim_route *r = malloc(sizeof(*r));

	ck_assert_int_eq(dmasim_route(t, NULL, gpu0, UINT64_MAX, 8, true, r), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_route(t, NULL, gpu0, UINT64_MAX - 7, 9, true, r), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_route(t, NULL, gpu0, UINT64_MAX - 7, 8, true, r), DMASIM_OK);
	ck_assert_int_eq(r->land.kind, DMASIM_LAND_FAULT);
	ck_assert_int_eq(dmasim_route(t, NULL, gpu0, UINT64_MAX, 1, false, r), DMASIM_OK);
	free(r);
	dmasim_topo_destroy(t);
}
END_TEST

/* fuzz/regress/topo/empty-window-list: `windows: []` on the first host
 * bridge took &hbwins[0] of a NULL array (undefined behaviour that
 * clang's UBSan reports).  It loads: a host bridge without windows. */
START_TEST(test_fuzz_topo_empty_window_list)
{
	static const char yaml[] =
		"dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    windows: []\n"
		"    devices: [ { bdf: 00:01.0, type: endpoint } ]\n";
	struct dmasim_topo *t = tu_load(yaml);

	ck_assert_uint_eq(dmasim_topo_machine(t)->host_bridges[0].nwindows, 0);
	ck_assert_uint_eq(dmasim_topo_machine(t)->ndevices, 1);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_import_limit_functions_and_duplicates)
{
	size_t len, ylen;
	char *text = tu_read_file(DMASIM_TEST_DATA "/import/small.dump", &len), *yaml;
	struct dmasim_limits lim = { .devices = 2 };
	struct dmasim_import_opts opts = { .limits = &lim };
	struct dmasim_error err;
	char *third = text, *dup;
	unsigned line = 1;
	int k;

	/* the header of the third function */
	for (k = 0; k < 3; k++) {
		third = k ? strstr(third + 1, "\n0000:") + 1 : text;
	}
	for (dup = text; dup < third; dup++)
		line += *dup == '\n';
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_import_lspci(text, len, "d", &opts, &yaml, &ylen, &err),
			 DMASIM_ELIMIT);
	ck_assert_uint_eq(err.line, line);
	ck_assert_ptr_nonnull(strstr(err.msg, "more than 2 functions"));
	/* the third header made a copy of the first: the duplicate is named */
	memcpy(third, "0000:00:00.0", 12);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_import_lspci(text, len, "d", NULL, &yaml, &ylen, &err),
			 DMASIM_ETOPO);
	ck_assert_uint_eq(err.line, line);
	ck_assert_ptr_nonnull(strstr(err.msg, "0000:00:00.0 is already in the dump at line 1"));
	free(text);
}
END_TEST

static Suite *robust_suite(void)
{
	Suite *s = suite_create("robust");
	TCase *tc = tcase_create("Limits");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_limits_zero_means_default);
	tcase_add_test(tc, test_limits_set_from_text);
	tcase_add_test(tc, test_limit_file_bytes_every_loader);
	tcase_add_test(tc, test_input_refuses_devices_and_directories);
	tcase_add_test(tc, test_limit_file_bytes_on_a_pipe);
	tcase_add_test(tc, test_limit_depth_every_loader);
	tcase_add_test(tc, test_limit_depth_deep_brackets_fail_fast);
	tcase_add_test(tc, test_flow_count_matches_a_plain_count);
	tcase_add_test(tc, test_suite_sniff_from_text_and_deep_files);
	tcase_add_test(tc, test_limit_devices);
	tcase_add_test(tc, test_limit_cases);
	tcase_add_test(tc, test_limit_windows_ram_and_dma_ranges);
	tcase_add_test(tc, test_limit_alias_events_topology);
	tcase_add_test(tc, test_limit_alias_events_inline_suite_topology);
	tcase_add_test(tc, test_limit_no_file_refs);
	tcase_add_test(tc, test_policy_load_string_names_the_policy);
	suite_add_tcase(s, tc);
	tc = tcase_create("FuzzRegressions");
	tcase_add_test(tc, test_fuzz_lspci_description_not_utf8);
	tcase_add_test(tc, test_fuzz_topo_nul_and_deep_brackets);
	tcase_add_test(tc, test_import_limit_functions_and_duplicates);
	tcase_add_test(tc, test_fuzz_lspci_bar32_behind_an_offset);
	tcase_add_test(tc, test_fuzz_lspci_window_cannot_be_placed);
	tcase_add_test(tc, test_fuzz_route_wraps_past_2_64);
	tcase_add_test(tc, test_fuzz_topo_empty_window_list);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(robust_suite());
}
