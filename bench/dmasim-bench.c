/*
 * dmasim-bench -- what dmasim's lookups cost, and how the cost grows with
 * the machine (issue 7; docs/bench.md).
 *
 * For each topology file: YAML load time and peak memory (in a fresh
 * process per run), then, on the loaded tree, ns per operation (median of
 * several runs, after a warm-up that also calibrates the pass count so that
 * one run lasts long enough to time):
 *   upstream       dmasim_p2p_upstream, indexed and DMASIM_P2P_NAIVE (the
 *                  kernel's literal walk), and hwloc's
 *                  hwloc_get_common_ancestor_obj on the same pairs of the
 *                  same tree exported to hwloc XML (hwloc_peer.c)
 *   map type       dmasim_p2p_map_type, indexed and literal
 *   route          dmasim_route of a 64-byte write to a random address in
 *                  another endpoint's BAR (through the IOMMU when the
 *                  requester's domain translates: the IOVA is mapped first)
 *   decode         dmasim_decode_cpu of a random BAR address
 *   matrix         the map type of every pair of 1024 endpoints
 * Pairs are endpoints drawn with a fixed seed: a uniformly, b in a's host
 * bridge half of the time and anywhere the other half.  Every result is
 * also cross-checked (indexed == literal; hwloc's ancestor == dmasim's
 * upstream device) and mismatches are reported.
 *
 * Output: Markdown tables (default) or one JSON document (--json).
 */
#define _GNU_SOURCE 1 /* mallinfo2(): heap bytes in use, for the model's footprint */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dmasim/dmasim.h"
#include "bench.h"
#include "util/jw.h"

/* ---- options and helpers --------------------------------------------- */

struct opts {
	bool json;
	unsigned runs;        /* timed runs per operation (median) */
	unsigned load_runs;   /* fresh processes per load measurement */
	size_t npairs;
	size_t matrix;        /* endpoints in the all-pairs matrix */
	double run_ms;        /* minimum length of one timed run */
	uint64_t seed;
	const char *policy;
	bool hwloc;
	bool naive_matrix;
	const char *self;     /* this executable, for the load children */
	const char *json_out; /* also write the JSON document here */
	struct clock_stats *clk; /* filled by bench_time */
};

/* How much of the timed wall-clock time this thread was on a CPU: other
 * load on the machine shows up as a share well below 100%. */
struct clock_stats {
	uint64_t wall_ns, cpu_ns;
};

uint64_t bench_rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t cpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Time @fn: it runs @passes passes over a sample of @per_pass operations
 * and returns a checksum (kept, so the work cannot be optimised away).
 * The warm-up doubles the pass count until one run lasts o->run_ms; then
 * o->runs timed runs, and the median ns per operation.
 */
double bench_time(const struct bench_op *op, const void *opts_)
{
	const struct opts *o = opts_;
	volatile uint64_t sink = 0;
	uint64_t target = (uint64_t)(o->run_ms * 1e6), t0, dt;
	size_t passes = 1;
	double ns[64];
	unsigned r, runs = o->runs < 64 ? o->runs : 64;

	for (;;) {
		t0 = bench_now_ns();
		sink ^= op->fn(op->ctx, passes);
		dt = bench_now_ns() - t0;
		if (dt >= target || passes >= ((size_t)1 << 40))
			break;
		if (dt < target / 16)
			passes *= 8;
		else
			passes = (size_t)((double)passes * 1.2 * (double)target / (double)dt) + 1;
	}
	for (r = 0; r < runs; r++) {
		uint64_t c0 = cpu_now_ns();
		t0 = bench_now_ns();
		sink ^= op->fn(op->ctx, passes);
		dt = bench_now_ns() - t0;
		if (o->clk) {
			o->clk->wall_ns += dt;
			o->clk->cpu_ns += cpu_now_ns() - c0;
		}
		ns[r] = (double)dt / ((double)passes * (double)op->per_pass);
	}
	(void)sink;
	return median(ns, runs);
}

/*
 * bench_time() for several operations at once, interleaved: each is
 * calibrated alone, then every round runs each once, so that a burst of
 * other load on the machine falls on all of them alike and their ratios
 * (indexed vs literal walk) stay comparable.  @ns[i]: median of op i.
 */
