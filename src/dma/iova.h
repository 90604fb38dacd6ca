/*
 * dmasim -- private: the IOVA allocator of one IOMMU domain, as
 * drivers/iommu/iova.c runs it (followed: torvalds/linux v6.6+ copy with the
 * linked-list depot; see docs/dma.md for what is left out).
 *
 * Everything is in page frames ("pfns") of the granule.  A domain holds an
 * ordered set of ranges ("nodes", the kernel's rbtree) ending with the
 * anchor node at pfn ~0, the two cached nodes the top-down search starts
 * from (cached32_node below 4 GiB, cached_node above), the max32_alloc_size
 * shortcut, and the per-size range caches (IOVA_RANGE_CACHE_MAX_SIZE = 6
 * orders, magazines of IOVA_MAG_SIZE = 127 pfns, one CPU).
 */
#ifndef DMASIM_DMA_IOVA_H
#define DMASIM_DMA_IOVA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* drivers/iommu/iova.c */
#define DMASIM__IOVA_ANCHOR (~(uint64_t)0)
#define DMASIM__IOVA_RANGE_CACHE_MAX_SIZE 6
#define DMASIM__IOVA_MAG_SIZE 127

struct dmasim__iova_node {
	uint64_t lo, hi; /* pfn_lo, pfn_hi, inclusive */
};

struct dmasim__iova_mag {
	size_t size;
	struct dmasim__iova_mag *next; /* depot link */
	uint64_t pfns[DMASIM__IOVA_MAG_SIZE];
};

struct dmasim__iova_rcache {
	struct dmasim__iova_mag *loaded, *prev; /* the one CPU's pair */
	struct dmasim__iova_mag *depot;         /* full magazines, LIFO */
	size_t depot_size;
};

struct dmasim__iovad {
	uint64_t granule;
	unsigned shift;
	uint64_t start_pfn;
	uint64_t dma_32bit_pfn;
	uint64_t max32_alloc_size;
	/* The rbtree as a sorted array (by lo); the last entry is the anchor. */
	struct dmasim__iova_node *nodes;
	size_t n, cap;
	/* Cached nodes, named by their pfn_lo (unique in the tree). */
	uint64_t cached_lo, cached32_lo;
	struct dmasim__iova_rcache rcaches[DMASIM__IOVA_RANGE_CACHE_MAX_SIZE];
	bool oom; /* an internal allocation failed (reported as ENOMEM) */
	/* Commit 4e89dce72521 (v5.11): retry once from the top (the
	 * policy's iova_retry_from_top; set after init). */
	bool retry_from_top;
};

/* init_iova_domain(); returns 0 or -1 on ENOMEM. */
int dmasim__iovad_init(struct dmasim__iovad *iovad, uint64_t granule,
		       uint64_t start_pfn);
/* put_iova_domain() plus the rcaches. */
void dmasim__iovad_fini(struct dmasim__iovad *iovad);

/* reserve_iova(): merges with overlapping nodes; 0 or -1 (WARN/ENOMEM). */
int dmasim__iova_reserve(struct dmasim__iovad *iovad, uint64_t pfn_lo,
			 uint64_t pfn_hi);

/* alloc_iova(): top-down below limit_pfn (inclusive); pfn_lo or 0. */
uint64_t dmasim__iova_alloc(struct dmasim__iovad *iovad, uint64_t size,
			    uint64_t limit_pfn, bool size_aligned);

/* alloc_iova_fast(): rounds sizes < 32 to a power of two, tries the range
 * caches, then the tree (and, with @flush_rcache, flushes the caches and
 * retries once).  Returns pfn_lo or 0. */
uint64_t dmasim__iova_alloc_fast(struct dmasim__iovad *iovad, uint64_t size,
				 uint64_t limit_pfn, bool flush_rcache);

/* free_iova_fast(): into the range cache of order_base_2(size) when that
 * order is < 6, else free_iova(). */
void dmasim__iova_free_fast(struct dmasim__iovad *iovad, uint64_t pfn,
			    uint64_t size);

/* free_iova(): remove the node containing @pfn; false when none does. */
bool dmasim__iova_free(struct dmasim__iovad *iovad, uint64_t pfn);

/* find_iova(): the node containing @pfn (copied to @out); false if none. */
bool dmasim__iova_find(const struct dmasim__iovad *iovad, uint64_t pfn,
		       struct dmasim__iova_node *out);

/* How many pfns the range caches hold (all orders; for tests). */
size_t dmasim__iova_cached_count(const struct dmasim__iovad *iovad);

#endif
