/*
 * dmasim -- the machine model: host bridges, ports, endpoints, BARs,
 * windows, ACS, IOMMUs and RAM.
 *
 * A topology is loaded once (see load.h) and is immutable afterwards.  All
 * pointers handed out here are borrowed from the topology and stay valid
 * until dmasim_topo_destroy().
 *
 * Address spaces have their own typedefs so signatures say which they take:
 * a CPU physical address, a PCI bus address, an IOVA, or whatever a device
 * was told to use (a DMA address).
 */
#ifndef DMASIM_TOPOLOGY_H
#define DMASIM_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dmasim/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t dmasim_phys_addr_t; /**< CPU physical address */
typedef uint64_t dmasim_bus_addr_t;  /**< PCI bus address */
typedef uint64_t dmasim_iova_t;      /**< I/O virtual address */
typedef uint64_t dmasim_dma_addr_t;  /**< what a device is told to use */

/** The kernel's DMA_MAPPING_ERROR sentinel, ~(dma_addr_t)0. */
#define DMASIM_DMA_MAPPING_ERROR (~(dmasim_dma_addr_t)0)

/** Where a construct was written (1-based; 0 = not from a file). */
struct dmasim_pos {
	unsigned line, column;
};

enum dmasim_arch {
	DMASIM_ARCH_X86_64,
	DMASIM_ARCH_ARM64,
	DMASIM_ARCH_PPC64,
	DMASIM_ARCH_RISCV64,
	DMASIM_ARCH_COUNT
};

enum dmasim_cpu_vendor {
	DMASIM_CPU_INTEL,
	DMASIM_CPU_AMD,
	DMASIM_CPU_ARM,
	DMASIM_CPU_IBM,
	DMASIM_CPU_OTHER,
	DMASIM_CPU_COUNT
};

enum dmasim_iommu_type {
	DMASIM_IOMMU_INTEL_VTD,
	DMASIM_IOMMU_AMD_VI,
	DMASIM_IOMMU_SMMUV3,
	DMASIM_IOMMU_PPC_TCE,
	DMASIM_IOMMU_TYPE_COUNT
};

/** The kind of IOMMU domain a device is attached to. */
enum dmasim_domain_type {
	DMASIM_DOMAIN_NONE,     /**< no IOMMU translates for this device */
	DMASIM_DOMAIN_DMA,      /**< translated: addresses are IOVAs */
	DMASIM_DOMAIN_IDENTITY, /**< passthrough: dma-direct */
	DMASIM_DOMAIN_BLOCKED,  /**< every DMA faults */
	DMASIM_DOMAIN_COUNT
};

/** What the root complex does with P2P requests (hardware truth). */
enum dmasim_rc_p2p {
	DMASIM_RC_P2P_NONE,
	DMASIM_RC_P2P_SAME_HOST_BRIDGE,
	DMASIM_RC_P2P_ANY,
	DMASIM_RC_P2P_COUNT
};

enum dmasim_dev_type {
	DMASIM_DEV_ROOT_PORT,
	DMASIM_DEV_SWITCH_UPSTREAM,
	DMASIM_DEV_SWITCH_DOWNSTREAM,
	DMASIM_DEV_PCI_BRIDGE,
	DMASIM_DEV_ENDPOINT,
	DMASIM_DEV_TYPE_COUNT
};

/** Memory window kinds (bridge windows and host-bridge windows). */
enum dmasim_win_kind {
	DMASIM_WIN_MEM,      /**< non-prefetchable */
	DMASIM_WIN_MEM_PREF, /**< prefetchable */
	DMASIM_WIN_KIND_COUNT
};

/* ACS capability/control bits, values as in include/uapi/linux/pci_regs.h */
#define DMASIM_ACS_SV 0x0001u /**< Source Validation */
#define DMASIM_ACS_TB 0x0002u /**< Translation Blocking */
#define DMASIM_ACS_RR 0x0004u /**< P2P Request Redirect */
#define DMASIM_ACS_CR 0x0008u /**< P2P Completion Redirect */
#define DMASIM_ACS_UF 0x0010u /**< Upstream Forwarding */
#define DMASIM_ACS_EC 0x0020u /**< P2P Egress Control */
#define DMASIM_ACS_DT 0x0040u /**< Direct Translated P2P */
#define DMASIM_ACS_ALL 0x007fu

