/* dmasim report -- a suite's expectations, pass or fail, each with the
 * case's file:line (dmasim_suite_run(), as `dmasim check` runs it). */
#include <stdio.h>
#include <stdlib.h>

#include "report/report.h"

struct sink {
	FILE *f;
	const char *file;
	size_t failed, skipped, npolicies;
};

static void pre(FILE *f, const char *label, const char *text)
{
	if (!text[0])
		return;
	fprintf(f, "<div class=\"%s\"><b>%s</b><pre>", label, label);
	rep_esc(f, text);
	fputs("</pre></div>", f);
}

static void on_case(const struct dmasim_case_result *r, void *arg)
{
	struct sink *s = arg;
	FILE *f = s->f;

	if (s->npolicies > 1 && r->index == 0) {
		fputs("<tr class=\"policy\"><th colspan=\"6\" scope=\"rowgroup\">under ", f);
		rep_esc(f, r->policy);
		fputs("</th></tr>\n", f);
	}
	if (r->skipped)
		s->skipped++;
	else if (!r->passed)
		s->failed++;
	fprintf(f, "<tr class=\"%s\"><td>%zu</td><td class=\"res\">%s</td><td>",
		r->skipped ? "skip" : r->passed ? "pass" : "fail", r->index + 1,
		r->skipped ? "not run" : r->passed ? "pass" : "FAIL");
	rep_esc(f, r->name);
	fputs("</td><td>", f);
	rep_esc(f, r->kind);
	fputs("</td><td class=\"loc\">", f);
	rep_esc(f, s->file);
	fprintf(f, ":%u</td><td>", r->line);
	pre(f, "failures", r->failures);
	pre(f, "got", r->got);
	pre(f, "log", r->log);
	fputs("</td></tr>\n", f);
}

int rep_suite_html(FILE *f, const char *path, const struct dmasim_limits *lim,
		   unsigned index)
{
	struct dmasim_suite *suite = NULL;
	struct dmasim_error err;
	struct sink s = { f, path, 0, 0, 0 };
	size_t p, n;
	char msg[600];
	int rc;

	fprintf(f, "<section class=\"suite\" id=\"suite-%u\"><h2>Suite ", index);
	rep_esc(f, path);
	fputs("</h2>\n", f);
	dmasim_error_init(&err);
	if (dmasim_suite_load_file_limited(path, lim, &suite, &err) != DMASIM_OK)
		goto fail;
	fputs("<p>Topology ", f);
	rep_esc(f, dmasim_topo_machine(dmasim_suite_topo(suite))->file);
	n = s.npolicies = dmasim_suite_npolicies(suite);
	fputs(n > 1 ? ", policies " : ", policy ", f);
	for (p = 0; p < n; p++) {
		fputs(p ? ", " : "", f);
		rep_esc(f, dmasim_suite_policy_name(suite, p));
	}
	fprintf(f, ", %zu case%s.</p>\n", dmasim_suite_ncases(suite),
		dmasim_suite_ncases(suite) == 1 ? "" : "s");
	fputs("<table class=\"cases\"><thead><tr><th scope=\"col\">#</th>"
	      "<th scope=\"col\">result</th><th scope=\"col\">case</th>"
	      "<th scope=\"col\">kind</th><th scope=\"col\">where</th>"
	      "<th scope=\"col\">details</th></tr></thead><tbody>\n", f);
	rc = dmasim_suite_run(suite, on_case, &s, NULL, &err);
	fputs("</tbody></table>\n", f);
	if (rc != DMASIM_OK)
		goto fail;
	if (n > 1)
		fprintf(f, "<p class=\"summary\">%zu of %zu runs (a case under a policy) failed; %zu not run.</p></section>\n",
			s.failed, n * dmasim_suite_ncases(suite) - s.skipped, s.skipped);
	else
		fprintf(f, "<p class=\"summary\">%zu of %zu cases failed.</p></section>\n",
			s.failed, dmasim_suite_ncases(suite));
	dmasim_suite_destroy(suite);
	return (int)s.failed;
fail:
	dmasim_error_snprintf(msg, sizeof(msg), &err);
	fprintf(stderr, "dmasim report: %s\n", msg);
	fputs("<p class=\"error\">", f);
	rep_esc(f, msg);
	fputs("</p></section>\n", f);
	dmasim_suite_destroy(suite);
	return -1;
}
