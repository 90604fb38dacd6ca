/* dmasim tests -- importers (lspci dumps, sysfs) and the lspci exporter. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "dmasim/import.h"
#include "import/imp_int.h"

/* Import @text as a dump and load the YAML, or fail the test. */
static struct dmasim_topo *import_dump(const char *text, size_t len,
				       const struct dmasim_import_opts *opts,
				       char **yaml_out)
{
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	char *yaml = NULL, buf[512];
	size_t ylen = 0;

	dmasim_error_init(&err);
	if (dmasim_import_lspci(text, len, "test.dump", opts, &yaml, &ylen, &err)) {
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		ck_abort_msg("import failed: %s", buf);
	}
	dmasim_error_init(&err);
	if (dmasim_topo_load_string(yaml, ylen, "imported.yaml", &t, &err)) {
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		ck_abort_msg("the import does not load: %s\n%s", buf, yaml);
	}
	if (yaml_out)
		*yaml_out = yaml;
	else
		dmasim_import_free(yaml);
	return t;
}

static char *export_topo(const struct dmasim_topo *t, size_t *len)
{
	struct dmasim_error err;
	char *text = NULL;

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_export_lspci(t, &text, len, &err), DMASIM_OK);
	return text;
}

/* The same tree, bus numbers, windows, ACS bits and BARs (bus address,
 * and when @sizes, size/pref/bits/p2pmem too). */
static void same_machine(const struct dmasim_topo *a, const struct dmasim_topo *b,
			 const char *what, bool sizes)
{
	const struct dmasim_machine *ma = dmasim_topo_machine(a);
	const struct dmasim_machine *mb = dmasim_topo_machine(b);
	size_t i, j;
	int k;

	ck_assert_msg(ma->ndevices == mb->ndevices, "%s: %zu devices, %zu after the round trip",
		      what, ma->ndevices, mb->ndevices);
	for (i = 0; i < ma->ndevices; i++) {
		const struct dmasim_device *x = &ma->devices[i];
		const struct dmasim_device *y = dmasim_topo_find_device(b, x->bdf);

		ck_assert_msg(y != NULL, "%s: %s is lost", what, x->bdf);
		ck_assert_msg((x->parent == NULL) == (y->parent == NULL) &&
			      (!x->parent || strcmp(x->parent->bdf, y->parent->bdf) == 0),
			      "%s: %s has another parent", what, x->bdf);
		ck_assert_msg(x->type == y->type, "%s: %s is %s, then %s", what, x->bdf,
			      dmasim_dev_type_name(x->type), dmasim_dev_type_name(y->type));
		ck_assert_uint_eq(x->vendor, y->vendor);
		ck_assert_uint_eq(x->device_id, y->device_id);
		ck_assert_msg(x->has_acs == y->has_acs && x->acs_cap == y->acs_cap &&
			      x->acs_ctrl == y->acs_ctrl, "%s: ACS of %s differs", what, x->bdf);
		if (dmasim_device_is_bridge(x)) {
			ck_assert_msg(x->secondary == y->secondary &&
				      x->subordinate == y->subordinate,
				      "%s: buses of %s differ", what, x->bdf);
			for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++)
				ck_assert_msg(x->windows[k].present == y->windows[k].present &&
					      (!x->windows[k].present ||
					       (x->windows[k].base == y->windows[k].base &&
						x->windows[k].limit == y->windows[k].limit)),
					      "%s: %s window of %s differs", what,
					      dmasim_win_kind_name((enum dmasim_win_kind)k), x->bdf);
		}
		ck_assert_msg(x->nbars == y->nbars, "%s: %s has %zu BARs, then %zu", what,
			      x->bdf, x->nbars, y->nbars);
		for (j = 0; j < x->nbars; j++) {
			const struct dmasim_bar *p = &x->bars[j];
			const struct dmasim_bar *q = dmasim_device_find_bar(y, p->index);
			ck_assert_msg(q && q->bus == p->bus, "%s: BAR %u of %s moved", what,
				      p->index, x->bdf);
			if (sizes)
				ck_assert_msg(q->size == p->size && q->pref == p->pref &&
					      q->bits == p->bits && q->p2pmem == p->p2pmem,
					      "%s: BAR %u of %s changed", what, p->index, x->bdf);
		}
	}
}

static bool is_topology(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".yaml") == 0 &&
	       !(n > 11 && strcmp(name + n - 11, ".suite.yaml") == 0);
}

/* Call @fn on every topology file under topologies/<arch>/. */
static unsigned each_topology(void (*fn)(const char *path))
{
	DIR *top = opendir(DMASIM_TOPOLOGIES), *sub;
	struct dirent *e, *f;
	char dir[1024], path[2048];
	unsigned n = 0;

	ck_assert_ptr_nonnull(top);
	while ((e = readdir(top))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", DMASIM_TOPOLOGIES, e->d_name);
		if (!(sub = opendir(dir)))
			continue;
		while ((f = readdir(sub)))
			if (is_topology(f->d_name)) {
				snprintf(path, sizeof(path), "%s/%s", dir, f->d_name);
				fn(path);
				n++;
			}
		closedir(sub);
	}
	closedir(top);
	return n;
}

static void roundtrip_one(const char *path)
{
	struct dmasim_topo *t = tu_load_file(path), *u;
	size_t len;
	char *dump = export_topo(t, &len);

	u = import_dump(dump, len, NULL, NULL);
	same_machine(t, u, path, true);
	dmasim_topo_destroy(u);
	dmasim_import_free(dump);
	dmasim_topo_destroy(t);
}

START_TEST(test_import_roundtrip_every_topology)
{
	ck_assert_uint_gt(each_topology(roundtrip_one), 0);
}
END_TEST

/* Without the export record a dump has no sizes: the importer infers
 * them, and everything else still survives. */
