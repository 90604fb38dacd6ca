/*
 * dmasim -- resource limits: defaults and "NAME=VALUE" parsing, from one
 * table (docs/limits.md).
 */
#include <stddef.h>
#include <string.h>

#include "dmasim/limits.h"
#include "dmasim/load.h"

struct limit_row {
	const char *name;
	size_t offset;   /* in struct dmasim_limits */
	unsigned width;  /* bytes: 1 (bool), 4 or 8 */
	uint64_t def;
};

#define ROW(n, f, d) { n, offsetof(struct dmasim_limits, f), \
		       sizeof(((struct dmasim_limits *)0)->f), d }

static const struct limit_row limit_rows[] = {
	ROW("file-bytes", file_bytes, DMASIM_LIMIT_FILE_BYTES),
	ROW("depth", depth, DMASIM_LIMIT_DEPTH),
	ROW("devices", devices, DMASIM_LIMIT_DEVICES),
	ROW("cases", cases, DMASIM_LIMIT_CASES),
	ROW("windows", windows, DMASIM_LIMIT_WINDOWS),
	ROW("alias-events", alias_events, DMASIM_LIMIT_ALIAS_EVENTS),
	ROW("no-file-refs", no_file_refs, 0),
	ROW("pairs", pairs, DMASIM_LIMIT_PAIRS),
	ROW("allow-outside-refs", allow_outside_refs, 0),
};
#define NROWS (sizeof(limit_rows) / sizeof(limit_rows[0]))

static const char *const limit_names[NROWS + 1] = {
	"file-bytes", "depth", "devices", "cases", "windows", "alias-events",
	"no-file-refs", "pairs", "allow-outside-refs", NULL,
};

static uint64_t get(const struct dmasim_limits *l, const struct limit_row *r)
{
	const char *p = (const char *)l + r->offset;
	uint64_t v64;
	uint32_t v32;
	bool b;

	switch (r->width) {
	case 8: memcpy(&v64, p, 8); return v64;
	case 4: memcpy(&v32, p, 4); return v32;
	default: memcpy(&b, p, sizeof(b)); return b;
	}
}

static void put(struct dmasim_limits *l, const struct limit_row *r, uint64_t v)
{
	char *p = (char *)l + r->offset;
	uint32_t v32 = (uint32_t)v;
	bool b = v != 0;

	switch (r->width) {
	case 8: memcpy(p, &v, 8); break;
	case 4: memcpy(p, &v32, 4); break;
	default: memcpy(p, &b, sizeof(b)); break;
	}
}

struct dmasim_limits dmasim_limits_resolve(const struct dmasim_limits *lim)
{
	struct dmasim_limits out = { 0 };
	size_t i;

	if (lim)
		out = *lim;
	for (i = 0; i < NROWS; i++)
		if (get(&out, &limit_rows[i]) == 0)
			put(&out, &limit_rows[i], limit_rows[i].def);
	return out;
}

int dmasim_limits_set(struct dmasim_limits *lim, const char *text,
		      struct dmasim_error *err)
{
	const char *eq = text ? strchr(text, '=') : NULL;
	uint64_t v;
	size_t i;

	if (!lim || !eq)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
			"a limit is NAME=VALUE, for instance devices=16M; got '%s'",
			text ? text : "(null)");
	for (i = 0; i < NROWS; i++)
		if (strlen(limit_rows[i].name) == (size_t)(eq - text) &&
		    memcmp(limit_rows[i].name, text, (size_t)(eq - text)) == 0)
			break;
	if (i == NROWS)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
			"unknown limit '%.*s'; the limits are file-bytes, depth, devices, cases, windows, alias-events, no-file-refs, pairs and allow-outside-refs",
			(int)(eq - text), text);
	if (dmasim_parse_u64(eq + 1, &v) ||
	    (limit_rows[i].width == 4 && v > UINT32_MAX) ||
	    (limit_rows[i].width == 1 && v > 1))
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
			"limit %s: '%s' is not a number %s", limit_rows[i].name, eq + 1,
			limit_rows[i].width == 1 ? "0 or 1" :
			limit_rows[i].width == 4 ? "below 2^32" : "below 2^64");
	if (v == 0 && limit_rows[i].width != 1)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
			"limit %s: 0 is not a limit (it would mean the default %llu)",
			limit_rows[i].name, (unsigned long long)limit_rows[i].def);
	put(lim, &limit_rows[i], v);
	return DMASIM_OK;
}

const char *const *dmasim_limits_names(void)
{
	return limit_names;
}
