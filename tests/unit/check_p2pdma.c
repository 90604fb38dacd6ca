/*
 * dmasim tests -- the kernel's P2P decisions (src/kernel): the common
 * upstream device (p2pdma walk and pci_find_common_upstream_dev),
 * calc_map_type_and_dist / upstream_bridge_distance /
 * pci_peer_traffic_supported, pci_p2pdma_distance_many, the warning lines,
 * and the index against the kernel's literal walk.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

#define P2P_DATA DMASIM_TEST_DATA "/p2p/"

/* ---- helpers --------------------------------------------------------- */

/* Load tests/data/p2p/@file with textual substitutions: pairs of
 * (from, to), NULL-terminated; each @from must occur. */
static struct dmasim_topo *load_var(const char *file, ...)
{
	char path[1024];
	char *text;
	const char *from, *to;
	struct dmasim_topo *t;
	va_list ap;

	snprintf(path, sizeof(path), "%s%s", P2P_DATA, file);
	text = tu_read_file(path, NULL);
	va_start(ap, file);
	while ((from = va_arg(ap, const char *)) != NULL) {
		char *hit, *n;
		size_t lf, lt, len;

		to = va_arg(ap, const char *);
		hit = strstr(text, from);
		ck_assert_msg(hit != NULL, "'%s' not in %s", from, file);
		lf = strlen(from);
		lt = strlen(to);
		len = strlen(text);
		n = malloc(len - lf + lt + 1);
		ck_assert_ptr_nonnull(n);
		memcpy(n, text, (size_t)(hit - text));
		memcpy(n + (hit - text), to, lt);
		strcpy(n + (hit - text) + lt, hit + lf);
		free(text);
		text = n;
	}
	va_end(ap);
	t = tu_load(text);
	free(text);
	return t;
}

static const struct dmasim_policy *pol(const char *name)
{
	const struct dmasim_policy *p = dmasim_policy_builtin(name);

	ck_assert_msg(p != NULL, "no built-in policy %s", name);
	return p;
}

/*
 * The map type of provider -> client under @policy, verbose, into @log
 * (may be NULL); checks on the way that the kernel's literal walk
 * (DMASIM_P2P_NAIVE) gives the same answer, distance and lines.
 */
static enum dmasim_map_type mt(const struct dmasim_topo *t,
			       const struct dmasim_policy *p, const char *prov,
			       const char *client, int *dist,
			       struct dmasim_log *log)
{
	const struct dmasim_device *a = tu_dev(t, prov), *b = tu_dev(t, client);
	struct dmasim_log l1, l2;
	enum dmasim_map_type m1, m2, m3;
	int d1 = -99, d2 = -98, d3 = -97;

	dmasim_log_init(&l1);
	dmasim_log_init(&l2);
	m1 = dmasim_p2p_map_type(t, p, a, b, &d1, DMASIM_P2P_VERBOSE, &l1);
	m2 = dmasim_p2p_map_type(t, p, a, b, &d2,
				 DMASIM_P2P_VERBOSE | DMASIM_P2P_NAIVE, &l2);
	m3 = dmasim_p2p_map_type(t, p, a, b, &d3, 0, NULL);
	ck_assert_int_eq(m1, m2);
	ck_assert_int_eq(m1, m3);
	ck_assert_int_eq(d1, d2);
	ck_assert_int_eq(d1, d3);
	ck_assert_str_eq(l1.text, l2.text);
	if (dist)
		*dist = d1;
	if (log)
		*log = l1;
	return m1;
}

static const char *up(const struct dmasim_topo *t, const struct dmasim_policy *p,
		      const char *a, const char *b)
{
	const struct dmasim_device *x = tu_dev(t, a), *y = tu_dev(t, b);
	const struct dmasim_device *u1 = dmasim_p2p_upstream(t, p, x, y, 0);
	const struct dmasim_device *u2 =
		dmasim_p2p_upstream(t, p, x, y, DMASIM_P2P_NAIVE);

	ck_assert_ptr_eq(u1, u2);
	return u1 ? u1->name : "none";
}

