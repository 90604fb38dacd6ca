/* dmasim -- places named in suites: targets and landings. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "scenario/scenario_int.h"

static const char *skip_ws(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* Parse a number that ends at @end or at whitespace; trailing text is an error. */
static int number(const char *s, uint64_t *out)
{
	char buf[64];
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return dmasim_parse_u64(buf, out) == DMASIM_OK ? 0 : -1;
}

int dmasim__spec_parse(const struct dmasim_topo *topo, const char *text,
		       bool allow_fault, struct spec *out, char *why, size_t whysize)
{
	const char *s = skip_ws(text), *dot, *plus;
	char name[128];
	unsigned bar;
	int used = 0;

	memset(out, 0, sizeof(*out));
	if (allow_fault) {
		enum dmasim_fault f = dmasim_fault_parse(s);
		if (f != DMASIM_FAULT_COUNT && f != DMASIM_FAULT_NONE) {
			out->kind = SPEC_FAULT;
			out->fault = f;
			return 0;
		}
	}
	if (strncmp(s, "ram", 3) == 0 && isspace((unsigned char)s[3])) {
		out->kind = SPEC_RAM;
		if (number(skip_ws(s + 3), &out->addr)) {
			snprintf(why, whysize, "'%s': expected 'ram 0x...'", text);
			return -1;
		}
		return 0;
	}
	if (isdigit((unsigned char)*s)) {
		if (!allow_fault && number(s, &out->addr) == 0) {
			out->kind = SPEC_ADDR;
			return 0;
		}
	}
	dot = strstr(s, ".bar");
	while (dot && strstr(dot + 1, ".bar"))
		dot = strstr(dot + 1, ".bar");
	if (!dot || (size_t)(dot - s) >= sizeof(name) ||
	    sscanf(dot, ".bar%u%n", &bar, &used) != 1) {
		snprintf(why, whysize,
			 "'%s': expected <device>.bar<N> [+ offset], ram 0x...%s",
			 text, allow_fault ? ", or an error kind (e.g. iommu-fault)"
					   : " or a CPU address 0x...");
		return -1;
	}
	memcpy(name, s, (size_t)(dot - s));
	name[dot - s] = '\0';
	out->kind = SPEC_BAR;
	out->dev = dmasim_topo_find_device(topo, name);
	if (!out->dev) {
		snprintf(why, whysize, "'%s': no device '%s' in the topology", text, name);
		return -1;
	}
	out->bar = dmasim_device_find_bar(out->dev, bar);
	if (!out->bar) {
		snprintf(why, whysize, "'%s': %s has no BAR %u", text, name, bar);
		return -1;
	}
	plus = skip_ws(dot + used);
	if (*plus == '\0')
		return 0;
	if (*plus != '+' || number(skip_ws(plus + 1), &out->offset)) {
		snprintf(why, whysize, "'%s': expected '+ offset' after the BAR", text);
		return -1;
	}
	if (out->offset >= out->bar->size) {
		snprintf(why, whysize, "'%s': offset 0x%llx is beyond the BAR's size 0x%llx",
			 text, (unsigned long long)out->offset,
			 (unsigned long long)out->bar->size);
		return -1;
	}
	return 0;
}

uint64_t dmasim__spec_phys(const struct spec *s)
{
	return s->kind == SPEC_BAR ? s->bar->cpu + s->offset : s->addr;
}

bool dmasim__spec_matches(const struct spec *s, const struct dmasim_landing *l)
{
	switch (s->kind) {
	case SPEC_BAR:
		return l->kind == DMASIM_LAND_BAR && l->dev == s->dev &&
		       l->bar == s->bar && l->offset == s->offset;
	case SPEC_RAM:
	case SPEC_ADDR:
		return l->kind == DMASIM_LAND_RAM && l->cpu == s->addr;
	case SPEC_FAULT:
		return l->kind == DMASIM_LAND_FAULT && l->fault == s->fault;
	}
	return false;
}

int dmasim__spec_snprintf(char *buf, size_t size, const struct spec *s)
{
	switch (s->kind) {
	case SPEC_BAR:
		if (s->offset)
			return snprintf(buf, size, "%s.bar%u + 0x%llx", s->dev->name,
					s->bar->index, (unsigned long long)s->offset);
		return snprintf(buf, size, "%s.bar%u", s->dev->name, s->bar->index);
	case SPEC_RAM:
		return snprintf(buf, size, "ram 0x%llx", (unsigned long long)s->addr);
	case SPEC_ADDR:
		return snprintf(buf, size, "0x%llx", (unsigned long long)s->addr);
	case SPEC_FAULT:
		return snprintf(buf, size, "%s", dmasim_fault_name(s->fault));
	}
	return 0;
}
