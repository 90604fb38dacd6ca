/*
 * dmasim -- private to src/dma: the per-architecture and per-IOMMU-driver
 * data the DMA mapping code reads (arch.c), and the context's layout.
 */
#ifndef DMASIM_DMA_INT_H
#define DMASIM_DMA_INT_H

#include "dmasim/dma.h"
#include "dma/iova.h"

/* The IOVA granule of every modelled domain (4 KiB, iova.c's PAGE_SIZE). */
#define DMASIM__DMA_GRANULE DMASIM_IOMMU_GRANULE
#define DMASIM__DMA_SHIFT 12

/** What one IOMMU driver contributes (its DMA ops, its reserved regions). */
struct dmasim__dma_iommu_info {
	/* The ops a DMA-domain device gets, by whether the policy row says
	 * they implement .map_resource (dmasim_policy.iommu_has_map_resource). */
	const char *ops_with_map_resource;
	const char *ops_without_map_resource;
	/* What maps scatterlists (THRU_HOST_BRIDGE p2pmem): every driver's
	 * ops have map_sg, so this never depends on the policy. */
	const char *map_sg_op;
	/* .get_resv_regions reports the machine's MSI window as
	 * IOMMU_RESV_MSI (reserved in the IOVA space); false for an
	 * IOMMU_RESV_SW_MSI window, which dma-iommu skips ("We ARE the
	 * software that manages these!"). */
	bool msi_reserved;
	/* IOMMU_RESV_RESERVED regions the driver always reports. */
	const struct dmasim_range *resv;
	size_t nresv;
	/* domain->geometry.force_aperture: the limit is clamped to the
	 * IOVA width (address_bits). */
	bool force_aperture;
	const char *note; /* for docs and --help: where the data comes from */
};

/** What one architecture contributes. */
struct dmasim__dma_arch_info {
	/* An identity domain is dma_ops_bypass (ppc64 64-bit bypass): direct
	 * only when min_not_zero(mask, bus_dma_limit) covers the required
	 * mask, else the IOMMU driver's ops (dma_go_direct). */
	bool identity_is_ops_bypass;
	/* Name of the ops a device without an IOMMU gets. */
	const char *direct_ops;
};

const struct dmasim__dma_iommu_info *
dmasim__dma_iommu_info(enum dmasim_iommu_type t);
const struct dmasim__dma_arch_info *dmasim__dma_arch_info(enum dmasim_arch a);

/* ---- the context ------------------------------------------------------ */

struct dmasim__dma_group {
	bool inited;       /* iommu_dma_init_domain() ran */
	bool init_failed;
	char init_msg[160];
	struct dmasim__iovad iovad;
};

struct dmasim__dma_map {
	unsigned dev_id;
	unsigned group;         /* DMASIM_NO_GROUP when not an IOVA */
	bool iommu;             /* holds an IOVA and page-table entries */
	dmasim_dma_addr_t dma_addr;
	dmasim_iova_t iova;     /* granule-aligned start */
	uint64_t len;           /* granule-aligned length mapped */
};

struct dmasim_dma_ctx {
	const struct dmasim_topo *topo;
	const struct dmasim_machine *m;
	struct dmasim_policy policy;
	struct dmasim_iommu_pt *pt;
	struct dmasim__dma_group *groups;
	size_t ngroups;
	bool *pci32;            /* per device: dev->iommu->pci_32bit_workaround */
	struct dmasim__dma_map *maps;
	size_t nmaps, capmaps;
};

/* dma.c, shared with p2p_map.c */
void dmasim__dma_result_init(struct dmasim_dma_result *r,
			     const struct dmasim_device *dev,
			     dmasim_phys_addr_t phys, uint64_t size,
			     enum dmasim_dma_dir dir);
/* dma_map_resource() without the verification. */
int dmasim__dma_map_resource(struct dmasim_dma_ctx *ctx,
			     const struct dmasim_device *dev,
			     struct dmasim_dma_result *r,
			     struct dmasim_error *err);
/* The normal page mapping (dma_map_page / dma_map_sg of one segment). */
int dmasim__dma_map_page(struct dmasim_dma_ctx *ctx,
			 const struct dmasim_device *dev,
			 struct dmasim_dma_result *r, struct dmasim_error *err);
/* Refuse: fill the result as DMA_MAPPING_ERROR. */
void dmasim__dma_refuse(struct dmasim_dma_result *r, enum dmasim_dma_reason why,
			enum dmasim_fault fault, const char *op,
			const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Remember a successful mapping for unmap; DMASIM_ENOMEM on failure. */
int dmasim__dma_record(struct dmasim_dma_ctx *ctx,
		       const struct dmasim_dma_result *r,
		       struct dmasim_error *err);
/* Route the result from r->dev and set the verdict. */
void dmasim__dma_verify(struct dmasim_dma_ctx *ctx, struct dmasim_dma_result *r);

#endif
