/*
 * dmasim -- write a topology as an `lspci -xxxx` dump: 4096 bytes per
 * function, synthesised the way hardware would show the model.
 *
 *  0x00  vendor, device; command = memory + bus master; status = caps
 *  0x08  class: 0x0604 (PCI bridge) for bridges, 0xff00 otherwise
 *  0x0e  header type 0 or 1 (bit 7 when the slot has other functions)
 *  0x10  BARs (bus addresses; 64-bit and prefetchable flags)
 *  0x18  type 1: primary, secondary, subordinate bus
 *  0x1c  type 1: I/O window off; memory and prefetchable (64-bit) windows
 *  0x34  capability pointer -> 0x40: PCI Express capability v2, port type
 * 0x100  ACS extended capability (cap, ctrl) when the device has one, then
 *        the dmasim record: a vendor-specific extended capability (VSEC
 *        ID 0x444d, rev 1, length 0x40) with the p2pmem BAR mask at +8 and
 *        the six BAR sizes as little-endian u64 at +16 (docs/import.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/import.h"
#include "import/imp_int.h"

static void wr16(uint8_t *c, unsigned off, unsigned v)
{
	c[off] = (uint8_t)v;
	c[off + 1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *c, unsigned off, uint32_t v)
{
	wr16(c, off, v & 0xffff);
	wr16(c, off + 2, v >> 16);
}

static unsigned exp_type(const struct dmasim_device *d)
{
	switch (d->type) {
	case DMASIM_DEV_ROOT_PORT:
		return IMP_EXP_ROOT_PORT;
	case DMASIM_DEV_SWITCH_UPSTREAM:
		return IMP_EXP_UPSTREAM;
	case DMASIM_DEV_SWITCH_DOWNSTREAM:
		return IMP_EXP_DOWNSTREAM;
	case DMASIM_DEV_PCI_BRIDGE:
		return IMP_EXP_PCI_BRIDGE;
	case DMASIM_DEV_ENDPOINT:
	default:
		/* An endpoint on a root bus is root-complex integrated. */
		return d->parent ? IMP_EXP_ENDPOINT : IMP_EXP_RC_END;
	}
}

