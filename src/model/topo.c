/* dmasim -- the topology object: storage, lookups, destroy. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/load.h"
#include "model/topo_int.h"

int dmasim__grow_raw(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > SIZE_MAX / elem)
		return -1;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

int dmasim__grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t old = *cap;

	if (dmasim__grow_raw(arr, cap, n, elem))
		return -1;
	if (*cap != old)
		memset((char *)*arr + old * elem, 0, (*cap - old) * elem);
	return 0;
}

/* The string arena: chunks that never move, so names stay put. */
struct dmasim__chunk {
	struct dmasim__chunk *next;
	size_t used, size;
	char data[];
};

#define CHUNK_SIZE (64u << 10)

struct dmasim_topo *dmasim__topo_new(const char *file)
{
	struct dmasim_topo *topo = calloc(1, sizeof(*topo));

	if (!topo)
		return NULL;
	if (file) {
		topo->file = strdup(file);
		if (!topo->file) {
			free(topo);
			return NULL;
		}
	}
	topo->m.file = topo->file;
	topo->m.name = "";
	return topo;
}

const char *dmasim__topo_strndup(struct dmasim_topo *topo, const char *s,
				 size_t len)
{
	struct dmasim__chunk *c = topo->strs;
	char *copy;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > CHUNK_SIZE / 4 ? len + 1 : CHUNK_SIZE;

		if (len + 1 > size || size > SIZE_MAX - sizeof(*c))
			return NULL;
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = size;
		if (size == CHUNK_SIZE || !topo->strs) {
			c->next = topo->strs;
			topo->strs = c;
		} else {
			/* A big string gets its own chunk behind the current one. */
			c->next = topo->strs->next;
			topo->strs->next = c;
		}
	}
	copy = c->data + c->used;
	memcpy(copy, s, len);
	copy[len] = '\0';
	c->used += len + 1;
	return copy;
}

const char *dmasim__topo_strdup(struct dmasim_topo *topo, const char *s)
{
	return dmasim__topo_strndup(topo, s, strlen(s));
}

void dmasim_topo_destroy(struct dmasim_topo *topo)
{
	if (!topo)
		return;
	dmasim__decode_index_destroy(topo->decode);
	dmasim__lca_index_destroy(topo->lca);
	while (topo->strs) {
		struct dmasim__chunk *next = topo->strs->next;
		free(topo->strs);
		topo->strs = next;
	}
	free(topo->devs);
	free(topo->devx);
	free(topo->hbs);
	free(topo->hbx);
	free(topo->iommus);
	free(topo->iommux);
	free(topo->bars);
	free(topo->bar_base_pos);
	free(topo->hbwins);
	free(topo->dranges);
	free(topo->ram);
	free(topo->ram_pos);
	free(topo->resv);
	free(topo->childv);
	free(topo->by_name);
	free(topo->by_bdf);
	free(topo->file);
	free(topo);
}

const struct dmasim_machine *dmasim_topo_machine(const struct dmasim_topo *topo)
{
	return &topo->m;
}

static uint32_t bdf_key_of(uint16_t segment, uint8_t bus, uint8_t devfn)
{
	return (uint32_t)segment << 16 | (uint32_t)bus << 8 | devfn;
}