static void roundtrip_no_record(const char *path)
{
	struct dmasim_topo *t = tu_load_file(path), *u;
	size_t len;
	char *dump = export_topo(t, &len), *p;

	/* Bump the record's revision so the importer does not know it. */
	while ((p = strstr(dump, "4d 44 01 04")))
		p[7] = '2';
	u = import_dump(dump, len, NULL, NULL);
	same_machine(t, u, path, false);
	dmasim_topo_destroy(u);
	dmasim_import_free(dump);
	dmasim_topo_destroy(t);
}

START_TEST(test_import_roundtrip_without_sizes)
{
	ck_assert_uint_gt(each_topology(roundtrip_no_record), 0);
}
END_TEST

START_TEST(test_import_decodes_small_dump)
{
	size_t len;
	char *text = tu_read_file(DMASIM_TEST_DATA "/import/small.dump", &len), *yaml;
	struct dmasim_topo *t = import_dump(text, len, NULL, &yaml);
	const struct dmasim_device *rp = tu_dev(t, "0000:00:01.0");
	const struct dmasim_device *usp = tu_dev(t, "01:00.0");
	const struct dmasim_device *dsp = tu_dev(t, "02:00.0");
	const struct dmasim_device *gpu = tu_dev(t, "03:00.0");
	const struct dmasim_device *sp = tu_dev(t, "00:02.0");
	const struct dmasim_host_bridge *hb = &dmasim_topo_machine(t)->host_bridges[0];
	const struct dmasim_bar *b;

	ck_assert_int_eq(rp->type, DMASIM_DEV_ROOT_PORT);
	ck_assert_int_eq(usp->type, DMASIM_DEV_SWITCH_UPSTREAM);
	ck_assert_int_eq(dsp->type, DMASIM_DEV_SWITCH_DOWNSTREAM);
	ck_assert_int_eq(gpu->type, DMASIM_DEV_ENDPOINT);
	ck_assert_ptr_eq(gpu->parent, dsp);
	ck_assert(rp->has_acs);
	ck_assert_uint_eq(rp->acs_cap, 0x5f);
	ck_assert_uint_eq(rp->acs_ctrl, 0x1d);
	ck_assert_uint_eq(rp->secondary, 1);
	ck_assert_uint_eq(rp->subordinate, 3);
	ck_assert_uint_eq(rp->windows[DMASIM_WIN_MEM].base, 0xc0000000);
	ck_assert_uint_eq(rp->windows[DMASIM_WIN_MEM].limit, 0xc0ffffff);
	ck_assert_uint_eq(rp->windows[DMASIM_WIN_MEM_PREF].base, 0x38000000000);
	/* Sizes: BAR 0 is bounded by the 16 MiB window, BAR 1 (64-bit,
	 * prefetchable) by the 4 GiB prefetchable window. */
	b = dmasim_device_find_bar(gpu, 0);
	ck_assert_uint_eq(b->size, 16u << 20);
	ck_assert_uint_eq(b->bits, 32);
	b = dmasim_device_find_bar(gpu, 1);
	ck_assert_uint_eq(b->cpu, 0x38000000000);
	ck_assert_uint_eq(b->size, 4ull << 30);
	ck_assert(b->pref);
	ck_assert_uint_eq(b->bits, 64);
	/* Root-bus BARs 16 KiB apart: the next BAR bounds the first. */
	ck_assert_uint_eq(dmasim_device_find_bar(sp, 0)->size, 16u << 10);
	ck_assert_uint_eq(dmasim_device_find_bar(sp, 1)->size, 16u << 10);
	/* Host-bridge windows cover the root bus, offset 0. */
	ck_assert_uint_eq(hb->nwindows, 2);
	ck_assert_uint_eq(hb->windows[0].cpu, 0xc0000000);
	ck_assert_uint_eq(hb->windows[0].bus, 0xc0000000);
	ck_assert_ptr_nonnull(strstr(yaml, "# 0000:03:00.0 3D controller: NVIDIA Corporation GV100GL"));
	ck_assert_ptr_nonnull(strstr(yaml, "# size inferred"));
	ck_assert_ptr_nonnull(strstr(yaml, "arch: x86_64  # inferred"));
	dmasim_import_free(yaml);
	dmasim_topo_destroy(t);
	free(text);
}
END_TEST

START_TEST(test_import_iomem_gives_windows_and_ram)
{
	static const char iomem[] =
		"00000000-00000fff : Reserved\n"
		"00001000-0009ffff : System RAM\n"
		"000a0000-000fffff : System RAM\n"
		"00100000-7fffffff : System RAM\n"
		"  01000000-01ffffff : Kernel code\n"
		"b0000000-bfffffff : PCI ECAM 0000 [bus 00-ff]\n"
		"  b0000000-bfffffff : PCI Bus 0000:00\n"
		"c0000000-dfffffff : PCI Bus 0000:00\n"
		"  c0000000-c0ffffff : PCI Bus 0000:01\n"
		"100000000-47fffffff : System RAM\n"
		"38000000000-38fffffffff : PCI Bus 0000:00\n";
	struct dmasim_import_opts o = { 0 };
	size_t len;
	char *text = tu_read_file(DMASIM_TEST_DATA "/import/small.dump", &len);
	struct dmasim_topo *t;
	const struct dmasim_machine *m;
	const struct dmasim_host_bridge *hb;

	o.iomem = iomem;
	o.iomem_len = strlen(iomem);
	o.has_arch = true;
	o.arch = DMASIM_ARCH_ARM64;
	t = import_dump(text, len, &o, NULL);
	m = dmasim_topo_machine(t);
	hb = &m->host_bridges[0];
	ck_assert_int_eq(m->arch, DMASIM_ARCH_ARM64);
	ck_assert_uint_eq(m->nram, 2);   /* adjacent ranges merge */
	ck_assert_uint_eq(m->ram[0].base, 0x1000);
	ck_assert_uint_eq(m->ram[0].size, 0x80000000 - 0x1000);
	ck_assert_uint_eq(m->ram[1].base, 0x100000000);
	ck_assert_uint_eq(m->ram[1].size, 0x380000000);
	ck_assert_uint_eq(hb->nwindows, 2);  /* not the ECAM claim, not bus 01 */
	ck_assert_uint_eq(hb->windows[0].cpu, 0xc0000000);
	ck_assert_uint_eq(hb->windows[0].size, 0x20000000);
	ck_assert_uint_eq(hb->windows[1].cpu, 0x38000000000);
	dmasim_topo_destroy(t);
	free(text);
}
END_TEST

