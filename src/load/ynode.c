/* dmasim -- YAML documents with schema checks (src/load/ynode.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/load.h"
#include "load/ynode.h"
#include "util/input.h"
#include "load/yfast.h"
#include "model/topo_int.h" /* dmasim__grow_raw */

/* libyaml's message, as "problem context (line N)" at the problem. */
static int yaml_message(struct dmasim_error *err, const char *file,
			const char *problem, yaml_mark_t m, const char *context,
			yaml_mark_t cm)
{
	if (!problem)
		problem = "malformed YAML";
	if (context)
		return dmasim_error_set(err, DMASIM_ESYNTAX, file,
					(unsigned)m.line + 1, (unsigned)m.column + 1,
					"%s %s (line %u)", problem, context,
					(unsigned)cm.line + 1);
	return dmasim_error_set(err, DMASIM_ESYNTAX, file, (unsigned)m.line + 1,
				(unsigned)m.column + 1, "%s", problem);
}

/* Characters (not UTF-8 continuation bytes) in [p, end). */
static unsigned chars_in(const unsigned char *p, const unsigned char *end);

/*
 * libyaml's reader (bad UTF-8, control characters) reports a byte offset
 * and no mark: the line and column of that byte, counted from the text
 * (@text, @len) or, for a file, by reading @f again from its start.
 */
static yaml_mark_t reader_mark(const yaml_parser_t *p, const char *text,
			       size_t len, FILE *f)
{
	yaml_mark_t m = p->problem_mark;
	const unsigned char *s = (const unsigned char *)text, *q, *nl, *last;
	unsigned char buf[4096];
	size_t off = p->problem_offset, seen = 0, n;
	unsigned line = 0, col = 0;

	if (p->error != YAML_READER_ERROR)
		return m;
	if (s) {
		if (off > len)
			off = len;
		for (q = s, last = s; (nl = memchr(q, '\n', (size_t)(s + off - q))); q = last)
			last = nl + 1, line++;
		m.line = line;
		m.column = chars_in(last, s + off);
		return m;
	}
	if (!f || fseek(f, 0, SEEK_SET) != 0)
		return m;
	/* Columns count characters: a line's continuation bytes are left
	 * out as the bytes go by. */
	while (seen < off && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (n > off - seen)
			n = off - seen;
		for (q = buf; q < buf + n; q++) {
			if (*q == '\n') {
				line++;
				col = 0;
			} else if ((*q & 0xc0) != 0x80) {
				col++;
			}
		}
		seen += n;
	}
	m.line = line;
	m.column = col;
	return m;
}

static int parser_error(struct dmasim_error *err, const char *file,
			const yaml_parser_t *p, const char *text, size_t len,
			FILE *f)
{
	return yaml_message(err, file, p->problem, reader_mark(p, text, len, f),
			    p->context, p->context_mark);
}

static int syntax_error(struct ydoc *y, yaml_parser_t *p, const char *text,
			size_t len)
{
	return parser_error(y->err, y->file, p, text, len, NULL);
}

int dmasim__ydepth_error(const struct yctx *c, struct dmasim_pos pos, uint32_t depth)
{
	return dmasim__yv_err(c, pos, DMASIM_ELIMIT,
		"lists and mappings nest more than %u deep (raise the limit with --limit depth=N)",
		(unsigned)depth);
}

void dmasim__yflow_init(struct yflow *f, uint32_t max)
{
	memset(f, 0, sizeof(*f));
	f->max = max;
	f->line = f->col = 1;
}

/* '[' and '{' open, ']' and '}' close; nothing else matters here. */
static const unsigned char flow_class[256] = {
	['['] = 1, ['{'] = 1, [']'] = 2, ['}'] = 2,
};

/* Characters (not UTF-8 continuation bytes) in [p, end). */
static unsigned chars_in(const unsigned char *p, const unsigned char *end)
{
	unsigned n = 0;

	for (; p < end; p++)
		n += (*p & 0xc0) != 0x80;
	return n;
}

/* The line and column of @to, from those of @from (f->line, f->col). */
static void flow_advance(struct yflow *f, const unsigned char *from,
			 const unsigned char *to)
{
	const unsigned char *nl, *last = NULL;

	while (from < to && (nl = memchr(from, '\n', (size_t)(to - from)))) {
		f->line++;
		last = from = nl + 1;
	}
	f->col = last ? 1 + chars_in(last, to) : f->col + chars_in(from, to);
}

/* One byte that flow_class[] says is a bracket, at @q; false once the
 * count is over the bound. */
