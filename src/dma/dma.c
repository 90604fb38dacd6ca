/*
 * dmasim -- dma_map_resource() and the page mapping as each policy's
 * kernel dispatches them (kernel/dma/mapping.c, kernel/dma/direct.c,
 * drivers/iommu/dma-iommu.c), with one IOVA allocator per IOMMU group, and
 * the verification of every mapping through the fabric.
 *
 * Behaviour restated from kernel/dma/mapping.c, kernel/dma/direct.c and
 * drivers/iommu/dma-iommu.c;
 * the per-version differences are fields of the policy row and the
 * per-architecture / per-driver ones rows of arch.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dma/dma_int.h"

/* ---- names ----------------------------------------------------------- */

static const char *const dir_names[DMASIM_DMA_DIR_COUNT] = {
	"bidirectional", "to_device", "from_device",
};
static const char *const path_names[DMASIM_DMA_PATH_COUNT] = {
	"direct", "iommu", "no-op-phys", "p2p-bus-addr", "refused",
};
static const char *const reason_names[DMASIM_DMA_REASON_COUNT] = {
	"none", "ram-refused", "ram-bug", "no-map-resource", "overflow",
	"no-dma-range", "iova-exhausted", "iommu-map-failed",
	"blocked-domain", "p2p-not-supported",
};
_Static_assert(sizeof(dir_names) / sizeof(dir_names[0]) == DMASIM_DMA_DIR_COUNT &&
	       sizeof(path_names) / sizeof(path_names[0]) == DMASIM_DMA_PATH_COUNT &&
	       sizeof(reason_names) / sizeof(reason_names[0]) == DMASIM_DMA_REASON_COUNT,
	       "a name table does not match its enum");
static const char *const verdict_names[DMASIM_DMA_VERDICT_COUNT] = {
	"ok", "invalid-address", "refused",
};

const char *dmasim_dma_dir_name(enum dmasim_dma_dir d)
{
	return (unsigned)d < DMASIM_DMA_DIR_COUNT ? dir_names[d] : "?";
}

enum dmasim_dma_dir dmasim_dma_dir_parse(const char *name)
{
	unsigned i;

	for (i = 0; name && i < DMASIM_DMA_DIR_COUNT; i++)
		if (strcmp(name, dir_names[i]) == 0)
			return (enum dmasim_dma_dir)i;
	return DMASIM_DMA_DIR_COUNT;
}

const char *dmasim_dma_path_name(enum dmasim_dma_path p)
{
	return (unsigned)p < DMASIM_DMA_PATH_COUNT ? path_names[p] : "?";
}

const char *dmasim_dma_reason_name(enum dmasim_dma_reason r)
{
	return (unsigned)r < DMASIM_DMA_REASON_COUNT ? reason_names[r] : "?";
}

const char *dmasim_dma_verdict_name(enum dmasim_dma_verdict v)
{
	return (unsigned)v < DMASIM_DMA_VERDICT_COUNT ? verdict_names[v] : "?";
}

/* ---- helpers --------------------------------------------------------- */

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

static uint64_t min_not_zero(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

static unsigned fls64_(uint64_t x)
{
	return x ? 64u - (unsigned)__builtin_clzll(x) : 0u;
}

/* *dev->dma_mask as DMA_BIT_MASK(dma_mask_bits). */
static uint64_t dev_mask(const struct dmasim_device *d)
{
	if (d->dma_mask_bits >= 64)
		return ~(uint64_t)0;
	return ((uint64_t)1 << d->dma_mask_bits) - 1;
}

static uint64_t width_mask(unsigned bits)
{
	return bits >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << bits) - 1;
}

/* pfn_valid(PHYS_PFN(phys)): the page holding @phys is RAM. */
static bool phys_is_ram(const struct dmasim_machine *m, dmasim_phys_addr_t phys)
{
	uint64_t page = phys & ~(uint64_t)(DMASIM__DMA_GRANULE - 1);
	size_t i;

	for (i = 0; i < m->nram; i++)
		if (page >= m->ram[i].base && page - m->ram[i].base < m->ram[i].size)
			return true;
	return false;
}

/* dma_capable(dev, addr, size, false) (include/linux/dma-direct.h) */
static bool dma_capable(const struct dmasim_device *d, dmasim_dma_addr_t addr,
			uint64_t size)
{
	uint64_t end = addr + size - 1;

	if (addr == DMASIM_DMA_MAPPING_ERROR)
		return false;
	return end <= min_not_zero(dev_mask(d), d->bus_dma_limit);
}

