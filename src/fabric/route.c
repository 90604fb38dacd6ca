/*
 * dmasim -- route a memory request (TLP) hop by hop to where it lands.
 *
 * The rules are those of docs/fabric.md, which
 * describes them.  Upward: each port the request enters from below applies
 * rule 2 (switch downstream port: ACS RR, sibling windows with ACS Egress
 * Control, own window with ACS UF) or rule 3 (switch upstream port, legacy
 * bridge); a root port hands it to the root complex.  At the root complex
 * the requester's IOMMU domain or the inbound dma_ranges turn it into a CPU
 * address, which the memory map decodes (RAM, MSI, a host-bridge window for
 * root-complex P2P, or nothing).  Downward: each bus's child list (the decode
 * index) says which child window or BAR claims the address.  Every lookup
 * is a search in the load-time index; nothing is allocated.  The common
 * paths take shortcuts that the index makes exact (docs/fabric.md): ports
 * whose rule cannot look at the address are one hop each, read from dense
 * arrays; a descent onto a BAR is one BAR-map search and the BAR's path.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fabric/fabric_int.h"

/* ---- names -------------------------------------------------------------- */

static const char *const fault_names[DMASIM_FAULT_COUNT] = {
	[DMASIM_FAULT_NONE] = "none",
	[DMASIM_FAULT_MAPPING_ERROR] = "mapping-error",
	[DMASIM_FAULT_NOT_SUPPORTED] = "not-supported",
	[DMASIM_FAULT_INVALID_ADDRESS] = "invalid-address",
	[DMASIM_FAULT_UNSUPPORTED_REQUEST] = "unsupported-request",
	[DMASIM_FAULT_IOMMU_FAULT] = "iommu-fault",
	[DMASIM_FAULT_RC_P2P_BLOCKED] = "rc-p2p-blocked",
	[DMASIM_FAULT_MSI_WRITE] = "msi-write",
	[DMASIM_FAULT_OUTSIDE_INBOUND_WINDOW] = "outside-inbound-window",
};

static const char *const hop_names[DMASIM_HOP_ACTION_COUNT] = {
	[DMASIM_HOP_UP] = "up",
	[DMASIM_HOP_ACS_REDIRECT] = "acs-redirect",
	[DMASIM_HOP_ACS_UF] = "acs-uf",
	[DMASIM_HOP_SIBLING] = "sibling",
	[DMASIM_HOP_IOMMU] = "iommu",
	[DMASIM_HOP_IDENTITY] = "identity",
	[DMASIM_HOP_INBOUND] = "inbound",
	[DMASIM_HOP_RC_P2P] = "rc-p2p",
	[DMASIM_HOP_DOWN] = "down",
	[DMASIM_HOP_BAR] = "bar",
	[DMASIM_HOP_RAM] = "ram",
	[DMASIM_HOP_FAULT] = "fault",
	[DMASIM_HOP_INTER_SOCKET] = "inter-socket",
};

const char *dmasim_fault_name(enum dmasim_fault f)
{
	if ((unsigned)f >= DMASIM_FAULT_COUNT)
		return "?";
	return fault_names[f];
}

enum dmasim_fault dmasim_fault_parse(const char *name)
{
	unsigned i;

	if (!name)
		return DMASIM_FAULT_COUNT;
	for (i = 0; i < DMASIM_FAULT_COUNT; i++)
		if (strcmp(name, fault_names[i]) == 0)
			return (enum dmasim_fault)i;
	return DMASIM_FAULT_COUNT;
}

const char *dmasim_hop_action_name(enum dmasim_hop_action a)
{
	if ((unsigned)a >= DMASIM_HOP_ACTION_COUNT)
		return "?";
	return hop_names[a];
}

int dmasim_landing_snprintf(char *buf, size_t size,
			    const struct dmasim_landing *l)
{
	switch (l->kind) {
	case DMASIM_LAND_BAR:
		if (l->offset == 0)
			return snprintf(buf, size, "%s.bar%u", l->dev->name,
					l->bar->index);
		return snprintf(buf, size, "%s.bar%u + 0x%llx", l->dev->name,
				l->bar->index, (unsigned long long)l->offset);
	case DMASIM_LAND_RAM:
		return snprintf(buf, size, "ram 0x%llx", (unsigned long long)l->cpu);
	case DMASIM_LAND_FAULT:
	default:
		return snprintf(buf, size, "%s", dmasim_fault_name(l->fault));
	}
}

/* ---- the walk ------------------------------------------------------------ */

