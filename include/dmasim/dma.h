/*
 * dmasim -- DMA mappings as the kernel makes them, verified through the
 * fabric.
 *
 * A struct dmasim_dma_ctx is one run's kernel-side DMA state on a topology
 * under a policy: one IOVA allocator per IOMMU group (drivers/iommu/iova.c
 * and dma-iommu.c), the IOMMU page tables those mappings write (iommu.h),
 * and the list of live mappings.  dmasim_dma_map_resource() dispatches as
 * the policy's kernel dispatches dma_map_resource() (kernel/dma/mapping.c:
 * dma-direct, dma-iommu, arch ops without .map_resource, the RAM refusal);
 * dmasim_dma_p2p_map() maps a provider's p2pmem for a client as
 * pci_p2pdma_map_segment() does.  Every mapping that succeeds is then routed
 * through the fabric from the device (dmasim_route()) with the run's page
 * tables; if the request does not land on the intended target (the BAR and
 * offset, or the RAM, that the CPU address decodes to) the result is an
 * invalid-address DMA.  docs/dma.md has the dispatch table.
 */
#ifndef DMASIM_DMA_H
#define DMASIM_DMA_H

#include <stdbool.h>
#include <stdint.h>
#include "dmasim/error.h"
#include "dmasim/fabric.h"
#include "dmasim/iommu.h"
#include "dmasim/log.h"
#include "dmasim/p2pdma.h"
#include "dmasim/policy.h"
#include "dmasim/topology.h"