static bool flow_byte(struct yflow *f, const unsigned char *s,
		      const unsigned char *q, uint32_t *depth)
{
	if (flow_class[*q] == 2) {
		if (*depth)
			(*depth)--;
	} else if (++*depth > f->max) {
		flow_advance(f, s, q);
		f->over = true;
		f->at.line = f->line;
		f->at.column = f->col;
		return false;
	}
	return true;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
/* The high bit of every byte of @v that may be a bracket: '[' ']' '{' '}'
 * are 0x5b 0x5d 0x7b 0x7d, so (b | 0x20) is 0x7b or 0x7d; the zero-byte
 * test marks every such byte (and sometimes a byte above one, which
 * flow_class[] then turns down). */
static uint64_t bracket_bits(uint64_t v)
{
	uint64_t x = v | (0x20 * ONES), a = x ^ (0x7b * ONES), b = x ^ (0x7d * ONES);

	return (((a - ONES) & ~a) | ((b - ONES) & ~b)) & HIGHS;
}
#endif

/* Only brackets are looked at, eight bytes at a time where the machine is
 * little-endian; lines and columns are counted with memchr, once a piece
 * (or at the bracket that goes too deep). */
bool dmasim__yflow_feed(struct yflow *f, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p, *end = s + n, *q = s;
	uint32_t depth = f->depth;

	if (f->over)
		return false;
#ifdef HIGHS
	for (; end - q >= 8; q += 8) {
		uint64_t v, m;

		memcpy(&v, q, 8);
		for (m = bracket_bits(v); m; m &= m - 1) {
			const unsigned char *b = q + (__builtin_ctzll(m) >> 3);

			if (flow_class[*b] && !flow_byte(f, s, b, &depth))
				goto over;
		}
	}
#endif
	for (; q < end; q++)
		if (flow_class[*q] && !flow_byte(f, s, q, &depth))
			goto over;
	f->depth = depth;
	flow_advance(f, s, end);
	return true;
over:
	f->depth = depth;
	return false;
}

int dmasim__yflow_error(const struct yctx *c, struct dmasim_pos pos, uint32_t depth)
{
	return dmasim__yv_err(c, pos, DMASIM_ELIMIT,
		"brackets nest more than %u deep (counted in the raw text; raise the limit with --limit depth=N)",
		(unsigned)depth);
}

/* The flow nesting of a whole text, before libyaml reads it. */
static int check_flow(const char *text, size_t len, const char *file, uint32_t depth,
		      struct dmasim_error *err)
{
	struct yctx c = { file, err };
	struct yflow f;

	dmasim__yflow_init(&f, depth);
	if (dmasim__yflow_feed(&f, text, len))
		return DMASIM_OK;
	return dmasim__yflow_error(&c, f.at, depth);
}

int dmasim__ytext_check(const char *text, size_t len, const char *file,
			const struct dmasim_limits *lim, struct dmasim_error *err)
{
	if (len > lim->file_bytes)
		return dmasim__input_too_large(file, lim->file_bytes, err);
	if (memchr(text, '\0', len))
		return dmasim_error_set(err, DMASIM_ESYNTAX, file, 0, 0,
					"the file contains a NUL byte");
	return check_flow(text, len, file, lim->depth, err);
}

/* libyaml's document loader has no bound on nesting: read the events
 * once, first, to find a list or mapping deeper than @depth.  Syntax
 * errors are left to the loader, which reports them. */
static int check_depth(const char *text, size_t len, const char *file,
		       uint32_t depth, struct dmasim_error *err)
{
	struct yctx c = { file, err };
	yaml_parser_t parser;
	yaml_event_t ev;
	size_t d = 0;
	int rc = DMASIM_OK;
	bool done = false;

	if (!yaml_parser_initialize(&parser))
		return dmasim_error_set(err, DMASIM_ENOMEM, file, 0, 0, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done && !rc && yaml_parser_parse(&parser, &ev)) {
		if (ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_MAPPING_START_EVENT) {
			if (++d > depth)
				rc = dmasim__ydepth_error(&c, (struct dmasim_pos){
					(unsigned)ev.start_mark.line + 1,
					(unsigned)ev.start_mark.column + 1 }, depth);
		} else if (ev.type == YAML_SEQUENCE_END_EVENT ||
			   ev.type == YAML_MAPPING_END_EVENT) {
			d--;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

int dmasim__ydoc_load_string(struct ydoc *y, const char *text, size_t len,
		     const char *file, const struct dmasim_limits *lim,
		     struct dmasim_error *err)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	int rc = DMASIM_OK;

	memset(y, 0, sizeof(*y));
	if (!text)
		return dmasim_error_set(err, DMASIM_EINVAL, file, 0, 0, "no text given");
	if (!file)
		file = "<string>";
	y->file = file;
	y->err = err;
	y->lim = dmasim_limits_resolve(lim);
	if ((rc = dmasim__ytext_check(text, len, file, &y->lim, err)) ||
	    (rc = check_depth(text, len, file, y->lim.depth, err)))
		return rc;
	if (!yaml_parser_initialize(&parser))
		return dmasim_error_set(err, DMASIM_ENOMEM, file, 0, 0,
					"out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		rc = syntax_error(y, &parser, text, len);
		yaml_parser_delete(&parser);
		return rc;
	}
	y->loaded = true;
	if (!yaml_document_get_root_node(&y->doc)) {
		rc = dmasim_error_set(err, DMASIM_ESCHEMA, file, 1, 1,
				      "the file is empty; expected a mapping");
	} else if (!yaml_parser_load(&parser, &extra)) {
		rc = syntax_error(y, &parser, text, len);
	} else {
		if (yaml_document_get_root_node(&extra)) {
			yaml_mark_t m = extra.start_mark;
			rc = dmasim_error_set(err, DMASIM_ESCHEMA, file,
					      (unsigned)m.line + 1,
					      (unsigned)m.column + 1,
					      "a second YAML document; expected exactly one");
		}
		yaml_document_delete(&extra);
	}
	yaml_parser_delete(&parser);
	if (rc)
		dmasim__ydoc_fini(y);
	return rc;
}

int dmasim__ydoc_load_file(struct ydoc *y, const char *path,
			   const struct dmasim_limits *lim, struct dmasim_error *err)
{
	struct dmasim_limits l = dmasim_limits_resolve(lim);
	char *buf;
	size_t len;
	int rc;

	memset(y, 0, sizeof(*y));
	if ((rc = dmasim__input_read(path, l.file_bytes, &buf, &len, err)))
		return rc;
	rc = dmasim__ydoc_load_string(y, buf, len, path, &l, err);
	free(buf);
	return rc;
}

void dmasim__ydoc_fini(struct ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
}

yaml_node_t *dmasim__ydoc_root(struct ydoc *y)
{
	return yaml_document_get_root_node(&y->doc);
}

struct dmasim_pos dmasim__ypos(const yaml_node_t *n)
{
	struct dmasim_pos p = { 0, 0 };

	if (n) {
		p.line = (unsigned)n->start_mark.line + 1;
		p.column = (unsigned)n->start_mark.column + 1;
	}
	return p;
}

const char *dmasim__yexcerpt(char buf[DMASIM_YEXCERPT_SIZE], const char *s)
{
	size_t i, n = 0;

	for (i = 0; s[i] && i < DMASIM_YEXCERPT_CHARS; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch >= 0x7f || ch == '\\' || ch == '\'')
			n += (size_t)snprintf(buf + n, 5, "\\x%02x", ch);
		else
			buf[n++] = (char)ch;
	}
	memcpy(buf + n, s[i] ? "..." : "", s[i] ? 4 : 1);
	return buf;
}

int dmasim__yerr(struct ydoc *y, const yaml_node_t *n, int code, const char *fmt, ...)
{
	struct dmasim_pos p = dmasim__ypos(n);
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dmasim_error_set(y->err, code, y->file, p.line, p.column, "%s",
				msg);
}

/* ---- values apart from where they come from -------------------------- */

struct yval dmasim__ynode_val(const yaml_node_t *n)
{
	struct yval v = { YK_NONE, NULL, 0, dmasim__ypos(n) };

	if (!n)
		return v;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		v.kind = YK_SCALAR;
		v.s = (const char *)n->data.scalar.value;
		v.len = n->data.scalar.length;
		break;
	case YAML_SEQUENCE_NODE:
		v.kind = YK_SEQ;
		break;
	case YAML_MAPPING_NODE:
		v.kind = YK_MAP;
		break;
	default:
		break;
	}
	return v;
}

static struct yctx yctx_of(const struct ydoc *y)
{
	struct yctx c = { y->file, y->err };

	return c;
}

const char *dmasim__ykind_word(enum ykind k)
{
	switch (k) {
	case YK_SCALAR:
		return "a scalar";
	case YK_SEQ:
		return "a list";
	case YK_MAP:
		return "a mapping";
	default:
		return "nothing";
	}
}

int dmasim__yv_err(const struct yctx *c, struct dmasim_pos pos, int code,
	   const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dmasim_error_set(c->err, code, c->file, pos.line, pos.column, "%s",
				msg);
}

/* Optimal string alignment distance between @a and @b (an adjacent swap
 * counts one edit); SIZE_MAX when either is longer than 63 bytes. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[64][64];

	if (la > 63 || lb > 63)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/* The key of @keys closest to @s, when it is close enough to be a typo:
 * one edit for keys of up to 4 characters, two for longer ones. */
static const char *closest_key(const char *s, const char *const *keys)
{
	const char *best = NULL;
	size_t bestd = SIZE_MAX, i;

	for (i = 0; keys[i]; i++) {
		size_t dist = edit_distance(s, keys[i]);
		size_t max = strlen(keys[i]) <= 4 ? 1 : 2;

		if (dist <= max && dist < bestd) {
			best = keys[i];
			bestd = dist;
		}
	}
	return best;
}

const char *dmasim__yclosest(const char *s, const char *const *keys)
{
	return closest_key(s, keys);
}

int dmasim__yv_key(const struct yctx *c, const struct yval *k, const char *what,
	   const char *const *keys, size_t *idx)
{
	char list[384], ex[DMASIM_YEXCERPT_SIZE];
	const char *near;
	size_t i, len = 0;

	if (k->kind != YK_SCALAR)
		return dmasim__yv_err(c, k->pos, DMASIM_ESCHEMA,
			      "a key of %s is %s; keys must be plain words",
			      what, dmasim__ykind_word(k->kind));
	for (i = 0; keys[i]; i++)
		if (k->s[0] == keys[i][0] && strcmp(k->s, keys[i]) == 0) {
			*idx = i;
			return DMASIM_OK;
		}
	list[0] = '\0';
	for (i = 0; keys[i] && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
					i ? ", " : "", keys[i]);
	if ((near = closest_key(k->s, keys)) != NULL)
		return dmasim__yv_err(c, k->pos, DMASIM_ESCHEMA,
			      "unknown key '%s' in %s; did you mean '%s'? Expected one of: %s",
			      dmasim__yexcerpt(ex, k->s), what, near, list);
	return dmasim__yv_err(c, k->pos, DMASIM_ESCHEMA,
		      "unknown key '%s' in %s; expected one of: %s",
		      dmasim__yexcerpt(ex, k->s), what, list);
}

int dmasim__yv_dup_key(const struct yctx *c, const struct yval *k, const char *what,
	       unsigned first_line)
{
	char ex[DMASIM_YEXCERPT_SIZE];

	return dmasim__yv_err(c, k->pos, DMASIM_ESCHEMA,
		      "duplicate key '%s' in %s (first at line %u)",
		      dmasim__yexcerpt(ex, k->s), what, first_line);
}

int dmasim__yv_require(const struct yctx *c, struct dmasim_pos map, bool present,
	       const char *what, const char *key)
{
	if (present)
		return DMASIM_OK;
	return dmasim__yv_err(c, map, DMASIM_ESCHEMA, "%s needs the key '%s'", what, key);
}

int dmasim__yv_map(const struct yctx *c, const struct yval *v, const char *what)
{
	if (v->kind != YK_MAP)
		return dmasim__yv_err(c, v->pos, DMASIM_ESCHEMA,
			      "expected a mapping for %s, found %s", what,
			      dmasim__ykind_word(v->kind));
	return DMASIM_OK;
}

int dmasim__yv_seq(const struct yctx *c, const struct yval *v, const char *what)
{
	if (v->kind != YK_SEQ)
		return dmasim__yv_err(c, v->pos, DMASIM_ESCHEMA,
			      "expected a list for %s, found %s", what,
			      dmasim__ykind_word(v->kind));
	return DMASIM_OK;
}

int dmasim__yv_str(const struct yctx *c, const struct yval *v, const char *what,
	   const char **out)
{
	if (v->kind != YK_SCALAR)
		return dmasim__yv_err(c, v->pos, DMASIM_ESCHEMA,
			      "expected a string for %s, found %s", what,
			      dmasim__ykind_word(v->kind));
	if (strlen(v->s) != v->len)
		return dmasim__yv_err(c, v->pos, DMASIM_ESCHEMA,
			      "%s contains a NUL character", what);
	if (!*v->s)
		return dmasim__yv_err(c, v->pos, DMASIM_ESCHEMA, "%s is empty", what);
	*out = v->s;
	return DMASIM_OK;
}

int dmasim__yv_u64_max(const struct yctx *c, const struct yval *v, const char *what,
	       uint64_t max, uint64_t *out)
{
	char ex[DMASIM_YEXCERPT_SIZE];
	uint64_t n;

	if (v->kind != YK_SCALAR)
		return dmasim__yv_err(c, v->pos, DMASIM_ESCHEMA,
			      "expected a number for %s, found %s", what,
			      dmasim__ykind_word(v->kind));
	if (dmasim_parse_u64(v->s, &n) != DMASIM_OK)
		return dmasim__yv_err(c, v->pos, DMASIM_ESCHEMA,
			      "%s: '%s' is not a number (decimal or 0x-hex, optionally with K, M, G or T) that fits in 64 bits",
			      what, dmasim__yexcerpt(ex, v->s));
	if (n > max)
		return dmasim__yv_err(c, v->pos, DMASIM_ESCHEMA,
			      "%s: %s is larger than the maximum %llu", what,
			      dmasim__yexcerpt(ex, v->s),
			      (unsigned long long)max);
	*out = n;
	return DMASIM_OK;
}

int dmasim__yv_bool(const struct yctx *c, const struct yval *v, const char *what,
	    bool *out)
{
	if (v->kind == YK_SCALAR && strcmp(v->s, "true") == 0)
		*out = true;
	else if (v->kind == YK_SCALAR && strcmp(v->s, "false") == 0)
		*out = false;
	else
		return dmasim__yv_err(c, v->pos, DMASIM_ESCHEMA,
			      "expected true or false for %s", what);
	return DMASIM_OK;
}

int dmasim__yv_enum(const struct yctx *c, const struct yval *v, const char *what,
	    const char *const *names, size_t count, int *out)
{
	const char *s = v->kind == YK_SCALAR ? v->s : NULL;
	char list[256], ex[DMASIM_YEXCERPT_SIZE];
	size_t i, len = 0;

	if (s)
		for (i = 0; i < count; i++)
			if (names[i] && strcmp(s, names[i]) == 0) {
				*out = (int)i;
				return DMASIM_OK;
			}
	list[0] = '\0';
	for (i = 0; i < count && len < sizeof(list); i++)
		if (names[i])
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
						len ? ", " : "", names[i]);
	if (!s)
		return dmasim__yv_err(c, v->pos, DMASIM_ESCHEMA,
			      "expected one of %s for %s, found %s", list, what,
			      dmasim__ykind_word(v->kind));
	return dmasim__yv_err(c, v->pos, DMASIM_ESCHEMA,
		      "'%s' is not a valid %s; expected one of: %s",
		      dmasim__yexcerpt(ex, s), what, list);
}

