/*
 * dmasim -- the load-time decode index of the fabric (see fabric_int.h).
 *
 * Build: every BAR and every present bridge window becomes one entry in its
 * parent's child list (or its host bridge's root-bus list); each list is
 * sorted by base.  Host-bridge windows, RAM and dma_ranges are sorted the
 * same way; BARs per host bridge by bus address.  Nodes and their path
 * blocks are filled in device (pre-)order, a parent's before its
 * children's.  With E = BARs + windows, W = host-bridge windows, R = RAM
 * ranges, D = dma_ranges and P = path entries, the build is O(n + E log E
 * + (W + R) log(W + R) + D log D + P) time.  The loader has already
 * rejected overlaps between siblings and in the memory map, and BARs or
 * windows outside their parent's window, so each table is a sorted list of
 * disjoint intervals.
 */
#include <stdlib.h>
#include <string.h>

#include "fabric/fabric_int.h"

/* Binary search over an array of structs whose first two members are
 * uint64_t lo, hi (inclusive): the element holding @a, or NULL. */
static const void *ival_find(const void *base, size_t n, size_t stride,
			     uint64_t a)
{
	const unsigned char *p = base;
	size_t lo = 0, hi = n;

	/* Find the last element with lo <= a. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const uint64_t *e = (const uint64_t *)(const void *)(p + mid * stride);
		if (e[0] <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	{
		const uint64_t *e = (const uint64_t *)(const void *)(p + (lo - 1) * stride);
		return a <= e[1] ? e : NULL;
	}
}

const struct dmasim__dec_ent *
dmasim__dec_lookup(const struct dmasim__decode_index *idx, size_t slot,
		   uint64_t a)
{
	const struct dmasim__dec_list *l = &idx->lists[slot];

	return ival_find(idx->ents + l->first, l->n, sizeof(*idx->ents), a);
}

const struct dmasim__cpu_ent *
dmasim__cpu_lookup(const struct dmasim__decode_index *idx, uint64_t a)
{
	size_t pos = dmasim__tree_find(idx->tkeys, &idx->cpu_tree, a);

	if (pos == SIZE_MAX)
		return NULL;
	return a <= idx->cpu[pos].hi ? &idx->cpu[pos] : NULL;
}

const struct dmasim__in_ent *
dmasim__inbound_lookup(const struct dmasim__decode_index *idx,
		       const struct dmasim_host_bridge *hb, uint64_t a)
{
	const struct dmasim__dec_list *l = &idx->in_list[hb->id];

	return ival_find(idx->in + l->first, l->n, sizeof(*idx->in), a);
}

const struct dmasim__cpu_ent *
dmasim__hb_window_lookup(const struct dmasim__decode_index *idx,
			 const struct dmasim_host_bridge *hb, uint64_t a)
{
	const struct dmasim__dec_list *l = &idx->hbwin_list[hb->id];

	return ival_find(idx->hbwin + l->first, l->n, sizeof(*idx->hbwin), a);
}

/* ---- build ------------------------------------------------------------ */

static int cmp_dec(const void *a, const void *b)
{
	const struct dmasim__dec_ent *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int cmp_cpu(const void *a, const void *b)
{
	const struct dmasim__cpu_ent *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

static int cmp_in(const void *a, const void *b)
{
	const struct dmasim__in_ent *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static size_t dev_entries(const struct dmasim_device *d)
{
	size_t n = d->nbars;
	int k;

	for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++)
		n += d->windows[k].present;
	return n;
}

static void *xcalloc(struct dmasim__decode_index *idx, size_t n, size_t size)
{
	idx->bytes += (n ? n : 1) * size;
	return calloc(n ? n : 1, size);
}

/* Child lists: count per slot, prefix sums, fill, sort each slice. */
static int build_child_lists(struct dmasim__decode_index *idx,
			     const struct dmasim_topo *t)
{
	size_t nslots = t->ndevs + t->nhbs, i, total = 0;
	uint32_t *fill;

	idx->lists = xcalloc(idx, nslots, sizeof(*idx->lists));
	fill = calloc(nslots ? nslots : 1, sizeof(*fill));
	if (!idx->lists || !fill) {
		free(fill);
		return -1;
	}
	for (i = 0; i < t->ndevs; i++) {
		const struct dmasim_device *d = &t->devs[i];
		size_t slot = d->parent ? d->parent->id : t->ndevs + d->hb->id;
		idx->lists[slot].n += (uint32_t)dev_entries(d);
	}
	for (i = 0; i < nslots; i++) {
		idx->lists[i].first = (uint32_t)total;
		fill[i] = (uint32_t)total;
		total += idx->lists[i].n;
	}
	idx->nents = total;
	idx->ents = xcalloc(idx, total, sizeof(*idx->ents));
	if (!idx->ents) {
		free(fill);
		return -1;
	}
	for (i = 0; i < t->ndevs; i++) {
		const struct dmasim_device *d = &t->devs[i];
		size_t slot = d->parent ? d->parent->id : t->ndevs + d->hb->id, b;
		int k;

		for (b = 0; b < d->nbars; b++) {
			struct dmasim__dec_ent *e = &idx->ents[fill[slot]++];
			e->lo = d->bars[b].bus;
			e->hi = d->bars[b].bus + d->bars[b].size - 1;
			e->dev = d;
			e->bar = &d->bars[b];
		}
		for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++) {
			struct dmasim__dec_ent *e;
			if (!d->windows[k].present)
				continue;
			e = &idx->ents[fill[slot]++];
			e->lo = d->windows[k].base;
			e->hi = d->windows[k].limit;
			e->dev = d;
			e->bar = NULL;
		}
	}
	free(fill);
	for (i = 0; i < nslots; i++)
		if (idx->lists[i].n > 1)
			qsort(idx->ents + idx->lists[i].first, idx->lists[i].n,
			      sizeof(*idx->ents), cmp_dec);
	return 0;
}

static int build_memory_map(struct dmasim__decode_index *idx,
			    const struct dmasim_topo *t)
{
	size_t i, j, n = 0, w = 0;

	idx->cpu = xcalloc(idx, t->nhbwins + t->nram, sizeof(*idx->cpu));
	idx->hbwin = xcalloc(idx, t->nhbwins, sizeof(*idx->hbwin));
	idx->hbwin_list = xcalloc(idx, t->nhbs, sizeof(*idx->hbwin_list));
	if (!idx->cpu || !idx->hbwin || !idx->hbwin_list)
		return -1;
	for (i = 0; i < t->nhbs; i++) {
		const struct dmasim_host_bridge *h = &t->hbs[i];

		idx->hbwin_list[i].first = (uint32_t)w;
		idx->hbwin_list[i].n = (uint32_t)h->nwindows;
		for (j = 0; j < h->nwindows; j++) {
			struct dmasim__cpu_ent e = {
				h->windows[j].cpu,
				h->windows[j].cpu + h->windows[j].size - 1,
				DMASIM__CPU_HB_WINDOW, h, &h->windows[j],
			};
			idx->hbwin[w++] = e;
			idx->cpu[n++] = e;
		}
		qsort(idx->hbwin + idx->hbwin_list[i].first, h->nwindows,
		      sizeof(*idx->hbwin), cmp_cpu);
	}
	for (i = 0; i < t->nram; i++) {
		struct dmasim__cpu_ent e = {
			t->ram[i].base, t->ram[i].base + t->ram[i].size - 1,
			DMASIM__CPU_RAM, NULL, NULL,
		};
		idx->cpu[n++] = e;
	}
	qsort(idx->cpu, n, sizeof(*idx->cpu), cmp_cpu);
	/* Merge RAM ranges that touch, so that a write crossing from one
	 * listed range into the next is still one RAM write. */
	for (i = 0, j = 0; i < n; i++) {
		if (j > 0 && idx->cpu[i].kind == DMASIM__CPU_RAM &&
		    idx->cpu[j - 1].kind == DMASIM__CPU_RAM &&
		    idx->cpu[j - 1].hi != UINT64_MAX &&
		    idx->cpu[j - 1].hi + 1 >= idx->cpu[i].lo) {
			if (idx->cpu[i].hi > idx->cpu[j - 1].hi)
				idx->cpu[j - 1].hi = idx->cpu[i].hi;
			continue;
		}
		idx->cpu[j++] = idx->cpu[i];
	}
	idx->ncpu = j;
	return 0;
}

static int build_inbound(struct dmasim__decode_index *idx,
			 const struct dmasim_topo *t)
{
	size_t i, j, n = 0;

	idx->in = xcalloc(idx, t->ndranges, sizeof(*idx->in));
	idx->in_list = xcalloc(idx, t->nhbs, sizeof(*idx->in_list));
	if (!idx->in || !idx->in_list)
		return -1;
	for (i = 0; i < t->nhbs; i++) {
		const struct dmasim_host_bridge *h = &t->hbs[i];

		idx->in_list[i].first = (uint32_t)n;
		idx->in_list[i].n = (uint32_t)h->ndma_ranges;
		for (j = 0; j < h->ndma_ranges; j++) {
			struct dmasim__in_ent e = {
				h->dma_ranges[j].bus,
				h->dma_ranges[j].bus + h->dma_ranges[j].size - 1,
				&h->dma_ranges[j],
			};
			idx->in[n++] = e;
		}
		qsort(idx->in + idx->in_list[i].first, h->ndma_ranges,
		      sizeof(*idx->in), cmp_in);
	}
	return 0;
}

static int build_dsp_index(struct dmasim__decode_index *idx,
			   const struct dmasim_topo *t)
{
	size_t i, j;

	idx->dsp_index = xcalloc(idx, t->ndevs, sizeof(*idx->dsp_index));
	if (!idx->dsp_index)
		return -1;
	for (i = 0; i < t->ndevs; i++)
		idx->dsp_index[i] = UINT32_MAX;
	for (i = 0; i < t->ndevs; i++) {
		const struct dmasim_device *d = &t->devs[i];
		uint32_t k = 0;

		for (j = 0; j < d->nchildren; j++)
			if (d->children[j]->type == DMASIM_DEV_SWITCH_DOWNSTREAM)
				idx->dsp_index[d->children[j]->id] = k++;
	}
	return 0;
}

/* Cover up to 4 intervals (an empty one has lo > hi) with 2: sorted by base, overlapping ones merged, then neighbours
 * joined across the smallest gaps. */
static void cover2(uint64_t *lo, uint64_t *hi, size_t n, struct dmasim__hull2 *out)
{
	size_t i, j, m = 0;

	for (i = 0; i < n; i++) {
		uint64_t l = lo[i], h = hi[i];

		if (l > h)
			continue;
		for (j = m; j > 0 && lo[j - 1] > l; j--) {
			lo[j] = lo[j - 1];
			hi[j] = hi[j - 1];
		}
		lo[j] = l;
		hi[j] = h;
		m++;
	}
	while (m > 1) {
		size_t best = 0;
		uint64_t gap = UINT64_MAX;

		for (i = 0; i + 1 < m; i++) {
			uint64_t g = lo[i + 1] > hi[i] ? lo[i + 1] - hi[i] : 0;

			if (g < gap) {
				gap = g;
				best = i;
			}
		}
		if (m <= 2 && gap > 0)
			break;
		if (hi[best + 1] > hi[best])
			hi[best] = hi[best + 1];
		for (i = best + 1; i + 1 < m; i++) {
			lo[i] = lo[i + 1];
			hi[i] = hi[i + 1];
		}
		m--;
	}
	for (i = 0; i < 2; i++) {
		out->lo[i] = i < m ? lo[i] : 1;
		out->hi[i] = i < m ? hi[i] : 0;
	}
}

/* The hull of child list @slot, in two intervals split at its widest gap
 * (the list is sorted by base and disjoint, so sorted by limit too). */
static void list_hull(const struct dmasim__decode_index *idx, size_t slot,
		      uint64_t *lo, uint64_t *hi)
{
	const struct dmasim__dec_list *l = &idx->lists[slot];
	const struct dmasim__dec_ent *e = idx->ents + l->first;
	size_t j, split = l->n;
	uint64_t gap = 0;

	lo[0] = lo[1] = 1;
	hi[0] = hi[1] = 0;
	if (!l->n)
		return;
	for (j = 1; j < l->n; j++)
		if (e[j].lo - e[j - 1].hi > gap) {
			gap = e[j].lo - e[j - 1].hi;
			split = j;
		}
	lo[0] = e[0].lo;
	hi[0] = e[split - 1].hi;
	if (split < l->n) {
		lo[1] = e[split].lo;
		hi[1] = e[l->n - 1].hi;
	}
}

/*
 * What the rule at port @d compares the address with (route.c):
 *  - a root port, or a downstream port with ACS RR: nothing;
 *  - another switch downstream port: its parent's child list (the peers'
 *    windows and BARs, and its own windows), or on a root bus its own
 *    windows;
 *  - a legacy PCI bridge: its own child list and its own windows;
 *  - anything else (a switch upstream port): its own windows.
 */
static void trigger_hulls(const struct dmasim__decode_index *idx,
			  const struct dmasim_device *d, struct dmasim__node *nd)
{
	uint64_t lo[4], hi[4];
	unsigned ctrl = d->has_acs ? d->acs_ctrl : 0;
	size_t n = 0;
	int k;

	if (d->type == DMASIM_DEV_ROOT_PORT ||
	    (d->type == DMASIM_DEV_SWITCH_DOWNSTREAM && (ctrl & DMASIM_ACS_RR))) {
		cover2(lo, hi, 0, &nd->trig);
		return;
	}
	if (d->type == DMASIM_DEV_SWITCH_DOWNSTREAM && d->parent) {
		list_hull(idx, d->parent->id, lo, hi);
		cover2(lo, hi, 2, &nd->trig);
		return;
	}
	if (d->type == DMASIM_DEV_PCI_BRIDGE) {
		list_hull(idx, d->id, lo, hi);
		n = 2;
	}
	for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++, n++) {
		lo[n] = d->windows[k].present ? d->windows[k].base : 1;
		hi[n] = d->windows[k].present ? d->windows[k].limit : 0;
	}
	cover2(lo, hi, n, &nd->trig);
}

/* Slots of a node's path block: its cover (8), its path (depth + 1 nodes
 * and the end), in whole 64-byte lines. */
static size_t path_block(unsigned depth)
{
	return (8 + depth + 2 + 15) & ~(size_t)15;
}

/*
 * Routing records: one node per device that is not an endpoint (or has
 * children), in device order (so a parent's node comes before its
 * children's).  Paths: path(n) = n, then path(parent(n)), ending in
 * DMASIM__NO_NODE; path[0] alone is the root bus.  reqs[d].path is the
 * offset of the path of d's parent.
 */
static int build_nodes(struct dmasim__decode_index *idx,
		       const struct dmasim_topo *t)
{
	uint32_t *node_of, *up_node, *off = NULL;
	struct dmasim__hull2 *ptrig = NULL;
	size_t i, n = 0, total = 16, at = 16;

	idx->reqs = xcalloc(idx, t->ndevs, sizeof(*idx->reqs));
	node_of = calloc(t->ndevs ? t->ndevs : 1, sizeof(*node_of));
	up_node = calloc(t->ndevs ? t->ndevs : 1, sizeof(*up_node));
	if (!idx->reqs || !node_of || !up_node)
		goto fail;
	for (i = 0; i < t->ndevs; i++) {
		const struct dmasim_device *d = &t->devs[i];

		node_of[i] = DMASIM__NO_NODE;
		if (d->type != DMASIM_DEV_ENDPOINT || d->nchildren)
			node_of[i] = (uint32_t)n++;
	}
	idx->nnodes = n;
	idx->bytes += (n ? n : 1) * sizeof(*idx->nodes);
	idx->nodes = aligned_alloc(64, (n ? n : 1) * sizeof(*idx->nodes));
	idx->node_dev = xcalloc(idx, n, sizeof(*idx->node_dev));
	idx->node_act = xcalloc(idx, n, sizeof(*idx->node_act));
	ptrig = calloc(n ? n : 1, sizeof(*ptrig));
	off = calloc(n ? n : 1, sizeof(*off));
	if (!idx->nodes || !idx->node_dev || !idx->node_act || !ptrig || !off)
		goto fail;
	for (i = 0; i < t->ndevs; i++) {
		const struct dmasim_device *d = &t->devs[i];
		uint32_t up = d->parent ? node_of[d->parent->id] : DMASIM__NO_NODE;
		struct dmasim__node *nd;
		unsigned ctrl = d->has_acs ? d->acs_ctrl : 0;
		bool rr;

		up_node[i] = up;
		if (node_of[i] == DMASIM__NO_NODE)
			continue;
		nd = &idx->nodes[node_of[i]];
		memset(nd, 0, sizeof(*nd));
		trigger_hulls(idx, d, nd);
		nd->dev = d;
		nd->id = (uint32_t)i;
		nd->parent = up;
		nd->egress = d->acs_egress;
		nd->type = (uint8_t)d->type;
		rr = d->type == DMASIM_DEV_SWITCH_DOWNSTREAM && (ctrl & DMASIM_ACS_RR);
		nd->act = rr ? DMASIM_HOP_ACS_REDIRECT : DMASIM_HOP_UP;
		nd->flags = (uint8_t)((rr ? DMASIM__N_RR : 0) |
				      (ctrl & DMASIM_ACS_UF ? DMASIM__N_UF : 0) |
				      (ctrl & DMASIM_ACS_EC ? DMASIM__N_EC : 0) |
				      (d->has_acs_egress ? DMASIM__N_EGRESS : 0));
		nd->depth = (uint8_t)d->depth;
		idx->node_dev[node_of[i]] = d;
		idx->node_act[node_of[i]] = (uint8_t)(nd->act |
			(d->type == DMASIM_DEV_ROOT_PORT ? DMASIM__ACT_LAST : 0));
		/* the walk from here: this node, then, unless it is a
		 * root port, the nodes above (a parent's node comes first) */
		{
			struct dmasim__hull2 *pt = &ptrig[node_of[i]];
			uint64_t lo[4], hi[4];

			lo[0] = nd->trig.lo[0];
			hi[0] = nd->trig.hi[0];
			lo[1] = nd->trig.lo[1];
			hi[1] = nd->trig.hi[1];
			lo[2] = lo[3] = 1;
			hi[2] = hi[3] = 0;
			if (d->type != DMASIM_DEV_ROOT_PORT && up != DMASIM__NO_NODE) {
				lo[2] = ptrig[up].lo[0];
				hi[2] = ptrig[up].hi[0];
				lo[3] = ptrig[up].lo[1];
				hi[3] = ptrig[up].hi[1];
			}
			cover2(lo, hi, 4, pt);
		}
		total += path_block(d->depth);
	}
	/* Path blocks, 64-byte aligned: the cover (8 slots), then the path;
	 * block 0 is the root bus's path alone. */
	idx->npath = total;
	idx->bytes += total * sizeof(*idx->path);
	idx->path = aligned_alloc(64, total * sizeof(*idx->path));
	if (!idx->path)
		goto fail;
	for (i = 0; i < total; i++)
		idx->path[i] = DMASIM__NO_NODE;
	for (i = 0; i < n; i++) {
		uint32_t up = idx->nodes[i].parent, k = 0;
		size_t b = at;

		at += path_block(idx->nodes[i].depth);
		memcpy(&idx->path[b], &ptrig[i], sizeof(ptrig[i]));
		b += 8;
		off[i] = (uint32_t)b;
		idx->path[b++] = (uint32_t)i;
		if (up == DMASIM__NO_NODE)
			continue; /* then DMASIM__NO_NODE */
		do
			idx->path[b] = idx->path[off[up] + k++];
		while (idx->path[b++] != DMASIM__NO_NODE);
	}
	for (i = 0; i < t->ndevs; i++) {
		struct dmasim__req *r = &idx->reqs[i];

		r->path = up_node[i] == DMASIM__NO_NODE ? 0 : off[up_node[i]];
		r->group = t->devs[i].iommu_group;
		r->hb = t->devs[i].hb->id;
		r->domain = (uint8_t)t->devs[i].domain;
	}
	free(node_of);
	free(up_node);
	free(off);
	free(ptrig);
	return 0;
fail:
	free(node_of);
	free(up_node);
	free(off);
	free(ptrig);
	return -1;
}

struct bar_sort {
	uint64_t lo;
	uint32_t hb, i;  /* host bridge, index in bents */
};

static int cmp_bar_sort(const void *a, const void *b)
{
	const struct bar_sort *x = a, *y = b;

	if (x->hb != y->hb)
		return x->hb < y->hb ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static size_t lines_of(size_t n)
{
	return (n + 7) / 8;
}

/* The shape of a tree over @n keys, its levels placed from *@nkeys on. */
static int tree_shape(struct dmasim__bar_tree *tr, size_t n, size_t *nkeys)
{
	size_t len = n;

	tr->n = (uint32_t)n;
	tr->nlev = 0;
	if (!n)
		return 0;
	for (;;) {
		if (tr->nlev == DMASIM__TREE_MAXLEV)
			return -1;
		tr->off[tr->nlev] = (uint32_t)*nkeys;
		tr->len[tr->nlev] = (uint32_t)len;
		tr->nlev++;
		*nkeys += lines_of(len) * 8;
		if (len <= 8)
			return 0;
		len = lines_of(len);
	}
}

/* Levels 1 and up of a tree whose level 0 is filled. */
static void tree_fill(uint64_t *tkeys, const struct dmasim__bar_tree *tr)
{
	uint32_t L, i;

	for (L = 1; L < tr->nlev; L++)
		for (i = 0; i < tr->len[L]; i++)
			tkeys[tr->off[L] + i] = tkeys[tr->off[L - 1] + i * 8];
}

/* Per host bridge, its BARs by bus address in a static search tree over
 * the base of every other one (the tree's leaves are lines of two
 * entries); the memory map's tree too. */
static int build_bar_trees(struct dmasim__decode_index *idx,
			   const struct dmasim_topo *t)
{
	struct dmasim__bar_ent *tmp;
	struct bar_sort *srt;
	size_t i, b, n = 0, nkeys = 0, h, nslots = 0;

	idx->trees = xcalloc(idx, t->nhbs, sizeof(*idx->trees));
	tmp = malloc((t->nbars ? t->nbars : 1) * sizeof(*tmp));
	srt = malloc((t->nbars ? t->nbars : 1) * sizeof(*srt));
	if (!idx->trees || !tmp || !srt)
		goto fail;
	for (i = 0; i < t->ndevs; i++) {
		const struct dmasim_device *d = &t->devs[i];

		for (b = 0; b < d->nbars; b++, n++) {
			tmp[n].lo = d->bars[b].bus;
			tmp[n].hi = d->bars[b].bus + (d->bars[b].size - 1);
			tmp[n].bar = (uint32_t)(&d->bars[b] - t->bars);
			tmp[n].dev = (uint32_t)i;
			tmp[n].path = idx->reqs[i].path;
			tmp[n].npath = d->depth;
			srt[n].lo = d->bars[b].bus;
			srt[n].hb = d->hb->id;
			srt[n].i = (uint32_t)n;
		}
	}
	qsort(srt, n, sizeof(*srt), cmp_bar_sort);
	idx->nbars = n;
	/* Entry slots (each host bridge's run starts a line) and tree
	 * shapes. */
	for (h = 0, i = 0; h < t->nhbs; h++) {
		struct dmasim__bar_tree *tr = &idx->trees[h];
		size_t first = i;

		while (i < n && srt[i].hb == h)
			i++;
		tr->first = (uint32_t)nslots;
		tr->nents = (uint32_t)(i - first);
		nslots += (i - first + 1) & ~(size_t)1;
		if (tree_shape(tr, (i - first + 1) / 2, &nkeys))
			goto fail;
	}
	if (tree_shape(&idx->cpu_tree, idx->ncpu, &nkeys))
		goto fail;
	idx->bytes += (nslots ? nslots : 2) * sizeof(*idx->bents) +
		      (nkeys ? nkeys : 8) * sizeof(*idx->tkeys);
	idx->bents = aligned_alloc(64, (nslots ? nslots : 2) * sizeof(*idx->bents));
	idx->tkeys = aligned_alloc(64, (nkeys ? nkeys : 8) * sizeof(*idx->tkeys));
	if (!idx->bents || !idx->tkeys)
		goto fail;
	memset(idx->bents, 0, (nslots ? nslots : 2) * sizeof(*idx->bents));
	for (i = 0; i < nkeys; i++)
		idx->tkeys[i] = UINT64_MAX;
	for (h = 0, i = 0; h < t->nhbs; h++) {
		struct dmasim__bar_tree *tr = &idx->trees[h];

		for (b = 0; b < tr->nents; b++, i++)
			idx->bents[tr->first + b] = tmp[srt[i].i];
		for (b = 0; b < tr->n; b++)
			idx->tkeys[tr->off[0] + b] = idx->bents[tr->first + 2 * b].lo;
		tree_fill(idx->tkeys, tr);
	}
	for (i = 0; i < idx->ncpu; i++)
		idx->tkeys[idx->cpu_tree.off[0] + i] = idx->cpu[i].lo;
	tree_fill(idx->tkeys, &idx->cpu_tree);
	free(tmp);
	free(srt);
	return 0;
fail:
	free(tmp);
	free(srt);
	return -1;
}

int dmasim__decode_index_build(struct dmasim_topo *topo, struct dmasim_error *err)
{
	struct dmasim__decode_index *idx;

	topo->decode = NULL;
	idx = calloc(1, sizeof(*idx));
	if (!idx)
		goto nomem;
	idx->bytes = sizeof(*idx);
	idx->ndevs = topo->ndevs;
	idx->nhbs = topo->nhbs;
	idx->devs = topo->devs;
	idx->hbs = topo->hbs;
	idx->bar0 = topo->bars;
	if (build_child_lists(idx, topo) || build_memory_map(idx, topo) ||
	    build_inbound(idx, topo) || build_dsp_index(idx, topo) ||
	    build_nodes(idx, topo) || build_bar_trees(idx, topo)) {
		dmasim__decode_index_destroy(idx);
		goto nomem;
	}
	topo->decode = idx;
	return DMASIM_OK;
nomem:
	return dmasim_error_set(err, DMASIM_ENOMEM, topo->file, 0, 0,
				"out of memory");
}

void dmasim__decode_index_destroy(struct dmasim__decode_index *idx)
{
	if (!idx)
		return;
	free(idx->lists);
	free(idx->ents);
	free(idx->cpu);
	free(idx->hbwin);
	free(idx->hbwin_list);
	free(idx->in);
	free(idx->in_list);
	free(idx->dsp_index);
	free(idx->trees);
	free(idx->tkeys);
	free(idx->bents);
	free(idx->nodes);
	free(idx->reqs);
	free(idx->node_dev);
	free(idx->node_act);
	free(idx->path);
	free(idx);
}