/* Every DIR/NAME.EXT fails to import with exactly the message of its
 * NAME.err: as a dump, or (with @dump) as the iomem text beside @dump.
 * Returns the number of files. */
static unsigned bad_inputs_fail_exactly(const char *dir, const char *ext, const char *dump)
{
	size_t xl = strlen(ext), dlen = 0;
	char path[1024], buf[512], *dtext = dump ? tu_read_file(dump, &dlen) : NULL;
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name), len, elen, ylen;
		struct dmasim_import_opts o = { 0 };
		struct dmasim_error err;
		char *text, *want, *yaml = NULL;
		int rc;

		if (l <= xl || strcmp(e->d_name + l - xl, ext) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = tu_read_file(path, &len);
		snprintf(path + strlen(path) - xl, xl + 1, ".err");
		want = tu_read_file(path, &elen);
		while (elen && want[elen - 1] == '\n')
			want[--elen] = '\0';
		o.iomem = text;
		o.iomem_len = len;
		o.iomem_name = e->d_name;
		dmasim_error_init(&err);
		rc = dump ? dmasim_import_lspci(dtext, dlen, "small.dump", &o, &yaml, &ylen, &err)
			  : dmasim_import_lspci(text, len, e->d_name, NULL, &yaml, &ylen, &err);
		ck_assert_msg(rc != DMASIM_OK, "%s imported", e->d_name);
		ck_assert_ptr_null(yaml);
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		ck_assert_str_eq(buf, want);
		free(text);
		free(want);
		n++;
	}
	closedir(d);
	free(dtext);
	return n;
}

/* Every dump under tests/data/import/bad/ fails with exactly the message
 * of its .err file (file:line:column: error: ...). */
START_TEST(test_import_bad_dumps_exact_errors)
{
	ck_assert_uint_ge(bad_inputs_fail_exactly(DMASIM_TEST_DATA "/import/bad", ".dump", NULL), 11);
}
END_TEST

/* Every prefix of a good dump imports or fails cleanly; never a crash. */
START_TEST(test_import_survives_truncation)
{
	size_t len, i;
	char *text = tu_read_file(DMASIM_TEST_DATA "/import/small.dump", &len);

	for (i = 0; i < len; i += 7) {
		struct dmasim_error err;
		char *yaml = NULL;
		size_t ylen;

		dmasim_error_init(&err);
		if (dmasim_import_lspci(text, i, "t.dump", NULL, &yaml, &ylen, &err) == DMASIM_OK)
			dmasim_import_free(yaml);
		else
			ck_assert_int_ne(err.code, DMASIM_OK);
	}
	free(text);
}
END_TEST