int dmasim__yv_range_check(const struct yctx *c, struct dmasim_pos map,
		   struct dmasim_pos size_pos, const char *what,
		   const struct dmasim_range *r)
{
	if (r->size == 0)
		return dmasim__yv_err(c, size_pos, DMASIM_ESCHEMA, "the size of %s is 0", what);
	if (r->base + (r->size - 1) < r->base)
		return dmasim__yv_err(c, map, DMASIM_ESCHEMA,
			      "%s [base 0x%llx, size 0x%llx] wraps past the end of the 64-bit address space",
			      what, (unsigned long long)r->base,
			      (unsigned long long)r->size);
	return DMASIM_OK;
}

/* ---- the node API on top of the value checks -------------------------- */

bool dmasim__yis_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

const char *dmasim__yscalar(const yaml_node_t *n)
{
	return dmasim__yis_scalar(n) ? (const char *)n->data.scalar.value : NULL;
}

int dmasim__ymap(struct ydoc *y, yaml_node_t *n, const char *what,
	 const char *const *keys, yaml_node_t **out)
{
	struct yctx c = yctx_of(y);
	struct yval nv = dmasim__ynode_val(n);
	yaml_node_pair_t *pair;
	size_t i, nkeys = 0;
	int rc;

	while (keys[nkeys])
		out[nkeys++] = NULL;
	if ((rc = dmasim__yv_map(&c, &nv, what)))
		return rc;
	for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top;
	     pair++) {
		struct yval k = dmasim__ynode_val(yaml_document_get_node(&y->doc, pair->key));

		if ((rc = dmasim__yv_key(&c, &k, what, keys, &i)))
			return rc;
		if (out[i])
			return dmasim__yv_dup_key(&c, &k, what, dmasim__ypos(out[i]).line);
		out[i] = yaml_document_get_node(&y->doc, pair->value);
	}
	return DMASIM_OK;
}