#ifdef __cplusplus
extern "C" {
#endif

/** enum dma_data_direction (values as in the kernel). */
enum dmasim_dma_dir {
	DMASIM_DMA_BIDIRECTIONAL = 0,
	DMASIM_DMA_TO_DEVICE = 1,   /**< the device reads: IOMMU_READ only */
	DMASIM_DMA_FROM_DEVICE = 2, /**< the device writes: IOMMU_WRITE only */
	DMASIM_DMA_DIR_COUNT
};

/** "bidirectional", "to_device", "from_device". */
DMASIM_API const char *dmasim_dma_dir_name(enum dmasim_dma_dir d);
/** Parse those names; DMASIM_DMA_DIR_COUNT when unknown. */
DMASIM_API enum dmasim_dma_dir dmasim_dma_dir_parse(const char *name);

/** The path the kernel took. */
enum dmasim_dma_path {
	DMASIM_DMA_PATH_DIRECT,       /**< "direct": dma-direct */
	DMASIM_DMA_PATH_IOMMU,        /**< "iommu": an IOVA from dma-iommu */
	DMASIM_DMA_PATH_NO_OP_PHYS,   /**< "no-op-phys": ops without
				       *   .map_resource returned phys (<= 5.0) */
	DMASIM_DMA_PATH_P2P_BUS_ADDR, /**< "p2p-bus-addr": a PCI bus address */
	DMASIM_DMA_PATH_REFUSED,      /**< "refused": no address was given */
	DMASIM_DMA_PATH_COUNT
};

DMASIM_API const char *dmasim_dma_path_name(enum dmasim_dma_path p);

/** Why a mapping was refused (or DMASIM_DMA_REASON_NONE). */
enum dmasim_dma_reason {
	DMASIM_DMA_REASON_NONE,              /**< "none" */
	DMASIM_DMA_REASON_RAM_REFUSED,       /**< "ram-refused": v5.1-v5.15 */
	DMASIM_DMA_REASON_RAM_BUG,           /**< "ram-bug": v4.9-v5.0 BUG_ON */
	DMASIM_DMA_REASON_NO_MAP_RESOURCE,   /**< "no-map-resource" (v5.1+) */
	DMASIM_DMA_REASON_OVERFLOW,          /**< "overflow": !dma_capable() */
	DMASIM_DMA_REASON_NO_DMA_RANGE,      /**< "no-dma-range": phys_to_dma miss */
	DMASIM_DMA_REASON_IOVA_EXHAUSTED,    /**< "iova-exhausted" */
	DMASIM_DMA_REASON_IOMMU_MAP_FAILED,  /**< "iommu-map-failed" */
	DMASIM_DMA_REASON_BLOCKED_DOMAIN,    /**< "blocked-domain" */
	DMASIM_DMA_REASON_P2P_NOT_SUPPORTED, /**< "p2p-not-supported" */
	DMASIM_DMA_REASON_COUNT
};

DMASIM_API const char *dmasim_dma_reason_name(enum dmasim_dma_reason r);

/** What the verification found. */
enum dmasim_dma_verdict {
	DMASIM_DMA_VERDICT_OK,              /**< "ok": landed on the target */
	DMASIM_DMA_VERDICT_INVALID_ADDRESS, /**< "invalid-address" */
	DMASIM_DMA_VERDICT_REFUSED,         /**< "refused": no DMA was made */
	DMASIM_DMA_VERDICT_COUNT
};

DMASIM_API const char *dmasim_dma_verdict_name(enum dmasim_dma_verdict v);

/**
 * struct dmasim_dma_result - one mapping and its verification.
 *
 * Pointers are borrowed from the topology; @op is a static string.
 */
struct dmasim_dma_result {
	/* The request. */
	const struct dmasim_device *dev;   /**< the device told the address */
	dmasim_phys_addr_t phys;           /**< CPU physical address mapped */
	uint64_t size;
	enum dmasim_dma_dir dir;
	struct dmasim_landing target;      /**< dmasim_decode_cpu(phys) */

	/* The kernel's answer. */
	enum dmasim_dma_path path;
	const char *op;                    /**< the kernel function that answered */
	dmasim_dma_addr_t dma_addr;        /**< DMASIM_DMA_MAPPING_ERROR if refused */
	bool mapping_error;                /**< dma_mapping_error() would be true */
	enum dmasim_dma_reason reason;
	char why[256];                     /**< one sentence: the path or refusal */
	struct dmasim_log log;             /**< the kernel's messages, verbatim */

	/* The IOMMU path (path == DMASIM_DMA_PATH_IOMMU). */
	unsigned iommu_group;              /**< DMASIM_NO_GROUP otherwise */
	dmasim_iova_t iova;                /**< granule-aligned start mapped */
	uint64_t iova_len;                 /**< bytes mapped (granule-aligned) */
	uint64_t iova_alloc_len;           /**< bytes reserved (pow2-rounded) */
	unsigned prot;                     /**< DMASIM_PROT_* of the mapping */

	/* P2P (dmasim_dma_p2p_map only). */
	bool p2p;
	enum dmasim_map_type map_type;     /**< DMASIM_MAP_TYPE_COUNT if !p2p */
	int p2p_dist;
	const struct dmasim_device *provider;
	const struct dmasim_bar *bar;      /**< the provider's p2pmem BAR */
	int64_t bus_offset;                /**< BAR bus - BAR CPU address */

	/* The verification. */
	bool routed;                       /**< @route is filled */
	bool write;                        /**< routed as a write (else a read) */
	struct dmasim_route route;
	enum dmasim_dma_verdict verdict;
	/** DMASIM_FAULT_NONE when ok; MAPPING_ERROR or NOT_SUPPORTED when
	 *  refused; INVALID_ADDRESS when it landed elsewhere (route.land says
	 *  where, possibly a fabric fault). */
	enum dmasim_fault fault;
};

struct dmasim_dma_ctx;

/**
 * dmasim_dma_ctx_create() - fresh kernel DMA state for one run.
 * @topo:   borrowed; must outlive the context
 * @policy: copied (NULL: the default policy, linux-6.12)
 * @out:    set on success (free with dmasim_dma_ctx_destroy())
 * Returns: DMASIM_OK, DMASIM_EINVAL or DMASIM_ENOMEM.
 */
DMASIM_API int dmasim_dma_ctx_create(const struct dmasim_topo *topo,
				     const struct dmasim_policy *policy,
				     struct dmasim_dma_ctx **out,
				     struct dmasim_error *err);

/** dmasim_dma_ctx_destroy() - free @ctx; NULL is a no-op. */
DMASIM_API void dmasim_dma_ctx_destroy(struct dmasim_dma_ctx *ctx);

/** The IOMMU page tables the run's mappings wrote (borrowed). */
DMASIM_API const struct dmasim_iommu_pt *
dmasim_dma_ctx_pt(const struct dmasim_dma_ctx *ctx);
/** The policy the context runs (borrowed copy). */
DMASIM_API const struct dmasim_policy *
dmasim_dma_ctx_policy(const struct dmasim_dma_ctx *ctx);
/** The topology (borrowed). */
DMASIM_API const struct dmasim_topo *
dmasim_dma_ctx_topo(const struct dmasim_dma_ctx *ctx);
/** Number of live mappings (made and not unmapped). */
DMASIM_API size_t dmasim_dma_ctx_nmappings(const struct dmasim_dma_ctx *ctx);

/**
 * dmasim_dma_map_resource() - dma_map_resource(dev, phys, size, dir, 0)
 * under the context's policy, then the verification route.
 * @out: filled completely, also when the kernel refuses (verdict refused)
 * Returns: DMASIM_OK whenever the kernel answered (refusals and
 *          invalid-address DMAs included: see @out->verdict);
 *          DMASIM_EINVAL for a bad argument (size 0, a range that wraps,
 *          a device not of this topology); DMASIM_ENOMEM.
 */
DMASIM_API int dmasim_dma_map_resource(struct dmasim_dma_ctx *ctx,
				       const struct dmasim_device *dev,
				       dmasim_phys_addr_t phys, uint64_t size,
				       enum dmasim_dma_dir dir,
				       struct dmasim_dma_result *out,
				       struct dmasim_error *err);

/**
 * dmasim_dma_unmap_resource() - give a mapping back, as dma_unmap_resource
 * (and the P2P unmap) does: an IOVA goes to the range cache or the tree
 * (free_iova_fast) and its page-table entries are removed.
 * @dev:      the device it was mapped for, or one in the same IOMMU group
 * @dma_addr: the address the map call returned
 * Returns: DMASIM_OK; DMASIM_ENOTFOUND ("mapping-error") when nothing is
 *          mapped at @dma_addr for @dev.
 */
DMASIM_API int dmasim_dma_unmap_resource(struct dmasim_dma_ctx *ctx,
					 const struct dmasim_device *dev,
					 dmasim_dma_addr_t dma_addr,
					 struct dmasim_error *err);

/**
 * dmasim_dma_p2p_map() - map @size bytes at @offset into @provider's first
 * p2pmem BAR for @client, as pci_p2pdma_map_segment() / the policy's
 * version does (the map type comes from dmasim_p2p_map_type(); its warnings
 * go to @out->log): BUS_ADDR gives phys + bus_offset (phys - bus_offset
 * under policies with bus_offset_minus), THRU_HOST_BRIDGE the normal page
 * mapping (an IOVA, or phys_to_dma() through dma_ranges), seed-2018 maps
 * supported pairs with dma_map_resource(); NOT_SUPPORTED is a refusal.
 * The direction is DMA_BIDIRECTIONAL.
 * Returns: as dmasim_dma_map_resource(); DMASIM_EINVAL also when the
 *          provider has no p2pmem BAR or the range is not inside it.
 */
DMASIM_API int dmasim_dma_p2p_map(struct dmasim_dma_ctx *ctx,
				  const struct dmasim_device *provider,
				  const struct dmasim_device *client,
				  uint64_t offset, uint64_t size,
				  struct dmasim_dma_result *out,
				  struct dmasim_error *err);

/** The first p2pmem BAR of @dev (lowest index), or NULL. */
DMASIM_API const struct dmasim_bar *
dmasim_dma_p2pmem_bar(const struct dmasim_device *dev);

/** A mapping target: a BAR and offset, or a CPU physical address. */
struct dmasim_dma_target {
	bool is_bar;
	const struct dmasim_device *dev;  /**< is_bar */
	const struct dmasim_bar *bar;     /**< is_bar */
	uint64_t offset;                  /**< is_bar: offset into the BAR */
	dmasim_phys_addr_t phys;          /**< always: the CPU address */
};

/**
 * dmasim_dma_target_parse() - "gpu0.bar1", "gpu0.bar1+0x1000",
 * "gpu0.bar1 + 4K", "0000:03:00.0.bar0", "ram 0x1000" or "0x38000001000"
 * (docs/suite.md, "target").  Numbers as dmasim_parse_u64().
 * Returns: DMASIM_OK; DMASIM_ENOTFOUND (no such device or BAR);
 *          DMASIM_EINVAL (bad syntax, an offset outside the BAR).
 */
DMASIM_API int dmasim_dma_target_parse(const struct dmasim_topo *topo,
				       const char *text,
				       struct dmasim_dma_target *out,
				       struct dmasim_error *err);

/**
 * dmasim_dma_target_fits() - whether @size bytes from a parsed target stay
 * inside the BAR it names (a BAR target's range must not run past the
 * BAR's end, as dmasim_dma_p2p_map() requires of p2pmem; a raw CPU address
 * or 'ram <address>' is taken as given: the verification says what it is).
 * Returns: DMASIM_OK; DMASIM_EINVAL (size 0, or past the BAR's end: the
 *          message names the BAR, its size, the offset and the size).
 */
DMASIM_API int dmasim_dma_target_fits(const struct dmasim_dma_target *t,
				      uint64_t size, struct dmasim_error *err);

#ifdef __cplusplus
}
#endif
#endif
