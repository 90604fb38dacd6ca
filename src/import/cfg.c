/*
 * dmasim -- decode a function's configuration space (the subset dmasim
 * models): IDs, class, header type, memory BARs, bridge bus numbers and
 * memory windows, the PCI Express port type, the ACS extended capability
 * and dmasim's own export record.  Offsets as in pci_regs.h.
 */
#include <stdio.h>
#include <string.h>

#include "dmasim/topology.h"
#include "import/imp_int.h"

/* Base classes and a few subclasses, as lspci names them. */
static const struct {
	uint32_t code;  /* class << 8 | subclass, or class << 8 | 0xff */
	const char *name;
} class_names[] = {
	{ 0x0000, "Non-VGA unclassified device" },
	{ 0x0001, "VGA compatible unclassified device" },
	{ 0x0100, "SCSI storage controller" },
	{ 0x0101, "IDE interface" },
	{ 0x0104, "RAID bus controller" },
	{ 0x0106, "SATA controller" },
	{ 0x0107, "Serial Attached SCSI controller" },
	{ 0x0108, "Non-Volatile memory controller" },
	{ 0x01ff, "Mass storage controller" },
	{ 0x0200, "Ethernet controller" },
	{ 0x0207, "Infiniband controller" },
	{ 0x02ff, "Network controller" },
	{ 0x0300, "VGA compatible controller" },
	{ 0x0302, "3D controller" },
	{ 0x03ff, "Display controller" },
	{ 0x0401, "Multimedia audio controller" },
	{ 0x0403, "Audio device" },
	{ 0x04ff, "Multimedia controller" },
	{ 0x0500, "RAM memory" },
	{ 0x05ff, "Memory controller" },
	{ 0x0600, "Host bridge" },
	{ 0x0601, "ISA bridge" },
	{ 0x0604, "PCI bridge" },
	{ 0x0607, "CardBus bridge" },
	{ 0x06ff, "Bridge" },
	{ 0x07ff, "Communication controller" },
	{ 0x0800, "PIC" },
	{ 0x0805, "SD Host controller" },
	{ 0x0806, "IOMMU" },
	{ 0x08ff, "System peripheral" },
	{ 0x09ff, "Input device controller" },
	{ 0x0b40, "Co-processor" },
	{ 0x0bff, "Processor" },
	{ 0x0c03, "USB controller" },
	{ 0x0c05, "SMBus" },
	{ 0x0cff, "Serial bus controller" },
	{ 0x0dff, "Wireless controller" },
	{ 0x10ff, "Encryption controller" },
	{ 0x11ff, "Signal processing controller" },
	{ 0x12ff, "Processing accelerators" },
	{ 0xffff, "Unassigned class" },
};

