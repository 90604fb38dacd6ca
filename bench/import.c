/*
 * dmasim-bench-import -- what `dmasim import lspci` and `dmasim import
 * sysfs` cost per function, and how that grows with the machine
 * (issue 15, D7; docs/bench.md, docs/limits.md).
 *
 * For each size it synthesises one machine: root ports on root bus 00
 * (248 per PCI segment, more segments as needed), 256 endpoints below each
 * (32 devices x 8 functions, each with a 4 KiB memory BAR inside its root
 * port's window).  The same machine is written as an `lspci -x` dump and
 * as a sysfs tree (config and resource per function).  A fresh process per
 * run reads the input, then imports it (time and peak RSS growth beyond
 * the input) and loads the YAML it wrote (the baseline in the same run:
 * the ratio import / load says what an import costs next to reading the
 * same machine as YAML).  Medians of --runs runs.
 *
 *   dmasim-bench-import [--runs N] [--sizes N,N,...] [--sysfs-max N]
 *                       [--json-out FILE]
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dmasim/dmasim.h"
#include "dmasim/import.h"

#define RP_PER_SEG 248u      /* root ports 00:01.0 .. 00:1f.7 */
#define EP_PER_RP 256u

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* VmRSS / VmHWM in KiB, -1 when unavailable. */
static long proc_status_kb(const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			v = strtol(line + klen + 1, NULL, 10);
	fclose(f);
	return v;
}

/* ---- the synthetic machine -------------------------------------------- */

struct fn {
	unsigned seg, bus, dev, fn;
	uint8_t cfg[64];
	uint64_t bar, bar_size;   /* BAR 0 of an endpoint, or 0 */
};

/* Function @i of a machine of @n functions. */
static void machine_fn(size_t i, struct fn *f)
{
	size_t per_seg = RP_PER_SEG * (EP_PER_RP + 1), s = i / per_seg, k = i % per_seg;
	size_t rp = k / (EP_PER_RP + 1), e = k % (EP_PER_RP + 1);
	uint32_t win = 0x8000u + (uint32_t)rp * 0x10u;   /* base >> 16, 1 MiB steps */

	memset(f, 0, sizeof(*f));
	f->seg = (unsigned)s;
	f->cfg[0] = 0x86; f->cfg[1] = 0x80;
	f->cfg[6] = 0x10;
	if (e == 0) {   /* the root port 00:(rp+8 >> 3).(rp+8 & 7) */
		f->bus = 0;
		f->dev = (unsigned)(rp + 8) >> 3;
		f->fn = (unsigned)(rp + 8) & 7;
		f->cfg[2] = 0x30; f->cfg[3] = 0x20;
		f->cfg[0x0a] = 0x04; f->cfg[0x0b] = 0x06; f->cfg[0x0e] = 0x81;
		f->cfg[0x19] = f->cfg[0x1a] = (uint8_t)(rp + 1);
		f->cfg[0x20] = (uint8_t)win; f->cfg[0x21] = (uint8_t)(win >> 8);
		f->cfg[0x22] = (uint8_t)win; f->cfg[0x23] = (uint8_t)(win >> 8);
		f->cfg[0x24] = 0xf1; f->cfg[0x25] = 0xff; f->cfg[0x26] = 0x01;
		return;
	}
	e--;
	f->bus = (unsigned)rp + 1;
	f->dev = (unsigned)e >> 3;
	f->fn = (unsigned)e & 7;
	f->cfg[2] = 0x08; f->cfg[3] = 0xa8;
	f->cfg[0x0a] = 0x08; f->cfg[0x0b] = 0x01; f->cfg[0x0e] = 0x80;
	f->bar = ((uint64_t)win << 16) + e * 0x1000u;
	f->bar_size = 0x1000;
	f->cfg[0x10] = (uint8_t)f->bar; f->cfg[0x11] = (uint8_t)(f->bar >> 8);
	f->cfg[0x12] = (uint8_t)(f->bar >> 16); f->cfg[0x13] = (uint8_t)(f->bar >> 24);
}

static int write_dump(const char *path, size_t n)
{
	FILE *o = fopen(path, "w");
	struct fn f;
	size_t i;
	unsigned off, k;

	if (!o)
		return -1;
	for (i = 0; i < n; i++) {
		machine_fn(i, &f);
		fprintf(o, "%04x:%02x:%02x.%x dev\n", f.seg, f.bus, f.dev, f.fn);
		for (off = 0; off < 64; off += 16) {
			fprintf(o, "%02x:", off);
			for (k = 0; k < 16; k++)
				fprintf(o, " %02x", f.cfg[off + k]);
			fputc('\n', o);
		}
		fputc('\n', o);
	}
	return fclose(o) ? -1 : 0;
}

static int put(const char *dir, const char *name, const void *data, size_t len)
{
	char path[1300];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return -1;
	ok = write(fd, data, len) == (ssize_t)len;
	return close(fd) == 0 && ok ? 0 : -1;
}