/* dma_direct_get_required_mask(): the mask that covers the top of RAM. */
static uint64_t required_mask(const struct dmasim_machine *m)
{
	uint64_t top = 0;
	size_t i;

	for (i = 0; i < m->nram; i++) {
		uint64_t last = m->ram[i].base + m->ram[i].size - 1;
		if (last > top)
			top = last;
	}
	top &= ~(uint64_t)(DMASIM__DMA_GRANULE - 1);
	if (!top)
		return 0;
	return width_mask(fls64_(top));
}

static bool owns(const struct dmasim_machine *m, const struct dmasim_device *d)
{
	return d && d->id < m->ndevices && &m->devices[d->id] == d;
}

static void log_overflow(struct dmasim_dma_result *r,
			 const struct dmasim_device *d, dmasim_dma_addr_t addr)
{
	/* dev_err_once() / dev_WARN_ONCE(): %pad is 0x + 16 hex digits. */
	dmasim_log_printf(&r->log,
			  "pci %s: DMA addr 0x%016llx+%llu overflow (mask %llx, bus limit %llx).",
			  d->bdf, ull(addr), ull(r->size), ull(dev_mask(d)),
			  ull(d->bus_dma_limit));
}

void dmasim__dma_result_init(struct dmasim_dma_result *r,
			     const struct dmasim_device *dev,
			     dmasim_phys_addr_t phys, uint64_t size,
			     enum dmasim_dma_dir dir)
{
	/* Field by field rather than one memset: the result holds a route
	 * and a log buffer (~11 KiB) and is reset on every mapping. */
	r->dev = dev;
	r->phys = phys;
	r->size = size;
	r->dir = dir;
	r->path = DMASIM_DMA_PATH_REFUSED;
	r->op = "";
	r->dma_addr = DMASIM_DMA_MAPPING_ERROR;
	r->iommu_group = DMASIM_NO_GROUP;
	r->map_type = DMASIM_MAP_TYPE_COUNT;
	r->p2p_dist = -1;
	r->verdict = DMASIM_DMA_VERDICT_REFUSED;
	r->write = dir != DMASIM_DMA_TO_DEVICE;
	memset(&r->target, 0, sizeof(r->target));
	r->target.kind = DMASIM_LAND_FAULT;
	r->mapping_error = false;
	r->reason = DMASIM_DMA_REASON_NONE;
	r->why[0] = '\0';
	r->log.text[0] = '\0';
	r->log.len = 0;
	r->log.nlines = 0;
	r->log.truncated = false;
	r->iova = 0;
	r->iova_len = r->iova_alloc_len = 0;
	r->prot = 0;
	r->p2p = false;
	r->provider = NULL;
	r->bar = NULL;
	r->bus_offset = 0;
	r->routed = false;
	memset(&r->route.land, 0, sizeof(r->route.land));
	r->route.land.kind = DMASIM_LAND_FAULT;
	r->route.nhops = 0;
	r->route.why[0] = '\0';
	r->fault = DMASIM_FAULT_NONE;
}

void dmasim__dma_refuse(struct dmasim_dma_result *r, enum dmasim_dma_reason why,
			enum dmasim_fault fault, const char *op,
			const char *fmt, ...)
{
	va_list ap;

	r->path = DMASIM_DMA_PATH_REFUSED;
	r->dma_addr = DMASIM_DMA_MAPPING_ERROR;
	r->mapping_error = true;
	r->reason = why;
	r->fault = fault;
	r->verdict = DMASIM_DMA_VERDICT_REFUSED;
	r->op = op;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 5, 6)))
static void succeed(struct dmasim_dma_result *r, enum dmasim_dma_path path,
		    dmasim_dma_addr_t dma, const char *op, const char *fmt, ...)
{
	va_list ap;

	r->path = path;
	r->dma_addr = dma;
	r->mapping_error = false;
	r->reason = DMASIM_DMA_REASON_NONE;
	r->op = op;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

/* ---- context --------------------------------------------------------- */

int dmasim_dma_ctx_create(const struct dmasim_topo *topo,
			  const struct dmasim_policy *policy,
			  struct dmasim_dma_ctx **out, struct dmasim_error *err)
{
	struct dmasim_dma_ctx *c;

	if (!topo || !out)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"dmasim_dma_ctx_create needs a topology");
	if (!policy)
		policy = dmasim_policy_default();
	c = calloc(1, sizeof(*c));
	if (!c)
		goto nomem;
	c->topo = topo;
	c->m = dmasim_topo_machine(topo);
	c->policy = *policy;
	c->pt = dmasim_iommu_pt_create(topo);
	c->ngroups = c->m->niommu_groups;
	c->groups = calloc(c->ngroups ? c->ngroups : 1, sizeof(*c->groups));
	c->pci32 = malloc((c->m->ndevices ? c->m->ndevices : 1) * sizeof(bool));
	if (!c->pt || !c->groups || !c->pci32) {
		dmasim_dma_ctx_destroy(c);
		goto nomem;
	}
	/* iommu_setup_dma_ops(): pci_32bit_workaround = dev_is_pci(dev) &&
	 * !iommu_dma_forcedac; every modelled device is PCI. */
	memset(c->pci32, 1, (c->m->ndevices ? c->m->ndevices : 1) * sizeof(bool));
	*out = c;
	return DMASIM_OK;
nomem:
	return dmasim_error_set(err, DMASIM_ENOMEM, NULL, 0, 0,
				"out of memory creating the DMA context");
}

