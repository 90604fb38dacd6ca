/*
 * dmasim -- where each value of a built-in policy row comes from: per
 * policy-file key, the rows at which it changed, with the kernel file,
 * function, version and commit.  `dmasim policy show` prints the note in
 * force at a row next to the value; docs/policy.md gives the same history.
 */
#include <string.h>

#include "policy/policy_int.h"

/* Row numbers of dmasim_policy_builtin_names(). */
enum { R_SEED, R_420, R_54, R_510, R_515, R_61, R_66, R_612, R_619 };

static const struct dmasim__policy_note notes[] = {
	{ "upstream", R_SEED, "2018 series (not merged), drivers/pci/search.c pci_find_common_upstream_dev()" },
	{ "upstream", R_420, "drivers/pci/p2pdma.c: the pci_upstream_bridge() walk of upstream_bridge_distance(), v4.20" },
	{ "upstream", R_515, "drivers/pci/p2pdma.c calc_map_type_and_dist(): the same walk" },
	{ "decision", R_SEED, "2018 series, drivers/pci/pci.c pci_peer_traffic_supported()" },
	{ "decision", R_420, "drivers/pci/p2pdma.c upstream_bridge_distance(), v4.20: -1/-2 or a distance" },
	{ "decision", R_54, "drivers/pci/p2pdma.c upstream_bridge_distance() returning map types, v5.4 (\"Support peer-to-peer memory through the host bridge\")" },
	{ "decision", R_515, "drivers/pci/p2pdma.c calc_map_type_and_dist(): the same map types, with the whitelist's warn flag" },
	{ "root_device", R_SEED, "2018 series: pci_get_slot(host->bus, PCI_DEVFN(0, 0))" },
	{ "root_device", R_420, "unused: v4.20 has no whitelist" },
	{ "root_device", R_54, "drivers/pci/p2pdma.c pci_host_bridge_dev(): first device of the root bus, devfn 00.0 only" },
	{ "root_device", R_61, "drivers/pci/p2pdma.c pci_host_bridge_dev(): or a PCIe Root Port at any devfn, v5.19, commit 1af7c26c59eb" },
	{ "whitelist_match", R_SEED, "vendor and device compared exactly" },
	{ "whitelist_match", R_54, "drivers/pci/p2pdma.c __host_bridge_whitelist(): unsigned short device, compared exactly" },
	{ "whitelist_match", R_619, "drivers/pci/p2pdma.c __host_bridge_whitelist(): int device, PCI_ANY_ID matches any (with the Google SoC entry)" },
	{ "whitelist_warning", R_SEED, "no whitelist warning" },
	{ "whitelist_warning", R_515, "drivers/pci/p2pdma.c __host_bridge_whitelist(warn): \"Host bridge not in P2PDMA whitelist\", added between v5.10 and v5.15 (\"Print a warning if the host bridge is not in the whitelist\")" },
	{ "whitelist", R_SEED, "2018 series pci_peer_host_traffic_supported(): AMD Zen 1022:1450" },
	{ "whitelist", R_420, "v4.20: no whitelist" },
	{ "whitelist", R_54, "drivers/pci/p2pdma.c pci_p2pdma_whitelist[], v5.4: AMD 1450 (v5.2, 0f97da831026) and Intel (494d63b0d5d0)" },
	{ "whitelist", R_510, "pci_p2pdma_whitelist[], v5.10: Skylake-E (bc123a515cb7, 7b94b53db34f); AMD entries gone for cpu_supports_p2pdma()" },
	{ "whitelist", R_61, "pci_p2pdma_whitelist[]: + 8086:09a2, 3rd Gen Xeon Scalable, v5.18" },
	{ "whitelist", R_619, "pci_p2pdma_whitelist[] of the PCI tree after v6.18: Intel DSA/IAX/QAT, Google, NVIDIA, Zhaoxin" },
	{ "cpu_rules", R_SEED, "no CPU rule" },
	{ "cpu_rules", R_510, "drivers/pci/p2pdma.c cpu_supports_p2pdma(): x86 AMD family >= 0x17, v5.10 (\"Allow P2PDMA on AMD Zen and newer CPUs\")" },
	{ "acs_redirect_bits", R_SEED, "pci_bridge_has_acs_redir(): PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_EC (unused by the 2018 decision)" },
	{ "acs_redirect_bits", R_420, "drivers/pci/p2pdma.c pci_bridge_has_acs_redir(): PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_EC" },
	{ "acs_list_size", R_SEED, "the pci=disable_acs_redir= hint's seq_buf: kmalloc(PAGE_SIZE)" },
	{ "acs_list_size", R_515, "calc_map_type_and_dist(): char buf[128] on the stack, between v5.10 and v5.15 (\"Use a buffer on the stack for collecting the acs list\")" },
	{ "bus_offset", R_SEED, "drivers/pci/p2pdma.c __pci_p2pdma_map_sg(): phys - bus_offset (sign bug)" },
	{ "bus_offset", R_61, "pci_p2pdma_map_sg_attrs(): phys + bus_offset, v5.16, commit 3a19407913e8" },
	{ "map_resource_ram", R_SEED, "include/linux/dma-mapping.h dma_map_resource(): BUG_ON(pfn_valid()), v4.9-v5.0" },
	{ "map_resource_ram", R_54, "kernel/dma/mapping.c dma_map_resource(): WARN_ON_ONCE(pfn_valid()) -> DMA_MAPPING_ERROR, v5.1" },
	{ "map_resource_ram", R_61, "kernel/dma/mapping.c dma_map_resource(): no pfn_valid() check, v5.16" },
	{ "missing_map_resource", R_SEED, "dma_map_resource(): phys returned when ops have no .map_resource, v4.9-v5.0" },
	{ "missing_map_resource", R_54, "kernel/dma/mapping.c dma_map_resource(): DMA_MAPPING_ERROR, v5.1, commit cfced786969c" },
	{ "iommu_map_resource", R_SEED, "drivers/iommu/dma-iommu.c iommu_dma_map_resource() (arm64); x86 and powerpc IOMMU ops had none" },
	{ "iommu_map_resource", R_54, "dma-iommu (arm64) and drivers/iommu/intel-iommu.c intel_map_resource() (v5.1); AMD-Vi and powerpc TCE ops have none" },
	{ "iommu_map_resource", R_515, "dma-iommu for SMMUv3, VT-d (converted in v5.11) and AMD-Vi (v5.13, commit be62dbf554c5); powerpc TCE ops have none" },
	{ "iommu_map_resource", R_619, "kernel/dma/mapping.c dma_map_resource() = dma_map_phys(DMA_ATTR_MMIO): iommu_dma_map_phys() for SMMUv3, VT-d, AMD-Vi; powerpc TCE ops have none" },
	{ "iova_retry_from_top", R_SEED, "drivers/iommu/iova.c __alloc_and_insert_iova_range(): no retry" },
	{ "iova_retry_from_top", R_515, "__alloc_and_insert_iova_range(): retry once from the top, v5.11, commit 4e89dce72521" },
	{ "iova_pci32", R_SEED, "drivers/iommu/dma-iommu.c iommu_dma_alloc_iova(): 32-bit IOVA first on every call" },
	{ "iova_pci32", R_66, "iommu_dma_alloc_iova(): dev->iommu->pci_32bit_workaround, cleared on first failure, v6.4" },
	{ "acs_cmdline", R_SEED, "no ACS kernel parameter (pci=disable_acs_redir= came in v4.19)" },
	{ "acs_cmdline", R_420, "drivers/pci/pci.c pci_disable_acs_redir(): pci=disable_acs_redir= clears RR|CR|EC from the enabled word" },
	{ "acs_cmdline", R_612, "drivers/pci/pci.c __pci_config_acs(): the word rebuilt from the firmware value, and pci=config_acs=, v6.11" },
	{ "acs_dt_request", R_SEED, "pci_request_acs() from the SMMU driver's probe (drivers/iommu/arm-smmu-v3.c); taken to precede enumeration" },
	{ "acs_dt_request", R_515, "drivers/iommu/of_iommu.c of_iommu_configure(): pci_request_acs() at the first driver probe, after enumeration (recorded on 6.12 arm64)" },
};

const char *dmasim__policy_note(const char *key, unsigned row)
{
	const char *best = NULL;
	unsigned best_row = 0;
	size_t i;

	for (i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		if (strcmp(notes[i].key, key) == 0 && notes[i].since <= row &&
		    (!best || notes[i].since >= best_row)) {
			best = notes[i].text;
			best_row = notes[i].since;
		}
	return best;
}

const struct dmasim__policy_note *dmasim__policy_notes(size_t *n)
{
	*n = sizeof(notes) / sizeof(notes[0]);
	return notes;
}
