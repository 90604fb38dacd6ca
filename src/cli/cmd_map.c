/* dmasim map -- dma_map_resource() or a P2P mapping as a kernel version
 * makes it, and where the device's DMA to that address really lands. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim map - map a BAR or RAM for a device as the kernel does, and check\n"
"    where the device's DMA lands\n"
"\n"
"SYNOPSIS\n"
"    dmasim map TOPOLOGY DEVICE TARGET [--size N] [--dir DIR] [--policy P]\n"
"               [--json]\n"
"    dmasim map --p2p TOPOLOGY PROVIDER CLIENT [OFFSET] [--size N]\n"
"               [--policy P] [--json]\n"
"\n"
"DESCRIPTION\n"
"    The first form calls dma_map_resource(DEVICE, phys, N, DIR) as the\n"
"    policy's kernel dispatches it (kernel/dma/mapping.c): dma-direct, which\n"
"    returns the CPU physical address unchanged after the dma_capable() check\n"
"    against the DMA mask and bus_dma_limit; dma-iommu, which allocates an\n"
"    IOVA top-down in the device's IOMMU group (32-bit first, power-of-two\n"
"    rounded, never in a reserved range: the MSI window, the host bridge's\n"
"    windows, the gaps around dma-ranges) and maps it to phys; IOMMU ops\n"
"    without .map_resource, which return phys (v4.9-v5.0) or\n"
"    DMA_MAPPING_ERROR (v5.1+); and the RAM refusal of v4.9-v5.15.\n"
"    TARGET is '<device>.bar<N>[+offset]' (e.g. 'gpu0.bar1+0x1000'), a CPU\n"
"    address ('0x38000001000') or 'ram <address>'.  A BAR target's N bytes\n"
"    from the offset must fit in the BAR; a CPU address is taken as given.\n"
"\n"
"    The second form maps OFFSET (default 0) of PROVIDER's first p2pmem BAR\n"
"    for CLIENT as pci_p2pdma_map_segment() does: the policy's P2P decision\n"
"    gives the map type; BUS_ADDR is phys + bus_offset (phys - bus_offset up\n"
"    to linux-5.15, the sign bug), THRU_HOST_BRIDGE the normal page mapping\n"
"    (an IOVA, or phys_to_dma() through dma-ranges), NOT_SUPPORTED a\n"
"    refusal; under seed-2018 a supported pair is mapped with\n"
"    dma_map_resource() as the 2018 proposal did.\n"
"\n"
"    Every mapping that succeeds is then routed through the fabric from the\n"
"    device that was given the address (a write, or a read for to_device),\n"
"    with the IOMMU page tables the mapping wrote.  It must land where the\n"
"    CPU address is (the BAR and offset, or RAM); anything else is an\n"
"    invalid-address DMA, reported with where it landed instead.  A CPU\n"
"    address that no BAR or RAM takes whole is named as itself ('cpu ADDR\n"
"    (no BAR or RAM)', '(MSI region)', '(starts in gpu0.bar0 + 0xfff000,\n"
"    runs past its end)'): the DMA lands where it is when it reaches ADDR\n"
"    and meets the fault the CPU's own access meets there (ok), and is\n"
"    invalid-address when it meets another fault on the way.\n"
"\n"
"    The output names the kernel path and function, the DMA address (or\n"
"    DMA_MAPPING_ERROR and why, with the kernel's messages verbatim), the\n"
"    IOMMU mapping if any, the landing with its hops, and the verdict: ok,\n"
"    invalid-address or refused.  Each run starts from fresh IOMMU domains.\n"
"\n"
"    When the verdict rests on values the topology marks inferred (an\n"
"    import guessed them; docs/topology.md, 'inferred:'), a line 'depends on\n"
"    inferred: ...' names them (\"depends_on_inferred\" in --json).\n"
"\n"
"OPTIONS\n"
"    --size N      bytes to map (default 4096; K, M, G, T suffixes)\n"
"    --dir DIR     to_device (the device reads: IOMMU read-only),\n"
"                  from_device (the device writes: write-only) or\n"
"                  bidirectional (default); --p2p always maps bidirectional\n"
"    --policy P    a built-in policy ('dmasim policy list'; default\n"
"                  linux-6.12) or a policy file\n"
"    --p2p         the second form\n"
"    --json        one JSON document with the same content\n"
"    -h, --help    this text\n"
"\n"
"EXIT STATUS\n"
"    0 the DMA lands on the target; 1 the kernel refused the mapping or the\n"
"    DMA lands elsewhere (invalid-address); 2 bad input (unknown device, BAR\n"
"    or policy, a bad number, a BAR target whose offset or offset + size\n"
"    runs past the BAR's end, an invalid topology: FILE:LINE:COLUMN).\n"
"\n"
"EXAMPLES\n"
"    dmasim map topologies/x86_64/skylake-plx.yaml nic0 gpu0.bar1+0x1000\n"
"    dmasim map --p2p topologies/arm64/altra-smmu.yaml nvme0 gpu0 0x2000 \\\n"
"        --policy linux-5.15\n";

static const char *hop_text(enum dmasim_hop_action a)
{
	switch (a) {
	case DMASIM_HOP_UP: return "forwarded upstream";
	case DMASIM_HOP_ACS_REDIRECT: return "ACS Request Redirect: sent upstream";
	case DMASIM_HOP_ACS_UF: return "ACS Upstream Forwarding: sent upstream";
	case DMASIM_HOP_SIBLING: return "peer-to-peer to a sibling port";
	case DMASIM_HOP_IOMMU: return "IOMMU translates the IOVA";
	case DMASIM_HOP_IDENTITY: return "no translation: bus = CPU address";
	case DMASIM_HOP_INBOUND: return "inbound dma-range: bus to CPU";
	case DMASIM_HOP_RC_P2P: return "root complex: window, CPU to bus";
	case DMASIM_HOP_DOWN: return "window decodes it downward";
	case DMASIM_HOP_BAR: return "claimed by a BAR";
	case DMASIM_HOP_RAM: return "system RAM";
	case DMASIM_HOP_INTER_SOCKET: return "inter-socket link";
	case DMASIM_HOP_FAULT:
	default: return "stops here";
	}
}

static void hop_port(char *buf, size_t size, const struct dmasim_hop *h)
{
	if (!h->dev)
		snprintf(buf, size, "%s", h->hb ? h->hb->name : "?");
	else if (strcmp(h->dev->name, h->dev->bdf) == 0)
		snprintf(buf, size, "%s", h->dev->bdf);
	else
		snprintf(buf, size, "%s %s", h->dev->bdf, h->dev->name);
}

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

static void prot_text(char *buf, size_t size, unsigned prot)
{
	snprintf(buf, size, "%s%s%s%s", (prot & DMASIM_PROT_READ) ? "read" : "",
		 (prot & DMASIM_PROT_READ) && (prot & DMASIM_PROT_WRITE) ? "|" : "",
		 (prot & DMASIM_PROT_WRITE) ? "write" : "",
		 (prot & DMASIM_PROT_MMIO) ? "|mmio" : "");
}

/*
 * The intended target as what it is: the BAR and offset or RAM the CPU
 * address decodes to (dmasim_decode_cpu()), else the CPU address and why
 * nothing takes the range there -- never the name of a landing's fault.
 */