void dmasim_dma_ctx_destroy(struct dmasim_dma_ctx *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; c->groups && i < c->ngroups; i++)
		if (c->groups[i].inited)
			dmasim__iovad_fini(&c->groups[i].iovad);
	free(c->groups);
	free(c->pci32);
	free(c->maps);
	dmasim_iommu_pt_destroy(c->pt);
	free(c);
}

const struct dmasim_iommu_pt *dmasim_dma_ctx_pt(const struct dmasim_dma_ctx *c)
{
	return c ? c->pt : NULL;
}

const struct dmasim_policy *dmasim_dma_ctx_policy(const struct dmasim_dma_ctx *c)
{
	return c ? &c->policy : NULL;
}

const struct dmasim_topo *dmasim_dma_ctx_topo(const struct dmasim_dma_ctx *c)
{
	return c ? c->topo : NULL;
}

size_t dmasim_dma_ctx_nmappings(const struct dmasim_dma_ctx *c)
{
	return c ? c->nmaps : 0;
}

/* ---- IOMMU domain setup (iommu_dma_init_domain) ----------------------- */

static int cmp_dma_range(const void *a, const void *b)
{
	const struct dmasim_dma_range *x = *(const struct dmasim_dma_range *const *)a;
	const struct dmasim_dma_range *y = *(const struct dmasim_dma_range *const *)b;

	return x->bus < y->bus ? -1 : x->bus > y->bus;
}

static void reserve_bytes(struct dmasim__iovad *d, uint64_t first, uint64_t last)
{
	(void)dmasim__iova_reserve(d, first >> DMASIM__DMA_SHIFT,
				   last >> DMASIM__DMA_SHIFT);
}

/* One gap [start, end] around the dma_ranges; end < start means two
 * ranges overlap ("DMA ranges should be non-overlapping"). */
static int reserve_gap(struct dmasim__dma_group *g, const struct dmasim_device *dev,
		       struct dmasim_dma_result *r, uint64_t start, uint64_t end)
{
	if (end > start) {
		reserve_bytes(&g->iovad, start, end);
	} else if (end < start) {
		dmasim_log_printf(&r->log,
				  "pci %s: Failed to reserve IOVA [0x%016llx-0x%016llx]",
				  dev->bdf, ull(start), ull(end));
		return -1;
	}
	return 0;
}

/* iova_reserve_pci_windows(): every MEM window's bus range, then every
 * gap around the host bridge's dma_ranges sorted by start (the kernel
 * reserves each gap up to and including the next range's first page). */
static int reserve_pci_windows(struct dmasim__dma_group *g,
			       const struct dmasim_device *dev,
			       struct dmasim_dma_result *r)
{
	const struct dmasim_host_bridge *h = dev->hb;
	const struct dmasim_dma_range **sorted;
	uint64_t start = 0, end;
	size_t i, n;
	int rc = 0;

	for (i = 0; i < h->nwindows; i++)
		reserve_bytes(&g->iovad, h->windows[i].bus,
			      h->windows[i].bus + h->windows[i].size - 1);
	if (!h->has_dma_ranges)
		return 0;
	n = h->ndma_ranges;
	if (!n)
		return 0;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted) {
		g->iovad.oom = true;
		return 0;
	}
	for (i = 0; i < n; i++)
		sorted[i] = &h->dma_ranges[i];
	qsort(sorted, n, sizeof(sorted[0]), cmp_dma_range);
	for (i = 0; i < n && !rc; i++) {
		end = sorted[i]->bus;
		if (reserve_gap(g, dev, r, start, end))
			rc = -1;
		start = sorted[i]->bus + sorted[i]->size; /* last + 1 */
		/* after the last range: up to the end of the space */
		if (!rc && i + 1 == n && end != ~(uint64_t)0 &&
		    reserve_gap(g, dev, r, start, ~(uint64_t)0))
			rc = -1;
	}
	free(sorted);
	return rc;
}

/* iova_reserve_iommu_regions(): PCI windows, then the driver's reserved
 * regions except IOMMU_RESV_SW_MSI, then the topology's extra holes. */
