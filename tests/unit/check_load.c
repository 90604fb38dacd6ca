/* dmasim tests -- the YAML loader: formats, errors and robustness. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "load/topo_load.h"
#include "load/ynode.h"

START_TEST(test_load_numbers)
{
	uint64_t v;

	ck_assert_int_eq(dmasim_parse_u64("0x10", &v), 0);
	ck_assert_uint_eq(v, 16);
	ck_assert_int_eq(dmasim_parse_u64("4K", &v), 0);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(dmasim_parse_u64("0x2M", &v), 0);
	ck_assert_uint_eq(v, 2u << 20);
	ck_assert_int_eq(dmasim_parse_u64("1T", &v), 0);
	ck_assert_uint_eq(v, 1ull << 40);
	ck_assert_int_eq(dmasim_parse_u64("18446744073709551615", &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_ne(dmasim_parse_u64("18446744073709551616", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("0x10000000000000000", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("16777216T", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("0x", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("-1", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("12k", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("1 G", &v), 0);
}
END_TEST

START_TEST(test_load_bdf)
{
	uint16_t seg;
	uint8_t bus, devfn;

	ck_assert_int_eq(dmasim_parse_bdf("03:1f.7", &seg, &bus, &devfn), 0);
	ck_assert_uint_eq(seg, 0);
	ck_assert_uint_eq(bus, 3);
	ck_assert_uint_eq(devfn, 0x1f << 3 | 7);
	ck_assert_int_eq(dmasim_parse_bdf("0001:a0:00.0", &seg, &bus, &devfn), 0);
	ck_assert_uint_eq(seg, 1);
	ck_assert_uint_eq(bus, 0xa0);
	ck_assert_int_ne(dmasim_parse_bdf("03:20.0", &seg, &bus, &devfn), 0);
	ck_assert_int_ne(dmasim_parse_bdf("03:00.8", &seg, &bus, &devfn), 0);
	ck_assert_int_ne(dmasim_parse_bdf("3:00.0", &seg, &bus, &devfn), 0);
	ck_assert_int_ne(dmasim_parse_bdf("03:00.0x", &seg, &bus, &devfn), 0);
}
END_TEST

/* Every prefix of a valid topology either loads or fails cleanly (run
 * under DMASIM_SANITIZE=ON this also proves there is no leak or overrun). */
START_TEST(test_load_survives_truncation_at_every_byte)
{
	size_t len, i;
	char *text = tu_read_file(DMASIM_TOPOLOGIES "/x86_64/skylake-plx.yaml", &len);
	unsigned failed = 0;

	for (i = 0; i <= len; i++) {
		struct dmasim_topo *t = NULL;
		struct dmasim_error err;

		dmasim_error_init(&err);
		if (dmasim_topo_load_string(text, i, "cut.yaml", &t, &err) != DMASIM_OK) {
			ck_assert_msg(err.msg[0] != '\0', "error without a message at %zu", i);
			ck_assert_ptr_null(t);
			failed++;
		}
		dmasim_topo_destroy(t);
	}
	ck_assert_uint_gt(failed, len / 2);
	free(text);
}
END_TEST

/* Every file under tests/data/bad/ starts with
 *   # expect: LINE:COLUMN: substring of the message
 * and must fail to load with exactly that position and message. */
START_TEST(test_load_bad_files_report_position_and_message)
{
	char dir[1024], path[2048], buf[512];
	struct dirent *e;
	unsigned n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/bad", DMASIM_TEST_DATA);
	d = opendir(dir);
	ck_assert_msg(d != NULL, "no %s", dir);
	while ((e = readdir(d)) != NULL) {
		struct dmasim_topo *t = NULL;
		struct dmasim_error err;
		unsigned line, col;
		char want[256], *text;
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = tu_read_file(path, NULL);
		ck_assert_msg(sscanf(text, "# expect: %u:%u: %255[^\n]", &line, &col, want) == 3,
			      "%s: first line must be '# expect: LINE:COL: message'", e->d_name);
		free(text);
		dmasim_error_init(&err);
		ck_assert_msg(dmasim_topo_load_file(path, &t, &err) != DMASIM_OK,
			      "%s loaded but must fail", e->d_name);
		dmasim_error_snprintf(buf, sizeof(buf), &err);
		ck_assert_msg(err.line == line && err.column == col,
			      "%s: expected position %u:%u, got %s", e->d_name, line, col, buf);
		ck_assert_msg(strstr(err.msg, want) != NULL,
			      "%s: expected message containing '%s', got %s", e->d_name, want, buf);
		n++;
	}
	closedir(d);
	ck_assert_uint_gt(n, 0);
}
END_TEST

