/* dmasim tests -- the fabric: decode index, routing rules (docs/fabric.md
 * "Fabric routing rules", docs/fabric.md), IOMMU page tables, `dmasim route`.
 * Each routing test uses a small topology under tests/data/fabric/ named
 * after the rule it shows. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "testutil.h"
#include "dma/dma_int.h"
#include "fabric/fabric_int.h"

#define FAB "fabric/"

/* ---- helpers ------------------------------------------------------------ */

/* Route and check that dmasim_route() itself succeeded. */
static void rt(const struct dmasim_topo *t, const struct dmasim_iommu_pt *pt,
	       const char *from, uint64_t addr, uint64_t size, bool write,
	       struct dmasim_route *r)
{
	ck_assert_int_eq(dmasim_route(t, pt, tu_dev(t, from), addr, size, write, r),
			 DMASIM_OK);
	ck_assert_uint_lt(r->nhops, DMASIM_ROUTE_MAX_HOPS);
}

static void assert_lands(const struct dmasim_route *r, const char *expect)
{
	char buf[160];

	dmasim_landing_snprintf(buf, sizeof(buf), &r->land);
	ck_assert_msg(strcmp(buf, expect) == 0, "lands on '%s' (why: %s), expected '%s'",
		      buf, r->why, expect);
	if (r->land.kind == DMASIM_LAND_FAULT)
		ck_assert_msg(r->why[0] != '\0', "a fault without a why");
}

/* "dsp0:sibling dsp1:down gpu1:bar" */
static void assert_path(const struct dmasim_route *r, const char *expect)
{
	char buf[2048];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nhops && n < sizeof(buf); i++) {
		const struct dmasim_hop *h = &r->hops[i];
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s:%s", i ? " " : "",
				      h->dev ? h->dev->name : h->hb->name,
				      dmasim_hop_action_name(h->action));
	}
	ck_assert_msg(strcmp(buf, expect) == 0, "path '%s', expected '%s'", buf, expect);
}

static void assert_via(const struct dmasim_route *r, const char *expect)
{
	const struct dmasim_hop *via[DMASIM_ROUTE_MAX_HOPS];
	char buf[1024];
	size_t i, n = 0, nv = dmasim_route_via(r, via, DMASIM_ROUTE_MAX_HOPS);

	buf[0] = '\0';
	for (i = 0; i < nv; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "",
				      via[i]->dev ? via[i]->dev->bdf + 5 : via[i]->hb->name);
	ck_assert_msg(strcmp(buf, expect) == 0, "via '%s', expected '%s'", buf, expect);
}

/*
 * Rule 6 as the hops show it: a route that lands on a BAR of @target ends
 * with a `down` hop at each ancestor of @target below where the descent
 * began (the root bus after `rc-p2p`, the switch's internal bus after a
 * downstream port's `sibling`, a legacy bridge's bus after its `sibling`),
 * top first, then `bar`; a route that lands leaves `why` empty.
 */
static void assert_descent(const struct dmasim_route *r,
			   const struct dmasim_device *target)
{
	const struct dmasim_device *chain[DMASIM_MAX_DEPTH + 2], *owner = NULL, *d;
	size_t i, start = r->nhops, n = 0;

	ck_assert_int_eq(r->land.kind, DMASIM_LAND_BAR);
	ck_assert_ptr_eq(r->land.dev, target);
	ck_assert_msg(r->why[0] == '\0', "a landing with a why: %s", r->why);
	for (i = 0; i < r->nhops; i++)
		if (r->hops[i].action == DMASIM_HOP_RC_P2P ||
		    r->hops[i].action == DMASIM_HOP_SIBLING)
			start = i;
	ck_assert_uint_lt(start, r->nhops);
	if (r->hops[start].action == DMASIM_HOP_SIBLING) {
		owner = r->hops[start].dev;
		if (owner->type == DMASIM_DEV_SWITCH_DOWNSTREAM)
			owner = owner->parent;
	}
	for (d = target->parent; d != owner; d = d->parent) {
		ck_assert_ptr_nonnull(d); /* the descent began above target */
		chain[n++] = d;
	}
	ck_assert_uint_eq(r->nhops, start + 1 + n + 1);
	for (i = 0; i < n; i++) {
		const struct dmasim_hop *h = &r->hops[start + 1 + i];

		ck_assert_int_eq(h->action, DMASIM_HOP_DOWN);
		ck_assert_ptr_eq(h->dev, chain[n - 1 - i]);
		ck_assert_ptr_eq(h->hb, target->hb);
		ck_assert_uint_eq(h->addr, r->hops[start].addr_out);
	}
	ck_assert_int_eq(r->hops[r->nhops - 1].action, DMASIM_HOP_BAR);
	ck_assert_ptr_eq(r->hops[r->nhops - 1].dev, target);
	ck_assert_uint_eq(r->land.offset, r->hops[start].addr_out - r->land.bar->bus);
	ck_assert_uint_eq(r->land.cpu, r->land.bar->cpu + r->land.offset);
}

/* Load tests/data/fabric/@file, route, check the landing and the path. */
static void route_expect(const char *file, const char *from, uint64_t addr,
			 uint64_t size, const char *lands, const char *path)
{
	char full[256];
	struct dmasim_topo *t;
	struct dmasim_route r;

	snprintf(full, sizeof(full), FAB "%s", file);
	t = tu_load_file(full);
	rt(t, NULL, from, addr, size, true, &r);
	assert_lands(&r, lands);
	if (path)
		assert_path(&r, path);
	dmasim_topo_destroy(t);
}

/* ---- names ---------------------------------------------------------------- */

START_TEST(test_fault_names_are_the_schema_names)
{
	static const char *const names[] = {
		"mapping-error", "not-supported", "invalid-address",
		"unsupported-request", "iommu-fault", "rc-p2p-blocked",
		"msi-write", "outside-inbound-window",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		enum dmasim_fault f = dmasim_fault_parse(names[i]);
		ck_assert_int_ne(f, DMASIM_FAULT_COUNT);
		ck_assert_int_ne(f, DMASIM_FAULT_NONE);
		ck_assert_str_eq(dmasim_fault_name(f), names[i]);
	}
	ck_assert_str_eq(dmasim_fault_name(DMASIM_FAULT_NONE), "none");
	ck_assert_int_eq(dmasim_fault_parse("iommu_fault"), DMASIM_FAULT_COUNT);
	ck_assert_int_eq(dmasim_fault_parse(NULL), DMASIM_FAULT_COUNT);
	for (i = 0; i < DMASIM_HOP_ACTION_COUNT; i++)
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(dmasim_hop_action_name((enum dmasim_hop_action)i),
					 dmasim_hop_action_name((enum dmasim_hop_action)j));
}
END_TEST

