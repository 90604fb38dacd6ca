/*
 * dmasim-bench -- hwloc as a peer: the same tree exported to hwloc 2.x XML
 * (a Machine with one PU and one NUMA node; under it one host-bridge
 * object per host bridge, "Bridge" objects with bridge_type 1-1 for every
 * port, "PCIDev" for endpoints, all with pci_busid), loaded with
 * hwloc_topology_set_xmlbuffer and every I/O object kept, and
 * hwloc_get_common_ancestor_obj timed on the same pairs as dmasim.
 *
 * hwloc's helper steps the two objects up by their `depth`, and every I/O
 * object of one kind shares one virtual depth, so it is only right (and
 * only safe: it can step past the root) when both objects sit at the same
 * level of the tree.  Pairs at different levels are therefore left out and
 * counted; in the generated topologies every endpoint is at one depth.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#ifdef DMASIM_BENCH_HWLOC
#include <hwloc.h>

static unsigned pci_class(const struct dmasim_device *d)
{
	if (d->type != DMASIM_DEV_ENDPOINT)
		return 0x0604;
	switch (d->vendor) {
	case 0x10de: return 0x0302;
	case 0x144d: return 0x0108;
	case 0x15b3: return 0x0200;
	default: return 0x0880;
	}
}

static void xml_device(FILE *f, const struct dmasim_device *d, unsigned *gp,
		       unsigned ind)
{
	size_t i;

	fprintf(f, "%*s<object type=\"%s\" gp_index=\"%u\" pci_busid=\"%04x:%02x:%02x.%x\""
		" pci_type=\"%04x [%04x:%04x] [0000:0000] 00\" pci_link_speed=\"0.000000\"",
		(int)ind, "", d->type == DMASIM_DEV_ENDPOINT ? "PCIDev" : "Bridge",
		(*gp)++, d->segment, d->bus, d->devfn >> 3, d->devfn & 7, pci_class(d),
		d->vendor, d->device_id);
	if (d->type != DMASIM_DEV_ENDPOINT)
		fprintf(f, " bridge_type=\"1-1\" depth=\"%u\" bridge_pci=\"%04x:[%02x-%02x]\"",
			d->depth + 1, d->segment, d->secondary, d->subordinate);
	if (!d->nchildren) {
		fputs("/>\n", f);
		return;
	}
	fputs(">\n", f);
	for (i = 0; i < d->nchildren; i++)
		xml_device(f, d->children[i], gp, ind + 1);
	fprintf(f, "%*s</object>\n", (int)ind, "");
}

/* The XML text of @t, malloc'd; NULL on failure. */
static char *export_xml(const struct dmasim_topo *t, size_t *len)
{
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	static const char *const sets =
		"cpuset=\"0x00000001\" complete_cpuset=\"0x00000001\" "
		"nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\"";
	unsigned gp = 1;
	char *buf = NULL;
	size_t h, i;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<!DOCTYPE topology SYSTEM \"hwloc2.dtd\">\n"
	      "<topology version=\"2.0\">\n", f);
	fprintf(f, " <object type=\"Machine\" os_index=\"0\" %s allowed_cpuset=\"0x00000001\""
		" allowed_nodeset=\"0x00000001\" gp_index=\"%u\">\n", sets, gp++);
	fprintf(f, "  <object type=\"Package\" os_index=\"0\" %s gp_index=\"%u\">\n", sets, gp++);
	fprintf(f, "   <object type=\"NUMANode\" os_index=\"0\" %s gp_index=\"%u\""
		" local_memory=\"68719476736\"/>\n", sets, gp++);
	fprintf(f, "   <object type=\"Core\" os_index=\"0\" %s gp_index=\"%u\">\n", sets, gp++);
	fprintf(f, "    <object type=\"PU\" os_index=\"0\" %s gp_index=\"%u\"/>\n", sets, gp++);
	fputs("   </object>\n  </object>\n", f);
	for (h = 0; h < m->nhost_bridges; h++) {
		const struct dmasim_host_bridge *hb = &m->host_bridges[h];
		fprintf(f, "  <object type=\"Bridge\" gp_index=\"%u\" bridge_type=\"0-1\" depth=\"0\""
			" bridge_pci=\"%04x:[%02x-%02x]\">\n", gp++, hb->segment,
			hb->bus_first, hb->bus_last);
		for (i = 0; i < hb->ndevices; i++)
			xml_device(f, hb->devices[i], &gp, 3);
		fputs("  </object>\n", f);
	}
	fputs(" </object>\n</topology>\n", f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static uint32_t key_of(unsigned dom, unsigned bus, unsigned dev, unsigned fn)
{
	return (uint32_t)dom << 16 | bus << 8 | dev << 3 | fn;
}

struct hw_ctx {
	hwloc_topology_t topo;
	hwloc_obj_t *a, *b;
	size_t n;
};

static uint64_t op_hwloc(const void *c_, size_t passes)
{
	const struct hw_ctx *c = c_;
	uint64_t sum = 0;
	size_t p, i;

	for (p = 0; p < passes; p++)
		for (i = 0; i < c->n; i++)
			sum += (uintptr_t)hwloc_get_common_ancestor_obj(c->topo, c->a[i],
									c->b[i]);
	return sum;
}

/* The PCI key of an I/O object, or ~0 for host bridges and CPU-side objects. */
static uint32_t obj_key(hwloc_obj_t o)
{
	if (o->type == HWLOC_OBJ_PCI_DEVICE)
		return key_of(o->attr->pcidev.domain, o->attr->pcidev.bus,
			      o->attr->pcidev.dev, o->attr->pcidev.func);
	if (o->type == HWLOC_OBJ_BRIDGE &&
	    o->attr->bridge.upstream_type == HWLOC_OBJ_BRIDGE_PCI)
		return key_of(o->attr->bridge.upstream.pci.domain,
			      o->attr->bridge.upstream.pci.bus,
			      o->attr->bridge.upstream.pci.dev,
			      o->attr->bridge.upstream.pci.func);
	return ~0u;
}

static uint32_t dev_key(const struct dmasim_device *d)
{
	return key_of(d->segment, d->bus, d->devfn >> 3, d->devfn & 7);
}

struct kv {
	uint32_t key, id;
};

static int cmp_kv(const void *x, const void *y)
{
	uint32_t a = ((const struct kv *)x)->key, b = ((const struct kv *)y)->key;

	return a < b ? -1 : a > b;
}

/* byid[id of @key] = @o; returns 1 when @key is a dmasim device. */
static size_t match(const struct kv *kv, size_t n, uint32_t key, hwloc_obj_t o,
		    hwloc_obj_t *byid)
{
	struct kv want = { key, 0 };
	const struct kv *hit = bsearch(&want, kv, n, sizeof(*kv), cmp_kv);

	if (!hit || byid[hit->id])
		return 0;
	byid[hit->id] = o;
	return 1;
}

void bench_hwloc_run(const struct dmasim_topo *t,
		     const struct dmasim_device *const *a,
		     const struct dmasim_device *const *b, size_t n,
		     bench_time_fn timer, const void *opts,
		     struct bench_hwloc_result *out)
{
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	const struct dmasim_policy *pol = dmasim_policy_default();
	hwloc_obj_t *byid = NULL, o;
	struct hw_ctx c = { 0 };
	size_t len = 0, i, found = 0;
	uint64_t t0;
	char *xml;

	memset(out, 0, sizeof(*out));
	out->ns = out->load_ms = NAN;
	xml = export_xml(t, &len);
	if (!xml) {
		out->note = "hwloc XML export failed; ";
		return;
	}
	if (len >= (size_t)0x7fffffff) {
		free(xml);
		out->note = "the XML is too large for hwloc_topology_set_xmlbuffer; ";
		return;
	}
	t0 = bench_now_ns();
	if (hwloc_topology_init(&c.topo) ||
	    hwloc_topology_set_io_types_filter(c.topo, HWLOC_TYPE_FILTER_KEEP_ALL) ||
	    hwloc_topology_set_xmlbuffer(c.topo, xml, (int)len + 1) ||
	    hwloc_topology_load(c.topo)) {
		free(xml);
		out->note = "hwloc could not load the exported XML; ";
		return;
	}
	out->load_ms = (double)(bench_now_ns() - t0) / 1e6;
	free(xml);

	/* dmasim device -> hwloc object, through the BDF */
	byid = calloc(m->ndevices + 1, sizeof(*byid));
	c.a = malloc((n + 1) * sizeof(*c.a));
	c.b = malloc((n + 1) * sizeof(*c.b));
	if (!byid || !c.a || !c.b) {
		out->note = "out of memory; ";
		goto done;
	}
	{
		struct kv *kv = malloc(m->ndevices * sizeof(*kv));
		size_t k;

		if (!kv) {
			out->note = "out of memory; ";
			goto done;
		}
		for (k = 0; k < m->ndevices; k++) {
			kv[k].key = dev_key(&m->devices[k]);
			kv[k].id = (uint32_t)k;
		}
		qsort(kv, m->ndevices, sizeof(*kv), cmp_kv);
		for (o = hwloc_get_next_pcidev(c.topo, NULL); o;
		     o = hwloc_get_next_pcidev(c.topo, o))
			found += match(kv, m->ndevices, obj_key(o), o, byid);
		for (o = hwloc_get_next_bridge(c.topo, NULL); o;
		     o = hwloc_get_next_bridge(c.topo, o))
			if (obj_key(o) != ~0u)
				found += match(kv, m->ndevices, obj_key(o), o, byid);
		free(kv);
	}
	if (found != m->ndevices) {
		out->note = "hwloc did not keep every device of the XML; ";
		goto done;
	}
	for (i = 0; i < n; i++)
		if (a[i]->depth == b[i]->depth) {
			c.a[c.n] = byid[a[i]->id];
			c.b[c.n] = byid[b[i]->id];
			c.n++;
		}
	out->pairs = c.n;
	if (c.n < n)
		out->note = "pairs at different depths left out (hwloc's helper needs equal levels); ";
	if (!c.n)
		goto done;
	/* cross-check against dmasim's upstream device */
	for (i = 0, c.n = 0; i < n; i++) {
		const struct dmasim_device *up;
		hwloc_obj_t anc;
		uint32_t k;

		if (a[i]->depth != b[i]->depth)
			continue;
		anc = hwloc_get_common_ancestor_obj(c.topo, c.a[c.n], c.b[c.n]);
		c.n++;
		up = dmasim_p2p_upstream(t, pol, a[i], b[i], 0);
		k = obj_key(anc);
		if (up ? k != dev_key(up) : k != ~0u)
			out->mismatches++;
	}
	{
		struct bench_op op = { op_hwloc, &c, c.n };
		out->ns = timer(&op, opts);
	}
done:
	free(byid);
	free(c.a);
	free(c.b);
	hwloc_topology_destroy(c.topo);
}

#else /* !DMASIM_BENCH_HWLOC */

void bench_hwloc_run(const struct dmasim_topo *t,
		     const struct dmasim_device *const *a,
		     const struct dmasim_device *const *b, size_t n,
		     bench_time_fn timer, const void *opts,
		     struct bench_hwloc_result *out)
{
	(void)t, (void)a, (void)b, (void)n, (void)timer, (void)opts;
	memset(out, 0, sizeof(*out));
	out->ns = out->load_ms = NAN;
	out->note = "hwloc was not found at build time (install libhwloc-dev), column skipped; ";
}

#endif
