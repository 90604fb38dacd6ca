/* dmasim -- kernel-style message buffer (include/dmasim/log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dmasim/log.h"

void dmasim_log_init(struct dmasim_log *log)
{
	if (log)
		memset(log, 0, sizeof(*log));
}

void dmasim_log_printf(struct dmasim_log *log, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	size_t n;

	if (!log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	if (log->len + n + 2 > sizeof(log->text)) {
		log->truncated = true;
		return;
	}
	memcpy(log->text + log->len, line, n);
	log->len += n;
	log->text[log->len++] = '\n';
	log->text[log->len] = '\0';
	log->nlines++;
}

bool dmasim_log_contains(const struct dmasim_log *log, const char *needle)
{
	return log && strstr(log->text, needle) != NULL;
}
