/*
 * dmasim -- importing real machines and exporting topologies.
 *
 * Importers turn what a real machine shows into topology YAML text
 * (docs/topology.md) that dmasim_topo_load_string() accepts:
 *  - an `lspci -x` / `-xxx` / `-xxxx` hex dump (bus addresses, no sizes),
 *  - a sysfs tree (`/sys/bus/pci/devices`, live or an extracted snapshot).
 * What the input cannot tell (BAR sizes, host-bridge windows, RAM, the
 * architecture) is inferred by the rules of docs/import.md and marked with
 * a "# inferred" comment in the YAML.
 *
 * The exporter writes a loaded topology as an `lspci -xxxx` dump (4096
 * bytes per function, PCI Express and ACS capabilities synthesised) that
 * `lspci -F FILE` decodes and that dmasim_import_lspci() reads back.
 *
 * Text handed out is allocated by the library; the caller frees it with
 * dmasim_import_free().
 */
#ifndef DMASIM_IMPORT_H
#define DMASIM_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include "dmasim/error.h"
#include "dmasim/export.h"
#include "dmasim/limits.h"
#include "dmasim/topology.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct dmasim_import_opts - overrides for what an input cannot tell.
 * Zero-initialise it (or pass NULL) for the defaults.
 * @has_arch, @arch: the machine's architecture (default: x86_64 for a
 *        dump; for sysfs, what ROOT/proc/cpuinfo says, else x86_64)
 * @iomem, @iomem_len, @iomem_name: /proc/iomem text (borrowed; NULL for
 *        none): "PCI Bus SSSS:BB" entries become host-bridge windows and
 *        "System RAM" entries become RAM.  @iomem_name names it in errors.
 * @name: the machine's name in the YAML (borrowed; NULL: derived from
 *        the input's name)
 * @no_comments: leave out the lspci-style names and "inferred" comments
 * @p2pmem: which endpoint BARs to mark as p2pmem, as if their drivers
 *        had published them (pci_p2pdma_add_resource()): none (the
 *        default: the input cannot tell), every prefetchable memory BAR,
 *        or every memory BAR; marked '# assumed' in the YAML
 * @groups_report, @groups_differences: when @groups_report is set, an
 *        import whose input names IOMMU groups (sysfs iommu_group links)
 *        compares them with the groups dmasim computes for the result and
 *        sets *@groups_report to one line per difference ("" when they
 *        agree; NULL when the input has no groups; free it with
 *        dmasim_import_free()) and *@groups_differences to their number
 * @limits: bounds on the input (NULL: the defaults of limits.h): a dump
 *        or iomem text longer than file_bytes and more functions than
 *        devices fail with DMASIM_ELIMIT
 */
struct dmasim_import_opts {
	bool has_arch;
	enum dmasim_arch arch;
	const char *iomem;
	size_t iomem_len;
	const char *iomem_name;
	const char *name;
	bool no_comments;
	const struct dmasim_limits *limits;
	enum dmasim_import_p2pmem {
		DMASIM_IMPORT_P2PMEM_NONE,
		DMASIM_IMPORT_P2PMEM_PREFETCHABLE,
		DMASIM_IMPORT_P2PMEM_ALL_MEM,
	} p2pmem;
	char **groups_report;
	size_t *groups_differences;
};

/**
 * dmasim_import_lspci() - topology YAML from an lspci hex dump.
 * @text, @len: the dump (borrowed)
 * @file: its name in error positions and in the YAML header (borrowed)
 * @opts: NULL for the defaults
 * @yaml, @yaml_len: set to the YAML text (caller frees with
 *        dmasim_import_free()) on success; untouched on failure
 * Returns: DMASIM_OK, or DMASIM_ESYNTAX (bad hex, truncated lines,
 * missing header), DMASIM_ETOPO (duplicate BDFs, overlapping bus ranges),
 * DMASIM_ENOMEM, with @err giving file:line:column.
 */
DMASIM_API int dmasim_import_lspci(const char *text, size_t len,
				   const char *file,
				   const struct dmasim_import_opts *opts,
				   char **yaml, size_t *yaml_len,
				   struct dmasim_error *err);

/**
 * dmasim_import_sysfs() - topology YAML from a sysfs tree.
 * @root: "/" for this machine, or the directory an extracted snapshot
 *        lives in (ROOT/sys/bus/pci/devices, ROOT/proc/iomem,
 *        ROOT/proc/cpuinfo); NULL means "/" (borrowed)
 * @opts: NULL for the defaults; an @iomem text there replaces
 *        ROOT/proc/iomem
 * @yaml, @yaml_len: as for dmasim_import_lspci()
 * Returns: DMASIM_OK, DMASIM_EIO when ROOT/sys/bus/pci/devices cannot be
 * read or holds no device, or the errors of dmasim_import_lspci().
 */
DMASIM_API int dmasim_import_sysfs(const char *root,
				   const struct dmasim_import_opts *opts,
				   char **yaml, size_t *yaml_len,
				   struct dmasim_error *err);

/**
 * dmasim_import_hwloc() - topology YAML from an hwloc XML file
 * (`lstopo --of xml`, hwloc 1.x or 2.x).
 * @text, @len, @file, @opts, @yaml, @yaml_len: as for dmasim_import_lspci()
 * hwloc records BDFs, IDs, class, bus ranges, link speeds and NUMA
 * placement, but no BARs, windows or capabilities: those are inferred and
 * marked as for a 64-byte dump (docs/import.md, "hwloc XML").
 * Returns: DMASIM_OK, DMASIM_ESYNTAX (malformed XML, an internal DTD
 * subset, attributes hwloc never writes), DMASIM_EIO (no PCI function),
 * DMASIM_ELIMIT, or the errors of dmasim_import_lspci().
 */
DMASIM_API int dmasim_import_hwloc(const char *text, size_t len,
				   const char *file,
				   const struct dmasim_import_opts *opts,
				   char **yaml, size_t *yaml_len,
				   struct dmasim_error *err);

/**
 * dmasim_export_lspci() - a topology as an `lspci -xxxx` dump.
 * @topo: borrowed
 * @text, @text_len: set to the dump (caller frees with
 *        dmasim_import_free()) on success
 * Each function gets 4096 bytes: its header (type 0 or 1) with IDs, BARs
 * (bus addresses), bus numbers and windows; a PCI Express capability with
 * the port type; an ACS extended capability when the device has one; and
 * a vendor-specific extended capability recording what a dump otherwise
 * cannot carry (BAR sizes, p2pmem BARs), see docs/import.md.
 * Returns: DMASIM_OK or DMASIM_ENOMEM.
 */
DMASIM_API int dmasim_export_lspci(const struct dmasim_topo *topo,
				   char **text, size_t *text_len,
				   struct dmasim_error *err);

/**
 * dmasim_export_hwloc() - a topology as hwloc XML (2.x format) that
 * `lstopo -i FILE.xml --whole-io` draws and dmasim_import_hwloc() reads
 * back: host bridges with their bus ranges, bridges with their secondary
 * and subordinate buses, every function with its BDF and IDs.  hwloc has
 * no place for BARs, windows or ACS; they are not written.
 * @topo, @text, @text_len, @err: as for dmasim_export_lspci()
 */
DMASIM_API int dmasim_export_hwloc(const struct dmasim_topo *topo, char **text,
				   size_t *text_len, struct dmasim_error *err);

/** dmasim_import_free() - free text returned by this header; NULL is ok. */
DMASIM_API void dmasim_import_free(char *text);

#ifdef __cplusplus
}
#endif
#endif
