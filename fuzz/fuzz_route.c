/*
 * Fuzz the operations on a fuzzed topology: the input is a topology's
 * YAML, a NUL byte, then operations (one opcode byte, two device bytes,
 * eight address bytes each).  Properties:
 *  - the indexed common-upstream and map-type queries (the fast path of
 *    flags 0 and the verbose one) agree with the kernel's literal walks
 *    (DMASIM_P2P_NAIVE) on every pair asked;
 *  - a route records at most DMASIM_ROUTE_MAX_HOPS hops, lands or faults;
 *  - dma_map_resource, the P2P map, unmap and the pair report answer
 *    (OK or an error with a message) and never crash, leak or hang.
 */
#include <stdbool.h>
#include <string.h>

#include "dmasim/dmasim.h"
#include "fuzz.h"

struct ops {
	const uint8_t *p;
	size_t n;
};

static uint8_t byte(struct ops *o)
{
	uint8_t b = 0;

	if (o->n) {
		b = *o->p++;
		o->n--;
	}
	return b;
}

static uint64_t u64(struct ops *o)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | byte(o);
	return v;
}

static const struct dmasim_device *dev(const struct dmasim_machine *m, struct ops *o)
{
	return &m->devices[byte(o) % m->ndevices];
}

/* The map type three ways: flags 0 (the label or table fast path, no
 * log), verbose (the indexed walk with the kernel's warnings) and verbose
 * naive (the kernel's literal walks): the same type, distance and, for the
 * two that print them, warnings. */
static void check_queries(const struct dmasim_topo *t, const struct dmasim_policy *p,
			  const struct dmasim_device *a, const struct dmasim_device *b)
{
	struct dmasim_log l1, l2;
	int d0 = 0, d1 = 0, d2 = 0;
	enum dmasim_map_type m0, m1, m2;

	FUZZ_CHECK(dmasim_p2p_upstream(t, p, a, b, 0) ==
		   dmasim_p2p_upstream(t, p, a, b, DMASIM_P2P_NAIVE),
		   "upstream of %s and %s: index and walk differ", a->bdf, b->bdf);
	dmasim_log_init(&l1);
	dmasim_log_init(&l2);
	m0 = dmasim_p2p_map_type(t, p, a, b, &d0, 0, NULL);
	m1 = dmasim_p2p_map_type(t, p, a, b, &d1, DMASIM_P2P_VERBOSE, &l1);
	m2 = dmasim_p2p_map_type(t, p, a, b, &d2, DMASIM_P2P_VERBOSE | DMASIM_P2P_NAIVE, &l2);
	FUZZ_CHECK(m0 == m2 && d0 == d2 && m1 == m2 && d1 == d2 && strcmp(l1.text, l2.text) == 0,
		   "map type of %s -> %s under %s: %s/%d fast, %s/%d indexed, %s/%d walked; warnings:\n%s---\n%s",
		   a->bdf, b->bdf, p->name, dmasim_map_type_name(m0), d0,
		   dmasim_map_type_name(m1), d1, dmasim_map_type_name(m2), d2, l1.text, l2.text);
}

static void run_ops(const struct dmasim_topo *t, struct ops *o)
{
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	const char *const *names = dmasim_policy_builtin_names();
	const struct dmasim_policy *p;
	struct dmasim_dma_ctx *ctx = NULL;
	struct dmasim_dma_result *res = malloc(sizeof(*res));
	struct dmasim_route *route = malloc(sizeof(*route));
	struct dmasim_pair_report rep;
	struct dmasim_landing land;
	struct dmasim_error err;
	dmasim_dma_addr_t last = 0;
	const struct dmasim_device *last_dev = NULL;
	size_t npol, nops = 0;
	int rc;

	for (npol = 0; names[npol]; npol++)
		;
	p = dmasim_policy_builtin(names[byte(o) % npol]);
	dmasim_error_init(&err);
	FUZZ_CHECK(res && route, "out of memory");
	rc = dmasim_dma_ctx_create(t, p, &ctx, &err);
	FUZZ_CHECK(rc == DMASIM_OK, "dma ctx: %s", err.msg);
	while (o->n && nops++ < 64) {
		uint8_t op = byte(o);
		const struct dmasim_device *a = dev(m, o), *b = dev(m, o);
		uint64_t addr = u64(o);

		dmasim_error_init(&err);
		switch (op % 7) {
		case 0:
			check_queries(t, p, a, b);
			break;
		case 1: {
			uint64_t size = 1 + (op >> 3);
			bool wraps = addr + (size - 1) < addr;

			rc = dmasim_route(t, dmasim_dma_ctx_pt(ctx), a, addr, size,
					  op & 0x80, route);
			/* EINVAL exactly for a request that wraps past 2^64 */
			FUZZ_CHECK(wraps ? rc == DMASIM_EINVAL :
				   rc == DMASIM_OK && route->nhops <= DMASIM_ROUTE_MAX_HOPS,
				   "route from %s to 0x%llx+%llu: rc %d, %zu hops", a->bdf,
				   (unsigned long long)addr, (unsigned long long)size, rc,
				   route->nhops);
			break;
		}
		case 2:
			rc = dmasim_dma_map_resource(ctx, a, addr, 1 + (op >> 3),
						     DMASIM_DMA_BIDIRECTIONAL, res, &err);
			FUZZ_CHECK(rc == DMASIM_OK || err.msg[0], "map_resource %d", rc);
			if (rc == DMASIM_OK && !res->mapping_error) {
				last = res->dma_addr;
				last_dev = a;
			}
			break;
		case 3:
			rc = dmasim_dma_p2p_map(ctx, a, b, addr % 0x100000, 1 + (op >> 3),
						res, &err);
			FUZZ_CHECK(rc == DMASIM_OK || err.msg[0], "p2p_map %d", rc);
			if (rc == DMASIM_OK && !res->mapping_error) {
				last = res->dma_addr;
				last_dev = b;
			}
			break;
		case 4:
			if (last_dev) {
				rc = dmasim_dma_unmap_resource(ctx, last_dev, last, &err);
				FUZZ_CHECK(rc == DMASIM_OK || err.msg[0], "unmap %d", rc);
				last_dev = NULL;
			}
			break;
		case 5:
			rc = dmasim_pair_report(t, p, a, b, &rep, &err);
			FUZZ_CHECK(rc == DMASIM_OK || err.msg[0], "pair report %d", rc);
			break;
		default:
			rc = dmasim_decode_cpu(t, addr, 1 + (op >> 3), &land);
			FUZZ_CHECK(rc == DMASIM_OK || rc == DMASIM_EINVAL, "decode %d", rc);
			break;
		}
	}
	dmasim_dma_ctx_destroy(ctx);
	free(res);
	free(route);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dmasim_limits lim = FUZZ_LIMITS;
	const uint8_t *nul = memchr(data, '\0', size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	struct ops o = { nul ? nul + 1 : data + size, nul ? size - tlen - 1 : 0 };
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	int rc;

	dmasim_error_init(&err);
	rc = dmasim_topo_load_string_limited((const char *)data, tlen, "fuzz.yaml", &lim,
					     &t, &err);
	if (rc != DMASIM_OK)
		return 0;
	if (dmasim_topo_machine(t)->ndevices)
		run_ops(t, &o);
	dmasim_topo_destroy(t);
	return 0;
}
