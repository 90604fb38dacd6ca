/*
 * dmasim -- running a suite: each case calls the layer it names, then each
 * key of its `expect` is compared with what came out.  Cases share one DMA
 * context, so mappings (and the IOMMU's view in route cases) persist until
 * an unmap case gives them back.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dmasim/dma.h"
#include "scenario/scenario_int.h"
#include "scenario/verdict.h"


static void append(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* Keep what fits of the kernel's messages (whole lines). */
static void copy_log(struct dmasim_case_result *r, const char *text)
{
	size_t n = strlen(text);

	if (n >= sizeof(r->log)) {
		n = sizeof(r->log) - 1;
		while (n && text[n - 1] != '\n')
			n--;
	}
	memcpy(r->log, text, n);
	r->log[n] = '\0';
}

#define GOT(r, ...) append((r)->got, sizeof((r)->got), __VA_ARGS__)
#define FAIL(r, ...) append((r)->failures, sizeof((r)->failures), __VA_ARGS__)

static void landing_text(char *buf, size_t size, const struct dmasim_landing *l)
{
	dmasim_landing_snprintf(buf, size, l);
}

static void via_text(char *buf, size_t size, const struct dmasim_route *route)
{
	const struct dmasim_hop *hops[CASE_MAX_VIA * 2];
	size_t n = dmasim_route_via(route, hops, CASE_MAX_VIA * 2), i;

	buf[0] = '\0';
	if (n > CASE_MAX_VIA * 2)
		n = CASE_MAX_VIA * 2;
	for (i = 0; i < n; i++)
		append(buf, size, "%s%s", i ? ", " : "",
		       hops[i]->dev ? hops[i]->dev->bdf : hops[i]->hb->name);
}

static void check_via(struct dmasim_case_result *r, const struct expect *e,
		      const struct dmasim_route *route)
{
	const struct dmasim_hop *hops[CASE_MAX_VIA * 2];
	size_t n = dmasim_route_via(route, hops, CASE_MAX_VIA * 2), i;
	char got[1024], want[1024] = "";
	bool same = n == e->nvia;

	for (i = 0; same && i < n; i++)
		same = strcmp(hops[i]->dev ? hops[i]->dev->bdf : hops[i]->hb->name,
			      e->via[i]) == 0;
	if (same)
		return;
	via_text(got, sizeof(got), route);
	for (i = 0; i < e->nvia; i++)
		append(want, sizeof(want), "%s%s", i ? ", " : "", e->via[i]);
	FAIL(r, "via: expected [%s], got [%s]\n", want, got);
}

static void check_warnings(struct dmasim_case_result *r, const struct expect *e,
			   const struct dmasim_log *log)
{
	size_t i;

	for (i = 0; i < e->nwarnings; i++)
		if (!dmasim_log_contains(log, e->warnings[i]))
			FAIL(r, "warnings: expected a message containing \"%s\", got %s\n",
			     e->warnings[i], log->nlines ? "the log below" : "no message");
}

static void check_lands(struct dmasim_case_result *r, const struct expect *e,
			bool routed, const struct dmasim_landing *land)
{
	char want[160], got[160];

	if (!(e->keys & EXPECT_LANDS))
		return;
	dmasim__spec_snprintf(want, sizeof(want), &e->lands);
	if (!routed) {
		FAIL(r, "lands: expected %s, but no DMA was made\n", want);
		return;
	}
	if (!dmasim__spec_matches(&e->lands, land)) {
		landing_text(got, sizeof(got), land);
		FAIL(r, "lands: expected %s, got %s\n", want, got);
	}
}

static void check_error(struct dmasim_case_result *r, const struct expect *e,
			enum dmasim_fault got)
{
	if ((e->keys & EXPECT_ERROR) && e->error != got)
		FAIL(r, "error: expected %s, got %s\n", dmasim_fault_name(e->error),
		     got == DMASIM_FAULT_NONE ? "no error" : dmasim_fault_name(got));
}

static void check_verdict(struct dmasim_case_result *r, const struct expect *e,
			  enum dmasim_verdict got)
{
	if ((e->keys & EXPECT_VERDICT) && e->verdict != got)
		FAIL(r, "verdict: expected %s, got %s\n", dmasim__verdict_names[e->verdict],
		     dmasim__verdict_names[got]);
}

static void check_map_type(struct dmasim_case_result *r, const struct expect *e,
			   enum dmasim_map_type got, int dist)
{
	if ((e->keys & EXPECT_MAP_TYPE) && e->map_type != got)
		FAIL(r, "map_type: expected %s, got %s\n", dmasim_map_type_name(e->map_type),
		     dmasim_map_type_name(got));
	if ((e->keys & EXPECT_DISTANCE) && e->distance != dist)
		FAIL(r, "distance: expected %lld, got %d\n", e->distance, dist);
}

