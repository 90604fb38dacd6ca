/*
 * dmasim -- the built-in policies as data, and policy files (docs/policy.md,
 * "Policy files").  Each built-in is one row of struct dmasim_policy; the
 * algorithms in src/kernel and src/dma read the fields and never test a
 * version (docs/policy.md, "The built-in rows").
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "dmasim/policy.h"
#include "load/ynode.h"
#include "model/names.h"
#include "policy/policy_int.h"

#define ACS_REDIR (DMASIM_ACS_RR | DMASIM_ACS_CR | DMASIM_ACS_EC)
#define ANY_ID (-1)

/* drivers/pci/p2pdma.c pci_p2pdma_whitelist[], in table order, per
 * version (docs/policy.md cites the copies and commits). */
/* v5.4 (494d63b0d5d0, "Whitelist some Intel host bridges"), with the
 * v5.2 AMD Zen entry moved into the table. */
#define WL_INTEL_OLD                                                        \
	/* Intel Xeon E5/Core i7 */                                         \
	{ 0x8086, 0x3c00, true }, { 0x8086, 0x3c01, true },                 \
	/* Intel Xeon E7 v3/Xeon E5 v3/Core i7 */                           \
	{ 0x8086, 0x2f00, true }, { 0x8086, 0x2f01, true }
#define WL_54 { 0x1022, 0x1450, false }, WL_INTEL_OLD
/* v5.10: Skylake-E (bc123a515cb7, 7b94b53db34f); the AMD entries gave
 * way to cpu_supports_p2pdma(). */
#define WL_INTEL_515                                                        \
	WL_INTEL_OLD,                                                       \
	/* Intel Skylake-E */                                               \
	{ 0x8086, 0x2030, false }, { 0x8086, 0x2031, false },               \
	{ 0x8086, 0x2032, false }, { 0x8086, 0x2033, false },               \
	{ 0x8086, 0x2020, false }
/* 3rd Gen Xeon Scalable, added v5.18. */
#define WL_INTEL_618 WL_INTEL_515, { 0x8086, 0x09a2, false }
/* The PCI tree after v6.18: Intel DSA/IAX/QAT, Google (PCI_ANY_ID),
 * NVIDIA, Zhaoxin. */
#define WL_NEXT                                                             \
	WL_INTEL_618,                                                       \
	{ 0x8086, 0x0b25, false }, { 0x8086, 0x0cfe, false },               \
	{ 0x8086, 0x11fb, false }, { 0x8086, 0x1212, false },               \
	{ 0x8086, 0x1216, false }, { 0x8086, 0x4940, false },               \
	{ 0x8086, 0x4942, false }, { 0x8086, 0x4944, false },               \
	{ 0x8086, 0x4946, false }, { 0x8086, 0x4948, false },               \
	/* Google SoCs */                                                   \
	{ 0x1ae0, ANY_ID, false },                                          \
	/* Nvidia CPUs */                                                   \
	{ 0x10de, 0x2f95, false }, { 0x10de, 0x2f96, false },               \
	{ 0x10de, 0x2f97, false }, { 0x10de, 0x2f98, false },               \
	/* Zhaoxin KX-6000/KH-40000/KX-6000G/KX-7000/KH-50000 */            \
	{ 0x1d17, 0x1003, true }, { 0x1d17, 0x1005, true },                 \
	{ 0x1d17, 0x1006, true }, { 0x1d17, 0x1007, true },                 \
	{ 0x1d17, 0x1008, false }

/* cpu_supports_p2pdma(): x86, AMD, family >= 0x17 (v5.10+). */
#define CPU_AMD_ZEN { DMASIM_ARCH_X86_64, DMASIM_CPU_AMD, 0x17 }

#define NWL(...) (sizeof((struct dmasim_wl_entry[]){ __VA_ARGS__ }) /     \
		  sizeof(struct dmasim_wl_entry))

/*
 * map_resource per IOMMU driver: before v5.1 the x86 VT-d and AMD-Vi ops
 * and powerpc's dma_iommu_ops had no .map_resource (the physical address
 * came back unchanged); arm64 dma-iommu always had one.  VT-d gained one
 * in v5.1 (intel_map_resource), AMD-Vi with its move to dma-iommu in
 * v5.13; powerpc TCE ops never had one.
 */
#define MAPRES_OLD { [DMASIM_IOMMU_INTEL_VTD] = false,                      \
		     [DMASIM_IOMMU_AMD_VI] = false,                         \
		     [DMASIM_IOMMU_SMMUV3] = true,                          \
		     [DMASIM_IOMMU_PPC_TCE] = false }
#define MAPRES_VTD { [DMASIM_IOMMU_INTEL_VTD] = true,                       \
		     [DMASIM_IOMMU_AMD_VI] = false,                         \
		     [DMASIM_IOMMU_SMMUV3] = true,                          \
		     [DMASIM_IOMMU_PPC_TCE] = false }
#define MAPRES_NEW { [DMASIM_IOMMU_INTEL_VTD] = true,                       \
		     [DMASIM_IOMMU_AMD_VI] = true,                          \
		     [DMASIM_IOMMU_SMMUV3] = true,                          \
		     [DMASIM_IOMMU_PPC_TCE] = false }

/* The rows v5.4 and later share: calc_map_type_and_dist() (or the
 * v5.4-v5.10 upstream_bridge_distance() with the same map types). */
#define ROW_CALC(nm)                                                        \
	.name = nm, .base = nm,                                             \
	.upstream = DMASIM_UPSTREAM_P2PDMA,                                 \
	.decision = DMASIM_DECIDE_CALC,                                     \
	.acs_redirect_bits = ACS_REDIR,                                     \
	.missing_op_returns_phys = false,                                   \
	.messages_420 = false

