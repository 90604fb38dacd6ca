/*
 * dmasim tests -- `json-shape DOC.md NAME FILE`: check that the JSON
 * document in FILE has the shape NAME that DOC.md (docs/json.md) defines
 * in its ```shape blocks.  Exit 0 when it does; 1 with the path of the
 * first difference; 2 on usage errors or a shape that does not parse.
 *
 * The shape language (docs/json.md "Reading the shapes"):
 *   NAME = SHAPE                    a definition; NAME may be used in SHAPEs
 *   string int bool null hex any    a value of that type ("hex": "0x1f")
 *   "text" 12                       exactly that value
 *   [ SHAPE ]                       an array of SHAPEs
 *   { "key": SHAPE, "opt"?: SHAPE, *: SHAPE }
 *                                   an object with these keys and no others
 *                                   ("?" optional, "*" any other key)
 *   SHAPE | SHAPE                   either
 *   # ...                           a comment to the end of the line
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON values ---- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	bool b;
	bool integer;
	long long num;
	char *str;             /* J_STR */
	struct jval **items;   /* J_ARR, J_OBJ (values) */
	char **keys;           /* J_OBJ */
	size_t n;
};

struct src {
	const char *s;
	int depth;
};

static void skip_ws(struct src *p)
{
	while (*p->s == ' ' || *p->s == '\n' || *p->s == '\t' || *p->s == '\r')
		p->s++;
}

static struct jval *jnew(enum jtype t)
{
	struct jval *v = calloc(1, sizeof(*v));

	if (!v) {
		fprintf(stderr, "json-shape: out of memory\n");
		exit(2);
	}
	v->type = t;
	return v;
}

static void push(struct jval *v, char *key, struct jval *item)
{
	v->items = realloc(v->items, (v->n + 1) * sizeof(*v->items));
	v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
	if (!v->items || !v->keys) {
		fprintf(stderr, "json-shape: out of memory\n");
		exit(2);
	}
	v->items[v->n] = item;
	v->keys[v->n] = key;
	v->n++;
}

/* A JSON string's text (escapes kept as they are: shapes compare keys and
 * literal values, which carry none). */
static char *jstring(struct src *p)
{
	const char *start;
	char *out;

	if (*p->s != '"')
		return NULL;
	start = ++p->s;
	while (*p->s && *p->s != '"') {
		if (*p->s == '\\' && p->s[1])
			p->s++;
		p->s++;
	}
	if (*p->s != '"')
		return NULL;
	out = strndup(start, (size_t)(p->s - start));
	p->s++;
	return out;
}

static struct jval *jparse(struct src *p)
{
	struct jval *v;

	skip_ws(p);
	if (++p->depth > 200)
		return NULL;
	if (*p->s == '{' || *p->s == '[') {
		bool obj = *p->s == '{';
		char close = obj ? '}' : ']';

		v = jnew(obj ? J_OBJ : J_ARR);
		p->s++;
		skip_ws(p);
		if (*p->s == close) {
			p->s++;
			p->depth--;
			return v;
		}
		for (;;) {
			char *key = NULL;
			struct jval *item;

			skip_ws(p);
			if (obj) {
				if (!(key = jstring(p)))
					return NULL;
				skip_ws(p);
				if (*p->s++ != ':')
					return NULL;
			}
			if (!(item = jparse(p)))
				return NULL;
			push(v, key, item);
			skip_ws(p);
			if (*p->s == ',') {
				p->s++;
				continue;
			}
			if (*p->s++ != close)
				return NULL;
			p->depth--;
			return v;
		}
	}
	if (*p->s == '"') {
		v = jnew(J_STR);
		if (!(v->str = jstring(p)))
			return NULL;
	} else if (!strncmp(p->s, "true", 4) || !strncmp(p->s, "false", 5)) {
		v = jnew(J_BOOL);
		v->b = *p->s == 't';
		p->s += v->b ? 4 : 5;
	} else if (!strncmp(p->s, "null", 4)) {
		v = jnew(J_NULL);
		p->s += 4;
	} else if (*p->s == '-' || isdigit((unsigned char)*p->s)) {
		char *end;
		v = jnew(J_NUM);
		v->num = strtoll(p->s, &end, 10);
		v->integer = !strchr(".eE", *end);
		strtod(p->s, &end);
		if (end == p->s)
			return NULL;
		p->s = end;
	} else {
		return NULL;
	}
	p->depth--;
	return v;
}

