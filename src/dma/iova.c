/*
 * dmasim -- the IOVA allocator of drivers/iommu/iova.c (see iova.h).
 *
 * Restated from the kernel's behaviour (v6.6+, with notes where older
 * versions differ); no kernel code is copied.  The rbtree is a sorted array
 * of nodes: the search only ever needs "previous node", "next node", "node
 * by pfn" and ordered insert/remove, and the arrays stay small.
 */
#include <stdlib.h>
#include <string.h>

#include "dma/iova.h"

/* ---- bit helpers (include/linux/log2.h, bitops.h) --------------------- */

static unsigned fls64_(uint64_t x)
{
	return x ? 64u - (unsigned)__builtin_clzll(x) : 0u;
}

/* order_base_2(n): ceil(log2(n)); 0 for n <= 1. */
static unsigned order_base_2_(uint64_t n)
{
	return n > 1 ? fls64_(n - 1) : 0u;
}

static uint64_t roundup_pow_of_two_(uint64_t n)
{
	return n > 1 ? (uint64_t)1 << fls64_(n - 1) : 1;
}

/* ---- the ordered node set ------------------------------------------- */

/* Index of the node whose lo is exactly @lo; the caller knows it exists. */
static size_t idx_of_lo(const struct dmasim__iovad *d, uint64_t lo)
{
	size_t a = 0, b = d->n;

	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (d->nodes[m].lo < lo)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

/* Index of the node containing @pfn, or d->n when none does. */
static size_t idx_containing(const struct dmasim__iovad *d, uint64_t pfn)
{
	size_t a = 0, b = d->n;

	/* first node with hi >= pfn */
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (d->nodes[m].hi < pfn)
			a = m + 1;
		else
			b = m;
	}
	if (a < d->n && d->nodes[a].lo <= pfn)
		return a;
	return d->n;
}

static int insert_node(struct dmasim__iovad *d, uint64_t lo, uint64_t hi)
{
	size_t i;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct dmasim__iova_node *p = realloc(d->nodes, cap * sizeof(*p));
		if (!p) {
			d->oom = true;
			return -1;
		}
		d->nodes = p;
		d->cap = cap;
	}
	i = idx_of_lo(d, lo);
	memmove(&d->nodes[i + 1], &d->nodes[i], (d->n - i) * sizeof(d->nodes[0]));
	d->nodes[i].lo = lo;
	d->nodes[i].hi = hi;
	d->n++;
	return 0;
}

/* __cached_rbnode_delete_update() then rb_erase(). */
static void remove_node(struct dmasim__iovad *d, size_t i)
{
	struct dmasim__iova_node fr = d->nodes[i];
	uint64_t next_lo = d->nodes[i + 1].lo; /* the anchor is never freed */
	const struct dmasim__iova_node *c32 = &d->nodes[idx_of_lo(d, d->cached32_lo)];
	const struct dmasim__iova_node *c = &d->nodes[idx_of_lo(d, d->cached_lo)];

	if (fr.lo == c32->lo || (fr.hi < d->dma_32bit_pfn && fr.lo >= c32->lo))
		d->cached32_lo = next_lo;
	if (fr.lo < d->dma_32bit_pfn)
		d->max32_alloc_size = d->dma_32bit_pfn;
	if (fr.lo >= c->lo)
		d->cached_lo = next_lo;
	memmove(&d->nodes[i], &d->nodes[i + 1], (d->n - i - 1) * sizeof(d->nodes[0]));
	d->n--;
}

/* ---- domain ---------------------------------------------------------- */

int dmasim__iovad_init(struct dmasim__iovad *d, uint64_t granule,
		       uint64_t start_pfn)
{
	memset(d, 0, sizeof(*d));
	d->granule = granule;
	d->shift = fls64_(granule) - 1;
	d->start_pfn = start_pfn;
	d->dma_32bit_pfn = (uint64_t)1 << (32 - d->shift);
	d->max32_alloc_size = d->dma_32bit_pfn;
	if (insert_node(d, DMASIM__IOVA_ANCHOR, DMASIM__IOVA_ANCHOR))
		return -1;
	d->cached_lo = d->cached32_lo = DMASIM__IOVA_ANCHOR;
	d->retry_from_top = true;
	return 0;
}

