/*
 * dmasim -- loading topologies from YAML (docs/topology.md).
 *
 * Every rule of the format is checked at load; the first violation is
 * returned as an error carrying file:line:column.  Unknown keys, duplicate
 * keys, wrong types, 64-bit overflow and wrapping ranges are errors.
 */
#ifndef DMASIM_LOAD_H
#define DMASIM_LOAD_H

#include <stddef.h>
#include "dmasim/error.h"
#include "dmasim/limits.h"
#include "dmasim/topology.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * dmasim_topo_load_file() - load a topology file.
 * @path: borrowed
 * @out:  set to a new topology (caller frees with dmasim_topo_destroy())
 *        on success; untouched on failure
 * Returns: DMASIM_OK or an error code with @err filled.
 */
DMASIM_API int dmasim_topo_load_file(const char *path,
				     struct dmasim_topo **out,
				     struct dmasim_error *err);

/**
 * dmasim_topo_load_string() - load a topology from memory.
 * @text, @len: borrowed YAML text
 * @name: the "file" name used in error positions (borrowed)
 */
DMASIM_API int dmasim_topo_load_string(const char *text, size_t len,
				       const char *name,
				       struct dmasim_topo **out,
				       struct dmasim_error *err);

/**
 * dmasim_topo_load_file_limited(), dmasim_topo_load_string_limited() -
 * the same within @lim (NULL: the defaults of limits.h).  A file larger
 * than lim->file_bytes, nesting deeper than lim->depth, more than
 * lim->devices devices, a host-bridge list longer than lim->windows or
 * aliases expanding beyond lim->alias_events events fail with
 * DMASIM_ELIMIT at the position where the bound was crossed.
 */
DMASIM_API int dmasim_topo_load_file_limited(const char *path,
					     const struct dmasim_limits *lim,
					     struct dmasim_topo **out,
					     struct dmasim_error *err);
DMASIM_API int dmasim_topo_load_string_limited(const char *text, size_t len,
					       const char *name,
					       const struct dmasim_limits *lim,
					       struct dmasim_topo **out,
					       struct dmasim_error *err);

/**
 * dmasim_parse_u64() - a number as the formats write it: decimal or 0x-hex,
 * optionally followed by K, M, G or T (powers of 1024).
 * Returns: DMASIM_OK, or DMASIM_ESCHEMA on junk or 64-bit overflow.
 */
DMASIM_API int dmasim_parse_u64(const char *s, uint64_t *out);

/**
 * dmasim_parse_bdf() - "SSSS:BB:DD.F" or "BB:DD.F" (segment 0).
 */
DMASIM_API int dmasim_parse_bdf(const char *s, uint16_t *segment, uint8_t *bus,
				uint8_t *devfn);

#ifdef __cplusplus
}
#endif
#endif
