/*
 * dmasim -- a policy as a policy file (YAML) or as JSON, every field
 * spelled out, so that loading the text back gives the same struct
 * (`dmasim policy show`).  For a built-in row each value carries a comment
 * saying where in the kernel it comes from (src/policy/notes.c).
 */
#include <stdio.h>
#include <string.h>

#include "model/names.h"
#include "policy/policy_int.h"

static const char *device_text(const struct dmasim_wl_entry *e, char *buf,
			       size_t size)
{
	if (e->device == -1)
		return "any";
	snprintf(buf, size, "0x%04x", (unsigned)e->device);
	return buf;
}

static void yaml_note(FILE *f, const char *key, int row)
{
	const char *n = row >= 0 ? dmasim__policy_note(key, (unsigned)row) : NULL;

	if (n)
		fprintf(f, "  # %s\n", n);
}

static void yaml_note2(FILE *f, const char *key, int row)
{
	const char *n = row >= 0 ? dmasim__policy_note(key, (unsigned)row) : NULL;

	if (n)
		fprintf(f, "    # %s\n", n);
}

static void list_bits(FILE *f, unsigned bits, bool json)
{
	const char *sep = "";
	unsigned b;

	fputc('[', f);
	for (b = 0; b < 7; b++)
		if (bits & (1u << b)) {
			fprintf(f, json ? "%s\"%s\"" : "%s%s", sep,
				dmasim__acs_bit_names[b]);
			sep = ", ";
		}
	fputc(']', f);
}

static void list_iommus(FILE *f, const struct dmasim_policy *p, bool json)
{
	const char *sep = "";
	unsigned t;

	fputc('[', f);
	for (t = 0; t < DMASIM_IOMMU_TYPE_COUNT; t++)
		if (p->iommu_has_map_resource[t]) {
			fprintf(f, json ? "%s\"%s\"" : "%s%s", sep,
				dmasim__iommu_type_names[t]);
			sep = ", ";
		}
	fputc(']', f);
}