/* The rows from v6.1 on: they differ in the whitelist, its matching and
 * the IOVA 32-bit attempt. */
#define ROW_NEW(nm, wl, match, pci32, cmdline)                              \
	ROW_CALC(nm),                                                       \
	.root_dev = DMASIM_ROOTDEV_FIRST_00_0_OR_RP,                        \
	.whitelist_match = match,                                           \
	.whitelist_warning = true,                                          \
	.whitelist = { wl },                                                \
	.nwhitelist = NWL(wl),                                              \
	.cpu_rules = { CPU_AMD_ZEN },                                       \
	.ncpu_rules = 1,                                                    \
	.bus_offset_minus = false,                                          \
	.map_resource_ram = DMASIM_RAM_ALLOWED,                             \
	.iommu_has_map_resource = MAPRES_NEW,                               \
	.acs_list_size = 128,                                               \
	.iova_retry_from_top = true,                                        \
	.iova_pci32 = pci32,                                                \
	.acs_cmdline = cmdline,                                             \
	.acs_tb_noats = true,                                               \
	.acs_dt_request = DMASIM_ACS_DT_AT_FIRST_PROBE

const struct dmasim__policy_slot dmasim__policy_builtins[DMASIM__NPOLICY_BUILTINS] = {
	{ .p = {
		/* The 2018 proposal: pci_find_common_upstream_dev and
		 * pci_peer_traffic_supported; its host-bridge rule is "the
		 * 00.0 device is AMD 1022:1450" (pci_get_slot). */
		.name = "seed-2018",
		.base = "seed-2018",
		.upstream = DMASIM_UPSTREAM_SEED2018,
		.decision = DMASIM_DECIDE_SEED2018,
		.root_dev = DMASIM_ROOTDEV_SLOT_00_0,
		.whitelist_match = DMASIM_WL_MATCH_EXACT,
		.whitelist_warning = false,
		.whitelist = { { 0x1022, 0x1450, false } },
		.nwhitelist = 1,
		.ncpu_rules = 0,
		.acs_redirect_bits = ACS_REDIR,
		.bus_offset_minus = true,
		.map_resource_ram = DMASIM_RAM_BUG,
		.missing_op_returns_phys = true,
		.iommu_has_map_resource = MAPRES_OLD,
		.messages_420 = true,
		.acs_list_size = 4096,
		.iova_retry_from_top = false,
		.iova_pci32 = DMASIM_IOVA_PCI32_PER_CALL,
		.acs_cmdline = DMASIM_ACS_CMDLINE_NONE,
		.acs_dt_request = DMASIM_ACS_DT_BEFORE_ENUMERATION,
	} },
	{ .p = {
		/* v4.20: upstream_bridge_distance, no whitelist. */
		.name = "linux-4.20",
		.base = "linux-4.20",
		.upstream = DMASIM_UPSTREAM_P2PDMA,
		.decision = DMASIM_DECIDE_LINUX_420,
		.root_dev = DMASIM_ROOTDEV_FIRST_IF_00_0, /* unused */
		.whitelist_match = DMASIM_WL_MATCH_EXACT,
		.whitelist_warning = false,
		.nwhitelist = 0,
		.ncpu_rules = 0,
		.acs_redirect_bits = ACS_REDIR,
		.bus_offset_minus = true,
		.map_resource_ram = DMASIM_RAM_BUG,
		.missing_op_returns_phys = true,
		.iommu_has_map_resource = MAPRES_OLD,
		.messages_420 = true,
		.acs_list_size = 4096,
		.iova_retry_from_top = false,
		.iova_pci32 = DMASIM_IOVA_PCI32_PER_CALL,
		.acs_cmdline = DMASIM_ACS_CMDLINE_DISABLE_REDIR,
		.acs_dt_request = DMASIM_ACS_DT_BEFORE_ENUMERATION,
	} },
	{ .p = {
		/* v5.4: map types, the first table (AMD 1450, Intel), no
		 * whitelist warning, PAGE_SIZE ACS list, RAM refused. */
		ROW_CALC("linux-5.4"),
		.root_dev = DMASIM_ROOTDEV_FIRST_IF_00_0,
		.whitelist_match = DMASIM_WL_MATCH_EXACT,
		.whitelist_warning = false,
		.whitelist = { WL_54 },
		.nwhitelist = NWL(WL_54),
		.ncpu_rules = 0,
		.bus_offset_minus = true,
		.map_resource_ram = DMASIM_RAM_REFUSED,
		.iommu_has_map_resource = MAPRES_VTD,
		.acs_list_size = 4096,
		.iova_retry_from_top = false,
		.iova_pci32 = DMASIM_IOVA_PCI32_PER_CALL,
		.acs_cmdline = DMASIM_ACS_CMDLINE_DISABLE_REDIR,
		.acs_dt_request = DMASIM_ACS_DT_BEFORE_ENUMERATION,
	} },
	{ .p = {
		/* v5.10: Skylake-E entries, AMD Zen by CPU family. */
		ROW_CALC("linux-5.10"),
		.root_dev = DMASIM_ROOTDEV_FIRST_IF_00_0,
		.whitelist_match = DMASIM_WL_MATCH_EXACT,
		.whitelist_warning = false,
		.whitelist = { WL_INTEL_515 },
		.nwhitelist = NWL(WL_INTEL_515),
		.cpu_rules = { CPU_AMD_ZEN },
		.ncpu_rules = 1,
		.bus_offset_minus = true,
		.map_resource_ram = DMASIM_RAM_REFUSED,
		.iommu_has_map_resource = MAPRES_VTD,
		.acs_list_size = 4096,
		.iova_retry_from_top = false,
		.iova_pci32 = DMASIM_IOVA_PCI32_PER_CALL,
		.acs_cmdline = DMASIM_ACS_CMDLINE_DISABLE_REDIR,
		.acs_dt_request = DMASIM_ACS_DT_BEFORE_ENUMERATION,
	} },
	{ .p = {
		/* v5.15: calc_map_type_and_dist with the whitelist warning
		 * and a 128-byte ACS list (after v5.10), AMD-Vi map_resource
		 * (v5.13), IOVA retry (v5.11); bus-offset sign bug. */
		ROW_CALC("linux-5.15"),
		.root_dev = DMASIM_ROOTDEV_FIRST_IF_00_0,
		.whitelist_match = DMASIM_WL_MATCH_EXACT,
		.whitelist_warning = true,
		.whitelist = { WL_INTEL_515 },
		.nwhitelist = NWL(WL_INTEL_515),
		.cpu_rules = { CPU_AMD_ZEN },
		.ncpu_rules = 1,
		.bus_offset_minus = true,
		.map_resource_ram = DMASIM_RAM_REFUSED,
		.iommu_has_map_resource = MAPRES_NEW,
		.acs_list_size = 128,
		.iova_retry_from_top = true,
		.iova_pci32 = DMASIM_IOVA_PCI32_PER_CALL,
		.acs_cmdline = DMASIM_ACS_CMDLINE_DISABLE_REDIR,
		.acs_dt_request = DMASIM_ACS_DT_AT_FIRST_PROBE,
	} },
	/* v6.1: bus offset fixed and no RAM refusal (v5.16), 09a2 (v5.18),
	 * Root Port at any devfn (v5.19). */
	{ .p = { ROW_NEW("linux-6.1", WL_INTEL_618, DMASIM_WL_MATCH_EXACT,
			 DMASIM_IOVA_PCI32_PER_CALL, DMASIM_ACS_CMDLINE_DISABLE_REDIR) } },
	/* v6.6: the 32-bit IOVA attempt is sticky (v6.4). */
	{ .p = { ROW_NEW("linux-6.6", WL_INTEL_618, DMASIM_WL_MATCH_EXACT,
			 DMASIM_IOVA_PCI32_STICKY, DMASIM_ACS_CMDLINE_DISABLE_REDIR) } },
	/* The default: pci=config_acs= and __pci_config_acs() (v6.11). */
	{ .p = { ROW_NEW("linux-6.12", WL_INTEL_618, DMASIM_WL_MATCH_EXACT,
			 DMASIM_IOVA_PCI32_STICKY, DMASIM_ACS_CMDLINE_CONFIG_ACS) } },
	/* The PCI tree's p2pdma.c after v6.18 ("mainline"): the long
	 * whitelist with PCI_ANY_ID, per-BAR providers. */
	{ .p = { ROW_NEW("linux-6.19", WL_NEXT, DMASIM_WL_MATCH_ANY_ID,
			 DMASIM_IOVA_PCI32_STICKY, DMASIM_ACS_CMDLINE_CONFIG_ACS) } },
};