struct rctx {
	const struct dmasim__decode_index *idx;
	const struct dmasim_machine *m;
	struct dmasim_landing *land;
	char *why;               /* WHY_SIZE bytes */
	struct dmasim_hop *hops; /* NULL: not recorded (dmasim_decode_cpu) */
	size_t nhops;
	uint64_t size;
	bool write;
};

#define WHY_SIZE sizeof(((struct dmasim_route *)0)->why)

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

/* Record a hop at port @dev or root complex @hb (@hb: the host bridge the
 * hop is in, also for a port). */
static inline void hop(struct rctx *c, enum dmasim_hop_action a,
		       const struct dmasim_device *dev,
		       const struct dmasim_host_bridge *hb, uint64_t addr,
		       uint64_t addr_out)
{
	struct dmasim_hop *h;

	if (!c->hops || c->nhops >= DMASIM_ROUTE_MAX_HOPS)
		return;
	h = &c->hops[c->nhops++];
	h->action = a;
	h->dev = dev;
	h->hb = hb;
	h->addr = addr;
	h->addr_out = addr_out;
}

/* A hop where the address passes unchanged, at @p (no bound check). */
static inline void put_hop(struct dmasim_hop *hp, enum dmasim_hop_action a,
			   const struct dmasim_device *p,
			   const struct dmasim_host_bridge *hb, uint64_t addr)
{
	hp->action = a;
	hp->dev = p;
	hp->hb = hb;
	hp->addr = addr;
	hp->addr_out = addr;
}

_Static_assert(DMASIM_MAX_DEPTH + 1 < DMASIM_ROUTE_MAX_HOPS,
	       "the upward walk writes its hops without a bound check");

/* The route ends in fault @f at @dev (a port) or @hb (a root complex).
 * The only place that formats text: a route that lands never does. */
__attribute__((format(printf, 6, 7), noinline, cold))
static void fault(struct rctx *c, enum dmasim_fault f,
		  const struct dmasim_device *dev,
		  const struct dmasim_host_bridge *hb, uint64_t addr,
		  const char *fmt, ...)
{
	va_list ap;

	hop(c, DMASIM_HOP_FAULT, dev, dev ? dev->hb : hb, addr, addr);
	c->land->kind = DMASIM_LAND_FAULT;
	c->land->fault = f;
	va_start(ap, fmt);
	vsnprintf(c->why, WHY_SIZE, fmt, ap);
	va_end(ap);
}

static uint64_t last_of(const struct rctx *c, uint64_t a)
{
	return a + c->size - 1;
}

static const char *what(const struct rctx *c)
{
	return c->write ? "write" : "read";
}

/* Rule 6, step by step: from the bus of slot @slot (below @owner, or the
 * root bus of @hb), pass @bus down through child windows until a BAR
 * claims it.  @tree is the host bridge of that bus.  Taken when the BAR
 * map does not settle the descent (no BAR holds the address, or the
 * request straddles its end), and it words those faults. */
__attribute__((noinline))
static void descend_slow(struct rctx *c, size_t slot,
			 const struct dmasim_device *owner,
			 const struct dmasim_host_bridge *hb,
			 const struct dmasim_host_bridge *tree, uint64_t bus)
{
	uint64_t last = last_of(c, bus);
	unsigned depth;

	for (depth = 0; depth <= DMASIM_MAX_DEPTH + 1; depth++) {
		const struct dmasim__dec_ent *e = dmasim__dec_lookup(c->idx, slot, bus);

		if (!e) {
			fault(c, DMASIM_FAULT_UNSUPPORTED_REQUEST, owner, hb, bus,
			      "bus address 0x%llx is routed below %s, but no window or BAR there claims it",
			      ull(bus), owner ? owner->name : hb->name);
			return;
		}
		if (last > e->hi) {
			if (e->bar)
				fault(c, DMASIM_FAULT_UNSUPPORTED_REQUEST, owner, hb, bus,
				      "the %s [0x%llx-0x%llx] straddles the end of BAR %u of %s [0x%llx-0x%llx]",
				      what(c), ull(bus), ull(last), e->bar->index,
				      e->dev->name, ull(e->lo), ull(e->hi));
			else
				fault(c, DMASIM_FAULT_UNSUPPORTED_REQUEST, owner, hb, bus,
				      "the %s [0x%llx-0x%llx] straddles the end of the window [0x%llx-0x%llx] of %s",
				      what(c), ull(bus), ull(last), ull(e->lo),
				      ull(e->hi), e->dev->name);
			return;
		}
		if (e->bar) {
			struct dmasim_landing *l = c->land;

			hop(c, DMASIM_HOP_BAR, e->dev, tree, bus, bus);
			l->kind = DMASIM_LAND_BAR;
			l->dev = e->dev;
			l->bar = e->bar;
			l->offset = bus - e->bar->bus;
			l->cpu = e->bar->cpu + l->offset;
			l->has_cpu = true;
			return;
		}
		hop(c, DMASIM_HOP_DOWN, e->dev, tree, bus, bus);
		owner = e->dev;
		hb = NULL;
		slot = dmasim__slot_dev(c->idx, e->dev);
	}
}

