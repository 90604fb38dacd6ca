/* dmasim -- the command-line tool: dispatch to one subcommand. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#ifndef DMASIM_VERSION
#define DMASIM_VERSION "unknown"
#endif

static const struct cli_cmd commands[] = {
	{ "validate", "check topology files against every load-time rule", cmd_validate },
	{ "show", "print a topology as a tree with windows, BARs, ACS and IOMMU", cmd_show },
#define CLI_COMMAND(name, summary, fn) { name, summary, fn },
#include "cli/cmd_table.h"
#undef CLI_COMMAND
};

static const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

static void usage(FILE *f)
{
	size_t i;

	fputs("Usage: dmasim [--help] [--version] [--limit NAME=VALUE]... COMMAND [ARGS...]\n"
	      "\n"
	      "Simulate a machine's PCI Express fabric and the Linux kernel's peer-to-peer\n"
	      "DMA decisions and DMA mappings on it, then route each DMA address through\n"
	      "the fabric to see where the write really lands.\n"
	      "\n"
	      "Commands:\n", f);
	for (i = 0; i < ncommands; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "Run 'dmasim COMMAND --help' for a command's options.\n"
	      "\n"
	      "Global options (before COMMAND):\n"
	      "  --limit NAME=VALUE  bound what one input may use (docs/limits.md); a file\n"
	      "                      beyond a bound fails with FILE:LINE:COLUMN.  NAMEs and\n"
	      "                      defaults: file-bytes=1G, depth=256, devices=8M,\n"
	      "                      cases=1M, windows=4096 (per host-bridge list and RAM),\n"
	      "                      alias-events=1M (YAML alias expansion), no-file-refs=0\n"
	      "                      (1: suites may name no topology or policy file)\n"
	      "                      pairs=4M (endpoint pairs of one audit, matrix or diff)\n"
	      "                      allow-outside-refs=0 (1: suites may name files outside\n"
	      "                      their own directory)\n"
	      "\n"
	      "Exit status: 0 success, 1 an expectation failed or a DMA went wrong,\n"
	      "2 bad input or usage (messages name file:line:column).\n"
	      "Formats: see docs/ (topology, policy and suite YAML).\n", f);
}

int cli_main(int argc, char **argv)
{
	struct cli_ctx ctx;
	struct dmasim_error err;
	size_t i;

	memset(&ctx, 0, sizeof(ctx));
	while (argc >= 2 && (strcmp(argv[1], "--limit") == 0 ||
			     strncmp(argv[1], "--limit=", 8) == 0)) {
		const char *v = argv[1][7] == '=' ? argv[1] + 8 : argc > 2 ? argv[2] : "";

		dmasim_error_init(&err);
		if (dmasim_limits_set(&ctx.limits, v, &err) != DMASIM_OK) {
			fprintf(stderr, "dmasim: --limit: %s\n", err.msg);
			return CLI_USAGE;
		}
		i = argv[1][7] == '=' ? 1 : 2;
		argc -= (int)i;
		argv += i;
	}
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			char *sub[] = { argv[2], "--help", NULL };
			for (i = 0; i < ncommands; i++)
				if (strcmp(commands[i].name, argv[2]) == 0)
					return commands[i].run(&ctx, 2, sub);
		}
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("dmasim %s\n", DMASIM_VERSION);
		return CLI_OK;
	}
	opterr = 0;   /* each command names a bad option (cli_bad_option) */
	for (i = 0; i < ncommands; i++)
		if (strcmp(commands[i].name, argv[1]) == 0)
			return commands[i].run(&ctx, argc - 1, argv + 1);
	fprintf(stderr, "dmasim: unknown command '%s'\n"
		"Run 'dmasim --help' for the list of commands.\n", argv[1]);
	return CLI_USAGE;
}
