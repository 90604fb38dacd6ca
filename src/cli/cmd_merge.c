/* dmasim merge -- the JSON documents of a fleet's shards as the one
 * document of the whole run (docs/fleet.md). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "dmasim/scenario.h"
#include "load/ynode.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim merge - join the JSON of a fleet's shards into one document\n"
"\n"
"SYNOPSIS\n"
"    dmasim merge SHARD.json...\n"
"\n"
"DESCRIPTION\n"
"    Reads the documents that 'dmasim diff --json --shard K/N' or 'dmasim\n"
"    audit --json --shard K/N' wrote, one per shard, and writes the document\n"
"    that the same command without --shard writes: the machines in the\n"
"    order of the whole list, the summaries summed again, \"shard\": null.\n"
"    The shards must be of one run: the same command, policies and options\n"
"    over the same machines (the same \"fleet\", a fingerprint of the whole\n"
"    list), cut the same N ways, together holding every machine exactly\n"
"    once.  Anything else is refused, naming both files and what differs.\n"
"    The order of the files does not matter.  See docs/fleet.md.\n"
"\n"
"OPTIONS\n"
"    -h, --help  this text\n"
"\n"
"EXIT STATUS\n"
"    What the unsharded command would have given: 2 when a machine did not\n"
"    load; for audit, 1 when a pair is unsound; else 0.  2 also for bad\n"
"    input (a file that is no shard, shards that do not fit together).\n";

struct shard {
	struct ydoc y;
	struct dmasim_error err;
	const char *file;
	yaml_node_t *root;
	unsigned long k, n;   /* "shard": "K/N"; 0/0 for null */
};

static yaml_node_t *node(struct shard *s, yaml_node_item_t id)
{
	return yaml_document_get_node(&s->y.doc, id);
}

/* The value of @key in the mapping @map, or NULL. */
static yaml_node_t *get(struct shard *s, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(s, p->key);
		if (k && k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
			return node(s, p->value);
	}
	return NULL;
}

static const char *str(struct shard *s, yaml_node_t *map, const char *key)
{
	return dmasim__yscalar(get(s, map, key));
}

static bool is_null(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       strcmp((char *)n->data.scalar.value, "null") == 0;
}

/* An integer value >= 0, or -1. */
static long long num(struct shard *s, yaml_node_t *map, const char *key)
{
	const char *v = str(s, map, key);
	char *end;
	long long x;

	if (!v || !*v)
		return -1;
	x = strtoll(v, &end, 10);
	return *end || x < 0 ? -1 : x;
}

/* The length of a list; 0 for anything else. */
static size_t len(yaml_node_t *seq)
{
	return seq && seq->type == YAML_SEQUENCE_NODE ? dmasim__yseq_len(seq) : 0;
}

/* Write @n as JSON again, as jw wrote it: quoted scalars are strings,
 * plain ones null, true, false or integers. */
static void emit(struct jw *w, struct shard *s, yaml_node_t *n)
{
	yaml_node_pair_t *p;
	yaml_node_item_t *it;

	switch (n->type) {
	case YAML_MAPPING_NODE:
		dmasim__jw_obj_begin(w);
		for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			dmasim__jw_key(w, (const char *)node(s, p->key)->data.scalar.value);
			emit(w, s, node(s, p->value));
		}
		dmasim__jw_obj_end(w);
		break;
	case YAML_SEQUENCE_NODE:
		dmasim__jw_arr_begin(w);
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			emit(w, s, node(s, *it));
		dmasim__jw_arr_end(w);
		break;
	default: {
		const char *v = (const char *)n->data.scalar.value;
		if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
			dmasim__jw_str(w, v);
		else if (strcmp(v, "null") == 0)
			dmasim__jw_null(w);
		else if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0)
			dmasim__jw_bool(w, v[0] == 't');
		else
			dmasim__jw_int(w, strtoll(v, NULL, 10));
		break;
	}
	}
}

/* ---- diff's classes, summed again as cmd_diff.c sums them ---- */

struct state {
	int map_type, distance, verdict;   /* verdict -1: null */
	yaml_node_t *n;
	struct shard *s;
};

struct transition {
	struct state old, new;
	long long count;
};

struct class_sum {
	long long pairs, changed;
	struct transition *t;
	size_t nt, cap;
};

