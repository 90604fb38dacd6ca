/*
 * dmasim -- finalize a loaded topology: set the links, derive what the file
 * may leave out (bridge bus numbers and windows, BAR bus addresses, DMA
 * limits, IOMMU groups), check every load-time rule of docs/topology.md, and build
 * the indexes of the other layers.  After this the model is immutable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/load.h"
#include "model/names.h"
#include "model/topo_int.h"

#define MIB (1ull << 20)

static const char *const win_words[DMASIM_WIN_KIND_COUNT] = {
	"non-prefetchable", "prefetchable",
};

static const char *devname(const struct dmasim_device *d)
{
	return d->name;
}

/* ---- links --------------------------------------------------------- */

/* Children lists in one array: slot p < ndevs holds the children of device
 * p, slot ndevs + h the root bus of host bridge h; each list in id order.
 * Unnamed devices are named by their BDF text (the array is final now). */
static int link_devices(struct dmasim_topo *t, struct dmasim_error *err)
{
	size_t nslots = t->ndevs + t->nhbs, i;
	uint32_t *start;

	start = calloc(nslots + 1, sizeof(*start));
	t->childv = malloc((t->ndevs + 1) * sizeof(*t->childv));
	if (!start || !t->childv) {
		free(start);
		return dmasim_error_set(err, DMASIM_ENOMEM, t->file, 0, 0,
					"out of memory");
	}
	for (i = 0; i < t->ndevs; i++) {
		uint32_t p = t->devx[i].parent;
		start[p == DMASIM__NOPARENT ? t->ndevs + t->devx[i].hb : p]++;
	}
	/* Running sums: start[s] = one past the end of slot s's list... */
	for (i = 1; i <= nslots; i++)
		start[i] += start[i - 1];
	/* ...and filling from the last device back leaves start[s] at the
	 * beginning of slot s's list, in ascending id order. */
	for (i = t->ndevs; i-- > 0;) {
		const struct dmasim__devx *x = &t->devx[i];
		size_t slot = x->parent == DMASIM__NOPARENT ? t->ndevs + x->hb
							    : x->parent;
		t->childv[--start[slot]] = &t->devs[i];
	}
	for (i = 0; i < t->ndevs; i++) {
		struct dmasim_device *d = &t->devs[i];
		const struct dmasim__devx *x = &t->devx[i];

		d->id = (unsigned)i;
		d->hb = &t->hbs[x->hb];
		d->parent = x->parent == DMASIM__NOPARENT ? NULL : &t->devs[x->parent];
		d->depth = d->parent ? d->parent->depth + 1 : 0;
		d->bars = x->nbars ? &t->bars[x->bar_first] : NULL;
		d->nbars = x->nbars;
		if (!d->name)
			d->name = d->bdf;
		d->nchildren = start[i + 1] - start[i];
		d->children = &t->childv[start[i]];
	}
	for (i = 0; i < t->nhbs; i++) {
		size_t s = t->ndevs + i;
		t->hbs[i].ndevices = start[s + 1] - start[s];
		t->hbs[i].devices = &t->childv[start[s]];
	}
	free(start);
	return DMASIM_OK;
}

static void link_machine(struct dmasim_topo *t)
{
	size_t i;

	for (i = 0; i < t->niommus; i++) {
		t->iommus[i].id = (unsigned)i;
		t->iommus[i].reserved = t->iommux[i].nresv
			? &t->resv[t->iommux[i].resv_first] : NULL;
		t->iommus[i].nreserved = t->iommux[i].nresv;
	}
	for (i = 0; i < t->nhbs; i++) {
		struct dmasim_host_bridge *h = &t->hbs[i];
		h->id = (unsigned)i;
		h->windows = t->hbx[i].nwin ? &t->hbwins[t->hbx[i].win_first] : NULL;
		h->nwindows = t->hbx[i].nwin;
		h->dma_ranges = t->hbx[i].ndr ? &t->dranges[t->hbx[i].dr_first] : NULL;
		h->ndma_ranges = t->hbx[i].ndr;
		h->iommu = t->hbx[i].iommu == DMASIM__NONE ? NULL
							   : &t->iommus[t->hbx[i].iommu];
	}
	t->m.ram = t->ram;
	t->m.nram = t->nram;
	t->m.iommus = t->iommus;
	t->m.niommus = t->niommus;
	t->m.host_bridges = t->hbs;
	t->m.nhost_bridges = t->nhbs;
	t->m.devices = t->devs;
	t->m.ndevices = t->ndevs;
}

/* ---- sibling lists and intervals ------------------------------------ */

struct ival {
	uint64_t lo, hi;
	const struct dmasim_device *dev;
	int bar;   /* BAR index, or -1 for a window / bus range */
	int kind;  /* window kind when bar < 0 */
	struct dmasim_pos pos;
};

struct scratch {
	struct ival *v;
	size_t n, cap;
};

static int ival_push(struct scratch *s, struct ival iv)
{
	if (dmasim__grow((void **)&s->v, &s->cap, s->n, sizeof(*s->v)))
		return -1;
	s->v[s->n++] = iv;
	return 0;
}

static int cmp_ival(const void *a, const void *b)
{
	const struct ival *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->dev->id < y->dev->id ? -1 : x->dev->id > y->dev->id;
}

typedef int (*sibling_fn)(struct dmasim_topo *t, struct dmasim_error *err,
			  const struct dmasim_device *const *kids, size_t n,
			  struct scratch *s);

/* Call @fn on every bridge's children and on every root bus. */
static int for_each_sibling_list(struct dmasim_topo *t, struct dmasim_error *err,
				 sibling_fn fn)
{
	struct scratch s = { 0 };
	int rc = DMASIM_OK;
	size_t i;

	for (i = 0; i < t->ndevs + t->nhbs && rc == DMASIM_OK; i++) {
		s.n = 0;
		if (i < t->ndevs)
			rc = fn(t, err, t->devs[i].children, t->devs[i].nchildren, &s);
		else
			rc = fn(t, err, t->hbs[i - t->ndevs].devices,
				t->hbs[i - t->ndevs].ndevices, &s);
	}
	free(s.v);
	return rc;
}

static int check_bus_overlap(struct dmasim_topo *t, struct dmasim_error *err,
			     const struct dmasim_device *const *kids, size_t n,
			     struct scratch *s)
{
	size_t j;

