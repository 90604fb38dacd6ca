/* dmasim audit -- every p2pmem provider against every endpoint. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/fleet.h"
#include "dmasim/scenario.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim audit - find pairs where a policy is unsound or conservative,\n"
"    or IOMMU groups that the fabric does not isolate\n"
"\n"
"SYNOPSIS\n"
"    dmasim audit [--policy NAME|FILE] [--all] [--assume-p2pmem[=WHICH]]\n"
"                 [--json] TOPOLOGY\n"
"    dmasim audit [the same options] [--shard K/N] [--progress] MACHINE...\n"
"    dmasim audit --isolation [--json] TOPOLOGY\n"
"\n"
"DESCRIPTION\n"
"    For every endpoint that offers p2pmem (the target; the kernel's p2pdma\n"
"    'provider') and every other endpoint (the initiator; the kernel's\n"
"    'client'), runs the policy's P2P decision, maps 4 KiB of the target's\n"
"    p2pmem for the initiator as that kernel would, and routes the\n"
"    initiator's write through the fabric.  Each line reads INITIATOR ->\n"
"    TARGET, the way the data flows.  The initiators include host-bridge\n"
"    functions (class 0x0600), which 'dmasim matrix' and 'dmasim diff'\n"
"    leave out by default: a write the fabric misroutes is unsound\n"
"    whichever function issues it.  Lists the pairs that are\n"
"\n"
"        UNSOUND       allowed, and the write lands anywhere but the target\n"
"        CONSERVATIVE  refused, while the hardware would route some address\n"
"                      (the target's bus address, its CPU address, an IOVA\n"
"                      of the initiator's IOMMU domain) to the target\n"
"\n"
"    and ends with a summary line.\n"
"\n"
"    An imported machine names no p2pmem BARs (the input does not say which\n"
"    BARs a driver publishes), so it has no pairs to check.  With\n"
"    --assume-p2pmem, every endpoint that publishes no p2pmem is audited as\n"
"    if its driver published its prefetchable BARs (WHICH prefetchable, the\n"
"    default) or all its memory BARs (WHICH all-mem); endpoints that do\n"
"    publish keep their own BARs.  The topology file is not changed.  The\n"
"    output says so in a line of its own after the first, and marks each\n"
"    pair whose target publishes only by this assumption [assumed].\n"
"\n"
"    Given more than one MACHINE, a directory or --shard, it audits a fleet:\n"
"    a MACHINE is a topology file, a sysfs snapshot directory or a 'dmasim\n"
"    collect' archive (imported as 'dmasim import sysfs' does), or a\n"
"    directory of them (walked, in the byte order of the paths).  Each\n"
"    machine's audit is followed by a table: one line per machine (pairs,\n"
"    unsound, conservative, sound) and a total.  A machine that does not\n"
"    load is in the table with its error; the run goes on and exits 2\n"
"    (docs/fleet.md).  Imported machines need --assume-p2pmem to have pairs.\n"
"\n"
"    With --isolation, it checks the promise of the IOMMU groups instead\n"
"    (pci_device_group() in drivers/iommu/iommu.c): for every endpoint and\n"
"    every BAR of an endpoint in another IOMMU group, it routes a write from\n"
"    the first to the start of that BAR (its bus address) with no IOMMU\n"
"    mapping at all.  Where the write lands on the BAR without passing the\n"
"    IOMMU (no translation hop), the groups are not isolated: the line says\n"
"    BREACH, with the hops of the write.  The policy plays no part.\n"
"\n"
"    On a terminal, large runs show their progress on stderr.  Runs of more\n"
"    pairs than --limit pairs allows are refused (docs/limits.md).\n"
"\n"
"    When the verdict rests on values the topology marks inferred (an\n"
"    import guessed them; docs/topology.md, 'inferred:'), a line 'depends on\n"
"    inferred: ...' names them (\"depends_on_inferred\" in --json).\n"
"\n"
"OPTIONS\n"
"    --policy P   a built-in policy or a policy file; default linux-6.12\n"
"    --all        also list the sound pairs\n"
"    --assume-p2pmem, --assume-p2pmem=WHICH\n"
"                 prefetchable (the default) or all-mem: treat these BARs of\n"
"                 endpoints that publish no p2pmem as published (see above)\n"
"    --isolation  check the IOMMU groups' isolation (see above)\n"
"    --json       one JSON document (docs/json.md)\n"
"    --shard K/N  only shard K of N (K from 1 to N) of the machines: machine i\n"
"                 of the whole sorted list (from 0) is in shard i % N + 1;\n"
"                 'dmasim merge' joins the shards' JSON (docs/fleet.md)\n"
"    --progress   \"[I/N] MACHINE\" on stderr before each machine (default:\n"
"                 only when stderr is a terminal)\n"
"    -h, --help   this text\n"
"\n"
"EXIT STATUS\n"
"    0 nothing unsound (--isolation: every group isolated); 1 at least one\n"
"    unsound pair (--isolation: at least one breach); 2 bad input (in a\n"
"    fleet: a machine that does not load, whatever the others gave).\n";

/* The value of --assume-p2pmem[=WHICH]: an enum dmasim_p2pmem_assumption,
 * or -1 for a value it does not know. */
