/*
 * dmasim -- the suite loader (docs/suite.md).  Everything a case names
 * (devices, targets, expected places) is resolved here, so a typo is a load
 * error at its file:line:column rather than a failed case.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load/topo_load.h"
#include "load/ynode.h"
#include "policy/policy_int.h"
#include "scenario/scenario_int.h"
#include "util/input.h"

const char *const dmasim__case_kind_names[CASE_KIND_COUNT] = {
	"upstream", "p2p", "map_resource", "p2p_map", "unmap", "route",
};
const char *const dmasim__verdict_names[DMASIM_VERDICT_COUNT] = {
	"sound", "unsound", "conservative",
};
static const char *const dir_names[] = { "bidirectional", "to_device", "from_device" };

/* Which expect keys make sense for each case kind. */
static const unsigned expect_allowed[CASE_KIND_COUNT] = {
	[CASE_UPSTREAM] = EXPECT_BRIDGE,
	[CASE_P2P] = EXPECT_MAP_TYPE | EXPECT_DISTANCE | EXPECT_WARNINGS | EXPECT_VERDICT,
	[CASE_MAP_RESOURCE] = EXPECT_DMA_ADDR | EXPECT_LANDS | EXPECT_ERROR | EXPECT_VIA |
			      EXPECT_WARNINGS | EXPECT_VERDICT,
	[CASE_P2P_MAP] = EXPECT_MAP_TYPE | EXPECT_DISTANCE | EXPECT_DMA_ADDR | EXPECT_LANDS |
			 EXPECT_ERROR | EXPECT_VIA | EXPECT_WARNINGS | EXPECT_VERDICT,
	[CASE_UNMAP] = EXPECT_ERROR,
	[CASE_ROUTE] = EXPECT_LANDS | EXPECT_ERROR | EXPECT_VIA,
};

struct sload {
	struct ydoc *y;
	struct dmasim_suite *s;
};

static const char *keep(struct sload *l, const char *str)
{
	char **v = realloc(l->s->strs, (l->s->nstrs + 1) * sizeof(*v));
	char *c;

	if (!v)
		return NULL;
	l->s->strs = v;
	c = strdup(str);
	if (c)
		v[l->s->nstrs++] = c;
	return c;
}

/* @n zeroed elements of @size, freed with the suite (as kept strings are). */
static void *keep_array(struct sload *l, size_t n, size_t size)
{
	char **v = realloc(l->s->strs, (l->s->nstrs + 1) * sizeof(*v));
	void *a;

	if (!v)
		return NULL;
	l->s->strs = v;
	a = calloc(n ? n : 1, size);
	if (a)
		v[l->s->nstrs++] = a;
	return a;
}

static int device_ref(struct sload *l, yaml_node_t *n, const char *what,
		      const struct dmasim_device **out)
{
	const char *name;
	int rc;

	if ((rc = dmasim__ystr(l->y, n, what, &name)))
		return rc;
	*out = dmasim_topo_find_device(l->s->topo, name);
	if (!*out)
		return dmasim__yerr(l->y, n, DMASIM_ENOTFOUND,
			    "%s: no device '%s' in the topology (give a name or a BDF)",
			    what, name);
	return DMASIM_OK;
}

static int spec_ref(struct sload *l, yaml_node_t *n, const char *what,
		    bool allow_fault, struct spec *out)
{
	char why[256];
	const char *text;
	int rc;

	if ((rc = dmasim__ystr(l->y, n, what, &text)))
		return rc;
	if (dmasim__spec_parse(l->s->topo, text, allow_fault, out, why, sizeof(why)))
		return dmasim__yerr(l->y, n, DMASIM_ESCHEMA, "%s %s", what, why);
	return DMASIM_OK;
}

#define NEXPECT_KEYS 9
static const char *const expect_keys[NEXPECT_KEYS + 1] = {
	"bridge", "map_type", "distance", "dma_addr", "lands", "error", "via",
	"warnings", "verdict", NULL
};

/* The expect keys given in @v (one node or NULL per expect_keys[]) into @e. */
static int parse_expect(struct sload *l, yaml_node_t *const *v, const struct scase *c,
			struct expect *e)
{
	const char *const *keys = expect_keys;
	const char *s;
	uint64_t u;
	size_t i;
	int rc, k;

