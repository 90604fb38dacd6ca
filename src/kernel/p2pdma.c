/*
 * dmasim -- the kernel's peer-to-peer decisions (drivers/pci/p2pdma.c and
 * the 2018 proposal), driven by a policy row:
 *  - DMASIM_DECIDE_CALC: calc_map_type_and_dist() (drivers/pci/p2pdma.c,
 *    P2P-5.1x .. P2P-pci-next);
 *  - DMASIM_DECIDE_LINUX_420: upstream_bridge_distance() and its _warn
 *    variant (drivers/pci/p2pdma.c, P2P-4.20);
 *  - DMASIM_DECIDE_SEED2018: pci_peer_traffic_supported() (2018 proposal).
 *
 * Provider without p2pmem: the kernel's distance functions never look at
 * the provider's p2pdma state (only the xarray store and the map-type
 * reader do), so the decision here does not require a p2pmem BAR either;
 * whether a device may serve as provider is the caller's check (the CLI
 * notes it, the suites' audit reports it).  A non-PCI client cannot occur
 * in the model: every device is a PCI function.
 */
#include <stdio.h>
#include <string.h>

#include "kernel/kernel_int.h"

/* calc_label() and calc_decide() compose the result from these values. */
_Static_assert(DMASIM_MAP_NOT_SUPPORTED == 0 && DMASIM_MAP_BUS_ADDR == 1 &&
		       DMASIM_MAP_THRU_HOST_BRIDGE == 2,
	       "map type values");

static const char *const map_type_names[DMASIM_MAP_TYPE_COUNT] = {
	[DMASIM_MAP_NOT_SUPPORTED] = "not_supported",
	[DMASIM_MAP_BUS_ADDR] = "bus_addr",
	[DMASIM_MAP_THRU_HOST_BRIDGE] = "thru_host_bridge",
};

const char *dmasim_map_type_name(enum dmasim_map_type t)
{
	return (unsigned)t < DMASIM_MAP_TYPE_COUNT ? map_type_names[t] : "unknown";
}

enum dmasim_map_type dmasim_map_type_parse(const char *name)
{
	unsigned i;

	for (i = 0; name && i < DMASIM_MAP_TYPE_COUNT; i++)
		if (strcmp(name, map_type_names[i]) == 0)
			return (enum dmasim_map_type)i;
	return DMASIM_MAP_TYPE_COUNT;
}

/* pci_warn(dev, ...): "pci 0000:03:00.0: message". */
#define PCI_WARN(log, dev, ...)                                           \
	do {                                                               \
		char msg_[400];                                            \
		snprintf(msg_, sizeof(msg_), __VA_ARGS__);                 \
		dmasim_log_printf(log, "pci %s: %s", (dev)->bdf, msg_);    \
	} while (0)

/*
 * The ACS list of the "pci=disable_acs_redir=" hint, collected as the
 * kernel's seq_buf collects it: "name;" per device; an entry that does not
 * fit is cut (vsnprintf) and the buffer is marked overflowed, after which
 * nothing more is written.  The kernel then clears the last byte (the
 * final ';'); after an overflow that byte lies past the buffer and the
 * string stays cut at size - 1 characters.
 */
#define ACS_LIST_MAX 4096

struct acs_list {
	char buf[ACS_LIST_MAX + 1];
	size_t size, len;
};

static void acs_list_init(struct acs_list *l, unsigned size)
{
	l->size = size == 0 ? 1 : size > ACS_LIST_MAX ? ACS_LIST_MAX : size;
	l->len = 0;
	l->buf[0] = '\0';
}

static void acs_list_add(struct acs_list *l, const struct dmasim_device *d)
{
	int n;

	if (!l || l->len >= l->size)
		return;
	n = snprintf(l->buf + l->len, l->size - l->len, "%s;", d->bdf);
	if (n >= 0 && l->len + (size_t)n < l->size)
		l->len += (size_t)n;
	else
		l->len = l->size + 1; /* seq_buf_set_overflow() */
}

static const char *acs_list_str(struct acs_list *l)
{
	if (l->len > 0 && l->len <= l->size)
		l->buf[l->len - 1] = '\0'; /* drop final semicolon */
	return l->buf;
}

