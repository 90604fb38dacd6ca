/*
 * dmasim -- private to src/kernel: the load-time index that makes the
 * p2pdma queries O(1), and the naive walks that the kernel performs.
 *
 * Index (built once by dmasim__lca_index_build, never changed after):
 *  - The common upstream device, in one of two modes.
 *    Label mode (when the paths fit in 59 bits and the tree is at most
 *    16 deep): every device gets a path label that spells its host
 *    bridge and then, level by level from the root bus down, its position
 *    among its siblings (1-based; 0 below its own depth), each level in a
 *    fixed bit field as wide as the widest fan-out at that depth needs.
 *    Two devices share exactly the levels above the highest bit in which
 *    their labels differ, so the depth of their common upstream device is
 *    a table lookup on that bit; the device itself is the ancestor at that
 *    depth of the one with the larger id (never the common device itself:
 *    ancestors come first in pre-order), kept in a row of ancestor ids
 *    per device.  A query reads two labels (4 bytes each when the paths
 *    fit in 27 bits: 400 KB for 100k devices, else 8) and, when there is
 *    a common device, one ancestor row; never a struct dmasim_device.
 *    Table mode (any other tree): from the DFS pre-order, for ids u < v
 *    every device with an id in (u, v] lies below LCA(u, v) and the
 *    shallowest of them are its children; a sparse table over keys
 *    depth << 25 | (DMASIM__ID_MASK - id) answers "shallowest, rightmost"
 *    in O(1), and its parent is the LCA.
 *  - ACS redirect with the built-in bit set RR|CR|EC: per device the depth
 *    + 1 of the deepest device on its root path (itself included) with
 *    such a bit (0: none).  The path a..L..b (L at depth dL) has a
 *    redirecting device iff max(top_a, top_b) > dL.  Other bit sets use
 *    per-bit counts from the root bus down: per bit, cnt(a) + cnt(b) -
 *    2 cnt(L) + bit(L) > 0 (at most 7 bits, O(1)).
 *  - per host bridge, the root devices the whitelist rules look at, for
 *    pci_find_common_upstream_dev a 256-entry table (the deepest bridge
 *    below the host bridge whose [secondary, subordinate] holds a bus),
 *    and for each built-in policy row the verdict of map_through_host_
 *    bridge (cpu_supports_p2pdma || whitelist), so that a query with a
 *    built-in policy (the object dmasim_policy_builtin() returns, not a
 *    copy) scans no table.
 */
#ifndef DMASIM_KERNEL_KERNEL_INT_H
#define DMASIM_KERNEL_KERNEL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "dmasim/p2pdma.h"
#include "model/topo_int.h"
#include "policy/policy_int.h"

#define DMASIM__ACS_NBITS 7
#define DMASIM__NO_ID UINT32_MAX
#define DMASIM__NROOTDEV 3 /* enum dmasim_root_dev_rule values */
#define DMASIM__ID_BITS 25
#define DMASIM__ID_MASK ((1u << DMASIM__ID_BITS) - 1)
/* pci_bridge_has_acs_redir()'s bits, RR|CR|EC: every built-in policy's */
#define DMASIM__REDIR_BITS (DMASIM_ACS_RR | DMASIM_ACS_CR | DMASIM_ACS_EC)

/* A path label, as a 64-bit word: the redirect top (0..17) in bits 59..63,
 * the path below it, from the host-bridge field down.  When the path fits
 * in 27 bits the index keeps only the high half of each label (4 bytes a
 * device: 400 KB for 100k devices, so that they stay in a 512 KB L2). */
#define DMASIM__LBL_TSHIFT 59
#define DMASIM__LBL_PATH (((uint64_t)1 << DMASIM__LBL_TSHIFT) - 1)
#define DMASIM__LBL_BITS 59
#define DMASIM__LBL32_BITS 27
#define DMASIM__ANC_MAX 16 /* widest ancestor row in label mode */

#if defined(__GNUC__)
#define DMASIM__NOINLINE __attribute__((noinline))
#else
#define DMASIM__NOINLINE
#endif

/* Verdict bits per host bridge (see dmasim__thru_verdict). */
#define DMASIM__THRU_SAME 1u
#define DMASIM__THRU_ANY 2u

/* Table mode: what a query reads of each of its two devices. */
struct dmasim__hot {
	uint32_t hb;          /* host bridge id */
	uint8_t depth;
	uint8_t redir_top;    /* as in the label */
};

enum dmasim__lca_mode {
	DMASIM__LCA_AUTO,     /* labels when they fit, else the table */
	DMASIM__LCA_TABLE,    /* the sparse table (tests) */
};