START_TEST(test_import_type_inferred_without_capabilities)
{
	/* 64-byte dumps: no PCIe capability, so ports are placed by position. */
	static const char dump[] =
		"00:03.0 dev\n"
		"00: 86 80 30 20 06 00 10 00 00 00 04 06 00 00 01 00\n"
		"10: 00 00 00 00 00 00 00 00 00 01 04 00 f0 00 00 00\n"
		"20: 00 c0 00 c0 f1 ff 01 00 00 00 00 00 00 00 00 00\n"
		"30: 00 00 00 00 40 00 00 00 00 00 00 00 00 00 00 00\n"
		"\n"
		"01:00.0 dev\n"
		"00: b5 10 33 97 06 00 10 00 00 00 04 06 00 00 01 00\n"
		"10: 00 00 00 00 00 00 00 00 01 02 04 00 f0 00 00 00\n"
		"20: 00 c0 00 c0 f1 ff 01 00 00 00 00 00 00 00 00 00\n"
		"30: 00 00 00 00 40 00 00 00 00 00 00 00 00 00 00 00\n"
		"\n"
		"02:00.0 dev\n"
		"00: b5 10 33 97 06 00 10 00 00 00 04 06 00 00 01 00\n"
		"10: 00 00 00 00 00 00 00 00 02 03 03 00 f0 00 00 00\n"
		"20: 00 c0 00 c0 f1 ff 01 00 00 00 00 00 00 00 00 00\n"
		"30: 00 00 00 00 40 00 00 00 00 00 00 00 00 00 00 00\n"
		"\n"
		"03:00.0 dev\n"
		"00: 44 14 08 a8 06 00 10 00 00 02 08 01 00 00 00 00\n"
		"10: 04 00 00 c0 00 00 00 00 00 00 00 00 00 00 00 00\n"
		"20: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
		"30: 00 00 00 00 40 00 00 00 00 00 00 00 00 00 00 00\n";
	struct dmasim_topo *t = import_dump(dump, strlen(dump), NULL, NULL);

	ck_assert_int_eq(tu_dev(t, "00:03.0")->type, DMASIM_DEV_ROOT_PORT);
	ck_assert_int_eq(tu_dev(t, "01:00.0")->type, DMASIM_DEV_SWITCH_UPSTREAM);
	ck_assert_int_eq(tu_dev(t, "02:00.0")->type, DMASIM_DEV_SWITCH_DOWNSTREAM);
	ck_assert_int_eq(tu_dev(t, "03:00.0")->type, DMASIM_DEV_ENDPOINT);
	ck_assert_uint_eq(dmasim_device_find_bar(tu_dev(t, "03:00.0"), 0)->bits, 64);
	ck_assert_uint_eq(dmasim_device_find_bar(tu_dev(t, "03:00.0"), 0)->size, 1u << 20);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- sysfs ----------------------------------------------------------- */

static void put_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void mkdirs(const char *root, const char *rel)
{
	char path[1024], *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(path, 0755);
}

static void rm_rf(const char *path)
{
	char cmd[1100];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	ck_assert_int_eq(system(cmd), 0);
}

/* A snapshot with a host-bridge offset (CPU = bus + 0x1000000000), BAR
 * sizes in `resource`, IOMMU groups and an arm64 cpuinfo. */
START_TEST(test_import_sysfs_snapshot)
{
	char root[] = "/tmp/dmasim-sysfs-XXXXXX", dev[1200], *yaml = NULL, buf[1400];
	uint8_t rp[256] = { 0 }, ep[64] = { 0 };
	static const char rp_res[] =
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n";
	static const char ep_res[] =
		"0x0000001040000000 0x0000001040003fff 0x0000000000040200\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n";
	static const char iomem[] =
		"1040000000-107fffffff : PCI Bus 0000:00\n"
		"  1040000000-10400fffff : PCI Bus 0000:01\n"
		"80000000-ffffffff : System RAM\n";
	static const char cpuinfo[] = "processor\t: 0\nCPU implementer\t: 0x41\n";
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	const struct dmasim_device *d;
	const struct dmasim_machine *m;
	size_t ylen;

	ck_assert_ptr_nonnull(mkdtemp(root));
	/* 00:00.0 root port, buses 01-01, memory window 0x40000000 (bus). */
	rp[0] = 0xe5; rp[1] = 0x19; rp[2] = 0x01; rp[3] = 0x00;
	rp[6] = 0x10; rp[0x0b] = 0x06; rp[0x0a] = 0x04; rp[0x0e] = 0x01;
	rp[0x19] = 1; rp[0x1a] = 1; rp[0x1c] = 0xf0;
	rp[0x20] = 0x00; rp[0x21] = 0x40; rp[0x22] = 0x00; rp[0x23] = 0x40;
	rp[0x24] = 0xf1; rp[0x25] = 0xff; rp[0x26] = 0x01;
	rp[0x34] = 0x40; rp[0x40] = 0x10; rp[0x42] = 0x42;   /* v2, root port */
	/* 01:00.0 endpoint, BAR 0 at bus 0x40000000 (CPU 0x1040000000). */
	ep[0] = 0x44; ep[1] = 0x14; ep[2] = 0x08; ep[3] = 0xa8;
	ep[0x0b] = 0x01; ep[0x0a] = 0x08; ep[0x13] = 0x40;
	mkdirs(root, "sys/bus/pci/devices/0000:00:00.0");
	mkdirs(root, "sys/bus/pci/devices/0000:01:00.0");
	mkdirs(root, "sys/kernel/iommu_groups/7");
	mkdirs(root, "proc");
	snprintf(dev, sizeof(dev), "%s/sys/bus/pci/devices/0000:00:00.0", root);
	put_file(dev, "config", rp, sizeof(rp));
	put_file(dev, "resource", rp_res, strlen(rp_res));
	snprintf(buf, sizeof(buf), "%s/iommu_group", dev);
	ck_assert_int_eq(symlink("../../../kernel/iommu_groups/7", buf), 0);
	snprintf(dev, sizeof(dev), "%s/sys/bus/pci/devices/0000:01:00.0", root);
	put_file(dev, "config", ep, sizeof(ep));
	put_file(dev, "resource", ep_res, strlen(ep_res));
	snprintf(buf, sizeof(buf), "%s/iommu_group", dev);
	ck_assert_int_eq(symlink("../../../kernel/iommu_groups/7", buf), 0);
	snprintf(dev, sizeof(dev), "%s/sys/kernel/iommu_groups/7", root);
	put_file(dev, "type", "identity\n", 9);
	snprintf(dev, sizeof(dev), "%s/proc", root);
	put_file(dev, "iomem", iomem, strlen(iomem));
	put_file(dev, "cpuinfo", cpuinfo, strlen(cpuinfo));

	dmasim_error_init(&err);
	if (dmasim_import_sysfs(root, NULL, &yaml, &ylen, &err)) {
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		rm_rf(root);
		ck_abort_msg("sysfs import failed: %s", buf);
	}
	rm_rf(root);
	dmasim_error_init(&err);
	if (dmasim_topo_load_string(yaml, ylen, "sysfs.yaml", &t, &err)) {
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		ck_abort_msg("does not load: %s\n%s", buf, yaml);
	}
	m = dmasim_topo_machine(t);
	ck_assert_int_eq(m->arch, DMASIM_ARCH_ARM64);
	ck_assert_uint_eq(m->nram, 1);
	ck_assert_uint_eq(m->niommus, 1);
	ck_assert_int_eq(m->iommus[0].type, DMASIM_IOMMU_SMMUV3);
	ck_assert_int_eq(m->iommus[0].default_domain, DMASIM_DOMAIN_IDENTITY);
	ck_assert_uint_eq(m->host_bridges[0].nwindows, 1);
	ck_assert_uint_eq(m->host_bridges[0].windows[0].cpu, 0x1040000000);
	ck_assert_uint_eq(m->host_bridges[0].windows[0].bus, 0x40000000);
	d = tu_dev(t, "01:00.0");
	ck_assert_uint_eq(d->bars[0].cpu, 0x1040000000);
	ck_assert_uint_eq(d->bars[0].bus, 0x40000000);
	ck_assert_uint_eq(d->bars[0].size, 0x4000);
	ck_assert_int_eq(tu_dev(t, "00:00.0")->type, DMASIM_DEV_ROOT_PORT);
	dmasim_topo_destroy(t);
	dmasim_import_free(yaml);
}
END_TEST

/* This machine's /sys imports to a valid topology. */
START_TEST(test_import_sysfs_this_machine)
{
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	char *yaml = NULL, buf[512];
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	size_t ylen, n = 0;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	if (d)
		closedir(d);
	if (n == 0) {
		fprintf(stderr, "SKIP: /sys/bus/pci/devices is empty or missing here\n");
		return;
	}
	dmasim_error_init(&err);
	if (dmasim_import_sysfs(NULL, NULL, &yaml, &ylen, &err)) {
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		ck_abort_msg("sysfs import failed: %s", buf);
	}
	dmasim_error_init(&err);
	if (dmasim_topo_load_string(yaml, ylen, "this-machine.yaml", &t, &err)) {
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		ck_abort_msg("this machine does not load: %s\n%s", buf, yaml);
	}
	ck_assert_uint_eq(dmasim_topo_machine(t)->ndevices, n);
	dmasim_topo_destroy(t);
	dmasim_import_free(yaml);
}
END_TEST

START_TEST(test_import_sysfs_missing_root)
{
	struct dmasim_error err;
	char *yaml = NULL;
	size_t ylen;

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_import_sysfs("/nonexistent-dmasim", NULL, &yaml, &ylen, &err),
			 DMASIM_EIO);
	ck_assert_str_eq(err.file, "/nonexistent-dmasim/sys/bus/pci/devices");
	ck_assert_ptr_null(yaml);
}
END_TEST