/* The walk's result. */
struct walk {
	const struct dmasim_device *common; /* NULL: none, or not looked up */
	bool has_common;                    /* a common upstream device exists */
	int dist_a, dist_b;
	bool acs;                           /* a redirecting device on the path */
};

/* The kernel's literal double loop (drivers/pci/p2pdma.c), collecting the list if asked. */
static void walk_naive(const struct dmasim_device *a,
		       const struct dmasim_device *b, unsigned bits,
		       struct acs_list *list, struct walk *w)
{
	const struct dmasim_device *aa, *bb;
	int acs_cnt = 0;

	w->common = NULL;
	w->dist_a = 0;
	w->dist_b = 0;
	for (aa = a; aa; aa = aa->parent) {
		w->dist_b = 0;
		if (dmasim__has_acs_redir(aa, bits)) {
			acs_list_add(list, aa);
			acs_cnt++;
		}
		for (bb = b; bb; bb = bb->parent) {
			if (aa == bb)
				goto check_b_path_acs;
			w->dist_b++;
		}
		w->dist_a++;
	}
	w->acs = false; /* not reported without a common upstream device */
	w->has_common = false;
	return;
check_b_path_acs:
	w->common = aa;
	w->has_common = true;
	for (bb = b; bb && bb != aa; bb = bb->parent)
		if (dmasim__has_acs_redir(bb, bits)) {
			acs_list_add(list, bb);
			acs_cnt++;
		}
	w->acs = acs_cnt != 0;
}

/*
 * The same from the index, reading no device: the pair's depths, redirect
 * tops and the common device's depth (dmasim__pair_info).  A device from
 * a up to the common one and down to b redirects under RR|CR|EC iff a
 * top lies below the common device's depth.  Other bit sets use the
 * per-bit counts.  The common device itself is looked up only when that
 * is needed (warn_acs).
 */
static void walk_indexed(const struct dmasim_topo *t,
			 const struct dmasim_device *a,
			 const struct dmasim_device *b, unsigned bits,
			 struct walk *w)
{
	struct dmasim__pair p;

	dmasim__pair_info(t, dmasim__id(t, a), dmasim__id(t, b), &p);
	w->common = NULL;
	w->has_common = p.dc1 != 0;
	if (!w->has_common) {
		w->dist_a = (int)p.da + 1;
		w->dist_b = (int)p.db + 1;
		w->acs = false;
		return;
	}
	w->dist_a = (int)p.da - (int)(p.dc1 - 1);
	w->dist_b = (int)p.db - (int)(p.dc1 - 1);
	if (bits == DMASIM__REDIR_BITS) {
		w->acs = (p.ra > p.rb ? p.ra : p.rb) >= p.dc1;
		return;
	}
	w->common = dmasim__lca(t, a, b);
	w->acs = dmasim__path_redirects(t, a, b, w->common, bits);
}

static void walk(const struct dmasim_topo *t, const struct dmasim_device *a,
		 const struct dmasim_device *b, unsigned bits, bool naive,
		 struct walk *w)
{
	if (naive || !t->lca)
		walk_naive(a, b, bits, NULL, w);
	else
		walk_indexed(t, a, b, bits, w);
}

/*
 * The two ACS lines (verbose only, so the list buffer lives here and not
 * in every query's frame).  Naive: the kernel's walk collects the list;
 * indexed: the path is listed in the kernel's order, provider side up to
 * and including the common device, then the client side below it.
 */
static DMASIM__NOINLINE void
warn_acs(const struct dmasim_topo *t, const struct dmasim_policy *p,
	 const struct dmasim_device *provider,
	 const struct dmasim_device *client, const struct walk *w, bool naive,
	 const char *first_line, struct dmasim_log *log)
{
	unsigned bits = p->acs_redirect_bits;
	const struct dmasim_device *c = w->common ? w->common
						  : dmasim__lca(t, provider, client);
	const struct dmasim_device *d;
	struct acs_list list;
	struct walk again;

	acs_list_init(&list, p->acs_list_size);
	if (naive) {
		walk_naive(provider, client, bits, &list, &again);
	} else {
		for (d = provider; d != c; d = d->parent)
			if (dmasim__has_acs_redir(d, bits))
				acs_list_add(&list, d);
		if (dmasim__has_acs_redir(c, bits))
			acs_list_add(&list, c);
		for (d = client; d != c; d = d->parent)
			if (dmasim__has_acs_redir(d, bits))
				acs_list_add(&list, d);
	}
	PCI_WARN(log, client, "%s (%s)", first_line, provider->bdf);
	PCI_WARN(log, client,
		 "to disable ACS redirect for this path, add the kernel parameter: pci=disable_acs_redir=%s",
		 acs_list_str(&list));
}

