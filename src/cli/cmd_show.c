/* dmasim show -- a topology as a tree (like lspci -tv, with windows). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/jw.h"

static const char help[] =
"NAME\n"
"    dmasim show - print a topology as a tree\n"
"\n"
"SYNOPSIS\n"
"    dmasim show [--json] [--policy NAME|FILE] FILE\n"
"\n"
"DESCRIPTION\n"
"    Prints the machine (arch, CPU, RAM, MSI region, IOMMUs), then each host\n"
"    bridge with its outbound windows (CPU and bus address, offset) and\n"
"    inbound dma_ranges, then its devices as a tree like 'lspci -tv'.  Each\n"
"    bridge shows its memory windows in bus addresses ('derived' when they\n"
"    were computed from the children); each device shows its BARs as CPU and\n"
"    bus address, its ACS control bits, and its IOMMU group and domain.\n"
"\n"
"OPTIONS\n"
"    --json      the same as one JSON document\n"
"    --policy P  derive 'ctrl: auto' ACS words (and the IOMMU groups) as\n"
"                policy P's kernel sets them (default linux-6.12); an auto\n"
"                word shows '(auto: firmware ..., kernel set ..., kernel\n"
"                cleared ...)'\n"
"    -h, --help  this text\n"
"\n"
"    A value the file marks 'inferred: [...]' (an importer guessed it, see\n"
"    docs/topology.md) is followed by '(inferred: KEY, ...)' on its line, and\n"
"    its object gets an \"inferred\" list in --json.\n"
"\n"
"EXIT STATUS\n"
"    0 shown; 2 the file is invalid (FILE:LINE:COLUMN: error: ...).\n";

static void print_range(const char *label, uint64_t lo, uint64_t hi)
{
	printf("%s[0x%llx-0x%llx]", label, (unsigned long long)lo,
	       (unsigned long long)hi);
}

/* " (inferred: buses, root_complex)" when @inf marks anything. */
static void print_inferred(const struct dmasim_inferred *inf)
{
	char buf[256];

	if (!inf->mask)
		return;
	dmasim_inferred_snprintf(buf, sizeof(buf), inf);
	printf(" (inferred: %s)", buf);
}

/* "inferred": [keys] when @inf marks anything. */
static void json_inferred(struct jw *w, const struct dmasim_inferred *inf)
{
	size_t i;

	if (!inf->mask)
		return;
	dmasim__jw_key(w, "inferred");
	dmasim__jw_arr_begin(w);
	for (i = 0; inf->keys[i] && i < 32; i++)
		if (inf->mask >> i & 1u)
			dmasim__jw_str(w, inf->keys[i]);
	dmasim__jw_arr_end(w);
}

static void show_device(const struct dmasim_device *d, const char *prefix,
			bool last)
{
	char acs[64], sub[256];
	size_t i;
	int k;

	printf("%s%s-%s %s", prefix, last ? "\\" : "+", d->bdf + 5,
	       dmasim_dev_type_name(d->type));
	if (strcmp(d->name, d->bdf) != 0)
		printf(" %s", CLI_TEXT(d->name));
	if (d->vendor != 0xffff || d->device_id != 0xffff)
		printf(" [%04x:%04x]", d->vendor, d->device_id);
	if (d->has_acs) {
		dmasim_acs_snprintf(acs, sizeof(acs), d->acs_ctrl);
		printf(" acs=%s", acs);
		if (d->has_acs_egress)
			printf(" egress=0x%x", d->acs_egress);
		if (d->acs_auto) {
			/* `ctrl: auto`: which bits the kernel's pci_enable_acs() set
			 * or cleared on top of the firmware word. */
			unsigned on = d->acs_ctrl & ~d->acs_fw, off = d->acs_fw & ~d->acs_ctrl;
			dmasim_acs_snprintf(acs, sizeof(acs), d->acs_fw);
			printf(" (auto: firmware %s", acs);
			if (on) {
				dmasim_acs_snprintf(acs, sizeof(acs), on);
				printf(", kernel set %s", acs);
			}
			if (off) {
				dmasim_acs_snprintf(acs, sizeof(acs), off);
				printf(", kernel cleared %s", acs);
			}
			printf(")");
		}
	}
	if (d->iommu_group != DMASIM_NO_GROUP)
		printf(" group=%u %s", d->iommu_group, dmasim_domain_type_name(d->domain));
	if (d->dma_mask_bits != 64)
		printf(" dma_mask=%u", d->dma_mask_bits);
	if (d->bus_dma_limit)
		printf(" bus_dma_limit=0x%llx", (unsigned long long)d->bus_dma_limit);
	print_inferred(&d->inferred);
	putchar('\n');
	snprintf(sub, sizeof(sub), "%s%s ", prefix, last ? " " : "|");
	if (dmasim_device_is_bridge(d)) {
		printf("%s    buses [%02x-%02x]", sub, d->secondary, d->subordinate);
		for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++) {
			if (!d->windows[k].present)
				continue;
			printf(" %s ", dmasim_win_kind_name((enum dmasim_win_kind)k));
			print_range("", d->windows[k].base, d->windows[k].limit);
			if (d->windows[k].derived)
				printf(" (derived)");
		}
		putchar('\n');
	}
	for (i = 0; i < d->nbars; i++) {
		const struct dmasim_bar *b = &d->bars[i];
		printf("%s    BAR %u ", sub, b->index);
		print_range("cpu ", b->cpu, b->cpu + b->size - 1);
		printf(" bus 0x%llx %u-bit%s%s", (unsigned long long)b->bus,
		       b->bits, b->pref ? " pref" : "", b->p2pmem ? " p2pmem" : "");
		print_inferred(&b->inferred);
		putchar('\n');
	}
	for (i = 0; i < d->nchildren; i++)
		show_device(d->children[i], sub, i + 1 == d->nchildren);
}