static int p2pmem_assumption(const char *arg)
{
	int i;

	if (!arg)
		return DMASIM_ASSUME_P2PMEM_PREFETCHABLE;
	for (i = 0; i < DMASIM_ASSUME_P2PMEM_COUNT; i++)
		if (strcmp(arg, dmasim_p2pmem_assumption_name((enum dmasim_p2pmem_assumption)i)) == 0)
			return i;
	return -1;
}

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

/* True when the route passed the IOMMU (translated there, or let through
 * untranslated by an identity domain). */
static bool passed_iommu(const struct dmasim_route *r)
{
	size_t i;

	for (i = 0; i < r->nhops; i++)
		if (r->hops[i].action == DMASIM_HOP_IOMMU ||
		    r->hops[i].action == DMASIM_HOP_IDENTITY)
			return true;
	return false;
}

/* One ordered pair of endpoints in different IOMMU groups: does a write
 * from @ini reach a BAR of @tgt without the IOMMU?  The first BAR it does
 * reach that way is in @out (and its index in @bar); false if none. */
static bool breach(const struct dmasim_topo *t, const struct dmasim_device *ini,
		   const struct dmasim_device *tgt, struct dmasim_route *out, size_t *bar)
{
	size_t b;

	for (b = 0; b < tgt->nbars; b++) {
		if (dmasim_route(t, NULL, ini, tgt->bars[b].bus, 4, true, out) != DMASIM_OK)
			continue;
		if (out->land.kind == DMASIM_LAND_BAR && out->land.dev == tgt &&
		    !passed_iommu(out)) {
			*bar = b;
			return true;
		}
	}
	return false;
}