static void target_text(char *buf, size_t size, const struct dmasim_topo *t,
			const struct dmasim_dma_result *r)
{
	struct dmasim_landing first;
	char at[128];

	if (r->target.kind != DMASIM_LAND_FAULT) {
		dmasim_landing_snprintf(buf, size, &r->target);
		return;
	}
	if (r->target.fault == DMASIM_FAULT_MSI_WRITE) {
		snprintf(buf, size, "cpu 0x%llx (MSI region)", ull(r->phys));
		return;
	}
	/* the first byte alone: a range that starts in a BAR or RAM and
	 * runs past its end, or nothing there at all */
	if (dmasim_decode_cpu(t, r->phys, 1, &first) != DMASIM_OK ||
	    first.kind == DMASIM_LAND_FAULT) {
		snprintf(buf, size, "cpu 0x%llx (no BAR or RAM)", ull(r->phys));
		return;
	}
	dmasim_landing_snprintf(at, sizeof(at), &first);
	snprintf(buf, size, "cpu 0x%llx (starts in %.96s, runs past its end)",
		 ull(r->phys), at);
}

static void print_verdict(const struct dmasim_dma_result *r, const char *want,
			  const char *land)
{
	if (r->verdict != DMASIM_DMA_VERDICT_OK)
		printf("verdict: invalid-address (intended %s, lands %s)\n",
		       CLI_TEXT(want), CLI_TEXT(land));
	else if (r->target.kind == DMASIM_LAND_FAULT)
		printf("verdict: ok (reaches %s and gets %s, as the CPU would)\n",
		       CLI_TEXT(want), CLI_TEXT(land));
	else
		printf("verdict: ok (lands on %s)\n", CLI_TEXT(want));
}

