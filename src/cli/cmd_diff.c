/* dmasim diff -- what changes between two policies, grouped so that a
 * person can read it: per topology a matrix of the changed cells, and a
 * summary by path class. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/fleet.h"
#include "dmasim/scenario.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim diff - every pair whose decision changes between two policies\n"
"\n"
"SYNOPSIS\n"
"    dmasim diff --policy OLD --policy NEW [--all] [--json] [--shard K/N]\n"
"                [--progress] MACHINE...\n"
"\n"
"DESCRIPTION\n"
"    A MACHINE is a topology file, a sysfs snapshot directory (one holding\n"
"    sys/bus/pci/devices) or a tar archive of one as 'dmasim collect' writes\n"
"    it (imported as 'dmasim import sysfs' does), or a directory: every\n"
"    machine below it, in the byte order of the paths.  This answers the\n"
"    question asked before a kernel upgrade: which machines, and which pairs\n"
"    of devices on them, change verdict (docs/fleet.md)?\n"
"\n"
"    For each machine and every ordered pair of endpoints, an initiator and\n"
"    a target, computes the map type and distance under policy OLD and under\n"
"    policy NEW (the endpoints of 'dmasim matrix': host-bridge functions,\n"
"    class 0x0600, only with --all).  The initiator performs the DMA (the\n"
"    kernel's p2pdma 'client'); the target owns the memory it writes (the\n"
"    'provider').  When the target offers p2pmem, 4 KiB of it is also mapped\n"
"    for the initiator under each policy and the write judged (sound,\n"
"    unsound, conservative; see 'dmasim audit').\n"
"\n"
"    Per topology it prints a matrix of only the pairs that change (rows:\n"
"    initiators, columns: targets, each cell OLD -> NEW; '.' unchanged),\n"
"    then how many pairs of each path class change, and how:\n"
"\n"
"        same-switch          below one switch\n"
"        same-root-port       below one root port, no switch between\n"
"        same-pci-bridge      below one PCIe-to-PCI bridge\n"
"        same-host-bridge     below different root ports of one host bridge\n"
"        across-host-bridges  different host bridges of one PCI segment\n"
"        across-segments      different PCI segments\n"
"\n"
"    and ends with the same summary over all machines.  A cell is the map\n"
"    type as 'dmasim matrix' writes it (BUSn, HBn, NS) and, where the\n"
"    target offers p2pmem, the verdict.  Suite files among the TOPOLOGY\n"
"    arguments are skipped and counted at the end (so that\n"
"    topologies/x86_64/*.yaml works).  On a terminal, large runs show their\n"
"    progress on stderr.\n"
"\n"
"    A cell marked '*' rests on a value the topology marks inferred (an\n"
"    import guessed it; docs/topology.md, 'inferred:'): a port type, a root\n"
"    complex's P2P routing, a window, a BAR size, assumed p2pmem.  Under the\n"
"    matrix each such value is named with the number of changes resting on\n"
"    it (\"depends_on_inferred\" of each change in --json).\n"
"\n"
"    When a directory is walked or --shard is given, a table follows: one\n"
"    line per machine (pairs, pairs that change, changes resting on\n"
"    inferred values) and a total.  A machine\n"
"    that does not load is in the table with its error (and on stderr); the\n"
"    run goes on, and ends with exit status 2.\n"
"\n"
"OPTIONS\n"
"    --policy P  given twice, OLD then NEW: a built-in policy or a policy file\n"
"    --all       keep host-bridge functions (class 0x0600), which are\n"
"                left out by default, as 'dmasim matrix --all' does\n"
"    --json      one JSON document with the same grouping (docs/json.md)\n"
"    --shard K/N only shard K of N (K from 1 to N): machine i of the whole\n"
"                sorted list (from 0) belongs to shard i % N + 1; 'dmasim\n"
"                merge' joins the shards' JSON documents (docs/fleet.md)\n"
"    --progress  \"[I/N] MACHINE\" on stderr before each machine (default:\n"
"                only when stderr is a terminal)\n"
"    -h, --help  this text\n"
"\n"
"EXIT STATUS\n"
"    0 compared (whether or not anything changed); 2 bad usage, a machine\n"
"    that does not load, or more pairs in one machine than --limit pairs\n"
"    allows.\n";

/* One pair's answer under one policy, small (millions may be kept). */
struct state {
	signed char map_type;
	signed char verdict;   /* -1: not mapped (the target has no p2pmem) */
	short distance;
};

