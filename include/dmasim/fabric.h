/*
 * dmasim -- the fabric: where a memory request really lands.
 *
 * dmasim_route() follows a memory request (TLP) from its requester through
 * switch ports, the root complex, the IOMMU and the host bridges' windows,
 * hop by hop, using the rules of docs/fabric.md ("Fabric routing
 * rules").  It is a pure function of the topology and the IOMMU page tables:
 * nothing is allocated, nothing is modified.
 */
#ifndef DMASIM_FABRIC_H
#define DMASIM_FABRIC_H

#include "dmasim/error.h"
#include "dmasim/topology.h"
#include "dmasim/iommu.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Why a request did not land; names are stable (dmasim_fault_name()). */
enum dmasim_fault {
	DMASIM_FAULT_NONE,
	DMASIM_FAULT_MAPPING_ERROR,          /**< "mapping-error" */
	DMASIM_FAULT_NOT_SUPPORTED,          /**< "not-supported" */
	DMASIM_FAULT_INVALID_ADDRESS,        /**< "invalid-address" */
	DMASIM_FAULT_UNSUPPORTED_REQUEST,    /**< "unsupported-request" */
	DMASIM_FAULT_IOMMU_FAULT,            /**< "iommu-fault" */
	DMASIM_FAULT_RC_P2P_BLOCKED,         /**< "rc-p2p-blocked" */
	DMASIM_FAULT_MSI_WRITE,              /**< "msi-write" */
	DMASIM_FAULT_OUTSIDE_INBOUND_WINDOW, /**< "outside-inbound-window" */
	DMASIM_FAULT_COUNT
};

/** The stable name of @f ("iommu-fault"); "none" for DMASIM_FAULT_NONE. */
DMASIM_API const char *dmasim_fault_name(enum dmasim_fault f);
/** Parse a stable fault name; returns DMASIM_FAULT_COUNT if unknown. */
DMASIM_API enum dmasim_fault dmasim_fault_parse(const char *name);

/** What happened at one hop. */
enum dmasim_hop_action {
	DMASIM_HOP_UP,              /**< forwarded upstream */
	DMASIM_HOP_ACS_REDIRECT,    /**< ACS RR (or EC with RR) sent it upstream */
	DMASIM_HOP_ACS_UF,          /**< own window, ACS UF forwards it upstream */
	DMASIM_HOP_SIBLING,         /**< claimed by a sibling downstream port */
	DMASIM_HOP_IOMMU,           /**< IOVA translated by the IOMMU */
	DMASIM_HOP_IDENTITY,        /**< no translation (identity or no IOMMU) */
	DMASIM_HOP_INBOUND,         /**< bus -> CPU through inbound dma_ranges */
	DMASIM_HOP_RC_P2P,          /**< root complex routes to a host-bridge window */
	DMASIM_HOP_DOWN,            /**< a bridge window decodes it downward */
	DMASIM_HOP_BAR,             /**< a BAR claims it */
	DMASIM_HOP_RAM,             /**< system RAM takes it */
	DMASIM_HOP_FAULT,           /**< it stops here with the route's fault */
	DMASIM_HOP_INTER_SOCKET,    /**< crosses the link between CPU sockets
				     *   (hop->hb: the ingress host bridge) */
	DMASIM_HOP_ACTION_COUNT
};

DMASIM_API const char *dmasim_hop_action_name(enum dmasim_hop_action a);

/** One hop: a port (@dev) or a root complex (@hb, @dev NULL). */
struct dmasim_hop {
	enum dmasim_hop_action action;
	const struct dmasim_device *dev;
	const struct dmasim_host_bridge *hb;
	uint64_t addr;     /**< the address as seen at this hop */
	uint64_t addr_out; /**< the address after it (translations) */
};

enum dmasim_landing_kind {
	DMASIM_LAND_BAR,
	DMASIM_LAND_RAM,
	DMASIM_LAND_FAULT,
};

struct dmasim_landing {
	enum dmasim_landing_kind kind;
	const struct dmasim_device *dev; /**< LAND_BAR */
	const struct dmasim_bar *bar;    /**< LAND_BAR */
	uint64_t offset;                 /**< LAND_BAR: offset in the BAR */
	dmasim_phys_addr_t cpu;          /**< CPU address it applies at, if any */
	bool has_cpu;
	enum dmasim_fault fault;         /**< LAND_FAULT */
};

/** Enough for any route in a topology the loader accepts. */
#define DMASIM_ROUTE_MAX_HOPS 160

struct dmasim_route {
	struct dmasim_landing land;
	size_t nhops;
	struct dmasim_hop hops[DMASIM_ROUTE_MAX_HOPS];
	char why[160]; /**< one sentence when land is a fault */
};

/**
 * dmasim_route() - route a memory request and say where it lands.
 * @topo:  the machine
 * @pt:    IOMMU page tables (NULL: no mappings exist)
 * @from:  the requester
 * @addr:  the address the requester puts in the TLP
 * @size:  bytes (at least 1); a request that straddles a BAR's or a
 *         window's end is unsupported-request, never a partial success
 * @write: true for a memory write, false for a read
 * @out:   filled completely
 * Returns: DMASIM_OK (the landing may still be a fault) or DMASIM_EINVAL.
 */
DMASIM_API int dmasim_route(const struct dmasim_topo *topo,
			    const struct dmasim_iommu_pt *pt,
			    const struct dmasim_device *from,
			    dmasim_bus_addr_t addr, uint64_t size, bool write,
			    struct dmasim_route *out);

/**
 * dmasim_route_via() - the ports a route passes, as a suite's `via` (docs/suite.md).
 * @r:   a route filled by dmasim_route()
 * @out: receives pointers into @r->hops (borrowed), at most @max
 * One entry per bridge (hop->dev) or root complex (hop->dev NULL,
 * hop->hb set), in order, consecutive hops at the same port merged; the
 * device whose BAR is the landing is not a port and is left out.
 * Returns: the number of entries (may exceed @max; only @max are written).
 */
DMASIM_API size_t dmasim_route_via(const struct dmasim_route *r,
				   const struct dmasim_hop **out, size_t max);

/**
 * dmasim_decode_cpu() - what a CPU physical range is in the memory map:
 * RAM, a BAR (through a host-bridge window and the bridges below it), the
 * MSI region (fault msi-write) or nothing (unsupported-request).
 */
DMASIM_API int dmasim_decode_cpu(const struct dmasim_topo *topo,
				 dmasim_phys_addr_t cpu, uint64_t size,
				 struct dmasim_landing *out);

/**
 * dmasim_landing_snprintf() - "gpu0.bar0 + 0x1000", "ram 0x1000" or the
 * fault name.  Returns the would-be length.
 */
DMASIM_API int dmasim_landing_snprintf(char *buf, size_t size,
				       const struct dmasim_landing *l);

#ifdef __cplusplus
}
#endif
#endif