#define SW_DSP0_ACS "name: dsp0\n                acs: { cap: [sv, rr, cr, uf, ec], ctrl: []"
#define SW_DSP1_ACS "name: dsp1\n                acs: { cap: [sv, rr, cr, uf, ec], ctrl: []"
#define SW_DSP0_RRCR "name: dsp0\n                acs: { cap: [sv, rr, cr, uf, ec], ctrl: [rr, cr]"
#define SW_DSP1_RRCR "name: dsp1\n                acs: { cap: [sv, rr, cr, uf, ec], ctrl: [rr, cr]"
#define SW_ROOT "vendor: 0x8086, device: 0x2020, name: host0"

/* ---- calc_map_type_and_dist: one switch ------------------------------ */

START_TEST(test_calc_map_type_and_dist_same_switch_no_acs)
{
	/* KERNEL.md §8 scenario 2: BUS_ADDR, dist 4 (EP-DSP-USP-DSP-EP). */
	struct dmasim_topo *t = load_var("switch.yaml", NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep1", &d, &log),
			 DMASIM_MAP_BUS_ADDR);
	ck_assert_int_eq(d, 4);
	ck_assert_uint_eq(log.nlines, 0);
	ck_assert_int_eq(mt(t, pol("linux-5.15"), "ep0", "ep1", &d, NULL),
			 DMASIM_MAP_BUS_ADDR);
	ck_assert_int_eq(d, 4);
	ck_assert_str_eq(up(t, pol("linux-6.12"), "ep0", "ep1"), "usp");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_calc_map_type_and_dist_same_switch_acs_redirect)
{
	/* Scenario 3: both DSPs RR|CR -> THRU_HOST_BRIDGE (8086:2020 is
	 * whitelisted), dist 4, provider-side entry first in the list. */
	struct dmasim_topo *t = load_var("switch.yaml", SW_DSP0_ACS, SW_DSP0_RRCR,
					 SW_DSP1_ACS, SW_DSP1_RRCR, NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep1", &d, &log),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, 4);
	ck_assert_str_eq(log.text,
		"pci 0000:04:00.0: ACS redirect is set between the client and provider (0000:03:00.0)\n"
		"pci 0000:04:00.0: to disable ACS redirect for this path, add the kernel parameter: pci=disable_acs_redir=0000:02:00.0;0000:02:01.0\n");
	/* The other direction lists the other provider side first. */
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep1", "ep0", &d, &log),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert(dmasim_log_contains(&log, "pci=disable_acs_redir=0000:02:01.0;0000:02:00.0\n") ||
		  strstr(log.text, "pci=disable_acs_redir=0000:02:01.0;0000:02:00.0") != NULL);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_calc_map_type_and_dist_acs_not_whitelisted)
{
	/* Scenario 4: root device 8086:1234, Intel CPU: NOT_SUPPORTED; the
	 * whitelist warning is printed (acs_redirects), against the root
	 * device; distance_many is -1 while the pair's dist stays 4. */
	struct dmasim_topo *t = load_var("switch.yaml", SW_DSP0_ACS, SW_DSP0_RRCR,
					 SW_DSP1_ACS, SW_DSP1_RRCR, SW_ROOT,
					 "vendor: 0x8086, device: 0x1234, name: host0",
					 NULL);
	const struct dmasim_device *c[1];
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep1", &d, &log),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, 4);
	ck_assert_str_eq(log.text,
		"pci 0000:04:00.0: ACS redirect is set between the client and provider (0000:03:00.0)\n"
		"pci 0000:04:00.0: to disable ACS redirect for this path, add the kernel parameter: pci=disable_acs_redir=0000:02:00.0;0000:02:01.0\n"
		"pci 0000:00:00.0: Host bridge not in P2PDMA whitelist: 8086:1234\n"
		"pci 0000:04:00.0: cannot be used for peer-to-peer DMA as the client and provider (0000:03:00.0) do not share an upstream bridge or whitelisted host bridge\n");
	c[0] = tu_dev(t, "ep1");
	ck_assert_int_eq(dmasim_p2p_distance_many(t, pol("linux-6.12"), tu_dev(t, "ep0"),
						  c, 1, 0, NULL), -1);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_calc_map_type_and_dist_acs_one_side)
{
	/* Only the client's DSP redirects: still THRU_HOST_BRIDGE; the list
	 * holds just that port. */
	struct dmasim_topo *t = load_var("switch.yaml", SW_DSP1_ACS, SW_DSP1_RRCR, NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep1", &d, &log),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, 4);
	ck_assert(dmasim_log_contains(&log, "pci=disable_acs_redir=0000:02:01.0\n"));
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_calc_map_type_and_dist_acs_on_common_ancestor)
{
	/* The common ancestor's own RR counts (KERNEL.md §2.4): give the
	 * switch upstream port an ACS capability with RR set. */
	struct dmasim_topo *t = load_var("switch.yaml",
		"name: usp\n", "name: usp\n            acs: { cap: [rr], ctrl: [rr] }\n",
		NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep1", &d, &log),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, 4);
	ck_assert(dmasim_log_contains(&log, "pci=disable_acs_redir=0000:01:00.0\n"));
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_calc_map_type_and_dist_acs_above_common_ancestor_ignored)
{
	/* RR on the root port above the switch is not on the path. */
	struct dmasim_topo *t = load_var("switch.yaml",
		"name: rp1\n", "name: rp1\n        acs: { cap: [rr, cr], ctrl: [rr, cr] }\n",
		NULL);
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep1", &d, NULL),
			 DMASIM_MAP_BUS_ADDR);
	ck_assert_int_eq(d, 4);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_calc_map_type_and_dist_same_function)
{
	/* Scenario 1: provider == client: BUS_ADDR, dist 0. */
	struct dmasim_topo *t = load_var("switch.yaml", NULL);
	const struct dmasim_device *c[1];
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep0", &d, NULL),
			 DMASIM_MAP_BUS_ADDR);
	ck_assert_int_eq(d, 0);
	c[0] = tu_dev(t, "ep0");
	ck_assert_int_eq(dmasim_p2p_distance_many(t, pol("linux-6.12"), c[0], c, 1,
						  0, NULL), 0);
	ck_assert_str_eq(up(t, pol("linux-6.12"), "ep0", "ep0"), "ep0");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_calc_map_type_and_dist_same_function_with_acs)
{
	/* Scenario 1 variant: the function itself has RR set ->
	 * THRU_HOST_BRIDGE (allowed: the root device is whitelisted). */
	struct dmasim_topo *t = load_var("switch.yaml",
		"{ bdf: 06:00.0, type: endpoint, name: fn0 }",
		"{ bdf: 06:00.0, type: endpoint, name: fn0, acs: { cap: [rr], ctrl: [rr] } }",
		NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "fn0", "fn0", &d, &log),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, 0);
	ck_assert(dmasim_log_contains(&log, "pci=disable_acs_redir=0000:06:00.0\n"));
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_calc_map_type_and_dist_functions_under_root_port)
{
	/* Scenario 8: two functions under a root port with RR|CR: dist 2,
	 * THRU_HOST_BRIDGE, the root port is the list. */
	struct dmasim_topo *t = load_var("switch.yaml", NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "fn0", "fn1", &d, &log),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, 2);
	ck_assert(dmasim_log_contains(&log, "pci=disable_acs_redir=0000:00:04.0\n"));
	ck_assert_str_eq(up(t, pol("linux-6.12"), "fn0", "fn1"), "rp4");
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- no common upstream bridge, host-bridge whitelist ----------------- */