struct change {
	unsigned ini, tgt;     /* indexes into the endpoint array */
	unsigned char cls;
	bool inferred;         /* either answer rests on an inferred value */
	struct state old, new;
};

struct transition {
	struct state old, new;
	size_t count;
};

struct class_sum {
	size_t pairs, changed;
	struct transition *t;
	size_t nt, capt;
};

static const char *const class_names[CLI_NPATH_CLASSES] = CLI_PATH_CLASSES;

static unsigned char class_of(const struct dmasim_device *a, const struct dmasim_device *b)
{
	const char *c = cli_path_class(a, b);
	unsigned char k;

	for (k = 0; k + 1 < CLI_NPATH_CLASSES; k++)
		if (strcmp(c, class_names[k]) == 0)
			break;
	return k;
}

static struct state state_of(const struct dmasim_pair_report *r)
{
	struct state s;

	s.map_type = (signed char)r->map_type;
	s.distance = (short)cli_pair_distance(r->map_type,
					      r->distance > 32767 ? 32767 : r->distance);
	s.verdict = r->mapped ? (signed char)r->verdict : -1;
	return s;
}

static bool same(struct state a, struct state b)
{
	return a.map_type == b.map_type && a.distance == b.distance && a.verdict == b.verdict;
}

/* "BUS4", "HB6", "NS" as dmasim matrix writes them, then the verdict. */
static const char *cell(char *buf, size_t size, struct state s)
{
	size_t n;

	cli_map_text(buf, size, (enum dmasim_map_type)s.map_type, s.distance);
	n = strlen(buf);
	if (s.verdict >= 0 && n + 1 < size)
		snprintf(buf + n, size - n, " %s",
			 dmasim_verdict_name((enum dmasim_verdict)s.verdict));
	return buf;
}

static int add_transition(struct class_sum *c, struct state old, struct state new, size_t count)
{
	size_t i;

	for (i = 0; i < c->nt; i++)
		if (same(c->t[i].old, old) && same(c->t[i].new, new)) {
			c->t[i].count += count;
			return 0;
		}
	if (c->nt == c->capt) {
		size_t cap = c->capt ? 2 * c->capt : 8;
		struct transition *v = realloc(c->t, cap * sizeof(*v));
		if (!v)
			return -1;
		c->t = v;
		c->capt = cap;
	}
	c->t[c->nt++] = (struct transition){ old, new, count };
	return 0;
}

static int cmp_state(struct state a, struct state b)
{
	if (a.map_type != b.map_type)
		return a.map_type < b.map_type ? -1 : 1;
	if (a.distance != b.distance)
		return a.distance < b.distance ? -1 : 1;
	return a.verdict < b.verdict ? -1 : a.verdict > b.verdict;
}

/* The most frequent first; ties in a fixed order. */
static int cmp_transition(const void *a, const void *b)
{
	const struct transition *x = a, *y = b;
	int c;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	c = cmp_state(x->old, y->old);
	return c ? c : cmp_state(x->new, y->new);
}

static int cmp_change(const void *a, const void *b)
{
	const struct change *x = a, *y = b;

	if (x->ini != y->ini)
		return x->ini < y->ini ? -1 : 1;
	return x->tgt < y->tgt ? -1 : x->tgt > y->tgt;
}

