/*
 * dmasim -- IOMMU page tables: the hardware state the fabric reads.
 *
 * One translation table per IOMMU group (each group has its own domain,
 * drivers/iommu/dma-iommu.c, docs/dma.md).  The kernel layer (dma.h) writes mappings
 * with dmasim_iommu_pt_map(); the fabric reads them when it routes.
 */
#ifndef DMASIM_IOMMU_H
#define DMASIM_IOMMU_H

#include "dmasim/error.h"
#include "dmasim/topology.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Mapping permissions, as the kernel's IOMMU_READ / IOMMU_WRITE / IOMMU_MMIO */
#define DMASIM_PROT_READ  0x1u /**< the device may read (DMA_TO_DEVICE) */
#define DMASIM_PROT_WRITE 0x2u /**< the device may write (DMA_FROM_DEVICE) */
#define DMASIM_PROT_MMIO  0x4u

/** The page-table granule: iova, phys and size of a mapping are multiples. */
#define DMASIM_IOMMU_GRANULE 4096u

struct dmasim_iommu_pt;

/** Create empty tables for every IOMMU group of @topo; NULL on ENOMEM. */
DMASIM_API struct dmasim_iommu_pt *
dmasim_iommu_pt_create(const struct dmasim_topo *topo);
DMASIM_API void dmasim_iommu_pt_destroy(struct dmasim_iommu_pt *pt);

/**
 * dmasim_iommu_pt_map() - map [iova, iova+size) to phys in @group's table.
 * @iova, @phys and @size are multiples of DMASIM_IOMMU_GRANULE and @size is
 * not 0 (else DMASIM_EINVAL); @prot is a mask of DMASIM_PROT_*.
 * Overlapping an existing mapping is DMASIM_EINVAL; a @group that does not
 * exist is DMASIM_EINVAL.  O(log n) search plus an O(n) array insert.
 */
DMASIM_API int dmasim_iommu_pt_map(struct dmasim_iommu_pt *pt, unsigned group,
				   dmasim_iova_t iova, dmasim_phys_addr_t phys,
				   uint64_t size, unsigned prot,
				   struct dmasim_error *err);

/**
 * dmasim_iommu_pt_unmap() - remove the mapping that starts at @iova.
 * @size: 0, or the mapping's size (a size that rounds up to it is
 *        accepted, as dma_unmap_* calls pass the unaligned length);
 *        anything else is DMASIM_EINVAL.
 * Returns: DMASIM_OK, DMASIM_ENOTFOUND when no mapping starts at @iova.
 */
DMASIM_API int dmasim_iommu_pt_unmap(struct dmasim_iommu_pt *pt,
				     unsigned group, dmasim_iova_t iova,
				     uint64_t size, struct dmasim_error *err);

enum dmasim_pt_result {
	DMASIM_PT_OK,
	DMASIM_PT_UNMAPPED,   /**< some byte of the range has no mapping */
	DMASIM_PT_READ_ONLY,  /**< a write to a mapping without PROT_WRITE */
	DMASIM_PT_WRITE_ONLY, /**< a read of a mapping without PROT_READ */
};

/**
 * dmasim_iommu_pt_translate() - IOVA -> CPU physical address; O(log n).
 * The whole range [iova, iova + size) must lie in one mapping (size 0 is
 * treated as 1).  @pt may be NULL (nothing is mapped).  @phys is set only
 * on DMASIM_PT_OK.
 */
DMASIM_API enum dmasim_pt_result
dmasim_iommu_pt_translate(const struct dmasim_iommu_pt *pt, unsigned group,
			  dmasim_iova_t iova, uint64_t size, bool write,
			  dmasim_phys_addr_t *phys);

/** dmasim_iommu_pt_count() - number of mappings in @group (0 if none). */
DMASIM_API size_t dmasim_iommu_pt_count(const struct dmasim_iommu_pt *pt,
					unsigned group);

#ifdef __cplusplus
}
#endif
#endif
