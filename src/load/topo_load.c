/*
 * dmasim -- the topology loader: YAML (docs/topology.md) to model.
 *
 * A recursive-descent reader over a stream of YAML events (ynode.h,
 * struct ystream): from libyaml's parser when loading a file or a string,
 * so no node tree is ever built, or from a node of a loaded document (a
 * suite's inline topology).  The model is built as the events arrive;
 * devices are appended at the start of their mapping, which keeps the
 * depth-first pre-order.  Keys may come in any order, so the checks that
 * need several keys of one mapping (required keys, "an endpoint cannot
 * have children", p2pmem naming BARs) run at the end of the mapping with
 * the positions kept on the way.  Shape and values are checked here with
 * the position of the offending value; the cross-cutting rules (buses,
 * windows, overlaps) are checked by dmasim__topo_finalize().
 *
 * Files and strings are first read by the fast scanner (yfast.h), which
 * gives the events libyaml would for the subset of YAML dmasim files use,
 * several times faster.  Its result is used only when the whole text was
 * in the subset and the load succeeded; otherwise (anything outside the
 * subset, any error at all) the partial model is dropped and the text is
 * read again with libyaml from the start, so behaviour and errors are
 * libyaml's (check_load.c compares the two on every file and on thousands
 * of mutations).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/load.h"
#include "load/topo_load.h"
#include "load/ynode.h"
#include "model/names.h"
#include "model/topo_int.h"

#define GIB4 0x100000000ull

/* Default MSI doorbell region per architecture (CPU physical). */
static const struct dmasim_range arch_msi[DMASIM_ARCH_COUNT] = {
	[DMASIM_ARCH_X86_64] = { 0xfee00000, 1 << 20 },  /* IOAPIC_RANGE / MSI_RANGE */
	[DMASIM_ARCH_ARM64] = { 0x08000000, 1 << 20 },   /* SMMU software MSI window */
	[DMASIM_ARCH_PPC64] = { 0xffff0000, 1 << 16 },   /* PHB 32-bit MSI window */
	[DMASIM_ARCH_RISCV64] = { 0x28000000, 1 << 20 }, /* IMSIC (qemu virt layout) */
};

/* A host bridge's 'iommu:' waiting for 'iommus' (which may come later). */
struct iommu_ref {
	size_t hb;
	const char *name;          /* in the topology's arena */
	struct dmasim_pos pos;
};

struct loader {
	struct ystream *s;
	const struct yctx *c;
	struct dmasim_topo *t;
	struct yval ev;            /* the current event */
	bool iommus_read;          /* 'iommus' has been read */
	size_t hb_fail;            /* the host bridge that failed, and at */
	int hb_fail_rank;          /* which of its checks (hb_rank) */
	struct iommu_ref *refs;
	size_t nrefs, cap_refs;
};

static int nomem(struct loader *l)
{
	return dmasim__yv_err(l->c, (struct dmasim_pos){ 0, 0 }, DMASIM_ENOMEM,
		      "out of memory");
}

/* The limits this load runs within (limits.h). */
static const struct dmasim_limits *lim(const struct loader *l)
{
	return dmasim__ystream_limits(l->s);
}

/* Entry @n (0-based) of a list bounded by lim()->windows, at the current
 * event. */
static int list_bound(struct loader *l, const char *what, size_t n)
{
	if (n < lim(l)->windows)
		return DMASIM_OK;
	return dmasim__yv_err(l->c, l->ev.pos, DMASIM_ELIMIT,
		"%s has more than %u entries (raise the limit with --limit windows=N)",
		what, (unsigned)lim(l)->windows);
}

static int next(struct loader *l)
{
	return dmasim__ystream_next(l->s, &l->ev);
}

/* ---- mappings and lists ---------------------------------------------- */

#define MAXKEYS 24
#define LAST INT_MAX

/*
 * One mapping being read: its keys and where each value was.
 *
 * The document loader checked a mapping in a fixed order: its keys first
 * (unknown, duplicate), then the required ones, then the values one by
 * one in the order of its code, whatever their order in the file.  To
 * report the same first error when a file has several, a value's error is
 * kept (with the value's @rank in that order) while the rest of the
 * mapping is read; a key error returns at once; at the end the earliest
 * check in that order wins.  Lists stop at their first bad item, as before.
 */
struct mapr {
	const char *what;
	const char *const *keys;
	const unsigned char *rank;          /* per key: its place in the order */
	struct dmasim_pos pos;              /* of the mapping */
	struct dmasim_pos at[MAXKEYS];      /* of each key's value; line 0: absent */
	size_t depth;                       /* stream depth inside the mapping */
	int pend_rank;                      /* LAST: no error kept */
	struct dmasim_error pend;
};

static int map_begin(struct loader *l, struct mapr *m, const char *what,
		     const char *const *keys, const unsigned char *rank)
{
	int rc = dmasim__yv_map(l->c, &l->ev, what);

	if (rc)
		return rc;
	m->what = what;
	m->keys = keys;
	m->rank = rank;
	m->pos = l->ev.pos;
	memset(m->at, 0, sizeof(m->at));
	m->depth = dmasim__ystream_depth(l->s);
	m->pend_rank = LAST;
	return DMASIM_OK;
}

/* Read the next key and move to its value's first event: *k is the key's
 * index, or -1 at the end of the mapping and on every error. */
static int map_next(struct loader *l, struct mapr *m, int *k)
{
	size_t i;
	int rc;

	*k = -1;
	if ((rc = next(l)))
		return rc;
	if (l->ev.kind == YK_END)
		return DMASIM_OK;
	if ((rc = dmasim__yv_key(l->c, &l->ev, m->what, m->keys, &i)))
		return rc;
	if (m->at[i].line)
		return dmasim__yv_dup_key(l->c, &l->ev, m->what, m->at[i].line);
	if ((rc = next(l)))
		return rc;
	m->at[i] = l->ev.pos;
	*k = (int)i;
	return DMASIM_OK;
}

/* The value of key @k was read with status @rc: keep its error, if it is
 * the earliest so far, and go on after the value.  Only a broken stream
 * or a failed allocation stops the mapping. */
static int value_done(struct loader *l, struct mapr *m, int k, int rc)
{
	if (rc == DMASIM_OK)
		return DMASIM_OK;
	if (rc == DMASIM_ENOMEM || dmasim__ystream_failed(l->s))
		return rc;
	if (m->rank[k] < m->pend_rank) {
		m->pend = *l->c->err;
		if (m->pend.code == DMASIM_OK)
			m->pend.code = rc;
		m->pend_rank = m->rank[k];
	}
	dmasim_error_init(l->c->err);
	return dmasim__ystream_skip_to(l->s, m->depth);
}

/* At the end of the mapping: report the kept error if it comes before the
 * check of rank @rank (LAST: if there is one at all). */
static int kept_before(struct loader *l, const struct mapr *m, int rank)
{
	if (m->pend_rank >= rank)
		return DMASIM_OK;
	*l->c->err = m->pend;
	return m->pend.code;
}

static bool has(const struct mapr *m, int k)
{
	return m->at[k].line != 0;
}

static int require(struct loader *l, const struct mapr *m, int k,
		   const char *what)
{
	return dmasim__yv_require(l->c, m->pos, has(m, k), what, m->keys[k]);
}

/* Move to the next item of a list: *more is false at its end. */
static int seq_next(struct loader *l, bool *more)
{
	int rc = next(l);

	*more = rc == DMASIM_OK && l->ev.kind != YK_END;
	return rc;
}

static int u64v(struct loader *l, const char *what, uint64_t max, uint64_t *out)
{
	return dmasim__yv_u64_max(l->c, &l->ev, what, max, out);
}

/*
 * A two-number list such as [base, limit]: its length is checked first,
 * then its items, as the document loader did, so an item's error is only
 * kept until the length is known.  @n1 and @n2 name the items.
 */
static int load_pair(struct loader *l, const char *what, const char *lenmsg,
		     const char *n1, const char *n2, uint64_t max, uint64_t out[2])
{
	struct dmasim_pos pos = l->ev.pos;
	struct dmasim_error first;
	struct yctx c = { l->c->file, &first };
	size_t n = 0;
	bool more;
	int rc;

	if ((rc = dmasim__yv_seq(l->c, &l->ev, what)))
		return rc;
	dmasim_error_init(&first);
	for (;;) {
		if ((rc = seq_next(l, &more)))
			return rc;
		if (!more)
			break;
		if (n < 2 && !first.code)
			dmasim__yv_u64_max(&c, &l->ev, n ? n2 : n1, max, &out[n]);
		if ((l->ev.kind == YK_SEQ || l->ev.kind == YK_MAP) &&
		    (rc = dmasim__ystream_skip(l->s)))
			return rc;
		n++;
	}
	if (n != 2)
		return dmasim__yv_err(l->c, pos, DMASIM_ESCHEMA, lenmsg, n);
	if (first.code) {
		if (l->c->err && l->c->err->code == DMASIM_OK)
			*l->c->err = first;
		return first.code;
	}
	return DMASIM_OK;
}