int dmasim__yrequire(struct ydoc *y, const yaml_node_t *map, const yaml_node_t *val,
	     const char *what, const char *key)
{
	struct yctx c = yctx_of(y);

	return dmasim__yv_require(&c, dmasim__ypos(map), val != NULL, what, key);
}

int dmasim__yseq(struct ydoc *y, yaml_node_t *n, const char *what)
{
	struct yctx c = yctx_of(y);
	struct yval v = dmasim__ynode_val(n);

	return dmasim__yv_seq(&c, &v, what);
}

size_t dmasim__yseq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

yaml_node_t *dmasim__yseq_at(struct ydoc *y, const yaml_node_t *n, size_t i)
{
	return yaml_document_get_node(&y->doc, n->data.sequence.items.start[i]);
}

int dmasim__ystr(struct ydoc *y, yaml_node_t *n, const char *what, const char **out)
{
	struct yctx c = yctx_of(y);
	struct yval v = dmasim__ynode_val(n);

	return dmasim__yv_str(&c, &v, what, out);
}

int dmasim__yu64(struct ydoc *y, yaml_node_t *n, const char *what, uint64_t *out)
{
	return dmasim__yu64_max(y, n, what, UINT64_MAX, out);
}

int dmasim__yu64_max(struct ydoc *y, yaml_node_t *n, const char *what, uint64_t max,
	     uint64_t *out)
{
	struct yctx c = yctx_of(y);
	struct yval v = dmasim__ynode_val(n);

	return dmasim__yv_u64_max(&c, &v, what, max, out);
}

int dmasim__ybool(struct ydoc *y, yaml_node_t *n, const char *what, bool *out)
{
	struct yctx c = yctx_of(y);
	struct yval v = dmasim__ynode_val(n);

	return dmasim__yv_bool(&c, &v, what, out);
}

int dmasim__yenum(struct ydoc *y, yaml_node_t *n, const char *what,
	  const char *const *names, size_t count, int *out)
{
	struct yctx c = yctx_of(y);
	struct yval v = dmasim__ynode_val(n);

	return dmasim__yv_enum(&c, &v, what, names, count, out);
}

int dmasim__yrange(struct ydoc *y, yaml_node_t *n, const char *what,
	   struct dmasim_range *out)
{
	static const char *const keys[] = { "base", "size", NULL };
	struct yctx c = yctx_of(y);
	yaml_node_t *v[2];
	struct dmasim_range r;
	int rc;

	if ((rc = dmasim__ymap(y, n, what, keys, v)) ||
	    (rc = dmasim__yrequire(y, n, v[0], what, "base")) ||
	    (rc = dmasim__yrequire(y, n, v[1], what, "size")) ||
	    (rc = dmasim__yu64(y, v[0], "base", &r.base)) ||
	    (rc = dmasim__yu64(y, v[1], "size", &r.size)) ||
	    (rc = dmasim__yv_range_check(&c, dmasim__ypos(n), dmasim__ypos(v[1]), what, &r)))
		return rc;
	*out = r;
	return DMASIM_OK;
}