static void show_text(const struct dmasim_machine *m)
{
	size_t i, j;

	printf("%s (%s", CLI_TEXT(m->name[0] ? m->name : m->file), dmasim_arch_name(m->arch));
	if (m->has_cpu)
		printf(", cpu %s family 0x%x", dmasim_cpu_vendor_name(m->cpu_vendor),
		       m->cpu_family);
	printf(")");
	print_inferred(&m->inferred);
	putchar('\n');
	for (i = 0; i < m->nram; i++)
		print_range(i ? " " : "ram ", m->ram[i].base,
			    m->ram[i].base + m->ram[i].size - 1);
	if (m->nram)
		putchar('\n');
	print_range("msi ", m->msi.base, m->msi.base + m->msi.size - 1);
	putchar('\n');
	for (i = 0; i < m->niommus; i++) {
		const struct dmasim_iommu *u = &m->iommus[i];
		printf("iommu %s: %s, %u-bit IOVA, default domain %s", CLI_TEXT(u->name),
		       dmasim_iommu_type_name(u->type), u->address_bits,
		       dmasim_domain_type_name(u->default_domain));
		for (j = 0; j < u->nreserved; j++)
			print_range(j ? " " : ", reserved ", u->reserved[j].base,
				    u->reserved[j].base + u->reserved[j].size - 1);
		print_inferred(&u->inferred);
		putchar('\n');
	}
	for (i = 0; i < m->nhost_bridges; i++) {
		const struct dmasim_host_bridge *h = &m->host_bridges[i];
		printf("%s: segment %04x buses [%02x-%02x] iommu %s, root complex p2p %s",
		       CLI_TEXT(h->name), h->segment, h->bus_first, h->bus_last,
		       CLI_TEXT(h->iommu ? h->iommu->name : "none"), dmasim_rc_p2p_name(h->rc_p2p));
		print_inferred(&h->inferred);
		putchar('\n');
		for (j = 0; j < h->nwindows; j++) {
			const struct dmasim_hb_window *w = &h->windows[j];
			printf("  window %-8s ", dmasim_win_kind_name(w->kind));
			print_range("cpu ", w->cpu, w->cpu + w->size - 1);
			printf(" bus 0x%llx offset 0x%llx", (unsigned long long)w->bus,
			       (unsigned long long)dmasim_hb_window_offset(w));
			print_inferred(&w->inferred);
			putchar('\n');
		}
		for (j = 0; j < h->ndma_ranges; j++) {
			const struct dmasim_dma_range *r = &h->dma_ranges[j];
			printf("  dma range ");
			print_range("bus ", r->bus, r->bus + r->size - 1);
			printf(" -> cpu 0x%llx\n", (unsigned long long)r->cpu);
		}
		for (j = 0; j < h->ndevices; j++)
			show_device(h->devices[j], "  ", j + 1 == h->ndevices);
	}
}

static void json_range(struct jw *w, uint64_t base, uint64_t size)
{
	dmasim__jw_obj_begin(w);
	dmasim__jw_khex(w, "base", base);
	dmasim__jw_khex(w, "size", size);
	dmasim__jw_obj_end(w);
}