static int state_of(struct shard *s, yaml_node_t *n, struct state *out)
{
	const char *mt = str(s, n, "map_type"), *v = str(s, n, "verdict");
	yaml_node_t *d = get(s, n, "distance");
	int k;

	if (!mt || !d || d->type != YAML_SCALAR_NODE)
		return -1;
	out->map_type = (int)dmasim_map_type_parse(mt);
	out->distance = atoi((const char *)d->data.scalar.value);
	out->verdict = -1;
	for (k = 0; v && !is_null(get(s, n, "verdict")) && k < DMASIM_VERDICT_COUNT; k++)
		if (strcmp(v, dmasim_verdict_name((enum dmasim_verdict)k)) == 0)
			out->verdict = k;
	out->n = n;
	out->s = s;
	return out->map_type == DMASIM_MAP_TYPE_COUNT ? -1 : 0;
}

static bool same(const struct state *a, const struct state *b)
{
	return a->map_type == b->map_type && a->distance == b->distance && a->verdict == b->verdict;
}

static int cmp_state(const struct state *a, const struct state *b)
{
	if (a->map_type != b->map_type)
		return a->map_type < b->map_type ? -1 : 1;
	if (a->distance != b->distance)
		return a->distance < b->distance ? -1 : 1;
	return a->verdict < b->verdict ? -1 : a->verdict > b->verdict;
}

static int cmp_transition(const void *a, const void *b)
{
	const struct transition *x = a, *y = b;
	int c;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	c = cmp_state(&x->old, &y->old);
	return c ? c : cmp_state(&x->new, &y->new);
}

static const char *const class_names[CLI_NPATH_CLASSES] = CLI_PATH_CLASSES;

/* Add one topology's "classes" into @sum; -1 when malformed. */
static int add_classes(struct class_sum *sum, struct shard *s, yaml_node_t *classes)
{
	size_t i, j, k, t;

	for (i = 0; i < len(classes); i++) {
		yaml_node_t *c = dmasim__yseq_at(&s->y, classes, i), *tr = get(s, c, "transitions");
		const char *name = str(s, c, "class");

		for (k = 0; name && k < CLI_NPATH_CLASSES; k++)
			if (strcmp(name, class_names[k]) == 0)
				break;
		if (!name || k == CLI_NPATH_CLASSES || num(s, c, "pairs") < 0 || num(s, c, "changed") < 0)
			return -1;
		sum[k].pairs += num(s, c, "pairs");
		sum[k].changed += num(s, c, "changed");
		for (j = 0; j < len(tr); j++) {
			yaml_node_t *x = dmasim__yseq_at(&s->y, tr, j);
			struct transition nt;
			if (state_of(s, get(s, x, "old"), &nt.old) ||
			    state_of(s, get(s, x, "new"), &nt.new) || (nt.count = num(s, x, "count")) < 0)
				return -1;
			for (t = 0; t < sum[k].nt; t++)
				if (same(&sum[k].t[t].old, &nt.old) && same(&sum[k].t[t].new, &nt.new))
					break;
			if (t < sum[k].nt) {
				sum[k].t[t].count += nt.count;
				continue;
			}
			if (sum[k].nt == sum[k].cap) {
				size_t cap = sum[k].cap ? 2 * sum[k].cap : 8;
				struct transition *v = realloc(sum[k].t, cap * sizeof(*v));
				if (!v)
					return -1;
				sum[k].t = v;
				sum[k].cap = cap;
			}
			sum[k].t[sum[k].nt++] = nt;
		}
	}
	return 0;
}

static void emit_classes(struct jw *w, struct class_sum *sum)
{
	size_t k, i;

	dmasim__jw_key(w, "classes");
	dmasim__jw_arr_begin(w);
	for (k = 0; k < CLI_NPATH_CLASSES; k++) {
		if (!sum[k].pairs)
			continue;
		if (sum[k].nt > 1)
			qsort(sum[k].t, sum[k].nt, sizeof(*sum[k].t), cmp_transition);
		dmasim__jw_obj_begin(w);
		dmasim__jw_kstr(w, "class", class_names[k]);
		dmasim__jw_kint(w, "pairs", sum[k].pairs);
		dmasim__jw_kint(w, "changed", sum[k].changed);
		dmasim__jw_key(w, "transitions");
		dmasim__jw_arr_begin(w);
		for (i = 0; i < sum[k].nt; i++) {
			dmasim__jw_obj_begin(w);
			dmasim__jw_key(w, "old");
			emit(w, sum[k].t[i].old.s, sum[k].t[i].old.n);
			dmasim__jw_key(w, "new");
			emit(w, sum[k].t[i].new.s, sum[k].t[i].new.n);
			dmasim__jw_kint(w, "count", sum[k].t[i].count);
			dmasim__jw_obj_end(w);
		}
		dmasim__jw_arr_end(w);
		dmasim__jw_obj_end(w);
	}
	dmasim__jw_arr_end(w);
}

