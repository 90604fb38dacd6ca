/*
 * dmasim -- private to the fabric layer: the load-time decode index.
 *
 * Built once by dmasim__decode_index_build() (called at the end of
 * dmasim__topo_finalize) and read-only afterwards, so that every address
 * decode is a search in a sorted, non-overlapping table and no request
 * allocates.  docs/fabric.md ("The decode index") says how a route uses
 * each table.
 *
 * Tables:
 *  - one "child list" per bridge and per root bus: what the bus below it
 *    decodes, i.e. the windows of every child bridge and the BARs of every
 *    child function, in bus addresses, sorted by base (the exact rules);
 *  - per host bridge, its BARs by bus address (a static search tree over
 *    lines of two entries), its outbound windows sorted by CPU address and
 *    its inbound dma_ranges sorted by bus address;
 *  - the global CPU memory map: RAM (adjacent ranges merged) and every host
 *    bridge's outbound windows, sorted by CPU address, with a search tree
 *    (the MSI doorbell is checked first, separately, because it may lie
 *    inside another range);
 *  - per bridge, a node (type, ACS bits, default hop, trigger hulls) and a
 *    path block (the cover of the triggers up to its root port, then its
 *    node and its ancestors' up to the root bus);
 *  - per device, a requester record (its parent's path, IOMMU group and
 *    domain, host bridge) and its index among the switch downstream ports
 *    of its parent (the bit it has in a sibling's ACS egress control
 *    vector).
 */
#ifndef DMASIM_FABRIC_INT_H
#define DMASIM_FABRIC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dmasim/fabric.h"
#include "model/topo_int.h"

/* One decodable range on a bus: a child's window or a child's BAR. */
struct dmasim__dec_ent {
	uint64_t lo, hi;                   /* inclusive, bus addresses */
	const struct dmasim_device *dev;   /* the child that claims it */
	const struct dmasim_bar *bar;      /* NULL: a window of @dev */
};

/* A bridge's routing record, one cache line: what the upward walk reads
 * at a port, so that a route never reads a struct dmasim_device on its
 * common path.  A port's rule (2 or 3) depends on the address only when
 * it lies in its trigger hulls (two intervals, a cover of everything the
 * rule compares the address with); elsewhere the port sends the request
 * up with hop action @act. */
#define DMASIM__NO_NODE UINT32_MAX
#define DMASIM__N_RR     0x01u /* a switch downstream port with ACS RR */
#define DMASIM__N_UF     0x02u /* has ACS and UF in its control */
#define DMASIM__N_EC     0x04u /* has ACS and EC in its control */
#define DMASIM__N_EGRESS 0x08u /* an egress control vector was given */
/* Two intervals [lo[i], hi[i]]; an empty one is lo 1, hi 0. */
struct dmasim__hull2 {
	uint64_t lo[2], hi[2];
};

static inline bool dmasim__hull2_has(const struct dmasim__hull2 *h, uint64_t a)
{
	return (a >= h->lo[0] && a <= h->hi[0]) |
	       (a >= h->lo[1] && a <= h->hi[1]);
}

struct dmasim__node {
	struct dmasim__hull2 trig; /* trigger hulls */
	const struct dmasim_device *dev;
	uint32_t id;         /* device id */
	uint32_t parent;     /* node of the parent; DMASIM__NO_NODE: root bus */
	uint32_t egress;     /* ACS egress control vector */
	uint8_t type;        /* enum dmasim_dev_type */
	uint8_t flags;       /* DMASIM__N_* */
	uint8_t depth;       /* the device's depth (root bus: 0) */
	uint8_t act;         /* enum dmasim_hop_action outside the hulls */
	uint8_t pad[8];
};

/* Is @a in node @n's trigger hulls? */
static inline bool dmasim__node_trigger(const struct dmasim__node *n, uint64_t a)
{
	return dmasim__hull2_has(&n->trig, a);
}

/* The cover of the trigger hulls of the node at path offset @o and of
 * every node above it that the upward walk reaches (@o > 0): outside it,
 * the walk from there is one default hop per node (node_act, node_dev)
 * and reads no node. */
#define dmasim__path_cover(idx, o) \
	((const struct dmasim__hull2 *)(const void *)((idx)->path + (o) - 8))

/* node_act[n]: the hop action of node n outside its trigger hulls, with
 * DMASIM__ACT_LAST when the upward walk ends there (a root port). */
#define DMASIM__ACT_LAST 0x80u