static const char base_yaml[] =
	"dmasim: 1\n"
	"arch: x86_64\n"
	"host_bridges:\n"
	"  - name: hb0\n"
	"    windows:\n"
	"      - { kind: mem, cpu: 0xc0000000, size: 256M }\n"
	"    devices:\n"
	"      - bdf: 00:01.0\n"
	"        type: root-port\n"
	"        windows: { mem: [0xc0000000, 0xc00fffff] }\n"
	"        children:\n"
	"          - bdf: 01:00.0\n"
	"            type: endpoint\n"
	"            name: ep\n"
	"            bars: [ { index: 0, base: 0xc0000000, size: 1M } ]\n";

START_TEST(test_load_minimal_topology_defaults)
{
	struct dmasim_topo *t = tu_load(base_yaml);
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	const struct dmasim_device *ep = tu_dev(t, "ep");

	ck_assert_int_eq(m->arch, DMASIM_ARCH_X86_64);
	ck_assert_uint_eq(m->msi.base, 0xfee00000);  /* per-arch default */
	ck_assert_uint_eq(ep->dma_mask_bits, 64);
	ck_assert_int_eq(ep->domain, DMASIM_DOMAIN_NONE);
	ck_assert_uint_eq(ep->iommu_group, DMASIM_NO_GROUP);
	ck_assert_uint_eq(ep->bars[0].bits, 32);
	ck_assert_uint_eq(ep->bars[0].bus, 0xc0000000);
	ck_assert_str_eq(tu_dev(t, "00:01.0")->name, "0000:00:01.0");
	dmasim_topo_destroy(t);
}
END_TEST

/* Replace the first occurrence of @from in base_yaml with @to and check the
 * load fails at @line:@col with a message containing @want. */
static void expect_edit_fails(const char *from, const char *to, unsigned line,
			      unsigned col, const char *want)
{
	char text[4096], buf[512];
	const char *at = strstr(base_yaml, from);
	struct dmasim_error err;

	ck_assert_ptr_nonnull(at);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - base_yaml), base_yaml, to,
		 at + strlen(from));
	tu_load_fails(text, &err);
	dmasim_error_snprintf(buf, sizeof(buf), &err);
	ck_assert_msg(err.line == line && err.column == col && strstr(err.msg, want),
		      "edit '%s' -> '%s': expected %u:%u '%s', got %s", from, to, line,
		      col, want, buf);
}

