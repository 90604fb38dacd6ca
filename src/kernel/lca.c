/*
 * dmasim -- the kernel layer's load-time index (see kernel_int.h): path
 * labels and ancestor rows, or a sparse table over the DFS pre-order;
 * ACS-redirect tops and per-bit counts; per-host-bridge root devices, bus
 * covers and the built-in policies' host-bridge verdicts.  Built in
 * O(n * row width) (label mode) or O(n log n) (table mode) plus 256 per
 * host bridge; queried in O(1) without allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

static unsigned floor_log2(uint32_t x)
{
	return dmasim__msb64(x);
}

/* Bits needed for the values 0..x. */
static unsigned bit_len(size_t x)
{
	unsigned w = 0;

	while (x) {
		w++;
		x >>= 1;
	}
	return w;
}

/* ---- table mode ------------------------------------------------------ */

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
uint32_t dmasim__lca_table(const struct dmasim__lca_index *ix, uint32_t ia,
			   uint32_t ib)
{
	return ix->parent[ia < ib ? rmq(ix, ia, ib) : rmq(ix, ib, ia)];
}

void dmasim__pair_table(const struct dmasim__lca_index *ix, uint32_t ia,
			uint32_t ib, struct dmasim__pair *p)
{
	const struct dmasim__hot *ha = &ix->hot[ia], *hb = &ix->hot[ib];

	p->da = ha->depth;
	p->db = hb->depth;
	p->ra = ha->redir_top;
	p->rb = hb->redir_top;
	p->ha = ha->hb;
	p->hb = hb->hb;
	if (ia == ib)
		p->dc1 = p->da + 1;
	else
		p->dc1 = (ia < ib ? rmq_key(ix, ia, ib) : rmq_key(ix, ib, ia)) >>
			 DMASIM__ID_BITS;
}

uint32_t dmasim__child_table(const struct dmasim__lca_index *ix, uint32_t il,
			     uint32_t iu)
{
	return rmq(ix, il, iu);
}

/* ---- both modes ------------------------------------------------------ */

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
	free(ix->label);
	free(ix->label32);
	free(ix->anc);
	free(ix->hot);
	free(ix->parent);
	free(ix->redir);
	free(ix->acs_cnt);
	free(ix->root);
	free(ix->pcie);
	free(ix->multifunction);
	free(ix->hb_first);
	free(ix->hb_slot0);
	free(ix->cover);
	free(ix->root_key);
	free(ix->verdict);
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

/* 64-byte aligned (a label or an ancestor row never straddles a line). */
static void *alloc_lines(size_t bytes)
{
	bytes = (bytes + 63) & ~(size_t)63;
	return aligned_alloc(64, bytes ? bytes : 64);
}

/* Position among the siblings, 1-based: 0 stays free for "below the
 * device's own depth". */
static size_t ordinal(const struct dmasim_device *d)
{
	const struct dmasim_device *const *kids =
		d->parent ? d->parent->children : d->hb->devices;
	size_t n = d->parent ? d->parent->nchildren : d->hb->ndevices, i;

	for (i = 0; i < n; i++)
		if (kids[i] == d)
			return i + 1;
	return n + 1; /* not reached: a device is among its siblings */
}

/*
 * Label mode, when the tree fits: returns 0 and fills ix->label or
 * label32, anc and the tables; 1 when it does not fit (the caller builds the table); -1
 * when out of memory.  @top: the redirect tops, @maxd the depth of the
 * deepest device.
 */