/* ---- event streams ---------------------------------------------------- */


enum ys_state { ST_START, ST_DOC, ST_AFTER, ST_END, ST_FAIL };

/* One event of an anchored node, kept to replay it at its aliases.
 * kind YK_NONE stands for an alias: text is then the anchor's index and
 * len is 1 when that anchor was still open (a recursive alias). */
struct yrec {
	enum ykind kind;
	size_t text, len;
	struct dmasim_pos pos;
};

struct yanchor {
	char *name;
	yaml_mark_t mark;
	size_t first, end;   /* its events: rec[first, end) */
	size_t depth;        /* raw nesting depth at its start */
	bool complete;
};

/* A walk: over rec[a, b) (replay), or over node n's items from a (doc). */
struct yframe {
	const yaml_node_t *n;
	size_t a, b;
};

struct ystream {
	struct dmasim_limits lim;    /* resolved */
	bool live;
	struct yctx c;               /* handed to the reader: file + own */
	struct dmasim_error own;     /* the reader's first error */
	struct dmasim_error serr;    /* the stream's first error */
	struct dmasim_error *user;   /* where the winner goes */
	size_t depth;                /* open lists and mappings returned */
	bool started, root_done;
	struct yframe *frames;       /* replays (live) or the walk (doc) */
	size_t nframes, cap_frames;

	/* live */
	yaml_parser_t parser;
	bool parser_ready;
	yaml_event_t ev;
	bool have_ev;
	enum ys_state state;
	FILE *f;
	const char *text;            /* a string's text (reader errors) */
	size_t textlen;
	uint64_t nread;              /* bytes of f read so far */
	struct yflow flow;           /* flow nesting of what was read */
	bool io_error, nul, draining, too_large;
	size_t rawdepth;
	struct yanchor *anchors;
	size_t nanchors, cap_anchors;
	size_t *active;              /* anchors being recorded, innermost last */
	size_t nactive, cap_active;
	struct yrec *rec;
	size_t nrec, cap_rec;
	char *rtext;
	size_t ntext, cap_text;
	size_t replayed, nraw;

	/* doc */
	struct ydoc *y;
	const yaml_node_t *root;

	/* fast */
	bool fast;
	struct yfast yf;
};

static int ys_nomem(struct ystream *s)
{
	return dmasim_error_set(&s->serr, DMASIM_ENOMEM, s->c.file, 0, 0,
				"out of memory");
}

static struct dmasim_pos mark_pos(yaml_mark_t m)
{
	struct dmasim_pos p = { (unsigned)m.line + 1, (unsigned)m.column + 1 };

	return p;
}

static int file_read(void *data, unsigned char *buf, size_t size,
		     size_t *size_read)
{
	struct ystream *s = data;
	size_t n = fread(buf, 1, size, s->f);

	if (n < size && ferror(s->f)) {
		s->io_error = true;
		return 0;
	}
	if (n && memchr(buf, '\0', n)) {
		s->nul = true;
		return 0;
	}
	s->nread += n;
	if (s->nread > s->lim.file_bytes) {  /* a pipe: no size known before */
		s->too_large = true;
		return 0;
	}
	/* Past the bracket that is too deep libyaml stops; scan_rest() still
	 * reads on for NUL bytes, which come first, as in a string. */
	if (!dmasim__yflow_feed(&s->flow, (const char *)buf, n))
		return 0;
	*size_read = n;
	return 1;
}

static struct ystream *ys_new(const char *file, const struct dmasim_limits *lim,
			      struct dmasim_error *err)
{
	struct ystream *s = calloc(1, sizeof(*s));

	if (!s) {
		dmasim_error_set(err, DMASIM_ENOMEM, file, 0, 0, "out of memory");
		return NULL;
	}
	s->lim = dmasim_limits_resolve(lim);
	dmasim__yflow_init(&s->flow, s->lim.depth);
	s->c.file = file;
	s->c.err = &s->own;
	s->user = err;
	return s;
}

static int ys_live_init(struct ystream *s)
{
	if (!yaml_parser_initialize(&s->parser)) {
		int rc = dmasim_error_set(s->user, DMASIM_ENOMEM, s->c.file, 0, 0,
					  "out of memory");
		free(s);
		return rc;
	}
	s->parser_ready = true;
	s->live = true;
	return DMASIM_OK;
}

int dmasim__ystream_open_file(struct ystream **out, const char *path,
		      const struct dmasim_limits *lim, struct dmasim_error *err)
{
	struct dmasim_limits l = dmasim_limits_resolve(lim);
	struct ystream *s;
	FILE *f;
	int rc;

	*out = NULL;
	if ((rc = dmasim__input_open(path, l.file_bytes, &f, err)))
		return rc;
	if (!(s = ys_new(path, &l, err))) {
		fclose(f);
		return DMASIM_ENOMEM;
	}
	if ((rc = ys_live_init(s))) {
		fclose(f);
		return rc;
	}
	s->f = f;
	yaml_parser_set_input(&s->parser, file_read, s);
	*out = s;
	return DMASIM_OK;
}

int dmasim__ystream_open_string(struct ystream **out, const char *text, size_t len,
			const char *file, const struct dmasim_limits *lim,
			struct dmasim_error *err)
{
	struct dmasim_limits l = dmasim_limits_resolve(lim);
	struct ystream *s;
	int rc;

	*out = NULL;
	if ((rc = dmasim__ytext_check(text, len, file, &l, err)))
		return rc;
	if (!(s = ys_new(file, &l, err)))
		return DMASIM_ENOMEM;
	if ((rc = ys_live_init(s)))
		return rc;
	yaml_parser_set_input_string(&s->parser, (const unsigned char *)text, len);
	s->text = text;
	s->textlen = len;
	*out = s;
	return DMASIM_OK;
}

int dmasim__ystream_open_node(struct ystream **out, struct ydoc *y, yaml_node_t *root)
{
	struct ystream *s;

	*out = NULL;
	if (!(s = ys_new(y->file, &y->lim, y->err)))
		return DMASIM_ENOMEM;
	s->y = y;
	s->root = root;
	*out = s;
	return DMASIM_OK;
}

int dmasim__ystream_open_fast_string(struct ystream **out, const char *text,
				     size_t len, const char *file,
				     const struct dmasim_limits *lim,
				     struct dmasim_error *err)
{
	struct ystream *s;

