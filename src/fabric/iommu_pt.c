/*
 * dmasim -- IOMMU page tables: per IOMMU group, a sorted array of disjoint
 * mappings and, beside it, the array of their IOVAs alone (8 keys per
 * cache line) that translate searches: a branch-free binary search (O(log
 * n), no allocation), then one mapping is read.  map and unmap keep both
 * arrays sorted with one memmove each.
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
	uint64_t *key;   /* key[i] = v[i].iova */
	struct pt_map *v;
	size_t n, cap, kcap;
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
	}
	free(pt->groups);
	free(pt);
}

/* Index of the first mapping whose iova is > @iova. */
static size_t upper(const struct pt_group *g, dmasim_iova_t iova)
{
	const uint64_t *k = g->key;
	size_t base = 0, n = g->n;

	if (!n)
		return 0;
	while (n > 1) {
		size_t half = n / 2;

		base = k[base + half] <= iova ? base + half : base;
		n -= half;
	}
	return base + (k[base] <= iova);
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
	    dmasim__grow((void **)&g->key, &g->kcap, g->n, sizeof(*g->key)))
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
