/*
 * dmasim -- IOMMU page tables: per IOMMU group, a sorted array of disjoint
 * mappings and, beside it, the array of their IOVAs alone in 64-byte
 * lines of 8 (the last padded with UINT64_MAX) plus the first key of each
 * line.  translate (O(log n), no allocation) is a branch-free binary
 * search over the lines' first keys, three steps in one line, then one
 * mapping read: a few cache lines where a binary search over the
 * mappings would touch one per step.  map and unmap keep the arrays
 * sorted (one memmove each, and the first keys from the changed line on).
 */
#include <stdlib.h>
#include <string.h>

#include "dmasim/iommu.h"
#include "model/topo_int.h"

struct pt_map {
	dmasim_iova_t iova;
	uint64_t size;
	dmasim_phys_addr_t phys;
	unsigned prot;
};

struct pt_group {
	uint64_t *key;   /* key[i] = v[i].iova; UINT64_MAX up to a multiple of 8 */
	uint64_t *top;   /* top[j] = key[8 * j] */
	struct pt_map *v;
	size_t n, cap, kcap, tcap;
};

struct dmasim_iommu_pt {
	struct pt_group *groups;
	size_t ngroups;
};

struct dmasim_iommu_pt *dmasim_iommu_pt_create(const struct dmasim_topo *topo)
{
	const struct dmasim_machine *m = dmasim_topo_machine(topo);
	struct dmasim_iommu_pt *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return NULL;
	pt->ngroups = m->niommu_groups;
	pt->groups = calloc(pt->ngroups ? pt->ngroups : 1, sizeof(*pt->groups));
	if (!pt->groups) {
		free(pt);
		return NULL;
	}
	return pt;
}

void dmasim_iommu_pt_destroy(struct dmasim_iommu_pt *pt)
{
	size_t i;

	if (!pt)
		return;
	for (i = 0; i < pt->ngroups; i++) {
		free(pt->groups[i].v);
		free(pt->groups[i].key);
		free(pt->groups[i].top);
	}
	free(pt->groups);
	free(pt);
}

/* Index of the first mapping whose iova is > @iova. */
static inline size_t upper(const struct pt_group *g, dmasim_iova_t iova)
{
	const uint64_t *k;
	size_t base = 0, m = (g->n + 7) / 8, j;

	if (!g->n || g->top[0] > iova) /* top[0] = key[0] */
		return 0;
	/* the last line whose first key is <= iova */
	while (m > 1) {
		size_t half = m / 2;

		base = g->top[base + half] <= iova ? base + half : base;
		m -= half;
	}
	/* the last key <= iova in it (its first one is) */
	k = g->key + 8 * base;
	j = k[4] <= iova ? 4 : 0;
	j += k[j + 2] <= iova ? 2 : 0;
	j += k[j + 1] <= iova ? 1 : 0;
	j += 8 * base + 1;
	return j < g->n ? j : g->n; /* iova == UINT64_MAX counts the padding */
}

/* Room for @need keys in whole 64-byte lines at *@arr (64-byte aligned). */
static int grow_lines(uint64_t **arr, size_t *cap, size_t need)
{
	uint64_t *p;
	size_t ncap = *cap ? *cap : 8;

	need = (need + 7) & ~(size_t)7;
	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	p = aligned_alloc(64, ncap * sizeof(*p));
	if (!p)
		return -1;
	if (*arr)
		memcpy(p, *arr, *cap * sizeof(*p));
	free(*arr);
	*arr = p;
	*cap = ncap;
	return 0;
}

/* After a change at index @i: the padding and the lines' first keys. */
static void fix_keys(struct pt_group *g, size_t i)
{
	size_t j, end = (g->n + 7) & ~(size_t)7;

	for (j = g->n; j < end; j++)
		g->key[j] = UINT64_MAX;
	for (j = i / 8; j < end / 8; j++)
		g->top[j] = g->key[8 * j];
}

static bool aligned(uint64_t v)
{
	return (v & (DMASIM_IOMMU_GRANULE - 1)) == 0;
}

