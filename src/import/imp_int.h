/*
 * dmasim -- private to the importers: functions as read from a dump or
 * sysfs, their decoded configuration space, and the text builder.
 */
#ifndef DMASIM_IMPORT_IMP_INT_H
#define DMASIM_IMPORT_IMP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dmasim/error.h"
#include "dmasim/import.h"

#define IMP_CFG_MAX 4096
#define IMP_NONE (-1)

/* PCI Express capability port types (PCI_EXP_TYPE_*, pci_regs.h). */
enum {
	IMP_EXP_ENDPOINT = 0x0,
	IMP_EXP_LEG_END = 0x1,
	IMP_EXP_ROOT_PORT = 0x4,
	IMP_EXP_UPSTREAM = 0x5,
	IMP_EXP_DOWNSTREAM = 0x6,
	IMP_EXP_PCI_BRIDGE = 0x7,
	IMP_EXP_PCIE_BRIDGE = 0x8,
	IMP_EXP_RC_END = 0x9,
	IMP_EXP_RC_EC = 0xa,
};

/* The dmasim export record: a vendor-specific extended capability. */
#define IMP_VSEC_ID 0x444du     /* "DM" */
#define IMP_VSEC_REV 1u
#define IMP_VSEC_LEN 0x40u      /* header 8, flags 8, six u64 sizes */

struct imp_bar {
	bool present;      /* an assigned memory BAR we model */
	unsigned index;
	uint64_t bus;      /* bus address (from the config space) */
	uint64_t cpu;      /* CPU address (= bus unless sysfs says otherwise) */
	uint64_t size;     /* 0 until known or inferred */
	bool size_known;   /* from sysfs resource or the export record */
	bool pref, pref_dropped;
	unsigned bits;     /* 32 or 64 */
	bool p2pmem;
	const char *note;  /* why it is left out, or NULL (static or im's pool) */
};

struct imp_win {
	bool present;
	uint64_t base, limit;  /* bus addresses, inclusive */
	bool dropped;
	const char *note;      /* why it is left out, or NULL (static or pool) */
};

/* One function: what was decoded from its configuration space.  The raw
 * bytes live in the import's one scratch buffer (struct imp, cfg) only
 * while the function is read, so the record stays small (a few hundred
 * bytes) however many functions there are. */
struct imp_dev {
	/* as read */
	uint16_t seg;
	uint8_t bus, devfn;
	const uint8_t *cfg;    /* the scratch buffer while read, then NULL */
	unsigned len;          /* bytes of configuration space present */
	unsigned line;         /* header line in the dump (0: sysfs) */
	const char *text;      /* lspci's description after the BDF (pool), or "" */
	bool has_res;          /* sysfs resource read */
	uint64_t res_start[6], res_end[6];
	int iommu_group;       /* sysfs group number or IMP_NONE */
	int numa_node;         /* sysfs numa_node or hwloc's NUMA node, or IMP_NONE */
	int package;           /* hwloc's package (socket), or IMP_NONE */
	int unit;              /* index in im->unit of the IOMMU unit whose
				  sysfs devices/ lists it, or IMP_NONE */

	/* decoded by dmasim__imp_decode() */
	uint16_t vendor, device;
	uint32_t class_code;   /* class << 16 | subclass << 8 | prog-if */
	unsigned hdr_type;     /* 0, 1, 2 */
	bool bridge;           /* a configured type-1 header */
	bool unconfigured;     /* type 1 without usable bus numbers */
	uint8_t primary, secondary, subordinate;
	struct imp_win win[2]; /* DMASIM_WIN_MEM, DMASIM_WIN_MEM_PREF */
	int exp_type;          /* PCIe port type or IMP_NONE */
	bool caps_known;       /* the capability list lies inside the dump */
	bool has_acs;
	uint16_t acs_cap, acs_ctrl, acs_ctrl_dropped;
	bool has_vsec;
	uint8_t vsec_p2pmem;
	uint64_t vsec_size[6];
	struct imp_bar bars[6];
	const char *io_note;   /* "I/O BARs ... not modelled" etc. */

	/* the tree */
	int parent;            /* index or IMP_NONE */
	int hb;
	int type;              /* enum dmasim_dev_type */
	const char *type_note; /* why the type was inferred, or NULL */
	int first_child, next_sibling;
};

struct imp_hb {
	uint16_t seg;
	uint8_t bus_first, bus_last;
	int first_dev;
	struct imp_hbwin {
		int kind;
		uint64_t cpu, bus, size;
		bool inferred;
	} *win;                /* malloc'd, at most lim.windows */
	size_t nwin, capwin;
	bool has_iommu;        /* iommu0 (no units in /sys/class/iommu) */
	int unit;              /* the IOMMU unit attached, or IMP_NONE */
};

/* One IOMMU unit of /sys/class/iommu (dmar0, ivhd0, smmu3.0x...). */
struct imp_unit {
	const char *name;      /* im's pool */
	int type;              /* enum dmasim_iommu_type */
	bool type_inferred;    /* not from the unit's name */
	int domain;            /* enum dmasim_domain_type */
	size_t nfn;            /* PCI functions it lists */
};

