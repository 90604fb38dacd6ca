/*
 * dmasim -- the hwloc XML importer: the PCI tree of an `lstopo --of xml`
 * file (hwloc 1.x and 2.x formats) to topology YAML (docs/import.md,
 * "hwloc XML").
 *
 * hwloc records, per PCI function, its BDF, class, IDs, revision and link
 * speed, and per bridge the bus range below it; per host bridge the
 * segment and bus range, placed below the Package and NUMA node it is
 * local to.  It records no BARs, windows, capabilities or ACS.  Each
 * function becomes the 64-byte configuration header those facts give (a
 * bridge with its bus numbers and closed windows), and the dump importer's
 * tree building and inference (build.c) do the rest, marking what they
 * infer.
 *
 * The XML reader is deliberately small: elements, attributes, the five
 * predefined entities and character references.  A DOCTYPE with an
 * internal subset is refused, so no entity is ever expanded.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/imp_int.h"
#include "util/input.h"

#define ATTR_MAX 160

/* What one <object> (or other element) on the open-element stack holds. */
struct frame {
	bool object;
	char type[16];
	int package;        /* os_index of a Package, or -1 */
	int node;           /* the single NUMA node of its nodeset, or -1 */
	long dev;           /* index into im->dev of a PCI function, or -1 */
	char vendor[96], device[96];
	double link;        /* GB/s, or < 0 */
};

struct xr {
	struct imp *im;
	const char *end, *p;
	unsigned line;
	const char *bol;    /* start of the current line */
	struct frame *st;
	size_t depth, cap;
	size_t nhb;         /* host bridges seen */
};

static int xerr_c(struct xr *x, int code, const char *at, const char *fmt, const char *arg)
{
	char msg[200];
	unsigned line = x->line, col;
	const char *q, *bol = x->bol;

	/* @at may lie past x->p on the same or a later line */
	for (q = x->p; q < at; q++)
		if (*q == '\n') {
			line++;
			bol = q + 1;
		}
	col = (unsigned)(at - bol) + 1;
	snprintf(msg, sizeof(msg), fmt, arg);
	return dmasim_error_set(x->im->err, code, x->im->file, line, col, "%s", msg);
}

static int xerr(struct xr *x, const char *at, const char *fmt, const char *arg)
{
	return xerr_c(x, DMASIM_ESYNTAX, at, fmt, arg);
}

static void advance(struct xr *x, const char *to)
{
	for (; x->p < to; x->p++)
		if (*x->p == '\n') {
			x->line++;
			x->bol = x->p + 1;
		}
}

