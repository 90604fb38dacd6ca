/*
 * dmasim -- the topology loader: YAML (SCHEMA.md, "Topology") to model.
 * Shape and values are checked here, node by node, with the position of
 * the offending node; the cross-cutting rules (buses, windows, overlaps)
 * are checked by dmasim__topo_finalize() with the positions kept here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/load.h"
#include "load/topo_load.h"
#include "load/ynode.h"
#include "model/names.h"
#include "model/topo_int.h"

#define GIB4 0x100000000ull

/* Default MSI doorbell region per architecture (CPU physical). */
static const struct dmasim_range arch_msi[DMASIM_ARCH_COUNT] = {
	[DMASIM_ARCH_X86_64] = { 0xfee00000, 1 << 20 },  /* IOAPIC_RANGE / MSI_RANGE */
	[DMASIM_ARCH_ARM64] = { 0x08000000, 1 << 20 },   /* SMMU software MSI window */
	[DMASIM_ARCH_PPC64] = { 0xffff0000, 1 << 16 },   /* PHB 32-bit MSI window */
	[DMASIM_ARCH_RISCV64] = { 0x28000000, 1 << 20 }, /* IMSIC (qemu virt layout) */
};

struct loader {
	struct ydoc *y;
	struct dmasim_topo *t;
};

static int nomem(struct loader *l)
{
	return dmasim_error_set(l->y->err, DMASIM_ENOMEM, l->y->file, 0, 0,
				"out of memory");
}

static int acs_bits(struct loader *l, yaml_node_t *n, const char *what,
		    uint16_t *out)
{
	unsigned bits = 0;
	size_t i;
	int rc, b;

	if ((rc = yseq(l->y, n, what)))
		return rc;
	for (i = 0; i < yseq_len(n); i++) {
		yaml_node_t *item = yseq_at(l->y, n, i);
		if ((rc = yenum(l->y, item, "ACS bit", dmasim__acs_bit_names, 7, &b)))
			return rc;
		if (bits & (1u << b))
			return yerr(l->y, item, DMASIM_ESCHEMA,
				    "ACS bit '%s' is listed twice in %s",
				    dmasim__acs_bit_names[b], what);
		bits |= 1u << b;
	}
	*out = (uint16_t)bits;
	return DMASIM_OK;
}

static int load_acs(struct loader *l, yaml_node_t *n, struct dmasim_device *d)
{
	static const char *const keys[] = { "cap", "ctrl", "egress", NULL };
	yaml_node_t *v[3];
	uint64_t egress;
	char names[64];
	int rc;

	if ((rc = ymap(l->y, n, "acs", keys, v)))
		return rc;
	d->has_acs = true;
	if (v[1] && (rc = acs_bits(l, v[1], "acs ctrl", &d->acs_ctrl)))
		return rc;
	if (v[0]) {
		if ((rc = acs_bits(l, v[0], "acs cap", &d->acs_cap)))
			return rc;
	} else {
		d->acs_cap = d->acs_ctrl;
	}
	if (d->acs_ctrl & ~d->acs_cap) {
		dmasim_acs_snprintf(names, sizeof(names), d->acs_ctrl & ~d->acs_cap);
		return yerr(l->y, v[1], DMASIM_ESCHEMA,
			    "ACS control enables %s, which the ACS capability does not list",
			    names);
	}
	if (v[2]) {
		if ((rc = yu64_max(l->y, v[2], "acs egress vector", UINT32_MAX, &egress)))
			return rc;
		d->acs_egress = (uint32_t)egress;
		d->has_acs_egress = true;
	}
	return DMASIM_OK;
}

static int load_window(struct loader *l, yaml_node_t *n, int kind,
		       struct dmasim_window *w)
{
	uint64_t base, limit;
	int rc;

	if ((rc = yseq(l->y, n, "a bridge window")))
		return rc;
	if (yseq_len(n) != 2)
		return yerr(l->y, n, DMASIM_ESCHEMA,
			    "a bridge window is [base, limit]; found %zu values",
			    yseq_len(n));
	if ((rc = yu64(l->y, yseq_at(l->y, n, 0), "window base", &base)) ||
	    (rc = yu64(l->y, yseq_at(l->y, n, 1), "window limit", &limit)))
		return rc;
	if (limit < base)
		return yerr(l->y, n, DMASIM_ESCHEMA,
			    "window limit 0x%llx is below its base 0x%llx",
			    (unsigned long long)limit, (unsigned long long)base);
	if ((base & 0xfffff) || (limit & 0xfffff) != 0xfffff)
		return yerr(l->y, n, DMASIM_ESCHEMA,
			    "bridge windows are 1 MiB granular: base 0x%llx must end in 00000 and limit 0x%llx in fffff",
			    (unsigned long long)base, (unsigned long long)limit);
	if (kind == DMASIM_WIN_MEM && limit >= GIB4)
		return yerr(l->y, n, DMASIM_ESCHEMA,
			    "the non-prefetchable window [0x%llx-0x%llx] reaches above 4 GiB; it is 32-bit (Memory Base/Limit)",
			    (unsigned long long)base, (unsigned long long)limit);
	w->present = true;
	w->derived = false;
	w->base = base;
	w->limit = limit;
	w->pos = ypos(n);
	return DMASIM_OK;
}