/** iommu_group of a device that no IOMMU translates for. */
#define DMASIM_NO_GROUP (~0u)

/** The deepest tree the loader accepts (root bus = depth 0). */
#define DMASIM_MAX_DEPTH 64

/**
 * struct dmasim_inferred - the keys of one mapping of the topology file
 * that it marks `inferred: [key, ...]` (docs/topology.md): values an
 * importer guessed rather than read, such as a host bridge's
 * `root_complex` or an inferred window's `cpu`, `bus` and `size`.
 * @mask:  bit i set when @keys[i] is marked; 0 when nothing is
 * @keys:  the NULL-terminated keys of that kind of mapping (static
 *         storage); NULL when @mask is 0
 * Read it with dmasim_inferred_has() and dmasim_inferred_snprintf().
 */
struct dmasim_inferred {
	uint32_t mask;
	const char *const *keys;
};

/** A range [base, base + size - 1]; size is never 0. */
struct dmasim_range {
	uint64_t base;
	uint64_t size;
};

/** A host bridge's outbound window: CPU -> bus, offset = cpu - bus. */
struct dmasim_hb_window {
	enum dmasim_win_kind kind;
	dmasim_phys_addr_t cpu;
	dmasim_bus_addr_t bus;
	uint64_t size;
	struct dmasim_pos pos;
	struct dmasim_inferred inferred;  /**< e.g. cpu, bus, size */
};

/** An inbound range (dma-ranges): bus -> CPU. */
struct dmasim_dma_range {
	dmasim_bus_addr_t bus;
	dmasim_phys_addr_t cpu;
	uint64_t size;
	struct dmasim_pos pos;
};

struct dmasim_iommu {
	unsigned id;                   /**< index in the machine's array */
	const char *name;
	enum dmasim_iommu_type type;
	unsigned address_bits;         /**< IOVA space width */
	enum dmasim_domain_type default_domain;
	const struct dmasim_range *reserved; /**< extra IOVA holes */
	size_t nreserved;
	struct dmasim_pos pos;
	struct dmasim_inferred inferred;  /**< e.g. address_bits */
};

/** A bridge window in bus addresses, [base, limit] inclusive. */
struct dmasim_window {
	bool present;  /**< false: the bridge forwards nothing of this kind */
	bool derived;  /**< true: computed from the children, not the file */
	dmasim_bus_addr_t base, limit;
	struct dmasim_pos pos; /**< where the file gave it (0 when derived) */
};

struct dmasim_bar {
	unsigned index;          /**< 0..5 */
	dmasim_phys_addr_t cpu;  /**< CPU physical address (as lspci shows) */
	dmasim_bus_addr_t bus;   /**< bus address: cpu - host-bridge offset */
	uint64_t size;
	bool pref;
	unsigned bits;           /**< 32 or 64 */
	bool p2pmem;             /**< offered as p2pdma memory */
	/** p2pmem only by dmasim_topo_assume_p2pmem(), not by the file */
	bool p2pmem_assumed;
	struct dmasim_pos pos;
	struct dmasim_inferred inferred; /**< e.g. size */
};

struct dmasim_host_bridge;

/**
 * struct dmasim_device - one PCI function.
 *
 * Devices are numbered in depth-first pre-order over all host bridges, so
 * the subtree of @d is exactly the ids [d->id, d->subtree_end).
 */
struct dmasim_device {
	unsigned id;             /**< index in the topology's device array */
	const char *name;        /**< alias; the BDF text when none given */
	char bdf[16];            /**< "SSSS:BB:DD.F" */
	uint16_t segment;
	uint8_t bus;             /**< the bus it sits on */
	uint8_t devfn;           /**< (device << 3) | function */
	enum dmasim_dev_type type;
	uint16_t vendor, device_id;

