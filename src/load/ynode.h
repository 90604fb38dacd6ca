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
#include "dmasim/topology.h"

struct ydoc {
	yaml_document_t doc;
	bool loaded;
	const char *file;          /* borrowed */
	struct dmasim_error *err;  /* borrowed, may be NULL */
};

/* Parse @text (one YAML document).  On failure nothing needs freeing. */
int ydoc_load_string(struct ydoc *y, const char *text, size_t len,
		     const char *file, struct dmasim_error *err);
/* Read and parse a file. */
int ydoc_load_file(struct ydoc *y, const char *path, struct dmasim_error *err);
void ydoc_fini(struct ydoc *y);

yaml_node_t *ydoc_root(struct ydoc *y);
struct dmasim_pos ypos(const yaml_node_t *n);

/* Record an error at @n (or at no position when @n is NULL). */
int yerr(struct ydoc *y, const yaml_node_t *n, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * ymap() - check that @n is a mapping whose keys are all in @keys (a
 * NULL-terminated list), none twice; out[i] receives the value of keys[i]
 * or NULL.  @what names the construct in messages ("device", "BAR").
 */
int ymap(struct ydoc *y, yaml_node_t *n, const char *what,
	 const char *const *keys, yaml_node_t **out);
/* Error unless @val is present: "<what> needs '<key>'", at @map. */
int yrequire(struct ydoc *y, const yaml_node_t *map, const yaml_node_t *val,
	     const char *what, const char *key);

int yseq(struct ydoc *y, yaml_node_t *n, const char *what);
size_t yseq_len(const yaml_node_t *n);
yaml_node_t *yseq_at(struct ydoc *y, const yaml_node_t *n, size_t i);

bool yis_scalar(const yaml_node_t *n);
const char *yscalar(const yaml_node_t *n); /* NULL unless a scalar */
int ystr(struct ydoc *y, yaml_node_t *n, const char *what, const char **out);
int yu64(struct ydoc *y, yaml_node_t *n, const char *what, uint64_t *out);
int yu64_max(struct ydoc *y, yaml_node_t *n, const char *what, uint64_t max,
	     uint64_t *out);
int ybool(struct ydoc *y, yaml_node_t *n, const char *what, bool *out);
int yenum(struct ydoc *y, yaml_node_t *n, const char *what,
	  const char *const *names, size_t count, int *out);
/* { base, size }: size > 0, no wrap past 2^64. */
int yrange(struct ydoc *y, yaml_node_t *n, const char *what,
	   struct dmasim_range *out);

#endif