static int load_windows(struct loader *l, yaml_node_t *n, struct dmasim_device *d)
{
	static const char *const keys[] = { "mem", "mem-pref", NULL };
	yaml_node_t *v[2];
	int rc, k;

	if ((rc = ymap(l->y, n, "windows", keys, v)))
		return rc;
	for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++)
		if (v[k] && (rc = load_window(l, v[k], k, &d->windows[k])))
			return rc;
	return DMASIM_OK;
}

static int load_bar(struct loader *l, yaml_node_t *n, size_t first, size_t self)
{
	static const char *const keys[] = { "index", "base", "size", "pref",
					    "bits", NULL };
	struct dmasim_bar *bar;
	yaml_node_t *v[5];
	uint64_t idx, bits = 0;
	size_t i;
	int rc;

	if ((rc = ymap(l->y, n, "BAR", keys, v)) ||
	    (rc = yrequire(l->y, n, v[0], "a BAR", "index")) ||
	    (rc = yrequire(l->y, n, v[1], "a BAR", "base")) ||
	    (rc = yrequire(l->y, n, v[2], "a BAR", "size")) ||
	    (rc = yu64_max(l->y, v[0], "BAR index", 5, &idx)))
		return rc;
	bar = DMASIM__PUSH(l->t, bars, nbars, cap_bars);
	if (!bar)
		return nomem(l);
	bar->index = (unsigned)idx;
	bar->pos = ypos(n);
	if ((rc = yu64(l->y, v[1], "BAR base", &bar->cpu)) ||
	    (rc = yu64(l->y, v[2], "BAR size", &bar->size)) ||
	    (v[3] && (rc = ybool(l->y, v[3], "pref", &bar->pref))) ||
	    (v[4] && (rc = yu64(l->y, v[4], "BAR bits", &bits))))
		return rc;
	if (bar->size == 0)
		return yerr(l->y, v[2], DMASIM_ESCHEMA, "BAR %u has size 0", bar->index);
	if (bar->cpu + (bar->size - 1) < bar->cpu)
		return yerr(l->y, n, DMASIM_ESCHEMA,
			    "BAR %u [base 0x%llx, size 0x%llx] wraps past the end of the 64-bit address space",
			    bar->index, (unsigned long long)bar->cpu,
			    (unsigned long long)bar->size);
	if (v[4] && bits != 32 && bits != 64)
		return yerr(l->y, v[4], DMASIM_ESCHEMA, "BAR bits must be 32 or 64, not %llu",
			    (unsigned long long)bits);
	if (!v[4])
		bits = bar->cpu + (bar->size - 1) >= GIB4 ? 64 : 32;
	bar->bits = (unsigned)bits;
	if (bits == 32 && bar->cpu + (bar->size - 1) >= GIB4)
		return yerr(l->y, n, DMASIM_ESCHEMA,
			    "BAR %u is 32-bit but reaches above 4 GiB (0x%llx)",
			    bar->index,
			    (unsigned long long)(bar->cpu + bar->size - 1));
	if (bits == 64 && bar->index == 5)
		return yerr(l->y, n, DMASIM_ESCHEMA,
			    "BAR 5 cannot be 64-bit: a 64-bit BAR takes two slots");
	for (i = first; i < self; i++) {
		const struct dmasim_bar *o = &l->t->bars[i];
		if (o->index == bar->index ||
		    (o->bits == 64 && o->index + 1 == bar->index) ||
		    (bits == 64 && bar->index + 1 == o->index))
			return yerr(l->y, n, DMASIM_ESCHEMA,
				    "BAR %u uses a slot already taken by BAR %u (line %u)",
				    bar->index, o->index, o->pos.line);
	}
	return DMASIM_OK;
}

static int load_device(struct loader *l, yaml_node_t *n, size_t hb,
		       size_t parent, unsigned depth);