static void write_yaml(FILE *f, const struct dmasim_policy *p, int row)
{
	char buf[16];
	size_t i;

	/* A file that keeps a row's name must be that row (src/policy/policy.c
	 * check_builtin_name()), so an edit starts with a new name. */
	if (row >= 0)
		fprintf(f, "# The built-in policy %s as a policy file.  To edit it, first\n"
			   "# rename it (name: below): a policy named %s must be this\n"
			   "# built-in exactly.  Pass the file with --policy FILE; each comment\n"
			   "# says where the value comes from.\n",
			p->name, p->name);
	fprintf(f, "dmasim: 1\npolicy:\n  name: %s\n  base: %s\n", p->name, p->base);
	yaml_note(f, "upstream", row);
	fprintf(f, "  upstream: %s\n", dmasim__upstream_names[p->upstream]);
	yaml_note(f, "decision", row);
	fprintf(f, "  decision: %s\n", dmasim__decision_names[p->decision]);
	yaml_note(f, "root_device", row);
	fprintf(f, "  root_device: %s\n", dmasim__root_dev_rule_names[p->root_dev]);
	fputs("  whitelist:\n", f);
	yaml_note2(f, "whitelist_match", row);
	fprintf(f, "    match: %s\n", dmasim__wl_match_names[p->whitelist_match]);
	yaml_note2(f, "whitelist_warning", row);
	fprintf(f, "    warning: %s\n", p->whitelist_warning ? "true" : "false");
	fputs("    mode: replace\n", f);
	yaml_note2(f, "whitelist", row);
	fprintf(f, "    entries:%s\n", p->nwhitelist ? "" : " []");
	for (i = 0; i < p->nwhitelist; i++)
		fprintf(f, "      - { vendor: 0x%04x, device: %s, same_host_bridge: %s }\n",
			p->whitelist[i].vendor,
			device_text(&p->whitelist[i], buf, sizeof(buf)),
			p->whitelist[i].same_host_bridge_only ? "true" : "false");
	yaml_note(f, "cpu_rules", row);
	fprintf(f, "  cpu_rules:%s\n", p->ncpu_rules ? "" : " []");
	for (i = 0; i < p->ncpu_rules; i++)
		fprintf(f, "    - { vendor: %s, min_family: 0x%x, arch: %s }\n",
			dmasim__cpu_vendor_names[p->cpu_rules[i].vendor],
			p->cpu_rules[i].min_family,
			dmasim__arch_names[p->cpu_rules[i].arch]);
	yaml_note(f, "acs_redirect_bits", row);
	fputs("  acs_redirect_bits: ", f);
	list_bits(f, p->acs_redirect_bits, false);
	fputc('\n', f);
	yaml_note(f, "acs_list_size", row);
	fprintf(f, "  acs_list_size: %u\n", p->acs_list_size);
	yaml_note(f, "bus_offset", row);
	fprintf(f, "  bus_offset: %s\n", dmasim__bus_offset_names[p->bus_offset_minus]);
	fputs("  map_resource:\n", f);
	yaml_note2(f, "map_resource_ram", row);
	fprintf(f, "    ram: %s\n", dmasim__ram_rule_names[p->map_resource_ram]);
	yaml_note2(f, "missing_map_resource", row);
	fprintf(f, "    missing_op: %s\n", dmasim__missing_op_names[p->missing_op_returns_phys]);
	yaml_note2(f, "iommu_map_resource", row);
	fputs("    iommu_ops: ", f);
	list_iommus(f, p, false);
	fputs("\n  iova:\n", f);
	yaml_note2(f, "iova_retry_from_top", row);
	fprintf(f, "    retry_from_top: %s\n", p->iova_retry_from_top ? "true" : "false");
	yaml_note2(f, "iova_pci32", row);
	fprintf(f, "    pci32: %s\n", dmasim__iova_pci32_names[p->iova_pci32]);
	fputs("  acs:\n", f);
	yaml_note2(f, "acs_cmdline", row);
	fprintf(f, "    cmdline: %s\n", dmasim__acs_cmdline_names[p->acs_cmdline]);
	yaml_note2(f, "acs_dt_request", row);
	fprintf(f, "    dt_request: %s\n", dmasim__acs_dt_request_names[p->acs_dt_request]);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void write_json(FILE *f, const struct dmasim_policy *p, int row)
{
	static const char *const keys[] = {
		"upstream", "decision", "root_device", "whitelist_match",
		"whitelist_warning", "whitelist", "cpu_rules", "acs_redirect_bits",
		"acs_list_size", "bus_offset", "map_resource_ram",
		"missing_map_resource", "iommu_map_resource", "iova_retry_from_top",
		"iova_pci32", "acs_cmdline", "acs_dt_request",
	};
	const char *sep = "";
	char buf[16];
	size_t i;

	fputs("{\n  \"format\": 1,\n  \"command\": \"policy\",\n  \"name\": ", f);
	json_str(f, p->name);
	fputs(",\n  \"base\": ", f);
	json_str(f, p->base);
	fprintf(f, ",\n  \"builtin\": %s,\n  \"policy\": {\n", row >= 0 ? "true" : "false");
	fprintf(f, "    \"upstream\": \"%s\",\n", dmasim__upstream_names[p->upstream]);
	fprintf(f, "    \"decision\": \"%s\",\n", dmasim__decision_names[p->decision]);
	fprintf(f, "    \"root_device\": \"%s\",\n", dmasim__root_dev_rule_names[p->root_dev]);
	fprintf(f, "    \"whitelist\": {\"match\": \"%s\", \"warning\": %s, \"entries\": [",
		dmasim__wl_match_names[p->whitelist_match],
		p->whitelist_warning ? "true" : "false");
	for (i = 0; i < p->nwhitelist; i++)
		fprintf(f, "%s\n      {\"vendor\": \"0x%04x\", \"device\": \"%s\", \"same_host_bridge\": %s}",
			i ? "," : "", p->whitelist[i].vendor,
			device_text(&p->whitelist[i], buf, sizeof(buf)),
			p->whitelist[i].same_host_bridge_only ? "true" : "false");
	fputs(p->nwhitelist ? "\n    ]},\n" : "]},\n", f);
	fputs("    \"cpu_rules\": [", f);
	for (i = 0; i < p->ncpu_rules; i++)
		fprintf(f, "%s{\"vendor\": \"%s\", \"min_family\": %u, \"arch\": \"%s\"}",
			i ? ", " : "", dmasim__cpu_vendor_names[p->cpu_rules[i].vendor],
			p->cpu_rules[i].min_family,
			dmasim__arch_names[p->cpu_rules[i].arch]);
	fputs("],\n    \"acs_redirect_bits\": ", f);
	list_bits(f, p->acs_redirect_bits, true);
	fprintf(f, ",\n    \"acs_list_size\": %u,\n", p->acs_list_size);
	fprintf(f, "    \"bus_offset\": \"%s\",\n", dmasim__bus_offset_names[p->bus_offset_minus]);
	fprintf(f, "    \"map_resource\": {\"ram\": \"%s\", \"missing_op\": \"%s\", \"iommu_ops\": ",
		dmasim__ram_rule_names[p->map_resource_ram],
		dmasim__missing_op_names[p->missing_op_returns_phys]);
	list_iommus(f, p, true);
	fprintf(f, "},\n    \"iova\": {\"retry_from_top\": %s, \"pci32\": \"%s\"},\n",
		p->iova_retry_from_top ? "true" : "false",
		dmasim__iova_pci32_names[p->iova_pci32]);
	fprintf(f, "    \"acs\": {\"cmdline\": \"%s\", \"dt_request\": \"%s\"}\n  },\n  \"sources\": {",
		dmasim__acs_cmdline_names[p->acs_cmdline],
		dmasim__acs_dt_request_names[p->acs_dt_request]);
	for (i = 0; row >= 0 && i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *n = dmasim__policy_note(keys[i], (unsigned)row);
		if (!n)
			continue;
		fprintf(f, "%s\n    \"%s\": ", sep, keys[i]);
		json_str(f, n);
		sep = ",";
	}
	fputs(*sep ? "\n  }\n}\n" : "}\n}\n", f);
}

/* Field by field (the structs' padding and the bytes after the names'
 * NULs are not compared). */
static bool same_policy(const struct dmasim_policy *a, const struct dmasim_policy *b)
{
	size_t i;

	if (strcmp(a->name, b->name) || strcmp(a->base, b->base) ||
	    a->upstream != b->upstream || a->decision != b->decision ||
	    a->root_dev != b->root_dev || a->whitelist_match != b->whitelist_match ||
	    a->whitelist_warning != b->whitelist_warning ||
	    a->nwhitelist != b->nwhitelist || a->ncpu_rules != b->ncpu_rules ||
	    a->acs_redirect_bits != b->acs_redirect_bits ||
	    a->bus_offset_minus != b->bus_offset_minus ||
	    a->map_resource_ram != b->map_resource_ram ||
	    a->missing_op_returns_phys != b->missing_op_returns_phys ||
	    a->messages_420 != b->messages_420 ||
	    a->acs_list_size != b->acs_list_size ||
	    a->iova_retry_from_top != b->iova_retry_from_top ||
	    a->iova_pci32 != b->iova_pci32 || a->acs_cmdline != b->acs_cmdline ||
	    a->acs_dt_request != b->acs_dt_request)
		return false;
	for (i = 0; i < DMASIM_IOMMU_TYPE_COUNT; i++)
		if (a->iommu_has_map_resource[i] != b->iommu_has_map_resource[i])
			return false;
	for (i = 0; i < a->nwhitelist; i++)
		if (a->whitelist[i].vendor != b->whitelist[i].vendor ||
		    a->whitelist[i].device != b->whitelist[i].device ||
		    a->whitelist[i].same_host_bridge_only != b->whitelist[i].same_host_bridge_only)
			return false;
	for (i = 0; i < a->ncpu_rules; i++)
		if (a->cpu_rules[i].arch != b->cpu_rules[i].arch ||
		    a->cpu_rules[i].vendor != b->cpu_rules[i].vendor ||
		    a->cpu_rules[i].min_family != b->cpu_rules[i].min_family)
			return false;
	return true;
}

void dmasim__policy_write(FILE *f, const struct dmasim_policy *p, bool json)
{
	const char *const *names = dmasim_policy_builtin_names();
	const struct dmasim_policy *b = dmasim_policy_builtin(p->name);
	int row = -1, i;

	/* Notes only for a row itself (not a file that kept its name). */
	for (i = 0; b && names[i]; i++)
		if (strcmp(names[i], b->name) == 0 && same_policy(b, p))
			row = i;
	if (json)
		write_json(f, p, row);
	else
		write_yaml(f, p, row);
}
