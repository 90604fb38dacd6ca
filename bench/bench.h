/*
 * dmasim-bench -- private: what the parts of the bench share.
 */
#ifndef DMASIM_BENCH_H
#define DMASIM_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dmasim/dmasim.h"

/* One timed operation: @fn runs @passes passes of @per_pass operations
 * over its sample and returns a checksum. */
struct bench_op {
	uint64_t (*fn)(const void *ctx, size_t passes);
	const void *ctx;
	size_t per_pass;
};

/* Median ns per operation (warm-up, calibration, o->runs runs). */
typedef double (*bench_time_fn)(const struct bench_op *op, const void *opts);
double bench_time(const struct bench_op *op, const void *opts);

uint64_t bench_rnd(uint64_t *state); /* splitmix64 */
uint64_t bench_now_ns(void);         /* CLOCK_MONOTONIC */
int bench_cmp_size(const void *a, const void *b);

/* The pair sample every lookup is timed on. */
struct sample {
	const struct dmasim_topo *t;
	const struct dmasim_policy *pol;
	const struct dmasim_device **eps;    /* all endpoints, by id */
	size_t neps;
	size_t *hb_first;                    /* endpoints of hb h: [first[h], first[h+1]) */
	const struct dmasim_device **a, **b; /* the pairs */
	size_t npairs;
};

/* hwloc_peer.c: export @t to hwloc XML, load it with hwloc and time
 * hwloc_get_common_ancestor_obj on the pairs (those it can answer). */
struct bench_hwloc_result {
	double ns;          /* NAN when not run */
	double load_ms;     /* hwloc_topology_load of the XML */
	size_t pairs;       /* pairs timed */
	size_t mismatches;  /* ancestor != dmasim_p2p_upstream */
	const char *note;   /* why not run, or a caveat; may be NULL */
};
void bench_hwloc_run(const struct dmasim_topo *t,
		     const struct dmasim_device *const *a,
		     const struct dmasim_device *const *b, size_t n,
		     bench_time_fn timer, const void *opts,
		     struct bench_hwloc_result *out);

/* dma.c: dma_map_resource + dma_unmap_resource pairs through the IOMMU;
 * median ns per pair, NAN when the DMA layer is not in this build; @ok:
 * how many of the sample's mappings were verified as landing right. */
double bench_dma_run(const struct dmasim_topo *t, const struct sample *s,
		     bench_time_fn timer, const void *opts, size_t *ok);

#endif
