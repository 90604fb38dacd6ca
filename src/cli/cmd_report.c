/* dmasim report -- one self-contained HTML page per set of machines: the
 * fabric as an SVG tree, a P2P matrix per policy, the reasoning behind each
 * cell, the diff between policies and suite results (docs/report.md). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"

static const char help[] =
"NAME\n"
"    dmasim report - a self-contained HTML report of machines and policies\n"
"\n"
"SYNOPSIS\n"
"    dmasim report TOPOLOGY... [--policy P]... [--suite S]... -o FILE\n"
"                  [--max-endpoints N]\n"
"\n"
"DESCRIPTION\n"
"    Writes one HTML file with inline CSS, JavaScript and SVG that needs no\n"
"    network and opens from file://.  Per TOPOLOGY:\n"
"\n"
"    - the fabric as a tree in the style of lstopo: host bridges, root\n"
"      ports, switches and endpoints with BDF, name, IDs, IOMMU group, ACS\n"
"      control and capability, bridge windows ('derived' when computed from\n"
"      the children) and BARs (bus addresses);\n"
"    - per policy, the P2P matrix of 'dmasim matrix' (rows: providers,\n"
"      columns: clients; BUSn, HBn, NS), coloured by map type, with a\n"
"      switch to nvidia-smi topo -m codes (X, PIX, PXB, PHB, NODE, SYS,\n"
"      as 'dmasim matrix --style nvidia');\n"
"    - ACS words a topology leaves to the kernel ('ctrl: auto') derived\n"
"      for each policy, as 'dmasim matrix --policy' derives them; the tree\n"
"      shows the first policy's and marks them derived;\n"
"    - with two or more policies, the pairs that change from the first\n"
"      policy to each other one, as 'dmasim diff --all' finds them: every\n"
"      ordered pair of two different endpoints (no device with itself)\n"
"      whose map type, distance or, where the provider offers p2pmem, the\n"
"      verdict on 4 KiB mapped and written (sound, unsound, conservative)\n"
"      changes, each 'OLD -> NEW' (with the verdicts when they change,\n"
"      e.g. 'BUS4 unsound -> BUS4 sound'), and a summary in pairs;\n"
"    - a details panel (needs JavaScript) for a clicked cell: the common\n"
"      upstream device, the ports whose ACS redirects, the rule that\n"
"      decided with the kernel's warnings verbatim, and 4 KiB of the\n"
"      provider's p2pmem mapped for the client as 'dmasim map --p2p' maps\n"
"      it, with the DMA address and the route hop by hop, highlighted in\n"
"      the tree;\n"
"    - values the topology marks inferred (guessed by an import,\n"
"      docs/topology.md 'inferred:'): a tree line that shows one ends in\n"
"      '(inferred: KEY, ...)' and its box is dashed, with a line of its own\n"
"      for keys the tree does not draw; a matrix cell whose map type rests\n"
"      on one is marked '*' as 'dmasim matrix' marks it, and each such\n"
"      value is listed below the matrix with its number of cells; a change\n"
"      between policies is marked '*' when either answer rests on one; the\n"
"      details panel names those the decision, the mapping and its route\n"
"      rest on, as 'dmasim map --p2p' does.  A topology that marks nothing\n"
"      gets no mark.\n"
"\n"
"    Each --suite is run as 'dmasim check' runs it; its cases show pass or\n"
"    fail with their file:line.\n"
"\n"
"    The tree and the matrices are static HTML and SVG; only the details\n"
"    panel, the device filter and keyboard navigation need JavaScript.\n"
"\n"
"OPTIONS\n"
"    -o, --output FILE    where to write the page (required; '-' is stdout)\n"
"    --policy P           a built-in policy or a policy file, repeatable\n"
"                         (default: linux-6.12)\n"
"    --suite S            a suite file, repeatable\n"
"    --max-endpoints N    endpoints per matrix, the first N in tree order\n"
"                         (default 32; the tree always shows every device)\n"
"    -h, --help           this text\n"
"\n"
"EXIT STATUS\n"
"    0 written and every suite case passed; 1 written, some suite case\n"
"    failed; 2 bad input or the file could not be written.\n"
"\n"
"EXAMPLE\n"
"    dmasim report topologies/x86_64/skylake-plx.yaml --policy linux-5.15 \\\n"
"        --policy linux-6.12 -o skylake.html\n";

#define MAX_ARGS 16

struct report_args {
	const char *topo[MAX_ARGS], *policy[MAX_ARGS], *suite[MAX_ARGS];
	size_t ntopo, npolicy, nsuite;
	const char *out;
	uint64_t max_eps;
};

static int parse(int argc, char **argv, struct report_args *a)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "policy", required_argument, NULL, 'p' },
		{ "suite", required_argument, NULL, 's' },
		{ "max-endpoints", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	memset(a, 0, sizeof(*a));
	a->max_eps = 32;
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			a->out = optarg;
			break;
		case 'p':
			if (a->npolicy == MAX_ARGS)
				return cli_usage("report", "at most %d --policy options", MAX_ARGS);
			a->policy[a->npolicy++] = optarg;
			break;
		case 's':
			if (a->nsuite == MAX_ARGS)
				return cli_usage("report", "at most %d --suite options", MAX_ARGS);
			a->suite[a->nsuite++] = optarg;
			break;
		case 'n':
			if ((rc = cli_parse_u64("report", "--max-endpoints", optarg, &a->max_eps)))
				return rc;
			if (a->max_eps == 0 || a->max_eps > 1024)
				return cli_usage("report", "--max-endpoints is 1 to 1024");
			break;
		case 'h':
			return cli_help(help) == CLI_OK ? -1 : CLI_USAGE;
		default:
			return cli_bad_option("report", argv);
		}
	}
	if (!a->out)
		return cli_usage("report", "-o FILE is required");
	if (optind == argc)
		return cli_usage("report", "expected at least one TOPOLOGY");
	for (; optind < argc; optind++) {
		if (a->ntopo == MAX_ARGS)
			return cli_usage("report", "at most %d topologies", MAX_ARGS);
		a->topo[a->ntopo++] = argv[optind];
	}
	if (!a->npolicy)
		a->policy[a->npolicy++] = "linux-6.12";
	return CLI_OK;
}

static void page_head(FILE *f, const struct report_args *a,
		      const struct rep_machine *ms)
{
	size_t i;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"dmasim " DMASIM_VERSION "\">\n<title>dmasim report: ", f);
	for (i = 0; i < a->ntopo; i++) {
		if (i)
			fputs(", ", f);
		rep_esc(f, dmasim_topo_machine(ms[i].topo)->name);
	}
	fprintf(f, "</title>\n<style>%s</style>\n</head><body>\n", dmasim_report_css);
	fputs("<header><h1>dmasim report</h1><p>Made by dmasim " DMASIM_VERSION
	      " from ", f);
	for (i = 0; i < a->ntopo; i++) {
		fputs(i ? ", <code>" : "<code>", f);
		rep_esc(f, a->topo[i]);
		fputs("</code>", f);
	}
	fputs(" under ", f);
	for (i = 0; i < a->npolicy; i++) {
		fputs(i ? ", <code>" : "<code>", f);
		rep_esc(f, a->policy[i]);
		fputs("</code>", f);
	}
	fputs(".</p>\n<noscript><p class=\"note\">JavaScript is off: the tree and the "
	      "matrices below are complete; the details of a cell need JavaScript, or "
	      "run <code>dmasim p2p --verbose</code> and <code>dmasim map --p2p</code> "
	      "for the pair.</p></noscript>\n", f);
	fputs("<nav aria-label=\"contents\"><ul>", f);
	for (i = 0; i < a->ntopo; i++) {
		fprintf(f, "<li><a href=\"#m%zu\">", i);
		rep_esc(f, dmasim_topo_machine(ms[i].topo)->name);
		fputs("</a></li>", f);
	}
	for (i = 0; i < a->nsuite; i++) {
		fprintf(f, "<li><a href=\"#suite-%zu\">suite ", i);
		rep_esc(f, a->suite[i]);
		fputs("</a></li>", f);
	}
	fputs("</ul></nav></header>\n<main>\n", f);
}

/* @inferred: the machine marks values inferred, so cells may carry '*'. */
static void legend(FILE *f, bool inferred)
{
	fputs("<div class=\"legend\" aria-label=\"legend\">"
	      "<span class=\"b sw\">BUSn</span> bus_addr: peer-to-peer through a switch, kernel distance n "
	      "<span class=\"h sw\">HBn</span> thru_host_bridge: through the root complex "
	      "<span class=\"n sw\">NS</span> not_supported: refused<br>", f);
	if (inferred)
		fputs("<span class=\"i\">*</span> the map type rests on a value the topology "
		      "marks inferred (the values are listed below each matrix)<br>", f);
	fputs("nvidia-smi codes: X self, PIX at most one PCIe switch or bridge, PXB several, "
	      "PHB through a host bridge, NODE across host bridges of one NUMA node, "
	      "SYS across NUMA nodes or sockets</div>\n", f);
}

