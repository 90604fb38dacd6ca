/*
 * dmasim tests -- policies (src/policy): the built-in rows as docs/policy.md
 * and drivers/pci/p2pdma.c pci_p2pdma_whitelist[] give them, policy files (docs/policy.md
 * "Policy"), and load errors with file:line:column.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "policy/policy_int.h"

#define POLICY_DATA DMASIM_TEST_DATA "/policy/"

static const struct dmasim_policy *pol(const char *name)
{
	const struct dmasim_policy *p = dmasim_policy_builtin(name);

	ck_assert_msg(p != NULL, "no built-in policy %s", name);
	return p;
}

static bool wl_has(const struct dmasim_policy *p, unsigned vendor, int device,
		   bool same)
{
	size_t i;

	for (i = 0; i < p->nwhitelist; i++)
		if (p->whitelist[i].vendor == vendor &&
		    p->whitelist[i].device == device &&
		    p->whitelist[i].same_host_bridge_only == same)
			return true;
	return false;
}

static void load_ok(const char *file, struct dmasim_policy *out)
{
	struct dmasim_error err;
	char path[1024], buf[512];

	snprintf(path, sizeof(path), "%s%s", POLICY_DATA, file);
	dmasim_error_init(&err);
	if (dmasim_policy_load(path, out, &err) != DMASIM_OK) {
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		ck_abort_msg("policy load failed: %s", buf);
	}
}

/* ---- built-in rows --------------------------------------------------- */

START_TEST(test_policy_builtin_names_and_default)
{
	const char *const *names = dmasim_policy_builtin_names();
	size_t n = 0;

	while (names[n]) {
		ck_assert_ptr_nonnull(dmasim_policy_builtin(names[n]));
		ck_assert_str_eq(dmasim_policy_builtin(names[n])->name, names[n]);
		n++;
	}
	ck_assert_uint_eq(n, 9);
	ck_assert_str_eq(names[0], "seed-2018");
	ck_assert_str_eq(names[2], "linux-5.4");
	ck_assert_str_eq(names[7], "linux-6.12");
	ck_assert_str_eq(names[8], "linux-6.19");
	ck_assert_str_eq(dmasim_policy_default()->name, "linux-6.12");
	ck_assert_ptr_eq(dmasim_policy_builtin("mainline"), dmasim_policy_builtin("linux-6.19"));
	ck_assert_ptr_null(dmasim_policy_builtin("linux-5.11"));
	ck_assert_ptr_null(dmasim_policy_builtin(NULL));
}
END_TEST

START_TEST(test_policy_whitelist_515_up_to_2033_2020)
{
	/* pci_p2pdma_whitelist[] of P2P-5.1x: 3c00/3c01/2f00/2f01 with
	 * REQ_SAME_HOST_BRIDGE, Skylake-E 2030-2033 and 2020; no 09a2 and
	 * no AMD rows (replaced by cpu_supports_p2pdma ≈ v5.9). */
	const struct dmasim_policy *p = pol("linux-5.15");

	ck_assert_uint_eq(p->nwhitelist, 9);
	ck_assert(wl_has(p, 0x8086, 0x3c00, true));
	ck_assert(wl_has(p, 0x8086, 0x3c01, true));
	ck_assert(wl_has(p, 0x8086, 0x2f00, true));
	ck_assert(wl_has(p, 0x8086, 0x2f01, true));
	ck_assert(wl_has(p, 0x8086, 0x2030, false));
	ck_assert(wl_has(p, 0x8086, 0x2033, false));
	ck_assert(wl_has(p, 0x8086, 0x2020, false));
	ck_assert(!wl_has(p, 0x8086, 0x09a2, false));
	ck_assert(!wl_has(p, 0x1022, 0x1450, false));
	/* Table order is the kernel's. */
	ck_assert_uint_eq(p->whitelist[0].device, 0x3c00);
	ck_assert_uint_eq(p->whitelist[8].device, 0x2020);
}
END_TEST

