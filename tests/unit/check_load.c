/* dmasim tests -- the YAML loader: formats, errors and robustness. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	expect_edit_fails("arch: x86_64", "arhc: x86_64", 2, 1, "unknown key 'arhc' in the topology; did you mean 'arch'?");
	expect_edit_fails("type: root-port", "tpye: root-port", 9, 9, "did you mean 'type'?");
	expect_edit_fails("            name: ep", "            nmae: ep", 14, 13, "did you mean 'name'?");
	/* Nothing close: no suggestion (issue 18 item 2). */
	expect_edit_fails("arch: x86_64", "arch: x86_64\nzzzzzz: 1", 3, 1, "unknown key 'zzzzzz' in the topology; expected one of");
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
/* Issue 15 D15: libyaml's reader gives only a byte offset for bad UTF-8;
 * the error names its line and column (characters), from a string and
 * from a file alike. */
START_TEST(test_load_bad_utf8_is_reported_where_it_is)
{
	static const char text[] = "dmasim: 1\narch: x86_64\nname: \"\xc3\xa9\xc3\xa9\xff\"\n"
				   "host_bridges: [ { name: hb0 } ]\n";
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	char path[] = "/tmp/dmasim-utf8-XXXXXX";
	int fd;

	tu_load_fails(text, &err);
	ck_assert_msg(err.line == 3 && err.column == 10, "got %u:%u %s", err.line,
		      err.column, err.msg);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, sizeof(text) - 1), (int)(sizeof(text) - 1));
	close(fd);
	dmasim_error_init(&err);
	ck_assert_int_ne(dmasim__topo_load_file_how(path, DMASIM__YAML_LIBYAML, NULL, &t,
						    &err, NULL), DMASIM_OK);
	ck_assert_msg(err.line == 3 && err.column == 10, "file: got %u:%u %s", err.line,
		      err.column, err.msg);
	dmasim_error_init(&err);
	ck_assert_int_ne(dmasim_topo_load_file(path, &t, &err), DMASIM_OK);
	ck_assert_msg(err.line == 3 && err.column == 10, "auto: got %u:%u %s", err.line,
		      err.column, err.msg);
	unlink(path);
}
END_TEST

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
	ck_assert_int_eq(dmasim__ydoc_load_string(&y, doc, strlen(doc), "suite.yaml", NULL, &err), 0);
	ck_assert_int_eq(dmasim__ymap(&y, dmasim__ydoc_root(&y), "suite", keys, v), 0);
	ck_assert_int_eq(dmasim__topo_load_node(&y, v[0], "suite.yaml", &t), 0);
	ck_assert_uint_eq(dmasim_topo_machine(t)->ndevices, 2);
	ck_assert_uint_eq(tu_dev(t, "00:02.0")->acs_ctrl, DMASIM_ACS_SV);
	ck_assert_uint_eq(tu_dev(t, "rp")->pos.line, 8);
	dmasim_topo_destroy(t);
	dmasim__ydoc_fini(&y);

	bad = strdup(doc);
	memcpy(strstr(bad, "[sv]"), "[zz]", 4);
	ck_assert_int_eq(dmasim__ydoc_load_string(&y, bad, strlen(bad), "suite.yaml", NULL, &err), 0);
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

/* ---- the fast scanner against libyaml (src/load/yfast.c) ------------- */

/* The events of a stream, with their text. */
struct evlog {
	struct yval *ev;
	size_t *off;
	size_t n, cap;
	char *text;
	size_t ntext, cap_text;
};

static void evlog_add(struct evlog *l, const struct yval *ev)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->ev = realloc(l->ev, l->cap * sizeof(*l->ev));
		l->off = realloc(l->off, l->cap * sizeof(*l->off));
		ck_assert(l->ev && l->off);
	}
	while (l->cap_text - l->ntext < ev->len + 1) {
		l->cap_text = l->cap_text ? 2 * l->cap_text : 4096;
		l->text = realloc(l->text, l->cap_text);
		ck_assert_ptr_nonnull(l->text);
	}
	l->ev[l->n] = *ev;
	l->off[l->n] = l->ntext;
	if (ev->s)
		memcpy(l->text + l->ntext, ev->s, ev->len);
	l->text[l->ntext + ev->len] = '\0';
	l->ntext += ev->len + 1;
	l->n++;
}

