/* dmasim tests -- suites, their runner, and the check/audit/matrix/diff CLI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "wellformed.h"
#include "dmasim/scenario.h"

#define SCN DMASIM_TEST_DATA "/scenario/"

struct collected {
	struct dmasim_case_result r[32];
	size_t n;
};

static void collect(const struct dmasim_case_result *r, void *arg)
{
	struct collected *c = arg;

	if (c->n < 32)
		c->r[c->n++] = *r;
}

static struct dmasim_suite *load_suite(const char *path)
{
	struct dmasim_suite *s = NULL;
	struct dmasim_error err;
	char buf[512];

	dmasim_error_init(&err);
	if (dmasim_suite_load_file(path, &s, &err)) {
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		ck_abort_msg("suite load failed: %s", buf);
	}
	return s;
}

START_TEST(test_suite_every_case_kind_passes)
{
	struct dmasim_suite *s = load_suite(SCN "pass.suite.yaml");
	struct collected *c = calloc(1, sizeof(*c));
	size_t failed = 99, i;

	ck_assert_uint_eq(dmasim_suite_ncases(s), 10);
	ck_assert_int_eq(dmasim_suite_run(s, collect, c, &failed, NULL), DMASIM_OK);
	for (i = 0; i < c->n; i++)
		ck_assert_msg(c->r[i].passed, "case %zu '%s' failed:\n%sgot:\n%s", i + 1,
			      c->r[i].name, c->r[i].failures, c->r[i].got);
	ck_assert_uint_eq(failed, 0);
	ck_assert_uint_eq(c->n, 10);
	ck_assert_str_eq(c->r[6].kind, "map_resource");
	ck_assert_ptr_nonnull(strstr(c->r[6].got, "dma_addr: 0xfffff000"));
	free(c);
	dmasim_suite_destroy(s);
}
END_TEST

START_TEST(test_suite_failing_expectations_say_expected_and_got)
{
	struct dmasim_suite *s = load_suite(SCN "fail.suite.yaml");
	struct collected *c = calloc(1, sizeof(*c));
	size_t failed = 0;

	ck_assert_int_eq(dmasim_suite_run(s, collect, c, &failed, NULL), DMASIM_OK);
	ck_assert_uint_eq(failed, 2);
	ck_assert(c->r[0].passed);
	ck_assert(!c->r[1].passed);
	ck_assert_ptr_nonnull(strstr(c->r[1].failures, "distance: expected 99, got 4"));
	ck_assert_ptr_nonnull(strstr(c->r[1].failures,
				     "map_type: expected thru_host_bridge, got bus_addr"));
	ck_assert_ptr_nonnull(strstr(c->r[2].failures,
				     "bridge: expected 0000:00:00.0, got 0000:01:00.0"));
	ck_assert_uint_eq(c->r[1].line, 8);
	free(c);
	dmasim_suite_destroy(s);
}
END_TEST

/* Each case of every-key-wrong.suite.yaml has one wrong key, its name. */
START_TEST(test_suite_every_expect_key_is_checked)
{
	struct dmasim_suite *s = load_suite(SCN "every-key-wrong.suite.yaml");
	struct collected *c = calloc(1, sizeof(*c));
	char want[192];
	size_t failed = 0, i;

	ck_assert_int_eq(dmasim_suite_run(s, collect, c, &failed, NULL), DMASIM_OK);
	ck_assert_uint_eq(c->n, 9);
	ck_assert_uint_eq(failed, c->n);
	for (i = 0; i < c->n; i++) {
		snprintf(want, sizeof(want), "%s: expected", c->r[i].name);
		ck_assert_msg(strncmp(c->r[i].failures, want, strlen(want)) == 0,
			      "case '%s' should fail on its key only, got:\n%s", c->r[i].name,
			      c->r[i].failures);
		ck_assert_msg(strchr(c->r[i].failures, '\n') == c->r[i].failures +
				      strlen(c->r[i].failures) - 1,
			      "case '%s' failed on more than one key:\n%s", c->r[i].name,
			      c->r[i].failures);
	}
	free(c);
	dmasim_suite_destroy(s);
}
END_TEST

static void expect_load_error(const char *file, unsigned line, unsigned col, const char *want)
{
	struct dmasim_suite *s = NULL;
	struct dmasim_error err;
	char buf[512];

	dmasim_error_init(&err);
	ck_assert_int_ne(dmasim_suite_load_file(file, &s, &err), DMASIM_OK);
	ck_assert_ptr_null(s);
	dmasim_error_snprintf(buf, sizeof(buf), &err);
	ck_assert_msg(err.line == line && err.column == col && strstr(err.msg, want),
		      "expected %u:%u '%s', got %s", line, col, want, buf);
}

