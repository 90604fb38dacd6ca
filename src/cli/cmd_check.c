/* dmasim check -- run regression suites; TAP, JUnit XML or JSON. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/fleet.h"
#include "dmasim/scenario.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim check - run regression suites\n"
"\n"
"SYNOPSIS\n"
"    dmasim check [--junit FILE] [--json] [--quiet] [--allow-outside-refs]\n"
"                 [--shard K/N] PATH...\n"
"\n"
"DESCRIPTION\n"
"    Runs every suite named by PATH: a suite file, or a directory searched\n"
"    recursively for *.yaml files that are suites.  Files are told apart\n"
"    by their top-level keys (docs/suite.md): topology and policy files\n"
"    next to the suites are skipped, and only regular files are opened.\n"
"    Each suite loads its topology and its policies ('policy:' or\n"
"    'policies:'), then runs its cases in order under each policy in turn,\n"
"    sharing IOMMU state within a policy (mappings stay until an 'unmap'\n"
"    case gives them back).  A case passes when every key of its 'expect'\n"
"    for that policy holds; keys left out are not checked.  A failing\n"
"    case prints what was expected and what came out, and in a suite of\n"
"    several policies it names the policy.  A case whose own 'policies:'\n"
"    leave a policy out is reported as not run (TAP '# SKIP').\n"
"\n"
"    The output is TAP (version 13) on stdout by default: one 'ok' or\n"
"    'not ok' line per case, with a YAML block of details for failures.\n"
"    Progress goes to stderr when it is a terminal and there are many suites.\n"
"\n"
"OPTIONS\n"
"    --junit FILE  also write JUnit XML to FILE\n"
"    --json        print one JSON document instead of TAP\n"
"    -q, --quiet   TAP: print only failing cases and the plan\n"
"    --shard K/N   only shard K of N (K from 1 to N) of the suite files: file i\n"
"                  of the whole list (from 0; in the order of the arguments,\n"
"                  a directory's suites sorted) is in shard i % N + 1\n"
"                  (docs/fleet.md)\n"
"    --allow-outside-refs\n"
"                  let suites name topology and policy files outside their\n"
"                  own directory (refused by default: a suite from elsewhere\n"
"                  must not read ../../etc/passwd)\n"
"    -h, --help    this text\n"
"\n"
"EXIT STATUS\n"
"    0 every expectation held; 1 an expectation failed; 2 a suite (or its\n"
"    topology or policy) is invalid, or no suite was found.\n"
"\n"
"EXAMPLES\n"
"    dmasim check topologies/\n"
"    dmasim check --junit report.xml topologies/x86_64\n";

/* One case's outcome as kept until the report: the text of a passing
 * case is not kept (a suite of a million cases once held 2.7 KB each). */
struct case_rec {
	char *name;
	const char *kind;
	unsigned line;
	unsigned pol;                    /* index into suite_run.policies */
	bool passed, skipped;
	char *failures, *got, *log;      /* "" for a passing case */
};

struct suite_run {
	char *path;
	char error[600];                 /* load error, or "" */
	char **policies;                 /* as results name them */
	size_t npolicies;
	struct case_rec *results;
	size_t n, cap, failed, skipped;
};

static char no_text[1];

static void rec_free(struct case_rec *r)
{
	free(r->name);
	if (r->failures != no_text)
		free(r->failures);
	if (r->got != no_text)
		free(r->got);
	if (r->log != no_text)
		free(r->log);
}

static void run_free(struct suite_run *s)
{
	size_t j;

	for (j = 0; j < s->n; j++)
		rec_free(&s->results[j]);
	free(s->results);
	for (j = 0; j < s->npolicies; j++)
		free(s->policies[j]);
	free(s->policies);
}

