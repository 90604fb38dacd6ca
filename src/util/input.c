/*
 * dmasim -- reading input files within the file-size limit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/input.h"

static const char *kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

int dmasim__input_too_large(const char *path, uint64_t max_bytes,
			    struct dmasim_error *err)
{
	return dmasim_error_set(err, DMASIM_ELIMIT, path, 0, 0,
		"the file is larger than the limit of %llu bytes (raise it with --limit file-bytes=N)",
		(unsigned long long)max_bytes);
}

int dmasim__input_check(const char *path, uint64_t max_bytes,
			struct dmasim_error *err)
{
	struct stat st;

	/* stat first: opening a device may have effects of its own. */
	if (stat(path, &st) != 0)
		return dmasim_error_set(err, DMASIM_EIO, path, 0, 0,
					"cannot open: %s", strerror(errno));
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		return dmasim_error_set(err, DMASIM_EIO, path, 0, 0,
			"cannot read: it is %s, not a file or a pipe", kind_of(st.st_mode));
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_bytes)
		return dmasim__input_too_large(path, max_bytes, err);
	return DMASIM_OK;
}

int dmasim__input_open(const char *path, uint64_t max_bytes, FILE **out,
		       struct dmasim_error *err)
{
	FILE *f;
	int rc;

	*out = NULL;
	if ((rc = dmasim__input_check(path, max_bytes, err)))
		return rc;
	f = fopen(path, "rb");
	if (!f)
		return dmasim_error_set(err, DMASIM_EIO, path, 0, 0,
					"cannot open: %s", strerror(errno));
	*out = f;
	return DMASIM_OK;
}

int dmasim__input_read(const char *path, uint64_t max_bytes, char **buf,
		       size_t *len, struct dmasim_error *err)
{
	char *b = NULL, *nb;
	size_t n = 0, cap = 0, got;
	FILE *f;
	int rc;

	if ((rc = dmasim__input_open(path, max_bytes, &f, err)))
		return rc;
	for (;;) {
		if (cap - n < 65536) {
			size_t ncap = cap ? cap * 2 : 131072;
			if (!(nb = realloc(b, ncap + 1))) {
				rc = dmasim_error_set(err, DMASIM_ENOMEM, path, 0, 0,
						      "out of memory");
				goto fail;
			}
			b = nb;
			cap = ncap;
		}
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if ((uint64_t)n > max_bytes) {
			rc = dmasim__input_too_large(path, max_bytes, err);
			goto fail;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = dmasim_error_set(err, DMASIM_EIO, path, 0, 0, "cannot read: %s",
				      strerror(errno));
		goto fail;
	}
	fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return DMASIM_OK;
fail:
	fclose(f);
	free(b);
	return rc;
}