	for (j = 0; j < n; j++) {
		struct ival iv = { kids[j]->secondary, kids[j]->subordinate,
				   kids[j], -1, 0, kids[j]->pos };
		if (dmasim_device_is_bridge(kids[j]) && ival_push(s, iv))
			return dmasim_error_set(err, DMASIM_ENOMEM, t->file, 0, 0,
						"out of memory");
	}
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_ival);
	for (j = 1; j < s->n; j++) {
		const struct ival *a = &s->v[j - 1], *b = &s->v[j];
		if (b->lo <= a->hi) {
			if (b->dev->id < a->dev->id) {
				const struct ival *tmp = a;
				a = b;
				b = tmp;
			}
			return dmasim__topo_err(t, err, DMASIM_ETOPO, b->pos,
				"buses [0x%02x-0x%02x] behind %s overlap buses [0x%02x-0x%02x] behind its sibling %s",
				(unsigned)b->lo, (unsigned)b->hi, devname(b->dev),
				(unsigned)a->lo, (unsigned)a->hi, devname(a->dev));
		}
	}
	return DMASIM_OK;
}

/* ---- buses ----------------------------------------------------------- */

static int check_buses(struct dmasim_topo *t, struct dmasim_error *err)
{
	size_t i, j;

	/* Devices of one bus: same bus number, inside the range, below parent. */
	for (i = 0; i < t->ndevs + t->nhbs; i++) {
		const struct dmasim_device *const *kids;
		const struct dmasim_host_bridge *h;
		const struct dmasim_device *p = NULL;
		size_t n;

		if (i < t->ndevs) {
			p = &t->devs[i];
			kids = p->children;
			n = p->nchildren;
			h = p->hb;
		} else {
			h = &t->hbs[i - t->ndevs];
			kids = h->devices;
			n = h->ndevices;
		}
		for (j = 0; j < n; j++) {
			const struct dmasim_device *d = kids[j];

			if (d->bus < h->bus_first || d->bus > h->bus_last)
				return dmasim__topo_err(t, err, DMASIM_ETOPO, d->pos,
					"bus 0x%02x of %s is outside the bus range [0x%02x-0x%02x] of host bridge %s",
					d->bus, devname(d), h->bus_first, h->bus_last, h->name);
			if (d->segment != h->segment)
				return dmasim__topo_err(t, err, DMASIM_ETOPO, d->pos,
					"%s is in segment %04x but its host bridge %s is segment %04x",
					devname(d), d->segment, h->name, h->segment);
			if (j > 0 && d->bus != kids[0]->bus)
				return dmasim__topo_err(t, err, DMASIM_ETOPO, d->pos,
					"%s is on bus 0x%02x but its sibling %s is on bus 0x%02x: all devices below %s must be on one bus",
					devname(d), d->bus, devname(kids[0]), kids[0]->bus,
					p ? devname(p) : h->name);
			if (p && d->bus <= p->bus)
				return dmasim__topo_err(t, err, DMASIM_ETOPO, d->pos,
					"%s is on bus 0x%02x, which is not above the bus 0x%02x of its parent %s",
					devname(d), d->bus, p->bus, devname(p));
		}
	}
	/* Secondary and subordinate, bottom-up (children have larger ids). */
	for (i = t->ndevs; i-- > 0;) {
		struct dmasim_device *d = &t->devs[i];
		struct dmasim__devx *x = &t->devx[i];
		unsigned sub;

		if (!dmasim_device_is_bridge(d))
			continue;
		if (d->nchildren) {
			if (x->has_secondary && d->secondary != d->children[0]->bus)
				return dmasim__topo_err(t, err, DMASIM_ETOPO, d->pos,
					"secondary bus 0x%02x of %s does not match the bus 0x%02x of its children",
					d->secondary, devname(d), d->children[0]->bus);
			d->secondary = d->children[0]->bus;
		} else if (!x->has_secondary) {
			/* An empty bridge: give it the next bus number. */
			d->secondary = (uint8_t)(d->bus + 1 > 0xff ? 0xff : d->bus + 1);
		}
		if (d->secondary <= d->bus)
			return dmasim__topo_err(t, err, DMASIM_ETOPO, d->pos,
				"secondary bus 0x%02x of %s is not above its own bus 0x%02x",
				d->secondary, devname(d), d->bus);
		sub = d->secondary;
		for (j = 0; j < d->nchildren; j++)
			if (dmasim_device_is_bridge(d->children[j]) &&
			    d->children[j]->subordinate > sub)
				sub = d->children[j]->subordinate;
		if (x->has_subordinate) {
			if (d->subordinate < sub)
				return dmasim__topo_err(t, err, DMASIM_ETOPO, d->pos,
					"subordinate bus 0x%02x of %s is below bus 0x%02x, which is behind it",
					d->subordinate, devname(d), sub);
		} else {
			d->subordinate = (uint8_t)sub;
		}
		if (d->subordinate > d->hb->bus_last)
			return dmasim__topo_err(t, err, DMASIM_ETOPO, d->pos,
				"buses [0x%02x-0x%02x] behind %s exceed the bus range of host bridge %s",
				d->secondary, d->subordinate, devname(d), d->hb->name);
	}
	/* Sibling bridges must own disjoint bus ranges. */
	return for_each_sibling_list(t, err, check_bus_overlap);
}

/* ---- BARs and windows ------------------------------------------------ */

static uint64_t last_of(uint64_t base, uint64_t size)
{
	return base + size - 1;
}

/* A host-bridge window by CPU address, for sorting. */
struct win_key {
	uint64_t cpu;
	size_t idx;
};

static int cmp_win_key(const void *a, const void *b)
{
	const struct win_key *x = a, *y = b;

	return x->cpu < y->cpu ? -1 : x->cpu > y->cpu;
}

/* BAR bus address = CPU address - offset of the host-bridge window
 * holding it (pcibios_resource_to_bus, drivers/pci/host-bridge.c).
 * Host-bridge windows do not overlap (check_memory_map), so at most one
 * holds a BAR: a binary search over them sorted by CPU address finds it. */
/* A BAR's width follows its bus address (what the BAR register holds): an
 * omitted `bits` is 64 when the bus address reaches above 4 GiB, else 32;
 * a 32-bit BAR must lie below 4 GiB on the bus; a 64-bit BAR takes two
 * slots. */