/* One topology's diff, kept until it is printed. */
struct topo_diff {
	const char *file;
	size_t index;   /* in the whole list of machines */
	const struct dmasim_device **eps;
	size_t n, pairs;
	struct change *c;
	size_t nc, capc;
	size_t ninferred;   /* changes that rest on inferred values */
	struct class_sum cls[CLI_NPATH_CLASSES];
};

static void topo_diff_free(struct topo_diff *d)
{
	size_t k;

	free(d->eps);
	free(d->c);
	for (k = 0; k < CLI_NPATH_CLASSES; k++)
		free(d->cls[k].t);
}

/* The inferred values (an import's guesses, docs/topology.md) that either
 * policy's answer for the pair rests on: the upstream walks, the root
 * complexes a request turns in, the BAR and window the write lands in. */
static void pair_inferred(struct cli_inferred *o, const struct dmasim_device *tgt,
			  const struct dmasim_device *ini, const struct dmasim_pair_report r[2])
{
	int k;

	for (k = 0; k < 2; k++) {
		cli_inferred_pair(o, tgt, ini, r[k].map_type);
		if (r[k].routed)
			cli_inferred_landing(o, &r[k].landed);
	}
}

/* pair_inferred() of change @ch, the reports made again (kept for changed
 * pairs only, when they are printed). */
static void change_inferred(struct cli_inferred *o, const struct dmasim_topo *t,
			    const struct dmasim_policy pol[2], const struct topo_diff *d,
			    const struct change *ch)
{
	const struct dmasim_device *tgt = d->eps[ch->tgt], *ini = d->eps[ch->ini];
	struct dmasim_pair_report r[2];

	o->n = 0;
	if (ch->inferred && !dmasim_pair_report(t, &pol[0], tgt, ini, &r[0], NULL) &&
	    !dmasim_pair_report(t, &pol[1], tgt, ini, &r[1], NULL))
		pair_inferred(o, tgt, ini, r);
}

static int compute(const struct cli_ctx *cli, const struct dmasim_topo *t,
		   const struct dmasim_policy pol[2], bool all, struct topo_diff *d)
{
	size_t i, j, k;

	d->n = cli_endpoints(t, &d->eps);
	if (!d->eps)
		return cli_usage("diff", "out of memory");
	d->n = cli_pick_endpoints(d->eps, d->n, NULL, all);
	if (cli_check_pairs(cli, "diff", d->file, (uint64_t)d->n * (d->n ? d->n - 1 : 0)))
		return CLI_USAGE;
	for (i = 0; i < d->n; i++, cli_progress("diff", i * d->n, d->n * d->n)) {
		for (j = 0; j < d->n; j++) {
			const struct dmasim_device *tgt = d->eps[i], *ini = d->eps[j];
			struct dmasim_pair_report r[2];
			struct change ch;

			if (i == j)
				continue;
			if (dmasim_pair_report(t, &pol[0], tgt, ini, &r[0], NULL) ||
			    dmasim_pair_report(t, &pol[1], tgt, ini, &r[1], NULL))
				continue;
			ch.cls = class_of(ini, tgt);
			d->pairs++;
			d->cls[ch.cls].pairs++;
			ch.old = state_of(&r[0]);
			ch.new = state_of(&r[1]);
			if (same(ch.old, ch.new))
				continue;
			{
				struct cli_inferred inf = { 0 };
				pair_inferred(&inf, tgt, ini, r);
				ch.inferred = inf.n > 0;
				d->ninferred += ch.inferred;
			}
			ch.ini = (unsigned)j;
			ch.tgt = (unsigned)i;
			if (d->nc == d->capc) {
				size_t cap = d->capc ? 2 * d->capc : 64;
				struct change *v = realloc(d->c, cap * sizeof(*v));
				if (!v)
					return cli_usage("diff", "out of memory");
				d->c = v;
				d->capc = cap;
			}
			d->c[d->nc++] = ch;
			d->cls[ch.cls].changed++;
			if (add_transition(&d->cls[ch.cls], ch.old, ch.new, 1))
				return cli_usage("diff", "out of memory");
		}
	}
	cli_progress("diff", d->n * d->n, d->n * d->n);
	if (d->nc > 1)
		qsort(d->c, d->nc, sizeof(*d->c), cmp_change);
	for (k = 0; k < CLI_NPATH_CLASSES; k++)
		if (d->cls[k].nt > 1)
			qsort(d->cls[k].t, d->cls[k].nt, sizeof(*d->cls[k].t), cmp_transition);
	return CLI_OK;
}

