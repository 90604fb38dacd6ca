/*
 * dmasim -- private: the topology object, its build-time storage and the
 * load-time indexes.  Only src/ includes this (and white-box unit tests).
 */
#ifndef DMASIM_MODEL_TOPO_INT_H
#define DMASIM_MODEL_TOPO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "dmasim/error.h"
#include "dmasim/topology.h"

#define DMASIM__NONE SIZE_MAX

/* Build-time links of a device, by index (pointers are set at finalize,
 * which frees this side array). */
#define DMASIM__NOPARENT UINT32_MAX
struct dmasim__devx {
	uint32_t parent;   /* DMASIM__NOPARENT on the root bus */
	uint32_t hb;
	uint32_t bar_first;
	uint8_t nbars;
	bool bdf_has_segment;
	bool has_secondary, has_subordinate; /* given in the file */
	bool has_bus_dma_limit;
	bool has_domain;
	struct dmasim_pos name_pos;          /* of 'name:' (line 0: none) */
};

struct dmasim__hbx {
	size_t win_first, nwin;
	size_t dr_first, ndr;
	size_t iommu;      /* DMASIM__NONE: no IOMMU */
};

struct dmasim__iommux {
	size_t resv_first, nresv;
};

/* Load-time indexes built by other layers; see finalize.c. */
struct dmasim__decode_index;
struct dmasim__lca_index;

struct dmasim_topo {
	struct dmasim_machine m;  /* public view; points into the arrays below */
	char *file;

	struct dmasim_device *devs;
	struct dmasim__devx *devx;
	size_t ndevs, cap_devs, cap_devx;

	struct dmasim_host_bridge *hbs;
	struct dmasim__hbx *hbx;
	size_t nhbs, cap_hbs, cap_hbx;

	struct dmasim_iommu *iommus;
	struct dmasim__iommux *iommux;
	size_t niommus, cap_iommus, cap_iommux;

	struct dmasim_bar *bars;
	size_t nbars, cap_bars;
	struct dmasim_pos *bar_base_pos;     /* of each BAR's 'base:' value */
	size_t cap_bar_base_pos;

	struct dmasim_hb_window *hbwins;
	size_t nhbwins, cap_hbwins;

	struct dmasim_dma_range *dranges;
	size_t ndranges, cap_dranges;

	struct dmasim_range *ram;
	size_t nram, cap_ram;
	struct dmasim_pos *ram_pos;          /* where each RAM range was written */
	size_t cap_ram_pos;

	struct dmasim_range *resv;
	size_t nresv, cap_resv;

	struct dmasim__chunk *strs;  /* arena of every string the topology owns */

	/* Set at finalize. */
	const struct dmasim_device **childv; /* children and root-bus lists */
	uint32_t *by_name;                   /* device ids sorted by name */
	uint32_t *by_bdf;                    /* ... and by segment:bus:devfn */
	bool msi_given;

	struct dmasim__decode_index *decode; /* fabric/decode_index.c */
	struct dmasim__lca_index *lca;       /* kernel/lca.c */
};

/* topo.c */
struct dmasim_topo *dmasim__topo_new(const char *file);
/* Grow *arr (elements of @elem bytes) so that index n fits; new elements
 * are zeroed (dmasim__grow_raw leaves them as realloc does). */
int dmasim__grow(void **arr, size_t *cap, size_t n, size_t elem);
int dmasim__grow_raw(void **arr, size_t *cap, size_t n, size_t elem);
#define DMASIM__PUSH(topo, field, nfield, capfield)                        \
	(dmasim__grow((void **)&(topo)->field, &(topo)->capfield,           \
		      (topo)->nfield, sizeof(*(topo)->field)) == 0              \
		 ? &(topo)->field[(topo)->nfield++]                             \
		 : NULL)
/* Copy @s into the topology's string arena; NULL on ENOMEM. */
const char *dmasim__topo_strdup(struct dmasim_topo *topo, const char *s);
const char *dmasim__topo_strndup(struct dmasim_topo *topo, const char *s,
				 size_t len);

/* finalize.c: links, derived data, load-time rules, indexes. */
int dmasim__topo_finalize(struct dmasim_topo *topo, struct dmasim_error *err);

/* finalize.c: the IOMMU groups from the ACS words (pci_device_group). */
void dmasim__topo_assign_groups(struct dmasim_topo *topo);
/* kernel/acs_setup.c: the `ctrl: auto` ACS words under @policy (NULL:
 * the default), before the groups are assigned. */
struct dmasim_policy;
int dmasim__acs_derive(struct dmasim_topo *topo, const struct dmasim_policy *policy,
		       struct dmasim_error *err);

/* Index builders of other layers, called at the end of finalize. */
int dmasim__decode_index_build(struct dmasim_topo *topo,
			       struct dmasim_error *err);
void dmasim__decode_index_destroy(struct dmasim__decode_index *idx);
int dmasim__lca_index_build(struct dmasim_topo *topo, struct dmasim_error *err);
void dmasim__lca_index_destroy(struct dmasim__lca_index *idx);

/* Error at a model position (file from the topology). */
int dmasim__topo_err(const struct dmasim_topo *topo, struct dmasim_error *err,
		     int code, struct dmasim_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* "[0x1000-0x1fff]" into @buf (at least 48 bytes). */
const char *dmasim__range_str(char *buf, size_t size, uint64_t base,
			      uint64_t last);

#endif