	*out = NULL;
	if (!(s = ys_new(file, lim, err)))
		return DMASIM_ENOMEM;
	s->fast = true;
	dmasim__yfast_init(&s->yf, text, len);
	*out = s;
	return DMASIM_OK;
}

int dmasim__ystream_open_fast_file(struct ystream **out, const char *path,
				   const struct dmasim_limits *lim,
				   struct dmasim_error *err)
{
	struct ystream *s;
	int rc;

	*out = NULL;
	if (!(s = ys_new(path, lim, err)))
		return DMASIM_ENOMEM;
	if ((rc = dmasim__input_check(path, s->lim.file_bytes, err))) {
		free(s);
		return rc;
	}
	if (dmasim__yfast_open(&s->yf, path)) {
		free(s);
		return dmasim_error_set(err, DMASIM_EIO, path, 0, 0,
					"not a regular file that can be read");
	}
	s->yf.flow = &s->flow;
	s->fast = true;
	*out = s;
	return DMASIM_OK;
}

/* The fast scanner gave up: the stream fails (the caller uses libyaml). */
static int fast_fail(struct ystream *s)
{
	if (!s->serr.code)
		dmasim_error_set(&s->serr, DMASIM_ESYNTAX, s->c.file, 0, 0,
				 "outside the fast YAML subset");
	return s->serr.code;
}

static int fast_next(struct ystream *s, struct yval *ev)
{
	if (dmasim__yfast_next(&s->yf, ev) == 0)
		return DMASIM_OK;
	return fast_fail(s);
}

const struct yctx *dmasim__ystream_ctx(const struct ystream *s)
{
	return &s->c;
}

const struct dmasim_limits *dmasim__ystream_limits(const struct ystream *s)
{
	return &s->lim;
}

static int alias_limit(struct ystream *s, struct dmasim_pos pos)
{
	return dmasim__yv_err(&s->c, pos, DMASIM_ELIMIT,
		"aliases expand to more than %zu YAML events; refusing to follow them (raise the limit with --limit alias-events=N)",
		s->replayed - 1);
}

/* The anchors of the document, as libyaml's composer checks them. */
static struct yanchor *find_anchor(struct ystream *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nanchors; i++)
		if (strcmp(s->anchors[i].name, name) == 0)
			return &s->anchors[i];
	return NULL;
}

static void clear_anchors(struct ystream *s)
{
	size_t i;

	for (i = 0; i < s->nanchors; i++)
		free(s->anchors[i].name);
	s->nanchors = s->nactive = s->nrec = s->ntext = 0;
}

static int record(struct ystream *s, enum ykind kind, const char *text,
		  size_t len, size_t aux, struct dmasim_pos pos)
{
	struct yrec *r;

	if (dmasim__grow_raw((void **)&s->rec, &s->cap_rec, s->nrec, sizeof(*s->rec)))
		return ys_nomem(s);
	r = &s->rec[s->nrec];
	r->kind = kind;
	r->pos = pos;
	r->text = aux;
	r->len = len;
	if (kind == YK_SCALAR) {
		while (s->cap_text - s->ntext < len + 1) {
			size_t ncap = s->cap_text ? s->cap_text * 2 : 4096;
			char *p = realloc(s->rtext, ncap);
			if (!p)
				return ys_nomem(s);
			s->rtext = p;
			s->cap_text = ncap;
		}
		memcpy(s->rtext + s->ntext, text, len);
		s->rtext[s->ntext + len] = '\0';
		r->text = s->ntext;
		s->ntext += len + 1;
	}
	s->nrec++;
	return DMASIM_OK;
}

/* Anchors and aliases of the raw event just parsed: libyaml's composer
 * errors, and the recording of anchored nodes for replay. */
static int track(struct ystream *s)
{
	yaml_event_t *e = &s->ev;
	struct dmasim_pos pos = mark_pos(e->start_mark);
	const char *anchor = NULL, *text = NULL;
	struct yanchor *a;
	enum ykind kind;
	size_t len = 0;
	int rc;

	switch (e->type) {
	case YAML_DOCUMENT_END_EVENT:
		clear_anchors(s);
		return DMASIM_OK;
	case YAML_ALIAS_EVENT:
		a = find_anchor(s, (const char *)e->data.alias.anchor);
		if (!a)
			return yaml_message(&s->serr, s->c.file, "found undefined alias",
					    e->start_mark, NULL, e->start_mark);
		if (s->nactive && !s->draining)
			return record(s, YK_NONE, NULL, !a->complete,
				      (size_t)(a - s->anchors), pos);
		return DMASIM_OK;
	case YAML_SCALAR_EVENT:
		anchor = (const char *)e->data.scalar.anchor;
		text = (const char *)e->data.scalar.value;
		len = e->data.scalar.length;
		kind = YK_SCALAR;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = (const char *)e->data.sequence_start.anchor;
		kind = YK_SEQ;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = (const char *)e->data.mapping_start.anchor;
		kind = YK_MAP;
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		kind = YK_END;
		break;
	default:
		return DMASIM_OK;
	}
	a = NULL;
	if (anchor) {
		if ((a = find_anchor(s, anchor)))
			return yaml_message(&s->serr, s->c.file, "second occurrence",
					    e->start_mark,
					    "found duplicate anchor; first occurrence",
					    a->mark);
		if (dmasim__grow_raw((void **)&s->anchors, &s->cap_anchors, s->nanchors,
			    sizeof(*s->anchors)))
			return ys_nomem(s);
		a = &s->anchors[s->nanchors];
		memset(a, 0, sizeof(*a));
		if (!(a->name = strdup(anchor)))
			return ys_nomem(s);
		s->nanchors++;
		a->mark = e->start_mark;
		a->first = s->nrec;
		a->depth = s->rawdepth;
		if (kind != YK_SCALAR && !s->draining) {
			if (dmasim__grow_raw((void **)&s->active, &s->cap_active, s->nactive,
				    sizeof(*s->active)))
				return ys_nomem(s);
			s->active[s->nactive++] = (size_t)(a - s->anchors);
		}
	}
	if (!s->draining && (s->nactive || (a && kind == YK_SCALAR)) &&
	    (rc = record(s, kind, text, len, 0, pos)))
		return rc;
	if (a && kind == YK_SCALAR) {
		a->end = s->nrec;
		a->complete = true;
	}
	if (kind == YK_SEQ || kind == YK_MAP)
		s->rawdepth++;
	if (kind == YK_END && s->rawdepth) {
		s->rawdepth--;
		if (s->nactive &&
		    s->anchors[s->active[s->nactive - 1]].depth == s->rawdepth) {
			a = &s->anchors[s->active[--s->nactive]];
			a->end = s->nrec;
			a->complete = true;
		}
	}
	return DMASIM_OK;
}

