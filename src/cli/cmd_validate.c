/* dmasim validate -- check topology files. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "dmasim/scenario.h"
#include "util/input.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim validate - check topology files against every load-time rule\n"
"\n"
"SYNOPSIS\n"
"    dmasim validate [--json] [--allow-outside-refs] FILE...\n"
"\n"
"DESCRIPTION\n"
"    Loads each FILE as a dmasim topology (docs/topology.md) and checks the\n"
"    format and every rule: unique BDFs and names, bus numbering, BARs inside\n"
"    the host-bridge windows and every ancestor bridge's window of the right\n"
"    kind, sibling windows that do not overlap, ranges that do not wrap, and\n"
"    references (iommu names) that resolve.  A suite file (one with 'cases:')\n"
"    is checked with its topology, its policy and every case's devices,\n"
"    targets and expectations.  A policy file (one whose 'policy:' is a\n"
"    mapping) is checked as a policy.  The kind of a file is told by its\n"
"    top-level keys (docs/suite.md).  Prints one line per file: 'ok'\n"
"    with a summary, or the error as FILE:LINE:COLUMN: error: MESSAGE.\n"
"\n"
"OPTIONS\n"
"    --json      one JSON document: [{\"file\", \"valid\", \"error\"?...}]\n"
"    --allow-outside-refs\n"
"                a suite may name files outside its own directory\n"
"    -h, --help  this text\n"
"\n"
"EXIT STATUS\n"
"    0 every file is valid; 2 any file is invalid or unreadable.\n";

/* "file_kind" in --json, by enum dmasim_file_kind: what the top-level keys
 * say the file is (a file that says nothing is loaded as a topology). */
static const char *const file_kind_names[] = {
	[DMASIM_FILE_UNKNOWN] = "unknown",
	[DMASIM_FILE_SUITE] = "suite",
	[DMASIM_FILE_TOPOLOGY] = "topology",
	[DMASIM_FILE_POLICY] = "policy",
};