#define NBUILTINS DMASIM__NPOLICY_BUILTINS

static const char *const builtin_names[NBUILTINS + 1] = {
	"seed-2018", "linux-4.20", "linux-5.4", "linux-5.10", "linux-5.15",
	"linux-6.1", "linux-6.6", "linux-6.12", "linux-6.19", NULL,
};

/* Other names of built-in rows. */
static const struct { const char *alias, *name; } aliases[] = {
	{ "mainline", "linux-6.19" },
};

const struct dmasim_policy *dmasim_policy_builtin(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < NBUILTINS; i++)
		if (strcmp(dmasim__policy_builtins[i].p.name, name) == 0)
			return &dmasim__policy_builtins[i].p;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(aliases[i].alias, name) == 0)
			return dmasim_policy_builtin(aliases[i].name);
	return NULL;
}

const char *dmasim__policy_alias_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(aliases[i].name, name) == 0)
			return aliases[i].alias;
	return NULL;
}

const char *dmasim__policy_names_text(void)
{
	return "seed-2018, linux-4.20, linux-5.4, linux-5.10, linux-5.15, "
	       "linux-6.1, linux-6.6, linux-6.12, linux-6.19 (mainline)";
}

const char *const *dmasim_policy_builtin_names(void)
{
	return builtin_names;
}

const struct dmasim_policy *dmasim_policy_default(void)
{
	return dmasim__policy_default();
}

const char *const dmasim__root_dev_rule_names[3] = {
	"slot-00.0", "first-if-00.0", "first-00.0-or-root-port",
};
const char *const dmasim__upstream_names[2] = { "p2pdma", "seed-2018" };
const char *const dmasim__decision_names[DMASIM_DECIDE_COUNT] = {
	"seed-2018", "upstream-distance", "calc-map-type",
	"calc-map-type-rc-bus-addr",
};
const char *const dmasim__wl_match_names[DMASIM_WL_MATCH_COUNT] = {
	"exact", "any-id",
};
const char *const dmasim__bus_offset_names[2] = { "plus", "minus" };
const char *const dmasim__ram_rule_names[3] = { "allowed", "bug", "refused" };
const char *const dmasim__missing_op_names[2] = { "error", "phys" };
const char *const dmasim__iova_pci32_names[DMASIM_IOVA_PCI32_COUNT] = {
	"per-call", "sticky",
};
const char *const dmasim__acs_cmdline_names[DMASIM_ACS_CMDLINE_COUNT] = {
	"none", "disable-redir", "config-acs",
};
const char *const dmasim__acs_dt_request_names[DMASIM_ACS_DT_COUNT] = {
	"before-enumeration", "at-first-probe",
};

/* ---- policy files ---------------------------------------------------- */

static const char *const wl_modes[] = { "extend", "replace" };