/* No CPU address known for a bus address (a peer's descent). */
#define NO_CPU UINT64_MAX

/*
 * Rule 6 from the bus below node @on (DMASIM__NO_NODE: the root bus of
 * @tree), for bus address @bus (CPU address @cpu, or NO_CPU).  The BAR map of @tree names the BAR that the step-by-step
 * descent would reach: every BAR lies inside its parent's window of the
 * right kind, so inside all its ancestors' windows, and nothing on one bus
 * overlaps (both checked at load).  So when a BAR holds the whole request,
 * the descent passes exactly the BAR's ancestors below @on: their nodes
 * are read from the path of the BAR's bus, deepest first, and their
 * `down` hops written in place.  Anything else (no BAR, a straddle, a BAR not below @on) takes
 * the step-by-step descent, which words the fault.
 */
static void descend(struct rctx *c, uint32_t on,
		    const struct dmasim_host_bridge *tree, uint64_t bus,
		    uint64_t cpu)
{
	const struct dmasim__decode_index *idx = c->idx;
	const struct dmasim__bar_ent *e;
	struct dmasim_landing *l = c->land;

	e = dmasim__bar_find(idx, tree->id, bus);
	if (e && last_of(c, bus) <= e->hi) {
		/* the path of the BAR's bus lists its ancestors, deepest
		 * first: the k of them below @on are passed */
		const uint32_t *pp = idx->path + e->path;
		size_t k = e->npath, i, base = c->nhops;

		if (on != DMASIM__NO_NODE) {
			size_t above = (size_t)idx->nodes[on].depth + 1;

			if (above > k || pp[k - above] != on)
				goto slow; /* not below @on */
			k -= above;
		}
		if (c->hops) {
			struct dmasim_hop *h;

			if (base + k + 1 > DMASIM_ROUTE_MAX_HOPS)
				goto slow;
			h = c->hops + base + k; /* the `down` hops, top first */
			for (i = 0; i < k; i++) {
				h--;
				h->action = DMASIM_HOP_DOWN;
				h->dev = idx->node_dev[pp[i]];
				h->hb = tree;
				h->addr = bus;
				h->addr_out = bus;
			}
			h = c->hops + base + k;
			h->action = DMASIM_HOP_BAR;
			h->dev = idx->devs + e->dev;
			h->hb = tree;
			h->addr = bus;
			h->addr_out = bus;
			c->nhops = base + k + 1;
		}
		l->kind = DMASIM_LAND_BAR;
		l->dev = idx->devs + e->dev;
		l->bar = idx->bar0 + e->bar;
		l->offset = bus - e->lo;
		/* the CPU address of @bus: known from the memory map, else
		 * the BAR's CPU address plus the offset */
		l->cpu = cpu != NO_CPU ? cpu : l->bar->cpu + l->offset;
		l->has_cpu = true;
		return;
	}
slow:
	if (on == DMASIM__NO_NODE)
		descend_slow(c, dmasim__slot_hb(idx, tree), NULL, tree, tree, bus);
	else
		descend_slow(c, idx->nodes[on].id, idx->nodes[on].dev, NULL, tree, bus);
}

/* Rule 5: what the CPU physical address @cpu is, from ingress host
 * bridge @in (NULL: the CPU itself, no root-complex P2P rule). */