/* The export puts each function's config space at 4096 bytes. */
START_TEST(test_export_shape)
{
	struct dmasim_topo *t = tu_load_file(DMASIM_TOPOLOGIES "/x86_64/skylake-plx.yaml");
	size_t len, lines = 0, i;
	char *dump = export_topo(t, &len);

	for (i = 0; i < len; i++)
		lines += dump[i] == '\n';
	/* header + 256 lines + blank, per function */
	ck_assert_uint_eq(lines, dmasim_topo_machine(t)->ndevices * 258);
	ck_assert_ptr_nonnull(strstr(dump, "0000:00:00.0 PCI bridge: dmasim root-port rp0 [8086:2030]\n00: 86 80 30 20"));
	ck_assert_ptr_nonnull(strstr(dump, "\nff0: "));
	dmasim_import_free(dump);
	dmasim_topo_destroy(t);
}
END_TEST

/* ---- hostile input (issue 15) ---------------------------------------- */

/* Every tests/data/import/bad-iomem/NAME.iomem, given with small.dump,
 * fails with exactly NAME.err (D11, D10: addresses past 64 bits, segment
 * and bus numbers past 16 and 8 bits, ranges of all 2^64 addresses or
 * ending before they start, overlapping windows and RAM). */
START_TEST(test_import_bad_iomem_exact_errors)
{
	ck_assert_uint_ge(bad_inputs_fail_exactly(DMASIM_TEST_DATA "/import/bad-iomem", ".iomem",
						  DMASIM_TEST_DATA "/import/small.dump"), 8);
}
END_TEST

/* D11: 70 RAM ranges and 70 windows are all kept (not the first 64), and
 * lines of 256 characters and more are read, not skipped. */
START_TEST(test_import_iomem_many_ranges_long_lines)
{
	struct dmasim_import_opts o = { 0 };
	size_t len, cap = 1 << 16, n = 0, i;
	char *text = tu_read_file(DMASIM_TEST_DATA "/import/small.dump", &len);
	char *iomem = malloc(cap), pad[300];
	struct dmasim_topo *t;
	const struct dmasim_machine *m;

	ck_assert_ptr_nonnull(iomem);
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	for (i = 0; i < 70; i++)   /* RAM at 2 MiB steps, 1 MiB each, below 1 GiB */
		n += (size_t)snprintf(iomem + n, cap - n, "%08llx-%08llx : System RAM%s\n",
				      (unsigned long long)(i * 0x200000),
				      (unsigned long long)(i * 0x200000 + 0xfffff),
				      i == 69 ? pad : "");
	/* the root bus's own windows, then 68 more of 1 MiB above 0xe0000000 */
	n += (size_t)snprintf(iomem + n, cap - n,
			      "c0000000-d00fffff : PCI Bus 0000:00\n"
			      "38000000000-380ffffffff : PCI Bus 0000:00 %s\n", pad);
	for (i = 0; i < 68; i++)
		n += (size_t)snprintf(iomem + n, cap - n, "%08llx-%08llx : PCI Bus 0000:00\n",
				      (unsigned long long)(0xe0000000 + i * 0x100000),
				      (unsigned long long)(0xe0000000 + i * 0x100000 + 0xfffff));
	o.iomem = iomem;
	o.iomem_len = n;
	t = import_dump(text, len, &o, NULL);
	m = dmasim_topo_machine(t);
	ck_assert_uint_eq(m->nram, 70);
	ck_assert_uint_eq(m->ram[69].base, 69 * 0x200000);
	ck_assert_uint_eq(m->host_bridges[0].nwindows, 70);
	dmasim_topo_destroy(t);
	free(iomem);
	free(text);
}
END_TEST

/* D7: the per-function record is compact (it was 6,944 bytes with the
 * raw configuration space and fixed note buffers inside). */
START_TEST(test_import_record_is_compact)
{
	ck_assert_uint_le(sizeof(struct imp_dev), 1024);
}
END_TEST

/* D7: 63,736 functions (248 root ports, 256 endpoints below each) import
 * well inside the test's timeout; the all-pairs tree building took about
 * 30 s for 65k functions. */
