/* dmasim import -- a topology from an lspci dump or a sysfs tree. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "dmasim/import.h"
#include "cli/fleet.h"
#include "cli/tar.h"
#include "util/input.h"

static const char help[] =
"NAME\n"
"    dmasim import - make a topology from a real machine\n"
"\n"
"SYNOPSIS\n"
"    dmasim import lspci FILE|- [--arch A] [--iomem FILE] [--name N]\n"
"                               [--no-comments] [--p2pmem WHICH] [-o OUT]\n"
"    dmasim import hwloc FILE.xml|- [--arch A] [--iomem FILE] [--name N]\n"
"                               [--no-comments] [--p2pmem WHICH] [-o OUT]\n"
"    dmasim import sysfs [ROOT] [--arch A] [--iomem FILE] [--name N]\n"
"                               [--no-comments] [--p2pmem WHICH] [-o OUT]\n"
"\n"
"DESCRIPTION\n"
"    'lspci' reads a configuration-space dump in the format of 'lspci -x',\n"
"    '-xxx' or '-xxxx' (also with -v text in between): a header line\n"
"    '[DDDD:]BB:DD.F ...' per function, then lines 'NN: xx xx ...' of 64,\n"
"    256 or 4096 bytes.  It decodes vendor and device IDs, class, memory\n"
"    BARs (bus addresses), bridge bus numbers and memory windows, the PCI\n"
"    Express port type and the ACS capability, and builds the tree from the\n"
"    bus numbers.  '-' reads standard input.\n"
"\n"
"    'sysfs' reads ROOT/sys/bus/pci/devices (ROOT defaults to /, this\n"
"    machine): each function's config (any length), resource (BAR CPU\n"
"    addresses and sizes), iommu_group and numa_node (the host bridge's\n"
"    numa_node), the IOMMU units of ROOT/sys/class/iommu (one IOMMU each,\n"
"    attached to the host bridges whose functions they serve), plus\n"
"    ROOT/proc/iomem (host-bridge windows, System RAM) and ROOT/proc/cpuinfo\n"
"    (architecture, CPU) when readable.  ROOT may be an extracted snapshot\n"
"    of those files, or a tar archive of them as 'dmasim collect' writes it\n"
"    (read without following links out of it; see docs/import.md,\n"
"    \"Snapshots\").\n"
"\n"
"    'hwloc' reads the XML that 'lstopo --of xml' writes (hwloc 1.x or\n"
"    2.x): BDFs, IDs, class, bridges' bus ranges, link speeds and each host\n"
"    bridge's NUMA node and package.  hwloc records no BARs, windows or\n"
"    capabilities, so port types and windows are inferred as for a 64-byte\n"
"    dump.  '-' reads standard input.\n"
"\n"
"    What the input cannot tell (BAR sizes in a dump, host-bridge windows,\n"
"    RAM, the architecture) is inferred by the rules of docs/import.md and\n"
"    marked twice in the YAML: a '# inferred' comment and an 'inferred:\n"
"    [KEY, ...]' list on the object, which show and the verdicts of p2p, map\n"
"    and audit report (docs/topology.md).  Devices are named by BDF; comments\n"
"    carry lspci-style names.  The YAML is validated before it is written;\n"
"    resources the model cannot hold are left out with a comment saying why.\n"
"\n"
"    With iommu_group links in the input, 'sysfs' compares the kernel's IOMMU\n"
"    groups with those dmasim computes for the result and prints every\n"
"    difference on standard error (docs/import.md).\n"
"\n"
"OPTIONS\n"
"    --arch A        x86_64, arm64, ppc64 or riscv64 (default: x86_64 for a\n"
"                    dump; what cpuinfo says for sysfs)\n"
"    --iomem FILE    /proc/iomem text: 'PCI Bus SSSS:BB' entries become\n"
"                    host-bridge windows, 'System RAM' entries RAM\n"
"    --name N        the machine's name (default: 'imported from FILE')\n"
"    --no-comments   leave out the comments\n"
"    --p2pmem WHICH  mark endpoint BARs as p2pmem, as if their drivers had\n"
"                    published them: none (default; an input cannot tell),\n"
"                    prefetchable (every prefetchable memory BAR) or all-mem\n"
"                    (every memory BAR); marked '# assumed' in the YAML, so\n"
"                    that 'audit' has pairs to check on an imported machine\n"
"    -o OUT          write the YAML to OUT instead of standard output ('-':\n"
"                    standard output)\n"
"    -h, --help      this text\n"
"\n"
"EXIT STATUS\n"
"    0 written and valid; 1 written, but the result does not validate (the\n"
"    loader's message is printed); 2 the input is bad (FILE:LINE:COLUMN:\n"
"    error: ...) or unreadable, or bad usage.\n";

/* A file, or standard input for "-", of at most @max bytes; NULL after
 * printing why not. */