/* A BAR in its host bridge's bus-address map: two to a 64-byte line,
 * the leaves of the map's search tree. */
struct dmasim__bar_ent {
	uint64_t lo, hi;     /* inclusive, bus addresses */
	uint32_t bar;        /* index in the topology's BAR array */
	uint32_t dev;        /* device id */
	uint32_t path;       /* the bus it sits on: the path of its
			      * device's parent (0: the root bus) */
	uint32_t npath;      /* nodes on that path (the device's depth) */
};

/* What a route needs of its requester: 16 bytes per device, a dense
 * array, instead of a line of the (much larger) device array. */
struct dmasim__req {
	uint32_t path;       /* the path of its parent (0: on a root bus) */
	uint32_t group;      /* iommu_group */
	uint32_t hb;         /* host bridge id */
	uint8_t domain;      /* enum dmasim_domain_type */
	uint8_t pad[3];
};

/* A static search tree over sorted keys (the bases of the memory map's
 * ranges; of every other BAR of one host bridge, the first of each line
 * of entries): level 0 holds the keys, level L+1 every 8th key of level
 * L, each level padded with UINT64_MAX to whole 64-byte lines of 8 keys;
 * the top level is one line.  A lookup reads one line per level.  The
 * keys of every tree are in the index's tkeys. */
#define DMASIM__TREE_MAXLEV 12
struct dmasim__bar_tree {
	uint32_t first;      /* BAR maps: the first entry (bents, even) */
	uint32_t nents;      /* BAR maps: the entries (BARs) */
	uint32_t n;          /* level 0 keys */
	uint32_t nlev;
	uint32_t off[DMASIM__TREE_MAXLEV]; /* level L's keys: tkeys + off[L] */
	uint32_t len[DMASIM__TREE_MAXLEV]; /* ... and how many */
};

/* A slice [first, first + n) of the entry array. */
struct dmasim__dec_list {
	uint32_t first, n;
};

enum dmasim__cpu_kind {
	DMASIM__CPU_RAM,
	DMASIM__CPU_HB_WINDOW,
};

/* One range of the CPU physical memory map. */
struct dmasim__cpu_ent {
	uint64_t lo, hi;                        /* inclusive, CPU addresses */
	enum dmasim__cpu_kind kind;
	const struct dmasim_host_bridge *hb;    /* HB_WINDOW */
	const struct dmasim_hb_window *win;     /* HB_WINDOW */
};

/* An inbound dma_range, sorted by bus address. */
struct dmasim__in_ent {
	uint64_t lo, hi;                        /* inclusive, bus addresses */
	const struct dmasim_dma_range *dr;
};

struct dmasim__decode_index {
	/* Child lists: slot d for device d's secondary bus, slot ndevs + h
	 * for the root bus of host bridge h. */
	struct dmasim__dec_list *lists;
	struct dmasim__dec_ent *ents;
	size_t nents;

	/* Memory map: all host bridges' windows and RAM, sorted, searched
	 * through cpu_tree. */
	struct dmasim__cpu_ent *cpu;
	struct dmasim__bar_tree cpu_tree;
	size_t ncpu;
	/* Per host bridge h: its windows are hbwin[hbwin_list[h]], sorted by
	 * CPU address (a subset of @cpu kept apart for per-bridge lookups). */
	struct dmasim__cpu_ent *hbwin;
	struct dmasim__dec_list *hbwin_list;
	/* Per host bridge h: inbound ranges in[in_list[h]], sorted by bus. */
	struct dmasim__in_ent *in;
	struct dmasim__dec_list *in_list;

	/* Per host bridge h, its BARs by bus address: trees[h] searches
	 * tkeys and leads to a line of bents (both 64-byte aligned; each
	 * host bridge's entries start a line). */
	struct dmasim__bar_tree *trees;
	uint64_t *tkeys;
	struct dmasim__bar_ent *bents;
	size_t nbars;

	/* Routing records of every device that has or may have children
	 * (every type but endpoint), and each node's device (dense, for
	 * the descent). */
	struct dmasim__node *nodes;
	const struct dmasim_device **node_dev;
	uint8_t *node_act;
	size_t nnodes;
	/* Paths to the root bus, so that a walk reads the nodes of all the
	 * ports it passes independently (not one parent link after the
	 * other): path + o lists a node, its parent's node, ... and ends
	 * with DMASIM__NO_NODE; path[0] alone is a root bus.  Each node's
	 * path starts 8 slots into a 64-byte aligned block whose first 32
	 * bytes are its cover (dmasim__path_cover), so that the upward walk
	 * finds both in one line. */
	uint32_t *path;
	size_t npath;
	/* Per device, what a route from it reads (not the device itself). */
	struct dmasim__req *reqs;

