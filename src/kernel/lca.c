/*
 * dmasim -- the kernel layer's load-time index (see kernel_int.h): LCA by
 * a sparse table over the DFS pre-order, per-bit ACS-redirect counts,
 * per-host-bridge root devices and bus covers.  Built in O(n log n + 256
 * per bridge), queried in O(1) without allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

static unsigned floor_log2(uint32_t x)
{
#if defined(__GNUC__)
	return 31u - (unsigned)__builtin_clz(x);
#else
	unsigned k = 0;
	while (x >>= 1)
		k++;
	return k;
#endif
}

/* The least key over (l, r], l < r. */
static uint32_t rmq_key(const struct dmasim__lca_index *ix, uint32_t l,
			uint32_t r)
{
	unsigned k = floor_log2(r - l);
	uint32_t x = ix->st[k][l + 1], y = ix->st[k][r - (1u << k) + 1];

	return x < y ? x : y;
}

/* The rightmost shallowest id in (l, r]. */
static uint32_t rmq(const struct dmasim__lca_index *ix, uint32_t l, uint32_t r)
{
	return DMASIM__ID_MASK - (rmq_key(ix, l, r) & DMASIM__ID_MASK);
}

/*
 * For ids u < v, every device in (u, v] lies below LCA(u, v) and the
 * shallowest of them are its children -- also when u is above v (then
 * they are u's children).  At depth 0 they are root-bus devices: no LCA.
 */
const struct dmasim_device *dmasim__lca(const struct dmasim_topo *t,
					const struct dmasim_device *a,
					const struct dmasim_device *b)
{
	uint32_t ia = dmasim__id(t, a), ib = dmasim__id(t, b);

	if (ia == ib)
		return a;
	return dmasim__dev(t, t->lca->parent[ia < ib ? rmq(t->lca, ia, ib)
						     : rmq(t->lca, ib, ia)]);
}

unsigned dmasim__lca_depth1(const struct dmasim_topo *t, uint32_t ia,
			    uint32_t ib)
{
	return (ia < ib ? rmq_key(t->lca, ia, ib) : rmq_key(t->lca, ib, ia)) >>
	       DMASIM__ID_BITS;
}

const struct dmasim_device *dmasim__child_toward(const struct dmasim_topo *t,
						 const struct dmasim_device *l,
						 const struct dmasim_device *u)
{
	return &t->m.devices[rmq(t->lca, dmasim__id(t, l), dmasim__id(t, u))];
}

bool dmasim__path_redirects(const struct dmasim_topo *t,
			    const struct dmasim_device *a,
			    const struct dmasim_device *b,
			    const struct dmasim_device *l, unsigned bits)
{
	size_t ia = dmasim__id(t, a), ib = dmasim__id(t, b), il = dmasim__id(t, l);
	const uint8_t *ca = &t->lca->acs_cnt[ia * DMASIM__ACS_NBITS];
	const uint8_t *cb = &t->lca->acs_cnt[ib * DMASIM__ACS_NBITS];
	const uint8_t *cl = &t->lca->acs_cnt[il * DMASIM__ACS_NBITS];
	unsigned bit;

	for (bit = 0; bit < DMASIM__ACS_NBITS; bit++) {
		unsigned own;

		if (!(bits & (1u << bit)))
			continue;
		own = (t->lca->redir[il] >> bit) & 1u;
		/* a..l and b..l share l..root: subtract it twice, add l once. */
		if ((unsigned)ca[bit] + cb[bit] - 2u * cl[bit] + own > 0)
			return true;
	}
	return false;
}

