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
#include <sys/wait.h>

#include "testutil.h"
#include "kernel/kernel_int.h"

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
	/* calc_map_type_and_dist (drivers/pci/p2pdma.c): BUS_ADDR, dist 4 (EP-DSP-USP-DSP-EP). */
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
	/* The common ancestor's own RR counts (calc_map_type_and_dist, drivers/pci/p2pdma.c): give the
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

START_TEST(test_calc_map_type_and_dist_root_port_acs_redir_disabled)
{
	/* Scenario 8 with pci=disable_acs_redir=0000:00:04.0 (RR|CR|EC
	 * cleared, SV|UF kept): BUS_ADDR, dist 2. */
	struct dmasim_topo *t = load_var("switch.yaml",
		"name: rp4\n        acs: { cap: [sv, rr, cr, uf], ctrl: [sv, rr, cr, uf] }",
		"name: rp4\n        acs: { cap: [sv, rr, cr, uf], ctrl: [sv, uf] }", NULL);
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "fn0", "fn1", &d, NULL),
			 DMASIM_MAP_BUS_ADDR);
	ck_assert_int_eq(d, 2);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_pci_bridge_has_acs_redir_egress_control)
{
	/* EC alone counts as redirect (ctrl & 0x002c); SV|UF|TB|DT do not. */
	struct dmasim_topo *t = load_var("switch.yaml", SW_DSP0_ACS,
		"name: dsp0\n                acs: { cap: [sv, rr, cr, uf, ec], ctrl: [ec]", NULL);
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep1", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	dmasim_topo_destroy(t);
	t = load_var("switch.yaml", SW_DSP0_ACS,
		"name: dsp0\n                acs: { cap: [sv, tb, rr, cr, uf, ec, dt], ctrl: [sv, tb, uf, dt]",
		NULL);
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep1", &d, NULL),
			 DMASIM_MAP_BUS_ADDR);
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


/* ---- cpu_supports_p2pdma, the whitelist's root device --------------- */

#define TWO_HB_CPU "cpu: { vendor: intel, family: 6 }"

