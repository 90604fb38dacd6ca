/*
 * dmasim tests -- compare a topology with what a real kernel printed when
 * it ran on the machine the topology was imported from.
 *
 * usage: kconform TOPOLOGY.yaml DMESG POLICY [--acs-only]
 *
 * DMESG is the kernel log of a machine recorded as tests/data/kernel/README.md
 * describes: a probe in drivers/pci/p2pdma.c printed, after
 * "P2PORACLE", one DEV line per function and, for every ordered pair of
 * type-0 functions, BEGIN, the kernel's own verbose warnings of
 * calc_map_type_and_dist() (drivers/pci/p2pdma.c), and PAIR with the map
 * type and distance.  Checked under POLICY (the recording kernel's row):
 *  - the functions of the topology are exactly the DEV lines' functions,
 *    each with the same ACS capability presence and ACS control word
 *    (pci_enable_acs() in drivers/pci/pci.c set it);
 *  - every pair: map type, distance and warnings word for word (the text
 *    after the dev_warn() prefix, which names the bound driver);
 *  - the IOMMU groups (pci_device_group() in drivers/iommu/iommu.c): two
 *    functions the kernel grouped share a group in dmasim exactly when they
 *    share one in the kernel; when the kernel grouped nothing, dmasim
 *    groups nothing.  A function without a group in the kernel (group -1:
 *    on device-tree platforms the IOMMU attaches at driver probe, and
 *    nothing probed it) has no kernel group to compare with.
 * --acs-only checks the functions and ACS control words only.  The
 * topology's `ctrl: auto` words are derived under POLICY first
 * (dmasim_topo_apply_policy()).
 * Every difference is printed; the exit status is 1 when there is one.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/dmasim.h"

#define MAXLINE 1024

struct kdev {
	char bdf[16];
	int hdr, group, acs_cap;
	unsigned acs_ctrl;
	const struct dmasim_device *d;
};

struct state {
	const struct dmasim_topo *t;
	const struct dmasim_policy *pol;
	const char *machine;
	struct kdev *devs;
	size_t ndevs, cap;
	unsigned long npairs, nfail;
	bool acs_only;
};

static void fail(struct state *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct state *s, const char *fmt, ...)
{
	va_list ap;

	s->nfail++;
	printf("%s: ", s->machine);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* "[    4.455002] pci-p2pdma: P2PORACLE REST" -> REST, else NULL. */
static const char *oracle(const char *line)
{
	const char *p = strstr(line, "P2PORACLE ");

	return p ? p + strlen("P2PORACLE ") : NULL;
}

/* A kernel log line "[ts] PREFIX BDF: text" -> "BDF: text". */
static const char *after_prefix(const char *line)
{
	const char *p = line;

	if (*p == '[' && (p = strchr(p, ']')) != NULL)
		p++;
	else
		p = line;
	while (*p == ' ')
		p++;
	p = strchr(p, ' ');
	return p ? p + 1 : line;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = 0;
}

static int add_dev(struct state *s, const char *rest)
{
	struct kdev k;

	memset(&k, 0, sizeof(k));
	if (sscanf(rest, "DEV %15s hdr %d type %*d group %d acs_cap %d acs_ctrl %x",
		   k.bdf, &k.hdr, &k.group, &k.acs_cap, &k.acs_ctrl) != 5) {
		fail(s, "unreadable DEV line '%s'", rest);
		return -1;
	}
	if (s->ndevs == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct kdev *v = realloc(s->devs, cap * sizeof(*v));
		if (!v)
			return -1;
		s->devs = v;
		s->cap = cap;
	}
	k.d = dmasim_topo_find_device(s->t, k.bdf);
	s->devs[s->ndevs++] = k;
	return 0;
}