/* ---- merging ---- */

/* Where machine i of the whole list is: its shard, its table row, and its
 * details (NULL when it did not load). */
struct slot {
	struct shard *s;
	yaml_node_t *row, *topo;
};

/* "dmasim merge: FILE[:LINE:COLUMN]: what", at node @at when there is one. */
static int refuse_at(const char *file, const yaml_node_t *at, const char *what)
{
	fprintf(stderr, "dmasim merge: ");
	cli_put_text(stderr, file);
	if (at) {
		struct dmasim_pos pos = dmasim__ypos(at);
		fprintf(stderr, ":%u:%u", pos.line, pos.column);
	}
	fprintf(stderr, ": %s\n", what);
	return CLI_USAGE;
}

static int refuse(const char *file, const char *what)
{
	return refuse_at(file, NULL, what);
}

/* "shard": "K/N" into s->k, s->n (null: 0/0); -1 when it is neither. */
static int parse_shard(struct shard *s)
{
	yaml_node_t *n = get(s, s->root, "shard");
	const char *v = dmasim__yscalar(n);
	char *e1, *e2;

	s->k = s->n = 0;
	if (is_null(n))
		return 0;
	if (!v || v[0] < '1' || v[0] > '9')
		return -1;
	s->k = strtoul(v, &e1, 10);
	if (*e1 != '/' || e1[1] < '1' || e1[1] > '9')
		return -1;
	s->n = strtoul(e1 + 1, &e2, 10);
	return *e2 || s->k > s->n || s->n > 1000000 ? -1 : 0;
}

static const char *shown(const char *v)
{
	return !v ? "missing" : *v ? v : "\"\"";
}

/* @b is not of @a's run: say so, naming both files, what differs, both
 * values and what it means. */
static int differs(struct shard *a, struct shard *b, const char *key, const char *x,
		   const char *y, const char *why)
{
	fprintf(stderr, "dmasim merge: ");
	cli_put_text(stderr, b->file);
	fprintf(stderr, ": not a shard of the same run as ");
	cli_put_text(stderr, a->file);
	fprintf(stderr, ": \"%s\" differs (", key);
	cli_put_text(stderr, shown(x));
	fprintf(stderr, " in ");
	cli_put_text(stderr, a->file);
	fprintf(stderr, ", ");
	cli_put_text(stderr, shown(y));
	fprintf(stderr, " in ");
	cli_put_text(stderr, b->file);
	fprintf(stderr, "): %s\n", why);
	return CLI_USAGE;
}

/* The keys every shard must agree on (docs/fleet.md, "Merging"), and what
 * a difference in each means. */
static int same_run(struct shard *a, struct shard *b, bool diff)
{
	static const char *const key[] = { "fleet", "old", "new", "policy", "options",
					   "machines_total", "skipped_suites", "skipped_files" };
	static const char *const why[] = {
		"other machines (another directory or other arguments, or files added or removed between the shards' runs)",
		"another old policy", "another new policy", "another policy",
		"other options", "another number of machines",
		"another number of suite files skipped", "another number of files skipped" };
	size_t i;

	if (a->n != b->n) {
		char x[24], y[24];
		snprintf(x, sizeof(x), a->n ? "K/%lu" : "null", a->n);
		snprintf(y, sizeof(y), b->n ? "K/%lu" : "null", b->n);
		return differs(a, b, "shard", x, y, "another number of shards N (--shard K/N)");
	}
	for (i = 0; i < sizeof(key) / sizeof(key[0]); i++) {
		const char *x = str(a, a->root, key[i]), *y = str(b, b->root, key[i]);
		if ((i == 1 || i == 2) && !diff)
			continue;
		if (i == 3 && diff)
			continue;
		if (!x || !y || strcmp(x, y) != 0)
			return differs(a, b, key[i], x, y, why[i]);
	}
	return CLI_OK;
}

