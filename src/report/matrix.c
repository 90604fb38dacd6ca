/* dmasim report -- the P2P matrices, the diff between policies and the
 * data of the details panel, all from the library's own answers:
 * dmasim_p2p_map_type() (as `dmasim matrix`), dmasim_p2p_upstream() (as
 * `dmasim upstream`) and dmasim_dma_p2p_map() in a fresh DMA context (as
 * `dmasim map --p2p`, 4 KiB at offset 0, whose route is the hop list). */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/scenario.h"
#include "report/report.h"
#include "util/jw.h"

/* The verdict of cell @k (provider @i, client @j) as `dmasim diff` judges
 * a pair (src/cli/cmd_diff.c): dmasim_pair_report() maps 4 KiB of the
 * provider's p2pmem for the client (pci_p2pdma_map_sg(),
 * drivers/pci/p2pdma.c) and follows the write; the inferred values that
 * answer rests on, as `dmasim diff` names them.  False when out of memory. */
static bool grid_verdict(struct rep_grid *g, const struct rep_machine *m,
			 size_t i, size_t j, size_t k)
{
	struct dmasim_pair_report r;
	struct cli_inferred inf = { 0 };
	int rc;

	g->verdict[k] = REP_UNMAPPED;
	if (i == j)
		return true;
	rc = dmasim_pair_report(m->topo, g->policy, m->eps[i], m->eps[j], &r, NULL);
	if (rc == DMASIM_ENOMEM)
		return false;
	if (rc != DMASIM_OK) {
		g->verdict[k] = REP_NO_REPORT;
		return true;
	}
	if (r.mapped)
		g->verdict[k] = (signed char)r.verdict;
	cli_inferred_pair(&inf, m->eps[i], m->eps[j], r.map_type);
	if (r.routed)
		cli_inferred_landing(&inf, &r.landed);
	g->pinf[k] = inf.n > 0;
	return true;
}

bool rep_grid_fill(struct rep_grid *g, const struct rep_machine *m,
		   const struct dmasim_policy *policy)
{
	size_t n = m->nshow, nn = n ? n * n : 1, i, j, k;

	g->policy = policy;
	g->ninf = 0;
	g->map = malloc(nn * sizeof(*g->map));
	g->dist = malloc(nn * sizeof(*g->dist));
	g->inf = calloc(nn, sizeof(*g->inf));
	g->verdict = malloc(nn * sizeof(*g->verdict));
	g->pinf = calloc(nn, sizeof(*g->pinf));
	if (!g->map || !g->dist || !g->inf || !g->verdict || !g->pinf) {
		rep_grid_free(g);
		return false;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			struct cli_inferred inf = { 0 };

			k = i * n + j;
			g->map[k] = dmasim_p2p_map_type(m->topo, policy, m->eps[i],
							m->eps[j], &g->dist[k], 0, NULL);
			/* the map type does not look at p2pmem: as `dmasim matrix` */
			cli_inferred_path(&inf, m->eps[i], m->eps[j], g->map[k]);
			g->inf[k] = inf.n > 0;
			g->ninf += g->inf[k];
			if (cli_inferred_tally_add(&g->tally, &inf) ||
			    !grid_verdict(g, m, i, j, k)) {
				rep_grid_free(g);
				return false;
			}
		}
	return true;
}

void rep_grid_free(struct rep_grid *g)
{
	free(g->map);
	free(g->dist);
	free(g->inf);
	free(g->verdict);
	free(g->pinf);
	cli_inferred_tally_free(&g->tally);
	g->map = NULL;
	g->dist = NULL;
	g->inf = NULL;
	g->verdict = NULL;
	g->pinf = NULL;
	g->ninf = 0;
}

static void ep_header(FILE *f, const struct dmasim_device *d, const char *scope,
		      size_t k)
{
	fprintf(f, "<th scope=\"%s\" data-e=\"%zu\" title=\"", scope, k);
	rep_esc(f, d->bdf);
	fputs("\">", f);
	rep_esc(f, d->name);
	fputs("</th>", f);
}