/* cpu_supports_p2pdma() (drivers/pci/p2pdma.c): the policy's CPU rules, each for one arch
 * (the kernel's is CONFIG_X86 only). */
static bool cpu_supports_p2pdma(const struct dmasim_topo *t,
				const struct dmasim_policy *p)
{
	const struct dmasim_machine *m = &t->m;
	size_t i;

	if (!m->has_cpu)
		return false;
	for (i = 0; i < p->ncpu_rules; i++) {
		const struct dmasim_cpu_rule *r = &p->cpu_rules[i];
		if (m->arch == r->arch && m->cpu_vendor == r->vendor &&
		    m->cpu_family >= r->min_family)
			return true;
	}
	return false;
}

/* The root device's vendor << 16 | device for host bridge @hb, or -1. */
static int64_t root_key(const struct dmasim_topo *t,
			const struct dmasim_policy *p,
			const struct dmasim_host_bridge *hb, bool naive)
{
	const struct dmasim_device *root;

	if (!naive && t->lca && (unsigned)p->root_dev < DMASIM__NROOTDEV)
		return t->lca->root_key[hb->id * DMASIM__NROOTDEV + p->root_dev];
	root = dmasim__host_bridge_dev(t, hb, p->root_dev, true);
	return root ? (int64_t)root->vendor << 16 | root->device_id : -1;
}

/* The first whitelist entry matching @key (PCI_ANY_ID matches any device
 * when the policy's whitelist_match is any-id), or NULL. */
static const struct dmasim_wl_entry *wl_match(const struct dmasim_policy *p,
					      int64_t key)
{
	const struct dmasim_wl_entry *e, *end = p->whitelist + p->nwhitelist;
	unsigned vendor = (unsigned)(key >> 16), device = (unsigned)(key & 0xffff);

	if (key < 0)
		return NULL;
	/* The entry's device field: unsigned short before PCI_ANY_ID
	 * support (-1 reads as 0xffff), int with it. */
	bool any = p->whitelist_match == DMASIM_WL_MATCH_ANY_ID;

	for (e = p->whitelist; e < end; e++)
		if (e->vendor == vendor &&
		    ((any && e->device == -1) ||
		     ((unsigned)e->device & 0xffff) == device))
			return e;
	return NULL;
}

/* __host_bridge_whitelist() (drivers/pci/p2pdma.c): the first entry matching the root
 * device's vendor and device (or PCI_ANY_ID) decides. */
static bool hb_whitelisted(const struct dmasim_topo *t,
			   const struct dmasim_policy *p,
			   const struct dmasim_host_bridge *hb,
			   bool same_host_bridge, bool warn, bool naive,
			   struct dmasim_log *log)
{
	int64_t key = root_key(t, p, hb, naive);
	const struct dmasim_wl_entry *e = wl_match(p, key);

	if (key < 0)
		return false;
	if (e)
		return !(e->same_host_bridge_only && !same_host_bridge);
	/* The warning came with the warn parameter after v5.10. */
	if (warn && p->whitelist_warning)
		PCI_WARN(log, dmasim__host_bridge_dev(t, hb, p->root_dev, naive),
			 "Host bridge not in P2PDMA whitelist: %04x:%04x",
			 (unsigned)(key >> 16), (unsigned)(key & 0xffff));
	return false;
}

/* host_bridge_whitelist(a, b, warn): short-circuits on the first. */
static bool host_bridge_whitelist(const struct dmasim_topo *t,
				  const struct dmasim_policy *p,
				  const struct dmasim_device *a,
				  const struct dmasim_device *b, bool warn,
				  bool naive, struct dmasim_log *log)
{
	const struct dmasim_host_bridge *ha = a->hb, *hb = b->hb;

	if (ha == hb)
		return hb_whitelisted(t, p, ha, true, warn, naive, log);
	return hb_whitelisted(t, p, ha, false, warn, naive, log) &&
	       hb_whitelisted(t, p, hb, false, warn, naive, log);
}