	for (i = 0; keys[i]; i++) {
		if (!v[i])
			continue;
		if (!(expect_allowed[c->kind] & (1u << i)))
			return dmasim__yerr(l->y, v[i], DMASIM_ESCHEMA,
				    "expect key '%s' does not apply to a case of kind '%s'",
				    keys[i], dmasim__case_kind_names[c->kind]);
		e->keys |= 1u << i;
	}
	if (v[0]) {
		if ((rc = dmasim__ystr(l->y, v[0], "bridge", &s)))
			return rc;
		if (strcmp(s, "none") != 0 && (rc = device_ref(l, v[0], "bridge", &e->bridge)))
			return rc;
	}
	if (v[1]) {
		if ((rc = dmasim__ystr(l->y, v[1], "map_type", &s)))
			return rc;
		e->map_type = dmasim_map_type_parse(s);
		if (e->map_type == DMASIM_MAP_TYPE_COUNT)
			return dmasim__yerr(l->y, v[1], DMASIM_ESCHEMA,
				    "'%s' is not a map type; expected bus_addr, thru_host_bridge or not_supported",
				    s);
	}
	if (v[2]) {
		if ((s = dmasim__yscalar(v[2])) && strcmp(s, "-1") == 0) {
			e->distance = -1;
		} else {
			if ((rc = dmasim__yu64_max(l->y, v[2], "distance", INT32_MAX, &u)))
				return rc;
			e->distance = (long long)u;
		}
	}
	if (v[3] && (rc = dmasim__yu64(l->y, v[3], "dma_addr", &e->dma_addr)))
		return rc;
	if (v[4] && (rc = spec_ref(l, v[4], "lands", true, &e->lands)))
		return rc;
	if (v[5]) {
		if ((rc = dmasim__ystr(l->y, v[5], "error", &s)))
			return rc;
		e->error = dmasim_fault_parse(s);
		if (e->error == DMASIM_FAULT_COUNT || e->error == DMASIM_FAULT_NONE)
			return dmasim__yerr(l->y, v[5], DMASIM_ESCHEMA,
				    "'%s' is not an error kind; expected one of mapping-error, not-supported, invalid-address, unsupported-request, iommu-fault, rc-p2p-blocked, msi-write, outside-inbound-window",
				    s);
	}
	if (v[6]) {
		if ((rc = dmasim__yseq(l->y, v[6], "via")))
			return rc;
		if (dmasim__yseq_len(v[6]) > CASE_MAX_VIA)
			return dmasim__yerr(l->y, v[6], DMASIM_ESCHEMA, "via lists more than %d hops",
				    CASE_MAX_VIA);
		if (!(e->via = keep_array(l, dmasim__yseq_len(v[6]), sizeof(*e->via))))
			return dmasim__yerr(l->y, v[6], DMASIM_ENOMEM, "out of memory");
		for (i = 0; i < dmasim__yseq_len(v[6]); i++) {
			yaml_node_t *item = dmasim__yseq_at(l->y, v[6], i);
			const struct dmasim_device *d;
			if ((rc = dmasim__ystr(l->y, item, "a via hop", &s)))
				return rc;
			d = dmasim_topo_find_device(l->s->topo, s);
			if (!d && !dmasim_topo_find_host_bridge(l->s->topo, s))
				return dmasim__yerr(l->y, item, DMASIM_ENOTFOUND,
					    "via: '%s' is neither a device nor a host bridge", s);
			if (!(e->via[e->nvia++] = keep(l, d ? d->bdf : s)))
				return dmasim__yerr(l->y, item, DMASIM_ENOMEM, "out of memory");
		}
	}
	if (v[7]) {
		if ((rc = dmasim__yseq(l->y, v[7], "warnings")))
			return rc;
		if (dmasim__yseq_len(v[7]) > CASE_MAX_WARN)
			return dmasim__yerr(l->y, v[7], DMASIM_ESCHEMA, "more than %d warnings",
				    CASE_MAX_WARN);
		if (!(e->warnings = keep_array(l, dmasim__yseq_len(v[7]), sizeof(*e->warnings))))
			return dmasim__yerr(l->y, v[7], DMASIM_ENOMEM, "out of memory");
		for (i = 0; i < dmasim__yseq_len(v[7]); i++) {
			if ((rc = dmasim__ystr(l->y, dmasim__yseq_at(l->y, v[7], i), "a warning", &s)))
				return rc;
			if (!(e->warnings[e->nwarnings++] = keep(l, s)))
				return dmasim__yerr(l->y, v[7], DMASIM_ENOMEM, "out of memory");
		}
	}
	if (v[8]) {
		if ((rc = dmasim__yenum(l->y, v[8], "verdict", dmasim__verdict_names, DMASIM_VERDICT_COUNT, &k)))
			return rc;
		e->verdict = (enum dmasim_verdict)k;
	}
	return DMASIM_OK;
}

/* @e with the keys of @over put in place of its own. */
static void expect_override(struct expect *e, const struct expect *over)
{
	unsigned k = over->keys;

	if (k & EXPECT_BRIDGE)
		e->bridge = over->bridge;
	if (k & EXPECT_MAP_TYPE)
		e->map_type = over->map_type;
	if (k & EXPECT_DISTANCE)
		e->distance = over->distance;
	if (k & EXPECT_DMA_ADDR)
		e->dma_addr = over->dma_addr;
	if (k & EXPECT_LANDS)
		e->lands = over->lands;
	if (k & EXPECT_ERROR)
		e->error = over->error;
	if (k & EXPECT_VIA) {
		e->via = over->via;
		e->nvia = over->nvia;
	}
	if (k & EXPECT_WARNINGS) {
		e->warnings = over->warnings;
		e->nwarnings = over->nwarnings;
	}
	if (k & EXPECT_VERDICT)
		e->verdict = over->verdict;
	e->keys |= k;
}

/* The suite's policies, "a, b, c", for messages. */
static const char *policy_list(const struct dmasim_suite *s, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < s->npolicies && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", s->pkeys[i]);
	return buf;
}

/* Is @str written as a policy (a built-in name or a policy file)? */
static bool names_a_policy(const char *str)
{
	return dmasim_policy_builtin(str) || strchr(str, '/') || strstr(str, ".yaml");
}

/* The index of the suite's policy written @str, or -1. */
static int policy_index(const struct dmasim_suite *s, const char *str)
{
	size_t i;

	for (i = 0; i < s->npolicies; i++)
		if (strcmp(s->pkeys[i], str) == 0)
			return (int)i;
	return -1;
}

