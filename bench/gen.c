/*
 * dmasim-gen -- a seeded generator of large synthetic topologies in the
 * YAML format of docs/topology.md, for the benchmarks in bench/.
 *
 * Shape: every host bridge has the same tree.  Below each root port sit
 * k cascaded switch levels (upstream port + fan-out downstream ports), and
 * when the requested depth needs one more level, a PCIe-to-PCI bridge below
 * each leaf port; every leaf port holds the same number of endpoints.  The
 * endpoints' depth (root bus = 0, as dmasim_device.depth counts) is --depth.
 *
 * Bus numbers are given in depth-first order, so every subtree owns a
 * contiguous bus range; a host bridge owns 256/--hbs-per-segment buses of
 * its segment, and the generator refuses a shape that needs more.  Memory
 * is laid out depth-first too: every endpoint has a 64-bit prefetchable BAR
 * (1-16 MiB, naturally aligned, so derived bridge windows of siblings never
 * overlap); a limited number of endpoints per host bridge also get a 16 KiB
 * non-prefetchable BAR, each in its own 1 MiB slot of the 32-bit window
 * (non-prefetchable windows are 32-bit and 1 MiB granular).  Bridge windows
 * are left out: the loader derives them from the children.
 *
 * Everything that varies (vendor ids, BAR sizes, p2pmem, dma masks, the
 * "random" ACS pattern) comes from a splitmix64 stream seeded by --seed, so
 * the same arguments always give the same file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1ull << 20)
#define GIB (1ull << 30)
#define MAX_DEPTH 17
#define MAX_LEVELS 8

enum acs_pattern { ACS_NONE, ACS_RP, ACS_DSP, ACS_ALL, ACS_RANDOM };
static const char *const acs_names[] = { "none", "rp", "dsp", "all", "random", NULL };

enum arch { ARCH_X86, ARCH_ARM64, ARCH_PPC64, ARCH_RISCV64 };
static const char *const arch_names[] = { "x86_64", "arm64", "ppc64", "riscv64", NULL };

static const char *const iommu_modes[] = { "dma", "identity", "blocked", "none", NULL };
static const char *const rc_modes[] = { "none", "same-host-bridge", "any", NULL };

struct params {
	unsigned long long devices;   /* target, when host_bridges == 0 */
	unsigned host_bridges;
	unsigned long long total_root_ports; /* the last host bridge may have fewer */
	unsigned hbs_per_segment;
	unsigned root_ports;
	unsigned depth;
	unsigned fanout[MAX_LEVELS];
	unsigned nfanout;
	unsigned endpoints;
	unsigned rciep;
	unsigned np_per_hb;           /* max non-prefetchable BARs per host bridge */
	int acs;
	int arch;
	bool amd;
	int iommu;                    /* index in iommu_modes */
	int rc;                       /* index in rc_modes */
	uint64_t seed;
	const char *name;
	const char *out;
	bool stats;
	bool hb_given;
	bool flow;                    /* endpoints as one-line flow mappings */
};

/* The shape of one root port's tree, derived from the parameters. */
struct shape {
	unsigned switch_levels;       /* k */
	bool pci_bridge;              /* one PCIe-to-PCI bridge level at the bottom */
	unsigned long long bridges_per_rp, endpoints_per_rp;
	unsigned long long devices_per_hb, buses_per_hb;
	unsigned bus_span;            /* buses a host bridge owns */
};

struct gen {
	const struct params *p;
	struct shape s;
	FILE *f;
	uint64_t rng;
	/* per host bridge */
	unsigned hb, next_bus;
	uint64_t pref_cur, pref_end, pref_off;   /* bus addresses; off = cpu - bus */
	uint64_t np_cur, np_end, np_off;
	unsigned np_left;
	/* totals */
	unsigned long long ndev, nep, nbridge, nbars;
	unsigned max_depth;
};