START_TEST(test_cpu_supports_p2pdma_amd_zen)
{
	/* Scenario 7: AMD family 0x19, two host bridges with root devices
	 * that no table lists: 5.15/6.12 THRU_HOST_BRIDGE (the CPU rule
	 * short-circuits the whitelist), 4.20 -1. */
	struct dmasim_topo *t = load_var("two-hb.yaml", TWO_HB_CPU,
		"cpu: { vendor: amd, family: 0x19 }",
		"device: 0x2f00, name: host0", "device: 0x1234, name: host0",
		"device: 0x2f00, name: host1", "device: 0x1234, name: host1", NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "a", "c", &d, &log),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, 4);
	ck_assert_uint_eq(log.nlines, 0);
	ck_assert_int_eq(mt(t, pol("linux-5.15"), "a", "c", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(mt(t, pol("linux-4.20"), "a", "c", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, -1);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_cpu_supports_p2pdma_amd_before_zen)
{
	/* Family 0x16 (pre-Zen) does not qualify. */
	struct dmasim_topo *t = load_var("two-hb.yaml", TWO_HB_CPU,
		"cpu: { vendor: amd, family: 0x16 }",
		"device: 0x2f00, name: host0", "device: 0x1234, name: host0", NULL);
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "a", "b", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, 4);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_cpu_supports_p2pdma_x86_only_arm64_root_port)
{
	/* arm64, root port 19e5:a120 at 00.0: not whitelisted, and the CPU
	 * rule is x86-only (even an "amd" CPU entry would not count).  Below
	 * the root port with RR the whitelist warning is printed against
	 * 00:00.0; across root ports there is no common bridge and no
	 * whitelist warning. */
	struct dmasim_topo *t = load_var("arm64-rp.yaml",
		"cpu: { vendor: arm, family: 8 }", "cpu: { vendor: amd, family: 0x19 }",
		NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "f0", "f1", &d, &log),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, 2);
	ck_assert_str_eq(log.text,
		"pci 0000:01:00.1: ACS redirect is set between the client and provider (0000:01:00.0)\n"
		"pci 0000:01:00.1: to disable ACS redirect for this path, add the kernel parameter: pci=disable_acs_redir=0000:00:00.0\n"
		"pci 0000:00:00.0: Host bridge not in P2PDMA whitelist: 19e5:a120\n"
		"pci 0000:01:00.1: cannot be used for peer-to-peer DMA as the client and provider (0000:01:00.0) do not share an upstream bridge or whitelisted host bridge\n");
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "f0", "e2", &d, &log),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, 4);
	ck_assert(!dmasim_log_contains(&log, "whitelist:"));
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_pci_host_bridge_dev_root_port_first_at_02_0)
{
	/* drivers/pci/p2pdma.c pci_host_bridge_dev(), commit 1af7c26c59eb
	 * (v5.19, "Whitelist Intel Skylake-E Root Ports at any devfn"): the
	 * first device on the root bus is the whitelisted root port
	 * 8086:2032 at 02.0 (file order does not matter: the kernel scans
	 * in devfn order).  linux-5.15 (devfn 00.0 only) refuses; linux-6.12
	 * accepts a Root Port at any devfn, and so does a policy file that
	 * gives linux-5.15 the root-port clause. */
	struct dmasim_topo *t = load_var("skylake-rp02.yaml", NULL);
	struct dmasim_policy rp;
	struct dmasim_error err;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-5.15"), "a", "b", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, 4);
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "a", "b", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, 4);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_policy_load(DMASIM_TEST_DATA "/policy/skylake-rp.yaml",
					    &rp, &err), DMASIM_OK);
	ck_assert_int_eq(mt(t, &rp, "a", "b", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	dmasim_topo_destroy(t);
	/* The same root port at 00.0 is whitelisted in every table. */
	t = load_var("skylake-rp02.yaml", "bdf: 00:02.0", "bdf: 00:00.0", NULL);
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "a", "b", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(mt(t, pol("linux-5.15"), "a", "b", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_calc_map_type_and_dist_cpu_rule_skips_whitelist_warning)
{
	/* ACS redirect below a non-whitelisted root device, AMD Zen CPU:
	 * cpu_supports_p2pdma() short-circuits, so the whitelist (and its
	 * warning) is never consulted. */
	struct dmasim_topo *t = load_var("switch.yaml", SW_DSP0_ACS, SW_DSP0_RRCR,
		SW_ROOT, "vendor: 0x8086, device: 0x1234, name: host0",
		"cpu: { vendor: intel, family: 6 }", "cpu: { vendor: amd, family: 0x17 }",
		NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep1", &d, &log),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_uint_eq(log.nlines, 2);
	ck_assert(!dmasim_log_contains(&log, "whitelist"));
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_host_bridge_whitelist_no_root_device_no_warning)
{
	/* __host_bridge_whitelist(): no root device (first device at 02.0
	 * under linux-5.15, pci_host_bridge_dev() before v5.19) -> false
	 * without the warning, even though the ACS redirect made warn true. */
	struct dmasim_topo *t = load_var("skylake-rp02.yaml",
		"device: 0x2032\n        children:\n          - { bdf: 01:00.0, type: endpoint, name: a }",
		"device: 0x2032\n        acs: { cap: [rr, cr], ctrl: [rr, cr] }\n"
		"        children:\n          - { bdf: 01:00.0, type: endpoint, name: a }\n"
		"          - { bdf: 01:00.1, type: endpoint, name: a1 }", NULL);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-5.15"), "a", "a1", &d, &log),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, 2);
	ck_assert_uint_eq(log.nlines, 3);
	ck_assert(!dmasim_log_contains(&log, "whitelist:"));
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_host_bridge_whitelist_09a2_only_in_612)
{
	/* Ice Lake-SP 8086:09a2 (≈ v5.18): 6.12 yes, 5.15 no. */
	struct dmasim_topo *t = load_var("switch.yaml", SW_ROOT,
		"vendor: 0x8086, device: 0x09a2, name: host0", NULL);
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep2", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(mt(t, pol("linux-5.15"), "ep0", "ep2", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- policies change the decision ------------------------------------ */

static void load_policy(const char *file, struct dmasim_policy *p)
{
	struct dmasim_error err;
	char path[1024];

	snprintf(path, sizeof(path), "%s/policy/%s", DMASIM_TEST_DATA, file);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_policy_load(path, p, &err), DMASIM_OK);
}

START_TEST(test_policy_acs_redirect_bits_rr_only)
{
	/* A DSP with only CR set: redirect for the kernel (RR|CR|EC), not
	 * for a policy that counts RR only. */
	struct dmasim_topo *t = load_var("switch.yaml", SW_DSP0_ACS,
		"name: dsp0\n                acs: { cap: [sv, rr, cr, uf, ec], ctrl: [cr]",
		NULL);
	struct dmasim_policy p;
	int d;

	load_policy("rr-only.yaml", &p);
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep1", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(mt(t, &p, "ep0", "ep1", &d, NULL), DMASIM_MAP_BUS_ADDR);
	ck_assert_int_eq(d, 4);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_policy_whitelist_any_device_and_replace)
{
	/* replace-any.yaml: Google (1ae0, PCI_ANY_ID) only; the Intel rows
	 * are gone. */
	struct dmasim_topo *t = load_var("switch.yaml", SW_ROOT,
		"vendor: 0x1ae0, device: 0x4242, name: host0", NULL);
	struct dmasim_policy p;
	int d;

	load_policy("replace-any.yaml", &p);
	ck_assert_int_eq(mt(t, &p, "ep0", "ep2", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep0", "ep2", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	dmasim_topo_destroy(t);
	t = load_var("switch.yaml", NULL); /* 8086:2020 */
	ck_assert_int_eq(mt(t, &p, "ep0", "ep2", &d, NULL), DMASIM_MAP_NOT_SUPPORTED);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_policy_whitelist_extend_arm64_and_arch_cpu_rule)
{
	struct dmasim_topo *t = load_var("arm64-rp.yaml", NULL);
	struct dmasim_policy hisi, arm;
	int d;

	load_policy("hisilicon.yaml", &hisi);
	load_policy("arm-rule.yaml", &arm);
	ck_assert_int_eq(mt(t, &hisi, "f0", "e2", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(mt(t, &arm, "f0", "e2", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "f0", "e2", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- the ACS list buffer ---------------------------------------------- */

/* A root port holding a chain of @levels switches (USP -> DSP, every DSP
 * with RR) ending in endpoint "deep"; the first switch also has a second
 * DSP (RR) with endpoint "near".  Provider deep, client near: the path has
 * @levels + 1 redirecting ports. */
static struct dmasim_topo *deep_chain(unsigned levels)
{
	char *y = malloc(65536), indent[256];
	size_t len = 0;
	unsigned i, bus = 1;
	struct dmasim_topo *t;

#define OUT(...) (len += (size_t)snprintf(y + len, 65536 - len, __VA_ARGS__))
	OUT("dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    buses: [0, 0xff]\n"
	    "    devices:\n"
	    "      - { bdf: 00:00.0, type: endpoint, vendor: 0x8086, device: 0x2020 }\n"
	    "      - bdf: 00:01.0\n        type: root-port\n        children:\n");
	for (i = 0; i < levels; i++) {
		unsigned ind = 10 + 8 * i;
		memset(indent, ' ', ind);
		indent[ind] = '\0';
		OUT("%s- bdf: %02x:00.0\n%s  type: switch-upstream\n%s  children:\n",
		    indent, bus, indent, indent);
		bus++;
		OUT("%s    - bdf: %02x:00.0\n%s      type: switch-downstream\n"
		    "%s      acs: { cap: [rr], ctrl: [rr] }\n%s      children:\n",
		    indent, bus, indent, indent, indent);
		bus++;
	}
	memset(indent, ' ', 10 + 8 * levels);
	indent[10 + 8 * levels] = '\0';
	OUT("%s- { bdf: %02x:00.0, type: endpoint, name: deep }\n", indent, bus);
	bus++;
	/* the first switch's second DSP */
	OUT("              - bdf: %02x:01.0\n                type: switch-downstream\n"
	    "                acs: { cap: [rr], ctrl: [rr] }\n                children:\n"
	    "                  - { bdf: %02x:00.0, type: endpoint, name: near }\n",
	    2, bus);
#undef OUT
	t = tu_load(y);
	free(y);
	return t;
}

START_TEST(test_calc_map_type_and_dist_acs_list_128_bytes)
{
	/* v5.11+ collects the list in 128 bytes: 9 entries of 13 characters
	 * fit, the 10th is cut at 127 characters and nothing follows (the
	 * final-';' removal then lands past the buffer). */
	struct dmasim_topo *t = deep_chain(12);
	struct dmasim_log log;
	const char *p;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "deep", "near", &d, &log),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, 2 * 12 + 2);
	p = strstr(log.text, "pci=disable_acs_redir=");
	ck_assert_ptr_nonnull(p);
	p += strlen("pci=disable_acs_redir=");
	ck_assert_uint_eq((size_t)(strchr(p, '\n') - p), 127);
	ck_assert(strncmp(p, "0000:18:00.0;0000:16:00.0;", 26) == 0);
	ck_assert(strncmp(p + 117, "0000:06:00", 10) == 0);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_upstream_bridge_distance_420_acs_list_page)
{
	/* v4.20's PAGE_SIZE buffer holds all 13 entries. */
	struct dmasim_topo *t = deep_chain(12);
	struct dmasim_log log;
	const char *p;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-4.20"), "deep", "near", &d, &log),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, -2);
	p = strstr(log.text, "pci=disable_acs_redir=");
	ck_assert_ptr_nonnull(p);
	p += strlen("pci=disable_acs_redir=");
	ck_assert_uint_eq((size_t)(strchr(p, '\n') - p), 13 * 13 - 1);
	ck_assert(strstr(p, ";0000:02:00.0;0000:02:01.0\n") != NULL);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- pci_p2pdma_distance_many ------------------------------------------ */

START_TEST(test_pci_p2pdma_distance_many_sum_and_failure)
{
	struct dmasim_topo *t = load_var("switch.yaml", SW_ROOT,
		"vendor: 0x8086, device: 0x1234, name: host0", NULL);
	const struct dmasim_device *prov = tu_dev(t, "ep0");
	const struct dmasim_device *c[3];
	struct dmasim_log log;

	c[0] = tu_dev(t, "ep1");  /* bus_addr, 4 */
	c[1] = tu_dev(t, "ep0");  /* bus_addr, 0 */
	c[2] = tu_dev(t, "ep2");  /* no common bridge, not whitelisted */
	ck_assert_int_eq(dmasim_p2p_distance_many(t, pol("linux-6.12"), prov, c, 2,
						  0, NULL), 4);
	ck_assert_int_eq(dmasim_p2p_distance_many(t, pol("linux-6.12"), prov, c, 2,
						  DMASIM_P2P_NAIVE, NULL), 4);
	ck_assert_int_eq(dmasim_p2p_distance_many(t, pol("linux-6.12"), prov, c, 3,
						  0, NULL), -1);
	ck_assert_int_eq(dmasim_p2p_distance_many(t, pol("linux-6.12"), prov, c, 0,
						  0, NULL), -1);
	ck_assert_int_eq(dmasim_p2p_distance_many(t, pol("linux-4.20"), prov, c, 2,
						  0, NULL), 4);
	/* The seed has no distance. */
	ck_assert_int_eq(dmasim_p2p_distance_many(t, pol("seed-2018"), prov, c, 2,
						  0, NULL), -1);
	dmasim_topo_destroy(t);
	/* Verbose: the kernel does not stop at the first failure, so every
	 * failing client prints its line. */
	t = load_var("two-hb.yaml", NULL);
	c[0] = tu_dev(t, "c");
	c[1] = tu_dev(t, "b");
	c[2] = tu_dev(t, "host1");
	dmasim_log_init(&log);
	ck_assert_int_eq(dmasim_p2p_distance_many(t, pol("linux-6.12"), tu_dev(t, "a"),
						  c, 3, DMASIM_P2P_VERBOSE, &log), -1);
	ck_assert_str_eq(log.text,
		"pci 0000:81:00.0: cannot be used for peer-to-peer DMA as the client and provider (0000:01:00.0) do not share an upstream bridge or whitelisted host bridge\n"
		"pci 0000:80:00.0: cannot be used for peer-to-peer DMA as the client and provider (0000:01:00.0) do not share an upstream bridge or whitelisted host bridge\n");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_calc_map_type_and_dist_provider_without_p2pmem)
{
	/* ep1 publishes no p2pmem: the kernel's distance functions do not
	 * look at that, so the decision is the same as for ep0. */
	struct dmasim_topo *t = load_var("switch.yaml", NULL);
	int d;

	ck_assert(!tu_dev(t, "ep1")->bars[0].p2pmem);
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "ep1", "ep0", &d, NULL),
			 DMASIM_MAP_BUS_ADDR);
	ck_assert_int_eq(d, 4);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- the 2018 proposal ------------------------------------------------ */

START_TEST(test_pci_find_common_upstream_dev_vs_p2pdma_walk)
{
	/* The same pairs, both algorithms (pci_find_common_upstream_dev of 2018 vs upstream_bridge_distance). */
	struct dmasim_topo *t = load_var("switch.yaml", NULL);
	const struct dmasim_policy *seed = pol("seed-2018"), *lin = pol("linux-6.12");

	/* Same switch: the port on the shared bus vs the upstream port. */
	ck_assert_str_eq(up(t, seed, "ep0", "ep1"), "dsp0");
	ck_assert_str_eq(up(t, seed, "ep1", "ep0"), "dsp1");
	ck_assert_str_eq(up(t, lin, "ep0", "ep1"), "usp");
	/* Different root ports of one root bus: ep0's root port vs none. */
	ck_assert_str_eq(up(t, seed, "ep0", "ep2"), "rp1");
	ck_assert_str_eq(up(t, seed, "ep2", "ep0"), "rp3");
	ck_assert_str_eq(up(t, lin, "ep0", "ep2"), "none");
	/* Functions of one device: the device itself (same bus). */
	ck_assert_str_eq(up(t, seed, "fn0", "fn1"), "fn0");
	ck_assert_str_eq(up(t, lin, "fn0", "fn1"), "rp4");
	/* A device and its ancestor. */
	ck_assert_str_eq(up(t, seed, "ep0", "usp"), "usp");
	ck_assert_str_eq(up(t, seed, "usp", "ep0"), "usp");
	ck_assert_str_eq(up(t, lin, "ep0", "usp"), "usp");
	ck_assert_str_eq(up(t, seed, "rp1", "ep0"), "rp1");
	ck_assert_str_eq(up(t, seed, "ep0", "ep0"), "ep0");
	/* The root device at 00.0 and an endpoint: both on the root bus's
	 * range; the p2pdma walk has none. */
	ck_assert_str_eq(up(t, seed, "host0", "ep1"), "host0");
	ck_assert_str_eq(up(t, lin, "host0", "ep1"), "none");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_pci_find_common_upstream_dev_ignores_segments)
{
	/* Segment 1's bus 01 lies in the range of a's own bus in segment 0. */
	struct dmasim_topo *t = load_var("segments.yaml", NULL);
	const struct dmasim_policy *seed = pol("seed-2018");

	ck_assert_str_eq(up(t, seed, "a", "x"), "a");
	ck_assert_str_eq(up(t, seed, "x", "b"), "rpx");
	ck_assert_str_eq(up(t, seed, "a", "b"), "rpa");
	ck_assert_str_eq(up(t, pol("linux-6.12"), "a", "x"), "none");
	dmasim_topo_destroy(t);
	/* Two host bridges of one segment: disjoint ranges, none. */
	t = load_var("two-hb.yaml", NULL);
	ck_assert_str_eq(up(t, seed, "a", "c"), "none");
	ck_assert_str_eq(up(t, seed, "a", "b"), "rpa");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_pci_peer_traffic_supported_optimistic_without_acs)
{
	/* pci_peer_traffic_supported() of the 2018 proposal, step 4: the root port has no ACS: allowed with a common
	 * upstream device.  Reported as thru_host_bridge, distance -1. */
	struct dmasim_topo *t = load_var("switch.yaml", NULL);
	int d;

	ck_assert_int_eq(mt(t, pol("seed-2018"), "ep0", "ep1", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, -1);
	/* Different root ports, ep0's root port without ACS: cu = rp1. */
	ck_assert_int_eq(mt(t, pol("seed-2018"), "ep0", "ep2", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	/* Two functions under rp4 (RR|CR): cu = fn0 itself, an endpoint
	 * without ACS: !pci_acs_enabled(fn0, UF) holds for a multi-function
	 * device without the capability, so it is allowed. */
	ck_assert_int_eq(mt(t, pol("seed-2018"), "fn0", "fn1", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_pci_peer_traffic_supported_acs_rules)
{
	/* rp1 with ACS RR|CR; ep0 and ep1 below the switch. */
	struct dmasim_topo *t = load_var("switch.yaml",
		"name: rp1\n", "name: rp1\n        acs: { cap: [sv, rr, cr, uf], ctrl: [sv, rr, cr, uf] }\n",
		NULL);
	int d;

	/* cu = dsp0 with UF not enabled: allowed (step 5). */
	ck_assert_int_eq(mt(t, pol("seed-2018"), "ep0", "ep1", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	/* ep2 below rp3: different root ports, RR enabled on rp1, no IOMMU
	 * (step 7): not supported. */
	ck_assert_int_eq(mt(t, pol("seed-2018"), "ep0", "ep2", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	dmasim_topo_destroy(t);
	/* dsp0 with UF enabled: step 5 fails; RR enabled on rp1 so step 6
	 * is skipped; no IOMMU: not supported. */
	t = load_var("switch.yaml",
		"name: rp1\n", "name: rp1\n        acs: { cap: [sv, rr, cr, uf], ctrl: [sv, rr, cr, uf] }\n",
		SW_DSP0_ACS, "name: dsp0\n                acs: { cap: [sv, rr, cr, uf, ec], ctrl: [uf]",
		NULL);
	ck_assert_int_eq(mt(t, pol("seed-2018"), "ep0", "ep1", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	dmasim_topo_destroy(t);
	/* rp1 implements RR but leaves it off: step 6 allows only the same
	 * root port. */
	t = load_var("switch.yaml",
		"name: rp1\n", "name: rp1\n        acs: { cap: [sv, rr, cr, uf], ctrl: [] }\n",
		SW_DSP0_ACS, "name: dsp0\n                acs: { cap: [sv, rr, cr, uf, ec], ctrl: [uf]",
		NULL);
	ck_assert_int_eq(mt(t, pol("seed-2018"), "ep0", "ep1", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(mt(t, pol("seed-2018"), "ep0", "ep2", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_pci_peer_traffic_supported_iommu_present)
{
	/* segments.yaml has VT-d: a and b on root ports with RR enabled are
	 * allowed through the translation agent (step 7). */
	struct dmasim_topo *t = load_var("segments.yaml", NULL);
	int d;

	ck_assert_int_eq(mt(t, pol("seed-2018"), "a", "b", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	/* A conventional PCI device (below the PCIe-to-PCI bridge): step 1. */
	ck_assert_int_eq(mt(t, pol("seed-2018"), "legacy", "a", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(mt(t, pol("seed-2018"), "a", "legacy", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	/* The p2pdma walk does not care: legacy and legacy2 share the
	 * PCIe-to-PCI bridge. */
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "legacy", "legacy2", &d, NULL),
			 DMASIM_MAP_BUS_ADDR);
	ck_assert_int_eq(d, 2);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_pci_peer_host_traffic_supported_amd_zen_1450)
{
	/* Different host bridges: only dev's host bridge is consulted, its
	 * 00.0 device must be AMD 1022:1450. */
	struct dmasim_topo *t = load_var("two-hb.yaml",
		"vendor: 0x8086, device: 0x2f00, name: host0",
		"vendor: 0x1022, device: 0x1450, name: host0", NULL);
	int d;

	ck_assert_int_eq(mt(t, pol("seed-2018"), "a", "c", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(mt(t, pol("seed-2018"), "c", "a", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	dmasim_topo_destroy(t);
}
END_TEST


/* ---- the index against the kernel's literal walks ---------------------- */

/*
 * The quiet queries (no flags) take the fast paths: with the built-in
 * row itself its verdicts precomputed in the index, with a copy of the
 * row (not a built-in object) the verdicts looked up per call, and with
 * no distance asked for.  All must agree with the literal walk's @u, @m
 * and @d.
 */
static void compare_quiet(const struct dmasim_topo *t,
			  const struct dmasim_policy *p,
			  const struct dmasim_device *a,
			  const struct dmasim_device *b,
			  const struct dmasim_device *u, enum dmasim_map_type m,
			  int d)
{
	struct dmasim_policy copy = *p;
	enum dmasim_map_type m1, m2, m3;
	int d1 = -99, d3 = -98;

	/* (ck_abort only on failure: a passing ck_assert costs a write to
	 * Check's pipe, and these run millions of times) */
	m1 = dmasim_p2p_map_type(t, p, a, b, &d1, 0, NULL);
	m2 = dmasim_p2p_map_type(t, p, a, b, NULL, 0, NULL);
	m3 = dmasim_p2p_map_type(t, &copy, a, b, &d3, 0, NULL);
	if (m1 != m || m2 != m || m3 != m || d1 != d || d3 != d)
		ck_abort_msg("%s: quiet map_type(%s, %s): %d/%d, no dist %d, "
			     "copy %d/%d; walk %d/%d", p->name, a->bdf, b->bdf,
			     m1, d1, m2, m3, d3, m, d);
	if (dmasim_p2p_upstream(t, &copy, a, b, 0) != u)
		ck_abort_msg("%s (a copy): upstream(%s, %s) differs", p->name,
			     a->bdf, b->bdf);
}

/* Compare every query on (a, b) under every built-in policy. */
static void compare_pair(const struct dmasim_topo *t,
			 const struct dmasim_policy *const *pols, size_t npols,
			 const struct dmasim_device *a,
			 const struct dmasim_device *b)
{
	size_t k;

	for (k = 0; k < npols; k++) {
		const struct dmasim_policy *p = pols[k];
		struct dmasim_log l1, l2;
		int d1 = -99, d2 = -98;
		enum dmasim_map_type m1, m2;
		const struct dmasim_device *u1, *u2;

		u1 = dmasim_p2p_upstream(t, p, a, b, 0);
		u2 = dmasim_p2p_upstream(t, p, a, b, DMASIM_P2P_NAIVE);
		if (u1 != u2)
			ck_abort_msg("%s: upstream(%s, %s): index %s, walk %s",
				     p->name, a->bdf, b->bdf, u1 ? u1->bdf : "none",
				     u2 ? u2->bdf : "none");
		dmasim_log_init(&l1);
		dmasim_log_init(&l2);
		m1 = dmasim_p2p_map_type(t, p, a, b, &d1, DMASIM_P2P_VERBOSE, &l1);
		m2 = dmasim_p2p_map_type(t, p, a, b, &d2,
					 DMASIM_P2P_VERBOSE | DMASIM_P2P_NAIVE, &l2);
		if (m1 != m2 || d1 != d2)
			ck_abort_msg("%s: map_type(%s, %s): index %d/%d, walk %d/%d",
				     p->name, a->bdf, b->bdf, m1, d1, m2, d2);
		if (strcmp(l1.text, l2.text) != 0)
			ck_abort_msg("%s: lines of (%s, %s) differ:\n%s---\n%s",
				     p->name, a->bdf, b->bdf, l1.text, l2.text);
		compare_quiet(t, p, a, b, u2, m2, d2);
	}
}

/* The p2pdma common upstream device must be the deepest common ancestor. */
static void check_lca_brute(const struct dmasim_topo *t,
			    const struct dmasim_device *a,
			    const struct dmasim_device *b)
{
	const struct dmasim_device *u =
		dmasim_p2p_upstream(t, dmasim_policy_default(), a, b, 0), *x;

	for (x = a; x; x = x->parent)
		if (dmasim_device_is_ancestor(x, b))
			break;
	if (u != x)
		ck_abort_msg("upstream(%s, %s): %s, the deepest common ancestor %s",
			     a->bdf, b->bdf, u ? u->bdf : "none", x ? x->bdf : "none");
}

static const struct dmasim_policy *all_pols[4];

static size_t builtin_policies(void)
{
	const char *const *n = dmasim_policy_builtin_names();
	size_t k = 0;

	for (; *n && k < 4; n++)
		all_pols[k++] = pol(*n);
	return k;
}

/* Rebuild @t's index in @mode (src/kernel/lca.c: label mode or the
 * sparse table). */
static void index_mode(struct dmasim_topo *t, enum dmasim__lca_mode mode)
{
	struct dmasim_error err;

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim__lca_index_build_mode(t, mode, &err), DMASIM_OK);
}

static unsigned compare_all_pairs_once(const struct dmasim_topo *t)
{
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	size_t np = builtin_policies(), i, j;

	for (i = 0; i < m->ndevices; i++)
		for (j = 0; j < m->ndevices; j++) {
			compare_pair(t, all_pols, np, &m->devices[i], &m->devices[j]);
			check_lca_brute(t, &m->devices[i], &m->devices[j]);
		}
	return (unsigned)(m->ndevices * m->ndevices);
}

/* Every pair, with the index as loaded and again with the sparse table. */
static unsigned compare_all_pairs(struct dmasim_topo *t)
{
	unsigned pairs = compare_all_pairs_once(t);

	index_mode(t, DMASIM__LCA_TABLE);
	ck_assert(!t->lca->labels);
	pairs += compare_all_pairs_once(t);
	index_mode(t, DMASIM__LCA_AUTO);
	return pairs;
}

static unsigned walk_topologies(const char *dir, unsigned *nfiles)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned pairs = 0;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		char path[2048];
		struct stat st;
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			pairs += walk_topologies(path, nfiles);
		} else if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0) {
			char *text = tu_read_file(path, NULL);
			bool topo = strstr(text, "host_bridges:") != NULL &&
				    strstr(text, "\ncases:") == NULL;
			free(text);
			if (!topo)
				continue; /* a suite or another format */
			struct dmasim_topo *t = tu_load_file(path);
			pairs += compare_all_pairs(t);
			dmasim_topo_destroy(t);
			(*nfiles)++;
		}
	}
	closedir(d);
	return pairs;
}

START_TEST(test_naive_vs_index_every_pair_of_shipped_topologies)
{
	unsigned nfiles = 0, pairs = walk_topologies(DMASIM_TOPOLOGIES, &nfiles);

	ck_assert_uint_ge(nfiles, 1);
	ck_assert_uint_gt(pairs, 0);
	/* and of the test topologies here */
	nfiles = 0;
	pairs = walk_topologies(DMASIM_TEST_DATA "/p2p", &nfiles);
	ck_assert_uint_ge(nfiles, 5);
}
END_TEST

/* A seeded generator of random but valid topologies (YAML text). */
struct gen {
	uint64_t s;
	char *y;
	size_t len, cap;
	unsigned next_bus, bus_last;
	unsigned ndev, max_dev;
	unsigned seg;
	unsigned vid, did; /* IDs for the next device (0: none) */
};

static uint64_t rnd(struct gen *g)
{
	/* xorshift64* */
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 2685821657736338717ull;
}

static unsigned rn(struct gen *g, unsigned n)
{
	return (unsigned)((rnd(g) >> 33) % n);
}

static void gout(struct gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void gout(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(g->y + g->len, g->cap - g->len, fmt, ap);
		va_end(ap);
		if ((size_t)n < g->cap - g->len)
			break;
		g->cap *= 2;
		g->y = realloc(g->y, g->cap);
		ck_assert_ptr_nonnull(g->y);
	}
	g->len += (size_t)n;
}

static const char *const acs_names[7] = { "sv", "tb", "rr", "cr", "uf", "ec", "dt" };

static void gen_acs(struct gen *g, unsigned ind)
{
	unsigned cap = rn(g, 128), ctrl, b;
	bool first = true;

	/* Redirect bits often, so that paths differ. */
	if (rn(g, 2))
		cap |= 0x0c;
	ctrl = cap & (unsigned)rn(g, 128);
	if (rn(g, 3) == 0)
		ctrl = 0;
	gout(g, "%*sacs: { cap: [", ind, "");
	for (b = 0; b < 7; b++)
		if (cap & (1u << b)) {
			gout(g, "%s%s", first ? "" : ", ", acs_names[b]);
			first = false;
		}
	gout(g, "], ctrl: [");
	first = true;
	for (b = 0; b < 7; b++)
		if (ctrl & (1u << b)) {
			gout(g, "%s%s", first ? "" : ", ", acs_names[b]);
			first = false;
		}
	gout(g, "] }\n");
}

enum { G_RP, G_USP, G_DSP, G_PCIBR, G_EP };
static const char *const gtype[] = { "root-port", "switch-upstream",
				     "switch-downstream", "pci-bridge",
				     "endpoint" };

static void gen_bus(struct gen *g, unsigned bus, unsigned parent_type,
		    unsigned ind, unsigned depth);

/* One device at bus:devfn; bridges get a bus and children. */
static void gen_dev(struct gen *g, unsigned bus, unsigned devfn,
		    unsigned type, unsigned ind, unsigned depth)
{
	g->ndev++;
	gout(g, "%*s- bdf: %04x:%02x:%02x.%u\n", ind, "", g->seg, bus,
	     devfn >> 3, devfn & 7);
	gout(g, "%*s  type: %s\n", ind, "", gtype[type]);
	if (g->vid) {
		gout(g, "%*s  vendor: 0x%04x\n%*s  device: 0x%04x\n", ind, "",
		     g->vid, ind, "", g->did);
		g->vid = 0;
	}
	if (rn(g, 3) == 0)
		gen_acs(g, ind + 2);
	if (type == G_EP)
		return;
	/* A bridge: its own bus, children, maybe unused bus numbers after. */
	ck_assert_uint_le(g->next_bus, g->bus_last);
	{
		unsigned sec = g->next_bus++;
		gout(g, "%*s  children:\n", ind, "");
		gen_bus(g, sec, type, ind + 4, depth + 1);
		if (rn(g, 4) == 0 && g->next_bus + 3 <= g->bus_last) {
			g->next_bus += 1 + rn(g, 3);
			gout(g, "%*s  subordinate: 0x%02x\n", ind, "", g->next_bus - 1);
		}
	}
}

static void gen_bus(struct gen *g, unsigned bus, unsigned parent_type,
		    unsigned ind, unsigned depth)
{
	unsigned n = 1 + rn(g, 3), i, slot = 0;

	for (i = 0; i < n; i++, slot++) {
		unsigned type, nfn = 1, f;
		bool can_bridge = g->next_bus + 1 < g->bus_last &&
				  g->ndev < g->max_dev && depth < 12;

		switch (parent_type) {
		case G_RP:
			type = can_bridge && rn(g, 2) ? (rn(g, 4) ? G_USP : G_PCIBR) : G_EP;
			if (i > 0 && type == G_USP)
				type = G_EP;
			break;
		case G_USP:
			type = can_bridge ? G_DSP : G_EP;
			break;
		case G_DSP:
			type = can_bridge && rn(g, 3) == 0 ? G_USP : G_EP;
			break;
		case G_PCIBR:
			type = can_bridge && rn(g, 4) == 0 ? G_PCIBR : G_EP;
			break;
		default: /* the root bus */
			type = can_bridge && rn(g, 4) ? G_RP : G_EP;
			break;
		}
		if (type == G_EP && rn(g, 3) == 0)
			nfn = 2 + rn(g, 3);
		for (f = 0; f < nfn; f++)
			gen_dev(g, bus, slot << 3 | f, f ? G_EP : type, ind, depth);
	}
}

static const struct { unsigned v, d; } root_ids[] = {
	{ 0x8086, 0x2020 }, { 0x8086, 0x2f00 }, { 0x8086, 0x1234 },
	{ 0x1022, 0x1450 }, { 0x8086, 0x09a2 }, { 0x8086, 0x3c01 },
};

static char *gen_topology(uint64_t seed)
{
	struct gen g;
	unsigned nhb, h;
	static const char *const cpus[] = {
		"{ vendor: intel, family: 6 }", "{ vendor: amd, family: 0x19 }",
		"{ vendor: amd, family: 0x15 }", "{ vendor: arm, family: 8 }",
	};

	memset(&g, 0, sizeof(g));
	g.s = seed * 0x9e3779b97f4a7c15ull + 1;
	g.cap = 1 << 16;
	g.y = malloc(g.cap);
	ck_assert_ptr_nonnull(g.y);
	gout(&g, "dmasim: 1\narch: %s\ncpu: %s\n", rn(&g, 4) ? "x86_64" : "arm64",
	     cpus[rn(&g, 4)]);
	if (rn(&g, 2))
		gout(&g, "iommus:\n  - { name: u0, type: intel-vtd, address_bits: 48, default_domain: dma }\n");
	gout(&g, "host_bridges:\n");
	nhb = 1 + rn(&g, 3);
	for (h = 0; h < nhb; h++) {
		/* hb0 seg 0 [00-7f], hb1 seg 0 [80-ff], hb2 seg 1 [00-ff] */
		unsigned first = h == 1 ? 0x80 : 0, last = h == 0 ? 0x7f : 0xff;
		unsigned i = 0;

		g.seg = h == 2 ? 1 : 0;
		g.next_bus = first + 1;
		g.bus_last = last;
		g.ndev = 0;
		g.max_dev = 20 + rn(&g, 60);
		gout(&g, "  - name: hb%u\n    segment: %u\n    buses: [0x%02x, 0x%02x]\n",
		     h, g.seg, first, last);
		if (strstr(g.y, "iommus:") && rn(&g, 2))
			gout(&g, "    iommu: u0\n");
		gout(&g, "    devices:\n");
		if (rn(&g, 3)) {
			/* the root device at 00.0 the whitelist looks at */
			unsigned r = rn(&g, 6);
			g.vid = root_ids[r].v;
			g.did = root_ids[r].d;
			gen_dev(&g, first, 0, rn(&g, 3) ? G_EP : G_RP, 6, 0);
			i = 1;
		}
		/* the root bus, slots from i */
		{
			unsigned n = 1 + rn(&g, 4), k;
			for (k = 0; k < n; k++) {
				unsigned slot = i + rn(&g, 2);
				bool can = g.next_bus + 1 < g.bus_last && g.ndev < g.max_dev;
				if (slot > 31)
					break;
				gen_dev(&g, first, slot << 3,
					can && rn(&g, 5) ? G_RP : G_EP, 6, 0);
				i = slot + 1;
			}
		}
	}
	return g.y;
}

START_TEST(test_naive_vs_index_random_trees)
{
	unsigned seed, pairs = 0, devices = 0;

	for (seed = 1; seed <= 60; seed++) {
		char *y = gen_topology(seed);
		struct dmasim_topo *t = NULL;
		struct dmasim_error err;
		const struct dmasim_machine *m;
		struct gen r;
		size_t np = builtin_policies();
		unsigned k, mode;
		char buf[512];

		dmasim_error_init(&err);
		if (dmasim_topo_load_string(y, strlen(y), "random.yaml", &t, &err)) {
			FILE *f = fopen("random-failed.yaml", "w");
			if (f) {
				fputs(y, f);
				fclose(f);
			}
			dmasim_error_snprintf(buf, sizeof(buf), &err);
			ck_abort_msg("seed %u (written to random-failed.yaml): %s",
				     seed, buf);
		}
		m = dmasim_topo_machine(t);
		devices += (unsigned)m->ndevices;
		/* the labels fit every random tree; then the same pairs with
		 * the sparse table */
		ck_assert(t->lca->labels);
		for (mode = 0; mode < 2; mode++) {
			memset(&r, 0, sizeof(r));
			r.s = seed + 77;
			for (k = 0; k < 400; k++) {
				const struct dmasim_device *a = &m->devices[rn(&r, (unsigned)m->ndevices)];
				const struct dmasim_device *b = &m->devices[rn(&r, (unsigned)m->ndevices)];
				compare_pair(t, all_pols, np, a, b);
				check_lca_brute(t, a, b);
				pairs++;
			}
			index_mode(t, DMASIM__LCA_TABLE);
		}
		dmasim_topo_destroy(t);
		free(y);
	}
	ck_assert_uint_ge(pairs, 40000);
	ck_assert_uint_ge(devices, 60 * 5);
}
END_TEST


/*
 * A chain: on each bus 0..@depth - 1 one bridge (slot 0, the next bus
 * below it) and @width - 1 endpoints; bus @depth holds @width endpoints.
 * Every third bridge has ACS redirect bits (RR on one, EC on the next).
 */
static char *gen_chain(unsigned depth, unsigned width)
{
	struct gen g;
	unsigned d, e;

	memset(&g, 0, sizeof(g));
	g.cap = 1 << 16;
	g.y = malloc(g.cap);
	ck_assert_ptr_nonnull(g.y);
	gout(&g, "dmasim: 1\narch: x86_64\ncpu: { vendor: intel, family: 6 }\n"
		 "host_bridges:\n  - name: hb0\n    segment: 0\n"
		 "    buses: [0x00, 0xff]\n    devices:\n");
	for (d = 0; d <= depth; d++) {
		unsigned ind = 6 + 4 * d;

		if (d < depth) {
			gout(&g, "%*s- bdf: %02x:00.0\n%*s  type: %s\n", ind, "", d,
			     ind, "", d ? "switch-downstream" : "root-port");
			if (d == 0)
				gout(&g, "%*s  vendor: 0x8086\n%*s  device: 0x2030\n",
				     ind, "", ind, "");
			if (d % 3 == 1)
				gout(&g, "%*s  acs: { cap: [rr, cr, uf, ec], ctrl: [%s] }\n",
				     ind, "", d % 2 ? "rr" : "ec");
			gout(&g, "%*s  children:\n", ind, "");
		}
	}
	/* close the levels from the deepest: each level's endpoints follow
	 * its bridge (whose children were written above) */
	for (d = depth + 1; d-- > 0;) {
		unsigned ind = 6 + 4 * d;

		for (e = d < depth ? 1 : 0; e < width; e++)
			gout(&g, "%*s- { bdf: %02x:%02x.%u, type: endpoint }\n", ind,
			     "", d, e >> 3, e & 7);
	}
	return g.y;
}

/* Label mode ends where a tree is deeper than 16 or its labels need more
 * than 59 bits; the sparse table takes over and answers the same.  Paths
 * of up to 27 bits are kept in 4-byte labels. */
START_TEST(test_lca_index_label_mode_limits)
{
	static const struct {
		unsigned depth, width;
		bool labels, l32;
	} c[] = {
		{ 16, 2, true, false },  /* a row of 16 ancestors; 1 + 17 * 2 bits */
		{ 17, 2, false, false }, /* deeper than 16 */
		{ 12, 3, true, true },   /* 1 + 13 levels * 2 bits = 27 */
		{ 13, 3, true, false },  /* 29 bits */
		{ 13, 15, true, false }, /* 1 + 14 * 4 = 57 bits */
		{ 14, 8, false, false }, /* 1 + 15 * 4 = 61 bits */
		{ 1, 130, true, true },  /* wide: 1 + 2 levels * 8 bits */
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *y = gen_chain(c[i].depth, c[i].width);
		struct dmasim_topo *t = tu_load(y);

		ck_assert_msg(t->lca->labels == c[i].labels &&
			      (t->lca->label32 != NULL) == c[i].l32,
			      "depth %u width %u: label mode %d, 4-byte labels %d",
			      c[i].depth, c[i].width, t->lca->labels,
			      t->lca->label32 != NULL);
		ck_assert_uint_eq(dmasim_topo_machine(t)->max_depth, c[i].depth);
		compare_all_pairs(t);
		dmasim_topo_destroy(t);
		free(y);
	}
}
END_TEST

/* ---- the commands ------------------------------------------------------ */

/* Run "dmasim ARGS 2>&1"; returns the exit status, output in @out. */
static int run_cli(char *out, size_t size, const char *args)
{
	char cmd[2048];
	FILE *f;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", DMASIM_CLI, args);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, size - 1, f);
	out[n] = '\0';
	st = pclose(f);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

START_TEST(test_cli_p2p_text_and_exit_status)
{
	char out[8192];

	ck_assert_int_eq(run_cli(out, sizeof(out),
		"p2p " P2P_DATA "switch.yaml --provider ep1 ep0 03:00.0"), 0);
	ck_assert_str_eq(out,
		"provider ep1 (0000:04:00.0), policy linux-6.12\n"
		"note: ep1 has no p2pmem BAR; the kernel's distance functions do not check this, but pci_p2pmem_find_many() would never choose it\n"
		"  ep0 (0000:03:00.0): bus_addr, distance 4\n"
		"  ep0 (0000:03:00.0): bus_addr, distance 4\n"
		"total distance: 8\n");
	ck_assert_int_eq(run_cli(out, sizeof(out),
		"p2p " P2P_DATA "arm64-rp.yaml --provider f0 f1 e2 --verbose"), 1);
	ck_assert_str_eq(out,
		"provider f0 (0000:01:00.0), policy linux-6.12\n"
		"note: f0 has no p2pmem BAR; the kernel's distance functions do not check this, but pci_p2pmem_find_many() would never choose it\n"
		"  f1 (0000:01:00.1): not_supported, distance 2\n"
		"  e2 (0000:02:00.0): not_supported, distance 4\n"
		"total distance: -1\n"
		"pci 0000:01:00.1: ACS redirect is set between the client and provider (0000:01:00.0)\n"
		"pci 0000:01:00.1: to disable ACS redirect for this path, add the kernel parameter: pci=disable_acs_redir=0000:00:00.0\n"
		"pci 0000:00:00.0: Host bridge not in P2PDMA whitelist: 19e5:a120\n"
		"pci 0000:01:00.1: cannot be used for peer-to-peer DMA as the client and provider (0000:01:00.0) do not share an upstream bridge or whitelisted host bridge\n"
		"pci 0000:02:00.0: cannot be used for peer-to-peer DMA as the client and provider (0000:01:00.0) do not share an upstream bridge or whitelisted host bridge\n");
	/* A policy file makes it work. */
	ck_assert_int_eq(run_cli(out, sizeof(out),
		"p2p " P2P_DATA "arm64-rp.yaml --provider f0 e2 --policy "
		DMASIM_TEST_DATA "/policy/hisilicon.yaml"), 0);
	ck_assert(strstr(out, "policy hisilicon\n") != NULL);
	ck_assert(strstr(out, "e2 (0000:02:00.0): thru_host_bridge, distance 4\n") != NULL);
}
END_TEST

START_TEST(test_cli_p2p_json_and_errors)
{
	char out[8192];

	ck_assert_int_eq(run_cli(out, sizeof(out),
		"p2p " P2P_DATA "switch.yaml --provider ep0 ep1 ep2 --json --policy linux-4.20 --verbose --naive"), 1);
	ck_assert(strstr(out, "\"policy\": \"linux-4.20\"") != NULL);
	ck_assert(strstr(out, "\"p2pmem\": true") != NULL);
	ck_assert(strstr(out, "\"map_type\": \"bus_addr\",\n      \"distance\": 4") != NULL);
	ck_assert(strstr(out, "\"map_type\": \"not_supported\",\n      \"distance\": -1") != NULL);
	ck_assert(strstr(out, "\"distance\": -1,\n  \"warnings\": [\n    \"pci 0000:05:00.0: cannot be used for peer-to-peer DMA as the client and provider (0000:03:00.0) do not share an upstream bridge\"") != NULL);
	/* Bad policy file: exit 2 with file:line:column. */
	ck_assert_int_eq(run_cli(out, sizeof(out),
		"p2p " P2P_DATA "switch.yaml --provider ep0 ep1 --policy "
		DMASIM_TEST_DATA "/policy/bad-base.yaml"), 2);
	ck_assert(strstr(out, "bad-base.yaml:4:9: error: 'linux-9.9' is not a built-in policy") != NULL);
	ck_assert_int_eq(run_cli(out, sizeof(out),
		"p2p " P2P_DATA "switch.yaml --provider ep0 ep1 --policy linux-3.0"), 2);
	ck_assert(strstr(out, "unknown policy 'linux-3.0'") != NULL);
	ck_assert_int_eq(run_cli(out, sizeof(out),
		"p2p " P2P_DATA "switch.yaml ep1"), 2);
	ck_assert_int_eq(run_cli(out, sizeof(out),
		"p2p " P2P_DATA "switch.yaml --provider ep0"), 2);
	ck_assert_int_eq(run_cli(out, sizeof(out),
		"p2p " P2P_DATA "switch.yaml --provider ep0 gpu9"), 2);
	ck_assert(strstr(out, "no device 'gpu9'") != NULL);
	ck_assert_int_eq(run_cli(out, sizeof(out), "p2p --help"), 0);
	ck_assert(strstr(out, "SYNOPSIS\n    dmasim p2p TOPOLOGY --provider P CLIENT...") != NULL);
}
END_TEST

START_TEST(test_cli_upstream_policies)
{
	char out[8192];

	ck_assert_int_eq(run_cli(out, sizeof(out),
		"upstream " P2P_DATA "switch.yaml ep0 ep1"), 0);
	ck_assert_str_eq(out,
		"common upstream of ep0 and ep1: 0000:01:00.0 usp (switch-upstream)\n"
		"  found by the p2pdma walk (policy linux-6.12)\n");
	ck_assert_int_eq(run_cli(out, sizeof(out),
		"upstream " P2P_DATA "switch.yaml ep0 ep1 --policy seed-2018 --naive"), 0);
	ck_assert_str_eq(out,
		"common upstream of ep0 and ep1: 0000:02:00.0 dsp0 (switch-downstream)\n"
		"  found by pci_find_common_upstream_dev() (policy seed-2018)\n");
	ck_assert_int_eq(run_cli(out, sizeof(out),
		"upstream " P2P_DATA "switch.yaml ep0 ep2 --json"), 1);
	ck_assert(strstr(out, "\"upstream\": null") != NULL);
	ck_assert(strstr(out, "\"algorithm\": \"p2pdma_walk\"") != NULL);
	ck_assert_int_eq(run_cli(out, sizeof(out),
		"upstream " P2P_DATA "switch.yaml ep0"), 2);
	ck_assert_int_eq(run_cli(out, sizeof(out), "upstream --help"), 0);
	ck_assert(strstr(out, "NAME\n    dmasim upstream") != NULL);
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
	tcase_add_test(tc, test_calc_map_type_and_dist_root_port_acs_redir_disabled);
	tcase_add_test(tc, test_pci_bridge_has_acs_redir_egress_control);
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
	tcase_add_test(tc, test_upstream_bridge_distance_420_acs_list_page);
	suite_add_tcase(s, tc);
	tc = tcase_create("CpuAndRootDevice");
	tcase_add_test(tc, test_cpu_supports_p2pdma_amd_zen);
	tcase_add_test(tc, test_cpu_supports_p2pdma_amd_before_zen);
	tcase_add_test(tc, test_cpu_supports_p2pdma_x86_only_arm64_root_port);
	tcase_add_test(tc, test_pci_host_bridge_dev_root_port_first_at_02_0);
	tcase_add_test(tc, test_host_bridge_whitelist_09a2_only_in_612);
	tcase_add_test(tc, test_calc_map_type_and_dist_cpu_rule_skips_whitelist_warning);
	tcase_add_test(tc, test_host_bridge_whitelist_no_root_device_no_warning);
	suite_add_tcase(s, tc);
	tc = tcase_create("Policies");
	tcase_add_test(tc, test_policy_acs_redirect_bits_rr_only);
	tcase_add_test(tc, test_policy_whitelist_any_device_and_replace);
	tcase_add_test(tc, test_policy_whitelist_extend_arm64_and_arch_cpu_rule);
	suite_add_tcase(s, tc);
	tc = tcase_create("DistanceMany");
	tcase_add_test(tc, test_calc_map_type_and_dist_acs_list_128_bytes);
	tcase_add_test(tc, test_pci_p2pdma_distance_many_sum_and_failure);
	tcase_add_test(tc, test_calc_map_type_and_dist_provider_without_p2pmem);
	suite_add_tcase(s, tc);
	tc = tcase_create("Seed2018");
	tcase_add_test(tc, test_pci_find_common_upstream_dev_vs_p2pdma_walk);
	tcase_add_test(tc, test_pci_find_common_upstream_dev_ignores_segments);
	tcase_add_test(tc, test_pci_peer_traffic_supported_optimistic_without_acs);
	tcase_add_test(tc, test_pci_peer_traffic_supported_acs_rules);
	tcase_add_test(tc, test_pci_peer_traffic_supported_iommu_present);
	tcase_add_test(tc, test_pci_peer_host_traffic_supported_amd_zen_1450);
	suite_add_tcase(s, tc);
	tc = tcase_create("Commands");
	tcase_add_test(tc, test_cli_p2p_text_and_exit_status);
	tcase_add_test(tc, test_cli_p2p_json_and_errors);
	tcase_add_test(tc, test_cli_upstream_policies);
	suite_add_tcase(s, tc);
	tc = tcase_create("Differential");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_naive_vs_index_every_pair_of_shipped_topologies);
	tcase_add_test(tc, test_naive_vs_index_random_trees);
	tcase_add_test(tc, test_lca_index_label_mode_limits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(p2pdma_suite());
}
