/* dmasim tests -- dma_map_resource, P2P mappings and their verification
 * through the fabric, per architecture (src/dma). */
#include <stdio.h>
#include <sys/wait.h>
#include <string.h>

#include "testutil.h"
#include "dmasim/dma.h"

static struct dmasim_topo *T;
static struct dmasim_dma_ctx *C;
static struct dmasim_dma_result R; /* large: not on the stack */

static void open_ctx(const char *file, const char *policy)
{
	const struct dmasim_policy *p = dmasim_policy_builtin(policy);
	struct dmasim_error err;

	ck_assert_msg(p != NULL, "no built-in policy %s", policy);
	T = tu_load_file(file);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_dma_ctx_create(T, p, &C, &err), DMASIM_OK);
}

static void teardown(void)
{
	dmasim_dma_ctx_destroy(C);
	dmasim_topo_destroy(T);
	C = NULL;
	T = NULL;
}

/* map_resource from @dev to @target; the call itself must succeed. */
static const struct dmasim_dma_result *map(const char *dev, const char *target,
					   uint64_t size, enum dmasim_dma_dir dir)
{
	struct dmasim_dma_target t;
	struct dmasim_error err;

	dmasim_error_init(&err);
	ck_assert_msg(dmasim_dma_target_parse(T, target, &t, &err) == DMASIM_OK,
		      "target %s: %s", target, err.msg);
	ck_assert_msg(dmasim_dma_map_resource(C, tu_dev(T, dev), t.phys, size, dir,
					      &R, &err) == DMASIM_OK,
		      "map_resource: %s", err.msg);
	return &R;
}

static const struct dmasim_dma_result *p2p(const char *provider,
					   const char *client, uint64_t off,
					   uint64_t size)
{
	struct dmasim_error err;

	dmasim_error_init(&err);
	ck_assert_msg(dmasim_dma_p2p_map(C, tu_dev(T, provider), tu_dev(T, client),
					 off, size, &R, &err) == DMASIM_OK,
		      "p2p_map: %s", err.msg);
	return &R;
}

static void unmap(const char *dev, uint64_t dma)
{
	struct dmasim_error err;

	dmasim_error_init(&err);
	ck_assert_msg(dmasim_dma_unmap_resource(C, tu_dev(T, dev), dma, &err) == DMASIM_OK,
		      "unmap 0x%llx: %s", (unsigned long long)dma, err.msg);
}

static void assert_lands(const struct dmasim_dma_result *r, const char *want)
{
	char buf[128];

	ck_assert(r->routed);
	dmasim_landing_snprintf(buf, sizeof(buf), &r->route.land);
	ck_assert_str_eq(buf, want);
}

static void assert_ok(const struct dmasim_dma_result *r, const char *want)
{
	ck_assert_msg(r->verdict == DMASIM_DMA_VERDICT_OK, "verdict %s: %s / %s",
		      dmasim_dma_verdict_name(r->verdict), r->why, r->route.why);
	ck_assert_int_eq(r->fault, DMASIM_FAULT_NONE);
	assert_lands(r, want);
}

static void assert_invalid(const struct dmasim_dma_result *r, const char *lands)
{
	ck_assert_msg(r->verdict == DMASIM_DMA_VERDICT_INVALID_ADDRESS,
		      "verdict %s: %s", dmasim_dma_verdict_name(r->verdict), r->why);
	ck_assert_int_eq(r->fault, DMASIM_FAULT_INVALID_ADDRESS);
	ck_assert(!r->mapping_error);
	assert_lands(r, lands);
}

static void assert_refused(const struct dmasim_dma_result *r,
			   enum dmasim_dma_reason why)
{
	ck_assert_msg(r->verdict == DMASIM_DMA_VERDICT_REFUSED, "verdict %s",
		      dmasim_dma_verdict_name(r->verdict));
	ck_assert(r->mapping_error);
	ck_assert_uint_eq(r->dma_addr, DMASIM_DMA_MAPPING_ERROR);
	ck_assert_int_eq(r->path, DMASIM_DMA_PATH_REFUSED);
	ck_assert_msg(r->reason == why, "reason %s, want %s",
		      dmasim_dma_reason_name(r->reason), dmasim_dma_reason_name(why));
	ck_assert(!r->routed);
}

/* ---- x86_64, Intel VT-d ------------------------------------------------ */

START_TEST(test_dma_x86_iommu_dma_map_resource_observed_iova_sequence)
{
	/* iommu_dma_map_resource -> __iommu_dma_map -> iommu_dma_alloc_iova
	 * (alloc_iova_fast) and dma_unmap_resource -> __iommu_dma_unmap
	 * (free_iova_fast): the sequence seen on a 6.1 kernel. */
	static const struct { bool unmap; uint64_t size, want; } seq[] = {
		{ false, 4096, 0xfffff000 }, { false, 4096, 0xffffe000 },
		{ false, 4096, 0xffffd000 }, { true, 0, 0xffffe000 },
		{ false, 4096, 0xffffe000 }, { false, 8192, 0xffffa000 },
		{ true, 0, 0xfffff000 },     { false, 4096, 0xfffff000 },
		{ false, 4096, 0xffff9000 }, { false, 8192, 0xffff6000 },
	};
	char target[64];
	size_t i;

	open_ctx(DMASIM_TOPOLOGIES "/x86_64/skylake-plx.yaml", "linux-6.12");
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		if (seq[i].unmap) {
			unmap("nic0", seq[i].want);
			continue;
		}
		snprintf(target, sizeof(target), "gpu0.bar0 + 0x%zx", i * 0x10000);
		map("nic0", target, seq[i].size, DMASIM_DMA_BIDIRECTIONAL);
		ck_assert_int_eq(R.path, DMASIM_DMA_PATH_IOMMU);
		ck_assert_str_eq(R.op, "iommu_dma_map_resource");
		ck_assert_msg(R.dma_addr == seq[i].want, "step %zu: 0x%llx, want 0x%llx", i,
			      (unsigned long long)R.dma_addr, (unsigned long long)seq[i].want);
		if (i)
			snprintf(target, sizeof(target), "gpu0.bar0 + 0x%zx", i * 0x10000);
		else
			snprintf(target, sizeof(target), "gpu0.bar0");
		assert_ok(&R, target);
	}
	ck_assert_uint_eq(dmasim_dma_ctx_nmappings(C), 6);
	teardown();
}
END_TEST