static void evlog_free(struct evlog *l)
{
	free(l->ev);
	free(l->off);
	free(l->text);
	memset(l, 0, sizeof(*l));
}

/* Read every event of @text with the fast scanner or libyaml; the status
 * of the whole stream (its close included). */
static int read_events(const char *text, size_t len, bool fast, struct evlog *l)
{
	struct dmasim_error err;
	struct ystream *s;
	struct yval ev;
	int rc;

	dmasim_error_init(&err);
	l->n = l->ntext = 0;
	rc = fast ? dmasim__ystream_open_fast_string(&s, text, len, "m.yaml", NULL, &err)
		  : dmasim__ystream_open_string(&s, text, len, "m.yaml", NULL, &err);
	if (rc)
		return rc;
	for (;;) {
		if ((rc = dmasim__ystream_next(s, &ev)) || ev.kind == YK_NONE)
			break;
		evlog_add(l, &ev);
	}
	return dmasim__ystream_close(s, rc);
}

/* Every field of the model, as text (pointers as indexes). */
static char *dump_topo(const struct dmasim_topo *t)
{
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	char *buf = NULL;
	size_t size = 0, i, j;
	FILE *f = open_memstream(&buf, &size);

#define POS(p) (p).line, (p).column
	ck_assert_ptr_nonnull(f);
	fprintf(f, "machine '%s' file '%s' arch %d cpu %d/%u/%d depth %u groups %u msi %llx+%llx\n",
		m->name ? m->name : "(null)", m->file ? m->file : "(null)", m->arch,
		m->cpu_vendor, m->cpu_family, m->has_cpu, m->max_depth, m->niommu_groups,
		(unsigned long long)m->msi.base, (unsigned long long)m->msi.size);
	for (i = 0; i < m->nram; i++)
		fprintf(f, "ram %llx+%llx\n", (unsigned long long)m->ram[i].base,
			(unsigned long long)m->ram[i].size);
	for (i = 0; i < m->niommus; i++) {
		const struct dmasim_iommu *u = &m->iommus[i];

		fprintf(f, "iommu %u '%s' %d bits %u dom %d at %u:%u\n", u->id, u->name,
			u->type, u->address_bits, u->default_domain, POS(u->pos));
		for (j = 0; j < u->nreserved; j++)
			fprintf(f, " resv %llx+%llx\n", (unsigned long long)u->reserved[j].base,
				(unsigned long long)u->reserved[j].size);
	}
	for (i = 0; i < m->nhost_bridges; i++) {
		const struct dmasim_host_bridge *h = &m->host_bridges[i];

		fprintf(f, "hb %u '%s' seg %u buses %u-%u iommu %d rc %d dr %d at %u:%u\n",
			h->id, h->name, h->segment, h->bus_first, h->bus_last,
			h->iommu ? (int)h->iommu->id : -1, h->rc_p2p, h->has_dma_ranges,
			POS(h->pos));
		for (j = 0; j < h->nwindows; j++)
			fprintf(f, " win %d %llx %llx %llx at %u:%u\n", h->windows[j].kind,
				(unsigned long long)h->windows[j].cpu,
				(unsigned long long)h->windows[j].bus,
				(unsigned long long)h->windows[j].size, POS(h->windows[j].pos));
		for (j = 0; j < h->ndma_ranges; j++)
			fprintf(f, " dr %llx %llx %llx at %u:%u\n",
				(unsigned long long)h->dma_ranges[j].bus,
				(unsigned long long)h->dma_ranges[j].cpu,
				(unsigned long long)h->dma_ranges[j].size,
				POS(h->dma_ranges[j].pos));
		for (j = 0; j < h->ndevices; j++)
			fprintf(f, " dev %u\n", h->devices[j]->id);
	}
	for (i = 0; i < m->ndevices; i++) {
		const struct dmasim_device *d = &m->devices[i];

		fprintf(f, "dev %u '%s' %s %u/%u/%u type %d %x:%x acs %d %x %x %x %d"
			" sec %u sub %u mask %u lim %llx dom %d grp %u hb %u parent %d"
			" depth %u end %u at %u:%u\n",
			d->id, d->name ? d->name : "(null)", d->bdf, d->segment, d->bus,
			d->devfn, d->type, d->vendor, d->device_id, d->has_acs, d->acs_cap,
			d->acs_ctrl, d->acs_egress, d->has_acs_egress, d->secondary,
			d->subordinate, d->dma_mask_bits,
			(unsigned long long)d->bus_dma_limit, d->domain, d->iommu_group,
			d->hb->id, d->parent ? (int)d->parent->id : -1, d->depth,
			d->subtree_end, POS(d->pos));
		for (j = 0; j < DMASIM_WIN_KIND_COUNT; j++)
			fprintf(f, " win %d %d %llx-%llx at %u:%u\n", d->windows[j].present,
				d->windows[j].derived,
				(unsigned long long)d->windows[j].base,
				(unsigned long long)d->windows[j].limit, POS(d->windows[j].pos));
		for (j = 0; j < d->nbars; j++)
			fprintf(f, " bar %u %llx %llx %llx pref %d bits %u p2p %d at %u:%u\n",
				d->bars[j].index, (unsigned long long)d->bars[j].cpu,
				(unsigned long long)d->bars[j].bus,
				(unsigned long long)d->bars[j].size, d->bars[j].pref,
				d->bars[j].bits, d->bars[j].p2pmem, POS(d->bars[j].pos));
		for (j = 0; j < d->nchildren; j++)
			fprintf(f, " child %u\n", d->children[j]->id);
	}
#undef POS
	fclose(f);
	return buf;
}