/* ---- inferred: [key, ...] --------------------------------------------- */

/* The keys one mapping marks inferred, with where each was listed. */
struct infl {
	uint32_t mask;
	struct dmasim_pos at[MAXKEYS];
};

/* The value of `inferred:` (key @self of mapping @m): a list of keys of
 * @m whose values were guessed (docs/topology.md).  Unknown keys come
 * with a did-you-mean as unknown keys of @m do. */
static int load_inferred(struct loader *l, const struct mapr *m, int self, struct infl *inf)
{
	char what[96];
	bool more;
	size_t i;
	int rc;

	if ((rc = dmasim__yv_seq(l->c, &l->ev, "inferred")))
		return rc;
	snprintf(what, sizeof(what), "the inferred list (%s)", m->what);
	for (;;) {
		if ((rc = seq_next(l, &more)))
			return rc;
		if (!more)
			return DMASIM_OK;
		if ((rc = dmasim__yv_key(l->c, &l->ev, what, m->keys, &i)))
			return rc;
		if ((int)i == self)
			return dmasim__yv_err(l->c, l->ev.pos, DMASIM_ESCHEMA,
				      "'inferred' lists the keys of %s whose values were guessed; it cannot list itself",
				      m->what);
		if (inf->mask >> i & 1u)
			return dmasim__yv_err(l->c, l->ev.pos, DMASIM_ESCHEMA,
				      "'%s' is listed twice in inferred (first at line %u)",
				      m->keys[i], inf->at[i].line);
		inf->mask |= 1u << i;
		inf->at[i] = l->ev.pos;
	}
}

/* At the end of mapping @m: every key @inf marks is given in @m. */
static int inferred_done(struct loader *l, const struct mapr *m, const struct infl *inf,
			 struct dmasim_inferred *out)
{
	size_t i;

	for (i = 0; m->keys[i]; i++)
		if ((inf->mask >> i & 1u) && !has(m, (int)i))
			return dmasim__yv_err(l->c, inf->at[i], DMASIM_ESCHEMA,
				      "inferred marks '%s', which this %s does not give",
				      m->keys[i], m->what);
	out->mask = inf->mask;
	out->keys = inf->mask ? m->keys : NULL;
	return DMASIM_OK;
}

/* ---- small constructs ------------------------------------------------ */

/* { base, size } -> @out, with yrange's checks. */
static int load_range(struct loader *l, const char *what, struct dmasim_range *out)
{
	/* yrange: base and size required, then their values. */
	static const char *const keys[] = { "base", "size", NULL };
	static const unsigned char rank[] = { 2, 3 };
	struct dmasim_range r = { 0, 0 };
	struct mapr m;
	int rc, k;

	if ((rc = map_begin(l, &m, what, keys, rank)))
		return rc;
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return rc;
		if (k < 0)
			break;
		rc = u64v(l, keys[k], UINT64_MAX, k ? &r.size : &r.base);
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	if ((rc = dmasim__yv_require(l->c, m.pos, has(&m, 0), what, "base")) ||
	    (rc = dmasim__yv_require(l->c, m.pos, has(&m, 1), what, "size")) ||
	    (rc = kept_before(l, &m, LAST)) ||
	    (rc = dmasim__yv_range_check(l->c, m.pos, m.at[1], what, &r)))
		return rc;
	*out = r;
	return DMASIM_OK;
}

static int load_cpu(struct loader *l)
{
	static const char *const keys[] = { "vendor", "family", NULL };
	static const unsigned char rank[] = { 1, 2 };
	struct dmasim_topo *t = l->t;
	uint64_t fam;
	struct mapr m;
	int rc, k, e;

	if ((rc = map_begin(l, &m, "cpu", keys, rank)))
		return rc;
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return rc;
		if (k < 0)
			break;
		if (k == 0) {
			rc = dmasim__yv_enum(l->c, &l->ev, "cpu vendor", dmasim__cpu_vendor_names,
				     DMASIM_CPU_COUNT, &e);
			if (!rc)
				t->m.cpu_vendor = (enum dmasim_cpu_vendor)e;
		} else {
			rc = u64v(l, "cpu family", 0xffff, &fam);
			if (!rc)
				t->m.cpu_family = (unsigned)fam;
		}
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	if ((rc = require(l, &m, 0, "cpu")) || (rc = kept_before(l, &m, LAST)))
		return rc;
	t->m.has_cpu = true;
	return DMASIM_OK;
}

static int acs_bits(struct loader *l, const char *what, uint16_t *out)
{
	unsigned bits = 0;
	bool more;
	int rc, b;

	if ((rc = dmasim__yv_seq(l->c, &l->ev, what)))
		return rc;
	for (;;) {
		if ((rc = seq_next(l, &more)))
			return rc;
		if (!more)
			break;
		if ((rc = dmasim__yv_enum(l->c, &l->ev, "ACS bit", dmasim__acs_bit_names, 7, &b)))
			return rc;
		if (bits & (1u << b))
			return dmasim__yv_err(l->c, l->ev.pos, DMASIM_ESCHEMA,
				      "ACS bit '%s' is listed twice in %s",
				      dmasim__acs_bit_names[b], what);
		bits |= 1u << b;
	}
	*out = (uint16_t)bits;
	return DMASIM_OK;
}

static int load_acs(struct loader *l, size_t self)
{
	/* ctrl, then cap, then their agreement, then egress, firmware and
	 * external_facing (`ctrl: auto`, docs/topology.md). */
	static const char *const keys[] = { "cap", "ctrl", "egress", "firmware",
					    "external_facing", NULL };
	static const unsigned char rank[] = { 1, 0, 3, 4, 5 };
	struct dmasim_device *d = &l->t->devs[self];
	uint16_t cap = 0, ctrl = 0;
	uint64_t egress;
	char names[64];
	struct mapr m;
	int rc, k;

	if ((rc = map_begin(l, &m, "acs", keys, rank)))
		return rc;
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return rc;
		if (k < 0)
			break;
		if (k == 0)
			rc = acs_bits(l, "acs cap", &cap);
		else if (k == 1 && l->ev.kind == YK_SCALAR && l->ev.s &&
			 strcmp(l->ev.s, "auto") == 0)
			d->acs_auto = true;
		else if (k == 1)
			rc = acs_bits(l, "acs ctrl", &ctrl);
		else if (k == 3)
			rc = acs_bits(l, "acs firmware", &d->acs_fw);
		else if (k == 4)
			rc = dmasim__yv_bool(l->c, &l->ev, "external_facing", &d->external_facing);
		else if (!(rc = u64v(l, "acs egress vector", UINT32_MAX, &egress))) {
			d->acs_egress = (uint32_t)egress;
			d->has_acs_egress = true;
		}
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	d->has_acs = true;
	d->acs_ctrl = d->acs_auto ? d->acs_fw : ctrl;
	d->acs_cap = has(&m, 0) ? cap : d->acs_ctrl;
	if ((rc = kept_before(l, &m, 2)))
		return rc;
	if (d->acs_auto && !has(&m, 0))
		return dmasim__yv_err(l->c, m.at[1], DMASIM_ESCHEMA,
			      "'ctrl: auto' needs the ACS capability ('cap')");
	if (has(&m, 3) && !d->acs_auto)
		return dmasim__yv_err(l->c, m.at[3], DMASIM_ESCHEMA,
			      "'firmware' is the word 'ctrl: auto' starts from; give it only with 'ctrl: auto'");
	if (d->acs_ctrl & ~d->acs_cap) {
		dmasim_acs_snprintf(names, sizeof(names), d->acs_ctrl & ~d->acs_cap);
		return dmasim__yv_err(l->c, m.at[1], DMASIM_ESCHEMA,
			      "ACS control enables %s, which the ACS capability does not list",
			      names);
	}
	return kept_before(l, &m, LAST);
}

static int load_window(struct loader *l, int kind, struct dmasim_window *w)
{
	struct dmasim_pos pos = l->ev.pos;
	uint64_t v[2], base, limit;
	int rc;

	if ((rc = load_pair(l, "a bridge window",
			    "a bridge window is [base, limit]; found %zu values",
			    "window base", "window limit", UINT64_MAX, v)))
		return rc;
	base = v[0];
	limit = v[1];
	if (limit < base)
		return dmasim__yv_err(l->c, pos, DMASIM_ESCHEMA,
			      "window limit 0x%llx is below its base 0x%llx",
			      (unsigned long long)limit, (unsigned long long)base);
	if ((base & 0xfffff) || (limit & 0xfffff) != 0xfffff)
		return dmasim__yv_err(l->c, pos, DMASIM_ESCHEMA,
			      "bridge windows are 1 MiB granular: base 0x%llx must end in 00000 and limit 0x%llx in fffff",
			      (unsigned long long)base, (unsigned long long)limit);
	if (kind == DMASIM_WIN_MEM && limit >= GIB4)
		return dmasim__yv_err(l->c, pos, DMASIM_ESCHEMA,
			      "the non-prefetchable window [0x%llx-0x%llx] reaches above 4 GiB; it is 32-bit (Memory Base/Limit)",
			      (unsigned long long)base, (unsigned long long)limit);
	w->present = true;
	w->derived = false;
	w->base = base;
	w->limit = limit;
	w->pos = pos;
	return DMASIM_OK;
}