static int load_device_list(struct loader *l, yaml_node_t *n, size_t hb,
			    size_t parent, unsigned depth)
{
	size_t i;
	int rc;

	if ((rc = yseq(l->y, n, parent == DMASIM__NONE ? "devices" : "children")))
		return rc;
	if (depth > DMASIM_MAX_DEPTH)
		return yerr(l->y, n, DMASIM_ETOPO,
			    "devices nested %u levels deep; dmasim supports at most %u",
			    depth, DMASIM_MAX_DEPTH);
	for (i = 0; i < yseq_len(n); i++)
		if ((rc = load_device(l, yseq_at(l->y, n, i), hb, parent, depth)))
			return rc;
	return DMASIM_OK;
}

enum {
	K_BDF, K_TYPE, K_NAME, K_VENDOR, K_DEVICE, K_ACS, K_WINDOWS, K_CHILDREN,
	K_DMA_MASK, K_BUS_DMA_LIMIT, K_IOMMU_DOMAIN, K_P2PMEM, K_BARS,
	K_SECONDARY, K_SUBORDINATE, K_NKEYS
};

/* Append a device and its side record; returns its index or DMASIM__NONE. */
static size_t new_device(struct dmasim_topo *t)
{
	if (dmasim__grow((void **)&t->devs, &t->cap_devs, t->ndevs, sizeof(*t->devs)) ||
	    dmasim__grow((void **)&t->devx, &t->cap_devx, t->ndevs, sizeof(*t->devx)))
		return DMASIM__NONE;
	return t->ndevs++;
}