static void synthesise(const struct dmasim_device *d, uint8_t *c)
{
	bool bridge = dmasim_device_is_bridge(d);
	unsigned ext = 0x100, i;
	uint8_t p2p = 0;

	memset(c, 0, IMP_CFG_MAX);
	wr16(c, 0x00, d->vendor);
	wr16(c, 0x02, d->device_id);
	wr16(c, 0x04, 0x0006);              /* memory space, bus master */
	wr16(c, 0x06, 0x0010);              /* capabilities list */
	wr32(c, 0x08, (bridge ? 0x060400u : 0xff0000u) << 8);
	c[0x0e] = (uint8_t)((bridge ? 1 : 0) | (dmasim_device_is_multifunction(d) ? 0x80 : 0));
	for (i = 0; i < d->nbars; i++) {
		const struct dmasim_bar *b = &d->bars[i];
		unsigned off = 0x10 + 4 * b->index;
		uint32_t flags = (b->bits == 64 ? 0x4u : 0) | (b->pref ? 0x8u : 0);

		if (bridge && b->index > 1)
			continue;   /* a type-1 header has two BAR slots */
		wr32(c, off, (uint32_t)(b->bus & ~0xfull) | flags);
		if (b->bits == 64)
			wr32(c, off + 4, (uint32_t)(b->bus >> 32));
		if (b->p2pmem)
			p2p |= (uint8_t)(1u << b->index);
	}
	if (bridge) {
		const struct dmasim_window *m = &d->windows[DMASIM_WIN_MEM];
		const struct dmasim_window *p = &d->windows[DMASIM_WIN_MEM_PREF];

		c[0x18] = d->bus;
		c[0x19] = d->secondary;
		c[0x1a] = d->subordinate;
		c[0x1c] = 0xf0;                 /* I/O base above limit: off */
		c[0x1d] = 0x00;
		if (m->present) {
			wr16(c, 0x20, (unsigned)(m->base >> 16) & 0xfff0);
			wr16(c, 0x22, (unsigned)(m->limit >> 16) & 0xfff0);
		} else {
			wr16(c, 0x20, 0xfff0);
			wr16(c, 0x22, 0x0000);
		}
		if (p->present) {
			wr16(c, 0x24, ((unsigned)(p->base >> 16) & 0xfff0) | 1);
			wr16(c, 0x26, ((unsigned)(p->limit >> 16) & 0xfff0) | 1);
			wr32(c, 0x28, (uint32_t)(p->base >> 32));
			wr32(c, 0x2c, (uint32_t)(p->limit >> 32));
		} else {
			wr16(c, 0x24, 0xfff1);
			wr16(c, 0x26, 0x0001);
		}
	}
	c[0x34] = 0x40;
	c[0x40] = 0x10;                     /* PCI_CAP_ID_EXP */
	c[0x41] = 0x00;
	wr16(c, 0x42, 0x2 | exp_type(d) << 4);
	if (d->has_acs) {
		wr32(c, ext, 0x000du | 1u << 16 | (ext + 0x10) << 20);
		wr16(c, ext + 4, d->acs_cap);
		wr16(c, ext + 6, d->acs_ctrl);
		ext += 0x10;
	}
	wr32(c, ext, 0x000bu | 1u << 16);   /* last: next = 0 */
	wr32(c, ext + 4, IMP_VSEC_ID | IMP_VSEC_REV << 16 | IMP_VSEC_LEN << 20);
	c[ext + 8] = p2p;
	for (i = 0; i < d->nbars; i++) {
		const struct dmasim_bar *b = &d->bars[i];
		wr32(c, ext + 16 + 8 * b->index, (uint32_t)b->size);
		wr32(c, ext + 20 + 8 * b->index, (uint32_t)(b->size >> 32));
	}
}

int dmasim_export_lspci(const struct dmasim_topo *topo, char **text,
			size_t *text_len, struct dmasim_error *err)
{
	const struct dmasim_machine *m;
	struct sb o = { 0 };
	uint8_t *cfg;
	size_t i;
	unsigned off, k;

	if (!topo || !text || !text_len)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"no topology or no output given");
	m = dmasim_topo_machine(topo);
	if (!(cfg = malloc(IMP_CFG_MAX)))
		return dmasim_error_set(err, DMASIM_ENOMEM, m->file, 0, 0, "out of memory");
	for (i = 0; i < m->ndevices; i++) {
		const struct dmasim_device *d = &m->devices[i];

		synthesise(d, cfg);
		dmasim__sb_printf(&o, "%s %s: dmasim %s %s [%04x:%04x]\n", d->bdf,
			  dmasim_device_is_bridge(d) ? "PCI bridge" : "Unassigned class",
			  dmasim_dev_type_name(d->type), d->name, d->vendor, d->device_id);
		for (off = 0; off < IMP_CFG_MAX; off += 16) {
			dmasim__sb_printf(&o, off < 0x100 ? "%02x:" : "%03x:", off);
			for (k = 0; k < 16; k++)
				dmasim__sb_printf(&o, " %02x", cfg[off + k]);
			dmasim__sb_putc(&o, '\n');
		}
		dmasim__sb_putc(&o, '\n');
	}
	free(cfg);
	if (o.oom) {
		free(o.s);
		return dmasim_error_set(err, DMASIM_ENOMEM, m->file, 0, 0, "out of memory");
	}
	if (!o.s) {
		o.s = calloc(1, 1);
		if (!o.s)
			return dmasim_error_set(err, DMASIM_ENOMEM, m->file, 0, 0, "out of memory");
	}
	*text = o.s;
	*text_len = o.len;
	return DMASIM_OK;
}