static int audit_isolation(const struct cli_ctx *cli, const char *file, bool json)
{
	const struct dmasim_device **eps;
	struct dmasim_route *r = malloc(sizeof(*r));
	struct dmasim_topo *t;
	size_t n, i, j, bar, pairs = 0, found = 0;
	struct jw w;
	int rc;

	if (!r)
		return cli_usage("audit", "out of memory");
	if ((rc = cli_load_topo(cli, file, &t))) {
		free(r);
		return rc;
	}
	n = cli_endpoints(t, &eps);
	if ((rc = cli_check_pairs(cli, "audit", file, (uint64_t)n * (n ? n - 1 : 0)))) {
		free(eps);
		free(r);
		dmasim_topo_destroy(t);
		return rc;
	}
	if (json) {
		cli_json_begin(&w, true, "audit");
		dmasim__jw_kstr(&w, "mode", "isolation");
		dmasim__jw_kstr(&w, "topology", file);
		dmasim__jw_key(&w, "breaches");
		dmasim__jw_arr_begin(&w);
	} else {
		printf("isolation audit of %s: writes from one IOMMU group to a BAR of another\n"
		       "that the fabric delivers without passing the IOMMU (INITIATOR -> TARGET)\n",
		       CLI_TEXT(file));
	}
	for (i = 0; i < n; i++) {
		cli_progress("audit", i * n, n * n);
		for (j = 0; j < n; j++) {
			const struct dmasim_device *ini = eps[i], *tgt = eps[j];
			char land[160];

			if (i == j || ini->iommu_group == DMASIM_NO_GROUP ||
			    tgt->iommu_group == DMASIM_NO_GROUP ||
			    ini->iommu_group == tgt->iommu_group)
				continue;
			pairs++;
			if (!breach(t, ini, tgt, r, &bar))
				continue;
			found++;
			dmasim_landing_snprintf(land, sizeof(land), &r->land);
			if (json) {
				dmasim__jw_obj_begin(&w);
				dmasim__jw_kstr(&w, "initiator", ini->name);
				dmasim__jw_kint(&w, "initiator_group", ini->iommu_group);
				dmasim__jw_kstr(&w, "target", tgt->name);
				dmasim__jw_kint(&w, "target_group", tgt->iommu_group);
				dmasim__jw_kint(&w, "bar", tgt->bars[bar].index);
				dmasim__jw_khex(&w, "addr", tgt->bars[bar].bus);
				dmasim__jw_kstr(&w, "lands", land);
				dmasim__jw_kstr(&w, "class", cli_path_class(ini, tgt));
				cli_json_hops(&w, r);
				dmasim__jw_obj_end(&w);
			} else {
				printf("BREACH %s (group %u) -> %s (group %u): write to 0x%llx lands on %s, %s, no IOMMU\n",
				       CLI_TEXT(ini->name), ini->iommu_group, CLI_TEXT(tgt->name),
				       tgt->iommu_group, (unsigned long long)tgt->bars[bar].bus,
				       CLI_TEXT(land), cli_path_class(ini, tgt));
				cli_print_hops(r, "    ");
			}
		}
	}
	cli_progress("audit", n * n, n * n);
	if (json) {
		dmasim__jw_arr_end(&w);
		dmasim__jw_key(&w, "summary");
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kint(&w, "pairs", (long long)pairs);
		dmasim__jw_kint(&w, "breaches", (long long)found);
		dmasim__jw_obj_end(&w);
		dmasim__jw_obj_end(&w);
		dmasim__jw_end(&w);
	} else {
		printf("summary: %zu ordered pairs of endpoints in different IOMMU groups, %zu not isolated\n",
		       pairs, found);
	}
	free(eps);
	free(r);
	dmasim_topo_destroy(t);
	return found ? CLI_FAIL : CLI_OK;
}

/* The p2p audit of one loaded machine @t (its policy applied): text on
 * stdout, or JSON into @w (non-NULL): the whole document when @index is
 * SIZE_MAX, else one element of a fleet's "topologies".  @counts
 * (DMASIM_VERDICT_COUNT) receives the verdicts' counts. */
static int audit_p2p(const struct cli_ctx *cli, struct dmasim_topo *t, const char *file,
		     size_t index, const struct dmasim_policy *policy, int assume, bool all,
		     struct jw *w, size_t *counts)
{
	size_t n, i, j, pairs = 0;
	const struct dmasim_device **eps;
	size_t assumed_bars = 0, assumed_pairs = 0;
	int rc;

