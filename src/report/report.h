/* dmasim report -- private to `dmasim report` (src/cli/cmd_report.c): the
 * pieces of the self-contained HTML page (docs/report.md). */
#ifndef DMASIM_REPORT_H
#define DMASIM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/cli.h"
#include "dmasim/dmasim.h"

/* One machine of the page: a loaded topology and the endpoints shown. */
struct rep_machine {
	unsigned index;                      /* position on the page: ids t<index>-... */
	const char *file;                    /* as given on the command line */
	struct dmasim_topo *topo;
	const struct dmasim_device **eps;    /* all endpoints, pre-order */
	size_t neps;
	size_t nshow;                        /* the first nshow are in the matrices */
	const char *tree_policy;             /* the policy whose `ctrl: auto` ACS
						words the tree shows */
};

/* The decisions of one policy on one machine: nshow x nshow cells, row =
 * provider, column = client (as `dmasim matrix`), and which of them rest
 * on values the topology marks inferred (cli_inferred_path(), as `dmasim
 * matrix` marks them '*').  Off the diagonal, also the verdict on 4 KiB of
 * the provider's p2pmem mapped for the client and written, as `dmasim
 * diff` judges a pair (dmasim_pair_report()), and whether that answer
 * rests on inferred values as `dmasim diff` marks a change '*'. */
#define REP_UNMAPPED  (-1)   /* verdict: no p2pmem on the provider, or the diagonal */
#define REP_NO_REPORT (-2)   /* verdict: the mapping failed; `dmasim diff` skips the pair */
struct rep_grid {
	const struct dmasim_policy *policy;
	const char *arg;                     /* --policy as given */
	enum dmasim_map_type *map;
	int *dist;
	bool *inf;
	size_t ninf;                         /* cells with inf set */
	signed char *verdict;                /* enum dmasim_verdict, REP_UNMAPPED
						or REP_NO_REPORT */
	bool *pinf;                          /* map type, mapping or landing rest
						on inferred values (cli_inferred_pair(),
						cli_inferred_landing()) */
	struct cli_inferred_tally tally;     /* each value, how many cells */
};

/* html.c */
/* Write @s HTML-escaped (& < > " '). */
void rep_esc(FILE *f, const char *s);
/* The short CSS class of a map type: "b", "h" or "n". */
const char *rep_map_class(enum dmasim_map_type t);
/* "16M", "4K", "0x1234" (sizes that are no whole KiB). */
void rep_size_text(char *buf, size_t size, uint64_t v);
/* Copy the JSON text in @json (@len bytes) into @f inside
 * <script type="application/json" id="@id">, with '<' escaped so that no
 * string can close the element. */
void rep_json_script(FILE *f, const char *id, const char *json, size_t len);

/* tree.c: the machine as an SVG tree in the style of lstopo, each value
 * the topology marks inferred marked. */
void rep_tree_svg(FILE *f, const struct rep_machine *m);
/* Does any object of @mc mark a value inferred (docs/topology.md)? */
bool rep_machine_inferred(const struct dmasim_machine *mc);

/* matrix.c */
/* Fill @g for @m's shown endpoints; false when out of memory.  The
 * topology must have @policy applied (dmasim_topo_apply_policy()). */
bool rep_grid_fill(struct rep_grid *g, const struct rep_machine *m,
		   const struct dmasim_policy *policy);
void rep_grid_free(struct rep_grid *g);
/* The static matrix table of one policy (with nvidia-smi codes, hidden
 * until the page's toggle asks for them); cells resting on inferred
 * values marked '*', and those values listed below it with their counts. */
void rep_matrix_html(FILE *f, const struct rep_machine *m,
		     const struct rep_grid *g, unsigned pi);
/* The diff of @b against @a as `dmasim diff --all` computes it on the
 * shown endpoints: the ordered pairs of two different endpoints whose map
 * type, distance or verdict changes, each "OLD -> NEW" (and '*' when
 * either answer rests on an inferred value), and a summary in pairs. */
void rep_diff_html(FILE *f, const struct rep_machine *m,
		   const struct rep_grid *a, const struct rep_grid *b);
/* The machine's data for the details panel, as a JSON script element:
 * devices, endpoints and, per policy and cell, the reasoning and the
 * P2P mapping's route, the inferred values both rest on, each policy's
 * with its own `ctrl: auto` ACS words
 * (applies each policy to the topology in turn).  Returns false when out
 * of memory or a policy cannot be applied. */
bool rep_details_json(FILE *f, const struct rep_machine *m,
		      const struct rep_grid *grids, size_t ngrids);

/* suite.c: run the suite at @path and write its results as a section;
 * returns the number of failed cases, or -1 when it could not be loaded or
 * run (the error is in the section and on stderr). */
int rep_suite_html(FILE *f, const char *path, const struct dmasim_limits *lim,
		   unsigned index);

/* The page's stylesheet and script (report.css, report.js, embedded at
 * build time by embed.cmake). */
extern const char dmasim_report_css[];
extern const char dmasim_report_js[];

#endif