unsigned dmasim__thru_verdict(const struct dmasim_topo *t,
			      const struct dmasim_policy *p, uint32_t hb,
			      bool naive)
{
	const struct dmasim_wl_entry *e;

	if (cpu_supports_p2pdma(t, p))
		return DMASIM__THRU_SAME | DMASIM__THRU_ANY;
	e = wl_match(p, root_key(t, p, &t->m.host_bridges[hb], naive));
	if (!e)
		return 0;
	return e->same_host_bridge_only ? DMASIM__THRU_SAME
					: DMASIM__THRU_SAME | DMASIM__THRU_ANY;
}

/* No device from @d up to the root bus redirects under @bits. */
static bool chain_clear(const struct dmasim_device *d, unsigned bits)
{
	for (; d; d = d->parent)
		if (dmasim__has_acs_redir(d, bits))
			return false;
	return true;
}

/*
 * DMASIM_DECIDE_CALC_RC_BUS_ADDR, a proposed patch (no kernel has it):
 * no common upstream device, one host bridge whose root complex routes
 * peer-to-peer between its root ports, and no ACS redirect on either
 * chain: the root complex turns the TLP around, so bus addresses work.
 */
static bool rc_routes_bus_addr(const struct dmasim_policy *p,
			       const struct dmasim_device *provider,
			       const struct dmasim_device *client)
{
	return p->decision == DMASIM_DECIDE_CALC_RC_BUS_ADDR &&
	       provider->hb == client->hb &&
	       provider->hb->rc_p2p != DMASIM_RC_P2P_NONE &&
	       chain_clear(provider, p->acs_redirect_bits) &&
	       chain_clear(client, p->acs_redirect_bits);
}

/* calc_map_type_and_dist() (drivers/pci/p2pdma.c). */
static enum dmasim_map_type calc_map_type_and_dist(
	const struct dmasim_topo *t, const struct dmasim_policy *p,
	const struct dmasim_device *provider, const struct dmasim_device *client,
	int *dist, bool verbose, bool naive, struct dmasim_log *log)
{
	enum dmasim_map_type map = DMASIM_MAP_THRU_HOST_BRIDGE;
	bool acs_redirects = false;
	struct walk w;

	walk(t, provider, client, p->acs_redirect_bits, naive, &w);
	*dist = w.dist_a + w.dist_b;
	if (w.has_common) {
		if (!w.acs)
			return DMASIM_MAP_BUS_ADDR;
		if (verbose)
			warn_acs(t, p, provider, client, &w, naive,
				 "ACS redirect is set between the client and provider",
				 log);
		acs_redirects = true;
	} else if (rc_routes_bus_addr(p, provider, client)) {
		return DMASIM_MAP_BUS_ADDR;
	}
	/* map_through_host_bridge: */
	if (!cpu_supports_p2pdma(t, p) &&
	    !host_bridge_whitelist(t, p, provider, client, acs_redirects, naive,
				   log)) {
		if (verbose)
			PCI_WARN(log, client,
				 "cannot be used for peer-to-peer DMA as the client and provider (%s) do not share an upstream bridge or whitelisted host bridge",
				 provider->bdf);
		map = DMASIM_MAP_NOT_SUPPORTED;
	}
	return map;
}

/* calc_fast()'s host-bridge step for a policy that is not a built-in row:
 * the verdicts are looked up per call. */
static DMASIM__NOINLINE enum dmasim_map_type
thru_other_policy(const struct dmasim_topo *t, const struct dmasim_policy *p,
		  uint32_t ha, uint32_t hb)
{
	unsigned va = dmasim__thru_verdict(t, p, ha, false);

	if (ha == hb)
		return va & DMASIM__THRU_SAME ? DMASIM_MAP_THRU_HOST_BRIDGE
					      : DMASIM_MAP_NOT_SUPPORTED;
	return va & dmasim__thru_verdict(t, p, hb, false) & DMASIM__THRU_ANY
		       ? DMASIM_MAP_THRU_HOST_BRIDGE : DMASIM_MAP_NOT_SUPPORTED;
}

