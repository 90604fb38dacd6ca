/*
 * dmasim -- the common upstream device, as the p2pdma walk finds it
 * (drivers/pci/p2pdma.c, upstream_bridge_distance) and as the 2018 proposal's
 * pci_find_common_upstream_dev() finds it (2018 proposal), each both as the
 * kernel's literal walk (naive) and through the load-time index.
 */
#include "kernel/kernel_int.h"

/* pci_upstream_bridge(): NULL on a root bus, else bus->self.  (The model
 * has no VFs, so pci_physfn() is the identity.) */
static const struct dmasim_device *upstream_bridge(const struct dmasim_device *d)
{
	return d->parent;
}

static bool use_index(const struct dmasim_topo *t, bool naive)
{
	return !naive && t->lca != NULL;
}

bool dmasim__is_pcie(const struct dmasim_topo *t, const struct dmasim_device *d,
		     bool naive)
{
	const struct dmasim_device *p;

	if (use_index(t, naive))
		return t->lca->pcie[d->id];
	/* Below a PCIe-to-PCI bridge the bus is conventional PCI: devices
	 * there have no PCI Express capability. */
	for (p = d->parent; p; p = p->parent)
		if (p->type == DMASIM_DEV_PCI_BRIDGE)
			return false;
	return true;
}

bool dmasim__is_multifunction(const struct dmasim_topo *t,
			      const struct dmasim_device *d, bool naive)
{
	if (use_index(t, naive))
		return t->lca->multifunction[d->id];
	return (d->devfn & 7) != 0 || dmasim_device_is_multifunction(d);
}

const struct dmasim_device *
dmasim__root_bus_ancestor(const struct dmasim_topo *t,
			  const struct dmasim_device *d, bool naive)
{
	if (use_index(t, naive))
		return &t->m.devices[t->lca->root[d->id]];
	while (d->parent)
		d = d->parent;
	return d;
}

bool dmasim__iommu_present(const struct dmasim_topo *t, bool naive)
{
	size_t i;

	if (use_index(t, naive))
		return t->lca->any_iommu;
	for (i = 0; i < t->m.nhost_bridges; i++)
		if (t->m.host_bridges[i].iommu)
			return true;
	return false;
}

const struct dmasim_device *
dmasim__host_bridge_dev(const struct dmasim_topo *t,
			const struct dmasim_host_bridge *hb,
			enum dmasim_root_dev_rule rule, bool naive)
{
	const struct dmasim_device *first = NULL, *slot0 = NULL;
	size_t i;

	if (use_index(t, naive)) {
		first = dmasim__dev(t, t->lca->hb_first[hb->id]);
		slot0 = dmasim__dev(t, t->lca->hb_slot0[hb->id]);
	} else {
		/* The kernel scans a bus in devfn order, so the first entry
		 * of bus->devices is the lowest devfn. */
		for (i = 0; i < hb->ndevices; i++) {
			const struct dmasim_device *d = hb->devices[i];
			if (!first || d->devfn < first->devfn)
				first = d;
			if (d->devfn == 0)
				slot0 = d;
		}
	}
	switch (rule) {
	case DMASIM_ROOTDEV_SLOT_00_0:
		return slot0;
	case DMASIM_ROOTDEV_FIRST_IF_00_0:
		return first && first->devfn == 0 ? first : NULL;
	case DMASIM_ROOTDEV_FIRST_00_0_OR_RP:
		return first && (first->devfn == 0 ||
				 first->type == DMASIM_DEV_ROOT_PORT) ? first : NULL;
	}
	return NULL;
}

/* ---- pci_find_common_upstream_dev (2018 proposal) -------------------------- */

/* The bus-number range of the bus @p sits on: its parent bridge's
 * [secondary, subordinate], or the host bridge's range on a root bus. */
static bool bus_range_holds(const struct dmasim_device *p, unsigned bus)
{
	if (p->parent)
		return bus >= p->parent->secondary && bus <= p->parent->subordinate;
	return bus >= p->hb->bus_first && bus <= p->hb->bus_last;
}

static const struct dmasim_device *
seed_walk(const struct dmasim_device *dev, const struct dmasim_device *other)
{
	const struct dmasim_device *p;

	/* Only bus numbers are compared: segments are ignored. */
	for (p = dev; p; p = upstream_bridge(p))
		if (bus_range_holds(p, other->bus))
			return p;
	return NULL;
}