static int load_device(struct loader *l, yaml_node_t *n, size_t hb,
		       size_t parent, unsigned depth)
{
	static const char *const keys[] = {
		"bdf", "type", "name", "vendor", "device", "acs", "windows",
		"children", "dma_mask", "bus_dma_limit", "iommu_domain",
		"p2pmem", "bars", "secondary", "subordinate", NULL
	};
	struct dmasim_topo *t = l->t;
	struct dmasim_device *d;
	struct dmasim__devx *x;
	yaml_node_t *v[K_NKEYS];
	const char *s;
	uint64_t u;
	size_t self, i;
	int rc, type, dom;
	bool bridge;

	if ((rc = ymap(l->y, n, "device", keys, v)) ||
	    (rc = yrequire(l->y, n, v[K_BDF], "a device", "bdf")) ||
	    (rc = yrequire(l->y, n, v[K_TYPE], "a device", "type")) ||
	    (rc = yenum(l->y, v[K_TYPE], "device type", dmasim__dev_type_names,
			DMASIM_DEV_TYPE_COUNT, &type)))
		return rc;
	self = new_device(t);
	if (self == DMASIM__NONE)
		return nomem(l);
	d = &t->devs[self];
	x = &t->devx[self];
	memset(d, 0, sizeof(*d));
	memset(x, 0, sizeof(*x));
	x->parent = parent;
	x->hb = hb;
	d->type = (enum dmasim_dev_type)type;
	d->pos = ypos(n);
	d->dma_mask_bits = 64;
	bridge = d->type != DMASIM_DEV_ENDPOINT;

	if ((rc = ystr(l->y, v[K_BDF], "bdf", &s)))
		return rc;
	if (dmasim_parse_bdf(s, &d->segment, &d->bus, &d->devfn) != DMASIM_OK)
		return yerr(l->y, v[K_BDF], DMASIM_ESCHEMA,
			    "'%s' is not a BDF; expected BB:DD.F or SSSS:BB:DD.F (hex, device <= 1f, function <= 7)",
			    s);
	x->bdf_has_segment = strlen(s) == 12;
	if (!x->bdf_has_segment)
		d->segment = t->hbs[hb].segment;
	snprintf(d->bdf, sizeof(d->bdf), "%04x:%02x:%02x.%x", d->segment, d->bus,
		 d->devfn >> 3, d->devfn & 7);
	if (v[K_NAME]) {
		if ((rc = ystr(l->y, v[K_NAME], "name", &s)))
			return rc;
	} else {
		s = d->bdf;
	}
	if (!(d->name = dmasim__topo_strdup(t, s)))
		return nomem(l);
	if (v[K_VENDOR] && (rc = yu64_max(l->y, v[K_VENDOR], "vendor", 0xffff, &u)))
		return rc;
	d->vendor = v[K_VENDOR] ? (uint16_t)u : 0xffff;
	if (v[K_DEVICE] && (rc = yu64_max(l->y, v[K_DEVICE], "device", 0xffff, &u)))
		return rc;
	d->device_id = v[K_DEVICE] ? (uint16_t)u : 0xffff;
	if (v[K_ACS] && (rc = load_acs(l, v[K_ACS], d)))
		return rc;
	if (v[K_DMA_MASK]) {
		if ((rc = yu64_max(l->y, v[K_DMA_MASK], "dma_mask (bits)", 64, &u)))
			return rc;
		if (u < 1)
			return yerr(l->y, v[K_DMA_MASK], DMASIM_ESCHEMA,
				    "dma_mask is a number of address bits, 1 to 64");
		d->dma_mask_bits = (unsigned)u;
	}
	if (v[K_BUS_DMA_LIMIT]) {
		if ((rc = yu64(l->y, v[K_BUS_DMA_LIMIT], "bus_dma_limit", &d->bus_dma_limit)))
			return rc;
		x->has_bus_dma_limit = true;
	}
	if (v[K_IOMMU_DOMAIN]) {
		if ((rc = yenum(l->y, v[K_IOMMU_DOMAIN], "iommu_domain",
				dmasim__domain_type_names, DMASIM_DOMAIN_COUNT, &dom)))
			return rc;
		if (dom == DMASIM_DOMAIN_NONE)
			return yerr(l->y, v[K_IOMMU_DOMAIN], DMASIM_ESCHEMA,
				    "iommu_domain is dma, identity or blocked; leave it out for none");
		d->domain = (enum dmasim_domain_type)dom;
		x->has_domain = true;
	}
	for (i = K_WINDOWS; i <= K_SUBORDINATE; i++) {
		if (!v[i] || bridge)
			continue;
		if (i == K_WINDOWS || i == K_CHILDREN || i == K_SECONDARY ||
		    i == K_SUBORDINATE)
			return yerr(l->y, v[i], DMASIM_ESCHEMA,
				    "%s is an endpoint and cannot have '%s'; only bridges do",
				    d->name, keys[i]);
	}
	if (v[K_WINDOWS] && (rc = load_windows(l, v[K_WINDOWS], d)))
		return rc;
	if (v[K_SECONDARY]) {
		if ((rc = yu64_max(l->y, v[K_SECONDARY], "secondary bus", 0xff, &u)))
			return rc;
		d->secondary = (uint8_t)u;
		x->has_secondary = true;
	}
	if (v[K_SUBORDINATE]) {
		if ((rc = yu64_max(l->y, v[K_SUBORDINATE], "subordinate bus", 0xff, &u)))
			return rc;
		d->subordinate = (uint8_t)u;
		x->has_subordinate = true;
	}
	x->bar_first = t->nbars;
	if (v[K_BARS]) {
		if ((rc = yseq(l->y, v[K_BARS], "bars")))
			return rc;
		for (i = 0; i < yseq_len(v[K_BARS]); i++)
			if ((rc = load_bar(l, yseq_at(l->y, v[K_BARS], i), x->bar_first,
					   t->nbars)))
				return rc;
	}
	x->nbars = t->nbars - x->bar_first;
	if (v[K_P2PMEM]) {
		if ((rc = yseq(l->y, v[K_P2PMEM], "p2pmem")))
			return rc;
		for (i = 0; i < yseq_len(v[K_P2PMEM]); i++) {
			yaml_node_t *item = yseq_at(l->y, v[K_P2PMEM], i);
			size_t b;

			if ((rc = yu64_max(l->y, item, "p2pmem BAR index", 5, &u)))
				return rc;
			for (b = x->bar_first; b < t->nbars; b++)
				if (t->bars[b].index == u)
					break;
			if (b == t->nbars)
				return yerr(l->y, item, DMASIM_ETOPO,
					    "p2pmem names BAR %llu, which %s does not have",
					    (unsigned long long)u, d->name);
			if (t->bars[b].p2pmem)
				return yerr(l->y, item, DMASIM_ESCHEMA,
					    "p2pmem lists BAR %llu twice", (unsigned long long)u);
			t->bars[b].p2pmem = true;
		}
	}
	if (v[K_CHILDREN])
		return load_device_list(l, v[K_CHILDREN], hb, self, depth + 1);
	return DMASIM_OK;
}

