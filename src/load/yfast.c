/* dmasim -- the fast scanner for dmasim's YAML subset (src/load/yfast.h). */
#define _GNU_SOURCE 1 /* memrchr */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/yfast.h"

/* Character classes (ASCII only: every other byte gives up). */
#define C_VALID 0x01 /* printable ASCII or '\n' */
#define C_PB 0x02    /* continues a plain scalar in block context */
#define C_PF 0x04    /* ... in flow context */
#define C_SC 0x08    /* may follow ':' inside a plain scalar in flow context */
#define C_IND 0x10   /* an indicator: cannot start a plain scalar */

#define IS_VALID(c) ((c) == '\n' || ((c) >= 0x20 && (c) <= 0x7e))
#define IS_IND(c)                                                             \
	((c) == '-' || (c) == '?' || (c) == ':' || (c) == ',' || (c) == '[' ||   \
	 (c) == ']' || (c) == '{' || (c) == '}' || (c) == '#' || (c) == '&' ||   \
	 (c) == '*' || (c) == '!' || (c) == '|' || (c) == '>' || (c) == '\'' ||  \
	 (c) == '"' || (c) == '%' || (c) == '@' || (c) == '`')
#define IS_PB(c) (IS_VALID(c) && (c) != '\n' && (c) != ' ' && (c) != ':' && (c) != '#')
#define IS_PF(c)                                                              \
	(IS_PB(c) && (c) != ',' && (c) != '[' && (c) != ']' && (c) != '{' &&     \
	 (c) != '}' && (c) != '?')
#define IS_SC(c)                                                              \
	(((c) >= '0' && (c) <= '9') || ((c) >= 'a' && (c) <= 'z') ||             \
	 ((c) >= 'A' && (c) <= 'Z') || (c) == '.' || (c) == '_' || (c) == '-' || \
	 (c) == '/')
#define CL(c)                                                                 \
	((IS_VALID(c) ? C_VALID : 0) | (IS_PB(c) ? C_PB : 0) |                   \
	 (IS_PF(c) ? C_PF : 0) | (IS_SC(c) ? C_SC : 0) | (IS_IND(c) ? C_IND : 0))
#define R4(b) CL(b), CL((b) + 1), CL((b) + 2), CL((b) + 3)
#define R16(b) R4(b), R4((b) + 4), R4((b) + 8), R4((b) + 12)
#define R64(b) R16(b), R16((b) + 16), R16((b) + 32), R16((b) + 48)
static const unsigned char cls[256] = { R64(0), R64(64), R64(128), R64(192) };

#define CLS(p) cls[(unsigned char)*(p)]

/* A key longer than this may be too long for libyaml's simple keys. */
#define KEY_MAX 1000
/* The window of a file: its first size and the least free space to read. */
#define WIN_FIRST (256u << 10)
#define WIN_READ (64u << 10)

enum { F_BMAP, F_BSEQ, F_ISEQ, F_FMAP, F_FSEQ };
enum { S_KEY, S_VAL, S_ENTRY, S_FFIRST, S_FNEXT, S_FVAL };

static int giveup(struct yfast *f)
{
	f->gave_up = true;
	return -1;
}

void dmasim__yfast_init(struct yfast *f, const char *text, size_t len)
{
	memset(f, 0, offsetof(struct yfast, st));
	f->text = NULL;
	f->cap_text = 0;
	f->buf = f->p = f->ls = text;
	f->end = text + len;
	f->fd = -1;
	f->win = NULL;
	f->cap_win = 0;
	f->last_nl = NULL;
	f->file_done = true;
	f->flow = NULL;
}

int dmasim__yfast_open(struct yfast *f, const char *path)
{
	struct stat st;
	char *win;
	int fd;

	/* Not even opened unless regular: opening a pipe only to close it
	 * again would lose what its writer sends before libyaml opens it. */
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !(win = malloc(WIN_FIRST))) {
		close(fd);
		return -1;
	}
	dmasim__yfast_init(f, win, 0);
	f->win = win;
	f->cap_win = WIN_FIRST;
	f->fd = fd;
	f->file_done = false;
	return 0;
}