static void print_text(const struct dmasim_topo *t, const struct dmasim_policy *pol,
		       const struct dmasim_dma_result *r, const struct cli_inferred *inf)
{
	char want[160], land[160], port[64], prot[32];
	const char *p, *nl;
	size_t i;

	target_text(want, sizeof(want), t, r);
	printf("policy %s: %s (%s) maps %s", CLI_TEXT(pol->name), CLI_TEXT(r->dev->name),
	       r->dev->bdf, CLI_TEXT(want));
	if (r->target.kind != DMASIM_LAND_FAULT) /* else the text is the address */
		printf(" (cpu 0x%llx)", ull(r->phys));
	printf(", %llu bytes, %s\n", ull(r->size), dmasim_dma_dir_name(r->dir));
	if (r->p2p) {
		printf("p2p: provider %s, map type %s", CLI_TEXT(r->provider->name),
		       dmasim_map_type_name(r->map_type));
		if (r->p2p_dist >= 0)
			printf(", distance %d", r->p2p_dist);
		printf(", bus offset %s0x%llx\n", r->bus_offset < 0 ? "-" : "",
		       ull(r->bus_offset < 0 ? (uint64_t)-r->bus_offset
					     : (uint64_t)r->bus_offset));
	}
	printf("kernel: %s (%s)", dmasim_dma_path_name(r->path), r->op);
	if (r->mapping_error)
		printf(": %s", dmasim_dma_reason_name(r->reason));
	printf("\n  %s\n", r->why);
	for (p = r->log.text; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		printf("  | %.*s\n", (int)(nl - p), p);
	}
	if (r->mapping_error) {
		printf("dma address: DMA_MAPPING_ERROR\n");
		cli_inferred_print(inf, "");
		printf("verdict: refused (%s)\n", dmasim_fault_name(r->fault));
		return;
	}
	printf("dma address: 0x%llx\n", ull(r->dma_addr));
	if (r->path == DMASIM_DMA_PATH_IOMMU) {
		prot_text(prot, sizeof(prot), r->prot);
		printf("iommu: group %u, IOVA 0x%llx, 0x%llx bytes mapped (0x%llx reserved), %s\n",
		       r->iommu_group, ull(r->iova), ull(r->iova_len),
		       ull(r->iova_alloc_len), prot);
	}
	dmasim_landing_snprintf(land, sizeof(land), &r->route.land);
	printf("%s lands: %s", r->write ? "write" : "read", CLI_TEXT(land));
	if (r->route.land.has_cpu)
		printf(" (cpu 0x%llx)", ull(r->route.land.cpu));
	putchar('\n');
	for (i = 0; i < r->route.nhops; i++) {
		const struct dmasim_hop *h = &r->route.hops[i];

		hop_port(port, sizeof(port), h);
		printf("  %-24s %-13s 0x%llx", CLI_TEXT(port), dmasim_hop_action_name(h->action),
		       ull(h->addr));
		if (h->addr_out != h->addr)
			printf(" -> 0x%llx", ull(h->addr_out));
		printf("  %s\n", h->action == DMASIM_HOP_FAULT
				 ? dmasim_fault_name(r->route.land.fault) : hop_text(h->action));
	}
	if (r->route.land.kind == DMASIM_LAND_FAULT && r->route.why[0])
		printf("why: %s\n", r->route.why);
	cli_inferred_print(inf, "");
	print_verdict(r, want, land);
}