static int load_windows(struct loader *l, size_t self)
{
	static const char *const keys[] = { "mem", "mem-pref", NULL };
	static const unsigned char rank[] = { 0, 1 };
	struct dmasim_window w[DMASIM_WIN_KIND_COUNT];
	struct mapr m;
	int rc, k;

	if ((rc = map_begin(l, &m, "windows", keys, rank)))
		return rc;
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return rc;
		if (k < 0)
			break;
		rc = load_window(l, k, &w[k]);
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	if ((rc = kept_before(l, &m, LAST)))
		return rc;
	for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++)
		if (has(&m, k))
			l->t->devs[self].windows[k] = w[k];
	return DMASIM_OK;
}

/* ---- BARs ------------------------------------------------------------ */

enum { B_INDEX, B_BASE, B_SIZE, B_PREF, B_BITS, B_INFERRED };

static int load_bar(struct loader *l, size_t first)
{
	static const char *const keys[] = { "index", "base", "size", "pref",
					    "bits", "inferred", NULL };
	static const unsigned char rank[] = { 3, 4, 5, 6, 7, 8 };
	struct dmasim_topo *t = l->t;
	struct infl inf = { 0 };
	struct dmasim_bar bar;
	uint64_t idx = 0, bits = 0, last;
	struct mapr m;
	size_t i;
	int rc, k;

	memset(&bar, 0, sizeof(bar));
	if ((rc = map_begin(l, &m, "BAR", keys, rank)))
		return rc;
	bar.pos = m.pos;
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return rc;
		if (k < 0)
			break;
		switch (k) {
		case B_INDEX:
			rc = u64v(l, "BAR index", 5, &idx);
			break;
		case B_BASE:
			rc = u64v(l, "BAR base", UINT64_MAX, &bar.cpu);
			break;
		case B_SIZE:
			rc = u64v(l, "BAR size", UINT64_MAX, &bar.size);
			break;
		case B_PREF:
			rc = dmasim__yv_bool(l->c, &l->ev, "pref", &bar.pref);
			break;
		case B_INFERRED:
			rc = load_inferred(l, &m, k, &inf);
			break;
		default:
			rc = u64v(l, "BAR bits", UINT64_MAX, &bits);
			break;
		}
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	if ((rc = require(l, &m, B_INDEX, "a BAR")) ||
	    (rc = require(l, &m, B_BASE, "a BAR")) ||
	    (rc = require(l, &m, B_SIZE, "a BAR")) ||
	    (rc = kept_before(l, &m, LAST)) ||
	    (rc = inferred_done(l, &m, &inf, &bar.inferred)))
		return rc;
	bar.index = (unsigned)idx;
	if (bar.size == 0)
		return dmasim__yv_err(l->c, m.at[B_SIZE], DMASIM_ESCHEMA, "BAR %u has size 0",
			      bar.index);
	/* A BAR decodes a naturally aligned power-of-two range: sizing
	 * writes all ones and reads back the hardwired-zero low bits, and
	 * the low 4 bits of a memory BAR are its type, so 16 bytes is the
	 * least (__pci_read_base and pci_size, drivers/pci/probe.c).  Its
	 * alignment is checked on the bus address, which the register holds
	 * (finalize.c, set_bar_bus_addresses). */
	if (bar.size & (bar.size - 1))
		return dmasim__yv_err(l->c, m.at[B_SIZE], DMASIM_ESCHEMA,
			      "BAR %u has size 0x%llx, which is not a power of two; a BAR decodes a naturally aligned power-of-two range",
			      bar.index, (unsigned long long)bar.size);
	if (bar.size < 16)
		return dmasim__yv_err(l->c, m.at[B_SIZE], DMASIM_ESCHEMA,
			      "BAR %u has size %llu; a memory BAR is at least 16 bytes (its low 4 bits are its type)",
			      bar.index, (unsigned long long)bar.size);
	last = bar.cpu + (bar.size - 1);
	if (last < bar.cpu)
		return dmasim__yv_err(l->c, m.pos, DMASIM_ESCHEMA,
			      "BAR %u [base 0x%llx, size 0x%llx] wraps past the end of the 64-bit address space",
			      bar.index, (unsigned long long)bar.cpu,
			      (unsigned long long)bar.size);
	if (has(&m, B_BITS) && bits != 32 && bits != 64)
		return dmasim__yv_err(l->c, m.at[B_BITS], DMASIM_ESCHEMA,
			      "BAR bits must be 32 or 64, not %llu",
			      (unsigned long long)bits);
	/* Width is about the bus address, known only at finalize: an omitted
	 * `bits` stays 0 here (one slot) and is decided there, as is the
	 * 32-bit limit (finalize.c, set_bar_bus_addresses). */
	bar.bits = has(&m, B_BITS) ? (unsigned)bits : 0;
	if (bits == 64 && bar.index == 5)
		return dmasim__yv_err(l->c, m.pos, DMASIM_ESCHEMA,
			      "BAR 5 cannot be 64-bit: a 64-bit BAR takes two slots");
	for (i = first; i < t->nbars; i++) {
		const struct dmasim_bar *o = &t->bars[i];
		if (o->index == bar.index ||
		    (o->bits == 64 && o->index + 1 == bar.index) ||
		    (bits == 64 && bar.index + 1 == o->index))
			return dmasim__yv_err(l->c, m.pos, DMASIM_ESCHEMA,
				      "BAR %u uses a slot already taken by BAR %u (line %u)",
				      bar.index, o->index, o->pos.line);
	}
	if (dmasim__grow_raw((void **)&t->bars, &t->cap_bars, t->nbars,
			     sizeof(*t->bars)) ||
	    dmasim__grow_raw((void **)&t->bar_base_pos, &t->cap_bar_base_pos,
			     t->nbars, sizeof(*t->bar_base_pos)))
		return nomem(l);
	t->bar_base_pos[t->nbars] = m.at[B_BASE];
	t->bars[t->nbars++] = bar;
	return DMASIM_OK;
}

/* ---- devices --------------------------------------------------------- */

enum {
	K_BDF, K_TYPE, K_NAME, K_VENDOR, K_DEVICE, K_ACS, K_WINDOWS, K_CHILDREN,
	K_DMA_MASK, K_BUS_DMA_LIMIT, K_IOMMU_DOMAIN, K_P2PMEM, K_BARS,
	K_SECONDARY, K_SUBORDINATE, K_CLASS, K_INFERRED, K_NKEYS
};

static const char *const device_keys[] = {
	"bdf", "type", "name", "vendor", "device", "acs", "windows",
	"children", "dma_mask", "bus_dma_limit", "iommu_domain",
	"p2pmem", "bars", "secondary", "subordinate", "class", "inferred", NULL
};
/* The order of a device's checks: bdf and type required, type, bdf, name,
 * vendor, device, acs, dma_mask, bus_dma_limit, iommu_domain, "endpoints
 * have no windows or children" (R_ENDPOINT), windows, secondary,
 * subordinate, bars, p2pmem (R_P2PMEM), children. */
static const unsigned char device_rank[K_NKEYS] = {
	[K_TYPE] = 2, [K_BDF] = 3, [K_NAME] = 4, [K_VENDOR] = 5, [K_DEVICE] = 6,
	[K_ACS] = 7, [K_DMA_MASK] = 8, [K_BUS_DMA_LIMIT] = 9,
	[K_IOMMU_DOMAIN] = 10, [K_WINDOWS] = 12, [K_SECONDARY] = 13,
	[K_SUBORDINATE] = 14, [K_BARS] = 15, [K_P2PMEM] = 16, [K_CHILDREN] = 17,
	[K_CLASS] = 18, [K_INFERRED] = 19,
};
#define R_ENDPOINT 11
#define R_P2PMEM 16

static int load_device(struct loader *l, size_t hb, uint32_t parent,
		       unsigned depth);

static int load_device_list(struct loader *l, size_t hb, uint32_t parent,
			    unsigned depth)
{
	bool more;
	int rc;

	if ((rc = dmasim__yv_seq(l->c, &l->ev, parent == DMASIM__NOPARENT ? "devices"
								 : "children")))
		return rc;
	if (depth > DMASIM_MAX_DEPTH)
		return dmasim__yv_err(l->c, l->ev.pos, DMASIM_ETOPO,
			      "devices nested %u levels deep; dmasim supports at most %u",
			      depth, DMASIM_MAX_DEPTH);
	for (;;) {
		if ((rc = seq_next(l, &more)))
			return rc;
		if (!more)
			return DMASIM_OK;
		if ((rc = load_device(l, hb, parent, depth)))
			return rc;
	}
}