void dmasim__yfast_fini(struct yfast *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	free(f->win);
	f->win = NULL;
	free(f->text);
	f->text = NULL;
}

/* ---- the window of a file --------------------------------------------- */

/* Read until the window holds the whole line at ls (through its '\n') or
 * the rest of the file.  Only at a line start: nothing else points into
 * the window then. */
static int refill(struct yfast *f)
{
	for (;;) {
		size_t keep = (size_t)(f->end - f->ls), off = (size_t)(f->p - f->ls);
		ssize_t got;

		if (f->file_done)
			return 0;
		memmove(f->win, f->ls, keep);
		if (f->cap_win - keep < WIN_READ) {
			char *nw = realloc(f->win, f->cap_win * 2);

			if (!nw)
				return giveup(f);
			f->win = nw;
			f->cap_win *= 2;
		}
		f->buf = f->ls = f->win;
		f->p = f->win + off;
		f->end = f->win + keep;
		f->last_nl = NULL;
		do
			got = read(f->fd, f->win + keep, f->cap_win - keep);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return giveup(f);   /* libyaml reports it */
		if (got == 0) {
			f->file_done = true;
			return 0;
		}
		if (f->flow && !dmasim__yflow_feed(f->flow, f->end, (size_t)got))
			return giveup(f);   /* libyaml reports it */
		f->end += got;
		f->last_nl = memrchr(f->win, '\n', (size_t)(f->end - f->win));
		if (f->last_nl)
			return 0;
	}
}

static inline int line_ready(struct yfast *f)
{
	if (f->file_done || (f->last_nl && f->ls <= f->last_nl))
		return 0;
	return refill(f);
}

/* ---- lines ------------------------------------------------------------ */

/* The first byte at or after @q that is not a space (indentation is most
 * of a block-style file: eight bytes at a time). */
static inline const char *skip_spaces(const char *q, const char *end)
{
	while (end - q >= 8) {
		uint64_t w;

		memcpy(&w, q, 8);
		w ^= 0x2020202020202020ull;
		if (w) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			return q + (__builtin_clzll(w) >> 3);
#else
			return q + (__builtin_ctzll(w) >> 3);
#endif
		}
		q += 8;
	}
	while (q < end && *q == ' ')
		q++;
	return q;
}

static inline unsigned col(const struct yfast *f, const char *q)
{
	return (unsigned)(q - f->ls);
}

/* q at '#': the end of the comment ('\n' or the end), NULL to give up. */
static const char *skip_comment(struct yfast *f, const char *q)
{
	while (q < f->end && *q != '\n') {
		if (!(CLS(q) & C_VALID)) {
			giveup(f);
			return NULL;
		}
		q++;
	}
	return q;
}

static bool doc_marker(const struct yfast *f, const char *q)
{
	return f->end - q >= 3 &&
	       ((q[0] == '-' && q[1] == '-' && q[2] == '-') ||
		(q[0] == '.' && q[1] == '.' && q[2] == '.')) &&
	       (f->end - q == 3 || q[3] == ' ' || q[3] == '\n' || q[3] == '\t');
}

/* '-' followed by a blank: a block sequence entry. */
static bool is_entry(const struct yfast *f, const char *q)
{
	return *q == '-' && (q + 1 == f->end || q[1] == ' ' || q[1] == '\n');
}

/* After an inline value: spaces, a comment, then the end of the line. */
static int rest_of_line(struct yfast *f)
{
	const char *q = f->p;

	while (q < f->end && *q == ' ')
		q++;
	if (q < f->end && *q == '#' && q > f->p) {
		if (!(q = skip_comment(f, q)))
			return -1;
	} else if (q < f->end && *q != '\n') {
		return giveup(f);
	}
	f->p = q;
	f->at_content = false;
	return 0;
}

/*
 * From a line start (p == ls): skip blank and comment lines to the first
 * character of the next content, or to the end (eof).  @first allows one
 * `---` (the start of the document).
 */
