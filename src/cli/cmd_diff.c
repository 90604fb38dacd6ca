/* dmasim diff -- what changes between two policies. */
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
"    dmasim diff - every pair whose decision changes between two policies\n"
"\n"
"SYNOPSIS\n"
"    dmasim diff --policy A --policy B [--json] TOPOLOGY...\n"
"\n"
"DESCRIPTION\n"
"    For each TOPOLOGY and every ordered pair of endpoints (provider, client),\n"
"    computes the map type and distance under policy A and under policy B;\n"
"    when the provider offers p2pmem it also maps 4 KiB for the client under\n"
"    each and judges the result (sound, unsound, conservative; see 'dmasim\n"
"    audit').  Prints the pairs where any of these differ, so that a policy\n"
"    change can be reviewed before it ships, e.g. linux-4.20 vs linux-6.12.\n"
"    Suite files among the TOPOLOGY arguments are skipped (so that a glob\n"
"    such as topologies/x86_64/*.yaml works).  On a terminal, large runs\n"
"    show their progress on stderr.\n"
"\n"
"OPTIONS\n"
"    --policy P  given twice: a built-in policy or a policy file\n"
"    --json      one JSON document\n"
"    -h, --help  this text\n"
"\n"
"EXIT STATUS\n"
"    0 compared (whether or not anything changed); 2 bad input.\n";

static void state(char *buf, size_t size, const struct dmasim_pair_report *p)
{
	int n = snprintf(buf, size, "%s/%d", dmasim_map_type_name(p->map_type), p->distance);

	if (p->mapped && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " (%s)", dmasim_verdict_name(p->verdict));
}

static bool differ(const struct dmasim_pair_report *a, const struct dmasim_pair_report *b)
{
	return a->map_type != b->map_type || a->distance != b->distance ||
	       (a->mapped && a->verdict != b->verdict);
}

int cmd_diff(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *names[2] = { NULL, NULL };
	struct dmasim_policy pol[2];
	size_t npol = 0, changed = 0, total = 0, i, j;
	bool json = false;
	struct jw w;
	int c, rc, k;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (npol == 2)
				return cli_usage("diff", "--policy is given exactly twice");
			names[npol++] = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_usage("diff", "unknown option");
		}
	}
	if (npol != 2)
		return cli_usage("diff", "give two policies: --policy A --policy B");
	if (optind >= argc)
		return cli_usage("diff", "no TOPOLOGY given");
	for (k = 0; k < 2; k++)
		if ((rc = cli_load_policy(cli, names[k], &pol[k])))
			return rc;
	if (json) {
		dmasim__jw_init(&w, stdout, true);
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kstr(&w, "a", pol[0].name);
		dmasim__jw_kstr(&w, "b", pol[1].name);
		dmasim__jw_key(&w, "changes");
		dmasim__jw_arr_begin(&w);
	} else {
		printf("diff %s -> %s\n", pol[0].name, pol[1].name);
	}
	for (; optind < argc; optind++) {
		const struct dmasim_device **eps;
		struct dmasim_topo *t;
		size_t n, here = 0;

		if (dmasim_suite_is_suite_file(argv[optind])) {
			fprintf(stderr, "dmasim diff: skipping %s: a suite, not a topology\n",
				argv[optind]);
			continue;
		}
		if ((rc = cli_load_topo(cli, argv[optind], &t)))
			return rc;
		n = cli_endpoints(t, &eps);
		for (i = 0; i < n; i++, cli_progress("diff", i * n, n * n))
			for (j = 0; j < n; j++) {
				struct dmasim_pair_report r[2];
				char sa[96], sb[96];

				if (i == j)
					continue;
				total++;
				if (dmasim_pair_report(t, &pol[0], eps[i], eps[j], &r[0], NULL) ||
				    dmasim_pair_report(t, &pol[1], eps[i], eps[j], &r[1], NULL) ||
				    !differ(&r[0], &r[1]))
					continue;
				changed++;
				state(sa, sizeof(sa), &r[0]);
				state(sb, sizeof(sb), &r[1]);
				if (json) {
					dmasim__jw_obj_begin(&w);
					dmasim__jw_kstr(&w, "topology", argv[optind]);
					dmasim__jw_kstr(&w, "provider", eps[i]->name);
					dmasim__jw_kstr(&w, "client", eps[j]->name);
					dmasim__jw_kstr(&w, "a", sa);
					dmasim__jw_kstr(&w, "b", sb);
					dmasim__jw_obj_end(&w);
				} else {
					if (!here++)
						printf("%s\n", argv[optind]);
					printf("  %s -> %s: %s => %s\n", eps[i]->name, eps[j]->name,
					       sa, sb);
				}
			}
		free(eps);
		dmasim_topo_destroy(t);
	}
	if (json) {
		dmasim__jw_arr_end(&w);
		dmasim__jw_kint(&w, "pairs", (long long)total);
		dmasim__jw_kint(&w, "changed", (long long)changed);
		dmasim__jw_obj_end(&w);
		dmasim__jw_end(&w);
	} else {
		printf("%zu of %zu pairs change\n", changed, total);
	}
	return CLI_OK;
}