static void free_mag(struct dmasim__iova_mag *m)
{
	free(m);
}

void dmasim__iovad_fini(struct dmasim__iovad *d)
{
	int i;

	if (!d)
		return;
	for (i = 0; i < DMASIM__IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct dmasim__iova_rcache *rc = &d->rcaches[i];
		free_mag(rc->loaded);
		free_mag(rc->prev);
		while (rc->depot) {
			struct dmasim__iova_mag *m = rc->depot;
			rc->depot = m->next;
			free_mag(m);
		}
	}
	free(d->nodes);
	memset(d, 0, sizeof(*d));
}

/* reserve_iova(): walk the nodes in order; a node the range overlaps is
 * widened down to the range's start and the range continues above it
 * (__adjust_overlap_range); what is left is inserted as a new node. */
int dmasim__iova_reserve(struct dmasim__iovad *d, uint64_t lo, uint64_t hi)
{
	bool overlap = false;
	size_t i;

	if ((hi | lo) > (~(uint64_t)0 >> d->shift))
		return -1; /* WARN_ON: nonsensical pfns */
	for (i = 0; i < d->n; i++) {
		struct dmasim__iova_node *nd = &d->nodes[i];
		if (lo <= nd->hi && hi >= nd->lo) {
			if (lo < nd->lo) {
				if (d->cached_lo == nd->lo)
					d->cached_lo = lo;
				if (d->cached32_lo == nd->lo)
					d->cached32_lo = lo;
				nd->lo = lo;
			}
			if (hi > nd->hi)
				lo = nd->hi + 1;
			if (lo >= nd->lo && hi <= nd->hi)
				return 0;
			overlap = true;
		} else if (overlap) {
			break;
		}
	}
	return insert_node(d, lo, hi);
}

/* iova_find_limit(): where the retry walk starts.  The kernel walks its
 * tree to a node at or above the first one reaching @limit_pfn; starting
 * anywhere at or above that point yields the same allocation, because the
 * search clamps its ceiling to @limit_pfn. */