	/* The model's arrays, to turn ids into pointers. */
	const struct dmasim_device *devs;
	const struct dmasim_host_bridge *hbs;
	const struct dmasim_bar *bar0;

	/* Per device: index among its parent's switch downstream ports
	 * (UINT32_MAX when it is not a switch downstream port). */
	uint32_t *dsp_index;

	size_t ndevs, nhbs;
	size_t bytes; /* total heap bytes of the index */
};

/* Whether an IOMMU of type @t takes a request to the machine's MSI window
 * as an interrupt, untranslated (VT-d, AMD-Vi), rather than as an IOVA
 * (route.c, docs/fabric.md). */
bool dmasim__iommu_msi_is_interrupt(enum dmasim_iommu_type t);

/* The entry of child list @slot that holds @a, or NULL. O(log n). */
const struct dmasim__dec_ent *
dmasim__dec_lookup(const struct dmasim__decode_index *idx, size_t slot,
		   uint64_t a);

/* The memory-map entry that holds CPU address @a, or NULL. O(log n). */
const struct dmasim__cpu_ent *
dmasim__cpu_lookup(const struct dmasim__decode_index *idx, uint64_t a);

/* The host bridge @hb's inbound range holding bus address @a, or NULL. */
const struct dmasim__in_ent *
dmasim__inbound_lookup(const struct dmasim__decode_index *idx,
		       const struct dmasim_host_bridge *hb, uint64_t a);

/* The host bridge @hb's outbound window holding CPU address @a, or NULL. */
const struct dmasim__cpu_ent *
dmasim__hb_window_lookup(const struct dmasim__decode_index *idx,
			 const struct dmasim_host_bridge *hb, uint64_t a);

/* The position in tree @t of the last key <= @a; SIZE_MAX when every key
 * is above @a. */
static inline size_t dmasim__tree_find(const uint64_t *tkeys,
				       const struct dmasim__bar_tree *t,
				       uint64_t a)
{
	size_t pos = 0;
	int L;

	if (!t->n || tkeys[t->off[t->nlev - 1]] > a)
		return SIZE_MAX;
	if (a == UINT64_MAX) /* every key is <= a (the padding too) */
		return t->n - 1;
	/* In each line, the last key <= @a (its first key is: the key
	 * above it was), a branch-free binary search of 3 steps; the
	 * padding is above @a. */
	for (L = (int)t->nlev - 1; L >= 0; L--) {
		const uint64_t *k = tkeys + t->off[L] + pos * 8;
		size_t j = k[4] <= a ? 4 : 0;

		j += k[j + 2] <= a ? 2 : 0;
		j += k[j + 1] <= a ? 1 : 0;
		pos = pos * 8 + j;
	}
	return pos;
}

/* The BAR of host bridge @hb (its id) whose bus range holds @a, or
 * NULL.  O(log n): one 64-byte line per tree level, then one line of two
 * entries. */
static inline const struct dmasim__bar_ent *
dmasim__bar_find(const struct dmasim__decode_index *idx, size_t hb, uint64_t a)
{
	const struct dmasim__bar_tree *t = &idx->trees[hb];
	const struct dmasim__bar_ent *e;
	size_t pos = dmasim__tree_find(idx->tkeys, t, a);

	if (pos == SIZE_MAX)
		return NULL;
	e = &idx->bents[t->first + 2 * pos];
	/* the second of the line when it exists and starts at or below
	 * @a; branch-free (either is as likely) */
	e += (size_t)((2 * pos + 1 < t->nents) & (e[1].lo <= a));
	return a <= e->hi ? e : NULL;
}

/* Slot of the child list below @dev, or of @hb's root bus. */
static inline size_t dmasim__slot_dev(const struct dmasim__decode_index *idx,
				      const struct dmasim_device *dev)
{
	(void)idx;
	return dev->id;
}

static inline size_t dmasim__slot_hb(const struct dmasim__decode_index *idx,
				     const struct dmasim_host_bridge *hb)
{
	return idx->ndevs + hb->id;
}

/* The decode index of @topo (never NULL after a successful load). */
static inline const struct dmasim__decode_index *
dmasim__topo_decode(const struct dmasim_topo *topo)
{
	return topo->decode;
}

#endif
