/* dmasim -- private: enum name tables shared by the loader and printers. */
#ifndef DMASIM_MODEL_NAMES_H
#define DMASIM_MODEL_NAMES_H

#include <stddef.h>
#include "dmasim/topology.h"

extern const char *const dmasim__arch_names[DMASIM_ARCH_COUNT];
extern const char *const dmasim__cpu_vendor_names[DMASIM_CPU_COUNT];
extern const char *const dmasim__iommu_type_names[DMASIM_IOMMU_TYPE_COUNT];
extern const char *const dmasim__domain_type_names[DMASIM_DOMAIN_COUNT];
extern const char *const dmasim__rc_p2p_names[DMASIM_RC_P2P_COUNT];
extern const char *const dmasim__dev_type_names[DMASIM_DEV_TYPE_COUNT];
extern const char *const dmasim__win_kind_names[DMASIM_WIN_KIND_COUNT];
extern const char *const dmasim__acs_bit_names[7];

/** Index of @s in @names[0..n), or -1. */
int dmasim__name_lookup(const char *const *names, size_t n, const char *s);

#endif