struct dmasim__lca_index {
	size_t n, nhb;
	/* label mode: labels; label32 when the paths fit in 27 bits, else
	 * label (read them with dmasim__lbl) */
	bool labels;
	uint64_t *label;
	uint32_t *label32;
	uint32_t *anc;        /* n rows of 1 << anc_shift ids: the ancestor at
			       * depth d < the device's depth */
	unsigned anc_shift;
	unsigned hb_shift;    /* label >> hb_shift: the host bridge id */
	uint8_t dc1_of_bit[64];   /* highest differing bit -> depth(LCA) + 1 */
	uint8_t depth_of_bit[64]; /* lowest set path bit -> depth */
	/* table mode */
	struct dmasim__hot *hot;
	uint32_t *parent;     /* parent id (DMASIM__NO_ID on a root bus) */
	uint32_t **st;        /* st[k][i]: the least key in [i, i + 2^k) */
	unsigned levels;
	/* both */
	uint8_t *redir;       /* ACS control bits when has_acs, else 0 */
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
	/* DMASIM__NPOLICY_BUILTINS rows of nhb dmasim__thru_verdict()s */
	uint8_t *verdict;
	const uint8_t *vrow[DMASIM__NPOLICY_BUILTINS + 1]; /* row k */
	/* per built-in row (and 0 for any other policy): label mode and the
	 * row is calc_map_type_and_dist() with RR|CR|EC */
	bool calc_label[DMASIM__NPOLICY_BUILTINS + 1];
	bool any_iommu;       /* iommu_present(&pci_bus_type) */
};

/* Rebuild @t's index in @mode (tests compare both modes). */
int dmasim__lca_index_build_mode(struct dmasim_topo *t,
				 enum dmasim__lca_mode mode,
				 struct dmasim_error *err);

static inline unsigned dmasim__clz64(uint64_t x) /* x != 0 */
{
#if defined(__GNUC__)
	return (unsigned)__builtin_clzll(x);
#else
	unsigned n = 0;
	while (!(x & ((uint64_t)1 << 63))) {
		x <<= 1;
		n++;
	}
	return n;
#endif
}

/* The index of the highest set bit (x != 0). */
static inline unsigned dmasim__msb64(uint64_t x)
{
	return 63u - dmasim__clz64(x);
}

static inline unsigned dmasim__ctz64(uint64_t x) /* x != 0 */
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(x);
#else
	unsigned n = 0;
	while (!(x & 1)) {
		x >>= 1;
		n++;
	}
	return n;
#endif
}

/* The id of @d without reading it: devices are one array.  The indexed
 * queries use this so that they never touch a struct dmasim_device (224
 * bytes, 4 cache lines: on a 100k-device tree each read is a miss). */
static inline uint32_t dmasim__id(const struct dmasim_topo *t,
				  const struct dmasim_device *d)
{
	return (uint32_t)(d - t->m.devices);
}

static inline const struct dmasim_device *
dmasim__dev(const struct dmasim_topo *t, uint32_t id)
{
	return id == DMASIM__NO_ID ? NULL : &t->m.devices[id];
}

/* What the p2pdma walk needs of a pair, from the index alone. */
struct dmasim__pair {
	unsigned dc1;         /* depth of the common upstream device + 1;
			       * 0: there is none */
	unsigned da, db;      /* depths */
	unsigned ra, rb;      /* redirect tops (RR|CR|EC) */
	uint32_t ha, hb;      /* host bridge ids */
};

/* lca.c: the table mode's queries. */
void dmasim__pair_table(const struct dmasim__lca_index *ix, uint32_t ia,
			uint32_t ib, struct dmasim__pair *p);
uint32_t dmasim__lca_table(const struct dmasim__lca_index *ix, uint32_t ia,
			   uint32_t ib);
uint32_t dmasim__child_table(const struct dmasim__lca_index *ix, uint32_t il,
			     uint32_t iu);

/* Device @i's label as a 64-bit word (label mode). */
static inline uint64_t dmasim__lbl(const struct dmasim__lca_index *ix,
				   uint32_t i)
{
	return ix->label32 ? (uint64_t)ix->label32[i] << 32 : ix->label[i];
}

static inline unsigned dmasim__lbl_depth(const struct dmasim__lca_index *ix,
					 uint64_t l)
{
	return ix->depth_of_bit[dmasim__ctz64(l & DMASIM__LBL_PATH)];
}

