/*
 * dmasim -- from decoded functions to topology YAML: build the tree from
 * the bus numbers, give each bridge its type, keep what the hardware
 * decodes, infer what the input cannot tell (docs/import.md has the rules)
 * and write the YAML with comments.
 */
#define _GNU_SOURCE   /* memmem */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/import.h"
#include "dmasim/load.h"
#include "import/imp_int.h"
#include "util/input.h"
#include "model/names.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)
#define GIB4 0x100000000ull
#define X86_INTR_BASE 0xfec00000ull  /* IOAPIC, HPET, LAPIC/MSI: never BARs */
#define UNBOUNDED_CAP GIB            /* largest size inferred from alignment alone */
#define HIGH_RAM_END (64 * GIB)

/* ---- text buffer ----------------------------------------------------- */

static void sb_grow(struct sb *b, size_t need)
{
	size_t cap;
	char *s;

	if (b->oom || b->len + need + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + need + 1)
		cap *= 2;
	if (!(s = realloc(b->s, cap))) {
		b->oom = true;
		return;
	}
	b->s = s;
	b->cap = cap;
}

void dmasim__sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	sb_grow(b, (size_t)n);
	if (b->oom)
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void dmasim__sb_putc(struct sb *b, char c)
{
	sb_grow(b, 1);
	if (b->oom)
		return;
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void dmasim_import_free(char *text)
{
	free(text);
}

/* ---- setup ----------------------------------------------------------- */

void dmasim__imp_init(struct imp *im, const char *file,
	      const struct dmasim_import_opts *opts, struct dmasim_error *err,
	      const char *source)
{
	memset(im, 0, sizeof(*im));
	im->file = file;
	im->err = err;
	if (opts)
		im->opts = *opts;
	im->lim = dmasim_limits_resolve(im->opts.limits);
	im->source = source;
	im->arch = DMASIM_ARCH_X86_64;
	im->arch_inferred = true;
	im->iommu_type = IMP_NONE;
	if (im->opts.has_arch) {
		im->arch = im->opts.arch;
		im->arch_inferred = false;
	}
}

void dmasim__imp_fini(struct imp *im)
{
	size_t i;

	while (im->pool) {
		struct imp_pool *n = im->pool->next;
		free(im->pool);
		im->pool = n;
	}
	for (i = 0; i < im->nhb; i++)
		free(im->hb[i].win);
	free(im->dev);
	free(im->bdf_slot);
	free(im->ram);
	free(im->iomem_win);
	free(im->unit);
	im->unit = NULL;
	im->nunit = 0;
	im->dev = NULL;
	im->bdf_slot = NULL;
	im->ram = NULL;
	im->iomem_win = NULL;
	im->nhb = 0;
}

const char *dmasim__imp_str(struct imp *im, const char *fmt, ...)
{
	struct imp_pool *p = im->pool;
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return "";
	if (!p || p->cap - p->used < (size_t)n + 1) {
		size_t cap = (size_t)n + 1 > 65536 ? (size_t)n + 1 : 65536;
		if (!(p = malloc(sizeof(*p) + cap))) {
			im->oom = true;
			return "";
		}
		p->next = im->pool;
		p->used = 0;
		p->cap = cap;
		im->pool = p;
	}
	s = p->buf + p->used;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	p->used += (size_t)n + 1;
	return s;
}

/* Grow the array *@v of *@cap elements of @size bytes to hold @need. */
static bool grow(void *v, size_t *cap, size_t need, size_t size)
{
	void **pv = v, *nv;
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return true;
	while (n < need)
		n *= 2;
	if (!(nv = realloc(*pv, n * size)))
		return false;
	*pv = nv;
	*cap = n;
	return true;
}

static size_t bdf_hash(uint16_t seg, uint8_t bus, uint8_t devfn, size_t nslots)
{
	uint64_t k = (uint64_t)seg << 16 | (uint64_t)bus << 8 | devfn;

	return (size_t)((k * 0x9e3779b97f4a7c15ull) >> 32) & (nslots - 1);
}

const struct imp_dev *dmasim__imp_find_bdf(const struct imp *im, uint16_t seg,
					   uint8_t bus, uint8_t devfn)
{
	size_t h;

	if (!im->nslots)
		return NULL;
	for (h = bdf_hash(seg, bus, devfn, im->nslots); im->bdf_slot[h];
	     h = (h + 1) & (im->nslots - 1)) {
		const struct imp_dev *d = &im->dev[im->bdf_slot[h] - 1];
		if (d->seg == seg && d->bus == bus && d->devfn == devfn)
			return d;
	}
	return NULL;
}

static void bdf_put(uint32_t *slot, size_t nslots, const struct imp_dev *d,
		    uint32_t v)
{
	size_t h;

	for (h = bdf_hash(d->seg, d->bus, d->devfn, nslots); slot[h];
	     h = (h + 1) & (nslots - 1))
		;
	slot[h] = v;
}

static int index_bdf(struct imp *im, size_t i)
{
	size_t j;

	if (2 * (im->ndev + 1) > im->nslots) {  /* keep it at most half full */
		size_t n = im->nslots ? im->nslots * 2 : 64;
		uint32_t *slot = calloc(n, sizeof(*slot));

		if (!slot)
			return DMASIM_ENOMEM;
		for (j = 0; j < im->nslots; j++)
			if (im->bdf_slot[j])
				bdf_put(slot, n, &im->dev[im->bdf_slot[j] - 1],
					im->bdf_slot[j]);
		free(im->bdf_slot);
		im->bdf_slot = slot;
		im->nslots = n;
	}
	bdf_put(im->bdf_slot, im->nslots, &im->dev[i], (uint32_t)i + 1);
	return DMASIM_OK;
}

static int nomem(struct imp *im)
{
	return dmasim_error_set(im->err, DMASIM_ENOMEM, im->file, 0, 0, "out of memory");
}

int dmasim__imp_new_dev(struct imp *im, uint16_t seg, uint8_t bus, uint8_t devfn,
			unsigned line, struct imp_dev **out)
{
	struct imp_dev *d;

	if (im->ndev >= im->lim.devices)
		return dmasim_error_set(im->err, DMASIM_ELIMIT, im->file, line, line ? 1 : 0,
			"more than %u functions (raise the limit with --limit devices=N)",
			(unsigned)im->lim.devices);
	if (im->ndev == im->capdev) {
		size_t cap = im->capdev ? im->capdev * 2 : 32;
		struct imp_dev *v = realloc(im->dev, cap * sizeof(*v));
		if (!v)
			return nomem(im);
		im->dev = v;
		im->capdev = cap;
	}
	d = &im->dev[im->ndev++];
	memset(d, 0, sizeof(*d));
	d->iommu_group = IMP_NONE;
	d->numa_node = d->package = d->unit = IMP_NONE;
	d->parent = d->first_child = d->next_sibling = IMP_NONE;
	memset(im->cfg, 0xff, sizeof(im->cfg));
	d->cfg = im->cfg;
	d->text = "";
	d->seg = seg;
	d->bus = bus;
	d->devfn = devfn;
	d->line = line;
	if (index_bdf(im, im->ndev - 1))
		return nomem(im);
	*out = d;
	return DMASIM_OK;
}


/* The function at @seg:@bus:@devfn once im->dev is sorted, or NULL. */
const struct imp_dev *dmasim__imp_find_sorted(const struct imp *im, uint16_t seg,
					      uint8_t bus, uint8_t devfn)
{
	uint32_t k = (uint32_t)seg << 16 | (uint32_t)bus << 8 | devfn;
	size_t a = 0, z = im->ndev;

	while (a < z) {
		size_t m = a + (z - a) / 2;
		const struct imp_dev *d = &im->dev[m];
		uint32_t km = (uint32_t)d->seg << 16 | (uint32_t)d->bus << 8 | d->devfn;
		if (km == k)
			return d;
		if (km < k)
			a = m + 1;
		else
			z = m;
	}
	return NULL;
}

static const char *bdf(const struct imp_dev *d, char *buf, size_t size)
{
	snprintf(buf, size, "%04x:%02x:%02x.%x", d->seg, d->bus, d->devfn >> 3,
		 d->devfn & 7);
	return buf;
}

/* ---- /proc/iomem ----------------------------------------------------- */

/* Hex digits at @s[0..n) as a 64-bit value; false when there are none or
 * the value does not fit. *@used is the number of digits. */
static bool hex64(const char *s, size_t n, uint64_t *v, size_t *used)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		if (*v >> 60)
			return *used = i, false;
		*v = *v << 4 | d;
	}
	*used = i;
	return i > 0;
}

/* A range of the iomem text, for the overlap check. */
struct iorange {
	uint64_t lo, hi;
	unsigned line, col;
	bool ram;
};