static int reserve_regions(struct dmasim_dma_ctx *c, struct dmasim__dma_group *g,
			   const struct dmasim_device *dev,
			   struct dmasim_dma_result *r)
{
	const struct dmasim_iommu *u = dev->hb->iommu;
	const struct dmasim__dma_iommu_info *I = dmasim__dma_iommu_info(u->type);
	size_t i;

	if (reserve_pci_windows(g, dev, r))
		return -1;
	if (I->msi_reserved && c->m->msi.size)
		reserve_bytes(&g->iovad, c->m->msi.base,
			      c->m->msi.base + c->m->msi.size - 1);
	for (i = 0; i < I->nresv; i++)
		reserve_bytes(&g->iovad, I->resv[i].base,
			      I->resv[i].base + I->resv[i].size - 1);
	for (i = 0; i < u->nreserved; i++)
		reserve_bytes(&g->iovad, u->reserved[i].base,
			      u->reserved[i].base + u->reserved[i].size - 1);
	return 0;
}

/* The group's domain, set up at first use as iommu_dma_init_domain()
 * does at probe.  Returns NULL on ENOMEM; g->init_failed when the kernel
 * would have failed (the device then keeps the platform DMA ops). */
static struct dmasim__dma_group *group_get(struct dmasim_dma_ctx *c,
					   const struct dmasim_device *dev,
					   struct dmasim_dma_result *r)
{
	struct dmasim__dma_group *g = &c->groups[dev->iommu_group];
	const struct dmasim_host_bridge *h = dev->hb;
	uint64_t ap_end = width_mask(h->iommu->address_bits), lo = ~(uint64_t)0;
	size_t i;

	if (g->inited)
		return g;
	if (dmasim__iovad_init(&g->iovad, DMASIM__DMA_GRANULE, 1))
		return NULL;
	g->iovad.retry_from_top = c->policy.iova_retry_from_top;
	g->inited = true;
	/* "Check the domain allows at least some access to the device" */
	for (i = 0; h->has_dma_ranges && i < h->ndma_ranges; i++) {
		const struct dmasim_dma_range *dr = &h->dma_ranges[i];
		if (dr->bus < lo)
			lo = dr->bus;
	}
	if (h->has_dma_ranges && h->ndma_ranges && lo > ap_end) {
		dmasim_log_printf(&r->log, "specified DMA range outside IOMMU capability");
		g->init_failed = true;
	} else if (reserve_regions(c, g, dev, r)) {
		g->init_failed = true;
	}
	if (g->init_failed)
		dmasim_log_printf(&r->log,
				  "Failed to set up IOMMU for device %s; retaining platform DMA ops",
				  dev->bdf);
	if (g->iovad.oom)
		return NULL;
	return g;
}

/* ---- the paths -------------------------------------------------------- */

static int nomem(struct dmasim_error *err)
{
	return dmasim_error_set(err, DMASIM_ENOMEM, NULL, 0, 0,
				"out of memory while mapping");
}

/* iommu_dma_alloc_iova(): 32-bit first while the device's workaround is
 * on (sticky since v6.4; older kernels re-evaluate it every call), then
 * the full limit with the range caches flushed on failure. */
static uint64_t alloc_iova(struct dmasim_dma_ctx *c, struct dmasim__dma_group *g,
			   const struct dmasim_device *dev, uint64_t len,
			   uint64_t dma_limit, struct dmasim_dma_result *r)
{
	uint64_t pages = len >> DMASIM__DMA_SHIFT, pfn;

	if (dma_limit > 0xffffffffull && c->pci32[dev->id]) {
		pfn = dmasim__iova_alloc_fast(&g->iovad, pages,
					      0xffffffffull >> DMASIM__DMA_SHIFT, false);
		if (pfn)
			return pfn << DMASIM__DMA_SHIFT;
		/* Before v6.4 the attempt is made again on every call. */
		if (c->policy.iova_pci32 == DMASIM_IOVA_PCI32_STICKY) {
			c->pci32[dev->id] = false;
			dmasim_log_printf(&r->log, "pci %s: Using %u-bit DMA addresses",
					  dev->bdf, fls64_(dma_limit));
		}
	}
	pfn = dmasim__iova_alloc_fast(&g->iovad, pages,
				      dma_limit >> DMASIM__DMA_SHIFT, true);
	return pfn << DMASIM__DMA_SHIFT;
}

/* dma_info_to_prot(dir, coherent, attrs) without IOMMU_CACHE/PRIV */
static unsigned dir_prot(enum dmasim_dma_dir dir)
{
	switch (dir) {
	case DMASIM_DMA_BIDIRECTIONAL:
		return DMASIM_PROT_READ | DMASIM_PROT_WRITE;
	case DMASIM_DMA_TO_DEVICE:
		return DMASIM_PROT_READ;
	case DMASIM_DMA_FROM_DEVICE:
		return DMASIM_PROT_WRITE;
	default:
		return 0;
	}
}

