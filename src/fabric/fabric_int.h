/*
 * dmasim -- private to the fabric layer: the load-time decode index.
 *
 * Built once by dmasim__decode_index_build() (called at the end of
 * dmasim__topo_finalize) and read-only afterwards, so that every address
 * decode is a binary search in a sorted, non-overlapping interval table and
 * no request allocates.
 *
 * Tables:
 *  - one "child list" per bridge and per root bus: what the bus below it
 *    decodes, i.e. the windows of every child bridge and the BARs of every
 *    child function, in bus addresses, sorted by base;
 *  - per host bridge, its outbound windows sorted by CPU address and its
 *    inbound dma_ranges sorted by bus address;
 *  - the global CPU memory map: RAM (adjacent ranges merged) and every host
 *    bridge's outbound windows, sorted by CPU address (the MSI doorbell is
 *    checked first, separately, because it may lie inside another range);
 *  - per device, its index among the switch downstream ports of its parent
 *    (the bit it has in a sibling's ACS egress control vector).
 */
#ifndef DMASIM_FABRIC_INT_H
#define DMASIM_FABRIC_INT_H

#include <stdint.h>

#include "dmasim/fabric.h"
#include "model/topo_int.h"

/* One decodable range on a bus: a child's window or a child's BAR. */
struct dmasim__dec_ent {
	uint64_t lo, hi;                   /* inclusive, bus addresses */
	const struct dmasim_device *dev;   /* the child that claims it */
	const struct dmasim_bar *bar;      /* NULL: a window of @dev */
};

/* A BAR in the flat CPU-address map. */
struct dmasim__bar_ent {
	uint64_t lo, hi;                   /* inclusive, CPU addresses */
	const struct dmasim_bar *bar;
	const struct dmasim_device *dev;
	const struct dmasim_host_bridge *hb; /* dev->hb, without reading dev */
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

	/* Memory map: all host bridges' windows and RAM. */
	struct dmasim__cpu_ent *cpu;
	size_t ncpu;
	/* Per host bridge h: its windows are hbwin[hbwin_list[h]], sorted by
	 * CPU address (a subset of @cpu kept apart for per-bridge lookups). */
	struct dmasim__cpu_ent *hbwin;
	struct dmasim__dec_list *hbwin_list;
	/* Per host bridge h: inbound ranges in[in_list[h]], sorted by bus. */
	struct dmasim__in_ent *in;
	struct dmasim__dec_list *in_list;

	/* Every BAR of the machine by CPU address (BARs never overlap):
	 * bar_key[i] = bars[i].lo in 64-byte lines of 8 keys, and bar_top[j]
	 * = bar_key[8j], small enough to stay cached: a lookup is a search
	 * in bar_top and a scan of one line of bar_key. */
	uint64_t *bar_key;
	uint64_t *bar_top;
	size_t ntop;
	struct dmasim__bar_ent *bars;
	size_t nbars;

	/* Per device: index among its parent's switch downstream ports
	 * (UINT32_MAX when it is not a switch downstream port). */
	uint32_t *dsp_index;

	size_t ndevs, nhbs;
	size_t bytes; /* total heap bytes of the index */
};

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

/* The BAR whose CPU range holds @a, or NULL.  O(log n), one search. */
const struct dmasim__bar_ent *
dmasim__bar_lookup(const struct dmasim__decode_index *idx, uint64_t a);

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