static int cmp_iorange(const void *a, const void *b)
{
	const struct iorange *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_iowin(const void *a, const void *b)
{
	const struct imp_iowin *x = a, *y = b;

	return x->w.cpu < y->w.cpu ? -1 : x->w.cpu > y->w.cpu;
}

/* Host-bridge windows and RAM ranges must be disjoint (the loader refuses
 * them otherwise): an error at the later of two that overlap. */
static int iomem_disjoint(struct imp *im, const char *name, const struct iorange *lines,
			  size_t n)
{
	struct iorange *v;
	size_t i, worst = SIZE_MAX, with = 0, top = 0;
	int rc = DMASIM_OK;

	if (n < 2)
		return DMASIM_OK;
	if (!(v = malloc(n * sizeof(*v))))
		return nomem(im);
	memcpy(v, lines, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_iorange);
	for (i = 1; i < n; i++) {
		if (v[i - 1].hi > v[top].hi)
			top = i - 1;
		if (v[i].lo <= v[top].hi) {
			size_t later = v[i].line > v[top].line ? i : top;
			if (worst == SIZE_MAX || v[later].line < v[worst].line) {
				worst = later;
				with = later == i ? top : i;
			}
		}
	}
	if (worst != SIZE_MAX)
		rc = dmasim_error_set(im->err, DMASIM_ETOPO, name, v[worst].line, v[worst].col,
			"%s [0x%llx-0x%llx] overlaps %s [0x%llx-0x%llx] of line %u",
			v[worst].ram ? "System RAM" : "host-bridge window",
			(unsigned long long)v[worst].lo, (unsigned long long)v[worst].hi,
			v[with].ram ? "System RAM" : "host-bridge window",
			(unsigned long long)v[with].lo, (unsigned long long)v[with].hi,
			v[with].line);
	free(v);
	return rc;
}

/* "PCI Bus SSSS:BB" at @p[0..n): 1 and *@seg, *@bus when it is one, 0
 * when the name is something else, -1 with *@col (0-based in @p) and
 * @why when the numbers do not fit. */
static int pci_bus_name(const char *p, size_t n, unsigned *seg, unsigned *bus,
			size_t *col, const char **why)
{
	uint64_t s, b;
	size_t k = 8, used;

	if (n < 8 || memcmp(p, "PCI Bus ", 8) != 0)
		return 0;
	if (!hex64(p + k, n - k, &s, &used)) {
		if (!used)
			return 0;
		*col = k;
		*why = "PCI segment number does not fit 16 bits";
		return -1;
	}
	if (k + used >= n || p[k + used] != ':')
		return 0;
	if (s > 0xffff) {
		*col = k;
		*why = "PCI segment number does not fit 16 bits";
		return -1;
	}
	k += used + 1;
	if (!hex64(p + k, n - k, &b, &used) || b > 0xff) {
		if (!used)
			return 0;
		*col = k;
		*why = "bus number does not fit 8 bits";
		return -1;
	}
	*seg = (unsigned)s;
	*bus = (unsigned)b;
	return 1;
}

static int add_ram(struct imp *im, const char *name, unsigned no, unsigned col,
		   uint64_t lo, uint64_t hi)
{
	struct imp_range *r = im->nram ? &im->ram[im->nram - 1] : NULL;

	if (r && r->base + r->size == lo && lo) {   /* adjacent: merge */
		if (r->base == 0 && hi == UINT64_MAX)
			return dmasim_error_set(im->err, DMASIM_ESYNTAX, name, no, col,
				"System RAM would cover all 2^64 addresses");
		r->size += hi - lo + 1;
		return DMASIM_OK;
	}
	if (im->nram >= im->lim.windows)
		return dmasim_error_set(im->err, DMASIM_ELIMIT, name, no, col,
			"more than %u System RAM ranges (raise the limit with --limit windows=N)",
			(unsigned)im->lim.windows);
	if (!grow(&im->ram, &im->capram, im->nram + 1, sizeof(*im->ram)))
		return nomem(im);
	im->ram[im->nram++] = (struct imp_range){ lo, hi - lo + 1 };
	return DMASIM_OK;
}

static int add_iowin(struct imp *im, unsigned no, unsigned col, uint64_t lo,
		     uint64_t hi, unsigned seg, unsigned bus)
{
	struct imp_iowin *w;

	if (!grow(&im->iomem_win, &im->capiomem, im->niomem_win + 1, sizeof(*im->iomem_win)))
		return nomem(im);
	w = &im->iomem_win[im->niomem_win++];
	w->w.kind = lo >= GIB4 ? DMASIM_WIN_MEM_PREF : DMASIM_WIN_MEM;
	w->w.cpu = w->w.bus = lo;
	w->w.size = hi - lo + 1;
	w->w.inferred = false;
	w->seg = (uint16_t)seg;
	w->bus = (uint8_t)bus;
	w->line = no;
	w->col = col;
	return DMASIM_OK;
}

/*
 * Lines "  start-end : name", nesting by two spaces.  The outermost
 * "PCI Bus SSSS:BB" entries (not inside another PCI Bus entry nor inside
 * an ECAM/MMCONFIG claim) are host-bridge windows of root bus BB;
 * top-level "System RAM" entries are RAM.  Any number of them (RAM up to
 * lim.windows), lines of any length; addresses must fit 64 bits, segment
 * and bus numbers 16 and 8 bits, and the windows and RAM must not
 * overlap, else an error at the line and column.  On device-tree
 * platforms the kernel names a host bridge's windows after its DT node
 * ("pcie@10000000", of_pci_get_host_bridge_resources() in
 * drivers/pci/of.c): a top-level entry named "pci@..." or "pcie@..." is a
 * window of the host bridge whose buses hold its first child entry ("PCI
 * Bus SSSS:BB" or a function "SSSS:BB:DD.F").
 */
/* The segment and bus of an iomem name "SSSS:BB:DD.F" (a function). */
static bool bdf_name(const char *p, size_t n, unsigned *seg, unsigned *bus)
{
	char buf[32];
	unsigned d, f;
	int end = 0;

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, p, n);
	buf[n] = 0;
	return sscanf(buf, "%4x:%2x:%2x.%1u%n", seg, bus, &d, &f, &end) == 4 &&
	       (size_t)end == n;
}

int dmasim__imp_iomem_parse(struct imp *im, const char *text, size_t len,
		    const char *name)
{
	struct iorange *ranges = NULL;
	size_t at = 0, nranges = 0, capranges = 0;
	unsigned no = 0, nonzero = 0, blocked = UINT32_MAX;
	unsigned dt_no = 0, dt_c1 = 0;  /* a top-level "pcie@..." entry, or 0 */
	uint64_t dt_lo = 0, dt_hi = 0;
	int rc = DMASIM_OK;

	im->iomem_file = name;
	if (len > im->lim.file_bytes)
		return dmasim__input_too_large(name, im->lim.file_bytes, im->err);
	while (at < len && rc == DMASIM_OK) {
		const char *s = text + at, *nl = memchr(s, '\n', len - at), *p, *why = NULL;
		size_t n = nl ? (size_t)(nl - s) : len - at, ind = 0, k, used, col = 0;
		uint64_t lo, hi;
		unsigned depth, seg = 0, bus = 0, c1, wno;
		bool cfg, ram, win, below = false;
		int pci;

		no++;
		at += n + 1;
		if (n && s[n - 1] == '\r')
			n--;
		while (ind < n && s[ind] == ' ')
			ind++;
		if (ind == n)
			continue;
		depth = (unsigned)(ind / 2);
		c1 = (unsigned)ind + 1;
		k = ind;
		if (!hex64(s + k, n - k, &lo, &used) || k + used >= n || s[k + used] != '-' ||
		    (k += used + 1, !hex64(s + k, n - k, &hi, &used))) {
			bool wide = used > 0 && k + used < n && isxdigit((unsigned char)s[k + used]);
			rc = dmasim_error_set(im->err, DMASIM_ESYNTAX, name, no,
				wide ? (unsigned)k + 1 : c1,
				wide ? "an address that does not fit 64 bits (more than 16 hex digits)"
				     : "expected 'start-end : name' as in /proc/iomem");
			break;
		}
		k += used;
		while (k < n && s[k] == ' ')
			k++;
		if (k >= n || s[k] != ':') {
			rc = dmasim_error_set(im->err, DMASIM_ESYNTAX, name, no, c1,
					      "expected 'start-end : name' as in /proc/iomem");
			break;
		}
		k++;
		while (k < n && s[k] == ' ')
			k++;
		if (hi < lo) {
			rc = dmasim_error_set(im->err, DMASIM_ESYNTAX, name, no, c1,
					      "range ends before it starts");
			break;
		}
		if (lo == 0 && hi == UINT64_MAX) {
			rc = dmasim_error_set(im->err, DMASIM_ESYNTAX, name, no, c1,
				"the range covers all 2^64 addresses; no machine has that");
			break;
		}
		if (lo || hi)
			nonzero++;
		p = s + k;
		n -= k;
		if (blocked != UINT32_MAX && blocked >= depth)
			blocked = UINT32_MAX;   /* that entry is no longer an ancestor */
		cfg = (n >= 4 && memmem(p, n, "ECAM", 4)) || (n >= 8 && memmem(p, n, "MMCONFIG", 8));
		if ((pci = pci_bus_name(p, n, &seg, &bus, &col, &why)) < 0) {
			rc = dmasim_error_set(im->err, DMASIM_ESYNTAX, name, no,
					      (unsigned)(k + col) + 1, "%s", why);
			break;
		}
		wno = no;
		if (depth == 0) {
			dt_no = 0;
			if ((n >= 5 && memcmp(p, "pcie@", 5) == 0) ||
			    (n >= 4 && memcmp(p, "pci@", 4) == 0)) {
				dt_no = no;
				dt_c1 = c1;
				dt_lo = lo;
				dt_hi = hi;
				continue;
			}
		} else if (dt_no && depth == 1 && (pci || bdf_name(p, n, &seg, &bus))) {
			/* The node's first child names its host bridge; the
			 * buses inside are not host bridges of their own. */
			below = true;
			wno = dt_no;
			c1 = dt_c1;
			lo = dt_lo;
			hi = dt_hi;
			dt_no = 0;
			blocked = 0;
		}
		win = (pci && blocked == UINT32_MAX) || below;
		ram = !pci && depth == 0 && n >= 10 && memcmp(p, "System RAM", 10) == 0;
		if ((pci || cfg) && blocked == UINT32_MAX)
			blocked = depth;
		if (win && (rc = add_iowin(im, wno, c1, lo, hi, seg, bus)) == DMASIM_OK)
			im->iomem_win[im->niomem_win - 1].below = below;
		else if (ram)
			rc = add_ram(im, name, no, c1, lo, hi);
		if (rc == DMASIM_OK && (win || ram)) {
			if (grow(&ranges, &capranges, nranges + 1, sizeof(*ranges)))
				ranges[nranges++] = (struct iorange){ lo, hi, wno, c1, ram };
			else
				rc = nomem(im);
		}
	}
	if (rc == DMASIM_OK && !nonzero) {
		/* Read without privileges the kernel shows every range as 0. */
		im->nram = 0;
		im->niomem_win = 0;
	} else if (rc == DMASIM_OK && (rc = iomem_disjoint(im, name, ranges, nranges)) == DMASIM_OK) {
		if (im->niomem_win)
			qsort(im->iomem_win, im->niomem_win, sizeof(*im->iomem_win), cmp_iowin);
		im->ram_given = im->nram > 0;
	}
	free(ranges);
	return rc;
}

