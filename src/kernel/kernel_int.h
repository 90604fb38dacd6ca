/*
 * dmasim -- private to src/kernel: the load-time index that makes the
 * p2pdma queries O(1), and the naive walks that the kernel performs.
 *
 * Index (built once by dmasim__lca_index_build, never changed):
 *  - LCA on the device forest from the DFS pre-order: for ids u < v where
 *    u is not an ancestor of v, every device with an id in (u, v] lies in
 *    the subtree of LCA(u, v), and the shallowest of them are children of
 *    the LCA.  A sparse table over the depths answers "shallowest in a
 *    range" in O(1); the rightmost shallowest in (L, u] is the child of L
 *    on the way to u.
 *  - per device and per ACS control bit, how many devices from the root
 *    bus down to it (inclusive) have that bit set: "is any device on the
 *    path a..b redirecting under bit set S" is then, per bit of S,
 *    cnt(a) + cnt(b) - 2 cnt(L) + bit(L) > 0 (at most 7 bits, O(1)).
 *  - per host bridge, the root devices the whitelist rules look at, and
 *    for pci_find_common_upstream_dev a 256-entry table: the deepest bridge
 *    below the host bridge whose [secondary, subordinate] holds a bus.
 */
#ifndef DMASIM_KERNEL_KERNEL_INT_H
#define DMASIM_KERNEL_KERNEL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "dmasim/p2pdma.h"
#include "model/topo_int.h"

#define DMASIM__ACS_NBITS 7
#define DMASIM__NO_ID UINT32_MAX
#define DMASIM__NROOTDEV 3 /* enum dmasim_root_dev_rule values */
#define DMASIM__ID_BITS 25
#define DMASIM__ID_MASK ((1u << DMASIM__ID_BITS) - 1)
/* pci_bridge_has_acs_redir()'s bits, RR|CR|EC: every built-in policy's */
#define DMASIM__REDIR_BITS (DMASIM_ACS_RR | DMASIM_ACS_CR | DMASIM_ACS_EC)

/* What a map-type query reads of each of its two devices, in one 16-byte
 * record so that a random pair costs one cache line per device. */
struct dmasim__hot {
	uint64_t redir_mask;  /* as redir_mask[] below */
	uint32_t hb;          /* host bridge id */
	uint8_t depth;
};

struct dmasim__lca_index {
	struct dmasim__hot *hot;
	size_t n;
	unsigned levels;
	uint8_t *depth;       /* compact copies of the hot fields: depth, */
	uint32_t *parent;     /* parent id (DMASIM__NO_ID on a root bus), */
	uint8_t *redir;       /* ACS control bits when has_acs, else 0, */
	uint32_t *end;        /* subtree_end and */
	uint32_t *hb;         /* host bridge id, so that a query touches only
			       * the first cache line of the devices given */
	/* st[k][i]: the least key in [i, i+2^k), key(d) = depth << 25 |
	 * (DMASIM__ID_MASK - id): the shallowest, and among those the
	 * rightmost, with no depth lookups */
	uint32_t **st;
	uint64_t *redir_mask; /* bit d: the device at depth d on the path from
			       * the root bus down to this one (itself
			       * included) has ctrl & DMASIM__REDIR_BITS */
	uint8_t *acs_cnt;     /* n * DMASIM__ACS_NBITS */
	uint32_t *root;       /* id of the root-bus ancestor (or self) */
	bool *pcie;           /* pci_is_pcie(): no PCIe-to-PCI bridge above */
	bool *multifunction;  /* another function shares the slot */
	uint32_t *hb_first;   /* per host bridge: lowest devfn on the root bus */
	uint32_t *hb_slot0;   /* per host bridge: the device at 00.0 */
	uint32_t *cover;      /* nhbs * 256, see above */
	/* per host bridge and root-device rule: vendor << 16 | device of the
	 * device the whitelist checks, -1 when there is none */
	int64_t *root_key;
	bool any_iommu;       /* iommu_present(&pci_bus_type) */
};

/* lca.c: the O(1) queries (the index must exist). */
const struct dmasim_device *dmasim__lca(const struct dmasim_topo *t,
					const struct dmasim_device *a,
					const struct dmasim_device *b);
/* 1 + the depth of the common upstream device of devices @ia != @ib, or
 * 0 when they have none: one table lookup, no device read. */
unsigned dmasim__lca_depth1(const struct dmasim_topo *t, uint32_t ia,
			    uint32_t ib);
/* The child of @l on the way down to @u (@u strictly below @l). */
const struct dmasim_device *dmasim__child_toward(const struct dmasim_topo *t,
						 const struct dmasim_device *l,
						 const struct dmasim_device *u);
/* Any device on the path a..l..b (l once) with has_acs && ctrl & bits. */
bool dmasim__path_redirects(const struct dmasim_topo *t,
			    const struct dmasim_device *a,
			    const struct dmasim_device *b,
			    const struct dmasim_device *l, unsigned bits);

/* The id of @d without reading it: devices are one array.  The indexed
 * queries use this so that they never touch a struct dmasim_device (224
 * bytes, 4 cache lines: on a 100k-device tree each read is a miss). */
static inline uint32_t dmasim__id(const struct dmasim_topo *t,
				  const struct dmasim_device *d)
{
	return (uint32_t)(d - t->m.devices);
}

/* Helpers on the model shared by upstream.c and p2pdma.c. */
static inline const struct dmasim_device *
dmasim__dev(const struct dmasim_topo *t, uint32_t id)
{
	return id == DMASIM__NO_ID ? NULL : &t->m.devices[id];
}

/* pci_bridge_has_acs_redir() with the policy's bit set. */
static inline bool dmasim__has_acs_redir(const struct dmasim_device *d,
					 unsigned bits)
{
	return d->has_acs && (d->acs_ctrl & bits) != 0;
}

/* upstream.c */
bool dmasim__is_pcie(const struct dmasim_topo *t, const struct dmasim_device *d,
		     bool naive);
bool dmasim__is_multifunction(const struct dmasim_topo *t,
			      const struct dmasim_device *d, bool naive);
const struct dmasim_device *
dmasim__root_bus_ancestor(const struct dmasim_topo *t,
			  const struct dmasim_device *d, bool naive);
bool dmasim__iommu_present(const struct dmasim_topo *t, bool naive);
/* The device pci_host_bridge_dev()/pci_get_slot() yields under @rule. */
const struct dmasim_device *
dmasim__host_bridge_dev(const struct dmasim_topo *t,
			const struct dmasim_host_bridge *hb,
			enum dmasim_root_dev_rule rule, bool naive);
/* pci_find_common_upstream_dev() (KERNEL.md §1.1). */
const struct dmasim_device *
dmasim__seed_common_upstream(const struct dmasim_topo *t,
			     const struct dmasim_device *dev,
			     const struct dmasim_device *other, bool naive);
/* The p2pdma walk's common upstream device (§2.1). */
const struct dmasim_device *
dmasim__p2pdma_common_upstream(const struct dmasim_topo *t,
			       const struct dmasim_device *a,
			       const struct dmasim_device *b, bool naive);

#endif