START_TEST(test_import_many_functions)
{
	size_t cap = 64u << 20, n = 0, ylen = 0;
	char *dump = malloc(cap), *yaml = NULL;
	struct dmasim_error err;
	unsigned p, d, f, sec = 1;

	ck_assert_ptr_nonnull(dump);
	for (p = 8; p < 256; p++, sec++) {   /* 00:01.0 .. 00:1f.7: root ports */
		n += (size_t)snprintf(dump + n, cap - n,
			"00:%02x.%x dev\n"
			"00: 86 80 30 20 06 00 10 00 00 00 04 06 00 00 81 00\n"
			"10: 00 00 00 00 00 00 00 00 00 %02x %02x 00 f0 00 00 00\n"
			"20: f0 ff 00 00 f1 ff 01 00 00 00 00 00 00 00 00 00\n"
			"30: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n\n",
			p >> 3, p & 7, sec, sec);
		for (d = 0; d < 32; d++)
			for (f = 0; f < 8; f++)
				n += (size_t)snprintf(dump + n, cap - n,
					"%02x:%02x.%x dev\n"
					"00: 44 14 08 a8 06 00 10 00 00 02 08 01 00 00 80 00\n"
					"10: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
					"20: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
					"30: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n\n",
					sec, d, f);
	}
	ck_assert_uint_lt(n, cap);
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_import_lspci(dump, n, "many.dump", NULL, &yaml, &ylen, &err),
			 DMASIM_OK);
	ck_assert_ptr_nonnull(strstr(yaml, "63736 functions"));
	ck_assert_ptr_nonnull(strstr(yaml, "- bdf: 0000:f8:1f.7"));
	dmasim_import_free(yaml);
	free(dump);
}
END_TEST

/* A minimal snapshot under @root: a root port 00:00.0 and an endpoint
 * 01:00.0 (as in test_import_sysfs_snapshot, without iomem and cpuinfo). */
static void mini_sysfs(const char *root)
{
	uint8_t rp[256] = { 0 }, ep[64] = { 0 };
	char dev[1200];

	rp[0] = 0xe5; rp[1] = 0x19; rp[2] = 0x01; rp[3] = 0x00;
	rp[6] = 0x10; rp[0x0b] = 0x06; rp[0x0a] = 0x04; rp[0x0e] = 0x01;
	rp[0x19] = 1; rp[0x1a] = 1; rp[0x1c] = 0xf0;
	rp[0x20] = 0x00; rp[0x21] = 0x40; rp[0x22] = 0x00; rp[0x23] = 0x40;
	rp[0x24] = 0xf1; rp[0x25] = 0xff; rp[0x26] = 0x01;
	rp[0x34] = 0x40; rp[0x40] = 0x10; rp[0x42] = 0x42;
	ep[0] = 0x44; ep[1] = 0x14; ep[2] = 0x08; ep[3] = 0xa8;
	ep[0x0b] = 0x01; ep[0x0a] = 0x08; ep[0x13] = 0x40;
	mkdirs(root, "sys/bus/pci/devices/0000:00:00.0/");
	mkdirs(root, "sys/bus/pci/devices/0000:01:00.0/");
	mkdirs(root, "proc/");
	snprintf(dev, sizeof(dev), "%s/sys/bus/pci/devices/0000:00:00.0", root);
	put_file(dev, "config", rp, sizeof(rp));
	snprintf(dev, sizeof(dev), "%s/sys/bus/pci/devices/0000:01:00.0", root);
	put_file(dev, "config", ep, sizeof(ep));
}

/* Import @root; the error's text (or "" on success) into @buf. */
static int sysfs_result(const char *root, char *buf, size_t size)
{
	struct dmasim_error err;
	char *yaml = NULL;
	size_t ylen;
	int rc;

	dmasim_error_init(&err);
	buf[0] = '\0';
	rc = dmasim_import_sysfs(root, NULL, &yaml, &ylen, &err);
	if (rc)
		dmasim_error_snprintf(buf, size, &err);
	else
		dmasim_import_free(yaml);
	return rc;
}

static void expect_sysfs_error(const char *root, const char *want)
{
	char buf[1400];

	ck_assert_int_ne(sysfs_result(root, buf, sizeof(buf)), DMASIM_OK);
	ck_assert_msg(strstr(buf, want) != NULL, "'%s' does not say '%s'", buf, want);
}

/* D8: a FIFO (or a device, or a symbolic link) where sysfs has a regular
 * file is refused, never opened: no hang, no config space from /dev/zero.
 * The alarm turns a hang into a failure. */
START_TEST(test_import_sysfs_refuses_fifos_and_devices)
{
	static const char *const where[] = {
		"sys/bus/pci/devices/0000:01:00.0/config", "proc/iomem", "proc/cpuinfo",
		"sys/bus/pci/devices/0000:01:00.0/resource",
	};
	char root[] = "/tmp/dmasim-fifo-XXXXXX", path[1200];
	size_t i;

	alarm(20);
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		ck_assert_ptr_nonnull(mkdtemp(root));
		mini_sysfs(root);
		snprintf(path, sizeof(path), "%s/%s", root, where[i]);
		unlink(path);
		ck_assert_int_eq(mkfifo(path, 0644), 0);
		expect_sysfs_error(root, "a FIFO, not a regular file");
		rm_rf(root);
		strcpy(root + strlen(root) - 6, "XXXXXX");
	}
	/* config -> /dev/zero: a symbolic link, and a device behind it */
	ck_assert_ptr_nonnull(mkdtemp(root));
	mini_sysfs(root);
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/0000:01:00.0/config", root);
	unlink(path);
	ck_assert_int_eq(symlink("/dev/zero", path), 0);
	expect_sysfs_error(root, "a symbolic link, not a regular file");
	rm_rf(root);
	alarm(0);
}
END_TEST

/* D10: what would make YAML that does not load is refused at the input,
 * with its position: two spellings of one BDF, resources of 2^64 bytes
 * or "-1", a CPU family past 16 bits. */