/* The next event from libyaml; its errors go to the stream's error. */
static int raw_next(struct ystream *s)
{
	if (s->have_ev) {
		yaml_event_delete(&s->ev);
		s->have_ev = false;
	}
	if (s->state == ST_FAIL)
		return s->serr.code ? s->serr.code : DMASIM_ESYNTAX;
	if (!yaml_parser_parse(&s->parser, &s->ev)) {
		s->state = ST_FAIL;
		return parser_error(&s->serr, s->c.file, &s->parser, s->text,
				    s->textlen, s->f);
	}
	s->have_ev = true;
	s->nraw++;
	if (track(s)) {
		s->state = ST_FAIL;
		return s->serr.code;
	}
	return DMASIM_OK;
}

static int push_frame(struct ystream *s, const yaml_node_t *n, size_t a,
		      size_t b)
{
	if (dmasim__grow_raw((void **)&s->frames, &s->cap_frames, s->nframes,
		    sizeof(*s->frames)))
		return ys_nomem(s);
	s->frames[s->nframes].n = n;
	s->frames[s->nframes].a = a;
	s->frames[s->nframes].b = b;
	s->nframes++;
	return DMASIM_OK;
}

/* Follow an alias to anchor @ai: replay its events next. */
static int replay(struct ystream *s, size_t ai, bool recursive,
		  struct dmasim_pos pos)
{
	const struct yanchor *a = &s->anchors[ai];

	if (recursive || !a->complete)
		return dmasim__yv_err(&s->c, pos, DMASIM_ESCHEMA,
			      "alias '*%s' refers to a node that contains it; recursive aliases are not supported",
			      a->name);
	return push_frame(s, NULL, a->first, a->end);
}

/* The next event of the live document; with @expand false, aliases come
 * as one placeholder scalar (for skipping). */
static int live_next(struct ystream *s, struct yval *out, bool expand)
{
	static const char empty[] = "";
	int rc;

	for (;;) {
		if (s->nframes) {
			struct yframe *f = &s->frames[s->nframes - 1];
			const struct yrec *r;

			if (f->a == f->b) {
				s->nframes--;
				continue;
			}
			r = &s->rec[f->a++];
			if (r->kind == YK_NONE && expand) {
				if ((rc = replay(s, r->text, r->len != 0, r->pos)))
					return rc;
				continue;
			}
			if (++s->replayed > s->lim.alias_events + 4 * s->nraw)
				return alias_limit(s, r->pos);
			out->kind = r->kind == YK_NONE ? YK_SCALAR : r->kind;
			out->s = r->kind == YK_SCALAR ? s->rtext + r->text : empty;
			out->len = r->kind == YK_SCALAR ? r->len : 0;
			out->pos = r->pos;
			return DMASIM_OK;
		}
		if ((rc = raw_next(s)))
			return rc;
		out->pos = mark_pos(s->ev.start_mark);
		out->s = NULL;
		out->len = 0;
		switch (s->ev.type) {
		case YAML_SCALAR_EVENT:
			out->kind = YK_SCALAR;
			out->s = (const char *)s->ev.data.scalar.value;
			out->len = s->ev.data.scalar.length;
			return DMASIM_OK;
		case YAML_SEQUENCE_START_EVENT:
			out->kind = YK_SEQ;
			return DMASIM_OK;
		case YAML_MAPPING_START_EVENT:
			out->kind = YK_MAP;
			return DMASIM_OK;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			out->kind = YK_END;
			return DMASIM_OK;
		case YAML_ALIAS_EVENT:
			if (!expand) {
				out->kind = YK_SCALAR;
				out->s = empty;
				return DMASIM_OK;
			}
			rc = replay(s, (size_t)(find_anchor(s,
				(const char *)s->ev.data.alias.anchor) - s->anchors),
				false, out->pos);
			if (rc)
				return rc;
			continue;
		default:
			/* Stream and document events never come inside the root. */
			return dmasim__yv_err(&s->c, out->pos, DMASIM_ESYNTAX,
				      "unexpected YAML event %d", (int)s->ev.type);
		}
	}
}

/* The live stream up to the root: STREAM-START, DOCUMENT-START. */
static int live_begin(struct ystream *s)
{
	int rc;

	if ((rc = raw_next(s)) || (rc = raw_next(s)))
		return rc;
	if (s->ev.type == YAML_STREAM_END_EVENT) {
		s->state = ST_END;
		return dmasim_error_set(&s->serr, DMASIM_ESCHEMA, s->c.file, 1, 1,
					"the file is empty; expected a mapping");
	}
	s->state = ST_DOC;
	return DMASIM_OK;
}

/* The next event of a walk over a loaded document. */
static int doc_next(struct ystream *s, struct yval *out)
{
	const yaml_node_t *n = NULL;
	int rc;

	if (!s->nframes) {
		n = s->root;
	} else {
		struct yframe *f = &s->frames[s->nframes - 1];

		if (f->n->type == YAML_SEQUENCE_NODE) {
			if (f->a < dmasim__yseq_len(f->n))
				n = dmasim__yseq_at(s->y, f->n, f->a++);
		} else {
			const yaml_node_pair_t *pairs = f->n->data.mapping.pairs.start;
			size_t np = (size_t)(f->n->data.mapping.pairs.top - pairs);

			if (f->a < 2 * np) {
				const yaml_node_pair_t *pr = &pairs[f->a / 2];
				n = yaml_document_get_node(&s->y->doc,
							   f->a % 2 ? pr->value : pr->key);
				f->a++;
			}
		}
		if (!n) {
			s->nframes--;
			out->kind = YK_END;
			out->s = NULL;
			out->len = 0;
			out->pos = dmasim__ypos(f->n);
			return DMASIM_OK;
		}
	}
	*out = dmasim__ynode_val(n);
	/* A node reached through an alias is walked again: bound the walk
	 * as the live stream bounds replays. */
	if (++s->replayed > s->lim.alias_events +
			    4 * (size_t)(s->y->doc.nodes.top - s->y->doc.nodes.start))
		return alias_limit(s, out->pos);
	if (out->kind == YK_SEQ || out->kind == YK_MAP)
		if ((rc = push_frame(s, n, 0, 0)))
			return rc;
	return DMASIM_OK;
}