/* ---- text ---- */

/* One matrix cell: two spaces, then @text padded to @width unless it is
 * the last on its line. */
static void put_cell(const char *text, size_t width, bool last)
{
	printf("  %-*s", last ? 0 : (int)width, text);
}

static void print_classes(const struct class_sum *cls, const char *indent)
{
	char a[48], b[48];
	size_t k, i;

	for (k = 0; k < CLI_NPATH_CLASSES; k++) {
		if (!cls[k].pairs)
			continue;
		printf("%s%-20s %zu of %zu pairs change", indent, class_names[k],
		       cls[k].changed, cls[k].pairs);
		for (i = 0; i < cls[k].nt; i++)
			printf("%s%s -> %s (%zu)", i ? ", " : ": ",
			       cell(a, sizeof(a), cls[k].t[i].old),
			       cell(b, sizeof(b), cls[k].t[i].new), cls[k].t[i].count);
		putchar('\n');
	}
}

/* A matrix cell: "OLD -> NEW", and '*' when it rests on inferred values. */
static const char *change_cell(char *buf, size_t size, const struct change *ch)
{
	char a[48], b[48];

	snprintf(buf, size, "%s -> %s%s", cell(a, sizeof(a), ch->old), cell(b, sizeof(b), ch->new),
		 ch->inferred ? "*" : "");
	return buf;
}

static void print_matrix(const struct topo_diff *d)
{
	size_t *col = calloc(d->n, sizeof(*col)), *width, ncols = 0, lw, i, j, r;
	char buf[112];
	const char *corner = "initiator \\ target";

	width = calloc(d->n + 1, sizeof(*width));
	if (!col || !width) {
		free(col);
		free(width);
		printf("  (out of memory for the matrix)\n");
		return;
	}
	/* columns: the targets with a change, in endpoint order */
	for (i = 0; i < d->nc; i++)
		col[d->c[i].tgt] = 1;
	for (i = 0; i < d->n; i++)
		if (col[i]) {
			col[i] = ++ncols;  /* 1-based column */
			width[ncols] = strlen(CLI_TEXT(d->eps[i]->name));
		}
	lw = strlen(corner);
	for (i = 0; i < d->nc; i++) {
		size_t w;
		w = strlen(change_cell(buf, sizeof(buf), &d->c[i]));
		if (w > width[col[d->c[i].tgt]])
			width[col[d->c[i].tgt]] = w;
		w = strlen(CLI_TEXT(d->eps[d->c[i].ini]->name));
		if (w > lw)
			lw = w;
	}
	printf("  %-*s", (int)lw, corner);
	for (i = 0; i < d->n; i++)
		if (col[i])
			put_cell(CLI_TEXT(d->eps[i]->name), width[col[i]], col[i] == ncols);
	putchar('\n');
	for (r = 0; r < d->nc; r = j) {
		size_t c = 1;
		printf("  %-*s", (int)lw, CLI_TEXT(d->eps[d->c[r].ini]->name));
		for (j = r; j < d->nc && d->c[j].ini == d->c[r].ini; j++) {
			for (; c < col[d->c[j].tgt]; c++)
				put_cell(".", width[c], false);
			put_cell(change_cell(buf, sizeof(buf), &d->c[j]), width[c], c == ncols);
			c++;
		}
		for (; c <= ncols; c++)
			put_cell(".", width[c], c == ncols);
		putchar('\n');
	}
	free(col);
	free(width);
}

