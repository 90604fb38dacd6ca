/* dmasim report -- the machine as an SVG tree in the style of lstopo's PCI
 * view: the machine, its host bridges, then every port and endpoint, each
 * a box with its BDF, name, IDs, ACS, windows, BARs and IOMMU group,
 * indented below its parent.
 *
 * Boxes are <g class="node" id="t<machine>-d<device id>"> (host bridges
 * t<m>-h<id>), edges <path class="edge" data-to="..."> so that the page's
 * script can highlight a route.
 *
 * A line that shows a value the topology marks inferred (`inferred:`,
 * docs/topology.md) ends in "(inferred: KEY, ...)" as `dmasim show` writes
 * it, sits in <g class="il" data-inferred="KEY,..."> with a <title> that
 * says what that means, and its box gets the class "inf"; a marked key no
 * line shows gets a line of its own, so that every one is visible. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

#define LINE_H 14      /* px per text line */
#define PAD 6          /* px inside a box */
#define CHAR_W 6.7     /* px per character of the 11px monospace font */
#define INDENT 28      /* px per tree level */
#define ROW_GAP 8      /* px between boxes */
#define MAX_LINES 32
#define LINE_LEN 160
#define INF_LEN 96

struct lines {
	char s[MAX_LINES][LINE_LEN];
	char inf[MAX_LINES][INF_LEN];  /* the inferred keys the line shows */
	unsigned n;
	int cur;                       /* the line add() wrote, -1: no room */
};