/* Keep the names of @suite's policies in @s; false when out of memory. */
static bool keep_policies(struct suite_run *s, const struct dmasim_suite *suite)
{
	size_t n = dmasim_suite_npolicies(suite);

	if (!(s->policies = calloc(n, sizeof(*s->policies))))
		return false;
	for (s->npolicies = 0; s->npolicies < n; s->npolicies++)
		if (!(s->policies[s->npolicies] =
			      strdup(dmasim_suite_policy_name(suite, s->npolicies))))
			return false;
	return true;
}

/* The records of @s under policy @p: [*from, *to). */
static void policy_span(const struct suite_run *s, unsigned p, size_t *from, size_t *to)
{
	size_t i = *to;

	while (i < s->n && s->results[i].pol != p)
		i++;
	*from = i;
	while (i < s->n && s->results[i].pol == p)
		i++;
	*to = i;
}

/* The suite files to run, and the files and directories met so far: a
 * directory reached again through a symbolic link is not walked twice, a
 * suite named twice runs once. */
struct paths {
	char **v;
	size_t n, cap;
	struct cli_dirs_seen seen;
};

static int add_path(struct paths *p, const char *path)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		char **v = realloc(p->v, cap * sizeof(*v));
		if (!v)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	if (!(p->v[p->n] = strdup(path)))
		return -1;
	p->n++;
	return 0;
}

static void paths_free(struct paths *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	free(p->seen.v);
}

/*
 * Collect the suite files below @root (already stat'ed into @rst).  No
 * recursion: the directories still to read wait on a heap stack, so a
 * tree of any depth costs no stack (one 2,100 levels deep once overflowed
 * it), and paths of any length are built.  Files are told apart by their
 * content (dmasim_file_kind_of()): topologies and policies next to the
 * suites are no suites and are left alone.  Only regular files are
 * opened: a FIFO named x.yaml would block the walk.  What cannot be read
 * is said on stderr, not skipped in silence.
 */
static void walk(struct paths *p, const char *root, const struct stat *rst)
{
	char **stack = NULL, **grown, *dir, *path;
	size_t n = 0, cap = 0;
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (!cli_first_visit(&p->seen, rst)) {
		fprintf(stderr, "dmasim check: %s: a directory already walked (through a symbolic link); not again\n",
			root);
		return;
	}
	if (!(dir = strdup(root)))
		return;
	for (;;) {
		if (!(d = opendir(dir)))
			fprintf(stderr, "dmasim check: %s: cannot read this directory: %s\n", dir,
				strerror(errno));
		while (d && (e = readdir(d)) != NULL) {
			size_t len = strlen(e->d_name);
			bool yaml = len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0;

			if (e->d_name[0] == '.' || !(path = cli_path_join(dir, e->d_name)))
				continue;
			if (stat(path, &st) != 0) {
				/* (a directory whose path grew too long, too) */
				if (yaml || e->d_type == DT_DIR)
					fprintf(stderr, "dmasim check: %s: %s\n", path, strerror(errno));
			} else if (S_ISDIR(st.st_mode)) {
				if (!cli_first_visit(&p->seen, &st)) {
					fprintf(stderr, "dmasim check: %s: a directory already walked (through a symbolic link); not again\n",
						path);
				} else {
					if (n == cap) {
						size_t ncap = cap ? 2 * cap : 16;
						if (!(grown = realloc(stack, ncap * sizeof(*stack)))) {
							fprintf(stderr, "dmasim check: %s: out of memory; not walked\n",
								path);
							free(path);
							continue;
						}
						stack = grown;
						cap = ncap;
					}
					stack[n++] = path;
					path = NULL;
				}
			} else if (yaml && !S_ISREG(st.st_mode)) {
				fprintf(stderr, "dmasim check: %s: not a regular file; not read\n", path);
			} else if (yaml && dmasim_file_kind_of(path) == DMASIM_FILE_SUITE &&
				   cli_first_visit(&p->seen, &st)) {
				add_path(p, path);
			}
			free(path);
		}
		if (d)
			closedir(d);
		free(dir);
		if (!n)
			break;
		dir = stack[--n];
	}
	free(stack);
}