static inline void dmasim__pair_info(const struct dmasim_topo *t, uint32_t ia,
				     uint32_t ib, struct dmasim__pair *p)
{
	const struct dmasim__lca_index *ix = t->lca;
	uint64_t la, lb, x;

	if (!ix->labels) {
		dmasim__pair_table(ix, ia, ib, p);
		return;
	}
	la = dmasim__lbl(ix, ia);
	lb = dmasim__lbl(ix, ib);
	x = (la ^ lb) & DMASIM__LBL_PATH;
	p->da = dmasim__lbl_depth(ix, la);
	p->db = dmasim__lbl_depth(ix, lb);
	p->dc1 = x ? ix->dc1_of_bit[dmasim__msb64(x)] : p->da + 1;
	p->ra = (unsigned)(la >> DMASIM__LBL_TSHIFT);
	p->rb = (unsigned)(lb >> DMASIM__LBL_TSHIFT);
	p->ha = (uint32_t)((la & DMASIM__LBL_PATH) >> ix->hb_shift);
	p->hb = (uint32_t)((lb & DMASIM__LBL_PATH) >> ix->hb_shift);
}

/* The common upstream device of @a and @b as the p2pdma walk finds it (the
 * deepest common ancestor-or-self), or NULL.  O(1), reads no device. */
static inline const struct dmasim_device *
dmasim__lca(const struct dmasim_topo *t, const struct dmasim_device *a,
	    const struct dmasim_device *b)
{
	const struct dmasim__lca_index *ix = t->lca;
	uint32_t ia = dmasim__id(t, a), ib = dmasim__id(t, b), im;
	unsigned dc1;

	if (ia == ib)
		return a;
	if (!ix->labels)
		return dmasim__dev(t, dmasim__lca_table(ix, ia, ib));
	im = ia > ib ? ia : ib;
	dc1 = ix->dc1_of_bit[dmasim__msb64((dmasim__lbl(ix, ia) ^ dmasim__lbl(ix, ib)) &
					   DMASIM__LBL_PATH)];
	if (!dc1)
		return NULL;
	/* dc1 - 1 < depth(im) <= the row width */
	return &t->m.devices[ix->anc[((size_t)im << ix->anc_shift) + dc1 - 1]];
}

/* 1 + the depth of the common upstream device of @ia != @ib, or 0. */
static inline unsigned dmasim__lca_depth1(const struct dmasim_topo *t,
					  uint32_t ia, uint32_t ib)
{
	struct dmasim__pair p;

	dmasim__pair_info(t, ia, ib, &p);
	return p.dc1;
}

/* The child of @l on the way down to @u (@u strictly below @l). */
static inline const struct dmasim_device *
dmasim__child_toward(const struct dmasim_topo *t, const struct dmasim_device *l,
		     const struct dmasim_device *u)
{
	const struct dmasim__lca_index *ix = t->lca;
	uint32_t il = dmasim__id(t, l), iu = dmasim__id(t, u);
	unsigned d;

	if (!ix->labels)
		return &t->m.devices[dmasim__child_table(ix, il, iu)];
	d = dmasim__lbl_depth(ix, dmasim__lbl(ix, il)) + 1;
	if (d == dmasim__lbl_depth(ix, dmasim__lbl(ix, iu)))
		return u;
	return &t->m.devices[ix->anc[((size_t)iu << ix->anc_shift) + d]];
}

/* Any device on the path a..l..b (l once) with has_acs && ctrl & bits. */
bool dmasim__path_redirects(const struct dmasim_topo *t,
			    const struct dmasim_device *a,
			    const struct dmasim_device *b,
			    const struct dmasim_device *l, unsigned bits);

/* pci_bridge_has_acs_redir() with the policy's bit set. */
static inline bool dmasim__has_acs_redir(const struct dmasim_device *d,
					 unsigned bits)
{
	return d->has_acs && (d->acs_ctrl & bits) != 0;
}

/* p2pdma.c: map_through_host_bridge's verdict for host bridge @hb under
 * @p: DMASIM__THRU_SAME when cpu_supports_p2pdma() or the whitelist lets
 * two devices below @hb through, DMASIM__THRU_ANY when it also lets one
 * below @hb and one below another host bridge with DMASIM__THRU_ANY
 * through.  @naive: look the root device up without the index. */
unsigned dmasim__thru_verdict(const struct dmasim_topo *t,
			      const struct dmasim_policy *p, uint32_t hb,
			      bool naive);

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
/* pci_find_common_upstream_dev() (the 2018 series, patch 2/8, drivers/pci/search.c). */
const struct dmasim_device *
dmasim__seed_common_upstream(const struct dmasim_topo *t,
			     const struct dmasim_device *dev,
			     const struct dmasim_device *other, bool naive);
/* The p2pdma walk's common upstream device (drivers/pci/p2pdma.c). */
const struct dmasim_device *
dmasim__p2pdma_common_upstream(const struct dmasim_topo *t,
			       const struct dmasim_device *a,
			       const struct dmasim_device *b, bool naive);

#endif