	if (assume >= 0)
		assumed_bars = dmasim_topo_assume_p2pmem(t, (enum dmasim_p2pmem_assumption)assume);
	n = cli_endpoints(t, &eps);
	for (i = 0; i < n; i++)
		if (dmasim_dma_p2pmem_bar(eps[i]))
			pairs += n - 1;
	if ((rc = cli_check_pairs(cli, "audit", file, pairs))) {
		free(eps);
		return rc;
	}
	pairs = 0;
	if (w) {
		if (index == SIZE_MAX) {
			cli_json_begin(w, true, "audit");
			dmasim__jw_kstr(w, "mode", "p2p");
			dmasim__jw_kstr(w, "topology", file);
			dmasim__jw_kstr(w, "policy", policy->name);
		} else {
			dmasim__jw_obj_begin(w);
			dmasim__jw_kstr(w, "file", file);
			dmasim__jw_kint(w, "index", (long long)index);
		}
		if (assume >= 0) {
			dmasim__jw_key(w, "assume_p2pmem");
			dmasim__jw_obj_begin(w);
			dmasim__jw_kstr(w, "which", dmasim_p2pmem_assumption_name((enum dmasim_p2pmem_assumption)assume));
			dmasim__jw_kint(w, "bars", (long long)assumed_bars);
			dmasim__jw_obj_end(w);
		}
		dmasim__jw_key(w, "pairs");
		dmasim__jw_arr_begin(w);
	} else {
		if (index != SIZE_MAX)
			putchar('\n');
		printf("audit of %s under %s: INITIATOR -> TARGET, the initiator (p2pdma client)\n"
		       "writing the target's p2pmem (p2pdma provider)\n",
		       CLI_TEXT(file), CLI_TEXT(policy->name));
		if (assume >= 0)
			printf("assumed p2pmem (--assume-p2pmem=%s): %zu BAR%s of endpoints that publish none\n"
			       "treated as published; pairs marked [assumed] exist only by this assumption\n",
			       dmasim_p2pmem_assumption_name((enum dmasim_p2pmem_assumption)assume), assumed_bars,
			       assumed_bars == 1 ? "" : "s");
	}
	for (i = 0; i < n; i++) {
		cli_progress("audit", i * n, n * n);
		if (!dmasim_dma_p2pmem_bar(eps[i]))
			continue;
		for (j = 0; j < n; j++) {
			const struct dmasim_device *tgt = eps[i], *ini = eps[j];
			struct dmasim_pair_report p;
			struct dmasim_error err;
			char buf[400];
			struct cli_inferred inf = { 0 };
			bool assumed;

			if (i == j)
				continue;
			dmasim_error_init(&err);
			if (dmasim_pair_report(t, policy, tgt, ini, &p, &err)) {
				cli_print_error(&err);
				continue;
			}
			pairs++;
			counts[p.verdict]++;
			assumed = dmasim_dma_p2pmem_bar(tgt)->p2pmem_assumed;
			assumed_pairs += assumed;
			describe(buf, sizeof(buf), &p);
			cli_inferred_pair(&inf, tgt, ini, p.map_type);
			if (p.routed)
				cli_inferred_landing(&inf, &p.landed);
			if (w) {
				dmasim__jw_obj_begin(w);
				dmasim__jw_kstr(w, "initiator", ini->name);
				dmasim__jw_kstr(w, "target", tgt->name);
				dmasim__jw_kstr(w, "class", cli_path_class(ini, tgt));
				dmasim__jw_kstr(w, "verdict", dmasim_verdict_name(p.verdict));
				dmasim__jw_kstr(w, "map_type", dmasim_map_type_name(p.map_type));
				dmasim__jw_kint(w, "distance", p.distance);
				dmasim__jw_kstr(w, "path", dmasim_dma_path_name(p.path));
				if (!p.mapping_error)
					dmasim__jw_khex(w, "dma_addr", p.dma_addr);
				if (p.routed) {
					char land[160];
					dmasim_landing_snprintf(land, sizeof(land), &p.landed);
					dmasim__jw_kstr(w, "lands", land);
				}
				if (assume >= 0)
					dmasim__jw_kbool(w, "assumed", assumed);
				cli_inferred_json(w, &inf);
				dmasim__jw_obj_end(w);
			} else if (all || p.verdict != DMASIM_VERDICT_SOUND) {
				printf("%-12s %s -> %s: %s%s\n",
				       p.verdict == DMASIM_VERDICT_UNSOUND ? "UNSOUND"
				       : p.verdict == DMASIM_VERDICT_CONSERVATIVE ? "CONSERVATIVE"
										  : "sound",
				       CLI_TEXT(ini->name), CLI_TEXT(tgt->name), CLI_TEXT(buf),
				       assumed ? " [assumed]" : "");
				cli_inferred_print(&inf, "             ");
			}
		}
	}
	cli_progress("audit", n * n, n * n);
	if (w) {
		dmasim__jw_arr_end(w);
		dmasim__jw_key(w, "summary");
		dmasim__jw_obj_begin(w);
		dmasim__jw_kint(w, "pairs", (long long)pairs);
		for (i = 0; i < DMASIM_VERDICT_COUNT; i++)
			dmasim__jw_kint(w, dmasim_verdict_name((enum dmasim_verdict)i), (long long)counts[i]);
		if (assume >= 0)
			dmasim__jw_kint(w, "assumed", (long long)assumed_pairs);
		dmasim__jw_obj_end(w);
		dmasim__jw_obj_end(w);
		if (index == SIZE_MAX)
			dmasim__jw_end(w);
	} else {
		printf("summary: %zu pairs: %zu sound, %zu unsound, %zu conservative\n", pairs,
		       counts[DMASIM_VERDICT_SOUND], counts[DMASIM_VERDICT_UNSOUND],
		       counts[DMASIM_VERDICT_CONSERVATIVE]);
		if (assume >= 0)
			printf("assumed: %zu of the %zu pairs exist only by --assume-p2pmem\n", assumed_pairs, pairs);
	}
	free(eps);
	return CLI_OK;
}