/* ---- shapes ---- */

enum stype { S_STRING, S_INT, S_BOOL, S_NULL, S_HEX, S_ANY, S_LIT_STR, S_LIT_INT,
	     S_ARR, S_OBJ, S_REF, S_ALT };

struct shape {
	enum stype type;
	char *text;              /* S_LIT_STR, S_REF */
	long long num;           /* S_LIT_INT */
	struct shape **sub;      /* S_ARR (1), S_OBJ (members), S_ALT */
	char **keys;             /* S_OBJ: key, or "*" */
	bool *optional;          /* S_OBJ */
	size_t n;
};

struct def {
	char *name;
	struct shape *shape;
};

struct defs {
	struct def *v;
	size_t n;
};

struct sp {
	const char *s;
	int line;
	const char *err;
};

static void sws(struct sp *p)
{
	for (;;) {
		while (isspace((unsigned char)*p->s)) {
			if (*p->s == '\n')
				p->line++;
			p->s++;
		}
		if (*p->s != '#')
			return;
		while (*p->s && *p->s != '\n')
			p->s++;
	}
}

static struct shape *snew(enum stype t)
{
	struct shape *s = calloc(1, sizeof(*s));

	if (!s) {
		fprintf(stderr, "json-shape: out of memory\n");
		exit(2);
	}
	s->type = t;
	return s;
}

static void sadd(struct shape *s, char *key, bool opt, struct shape *sub)
{
	s->sub = realloc(s->sub, (s->n + 1) * sizeof(*s->sub));
	s->keys = realloc(s->keys, (s->n + 1) * sizeof(*s->keys));
	s->optional = realloc(s->optional, (s->n + 1) * sizeof(*s->optional));
	if (!s->sub || !s->keys || !s->optional) {
		fprintf(stderr, "json-shape: out of memory\n");
		exit(2);
	}
	s->sub[s->n] = sub;
	s->keys[s->n] = key;
	s->optional[s->n] = opt;
	s->n++;
}

static char *sname(struct sp *p)
{
	const char *start = p->s;

	while (isalnum((unsigned char)*p->s) || *p->s == '_' || *p->s == '-')
		p->s++;
	return p->s > start ? strndup(start, (size_t)(p->s - start)) : NULL;
}

static struct shape *sparse(struct sp *p);

static struct shape *salt(struct sp *p)
{
	static const struct { const char *name; enum stype t; } types[] = {
		{ "string", S_STRING }, { "int", S_INT }, { "bool", S_BOOL },
		{ "null", S_NULL }, { "hex", S_HEX }, { "any", S_ANY },
	};
	struct shape *s;
	char *name;
	size_t i;

	sws(p);
	if (*p->s == '"') {
		const char *start = ++p->s;
		while (*p->s && *p->s != '"')
			p->s++;
		if (!*p->s)
			return p->err = "unterminated string", NULL;
		s = snew(S_LIT_STR);
		s->text = strndup(start, (size_t)(p->s++ - start));
		return s;
	}
	if (*p->s == '-' || isdigit((unsigned char)*p->s)) {
		char *end;
		s = snew(S_LIT_INT);
		s->num = strtoll(p->s, &end, 10);
		p->s = end;
		return s;
	}
	if (*p->s == '[') {
		p->s++;
		s = snew(S_ARR);
		sadd(s, NULL, false, sparse(p));
		if (!s->sub[0])
			return NULL;
		sws(p);
		if (*p->s++ != ']')
			return p->err = "']' expected", NULL;
		return s;
	}
	if (*p->s == '{') {
		p->s++;
		s = snew(S_OBJ);
		for (;;) {
			char *key;
			bool opt = false;
			struct shape *sub;

			sws(p);
			if (*p->s == '}') {
				p->s++;
				return s;
			}
			if (*p->s == '*') {
				p->s++;
				key = strdup("*");
			} else if (*p->s == '"') {
				const char *start = ++p->s;
				while (*p->s && *p->s != '"')
					p->s++;
				if (!*p->s)
					return p->err = "unterminated key", NULL;
				key = strndup(start, (size_t)(p->s++ - start));
			} else {
				return p->err = "a key (\"name\" or *) expected", NULL;
			}
			if (*p->s == '?') {
				opt = true;
				p->s++;
			}
			sws(p);
			if (*p->s++ != ':')
				return p->err = "':' expected after a key", NULL;
			if (!(sub = sparse(p)))
				return NULL;
			sadd(s, key, opt, sub);
			sws(p);
			if (*p->s == ',')
				p->s++;
			else if (*p->s != '}')
				return p->err = "',' or '}' expected", NULL;
		}
	}
	if (!(name = sname(p)))
		return p->err = "a shape expected", NULL;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(name, types[i].name)) {
			free(name);
			return snew(types[i].t);
		}
	s = snew(S_REF);
	s->text = name;
	return s;
}