struct diffstats {
	unsigned texts, fast_events, fast_loads, loads_ok;
};

/*
 * The fast scanner and libyaml agree on @text: when the fast stream reads
 * it all, libyaml's gives the same events (kinds, text, marks, ends too);
 * and the default load (fast, then libyaml) gives what libyaml's alone
 * does: the same error at the same position, or the same model.
 */
static void check_same(const char *text, size_t len, const char *what,
		       struct diffstats *st, struct evlog *a, struct evlog *b)
{
	struct dmasim_topo *t1 = NULL, *t2 = NULL;
	struct dmasim_error e1, e2;
	int rc1, rc2;
	bool fast;
	size_t i;

	st->texts++;
	if (read_events(text, len, true, a) == DMASIM_OK) {
		st->fast_events++;
		ck_assert_msg(read_events(text, len, false, b) == DMASIM_OK,
			      "%s: the fast scanner read it all, libyaml fails", what);
		ck_assert_msg(a->n == b->n, "%s: %zu fast events, %zu from libyaml", what,
			      a->n, b->n);
		for (i = 0; i < a->n; i++) {
			const struct yval *x = &a->ev[i], *y = &b->ev[i];

			ck_assert_msg(x->kind == y->kind && x->len == y->len &&
				      memcmp(a->text + a->off[i], b->text + b->off[i], x->len) == 0 &&
				      x->pos.line == y->pos.line && x->pos.column == y->pos.column,
				      "%s: event %zu: fast %d '%s' at %u:%u, libyaml %d '%s' at %u:%u",
				      what, i, x->kind, a->text + a->off[i], x->pos.line,
				      x->pos.column, y->kind, b->text + b->off[i], y->pos.line,
				      y->pos.column);
		}
	}
	dmasim_error_init(&e1);
	dmasim_error_init(&e2);
	rc1 = dmasim__topo_load_string_how(text, len, "m.yaml", DMASIM__YAML_AUTO, NULL, &t1, &e1, &fast);
	rc2 = dmasim__topo_load_string_how(text, len, "m.yaml", DMASIM__YAML_LIBYAML, NULL, &t2, &e2, NULL);
	st->fast_loads += fast;
	ck_assert_msg(rc1 == rc2, "%s: status %d (fast %d), libyaml's %d: %s", what, rc1,
		      fast, rc2, rc1 ? e1.msg : e2.msg);
	if (rc1) {
		ck_assert_msg(e1.code == e2.code && e1.line == e2.line &&
			      e1.column == e2.column && e1.ctx_line == e2.ctx_line &&
			      e1.ctx_column == e2.ctx_column && strcmp(e1.file, e2.file) == 0 &&
			      strcmp(e1.msg, e2.msg) == 0 && strcmp(e1.ctx, e2.ctx) == 0,
			      "%s: error %u:%u %s, libyaml's %u:%u %s", what, e1.line,
			      e1.column, e1.msg, e2.line, e2.column, e2.msg);
		ck_assert(!fast);
	} else {
		char *d1 = dump_topo(t1), *d2 = dump_topo(t2);

		st->loads_ok++;
		ck_assert_msg(strcmp(d1, d2) == 0, "%s: the models differ", what);
		free(d1);
		free(d2);
	}
	dmasim_topo_destroy(t1);
	dmasim_topo_destroy(t2);
}