/* "which is not one of the suite's policies (...)", with a did-you-mean. */
static int not_a_suite_policy(struct sload *l, yaml_node_t *n, const char *what,
			      const char *str)
{
	const char *keys[SUITE_MAX_POLICIES + 1], *near;
	char ex[DMASIM_YEXCERPT_SIZE], list[512];
	size_t i;

	for (i = 0; i < l->s->npolicies; i++)
		keys[i] = l->s->pkeys[i];
	keys[i] = NULL;
	near = dmasim__yclosest(str, keys);
	return dmasim__yerr(l->y, n, DMASIM_ENOTFOUND,
		"%s names the policy '%s', which is not one of the suite's policies (%s)%s%s%s",
		what, dmasim__yexcerpt(ex, str), policy_list(l->s, list, sizeof(list)),
		near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
}

/*
 * A case's `expect`: keys that hold for every policy the case runs under,
 * and keys named after the suite's policies whose mappings give that
 * policy's own values (each replacing the common key of its name).  A
 * policy the case runs under and that `expect` leaves out gets the common
 * keys; when there are none while other policies have their own, that is
 * an oversight, not "check nothing": a load error.
 */
static int load_expect(struct sload *l, yaml_node_t *n, struct scase *c)
{
	const char *keys[NEXPECT_KEYS + SUITE_MAX_POLICIES + 1];
	yaml_node_t *v[NEXPECT_KEYS + SUITE_MAX_POLICIES], *w[NEXPECT_KEYS];
	struct dmasim_suite *s = l->s;
	char what[160], ex[DMASIM_YEXCERPT_SIZE];
	bool own = false;
	yaml_node_pair_t *pair;
	size_t i, p;
	int rc;

	for (i = 0; i < NEXPECT_KEYS; i++)
		keys[i] = expect_keys[i];
	for (p = 0; p < s->npolicies; p++)
		keys[NEXPECT_KEYS + p] = s->pkeys[p];
	keys[NEXPECT_KEYS + p] = NULL;
	/* A policy that the suite does not run: said as such, not as an
	 * unknown key (expect keys never look like policies: docs/suite.md). */
	if (n->type == YAML_MAPPING_NODE)
		for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
			yaml_node_t *k = yaml_document_get_node(&l->y->doc, pair->key);
			const char *ks = dmasim__yscalar(k);

			if (ks && names_a_policy(ks) && policy_index(s, ks) < 0)
				return not_a_suite_policy(l, k, "expect", ks);
		}
	if ((rc = dmasim__ymap(l->y, n, "expect", keys, v)) ||
	    (rc = parse_expect(l, v, c, &c->expect)))
		return rc;
	for (p = 0; p < s->npolicies; p++)
		own = own || v[NEXPECT_KEYS + p];
	if (!own)
		return DMASIM_OK;
	if (!(c->expects = keep_array(l, s->npolicies, sizeof(*c->expects))))
		return dmasim__yerr(l->y, n, DMASIM_ENOMEM, "out of memory");
	for (p = 0; p < s->npolicies; p++) {
		yaml_node_t *pv = v[NEXPECT_KEYS + p];
		struct expect over = { 0 };

		c->expects[p] = c->expect;
		if (!pv && (c->runs & (1u << p)) && !c->expect.keys)
			return dmasim__yerr(l->y, n, DMASIM_ESCHEMA,
				"expect gives values for some policies but not for '%s', which this case runs under, and no key common to all; add '%s: {}' to only check that the case runs under it",
				dmasim__yexcerpt(ex, s->pkeys[p]), dmasim__yexcerpt(ex, s->pkeys[p]));
		if (!pv)
			continue;
		if (!(c->runs & (1u << p)))
			return dmasim__yerr(l->y, pv, DMASIM_ESCHEMA,
				"expect gives values for the policy '%s', which this case does not run under (see its 'policies')",
				dmasim__yexcerpt(ex, s->pkeys[p]));
		snprintf(what, sizeof(what), "expect under %s", dmasim__yexcerpt(ex, s->pkeys[p]));
		if ((rc = dmasim__ymap(l->y, pv, what, expect_keys, w)) ||
		    (rc = parse_expect(l, w, c, &over)))
			return rc;
		expect_override(&c->expects[p], &over);
	}
	return DMASIM_OK;
}

/* A case's `policies`: a non-empty list of the suite's policies, each
 * once; *@runs gets a bit per policy. */
static int load_case_policies(struct sload *l, yaml_node_t *n, unsigned *runs)
{
	char ex[DMASIM_YEXCERPT_SIZE];
	yaml_node_t *first[SUITE_MAX_POLICIES] = { 0 };
	const char *str;
	size_t i;
	int rc, p;

	if ((rc = dmasim__yseq(l->y, n, "a case's policies")))
		return rc;
	if (dmasim__yseq_len(n) == 0)
		return dmasim__yerr(l->y, n, DMASIM_ESCHEMA,
			"a case's policies lists no policy; leave the key out to run the case under all of the suite's policies");
	*runs = 0;
	for (i = 0; i < dmasim__yseq_len(n); i++) {
		yaml_node_t *item = dmasim__yseq_at(l->y, n, i);

		if ((rc = dmasim__ystr(l->y, item, "a policy", &str)))
			return rc;
		if ((p = policy_index(l->s, str)) < 0)
			return not_a_suite_policy(l, item, "the case's policies", str);
		if (first[p])
			return dmasim__yerr(l->y, item, DMASIM_ESCHEMA,
				"the policy '%s' is listed twice (first at line %u, column %u)",
				dmasim__yexcerpt(ex, str), dmasim__ypos(first[p]).line,
				dmasim__ypos(first[p]).column);
		first[p] = item;
		*runs |= 1u << p;
	}
	return DMASIM_OK;
}