static int load_hb_window(struct loader *l, yaml_node_t *n)
{
	static const char *const keys[] = { "kind", "cpu", "bus", "size", NULL };
	struct dmasim_hb_window *w;
	yaml_node_t *v[4];
	int rc, kind;

	if ((rc = ymap(l->y, n, "host-bridge window", keys, v)) ||
	    (rc = yrequire(l->y, n, v[0], "a host-bridge window", "kind")) ||
	    (rc = yrequire(l->y, n, v[1], "a host-bridge window", "cpu")) ||
	    (rc = yrequire(l->y, n, v[3], "a host-bridge window", "size")) ||
	    (rc = yenum(l->y, v[0], "window kind", dmasim__win_kind_names,
			DMASIM_WIN_KIND_COUNT, &kind)))
		return rc;
	if (!(w = DMASIM__PUSH(l->t, hbwins, nhbwins, cap_hbwins)))
		return nomem(l);
	w->kind = (enum dmasim_win_kind)kind;
	w->pos = ypos(n);
	if ((rc = yu64(l->y, v[1], "window cpu address", &w->cpu)) ||
	    (rc = yu64(l->y, v[3], "window size", &w->size)))
		return rc;
	w->bus = w->cpu;
	if (v[2] && (rc = yu64(l->y, v[2], "window bus address", &w->bus)))
		return rc;
	if (w->size == 0)
		return yerr(l->y, v[3], DMASIM_ESCHEMA, "window size is 0");
	if (w->cpu + (w->size - 1) < w->cpu || w->bus + (w->size - 1) < w->bus)
		return yerr(l->y, n, DMASIM_ESCHEMA,
			    "window [cpu 0x%llx, bus 0x%llx, size 0x%llx] wraps past the end of the 64-bit address space",
			    (unsigned long long)w->cpu, (unsigned long long)w->bus,
			    (unsigned long long)w->size);
	return DMASIM_OK;
}

static int load_dma_range(struct loader *l, yaml_node_t *n)
{
	static const char *const keys[] = { "bus", "cpu", "size", NULL };
	struct dmasim_dma_range *r;
	yaml_node_t *v[3];
	int rc;

	if ((rc = ymap(l->y, n, "dma range", keys, v)) ||
	    (rc = yrequire(l->y, n, v[0], "a dma range", "bus")) ||
	    (rc = yrequire(l->y, n, v[1], "a dma range", "cpu")) ||
	    (rc = yrequire(l->y, n, v[2], "a dma range", "size")))
		return rc;
	if (!(r = DMASIM__PUSH(l->t, dranges, ndranges, cap_dranges)))
		return nomem(l);
	r->pos = ypos(n);
	if ((rc = yu64(l->y, v[0], "dma range bus address", &r->bus)) ||
	    (rc = yu64(l->y, v[1], "dma range cpu address", &r->cpu)) ||
	    (rc = yu64(l->y, v[2], "dma range size", &r->size)))
		return rc;
	if (r->size == 0)
		return yerr(l->y, v[2], DMASIM_ESCHEMA, "dma range size is 0");
	if (r->cpu + (r->size - 1) < r->cpu || r->bus + (r->size - 1) < r->bus)
		return yerr(l->y, n, DMASIM_ESCHEMA,
			    "dma range wraps past the end of the 64-bit address space");
	return DMASIM_OK;
}

static int check_dma_ranges(struct loader *l, size_t first, size_t n)
{
	size_t i, j;

	for (i = first; i < first + n; i++)
		for (j = first; j < i; j++) {
			const struct dmasim_dma_range *a = &l->t->dranges[j];
			const struct dmasim_dma_range *b = &l->t->dranges[i];
			if (b->bus <= a->bus + (a->size - 1) &&
			    a->bus <= b->bus + (b->size - 1))
				return dmasim_error_set(l->y->err, DMASIM_ETOPO, l->y->file,
					b->pos.line, b->pos.column,
					"dma range at bus 0x%llx overlaps the dma range at line %u",
					(unsigned long long)b->bus, a->pos.line);
		}
	return DMASIM_OK;
}

static int check_hb_windows_bus(struct loader *l, size_t first, size_t n)
{
	size_t i, j;

	for (i = first; i < first + n; i++)
		for (j = first; j < i; j++) {
			const struct dmasim_hb_window *a = &l->t->hbwins[j];
			const struct dmasim_hb_window *b = &l->t->hbwins[i];
			if (b->bus <= a->bus + (a->size - 1) &&
			    a->bus <= b->bus + (b->size - 1))
				return dmasim_error_set(l->y->err, DMASIM_ETOPO, l->y->file,
					b->pos.line, b->pos.column,
					"window at bus 0x%llx overlaps, in bus addresses, the window at line %u",
					(unsigned long long)b->bus, a->pos.line);
		}
	return DMASIM_OK;
}