static void on_case(const struct dmasim_case_result *r, void *arg)
{
	struct suite_run *s = arg;

	struct case_rec *c;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct case_rec *v = realloc(s->results, cap * sizeof(*v));
		if (!v)
			goto oom;
		s->results = v;
		s->cap = cap;
	}
	c = &s->results[s->n];
	c->kind = r->kind;
	c->line = r->line;
	c->pol = (unsigned)r->policy_index;
	c->passed = r->passed;
	c->skipped = r->skipped;
	c->failures = c->got = c->log = no_text;
	if (!(c->name = strdup(r->name)) ||
	    (!r->passed && !r->skipped && (!(c->failures = strdup(r->failures)) || !(c->got = strdup(r->got)) ||
			    !(c->log = strdup(r->log))))) {
		rec_free(c);
		goto oom;
	}
	s->n++;
	if (r->skipped)
		s->skipped++;
	else if (!r->passed)
		s->failed++;
	return;
oom:
	snprintf(s->error, sizeof(s->error), "%s: out of memory keeping the results of case %zu",
		 s->path, r->index + 1);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Print @text as the lines of a YAML block scalar under @key, each line
 * escaped (cli_put_text): nothing in it can end the block early. */
static void tap_block(const char *key, const char *text)
{
	const char *line = text, *nl;
	char *copy;

	if (!text[0])
		return;
	printf("  %s: |\n", key);
	while (*line) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line);
		copy = strndup(line, (size_t)(nl - line));
		fputs("    ", stdout);
		cli_put_text(stdout, copy ? copy : "(out of memory)");
		putchar('\n');
		free(copy);
		line = *nl ? nl + 1 : nl;
	}
}

/* A YAML double-quoted scalar: '"' and '\\' escaped, the rest as
 * cli_put_text writes it (its \xNN is YAML's escape too). */
static void tap_quoted(const char *key, const char *text)
{
	size_t k;
	char *seg;

	printf("  %s: \"", key);
	while (*text) {
		k = strcspn(text, "\"\\");
		if (k) {
			seg = strndup(text, k);
			cli_put_text(stdout, seg ? seg : "(out of memory)");
			free(seg);
			text += k;
		} else {
			printf("\\%c", *text++);
		}
	}
	printf("\"\n");
}

/* A test point: "ok N - FILE:LINE NAME", the description escaped as TAP 14
 * says (no line break, '\\' and '#' escaped), so that a case named
 * "x\nBail out!" stays one test point.  In a suite of several policies
 * the description ends in "[POLICY]", and a case that does not run under
 * it is a "# SKIP". */
static void tap_point_in(bool ok, size_t n, const char *file, unsigned line, const char *name,
			 const char *policy, bool skip)
{
	printf("%s %zu - ", ok ? "ok" : "not ok", n);
	cli_put_tap(stdout, file);
	if (line)
		printf(":%u ", line);
	else
		fputs(": ", stdout);
	cli_put_tap(stdout, name);
	if (policy) {
		fputs(" [", stdout);
		cli_put_tap(stdout, policy);
		putchar(']');
	}
	if (skip) {
		fputs(" # SKIP not run under ", stdout);
		cli_put_tap(stdout, policy);
		fputs(" (the case's policies leave it out)", stdout);
	}
	putchar('\n');
}

static void tap_point(bool ok, size_t n, const char *file, unsigned line, const char *name)
{
	tap_point_in(ok, n, file, line, name, NULL, false);
}

/* "# FILE (policy P, N cases)": the cases that run under @p next; with
 * ", K not run" for those whose policies leave it out. */
