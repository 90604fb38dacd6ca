/* dmasim tests -- the model: links, derived data, groups, lookups. */
#include <string.h>

#include "testutil.h"

START_TEST(test_model_links_and_preorder)
{
	struct dmasim_topo *t = tu_load_file(DMASIM_TOPOLOGIES "/x86_64/skylake-plx.yaml");
	const struct dmasim_device *rp0 = tu_dev(t, "rp0"), *gpu0 = tu_dev(t, "gpu0");
	const struct dmasim_device *nic0 = tu_dev(t, "nic0"), *usp = tu_dev(t, "usp0");

	ck_assert_ptr_eq(gpu0->parent->parent, usp);
	ck_assert_ptr_eq(usp->parent, rp0);
	ck_assert_uint_eq(gpu0->depth, 3);
	ck_assert(dmasim_device_is_ancestor(rp0, gpu0));
	ck_assert(!dmasim_device_is_ancestor(rp0, nic0));
	ck_assert(dmasim_device_is_ancestor(gpu0, gpu0));
	ck_assert_uint_eq(rp0->secondary, 1);
	ck_assert_uint_eq(rp0->subordinate, 5);
	ck_assert_uint_eq(usp->nchildren, 3);
	ck_assert_ptr_eq(tu_dev(t, "0000:03:00.0"), gpu0);
	ck_assert_ptr_eq(tu_dev(t, "03:00.0"), gpu0);
	ck_assert_ptr_null(dmasim_topo_find_device(t, "gpu9"));
	ck_assert_str_eq(gpu0->bdf, "0000:03:00.0");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_model_derived_windows_cover_children)
{
	struct dmasim_topo *t = tu_load_file(DMASIM_TOPOLOGIES "/x86_64/skylake-plx.yaml");
	const struct dmasim_device *dsp0 = tu_dev(t, "dsp0"), *rp0 = tu_dev(t, "rp0");

	ck_assert(dsp0->windows[DMASIM_WIN_MEM].derived);
	ck_assert_uint_eq(dsp0->windows[DMASIM_WIN_MEM].base, 0xc1000000);
	ck_assert_uint_eq(dsp0->windows[DMASIM_WIN_MEM].limit, 0xc1ffffff);
	ck_assert_uint_eq(dsp0->windows[DMASIM_WIN_MEM_PREF].base, 0x38000000000);
	ck_assert_uint_eq(dsp0->windows[DMASIM_WIN_MEM_PREF].limit, 0x383ffffffff);
	ck_assert_uint_eq(rp0->windows[DMASIM_WIN_MEM].base, 0xc1000000);
	ck_assert_uint_eq(rp0->windows[DMASIM_WIN_MEM].limit, 0xc30fffff);
	ck_assert_uint_eq(rp0->windows[DMASIM_WIN_MEM_PREF].limit, 0x3883fffffff);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_model_iommu_groups_follow_acs)
{
	/* pci_device_group (drivers/iommu/iommu.c): a device joins the group
	 * of the bridge above it unless the ACS path from that bridge up is
	 * enabled.  dsp0 has no ACS enabled, so gpu0 joins dsp0; the path
	 * from usp0 (single-function upstream port) and rp0 (SV|RR|CR|UF) is
	 * enabled, so dsp0 and dsp1 each start a group. */
	struct dmasim_topo *t = tu_load_file(DMASIM_TOPOLOGIES "/x86_64/skylake-plx.yaml");
	const struct dmasim_device *gpu0 = tu_dev(t, "gpu0"), *gpu1 = tu_dev(t, "gpu1");
	const struct dmasim_device *nic0 = tu_dev(t, "nic0"), *usp = tu_dev(t, "usp0");

	ck_assert_uint_eq(gpu0->iommu_group, tu_dev(t, "dsp0")->iommu_group);
	ck_assert_uint_ne(gpu0->iommu_group, gpu1->iommu_group);
	ck_assert_uint_ne(gpu0->iommu_group, usp->iommu_group);
	ck_assert_uint_ne(gpu0->iommu_group, nic0->iommu_group);
	ck_assert_uint_eq(dmasim_topo_machine(t)->niommu_groups, 7);
	ck_assert_int_eq(gpu0->domain, DMASIM_DOMAIN_DMA);
	dmasim_topo_destroy(t);
}
END_TEST