/* Under the matrix: each inferred value that changes marked '*' rest on,
 * with how many of them do. */
static void print_inferred(const struct dmasim_topo *t, const struct dmasim_policy pol[2],
			   const struct topo_diff *d)
{
	struct cli_inferred_tally tally = { 0 };
	struct cli_inferred inf;
	size_t i;

	printf("  * %zu of these change%s rest%s on values the topology marks inferred:\n",
	       d->ninferred, d->ninferred == 1 ? "" : "s", d->ninferred == 1 ? "s" : "");
	for (i = 0; i < d->nc; i++) {
		change_inferred(&inf, t, pol, d, &d->c[i]);
		if (cli_inferred_tally_add(&tally, &inf))
			break;
	}
	cli_inferred_tally_print(&tally, "    ");
	cli_inferred_tally_free(&tally);
}

static void print_text(const struct dmasim_topo *t, const struct dmasim_policy pol[2],
		       const struct topo_diff *d)
{
	printf("\n%s: %zu of %zu pairs change\n", CLI_TEXT(d->file), d->nc, d->pairs);
	if (d->nc)
		print_matrix(d);
	if (d->ninferred)
		print_inferred(t, pol, d);
	printf("  by path class:\n");
	print_classes(d->cls, "    ");
}

/* ---- JSON ---- */

static void json_state(struct jw *w, const char *key, struct state s)
{
	char buf[48];

	dmasim__jw_key(w, key);
	dmasim__jw_obj_begin(w);
	dmasim__jw_kstr(w, "map_type", dmasim_map_type_name((enum dmasim_map_type)s.map_type));
	dmasim__jw_kint(w, "distance", s.distance);
	if (s.verdict >= 0)
		dmasim__jw_kstr(w, "verdict", dmasim_verdict_name((enum dmasim_verdict)s.verdict));
	else
		dmasim__jw_kstr(w, "verdict", NULL);
	dmasim__jw_kstr(w, "cell", cell(buf, sizeof(buf), s));
	dmasim__jw_obj_end(w);
}

static void json_classes(struct jw *w, const struct class_sum *cls)
{
	size_t k, i;

	dmasim__jw_key(w, "classes");
	dmasim__jw_arr_begin(w);
	for (k = 0; k < CLI_NPATH_CLASSES; k++) {
		if (!cls[k].pairs)
			continue;
		dmasim__jw_obj_begin(w);
		dmasim__jw_kstr(w, "class", class_names[k]);
		dmasim__jw_kint(w, "pairs", (long long)cls[k].pairs);
		dmasim__jw_kint(w, "changed", (long long)cls[k].changed);
		dmasim__jw_key(w, "transitions");
		dmasim__jw_arr_begin(w);
		for (i = 0; i < cls[k].nt; i++) {
			dmasim__jw_obj_begin(w);
			json_state(w, "old", cls[k].t[i].old);
			json_state(w, "new", cls[k].t[i].new);
			dmasim__jw_kint(w, "count", (long long)cls[k].t[i].count);
			dmasim__jw_obj_end(w);
		}
		dmasim__jw_arr_end(w);
		dmasim__jw_obj_end(w);
	}
	dmasim__jw_arr_end(w);
}