static int merge(struct shard *sh, size_t nsh)
{
	struct class_sum sum[CLI_NPATH_CLASSES];
	const char *cmd = str(&sh[0], sh[0].root, "command");
	bool diff = cmd && strcmp(cmd, "diff") == 0;
	long long total = num(&sh[0], sh[0].root, "machines_total"), pairs = 0, changed = 0;
	long long inferred = 0;
	long long vsum[4] = { 0 };
	static const char *const vkeys[4] = { "pairs", "sound", "unsound", "conservative" };
	struct slot *slot;
	size_t i, j, failed = 0;
	struct jw w;
	int rc = CLI_OK;

	for (i = 0; i < nsh; i++) {
		const char *c = str(&sh[i], sh[i].root, "command"), *m = str(&sh[i], sh[i].root, "mode");
		if (!c || num(&sh[i], sh[i].root, "format") != 1 ||
		    (strcmp(c, "diff") != 0 && !(strcmp(c, "audit") == 0 && m && strcmp(m, "fleet") == 0)) ||
		    !get(&sh[i], sh[i].root, "machines") || !get(&sh[i], sh[i].root, "shard"))
			return refuse(sh[i].file, "not the JSON of 'dmasim diff --json' or of 'dmasim audit --json' over a fleet (format 1)");
		if (!str(&sh[i], sh[i].root, "fleet") || !str(&sh[i], sh[i].root, "options"))
			return refuse(sh[i].file, "no \"fleet\" or \"options\" to tell its run (written by an older dmasim? run the shards again)");
		if (parse_shard(&sh[i]))
			return refuse_at(sh[i].file, get(&sh[i], sh[i].root, "shard"), "\"shard\" is neither \"K/N\" (1 <= K <= N) nor null");
		if (strcmp(c, cmd) != 0)
			return refuse_at(sh[i].file, get(&sh[i], sh[i].root, "command"), "a shard of another command than the first file's");
		if (i && (rc = same_run(&sh[0], &sh[i], diff)))
			return rc;
	}
	if (total < 0 || total > 100000000)
		return refuse(sh[0].file, "no valid machines_total");
	if (!(slot = calloc((size_t)total + 1, sizeof(*slot))))
		return refuse(sh[0].file, "out of memory");
	for (i = 0; i < nsh && rc == CLI_OK; i++) {
		yaml_node_t *rows = get(&sh[i], sh[i].root, "machines");
		yaml_node_t *topos = get(&sh[i], sh[i].root, "topologies");
		for (j = 0; j < len(rows) && rc == CLI_OK; j++) {
			yaml_node_t *r = dmasim__yseq_at(&sh[i].y, rows, j);
			long long ix = num(&sh[i], r, "index");
			if (ix < 0 || ix >= total)
				rc = refuse_at(sh[i].file, r, "a machine's index is outside 0..machines_total-1");
			else if (slot[ix].row)
				rc = refuse_at(sh[i].file, r, "a machine is in two shards (the same shard given twice?)");
			else if (sh[i].n && (unsigned long)ix % sh[i].n != sh[i].k - 1)
				rc = refuse_at(sh[i].file, r, "a machine's index is not one of its shard K/N's (index % N != K - 1)");
			else
				slot[ix] = (struct slot){ &sh[i], r, NULL };
		}
		for (j = 0; j < len(topos) && rc == CLI_OK; j++) {
			yaml_node_t *t = dmasim__yseq_at(&sh[i].y, topos, j);
			long long ix = num(&sh[i], t, "index");
			if (ix < 0 || ix >= total || slot[ix].s != &sh[i] || slot[ix].topo)
				rc = refuse_at(sh[i].file, t, "a topology whose index is not one of this shard's machines");
			else
				slot[ix].topo = t;
		}
	}
	for (i = 0; rc == CLI_OK && i < (size_t)total; i++)
		if (!slot[i].row) {
			char msg[160];
			snprintf(msg, sizeof(msg), "machine %zu of %lld is in none of the files (a shard missing?)",
				 i, total);
			rc = refuse(sh[0].file, msg);
		}
	memset(sum, 0, sizeof(sum));
	for (i = 0; rc == CLI_OK && i < (size_t)total; i++) {
		if (str(slot[i].s, slot[i].row, "error"))
			failed++;
		if (!slot[i].topo)
			continue;
		if (diff) {
			if (add_classes(sum, slot[i].s, get(slot[i].s, slot[i].topo, "classes")) ||
			    num(slot[i].s, slot[i].topo, "pairs") < 0 ||
			    num(slot[i].s, slot[i].topo, "changed") < 0 ||
			    num(slot[i].s, slot[i].topo, "changed_inferred") < 0)
				rc = refuse_at(slot[i].s->file, slot[i].topo, "a topology's classes or counts are malformed");
			pairs += num(slot[i].s, slot[i].topo, "pairs");
			changed += num(slot[i].s, slot[i].topo, "changed");
			inferred += num(slot[i].s, slot[i].topo, "changed_inferred");
		} else {
			yaml_node_t *sm = get(slot[i].s, slot[i].topo, "summary");
			for (j = 0; j < 4; j++) {
				if (num(slot[i].s, sm, vkeys[j]) < 0)
					rc = refuse_at(slot[i].s->file, slot[i].topo, "a topology's summary is malformed");
				vsum[j] += num(slot[i].s, sm, vkeys[j]);
			}
		}
	}
	if (rc == CLI_OK) {
		cli_json_begin(&w, true, cmd);
		if (diff) {
			dmasim__jw_kstr(&w, "old", str(&sh[0], sh[0].root, "old"));
			dmasim__jw_kstr(&w, "new", str(&sh[0], sh[0].root, "new"));
		} else {
			dmasim__jw_kstr(&w, "mode", "fleet");
			dmasim__jw_kstr(&w, "policy", str(&sh[0], sh[0].root, "policy"));
		}
		dmasim__jw_key(&w, "topologies");
		dmasim__jw_arr_begin(&w);
		for (i = 0; i < (size_t)total; i++)
			if (slot[i].topo)
				emit(&w, slot[i].s, slot[i].topo);
		dmasim__jw_arr_end(&w);
		if (diff) {
			emit_classes(&w, sum);
			dmasim__jw_kint(&w, "pairs", pairs);
			dmasim__jw_kint(&w, "changed", changed);
			dmasim__jw_kint(&w, "changed_inferred", inferred);
		} else {
			dmasim__jw_key(&w, "summary");
			dmasim__jw_obj_begin(&w);
			for (j = 0; j < 4; j++)
				dmasim__jw_kint(&w, vkeys[j], vsum[j]);
			dmasim__jw_obj_end(&w);
		}
		dmasim__jw_key(&w, "machines");
		dmasim__jw_arr_begin(&w);
		for (i = 0; i < (size_t)total; i++)
			emit(&w, slot[i].s, slot[i].row);
		dmasim__jw_arr_end(&w);
		dmasim__jw_kint(&w, "machines_total", total);
		dmasim__jw_kint(&w, "skipped_suites", num(&sh[0], sh[0].root, "skipped_suites"));
		dmasim__jw_kint(&w, "skipped_files", num(&sh[0], sh[0].root, "skipped_files"));
		/* the unsharded run's "fleet" is its shards': the fingerprint
		 * leaves N out (cli_fleet_id) */
		dmasim__jw_kstr(&w, "shard", NULL);
		dmasim__jw_kstr(&w, "fleet", str(&sh[0], sh[0].root, "fleet"));
		dmasim__jw_kstr(&w, "options", str(&sh[0], sh[0].root, "options"));
		dmasim__jw_obj_end(&w);
		dmasim__jw_end(&w);
		rc = failed ? CLI_USAGE : !diff && vsum[2] ? CLI_FAIL : CLI_OK;
	}
	for (i = 0; i < CLI_NPATH_CLASSES; i++)
		free(sum[i].t);
	free(slot);
	return rc;
}

