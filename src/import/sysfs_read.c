/*
 * dmasim -- read a sysfs tree: ROOT/sys/bus/pci/devices/SSSS:BB:DD.F/
 * {config, resource, iommu_group}, plus ROOT/proc/iomem (host-bridge
 * windows, System RAM), ROOT/proc/cpuinfo (architecture, CPU vendor and
 * family) and ROOT/sys/kernel/iommu_groups/N/type when readable.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmasim/import.h"
#include "import/imp_int.h"

static void join(char *buf, size_t n, const char *a, const char *b, const char *c)
{
	snprintf(buf, n, "%s%s%s%s%s", a, (a[0] && a[strlen(a) - 1] == '/') ? "" : "/",
		 b, c ? "/" : "", c ? c : "");
}

/* The whole of a small file (NUL-terminated, caller frees), or NULL. */
static char *slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	if (!(buf = malloc(max + 1))) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, max, f);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static int read_function(struct imp *im, const char *dir, const char *name)
{
	unsigned seg, bus, dev, fn;
	char path[1024], *txt, *line, *save = NULL;
	struct imp_dev *d;
	FILE *f;
	size_t n;
	int i, rc;
	ssize_t k;

	if (sscanf(name, "%x:%x:%x.%x", &seg, &bus, &dev, &fn) != 4 ||
	    seg > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
		return DMASIM_OK;   /* not a function */
	if ((rc = dmasim__imp_new_dev(im, (uint16_t)seg, (uint8_t)bus,
				      (uint8_t)(dev << 3 | fn), 0, &d)))
		return rc;
	join(path, sizeof(path), dir, name, "config");
	if (!(f = fopen(path, "rb")))
		return dmasim_error_set(im->err, DMASIM_EIO, path, 0, 0,
					"cannot read the configuration space");
	n = fread(d->cfg, 1, IMP_CFG_MAX, f);
	fclose(f);
	if (n < 64)
		return dmasim_error_set(im->err, DMASIM_EIO, path, 0, 0,
			"only %zu bytes of configuration space; at least the 64-byte header is needed", n);
	d->len = (unsigned)n;
	join(path, sizeof(path), dir, name, "resource");
	if ((txt = slurp(path, 8192, NULL))) {
		d->has_res = true;
		for (i = 0, line = strtok_r(txt, "\n", &save); line && i < 6;
		     i++, line = strtok_r(NULL, "\n", &save)) {
			unsigned long long s, e, fl;
			if (sscanf(line, "%llx %llx %llx", &s, &e, &fl) != 3) {
				d->has_res = false;
				break;
			}
			d->res_start[i] = s;
			d->res_end[i] = e;
		}
		free(txt);
	}
	join(path, sizeof(path), dir, name, "iommu_group");
	{
		char link[512];
		if ((k = readlink(path, link, sizeof(link) - 1)) > 0) {
			const char *base;
			link[k] = '\0';
			base = strrchr(link, '/');
			d->iommu_group = atoi(base ? base + 1 : link);
		}
	}
	return DMASIM_OK;
}

static void read_cpuinfo(struct imp *im, const char *root)
{
	char path[1024], *txt, *line, *save = NULL;
	bool arch_known = false;

	join(path, sizeof(path), root, "proc/cpuinfo", NULL);
	if (!(txt = slurp(path, 1 << 20, NULL)))
		return;
	for (line = strtok_r(txt, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *v = strchr(line, ':');
		if (!v)
			continue;
		v++;
		while (*v == ' ')
			v++;
		if (strncmp(line, "vendor_id", 9) == 0 && !im->has_cpu) {
			arch_known = true;
			im->has_cpu = true;
			im->cpu_vendor = strcmp(v, "GenuineIntel") == 0 ? DMASIM_CPU_INTEL
				: strcmp(v, "AuthenticAMD") == 0 || strcmp(v, "HygonGenuine") == 0
				? DMASIM_CPU_AMD : DMASIM_CPU_OTHER;
			if (!im->opts.has_arch)
				im->arch = DMASIM_ARCH_X86_64;
		} else if (strncmp(line, "cpu family", 10) == 0) {
			im->cpu_family = (unsigned)strtoul(v, NULL, 10);
		} else if (strncmp(line, "CPU implementer", 15) == 0 && !arch_known) {
			arch_known = true;
			if (!im->opts.has_arch)
				im->arch = DMASIM_ARCH_ARM64;
			im->has_cpu = true;
			im->cpu_vendor = DMASIM_CPU_ARM;
		} else if (strncmp(line, "cpu", 3) == 0 &&
			   (line[3] == ' ' || line[3] == '\t') &&
			   strncmp(v, "POWER", 5) == 0 && !arch_known) {
			arch_known = true;
			if (!im->opts.has_arch)
				im->arch = DMASIM_ARCH_PPC64;
			im->has_cpu = true;
			im->cpu_vendor = DMASIM_CPU_IBM;
		} else if (strncmp(line, "isa", 3) == 0 && strncmp(v, "rv64", 4) == 0 &&
			   !arch_known) {
			arch_known = true;
			if (!im->opts.has_arch)
				im->arch = DMASIM_ARCH_RISCV64;
		}
	}
	free(txt);
	if (arch_known && !im->opts.has_arch)
		im->arch_inferred = false;
}

/* An IOMMU when sysfs put devices in groups: its type from
 * /sys/class/iommu, else from the architecture and CPU vendor. */
static void read_iommu(struct imp *im, const char *root)
{
	char path[1024], *txt;
	struct dirent *e;
	int group = IMP_NONE;
	size_t i;
	DIR *dir;

	for (i = 0; i < im->ndev; i++)
		if (im->dev[i].iommu_group != IMP_NONE) {
			group = im->dev[i].iommu_group;
			break;
		}
	if (group == IMP_NONE)
		return;
	switch (im->arch) {
	case DMASIM_ARCH_X86_64:
		im->iommu_type = im->has_cpu && im->cpu_vendor == DMASIM_CPU_AMD
			? DMASIM_IOMMU_AMD_VI : DMASIM_IOMMU_INTEL_VTD;
		break;
	case DMASIM_ARCH_ARM64:
		im->iommu_type = DMASIM_IOMMU_SMMUV3;
		break;
	case DMASIM_ARCH_PPC64:
		im->iommu_type = DMASIM_IOMMU_PPC_TCE;
		break;
	default:
		im->iommu_type = DMASIM_IOMMU_SMMUV3;
		break;
	}
	join(path, sizeof(path), root, "sys/class/iommu", NULL);
	if ((dir = opendir(path))) {
		while ((e = readdir(dir))) {
			if (strncmp(e->d_name, "dmar", 4) == 0)
				im->iommu_type = DMASIM_IOMMU_INTEL_VTD;
			else if (strncmp(e->d_name, "ivhd", 4) == 0)
				im->iommu_type = DMASIM_IOMMU_AMD_VI;
			else if (strstr(e->d_name, "smmu"))
				im->iommu_type = DMASIM_IOMMU_SMMUV3;
		}
		closedir(dir);
	}
	im->iommu_domain = DMASIM_DOMAIN_DMA;
	snprintf(path, sizeof(path), "%s%ssys/kernel/iommu_groups/%d/type", root,
		 root[strlen(root) - 1] == '/' ? "" : "/", group);
	if ((txt = slurp(path, 64, NULL))) {
		if (strncmp(txt, "identity", 8) == 0)
			im->iommu_domain = DMASIM_DOMAIN_IDENTITY;
		else if (strncmp(txt, "blocked", 7) == 0)
			im->iommu_domain = DMASIM_DOMAIN_BLOCKED;
		free(txt);
	}
}

int dmasim_import_sysfs(const char *root, const struct dmasim_import_opts *opts,
			char **yaml, size_t *yaml_len, struct dmasim_error *err)
{
	char dirpath[1024], path[1024], *iomem;
	struct dirent *e;
	struct imp im;
	size_t len;
	DIR *dir;
	int rc = DMASIM_OK;

	if (!yaml || !yaml_len)
		return dmasim_error_set(err, DMASIM_EINVAL, root, 0, 0, "no output given");
	if (!root || !root[0])
		root = "/";
	join(dirpath, sizeof(dirpath), root, "sys/bus/pci/devices", NULL);
	dmasim__imp_init(&im, dirpath, opts, err, "sysfs");
	if (!(dir = opendir(dirpath)))
		return dmasim_error_set(err, DMASIM_EIO, dirpath, 0, 0,
					"cannot read this directory (is ROOT a sysfs snapshot?)");
	while (rc == DMASIM_OK && (e = readdir(dir)))
		if (e->d_name[0] != '.')
			rc = read_function(&im, dirpath, e->d_name);
	closedir(dir);
	if (rc == DMASIM_OK && im.ndev == 0)
		rc = dmasim_error_set(err, DMASIM_EIO, dirpath, 0, 0,
				      "no PCI function in this directory");
	if (rc == DMASIM_OK) {
		read_cpuinfo(&im, root);
		if (im.opts.iomem) {
			rc = dmasim__imp_iomem_parse(&im, im.opts.iomem, im.opts.iomem_len,
					     im.opts.iomem_name ? im.opts.iomem_name : "<iomem>");
		} else {
			join(path, sizeof(path), root, "proc/iomem", NULL);
			if ((iomem = slurp(path, 1 << 20, &len))) {
				rc = dmasim__imp_iomem_parse(&im, iomem, len, path);
				free(iomem);
			}
		}
	}
	if (rc == DMASIM_OK) {
		read_iommu(&im, root);
		rc = dmasim__imp_finish(&im, yaml, yaml_len);
	}
	dmasim__imp_fini(&im);
	return rc;
}