struct imp_range {
	uint64_t base, size;
};

/* A "PCI Bus SSSS:BB" window of /proc/iomem, with its line there. */
struct imp_iowin {
	struct imp_hbwin w;
	uint16_t seg;
	uint8_t bus;
	bool below;  /* a DT node's window: @bus is a bus of the host bridge,
			not necessarily its root bus */
	unsigned line, col;
};

/* Strings that live as long as the import (notes, descriptions). */
struct imp_pool {
	struct imp_pool *next;
	size_t used, cap;
	char buf[];
};

/* Everything one import works on. */
struct imp {
	const char *file;
	struct dmasim_error *err;
	struct dmasim_import_opts opts;
	const char *source;      /* "lspci" or "sysfs" */
	struct dmasim_limits lim;  /* resolved */
	struct imp_dev *dev;
	size_t ndev, capdev;
	uint32_t *bdf_slot;      /* open-addressing set of BDFs: dev index + 1 */
	size_t nslots;
	struct imp_hb hb[64];
	size_t nhb;
	struct imp_range *ram;   /* malloc'd, at most lim.windows */
	size_t nram, capram;
	bool ram_given;
	struct imp_iowin *iomem_win;  /* malloc'd, at most lim.windows */
	size_t niomem_win, capiomem;
	const char *iomem_file;  /* the iomem text's name, for errors */
	struct imp_pool *pool;
	bool oom;                /* a pool or array allocation failed */
	uint8_t cfg[IMP_CFG_MAX];  /* the function being read */
	bool arch_inferred;
	enum dmasim_arch arch;
	bool has_cpu;
	int cpu_vendor;
	unsigned cpu_family;
	int iommu_type;          /* IMP_NONE or enum dmasim_iommu_type */
	bool iommu_type_inferred;  /* from the architecture and CPU vendor */
	int iommu_domain;        /* enum dmasim_domain_type */
	struct imp_unit *unit;   /* malloc'd; none: one iommu0 when grouped */
	size_t nunit;
};

/* A growable text buffer; after an allocation failure it stays failed. */
struct sb {
	char *s;
	size_t len, cap;
	bool oom;
};
void dmasim__sb_printf(struct sb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dmasim__sb_putc(struct sb *b, char c);

/* cfg.c: decode dev->cfg[0..len) into the decoded fields. */
void dmasim__imp_decode(struct imp *im, struct imp_dev *d);
static inline unsigned imp_rd8(const struct imp_dev *d, unsigned off)
{
	return off < d->len && d->cfg ? d->cfg[off] : 0xff;
}
static inline unsigned imp_rd16(const struct imp_dev *d, unsigned off)
{
	return imp_rd8(d, off) | imp_rd8(d, off + 1) << 8;
}
static inline uint32_t imp_rd32(const struct imp_dev *d, unsigned off)
{
	return (uint32_t)imp_rd16(d, off) | (uint32_t)imp_rd16(d, off + 2) << 16;
}
/* A short lspci-like class name ("PCI bridge"), never NULL. */
const char *dmasim__imp_class_name(uint32_t class_code);

/* build.c */
/* A copy of printf's output that lives as long as @im (its pool); "" and
 * im->oom set when out of memory. */
const char *dmasim__imp_str(struct imp *im, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The function read into im->cfg is complete: decode it, take its sysfs
 * resources, and let go of the raw bytes. */
void dmasim__imp_dev_done(struct imp *im, struct imp_dev *d);
void dmasim__imp_init(struct imp *im, const char *file,
	      const struct dmasim_import_opts *opts, struct dmasim_error *err,
	      const char *source);
/* A new function at @seg:@bus:@devfn (@line: its header in a dump, or 0),
 * indexed for dmasim__imp_find_bdf(); DMASIM_ELIMIT past lim.devices. */
int dmasim__imp_new_dev(struct imp *im, uint16_t seg, uint8_t bus, uint8_t devfn,
			unsigned line, struct imp_dev **out);
/* Make @s safe for a YAML comment or quoted scalar: every byte that is not
 * printable ASCII or part of well-formed printable UTF-8 becomes '?'. */
void dmasim__imp_printable(char *s);
/* The function already read at @seg:@bus:@devfn, or NULL; O(1). */
const struct imp_dev *dmasim__imp_find_bdf(const struct imp *im, uint16_t seg,
					   uint8_t bus, uint8_t devfn);

/* The same after dmasim__imp_finish() sorted the functions; O(log n). */
const struct imp_dev *dmasim__imp_find_sorted(const struct imp *im, uint16_t seg,
					      uint8_t bus, uint8_t devfn);

/* groups.c: load @yaml and compare its IOMMU groups with the kernel's
 * (im->dev[].iommu_group) into *im->opts.groups_report. */
int dmasim__imp_compare_groups(struct imp *im, const char *yaml, size_t len);

int dmasim__imp_iomem_parse(struct imp *im, const char *text, size_t len,
		    const char *name);
/* Build the tree, infer, check and write the YAML. */
int dmasim__imp_finish(struct imp *im, char **yaml, size_t *yaml_len);
void dmasim__imp_fini(struct imp *im);

#endif