static void print_json_topo(struct jw *w, const struct dmasim_topo *t,
			    const struct dmasim_policy pol[2], const struct topo_diff *d)
{
	struct cli_inferred inf;
	bool *seen = calloc(d->n ? d->n : 1, sizeof(*seen));
	size_t i;

	dmasim__jw_obj_begin(w);
	dmasim__jw_kstr(w, "file", d->file);
	dmasim__jw_kint(w, "index", (long long)d->index);
	dmasim__jw_kint(w, "pairs", (long long)d->pairs);
	dmasim__jw_kint(w, "changed", (long long)d->nc);
	dmasim__jw_kint(w, "changed_inferred", (long long)d->ninferred);
	dmasim__jw_key(w, "initiators");
	dmasim__jw_arr_begin(w);
	for (i = 0; i < d->nc && seen; i++)
		if (i == 0 || d->c[i].ini != d->c[i - 1].ini)
			dmasim__jw_str(w, d->eps[d->c[i].ini]->name);
	dmasim__jw_arr_end(w);
	dmasim__jw_key(w, "targets");
	dmasim__jw_arr_begin(w);
	for (i = 0; i < d->nc && seen; i++)
		seen[d->c[i].tgt] = true;
	for (i = 0; i < d->n && seen; i++)
		if (seen[i])
			dmasim__jw_str(w, d->eps[i]->name);
	dmasim__jw_arr_end(w);
	dmasim__jw_key(w, "changes");
	dmasim__jw_arr_begin(w);
	for (i = 0; i < d->nc; i++) {
		dmasim__jw_obj_begin(w);
		dmasim__jw_kstr(w, "initiator", d->eps[d->c[i].ini]->name);
		dmasim__jw_kstr(w, "target", d->eps[d->c[i].tgt]->name);
		dmasim__jw_kstr(w, "class", class_names[d->c[i].cls]);
		json_state(w, "old", d->c[i].old);
		json_state(w, "new", d->c[i].new);
		change_inferred(&inf, t, pol, d, &d->c[i]);
		cli_inferred_json(w, &inf);
		dmasim__jw_obj_end(w);
	}
	dmasim__jw_arr_end(w);
	json_classes(w, d->cls);
	dmasim__jw_obj_end(w);
	free(seen);
}

/* Add one topology's class sums into the total. */
static int add_classes(struct class_sum *total, const struct class_sum *cls)
{
	size_t k, i;

	for (k = 0; k < CLI_NPATH_CLASSES; k++) {
		total[k].pairs += cls[k].pairs;
		total[k].changed += cls[k].changed;
		for (i = 0; i < cls[k].nt; i++)
			if (add_transition(&total[k], cls[k].t[i].old, cls[k].t[i].new,
					   cls[k].t[i].count))
				return -1;
	}
	return 0;
}

static const char *const diff_cols[] = { "pairs", "changed", "inferred" };