static int load_op(struct sload *l, yaml_node_t *n, struct scase *c)
{
	static const char *const p2p_keys[] = { "provider", "clients", NULL };
	static const char *const map_keys[] = { "device", "target", "size", "dir", NULL };
	static const char *const p2pmap_keys[] = { "provider", "client", "offset", "size", "dir", NULL };
	static const char *const unmap_keys[] = { "device", "dma_addr", NULL };
	static const char *const route_keys[] = { "from", "addr", "size", "write", NULL };
	yaml_node_t *v[5];
	size_t i;
	int rc, k;

	c->size = 4096;
	c->write = true;
	switch (c->kind) {
	case CASE_UPSTREAM:
		if ((rc = dmasim__yseq(l->y, n, "upstream")))
			return rc;
		if (dmasim__yseq_len(n) != 2)
			return dmasim__yerr(l->y, n, DMASIM_ESCHEMA,
				    "upstream takes two devices, [A, B]; found %zu", dmasim__yseq_len(n));
		if ((rc = device_ref(l, dmasim__yseq_at(l->y, n, 0), "upstream", &c->dev)) ||
		    (rc = device_ref(l, dmasim__yseq_at(l->y, n, 1), "upstream", &c->peer)))
			return rc;
		return DMASIM_OK;
	case CASE_P2P:
		if ((rc = dmasim__ymap(l->y, n, "p2p", p2p_keys, v)) ||
		    (rc = dmasim__yrequire(l->y, n, v[0], "p2p", "provider")) ||
		    (rc = dmasim__yrequire(l->y, n, v[1], "p2p", "clients")) ||
		    (rc = device_ref(l, v[0], "provider", &c->dev)) ||
		    (rc = dmasim__yseq(l->y, v[1], "clients")))
			return rc;
		if (dmasim__yseq_len(v[1]) == 0 || dmasim__yseq_len(v[1]) > CASE_MAX_CLIENTS)
			return dmasim__yerr(l->y, v[1], DMASIM_ESCHEMA,
				    "clients lists 1 to %d devices", CASE_MAX_CLIENTS);
		if (!(c->clients = keep_array(l, dmasim__yseq_len(v[1]), sizeof(*c->clients))))
			return dmasim__yerr(l->y, v[1], DMASIM_ENOMEM, "out of memory");
		for (i = 0; i < dmasim__yseq_len(v[1]); i++)
			if ((rc = device_ref(l, dmasim__yseq_at(l->y, v[1], i), "client", &c->clients[i])))
				return rc;
		c->nclients = dmasim__yseq_len(v[1]);
		return DMASIM_OK;
	case CASE_MAP_RESOURCE:
		if ((rc = dmasim__ymap(l->y, n, "map_resource", map_keys, v)) ||
		    (rc = dmasim__yrequire(l->y, n, v[0], "map_resource", "device")) ||
		    (rc = dmasim__yrequire(l->y, n, v[1], "map_resource", "target")) ||
		    (rc = device_ref(l, v[0], "device", &c->dev)) ||
		    (rc = spec_ref(l, v[1], "target", false, &c->target)) ||
		    (v[2] && (rc = dmasim__yu64(l->y, v[2], "size", &c->size))) ||
		    (v[3] && (rc = dmasim__yenum(l->y, v[3], "dir", dir_names, 3, &k))))
			return rc;
		c->dir = v[3] ? k : 0;
		break;
	case CASE_P2P_MAP:
		if ((rc = dmasim__ymap(l->y, n, "p2p_map", p2pmap_keys, v)) ||
		    (rc = dmasim__yrequire(l->y, n, v[0], "p2p_map", "provider")) ||
		    (rc = dmasim__yrequire(l->y, n, v[1], "p2p_map", "client")) ||
		    (rc = device_ref(l, v[0], "provider", &c->dev)) ||
		    (rc = device_ref(l, v[1], "client", &c->peer)) ||
		    (v[2] && (rc = dmasim__yu64(l->y, v[2], "offset", &c->offset))) ||
		    (v[3] && (rc = dmasim__yu64(l->y, v[3], "size", &c->size))) ||
		    (v[4] && (rc = dmasim__yenum(l->y, v[4], "dir", dir_names, 3, &k))))
			return rc;
		c->dir = v[4] ? k : 0;
		break;
	case CASE_UNMAP:
		if ((rc = dmasim__ymap(l->y, n, "unmap", unmap_keys, v)) ||
		    (rc = dmasim__yrequire(l->y, n, v[0], "unmap", "device")) ||
		    (rc = dmasim__yrequire(l->y, n, v[1], "unmap", "dma_addr")) ||
		    (rc = device_ref(l, v[0], "device", &c->dev)) ||
		    (rc = dmasim__yu64(l->y, v[1], "dma_addr", &c->addr)))
			return rc;
		return DMASIM_OK;
	case CASE_ROUTE:
		if ((rc = dmasim__ymap(l->y, n, "route", route_keys, v)) ||
		    (rc = dmasim__yrequire(l->y, n, v[0], "route", "from")) ||
		    (rc = dmasim__yrequire(l->y, n, v[1], "route", "addr")) ||
		    (rc = device_ref(l, v[0], "from", &c->dev)) ||
		    (rc = dmasim__yu64(l->y, v[1], "addr", &c->addr)) ||
		    (v[2] && (rc = dmasim__yu64(l->y, v[2], "size", &c->size))) ||
		    (v[3] && (rc = dmasim__ybool(l->y, v[3], "write", &c->write))))
			return rc;
		if (!v[2])
			c->size = 4;
		break;
	default:
		break;
	}
	if (c->size == 0)
		return dmasim__yerr(l->y, n, DMASIM_ESCHEMA, "size is 0");
	return DMASIM_OK;
}