/* A list or mapping that would open one level deeper than lim.depth. */
static int too_deep(struct ystream *s, const struct yval *ev)
{
	if ((ev->kind == YK_SEQ || ev->kind == YK_MAP) && s->depth >= s->lim.depth)
		return dmasim__ydepth_error(&s->c, ev->pos, s->lim.depth);
	return DMASIM_OK;
}

static void account(struct ystream *s, const struct yval *ev)
{
	if (ev->kind == YK_SEQ || ev->kind == YK_MAP)
		s->depth++;
	else if (ev->kind == YK_END && s->depth)
		s->depth--;
	if (s->depth == 0)
		s->root_done = true;
}

int dmasim__ystream_next(struct ystream *s, struct yval *ev)
{
	int rc;

	if (!s->started) {
		s->started = true;
		if (s->live && (rc = live_begin(s)))
			return rc;
	}
	if (s->root_done) {
		ev->kind = YK_NONE;
		ev->s = NULL;
		ev->len = 0;
		ev->pos.line = ev->pos.column = 0;
		return DMASIM_OK;
	}
	rc = s->fast ? fast_next(s, ev) : s->live ? live_next(s, ev, true)
					       : doc_next(s, ev);
	if (rc)
		return rc;
	if ((rc = too_deep(s, ev)))
		return rc;
	account(s, ev);
	return DMASIM_OK;
}

size_t dmasim__ystream_depth(const struct ystream *s)
{
	return s->depth;
}

bool dmasim__ystream_failed(const struct ystream *s)
{
	return s->serr.code != DMASIM_OK;
}

int dmasim__ystream_skip_to(struct ystream *s, size_t depth)
{
	struct yval ev;
	int rc;

	if (depth >= s->depth)
		return DMASIM_OK;
	if (!s->live && !s->fast) {
		/* A walk has one frame per open list or mapping. */
		s->nframes = depth;
		s->depth = depth;
	} else {
		while (s->depth > depth) {
			if ((rc = s->fast ? fast_next(s, &ev) : live_next(s, &ev, false)))
				return rc;
			if ((rc = too_deep(s, &ev)))
				return rc;
			account(s, &ev);
		}
	}
	if (s->depth == 0)
		s->root_done = true;
	return DMASIM_OK;
}

int dmasim__ystream_skip(struct ystream *s)
{
	return dmasim__ystream_skip_to(s, s->depth ? s->depth - 1 : 0);
}

/* Read what is left of the live stream, as dmasim__ydoc_load_string() would have:
 * the rest of the document, then a second document, if any, in full. */
static void live_finish(struct ystream *s)
{
	yaml_mark_t second;

	if (!s->started) {
		s->started = true;
		if (live_begin(s))
			return;
	}
	while (s->state == ST_DOC) {
		if (raw_next(s))
			return;
		if (s->ev.type == YAML_DOCUMENT_END_EVENT)
			s->state = ST_AFTER;
	}
	if (s->state != ST_AFTER || raw_next(s))
		return;
	if (s->ev.type == YAML_STREAM_END_EVENT) {
		s->state = ST_END;
		return;
	}
	second = s->ev.start_mark;
	s->draining = true;
	do {
		if (raw_next(s))
			return;
	} while (s->ev.type != YAML_DOCUMENT_END_EVENT);
	s->state = ST_END;
	dmasim_error_set(&s->serr, DMASIM_ESCHEMA, s->c.file,
			 (unsigned)second.line + 1, (unsigned)second.column + 1,
			 "a second YAML document; expected exactly one");
}

/* The parser stopped early: the rest of the file may still hold a NUL
 * byte or fail to read, which dmasim__ydoc_load_file() would have reported. */
static void scan_rest(struct ystream *s)
{
	char buf[65536];
	size_t n;

	while (!s->io_error && !s->nul && !s->too_large &&
	       (n = fread(buf, 1, sizeof(buf), s->f))) {
		if (memchr(buf, '\0', n))
			s->nul = true;
		if ((s->nread += n) > s->lim.file_bytes)
			s->too_large = true;
		dmasim__yflow_feed(&s->flow, buf, n);
	}
	if (ferror(s->f))
		s->io_error = true;
}

int dmasim__ystream_close(struct ystream *s, int rc)
{
	const struct dmasim_error *win = NULL;

	if (s->fast) {
		if (rc == DMASIM_OK && dmasim__yfast_finish(&s->yf))
			fast_fail(s);
		dmasim__yfast_fini(&s->yf);
	}
	if (s->live) {
		s->draining = rc != DMASIM_OK;
		live_finish(s);
		if (s->f)
			scan_rest(s);
	}
	/* The order of dmasim__ytext_check(): size, NUL bytes, brackets. */
	if (s->io_error)
		rc = dmasim_error_set(s->user, DMASIM_EIO, s->c.file, 0, 0,
				      "cannot read: an input/output error while reading");
	else if (s->too_large)
		rc = dmasim__input_too_large(s->c.file, s->lim.file_bytes, s->user);
	else if (s->nul)
		rc = dmasim_error_set(s->user, DMASIM_ESYNTAX, s->c.file, 0, 0,
				      "the file contains a NUL byte");
	else if (s->flow.over)
		rc = dmasim__yflow_error(&(struct yctx){ s->c.file, s->user }, s->flow.at,
					 s->lim.depth);
	else if (s->serr.code)
		win = &s->serr;
	else if (rc || s->own.code)
		win = &s->own;
	if (win) {
		rc = win->code ? win->code : rc;
		if (s->user && s->user->code == DMASIM_OK && win->code)
			*s->user = *win;
	}
	if (s->have_ev)
		yaml_event_delete(&s->ev);
	if (s->parser_ready)
		yaml_parser_delete(&s->parser);
	if (s->f)
		fclose(s->f);
	clear_anchors(s);
	free(s->anchors);
	free(s->active);
	free(s->rec);
	free(s->rtext);
	free(s->frames);
	free(s);
	return rc;
}