static int load_whitelist(struct ydoc *y, yaml_node_t *n,
			  struct dmasim_policy *p)
{
	static const char *const keys[] = { "mode", "entries", "match",
					     "warning", NULL };
	static const char *const ekeys[] = { "vendor", "device",
					     "same_host_bridge", NULL };
	yaml_node_t *v[4], *e[3];
	int rc, mode = 0, m;
	size_t i, len;

	if ((rc = dmasim__ymap(y, n, "whitelist", keys, v)) ||
	    (v[0] && (rc = dmasim__yenum(y, v[0], "whitelist mode", wl_modes, 2, &mode))) ||
	    (v[1] && (rc = dmasim__yseq(y, v[1], "whitelist entries"))))
		return rc;
	if (v[2]) {
		if ((rc = dmasim__yenum(y, v[2], "whitelist match", dmasim__wl_match_names,
				DMASIM_WL_MATCH_COUNT, &m)))
			return rc;
		p->whitelist_match = (enum dmasim_wl_match)m;
	}
	if (v[3] && (rc = dmasim__ybool(y, v[3], "whitelist warning",
					&p->whitelist_warning)))
		return rc;
	if (mode == 1)
		p->nwhitelist = 0;
	len = v[1] ? dmasim__yseq_len(v[1]) : 0;
	for (i = 0; i < len; i++) {
		yaml_node_t *item = dmasim__yseq_at(y, v[1], i);
		struct dmasim_wl_entry w = { 0, 0, false };
		uint64_t u;
		const char *s;

		if ((rc = dmasim__ymap(y, item, "a whitelist entry", ekeys, e)) ||
		    (rc = dmasim__yrequire(y, item, e[0], "a whitelist entry", "vendor")) ||
		    (rc = dmasim__yrequire(y, item, e[1], "a whitelist entry", "device")) ||
		    (rc = dmasim__yu64_max(y, e[0], "vendor", 0xffff, &u)))
			return rc;
		if (u == 0)
			return dmasim__yerr(y, e[0], DMASIM_ESCHEMA,
				    "vendor 0 ends the kernel's table; use a real vendor ID");
		w.vendor = (uint16_t)u;
		s = dmasim__yscalar(e[1]);
		if (s && strcmp(s, "any") == 0) {
			w.device = ANY_ID;
		} else {
			if ((rc = dmasim__yu64_max(y, e[1], "device (a number or \"any\")",
					   0xffff, &u)))
				return rc;
			w.device = (int32_t)u;
		}
		if (e[2] && (rc = dmasim__ybool(y, e[2], "same_host_bridge",
					&w.same_host_bridge_only)))
			return rc;
		if (p->nwhitelist >= DMASIM_POLICY_MAX_WL)
			return dmasim__yerr(y, item, DMASIM_ESCHEMA,
				    "the whitelist has more than %d entries",
				    DMASIM_POLICY_MAX_WL);
		p->whitelist[p->nwhitelist++] = w;
	}
	return DMASIM_OK;
}

static int load_cpu_rules(struct ydoc *y, yaml_node_t *n,
			  struct dmasim_policy *p)
{
	static const char *const keys[] = { "vendor", "min_family", "arch",
					    NULL };
	yaml_node_t *v[3];
	size_t i, len;
	int rc;

	if ((rc = dmasim__yseq(y, n, "cpu_rules")))
		return rc;
	p->ncpu_rules = 0;
	len = dmasim__yseq_len(n);
	for (i = 0; i < len; i++) {
		yaml_node_t *item = dmasim__yseq_at(y, n, i);
		struct dmasim_cpu_rule r = { DMASIM_ARCH_X86_64, DMASIM_CPU_AMD, 0 };
		uint64_t fam;
		int e;

		if ((rc = dmasim__ymap(y, item, "a cpu rule", keys, v)) ||
		    (rc = dmasim__yrequire(y, item, v[0], "a cpu rule", "vendor")) ||
		    (rc = dmasim__yrequire(y, item, v[1], "a cpu rule", "min_family")) ||
		    (rc = dmasim__yenum(y, v[0], "cpu vendor", dmasim__cpu_vendor_names,
				DMASIM_CPU_COUNT, &e)))
			return rc;
		r.vendor = (enum dmasim_cpu_vendor)e;
		if ((rc = dmasim__yu64_max(y, v[1], "min_family", 0xffff, &fam)))
			return rc;
		r.min_family = (unsigned)fam;
		if (v[2]) {
			if ((rc = dmasim__yenum(y, v[2], "arch", dmasim__arch_names,
					DMASIM_ARCH_COUNT, &e)))
				return rc;
			r.arch = (enum dmasim_arch)e;
		}
		if (p->ncpu_rules >= DMASIM_POLICY_MAX_CPU_RULES)
			return dmasim__yerr(y, item, DMASIM_ESCHEMA,
				    "more than %d cpu rules",
				    DMASIM_POLICY_MAX_CPU_RULES);
		p->cpu_rules[p->ncpu_rules++] = r;
	}
	return DMASIM_OK;
}

static int load_acs_bits(struct ydoc *y, yaml_node_t *n, unsigned *out)
{
	unsigned bits = 0;
	size_t i;
	int rc, b;

	if ((rc = dmasim__yseq(y, n, "acs_redirect_bits")))
		return rc;
	for (i = 0; i < dmasim__yseq_len(n); i++) {
		yaml_node_t *item = dmasim__yseq_at(y, n, i);
		if ((rc = dmasim__yenum(y, item, "ACS bit", dmasim__acs_bit_names, 7, &b)))
			return rc;
		if (bits & (1u << b))
			return dmasim__yerr(y, item, DMASIM_ESCHEMA,
				    "ACS bit '%s' is listed twice",
				    dmasim__acs_bit_names[b]);
		bits |= 1u << b;
	}
	*out = bits;
	return DMASIM_OK;
}