static int settle_bar_width(struct dmasim_topo *t, struct dmasim_error *err,
			    const struct dmasim_device *d, struct dmasim_bar *bar)
{
	uint64_t last = bar->bus + (bar->size - 1);
	size_t b;

	if (bar->bits == 0) {
		bar->bits = last >= 0x100000000ull ? 64 : 32;
		if (bar->bits == 64 && bar->index == 5)
			return dmasim__topo_err(t, err, DMASIM_ETOPO, bar->pos,
				"BAR 5 of %s reaches above 4 GiB on the bus (0x%llx), so it is 64-bit, but a 64-bit BAR takes two slots",
				devname(d), (unsigned long long)last);
		for (b = 0; b < d->nbars && bar->bits == 64; b++)
			if (d->bars[b].index == bar->index + 1)
				return dmasim__topo_err(t, err, DMASIM_ETOPO, bar->pos,
					"BAR %u of %s reaches above 4 GiB on the bus (0x%llx), so it is 64-bit and takes slot %u too, which BAR %u uses",
					bar->index, devname(d), (unsigned long long)last,
					bar->index + 1, d->bars[b].index);
	}
	if (bar->bits == 32 && last >= 0x100000000ull)
		return dmasim__topo_err(t, err, DMASIM_ETOPO, bar->pos,
			"BAR %u of %s is 32-bit but its bus address reaches above 4 GiB (0x%llx)",
			bar->index, devname(d), (unsigned long long)last);
	return DMASIM_OK;
}

static int set_bar_bus_addresses(struct dmasim_topo *t, struct dmasim_error *err)
{
	struct win_key *order;
	int rc;
	size_t i, b;
	char r[48];

	order = malloc((t->nhbwins + 1) * sizeof(*order));
	if (!order)
		return dmasim_error_set(err, DMASIM_ENOMEM, t->file, 0, 0,
					"out of memory");
	/* Each host bridge's windows are a contiguous run of hbwins[]. */
	for (i = 0; i < t->nhbwins; i++) {
		order[i].cpu = t->hbwins[i].cpu;
		order[i].idx = i;
	}
	for (i = 0; i < t->nhbs; i++)
		qsort(order + t->hbx[i].win_first, t->hbx[i].nwin, sizeof(*order),
		      cmp_win_key);
	for (i = 0; i < t->ndevs; i++) {
		const struct dmasim_device *d = &t->devs[i];
		const struct dmasim_host_bridge *h = d->hb;
		const struct win_key *w = order + t->hbx[h->id].win_first;
		size_t nw = t->hbx[h->id].nwin;

		for (b = 0; b < d->nbars; b++) {
			struct dmasim_bar *bar = (struct dmasim_bar *)&d->bars[b];
			uint64_t last = last_of(bar->cpu, bar->size);
			const struct dmasim_hb_window *hw = NULL;
			size_t lo = 0, hi = nw;

			/* The last window starting at or below the BAR. */
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (w[mid].cpu <= bar->cpu)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo > 0 && last <= last_of(t->hbwins[w[lo - 1].idx].cpu,
						       t->hbwins[w[lo - 1].idx].size))
				hw = &t->hbwins[w[lo - 1].idx];
			if (!hw) {
				free(order);
				return dmasim__topo_err(t, err, DMASIM_ETOPO, bar->pos,
					"BAR %u of %s %s is not inside any window of host bridge %s",
					bar->index, devname(d),
					dmasim__range_str(r, sizeof(r), bar->cpu, last),
					h->name);
			}
			bar->bus = bar->cpu - dmasim_hb_window_offset(hw);
			if (bar->bus & (bar->size - 1)) {
				free(order);
				return dmasim__topo_err(t, err, DMASIM_ETOPO,
					t->bar_base_pos[bar - t->bars],
					"BAR %u of %s is at bus address 0x%llx, which is not aligned to its size 0x%llx; a BAR is naturally aligned",
					bar->index, devname(d),
					(unsigned long long)bar->bus,
					(unsigned long long)bar->size);
			}
			if ((rc = settle_bar_width(t, err, d, bar))) {
				free(order);
				return rc;
			}
		}
	}
	free(order);
	return DMASIM_OK;
}

/* The window kind a child's BAR decodes through at a bridge @p. */
static int bar_kind_at(const struct dmasim_device *p, const struct dmasim_bar *b)
{
	if (b->pref && p->windows[DMASIM_WIN_MEM_PREF].present)
		return DMASIM_WIN_MEM_PREF;
	return DMASIM_WIN_MEM;
}

static int win_kind_at(const struct dmasim_device *p, int kind)
{
	if (kind == DMASIM_WIN_MEM_PREF && p->windows[DMASIM_WIN_MEM_PREF].present)
		return DMASIM_WIN_MEM_PREF;
	return DMASIM_WIN_MEM;
}

static void widen(struct dmasim_window *w, uint64_t lo, uint64_t hi)
{
	lo &= ~(MIB - 1);
	hi |= MIB - 1;
	if (!w->present) {
		w->present = true;
		w->derived = true;
		w->base = lo;
		w->limit = hi;
		return;
	}
	if (lo < w->base)
		w->base = lo;
	if (hi > w->limit)
		w->limit = hi;
}

/* Bridge windows absent from the file cover every child BAR and window,
 * per kind, 1 MiB granular (bottom-up: children have larger ids). */
static void derive_windows(struct dmasim_topo *t)
{
	size_t i, j, b;
	int k;

	for (i = t->ndevs; i-- > 0;) {
		struct dmasim_device *d = &t->devs[i];
		bool given[DMASIM_WIN_KIND_COUNT];

		if (!dmasim_device_is_bridge(d))
			continue;
		for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++)
			given[k] = d->windows[k].present;
		/* Prefetchable content first: it decides whether a derived
		 * prefetchable window exists, which decides where the rest goes. */
		if (!given[DMASIM_WIN_MEM_PREF]) {
			for (j = 0; j < d->nchildren; j++) {
				const struct dmasim_device *c = d->children[j];
				for (b = 0; b < c->nbars; b++)
					if (c->bars[b].pref)
						widen(&d->windows[DMASIM_WIN_MEM_PREF],
						      c->bars[b].bus,
						      last_of(c->bars[b].bus, c->bars[b].size));
				if (c->windows[DMASIM_WIN_MEM_PREF].present)
					widen(&d->windows[DMASIM_WIN_MEM_PREF],
					      c->windows[DMASIM_WIN_MEM_PREF].base,
					      c->windows[DMASIM_WIN_MEM_PREF].limit);
			}
		}
		if (given[DMASIM_WIN_MEM])
			continue;
		for (j = 0; j < d->nchildren; j++) {
			const struct dmasim_device *c = d->children[j];
			for (b = 0; b < c->nbars; b++)
				if (bar_kind_at(d, &c->bars[b]) == DMASIM_WIN_MEM)
					widen(&d->windows[DMASIM_WIN_MEM], c->bars[b].bus,
					      last_of(c->bars[b].bus, c->bars[b].size));
			for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++)
				if (c->windows[k].present &&
				    win_kind_at(d, k) == DMASIM_WIN_MEM)
					widen(&d->windows[DMASIM_WIN_MEM],
					      c->windows[k].base, c->windows[k].limit);
		}
	}
}