static void check_devs(struct state *s)
{
	const struct dmasim_machine *m = dmasim_topo_machine(s->t);
	char buf[64];
	size_t i, j;

	for (i = 0; i < s->ndevs; i++) {
		const struct kdev *k = &s->devs[i];
		unsigned ctrl;

		if (!k->d) {
			fail(s, "%s: the kernel has it, the import does not", k->bdf);
			continue;
		}
		if ((k->acs_cap != 0) != k->d->has_acs)
			fail(s, "%s: ACS capability %s in the kernel, %s in dmasim", k->bdf,
			     k->acs_cap ? "present" : "absent",
			     k->d->has_acs ? "present" : "absent");
		ctrl = k->d->has_acs ? k->d->acs_ctrl : 0;
		if (ctrl != k->acs_ctrl) {
			char kw[16], dw[16];
			snprintf(kw, sizeof(kw), "0x%04x", k->acs_ctrl);
			snprintf(dw, sizeof(dw), "0x%04x", ctrl);
			fail(s, "%s: ACS control %s in the kernel, %s in dmasim", k->bdf, kw, dw);
		}
	}
	for (i = 0; i < m->ndevices; i++) {
		for (j = 0; j < s->ndevs && s->devs[j].d != &m->devices[i]; j++)
			;
		if (j == s->ndevs) {
			snprintf(buf, sizeof(buf), "%s", m->devices[i].bdf);
			fail(s, "%s: dmasim has it, the kernel does not", buf);
		}
	}
}

static void check_groups(struct state *s)
{
	bool kernel_any = false;
	size_t i, j;

	for (i = 0; i < s->ndevs; i++)
		if (s->devs[i].group >= 0)
			kernel_any = true;
	for (i = 0; i < s->ndevs; i++) {
		const struct kdev *a = &s->devs[i];

		if (!a->d)
			continue;
		if (!kernel_any && a->d->iommu_group != DMASIM_NO_GROUP)
			fail(s, "%s: in an IOMMU group in dmasim, the kernel has no groups",
			     a->bdf);
		if (a->group < 0)
			continue;
		if (a->d->iommu_group == DMASIM_NO_GROUP) {
			fail(s, "%s: in an IOMMU group in the kernel, in none in dmasim",
			     a->bdf);
			continue;
		}
		for (j = i + 1; j < s->ndevs; j++) {
			const struct kdev *b = &s->devs[j];
			bool ks, ds;

			if (!b->d || b->group < 0 || b->d->iommu_group == DMASIM_NO_GROUP)
				continue;
			ks = a->group == b->group;
			ds = a->d->iommu_group == b->d->iommu_group;
			if (ks != ds)
				fail(s, "%s and %s: %s", a->bdf, b->bdf,
				     ks ? "one IOMMU group in the kernel, two in dmasim"
					: "two IOMMU groups in the kernel, one in dmasim");
		}
	}
}

/* Compare one recorded pair; @warn holds the kernel's warnings, each
 * "BDF: text\n". */
static void check_pair(struct state *s, const char *rest, const char *warn)
{
	char pb[32], cb[32], type[32], want[64], got[64];
	const struct dmasim_device *p, *c;
	struct dmasim_log log;
	enum dmasim_map_type mt;
	int kd, dist = 0;
	const char *l;
	char *mine, *o;

	if (sscanf(rest, "PAIR %31s %31s %31s %d", pb, cb, type, &kd) != 4) {
		fail(s, "unreadable PAIR line '%s'", rest);
		return;
	}
	s->npairs++;
	p = dmasim_topo_find_device(s->t, pb);
	c = dmasim_topo_find_device(s->t, cb);
	if (!p || !c) {
		fail(s, "%s -> %s: not both in the import", pb, cb);
		return;
	}
	dmasim_log_init(&log);
	mt = dmasim_p2p_map_type(s->t, s->pol, p, c, &dist, DMASIM_P2P_VERBOSE, &log);
	snprintf(want, sizeof(want), "%s %d", type, kd);
	snprintf(got, sizeof(got), "%s %d", dmasim_map_type_name(mt), dist);
	if (strcmp(want, got) != 0) {
		char pair[80];
		snprintf(pair, sizeof(pair), "%s -> %s", pb, cb);
		fail(s, "%s: kernel '%s', dmasim '%s'", pair, want, got);
	}
	/* dmasim's lines are "pci BDF: text": drop the prefix. */
	mine = calloc(1, log.len + 1);
	if (!mine) {
		fail(s, "out of memory");
		return;
	}
	o = mine;
	for (l = log.text; *l;) {
		const char *e = strchr(l, '\n'), *sp = strchr(l, ' ');
		size_t n;

		if (!e)
			e = l + strlen(l);
		if (sp && sp < e)
			l = sp + 1;
		n = (size_t)(e - l);
		memcpy(o, l, n);
		o += n;
		*o++ = '\n';
		l = *e ? e + 1 : e;
	}
	*o = 0;
	if (strcmp(mine, warn) != 0) {
		char pair[80];
		snprintf(pair, sizeof(pair), "%s -> %s", pb, cb);
		fail(s, "%s: warnings differ\n--- kernel\n%s--- dmasim\n%s---", pair, warn, mine);
	}
	free(mine);
}