static void json_device(struct jw *w, const struct dmasim_device *d)
{
	char acs[64];
	size_t i;
	int k;

	dmasim__jw_obj_begin(w);
	dmasim__jw_kstr(w, "bdf", d->bdf);
	dmasim__jw_kstr(w, "name", d->name);
	dmasim__jw_kstr(w, "type", dmasim_dev_type_name(d->type));
	dmasim__jw_khex(w, "vendor", d->vendor);
	dmasim__jw_khex(w, "device", d->device_id);
	if (d->has_acs) {
		dmasim__jw_key(w, "acs");
		dmasim__jw_obj_begin(w);
		dmasim_acs_snprintf(acs, sizeof(acs), d->acs_cap);
		dmasim__jw_kstr(w, "cap", acs);
		dmasim_acs_snprintf(acs, sizeof(acs), d->acs_ctrl);
		dmasim__jw_kstr(w, "ctrl", acs);
		if (d->has_acs_egress)
			dmasim__jw_khex(w, "egress", d->acs_egress);
		if (d->acs_auto) {
			dmasim__jw_kstr(w, "ctrl_source", "auto");
			dmasim_acs_snprintf(acs, sizeof(acs), d->acs_fw);
			dmasim__jw_kstr(w, "firmware", acs);
			dmasim_acs_snprintf(acs, sizeof(acs), d->acs_ctrl & ~d->acs_fw);
			dmasim__jw_kstr(w, "kernel_set", acs);
			dmasim_acs_snprintf(acs, sizeof(acs), d->acs_fw & ~d->acs_ctrl);
			dmasim__jw_kstr(w, "kernel_cleared", acs);
		}
		dmasim__jw_obj_end(w);
	}
	dmasim__jw_kstr(w, "iommu_domain", dmasim_domain_type_name(d->domain));
	if (d->iommu_group != DMASIM_NO_GROUP)
		dmasim__jw_kint(w, "iommu_group", d->iommu_group);
	dmasim__jw_kint(w, "dma_mask", d->dma_mask_bits);
	dmasim__jw_khex(w, "bus_dma_limit", d->bus_dma_limit);
	if (dmasim_device_is_bridge(d)) {
		dmasim__jw_kint(w, "secondary", d->secondary);
		dmasim__jw_kint(w, "subordinate", d->subordinate);
		dmasim__jw_key(w, "windows");
		dmasim__jw_obj_begin(w);
		for (k = 0; k < DMASIM_WIN_KIND_COUNT; k++) {
			if (!d->windows[k].present)
				continue;
			dmasim__jw_key(w, dmasim_win_kind_name((enum dmasim_win_kind)k));
			dmasim__jw_obj_begin(w);
			dmasim__jw_khex(w, "base", d->windows[k].base);
			dmasim__jw_khex(w, "limit", d->windows[k].limit);
			dmasim__jw_kbool(w, "derived", d->windows[k].derived);
			dmasim__jw_obj_end(w);
		}
		dmasim__jw_obj_end(w);
	}
	dmasim__jw_key(w, "bars");
	dmasim__jw_arr_begin(w);
	for (i = 0; i < d->nbars; i++) {
		const struct dmasim_bar *b = &d->bars[i];
		dmasim__jw_obj_begin(w);
		dmasim__jw_kint(w, "index", b->index);
		dmasim__jw_khex(w, "cpu", b->cpu);
		dmasim__jw_khex(w, "bus", b->bus);
		dmasim__jw_khex(w, "size", b->size);
		dmasim__jw_kbool(w, "pref", b->pref);
		dmasim__jw_kint(w, "bits", b->bits);
		dmasim__jw_kbool(w, "p2pmem", b->p2pmem);
		json_inferred(w, &b->inferred);
		dmasim__jw_obj_end(w);
	}
	dmasim__jw_arr_end(w);
	json_inferred(w, &d->inferred);
	dmasim__jw_key(w, "children");
	dmasim__jw_arr_begin(w);
	for (i = 0; i < d->nchildren; i++)
		json_device(w, d->children[i]);
	dmasim__jw_arr_end(w);
	dmasim__jw_obj_end(w);
}