static struct shape *sparse(struct sp *p)
{
	struct shape *first = salt(p), *alt;

	if (!first)
		return NULL;
	sws(p);
	if (*p->s != '|')
		return first;
	alt = snew(S_ALT);
	sadd(alt, NULL, false, first);
	while (*p->s == '|') {
		struct shape *next;
		p->s++;
		if (!(next = salt(p)))
			return NULL;
		sadd(alt, NULL, false, next);
		sws(p);
	}
	return alt;
}

/* Every definition in the ```shape blocks of @doc. */
static struct shape *lookup(const struct defs *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].name, name))
			return d->v[i].shape;
	return NULL;
}

static int read_defs(const char *doc, struct defs *d)
{
	const char *block = doc;

	while ((block = strstr(block, "```shape\n"))) {
		const char *end = strstr(block + 9, "```");
		char *text;
		struct sp p;
		int line = 1;
		const char *q;

		if (!end)
			return fprintf(stderr, "json-shape: an unterminated shape block\n"), -1;
		for (q = doc; q < block; q++)
			line += *q == '\n';
		text = strndup(block + 9, (size_t)(end - block - 9));
		p = (struct sp){ text, line + 1, NULL };
		for (;;) {
			char *name;
			struct shape *s;

			sws(&p);
			if (!*p.s)
				break;
			if (!(name = sname(&p)))
				return fprintf(stderr, "json-shape: line %d: a definition NAME = SHAPE expected\n", p.line), -1;
			sws(&p);
			if (*p.s++ != '=')
				return fprintf(stderr, "json-shape: line %d: '=' expected after %s\n", p.line, name), -1;
			if (!(s = sparse(&p)))
				return fprintf(stderr, "json-shape: line %d: %s\n", p.line, p.err ? p.err : "bad shape"), -1;
			if (lookup(d, name))
				return fprintf(stderr, "json-shape: line %d: %s is defined twice\n", p.line, name), -1;
			d->v = realloc(d->v, (d->n + 1) * sizeof(*d->v));
			if (!d->v)
				return -1;
			d->v[d->n++] = (struct def){ name, s };
		}
		block = end + 3;
	}
	return 0;
}


/* ---- matching ---- */

static const char *jtype_name(const struct jval *v)
{
	static const char *const names[] = { "null", "a boolean", "a number", "a string",
					     "an array", "an object" };
	return names[v->type];
}

