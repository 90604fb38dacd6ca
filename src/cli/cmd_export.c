/* dmasim export -- a topology as an lspci -xxxx dump or as hwloc XML. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "dmasim/import.h"

static const char help[] =
"NAME\n"
"    dmasim export - write a topology in another format\n"
"\n"
"SYNOPSIS\n"
"    dmasim export lspci TOPOLOGY [-o OUT]\n"
"    dmasim export hwloc TOPOLOGY [-o OUT]\n"
"\n"
"DESCRIPTION\n"
"    'lspci' writes the topology as an 'lspci -xxxx' dump: 4096 bytes of\n"
"    configuration space per function with the IDs, the BARs (bus\n"
"    addresses), bridge bus numbers and memory windows, a PCI Express\n"
"    capability giving the port type, an ACS extended capability when the\n"
"    device has one, and a vendor-specific extended capability recording the\n"
"    BAR sizes and p2pmem BARs (which config space cannot show).\n"
"    'lspci -F OUT -vvv' decodes it; 'dmasim import lspci OUT' reads it back\n"
"    (docs/import.md).\n"
"\n"
"    'hwloc' writes hwloc XML (2.x format) that 'lstopo -i OUT --whole-io'\n"
"    draws and 'dmasim import hwloc OUT' reads back: host bridges with their\n"
"    bus ranges, bridges with their buses, every function with its BDF, IDs\n"
"    and name.  hwloc has no place for BARs, windows or ACS.\n"
"\n"
"OPTIONS\n"
"    -o OUT      write to OUT instead of standard output ('-': standard\n"
"                output)\n"
"    -h, --help  this text\n"
"\n"
"EXIT STATUS\n"
"    0 written; 2 the topology is invalid (FILE:LINE:COLUMN: error: ...),\n"
"    OUT cannot be written, or bad usage.\n";

int cmd_export(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dmasim_topo *topo;
	struct dmasim_error err;
	const char *out = NULL;
	char *text = NULL;
	size_t len = 0;
	int c, status = CLI_OK;
	FILE *f;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("export", argv);
		}
	}
	if (argc - optind != 2)
		return cli_usage("export", "expected 'lspci TOPOLOGY' or 'hwloc TOPOLOGY'");
	if (strcmp(argv[optind], "lspci") != 0 && strcmp(argv[optind], "hwloc") != 0)
		return cli_usage("export", "unknown format '%s' (lspci or hwloc)", argv[optind]);
	if (cli_load_topo(cli, argv[optind + 1], &topo) != CLI_OK)
		return CLI_USAGE;
	dmasim_error_init(&err);
	if ((strcmp(argv[optind], "lspci") == 0 ? dmasim_export_lspci : dmasim_export_hwloc)(
		    topo, &text, &len, &err) != DMASIM_OK) {
		cli_print_error(&err);
		dmasim_topo_destroy(topo);
		return CLI_USAGE;
	}
	dmasim_topo_destroy(topo);
	if (!(f = cli_open_out("export", out, "w"))) {
		status = CLI_USAGE;
	} else {
		fwrite(text, 1, len, f);
		status = cli_close_out("export", out, f);
	}
	dmasim_import_free(text);
	return status;
}