static void table_head(FILE *f, const struct rep_machine *m)
{
	size_t j;

	fputs("<thead><tr><th scope=\"col\" class=\"corner\">provider \\ client</th>", f);
	for (j = 0; j < m->nshow; j++)
		ep_header(f, m->eps[j], "col", j);
	fputs("</tr></thead>\n<tbody>\n", f);
}

static void row_head(FILE *f, const struct rep_machine *m, size_t i)
{
	fputs("<tr>", f);
	ep_header(f, m->eps[i], "row", i);
}

#define INF_MARK "<span class=\"i\" title=\"rests on values the topology marks " \
	"inferred\">*</span>"

/* Below a matrix: each inferred value its cells rest on, with how many. */
static void inferred_list(FILE *f, const struct rep_grid *g, size_t ncells)
{
	size_t i;

	if (!g->ninf)
		return;
	fprintf(f, "<div class=\"inferred\"><p><span class=\"i\">*</span> <span class=\"ninf\">%zu</span> "
		"of %zu cells rest on values the topology marks inferred (guessed "
		"at import, not read from the machine):</p>\n<ul>\n", g->ninf, ncells);
	for (i = 0; i < g->tally.n; i++) {
		fputs("<li><span class=\"v\">", f);
		rep_esc(f, g->tally.v[i].text);
		fprintf(f, "</span>: <span class=\"c\">%zu</span> %s</li>\n",
			g->tally.v[i].count, g->tally.v[i].count == 1 ? "cell" : "cells");
	}
	fputs("</ul></div>\n", f);
}