/* The O(n log n) checks report the pair the pairwise scans reported: the
 * first item (in file order) that clashes with another, and its first
 * partner. */
START_TEST(test_model_first_clash_is_reported)
{
	struct dmasim_error err;
	char buf[512];

	tu_load_fails("dmasim: 1\narch: x86_64\n"
		      "ram: [ { base: 0x0, size: 1G }, { base: 0x80000000, size: 1G },\n"
		      "       { base: 0x40000000, size: 2G }, { base: 0xa0000000, size: 1M } ]\n"
		      "host_bridges: [ { name: hb0 } ]\n", &err);
	dmasim_error_snprintf(buf, sizeof(buf), &err);
	/* ...at the range's own line and column (issue 15 D15). */
	ck_assert_msg(err.line == 4 && err.column == 8 &&
		      strstr(err.msg, "RAM range [0x40000000-0xbfffffff] overlaps RAM range [0x80000000-0xbfffffff] at line 3"),
		      "got %s", buf);
	tu_load_fails("dmasim: 1\narch: x86_64\nhost_bridges:\n"
		      "  - { name: hb0, segment: 0 }\n  - { name: hb1, segment: 1 }\n"
		      "  - { name: hb1, segment: 2 }\n  - { name: hb0, segment: 3 }\n", &err);
	dmasim_error_snprintf(buf, sizeof(buf), &err);
	ck_assert_msg(err.line == 6 && strstr(err.msg, "host bridge name 'hb1' is already used at line 5"),
		      "got %s", buf);
	tu_load_fails("dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    windows:\n"
		      "      - { kind: mem-pref, cpu: 0x100000000, size: 1G }\n"
		      "      - { kind: mem-pref, cpu: 0x200000000, size: 1G }\n"
		      "      - { kind: mem-pref, cpu: 0x300000000, bus: 0x220000000, size: 1G }\n"
		      "      - { kind: mem-pref, cpu: 0x400000000, bus: 0x100000000, size: 1G }\n", &err);
	dmasim_error_snprintf(buf, sizeof(buf), &err);
	ck_assert_msg(err.line == 8 && strstr(err.msg, "window at bus 0x220000000 overlaps, in bus addresses, the window at line 7"),
		      "got %s", buf);
}
END_TEST

/* Issue 18 item 1: sockets, NUMA nodes and class codes are read; the
 * nvidia-smi codes follow the tree and the sockets. */
