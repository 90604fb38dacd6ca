/*
 * dmasim -- suites: a topology, a policy and a list of cases with
 * expectations (docs/suite.md), run in order with shared IOMMU state.
 */
#ifndef DMASIM_SCENARIO_H
#define DMASIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include "dmasim/dma.h"
#include "dmasim/error.h"
#include "dmasim/limits.h"
#include "dmasim/p2pdma.h"
#include "dmasim/policy.h"
#include "dmasim/topology.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dmasim_suite;

/**
 * dmasim_suite_load_file() - load a suite, its topology and its policy.
 * Device names, targets and expectations are all resolved here, so that a
 * mistake is reported with its file:line:column before anything runs.
 * @out: a new suite (caller frees with dmasim_suite_destroy()).
 */
DMASIM_API int dmasim_suite_load_file(const char *path,
				      struct dmasim_suite **out,
				      struct dmasim_error *err);
/** dmasim_suite_load_file_limited() - the same within @lim (NULL: the
 *  defaults of limits.h); the topology and policy files it names are read
 *  within @lim too. */
DMASIM_API int dmasim_suite_load_file_limited(const char *path,
					      const struct dmasim_limits *lim,
					      struct dmasim_suite **out,
					      struct dmasim_error *err);
/**
 * dmasim_suite_load_string() - a suite's text from memory.
 * @name: the "file" name in error positions; the files the suite names
 *        are found relative to its directory
 */
DMASIM_API int dmasim_suite_load_string(const char *text, size_t len,
					const char *name,
					const struct dmasim_limits *lim,
					struct dmasim_suite **out,
					struct dmasim_error *err);
DMASIM_API void dmasim_suite_destroy(struct dmasim_suite *suite);

/**
 * enum dmasim_file_kind - what a dmasim YAML file holds, told by its first
 * telling top-level key (docs/suite.md, "Telling files apart").
 * @DMASIM_FILE_SUITE:    `cases`, `topology`, `policies`, or `policy` with
 *                        a name as its value
 * @DMASIM_FILE_TOPOLOGY: `arch`, `host_bridges`, `cpu`, `ram`, `msi` or
 *                        `iommus`
 * @DMASIM_FILE_POLICY:   `policy` with a mapping as its value
 * @DMASIM_FILE_UNKNOWN:  none of those, or not readable as YAML
 */
enum dmasim_file_kind {
	DMASIM_FILE_UNKNOWN,
	DMASIM_FILE_SUITE,
	DMASIM_FILE_TOPOLOGY,
	DMASIM_FILE_POLICY,
};

/** dmasim_file_kind_of() - the kind of the regular file @path (anything
 *  else, a FIFO included, is not opened: DMASIM_FILE_UNKNOWN). */
DMASIM_API enum dmasim_file_kind dmasim_file_kind_of(const char *path);
/** dmasim_file_kind_of_text() - the same for a text in memory. */
DMASIM_API enum dmasim_file_kind dmasim_file_kind_of_text(const char *text, size_t len);
/** "unknown", "suite", "topology", "policy". */
DMASIM_API const char *dmasim_file_kind_name(enum dmasim_file_kind kind);

/** dmasim_suite_is_suite_file() - true when @path is a regular file that
 *  holds a suite (dmasim_file_kind_of()). */
DMASIM_API bool dmasim_suite_is_suite_file(const char *path);
/** dmasim_suite_is_suite_text() - the same for a text in memory (a pipe's
 *  contents, which cannot be read twice). */
DMASIM_API bool dmasim_suite_is_suite_text(const char *text, size_t len);

DMASIM_API size_t dmasim_suite_ncases(const struct dmasim_suite *suite);
DMASIM_API const char *dmasim_suite_file(const struct dmasim_suite *suite);
DMASIM_API const struct dmasim_topo *
dmasim_suite_topo(const struct dmasim_suite *suite);
/** dmasim_suite_policy() - the suite's first (often only) policy. */
DMASIM_API const struct dmasim_policy *
dmasim_suite_policy(const struct dmasim_suite *suite);
/** dmasim_suite_npolicies() - how many policies the suite runs its cases
 *  under (`policies:`; 1 for `policy:` or neither). */
DMASIM_API size_t dmasim_suite_npolicies(const struct dmasim_suite *suite);
/** dmasim_suite_policy_at() - the suite's policy @i (NULL past the end). */
DMASIM_API const struct dmasim_policy *
dmasim_suite_policy_at(const struct dmasim_suite *suite, size_t i);
/** dmasim_suite_policy_name() - policy @i as results name it: a
 *  `policies:` entry as the suite writes it, the policy's own name for
 *  `policy:` (NULL past the end). */