static int scan_lines(struct yfast *f, bool first)
{
	for (;;) {
		const char *q;

		if (line_ready(f))
			return -1;
		q = skip_spaces(f->p, f->end);
		if (q < f->end && *q == '#' && !(q = skip_comment(f, q)))
			return -1;
		if (q < f->end && *q != '\n') {
			if (q == f->ls && doc_marker(f, q)) {
				if (!first || *q != '-')
					return giveup(f);
				first = false;
				f->p = q + 3;
				if (rest_of_line(f))
					return -1;
				q = f->p;
			} else {
				if (!(CLS(q) & C_VALID))
					return giveup(f);
				f->p = q;
				f->at_content = true;
				f->eof = false;
				return 0;
			}
		}
		if (q == f->end) {
			f->p = q;
			f->at_content = true;
			f->eof = true;
			return 0;
		}
		f->p = f->ls = q + 1;
		f->line++;
	}
}

/* p at the end of a line ('\n' or the end): on to the next content. */
static int next_content(struct yfast *f)
{
	if (f->p == f->end) {
		f->at_content = true;
		f->eof = true;
		return 0;
	}
	f->p = f->ls = f->p + 1;
	f->line++;
	return scan_lines(f, false);
}

/* ---- scalars ---------------------------------------------------------- */

static bool plain_start(const struct yfast *f, const char *s, bool flow)
{
	unsigned char need = flow ? C_PF : C_PB;

	if (*s == '-')
		return s + 1 < f->end && (CLS(s + 1) & need);
	return (CLS(s) & need) && !(CLS(s) & C_IND);
}

/*
 * A plain scalar in block context from @s: its text ends at *te; returns
 * where it stopped (a ':' before a blank, a space before a comment, a
 * value indicator or the end of the line, the '\n', the end), or NULL for
 * anything doubtful ('#' inside, tabs, other bytes).
 */
static const char *plain_block(const struct yfast *f, const char *s, const char **te)
{
	const char *q = s, *r, *end = f->end;

	for (;;) {
		while (q < end && (CLS(q) & C_PB))
			q++;
		if (q == end || *q == '\n') {
			*te = q;
			return q;
		}
		if (*q == ':') {
			if (q + 1 == end || q[1] == ' ' || q[1] == '\n') {
				*te = q;
				return q;
			}
			q++;
			continue;
		}
		if (*q != ' ')
			return NULL;
		for (r = q; r < end && *r == ' '; r++)
			;
		if (r == end || *r == '\n' || *r == '#' ||
		    (*r == ':' && (r + 1 == end || r[1] == ' ' || r[1] == '\n'))) {
			*te = q;
			return q;
		}
		q = r;
	}
}

/* The same in flow context: it stops at ": ", ',', ']', '}' (or a space
 * before one of them); a ':' inside must be followed by a word character. */
static const char *plain_flow(const struct yfast *f, const char *s, const char **te)
{
	const char *q = s, *r, *end = f->end;

	for (;;) {
		while (q < end && (CLS(q) & C_PF))
			q++;
		if (q == end)
			return NULL;
		switch (*q) {
		case ':':
			if (q + 1 < end && q[1] == ' ') {
				*te = q;
				return q;
			}
			if (q + 1 < end && (CLS(q + 1) & C_SC)) {
				q++;
				continue;
			}
			return NULL;
		case ',':
		case ']':
		case '}':
			*te = q;
			return q;
		case ' ':
			for (r = q; r < end && *r == ' '; r++)
				;
			if (r < end && (CLS(r) & C_PF)) {
				q = r;
				continue;
			}
			if (r < end && (*r == ',' || *r == ']' || *r == '}' || *r == ':')) {
				*te = q;
				return q;
			}
			return NULL;
		default:
			return NULL;
		}
	}
}

/* A quoted scalar on one line without escapes: its text [*ts, *te);
 * returns the character after the closing quote, or NULL. */
static const char *quoted(const struct yfast *f, const char *s, const char **ts,
			  const char **te)
{
	const char *q = s + 1;
	char qc = *s;

	while (q < f->end && *q != qc) {
		if (*q == '\n' || !(CLS(q) & C_VALID) || (qc == '"' && *q == '\\'))
			return NULL;
		q++;
	}
	if (q == f->end || (qc == '\'' && q + 1 < f->end && q[1] == '\''))
		return NULL;
	*ts = s + 1;
	*te = q;
	return q + 1;
}

