/* dmasim -- YAML documents with schema checks (src/load/ynode.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/load.h"
#include "load/ynode.h"

static int syntax_error(struct ydoc *y, yaml_parser_t *p)
{
	yaml_mark_t m = p->problem_mark;
	const char *problem = p->problem ? p->problem : "malformed YAML";

	if (p->context)
		return dmasim_error_set(y->err, DMASIM_ESYNTAX, y->file,
					(unsigned)m.line + 1, (unsigned)m.column + 1,
					"%s %s (line %u)", problem, p->context,
					(unsigned)p->context_mark.line + 1);
	return dmasim_error_set(y->err, DMASIM_ESYNTAX, y->file,
				(unsigned)m.line + 1, (unsigned)m.column + 1,
				"%s", problem);
}

int ydoc_load_string(struct ydoc *y, const char *text, size_t len,
		     const char *file, struct dmasim_error *err)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	int rc = DMASIM_OK;

	memset(y, 0, sizeof(*y));
	y->file = file;
	y->err = err;
	if (memchr(text, '\0', len))
		return dmasim_error_set(err, DMASIM_ESYNTAX, file, 0, 0,
					"the file contains a NUL byte");
	if (!yaml_parser_initialize(&parser))
		return dmasim_error_set(err, DMASIM_ENOMEM, file, 0, 0,
					"out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		rc = syntax_error(y, &parser);
		yaml_parser_delete(&parser);
		return rc;
	}
	y->loaded = true;
	if (!yaml_document_get_root_node(&y->doc)) {
		rc = dmasim_error_set(err, DMASIM_ESCHEMA, file, 1, 1,
				      "the file is empty; expected a mapping");
	} else if (!yaml_parser_load(&parser, &extra)) {
		rc = syntax_error(y, &parser);
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
		ydoc_fini(y);
	return rc;
}

int ydoc_load_file(struct ydoc *y, const char *path, struct dmasim_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	memset(y, 0, sizeof(*y));
	if (!f)
		return dmasim_error_set(err, DMASIM_EIO, path, 0, 0,
					"cannot open: %s", strerror(errno));
	for (;;) {
		if (cap - len < 65536) {
			char *nb = realloc(buf, cap ? cap * 2 : 65536 * 2);
			if (!nb) {
				free(buf);
				fclose(f);
				return dmasim_error_set(err, DMASIM_ENOMEM, path, 0, 0,
							"out of memory");
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536 * 2;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return dmasim_error_set(err, DMASIM_EIO, path, 0, 0,
					"cannot read (is it a directory?)");
	}
	fclose(f);
	rc = ydoc_load_string(y, buf, len, path, err);
	free(buf);
	return rc;
}

void ydoc_fini(struct ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
}

yaml_node_t *ydoc_root(struct ydoc *y)
{
	return yaml_document_get_root_node(&y->doc);
}

struct dmasim_pos ypos(const yaml_node_t *n)
{
	struct dmasim_pos p = { 0, 0 };

	if (n) {
		p.line = (unsigned)n->start_mark.line + 1;
		p.column = (unsigned)n->start_mark.column + 1;
	}
	return p;
}

int yerr(struct ydoc *y, const yaml_node_t *n, int code, const char *fmt, ...)
{
	struct dmasim_pos p = ypos(n);
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dmasim_error_set(y->err, code, y->file, p.line, p.column, "%s",
				msg);
}

static const char *kind_word(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

bool yis_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

const char *yscalar(const yaml_node_t *n)
{
	return yis_scalar(n) ? (const char *)n->data.scalar.value : NULL;
}

int ymap(struct ydoc *y, yaml_node_t *n, const char *what,
	 const char *const *keys, yaml_node_t **out)
{
	yaml_node_pair_t *pair;
	size_t i, nkeys = 0;

	while (keys[nkeys])
		out[nkeys++] = NULL;
	if (n->type != YAML_MAPPING_NODE)
		return yerr(y, n, DMASIM_ESCHEMA, "expected a mapping for %s, found %s",
			    what, kind_word(n));
	for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top;
	     pair++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, pair->key);
		const char *ks = yscalar(k);

		if (!ks)
			return yerr(y, k, DMASIM_ESCHEMA,
				    "a key of %s is %s; keys must be plain words",
				    what, kind_word(k));
		for (i = 0; i < nkeys; i++)
			if (strcmp(ks, keys[i]) == 0)
				break;
		if (i == nkeys) {
			char list[384];
			size_t len = 0, j;

			list[0] = '\0';
			for (j = 0; j < nkeys && len < sizeof(list); j++)
				len += (size_t)snprintf(list + len, sizeof(list) - len,
							"%s%s", j ? ", " : "", keys[j]);
			return yerr(y, k, DMASIM_ESCHEMA,
				    "unknown key '%s' in %s; expected one of: %s",
				    ks, what, list);
		}
		if (out[i])
			return yerr(y, k, DMASIM_ESCHEMA,
				    "duplicate key '%s' in %s (first at line %u)",
				    ks, what, ypos(out[i]).line);
		out[i] = yaml_document_get_node(&y->doc, pair->value);
	}
	return DMASIM_OK;
}

int yrequire(struct ydoc *y, const yaml_node_t *map, const yaml_node_t *val,
	     const char *what, const char *key)
{
	if (val)
		return DMASIM_OK;
	return yerr(y, map, DMASIM_ESCHEMA, "%s needs the key '%s'", what, key);
}

int yseq(struct ydoc *y, yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return yerr(y, n, DMASIM_ESCHEMA, "expected a list for %s, found %s",
			    what, kind_word(n));
	return DMASIM_OK;
}

size_t yseq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

yaml_node_t *yseq_at(struct ydoc *y, const yaml_node_t *n, size_t i)
{
	return yaml_document_get_node(&y->doc, n->data.sequence.items.start[i]);
}

int ystr(struct ydoc *y, yaml_node_t *n, const char *what, const char **out)
{
	const char *s = yscalar(n);

	if (!s)
		return yerr(y, n, DMASIM_ESCHEMA, "expected a string for %s, found %s",
			    what, kind_word(n));
	if (strlen(s) != n->data.scalar.length)
		return yerr(y, n, DMASIM_ESCHEMA, "%s contains a NUL character", what);
	if (!*s)
		return yerr(y, n, DMASIM_ESCHEMA, "%s is empty", what);
	*out = s;
	return DMASIM_OK;
}

int yu64(struct ydoc *y, yaml_node_t *n, const char *what, uint64_t *out)
{
	return yu64_max(y, n, what, UINT64_MAX, out);
}

int yu64_max(struct ydoc *y, yaml_node_t *n, const char *what, uint64_t max,
	     uint64_t *out)
{
	const char *s = yscalar(n);
	uint64_t v;

	if (!s)
		return yerr(y, n, DMASIM_ESCHEMA, "expected a number for %s, found %s",
			    what, kind_word(n));
	if (dmasim_parse_u64(s, &v) != DMASIM_OK)
		return yerr(y, n, DMASIM_ESCHEMA,
			    "%s: '%s' is not a number (decimal or 0x-hex, optionally with K, M, G or T) that fits in 64 bits",
			    what, s);
	if (v > max)
		return yerr(y, n, DMASIM_ESCHEMA, "%s: %s is larger than the maximum %llu",
			    what, s, (unsigned long long)max);
	*out = v;
	return DMASIM_OK;
}

int ybool(struct ydoc *y, yaml_node_t *n, const char *what, bool *out)
{
	const char *s = yscalar(n);

	if (s && strcmp(s, "true") == 0)
		*out = true;
	else if (s && strcmp(s, "false") == 0)
		*out = false;
	else
		return yerr(y, n, DMASIM_ESCHEMA, "expected true or false for %s", what);
	return DMASIM_OK;
}

int yenum(struct ydoc *y, yaml_node_t *n, const char *what,
	  const char *const *names, size_t count, int *out)
{
	const char *s = yscalar(n);
	char list[256];
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
		return yerr(y, n, DMASIM_ESCHEMA, "expected one of %s for %s, found %s",
			    list, what, kind_word(n));
	return yerr(y, n, DMASIM_ESCHEMA, "'%s' is not a valid %s; expected one of: %s",
		    s, what, list);
}

int yrange(struct ydoc *y, yaml_node_t *n, const char *what,
	   struct dmasim_range *out)
{
	static const char *const keys[] = { "base", "size", NULL };
	yaml_node_t *v[2];
	struct dmasim_range r;
	int rc;

	if ((rc = ymap(y, n, what, keys, v)) ||
	    (rc = yrequire(y, n, v[0], what, "base")) ||
	    (rc = yrequire(y, n, v[1], what, "size")) ||
	    (rc = yu64(y, v[0], "base", &r.base)) ||
	    (rc = yu64(y, v[1], "size", &r.size)))
		return rc;
	if (r.size == 0)
		return yerr(y, v[1], DMASIM_ESCHEMA, "the size of %s is 0", what);
	if (r.base + (r.size - 1) < r.base)
		return yerr(y, n, DMASIM_ESCHEMA,
			    "%s [base 0x%llx, size 0x%llx] wraps past the end of the 64-bit address space",
			    what, (unsigned long long)r.base,
			    (unsigned long long)r.size);
	*out = r;
	return DMASIM_OK;
}