/* One case under one policy: what it runs with. */
struct run {
	struct dmasim_suite *s;
	const struct dmasim_policy *pol;
	const struct expect *e;
};

static void run_upstream(const struct run *u, const struct scase *c,
			 struct dmasim_case_result *r)
{
	const struct dmasim_device *b = dmasim_p2p_upstream(u->s->topo, u->pol, c->dev,
							    c->peer, 0);
	const struct expect *e = u->e;

	GOT(r, "bridge: %s\n", b ? b->bdf : "none");
	if ((e->keys & EXPECT_BRIDGE) && b != e->bridge)
		FAIL(r, "bridge: expected %s, got %s\n", e->bridge ? e->bridge->bdf : "none",
		     b ? b->bdf : "none");
}

/* The combined map type of several clients: the worst of them. */
static void run_p2p(const struct run *u, const struct scase *c,
		    struct dmasim_case_result *r, struct dmasim_log *log)
{
	enum dmasim_map_type mt = DMASIM_MAP_BUS_ADDR, one;
	const struct dmasim_topo *topo = u->s->topo;
	const struct expect *e = u->e;
	size_t i;
	int dist;

	dist = dmasim_p2p_distance_many(topo, u->pol, c->dev, c->clients,
					c->nclients, DMASIM_P2P_VERBOSE, log);
	for (i = 0; i < c->nclients; i++) {
		one = dmasim_p2p_map_type(topo, u->pol, c->dev, c->clients[i], NULL,
					  0, NULL);
		if (one == DMASIM_MAP_NOT_SUPPORTED ||
		    (one == DMASIM_MAP_THRU_HOST_BRIDGE && mt == DMASIM_MAP_BUS_ADDR))
			mt = one;
	}
	GOT(r, "map_type: %s\ndistance: %d\n", dmasim_map_type_name(mt), dist);
	check_map_type(r, e, mt, dist);
	check_warnings(r, e, log);
	if (e->keys & EXPECT_VERDICT) {
		struct dmasim_dma_result *res = &(struct dmasim_dma_result){ 0 };
		enum dmasim_verdict v = DMASIM_VERDICT_SOUND;
		if (dmasim__pair_verdict(topo, u->pol, c->dev, c->clients[0], &v, res))
			FAIL(r, "verdict: %s has no p2pmem BAR to map\n", c->dev->name);
		else
			check_verdict(r, e, v);
		GOT(r, "verdict: %s\n", dmasim__verdict_names[v]);
	}
}

static void report_mapping(const struct run *u, struct dmasim_case_result *r,
			   const struct dmasim_dma_result *res)
{
	const struct expect *e = u->e;
	char buf[1024];
	enum dmasim_verdict v;

	GOT(r, "path: %s (%s)\n", dmasim_dma_path_name(res->path), res->op ? res->op : "-");
	if (res->p2p)
		GOT(r, "map_type: %s\ndistance: %d\n", dmasim_map_type_name(res->map_type),
		    res->p2p_dist);
	if (res->mapping_error)
		GOT(r, "dma_addr: DMA_MAPPING_ERROR (%s)\n", dmasim_dma_reason_name(res->reason));
	else
		GOT(r, "dma_addr: 0x%llx\n", (unsigned long long)res->dma_addr);
	if (res->routed) {
		landing_text(buf, sizeof(buf), &res->route.land);
		GOT(r, "lands: %s\n", buf);
		via_text(buf, sizeof(buf), &res->route);
		GOT(r, "via: [%s]\n", buf);
	}
	if (res->fault != DMASIM_FAULT_NONE)
		GOT(r, "error: %s\n", dmasim_fault_name(res->fault));
	if (res->p2p)
		check_map_type(r, e, res->map_type, res->p2p_dist);
	if ((e->keys & EXPECT_DMA_ADDR) && e->dma_addr != res->dma_addr)
		FAIL(r, "dma_addr: expected 0x%llx, got %s0x%llx\n",
		     (unsigned long long)e->dma_addr,
		     res->mapping_error ? "DMA_MAPPING_ERROR " : "",
		     (unsigned long long)res->dma_addr);
	check_lands(r, e, res->routed, &res->route.land);
	check_error(r, e, res->fault);
	if (e->keys & EXPECT_VIA) {
		if (res->routed)
			check_via(r, e, &res->route);
		else
			FAIL(r, "via: no DMA was made\n");
	}
	check_warnings(r, e, &res->log);
	if (e->keys & EXPECT_VERDICT) {
		v = dmasim_verdict_of(u->s->topo, res);
		GOT(r, "verdict: %s\n", dmasim__verdict_names[v]);
		check_verdict(r, e, v);
	}
}