/* "SSSS:BB:DD.F" of a device; its segment may still change (set_segment). */
static void format_bdf(struct dmasim_device *d)
{
	/* "%04x:%02x:%02x.%x" by hand: snprintf was a tenth of a load. */
	static const char hex[] = "0123456789abcdef";
	char *b = d->bdf;
	unsigned dev = d->devfn >> 3u;

	b[0] = hex[(d->segment >> 12) & 15];
	b[1] = hex[(d->segment >> 8) & 15];
	b[2] = hex[(d->segment >> 4) & 15];
	b[3] = hex[d->segment & 15];
	b[4] = ':';
	b[5] = hex[d->bus >> 4];
	b[6] = hex[d->bus & 15];
	b[7] = ':';
	b[8] = hex[dev >> 4];
	b[9] = hex[dev & 15];
	b[10] = '.';
	b[11] = hex[d->devfn & 7];
	b[12] = '\0';
}

static const char *dev_name(const struct dmasim_device *d)
{
	return d->name ? d->name : d->bdf;
}

/* The p2pmem list, kept until the device's BARs are known.  At most 6
 * entries can name distinct BARs, so the 7th is always an error and
 * nothing past it needs keeping. */
struct p2pmem_list {
	size_t n;
	uint8_t idx[7];
	struct dmasim_pos pos[7];
};

static int load_p2pmem(struct loader *l, struct p2pmem_list *p)
{
	uint64_t u;
	bool more;
	int rc;

	if ((rc = dmasim__yv_seq(l->c, &l->ev, "p2pmem")))
		return rc;
	for (;;) {
		if ((rc = seq_next(l, &more)))
			return rc;
		if (!more)
			return DMASIM_OK;
		if ((rc = u64v(l, "p2pmem BAR index", 5, &u)))
			return rc;
		if (p->n < 7) {
			p->idx[p->n] = (uint8_t)u;
			p->pos[p->n++] = l->ev.pos;
		}
	}
}

static int check_p2pmem(struct loader *l, size_t self,
			const struct p2pmem_list *p)
{
	struct dmasim_topo *t = l->t;
	const struct dmasim__devx *x = &t->devx[self];
	size_t i, b;

	for (i = 0; i < p->n; i++) {
		for (b = x->bar_first; b < x->bar_first + x->nbars; b++)
			if (t->bars[b].index == p->idx[i])
				break;
		if (b == x->bar_first + x->nbars)
			return dmasim__yv_err(l->c, p->pos[i], DMASIM_ETOPO,
				      "p2pmem names BAR %u, which %s does not have",
				      p->idx[i], dev_name(&t->devs[self]));
		if (t->bars[b].p2pmem)
			return dmasim__yv_err(l->c, p->pos[i], DMASIM_ESCHEMA,
				      "p2pmem lists BAR %u twice", p->idx[i]);
		t->bars[b].p2pmem = true;
	}
	return DMASIM_OK;
}

/* Append a device and its side record; returns its index or -1. */
static long new_device(struct dmasim_topo *t)
{
	if (t->ndevs >= UINT32_MAX - 1 ||
	    dmasim__grow_raw((void **)&t->devs, &t->cap_devs, t->ndevs, sizeof(*t->devs)) ||
	    dmasim__grow_raw((void **)&t->devx, &t->cap_devx, t->ndevs, sizeof(*t->devx)))
		return -1;
	return (long)t->ndevs++;
}

static int load_device_value(struct loader *l, size_t self, int k, size_t hb,
			     unsigned depth, struct p2pmem_list *p2p)
{
	struct dmasim_topo *t = l->t;
	struct dmasim_device *d = &t->devs[self];
	struct dmasim__devx *x = &t->devx[self];
	char ex[DMASIM_YEXCERPT_SIZE];
	const char *s;
	uint64_t u;
	bool more;
	int rc, e;

	switch (k) {
	case K_BDF:
		if ((rc = dmasim__yv_str(l->c, &l->ev, "bdf", &s)))
			return rc;
		if (dmasim_parse_bdf(s, &d->segment, &d->bus, &d->devfn) != DMASIM_OK)
			return dmasim__yv_err(l->c, l->ev.pos, DMASIM_ESCHEMA,
				      "'%s' is not a BDF; expected BB:DD.F or SSSS:BB:DD.F (hex, device <= 1f, function <= 7)",
				      dmasim__yexcerpt(ex, s));
		x->bdf_has_segment = l->ev.len == 12;
		if (!x->bdf_has_segment)
			d->segment = t->hbs[hb].segment;
		return DMASIM_OK;
	case K_TYPE:
		if ((rc = dmasim__yv_enum(l->c, &l->ev, "device type", dmasim__dev_type_names,
				  DMASIM_DEV_TYPE_COUNT, &e)))
			return rc;
		d->type = (enum dmasim_dev_type)e;
		return DMASIM_OK;
	case K_NAME:
		if ((rc = dmasim__yv_str(l->c, &l->ev, "name", &s)))
			return rc;
		if (!(d->name = dmasim__topo_strndup(t, s, l->ev.len)))
			return nomem(l);
		x->name_pos = l->ev.pos;
		return DMASIM_OK;
	case K_VENDOR:
		if ((rc = u64v(l, "vendor", 0xffff, &u)))
			return rc;
		d->vendor = (uint16_t)u;
		return DMASIM_OK;
	case K_DEVICE:
		if ((rc = u64v(l, "device", 0xffff, &u)))
			return rc;
		d->device_id = (uint16_t)u;
		return DMASIM_OK;
	case K_ACS:
		return load_acs(l, self);
	case K_WINDOWS:
		return load_windows(l, self);
	case K_CHILDREN:
		return load_device_list(l, hb, (uint32_t)self, depth + 1);
	case K_DMA_MASK:
		if ((rc = u64v(l, "dma_mask (bits)", 64, &u)))
			return rc;
		if (u < 1)
			return dmasim__yv_err(l->c, l->ev.pos, DMASIM_ESCHEMA,
				      "dma_mask is a number of address bits, 1 to 64");
		d->dma_mask_bits = (unsigned)u;
		return DMASIM_OK;
	case K_BUS_DMA_LIMIT:
		if ((rc = u64v(l, "bus_dma_limit", UINT64_MAX, &d->bus_dma_limit)))
			return rc;
		x->has_bus_dma_limit = true;
		return DMASIM_OK;
	case K_IOMMU_DOMAIN:
		if ((rc = dmasim__yv_enum(l->c, &l->ev, "iommu_domain", dmasim__domain_type_names,
				  DMASIM_DOMAIN_COUNT, &e)))
			return rc;
		if (e == DMASIM_DOMAIN_NONE)
			return dmasim__yv_err(l->c, l->ev.pos, DMASIM_ESCHEMA,
				      "iommu_domain is dma, identity or blocked; leave it out for none");
		d->domain = (enum dmasim_domain_type)e;
		x->has_domain = true;
		return DMASIM_OK;
	case K_P2PMEM:
		return load_p2pmem(l, p2p);
	case K_BARS: {
		size_t first = t->nbars;

		if ((rc = dmasim__yv_seq(l->c, &l->ev, "bars")))
			return rc;
		for (;;) {
			if ((rc = seq_next(l, &more)))
				return rc;
			if (!more)
				break;
			if ((rc = load_bar(l, first)))
				return rc;
		}
		x = &t->devx[self];
		x->bar_first = (uint32_t)first;
		x->nbars = (uint8_t)(t->nbars - first);
		return DMASIM_OK;
	}
	case K_SECONDARY:
		if ((rc = u64v(l, "secondary bus", 0xff, &u)))
			return rc;
		d->secondary = (uint8_t)u;
		x->has_secondary = true;
		return DMASIM_OK;
	case K_SUBORDINATE:
		if ((rc = u64v(l, "subordinate bus", 0xff, &u)))
			return rc;
		d->subordinate = (uint8_t)u;
		x->has_subordinate = true;
		return DMASIM_OK;
	default: /* K_CLASS: base class, subclass, programming interface */
		if ((rc = u64v(l, "class (24-bit class code)", 0xffffff, &u)))
			return rc;
		d->class_code = (uint32_t)u;
		return DMASIM_OK;
	}
}