void dmasim__lca_index_destroy(struct dmasim__lca_index *ix)
{
	unsigned k;

	if (!ix)
		return;
	if (ix->st)
		for (k = 0; k < ix->levels; k++)
			free(ix->st[k]);
	free(ix->st);
	free(ix->redir_mask);
	free(ix->hot);
	free(ix->depth);
	free(ix->parent);
	free(ix->redir);
	free(ix->end);
	free(ix->hb);
	free(ix->acs_cnt);
	free(ix->root);
	free(ix->pcie);
	free(ix->multifunction);
	free(ix->hb_first);
	free(ix->hb_slot0);
	free(ix->cover);
	free(ix->root_key);
	free(ix);
}

static void mark_multifunction(struct dmasim__lca_index *ix,
			       const struct dmasim_device *const *kids, size_t n)
{
	unsigned count[32];
	size_t j;

	memset(count, 0, sizeof(count));
	for (j = 0; j < n; j++)
		count[kids[j]->devfn >> 3]++;
	for (j = 0; j < n; j++)
		ix->multifunction[kids[j]->id] =
			count[kids[j]->devfn >> 3] > 1 || (kids[j]->devfn & 7) != 0;
}

int dmasim__lca_index_build(struct dmasim_topo *t, struct dmasim_error *err)
{
	const struct dmasim_device *devs = t->m.devices;
	struct dmasim__lca_index *ix;
	size_t n = t->m.ndevices, nhb = t->m.nhost_bridges, i, h;
	unsigned k;

	t->lca = NULL;
	ix = calloc(1, sizeof(*ix));
	if (!ix)
		goto nomem;
	ix->n = n;
	if (n > DMASIM__ID_MASK)
		goto nomem;
	ix->redir_mask = calloc(n ? n : 1, sizeof(*ix->redir_mask));
	ix->hot = calloc(n ? n : 1, sizeof(*ix->hot));
	ix->depth = calloc(n ? n : 1, 1);
	ix->parent = calloc(n ? n : 1, sizeof(*ix->parent));
	ix->redir = calloc(n ? n : 1, 1);
	ix->end = calloc(n ? n : 1, sizeof(*ix->end));
	ix->hb = calloc(n ? n : 1, sizeof(*ix->hb));
	ix->acs_cnt = calloc(n ? n * DMASIM__ACS_NBITS : 1, 1);
	ix->root = calloc(n ? n : 1, sizeof(*ix->root));
	ix->pcie = calloc(n ? n : 1, sizeof(*ix->pcie));
	ix->multifunction = calloc(n ? n : 1, sizeof(*ix->multifunction));
	ix->hb_first = calloc(nhb ? nhb : 1, sizeof(*ix->hb_first));
	ix->hb_slot0 = calloc(nhb ? nhb : 1, sizeof(*ix->hb_slot0));
	ix->cover = malloc((nhb ? nhb : 1) * 256 * sizeof(*ix->cover));
	ix->root_key = malloc((nhb ? nhb : 1) * DMASIM__NROOTDEV * sizeof(*ix->root_key));
	if (!ix->redir_mask || !ix->hot || !ix->depth || !ix->parent || !ix->redir || !ix->end || !ix->hb || !ix->acs_cnt || !ix->root || !ix->pcie ||
	    !ix->multifunction || !ix->hb_first || !ix->hb_slot0 || !ix->cover ||
	    !ix->root_key)
		goto nomem;

	for (i = 0; i < n; i++) {
		ix->depth[i] = (uint8_t)devs[i].depth; /* <= DMASIM_MAX_DEPTH */
		ix->parent[i] = devs[i].parent ? devs[i].parent->id : DMASIM__NO_ID;
		ix->redir[i] = devs[i].has_acs ? (uint8_t)(devs[i].acs_ctrl & 0x7f) : 0;
		ix->end[i] = devs[i].subtree_end;
		ix->hb[i] = devs[i].hb->id;
		/* pre-order: the parent's mask is complete */
		ix->redir_mask[i] = devs[i].parent ? ix->redir_mask[devs[i].parent->id] : 0;
		if (ix->redir[i] & DMASIM__REDIR_BITS)
			ix->redir_mask[i] |= (uint64_t)1 << devs[i].depth;
		ix->hot[i].redir_mask = ix->redir_mask[i];
		ix->hot[i].hb = ix->hb[i];
		ix->hot[i].depth = ix->depth[i];
	}
	/* Sparse table of the least key (the rightmost shallowest device). */
	ix->levels = n ? floor_log2((uint32_t)n) + 1 : 0;
	ix->st = calloc(ix->levels ? ix->levels : 1, sizeof(*ix->st));
	if (!ix->st)
		goto nomem;
	for (k = 0; k < ix->levels; k++) {
		size_t len = n - ((size_t)1 << k) + 1;
		ix->st[k] = malloc(len * sizeof(**ix->st));
		if (!ix->st[k])
			goto nomem;
		for (i = 0; i < len; i++) {
			uint32_t x, y;

			if (k == 0) {
				ix->st[0][i] = (uint32_t)ix->depth[i] << DMASIM__ID_BITS |
					       (DMASIM__ID_MASK - (uint32_t)i);
				continue;
			}
			x = ix->st[k - 1][i];
			y = ix->st[k - 1][i + ((size_t)1 << (k - 1))];
			ix->st[k][i] = x < y ? x : y;
		}
	}

	/* Pre-order: a parent comes before its children. */
	for (i = 0; i < n; i++) {
		const struct dmasim_device *d = &devs[i], *p = d->parent;
		uint8_t *c = &ix->acs_cnt[i * DMASIM__ACS_NBITS];
		unsigned b;

		for (b = 0; b < DMASIM__ACS_NBITS; b++)
			c[b] = (uint8_t)((p ? ix->acs_cnt[(size_t)p->id * DMASIM__ACS_NBITS + b] : 0) +
					 (d->has_acs && (d->acs_ctrl & (1u << b)) ? 1 : 0));
		ix->root[i] = p ? ix->root[p->id] : (uint32_t)i;
		ix->pcie[i] = !p || (ix->pcie[p->id] && p->type != DMASIM_DEV_PCI_BRIDGE);
		mark_multifunction(ix, d->children, d->nchildren);
	}

	for (h = 0; h < nhb; h++) {
		const struct dmasim_host_bridge *hb = &t->m.host_bridges[h];
		uint32_t first = DMASIM__NO_ID;

		ix->hb_slot0[h] = DMASIM__NO_ID;
		if (hb->iommu)
			ix->any_iommu = true;
		mark_multifunction(ix, hb->devices, hb->ndevices);
		for (i = 0; i < hb->ndevices; i++) {
			const struct dmasim_device *d = hb->devices[i];
			if (first == DMASIM__NO_ID || d->devfn < devs[first].devfn)
				first = d->id;
			if (d->devfn == 0)
				ix->hb_slot0[h] = d->id;
		}
		ix->hb_first[h] = first;
		for (k = 0; k < DMASIM__NROOTDEV; k++) {
			const struct dmasim_device *r = dmasim__host_bridge_dev(
				t, hb, (enum dmasim_root_dev_rule)k, true);
			ix->root_key[h * DMASIM__NROOTDEV + k] =
				r ? (int64_t)r->vendor << 16 | r->device_id : -1;
		}
		for (i = 0; i < 256; i++)
			ix->cover[h * 256 + i] = DMASIM__NO_ID;
	}
	for (i = 0; i < n; i++) {
		const struct dmasim_device *d = &devs[i];
		unsigned x;

		if (!dmasim_device_is_bridge(d))
			continue;
		/* Pre-order: a deeper bridge overwrites its ancestors. */
		for (x = d->secondary; x <= d->subordinate; x++)
			ix->cover[(size_t)d->hb->id * 256 + x] = d->id;
	}
	t->lca = ix;
	return DMASIM_OK;
nomem:
	dmasim__lca_index_destroy(ix);
	return dmasim_error_set(err, DMASIM_ENOMEM, t->file, 0, 0,
				"out of memory building the common-upstream index");
}