/* Above the tree of a machine that marks values inferred: what the marks say. */
static void inferred_note(FILE *f)
{
	fputs("<p class=\"note inferred-note\">This topology marks some values inferred: "
	      "guessed (usually by <code>dmasim import</code>) rather than read from the machine. "
	      "In the tree, a line that shows one ends in <i>(inferred: KEY, ...)</i> and its "
	      "box is dashed; in the matrices, a cell whose map type rests on one is marked "
	      "<span class=\"i\">*</span>.</p>\n", f);
}

/* Returns CLI_OK, or CLI_USAGE when a policy cannot be applied to the
 * machine or memory ran out (said on stderr). */
static int machine_section(FILE *f, const struct report_args *a,
			   struct rep_machine *m, struct dmasim_policy *pols)
{
	const struct dmasim_machine *mc = dmasim_topo_machine(m->topo);
	bool inferred = rep_machine_inferred(mc);
	struct rep_grid g[MAX_ARGS];
	size_t k;
	int rc = CLI_OK;

	memset(g, 0, sizeof(g));
	/* the tree shows the first policy's `ctrl: auto` ACS words */
	if ((rc = cli_apply_policy(m->topo, &pols[0])))
		return rc;
	m->tree_policy = pols[0].name;
	fprintf(f, "<section class=\"machine\" id=\"m%u\" data-m=\"%u\"><h2>", m->index, m->index);
	rep_esc(f, mc->name);
	fputs(" <small>", f);
	rep_esc(f, m->file);
	fprintf(f, "</small></h2>\n<div class=\"cols\"><div class=\"left\"><h3>Fabric</h3>\n<p>%zu host bridge%s, %zu device%s, "
		"%zu endpoint%s.</p>\n", mc->nhost_bridges, mc->nhost_bridges == 1 ? "" : "s",
		mc->ndevices, mc->ndevices == 1 ? "" : "s", m->neps, m->neps == 1 ? "" : "s");
	if (inferred)
		inferred_note(f);
	fputs("<div class=\"tree-wrap\">", f);
	rep_tree_svg(f, m);
	fputs("</div></div>\n<div class=\"right\"><h3>P2P matrices</h3>\n", f);
	if (m->nshow < m->neps)
		fprintf(f, "<p class=\"note\">The matrices show the first %zu of %zu endpoints "
			"(--max-endpoints); <code>dmasim matrix</code> gives them all.</p>\n",
			m->nshow, m->neps);
	fprintf(f, "<input type=\"checkbox\" class=\"codes\" id=\"codes-%u\"><div class=\"controls\">"
		"<label for=\"codes-%u\">nvidia-smi codes</label> "
		"<label class=\"js\">filter devices <input type=\"search\" class=\"filter\" "
		"data-m=\"%u\" placeholder=\"name or BDF\"></label></div>\n",
		m->index, m->index, m->index);
	legend(f, inferred);
	for (k = 0; k < a->npolicy; k++) {
		g[k].arg = a->policy[k];
		if ((rc = cli_apply_policy(m->topo, &pols[k])))
			goto out;
		if (!rep_grid_fill(&g[k], m, &pols[k])) {
			rc = cli_usage("report", "out of memory");
			goto out;
		}
		fputs("<h4>", f);
		rep_esc(f, pols[k].name);
		fputs("</h4>\n", f);
		rep_matrix_html(f, m, &g[k], (unsigned)k);
	}
	if (a->npolicy > 1) {
		fputs("<h3>What changes between policies</h3>\n<div class=\"diffs\">", f);
		for (k = 1; k < a->npolicy; k++)
			rep_diff_html(f, m, &g[0], &g[k]);
		fputs("</div>\n", f);
	}
	fputs("</div></div>\n", f);
	if (!rep_details_json(f, m, g, a->npolicy))
		rc = cli_usage("report", "out of memory");
	fputs("</section>\n", f);
out:
	for (k = 0; k < a->npolicy; k++)
		rep_grid_free(&g[k]);
	return rc;
}