static void tap_header(const struct suite_run *s, unsigned p)
{
	size_t from, to = 0, j, skipped = 0;

	policy_span(s, p, &from, &to);
	for (j = from; j < to; j++)
		skipped += s->results[j].skipped;
	printf("# ");
	cli_put_text(stdout, s->path);
	printf(" (policy ");
	cli_put_text(stdout, s->policies[p]);
	printf(", %zu case%s", to - from, to - from == 1 ? "" : "s");
	if (skipped)
		printf(", %zu not run under it", skipped);
	printf(")\n");
}

static void print_tap(struct suite_run *runs, size_t nruns, bool quiet)
{
	size_t i, j, n = 0;

	printf("TAP version 13\n");
	for (i = 0; i < nruns; i++) {
		struct suite_run *s = &runs[i];
		if (s->error[0]) {
			tap_point(false, ++n, s->path, 0, "cannot load");
			printf("  ---\n");
			tap_block("message", s->error);
			printf("  ...\n");
			continue;
		}
		for (j = 0; j < s->n; j++) {
			const struct case_rec *r = &s->results[j];
			const char *pol = s->npolicies > 1 ? s->policies[r->pol] : NULL;
			n++;
			if (!quiet && (j == 0 || r->pol != s->results[j - 1].pol))
				tap_header(s, r->pol);
			if (r->passed || r->skipped) {
				if (!quiet)
					tap_point_in(true, n, base_name(s->path), r->line, r->name,
						     pol, r->skipped);
				continue;
			}
			tap_point_in(false, n, base_name(s->path), r->line, r->name, pol, false);
			printf("  ---\n");
			tap_quoted("file", s->path);
			if (pol)
				tap_quoted("policy", pol);
			printf("  line: %u\n  kind: %s\n", r->line, r->kind);
			tap_block("failures", r->failures);
			tap_block("got", r->got);
			tap_block("log", r->log);
			printf("  ...\n");
		}
	}
	printf("1..%zu\n", n);
}

/* XML text or attribute value: markup escaped, line breaks and tabs as
 * character references (an attribute keeps them), other control
 * characters as the text \xNN (XML 1.0 cannot hold them), bytes that are
 * not valid UTF-8 and U+FFFE/U+FFFF as U+FFFD (docs/json.md). */
static void xml_escape(FILE *f, const char *s)
{
	while (*s) {
		unsigned char c = (unsigned char)*s;
		size_t n = dmasim__utf8_len(s);

		if (n == 0 || (n == 3 && c == 0xef && (unsigned char)s[1] == 0xbf &&
			       (unsigned char)s[2] >= 0xbe)) {
			fputs("\xef\xbf\xbd", f);
			s += n ? n : 1;
			continue;
		}
		if (n > 1) {
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\n': fputs("&#10;", f); break;
		case '\r': fputs("&#13;", f); break;
		case '\t': fputs("&#9;", f); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\x%02x", c);
			else
				fputc(c, f);
		}
		s++;
	}
}

/* " [POLICY]" after a name, in a suite of several policies. */
static void junit_policy(FILE *f, const struct suite_run *s, unsigned p)
{
	if (s->npolicies < 2)
		return;
	fputs(" [", f);
	xml_escape(f, s->policies[p]);
	fputc(']', f);
}

/* The <testsuite> of @s under policy @p: records [from, to).  A suite of
 * several policies has one per policy, its name and its cases' names
 * ending in " [POLICY]"; a case not run under it is <skipped/>. */
