/*
 * dmasim -- policies: which kernel version's rules to run, as data.
 *
 * Every built-in policy (seed-2018, linux-4.20, linux-5.15, linux-6.12) is
 * one row of struct dmasim_policy (docs/policy.md); a
 * policy file (docs/policy.md, "Policy files") starts from a built-in row and changes
 * some fields.  The algorithms read the fields; they never test a version.
 */
#ifndef DMASIM_POLICY_H
#define DMASIM_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include "dmasim/error.h"
#include "dmasim/limits.h"
#include "dmasim/topology.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How the common upstream device is found. */
enum dmasim_upstream_algo {
	DMASIM_UPSTREAM_P2PDMA,   /**< p2pdma walk (upstream_bridge_distance, drivers/pci/p2pdma.c) */
	DMASIM_UPSTREAM_SEED2018, /**< pci_find_common_upstream_dev (2018 proposal) */
};

/** How the P2P decision is made. */
enum dmasim_decision_algo {
	DMASIM_DECIDE_SEED2018,   /**< pci_peer_traffic_supported (2018 proposal) */
	DMASIM_DECIDE_LINUX_420,  /**< upstream_bridge_distance, no whitelist */
	DMASIM_DECIDE_CALC,       /**< calc_map_type_and_dist (drivers/pci/p2pdma.c); also the
				       v5.4-v5.10 upstream_bridge_distance(),
				       which returns the same map types */
	/**
	 * Not in any kernel: a proposed patch.  As DMASIM_DECIDE_CALC, but
	 * two devices without a common upstream device on one host bridge
	 * whose root complex routes peer-to-peer between its root ports
	 * (topology root_complex.p2p: same-host-bridge or any), with no
	 * ACS redirect on either chain, get BUS_ADDR with the chain lengths
	 * as distance.
	 */
	DMASIM_DECIDE_CALC_RC_BUS_ADDR,
	DMASIM_DECIDE_COUNT
};

/** How a whitelist entry's device ID is compared (__host_bridge_whitelist). */
enum dmasim_wl_match {
	DMASIM_WL_MATCH_EXACT,    /**< device == entry (unsigned short field) */
	DMASIM_WL_MATCH_ANY_ID,   /**< ... or entry == PCI_ANY_ID (int field) */
	DMASIM_WL_MATCH_COUNT
};

/** How the 32-bit-first IOVA attempt of iommu_dma_alloc_iova() is kept. */
enum dmasim_iova_pci32 {
	DMASIM_IOVA_PCI32_PER_CALL, /**< before v6.4: tried on every call */
	DMASIM_IOVA_PCI32_STICKY,   /**< v6.4+: off after the first failure */
	DMASIM_IOVA_PCI32_COUNT
};

/** Which device of a host bridge the whitelist looks at (drivers/pci/p2pdma.c). */
enum dmasim_root_dev_rule {
	DMASIM_ROOTDEV_SLOT_00_0,          /**< pci_get_slot(bus, 00.0) */
	DMASIM_ROOTDEV_FIRST_IF_00_0,      /**< first on root bus, devfn 00.0 only */
	DMASIM_ROOTDEV_FIRST_00_0_OR_RP,   /**< ... or a root port at any devfn */
};

/** A host-bridge whitelist entry; device -1 is PCI_ANY_ID. */
struct dmasim_wl_entry {
	uint16_t vendor;
	int32_t device;
	bool same_host_bridge_only; /**< REQ_SAME_HOST_BRIDGE */
};

/**
 * "Any CPU of this vendor with family >= min_family supports P2P"
 * (cpu_supports_p2pdma, drivers/pci/p2pdma.c).  The kernel's rule is under
 * CONFIG_X86, so a rule only applies on machines of its @arch.
 */
struct dmasim_cpu_rule {
	enum dmasim_arch arch;       /**< DMASIM_ARCH_X86_64 for the kernel's */
	enum dmasim_cpu_vendor vendor;
	unsigned min_family;
};

/** What dma_map_resource does with a RAM address (kernel/dma/mapping.c). */
enum dmasim_ram_rule {
	DMASIM_RAM_ALLOWED,  /**< v5.16+: no check */
	DMASIM_RAM_BUG,      /**< v4.9-v5.0: BUG_ON (reported as mapping-error) */
	DMASIM_RAM_REFUSED,  /**< v5.1-v5.15: WARN, DMA_MAPPING_ERROR */
};

/** How pci_enable_acs() applies the kernel command line to a port. */
enum dmasim_acs_cmdline {
	DMASIM_ACS_CMDLINE_NONE,          /**< no ACS parameter (before v4.19) */
	/** pci_disable_acs_redir(): pci=disable_acs_redir= clears RR|CR|EC
	 *  from the word the kernel enabled (v4.19-v6.10) */
	DMASIM_ACS_CMDLINE_DISABLE_REDIR,
	/** __pci_config_acs(): the word is rebuilt from the firmware value,
	 *  (fw & ~mask) | (flags & mask), for disable_acs_redir= and the new
	 *  pci=config_acs= (v6.11+) */
	DMASIM_ACS_CMDLINE_CONFIG_ACS,
	DMASIM_ACS_CMDLINE_COUNT
};

