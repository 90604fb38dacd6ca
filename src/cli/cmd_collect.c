/* dmasim collect -- a snapshot of what `dmasim import sysfs` reads, as a
 * tar archive to import on another machine (docs/import.md, "Snapshots"). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/tar.h"

static const char help[] =
"NAME\n"
"    dmasim collect - take a snapshot of this machine's PCI configuration\n"
"\n"
"SYNOPSIS\n"
"    dmasim collect [-o FILE.tar] [--root DIR] [--quiet]\n"
"\n"
"DESCRIPTION\n"
"    Writes a tar archive of exactly the files that 'dmasim import sysfs'\n"
"    reads, so that a machine can be imported elsewhere:\n"
"        dmasim collect -o box.tar             (on the machine)\n"
"        dmasim import sysfs box.tar -o box.yaml  (anywhere)\n"
"\n"
"    Nothing else is read and nothing is changed.  The archive holds, below\n"
"    the same paths as on the machine:\n"
"      sys/bus/pci/devices/*/config      configuration space (needs root\n"
"                                        beyond the 64-byte header: without\n"
"                                        it the PCIe port type and ACS are\n"
"                                        unknown)\n"
"      sys/bus/pci/devices/*/resource    BAR CPU addresses and sizes\n"
"      sys/bus/pci/devices/*/{vendor,device,class,numa_node}\n"
"      sys/bus/pci/devices/*/iommu_group the link naming the IOMMU group\n"
"      sys/kernel/iommu_groups/*/type    each group's domain type\n"
"      sys/class/iommu/*/devices/*       which IOMMU unit serves which\n"
"                                        function\n"
"      proc/iomem                        host-bridge windows and RAM (needs\n"
"                                        root: without it every address\n"
"                                        reads as 0)\n"
"      proc/cpuinfo, proc/version, proc/cmdline,\n"
"      proc/sys/kernel/osrelease         the CPU and the kernel\n"
"    Files that are missing (no IOMMU, no NUMA) are left out.  The entries\n"
"    are in a fixed order with fixed owners and times, so two snapshots of\n"
"    an unchanged machine are identical.  On standard error it says how\n"
"    many functions it saw, and which files were incomplete for want of\n"
"    root.\n"
"\n"
"OPTIONS\n"
"    -o FILE.tar   write the archive to FILE.tar (default, and '-':\n"
"                  standard output, which must not be a terminal; the\n"
"                  messages go to standard error)\n"
"    --root DIR    read DIR/sys and DIR/proc instead of /sys and /proc (a\n"
"                  copy of another machine's files)\n"
"    -q, --quiet   say nothing on standard error unless something fails\n"
"    -h, --help    this text\n"
"\n"
"EXIT STATUS\n"
"    0 the archive is complete (notes about root are not failures); 2 a\n"
"    file could not be read or the archive could not be written, or bad\n"
"    usage.\n";

/* Cap on any one file read from sysfs or procfs. */
#define MAX_FILE (16u << 20)

struct collect {
	struct tar_writer tw;
	const char *root;
	char path[4096];
	size_t nfunc, nfiles, short_cfg;
	bool iomem_zero;
	bool failed;
};

/* Read @path (a regular file, read until EOF: procfs reports size 0).
 * Returns a malloc'd buffer or NULL when the file does not exist. */
static char *slurp(struct collect *c, const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	size_t cap = 8192, n = 0;
	struct stat st;
	char *buf, *nb;
	ssize_t k;

	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR) {
			fprintf(stderr, "dmasim collect: cannot read %s: %s\n", path, strerror(errno));
			c->failed = true;
		}
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "dmasim collect: %s is not a regular file; left out\n", path);
		close(fd);
		return NULL;
	}
	if (!(buf = malloc(cap))) {
		close(fd);
		return NULL;
	}
	while ((k = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)k;
		if (n == cap) {
			if (cap >= MAX_FILE || !(nb = realloc(buf, cap * 2))) {
				fprintf(stderr, "dmasim collect: %s is larger than %u bytes\n", path, MAX_FILE);
				c->failed = true;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (k < 0) {
		fprintf(stderr, "dmasim collect: cannot read %s: %s\n", path, strerror(errno));
		c->failed = true;
	}
	close(fd);
	*len = n;
	return buf;
}

static const char *full(struct collect *c, const char *rel)
{
	snprintf(c->path, sizeof(c->path), "%s%s%s", c->root,
		 c->root[strlen(c->root) - 1] == '/' ? "" : "/", rel);
	return c->path;
}

/* Is every address in /proc/iomem text @t 0 (what a reader without root
 * sees)? */
static bool iomem_hidden(const char *t, size_t len)
{
	const char *p;
	bool hidden = len > 0;

	for (p = t; p < t + len && hidden; p++) {
		if (*p == ':') {
			/* skip the name up to the end of the line */
			while (p < t + len && *p != '\n')
				p++;
		} else if (*p != '0' && *p != '-' && *p != ' ' && *p != '\n') {
			hidden = false;
		}
	}
	return hidden;
}

/* Add ROOT/@rel if it exists; returns whether it did. */
static bool add_file(struct collect *c, const char *rel)
{
	size_t len = 0;
	char *buf = slurp(c, full(c, rel), &len);

	if (!buf)
		return false;
	if (strcmp(rel, "proc/iomem") == 0)
		c->iomem_zero = iomem_hidden(buf, len);
	if (tar_add_file(&c->tw, rel, buf, len))
		fprintf(stderr, "dmasim collect: the name %s is too long for the archive\n", rel);
	else
		c->nfiles++;
	free(buf);
	return true;
}

/* Add ROOT/@rel as a link; a regular file holding the link's text (as
 * some copies of sysfs have) is taken as that link. */
static bool add_link(struct collect *c, const char *rel)
{
	char target[1024];
	ssize_t k = readlink(full(c, rel), target, sizeof(target) - 1);

	if (k < 0) {
		size_t len = 0;
		char *buf;
		if (errno != EINVAL || !(buf = slurp(c, c->path, &len)))
			return false;
		k = (ssize_t)(len < sizeof(target) ? len : sizeof(target) - 1);
		memcpy(target, buf, (size_t)k);
		free(buf);
		while (k > 0 && (target[k - 1] == '\n' || target[k - 1] == ' '))
			k--;
	}
	target[k] = '\0';
	if (tar_add_symlink(&c->tw, rel, target))
		fprintf(stderr, "dmasim collect: the link %s is too long for the archive\n", rel);
	else
		c->nfiles++;
	return true;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in ROOT/@rel, sorted, without . and ..; NULL if none. */
static char **list(struct collect *c, const char *rel, size_t *n)
{
	DIR *d = opendir(full(c, rel));
	struct dirent *e;
	char **v = NULL, **nv;
	size_t cap = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(nv = realloc(v, cap * sizeof(*v))))
				break;
			v = nv;
		}
		if (!(v[*n] = strdup(e->d_name)))
			break;
		(*n)++;
	}
	closedir(d);
	if (v)
		qsort(v, *n, sizeof(*v), cmp_names);
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void add_dirs(struct collect *c, const char *rel)
{
	char buf[512];
	const char *p = rel;

	/* every ancestor of @rel, then @rel */
	while ((p = strchr(p, '/'))) {
		snprintf(buf, sizeof(buf), "%.*s", (int)(p - rel), rel);
		tar_add_dir(&c->tw, buf);
		p++;
	}
	tar_add_dir(&c->tw, rel);
}

static void collect_pci(struct collect *c)
{
	static const char *const files[] = { "config", "resource", "vendor", "device",
					     "class", "numa_node" };
	char rel[512];
	size_t n, i, j, len;
	char **fn = list(c, "sys/bus/pci/devices", &n);
	unsigned s, b, d, f;

	add_dirs(c, "sys/bus/pci/devices");
	for (i = 0; i < n; i++) {
		if (sscanf(fn[i], "%x:%x:%x.%x", &s, &b, &d, &f) != 4)
			continue;
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", fn[i]);
		tar_add_dir(&c->tw, rel);
		c->nfunc++;
		for (j = 0; j < sizeof(files) / sizeof(files[0]); j++) {
			snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/%s", fn[i], files[j]);
			if (j == 0) {
				char *cfg = slurp(c, full(c, rel), &len);
				if (!cfg) {
					fprintf(stderr, "dmasim collect: %s has no readable config\n", fn[i]);
					c->failed = true;
					continue;
				}
				if (len < 256)
					c->short_cfg++;
				tar_add_file(&c->tw, rel, cfg, len);
				c->nfiles++;
				free(cfg);
			} else {
				add_file(c, rel);
			}
		}
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/iommu_group", fn[i]);
		add_link(c, rel);
	}
	free_list(fn, n);
}

static void collect_iommu(struct collect *c)
{
	char rel[512];
	size_t n, m, i, j;
	char **g = list(c, "sys/kernel/iommu_groups", &n), **u, **dv;

	if (g) {
		add_dirs(c, "sys/kernel/iommu_groups");
		for (i = 0; i < n; i++) {
			snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%s", g[i]);
			tar_add_dir(&c->tw, rel);
			snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%s/type", g[i]);
			add_file(c, rel);
		}
		free_list(g, n);
	}
	if (!(u = list(c, "sys/class/iommu", &n)))
		return;
	add_dirs(c, "sys/class/iommu");
	for (i = 0; i < n; i++) {
		snprintf(rel, sizeof(rel), "sys/class/iommu/%s", u[i]);
		tar_add_dir(&c->tw, rel);
		snprintf(rel, sizeof(rel), "sys/class/iommu/%s/devices", u[i]);
		if (!(dv = list(c, rel, &m)))
			continue;
		tar_add_dir(&c->tw, rel);
		for (j = 0; j < m; j++) {
			snprintf(rel, sizeof(rel), "sys/class/iommu/%s/devices/%s", u[i], dv[j]);
			add_link(c, rel);
		}
		free_list(dv, m);
	}
	free_list(u, n);
}

int cmd_collect(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "root", required_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const procfiles[] = { "proc/iomem", "proc/cpuinfo", "proc/version",
						 "proc/cmdline", "proc/sys/kernel/osrelease" };
	struct collect c;
	const char *out = NULL;
	bool quiet = false;
	struct stat st;
	FILE *f;
	size_t i;
	int ch;

	(void)cli;
	memset(&c, 0, sizeof(c));
	c.root = "/";
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'r':
			c.root = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("collect", argv);
		}
	}
	if (optind < argc)
		return cli_usage("collect", "unexpected argument '%s'", argv[optind]);
	if (!c.root[0] || stat(full(&c, "sys/bus/pci/devices"), &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "dmasim collect: %s is not a directory; is sysfs mounted?\n", c.path);
		return CLI_USAGE;
	}
	if (cli_is_stdout(out) && isatty(STDOUT_FILENO))
		return cli_usage("collect", "refusing to write a tar archive to a terminal; use -o FILE.tar");
	if (!(f = cli_open_out("collect", out, "wb")))
		return CLI_USAGE;
	tar_writer_init(&c.tw, f);
	collect_pci(&c);
	collect_iommu(&c);
	add_dirs(&c, "proc/sys/kernel");
	for (i = 0; i < sizeof(procfiles) / sizeof(procfiles[0]); i++)
		add_file(&c, procfiles[i]);
	if (tar_finish(&c.tw)) {
		fprintf(stderr, "dmasim collect: cannot write %s: %s\n", CLI_TEXT(cli_out_name(out)),
			strerror(c.tw.err_no));
		if (f != stdout)
			fclose(f);
		return CLI_USAGE;
	}
	if (cli_close_out("collect", out, f))
		return CLI_USAGE;
	if (!quiet) {
		fprintf(stderr, "dmasim collect: %zu functions, %zu files -> %s\n", c.nfunc, c.nfiles,
			CLI_TEXT(cli_out_name(out)));
		if (c.short_cfg)
			fprintf(stderr, "dmasim collect: note: %zu functions gave less than 256 bytes of "
				"configuration space; run as root for the capabilities (PCIe port type, ACS)\n",
				c.short_cfg);
		if (c.iomem_zero)
			fprintf(stderr, "dmasim collect: note: /proc/iomem shows no addresses; run as root "
				"for the host-bridge windows and RAM\n");
	}
	return c.failed ? CLI_USAGE : CLI_OK;
}