static int load_case(struct sload *l, yaml_node_t *n, size_t index)
{
	static const char *const keys[] = { "name", "upstream", "p2p", "map_resource",
					    "p2p_map", "unmap", "route", "expect", "policies",
					    NULL };
	struct scase *c = &l->s->cases[index];
	yaml_node_t *v[9], *op = NULL;
	char fallback[32];
	const char *name;
	int rc, k;

	memset(c, 0, sizeof(*c));
	c->pos = dmasim__ypos(n);
	if ((rc = dmasim__ymap(l->y, n, "a case", keys, v)))
		return rc;
	for (k = 0; k < CASE_KIND_COUNT; k++) {
		if (!v[1 + k])
			continue;
		if (op)
			return dmasim__yerr(l->y, v[1 + k], DMASIM_ESCHEMA,
				    "a case has one operation; this one has both '%s' and '%s'",
				    dmasim__case_kind_names[c->kind], keys[1 + k]);
		op = v[1 + k];
		c->kind = (enum case_kind)k;
	}
	if (!op)
		return dmasim__yerr(l->y, n, DMASIM_ESCHEMA,
			    "a case needs one of upstream, p2p, map_resource, p2p_map, unmap, route");
	if (v[0]) {
		if ((rc = dmasim__ystr(l->y, v[0], "case name", &name)))
			return rc;
	} else {
		snprintf(fallback, sizeof(fallback), "case %zu", index + 1);
		name = fallback;
	}
	if (!(c->name = keep(l, name)))
		return dmasim__yerr(l->y, n, DMASIM_ENOMEM, "out of memory");
	if ((rc = load_op(l, op, c)))
		return rc;
	c->runs = (1u << l->s->npolicies) - 1;
	if (v[8] && (rc = load_case_policies(l, v[8], &c->runs)))
		return rc;
	if (!v[7])
		return dmasim__yerr(l->y, n, DMASIM_ESCHEMA,
			    "a case needs 'expect' (use 'expect: {}' to only check that it runs)");
	return load_expect(l, v[7], c);
}

/* The directory part of @path with its trailing '/' ("" for none), as a
 * new string: no length is too long (a fixed buffer once fell back to ""
 * and so to the current directory). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return strndup(path, slash ? (size_t)(slash - path) + 1 : 0);
}

/* Is @real (a resolved path) @base or below it? */
static bool below(const char *real, const char *base)
{
	size_t n = strlen(base);

	while (n > 1 && base[n - 1] == '/')
		n--;
	if (strncmp(real, base, n) != 0)
		return false;
	return real[n] == '/' || real[n] == '\0' || (n == 1 && base[0] == '/');
}

/*
 * A file a suite names (@str, the value of @what): relative to the
 * suite's directory @dir unless absolute; *@out is the path to open (a
 * new string, whatever its length).  Refused under no_file_refs, and,
 * unless allow_outside_refs, when it resolves (symbolic links followed)
 * outside the suite's directory: a suite from elsewhere cannot read
 * /etc/passwd or the files of its neighbours' parents.
 */
static int file_ref(struct ydoc *y, yaml_node_t *n, const char *dir,
		    const char *what, const char *str, char **out)
{
	char ex[DMASIM_YEXCERPT_SIZE];
	size_t dl = str[0] == '/' ? 0 : strlen(dir);
	char *rel, *real, *base;
	bool inside;
	int e;

	*out = NULL;
	if (y->lim.no_file_refs)
		return dmasim__yerr(y, n, DMASIM_ELIMIT,
			"this suite names the file '%s', and files may not be named here (no-file-refs is set)",
			dmasim__yexcerpt(ex, str));
	if (!(rel = malloc(dl + strlen(str) + 1)))
		return dmasim__yerr(y, n, DMASIM_ENOMEM, "out of memory");
	memcpy(rel, dir, dl);
	strcpy(rel + dl, str);
	if (y->lim.allow_outside_refs) {
		*out = rel;
		return DMASIM_OK;
	}
	real = realpath(rel, NULL);
	e = errno;
	base = realpath(dir[0] ? dir : ".", NULL);
	inside = real && base && below(real, base);
	free(real);
	free(base);
	if (inside) {
		*out = rel;
		return DMASIM_OK;
	}
	free(rel);
	if (!real)
		return dmasim__yerr(y, n, DMASIM_EIO, "cannot read the %s '%s': %s", what,
				    dmasim__yexcerpt(ex, str), strerror(e));
	return dmasim__yerr(y, n, DMASIM_ELIMIT,
		"the %s '%s' is outside the suite's directory; a suite names files below its own directory only (allow others with --allow-outside-refs)",
		what, dmasim__yexcerpt(ex, str));
}

/*
 * Nodes a walk of @n visits with aliases followed, at most @cap + 1.
 * libyaml's document shares an aliased node, but every case that names it
 * is loaded again: a suite of one anchored case and a million `- *c` once
 * cost gigabytes.  @memo (one entry per node, 0 = not yet counted) keeps
 * the walk linear in the file.
 */
static uint64_t expanded(struct ydoc *y, yaml_node_t *n, uint64_t *memo, uint64_t cap)
{
	size_t idx = (size_t)(n - y->doc.nodes.start), i;
	uint64_t total = 1;

	if (memo[idx])
		return memo[idx];
	if (n->type == YAML_SEQUENCE_NODE) {
		for (i = 0; i < dmasim__yseq_len(n) && total <= cap; i++)
			total += expanded(y, dmasim__yseq_at(y, n, i), memo, cap);
	} else if (n->type == YAML_MAPPING_NODE) {
		yaml_node_pair_t *p;

		for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top && total <= cap; p++)
			total += expanded(y, yaml_document_get_node(&y->doc, p->key), memo, cap) +
				 expanded(y, yaml_document_get_node(&y->doc, p->value), memo, cap);
	}
	if (total > cap)
		total = cap + 1;
	return memo[idx] = total;
}

