/*
 * dmasim -- read a sysfs tree: ROOT/sys/bus/pci/devices/SSSS:BB:DD.F/
 * {config, resource, iommu_group}, plus ROOT/proc/iomem (host-bridge
 * windows, System RAM), ROOT/proc/cpuinfo (architecture, CPU vendor and
 * family) and ROOT/sys/kernel/iommu_groups/N/type when readable.
 *
 * Only regular files are read: a FIFO, a device, a socket or a symbolic
 * link where a file belongs is an error, never opened in a way that could
 * block or read a device (open with O_NONBLOCK | O_NOFOLLOW, then fstat).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dmasim/import.h"
#include "import/imp_int.h"
#include "util/input.h"

static void join(char *buf, size_t n, const char *a, const char *b, const char *c)
{
	snprintf(buf, n, "%s%s%s%s%s", a, (a[0] && a[strlen(a) - 1] == '/') ? "" : "/",
		 b, c ? "/" : "", c ? c : "");
}

static const char *file_kind(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
		: S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket"
		: S_ISDIR(m) ? "a directory" : S_ISLNK(m) ? "a symbolic link"
		: "not a regular file";
}

/* Open the regular file @path for reading: *@fd = -1 when it is absent
 * or unreadable (ENOENT, EACCES, ...); an error when it is there but is
 * not a regular file. */
static int open_regular(struct imp *im, const char *path, int *fd)
{
	struct stat st;

	*fd = -1;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return dmasim_error_set(im->err, DMASIM_EIO, path, 0, 0,
			"%s, not a regular file: not read (sysfs and a snapshot of it hold plain files)",
			file_kind(st.st_mode));
	if ((*fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)) < 0) {
		if (errno == ELOOP)
			return dmasim_error_set(im->err, DMASIM_EIO, path, 0, 0,
				"a symbolic link, not a regular file: not read");
		return DMASIM_OK;
	}
	if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(*fd);
		*fd = -1;
		return dmasim_error_set(im->err, DMASIM_EIO, path, 0, 0,
			"%s, not a regular file: not read", file_kind(st.st_mode));
	}
	return DMASIM_OK;
}

/* Up to @max bytes from @fd into @buf; *@n the count. */
static int read_fd(struct imp *im, const char *path, int fd, char *buf, size_t max,
		   size_t *n)
{
	ssize_t k;

	while (*n < max && (k = read(fd, buf + *n, max - *n)) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return dmasim_error_set(im->err, DMASIM_EIO, path, 0, 0,
						"cannot read: %s", strerror(errno));
		}
		*n += (size_t)k;
	}
	return DMASIM_OK;
}

/* At most @max bytes of the regular file @path into @buf; *@n the bytes
 * read, or SIZE_MAX when the file is absent or unreadable. */
static int read_regular(struct imp *im, const char *path, void *buf, size_t max,
			size_t *n)
{
	int fd, rc;

	*n = SIZE_MAX;
	if ((rc = open_regular(im, path, &fd)) || fd < 0)
		return rc;
	*n = 0;
	rc = read_fd(im, path, fd, buf, max, n);
	close(fd);
	return rc;
}

/* A whole text file, malloc'd and NUL-terminated into *@out (NULL when
 * absent or unreadable); longer than @max bytes is an error (file-bytes). */
static int slurp(struct imp *im, const char *path, size_t max, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = NULL, *nb;
	int fd, rc;

	*out = NULL;
	if ((rc = open_regular(im, path, &fd)) || fd < 0)
		return rc;
	for (;;) {
		if (!(nb = realloc(buf, cap + 1))) {
			rc = dmasim_error_set(im->err, DMASIM_ENOMEM, path, 0, 0, "out of memory");
			break;
		}
		buf = nb;
		if ((rc = read_fd(im, path, fd, buf, cap, &n)) || n < cap)
			break;
		if (cap > max) {
			rc = dmasim__input_too_large(path, max, im->err);
			break;
		}
		cap *= 2;
	}
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return DMASIM_OK;
}