static int load_host_bridge(struct loader *l, yaml_node_t *n)
{
	static const char *const keys[] = { "name", "segment", "buses", "iommu",
					    "root_complex", "windows",
					    "dma_ranges", "devices", NULL };
	static const char *const rckeys[] = { "p2p", NULL };
	struct dmasim_topo *t = l->t;
	struct dmasim_host_bridge *h;
	struct dmasim__hbx *hx;
	yaml_node_t *v[8], *rc_v[1];
	const char *s;
	uint64_t u, lo, hi;
	size_t self, i;
	int rc, p2p;

	if ((rc = ymap(l->y, n, "host bridge", keys, v)) ||
	    (rc = yrequire(l->y, n, v[0], "a host bridge", "name")))
		return rc;
	if (dmasim__grow((void **)&t->hbs, &t->cap_hbs, t->nhbs, sizeof(*t->hbs)) ||
	    dmasim__grow((void **)&t->hbx, &t->cap_hbx, t->nhbs, sizeof(*t->hbx)))
		return nomem(l);
	self = t->nhbs++;
	h = &t->hbs[self];
	hx = &t->hbx[self];
	memset(h, 0, sizeof(*h));
	memset(hx, 0, sizeof(*hx));
	hx->iommu = DMASIM__NONE;
	h->pos = ypos(n);
	h->bus_first = 0;
	h->bus_last = 0xff;
	h->rc_p2p = DMASIM_RC_P2P_NONE;
	if ((rc = ystr(l->y, v[0], "host bridge name", &s)))
		return rc;
	if (!(h->name = dmasim__topo_strdup(t, s)))
		return nomem(l);
	if (v[1]) {
		if ((rc = yu64_max(l->y, v[1], "segment", 0xffff, &u)))
			return rc;
		h->segment = (uint16_t)u;
	}
	if (v[2]) {
		if ((rc = yseq(l->y, v[2], "buses")))
			return rc;
		if (yseq_len(v[2]) != 2)
			return yerr(l->y, v[2], DMASIM_ESCHEMA,
				    "buses is [first, last]; found %zu values", yseq_len(v[2]));
		if ((rc = yu64_max(l->y, yseq_at(l->y, v[2], 0), "first bus", 0xff, &lo)) ||
		    (rc = yu64_max(l->y, yseq_at(l->y, v[2], 1), "last bus", 0xff, &hi)))
			return rc;
		if (hi < lo)
			return yerr(l->y, v[2], DMASIM_ESCHEMA,
				    "bus range [0x%02llx-0x%02llx] ends before it starts",
				    (unsigned long long)lo, (unsigned long long)hi);
		h->bus_first = (uint8_t)lo;
		h->bus_last = (uint8_t)hi;
	}
	if (v[3]) {
		if ((rc = ystr(l->y, v[3], "iommu", &s)))
			return rc;
		for (i = 0; i < t->niommus; i++)
			if (strcmp(t->iommus[i].name, s) == 0)
				break;
		if (i == t->niommus)
			return yerr(l->y, v[3], DMASIM_ETOPO,
				    "host bridge %s names iommu '%s', which is not in 'iommus'",
				    h->name, s);
		hx->iommu = i;
	}
	if (v[4]) {
		if ((rc = ymap(l->y, v[4], "root_complex", rckeys, rc_v)) ||
		    (rc = yrequire(l->y, v[4], rc_v[0], "root_complex", "p2p")) ||
		    (rc = yenum(l->y, rc_v[0], "root_complex p2p", dmasim__rc_p2p_names,
				DMASIM_RC_P2P_COUNT, &p2p)))
			return rc;
		h->rc_p2p = (enum dmasim_rc_p2p)p2p;
	}
	hx->win_first = t->nhbwins;
	if (v[5]) {
		if ((rc = yseq(l->y, v[5], "windows")))
			return rc;
		for (i = 0; i < yseq_len(v[5]); i++)
			if ((rc = load_hb_window(l, yseq_at(l->y, v[5], i))))
				return rc;
	}
	hx->nwin = t->nhbwins - hx->win_first;
	if ((rc = check_hb_windows_bus(l, hx->win_first, hx->nwin)))
		return rc;
	hx->dr_first = t->ndranges;
	if (v[6]) {
		if ((rc = yseq(l->y, v[6], "dma_ranges")))
			return rc;
		if (yseq_len(v[6]) == 0)
			return yerr(l->y, v[6], DMASIM_ESCHEMA,
				    "dma_ranges is empty: no DMA could reach memory; leave it out for identity over the whole space");
		for (i = 0; i < yseq_len(v[6]); i++)
			if ((rc = load_dma_range(l, yseq_at(l->y, v[6], i))))
				return rc;
		h->has_dma_ranges = true;
	}
	hx->ndr = t->ndranges - hx->dr_first;
	if ((rc = check_dma_ranges(l, hx->dr_first, hx->ndr)))
		return rc;
	if (v[7])
		return load_device_list(l, v[7], self, DMASIM__NONE, 0);
	return DMASIM_OK;
}