static void land_cpu(struct rctx *c, uint64_t cpu,
		     const struct dmasim_host_bridge *in)
{
	const struct dmasim__cpu_ent *e;
	const struct dmasim_host_bridge *t;
	uint64_t last = last_of(c, cpu), msi_last, bus;
	bool allowed;

	c->land->cpu = cpu;
	c->land->has_cpu = true;
	if (last < cpu) {
		fault(c, DMASIM_FAULT_UNSUPPORTED_REQUEST, NULL, in, cpu,
		      "the %s at CPU address 0x%llx wraps past the end of the address space",
		      what(c), ull(cpu));
		return;
	}
	msi_last = c->m->msi.base + c->m->msi.size - 1;
	if (c->m->msi.size && cpu <= msi_last && last >= c->m->msi.base) {
		fault(c, DMASIM_FAULT_MSI_WRITE, NULL, in, cpu,
		      "CPU address 0x%llx is in the MSI doorbell region [0x%llx-0x%llx]: an interrupt message, not a data %s",
		      ull(cpu), ull(c->m->msi.base), ull(msi_last), what(c));
		return;
	}
	e = dmasim__cpu_lookup(c->idx, cpu);
	if (!e) {
		fault(c, DMASIM_FAULT_UNSUPPORTED_REQUEST, NULL, in, cpu,
		      "CPU address 0x%llx is not RAM, not the MSI region and not in any host-bridge window",
		      ull(cpu));
		return;
	}
	if (last > e->hi) {
		fault(c, DMASIM_FAULT_UNSUPPORTED_REQUEST, NULL, in, cpu,
		      "the %s [0x%llx-0x%llx] straddles the end of the %s [0x%llx-0x%llx]",
		      what(c), ull(cpu), ull(last),
		      e->kind == DMASIM__CPU_RAM ? "RAM range" : "host-bridge window",
		      ull(e->lo), ull(e->hi));
		return;
	}
	if (e->kind == DMASIM__CPU_RAM) {
		hop(c, DMASIM_HOP_RAM, NULL, in, cpu, cpu);
		c->land->kind = DMASIM_LAND_RAM;
		return;
	}
	t = e->hb;
	if (in) {
		/* branch-free: within or across host bridges is as likely */
		bool same = t == in;

		allowed = (same & (in->rc_p2p != DMASIM_RC_P2P_NONE)) |
			  (!same & (in->rc_p2p == DMASIM_RC_P2P_ANY) &
			   (t->rc_p2p == DMASIM_RC_P2P_ANY));
		if (!allowed) {
			if (t == in)
				fault(c, DMASIM_FAULT_RC_P2P_BLOCKED, NULL, in, cpu,
				      "CPU address 0x%llx is in a window of host bridge %s, whose root complex does not route P2P (p2p: none)",
				      ull(cpu), in->name);
			else
				fault(c, DMASIM_FAULT_RC_P2P_BLOCKED, NULL, in, cpu,
				      "CPU address 0x%llx is in a window of host bridge %s; P2P from %s (p2p: %s) to %s (p2p: %s) needs both to be 'any'",
				      ull(cpu), t->name, in->name,
				      dmasim_rc_p2p_name(in->rc_p2p), t->name,
				      dmasim_rc_p2p_name(t->rc_p2p));
			return;
		}
		/* Host bridges on different sockets: the request crosses the
		 * inter-socket link (UPI, xGMI...), which forwards P2P or
		 * drops it as the machine's inter_socket.p2p says. */
		if (!same && dmasim_hb_crosses_sockets(in, t)) {
			if (!c->m->inter_socket_p2p) {
				fault(c, DMASIM_FAULT_RC_P2P_BLOCKED, NULL, in, cpu,
				      "CPU address 0x%llx is in a window of host bridge %s on another socket; the inter-socket link does not forward P2P (inter_socket: { p2p: block })",
				      ull(cpu), t->name);
				return;
			}
			hop(c, DMASIM_HOP_INTER_SOCKET, NULL, in, cpu, cpu);
		}
	}
	bus = cpu - dmasim_hb_window_offset(e->win);
	hop(c, DMASIM_HOP_RC_P2P, NULL, t, cpu, bus);
	descend(c, DMASIM__NO_NODE, t, bus, cpu);
}

/* ---- the interrupt address range at the IOMMU --------------------------- */

/*
 * Does an IOMMU of this type take a request to the machine's MSI window as
 * an interrupt request, before and instead of DMA translation?  VT-d and
 * AMD-Vi decode 0xFEEx_xxxx as interrupts (remapped or passed through) and
 * never look it up in the DMA page tables, which is why Linux reports the
 * window as IOMMU_RESV_MSI in every domain: intel_iommu_get_resv_regions()
 * (IOAPIC_RANGE_START..END) in drivers/iommu/intel/iommu.c and
 * amd_iommu_get_resv_regions() (MSI_RANGE_START..END) in
 * drivers/iommu/amd/iommu.c.  Behind an SMMUv3 the doorbell is an ordinary
 * IOVA: arm_smmu_get_resv_regions() (drivers/iommu/arm/arm-smmu-v3/
 * arm-smmu-v3.c) reports MSI_IOVA_BASE as IOMMU_RESV_SW_MSI, which
 * iova_reserve_iommu_regions() skips, and iommu_dma_get_msi_page()
 * (drivers/iommu/dma-iommu.c) maps the doorbell at an IOVA it allocates;
 * so the translation applies there.  No reserved MSI region is modelled
 * for the powerpc TCE tables (docs/fabric.md).  The DMA layer's
 * msi_reserved (src/dma/arch.c) must say the same, so that no IOVA it
 * hands out is one the router takes as an interrupt.
 */