/* ---- the tree -------------------------------------------------------- */

static int cmp_dev(const void *a, const void *b)
{
	const struct imp_dev *x = a, *y = b;
	uint32_t kx = (uint32_t)x->seg << 16 | (uint32_t)x->bus << 8 | x->devfn;
	uint32_t ky = (uint32_t)y->seg << 16 | (uint32_t)y->bus << 8 | y->devfn;

	return kx < ky ? -1 : kx > ky;
}

static bool range_in(unsigned lo, unsigned hi, unsigned olo, unsigned ohi)
{
	return lo >= olo && hi <= ohi;
}

/* A bridge as the nesting sweep sees it. */
struct nest {
	uint16_t seg;
	uint8_t sec, sub, bus;
	int dev;
};

/* By segment, then secondary bus, wider ranges first, then the bridge's
 * own bus (an outer bridge sits on a lower bus than any bridge inside). */
static int cmp_nest(const void *a, const void *b)
{
	const struct nest *x = a, *y = b;

	if (x->seg != y->seg)
		return x->seg < y->seg ? -1 : 1;
	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	if (x->sub != y->sub)
		return x->sub > y->sub ? -1 : 1;
	if (x->bus != y->bus)
		return x->bus < y->bus ? -1 : 1;
	return x->dev < y->dev ? -1 : x->dev > y->dev;
}

/* Two bridges whose bus ranges overlap without nesting: the error is on
 * the one later in the input (the first in BDF order for sysfs). */
static int overlap_error(struct imp *im, const struct imp_dev *x, const struct imp_dev *y)
{
	char b1[16], b2[16];

	if (y->line > x->line || (y->line == x->line && y < x)) {
		const struct imp_dev *t = x;
		x = y;
		y = t;
	}
	return dmasim_error_set(im->err, DMASIM_ETOPO, im->file, x->line, 1,
		"bridge %s claims buses [%02x-%02x], which overlap buses [%02x-%02x] of bridge %s (line %u)",
		bdf(x, b1, sizeof(b1)), x->secondary, x->subordinate,
		y->secondary, y->subordinate, bdf(y, b2, sizeof(b2)), y->line);
}

/*
 * Bridges' bus ranges either nest (the inner bridge sits behind the outer
 * one) or are disjoint; each device hangs below the innermost bridge whose
 * range holds its bus, and that bridge's secondary bus must be its bus.
 * One sort of the bridges and a sweep with a stack of open ranges (at most
 * 256 deep: nested secondary buses strictly increase) do it in
 * O(n log n): only the innermost open range can overlap the next bridge
 * without holding it.
 */
static int link_tree(struct imp *im)
{
	char b1[16], b2[16];
	struct nest *v;
	size_t i, j, n = 0, nb;
	int stack[257], owner[256], *last, rc = DMASIM_OK;
	size_t top;

	for (i = 0; i < im->ndev; i++)
		n += im->dev[i].bridge;
	if (!(v = malloc((n + 1) * sizeof(*v))))
		return nomem(im);
	for (i = 0, nb = 0; i < im->ndev; i++)
		if (im->dev[i].bridge)
			v[nb++] = (struct nest){ im->dev[i].seg, im->dev[i].secondary,
						 im->dev[i].subordinate, im->dev[i].bus, (int)i };
	qsort(v, nb, sizeof(*v), cmp_nest);
	/* Nesting, per segment. */
	for (i = 0, top = 0; i < nb; i++) {
		if (i > 0 && v[i].seg != v[i - 1].seg)
			top = 0;
		while (top && v[stack[top - 1]].sub < v[i].sec)
			top--;
		if (top) {
			const struct nest *o = &v[stack[top - 1]];
			if (v[i].sub > o->sub || v[i].bus < o->sec || v[i].bus > o->sub) {
				int a = v[i].dev, b = o->dev;
				free(v);
				return overlap_error(im, &im->dev[a], &im->dev[b]);
			}
		}
		stack[top++] = (int)i;
	}
	/* Parents: the innermost bridge holding each bus of a segment. */
	for (i = 0, j = 0; i < im->ndev && rc == DMASIM_OK; i++) {
		struct imp_dev *d = &im->dev[i];
		int best;

		if (i == 0 || d->seg != im->dev[i - 1].seg) {
			unsigned bus;

			while (j < nb && v[j].seg < d->seg)
				j++;
			for (bus = 0, top = 0; bus < 256; bus++) {
				while (top && v[stack[top - 1]].sub < bus)
					top--;
				for (; j < nb && v[j].seg == d->seg && v[j].sec == bus; j++)
					stack[top++] = (int)j;
				owner[bus] = top ? v[stack[top - 1]].dev : IMP_NONE;
			}
		}
		best = owner[d->bus];
		if (best != IMP_NONE && im->dev[best].secondary != d->bus)
			rc = dmasim_error_set(im->err, DMASIM_ETOPO, im->file, d->line, 1,
				"%s is on bus %02x, behind bridge %s (buses [%02x-%02x]), but no bridge there has %02x as its secondary bus",
				bdf(d, b1, sizeof(b1)), d->bus, bdf(&im->dev[best], b2, sizeof(b2)),
				im->dev[best].secondary, im->dev[best].subordinate, d->bus);
		else if (best != IMP_NONE && d->bridge &&
		    !range_in(d->secondary, d->subordinate, im->dev[best].secondary,
			      im->dev[best].subordinate))
			rc = dmasim_error_set(im->err, DMASIM_ETOPO, im->file, d->line, 1,
				"bridge %s claims buses [%02x-%02x], outside the buses [%02x-%02x] of its parent bridge %s (line %u)",
				bdf(d, b1, sizeof(b1)), d->secondary, d->subordinate,
				im->dev[best].secondary, im->dev[best].subordinate,
				bdf(&im->dev[best], b2, sizeof(b2)), im->dev[best].line);
		d->parent = best;
	}
	free(v);
	if (rc)
		return rc;
	/* Host bridges: one per root bus (a bus no bridge claims). */
	for (i = 0; i < im->ndev; i++) {
		struct imp_dev *d = &im->dev[i];
		if (d->parent != IMP_NONE) {
			d->hb = im->dev[d->parent].hb;
			continue;
		}
		if (!im->nhb || im->hb[im->nhb - 1].seg != d->seg ||
		    im->hb[im->nhb - 1].bus_first != d->bus) {
			struct imp_hb *h;
			if (im->nhb == sizeof(im->hb) / sizeof(im->hb[0]))
				return dmasim_error_set(im->err, DMASIM_ETOPO, im->file, d->line, 1,
					"more than %zu root buses", sizeof(im->hb) / sizeof(im->hb[0]));
			h = &im->hb[im->nhb++];
			memset(h, 0, sizeof(*h));
			h->seg = d->seg;
			h->bus_first = d->bus;
			h->first_dev = (int)i;
			h->unit = IMP_NONE;
		}
		d->hb = (int)im->nhb - 1;
	}
	/* A root bus's range: up to the next root bus of its segment, or to
	 * the highest subordinate bus below it. */
	for (i = 0; i < im->nhb; i++) {
		struct imp_hb *h = &im->hb[i];
		h->bus_last = i + 1 < im->nhb && im->hb[i + 1].seg == h->seg
			? (uint8_t)(im->hb[i + 1].bus_first - 1u) : 0xff;
	}
	for (i = 0; i < im->ndev; i++) {
		const struct imp_dev *d = &im->dev[i];
		if (d->bridge && d->subordinate > im->hb[d->hb].bus_last)
			im->hb[d->hb].bus_last = d->subordinate;
	}
	/* Children lists in devfn order. */
	if (!(last = malloc((im->ndev + 1) * sizeof(*last))))
		return nomem(im);
	for (i = 0; i < im->ndev; i++)
		last[i] = IMP_NONE;
	for (i = 0; i < im->ndev; i++) {
		int p = im->dev[i].parent;
		if (p == IMP_NONE)
			continue;
		if (last[p] == IMP_NONE)
			im->dev[p].first_child = (int)i;
		else
			im->dev[last[p]].next_sibling = (int)i;
		last[p] = (int)i;
	}
	free(last);
	return DMASIM_OK;
}

static bool has_bridge_child(const struct imp *im, const struct imp_dev *d)
{
	int c;

	for (c = d->first_child; c != IMP_NONE; c = im->dev[c].next_sibling)
		if (im->dev[c].bridge)
			return true;
	return false;
}

/* Types: the PCIe capability when the dump holds it, else by position. */
static void assign_types(struct imp *im)
{
	size_t i;

	for (i = 0; i < im->ndev; i++) {
		struct imp_dev *d = &im->dev[i];
		const struct imp_dev *p = d->parent == IMP_NONE ? NULL : &im->dev[d->parent];

		d->type = DMASIM_DEV_ENDPOINT;
		if (!d->bridge) {
			if (d->hdr_type == 0 && d->exp_type != IMP_NONE &&
			    d->exp_type >= IMP_EXP_ROOT_PORT && d->exp_type <= IMP_EXP_PCIE_BRIDGE)
				d->type_note = "its PCIe capability names a port, but a type 0 header has no bus numbers; modelled as an endpoint";
			else if (d->unconfigured)
				d->type_note = "a bridge without bus numbers (secondary bus not above its own); modelled as an endpoint";
			else if (d->hdr_type == 2)
				d->type_note = "a CardBus bridge; its card bus is not modelled";
			continue;
		}
		if (d->hdr_type == 2) {
			d->type = DMASIM_DEV_PCI_BRIDGE;
			d->type_note = "a CardBus bridge";
			continue;
		}
		switch (d->exp_type) {
		case IMP_EXP_ROOT_PORT:
			d->type = DMASIM_DEV_ROOT_PORT;
			continue;
		case IMP_EXP_UPSTREAM:
			d->type = DMASIM_DEV_SWITCH_UPSTREAM;
			continue;
		case IMP_EXP_DOWNSTREAM:
			d->type = DMASIM_DEV_SWITCH_DOWNSTREAM;
			continue;
		case IMP_EXP_PCI_BRIDGE:
		case IMP_EXP_PCIE_BRIDGE:
			d->type = DMASIM_DEV_PCI_BRIDGE;
			continue;
		default:
			break;
		}
		if (d->caps_known && d->exp_type == IMP_NONE) {
			d->type = DMASIM_DEV_PCI_BRIDGE;   /* conventional PCI */
			continue;
		}
		if (!p) {
			d->type = DMASIM_DEV_ROOT_PORT;
			d->type_note = "inferred: a bridge on a root bus";
		} else if (p->type == DMASIM_DEV_SWITCH_UPSTREAM) {
			d->type = DMASIM_DEV_SWITCH_DOWNSTREAM;
			d->type_note = "inferred: below a switch upstream port";
		} else if ((p->type == DMASIM_DEV_ROOT_PORT ||
			    p->type == DMASIM_DEV_SWITCH_DOWNSTREAM) &&
			   has_bridge_child(im, d)) {
			d->type = DMASIM_DEV_SWITCH_UPSTREAM;
			d->type_note = "inferred: below a port, with bridges below it";
		} else {
			d->type = DMASIM_DEV_PCI_BRIDGE;
			d->type_note = "inferred: no PCIe capability in the dump";
		}
	}
}