static void default_name(char *dst, size_t size, const char *path)
{
	const char *b = strrchr(path, '/');
	size_t len;

	b = b ? b + 1 : path;
	len = strlen(b);
	if (len > 5 && strcmp(b + len - 5, ".yaml") == 0)
		len -= 5;
	else if (len > 4 && strcmp(b + len - 4, ".yml") == 0)
		len -= 4;
	if (len >= size)
		len = size - 1;
	memcpy(dst, b, len);
	dst[len] = '\0';
}

/* An enum field: @names has @n entries. */
static int load_enum(struct ydoc *y, yaml_node_t *n, const char *what,
		     const char *const *names, int count, int *out)
{
	return n ? dmasim__yenum(y, n, what, names, count, out) : DMASIM_OK;
}

static int load_iommu_list(struct ydoc *y, yaml_node_t *n,
			   struct dmasim_policy *p)
{
	bool has[DMASIM_IOMMU_TYPE_COUNT] = { false };
	size_t i;
	int rc, t;

	if ((rc = dmasim__yseq(y, n, "map_resource iommu_ops")))
		return rc;
	for (i = 0; i < dmasim__yseq_len(n); i++) {
		yaml_node_t *item = dmasim__yseq_at(y, n, i);
		if ((rc = dmasim__yenum(y, item, "IOMMU type", dmasim__iommu_type_names,
				DMASIM_IOMMU_TYPE_COUNT, &t)))
			return rc;
		if (has[t])
			return dmasim__yerr(y, item, DMASIM_ESCHEMA,
				    "IOMMU type '%s' is listed twice",
				    dmasim__iommu_type_names[t]);
		has[t] = true;
	}
	memcpy(p->iommu_has_map_resource, has, sizeof(has));
	return DMASIM_OK;
}

/* map_resource: { ram, missing_op, iommu_ops }: dma_map_resource(). */
static int load_map_resource(struct ydoc *y, yaml_node_t *n,
			     struct dmasim_policy *p, bool *ram_given)
{
	static const char *const keys[] = { "ram", "missing_op", "iommu_ops", NULL };
	yaml_node_t *v[3];
	int rc, e;

	if ((rc = dmasim__ymap(y, n, "map_resource", keys, v)))
		return rc;
	*ram_given = v[0] != NULL;
	e = (int)p->map_resource_ram;
	if ((rc = load_enum(y, v[0], "map_resource ram", dmasim__ram_rule_names, 3, &e)))
		return rc;
	p->map_resource_ram = (enum dmasim_ram_rule)e;
	e = p->missing_op_returns_phys;
	if ((rc = load_enum(y, v[1], "map_resource missing_op",
			    dmasim__missing_op_names, 2, &e)))
		return rc;
	p->missing_op_returns_phys = e != 0;
	return v[2] ? load_iommu_list(y, v[2], p) : DMASIM_OK;
}

/* iova: { retry_from_top, pci32 }: the IOVA allocator. */
static int load_iova(struct ydoc *y, yaml_node_t *n, struct dmasim_policy *p)
{
	static const char *const keys[] = { "retry_from_top", "pci32", NULL };
	yaml_node_t *v[2];
	int rc, e;

	if ((rc = dmasim__ymap(y, n, "iova", keys, v)) ||
	    (v[0] && (rc = dmasim__ybool(y, v[0], "iova retry_from_top",
					 &p->iova_retry_from_top))))
		return rc;
	e = (int)p->iova_pci32;
	if ((rc = load_enum(y, v[1], "iova pci32", dmasim__iova_pci32_names,
			    DMASIM_IOVA_PCI32_COUNT, &e)))
		return rc;
	p->iova_pci32 = (enum dmasim_iova_pci32)e;
	return DMASIM_OK;
}

/* acs: { cmdline, dt_request }: pci_enable_acs()'s rules. */
static int load_acs(struct ydoc *y, yaml_node_t *n, struct dmasim_policy *p)
{
	static const char *const keys[] = { "cmdline", "dt_request", NULL };
	yaml_node_t *v[2];
	int rc, e;

	if ((rc = dmasim__ymap(y, n, "acs", keys, v)))
		return rc;
	e = (int)p->acs_cmdline;
	if ((rc = load_enum(y, v[0], "acs cmdline", dmasim__acs_cmdline_names,
			    DMASIM_ACS_CMDLINE_COUNT, &e)))
		return rc;
	p->acs_cmdline = (enum dmasim_acs_cmdline)e;
	e = (int)p->acs_dt_request;
	if ((rc = load_enum(y, v[1], "acs dt_request", dmasim__acs_dt_request_names,
			    DMASIM_ACS_DT_COUNT, &e)))
		return rc;
	p->acs_dt_request = (enum dmasim_acs_dt_request)e;
	return DMASIM_OK;
}

/* Keys of the policy mapping, in the order `dmasim policy show` prints
 * them (map_resource_refuses_ram: the older spelling of map_resource.ram). */
enum {
	K_NAME, K_BASE, K_UPSTREAM, K_DECISION, K_ROOTDEV, K_WL, K_CPU, K_ACS,
	K_ACSLIST, K_BUSOFF, K_MAPRES, K_IOVA, K_ACSEN, K_RAM, K_N
};
static const char *const policy_keys[K_N + 1] = {
	"name", "base", "upstream", "decision", "root_device", "whitelist",
	"cpu_rules", "acs_redirect_bits", "acs_list_size", "bus_offset",
	"map_resource", "iova", "acs", "map_resource_refuses_ram", NULL,
};

/* ---- a file that keeps a built-in's name ------------------------------ */