START_TEST(test_suite_bad_input_is_positioned)
{
	expect_load_error(SCN "bad-device.suite.yaml", 6, 39, "no device 'gpu9'");
	expect_load_error(SCN "bad-expect.suite.yaml", 7, 23,
			  "expect key 'bridge' does not apply to a case of kind 'route'");
}
END_TEST

START_TEST(test_suite_inline_topology)
{
	struct dmasim_suite *s = load_suite(SCN "inline.suite.yaml");
	size_t failed = 9;

	ck_assert_int_eq(dmasim_topo_machine(dmasim_suite_topo(s))->arch, DMASIM_ARCH_ARM64);
	ck_assert_str_eq(dmasim_suite_policy(s)->name, "linux-4.20");
	ck_assert_int_eq(dmasim_suite_run(s, NULL, NULL, &failed, NULL), DMASIM_OK);
	ck_assert_uint_eq(failed, 0);
	dmasim_suite_destroy(s);
}
END_TEST

START_TEST(test_suite_file_detection)
{
	ck_assert(dmasim_suite_is_suite_file(SCN "pass.suite.yaml"));
	ck_assert(!dmasim_suite_is_suite_file(SCN "arm64-offset.yaml"));
	ck_assert(!dmasim_suite_is_suite_file(SCN "no-such-file.yaml"));
}
END_TEST

/* p2pdma bus-offset sign bug (drivers/pci/p2pdma.c, pci_p2pdma_map_sg <= v5.15):
 * the pair is unsound under linux-5.15 and sound under linux-6.12. */
START_TEST(test_pair_report_sign_bug_unsound_on_5_15)
{
	struct dmasim_topo *t = tu_load_file(SCN "arm64-offset.yaml");
	struct dmasim_pair_report p;

	ck_assert_int_eq(dmasim_pair_report(t, dmasim_policy_builtin("linux-5.15"),
					    tu_dev(t, "nvme0"), tu_dev(t, "gpu0"), &p, NULL), 0);
	ck_assert(p.mapped);
	ck_assert_int_eq(p.map_type, DMASIM_MAP_BUS_ADDR);
	ck_assert_uint_eq(p.dma_addr, 0x810000000ull);
	ck_assert_int_eq(p.verdict, DMASIM_VERDICT_UNSOUND);
	ck_assert_int_eq(p.landed.kind, DMASIM_LAND_RAM);
	ck_assert_int_eq(dmasim_pair_report(t, dmasim_policy_builtin("linux-6.12"),
					    tu_dev(t, "nvme0"), tu_dev(t, "gpu0"), &p, NULL), 0);
	ck_assert_uint_eq(p.dma_addr, 0x10000000ull);
	ck_assert_int_eq(p.verdict, DMASIM_VERDICT_SOUND);
	dmasim_topo_destroy(t);
}
END_TEST

