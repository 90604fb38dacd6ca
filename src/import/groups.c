/*
 * dmasim -- the kernel's IOMMU groups (sysfs iommu_group links) against
 * the groups dmasim computes for the imported machine (pci_device_group(),
 * drivers/iommu/iommu.c, as the model implements it): every difference as
 * one line of a report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/dmasim.h"
#include "import/imp_int.h"

struct gm {
	int dev;          /* index in im->dev */
	int kg;           /* kernel group or IMP_NONE */
	unsigned dg;      /* dmasim group or DMASIM_NO_GROUP */
};

static int cmp_kg(const void *a, const void *b)
{
	const struct gm *x = a, *y = b;

	if (x->kg != y->kg)
		return x->kg < y->kg ? -1 : 1;
	return x->dev < y->dev ? -1 : x->dev > y->dev;
}

static int cmp_dg(const void *a, const void *b)
{
	const struct gm *x = a, *y = b;

	if (x->dg != y->dg)
		return x->dg < y->dg ? -1 : 1;
	return x->dev < y->dev ? -1 : x->dev > y->dev;
}

static const char *bdf_of(const struct imp *im, int i, char *buf)
{
	const struct imp_dev *d = &im->dev[i];

	snprintf(buf, 16, "%04x:%02x:%02x.%x", d->seg, d->bus, d->devfn >> 3, d->devfn & 7);
	return buf;
}

/* The members of v[a..z): "A (dmasim group 3), B (4)" style, at most 8. */
static void members(struct sb *o, const struct imp *im, const struct gm *v, size_t a,
		    size_t z, bool by_kernel)
{
	char b[16];
	size_t i;

	for (i = a; i < z && i < a + 8; i++) {
		dmasim__sb_printf(o, "%s%s", i > a ? ", " : "", bdf_of(im, v[i].dev, b));
		if (by_kernel)
			dmasim__sb_printf(o, " (kernel group %d)", v[i].kg);
		else
			dmasim__sb_printf(o, " (dmasim group %u)", v[i].dg);
	}
	if (z - a > 8)
		dmasim__sb_printf(o, " and %zu more", z - a - 8);
}

int dmasim__imp_compare_groups(struct imp *im, const char *yaml, size_t len)
{
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	struct sb o = { 0 };
	struct gm *v;
	size_t i, n = 0, j, diffs = 0;
	char b[16];
	bool any = false;

	for (i = 0; i < im->ndev; i++)
		any |= im->dev[i].iommu_group != IMP_NONE;
	*im->opts.groups_report = NULL;
	if (im->opts.groups_differences)
		*im->opts.groups_differences = 0;
	if (!any)
		return DMASIM_OK;   /* no IOMMU groups in the input: nothing to compare */
	dmasim_error_init(&err);
	if (dmasim_topo_load_string_limited(yaml, len, "imported.yaml", im->opts.limits, &t,
					    &err) != DMASIM_OK)
		return DMASIM_OK;   /* the caller reports that the YAML does not load */
	if (!(v = malloc((im->ndev + 1) * sizeof(*v)))) {
		dmasim_topo_destroy(t);
		return dmasim_error_set(im->err, DMASIM_ENOMEM, im->file, 0, 0, "out of memory");
	}
	for (i = 0; i < im->ndev; i++) {
		const struct dmasim_device *d = dmasim_topo_find_device(t, bdf_of(im, (int)i, b));
		unsigned dg = d ? d->iommu_group : DMASIM_NO_GROUP;
		int kg = im->dev[i].iommu_group;

		if (kg == IMP_NONE && dg == DMASIM_NO_GROUP)
			continue;
		if (kg == IMP_NONE || dg == DMASIM_NO_GROUP) {
			diffs++;
			if (kg == IMP_NONE)
				dmasim__sb_printf(&o, "%s: dmasim puts it in IOMMU group %u; the kernel shows no iommu_group for it (no driver bound, or no IOMMU translates for it)\n",
						  b, dg);
			else
				dmasim__sb_printf(&o, "%s: the kernel puts it in iommu_group %d; dmasim gives it no IOMMU group\n",
						  b, kg);
			continue;
		}
		v[n++] = (struct gm){ (int)i, kg, dg };
	}
	/* One kernel group, several dmasim groups: dmasim splits it. */
	qsort(v, n, sizeof(*v), cmp_kg);
	for (i = 0; i < n; i = j) {
		bool split = false;
		for (j = i + 1; j < n && v[j].kg == v[i].kg; j++)
			split |= v[j].dg != v[i].dg;
		if (!split)
			continue;
		diffs++;
		dmasim__sb_printf(&o, "kernel iommu_group %d is split by dmasim: ", v[i].kg);
		members(&o, im, v, i, j, false);
		dmasim__sb_putc(&o, '\n');
	}
	/* One dmasim group, several kernel groups: dmasim merges them. */
	qsort(v, n, sizeof(*v), cmp_dg);
	for (i = 0; i < n; i = j) {
		bool merged = false;
		for (j = i + 1; j < n && v[j].dg == v[i].dg; j++)
			merged |= v[j].kg != v[i].kg;
		if (!merged)
			continue;
		diffs++;
		dmasim__sb_printf(&o, "dmasim IOMMU group %u holds functions the kernel keeps apart: ", v[i].dg);
		members(&o, im, v, i, j, true);
		dmasim__sb_putc(&o, '\n');
	}
	free(v);
	dmasim_topo_destroy(t);
	if (o.oom) {
		free(o.s);
		return dmasim_error_set(im->err, DMASIM_ENOMEM, im->file, 0, 0, "out of memory");
	}
	if (!o.s && !(o.s = calloc(1, 1)))
		return dmasim_error_set(im->err, DMASIM_ENOMEM, im->file, 0, 0, "out of memory");
	*im->opts.groups_report = o.s;
	if (im->opts.groups_differences)
		*im->opts.groups_differences = diffs;
	return DMASIM_OK;
}