/* The cases @cases expand to no more nodes than alias-events allows
 * beyond four per node of the file, as in topologies. */
static int check_aliases(struct ydoc *y, yaml_node_t *cases)
{
	size_t nnodes = (size_t)(y->doc.nodes.top - y->doc.nodes.start), i;
	uint64_t cap = y->lim.alias_events + 4 * (uint64_t)nnodes, total = 0;
	uint64_t *memo = calloc(nnodes + 1, sizeof(*memo));

	if (!memo)
		return dmasim__yerr(y, cases, DMASIM_ENOMEM, "out of memory");
	for (i = 0; i < dmasim__yseq_len(cases); i++) {
		yaml_node_t *c = dmasim__yseq_at(y, cases, i);

		total += expanded(y, c, memo, cap);
		if (total > cap) {
			free(memo);
			return dmasim__yerr(y, c, DMASIM_ELIMIT,
				"case %zu: the cases expand through aliases to more than %llu YAML nodes; refusing to follow them (raise the limit with --limit alias-events=N)",
				i + 1, (unsigned long long)cap);
		}
	}
	free(memo);
	return DMASIM_OK;
}

/* The policy written @str at @n: a built-in name, or a policy file (whose
 * name has a '/' or ends in .yaml, so that a misspelt built-in name is not
 * looked up as a file) below the suite's directory @dir. */
static int resolve_policy(struct ydoc *y, yaml_node_t *n, const char *dir, const char *str,
			  struct dmasim_policy *out, struct dmasim_error *err)
{
	char *rel = NULL;
	int rc;

	if (dmasim_policy_builtin(str)) {
		*out = *dmasim_policy_builtin(str);
		return DMASIM_OK;
	}
	if (!strchr(str, '/') && !strstr(str, ".yaml"))
		return dmasim__yerr(y, n, DMASIM_ESCHEMA,
			  "'%s' is neither a built-in policy (%s) nor a policy file",
			  str, dmasim__policy_names_text());
	if (!(rc = file_ref(y, n, dir, "policy", str, &rel)))
		rc = dmasim_policy_load_limited(rel, &y->lim, out, err);
	free(rel);
	return rc;
}

/*
 * The suite's policies: `policy: X` (one), `policies: [X, ...]` (1 to
 * SUITE_MAX_POLICIES, each once), or neither (the default).  Results name
 * a `policies` entry as it is written (it is also its expect key), and the
 * one of `policy` by the policy's own name, as they always have.
 */
static int load_policies(struct sload *l, yaml_node_t *one, yaml_node_t *many,
			 const char *dir, struct dmasim_error *err)
{
	struct dmasim_suite *s = l->s;
	struct ydoc *y = l->y;
	char ex[DMASIM_YEXCERPT_SIZE];
	size_t n = many ? dmasim__yseq_len(many) : 1, i, j;
	const char *str;
	int rc;

	if (one && many)
		return dmasim__yerr(y, many, DMASIM_ESCHEMA,
			"a suite names one policy with 'policy' (line %u) or several with 'policies', not both",
			dmasim__ypos(one).line);
	if (many && (rc = dmasim__yseq(y, many, "policies")))
		return rc;
	if (many && n == 0)
		return dmasim__yerr(y, many, DMASIM_ESCHEMA,
			"policies lists no policy; name at least one, or leave the key out for the default (%s)",
			dmasim_policy_default()->name);
	if (n > SUITE_MAX_POLICIES)
		return dmasim__yerr(y, dmasim__yseq_at(y, many, SUITE_MAX_POLICIES), DMASIM_ESCHEMA,
			"policies lists more than %d policies", SUITE_MAX_POLICIES);
	if (!(s->policies = keep_array(l, n, sizeof(*s->policies))) ||
	    !(s->pkeys = keep_array(l, n, sizeof(*s->pkeys))) ||
	    !(s->pnames = keep_array(l, n, sizeof(*s->pnames))))
		return dmasim__yerr(y, many ? many : one ? one : dmasim__ydoc_root(y),
				    DMASIM_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		yaml_node_t *item = many ? dmasim__yseq_at(y, many, i) : one;

		if (!item) {
			s->policies[0] = *dmasim_policy_default();
			str = s->policies[0].name;
		} else if ((rc = dmasim__ystr(y, item, many ? "a policy" : "policy", &str)) ||
			   (rc = resolve_policy(y, item, dir, str, &s->policies[i], err))) {
			return rc;
		}
		for (j = 0; j < i; j++) {
			yaml_node_t *prev = dmasim__yseq_at(y, many, j);
			const struct dmasim_policy *b = dmasim_policy_builtin(str);

			if (strcmp(s->pkeys[j], str) == 0)
				return dmasim__yerr(y, item, DMASIM_ESCHEMA,
					"the policy '%s' is listed twice (first at line %u, column %u)",
					dmasim__yexcerpt(ex, str), dmasim__ypos(prev).line,
					dmasim__ypos(prev).column);
			if (b && b == dmasim_policy_builtin(s->pkeys[j]))
				return dmasim__yerr(y, item, DMASIM_ESCHEMA,
					"'%s' is the built-in policy '%s' again (line %u, column %u)",
					str, s->pkeys[j], dmasim__ypos(prev).line,
					dmasim__ypos(prev).column);
		}
		if (!(s->pkeys[i] = keep(l, str)) ||
		    !(s->pnames[i] = many ? s->pkeys[i] : keep(l, s->policies[i].name)))
			return dmasim__yerr(y, item ? item : dmasim__ydoc_root(y), DMASIM_ENOMEM,
					    "out of memory");
	}
	s->npolicies = n;
	return DMASIM_OK;
}

