/* dmasim -- the topology object: storage, lookups, destroy. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/load.h"
#include "model/topo_int.h"

int dmasim__grow(void **arr, size_t *cap, size_t n, size_t elem)
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
	memset((char *)p + *cap * elem, 0, (ncap - *cap) * elem);
	*arr = p;
	*cap = ncap;
	return 0;
}

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

const char *dmasim__topo_strdup(struct dmasim_topo *topo, const char *s)
{
	char **slot = DMASIM__PUSH(topo, strs, nstrs, cap_strs);
	char *copy;

	if (!slot)
		return NULL;
	copy = strdup(s);
	if (!copy) {
		topo->nstrs--;
		return NULL;
	}
	*slot = copy;
	return copy;
}

void dmasim_topo_destroy(struct dmasim_topo *topo)
{
	size_t i;

	if (!topo)
		return;
	dmasim__decode_index_destroy(topo->decode);
	dmasim__lca_index_destroy(topo->lca);
	for (i = 0; i < topo->nstrs; i++)
		free(topo->strs[i]);
	free(topo->strs);
	free(topo->devs);
	free(topo->devx);
	free(topo->hbs);
	free(topo->hbx);
	free(topo->iommus);
	free(topo->iommux);
	free(topo->bars);
	free(topo->hbwins);
	free(topo->dranges);
	free(topo->ram);
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

static int cmp_name_key(const void *key, const void *elem)
{
	const struct dmasim_device *d = *(const struct dmasim_device *const *)elem;

	return strcmp((const char *)key, d->name);
}

struct bdf_key {
	uint16_t segment;
	uint8_t bus, devfn;
};

static int cmp_bdf_key(const void *key, const void *elem)
{
	const struct bdf_key *k = key;
	const struct dmasim_device *d = *(const struct dmasim_device *const *)elem;
	uint32_t a = (uint32_t)k->segment << 16 | (uint32_t)k->bus << 8 | k->devfn;
	uint32_t b = (uint32_t)d->segment << 16 | (uint32_t)d->bus << 8 | d->devfn;

	return a < b ? -1 : a > b;
}

const struct dmasim_device *dmasim_topo_find_device(const struct dmasim_topo *topo,
						    const char *what)
{
	const struct dmasim_device *const *hit;
	struct bdf_key k;

	if (!what || !topo->by_name)
		return NULL;
	hit = bsearch(what, topo->by_name, topo->ndevs, sizeof(*topo->by_name),
		      cmp_name_key);
	if (hit)
		return *hit;
	if (dmasim_parse_bdf(what, &k.segment, &k.bus, &k.devfn) != DMASIM_OK)
		return NULL;
	hit = bsearch(&k, topo->by_bdf, topo->ndevs, sizeof(*topo->by_bdf),
		      cmp_bdf_key);
	return hit ? *hit : NULL;
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