static int outside(struct dmasim_topo *t, struct dmasim_error *err,
		   struct dmasim_pos pos, const char *what,
		   const struct dmasim_device *p, int kind, uint64_t lo,
		   uint64_t hi)
{
	const struct dmasim_window *w = &p->windows[kind];
	char r1[48], r2[48];

	dmasim__range_str(r1, sizeof(r1), lo, hi);
	if (!w->present)
		return dmasim__topo_err(t, err, DMASIM_ETOPO, pos,
			"%s %s is below %s, which has no %s window",
			what, r1, devname(p), win_words[kind]);
	return dmasim__topo_err(t, err, DMASIM_ETOPO, pos,
		"%s %s is outside the %s%s window of its parent %s %s",
		what, r1, w->derived ? "derived " : "", win_words[kind],
		devname(p), dmasim__range_str(r2, sizeof(r2), w->base, w->limit));
}

static bool inside(const struct dmasim_window *w, uint64_t lo, uint64_t hi)
{
	return w->present && lo >= w->base && hi <= w->limit;
}

/*
 * A derived window is not what the user wrote: an error about it is
 * reported at what it was derived from.  The witness of derived window
 * @k of @d is the item below it (a BAR, or a window the file gave) for
 * which @bad(lo, hi) holds on its 1 MiB-rounded range, as derive_windows
 * widened it; the one written last in the file when there are several.
 * Returns false when there is none.
 */
struct wpred {
	uint64_t lo, hi;   /* the other range */
	bool inside;       /* true: bad = not inside [lo, hi]; false: overlaps */
};

static bool wpred_bad(const struct wpred *p, uint64_t lo, uint64_t hi)
{
	lo &= ~(MIB - 1);
	hi |= MIB - 1;
	if (p->inside)
		return lo < p->lo || hi > p->hi;
	return lo <= p->hi && p->lo <= hi;
}

static bool pos_after(struct dmasim_pos a, struct dmasim_pos b)
{
	return a.line > b.line || (a.line == b.line && a.column > b.column);
}

static void witness_take(struct ival *best, bool *found, struct ival cand)
{
	if (!*found || pos_after(cand.pos, best->pos))
		*best = cand;
	*found = true;
}

static bool find_witness(const struct dmasim_topo *t,
			 const struct dmasim_device *d, int k,
			 const struct wpred *p, struct ival *out)
{
	bool found = false;
	size_t j, b;
	int kk;

	for (j = 0; j < d->nchildren; j++) {
		const struct dmasim_device *c = d->children[j];

		for (b = 0; b < c->nbars; b++) {
			const struct dmasim_bar *bar = &c->bars[b];
			uint64_t hi = last_of(bar->bus, bar->size);

			if (bar_kind_at(d, bar) == k && wpred_bad(p, bar->bus, hi))
				witness_take(out, &found, (struct ival){
					bar->bus, hi, c, (int)bar->index, 0, bar->pos });
		}
		for (kk = 0; kk < DMASIM_WIN_KIND_COUNT; kk++) {
			const struct dmasim_window *w = &c->windows[kk];
			struct ival sub;

			if (!w->present || win_kind_at(d, kk) != k ||
			    !wpred_bad(p, w->base, w->limit))
				continue;
			if (!w->derived)
				witness_take(out, &found, (struct ival){
					w->base, w->limit, c, -1, kk, w->pos });
			else if (find_witness(t, c, kk, p, &sub))
				witness_take(out, &found, sub);
		}
	}
	return found;
}

static void describe(char *buf, size_t size, const struct ival *iv);

/* Where to report that derived window @k of @d breaks @p: at its
 * witness, or at the bridge when there is none. */
static struct dmasim_pos derived_pos(const struct dmasim_topo *t,
				     const struct dmasim_device *d, int k,
				     const struct wpred *p)
{
	struct ival w;

	return find_witness(t, d, k, p, &w) ? w.pos : d->pos;
}

/* Derived top-level window @k of @d is inside no host-bridge window: the
 * item below it that leaves the host-bridge window holding its base (or
 * its limit), or the bridge. */
static struct dmasim_pos hb_derived_pos(const struct dmasim_topo *t,
					const struct dmasim_device *d, int k,
					const struct dmasim_window *dw)
{
	size_t w;

	for (w = 0; w < d->hb->nwindows; w++) {
		const struct dmasim_hb_window *hw = &d->hb->windows[w];
		struct wpred p = { hw->bus, last_of(hw->bus, hw->size), true };

		if ((dw->base >= p.lo && dw->base <= p.hi) ||
		    (dw->limit >= p.lo && dw->limit <= p.hi))
			return derived_pos(t, d, k, &p);
	}
	return d->pos;
}

/* Every BAR and window inside its parent's window of the right kind (and
 * so, by induction, inside every ancestor's); top-level windows inside a
 * host-bridge window. */