/* Every *.yaml under @dir (recursively), appended to *paths. */
static void find_yaml(const char *dir, char ***paths, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	ck_assert_msg(d != NULL, "no %s", dir);
	while ((e = readdir(d)) != NULL) {
		char path[2048];
		struct stat st;
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			find_yaml(path, paths, n);
		} else if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0) {
			*paths = realloc(*paths, (*n + 1) * sizeof(**paths));
			ck_assert_ptr_nonnull(*paths);
			(*paths)[(*n)++] = strdup(path);
		}
	}
	closedir(d);
}

static size_t corpus(char ***paths)
{
	size_t n = 0;

	*paths = NULL;
	find_yaml(DMASIM_TOPOLOGIES, paths, &n);
	find_yaml(DMASIM_TEST_DATA, paths, &n);
	return n;
}

static void free_corpus(char **paths, size_t n)
{
	while (n)
		free(paths[--n]);
	free(paths);
}

/* Small documents at the edges of the subset (ends of blocks at the end of
 * the text, sequences at their mapping's indentation, flow nesting). */
static const char *const edge_docs[] = {
	"a: 1",
	"a: 1\n",
	"a:\n  b:\n    c: 1\n  ",
	"a:\n  b:\n    c: 1\n      ",
	"a:\n  b:\n    c: 1\n# end",
	"a:\n- x\n- y\nb:\n- - z\n",
	"a:\n- x\n- y\nb: 2\n",
	"a:\n- x\n-\n  k: v\n  l:\n  - m\n",
	"- a\n- b: c\n  d: [e, {f: g}]\n-   h: i\n",
	"--- # start\n{ a: [b, c], d: { e: f } }  # end\n\n",
	"[a, b, [c, d], {e: 0c:05.0}]",
	"  a: 1\n  b: 2\n",
	"a: 'x y'\nb: \"z: w\"\n'c': d\n",
	"a: b c  \nd: -1\ne: x:y\nf: a-b#c\n",
	"key: value\n  more: x\n",
	"a:\n  - b\n  -c\n",
	"a: &x 1\nb: *x\n",
	"a: |\n  text\n",
	"a: 1\n---\nb: 2\n",
	"a: 1\n...\n",
	"{a: 1, b: 2,}",
	"[a, b, ]",
	"{a: 1}: b",
	"a: [b, c]d",
	"a: 'it''s'\n",
	"a: \"x\\ty\"\n",
	"a:\tb\n",
	"a: b\r\n",
	"{ \"a\": 1, 'b c': [x, 'y'], \"d\": {e: \"f\"} }\n",
	"- \"x\": 1\n  'y': 2\n- 'z'\n",
	"a: - b\n",
	"a: -b\n- -1\n",
	"-\n  - x\n  -\n    - y\n",
	"a: [b, c] # x\nd: 'e'#f\n",
	"a:   # comment\n  b: 1\n    # deeper comment\n  c: 2\n# last",
	"? a\n: b\n",
	"a: b\n  # indented comment\nc: d\n",
	"a:\n\n  \n  b: 1\n\n",
	"a: {b: [c, {d: e}], f: g}\nh:\n- [i, j]\n- {k: l}\n",
	"a: b:c\nd: 'e: f'\n",
	NULL
};

/* splitmix64: a seeded sequence for the mutations. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A random line start of buf[0, len). */
static size_t line_start(const char *buf, size_t len, uint64_t *s)
{
	size_t i = len ? rnd(s) % len : 0;

	while (i > 0 && buf[i - 1] != '\n')
		i--;
	return i;
}

/* 1 to 3 edits of @src: bytes replaced, inserted or deleted, a cut,
 * indentation changed, lines repeated or removed. */