/* "0x" and 1-16 hex digits at @s; the characters used, or 0. */
static size_t hex_token(const char *s, unsigned long long *v)
{
	size_t i;

	*v = 0;
	if (s[0] != '0' || s[1] != 'x')
		return 0;
	for (i = 2; i < 18; i++) {
		unsigned c = (unsigned char)s[i];
		unsigned d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
		if (d == 16)
			break;
		*v = *v << 4 | d;
	}
	if (i == 2 || (s[i] && s[i] != ' ' && s[i] != '\t' && s[i] != '\n'))
		return 0;
	return i;
}

/* sysfs `resource`: one line "0xSTART 0xEND 0xFLAGS" per resource, the
 * first six the BARs (drivers/pci/pci-sysfs.c, resource_show()). */
static int parse_resource(struct imp *im, struct imp_dev *d, const char *path, char *txt)
{
	unsigned line = 0;
	char *s = txt;

	while (*s && line < 6) {
		unsigned long long v[3];
		char *start = s;
		int f;

		line++;
		for (f = 0; f < 3; f++) {
			size_t k;
			while (*s == ' ' || *s == '\t')
				s++;
			if (!(k = hex_token(s, &v[f])))
				return dmasim_error_set(im->err, DMASIM_ESYNTAX, path, line,
					(unsigned)(s - start) + 1,
					"expected '0xSTART 0xEND 0xFLAGS' (hex numbers of at most 16 digits) as the kernel writes them");
			s += k;
		}
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s && *s != '\n')
			return dmasim_error_set(im->err, DMASIM_ESYNTAX, path, line,
				(unsigned)(s - start) + 1, "more than three numbers on the line");
		if (*s)
			s++;
		if (v[1] < v[0] || (v[0] == 0 && v[1] == UINT64_MAX))
			return dmasim_error_set(im->err, DMASIM_ESYNTAX, path, line, 1,
				"resource [0x%llx-0x%llx] is %s", v[0], v[1],
				v[1] < v[0] ? "empty (it ends before it starts)"
					    : "all 2^64 addresses");
		d->res_start[line - 1] = v[0];
		d->res_end[line - 1] = v[1];
	}
	d->has_res = true;
	return DMASIM_OK;
}

/* The BARs' resources must be what a BAR can be: a power of two in size,
 * naturally aligned. */
static int check_resources(struct imp *im, const struct imp_dev *d, const char *path)
{
	int b;

	for (b = 0; b < 6 && d->has_res; b++) {
		uint64_t s = d->res_start[b], e = d->res_end[b], size = e - s + 1;
		if (!d->bars[b].present || (!s && !e))
			continue;
		if ((size & (size - 1)) || (s & (size - 1)))
			return dmasim_error_set(im->err, DMASIM_ESYNTAX, path, (unsigned)b + 1, 1,
				"BAR %d [0x%llx-0x%llx] is not a naturally aligned power of two, which no BAR can be",
				b, (unsigned long long)s, (unsigned long long)e);
	}
	return DMASIM_OK;
}

/* @name is a PCI function as sysfs names it: SSSS:BB:DD.F in lower-case
 * hex, device 00-1f, function 0-7. */
static bool sysfs_bdf(const char *name, unsigned *seg, unsigned *bus, unsigned *dev,
		      unsigned *fn)
{
	char canon[16];

	if (sscanf(name, "%4x:%2x:%2x.%1x", seg, bus, dev, fn) != 4 || *dev > 0x1f || *fn > 7)
		return false;
	snprintf(canon, sizeof(canon), "%04x:%02x:%02x.%x", *seg, *bus, *dev, *fn);
	return strcmp(canon, name) == 0;
}

/* sysfs `numa_node`: the node the kernel gives the function
 * (numa_node_show(), drivers/pci/pci-sysfs.c: dev_to_node(), -1 when
 * unknown).  Absent: unknown. */
static int read_numa_node(struct imp *im, struct imp_dev *d, const char *path)
{
	char *txt, *s;
	long v = 0;
	int rc;

	if ((rc = slurp(im, path, 64, &txt, NULL)) || !txt)
		return rc;
	s = txt;
	if (strcmp(s, "-1\n") == 0 || strcmp(s, "-1") == 0) {
		free(txt);
		return DMASIM_OK;
	}
	while (*s >= '0' && *s <= '9' && v <= 4095)
		v = v * 10 + (*s++ - '0');
	if (s == txt || v > 4095 || (*s && strcmp(s, "\n") != 0)) {
		unsigned col = (unsigned)(s - txt) + 1;
		free(txt);
		return dmasim_error_set(im->err, DMASIM_ESYNTAX, path, 1, col,
			"expected a NUMA node number 0-4095, or -1 (unknown), as the kernel writes it");
	}
	free(txt);
	d->numa_node = (int)v;
	return DMASIM_OK;
}

