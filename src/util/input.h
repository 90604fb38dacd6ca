/*
 * dmasim -- private: opening and reading input files within the limits
 * (limits.h): only regular files and pipes, and no more than
 * file_bytes of them.
 */
#ifndef DMASIM_UTIL_INPUT_H
#define DMASIM_UTIL_INPUT_H

#include <stdint.h>
#include <stdio.h>

#include "dmasim/error.h"

/*
 * dmasim__input_open() - open @path for reading.  A directory, a device or
 * a socket is refused (DMASIM_EIO), so is a regular file larger than
 * @max_bytes (DMASIM_ELIMIT); a pipe's size is only known by reading it,
 * which dmasim__input_read() checks.
 */
int dmasim__input_open(const char *path, uint64_t max_bytes, FILE **out,
		       struct dmasim_error *err);

/* dmasim__input_check() - the checks of dmasim__input_open() without
 * opening the file. */
int dmasim__input_check(const char *path, uint64_t max_bytes,
			struct dmasim_error *err);

/* The error for input beyond @max_bytes, naming the limit. */
int dmasim__input_too_large(const char *path, uint64_t max_bytes,
			    struct dmasim_error *err);

/*
 * dmasim__input_read() - all of @path in a new NUL-terminated buffer
 * (caller frees), at most @max_bytes of it.
 */
int dmasim__input_read(const char *path, uint64_t max_bytes, char **buf,
		       size_t *len, struct dmasim_error *err);

#endif