static char *mutate(const char *src, size_t len, uint64_t *s, size_t *out)
{
	static const char alpha[] = " \n:-#,[]{}'\"&*!|>%@`?\t\r.0aZ_\\x\0\xc3";
	size_t cap = 2 * len + 64, n = len, k, edits = 1 + rnd(s) % 3;
	char *b = malloc(cap);

	ck_assert_ptr_nonnull(b);
	memcpy(b, src, len);
	for (k = 0; k < edits; k++) {
		size_t at = n ? rnd(s) % n : 0, ls, le, m;
		char c = alpha[rnd(s) % (sizeof(alpha) - 1)];

		switch (rnd(s) % 8) {
		case 0: /* replace a byte */
			if (n)
				b[at] = c;
			break;
		case 1: /* insert a byte */
			if (n + 1 >= cap)
				break;
			memmove(b + at + 1, b + at, n - at);
			b[at] = c;
			n++;
			break;
		case 2: /* delete a byte */
			if (n) {
				memmove(b + at, b + at + 1, n - at - 1);
				n--;
			}
			break;
		case 3: /* cut */
			n = at;
			break;
		case 4: /* indent a line more */
			ls = line_start(b, n, s);
			m = 1 + rnd(s) % 2;
			if (n + m >= cap)
				break;
			memmove(b + ls + m, b + ls, n - ls);
			memset(b + ls, ' ', m);
			n += m;
			break;
		case 5: /* indent a line less */
			ls = line_start(b, n, s);
			for (m = 0; m < 2 && ls + m < n && b[ls + m] == ' '; m++)
				;
			memmove(b + ls, b + ls + m, n - ls - m);
			n -= m;
			break;
		case 6: /* repeat a line */
			ls = line_start(b, n, s);
			for (le = ls; le < n && b[le] != '\n'; le++)
				;
			if (le < n)
				le++;
			if (n + (le - ls) >= cap)
				break;
			memmove(b + le + (le - ls), b + le, n - le);
			memcpy(b + le, b + ls, le - ls);
			n += le - ls;
			break;
		default: /* remove a line */
			ls = line_start(b, n, s);
			for (le = ls; le < n && b[le] != '\n'; le++)
				;
			if (le < n)
				le++;
			memmove(b + ls, b + le, n - le);
			n -= le - ls;
			break;
		}
	}
	*out = n;
	return b;
}

/* The files themselves: each loads the same with both, and every valid
 * topology among them takes the fast path (nothing in them is outside the
 * subset). */
START_TEST(test_load_fast_scanner_agrees_on_every_file)
{
	struct diffstats st = { 0, 0, 0, 0 };
	struct evlog a = { 0 }, b = { 0 };
	char **paths, what[2100];
	size_t n = corpus(&paths), i, len;

	ck_assert_uint_gt(n, 50);
	for (i = 0; i < n; i++) {
		char *text = tu_read_file(paths[i], &len);
		struct dmasim_topo *t1 = NULL, *t2 = NULL;
		struct dmasim_error e1, e2;
		int rc1, rc2;
		bool fast;

		snprintf(what, sizeof(what), "%s", paths[i]);
		check_same(text, len, what, &st, &a, &b);
		/* The same through a file (read through the scanner's window). */
		dmasim_error_init(&e1);
		dmasim_error_init(&e2);
		rc1 = dmasim__topo_load_file_how(paths[i], DMASIM__YAML_AUTO, NULL, &t1, &e1, &fast);
		rc2 = dmasim__topo_load_file_how(paths[i], DMASIM__YAML_LIBYAML, NULL, &t2, &e2, NULL);
		ck_assert_msg(rc1 == rc2 && e1.line == e2.line && e1.column == e2.column &&
			      strcmp(e1.msg, e2.msg) == 0, "%s: file load %d %s, libyaml's %d %s",
			      what, rc1, e1.msg, rc2, e2.msg);
		if (rc1 == DMASIM_OK) {
			char *d1 = dump_topo(t1), *d2 = dump_topo(t2);

			ck_assert_msg(strcmp(d1, d2) == 0, "%s: file models differ", what);
			ck_assert_msg(fast || strstr(paths[i], "/data/load/") == NULL,
				      "%s: a valid file of tests/data/load not read by the fast path",
				      what);
			free(d1);
			free(d2);
		}
		dmasim_topo_destroy(t1);
		dmasim_topo_destroy(t2);
		free(text);
	}
	for (i = 0; edge_docs[i]; i++)
		check_same(edge_docs[i], strlen(edge_docs[i]), edge_docs[i], &st, &a, &b);
	/* Most valid files take the fast path. */
	ck_assert_msg(st.fast_loads * 2 > st.loads_ok, "%u of %u valid loads were fast",
		      st.fast_loads, st.loads_ok);
	evlog_free(&a);
	evlog_free(&b);
	free_corpus(paths, n);
}
END_TEST

