/*
 * dmasim -- a caller-owned buffer for the kernel-style messages that the
 * algorithms print (pci_warn, dev_err_once, ...).  Fixed size: appending
 * never allocates; what does not fit is dropped and @truncated is set.
 */
#ifndef DMASIM_LOG_H
#define DMASIM_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include "dmasim/export.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dmasim_log {
	char text[4096]; /**< lines, each ending in '\n'; NUL-terminated */
	size_t len;
	unsigned nlines;
	bool truncated;
};

DMASIM_API void dmasim_log_init(struct dmasim_log *log);

/** dmasim_log_printf() - append one line (the '\n' is added); NULL log ok. */
DMASIM_API void dmasim_log_printf(struct dmasim_log *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** dmasim_log_contains() - true when some line contains @needle. */
DMASIM_API bool dmasim_log_contains(const struct dmasim_log *log,
				    const char *needle);

#ifdef __cplusplus
}
#endif
#endif
