/*
 * dmasim-bench -- dma_map_resource + dma_unmap_resource pairs (dma.h): a
 * requester maps a page of another endpoint's BAR 0 and gives it back.
 * Through the IOMMU when the requester's domain translates, which is what
 * the generated topologies set; dmasim_dma_map_resource() also routes the
 * new mapping through the fabric to verify it, so one pair is an IOVA
 * allocation, a page-table insert, a route, a page-table remove and an
 * IOVA free.  Built without dma.h (an older tree) the column says n/a.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#if defined(__has_include)
#if __has_include("dmasim/dma.h")
#define HAVE_DMA 1
#endif
#endif

#ifdef HAVE_DMA
#include "dmasim/dma.h"

struct dma_bench {
	struct dmasim_dma_ctx *ctx;
	const struct dmasim_device **dev;
	dmasim_phys_addr_t *phys;
	size_t n;
	struct dmasim_dma_result *res; /* one, reused (it holds a route and a log) */
};

static uint64_t op_map_unmap(const void *c_, size_t passes)
{
	const struct dma_bench *c = c_;
	uint64_t sum = 0;
	size_t p, i;

	for (p = 0; p < passes; p++)
		for (i = 0; i < c->n; i++) {
			dmasim_dma_map_resource(c->ctx, c->dev[i], c->phys[i], 4096,
						DMASIM_DMA_BIDIRECTIONAL, c->res, NULL);
			sum += c->res->dma_addr;
			if (!c->res->mapping_error)
				dmasim_dma_unmap_resource(c->ctx, c->dev[i],
							  c->res->dma_addr, NULL);
		}
	return sum;
}

double bench_dma_run(const struct dmasim_topo *t, const struct sample *s,
		     bench_time_fn timer, const void *opts, size_t *ok)
{
	struct dma_bench c;
	double ns = NAN;
	uint64_t rng = 0xd3a;
	size_t i;

	memset(&c, 0, sizeof(c));
	*ok = 0;
	if (dmasim_dma_ctx_create(t, s->pol, &c.ctx, NULL) != DMASIM_OK)
		return NAN;
	c.dev = malloc(s->npairs * sizeof(*c.dev));
	c.phys = malloc(s->npairs * sizeof(*c.phys));
	c.res = malloc(sizeof(*c.res));
	if (!c.dev || !c.phys || !c.res)
		goto out;
	for (i = 0; i < s->npairs; i++) {
		const struct dmasim_device *to = s->b[i];
		if (!to->nbars)
			continue;
		c.dev[c.n] = s->a[i];
		c.phys[c.n] = to->bars[0].cpu +
			((bench_rnd(&rng) % to->bars[0].size) & ~(uint64_t)0xfff);
		c.n++;
	}
	/* check once: how many map, land where they should, and unmap */
	for (i = 0; i < c.n; i++) {
		dmasim_dma_map_resource(c.ctx, c.dev[i], c.phys[i], 4096,
					DMASIM_DMA_BIDIRECTIONAL, c.res, NULL);
		if (c.res->verdict == DMASIM_DMA_VERDICT_OK)
			(*ok)++;
		if (!c.res->mapping_error)
			dmasim_dma_unmap_resource(c.ctx, c.dev[i], c.res->dma_addr, NULL);
	}
	if (c.n) {
		struct bench_op op = { op_map_unmap, &c, c.n };
		ns = timer(&op, opts);
	}
out:
	free(c.dev);
	free(c.phys);
	free(c.res);
	dmasim_dma_ctx_destroy(c.ctx);
	return ns;
}

#else /* !HAVE_DMA */

double bench_dma_run(const struct dmasim_topo *t, const struct sample *s,
		     bench_time_fn timer, const void *opts, size_t *ok)
{
	(void)t, (void)s, (void)timer, (void)opts;
	*ok = 0;
	return NAN;
}

#endif