/* Thousands of seeded random edits of those files and documents
 * (DMASIM_TEST_MUTATIONS=N per file, DMASIM_TEST_SEED=S for longer runs). */
START_TEST(test_load_fast_scanner_agrees_on_mutations)
{
	struct diffstats st = { 0, 0, 0, 0 };
	struct evlog a = { 0 }, b = { 0 };
	char **paths, what[2200];
	size_t n = corpus(&paths), i, k, len, mlen;
	const char *env = getenv("DMASIM_TEST_MUTATIONS"), *senv = getenv("DMASIM_TEST_SEED");
	unsigned per = env ? (unsigned)atoi(env) : 100;
	uint64_t base = senv ? strtoull(senv, NULL, 0) << 48 : 0;

	for (i = 0; ; i++) {
		char *text = i < n ? tu_read_file(paths[i], &len) : NULL;
		const char *src = text;

		if (i >= n) {
			if (!edge_docs[i - n])
				break;
			src = edge_docs[i - n];
			len = strlen(src);
		}
		for (k = 0; k < per; k++) {
			uint64_t seed = base | (uint64_t)i << 32 | k;
			char *m = mutate(src, len, &seed, &mlen);

			snprintf(what, sizeof(what), "%s, mutation %zu",
				 i < n ? paths[i] : "an edge document", k);
			check_same(m, mlen, what, &st, &a, &b);
			free(m);
		}
		free(text);
	}
	fprintf(stderr, "fast scanner: %u mutated texts, %u read to the end by it, "
		"%u loads: %u fast\n", st.texts, st.fast_events, st.loads_ok, st.fast_loads);
	ck_assert_uint_gt(st.texts, 10000);
	/* The comparisons mean something: many mutations stay in the subset,
	 * and many of those still load. */
	ck_assert_uint_gt(st.fast_events, st.texts / 10);
	ck_assert_uint_gt(st.fast_loads, 2 * st.loads_ok / 3);
	evlog_free(&a);
	evlog_free(&b);
	free_corpus(paths, n);
}
END_TEST

/* A file larger than the scanner's window (long comments), with a line
 * longer than it (1 MB of RAM ranges):
 * read through refills and a grown window, it loads as libyaml reads it. */
START_TEST(test_load_fast_scanner_reads_large_files)
{
	char path[] = "/tmp/dmasim-check-load-XXXXXX";
	struct dmasim_limits lim = { .windows = 1u << 16 }; /* 30000 RAM ranges */
	struct dmasim_topo *t1 = NULL, *t2 = NULL;
	struct dmasim_error e1, e2;
	char *buf = NULL, *d1, *d2;
	size_t size = 0, i;
	bool fast;
	FILE *f = open_memstream(&buf, &size);
	int fd;

	ck_assert_ptr_nonnull(f);
	fprintf(f, "dmasim: 1\narch: x86_64\nram: [");
	for (i = 0; i < 30000; i++)   /* one line of ~1 MB */
		fprintf(f, "%s{ base: 0x%llx, size: 4K }", i ? ", " : "",
			(unsigned long long)i << 20);
	fprintf(f, "]\nhost_bridges:\n  - name: hb0\n    windows:\n"
		"      - { kind: mem-pref, cpu: 0x10000000000, size: 64G }\n    devices:\n");
	for (i = 0; i < 256; i++)
		fprintf(f, "      - bdf: 00:%02zx.%zu\n        type: endpoint\n"
			"        # %0*d\n"
			"        bars:\n          - { index: 0, base: 0x%llx, size: 1M, pref: true }\n",
			i / 8, i % 8, (int)(i * 37 % 4000), 0, 0x10000000000ull + ((unsigned long long)i << 20));
	fclose(f);
	ck_assert_uint_gt(size, 1u << 20);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, size), (ssize_t)size);
	close(fd);
	dmasim_error_init(&e1);
	dmasim_error_init(&e2);
	ck_assert_int_eq(dmasim__topo_load_file_how(path, DMASIM__YAML_FAST, &lim, &t1, &e1, &fast), 0);
	ck_assert(fast);
	ck_assert_int_eq(dmasim__topo_load_file_how(path, DMASIM__YAML_LIBYAML, &lim, &t2, &e2, NULL), 0);
	d1 = dump_topo(t1);
	d2 = dump_topo(t2);
	ck_assert_str_eq(d1, d2);
	ck_assert_uint_eq(dmasim_topo_machine(t1)->ndevices, 256);
	free(d1);
	free(d2);
	dmasim_topo_destroy(t1);
	dmasim_topo_destroy(t2);
	unlink(path);
	free(buf);
}
END_TEST