static const char *const audit_cols[] = { "pairs", "unsound", "conservative", "sound" };

/* audit over machines: each one's audit, then the fleet table. */
static int audit_fleet(const struct cli_ctx *cli, char *const *args, size_t nargs,
		       unsigned shard_k, unsigned shard_n, const struct dmasim_policy *policy,
		       int assume, bool all, bool json, bool progress)
{
	size_t total[DMASIM_VERDICT_COUNT] = { 0 }, all_pairs = 0, mi, k, failed = 0;
	struct cli_fleet_row *rows;
	struct cli_fleet fleet;
	char opts[80];
	struct jw w;
	int rc;

	if ((rc = cli_fleet_expand("audit", args, nargs, shard_k, shard_n, &fleet)))
		return rc;
	/* "options" of the JSON: what shapes each machine's audit (merge
	 * refuses shards that differ in it; docs/fleet.md) */
	snprintf(opts, sizeof(opts), "%s%s%s%s", all ? "--all" : "", all && assume >= 0 ? " " : "",
		 assume >= 0 ? "--assume-p2pmem=" : "",
		 assume >= 0 ? dmasim_p2pmem_assumption_name((enum dmasim_p2pmem_assumption)assume) : "");
	fleet.options = opts;
	if (!(rows = calloc(fleet.n ? fleet.n : 1, sizeof(*rows)))) {
		cli_fleet_free(&fleet);
		return cli_usage("audit", "out of memory");
	}
	progress = cli_fleet_progress_on(progress, fleet.n);
	if (json) {
		cli_json_begin(&w, true, "audit");
		dmasim__jw_kstr(&w, "mode", "fleet");
		dmasim__jw_kstr(&w, "policy", policy->name);
		dmasim__jw_key(&w, "topologies");
		dmasim__jw_arr_begin(&w);
	}
	for (mi = 0; mi < fleet.n && rc == CLI_OK; mi++) {
		struct cli_fleet_row *row = &rows[mi];
		size_t counts[DMASIM_VERDICT_COUNT] = { 0 };
		struct dmasim_error err;
		struct dmasim_topo *t;

		row->file = fleet.path[mi];
		row->index = fleet.index[mi];
		cli_fleet_progress(progress, mi + 1, fleet.n, row->file);
		if (cli_load_machine(cli, row->file, &t, &err) != DMASIM_OK) {
			cli_fleet_progress(progress, fleet.n + 1, fleet.n, NULL);
			cli_print_error(&err);
			dmasim_error_snprintf(row->error, sizeof(row->error), &err);
			failed++;
			continue;
		}
		if ((rc = cli_apply_policy(t, policy)) == CLI_OK &&
		    (rc = audit_p2p(cli, t, row->file, row->index, policy, assume, all,
				    json ? &w : NULL, counts)) == CLI_OK) {
			row->v[1] = counts[DMASIM_VERDICT_UNSOUND];
			row->v[2] = counts[DMASIM_VERDICT_CONSERVATIVE];
			row->v[3] = counts[DMASIM_VERDICT_SOUND];
			for (k = 0; k < DMASIM_VERDICT_COUNT; k++) {
				row->v[0] += counts[k];
				total[k] += counts[k];
				all_pairs += counts[k];
			}
		}
		dmasim_topo_destroy(t);
	}
	cli_fleet_progress(progress, fleet.n + 1, fleet.n, NULL);
	if (rc == CLI_OK) {
		if (json) {
			dmasim__jw_arr_end(&w);
			dmasim__jw_key(&w, "summary");
			dmasim__jw_obj_begin(&w);
			dmasim__jw_kint(&w, "pairs", (long long)all_pairs);
			for (k = 0; k < DMASIM_VERDICT_COUNT; k++)
				dmasim__jw_kint(&w, dmasim_verdict_name((enum dmasim_verdict)k),
						(long long)total[k]);
			dmasim__jw_obj_end(&w);
			cli_fleet_json_rows(&w, rows, fleet.n, audit_cols, 4);
			cli_fleet_json_info(&w, &fleet);
			dmasim__jw_obj_end(&w);
			dmasim__jw_end(&w);
		} else {
			cli_fleet_table(rows, fleet.n, audit_cols, 4, 1, "have unsound pairs");
			cli_fleet_footer(&fleet);
		}
	}
	free(rows);
	cli_fleet_free(&fleet);
	return rc != CLI_OK ? rc : failed ? CLI_USAGE
		: total[DMASIM_VERDICT_UNSOUND] ? CLI_FAIL : CLI_OK;
}

