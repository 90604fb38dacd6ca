/* dmasim -- private: load a topology from an already-parsed YAML node
 * (used by suites with an inline topology). */
#ifndef DMASIM_LOAD_TOPO_LOAD_H
#define DMASIM_LOAD_TOPO_LOAD_H

#include "load/ynode.h"

struct dmasim_topo;

/* @file names the topology in later errors (copied). */
int dmasim__topo_load_node(struct ydoc *y, yaml_node_t *root, const char *file,
			   struct dmasim_topo **out);

#endif