START_TEST(test_model_sockets_numa_and_link_codes)
{
	struct dmasim_topo *t = tu_load_file(DMASIM_TEST_DATA "/fabric/two_sockets.yaml");
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	const struct dmasim_device *gpu0 = tu_dev(t, "gpu0");

	ck_assert_int_eq(m->host_bridges[0].socket, 0);
	ck_assert_int_eq(m->host_bridges[2].socket, 1);
	ck_assert_int_eq(m->host_bridges[2].numa_node, 1);
	ck_assert(!dmasim_hb_crosses_sockets(&m->host_bridges[0], &m->host_bridges[1]));
	ck_assert(dmasim_hb_crosses_sockets(&m->host_bridges[0], &m->host_bridges[2]));
	ck_assert_uint_eq(gpu0->class_code, 0x030200);
	ck_assert_uint_eq(tu_dev(t, "gpu1")->class_code, DMASIM_CLASS_UNKNOWN);
	ck_assert(dmasim_device_is_host_bridge_function(tu_dev(t, "host0")));
	ck_assert(!dmasim_device_is_host_bridge_function(gpu0));
	ck_assert_str_eq(dmasim_device_link_code(gpu0, gpu0), "X");
	ck_assert_str_eq(dmasim_device_link_code(gpu0, tu_dev(t, "gpu1")), "PIX");
	ck_assert_str_eq(dmasim_device_link_code(gpu0, tu_dev(t, "gpu4")), "PXB");
	ck_assert_str_eq(dmasim_device_link_code(tu_dev(t, "gpu4"), gpu0), "PXB");
	ck_assert_str_eq(dmasim_device_link_code(gpu0, tu_dev(t, "nic0")), "PHB");
	ck_assert_str_eq(dmasim_device_link_code(gpu0, tu_dev(t, "gpu2")), "NODE");
	ck_assert_str_eq(dmasim_device_link_code(gpu0, tu_dev(t, "gpu3")), "SYS");
	dmasim_topo_destroy(t);

	/* Without sockets or NUMA nodes another host bridge is NODE; a NUMA
	 * node stands for the socket when no socket is given. */
	t = tu_load_file(DMASIM_TEST_DATA "/fabric/rc_p2p_any.yaml");
	m = dmasim_topo_machine(t);
	ck_assert_int_eq(m->host_bridges[0].socket, -1);
	ck_assert_int_eq(m->host_bridges[0].numa_node, -1);
	ck_assert_str_eq(dmasim_device_link_code(tu_dev(t, "gpu0"), tu_dev(t, "nic0")), "NODE");
	ck_assert_str_eq(dmasim_device_link_code(tu_dev(t, "gpu0"), tu_dev(t, "gpu0b")), "PIX");
	dmasim_topo_destroy(t);
	t = tu_load("dmasim: 1\narch: x86_64\nhost_bridges:\n"
		    "  - { name: a, numa_node: 0, buses: [0, 0x7f], devices: [ { bdf: 00:01.0, type: endpoint, name: e0 } ] }\n"
		    "  - { name: b, numa_node: 1, socket: 0, buses: [0x80, 0xff], devices: [ { bdf: 80:01.0, type: endpoint, name: e1 } ] }\n");
	m = dmasim_topo_machine(t);
	ck_assert(dmasim_hb_crosses_sockets(&m->host_bridges[0], &m->host_bridges[1]));
	ck_assert_str_eq(dmasim_device_link_code(tu_dev(t, "e0"), tu_dev(t, "e1")), "SYS");
	dmasim_topo_destroy(t);
}
END_TEST

/* Unnamed devices are named by their BDF; lookups by both work. */
START_TEST(test_model_unnamed_devices_and_lookups)
{
	struct dmasim_topo *t = tu_load("dmasim: 1\narch: x86_64\nhost_bridges:\n"
					"  - { name: hb0, segment: 2, devices: [ { bdf: 00:01.0, type: endpoint },\n"
					"      { bdf: 00:00.0, type: endpoint, name: zz }, { bdf: 00:02.0, type: endpoint, name: aa } ] }\n");
	const struct dmasim_device *d = tu_dev(t, "0002:00:01.0");

	ck_assert_ptr_eq(d->name, d->bdf);
	ck_assert_ptr_eq(tu_dev(t, "zz"), tu_dev(t, "0002:00:00.0"));
	ck_assert_ptr_eq(tu_dev(t, "aa"), &dmasim_topo_machine(t)->devices[2]);
	ck_assert_ptr_null(dmasim_topo_find_device(t, "00:01.0")); /* segment 0 */
	ck_assert_ptr_null(dmasim_topo_find_device(t, "ab"));
	dmasim_topo_destroy(t);
}
END_TEST

/* Functions sharing a slot (pci_device_group's multi-function alias rule
 * and the header-type bit 7 of export depend on it). */
START_TEST(test_model_multifunction_is_a_shared_slot)
{
	struct dmasim_topo *t = tu_load(
		"dmasim: 1\n"
		"arch: x86_64\n"
		"host_bridges:\n"
		"  - name: hb0\n"
		"    devices:\n"
		"      - { bdf: 00:00.0, type: endpoint, name: f0 }\n"
		"      - { bdf: 00:00.1, type: endpoint, name: f1 }\n"
		"      - { bdf: 00:01.0, type: endpoint, name: single }\n"
		"      - { bdf: 00:02.3, type: endpoint, name: lone3 }\n");

	ck_assert(dmasim_device_is_multifunction(tu_dev(t, "f0")));
	ck_assert(dmasim_device_is_multifunction(tu_dev(t, "f1")));
	ck_assert(!dmasim_device_is_multifunction(tu_dev(t, "single")));
	ck_assert(!dmasim_device_is_multifunction(tu_dev(t, "lone3")));
	dmasim_topo_destroy(t);
}
END_TEST

