/* dmasim route -- where a device's memory request lands, hop by hop. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim route - route a device's memory request through the fabric\n"
"\n"
"SYNOPSIS\n"
"    dmasim route TOPOLOGY DEVICE ADDRESS [--size N] [--write|--read] [--json]\n"
"\n"
"DESCRIPTION\n"
"    Follows a memory request (TLP) that DEVICE (a name or a BDF) issues to\n"
"    the PCI bus address ADDRESS, using the fabric routing rules of\n"
"    docs/fabric.md: ACS Request Redirect, Egress Control and Upstream\n"
"    Forwarding at switch downstream ports, peer-to-peer between sibling\n"
"    ports, the IOMMU (by the device's domain) or the host bridge's inbound\n"
"    dma_ranges at the root complex, the CPU memory map (RAM, MSI,\n"
"    host-bridge windows, root-complex P2P per root_complex.p2p) and the\n"
"    bridge windows down to a BAR.\n"
"\n"
"    The first line is where it lands: 'gpu0.bar1 + 0x1000', 'ram 0x1000'\n"
"    or an error kind (unsupported-request, iommu-fault, rc-p2p-blocked,\n"
"    msi-write, outside-inbound-window), followed by the CPU address when one\n"
"    applies.  Then one line per hop: the port (BDF and name) or the root\n"
"    complex (host-bridge name), what happened there, and the address (with\n"
"    the translated address where it changed).  A fault ends with a\n"
"    'why:' line.\n"
"\n"
"    The IOMMU page tables start empty, so on a device in a DMA domain every\n"
"    address is an unmapped IOVA (iommu-fault); mappings come from the DMA\n"
"    operations of a suite (dmasim check).  Behind VT-d or AMD-Vi the MSI\n"
"    window (0xfee00000-0xfeefffff on x86_64) is not an IOVA: the IOMMU takes\n"
"    a request there as an interrupt (msi-write), mapped or not.\n"
"\n"
"OPTIONS\n"
"    --size N    bytes in the request (default 4); a request that straddles\n"
"                the end of a BAR or window is unsupported-request\n"
"    --write     a memory write (default)\n"
"    --read      a memory read (the IOMMU checks read permission)\n"
"    --json      one JSON document: landing, cpu, fault, why, hops\n"
"    -h, --help  this text\n"
"\n"
"EXIT STATUS\n"
"    0 it lands on a BAR or in RAM; 1 it ends in an error kind; 2 bad input\n"
"    (unknown device, bad number, invalid topology: FILE:LINE:COLUMN).\n"
"\n"
"EXAMPLE\n"
"    dmasim route topologies/x86_64/skylake-plx.yaml gpu0 0x38400001000\n";

static void print_text(const struct dmasim_route *r)
{
	char land[160];

	dmasim_landing_snprintf(land, sizeof(land), &r->land);
	printf("lands: %s", CLI_TEXT(land));
	if (r->land.has_cpu)
		printf(" (cpu 0x%llx)", (unsigned long long)r->land.cpu);
	putchar('\n');
	cli_print_hops(r, "  ");
	if (r->land.kind == DMASIM_LAND_FAULT)
		printf("why: %s\n", CLI_TEXT(r->why));
}

static void print_json(const struct dmasim_route *r,
		       const struct dmasim_device *from, uint64_t addr,
		       uint64_t size, bool write)
{
	char land[160];
	struct jw w;

	dmasim_landing_snprintf(land, sizeof(land), &r->land);
	cli_json_begin(&w, true, "route");
	dmasim__jw_kstr(&w, "from", from->name);
	dmasim__jw_kstr(&w, "bdf", from->bdf);
	dmasim__jw_khex(&w, "addr", addr);
	dmasim__jw_khex(&w, "size", size);
	dmasim__jw_kbool(&w, "write", write);
	dmasim__jw_kstr(&w, "lands", land);
	dmasim__jw_kstr(&w, "kind", r->land.kind == DMASIM_LAND_BAR ? "bar"
			    : r->land.kind == DMASIM_LAND_RAM ? "ram" : "fault");
	if (r->land.kind == DMASIM_LAND_BAR) {
		dmasim__jw_kstr(&w, "device", r->land.dev->name);
		dmasim__jw_kint(&w, "bar", r->land.bar->index);
		dmasim__jw_khex(&w, "offset", r->land.offset);
	}
	dmasim__jw_key(&w, "cpu");
	if (r->land.has_cpu)
		dmasim__jw_hex(&w, r->land.cpu);
	else
		dmasim__jw_null(&w);
	dmasim__jw_kstr(&w, "fault", r->land.kind == DMASIM_LAND_FAULT
			     ? dmasim_fault_name(r->land.fault) : NULL);
	dmasim__jw_kstr(&w, "why", r->land.kind == DMASIM_LAND_FAULT ? r->why : NULL);
	cli_json_hops(&w, r);
	dmasim__jw_obj_end(&w);
	dmasim__jw_end(&w);
}

int cmd_route(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "write", no_argument, NULL, 'w' },
		{ "read", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct dmasim_device *dev;
	struct dmasim_topo *t;
	struct dmasim_route r;
	uint64_t addr, size = 4;
	bool json = false, write = true;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if ((rc = cli_parse_u64("route", "size", optarg, &size)))
				return rc;
			if (size == 0)
				return cli_usage("route", "--size must be at least 1");
			break;
		case 'w':
			write = true;
			break;
		case 'r':
			write = false;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("route", argv);
		}
	}
	if (optind + 3 != argc)
		return cli_usage("route", "expected TOPOLOGY DEVICE ADDRESS");
	if ((rc = cli_parse_u64("route", "address", argv[optind + 2], &addr)))
		return rc;
	if (addr + size - 1 < addr)
		return cli_usage("route", "the request at 0x%llx of %llu bytes wraps past 2^64",
				 (unsigned long long)addr, (unsigned long long)size);
	if ((rc = cli_load_topo(cli, argv[optind], &t)))
		return rc;
	dev = cli_find_device(t, "route", argv[optind + 1]);
	if (!dev) {
		dmasim_topo_destroy(t);
		return CLI_USAGE;
	}
	if (dmasim_route(t, NULL, dev, addr, size, write, &r) != DMASIM_OK) {
		dmasim_topo_destroy(t);
		return cli_usage("route", "cannot route this request");
	}
	if (json)
		print_json(&r, dev, addr, size, write);
	else
		print_text(&r);
	rc = r.land.kind == DMASIM_LAND_FAULT ? CLI_FAIL : CLI_OK;
	dmasim_topo_destroy(t);
	return rc;
}