/* Does @v have shape @s?  On failure @why says where and why. */
static bool match(const struct defs *d, const struct shape *s, const struct jval *v,
		  const char *path, char *why, size_t size)
{
	char sub[1024];
	size_t i, j;

	switch (s->type) {
	case S_ANY: return true;
	case S_STRING:
		if (v->type == J_STR)
			return true;
		break;
	case S_HEX:
		if (v->type == J_STR && v->str[0] == '0' && v->str[1] == 'x' && v->str[2] &&
		    strspn(v->str + 2, "0123456789abcdef") == strlen(v->str + 2))
			return true;
		break;
	case S_INT:
		if (v->type == J_NUM && v->integer)
			return true;
		break;
	case S_BOOL:
		if (v->type == J_BOOL)
			return true;
		break;
	case S_NULL:
		if (v->type == J_NULL)
			return true;
		break;
	case S_LIT_STR:
		if (v->type == J_STR && !strcmp(v->str, s->text))
			return true;
		snprintf(why, size, "%s: expected \"%s\", got %s%s%s", path, s->text, jtype_name(v),
			 v->type == J_STR ? " " : "", v->type == J_STR ? v->str : "");
		return false;
	case S_LIT_INT:
		if (v->type == J_NUM && v->integer && v->num == s->num)
			return true;
		snprintf(why, size, "%s: expected %lld", path, s->num);
		return false;
	case S_REF: {
		const struct shape *t = lookup(d, s->text);
		if (!t) {
			snprintf(why, size, "%s: the shape '%s' is not defined", path, s->text);
			return false;
		}
		return match(d, t, v, path, why, size);
	}
	case S_ALT:
		for (i = 0; i < s->n; i++)
			if (match(d, s->sub[i], v, path, why, size))
				return true;
		snprintf(why + strlen(why), size - strlen(why), " (and no other alternative fits)");
		return false;
	case S_ARR:
		if (v->type != J_ARR)
			break;
		for (i = 0; i < v->n; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (!match(d, s->sub[0], v->items[i], sub, why, size))
				return false;
		}
		return true;
	case S_OBJ:
		if (v->type != J_OBJ)
			break;
		for (i = 0; i < v->n; i++) {
			const struct shape *m = NULL;
			for (j = 0; j < s->n && !m; j++)
				if (!strcmp(s->keys[j], v->keys[i]))
					m = s->sub[j];
			for (j = 0; j < s->n && !m; j++)
				if (!strcmp(s->keys[j], "*"))
					m = s->sub[j];
			snprintf(sub, sizeof(sub), "%s.%s", path, v->keys[i]);
			if (!m) {
				snprintf(why, size, "%s: a key the shape does not document", sub);
				return false;
			}
			if (!match(d, m, v->items[i], sub, why, size))
				return false;
		}
		for (j = 0; j < s->n; j++) {
			bool found = s->optional[j] || !strcmp(s->keys[j], "*");
			for (i = 0; i < v->n && !found; i++)
				found = !strcmp(s->keys[j], v->keys[i]);
			if (!found) {
				snprintf(why, size, "%s: the key \"%s\" is missing", path, s->keys[j]);
				return false;
			}
		}
		return true;
	}
	snprintf(why, size, "%s: expected %s, got %s", path,
		 s->type == S_STRING ? "a string" : s->type == S_HEX ? "a \"0x...\" string"
		 : s->type == S_INT ? "an integer" : s->type == S_BOOL ? "a boolean"
		 : s->type == S_NULL ? "null" : s->type == S_ARR ? "an array" : "an object",
		 jtype_name(v));
	return false;
}

static char *slurp(const char *file)
{
	FILE *f = fopen(file, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			if (!(buf = realloc(buf, cap)))
				return NULL;
		}
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	struct defs defs = { 0 };
	const struct shape *root;
	struct jval *v;
	struct src src;
	char *doc, *text, why[2048] = "";

	if (argc != 4) {
		fprintf(stderr, "usage: json-shape DOC.md NAME FILE\n");
		return 2;
	}
	if (!(doc = slurp(argv[1])) || !(text = slurp(argv[3]))) {
		fprintf(stderr, "json-shape: cannot read %s\n", doc ? argv[3] : argv[1]);
		return 2;
	}
	if (read_defs(doc, &defs))
		return 2;
	if (!(root = lookup(&defs, argv[2]))) {
		fprintf(stderr, "json-shape: %s defines no shape '%s'\n", argv[1], argv[2]);
		return 2;
	}
	src = (struct src){ text, 0 };
	v = jparse(&src);
	if (v)
		skip_ws(&src);
	if (!v || *src.s) {
		printf("%s: not one JSON document (near byte %td)\n", argv[3], src.s - text);
		return 1;
	}
	if (!match(&defs, root, v, "$", why, sizeof(why))) {
		printf("%s: not the shape '%s' of %s: %s\n", argv[3], argv[2], argv[1], why);
		return 1;
	}
	return 0;
}
