/*
 * dmasim -- private: a YAML document (libyaml's node API) with schema
 * helpers that turn every mistake into an error at file:line:column.
 * Shared by the topology, policy and suite loaders.
 */
#ifndef DMASIM_LOAD_YNODE_H
#define DMASIM_LOAD_YNODE_H

#include <stdbool.h>
#include <stdint.h>
#include <yaml.h>

#include "dmasim/error.h"
#include "dmasim/limits.h"
#include "dmasim/topology.h"

struct yctx;

struct ydoc {
	yaml_document_t doc;
	bool loaded;
	const char *file;          /* borrowed */
	struct dmasim_error *err;  /* borrowed, may be NULL */
	struct dmasim_limits lim;  /* resolved (no zero fields) */
};

/* Parse @text (one YAML document) within @lim (NULL: defaults): nesting
 * deeper than lim->depth is an error.  @file (NULL: "<string>") names it
 * in errors and is kept, borrowed, in y->file.  On failure nothing needs
 * freeing. */
int dmasim__ydoc_load_string(struct ydoc *y, const char *text, size_t len,
		     const char *file, const struct dmasim_limits *lim,
		     struct dmasim_error *err);
/* Read and parse a file of at most lim->file_bytes. */
int dmasim__ydoc_load_file(struct ydoc *y, const char *path,
			   const struct dmasim_limits *lim, struct dmasim_error *err);
/*
 * Flow brackets counted over raw text, before libyaml reads it: libyaml
 * spends time proportional to the flow nesting on every token, so a deep
 * "[[[[..." costs quadratic time long before any event shows its depth.
 * Every '[' and '{' counts, ']' and '}' uncount, wherever they are
 * (comments and quoted scalars too: a count that is never below the real
 * nesting).  Fed in pieces; @over is set, with the position, when the
 * count exceeds @max.
 */
struct yflow {
	uint32_t max, depth;
	unsigned line, col;          /* of the next byte, 1-based */
	bool over;
	struct dmasim_pos at;        /* where the count first exceeded max */
};
void dmasim__yflow_init(struct yflow *f, uint32_t max);
/* Returns false once the count has exceeded max. */
bool dmasim__yflow_feed(struct yflow *f, const char *p, size_t n);
/* What every reading of a whole text checks first, in this order: its
 * size, NUL bytes, then brackets (@lim resolved). */
int dmasim__ytext_check(const char *text, size_t len, const char *file,
			const struct dmasim_limits *lim, struct dmasim_error *err);
/* The error for brackets nested deeper than @depth, at @pos. */
int dmasim__yflow_error(const struct yctx *c, struct dmasim_pos pos, uint32_t depth);

/* The error for a list or mapping nested deeper than @depth, at @pos. */
int dmasim__ydepth_error(const struct yctx *c, struct dmasim_pos pos, uint32_t depth);
void dmasim__ydoc_fini(struct ydoc *y);

yaml_node_t *dmasim__ydoc_root(struct ydoc *y);
struct dmasim_pos dmasim__ypos(const yaml_node_t *n);

/*
 * A value as error messages quote it: at most DMASIM_YEXCERPT_CHARS bytes
 * of @s, every byte outside printable ASCII (and the quote and backslash)
 * as \xNN, "..." when cut.  Messages never copy more of a file than this,
 * so a file that is no YAML of dmasim's (named by mistake or on purpose)
 * is not echoed.  Returns @buf.
 */
#define DMASIM_YEXCERPT_CHARS 40
#define DMASIM_YEXCERPT_SIZE (DMASIM_YEXCERPT_CHARS * 4 + 4)
const char *dmasim__yexcerpt(char buf[DMASIM_YEXCERPT_SIZE], const char *s);