static int write_sysfs(const char *root, size_t n)
{
	static const char *const parts[] = { "sys", "sys/bus", "sys/bus/pci",
					     "sys/bus/pci/devices" };
	char dir[1200], res[6 * 60 + 1];
	struct fn f;
	size_t i, p;

	for (p = 0; p < 4; p++) {
		snprintf(dir, sizeof(dir), "%s/%s", root, parts[p]);
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -1;
	}
	for (i = 0; i < n; i++) {
		int len = 0;
		machine_fn(i, &f);
		snprintf(dir, sizeof(dir), "%s/sys/bus/pci/devices/%04x:%02x:%02x.%x", root,
			 f.seg, f.bus, f.dev, f.fn);
		if (mkdir(dir, 0755) || put(dir, "config", f.cfg, sizeof(f.cfg)))
			return -1;
		for (p = 0; p < 6; p++) {
			uint64_t s = p == 0 && f.bar ? f.bar + ((uint64_t)f.seg << 40) : 0;
			uint64_t e = s ? s + f.bar_size - 1 : 0;
			len += snprintf(res + len, sizeof(res) - (size_t)len,
					"0x%016llx 0x%016llx 0x%016llx\n", (unsigned long long)s,
					(unsigned long long)e, s ? 0x40200ull : 0ull);
		}
		if (put(dir, "resource", res, (size_t)len))
			return -1;
	}
	return 0;
}

/* ---- one run, in a fresh process -------------------------------------- */

/* Print "import_ms growth_kb load_ms functions import_cpu_ms load_cpu_ms". */
static int child(const char *kind, const char *path)
{
	struct dmasim_limits lim = { .devices = 1u << 24 };
	struct dmasim_import_opts opts = { .limits = &lim };
	struct dmasim_error err;
	struct dmasim_topo *t = NULL;
	char *text = NULL, *yaml = NULL;
	size_t len = 0, ylen = 0, cap = 1 << 20;
	uint64_t t0, t1, t2, c0, c1, c2;
	long base, peak;
	int rc, fd;

	if (strcmp(kind, "lspci") == 0) {
		ssize_t k;
		if ((fd = open(path, O_RDONLY)) < 0 || !(text = malloc(cap)))
			return 2;
		while ((k = read(fd, text + len, cap - len)) > 0)
			if ((len += (size_t)k) == cap && !(text = realloc(text, cap *= 2)))
				return 2;
		close(fd);
	}
	/* the peak from here on: reset VmHWM to the current RSS */
	if ((fd = open("/proc/self/clear_refs", O_WRONLY)) >= 0) {
		if (write(fd, "5", 1) != 1)
			fd = -2;
		close(fd);
	}
	base = proc_status_kb("VmRSS");
	dmasim_error_init(&err);
	t0 = clock_ns(CLOCK_MONOTONIC);
	c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	rc = text ? dmasim_import_lspci(text, len, path, &opts, &yaml, &ylen, &err)
		  : dmasim_import_sysfs(path, &opts, &yaml, &ylen, &err);
	t1 = clock_ns(CLOCK_MONOTONIC);
	c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	peak = proc_status_kb("VmHWM");
	free(text);
	if (rc == DMASIM_OK)
		rc = dmasim_topo_load_string_limited(yaml, ylen, "imported.yaml", &lim, &t, &err);
	t2 = clock_ns(CLOCK_MONOTONIC);
	c2 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	if (rc != DMASIM_OK) {
		char buf[512];
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		fprintf(stderr, "dmasim-bench-import: %s\n", buf);
		return 2;
	}
	printf("%.3f %ld %.3f %zu %.3f %.3f\n", (double)(t1 - t0) / 1e6,
	       fd == -1 || base < 0 ? -1 : peak - base, (double)(t2 - t1) / 1e6,
	       dmasim_topo_machine(t)->ndevices, (double)(c1 - c0) / 1e6, (double)(c2 - c1) / 1e6);
	dmasim_topo_destroy(t);
	dmasim_import_free(yaml);
	return 0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct row {
	const char *kind;
	size_t n;
	double import_ms, load_ms;     /* wall clock */
	double import_cpu, load_cpu;   /* CPU time of the process, ms */
	long growth_kb;
	bool ok;
};

static double median_of(double *v, unsigned n)
{
	qsort(v, n, sizeof(double), cmp_d);
	return n ? v[n / 2] : NAN;
}

static void measure(const char *self, const char *kind, const char *path, size_t n,
		    unsigned runs, struct row *r)
{
	double im[16], ld[16], ic[16], lc[16];
	unsigned i, ok = 0;

	r->kind = kind;
	r->n = n;
	r->growth_kb = -1;
	for (i = 0; i < runs && i < 16; i++) {
		char cmd[2048], buf[256];
		size_t nd;
		long g;
		FILE *p;

		snprintf(cmd, sizeof(cmd), "'%s' --child %s '%s'", self, kind, path);
		if (!(p = popen(cmd, "r")))
			continue;
		if (fgets(buf, sizeof(buf), p) &&
		    sscanf(buf, "%lf %ld %lf %zu %lf %lf", &im[ok], &g, &ld[ok], &nd, &ic[ok],
			   &lc[ok]) == 6 && nd == n) {
			if (g > r->growth_kb)
				r->growth_kb = g;
			ok++;
		}
		pclose(p);
	}
	r->ok = ok > 0;
	r->import_ms = median_of(im, ok);
	r->load_ms = median_of(ld, ok);
	r->import_cpu = median_of(ic, ok);
	r->load_cpu = median_of(lc, ok);
}

static void rm_tree(const char *dir)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "dmasim-bench-import: could not remove %s\n", dir);
}