int cmd_merge(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct shard *sh;
	size_t n, i, loaded = 0;
	int c, rc = CLI_OK;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h')
			return cli_help(help);
		return cli_bad_option("merge", argv);
	}
	if (optind >= argc)
		return cli_usage("merge", "no SHARD.json given");
	n = (size_t)(argc - optind);
	if (!(sh = calloc(n, sizeof(*sh))))
		return cli_usage("merge", "out of memory");
	for (i = 0; i < n && rc == CLI_OK; i++) {
		sh[i].file = argv[optind + (int)i];
		dmasim_error_init(&sh[i].err);
		if (dmasim__ydoc_load_file(&sh[i].y, sh[i].file, &cli->limits, &sh[i].err) != DMASIM_OK) {
			cli_print_error(&sh[i].err);
			rc = CLI_USAGE;
			break;
		}
		loaded++;
		sh[i].root = dmasim__ydoc_root(&sh[i].y);
		if (!sh[i].root || sh[i].root->type != YAML_MAPPING_NODE)
			rc = refuse(sh[i].file, "not a JSON object");
	}
	if (rc == CLI_OK)
		rc = merge(sh, n);
	for (i = 0; i < loaded; i++)
		dmasim__ydoc_fini(&sh[i].y);
	free(sh);
	return rc;
}
