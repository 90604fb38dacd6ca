/*
 * dmasim tests -- the built-in rows from linux-4.20 to linux-6.19: one test
 * per change between adjacent rows, named after the kernel commit (or, where
 * the commit is not cited, its version and subject), each showing the
 * change on a machine; every row round-trips through `dmasim policy show`;
 * a proposed patch written as a policy file (decision
 * calc-map-type-rc-bus-addr).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "policy/policy_int.h"

static const struct dmasim_policy *pol(const char *name)
{
	const struct dmasim_policy *p = dmasim_policy_builtin(name);

	ck_assert_msg(p != NULL, "no built-in policy %s", name);
	return p;
}

/*
 * Two root ports on one root bus: rp3 (ACS RR|CR) with a two-function
 * device a/a1, rp4 with b; the device at @root_bdf (@root_type) is the one
 * pci_host_bridge_dev() looks at.
 */
static struct dmasim_topo *machine(const char *cpu, const char *root_bdf,
				   const char *root_type, unsigned vendor,
				   unsigned device)
{
	char yaml[2048];

	snprintf(yaml, sizeof(yaml),
		 "dmasim: 1\nname: rows\narch: x86_64\ncpu: { %s }\n"
		 "host_bridges:\n  - name: hb0\n    segment: 0\n    buses: [0x00, 0x7f]\n"
		 "    devices:\n"
		 "      - { bdf: %s, type: %s, vendor: 0x%04x, device: 0x%04x, name: root }\n"
		 "      - bdf: 00:03.0\n        type: root-port\n        name: rp3\n"
		 "        acs: { cap: [sv, rr, cr, uf], ctrl: [sv, rr, cr, uf] }\n"
		 "        children:\n"
		 "          - { bdf: 05:00.0, type: endpoint, name: a }\n"
		 "          - { bdf: 05:00.1, type: endpoint, name: a1 }\n"
		 "      - bdf: 00:04.0\n        type: root-port\n        name: rp4\n"
		 "        children:\n"
		 "          - { bdf: 06:00.0, type: endpoint, name: b }\n",
		 cpu, root_bdf, root_type, vendor, device);
	return tu_load(yaml);
}

static struct dmasim_topo *intel_root(unsigned vendor, unsigned device)
{
	return machine("vendor: intel, family: 6", "00:00.0", "endpoint", vendor, device);
}

/* The map type of @a -> @b under @p, verbose into @log (may be NULL);
 * the indexed, naive and quiet answers must agree. */