int main(int argc, char **argv)
{
	size_t sizes[16] = { 1000, 16000, 64000, 256000 }, nsizes = 4, sysfs_max = 16000, i;
	unsigned runs = 3;
	const char *json_out = NULL;
	char tmp[] = "/tmp/dmasim-bench-import-XXXXXX", path[1100];
	struct row rows[32];
	size_t nrows = 0;
	int a;

	if (argc == 4 && strcmp(argv[1], "--child") == 0)
		return child(argv[2], argv[3]);
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--runs") == 0 && a + 1 < argc) {
			runs = (unsigned)strtoul(argv[++a], NULL, 10);
		} else if (strcmp(argv[a], "--sysfs-max") == 0 && a + 1 < argc) {
			sysfs_max = strtoul(argv[++a], NULL, 10);
		} else if (strcmp(argv[a], "--json-out") == 0 && a + 1 < argc) {
			json_out = argv[++a];
		} else if (strcmp(argv[a], "--sizes") == 0 && a + 1 < argc) {
			char *s = argv[++a];
			for (nsizes = 0; *s && nsizes < 16; nsizes++) {
				sizes[nsizes] = strtoul(s, &s, 10);
				if (*s == ',')
					s++;
			}
		} else {
			fprintf(stderr, "usage: dmasim-bench-import [--runs N] [--sizes N,N,...] [--sysfs-max N] [--json-out FILE]\n");
			return 2;
		}
	}
	if (!runs || !mkdtemp(tmp))
		return 2;
	for (i = 0; i < nsizes; i++) {
		snprintf(path, sizeof(path), "%s/m%zu.dump", tmp, sizes[i]);
		if (write_dump(path, sizes[i]) == 0)
			measure(argv[0], "lspci", path, sizes[i], runs, &rows[nrows++]);
		unlink(path);
		if (sizes[i] > sysfs_max)
			continue;
		snprintf(path, sizeof(path), "%s/s%zu", tmp, sizes[i]);
		if (mkdir(path, 0755) == 0 && write_sysfs(path, sizes[i]) == 0)
			measure(argv[0], "sysfs", path, sizes[i], runs, &rows[nrows++]);
		rm_tree(path);
	}
	rmdir(tmp);
	printf("### Import (synthetic machines to topology YAML, a fresh process per run, median of %u)\n\n", runs);
	printf("| input | functions | import CPU (ms) | us/function | per function vs smallest | wall (ms) | peak RSS growth (MB) | bytes/function | load of its YAML, CPU (ms) | import / load |\n");
	printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i], *first = NULL;
		size_t j;
		for (j = 0; j < nrows && !first; j++)
			if (strcmp(rows[j].kind, r->kind) == 0)
				first = &rows[j];
		if (!r->ok) {
			printf("| %s | %zu | failed | | | | | | | |\n", r->kind, r->n);
			continue;
		}
		printf("| %s | %zu | %.1f | %.2f | %.2fx | %.1f | %.1f | %.0f | %.1f | %.2fx |\n",
		       r->kind, r->n, r->import_cpu, r->import_cpu * 1e3 / (double)r->n,
		       (r->import_cpu / (double)r->n) / (first->import_cpu / (double)first->n),
		       r->import_ms, r->growth_kb / 1024.0, r->growth_kb * 1024.0 / (double)r->n,
		       r->load_cpu, r->import_cpu / r->load_cpu);
	}
	printf("\nCPU time is the importing process's (user + system; for sysfs mostly the\n"
	       "kernel's open/read/readdir); wall clock also counts waiting on a shared machine.\n"
	       "\"per function vs smallest\": CPU time per function against the smallest machine\n"
	       "of the same input, about 1x at every size when the import is linear.  \"import /\n"
	       "load\": against loading the YAML it wrote, in the same process.  The peak RSS\n"
	       "growth is beyond the input already read (the dump text for lspci).\n");
	if (json_out) {
		FILE *f = fopen(json_out, "w");
		if (!f)
			return 2;
		fprintf(f, "{\"import\": [");
		for (i = 0; i < nrows; i++)
			fprintf(f, "%s{\"input\": \"%s\", \"functions\": %zu, \"ok\": %s, \"import_cpu_ms\": %.3f, \"import_wall_ms\": %.3f, \"peak_growth_kb\": %ld, \"load_cpu_ms\": %.3f}",
				i ? ", " : "", rows[i].kind, rows[i].n, rows[i].ok ? "true" : "false",
				rows[i].ok ? rows[i].import_cpu : 0, rows[i].ok ? rows[i].import_ms : 0,
				rows[i].growth_kb, rows[i].ok ? rows[i].load_cpu : 0);
		fprintf(f, "]}\n");
		fclose(f);
	}
	return 0;
}