/* __iommu_dma_map(dev, phys, size, prot, dma_get_mask(dev)) */
static int iommu_map(struct dmasim_dma_ctx *c, struct dmasim__dma_group *g,
		     const struct dmasim_device *dev, unsigned prot,
		     const char *op, struct dmasim_dma_result *r,
		     struct dmasim_error *err)
{
	const struct dmasim_iommu *u = dev->hb->iommu;
	const struct dmasim__dma_iommu_info *I = dmasim__dma_iommu_info(u->type);
	uint64_t G = DMASIM__DMA_GRANULE, off = r->phys & (G - 1), len, limit, pages;
	struct dmasim_error e;
	dmasim_iova_t iova;

	len = (r->size + off + G - 1) & ~(G - 1);
	if (len < r->size)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"a mapping of %llu bytes does not fit the address space",
					ull(r->size));
	limit = min_not_zero(dev_mask(dev), dev->bus_dma_limit);
	if (I->force_aperture && limit > width_mask(u->address_bits))
		limit = width_mask(u->address_bits);
	iova = alloc_iova(c, g, dev, len, limit, r);
	if (!iova) {
		if (g->iovad.oom)
			return nomem(err);
		dmasim__dma_refuse(r, DMASIM_DMA_REASON_IOVA_EXHAUSTED,
				   DMASIM_FAULT_MAPPING_ERROR, op,
				   "no free IOVA range of 0x%llx bytes at or below 0x%llx in IOMMU group %u (%s)",
				   ull(len), ull(limit), dev->iommu_group, u->name);
		return DMASIM_OK;
	}
	dmasim_error_init(&e);
	if (dmasim_iommu_pt_map(c->pt, dev->iommu_group, iova, r->phys - off, len,
				prot, &e) != DMASIM_OK) {
		/* iommu_dma_free_iova(domain, iova, size, NULL) */
		dmasim__iova_free_fast(&g->iovad, iova >> DMASIM__DMA_SHIFT,
				       len >> DMASIM__DMA_SHIFT);
		if (e.code == DMASIM_ENOMEM)
			return nomem(err);
		dmasim__dma_refuse(r, DMASIM_DMA_REASON_IOMMU_MAP_FAILED,
				   DMASIM_FAULT_MAPPING_ERROR, op,
				   "iommu_map() failed: %s", e.msg);
		return DMASIM_OK;
	}
	pages = len >> DMASIM__DMA_SHIFT;
	r->iommu_group = dev->iommu_group;
	r->iova = iova;
	r->iova_len = len;
	r->iova_alloc_len = (pages < 32 && (pages & (pages - 1))
			     ? (uint64_t)1 << fls64_(pages - 1) : pages) << DMASIM__DMA_SHIFT;
	r->prot = prot;
	succeed(r, DMASIM_DMA_PATH_IOMMU, iova + off, op,
		"IOVA 0x%llx (0x%llx bytes) in IOMMU group %u of %s maps CPU 0x%llx %s%s",
		ull(iova), ull(len), dev->iommu_group, u->name, ull(r->phys - off),
		(prot & DMASIM_PROT_READ) ? "R" : "", (prot & DMASIM_PROT_WRITE) ? "W" : "");
	return DMASIM_OK;
}

/* phys_to_dma(): through the host bridge's dma_ranges (dma_range_map),
 * the identity without them.  DMA_MAPPING_ERROR when no range covers. */
static dmasim_dma_addr_t phys_to_dma(const struct dmasim_device *dev,
				     dmasim_phys_addr_t phys)
{
	const struct dmasim_host_bridge *h = dev->hb;
	size_t i;

	if (!h->has_dma_ranges)
		return phys;
	for (i = 0; i < h->ndma_ranges; i++) {
		const struct dmasim_dma_range *dr = &h->dma_ranges[i];
		if (phys >= dr->cpu && phys - dr->cpu < dr->size)
			return dr->bus + (phys - dr->cpu);
	}
	return DMASIM_DMA_MAPPING_ERROR;
}

/* dma-direct, for a resource (dma_direct_map_resource) or a page. */
static int direct_map(struct dmasim_dma_ctx *c, const struct dmasim_device *dev,
		      bool resource, const char *fallback_note,
		      struct dmasim_dma_result *r)
{
	const struct dmasim__dma_arch_info *A = dmasim__dma_arch_info(c->m->arch);
	dmasim_dma_addr_t dma;

