/*
 * dmasim -- the kernel's peer-to-peer DMA decisions (drivers/pci/p2pdma.c
 * and the 2018 proposal), run on a modelled topology under a policy.
 *
 * Every query is O(1) after load (an LCA index and per-node ACS counts built
 * by the loader) and allocates nothing.  DMASIM_P2P_NAIVE runs the kernel's
 * literal walk instead, for comparison and for differential tests.  With a
 * built-in policy object (dmasim_policy_builtin(), dmasim_policy_default()
 * or NULL) the host-bridge whitelist verdicts come precomputed from the
 * index; a copy of a row or a policy file gets the same answers with the
 * whitelist scanned per call.
 */
#ifndef DMASIM_P2PDMA_H
#define DMASIM_P2PDMA_H

#include "dmasim/error.h"
#include "dmasim/log.h"
#include "dmasim/policy.h"
#include "dmasim/topology.h"

#ifdef __cplusplus
extern "C" {
#endif

/** enum pci_p2pdma_map_type, without UNKNOWN. */
enum dmasim_map_type {
	DMASIM_MAP_NOT_SUPPORTED,
	DMASIM_MAP_BUS_ADDR,
	DMASIM_MAP_THRU_HOST_BRIDGE,
	DMASIM_MAP_TYPE_COUNT
};

/** "not_supported", "bus_addr", "thru_host_bridge" (the spelling of docs/suite.md). */
DMASIM_API const char *dmasim_map_type_name(enum dmasim_map_type t);
/** Parse those names; DMASIM_MAP_TYPE_COUNT when unknown. */
DMASIM_API enum dmasim_map_type dmasim_map_type_parse(const char *name);

/* Flags for the queries below. */
#define DMASIM_P2P_VERBOSE 0x1u /**< print the kernel's warnings to the log */
#define DMASIM_P2P_NAIVE   0x2u /**< the kernel's literal walk, no index */

/**
 * dmasim_p2p_upstream() - the common upstream device of @a and @b as
 * @policy finds it: the p2pdma walk (the first device on @a's chain,
 * starting at @a, that is on @b's chain; upstream_bridge_distance() in drivers/pci/p2pdma.c) or
 * pci_find_common_upstream_dev(@a, @b) (walk up from @a to the first device
 * whose bus's bus-number range holds @b's bus; segments ignored; 2018 proposal).
 * @policy: NULL for the default (linux-6.12)
 * @flags:  DMASIM_P2P_NAIVE for the kernel's literal walk
 * Returns: the device (borrowed) or NULL when there is none.  O(1).
 */
DMASIM_API const struct dmasim_device *
dmasim_p2p_upstream(const struct dmasim_topo *topo,
		    const struct dmasim_policy *policy,
		    const struct dmasim_device *a,
		    const struct dmasim_device *b, unsigned flags);

/**
 * dmasim_p2p_map_type() - the policy's P2P decision for one provider/client
 * pair: calc_map_type_and_dist() (linux-5.15/6.12), upstream_bridge_distance()
 * (linux-4.20: BUS_ADDR or NOT_SUPPORTED), or pci_peer_traffic_supported()
 * (seed-2018: THRU_HOST_BRIDGE or NOT_SUPPORTED).
 * @policy: NULL for the default (linux-6.12)
 * @dist: out (may be NULL), the kernel's distance: for calc_map_type_and_dist
 *        also when NOT_SUPPORTED (chain lengths when there is no common
 *        device); for linux-4.20 the function's return (-1 no common
 *        device, -2 ACS redirect); -1 for seed-2018, which has none
 * @flags: DMASIM_P2P_VERBOSE, DMASIM_P2P_NAIVE
 * @log:  receives the kernel's warnings ("pci 0000:03:00.0: ...") when
 *        DMASIM_P2P_VERBOSE (may be NULL)
 *
 * The provider need not have a p2pmem BAR: the kernel's distance functions
 * do not look at it.  O(1) without DMASIM_P2P_NAIVE (the warnings' ACS list
 * costs the path length); allocates nothing.
 */
DMASIM_API enum dmasim_map_type
dmasim_p2p_map_type(const struct dmasim_topo *topo,
		    const struct dmasim_policy *policy,
		    const struct dmasim_device *provider,
		    const struct dmasim_device *client, int *dist,
		    unsigned flags, struct dmasim_log *log);

/**
 * dmasim_p2p_distance_many() - pci_p2pdma_distance_many(): the sum of the
 * distances, or -1 when any client is not supported (or n == 0).  Without
 * DMASIM_P2P_VERBOSE it stops at the first unsupported client; with it, it
 * goes on so that every client's warnings are logged (as the kernel does).
 * Always -1 under seed-2018, which has no distance.
 */
DMASIM_API int dmasim_p2p_distance_many(const struct dmasim_topo *topo,
					const struct dmasim_policy *policy,
					const struct dmasim_device *provider,
					const struct dmasim_device *const *clients,
					size_t n, unsigned flags,
					struct dmasim_log *log);

#ifdef __cplusplus
}
#endif
#endif