static void bench_time_interleaved(const struct bench_op *ops, size_t nops,
				   const struct opts *o, double *ns_out)
{
	volatile uint64_t sink = 0;
	uint64_t target = (uint64_t)(o->run_ms * 1e6), t0, dt;
	size_t passes[8], i;
	double ns[8][64];
	unsigned r, runs = o->runs < 64 ? o->runs : 64;

	for (i = 0; i < nops && i < 8; i++) {
		passes[i] = 1;
		for (;;) {
			t0 = bench_now_ns();
			sink ^= ops[i].fn(ops[i].ctx, passes[i]);
			dt = bench_now_ns() - t0;
			if (dt >= target || passes[i] >= ((size_t)1 << 40))
				break;
			if (dt < target / 16)
				passes[i] *= 8;
			else
				passes[i] = (size_t)((double)passes[i] * 1.2 * (double)target /
						     (double)dt) + 1;
		}
	}
	for (r = 0; r < runs; r++)
		for (i = 0; i < nops && i < 8; i++) {
			uint64_t c0 = cpu_now_ns();
			t0 = bench_now_ns();
			sink ^= ops[i].fn(ops[i].ctx, passes[i]);
			dt = bench_now_ns() - t0;
			if (o->clk) {
				o->clk->wall_ns += dt;
				o->clk->cpu_ns += cpu_now_ns() - c0;
			}
			ns[i][r] = (double)dt / ((double)passes[i] * (double)ops[i].per_pass);
		}
	(void)sink;
	for (i = 0; i < nops && i < 8; i++)
		ns_out[i] = median(ns[i], runs);
}

/* ---- load: a fresh process per run ------------------------------------ */