static const char *find(const struct xr *x, const char *from, const char *what)
{
	size_t n = strlen(what);

	for (const char *q = from; q + n <= x->end; q++)
		if (memcmp(q, what, n) == 0)
			return q;
	return NULL;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c == ':';
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Decode an attribute value [@a, @b) into @out (at most @cap - 1 bytes
 * kept, the rest dropped); entities and character references resolved. */
static int decode(struct xr *x, const char *a, const char *b, char *out, size_t cap)
{
	static const struct { const char *name; char c; } ents[] = {
		{ "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' },
	};
	size_t o = 0;

	while (a < b) {
		char c = *a;
		if (c == '<')
			return xerr(x, a, "%s", "'<' inside an attribute value");
		if (c == '&') {
			size_t i;
			for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
				if ((size_t)(b - a - 1) >= strlen(ents[i].name) &&
				    memcmp(a + 1, ents[i].name, strlen(ents[i].name)) == 0)
					break;
			if (i < sizeof(ents) / sizeof(ents[0])) {
				c = ents[i].c;
				a += 1 + strlen(ents[i].name);
			} else if (a + 2 < b && a[1] == '#') {
				char *e;
				unsigned long v = a[2] == 'x' ? strtoul(a + 3, &e, 16) : strtoul(a + 2, &e, 10);
				if (e >= b || *e != ';' || v == 0 || v > 0x10ffff)
					return xerr(x, a, "%s", "a malformed character reference");
				c = v < 0x80 ? (char)v : '?';   /* names only; non-ASCII shown as '?' */
				a = e + 1;
			} else {
				return xerr(x, a, "%s", "an entity other than &lt; &gt; &amp; &quot; &apos;");
			}
		} else {
			a++;
		}
		if (o + 1 < cap)
			out[o++] = c;
	}
	out[o] = '\0';
	return DMASIM_OK;
}

/* The index of the single set bit of an hwloc bitmap ("0x00000004",
 * "0x00000001,0x00000000": 32-bit words, most significant first), or -1. */
static int single_bit(const char *s)
{
	int words = 1, bit = -1, w = 0;
	const char *p;

	for (p = s; *p; p++)
		if (*p == ',')
			words++;
	for (p = s; *p && w < words; w++) {
		char *e;
		unsigned long v = strtoul(p, &e, 16);
		if (e == p)
			return -1;
		if (v) {
			if (bit >= 0 || (v & (v - 1)))
				return -1;
			bit = (words - 1 - w) * 32 + __builtin_ctzl(v);
		}
		p = *e == ',' ? e + 1 : e;
	}
	return bit;
}

static const struct frame *nearest(const struct xr *x, bool (*pred)(const struct frame *))
{
	for (size_t i = x->depth; i-- > 0;)
		if (pred(&x->st[i]))
			return &x->st[i];
	return NULL;
}

static bool has_node(const struct frame *f) { return f->node >= 0; }
static bool is_package(const struct frame *f) { return f->package >= 0; }
static bool is_pci(const struct frame *f) { return f->dev >= 0; }

/* A PCI function: its 64-byte header from what hwloc says. */
static int pci_function(struct xr *x, struct frame *f, const char *at, const char *busid,
			const char *pcitype, const char *bridge_type, const char *bridge_pci)
{
	unsigned seg, bus, dev, fn, cls, ven, did, sven = 0, sdid = 0, rev = 0, s2, lo, hi;
	struct imp *im = x->im;
	struct imp_dev *d;
	uint8_t *c = im->cfg;
	int rc;

	if (sscanf(busid, "%4x:%2x:%2x.%1x", &seg, &bus, &dev, &fn) != 4 || dev > 0x1f || fn > 7)
		return xerr(x, at, "pci_busid '%.40s' is not SSSS:BB:DD.F", busid);
	if (sscanf(pcitype, "%4x [%4x:%4x] [%4x:%4x] %2x", &cls, &ven, &did, &sven, &sdid, &rev) < 3)
		return xerr(x, at, "pci_type '%.40s' is not 'CCCC [VVVV:DDDD] [SSSS:DDDD] RR'", pcitype);
	if ((rc = dmasim__imp_new_dev(im, (uint16_t)seg, (uint8_t)bus, (uint8_t)(dev << 3 | fn),
				      x->line, &d)))
		return rc;
	memset(c, 0, 64);
	c[0] = (uint8_t)ven;
	c[1] = (uint8_t)(ven >> 8);
	c[2] = (uint8_t)did;
	c[3] = (uint8_t)(did >> 8);
	c[8] = (uint8_t)rev;
	c[0x0a] = (uint8_t)cls;          /* subclass */
	c[0x0b] = (uint8_t)(cls >> 8);   /* base class; prog-if is not recorded */
	if (strcmp(bridge_type, "1-1") == 0) {
		if (sscanf(bridge_pci, "%4x:[%2x-%2x]", &s2, &lo, &hi) != 3 || s2 != seg || lo > hi ||
		    lo <= bus)
			return xerr(x, at, "bridge_pci '%.40s' is not SSSS:[BB-BB] above the bridge's bus",
				    bridge_pci);
		c[0x0e] = 1;
		c[0x18] = (uint8_t)bus;
		c[0x19] = (uint8_t)lo;
		c[0x1a] = (uint8_t)hi;
		/* windows closed (base above limit): hwloc does not record them */
		c[0x20] = 0xf0; c[0x21] = 0xff;
		c[0x24] = 0xf0; c[0x25] = 0xff;
	} else {
		c[0x2c] = (uint8_t)sven;
		c[0x2d] = (uint8_t)(sven >> 8);
		c[0x2e] = (uint8_t)sdid;
		c[0x2f] = (uint8_t)(sdid >> 8);
	}
	d->len = 64;
	dmasim__imp_dev_done(im, d);
	f->dev = (long)(d - im->dev);
	return DMASIM_OK;
}

/* Attributes of one start tag that the import reads. */
struct attrs {
	char type[16], os_index[16], nodeset[ATTR_MAX], busid[32], pcitype[64];
	char bridge_type[8], bridge_pci[32], link[32], name[32], value[96];
};

static int start_tag(struct xr *x, const char *tag, size_t tn, const struct attrs *a,
		     const char *at)
{
	struct frame *f, *parent;

	if (x->depth == x->cap) {
		size_t nc = x->cap ? x->cap * 2 : 32;
		struct frame *ns;
		if (x->depth >= x->im->lim.depth) {
			char lim[64];
			snprintf(lim, sizeof(lim), "%u", (unsigned)x->im->lim.depth);
			return xerr_c(x, DMASIM_ELIMIT, at, "elements nested deeper than %s (--limit depth=N)", lim);
		}
		if (!(ns = realloc(x->st, nc * sizeof(*ns))))
			return DMASIM_ENOMEM;
		x->st = ns;
		x->cap = nc;
	}
	parent = x->depth ? &x->st[x->depth - 1] : NULL;
	f = &x->st[x->depth++];
	memset(f, 0, sizeof(*f));
	f->package = f->node = -1;
	f->dev = -1;
	f->link = -1;
	if (tn == 4 && memcmp(tag, "info", 4) == 0) {
		if (parent && parent->dev >= 0) {
			if (strcmp(a->name, "PCIVendor") == 0)
				snprintf(parent->vendor, sizeof(parent->vendor), "%s", a->value);
			else if (strcmp(a->name, "PCIDevice") == 0)
				snprintf(parent->device, sizeof(parent->device), "%s", a->value);
		}
		return DMASIM_OK;
	}
	if (tn != 6 || memcmp(tag, "object", 6) != 0)
		return DMASIM_OK;
	f->object = true;
	snprintf(f->type, sizeof(f->type), "%s", a->type);
	if (strcmp(a->type, "Package") == 0 || strcmp(a->type, "Socket") == 0)
		f->package = atoi(a->os_index);
	if (a->nodeset[0])
		f->node = single_bit(a->nodeset);
	if (a->link[0])
		f->link = strtod(a->link, NULL);
	if (strcmp(a->type, "Bridge") == 0 && strcmp(a->bridge_type, "0-1") == 0) {
		x->nhb++;
		return DMASIM_OK;   /* a host bridge: its root bus comes from its children */
	}
	if ((strcmp(a->type, "PCIDev") == 0 || strcmp(a->type, "Bridge") == 0) && a->busid[0]) {
		if (nearest(x, is_pci) == NULL && x->nhb == 0)
			return xerr(x, at, "%s", "a PCI function outside any host bridge");
		return pci_function(x, f, at, a->busid, a->pcitype, a->bridge_type, a->bridge_pci);
	}
	return DMASIM_OK;
}

static void end_element(struct xr *x)
{
	struct frame *f = &x->st[--x->depth];
	const struct frame *node, *pkg;
	struct imp_dev *d;
	char names[200], link[40] = "", place[64] = "";

	if (f->dev < 0)
		return;
	d = &x->im->dev[f->dev];
	node = nearest(x, has_node);
	pkg = nearest(x, is_package);
	/* build.c writes them as the host bridge's numa_node and socket */
	d->numa_node = node ? node->node : IMP_NONE;
	d->package = pkg ? pkg->package : IMP_NONE;
	/* "Vendor Device; link 0.25 GB/s; NUMA node 0, package 0 (hwloc)":
	 * the model's place for the NUMA node is the host bridge
	 * (docs/topology.md), the rest has no key. */
	snprintf(names, sizeof(names), "%s%s%s", f->vendor, f->vendor[0] && f->device[0] ? " " : "",
		 f->device);
	if (f->link > 0)
		snprintf(link, sizeof(link), "link %.2f GB/s", f->link);
	if (node && pkg)
		snprintf(place, sizeof(place), "NUMA node %d, package %d", node->node, pkg->package);
	else if (node)
		snprintf(place, sizeof(place), "NUMA node %d", node->node);
	else if (pkg)
		snprintf(place, sizeof(place), "package %d", pkg->package);
	d->text = dmasim__imp_str(x->im, "%s%s%s%s%s (hwloc)", names,
				  names[0] && link[0] ? "; " : "", link,
				  (names[0] || link[0]) && place[0] ? "; " : "", place);
}

static int parse_attrs(struct xr *x, const char **pp, struct attrs *a, bool *selfclose)
{
	const char *p = *pp;

	memset(a, 0, sizeof(*a));
	for (;;) {
		const char *n0, *n1, *v0, *v1;
		char q, *dst = NULL;
		size_t cap = 0, nl;

		while (p < x->end && space(*p))
			p++;
		if (p >= x->end)
			return xerr(x, p, "%s", "the file ends inside a tag");
		if (*p == '>') {
			*selfclose = false;
			*pp = p + 1;
			return DMASIM_OK;
		}
		if (*p == '/' && p + 1 < x->end && p[1] == '>') {
			*selfclose = true;
			*pp = p + 2;
			return DMASIM_OK;
		}
		n0 = p;
		while (p < x->end && name_char(*p))
			p++;
		n1 = p;
		if (n0 == n1 || p >= x->end || *p != '=' || p + 1 >= x->end ||
		    (p[1] != '"' && p[1] != '\''))
			return xerr(x, n0, "%s", "expected an attribute name=\"value\"");
		q = p[1];
		v0 = p + 2;
		if (!(v1 = memchr(v0, q, (size_t)(x->end - v0))))
			return xerr(x, n0, "%s", "an attribute value without its closing quote");
		nl = (size_t)(n1 - n0);
#define ATTR(key, field) \
		if (nl == strlen(key) && memcmp(n0, key, nl) == 0) { dst = a->field; cap = sizeof(a->field); }
		ATTR("type", type)
		ATTR("os_index", os_index)
		ATTR("nodeset", nodeset)
		ATTR("pci_busid", busid)
		ATTR("pci_type", pcitype)
		ATTR("bridge_type", bridge_type)
		ATTR("bridge_pci", bridge_pci)
		ATTR("pci_link_speed", link)
		ATTR("name", name)
		ATTR("value", value)
#undef ATTR
		if (dst) {
			int rc = decode(x, v0, v1, dst, cap);
			if (rc)
				return rc;
		}
		p = v1 + 1;
	}
}

static int parse(struct xr *x)
{
	bool root_seen = false;

	while (x->p < x->end) {
		const char *lt = memchr(x->p, '<', (size_t)(x->end - x->p)), *p, *e;
		struct attrs a;
		bool selfclose = false;
		int rc;

		if (!lt)
			break;
		advance(x, lt);
		p = lt + 1;
		if (p < x->end && *p == '?') {
			if (!(e = find(x, p, "?>")))
				return xerr(x, lt, "%s", "'<?' without '?>'");
			advance(x, e + 2);
			continue;
		}
		if (x->end - p >= 3 && memcmp(p, "!--", 3) == 0) {
			if (!(e = find(x, p + 3, "-->")))
				return xerr(x, lt, "%s", "a comment without its end '-->'");
			advance(x, e + 3);
			continue;
		}
		if (p < x->end && *p == '!') {
			e = memchr(p, '>', (size_t)(x->end - p));
			if (!e || memchr(p, '[', (size_t)(e - p)))
				return xerr(x, lt, "%s", "a DOCTYPE with an internal subset (entities are not read)");
			advance(x, e + 1);
			continue;
		}
		if (p < x->end && *p == '/') {
			const char *n0 = p + 1;
			for (p = n0; p < x->end && name_char(*p); p++)
				;
			while (p < x->end && space(*p))
				p++;
			if (p >= x->end || *p != '>' || x->depth == 0)
				return xerr(x, lt, "%s", "an end tag that closes nothing");
			end_element(x);
			advance(x, p + 1);
			continue;
		}
		{
			const char *n0 = p;
			size_t tn;
			for (; p < x->end && name_char(*p); p++)
				;
			tn = (size_t)(p - n0);
			if (!tn)
				return xerr(x, lt, "%s", "'<' that starts no tag");
			if (!root_seen) {
				if (tn != 8 || memcmp(n0, "topology", 8) != 0)
					return xerr(x, lt, "%s", "not an hwloc XML file (the root element is not <topology>)");
				root_seen = true;
			}
			if ((rc = parse_attrs(x, &p, &a, &selfclose)))
				return rc;
			if ((rc = start_tag(x, n0, tn, &a, lt)))
				return rc;
			if (selfclose)
				end_element(x);
			advance(x, p);
		}
	}
	if (!root_seen)
		return xerr(x, x->p, "%s", "not an hwloc XML file (no <topology> element)");
	if (x->depth)
		return xerr(x, x->p, "%s", "the file ends before its elements are closed");
	return DMASIM_OK;
}

int dmasim_import_hwloc(const char *text, size_t len, const char *file,
			const struct dmasim_import_opts *opts, char **yaml,
			size_t *yaml_len, struct dmasim_error *err)
{
	struct imp im;
	struct xr x;
	int rc;

	if (!text || !yaml || !yaml_len)
		return dmasim_error_set(err, DMASIM_EINVAL, file, 0, 0,
					"no XML text or no output given");
	dmasim__imp_init(&im, file ? file : "<hwloc>", opts, err, "hwloc");
	memset(&x, 0, sizeof(x));
	x.im = &im;
	x.p = x.bol = text;
	x.end = text + len;
	x.line = 1;
	if (len > im.lim.file_bytes)
		rc = dmasim__input_too_large(im.file, im.lim.file_bytes, err);
	else if (memchr(text, '\0', len))
		rc = dmasim_error_set(err, DMASIM_ESYNTAX, im.file, 0, 0, "a NUL byte in the XML");
	else
		rc = parse(&x);
	if (rc == DMASIM_OK && im.ndev == 0)
		rc = dmasim_error_set(err, DMASIM_EIO, im.file, 0, 0,
				      "no PCI function in this file (was it written with lstopo --of xml, and without --no-io?)");
	if (rc == DMASIM_OK && im.opts.iomem)
		rc = dmasim__imp_iomem_parse(&im, im.opts.iomem, im.opts.iomem_len,
				     im.opts.iomem_name ? im.opts.iomem_name : "<iomem>");
	if (rc == DMASIM_OK)
		rc = dmasim__imp_finish(&im, yaml, yaml_len);
	free(x.st);
	dmasim__imp_fini(&im);
	return rc;
}