static uint64_t rnd(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("dmasim-gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static unsigned fanout_at(const struct params *p, unsigned level)
{
	return p->fanout[level < p->nfanout ? level : p->nfanout - 1];
}

static void compute_shape(const struct params *p, struct shape *s)
{
	unsigned long long ports = 1, bridges = 1; /* the root port */
	unsigned l;

	s->switch_levels = (p->depth - 1) / 2;
	s->pci_bridge = (p->depth - 1) % 2 == 1;
	for (l = 0; l < s->switch_levels; l++) {
		/* each of `ports` leaf ports gets a switch: USP + fanout DSPs */
		bridges += ports * (1 + fanout_at(p, l));
		ports *= fanout_at(p, l);
	}
	if (s->pci_bridge)
		bridges += ports;
	s->bridges_per_rp = bridges;
	s->endpoints_per_rp = ports * p->endpoints;
	s->devices_per_hb = p->root_ports * (bridges + s->endpoints_per_rp) + p->rciep;
	s->buses_per_hb = 1 + p->root_ports * bridges; /* root bus + secondaries */
	s->bus_span = 256 / p->hbs_per_segment;
}

/* ---- output ------------------------------------------------------- */

static void out(struct gen *g, unsigned ind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void out(struct gen *g, unsigned ind, const char *fmt, ...)
{
	va_list ap;

	fprintf(g->f, "%*s", (int)ind, "");
	va_start(ap, fmt);
	vfprintf(g->f, fmt, ap);
	va_end(ap);
}

static const char *size_str(char *buf, size_t n, uint64_t size)
{
	if (size >= GIB && size % GIB == 0)
		snprintf(buf, n, "%lluG", (unsigned long long)(size / GIB));
	else if (size >= MIB && size % MIB == 0)
		snprintf(buf, n, "%lluM", (unsigned long long)(size / MIB));
	else if (size % 1024 == 0)
		snprintf(buf, n, "%lluK", (unsigned long long)(size / 1024));
	else
		snprintf(buf, n, "%llu", (unsigned long long)size);
	return buf;
}

static void emit_acs(struct gen *g, unsigned ind, bool root_port)
{
	static const char *const on = "[sv, rr, cr, uf]";
	const char *cap = root_port ? "[sv, rr, cr, uf, ec, dt]" : "[sv, rr, cr, uf, ec]";
	bool enabled;

	switch (g->p->acs) {
	case ACS_NONE:
		return;
	case ACS_RP:
		enabled = root_port;
		break;
	case ACS_DSP:
		enabled = !root_port;
		break;
	case ACS_ALL:
		enabled = true;
		break;
	default:
		enabled = rnd(g) & 1;
		break;
	}
	out(g, ind, "acs: { cap: %s, ctrl: %s }\n", cap, enabled ? on : "[]");
}

static void begin_device(struct gen *g, unsigned ind, unsigned bus, unsigned dev,
			 unsigned fn, const char *type, unsigned vendor,
			 unsigned device, unsigned depth)
{
	out(g, ind, "- bdf: %02x:%02x.%x\n", bus, dev, fn);
	out(g, ind + 2, "type: %s\n", type);
	out(g, ind + 2, "vendor: 0x%04x\n", vendor);
	out(g, ind + 2, "device: 0x%04x\n", device);
	g->ndev++;
	if (depth > g->max_depth)
		g->max_depth = depth;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

struct ep_kind {
	unsigned vendor, device;
	bool p2pmem_often;
};

static const struct ep_kind ep_kinds[] = {
	{ 0x10de, 0x20b0, false }, /* GPU */
	{ 0x144d, 0xa808, true },  /* NVMe with a CMB */
	{ 0x15b3, 0x1017, false }, /* NIC */
	{ 0x8086, 0x0b25, false }, /* DSA */
};

static void emit_endpoint(struct gen *g, unsigned ind, unsigned bus,
			  unsigned slot, unsigned depth)
{
	const struct ep_kind *k = &ep_kinds[rnd(g) % (sizeof(ep_kinds) / sizeof(ep_kinds[0]))];
	uint64_t size = MIB << (rnd(g) % 5), base;
	unsigned dev = slot, fn = 0;
	bool np, mask32, p2pmem;
	char sz[32];

	if (g->p->endpoints > 32) { /* multi-function devices */
		dev = slot / 8;
		fn = slot % 8;
	}
	mask32 = rnd(g) % 16 == 0;
	p2pmem = k->p2pmem_often ? rnd(g) % 2 == 0 : rnd(g) % 8 == 0;
	base = align_up(g->pref_cur, size);
	if (base + size > g->pref_end)
		die("host bridge %u: the prefetchable window is full; use fewer or smaller endpoints",
		    g->hb);
	g->pref_cur = base + size;
	np = g->np_left > 0 && g->np_cur + MIB <= g->np_end;
	g->ndev++;
	g->nep++;
	g->nbars += 1 + np;
	if (depth > g->max_depth)
		g->max_depth = depth;
	size_str(sz, sizeof(sz), size);
	if (g->p->flow) {
		out(g, ind, "- { bdf: %02x:%02x.%x, type: endpoint, vendor: 0x%04x, device: 0x%04x, %s%s"
		    "bars: [ { index: 0, base: 0x%" PRIx64 ", size: %s, pref: true, bits: 64 }",
		    bus, dev, fn, k->vendor, k->device, mask32 ? "dma_mask: 32, " : "",
		    p2pmem ? "p2pmem: [0], " : "", base + g->pref_off, sz);
		if (np)
			fprintf(g->f, ", { index: 2, base: 0x%" PRIx64 ", size: 16K }",
				g->np_cur + g->np_off);
		fprintf(g->f, " ] }\n");
	} else {
		out(g, ind, "- bdf: %02x:%02x.%x\n", bus, dev, fn);
		out(g, ind + 2, "type: endpoint\n");
		out(g, ind + 2, "vendor: 0x%04x\n", k->vendor);
		out(g, ind + 2, "device: 0x%04x\n", k->device);
		if (mask32)
			out(g, ind + 2, "dma_mask: 32\n");
		if (p2pmem)
			out(g, ind + 2, "p2pmem: [0]\n");
		out(g, ind + 2, "bars:\n");
		out(g, ind + 4, "- { index: 0, base: 0x%" PRIx64 ", size: %s, pref: true, bits: 64 }\n",
		    base + g->pref_off, sz);
		if (np)
			out(g, ind + 4, "- { index: 2, base: 0x%" PRIx64 ", size: 16K }\n",
			    g->np_cur + g->np_off);
	}
	if (np) {
		g->np_cur += MIB;
		g->np_left--;
	}
}

static void emit_kids_open(struct gen *g, unsigned ind)
{
	out(g, ind + 2, "children:\n");
}

static unsigned take_bus(struct gen *g)
{
	if (g->next_bus > 255)
		die("internal: bus numbers exhausted");
	return g->next_bus++;
}

static void emit_leaf(struct gen *g, unsigned ind, unsigned bus, unsigned depth)
{
	unsigned e;

	for (e = 0; e < g->p->endpoints; e++)
		emit_endpoint(g, ind, bus, e, depth);
}

/* Below a port whose secondary bus is @bus: switch level @level or the leaf. */
static void emit_below(struct gen *g, unsigned ind, unsigned bus, unsigned level,
		       unsigned depth)
{
	unsigned j, f, usp_bus;

	if (level == g->s.switch_levels) {
		if (g->s.pci_bridge) {
			unsigned sec = take_bus(g);
			begin_device(g, ind, bus, 0, 0, "pci-bridge", 0x12d8, 0xe111, depth);
			g->nbridge++;
			emit_kids_open(g, ind);
			emit_leaf(g, ind + 4, sec, depth + 1);
		} else {
			emit_leaf(g, ind, bus, depth);
		}
		return;
	}
	f = fanout_at(g->p, level);
	usp_bus = take_bus(g);
	begin_device(g, ind, bus, 0, 0, "switch-upstream", 0x10b5, 0x9733, depth);
	g->nbridge++;
	emit_kids_open(g, ind);
	for (j = 0; j < f; j++) {
		unsigned sec = take_bus(g);
		begin_device(g, ind + 4, usp_bus, j, 0, "switch-downstream", 0x10b5,
			     0x9733, depth + 1);
		g->nbridge++;
		emit_acs(g, ind + 6, false);
		emit_kids_open(g, ind + 4);
		emit_below(g, ind + 8, sec, level + 1, depth + 2);
	}
}

static void root_port_ids(const struct params *p, unsigned *vendor, unsigned *device)
{
	switch (p->arch) {
	case ARCH_X86:
		*vendor = p->amd ? 0x1022 : 0x8086;
		*device = p->amd ? 0x1483 : 0x2030;
		break;
	case ARCH_ARM64:
		*vendor = 0x19e5; /* Huawei Kunpeng root port */
		*device = 0xa120;
		break;
	case ARCH_PPC64:
		*vendor = 0x1014; /* IBM PHB4 */
		*device = 0x04c1;
		break;
	default:
		*vendor = 0x1b36; /* QEMU PCIe root port */
		*device = 0x000c;
		break;
	}
}

static const char *iommu_type(const struct params *p)
{
	switch (p->arch) {
	case ARCH_X86:
		return p->amd ? "amd-vi" : "intel-vtd";
	case ARCH_ARM64:
		return "smmuv3";
	case ARCH_PPC64:
		return "ppc-tce";
	default:
		return NULL;
	}
}

static bool has_iommu(const struct params *p)
{
	return strcmp(iommu_modes[p->iommu], "none") != 0 && iommu_type(p) != NULL;
}

/* Where host bridge @i's windows sit (CPU addresses) and their bus offsets. */
#define PREF_SLOT (256 * GIB)

static void hb_windows(struct gen *g, unsigned i, uint64_t *np_cpu, uint64_t *np_bus,
		       uint64_t *np_size, uint64_t *pref_cpu, uint64_t *pref_bus)
{
	const struct params *p = g->p;

	if (p->arch == ARCH_X86) {
		/* [0xc0000000, 0xfec00000) shared out; bus == cpu */
		uint64_t total = 0xfec00000ull - 0xc0000000ull;
		uint64_t slice = (total / p->host_bridges) & ~(MIB - 1);
		if (slice > 64 * MIB)
			slice = 64 * MIB;
		*np_size = slice;
		*np_cpu = *np_bus = 0xc0000000ull + (uint64_t)i * slice;
		*pref_cpu = *pref_bus = 0x10000000000ull + (uint64_t)i * PREF_SLOT;
	} else {
		/* every host bridge has its own bus space: same bus ranges,
		 * CPU windows far up, so outbound offsets are not zero */
		*np_size = 64 * MIB;
		*np_bus = 0x40000000ull;
		*np_cpu = 0x200000000000ull + (uint64_t)i * GIB;
		*pref_bus = 0x8000000000ull;
		*pref_cpu = 0x400000000000ull + (uint64_t)i * PREF_SLOT;
	}
}

static void emit_host_bridge(struct gen *g, unsigned i)
{
	const struct params *p = g->p;
	unsigned seg = i / p->hbs_per_segment;
	unsigned first = (i % p->hbs_per_segment) * g->s.bus_span;
	unsigned last = first + g->s.bus_span - 1;
	uint64_t np_cpu, np_bus, np_size, pref_cpu, pref_bus;
	unsigned r, rv, rd, e, nrp;
	char sz[32];

	hb_windows(g, i, &np_cpu, &np_bus, &np_size, &pref_cpu, &pref_bus);
	g->hb = i;
	g->next_bus = first + 1;
	g->pref_cur = pref_bus;
	g->pref_end = pref_bus + PREF_SLOT;
	g->pref_off = pref_cpu - pref_bus;
	g->np_cur = np_bus;
	g->np_end = np_bus + np_size;
	g->np_off = np_cpu - np_bus;
	g->np_left = p->np_per_hb;

	out(g, 2, "- name: hb%u\n", i);
	out(g, 4, "segment: %u\n", seg);
	out(g, 4, "buses: [0x%02x, 0x%02x]\n", first, last);
	if (has_iommu(p))
		out(g, 4, "iommu: iommu%u\n", i);
	out(g, 4, "root_complex: { p2p: %s }\n", rc_modes[p->rc]);
	out(g, 4, "windows:\n");
	if (np_size)
		out(g, 6, "- { kind: mem, cpu: 0x%" PRIx64 ", bus: 0x%" PRIx64 ", size: %s }\n",
		    np_cpu, np_bus, size_str(sz, sizeof(sz), np_size));
	out(g, 6, "- { kind: mem-pref, cpu: 0x%" PRIx64 ", bus: 0x%" PRIx64 ", size: %s }\n",
	    pref_cpu, pref_bus, size_str(sz, sizeof(sz), PREF_SLOT));
	out(g, 4, "devices:\n");
	root_port_ids(p, &rv, &rd);
	nrp = p->total_root_ports - (unsigned long long)i * p->root_ports;
	if (nrp > p->root_ports)
		nrp = p->root_ports;
	for (r = 0; r < nrp; r++) {
		unsigned sec = take_bus(g);
		begin_device(g, 6, first, r, 0, "root-port", rv, rd, 0);
		g->nbridge++;
		emit_acs(g, 8, true);
		emit_kids_open(g, 6);
		emit_below(g, 10, sec, 0, 1);
	}
	for (e = 0; e < p->rciep; e++)
		emit_endpoint(g, 6, first, 31 - e, 0);
	if (g->next_bus > last + 1)
		die("internal: host bridge %u used buses up to 0x%x beyond 0x%x", i,
		    g->next_bus - 1, last);
}

static void emit(struct gen *g)
{
	const struct params *p = g->p;
	unsigned i;

	if (p->hb_given)
		fprintf(g->f, "# Generated by: dmasim-gen --host-bridges %u", p->host_bridges);
	else
		fprintf(g->f, "# Generated by: dmasim-gen --devices %llu", p->devices);
	fprintf(g->f, " --hbs-per-segment %u --root-ports %u --depth %u --fanout ",
		p->hbs_per_segment, p->root_ports, p->depth);
	for (i = 0; i < p->nfanout; i++)
		fprintf(g->f, "%s%u", i ? "," : "", p->fanout[i]);
	fprintf(g->f, " --endpoints %u --rciep %u --np-bars %u --acs %s --arch %s%s"
		" --iommu %s --rc-p2p %s --seed %" PRIu64 "%s\n",
		p->endpoints, p->rciep, p->np_per_hb, acs_names[p->acs],
		arch_names[p->arch], p->amd ? " --cpu amd" : "", iommu_modes[p->iommu],
		rc_modes[p->rc], p->seed, p->flow ? " --flow" : "");
	fprintf(g->f, "dmasim: 1\n");
	if (p->name)
		fprintf(g->f, "name: %s\n", p->name);
	else
		fprintf(g->f, "name: synthetic, %u host bridges, %llu root ports, depth %u, seed %" PRIu64 "\n",
			p->host_bridges, p->total_root_ports, p->depth, p->seed);
	fprintf(g->f, "arch: %s\n", arch_names[p->arch]);
	switch (p->arch) {
	case ARCH_X86:
		fprintf(g->f, "cpu: { vendor: %s, family: %s }\n",
			p->amd ? "amd" : "intel", p->amd ? "0x19" : "6");
		fprintf(g->f, "ram:\n  - { base: 0x0, size: 2G }\n"
			"  - { base: 0x100000000, size: 62G }\n");
		break;
	case ARCH_ARM64:
		fprintf(g->f, "cpu: { vendor: arm }\n");
		fprintf(g->f, "ram:\n  - { base: 0x80000000, size: 64G }\n");
		break;
	case ARCH_PPC64:
		fprintf(g->f, "cpu: { vendor: ibm }\n");
		fprintf(g->f, "ram:\n  - { base: 0x0, size: 64G }\n");
		break;
	default:
		fprintf(g->f, "ram:\n  - { base: 0x80000000, size: 64G }\n");
		break;
	}
	if (has_iommu(p)) {
		fprintf(g->f, "iommus:\n");
		for (i = 0; i < p->host_bridges; i++)
			fprintf(g->f, "  - { name: iommu%u, type: %s, address_bits: 48, default_domain: %s }\n",
				i, iommu_type(p), iommu_modes[p->iommu]);
	}
	fprintf(g->f, "host_bridges:\n");
	for (i = 0; i < p->host_bridges; i++)
		emit_host_bridge(g, i);
}

/* ---- arguments ------------------------------------------------------ */

static const char usage[] =
"Usage: dmasim-gen [OPTION]...\n"
"Write a synthetic topology (dmasim YAML, docs/topology.md) to stdout.\n"
"\n"
"  --devices N          about N devices: whole root ports until N is reached, R per\n"
"                       host bridge (default 1000)\n"
"  --host-bridges H     exactly H full host bridges (overrides --devices)\n"
"  --hbs-per-segment K  host bridges sharing one PCI segment's 256 buses (default 1)\n"
"  --root-ports R       root ports per host bridge (default 4)\n"
"  --depth D            depth of the endpoints, 1..17; root ports are depth 0 (default 8)\n"
"                       (D-1)/2 switch levels, plus a PCIe-to-PCI bridge when D-1 is odd\n"
"  --fanout F[,F...]    downstream ports per switch, per switch level; the last\n"
"                       value repeats (default 2,2,4)\n"
"  --endpoints E        endpoints per leaf port, 1..256 (default 8)\n"
"  --rciep N            integrated endpoints on each root bus, 0..8 (default 0)\n"
"  --np-bars N          at most N non-prefetchable BARs per host bridge (default 16)\n"
"  --acs P              none | rp | dsp | all | random: which ports have ACS\n"
"                       SV|RR|CR|UF enabled (default rp: root ports, as with an IOMMU)\n"
"  --arch A             x86_64 | arm64 | ppc64 | riscv64 (default x86_64)\n"
"  --cpu V              intel | amd (x86_64 only; default intel)\n"
"  --iommu M            dma | identity | blocked | none (default dma; riscv64: none)\n"
"  --rc-p2p M           none | same-host-bridge | any (default any)\n"
"  --seed S             random seed (default 1)\n"
"  --name TEXT          the topology's name\n"
"  --flow               endpoints as one-line flow mappings (a smaller file)\n"
"  -o FILE              write to FILE instead of stdout\n"
"  --stats              print the counts to stderr\n"
"  --help               this text\n";

static unsigned long long num(const char *opt, const char *s, unsigned long long lo,
			      unsigned long long hi)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v < lo || v > hi)
		die("%s: '%s' is not a number in [%llu, %llu]", opt, s, lo, hi);
	return v;
}

static int pick(const char *opt, const char *s, const char *const *names)
{
	int i;

	for (i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	die("%s: unknown value '%s'", opt, s);
}

static void parse_fanout(struct params *p, const char *s)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	p->nfanout = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (p->nfanout == MAX_LEVELS)
			die("--fanout: at most %d levels", MAX_LEVELS);
		p->fanout[p->nfanout++] = (unsigned)num("--fanout", tok, 1, 32);
	}
	if (!p->nfanout)
		die("--fanout: give at least one number");
}

int main(int argc, char **argv)
{
	struct params p = {
		.devices = 1000, .hbs_per_segment = 1, .root_ports = 4, .depth = 8,
		.fanout = { 2, 2, 4 }, .nfanout = 3, .endpoints = 8, .np_per_hb = 16,
		.acs = ACS_RP, .arch = ARCH_X86, .iommu = 0, .rc = 2, .seed = 1,
	};
	struct gen g;
	bool iommu_given = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (strcmp(a, "--stats") == 0) {
			p.stats = true;
			continue;
		}
		if (strcmp(a, "--flow") == 0) {
			p.flow = true;
			continue;
		}
		if (!v)
			die("%s needs a value (try --help)", a);
		i++;
		if (strcmp(a, "--devices") == 0)
			p.devices = num(a, v, 1, 10000000);
		else if (strcmp(a, "--host-bridges") == 0)
			p.host_bridges = (unsigned)num(a, v, 1, 4096), p.hb_given = true;
		else if (strcmp(a, "--hbs-per-segment") == 0)
			p.hbs_per_segment = (unsigned)num(a, v, 1, 128);
		else if (strcmp(a, "--root-ports") == 0)
			p.root_ports = (unsigned)num(a, v, 1, 32);
		else if (strcmp(a, "--depth") == 0)
			p.depth = (unsigned)num(a, v, 1, MAX_DEPTH);
		else if (strcmp(a, "--fanout") == 0)
			parse_fanout(&p, v);
		else if (strcmp(a, "--endpoints") == 0)
			p.endpoints = (unsigned)num(a, v, 1, 256);
		else if (strcmp(a, "--rciep") == 0)
			p.rciep = (unsigned)num(a, v, 0, 8);
		else if (strcmp(a, "--np-bars") == 0)
			p.np_per_hb = (unsigned)num(a, v, 0, 1000000);
		else if (strcmp(a, "--acs") == 0)
			p.acs = pick(a, v, acs_names);
		else if (strcmp(a, "--arch") == 0)
			p.arch = pick(a, v, arch_names);
		else if (strcmp(a, "--cpu") == 0)
			p.amd = pick(a, v, (const char *const[]){ "intel", "amd", NULL }) == 1;
		else if (strcmp(a, "--iommu") == 0) {
			p.iommu = pick(a, v, iommu_modes);
			iommu_given = true;
		} else if (strcmp(a, "--rc-p2p") == 0)
			p.rc = pick(a, v, rc_modes);
		else if (strcmp(a, "--seed") == 0)
			p.seed = num(a, v, 0, UINT64_MAX);
		else if (strcmp(a, "--name") == 0)
			p.name = v;
		else if (strcmp(a, "-o") == 0)
			p.out = v;
		else
			die("unknown option '%s' (try --help)", a);
	}
	if (p.amd && p.arch != ARCH_X86)
		die("--cpu amd is for x86_64 only");
	if (p.arch == ARCH_RISCV64 && iommu_given && p.iommu != 3)
		die("riscv64 has no IOMMU type in dmasim; use --iommu none");
	if (p.arch == ARCH_RISCV64)
		p.iommu = 3;
	if (p.endpoints > 32 && p.endpoints % 8)
		die("--endpoints above 32 makes multi-function devices; give a multiple of 8");
	if (p.rciep && p.root_ports + p.rciep > 32)
		die("--root-ports plus --rciep must fit in 32 device numbers");

	memset(&g, 0, sizeof(g));
	g.p = &p;
	compute_shape(&p, &g.s);
	if (g.s.buses_per_hb > g.s.bus_span)
		die("one host bridge needs %llu buses but owns %u (256 / --hbs-per-segment); "
		    "use fewer root ports, a smaller fan-out or a smaller depth",
		    g.s.buses_per_hb, g.s.bus_span);
	if (!p.host_bridges) {
		/* whole root ports until about p.devices */
		unsigned long long per_rp = g.s.bridges_per_rp + g.s.endpoints_per_rp;
		p.total_root_ports = (p.devices + per_rp - 1) / per_rp;
		p.host_bridges = (unsigned)((p.total_root_ports + p.root_ports - 1) /
					    p.root_ports);
	} else {
		p.total_root_ports = (unsigned long long)p.host_bridges * p.root_ports;
	}
	if ((unsigned long long)p.host_bridges / p.hbs_per_segment > 0xffff)
		die("too many segments");
	g.rng = p.seed;
	g.f = stdout;
	if (p.out && !(g.f = fopen(p.out, "w")))
		die("cannot write %s: %s", p.out, strerror(errno));
	setvbuf(g.f, NULL, _IOFBF, 1 << 20);
	emit(&g);
	if (fflush(g.f) || ferror(g.f) || (p.out && fclose(g.f)))
		die("write error: %s", strerror(errno));
	if (p.stats)
		fprintf(stderr, "devices %llu endpoints %llu bridges %llu bars %llu host_bridges %u "
			"max_depth %u buses_per_hb %llu\n", g.ndev, g.nep, g.nbridge,
			g.nbars, p.host_bridges, g.max_depth, g.s.buses_per_hb);
	return 0;
}