static int read_function(struct imp *im, const char *dir, const char *name)
{
	unsigned seg, bus, dev, fn;
	char path[1024], *txt;
	const struct imp_dev *o;
	struct imp_dev *d;
	size_t n;
	int rc;
	ssize_t k;

	if (!sysfs_bdf(name, &seg, &bus, &dev, &fn)) {
		join(path, sizeof(path), dir, name, NULL);
		return dmasim_error_set(im->err, DMASIM_EIO, path, 0, 0,
			"not a PCI function's name as sysfs writes it (SSSS:BB:DD.F in lower-case hex, device 00-1f, function 0-7)");
	}
	if ((o = dmasim__imp_find_bdf(im, (uint16_t)seg, (uint8_t)bus, (uint8_t)(dev << 3 | fn)))) {
		join(path, sizeof(path), dir, name, NULL);
		return dmasim_error_set(im->err, DMASIM_EIO, path, 0, 0,
					"this function is already read");
	}
	if ((rc = dmasim__imp_new_dev(im, (uint16_t)seg, (uint8_t)bus,
				      (uint8_t)(dev << 3 | fn), 0, &d)))
		return rc;
	join(path, sizeof(path), dir, name, "config");
	if ((rc = read_regular(im, path, im->cfg, IMP_CFG_MAX, &n)))
		return rc;
	if (n == SIZE_MAX)
		return dmasim_error_set(im->err, DMASIM_EIO, path, 0, 0,
					"cannot read the configuration space");
	if (n < 64)
		return dmasim_error_set(im->err, DMASIM_EIO, path, 0, 0,
			"only %zu bytes of configuration space; at least the 64-byte header is needed", n);
	d->len = (unsigned)n;
	join(path, sizeof(path), dir, name, "resource");
	if ((rc = slurp(im, path, 8192, &txt, NULL)))
		return rc;
	if (txt) {
		rc = parse_resource(im, d, path, txt);
		free(txt);
		if (rc)
			return rc;
	}
	dmasim__imp_dev_done(im, d);
	if ((rc = check_resources(im, d, path)))
		return rc;
	join(path, sizeof(path), dir, name, "numa_node");
	if ((rc = read_numa_node(im, d, path)))
		return rc;
	join(path, sizeof(path), dir, name, "iommu_group");
	{
		/* A symbolic link in sysfs; a snapshot may hold its target as
		 * the text of a plain file ("../../../kernel/iommu_groups/1"). */
		char link[512];
		if ((k = readlink(path, link, sizeof(link) - 1)) <= 0) {
			if ((rc = slurp(im, path, sizeof(link) - 1, &txt, NULL)))
				return rc;
			if (txt) {
				k = (ssize_t)strcspn(txt, "\n");
				if ((size_t)k >= sizeof(link))
					k = sizeof(link) - 1;
				memcpy(link, txt, (size_t)k);
				free(txt);
			}
		}
		if (k > 0) {
			const char *base;
			link[k] = '\0';
			base = strrchr(link, '/');
			d->iommu_group = atoi(base ? base + 1 : link);
		}
	}
	return DMASIM_OK;
}