int cmd_validate(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "allow-outside-refs", no_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dmasim_limits lim = cli->limits;
	bool json = false;
	int c, i, status = CLI_OK;
	struct jw w;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'O':
			lim.allow_outside_refs = true;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("validate", argv);
		}
	}
	if (optind >= argc)
		return cli_usage("validate", "no FILE given");
	if (json) {
		cli_json_begin(&w, true, "validate");
		dmasim__jw_key(&w, "files");
		dmasim__jw_arr_begin(&w);
	}
	for (i = optind; i < argc; i++) {
		struct dmasim_error err;
		struct dmasim_topo *t = NULL;
		char buf[512];

		struct stat st;
		char *text = NULL;
		size_t len = 0;
		enum dmasim_file_kind kind;

		dmasim_error_init(&err);
		/* A pipe (/dev/stdin, <(...)) can be read once: into memory. */
		if (stat(argv[i], &st) == 0 && S_ISFIFO(st.st_mode)) {
			struct dmasim_limits rl = dmasim_limits_resolve(&lim);

			dmasim__input_read(argv[i], rl.file_bytes, &text, &len, &err);
		}
		kind = text ? dmasim_file_kind_of_text(text, len)
			    : err.code ? DMASIM_FILE_UNKNOWN : dmasim_file_kind_of(argv[i]);
		if (err.code) {
			/* the pipe could not be read: reported below */
		} else if (kind == DMASIM_FILE_POLICY) {
			struct dmasim_policy pol;

			if ((text ? dmasim_policy_load_string(text, len, argv[i], &lim, &pol, &err)
				  : dmasim_policy_load_limited(argv[i], &lim, &pol, &err)) == DMASIM_OK) {
				if (json) {
					dmasim__jw_obj_begin(&w);
					dmasim__jw_kstr(&w, "file", argv[i]);
					dmasim__jw_kbool(&w, "valid", true);
					dmasim__jw_kstr(&w, "file_kind", "policy");
					dmasim__jw_kstr(&w, "kind", "policy");
					dmasim__jw_kstr(&w, "policy", pol.name);
					dmasim__jw_obj_end(&w);
				} else {
					printf("%s: ok (policy %s)\n", argv[i], pol.name);
				}
				free(text);
				continue;
			}
		} else if (kind == DMASIM_FILE_SUITE) {
			struct dmasim_suite *suite = NULL;

			if ((text ? dmasim_suite_load_string(text, len, argv[i], &lim, &suite, &err)
				  : dmasim_suite_load_file_limited(argv[i], &lim, &suite, &err))
			    == DMASIM_OK) {
				if (json) {
					dmasim__jw_obj_begin(&w);
					dmasim__jw_kstr(&w, "file", argv[i]);
					dmasim__jw_kbool(&w, "valid", true);
					dmasim__jw_kstr(&w, "file_kind", "suite");
					dmasim__jw_kstr(&w, "kind", "suite");
					dmasim__jw_kint(&w, "cases", (long long)dmasim_suite_ncases(suite));
					dmasim__jw_obj_end(&w);
				} else {
					size_t p, np = dmasim_suite_npolicies(suite);

					printf("%s: ok (suite, %zu case%s, polic%s ", CLI_TEXT(argv[i]),
					       dmasim_suite_ncases(suite),
					       dmasim_suite_ncases(suite) == 1 ? "" : "s", np > 1 ? "ies" : "y");
					for (p = 0; p < np; p++)
						printf("%s%s", p ? ", " : "",
						       CLI_TEXT(dmasim_suite_policy_name(suite, p)));
					printf(")\n");
				}
				dmasim_suite_destroy(suite);
				free(text);
				continue;
			}
		} else if (text) {
			dmasim_topo_load_string_limited(text, len, argv[i], &lim, &t, &err);
		} else {
			dmasim_topo_load_file_limited(argv[i], &lim, &t, &err);
		}
		free(text);
		if (err.code != DMASIM_OK) {
			status = CLI_USAGE;
			dmasim_error_snprintf(buf, sizeof(buf), &err);
			if (json) {
				dmasim__jw_obj_begin(&w);
				dmasim__jw_kstr(&w, "file", argv[i]);
				dmasim__jw_kbool(&w, "valid", false);
				dmasim__jw_kstr(&w, "file_kind", file_kind_names[kind]);
				dmasim__jw_kstr(&w, "error", err.msg);
				dmasim__jw_kint(&w, "line", err.line);
				dmasim__jw_kint(&w, "column", err.column);
				dmasim__jw_kstr(&w, "error_kind", dmasim_strerror(err.code));
				dmasim__jw_kstr(&w, "kind", dmasim_strerror(err.code));   /* format 1 */
				dmasim__jw_obj_end(&w);
			} else {
				printf("%s\n", CLI_TEXT(buf));
			}
			continue;
		}
		{
			const struct dmasim_machine *m = dmasim_topo_machine(t);
			if (json) {
				dmasim__jw_obj_begin(&w);
				dmasim__jw_kstr(&w, "file", argv[i]);
				dmasim__jw_kbool(&w, "valid", true);
				dmasim__jw_kstr(&w, "file_kind", "topology");
				dmasim__jw_kstr(&w, "arch", dmasim_arch_name(m->arch));
				dmasim__jw_kint(&w, "host_bridges", (long long)m->nhost_bridges);
				dmasim__jw_kint(&w, "devices", (long long)m->ndevices);
				dmasim__jw_obj_end(&w);
			} else {
				printf("%s: ok (%s, %zu host bridge%s, %zu device%s)\n",
				       CLI_TEXT(argv[i]), dmasim_arch_name(m->arch),
				       m->nhost_bridges, m->nhost_bridges == 1 ? "" : "s",
				       m->ndevices, m->ndevices == 1 ? "" : "s");
			}
		}
		dmasim_topo_destroy(t);
	}
	if (json) {
		dmasim__jw_arr_end(&w);
		dmasim__jw_obj_end(&w);
		dmasim__jw_end(&w);
	}
	return status;
}