/* ---- what the hardware decodes, and BAR sizes ------------------------ */

struct res {
	uint64_t lo, hi;
	int dev, bar;   /* bar -1: a window of kind @kind */
	int kind;
};

static bool win_holds(const struct imp_win *w, uint64_t lo, uint64_t hi)
{
	return w->present && lo >= w->base && hi <= w->limit;
}

static void drop_window(struct imp *im, struct imp_dev *d, int k, const char *why)
{
	d->win[k].present = false;
	d->win[k].dropped = true;
	d->win[k].note = dmasim__imp_str(im, "%s", why);
}

static void drop_bar(struct imp *im, struct imp_bar *b, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void drop_bar(struct imp *im, struct imp_bar *b, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	b->present = false;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	b->note = dmasim__imp_str(im, "%s", buf);
}

static uint64_t bar_last(const struct imp_bar *b)
{
	return b->bus + (b->size ? b->size : 1) - 1;
}

static int cmp_res(const void *a, const void *b)
{
	const struct res *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->bar < y->bar ? -1 : x->bar > y->bar;
}

/* The functions on the bus below @p (with @p NULL: on the root buses of
 * segment @seg) in BDF order: bus_first(), then bus_next() until
 * IMP_NONE.  Below a bridge it follows the children list; the root buses
 * take one pass over the functions per segment. */
static int bus_next(const struct imp *im, int i, const struct imp_dev *p, unsigned seg)
{
	if (p)
		return im->dev[i].next_sibling;
	for (i++; i < (int)im->ndev; i++)
		if (im->dev[i].parent == IMP_NONE && im->dev[i].seg == seg)
			return i;
	return IMP_NONE;
}

static int bus_first(const struct imp *im, const struct imp_dev *p, unsigned seg)
{
	if (p)
		return p->first_child;
	return bus_next(im, -1, NULL, seg);
}

/* Resources decoded on the bus below @p (NULL: the root buses of @seg,
 * which share one bus address space), sorted by address. */
static size_t gather(struct imp *im, const struct imp_dev *p, unsigned seg,
		     struct res *v, size_t cap)
{
	size_t n = 0;
	int i, k, b;

	for (i = bus_first(im, p, seg); i != IMP_NONE; i = bus_next(im, i, p, seg)) {
		struct imp_dev *d = &im->dev[i];
		for (b = 0; b < 6; b++)
			if (d->bars[b].present && n < cap)
				v[n++] = (struct res){ d->bars[b].bus, bar_last(&d->bars[b]),
						       i, b, 0 };
		for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++)
			if (d->win[k].present && n < cap)
				v[n++] = (struct res){ d->win[k].base, d->win[k].limit,
						       i, -1, k };
	}
	qsort(v, n, sizeof(*v), cmp_res);
	return n;
}

static uint64_t pow2_floor(uint64_t x)
{
	uint64_t p = 1;

	while (p <= x / 2)
		p *= 2;
	return p;
}

/*
 * The size of a BAR the input does not give: the largest power of two that
 * (1) divides its base (BARs are naturally aligned), (2) ends before the
 * next resource decoded on the same bus (root buses: on any root bus),
 * (3) ends inside the parent bridge's window, (4) stays below 4 GiB for a
 * 32-bit BAR, and on x86 below the interrupt region at 0xfec00000 when it
 * starts below it; with none of (2)-(4) binding, at most 1 GiB.
 */