	if (resource) {
		if (c->policy.missing_op_returns_phys) {
			/* v4.9-v5.0: dma_direct_ops had no .map_resource and
			 * dma_map_resource() returned phys, unchecked. */
			succeed(r, DMASIM_DMA_PATH_DIRECT, r->phys, "dma_map_resource",
				"%sno dma_direct_map_resource before v5.1: the CPU physical address is returned unchecked",
				fallback_note);
			return DMASIM_OK;
		}
		dma = r->phys;
		if (!dma_capable(dev, dma, r->size)) {
			log_overflow(r, dev, dma);
			dmasim__dma_refuse(r, DMASIM_DMA_REASON_OVERFLOW,
					   DMASIM_FAULT_MAPPING_ERROR, A->direct_ops,
					   "%sdma_capable() fails: 0x%llx+0x%llx is above min_not_zero(dma_mask 0x%llx, bus_dma_limit 0x%llx)",
					   fallback_note, ull(dma), ull(r->size),
					   ull(dev_mask(dev)), ull(dev->bus_dma_limit));
			return DMASIM_OK;
		}
		succeed(r, DMASIM_DMA_PATH_DIRECT, dma, A->direct_ops,
			"%sdma-direct returns the CPU physical address unchanged (no phys_to_dma(), dma-ranges ignored)",
			fallback_note);
		return DMASIM_OK;
	}
	/* dma_direct_map_page(): phys_to_dma(), then dma_capable(); a P2P
	 * page that fails is refused without a message (v6.2+). */
	dma = phys_to_dma(dev, r->phys);
	if (dma == DMASIM_DMA_MAPPING_ERROR) {
		dmasim__dma_refuse(r, DMASIM_DMA_REASON_NO_DMA_RANGE,
				   DMASIM_FAULT_MAPPING_ERROR, "dma_direct_map_page",
				   "%sphys_to_dma(): no dma-range of host bridge %s covers CPU address 0x%llx",
				   fallback_note, dev->hb->name, ull(r->phys));
		return DMASIM_OK;
	}
	if (!dma_capable(dev, dma, r->size)) {
		dmasim__dma_refuse(r, DMASIM_DMA_REASON_OVERFLOW,
				   DMASIM_FAULT_MAPPING_ERROR, "dma_direct_map_page",
				   "%sdma_capable() fails: 0x%llx+0x%llx is above min_not_zero(dma_mask 0x%llx, bus_dma_limit 0x%llx)",
				   fallback_note, ull(dma), ull(r->size),
				   ull(dev_mask(dev)), ull(dev->bus_dma_limit));
		return DMASIM_OK;
	}
	succeed(r, DMASIM_DMA_PATH_DIRECT, dma, "dma_direct_map_page",
		"%sdma-direct: phys_to_dma(0x%llx) = 0x%llx%s", fallback_note,
		ull(r->phys), ull(dma),
		dev->hb->has_dma_ranges ? " through the host bridge's dma-ranges" : "");
	return DMASIM_OK;
}

/* Which ops a device's mappings go to (dma_map_direct / use_dma_iommu). */
static int dispatch(struct dmasim_dma_ctx *c, const struct dmasim_device *dev,
		    bool resource, struct dmasim_dma_result *r,
		    struct dmasim_error *err)
{
	const struct dmasim_iommu *u = dev->hb->iommu;
	enum dmasim_domain_type dom = u ? dev->domain : DMASIM_DOMAIN_NONE;
	const struct dmasim__dma_arch_info *A = dmasim__dma_arch_info(c->m->arch);
	const struct dmasim__dma_iommu_info *I;
	struct dmasim__dma_group *g;
	char note[200];

	switch (dom) {
	case DMASIM_DOMAIN_BLOCKED:
		dmasim__dma_refuse(r, DMASIM_DMA_REASON_BLOCKED_DOMAIN,
				   DMASIM_FAULT_MAPPING_ERROR, resource ? "dma_map_resource" : "dma_map_page",
				   "%s is attached to a blocked IOMMU domain (group %u of %s): nothing can be mapped for it",
				   dev->name, dev->iommu_group, u->name);
		return DMASIM_OK;
	case DMASIM_DOMAIN_IDENTITY:
		/* dma_go_direct(): with dma_ops_bypass, direct only when the
		 * mask covers the required mask; otherwise the IOMMU ops. */
		if (!A->identity_is_ops_bypass ||
		    min_not_zero(dev_mask(dev), dev->bus_dma_limit) >= required_mask(c->m))
			return direct_map(c, dev, resource,
					  A->identity_is_ops_bypass ? "64-bit bypass: " : "identity domain: ",
					  r);
		break;
	case DMASIM_DOMAIN_NONE:
		return direct_map(c, dev, resource, "", r);
	case DMASIM_DOMAIN_DMA:
	default:
		break;
	}