/*
 * A policy's name is what every output calls it (`diff A -> B`, `policy
 * NAME:`), so a file may carry a built-in row's name only when it is that
 * row exactly (as `dmasim policy show NAME` writes it); an edited copy
 * must be renamed (docs/policy.md, "Policy files").  The fields below are
 * the policy file's, as docs/policy.md spells them, in the order `policy
 * show` writes them; messages_420 follows decision and acs_tb_noats the
 * base, so neither can differ on its own.
 */
enum {
	F_BASE, F_UPSTREAM, F_DECISION, F_ROOTDEV, F_WL_MATCH, F_WL_WARNING,
	F_WL_ENTRIES, F_CPU, F_ACSBITS, F_ACSLIST, F_BUSOFF, F_RAM, F_MISSING,
	F_IOMMU, F_RETRY, F_PCI32, F_CMDLINE, F_DT, F_N
};
static const struct {
	const char *name;
	int key;           /* K_*: the policy mapping's key holding it */
	const char *sub;   /* its key inside that value, or NULL */
} fields[F_N] = {
	[F_BASE] = { "base", K_BASE, NULL },
	[F_UPSTREAM] = { "upstream", K_UPSTREAM, NULL },
	[F_DECISION] = { "decision", K_DECISION, NULL },
	[F_ROOTDEV] = { "root_device", K_ROOTDEV, NULL },
	[F_WL_MATCH] = { "whitelist.match", K_WL, "match" },
	[F_WL_WARNING] = { "whitelist.warning", K_WL, "warning" },
	[F_WL_ENTRIES] = { "whitelist.entries", K_WL, "entries" },
	[F_CPU] = { "cpu_rules", K_CPU, NULL },
	[F_ACSBITS] = { "acs_redirect_bits", K_ACS, NULL },
	[F_ACSLIST] = { "acs_list_size", K_ACSLIST, NULL },
	[F_BUSOFF] = { "bus_offset", K_BUSOFF, NULL },
	[F_RAM] = { "map_resource.ram", K_MAPRES, "ram" },
	[F_MISSING] = { "map_resource.missing_op", K_MAPRES, "missing_op" },
	[F_IOMMU] = { "map_resource.iommu_ops", K_MAPRES, "iommu_ops" },
	[F_RETRY] = { "iova.retry_from_top", K_IOVA, "retry_from_top" },
	[F_PCI32] = { "iova.pci32", K_IOVA, "pci32" },
	[F_CMDLINE] = { "acs.cmdline", K_ACSEN, "cmdline" },
	[F_DT] = { "acs.dt_request", K_ACSEN, "dt_request" },
};

/* The first whitelist entry in which @a and @b differ (one past the
 * shorter list when only the lengths differ), or SIZE_MAX. */
static size_t first_wl_diff(const struct dmasim_policy *a,
			    const struct dmasim_policy *b)
{
	size_t i;

	for (i = 0; i < a->nwhitelist && i < b->nwhitelist; i++)
		if (a->whitelist[i].vendor != b->whitelist[i].vendor ||
		    a->whitelist[i].device != b->whitelist[i].device ||
		    a->whitelist[i].same_host_bridge_only !=
		    b->whitelist[i].same_host_bridge_only)
			return i;
	return a->nwhitelist == b->nwhitelist ? SIZE_MAX : i;
}

/* The same for the cpu rules. */
static size_t first_cpu_diff(const struct dmasim_policy *a,
			     const struct dmasim_policy *b)
{
	size_t i;

	for (i = 0; i < a->ncpu_rules && i < b->ncpu_rules; i++)
		if (a->cpu_rules[i].arch != b->cpu_rules[i].arch ||
		    a->cpu_rules[i].vendor != b->cpu_rules[i].vendor ||
		    a->cpu_rules[i].min_family != b->cpu_rules[i].min_family)
			return i;
	return a->ncpu_rules == b->ncpu_rules ? SIZE_MAX : i;
}

static bool same_iommu_ops(const struct dmasim_policy *a,
			   const struct dmasim_policy *b)
{
	size_t t;

	for (t = 0; t < DMASIM_IOMMU_TYPE_COUNT; t++)
		if (a->iommu_has_map_resource[t] != b->iommu_has_map_resource[t])
			return false;
	return true;
}

/* The first field (F_*) in which @a differs from @b, F_N when none; for
 * the lists, *at is the first differing entry. */
static int first_diff(const struct dmasim_policy *a,
		      const struct dmasim_policy *b, size_t *at)
{
	size_t wl = first_wl_diff(a, b), cpu = first_cpu_diff(a, b);
	const bool differs[F_N] = {
		[F_BASE] = strcmp(a->base, b->base) != 0,
		[F_UPSTREAM] = a->upstream != b->upstream,
		[F_DECISION] = a->decision != b->decision,
		[F_ROOTDEV] = a->root_dev != b->root_dev,
		[F_WL_MATCH] = a->whitelist_match != b->whitelist_match,
		[F_WL_WARNING] = a->whitelist_warning != b->whitelist_warning,
		[F_WL_ENTRIES] = wl != SIZE_MAX,
		[F_CPU] = cpu != SIZE_MAX,
		[F_ACSBITS] = a->acs_redirect_bits != b->acs_redirect_bits,
		[F_ACSLIST] = a->acs_list_size != b->acs_list_size,
		[F_BUSOFF] = a->bus_offset_minus != b->bus_offset_minus,
		[F_RAM] = a->map_resource_ram != b->map_resource_ram,
		[F_MISSING] = a->missing_op_returns_phys != b->missing_op_returns_phys,
		[F_IOMMU] = !same_iommu_ops(a, b),
		[F_RETRY] = a->iova_retry_from_top != b->iova_retry_from_top,
		[F_PCI32] = a->iova_pci32 != b->iova_pci32,
		[F_CMDLINE] = a->acs_cmdline != b->acs_cmdline,
		[F_DT] = a->acs_dt_request != b->acs_dt_request,
	};
	int f;

	for (f = 0; f < F_N && !differs[f]; f++)
		;
	*at = f == F_WL_ENTRIES ? wl : f == F_CPU ? cpu : 0;
	return f;
}