DMASIM_API const char *dmasim_suite_policy_name(const struct dmasim_suite *suite,
						size_t i);
/** dmasim_suite_case_runs() - does case @c run under policy @p (a case's
 *  `policies:` may leave some out)? */
DMASIM_API bool dmasim_suite_case_runs(const struct dmasim_suite *suite, size_t c,
				       size_t p);

/** The outcome of one case under one policy. */
struct dmasim_case_result {
	size_t index;            /**< 0-based position in the suite */
	char name[160];          /**< the case name (truncated) */
	const char *kind;        /**< "p2p", "map_resource", ... (static) */
	unsigned line;           /**< where the case starts */
	bool passed;
	char got[512];           /**< what came out, one line per key */
	char failures[1024];     /**< "key: expected X, got Y" lines */
	char log[1024];          /**< kernel-style messages printed */
	const char *policy;      /**< the policy, as dmasim_suite_policy_name()
				      names it (valid during the callback) */
	size_t policy_index;     /**< its position among the suite's policies */
	bool skipped;            /**< not run: the case's `policies:` leaves this
				      policy out; @passed is then false */
};

typedef void (*dmasim_case_fn)(const struct dmasim_case_result *r, void *arg);

/**
 * dmasim_suite_run() - under each of the suite's policies in turn, run
 * every case in order, calling @fn after each (also for a case that does
 * not run under that policy: r->skipped).  Under each policy the cases
 * share one fresh DMA context: mappings made by earlier cases stay until
 * an unmap case gives them back.
 * @failed: out, the number of (case, policy) runs whose expectation failed.
 * Returns: DMASIM_OK, or an error when the run could not be done (ENOMEM).
 */
DMASIM_API int dmasim_suite_run(struct dmasim_suite *suite, dmasim_case_fn fn,
				void *arg, size_t *failed,
				struct dmasim_error *err);

/* ---- soundness: audit, matrix and diff ------------------------------ */

/**
 * enum dmasim_verdict - a policy's answer judged against the hardware.
 * @DMASIM_VERDICT_SOUND:        the DMA lands on its target, or it is refused
 *                               and no address would reach the target
 * @DMASIM_VERDICT_UNSOUND:      allowed, and the DMA lands elsewhere
 * @DMASIM_VERDICT_CONSERVATIVE: refused, while some address the client could
 *                               be given (the target's bus address, its CPU
 *                               address, an IOVA) is routed to the target
 */
enum dmasim_verdict {
	DMASIM_VERDICT_SOUND,
	DMASIM_VERDICT_UNSOUND,
	DMASIM_VERDICT_CONSERVATIVE,
	DMASIM_VERDICT_COUNT
};

/** "sound", "unsound", "conservative". */
DMASIM_API const char *dmasim_verdict_name(enum dmasim_verdict v);

/**
 * dmasim_verdict_of() - judge one mapping result: ok -> sound,
 * invalid-address -> unsound, refused -> conservative when the hardware
 * could reach the target some other way, else sound.
 */
DMASIM_API enum dmasim_verdict
dmasim_verdict_of(const struct dmasim_topo *topo,
		  const struct dmasim_dma_result *res);

/** One provider/client pair under one policy. */
struct dmasim_pair_report {
	const struct dmasim_device *provider, *client;
	enum dmasim_map_type map_type;
	int distance;
	bool mapped;                 /**< the provider has p2pmem: mapped 4 KiB */
	enum dmasim_verdict verdict; /**< meaningful when @mapped */
	enum dmasim_dma_path path;
	dmasim_dma_addr_t dma_addr;
	bool mapping_error;
	bool routed;
	struct dmasim_landing landed;
	enum dmasim_fault fault;     /**< DMASIM_FAULT_NONE when it landed right */
};

/**
 * dmasim_pair_report() - the policy's decision for @provider -> @client,
 * and, when the provider offers p2pmem, 4 KiB of it mapped for the client
 * in a fresh DMA context and verified through the fabric.
 */
DMASIM_API int dmasim_pair_report(const struct dmasim_topo *topo,
				  const struct dmasim_policy *policy,
				  const struct dmasim_device *provider,
				  const struct dmasim_device *client,
				  struct dmasim_pair_report *out,
				  struct dmasim_error *err);

#ifdef __cplusplus
}
#endif
#endif