	/* The IOMMU driver's DMA ops. */
	I = dmasim__dma_iommu_info(u->type);
	if (resource && !c->policy.iommu_has_map_resource[u->type]) {
		if (c->policy.missing_op_returns_phys) {
			succeed(r, DMASIM_DMA_PATH_NO_OP_PHYS, r->phys,
				I->ops_without_map_resource,
				"%s has no .map_resource: dma_map_resource() returns the CPU physical address unchanged (v4.9-v5.0), with no IOMMU mapping",
				I->ops_without_map_resource);
			return DMASIM_OK;
		}
		dmasim__dma_refuse(r, DMASIM_DMA_REASON_NO_MAP_RESOURCE,
				   DMASIM_FAULT_MAPPING_ERROR, I->ops_without_map_resource,
				   "%s has no .map_resource: dma_map_resource() returns DMA_MAPPING_ERROR (v5.1+)",
				   I->ops_without_map_resource);
		return DMASIM_OK;
	}
	g = group_get(c, dev, r);
	if (!g)
		return nomem(err);
	if (g->init_failed) {
		snprintf(note, sizeof(note),
			 "IOMMU setup failed for IOMMU group %u, so the platform DMA ops stayed: ",
			 dev->iommu_group);
		return direct_map(c, dev, resource, note, r);
	}
	return iommu_map(c, g, dev,
			 dir_prot(r->dir) | (resource ? DMASIM_PROT_MMIO : 0u),
			 resource ? I->ops_with_map_resource : I->map_sg_op, r, err);
}

int dmasim__dma_map_resource(struct dmasim_dma_ctx *c,
			     const struct dmasim_device *dev,
			     struct dmasim_dma_result *r,
			     struct dmasim_error *err)
{
	/* v4.9-v5.15: the pfn_valid() test precedes any ops (dma_map_resource, kernel/dma/mapping.c) */
	if (c->policy.map_resource_ram != DMASIM_RAM_ALLOWED &&
	    phys_is_ram(c->m, r->phys)) {
		if (c->policy.map_resource_ram == DMASIM_RAM_BUG)
			dmasim__dma_refuse(r, DMASIM_DMA_REASON_RAM_BUG,
					   DMASIM_FAULT_MAPPING_ERROR, "dma_map_resource",
					   "BUG_ON(pfn_valid(PHYS_PFN(0x%llx))): RAM passed to dma_map_resource() crashes v4.9-v5.0 (reported as a mapping error)",
					   ull(r->phys));
		else
			dmasim__dma_refuse(r, DMASIM_DMA_REASON_RAM_REFUSED,
					   DMASIM_FAULT_MAPPING_ERROR, "dma_map_resource",
					   "WARN_ON_ONCE(pfn_valid(PHYS_PFN(0x%llx))): dma_map_resource() refuses RAM (v5.1-v5.15)",
					   ull(r->phys));
		return DMASIM_OK;
	}
	return dispatch(c, dev, true, r, err);
}

int dmasim__dma_map_page(struct dmasim_dma_ctx *c, const struct dmasim_device *dev,
			 struct dmasim_dma_result *r, struct dmasim_error *err)
{
	return dispatch(c, dev, false, r, err);
}

/* ---- bookkeeping and verification ------------------------------------- */

int dmasim__dma_record(struct dmasim_dma_ctx *c, const struct dmasim_dma_result *r,
		       struct dmasim_error *err)
{
	struct dmasim__dma_map *mp;

	if (r->mapping_error)
		return DMASIM_OK;
	if (c->nmaps == c->capmaps) {
		size_t cap = c->capmaps ? c->capmaps * 2 : 32;
		struct dmasim__dma_map *p = realloc(c->maps, cap * sizeof(*p));
		if (!p)
			return nomem(err);
		c->maps = p;
		c->capmaps = cap;
	}
	mp = &c->maps[c->nmaps++];
	mp->dev_id = r->dev->id;
	mp->iommu = r->path == DMASIM_DMA_PATH_IOMMU;
	mp->group = mp->iommu ? r->iommu_group : DMASIM_NO_GROUP;
	mp->dma_addr = r->dma_addr;
	mp->iova = r->iova;
	mp->len = r->iova_len;
	return DMASIM_OK;
}