/* The suite in @y, loaded from @path (its directory resolves the files it
 * names); frees @y. */
static int load_suite_doc(struct ydoc *y, const char *path,
			  struct dmasim_suite **out, struct dmasim_error *err)
{
	static const char *const keys[] = { "dmasim", "topology", "policy", "cases",
					    "policies", NULL };
	struct dmasim_suite *s;
	struct sload l;
	yaml_node_t *root, *v[5];
	char *dir = NULL, *rel = NULL;
	const char *str;
	uint64_t version;
	size_t i;
	int rc;

	s = calloc(1, sizeof(*s));
	if (!s || !(s->file = strdup(path))) {
		free(s);
		dmasim__ydoc_fini(y);
		return dmasim_error_set(err, DMASIM_ENOMEM, path, 0, 0, "out of memory");
	}
	l.y = y;
	l.s = s;
	root = dmasim__ydoc_root(y);
	if (!(dir = dir_of(path))) {
		rc = dmasim_error_set(err, DMASIM_ENOMEM, path, 0, 0, "out of memory");
		goto fail;
	}
	if ((rc = dmasim__ymap(y, root, "the suite", keys, v)) ||
	    (rc = dmasim__yrequire(y, root, v[0], "a suite", "dmasim")) ||
	    (rc = dmasim__yu64(y, v[0], "dmasim (format version)", &version)))
		goto fail;
	if (version != 1) {
		rc = dmasim__yerr(y, v[0], DMASIM_ESCHEMA,
			  "format version %llu is not supported; this dmasim reads version 1",
			  (unsigned long long)version);
		goto fail;
	}
	if ((rc = dmasim__yrequire(y, root, v[1], "a suite", "topology")) ||
	    (rc = dmasim__yrequire(y, root, v[3], "a suite", "cases")))
		goto fail;
	if (v[1]->type == YAML_MAPPING_NODE) {
		rc = dmasim__topo_load_node(y, v[1], path, &s->topo);
	} else {
		if ((rc = dmasim__ystr(y, v[1], "topology", &str)) ||
		    (rc = file_ref(y, v[1], dir, "topology", str, &rel)))
			goto fail;
		rc = dmasim_topo_load_file_limited(rel, &y->lim, &s->topo, err);
		if (rc == DMASIM_EIO) {
			dmasim_error_init(err);
			rc = dmasim__yerr(y, v[1], DMASIM_EIO, "cannot read the topology %s", rel);
		}
	}
	if (rc)
		goto fail;
	if ((rc = load_policies(&l, v[2], v[4], dir, err)))
		goto fail;
	if ((rc = dmasim__yseq(y, v[3], "cases")) || (rc = check_aliases(y, v[3])))
		goto fail;
	s->ncases = dmasim__yseq_len(v[3]);
	if (s->ncases > y->lim.cases) {
		rc = dmasim__yerr(y, dmasim__yseq_at(y, v[3], y->lim.cases), DMASIM_ELIMIT,
			  "more than %u cases (raise the limit with --limit cases=N)",
			  (unsigned)y->lim.cases);
		s->ncases = 0;
		goto fail;
	}
	s->cases = calloc(s->ncases + 1, sizeof(*s->cases));
	if (!s->cases) {
		rc = dmasim_error_set(err, DMASIM_ENOMEM, path, 0, 0, "out of memory");
		goto fail;
	}
	for (i = 0; i < s->ncases; i++)
		if ((rc = load_case(&l, dmasim__yseq_at(y, v[3], i), i)))
			goto fail;
	dmasim__ydoc_fini(y);
	free(dir);
	free(rel);
	*out = s;
	return DMASIM_OK;
fail:
	dmasim__ydoc_fini(y);
	free(dir);
	free(rel);
	dmasim_suite_destroy(s);
	return rc;
}

int dmasim_suite_load_file_limited(const char *path,
				   const struct dmasim_limits *lim,
				   struct dmasim_suite **out,
				   struct dmasim_error *err)
{
	struct ydoc y;
	int rc;

	if (!path || !out)
		return dmasim_error_set(err, DMASIM_EINVAL, path, 0, 0,
					"no path or no output given");
	if ((rc = dmasim__ydoc_load_file(&y, path, lim, err)))
		return rc;
	return load_suite_doc(&y, path, out, err);
}

int dmasim_suite_load_file(const char *path, struct dmasim_suite **out,
			   struct dmasim_error *err)
{
	return dmasim_suite_load_file_limited(path, NULL, out, err);
}

int dmasim_suite_load_string(const char *text, size_t len, const char *name,
			     const struct dmasim_limits *lim,
			     struct dmasim_suite **out, struct dmasim_error *err)
{
	struct ydoc y;
	int rc;

	if (!out)
		return dmasim_error_set(err, DMASIM_EINVAL, name, 0, 0, "no output given");
	if ((rc = dmasim__ydoc_load_string(&y, text, len, name, lim, err)))
		return rc;
	return load_suite_doc(&y, y.file, out, err);
}

void dmasim_suite_destroy(struct dmasim_suite *s)
{
	size_t i;

	if (!s)
		return;
	dmasim_topo_destroy(s->topo);
	for (i = 0; i < s->nstrs; i++)
		free(s->strs[i]);
	free(s->strs);
	free(s->cases);
	free(s->file);
	free(s);
}

/*
 * Decide from the first top-level key that tells them apart, reading YAML
 * events only until then: `cases`, `topology` and `policies` are suite
 * keys; `policy` is a suite's when its value is a name and a policy
 * file's when it is a mapping; `arch`, `host_bridges`, `cpu`, `ram`, `msi`
 * and `iommus` are topology keys.  A file of any size is recognised after
 * a few events.
 */