static void print_json(const struct dmasim_topo *t, const struct dmasim_policy *pol,
		       const struct dmasim_dma_result *r, const struct cli_inferred *inf)
{
	char buf[160];
	const char *p, *nl;
	struct jw w;

	cli_json_begin(&w, true, "map");
	dmasim__jw_kstr(&w, "policy", pol->name);
	dmasim__jw_kstr(&w, "device", r->dev->name);
	dmasim__jw_kstr(&w, "bdf", r->dev->bdf);
	target_text(buf, sizeof(buf), t, r);
	dmasim__jw_kstr(&w, "target", buf);
	dmasim__jw_khex(&w, "phys", r->phys);
	dmasim__jw_khex(&w, "size", r->size);
	dmasim__jw_kstr(&w, "dir", dmasim_dma_dir_name(r->dir));
	if (r->p2p) {
		dmasim__jw_key(&w, "p2p");
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kstr(&w, "provider", r->provider->name);
		dmasim__jw_kint(&w, "bar", r->bar->index);
		dmasim__jw_kstr(&w, "map_type", dmasim_map_type_name(r->map_type));
		dmasim__jw_kint(&w, "distance", r->p2p_dist);
		dmasim__jw_kint(&w, "bus_offset", r->bus_offset);
		dmasim__jw_obj_end(&w);
	}
	dmasim__jw_kstr(&w, "path", dmasim_dma_path_name(r->path));
	dmasim__jw_kstr(&w, "op", r->op);
	dmasim__jw_key(&w, "dma_addr");
	if (r->mapping_error)
		dmasim__jw_null(&w);
	else
		dmasim__jw_hex(&w, r->dma_addr);
	dmasim__jw_kbool(&w, "mapping_error", r->mapping_error);
	dmasim__jw_kstr(&w, "reason", dmasim_dma_reason_name(r->reason));
	dmasim__jw_kstr(&w, "why", r->why);
	dmasim__jw_key(&w, "messages");
	dmasim__jw_arr_begin(&w);
	for (p = r->log.text; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		snprintf(buf, sizeof(buf), "%.*s", (int)(nl - p), p);
		dmasim__jw_str(&w, buf);
	}
	dmasim__jw_arr_end(&w);
	if (r->path == DMASIM_DMA_PATH_IOMMU) {
		dmasim__jw_key(&w, "iommu");
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kint(&w, "group", r->iommu_group);
		dmasim__jw_khex(&w, "iova", r->iova);
		dmasim__jw_khex(&w, "len", r->iova_len);
		dmasim__jw_khex(&w, "alloc_len", r->iova_alloc_len);
		dmasim__jw_kbool(&w, "read", (r->prot & DMASIM_PROT_READ) != 0);
		dmasim__jw_kbool(&w, "write", (r->prot & DMASIM_PROT_WRITE) != 0);
		dmasim__jw_kbool(&w, "mmio", (r->prot & DMASIM_PROT_MMIO) != 0);
		dmasim__jw_obj_end(&w);
	}
	if (r->routed) {
		dmasim__jw_kbool(&w, "write", r->write);
		dmasim_landing_snprintf(buf, sizeof(buf), &r->route.land);
		dmasim__jw_kstr(&w, "lands", buf);
		dmasim__jw_key(&w, "cpu");
		if (r->route.land.has_cpu)
			dmasim__jw_hex(&w, r->route.land.cpu);
		else
			dmasim__jw_null(&w);
		dmasim__jw_kstr(&w, "route_why", r->route.land.kind == DMASIM_LAND_FAULT
					 ? r->route.why : NULL);
		cli_json_hops(&w, &r->route);
	}
	cli_inferred_json(&w, inf);
	dmasim__jw_kstr(&w, "verdict", dmasim_dma_verdict_name(r->verdict));
	dmasim__jw_kstr(&w, "fault", dmasim_fault_name(r->fault));
	dmasim__jw_obj_end(&w);
	dmasim__jw_end(&w);
}

