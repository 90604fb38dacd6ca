/*
 * dmasim -- ACS control words as the kernel sets them at enumeration
 * (pci_enable_acs() in drivers/pci/pci.c), for devices whose topology says
 * `ctrl: auto` (docs/policy.md, "ACS as the kernel sets it").
 *
 *  - pci_acs_enable is set when an IOMMU called pci_request_acs() before
 *    enumeration (per IOMMU type, and the policy's acs_dt_request for a
 *    device-tree SMMU, or the topology's kernel.acs_requested);
 *  - then, unless a device-specific enable quirk handled the device
 *    (pci_dev_specific_enable_acs(), drivers/pci/quirks.c),
 *    pci_std_enable_acs() sets the capability's SV, RR, CR and UF, and TB
 *    for external-facing or untrusted devices or with pci=noats;
 *  - then the command line, even without an IOMMU: pci=disable_acs_redir=
 *    and, from v6.11, pci=config_acs= (policy acs_cmdline).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/policy.h"
#include "model/topo_int.h"

#define ACS_REDIR (DMASIM_ACS_RR | DMASIM_ACS_CR | DMASIM_ACS_EC)
#define ACS_VALID (DMASIM_ACS_SV | DMASIM_ACS_TB | DMASIM_ACS_RR | DMASIM_ACS_CR | \
		   DMASIM_ACS_UF | DMASIM_ACS_EC | DMASIM_ACS_DT)

/* The parts of the command line that set ACS (pci_setup()). */
struct acs_cmdline {
	char redir[512];    /* disable_acs_redir=, "" when absent */
	char config[512];   /* config_acs= (v6.11+) */
	bool has_redir, has_config, noats;
};

/* pci_quirk_intel_pch_acs_ids[] (drivers/pci/quirks.c, 6.1 and 6.12). */
static const uint16_t intel_pch_acs_ids[] = {
	0x3b42, 0x3b43, 0x3b44, 0x3b45, 0x3b46, 0x3b47, 0x3b48, 0x3b49,
	0x3b4a, 0x3b4b, 0x3b4c, 0x3b4d, 0x3b4e, 0x3b4f, 0x3b50, 0x3b51,
	0x1c10, 0x1c11, 0x1c12, 0x1c13, 0x1c14, 0x1c15, 0x1c16, 0x1c17,
	0x1c18, 0x1c19, 0x1c1a, 0x1c1b, 0x1c1c, 0x1c1d, 0x1c1e, 0x1c1f,
	0x1e10, 0x1e11, 0x1e12, 0x1e13, 0x1e14, 0x1e15, 0x1e16, 0x1e17,
	0x1e18, 0x1e19, 0x1e1a, 0x1e1b, 0x1e1c, 0x1e1d, 0x1e1e, 0x1e1f,
	0x8c10, 0x8c11, 0x8c12, 0x8c13, 0x8c14, 0x8c15, 0x8c16, 0x8c17,
	0x8c18, 0x8c19, 0x8c1a, 0x8c1b, 0x8c1c, 0x8c1d, 0x8c1e, 0x8c1f,
	0x9c10, 0x9c11, 0x9c12, 0x9c13, 0x9c14, 0x9c15, 0x9c16, 0x9c17,
	0x9c18, 0x9c19, 0x9c1a, 0x9c1b,
	0x9c90, 0x9c91, 0x9c92, 0x9c93, 0x9c94, 0x9c95, 0x9c96, 0x9c97,
	0x9c98, 0x9c99, 0x9c9a, 0x9c9b,
	0x1d10, 0x1d12, 0x1d14, 0x1d16, 0x1d18, 0x1d1a, 0x1d1c, 0x1d1e,
	0x8d10, 0x8d11, 0x8d12, 0x8d13, 0x8d14, 0x8d15, 0x8d16, 0x8d17,
	0x8d18, 0x8d19, 0x8d1a, 0x8d1b, 0x8d1c, 0x8d1d, 0x8d1e,
	0x8c90, 0x8c92, 0x8c94, 0x8c96, 0x8c98, 0x8c9a, 0x8c9c, 0x8c9e,
};