static int check_containment(struct dmasim_topo *t, struct dmasim_error *err)
{
	char what[256];
	size_t i, b, w;
	int k;

	for (i = 0; i < t->ndevs; i++) {
		const struct dmasim_device *d = &t->devs[i], *p = d->parent;

		for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++) {
			const struct dmasim_window *dw = &d->windows[k];
			if (!dw->present)
				continue;
			if (dw->limit < dw->base)
				return dmasim__topo_err(t, err, DMASIM_ETOPO, dw->pos,
					"the %s window of %s has its limit 0x%llx below its base 0x%llx",
					win_words[k], devname(d),
					(unsigned long long)dw->limit,
					(unsigned long long)dw->base);
			snprintf(what, sizeof(what), "the %s%s window of %s",
				 dw->derived ? "derived " : "", win_words[k], devname(d));
			if (p) {
				int pk = win_kind_at(p, k);
				struct wpred wp = { p->windows[pk].base,
						    p->windows[pk].limit, true };
				struct ival wi;

				if (inside(&p->windows[pk], dw->base, dw->limit))
					continue;
				if (dw->derived && p->windows[pk].present &&
				    find_witness(t, d, k, &wp, &wi)) {
					char r1[48], r2[48];

					describe(what, sizeof(what), &wi);
					return dmasim__topo_err(t, err, DMASIM_ETOPO, wi.pos,
						"%s %s is outside the %s window of %s %s; the window derived for %s, between them, covers it",
						what, dmasim__range_str(r1, sizeof(r1), wi.lo, wi.hi),
						win_words[pk], devname(p),
						dmasim__range_str(r2, sizeof(r2), p->windows[pk].base,
								  p->windows[pk].limit),
						devname(d));
				}
				return outside(t, err, dw->derived ? d->pos : dw->pos,
					       what, p, pk, dw->base, dw->limit);
				continue;
			}
			for (w = 0; w < d->hb->nwindows; w++) {
				const struct dmasim_hb_window *hw = &d->hb->windows[w];
				if (dw->base >= hw->bus &&
				    dw->limit <= last_of(hw->bus, hw->size))
					break;
			}
			if (w == d->hb->nwindows) {
				char r[48];
				struct dmasim_pos at = dw->pos;

				if (dw->derived)
					at = hb_derived_pos(t, d, k, dw);
				return dmasim__topo_err(t, err, DMASIM_ETOPO, at,
					"%s %s is not inside any window of host bridge %s (bus addresses)",
					what, dmasim__range_str(r, sizeof(r), dw->base, dw->limit),
					d->hb->name);
			}
		}
		if (!p)
			continue;
		for (b = 0; b < d->nbars; b++) {
			const struct dmasim_bar *bar = &d->bars[b];
			int pk = bar_kind_at(p, bar);
			uint64_t hi = last_of(bar->bus, bar->size);

			if (!inside(&p->windows[pk], bar->bus, hi)) {
				snprintf(what, sizeof(what), "BAR %u of %s", bar->index,
					 devname(d));
				return outside(t, err, bar->pos, what, p, pk, bar->bus, hi);
			}
		}
	}
	return DMASIM_OK;
}

static void describe(char *buf, size_t size, const struct ival *iv)
{
	if (iv->bar >= 0)
		snprintf(buf, size, "BAR %d of %s", iv->bar, devname(iv->dev));
	else
		snprintf(buf, size, "the %s window of %s", win_words[iv->kind],
			 devname(iv->dev));
}

static bool is_derived(const struct ival *iv)
{
	return iv->bar < 0 && iv->dev->windows[iv->kind].derived;
}

/*
 * Sibling items @a and @c overlap and one of them is a derived window:
 * report the items the user wrote that make them overlap (a BAR or given
 * window below each derived one), at the one written last.  Derived
 * windows are 1 MiB granular, so two BARs behind different bridges clash
 * when they share a 1 MiB block even if they do not overlap.
 */
static int derived_overlap(struct dmasim_topo *t, struct dmasim_error *err,
			   const struct ival *a, const struct ival *c)
{
	struct ival wa = *a, wc = *c, tmp;
	struct wpred p = { a->lo, a->hi, false };
	char r1[48], r2[48], d1[96], d2[96], why[192];
	const struct dmasim_device *bridges[2] = { NULL, NULL };

	if (is_derived(c) && find_witness(t, c->dev, c->kind, &p, &wc))
		bridges[0] = c->dev;
	p.lo = is_derived(c) ? wc.lo & ~(MIB - 1) : wc.lo;
	p.hi = is_derived(c) ? wc.hi | (MIB - 1) : wc.hi;
	if (is_derived(a) && find_witness(t, a->dev, a->kind, &p, &wa))
		bridges[1] = a->dev;
	if (pos_after(wa.pos, wc.pos)) {
		tmp = wa;
		wa = wc;
		wc = tmp;
	}
	describe(d1, sizeof(d1), &wc);
	describe(d2, sizeof(d2), &wa);
	why[0] = '\0';
	if (wc.lo > wa.hi || wa.lo > wc.hi)
		snprintf(why, sizeof(why),
			 ": they share a 1 MiB block, and the window%s derived for %s%s%s %s 1 MiB granular",
			 bridges[0] && bridges[1] ? "s" : "",
			 bridges[0] ? devname(bridges[0]) : devname(bridges[1]),
			 bridges[0] && bridges[1] ? " and " : "",
			 bridges[0] && bridges[1] ? devname(bridges[1]) : "",
			 bridges[0] && bridges[1] ? "are" : "is");
	return dmasim__topo_err(t, err, DMASIM_ETOPO, wc.pos,
		"%s %s overlaps %s %s (line %u)%s",
		d1, dmasim__range_str(r1, sizeof(r1), wc.lo, wc.hi),
		d2, dmasim__range_str(r2, sizeof(r2), wa.lo, wa.hi), wa.pos.line, why);
}

/* What one bus decodes (sibling BARs and windows) must not overlap. */
static int check_sibling_overlap(struct dmasim_topo *t, struct dmasim_error *err,
				 const struct dmasim_device *const *kids,
				 size_t n, struct scratch *s)
{
	char r1[48], r2[48], d1[96], d2[96];
	size_t j, b;
	int k;

	for (j = 0; j < n; j++) {
		const struct dmasim_device *d = kids[j];
		for (b = 0; b < d->nbars; b++) {
			struct ival iv = { d->bars[b].bus,
					   last_of(d->bars[b].bus, d->bars[b].size), d,
					   (int)d->bars[b].index, 0, d->bars[b].pos };
			if (ival_push(s, iv))
				goto nomem;
		}
		for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++) {
			struct ival iv = { d->windows[k].base, d->windows[k].limit,
					   d, -1, k,
					   d->windows[k].derived ? d->pos : d->windows[k].pos };
			if (d->windows[k].present && ival_push(s, iv))
				goto nomem;
		}
	}
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_ival);
	for (j = 1; j < s->n; j++) {
		const struct ival *a = &s->v[j - 1], *c = &s->v[j];
		/* A bridge's own windows may not overlap each other either. */
		if (c->lo > a->hi)
			continue;
		if (c->dev->id < a->dev->id ||
		    (c->dev == a->dev && c->pos.line < a->pos.line)) {
			const struct ival *tmp = a;
			a = c;
			c = tmp;
		}
		if (is_derived(a) || is_derived(c))
			return derived_overlap(t, err, a, c);
		describe(d1, sizeof(d1), c);
		describe(d2, sizeof(d2), a);
		return dmasim__topo_err(t, err, DMASIM_ETOPO, c->pos,
			"%s %s overlaps %s %s",
			d1, dmasim__range_str(r1, sizeof(r1), c->lo, c->hi),
			d2, dmasim__range_str(r2, sizeof(r2), a->lo, a->hi));
	}
	return DMASIM_OK;