static enum dmasim_file_kind key_kind(const char *k)
{
	static const char *const suite[] = { "cases", "topology", "policies" };
	static const char *const topo[] = { "arch", "host_bridges", "cpu", "ram",
					    "msi", "iommus" };
	size_t i;

	for (i = 0; i < sizeof(suite) / sizeof(suite[0]); i++)
		if (strcmp(k, suite[i]) == 0)
			return DMASIM_FILE_SUITE;
	for (i = 0; i < sizeof(topo) / sizeof(topo[0]); i++)
		if (strcmp(k, topo[i]) == 0)
			return DMASIM_FILE_TOPOLOGY;
	return DMASIM_FILE_UNKNOWN;
}

/* The kind the first telling top-level key gives (key_kind()). */
static enum dmasim_file_kind sniff(yaml_parser_t *parser)
{
	enum dmasim_file_kind kind = DMASIM_FILE_UNKNOWN;
	yaml_event_t ev;
	int depth = 0;
	bool want_key = false, done = false, policy_key = false;

	while (!done && kind == DMASIM_FILE_UNKNOWN && yaml_parser_parse(parser, &ev)) {
		if (policy_key && depth == 1)
			kind = ev.type == YAML_MAPPING_START_EVENT ? DMASIM_FILE_POLICY
								   : DMASIM_FILE_SUITE;
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			/* A collection as a top-level value: skip it. */
			if (depth == 1 && !want_key)
				want_key = true;
			depth++;
			if (depth == 1)
				want_key = ev.type == YAML_MAPPING_START_EVENT;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			done = depth == 0;
			break;
		case YAML_SCALAR_EVENT:
			if (depth == 1 && want_key) {
				const char *k = (const char *)ev.data.scalar.value;
				policy_key = strcmp(k, "policy") == 0;
				kind = key_kind(k);
			}
			if (depth == 1)
				want_key = !want_key;
			break;
		case YAML_ALIAS_EVENT:
			if (depth == 1)
				want_key = !want_key;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	return kind;
}

/* libyaml reads a file through this: brackets too deep stop it before
 * they cost it quadratic time (ynode.h, struct yflow). */
struct sniff_file {
	FILE *f;
	struct yflow flow;
};

static int sniff_read(void *data, unsigned char *buf, size_t size, size_t *n)
{
	struct sniff_file *sf = data;

	*n = fread(buf, 1, size, sf->f);
	return !ferror(sf->f) && dmasim__yflow_feed(&sf->flow, (const char *)buf, *n);
}

enum dmasim_file_kind dmasim_file_kind_of(const char *path)
{
	enum dmasim_file_kind kind;
	struct sniff_file sf;
	yaml_parser_t parser;
	struct stat st;

	/* Only regular files: a FIFO would block (a pipe's text is sniffed
	 * with dmasim_file_kind_of_text() once read), and devices, sockets
	 * and directories are not opened at all. */
	if (!path || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    dmasim__input_open(path, UINT64_MAX, &sf.f, NULL))
		return DMASIM_FILE_UNKNOWN;
	if (!yaml_parser_initialize(&parser)) {
		fclose(sf.f);
		return DMASIM_FILE_UNKNOWN;
	}
	dmasim__yflow_init(&sf.flow, DMASIM_LIMIT_DEPTH);
	yaml_parser_set_input(&parser, sniff_read, &sf);
	kind = sniff(&parser);
	yaml_parser_delete(&parser);
	fclose(sf.f);
	return kind;
}

enum dmasim_file_kind dmasim_file_kind_of_text(const char *text, size_t len)
{
	enum dmasim_file_kind kind;
	yaml_parser_t parser;
	struct yflow flow;

	dmasim__yflow_init(&flow, DMASIM_LIMIT_DEPTH);
	if (!text || !dmasim__yflow_feed(&flow, text, len) || !yaml_parser_initialize(&parser))
		return DMASIM_FILE_UNKNOWN;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	kind = sniff(&parser);
	yaml_parser_delete(&parser);
	return kind;
}

bool dmasim_suite_is_suite_file(const char *path)
{
	return dmasim_file_kind_of(path) == DMASIM_FILE_SUITE;
}

bool dmasim_suite_is_suite_text(const char *text, size_t len)
{
	return dmasim_file_kind_of_text(text, len) == DMASIM_FILE_SUITE;
}

const char *dmasim_file_kind_name(enum dmasim_file_kind kind)
{
	static const char *const names[] = { "unknown", "suite", "topology", "policy" };

	return (unsigned)kind < 4 ? names[kind] : "unknown";
}

size_t dmasim_suite_ncases(const struct dmasim_suite *s) { return s->ncases; }
const char *dmasim_suite_file(const struct dmasim_suite *s) { return s->file; }
const struct dmasim_topo *dmasim_suite_topo(const struct dmasim_suite *s) { return s->topo; }
const struct dmasim_policy *dmasim_suite_policy(const struct dmasim_suite *s) { return &s->policies[0]; }
size_t dmasim_suite_npolicies(const struct dmasim_suite *s) { return s->npolicies; }

const struct dmasim_policy *dmasim_suite_policy_at(const struct dmasim_suite *s, size_t i)
{
	return i < s->npolicies ? &s->policies[i] : NULL;
}

const char *dmasim_suite_policy_name(const struct dmasim_suite *s, size_t i)
{
	return i < s->npolicies ? s->pnames[i] : NULL;
}

bool dmasim_suite_case_runs(const struct dmasim_suite *s, size_t c, size_t p)
{
	return c < s->ncases && p < s->npolicies && (s->cases[c].runs & (1u << p));
}