static void add(struct lines *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add(struct lines *l, const char *fmt, ...)
{
	va_list ap;

	if (l->n >= MAX_LINES) {
		l->cur = -1;
		return;
	}
	l->cur = (int)l->n;
	l->inf[l->n][0] = '\0';
	va_start(ap, fmt);
	vsnprintf(l->s[l->n++], LINE_LEN, fmt, ap);
	va_end(ap);
}

static void lines_reset(struct lines *l)
{
	l->n = 0;
	l->cur = -1;
}

/* One object of the topology drawn in a box, and which of the keys it
 * marks inferred a line has shown so far. */
struct obj {
	const struct dmasim_inferred *inf;
	uint32_t placed;
};

/* The line add() wrote last shows @key of @o: note it when @o marks it. */
static void mark(struct lines *l, struct obj *o, const char *key)
{
	const struct dmasim_inferred *inf = o->inf;
	char *t;
	size_t i, len;

	for (i = 0; inf->mask && inf->keys && inf->keys[i] && i < 32; i++)
		if ((inf->mask >> i & 1u) && strcmp(inf->keys[i], key) == 0)
			break;
	if (!inf->mask || !inf->keys || i >= 32 || !inf->keys[i] || l->cur < 0)
		return;
	o->placed |= 1u << i;
	t = l->inf[l->cur];
	len = strlen(t);
	snprintf(t + len, INF_LEN - len, "%s%s", len ? ", " : "", key);
}

/* A line for the keys @o marks inferred that no line showed (values the
 * tree does not draw, such as a device's class or dma_mask). */
static void rest(struct lines *l, struct obj *o, const char *label)
{
	const struct dmasim_inferred *inf = o->inf;
	size_t i;

	if (!(inf->mask & ~o->placed))
		return;
	add(l, "%svalues not drawn here", label);
	for (i = 0; inf->keys && inf->keys[i] && i < 32; i++)
		if ((inf->mask & ~o->placed) >> i & 1u)
			mark(l, o, inf->keys[i]);
}

/* Each marked line ends in "(inferred: KEY, ...)", as `dmasim show` says it. */
static void lines_done(struct lines *l)
{
	unsigned i;
	size_t len;

	for (i = 0; i < l->n; i++) {
		if (!l->inf[i][0])
			continue;
		len = strlen(l->s[i]);
		snprintf(l->s[i] + len, LINE_LEN - len, " (inferred: %s)", l->inf[i]);
	}
}

static const char *type_text(enum dmasim_dev_type t)
{
	switch (t) {
	case DMASIM_DEV_ROOT_PORT: return "root port";
	case DMASIM_DEV_SWITCH_UPSTREAM: return "switch upstream port";
	case DMASIM_DEV_SWITCH_DOWNSTREAM: return "switch downstream port";
	case DMASIM_DEV_PCI_BRIDGE: return "PCI bridge";
	default: return "endpoint";
	}
}

/* A BAR of the device @o stands for. */
static void bar_line(const struct dmasim_bar *r, struct obj *o, struct lines *l)
{
	struct obj bo = { &r->inferred, 0 };
	char sz[32];

	rep_size_text(sz, sizeof(sz), r->size);
	add(l, "BAR%u 0x%" PRIx64 " %s %u-bit%s%s", r->index, r->bus, sz,
	    r->bits, r->pref ? " pref" : "", r->p2pmem ? " p2pmem" : "");
	mark(l, o, "bars");
	mark(l, &bo, "index");
	mark(l, &bo, "base");
	mark(l, &bo, "size");
	mark(l, &bo, "pref");
	mark(l, &bo, "bits");
	if (r->p2pmem)
		mark(l, o, "p2pmem");
	rest(l, &bo, "  this BAR: ");
}

/* @pol: the policy the `ctrl: auto` ACS words were derived for. */
static void dev_lines(const struct dmasim_device *d, const char *pol, struct lines *l)
{
	struct obj o = { &d->inferred, 0 };
	char a[64], b[64];
	size_t i;

	lines_reset(l);
	if (strcmp(d->name, d->bdf))
		add(l, "%s  %s", d->bdf, d->name);
	else
		add(l, "%s", d->bdf);
	mark(l, &o, "bdf");
	mark(l, &o, "name");
	add(l, "%s [%04x:%04x]", type_text(d->type), d->vendor, d->device_id);
	mark(l, &o, "type");
	mark(l, &o, "vendor");
	mark(l, &o, "device");
	if (d->iommu_group != DMASIM_NO_GROUP)
		add(l, "IOMMU group %u, %s domain", d->iommu_group,
		    dmasim_domain_type_name(d->domain));
	else
		add(l, "no IOMMU group");
	mark(l, &o, "iommu_domain");
	if (d->has_acs) {
		dmasim_acs_snprintf(a, sizeof(a), d->acs_ctrl);
		dmasim_acs_snprintf(b, sizeof(b), d->acs_cap);
		add(l, "ACS ctrl %s%s (cap %s)", a, d->acs_auto ? " (derived)" : "", b);
		mark(l, &o, "acs");
		if (d->acs_auto) {
			dmasim_acs_snprintf(a, sizeof(a), d->acs_fw);
			add(l, "  ctrl: auto, as %s sets it; firmware left %s", pol, a);
		}
		if ((d->acs_ctrl & DMASIM_ACS_EC) && d->has_acs_egress)
			add(l, "ACS egress vector 0x%" PRIx32, d->acs_egress);
	}
	for (i = 0; i < DMASIM_WIN_KIND_COUNT && dmasim_device_is_bridge(d); i++) {
		const struct dmasim_window *w = &d->windows[i];

		if (!w->present)
			continue;
		add(l, "%s 0x%" PRIx64 "-0x%" PRIx64 "%s",
		    i == DMASIM_WIN_MEM ? "mem " : "pref", w->base, w->limit,
		    w->derived ? " (derived)" : "");
		if (!w->derived)
			mark(l, &o, "windows");
	}
	for (i = 0; i < d->nbars; i++)
		bar_line(&d->bars[i], &o, l);
	rest(l, &o, "");
	lines_done(l);
}

static void hb_lines(const struct dmasim_host_bridge *h, struct lines *l)
{
	struct obj o = { &h->inferred, 0 };
	char sz[32];
	size_t i;

	lines_reset(l);
	add(l, "host bridge %s", h->name);
	mark(l, &o, "name");
	add(l, "segment %04x, buses %02x-%02x", h->segment, h->bus_first, h->bus_last);
	mark(l, &o, "segment");
	mark(l, &o, "buses");
	if (h->iommu)
		add(l, "IOMMU %s (%s)", h->iommu->name,
		    dmasim_iommu_type_name(h->iommu->type));
	else
		add(l, "no IOMMU");
	mark(l, &o, "iommu");
	add(l, "root complex P2P: %s", dmasim_rc_p2p_name(h->rc_p2p));
	mark(l, &o, "root_complex");
	for (i = 0; i < h->nwindows; i++) {
		const struct dmasim_hb_window *w = &h->windows[i];
		struct obj wo = { &w->inferred, 0 };

		rep_size_text(sz, sizeof(sz), w->size);
		add(l, "%s cpu 0x%" PRIx64 " bus 0x%" PRIx64 " %s",
		    w->kind == DMASIM_WIN_MEM ? "mem " : "pref", w->cpu, w->bus, sz);
		mark(l, &o, "windows");
		mark(l, &wo, "kind");
		mark(l, &wo, "cpu");
		mark(l, &wo, "bus");
		mark(l, &wo, "size");
		rest(l, &wo, "  this window: ");
	}
	if (h->has_dma_ranges)
		for (i = 0; i < h->ndma_ranges; i++) {
			rep_size_text(sz, sizeof(sz), h->dma_ranges[i].size);
			add(l, "dma-range bus 0x%" PRIx64 " cpu 0x%" PRIx64 " %s",
			    h->dma_ranges[i].bus, h->dma_ranges[i].cpu, sz);
			mark(l, &o, "dma_ranges");
		}
	rest(l, &o, "");
	lines_done(l);
}

static void machine_lines(const struct dmasim_machine *mc, struct lines *l)
{
	struct obj o = { &mc->inferred, 0 };
	char sz[32];
	size_t i;

	lines_reset(l);
	add(l, "%s", mc->name);
	mark(l, &o, "name");
	if (mc->has_cpu)
		add(l, "%s, %s family 0x%x", dmasim_arch_name(mc->arch),
		    dmasim_cpu_vendor_name(mc->cpu_vendor), mc->cpu_family);
	else
		add(l, "%s", dmasim_arch_name(mc->arch));
	mark(l, &o, "arch");
	mark(l, &o, "cpu");
	for (i = 0; i < mc->nram; i++) {
		rep_size_text(sz, sizeof(sz), mc->ram[i].size);
		add(l, "RAM 0x%" PRIx64 " %s", mc->ram[i].base, sz);
		mark(l, &o, "ram");
	}
	for (i = 0; i < mc->niommus; i++) {
		const struct dmasim_iommu *u = &mc->iommus[i];
		struct obj uo = { &u->inferred, 0 };

		add(l, "IOMMU %s: %s, %u-bit, %s", u->name, dmasim_iommu_type_name(u->type),
		    u->address_bits, dmasim_domain_type_name(u->default_domain));
		mark(l, &o, "iommus");
		mark(l, &uo, "name");
		mark(l, &uo, "type");
		mark(l, &uo, "address_bits");
		mark(l, &uo, "default_domain");
		rest(l, &uo, "  this IOMMU: ");
	}
	rest(l, &o, "");
	lines_done(l);
}

/* Does any object of @mc mark a value inferred? */
bool rep_machine_inferred(const struct dmasim_machine *mc)
{
	size_t i, j;

	if (mc->inferred.mask)
		return true;
	for (i = 0; i < mc->niommus; i++)
		if (mc->iommus[i].inferred.mask)
			return true;
	for (i = 0; i < mc->nhost_bridges; i++) {
		if (mc->host_bridges[i].inferred.mask)
			return true;
		for (j = 0; j < mc->host_bridges[i].nwindows; j++)
			if (mc->host_bridges[i].windows[j].inferred.mask)
				return true;
	}
	for (i = 0; i < mc->ndevices; i++) {
		if (mc->devices[i].inferred.mask)
			return true;
		for (j = 0; j < mc->devices[i].nbars; j++)
			if (mc->devices[i].bars[j].inferred.mask)
				return true;
	}
	return false;
}

static unsigned lines_w(const struct lines *l)
{
	size_t i, w = 0;

	for (i = 0; i < l->n; i++)
		if (strlen(l->s[i]) > w)
			w = strlen(l->s[i]);
	return (unsigned)(w * CHAR_W) + 2 * PAD;
}

static unsigned lines_h(const struct lines *l)
{
	return l->n * LINE_H + 2 * PAD - 2;
}

/* Layout: one box per row in pre-order, indented by depth, as a file
 * tree: the machine, each host bridge below it, each device below its
 * parent. */
struct layout {
	unsigned *x, *y, *h;         /* per device */
	unsigned *hby, *hbh;         /* per host bridge */
	unsigned y_next, width;
};

/* @ln: scratch space (a box's lines are large; the walk is as deep as
 * the tree). */
static void place(const struct dmasim_device *d, const char *pol, struct layout *L,
		  struct lines *ln)
{
	size_t k;
	unsigned w;

	dev_lines(d, pol, ln);
	L->x[d->id] = INDENT * (d->depth + 2) + 4;
	L->y[d->id] = L->y_next;
	L->h[d->id] = lines_h(ln);
	L->y_next += L->h[d->id] + ROW_GAP;
	w = L->x[d->id] + lines_w(ln);
	if (w > L->width)
		L->width = w;
	for (k = 0; k < d->nchildren; k++)
		place(d->children[k], pol, L, ln);
}

static bool lines_inferred(const struct lines *l)
{
	unsigned i;

	for (i = 0; i < l->n; i++)
		if (l->inf[i][0])
			return true;
	return false;
}

static void box(FILE *f, const char *id, const char *cls, unsigned x,
		unsigned y, unsigned w, const struct lines *l, const char *bdf,
		const char *name)
{
	unsigned i;

	fprintf(f, "<g class=\"node %s%s\" id=\"%s\"", cls,
		lines_inferred(l) ? " inf" : "", id);
	if (bdf) {
		fputs(" data-bdf=\"", f);
		rep_esc(f, bdf);
		fputs("\" data-name=\"", f);
		rep_esc(f, name);
		fputc('"', f);
	}
	fprintf(f, "><rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" rx=\"4\"/>",
		x, y, w, lines_h(l));
	for (i = 0; i < l->n; i++) {
		if (l->inf[i][0]) {
			fputs("<g class=\"il\" data-inferred=\"", f);
			rep_esc(f, l->inf[i]);
			fputs("\"><title>Inferred: ", f);
			rep_esc(f, l->inf[i]);
			fputs(". The topology marks these values as guessed (by dmasim import: "
			      "docs/import.md, What is inferred), not read from the machine.</title>", f);
		}
		fprintf(f, "<text x=\"%u\" y=\"%u\"%s>", x + PAD,
			y + PAD + 9 + i * LINE_H, i == 0 ? " class=\"t\"" : "");
		rep_esc(f, l->s[i]);
		fputs(l->inf[i][0] ? "</text></g>" : "</text>", f);
	}
	fputs("</g>\n", f);
}

static void edge(FILE *f, unsigned px, unsigned py, unsigned x, unsigned y,
		 const char *to)
{
	fprintf(f, "<path class=\"edge\" data-to=\"%s\" d=\"M%u %uV%uH%u\"/>\n",
		to, px + INDENT / 2, py, y + LINE_H, x);
}

void rep_tree_svg(FILE *f, const struct rep_machine *m)
{
	const struct dmasim_machine *mc = dmasim_topo_machine(m->topo);
	size_t nd = mc->ndevices ? mc->ndevices : 1;
	size_t nh = mc->nhost_bridges ? mc->nhost_bridges : 1;
	struct layout L;
	struct lines *ln = malloc(sizeof(*ln)), *mln = malloc(sizeof(*mln));
	char id[48];
	unsigned i, k, mh;

	memset(&L, 0, sizeof(L));
	L.x = calloc(nd, sizeof(unsigned));
	L.y = calloc(nd, sizeof(unsigned));
	L.h = calloc(nd, sizeof(unsigned));
	L.hby = calloc(nh, sizeof(unsigned));
	L.hbh = calloc(nh, sizeof(unsigned));
	if (!ln || !mln || !L.x || !L.y || !L.h || !L.hby || !L.hbh) {
		fputs("<p class=\"error\">out of memory drawing the tree</p>\n", f);
		goto out;
	}
	machine_lines(mc, mln);
	mh = lines_h(mln);
	L.width = lines_w(mln) + 4;
	L.y_next = 4 + mh + ROW_GAP;
	for (i = 0; i < mc->nhost_bridges; i++) {
		const struct dmasim_host_bridge *h = &mc->host_bridges[i];

		hb_lines(h, ln);
		L.hby[i] = L.y_next;
		L.hbh[i] = lines_h(ln);
		L.y_next += L.hbh[i] + ROW_GAP;
		if (INDENT + 4 + lines_w(ln) > L.width)
			L.width = INDENT + 4 + lines_w(ln);
		for (k = 0; k < h->ndevices; k++)
			place(h->devices[k], m->tree_policy, &L, ln);
	}
	L.width += 4;
	fprintf(f, "<svg class=\"tree\" xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" role=\"img\" "
		"aria-labelledby=\"tree-title-%u\"><title id=\"tree-title-%u\">",
		L.width, L.y_next, L.width, L.y_next, m->index, m->index);
	rep_esc(f, mc->name);
	fprintf(f, ": %zu host bridge%s, %zu device%s</title>\n", mc->nhost_bridges,
		mc->nhost_bridges == 1 ? "" : "s", mc->ndevices, mc->ndevices == 1 ? "" : "s");
	/* edges below the boxes */
	for (i = 0; i < mc->nhost_bridges; i++) {
		snprintf(id, sizeof(id), "t%u-h%u", m->index, i);
		edge(f, 4, 4 + mh, INDENT + 4, L.hby[i], id);
	}
	for (i = 0; i < mc->ndevices; i++) {
		const struct dmasim_device *d = &mc->devices[i];

		snprintf(id, sizeof(id), "t%u-d%u", m->index, i);
		if (d->parent)
			edge(f, L.x[d->parent->id], L.y[d->parent->id] + L.h[d->parent->id],
			     L.x[i], L.y[i], id);
		else
			edge(f, INDENT + 4, L.hby[d->hb->id] + L.hbh[d->hb->id], L.x[i],
			     L.y[i], id);
	}
	snprintf(id, sizeof(id), "t%u-m", m->index);
	box(f, id, "machine", 4, 4, lines_w(mln), mln, NULL, NULL);
	for (i = 0; i < mc->nhost_bridges; i++) {
		hb_lines(&mc->host_bridges[i], ln);
		snprintf(id, sizeof(id), "t%u-h%u", m->index, i);
		box(f, id, "hb", INDENT + 4, L.hby[i], lines_w(ln), ln, NULL, NULL);
	}
	for (i = 0; i < mc->ndevices; i++) {
		const struct dmasim_device *d = &mc->devices[i];

		dev_lines(d, m->tree_policy, ln);
		snprintf(id, sizeof(id), "t%u-d%u", m->index, i);
		box(f, id, d->type == DMASIM_DEV_ENDPOINT ? "ep" : "port", L.x[i], L.y[i],
		    lines_w(ln), ln, d->bdf, d->name);
	}
	fputs("</svg>\n", f);
out:
	free(L.x);
	free(L.y);
	free(L.h);
	free(L.hby);
	free(L.hbh);
	free(ln);
	free(mln);
}