static void junit_suite(FILE *f, const struct suite_run *s, unsigned p, size_t from, size_t to)
{
	size_t j, failed = 0, skipped = 0;

	for (j = from; j < to; j++) {
		skipped += s->results[j].skipped;
		failed += !s->results[j].passed && !s->results[j].skipped;
	}
	fprintf(f, "  <testsuite name=\"");
	xml_escape(f, s->path);
	junit_policy(f, s, p);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\"", to - from, failed);
	if (skipped)
		fprintf(f, " skipped=\"%zu\"", skipped);
	fprintf(f, ">\n");
	for (j = from; j < to; j++) {
		const struct case_rec *r = &s->results[j];
		fprintf(f, "    <testcase classname=\"");
		xml_escape(f, s->path);
		fprintf(f, "\" name=\"");
		xml_escape(f, r->name);
		junit_policy(f, s, p);
		fprintf(f, "\" file=\"");
		xml_escape(f, s->path);
		fprintf(f, "\" line=\"%u\"", r->line);
		if (r->skipped) {
			fprintf(f, "><skipped message=\"not run under ");
			xml_escape(f, s->policies[p]);
			fprintf(f, " (the case's policies leave it out)\"/></testcase>\n");
			continue;
		}
		if (r->passed) {
			fprintf(f, "/>\n");
			continue;
		}
		fprintf(f, "><failure message=\"");
		xml_escape(f, r->failures);
		fprintf(f, "\">");
		xml_escape(f, r->got);
		fprintf(f, "</failure></testcase>\n");
	}
	fprintf(f, "  </testsuite>\n");
}

static int write_junit(const char *file, struct suite_run *runs, size_t nruns)
{
	size_t i, tests = 0, failures = 0, errors = 0, skipped = 0;
	FILE *f = fopen(file, "w");

	if (!f) {
		fprintf(stderr, "dmasim check: cannot write the JUnit report %s: %s\n", file,
			strerror(errno));
		return -1;
	}
	for (i = 0; i < nruns; i++) {
		tests += runs[i].error[0] ? 1 : runs[i].n;
		failures += runs[i].failed;
		errors += runs[i].error[0] ? 1 : 0;
		skipped += runs[i].error[0] ? 0 : runs[i].skipped;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"dmasim check\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"",
		tests, failures, errors);
	if (skipped)
		fprintf(f, " skipped=\"%zu\"", skipped);
	fprintf(f, ">\n");
	for (i = 0; i < nruns; i++) {
		struct suite_run *s = &runs[i];
		size_t p, from, to = 0;

		if (s->error[0]) {
			fprintf(f, "  <testsuite name=\"");
			xml_escape(f, s->path);
			fprintf(f, "\" tests=\"1\" failures=\"0\" errors=\"1\">\n");
			fprintf(f, "    <testcase classname=\"");
			xml_escape(f, s->path);
			fprintf(f, "\" name=\"load\"><error message=\"");
			xml_escape(f, s->error);
			fprintf(f, "\"/></testcase>\n  </testsuite>\n");
			continue;
		}
		for (p = 0; p < s->npolicies; p++) {
			policy_span(s, (unsigned)p, &from, &to);
			junit_suite(f, s, (unsigned)p, from, to);
		}
	}
	fprintf(f, "</testsuites>\n");
	errno = 0;
	if (fflush(f) != 0 || ferror(f)) {
		int e = errno ? errno : EIO;
		fclose(f);
		errno = e;
	} else if (fclose(f) == 0) {
		return 0;
	}
	fprintf(stderr, "dmasim check: write error on the JUnit report %s: %s\n", file,
		strerror(errno ? errno : EIO));
	return -1;
}

static void json_lines(struct jw *w, const char *key, const char *text)
{
	char line[1024];
	const char *p = text, *nl;

	dmasim__jw_key(w, key);
	dmasim__jw_arr_begin(w);
	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		dmasim__jw_str(w, line);
		p = *nl ? nl + 1 : nl;
	}
	dmasim__jw_arr_end(w);
}

/* The cases of @s that ran under policy @p (records [from, to)) as
 * "policy", "cases", and "not_run" for those its policies leave out. */