START_TEST(test_policy_whitelist_612_adds_09a2)
{
	const struct dmasim_policy *p = pol("linux-6.12"), *o = pol("linux-5.15");

	ck_assert_uint_eq(p->nwhitelist, 10);
	ck_assert_mem_eq(p->whitelist, o->whitelist, 9 * sizeof(p->whitelist[0]));
	ck_assert_uint_eq(p->whitelist[9].vendor, 0x8086);
	ck_assert_int_eq(p->whitelist[9].device, 0x09a2);
	ck_assert(!p->whitelist[9].same_host_bridge_only);
}
END_TEST

START_TEST(test_policy_cpu_supports_p2pdma_rows)
{
	/* cpu_supports_p2pdma() (≈ v5.9+): x86 AMD family >= 0x17. */
	const char *with[] = { "linux-5.15", "linux-6.12" };
	const char *without[] = { "seed-2018", "linux-4.20" };
	size_t i;

	for (i = 0; i < 2; i++) {
		const struct dmasim_policy *p = pol(with[i]);
		ck_assert_uint_eq(p->ncpu_rules, 1);
		ck_assert_int_eq(p->cpu_rules[0].arch, DMASIM_ARCH_X86_64);
		ck_assert_int_eq(p->cpu_rules[0].vendor, DMASIM_CPU_AMD);
		ck_assert_uint_eq(p->cpu_rules[0].min_family, 0x17);
	}
	for (i = 0; i < 2; i++)
		ck_assert_uint_eq(pol(without[i])->ncpu_rules, 0);
}
END_TEST

START_TEST(test_policy_rows_algorithms_and_root_device)
{
	ck_assert_int_eq(pol("seed-2018")->upstream, DMASIM_UPSTREAM_SEED2018);
	ck_assert_int_eq(pol("seed-2018")->decision, DMASIM_DECIDE_SEED2018);
	ck_assert_int_eq(pol("seed-2018")->root_dev, DMASIM_ROOTDEV_SLOT_00_0);
	/* pci_peer_host_traffic_supported: AMD ZEN 1022:1450 at 00.0. */
	ck_assert_uint_eq(pol("seed-2018")->nwhitelist, 1);
	ck_assert(wl_has(pol("seed-2018"), 0x1022, 0x1450, false));
	ck_assert_int_eq(pol("linux-4.20")->upstream, DMASIM_UPSTREAM_P2PDMA);
	ck_assert_int_eq(pol("linux-4.20")->decision, DMASIM_DECIDE_LINUX_420);
	ck_assert_uint_eq(pol("linux-4.20")->nwhitelist, 0);
	ck_assert_int_eq(pol("linux-5.15")->decision, DMASIM_DECIDE_CALC);
	ck_assert_int_eq(pol("linux-5.15")->root_dev, DMASIM_ROOTDEV_FIRST_IF_00_0);
	ck_assert_int_eq(pol("linux-6.12")->decision, DMASIM_DECIDE_CALC);
	/* pci_host_bridge_dev(): a Root Port at any devfn since v5.19
	 * (1af7c26c59eb); the 6.1 and 6.12 release sources have it. */
	ck_assert_int_eq(pol("linux-6.12")->root_dev, DMASIM_ROOTDEV_FIRST_00_0_OR_RP);
}
END_TEST

START_TEST(test_policy_rows_acs_messages_and_list_size)
{
	/* pci_bridge_has_acs_redir: RR|CR|EC = 0x002c in every version. */
	const char *const *n;

	for (n = dmasim_policy_builtin_names(); *n; n++)
		ck_assert_uint_eq(pol(*n)->acs_redirect_bits, 0x002c);
	ck_assert(pol("linux-4.20")->messages_420);
	ck_assert(!pol("linux-5.15")->messages_420);
	ck_assert(!pol("linux-6.12")->messages_420);
	/* PAGE_SIZE seq_buf in 4.20, 128 bytes from v5.11. */
	ck_assert_uint_eq(pol("linux-4.20")->acs_list_size, 4096);
	ck_assert_uint_eq(pol("linux-5.15")->acs_list_size, 128);
	ck_assert_uint_eq(pol("linux-6.12")->acs_list_size, 128);
}
END_TEST