/* The value of @key in the mapping @map, or NULL. */
static yaml_node_t *map_value(struct ydoc *y, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++) {
		const char *k = dmasim__yscalar(yaml_document_get_node(&y->doc, pair->key));

		if (k && strcmp(k, key) == 0)
			return yaml_document_get_node(&y->doc, pair->value);
	}
	return NULL;
}

/* Entry @at of the list @seq, or NULL. */
static yaml_node_t *seq_item(struct ydoc *y, yaml_node_t *seq, size_t at)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE || at >= dmasim__yseq_len(seq))
		return NULL;
	return dmasim__yseq_at(y, seq, at);
}

/*
 * Where the file gives field @f (for a list, entry @at of the result):
 * the entry, else the value, else what holds it, else the policy mapping
 * @pn.  The whitelist's entries follow the base's @nbase ones unless the
 * file's mode is replace.
 */
static yaml_node_t *field_node(struct ydoc *y, yaml_node_t *pn,
			       yaml_node_t *const *v, int f, size_t at,
			       size_t nbase)
{
	yaml_node_t *parent = v[fields[f].key];
	yaml_node_t *n = fields[f].sub ? map_value(y, parent, fields[f].sub) : parent;
	yaml_node_t *item = NULL;

	if (f == F_WL_ENTRIES) {
		const char *mode = dmasim__yscalar(map_value(y, parent, "mode"));

		if (!(mode && strcmp(mode, "replace") == 0))
			at = at >= nbase ? at - nbase : SIZE_MAX;
		item = seq_item(y, n, at);
		if (!n)
			n = map_value(y, parent, "mode");
	} else if (f == F_CPU) {
		item = seq_item(y, n, at);
	} else if (f == F_RAM && !n) {
		n = v[K_RAM];
	}
	if (item)
		return item;
	return n ? n : parent ? parent : pn;
}

/* A policy named as a built-in row must be that row (see above). */
static int check_builtin_name(struct ydoc *y, yaml_node_t *pn,
			      yaml_node_t *const *v, const struct dmasim_policy *p)
{
	const struct dmasim_policy *b = dmasim_policy_builtin(p->name);
	yaml_node_t *at_node;
	size_t at;
	unsigned line;
	int f;

	if (!b || (f = first_diff(p, b, &at)) == F_N)
		return DMASIM_OK;
	at_node = field_node(y, pn, v, f, at, b->nwhitelist);
	line = dmasim__ypos(at_node).line;
	if (v[K_NAME])
		return dmasim__yerr(y, v[K_NAME], DMASIM_ESCHEMA,
			    "this policy differs from the built-in %s (first in %s, line %u), so it must have a name of its own",
			    p->name, fields[f].name, line);
	return dmasim__yerr(y, pn, DMASIM_ESCHEMA,
		    "this policy takes the name %s from its file but differs from the built-in %s (first in %s, line %u), so it must have a name of its own (name:)",
		    p->name, p->name, fields[f].name, line);
}

static int load_policy_node(struct ydoc *y, yaml_node_t *pn, const char *path,
			    struct dmasim_policy *out)
{
	yaml_node_t *v[K_N];
	struct dmasim_policy p;
	const struct dmasim_policy *base;
	char ex[DMASIM_YEXCERPT_SIZE];
	const char *s;
	uint64_t u;
	size_t i;
	bool ram_given = false;
	int rc, e;