static int load_device(struct loader *l, size_t hb, uint32_t parent,
		       unsigned depth)
{
	struct dmasim_topo *t = l->t;
	struct p2pmem_list p2p;
	struct dmasim_device *d;
	struct dmasim__devx *x;
	struct infl inf = { 0 };
	struct mapr m;
	size_t self;
	long id;
	int rc, k;

	if ((rc = map_begin(l, &m, "device", device_keys, device_rank)))
		return rc;
	if (t->ndevs >= lim(l)->devices)
		return dmasim__yv_err(l->c, m.pos, DMASIM_ELIMIT,
			"more than %u devices (raise the limit with --limit devices=N)",
			(unsigned)lim(l)->devices);
	if ((id = new_device(t)) < 0)
		return nomem(l);
	self = (size_t)id;
	d = &t->devs[self];
	x = &t->devx[self];
	memset(d, 0, sizeof(*d));
	memset(x, 0, sizeof(*x));
	x->parent = parent;
	x->hb = (uint32_t)hb;
	x->bar_first = (uint32_t)t->nbars;
	d->pos = m.pos;
	d->dma_mask_bits = 64;
	d->vendor = 0xffff;
	d->device_id = 0xffff;
	d->type = DMASIM_DEV_ENDPOINT;
	d->class_code = DMASIM_CLASS_UNKNOWN;
	p2p.n = 0;
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return rc;
		if (k < 0)
			break;
		/* Children move the arrays: the value loaders index them. */
		rc = k == K_INFERRED ? load_inferred(l, &m, k, &inf)
			: load_device_value(l, self, k, hb, depth, &p2p);
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	if ((rc = require(l, &m, K_BDF, "a device")) ||
	    (rc = require(l, &m, K_TYPE, "a device")))
		return rc;
	d = &t->devs[self];
	format_bdf(d);
	if ((rc = kept_before(l, &m, R_ENDPOINT)))
		return rc;
	if (d->type == DMASIM_DEV_ENDPOINT)
		for (k = K_WINDOWS; k <= K_SUBORDINATE; k++)
			if (has(&m, k) && (k == K_WINDOWS || k == K_CHILDREN ||
					   k == K_SECONDARY || k == K_SUBORDINATE))
				return dmasim__yv_err(l->c, m.at[k], DMASIM_ESCHEMA,
					      "%s is an endpoint and cannot have '%s'; only bridges do",
					      dev_name(d), device_keys[k]);
	if ((rc = kept_before(l, &m, R_P2PMEM)) ||
	    (rc = check_p2pmem(l, self, &p2p)) ||
	    (rc = kept_before(l, &m, LAST)))
		return rc;
	return inferred_done(l, &m, &inf, &t->devs[self].inferred);
}

/* ---- host bridges ---------------------------------------------------- */

static int load_hb_window(struct loader *l)
{
	static const char *const keys[] = { "kind", "cpu", "bus", "size", "inferred", NULL };
	static const unsigned char rank[] = { 3, 4, 6, 5, 7 };
	struct dmasim_hb_window w;
	struct infl inf = { 0 };
	struct mapr m;
	int rc, k, kind;

	memset(&w, 0, sizeof(w));
	if ((rc = map_begin(l, &m, "host-bridge window", keys, rank)))
		return rc;
	w.pos = m.pos;
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return rc;
		if (k < 0)
			break;
		if (k == 0) {
			rc = dmasim__yv_enum(l->c, &l->ev, "window kind", dmasim__win_kind_names,
				     DMASIM_WIN_KIND_COUNT, &kind);
			if (!rc)
				w.kind = (enum dmasim_win_kind)kind;
		} else if (k == 4) {
			rc = load_inferred(l, &m, k, &inf);
		} else {
			rc = u64v(l, k == 1 ? "window cpu address"
				     : k == 2 ? "window bus address" : "window size",
				  UINT64_MAX, k == 1 ? &w.cpu : k == 2 ? &w.bus : &w.size);
		}
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	if ((rc = require(l, &m, 0, "a host-bridge window")) ||
	    (rc = require(l, &m, 1, "a host-bridge window")) ||
	    (rc = require(l, &m, 3, "a host-bridge window")) ||
	    (rc = kept_before(l, &m, LAST)) ||
	    (rc = inferred_done(l, &m, &inf, &w.inferred)))
		return rc;
	if (!has(&m, 2))
		w.bus = w.cpu;
	if (w.size == 0)
		return dmasim__yv_err(l->c, m.at[3], DMASIM_ESCHEMA, "window size is 0");
	if (w.cpu + (w.size - 1) < w.cpu || w.bus + (w.size - 1) < w.bus)
		return dmasim__yv_err(l->c, m.pos, DMASIM_ESCHEMA,
			      "window [cpu 0x%llx, bus 0x%llx, size 0x%llx] wraps past the end of the 64-bit address space",
			      (unsigned long long)w.cpu, (unsigned long long)w.bus,
			      (unsigned long long)w.size);
	if (dmasim__grow((void **)&l->t->hbwins, &l->t->cap_hbwins, l->t->nhbwins,
			 sizeof(*l->t->hbwins)))
		return nomem(l);
	l->t->hbwins[l->t->nhbwins++] = w;
	return DMASIM_OK;
}

static int load_dma_range(struct loader *l)
{
	static const char *const keys[] = { "bus", "cpu", "size", NULL };
	static const unsigned char rank[] = { 3, 4, 5 };
	struct dmasim_dma_range r;
	struct mapr m;
	int rc, k;

	memset(&r, 0, sizeof(r));
	if ((rc = map_begin(l, &m, "dma range", keys, rank)))
		return rc;
	r.pos = m.pos;
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return rc;
		if (k < 0)
			break;
		rc = u64v(l, k == 0 ? "dma range bus address"
			     : k == 1 ? "dma range cpu address" : "dma range size",
			  UINT64_MAX, k == 0 ? &r.bus : k == 1 ? &r.cpu : &r.size);
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	if ((rc = require(l, &m, 0, "a dma range")) ||
	    (rc = require(l, &m, 1, "a dma range")) ||
	    (rc = require(l, &m, 2, "a dma range")) ||
	    (rc = kept_before(l, &m, LAST)))
		return rc;
	if (r.size == 0)
		return dmasim__yv_err(l->c, m.at[2], DMASIM_ESCHEMA, "dma range size is 0");
	if (r.cpu + (r.size - 1) < r.cpu || r.bus + (r.size - 1) < r.bus)
		return dmasim__yv_err(l->c, m.pos, DMASIM_ESCHEMA,
			      "dma range wraps past the end of the 64-bit address space");
	if (dmasim__grow((void **)&l->t->dranges, &l->t->cap_dranges,
			 l->t->ndranges, sizeof(*l->t->dranges)))
		return nomem(l);
	l->t->dranges[l->t->ndranges++] = r;
	return DMASIM_OK;
}

/* Ranges [lo, hi] in file order, for the overlap checks below. */
struct span {
	uint64_t lo, hi;
};

static int cmp_span_lo(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static bool spans_overlap(const struct span *a, const struct span *b)
{
	return b->lo <= a->hi && a->lo <= b->hi;
}

/* Do the first @m spans of @v overlap (sorted copy in @tmp)? */
static bool prefix_overlaps(const struct span *v, size_t m, struct span *tmp)
{
	uint64_t maxhi = 0;
	size_t p;

	memcpy(tmp, v, m * sizeof(*v));
	qsort(tmp, m, sizeof(*tmp), cmp_span_lo);
	for (p = 0; p < m; p++) {
		if (p > 0 && tmp[p].lo <= maxhi)
			return true;
		if (p == 0 || tmp[p].hi > maxhi)
			maxhi = tmp[p].hi;
	}
	return false;
}

/*
 * The pair a pairwise scan (i ascending, then j < i ascending) finds first:
 * *pi = n when no two spans overlap.  Prefixes that overlap stay so when
 * they grow, so the shortest one is found by binary search, in
 * O(n log^2 n).  -1 on ENOMEM.
 */
static int first_overlap(const struct span *v, size_t n, size_t *pi, size_t *pj)
{
	struct span *tmp;
	size_t lo = 2, hi = n, j;

	*pi = n;
	if (n < 2)
		return 0;
	if (!(tmp = malloc(n * sizeof(*tmp))))
		return -1;
	if (prefix_overlaps(v, n, tmp)) {
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (prefix_overlaps(v, mid, tmp))
				hi = mid;
			else
				lo = mid + 1;
		}
		*pi = lo - 1;
		for (j = 0; j < *pi && !spans_overlap(&v[j], &v[*pi]); j++)
			;
		*pj = j;
	}
	free(tmp);
	return 0;
}

static int check_dma_ranges(struct loader *l, size_t first, size_t n)
{
	const struct dmasim_dma_range *r;
	struct span *v;
	size_t i, j;
	int rc;

	if (n == 0)
		return DMASIM_OK;
	r = &l->t->dranges[first];
	if (!(v = malloc((n + 1) * sizeof(*v))))
		return nomem(l);
	for (i = 0; i < n; i++) {
		v[i].lo = r[i].bus;
		v[i].hi = r[i].bus + (r[i].size - 1);
	}
	rc = first_overlap(v, n, &i, &j);
	free(v);
	if (rc)
		return nomem(l);
	if (i < n)
		return dmasim__yv_err(l->c, r[i].pos, DMASIM_ETOPO,
			      "dma range at bus 0x%llx overlaps the dma range at line %u",
			      (unsigned long long)r[i].bus, r[j].pos.line);
	return DMASIM_OK;
}

static int check_hb_windows_bus(struct loader *l, size_t first, size_t n)
{
	const struct dmasim_hb_window *w;
	struct span *v;
	size_t i, j;
	int rc;

	if (n == 0)   /* windows: [] (and hbwins may still be NULL) */
		return DMASIM_OK;
	w = &l->t->hbwins[first];
	if (!(v = malloc((n + 1) * sizeof(*v))))
		return nomem(l);
	for (i = 0; i < n; i++) {
		v[i].lo = w[i].bus;
		v[i].hi = w[i].bus + (w[i].size - 1);
	}
	rc = first_overlap(v, n, &i, &j);
	free(v);
	if (rc)
		return nomem(l);
	if (i < n)
		return dmasim__yv_err(l->c, w[i].pos, DMASIM_ETOPO,
			      "window at bus 0x%llx overlaps, in bus addresses, the window at line %u",
			      (unsigned long long)w[i].bus, w[j].pos.line);
	return DMASIM_OK;
}