static void show_json(const struct dmasim_machine *m)
{
	struct jw w;
	size_t i, j;

	cli_json_begin(&w, true, "show");
	dmasim__jw_kstr(&w, "name", m->name);
	dmasim__jw_kstr(&w, "arch", dmasim_arch_name(m->arch));
	json_inferred(&w, &m->inferred);
	if (m->has_cpu) {
		dmasim__jw_key(&w, "cpu");
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kstr(&w, "vendor", dmasim_cpu_vendor_name(m->cpu_vendor));
		dmasim__jw_kint(&w, "family", m->cpu_family);
		dmasim__jw_obj_end(&w);
	}
	dmasim__jw_key(&w, "ram");
	dmasim__jw_arr_begin(&w);
	for (i = 0; i < m->nram; i++)
		json_range(&w, m->ram[i].base, m->ram[i].size);
	dmasim__jw_arr_end(&w);
	dmasim__jw_key(&w, "msi");
	json_range(&w, m->msi.base, m->msi.size);
	dmasim__jw_key(&w, "iommus");
	dmasim__jw_arr_begin(&w);
	for (i = 0; i < m->niommus; i++) {
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kstr(&w, "name", m->iommus[i].name);
		dmasim__jw_kstr(&w, "type", dmasim_iommu_type_name(m->iommus[i].type));
		dmasim__jw_kint(&w, "address_bits", m->iommus[i].address_bits);
		dmasim__jw_kstr(&w, "default_domain",
			dmasim_domain_type_name(m->iommus[i].default_domain));
		json_inferred(&w, &m->iommus[i].inferred);
		dmasim__jw_obj_end(&w);
	}
	dmasim__jw_arr_end(&w);
	dmasim__jw_key(&w, "host_bridges");
	dmasim__jw_arr_begin(&w);
	for (i = 0; i < m->nhost_bridges; i++) {
		const struct dmasim_host_bridge *h = &m->host_bridges[i];
		dmasim__jw_obj_begin(&w);
		dmasim__jw_kstr(&w, "name", h->name);
		dmasim__jw_kint(&w, "segment", h->segment);
		dmasim__jw_kint(&w, "bus_first", h->bus_first);
		dmasim__jw_kint(&w, "bus_last", h->bus_last);
		dmasim__jw_kstr(&w, "iommu", h->iommu ? h->iommu->name : NULL);
		dmasim__jw_kstr(&w, "rc_p2p", dmasim_rc_p2p_name(h->rc_p2p));
		json_inferred(&w, &h->inferred);
		dmasim__jw_key(&w, "windows");
		dmasim__jw_arr_begin(&w);
		for (j = 0; j < h->nwindows; j++) {
			dmasim__jw_obj_begin(&w);
			dmasim__jw_kstr(&w, "kind", dmasim_win_kind_name(h->windows[j].kind));
			dmasim__jw_khex(&w, "cpu", h->windows[j].cpu);
			dmasim__jw_khex(&w, "bus", h->windows[j].bus);
			dmasim__jw_khex(&w, "size", h->windows[j].size);
			json_inferred(&w, &h->windows[j].inferred);
			dmasim__jw_obj_end(&w);
		}
		dmasim__jw_arr_end(&w);
		dmasim__jw_key(&w, "dma_ranges");
		dmasim__jw_arr_begin(&w);
		for (j = 0; j < h->ndma_ranges; j++) {
			dmasim__jw_obj_begin(&w);
			dmasim__jw_khex(&w, "bus", h->dma_ranges[j].bus);
			dmasim__jw_khex(&w, "cpu", h->dma_ranges[j].cpu);
			dmasim__jw_khex(&w, "size", h->dma_ranges[j].size);
			dmasim__jw_obj_end(&w);
		}
		dmasim__jw_arr_end(&w);
		dmasim__jw_key(&w, "devices");
		dmasim__jw_arr_begin(&w);
		for (j = 0; j < h->ndevices; j++)
			json_device(&w, h->devices[j]);
		dmasim__jw_arr_end(&w);
		dmasim__jw_obj_end(&w);
	}
	dmasim__jw_arr_end(&w);
	dmasim__jw_obj_end(&w);
	dmasim__jw_end(&w);
}

int cmd_show(const struct cli_ctx *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "policy", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dmasim_policy policy;
	const char *policy_arg = NULL;
	struct dmasim_topo *t;
	bool json = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'p':
			if ((rc = cli_opt_once("show", "policy", &policy_arg, optarg)))
				return rc;
			break;
		case 'h':
			return cli_help(help);
		default:
			return cli_bad_option("show", argv);
		}
	}
	if (optind + 1 != argc)
		return cli_usage("show", "expected exactly one FILE");
	if ((rc = cli_load_policy(cli, policy_arg, &policy)))
		return rc;
	if ((rc = cli_load_topo(cli, argv[optind], &t)))
		return rc;
	if ((rc = cli_apply_policy(t, &policy))) {
		dmasim_topo_destroy(t);
		return rc;
	}
	if (json)
		show_json(dmasim_topo_machine(t));
	else
		show_text(dmasim_topo_machine(t));
	dmasim_topo_destroy(t);
	return CLI_OK;
}