START_TEST(test_policy_rows_bus_offset_sign)
{
	/* pci_p2pdma_map_segment() (drivers/pci/p2pdma.c): phys - bus_offset up to v5.15, fixed in v5.16. */
	ck_assert(pol("seed-2018")->bus_offset_minus);
	ck_assert(pol("linux-4.20")->bus_offset_minus);
	ck_assert(pol("linux-5.15")->bus_offset_minus);
	ck_assert(!pol("linux-6.12")->bus_offset_minus);
}
END_TEST

START_TEST(test_policy_rows_map_resource_dispatch)
{
	/* dma_map_resource() (kernel/dma/mapping.c): v4.9-v5.0 BUG on RAM and phys back without an op; v5.1-v5.15
	 * RAM refused and no op = error; v5.16+ no RAM check. */
	const struct dmasim_policy *s = pol("seed-2018"), *o = pol("linux-4.20");
	const struct dmasim_policy *m = pol("linux-5.15"), *n = pol("linux-6.12");

	ck_assert_int_eq(s->map_resource_ram, DMASIM_RAM_BUG);
	ck_assert_int_eq(o->map_resource_ram, DMASIM_RAM_BUG);
	ck_assert_int_eq(m->map_resource_ram, DMASIM_RAM_REFUSED);
	ck_assert_int_eq(n->map_resource_ram, DMASIM_RAM_ALLOWED);
	ck_assert(s->missing_op_returns_phys && o->missing_op_returns_phys);
	ck_assert(!m->missing_op_returns_phys && !n->missing_op_returns_phys);
	/* 4.20: only arm64 dma-iommu (SMMUv3) had map_resource. */
	ck_assert(!o->iommu_has_map_resource[DMASIM_IOMMU_INTEL_VTD]);
	ck_assert(!o->iommu_has_map_resource[DMASIM_IOMMU_AMD_VI]);
	ck_assert(o->iommu_has_map_resource[DMASIM_IOMMU_SMMUV3]);
	ck_assert(!o->iommu_has_map_resource[DMASIM_IOMMU_PPC_TCE]);
	ck_assert_mem_eq(s->iommu_has_map_resource, o->iommu_has_map_resource,
			 sizeof(s->iommu_has_map_resource));
	/* 5.15 and 6.12: VT-d (≈ v5.1), AMD-Vi (dma-iommu since v5.13),
	 * SMMUv3; never powerpc TCE. */
	ck_assert(m->iommu_has_map_resource[DMASIM_IOMMU_INTEL_VTD]);
	ck_assert(m->iommu_has_map_resource[DMASIM_IOMMU_AMD_VI]);
	ck_assert(m->iommu_has_map_resource[DMASIM_IOMMU_SMMUV3]);
	ck_assert(!m->iommu_has_map_resource[DMASIM_IOMMU_PPC_TCE]);
	ck_assert_mem_eq(m->iommu_has_map_resource, n->iommu_has_map_resource,
			 sizeof(m->iommu_has_map_resource));
}
END_TEST

/* ---- policy files ---------------------------------------------------- */

START_TEST(test_policy_load_builtin_by_name)
{
	struct dmasim_policy p;
	struct dmasim_error err;

	memset(&p, 0xa5, sizeof(p));
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_policy_load("linux-5.15", &p, &err), DMASIM_OK);
	ck_assert_mem_eq(&p, pol("linux-5.15"), sizeof(p));
}
END_TEST