static void infer_size(struct imp *im, struct imp_bar *b, const struct imp_win *pw,
		       const struct res *v, size_t n)
{
	uint64_t bound = UINT64_MAX, align = b->bus & (~b->bus + 1);
	size_t lo = 0, hi = n;

	/* The first resource starting above the BAR (@v is sorted). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].lo > b->bus)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo < n)
		bound = v[lo].lo - b->bus;
	if (pw && pw->present && pw->limit - b->bus + 1 < bound)
		bound = pw->limit - b->bus + 1;
	if (b->bits == 32 && b->bus < GIB4 && GIB4 - b->bus < bound)
		bound = GIB4 - b->bus;
	if (im->arch == DMASIM_ARCH_X86_64 && b->bus < X86_INTR_BASE &&
	    X86_INTR_BASE - b->bus < bound)
		bound = X86_INTR_BASE - b->bus;
	if (bound == UINT64_MAX)
		bound = UNBOUNDED_CAP;
	if (align && align < bound)
		bound = align;
	b->size = pow2_floor(bound);
	if (b->size < 16)
		b->size = 16;
}

/* The nearest subtractive-decode bridge (prog-if 01) at or above @p. */
static const struct imp_dev *subtractive(const struct imp *im, const struct imp_dev *p)
{
	for (; p; p = p->parent == IMP_NONE ? NULL : &im->dev[p->parent])
		if (p->class_code == 0x060401)
			return p;
	return NULL;
}

/* One bus: windows of the bridges on it, then BARs, then sizes, then
 * overlaps.  @p is the bridge above it (NULL: the root buses). */
static int settle_bus(struct imp *im, struct imp_dev *p, unsigned seg)
{
	struct res *v;
	size_t n, cap = 8, last = SIZE_MAX, i;
	char b1[16], b2[16], b3[16], why[512];
	int k, bi, di;

	for (di = bus_first(im, p, seg); di != IMP_NONE; di = bus_next(im, di, p, seg)) {
		struct imp_dev *d = &im->dev[di];
		cap += 8;
		for (k = 0; p && k < DMASIM_WIN_KIND_COUNT; k++) {
			int pk = k == DMASIM_WIN_MEM_PREF && p->win[DMASIM_WIN_MEM_PREF].present
				? DMASIM_WIN_MEM_PREF : DMASIM_WIN_MEM;
			if (!d->win[k].present)
				continue;
			if (k == DMASIM_WIN_MEM_PREF && pk == DMASIM_WIN_MEM) {
				snprintf(why, sizeof(why), "[0x%llx-0x%llx] of %s left out: its parent has no prefetchable window, and dmasim cannot place a prefetchable window in a non-prefetchable one",
					 (unsigned long long)d->win[k].base,
					 (unsigned long long)d->win[k].limit, bdf(d, b1, sizeof(b1)));
				drop_window(im, d, k, why);
			} else if (!win_holds(&p->win[pk], d->win[k].base, d->win[k].limit)) {
				const struct imp_dev *sd = subtractive(im, p);
				snprintf(why, sizeof(why), "[0x%llx-0x%llx] of %s left out: outside the windows of %s%s%s%s",
					 (unsigned long long)d->win[k].base,
					 (unsigned long long)d->win[k].limit, bdf(d, b1, sizeof(b1)),
					 bdf(p, b2, sizeof(b2)),
					 sd ? "; reached through the subtractive decode of " : "",
					 sd ? bdf(sd, b3, sizeof(b3)) : "",
					 sd ? ", which dmasim does not model" : "");
				drop_window(im, d, k, why);
			}
		}
		for (bi = 0; bi < 6; bi++) {
			struct imp_bar *b = &d->bars[bi];
			uint64_t hi;

			if (!b->present || !p)
				continue;
			hi = b->size ? bar_last(b) : b->bus;
			if (b->pref && win_holds(&p->win[DMASIM_WIN_MEM_PREF], b->bus, hi))
				continue;
			if (win_holds(&p->win[DMASIM_WIN_MEM], b->bus, hi)) {
				if (b->pref) {
					b->pref = false;
					b->pref_dropped = true;
				}
				continue;
			}
			{
				const struct imp_dev *sd = subtractive(im, p);
				drop_bar(im, b, "at 0x%llx of %s left out: outside the windows of %s%s%s%s",
					 (unsigned long long)b->bus, bdf(d, b1, sizeof(b1)),
					 bdf(p, b2, sizeof(b2)),
					 sd ? "; reached through the subtractive decode of " : "",
					 sd ? bdf(sd, b3, sizeof(b3)) : "",
					 sd ? ", which dmasim does not model" : "");
			}
		}
	}
	if (!(v = malloc(cap * sizeof(*v))))
		return nomem(im);
	/* Sizes: the root buses of a segment share one bus address space,
	 * so their resources bound each other across host bridges. */
	n = gather(im, p, seg, v, cap);
	for (di = bus_first(im, p, seg); di != IMP_NONE; di = bus_next(im, di, p, seg)) {
		struct imp_dev *d = &im->dev[di];
		for (bi = 0; bi < 6; bi++) {
			struct imp_bar *b = &d->bars[bi];
			const struct imp_win *pw = NULL;

			if (!b->present || b->size_known)
				continue;
			if (p)
				pw = b->pref ? &p->win[DMASIM_WIN_MEM_PREF] : &p->win[DMASIM_WIN_MEM];
			infer_size(im, b, pw, v, n);
		}
	}
	/* Overlaps between what this bus decodes: keep windows over BARs,
	 * earlier over later.  What is kept stays pairwise disjoint, so in
	 * address order only the last one kept can overlap the next. */
	n = gather(im, p, seg, v, cap);
	for (i = 0; i < n; i++) {
		struct res *a, *c;
		struct imp_dev *da, *dc;

		if (last == SIZE_MAX || v[i].lo > v[last].hi) {
			last = i;
			continue;
		}
		a = &v[last];
		c = &v[i];
		if (a->bar >= 0 && c->bar < 0) {
			a = &v[i];
			c = &v[last];
			last = i;
		}
		da = &im->dev[a->dev];
		dc = &im->dev[c->dev];
		if (c->bar >= 0)
			drop_bar(im, &dc->bars[c->bar], "at 0x%llx of %s left out: it overlaps %s of %s",
				 (unsigned long long)c->lo, bdf(dc, b1, sizeof(b1)),
				 a->bar >= 0 ? "a BAR" : "a window", bdf(da, b2, sizeof(b2)));
		else {
			snprintf(why, sizeof(why), "[0x%llx-0x%llx] of %s left out: it overlaps %s of %s",
				 (unsigned long long)c->lo, (unsigned long long)c->hi,
				 bdf(dc, b1, sizeof(b1)), a->bar >= 0 ? "a BAR" : "a window",
				 bdf(da, b2, sizeof(b2)));
			drop_window(im, dc, c->kind, why);
		}
	}
	free(v);
	return DMASIM_OK;
}

static int settle_all(struct imp *im)
{
	size_t i;
	int rc;

	for (i = 0; i < im->nhb; i++)
		if ((i == 0 || im->hb[i].seg != im->hb[i - 1].seg) &&
		    (rc = settle_bus(im, NULL, im->hb[i].seg)))
			return rc;
	for (i = 0; i < im->ndev; i++)
		if (im->dev[i].bridge && (rc = settle_bus(im, &im->dev[i], 0)))
			return rc;
	return DMASIM_OK;
}

/* ---- host-bridge windows and RAM -------------------------------------- */

/* A window of host bridge @h; past lim.windows an error at @line:@col
 * of the iomem text (0: an inferred window). */
static int add_hbwin(struct imp *im, struct imp_hb *h, int kind, uint64_t cpu,
		     uint64_t bus, uint64_t size, bool inferred, unsigned line,
		     unsigned col)
{
	if (h->nwin >= im->lim.windows)
		return dmasim_error_set(im->err, DMASIM_ELIMIT,
			line ? im->iomem_file : im->file, line, col,
			"root bus %04x:%02x gets more than %u windows (raise the limit with --limit windows=N)",
			h->seg, h->bus_first, (unsigned)im->lim.windows);
	if (!grow(&h->win, &h->capwin, h->nwin + 1, sizeof(*h->win)))
		return nomem(im);
	h->win[h->nwin++] = (struct imp_hbwin){ kind, cpu, bus, size, inferred };
	return DMASIM_OK;
}

/* The present BARs by host bridge and CPU address, for offsets. */
struct baroff {
	uint64_t cpu, off;   /* off = cpu - bus */
	int hb;
};

static int cmp_baroff(const void *a, const void *b)
{
	const struct baroff *x = a, *y = b;

	if (x->hb != y->hb)
		return x->hb < y->hb ? -1 : 1;
	return x->cpu < y->cpu ? -1 : x->cpu > y->cpu;
}

/* Offset (cpu - bus) of the lowest BAR of host bridge @hb inside [lo, hi]
 * (CPU addresses), or 0; @v sorted by cmp_baroff. */
static uint64_t offset_in(const struct baroff *v, size_t n, int hb, uint64_t lo,
			  uint64_t hi)
{
	size_t a = 0, z = n;

	while (a < z) {
		size_t mid = a + (z - a) / 2;
		if (v[mid].hb < hb || (v[mid].hb == hb && v[mid].cpu < lo))
			a = mid + 1;
		else
			z = mid;
	}
	return a < n && v[a].hb == hb && v[a].cpu <= hi ? v[a].off : 0;
}

/* The window of @h holding [lo, hi] (CPU), or NULL; @h's windows sorted
 * by CPU address and disjoint. */
static const struct imp_hbwin *hbwin_holding(const struct imp_hb *h, uint64_t lo,
					     uint64_t hi)
{
	size_t a = 0, z = h->nwin;

	while (a < z) {   /* the first window starting above lo */
		size_t mid = a + (z - a) / 2;
		if (h->win[mid].cpu > lo)
			z = mid;
		else
			a = mid + 1;
	}
	if (a == 0)
		return NULL;
	return hi <= h->win[a - 1].cpu + (h->win[a - 1].size - 1) ? &h->win[a - 1] : NULL;
}

struct cres {
	uint64_t lo, hi;  /* CPU addresses */
	uint64_t off;     /* cpu - bus */
	int hb;
};

static int cmp_cres(const void *a, const void *b)
{
	const struct cres *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static bool hbwin_overlaps(const struct imp *im, uint64_t lo, uint64_t hi)
{
	size_t i, w;

	for (i = 0; i < im->nhb; i++)
		for (w = 0; w < im->hb[i].nwin; w++) {
			const struct imp_hbwin *x = &im->hb[i].win[w];
			if (lo <= x->cpu + x->size - 1 && x->cpu <= hi)
				return true;
		}
	return false;
}

struct span {
	uint64_t lo, hi;
};

static struct span nw_lo_hi(uint64_t cpu, uint64_t size)
{
	return (struct span){ cpu, cpu + size - 1 };
}

/* No CPU range of its own fits a window of host bridge @hb: an error at
 * the first function below it, rather than YAML with overlapping windows. */
static int unplaced_window(struct imp *im, int hb, struct span w)
{
	unsigned line = 0;
	size_t i;

	for (i = 0; i < im->ndev && !line; i++)
		if (im->dev[i].hb == hb)
			line = im->dev[i].line;
	return dmasim_error_set(im->err, DMASIM_ETOPO, im->file, line, line ? 1 : 0,
		"the window [0x%llx-0x%llx] that root bus %04x:%02x needs overlaps another host bridge's, and no CPU range of its own below 1000 TiB fits it; give the machine's /proc/iomem with --iomem",
		(unsigned long long)w.lo, (unsigned long long)w.hi, im->hb[hb].seg,
		im->hb[hb].bus_first);
}

/*
 * Windows from --iomem (or ROOT/proc/iomem) where given; root-bus
 * resources they do not cover, and all of them when none is given, are
 * covered by inferred windows: consecutive resources of one host bridge
 * merge into one window, split at 4 GiB (below: mem, above: mem-pref),
 * widened to 1 MiB boundaries where that overlaps nothing (and, on x86,
 * not into the interrupt region at 0xfec00000).  A dump gives bus
 * addresses only: the first PCI segment maps them at offset 0; a later
 * segment whose windows would collide with those placed before gets the
 * offset k TiB (k = 1, 2, ...) that makes them free, as separate host
 * bridges of one machine decode separate CPU ranges.
 */
static int host_windows(struct imp *im)
{
	struct cres *v;
	struct imp_hbwin *nw;
	struct baroff *bo;
	size_t n, i, j, cap = im->ndev * 8 + 8, nn, h0, nbo = 0;
	bool dump = true;
	int b, k, rc;

	for (i = 0; i < im->ndev; i++)
		if (im->dev[i].has_res)
			dump = false;
	if (!(bo = malloc(cap * sizeof(*bo))))
		return nomem(im);
	for (i = 0; i < im->ndev; i++)
		for (b = 0; b < 6; b++)
			if (im->dev[i].bars[b].present)
				bo[nbo++] = (struct baroff){ im->dev[i].bars[b].cpu,
					im->dev[i].bars[b].cpu - im->dev[i].bars[b].bus,
					im->dev[i].hb };
	qsort(bo, nbo, sizeof(*bo), cmp_baroff);
	/* iomem windows come sorted by address and disjoint (iomem_parse). */
	for (i = 0; i < im->niomem_win; i++)
		for (j = 0; j < im->nhb; j++)
			if (im->hb[j].seg == im->iomem_win[i].seg &&
			    (im->hb[j].bus_first == im->iomem_win[i].bus ||
			     (im->iomem_win[i].below && im->hb[j].bus_first <= im->iomem_win[i].bus &&
			      im->iomem_win[i].bus <= im->hb[j].bus_last))) {
				const struct imp_iowin *x = &im->iomem_win[i];
				struct imp_hbwin w = x->w;
				w.bus = w.cpu - offset_in(bo, nbo, (int)j, w.cpu, w.cpu + w.size - 1);
				if ((rc = add_hbwin(im, &im->hb[j], w.kind, w.cpu, w.bus, w.size,
						    false, x->line, x->col))) {
					free(bo);
					return rc;
				}
			}
	v = malloc(cap * sizeof(*v));
	nw = malloc(cap * sizeof(*nw));
	if (!v || !nw) {
		free(v);
		free(nw);
		free(bo);
		return nomem(im);
	}
	for (h0 = 0; h0 < im->nhb; h0 = j) {
		unsigned seg = im->hb[h0].seg;
		uint64_t shift = 0;
		bool given = false;

		for (j = h0; j < im->nhb && im->hb[j].seg == seg; j++)
			given |= im->hb[j].nwin > 0;
		n = 0;
		for (i = 0; i < im->ndev; i++) {
			const struct imp_dev *d = &im->dev[i];
			uint64_t off;

			if (d->parent != IMP_NONE || d->seg != seg)
				continue;
			off = offset_in(bo, nbo, d->hb, 0, UINT64_MAX);
			for (b = 0; b < 6; b++)
				if (d->bars[b].present)
					v[n++] = (struct cres){ d->bars[b].cpu,
						d->bars[b].cpu + d->bars[b].size - 1,
						d->bars[b].cpu - d->bars[b].bus, d->hb };
			for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++)
				if (d->win[k].present)
					v[n++] = (struct cres){ d->win[k].base + off,
						d->win[k].limit + off, off, d->hb };
		}
		/* Leave out what a given window already covers. */
		for (i = 0, nn = 0; i < n; i++)
			if (!hbwin_holding(&im->hb[v[i].hb], v[i].lo, v[i].hi))
				v[nn++] = v[i];
		n = nn;
		qsort(v, n, sizeof(*v), cmp_cres);
		for (i = 0, nn = 0; i < n;) {
			uint64_t lo = v[i].lo, hi = v[i].hi, raw_hi, prev_end = 0,
				 next_start = UINT64_MAX;
			int hb = v[i].hb;
			bool high = lo >= GIB4;
			size_t e;

			for (e = i + 1; e < n && v[e].hb == hb && (v[e].lo >= GIB4) == high; e++)
				if (v[e].hi > hi)
					hi = v[e].hi;
			raw_hi = hi;
			if (i > 0)
				prev_end = v[i - 1].hi + 1;
			if (e < n)
				next_start = v[e].lo;
			if ((lo & ~(MIB - 1)) >= prev_end)
				lo &= ~(MIB - 1);
			if ((hi | (MIB - 1)) < next_start)
				hi |= MIB - 1;
			if (im->arch == DMASIM_ARCH_X86_64 && raw_hi < X86_INTR_BASE &&
			    hi >= X86_INTR_BASE)
				hi = X86_INTR_BASE - 1;
			nw[nn++] = (struct imp_hbwin){ high ? DMASIM_WIN_MEM_PREF : DMASIM_WIN_MEM,
						       lo, lo - v[i].off, hi - lo + 1, true };
			nw[nn - 1].kind |= hb << 8;   /* remember the owner */
			i = e;
		}
		/* A dump's segments after the first get CPU ranges of their own:
		 * windows below 4 GiB move to the highest free 256 MiB-aligned
		 * place below 4 GiB, the others up by whole TiBs. */
		for (i = 0; i < nn; i++) {
			uint64_t cpu = nw[i].cpu, sz = nw[i].size, step = 256 * MIB;
			int hb = nw[i].kind >> 8;

			if (dump && !given && hbwin_overlaps(im, cpu, cpu + sz - 1)) {
				bool placed = false;
				if (cpu + sz - 1 < GIB4 && sz <= GIB4) {
					uint64_t c = ((GIB4 - sz) & ~(step - 1)) + (cpu & (step - 1));
					for (;; c -= step) {
						if (c + sz - 1 < GIB4 && !hbwin_overlaps(im, c, c + sz - 1)) {
							cpu = c;
							placed = true;
							break;
						}
						if (c < step)
							break;
					}
				}
				for (shift = 1ull << 40; !placed && shift < (1ull << 40) * 1000;
				     shift += 1ull << 40)
					if (nw[i].cpu + shift + (sz - 1) >= nw[i].cpu + shift &&
					    !hbwin_overlaps(im, nw[i].cpu + shift, nw[i].cpu + shift + sz - 1)) {
						cpu = nw[i].cpu + shift;
						placed = true;
					}
				if (!placed) {
					free(v);
					free(nw);
					free(bo);
					return unplaced_window(im, hb, nw_lo_hi(cpu, sz));
				}
			}
			if ((rc = add_hbwin(im, &im->hb[hb], nw[i].kind & 0xff, cpu, nw[i].bus,
					    sz, true, 0, 0))) {
				free(v);
				free(nw);
				free(bo);
				return rc;
			}
		}
		/* A dump's BARs: CPU address = bus address + the offset of the
		 * host-bridge window holding it. */
		for (i = 0; dump && i < im->ndev; i++) {
			struct imp_dev *d = &im->dev[i];
			const struct imp_hb *h = &im->hb[d->hb];
			if (d->seg != seg)
				continue;
			for (b = 0; b < 6; b++) {
				struct imp_bar *x = &d->bars[b];
				size_t w;
				if (!x->present)
					continue;
				for (w = 0; w < h->nwin; w++)
					if (x->bus >= h->win[w].bus &&
					    x->bus + x->size - 1 <= h->win[w].bus + h->win[w].size - 1) {
						x->cpu = x->bus + (h->win[w].cpu - h->win[w].bus);
						break;
					}
			}
		}
	}
	free(v);
	free(nw);
	free(bo);
	return DMASIM_OK;
}

/* RAM when not given: [0, the lowest window below 4 GiB) and [4 GiB,
 * 64 GiB) cut at the lowest window above 4 GiB; on x86 the low range also
 * stops at the interrupt region. */
static int infer_ram(struct imp *im)
{
	uint64_t low = GIB4, high = HIGH_RAM_END;
	size_t i, w;

	if (im->ram_given)
		return DMASIM_OK;
	if (!grow(&im->ram, &im->capram, 2, sizeof(*im->ram)))
		return nomem(im);
	if (im->arch == DMASIM_ARCH_X86_64)
		low = X86_INTR_BASE;
	for (i = 0; i < im->nhb; i++)
		for (w = 0; w < im->hb[i].nwin; w++) {
			const struct imp_hbwin *x = &im->hb[i].win[w];
			uint64_t last = x->cpu + x->size - 1;
			if (x->cpu < low)
				low = x->cpu;
			if (last >= GIB4 && x->cpu < high)
				high = x->cpu < GIB4 ? GIB4 : x->cpu;
		}
	low &= ~(MIB - 1);
	im->nram = 0;
	if (low)
		im->ram[im->nram++] = (struct imp_range){ 0, low };
	if (high > GIB4)
		im->ram[im->nram++] = (struct imp_range){ GIB4, high - GIB4 };
	return DMASIM_OK;
}

/* ---- YAML ------------------------------------------------------------ */

static const char *size_str(char *buf, size_t n, uint64_t v)
{
	static const char suffix[] = "KMGT";
	int i;

	for (i = 3; i >= 0; i--) {
		uint64_t unit = 1ull << (10 * (i + 1));
		if (v >= unit && v % unit == 0) {
			snprintf(buf, n, "%llu%c", (unsigned long long)(v / unit), suffix[i]);
			return buf;
		}
	}
	snprintf(buf, n, "0x%llx", (unsigned long long)v);
	return buf;
}

static void comment(struct imp *im, struct sb *o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "  # text" at the end of the current line (unless comments are off). */
static void comment(struct imp *im, struct sb *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (im->opts.no_comments)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dmasim__sb_printf(o, "  # %s", buf);
}

static void acs_list(struct sb *o, unsigned bits)
{
	int i, first = 1;

	dmasim__sb_putc(o, '[');
	for (i = 0; i < 7; i++)
		if (bits & (1u << i)) {
			dmasim__sb_printf(o, "%s%s", first ? "" : ", ", dmasim__acs_bit_names[i]);
			first = 0;
		}
	dmasim__sb_putc(o, ']');
}

static void describe(const struct imp_dev *d, char *buf, size_t n)
{
	/* The dump's own description when it has one ("dev" from sysfs-made
	 * dumps says nothing), else the class name. */
	if (d->text && d->text[0] && strcmp(d->text, "dev") != 0)
		snprintf(buf, n, "%s", d->text);
	else
		snprintf(buf, n, "%s [%04x:%04x]", dmasim__imp_class_name(d->class_code),
			 d->vendor, d->device);
}

/* BAR @bi of @d is p2pmem by --p2pmem: an endpoint's memory BAR, and
 * with "prefetchable" only a prefetchable one (also when it is decoded
 * through the non-prefetchable window). */
static bool assume_p2pmem(const struct imp *im, const struct imp_dev *d, int bi)
{
	const struct imp_bar *b = &d->bars[bi];

	if (d->type != DMASIM_DEV_ENDPOINT || !b->present)
		return false;
	switch (im->opts.p2pmem) {
	case DMASIM_IMPORT_P2PMEM_PREFETCHABLE:
		return b->pref || b->pref_dropped;
	case DMASIM_IMPORT_P2PMEM_ALL_MEM:
		return true;
	default:
		return false;
	}
}

/* What the root complex of host bridge @h does with P2P between its root
 * ports and to other host bridges: the hardware, as far as it is known
 * for the CPU.  Sets *@why to the reason; always an inference. */
static const char *rc_p2p(const struct imp *im, const struct imp_hb *h, const char **why)
{
	/* pci_p2pdma_whitelist[] (drivers/pci/p2pdma.c, Linux 6.12): the host
	 * bridges Intel lists; the flag REQ_SAME_HOST_BRIDGE on the older ones. */
	static const struct { uint16_t device; bool same; } intel[] = {
		{ 0x3c00, true }, { 0x3c01, true }, { 0x2f00, true }, { 0x2f01, true },
		{ 0x2030, false }, { 0x2031, false }, { 0x2032, false }, { 0x2033, false },
		{ 0x2020, false }, { 0x09a2, false },
	};
	const struct imp_dev *hd = dmasim__imp_find_sorted(im, h->seg, h->bus_first, 0);
	size_t i;

	if (im->has_cpu && im->cpu_vendor == DMASIM_CPU_AMD && im->cpu_family >= 0x17) {
		*why = "inferred: AMD Zen (family 0x17 and later) routes P2P between root complexes, as cpu_supports_p2pdma() (drivers/pci/p2pdma.c) assumes";
		return "any";
	}
	if (hd && hd->vendor == 0x8086)
		for (i = 0; i < sizeof(intel) / sizeof(intel[0]); i++)
			if (hd->device == intel[i].device) {
				*why = intel[i].same
					? "inferred: an Intel host bridge that pci_p2pdma_whitelist[] (drivers/pci/p2pdma.c) lists for P2P within one host bridge"
					: "inferred: an Intel host bridge that pci_p2pdma_whitelist[] (drivers/pci/p2pdma.c) lists for P2P across host bridges";
				return intel[i].same ? "same-host-bridge" : "any";
			}
	*why = "inferred: nothing is known about this root complex's P2P routing; none assumed";
	return "none";
}

static void emit_device(struct imp *im, struct sb *o, const struct imp_dev *d,
			int ind)
{
	char b1[16], desc[200], sz[32];
	int k, bi, c, nbars = 0;
	bool p2p = false;

	if (!im->opts.no_comments) {
		describe(d, desc, sizeof(desc));
		dmasim__sb_printf(o, "%*s# %s %s\n", ind, "", bdf(d, b1, sizeof(b1)), desc);
	}
	dmasim__sb_printf(o, "%*s- bdf: %s\n", ind, "", bdf(d, b1, sizeof(b1)));
	ind += 2;
	dmasim__sb_printf(o, "%*stype: %s", ind, "", dmasim__dev_type_names[d->type]);
	if (d->type_note)
		comment(im, o, "%s", d->type_note);
	dmasim__sb_putc(o, '\n');
	dmasim__sb_printf(o, "%*svendor: 0x%04x\n", ind, "", d->vendor);
	dmasim__sb_printf(o, "%*sdevice: 0x%04x\n", ind, "", d->device);
	dmasim__sb_printf(o, "%*sclass: 0x%06x\n", ind, "", (unsigned)(d->class_code & 0xffffff));
	{
		/* the keys whose values are guessed (docs/topology.md) */
		bool ty = d->type_note && strncmp(d->type_note, "inferred", 8) == 0, pm = false;
		for (bi = 0; bi < 6; bi++)
			pm |= d->bars[bi].present && !d->bars[bi].p2pmem && assume_p2pmem(im, d, bi);
		if (ty || pm)
			dmasim__sb_printf(o, "%*sinferred: [%s%s%s]\n", ind, "", ty ? "type" : "",
					  ty && pm ? ", " : "", pm ? "p2pmem" : "");
	}
	if (d->has_acs) {
		dmasim__sb_printf(o, "%*sacs: { cap: ", ind, "");
		acs_list(o, d->acs_cap);
		dmasim__sb_printf(o, ", ctrl: ");
		acs_list(o, d->acs_ctrl);
		dmasim__sb_printf(o, " }");
		if (d->acs_ctrl_dropped)
			comment(im, o, "the control register also enables bits the capability lacks (0x%x); left out",
				d->acs_ctrl_dropped);
		dmasim__sb_putc(o, '\n');
	}
	if (d->iommu_group != IMP_NONE && !im->opts.no_comments)
		dmasim__sb_printf(o, "%*s# sysfs iommu_group %d\n", ind, "", d->iommu_group);
	if (d->unit != im->hb[d->hb].unit && !im->opts.no_comments) {
		if (d->unit == IMP_NONE)
			dmasim__sb_printf(o, "%*s# no IOMMU unit in sys/class/iommu lists it\n", ind, "");
		else
			dmasim__sb_printf(o, "%*s# IOMMU unit %s serves it; the format attaches one IOMMU per host bridge, and this one has %s\n",
					  ind, "", im->unit[d->unit].name,
					  im->hb[d->hb].unit == IMP_NONE ? "none"
					  : im->unit[im->hb[d->hb].unit].name);
	}
	if (d->bridge) {
		bool any = d->win[0].present || d->win[1].present;
		dmasim__sb_printf(o, "%*ssecondary: 0x%02x\n", ind, "", d->secondary);
		dmasim__sb_printf(o, "%*ssubordinate: 0x%02x\n", ind, "", d->subordinate);
		if (any)
			dmasim__sb_printf(o, "%*swindows:\n", ind, "");
		for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++) {
			if (d->win[k].present)
				dmasim__sb_printf(o, "%*s%s: [0x%llx, 0x%llx]\n", ind + 2, "",
					  dmasim__win_kind_names[k],
					  (unsigned long long)d->win[k].base,
					  (unsigned long long)d->win[k].limit);
			else if (d->win[k].note && !im->opts.no_comments)
				dmasim__sb_printf(o, "%*s# %s window %s\n", ind + (any ? 2 : 0), "",
					  dmasim__win_kind_names[k], d->win[k].note);
		}
		if (!any && !im->opts.no_comments && d->first_child != IMP_NONE)
			dmasim__sb_printf(o, "%*s# no memory window enabled in the input\n", ind, "");
	} else if (d->unconfigured && !im->opts.no_comments) {
		dmasim__sb_printf(o, "%*s# bus numbers: primary %02x, secondary %02x, subordinate %02x\n",
			  ind, "", d->primary, d->secondary, d->subordinate);
	}
	for (bi = 0; bi < 6; bi++) {
		if (d->bars[bi].present)
			nbars++;
		if (d->bars[bi].present && (d->bars[bi].p2pmem || assume_p2pmem(im, d, bi)))
			p2p = true;
	}
	if (p2p) {
		int first = 1;
		dmasim__sb_printf(o, "%*sp2pmem: [", ind, "");
		bool assumed = false;
		for (bi = 0; bi < 6; bi++)
			if (d->bars[bi].present && (d->bars[bi].p2pmem || assume_p2pmem(im, d, bi))) {
				dmasim__sb_printf(o, "%s%d", first ? "" : ", ", bi);
				assumed |= !d->bars[bi].p2pmem;
				first = 0;
			}
		dmasim__sb_printf(o, "]");
		if (assumed)
			comment(im, o, "assumed (--p2pmem %s): the input does not say which BARs a driver publishes",
				im->opts.p2pmem == DMASIM_IMPORT_P2PMEM_ALL_MEM ? "all-mem" : "prefetchable");
		dmasim__sb_putc(o, '\n');
	}
	if (nbars)
		dmasim__sb_printf(o, "%*sbars:\n", ind, "");
	for (bi = 0; bi < 6; bi++) {
		const struct imp_bar *b = &d->bars[bi];
		if (!b->present) {
			if (b->note && !im->opts.no_comments)
				dmasim__sb_printf(o, "%*s# BAR %d %s\n", ind + (nbars ? 2 : 0), "", bi, b->note);
			continue;
		}
		/* The width is the BAR's own: the model checks a 32-bit BAR
		 * against its bus address, which an offset may put far from
		 * its CPU address (finalize.c). */
		dmasim__sb_printf(o, "%*s- { index: %d, base: 0x%llx, size: %s, pref: %s, bits: %u%s }",
			  ind + 2, "", bi, (unsigned long long)b->cpu,
			  size_str(sz, sizeof(sz), b->size), b->pref ? "true" : "false",
			  b->bits, b->size_known ? "" : ", inferred: [size]");
		if (b->pref_dropped && !b->size_known)
			comment(im, o, "size inferred; prefetchable, but decoded through the non-prefetchable window");
		else if (b->pref_dropped)
			comment(im, o, "prefetchable, but decoded through the non-prefetchable window");
		else if (!b->size_known)
			comment(im, o, "size inferred");
		if (b->cpu != b->bus)
			comment(im, o, "bus address 0x%llx", (unsigned long long)b->bus);
		dmasim__sb_putc(o, '\n');
	}
	if (d->io_note && !im->opts.no_comments)
		dmasim__sb_printf(o, "%*s# %s\n", ind, "", d->io_note);
	if (d->first_child != IMP_NONE) {
		dmasim__sb_printf(o, "%*schildren:\n", ind, "");
		for (c = d->first_child; c != IMP_NONE; c = im->dev[c].next_sibling)
			emit_device(im, o, &im->dev[c], ind + 2);
	}
}

/* Bytes YAML accepts in a comment or a quoted scalar: printable ASCII and
 * well-formed UTF-8 of printable code points.  Anything else becomes '?'. */
static size_t utf8_printable_len(const unsigned char *s)
{
	unsigned c = s[0], n, i, cp;

	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff ||
	    cp == 0xfeff || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

void dmasim__imp_printable(char *s)
{
	size_t n;

	while (*s) {
		n = utf8_printable_len((const unsigned char *)s);
		if (n == 0) {
			*s++ = '?';
			continue;
		}
		s += n;
	}
}

static void yaml_quoted(struct sb *o, const char *s)
{
	char buf[256];
	const char *p;

	snprintf(buf, sizeof(buf), "%s", s);
	dmasim__imp_printable(buf);
	dmasim__sb_putc(o, '"');
	for (p = buf; *p; p++) {
		if (*p == '"' || *p == '\\')
			dmasim__sb_putc(o, '\\');
		dmasim__sb_putc(o, *p);
	}
	dmasim__sb_putc(o, '"');
}

/* The NUMA node (@pkg false) or package (@pkg true) of host bridge @hb:
 * what its functions say, the root bus's first (every function inherits
 * its bus's node in pci_device_add(), drivers/pci/probe.c, unless root
 * rewrote one through sysfs).  IMP_NONE when none says; *@other is a
 * function that says otherwise, or NULL. */
static int hb_place(const struct imp *im, size_t hb, bool pkg,
		    const struct imp_dev **other)
{
	int v = IMP_NONE, pass;
	size_t i;

	*other = NULL;
	for (pass = 0; pass < 2 && v == IMP_NONE; pass++)
		for (i = 0; i < im->ndev && v == IMP_NONE; i++) {
			const struct imp_dev *d = &im->dev[i];
			int x = pkg ? d->package : d->numa_node;
			if (d->hb == (int)hb && (pass || d->parent == IMP_NONE))
				v = x;
		}
	for (i = 0; i < im->ndev && v != IMP_NONE && !*other; i++) {
		const struct imp_dev *d = &im->dev[i];
		int x = pkg ? d->package : d->numa_node;
		if (d->hb == (int)hb && x != IMP_NONE && x != v)
			*other = d;
	}
	return v;
}

/* "    numa_node: N" or "    socket: N" of host bridge @hb, when known. */
static void emit_place(struct imp *im, struct sb *o, size_t hb, bool pkg)
{
	const char *key = pkg ? "socket" : "numa_node";
	const struct imp_dev *other;
	int v = hb_place(im, hb, pkg, &other);
	char b1[16];

	if (v == IMP_NONE)
		return;
	if (v > 4095) {
		if (!im->opts.no_comments)
			dmasim__sb_printf(o, "    # %s %d: above 4095, which the format holds; left out\n",
					  key, v);
		return;
	}
	dmasim__sb_printf(o, "    %s: %d", key, v);
	if (other)
		comment(im, o, "from %s; %s says %d (the root bus's functions decide)", im->source,
			bdf(other, b1, sizeof(b1)), pkg ? other->package : other->numa_node);
	else
		comment(im, o, "from %s", im->source);
	dmasim__sb_putc(o, '\n');
}

static void emit(struct imp *im, struct sb *o)
{
	static const char *const cpu_names[] = { "intel", "amd", "arm", "ibm", "other" };
	char name[256], sz[32];
	size_t i, w;
	int d;

	if (!im->opts.no_comments) {
		snprintf(name, sizeof(name), "%s", im->file);
		dmasim__imp_printable(name);
		dmasim__sb_printf(o, "# Imported by 'dmasim import %s' from %s: %zu functions.\n",
			  im->source, name, im->ndev);
		dmasim__sb_printf(o, "# Values marked 'inferred' are not in the input; docs/import.md has the rules.\n");
	}
	dmasim__sb_printf(o, "dmasim: 1\nname: ");
	if (im->opts.name)
		snprintf(name, sizeof(name), "%s", im->opts.name);
	else
		snprintf(name, sizeof(name), "imported from %s", im->file);
	yaml_quoted(o, name);
	dmasim__sb_printf(o, "\narch: %s", dmasim__arch_names[im->arch]);
	if (im->arch_inferred)
		comment(im, o, "inferred: the input does not say (--arch to change)");
	dmasim__sb_putc(o, '\n');
	if (im->arch_inferred || (im->nram && !im->ram_given))
		dmasim__sb_printf(o, "inferred: [%s%s%s]\n", im->arch_inferred ? "arch" : "",
				  im->arch_inferred && im->nram && !im->ram_given ? ", " : "",
				  im->nram && !im->ram_given ? "ram" : "");
	if (im->has_cpu)
		dmasim__sb_printf(o, "cpu: { vendor: %s, family: 0x%x }\n", cpu_names[im->cpu_vendor],
			  im->cpu_family);
	if (im->nram) {
		dmasim__sb_printf(o, "ram:");
		if (!im->ram_given)
			comment(im, o, "inferred: below the lowest PCI window and from 4 GiB to 64 GiB (--iomem to give it)");
		dmasim__sb_putc(o, '\n');
		for (i = 0; i < im->nram; i++)
			dmasim__sb_printf(o, "  - { base: 0x%llx, size: %s }\n",
				  (unsigned long long)im->ram[i].base,
				  size_str(sz, sizeof(sz), im->ram[i].size));
	}
	if (im->nunit) {
		dmasim__sb_printf(o, "iommus:\n");
		for (i = 0; i < im->nunit; i++) {
			const struct imp_unit *u = &im->unit[i];
			dmasim__sb_printf(o, "  - name: %s", u->name);
			comment(im, o, "sys/class/iommu/%s: %zu PCI function%s", u->name, u->nfn,
				u->nfn == 1 ? "" : "s");
			dmasim__sb_printf(o, "\n    type: %s\n    address_bits: 48",
					  dmasim__iommu_type_names[u->type]);
			comment(im, o, "inferred");
			dmasim__sb_printf(o, "\n    default_domain: %s\n    inferred: [%saddress_bits]\n",
					  dmasim__domain_type_names[u->domain],
					  u->type_inferred ? "type, " : "");
		}
	} else if (im->iommu_type != IMP_NONE) {
		dmasim__sb_printf(o, "iommus:\n  - name: iommu0\n    type: %s\n",
			  dmasim__iommu_type_names[im->iommu_type]);
		dmasim__sb_printf(o, "    address_bits: 48");
		comment(im, o, "inferred");
		dmasim__sb_printf(o, "\n    default_domain: %s\n    inferred: [%saddress_bits]\n",
			  dmasim__domain_type_names[im->iommu_domain],
			  im->iommu_type_inferred ? "type, " : "");
	}
	dmasim__sb_printf(o, "host_bridges:\n");
	for (i = 0; i < im->nhb; i++) {
		const struct imp_hb *h = &im->hb[i];
		bool inferred = false;

		dmasim__sb_printf(o, "  - name: hb%zu", i);
		comment(im, o, "root bus %04x:%02x", h->seg, h->bus_first);
		dmasim__sb_printf(o, "\n    segment: 0x%04x\n    buses: [0x%02x, 0x%02x]",
			  h->seg, h->bus_first, h->bus_last);
		comment(im, o, "inferred: up to the next root bus");
		dmasim__sb_putc(o, '\n');
		{
			const char *why, *p2p = rc_p2p(im, h, &why);
			dmasim__sb_printf(o, "    root_complex: { p2p: %s }", p2p);
			comment(im, o, "%s", why);
			dmasim__sb_printf(o, "\n    inferred: [buses, root_complex]\n");
		}
		emit_place(im, o, i, true);
		emit_place(im, o, i, false);
		if (h->unit != IMP_NONE)
			dmasim__sb_printf(o, "    iommu: %s\n", im->unit[h->unit].name);
		else if (h->has_iommu)
			dmasim__sb_printf(o, "    iommu: iommu0\n");
		for (w = 0; w < h->nwin; w++)
			inferred |= h->win[w].inferred;
		if (h->nwin) {
			dmasim__sb_printf(o, "    windows:");
			if (inferred)
				comment(im, o, "inferred: cover the root bus's BARs and windows");
			dmasim__sb_putc(o, '\n');
		}
		for (w = 0; w < h->nwin; w++) {
			const struct imp_hbwin *x = &h->win[w];
			dmasim__sb_printf(o, "      - { kind: %s, cpu: 0x%llx, bus: 0x%llx, size: %s%s }",
				  dmasim__win_kind_names[x->kind], (unsigned long long)x->cpu,
				  (unsigned long long)x->bus, size_str(sz, sizeof(sz), x->size),
				  x->inferred ? ", inferred: [kind, cpu, bus, size]" : "");
			if (x->inferred && x->cpu != x->bus)
				comment(im, o, "inferred; a CPU range of its own (offset 0x%llx)",
					(unsigned long long)(x->cpu - x->bus));
			else
				comment(im, o, x->inferred ? "inferred" : "from iomem");
			dmasim__sb_putc(o, '\n');
		}
		dmasim__sb_printf(o, "    devices:\n");
		for (d = 0; d < (int)im->ndev; d++)
			if (im->dev[d].hb == (int)i && im->dev[d].parent == IMP_NONE)
				emit_device(im, o, &im->dev[d], 6);
	}
}

/* sysfs `resource`: CPU addresses and sizes of the BARs. */
static void apply_resources(struct imp_dev *d)
{
	int b;

	if (!d->has_res)
		return;
	for (b = 0; b < 6; b++) {
		struct imp_bar *x = &d->bars[b];
		if (!x->present || (!d->res_start[b] && !d->res_end[b]) ||
		    d->res_end[b] < d->res_start[b])
			continue;
		x->cpu = d->res_start[b];
		x->size = d->res_end[b] - d->res_start[b] + 1;
		x->size_known = true;
	}
}

void dmasim__imp_dev_done(struct imp *im, struct imp_dev *d)
{
	dmasim__imp_decode(im, d);
	apply_resources(d);
	d->cfg = NULL;
}

/*
 * The YAML must load: input whose facts contradict each other (a BAR whose
 * CPU address no inferred window can hold, say) is rejected here, naming
 * the input, instead of being written as a topology that does not load
 * (issue 15, D10).  Frees @o on failure.
 */
static int loads(struct imp *im, struct sb *o)
{
	struct dmasim_topo *t = NULL;
	struct dmasim_error e;
	int rc;

	dmasim_error_init(&e);
	rc = dmasim_topo_load_string_limited(o->s, o->len, "<imported>", im->opts.limits, &t, &e);
	dmasim_topo_destroy(t);
	if (rc == DMASIM_OK)
		return DMASIM_OK;
	free(o->s);
	o->s = NULL;
	if (rc == DMASIM_ENOMEM || rc == DMASIM_ELIMIT)
		return dmasim_error_set(im->err, rc, im->file, 0, 0, "%s", e.msg);
	return dmasim_error_set(im->err, DMASIM_ETOPO, im->file, 0, 0,
		"the input contradicts itself: the machine it describes breaks a topology rule "
		"(line %u of the YAML it would give): %s", e.line, e.msg);
}

/* Each host bridge gets the IOMMU unit that lists most of its functions
 * (the lowest such unit on a tie): the topology attaches IOMMUs per host
 * bridge, so a function another unit serves keeps a comment (emit_device). */
static void attach_units(struct imp *im)
{
	size_t h, i, u;

	for (h = 0; h < im->nhb; h++) {
		size_t best = 0, bestn = 0;
		for (u = 0; u < im->nunit; u++) {
			size_t n = 0;
			for (i = 0; i < im->ndev; i++)
				n += im->dev[i].hb == (int)h && im->dev[i].unit == (int)u;
			if (n > bestn)
				best = u, bestn = n;
		}
		im->hb[h].unit = bestn ? (int)best : IMP_NONE;
	}
}

int dmasim__imp_finish(struct imp *im, char **yaml, size_t *yaml_len)
{
	struct sb o = { 0 };
	size_t i;
	int rc;

	qsort(im->dev, im->ndev, sizeof(*im->dev), cmp_dev);
	if ((rc = link_tree(im)))
		return rc;
	assign_types(im);
	if (im->nunit)
		attach_units(im);
	else
		for (i = 0; i < im->ndev; i++)
			if (im->iommu_type != IMP_NONE && im->dev[i].iommu_group != IMP_NONE)
				im->hb[im->dev[i].hb].has_iommu = true;
	if ((rc = settle_all(im)) || (rc = host_windows(im)) || (rc = infer_ram(im)))
		return rc;
	if (im->oom)
		return nomem(im);
	emit(im, &o);
	if (o.oom) {
		free(o.s);
		return nomem(im);
	}
	if ((rc = loads(im, &o)))
		return rc;
	if (im->opts.groups_report && (rc = dmasim__imp_compare_groups(im, o.s, o.len))) {
		free(o.s);
		return rc;
	}
	*yaml = o.s;
	*yaml_len = o.len;
	return DMASIM_OK;
}
