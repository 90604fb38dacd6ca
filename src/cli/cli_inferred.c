/*
 * dmasim -- which inferred values (a file's `inferred: [...]` keys,
 * docs/topology.md) a verdict of p2p, map or audit rests on, as phrases
 * for the text ("depends on inferred: ...") and JSON
 * ("depends_on_inferred") outputs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/jw.h"

static void add(struct cli_inferred *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append one phrase, once. */
static void add(struct cli_inferred *o, const char *fmt, ...)
{
	char buf[sizeof(o->item[0])];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (i = 0; i < o->n; i++)
		if (strcmp(o->item[i], buf) == 0)
			return;
	if (o->n < CLI_INFERRED_MAX)
		memcpy(o->item[o->n++], buf, sizeof(buf));
}

static void rc_p2p(struct cli_inferred *o, const struct dmasim_host_bridge *h)
{
	if (h && dmasim_inferred_has(&h->inferred, "root_complex"))
		add(o, "root complex p2p routing of %s (p2p: %s; imported, not known)", h->name,
		    dmasim_rc_p2p_name(h->rc_p2p));
}

/* The window of @h that holds CPU address @cpu, when it is inferred. */
static void window(struct cli_inferred *o, const struct dmasim_host_bridge *h, uint64_t cpu)
{
	size_t i;

	for (i = 0; h && i < h->nwindows; i++) {
		const struct dmasim_hb_window *w = &h->windows[i];
		if (cpu >= w->cpu && cpu - w->cpu < w->size && w->inferred.mask)
			add(o, "host-bridge window [0x%llx-0x%llx] of %s (inferred)",
			    (unsigned long long)w->cpu,
			    (unsigned long long)(w->cpu + (w->size - 1)), h->name);
	}
}

/* The host bridge (of @m) with a window holding @cpu, or NULL. */
static const struct dmasim_host_bridge *hb_of(const struct dmasim_machine *m, uint64_t cpu)
{
	size_t i, j;

	for (i = 0; i < m->nhost_bridges; i++)
		for (j = 0; j < m->host_bridges[i].nwindows; j++) {
			const struct dmasim_hb_window *w = &m->host_bridges[i].windows[j];
			if (cpu >= w->cpu && cpu - w->cpu < w->size)
				return &m->host_bridges[i];
		}
	return NULL;
}

void cli_inferred_pair(struct cli_inferred *o, const struct dmasim_device *a,
		       const struct dmasim_device *b, enum dmasim_map_type map)
{
	if (dmasim_inferred_has(&a->inferred, "p2pmem"))
		add(o, "p2pmem BARs of %s (assumed at import, not published by a driver)", a->name);
	cli_inferred_path(o, a, b, map);
}

void cli_inferred_path(struct cli_inferred *o, const struct dmasim_device *a,
		       const struct dmasim_device *b, enum dmasim_map_type map)
{
	const struct dmasim_device *x, *common = NULL;
	int side;

	for (x = a->parent; x && !common; x = x->parent)
		if (dmasim_device_is_ancestor(x, b))
			common = x;
	/* the port types the upstream walks of calc_map_type_and_dist()
	 * (drivers/pci/p2pdma.c) go through: up to the common bridge, or to
	 * the root buses when there is none */
	for (side = 0; side < 2; side++)
		for (x = side ? b : a; x; x = x == common ? NULL : x->parent)
			if (dmasim_inferred_has(&x->inferred, "type"))
				add(o, "port type of %s (%s, inferred)", x->name,
				    dmasim_dev_type_name(x->type));
	/* The request turns in a root complex: through the host bridge, or
	 * bus addresses between root ports of one host bridge. */
	if (map == DMASIM_MAP_THRU_HOST_BRIDGE || (map == DMASIM_MAP_BUS_ADDR && !common)) {
		rc_p2p(o, a->hb);
		rc_p2p(o, b->hb);
	}
}

void cli_inferred_landing(struct cli_inferred *o, const struct dmasim_landing *l)
{
	if (l->kind != DMASIM_LAND_BAR || !l->dev || !l->bar)
		return;
	if (dmasim_inferred_has(&l->bar->inferred, "size"))
		add(o, "size of BAR %u of %s (inferred)", l->bar->index, l->dev->name);
	/* the BAR's bus address is its CPU address less this window's offset */
	window(o, l->dev->hb, l->bar->cpu);
}

void cli_inferred_route(struct cli_inferred *o, const struct dmasim_machine *m,
			const struct dmasim_device *from, const struct dmasim_route *r)
{
	size_t i;

	for (i = 0; i < r->nhops && i < DMASIM_ROUTE_MAX_HOPS; i++) {
		const struct dmasim_hop *h = &r->hops[i];
		if (h->action != DMASIM_HOP_RC_P2P)
			continue;
		if (from)
			rc_p2p(o, from->hb);
		rc_p2p(o, h->hb);
		window(o, h->hb, h->addr);
	}
	if (r->land.kind == DMASIM_LAND_FAULT && r->land.fault == DMASIM_FAULT_RC_P2P_BLOCKED) {
		const struct dmasim_host_bridge *t = r->land.has_cpu ? hb_of(m, r->land.cpu) : NULL;
		if (from)
			rc_p2p(o, from->hb);
		rc_p2p(o, t);
		if (t)
			window(o, t, r->land.cpu);
	}
	cli_inferred_landing(o, &r->land);
}

void cli_inferred_print(const struct cli_inferred *o, const char *indent)
{
	size_t i;

	if (!o->n)
		return;
	printf("%sdepends on inferred: ", indent);
	for (i = 0; i < o->n; i++)
		printf("%s%s", i ? "; " : "", CLI_TEXT(o->item[i]));
	putchar('\n');
}

void cli_inferred_json(struct jw *w, const struct cli_inferred *o)
{
	size_t i;

	if (!o->n)
		return;
	dmasim__jw_key(w, "depends_on_inferred");
	dmasim__jw_arr_begin(w);
	for (i = 0; i < o->n; i++)
		dmasim__jw_str(w, o->item[i]);
	dmasim__jw_arr_end(w);
}

/* Count each phrase of @o once more; -1 when out of memory. */
int cli_inferred_tally_add(struct cli_inferred_tally *t, const struct cli_inferred *o)
{
	size_t i, j;

	for (i = 0; i < o->n; i++) {
		for (j = 0; j < t->n && strcmp(t->v[j].text, o->item[i]) != 0; j++)
			;
		if (j == t->n) {
			if (t->n == t->cap) {
				size_t cap = t->cap ? 2 * t->cap : 8;
				struct cli_inferred_count *g = realloc(t->v, cap * sizeof(*g));
				if (!g)
					return -1;
				t->v = g;
				t->cap = cap;
			}
			memcpy(t->v[j].text, o->item[i], sizeof(t->v[j].text));
			t->v[j].count = 0;
			t->n++;
		}
		t->v[j].count++;
	}
	return 0;
}

void cli_inferred_tally_print(const struct cli_inferred_tally *t, const char *indent)
{
	size_t j;

	for (j = 0; j < t->n; j++)
		printf("%s%s (%zu)\n", indent, CLI_TEXT(t->v[j].text), t->v[j].count);
}

void cli_inferred_tally_free(struct cli_inferred_tally *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}