	bool has_acs;            /**< has the ACS extended capability */
	uint16_t acs_cap, acs_ctrl;
	/**
	 * ACS egress control vector: bit i set blocks (or, with RR,
	 * redirects) P2P to the i-th sibling downstream port in file order.
	 * Only meaningful when acs_ctrl has EC; when EC is set and no vector
	 * was given, every egress is blocked.
	 */
	uint32_t acs_egress;
	bool has_acs_egress;
	/**
	 * `ctrl: auto`: acs_ctrl is derived from @acs_fw (the word firmware
	 * left) as the policy's pci_enable_acs() sets it (docs/policy.md);
	 * dmasim_topo_apply_policy() derives it again for another policy.
	 */
	bool acs_auto;
	uint16_t acs_fw;
	/** pci_dev->external_facing (firmware marks the port); devices below
	 *  such a port are untrusted. */
	bool external_facing;

	/** Bridges only: windows in bus addresses, indexed by win_kind. */
	struct dmasim_window windows[DMASIM_WIN_KIND_COUNT];
	/** Bridges only: secondary and subordinate bus numbers. */
	uint8_t secondary, subordinate;

	const struct dmasim_bar *bars;
	size_t nbars;

	unsigned dma_mask_bits;           /**< default 64 */
	uint64_t bus_dma_limit;           /**< 0 = none */
	enum dmasim_domain_type domain;   /**< effective IOMMU domain type */
	/** Devices in one IOMMU group share a domain and an IOVA space
	 *  (pci_device_group); DMASIM_NO_GROUP without an IOMMU. */
	unsigned iommu_group;

	const struct dmasim_host_bridge *hb;
	const struct dmasim_device *parent;     /**< NULL on the root bus */
	const struct dmasim_device *const *children;
	size_t nchildren;
	unsigned depth;                   /**< 0 on the root bus */
	unsigned subtree_end;             /**< one past the last descendant id */
	struct dmasim_pos pos;
	/** PCI class code (base, sub, prog-if); DMASIM_CLASS_UNKNOWN when the
	 *  file does not say. */
	uint32_t class_code;
	struct dmasim_inferred inferred; /**< e.g. type, p2pmem */
};

/** dmasim_device.class_code when the file gives none. */
#define DMASIM_CLASS_UNKNOWN 0xffffffffu
/** Base class and subclass of a host bridge function (PCI_CLASS_BRIDGE_HOST). */
#define DMASIM_CLASS_BRIDGE_HOST 0x0600u

struct dmasim_host_bridge {
	unsigned id;
	const char *name;
	uint16_t segment;
	uint8_t bus_first, bus_last;      /**< bus range; bus_first = root bus */
	const struct dmasim_iommu *iommu; /**< NULL: no translation */
	enum dmasim_rc_p2p rc_p2p;
	const struct dmasim_hb_window *windows;
	size_t nwindows;
	const struct dmasim_dma_range *dma_ranges;
	size_t ndma_ranges;
	bool has_dma_ranges;              /**< false: identity, whole space */
	const struct dmasim_device *const *devices; /**< on the root bus */
	size_t ndevices;
	struct dmasim_pos pos;
	int socket;                       /**< CPU package; -1 when unknown */
	int numa_node;                    /**< NUMA node; -1 when unknown */
	struct dmasim_inferred inferred;  /**< e.g. buses, root_complex */
};