nomem:
	return dmasim_error_set(err, DMASIM_ENOMEM, t->file, 0, 0, "out of memory");
}

struct span {
	uint64_t lo, hi;
	size_t i;
};

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/*
 * The first of @n intervals that overlaps a later one (n when none): the i
 * of the first pair (i, j > i) a pairwise scan would find, in O(n log n).
 * Sorted by lo, an interval overlaps another iff the highest end before it
 * reaches its start or the next one starts within it; the first flagged
 * interval overlaps a flagged one, which comes later.  -1 on ENOMEM.
 */
static int first_overlapping(const struct ival *v, size_t n, size_t *first)
{
	struct span *sp = malloc((n + 1) * sizeof(*sp));
	uint64_t maxhi = 0;
	size_t p;

	if (!sp)
		return -1;
	for (p = 0; p < n; p++) {
		sp[p].lo = v[p].lo;
		sp[p].hi = v[p].hi;
		sp[p].i = p;
	}
	qsort(sp, n, sizeof(*sp), cmp_span);
	*first = n;
	for (p = 0; p < n; p++) {
		bool hit = (p > 0 && maxhi >= sp[p].lo) ||
			   (p + 1 < n && sp[p + 1].lo <= sp[p].hi);

		if (hit && sp[p].i < *first)
			*first = sp[p].i;
		if (p == 0 || sp[p].hi > maxhi)
			maxhi = sp[p].hi;
	}
	free(sp);
	return 0;
}

/* Host-bridge windows (CPU side) and RAM must not overlap one another. */
static int check_memory_map(struct dmasim_topo *t, struct dmasim_error *err)
{
	struct scratch s = { 0 };
	char r1[48], r2[48];
	size_t i;
	int rc = DMASIM_OK;

	for (i = 0; i < t->nhbwins && rc == DMASIM_OK; i++) {
		struct ival iv = { t->hbwins[i].cpu,
				   last_of(t->hbwins[i].cpu, t->hbwins[i].size),
				   NULL, -1, (int)i, t->hbwins[i].pos };
		if (ival_push(&s, iv))
			rc = DMASIM_ENOMEM;
	}
	for (i = 0; i < t->nram && rc == DMASIM_OK; i++) {
		struct ival iv = { t->ram[i].base, last_of(t->ram[i].base, t->ram[i].size),
				   NULL, -2, (int)i, t->ram_pos[i] };
		if (ival_push(&s, iv))
			rc = DMASIM_ENOMEM;
	}
	if (rc || first_overlapping(s.v, s.n, &i)) {
		free(s.v);
		return dmasim_error_set(err, DMASIM_ENOMEM, t->file, 0, 0,
					"out of memory");
	}
	if (i < s.n)
		for (size_t j = i + 1; j < s.n; j++) {
			const struct ival *a = &s.v[i], *c = &s.v[j];
			if (a->lo > c->hi || c->lo > a->hi)
				continue;
			/* Blame the one written later in the file. */
			if (c->pos.line < a->pos.line ||
			    (c->pos.line == a->pos.line && c->pos.column < a->pos.column)) {
				const struct ival *tmp = a;
				a = c;
				c = tmp;
			}
			rc = dmasim__topo_err(t, err, DMASIM_ETOPO, c->pos,
				"%s %s overlaps %s %s at line %u",
				c->bar == -1 ? "host-bridge window" : "RAM range",
				dmasim__range_str(r1, sizeof(r1), c->lo, c->hi),
				a->bar == -1 ? "host-bridge window" : "RAM range",
				dmasim__range_str(r2, sizeof(r2), a->lo, a->hi),
				a->pos.line);
			free(s.v);
			return rc;
		}
	free(s.v);
	return DMASIM_OK;
}

/* ---- DMA limits, domains and IOMMU groups ---------------------------- */

/* of_dma_configure_id(): with explicit dma-ranges a device's bus_dma_limit
 * is the highest bus address they cover (unless the file sets one). */
static void set_dma_limits(struct dmasim_topo *t)
{
	size_t i, r;

	for (i = 0; i < t->ndevs; i++) {
		struct dmasim_device *d = &t->devs[i];
		uint64_t top = 0;

		if (t->devx[i].has_bus_dma_limit || !d->hb->has_dma_ranges)
			continue;
		for (r = 0; r < d->hb->ndma_ranges; r++) {
			const struct dmasim_dma_range *dr = &d->hb->dma_ranges[r];
			if (last_of(dr->bus, dr->size) > top)
				top = last_of(dr->bus, dr->size);
		}
		d->bus_dma_limit = top;
	}
}

/* pci_acs_enabled(pdev, REQ_ACS_FLAGS) as pci_device_group uses it
 * (drivers/pci/pci.c): ports need the bits (unimplemented ones count as
 * enabled, except EC); single-function endpoints and upstream ports pass;
 * PCI bridges fail; multi-function endpoints need the bits. */
#define REQ_ACS_FLAGS (DMASIM_ACS_SV | DMASIM_ACS_RR | DMASIM_ACS_CR | DMASIM_ACS_UF)

static bool acs_flags_enabled(const struct dmasim_device *d, unsigned flags)
{
	if (!d->has_acs)
		return false;
	flags &= d->acs_cap | DMASIM_ACS_EC;
	return (d->acs_ctrl & flags) == flags;
}

static bool acs_enabled(const struct dmasim_device *d, unsigned flags)
{
	switch (d->type) {
	case DMASIM_DEV_ROOT_PORT:
	case DMASIM_DEV_SWITCH_DOWNSTREAM:
		return acs_flags_enabled(d, flags);
	case DMASIM_DEV_PCI_BRIDGE:
		return false;
	case DMASIM_DEV_ENDPOINT:
	case DMASIM_DEV_SWITCH_UPSTREAM:
	default:
		return dmasim_device_is_multifunction(d) ? acs_flags_enabled(d, flags) : true;
	}
}

/* pci_acs_path_enabled(start, NULL, flags): every device from @d up. */
static bool acs_path_enabled(const struct dmasim_device *d, unsigned flags)
{
	for (; d; d = d->parent)
		if (!acs_enabled(d, flags))
			return false;
	return true;
}

