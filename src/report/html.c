/* dmasim report -- small HTML and text helpers shared by the page's parts. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

void rep_esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

const char *rep_map_class(enum dmasim_map_type t)
{
	return t == DMASIM_MAP_BUS_ADDR ? "b"
	       : t == DMASIM_MAP_THRU_HOST_BRIDGE ? "h" : "n";
}

void rep_size_text(char *buf, size_t size, uint64_t v)
{
	static const char sfx[] = "KMGTPE";
	int i = -1;

	if (v == 0 || v % 1024) {
		snprintf(buf, size, "0x%" PRIx64, v);
		return;
	}
	while (v % 1024 == 0 && i < 5) {
		v /= 1024;
		i++;
	}
	snprintf(buf, size, "%" PRIu64 "%c", v, sfx[i]);
}

void rep_json_script(FILE *f, const char *id, const char *json, size_t len)
{
	size_t i;

	fprintf(f, "<script type=\"application/json\" id=\"%s\">", id);
	for (i = 0; i < len; i++) {
		if (json[i] == '<')
			fputs("\\u003c", f);
		else
			fputc(json[i], f);
	}
	fputs("</script>\n", f);
}