int cmd_audit(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'a' },
		{ "isolation", no_argument, NULL, 'i' },
		{ "assume-p2pmem", optional_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "shard", required_argument, NULL, 's' },
		{ "progress", no_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy_name = NULL;
	size_t counts[DMASIM_VERDICT_COUNT] = { 0 };
	struct dmasim_policy policy;
	struct dmasim_topo *t;
	bool json = false, all = false, isolation = false, policy_given = false, progress = false;
	int assume = -1; /* enum dmasim_p2pmem_assumption, or -1: none */
	unsigned shard_k = 0, shard_n = 0;
	struct stat st;
	struct jw w;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if ((rc = cli_opt_once("audit", "policy", &policy_name, optarg)))
				return rc;
			policy_given = true;
			break;
		case 'a':
			all = true;
			break;
		case 'i':
			isolation = true;
			break;
		case 'P':
			if ((assume = p2pmem_assumption(optarg)) < 0)
				return cli_usage("audit", "--assume-p2pmem takes prefetchable or all-mem (--assume-p2pmem=WHICH), not '%s'",
						 optarg);
			break;
		case 'j':
			json = true;
			break;
		case 's':
			if (cli_parse_shard("audit", optarg, &shard_k, &shard_n))
				return CLI_USAGE;
			break;
		case 'G':
			progress = true;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("audit", argv);
		}
	}
	if (optind >= argc)
		return cli_usage("audit", "expected a TOPOLOGY (or machines: see --help)");
	if (argc - optind > 1 || shard_n ||
	    (stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode))) {
		if (isolation)
			return cli_usage("audit", "--isolation takes one TOPOLOGY, no fleet");
		if ((rc = cli_load_policy(cli, policy_name, &policy)))
			return rc;
		return audit_fleet(cli, argv + optind, (size_t)(argc - optind), shard_k, shard_n,
				   &policy, assume, all, json, progress);
	}
	if (isolation) {
		if (policy_given || all || assume >= 0)
			return cli_usage("audit", "--isolation takes no --policy, --all or --assume-p2pmem (the groups depend on neither a policy nor p2pmem)");
		return audit_isolation(cli, argv[optind], json);
	}
	if ((rc = cli_load_policy(cli, policy_name, &policy)) || (rc = cli_load_topo(cli, argv[optind], &t)))
		return rc;
	if ((rc = cli_apply_policy(t, &policy))) {
		dmasim_topo_destroy(t);
		return rc;
	}
	rc = audit_p2p(cli, t, argv[optind], SIZE_MAX, &policy, assume, all, json ? &w : NULL,
		       counts);
	dmasim_topo_destroy(t);
	return rc != CLI_OK ? rc : counts[DMASIM_VERDICT_UNSOUND] ? CLI_FAIL : CLI_OK;
}