START_TEST(test_import_sysfs_bad_values)
{
	static const struct {
		const char *file, *text, *want;
	} cases[] = {
		{ "sys/bus/pci/devices/0000:01:00.0/resource",
		  "0x0000000000000000 0xffffffffffffffff 0x0000000000040200\n",
		  "resource:1:1: error: resource [0x0-0xffffffffffffffff] is all 2^64 addresses" },
		{ "sys/bus/pci/devices/0000:01:00.0/resource",
		  "0x0000000040000000 0x0000000040003fff 0x0000000000040200\n-1 -1 -1\n",
		  "resource:2:1: error: expected '0xSTART 0xEND 0xFLAGS'" },
		{ "sys/bus/pci/devices/0000:01:00.0/resource",
		  "0x0000000040000000 0x0000000040002fff 0x0000000000040200\n",
		  "resource:1:1: error: BAR 0 [0x40000000-0x40002fff] is not a naturally aligned power of two" },
		{ "sys/bus/pci/devices/0000:01:00.0/resource",
		  "0x0000000040000000 0x00000000400000000fff 0x0\n",
		  "resource:1:20: error: expected '0xSTART 0xEND 0xFLAGS'" },
		{ "proc/cpuinfo", "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 4294967321\n",
		  "cpuinfo:3:14: error: expected a CPU family number 0-65535" },
		{ "proc/iomem", "00000000-ffffffffffffffff : System RAM\n",
		  "iomem:1:1: error: the range covers all 2^64 addresses" },
	};
	char root[] = "/tmp/dmasim-bad-XXXXXX", path[1200];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *slash;
		ck_assert_ptr_nonnull(mkdtemp(root));
		mini_sysfs(root);
		snprintf(path, sizeof(path), "%s/%s", root, cases[i].file);
		slash = strrchr(path, '/');
		*slash = '\0';
		put_file(path, slash + 1, cases[i].text, strlen(cases[i].text));
		expect_sysfs_error(root, cases[i].want);
		rm_rf(root);
		strcpy(root + strlen(root) - 6, "XXXXXX");
	}
	/* 0000:01:00.0 spelled a second way */
	ck_assert_ptr_nonnull(mkdtemp(root));
	mini_sysfs(root);
	mkdirs(root, "sys/bus/pci/devices/0000:01:00.00/");
	expect_sysfs_error(root, "not a PCI function's name as sysfs writes it");
	rm_rf(root);
	strcpy(root + strlen(root) - 6, "XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	mini_sysfs(root);
	mkdirs(root, "sys/bus/pci/devices/0000:01:0.0/");
	expect_sysfs_error(root, "not a PCI function's name as sysfs writes it");
	rm_rf(root);
}
END_TEST

/* Issue 18 item 6: --p2pmem marks endpoint BARs as p2pmem (prefetchable
 * ones, or all memory BARs), never a bridge's, and says it assumed it. */
START_TEST(test_import_p2pmem_assumed)
{
	struct dmasim_import_opts o = { 0 };
	size_t len, i, np = 0, nall = 0, npref = 0;
	char *text = tu_read_file(DMASIM_TEST_DATA "/import/small.dump", &len), *yaml;
	struct dmasim_topo *t;
	const struct dmasim_machine *m;

	o.p2pmem = DMASIM_IMPORT_P2PMEM_PREFETCHABLE;
	t = import_dump(text, len, &o, &yaml);
	ck_assert_ptr_nonnull(strstr(yaml, "# assumed (--p2pmem prefetchable)"));
	m = dmasim_topo_machine(t);
	for (i = 0; i < m->ndevices; i++) {
		const struct dmasim_device *d = &m->devices[i];
		size_t b;
		for (b = 0; b < d->nbars; b++) {
			bool ep = d->type == DMASIM_DEV_ENDPOINT;
			nall += ep;
			npref += ep && d->bars[b].pref;
			np += d->bars[b].p2pmem;
			ck_assert_msg(d->bars[b].p2pmem == (ep && d->bars[b].pref),
				      "BAR %u of %s", d->bars[b].index, d->bdf);
		}
	}
	ck_assert_uint_gt(np, 0);
	ck_assert_uint_eq(np, npref);
	dmasim_topo_destroy(t);
	dmasim_import_free(yaml);
	o.p2pmem = DMASIM_IMPORT_P2PMEM_ALL_MEM;
	t = import_dump(text, len, &o, NULL);
	m = dmasim_topo_machine(t);
	for (i = 0, np = 0; i < m->ndevices; i++) {
		size_t b;
		for (b = 0; b < m->devices[i].nbars; b++)
			np += m->devices[i].bars[b].p2pmem;
	}
	ck_assert_uint_eq(np, nall);
	ck_assert_uint_gt(nall, npref);
	dmasim_topo_destroy(t);
	t = import_dump(text, len, NULL, NULL);   /* the default: none */
	m = dmasim_topo_machine(t);
	for (i = 0; i < m->ndevices; i++) {
		size_t b;
		for (b = 0; b < m->devices[i].nbars; b++)
			ck_assert(!m->devices[i].bars[b].p2pmem);
	}
	dmasim_topo_destroy(t);
	free(text);
}
END_TEST

/* Issue 18 item 3: the root complex's P2P routing is inferred from the CPU
 * (AMD family 0x17+: any) or from pci_p2pdma_whitelist[]'s Intel host
 * bridges, else none, and always marked inferred. */