const struct dmasim_device *dmasim_topo_find_device(const struct dmasim_topo *topo,
						    const char *what)
{
	const struct dmasim_device *d = topo->devs;
	size_t lo = 0, hi = topo->ndevs;
	uint16_t segment;
	uint8_t bus, devfn;
	uint32_t key;

	if (!what || !topo->by_name)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(what, d[topo->by_name[mid]].name);

		if (c == 0)
			return &d[topo->by_name[mid]];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (dmasim_parse_bdf(what, &segment, &bus, &devfn) != DMASIM_OK)
		return NULL;
	key = bdf_key_of(segment, bus, devfn);
	lo = 0;
	hi = topo->ndevs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct dmasim_device *m = &d[topo->by_bdf[mid]];
		uint32_t k = bdf_key_of(m->segment, m->bus, m->devfn);

		if (k == key)
			return m;
		if (key < k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct dmasim_host_bridge *
dmasim_topo_find_host_bridge(const struct dmasim_topo *topo, const char *name)
{
	size_t i;

	for (i = 0; i < topo->nhbs; i++)
		if (strcmp(topo->hbs[i].name, name) == 0)
			return &topo->hbs[i];
	return NULL;
}

const struct dmasim_bar *dmasim_device_find_bar(const struct dmasim_device *dev,
						unsigned index)
{
	size_t i;

	for (i = 0; i < dev->nbars; i++)
		if (dev->bars[i].index == index)
			return &dev->bars[i];
	return NULL;
}

bool dmasim_device_is_bridge(const struct dmasim_device *dev)
{
	return dev->type != DMASIM_DEV_ENDPOINT;
}

bool dmasim_device_is_multifunction(const struct dmasim_device *d)
{
	const struct dmasim_device *const *sib = d->parent ? d->parent->children
							   : d->hb->devices;
	size_t n = d->parent ? d->parent->nchildren : d->hb->ndevices, i;

	for (i = 0; i < n; i++)
		if (sib[i] != d && (sib[i]->devfn >> 3) == (d->devfn >> 3))
			return true;
	return false;
}

bool dmasim_device_is_ancestor(const struct dmasim_device *a,
			       const struct dmasim_device *d)
{
	return a->id <= d->id && d->id < a->subtree_end;
}

int dmasim__topo_err(const struct dmasim_topo *topo, struct dmasim_error *err,
		     int code, struct dmasim_pos pos, const char *fmt, ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dmasim_error_set(err, code, topo->file, pos.line, pos.column,
				"%s", msg);
}

const char *dmasim__range_str(char *buf, size_t size, uint64_t base,
			      uint64_t last)
{
	snprintf(buf, size, "[0x%llx-0x%llx]", (unsigned long long)base,
		 (unsigned long long)last);
	return buf;
}

bool dmasim_device_is_host_bridge_function(const struct dmasim_device *dev)
{
	return dev->class_code != DMASIM_CLASS_UNKNOWN &&
	       (dev->class_code >> 8) == DMASIM_CLASS_BRIDGE_HOST;
}

bool dmasim_inferred_has(const struct dmasim_inferred *inf, const char *key)
{
	size_t i;

	for (i = 0; inf->mask && inf->keys && inf->keys[i] && i < 32; i++)
		if ((inf->mask >> i & 1u) && strcmp(inf->keys[i], key) == 0)
			return true;
	return false;
}

int dmasim_inferred_snprintf(char *buf, size_t size, const struct dmasim_inferred *inf)
{
	size_t i, len = 0;

	if (size)
		buf[0] = '\0';
	for (i = 0; inf->mask && inf->keys && inf->keys[i] && i < 32; i++) {
		int n;
		if (!(inf->mask >> i & 1u))
			continue;
		n = snprintf(len < size ? buf + len : NULL, len < size ? size - len : 0, "%s%s",
			     len ? ", " : "", inf->keys[i]);
		len += n > 0 ? (size_t)n : 0;
	}
	return (int)len;
}

bool dmasim_hb_crosses_sockets(const struct dmasim_host_bridge *a,
			       const struct dmasim_host_bridge *b)
{
	if (a->socket >= 0 && b->socket >= 0)
		return a->socket != b->socket;
	return a->numa_node >= 0 && b->numa_node >= 0 && a->numa_node != b->numa_node;
}

/* The bridge a port stands for in nvidia-smi's count: a switch's
 * downstream ports are the switch, i.e. its upstream port. */
static const struct dmasim_device *smi_unit(const struct dmasim_device *d)
{
	return d->type == DMASIM_DEV_SWITCH_DOWNSTREAM && d->parent ? d->parent : d;
}

const char *dmasim_device_link_code(const struct dmasim_device *a,
				    const struct dmasim_device *b)
{
	const struct dmasim_device *top, *p, *first = NULL;
	int side;

	if (a == b)
		return "X";
	if (a->hb != b->hb) {
		if (a->hb->numa_node >= 0 && b->hb->numa_node >= 0)
			return a->hb->numa_node != b->hb->numa_node ? "SYS" : "NODE";
		return dmasim_hb_crosses_sockets(a->hb, b->hb) ? "SYS" : "NODE";
	}
	/* The lowest bridge above both, if any. */
	for (top = a->parent; top && !dmasim_device_is_ancestor(top, b); top = top->parent)
		;
	if (!top)
		return "PHB";
	/* PIX when every bridge on both paths up to it is one unit. */
	for (side = 0; side < 2; side++)
		for (p = (side ? b : a)->parent; p; p = p->parent) {
			if (!first)
				first = smi_unit(p);
			else if (smi_unit(p) != first)
				return "PXB";
			if (p == top)
				break;
		}
	return "PIX";
}

/* The BARs an endpoint's driver would hand to pci_p2pdma_add_resource()
 * (drivers/pci/p2pdma.c, Linux 6.12), which refuses all but memory BARs;
 * which of those a driver publishes is its own choice, hence @which. */
size_t dmasim_topo_assume_p2pmem(struct dmasim_topo *t, enum dmasim_p2pmem_assumption which)
{
	size_t i, b, marked = 0;

	if (!t || (unsigned)which >= DMASIM_ASSUME_P2PMEM_COUNT)
		return 0;
	for (i = 0; i < t->ndevs; i++) {
		const struct dmasim_device *d = &t->devs[i];
		struct dmasim_bar *bars;
		bool published = false;

		if (d->type != DMASIM_DEV_ENDPOINT || !d->nbars)
			continue;
		bars = &t->bars[d->bars - t->bars];
		for (b = 0; b < d->nbars; b++)
			published |= bars[b].p2pmem;
		if (published)
			continue;
		for (b = 0; b < d->nbars; b++) {
			if (which == DMASIM_ASSUME_P2PMEM_PREFETCHABLE && !bars[b].pref)
				continue;
			bars[b].p2pmem = true;
			bars[b].p2pmem_assumed = true;
			marked++;
		}
	}
	return marked;
}

const char *dmasim_p2pmem_assumption_name(enum dmasim_p2pmem_assumption which)
{
	switch (which) {
	case DMASIM_ASSUME_P2PMEM_PREFETCHABLE:
		return "prefetchable";
	case DMASIM_ASSUME_P2PMEM_ALL_MEM:
		return "all-mem";
	default:
		return NULL;
	}
}