static const bool msi_is_interrupt[DMASIM_IOMMU_TYPE_COUNT] = {
	[DMASIM_IOMMU_INTEL_VTD] = true,
	[DMASIM_IOMMU_AMD_VI] = true,
	[DMASIM_IOMMU_SMMUV3] = false,
	[DMASIM_IOMMU_PPC_TCE] = false,
};

bool dmasim__iommu_msi_is_interrupt(enum dmasim_iommu_type t)
{
	return (unsigned)t < DMASIM_IOMMU_TYPE_COUNT && msi_is_interrupt[t];
}

/* Rule 4, DMA domain: does IOMMU @u take the request at @addr as an
 * interrupt, untranslated?  Then the route ends in msi-write at @h. */
static bool msi_untranslated(struct rctx *c, const struct dmasim_iommu *u,
			     const struct dmasim_host_bridge *h, uint64_t addr)
{
	const struct dmasim_range *msi = &c->m->msi;
	uint64_t msi_last = msi->base + msi->size - 1;

	if (!msi->size || addr > msi_last || last_of(c, addr) < msi->base ||
	    !u || !dmasim__iommu_msi_is_interrupt(u->type))
		return false;
	c->land->cpu = addr;
	c->land->has_cpu = true;
	fault(c, DMASIM_FAULT_MSI_WRITE, NULL, h, addr,
	      "0x%llx is in the interrupt range [0x%llx-0x%llx]: %s (%s) takes it as an interrupt, not a DMA to translate",
	      ull(addr), ull(msi->base), ull(msi_last), u->name,
	      dmasim_iommu_type_name(u->type));
	return true;
}

/* Rule 4: the request from @from (its record @rq, host bridge @h)
 * reaches its root complex.  The device itself is read only to word a
 * fault. */
static void at_root_complex(struct rctx *c, const struct dmasim_device *from,
			    const struct dmasim__req *rq,
			    const struct dmasim_host_bridge *h,
			    const struct dmasim_iommu_pt *pt, uint64_t addr)
{
	dmasim_phys_addr_t cpu = addr;
	uint64_t last = last_of(c, addr);

	switch ((enum dmasim_domain_type)rq->domain) {
	case DMASIM_DOMAIN_BLOCKED:
		fault(c, DMASIM_FAULT_IOMMU_FAULT, NULL, h, addr,
		      "%s is attached to a blocked IOMMU domain (group %u of %s): every DMA faults",
		      from->name, from->iommu_group,
		      h->iommu ? h->iommu->name : "?");
		return;
	case DMASIM_DOMAIN_DMA:
		if (msi_untranslated(c, h->iommu, h, addr))
			return;
		switch (dmasim_iommu_pt_translate(pt, rq->group, addr,
						  c->size, c->write, &cpu)) {
		case DMASIM_PT_OK:
			break;
		case DMASIM_PT_READ_ONLY:
			fault(c, DMASIM_FAULT_IOMMU_FAULT, NULL, h, addr,
			      "IOVA 0x%llx is mapped read-only in IOMMU group %u of %s, and %s writes to it",
			      ull(addr), from->iommu_group, h->iommu->name, from->name);
			return;
		case DMASIM_PT_WRITE_ONLY:
			fault(c, DMASIM_FAULT_IOMMU_FAULT, NULL, h, addr,
			      "IOVA 0x%llx is mapped write-only in IOMMU group %u of %s, and %s reads from it",
			      ull(addr), from->iommu_group, h->iommu->name, from->name);
			return;
		case DMASIM_PT_UNMAPPED:
		default:
			fault(c, DMASIM_FAULT_IOMMU_FAULT, NULL, h, addr,
			      "IOVA range [0x%llx-0x%llx] is not mapped in IOMMU group %u of %s (the domain of %s)",
			      ull(addr), ull(last), from->iommu_group,
			      h->iommu->name, from->name);
			return;
		}
		hop(c, DMASIM_HOP_IOMMU, NULL, h, addr, cpu);
		break;
	case DMASIM_DOMAIN_IDENTITY:
	case DMASIM_DOMAIN_NONE:
	default:
		if (h->has_dma_ranges) {
			const struct dmasim__in_ent *e =
				dmasim__inbound_lookup(c->idx, h, addr);
			if (!e) {
				fault(c, DMASIM_FAULT_OUTSIDE_INBOUND_WINDOW, NULL, h, addr,
				      "bus address 0x%llx is outside every inbound dma_range of host bridge %s",
				      ull(addr), h->name);
				return;
			}
			if (last > e->hi) {
				fault(c, DMASIM_FAULT_OUTSIDE_INBOUND_WINDOW, NULL, h, addr,
				      "the %s [0x%llx-0x%llx] runs past the end of the inbound dma_range [0x%llx-0x%llx] of host bridge %s",
				      what(c), ull(addr), ull(last), ull(e->lo),
				      ull(e->hi), h->name);
				return;
			}
			cpu = e->dr->cpu + (addr - e->dr->bus);
			hop(c, DMASIM_HOP_INBOUND, NULL, h, addr, cpu);
		} else {
			hop(c, DMASIM_HOP_IDENTITY, NULL, h, addr, addr);
		}
		break;
	}
	land_cpu(c, cpu, h);
}