static size_t find_limit(const struct dmasim__iovad *d, uint64_t limit_pfn)
{
	size_t a = 0, b = d->n;

	if (limit_pfn > d->dma_32bit_pfn)
		return d->n - 1; /* the anchor */
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (d->nodes[m].hi < limit_pfn)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

/* __alloc_and_insert_iova_range(): @limit_pfn is exclusive here. */
static int alloc_and_insert(struct dmasim__iovad *d, uint64_t size,
			    uint64_t limit_pfn, bool size_aligned,
			    uint64_t *out)
{
	uint64_t high = limit_pfn, low = d->start_pfn, newp = 0, retry_pfn;
	uint64_t align_mask = ~(uint64_t)0;
	long ci;
	unsigned f;

	if (size == 0)
		return -1;
	if (size_aligned) {
		f = fls64_(size - 1);
		align_mask = f >= 64 ? 0 : align_mask << f;
	}
	if (limit_pfn <= d->dma_32bit_pfn && size >= d->max32_alloc_size)
		return -1; /* iova32_full */

	ci = (long)idx_of_lo(d, limit_pfn <= d->dma_32bit_pfn ? d->cached32_lo
							      : d->cached_lo);
	retry_pfn = d->nodes[ci].hi;
retry:
	do {
		if (d->nodes[ci].lo < high)
			high = d->nodes[ci].lo;
		newp = (high - size) & align_mask;
		ci--;
	} while (ci >= 0 && newp <= d->nodes[ci].hi && newp >= low);

	if (high < size || newp < low) {
		if (d->retry_from_top && low == d->start_pfn &&
		    retry_pfn < limit_pfn) {
			/* Commit 4e89dce72521 (v5.11): retry once from the
			 * real top, above the cached node. */
			high = limit_pfn;
			low = retry_pfn + 1;
			ci = (long)find_limit(d, limit_pfn);
			goto retry;
		}
		d->max32_alloc_size = size;
		return -1;
	}
	if (insert_node(d, newp, newp + size - 1))
		return -1;
	/* __cached_rbnode_insert_update() */
	if (newp + size - 1 < d->dma_32bit_pfn)
		d->cached32_lo = newp;
	else
		d->cached_lo = newp;
	*out = newp;
	return 0;
}

uint64_t dmasim__iova_alloc(struct dmasim__iovad *d, uint64_t size,
			    uint64_t limit_pfn, bool size_aligned)
{
	uint64_t pfn;

	if (alloc_and_insert(d, size, limit_pfn + 1, size_aligned, &pfn))
		return 0;
	return pfn;
}

bool dmasim__iova_find(const struct dmasim__iovad *d, uint64_t pfn,
		       struct dmasim__iova_node *out)
{
	size_t i = idx_containing(d, pfn);

	if (i == d->n || d->nodes[i].lo == DMASIM__IOVA_ANCHOR)
		return false;
	if (out)
		*out = d->nodes[i];
	return true;
}

bool dmasim__iova_free(struct dmasim__iovad *d, uint64_t pfn)
{
	size_t i = idx_containing(d, pfn);

	if (i == d->n || d->nodes[i].lo == DMASIM__IOVA_ANCHOR)
		return false;
	remove_node(d, i);
	return true;
}

/* ---- range caches (magazines) ---------------------------------------- */

static struct dmasim__iova_mag *mag_alloc(struct dmasim__iovad *d)
{
	struct dmasim__iova_mag *m = calloc(1, sizeof(*m));

	if (!m)
		d->oom = true;
	return m;
}

static bool mag_full(const struct dmasim__iova_mag *m)
{
	return m && m->size == DMASIM__IOVA_MAG_SIZE;
}

static bool mag_empty(const struct dmasim__iova_mag *m)
{
	return !m || m->size == 0;
}

/* iova_magazine_free_pfns(): every cached range goes back to the tree. */
static void mag_free_pfns(struct dmasim__iovad *d, struct dmasim__iova_mag *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->size; i++)
		(void)dmasim__iova_free(d, m->pfns[i]); /* WARN_ON(!iova) */
	m->size = 0;
}

/* iova_magazine_pop(): the most recent pfn that fits below @limit_pfn;
 * the one taken is replaced by the top entry ("swap it to pop it"). */
static uint64_t mag_pop(struct dmasim__iova_mag *m, uint64_t limit_pfn)
{
	size_t i = m->size - 1;
	uint64_t pfn;

	while (m->pfns[i] > limit_pfn) {
		if (i == 0)
			return 0;
		i--;
	}
	pfn = m->pfns[i];
	m->pfns[i] = m->pfns[--m->size];
	return pfn;
}

static bool ensure_pair(struct dmasim__iovad *d, struct dmasim__iova_rcache *rc)
{
	/* iova_domain_init_rcaches() allocates both up front; lazily here. */
	if (!rc->loaded && !(rc->loaded = mag_alloc(d)))
		return false;
	if (!rc->prev && !(rc->prev = mag_alloc(d)))
		return false;
	return true;
}