static void json_policy_cases(struct jw *w, const struct suite_run *s, unsigned p,
			      size_t from, size_t to, size_t *passed, size_t *failed,
			      size_t *not_run)
{
	size_t j, skipped = 0;

	dmasim__jw_kstr(w, "policy", s->policies[p]);
	dmasim__jw_key(w, "cases");
	dmasim__jw_arr_begin(w);
	for (j = from; j < to; j++) {
		const struct case_rec *r = &s->results[j];

		if (r->skipped) {
			skipped++;
			continue;
		}
		dmasim__jw_obj_begin(w);
		dmasim__jw_kstr(w, "name", r->name);
		dmasim__jw_kstr(w, "kind", r->kind);
		dmasim__jw_kint(w, "line", r->line);
		dmasim__jw_kbool(w, "passed", r->passed);
		json_lines(w, "failures", r->failures);
		json_lines(w, "got", r->got);
		json_lines(w, "log", r->log);
		dmasim__jw_obj_end(w);
		if (r->passed)
			(*passed)++;
		else
			(*failed)++;
	}
	dmasim__jw_arr_end(w);
	if (!skipped)
		return;
	*not_run += skipped;
	dmasim__jw_key(w, "not_run");
	dmasim__jw_arr_begin(w);
	for (j = from; j < to; j++) {
		const struct case_rec *r = &s->results[j];

		if (!r->skipped)
			continue;
		dmasim__jw_obj_begin(w);
		dmasim__jw_kstr(w, "name", r->name);
		dmasim__jw_kstr(w, "kind", r->kind);
		dmasim__jw_kint(w, "line", r->line);
		dmasim__jw_obj_end(w);
	}
	dmasim__jw_arr_end(w);
}

/* One object per suite and policy: "cases" ran under its "policy"; then
 * "shard" (@k/@n) and "fleet" (@id, the whole list's; docs/fleet.md). */
static void print_json(struct suite_run *runs, size_t nruns, unsigned k, unsigned n,
		       const char *id)
{
	size_t i, p, passed = 0, failed = 0, bad = 0, not_run = 0;
	struct jw w;

	cli_json_begin(&w, true, "check");
	dmasim__jw_key(&w, "suites");
	dmasim__jw_arr_begin(&w);
	for (i = 0; i < nruns; i++) {
		struct suite_run *s = &runs[i];
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kstr(&w, "file", s->path);
		if (s->error[0]) {
			dmasim__jw_kstr(&w, "error", s->error);
			bad++;
			dmasim__jw_obj_end(&w);
			continue;
		}
		for (p = 0; p < s->npolicies; p++) {
			size_t from, to = 0;

			policy_span(s, (unsigned)p, &from, &to);
			if (p) {
				dmasim__jw_obj_begin(&w);
				dmasim__jw_kstr(&w, "file", s->path);
			}
			json_policy_cases(&w, s, (unsigned)p, from, to, &passed, &failed, &not_run);
			dmasim__jw_obj_end(&w);
		}
	}
	dmasim__jw_arr_end(&w);
	dmasim__jw_kint(&w, "passed", (long long)passed);
	dmasim__jw_kint(&w, "failed", (long long)failed);
	dmasim__jw_kint(&w, "invalid_suites", (long long)bad);
	dmasim__jw_kint(&w, "not_run", (long long)not_run);
	cli_fleet_json_shard(&w, k, n, id);
	dmasim__jw_obj_end(&w);
	dmasim__jw_end(&w);
}

