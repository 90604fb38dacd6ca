/* dmasim p2p -- the kernel's peer-to-peer decision for a provider and its
 * clients: map type and distance per client, the total, the warnings. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim p2p - the kernel's peer-to-peer DMA decision\n"
"\n"
"SYNOPSIS\n"
"    dmasim p2p TOPOLOGY --provider P CLIENT... [--policy NAME|FILE]\n"
"               [--verbose] [--naive] [--json]\n"
"\n"
"DESCRIPTION\n"
"    Runs the policy's P2P decision for the provider P (the device whose\n"
"    memory is the target) and each CLIENT (names or BDFs), as the kernel\n"
"    of that policy does:\n"
"\n"
"    linux-5.4 and later: calc_map_type_and_dist() (drivers/pci/p2pdma.c):\n"
"        bus_addr when the two share an upstream device and no device on the\n"
"        path between them (the common one included) has ACS RR, CR or EC\n"
"        set; otherwise thru_host_bridge when the CPU rule (x86 AMD family\n"
"        >= 0x17) or the host-bridge whitelist (vendor:device of the host\n"
"        bridge's root device, some entries only within one host bridge)\n"
"        allows it; otherwise not_supported.\n"
"    linux-4.20: upstream_bridge_distance(): bus_addr with a common\n"
"        upstream device and no ACS redirect, else not_supported (distance\n"
"        -1 without a common device, -2 with ACS redirect).\n"
"    seed-2018: pci_peer_traffic_supported() of the 2018 proposal:\n"
"        thru_host_bridge (mapped with dma_map_resource) or not_supported;\n"
"        it has no distance (-1).\n"
"\n"
"    Each client's line gives the map type and the kernel's distance (the\n"
"    upward steps from the provider and from the client to the common\n"
"    device, or the full chain lengths when there is none).  The total is\n"
"    pci_p2pdma_distance_many(): the sum, or -1 when any client is not\n"
"    supported.  With --verbose the kernel's warnings follow, word for word\n"
"    as the policy's kernel prints them ('pci 0000:03:00.0: ...').\n"
"\n"
"    The kernel's distance functions do not look at whether the provider\n"
"    publishes p2pmem; when it has no p2pmem BAR a note says so (the\n"
"    kernel would never pick it in pci_p2pmem_find_many()).\n"
"\n"
"    When the verdict rests on values the topology marks inferred (an\n"
"    import guessed them; docs/topology.md, 'inferred:'), a line 'depends on\n"
"    inferred: ...' names them (\"depends_on_inferred\" in --json).\n"
"\n"
"OPTIONS\n"
"    --provider P  the provider (required)\n"
"    --policy P    a built-in policy ('dmasim policy list'; default\n"
"                  linux-6.12) or a policy file (docs/policy.md)\n"
"    --verbose     print the kernel's warnings (verbose = true)\n"
"    --naive       the kernel's literal walks instead of the load-time index\n"
"    --json        one JSON document: policy, provider, clients (map_type,\n"
"                  distance), distance, warnings\n"
"    -h, --help    this text\n"
"\n"
"EXIT STATUS\n"
"    0 every client is supported; 1 some client is not_supported; 2 bad\n"
"    input (unknown device or policy, invalid file: FILE:LINE:COLUMN).\n"
"\n"
"EXAMPLE\n"
"    dmasim p2p topologies/x86_64/skylake-plx.yaml --provider nvme0 gpu0 nic0 --verbose\n";

static bool has_p2pmem(const struct dmasim_device *d)
{
	size_t i;

	for (i = 0; i < d->nbars; i++)
		if (d->bars[i].p2pmem)
			return true;
	return false;
}

static void json_lines(struct jw *w, const char *text)
{
	const char *p = text, *nl;
	char line[600];

	dmasim__jw_arr_begin(w);
	while (*p) {
		size_t n;

		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		dmasim__jw_str(w, line);
		if (!nl)
			break;
		p = nl + 1;
	}
	dmasim__jw_arr_end(w);
}

int cmd_p2p(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "provider", required_argument, NULL, 'P' },
		{ "policy", required_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "naive", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy_arg = NULL, *provider_arg = NULL;
	const struct dmasim_device *prov, **clients = NULL;
	enum dmasim_map_type *maps = NULL;
	int *dists = NULL;
	struct dmasim_policy policy;
	struct dmasim_log log;
	struct dmasim_topo *t = NULL;
	bool json = false, verbose = false, naive = false, all_ok = true;
	unsigned flags;
	size_t n, i;
	int c, rc, total;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			if ((rc = cli_opt_once("p2p", "provider", &provider_arg, optarg)))
				return rc;
			break;
		case 'p':
			if ((rc = cli_opt_once("p2p", "policy", &policy_arg, optarg)))
				return rc;
			break;
		case 'v':
			verbose = true;
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
			return cli_usage("p2p", "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage("p2p", "expected TOPOLOGY --provider P CLIENT...");
	if (!provider_arg)
		return cli_usage("p2p", "--provider is required");
	if (optind + 1 >= argc)
		return cli_usage("p2p", "expected at least one CLIENT");
	if ((rc = cli_load_policy(cli, policy_arg, &policy)))
		return rc;
	if ((rc = cli_load_topo(cli, argv[optind], &t)))
		return rc;
	if ((rc = cli_apply_policy(t, &policy))) {
		dmasim_topo_destroy(t);
		return rc;
	}
	rc = CLI_USAGE;
	n = (size_t)(argc - optind - 1);
	clients = calloc(n, sizeof(*clients));
	maps = calloc(n, sizeof(*maps));
	dists = calloc(n, sizeof(*dists));
	if (!clients || !maps || !dists) {
		fprintf(stderr, "dmasim p2p: out of memory\n");
		goto out;
	}
	prov = cli_find_device(t, "p2p", provider_arg);
	if (!prov)
		goto out;
	for (i = 0; i < n; i++)
		if (!(clients[i] = cli_find_device(t, "p2p", argv[optind + 1 + (int)i])))
			goto out;

	flags = naive ? DMASIM_P2P_NAIVE : 0;
	for (i = 0; i < n; i++) {
		maps[i] = dmasim_p2p_map_type(t, &policy, prov, clients[i], &dists[i],
					      flags, NULL);
		if (maps[i] == DMASIM_MAP_NOT_SUPPORTED)
			all_ok = false;
	}
	/* The kernel's lines come from pci_p2pdma_distance_many(verbose). */
	dmasim_log_init(&log);
	total = dmasim_p2p_distance_many(t, &policy, prov, clients, n,
					 flags | (verbose ? DMASIM_P2P_VERBOSE : 0),
					 &log);
	if (json) {
		struct jw w;

		cli_json_begin(&w, true, "p2p");
		dmasim__jw_kstr(&w, "policy", policy.name);
		dmasim__jw_key(&w, "provider");
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kstr(&w, "name", prov->name);
		dmasim__jw_kstr(&w, "bdf", prov->bdf);
		dmasim__jw_kbool(&w, "p2pmem", has_p2pmem(prov));
		dmasim__jw_obj_end(&w);
		dmasim__jw_key(&w, "clients");
		dmasim__jw_arr_begin(&w);
		for (i = 0; i < n; i++) {
			dmasim__jw_obj_begin(&w);
			dmasim__jw_kstr(&w, "name", clients[i]->name);
			dmasim__jw_kstr(&w, "bdf", clients[i]->bdf);
			dmasim__jw_kstr(&w, "map_type", dmasim_map_type_name(maps[i]));
			dmasim__jw_kint(&w, "distance", dists[i]);
			{
				struct cli_inferred inf = { 0 };
				cli_inferred_pair(&inf, prov, clients[i], maps[i]);
				cli_inferred_json(&w, &inf);
			}
			dmasim__jw_obj_end(&w);
		}
		dmasim__jw_arr_end(&w);
		dmasim__jw_kint(&w, "distance", total);
		dmasim__jw_key(&w, "warnings");
		json_lines(&w, log.text);
		dmasim__jw_obj_end(&w);
		dmasim__jw_end(&w);
	} else {
		printf("provider %s (%s), policy %s\n", CLI_TEXT(prov->name), prov->bdf,
		       CLI_TEXT(policy.name));
		if (!has_p2pmem(prov))
			printf("note: %s has no p2pmem BAR; the kernel's distance functions do not check this, but pci_p2pmem_find_many() would never choose it\n",
			       prov->name);
		for (i = 0; i < n; i++) {
			struct cli_inferred inf = { 0 };
			printf("  %s (%s): %s, distance %d\n", CLI_TEXT(clients[i]->name),
			       clients[i]->bdf, dmasim_map_type_name(maps[i]),
			       dists[i]);
			cli_inferred_pair(&inf, prov, clients[i], maps[i]);
			cli_inferred_print(&inf, "    ");
		}
		printf("total distance: %d\n", total);
		if (log.nlines)
			fputs(log.text, stdout);
		if (log.truncated)
			printf("(further kernel messages dropped)\n");
	}
	rc = all_ok ? CLI_OK : CLI_FAIL;
out:
	free(clients);
	free(maps);
	free(dists);
	dmasim_topo_destroy(t);
	return rc;
}