START_TEST(test_load_schema_errors)
{
	expect_edit_fails("arch: x86_64", "arch: vax", 2, 7, "'vax' is not a valid arch");
	expect_edit_fails("arch: x86_64", "arhc: x86_64", 2, 1, "unknown key 'arhc'");
	expect_edit_fails("arch: x86_64", "arch: x86_64\narch: arm64", 3, 1, "duplicate key 'arch'");
	expect_edit_fails("dmasim: 1\n", "", 1, 1, "needs the key 'dmasim'");
	expect_edit_fails("dmasim: 1", "dmasim: 2", 1, 9, "format version 2");
	expect_edit_fails("size: 256M", "size: 99999999999999999999", 6, 45, "fits in 64 bits");
	expect_edit_fails("size: 256M", "size: [1]", 6, 45, "expected a number for window size");
	expect_edit_fails("cpu: 0xc0000000, size: 256M", "cpu: 0xfffffffffff00000, size: 2M",
			  6, 9, "wraps past the end");
	expect_edit_fails("type: root-port", "type: root-prot", 9, 15, "not a valid device type");
	expect_edit_fails("bdf: 01:00.0", "bdf: 1:0.0", 12, 18, "is not a BDF");
	expect_edit_fails("            type: endpoint\n", "            type: endpoint\n            children: []\n",
			  14, 23, "cannot have 'children'");
	expect_edit_fails("0xc00fffff", "0xc00ffffe", 10, 25, "1 MiB granular");
	expect_edit_fails("size: 1M }", "size: 2M }", 15, 21, "outside the non-prefetchable window of its parent 0000:00:01.0");
	expect_edit_fails("bdf: 01:00.0", "bdf: 00:02.0", 12, 13, "not above the bus 0x00 of its parent");
	expect_edit_fails("base: 0xc0000000, size: 1M", "base: 0xd0000000, size: 1M", 15, 21,
			  "not inside any window of host bridge hb0");
}
END_TEST


/* Load @yaml, which must fail at @line:@col with a message containing @want. */
static void expect_fails(const char *yaml, unsigned line, unsigned col,
			 const char *want)
{
	struct dmasim_error err;
	char buf[512];

	tu_load_fails(yaml, &err);
	dmasim_error_snprintf(buf, sizeof(buf), &err);
	ck_assert_msg(err.line == line && err.column == col && strstr(err.msg, want),
		      "expected %u:%u '%s', got %s", line, col, want, buf);
}

/* The streaming loader reads keys in any order: checks that need several
 * keys of a mapping run at its end. */
START_TEST(test_load_keys_in_any_order)
{
	struct dmasim_topo *t;
	const struct dmasim_device *ep;

	/* 'children' before 'type': still "an endpoint cannot have". */
	expect_fails("dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n"
		     "    devices:\n      - bdf: 00:01.0\n        children: []\n"
		     "        type: endpoint\n", 7, 19, "0000:00:01.0 is an endpoint and cannot have 'children'");
	/* p2pmem naming a BAR listed later, a host-bridge 'segment' after its
	 * devices, 'iommus' after the host bridges that name them. */
	t = tu_load("host_bridges:\n"
		    "  - devices:\n"
		    "      - bdf: 00:01.0\n"
		    "        children:\n"
		    "          - p2pmem: [2]\n"
		    "            bars: [ { index: 2, base: 0xc0000000, size: 1M } ]\n"
		    "            type: endpoint\n"
		    "            bdf: 01:00.0\n"
		    "        type: root-port\n"
		    "    iommu: mmu0\n"
		    "    windows: [ { kind: mem, cpu: 0xc0000000, size: 256M } ]\n"
		    "    segment: 3\n"
		    "    name: hb0\n"
		    "iommus: [ { type: smmuv3, name: mmu0 } ]\n"
		    "arch: arm64\n"
		    "dmasim: 1\n");
	ep = tu_dev(t, "0003:01:00.0");
	ck_assert_str_eq(ep->name, "0003:01:00.0");
	ck_assert_str_eq(ep->bdf, "0003:01:00.0");
	ck_assert(ep->bars[0].p2pmem);
	ck_assert_ptr_nonnull(ep->hb->iommu);
	ck_assert_str_eq(ep->hb->iommu->name, "mmu0");
	ck_assert_uint_eq(dmasim_topo_machine(t)->msi.base, 0x08000000); /* arm64 default */
	dmasim_topo_destroy(t);
	expect_fails("host_bridges: [ { name: hb0, iommu: mmu9 } ]\niommus: [ { name: mmu0, type: smmuv3 } ]\n"
		     "dmasim: 1\narch: arm64\n", 1, 37, "names iommu 'mmu9', which is not in 'iommus'");
}
END_TEST

/* With several errors the first one reported is the one the document
 * loader reported: key errors of a mapping, then its required keys, then
 * its values in a fixed order, whatever their order in the file. */