/*
 * calc_map_type_and_dist() without warnings, from the index, for the
 * policies whose ACS bits are RR|CR|EC: no device read, and for a
 * built-in policy row the host bridges' verdicts precomputed at load
 * (another policy's are looked up per call).  The outcome is chosen
 * without branches on the pair: random pairs would mispredict them.
 */
static inline enum dmasim_map_type calc_decide(const struct dmasim_topo *t,
					       const struct dmasim_policy *p,
					       const struct dmasim__pair *pr,
					       int *dist)
{
	const struct dmasim__lca_index *ix = t->lca;
	unsigned top, bus, ok, va, vb;
	unsigned k = dmasim__policy_builtin_index(p);

	/* common: (da - dL) + (db - dL) with dL = dc1 - 1; none: the two
	 * chain lengths, da + 1 + db + 1 -- one formula */
	if (dist)
		*dist = (int)(pr->da + pr->db + 2) - 2 * (int)pr->dc1;
	top = pr->ra > pr->rb ? pr->ra : pr->rb;
	bus = pr->dc1 > top; /* a common device and no redirect up to it */
	if (k >= DMASIM__NPOLICY_BUILTINS) {
		if (bus)
			return DMASIM_MAP_BUS_ADDR;
		return thru_other_policy(t, p, pr->ha, pr->hb);
	}
	va = ix->vrow[k][pr->ha];
	vb = ix->vrow[k][pr->hb];
	/* same host bridge: its SAME bit; else both ANY bits */
	ok = (va & vb & (DMASIM__THRU_ANY >> (pr->ha == pr->hb))) != 0;
	/* NOT_SUPPORTED 0, BUS_ADDR 1, THRU_HOST_BRIDGE 2 */
	return (enum dmasim_map_type)(bus | (~bus & ok) << 1);
}

/* Table mode: the pair from the sparse table and the hot records. */
static DMASIM__NOINLINE enum dmasim_map_type
calc_fast_table(const struct dmasim_topo *t, const struct dmasim_policy *p,
		uint32_t ia, uint32_t ib, int *dist)
{
	struct dmasim__pair pr;

	dmasim__pair_table(t->lca, ia, ib, &pr);
	return calc_decide(t, p, &pr, dist);
}

/* Label mode, any policy: two labels, then calc_decide(). */
static enum dmasim_map_type calc_fast(const struct dmasim_topo *t,
				      const struct dmasim_policy *p,
				      const struct dmasim_device *provider,
				      const struct dmasim_device *client,
				      int *dist)
{
	uint32_t ia = dmasim__id(t, provider), ib = dmasim__id(t, client);
	struct dmasim__pair pr;

	if (!t->lca->labels)
		return calc_fast_table(t, p, ia, ib, dist);
	dmasim__pair_info(t, ia, ib, &pr);
	return calc_decide(t, p, &pr, dist);
}

/*
 * Label mode and built-in row @k: the two labels, and @k's verdicts of
 * their host bridges (a row of bytes, cached).
 */
static inline enum dmasim_map_type calc_label(const struct dmasim__lca_index *ix,
					      unsigned k, uint32_t ia,
					      uint32_t ib, int *dist)
{
	uint64_t la = dmasim__lbl(ix, ia), lb = dmasim__lbl(ix, ib);
	uint64_t pa = la & DMASIM__LBL_PATH, pb = lb & DMASIM__LBL_PATH;
	uint64_t x = pa ^ pb;
	unsigned da = ix->depth_of_bit[dmasim__ctz64(pa)];
	unsigned dc1 = x ? ix->dc1_of_bit[dmasim__msb64(x)] : da + 1;
	unsigned ra = (unsigned)(la >> DMASIM__LBL_TSHIFT);
	unsigned rb = (unsigned)(lb >> DMASIM__LBL_TSHIFT);
	unsigned bus = dc1 > (ra > rb ? ra : rb);
	uint64_t ha = pa >> ix->hb_shift, hb = pb >> ix->hb_shift;
	const uint8_t *v = ix->vrow[k];
	unsigned ok = (v[ha] & v[hb] & (DMASIM__THRU_ANY >> (ha == hb))) != 0;

	if (dist)
		*dist = (int)(da + ix->depth_of_bit[dmasim__ctz64(pb)] + 2) -
			2 * (int)dc1;
	return (enum dmasim_map_type)(bus | (~bus & ok) << 1);
}