int cmd_check(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "junit", required_argument, NULL, 'J' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "allow-outside-refs", no_argument, NULL, 'O' },
		{ "shard", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *junit = NULL;
	bool json = false, quiet = false, progress, named_other = false;
	struct paths paths = { 0 };
	struct suite_run *runs;
	size_t i, failed = 0, bad = 0;
	struct dmasim_limits lim = cli->limits;
	struct stat st;
	unsigned shard_k = 0, shard_n = 0;
	size_t kept;
	char id[17];
	int c, status;

	while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
		switch (c) {
		case 'J':
			if ((status = cli_opt_once("check", "junit", &junit, optarg)))
				return status;
			break;
		case 'j':
			json = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'O':
			lim.allow_outside_refs = true;
			break;
		case 's':
			if (cli_parse_shard("check", optarg, &shard_k, &shard_n))
				return CLI_USAGE;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("check", argv);
		}
	}
	if (optind >= argc)
		return cli_usage("check", "no PATH given");
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		size_t before = paths.n;
		enum dmasim_file_kind kind;

		if (stat(argv[i], &st) != 0) {
			paths_free(&paths);
			return cli_usage("check", "cannot read '%s'", argv[i]);
		}
		kind = S_ISREG(st.st_mode) ? dmasim_file_kind_of(argv[i]) : DMASIM_FILE_SUITE;
		if (kind == DMASIM_FILE_TOPOLOGY || kind == DMASIM_FILE_POLICY) {
			/* Named on purpose, yet no suite: say so (dmasim validate
			 * checks such files). */
			fprintf(stderr, "dmasim check: %s: a %s file, not a suite (check it with 'dmasim validate')\n",
				argv[i], dmasim_file_kind_name(kind));
			named_other = true;
		} else if (S_ISDIR(st.st_mode)) {
			walk(&paths, argv[i], &st);
			if (paths.n - before > 1)
				qsort(paths.v + before, paths.n - before, sizeof(*paths.v), cli_cmp_str);
		} else if (cli_first_visit(&paths.seen, &st)) {
			add_path(&paths, argv[i]);
		} else {
			fprintf(stderr, "dmasim check: %s: named twice; checked once\n", argv[i]);
		}
	}
	if (paths.n == 0 || named_other) {
		if (paths.n == 0)
			fprintf(stderr, "dmasim check: no suite found (a suite is a .yaml file with 'cases:')\n");
		paths_free(&paths);
		return CLI_USAGE;
	}
	cli_fleet_id(paths.v, paths.n, id);
	for (i = kept = 0; i < paths.n; i++) {
		if (cli_in_shard(i, shard_k, shard_n))
			paths.v[kept++] = paths.v[i];
		else
			free(paths.v[i]);
	}
	paths.n = kept;
	runs = calloc(paths.n ? paths.n : 1, sizeof(*runs));
	if (!runs) {
		paths_free(&paths);
		return CLI_USAGE;
	}
	progress = isatty(STDERR_FILENO) && paths.n > 4;
	for (i = 0; i < paths.n; i++) {
		struct suite_run *s = &runs[i];
		struct dmasim_suite *suite = NULL;
		struct dmasim_error err;

		s->path = paths.v[i];
		if (progress)
			fprintf(stderr, "\r[%zu/%zu] %-60.60s", i + 1, paths.n, s->path);
		dmasim_error_init(&err);
		if (dmasim_suite_load_file_limited(s->path, &lim, &suite, &err) != DMASIM_OK) {
			dmasim_error_snprintf(s->error, sizeof(s->error), &err);
			if (!json)
				fprintf(stderr, "%s\n", s->error);
			bad++;
			continue;
		}
		dmasim_error_init(&err);
		if (!keep_policies(s, suite)) {
			snprintf(s->error, sizeof(s->error), "%s: out of memory", s->path);
			bad++;
		} else if (dmasim_suite_run(suite, on_case, s, NULL, &err) != DMASIM_OK) {
			dmasim_error_snprintf(s->error, sizeof(s->error), &err);
			bad++;
		} else if (s->error[0]) {
			bad++;   /* out of memory keeping the results (on_case) */
		}
		failed += s->failed;
		dmasim_suite_destroy(suite);
	}
	if (progress)
		fprintf(stderr, "\r%-80s\r", "");
	if (json)
		print_json(runs, paths.n, shard_k, shard_n, id);
	else
		print_tap(runs, paths.n, quiet);
	status = bad ? CLI_USAGE : failed ? CLI_FAIL : CLI_OK;
	if (junit && write_junit(junit, runs, paths.n) != 0)
		status = CLI_USAGE;
	for (i = 0; i < paths.n; i++)
		run_free(&runs[i]);
	free(runs);
	paths_free(&paths);
	return status;
}