/* A bridge's own windows hold @a: read from the device (rare paths). */
static bool in_own_window_dev(const struct dmasim_device *p, uint64_t a)
{
	int k;

	for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++)
		if (p->windows[k].present && a >= p->windows[k].base &&
		    a <= p->windows[k].limit)
			return true;
	return false;
}

/* ACS Egress Control at downstream port @x (node @n): is P2P to sibling
 * @y blocked?  With a vector, bit i stands for the i-th switch downstream
 * port below the same upstream port (children order, @x itself counted);
 * without one, every egress is blocked. */
static bool egress_blocked(const struct rctx *c, const struct dmasim__node *n,
			   const struct dmasim_device *x,
			   const struct dmasim_device *y)
{
	uint32_t bit;

	if (!(n->flags & DMASIM__N_EC) || y == x)
		return false;
	if (!(n->flags & DMASIM__N_EGRESS))
		return true;
	bit = c->idx->dsp_index[y - c->idx->devs];
	if (bit >= 32)
		return false;
	return (n->egress >> bit) & 1u;
}

/* Rule 2 at switch downstream port @x (node @n, its parent's node @up,
 * host bridge @h), no RR, @addr inside its trigger hulls (else it goes
 * up):
 * a peer on the switch's internal bus claims @addr (a sibling's descent,
 * or an egress fault), or @x's own window holds it (ACS UF, or a fault),
 * or it goes up.  Both come from one entry of the parent's child list.
 * Returns STEP_DONE when the route ends here, STEP_REDIRECTED for UF
 * (the caller records the acs-uf hop). */
enum step { STEP_UP, STEP_REDIRECTED, STEP_DONE };

static enum step at_downstream_port(struct rctx *c, const struct dmasim__node *n,
				    uint32_t up, const struct dmasim_device *x,
				    const struct dmasim_host_bridge *h,
				    uint64_t addr)
{
	const struct dmasim__decode_index *idx = c->idx;
	bool own;

	if (up != DMASIM__NO_NODE) {
		const struct dmasim__dec_ent *e =
			dmasim__dec_lookup(idx, idx->nodes[up].id, addr);

		if (!e)
			return STEP_UP;
		if (e->dev != x || e->bar) {
			if (egress_blocked(c, n, x, e->dev)) {
				fault(c, DMASIM_FAULT_UNSUPPORTED_REQUEST, x, NULL, addr,
				      "0x%llx is in the window of %s, but ACS Egress Control at %s blocks P2P to it and Request Redirect is off",
				      ull(addr), e->dev->name, x->name);
				return STEP_DONE;
			}
			hop(c, DMASIM_HOP_SIBLING, x, h, addr, addr);
			descend(c, up, h, addr, NO_CPU);
			return STEP_DONE;
		}
		own = true; /* e is a window of x */
	} else {
		own = in_own_window_dev(x, addr);
	}
	if (!own)
		return STEP_UP;
	if (!(n->flags & DMASIM__N_UF)) {
		fault(c, DMASIM_FAULT_UNSUPPORTED_REQUEST, x, NULL, addr,
		      "0x%llx is in the window of %s, the port it entered by, and %s has no ACS Upstream Forwarding",
		      ull(addr), x->name, x->name);
		return STEP_DONE;
	}
	return STEP_REDIRECTED; /* ACS UF: the caller records it */
}

/* Rule 3, first step, at legacy bridge @p (node @nd, @n): another device
 * on its shared secondary bus than @child claims @addr? */