START_TEST(test_policy_load_schema_example_extend)
{
	struct dmasim_policy p;

	load_ok("allow-amd-genoa.yaml", &p);
	ck_assert_str_eq(p.name, "allow-amd-genoa");
	ck_assert_str_eq(p.base, "linux-6.12");
	ck_assert_uint_eq(p.nwhitelist, 11);
	ck_assert_mem_eq(p.whitelist, pol("linux-6.12")->whitelist,
			 10 * sizeof(p.whitelist[0]));
	ck_assert_uint_eq(p.whitelist[10].vendor, 0x1022);
	ck_assert_int_eq(p.whitelist[10].device, 0x14a4);
	ck_assert_uint_eq(p.ncpu_rules, 1);
	ck_assert_int_eq(p.cpu_rules[0].arch, DMASIM_ARCH_X86_64);
	ck_assert_uint_eq(p.acs_redirect_bits, 0x2c);
	ck_assert_int_eq(p.map_resource_ram, DMASIM_RAM_REFUSED);
	/* The rest is the base's. */
	ck_assert(!p.bus_offset_minus);
	ck_assert_int_eq(p.decision, DMASIM_DECIDE_CALC);
}
END_TEST

START_TEST(test_policy_load_replace_any_and_no_cpu_rule)
{
	struct dmasim_policy p;

	load_ok("replace-any.yaml", &p);
	ck_assert_str_eq(p.name, "replace-any"); /* from the file name */
	ck_assert_str_eq(p.base, "linux-5.15");
	ck_assert_uint_eq(p.nwhitelist, 2);
	ck_assert_uint_eq(p.whitelist[0].vendor, 0x1ae0);
	ck_assert_int_eq(p.whitelist[0].device, -1); /* PCI_ANY_ID */
	ck_assert(!p.whitelist[0].same_host_bridge_only);
	ck_assert(p.whitelist[1].same_host_bridge_only);
	ck_assert_uint_eq(p.ncpu_rules, 0);
	ck_assert(p.bus_offset_minus);
}
END_TEST

START_TEST(test_policy_load_acs_bits_root_device_arch_rule)
{
	struct dmasim_policy p;

	load_ok("rr-only.yaml", &p);
	ck_assert_uint_eq(p.acs_redirect_bits, DMASIM_ACS_RR);
	load_ok("skylake-rp.yaml", &p);
	ck_assert_int_eq(p.root_dev, DMASIM_ROOTDEV_FIRST_00_0_OR_RP);
	load_ok("arm-rule.yaml", &p);
	ck_assert_uint_eq(p.ncpu_rules, 1);
	ck_assert_int_eq(p.cpu_rules[0].arch, DMASIM_ARCH_ARM64);
	ck_assert_int_eq(p.cpu_rules[0].vendor, DMASIM_CPU_ARM);
	load_ok("hisilicon.yaml", &p);
	ck_assert_uint_eq(p.nwhitelist, 11); /* mode defaults to extend */
}
END_TEST

START_TEST(test_policy_load_unknown_name)
{
	struct dmasim_policy p;
	struct dmasim_error err;

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_policy_load("linux-9.9", &p, &err), DMASIM_ENOTFOUND);
	ck_assert_str_eq(err.msg,
		"unknown policy 'linux-9.9'; expected a policy file or one of: seed-2018, linux-4.20, linux-5.4, linux-5.10, linux-5.15, linux-6.1, linux-6.6, linux-6.12, linux-6.19 (mainline)");
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_policy_load(POLICY_DATA "nosuch.yaml", &p, &err),
			 DMASIM_EIO);
}
END_TEST

/* Every tests/data/policy/bad-*.yaml starts with "# expect: <error>", the
 * exact "file:line:column: error: message" (file relative to the dir). */