void rep_matrix_html(FILE *f, const struct rep_machine *m,
		     const struct rep_grid *g, unsigned pi)
{
	size_t n = m->nshow, i, j;
	char txt[32];

	fprintf(f, "<div class=\"mx-wrap\"><table class=\"mx\" role=\"grid\" "
		"data-m=\"%u\" data-p=\"%u\" data-policy=\"", m->index, pi);
	rep_esc(f, g->policy->name);
	fputs("\" aria-label=\"P2P matrix under ", f);
	rep_esc(f, g->policy->name);
	fputs(": rows are providers, columns clients\">\n", f);
	table_head(f, m);
	for (i = 0; i < n; i++) {
		row_head(f, m, i);
		for (j = 0; j < n; j++) {
			enum dmasim_map_type t = g->map[i * n + j];
			int d = g->dist[i * n + j];

			cli_map_text(txt, sizeof(txt), t, d);
			fprintf(f, "<td class=\"%s%s\" data-map=\"%s\" data-dist=\"%d\">"
				"<span class=\"k\">%s</span><span class=\"s\">%s</span>%s</td>",
				rep_map_class(t), g->inf[i * n + j] ? " inf" : "",
				dmasim_map_type_name(t), d, txt,
				dmasim_device_link_code(m->eps[i], m->eps[j]),
				g->inf[i * n + j] ? INF_MARK : "");
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
	inferred_list(f, g, n * n);
}

/* Does cell @k count as a pair of `dmasim diff` (both mappings made)? */
static bool diff_pair(const struct rep_grid *a, const struct rep_grid *b, size_t k)
{
	return a->verdict[k] != REP_NO_REPORT && b->verdict[k] != REP_NO_REPORT;
}

/* Does it change? */
static bool diff_changed(const struct rep_grid *a, const struct rep_grid *b, size_t k)
{
	return a->map[k] != b->map[k] || a->verdict[k] != b->verdict[k] ||
	       cli_pair_distance(a->map[k], a->dist[k]) != cli_pair_distance(b->map[k], b->dist[k]);
}

/* "BUS4", and " sound" after it when @verdict says so and the cell has one. */
static void diff_text(char *buf, size_t size, const struct rep_grid *g, size_t k,
		      bool verdict)
{
	size_t n;

	cli_map_text(buf, size, g->map[k], cli_pair_distance(g->map[k], g->dist[k]));
	n = strlen(buf);
	if (verdict && g->verdict[k] >= 0)
		snprintf(buf + n, size - n, " %s",
			 dmasim_verdict_name((enum dmasim_verdict)g->verdict[k]));
}

static const char *verdict_attr(signed char v)
{
	return v >= 0 ? dmasim_verdict_name((enum dmasim_verdict)v) : "";
}

/* The counts of a diff summary: pairs, changes, and how they change. */
struct diff_sum {
	size_t pairs, changed, type_changed, verdict_changed, ninf;
	size_t trans[DMASIM_MAP_TYPE_COUNT][DMASIM_MAP_TYPE_COUNT];
	/* verdicts from index 1, index 0 for no verdict (no p2pmem) */
	size_t vtrans[DMASIM_VERDICT_COUNT + 1][DMASIM_VERDICT_COUNT + 1];
};

static void diff_count(struct diff_sum *s, const struct rep_grid *a,
		       const struct rep_grid *b, size_t n)
{
	size_t i, j, k;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			k = i * n + j;
			/* no self pairs, as `dmasim diff` */
			if (i == j || !diff_pair(a, b, k))
				continue;
			s->pairs++;
			if (!diff_changed(a, b, k))
				continue;
			s->changed++;
			s->ninf += a->pinf[k] || b->pinf[k];
			if (a->map[k] != b->map[k]) {
				s->type_changed++;
				s->trans[a->map[k]][b->map[k]]++;
			}
			if (a->verdict[k] != b->verdict[k]) {
				s->verdict_changed++;
				s->vtrans[a->verdict[k] + 1][b->verdict[k] + 1]++;
			}
		}
}

static const char *vname(int x)
{
	return x ? dmasim_verdict_name((enum dmasim_verdict)(x - 1)) : "no p2pmem";
}

static void diff_summary(FILE *f, const struct diff_sum *s)
{
	int x, y;

	fprintf(f, "<p class=\"summary\">%zu of %zu pair%s change%s (%zu change map type",
		s->changed, s->pairs, s->pairs == 1 ? "" : "s", s->changed == 1 ? "s" : "",
		s->type_changed);
	for (x = 0; x < DMASIM_MAP_TYPE_COUNT; x++)
		for (y = 0; y < DMASIM_MAP_TYPE_COUNT; y++)
			if (s->trans[x][y])
				fprintf(f, "; %zu %s &#8594; %s", s->trans[x][y],
					dmasim_map_type_name((enum dmasim_map_type)x),
					dmasim_map_type_name((enum dmasim_map_type)y));
	fprintf(f, "; %zu change verdict", s->verdict_changed);
	for (x = 0; x <= DMASIM_VERDICT_COUNT; x++)
		for (y = 0; y <= DMASIM_VERDICT_COUNT; y++)
			if (s->vtrans[x][y])
				fprintf(f, "; %zu %s &#8594; %s", s->vtrans[x][y],
					vname(x), vname(y));
	fputs(")", f);
	if (s->ninf)
		fprintf(f, "; %zu of them, marked *, rest on values the topology marks inferred", s->ninf);
	fputs(".</p>\n", f);
}

static void diff_cell(FILE *f, const struct rep_grid *a, const struct rep_grid *b,
		      size_t k)
{
	bool v = a->verdict[k] != b->verdict[k], inf = a->pinf[k] || b->pinf[k];
	char ta[48], tb[48];

	diff_text(ta, sizeof(ta), a, k, v);
	diff_text(tb, sizeof(tb), b, k, v);
	fprintf(f, "<td class=\"chg %s%s\" data-from=\"%s\" data-to=\"%s\" "
		"data-vfrom=\"%s\" data-vto=\"%s\">%s &#8594; %s%s</td>",
		rep_map_class(b->map[k]), inf ? " inf" : "",
		dmasim_map_type_name(a->map[k]), dmasim_map_type_name(b->map[k]),
		verdict_attr(a->verdict[k]), verdict_attr(b->verdict[k]), ta, tb,
		inf ? INF_MARK : "");
}

void rep_diff_html(FILE *f, const struct rep_machine *m,
		   const struct rep_grid *a, const struct rep_grid *b)
{
	size_t n = m->nshow, i, j, k;
	struct diff_sum s;

	diff_count(&s, a, b, n);
	fputs("<h4>", f);
	rep_esc(f, a->policy->name);
	fputs(" &#8594; ", f);
	rep_esc(f, b->policy->name);
	fputs("</h4>\n", f);
	diff_summary(f, &s);
	if (!s.changed)
		return;
	fprintf(f, "<div class=\"mx-wrap\"><table class=\"mx diff\" data-m=\"%u\" "
		"aria-label=\"pairs that change\">\n", m->index);
	table_head(f, m);
	for (i = 0; i < n; i++) {
		row_head(f, m, i);
		for (j = 0; j < n; j++) {
			k = i * n + j;
			if (i == j)
				fputs("<td class=\"same self\">&#8212;<span class=\"sr\">the device itself</span></td>", f);
			else if (!diff_pair(a, b, k))
				fputs("<td class=\"same\">?<span class=\"sr\">not compared: the mapping failed</span></td>", f);
			else if (!diff_changed(a, b, k))
				fputs("<td class=\"same\">&#183;<span class=\"sr\">unchanged</span></td>", f);
			else
				diff_cell(f, a, b, k);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
}

/* ---- the details panel's data --------------------------------------- */

static bool cpu_rule_text(const struct dmasim_machine *mc,
			  const struct dmasim_policy *p, char *buf, size_t size)
{
	size_t i;

	for (i = 0; mc->has_cpu && i < p->ncpu_rules; i++) {
		const struct dmasim_cpu_rule *r = &p->cpu_rules[i];

		if (mc->arch == r->arch && mc->cpu_vendor == r->vendor &&
		    mc->cpu_family >= r->min_family) {
			snprintf(buf, size,
				 "cpu_supports_p2pdma(): the CPU (%s %s, family 0x%x) is at least family 0x%x of its vendor",
				 dmasim_arch_name(mc->arch),
				 dmasim_cpu_vendor_name(mc->cpu_vendor), mc->cpu_family,
				 r->min_family);
			return true;
		}
	}
	return false;
}

/* The sentence that says which of the policy's rules decided. */
static void rule_text(const struct rep_machine *m, const struct dmasim_policy *p,
		      const struct dmasim_device *up, size_t nacs,
		      enum dmasim_map_type t, int dist, char *buf, size_t size)
{
	const struct dmasim_machine *mc = dmasim_topo_machine(m->topo);
	char cpu[256];

	if (p->decision == DMASIM_DECIDE_SEED2018) {
		snprintf(buf, size, "pci_peer_traffic_supported() (the 2018 proposal): %s",
			 t == DMASIM_MAP_NOT_SUPPORTED ? "peer traffic is not supported for this pair"
						       : "supported, mapped with dma_map_resource()");
		return;
	}
	if (p->decision == DMASIM_DECIDE_LINUX_420) {
		snprintf(buf, size, "upstream_bridge_distance(): %s",
			 t == DMASIM_MAP_BUS_ADDR ? "a common upstream device and no ACS redirect on the path"
			 : dist == -2 ? "ACS redirect on the path (returns -2)"
			 : "no common upstream device (returns -1); this kernel has no host-bridge whitelist");
		return;
	}
	if (t == DMASIM_MAP_BUS_ADDR) {
		snprintf(buf, size,
			 "calc_map_type_and_dist(): common upstream device %s and no ACS redirect on the path: PCI bus addresses",
			 up ? up->name : "?");
		return;
	}
	if (cpu_rule_text(mc, p, cpu, sizeof(cpu))) {
		snprintf(buf, size, "calc_map_type_and_dist(): %s; %s",
			 up && nacs ? "ACS redirects on the path" : "no common upstream device",
			 cpu);
		return;
	}
	snprintf(buf, size, "calc_map_type_and_dist(): %s; no CPU rule applies, %s",
		 up && nacs ? "ACS redirects on the path" : "no common upstream device",
		 t == DMASIM_MAP_THRU_HOST_BRIDGE
		 ? "host_bridge_whitelist() lets the host bridge(s) through"
		 : "and host_bridge_whitelist() does not let the pair through");
}

static void json_log(struct jw *w, const char *text, const char *skip)
{
	const char *p, *nl;
	char line[600];

	dmasim__jw_arr_begin(w);
	for (p = text; *p; p = nl + 1) {
		size_t n;

		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (!skip || !strstr(skip, line))
			dmasim__jw_str(w, line);
		if (!nl)
			break;
	}
	dmasim__jw_arr_end(w);
}

static void json_hops(struct jw *w, const struct dmasim_route *r)
{
	size_t i;

	dmasim__jw_key(w, "hops");
	dmasim__jw_arr_begin(w);
	for (i = 0; i < r->nhops; i++) {
		const struct dmasim_hop *h = &r->hops[i];

		/* [action, device id or -1, host bridge id or -1, address, after] */
		dmasim__jw_arr_begin(w);
		dmasim__jw_str(w, dmasim_hop_action_name(h->action));
		dmasim__jw_int(w, h->dev ? (long long)h->dev->id : -1);
		dmasim__jw_int(w, !h->dev && h->hb ? (long long)h->hb->id : -1);
		dmasim__jw_hex(w, h->addr);
		dmasim__jw_hex(w, h->addr_out);
		dmasim__jw_arr_end(w);
	}
	dmasim__jw_arr_end(w);
}

static void json_mapping(struct jw *w, const struct dmasim_dma_result *r,
			 const char *decision_log)
{
	char buf[200];

	dmasim__jw_key(w, "map");
	dmasim__jw_obj_begin(w);
	dmasim__jw_kstr(w, "path", dmasim_dma_path_name(r->path));
	dmasim__jw_kstr(w, "op", r->op);
	dmasim__jw_kint(w, "bar", r->bar ? (long long)r->bar->index : -1);
	dmasim__jw_khex(w, "phys", r->phys);
	dmasim__jw_key(w, "dma");
	if (r->mapping_error)
		dmasim__jw_null(w);
	else
		dmasim__jw_hex(w, r->dma_addr);
	dmasim__jw_kstr(w, "reason", dmasim_dma_reason_name(r->reason));
	dmasim__jw_kstr(w, "why", r->why);
	dmasim__jw_key(w, "msgs");
	json_log(w, r->log.text, decision_log);
	if (r->path == DMASIM_DMA_PATH_IOMMU) {
		snprintf(buf, sizeof(buf), "group %u, IOVA 0x%" PRIx64 ", 0x%" PRIx64 " bytes",
			 r->iommu_group, r->iova, r->iova_len);
		dmasim__jw_kstr(w, "iommu", buf);
	}
	if (r->routed) {
		dmasim_landing_snprintf(buf, sizeof(buf), &r->route.land);
		dmasim__jw_kstr(w, "lands", buf);
		dmasim__jw_kstr(w, "route_why", r->route.land.kind == DMASIM_LAND_FAULT
				    ? r->route.why : NULL);
	}
	dmasim__jw_kstr(w, "verdict", dmasim_dma_verdict_name(r->verdict));
	dmasim__jw_kstr(w, "fault", dmasim_fault_name(r->fault));
	dmasim__jw_obj_end(w);
	if (r->routed)
		json_hops(w, &r->route);
}

/* With no p2pmem to map: where a 4-byte write of the client to the bus
 * address of the provider's first BAR lands (as `dmasim route` routes it,
 * with no IOMMU mappings). */
static bool json_raw_route(struct jw *w, const struct rep_machine *m,
			   const struct dmasim_device *prov,
			   const struct dmasim_device *cl, struct dmasim_route *r)
{
	char buf[200];

	if (!prov->nbars ||
	    dmasim_route(m->topo, NULL, cl, prov->bars[0].bus, 4, true, r) != DMASIM_OK)
		return false;
	dmasim__jw_key(w, "raw");
	dmasim__jw_obj_begin(w);
	dmasim__jw_kint(w, "bar", prov->bars[0].index);
	dmasim__jw_khex(w, "addr", prov->bars[0].bus);
	dmasim_landing_snprintf(buf, sizeof(buf), &r->land);
	dmasim__jw_kstr(w, "lands", buf);
	dmasim__jw_kstr(w, "route_why", r->land.kind == DMASIM_LAND_FAULT ? r->why : NULL);
	dmasim__jw_obj_end(w);
	json_hops(w, r);
	return true;
}

/* The devices with ACS redirect on the path provider..up..client, in the
 * kernel's order (provider side up to the common device, then the
 * client's side), up listed once. */
static size_t acs_path(const struct dmasim_policy *p, const struct dmasim_device *a,
		       const struct dmasim_device *b, const struct dmasim_device *up,
		       const struct dmasim_device **out, size_t max)
{
	const struct dmasim_device *d;
	size_t n = 0;
	int side;

	if (!up)
		return 0;
	for (side = 0; side < 2; side++)
		for (d = side ? b : a; d && (d != up || side == 0); d = d->parent) {
			if (d->has_acs && (d->acs_ctrl & p->acs_redirect_bits) && n < max)
				out[n++] = d;
			if (d == up)
				break;
		}
	return n;
}

static int json_cell(struct jw *w, const struct rep_machine *m,
		     const struct rep_grid *g, size_t i, size_t j,
		     struct dmasim_dma_result *res)
{
	const struct dmasim_device *prov = m->eps[i], *cl = m->eps[j], *up;
	const struct dmasim_device *acs[2 * DMASIM_MAX_DEPTH + 2];
	const struct dmasim_machine *mc = dmasim_topo_machine(m->topo);
	struct dmasim_dma_ctx *ctx = NULL;
	struct cli_inferred inf = { 0 };
	struct dmasim_error err;
	struct dmasim_log log;
	enum dmasim_map_type t;
	char rule[600];
	size_t nacs, k;
	int dist;

	dmasim_log_init(&log);
	t = dmasim_p2p_map_type(m->topo, g->policy, prov, cl, &dist,
				DMASIM_P2P_VERBOSE, &log);
	up = dmasim_p2p_upstream(m->topo, g->policy, prov, cl, 0);
	nacs = acs_path(g->policy, prov, cl, up, acs, sizeof(acs) / sizeof(acs[0]));
	rule_text(m, g->policy, up, nacs, t, dist, rule, sizeof(rule));
	dmasim__jw_obj_begin(w);
	dmasim__jw_kstr(w, "m", dmasim_map_type_name(t));
	dmasim__jw_kint(w, "d", dist);
	dmasim__jw_kint(w, "u", up ? (long long)up->id : -1);
	dmasim__jw_key(w, "acs");
	dmasim__jw_arr_begin(w);
	for (k = 0; k < nacs; k++)
		dmasim__jw_int(w, acs[k]->id);
	dmasim__jw_arr_end(w);
	dmasim__jw_kstr(w, "rule", rule);
	dmasim__jw_key(w, "warn");
	json_log(w, log.text, NULL);
	dmasim__jw_kstr(w, "smi", dmasim_device_link_code(prov, cl));
	/* the inferred values the decision rests on, and those of the
	 * mapping and its route, as `dmasim map --p2p` names them */
	cli_inferred_pair(&inf, prov, cl, t);
	dmasim_error_init(&err);
	if (!dmasim_dma_p2pmem_bar(prov)) {
		dmasim__jw_kstr(w, "nomap",
				"the provider offers no p2pmem BAR: nothing is mapped (pci_p2pmem_find_many() would never choose it)");
		if (json_raw_route(w, m, prov, cl, &res->route))
			cli_inferred_route(&inf, mc, cl, &res->route);
	} else if (dmasim_dma_ctx_create(m->topo, g->policy, &ctx, &err) != DMASIM_OK) {
		dmasim__jw_obj_end(w);
		return -1;
	} else {
		memset(res, 0, sizeof(*res));
		if (dmasim_dma_p2p_map(ctx, prov, cl, 0, 4096, res, &err) == DMASIM_OK) {
			json_mapping(w, res, log.text);
			cli_inferred_landing(&inf, &res->target);
			if (res->routed)
				cli_inferred_route(&inf, mc, cl, &res->route);
		} else if (err.code == DMASIM_ENOMEM) {
			dmasim_dma_ctx_destroy(ctx);
			dmasim__jw_obj_end(w);
			return -1;
		} else
			dmasim__jw_kstr(w, "nomap", err.msg);
		dmasim_dma_ctx_destroy(ctx);
	}
	cli_inferred_json(w, &inf);
	dmasim__jw_obj_end(w);
	return 0;
}

bool rep_details_json(FILE *f, const struct rep_machine *m,
		      const struct rep_grid *grids, size_t ngrids)
{
	const struct dmasim_machine *mc = dmasim_topo_machine(m->topo);
	struct dmasim_dma_result *res = malloc(sizeof(*res));
	char *buf = NULL, id[32];
	size_t len = 0, i, j, k;
	bool ok = true;
	struct jw w;
	FILE *mem;

	if (!res || !(mem = open_memstream(&buf, &len))) {
		free(res);
		return false;
	}
	dmasim__jw_init(&w, mem, false);
	dmasim__jw_obj_begin(&w);
	dmasim__jw_kstr(&w, "file", m->file);
	dmasim__jw_key(&w, "devs");
	dmasim__jw_arr_begin(&w);
	for (i = 0; i < mc->ndevices; i++) {
		dmasim__jw_arr_begin(&w);
		dmasim__jw_str(&w, mc->devices[i].bdf);
		dmasim__jw_str(&w, mc->devices[i].name);
		dmasim__jw_int(&w, mc->devices[i].parent
			       ? (long long)mc->devices[i].parent->id : -1);
		dmasim__jw_int(&w, mc->devices[i].hb->id);
		dmasim__jw_arr_end(&w);
	}
	dmasim__jw_arr_end(&w);
	dmasim__jw_key(&w, "hbs");
	dmasim__jw_arr_begin(&w);
	for (i = 0; i < mc->nhost_bridges; i++)
		dmasim__jw_str(&w, mc->host_bridges[i].name);
	dmasim__jw_arr_end(&w);
	dmasim__jw_key(&w, "eps");
	dmasim__jw_arr_begin(&w);
	for (i = 0; i < m->nshow; i++)
		dmasim__jw_int(&w, m->eps[i]->id);
	dmasim__jw_arr_end(&w);
	dmasim__jw_key(&w, "policies");
	dmasim__jw_arr_begin(&w);
	for (k = 0; k < ngrids && ok; k++) {
		struct dmasim_error err;

		dmasim_error_init(&err);
		if (dmasim_topo_apply_policy(m->topo, grids[k].policy, &err) != DMASIM_OK) {
			fprintf(stderr, "dmasim report: %s\n", err.msg);
			ok = false;
			break;
		}
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kstr(&w, "name", grids[k].policy->name);
		dmasim__jw_kstr(&w, "arg", grids[k].arg);
		dmasim__jw_key(&w, "cells");
		dmasim__jw_arr_begin(&w);
		for (i = 0; i < m->nshow && ok; i++)
			for (j = 0; j < m->nshow && ok; j++)
				ok = json_cell(&w, m, &grids[k], i, j, res) == 0;
		dmasim__jw_arr_end(&w);
		dmasim__jw_obj_end(&w);
	}
	dmasim__jw_arr_end(&w);
	dmasim__jw_obj_end(&w);
	fclose(mem);
	if (ok) {
		snprintf(id, sizeof(id), "data-%u", m->index);
		rep_json_script(f, id, buf, len);
	}
	free(buf);
	free(res);
	return ok;
}
