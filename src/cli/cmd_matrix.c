/* dmasim matrix -- the all-pairs P2P table of endpoints (like nvidia-smi topo -m). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim matrix - the kernel's P2P decision for every pair of endpoints\n"
"\n"
"SYNOPSIS\n"
"    dmasim matrix [--policy NAME|FILE] [--style kernel|nvidia]\n"
"                  [--devices GLOB,...] [--all] [--json] TOPOLOGY\n"
"\n"
"DESCRIPTION\n"
"    Prints a table like 'nvidia-smi topo -m': one row per provider (the\n"
"    target: its BAR is written), one column per client (the initiator of\n"
"    the DMA), each cell the map type and distance that the policy's\n"
"    kernel computes (calc_map_type_and_dist, or the policy's equivalent).\n"
"    ('dmasim diff' lists the same pairs as INITIATOR -> TARGET.)  Cells:\n"
"\n"
"        BUSn  bus_addr: peer-to-peer through a switch, distance n\n"
"        HBn   thru_host_bridge: through the root complex, distance n\n"
"        NS    not_supported: the kernel refuses the pair\n"
"\n"
"    (seed-2018 has no distance: its cells show HB or NS alone.)\n"
"\n"
"    A cell marked '*' rests on a value the topology marks inferred (an\n"
"    import guessed it; docs/topology.md, 'inferred:'): a port type on the\n"
"    pair's upstream walks, the P2P routing of a root complex the request\n"
"    turns in.  The legend names each such value with the number of cells\n"
"    that rest on it.\n"
"\n"
"OPTIONS\n"
"    --policy P  a built-in policy ('dmasim policy list'; default\n"
"                linux-6.12) or a policy file\n"
"    --style S   kernel (default): the kernel's view alone; nvidia: each\n"
"                cell also gives the code 'nvidia-smi topo -m' would print\n"
"                for the pair, as CODE/KERNEL (e.g. PIX/BUS4, SYS/NS):\n"
"                X the same device, PIX at most one bridge (a switch counts\n"
"                once), PXB several bridges, PHB through the host bridge,\n"
"                NODE between host bridges of one NUMA node (or unknown),\n"
"                SYS across NUMA nodes or sockets (docs/topology.md)\n"
"    --devices G rows and columns only for the endpoints whose name or BDF\n"
"                matches one of the comma-separated globs G (fnmatch)\n"
"    --all       keep host-bridge functions (class 0x0600), which are\n"
"                left out by default\n"
"    --json      {\"endpoints\": [...], \"map_type\": [[...]], \"distance\": [[...]]}\n"
"                and, with --style nvidia, \"link\": [[...]] (the codes);\n"
"                when any cell rests on inferred values, \"inferred\":\n"
"                [[bool]] and \"inferred_values\": [{\"value\", \"cells\"}]\n"
"    -h, --help  this text\n"
"\n"
"EXIT STATUS\n"
"    0 printed; 2 bad input.\n";

/* One cell: the policy's answer for provider row, client column, and
 * whether it rests on an inferred value (cli_inferred_path: the map type
 * does not look at p2pmem). */
struct mcell {
	enum dmasim_map_type map;
	int dist;
	bool inferred;
};

static void print_json(const char *file, const char *policy, const struct dmasim_device **eps,
		       size_t n, const struct mcell *cells, const struct cli_inferred_tally *tally,
		       bool nvidia)
{
	struct jw w;
	size_t i, j;
	int pass;

	cli_json_begin(&w, false, "matrix");
	dmasim__jw_kstr(&w, "topology", file);
	dmasim__jw_kstr(&w, "policy", policy);
	dmasim__jw_key(&w, "endpoints");
	dmasim__jw_arr_begin(&w);
	for (i = 0; i < n; i++)
		dmasim__jw_str(&w, eps[i]->name);
	dmasim__jw_arr_end(&w);
	for (pass = 0; pass < 4; pass++) {
		static const char *const key[] = { "map_type", "distance", "link", "inferred" };
		if ((pass == 2 && !nvidia) || (pass == 3 && !tally->n))
			continue;
		dmasim__jw_key(&w, key[pass]);
		dmasim__jw_arr_begin(&w);
		for (i = 0; i < n; i++) {
			dmasim__jw_arr_begin(&w);
			for (j = 0; j < n; j++) {
				const struct mcell *m = &cells[i * n + j];
				if (pass == 0)
					dmasim__jw_str(&w, dmasim_map_type_name(m->map));
				else if (pass == 1)
					dmasim__jw_int(&w, m->dist);
				else if (pass == 2)
					dmasim__jw_str(&w, dmasim_device_link_code(eps[i], eps[j]));
				else
					dmasim__jw_bool(&w, m->inferred);
			}
			dmasim__jw_arr_end(&w);
		}
		dmasim__jw_arr_end(&w);
	}
	if (tally->n) {
		dmasim__jw_key(&w, "inferred_values");
		dmasim__jw_arr_begin(&w);
		for (i = 0; i < tally->n; i++) {
			dmasim__jw_obj_begin(&w);
			dmasim__jw_kstr(&w, "value", tally->v[i].text);
			dmasim__jw_kint(&w, "cells", (long long)tally->v[i].count);
			dmasim__jw_obj_end(&w);
		}
		dmasim__jw_arr_end(&w);
	}
	dmasim__jw_obj_end(&w);
	dmasim__jw_end(&w);
}

