/*
 * dmasim -- per-architecture and per-IOMMU-driver DMA data (dma_int.h).
 *
 * The mapping code reads these rows instead of testing the architecture or
 * the driver.  Which of the driver's ops implement .map_resource is a
 * property of the kernel version, so it lives in the policy row
 * (dmasim_policy.iommu_has_map_resource), not here.
 */
#include "dma/dma_int.h"

/* drivers/iommu/amd/amd_iommu_types.h: HT_RANGE_START/END, the
 * HyperTransport hole, reported as IOMMU_RESV_RESERVED by
 * amd_iommu_get_resv_regions() (drivers/iommu/amd/iommu.c). */
static const struct dmasim_range amd_ht_hole[] = {
	{ 0xfd00000000ull, 0xffffffffffull - 0xfd00000000ull + 1 },
};

static const struct dmasim__dma_iommu_info iommu_info[DMASIM_IOMMU_TYPE_COUNT] = {
	[DMASIM_IOMMU_INTEL_VTD] = {
		/* intel_dma_ops until ≈ v5.1 had no .map_resource; from
		 * ≈ v5.11 VT-d uses dma-iommu.  IOAPIC_RANGE_START..END
		 * (0xfee00000-0xfeefffff) is reported as IOMMU_RESV_MSI;
		 * IOVA_START_ADDR 0x1000 equals dma-iommu's start_pfn 1. */
		.ops_with_map_resource = "iommu_dma_map_resource",
		.ops_without_map_resource = "intel_dma_ops",
		.map_sg_op = "iommu_dma_map_sg",
		.msi_reserved = true,
		.force_aperture = true,
		.note = "intel_iommu_get_resv_regions: IOAPIC range as IOMMU_RESV_MSI",
	},
	[DMASIM_IOMMU_AMD_VI] = {
		/* amd_iommu_dma_ops until the move to dma-iommu (v5.13). */
		.ops_with_map_resource = "iommu_dma_map_resource",
		.ops_without_map_resource = "amd_iommu_dma_ops",
		.map_sg_op = "iommu_dma_map_sg",
		.msi_reserved = true,
		.resv = amd_ht_hole,
		.nresv = sizeof(amd_ht_hole) / sizeof(amd_ht_hole[0]),
		.force_aperture = true,
		.note = "amd_iommu_get_resv_regions: MSI_RANGE as IOMMU_RESV_MSI, HT hole reserved",
	},
	[DMASIM_IOMMU_SMMUV3] = {
		/* arm64 dma-iommu has had map_resource since 2015; the SMMU's
		 * MSI window is IOMMU_RESV_SW_MSI and is not reserved. */
		.ops_with_map_resource = "iommu_dma_map_resource",
		.ops_without_map_resource = "iommu_dma_ops",
		.map_sg_op = "iommu_dma_map_sg",
		.msi_reserved = false,
		.force_aperture = true,
		.note = "arm_smmu_get_resv_regions: MSI window as IOMMU_RESV_SW_MSI (skipped)",
	},
	[DMASIM_IOMMU_PPC_TCE] = {
		/* arch/powerpc/kernel/dma-iommu.c: dma_iommu_ops has no
		 * .map_resource in any version; its map_sg allocates TCEs,
		 * modelled with the same top-down allocator. */
		.ops_with_map_resource = "dma_iommu_ops.map_resource",
		.ops_without_map_resource = "dma_iommu_ops",
		.map_sg_op = "dma_iommu_map_sg",
		.msi_reserved = false,
		.force_aperture = true,
		.note = "powerpc TCE: no reserved regions modelled",
	},
};

static const struct dmasim__dma_arch_info arch_info[DMASIM_ARCH_COUNT] = {
	[DMASIM_ARCH_X86_64] = {
		.identity_is_ops_bypass = false,
		.direct_ops = "dma_direct_map_resource",
	},
	[DMASIM_ARCH_ARM64] = {
		.identity_is_ops_bypass = false,
		.direct_ops = "dma_direct_map_resource",
	},
	[DMASIM_ARCH_PPC64] = {
		/* arch/powerpc/kernel/dma-iommu.c: dma_iommu_dma_supported()
		 * sets dev->dma_ops_bypass when the mask covers the direct
		 * mapping (the 64-bit bypass window). */
		.identity_is_ops_bypass = true,
		.direct_ops = "dma_direct_map_resource",
	},
	[DMASIM_ARCH_RISCV64] = {
		.identity_is_ops_bypass = false,
		.direct_ops = "dma_direct_map_resource",
	},
};

const struct dmasim__dma_iommu_info *dmasim__dma_iommu_info(enum dmasim_iommu_type t)
{
	return (unsigned)t < DMASIM_IOMMU_TYPE_COUNT ? &iommu_info[t]
						     : &iommu_info[DMASIM_IOMMU_SMMUV3];
}

const struct dmasim__dma_arch_info *dmasim__dma_arch_info(enum dmasim_arch a)
{
	return (unsigned)a < DMASIM_ARCH_COUNT ? &arch_info[a]
					       : &arch_info[DMASIM_ARCH_X86_64];
}