/* At the scanner's limits: keys about as long as libyaml's simple keys may
 * be (1024 characters), nesting about as deep as its stack (256). */
START_TEST(test_load_fast_scanner_agrees_at_its_limits)
{
	struct diffstats st = { 0, 0, 0, 0 };
	struct evlog a = { 0 }, b = { 0 };
	size_t n, i, len;
	char *buf = malloc(1 << 16);

	ck_assert_ptr_nonnull(buf);
	for (n = 990; n <= 1030; n += 5) {
		for (i = 0; i < 2; i++) {
			len = (size_t)snprintf(buf, 64, i ? "{ " : "");
			memset(buf + len, 'k', n);
			len += n;
			len += (size_t)snprintf(buf + len, 64, i ? ": v }\n" : ": v\nb: c\n");
			check_same(buf, len, "a long key", &st, &a, &b);
		}
	}
	for (n = 250; n <= 260; n++) {
		/* flow: [[[...]]]; block: a:\n b:\n  c: ... */
		for (i = 0; i < n; i++)
			buf[i] = '[';
		for (i = 0; i < n; i++)
			buf[n + i] = ']';
		check_same(buf, 2 * n, "deep flow", &st, &a, &b);
		for (len = 0, i = 0; i < n; i++) {
			memset(buf + len, ' ', i);
			len += i;
			len += (size_t)snprintf(buf + len, 64, "k%zu:\n", i);
		}
		memset(buf + len, ' ', n);
		len += n;
		len += (size_t)snprintf(buf + len, 64, "leaf: 1\n");
		check_same(buf, len, "deep block", &st, &a, &b);
	}
	ck_assert_uint_gt(st.fast_events, 10);
	free(buf);
	evlog_free(&a);
	evlog_free(&b);
}
END_TEST

/* Outside the subset the fast path gives up and libyaml decides: an
 * anchor, a block scalar, an error the scanner would not see. */
START_TEST(test_load_fast_scanner_gives_up_outside_its_subset)
{
	static const char *const outside[] = {
		"dmasim: &v 1\narch: x86_64\nhost_bridges: [ { name: hb0 } ]\n",
		"dmasim: 1\narch: x86_64\nname: |\n  text\nhost_bridges: [ { name: hb0 } ]\n",
		"dmasim: 1\narch: x86_64\nhost_bridges: [ { name: \"h\\x62\" } ]\n",
		"dmasim: 1\narch: x86_64\nhost_bridges:\n\t- { name: hb0 }\n",
		"dmasim: 1\r\narch: x86_64\r\nhost_bridges: [ { name: hb0 } ]\r\n",
		"dmasim: 1\narch: x86_64\nhost_bridges: [ { name: hb0 } ]\n---\n",
		NULL
	};
	size_t i;

	dmasim_topo_destroy(tu_load("dmasim: 1\narch: x86_64\nhost_bridges: [ { name: hb0 } ]\n"));
	for (i = 0; outside[i]; i++) {
		struct dmasim_topo *t = NULL;
		struct dmasim_error err;
		bool fast = true;

		dmasim_error_init(&err);
		ck_assert_int_eq(dmasim__topo_load_string_how(outside[i], strlen(outside[i]), "o.yaml",
							      DMASIM__YAML_FAST, NULL, &t, &err, &fast),
				 DMASIM_ESYNTAX);
		ck_assert_str_eq(err.msg, "outside the fast YAML subset");
		ck_assert(!fast);
		ck_assert_ptr_null(t);
	}
}
END_TEST

/* `inferred: [key, ...]` (docs/topology.md): the keys an importer guessed,
 * kept in the model for show and the verdicts; unknown, repeated, absent
 * or self-naming keys are errors at the item. */
