/*
 * dmasim -- the hwloc XML exporter: a topology as the XML that
 * `lstopo -i FILE.xml` draws (hwloc 2.x format; docs/import.md, "hwloc
 * XML").  The machine gets one package, one NUMA node and one PU (dmasim
 * models no CPUs); each host bridge becomes a host bridge object (bridge
 * type 0-1) with its bus range, each bridge a PCI bridge with its
 * secondary and subordinate buses, each endpoint a PCI device.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/import.h"
#include "dmasim/topology.h"
#include "import/imp_int.h"

/* Escape @s for an attribute value. */
static void attr(struct sb *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': dmasim__sb_printf(o, "&lt;"); break;
		case '>': dmasim__sb_printf(o, "&gt;"); break;
		case '&': dmasim__sb_printf(o, "&amp;"); break;
		case '"': dmasim__sb_printf(o, "&quot;"); break;
		default:
			if ((unsigned char)*s < 0x20)
				dmasim__sb_printf(o, "&#%u;", (unsigned)(unsigned char)*s);
			else
				dmasim__sb_putc(o, *s);
		}
	}
}

static void device(struct sb *o, const struct dmasim_device *d, unsigned *gp, unsigned indent)
{
	bool bridge = dmasim_device_is_bridge(d);
	size_t i;

	dmasim__sb_printf(o, "%*s<object type=\"%s\" gp_index=\"%u\"", indent, "",
			  bridge ? "Bridge" : "PCIDev", (*gp)++);
	if (bridge)
		dmasim__sb_printf(o, " bridge_type=\"1-1\" depth=\"%u\" bridge_pci=\"%04x:[%02x-%02x]\"",
				  d->depth + 1, d->segment, d->secondary, d->subordinate);
	/* dmasim keeps no class code: bridges are 0604, endpoints 0000 */
	dmasim__sb_printf(o, " pci_busid=\"%s\" pci_type=\"%s [%04x:%04x] [0000:0000] 00\""
			  " pci_link_speed=\"0.000000\">\n", d->bdf, bridge ? "0604" : "0000",
			  d->vendor, d->device_id);
	dmasim__sb_printf(o, "%*s  <info name=\"PCIDevice\" value=\"", indent, "");
	attr(o, d->name);
	dmasim__sb_printf(o, "\"/>\n");
	for (i = 0; i < d->nchildren; i++)
		device(o, d->children[i], gp, indent + 2);
	dmasim__sb_printf(o, "%*s</object>\n", indent, "");
}

int dmasim_export_hwloc(const struct dmasim_topo *topo, char **text, size_t *text_len,
			struct dmasim_error *err)
{
	static const char sets[] = " cpuset=\"0x00000001\" complete_cpuset=\"0x00000001\""
		" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\"";
	const struct dmasim_machine *m;
	struct sb o = { 0 };
	unsigned gp = 1;
	size_t h, i;

	if (!topo || !text || !text_len)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"no topology or no output given");
	m = dmasim_topo_machine(topo);
	dmasim__sb_printf(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<!DOCTYPE topology SYSTEM \"hwloc2.dtd\">\n<topology version=\"2.0\">\n");
	dmasim__sb_printf(&o, "  <object type=\"Machine\" os_index=\"0\"%s allowed_cpuset=\"0x00000001\""
			  " allowed_nodeset=\"0x00000001\" gp_index=\"%u\">\n", sets, gp++);
	dmasim__sb_printf(&o, "    <info name=\"dmasim\" value=\"");
	attr(&o, m->name ? m->name : "");
	dmasim__sb_printf(&o, "\"/>\n");
	dmasim__sb_printf(&o, "    <object type=\"Package\" os_index=\"0\"%s gp_index=\"%u\">\n", sets, gp++);
	dmasim__sb_printf(&o, "      <object type=\"NUMANode\" os_index=\"0\"%s gp_index=\"%u\""
			  " local_memory=\"0\"/>\n", sets, gp++);
	dmasim__sb_printf(&o, "      <object type=\"Core\" os_index=\"0\"%s gp_index=\"%u\">\n", sets, gp++);
	dmasim__sb_printf(&o, "        <object type=\"PU\" os_index=\"0\"%s gp_index=\"%u\"/>\n", sets, gp++);
	dmasim__sb_printf(&o, "      </object>\n    </object>\n");
	for (h = 0; h < m->nhost_bridges; h++) {
		const struct dmasim_host_bridge *hb = &m->host_bridges[h];
		dmasim__sb_printf(&o, "    <object type=\"Bridge\" gp_index=\"%u\" bridge_type=\"0-1\""
				  " depth=\"0\" bridge_pci=\"%04x:[%02x-%02x]\">\n", gp++, hb->segment,
				  hb->bus_first, hb->bus_last);
		for (i = 0; i < hb->ndevices; i++)
			device(&o, hb->devices[i], &gp, 6);
		dmasim__sb_printf(&o, "    </object>\n");
	}
	dmasim__sb_printf(&o, "  </object>\n</topology>\n");
	if (o.oom) {
		free(o.s);
		return dmasim_error_set(err, DMASIM_ENOMEM, m->file, 0, 0, "out of memory");
	}
	*text = o.s;
	*text_len = o.len;
	return DMASIM_OK;
}