/* dmasim_topo_assume_p2pmem(): the BARs pci_p2pdma_add_resource()
 * (drivers/pci/p2pdma.c) would take, on endpoints that publish none. */
START_TEST(test_model_assume_p2pmem)
{
	struct dmasim_topo *t = tu_load_file(DMASIM_TOPOLOGIES "/x86_64/skylake-plx.yaml");
	const struct dmasim_device *gpu0 = tu_dev(t, "gpu0"), *nvme0 = tu_dev(t, "nvme0");
	const struct dmasim_device *nic0 = tu_dev(t, "nic0");

	ck_assert_ptr_null(dmasim_dma_p2pmem_bar(gpu0));
	ck_assert_uint_eq(dmasim_topo_assume_p2pmem(t, DMASIM_ASSUME_P2PMEM_PREFETCHABLE), 3);
	ck_assert(!dmasim_device_find_bar(gpu0, 0)->p2pmem);
	ck_assert(dmasim_device_find_bar(gpu0, 1)->p2pmem);
	ck_assert(dmasim_device_find_bar(gpu0, 1)->p2pmem_assumed);
	ck_assert_ptr_eq(dmasim_dma_p2pmem_bar(gpu0), dmasim_device_find_bar(gpu0, 1));
	ck_assert(dmasim_device_find_bar(nic0, 0)->p2pmem_assumed);
	/* nvme0 publishes BAR 4 itself: it keeps exactly that */
	ck_assert(!dmasim_device_find_bar(nvme0, 0)->p2pmem);
	ck_assert(dmasim_device_find_bar(nvme0, 4)->p2pmem);
	ck_assert(!dmasim_device_find_bar(nvme0, 4)->p2pmem_assumed);
	ck_assert_uint_eq(dmasim_topo_assume_p2pmem(t, DMASIM_ASSUME_P2PMEM_PREFETCHABLE), 0);
	ck_assert_uint_eq(dmasim_topo_assume_p2pmem(t, DMASIM_ASSUME_P2PMEM_COUNT), 0);
	dmasim_topo_destroy(t);

	t = tu_load_file(DMASIM_TOPOLOGIES "/x86_64/skylake-plx.yaml");
	gpu0 = tu_dev(t, "gpu0");
	ck_assert_uint_eq(dmasim_topo_assume_p2pmem(t, DMASIM_ASSUME_P2PMEM_ALL_MEM), 5);
	ck_assert(dmasim_device_find_bar(gpu0, 0)->p2pmem_assumed);
	ck_assert_ptr_eq(dmasim_dma_p2pmem_bar(gpu0), dmasim_device_find_bar(gpu0, 0));
	ck_assert(!dmasim_device_find_bar(tu_dev(t, "nvme0"), 0)->p2pmem);
	ck_assert_str_eq(dmasim_p2pmem_assumption_name(DMASIM_ASSUME_P2PMEM_ALL_MEM), "all-mem");
	ck_assert_str_eq(dmasim_p2pmem_assumption_name(DMASIM_ASSUME_P2PMEM_PREFETCHABLE), "prefetchable");
	ck_assert_ptr_null(dmasim_p2pmem_assumption_name(DMASIM_ASSUME_P2PMEM_COUNT));
	dmasim_topo_destroy(t);
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("Model");

	tcase_add_test(tc, test_model_links_and_preorder);
	tcase_add_test(tc, test_model_derived_windows_cover_children);
	tcase_add_test(tc, test_model_sockets_numa_and_link_codes);
	tcase_add_test(tc, test_model_iommu_groups_follow_acs);
	tcase_add_test(tc, test_model_first_clash_is_reported);
	tcase_add_test(tc, test_model_unnamed_devices_and_lookups);
	tcase_add_test(tc, test_model_multifunction_is_a_shared_slot);
	tcase_add_test(tc, test_model_assume_p2pmem);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(model_suite());
}
