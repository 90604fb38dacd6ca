/* dmasim upstream -- the common upstream device of two devices, as a
 * policy's kernel finds it. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim upstream - the common upstream device of two devices\n"
"\n"
"SYNOPSIS\n"
"    dmasim upstream TOPOLOGY A B [--policy NAME|FILE] [--naive] [--json]\n"
"\n"
"DESCRIPTION\n"
"    Prints the device where the upward paths of A and B (names or BDFs)\n"
"    meet, as the policy's kernel finds it:\n"
"\n"
"    linux-* policies: the p2pdma walk (drivers/pci/p2pdma.c): the first\n"
"        device on A's upward chain, starting at A itself, that is also on\n"
"        B's chain.  Devices below different root-bus devices have none.\n"
"\n"
"    seed-2018: pci_find_common_upstream_dev() of the 2018 proposal: walk\n"
"        up from A itself to the first device whose bus's bus-number range\n"
"        (the parent bridge's secondary..subordinate, or the host bridge's\n"
"        range on a root bus) holds B's bus number.  Segments are ignored.\n"
"        It returns the port on the shared bus (not the switch upstream\n"
"        port), and a root port for devices on different root ports of one\n"
"        root bus.\n"
"\n"
"    The answer comes from an index built at load (O(1) per query); --naive\n"
"    runs the kernel's literal walk instead (the answers are the same).\n"
"\n"
"OPTIONS\n"
"    --policy P  a built-in policy ('dmasim policy list'; default\n"
"                linux-6.12) or a policy file (docs/policy.md)\n"
"    --naive     the kernel's literal walk instead of the index\n"
"    --json      one JSON document: policy, algorithm, a, b, upstream\n"
"    -h, --help  this text\n"
"\n"
"EXIT STATUS\n"
"    0 a common upstream device exists; 1 there is none; 2 bad input\n"
"    (unknown device or policy, invalid file: FILE:LINE:COLUMN).\n"
"\n"
"EXAMPLE\n"
"    dmasim upstream topologies/x86_64/skylake-plx.yaml gpu0 gpu1 --policy seed-2018\n";

static void dev_json(struct jw *w, const char *key, const struct dmasim_device *d)
{
	dmasim__jw_key(w, key);
	if (!d) {
		dmasim__jw_null(w);
		return;
	}
	dmasim__jw_obj_begin(w);
	dmasim__jw_kstr(w, "name", d->name);
	dmasim__jw_kstr(w, "bdf", d->bdf);
	dmasim__jw_kstr(w, "type", dmasim_dev_type_name(d->type));
	dmasim__jw_obj_end(w);
}

static void dev_text(const struct dmasim_device *d)
{
	if (strcmp(d->name, d->bdf) == 0)
		printf("%s (%s)", d->bdf, dmasim_dev_type_name(d->type));
	else
		printf("%s %s (%s)", d->bdf, CLI_TEXT(d->name), dmasim_dev_type_name(d->type));
}

int cmd_upstream(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "naive", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct dmasim_device *a, *b, *u;
	const char *policy_arg = NULL, *algo;
	struct dmasim_policy policy;
	struct dmasim_topo *t;
	bool json = false, naive = false;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if ((rc = cli_opt_once("upstream", "policy", &policy_arg, optarg)))
				return rc;
			break;
		case 'n':
			naive = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("upstream", argv);
		}
	}
	if (optind + 3 != argc)
		return cli_usage("upstream", "expected TOPOLOGY A B");
	if ((rc = cli_load_policy(cli, policy_arg, &policy)))
		return rc;
	if ((rc = cli_load_topo(cli, argv[optind], &t)))
		return rc;
	if ((rc = cli_apply_policy(t, &policy))) {
		dmasim_topo_destroy(t);
		return rc;
	}
	a = cli_find_device(t, "upstream", argv[optind + 1]);
	b = a ? cli_find_device(t, "upstream", argv[optind + 2]) : NULL;
	if (!a || !b) {
		dmasim_topo_destroy(t);
		return CLI_USAGE;
	}
	u = dmasim_p2p_upstream(t, &policy, a, b, naive ? DMASIM_P2P_NAIVE : 0);
	algo = policy.upstream == DMASIM_UPSTREAM_SEED2018
		? "pci_find_common_upstream_dev()" : "the p2pdma walk";
	if (json) {
		struct jw w;

		cli_json_begin(&w, true, "upstream");
		dmasim__jw_kstr(&w, "policy", policy.name);
		dmasim__jw_kstr(&w, "algorithm",
			policy.upstream == DMASIM_UPSTREAM_SEED2018
				? "pci_find_common_upstream_dev" : "p2pdma_walk");
		dev_json(&w, "a", a);
		dev_json(&w, "b", b);
		dev_json(&w, "upstream", u);
		dmasim__jw_obj_end(&w);
		dmasim__jw_end(&w);
	} else {
		printf("common upstream of %s and %s: ", CLI_TEXT(a->name), CLI_TEXT(b->name));
		if (u)
			dev_text(u);
		else
			printf("none");
		printf("\n  found by %s (policy %s)\n", algo, CLI_TEXT(policy.name));
	}
	dmasim_topo_destroy(t);
	return u ? CLI_OK : CLI_FAIL;
}