	if ((rc = dmasim__ymap(y, pn, "policy", policy_keys, v)) ||
	    (rc = dmasim__yrequire(y, pn, v[K_BASE], "policy", "base")) ||
	    (rc = dmasim__ystr(y, v[K_BASE], "base", &s)))
		return rc;
	base = dmasim_policy_builtin(s);
	if (!base)
		return dmasim__yerr(y, v[K_BASE], DMASIM_ESCHEMA,
			    "'%s' is not a built-in policy; expected one of: %s",
			    dmasim__yexcerpt(ex, s), dmasim__policy_names_text());
	p = *base;
	default_name(p.name, sizeof(p.name), path);
	if (v[K_NAME]) {
		if ((rc = dmasim__ystr(y, v[K_NAME], "name", &s)))
			return rc;
		if (strlen(s) >= sizeof(p.name))
			return dmasim__yerr(y, v[K_NAME], DMASIM_ESCHEMA,
				    "the policy name is longer than %zu characters",
				    sizeof(p.name) - 1);
		strcpy(p.name, s);
	}
	e = (int)p.upstream;
	if ((rc = load_enum(y, v[K_UPSTREAM], "upstream",
			    dmasim__upstream_names, 2, &e)))
		return rc;
	p.upstream = (enum dmasim_upstream_algo)e;
	e = (int)p.decision;
	if ((rc = load_enum(y, v[K_DECISION], "decision", dmasim__decision_names,
			    DMASIM_DECIDE_COUNT, &e)))
		return rc;
	p.decision = (enum dmasim_decision_algo)e;
	p.messages_420 = p.decision == DMASIM_DECIDE_SEED2018 ||
			 p.decision == DMASIM_DECIDE_LINUX_420;
	e = (int)p.root_dev;
	if ((rc = load_enum(y, v[K_ROOTDEV], "root_device",
			    dmasim__root_dev_rule_names, 3, &e)))
		return rc;
	p.root_dev = (enum dmasim_root_dev_rule)e;
	if (v[K_WL] && (rc = load_whitelist(y, v[K_WL], &p)))
		return rc;
	if (p.whitelist_match == DMASIM_WL_MATCH_EXACT)
		for (i = 0; i < p.nwhitelist; i++)
			if (p.whitelist[i].device == ANY_ID)
				return dmasim__yerr(y, v[K_WL] ? v[K_WL] : pn, DMASIM_ESCHEMA,
					    "a whitelist entry with device 'any' (PCI_ANY_ID) needs whitelist match: any-id");
	if (v[K_CPU] && (rc = load_cpu_rules(y, v[K_CPU], &p)))
		return rc;
	if (v[K_ACS] && (rc = load_acs_bits(y, v[K_ACS], &p.acs_redirect_bits)))
		return rc;
	if (v[K_ACSLIST]) {
		if ((rc = dmasim__yu64_max(y, v[K_ACSLIST], "acs_list_size", 4096, &u)))
			return rc;
		if (u == 0)
			return dmasim__yerr(y, v[K_ACSLIST], DMASIM_ESCHEMA,
				    "acs_list_size must be 1 to 4096 bytes");
		p.acs_list_size = (unsigned)u;
	}
	e = p.bus_offset_minus;
	if ((rc = load_enum(y, v[K_BUSOFF], "bus_offset", dmasim__bus_offset_names,
			    2, &e)))
		return rc;
	p.bus_offset_minus = e != 0;
	if (v[K_MAPRES] && (rc = load_map_resource(y, v[K_MAPRES], &p, &ram_given)))
		return rc;
	if (v[K_RAM]) {
		bool refuses;
		if (ram_given)
			return dmasim__yerr(y, v[K_RAM], DMASIM_ESCHEMA,
				    "give map_resource ram or map_resource_refuses_ram, not both");
		if ((rc = dmasim__ybool(y, v[K_RAM], "map_resource_refuses_ram", &refuses)))
			return rc;
		p.map_resource_ram = refuses ? DMASIM_RAM_REFUSED : DMASIM_RAM_ALLOWED;
	}
	if (v[K_IOVA] && (rc = load_iova(y, v[K_IOVA], &p)))
		return rc;
	if (v[K_ACSEN] && (rc = load_acs(y, v[K_ACSEN], &p)))
		return rc;
	if ((rc = check_builtin_name(y, pn, v, &p)))
		return rc;
	*out = p;
	return DMASIM_OK;
}

/* A name that is meant as a file: a directory part or a YAML suffix.
 * Anything else that does not exist is reported as an unknown policy. */
static bool looks_like_path(const char *s)
{
	size_t len = strlen(s);

	return strchr(s, '/') != NULL ||
	       (len > 5 && strcmp(s + len - 5, ".yaml") == 0) ||
	       (len > 4 && strcmp(s + len - 4, ".yml") == 0);
}

/* The document of a policy file: { dmasim: 1, policy: {...} }. */
static int load_policy_doc(struct ydoc *y, const char *name,
			   struct dmasim_policy *out)
{
	static const char *const keys[] = { "dmasim", "policy", NULL };
	yaml_node_t *root, *v[2];
	uint64_t version;
	int rc;

	root = dmasim__ydoc_root(y);
	if ((rc = dmasim__ymap(y, root, "the policy file", keys, v)) ||
	    (rc = dmasim__yrequire(y, root, v[0], "a policy file", "dmasim")) ||
	    (rc = dmasim__yu64(y, v[0], "dmasim (format version)", &version)))
		return rc;
	if (version != 1)
		return dmasim__yerr(y, v[0], DMASIM_ESCHEMA,
			  "format version %llu is not supported; this dmasim reads version 1",
			  (unsigned long long)version);
	if ((rc = dmasim__yrequire(y, root, v[1], "a policy file", "policy")))
		return rc;
	return load_policy_node(y, v[1], name, out);
}

int dmasim_policy_load_limited(const char *name_or_path,
			       const struct dmasim_limits *lim,
			       struct dmasim_policy *out, struct dmasim_error *err)
{
	const struct dmasim_policy *b;
	struct ydoc y;
	int rc;

	if (!name_or_path || !out)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"no policy given");
	b = dmasim_policy_builtin(name_or_path);
	if (b) {
		*out = *b;
		return DMASIM_OK;
	}
	if (!looks_like_path(name_or_path)) {
		/* A bare name is a file only when a regular file of that name
		 * exists; it is not opened to find out (a FIFO would block). */
		struct stat st;
		char ex[DMASIM_YEXCERPT_SIZE];

		if (stat(name_or_path, &st) != 0 || !S_ISREG(st.st_mode))
			return dmasim_error_set(err, DMASIM_ENOTFOUND, NULL, 0, 0,
				"unknown policy '%s'; expected a policy file or one of: %s",
				dmasim__yexcerpt(ex, name_or_path), dmasim__policy_names_text());
	}
	if ((rc = dmasim__ydoc_load_file(&y, name_or_path, lim, err)))
		return rc;
	rc = load_policy_doc(&y, name_or_path, out);
	dmasim__ydoc_fini(&y);
	return rc;
}

int dmasim_policy_load(const char *name_or_path, struct dmasim_policy *out,
		       struct dmasim_error *err)
{
	return dmasim_policy_load_limited(name_or_path, NULL, out, err);
}

int dmasim_policy_load_string(const char *text, size_t len, const char *name,
			      const struct dmasim_limits *lim,
			      struct dmasim_policy *out, struct dmasim_error *err)
{
	struct ydoc y;
	int rc;

	if (!out)
		return dmasim_error_set(err, DMASIM_EINVAL, name, 0, 0, "no output given");
	if ((rc = dmasim__ydoc_load_string(&y, text, len, name, lim, err)))
		return rc;
	rc = load_policy_doc(&y, y.file, out);
	dmasim__ydoc_fini(&y);
	return rc;
}
