/* dmasim -- numbers and BDFs as the YAML formats write them. */
#include <ctype.h>
#include <string.h>

#include "dmasim/load.h"

int dmasim_parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10, shift = 0;
	uint64_t v = 0;
	size_t len, i = 0;

	if (!s)
		return DMASIM_ESCHEMA;
	len = strlen(s);
	if (len && strchr("KMGT", s[len - 1])) {
		shift = (unsigned)(strchr("KMGT", s[len - 1]) - "KMGT" + 1) * 10;
		len--;
	}
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return DMASIM_ESCHEMA;
	for (; i < len; i++) {
		unsigned d;
		int c = (unsigned char)s[i];

		if (isdigit(c))
			d = (unsigned)(c - '0');
		else if (base == 16 && isxdigit(c))
			d = (unsigned)(tolower(c) - 'a' + 10);
		else
			return DMASIM_ESCHEMA;
		if (v > (UINT64_MAX - d) / base)
			return DMASIM_ESCHEMA;
		v = v * base + d;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return DMASIM_ESCHEMA;
	*out = v << shift;
	return DMASIM_OK;
}

/* Parse exactly @n hex digits at *p. */
static int hexn(const char **p, unsigned n, unsigned *out)
{
	unsigned v = 0, i;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)(*p)[i];
		if (!isxdigit(c))
			return -1;
		v = v * 16 + (unsigned)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
	}
	*p += n;
	*out = v;
	return 0;
}

int dmasim_parse_bdf(const char *s, uint16_t *segment, uint8_t *bus,
		     uint8_t *devfn)
{
	unsigned seg = 0, b, d, f;
	const char *p = s;
	size_t len;

	if (!s)
		return DMASIM_ESCHEMA;
	len = strlen(s);
	if (len == 12) {
		if (hexn(&p, 4, &seg) || *p++ != ':')
			return DMASIM_ESCHEMA;
	} else if (len != 7) {
		return DMASIM_ESCHEMA;
	}
	if (hexn(&p, 2, &b) || *p++ != ':' || hexn(&p, 2, &d) || *p++ != '.' ||
	    hexn(&p, 1, &f) || *p)
		return DMASIM_ESCHEMA;
	if (d > 0x1f || f > 7)
		return DMASIM_ESCHEMA;
	*segment = (uint16_t)seg;
	*bus = (uint8_t)b;
	*devfn = (uint8_t)(d << 3 | f);
	return DMASIM_OK;
}