static int build_labels(struct dmasim__lca_index *ix, const struct dmasim_topo *t,
			const uint8_t *top, unsigned maxd)
{
	const struct dmasim_device *devs = t->m.devices;
	size_t n = ix->n, i, *maxord, *ord;
	unsigned width[DMASIM_MAX_DEPTH + 2], shift[DMASIM_MAX_DEPTH + 2];
	unsigned levels = maxd + 2, total, l, w, c, rw;
	int rc = 1;

	if (maxd > DMASIM_MAX_DEPTH)
		return 1;
	for (rw = 1, w = 0; rw < (maxd ? maxd : 1); rw <<= 1)
		w++;
	if (rw > DMASIM__ANC_MAX)
		return 1;
	maxord = calloc(levels, sizeof(*maxord));
	ord = malloc((n ? n : 1) * sizeof(*ord));
	if (!maxord || !ord) {
		free(maxord);
		free(ord);
		return -1;
	}
	/* level 0: the host bridge; level d + 1: the position at depth d */
	for (i = 0; i < n; i++) {
		ord[i] = ordinal(&devs[i]);
		if (ord[i] > maxord[devs[i].depth + 1])
			maxord[devs[i].depth + 1] = ord[i];
	}
	width[0] = bit_len(ix->nhb ? ix->nhb - 1 : 0);
	if (width[0] == 0)
		width[0] = 1;
	total = width[0];
	for (l = 1; l < levels; l++) {
		width[l] = bit_len(maxord[l]);
		total += width[l];
	}
	if (total > DMASIM__LBL_BITS)
		goto out;
	rc = -1;
	ix->label = alloc_lines(n * sizeof(*ix->label));
	ix->anc = alloc_lines((n << w) * sizeof(*ix->anc));
	if (!ix->label || !ix->anc)
		goto out;
	ix->anc_shift = w;
	shift[0] = DMASIM__LBL_TSHIFT - width[0];
	for (l = 1; l < levels; l++)
		shift[l] = shift[l - 1] - width[l];
	ix->hb_shift = shift[0];
	/* Which level a bit belongs to: bits outside every field are 0 in
	 * every label, so neither table is read for them. */
	memset(ix->dc1_of_bit, 0, sizeof(ix->dc1_of_bit));
	memset(ix->depth_of_bit, 0, sizeof(ix->depth_of_bit));
	for (l = 0; l < levels; l++)
		for (c = shift[l]; c < shift[l] + width[l]; c++) {
			ix->dc1_of_bit[c] = (uint8_t)(l ? l - 1 : 0);
			ix->depth_of_bit[c] = (uint8_t)(l ? l - 1 : 0);
		}
	memset(ix->anc, 0, (n << w) * sizeof(*ix->anc));
	/* pre-order: the parent's label and row are complete */
	for (i = 0; i < n; i++) {
		const struct dmasim_device *p = devs[i].parent;
		uint32_t *row = &ix->anc[i << w];
		uint64_t lbl;

		if (p) {
			lbl = ix->label[p->id] & DMASIM__LBL_PATH;
			memcpy(row, &ix->anc[(size_t)p->id << w], sizeof(*row) << w);
			row[p->depth] = p->id;
		} else {
			lbl = (uint64_t)devs[i].hb->id << shift[0];
		}
		lbl |= (uint64_t)ord[i] << shift[devs[i].depth + 1];
		ix->label[i] = lbl | (uint64_t)top[i] << DMASIM__LBL_TSHIFT;
	}
	/* short paths: keep the high halves (the low ones are 0) */
	if (total <= DMASIM__LBL32_BITS) {
		ix->label32 = alloc_lines(n * sizeof(*ix->label32));
		if (!ix->label32)
			goto out;
		for (i = 0; i < n; i++)
			ix->label32[i] = (uint32_t)(ix->label[i] >> 32);
		free(ix->label);
		ix->label = NULL;
	}
	ix->labels = true;
	rc = 0;
out:
	free(maxord);
	free(ord);
	return rc;
}

static int build_table(struct dmasim__lca_index *ix, const struct dmasim_topo *t,
		       const uint8_t *top)
{
	const struct dmasim_device *devs = t->m.devices;
	size_t n = ix->n, i;
	unsigned k;

	ix->hot = calloc(n ? n : 1, sizeof(*ix->hot));
	ix->parent = calloc(n ? n : 1, sizeof(*ix->parent));
	if (!ix->hot || !ix->parent)
		return -1;
	for (i = 0; i < n; i++) {
		ix->parent[i] = devs[i].parent ? devs[i].parent->id : DMASIM__NO_ID;
		ix->hot[i].hb = devs[i].hb->id;
		ix->hot[i].depth = (uint8_t)devs[i].depth; /* < DMASIM_MAX_DEPTH */
		ix->hot[i].redir_top = top[i];
	}
	/* Sparse table of the least key (the rightmost shallowest device). */
	ix->levels = n ? floor_log2((uint32_t)n) + 1 : 0;
	ix->st = calloc(ix->levels ? ix->levels : 1, sizeof(*ix->st));
	if (!ix->st)
		return -1;
	for (k = 0; k < ix->levels; k++) {
		size_t len = n - ((size_t)1 << k) + 1;
		ix->st[k] = malloc(len * sizeof(**ix->st));
		if (!ix->st[k])
			return -1;
		for (i = 0; i < len; i++) {
			uint32_t x, y;

			if (k == 0) {
				ix->st[0][i] = (uint32_t)devs[i].depth << DMASIM__ID_BITS |
					       (DMASIM__ID_MASK - (uint32_t)i);
				continue;
			}
			x = ix->st[k - 1][i];
			y = ix->st[k - 1][i + ((size_t)1 << (k - 1))];
			ix->st[k][i] = x < y ? x : y;
		}
	}
	return 0;
}