START_TEST(test_import_rc_p2p_inferred)
{
	char root[] = "/tmp/dmasim-rc-XXXXXX", path[1200], *yaml = NULL;
	static const char amd[] = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\n";
	static const char old[] = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 21\n";
	size_t len, ylen;
	char *text = tu_read_file(DMASIM_TEST_DATA "/import/small.dump", &len);
	struct dmasim_error err;
	struct dmasim_topo *t;

	/* small.dump's 00:00.0 is Intel 8086:2020 (Skylake-E): any */
	t = import_dump(text, len, NULL, &yaml);
	ck_assert_int_eq(dmasim_topo_machine(t)->host_bridges[0].rc_p2p, DMASIM_RC_P2P_ANY);
	ck_assert_ptr_nonnull(strstr(yaml, "root_complex: { p2p: any }  # inferred: an Intel host bridge"));
	dmasim_topo_destroy(t);
	dmasim_import_free(yaml);
	free(text);
	ck_assert_ptr_nonnull(mkdtemp(root));
	mini_sysfs(root);
	snprintf(path, sizeof(path), "%s/proc", root);
	put_file(path, "cpuinfo", amd, strlen(amd));
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_import_sysfs(root, NULL, &yaml, &ylen, &err), DMASIM_OK);
	ck_assert_ptr_nonnull(strstr(yaml, "root_complex: { p2p: any }  # inferred: AMD Zen"));
	dmasim_import_free(yaml);
	put_file(path, "cpuinfo", old, strlen(old));
	ck_assert_int_eq(dmasim_import_sysfs(root, NULL, &yaml, &ylen, &err), DMASIM_OK);
	ck_assert_ptr_nonnull(strstr(yaml, "root_complex: { p2p: none }  # inferred: nothing is known"));
	dmasim_import_free(yaml);
	rm_rf(root);
}
END_TEST

/* Issue 18 item 3: the kernel's iommu_group links against the groups
 * dmasim computes.  The root port has no ACS, so pci_device_group() puts
 * the endpoint below it in the port's group: kernel groups 7 and 7 agree,
 * 7 and 8 are one difference, and a function the kernel gives no group
 * while dmasim does is one more. */
START_TEST(test_import_sysfs_compares_iommu_groups)
{
	char root[] = "/tmp/dmasim-grp-XXXXXX", path[1300], *yaml = NULL, *report = NULL;
	struct dmasim_import_opts o = { 0 };
	struct dmasim_error err;
	size_t ylen, ndiff = 99;

	ck_assert_ptr_nonnull(mkdtemp(root));
	mini_sysfs(root);
	mkdirs(root, "sys/kernel/iommu_groups/7/");
	mkdirs(root, "sys/kernel/iommu_groups/8/");
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/0000:00:00.0/iommu_group", root);
	ck_assert_int_eq(symlink("../../../kernel/iommu_groups/7", path), 0);
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/0000:01:00.0/iommu_group", root);
	ck_assert_int_eq(symlink("../../../kernel/iommu_groups/7", path), 0);
	o.groups_report = &report;
	o.groups_differences = &ndiff;
	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim_import_sysfs(root, &o, &yaml, &ylen, &err), DMASIM_OK);
	ck_assert_ptr_nonnull(report);
	ck_assert_str_eq(report, "");
	ck_assert_uint_eq(ndiff, 0);
	dmasim_import_free(report);
	dmasim_import_free(yaml);
	unlink(path);
	ck_assert_int_eq(symlink("../../../kernel/iommu_groups/8", path), 0);
	ck_assert_int_eq(dmasim_import_sysfs(root, &o, &yaml, &ylen, &err), DMASIM_OK);
	ck_assert_uint_eq(ndiff, 1);
	ck_assert_ptr_nonnull(strstr(report, "holds functions the kernel keeps apart: 0000:00:00.0 (kernel group 7), 0000:01:00.0 (kernel group 8)"));
	dmasim_import_free(report);
	dmasim_import_free(yaml);
	unlink(path);   /* no group for the endpoint: dmasim still has one */
	ck_assert_int_eq(dmasim_import_sysfs(root, &o, &yaml, &ylen, &err), DMASIM_OK);
	ck_assert_uint_eq(ndiff, 1);
	ck_assert_ptr_nonnull(strstr(report, "0000:01:00.0: dmasim puts it in IOMMU group"));
	dmasim_import_free(report);
	dmasim_import_free(yaml);
	rm_rf(root);
}
END_TEST

static Suite *import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("Dump");

	tcase_add_test(tc, test_import_decodes_small_dump);
	tcase_add_test(tc, test_import_iomem_gives_windows_and_ram);
	tcase_add_test(tc, test_import_type_inferred_without_capabilities);
	suite_add_tcase(s, tc);
	tc = tcase_create("Errors");
	tcase_add_test(tc, test_import_bad_dumps_exact_errors);
	tcase_add_test(tc, test_import_survives_truncation);
	tcase_add_test(tc, test_import_sysfs_missing_root);
	tcase_add_test(tc, test_import_bad_iomem_exact_errors);
	tcase_add_test(tc, test_import_iomem_many_ranges_long_lines);
	tcase_add_test(tc, test_import_record_is_compact);
	tcase_add_test(tc, test_import_sysfs_refuses_fifos_and_devices);
	tcase_add_test(tc, test_import_sysfs_bad_values);
	tcase_add_test(tc, test_import_p2pmem_assumed);
	tcase_add_test(tc, test_import_rc_p2p_inferred);
	tcase_add_test(tc, test_import_sysfs_compares_iommu_groups);
	suite_add_tcase(s, tc);
	tc = tcase_create("Scale");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_import_many_functions);
	suite_add_tcase(s, tc);
	tc = tcase_create("RoundTrip");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_export_shape);
	tcase_add_test(tc, test_import_roundtrip_every_topology);
	tcase_add_test(tc, test_import_roundtrip_without_sizes);
	suite_add_tcase(s, tc);
	tc = tcase_create("Sysfs");
	tcase_add_test(tc, test_import_sysfs_snapshot);
	tcase_add_test(tc, test_import_sysfs_this_machine);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(import_suite());
}