int main(int argc, char **argv)
{
	struct state s;
	struct dmasim_error err;
	struct dmasim_topo *t = NULL;
	char line[MAXLINE], warn[16384];
	size_t wlen = 0;
	bool in_pair = false;
	FILE *f;

	memset(&s, 0, sizeof(s));
	if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "--acs-only") != 0)) {
		fprintf(stderr, "usage: kconform TOPOLOGY.yaml DMESG POLICY [--acs-only]\n");
		return 2;
	}
	s.acs_only = argc == 5;
	s.machine = argv[2];
	dmasim_error_init(&err);
	if (dmasim_topo_load_file(argv[1], &t, &err) != DMASIM_OK) {
		char buf[512];
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		fprintf(stderr, "%s\n", buf);
		return 2;
	}
	s.t = t;
	if (!(s.pol = dmasim_policy_builtin(argv[3]))) {
		fprintf(stderr, "kconform: no built-in policy '%s'\n", argv[3]);
		dmasim_topo_destroy(t);
		return 2;
	}
	/* `ctrl: auto` ACS words as this kernel sets them. */
	if (dmasim_topo_apply_policy(t, s.pol, &err) != DMASIM_OK) {
		char buf[512];
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		fprintf(stderr, "%s\n", buf);
		dmasim_topo_destroy(t);
		return 2;
	}
	if (!(f = fopen(argv[2], "r"))) {
		perror(argv[2]);
		dmasim_topo_destroy(t);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *rest;

		chomp(line);
		rest = oracle(line);
		if (rest && strncmp(rest, "DEV ", 4) == 0) {
			if (add_dev(&s, rest))
				break;
		} else if (rest && strncmp(rest, "BEGIN ", 6) == 0) {
			in_pair = true;
			wlen = 0;
			warn[0] = 0;
		} else if (rest && strncmp(rest, "PAIR ", 5) == 0) {
			if (!s.acs_only)
				check_pair(&s, rest, warn);
			in_pair = false;
		} else if (in_pair && !rest) {
			const char *w = after_prefix(line);
			size_t n = strlen(w);

			if (wlen + n + 2 > sizeof(warn)) {
				fail(&s, "too many warnings for one pair");
				break;
			}
			memcpy(warn + wlen, w, n);
			wlen += n;
			warn[wlen++] = '\n';
			warn[wlen] = 0;
		}
	}
	fclose(f);
	if (s.ndevs == 0)
		fail(&s, "no DEV lines");
	if (!s.acs_only && s.npairs == 0)
		fail(&s, "no PAIR lines");
	check_devs(&s);
	if (!s.acs_only)
		check_groups(&s);
	printf("%s: %s, %zu functions, %lu pairs, %lu differences\n", s.machine,
	       argv[3], s.ndevs, s.npairs, s.nfail);
	free(s.devs);
	dmasim_topo_destroy(t);
	return s.nfail ? 1 : 0;
}