int dmasim__lca_index_build_mode(struct dmasim_topo *t,
				 enum dmasim__lca_mode mode,
				 struct dmasim_error *err)
{
	const struct dmasim_device *devs = t->m.devices;
	struct dmasim__lca_index *ix;
	size_t n = t->m.ndevices, nhb = t->m.nhost_bridges, i, h;
	uint8_t *top = NULL;
	unsigned k, maxd = 0;
	int rc;

	dmasim__lca_index_destroy(t->lca);
	t->lca = NULL;
	ix = calloc(1, sizeof(*ix));
	if (!ix)
		goto nomem;
	ix->n = n;
	ix->nhb = nhb;
	if (n > DMASIM__ID_MASK)
		goto nomem;
	top = malloc(n ? n : 1);
	ix->redir = calloc(n ? n : 1, 1);
	ix->acs_cnt = calloc(n ? n * DMASIM__ACS_NBITS : 1, 1);
	ix->root = calloc(n ? n : 1, sizeof(*ix->root));
	ix->pcie = calloc(n ? n : 1, sizeof(*ix->pcie));
	ix->multifunction = calloc(n ? n : 1, sizeof(*ix->multifunction));
	ix->hb_first = calloc(nhb ? nhb : 1, sizeof(*ix->hb_first));
	ix->hb_slot0 = calloc(nhb ? nhb : 1, sizeof(*ix->hb_slot0));
	ix->cover = malloc((nhb ? nhb : 1) * 256 * sizeof(*ix->cover));
	ix->root_key = malloc((nhb ? nhb : 1) * DMASIM__NROOTDEV * sizeof(*ix->root_key));
	ix->verdict = calloc((nhb ? nhb : 1) * DMASIM__NPOLICY_BUILTINS, 1);
	if (!top || !ix->redir || !ix->acs_cnt || !ix->root || !ix->pcie ||
	    !ix->multifunction || !ix->hb_first || !ix->hb_slot0 || !ix->cover ||
	    !ix->root_key || !ix->verdict)
		goto nomem;

	/* Pre-order: a parent comes before its children. */
	for (i = 0; i < n; i++) {
		const struct dmasim_device *d = &devs[i], *p = d->parent;
		uint8_t *c = &ix->acs_cnt[i * DMASIM__ACS_NBITS];
		unsigned b;

		ix->redir[i] = d->has_acs ? (uint8_t)(d->acs_ctrl & 0x7f) : 0;
		top[i] = ix->redir[i] & DMASIM__REDIR_BITS ? (uint8_t)(d->depth + 1)
			 : p ? top[p->id] : 0;
		if (d->depth > maxd)
			maxd = d->depth;
		for (b = 0; b < DMASIM__ACS_NBITS; b++)
			c[b] = (uint8_t)((p ? ix->acs_cnt[(size_t)p->id * DMASIM__ACS_NBITS + b] : 0) +
					 (d->has_acs && (d->acs_ctrl & (1u << b)) ? 1 : 0));
		ix->root[i] = p ? ix->root[p->id] : (uint32_t)i;
		ix->pcie[i] = !p || (ix->pcie[p->id] && p->type != DMASIM_DEV_PCI_BRIDGE);
		mark_multifunction(ix, d->children, d->nchildren);
	}
	/* the built-in rows' host-bridge verdicts */
	for (k = 0; k < DMASIM__NPOLICY_BUILTINS; k++)
		for (h = 0; h < nhb; h++)
			ix->verdict[k * nhb + h] = (uint8_t)dmasim__thru_verdict(
				t, dmasim__policy_builtin_at(k), (uint32_t)h, true);
	rc = mode == DMASIM__LCA_TABLE ? 1 : build_labels(ix, t, top, maxd);
	if (rc > 0)
		rc = build_table(ix, t, top);
	if (rc < 0)
		goto nomem;
	for (k = 0; k < DMASIM__NPOLICY_BUILTINS; k++) {
		const struct dmasim_policy *p = dmasim__policy_builtin_at(k);

		ix->vrow[k] = ix->verdict + k * nhb;
		ix->calc_label[k] = ix->labels && p->decision == DMASIM_DECIDE_CALC &&
				    p->acs_redirect_bits == DMASIM__REDIR_BITS;
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
	free(top);
	t->lca = ix;
	return DMASIM_OK;
nomem:
	free(top);
	dmasim__lca_index_destroy(ix);
	return dmasim_error_set(err, DMASIM_ENOMEM, t->file, 0, 0,
				"out of memory building the common-upstream index");
}

int dmasim__lca_index_build(struct dmasim_topo *t, struct dmasim_error *err)
{
	t->lca = NULL;
	return dmasim__lca_index_build_mode(t, DMASIM__LCA_AUTO, err);
}