START_TEST(test_load_first_of_several_errors_is_stable)
{
	/* A missing root key beats an error inside an earlier value. */
	expect_fails("dmasim: 1\narch: x86_64\niommus: [ { name: m, type: vax } ]\n",
		     1, 1, "a topology needs the key 'host_bridges'");
	/* An unknown key after a bad value of the same mapping wins. */
	expect_fails("dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    segment: zz\n    sgement: 1\n",
		     6, 5, "unknown key 'sgement' in host bridge");
	/* A device's missing 'bdf' beats an error in its children. */
	expect_fails("dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    devices:\n"
		     "      - children: [ { bdf: 01:00.0, type: vax } ]\n        type: root-port\n",
		     6, 9, "a device needs the key 'bdf'");
	/* A device's 'type' is checked before its 'bdf'. */
	expect_fails("dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    devices:\n"
		     "      - { bdf: zz, type: vax }\n", 6, 26, "'vax' is not a valid device type");
	/* The length of [base, limit] is checked before its items. */
	expect_fails("dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    buses: [zz, 1, 2]\n",
		     5, 12, "buses is [first, last]; found 3 values");
	/* A syntax error anywhere beats any schema error. */
	expect_fails("dmasim: 2\narch: x86_64\nhost_bridges: [ { name: hb0 }\n", 4, 1,
		     "did not find expected ',' or ']'");
}
END_TEST

START_TEST(test_load_anchors_and_aliases_are_followed)
{
	static const char yaml[] =
		"dmasim: 1\n"
		"arch: x86_64\n"
		"host_bridges:\n"
		"  - name: hb0\n"
		"    windows: [ { kind: mem, cpu: 0xc0000000, size: 256M } ]\n"
		"    devices:\n"
		"      - bdf: 00:01.0\n"
		"        type: root-port\n"
		"        acs: &acs { cap: [sv, rr], ctrl: [sv] }\n"
		"      - bdf: 00:02.0\n"
		"        type: root-port\n"
		"        acs: *acs\n"
		"        children: [ &ep { bdf: 02:00.0, type: endpoint, name: *n } ]\n"
		"      - { bdf: 00:03.0, type: endpoint, name: &n ep0, dma_mask: &m 40 }\n";
	struct dmasim_topo *t;

	/* An alias to an anchor defined later is libyaml's error. */
	expect_fails(yaml, 13, 63, "found undefined alias");
	t = tu_load("dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    devices:\n"
		    "      - bdf: 00:01.0\n        type: root-port\n        acs: &acs { cap: [sv, rr], ctrl: [sv] }\n"
		    "        name: &n rp0\n"
		    "      - { bdf: 00:02.0, type: endpoint, acs: *acs }\n"
		    "      - { bdf: 00:03.0, type: endpoint, name: ep, dma_mask: &m 40 }\n"
		    "      - { bdf: 00:04.0, type: endpoint, dma_mask: *m }\n");
	ck_assert_uint_eq(tu_dev(t, "00:02.0")->acs_cap, DMASIM_ACS_SV | DMASIM_ACS_RR);
	ck_assert_uint_eq(tu_dev(t, "00:02.0")->acs_ctrl, DMASIM_ACS_SV);
	ck_assert_uint_eq(tu_dev(t, "00:04.0")->dma_mask_bits, 40);
	dmasim_topo_destroy(t);
	/* Errors inside an aliased node are reported where it was written. */
	expect_fails("dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    devices:\n"
		     "      - { bdf: 00:01.0, type: root-port, acs: &a { ctrl: [zz] } }\n"
		     "      - { bdf: 00:02.0, type: root-port, acs: *a }\n",
		     6, 59, "'zz' is not a valid ACS bit");
	expect_fails("dmasim: &x 1\narch: &x x86_64\nhost_bridges: []\n", 2, 7,
		     "second occurrence found duplicate anchor; first occurrence (line 1)");
	/* A node cannot contain an alias to itself. */
	expect_fails("dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    devices: &d\n"
		     "      - { bdf: 00:01.0, type: root-port, children: *d }\n",
		     6, 52, "alias '*d' refers to a node that contains it");
}
END_TEST