START_TEST(test_dma_x86_iommu_reserved_windows_and_msi_skipped)
{
	/* iova_reserve_pci_windows (the 0xff000000 window) and
	 * iova_reserve_iommu_regions (the VT-d IOAPIC/MSI range) */
	open_ctx("dma/x86-vtd.yaml", "linux-6.12");
	map("nic0", "gpu0.bar0", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_uint_eq(R.dma_addr, 0xfefff000);
	assert_ok(&R, "gpu0.bar0");
	/* 2 MiB: 512 pages, aligned to 2 MiB, below the MSI range */
	map("nic0", "gpu0.bar1", 2 << 20, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_uint_eq(R.dma_addr, 0xfec00000);
	ck_assert_uint_eq(R.iova_alloc_len, 2 << 20);
	assert_ok(&R, "gpu0.bar1");
	teardown();
}
END_TEST

START_TEST(test_dma_x86_iommu_keeps_page_offset_and_rounds_pow2)
{
	/* __iommu_dma_map: iova_off = phys & (granule - 1) is added back;
	 * alloc_iova_fast rounds 20 pages to 32, naturally aligned
	 * (dma-iommu with a non-identity domain). */
	open_ctx(DMASIM_TOPOLOGIES "/x86_64/skylake-plx.yaml", "linux-6.12");
	map("nic0", "gpu0.bar0 + 0x1234", 0x100, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_uint_eq(R.dma_addr, 0xfffff234);
	ck_assert_uint_eq(R.iova, 0xfffff000);
	ck_assert_uint_eq(R.iova_len, 0x1000);
	ck_assert_uint_eq(R.prot, DMASIM_PROT_READ | DMASIM_PROT_WRITE | DMASIM_PROT_MMIO);
	assert_ok(&R, "gpu0.bar0 + 0x1234");
	/* crossing a page boundary needs two pages */
	map("nic0", "gpu0.bar0 + 0x10ff0", 0x20, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_uint_eq(R.iova_len, 0x2000);
	ck_assert_uint_eq(R.dma_addr, 0xffffcff0); /* 2 pages, 2-aligned */
	map("nic0", "gpu0.bar1", 80 * 1024, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_uint_eq(R.iova_alloc_len, 128 * 1024);
	ck_assert_uint_eq(R.dma_addr, 0xfffc0000);
	assert_ok(&R, "gpu0.bar1");
	teardown();
}
END_TEST

START_TEST(test_dma_x86_dma_info_to_prot_wrong_direction_write_faults)
{
	/* dma_info_to_prot: DMA_TO_DEVICE -> IOMMU_READ only; a write by
	 * the device to that IOVA is an IOMMU fault. */
	struct dmasim_route rt;

	open_ctx("dma/x86-vtd.yaml", "linux-6.12");
	map("nic0", "gpu0.bar0", 4096, DMASIM_DMA_TO_DEVICE);
	ck_assert_uint_eq(R.prot, DMASIM_PROT_READ | DMASIM_PROT_MMIO);
	ck_assert(!R.write); /* verified as the read it is for */
	assert_ok(&R, "gpu0.bar0");
	ck_assert_int_eq(dmasim_route(T, dmasim_dma_ctx_pt(C), tu_dev(T, "nic0"),
				      R.dma_addr, 4096, true, &rt), DMASIM_OK);
	ck_assert_int_eq(rt.land.kind, DMASIM_LAND_FAULT);
	ck_assert_int_eq(rt.land.fault, DMASIM_FAULT_IOMMU_FAULT);
	/* DMA_FROM_DEVICE: write only, verified as a write */
	map("nic0", "gpu0.bar0 + 0x1000", 4096, DMASIM_DMA_FROM_DEVICE);
	ck_assert_uint_eq(R.prot, DMASIM_PROT_WRITE | DMASIM_PROT_MMIO);
	ck_assert(R.write);
	assert_ok(&R, "gpu0.bar0 + 0x1000");
	teardown();
}
END_TEST

START_TEST(test_dma_x86_iommu_32bit_mask_stays_below_4g)
{
	/* iommu_dma_alloc_iova: dma_limit = 0xffffffff, no 64-bit fallback */
	open_ctx("dma/x86-vtd.yaml", "linux-6.12");
	map("nic32", "gpu0.bar1 + 0x2000", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_uint_eq(R.dma_addr, 0xfefff000);
	ck_assert_uint_eq(R.iommu_group, tu_dev(T, "nic32")->iommu_group);
	assert_ok(&R, "gpu0.bar1 + 0x2000");
	teardown();
}
END_TEST

START_TEST(test_dma_x86_identity_domain_is_dma_direct)
{
	/* iommu_setup_dma_ops leaves identity domains on dma-direct:
	 * dma_direct_map_resource returns phys (bus == CPU on x86). */
	open_ctx("dma/x86-vtd.yaml", "linux-6.12");
	map("nicpt", "gpu0.bar0 + 0x40", 64, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_DIRECT);
	ck_assert_str_eq(R.op, "dma_direct_map_resource");
	ck_assert_uint_eq(R.dma_addr, 0xc1000040);
	assert_ok(&R, "gpu0.bar0 + 0x40");
	teardown();
}
END_TEST

START_TEST(test_dma_x86_blocked_domain_refused)
{
	open_ctx("dma/x86-vtd.yaml", "linux-6.12");
	map("nicblk", "gpu0.bar0", 4096, DMASIM_DMA_BIDIRECTIONAL);
	assert_refused(&R, DMASIM_DMA_REASON_BLOCKED_DOMAIN);
	ck_assert_int_eq(R.fault, DMASIM_FAULT_MAPPING_ERROR);
	teardown();
}
END_TEST

START_TEST(test_dma_x86_420_intel_ops_without_map_resource_return_phys)
{
	/* dma_map_resource v4.9-v5.0: intel_dma_ops has no .map_resource,
	 * so phys comes back and the device's DMA faults in the IOMMU
	 * ("drivers relying on dma_map_resource() will trigger DMAR errors") */
	open_ctx("dma/x86-vtd.yaml", "linux-4.20");
	map("nic0", "gpu0.bar0 + 0x1000", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_NO_OP_PHYS);
	ck_assert_str_eq(R.op, "intel_dma_ops");
	ck_assert_uint_eq(R.dma_addr, 0xc1001000);
	assert_invalid(&R, "iommu-fault");
	/* nothing went into the page tables */
	ck_assert_uint_eq(dmasim_iommu_pt_count(dmasim_dma_ctx_pt(C),
						tu_dev(T, "nic0")->iommu_group), 0);
	teardown();
}
END_TEST

START_TEST(test_dma_x86_515_intel_map_resource_gives_iova)
{
	/* v5.1+ "iommu/vt-d: Implement dma_[un]map_resource()" */
	open_ctx("dma/x86-vtd.yaml", "linux-5.15");
	map("nic0", "gpu0.bar0", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_IOMMU);
	ck_assert_uint_eq(R.dma_addr, 0xfefff000);
	assert_ok(&R, "gpu0.bar0");
	teardown();
}
END_TEST

START_TEST(test_dma_map_resource_ram_by_version)
{
	/* kernel/dma/mapping.c dma_map_resource: BUG_ON(pfn_valid) in
	 * v4.9-v5.0, WARN + DMA_MAPPING_ERROR in v5.1-v5.15, no test from
	 * v5.16 (Mike Rapoport). */
	open_ctx("dma/x86-vtd.yaml", "linux-4.20");
	map("nic0", "ram 0x10000", 4096, DMASIM_DMA_BIDIRECTIONAL);
	assert_refused(&R, DMASIM_DMA_REASON_RAM_BUG);
	teardown();
	open_ctx("dma/x86-vtd.yaml", "linux-5.15");
	map("nic0", "ram 0x10000", 4096, DMASIM_DMA_BIDIRECTIONAL);
	assert_refused(&R, DMASIM_DMA_REASON_RAM_REFUSED);
	ck_assert_int_eq(R.fault, DMASIM_FAULT_MAPPING_ERROR);
	teardown();
	open_ctx("dma/x86-vtd.yaml", "linux-6.12");
	map("nic0", "ram 0x10000", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_IOMMU);
	assert_ok(&R, "ram 0x10000");
	teardown();
}
END_TEST

START_TEST(test_dma_unmap_resource_errors_and_group_sharing)
{
	/* dma_unmap_resource: nothing mapped -> mapping-error */
	struct dmasim_error err;
	uint64_t a;

	open_ctx(DMASIM_TOPOLOGIES "/x86_64/skylake-plx.yaml", "linux-6.12");
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_dma_unmap_resource(C, tu_dev(T, "nic0"), 0xfffff000, &err),
			 DMASIM_ENOTFOUND);
	ck_assert(strstr(err.msg, "mapping-error") != NULL);
	/* gpu0 and its downstream port dsp0 share an IOMMU group (ACS off
	 * on dsp0): one IOVA space, so either may unmap */
	map("gpu0", "nvme0.bar4", 4096, DMASIM_DMA_BIDIRECTIONAL);
	a = R.dma_addr;
	ck_assert_uint_eq(a, 0xfffff000);
	map("dsp0", "nvme0.bar4 + 0x1000", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_uint_eq(R.dma_addr, 0xffffe000);
	unmap("dsp0", a);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_dma_unmap_resource(C, tu_dev(T, "gpu0"), a, &err),
			 DMASIM_ENOTFOUND);
	/* nic0's group is another IOVA space: its first IOVA is the top */
	map("nic0", "gpu0.bar0", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_uint_eq(R.dma_addr, 0xfffff000);
	teardown();
}
END_TEST

START_TEST(test_dma_x86_p2p_thru_host_bridge_through_iommu)
{
	/* pci_p2pdma_map_type = THRU_HOST_BRIDGE (ACS RR|CR on the switch
	 * ports, whitelisted 8086:2030) -> iommu_dma_map_sg: an IOVA whose
	 * translation reaches the provider's BAR through the root complex. */
	open_ctx("dma/x86-vtd.yaml", "linux-6.12");
	p2p("nvme0", "gpu0", 0x3000, 4096);
	ck_assert_int_eq(R.map_type, DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_IOMMU);
	ck_assert_str_eq(R.op, "iommu_dma_map_sg");
	ck_assert_uint_eq(R.dma_addr, 0xfefff000);
	ck_assert_uint_eq(R.prot, DMASIM_PROT_READ | DMASIM_PROT_WRITE);
	assert_ok(&R, "nvme0.bar4 + 0x3000");
	ck_assert(dmasim_log_contains(&R.log, "ACS redirect is set between the client and provider"));
	teardown();
}
END_TEST

START_TEST(test_dma_x86_p2p_not_supported_is_refusal)
{
	/* v4.20 upstream_bridge_distance: ACS redirect -> not supported */
	open_ctx("dma/x86-vtd.yaml", "linux-4.20");
	p2p("nvme0", "gpu0", 0, 4096);
	ck_assert_int_eq(R.map_type, DMASIM_MAP_NOT_SUPPORTED);
	assert_refused(&R, DMASIM_DMA_REASON_P2P_NOT_SUPPORTED);
	ck_assert_int_eq(R.fault, DMASIM_FAULT_NOT_SUPPORTED);
	teardown();
}
END_TEST

START_TEST(test_dma_x86_seed2018_maps_with_dma_map_resource)
{
	/* The 2018 proposal: pci_peer_traffic_supported() says yes (an IOMMU
	 * is present), then dma_map_resource(); VT-d ops had no
	 * .map_resource, so the device gets the CPU address and faults. */
	open_ctx("dma/x86-vtd.yaml", "seed-2018");
	p2p("nvme0", "gpu0", 0, 4096);
	ck_assert_int_eq(R.map_type, DMASIM_MAP_THRU_HOST_BRIDGE);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_NO_OP_PHYS);
	ck_assert_uint_eq(R.dma_addr, 0x38800000000);
	assert_invalid(&R, "iommu-fault");
	teardown();
}
END_TEST

/* ---- x86_64, AMD-Vi --------------------------------------------------- */

START_TEST(test_dma_amd_32bit_first_then_full_limit_skips_ht_hole)
{
	/* iommu_dma_alloc_iova: the 32-bit attempt fails, the workaround is
	 * dropped with "Using %d-bit DMA addresses", then the full 40-bit
	 * limit, below the HT hole (amd_iommu_get_resv_regions). */
	open_ctx("dma/amd-vi.yaml", "linux-6.12");
	map("dev40", "dev40.bar0", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_uint_eq(R.dma_addr, 0xfcfffff000);
	ck_assert(dmasim_log_contains(&R.log, "pci 0000:01:00.0: Using 40-bit DMA addresses"));
	assert_ok(&R, "dev40.bar0");
	map("dev40", "dev40.bar0 + 0x1000", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_uint_eq(R.dma_addr, 0xfcffffe000);
	ck_assert_uint_eq(R.log.nlines, 0); /* sticky: no second notice */
	teardown();
}
END_TEST

/* ---- arm64 ------------------------------------------------------------- */

START_TEST(test_dma_arm64_direct_map_resource_window_offset_invalid)
{
	/* dma_direct_map_resource returns phys, not the bus address
	 * (kernel/dma/direct.c dma_direct_map_resource): the device's write goes up to
	 * the root complex, which does not route P2P. */
	open_ctx("dma/arm64-direct.yaml", "linux-6.12");
	map("gpu0", "nvme0.bar2", 64 * 1024, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_DIRECT);
	ck_assert_uint_eq(R.dma_addr, 0x410000000);
	ck_assert_int_eq(R.target.kind, DMASIM_LAND_BAR);
	assert_invalid(&R, "rc-p2p-blocked");
	teardown();
}
END_TEST

START_TEST(test_dma_arm64_direct_mask_too_small_message)
{
	/* dma_direct_map_resource -> !dma_capable */
	open_ctx("dma/arm64-direct.yaml", "linux-6.12");
	map("cap0", "nvme0.bar2", 64 * 1024, DMASIM_DMA_BIDIRECTIONAL);
	assert_refused(&R, DMASIM_DMA_REASON_OVERFLOW);
	ck_assert_str_eq(R.log.text,
			 "pci 0000:05:00.0: DMA addr 0x0000000410000000+65536 overflow (mask ffffffff, bus limit 0).\n");
	teardown();
}
END_TEST

START_TEST(test_dma_arm64_p2p_bus_addr_sign_bug_515_vs_612)
{
	/* pci_p2pdma_map_sg (<= v5.15: phys - bus_offset) against
	 * pci_p2pdma_map_segment (v5.16+: phys + bus_offset) */
	open_ctx("dma/arm64-direct.yaml", "linux-5.15");
	p2p("nvme0", "gpu0", 0, 4096);
	ck_assert_int_eq(R.map_type, DMASIM_MAP_BUS_ADDR);
	ck_assert_int_eq(R.p2p_dist, 4);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_P2P_BUS_ADDR);
	ck_assert_int_eq(R.bus_offset, -0x400000000ll);
	ck_assert_uint_eq(R.dma_addr, 0x810000000);
	assert_invalid(&R, "unsupported-request");
	teardown();
	open_ctx("dma/arm64-direct.yaml", "linux-6.12");
	p2p("nvme0", "gpu0", 0x2000, 4096);
	ck_assert_int_eq(R.map_type, DMASIM_MAP_BUS_ADDR);
	ck_assert_uint_eq(R.dma_addr, 0x10002000);
	ck_assert_str_eq(R.op, "pci_p2pdma_map_segment");
	assert_ok(&R, "nvme0.bar2 + 0x2000");
	/* the route stays in the switch: dsp0 -> dsp1 */
	ck_assert_int_eq(R.route.hops[0].action, DMASIM_HOP_SIBLING);
	teardown();
}
END_TEST

START_TEST(test_dma_arm64_smmu_iova_skips_windows_and_dma_range_gaps)
{
	/* iommu_dma_map_resource on SMMUv3: IOVAs avoid
	 * the windows' bus ranges and the gaps around dma-ranges
	 * (iova_reserve_pci_windows); the IOMMU turns the IOVA into the CPU
	 * address, which the root complex routes to the BAR. */
	open_ctx("dma/arm64-smmu.yaml", "linux-6.12");
	map("gpu0", "nvme0.bar2", 64 * 1024, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_IOMMU);
	ck_assert_uint_eq(R.dma_addr, 0xffff0000);
	assert_ok(&R, "nvme0.bar2");
	teardown();
}
END_TEST

START_TEST(test_dma_arm64_smmu_dma_range_gap_exhausts_small_mask)
{
	/* iova_reserve_pci_windows reserves [0, first dma-range] (up to and
	 * including the range's first page) and the windows' bus ranges:
	 * a 31-bit device has no IOVA left (alloc_iova_fast -> 0). */
	open_ctx("dma/arm64-smmu.yaml", "linux-6.12");
	map("cap31", "nvme0.bar2", 4096, DMASIM_DMA_BIDIRECTIONAL);
	assert_refused(&R, DMASIM_DMA_REASON_IOVA_EXHAUSTED);
	ck_assert_str_eq(R.op, "iommu_dma_map_resource");
	teardown();
}
END_TEST

START_TEST(test_dma_arm64_identity_direct_outside_inbound_window)
{
	/* identity domain -> dma_direct_map_resource: capable (bus_dma_limit
	 * from dma-ranges is 0xf_ffff_ffff) but the CPU address is no bus
	 * address the inbound dma-ranges accept. */
	open_ctx("dma/arm64-smmu.yaml", "linux-6.12");
	map("nic1", "nvme0.bar2", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_DIRECT);
	ck_assert_uint_eq(R.dma_addr, 0x410000000);
	assert_invalid(&R, "outside-inbound-window");
	teardown();
}
END_TEST

/* ---- ppc64, TCE ---------------------------------------------------------- */

START_TEST(test_dma_ppc64_tce_ops_without_map_resource)
{
	/* arch/powerpc dma_iommu_ops has no .map_resource: raw phys on
	 * v4.9-v5.0 (no TCE entry, so the DMA faults), DMA_MAPPING_ERROR
	 * from v5.1. */
	open_ctx("dma/ppc64-tce.yaml", "linux-4.20");
	map("nic0", "gpu0.bar0", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_NO_OP_PHYS);
	ck_assert_str_eq(R.op, "dma_iommu_ops");
	ck_assert_uint_eq(R.dma_addr, 0x200000000000);
	assert_invalid(&R, "iommu-fault");
	teardown();
	open_ctx("dma/ppc64-tce.yaml", "linux-5.15");
	map("nic0", "gpu0.bar0", 4096, DMASIM_DMA_BIDIRECTIONAL);
	assert_refused(&R, DMASIM_DMA_REASON_NO_MAP_RESOURCE);
	teardown();
	open_ctx("dma/ppc64-tce.yaml", "linux-6.12");
	map("nic0", "gpu0.bar0", 4096, DMASIM_DMA_BIDIRECTIONAL);
	assert_refused(&R, DMASIM_DMA_REASON_NO_MAP_RESOURCE);
	teardown();
}
END_TEST

START_TEST(test_dma_ppc64_bypass_needs_mask_covering_ram)
{
	/* dma_go_direct with dma_ops_bypass: direct only when the mask
	 * covers dma_direct_get_required_mask (16 GiB of RAM -> 34 bits) */
	open_ctx("dma/ppc64-tce.yaml", "linux-6.12");
	map("gpu0", "ram 0x2000", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_DIRECT);
	assert_ok(&R, "ram 0x2000");
	/* the 32-bit window has an offset: phys is not the bus address,
	 * and the PHB does not route P2P anyway */
	map("gpu0", "nic0.bar0", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_DIRECT);
	ck_assert_uint_eq(R.dma_addr, 0x3fe080000000);
	assert_invalid(&R, "rc-p2p-blocked");
	/* cap0: identity but a 32-bit mask -> the TCE ops */
	map("cap0", "nic0.bar0", 4096, DMASIM_DMA_BIDIRECTIONAL);
	assert_refused(&R, DMASIM_DMA_REASON_NO_MAP_RESOURCE);
	teardown();
}
END_TEST

/* ---- riscv64 --------------------------------------------------------------- */

START_TEST(test_dma_riscv64_direct_bus_limit_from_dma_ranges)
{
	/* of_dma_configure_id: bus_dma_limit = top of dma-ranges, so
	 * dma_direct_map_resource of a BAR above it fails dma_capable() */
	open_ctx("dma/riscv64.yaml", "linux-6.12");
	map("nic0", "nvme0.bar0", 4096, DMASIM_DMA_BIDIRECTIONAL);
	assert_refused(&R, DMASIM_DMA_REASON_OVERFLOW);
	ck_assert(dmasim_log_contains(&R.log,
		"DMA addr 0x0000000410000000+4096 overflow (mask ffffffffffffffff, bus limit ffffffff)."));
	teardown();
}
END_TEST

START_TEST(test_dma_riscv64_direct_ignores_dma_ranges_for_ram)
{
	/* dma_direct_map_resource applies no phys_to_dma (kernel/dma/direct.c,
	 * "Direct map_resource ignores dma-ranges"): RAM at 0x8000_1000 is
	 * bus 0x1000, but the device is told 0x8000_1000 and writes RAM at
	 * 0x1_0000_1000 instead. */
	open_ctx("dma/riscv64.yaml", "linux-6.12");
	map("nic0", "ram 0x80001000", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_DIRECT);
	ck_assert_uint_eq(R.dma_addr, 0x80001000);
	assert_invalid(&R, "ram 0x100001000");
	teardown();
}
END_TEST

START_TEST(test_dma_riscv64_p2p_bus_addr_under_switch)
{
	/* pci_p2pdma_map_segment: phys + (BAR bus - BAR CPU) */
	open_ctx("dma/riscv64.yaml", "linux-6.12");
	p2p("nvme0", "nic0", 0x10, 0x100);
	ck_assert_int_eq(R.map_type, DMASIM_MAP_BUS_ADDR);
	ck_assert_uint_eq(R.dma_addr, 0x50000010);
	assert_ok(&R, "nvme0.bar0 + 0x10");
	teardown();
}
END_TEST

/* ---- targets and arguments ---------------------------------------------------- */

START_TEST(test_dma_target_parse_forms)
{
	struct dmasim_dma_target t;
	struct dmasim_error err;

	T = tu_load_file("dma/x86-vtd.yaml");
	ck_assert_int_eq(dmasim_dma_target_parse(T, "gpu0.bar1", &t, NULL), DMASIM_OK);
	ck_assert(t.is_bar);
	ck_assert_uint_eq(t.phys, 0x38000000000);
	ck_assert_int_eq(dmasim_dma_target_parse(T, "gpu0.bar0 + 0x1000", &t, NULL), DMASIM_OK);
	ck_assert_uint_eq(t.offset, 0x1000);
	ck_assert_uint_eq(t.phys, 0xc1001000);
	ck_assert_int_eq(dmasim_dma_target_parse(T, "gpu0.bar0+4K", &t, NULL), DMASIM_OK);
	ck_assert_uint_eq(t.phys, 0xc1001000);
	ck_assert_int_eq(dmasim_dma_target_parse(T, "0000:03:00.0.bar0", &t, NULL), DMASIM_OK);
	ck_assert_ptr_eq(t.dev, tu_dev(T, "gpu0"));
	ck_assert_int_eq(dmasim_dma_target_parse(T, "ram 0x1000", &t, NULL), DMASIM_OK);
	ck_assert(!t.is_bar);
	ck_assert_uint_eq(t.phys, 0x1000);
	ck_assert_int_eq(dmasim_dma_target_parse(T, " 0x38000000000 ", &t, NULL), DMASIM_OK);
	ck_assert_uint_eq(t.phys, 0x38000000000);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_dma_target_parse(T, "gpu9.bar0", &t, &err), DMASIM_ENOTFOUND);
	ck_assert(strstr(err.msg, "gpu9") != NULL);
	ck_assert_int_eq(dmasim_dma_target_parse(T, "gpu0.bar3", &t, NULL), DMASIM_ENOTFOUND);
	ck_assert_int_eq(dmasim_dma_target_parse(T, "gpu0.bar0 + 16M", &t, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_dma_target_parse(T, "gpu0.bar0 - 4", &t, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_dma_target_parse(T, "ram banana", &t, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_dma_target_parse(T, "nowhere", &t, NULL), DMASIM_EINVAL);
	dmasim_topo_destroy(T);
	T = NULL;
}
END_TEST

START_TEST(test_dma_bad_arguments)
{
	struct dmasim_error err;

	open_ctx("dma/x86-vtd.yaml", "linux-6.12");
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_dma_map_resource(C, tu_dev(T, "nic0"), 0x1000, 0,
						 DMASIM_DMA_BIDIRECTIONAL, &R, &err),
			 DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_dma_map_resource(C, tu_dev(T, "nic0"), ~0ull, 2,
						 DMASIM_DMA_BIDIRECTIONAL, &R, NULL),
			 DMASIM_EINVAL);
	/* gpu0 offers no p2pmem */
	ck_assert_int_eq(dmasim_dma_p2p_map(C, tu_dev(T, "gpu0"), tu_dev(T, "nvme0"),
					    0, 4096, &R, NULL), DMASIM_EINVAL);
	/* outside the p2pmem BAR (1 GiB) */
	ck_assert_int_eq(dmasim_dma_p2p_map(C, tu_dev(T, "nvme0"), tu_dev(T, "gpu0"),
					    (1ull << 30) - 4096, 8192, &R, NULL), DMASIM_EINVAL);
	ck_assert_uint_eq(dmasim_dma_ctx_nmappings(C), 0);
	ck_assert_int_eq(dmasim_dma_dir_parse("to_device"), DMASIM_DMA_TO_DEVICE);
	ck_assert_int_eq(dmasim_dma_dir_parse("sideways"), DMASIM_DMA_DIR_COUNT);
	ck_assert_str_eq(dmasim_dma_reason_name(DMASIM_DMA_REASON_BLOCKED_DOMAIN), "blocked-domain");
	ck_assert_str_eq(dmasim_dma_reason_name(DMASIM_DMA_REASON_P2P_NOT_SUPPORTED),
			 "p2p-not-supported");
	ck_assert_str_eq(dmasim_dma_path_name(DMASIM_DMA_PATH_NO_OP_PHYS), "no-op-phys");
	ck_assert_str_eq(dmasim_dma_verdict_name(DMASIM_DMA_VERDICT_INVALID_ADDRESS),
			 "invalid-address");
	teardown();
}
END_TEST

START_TEST(test_dma_iommu_dma_init_domain_failure_keeps_platform_ops)
{
	/* iommu_dma_init_domain: a dma_range_map entirely above the
	 * aperture fails ("specified DMA range outside IOMMU capability");
	 * iommu_setup_dma_ops then keeps the platform (direct) ops while the
	 * device stays attached to the translating domain, so its DMA faults. */
	static const char yaml[] =
		"dmasim: 1\n"
		"arch: arm64\n"
		"ram: [ { base: 0x880000000, size: 4G } ]\n"
		"iommus: [ { name: smmu0, type: smmuv3, address_bits: 32, default_domain: dma } ]\n"
		"host_bridges:\n"
		"  - name: pcie0\n"
		"    buses: [0x00, 0x0f]\n"
		"    iommu: smmu0\n"
		"    root_complex: { p2p: same-host-bridge }\n"
		"    windows: [ { kind: mem, cpu: 0x400000000, bus: 0x0, size: 1G } ]\n"
		"    dma_ranges: [ { bus: 0x880000000, cpu: 0x880000000, size: 4G } ]\n"
		"    devices:\n"
		"      - bdf: 00:00.0\n"
		"        type: root-port\n"
		"        name: rp0\n"
		"        acs: { cap: [sv, rr, cr, uf], ctrl: [sv, rr, cr, uf] }\n"
		"        children:\n"
		"          - { bdf: 01:00.0, type: endpoint, name: ep0, bars: [ { index: 0, base: 0x400000000, size: 1M } ] }\n";
	struct dmasim_error err;

	T = tu_load(yaml);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_dma_ctx_create(T, dmasim_policy_builtin("linux-6.12"), &C, &err),
			 DMASIM_OK);
	map("ep0", "ram 0x880000000", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert(dmasim_log_contains(&R.log, "specified DMA range outside IOMMU capability"));
	ck_assert(dmasim_log_contains(&R.log,
		"Failed to set up IOMMU for device 0000:01:00.0; retaining platform DMA ops"));
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_DIRECT);
	ck_assert_uint_eq(R.dma_addr, 0x880000000);
	assert_invalid(&R, "iommu-fault");
	teardown();
}
END_TEST

START_TEST(test_dma_target_fits_the_named_bar)
{
	struct dmasim_dma_target t;
	struct dmasim_error err;

	T = tu_load_file("dma/x86-vtd.yaml");
	/* gpu0 BAR 0 is 16M: the last page fits, two pages from there do not */
	ck_assert_int_eq(dmasim_dma_target_parse(T, "gpu0.bar0+0xfff000", &t, NULL), DMASIM_OK);
	ck_assert_int_eq(dmasim_dma_target_fits(&t, 0x1000, NULL), DMASIM_OK);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_dma_target_fits(&t, 0x2000, &err), DMASIM_EINVAL);
	ck_assert_str_eq(err.msg, "target gpu0.bar0+0xfff000: offset 0xfff000 + size 0x2000 runs past the end of BAR 0 of gpu0 (0x1000000 bytes, 0x1000 from that offset)");
	/* gpu0 BAR 1 is 16G */
	ck_assert_int_eq(dmasim_dma_target_parse(T, "gpu0.bar1", &t, NULL), DMASIM_OK);
	ck_assert_int_eq(dmasim_dma_target_fits(&t, 16ull << 30, NULL), DMASIM_OK);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_dma_target_fits(&t, 1ull << 40, &err), DMASIM_EINVAL);
	ck_assert_str_eq(err.msg, "target gpu0.bar1: offset 0x0 + size 0x10000000000 runs past the end of BAR 1 of gpu0 (0x400000000 bytes, 0x400000000 from that offset)");
	ck_assert_int_eq(dmasim_dma_target_fits(&t, UINT64_MAX, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_dma_target_fits(&t, 0, NULL), DMASIM_EINVAL);
	/* a CPU address is taken as given: the verification says what it is */
	ck_assert_int_eq(dmasim_dma_target_parse(T, "0xc1fff000", &t, NULL), DMASIM_OK);
	ck_assert_int_eq(dmasim_dma_target_fits(&t, 0x2000, NULL), DMASIM_OK);
	ck_assert_int_eq(dmasim_dma_target_parse(T, "ram 0x7ffff000", &t, NULL), DMASIM_OK);
	ck_assert_int_eq(dmasim_dma_target_fits(&t, 0x2000, NULL), DMASIM_OK);
	ck_assert_int_eq(dmasim_dma_target_fits(NULL, 1, NULL), DMASIM_EINVAL);
	dmasim_topo_destroy(T);
	T = NULL;
}
END_TEST

START_TEST(test_dma_target_without_bar_or_ram)
{
	/* docs/dma.md, the verdicts: nothing is at the CPU address, so the DMA
	 * lands where the CPU address is when it meets the CPU's own fault
	 * there, and elsewhere when it meets another. */
	open_ctx("dma/x86-vtd.yaml", "linux-6.12");
	/* in hb0's window, no BAR below claims it */
	map("nic0", "0xdeadbeef", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.target.kind, DMASIM_LAND_FAULT);
	ck_assert_int_eq(R.target.fault, DMASIM_FAULT_UNSUPPORTED_REQUEST);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_IOMMU);
	assert_ok(&R, "unsupported-request");
	ck_assert(R.route.land.has_cpu);
	ck_assert_uint_eq(R.route.land.cpu, 0xdeadbeef);
	/* in no window and no RAM */
	map("nic0", "0x200000000000", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.target.kind, DMASIM_LAND_FAULT);
	assert_ok(&R, "unsupported-request");
	/* straddling the end of a BAR, given as a CPU address */
	map("nic0", "0xc1fff000", 8192, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.target.kind, DMASIM_LAND_FAULT);
	assert_ok(&R, "unsupported-request");
	teardown();
	/* dma-direct gives phys; the root complex does not route P2P, so the
	 * DMA never reaches the address the CPU would find empty */
	open_ctx("dma/arm64-direct.yaml", "linux-6.12");
	map("gpu0", "0x417000000", 4096, DMASIM_DMA_BIDIRECTIONAL);
	ck_assert_int_eq(R.path, DMASIM_DMA_PATH_DIRECT);
	ck_assert_int_eq(R.target.kind, DMASIM_LAND_FAULT);
	ck_assert_int_eq(R.target.fault, DMASIM_FAULT_UNSUPPORTED_REQUEST);
	assert_invalid(&R, "rc-p2p-blocked");
	teardown();
}
END_TEST

/* ---- dmasim map (src/cli/cmd_map.c) ------------------------------------ */

/* Run the CLI; returns its exit status, output in @out. */
static int cli(const char *args, char *out, size_t size)
{
	char cmd[1024];
	size_t n = 0;
	FILE *f;
	int st;

	snprintf(cmd, sizeof(cmd), "cd %s && %s %s 2>&1", DMASIM_TEST_DATA, DMASIM_CLI, args);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (n + 1 < size && fgets(out + n, (int)(size - n), f))
		n += strlen(out + n);
	out[n] = '\0';
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(test_dma_cli_map_exit_status_and_output)
{
	static char out[16384];

	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic0 gpu0.bar0+0x10", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "kernel: iommu (iommu_dma_map_resource)") != NULL, "%s", out);
	/* 4096 bytes at offset 0x10 span two pages: a 2-page IOVA */
	ck_assert(strstr(out, "dma address: 0xfeffe010") != NULL);
	ck_assert(strstr(out, "verdict: ok (lands on gpu0.bar0 + 0x10)") != NULL);
	/* refusal: exit 1, the kernel's message */
	ck_assert_int_eq(cli("map dma/arm64-direct.yaml cap0 nvme0.bar2 --size 64K", out, sizeof(out)), 1);
	ck_assert(strstr(out, "DMA addr 0x0000000410000000+65536 overflow (mask ffffffff, bus limit 0).") != NULL);
	ck_assert(strstr(out, "dma address: DMA_MAPPING_ERROR") != NULL);
	/* invalid address: exit 1, where it landed */
	ck_assert_int_eq(cli("map --p2p dma/arm64-direct.yaml nvme0 gpu0 0x2000 --policy linux-5.15",
			     out, sizeof(out)), 1);
	ck_assert(strstr(out, "dma address: 0x810002000") != NULL);
	ck_assert(strstr(out, "verdict: invalid-address (intended nvme0.bar2 + 0x2000, lands unsupported-request)") != NULL);
	ck_assert_int_eq(cli("map --p2p dma/arm64-direct.yaml nvme0 gpu0 0x2000", out, sizeof(out)), 0);
	/* JSON */
	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic0 gpu0.bar0 --dir to_device --json", out, sizeof(out)), 0);
	ck_assert(strstr(out, "\"verdict\": \"ok\"") != NULL);
	ck_assert(strstr(out, "\"dma_addr\": \"0xfefff000\"") != NULL);
	ck_assert(strstr(out, "\"write\": false") != NULL);
	/* bad input: exit 2 */
	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic9 gpu0.bar0", out, sizeof(out)), 2);
	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic0 gpu0.bar7", out, sizeof(out)), 2);
	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic0 gpu0.bar0 --dir up", out, sizeof(out)), 2);
	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic0 gpu0.bar0 --policy linux-9", out, sizeof(out)), 2);
	ck_assert_int_eq(cli("map --p2p dma/x86-vtd.yaml gpu0 nic0", out, sizeof(out)), 2);
	ck_assert_int_eq(cli("map --help", out, sizeof(out)), 0);
	ck_assert(strstr(out, "SYNOPSIS") != NULL);
}
END_TEST

START_TEST(test_dma_cli_map_target_range_and_no_bar_or_ram)
{
	static char out[16384];

	/* a range past the end of the BAR it names is bad usage */
	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic0 gpu0.bar0+0xfff000 --size 8K", out, sizeof(out)), 2);
	ck_assert_msg(strstr(out, "dmasim map: target gpu0.bar0+0xfff000: offset 0xfff000 + size 0x2000 runs past the end of BAR 0 of gpu0 (0x1000000 bytes, 0x1000 from that offset)\n") != NULL,
		      "%s", out);
	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic0 gpu0.bar1 --size 1T --json", out, sizeof(out)), 2);
	ck_assert_msg(strstr(out, "BAR 1 of gpu0 (0x400000000 bytes") != NULL, "%s", out);
	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic0 gpu0.bar0+0xfff000 --size 4K", out, sizeof(out)), 0);
	/* a CPU address with no BAR or RAM is named as itself */
	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic0 0xdeadbeef", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "maps cpu 0xdeadbeef (no BAR or RAM), 4096 bytes, bidirectional\n") != NULL,
		      "%s", out);
	ck_assert_msg(strstr(out, "verdict: ok (reaches cpu 0xdeadbeef (no BAR or RAM) and gets unsupported-request, as the CPU would)\n") != NULL,
		      "%s", out);
	ck_assert(strstr(out, "intended unsupported-request") == NULL);
	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic0 0xdeadbeef --json", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "\"target\": \"cpu 0xdeadbeef (no BAR or RAM)\"") != NULL, "%s", out);
	ck_assert(strstr(out, "\"verdict\": \"ok\"") != NULL);
	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic0 0xc1fff000 --size 8K", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "maps cpu 0xc1fff000 (starts in gpu0.bar0 + 0xfff000, runs past its end), 8192 bytes") != NULL,
		      "%s", out);
	ck_assert_int_eq(cli("map dma/x86-vtd.yaml nic0 0xfee00000", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "maps cpu 0xfee00000 (MSI region), 4096 bytes") != NULL, "%s", out);
	/* ... and the DMA meeting another fault on the way is invalid-address */
	ck_assert_int_eq(cli("map dma/arm64-direct.yaml gpu0 0x417000000", out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "verdict: invalid-address (intended cpu 0x417000000 (no BAR or RAM), lands rc-p2p-blocked)\n") != NULL,
		      "%s", out);
}
END_TEST

static Suite *dma_suite(void)
{
	Suite *s = suite_create("dma");
	TCase *x86 = tcase_create("x86_64");
	TCase *arm = tcase_create("arm64");
	TCase *ppc = tcase_create("ppc64");
	TCase *rv = tcase_create("riscv64");
	TCase *api = tcase_create("API");

	tcase_add_test(x86, test_dma_x86_iommu_dma_map_resource_observed_iova_sequence);
	tcase_add_test(x86, test_dma_x86_iommu_reserved_windows_and_msi_skipped);
	tcase_add_test(x86, test_dma_x86_iommu_keeps_page_offset_and_rounds_pow2);
	tcase_add_test(x86, test_dma_x86_dma_info_to_prot_wrong_direction_write_faults);
	tcase_add_test(x86, test_dma_x86_iommu_32bit_mask_stays_below_4g);
	tcase_add_test(x86, test_dma_x86_identity_domain_is_dma_direct);
	tcase_add_test(x86, test_dma_x86_blocked_domain_refused);
	tcase_add_test(x86, test_dma_x86_420_intel_ops_without_map_resource_return_phys);
	tcase_add_test(x86, test_dma_x86_515_intel_map_resource_gives_iova);
	tcase_add_test(x86, test_dma_map_resource_ram_by_version);
	tcase_add_test(x86, test_dma_unmap_resource_errors_and_group_sharing);
	tcase_add_test(x86, test_dma_x86_p2p_thru_host_bridge_through_iommu);
	tcase_add_test(x86, test_dma_x86_p2p_not_supported_is_refusal);
	tcase_add_test(x86, test_dma_x86_seed2018_maps_with_dma_map_resource);
	tcase_add_test(x86, test_dma_amd_32bit_first_then_full_limit_skips_ht_hole);
	tcase_add_test(arm, test_dma_arm64_direct_map_resource_window_offset_invalid);
	tcase_add_test(arm, test_dma_arm64_direct_mask_too_small_message);
	tcase_add_test(arm, test_dma_arm64_p2p_bus_addr_sign_bug_515_vs_612);
	tcase_add_test(arm, test_dma_arm64_smmu_iova_skips_windows_and_dma_range_gaps);
	tcase_add_test(arm, test_dma_arm64_smmu_dma_range_gap_exhausts_small_mask);
	tcase_add_test(arm, test_dma_arm64_identity_direct_outside_inbound_window);
	tcase_add_test(ppc, test_dma_ppc64_tce_ops_without_map_resource);
	tcase_add_test(ppc, test_dma_ppc64_bypass_needs_mask_covering_ram);
	tcase_add_test(rv, test_dma_riscv64_direct_bus_limit_from_dma_ranges);
	tcase_add_test(rv, test_dma_riscv64_direct_ignores_dma_ranges_for_ram);
	tcase_add_test(rv, test_dma_riscv64_p2p_bus_addr_under_switch);
	tcase_add_test(api, test_dma_target_parse_forms);
	tcase_add_test(api, test_dma_bad_arguments);
	tcase_add_test(arm, test_dma_iommu_dma_init_domain_failure_keeps_platform_ops);
	tcase_add_test(api, test_dma_cli_map_exit_status_and_output);
	tcase_add_test(api, test_dma_cli_map_target_range_and_no_bar_or_ram);
	tcase_add_test(api, test_dma_target_fits_the_named_bar);
	tcase_add_test(x86, test_dma_target_without_bar_or_ram);
	suite_add_tcase(s, x86);
	suite_add_tcase(s, arm);
	suite_add_tcase(s, ppc);
	suite_add_tcase(s, rv);
	suite_add_tcase(s, api);
	return s;
}

int main(void)
{
	return tu_run(dma_suite());
}
