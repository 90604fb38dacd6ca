/*
 * dmasim -- mapping targets as the CLI and suites write them:
 * "gpu0.bar1", "gpu0.bar1 + 0x1000", "ram 0x1000", "0x38000001000".
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dma/dma_int.h"
#include "dmasim/load.h"

/* Copy [b, e) into @buf trimmed of blanks; false when it does not fit. */
static bool trimmed(char *buf, size_t size, const char *b, const char *e)
{
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	if ((size_t)(e - b) >= size)
		return false;
	memcpy(buf, b, (size_t)(e - b));
	buf[e - b] = '\0';
	return true;
}

static int parse_number(const char *what, const char *s, uint64_t *out,
			const char *text, struct dmasim_error *err)
{
	if (!*s || dmasim_parse_u64(s, out) != DMASIM_OK)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"target '%s': %s '%s' is not a number (decimal or 0x-hex, optionally with K, M, G or T)",
					text, what, s);
	return DMASIM_OK;
}

/* The last ".bar<digits>" in @s that is followed by the end, blanks or
 * '+', so that names holding dots ("0000:03:00.0.bar1") still work. */
static const char *find_bar_suffix(const char *s, unsigned *index,
				   const char **rest)
{
	const char *p, *found = NULL;

	for (p = strstr(s, ".bar"); p; p = strstr(p + 1, ".bar")) {
		const char *q = p + 4;
		unsigned v = 0;

		if (!isdigit((unsigned char)*q))
			continue;
		while (isdigit((unsigned char)*q) && v < 1000)
			v = v * 10 + (unsigned)(*q++ - '0');
		if (*q && *q != '+' && !isspace((unsigned char)*q))
			continue;
		found = p;
		*index = v;
		*rest = q;
	}
	return found;
}

int dmasim_dma_target_parse(const struct dmasim_topo *topo, const char *text,
			    struct dmasim_dma_target *out,
			    struct dmasim_error *err)
{
	struct dmasim_dma_target t;
	char name[128], num[64];
	const char *s, *dot, *rest = NULL;
	unsigned index = 0;
	int rc;

	if (!topo || !text || !out)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"a target needs a topology and a text");
	memset(&t, 0, sizeof(t));
	for (s = text; isspace((unsigned char)*s); s++)
		;
	if (strncmp(s, "ram", 3) == 0 && isspace((unsigned char)s[3])) {
		if (!trimmed(num, sizeof(num), s + 3, s + strlen(s)))
			return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
						"target '%s': the address is too long", text);
		if ((rc = parse_number("address", num, &t.phys, text, err)))
			return rc;
		*out = t;
		return DMASIM_OK;
	}
	dot = find_bar_suffix(s, &index, &rest);
	if (!dot) {
		if (!trimmed(num, sizeof(num), s, s + strlen(s)))
			return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
						"target '%s' is neither <device>.bar<N>[+offset] nor an address", text);
		if (dmasim_parse_u64(num, &t.phys) != DMASIM_OK)
			return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
						"target '%s' is neither <device>.bar<N>[+offset], 'ram <address>' nor a CPU address",
						text);
		*out = t;
		return DMASIM_OK;
	}
	if (!trimmed(name, sizeof(name), s, dot) || !name[0])
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"target '%s': no device name before '.bar%u'", text, index);
	t.is_bar = true;
	t.dev = dmasim_topo_find_device(topo, name);
	if (!t.dev)
		return dmasim_error_set(err, DMASIM_ENOTFOUND, NULL, 0, 0,
					"target '%s': no device '%s' (give a name or a BDF)",
					text, name);
	t.bar = dmasim_device_find_bar(t.dev, index);
	if (!t.bar)
		return dmasim_error_set(err, DMASIM_ENOTFOUND, NULL, 0, 0,
					"target '%s': %s has no BAR %u", text, t.dev->name, index);
	while (isspace((unsigned char)*rest))
		rest++;
	if (*rest == '+') {
		if (!trimmed(num, sizeof(num), rest + 1, rest + strlen(rest)))
			return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
						"target '%s': the offset is too long", text);
		if ((rc = parse_number("offset", num, &t.offset, text, err)))
			return rc;
	} else if (*rest) {
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"target '%s': unexpected '%s' after the BAR", text, rest);
	}
	if (t.offset >= t.bar->size)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"target '%s': offset 0x%llx is outside BAR %u of %s (0x%llx bytes)",
					text, (unsigned long long)t.offset, index, t.dev->name,
					(unsigned long long)t.bar->size);
	t.phys = t.bar->cpu + t.offset;
	*out = t;
	return DMASIM_OK;
}

int dmasim_dma_target_fits(const struct dmasim_dma_target *t, uint64_t size,
			   struct dmasim_error *err)
{
	char name[160];

	if (!t || size == 0)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"a target range needs a target and at least 1 byte");
	if (!t->is_bar || !t->bar || !t->dev)
		return DMASIM_OK;
	/* offset < bar->size holds after dmasim_dma_target_parse() */
	if (t->offset < t->bar->size && size <= t->bar->size - t->offset)
		return DMASIM_OK;
	snprintf(name, sizeof(name), t->offset ? "%s.bar%u+0x%llx" : "%s.bar%u",
		 t->dev->name, t->bar->index, (unsigned long long)t->offset);
	return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
				"target %s: offset 0x%llx + size 0x%llx runs past the end of BAR %u of %s (0x%llx bytes, 0x%llx from that offset)",
				name, (unsigned long long)t->offset,
				(unsigned long long)size, t->bar->index, t->dev->name,
				(unsigned long long)t->bar->size,
				(unsigned long long)(t->offset < t->bar->size
						     ? t->bar->size - t->offset : 0));
}