/* Aliases of aliases grow exponentially; the loader stops following them. */
START_TEST(test_load_alias_bomb_is_refused)
{
	char yaml[4096];
	size_t len;
	int i;

	len = (size_t)snprintf(yaml, sizeof(yaml),
			       "dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    devices:\n"
			       "      - &d0 { bdf: 00:00.0, type: endpoint }\n");
	for (i = 1; i <= 8; i++)
		len += (size_t)snprintf(yaml + len, sizeof(yaml) - len,
					"      - &d%d { bdf: 00:%02x.0, type: root-port, children: [*d%d, *d%d, *d%d, *d%d, *d%d, *d%d, *d%d, *d%d] }\n",
					i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	{
		struct dmasim_error err;

		tu_load_fails(yaml, &err);
		ck_assert_msg(strstr(err.msg, "aliases expand to more than"), "got %s", err.msg);
	}
}
END_TEST

START_TEST(test_load_one_document_only)
{
	expect_fails("dmasim: 1\narch: x86_64\nhost_bridges: [ { name: hb0 } ]\n---\nx: 1\n",
		     4, 1, "a second YAML document; expected exactly one");
	/* ...even when the first one has an error of its own. */
	expect_fails("dmasim: 1\narch: vax\nhost_bridges: [ { name: hb0 } ]\n---\nx: 1\n",
		     4, 1, "a second YAML document; expected exactly one");
	expect_fails("# nothing\n", 1, 1, "the file is empty; expected a mapping");
}
END_TEST

/* A suite's inline topology is read by the same parser, from a node of a
 * loaded document, with the same messages and positions. */
START_TEST(test_load_from_a_document_node)
{
	static const char doc[] =
		"topology:\n"
		"  dmasim: 1\n"
		"  arch: x86_64\n"
		"  host_bridges:\n"
		"    - name: hb0\n"
		"      windows: [ { kind: mem, cpu: 0xc0000000, size: 256M } ]\n"
		"      devices:\n"
		"        - { bdf: 00:01.0, type: root-port, name: rp, acs: &a { ctrl: [sv] } }\n"
		"        - { bdf: 00:02.0, type: endpoint, acs: *a }\n"
		"other: 1\n";
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	struct ydoc y;
	yaml_node_t *v[2];
	static const char *const keys[] = { "topology", "other", NULL };
	char *bad;

	dmasim_error_init(&err);
	ck_assert_int_eq(dmasim__ydoc_load_string(&y, doc, strlen(doc), "suite.yaml", &err), 0);
	ck_assert_int_eq(dmasim__ymap(&y, dmasim__ydoc_root(&y), "suite", keys, v), 0);
	ck_assert_int_eq(dmasim__topo_load_node(&y, v[0], "suite.yaml", &t), 0);
	ck_assert_uint_eq(dmasim_topo_machine(t)->ndevices, 2);
	ck_assert_uint_eq(tu_dev(t, "00:02.0")->acs_ctrl, DMASIM_ACS_SV);
	ck_assert_uint_eq(tu_dev(t, "rp")->pos.line, 8);
	dmasim_topo_destroy(t);
	dmasim__ydoc_fini(&y);

	bad = strdup(doc);
	memcpy(strstr(bad, "[sv]"), "[zz]", 4);
	ck_assert_int_eq(dmasim__ydoc_load_string(&y, bad, strlen(bad), "suite.yaml", &err), 0);
	ck_assert_int_eq(dmasim__ymap(&y, dmasim__ydoc_root(&y), "suite", keys, v), 0);
	t = NULL;
	ck_assert_int_ne(dmasim__topo_load_node(&y, v[0], "suite.yaml", &t), 0);
	ck_assert_ptr_null(t);
	ck_assert_uint_eq(err.line, 8);
	ck_assert_uint_eq(err.column, 71);
	ck_assert_ptr_nonnull(strstr(err.msg, "'zz' is not a valid ACS bit"));
	dmasim__ydoc_fini(&y);
	free(bad);
}
END_TEST

/* BAR width follows the bus address, as the BAR register holds it: behind
 * an arm64 window CPU 0x4_0000_0000 -> bus 0x0 a BAR at CPU 0x4_1000_0000
 * is a 32-bit BAR (bus 0x1000_0000). */
static const char offset_yaml[] =
	"dmasim: 1\n"
	"arch: arm64\n"
	"host_bridges:\n"
	"  - name: pcie0\n"
	"    windows:\n"
	"      - { kind: mem, cpu: 0x400000000, bus: 0x0, size: 1G }\n"
	"      - { kind: mem-pref, cpu: 0x8000000000, bus: 0x8000000000, size: 1G }\n"
	"    devices:\n"
	"      - bdf: 00:00.0\n"
	"        type: endpoint\n"
	"        name: ep\n"
	"        bars:\n"
	"          - { index: 0, base: 0x410000000, size: 1M }\n"
	"          - { index: 1, base: 0x420000000, size: 1M, bits: 32 }\n"
	"          - { index: 2, base: 0x8000000000, size: 1M, pref: true }\n";

START_TEST(test_load_bar_width_follows_bus_address)
{
	struct dmasim_topo *t = tu_load(offset_yaml);
	const struct dmasim_device *ep = tu_dev(t, "ep");
	struct dmasim_error err;
	char text[2048], buf[512];

	ck_assert_uint_eq(dmasim_device_find_bar(ep, 0)->bits, 32);
	ck_assert_uint_eq(dmasim_device_find_bar(ep, 0)->bus, 0x10000000);
	ck_assert_uint_eq(dmasim_device_find_bar(ep, 1)->bits, 32);
	ck_assert_uint_eq(dmasim_device_find_bar(ep, 2)->bits, 64);
	dmasim_topo_destroy(t);

	/* A 32-bit BAR whose bus address is above 4 GiB. */
	snprintf(text, sizeof(text), "%s", offset_yaml);
	memcpy(strstr(text, "pref: true }"), "bits: 32   }", 12);
	tu_load_fails(text, &err);
	dmasim_error_snprintf(buf, sizeof(buf), &err);
	ck_assert_msg(err.line == 15 && strstr(err.msg, "BAR 2 of ep is 32-bit but its bus address reaches above 4 GiB (0x80000fffff)"),
		      "got %s", buf);
	/* Implicitly 64-bit (bus above 4 GiB), so slot 3 is taken too. */
	snprintf(text, sizeof(text), "%s          - { index: 3, base: 0x430000000, size: 1M }\n",
		 offset_yaml);
	tu_load_fails(text, &err);
	dmasim_error_snprintf(buf, sizeof(buf), &err);
	ck_assert_msg(err.line == 15 && strstr(err.msg, "takes slot 3 too, which BAR 3 uses"),
		      "got %s", buf);
}
END_TEST

static Suite *load_suite(void)
{
	Suite *s = suite_create("load");
	TCase *tc = tcase_create("Formats");

	tcase_add_test(tc, test_load_numbers);
	tcase_add_test(tc, test_load_bdf);
	tcase_add_test(tc, test_load_minimal_topology_defaults);
	tcase_add_test(tc, test_load_bar_width_follows_bus_address);
	suite_add_tcase(s, tc);
	tc = tcase_create("Errors");
	tcase_add_test(tc, test_load_schema_errors);
	tcase_add_test(tc, test_load_bad_files_report_position_and_message);
	tcase_add_test(tc, test_load_keys_in_any_order);
	tcase_add_test(tc, test_load_first_of_several_errors_is_stable);
	tcase_add_test(tc, test_load_anchors_and_aliases_are_followed);
	tcase_add_test(tc, test_load_alias_bomb_is_refused);
	tcase_add_test(tc, test_load_one_document_only);
	tcase_add_test(tc, test_load_from_a_document_node);
	suite_add_tcase(s, tc);
	tc = tcase_create("Robustness");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_load_survives_truncation_at_every_byte);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(load_suite());
}