/*
 * Indexed: the walk returns the first p whose parent bridge's range holds
 * the bus x, i.e. the child (towards dev) of B = the deepest strict
 * ancestor of dev whose [secondary, subordinate] holds x.  Ranges nest and
 * siblings' ranges are disjoint (checked at load), so the bridges holding
 * x are exactly the ancestors of cover[x], the deepest of them, and B is
 * LCA(parent(dev), cover[x]).  Without such a B, the root bus's range
 * (the host bridge's) decides.
 */
static const struct dmasim_device *
seed_indexed(const struct dmasim_topo *t, const struct dmasim_device *dev,
	     const struct dmasim_device *other)
{
	const struct dmasim_device *c, *b = NULL;
	unsigned x = other->bus;

	c = dmasim__dev(t, t->lca->cover[(size_t)dev->hb->id * 256 + x]);
	if (c && dev->parent)
		b = dmasim__lca(t, dev->parent, c);
	if (b)
		return b == dev->parent ? dev : dmasim__child_toward(t, b, dev);
	if (x >= dev->hb->bus_first && x <= dev->hb->bus_last)
		return &t->m.devices[t->lca->root[dev->id]];
	return NULL;
}

const struct dmasim_device *
dmasim__seed_common_upstream(const struct dmasim_topo *t,
			     const struct dmasim_device *dev,
			     const struct dmasim_device *other, bool naive)
{
	if (use_index(t, naive))
		return seed_indexed(t, dev, other);
	return seed_walk(dev, other);
}

/* ---- the p2pdma walk (drivers/pci/p2pdma.c) ------------------------------------ */

const struct dmasim_device *
dmasim__p2pdma_common_upstream(const struct dmasim_topo *t,
			       const struct dmasim_device *a,
			       const struct dmasim_device *b, bool naive)
{
	const struct dmasim_device *aa, *bb;

	if (use_index(t, naive))
		return dmasim__lca(t, a, b);
	for (aa = a; aa; aa = upstream_bridge(aa))
		for (bb = b; bb; bb = upstream_bridge(bb))
			if (aa == bb)
				return aa;
	return NULL;
}

static DMASIM__NOINLINE const struct dmasim_device *
upstream_slow(const struct dmasim_topo *topo, const struct dmasim_policy *policy,
	      const struct dmasim_device *a, const struct dmasim_device *b,
	      unsigned flags)
{
	bool naive = (flags & DMASIM_P2P_NAIVE) != 0;

	if (!topo || !a || !b)
		return NULL;
	if (policy->upstream == DMASIM_UPSTREAM_SEED2018)
		return dmasim__seed_common_upstream(topo, a, b, naive);
	return dmasim__p2pdma_common_upstream(topo, a, b, naive);
}

/*
 * The p2pdma walk in label mode is dmasim__lca() inline here, without a
 * stack frame: two labels, and the ancestor row only when there is a
 * common device.  (Prefetching the row before the labels are in was
 * slower on random pairs: most have none, and the rows are 3.2 MB at
 * 100k devices, so every prefetch pushed labels out of the L2.)
 */
const struct dmasim_device *
dmasim_p2p_upstream(const struct dmasim_topo *topo,
		    const struct dmasim_policy *policy,
		    const struct dmasim_device *a,
		    const struct dmasim_device *b, unsigned flags)
{
	const struct dmasim__lca_index *ix;
	uint32_t ia, ib, im;
	unsigned dc1;

	if (!policy)
		policy = dmasim__policy_default();
	if (flags != 0 || !topo || !a || !b || !(ix = topo->lca) || !ix->labels ||
	    policy->upstream != DMASIM_UPSTREAM_P2PDMA)
		return upstream_slow(topo, policy, a, b, flags);
	ia = dmasim__id(topo, a);
	ib = dmasim__id(topo, b);
	if (ia == ib)
		return a;
	im = ia > ib ? ia : ib;
	dc1 = ix->dc1_of_bit[dmasim__msb64((dmasim__lbl(ix, ia) ^ dmasim__lbl(ix, ib)) &
					   DMASIM__LBL_PATH)];
	if (!dc1)
		return NULL;
	return &topo->m.devices[ix->anc[((size_t)im << ix->anc_shift) + dc1 - 1]];
}
