/*
 * dmasim -- errors as values.
 *
 * Every fallible call returns an int status (DMASIM_OK or a DMASIM_E* code)
 * and fills an optional struct dmasim_error, which may be NULL.  The library
 * never prints, never exits and never uses errno.
 */
#ifndef DMASIM_ERROR_H
#define DMASIM_ERROR_H

#include <stddef.h>
#include "dmasim/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes.  0 is success; everything else is an error. */
enum dmasim_status {
	DMASIM_OK = 0,
	DMASIM_ESYNTAX,   /**< the YAML (or dump) is not well-formed */
	DMASIM_ESCHEMA,   /**< a key, type or value the format does not allow */
	DMASIM_ETOPO,     /**< a topology rule is broken (bus, window, overlap) */
	DMASIM_EFAULT,    /**< a translation fault (IOMMU, window) */
	DMASIM_ENOMEM,    /**< out of memory */
	DMASIM_EIO,       /**< a file could not be read or written */
	DMASIM_EINVAL,    /**< a bad argument from the caller */
	DMASIM_ENOTFOUND, /**< a named device, BAR or mapping does not exist */
	DMASIM_ELIMIT,    /**< a resource limit was exceeded (limits.h) */
};

/**
 * struct dmasim_error - what went wrong and where.
 *
 * Fixed buffers: filling one never allocates.  @line and @column are
 * 1-based, 0 meaning unknown.  @ctx_* name an enclosing construct ("while
 * loading device 'gpu0'" started there).  The first error set wins until
 * dmasim_error_init() resets it.
 */
struct dmasim_error {
	int code;              /**< enum dmasim_status */
	char file[128];        /**< source file, left-truncated with "..." */
	unsigned line, column; /**< 1-based; 0 = unknown */
	unsigned ctx_line, ctx_column;
	char ctx[64];
	char msg[256];         /**< one sentence, no trailing newline */
};

/** dmasim_error_init() - reset @err (NULL is allowed). */
DMASIM_API void dmasim_error_init(struct dmasim_error *err);

/**
 * dmasim_error_set() - record an error unless one is already recorded.
 * @err:  may be NULL (then this only returns @code)
 * @code: enum dmasim_status
 * @file: source file or NULL; @line, @column 1-based or 0
 * Returns: @code, so that callers can write `return dmasim_error_set(...)`.
 */
DMASIM_API int dmasim_error_set(struct dmasim_error *err, int code,
				const char *file, unsigned line,
				unsigned column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/**
 * dmasim_error_snprintf() - format as "file:line:column: error: msg".
 * Parts that are unknown are left out.  Returns the would-be length.
 */
DMASIM_API int dmasim_error_snprintf(char *buf, size_t size,
				     const struct dmasim_error *err);

/** dmasim_strerror() - a static string naming @code; never NULL. */
DMASIM_API const char *dmasim_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
