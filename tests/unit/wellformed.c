/* dmasim tests -- tiny JSON and XML well-formedness checkers. */
#include <ctype.h>
#include <string.h>

#include "wellformed.h"

struct p {
	const char *s;
	int depth;
};

static void ws(struct p *p)
{
	while (*p->s == ' ' || *p->s == '\n' || *p->s == '\t' || *p->s == '\r')
		p->s++;
}

static bool jvalue(struct p *p);

/* Bytes of the valid UTF-8 sequence at @s, 0 if none starts there. */
static size_t utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	unsigned long cp;

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
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static bool jstring(struct p *p)
{
	if (*p->s++ != '"')
		return false;
	while (*p->s && *p->s != '"') {
		size_t n = utf8(p->s);
		if ((unsigned char)*p->s < 0x20 || n == 0)
			return false;
		if (n > 1) {
			p->s += n;
			continue;
		}
		if (*p->s == '\\') {
			p->s++;
			if (*p->s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p->s[i]))
						return false;
				p->s += 4;
			} else if (!strchr("\"\\/bfnrt", *p->s) || !*p->s) {
				return false;
			}
		}
		p->s++;
	}
	return *p->s++ == '"';
}

static bool jnumber(struct p *p)
{
	const char *start = p->s;

	if (*p->s == '-')
		p->s++;
	if (!isdigit((unsigned char)*p->s))
		return false;
	if (*p->s == '0' && isdigit((unsigned char)p->s[1]))
		return false;
	while (isdigit((unsigned char)*p->s))
		p->s++;
	if (*p->s == '.') {
		p->s++;
		if (!isdigit((unsigned char)*p->s))
			return false;
		while (isdigit((unsigned char)*p->s))
			p->s++;
	}
	if (*p->s == 'e' || *p->s == 'E') {
		p->s++;
		if (*p->s == '+' || *p->s == '-')
			p->s++;
		if (!isdigit((unsigned char)*p->s))
			return false;
		while (isdigit((unsigned char)*p->s))
			p->s++;
	}
	return p->s > start;
}

static bool jvalue(struct p *p)
{
	ws(p);
	if (++p->depth > 256)
		return false;
	switch (*p->s) {
	case '{':
		p->s++;
		ws(p);
		if (*p->s == '}') {
			p->s++;
			break;
		}
		for (;;) {
			ws(p);
			if (!jstring(p))
				return false;
			ws(p);
			if (*p->s++ != ':' || !jvalue(p))
				return false;
			ws(p);
			if (*p->s == ',') {
				p->s++;
				continue;
			}
			if (*p->s++ != '}')
				return false;
			break;
		}
		break;
	case '[':
		p->s++;
		ws(p);
		if (*p->s == ']') {
			p->s++;
			break;
		}
		for (;;) {
			if (!jvalue(p))
				return false;
			ws(p);
			if (*p->s == ',') {
				p->s++;
				continue;
			}
			if (*p->s++ != ']')
				return false;
			break;
		}
		break;
	case '"':
		if (!jstring(p))
			return false;
		break;
	case 't':
		if (strncmp(p->s, "true", 4))
			return false;
		p->s += 4;
		break;
	case 'f':
		if (strncmp(p->s, "false", 5))
			return false;
		p->s += 5;
		break;
	case 'n':
		if (strncmp(p->s, "null", 4))
			return false;
		p->s += 4;
		break;
	default:
		if (!jnumber(p))
			return false;
	}
	p->depth--;
	return true;
}

bool wf_json(const char *text)
{
	struct p p = { text, 0 };

	if (!jvalue(&p))
		return false;
	ws(&p);
	return *p.s == '\0';
}

static bool xname(struct p *p, const char **start, size_t *len)
{
	*start = p->s;
	if (!isalpha((unsigned char)*p->s) && *p->s != '_')
		return false;
	while (isalnum((unsigned char)*p->s) || strchr("_-.:", *p->s))
		p->s++;
	*len = (size_t)(p->s - *start);
	return true;
}

/* Character data or an attribute value up to @end; entities checked. */
static bool xtext(struct p *p, char end)
{
	while (*p->s && *p->s != end) {
		unsigned char c = (unsigned char)*p->s;
		size_t n = utf8(p->s);
		/* XML 1.0: no control character but tab and line breaks, UTF-8 */
		if (n == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
			return false;
		if (n > 1) {
			p->s += n;
			continue;
		}
		if (*p->s == '&' && p->s[1] == '#') {
			const char *q = p->s + 2;
			bool hex = *q == 'x';
			q += hex;
			if (!(hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q)))
				return false;
			while (hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q))
				q++;
			if (*q != ';')
				return false;
			p->s = q + 1;
			continue;
		}
		if (*p->s == '&') {
			static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
			size_t i;
			for (i = 0; i < 5; i++)
				if (!strncmp(p->s, ents[i], strlen(ents[i])))
					break;
			if (i == 5)
				return false;
			p->s += strlen(ents[i]);
			continue;
		}
		if (*p->s == '<' && end == '"')
			return false;
		p->s++;
	}
	return true;
}

static bool xelement(struct p *p)
{
	const char *name, *cname;
	size_t len, clen;

	if (++p->depth > 256 || *p->s++ != '<' || !xname(p, &name, &len))
		return false;
	for (;;) {
		const char *an;
		size_t alen;
		ws(p);
		if (*p->s == '/' && p->s[1] == '>') {
			p->s += 2;
			p->depth--;
			return true;
		}
		if (*p->s == '>') {
			p->s++;
			break;
		}
		if (!xname(p, &an, &alen))
			return false;
		ws(p);
		if (*p->s++ != '=')
			return false;
		ws(p);
		if (*p->s++ != '"' || !xtext(p, '"') || *p->s++ != '"')
			return false;
	}
	for (;;) {
		if (!xtext(p, '<') || !*p->s)
			return false;
		if (p->s[1] == '/') {
			p->s += 2;
			if (!xname(p, &cname, &clen) || clen != len || strncmp(name, cname, len))
				return false;
			ws(p);
			if (*p->s++ != '>')
				return false;
			p->depth--;
			return true;
		}
		if (!xelement(p))
			return false;
	}
}

bool wf_xml(const char *text)
{
	struct p p = { text, 0 };

	ws(&p);
	if (!strncmp(p.s, "<?xml", 5)) {
		const char *end = strstr(p.s, "?>");
		if (!end)
			return false;
		p.s = end + 2;
		ws(&p);
	}
	if (!xelement(&p))
		return false;
	ws(&p);
	return *p.s == '\0';
}
