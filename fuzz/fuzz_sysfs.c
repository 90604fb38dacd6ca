/*
 * Fuzz the sysfs importer with a directory image: the input is unpacked
 * into a fresh temporary directory, which dmasim_import_sysfs() reads as
 * ROOT.  Any image imports or fails with a message; what imports is YAML
 * that the topology loader accepts.  Never a hang: FIFOs in the image
 * must be refused, not opened.
 *
 * The image is a sequence of records, each a header line and content:
 *   "T PATH LEN\n" then LEN bytes
 * T: f (regular file, the bytes are its content), d (directory), l
 * (symbolic link, the bytes are its target), p (FIFO).  PATH is relative
 * with components of [A-Za-z0-9:._-] (no "." or ".."), at most 512 bytes;
 * parent directories are made as needed.  A link's target is relative
 * without "..", or /dev/zero or /dev/null.  Unpacking stops at the first
 * malformed record (what came before is still imported).
 * fuzz/sysfs-pack DIR writes the image of a snapshot directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dmasim/dmasim.h"
#include "dmasim/import.h"
#include "fuzz.h"

static bool path_ok(const char *p, size_t n)
{
	size_t i, start = 0;

	if (n == 0 || n > 512 || p[0] == '/')
		return false;
	for (i = 0; i <= n; i++) {
		if (i == n || p[i] == '/') {
			size_t len = i - start;
			if (len == 0 || (len == 1 && p[start] == '.') ||
			    (len == 2 && p[start] == '.' && p[start + 1] == '.') ||
			    (i < n && len == 11 && memcmp(p + start, "iommu_group", 11) == 0))
				return false;   /* nothing is made through an iommu_group link */
			start = i + 1;
			continue;
		}
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
		      (p[i] >= '0' && p[i] <= '9') || p[i] == ':' || p[i] == '.' ||
		      p[i] == '_' || p[i] == '-'))
			return false;
	}
	return true;
}

/* A link @path -> @t stays inside the image: relative without "..",
 * except an iommu_group link (its target is only read with readlink, and
 * path_ok() lets nothing be made through it); or /dev/zero, /dev/null. */
static bool target_ok(const char *path, size_t pl, const char *t, size_t n)
{
	size_t i;

	if (n == 9 && (memcmp(t, "/dev/zero", 9) == 0 || memcmp(t, "/dev/null", 9) == 0))
		return true;
	if (n == 0 || n > 512 || t[0] == '/' || memchr(t, '\0', n))
		return false;
	if (pl >= 11 && memcmp(path + pl - 11, "iommu_group", 11) == 0)
		return true;
	for (i = 0; i + 1 < n; i++)
		if (t[i] == '.' && t[i + 1] == '.')
			return false;
	return true;
}

/* mkdir -p of @path's parent directories (@path is under @root). */
static void make_parents(char *path, size_t root_len)
{
	char *s;

	for (s = path + root_len + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
}

static void unpack(const uint8_t *data, size_t size, const char *root)
{
	size_t at = 0, rl = strlen(root);

	while (at < size) {
		const char *h = (const char *)data + at, *nl = memchr(h, '\n', size - at);
		char path[1100], type, *sp;
		size_t hl, pl;
		unsigned long len;
		FILE *f;

		if (!nl || (hl = (size_t)(nl - h)) < 5 || h[1] != ' ')
			return;
		type = h[0];
		if (!(sp = memrchr(h + 2, ' ', hl - 2)))
			return;
		pl = (size_t)(sp - (h + 2));
		if (!path_ok(h + 2, pl))
			return;
		len = 0;
		for (const char *d = sp + 1; d < nl; d++) {
			if (*d < '0' || *d > '9' || len > (1ul << 24))
				return;
			len = len * 10 + (unsigned long)(*d - '0');
		}
		at += hl + 1;
		if (len > size - at)
			return;
		snprintf(path, sizeof(path), "%s/%.*s", root, (int)pl, h + 2);
		make_parents(path, rl);
		switch (type) {
		case 'f':
			if ((f = fopen(path, "wbx"))) {
				if (len)
					fwrite(data + at, 1, len, f);
				fclose(f);
			}
			break;
		case 'd':
			mkdir(path, 0755);
			break;
		case 'l': {
			char target[520];
			if (!target_ok(h + 2, pl, (const char *)data + at, len))
				return;
			memcpy(target, data + at, len);
			target[len] = '\0';
			if (symlink(target, path) != 0 && errno != EEXIST)
				return;
			break;
		}
		case 'p':
			mkfifo(path, 0644);
			break;
		default:
			return;
		}
		at += len;
	}
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dmasim_limits lim = FUZZ_LIMITS;
	struct dmasim_import_opts opts = { .limits = &lim };
	struct dmasim_topo *t = NULL;
	struct dmasim_error err;
	const char *tmpdir = getenv("TMPDIR");
	char root[1024], *yaml = NULL;
	size_t len = 0;
	int rc;

	snprintf(root, sizeof(root), "%s/dmasim-fuzz-sysfs-XXXXXX", tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(root))
		return 0;
	unpack(data, size, root);
	dmasim_error_init(&err);
	rc = dmasim_import_sysfs(root, &opts, &yaml, &len, &err);
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	FUZZ_CHECK(rc == DMASIM_OK || err.msg[0], "error %d without a message", rc);
	if (rc != DMASIM_OK)
		return 0;
	dmasim_error_init(&err);
	rc = dmasim_topo_load_string_limited(yaml, len, "imported.yaml", &lim, &t, &err);
	FUZZ_CHECK(rc == DMASIM_OK || rc == DMASIM_ELIMIT,
		   "the imported YAML does not load: %s:%u:%u: %s\n%.*s", err.file,
		   err.line, err.column, err.msg, (int)(len > 4000 ? 4000 : len), yaml);
	dmasim_topo_destroy(t);
	dmasim_import_free(yaml);
	return 0;
}
