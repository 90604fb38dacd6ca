/* dmasim -- errors as values (include/dmasim/error.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dmasim/error.h"

void dmasim_error_init(struct dmasim_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

/* Copy @src into @dst, keeping its tail and marking a cut with "...". */
static void copy_left_truncated(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len < size) {
		memcpy(dst, src, len + 1);
		return;
	}
	memcpy(dst, "...", 3);
	memcpy(dst + 3, src + len - (size - 4), size - 4);
	dst[size - 1] = '\0';
}

int dmasim_error_set(struct dmasim_error *err, int code, const char *file,
		     unsigned line, unsigned column, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code != DMASIM_OK)
		return code;
	err->code = code;
	err->line = line;
	err->column = column;
	if (file)
		copy_left_truncated(err->file, sizeof(err->file), file);
	else
		err->file[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int dmasim_error_snprintf(char *buf, size_t size,
			  const struct dmasim_error *err)
{
	if (err->file[0] && err->line)
		return snprintf(buf, size, "%s:%u:%u: error: %s", err->file,
				err->line, err->column, err->msg);
	if (err->file[0])
		return snprintf(buf, size, "%s: error: %s", err->file,
				err->msg);
	return snprintf(buf, size, "error: %s", err->msg);
}

static const char *const status_names[] = {
	[DMASIM_OK] = "success",
	[DMASIM_ESYNTAX] = "syntax error",
	[DMASIM_ESCHEMA] = "schema error",
	[DMASIM_ETOPO] = "topology error",
	[DMASIM_EFAULT] = "translation fault",
	[DMASIM_ENOMEM] = "out of memory",
	[DMASIM_EIO] = "input/output error",
	[DMASIM_EINVAL] = "invalid argument",
	[DMASIM_ENOTFOUND] = "not found",
	[DMASIM_ELIMIT] = "limit exceeded",
};

const char *dmasim_strerror(int code)
{
	if (code < 0 || (size_t)code >= sizeof(status_names) / sizeof(status_names[0]))
		return "unknown error";
	return status_names[code];
}