int cmd_report(const struct cli_ctx *cli, int argc, char **argv)
{
	struct dmasim_policy pols[MAX_ARGS];
	struct rep_machine ms[MAX_ARGS];
	struct report_args a;
	size_t i;
	int rc, failed = 0, r;
	FILE *f = NULL;

	if ((rc = parse(argc, argv, &a)))
		return rc < 0 ? CLI_OK : rc;
	memset(ms, 0, sizeof(ms));
	for (i = 0; i < a.npolicy; i++)
		if ((rc = cli_load_policy(cli, a.policy[i], &pols[i])))
			return rc;
	for (i = 0; i < a.ntopo; i++) {
		if ((rc = cli_load_topo(cli, a.topo[i], &ms[i].topo)))
			goto out;
		ms[i].index = (unsigned)i;
		ms[i].file = a.topo[i];
		ms[i].neps = cli_endpoints(ms[i].topo, &ms[i].eps);
		if (!ms[i].eps) {
			rc = cli_usage("report", "out of memory");
			goto out;
		}
		ms[i].nshow = ms[i].neps < a.max_eps ? ms[i].neps : (size_t)a.max_eps;
	}
	f = strcmp(a.out, "-") ? fopen(a.out, "w") : stdout;
	if (!f) {
		rc = cli_usage("report", "cannot write %s", a.out);
		goto out;
	}
	page_head(f, &a, ms);
	for (i = 0; i < a.ntopo; i++)
		if ((rc = machine_section(f, &a, &ms[i], pols)))
			goto out;
	for (i = 0; i < a.nsuite; i++) {
		r = rep_suite_html(f, a.suite[i], &cli->limits, (unsigned)i);
		if (r < 0)
			rc = CLI_USAGE;
		else if (r > 0)
			failed++;
	}
	fputs("</main>\n<aside id=\"details\" aria-live=\"polite\" hidden></aside>\n", f);
	fprintf(f, "<script>%s</script>\n</body></html>\n", dmasim_report_js);
	if (!rc && failed)
		rc = CLI_FAIL;
out:
	if (f && f != stdout && fclose(f) != 0 && !rc)
		rc = cli_usage("report", "cannot write %s", a.out);
	else if (f == stdout && fflush(stdout) != 0 && !rc)
		rc = cli_usage("report", "cannot write to stdout");
	for (i = 0; i < a.ntopo; i++) {
		free(ms[i].eps);
		dmasim_topo_destroy(ms[i].topo);
	}
	return rc;
}
