/* dmasim dot -- a Graphviz picture of the machine, and of one route. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "dmasim/dma.h"

static const char help[] =
"NAME\n"
"    dmasim dot - draw a topology (and a request's route) for Graphviz\n"
"\n"
"SYNOPSIS\n"
"    dmasim dot TOPOLOGY [--path DEVICE ADDRESS | --p2p PROVIDER CLIENT]\n"
"                        [--policy P]\n"
"\n"
"DESCRIPTION\n"
"    Writes a Graphviz DOT graph of the machine to standard output: host\n"
"    bridges (bus range, windows with offsets), ports and endpoints (BDF,\n"
"    type, IDs; windows and BARs in the label and on hover).  Ports whose ACS\n"
"    control redirects peer-to-peer requests (RR) are drawn double-bordered\n"
"    and orange and say 'ACS RR'.\n"
"\n"
"    --path DEVICE ADDRESS routes a memory write of DEVICE to ADDRESS (as\n"
"    the device puts it on the bus) through the fabric and draws the route\n"
"    hop by hop: numbered edges labelled with what each hop did.  The colour\n"
"    is the verdict: green, direct peer-to-peer (a BAR reached without the\n"
"    root complex); blue, to RAM; orange, through the root complex; red, the\n"
"    request faults (invalid address, IOMMU fault, ...).\n"
"\n"
"    --p2p PROVIDER CLIENT maps 4 KiB of PROVIDER's p2pmem for CLIENT as\n"
"    the policy's kernel does (as 'dmasim map --p2p') and draws the route\n"
"    of CLIENT's write to the DMA address it was given, coloured by the\n"
"    verdict: green, direct peer-to-peer through a switch; orange, through\n"
"    the root complex; red, refused or an invalid address (the write lands\n"
"    anywhere but the p2pmem).  Render with, for example:\n"
"        dmasim dot t.yaml --p2p nvme0 gpu0 | dot -Tsvg > p2p.svg\n"
"\n"
"OPTIONS\n"
"    --path DEVICE ADDRESS  draw this request's route\n"
"    --p2p PROVIDER CLIENT  draw this P2P pair's route and verdict\n"
"    --policy P             a built-in policy or a policy file (for --p2p;\n"
"                           default linux-6.12)\n"
"    -h, --help             this text\n"
"\n"
"EXIT STATUS\n"
"    0 written; 2 bad topology, device, address or usage.\n";

#define C_DIRECT "#1a9850"
#define C_RAM "#2166ac"
#define C_RC "#e66101"
#define C_FAULT "#d7191c"

/* @s (a name from the input) as the inside of a DOT double-quoted string
 * that Graphviz shows as cli_text() prints it: control characters and
 * bytes that are not UTF-8 as \xNN, '"' and '\' escaped (so no name ends
 * the string or becomes an escString such as \N or \l), '&' as &amp;
 * (Graphviz reads entities in plain labels).  '<', '>', '{', '}' and '|'
 * need nothing in a quoted label of a non-record shape, the only kind
 * drawn here.  Truncated with "..." when it does not fit @size. */
static const char *dot_text(char *buf, size_t size, const char *s)
{
	char plain[CLI_TEXT_MAX];
	size_t len = 0, i;

	cli_text(plain, sizeof(plain), s ? s : "");
	for (i = 0; plain[i]; i++) {
		const char *put = plain[i] == '"' ? "\\\"" : plain[i] == '\\' ? "\\\\"
				: plain[i] == '&' ? "&amp;" : NULL;
		size_t n = put ? strlen(put) : 1;

		if (len + n + 4 > size) {
			memcpy(buf + len, "...", 4);
			return buf;
		}
		memcpy(buf + len, put ? put : &plain[i], n);
		len += n;
	}
	buf[len] = '\0';
	return buf;
}
#define DOT_TEXT_MAX (5 * CLI_TEXT_MAX)
#define DOT_TEXT(s) dot_text((char[DOT_TEXT_MAX]){ 0 }, DOT_TEXT_MAX, (s))

static void node_id(char *buf, size_t n, const struct dmasim_device *d,
		    const struct dmasim_host_bridge *h)
{
	if (d)
		snprintf(buf, n, "d%u", d->id);
	else if (h)
		snprintf(buf, n, "hb%u", h->id);
	else
		snprintf(buf, n, "ram");
}