/* pci_device_group (drivers/iommu/iommu.c), in enumeration order: join the
 * parent bridge's group unless ACS isolates the path from it up; else join
 * a sibling function of a multi-function device that lacks ACS; else a new
 * group.  Groups are only given where an IOMMU translates. */
void dmasim__topo_assign_groups(struct dmasim_topo *t)
{
	size_t i, j;

	t->m.niommu_groups = 0;
	for (i = 0; i < t->ndevs; i++) {
		struct dmasim_device *d = &t->devs[i];

		d->iommu_group = DMASIM_NO_GROUP;
		if (!d->hb->iommu)
			continue;
		if (d->parent && !acs_path_enabled(d->parent, REQ_ACS_FLAGS))
			d->iommu_group = d->parent->iommu_group;
		if (d->iommu_group == DMASIM_NO_GROUP && dmasim_device_is_multifunction(d) &&
		    !acs_enabled(d, REQ_ACS_FLAGS)) {
			const struct dmasim_device *const *sib =
				d->parent ? d->parent->children : d->hb->devices;
			size_t n = d->parent ? d->parent->nchildren : d->hb->ndevices;
			for (j = 0; j < n; j++)
				if (sib[j]->id < d->id &&
				    (sib[j]->devfn >> 3) == (d->devfn >> 3) &&
				    !acs_enabled(sib[j], REQ_ACS_FLAGS)) {
					d->iommu_group = sib[j]->iommu_group;
					break;
				}
		}
		if (d->iommu_group == DMASIM_NO_GROUP)
			d->iommu_group = t->m.niommu_groups++;
	}
}

static int set_domains_and_groups(struct dmasim_topo *t, struct dmasim_error *err)
{
	size_t i;

	for (i = 0; i < t->ndevs; i++) {
		struct dmasim_device *d = &t->devs[i];
		const struct dmasim_iommu *mmu = d->hb->iommu;

		if (!mmu) {
			if (t->devx[i].has_domain)
				return dmasim__topo_err(t, err, DMASIM_ETOPO, d->pos,
					"%s sets iommu_domain but its host bridge %s has no iommu",
					devname(d), d->hb->name);
			d->domain = DMASIM_DOMAIN_NONE;
		} else if (!t->devx[i].has_domain) {
			d->domain = mmu->default_domain;
		}
	}
	dmasim__topo_assign_groups(t);
	/* One group, one domain: its members must agree on the domain type. */
	for (i = 0; i < t->ndevs; i++) {
		const struct dmasim_device *d = &t->devs[i], *p = d->parent;
		if (!p || d->iommu_group == DMASIM_NO_GROUP)
			continue;
		if (p->iommu_group == d->iommu_group && p->domain != d->domain &&
		    dmasim_device_is_bridge(p) && (t->devx[i].has_domain ||
						   t->devx[p->id].has_domain))
			return dmasim__topo_err(t, err, DMASIM_ETOPO, d->pos,
				"%s asks for a %s domain but shares IOMMU group %u with %s, which has a %s domain",
				devname(d), dmasim_domain_type_name(d->domain),
				d->iommu_group, devname(p),
				dmasim_domain_type_name(p->domain));
	}
	return DMASIM_OK;
}

/* ---- lookups --------------------------------------------------------- */

static uint32_t bdf_key(const struct dmasim_device *d)
{
	return (uint32_t)d->segment << 16 | (uint32_t)d->bus << 8 | d->devfn;
}

/* Orders of device ids: by name, or by BDF; ties by id (a stable sort of
 * ids in ascending order keeps them so). */
static bool name_before(const struct dmasim_device *v, uint32_t a, uint32_t b)
{
	return strcmp(v[a].name, v[b].name) < 0;
}

static bool bdf_before(const struct dmasim_device *v, uint32_t a, uint32_t b)
{
	return bdf_key(&v[a]) < bdf_key(&v[b]);
}

/* Stable bottom-up merge sort of @n ids, using @tmp (n entries). */
static void sort_ids(uint32_t *ids, uint32_t *tmp, size_t n,
		     const struct dmasim_device *v,
		     bool (*before)(const struct dmasim_device *, uint32_t, uint32_t))
{
	uint32_t *src = ids, *dst = tmp, *sw;
	size_t w, lo;

	for (w = 1; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				dst[k++] = before(v, src[j], src[i]) ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		sw = src;
		src = dst;
		dst = sw;
	}
	if (src != ids)
		memcpy(ids, src, n * sizeof(*ids));
}

static int cmp_hb_name(const void *a, const void *b)
{
	const struct dmasim_host_bridge *x = *(const struct dmasim_host_bridge *const *)a;
	const struct dmasim_host_bridge *y = *(const struct dmasim_host_bridge *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->id < y->id ? -1 : x->id > y->id);
}

/* Host-bridge names are unique: report the first host bridge (in file
 * order) whose name an earlier one already has, naming the first of them. */
static int check_hb_names(struct dmasim_topo *t, struct dmasim_error *err)
{
	const struct dmasim_host_bridge **v, *dup = NULL, *first = NULL;
	size_t i, g;

	if (t->nhbs < 2)
		return DMASIM_OK;
	if (!(v = malloc(t->nhbs * sizeof(*v))))
		return dmasim_error_set(err, DMASIM_ENOMEM, t->file, 0, 0,
					"out of memory");
	for (i = 0; i < t->nhbs; i++)
		v[i] = &t->hbs[i];
	qsort(v, t->nhbs, sizeof(*v), cmp_hb_name);
	for (g = 0; g < t->nhbs; g = i) {
		for (i = g + 1; i < t->nhbs && strcmp(v[i]->name, v[g]->name) == 0; i++)
			;
		if (i > g + 1 && (!dup || v[g + 1]->id < dup->id)) {
			dup = v[g + 1];
			first = v[g];
		}
	}
	free(v);
	if (dup)
		return dmasim__topo_err(t, err, DMASIM_ETOPO, dup->pos,
			"host bridge name '%s' is already used at line %u",
			dup->name, first->pos.line);
	return DMASIM_OK;
}