START_TEST(test_landing_snprintf_formats)
{
	struct dmasim_topo *t = tu_load_file(FAB "switch_sibling_p2p.yaml");
	const struct dmasim_device *gpu0 = tu_dev(t, "gpu0");
	struct dmasim_landing l = { 0 };
	char buf[64];

	l.kind = DMASIM_LAND_BAR;
	l.dev = gpu0;
	l.bar = dmasim_device_find_bar(gpu0, 1);
	l.offset = 0x1000;
	dmasim_landing_snprintf(buf, sizeof(buf), &l);
	ck_assert_str_eq(buf, "gpu0.bar1 + 0x1000");
	l.offset = 0;
	dmasim_landing_snprintf(buf, sizeof(buf), &l);
	ck_assert_str_eq(buf, "gpu0.bar1");
	l.kind = DMASIM_LAND_RAM;
	l.cpu = 0x1000;
	dmasim_landing_snprintf(buf, sizeof(buf), &l);
	ck_assert_str_eq(buf, "ram 0x1000");
	l.kind = DMASIM_LAND_FAULT;
	l.fault = DMASIM_FAULT_RC_P2P_BLOCKED;
	ck_assert_int_eq(dmasim_landing_snprintf(buf, 4, &l), 14);
	ck_assert_str_eq(buf, "rc-");
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- decode index ----------------------------------------------------------- */

START_TEST(test_decode_index_child_lists_are_sorted_and_complete)
{
	struct dmasim_topo *t = tu_load_file(FAB "switch_sibling_p2p.yaml");
	const struct dmasim__decode_index *idx = dmasim__topo_decode(t);
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	const struct dmasim_device *usp0 = tu_dev(t, "usp0");
	const struct dmasim__dec_list *l;
	size_t i, total = 0;

	ck_assert_ptr_nonnull(idx);
	l = &idx->lists[dmasim__slot_dev(idx, usp0)];
	ck_assert_uint_eq(l->n, 6); /* 3 downstream ports x (mem, mem-pref) */
	for (i = 1; i < l->n; i++)
		ck_assert_uint_gt(idx->ents[l->first + i].lo, idx->ents[l->first + i - 1].hi);
	l = &idx->lists[dmasim__slot_hb(idx, &m->host_bridges[0])];
	ck_assert_uint_eq(l->n, 3); /* rp0 mem + mem-pref, rp1 mem-pref */
	for (i = 0; i < m->ndevices; i++) {
		const struct dmasim_device *d = &m->devices[i];
		total += d->nbars + d->windows[0].present + d->windows[1].present;
	}
	ck_assert_uint_eq(idx->nents, total);
	ck_assert_uint_eq(idx->ncpu, 4); /* 2 RAM ranges, 2 host-bridge windows */
	ck_assert_uint_eq(idx->dsp_index[tu_dev(t, "dsp2")->id], 2);
	ck_assert_uint_eq(idx->dsp_index[tu_dev(t, "gpu0")->id], UINT32_MAX);
	/* Lookups: inside, at both ends, just outside. */
	ck_assert_ptr_eq(dmasim__dec_lookup(idx, usp0->id, 0x38400000000)->dev, tu_dev(t, "dsp1"));
	ck_assert_ptr_eq(dmasim__dec_lookup(idx, usp0->id, 0x387ffffffff)->dev, tu_dev(t, "dsp1"));
	ck_assert_ptr_null(dmasim__dec_lookup(idx, usp0->id, 0xc0000000));
	ck_assert_ptr_null(dmasim__dec_lookup(idx, usp0->id, 0x38900000000));
	ck_assert_ptr_null(dmasim__dec_lookup(idx, usp0->id, 0));
	ck_assert_ptr_nonnull(dmasim__hb_window_lookup(idx, &m->host_bridges[0], 0xc0000000));
	ck_assert_ptr_null(dmasim__hb_window_lookup(idx, &m->host_bridges[0], 0xbfffffff));
	/* The cost stays linear: a few dozen bytes per device and range,
	 * and a few hundred per host bridge (its BAR map's tree and lists). */
	ck_assert_uint_le(idx->bytes, sizeof(*idx) + 64 * (m->ndevices + idx->nents + idx->ncpu + 4) +
				      256 * (m->nhost_bridges + 1));
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_decode_index_merges_adjacent_ram)
{
	struct dmasim_topo *t = tu_load(
		"dmasim: 1\narch: x86_64\n"
		"ram: [ { base: 0x0, size: 1G }, { base: 0x40000000, size: 1G } ]\n"
		"host_bridges:\n"
		"  - name: hb0\n    buses: [0, 0x7f]\n"
		"    windows: [ { kind: mem, cpu: 0xc0000000, bus: 0xc0000000, size: 256M } ]\n"
		"    devices:\n"
		"      - { bdf: 00:01.0, type: endpoint, name: dev0 }\n");
	struct dmasim_route r;

	ck_assert_uint_eq(dmasim__topo_decode(t)->ncpu, 2);
	rt(t, NULL, "dev0", 0x3ffffffe, 4, true, &r);
	assert_lands(&r, "ram 0x3ffffffe");
	assert_path(&r, "hb0:identity hb0:ram");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_decode_cpu_memory_map)
{
	struct dmasim_topo *t = tu_load_file(FAB "switch_sibling_p2p.yaml");
	struct dmasim_route r;
	struct dmasim_landing l;
	char buf[64];

	ck_assert_int_eq(dmasim_decode_cpu(t, 0x38400001000, 8, &l), DMASIM_OK);
	dmasim_landing_snprintf(buf, sizeof(buf), &l);
	ck_assert_str_eq(buf, "gpu1.bar1 + 0x1000");
	ck_assert_uint_eq(l.cpu, 0x38400001000);
	ck_assert_int_eq(dmasim_decode_cpu(t, 0x100000000, 8, &l), DMASIM_OK);
	ck_assert_int_eq(l.kind, DMASIM_LAND_RAM);
	ck_assert_int_eq(dmasim_decode_cpu(t, 0xfee00000, 4, &l), DMASIM_OK);
	ck_assert_int_eq(l.fault, DMASIM_FAULT_MSI_WRITE);
	ck_assert_int_eq(dmasim_decode_cpu(t, 0xa0000000, 4, &l), DMASIM_OK);
	ck_assert_int_eq(l.fault, DMASIM_FAULT_UNSUPPORTED_REQUEST);
	ck_assert_int_eq(dmasim_decode_cpu(t, 0xc3003ffe, 4, &l), DMASIM_OK);
	ck_assert_int_eq(l.fault, DMASIM_FAULT_UNSUPPORTED_REQUEST);
	ck_assert_int_eq(dmasim_decode_cpu(t, 0x1000, 0, &l), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_decode_cpu(t, UINT64_MAX, 2, &l), DMASIM_EINVAL);
	/* Arguments dmasim_route refuses. */
	ck_assert_int_eq(dmasim_route(t, NULL, tu_dev(t, "gpu0"), 0x1000, 0, true, &r), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_route(t, NULL, tu_dev(t, "gpu0"), UINT64_MAX, 2, true, &r), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_route(t, NULL, NULL, 0x1000, 4, true, &r), DMASIM_EINVAL);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_decode_cpu_finds_every_bar_of_shipped_topologies)
{
	/* Invariant of the index: each BAR's CPU address decodes to that BAR,
	 * and a route from every device to every BAR and to RAM terminates. */
	static const char *const arch[] = { "x86_64", "arm64", "ppc64", "riscv64" };
	size_t a, nfiles = 0;

	for (a = 0; a < sizeof(arch) / sizeof(arch[0]); a++) {
		char dir[512], path[1024];
		struct dirent *de;
		DIR *dp;

		snprintf(dir, sizeof(dir), "%s/%s", DMASIM_TOPOLOGIES, arch[a]);
		dp = opendir(dir);
		if (!dp)
			continue;
		while ((de = readdir(dp))) {
			struct dmasim_topo *t;
			const struct dmasim_machine *m;
			size_t n = strlen(de->d_name), i, j, b;

			if (n < 5 || strcmp(de->d_name + n - 5, ".yaml") != 0 ||
			    (n > 11 && strcmp(de->d_name + n - 11, ".suite.yaml") == 0))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			t = tu_load_file(path);
			m = dmasim_topo_machine(t);
			nfiles++;
			for (i = 0; i < m->ndevices; i++)
				for (b = 0; b < m->devices[i].nbars; b++) {
					const struct dmasim_bar *bar = &m->devices[i].bars[b];
					struct dmasim_landing l;
					ck_assert_int_eq(dmasim_decode_cpu(t, bar->cpu, 1, &l), DMASIM_OK);
					ck_assert_msg(l.kind == DMASIM_LAND_BAR && l.bar == bar,
						      "%s: BAR %u of %s does not decode to itself",
						      path, bar->index, m->devices[i].name);
				}
			for (i = 0; i < m->ndevices; i++)
				for (j = 0; j < m->ndevices; j++)
					for (b = 0; b < m->devices[j].nbars; b++) {
						struct dmasim_route r;
						const struct dmasim_bar *bar = &m->devices[j].bars[b];
						ck_assert_int_eq(dmasim_route(t, NULL, &m->devices[i], bar->bus,
									      4, true, &r), DMASIM_OK);
						ck_assert_uint_lt(r.nhops, DMASIM_ROUTE_MAX_HOPS);
						if (r.land.kind == DMASIM_LAND_BAR)
							assert_descent(&r, r.land.dev);
						ck_assert_int_eq(dmasim_route(t, NULL, &m->devices[i], bar->cpu,
									      4, true, &r), DMASIM_OK);
					}
			dmasim_topo_destroy(t);
		}
		closedir(dp);
	}
	ck_assert_uint_ge(nfiles, 1);
}
END_TEST

/* A generated machine with many BARs: hb0 (bus = CPU) has a legacy bridge
 * with @n endpoints (BAR 0 in mem, BARs 2 and 4 in mem-pref) and an integrated
 * endpoint; hb1 maps CPU 0x6000000000 to the same bus addresses as hb0's
 * mem window, so the two host bridges' BAR maps overlap in bus space. */
static struct dmasim_topo *load_many_bars(unsigned n)
{
	size_t cap = 4096 + (size_t)n * 256, len = 0;
	char *y = malloc(cap);
	struct dmasim_topo *t;
	unsigned i;

	ck_assert_ptr_nonnull(y);
	len += (size_t)snprintf(y + len, cap - len,
		"dmasim: 1\narch: x86_64\nram: [ { base: 0x0, size: 2G } ]\n"
		"host_bridges:\n"
		"  - name: hb0\n    buses: [0, 0x7f]\n    root_complex: { p2p: any }\n"
		"    windows:\n"
		"      - { kind: mem, cpu: 0x80000000, bus: 0x80000000, size: 1G }\n"
		"      - { kind: mem-pref, cpu: 0x4000000000, bus: 0x4000000000, size: 64G }\n"
		"    devices:\n"
		"      - { bdf: 00:00.0, type: endpoint, name: rcie, bars: [ { index: 0, base: 0xbff00000, size: 1M } ] }\n"
		"      - bdf: 00:01.0\n        type: root-port\n        name: rp0\n        children:\n"
		"          - bdf: 01:00.0\n            type: pci-bridge\n            name: pcib0\n            children:\n");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(y + len, cap - len,
			"              - { bdf: 02:%02x.%u, type: endpoint, name: ep%u, bars: ["
			" { index: 0, base: 0x%llx, size: 64K },"
			" { index: 2, base: 0x%llx, size: 1M, pref: true, bits: 64 },"
			" { index: 4, base: 0x%llx, size: 1M, pref: true, bits: 64 } ] }\n",
			i / 8, i % 8, i, 0x80000000ull + (unsigned long long)i * 0x20000,
			0x4000000000ull + (unsigned long long)i * 0x200000,
			0x4800000000ull + (unsigned long long)i * 0x200000);
	len += (size_t)snprintf(y + len, cap - len,
		"  - name: hb1\n    segment: 1\n    buses: [0, 0x7f]\n    root_complex: { p2p: any }\n"
		"    windows: [ { kind: mem, cpu: 0x6000000000, bus: 0x80000000, size: 1G } ]\n"
		"    devices:\n"
		"      - bdf: 0001:00:01.0\n        type: root-port\n        name: rp1\n        children:\n");
	for (i = 0; i < 20; i++)
		len += (size_t)snprintf(y + len, cap - len,
			"          - { bdf: 0001:01:%02x.0, type: endpoint, name: far%u, bars: ["
			" { index: 0, base: 0x%llx, size: 1M } ] }\n",
			i, i, 0x6000000000ull + (unsigned long long)i * 0x100000);
	ck_assert_uint_lt(len, cap);
	t = tu_load(y);
	free(y);
	return t;
}

/* The BAR of host bridge @hb holding bus address @a, by a linear scan. */
static const struct dmasim_bar *bar_scan(const struct dmasim_machine *m,
					 const struct dmasim_host_bridge *hb,
					 uint64_t a, const struct dmasim_device **dev)
{
	size_t i, b;

	for (i = 0; i < m->ndevices; i++)
		for (b = 0; b < m->devices[i].nbars; b++) {
			const struct dmasim_bar *bar = &m->devices[i].bars[b];

			if (m->devices[i].hb == hb && a >= bar->bus &&
			    a <= bar->bus + (bar->size - 1)) {
				*dev = &m->devices[i];
				return bar;
			}
		}
	return NULL;
}

START_TEST(test_decode_index_bar_trees_match_a_linear_scan)
{
	struct dmasim_topo *t = load_many_bars(250);
	const struct dmasim__decode_index *idx = dmasim__topo_decode(t);
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	size_t h, i, b, k, checked = 0;

	/* 751 BARs in hb0, two to a leaf: 376 -> 47 -> 6 keys, three levels
	 * (the last leaf holds one BAR) */
	ck_assert_uint_eq(idx->trees[0].nents, 751);
	ck_assert_uint_eq(idx->trees[0].n, 376);
	ck_assert_uint_eq(idx->trees[0].nlev, 3);
	ck_assert_uint_eq(idx->trees[1].nents, 20);
	ck_assert_uint_eq(idx->trees[1].n, 10);
	ck_assert_uint_eq(idx->trees[1].first % 2, 0);
	for (h = 0; h < m->nhost_bridges; h++) {
		const struct dmasim_host_bridge *hb = &m->host_bridges[h];

		for (i = 0; i < m->ndevices; i++)
			for (b = 0; b < m->devices[i].nbars; b++) {
				const struct dmasim_bar *bar = &m->devices[i].bars[b];
				const uint64_t probe[] = {
					bar->bus, bar->bus + bar->size - 1, bar->bus - 1,
					bar->bus + bar->size, bar->bus + bar->size / 2, 0,
					UINT64_MAX, UINT64_MAX - 1,
				};

				for (k = 0; k < sizeof(probe) / sizeof(probe[0]); k++) {
					const struct dmasim_device *want_dev = NULL;
					const struct dmasim_bar *want = bar_scan(m, hb, probe[k], &want_dev);
					const struct dmasim__bar_ent *e =
						dmasim__bar_find(idx, hb->id, probe[k]);

					if (!want) {
						ck_assert_ptr_null(e);
						continue;
					}
					ck_assert_ptr_nonnull(e);
					ck_assert_ptr_eq(idx->bar0 + e->bar, want);
					ck_assert_ptr_eq(idx->devs + e->dev, want_dev);
					ck_assert_uint_eq(e->lo, want->bus);
					ck_assert_uint_eq(e->hi, want->bus + want->size - 1);
					ck_assert_uint_eq(e->npath, want_dev->depth);
					checked++;
				}
			}
	}
	ck_assert_uint_ge(checked, 3 * 771); /* each BAR at both ends and inside */
	dmasim_topo_destroy(t);
}
END_TEST

/* The node of device @name. */
static const struct dmasim__node *node_of(const struct dmasim_topo *t,
					  const char *name)
{
	const struct dmasim__decode_index *idx = dmasim__topo_decode(t);
	const struct dmasim_device *d = tu_dev(t, name);
	size_t i;

	for (i = 0; i < idx->nnodes; i++)
		if (idx->node_dev[i] == d) {
			ck_assert_ptr_eq(idx->nodes[i].dev, d);
			ck_assert_uint_eq(idx->nodes[i].id, d->id);
			return &idx->nodes[i];
		}
	ck_abort_msg("%s has no node", name);
	return NULL;
}

START_TEST(test_decode_index_nodes_triggers_and_paths)
{
	struct dmasim_topo *t = tu_load_file(FAB "acs_egress_control.yaml");
	const struct dmasim__decode_index *idx = dmasim__topo_decode(t);
	const struct dmasim_device *gpu0 = tu_dev(t, "gpu0");
	const struct dmasim__node *n;
	const uint32_t *pp;

	/* dsp0 (EC, no RR) compares the address with everything on usp0's
	 * bus: the ports' mem windows 0xc1000000-0xc30fffff (derived, 1M
	 * granules) and mem-pref windows 0x38000000000-0x3883fffffff, far
	 * apart */
	n = node_of(t, "dsp0");
	ck_assert_int_eq(n->type, DMASIM_DEV_SWITCH_DOWNSTREAM);
	ck_assert_uint_eq(n->depth, 2);
	ck_assert_int_eq(n->act, DMASIM_HOP_UP);
	ck_assert_uint_eq(n->trig.lo[0], 0xc1000000);
	ck_assert_uint_eq(n->trig.hi[0], 0xc30fffff);
	ck_assert_uint_eq(n->trig.lo[1], 0x38000000000);
	ck_assert_uint_eq(n->trig.hi[1], 0x3883fffffff);
	ck_assert(dmasim__node_trigger(n, 0xc2000000));
	ck_assert(dmasim__node_trigger(n, 0x38800000000));
	ck_assert(!dmasim__node_trigger(n, 0x100000000)); /* between the two */
	ck_assert(!dmasim__node_trigger(n, 0xc0ffffff));
	ck_assert(!dmasim__node_trigger(n, 0xc3100000));
	ck_assert_uint_eq(n->flags, DMASIM__N_EC | DMASIM__N_EGRESS);
	ck_assert_uint_eq(n->egress, 0x2);
	/* dsp2 has RR: it redirects whatever the address; a root port too
	 * sends everything up */
	n = node_of(t, "dsp2");
	ck_assert_int_eq(n->act, DMASIM_HOP_ACS_REDIRECT);
	ck_assert_uint_eq(n->flags, DMASIM__N_RR | DMASIM__N_EC);
	ck_assert(!dmasim__node_trigger(n, 0xc3000000));
	ck_assert(!dmasim__node_trigger(n, 0));
	ck_assert(!dmasim__node_trigger(node_of(t, "rp0"), 0xc1000000));
	/* usp0 (rule 3) compares it with its own windows */
	n = node_of(t, "usp0");
	ck_assert_uint_eq(n->trig.lo[0], tu_dev(t, "usp0")->windows[DMASIM_WIN_MEM].base);
	ck_assert_uint_eq(n->trig.hi[1], tu_dev(t, "usp0")->windows[DMASIM_WIN_MEM_PREF].limit);
	/* The walk from dsp0 looks at an address only inside dsp0's, usp0's
	 * (rp0 has none) triggers: usp0's windows, here the same two */
	{
		size_t k = (size_t)(node_of(t, "dsp0") - idx->nodes);
		const struct dmasim__hull2 *pt = dmasim__path_cover(idx, idx->reqs[gpu0->id].path);
		struct dmasim_route r;

		ck_assert_uint_eq(pt->lo[0], 0xc1000000);
		ck_assert_uint_eq(pt->hi[1], 0x3883fffffff);
		ck_assert(!dmasim__hull2_has(pt, 0x1000));
		ck_assert_ptr_eq(idx->node_dev[k], tu_dev(t, "dsp0"));
		ck_assert_uint_eq(idx->node_act[(size_t)(node_of(t, "rp0") - idx->nodes)],
				  DMASIM_HOP_UP | DMASIM__ACT_LAST);
		/* outside it: default hops only, RR's included */
		rt(t, NULL, "nvme0", 0x1000, 4, true, &r);
		assert_path(&r, "dsp2:acs-redirect usp0:up rp0:up hb0:identity hb0:ram");
	}
	/* gpu0's path: dsp0, usp0, rp0, then the root bus */
	pp = idx->path + idx->reqs[gpu0->id].path;
	ck_assert_ptr_eq(idx->node_dev[pp[0]], tu_dev(t, "dsp0"));
	ck_assert_ptr_eq(idx->node_dev[pp[1]], tu_dev(t, "usp0"));
	ck_assert_ptr_eq(idx->node_dev[pp[2]], tu_dev(t, "rp0"));
	ck_assert_uint_eq(pp[3], DMASIM__NO_NODE);
	ck_assert_uint_eq(idx->path[idx->reqs[tu_dev(t, "rp0")->id].path], DMASIM__NO_NODE);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_decode_index_legacy_bridge_trigger_covers_bus_and_windows)
{
	/* pcib0's rule compares the address with its bus (pcia, pcib) and
	 * its window 0xc0000000-0xc0ffffff: one interval */
	struct dmasim_topo *t = tu_load_file(FAB "legacy_pci_bridge.yaml");
	const struct dmasim__node *n = node_of(t, "pcib0");

	ck_assert_uint_eq(n->trig.lo[0], 0xc0000000);
	ck_assert_uint_eq(n->trig.hi[0], 0xc0ffffff);
	ck_assert_uint_gt(n->trig.lo[1], n->trig.hi[1]); /* empty */
	dmasim_topo_destroy(t);
}
END_TEST

/* Every endpoint to every other endpoint's BARs on the generated machine
 * (bus addresses between neighbours on the legacy bridge's bus, CPU
 * addresses otherwise), 4 bytes at a BAR's start and end, and a write
 * straddling its end: the landing a BAR-map lookup gives, the rule-6
 * hops, and the step-by-step descent's fault for the straddle. */
START_TEST(test_route_descent_to_every_bar_of_many)
{
	struct dmasim_topo *t = load_many_bars(64);
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	const struct dmasim_device *pcib0 = tu_dev(t, "pcib0");
	struct dmasim_route *r = malloc(sizeof(*r));
	size_t i, j, b, landed = 0;

	ck_assert_ptr_nonnull(r);
	for (i = 0; i < m->ndevices; i++)
		for (j = 0; j < m->ndevices; j++)
			for (b = 0; b < m->devices[j].nbars; b++) {
				const struct dmasim_device *from = &m->devices[i], *to = &m->devices[j];
				const struct dmasim_bar *bar = &to->bars[b];
				uint64_t a = from->parent == pcib0 && to->parent == pcib0
					     ? bar->bus : bar->cpu;

				if (from == to || from->type != DMASIM_DEV_ENDPOINT)
					continue;
				ck_assert_int_eq(dmasim_route(t, NULL, from, a, 4, true, r), DMASIM_OK);
				assert_descent(r, to);
				ck_assert_int_eq(dmasim_route(t, NULL, from, a + bar->size - 4, 4,
							      false, r), DMASIM_OK);
				assert_descent(r, to);
				ck_assert_uint_eq(r->land.offset, bar->size - 4);
				landed += 2;
				ck_assert_int_eq(dmasim_route(t, NULL, from, a + bar->size - 2, 4,
							      true, r), DMASIM_OK);
				ck_assert_int_eq(r->land.kind, DMASIM_LAND_FAULT);
				ck_assert_int_eq(r->land.fault, DMASIM_FAULT_UNSUPPORTED_REQUEST);
				ck_assert_msg(strstr(r->why, "straddles the end") != NULL, "%s", r->why);
			}
	/* 85 endpoints, 213 BARs: each endpoint to every BAR but its own */
	ck_assert_uint_eq(landed, 2 * 84 * 213);
	free(r);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- rule 2: switch downstream ports ----------------------------------------- */

START_TEST(test_sibling_p2p_routes_across_switch)
{
	struct dmasim_topo *t = tu_load_file(FAB "switch_sibling_p2p.yaml");
	struct dmasim_route r;

	rt(t, NULL, "gpu0", 0x38400001000, 4, true, &r);
	assert_lands(&r, "gpu1.bar1 + 0x1000");
	assert_path(&r, "dsp0:sibling dsp1:down gpu1:bar");
	assert_via(&r, "02:00.0 02:01.0");
	ck_assert(r.land.has_cpu);
	ck_assert_uint_eq(r.land.cpu, 0x38400001000);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_acs_rr_redirects_upstream)
{
	/* The same pair as test_sibling_p2p_routes_across_switch, RR on dsp0. */
	route_expect("acs_rr.yaml", "gpu0", 0x38400001000, 4, "gpu1.bar1 + 0x1000",
		     "dsp0:acs-redirect usp0:up rp0:up hb0:identity hb0:rc-p2p "
		     "rp0:down usp0:down dsp1:down gpu1:bar");
	/* RR sends it up whatever the address: even its own window. */
	route_expect("acs_rr.yaml", "gpu0", 0xc1000040, 4, "gpu0.bar0 + 0x40",
		     "dsp0:acs-redirect usp0:up rp0:up hb0:identity hb0:rc-p2p "
		     "rp0:down usp0:down dsp0:down gpu0:bar");
	/* Ports without RR still route peer-to-peer. */
	route_expect("acs_rr.yaml", "gpu1", 0x38000000000, 4, "gpu0.bar1",
		     "dsp1:sibling dsp0:down gpu0:bar");
}
END_TEST

START_TEST(test_own_window_without_uf_is_unsupported_request)
{
	route_expect("switch_sibling_p2p.yaml", "gpu0", 0xc1000040, 4,
		     "unsupported-request", "dsp0:fault");
	route_expect("acs_upstream_forwarding.yaml", "acc1f0", 0xc2100000, 4,
		     "unsupported-request", "dsp1:fault");
}
END_TEST

START_TEST(test_acs_uf_forwards_own_window_upstream)
{
	route_expect("acs_upstream_forwarding.yaml", "acc0f0", 0xc1100010, 4,
		     "acc0f1.bar0 + 0x10",
		     "dsp0:acs-uf usp0:up rp0:up hb0:identity hb0:rc-p2p "
		     "rp0:down usp0:down dsp0:down acc0f1:bar");
	/* UF only matters for the own window: a sibling is still direct. */
	route_expect("acs_upstream_forwarding.yaml", "acc0f0", 0xc2000000, 4,
		     "acc1f0.bar0", "dsp0:sibling dsp1:down acc1f0:bar");
}
END_TEST

START_TEST(test_acs_egress_vector_blocks_listed_port)
{
	/* dsp0: EC with vector 0x2 -> bit 1 = dsp1 blocked, dsp2 allowed. */
	route_expect("acs_egress_control.yaml", "gpu0", 0x38400000000, 4,
		     "unsupported-request", "dsp0:fault");
	route_expect("acs_egress_control.yaml", "gpu0", 0x38800000000, 4,
		     "nvme0.bar4", "dsp0:sibling dsp2:down nvme0:bar");
}
END_TEST

START_TEST(test_acs_egress_without_vector_blocks_every_peer)
{
	route_expect("acs_egress_control.yaml", "gpu1", 0xc1000000, 4,
		     "unsupported-request", "dsp1:fault");
	route_expect("acs_egress_control.yaml", "gpu1", 0xc3000000, 4,
		     "unsupported-request", "dsp1:fault");
	/* Egress control is about peers only: RAM is not blocked. */
	route_expect("acs_egress_control.yaml", "gpu1", 0x1000, 4, "ram 0x1000",
		     "dsp1:up usp0:up rp0:up hb0:identity hb0:ram");
}
END_TEST

START_TEST(test_acs_egress_with_rr_redirects_upstream)
{
	route_expect("acs_egress_control.yaml", "nvme0", 0xc1000000, 4, "gpu0.bar0",
		     "dsp2:acs-redirect usp0:up rp0:up hb0:identity hb0:rc-p2p "
		     "rp0:down usp0:down dsp0:down gpu0:bar");
}
END_TEST

START_TEST(test_switch_below_switch_routes_at_the_lowest_common_switch)
{
	struct dmasim_topo *t = tu_load_file(FAB "switch_below_switch.yaml");
	struct dmasim_route r;

	rt(t, NULL, "gpu0", 0xc1100000, 4, true, &r);
	assert_lands(&r, "gpu1.bar0");
	assert_path(&r, "dsp10:sibling dsp11:down gpu1:bar");
	rt(t, NULL, "gpu0", 0xc2000000, 4, true, &r);
	assert_lands(&r, "nvme0.bar0");
	assert_path(&r, "dsp10:up usp1:up dsp0:sibling dsp1:down nvme0:bar");
	assert_via(&r, "04:00.0 03:00.0 02:00.0 02:01.0");
	rt(t, NULL, "nvme0", 0xc1000010, 4, true, &r);
	assert_lands(&r, "gpu0.bar0 + 0x10");
	assert_path(&r, "dsp1:sibling dsp0:down usp1:down dsp10:down gpu0:bar");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_redirect_into_upper_port_own_window_is_unsupported_request)
{
	/* Redirected by dsp12, the request reaches dsp0 from below with an
	 * address inside dsp0's own window; dsp0 has no UF. */
	route_expect("switch_below_switch.yaml", "gpu2", 0xc1100000, 4,
		     "unsupported-request", "dsp12:acs-redirect usp1:up dsp0:fault");
	/* A redirected request is an ordinary one again at the next switch. */
	route_expect("switch_below_switch.yaml", "gpu2", 0xc2000000, 4, "nvme0.bar0",
		     "dsp12:acs-redirect usp1:up dsp0:sibling dsp1:down nvme0:bar");
}
END_TEST

/* ---- rule 3: upstream ports and legacy bridges ------------------------------- */

START_TEST(test_gap_in_upstream_port_window_is_unsupported_request)
{
	route_expect("window_gaps.yaml", "gpu0", 0xc1000000, 4,
		     "unsupported-request", "dsp0:up usp0:fault");
	route_expect("window_gaps.yaml", "gpu0", 0xc2000000, 4,
		     "gpu1.bar0", "dsp0:sibling dsp1:down gpu1:bar");
}
END_TEST

START_TEST(test_legacy_bridge_shared_bus)
{
	route_expect("legacy_pci_bridge.yaml", "pcia", 0xc0100000, 4, "pcib.bar0",
		     "pcib0:sibling pcib:bar");
	route_expect("legacy_pci_bridge.yaml", "pcia", 0xc0800000, 4,
		     "unsupported-request", "pcib0:fault");
	route_expect("legacy_pci_bridge.yaml", "pcia", 0xc0000000, 4,
		     "unsupported-request", "pcib0:fault");
	route_expect("legacy_pci_bridge.yaml", "pcia", 0x1000, 4, "ram 0x1000",
		     "pcib0:up rp0:up hb0:identity hb0:ram");
}
END_TEST

/* ---- rule 1 and 6: root bus --------------------------------------------------- */

START_TEST(test_integrated_endpoint_goes_straight_to_root_complex)
{
	route_expect("integrated_endpoint.yaml", "dsa0", 0xc1000000, 4, "gpu0.bar0",
		     "hb0:identity hb0:rc-p2p rp0:down gpu0:bar");
	route_expect("integrated_endpoint.yaml", "gpu0", 0xc0000100, 4, "dsa0.bar0 + 0x100",
		     "rp0:up hb0:identity hb0:rc-p2p dsa0:bar");
	route_expect("integrated_endpoint.yaml", "dsa0", 0x1000, 4, "ram 0x1000",
		     "hb0:identity hb0:ram");
}
END_TEST

/* ---- rule 5: memory map, root-complex P2P ------------------------------------- */

START_TEST(test_ram_hit_lands_in_ram)
{
	route_expect("switch_sibling_p2p.yaml", "gpu0", 0x1000, 4, "ram 0x1000",
		     "dsp0:up usp0:up rp0:up hb0:identity hb0:ram");
	route_expect("switch_sibling_p2p.yaml", "gpu0", 0x17fffff00, 0x100,
		     "ram 0x17fffff00", NULL);
	/* RAM ranges [0, 2G) and [4G, 10G) are not adjacent. */
	route_expect("switch_sibling_p2p.yaml", "gpu0", 0x7ffffffe, 4,
		     "unsupported-request", "dsp0:up usp0:up rp0:up hb0:identity hb0:fault");
}
END_TEST

START_TEST(test_msi_write_is_msi_write)
{
	struct dmasim_topo *t = tu_load_file(FAB "switch_sibling_p2p.yaml");
	struct dmasim_route r;

	rt(t, NULL, "gpu0", 0xfee00000, 4, true, &r);
	assert_lands(&r, "msi-write");
	assert_path(&r, "dsp0:up usp0:up rp0:up hb0:identity hb0:fault");
	ck_assert(r.land.has_cpu);
	ck_assert_uint_eq(r.land.cpu, 0xfee00000);
	rt(t, NULL, "gpu0", 0xfedffffe, 4, true, &r);
	assert_lands(&r, "msi-write");
	dmasim_topo_destroy(t);
	/* arm64's default MSI window (0x8000000), through dma-ranges. */
	route_expect("arm64_window_offset.yaml", "nic0", 0x8000040, 4, "msi-write",
		     "rp1:up pcie0:inbound pcie0:fault");
}
END_TEST

START_TEST(test_address_in_cpu_gap_is_unsupported_request)
{
	route_expect("window_gaps.yaml", "gpu0", 0xa0000000, 4, "unsupported-request",
		     "dsp0:up usp0:up rp0:up hb0:identity hb0:fault");
}
END_TEST

START_TEST(test_gap_below_root_complex_is_unsupported_request)
{
	/* In the host-bridge window, but no root port's window. */
	route_expect("window_gaps.yaml", "nic0", 0xd0000000, 4, "unsupported-request",
		     "rp1:up hb0:identity hb0:rc-p2p hb0:fault");
	/* In usp0's window, but no downstream port's. */
	route_expect("window_gaps.yaml", "nic0", 0xc1000000, 4, "unsupported-request",
		     "rp1:up hb0:identity hb0:rc-p2p rp0:down usp0:down usp0:fault");
	/* In dsp1's window, but no BAR. */
	route_expect("window_gaps.yaml", "nic0", 0xc2800000, 4, "unsupported-request",
		     "rp1:up hb0:identity hb0:rc-p2p rp0:down usp0:down dsp1:down dsp1:fault");
}
END_TEST

START_TEST(test_rc_p2p_none_blocks_everything)
{
	route_expect("rc_p2p_none.yaml", "gpu0", 0xc1000000, 4, "rc-p2p-blocked",
		     "rp0:up hb0:identity hb0:fault");
	route_expect("rc_p2p_none.yaml", "gpu0", 0xc0100000, 4, "rc-p2p-blocked", NULL);
	route_expect("rc_p2p_none.yaml", "gpu0", 0xd0000000, 4, "rc-p2p-blocked", NULL);
	route_expect("rc_p2p_none.yaml", "gpu0", 0x1000, 4, "ram 0x1000", NULL);
}
END_TEST

START_TEST(test_rc_p2p_same_host_bridge_allows_within_only)
{
	route_expect("rc_p2p_same_host_bridge.yaml", "gpu0", 0xc1000000, 4, "gpu1.bar0",
		     "rp0:up hb0:identity hb0:rc-p2p rp1:down gpu1:bar");
	/* Back down the root port it came in by. */
	route_expect("rc_p2p_same_host_bridge.yaml", "gpu0", 0xc0100000, 4, "gpu0b.bar0",
		     "rp0:up hb0:identity hb0:rc-p2p rp0:down gpu0b:bar");
	route_expect("rc_p2p_same_host_bridge.yaml", "gpu0", 0xd0000000, 4,
		     "rc-p2p-blocked", "rp0:up hb0:identity hb0:fault");
	route_expect("rc_p2p_same_host_bridge.yaml", "nic0", 0xc0000000, 4,
		     "rc-p2p-blocked", "rp2:up hb1:identity hb1:fault");
}
END_TEST

START_TEST(test_rc_p2p_any_routes_across_host_bridges)
{
	struct dmasim_topo *t = tu_load_file(FAB "rc_p2p_any.yaml");
	struct dmasim_route r;

	rt(t, NULL, "gpu0", 0xd0000010, 4, true, &r);
	assert_lands(&r, "nic0.bar0 + 0x10");
	assert_path(&r, "rp0:up hb0:identity hb1:rc-p2p rp2:down nic0:bar");
	assert_via(&r, "00:01.0 hb0 hb1 80:01.0");
	rt(t, NULL, "nic0", 0xc1000000, 4, true, &r);
	assert_lands(&r, "gpu1.bar0");
	assert_path(&r, "rp2:up hb1:identity hb0:rc-p2p rp1:down gpu1:bar");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_rc_p2p_across_host_bridges_needs_both_any)
{
	/* hb0 any, hb1 same-host-bridge. */
	route_expect("rc_p2p_mixed.yaml", "gpu0", 0xd0000000, 4, "rc-p2p-blocked", NULL);
	route_expect("rc_p2p_mixed.yaml", "nic0", 0xc0000000, 4, "rc-p2p-blocked", NULL);
	route_expect("rc_p2p_mixed.yaml", "gpu0", 0xc1000000, 4, "gpu1.bar0", NULL);
}
END_TEST

/* Issue 18 item 1: a route between host bridges on different sockets
 * crosses the inter-socket link, shown as a hop at the ingress host
 * bridge; within a socket there is no such hop (docs/fabric.md). */
START_TEST(test_route_across_sockets_shows_the_inter_socket_hop)
{
	struct dmasim_topo *t = tu_load_file(FAB "two_sockets.yaml");
	struct dmasim_route r;

	ck_assert(dmasim_topo_machine(t)->inter_socket_p2p);
	rt(t, NULL, "gpu0", 0xe0000010, 4, true, &r);
	assert_lands(&r, "gpu3.bar0 + 0x10");
	assert_path(&r, "dsp0:up usp0:up rp0:up hb0:identity hb0:inter-socket hb2:rc-p2p rp2:down gpu3:bar");
	/* The hop is at hb0, so a suite's 'via' is unchanged. */
	assert_via(&r, "02:00.0 01:00.0 00:01.0 hb0 hb2 80:01.0");
	rt(t, NULL, "gpu0", 0xd0000010, 4, true, &r);
	assert_lands(&r, "gpu2.bar0 + 0x10");
	assert_path(&r, "dsp0:up usp0:up rp0:up hb0:identity hb1:rc-p2p rp1:down gpu2:bar");
	rt(t, NULL, "gpu3", 0xc1000000, 4, true, &r);
	assert_lands(&r, "nic0.bar0");
	assert_path(&r, "rp2:up hb2:identity hb2:inter-socket hb0:rc-p2p rp3:down nic0:bar");
	dmasim_topo_destroy(t);
}
END_TEST

/* inter_socket: { p2p: block } drops P2P between sockets, and only there. */
START_TEST(test_inter_socket_block_drops_p2p_between_sockets)
{
	char *text = tu_read_file(DMASIM_TEST_DATA "/" FAB "two_sockets.yaml", NULL), *buf;
	struct dmasim_topo *t;
	struct dmasim_route r;
	size_t len = strlen(text) + 64;

	buf = malloc(len);
	ck_assert_ptr_nonnull(buf);
	snprintf(buf, len, "%sinter_socket: { p2p: block }\n", text);
	t = tu_load(buf);
	ck_assert(!dmasim_topo_machine(t)->inter_socket_p2p);
	rt(t, NULL, "gpu0", 0xe0000010, 4, true, &r);
	assert_lands(&r, "rc-p2p-blocked");
	ck_assert_msg(strstr(r.why, "inter-socket link does not forward P2P"), "why: %s", r.why);
	rt(t, NULL, "gpu0", 0xd0000010, 4, true, &r);
	assert_lands(&r, "gpu2.bar0 + 0x10");
	/* DMA to RAM does not take the P2P rule. */
	rt(t, NULL, "gpu3", 0x1000, 4, true, &r);
	assert_lands(&r, "ram 0x1000");
	dmasim_topo_destroy(t);
	free(buf);
	free(text);
}
END_TEST

START_TEST(test_arm64_offset_cpu_address_routes_to_bus_address)
{
	struct dmasim_topo *t = tu_load_file(FAB "arm64_window_offset.yaml");
	struct dmasim_route r;

	/* The BAR's CPU address (what dma-direct map_resource returns)
	 * reaches the RC, which subtracts the window offset. */
	rt(t, NULL, "nic0", 0x1000001000, 4, true, &r);
	assert_lands(&r, "gpu0.bar0 + 0x1000");
	assert_path(&r, "rp1:up pcie0:inbound pcie0:rc-p2p rp0:down usp0:down dsp0:down gpu0:bar");
	ck_assert_uint_eq(r.hops[2].addr, 0x1000001000);
	ck_assert_uint_eq(r.hops[2].addr_out, 0x40001000);
	ck_assert_uint_eq(r.land.cpu, 0x1000001000);
	/* The BAR's bus address from another root port is a CPU address
	 * with nothing there. */
	rt(t, NULL, "nic0", 0x40001000, 4, true, &r);
	assert_lands(&r, "unsupported-request");
	assert_path(&r, "rp1:up pcie0:inbound pcie0:fault");
	ck_assert(r.land.has_cpu);
	ck_assert_uint_eq(r.land.cpu, 0x40001000);
	/* Inside the switch, peers decode bus addresses. */
	rt(t, NULL, "gpu1", 0x40001000, 4, true, &r);
	assert_lands(&r, "gpu0.bar0 + 0x1000");
	assert_path(&r, "dsp1:sibling dsp0:down gpu0:bar");
	ck_assert_uint_eq(r.land.cpu, 0x1000001000);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- rule 4: inbound dma_ranges ------------------------------------------------ */

START_TEST(test_inbound_dma_ranges_translate_bus_to_cpu)
{
	struct dmasim_topo *t = tu_load_file(FAB "inbound_dma_ranges.yaml");
	struct dmasim_route r;

	rt(t, NULL, "dev0", 0x1000, 4, true, &r);
	assert_lands(&r, "ram 0x80001000");
	assert_path(&r, "rp0:up pcie0:inbound pcie0:ram");
	ck_assert_uint_eq(r.hops[1].addr_out, 0x80001000);
	rt(t, NULL, "dev0", 0x7ffffffc, 4, true, &r);
	assert_lands(&r, "ram 0xfffffffc");
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_outside_inbound_window)
{
	route_expect("inbound_dma_ranges.yaml", "dev0", 0x90000000, 4,
		     "outside-inbound-window", "rp0:up pcie0:fault");
	/* Straddles the end of the inbound range. */
	route_expect("inbound_dma_ranges.yaml", "dev0", 0x7ffffffe, 4,
		     "outside-inbound-window", "rp0:up pcie0:fault");
	/* A CPU address given as if it were a bus address. */
	route_expect("inbound_dma_ranges.yaml", "dev0", 0x80001000, 4,
		     "outside-inbound-window", NULL);
}
END_TEST

/* ---- rule 6: across the end of a BAR or window -------------------------------- */

START_TEST(test_write_across_bar_end_is_unsupported_request)
{
	/* nvme0 BAR 0 is 16K inside a 1M window: the BAR's end. */
	route_expect("switch_sibling_p2p.yaml", "nic0", 0xc3003ffe, 4, "unsupported-request",
		     "rp1:up hb0:identity hb0:rc-p2p rp0:down usp0:down dsp2:down dsp2:fault");
	route_expect("switch_sibling_p2p.yaml", "nic0", 0xc3003ffc, 4, "nvme0.bar0 + 0x3ffc",
		     "rp1:up hb0:identity hb0:rc-p2p rp0:down usp0:down dsp2:down nvme0:bar");
	/* gpu1 BAR 1 fills dsp1's window: the window's end, peer-to-peer. */
	route_expect("switch_sibling_p2p.yaml", "gpu0", 0x387fffffffe, 4,
		     "unsupported-request", "dsp0:sibling usp0:fault");
	/* A whole BAR in one request is fine. */
	route_expect("switch_sibling_p2p.yaml", "gpu0", 0x38400000000, 16ull << 30,
		     "gpu1.bar1", "dsp0:sibling dsp1:down gpu1:bar");
}
END_TEST

START_TEST(test_route_via_matches_schema_example)
{
	/* A raw route (docs/suite.md): nic0 below 00:02.0 writes gpu0's BAR. */
	struct dmasim_topo *t = tu_load_file(FAB "switch_sibling_p2p.yaml");
	struct dmasim_route r;

	rt(t, NULL, "nic0", 0x38000001000, 4, true, &r);
	assert_lands(&r, "gpu0.bar1 + 0x1000");
	assert_via(&r, "00:02.0 hb0 00:01.0 01:00.0 02:00.0");
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- rule 4: IOMMU --------------------------------------------------------------- */

struct iommu_fx {
	struct dmasim_topo *t;
	struct dmasim_iommu_pt *pt;
	unsigned g;
};

static void iommu_setup(struct iommu_fx *fx)
{
	struct dmasim_error err;

	fx->t = tu_load_file(FAB "iommu_domains.yaml");
	fx->pt = dmasim_iommu_pt_create(fx->t);
	ck_assert_ptr_nonnull(fx->pt);
	fx->g = tu_dev(fx->t, "gpu0")->iommu_group;
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_iommu_pt_map(fx->pt, fx->g, 0x10000, 0x100000, 0x2000,
					     DMASIM_PROT_READ | DMASIM_PROT_WRITE, &err), DMASIM_OK);
	ck_assert_int_eq(dmasim_iommu_pt_map(fx->pt, fx->g, 0x20000, 0xc1000000, 0x1000,
					     DMASIM_PROT_READ | DMASIM_PROT_WRITE |
					     DMASIM_PROT_MMIO, &err), DMASIM_OK);
	ck_assert_int_eq(dmasim_iommu_pt_map(fx->pt, fx->g, 0x30000, 0x200000, 0x1000,
					     DMASIM_PROT_READ, &err), DMASIM_OK);
	ck_assert_int_eq(dmasim_iommu_pt_map(fx->pt, fx->g, 0x40000, 0x300000, 0x1000,
					     DMASIM_PROT_WRITE, &err), DMASIM_OK);
}

static void iommu_teardown(struct iommu_fx *fx)
{
	dmasim_iommu_pt_destroy(fx->pt);
	dmasim_topo_destroy(fx->t);
}

START_TEST(test_iommu_translates_dma_domain)
{
	struct iommu_fx fx;
	struct dmasim_route r;

	iommu_setup(&fx);
	rt(fx.t, fx.pt, "gpu0", 0x10010, 4, true, &r);
	assert_lands(&r, "ram 0x100010");
	assert_path(&r, "rp0:up hb0:iommu hb0:ram");
	ck_assert_uint_eq(r.hops[1].addr, 0x10010);
	ck_assert_uint_eq(r.hops[1].addr_out, 0x100010);
	/* An IOVA mapped to another device's BAR: root-complex P2P. */
	rt(fx.t, fx.pt, "gpu0", 0x20010, 4, true, &r);
	assert_lands(&r, "nic0.bar0 + 0x10");
	assert_path(&r, "rp0:up hb0:iommu hb0:rc-p2p rp1:down nic0:bar");
	iommu_teardown(&fx);
}
END_TEST

START_TEST(test_iommu_unmapped_iova_faults)
{
	struct iommu_fx fx;
	struct dmasim_route r;

	iommu_setup(&fx);
	rt(fx.t, fx.pt, "gpu0", 0x50000, 4, true, &r);
	assert_lands(&r, "iommu-fault");
	assert_path(&r, "rp0:up hb0:fault");
	/* Across the end of a mapping. */
	rt(fx.t, fx.pt, "gpu0", 0x11ffe, 4, true, &r);
	assert_lands(&r, "iommu-fault");
	/* No tables at all. */
	rt(fx.t, NULL, "gpu0", 0x10010, 4, true, &r);
	assert_lands(&r, "iommu-fault");
	/* Another group does not see gpu0's mappings (rp0 is its own group). */
	rt(fx.t, fx.pt, "rp0", 0x10010, 4, true, &r);
	assert_lands(&r, "iommu-fault");
	assert_path(&r, "hb0:fault");
	iommu_teardown(&fx);
}
END_TEST

START_TEST(test_iommu_permission_faults)
{
	struct iommu_fx fx;
	struct dmasim_route r;

	iommu_setup(&fx);
	rt(fx.t, fx.pt, "gpu0", 0x30000, 4, true, &r);
	assert_lands(&r, "iommu-fault");
	ck_assert_ptr_nonnull(strstr(r.why, "read-only"));
	rt(fx.t, fx.pt, "gpu0", 0x30000, 4, false, &r);
	assert_lands(&r, "ram 0x200000");
	rt(fx.t, fx.pt, "gpu0", 0x40000, 4, false, &r);
	assert_lands(&r, "iommu-fault");
	ck_assert_ptr_nonnull(strstr(r.why, "write-only"));
	rt(fx.t, fx.pt, "gpu0", 0x40000, 4, true, &r);
	assert_lands(&r, "ram 0x300000");
	iommu_teardown(&fx);
}
END_TEST

START_TEST(test_iommu_blocked_domain_faults)
{
	struct iommu_fx fx;
	struct dmasim_route r;

	iommu_setup(&fx);
	rt(fx.t, fx.pt, "blk0", 0x1000, 4, true, &r);
	assert_lands(&r, "iommu-fault");
	assert_path(&r, "rp2:up hb0:fault");
	ck_assert_ptr_nonnull(strstr(r.why, "blocked"));
	iommu_teardown(&fx);
}
END_TEST

START_TEST(test_iommu_identity_domain_is_not_translated)
{
	struct iommu_fx fx;
	struct dmasim_route r;

	iommu_setup(&fx);
	rt(fx.t, fx.pt, "nic0", 0x10010, 4, true, &r);
	assert_lands(&r, "ram 0x10010");
	assert_path(&r, "rp1:up hb0:identity hb0:ram");
	rt(fx.t, fx.pt, "nic0", 0xc0000000, 4, true, &r);
	assert_lands(&r, "gpu0.bar0");
	iommu_teardown(&fx);
}
END_TEST

/* VT-d: a DMA-domain write to the MSI window is an interrupt request, not
 * an IOVA (intel_iommu_get_resv_regions(), drivers/iommu/intel/iommu.c):
 * never translated, even where the page table maps it. */
START_TEST(test_iommu_msi_window_is_an_interrupt_under_vtd)
{
	struct iommu_fx fx;
	struct dmasim_route r;

	iommu_setup(&fx);
	rt(fx.t, NULL, "gpu0", 0xfee00000, 4, true, &r);
	assert_lands(&r, "msi-write");
	assert_path(&r, "rp0:up hb0:fault");
	ck_assert(r.land.has_cpu);
	ck_assert_uint_eq(r.land.cpu, 0xfee00000);
	ck_assert_ptr_nonnull(strstr(r.why, "dmar0 (intel-vtd)"));
	rt(fx.t, fx.pt, "gpu0", 0xfeeffffc, 4, false, &r);
	assert_lands(&r, "msi-write");
	/* A request that runs into the window from below, as land_cpu()
	 * treats any overlap with the doorbell. */
	rt(fx.t, fx.pt, "gpu0", 0xfedffffe, 4, true, &r);
	assert_lands(&r, "msi-write");
	/* Just outside it the address is an IOVA again. */
	rt(fx.t, fx.pt, "gpu0", 0xfedffffc, 4, true, &r);
	assert_lands(&r, "iommu-fault");
	rt(fx.t, fx.pt, "gpu0", 0xfef00000, 4, true, &r);
	assert_lands(&r, "iommu-fault");
	/* A mapping at that IOVA is not looked up. */
	ck_assert_int_eq(dmasim_iommu_pt_map(fx.pt, fx.g, 0xfee00000, 0x400000, 0x1000,
					     DMASIM_PROT_READ | DMASIM_PROT_WRITE, NULL),
			 DMASIM_OK);
	rt(fx.t, fx.pt, "gpu0", 0xfee00010, 4, true, &r);
	assert_lands(&r, "msi-write");
	/* The blocked domain still faults whatever the address. */
	rt(fx.t, fx.pt, "blk0", 0xfee00000, 4, true, &r);
	assert_lands(&r, "iommu-fault");
	iommu_teardown(&fx);
}
END_TEST

/* One endpoint in a DMA domain behind an IOMMU of type %s, arch %s. */
static const char msi_machine[] =
	"dmasim: 1\n"
	"arch: %s\n"
	"ram: [ { base: 0x0, size: 2G } ]\n"
	"iommus: [ { name: u0, type: %s, address_bits: 48, default_domain: dma } ]\n"
	"host_bridges:\n"
	"  - name: hb0\n"
	"    buses: [0x00, 0x7f]\n"
	"    iommu: u0\n"
	"    windows: [ { kind: mem, cpu: 0xc0000000, bus: 0xc0000000, size: 512M } ]\n"
	"    devices:\n"
	"      - { bdf: 00:01.0, type: root-port, name: rp0, children: [\n"
	"          { bdf: 01:00.0, type: endpoint, name: dev0,\n"
	"            bars: [ { index: 0, base: 0xc0000000, size: 1M } ] } ] }\n";

/* Per IOMMU type: the machine's MSI window is an interrupt at VT-d and
 * AMD-Vi, an ordinary IOVA elsewhere (SMMUv3: IOMMU_RESV_SW_MSI, mapped
 * by iommu_dma_get_msi_page() in drivers/iommu/dma-iommu.c). */
START_TEST(test_iommu_msi_window_by_iommu_type)
{
	static const struct {
		const char *arch, *type;
		bool interrupt;
	} rows[] = {
		{ "x86_64", "intel-vtd", true },
		{ "x86_64", "amd-vi", true },
		{ "arm64", "smmuv3", false },
		{ "ppc64", "ppc-tce", false },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char yaml[sizeof(msi_machine) + 64];
		struct dmasim_topo *t;
		struct dmasim_iommu_pt *pt;
		const struct dmasim_device *d;
		struct dmasim_route r;
		uint64_t msi;

		snprintf(yaml, sizeof(yaml), msi_machine, rows[i].arch, rows[i].type);
		t = tu_load(yaml);
		d = tu_dev(t, "dev0");
		msi = dmasim_topo_machine(t)->msi.base;
		ck_assert_uint_ne(dmasim_topo_machine(t)->msi.size, 0);
		ck_assert_int_eq(d->domain, DMASIM_DOMAIN_DMA);
		pt = dmasim_iommu_pt_create(t);
		ck_assert_ptr_nonnull(pt);
		rt(t, pt, "dev0", msi, 4, true, &r);
		assert_lands(&r, rows[i].interrupt ? "msi-write" : "iommu-fault");
		/* Mapped as an IOVA (as dma-iommu maps an SMMU's doorbell):
		 * translated unless the IOMMU takes it as an interrupt. */
		ck_assert_int_eq(dmasim_iommu_pt_map(pt, d->iommu_group, msi, 0x100000,
						     0x1000, DMASIM_PROT_WRITE, NULL),
				 DMASIM_OK);
		rt(t, pt, "dev0", msi + 0x40, 4, true, &r);
		assert_lands(&r, rows[i].interrupt ? "msi-write" : "ram 0x100040");
		dmasim_iommu_pt_destroy(pt);
		dmasim_topo_destroy(t);
	}
}
END_TEST

/* The DMA layer reserves the MSI window in the IOVA space exactly where
 * the router takes it as an interrupt: dma-iommu never hands out an IOVA
 * there (map), and an IOVA outside it is always translated (audit). */
START_TEST(test_iommu_msi_reserved_agrees_with_router)
{
	unsigned t;

	for (t = 0; t < DMASIM_IOMMU_TYPE_COUNT; t++)
		ck_assert_msg(dmasim__dma_iommu_info((enum dmasim_iommu_type)t)->msi_reserved ==
			      dmasim__iommu_msi_is_interrupt((enum dmasim_iommu_type)t),
			      "%s", dmasim_iommu_type_name((enum dmasim_iommu_type)t));
	ck_assert(!dmasim__iommu_msi_is_interrupt(DMASIM_IOMMU_TYPE_COUNT));
}
END_TEST

/* ---- IOMMU page tables ------------------------------------------------------------ */

START_TEST(test_iommu_pt_map_unmap_rules)
{
	struct dmasim_topo *t = tu_load_file(FAB "iommu_domains.yaml");
	struct dmasim_iommu_pt *pt = dmasim_iommu_pt_create(t);
	unsigned ng = dmasim_topo_machine(t)->niommu_groups;
	struct dmasim_error err;
	dmasim_phys_addr_t phys = 0;

	ck_assert_uint_eq(ng, 6);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_iommu_pt_map(pt, 1, 0x10000, 0x100000, 0x4000,
					     DMASIM_PROT_WRITE, &err), DMASIM_OK);
	/* Overlaps at either end, misalignment, empty, bad group. */
	ck_assert_int_eq(dmasim_iommu_pt_map(pt, 1, 0xf000, 0, 0x2000, 3, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_iommu_pt_map(pt, 1, 0x13000, 0, 0x1000, 3, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_iommu_pt_map(pt, 1, 0x11000, 0, 0x1000, 3, &err), DMASIM_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "overlaps"));
	ck_assert_int_eq(dmasim_iommu_pt_map(pt, 1, 0x20800, 0, 0x1000, 3, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_iommu_pt_map(pt, 1, 0x20000, 0x800, 0x1000, 3, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_iommu_pt_map(pt, 1, 0x20000, 0, 0x800, 3, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_iommu_pt_map(pt, 1, 0x20000, 0, 0, 3, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_iommu_pt_map(pt, ng, 0x20000, 0, 0x1000, 3, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_iommu_pt_map(pt, 1, 0xfffffffffffff000ull, 0, 0x2000, 3, NULL),
			 DMASIM_EINVAL);
	/* Adjacent is fine. */
	ck_assert_int_eq(dmasim_iommu_pt_map(pt, 1, 0x14000, 0x0, 0x1000, 3, NULL), DMASIM_OK);
	ck_assert_int_eq(dmasim_iommu_pt_map(pt, 1, 0xf000, 0x0, 0x1000, 3, NULL), DMASIM_OK);
	ck_assert_uint_eq(dmasim_iommu_pt_count(pt, 1), 3);
	ck_assert_uint_eq(dmasim_iommu_pt_count(pt, 2), 0);
	ck_assert_int_eq(dmasim_iommu_pt_translate(pt, 1, 0x13ffc, 4, true, &phys), DMASIM_PT_OK);
	ck_assert_uint_eq(phys, 0x103ffc);
	ck_assert_int_eq(dmasim_iommu_pt_translate(pt, 1, 0x13ffc, 8, true, &phys),
			 DMASIM_PT_UNMAPPED);
	ck_assert_int_eq(dmasim_iommu_pt_translate(pt, 2, 0x10000, 4, true, &phys),
			 DMASIM_PT_UNMAPPED);
	/* Unmap: only at a mapping's start, with its (rounded) size or 0. */
	ck_assert_int_eq(dmasim_iommu_pt_unmap(pt, 1, 0x11000, 0, NULL), DMASIM_ENOTFOUND);
	ck_assert_int_eq(dmasim_iommu_pt_unmap(pt, 1, 0x10000, 0x1000, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_iommu_pt_unmap(pt, 1, 0x10000, 0x3f01, NULL), DMASIM_OK);
	ck_assert_int_eq(dmasim_iommu_pt_translate(pt, 1, 0x10000, 4, true, &phys),
			 DMASIM_PT_UNMAPPED);
	ck_assert_int_eq(dmasim_iommu_pt_unmap(pt, 1, 0x14000, 0, NULL), DMASIM_OK);
	ck_assert_uint_eq(dmasim_iommu_pt_count(pt, 1), 1);
	ck_assert_int_eq(dmasim_iommu_pt_unmap(pt, 9, 0x14000, 0, NULL), DMASIM_EINVAL);
	ck_assert_int_eq(dmasim_iommu_pt_translate(NULL, 1, 0xf000, 4, true, &phys),
			 DMASIM_PT_UNMAPPED);
	dmasim_iommu_pt_destroy(pt);
	dmasim_iommu_pt_destroy(NULL);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_iommu_pt_many_mappings_in_any_order)
{
	struct dmasim_topo *t = tu_load_file(FAB "iommu_domains.yaml");
	struct dmasim_iommu_pt *pt = dmasim_iommu_pt_create(t);
	dmasim_phys_addr_t phys;
	unsigned i, n = 4096;

	/* Insert in a scrambled order (i * 1237 mod 4096 is a permutation). */
	for (i = 0; i < n; i++) {
		unsigned k = (i * 1237u) % n;
		ck_assert_int_eq(dmasim_iommu_pt_map(pt, 0, (uint64_t)k * 0x2000,
						     0x100000000ull + (uint64_t)k * 0x1000,
						     0x1000, DMASIM_PROT_READ | DMASIM_PROT_WRITE,
						     NULL), DMASIM_OK);
	}
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(dmasim_iommu_pt_translate(pt, 0, (uint64_t)i * 0x2000 + 8, 8,
							   true, &phys), DMASIM_PT_OK);
		ck_assert_uint_eq(phys, 0x100000000ull + (uint64_t)i * 0x1000 + 8);
		ck_assert_int_eq(dmasim_iommu_pt_translate(pt, 0, (uint64_t)i * 0x2000 + 0x1000,
							   4, true, &phys), DMASIM_PT_UNMAPPED);
	}
	dmasim_iommu_pt_destroy(pt);
	dmasim_topo_destroy(t);
}
END_TEST

START_TEST(test_iommu_pt_translate_follows_map_and_unmap)
{
	/* Random maps and unmaps (fixed seed); after each, translate agrees
	 * with a plain list of the live mappings. */
	struct dmasim_topo *t = tu_load_file(FAB "iommu_domains.yaml");
	struct dmasim_iommu_pt *pt = dmasim_iommu_pt_create(t);
	enum { SLOTS = 512 };
	static bool live[SLOTS];
	static unsigned pages[SLOTS], prot[SLOTS];
	uint64_t rng = 12345;
	unsigned step, k;

	memset(live, 0, sizeof(live));
	for (step = 0; step < 6000; step++) {
		unsigned s;

		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		s = (unsigned)(rng >> 33) % SLOTS;
		if (live[s]) {
			ck_assert_int_eq(dmasim_iommu_pt_unmap(pt, 0, (uint64_t)s * 0x8000, 0, NULL),
					 DMASIM_OK);
			live[s] = false;
		} else {
			pages[s] = 1 + (unsigned)(rng >> 20) % 4;
			prot[s] = 1 + (unsigned)(rng >> 24) % 3;
			ck_assert_int_eq(dmasim_iommu_pt_map(pt, 0, (uint64_t)s * 0x8000,
							     0x200000000ull + (uint64_t)s * 0x10000,
							     pages[s] * 0x1000ull, prot[s], NULL),
					 DMASIM_OK);
			live[s] = true;
		}
		if (step % 97)
			continue;
		for (k = 0; k < SLOTS; k++) {
			dmasim_phys_addr_t phys = 0;
			uint64_t iova = (uint64_t)k * 0x8000 + 0x10;
			enum dmasim_pt_result w =
				dmasim_iommu_pt_translate(pt, 0, iova, 8, true, &phys);

			if (!live[k]) {
				ck_assert_int_eq(w, DMASIM_PT_UNMAPPED);
				continue;
			}
			ck_assert_int_eq(w, prot[k] & DMASIM_PROT_WRITE ? DMASIM_PT_OK
									: DMASIM_PT_READ_ONLY);
			if (w == DMASIM_PT_OK)
				ck_assert_uint_eq(phys, 0x200000000ull + (uint64_t)k * 0x10000 + 0x10);
			/* the last byte of the mapping, and one past it */
			ck_assert_int_ne(dmasim_iommu_pt_translate(pt, 0, (uint64_t)k * 0x8000 +
								   pages[k] * 0x1000ull - 1, 1,
								   false, &phys), DMASIM_PT_UNMAPPED);
			ck_assert_int_eq(dmasim_iommu_pt_translate(pt, 0, (uint64_t)k * 0x8000 +
								   pages[k] * 0x1000ull - 1, 2,
								   false, &phys), DMASIM_PT_UNMAPPED);
		}
	}
	/* The last byte of the IOVA space: unmapped, then mapped (the key
	 * array's padding is UINT64_MAX too) */
	{
		dmasim_phys_addr_t phys = 0;

		ck_assert_int_eq(dmasim_iommu_pt_translate(pt, 0, UINT64_MAX, 1, true, &phys),
				 DMASIM_PT_UNMAPPED);
		ck_assert_int_eq(dmasim_iommu_pt_map(pt, 0, UINT64_MAX - 0xfff, 0x300000000ull,
						     0x1000, DMASIM_PROT_WRITE, NULL), DMASIM_OK);
		ck_assert_int_eq(dmasim_iommu_pt_translate(pt, 0, UINT64_MAX, 1, true, &phys),
				 DMASIM_PT_OK);
		ck_assert_uint_eq(phys, 0x300000fffull);
		ck_assert_int_eq(dmasim_iommu_pt_translate(pt, 0, UINT64_MAX - 0x1000, 1, true,
							   &phys), DMASIM_PT_UNMAPPED);
	}
	dmasim_iommu_pt_destroy(pt);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- dmasim route ------------------------------------------------------------------ */

/* Run the CLI; return its exit status and the first line of stdout. */
static int run_cli(const char *args, char *first, size_t size, char **all)
{
	char cmd[2048], line[1024];
	size_t len = 0, cap = 0;
	char *out = NULL;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s 2>/dev/null", DMASIM_TEST_DATA "/" FAB,
		 DMASIM_CLI, args);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	if (first && size)
		first[0] = '\0';
	while (fgets(line, sizeof(line), p)) {
		size_t l = strlen(line);
		if (first && size && len == 0) {
			size_t m = strcspn(line, "\n");
			if (m >= size)
				m = size - 1;
			memcpy(first, line, m);
			first[m] = '\0';
		}
		if (len + l + 1 > cap) {
			cap = (len + l + 1) * 2;
			out = realloc(out, cap);
			ck_assert_ptr_nonnull(out);
		}
		memcpy(out + len, line, l + 1);
		len += l;
	}
	st = pclose(p);
	if (all)
		*all = out ? out : calloc(1, 1);
	else
		free(out);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

START_TEST(test_route_cli_exit_codes)
{
	char first[256];
	char *all;

	ck_assert_int_eq(run_cli("route switch_sibling_p2p.yaml gpu0 0x38400001000", first,
				 sizeof(first), &all), 0);
	ck_assert_str_eq(first, "lands: gpu1.bar1 + 0x1000 (cpu 0x38400001000)");
	ck_assert_ptr_nonnull(strstr(all, "0000:02:00.0 dsp0"));
	ck_assert_ptr_nonnull(strstr(all, "sibling"));
	free(all);
	ck_assert_int_eq(run_cli("route switch_sibling_p2p.yaml 03:00.0 0x1000 --read", first,
				 sizeof(first), NULL), 0);
	ck_assert_str_eq(first, "lands: ram 0x1000 (cpu 0x1000)");
	ck_assert_int_eq(run_cli("route acs_egress_control.yaml gpu0 0x38400000000", first,
				 sizeof(first), &all), 1);
	ck_assert_str_eq(first, "lands: unsupported-request");
	ck_assert_ptr_nonnull(strstr(all, "why: "));
	free(all);
	ck_assert_int_eq(run_cli("route switch_sibling_p2p.yaml gpu0 0x387fffffffe --size 4",
				 first, sizeof(first), NULL), 1);
	ck_assert_int_eq(run_cli("route iommu_domains.yaml gpu0 0x1000", first, sizeof(first),
				 NULL), 1);
	ck_assert_str_eq(first, "lands: iommu-fault");
	ck_assert_int_eq(run_cli("route --json switch_sibling_p2p.yaml gpu0 0x38400001000",
				 NULL, 0, &all), 0);
	ck_assert_ptr_nonnull(strstr(all, "\"lands\": \"gpu1.bar1 + 0x1000\""));
	ck_assert_ptr_nonnull(strstr(all, "\"action\": \"sibling\""));
	free(all);
	ck_assert_int_eq(run_cli("route --json acs_egress_control.yaml gpu0 0x38400000000",
				 NULL, 0, &all), 1);
	ck_assert_ptr_nonnull(strstr(all, "\"fault\": \"unsupported-request\""));
	free(all);
	/* Bad input. */
	ck_assert_int_eq(run_cli("route switch_sibling_p2p.yaml gpu9 0x1000", NULL, 0, NULL), 2);
	ck_assert_int_eq(run_cli("route switch_sibling_p2p.yaml gpu0 zz", NULL, 0, NULL), 2);
	ck_assert_int_eq(run_cli("route switch_sibling_p2p.yaml gpu0", NULL, 0, NULL), 2);
	ck_assert_int_eq(run_cli("route switch_sibling_p2p.yaml gpu0 0x1000 --size 0", NULL, 0,
				 NULL), 2);
	ck_assert_int_eq(run_cli("route switch_sibling_p2p.yaml gpu0 0x1000 --bogus", NULL, 0,
				 NULL), 2);
	ck_assert_int_eq(run_cli("route no-such-file.yaml gpu0 0x1000", NULL, 0, NULL), 2);
	ck_assert_int_eq(run_cli("route switch_sibling_p2p.yaml gpu0 0xffffffffffffffff --size 2",
				 NULL, 0, NULL), 2);
	ck_assert_int_eq(run_cli("route --help", NULL, 0, &all), 0);
	ck_assert_ptr_nonnull(strstr(all, "SYNOPSIS"));
	ck_assert_ptr_nonnull(strstr(all, "EXIT STATUS"));
	free(all);
}
END_TEST

static Suite *fabric_suite(void)
{
	Suite *s = suite_create("fabric");
	TCase *tc = tcase_create("Names");

	tcase_add_test(tc, test_fault_names_are_the_schema_names);
	tcase_add_test(tc, test_landing_snprintf_formats);
	suite_add_tcase(s, tc);

	tc = tcase_create("Decode");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_decode_index_child_lists_are_sorted_and_complete);
	tcase_add_test(tc, test_decode_index_merges_adjacent_ram);
	tcase_add_test(tc, test_decode_cpu_memory_map);
	tcase_add_test(tc, test_decode_cpu_finds_every_bar_of_shipped_topologies);
	tcase_add_test(tc, test_decode_index_bar_trees_match_a_linear_scan);
	tcase_add_test(tc, test_decode_index_nodes_triggers_and_paths);
	tcase_add_test(tc, test_decode_index_legacy_bridge_trigger_covers_bus_and_windows);
	tcase_add_test(tc, test_route_descent_to_every_bar_of_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("Switch");
	tcase_add_test(tc, test_sibling_p2p_routes_across_switch);
	tcase_add_test(tc, test_acs_rr_redirects_upstream);
	tcase_add_test(tc, test_own_window_without_uf_is_unsupported_request);
	tcase_add_test(tc, test_acs_uf_forwards_own_window_upstream);
	tcase_add_test(tc, test_acs_egress_vector_blocks_listed_port);
	tcase_add_test(tc, test_acs_egress_without_vector_blocks_every_peer);
	tcase_add_test(tc, test_acs_egress_with_rr_redirects_upstream);
	tcase_add_test(tc, test_switch_below_switch_routes_at_the_lowest_common_switch);
	tcase_add_test(tc, test_redirect_into_upper_port_own_window_is_unsupported_request);
	tcase_add_test(tc, test_gap_in_upstream_port_window_is_unsupported_request);
	tcase_add_test(tc, test_legacy_bridge_shared_bus);
	suite_add_tcase(s, tc);

	tc = tcase_create("RootComplex");
	tcase_add_test(tc, test_integrated_endpoint_goes_straight_to_root_complex);
	tcase_add_test(tc, test_ram_hit_lands_in_ram);
	tcase_add_test(tc, test_msi_write_is_msi_write);
	tcase_add_test(tc, test_address_in_cpu_gap_is_unsupported_request);
	tcase_add_test(tc, test_gap_below_root_complex_is_unsupported_request);
	tcase_add_test(tc, test_rc_p2p_none_blocks_everything);
	tcase_add_test(tc, test_rc_p2p_same_host_bridge_allows_within_only);
	tcase_add_test(tc, test_rc_p2p_any_routes_across_host_bridges);
	tcase_add_test(tc, test_rc_p2p_across_host_bridges_needs_both_any);
	tcase_add_test(tc, test_route_across_sockets_shows_the_inter_socket_hop);
	tcase_add_test(tc, test_inter_socket_block_drops_p2p_between_sockets);
	tcase_add_test(tc, test_arm64_offset_cpu_address_routes_to_bus_address);
	tcase_add_test(tc, test_inbound_dma_ranges_translate_bus_to_cpu);
	tcase_add_test(tc, test_outside_inbound_window);
	tcase_add_test(tc, test_write_across_bar_end_is_unsupported_request);
	tcase_add_test(tc, test_route_via_matches_schema_example);
	suite_add_tcase(s, tc);

	tc = tcase_create("IOMMU");
	tcase_add_test(tc, test_iommu_translates_dma_domain);
	tcase_add_test(tc, test_iommu_unmapped_iova_faults);
	tcase_add_test(tc, test_iommu_permission_faults);
	tcase_add_test(tc, test_iommu_blocked_domain_faults);
	tcase_add_test(tc, test_iommu_identity_domain_is_not_translated);
	tcase_add_test(tc, test_iommu_msi_window_is_an_interrupt_under_vtd);
	tcase_add_test(tc, test_iommu_msi_window_by_iommu_type);
	tcase_add_test(tc, test_iommu_msi_reserved_agrees_with_router);
	tcase_add_test(tc, test_iommu_pt_map_unmap_rules);
	tcase_add_test(tc, test_iommu_pt_many_mappings_in_any_order);
	tcase_add_test(tc, test_iommu_pt_translate_follows_map_and_unmap);
	suite_add_tcase(s, tc);

	tc = tcase_create("Cli");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_route_cli_exit_codes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(fabric_suite());
}
