/* dmasim -- private: load a topology from an already-parsed YAML node
 * (used by suites with an inline topology). */
#ifndef DMASIM_LOAD_TOPO_LOAD_H
#define DMASIM_LOAD_TOPO_LOAD_H

#include "load/ynode.h"

struct dmasim_topo;

/* @file names the topology in later errors (copied); the limits are
 * @y's. */
int dmasim__topo_load_node(struct ydoc *y, yaml_node_t *root, const char *file,
			   struct dmasim_topo **out);

/*
 * How the YAML of a topology is read: by the fast scanner (yfast.h) and,
 * when it gives up or the load fails in any way, again by libyaml, whose
 * result (model or error) is the one returned (AUTO, what the public
 * functions do); by libyaml only; or by the fast scanner only (failing
 * with DMASIM_ESYNTAX "outside the fast YAML subset" where AUTO would use
 * libyaml).  *@fast (may be NULL) tells whether the fast result was used.
 */
enum dmasim__yaml_how {
	DMASIM__YAML_AUTO,
	DMASIM__YAML_LIBYAML,
	DMASIM__YAML_FAST,
};

int dmasim__topo_load_string_how(const char *text, size_t len, const char *name,
				 enum dmasim__yaml_how how,
				 const struct dmasim_limits *lim,
				 struct dmasim_topo **out,
				 struct dmasim_error *err, bool *fast);
int dmasim__topo_load_file_how(const char *path, enum dmasim__yaml_how how,
			       const struct dmasim_limits *lim,
			       struct dmasim_topo **out,
			       struct dmasim_error *err, bool *fast);

#endif