/* pci_quirk_intel_pch_acs_match(): an Intel PCH Root Port. */
static bool intel_pch_match(const struct dmasim_device *d)
{
	size_t i;

	if (d->vendor != 0x8086 || d->type != DMASIM_DEV_ROOT_PORT)
		return false;
	for (i = 0; i < sizeof(intel_pch_acs_ids) / sizeof(intel_pch_acs_ids[0]); i++)
		if (intel_pch_acs_ids[i] == d->device_id)
			return true;
	return false;
}

/* pci_quirk_intel_spt_pch_acs_match(): Sunrise Point, Union Point and
 * 7th/8th Gen mobile Root Ports, whose ACS control is a dword at cap+4;
 * the standard control word is left as firmware set it. */
static bool intel_spt_match(const struct dmasim_device *d)
{
	unsigned id = d->device_id;

	if (d->vendor != 0x8086 || d->type != DMASIM_DEV_ROOT_PORT)
		return false;
	return (id >= 0xa110 && id <= 0xa11f) || (id >= 0xa167 && id <= 0xa16a) ||
	       (id >= 0xa290 && id <= 0xa29f) || (id >= 0xa2e7 && id <= 0xa2ee) ||
	       (id >= 0x9d10 && id <= 0x9d1b);
}

static int cmdline_err(const struct dmasim_topo *t, struct dmasim_error *err,
		       const char *what, const char *text)
{
	return dmasim_error_set(err, DMASIM_ESCHEMA, t->file, 0, 0,
				"kernel cmdline: %s in '%s'", what, text);
}

/* pci_setup(): each "pci=" word is a comma-separated list of options;
 * a later option of the same name wins. */
static int parse_cmdline(const struct dmasim_topo *t, const struct dmasim_policy *p,
			 struct acs_cmdline *c, struct dmasim_error *err)
{
	const char *s = t->m.kernel_cmdline ? t->m.kernel_cmdline : "";

	memset(c, 0, sizeof(*c));
	while (*s) {
		size_t n = strcspn(s, " \t\n");
		const char *w = s;

		s += n;
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (n < 4 || strncmp(w, "pci=", 4) != 0)
			continue;
		w += 4;
		n -= 4;
		while (n) {
			size_t k = 0;
			char *dst = NULL;

			while (k < n && w[k] != ',')
				k++;
			if (k == 5 && strncmp(w, "noats", 5) == 0) {
				c->noats = true;
			} else if (k >= 18 && strncmp(w, "disable_acs_redir=", 18) == 0) {
				dst = c->redir;
				c->has_redir = true;
				w += 18;
				k -= 18;
				n -= 18;
			} else if (p->acs_cmdline == DMASIM_ACS_CMDLINE_CONFIG_ACS && k >= 11 &&
				   strncmp(w, "config_acs=", 11) == 0) {
				dst = c->config;
				c->has_config = true;
				w += 11;
				k -= 11;
				n -= 11;
			}
			if (dst) {
				if (k >= sizeof(c->redir))
					return cmdline_err(t, err, "an ACS device list longer than 511 characters", w);
				memcpy(dst, w, k);
				dst[k] = 0;
			}
			w += k;
			n -= k;
			if (n) {
				w++;
				n--;
			}
		}
	}
	return DMASIM_OK;
}

static bool hexnum(const char **p, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(*p, &end, 16);

	if (end == *p || v > 0xffff)
		return false;
	*out = (unsigned)v;
	*p = end;
	return true;
}

/* pci_dev_str_match() (drivers/pci/pci.c): 1 match, 0 no match, -1 a
 * string it cannot parse; *end after the entry. */
