/* dmasim -- streaming JSON writer (src/util/jw.h). */
#include <string.h>

#include "util/jw.h"

void dmasim__jw_init(struct jw *w, FILE *f, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->pretty = pretty;
	w->first[0] = true;
}

static void indent(struct jw *w)
{
	int i;

	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

static void value_prefix(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
	if (w->depth > 0)
		indent(w);
}

static void open(struct jw *w, char c)
{
	value_prefix(w);
	fputc(c, w->f);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void close(struct jw *w, char c)
{
	bool empty = w->first[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	fputc(c, w->f);
}

void dmasim__jw_obj_begin(struct jw *w) { open(w, '{'); }
void dmasim__jw_obj_end(struct jw *w) { close(w, '}'); }
void dmasim__jw_arr_begin(struct jw *w) { open(w, '['); }
void dmasim__jw_arr_end(struct jw *w) { close(w, ']'); }

size_t dmasim__utf8_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* A JSON string: control characters escaped, and every byte that is not
 * part of valid UTF-8 (a file name from a non-UTF-8 locale) written as
 * U+FFFD, so that the document always parses (docs/json.md). */
static void write_string(FILE *f, const char *s)
{
	fputc('"', f);
	while (*s) {
		unsigned char c = (unsigned char)*s;
		size_t n = dmasim__utf8_len(s);

		if (n == 0) {
			fputs("\\ufffd", f);
			s++;
			continue;
		}
		if (n > 1)
			fwrite(s, 1, n, f);
		else if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
		s += n;
	}
	fputc('"', f);
}

void dmasim__jw_key(struct jw *w, const char *key)
{
	value_prefix(w);
	write_string(w->f, key);
	fputs(w->pretty ? ": " : ":", w->f);
	w->after_key = true;
}

void dmasim__jw_str(struct jw *w, const char *s)
{
	value_prefix(w);
	if (s)
		write_string(w->f, s);
	else
		fputs("null", w->f);
}

void dmasim__jw_int(struct jw *w, long long v)
{
	value_prefix(w);
	fprintf(w->f, "%lld", v);
}

void dmasim__jw_u64(struct jw *w, uint64_t v)
{
	value_prefix(w);
	fprintf(w->f, "%llu", (unsigned long long)v);
}

void dmasim__jw_hex(struct jw *w, uint64_t v)
{
	value_prefix(w);
	fprintf(w->f, "\"0x%llx\"", (unsigned long long)v);
}

void dmasim__jw_bool(struct jw *w, bool v)
{
	value_prefix(w);
	fputs(v ? "true" : "false", w->f);
}

void dmasim__jw_null(struct jw *w)
{
	value_prefix(w);
	fputs("null", w->f);
}

void dmasim__jw_kstr(struct jw *w, const char *k, const char *s) { dmasim__jw_key(w, k); dmasim__jw_str(w, s); }
void dmasim__jw_kint(struct jw *w, const char *k, long long v) { dmasim__jw_key(w, k); dmasim__jw_int(w, v); }
void dmasim__jw_khex(struct jw *w, const char *k, uint64_t v) { dmasim__jw_key(w, k); dmasim__jw_hex(w, v); }
void dmasim__jw_kbool(struct jw *w, const char *k, bool v) { dmasim__jw_key(w, k); dmasim__jw_bool(w, v); }

void dmasim__jw_end(struct jw *w)
{
	fputc('\n', w->f);
}