int dmasim_iommu_pt_map(struct dmasim_iommu_pt *pt, unsigned group,
			dmasim_iova_t iova, dmasim_phys_addr_t phys,
			uint64_t size, unsigned prot, struct dmasim_error *err)
{
	struct pt_group *g;
	size_t i;
	uint64_t last;

	if (!pt || group >= pt->ngroups)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"IOMMU group %u does not exist", group);
	if (size == 0 || !aligned(iova) || !aligned(phys) || !aligned(size))
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
			"IOMMU mapping iova 0x%llx phys 0x%llx size 0x%llx is not a non-empty multiple of the %u-byte granule",
			(unsigned long long)iova, (unsigned long long)phys,
			(unsigned long long)size, DMASIM_IOMMU_GRANULE);
	last = iova + size - 1;
	if (last < iova || phys + size - 1 < phys)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
			"IOMMU mapping iova 0x%llx size 0x%llx wraps past 2^64",
			(unsigned long long)iova, (unsigned long long)size);
	g = &pt->groups[group];
	i = upper(g, iova);
	if ((i > 0 && g->v[i - 1].iova + g->v[i - 1].size - 1 >= iova) ||
	    (i < g->n && g->v[i].iova <= last)) {
		const struct pt_map *o = (i > 0 && g->v[i - 1].iova + g->v[i - 1].size - 1 >= iova)
			? &g->v[i - 1] : &g->v[i];
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
			"IOVA [0x%llx-0x%llx] of group %u overlaps the mapping [0x%llx-0x%llx]",
			(unsigned long long)iova, (unsigned long long)last, group,
			(unsigned long long)o->iova,
			(unsigned long long)(o->iova + o->size - 1));
	}
	if (dmasim__grow((void **)&g->v, &g->cap, g->n, sizeof(*g->v)) ||
	    grow_lines(&g->key, &g->kcap, g->n + 1) ||
	    grow_lines(&g->top, &g->tcap, (g->n + 8) / 8))
		return dmasim_error_set(err, DMASIM_ENOMEM, NULL, 0, 0,
					"out of memory");
	memmove(&g->v[i + 1], &g->v[i], (g->n - i) * sizeof(*g->v));
	memmove(&g->key[i + 1], &g->key[i], (g->n - i) * sizeof(*g->key));
	g->key[i] = iova;
	g->v[i].iova = iova;
	g->v[i].size = size;
	g->v[i].phys = phys;
	g->v[i].prot = prot;
	g->n++;
	fix_keys(g, i);
	return DMASIM_OK;
}

int dmasim_iommu_pt_unmap(struct dmasim_iommu_pt *pt, unsigned group,
			  dmasim_iova_t iova, uint64_t size,
			  struct dmasim_error *err)
{
	struct pt_group *g;
	uint64_t rounded;
	size_t i;

	if (!pt || group >= pt->ngroups)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"IOMMU group %u does not exist", group);
	g = &pt->groups[group];
	i = upper(g, iova);
	if (i == 0 || g->v[i - 1].iova != iova)
		return dmasim_error_set(err, DMASIM_ENOTFOUND, NULL, 0, 0,
			"no IOMMU mapping starts at IOVA 0x%llx in group %u",
			(unsigned long long)iova, group);
	i--;
	rounded = (size + DMASIM_IOMMU_GRANULE - 1) & ~(uint64_t)(DMASIM_IOMMU_GRANULE - 1);
	if (size != 0 && rounded != g->v[i].size)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
			"unmap of 0x%llx bytes at IOVA 0x%llx, but the mapping there is 0x%llx bytes",
			(unsigned long long)size, (unsigned long long)iova,
			(unsigned long long)g->v[i].size);
	memmove(&g->v[i], &g->v[i + 1], (g->n - i - 1) * sizeof(*g->v));
	memmove(&g->key[i], &g->key[i + 1], (g->n - i - 1) * sizeof(*g->key));
	g->n--;
	fix_keys(g, i);
	return DMASIM_OK;
}

enum dmasim_pt_result
dmasim_iommu_pt_translate(const struct dmasim_iommu_pt *pt, unsigned group,
			  dmasim_iova_t iova, uint64_t size, bool write,
			  dmasim_phys_addr_t *phys)
{
	const struct pt_group *g;
	const struct pt_map *m;
	uint64_t last;
	size_t i;

	if (!pt || group >= pt->ngroups)
		return DMASIM_PT_UNMAPPED;
	if (size == 0)
		size = 1;
	last = iova + size - 1;
	if (last < iova)
		return DMASIM_PT_UNMAPPED;
	g = &pt->groups[group];
	i = upper(g, iova);
	if (i == 0)
		return DMASIM_PT_UNMAPPED;
	m = &g->v[i - 1];
	if (last > m->iova + m->size - 1)
		return DMASIM_PT_UNMAPPED;
	if (write && !(m->prot & DMASIM_PROT_WRITE))
		return DMASIM_PT_READ_ONLY;
	if (!write && !(m->prot & DMASIM_PROT_READ))
		return DMASIM_PT_WRITE_ONLY;
	if (phys)
		*phys = m->phys + (iova - m->iova);
	return DMASIM_PT_OK;
}

size_t dmasim_iommu_pt_count(const struct dmasim_iommu_pt *pt, unsigned group)
{
	if (!pt || group >= pt->ngroups)
		return 0;
	return pt->groups[group].n;
}