static int read_cpuinfo(struct imp *im, const char *root)
{
	char path[1024], *txt, *line, *next;
	bool arch_known = false;
	unsigned no = 0;
	int rc;

	join(path, sizeof(path), root, "proc/cpuinfo", NULL);
	if ((rc = slurp(im, path, im->lim.file_bytes, &txt, NULL)) || !txt)
		return rc;
	for (line = txt; *line; line = next) {
		char *v = strchr(line, ':');

		no++;
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		else
			next = line + strlen(line);
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
			unsigned long f = 0;
			char *e = v;
			while (*e >= '0' && *e <= '9' && f <= 0xffff)
				f = f * 10 + (unsigned long)(*e++ - '0');
			if (e == v || f > 0xffff || (*e && *e != ' ' && *e != '\t')) {
				free(txt);
				return dmasim_error_set(im->err, DMASIM_ESYNTAX, path, no,
					(unsigned)(v - line) + 1,
					"expected a CPU family number 0-65535");
			}
			im->cpu_family = (unsigned)f;
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
	return DMASIM_OK;
}

/* The IOMMU type a unit's name says (dmar* intel-vtd, ivhd* amd-vi, a
 * name with smmu smmuv3), or IMP_NONE. */
static int unit_type(const char *name)
{
	if (strncmp(name, "dmar", 4) == 0)
		return DMASIM_IOMMU_INTEL_VTD;
	if (strncmp(name, "ivhd", 4) == 0)
		return DMASIM_IOMMU_AMD_VI;
	if (strstr(name, "smmu"))
		return DMASIM_IOMMU_SMMUV3;
	return IMP_NONE;
}

static int no_dot(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* The domain type in sys/kernel/iommu_groups/@group/type into *@dom. */
static int group_domain(struct imp *im, const char *root, int group, int *dom)
{
	char path[1024], *txt;
	int rc;

	snprintf(path, sizeof(path), "%s%ssys/kernel/iommu_groups/%d/type", root,
		 root[strlen(root) - 1] == '/' ? "" : "/", group);
	if ((rc = slurp(im, path, 4096, &txt, NULL)) || !txt)
		return rc;
	if (strncmp(txt, "identity", 8) == 0)
		*dom = DMASIM_DOMAIN_IDENTITY;
	else if (strncmp(txt, "blocked", 7) == 0)
		*dom = DMASIM_DOMAIN_BLOCKED;
	free(txt);
	return DMASIM_OK;
}

/* One unit of sys/class/iommu: the PCI functions its devices/ lists (by
 * name: the entries are links to the devices, never followed).  Entries
 * that are not PCI functions (platform devices behind an SMMU) and
 * functions not in sys/bus/pci/devices are not ours. */
static int read_unit(struct imp *im, const char *root, const char *dir, const char *name,
		     int fallback)
{
	char path[1024];
	struct dirent **v = NULL;
	struct imp_unit *u, *nu;
	int n, i, rc = DMASIM_OK, group = IMP_NONE;
	size_t k;

	join(path, sizeof(path), dir, name, NULL);
	for (k = 0; name[k]; k++)
		if (!((name[k] >= 'a' && name[k] <= 'z') || (name[k] >= 'A' && name[k] <= 'Z') ||
		      (name[k] >= '0' && name[k] <= '9') || strchr("._:-", name[k])))
			break;
	if (name[k] || k > 63)
		return dmasim_error_set(im->err, DMASIM_EIO, path, 0, 0,
			"not an IOMMU unit's name as the kernel writes them (letters, digits and ._:-, at most 63)");
	if (im->nunit >= im->lim.windows)
		return dmasim_error_set(im->err, DMASIM_ELIMIT, path, 0, 0,
			"more than %u IOMMU units (raise the limit with --limit windows=N)",
			(unsigned)im->lim.windows);
	if (!(nu = realloc(im->unit, (im->nunit + 1) * sizeof(*nu))))
		return dmasim_error_set(im->err, DMASIM_ENOMEM, path, 0, 0, "out of memory");
	im->unit = nu;
	u = &im->unit[im->nunit++];
	u->name = dmasim__imp_str(im, "%s", name);
	u->type = unit_type(name) != IMP_NONE ? unit_type(name) : fallback;
	u->type_inferred = unit_type(name) == IMP_NONE;
	u->domain = DMASIM_DOMAIN_DMA;
	u->nfn = 0;
	join(path, sizeof(path), dir, name, "devices");
	if ((n = scandir(path, &v, no_dot, alphasort)) < 0)
		return DMASIM_OK;
	for (i = 0; i < n; i++) {
		unsigned seg, bus, dev, fn;
		struct imp_dev *d;

		if (rc || !sysfs_bdf(v[i]->d_name, &seg, &bus, &dev, &fn) ||
		    !(d = (struct imp_dev *)dmasim__imp_find_bdf(im, (uint16_t)seg, (uint8_t)bus,
								 (uint8_t)(dev << 3 | fn))))
			continue;
		if (d->unit != IMP_NONE) {
			char p2[1300];
			snprintf(p2, sizeof(p2), "%s/%s", path, v[i]->d_name);
			rc = dmasim_error_set(im->err, DMASIM_EIO, p2, 0, 0,
				"IOMMU unit %s lists this function too; one unit serves a function",
				im->unit[d->unit].name);
			continue;
		}
		d->unit = (int)(im->nunit - 1);
		im->unit[im->nunit - 1].nfn++;
		if (group == IMP_NONE)
			group = d->iommu_group;
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	if (rc == DMASIM_OK && group != IMP_NONE)
		rc = group_domain(im, root, group, &im->unit[im->nunit - 1].domain);
	return rc;
}

/* The units of sys/class/iommu, when it lists PCI functions: one IOMMU
 * each (emit() in build.c).  Otherwise none are kept. */
static int read_units(struct imp *im, const char *root, int fallback)
{
	char dir[1024];
	struct dirent **v = NULL;
	int n, i, rc = DMASIM_OK;
	size_t fns = 0, k;

	join(dir, sizeof(dir), root, "sys/class/iommu", NULL);
	if ((n = scandir(dir, &v, no_dot, alphasort)) < 0)
		return DMASIM_OK;
	for (i = 0; i < n; i++) {
		if (rc == DMASIM_OK)
			rc = read_unit(im, root, dir, v[i]->d_name, fallback);
		free(v[i]);
	}
	free(v);
	for (k = 0; k < im->nunit; k++)
		fns += im->unit[k].nfn;
	if (rc == DMASIM_OK && fns == 0) {
		for (k = 0; k < im->ndev; k++)
			im->dev[k].unit = IMP_NONE;
		im->nunit = 0;
	}
	return rc;
}

/* An IOMMU when sysfs put devices in groups: its type from
 * /sys/class/iommu, else from the architecture and CPU vendor. */
static int read_iommu(struct imp *im, const char *root)
{
	char path[1024];
	struct dirent *e;
	int group = IMP_NONE, rc;
	size_t i;
	DIR *dir;

	for (i = 0; i < im->ndev; i++)
		if (im->dev[i].iommu_group != IMP_NONE) {
			group = im->dev[i].iommu_group;
			break;
		}
	if (group == IMP_NONE)
		return DMASIM_OK;
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
	im->iommu_type_inferred = true;
	if ((rc = read_units(im, root, im->iommu_type)) || im->nunit)
		return rc;
	join(path, sizeof(path), root, "sys/class/iommu", NULL);
	if ((dir = opendir(path))) {
		while ((e = readdir(dir))) {
			if (strncmp(e->d_name, "dmar", 4) == 0)
				im->iommu_type = DMASIM_IOMMU_INTEL_VTD, im->iommu_type_inferred = false;
			else if (strncmp(e->d_name, "ivhd", 4) == 0)
				im->iommu_type = DMASIM_IOMMU_AMD_VI, im->iommu_type_inferred = false;
			else if (strstr(e->d_name, "smmu"))
				im->iommu_type = DMASIM_IOMMU_SMMUV3, im->iommu_type_inferred = false;
		}
		closedir(dir);
	}
	im->iommu_domain = DMASIM_DOMAIN_DMA;
	return group_domain(im, root, group, &im->iommu_domain);
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
	if (rc == DMASIM_OK && (rc = read_cpuinfo(&im, root)) == DMASIM_OK) {
		if (im.opts.iomem) {
			rc = dmasim__imp_iomem_parse(&im, im.opts.iomem, im.opts.iomem_len,
					     im.opts.iomem_name ? im.opts.iomem_name : "<iomem>");
		} else {
			join(path, sizeof(path), root, "proc/iomem", NULL);
			if ((rc = slurp(&im, path, im.lim.file_bytes, &iomem, &len)) == DMASIM_OK &&
			    iomem) {
				rc = dmasim__imp_iomem_parse(&im, iomem, len, path);
				free(iomem);
			}
		}
	}
	if (rc == DMASIM_OK && (rc = read_iommu(&im, root)) == DMASIM_OK)
		rc = dmasim__imp_finish(&im, yaml, yaml_len);
	dmasim__imp_fini(&im);
	return rc;
}