int cmd_diff(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "shard", required_argument, NULL, 's' },
		{ "progress", no_argument, NULL, 'P' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *names[2] = { NULL, NULL };
	struct class_sum total[CLI_NPATH_CLASSES];
	struct dmasim_policy pol[2];
	size_t npol = 0, changed = 0, pairs = 0, inferred = 0, k, mi, failed = 0;
	bool json = false, progress = false, table, all = false;
	unsigned shard_k = 0, shard_n = 0;
	struct cli_fleet_row *rows;
	struct cli_fleet fleet;
	struct jw w;
	int c, rc = CLI_OK;

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
		case 's':
			if (cli_parse_shard("diff", optarg, &shard_k, &shard_n))
				return CLI_USAGE;
			break;
		case 'P':
			progress = true;
			break;
		case 'a':
			all = true;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("diff", argv);
		}
	}
	if (npol != 2)
		return cli_usage("diff", "give two policies: --policy OLD --policy NEW");
	if (optind >= argc)
		return cli_usage("diff", "no MACHINE given");
	for (k = 0; k < 2; k++)
		if ((rc = cli_load_policy(cli, names[k], &pol[k])))
			return rc;
	if ((rc = cli_fleet_expand("diff", argv + optind, (size_t)(argc - optind), shard_k,
				   shard_n, &fleet)))
		return rc;
	if (!(rows = calloc(fleet.n ? fleet.n : 1, sizeof(*rows)))) {
		cli_fleet_free(&fleet);
		return cli_usage("diff", "out of memory");
	}
	progress = cli_fleet_progress_on(progress, fleet.n);
	table = fleet.walked || fleet.shard_n;
	memset(total, 0, sizeof(total));
	if (json) {
		cli_json_begin(&w, true, "diff");
		dmasim__jw_kstr(&w, "old", pol[0].name);
		dmasim__jw_kstr(&w, "new", pol[1].name);
		dmasim__jw_key(&w, "topologies");
		dmasim__jw_arr_begin(&w);
	} else {
		printf("diff %s -> %s\n", CLI_TEXT(pol[0].name), CLI_TEXT(pol[1].name));
		printf("Pairs are INITIATOR -> TARGET: the initiator (the kernel's p2pdma client)\n"
		       "writes the target's memory (the provider's BAR).  A cell is the map type\n"
		       "and distance as 'dmasim matrix' shows them (BUSn, HBn, NS) and, where the\n"
		       "target offers p2pmem, the verdict on 4 KiB mapped and written; OLD -> NEW.\n");
	}
	for (mi = 0; mi < fleet.n && rc == CLI_OK; mi++) {
		struct cli_fleet_row *row = &rows[mi];
		struct dmasim_error err;
		struct dmasim_topo *t;
		struct topo_diff d;

		row->file = fleet.path[mi];
		row->index = fleet.index[mi];
		cli_fleet_progress(progress, mi + 1, fleet.n, row->file);
		if (cli_load_machine(cli, row->file, &t, &err) != DMASIM_OK) {
			cli_fleet_progress(progress, fleet.n + 1, fleet.n, NULL);
			cli_print_error(&err);
			dmasim_error_snprintf(row->error, sizeof(row->error), &err);
			if (!json && !table)   /* no table to name it: say it here */
				printf("\n%s: not loaded (the error is on stderr)\n", CLI_TEXT(row->file));
			failed++;
			continue;
		}
		memset(&d, 0, sizeof(d));
		d.file = row->file;
		d.index = row->index;
		if ((rc = compute(cli, t, pol, all, &d)) == CLI_OK) {
			if (json)
				print_json_topo(&w, t, pol, &d);
			else
				print_text(t, pol, &d);
			pairs += d.pairs;
			changed += d.nc;
			row->v[0] = d.pairs;
			row->v[1] = d.nc;
			row->v[2] = d.ninferred;
			inferred += d.ninferred;
			if (add_classes(total, d.cls))
				rc = cli_usage("diff", "out of memory");
		}
		topo_diff_free(&d);
		dmasim_topo_destroy(t);
	}
	cli_fleet_progress(progress, fleet.n + 1, fleet.n, NULL);
	for (k = 0; k < CLI_NPATH_CLASSES; k++)
		if (total[k].nt > 1)
			qsort(total[k].t, total[k].nt, sizeof(*total[k].t), cmp_transition);
	if (rc == CLI_OK) {
		if (json) {
			dmasim__jw_arr_end(&w);
			json_classes(&w, total);
			dmasim__jw_kint(&w, "pairs", (long long)pairs);
			dmasim__jw_kint(&w, "changed", (long long)changed);
			dmasim__jw_kint(&w, "changed_inferred", (long long)inferred);
			cli_fleet_json_rows(&w, rows, fleet.n, diff_cols, 3);
			cli_fleet_json_info(&w, &fleet);
			dmasim__jw_obj_end(&w);
			dmasim__jw_end(&w);
		} else {
			printf("\nall topologies by path class:\n");
			print_classes(total, "  ");
			printf("%zu of %zu pairs change", changed, pairs);
			if (inferred)
				printf(" (%zu resting on inferred values)", inferred);
			putchar('\n');
			if (table)
				cli_fleet_table(rows, fleet.n, diff_cols, 3, 1, "change");
			cli_fleet_footer(&fleet);
		}
	}
	for (k = 0; k < CLI_NPATH_CLASSES; k++)
		free(total[k].t);
	free(rows);
	cli_fleet_free(&fleet);
	return rc != CLI_OK ? rc : failed ? CLI_USAGE : CLI_OK;
}
