/*
 * dmasim -- the built-in policies as data, and policy files (docs/policy.md,
 * "Policy files").  Each built-in is one row of struct dmasim_policy; the
 * algorithms in src/kernel and src/dma read the fields and never test a
 * version (docs/policy.md, "The built-in rows").
 */
#include <stdio.h>
#include <string.h>

#include "dmasim/policy.h"
#include "load/ynode.h"
#include "model/names.h"
#include "policy/policy_int.h"

#define ACS_REDIR (DMASIM_ACS_RR | DMASIM_ACS_CR | DMASIM_ACS_EC)
#define ANY_ID (-1)

/* drivers/pci/p2pdma.c pci_p2pdma_whitelist[], in table
 * order.  The v5.4-v5.8 AMD entries were replaced by cpu_supports_p2pdma
 * (≈ v5.9), so linux-5.15 has the Intel rows up to 2033/2020. */
#define WL_INTEL_515                                                        \
	/* Intel Xeon E5/Core i7 */                                         \
	{ 0x8086, 0x3c00, true }, { 0x8086, 0x3c01, true },                 \
	/* Intel Xeon E7 v3/Xeon E5 v3/Core i7 */                           \
	{ 0x8086, 0x2f00, true }, { 0x8086, 0x2f01, true },                 \
	/* Intel Skylake-E */                                               \
	{ 0x8086, 0x2030, false }, { 0x8086, 0x2031, false },               \
	{ 0x8086, 0x2032, false }, { 0x8086, 0x2033, false },               \
	{ 0x8086, 0x2020, false }
/* 3rd Gen Xeon Scalable, added ≈ v5.18 (M. Ruhl). */
#define WL_INTEL_618 WL_INTEL_515, { 0x8086, 0x09a2, false }

/* cpu_supports_p2pdma(): x86, AMD, family >= 0x17 (drivers/pci/p2pdma.c, v5.9+). */
#define CPU_AMD_ZEN { DMASIM_ARCH_X86_64, DMASIM_CPU_AMD, 0x17 }

#define NWL(...) (sizeof((struct dmasim_wl_entry[]){ __VA_ARGS__ }) /     \
		  sizeof(struct dmasim_wl_entry))

/*
 * map_resource per IOMMU driver (kernel/dma/mapping.c dma_map_resource,
 * drivers/iommu/dma-iommu.c iommu_dma_map_resource, powerpc dma_iommu_ops): before v5.1
 * the x86 VT-d and AMD-Vi ops and powerpc's dma_iommu_ops had no
 * .map_resource (the physical address came back unchanged); arm64
 * dma-iommu always had one.  VT-d gained one ≈ v5.1, AMD-Vi has used
 * dma-iommu since v5.13; powerpc TCE ops never had one.
 */
#define MAPRES_OLD { [DMASIM_IOMMU_INTEL_VTD] = false,                      \
		     [DMASIM_IOMMU_AMD_VI] = false,                         \
		     [DMASIM_IOMMU_SMMUV3] = true,                          \
		     [DMASIM_IOMMU_PPC_TCE] = false }
#define MAPRES_NEW { [DMASIM_IOMMU_INTEL_VTD] = true,                       \
		     [DMASIM_IOMMU_AMD_VI] = true,                          \
		     [DMASIM_IOMMU_SMMUV3] = true,                          \
		     [DMASIM_IOMMU_PPC_TCE] = false }

const struct dmasim__policy_slot dmasim__policy_builtins[DMASIM__NPOLICY_BUILTINS] = {
	{ .p = {
		/* The 2018 proposal (not merged; patches 2/8 and 3/8): pci_find_common_upstream_dev
		 * and pci_peer_traffic_supported; its host-bridge rule is
		 * "the 00.0 device is AMD 1022:1450" (pci_get_slot). */
		.name = "seed-2018",
		.base = "seed-2018",
		.upstream = DMASIM_UPSTREAM_SEED2018,
		.decision = DMASIM_DECIDE_SEED2018,
		.root_dev = DMASIM_ROOTDEV_SLOT_00_0,
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
	} },
	{ .p = {
		/* P2P-4.20: upstream_bridge_distance, no whitelist. */
		.name = "linux-4.20",
		.base = "linux-4.20",
		.upstream = DMASIM_UPSTREAM_P2PDMA,
		.decision = DMASIM_DECIDE_LINUX_420,
		.root_dev = DMASIM_ROOTDEV_FIRST_IF_00_0, /* unused */
		.nwhitelist = 0,
		.ncpu_rules = 0,
		.acs_redirect_bits = ACS_REDIR,
		.bus_offset_minus = true,
		.map_resource_ram = DMASIM_RAM_BUG,
		.missing_op_returns_phys = true,
		.iommu_has_map_resource = MAPRES_OLD,
		.messages_420 = true,
		.acs_list_size = 4096,
	} },
	{ .p = {
		/* P2P-5.1x: calc_map_type_and_dist, whitelist to 2033/2020,
		 * AMD Zen rule, bus-offset sign bug, RAM refused. */
		.name = "linux-5.15",
		.base = "linux-5.15",
		.upstream = DMASIM_UPSTREAM_P2PDMA,
		.decision = DMASIM_DECIDE_CALC,
		.root_dev = DMASIM_ROOTDEV_FIRST_IF_00_0,
		.whitelist = { WL_INTEL_515 },
		.nwhitelist = NWL(WL_INTEL_515),
		.cpu_rules = { CPU_AMD_ZEN },
		.ncpu_rules = 1,
		.acs_redirect_bits = ACS_REDIR,
		.bus_offset_minus = true,
		.map_resource_ram = DMASIM_RAM_REFUSED,
		.missing_op_returns_phys = false,
		.iommu_has_map_resource = MAPRES_NEW,
		.messages_420 = false,
		.acs_list_size = 128,
	} },
	{ .p = {
		/* The default: as 5.15 plus 09a2, bus offset fixed (v5.16),
		 * no RAM refusal (v5.16), and pci_host_bridge_dev() takes a
		 * Root Port at any devfn (v5.19, 1af7c26c59eb). */
		.name = "linux-6.12",
		.base = "linux-6.12",
		.upstream = DMASIM_UPSTREAM_P2PDMA,
		.decision = DMASIM_DECIDE_CALC,
		.root_dev = DMASIM_ROOTDEV_FIRST_00_0_OR_RP,
		.whitelist = { WL_INTEL_618 },
		.nwhitelist = NWL(WL_INTEL_618),
		.cpu_rules = { CPU_AMD_ZEN },
		.ncpu_rules = 1,
		.acs_redirect_bits = ACS_REDIR,
		.bus_offset_minus = false,
		.map_resource_ram = DMASIM_RAM_ALLOWED,
		.missing_op_returns_phys = false,
		.iommu_has_map_resource = MAPRES_NEW,
		.messages_420 = false,
		.acs_list_size = 128,
	} },
};