/* Run the CLI; return its exit status and its stdout in @out (malloc'd). */
static int run_cli(const char *args, char **out)
{
	char cmd[2048], *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *p;
	int status;

	snprintf(cmd, sizeof(cmd), "%s %s 2>/dev/null", DMASIM_CLI, args);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		n = fread(buf + len, 1, cap - len - 1, p);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	status = pclose(p);
	*out = buf;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

START_TEST(test_cli_check_exit_codes_and_tap)
{
	char *out;

	ck_assert_int_eq(run_cli("check " SCN "pass.suite.yaml", &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "TAP version 13"));
	ck_assert_ptr_nonnull(strstr(out, "\n1..10\n"));
	free(out);
	ck_assert_int_eq(run_cli("check " SCN "fail.suite.yaml", &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "not ok 2 - fail.suite.yaml:8 wrong distance and map type"));
	ck_assert_ptr_nonnull(strstr(out, "distance: expected 99, got 4"));
	free(out);
	ck_assert_int_eq(run_cli("check " SCN "bad-device.suite.yaml", &out), 2);
	free(out);
	ck_assert_int_eq(run_cli("check /nonexistent", &out), 2);
	free(out);
}
END_TEST

START_TEST(test_cli_check_junit_is_xml_and_json_parses)
{
	char *out, *xml, path[] = "/tmp/dmasim-junit-XXXXXX";
	int fd = mkstemp(path);
	char args[512];

	ck_assert_int_ge(fd, 0);
	snprintf(args, sizeof(args), "check --junit %s " SCN "fail.suite.yaml " SCN
		 "pass.suite.yaml", path);
	ck_assert_int_eq(run_cli(args, &out), 1);
	free(out);
	xml = tu_read_file(path, NULL);
	ck_assert_msg(wf_xml(xml), "not well-formed XML:\n%s", xml);
	ck_assert_ptr_nonnull(strstr(xml, "tests=\"13\" failures=\"2\""));
	ck_assert_ptr_nonnull(strstr(xml, "<failure message=\""));
	free(xml);
	unlink(path);
	ck_assert_int_eq(run_cli("check --json " SCN "fail.suite.yaml", &out), 1);
	ck_assert_msg(wf_json(out), "not JSON:\n%s", out);
	ck_assert_ptr_nonnull(strstr(out, "\"failed\": 2"));
	free(out);
}
END_TEST

START_TEST(test_cli_audit_finds_unsound_pair)
{
	char *out;

	ck_assert_int_eq(run_cli("audit --policy linux-5.15 " SCN "arm64-offset.yaml", &out), 1);
	/* initiator gpu0 writes target nvme0: the way the data flows */
	ck_assert_ptr_nonnull(strstr(out, "UNSOUND      gpu0 -> nvme0: bus_addr"));
	ck_assert_ptr_nonnull(strstr(out, "lands ram 0x810000000"));
	ck_assert_ptr_nonnull(strstr(out, "summary: 1 pairs: 0 sound, 1 unsound, 0 conservative"));
	free(out);
	ck_assert_int_eq(run_cli("audit --policy linux-6.12 " SCN "arm64-offset.yaml", &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "summary: 1 pairs: 1 sound, 0 unsound, 0 conservative"));
	free(out);
	ck_assert_int_eq(run_cli("audit --json --policy linux-5.15 " SCN "arm64-offset.yaml", &out), 1);
	ck_assert(wf_json(out));
	free(out);
}
END_TEST

START_TEST(test_cli_matrix_and_diff)
{
	char *out;

	ck_assert_int_eq(run_cli("matrix " SCN "arm64-offset.yaml", &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "nvme0  BUS0   BUS4"));
	ck_assert_ptr_nonnull(strstr(out, "Legend:"));
	free(out);
	ck_assert_int_eq(run_cli("matrix --json " SCN "arm64-offset.yaml", &out), 0);
	ck_assert(wf_json(out));
	ck_assert_ptr_nonnull(strstr(out, "\"distance\":[[0,4],[4,0]]"));
	free(out);
	ck_assert_int_eq(run_cli("diff --policy linux-5.15 --policy linux-6.12 " SCN
				 "arm64-offset.yaml", &out), 0);
	/* gpu0 (the initiator) writes nvme0's p2pmem (the target) */
	ck_assert_ptr_nonnull(strstr(out, "  initiator \\ target  nvme0\n"
					  "  gpu0                BUS4 unsound -> BUS4 sound\n"));
	ck_assert_ptr_nonnull(strstr(out, "1 of 2 pairs change"));
	free(out);
	ck_assert_int_eq(run_cli("diff --policy linux-6.12 " SCN "arm64-offset.yaml", &out), 2);
	free(out);
}
END_TEST


/* ---- several policies (docs/suite.md, "Several policies") ---- */

/* Load @text as SCN "t.suite.yaml" (so skylake-plx.yaml resolves); expect
 * an error at @line:@col whose message holds @want. */
static void expect_text_error(const char *text, unsigned line, unsigned col, const char *want)
{
	struct dmasim_suite *s = NULL;
	struct dmasim_error err;
	char buf[600];

	dmasim_error_init(&err);
	ck_assert_int_ne(dmasim_suite_load_string(text, strlen(text), SCN "t.suite.yaml", NULL,
						  &s, &err), DMASIM_OK);
	ck_assert_ptr_null(s);
	dmasim_error_snprintf(buf, sizeof(buf), &err);
	ck_assert_msg(err.line == line && err.column == col && strstr(err.msg, want),
		      "expected %u:%u '%s', got %s", line, col, want, buf);
	ck_assert_msg(strstr(err.file, "t.suite.yaml") != NULL, "error names %s", err.file);
}

#define HEAD "dmasim: 1\ntopology: skylake-plx.yaml\n"
#define P2P  "  - p2p: { provider: nvme0, clients: [nic0] }\n"

START_TEST(test_suite_policies_load_errors)
{
	expect_text_error(HEAD "policy: linux-6.12\npolicies: [linux-4.20]\ncases: []\n", 4, 11,
			  "not both");
	expect_text_error(HEAD "policies: []\ncases: []\n", 3, 11, "policies lists no policy");
	expect_text_error(HEAD "policies: [linux-4.20, linux-6.12, linux-4.20]\ncases: []\n", 3, 36,
			  "'linux-4.20' is listed twice (first at line 3, column 12)");
	expect_text_error(HEAD "policies: [linux-6.19, mainline]\ncases: []\n", 3, 24,
			  "'mainline' is the built-in policy 'linux-6.19' again");
	expect_text_error(HEAD "policies: [linux-4.20, linux-9.99]\ncases: []\n", 3, 24,
			  "'linux-9.99' is neither a built-in policy");
	/* an expect key naming a policy the suite does not run */
	expect_text_error(HEAD "policies: [linux-4.20, linux-6.12]\ncases:\n" P2P
			  "    expect: { linux-5.15: { distance: 6 } }\n", 6, 15,
			  "expect names the policy 'linux-5.15', which is not one of the suite's policies (linux-4.20, linux-6.12)");
	/* ...and a misspelt one: did you mean */
	expect_text_error(HEAD "policies: [linux-4.20, linux-6.12]\ncases:\n" P2P
			  "    expect: { linux-6.21: { distance: 6 } }\n", 6, 15,
			  "did you mean 'linux-6.12'?");
	expect_text_error(HEAD "policies: [linux-4.20, linux-6.12]\ncases:\n" P2P
			  "    expect: { linux-6.12: { distance: 6 } }\n", 6, 13,
			  "expect gives values for some policies but not for 'linux-4.20'");
	expect_text_error(HEAD "policies: [linux-4.20, linux-6.12]\ncases:\n" P2P
			  "    policies: [linux-6.12]\n"
			  "    expect: { linux-4.20: {}, linux-6.12: {} }\n", 7, 27,
			  "expect gives values for the policy 'linux-4.20', which this case does not run under");
	expect_text_error(HEAD "policies: [linux-4.20, linux-6.12]\ncases:\n" P2P
			  "    policies: [linux-6.21]\n    expect: {}\n", 6, 16,
			  "the case's policies names the policy 'linux-6.21'");
	expect_text_error(HEAD "policies: [linux-4.20, linux-6.12]\ncases:\n" P2P
			  "    policies: []\n    expect: {}\n", 6, 15, "lists no policy");
	expect_text_error(HEAD "policies: [linux-4.20, linux-6.12]\ncases:\n" P2P
			  "    expect: { linux-6.12: { bridge: none }, distance: 6 }\n", 6, 37,
			  "expect key 'bridge' does not apply to a case of kind 'p2p'");
	/* the keys of a policy's own mapping are expect keys only */
	expect_text_error(HEAD "policies: [linux-4.20, linux-6.12]\ncases:\n" P2P
			  "    expect: { distance: 6, linux-6.12: { linux-4.20: {} } }\n", 6, 42,
			  "unknown key 'linux-4.20' in expect under linux-6.12");
}
END_TEST

/* No built-in policy name is an expect key, so an expect key is never
 * mistaken for a policy (a policy file's name has a '/' or ".yaml"). */
START_TEST(test_suite_policy_names_are_not_expect_keys)
{
	static const char *const keys[] = { "bridge", "map_type", "distance", "dma_addr",
					    "lands", "error", "via", "warnings", "verdict" };
	const char *const *names = dmasim_policy_builtin_names();
	size_t i, j;

	for (i = 0; names[i]; i++)
		for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
			ck_assert_str_ne(names[i], keys[j]);
	for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
		ck_assert_ptr_null(dmasim_policy_builtin(keys[j]));
}
END_TEST

START_TEST(test_suite_policies_run_each_case_under_each)
{
	struct dmasim_suite *s = load_suite(SCN "multi.suite.yaml");
	struct collected *c = calloc(1, sizeof(*c));
	size_t failed = 99, i;

	ck_assert_uint_eq(dmasim_suite_npolicies(s), 3);
	ck_assert_str_eq(dmasim_suite_policy_name(s, 0), "seed-2018");
	ck_assert_str_eq(dmasim_suite_policy_at(s, 2)->name, "linux-6.12");
	ck_assert_ptr_null(dmasim_suite_policy_at(s, 3));
	ck_assert(!dmasim_suite_case_runs(s, 2, 0));
	ck_assert(dmasim_suite_case_runs(s, 2, 2));
	ck_assert_int_eq(dmasim_suite_run(s, collect, c, &failed, NULL), DMASIM_OK);
	ck_assert_uint_eq(c->n, 9);
	ck_assert_uint_eq(failed, 0);
	for (i = 0; i < c->n; i++) {
		ck_assert_uint_eq(c->r[i].index, i % 3);
		ck_assert_uint_eq(c->r[i].policy_index, i / 3);
		ck_assert_msg(c->r[i].passed != c->r[i].skipped, "result %zu: %s\n%s", i,
			      c->r[i].name, c->r[i].failures);
	}
	/* policy by policy: seed-2018 first, the per-policy values applied */
	ck_assert_str_eq(c->r[0].policy, "seed-2018");
	ck_assert_ptr_nonnull(strstr(c->r[0].got, "bridge: 0000:02:00.0"));
	ck_assert_ptr_nonnull(strstr(c->r[3].got, "bridge: 0000:01:00.0"));
	ck_assert_ptr_nonnull(strstr(c->r[4].got, "map_type: not_supported"));
	/* the mapping case runs under linux-6.12 only, and says so elsewhere */
	ck_assert(c->r[2].skipped && c->r[5].skipped && !c->r[8].skipped);
	ck_assert_str_eq(c->r[5].policy, "linux-4.20");
	free(c);
	dmasim_suite_destroy(s);
}
END_TEST

START_TEST(test_suite_policies_failure_names_the_policy)
{
	struct dmasim_suite *s = load_suite(SCN "multi-fail.suite.yaml");
	struct collected *c = calloc(1, sizeof(*c));
	size_t failed = 0;
	char *out;

	ck_assert_int_eq(dmasim_suite_run(s, collect, c, &failed, NULL), DMASIM_OK);
	ck_assert_uint_eq(c->n, 2);
	ck_assert_uint_eq(failed, 1);
	ck_assert(!c->r[0].passed);
	ck_assert_str_eq(c->r[0].policy, "linux-4.20");
	ck_assert_ptr_nonnull(strstr(c->r[0].failures,
				     "map_type: expected thru_host_bridge, got not_supported"));
	ck_assert(c->r[1].passed);
	ck_assert_str_eq(c->r[1].policy, "linux-6.12");
	free(c);
	dmasim_suite_destroy(s);
	ck_assert_int_eq(run_cli("check " SCN "multi-fail.suite.yaml", &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "not ok 1 - multi-fail.suite.yaml:6 nvme0 -> nic0 goes "
					  "through the host bridge [linux-4.20]\n"));
	ck_assert_ptr_nonnull(strstr(out, "ok 2 - multi-fail.suite.yaml:6 nvme0 -> nic0 goes "
					  "through the host bridge [linux-6.12]\n"));
	free(out);
	ck_assert_int_eq(run_cli("check --json " SCN "multi-fail.suite.yaml", &out), 1);
	ck_assert(wf_json(out));
	ck_assert_ptr_nonnull(strstr(out, "\"policy\": \"linux-4.20\""));
	ck_assert_ptr_nonnull(strstr(out, "\"failed\": 1"));
	free(out);
}
END_TEST


/* JUnit, report and validate name each policy; not-run cases show. */
START_TEST(test_cli_policies_in_junit_report_validate)
{
	char *out, *xml, path[] = "/tmp/dmasim-junit-XXXXXX", html[] = "/tmp/dmasim-rep-XXXXXX";
	int fd = mkstemp(path), hfd = mkstemp(html);
	char args[1024];

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(hfd, 0);
	snprintf(args, sizeof(args), "check --junit %s " SCN "multi.suite.yaml " SCN
		 "multi-fail.suite.yaml", path);
	ck_assert_int_eq(run_cli(args, &out), 1);
	free(out);
	xml = tu_read_file(path, NULL);
	ck_assert_msg(wf_xml(xml), "not well-formed XML:\n%s", xml);
	ck_assert_ptr_nonnull(strstr(xml, "tests=\"11\" failures=\"1\" errors=\"0\" skipped=\"2\""));
	ck_assert_ptr_nonnull(strstr(xml, "multi.suite.yaml [seed-2018]\" tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"1\""));
	ck_assert_ptr_nonnull(strstr(xml, "name=\"nvme0 -&gt; nic0 goes through the host bridge [linux-4.20]\""));
	ck_assert_ptr_nonnull(strstr(xml, "<skipped message=\"not run under linux-4.20"));
	free(xml);
	unlink(path);
	snprintf(args, sizeof(args), "report -o %s %s/skylake-plx.yaml --suite " SCN
		 "multi-fail.suite.yaml", html, SCN);
	ck_assert_int_eq(run_cli(args, &out), 1);
	free(out);
	xml = tu_read_file(html, NULL);
	ck_assert_ptr_nonnull(strstr(xml, "policies linux-4.20, linux-6.12, 1 case."));
	ck_assert_ptr_nonnull(strstr(xml, "scope=\"rowgroup\">under linux-4.20</th>"));
	ck_assert_ptr_nonnull(strstr(xml, "1 of 2 runs (a case under a policy) failed; 0 not run."));
	free(xml);
	unlink(html);
	ck_assert_int_eq(run_cli("validate " SCN "multi.suite.yaml", &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "policies seed-2018, linux-4.20, linux-6.12)"));
	free(out);
}
END_TEST


/* A policy file named like an expect key: its key in expect is its file
 * name, and its value replaces the common key under that policy only. */
START_TEST(test_suite_policies_policy_file_key)
{
	static const char one[] = "dmasim: 1\ntopology: skylake-plx.yaml\npolicy: pol/map_type.yaml\n"
				  "cases: []\n";
	struct dmasim_suite *s = load_suite(SCN "policy-file.suite.yaml");
	struct collected *c = calloc(1, sizeof(*c));
	size_t failed = 99;

	ck_assert_str_eq(dmasim_suite_policy_at(s, 0)->name, "map_type");
	ck_assert_str_eq(dmasim_suite_policy_name(s, 0), "pol/map_type.yaml");
	ck_assert_int_eq(dmasim_suite_run(s, collect, c, &failed, NULL), DMASIM_OK);
	ck_assert_uint_eq(c->n, 2);
	ck_assert_uint_eq(failed, 0);
	ck_assert_str_eq(c->r[0].policy, "pol/map_type.yaml");
	ck_assert_ptr_nonnull(strstr(c->r[0].got, "map_type: not_supported"));
	ck_assert_ptr_nonnull(strstr(c->r[1].got, "map_type: thru_host_bridge"));
	free(c);
	dmasim_suite_destroy(s);
	/* policy: (one) reports under the policy's own name, as before */
	ck_assert_int_eq(dmasim_suite_load_string(one, strlen(one), SCN "t.suite.yaml", NULL, &s,
						  NULL), DMASIM_OK);
	ck_assert_uint_eq(dmasim_suite_npolicies(s), 1);
	ck_assert_str_eq(dmasim_suite_policy_name(s, 0), "map_type");
	dmasim_suite_destroy(s);
}
END_TEST

static Suite *scenario_suite(void)
{
	Suite *s = suite_create("scenario");
	TCase *tc = tcase_create("Suites");

	tcase_add_test(tc, test_suite_every_case_kind_passes);
	tcase_add_test(tc, test_suite_failing_expectations_say_expected_and_got);
	tcase_add_test(tc, test_suite_bad_input_is_positioned);
	tcase_add_test(tc, test_suite_inline_topology);
	tcase_add_test(tc, test_suite_every_expect_key_is_checked);
	tcase_add_test(tc, test_suite_file_detection);
	tcase_add_test(tc, test_pair_report_sign_bug_unsound_on_5_15);
	suite_add_tcase(s, tc);
	tc = tcase_create("Cli");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cli_check_exit_codes_and_tap);
	tcase_add_test(tc, test_cli_check_junit_is_xml_and_json_parses);
	tcase_add_test(tc, test_cli_audit_finds_unsound_pair);
	tcase_add_test(tc, test_cli_matrix_and_diff);
	tcase_add_test(tc, test_suite_policies_load_errors);
	tcase_add_test(tc, test_suite_policy_names_are_not_expect_keys);
	tcase_add_test(tc, test_suite_policies_run_each_case_under_each);
	tcase_add_test(tc, test_suite_policies_failure_names_the_policy);
	tcase_add_test(tc, test_cli_policies_in_junit_report_validate);
	tcase_add_test(tc, test_suite_policies_policy_file_key);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(scenario_suite());
}