START_TEST(test_calc_map_type_and_dist_no_common_bridge_whitelisted)
{
	/* ep0 (depth 3) and ep2 (depth 1) below different root ports: no
	 * common upstream device; dist = chain lengths 4 + 2; 2020 is
	 * whitelisted -> THRU_HOST_BRIDGE, no warning. */
	struct dmasim_topo *t = load_var("switch.yaml", NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep2", &d, &log),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, 6);
	ck_assert_uint_eq(log.nlines, 0);
	ck_assert_str_eq(up(t, pol("linux-6.12"), "ep0", "ep2"), "none");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_calc_map_type_and_dist_no_common_bridge_not_whitelisted)
{
	/* Not whitelisted: NOT_SUPPORTED; the whitelist warning is not
	 * printed (no common upstream bridge, so warn = acs_redirects =
	 * false), only the "do not share" line. */
	struct dmasim_topo *t = load_var("switch.yaml", SW_ROOT,
		"vendor: 0x8086, device: 0x1234, name: host0", NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep2", &d, &log),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, 6);
	ck_assert_str_eq(log.text,
		"pci 0000:05:00.0: cannot be used for peer-to-peer DMA as the client and provider (0000:03:00.0) do not share an upstream bridge or whitelisted host bridge\n");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_host_bridge_whitelist_req_same_host_bridge)
{
	/* Scenario 5: 8086:2f00 is REQ_SAME_HOST_BRIDGE: different root
	 * ports of one host bridge -> THRU_HOST_BRIDGE, dist 2 + 2; across
	 * two host bridges -> NOT_SUPPORTED without a whitelist warning. */
	struct dmasim_topo *t = load_var("two-hb.yaml", NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "a", "b", &d, &log),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, 4);
	ck_assert_uint_eq(log.nlines, 0);
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "a", "c", &d, &log),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, 4);
	ck_assert_str_eq(log.text,
		"pci 0000:81:00.0: cannot be used for peer-to-peer DMA as the client and provider (0000:01:00.0) do not share an upstream bridge or whitelisted host bridge\n");
	ck_assert_int_eq(mt(t, pol("linux-5.15"), "a", "b", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_upstream_bridge_distance_420_no_whitelist)
{
	/* v4.20 has no whitelist: the same-host-bridge pair is -1 with the
	 * 4.20 "do not share an upstream bridge" line. */
	struct dmasim_topo *t = load_var("two-hb.yaml", NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-4.20"), "a", "b", &d, &log),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, -1);
	ck_assert_str_eq(log.text,
		"pci 0000:02:00.0: cannot be used for peer-to-peer DMA as the client and provider (0000:01:00.0) do not share an upstream bridge\n");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_upstream_bridge_distance_420_acs)
{
	/* v4.20 with ACS redirect: -2 and the two 4.20 lines. */
	struct dmasim_topo *t = load_var("switch.yaml", SW_DSP0_ACS, SW_DSP0_RRCR,
					 SW_DSP1_ACS, SW_DSP1_RRCR, NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-4.20"), "ep0", "ep1", &d, &log),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, -2);
	ck_assert_str_eq(log.text,
		"pci 0000:04:00.0: cannot be used for peer-to-peer DMA as ACS redirect is set between the client and provider (0000:03:00.0)\n"
		"pci 0000:04:00.0: to disable ACS redirect for this path, add the kernel parameter: pci=disable_acs_redir=0000:02:00.0;0000:02:01.0\n");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_upstream_bridge_distance_420_same_switch)
{
	struct dmasim_topo *t = load_var("switch.yaml", NULL);
	int d;

	ck_assert_int_eq(mt(t, pol("linux-4.20"), "ep0", "ep1", &d, NULL),
			 DMASIM_MAP_BUS_ADDR);
	ck_assert_int_eq(d, 4);
	dmasim_topo_destroy(t);
}
END_TEST

Suite *p2pdma_suite(void);
Suite *p2pdma_suite(void)
{
	Suite *s = suite_create("p2pdma");
	TCase *tc = tcase_create("Calc");

	tcase_add_test(tc, test_calc_map_type_and_dist_same_switch_no_acs);
	tcase_add_test(tc, test_calc_map_type_and_dist_same_switch_acs_redirect);
	tcase_add_test(tc, test_calc_map_type_and_dist_acs_not_whitelisted);
	tcase_add_test(tc, test_calc_map_type_and_dist_acs_one_side);
	tcase_add_test(tc, test_calc_map_type_and_dist_acs_on_common_ancestor);
	tcase_add_test(tc, test_calc_map_type_and_dist_acs_above_common_ancestor_ignored);
	tcase_add_test(tc, test_calc_map_type_and_dist_same_function);
	tcase_add_test(tc, test_calc_map_type_and_dist_same_function_with_acs);
	tcase_add_test(tc, test_calc_map_type_and_dist_functions_under_root_port);
	suite_add_tcase(s, tc);
	tc = tcase_create("Whitelist");
	tcase_add_test(tc, test_calc_map_type_and_dist_no_common_bridge_whitelisted);
	tcase_add_test(tc, test_calc_map_type_and_dist_no_common_bridge_not_whitelisted);
	tcase_add_test(tc, test_host_bridge_whitelist_req_same_host_bridge);
	suite_add_tcase(s, tc);
	tc = tcase_create("Linux420");
	tcase_add_test(tc, test_upstream_bridge_distance_420_no_whitelist);
	tcase_add_test(tc, test_upstream_bridge_distance_420_acs);
	tcase_add_test(tc, test_upstream_bridge_distance_420_same_switch);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(p2pdma_suite());
}