struct dmasim_machine {
	const char *name;
	const char *file;                 /**< where it was loaded from */
	enum dmasim_arch arch;
	enum dmasim_cpu_vendor cpu_vendor;
	unsigned cpu_family;
	bool has_cpu;
	const struct dmasim_range *ram;
	size_t nram;
	struct dmasim_range msi;          /**< MSI doorbell region */
	const struct dmasim_iommu *iommus;
	size_t niommus;
	const struct dmasim_host_bridge *host_bridges;
	size_t nhost_bridges;
	const struct dmasim_device *devices; /**< all, in pre-order */
	size_t ndevices;
	unsigned max_depth;
	unsigned niommu_groups;           /**< groups are 0..niommu_groups-1 */
	/** Whether the link between CPU sockets forwards peer-to-peer
	 *  requests (`inter_socket: { p2p: forward | block }`, default
	 *  forward); see docs/fabric.md. */
	bool inter_socket_p2p;
	/** The kernel's situation for `ctrl: auto` ACS words (`kernel:`):
	 *  its command line ("" when none), and whether an IOMMU requested
	 *  ACS before enumeration (-1: as the policy says for the IOMMUs). */
	const char *kernel_cmdline;
	int acs_requested;
	struct dmasim_inferred inferred;  /**< top-level keys: e.g. arch, ram */
};

/** An opaque loaded topology (model plus load-time indexes). */
struct dmasim_topo;

/** dmasim_topo_destroy() - free @topo and everything it owns; NULL is ok. */
DMASIM_API void dmasim_topo_destroy(struct dmasim_topo *topo);

/** dmasim_topo_machine() - the machine; borrowed, never NULL. */
DMASIM_API const struct dmasim_machine *
dmasim_topo_machine(const struct dmasim_topo *topo);

/**
 * dmasim_topo_find_device() - look a device up by name or BDF.
 * @what: an alias ("gpu0"), "SSSS:BB:DD.F" or "BB:DD.F" (segment 0).
 * Returns: the device (borrowed) or NULL when there is none.
 */
DMASIM_API const struct dmasim_device *
dmasim_topo_find_device(const struct dmasim_topo *topo, const char *what);

/** dmasim_topo_find_host_bridge() - by name; NULL when absent. */
DMASIM_API const struct dmasim_host_bridge *
dmasim_topo_find_host_bridge(const struct dmasim_topo *topo, const char *name);

/** dmasim_device_find_bar() - BAR @index of @dev, or NULL. */
DMASIM_API const struct dmasim_bar *
dmasim_device_find_bar(const struct dmasim_device *dev, unsigned index);

/** dmasim_device_is_bridge() - true for every type but endpoint. */
DMASIM_API bool dmasim_device_is_bridge(const struct dmasim_device *dev);

/**
 * dmasim_device_is_multifunction() - true when another function shares
 * @dev's slot (same bus and device number).  O(siblings).
 */
DMASIM_API bool dmasim_device_is_multifunction(const struct dmasim_device *dev);

/**
 * dmasim_device_is_ancestor() - true when @a is @d or above it.  O(1).
 */
DMASIM_API bool dmasim_device_is_ancestor(const struct dmasim_device *a,
					  const struct dmasim_device *d);

/**
 * dmasim_device_is_host_bridge_function() - true when @dev's class code
 * says it is a host bridge (class 0x0600), such as the 00:00.0 function
 * of most x86 machines.
 */
DMASIM_API bool
dmasim_device_is_host_bridge_function(const struct dmasim_device *dev);

/**
 * dmasim_hb_crosses_sockets() - true when @a and @b are known to sit on
 * different CPU sockets: both have a `socket` and they differ, or, when
 * either lacks one, both have a `numa_node` and they differ (a NUMA node
 * is then taken for a socket).  A request between them crosses the
 * inter-socket link.
 */
DMASIM_API bool dmasim_hb_crosses_sockets(const struct dmasim_host_bridge *a,
					  const struct dmasim_host_bridge *b);

/**
 * dmasim_device_link_code() - the connection between two functions in the
 * codes of `nvidia-smi topo -m`: "X" (the same function), "PIX" (at most
 * one PCIe bridge between them; a switch counts once), "PXB" (several
 * bridges, no host bridge), "PHB" (through their host bridge), "NODE"
 * (between host bridges of one NUMA node, or where that is not known),
 * "SYS" (between NUMA nodes: both host bridges have a `numa_node` and they
 * differ, or, when either lacks one, dmasim_hb_crosses_sockets()).  A
 * static string.
 */
DMASIM_API const char *dmasim_device_link_code(const struct dmasim_device *a,
					       const struct dmasim_device *b);