static int dev_str_match(const struct dmasim_device *d, const char *p, const char **end)
{
	unsigned v, dev, sv, sd, seg = 0, bus, slot, fn;
	const char *semi = strchr(p, ';');
	const char *stop = semi ? semi : p + strlen(p);
	char path[128], *slash;

	if (strncmp(p, "pci:", 4) == 0) {
		p += 4;
		if (!hexnum(&p, &v) || *p++ != ':' || !hexnum(&p, &dev))
			return -1;
		sv = sd = 0;
		if (*p == ':') {
			p++;
			if (!hexnum(&p, &sv) || *p++ != ':' || !hexnum(&p, &sd))
				return -1;
		}
		*end = p;
		if (sv || sd)
			return -2; /* subsystem IDs: not modelled */
		return (!v || v == d->vendor) && (!dev || dev == d->device_id);
	}
	*end = stop;
	if ((size_t)(stop - p) >= sizeof(path))
		return -1;
	memcpy(path, p, (size_t)(stop - p));
	path[stop - p] = 0;
	/* pci_dev_str_match_path(): "/DD.F" steps from the right, upward. */
	while ((slash = strrchr(path, '/'))) {
		char c;
		if (sscanf(slash, "/%x.%x%c", &slot, &fn, &c) != 2)
			return -1;
		if (!d || d->devfn != ((slot & 0x1f) << 3 | (fn & 7)))
			return 0;
		d = d->parent;
		if (!d)
			return 0;
		*slash = 0;
	}
	{
		char c;
		if (sscanf(path, "%x:%x:%x.%x%c", &seg, &bus, &slot, &fn, &c) != 4) {
			seg = 0;
			if (sscanf(path, "%x:%x.%x%c", &bus, &slot, &fn, &c) != 3)
				return -1;
		}
	}
	return seg == d->segment && bus == d->bus && d->devfn == ((slot & 0x1f) << 3 | (fn & 7));
}

/*
 * Walk a parameter's entries for @d, as pci_disable_acs_redir() (with
 * @flagged false) and __pci_config_acs() (with @flagged true: each entry
 * is "BITS@DEVICE", BITS from bit 0 at the right, 0/1/x) do: *hit, with
 * *mask and *flags of the matching entry.  Returns DMASIM_OK or an error.
 */
static int param_match(const struct dmasim_topo *t, const struct dmasim_device *d,
		       const char *param, bool flagged, unsigned *mask,
		       unsigned *flags, bool *hit, struct dmasim_error *err)
{
	const char *p = param;
	int ret = 0;

	*hit = false;
	while (*p) {
		if (flagged) {
			const char *at = strchr(p, '@'), *q;
			unsigned shift = 0;

			if (!at)
				return cmdline_err(t, err, "config_acs: ACS Flags missing (no '@')", param);
			*mask = *flags = 0;
			for (q = at; q-- > p; shift++) {
				if (shift >= 16)
					return cmdline_err(t, err, "config_acs: Invalid ACS flags", param);
				if (*q == '0') {
					*mask |= 1u << shift;
				} else if (*q == '1') {
					*mask |= 1u << shift;
					*flags |= 1u << shift;
				} else if (*q != 'x' && *q != 'X') {
					return cmdline_err(t, err, "config_acs: Invalid ACS flags (0, 1 or x)", param);
				}
			}
			if (*mask & ~ACS_VALID)
				return cmdline_err(t, err, "config_acs: Invalid ACS flags specified (bits above DT)", param);
			p = at + 1;
		}
		ret = dev_str_match(d, p, &p);
		if (ret == -2)
			return cmdline_err(t, err, "subsystem IDs are not modelled (pci:V:D:SV:SD)", param);
		if (ret < 0)
			return cmdline_err(t, err, "the kernel cannot parse the device list (pci_dev_str_match)", param);
		if (ret == 1) {
			*hit = true;
			return DMASIM_OK;
		}
		if (*p != ';' && *p != ',')
			break;
		p++;
	}
	return DMASIM_OK;
}

static bool untrusted(const struct dmasim_device *d)
{
	/* set_pcie_untrusted() (drivers/pci/probe.c): below an external-facing
	 * or untrusted bridge. */
	for (d = d->parent; d; d = d->parent)
		if (d->external_facing)
			return true;
	return false;
}

