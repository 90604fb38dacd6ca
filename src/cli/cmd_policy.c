/* dmasim policy -- list the built-in policies, print one as a policy file. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "policy/policy_int.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim policy - the built-in policies, and a policy as a policy file\n"
"\n"
"SYNOPSIS\n"
"    dmasim policy list [--json]\n"
"    dmasim policy show NAME|FILE [--json]\n"
"\n"
"DESCRIPTION\n"
"    A policy is one kernel version's rules for peer-to-peer DMA and\n"
"    dma_map_resource (docs/policy.md).  'list' prints the built-in rows,\n"
"    oldest first, with their aliases; the default is marked.\n"
"\n"
"    'show' prints a built-in row (or a policy file, after loading it) as\n"
"    a complete policy file: every field a row has, with a comment saying\n"
"    where its value comes from in the kernel (file, function, version,\n"
"    commit).  Save it, give it a name of its own (name:), change what a\n"
"    proposed patch changes, and pass the file with --policy to p2p,\n"
"    matrix, map, audit, diff or a suite:\n"
"\n"
"        dmasim policy show linux-6.12 > mine.yaml\n"
"\n"
"    Loaded back unchanged, the file behaves exactly like the row.  A\n"
"    file that keeps a built-in's name must be that row exactly; an\n"
"    edited one is refused, at its name:, until it is renamed.\n"
"\n"
"OPTIONS\n"
"    --json      as one JSON document: the list, or the policy with the\n"
"                sources\n"
"    -h, --help  this text\n"
"\n"
"EXIT STATUS\n"
"    0 printed; 2 bad usage, an unknown policy or a bad policy file.\n";

static int policy_list(bool json)
{
	const char *const *n;
	const char *alias;
	struct jw w;

	if (json) {
		cli_json_begin(&w, false, "policy");
		dmasim__jw_key(&w, "policies");
		dmasim__jw_arr_begin(&w);
	}
	for (n = dmasim_policy_builtin_names(); *n; n++) {
		bool dflt = strcmp(*n, dmasim_policy_default()->name) == 0;

		alias = dmasim__policy_alias_of(*n);
		if (json) {
			dmasim__jw_obj_begin(&w);
			dmasim__jw_kstr(&w, "name", *n);
			dmasim__jw_kbool(&w, "default", dflt);
			dmasim__jw_key(&w, "alias");
			if (alias)
				dmasim__jw_str(&w, alias);
			else
				dmasim__jw_null(&w);
			dmasim__jw_obj_end(&w);
		} else if (dflt) {
			printf("%-11s default\n", *n);
		} else if (alias) {
			printf("%-11s alias %s\n", *n, alias);
		} else {
			printf("%s\n", *n);
		}
	}
	if (json) {
		dmasim__jw_arr_end(&w);
		dmasim__jw_obj_end(&w);
		dmasim__jw_end(&w);
	}
	return CLI_OK;
}

int cmd_policy(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dmasim_policy p;
	bool json = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("policy", argv);
		}
	}
	if (optind >= argc)
		return cli_usage("policy", "expected 'list' or 'show NAME'");
	if (strcmp(argv[optind], "list") == 0) {
		if (optind + 1 != argc)
			return cli_usage("policy", "'list' takes no arguments");
		return policy_list(json);
	}
	if (strcmp(argv[optind], "show") != 0)
		return cli_usage("policy", "unknown subcommand '%s'; expected list or show",
				 argv[optind]);
	if (optind + 2 != argc)
		return cli_usage("policy", "'show' expects one NAME or FILE");
	if ((rc = cli_load_policy(cli, argv[optind + 1], &p)))
		return rc;
	dmasim__policy_write(stdout, &p, json);
	return CLI_OK;
}