static void win_text(char *buf, size_t n, const struct dmasim_device *d)
{
	size_t len = 0;
	int k;

	buf[0] = '\0';
	for (k = 0; k < DMASIM_WIN_KIND_COUNT && len < n; k++)
		if (d->windows[k].present)
			len += (size_t)snprintf(buf + len, n - len, "\\n%s [0x%llx-0x%llx]%s",
				dmasim_win_kind_name((enum dmasim_win_kind)k),
				(unsigned long long)d->windows[k].base,
				(unsigned long long)d->windows[k].limit,
				d->windows[k].derived ? " (derived)" : "");
}

static void bar_text(char *buf, size_t n, const struct dmasim_device *d)
{
	size_t len = 0, i;

	buf[0] = '\0';
	for (i = 0; i < d->nbars && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "\\nBAR%u 0x%llx +0x%llx%s%s",
			d->bars[i].index, (unsigned long long)d->bars[i].bus,
			(unsigned long long)d->bars[i].size, d->bars[i].pref ? " pref" : "",
			d->bars[i].p2pmem ? " p2pmem" : "");
}

static void draw_machine(const struct dmasim_machine *m, const bool *on_route,
			 const char *colour)
{
	char win[512], bars[512], acs[64];
	size_t i, j;

	printf("  ram [label=\"CPU / RAM\\n%s\", shape=ellipse];\n",
	       dmasim_arch_name(m->arch));
	for (i = 0; i < m->nhost_bridges; i++) {
		const struct dmasim_host_bridge *h = &m->host_bridges[i];
		size_t len = 0;

		win[0] = '\0';
		for (j = 0; j < h->nwindows && len < sizeof(win); j++)
			len += (size_t)snprintf(win + len, sizeof(win) - len,
				"\\n%s cpu 0x%llx bus 0x%llx +0x%llx",
				dmasim_win_kind_name(h->windows[j].kind),
				(unsigned long long)h->windows[j].cpu,
				(unsigned long long)h->windows[j].bus,
				(unsigned long long)h->windows[j].size);
		printf("  hb%zu [label=\"%s (root complex)\\nsegment %04x buses %02x-%02x%s%s%s\", shape=box3d%s%s%s];\n",
		       i, DOT_TEXT(h->name), h->segment, h->bus_first, h->bus_last,
		       h->iommu ? "\\niommu " : "", h->iommu ? DOT_TEXT(h->iommu->name) : "", win,
		       on_route[m->ndevices + i] ? ", penwidth=3, color=\"" : "",
		       on_route[m->ndevices + i] ? colour : "",
		       on_route[m->ndevices + i] ? "\"" : "");
		printf("  ram -> hb%zu [dir=none, color=gray];\n", i);
	}
	for (i = 0; i < m->ndevices; i++) {
		const struct dmasim_device *d = &m->devices[i];
		bool rr = d->has_acs && (d->acs_ctrl & DMASIM_ACS_RR) &&
			  d->type != DMASIM_DEV_ENDPOINT;

		win_text(win, sizeof(win), d);
		bar_text(bars, sizeof(bars), d);
		acs[0] = '\0';
		if (d->has_acs)
			dmasim_acs_snprintf(acs, sizeof(acs), d->acs_ctrl);
		printf("  d%zu [label=\"%s\\n%s %s [%04x:%04x]%s%s%s%s\", tooltip=\"%s%s%s\"",
		       i, DOT_TEXT(d->name), d->bdf + 5, dmasim_dev_type_name(d->type), d->vendor,
		       d->device_id, rr ? "\\nACS RR (" : "", rr ? acs : "", rr ? ")" : "",
		       win, d->bdf, win, bars);
		if (d->type == DMASIM_DEV_ENDPOINT)
			printf(", shape=box, style=rounded");
		if (rr)
			printf(", peripheries=2, color=\"#b35806\", fontcolor=\"#b35806\"");
		if (on_route[i])
			printf(", penwidth=3, color=\"%s\"", colour);
		printf("];\n");
		if (d->parent)
			printf("  d%u -> d%zu [dir=none, color=gray];\n", d->parent->id, i);
		else
			printf("  hb%u -> d%zu [dir=none, color=gray];\n", d->hb->id, i);
	}
}