static int run_case(const struct run *u, struct dmasim_dma_ctx *ctx,
		    const struct scase *c, struct dmasim_case_result *r,
		    struct dmasim_error *err)
{
	struct dmasim_dma_result *res = &(struct dmasim_dma_result){ 0 };
	struct dmasim_log *log = &(struct dmasim_log){ 0 };
	struct dmasim_route *route = &(struct dmasim_route){ 0 };
	const struct expect *e = u->e;
	char buf[512];
	int rc = DMASIM_OK;

	switch (c->kind) {
	case CASE_UPSTREAM:
		run_upstream(u, c, r);
		break;
	case CASE_P2P:
		run_p2p(u, c, r, log);
		copy_log(r, log->text);
		break;
	case CASE_MAP_RESOURCE:
		rc = dmasim_dma_map_resource(ctx, c->dev, dmasim__spec_phys(&c->target), c->size,
					     (enum dmasim_dma_dir)c->dir, res, err);
		if (rc)
			break;
		report_mapping(u, r, res);
		copy_log(r, res->log.text);
		break;
	case CASE_P2P_MAP:
		rc = dmasim_dma_p2p_map(ctx, c->dev, c->peer, c->offset, c->size, res, err);
		if (rc)
			break;
		report_mapping(u, r, res);
		copy_log(r, res->log.text);
		break;
	case CASE_UNMAP: {
		struct dmasim_error uerr;
		enum dmasim_fault f = DMASIM_FAULT_NONE;

		dmasim_error_init(&uerr);
		if (dmasim_dma_unmap_resource(ctx, c->dev, c->addr, &uerr) != DMASIM_OK) {
			f = DMASIM_FAULT_MAPPING_ERROR;
			GOT(r, "error: mapping-error (%s)\n", uerr.msg);
		} else {
			GOT(r, "unmapped 0x%llx\n", (unsigned long long)c->addr);
		}
		check_error(r, e, f);
		break;
	}
	case CASE_ROUTE:
		rc = dmasim_route(u->s->topo, dmasim_dma_ctx_pt(ctx), c->dev, c->addr, c->size,
				  c->write, route);
		if (rc)
			break;
		landing_text(buf, sizeof(buf), &route->land);
		GOT(r, "lands: %s\n", buf);
		via_text(buf, sizeof(buf), route);
		GOT(r, "via: [%s]\n", buf);
		if (route->land.kind == DMASIM_LAND_FAULT)
			GOT(r, "why: %s\n", route->why);
		check_lands(r, e, true, &route->land);
		check_error(r, e, route->land.kind == DMASIM_LAND_FAULT ? route->land.fault
									: DMASIM_FAULT_NONE);
		if (e->keys & EXPECT_VIA)
			check_via(r, e, route);
		break;
	default:
		break;
	}
	if (rc) {
		/* The layer refused the request itself (a bad argument). */
		FAIL(r, "the case could not run: %s\n", err && err->msg[0] ? err->msg
									 : dmasim_strerror(rc));
		dmasim_error_init(err);
	}
	r->passed = r->failures[0] == '\0';
	return DMASIM_OK;
}

/* The cases under the suite's policy @p, in order, in one DMA context. */
static int run_policy(struct dmasim_suite *s, size_t p, dmasim_case_fn fn, void *arg,
		      size_t *nfailed, struct dmasim_error *err)
{
	struct run u = { s, &s->policies[p], NULL };
	struct dmasim_dma_ctx *ctx;
	struct dmasim_error cerr;
	size_t i;
	int rc;

	if ((rc = dmasim_dma_ctx_create(s->topo, u.pol, &ctx, err)))
		return rc;
	for (i = 0; i < s->ncases; i++) {
		const struct scase *c = &s->cases[i];
		struct dmasim_case_result r;

		memset(&r, 0, sizeof(r));
		r.index = i;
		snprintf(r.name, sizeof(r.name), "%s", c->name);
		r.kind = dmasim__case_kind_names[c->kind];
		r.line = c->pos.line;
		r.policy = s->pnames[p];
		r.policy_index = p;
		if (!(c->runs & (1u << p))) {
			/* Reported, never passed over in silence. */
			r.skipped = true;
		} else {
			u.e = c->expects ? &c->expects[p] : &c->expect;
			dmasim_error_init(&cerr);
			run_case(&u, ctx, c, &r, &cerr);
			if (!r.passed)
				(*nfailed)++;
		}
		if (fn)
			fn(&r, arg);
	}
	dmasim_dma_ctx_destroy(ctx);
	return DMASIM_OK;
}

int dmasim_suite_run(struct dmasim_suite *s, dmasim_case_fn fn, void *arg,
		     size_t *failed, struct dmasim_error *err)
{
	size_t p, nfailed = 0;
	int rc = DMASIM_OK;

	for (p = 0; p < s->npolicies && rc == DMASIM_OK; p++)
		rc = run_policy(s, p, fn, arg, &nfailed, err);
	if (failed)
		*failed = nfailed;
	return rc;
}