/** When a device-tree IOMMU asks for ACS (pci_request_acs()). */
enum dmasim_acs_dt_request {
	/** before the ports are enumerated, so pci_enable_acs() sees it */
	DMASIM_ACS_DT_BEFORE_ENUMERATION,
	/** from of_iommu_configure() at the first driver probe, after
	 *  enumeration: the ports keep the firmware word */
	DMASIM_ACS_DT_AT_FIRST_PROBE,
	DMASIM_ACS_DT_COUNT
};

#define DMASIM_POLICY_MAX_WL 64
#define DMASIM_POLICY_MAX_CPU_RULES 8

struct dmasim_policy {
	char name[64];
	char base[32];                          /**< built-in it derives from */
	enum dmasim_upstream_algo upstream;
	enum dmasim_decision_algo decision;
	enum dmasim_root_dev_rule root_dev;
	enum dmasim_wl_match whitelist_match;
	/** __host_bridge_whitelist() prints "Host bridge not in P2PDMA
	 *  whitelist" when ACS redirects (after v5.10); false before. */
	bool whitelist_warning;
	struct dmasim_wl_entry whitelist[DMASIM_POLICY_MAX_WL];
	size_t nwhitelist;
	struct dmasim_cpu_rule cpu_rules[DMASIM_POLICY_MAX_CPU_RULES];
	size_t ncpu_rules;
	unsigned acs_redirect_bits;             /**< default RR|CR|EC */
	bool bus_offset_minus;                  /**< <= 5.15 sign bug (drivers/pci/p2pdma.c) */
	enum dmasim_ram_rule map_resource_ram;
	/** No map_resource op: true = phys returned (v4.9-v5.0), else error. */
	bool missing_op_returns_phys;
	/** Whether the IOMMU driver's DMA ops implement map_resource. */
	bool iommu_has_map_resource[DMASIM_IOMMU_TYPE_COUNT];
	/** The v4.20-era message texts (drivers/pci/p2pdma.c) instead of the v5.4+ ones. */
	bool messages_420;
	/**
	 * Size of the buffer that collects the ACS list for the
	 * "pci=disable_acs_redir=" hint: 4096 (PAGE_SIZE, v4.20-v5.10) or
	 * 128 (after v5.10); a longer list is cut as the kernel's seq_buf cuts it.
	 */
	unsigned acs_list_size;
	bool acs_tb_noats;
	/** __alloc_and_insert_iova_range() retries once from the top of the
	 *  range when the search from the cached node fails (v5.11+). */
	bool iova_retry_from_top;
	enum dmasim_iova_pci32 iova_pci32;
	/** ACS enable rules (pci_enable_acs(), drivers/pci/pci.c), for the
	 *  derivation of `ctrl: auto` ACS words (src/kernel/acs_setup.c). */
	enum dmasim_acs_cmdline acs_cmdline;
	enum dmasim_acs_dt_request acs_dt_request;
};

/** dmasim_policy_builtin() - a built-in row by name; NULL if unknown. */
DMASIM_API const struct dmasim_policy *dmasim_policy_builtin(const char *name);

/** dmasim_policy_builtin_names() - NULL-terminated list of the rows'
 *  names, oldest first (aliases such as "mainline" are not listed). */
DMASIM_API const char *const *dmasim_policy_builtin_names(void);

/** The default policy, linux-6.12. */
DMASIM_API const struct dmasim_policy *dmasim_policy_default(void);

/**
 * dmasim_policy_load() - a built-in name or a policy file path.
 * @out: filled on success; untouched on failure.
 * Returns: DMASIM_OK, or an error whose position names file:line:column.
 */
DMASIM_API int dmasim_policy_load(const char *name_or_path,
				  struct dmasim_policy *out,
				  struct dmasim_error *err);

/** dmasim_policy_load_limited() - dmasim_policy_load() within @lim
 *  (NULL: the defaults of limits.h). */
DMASIM_API int dmasim_policy_load_limited(const char *name_or_path,
					  const struct dmasim_limits *lim,
					  struct dmasim_policy *out,
					  struct dmasim_error *err);

/**
 * dmasim_policy_load_string() - a policy file's text from memory.
 * @name: the "file" name in error positions, and the policy's name when
 *        the text gives none (its base name without .yaml)
 */
DMASIM_API int dmasim_policy_load_string(const char *text, size_t len,
					 const char *name,
					 const struct dmasim_limits *lim,
					 struct dmasim_policy *out,
					 struct dmasim_error *err);

#ifdef __cplusplus
}
#endif
#endif