static char *read_path(const char *path, uint64_t max, size_t *len)
{
	struct dmasim_error err;
	size_t cap = 65536, n = 0, got;
	char *buf, *nb;

	dmasim_error_init(&err);
	if (strcmp(path, "-") != 0) {
		if (dmasim__input_read(path, max, &buf, len, &err)) {
			cli_print_error(&err);
			return NULL;
		}
		return buf;
	}
	if (!(buf = malloc(cap)))
		return NULL;
	while ((got = fread(buf + n, 1, cap - n, stdin)) > 0) {
		n += got;
		if ((uint64_t)n > max) {
			dmasim__input_too_large("<stdin>", max, &err);
			cli_print_error(&err);
			free(buf);
			return NULL;
		}
		if (n == cap) {
			if (!(nb = realloc(buf, cap * 2))) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (ferror(stdin)) {
		fprintf(stderr, "dmasim import: cannot read standard input: %s\n", strerror(errno));
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* import sysfs takes a directory or a tar archive (known by its ustar
 * header, tar_is_archive()); anything else would be reported as a
 * directory it cannot read below it.  Returns whether @src is a tar. */
static int sysfs_source(const char *src, bool *tar)
{
	struct stat st;

	*tar = false;
	if (!src || stat(src, &st) != 0 || S_ISDIR(st.st_mode))
		return CLI_OK;
	if ((*tar = tar_is_archive(src)))
		return CLI_OK;
	fprintf(stderr, "%s: error: neither a directory nor a tar archive (import sysfs takes a "
		"sysfs root or a 'dmasim collect' archive)\n", CLI_TEXT(src));
	return CLI_USAGE;
}

static int parse_arch(const char *s, enum dmasim_arch *out)
{
	int a;

	for (a = 0; a < DMASIM_ARCH_COUNT; a++)
		if (strcmp(dmasim_arch_name((enum dmasim_arch)a), s) == 0) {
			*out = (enum dmasim_arch)a;
			return 0;
		}
	return -1;
}

int cmd_import(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "iomem", required_argument, NULL, 'i' },
		{ "name", required_argument, NULL, 'n' },
		{ "no-comments", no_argument, NULL, 'c' },
		{ "p2pmem", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dmasim_import_opts opts;
	struct dmasim_limits lim = dmasim_limits_resolve(&cli->limits);
	struct dmasim_error err;
	struct dmasim_topo *topo = NULL;
	const char *out = NULL, *iomem = NULL, *kind, *src;
	char *text = NULL, *iomem_text = NULL, *yaml = NULL, *groups = NULL;
	size_t len = 0, ylen = 0, ndiff = 0;
	int c, rc, status = CLI_OK;
	bool tar = false;
	FILE *f;

	memset(&opts, 0, sizeof(opts));
	opts.limits = &cli->limits;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (parse_arch(optarg, &opts.arch))
				return cli_usage("import", "unknown arch '%s' (x86_64, arm64, ppc64, riscv64)",
						 optarg);
			opts.has_arch = true;
			break;
		case 'i':
			iomem = optarg;
			break;
		case 'n':
			opts.name = optarg;
			break;
		case 'c':
			opts.no_comments = true;
			break;
		case 'p':
			if (strcmp(optarg, "none") == 0)
				opts.p2pmem = DMASIM_IMPORT_P2PMEM_NONE;
			else if (strcmp(optarg, "prefetchable") == 0)
				opts.p2pmem = DMASIM_IMPORT_P2PMEM_PREFETCHABLE;
			else if (strcmp(optarg, "all-mem") == 0)
				opts.p2pmem = DMASIM_IMPORT_P2PMEM_ALL_MEM;
			else
				return cli_usage("import", "--p2pmem takes none, prefetchable or all-mem, not '%s'",
						 optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("import", argv);
		}
	}
	if (optind >= argc)
		return cli_usage("import", "expected 'lspci FILE', 'hwloc FILE.xml' or 'sysfs [ROOT]'");
	kind = argv[optind++];
	if (strcmp(kind, "lspci") == 0 || strcmp(kind, "hwloc") == 0) {
		if (argc - optind != 1)
			return cli_usage("import", "'import %s' takes one FILE (or - for standard input)", kind);
	} else if (strcmp(kind, "sysfs") == 0) {
		if (argc - optind > 1)
			return cli_usage("import", "'import sysfs' takes at most one ROOT");
	} else {
		return cli_usage("import", "unknown source '%s' (lspci, hwloc or sysfs)", kind);
	}
	src = optind < argc ? argv[optind] : NULL;
	if (strcmp(kind, "sysfs") == 0 && sysfs_source(src, &tar))
		return CLI_USAGE;
	if (iomem) {
		if (!(iomem_text = read_path(iomem, lim.file_bytes, &opts.iomem_len)))
			return CLI_USAGE;
		opts.iomem = iomem_text;
		opts.iomem_name = iomem;
	}
	dmasim_error_init(&err);
	if (strcmp(kind, "lspci") == 0 || strcmp(kind, "hwloc") == 0) {
		if (!(text = read_path(src, lim.file_bytes, &len))) {
			free(iomem_text);
			return CLI_USAGE;
		}
		rc = (strcmp(kind, "lspci") == 0 ? dmasim_import_lspci : dmasim_import_hwloc)(
			text, len, strcmp(src, "-") ? src : "<stdin>", &opts, &yaml, &ylen, &err);
	} else if ((opts.groups_report = &groups) && (opts.groups_differences = &ndiff) &&
		   tar) {
		rc = cli_import_tarball(src, &lim, &opts, &yaml, &ylen, &err);
	} else {
		rc = dmasim_import_sysfs(src, &opts, &yaml, &ylen, &err);
	}
	free(text);
	free(iomem_text);
	if (rc != DMASIM_OK) {
		cli_print_error(&err);
		return CLI_USAGE;
	}
	if (!(f = cli_open_out("import", out, "w"))) {
		dmasim_import_free(yaml);
		return CLI_USAGE;
	}
	fwrite(yaml, 1, ylen, f);
	status = cli_close_out("import", out, f);
	/* The result must load; say so when it does not. */
	dmasim_error_init(&err);
	if (status == CLI_OK &&
	    dmasim_topo_load_string_limited(yaml, ylen, cli_is_stdout(out) ? "<output>" : out, &cli->limits,
					    &topo, &err) != DMASIM_OK) {
		fprintf(stderr, "dmasim import: the imported topology does not validate:\n");
		cli_print_error(&err);
		status = CLI_FAIL;
	}
	/* The kernel's IOMMU groups against dmasim's (sysfs only). */
	if (groups && status == CLI_OK && ndiff)
		fprintf(stderr, "dmasim import: %zu difference%s between the kernel's IOMMU groups (iommu_group links) and dmasim's:\n%s",
			ndiff, ndiff == 1 ? "" : "s", groups);
	dmasim_import_free(groups);
	dmasim_topo_destroy(topo);
	dmasim_import_free(yaml);
	return status;
}