/* VmHWM / VmRSS from /proc/self/status, in KiB; -1 when unavailable. */
static long status_kb(const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			v = strtol(line + klen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* Reset the peak RSS (VmHWM) to the current RSS; false when unsupported. */
static bool reset_peak(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, "5", 1) == 1;
	close(fd);
	return ok;
}

/* Bytes malloc holds for the program: small blocks plus mmap'd ones. */
static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* The child: load once, print "ms base_kb peak_kb heap_bytes maxrss_kb ndev"
 * (heap_bytes: malloc'd bytes the loaded topology holds). */
static int load_child(const char *path)
{
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	struct rusage ru;
	long base, peak, after;
	size_t heap0;
	uint64_t t0, dt;
	bool have_hwm = reset_peak();

	dmasim_error_init(&err);
	base = status_kb("VmRSS");
	heap0 = heap_in_use();
	t0 = bench_now_ns();
	if (dmasim_topo_load_file(path, &t, &err) != DMASIM_OK) {
		char buf[512];
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		fprintf(stderr, "%s\n", buf);
		return 2;
	}
	dt = bench_now_ns() - t0;
	after = (long)(heap_in_use() - heap0);
	peak = have_hwm ? status_kb("VmHWM") : -1;
	getrusage(RUSAGE_SELF, &ru);
	printf("%.6f %ld %ld %ld %ld %zu\n", (double)dt / 1e6, base, peak, after,
	       ru.ru_maxrss, dmasim_topo_machine(t)->ndevices);
	dmasim_topo_destroy(t);
	return 0;
}

struct load_result {
	double ms;             /* median */
	long base_kb, peak_kb;
	long heap_bytes;       /* malloc'd bytes the model holds after load */
	bool ok;
};

static bool run_load_child(const struct opts *o, const char *path, double *ms,
			   long *base, long *peak, long *after)
{
	int fd[2], status;
	pid_t pid;
	char buf[256];
	ssize_t n, got = 0;
	long maxrss;
	size_t ndev;

	if (pipe(fd))
		return false;
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execl(o->self, o->self, "--load-child", path, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	while ((n = read(fd[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	close(fd[0]);
	buf[got] = 0;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return false;
	if (sscanf(buf, "%lf %ld %ld %ld %ld %zu", ms, base, peak, after, &maxrss,
		   &ndev) != 6)
		return false;
	if (*peak < 0) /* no clear_refs: the child's ru_maxrss is the peak */
		*peak = maxrss;
	return true;
}

static struct load_result measure_load(const struct opts *o, const char *path)
{
	struct load_result lr = { NAN, -1, -1, -1, false };
	double ms[32];
	unsigned r, runs = o->load_runs < 32 ? o->load_runs : 32, ok = 0;

	for (r = 0; r < runs; r++) {
		long base, peak, after;
		if (!run_load_child(o, path, &ms[ok], &base, &peak, &after))
			continue;
		/* memory: the largest seen (they agree to a few pages) */
		if (peak - base > lr.peak_kb - lr.base_kb || !ok) {
			lr.base_kb = base;
			lr.peak_kb = peak;
			lr.heap_bytes = after;
		}
		ok++;
	}
	lr.ok = ok > 0;
	lr.ms = median(ms, ok);
	return lr;
}

/* ---- samples ---------------------------------------------------------- */


static int sample_build(struct sample *s, const struct dmasim_topo *t,
			const struct opts *o)
{
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	uint64_t rng = o->seed;
	size_t i, h;

	memset(s, 0, sizeof(*s));
	s->t = t;
	s->eps = malloc((m->ndevices + 1) * sizeof(*s->eps));
	s->hb_first = calloc(m->nhost_bridges + 1, sizeof(*s->hb_first));
	s->a = malloc(o->npairs * sizeof(*s->a));
	s->b = malloc(o->npairs * sizeof(*s->b));
	if (!s->eps || !s->hb_first || !s->a || !s->b)
		return -1;
	for (i = 0; i < m->ndevices; i++)
		if (m->devices[i].type == DMASIM_DEV_ENDPOINT)
			s->eps[s->neps++] = &m->devices[i];
	/* pre-order numbers host bridge by host bridge */
	for (h = 0, i = 0; h < m->nhost_bridges; h++) {
		s->hb_first[h] = i;
		while (i < s->neps && s->eps[i]->hb->id == h)
			i++;
	}
	s->hb_first[m->nhost_bridges] = s->neps;
	if (s->neps < 2)
		return -2;
	for (i = 0; i < o->npairs; i++) {
		const struct dmasim_device *a = s->eps[bench_rnd(&rng) % s->neps], *b;
		size_t lo = 0, n = s->neps;
		if (bench_rnd(&rng) & 1) {
			lo = s->hb_first[a->hb->id];
			n = s->hb_first[a->hb->id + 1] - lo;
		}
		do
			b = s->eps[lo + bench_rnd(&rng) % n];
		while (b == a && n > 1);
		s->a[i] = a;
		s->b[i] = b;
	}
	s->npairs = o->npairs;
	return 0;
}

static void sample_fini(struct sample *s)
{
	free(s->eps);
	free(s->hb_first);
	free(s->a);
	free(s->b);
}

/* ---- the operations ---------------------------------------------------- */

struct pair_ctx {
	const struct sample *s;
	unsigned flags;
};

static uint64_t op_upstream(const void *c_, size_t passes)
{
	const struct pair_ctx *c = c_;
	const struct sample *s = c->s;
	uint64_t sum = 0;
	size_t p, i;

	for (p = 0; p < passes; p++)
		for (i = 0; i < s->npairs; i++)
			sum += (uintptr_t)dmasim_p2p_upstream(s->t, s->pol, s->a[i],
							      s->b[i], c->flags);
	return sum;
}

static uint64_t op_map_type(const void *c_, size_t passes)
{
	const struct pair_ctx *c = c_;
	const struct sample *s = c->s;
	uint64_t sum = 0;
	size_t p, i;
	int dist;

	for (p = 0; p < passes; p++)
		for (i = 0; i < s->npairs; i++)
			sum += (uint64_t)dmasim_p2p_map_type(s->t, s->pol, s->a[i], s->b[i],
							     &dist, c->flags, NULL) * 64u +
			       (uint64_t)(unsigned)dist;
	return sum;
}

struct matrix_ctx {
	const struct sample *s;
	const struct dmasim_device **eps;
	size_t n;
	unsigned flags;
	uint8_t *out;       /* n * n map types */
};

static uint64_t op_matrix(const void *c_, size_t passes)
{
	const struct matrix_ctx *c = c_;
	uint64_t sum = 0;
	size_t p, i, j;

	for (p = 0; p < passes; p++)
		for (i = 0; i < c->n; i++)
			for (j = 0; j < c->n; j++) {
				enum dmasim_map_type mt = dmasim_p2p_map_type(
					c->s->t, c->s->pol, c->eps[i], c->eps[j], NULL,
					c->flags, NULL);
				c->out[i * c->n + j] = (uint8_t)mt;
				sum += mt;
			}
	return sum;
}

struct route_ctx {
	const struct dmasim_topo *t;
	const struct dmasim_iommu_pt *pt;
	const struct dmasim_device **from;
	uint64_t *addr;
	size_t n;
	struct dmasim_route *r;      /* one, reused */
	struct dmasim_landing *land; /* one, reused */
};

static uint64_t op_route(const void *c_, size_t passes)
{
	const struct route_ctx *c = c_;
	uint64_t sum = 0;
	size_t p, i;

	for (p = 0; p < passes; p++)
		for (i = 0; i < c->n; i++) {
			dmasim_route(c->t, c->pt, c->from[i], c->addr[i], 64, true, c->r);
			sum += c->r->land.offset + c->r->land.kind;
		}
	return sum;
}

static uint64_t op_decode(const void *c_, size_t passes)
{
	const struct route_ctx *c = c_;
	uint64_t sum = 0;
	size_t p, i;

	for (p = 0; p < passes; p++)
		for (i = 0; i < c->n; i++) {
			dmasim_decode_cpu(c->t, c->addr[i], 64, c->land);
			sum += c->land->offset + c->land->kind;
		}
	return sum;
}

/* ---- results ----------------------------------------------------------- */

struct result {
	const char *file;
	char label[64];
	size_t ndev, neps, nhb;
	unsigned depth;
	uint64_t file_bytes;
	struct load_result load;
	double up, up_naive, hw, hw_load_ms, mt, mt_naive, route, decode, dma;
	double matrix_ms, matrix_naive_ms;
	size_t matrix_n;
	size_t up_mismatch, mt_mismatch, hw_mismatch, hw_pairs;
	size_t route_landed, route_n, dma_ok;
	const char *hw_note;
};

static void result_init(struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->up = r->up_naive = r->hw = r->hw_load_ms = r->mt = r->mt_naive = NAN;
	r->route = r->decode = r->dma = r->matrix_ms = r->matrix_naive_ms = NAN;
}

/* Landing check for the route sample: it must land in @want's BAR. */
static void build_routes(struct route_ctx *rc, struct dmasim_iommu_pt *pt,
			 const struct sample *s, const struct opts *o,
			 const struct dmasim_device **want)
{
	uint64_t rng = o->seed ^ 0x5eed;
	size_t i;

	for (i = 0; i < rc->n; i++) {
		const struct dmasim_device *from = s->a[i], *to = s->b[i];
		const struct dmasim_bar *bar = to->nbars ? &to->bars[0] : NULL;
		uint64_t off;

		want[i] = to;
		rc->from[i] = from;
		if (!bar) {
			rc->addr[i] = 0;
			continue;
		}
		off = (bench_rnd(&rng) % bar->size) & ~(uint64_t)0xfff;
		if (from->domain == DMASIM_DOMAIN_DMA && pt) {
			/* map one page at an IOVA of our own choosing */
			dmasim_iova_t iova = 0x100000000ull + (uint64_t)i * 0x1000;
			dmasim_iommu_pt_map(pt, from->iommu_group, iova, bar->cpu + off,
					    0x1000, DMASIM_PROT_READ | DMASIM_PROT_WRITE,
					    NULL);
			rc->addr[i] = iova;
		} else {
			rc->addr[i] = bar->bus + off;
		}
	}
}

static void run_topology(const struct opts *o, const char *path, struct result *res)
{
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	const struct dmasim_machine *m;
	struct sample s;
	struct stat st;
	size_t i;

	result_init(res);
	res->file = path;
	snprintf(res->label, sizeof(res->label), "%s",
		 strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	if (strlen(res->label) > 5 && strcmp(res->label + strlen(res->label) - 5, ".yaml") == 0)
		res->label[strlen(res->label) - 5] = 0;
	if (stat(path, &st) == 0)
		res->file_bytes = (uint64_t)st.st_size;

	if (o->load_runs)
		res->load = measure_load(o, path);
	dmasim_error_init(&err);
	if (dmasim_topo_load_file(path, &t, &err) != DMASIM_OK) {
		char buf[512];
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		fprintf(stderr, "dmasim-bench: %s\n", buf);
		return;
	}
	m = dmasim_topo_machine(t);
	res->ndev = m->ndevices;
	res->nhb = m->nhost_bridges;
	res->depth = m->max_depth;
	if (sample_build(&s, t, o)) {
		fprintf(stderr, "dmasim-bench: %s: fewer than 2 endpoints or no memory\n", path);
		sample_fini(&s);
		dmasim_topo_destroy(t);
		return;
	}
	res->neps = s.neps;
	s.pol = dmasim_policy_builtin(o->policy);
	if (!s.pol) {
		fprintf(stderr, "dmasim-bench: unknown policy '%s'\n", o->policy);
		exit(2);
	}

	/* upstream and map type, indexed and literal, cross-checked */
	{
		struct pair_ctx ix = { &s, 0 }, nv = { &s, DMASIM_P2P_NAIVE };
		const struct bench_op ops[4] = {
			{ op_upstream, &ix, s.npairs }, { op_upstream, &nv, s.npairs },
			{ op_map_type, &ix, s.npairs }, { op_map_type, &nv, s.npairs },
		};
		double ns[4];

		for (i = 0; i < s.npairs; i++) {
			int d1, d2;
			if (dmasim_p2p_upstream(t, s.pol, s.a[i], s.b[i], 0) !=
			    dmasim_p2p_upstream(t, s.pol, s.a[i], s.b[i], DMASIM_P2P_NAIVE))
				res->up_mismatch++;
			if (dmasim_p2p_map_type(t, s.pol, s.a[i], s.b[i], &d1, 0, NULL) !=
			    dmasim_p2p_map_type(t, s.pol, s.a[i], s.b[i], &d2, DMASIM_P2P_NAIVE, NULL) ||
			    d1 != d2)
				res->mt_mismatch++;
		}
		/* indexed and literal in turns, for comparable ratios */
		bench_time_interleaved(ops, 4, o, ns);
		res->up = ns[0];
		res->up_naive = ns[1];
		res->mt = ns[2];
		res->mt_naive = ns[3];
	}

	/* hwloc's common ancestor on the same pairs of the same tree */
	if (o->hwloc) {
		struct bench_hwloc_result hr;
		bench_hwloc_run(t, s.a, s.b, s.npairs, bench_time, o, &hr);
		res->hw = hr.ns;
		res->hw_load_ms = hr.load_ms;
		res->hw_mismatch = hr.mismatches;
		res->hw_pairs = hr.pairs;
		res->hw_note = hr.note;
	} else {
		res->hw_note = "skipped (--no-hwloc); ";
	}

	/* route and decode */
	{
		struct route_ctx rc;
		struct dmasim_iommu_pt *pt = dmasim_iommu_pt_create(t);
		const struct dmasim_device **want;
		struct bench_op op;

		memset(&rc, 0, sizeof(rc));
		rc.t = t;
		rc.pt = pt;
		rc.n = s.npairs;
		rc.from = malloc(rc.n * sizeof(*rc.from));
		rc.addr = malloc(rc.n * sizeof(*rc.addr));
		want = malloc(rc.n * sizeof(*want));
		rc.r = malloc(sizeof(*rc.r));
		rc.land = malloc(sizeof(*rc.land));
		if (rc.from && rc.addr && want && rc.r && rc.land) {
			build_routes(&rc, pt, &s, o, want);
			for (i = 0; i < rc.n; i++) {
				dmasim_route(t, pt, rc.from[i], rc.addr[i], 64, true, rc.r);
				if (rc.r->land.kind == DMASIM_LAND_BAR && rc.r->land.dev == want[i])
					res->route_landed++;
			}
			res->route_n = rc.n;
			op = (struct bench_op){ op_route, &rc, rc.n };
			res->route = bench_time(&op, o);
			/* decode: the CPU addresses of the same targets */
			for (i = 0; i < rc.n; i++)
				rc.addr[i] = want[i]->nbars ? want[i]->bars[0].cpu +
					((rc.addr[i] & 0xfffff000) % want[i]->bars[0].size) : 0;
			op = (struct bench_op){ op_decode, &rc, rc.n };
			res->decode = bench_time(&op, o);
		}
		free(rc.from);
		free(rc.addr);
		free(want);
		free(rc.r);
		free(rc.land);
		dmasim_iommu_pt_destroy(pt);
	}

	/* dma_map_resource + unmap through the IOMMU */
	res->dma = bench_dma_run(t, &s, bench_time, o, &res->dma_ok);

	/* the all-pairs matrix */
	{
		struct matrix_ctx mc;
		struct bench_op op;
		uint64_t rng = o->seed ^ 0x3a7;
		size_t n = s.neps < o->matrix ? s.neps : o->matrix;
		size_t *pick = malloc(s.neps * sizeof(*pick));

		memset(&mc, 0, sizeof(mc));
		mc.s = &s;
		mc.n = n;
		mc.eps = malloc(n * sizeof(*mc.eps));
		mc.out = malloc(n * n);
		if (pick && mc.eps && mc.out) {
			/* n distinct endpoints (partial Fisher-Yates), in machine order */
			for (i = 0; i < s.neps; i++)
				pick[i] = i;
			for (i = 0; i < n; i++) {
				size_t j = i + bench_rnd(&rng) % (s.neps - i), tmp = pick[i];
				pick[i] = pick[j];
				pick[j] = tmp;
			}
			qsort(pick, n, sizeof(*pick), bench_cmp_size);
			for (i = 0; i < n; i++)
				mc.eps[i] = s.eps[pick[i]];
			res->matrix_n = n;
			op = (struct bench_op){ op_matrix, &mc, n * n };
			res->matrix_ms = bench_time(&op, o) * (double)(n * n) / 1e6;
			if (o->naive_matrix) {
				mc.flags = DMASIM_P2P_NAIVE;
				res->matrix_naive_ms = bench_time(&op, o) * (double)(n * n) / 1e6;
			}
		}
		free(pick);
		free(mc.eps);
		free(mc.out);
	}
	sample_fini(&s);
	dmasim_topo_destroy(t);
}

int bench_cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- output ------------------------------------------------------------ */

static void cell(char *buf, size_t n, double v, const char *fmt)
{
	if (isnan(v))
		snprintf(buf, n, "n/a");
	else
		snprintf(buf, n, fmt, v);
}

static double ratio(double slow, double fast)
{
	return isnan(slow) || isnan(fast) || fast <= 0 ? NAN : slow / fast;
}

static double load_bytes_per_dev(const struct result *r, bool beyond_file)
{
	double b;

	if (!r->load.ok || r->load.peak_kb < 0 || !r->ndev)
		return NAN;
	b = (double)(r->load.peak_kb - r->load.base_kb) * 1024.0;
	if (beyond_file)
		b -= (double)r->file_bytes;
	return b / (double)r->ndev;
}

static double retained_bytes_per_dev(const struct result *r)
{
	if (!r->load.ok || r->load.heap_bytes < 0 || !r->ndev)
		return NAN;
	return (double)r->load.heap_bytes / (double)r->ndev;
}

static void target(const char *what, double v, const char *unit, double limit,
		   bool at_most)
{
	char c[32];
	bool met = !isnan(v) && (at_most ? v <= limit : v >= limit);

	cell(c, sizeof(c), v, "%.1f");
	printf("| %s | %s%s | %s |\n", what, c, isnan(v) ? "" : unit,
	       isnan(v) ? "not measured" : met ? "met" : "**missed**");
}

/* The targets, on the largest topology (and growth from the smallest). */
static void print_targets(const struct result *rs, size_t n)
{
	const struct result *big = NULL, *small = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!rs[i].ndev)
			continue;
		if (!big || rs[i].ndev > big->ndev ||
		    (rs[i].ndev == big->ndev && rs[i].depth > big->depth))
			big = &rs[i];
		if (!small || rs[i].ndev < small->ndev)
			small = &rs[i];
	}
	if (!big)
		return;
	printf("\n### Targets (on %s: %zu devices, depth %u)\n\n", big->label, big->ndev,
	       big->depth);
	printf("| target | measured | |\n|---|--:|---|\n");
	target("upstream <= 25 ns per pair", big->up, " ns", 25, true);
	target("p2p map type <= 25 ns per pair", big->mt, " ns", 25, true);
	target("upstream >= 20x faster than the literal walk", ratio(big->up_naive, big->up), "x", 20, false);
	target("map type >= 20x faster than the literal walk", ratio(big->mt_naive, big->mt), "x", 20, false);
	target("upstream faster than hwloc_get_common_ancestor_obj", ratio(big->hw, big->up), "x", 1, false);
	target("map type faster than hwloc_get_common_ancestor_obj", ratio(big->hw, big->mt), "x", 1, false);
	target("route <= 150 ns per request", big->route, " ns", 150, true);
	target("route decode (dmasim_decode_cpu) <= 150 ns per request", big->decode, " ns", 150, true);
	target("load < 500 ms", big->load.ms, " ms", 499.999, true);
	target("load peak <= 200 bytes per device beyond the file", load_bytes_per_dev(big, true), " B", 200, true);
	target("1024x1024 matrix < 50 ms", big->matrix_ms, " ms", 49.999, true);
	if (small && small != big)
		printf("\nGrowth from %s (%zu devices) to %s (%zu devices): upstream %.1f -> %.1f ns, "
		       "map type %.1f -> %.1f ns, route %.1f -> %.1f ns, literal walk %.1f -> %.1f ns.\n",
		       small->label, small->ndev, big->label, big->ndev, small->up, big->up,
		       small->mt, big->mt, small->route, big->route, small->up_naive,
		       big->up_naive);
}

static void print_markdown(const struct result *rs, size_t n, const struct opts *o)
{
	char c[16][32];
	size_t i;

	printf("### Lookups (ns per operation, median of %u runs; policy %s; %zu pairs)\n\n",
	       o->runs, o->policy, o->npairs);
	if (o->clk && o->clk->wall_ns)
		printf("The bench thread was on a CPU %.0f%% of the timed wall-clock time "
		       "(below 100%%: other load on the machine inflated these numbers).\n\n",
		       100.0 * (double)o->clk->cpu_ns / (double)o->clk->wall_ns);
	printf("| topology | devices | depth | upstream | literal walk | speed-up | hwloc LCA | vs hwloc "
	       "| map type | literal walk | speed-up | route | decode | dma map+unmap | matrix %zu² (ms) |\n",
	       o->matrix);
	printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	for (i = 0; i < n; i++) {
		const struct result *r = &rs[i];
		cell(c[0], 32, r->up, "%.1f");
		cell(c[1], 32, r->up_naive, "%.1f");
		cell(c[2], 32, ratio(r->up_naive, r->up), "%.1fx");
		cell(c[3], 32, r->hw, "%.1f");
		cell(c[4], 32, ratio(r->hw, r->up), "%.1fx");
		cell(c[5], 32, r->mt, "%.1f");
		cell(c[6], 32, r->mt_naive, "%.1f");
		cell(c[7], 32, ratio(r->mt_naive, r->mt), "%.1fx");
		cell(c[8], 32, r->route, "%.1f");
		cell(c[9], 32, r->decode, "%.1f");
		cell(c[10], 32, r->dma, "%.1f");
		cell(c[11], 32, r->matrix_ms, "%.2f");
		if (r->matrix_n && r->matrix_n != o->matrix) { /* fewer endpoints */
			size_t l = strlen(c[11]);
			snprintf(c[11] + l, 32 - l, " (%zu²)", r->matrix_n);
		}
		printf("| %s | %zu | %u | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		       r->label, r->ndev, r->depth, c[0], c[1], c[2], c[3], c[4], c[5],
		       c[6], c[7], c[8], c[9], c[10], c[11]);
	}
	printf("\n### Load (YAML file to indexed model, a fresh process per run, median of %u)\n\n",
	       o->load_runs);
	printf("| topology | devices | file (MB) | load (ms) | peak RSS growth (MB) | peak bytes/device "
	       "| peak bytes/device beyond the file | model heap bytes/device | hwloc XML load (ms) |\n");
	printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	for (i = 0; i < n; i++) {
		const struct result *r = &rs[i];
		cell(c[0], 32, (double)r->file_bytes / 1e6, "%.1f");
		cell(c[1], 32, r->load.ms, "%.1f");
		cell(c[2], 32, r->load.ok && r->load.peak_kb >= 0
			? (double)(r->load.peak_kb - r->load.base_kb) / 1024.0 : NAN, "%.1f");
		cell(c[3], 32, load_bytes_per_dev(r, true), "%.0f");
		cell(c[4], 32, retained_bytes_per_dev(r), "%.0f");
		cell(c[5], 32, r->hw_load_ms, "%.1f");
		cell(c[6], 32, load_bytes_per_dev(r, false), "%.0f");
		printf("| %s | %zu | %s | %s | %s | %s | %s | %s | %s |\n", r->label, r->ndev,
		       c[0], c[1], c[2], c[6], c[3], c[4], c[5]);
	}
	print_targets(rs, n);
	printf("\n### Checks\n\n");
	for (i = 0; i < n; i++) {
		const struct result *r = &rs[i];
		printf("- %s: indexed vs literal: %zu upstream and %zu map-type mismatches in %zu pairs; "
		       "hwloc: %s%zu mismatches in %zu pairs; routes landing on the target BAR: %zu of %zu; "
		       "dma_map_resource verified ok: %zu of %zu\n",
		       r->label, r->up_mismatch, r->mt_mismatch, o->npairs,
		       r->hw_note ? r->hw_note : "", r->hw_mismatch, r->hw_pairs,
		       r->route_landed, r->route_n, r->dma_ok, isnan(r->dma) ? 0 : r->route_n);
	}
}

static void jdbl(struct jw *w, const char *key, double v)
{
	/* jw has no floating-point writer: key through jw, value by hand */
	dmasim__jw_key(w, key);
	if (isnan(v))
		fputs("null", w->f);
	else
		fprintf(w->f, "%.3f", v);
	w->after_key = false;
	w->first[w->depth] = false;
}

static void print_json(FILE *f, const struct result *rs, size_t n, const struct opts *o)
{
	struct jw w;
	size_t i;

	dmasim__jw_init(&w, f, true);
	dmasim__jw_obj_begin(&w);
	dmasim__jw_kstr(&w, "policy", o->policy);
	dmasim__jw_kint(&w, "runs", o->runs);
	dmasim__jw_kint(&w, "load_runs", o->load_runs);
	dmasim__jw_kint(&w, "pairs", (long long)o->npairs);
	dmasim__jw_kint(&w, "seed", (long long)o->seed);
	jdbl(&w, "cpu_share", o->clk && o->clk->wall_ns
	     ? (double)o->clk->cpu_ns / (double)o->clk->wall_ns : NAN);
	dmasim__jw_key(&w, "topologies");
	dmasim__jw_arr_begin(&w);
	for (i = 0; i < n; i++) {
		const struct result *r = &rs[i];
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kstr(&w, "file", r->file);
		dmasim__jw_kstr(&w, "label", r->label);
		dmasim__jw_kint(&w, "devices", (long long)r->ndev);
		dmasim__jw_kint(&w, "endpoints", (long long)r->neps);
		dmasim__jw_kint(&w, "host_bridges", (long long)r->nhb);
		dmasim__jw_kint(&w, "depth", r->depth);
		dmasim__jw_kint(&w, "file_bytes", (long long)r->file_bytes);
		jdbl(&w, "load_ms", r->load.ms);
		dmasim__jw_kint(&w, "load_peak_rss_growth_kb",
			r->load.ok ? r->load.peak_kb - r->load.base_kb : -1);
		jdbl(&w, "load_peak_bytes_per_device", load_bytes_per_dev(r, false));
		jdbl(&w, "load_bytes_per_device_beyond_file", load_bytes_per_dev(r, true));
		jdbl(&w, "model_heap_bytes_per_device", retained_bytes_per_dev(r));
		jdbl(&w, "upstream_ns", r->up);
		jdbl(&w, "upstream_literal_ns", r->up_naive);
		jdbl(&w, "hwloc_common_ancestor_ns", r->hw);
		jdbl(&w, "hwloc_xml_load_ms", r->hw_load_ms);
		dmasim__jw_kstr(&w, "hwloc_note", r->hw_note);
		jdbl(&w, "map_type_ns", r->mt);
		jdbl(&w, "map_type_literal_ns", r->mt_naive);
		jdbl(&w, "route_ns", r->route);
		jdbl(&w, "decode_cpu_ns", r->decode);
		jdbl(&w, "dma_map_unmap_ns", r->dma);
		dmasim__jw_kint(&w, "matrix_endpoints", (long long)r->matrix_n);
		jdbl(&w, "matrix_ms", r->matrix_ms);
		jdbl(&w, "matrix_literal_ms", r->matrix_naive_ms);
		dmasim__jw_kint(&w, "upstream_mismatches", (long long)r->up_mismatch);
		dmasim__jw_kint(&w, "map_type_mismatches", (long long)r->mt_mismatch);
		dmasim__jw_kint(&w, "hwloc_mismatches", (long long)r->hw_mismatch);
		dmasim__jw_kint(&w, "hwloc_pairs", (long long)r->hw_pairs);
		dmasim__jw_kint(&w, "routes_landed", (long long)r->route_landed);
		dmasim__jw_kint(&w, "routes", (long long)r->route_n);
		dmasim__jw_kint(&w, "dma_verified_ok", (long long)r->dma_ok);
		dmasim__jw_obj_end(&w);
	}
	dmasim__jw_arr_end(&w);
	dmasim__jw_obj_end(&w);
	dmasim__jw_end(&w);
}

static const char usage[] =
"Usage: dmasim-bench [OPTION]... TOPOLOGY.yaml...\n"
"Measure dmasim's load time, memory and lookup costs on each topology (see\n"
"bench/run, which generates the topologies with dmasim-gen).\n"
"\n"
"  --json            one JSON document instead of Markdown tables\n"
"  --json-out FILE   also write the JSON document to FILE\n"
"  --runs N          timed runs per operation; the median is reported (default 11)\n"
"  --load-runs N     fresh processes per load measurement (default 3; 0: skip)\n"
"  --pairs N         random endpoint pairs (default 16384)\n"
"  --matrix N        endpoints in the all-pairs matrix (default 1024)\n"
"  --run-ms MS       minimum length of one timed run (default 10)\n"
"  --seed S          seed of the pair sample (default 1)\n"
"  --policy NAME     built-in policy (default linux-6.12)\n"
"  --naive-matrix    also time the matrix with the literal walk\n"
"  --no-hwloc        leave hwloc out\n"
"  --help            this text\n";

int main(int argc, char **argv)
{
	struct clock_stats clk = { 0, 0 };
	struct opts o = {
		.runs = 11, .load_runs = 3, .npairs = 16384, .matrix = 1024,
		.run_ms = 10, .seed = 1, .policy = "linux-6.12", .hwloc = true,
		.clk = &clk,
	};
	struct result *rs;
	size_t nfiles = 0, i;
	const char **files;
	int a;

	if (argc == 3 && strcmp(argv[1], "--load-child") == 0)
		return load_child(argv[2]);
	files = calloc((size_t)argc, sizeof(*files));
	if (!files)
		return 1;
	for (a = 1; a < argc; a++) {
		const char *s = argv[a], *v = a + 1 < argc ? argv[a + 1] : NULL;
		if (strcmp(s, "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(s, "--json") == 0) {
			o.json = true;
		} else if (strcmp(s, "--no-hwloc") == 0) {
			o.hwloc = false;
		} else if (strcmp(s, "--naive-matrix") == 0) {
			o.naive_matrix = true;
		} else if (s[0] == '-' && s[1] == '-') {
			if (!v) {
				fprintf(stderr, "dmasim-bench: %s needs a value\n", s);
				return 2;
			}
			a++;
			if (strcmp(s, "--runs") == 0)
				o.runs = (unsigned)strtoul(v, NULL, 0);
			else if (strcmp(s, "--load-runs") == 0)
				o.load_runs = (unsigned)strtoul(v, NULL, 0);
			else if (strcmp(s, "--pairs") == 0)
				o.npairs = strtoul(v, NULL, 0);
			else if (strcmp(s, "--matrix") == 0)
				o.matrix = strtoul(v, NULL, 0);
			else if (strcmp(s, "--run-ms") == 0)
				o.run_ms = strtod(v, NULL);
			else if (strcmp(s, "--seed") == 0)
				o.seed = strtoull(v, NULL, 0);
			else if (strcmp(s, "--policy") == 0)
				o.policy = v;
			else if (strcmp(s, "--json-out") == 0)
				o.json_out = v;
			else {
				fprintf(stderr, "dmasim-bench: unknown option %s (try --help)\n", s);
				return 2;
			}
		} else {
			files[nfiles++] = s;
		}
	}
	if (!nfiles || !o.runs || !o.npairs || !o.matrix) {
		fputs(usage, stderr);
		return 2;
	}
	o.self = access("/proc/self/exe", X_OK) == 0 ? "/proc/self/exe" : argv[0];
	rs = calloc(nfiles, sizeof(*rs));
	if (!rs)
		return 1;
	for (i = 0; i < nfiles; i++) {
		fprintf(stderr, "dmasim-bench: %s ...\n", files[i]);
		run_topology(&o, files[i], &rs[i]);
	}
	if (o.json)
		print_json(stdout, rs, nfiles, &o);
	else
		print_markdown(rs, nfiles, &o);
	if (o.json_out) {
		FILE *f = fopen(o.json_out, "w");
		if (!f) {
			fprintf(stderr, "dmasim-bench: cannot write %s: %s\n", o.json_out,
				strerror(errno));
			return 1;
		}
		print_json(f, rs, nfiles, &o);
		fclose(f);
	}
	free(rs);
	free(files);
	return 0;
}