START_TEST(test_policy_load_errors_name_file_line_column)
{
	DIR *dir = opendir(POLICY_DATA);
	struct dirent *e;
	unsigned n = 0;

	ck_assert_ptr_nonnull(dir);
	while ((e = readdir(dir)) != NULL) {
		struct dmasim_policy p, before;
		struct dmasim_error err;
		char path[1024], got[600], *text, *nl;
		const char *want;

		if (strncmp(e->d_name, "bad-", 4) != 0)
			continue;
		snprintf(path, sizeof(path), "%s%s", POLICY_DATA, e->d_name);
		text = tu_read_file(path, NULL);
		ck_assert_msg(strncmp(text, "# expect: ", 10) == 0,
			      "%s has no '# expect:' line", e->d_name);
		want = text + 10;
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		memset(&p, 0x5a, sizeof(p));
		before = p;
		dmasim_error_init(&err);
		ck_assert_msg(dmasim_policy_load(path, &p, &err) != DMASIM_OK,
			      "%s loaded", e->d_name);
		ck_assert_msg(memcmp(&p, &before, sizeof(p)) == 0,
			      "%s: output touched on failure", e->d_name);
		dmasim_error_snprintf(got, sizeof(got), &err);
		ck_assert_msg(strlen(got) > strlen(POLICY_DATA) &&
			      strcmp(got + strlen(POLICY_DATA), want) == 0,
			      "%s:\n got: %s\nwant: %s", e->d_name, got, want);
		free(text);
		n++;
	}
	closedir(dir);
	ck_assert_uint_ge(n, 15);
}
END_TEST

/* A policy named as a built-in row (or alias) is that row exactly, or an
 * error at its name: (src/policy/policy.c check_builtin_name()); the
 * files that differ are bad-builtin-name*.yaml above. */
static int load_text(const char *text, const char *file,
		     struct dmasim_policy *out, struct dmasim_error *err)
{
	dmasim_error_init(err);
	return dmasim_policy_load_string(text, strlen(text), file, NULL, out, err);
}

START_TEST(test_policy_builtin_name_kept_only_when_identical)
{
	static const char *const same[] = {
		/* the row itself, and its values spelt out again */
		"dmasim: 1\npolicy:\n  name: linux-6.12\n  base: linux-6.12\n",
		("dmasim: 1\npolicy:\n  name: linux-6.12\n  base: linux-6.12\n"
		 "  decision: calc-map-type\n  iova: { pci32: sticky }\n"
		 "  map_resource: { missing_op: error }\n"
		 "  whitelist: { mode: extend, entries: [] }\n"),
		("dmasim: 1\npolicy:\n  name: linux-5.15\n  base: linux-5.15\n"
		 "  map_resource_refuses_ram: true\n"),
	};
	struct dmasim_policy p;
	struct dmasim_error err;
	size_t i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		ck_assert_msg(load_text(same[i], "x.yaml", &p, &err) == DMASIM_OK,
			      "%zu: %s", i, err.msg);
	/* An alias names its row: mainline, unchanged, keeps its name. */
	ck_assert_int_eq(load_text("dmasim: 1\npolicy:\n  name: mainline\n"
				   "  base: linux-6.19\n", "x.yaml", &p, &err), DMASIM_OK);
	ck_assert_str_eq(p.name, "mainline");
	/* One field off, anywhere: refused at the name. */
	ck_assert_int_eq(load_text("dmasim: 1\npolicy:\n  name: linux-5.15\n"
				   "  base: linux-5.15\n  acs_list_size: 4096\n",
				   "x.yaml", &p, &err), DMASIM_ESCHEMA);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_uint_eq(err.column, 9);
	ck_assert_str_eq(err.msg, "this policy differs from the built-in linux-5.15 (first in acs_list_size, line 5), so it must have a name of its own");
	/* Renamed, the same file loads. */
	ck_assert_int_eq(load_text("dmasim: 1\npolicy:\n  name: big-acs-list\n"
				   "  base: linux-5.15\n  acs_list_size: 4096\n",
				   "x.yaml", &p, &err), DMASIM_OK);
	ck_assert_str_eq(p.name, "big-acs-list");
}
END_TEST