static bool same_landing(const struct dmasim_landing *want,
			 const struct dmasim_landing *got, dmasim_phys_addr_t phys)
{
	switch (want->kind) {
	case DMASIM_LAND_BAR:
		return got->kind == DMASIM_LAND_BAR && got->dev == want->dev &&
		       got->bar == want->bar && got->offset == want->offset;
	case DMASIM_LAND_RAM:
		return got->kind == DMASIM_LAND_RAM && got->cpu == phys;
	case DMASIM_LAND_FAULT:
		/* No BAR or RAM is there (docs/dma.md, the verdicts): the DMA
		 * lands where the CPU address is when it reaches that address
		 * and meets the fault the CPU's own access meets. */
		return want->fault != DMASIM_FAULT_NONE && got->kind == DMASIM_LAND_FAULT &&
		       got->fault == want->fault && got->has_cpu && got->cpu == phys;
	default:
		return false;
	}
}

void dmasim__dma_verify(struct dmasim_dma_ctx *c, struct dmasim_dma_result *r)
{
	if (r->mapping_error) {
		r->verdict = DMASIM_DMA_VERDICT_REFUSED;
		return;
	}
	if (dmasim_route(c->topo, c->pt, r->dev, r->dma_addr, r->size, r->write,
			 &r->route) != DMASIM_OK) {
		/* the address range wraps: nothing can route it */
		r->route.land.kind = DMASIM_LAND_FAULT;
		r->route.land.fault = DMASIM_FAULT_UNSUPPORTED_REQUEST;
		snprintf(r->route.why, sizeof(r->route.why),
			 "the range 0x%llx+0x%llx wraps past the end of the address space",
			 ull(r->dma_addr), ull(r->size));
	}
	r->routed = true;
	if (same_landing(&r->target, &r->route.land, r->phys)) {
		r->verdict = DMASIM_DMA_VERDICT_OK;
		r->fault = DMASIM_FAULT_NONE;
	} else {
		r->verdict = DMASIM_DMA_VERDICT_INVALID_ADDRESS;
		r->fault = DMASIM_FAULT_INVALID_ADDRESS;
	}
}

/* ---- public entry points ---------------------------------------------- */

int dmasim_dma_map_resource(struct dmasim_dma_ctx *c,
			    const struct dmasim_device *dev,
			    dmasim_phys_addr_t phys, uint64_t size,
			    enum dmasim_dma_dir dir, struct dmasim_dma_result *out,
			    struct dmasim_error *err)
{
	int rc;

	if (!c || !out || !owns(c->m, dev))
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"dma_map_resource needs a context, a result and a device of its topology");
	if (size == 0 || phys + size - 1 < phys || (unsigned)dir >= DMASIM_DMA_DIR_COUNT)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"dma_map_resource of 0x%llx+0x%llx: the size must be at least 1 and the range must not wrap",
					ull(phys), ull(size));
	dmasim__dma_result_init(out, dev, phys, size, dir);
	(void)dmasim_decode_cpu(c->topo, phys, size, &out->target);
	if ((rc = dmasim__dma_map_resource(c, dev, out, err)) != DMASIM_OK)
		return rc;
	if ((rc = dmasim__dma_record(c, out, err)) != DMASIM_OK)
		return rc;
	dmasim__dma_verify(c, out);
	return DMASIM_OK;
}

int dmasim_dma_unmap_resource(struct dmasim_dma_ctx *c,
			      const struct dmasim_device *dev,
			      dmasim_dma_addr_t dma_addr, struct dmasim_error *err)
{
	struct dmasim__dma_map mp;
	size_t i;

	if (!c || !owns(c->m, dev))
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"dma_unmap_resource needs a context and a device of its topology");
	/* the most recent mapping at that address first */
	for (i = c->nmaps; i-- > 0;) {
		const struct dmasim__dma_map *m = &c->maps[i];
		if (m->dma_addr != dma_addr)
			continue;
		if (m->dev_id == dev->id ||
		    (m->iommu && dev->hb->iommu && dev->iommu_group == m->group))
			break;
	}
	if (i == (size_t)-1)
		return dmasim_error_set(err, DMASIM_ENOTFOUND, NULL, 0, 0,
					"mapping-error: nothing is mapped at DMA address 0x%llx for %s",
					ull(dma_addr), dev->name);
	mp = c->maps[i];
	memmove(&c->maps[i], &c->maps[i + 1], (c->nmaps - i - 1) * sizeof(c->maps[0]));
	c->nmaps--;
	if (mp.iommu) {
		/* __iommu_dma_unmap(): unmap the pages, then
		 * iommu_dma_free_iova() -> free_iova_fast() (strict mode). */
		(void)dmasim_iommu_pt_unmap(c->pt, mp.group, mp.iova, mp.len, NULL);
		dmasim__iova_free_fast(&c->groups[mp.group].iovad,
				       mp.iova >> DMASIM__DMA_SHIFT,
				       mp.len >> DMASIM__DMA_SHIFT);
	}
	return DMASIM_OK;
}