/* upstream_bridge_distance() / _warn() of v4.20 (drivers/pci/p2pdma.c). */
static int upstream_bridge_distance(const struct dmasim_topo *t,
				    const struct dmasim_policy *p,
				    const struct dmasim_device *provider,
				    const struct dmasim_device *client,
				    bool verbose, bool naive,
				    struct dmasim_log *log)
{
	struct walk w;
	int ret;

	walk(t, provider, client, p->acs_redirect_bits, naive, &w);
	ret = !w.has_common ? -1 : w.acs ? -2 : w.dist_a + w.dist_b;
	if (!verbose)
		return ret;
	if (ret == -2) {
		warn_acs(t, p, provider, client, &w, naive,
			 "cannot be used for peer-to-peer DMA as ACS redirect is set between the client and provider",
			 log);
	} else if (ret < 0) {
		PCI_WARN(log, client,
			 "cannot be used for peer-to-peer DMA as the client and provider (%s) do not share an upstream bridge",
			 provider->bdf);
	}
	return ret;
}

/* pci_acs_flags_enabled() (drivers/pci/pci.c). */
static bool acs_flags_enabled(const struct dmasim_device *d, unsigned flags)
{
	if (!d->has_acs)
		return false;
	flags &= (unsigned)d->acs_cap | DMASIM_ACS_EC;
	return (d->acs_ctrl & flags) == flags;
}

/* pci_acs_enabled() without device quirks (drivers/pci/pci.c). */
static bool acs_enabled(const struct dmasim_topo *t,
			const struct dmasim_device *d, unsigned flags,
			bool naive)
{
	if (!dmasim__is_pcie(t, d, naive))
		return false;
	switch (d->type) {
	case DMASIM_DEV_PCI_BRIDGE:
		return false;
	case DMASIM_DEV_ROOT_PORT:
	case DMASIM_DEV_SWITCH_DOWNSTREAM:
		return acs_flags_enabled(d, flags);
	case DMASIM_DEV_ENDPOINT:
	case DMASIM_DEV_SWITCH_UPSTREAM:
		if (dmasim__is_multifunction(t, d, naive))
			return acs_flags_enabled(d, flags);
		return true;
	case DMASIM_DEV_TYPE_COUNT:
		break;
	}
	return true;
}

/* pcie_find_root_port() of 2018: the highest PCIe bridge above (or) the
 * device, if it is a Root Port.  For a PCIe device every device above is
 * PCIe too, so that is the root-bus ancestor. */
static const struct dmasim_device *
find_root_port(const struct dmasim_topo *t, const struct dmasim_device *d,
	       bool naive)
{
	const struct dmasim_device *r = dmasim__root_bus_ancestor(t, d, naive);

	return r->type == DMASIM_DEV_ROOT_PORT ? r : NULL;
}

/* pci_peer_traffic_supported(dev, peer) of the 2018 proposal. */
static bool peer_traffic_supported(const struct dmasim_topo *t,
				   const struct dmasim_policy *p,
				   const struct dmasim_device *dev,
				   const struct dmasim_device *peer, bool naive)
{
	const struct dmasim_device *rp_dev, *rp_peer, *cu;
	unsigned cap;

	if (!dmasim__is_pcie(t, dev, naive) || !dmasim__is_pcie(t, peer, naive))
		return false;
	/* pci_peer_host_traffic_supported(dev's host bridge): the policy's
	 * whitelist (AMD 1022:1450 at 00.0 for the seed); only dev's host
	 * bridge is consulted. */
	if (dev->hb != peer->hb)
		return hb_whitelisted(t, p, dev->hb, false, false, naive, NULL);
	rp_dev = find_root_port(t, dev, naive);
	rp_peer = find_root_port(t, peer, naive);
	cu = dmasim__seed_common_upstream(t, dev, peer, naive);
	/* No ACS on dev's root port: optimistic.  (With no root port at all,
	 * e.g. a root-complex integrated endpoint, the patch would look up a
	 * capability of a NULL device; dmasim treats it as "no ACS".) */
	if (!rp_dev || !rp_dev->has_acs)
		return cu != NULL;
	cap = rp_dev->acs_cap;
	if (rp_dev == rp_peer && cu &&
	    ((cu != rp_dev && !acs_enabled(t, cu, DMASIM_ACS_UF, naive)) ||
	     (cu == rp_dev && !(cap & DMASIM_ACS_RR))))
		return true;
	if ((cap & DMASIM_ACS_RR) && !acs_enabled(t, rp_dev, DMASIM_ACS_RR, naive))
		return rp_dev == rp_peer;
	/* Only with a translation agent to do the redirect. */
	return dmasim__iommu_present(t, naive);
}