/* Is there a key at @k, a scalar followed at once by ':' and a blank (in
 * flow context: a space)?  Its text [*ts, *te); returns its ':'. */
static const char *key_at(const struct yfast *f, const char *k, bool flow,
			  const char **ts, const char **te)
{
	const char *c;

	if (*k == '\'' || *k == '"') {
		c = quoted(f, k, ts, te);
	} else {
		if (!plain_start(f, k, flow))
			return NULL;
		c = flow ? plain_flow(f, k, te) : plain_block(f, k, te);
		*ts = k;
	}
	if (!c || c == f->end || *c != ':' || c - k > KEY_MAX)
		return NULL;
	if (c + 1 == f->end)
		return flow ? NULL : c;
	if (c[1] == ' ' || (!flow && c[1] == '\n'))
		return c;
	return NULL;
}

/* ---- events ----------------------------------------------------------- */

static void mark(struct yval *ev, enum ykind kind, unsigned line, unsigned column)
{
	ev->kind = kind;
	ev->s = NULL;
	ev->len = 0;
	ev->pos.line = line + 1;
	ev->pos.column = column + 1;
}

static int scalar(struct yfast *f, struct yval *ev, const char *ts,
		  const char *te, const char *at)
{
	size_t len = (size_t)(te - ts);

	if (len + 1 > f->cap_text) {
		size_t ncap = f->cap_text ? f->cap_text : 64;
		char *nt;

		while (ncap < len + 1)
			ncap *= 2;
		if (!(nt = realloc(f->text, ncap)))
			return giveup(f);
		f->text = nt;
		f->cap_text = ncap;
	}
	memcpy(f->text, ts, len);
	f->text[len] = '\0';
	mark(ev, YK_SCALAR, f->line, col(f, at));
	ev->s = f->text;
	ev->len = len;
	return 0;
}

/* Open a collection at p (its first key, '-' or bracket). */
static int push(struct yfast *f, int kind, int state, struct yval *ev)
{
	struct yf_frame *t;

	if (f->n == YF_MAXDEPTH)
		return giveup(f);
	t = &f->st[f->n++];
	t->kind = (unsigned char)kind;
	t->state = (unsigned char)state;
	t->indent = col(f, f->p);
	mark(ev, kind == F_BMAP || kind == F_FMAP ? YK_MAP : YK_SEQ, f->line,
	     t->indent);
	if (kind == F_FMAP || kind == F_FSEQ)
		f->p++;
	return 0;
}

/*
 * Before a key or an entry of block collection @t: at the next content
 * line, end @t if the line is less indented (or the text ends).
 * 0: go on at p; 1: an END was returned; -1: gave up.
 */
static int block_at(struct yfast *f, struct yf_frame *t, struct yval *ev)
{
	unsigned c;
	bool entry;

	if (!f->at_content && next_content(f))
		return -1;
	c = col(f, f->p);
	if (f->eof || c < t->indent) {
		if (f->n == 1 && !f->eof)
			return giveup(f);   /* content after the root */
		if (f->eof && t->indent <= c && c != 0)
			mark(ev, YK_END, f->line + 1, 0); /* libyaml's forced new line */
		else
			mark(ev, YK_END, f->line, c);
		if (--f->n == 0)
			f->done = true;
		return 1;
	}
	if (c > t->indent)
		return giveup(f);
	entry = is_entry(f, f->p);
	if (t->kind == F_BMAP)
		return entry ? giveup(f) : 0;
	if (entry)
		return 0;
	if (t->kind == F_BSEQ)
		return giveup(f);
	mark(ev, YK_END, f->line, c);   /* a key of its mapping ends it */
	f->n--;
	return 1;
}

/* A node on the lines after a key or '-' at column @indent: a block
 * mapping or sequence (@iseq: a sequence may have the same indentation). */