/* The device whose name is @name, or NULL (by_name is sorted). */
static const struct dmasim_device *by_name(const struct dmasim_topo *t,
					   const char *name)
{
	size_t lo = 0, hi = t->ndevs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, t->devs[t->by_name[mid]].name);

		if (c == 0)
			return &t->devs[t->by_name[mid]];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * Names that would make a lookup ambiguous: a device named like a BDF
 * other than its own (it would shadow the device that has that BDF) and
 * a device named 'none' (a suite's "no bridge").  Reported at the 'name:'
 * value, in file order, before duplicate names (an unnamed device is
 * named by its BDF).
 */
static int check_name_clashes(struct dmasim_topo *t, struct dmasim_error *err)
{
	uint16_t seg;
	uint8_t bus, devfn;
	size_t i;

	for (i = 0; i < t->ndevs; i++) {
		const struct dmasim_device *d = &t->devs[i];
		struct dmasim_pos at = t->devx[i].name_pos;
		uint32_t key;
		size_t lo = 0, hi = t->ndevs;

		if (!at.line)
			continue;
		if (strcmp(d->name, "none") == 0)
			return dmasim__topo_err(t, err, DMASIM_ETOPO, at,
				"a device cannot be named 'none': suites use it for \"no bridge\"");
		if (dmasim_parse_bdf(d->name, &seg, &bus, &devfn) != DMASIM_OK)
			continue;
		key = (uint32_t)seg << 16 | (uint32_t)bus << 8 | devfn;
		if (key == bdf_key(d))
			continue;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			uint32_t k = bdf_key(&t->devs[t->by_bdf[mid]]);

			if (k == key)
				return dmasim__topo_err(t, err, DMASIM_ETOPO, at,
					"name '%s' is the BDF of the device at line %u; a device may only be named by its own BDF",
					d->name, t->devs[t->by_bdf[mid]].pos.line);
			if (key < k)
				hi = mid;
			else
				lo = mid + 1;
		}
		return dmasim__topo_err(t, err, DMASIM_ETOPO, at,
			"name '%s' is a BDF but not the device's own (%s); a device may only be named by its own BDF",
			d->name, d->bdf);
	}
	return DMASIM_OK;
}

/* A device may not share a host bridge's name (a suite's 'via:' takes
 * either); reported at the device's 'name:'. */
static int check_hb_name_clashes(struct dmasim_topo *t, struct dmasim_error *err)
{
	const struct dmasim_device *o;
	size_t i;

	for (i = 0; i < t->nhbs; i++)
		if ((o = by_name(t, t->hbs[i].name)) != NULL)
			return dmasim__topo_err(t, err, DMASIM_ETOPO,
				t->devx[o->id].name_pos.line ? t->devx[o->id].name_pos
							     : o->pos,
				"name '%s' is already the name of the host bridge at line %u",
				o->name, t->hbs[i].pos.line);
	return DMASIM_OK;
}

static int build_lookups(struct dmasim_topo *t, struct dmasim_error *err)
{
	const struct dmasim_device *v = t->devs;
	uint32_t *tmp;
	size_t i;
	int rc;

	t->by_name = malloc((t->ndevs + 1) * sizeof(*t->by_name));
	t->by_bdf = malloc((t->ndevs + 1) * sizeof(*t->by_bdf));
	tmp = malloc((t->ndevs + 1) * sizeof(*tmp));
	if (!t->by_name || !t->by_bdf || !tmp) {
		free(tmp);
		return dmasim_error_set(err, DMASIM_ENOMEM, t->file, 0, 0,
					"out of memory");
	}
	for (i = 0; i < t->ndevs; i++)
		t->by_name[i] = t->by_bdf[i] = (uint32_t)i;
	sort_ids(t->by_name, tmp, t->ndevs, v, name_before);
	sort_ids(t->by_bdf, tmp, t->ndevs, v, bdf_before);
	free(tmp);
	if ((rc = check_name_clashes(t, err)))
		return rc;
	for (i = 1; i < t->ndevs; i++) {
		const struct dmasim_device *a = &v[t->by_name[i - 1]], *b = &v[t->by_name[i]];
		const struct dmasim_device *c = &v[t->by_bdf[i - 1]], *d = &v[t->by_bdf[i]];

		if (strcmp(b->name, a->name) == 0)
			return dmasim__topo_err(t, err, DMASIM_ETOPO, b->pos,
				"name '%s' is already used by the device at line %u",
				b->name, a->pos.line);
		if (bdf_key(d) == bdf_key(c))
			return dmasim__topo_err(t, err, DMASIM_ETOPO, d->pos,
				"BDF %s is already used by the device at line %u",
				d->bdf, c->pos.line);
	}
	if ((rc = check_hb_names(t, err)))
		return rc;
	return check_hb_name_clashes(t, err);
}

/* ---- entry ----------------------------------------------------------- */

int dmasim__topo_finalize(struct dmasim_topo *t, struct dmasim_error *err)
{
	int rc;
	size_t i;

	link_machine(t);
	rc = link_devices(t, err);
	if (rc)
		return rc;
	t->m.max_depth = 0;
	for (i = 0; i < t->ndevs; i++) {
		if (t->devs[i].depth > t->m.max_depth)
			t->m.max_depth = t->devs[i].depth;
		if (t->devs[i].depth > DMASIM_MAX_DEPTH)
			return dmasim__topo_err(t, err, DMASIM_ETOPO, t->devs[i].pos,
				"%s is %u levels deep; dmasim supports at most %u",
				devname(&t->devs[i]), t->devs[i].depth, DMASIM_MAX_DEPTH);
	}
	for (i = t->ndevs; i-- > 0;) {
		struct dmasim_device *d = &t->devs[i];
		d->subtree_end = (unsigned)i + 1;
		if (d->nchildren)
			d->subtree_end = d->children[d->nchildren - 1]->subtree_end;
	}
	if ((rc = build_lookups(t, err)) ||
	    (rc = check_buses(t, err)) ||
	    (rc = check_memory_map(t, err)) ||
	    (rc = set_bar_bus_addresses(t, err)))
		return rc;
	derive_windows(t);
	if ((rc = check_containment(t, err)) ||
	    (rc = for_each_sibling_list(t, err, check_sibling_overlap)))
		return rc;
	set_dma_limits(t);
	if ((rc = dmasim__acs_derive(t, NULL, err)) ||
	    (rc = set_domains_and_groups(t, err)))
		return rc;
	/* The build-time side array is not needed any more. */
	free(t->devx);
	t->devx = NULL;
	t->cap_devx = 0;
	if ((rc = dmasim__decode_index_build(t, err)) ||
	    (rc = dmasim__lca_index_build(t, err)))
		return rc;
	return DMASIM_OK;
}