/** dmasim_inferred_has() - whether @inf marks @key ("root_complex"). */
DMASIM_API bool dmasim_inferred_has(const struct dmasim_inferred *inf, const char *key);

/**
 * dmasim_inferred_snprintf() - the marked keys of @inf in key order,
 * comma-separated ("buses, root_complex"); "" when none.  Returns the
 * would-be length, as snprintf does.
 */
DMASIM_API int dmasim_inferred_snprintf(char *buf, size_t size,
					const struct dmasim_inferred *inf);

/** dmasim_hb_window_offset() - cpu - bus of @w (mod 2^64). */
static inline uint64_t
dmasim_hb_window_offset(const struct dmasim_hb_window *w)
{
	return w->cpu - w->bus;
}

/* Names of enum values as the YAML formats spell them (static strings). */
DMASIM_API const char *dmasim_arch_name(enum dmasim_arch a);
DMASIM_API const char *dmasim_cpu_vendor_name(enum dmasim_cpu_vendor v);
DMASIM_API const char *dmasim_iommu_type_name(enum dmasim_iommu_type t);
DMASIM_API const char *dmasim_domain_type_name(enum dmasim_domain_type d);
DMASIM_API const char *dmasim_rc_p2p_name(enum dmasim_rc_p2p p);
DMASIM_API const char *dmasim_dev_type_name(enum dmasim_dev_type t);
DMASIM_API const char *dmasim_win_kind_name(enum dmasim_win_kind k);

/**
 * dmasim_acs_snprintf() - ACS bits as "sv,rr,cr" (kernel bit order);
 * "-" when none.  Returns the would-be length.
 */
DMASIM_API int dmasim_acs_snprintf(char *buf, size_t size, unsigned bits);

struct dmasim_policy;
struct dmasim_error;
/**
 * dmasim_topo_apply_policy() - derive the `ctrl: auto` ACS words as
 * @policy's kernel sets them (pci_enable_acs(), drivers/pci/pci.c) and
 * the IOMMU groups and P2P indexes that follow from them.  Loading does
 * this for the default policy; a topology without `auto` words is left
 * as it is.  NULL @policy: the default.
 * Returns: DMASIM_OK, or an error for a command line it cannot parse.
 */
DMASIM_API int dmasim_topo_apply_policy(struct dmasim_topo *topo,
					const struct dmasim_policy *policy,
					struct dmasim_error *err);

/** Which BARs dmasim_topo_assume_p2pmem() publishes. */
enum dmasim_p2pmem_assumption {
	DMASIM_ASSUME_P2PMEM_PREFETCHABLE, /**< every prefetchable BAR */
	DMASIM_ASSUME_P2PMEM_ALL_MEM,      /**< every (memory) BAR */
	DMASIM_ASSUME_P2PMEM_COUNT
};

/**
 * dmasim_topo_assume_p2pmem() - treat BARs as published p2pmem, as if the
 * driver of every endpoint that publishes none had called
 * pci_p2pdma_add_resource() (drivers/pci/p2pdma.c) for each of its
 * prefetchable BARs (@which PREFETCHABLE) or each of its BARs (ALL_MEM;
 * every BAR dmasim models is a memory BAR, the only kind the kernel
 * accepts there).  Endpoints whose file already names p2pmem BARs keep
 * exactly those: their driver has chosen, and a BAR added in front of
 * them would change which one is mapped.  Each BAR marked gets both
 * @p2pmem and @p2pmem_assumed set; the file is not touched.  Calling it
 * again marks nothing new for endpoints it has already marked.
 * Returns: the number of BARs marked by this call.
 */
DMASIM_API size_t dmasim_topo_assume_p2pmem(struct dmasim_topo *topo,
					    enum dmasim_p2pmem_assumption which);

/** "prefetchable" or "all-mem"; NULL for a value out of range. */
DMASIM_API const char *dmasim_p2pmem_assumption_name(enum dmasim_p2pmem_assumption which);

#ifdef __cplusplus
}
#endif
#endif