START_TEST(test_policy_builtin_name_from_the_file_name)
{
	/* No name: the file's base name is the name, and the same rule holds. */
	struct dmasim_policy p;
	struct dmasim_error err;

	ck_assert_int_eq(load_text("dmasim: 1\npolicy:\n  base: linux-5.4\n",
				   "dir/linux-5.4.yaml", &p, &err), DMASIM_OK);
	ck_assert_str_eq(p.name, "linux-5.4");
	ck_assert_int_eq(load_text("dmasim: 1\npolicy:\n  base: linux-5.4\n"
				   "  map_resource:\n    ram: allowed\n",
				   "dir/linux-5.4.yaml", &p, &err), DMASIM_ESCHEMA);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_str_eq(err.msg, "this policy takes the name linux-5.4 from its file but differs from the built-in linux-5.4 (first in map_resource.ram, line 5), so it must have a name of its own (name:)");
	/* whitelist mode replace, one entry short: the list (line 8), as no
	 * entry of the file differs */
	ck_assert_int_eq(load_text("dmasim: 1\npolicy:\n  name: linux-5.4\n  base: linux-5.4\n"
				   "  whitelist:\n    mode: replace\n    entries:\n"
				   "      - { vendor: 0x1022, device: 0x1450 }\n",
				   "x.yaml", &p, &err), DMASIM_ESCHEMA);
	ck_assert_str_eq(err.msg, "this policy differs from the built-in linux-5.4 (first in whitelist.entries, line 8), so it must have a name of its own");
}
END_TEST

/* The built-in rows are objects the kernel index recognises by address
 * (src/kernel precomputes their host-bridge verdicts), each in a slot of
 * a power-of-two size; a copy, even an identical one, is not one of
 * them. */
START_TEST(test_policy_builtin_index_objects_not_copies)
{
	const char *const *n = dmasim_policy_builtin_names();
	struct dmasim_policy copy = *dmasim_policy_default();
	int k;

	for (k = 0; n[k]; k++) {
		ck_assert_uint_eq(dmasim__policy_builtin_index(pol(n[k])), (unsigned)k);
		ck_assert_ptr_eq(dmasim__policy_builtin_at((unsigned)k), pol(n[k]));
	}
	ck_assert_int_eq(k, DMASIM__NPOLICY_BUILTINS);
	ck_assert_ptr_eq(dmasim__policy_default(), dmasim_policy_default());
	ck_assert_ptr_eq(dmasim_policy_default(), pol("linux-6.12"));
	ck_assert_uint_eq(dmasim__policy_builtin_index(&copy), DMASIM__NPOLICY_BUILTINS);
	ck_assert_uint_eq(dmasim__policy_builtin_index(NULL), DMASIM__NPOLICY_BUILTINS);
	ck_assert_uint_eq(dmasim__policy_builtin_index(
		(const struct dmasim_policy *)(dmasim__policy_builtins +
					       DMASIM__NPOLICY_BUILTINS)),
		DMASIM__NPOLICY_BUILTINS);
}
END_TEST

Suite *policy_suite(void);
Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("Builtin");

	tcase_add_test(tc, test_policy_builtin_names_and_default);
	tcase_add_test(tc, test_policy_whitelist_515_up_to_2033_2020);
	tcase_add_test(tc, test_policy_whitelist_612_adds_09a2);
	tcase_add_test(tc, test_policy_cpu_supports_p2pdma_rows);
	tcase_add_test(tc, test_policy_rows_algorithms_and_root_device);
	tcase_add_test(tc, test_policy_rows_acs_messages_and_list_size);
	tcase_add_test(tc, test_policy_rows_bus_offset_sign);
	tcase_add_test(tc, test_policy_rows_map_resource_dispatch);
	tcase_add_test(tc, test_policy_builtin_index_objects_not_copies);
	suite_add_tcase(s, tc);
	tc = tcase_create("Files");
	tcase_add_test(tc, test_policy_load_builtin_by_name);
	tcase_add_test(tc, test_policy_load_schema_example_extend);
	tcase_add_test(tc, test_policy_load_replace_any_and_no_cpu_rule);
	tcase_add_test(tc, test_policy_load_acs_bits_root_device_arch_rule);
	tcase_add_test(tc, test_policy_load_unknown_name);
	tcase_add_test(tc, test_policy_builtin_name_kept_only_when_identical);
	tcase_add_test(tc, test_policy_builtin_name_from_the_file_name);
	suite_add_tcase(s, tc);
	tc = tcase_create("Errors");
	tcase_add_test(tc, test_policy_load_errors_name_file_line_column);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(policy_suite());
}