/* Everything but calc_fast(): out of line, so that the fast path needs
 * no stack frame. */
static DMASIM__NOINLINE enum dmasim_map_type
map_type_slow(const struct dmasim_topo *topo, const struct dmasim_policy *policy,
	      const struct dmasim_device *provider,
	      const struct dmasim_device *client, int *dist, unsigned flags,
	      struct dmasim_log *log)
{
	bool verbose = (flags & DMASIM_P2P_VERBOSE) != 0;
	bool naive = (flags & DMASIM_P2P_NAIVE) != 0;
	enum dmasim_map_type map;
	int d = -1;

	if (!topo || !provider || !client) {
		if (dist)
			*dist = -1;
		return DMASIM_MAP_NOT_SUPPORTED;
	}
	if (flags == 0 && topo->lca && policy->decision == DMASIM_DECIDE_CALC &&
	    policy->acs_redirect_bits == DMASIM__REDIR_BITS)
		return calc_fast(topo, policy, provider, client, dist);
	switch (policy->decision) {
	case DMASIM_DECIDE_SEED2018:
		map = peer_traffic_supported(topo, policy, provider, client, naive)
			? DMASIM_MAP_THRU_HOST_BRIDGE : DMASIM_MAP_NOT_SUPPORTED;
		d = -1;
		break;
	case DMASIM_DECIDE_LINUX_420:
		/* v4.20 maps every supported pair with bus addresses. */
		d = upstream_bridge_distance(topo, policy, provider, client,
					     verbose, naive, log);
		map = d >= 0 ? DMASIM_MAP_BUS_ADDR : DMASIM_MAP_NOT_SUPPORTED;
		break;
	case DMASIM_DECIDE_CALC:
	case DMASIM_DECIDE_CALC_RC_BUS_ADDR:
	default:
		map = calc_map_type_and_dist(topo, policy, provider, client, &d,
					     verbose, naive, log);
		break;
	}
	if (dist)
		*dist = d;
	return map;
}

enum dmasim_map_type
dmasim_p2p_map_type(const struct dmasim_topo *topo,
		    const struct dmasim_policy *policy,
		    const struct dmasim_device *provider,
		    const struct dmasim_device *client, int *dist,
		    unsigned flags, struct dmasim_log *log)
{
	const struct dmasim__lca_index *ix;
	unsigned k;

	if (!policy)
		policy = dmasim__policy_default();
	k = dmasim__policy_builtin_index(policy);
	if (flags == 0 && topo && provider && client &&
	    (ix = topo->lca) != NULL && ix->calc_label[k])
		return calc_label(ix, k, dmasim__id(topo, provider),
				  dmasim__id(topo, client), dist);
	return map_type_slow(topo, policy, provider, client, dist, flags, log);
}

int dmasim_p2p_distance_many(const struct dmasim_topo *topo,
			     const struct dmasim_policy *policy,
			     const struct dmasim_device *provider,
			     const struct dmasim_device *const *clients,
			     size_t n, unsigned flags, struct dmasim_log *log)
{
	bool verbose = (flags & DMASIM_P2P_VERBOSE) != 0;
	bool not_supported = false;
	int total = 0, d;
	size_t i;

	if (!topo || !provider || n == 0)
		return -1;
	if (!policy)
		policy = dmasim_policy_default();
	for (i = 0; i < n; i++) {
		/* find_parent_pci_dev(): every client in the model is a PCI
		 * device, so the "not a PCI device" branch cannot occur. */
		if (!clients[i])
			return -1;
		if (dmasim_p2p_map_type(topo, policy, provider, clients[i], &d,
					flags, log) == DMASIM_MAP_NOT_SUPPORTED)
			not_supported = true;
		if (not_supported && !verbose)
			break;
		total += d;
	}
	/* The 2018 proposal has no distance at all. */
	if (not_supported || policy->decision == DMASIM_DECIDE_SEED2018)
		return -1;
	return total;
}