static int load_iommu(struct loader *l, yaml_node_t *n)
{
	static const char *const keys[] = { "name", "type", "address_bits",
					    "default_domain", "reserved", NULL };
	struct dmasim_topo *t = l->t;
	struct dmasim_iommu *m;
	yaml_node_t *v[5];
	const char *s;
	uint64_t u;
	size_t i;
	int rc, e;

	if ((rc = ymap(l->y, n, "iommu", keys, v)) ||
	    (rc = yrequire(l->y, n, v[0], "an iommu", "name")) ||
	    (rc = yrequire(l->y, n, v[1], "an iommu", "type")) ||
	    (rc = ystr(l->y, v[0], "iommu name", &s)))
		return rc;
	for (i = 0; i < t->niommus; i++)
		if (strcmp(t->iommus[i].name, s) == 0)
			return yerr(l->y, v[0], DMASIM_ETOPO,
				    "iommu name '%s' is already used at line %u", s,
				    t->iommus[i].pos.line);
	if (dmasim__grow((void **)&t->iommus, &t->cap_iommus, t->niommus, sizeof(*t->iommus)) ||
	    dmasim__grow((void **)&t->iommux, &t->cap_iommux, t->niommus, sizeof(*t->iommux)))
		return nomem(l);
	m = &t->iommus[t->niommus];
	memset(m, 0, sizeof(*m));
	t->iommux[t->niommus].resv_first = t->nresv;
	t->iommux[t->niommus].nresv = 0;
	t->niommus++;
	m->pos = ypos(n);
	m->address_bits = 48;
	m->default_domain = DMASIM_DOMAIN_DMA;
	if (!(m->name = dmasim__topo_strdup(t, s)))
		return nomem(l);
	if ((rc = yenum(l->y, v[1], "iommu type", dmasim__iommu_type_names,
			DMASIM_IOMMU_TYPE_COUNT, &e)))
		return rc;
	m->type = (enum dmasim_iommu_type)e;
	if (v[2]) {
		if ((rc = yu64_max(l->y, v[2], "address_bits", 64, &u)))
			return rc;
		if (u < 32)
			return yerr(l->y, v[2], DMASIM_ESCHEMA,
				    "address_bits must be 32 to 64, not %llu",
				    (unsigned long long)u);
		m->address_bits = (unsigned)u;
	}
	if (v[3]) {
		if ((rc = yenum(l->y, v[3], "default_domain", dmasim__domain_type_names,
				DMASIM_DOMAIN_COUNT, &e)))
			return rc;
		if (e == DMASIM_DOMAIN_NONE)
			return yerr(l->y, v[3], DMASIM_ESCHEMA,
				    "default_domain is dma, identity or blocked");
		m->default_domain = (enum dmasim_domain_type)e;
	}
	if (v[4]) {
		if ((rc = yseq(l->y, v[4], "reserved")))
			return rc;
		for (i = 0; i < yseq_len(v[4]); i++) {
			struct dmasim_range r, *slot;
			if ((rc = yrange(l->y, yseq_at(l->y, v[4], i), "a reserved range", &r)))
				return rc;
			if (!(slot = DMASIM__PUSH(t, resv, nresv, cap_resv)))
				return nomem(l);
			*slot = r;
			t->iommux[t->niommus - 1].nresv++;
		}
	}
	return DMASIM_OK;
}

static int load_cpu(struct loader *l, yaml_node_t *n)
{
	static const char *const keys[] = { "vendor", "family", NULL };
	yaml_node_t *v[2];
	uint64_t fam = 0;
	int rc, e;

	if ((rc = ymap(l->y, n, "cpu", keys, v)) ||
	    (rc = yrequire(l->y, n, v[0], "cpu", "vendor")) ||
	    (rc = yenum(l->y, v[0], "cpu vendor", dmasim__cpu_vendor_names,
			DMASIM_CPU_COUNT, &e)) ||
	    (v[1] && (rc = yu64_max(l->y, v[1], "cpu family", 0xffff, &fam))))
		return rc;
	l->t->m.has_cpu = true;
	l->t->m.cpu_vendor = (enum dmasim_cpu_vendor)e;
	l->t->m.cpu_family = (unsigned)fam;
	return DMASIM_OK;
}