/* __iova_rcache_insert() */
static bool rcache_insert(struct dmasim__iovad *d, uint64_t pfn, uint64_t size)
{
	unsigned log = order_base_2_(size);
	struct dmasim__iova_rcache *rc;
	struct dmasim__iova_mag *t;

	if (log >= DMASIM__IOVA_RANGE_CACHE_MAX_SIZE)
		return false;
	rc = &d->rcaches[log];
	if (!ensure_pair(d, rc))
		return false;
	if (!mag_full(rc->loaded)) {
		/* room */
	} else if (!mag_full(rc->prev)) {
		t = rc->prev;
		rc->prev = rc->loaded;
		rc->loaded = t;
	} else {
		struct dmasim__iova_mag *nm = mag_alloc(d);
		if (!nm)
			return false;
		rc->loaded->next = rc->depot; /* iova_depot_push() */
		rc->depot = rc->loaded;
		rc->depot_size++;
		rc->loaded = nm;
	}
	rc->loaded->pfns[rc->loaded->size++] = pfn;
	return true;
}

/* iova_rcache_get(): @limit_pfn is exclusive (the caller's limit + 1). */
static uint64_t rcache_get(struct dmasim__iovad *d, uint64_t size,
			   uint64_t limit_pfn)
{
	unsigned log = order_base_2_(size);
	struct dmasim__iova_rcache *rc;
	struct dmasim__iova_mag *t;

	if (log >= DMASIM__IOVA_RANGE_CACHE_MAX_SIZE)
		return 0;
	rc = &d->rcaches[log];
	if (!mag_empty(rc->loaded)) {
		/* has a pfn */
	} else if (!mag_empty(rc->prev)) {
		t = rc->prev;
		rc->prev = rc->loaded;
		rc->loaded = t;
	} else if (rc->depot) {
		free_mag(rc->loaded);
		rc->loaded = rc->depot; /* iova_depot_pop() */
		rc->depot = rc->loaded->next;
		rc->loaded->next = NULL;
		rc->depot_size--;
	} else {
		return 0;
	}
	return mag_pop(rc->loaded, limit_pfn - size);
}

/* free_cpu_cached_iovas() for the one CPU, then free_global_cached_iovas() */
static void flush_rcaches(struct dmasim__iovad *d)
{
	int i;

	for (i = 0; i < DMASIM__IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct dmasim__iova_rcache *rc = &d->rcaches[i];
		mag_free_pfns(d, rc->loaded);
		mag_free_pfns(d, rc->prev);
	}
	for (i = 0; i < DMASIM__IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct dmasim__iova_rcache *rc = &d->rcaches[i];
		while (rc->depot) {
			struct dmasim__iova_mag *m = rc->depot;
			rc->depot = m->next;
			rc->depot_size--;
			mag_free_pfns(d, m);
			free_mag(m);
		}
	}
}

uint64_t dmasim__iova_alloc_fast(struct dmasim__iovad *d, uint64_t size,
				 uint64_t limit_pfn, bool flush_rcache)
{
	uint64_t pfn;

	/* Cacheable sizes are rounded so that a freed range always fits the
	 * cache bin it goes back to (the unrounded order matches on free). */
	if (size < ((uint64_t)1 << (DMASIM__IOVA_RANGE_CACHE_MAX_SIZE - 1)))
		size = roundup_pow_of_two_(size);
	pfn = rcache_get(d, size, limit_pfn + 1);
	if (pfn)
		return pfn;
	for (;;) {
		pfn = dmasim__iova_alloc(d, size, limit_pfn, true);
		if (pfn || !flush_rcache)
			return pfn;
		flush_rcache = false;
		flush_rcaches(d);
	}
}

void dmasim__iova_free_fast(struct dmasim__iovad *d, uint64_t pfn, uint64_t size)
{
	if (rcache_insert(d, pfn, size))
		return;
	(void)dmasim__iova_free(d, pfn);
}

size_t dmasim__iova_cached_count(const struct dmasim__iovad *d)
{
	size_t n = 0;
	int i;

	for (i = 0; i < DMASIM__IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		const struct dmasim__iova_rcache *rc = &d->rcaches[i];
		const struct dmasim__iova_mag *m;
		n += rc->loaded ? rc->loaded->size : 0;
		n += rc->prev ? rc->prev->size : 0;
		for (m = rc->depot; m; m = m->next)
			n += m->size;
	}
	return n;
}