int cmd_dot(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "path", required_argument, NULL, 'p' },
		{ "p2p", required_argument, NULL, 'q' },
		{ "policy", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dmasim_route *r = NULL, *own_route = NULL; /* large: on the heap */
	struct dmasim_dma_result *res = NULL;
	const char *path_dev = NULL, *p2p_prov = NULL, *policy_arg = NULL, *second = NULL;
	const char *colour = C_DIRECT, *verdict = NULL, *topo_path = NULL;
	const struct dmasim_device *from = NULL, *to = NULL;
	const struct dmasim_machine *m;
	struct dmasim_policy policy;
	struct dmasim_topo *t;
	char land[160], title[512], prev[24], cur[24];
	bool on_route[4096 + 64] = { false }, via_rc = false;
	uint64_t addr = 0;
	size_t i, k = 0;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if ((rc = cli_opt_once("dot", "path", &path_dev, optarg)))
				return rc;
			break;
		case 'q':
			if ((rc = cli_opt_once("dot", "p2p", &p2p_prov, optarg)))
				return rc;
			break;
		case 'P':
			if ((rc = cli_opt_once("dot", "policy", &policy_arg, optarg)))
				return rc;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("dot", argv);
		}
	}
	/* --path DEVICE ADDRESS and --p2p PROVIDER CLIENT take a second
	 * operand; with the topology that leaves one or two operands. */
	if (path_dev && p2p_prov)
		return cli_usage("dot", "give --path or --p2p, not both");
	if (path_dev || p2p_prov) {
		if (argc - optind != 2)
			return cli_usage("dot", "expected TOPOLOGY and the second operand of --path/--p2p");
		/* getopt permutes: the operands are in order after options. */
		topo_path = argv[optind];
		second = argv[optind + 1];
		/* Either order: the operand that names a file is the topology. */
		if (access(topo_path, F_OK) != 0 && access(second, F_OK) == 0) {
			second = argv[optind];
			topo_path = argv[optind + 1];
		}
	} else {
		if (argc - optind != 1)
			return cli_usage("dot", "expected one TOPOLOGY");
		topo_path = argv[optind];
	}
	if (policy_arg && !p2p_prov)
		return cli_usage("dot", "--policy decides a --p2p mapping: give --p2p PROVIDER too");
	if (p2p_prov && (rc = cli_load_policy(cli, policy_arg, &policy)))
		return rc;
	if ((rc = cli_load_topo(cli, topo_path, &t)))
		return rc;
	m = dmasim_topo_machine(t);
	if (m->ndevices + m->nhost_bridges > sizeof(on_route) / sizeof(on_route[0])) {
		dmasim_topo_destroy(t);
		return cli_usage("dot", "topology too large to draw");
	}
	if (path_dev) {
		if (!(from = cli_find_device(t, "dot", path_dev)) ||
		    cli_parse_u64("dot", "ADDRESS", second, &addr)) {
			dmasim_topo_destroy(t);
			return CLI_USAGE;
		}
	} else if (p2p_prov) {
		if (!(to = cli_find_device(t, "dot", p2p_prov)) ||
		    !(from = cli_find_device(t, "dot", second))) {
			dmasim_topo_destroy(t);
			return CLI_USAGE;
		}
	}
	if (to) {
		/* The mapping the policy's kernel makes, verified as in dmasim map. */
		struct dmasim_dma_ctx *ctx = NULL;

		res = calloc(1, sizeof(*res));
		if (!res || dmasim_dma_ctx_create(t, &policy, &ctx, NULL) ||
		    dmasim_dma_p2p_map(ctx, to, from, 0, 4096, res, NULL)) {
			free(res);
			dmasim_dma_ctx_destroy(ctx);
			dmasim_topo_destroy(t);
			return cli_usage("dot", "%s has no p2pmem BAR to map for %s", to->name,
					 from->name);
		}
		r = &res->route;
		for (i = 0; i < r->nhops; i++)
			if (!r->hops[i].dev && r->hops[i].hb)
				via_rc = true;
		if (res->routed)
			dmasim_landing_snprintf(land, sizeof(land), &r->land);
		else
			snprintf(land, sizeof(land), "no DMA");
		colour = res->verdict != DMASIM_DMA_VERDICT_OK ? C_FAULT : via_rc ? C_RC : C_DIRECT;
		if (res->mapping_error)
			snprintf(title, sizeof(title), "P2P %s -> %s (%s): %s, refused (%s)",
				 from->name, to->name, policy.name, dmasim_map_type_name(res->map_type),
				 dmasim_dma_reason_name(res->reason));
		else
			snprintf(title, sizeof(title), "P2P %s -> %s (%s): %s, %s dma 0x%llx lands %s: %s",
				 from->name, to->name, policy.name, dmasim_map_type_name(res->map_type),
				 dmasim_dma_path_name(res->path), (unsigned long long)res->dma_addr,
				 land, dmasim_dma_verdict_name(res->verdict));
		if (!res->routed)
			r->nhops = 0;
		dmasim_dma_ctx_destroy(ctx);
	} else if (from) {
		if (!(r = own_route = calloc(1, sizeof(*r)))) {
			dmasim_topo_destroy(t);
			fprintf(stderr, "dmasim dot: out of memory\n");
			return CLI_USAGE;
		}
		dmasim_route(t, NULL, from, addr, 1, true, r);
		for (i = 0; i < r->nhops; i++)
			if (!r->hops[i].dev && r->hops[i].hb)
				via_rc = true;
		dmasim_landing_snprintf(land, sizeof(land), &r->land);
		if (r->land.kind == DMASIM_LAND_FAULT) {
			colour = C_FAULT;
			verdict = "fault";
		} else if (r->land.kind == DMASIM_LAND_RAM) {
			colour = C_RAM;
			verdict = "to RAM";
		} else if (via_rc) {
			colour = C_RC;
			verdict = "through the root complex";
		} else {
			verdict = "direct P2P";
		}
		snprintf(title, sizeof(title), "%s writes 0x%llx: %s (%s)", from->name,
			 (unsigned long long)addr, land, verdict);
	}
	if (from) {
		on_route[from->id] = true;
		for (i = 0; i < r->nhops; i++)
			on_route[r->hops[i].dev ? r->hops[i].dev->id
					       : m->ndevices + (r->hops[i].hb ? r->hops[i].hb->id : 0)] = true;
		if (r->land.kind == DMASIM_LAND_BAR && r->land.dev)
			on_route[r->land.dev->id] = true;
	}
	printf("digraph dmasim {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
	       "  edge [fontname=\"Helvetica\", fontsize=9];\n");
	if (from) {
		printf("  labelloc=t;\n  label=\"%s\";\n  fontcolor=\"%s\";\n", DOT_TEXT(title), colour);
	} else {
		printf("  labelloc=t;\n  label=\"%s\";\n", DOT_TEXT(m->name && m->name[0] ? m->name : m->file));
	}
	draw_machine(m, on_route, colour);
	if (from) {
		node_id(prev, sizeof(prev), from, NULL);
		for (i = 0; i < r->nhops; i++) {
			const struct dmasim_hop *h = &r->hops[i];
			node_id(cur, sizeof(cur), h->dev, h->hb);
			if (strcmp(cur, prev) != 0) {
				printf("  %s -> %s [color=\"%s\", penwidth=2.5, constraint=false, label=\"%zu\", fontcolor=\"%s\"];\n",
				       prev, cur, colour, ++k, colour);
				snprintf(prev, sizeof(prev), "%s", cur);
			}
			if (h->action != DMASIM_HOP_UP && h->action != DMASIM_HOP_DOWN)
				printf("  a%zu [shape=note, fontsize=8, label=\"%zu: %s\", color=\"%s\"];\n  %s -> a%zu [style=dotted, arrowhead=none, color=\"%s\"];\n",
				       i, i + 1, dmasim_hop_action_name(h->action), colour, cur, i, colour);
		}
		if (r->land.kind == DMASIM_LAND_BAR && r->land.dev)
			node_id(cur, sizeof(cur), r->land.dev, NULL);
		else if (r->land.kind == DMASIM_LAND_RAM)
			snprintf(cur, sizeof(cur), "ram");
		else
			cur[0] = '\0';
		if (cur[0] && strcmp(cur, prev) != 0)
			printf("  %s -> %s [color=\"%s\", penwidth=2.5, constraint=false, label=\"%zu\", fontcolor=\"%s\"];\n",
			       prev, cur, colour, ++k, colour);
	}
	printf("}\n");
	free(own_route);
	free(res);
	dmasim_topo_destroy(t);
	return CLI_OK;
}
