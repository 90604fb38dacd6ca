/* dmasim audit -- every p2pmem provider against every endpoint. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "dmasim/scenario.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim audit - find pairs where a policy is unsound or conservative\n"
"\n"
"SYNOPSIS\n"
"    dmasim audit [--policy NAME|FILE] [--all] [--json] TOPOLOGY\n"
"\n"
"DESCRIPTION\n"
"    For every endpoint that offers p2pmem (a provider) and every other\n"
"    endpoint (a client), runs the policy's P2P decision, maps 4 KiB of the\n"
"    provider's p2pmem for the client as that kernel would, and routes the\n"
"    client's write through the fabric.  Lists the pairs that are\n"
"\n"
"        UNSOUND       allowed, and the write lands anywhere but the target\n"
"        CONSERVATIVE  refused, while the hardware would route some address\n"
"                      (the target's bus address, its CPU address, an IOVA\n"
"                      of the client's IOMMU domain) to the target\n"
"\n"
"    and ends with a summary line.  On a terminal, large runs show their\n"
"    progress on stderr.\n"
"\n"
"OPTIONS\n"
"    --policy P  a built-in policy or a policy file; default linux-6.12\n"
"    --all       also list the sound pairs\n"
"    --json      one JSON document\n"
"    -h, --help  this text\n"
"\n"
"EXIT STATUS\n"
"    0 nothing unsound; 1 at least one unsound pair; 2 bad input.\n";

static void describe(char *buf, size_t size, const struct dmasim_pair_report *p)
{
	char land[160] = "no DMA";

	if (p->routed)
		dmasim_landing_snprintf(land, sizeof(land), &p->landed);
	if (p->mapping_error)
		snprintf(buf, size, "%s, %s: DMA_MAPPING_ERROR", dmasim_map_type_name(p->map_type),
			 dmasim_dma_path_name(p->path));
	else
		snprintf(buf, size, "%s, %s: dma 0x%llx lands %s",
			 dmasim_map_type_name(p->map_type), dmasim_dma_path_name(p->path),
			 (unsigned long long)p->dma_addr, land);
}

int cmd_audit(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy_name = "linux-6.12";
	size_t counts[DMASIM_VERDICT_COUNT] = { 0 }, n, i, j, pairs = 0;
	const struct dmasim_device **eps;
	struct dmasim_policy policy;
	struct dmasim_topo *t;
	bool json = false, all = false;
	struct jw w;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			policy_name = optarg;
			break;
		case 'a':
			all = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_usage("audit", "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage("audit", "expected one TOPOLOGY");
	if ((rc = cli_load_policy(cli, policy_name, &policy)) || (rc = cli_load_topo(cli, argv[optind], &t)))
		return rc;
	n = cli_endpoints(t, &eps);
	for (i = 0; i < n; i++)
		if (dmasim_dma_p2pmem_bar(eps[i]))
			pairs += n - 1;
	if ((rc = cli_check_pairs(cli, "audit", argv[optind], pairs))) {
		free(eps);
		dmasim_topo_destroy(t);
		return rc;
	}
	pairs = 0;
	if (json) {
		dmasim__jw_init(&w, stdout, true);
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kstr(&w, "topology", argv[optind]);
		dmasim__jw_kstr(&w, "policy", policy.name);
		dmasim__jw_key(&w, "pairs");
		dmasim__jw_arr_begin(&w);
	} else {
		printf("audit of %s under %s\n", CLI_TEXT(argv[optind]), CLI_TEXT(policy.name));
	}
	for (i = 0; i < n; i++) {
		cli_progress("audit", i * n, n * n);
		if (!dmasim_dma_p2pmem_bar(eps[i]))
			continue;
		for (j = 0; j < n; j++) {
			struct dmasim_pair_report p;
			struct dmasim_error err;
			char buf[400];

			if (i == j)
				continue;
			dmasim_error_init(&err);
			if (dmasim_pair_report(t, &policy, eps[i], eps[j], &p, &err)) {
				cli_print_error(&err);
				continue;
			}
			pairs++;
			counts[p.verdict]++;
			describe(buf, sizeof(buf), &p);
			if (json) {
				dmasim__jw_obj_begin(&w);
				dmasim__jw_kstr(&w, "provider", eps[i]->name);
				dmasim__jw_kstr(&w, "client", eps[j]->name);
				dmasim__jw_kstr(&w, "verdict", dmasim_verdict_name(p.verdict));
				dmasim__jw_kstr(&w, "map_type", dmasim_map_type_name(p.map_type));
				dmasim__jw_kint(&w, "distance", p.distance);
				dmasim__jw_kstr(&w, "path", dmasim_dma_path_name(p.path));
				if (!p.mapping_error)
					dmasim__jw_khex(&w, "dma_addr", p.dma_addr);
				if (p.routed) {
					char land[160];
					dmasim_landing_snprintf(land, sizeof(land), &p.landed);
					dmasim__jw_kstr(&w, "lands", land);
				}
				dmasim__jw_obj_end(&w);
			} else if (all || p.verdict != DMASIM_VERDICT_SOUND) {
				printf("%-12s %s -> %s: %s\n",
				       p.verdict == DMASIM_VERDICT_UNSOUND ? "UNSOUND"
				       : p.verdict == DMASIM_VERDICT_CONSERVATIVE ? "CONSERVATIVE"
										  : "sound",
				       CLI_TEXT(eps[i]->name), CLI_TEXT(eps[j]->name), CLI_TEXT(buf));
			}
		}
	}
	cli_progress("audit", n * n, n * n);
	if (json) {
		dmasim__jw_arr_end(&w);
		dmasim__jw_key(&w, "summary");
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kint(&w, "pairs", (long long)pairs);
		for (i = 0; i < DMASIM_VERDICT_COUNT; i++)
			dmasim__jw_kint(&w, dmasim_verdict_name((enum dmasim_verdict)i), (long long)counts[i]);
		dmasim__jw_obj_end(&w);
		dmasim__jw_obj_end(&w);
		dmasim__jw_end(&w);
	} else {
		printf("summary: %zu pairs: %zu sound, %zu unsound, %zu conservative\n", pairs,
		       counts[DMASIM_VERDICT_SOUND], counts[DMASIM_VERDICT_UNSOUND],
		       counts[DMASIM_VERDICT_CONSERVATIVE]);
	}
	free(eps);
	dmasim_topo_destroy(t);
	return counts[DMASIM_VERDICT_UNSOUND] ? CLI_FAIL : CLI_OK;
}