static void print_text(const char *file, const char *policy, const struct dmasim_device **eps,
		       size_t n, const struct mcell *cells, const struct cli_inferred_tally *tally,
		       size_t ninferred, bool nvidia, size_t width)
{
	char buf[32], both[48];
	size_t i, j;

	printf("%s under %s (rows: provider, the target; columns: client, the initiator)\n\n", CLI_TEXT(file), CLI_TEXT(policy));
	if (!n) {
		printf("(no endpoints)\n");
		return;
	}
	printf("%-*s", (int)width, "");
	for (j = 0; j < n; j++)
		printf("%-*s", (int)width, CLI_TEXT(eps[j]->name));
	putchar('\n');
	for (i = 0; i < n; i++) {
		printf("%-*s", (int)width, CLI_TEXT(eps[i]->name));
		for (j = 0; j < n; j++) {
			const struct mcell *m = &cells[i * n + j];
			cli_map_text(buf, sizeof(buf), m->map, m->dist);
			snprintf(both, sizeof(both), "%s%s%s%s", nvidia ? dmasim_device_link_code(eps[i], eps[j]) : "",
				 nvidia ? "/" : "", buf, m->inferred ? "*" : "");
			printf("%-*s", (int)width, both);
		}
		putchar('\n');
	}
	printf("\nLegend:\n"
	       "  BUSn = bus_addr: peer-to-peer through a switch, kernel distance n\n"
	       "  HBn  = thru_host_bridge: through the root complex, kernel distance n\n"
	       "  NS   = not_supported: the kernel refuses peer-to-peer DMA\n");
	if (nvidia)
		printf("  before the '/', nvidia-smi's code: X self, PIX at most one bridge,\n"
		       "  PXB several bridges, PHB through the host bridge, NODE between host\n"
		       "  bridges of one NUMA node, SYS across NUMA nodes or sockets\n");
	if (ninferred) {
		printf("  *    = %zu of %zu cells rest on values the topology marks inferred:\n",
		       ninferred, n * n);
		cli_inferred_tally_print(tally, "         ");
	}
}

int cmd_matrix(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "style", required_argument, NULL, 's' },
		{ "devices", required_argument, NULL, 'd' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy_name = NULL;
	const struct dmasim_device **eps;
	struct dmasim_policy policy;
	struct dmasim_topo *t;
	bool json = false, nvidia = false, all = false;
	const char *globs = NULL;
	struct cli_inferred_tally tally = { 0 };
	struct mcell *cells = NULL;
	size_t n, i, j, width, ninferred = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if ((rc = cli_opt_once("matrix", "policy", &policy_name, optarg)))
				return rc;
			break;
		case 'j':
			json = true;
			break;
		case 's':
			if (strcmp(optarg, "nvidia") != 0 && strcmp(optarg, "kernel") != 0)
				return cli_usage("matrix", "--style is kernel or nvidia");
			nvidia = strcmp(optarg, "nvidia") == 0;
			break;
		case 'd':
			if ((rc = cli_opt_once("matrix", "devices", &globs, optarg)))
				return rc;
			break;
		case 'a':
			all = true;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("matrix", argv);
		}
	}
	if (optind + 1 != argc)
		return cli_usage("matrix", "expected one TOPOLOGY");
	if (globs && (!*globs || *globs == ',' || strstr(globs, ",,") || globs[strlen(globs) - 1] == ','))
		return cli_usage("matrix", "--devices '%s' has an empty name (GLOB,GLOB,...)", globs);
	if ((rc = cli_load_policy(cli, policy_name, &policy)) || (rc = cli_load_topo(cli, argv[optind], &t)))
		return rc;
	if ((rc = cli_apply_policy(t, &policy))) {
		dmasim_topo_destroy(t);
		return rc;
	}
	n = cli_endpoints(t, &eps);   /* sets eps: read it only afterwards */
	n = cli_pick_endpoints(eps, n, globs, all);
	if (globs && n == 0) {
		fprintf(stderr, "dmasim matrix: --devices '%s' matches no endpoint of %s\n",
			CLI_TEXT(globs), CLI_TEXT(argv[optind]));
		free(eps);
		dmasim_topo_destroy(t);
		return CLI_USAGE;
	}
	if ((rc = cli_check_pairs(cli, "matrix", argv[optind], (uint64_t)n * n))) {
		free(eps);
		dmasim_topo_destroy(t);
		return rc;
	}
	if (!(cells = calloc(n ? n * n : 1, sizeof(*cells)))) {
		free(eps);
		dmasim_topo_destroy(t);
		return cli_usage("matrix", "out of memory");
	}
	for (i = 0; i < n; i++) {
		cli_progress("matrix", i * n, n * n);
		for (j = 0; j < n; j++) {
			struct mcell *m = &cells[i * n + j];
			struct cli_inferred inf = { 0 };
			m->map = dmasim_p2p_map_type(t, &policy, eps[i], eps[j], &m->dist, 0, NULL);
			cli_inferred_path(&inf, eps[i], eps[j], m->map);
			m->inferred = inf.n > 0;
			ninferred += m->inferred;
			if (cli_inferred_tally_add(&tally, &inf)) {
				rc = cli_usage("matrix", "out of memory");
				goto out;
			}
		}
	}
	width = nvidia ? 11 : 6;   /* "NODE/HB255" and a space */
	width += ninferred > 0;    /* the '*' */
	for (i = 0; i < n; i++)
		if (strlen(CLI_TEXT(eps[i]->name)) + 2 > width)
			width = strlen(CLI_TEXT(eps[i]->name)) + 2;
	if (json)
		print_json(argv[optind], policy.name, eps, n, cells, &tally, nvidia);
	else
		print_text(argv[optind], policy.name, eps, n, cells, &tally, ninferred, nvidia, width);
out:
	cli_progress("matrix", n * n, n * n);
	cli_inferred_tally_free(&tally);
	free(cells);
	free(eps);
	dmasim_topo_destroy(t);
	return rc;
}