int dmasim__topo_load_node(struct ydoc *y, yaml_node_t *root, const char *file,
			   struct dmasim_topo **out)
{
	static const char *const keys[] = { "dmasim", "name", "arch", "cpu", "ram",
					    "msi", "iommus", "host_bridges", NULL };
	struct loader l = { y, NULL };
	yaml_node_t *v[8];
	const char *s;
	uint64_t version;
	size_t i;
	int rc, arch;

	if ((rc = ymap(y, root, "the topology", keys, v)) ||
	    (rc = yrequire(y, root, v[0], "a topology", "dmasim")) ||
	    (rc = yu64(y, v[0], "dmasim (format version)", &version)))
		return rc;
	if (version != 1)
		return yerr(y, v[0], DMASIM_ESCHEMA,
			    "format version %llu is not supported; this dmasim reads version 1",
			    (unsigned long long)version);
	if ((rc = yrequire(y, root, v[2], "a topology", "arch")) ||
	    (rc = yrequire(y, root, v[7], "a topology", "host_bridges")) ||
	    (rc = yenum(y, v[2], "arch", dmasim__arch_names, DMASIM_ARCH_COUNT, &arch)))
		return rc;
	l.t = dmasim__topo_new(file);
	if (!l.t)
		return nomem(&l);
	l.t->m.arch = (enum dmasim_arch)arch;
	l.t->m.msi = arch_msi[arch];
	l.t->m.cpu_vendor = DMASIM_CPU_OTHER;
	if (v[1]) {
		if ((rc = ystr(y, v[1], "name", &s)))
			goto fail;
		if (!(l.t->m.name = dmasim__topo_strdup(l.t, s))) {
			rc = nomem(&l);
			goto fail;
		}
	}
	if (v[3] && (rc = load_cpu(&l, v[3])))
		goto fail;
	if (v[4]) {
		if ((rc = yseq(y, v[4], "ram")))
			goto fail;
		for (i = 0; i < yseq_len(v[4]); i++) {
			struct dmasim_range r, *slot;
			if ((rc = yrange(y, yseq_at(y, v[4], i), "a RAM range", &r)))
				goto fail;
			if (!(slot = DMASIM__PUSH(l.t, ram, nram, cap_ram))) {
				rc = nomem(&l);
				goto fail;
			}
			*slot = r;
		}
	}
	if (v[5] && (rc = yrange(y, v[5], "msi", &l.t->m.msi)))
		goto fail;
	l.t->msi_given = v[5] != NULL;
	if (v[6]) {
		if ((rc = yseq(y, v[6], "iommus")))
			goto fail;
		for (i = 0; i < yseq_len(v[6]); i++)
			if ((rc = load_iommu(&l, yseq_at(y, v[6], i))))
				goto fail;
	}
	if ((rc = yseq(y, v[7], "host_bridges")))
		goto fail;
	if (yseq_len(v[7]) == 0) {
		rc = yerr(y, v[7], DMASIM_ESCHEMA, "host_bridges is empty; a machine needs at least one");
		goto fail;
	}
	for (i = 0; i < yseq_len(v[7]); i++)
		if ((rc = load_host_bridge(&l, yseq_at(y, v[7], i))))
			goto fail;
	if ((rc = dmasim__topo_finalize(l.t, y->err)))
		goto fail;
	*out = l.t;
	return DMASIM_OK;
fail:
	dmasim_topo_destroy(l.t);
	return rc;
}

int dmasim_topo_load_string(const char *text, size_t len, const char *name,
			    struct dmasim_topo **out, struct dmasim_error *err)
{
	struct ydoc y;
	int rc;

	if (!text || !out)
		return dmasim_error_set(err, DMASIM_EINVAL, name, 0, 0,
					"no text or no output given");
	if (!name)
		name = "<string>";
	if ((rc = ydoc_load_string(&y, text, len, name, err)))
		return rc;
	rc = dmasim__topo_load_node(&y, ydoc_root(&y), name, out);
	ydoc_fini(&y);
	return rc;
}

int dmasim_topo_load_file(const char *path, struct dmasim_topo **out,
			  struct dmasim_error *err)
{
	struct ydoc y;
	int rc;

	if (!path || !out)
		return dmasim_error_set(err, DMASIM_EINVAL, path, 0, 0,
					"no path or no output given");
	if ((rc = ydoc_load_file(&y, path, err)))
		return rc;
	rc = dmasim__topo_load_node(&y, ydoc_root(&y), path, out);
	ydoc_fini(&y);
	return rc;
}