const char *dmasim__imp_class_name(uint32_t class_code)
{
	uint32_t cs = class_code >> 8, c = cs >> 8;
	size_t i;

	for (i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
		if (class_names[i].code == cs)
			return class_names[i].name;
	for (i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
		if (class_names[i].code == (c << 8 | 0xff))
			return class_names[i].name;
	return "Device";
}

static void decode_bars(struct imp_dev *d, unsigned nbars)
{
	unsigned i;
	int nio = 0;

	for (i = 0; i < nbars; i++) {
		struct imp_bar *b = &d->bars[i];
		unsigned off = 0x10 + 4 * i;
		uint32_t v;
		uint64_t base;

		b->index = i;
		if (off + 4 > d->len)
			break;
		v = imp_rd32(d, off);
		if (v == 0 || v == 0xffffffffu)
			continue;
		if (v & 1) {   /* PCI_BASE_ADDRESS_SPACE_IO */
			nio++;
			continue;
		}
		base = v & ~0xfull;
		b->bits = 32;
		b->pref = (v & 0x8) != 0;
		if ((v & 0x6) == 0x4) {  /* PCI_BASE_ADDRESS_MEM_TYPE_64 */
			if (i + 1 >= nbars) {
				b->note = "is 64-bit in the last slot (invalid); left out";
				continue;
			}
			base |= (uint64_t)imp_rd32(d, off + 4) << 32;
			b->bits = 64;
			i++;
		}
		if (base == 0) {
			b->note = "is unassigned (address 0); left out";
			continue;
		}
		b->present = true;
		b->bus = b->cpu = base;
	}
	if (nio)
		d->io_note = "I/O BARs are not modelled (dmasim models memory space)";
}

static void decode_windows(struct imp_dev *d)
{
	uint32_t mb = imp_rd16(d, 0x20), ml = imp_rd16(d, 0x22);
	uint32_t pb = imp_rd16(d, 0x24), pl = imp_rd16(d, 0x26);
	uint64_t base, limit;

	base = (uint64_t)(mb & 0xfff0) << 16;
	limit = (uint64_t)(ml & 0xfff0) << 16 | 0xfffff;
	if (mb == 0 && ml == 0) {
		d->win[DMASIM_WIN_MEM].note =
			"registers are 0: taken as never programmed, not as [0x0-0xfffff]";
	} else if (base <= limit) {
		d->win[DMASIM_WIN_MEM].present = true;
		d->win[DMASIM_WIN_MEM].base = base;
		d->win[DMASIM_WIN_MEM].limit = limit;
	}
	base = (uint64_t)(pb & 0xfff0) << 16;
	limit = (uint64_t)(pl & 0xfff0) << 16 | 0xfffff;
	if ((pb & 0xf) == 1) {   /* PCI_PREF_RANGE_TYPE_64 */
		base |= (uint64_t)imp_rd32(d, 0x28) << 32;
		limit |= (uint64_t)imp_rd32(d, 0x2c) << 32;
	}
	if (base == 0 && limit == 0xfffff) {
		d->win[DMASIM_WIN_MEM_PREF].note =
			"registers are 0: taken as never programmed, not as [0x0-0xfffff]";
	} else if (base <= limit) {
		d->win[DMASIM_WIN_MEM_PREF].present = true;
		d->win[DMASIM_WIN_MEM_PREF].base = base;
		d->win[DMASIM_WIN_MEM_PREF].limit = limit;
	}
}

/* CardBus (header type 2): two 32-bit memory windows, 4 KiB granular,
 * each prefetchable when its Bridge Control bit says so. */
static void decode_cardbus_windows(struct imp *im, struct imp_dev *d)
{
	unsigned i, ctl = imp_rd16(d, 0x3e);

	for (i = 0; i < 2; i++) {
		uint64_t base = imp_rd32(d, 0x1c + 8 * i);
		uint64_t limit = imp_rd32(d, 0x20 + 8 * i);
		int k = (ctl >> (8 + i)) & 1 ? DMASIM_WIN_MEM_PREF : DMASIM_WIN_MEM;
		struct imp_win *w = &d->win[k];

		if ((base == 0 && limit == 0) || base > limit)
			continue;
		limit |= 0xfff;
		if (w->present) {
			w->note = dmasim__imp_str(im,
				 "(CardBus window %u) [0x%llx-0x%llx] left out: dmasim has one window per kind",
				 i, (unsigned long long)base, (unsigned long long)limit);
			continue;
		}
		if ((base & 0xfffff) || (limit & 0xfffff) != 0xfffff) {
			w->dropped = true;
			w->note = dmasim__imp_str(im,
				 "(CardBus window %u) [0x%llx-0x%llx] left out: not 1 MiB granular",
				 i, (unsigned long long)base, (unsigned long long)limit);
			continue;
		}
		w->present = true;
		w->base = base;
		w->limit = limit;
	}
}

static void decode_caps(struct imp_dev *d)
{
	unsigned ptr, ttl = 48;

	d->exp_type = IMP_NONE;
	if (!(imp_rd16(d, 0x06) & 0x10))   /* PCI_STATUS_CAP_LIST */
		return;
	ptr = imp_rd8(d, d->hdr_type == 2 ? 0x14 : 0x34) & 0xfc;
	if (ptr >= d->len)
		return;   /* the list exists but the dump stops before it */
	d->caps_known = true;
	while (ptr >= 0x40 && ptr + 4 <= d->len && ttl--) {
		if (imp_rd8(d, ptr) == 0x10) {   /* PCI_CAP_ID_EXP */
			d->exp_type = (int)(imp_rd16(d, ptr + 2) >> 4 & 0xf);
			break;
		}
		ptr = imp_rd8(d, ptr + 1) & 0xfc;
	}
}

static void decode_ext_caps(struct imp_dev *d)
{
	unsigned ptr = 0x100, ttl = (IMP_CFG_MAX - 0x100) / 4, i;

	if (d->exp_type == IMP_NONE)
		return;
	while (ptr >= 0x100 && ptr + 4 <= d->len && ttl--) {
		uint32_t h = imp_rd32(d, ptr);
		unsigned id = h & 0xffff;

		if (h == 0 || h == 0xffffffffu)
			break;
		if (id == 0x000d && ptr + 8 <= d->len) {   /* PCI_EXT_CAP_ID_ACS */
			d->has_acs = true;
			d->acs_cap = imp_rd16(d, ptr + 4) & DMASIM_ACS_ALL;
			d->acs_ctrl = imp_rd16(d, ptr + 6) & DMASIM_ACS_ALL;
			d->acs_ctrl_dropped = d->acs_ctrl & ~d->acs_cap;
			d->acs_ctrl &= d->acs_cap;
		} else if (id == 0x000b && ptr + IMP_VSEC_LEN <= d->len &&
			   (imp_rd32(d, ptr + 4) & 0xffff) == IMP_VSEC_ID &&
			   (imp_rd32(d, ptr + 4) >> 16 & 0xf) == IMP_VSEC_REV) {
			d->has_vsec = true;
			d->vsec_p2pmem = (uint8_t)imp_rd8(d, ptr + 8);
			for (i = 0; i < 6; i++)
				d->vsec_size[i] = imp_rd32(d, ptr + 16 + 8 * i) |
					(uint64_t)imp_rd32(d, ptr + 20 + 8 * i) << 32;
		}
		ptr = h >> 20 & 0xffc;
	}
}

void dmasim__imp_decode(struct imp *im, struct imp_dev *d)
{
	unsigned i;

	d->vendor = (uint16_t)imp_rd16(d, 0x00);
	d->device = (uint16_t)imp_rd16(d, 0x02);
	d->class_code = imp_rd32(d, 0x08) >> 8;
	d->hdr_type = imp_rd8(d, 0x0e) & 0x7f;
	decode_caps(d);
	decode_ext_caps(d);
	if (d->hdr_type == 1) {
		d->primary = (uint8_t)imp_rd8(d, 0x18);
		d->secondary = (uint8_t)imp_rd8(d, 0x19);
		d->subordinate = (uint8_t)imp_rd8(d, 0x1a);
		if (d->secondary > d->bus && d->subordinate >= d->secondary) {
			d->bridge = true;
			decode_windows(d);
		} else {
			d->unconfigured = true;
		}
		decode_bars(d, 2);
	} else if (d->hdr_type == 2) {
		d->primary = (uint8_t)imp_rd8(d, 0x18);
		d->secondary = (uint8_t)imp_rd8(d, 0x19);
		d->subordinate = (uint8_t)imp_rd8(d, 0x1a);
		if (d->secondary > d->bus && d->subordinate >= d->secondary) {
			d->bridge = true;
			decode_cardbus_windows(im, d);
		} else {
			d->unconfigured = true;
		}
		decode_bars(d, 1);
	} else if (d->hdr_type == 0) {
		decode_bars(d, 6);
	}
	if (d->has_vsec)
		for (i = 0; i < 6; i++)
			if (d->bars[i].present && d->vsec_size[i]) {
				d->bars[i].size = d->vsec_size[i];
				d->bars[i].size_known = true;
				d->bars[i].p2pmem = (d->vsec_p2pmem >> i) & 1;
			}
}