/* Resolve host bridge @hb's 'iommu:' name (the iommus are all read). */
static int resolve_iommu(struct loader *l, const struct iommu_ref *r)
{
	struct dmasim_topo *t = l->t;
	size_t i;

	for (i = 0; i < t->niommus; i++)
		if (strcmp(t->iommus[i].name, r->name) == 0) {
			t->hbx[r->hb].iommu = i;
			return DMASIM_OK;
		}
	return dmasim__yv_err(l->c, r->pos, DMASIM_ETOPO,
		      "host bridge %s names iommu '%s', which is not in 'iommus'",
		      t->hbs[r->hb].name, r->name);
}

/* The order of a host bridge's checks: name required, then its values in
 * key order (the iommu name resolved with its value). */
enum { H_NAME, H_SEGMENT, H_BUSES, H_IOMMU, H_RC, H_WINDOWS, H_DMA_RANGES,
       H_DEVICES, H_SOCKET, H_NUMA, H_INFERRED };
static const unsigned char hb_rank[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

/* Host bridge @hb failed at the check of rank @rank (its first failure:
 * the list of host bridges stops there). */
static int hb_failed(struct loader *l, size_t hb, int rank, int rc)
{
	l->hb_fail = hb;
	l->hb_fail_rank = rank;
	return rc;
}

/* At the end of the root: the 'iommu:' names that waited for 'iommus'.
 * The document loader resolved each with its host bridge, so a failure
 * comes before the kept error of 'host_bridges' (@m's, if any) when its
 * host bridge comes first, or is the one that failed but later in its
 * checks. */
static int resolve_iommu_refs(struct loader *l, struct mapr *m, int hbs_rank)
{
	size_t i;
	int rc;

	for (i = 0; i < l->nrefs; i++) {
		const struct iommu_ref *r = &l->refs[i];

		if (m->pend_rank == hbs_rank &&
		    (r->hb > l->hb_fail ||
		     (r->hb == l->hb_fail && l->hb_fail_rank < hb_rank[H_IOMMU])))
			break;
		if ((rc = resolve_iommu(l, r)))
			return rc;
	}
	l->nrefs = 0;
	return kept_before(l, m, LAST);
}


static int load_host_bridge_value(struct loader *l, size_t self, int k,
				  struct iommu_ref *ref)
{
	static const char *const rckeys[] = { "p2p", NULL };
	static const unsigned char rcrank[] = { 1 };
	struct dmasim_topo *t = l->t;
	struct dmasim_host_bridge *h = &t->hbs[self];
	struct dmasim__hbx *hx = &t->hbx[self];
	const char *s;
	uint64_t u;
	struct mapr m;
	bool more;
	int rc, p2p, rk;

	switch (k) {
	case H_NAME:
		if ((rc = dmasim__yv_str(l->c, &l->ev, "host bridge name", &s)))
			return rc;
		if (!(h->name = dmasim__topo_strndup(t, s, l->ev.len)))
			return nomem(l);
		return DMASIM_OK;
	case H_SEGMENT:
		if ((rc = u64v(l, "segment", 0xffff, &u)))
			return rc;
		h->segment = (uint16_t)u;
		return DMASIM_OK;
	case H_BUSES: {
		struct dmasim_pos pos = l->ev.pos;
		uint64_t v[2];

		if ((rc = load_pair(l, "buses", "buses is [first, last]; found %zu values",
				    "first bus", "last bus", 0xff, v)))
			return rc;
		if (v[1] < v[0])
			return dmasim__yv_err(l->c, pos, DMASIM_ESCHEMA,
				      "bus range [0x%02llx-0x%02llx] ends before it starts",
				      (unsigned long long)v[0], (unsigned long long)v[1]);
		h->bus_first = (uint8_t)v[0];
		h->bus_last = (uint8_t)v[1];
		return DMASIM_OK;
	}
	case H_IOMMU:
		if ((rc = dmasim__yv_str(l->c, &l->ev, "iommu", &s)))
			return rc;
		if (!(ref->name = dmasim__topo_strndup(t, s, l->ev.len)))
			return nomem(l);
		ref->pos = l->ev.pos;
		return DMASIM_OK;
	case H_RC:
		if ((rc = map_begin(l, &m, "root_complex", rckeys, rcrank)))
			return rc;
		for (;;) {
			if ((rc = map_next(l, &m, &rk)))
				return rc;
			if (rk < 0)
				break;
			rc = dmasim__yv_enum(l->c, &l->ev, "root_complex p2p", dmasim__rc_p2p_names,
				     DMASIM_RC_P2P_COUNT, &p2p);
			if (!rc)
				t->hbs[self].rc_p2p = (enum dmasim_rc_p2p)p2p;
			if ((rc = value_done(l, &m, rk, rc)))
				return rc;
		}
		if ((rc = dmasim__yv_require(l->c, m.pos, has(&m, 0), "root_complex", "p2p")))
			return rc;
		return kept_before(l, &m, LAST);
	case H_WINDOWS:
		if ((rc = dmasim__yv_seq(l->c, &l->ev, "windows")))
			return rc;
		hx->win_first = t->nhbwins;
		for (;;) {
			if ((rc = seq_next(l, &more)))
				return rc;
			if (!more)
				break;
			if ((rc = list_bound(l, "windows", t->nhbwins - hx->win_first)) ||
			    (rc = load_hb_window(l)))
				return rc;
		}
		hx = &t->hbx[self];
		hx->nwin = t->nhbwins - hx->win_first;
		return check_hb_windows_bus(l, hx->win_first, hx->nwin);
	case H_DMA_RANGES: {
		struct dmasim_pos pos = l->ev.pos;

		if ((rc = dmasim__yv_seq(l->c, &l->ev, "dma_ranges")))
			return rc;
		hx->dr_first = t->ndranges;
		for (;;) {
			if ((rc = seq_next(l, &more)))
				return rc;
			if (!more)
				break;
			if ((rc = list_bound(l, "dma_ranges", t->ndranges - hx->dr_first)) ||
			    (rc = load_dma_range(l)))
				return rc;
		}
		hx = &t->hbx[self];
		hx->ndr = t->ndranges - hx->dr_first;
		if (hx->ndr == 0)
			return dmasim__yv_err(l->c, pos, DMASIM_ESCHEMA,
				      "dma_ranges is empty: no DMA could reach memory; leave it out for identity over the whole space");
		t->hbs[self].has_dma_ranges = true;
		return check_dma_ranges(l, hx->dr_first, hx->ndr);
	}
	case H_SOCKET:
	case H_NUMA:
		if ((rc = u64v(l, k == H_SOCKET ? "socket" : "numa_node", 4095, &u)))
			return rc;
		*(k == H_SOCKET ? &h->socket : &h->numa_node) = (int)u;
		return DMASIM_OK;
	default: /* H_DEVICES */
		return load_device_list(l, self, DMASIM__NOPARENT, 0);
	}
}

static int load_host_bridge(struct loader *l)
{
	static const char *const keys[] = { "name", "segment", "buses", "iommu",
					    "root_complex", "windows",
					    "dma_ranges", "devices", "socket",
					    "numa_node", "inferred", NULL };
	struct dmasim_topo *t = l->t;
	struct dmasim_host_bridge *h;
	struct dmasim__hbx *hx;
	struct iommu_ref ref = { 0, NULL, { 0, 0 } };
	struct infl inf = { 0 };
	size_t self, dev_first, i;
	bool segment_late = false;
	struct mapr m;
	int rc, k;

	if ((rc = map_begin(l, &m, "host bridge", keys, hb_rank)))
		return hb_failed(l, t->nhbs, -1, rc);
	if (dmasim__grow((void **)&t->hbs, &t->cap_hbs, t->nhbs, sizeof(*t->hbs)) ||
	    dmasim__grow((void **)&t->hbx, &t->cap_hbx, t->nhbs, sizeof(*t->hbx)))
		return nomem(l);
	self = t->nhbs++;
	h = &t->hbs[self];
	hx = &t->hbx[self];
	memset(h, 0, sizeof(*h));
	memset(hx, 0, sizeof(*hx));
	hx->iommu = DMASIM__NONE;
	hx->win_first = t->nhbwins;
	hx->dr_first = t->ndranges;
	h->pos = m.pos;
	h->bus_first = 0;
	h->bus_last = 0xff;
	h->rc_p2p = DMASIM_RC_P2P_NONE;
	h->socket = -1;
	h->numa_node = -1;
	h->name = "";
	ref.hb = self;
	dev_first = t->ndevs;
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return hb_failed(l, self, -1, rc);
		if (k < 0)
			break;
		if (k == H_SEGMENT && has(&m, H_DEVICES))
			segment_late = true;
		rc = k == H_INFERRED ? load_inferred(l, &m, k, &inf)
			: load_host_bridge_value(l, self, k, &ref);
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	if ((rc = require(l, &m, H_NAME, "a host bridge")))
		return hb_failed(l, self, 0, rc);
	if ((rc = kept_before(l, &m, hb_rank[H_IOMMU])))
		return hb_failed(l, self, m.pend_rank, rc);
	if (ref.name && l->iommus_read && (rc = resolve_iommu(l, &ref)))
		return hb_failed(l, self, hb_rank[H_IOMMU], rc);
	if (ref.name && !l->iommus_read) {
		/* Resolved when 'iommus' has been read (see load_root). */
		if (dmasim__grow((void **)&l->refs, &l->cap_refs, l->nrefs,
				 sizeof(*l->refs)))
			return nomem(l);
		l->refs[l->nrefs++] = ref;
	}
	if ((rc = kept_before(l, &m, LAST)))
		return hb_failed(l, self, m.pend_rank, rc);
	if ((rc = inferred_done(l, &m, &inf, &t->hbs[self].inferred)))
		return hb_failed(l, self, hb_rank[H_INFERRED], rc);
	h = &t->hbs[self];
	if (segment_late && h->segment) {
		/* 'segment' came after 'devices': the devices that took the
		 * segment from their host bridge take the real one now. */
		for (i = dev_first; i < t->ndevs; i++)
			if (t->devx[i].hb == self && !t->devx[i].bdf_has_segment) {
				t->devs[i].segment = h->segment;
				format_bdf(&t->devs[i]);
			}
	}
	return DMASIM_OK;
}

/* ---- iommus ---------------------------------------------------------- */

static const unsigned char iommu_rank[] = { 2, 3, 4, 5, 6, 7 };

static int load_iommu_value(struct loader *l, size_t self, int k)
{
	struct dmasim_topo *t = l->t;
	struct dmasim_iommu *u = &t->iommus[self];
	const char *s;
	uint64_t n;
	size_t i;
	bool more;
	int rc, e;

	switch (k) {
	case 0:
		if ((rc = dmasim__yv_str(l->c, &l->ev, "iommu name", &s)))
			return rc;
		for (i = 0; i < self; i++)
			if (strcmp(t->iommus[i].name, s) == 0)
				return dmasim__yv_err(l->c, l->ev.pos, DMASIM_ETOPO,
					      "iommu name '%s' is already used at line %u",
					      s, t->iommus[i].pos.line);
		if (!(u->name = dmasim__topo_strndup(t, s, l->ev.len)))
			return nomem(l);
		return DMASIM_OK;
	case 1:
		if ((rc = dmasim__yv_enum(l->c, &l->ev, "iommu type", dmasim__iommu_type_names,
				  DMASIM_IOMMU_TYPE_COUNT, &e)))
			return rc;
		u->type = (enum dmasim_iommu_type)e;
		return DMASIM_OK;
	case 2:
		if ((rc = u64v(l, "address_bits", 64, &n)))
			return rc;
		if (n < 32)
			return dmasim__yv_err(l->c, l->ev.pos, DMASIM_ESCHEMA,
				      "address_bits must be 32 to 64, not %llu",
				      (unsigned long long)n);
		u->address_bits = (unsigned)n;
		return DMASIM_OK;
	case 3:
		if ((rc = dmasim__yv_enum(l->c, &l->ev, "default_domain",
				  dmasim__domain_type_names, DMASIM_DOMAIN_COUNT, &e)))
			return rc;
		if (e == DMASIM_DOMAIN_NONE)
			return dmasim__yv_err(l->c, l->ev.pos, DMASIM_ESCHEMA,
				      "default_domain is dma, identity or blocked");
		u->default_domain = (enum dmasim_domain_type)e;
		return DMASIM_OK;
	default:
		if ((rc = dmasim__yv_seq(l->c, &l->ev, "reserved")))
			return rc;
		for (;;) {
			struct dmasim_range r, *slot;

			if ((rc = seq_next(l, &more)))
				return rc;
			if (!more)
				return DMASIM_OK;
			if ((rc = load_range(l, "a reserved range", &r)))
				return rc;
			if (!(slot = DMASIM__PUSH(t, resv, nresv, cap_resv)))
				return nomem(l);
			*slot = r;
			t->iommux[self].nresv++;
		}
	}
}

/* Checked as the document loader did: name and type required, then the
 * values in key order. */
static int load_iommu(struct loader *l)
{
	static const char *const keys[] = { "name", "type", "address_bits",
					    "default_domain", "reserved", "inferred", NULL };
	struct dmasim_topo *t = l->t;
	struct dmasim_iommu *u;
	struct infl inf = { 0 };
	size_t self;
	struct mapr m;
	int rc, k;

	if ((rc = map_begin(l, &m, "iommu", keys, iommu_rank)))
		return rc;
	if (dmasim__grow((void **)&t->iommus, &t->cap_iommus, t->niommus, sizeof(*t->iommus)) ||
	    dmasim__grow((void **)&t->iommux, &t->cap_iommux, t->niommus, sizeof(*t->iommux)))
		return nomem(l);
	self = t->niommus++;
	u = &t->iommus[self];
	memset(u, 0, sizeof(*u));
	t->iommux[self].resv_first = t->nresv;
	t->iommux[self].nresv = 0;
	u->pos = m.pos;
	u->name = "";
	u->address_bits = 48;
	u->default_domain = DMASIM_DOMAIN_DMA;
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return rc;
		if (k < 0)
			break;
		rc = k == 5 ? load_inferred(l, &m, k, &inf) : load_iommu_value(l, self, k);
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	if ((rc = require(l, &m, 0, "an iommu")) ||
	    (rc = require(l, &m, 1, "an iommu")) ||
	    (rc = kept_before(l, &m, LAST)))
		return rc;
	return inferred_done(l, &m, &inf, &t->iommus[self].inferred);
}

/* ---- the whole topology ---------------------------------------------- */

/* The order of the root's checks: dmasim required, its value, arch and
 * host_bridges required, arch, name, cpu, ram, msi, iommus, host_bridges
 * (and host bridges' iommu names that had to wait for 'iommus'). */
enum { R_DMASIM, R_NAME, R_ARCH, R_CPU, R_RAM, R_MSI, R_IOMMUS, R_HBS,
       R_INTER_SOCKET, R_KERNEL, R_INFERRED };
static const unsigned char root_rank[] = { 1, 5, 4, 6, 7, 8, 9, 10, 11, 12, 13 };

/* kernel: { cmdline: "...", acs_requested: bool }, the situation of
 * `ctrl: auto` ACS words (docs/topology.md). */
static int load_kernel(struct loader *l)
{
	static const char *const keys[] = { "cmdline", "acs_requested", NULL };
	static const unsigned char rank[] = { 0, 1 };
	struct dmasim_topo *t = l->t;
	struct mapr m;
	const char *s;
	bool b;
	int rc, k;

	if ((rc = map_begin(l, &m, "kernel", keys, rank)))
		return rc;
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return rc;
		if (k < 0)
			break;
		if (k == 0 && !(rc = dmasim__yv_str(l->c, &l->ev, "cmdline", &s)) &&
		    !(t->m.kernel_cmdline = dmasim__topo_strndup(t, s, l->ev.len)))
			return nomem(l);
		if (k == 1 && !(rc = dmasim__yv_bool(l->c, &l->ev, "acs_requested", &b)))
			t->m.acs_requested = b;
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	return kept_before(l, &m, LAST);
}

/* inter_socket: { p2p: forward | block } */
static int load_inter_socket(struct loader *l)
{
	static const char *const keys[] = { "p2p", NULL };
	static const unsigned char rank[] = { 1 };
	static const char *const words[] = { "block", "forward" };
	struct mapr m;
	int rc, k, e;

	if ((rc = map_begin(l, &m, "inter_socket", keys, rank)))
		return rc;
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return rc;
		if (k < 0)
			break;
		rc = dmasim__yv_enum(l->c, &l->ev, "inter_socket p2p", words, 2, &e);
		if (!rc)
			l->t->m.inter_socket_p2p = e == 1;
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	if ((rc = require(l, &m, 0, "inter_socket")))
		return rc;
	return kept_before(l, &m, LAST);
}

static int load_root_value(struct loader *l, int k)
{
	struct dmasim_topo *t = l->t;
	struct dmasim_pos pos = l->ev.pos;
	const char *s;
	uint64_t version;
	bool more;
	int rc, arch;

	switch (k) {
	case R_DMASIM:
		if ((rc = u64v(l, "dmasim (format version)", UINT64_MAX, &version)))
			return rc;
		if (version != 1)
			return dmasim__yv_err(l->c, pos, DMASIM_ESCHEMA,
				      "format version %llu is not supported; this dmasim reads version 1",
				      (unsigned long long)version);
		return DMASIM_OK;
	case R_NAME:
		if ((rc = dmasim__yv_str(l->c, &l->ev, "name", &s)))
			return rc;
		if (!(t->m.name = dmasim__topo_strndup(t, s, l->ev.len)))
			return nomem(l);
		return DMASIM_OK;
	case R_ARCH:
		if ((rc = dmasim__yv_enum(l->c, &l->ev, "arch", dmasim__arch_names,
				  DMASIM_ARCH_COUNT, &arch)))
			return rc;
		t->m.arch = (enum dmasim_arch)arch;
		return DMASIM_OK;
	case R_CPU:
		return load_cpu(l);
	case R_KERNEL:
		return load_kernel(l);
	case R_RAM:
		if ((rc = dmasim__yv_seq(l->c, &l->ev, "ram")))
			return rc;
		for (;;) {
			struct dmasim_range r, *slot;

			if ((rc = seq_next(l, &more)))
				return rc;
			if (!more)
				return DMASIM_OK;
			struct dmasim_pos at = l->ev.pos;

			if ((rc = list_bound(l, "ram", t->nram)) ||
			    (rc = load_range(l, "a RAM range", &r)))
				return rc;
			if (dmasim__grow((void **)&t->ram_pos, &t->cap_ram_pos,
					 t->nram, sizeof(*t->ram_pos)) ||
			    !(slot = DMASIM__PUSH(t, ram, nram, cap_ram)))
				return nomem(l);
			t->ram_pos[t->nram - 1] = at;
			*slot = r;
		}
	case R_MSI:
		if ((rc = load_range(l, "msi", &t->m.msi)))
			return rc;
		t->msi_given = true;
		return DMASIM_OK;
	case R_IOMMUS:
		if ((rc = dmasim__yv_seq(l->c, &l->ev, "iommus")))
			return rc;
		for (;;) {
			if ((rc = seq_next(l, &more)))
				return rc;
			if (!more)
				break;
			if ((rc = load_iommu(l)))
				return rc;
		}
		l->iommus_read = true;
		return DMASIM_OK;
	case R_INTER_SOCKET:
		return load_inter_socket(l);
	default: /* R_HBS */
		if ((rc = dmasim__yv_seq(l->c, &l->ev, "host_bridges")))
			return rc;
		if ((rc = seq_next(l, &more)))
			return rc;
		if (!more)
			return dmasim__yv_err(l->c, pos, DMASIM_ESCHEMA,
				      "host_bridges is empty; a machine needs at least one");
		do {
			if ((rc = load_host_bridge(l)))
				return rc;
			if ((rc = seq_next(l, &more)))
				return rc;
		} while (more);
		return DMASIM_OK;
	}
}

static int load_root(struct loader *l)
{
	static const char *const keys[] = { "dmasim", "name", "arch", "cpu", "ram",
					    "msi", "iommus", "host_bridges",
					    "inter_socket", "kernel", "inferred", NULL };
	struct infl inf = { 0 };
	struct mapr m;
	int rc, k;

	if ((rc = next(l)) ||
	    (rc = map_begin(l, &m, "the topology", keys, root_rank)))
		return rc;
	l->t->m.cpu_vendor = DMASIM_CPU_OTHER;
	l->t->m.inter_socket_p2p = true;
	l->t->m.acs_requested = -1;
	l->t->m.kernel_cmdline = "";
	for (;;) {
		if ((rc = map_next(l, &m, &k)))
			return rc;
		if (k < 0)
			break;
		rc = k == R_INFERRED ? load_inferred(l, &m, k, &inf) : load_root_value(l, k);
		if ((rc = value_done(l, &m, k, rc)))
			return rc;
	}
	if ((rc = require(l, &m, R_DMASIM, "a topology")) ||
	    (rc = kept_before(l, &m, 2)) ||
	    (rc = require(l, &m, R_ARCH, "a topology")) ||
	    (rc = require(l, &m, R_HBS, "a topology")) ||
	    (rc = kept_before(l, &m, root_rank[R_HBS])) ||
	    (rc = resolve_iommu_refs(l, &m, root_rank[R_HBS])) ||
	    (rc = kept_before(l, &m, LAST)) ||
	    (rc = inferred_done(l, &m, &inf, &l->t->m.inferred)))
		return rc;
	if (!l->t->msi_given)
		l->t->m.msi = arch_msi[l->t->m.arch];
	return DMASIM_OK;
}

/* Read the topology from @s (which this closes), then finalize it. */
static int load_stream(struct ystream *s, const char *file,
		       struct dmasim_error *err, struct dmasim_topo **out)
{
	struct loader l;
	int rc;

	memset(&l, 0, sizeof(l));
	l.s = s;
	l.c = dmasim__ystream_ctx(s);
	l.t = dmasim__topo_new(file);
	if (!l.t)
		rc = nomem(&l);
	else
		rc = load_root(&l);
	free(l.refs);
	if ((rc = dmasim__ystream_close(s, rc)) ||
	    (rc = dmasim__topo_finalize(l.t, err))) {
		dmasim_topo_destroy(l.t);
		return rc;
	}
	*out = l.t;
	return DMASIM_OK;
}

int dmasim__topo_load_node(struct ydoc *y, yaml_node_t *root, const char *file,
			   struct dmasim_topo **out)
{
	struct ystream *s;
	int rc;

	if ((rc = dmasim__ystream_open_node(&s, y, root)))
		return rc;
	return load_stream(s, file, y->err, out);
}

static int fast_only_failed(const char *file, struct dmasim_error *err)
{
	return dmasim_error_set(err, DMASIM_ESYNTAX, file, 0, 0,
				"outside the fast YAML subset");
}

int dmasim__topo_load_string_how(const char *text, size_t len, const char *name,
				 enum dmasim__yaml_how how,
				 const struct dmasim_limits *lim,
				 struct dmasim_topo **out,
				 struct dmasim_error *err, bool *fast)
{
	struct dmasim_error tmp;
	struct ystream *s;
	int rc;

	if (fast)
		*fast = false;
	if (!text || !out)
		return dmasim_error_set(err, DMASIM_EINVAL, name, 0, 0,
					"no text or no output given");
	if (!name)
		name = "<string>";
	if (how != DMASIM__YAML_LIBYAML) {
		/* Any failure, the scanner's or the loader's, is left to
		 * libyaml's reading below: its errors are the ones reported.
		 * The text's size, NUL bytes and brackets come first, as in
		 * libyaml's reading. */
		struct dmasim_limits l = dmasim_limits_resolve(lim);

		if ((rc = dmasim__ytext_check(text, len, name, &l, err)))
			return rc;
		dmasim_error_init(&tmp);
		if (dmasim__ystream_open_fast_string(&s, text, len, name, lim, &tmp) == DMASIM_OK &&
		    load_stream(s, name, &tmp, out) == DMASIM_OK) {
			if (fast)
				*fast = true;
			return DMASIM_OK;
		}
		if (how == DMASIM__YAML_FAST)
			return fast_only_failed(name, err);
	}
	if ((rc = dmasim__ystream_open_string(&s, text, len, name, lim, err)))
		return rc;
	return load_stream(s, name, err, out);
}

int dmasim__topo_load_file_how(const char *path, enum dmasim__yaml_how how,
			       const struct dmasim_limits *lim,
			       struct dmasim_topo **out,
			       struct dmasim_error *err, bool *fast)
{
	struct dmasim_error tmp;
	struct ystream *s;
	int rc;

	if (fast)
		*fast = false;
	if (!path || !out)
		return dmasim_error_set(err, DMASIM_EINVAL, path, 0, 0,
					"no path or no output given");
	if (how != DMASIM__YAML_LIBYAML) {
		dmasim_error_init(&tmp);
		if (dmasim__ystream_open_fast_file(&s, path, lim, &tmp) == DMASIM_OK &&
		    load_stream(s, path, &tmp, out) == DMASIM_OK) {
			if (fast)
				*fast = true;
			return DMASIM_OK;
		}
		if (how == DMASIM__YAML_FAST)
			return fast_only_failed(path, err);
	}
	if ((rc = dmasim__ystream_open_file(&s, path, lim, err)))
		return rc;
	return load_stream(s, path, err, out);
}

int dmasim_topo_load_string_limited(const char *text, size_t len,
				    const char *name,
				    const struct dmasim_limits *lim,
				    struct dmasim_topo **out,
				    struct dmasim_error *err)
{
	return dmasim__topo_load_string_how(text, len, name, DMASIM__YAML_AUTO,
					    lim, out, err, NULL);
}

int dmasim_topo_load_file_limited(const char *path,
				  const struct dmasim_limits *lim,
				  struct dmasim_topo **out,
				  struct dmasim_error *err)
{
	return dmasim__topo_load_file_how(path, DMASIM__YAML_AUTO, lim, out, err, NULL);
}

int dmasim_topo_load_string(const char *text, size_t len, const char *name,
			    struct dmasim_topo **out, struct dmasim_error *err)
{
	return dmasim_topo_load_string_limited(text, len, name, NULL, out, err);
}

int dmasim_topo_load_file(const char *path, struct dmasim_topo **out,
			  struct dmasim_error *err)
{
	return dmasim_topo_load_file_limited(path, NULL, out, err);
}