static bool peer_on_pci_bus(struct rctx *c, uint32_t nd,
			    const struct dmasim__node *n,
			    const struct dmasim_device *p,
			    const struct dmasim_device *child,
			    const struct dmasim_host_bridge *h, uint64_t addr)
{
	const struct dmasim__dec_ent *e = dmasim__dec_lookup(c->idx, n->id, addr);

	if (!e || e->dev == child)
		return false;
	hop(c, DMASIM_HOP_SIBLING, p, h, addr, addr);
	descend(c, nd, h, addr, NO_CPU);
	return true;
}

/* Rule 2 (no RR) or 3 at the port of node @n (path @pp, entered from
 * below through @child), for an address inside its trigger hulls: the
 * exact rule, with the child lists and the device's windows. */
__attribute__((noinline))
static enum step port_rule(struct rctx *c, const uint32_t *pp,
			   const struct dmasim__node *n,
			   const struct dmasim_device *child,
			   const struct dmasim_host_bridge *h, uint64_t addr,
			   bool redirected)
{
	const struct dmasim_device *p = n->dev;

	if (n->type == DMASIM_DEV_SWITCH_DOWNSTREAM)
		return at_downstream_port(c, n, pp[1], p, h, addr);
	if (n->type == DMASIM_DEV_PCI_BRIDGE &&
	    peer_on_pci_bus(c, pp[0], n, p, child, h, addr))
		return STEP_DONE;
	if (!redirected && in_own_window_dev(p, addr)) {
		fault(c, DMASIM_FAULT_UNSUPPORTED_REQUEST, p, NULL, addr,
		      "0x%llx is inside the window of %s, but no port below it claims it",
		      ull(addr), p->name);
		return STEP_DONE;
	}
	return STEP_UP;
}

static void route_init(struct dmasim_route *out)
{
	memset(&out->land, 0, sizeof(out->land));
	out->land.kind = DMASIM_LAND_FAULT;
	out->land.fault = DMASIM_FAULT_NONE;
	out->nhops = 0;
	out->why[0] = '\0';
}

/*
 * The upward walk (rules 1-3) reads one node per port: its type, ACS bits,
 * windows and the hull of what its bus decodes.  A child list is searched
 * only when the address lies inside that hull (a peer may claim it);
 * otherwise the port's rule reduces to its own windows.
 */
int dmasim_route(const struct dmasim_topo *topo,
		 const struct dmasim_iommu_pt *pt,
		 const struct dmasim_device *from,
		 dmasim_bus_addr_t addr, uint64_t size, bool write,
		 struct dmasim_route *out)
{
	const struct dmasim__decode_index *idx;
	const struct dmasim_machine *m;
	const struct dmasim_host_bridge *h;
	struct rctx c;
	const struct dmasim_device *cdev = from;
	const struct dmasim__req *rq;
	const uint32_t *pp;
	struct dmasim_hop *hp;
	uintptr_t off;
	uint32_t nd, child;
	bool redirected = false;

	if (!out)
		return DMASIM_EINVAL;
	route_init(out);
	if (!topo || !(idx = dmasim__topo_decode(topo)) || !from ||
	    size == 0 || addr + size - 1 < addr)
		return DMASIM_EINVAL;
	/* @from must be one of this topology's devices (no read of it yet) */
	m = &topo->m;
	off = (uintptr_t)from - (uintptr_t)m->devices;
	if (off >= m->ndevices * sizeof(*from) || off % sizeof(*from))
		return DMASIM_EINVAL;
	child = (uint32_t)(off / sizeof(*from));
	rq = &idx->reqs[child];
	h = idx->hbs + rq->hb;
	c.idx = idx;
	c.m = m;
	c.land = &out->land;
	c.why = out->why;
	c.hops = out->hops;
	c.nhops = 0;
	c.size = size;
	c.write = write;