static int nested(struct yfast *f, struct yval *ev, unsigned indent, bool iseq)
{
	const char *ts, *te;
	unsigned c;

	if (next_content(f))
		return -1;
	if (f->eof)
		return giveup(f);   /* an empty value */
	c = col(f, f->p);
	if (is_entry(f, f->p)) {
		if (c > indent)
			return push(f, F_BSEQ, S_ENTRY, ev);
		if (iseq && c == indent)
			return push(f, F_ISEQ, S_ENTRY, ev);
		return giveup(f);
	}
	if (c > indent && key_at(f, f->p, false, &ts, &te))
		return push(f, F_BMAP, S_KEY, ev);
	return giveup(f);
}

/* A value on the line of its key or '-' in block context, at p. */
static int inline_node(struct yfast *f, struct yval *ev)
{
	const char *s = f->p, *ts, *te, *stop;

	switch (*s) {
	case '{':
		return push(f, F_FMAP, S_FFIRST, ev);
	case '[':
		return push(f, F_FSEQ, S_FFIRST, ev);
	case '\'':
	case '"':
		if (!(stop = quoted(f, s, &ts, &te)))
			return giveup(f);
		break;
	default:
		if (!plain_start(f, s, false) || !(stop = plain_block(f, s, &te)) ||
		    (stop < f->end && *stop == ':'))
			return giveup(f);
		ts = s;
		stop = te;
		break;
	}
	if (scalar(f, ev, ts, te, s))
		return -1;
	f->p = stop;
	return rest_of_line(f);
}

static int bmap_key(struct yfast *f, struct yf_frame *t, struct yval *ev)
{
	const char *k, *ts, *te, *c;
	int r = block_at(f, t, ev);

	if (r)
		return r < 0 ? -1 : 0;
	k = f->p;
	if (!(c = key_at(f, k, false, &ts, &te)) || scalar(f, ev, ts, te, k))
		return giveup(f);
	f->p = c;
	f->at_content = false;
	t->state = S_VAL;
	return 0;
}

static int bmap_value(struct yfast *f, struct yf_frame *t, struct yval *ev)
{
	const char *q = f->p + 1;   /* past ':' */

	while (q < f->end && *q == ' ')
		q++;
	t->state = S_KEY;
	f->p = q;
	if (q < f->end && *q != '\n' && *q != '#')
		return inline_node(f, ev);
	if (q < f->end && *q == '#' && !(f->p = skip_comment(f, q)))
		return -1;
	return nested(f, ev, t->indent, true);
}

static int bseq_entry(struct yfast *f, struct yf_frame *t, struct yval *ev)
{
	const char *q, *ts, *te;
	int r = block_at(f, t, ev);

	if (r)
		return r < 0 ? -1 : 0;
	q = f->p + 1;   /* past '-' */
	while (q < f->end && *q == ' ')
		q++;
	f->p = q;
	f->at_content = false;
	if (q == f->end || *q == '\n' || *q == '#') {
		if (q < f->end && *q == '#' && !(f->p = skip_comment(f, q)))
			return -1;
		return nested(f, ev, t->indent, false);
	}
	if (is_entry(f, q))
		return giveup(f);   /* "- - x" */
	if (key_at(f, q, false, &ts, &te)) {
		f->at_content = true;   /* "- key: value": a mapping here */
		return push(f, F_BMAP, S_KEY, ev);
	}
	return inline_node(f, ev);
}

/* ---- flow collections ------------------------------------------------- */

static int flow_node(struct yfast *f, struct yval *ev)
{
	const char *s = f->p, *ts, *te, *stop;

	switch (*s) {
	case '{':
		return push(f, F_FMAP, S_FFIRST, ev);
	case '[':
		return push(f, F_FSEQ, S_FFIRST, ev);
	case '\'':
	case '"':
		if (!(stop = quoted(f, s, &ts, &te)))
			return giveup(f);
		break;
	default:
		if (!plain_start(f, s, true) || !(stop = plain_flow(f, s, &te)))
			return giveup(f);
		ts = s;
		stop = te;
		break;
	}
	if (scalar(f, ev, ts, te, s))
		return -1;
	f->p = stop;
	return 0;
}