static const char inferred_yaml[] =
	"dmasim: 1\n"
	"arch: x86_64\n"
	"inferred: [arch]\n"
	"iommus:\n"
	"  - { name: u0, type: intel-vtd, address_bits: 48, inferred: [address_bits] }\n"
	"host_bridges:\n"
	"  - name: hb0\n"
	"    root_complex: { p2p: any }\n"
	"    inferred: [root_complex]\n"
	"    windows:\n"
	"      - { kind: mem, cpu: 0xc0000000, size: 256M, inferred: [cpu, size] }\n"
	"    devices:\n"
	"      - bdf: 00:01.0\n"
	"        type: root-port\n"
	"        inferred: [type]\n"
	"        children:\n"
	"          - bdf: 01:00.0\n"
	"            type: endpoint\n"
	"            name: ep\n"
	"            bars: [ { index: 0, base: 0xc0000000, size: 1M, inferred: [size] } ]\n";

START_TEST(test_load_inferred_keys)
{
	struct dmasim_topo *t = tu_load(inferred_yaml);
	const struct dmasim_machine *m = dmasim_topo_machine(t);
	const struct dmasim_host_bridge *h = &m->host_bridges[0];
	const struct dmasim_device *ep = tu_dev(t, "ep");
	char buf[64];

	ck_assert(dmasim_inferred_has(&m->inferred, "arch"));
	ck_assert(!dmasim_inferred_has(&m->inferred, "ram"));
	ck_assert(dmasim_inferred_has(&m->iommus[0].inferred, "address_bits"));
	ck_assert(dmasim_inferred_has(&h->inferred, "root_complex"));
	ck_assert(!dmasim_inferred_has(&h->inferred, "windows"));
	dmasim_inferred_snprintf(buf, sizeof(buf), &h->windows[0].inferred);
	ck_assert_str_eq(buf, "cpu, size");
	ck_assert(dmasim_inferred_has(&tu_dev(t, "00:01.0")->inferred, "type"));
	ck_assert_uint_eq(ep->inferred.mask, 0);
	dmasim_inferred_snprintf(buf, sizeof(buf), &ep->inferred);
	ck_assert_str_eq(buf, "");
	ck_assert(dmasim_inferred_has(&ep->bars[0].inferred, "size"));
	dmasim_topo_destroy(t);

	expect_edit_fails("    devices:", "    inferred: [root_complx]\n    devices:", 7, 16,
			  "unknown key 'root_complx' in the inferred list (host bridge); did you mean 'root_complex'?");
	expect_edit_fails("type: root-port", "type: root-port\n        inferred: [type, tpye]", 10, 26,
			  "did you mean 'type'?");
	expect_edit_fails("type: root-port", "type: root-port\n        inferred: [bars]", 10, 20,
			  "inferred marks 'bars', which this device does not give");
	expect_edit_fails("arch: x86_64", "arch: x86_64\ninferred: [arch, arch]", 3, 18,
			  "'arch' is listed twice in inferred (first at line 3)");
	expect_edit_fails("size: 1M }", "size: 1M, inferred: [inferred] }", 15, 72,
			  "it cannot list itself");
	expect_edit_fails("size: 256M }", "size: 256M, inferred: size }", 6, 61,
			  "expected a list for inferred");
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
	tcase_add_test(tc, test_load_inferred_keys);
	suite_add_tcase(s, tc);
	tc = tcase_create("Errors");
	tcase_add_test(tc, test_load_schema_errors);
	tcase_add_test(tc, test_load_bad_files_report_position_and_message);
	tcase_add_test(tc, test_load_keys_in_any_order);
	tcase_add_test(tc, test_load_bad_utf8_is_reported_where_it_is);
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
	tc = tcase_create("FastScanner");
	tcase_set_timeout(tc, 280);
	tcase_add_test(tc, test_load_fast_scanner_gives_up_outside_its_subset);
	tcase_add_test(tc, test_load_fast_scanner_reads_large_files);
	tcase_add_test(tc, test_load_fast_scanner_agrees_on_every_file);
	tcase_add_test(tc, test_load_fast_scanner_agrees_at_its_limits);
	tcase_add_test(tc, test_load_fast_scanner_agrees_on_mutations);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(load_suite());
}