	/* Rule 1: into the parent port; a root-bus device goes to the RC.
	 * The ports up to the root bus are listed by the path: their nodes
	 * are independent reads.  A port's rule looks at the address only
	 * inside its trigger hulls; elsewhere it is one hop (up, or
	 * acs-redirect at a downstream port with RR).  These hops (at most
	 * DMASIM_MAX_DEPTH + 1, no bound check) are written through @hp;
	 * c.nhops is set before a call that may add hops. */
	hp = out->hops;
	pp = idx->path + rq->path;
	if (*pp != DMASIM__NO_NODE &&
	    !dmasim__hull2_has(dmasim__path_cover(idx, rq->path), addr)) {
		/* Outside every trigger on the way: one default hop per
		 * port, from the dense arrays (no node is read). */
		for (; (nd = *pp) != DMASIM__NO_NODE; pp++) {
			unsigned act = idx->node_act[nd];

			put_hop(hp++, (enum dmasim_hop_action)(act & ~DMASIM__ACT_LAST),
				idx->node_dev[nd], h, addr);
			if (act & DMASIM__ACT_LAST)
				break;
		}
		goto root_complex;
	}
	for (; (nd = *pp) != DMASIM__NO_NODE; pp++) {
		const struct dmasim__node *n = &idx->nodes[nd];
		enum dmasim_hop_action a = (enum dmasim_hop_action)n->act;

		if (n->type == DMASIM_DEV_ROOT_PORT) {
			put_hop(hp++, DMASIM_HOP_UP, n->dev, h, addr);
			break;
		}
		if (dmasim__node_trigger(n, addr)) {
			c.nhops = (size_t)(hp - out->hops);
			switch (port_rule(&c, pp, n, cdev, h, addr, redirected)) {
			case STEP_DONE:
				goto done;
			case STEP_REDIRECTED:
				a = DMASIM_HOP_ACS_UF;
				redirected = true;
				break;
			case STEP_UP:
			default:
				break;
			}
		}
		redirected |= (n->flags & DMASIM__N_RR) != 0;
		put_hop(hp++, a, n->dev, h, addr);
		cdev = n->dev;
	}
root_complex:
	c.nhops = (size_t)(hp - out->hops);
	at_root_complex(&c, from, rq, h, pt, addr);
done:
	out->nhops = c.nhops;
	return DMASIM_OK;
}

int dmasim_decode_cpu(const struct dmasim_topo *topo, dmasim_phys_addr_t cpu,
		      uint64_t size, struct dmasim_landing *out)
{
	const struct dmasim__decode_index *idx;
	const struct dmasim_machine *m;
	char why[WHY_SIZE];
	struct rctx c;
	uint64_t last;
	size_t pos;

	if (!out)
		return DMASIM_EINVAL;
	memset(out, 0, sizeof(*out));
	out->kind = DMASIM_LAND_FAULT;
	out->fault = DMASIM_FAULT_NONE;
	if (!topo || !(idx = dmasim__topo_decode(topo)) || size == 0 ||
	    cpu + size - 1 < cpu)
		return DMASIM_EINVAL;
	m = &topo->m;
	last = cpu + size - 1;
	out->cpu = cpu;
	out->has_cpu = true;
	/* The common cases in one pass (land_cpu and descend say the same):
	 * not the MSI region, inside one memory-map range, RAM or a BAR of
	 * that host-bridge window's tree that holds the whole range. */
	if (!(m->msi.size && cpu <= m->msi.base + m->msi.size - 1 &&
	      last >= m->msi.base) &&
	    (pos = dmasim__tree_find(idx->tkeys, &idx->cpu_tree, cpu)) != SIZE_MAX &&
	    last <= idx->cpu[pos].hi) {
		const struct dmasim__cpu_ent *ce = &idx->cpu[pos];
		const struct dmasim__bar_ent *e;
		uint64_t bus;

		if (ce->kind == DMASIM__CPU_RAM) {
			out->kind = DMASIM_LAND_RAM;
			return DMASIM_OK;
		}
		bus = cpu - dmasim_hb_window_offset(ce->win);
		e = dmasim__bar_find(idx, ce->hb->id, bus);
		if (e && bus + (size - 1) <= e->hi) {
			out->kind = DMASIM_LAND_BAR;
			out->dev = idx->devs + e->dev;
			out->bar = idx->bar0 + e->bar;
			out->offset = bus - e->lo;
			return DMASIM_OK;
		}
	}
	/* Everything else (and the words of a fault) the general way. */
	c.idx = idx;
	c.m = m;
	c.land = out;
	c.why = why;
	c.hops = NULL;
	c.nhops = 0;
	c.size = size;
	c.write = true;
	land_cpu(&c, cpu, NULL);
	return DMASIM_OK;
}

size_t dmasim_route_via(const struct dmasim_route *r,
			const struct dmasim_hop **out, size_t max)
{
	const struct dmasim_hop *prev = NULL;
	size_t i, n = 0;

	for (i = 0; i < r->nhops; i++) {
		const struct dmasim_hop *h = &r->hops[i];

		if (h->action == DMASIM_HOP_BAR)
			continue;
		if (prev && prev->dev == h->dev && (h->dev || prev->hb == h->hb))
			continue;
		if (n < max)
			out[n] = h;
		n++;
		prev = h;
	}
	return n;
}