/* Record an error at @n (or at no position when @n is NULL). */
int dmasim__yerr(struct ydoc *y, const yaml_node_t *n, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * dmasim__ymap() - check that @n is a mapping whose keys are all in @keys (a
 * NULL-terminated list), none twice; out[i] receives the value of keys[i]
 * or NULL.  @what names the construct in messages ("device", "BAR").
 */
int dmasim__ymap(struct ydoc *y, yaml_node_t *n, const char *what,
	 const char *const *keys, yaml_node_t **out);
/* Error unless @val is present: "<what> needs '<key>'", at @map. */
int dmasim__yrequire(struct ydoc *y, const yaml_node_t *map, const yaml_node_t *val,
	     const char *what, const char *key);

int dmasim__yseq(struct ydoc *y, yaml_node_t *n, const char *what);
size_t dmasim__yseq_len(const yaml_node_t *n);
yaml_node_t *dmasim__yseq_at(struct ydoc *y, const yaml_node_t *n, size_t i);

bool dmasim__yis_scalar(const yaml_node_t *n);
const char *dmasim__yscalar(const yaml_node_t *n); /* NULL unless a scalar */
int dmasim__ystr(struct ydoc *y, yaml_node_t *n, const char *what, const char **out);
int dmasim__yu64(struct ydoc *y, yaml_node_t *n, const char *what, uint64_t *out);
int dmasim__yu64_max(struct ydoc *y, yaml_node_t *n, const char *what, uint64_t max,
	     uint64_t *out);
int dmasim__ybool(struct ydoc *y, yaml_node_t *n, const char *what, bool *out);
int dmasim__yenum(struct ydoc *y, yaml_node_t *n, const char *what,
	  const char *const *names, size_t count, int *out);
/* { base, size }: size > 0, no wrap past 2^64. */
int dmasim__yrange(struct ydoc *y, yaml_node_t *n, const char *what,
	   struct dmasim_range *out);

/*
 * ---- Values apart from where they come from ---------------------------
 *
 * The checks above take a document node; the streaming topology loader has
 * only events.  Both describe a value as a struct yval (its kind, the text
 * of a scalar, its position) and call the yv_* functions below, so every
 * message is written once.
 */
enum ykind {
	YK_NONE,    /* nothing (also: the end of the stream) */
	YK_SCALAR,
	YK_SEQ,     /* a list (as an event: its start) */
	YK_MAP,     /* a mapping (as an event: its start) */
	YK_END,     /* as an event: the end of the innermost list or mapping */
};

struct yval {
	enum ykind kind;
	const char *s;           /* scalars: NUL-terminated text; else NULL */
	size_t len;              /* scalars: length of s (NULs make it differ) */
	struct dmasim_pos pos;   /* where the value starts */
};

/* Where errors go: the file name in messages and the error to fill. */
struct yctx {
	const char *file;
	struct dmasim_error *err;
};

struct yval dmasim__ynode_val(const yaml_node_t *n);
const char *dmasim__ykind_word(enum ykind k);   /* "a scalar", "a list", ... */
int dmasim__yv_err(const struct yctx *c, struct dmasim_pos pos, int code,
	   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The string of @keys (NULL-terminated) closest to @s when it is close
 * enough to be a typo of it (the "did you mean" of unknown keys), or NULL. */
const char *dmasim__yclosest(const char *s, const char *const *keys);
/* A mapping key: a scalar listed in @keys (NULL-terminated); sets *idx. */
int dmasim__yv_key(const struct yctx *c, const struct yval *k, const char *what,
	   const char *const *keys, size_t *idx);
/* "duplicate key" at @k; @first_line is where the first value was. */
int dmasim__yv_dup_key(const struct yctx *c, const struct yval *k, const char *what,
	       unsigned first_line);
int dmasim__yv_require(const struct yctx *c, struct dmasim_pos map, bool present,
	       const char *what, const char *key);
int dmasim__yv_map(const struct yctx *c, const struct yval *v, const char *what);
int dmasim__yv_seq(const struct yctx *c, const struct yval *v, const char *what);
int dmasim__yv_str(const struct yctx *c, const struct yval *v, const char *what,
	   const char **out);
int dmasim__yv_u64_max(const struct yctx *c, const struct yval *v, const char *what,
	       uint64_t max, uint64_t *out);
int dmasim__yv_bool(const struct yctx *c, const struct yval *v, const char *what,
	    bool *out);
int dmasim__yv_enum(const struct yctx *c, const struct yval *v, const char *what,
	    const char *const *names, size_t count, int *out);
/* The checks of yrange on a parsed { base, size } (@map: the mapping,
 * @size_pos: its size value). */
int dmasim__yv_range_check(const struct yctx *c, struct dmasim_pos map,
		   struct dmasim_pos size_pos, const char *what,
		   const struct dmasim_range *r);

/*
 * ---- A YAML event stream ---------------------------------------------
 *
 * One document as a stream of struct yval events (YK_SCALAR, YK_SEQ,
 * YK_MAP, YK_END), read either from libyaml's parser (a file or a string;
 * nothing but the current event is kept), from the fast scanner of
 * dmasim's YAML subset (yfast.h), or by walking a node of a loaded
 * document.  Aliases are replayed as the events of their anchor, so the
 * reader sees what the document API would have built.  Errors of the
 * stream itself (syntax, anchors, a second document, NUL bytes, I/O) go
 * to the stream's own error; ystream_finish() decides which error wins,
 * the same way dmasim__ydoc_load_string() does: the stream's, then the reader's.
 */
struct ystream;

/* A stream over a file (read as it is parsed), a string, or @root of an
 * already-loaded document (whose file and error are @y's). */
int dmasim__ystream_open_file(struct ystream **out, const char *path,
		      const struct dmasim_limits *lim, struct dmasim_error *err);
int dmasim__ystream_open_string(struct ystream **out, const char *text, size_t len,
			const char *file, const struct dmasim_limits *lim,
			struct dmasim_error *err);
int dmasim__ystream_open_node(struct ystream **out, struct ydoc *y, yaml_node_t *root);
/*
 * A stream from the fast scanner (yfast.h) over @text or a regular file:
 * the events libyaml's would give, as long as the text stays in dmasim's
 * subset of YAML.  Outside it the stream fails (dmasim__ystream_failed());
 * the caller must then read the text again from the start with libyaml
 * and report what that reports: errors of a fast stream mean nothing.
 * Opening a file that is not a regular file fails at once.  A text is
 * taken as given: the caller has run dmasim__ytext_check() on it.
 */
int dmasim__ystream_open_fast_string(struct ystream **out, const char *text,
				     size_t len, const char *file,
				     const struct dmasim_limits *lim,
				     struct dmasim_error *err);
int dmasim__ystream_open_fast_file(struct ystream **out, const char *path,
				   const struct dmasim_limits *lim,
				   struct dmasim_error *err);
/* The limits the stream was opened with (resolved). */
const struct dmasim_limits *dmasim__ystream_limits(const struct ystream *s);
/* The context the reader must report its own errors to. */
const struct yctx *dmasim__ystream_ctx(const struct ystream *s);
/* The next event; its text stays valid until the next call.  The first
 * event is the root; after the root's last event comes YK_NONE. */
int dmasim__ystream_next(struct ystream *s, struct yval *ev);
/* Skip the rest of the list or mapping whose start was just returned. */
int dmasim__ystream_skip(struct ystream *s);
/* How many lists and mappings are open; skip until only @depth are. */
size_t dmasim__ystream_depth(const struct ystream *s);
int dmasim__ystream_skip_to(struct ystream *s, size_t depth);
/* True once the stream itself failed (nothing more can be read). */
bool dmasim__ystream_failed(const struct ystream *s);
/* Finish: read what is left (when @rc, the reader's status, is an error,
 * only to find errors that come first), then report the winning error to
 * the caller's error.  Frees @s.  Returns the final status. */
int dmasim__ystream_close(struct ystream *s, int rc);

#endif
