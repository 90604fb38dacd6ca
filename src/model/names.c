/* dmasim -- enum names as the YAML formats spell them. */
#include <stdio.h>
#include <string.h>

#include "dmasim/topology.h"
#include "model/names.h"

const char *const dmasim__arch_names[DMASIM_ARCH_COUNT] = {
	"x86_64", "arm64", "ppc64", "riscv64",
};
const char *const dmasim__cpu_vendor_names[DMASIM_CPU_COUNT] = {
	"intel", "amd", "arm", "ibm", "other",
};
const char *const dmasim__iommu_type_names[DMASIM_IOMMU_TYPE_COUNT] = {
	"intel-vtd", "amd-vi", "smmuv3", "ppc-tce",
};
const char *const dmasim__domain_type_names[DMASIM_DOMAIN_COUNT] = {
	"none", "dma", "identity", "blocked",
};
const char *const dmasim__rc_p2p_names[DMASIM_RC_P2P_COUNT] = {
	"none", "same-host-bridge", "any",
};
const char *const dmasim__dev_type_names[DMASIM_DEV_TYPE_COUNT] = {
	"root-port", "switch-upstream", "switch-downstream", "pci-bridge",
	"endpoint",
};
const char *const dmasim__win_kind_names[DMASIM_WIN_KIND_COUNT] = {
	"mem", "mem-pref",
};
/* ACS bits in kernel bit order: SV=bit 0 ... DT=bit 6. */
const char *const dmasim__acs_bit_names[7] = {
	"sv", "tb", "rr", "cr", "uf", "ec", "dt",
};

#define NAME_OR_UNKNOWN(table, v) \
	((unsigned)(v) < sizeof(table) / sizeof(table[0]) ? table[v] : "unknown")

const char *dmasim_arch_name(enum dmasim_arch a)
{
	return NAME_OR_UNKNOWN(dmasim__arch_names, a);
}
const char *dmasim_cpu_vendor_name(enum dmasim_cpu_vendor v)
{
	return NAME_OR_UNKNOWN(dmasim__cpu_vendor_names, v);
}
const char *dmasim_iommu_type_name(enum dmasim_iommu_type t)
{
	return NAME_OR_UNKNOWN(dmasim__iommu_type_names, t);
}
const char *dmasim_domain_type_name(enum dmasim_domain_type d)
{
	return NAME_OR_UNKNOWN(dmasim__domain_type_names, d);
}
const char *dmasim_rc_p2p_name(enum dmasim_rc_p2p p)
{
	return NAME_OR_UNKNOWN(dmasim__rc_p2p_names, p);
}
const char *dmasim_dev_type_name(enum dmasim_dev_type t)
{
	return NAME_OR_UNKNOWN(dmasim__dev_type_names, t);
}
const char *dmasim_win_kind_name(enum dmasim_win_kind k)
{
	return NAME_OR_UNKNOWN(dmasim__win_kind_names, k);
}

int dmasim_acs_snprintf(char *buf, size_t size, unsigned bits)
{
	size_t len = 0;
	unsigned i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < 7; i++) {
		if (!(bits & (1u << i)))
			continue;
		len += (size_t)snprintf(len < size ? buf + len : NULL,
					len < size ? size - len : 0, "%s%s",
					len ? "," : "", dmasim__acs_bit_names[i]);
	}
	if (!len)
		len = (size_t)snprintf(buf, size, "-");
	return (int)len;
}

int dmasim__name_lookup(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}