static enum dmasim_map_type mt(const struct dmasim_topo *t,
			       const struct dmasim_policy *p, const char *a,
			       const char *b, int *dist, struct dmasim_log *log)
{
	const struct dmasim_device *da = tu_dev(t, a), *db = tu_dev(t, b);
	struct dmasim_log l1, l2;
	enum dmasim_map_type m1, m2, m3;
	int d1 = -9, d2 = -8, d3 = -7;

	dmasim_log_init(&l1);
	dmasim_log_init(&l2);
	m1 = dmasim_p2p_map_type(t, p, da, db, &d1, DMASIM_P2P_VERBOSE, &l1);
	m2 = dmasim_p2p_map_type(t, p, da, db, &d2,
				 DMASIM_P2P_VERBOSE | DMASIM_P2P_NAIVE, &l2);
	m3 = dmasim_p2p_map_type(t, p, da, db, &d3, 0, NULL);
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

/* ---- linux-4.20 -> linux-5.4 ------------------------------------------ */

START_TEST(test_494d63b0d5d0_v5_4_whitelist_intel_host_bridges)
{
	/* drivers/pci/p2pdma.c pci_p2pdma_whitelist[] (v5.4): two root ports
	 * of a whitelisted Xeon E5 host bridge 8086:3c00: v4.20 has no common
	 * upstream bridge and refuses; v5.4 goes through the host bridge. */
	struct dmasim_topo *t = intel_root(0x8086, 0x3c00);
	int d;

	ck_assert_int_eq(mt(t, pol("linux-4.20"), "a", "b", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, -1);
	ck_assert_int_eq(mt(t, pol("linux-5.4"), "a", "b", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, 4);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_0f97da831026_v5_4_amd_zen_1450_in_the_table)
{
	/* root_complex_whitelist() (v5.2, 0f97da831026), in v5.4 the table's
	 * AMD 1022:1450 entry: whitelisted by the root device even with an
	 * Intel CPU; linux-5.10 dropped the AMD entries for the CPU rule. */
	struct dmasim_topo *t = intel_root(0x1022, 0x1450);

	ck_assert_int_eq(mt(t, pol("linux-5.4"), "a", "b", NULL, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(mt(t, pol("linux-5.10"), "a", "b", NULL, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_v5_1_dma_map_resource_ram_refused_and_vtd_map_resource)
{
	/* kernel/dma/mapping.c dma_map_resource(): BUG_ON(pfn_valid()) until
	 * v5.0, WARN + DMA_MAPPING_ERROR from v5.1; intel_map_resource()
	 * (v5.1) and cfced786969c (no op = error) are the v5.4 row's. */
	const struct dmasim_policy *o = pol("linux-4.20"), *n = pol("linux-5.4");

	ck_assert_int_eq(o->map_resource_ram, DMASIM_RAM_BUG);
	ck_assert_int_eq(n->map_resource_ram, DMASIM_RAM_REFUSED);
	ck_assert(o->missing_op_returns_phys && !n->missing_op_returns_phys);
	ck_assert(!o->iommu_has_map_resource[DMASIM_IOMMU_INTEL_VTD]);
	ck_assert(n->iommu_has_map_resource[DMASIM_IOMMU_INTEL_VTD]);
	ck_assert(!n->iommu_has_map_resource[DMASIM_IOMMU_AMD_VI]);
	ck_assert(!o->whitelist_warning && !n->whitelist_warning);
	ck_assert_uint_eq(n->acs_list_size, 4096);
}
END_TEST

/* ---- linux-5.4 -> linux-5.10 ------------------------------------------ */

START_TEST(test_bc123a515cb7_v5_10_whitelist_skylake_e)
{
	/* "PCI/P2PDMA: Add Intel SkyLake-E to the whitelist" (and the Root
	 * Ports B, C, D of 7b94b53db34f): 8086:2020 at 00.0. */
	struct dmasim_topo *t = intel_root(0x8086, 0x2020);

	ck_assert_int_eq(mt(t, pol("linux-5.4"), "a", "b", NULL, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(mt(t, pol("linux-5.10"), "a", "b", NULL, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_v5_10_cpu_supports_p2pdma_amd_zen)
{
	/* drivers/pci/p2pdma.c cpu_supports_p2pdma() ("Allow P2PDMA on AMD
	 * Zen and newer CPUs"): an AMD family 0x17 CPU with an unknown root
	 * device. */
	struct dmasim_topo *t = machine("vendor: amd, family: 0x17", "00:00.0",
					"endpoint", 0x1022, 0x1234);

	ck_assert_int_eq(mt(t, pol("linux-5.4"), "a", "b", NULL, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(mt(t, pol("linux-5.10"), "a", "b", NULL, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- linux-5.10 -> linux-5.15 ----------------------------------------- */

START_TEST(test_after_v5_10_print_warning_host_bridge_not_in_whitelist)
{
	/* "PCI/P2PDMA: Print a warning if the host bridge is not in the
	 * whitelist" (between v5.10 and v5.15): a/a1 below rp3, whose ACS RR redirects; the
	 * root device 8086:1234 is not listed.  Same verdict, one more line;
	 * and the ACS list buffer went from PAGE_SIZE to 128 bytes. */
	struct dmasim_topo *t = intel_root(0x8086, 0x1234);
	struct dmasim_log log;
	int d;

	ck_assert_int_eq(mt(t, pol("linux-5.10"), "a", "a1", &d, &log),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(d, 2);
	ck_assert_uint_eq(log.nlines, 3);
	ck_assert(!dmasim_log_contains(&log, "whitelist:"));
	ck_assert_int_eq(mt(t, pol("linux-5.15"), "a", "a1", &d, &log),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_uint_eq(log.nlines, 4);
	ck_assert(dmasim_log_contains(&log,
		"pci 0000:00:00.0: Host bridge not in P2PDMA whitelist: 8086:1234"));
	ck_assert_uint_eq(pol("linux-5.10")->acs_list_size, 4096);
	ck_assert_uint_eq(pol("linux-5.15")->acs_list_size, 128);
	dmasim_topo_destroy(t);
}
END_TEST

static struct dmasim_dma_result R;

static struct dmasim_dma_ctx *ctx(const struct dmasim_topo *t, const char *policy)
{
	struct dmasim_dma_ctx *c;
	struct dmasim_error err;

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_dma_ctx_create(t, pol(policy), &c, &err), DMASIM_OK);
	return c;
}

static void map(struct dmasim_dma_ctx *c, const struct dmasim_topo *t,
		const char *dev, const char *target)
{
	struct dmasim_dma_target tg;
	struct dmasim_error err;

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_dma_target_parse(t, target, &tg, &err), DMASIM_OK);
	ck_assert_int_eq(dmasim_dma_map_resource(c, tu_dev(t, dev), tg.phys, 4096,
						 DMASIM_DMA_BIDIRECTIONAL, &R, &err),
			 DMASIM_OK);
}

START_TEST(test_be62dbf554c5_v5_13_amd_vi_map_resource_through_dma_iommu)
{
	/* "iommu/amd: Convert to using dma-iommu" (v5.13): AMD-Vi's ops had no
	 * .map_resource before, so dma_map_resource() failed (v5.1+). */
	struct dmasim_topo *t = tu_load_file(DMASIM_TEST_DATA "/dma/amd-vi.yaml");
	struct dmasim_dma_ctx *c = ctx(t, "linux-5.10");

	map(c, t, "dev40", "dev40.bar0");
	ck_assert_int_eq(R.reason, DMASIM_DMA_REASON_NO_MAP_RESOURCE);
	ck_assert(R.mapping_error);
	dmasim_dma_ctx_destroy(c);
	c = ctx(t, "linux-5.15");
	map(c, t, "dev40", "dev40.bar0");
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_IOMMU);
	ck_assert(!R.mapping_error);
	dmasim_dma_ctx_destroy(c);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_4e89dce72521_v5_11_iova_retry_from_top)
{
	/* drivers/iommu/iova.c __alloc_and_insert_iova_range() retries from
	 * the top of the range (v5.11); before, a failure below the cached
	 * node was final. */
	ck_assert(!pol("linux-5.10")->iova_retry_from_top);
	ck_assert(pol("linux-5.15")->iova_retry_from_top);
}
END_TEST

/* ---- linux-5.15 -> linux-6.1 ------------------------------------------ */

START_TEST(test_3a19407913e8_v5_16_bus_offset_sign)
{
	/* "PCI/P2PDMA: Apply bus offset correctly in DMA address
	 * calculation": BUS_ADDR = phys + offset from v5.16. */
	ck_assert(pol("linux-5.15")->bus_offset_minus);
	ck_assert(!pol("linux-6.1")->bus_offset_minus);
}
END_TEST

START_TEST(test_v5_16_dma_map_resource_drops_pfn_valid)
{
	/* kernel/dma/mapping.c dma_map_resource(): no pfn_valid() from v5.16. */
	struct dmasim_topo *t = tu_load_file(DMASIM_TEST_DATA "/dma/x86-vtd.yaml");
	struct dmasim_dma_ctx *c = ctx(t, "linux-5.15");

	map(c, t, "nic0", "ram 0x10000");
	ck_assert_int_eq(R.reason, DMASIM_DMA_REASON_RAM_REFUSED);
	dmasim_dma_ctx_destroy(c);
	c = ctx(t, "linux-6.1");
	map(c, t, "nic0", "ram 0x10000");
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_IOMMU);
	dmasim_dma_ctx_destroy(c);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_v5_18_whitelist_3rd_gen_xeon_09a2)
{
	struct dmasim_topo *t = intel_root(0x8086, 0x09a2);

	ck_assert_int_eq(mt(t, pol("linux-5.15"), "a", "b", NULL, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(mt(t, pol("linux-6.1"), "a", "b", NULL, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_1af7c26c59eb_v5_19_root_port_at_any_devfn)
{
	/* pci_host_bridge_dev(): the root bus's first function is the
	 * whitelisted Skylake-E root port 8086:2030 at 00:02.0. */
	struct dmasim_topo *t = machine("vendor: intel, family: 6", "00:02.0",
					"root-port", 0x8086, 0x2030);
	int d;

	ck_assert_int_eq(mt(t, pol("linux-5.15"), "a", "b", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(mt(t, pol("linux-6.1"), "a", "b", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(d, 4);
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "a", "b", &d, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	dmasim_topo_destroy(t);
	/* an endpoint first at 00:02.0 is no root device in any version */
	t = machine("vendor: intel, family: 6", "00:02.0", "endpoint", 0x8086, 0x2030);
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "a", "b", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- linux-6.1 -> linux-6.6 ------------------------------------------- */

START_TEST(test_v6_4_iova_pci32_workaround_sticky)
{
	/* drivers/iommu/dma-iommu.c iommu_dma_alloc_iova(): v6.4 keeps
	 * dev->iommu->pci_32bit_workaround and drops it on the first failure
	 * with "Using %d-bit DMA addresses"; 6.1 tries 32 bits on every call
	 * and prints nothing.  Same addresses here (the 32-bit space is
	 * reserved). */
	struct dmasim_topo *t = tu_load_file(DMASIM_TEST_DATA "/dma/amd-vi.yaml");
	struct dmasim_dma_ctx *c = ctx(t, "linux-6.1");

	map(c, t, "dev40", "dev40.bar0");
	ck_assert_uint_eq(R.dma_addr, 0xfcfffff000);
	ck_assert(!dmasim_log_contains(&R.log, "Using 40-bit DMA addresses"));
	dmasim_dma_ctx_destroy(c);
	c = ctx(t, "linux-6.6");
	map(c, t, "dev40", "dev40.bar0");
	ck_assert_uint_eq(R.dma_addr, 0xfcfffff000);
	ck_assert(dmasim_log_contains(&R.log, "pci 0000:01:00.0: Using 40-bit DMA addresses"));
	dmasim_dma_ctx_destroy(c);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- linux-6.6 -> linux-6.12 ------------------------------------------ */

START_TEST(test_v6_11_pci_config_acs_rebuilds_from_firmware)
{
	/* drivers/pci/pci.c pci_enable_acs(): 6.1 (Debian linux-source-6.1)
	 * calls pci_disable_acs_redir() on the enabled word; 6.12
	 * (linux-source-6.12) __pci_config_acs() from caps.fw_ctrl, with
	 * pci=config_acs= ("PCI: Extend ACS configurability", v6.11).  Both
	 * request ACS on device-tree machines from of_iommu_configure(). */
	ck_assert_int_eq(pol("linux-6.6")->acs_cmdline, DMASIM_ACS_CMDLINE_DISABLE_REDIR);
	ck_assert_int_eq(pol("linux-6.12")->acs_cmdline, DMASIM_ACS_CMDLINE_CONFIG_ACS);
	ck_assert_int_eq(pol("linux-6.1")->acs_dt_request, DMASIM_ACS_DT_AT_FIRST_PROBE);
	ck_assert_int_eq(pol("linux-6.12")->acs_dt_request, DMASIM_ACS_DT_AT_FIRST_PROBE);
	ck_assert_int_eq(pol("seed-2018")->acs_cmdline, DMASIM_ACS_CMDLINE_NONE);
}
END_TEST

/* ---- linux-6.12 -> linux-6.19 ----------------------------------------- */

START_TEST(test_v6_19_whitelist_pci_any_id_google_and_accelerators)
{
	/* pci_p2pdma_whitelist[] of the PCI tree: {PCI_VENDOR_ID_GOOGLE,
	 * PCI_ANY_ID} matches every Google root device (int device field);
	 * Intel DSA 8086:0b25 is listed. */
	struct dmasim_topo *t = intel_root(0x1ae0, 0x0042);

	ck_assert_int_eq(mt(t, pol("linux-6.12"), "a", "b", NULL, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(mt(t, pol("linux-6.19"), "a", "b", NULL, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_ptr_eq(dmasim_policy_builtin("mainline"), pol("linux-6.19"));
	dmasim_topo_destroy(t);
	t = intel_root(0x8086, 0x0b25);
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "a", "b", NULL, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(mt(t, pol("linux-6.19"), "a", "b", NULL, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	dmasim_topo_destroy(t);
	/* Zhaoxin 1d17:1003 is same-host-bridge only: one host bridge here */
	t = intel_root(0x1d17, 0x1003);
	ck_assert_int_eq(mt(t, pol("linux-6.19"), "a", "b", NULL, NULL),
			 DMASIM_MAP_THRU_HOST_BRIDGE);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_whitelist_match_exact_treats_ffff_literally)
{
	/* Before PCI_ANY_ID support the device field was an unsigned short:
	 * an entry of 0xffff matches only device 0xffff. */
	struct dmasim_policy p = *pol("linux-6.19");
	struct dmasim_topo *t = intel_root(0x1ae0, 0x0042);

	p.whitelist_match = DMASIM_WL_MATCH_EXACT;
	ck_assert_int_eq(mt(t, &p, "a", "b", NULL, NULL), DMASIM_MAP_NOT_SUPPORTED);
	p.whitelist_match = DMASIM_WL_MATCH_ANY_ID;
	ck_assert_int_eq(mt(t, &p, "a", "b", NULL, NULL), DMASIM_MAP_THRU_HOST_BRIDGE);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- every row as a policy file --------------------------------------- */

static void assert_same_policy(const struct dmasim_policy *a,
			       const struct dmasim_policy *b)
{
	size_t i;

	ck_assert_str_eq(a->name, b->name);
	ck_assert_str_eq(a->base, b->base);
	ck_assert_int_eq(a->upstream, b->upstream);
	ck_assert_int_eq(a->decision, b->decision);
	ck_assert_int_eq(a->root_dev, b->root_dev);
	ck_assert_int_eq(a->whitelist_match, b->whitelist_match);
	ck_assert_int_eq(a->whitelist_warning, b->whitelist_warning);
	ck_assert_uint_eq(a->nwhitelist, b->nwhitelist);
	for (i = 0; i < a->nwhitelist; i++) {
		ck_assert_uint_eq(a->whitelist[i].vendor, b->whitelist[i].vendor);
		ck_assert_int_eq(a->whitelist[i].device, b->whitelist[i].device);
		ck_assert_int_eq(a->whitelist[i].same_host_bridge_only,
				 b->whitelist[i].same_host_bridge_only);
	}
	ck_assert_uint_eq(a->ncpu_rules, b->ncpu_rules);
	for (i = 0; i < a->ncpu_rules; i++) {
		ck_assert_int_eq(a->cpu_rules[i].arch, b->cpu_rules[i].arch);
		ck_assert_int_eq(a->cpu_rules[i].vendor, b->cpu_rules[i].vendor);
		ck_assert_uint_eq(a->cpu_rules[i].min_family, b->cpu_rules[i].min_family);
	}
	ck_assert_uint_eq(a->acs_redirect_bits, b->acs_redirect_bits);
	ck_assert_int_eq(a->bus_offset_minus, b->bus_offset_minus);
	ck_assert_int_eq(a->map_resource_ram, b->map_resource_ram);
	ck_assert_int_eq(a->missing_op_returns_phys, b->missing_op_returns_phys);
	for (i = 0; i < DMASIM_IOMMU_TYPE_COUNT; i++)
		ck_assert_int_eq(a->iommu_has_map_resource[i], b->iommu_has_map_resource[i]);
	ck_assert_int_eq(a->messages_420, b->messages_420);
	ck_assert_uint_eq(a->acs_list_size, b->acs_list_size);
	ck_assert_int_eq(a->iova_retry_from_top, b->iova_retry_from_top);
	ck_assert_int_eq(a->iova_pci32, b->iova_pci32);
	ck_assert_int_eq(a->acs_cmdline, b->acs_cmdline);
	ck_assert_int_eq(a->acs_dt_request, b->acs_dt_request);
}

/* `dmasim policy show NAME` loaded back. */
static void round_trip(const struct dmasim_policy *b, bool json_too,
		       struct dmasim_policy *out)
{
	struct dmasim_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	dmasim__policy_write(f, b, false);
	fclose(f);
	dmasim_error_init(&err);
	ck_assert_msg(dmasim_policy_load_string(text, len, "mine.yaml", NULL, out,
						&err) == DMASIM_OK,
		      "%s: %s", b->name, err.msg);
	free(text);
	if (json_too) {
		text = NULL;
		f = open_memstream(&text, &len);
		dmasim__policy_write(f, b, true);
		fclose(f);
		ck_assert(strstr(text, "\"format\": 1") != NULL);
		ck_assert(strstr(text, "\"sources\": {\n") != NULL);
		free(text);
	}
}

START_TEST(test_policy_show_round_trips_every_row_field_by_field)
{
	const char *const *n;
	struct dmasim_policy p, again;

	for (n = dmasim_policy_builtin_names(); *n; n++) {
		round_trip(pol(*n), true, &p);
		assert_same_policy(&p, pol(*n));
		/* and a file loaded and shown again is stable */
		round_trip(&p, false, &again);
		assert_same_policy(&again, pol(*n));
	}
}
END_TEST

START_TEST(test_policy_show_round_trip_same_matrix_on_shipped_topologies)
{
	/* Every pair of every shipped topology: the loaded copy (not a
	 * built-in object, so the per-call host-bridge path) answers as the
	 * row (the precomputed verdicts), verbose lines included. */
	static const char *const arches[] = { "x86_64", "arm64", "ppc64", "riscv64" };
	const char *const *n;
	size_t a, ntopo = 0;

	for (a = 0; a < sizeof(arches) / sizeof(arches[0]); a++) {
		char dir[512];
		DIR *d;
		struct dirent *e;

		snprintf(dir, sizeof(dir), "%s/%s", DMASIM_TOPOLOGIES, arches[a]);
		d = opendir(dir);
		ck_assert_ptr_nonnull(d);
		while ((e = readdir(d)) != NULL) {
			char path[1024];
			struct dmasim_topo *t;
			const struct dmasim_machine *m;
			size_t len = strlen(e->d_name);
			uint32_t i, j;

			if (len < 5 || strcmp(e->d_name + len - 5, ".yaml") != 0 ||
			    strstr(e->d_name, ".suite.") != NULL)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			t = tu_load_file(path);
			m = dmasim_topo_machine(t);
			ntopo++;
			for (n = dmasim_policy_builtin_names(); *n; n++) {
				struct dmasim_policy p;

				round_trip(pol(*n), false, &p);
				for (i = 0; i < m->ndevices; i++)
					for (j = 0; j < m->ndevices; j++) {
						const struct dmasim_device *x = &m->devices[i];
						const struct dmasim_device *y = &m->devices[j];
						struct dmasim_log l1, l2;
						int d1, d2;

						if (x->type != DMASIM_DEV_ENDPOINT ||
						    y->type != DMASIM_DEV_ENDPOINT)
							continue;
						dmasim_log_init(&l1);
						dmasim_log_init(&l2);
						ck_assert_int_eq(
							dmasim_p2p_map_type(t, pol(*n), x, y, &d1, 0, NULL),
							dmasim_p2p_map_type(t, &p, x, y, &d2, 0, NULL));
						ck_assert_int_eq(d1, d2);
						dmasim_p2p_map_type(t, pol(*n), x, y, &d1,
								    DMASIM_P2P_VERBOSE, &l1);
						dmasim_p2p_map_type(t, &p, x, y, &d2,
								    DMASIM_P2P_VERBOSE, &l2);
						ck_assert_str_eq(l1.text, l2.text);
					}
			}
			dmasim_topo_destroy(t);
		}
		closedir(d);
	}
	ck_assert_uint_ge(ntopo, 10);
}
END_TEST

START_TEST(test_policy_show_names_the_source_of_each_value)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	dmasim__policy_write(f, pol("linux-6.12"), false);
	fclose(f);
	/* An edited copy must be renamed (check_policy.c, bad-builtin-name*). */
	ck_assert(strstr(text, "# The built-in policy linux-6.12 as a policy file.  To edit it, first\n"
			       "# rename it (name: below): a policy named linux-6.12 must be this\n"
			       "# built-in exactly.") == text);
	ck_assert(strstr(text, "  # drivers/pci/p2pdma.c pci_host_bridge_dev(): or a PCIe Root Port at any devfn, v5.19, commit 1af7c26c59eb\n"
			       "  root_device: first-00.0-or-root-port\n") != NULL);
	ck_assert(strstr(text, "commit 3a19407913e8\n  bus_offset: plus\n") != NULL);
	free(text);
}
END_TEST

/* ---- a proposed patch as a policy file -------------------------------- */

START_TEST(test_policy_file_models_rc_bus_addr_patch)
{
	/* "Allow BUS_ADDR between root ports of one host bridge when the
	 * root complex routes P2P": hb0 routes P2P within itself (root_complex
	 * p2p: same-host-bridge), gpu0 and gpu1 are on different root ports.
	 * linux-6.12 refuses (not whitelisted); the patch maps bus addresses;
	 * across host bridges nothing changes. */
	struct dmasim_topo *t = tu_load_file(DMASIM_TEST_DATA "/fabric/rc_p2p_same_host_bridge.yaml");
	struct dmasim_policy p;
	struct dmasim_error err;
	int d;

	dmasim_error_init(&err);
	ck_assert_msg(dmasim_policy_load(DMASIM_TEST_DATA "/policy/rc-bus-addr.yaml",
					 &p, &err) == DMASIM_OK, "%s", err.msg);
	ck_assert_int_eq(p.decision, DMASIM_DECIDE_CALC_RC_BUS_ADDR);
	ck_assert_int_eq(mt(t, pol("linux-6.12"), "gpu0", "gpu1", &d, NULL),
			 DMASIM_MAP_NOT_SUPPORTED);
	ck_assert_int_eq(mt(t, &p, "gpu0", "gpu1", &d, NULL), DMASIM_MAP_BUS_ADDR);
	ck_assert_int_eq(d, 4);
	ck_assert_int_eq(mt(t, &p, "gpu0", "nic0", &d, NULL),
			 mt(t, pol("linux-6.12"), "gpu0", "nic0", NULL, NULL));
	dmasim_topo_destroy(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("policy_rows");
	TCase *tc = tcase_create("Commits");

	tcase_add_test(tc, test_494d63b0d5d0_v5_4_whitelist_intel_host_bridges);
	tcase_add_test(tc, test_0f97da831026_v5_4_amd_zen_1450_in_the_table);
	tcase_add_test(tc, test_v5_1_dma_map_resource_ram_refused_and_vtd_map_resource);
	tcase_add_test(tc, test_bc123a515cb7_v5_10_whitelist_skylake_e);
	tcase_add_test(tc, test_v5_10_cpu_supports_p2pdma_amd_zen);
	tcase_add_test(tc, test_after_v5_10_print_warning_host_bridge_not_in_whitelist);
	tcase_add_test(tc, test_be62dbf554c5_v5_13_amd_vi_map_resource_through_dma_iommu);
	tcase_add_test(tc, test_4e89dce72521_v5_11_iova_retry_from_top);
	tcase_add_test(tc, test_3a19407913e8_v5_16_bus_offset_sign);
	tcase_add_test(tc, test_v5_16_dma_map_resource_drops_pfn_valid);
	tcase_add_test(tc, test_v5_18_whitelist_3rd_gen_xeon_09a2);
	tcase_add_test(tc, test_1af7c26c59eb_v5_19_root_port_at_any_devfn);
	tcase_add_test(tc, test_v6_4_iova_pci32_workaround_sticky);
	tcase_add_test(tc, test_v6_11_pci_config_acs_rebuilds_from_firmware);
	tcase_add_test(tc, test_v6_19_whitelist_pci_any_id_google_and_accelerators);
	tcase_add_test(tc, test_whitelist_match_exact_treats_ffff_literally);
	suite_add_tcase(s, tc);
	tc = tcase_create("Show");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_policy_show_round_trips_every_row_field_by_field);
	tcase_add_test(tc, test_policy_show_round_trip_same_matrix_on_shipped_topologies);
	tcase_add_test(tc, test_policy_show_names_the_source_of_each_value);
	tcase_add_test(tc, test_policy_file_models_rc_bus_addr_patch);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