/* p at the closing bracket of the innermost collection. */
static int flow_close(struct yfast *f, struct yval *ev)
{
	mark(ev, YK_END, f->line, col(f, f->p));
	f->p++;
	if (--f->n == 0) {
		/* The root: nothing but comments may follow. */
		f->done = true;
		if (rest_of_line(f) || next_content(f))
			return -1;
		return f->eof ? 0 : giveup(f);
	}
	if (f->st[f->n - 1].kind < F_FMAP)
		return rest_of_line(f);
	return 0;
}

/* Skip spaces, and the ',' after an entry of @t: the next entry's first
 * character or @t's closing bracket; NULL to give up. */
static const char *flow_entry(struct yfast *f, struct yf_frame *t, char close)
{
	const char *q = f->p;

	while (q < f->end && *q == ' ')
		q++;
	if (q < f->end && *q == close)
		return q;
	if (t->state == S_FNEXT) {
		if (q == f->end || *q != ',')
			return NULL;
		q++;
		while (q < f->end && *q == ' ')
			q++;
		if (q < f->end && (*q == close || *q == ','))
			return NULL;   /* a trailing or empty entry */
	}
	return q < f->end ? q : NULL;
}

static int fmap_next(struct yfast *f, struct yf_frame *t, struct yval *ev)
{
	const char *q, *ts, *te, *c;

	if (t->state == S_FVAL) {
		q = f->p + 1;   /* past ':' */
		while (q < f->end && *q == ' ')
			q++;
		t->state = S_FNEXT;
		f->p = q;
		if (q == f->end)
			return giveup(f);
		return flow_node(f, ev);
	}
	if (!(q = flow_entry(f, t, '}')))
		return giveup(f);
	f->p = q;
	if (*q == '}')
		return flow_close(f, ev);
	if (!(c = key_at(f, q, true, &ts, &te)) || scalar(f, ev, ts, te, q))
		return giveup(f);
	f->p = c;
	t->state = S_FVAL;
	return 0;
}

static int fseq_next(struct yfast *f, struct yf_frame *t, struct yval *ev)
{
	const char *q = flow_entry(f, t, ']');

	if (!q)
		return giveup(f);
	f->p = q;
	if (*q == ']')
		return flow_close(f, ev);
	t->state = S_FNEXT;
	return flow_node(f, ev);
}

/* ---- the stream ------------------------------------------------------- */

static int root(struct yfast *f, struct yval *ev)
{
	const char *ts, *te;

	f->started = true;
	if (scan_lines(f, true))
		return -1;
	if (f->eof)
		return giveup(f);   /* an empty document */
	if (is_entry(f, f->p))
		return push(f, F_BSEQ, S_ENTRY, ev);
	if (*f->p == '{')
		return push(f, F_FMAP, S_FFIRST, ev);
	if (*f->p == '[')
		return push(f, F_FSEQ, S_FFIRST, ev);
	if (key_at(f, f->p, false, &ts, &te))
		return push(f, F_BMAP, S_KEY, ev);
	return giveup(f);
}

int dmasim__yfast_next(struct yfast *f, struct yval *ev)
{
	struct yf_frame *t;

	if (f->gave_up)
		return -1;
	if (!f->started)
		return root(f, ev);
	if (f->n == 0) {
		mark(ev, YK_NONE, 0, 0);
		ev->pos.line = ev->pos.column = 0;
		return 0;
	}
	t = &f->st[f->n - 1];
	switch (t->kind) {
	case F_BMAP:
		return t->state == S_VAL ? bmap_value(f, t, ev) : bmap_key(f, t, ev);
	case F_BSEQ:
	case F_ISEQ:
		return bseq_entry(f, t, ev);
	case F_FMAP:
		return fmap_next(f, t, ev);
	default:
		return fseq_next(f, t, ev);
	}
}

int dmasim__yfast_finish(struct yfast *f)
{
	/* A block root ends only at the end of the text; after a flow root
	 * flow_close() read the rest. */
	return f->gave_up || !f->done ? -1 : 0;
}