#define NBUILTINS DMASIM__NPOLICY_BUILTINS

static const char *const builtin_names[NBUILTINS + 1] = {
	"seed-2018", "linux-4.20", "linux-5.15", "linux-6.12", NULL,
};

const struct dmasim_policy *dmasim_policy_builtin(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < NBUILTINS; i++)
		if (strcmp(dmasim__policy_builtins[i].p.name, name) == 0)
			return &dmasim__policy_builtins[i].p;
	return NULL;
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

/* ---- policy files ---------------------------------------------------- */

static const char *const wl_modes[] = { "extend", "replace" };

static int load_whitelist(struct ydoc *y, yaml_node_t *n,
			  struct dmasim_policy *p)
{
	static const char *const keys[] = { "mode", "entries", NULL };
	static const char *const ekeys[] = { "vendor", "device",
					     "same_host_bridge", NULL };
	yaml_node_t *v[2], *e[3];
	int rc, mode = 0;
	size_t i, len;

	if ((rc = dmasim__ymap(y, n, "whitelist", keys, v)) ||
	    (rc = dmasim__yrequire(y, n, v[1], "whitelist", "entries")) ||
	    (v[0] && (rc = dmasim__yenum(y, v[0], "whitelist mode", wl_modes, 2, &mode))) ||
	    (rc = dmasim__yseq(y, v[1], "whitelist entries")))
		return rc;
	if (mode == 1)
		p->nwhitelist = 0;
	len = dmasim__yseq_len(v[1]);
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

static int load_policy_node(struct ydoc *y, yaml_node_t *pn, const char *path,
			    struct dmasim_policy *out)
{
	enum { K_NAME, K_BASE, K_WL, K_CPU, K_ACS, K_RAM, K_ROOTDEV, K_N };
	static const char *const keys[] = {
		"name", "base", "whitelist", "cpu_rules", "acs_redirect_bits",
		"map_resource_refuses_ram", "root_device", NULL,
	};
	yaml_node_t *v[K_N];
	struct dmasim_policy p;
	const struct dmasim_policy *base;
	char ex[DMASIM_YEXCERPT_SIZE];
	const char *s;
	int rc, e;

	if ((rc = dmasim__ymap(y, pn, "policy", keys, v)) ||
	    (rc = dmasim__yrequire(y, pn, v[K_BASE], "policy", "base")) ||
	    (rc = dmasim__ystr(y, v[K_BASE], "base", &s)))
		return rc;
	base = dmasim_policy_builtin(s);
	if (!base)
		return dmasim__yerr(y, v[K_BASE], DMASIM_ESCHEMA,
			    "'%s' is not a built-in policy; expected one of: seed-2018, linux-4.20, linux-5.15, linux-6.12",
			    dmasim__yexcerpt(ex, s));
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
	if (v[K_WL] && (rc = load_whitelist(y, v[K_WL], &p)))
		return rc;
	if (v[K_CPU] && (rc = load_cpu_rules(y, v[K_CPU], &p)))
		return rc;
	if (v[K_ACS] && (rc = load_acs_bits(y, v[K_ACS], &p.acs_redirect_bits)))
		return rc;
	if (v[K_RAM]) {
		bool refuses;
		if ((rc = dmasim__ybool(y, v[K_RAM], "map_resource_refuses_ram", &refuses)))
			return rc;
		p.map_resource_ram = refuses ? DMASIM_RAM_REFUSED : DMASIM_RAM_ALLOWED;
	}
	if (v[K_ROOTDEV]) {
		if ((rc = dmasim__yenum(y, v[K_ROOTDEV], "root_device",
				dmasim__root_dev_rule_names, 3, &e)))
			return rc;
		p.root_dev = (enum dmasim_root_dev_rule)e;
	}
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
		FILE *f = fopen(name_or_path, "rb");
		if (!f)
			return dmasim_error_set(err, DMASIM_ENOTFOUND, NULL, 0, 0,
				"unknown policy '%s'; expected a policy file or one of: seed-2018, linux-4.20, linux-5.15, linux-6.12",
				name_or_path);
		fclose(f);
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
