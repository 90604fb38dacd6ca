/* dmasim -- private: suites as loaded (src/scenario). */
#ifndef DMASIM_SCENARIO_INT_H
#define DMASIM_SCENARIO_INT_H

#include "dmasim/dmasim.h"
#include "dmasim/scenario.h"

/* A place named in a suite: "gpu0.bar0 + 0x10", "ram 0x1000", "0x1000"
 * or (for lands) a fault name. */
enum spec_kind { SPEC_BAR, SPEC_RAM, SPEC_ADDR, SPEC_FAULT };

struct spec {
	enum spec_kind kind;
	const struct dmasim_device *dev;
	const struct dmasim_bar *bar;
	uint64_t offset;      /* SPEC_BAR */
	uint64_t addr;        /* SPEC_RAM, SPEC_ADDR */
	enum dmasim_fault fault;
};

enum case_kind {
	CASE_UPSTREAM, CASE_P2P, CASE_MAP_RESOURCE, CASE_P2P_MAP, CASE_UNMAP,
	CASE_ROUTE, CASE_KIND_COUNT
};


#define EXPECT_BRIDGE   0x001u
#define EXPECT_MAP_TYPE 0x002u
#define EXPECT_DISTANCE 0x004u
#define EXPECT_DMA_ADDR 0x008u
#define EXPECT_LANDS    0x010u
#define EXPECT_ERROR    0x020u
#define EXPECT_VIA      0x040u
#define EXPECT_WARNINGS 0x080u
#define EXPECT_VERDICT  0x100u

#define CASE_MAX_CLIENTS 16
#define CASE_MAX_VIA 32
#define CASE_MAX_WARN 8
#define SUITE_MAX_POLICIES 16   /* a case's policies are bits of an unsigned */

struct expect {
	unsigned keys;                       /* EXPECT_* present */
	const struct dmasim_device *bridge;  /* NULL = none */
	enum dmasim_map_type map_type;
	long long distance;
	uint64_t dma_addr;
	struct spec lands;
	enum dmasim_fault error;
	const char **via;                    /* BDF text or host bridge name */
	size_t nvia;
	const char **warnings;
	size_t nwarnings;
	enum dmasim_verdict verdict;
};

struct scase {
	enum case_kind kind;
	const char *name;
	struct dmasim_pos pos;
	const struct dmasim_device *dev;     /* upstream A, map/unmap device, route from, p2p provider */
	const struct dmasim_device *peer;    /* upstream B, p2p_map client */
	const struct dmasim_device **clients; /* lists are allocated as long as they are */
	size_t nclients;
	struct spec target;                  /* map_resource */
	uint64_t size;
	uint64_t offset;                     /* p2p_map */
	uint64_t addr;                       /* route addr, unmap dma_addr */
	int dir;                             /* enum dmasim_dma_dir */
	bool write;                          /* route */
	struct expect expect;                /* the keys common to all policies */
	unsigned runs;                       /* bit p: runs under the suite's policy p */
	struct expect *expects;              /* per policy: common keys plus its own */
};

struct dmasim_suite {
	char *file;
	struct dmasim_topo *topo;
	struct dmasim_policy *policies;      /* npolicies, in the suite's order */
	const char **pkeys;                  /* as the suite writes them: expect keys */
	const char **pnames;                 /* as results name them */
	size_t npolicies;
	struct scase *cases;
	size_t ncases;
	char **strs;
	size_t nstrs;
};

extern const char *const dmasim__case_kind_names[CASE_KIND_COUNT];
extern const char *const dmasim__verdict_names[DMASIM_VERDICT_COUNT];

/* spec.c */
/* Parse @text as a place; @allow_fault for `lands`.  Returns 0 or -1 with
 * a message in @why. */
int dmasim__spec_parse(const struct dmasim_topo *topo, const char *text,
		       bool allow_fault, struct spec *out, char *why, size_t whysize);
/* The CPU physical address a target spec names. */
uint64_t dmasim__spec_phys(const struct spec *s);
/* Does @l match @s (BAR + offset, RAM address, or fault kind)? */
bool dmasim__spec_matches(const struct spec *s, const struct dmasim_landing *l);
int dmasim__spec_snprintf(char *buf, size_t size, const struct spec *s);

#endif