/* pci_enable_acs() of @p for one `ctrl: auto` device. */
static int derive_one(const struct dmasim_topo *t, const struct dmasim_policy *p,
		      struct dmasim_device *d, bool requested,
		      const struct acs_cmdline *c, struct dmasim_error *err)
{
	unsigned ctrl = d->acs_fw, cap = d->acs_cap, mask, flags;
	bool hit, quirk = intel_pch_match(d) || intel_spt_match(d);
	int rc;

	if (requested && !quirk) {
		ctrl |= cap & (DMASIM_ACS_SV | DMASIM_ACS_RR | DMASIM_ACS_CR | DMASIM_ACS_UF);
		if ((c->noats && p->acs_tb_noats) || d->external_facing || untrusted(d))
			ctrl |= cap & DMASIM_ACS_TB;
	}
	/* pci_dev_specific_disable_acs_redir(): the SPT quirk handles the
	 * command line in its own register. */
	if (c->has_redir && p->acs_cmdline != DMASIM_ACS_CMDLINE_NONE &&
	    !intel_spt_match(d)) {
		mask = ACS_REDIR;
		flags = ~ACS_REDIR & 0xffffu;
		if ((rc = param_match(t, d, c->redir, false, &mask, &flags, &hit, err)))
			return rc;
		if (hit)
			ctrl = p->acs_cmdline == DMASIM_ACS_CMDLINE_CONFIG_ACS
				? (d->acs_fw & ~mask) | (flags & mask) : ctrl & ~ACS_REDIR;
	}
	if (c->has_config && p->acs_cmdline == DMASIM_ACS_CMDLINE_CONFIG_ACS &&
	    !intel_spt_match(d)) {
		if ((rc = param_match(t, d, c->config, true, &mask, &flags, &hit, err)))
			return rc;
		if (hit)
			ctrl = (d->acs_fw & ~mask) | (flags & mask);
	}
	d->acs_ctrl = (uint16_t)(ctrl & cap);
	return DMASIM_OK;
}

static bool any_auto(const struct dmasim_topo *t)
{
	size_t i;

	for (i = 0; i < t->ndevs; i++)
		if (t->devs[i].acs_auto)
			return true;
	return false;
}

int dmasim__acs_derive(struct dmasim_topo *t, const struct dmasim_policy *p,
		       struct dmasim_error *err)
{
	struct acs_cmdline c;
	bool requested = false;
	size_t i;
	int rc;

	if (!any_auto(t))
		return DMASIM_OK;
	if (!p)
		p = dmasim_policy_default();
	if (t->m.acs_requested >= 0) {
		requested = t->m.acs_requested != 0;
	} else {
		/* VT-d (detect_intel_iommu(), drivers/iommu/intel/dmar.c) and
		 * AMD-Vi (drivers/iommu/amd/init.c) ask before enumeration; a
		 * device-tree SMMU as the policy's acs_dt_request says
		 * (of_iommu_configure(), drivers/iommu/of_iommu.c); powerpc's
		 * TCE code never asks. */
		for (i = 0; i < t->niommus; i++)
			if (t->iommus[i].type == DMASIM_IOMMU_INTEL_VTD ||
			    t->iommus[i].type == DMASIM_IOMMU_AMD_VI ||
			    (t->iommus[i].type == DMASIM_IOMMU_SMMUV3 &&
			     p->acs_dt_request == DMASIM_ACS_DT_BEFORE_ENUMERATION))
				requested = true;
	}
	if ((rc = parse_cmdline(t, p, &c, err)))
		return rc;
	for (i = 0; i < t->ndevs; i++)
		if (t->devs[i].acs_auto &&
		    (rc = derive_one(t, p, &t->devs[i], requested, &c, err)))
			return rc;
	return DMASIM_OK;
}

int dmasim_topo_apply_policy(struct dmasim_topo *t, const struct dmasim_policy *p,
			     struct dmasim_error *err)
{
	int rc;

	if (!any_auto(t))
		return DMASIM_OK;
	if ((rc = dmasim__acs_derive(t, p, err)))
		return rc;
	dmasim__topo_assign_groups(t);
	dmasim__lca_index_destroy(t->lca);
	t->lca = NULL;
	return dmasim__lca_index_build(t, err);
}