int cmd_map(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "dir", required_argument, NULL, 'd' },
		{ "policy", required_argument, NULL, 'p' },
		{ "p2p", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dmasim_dma_result *res = NULL; /* large: on the heap */
	const char *policy_arg = NULL;
	const struct dmasim_device *dev = NULL, *prov = NULL;
	struct dmasim_dma_target tgt;
	struct dmasim_dma_ctx *ctx = NULL;
	struct dmasim_policy policy;
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	enum dmasim_dma_dir dir = DMASIM_DMA_BIDIRECTIONAL;
	uint64_t size = 4096, offset = 0;
	bool json = false, p2p = false, dir_given = false;
	int c, rc, nargs;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if ((rc = cli_parse_u64("map", "size", optarg, &size)))
				return rc;
			if (size == 0)
				return cli_usage("map", "--size must be at least 1");
			break;
		case 'd':
			dir = dmasim_dma_dir_parse(optarg);
			if (dir == DMASIM_DMA_DIR_COUNT)
				return cli_usage("map", "--dir is to_device, from_device or bidirectional, not '%s'",
						 optarg);
			dir_given = true;
			break;
		case 'p':
			if ((rc = cli_opt_once("map", "policy", &policy_arg, optarg)))
				return rc;
			break;
		case 'P':
			p2p = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("map", argv);
		}
	}
	nargs = argc - optind;
	if (!p2p && nargs != 3)
		return cli_usage("map", "expected TOPOLOGY DEVICE TARGET (or --p2p TOPOLOGY PROVIDER CLIENT [OFFSET])");
	if (p2p && (nargs < 3 || nargs > 4))
		return cli_usage("map", "expected --p2p TOPOLOGY PROVIDER CLIENT [OFFSET]");
	if (p2p && dir_given)
		return cli_usage("map", "--dir does not apply to --p2p (P2P mappings are bidirectional)");
	if (p2p && nargs == 4 &&
	    (rc = cli_parse_u64("map", "offset", argv[optind + 3], &offset)))
		return rc;
	if ((rc = cli_load_policy(cli, policy_arg, &policy)))
		return rc;
	if ((rc = cli_load_topo(cli, argv[optind], &t)))
		return rc;
	dmasim_error_init(&err);
	rc = CLI_USAGE;
	if (p2p) {
		prov = cli_find_device(t, "map", argv[optind + 1]);
		dev = prov ? cli_find_device(t, "map", argv[optind + 2]) : NULL;
		if (!dev)
			goto out;
	} else {
		dev = cli_find_device(t, "map", argv[optind + 1]);
		if (!dev)
			goto out;
		if (dmasim_dma_target_parse(t, argv[optind + 2], &tgt, &err) != DMASIM_OK ||
		    dmasim_dma_target_fits(&tgt, size, &err) != DMASIM_OK) {
			cli_usage("map", "%s", err.msg);
			goto out;
		}
		if (tgt.phys + size - 1 < tgt.phys) {
			cli_usage("map", "0x%llx + %llu bytes wraps past 2^64",
				  ull(tgt.phys), ull(size));
			goto out;
		}
	}
	if (dmasim_dma_ctx_create(t, &policy, &ctx, &err) != DMASIM_OK) {
		cli_print_error(&err);
		goto out;
	}
	if (!(res = calloc(1, sizeof(*res)))) {
		fprintf(stderr, "dmasim map: out of memory\n");
		goto out;
	}
	if (p2p)
		c = dmasim_dma_p2p_map(ctx, prov, dev, offset, size, res, &err);
	else
		c = dmasim_dma_map_resource(ctx, dev, tgt.phys, size, dir, res, &err);
	if (c != DMASIM_OK) {
		if (c == DMASIM_EINVAL)
			cli_usage("map", "%s", err.msg);
		else
			cli_print_error(&err);
		goto out;
	}
	{
		/* the inferred values the mapping and its route rest on */
		struct cli_inferred inf = { 0 };
		if (res->p2p)
			cli_inferred_pair(&inf, res->provider, res->dev, res->map_type);
		cli_inferred_landing(&inf, &res->target);
		if (res->routed)
			cli_inferred_route(&inf, dmasim_topo_machine(t), res->dev, &res->route);
		if (json)
			print_json(t, &policy, res, &inf);
		else
			print_text(t, &policy, res, &inf);
	}
	rc = res->verdict == DMASIM_DMA_VERDICT_OK ? CLI_OK : CLI_FAIL;
out:
	free(res);
	dmasim_dma_ctx_destroy(ctx);
	dmasim_topo_destroy(t);
	return rc;
}
