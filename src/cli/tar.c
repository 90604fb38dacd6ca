/*
 * dmasim -- private to the command-line tool: writing and safely
 * extracting POSIX ustar archives (see tar.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/tar.h"

#define BLOCK 512

/* The ustar header (POSIX.1-1988), offsets in bytes. */
enum {
	H_NAME = 0, H_MODE = 100, H_UID = 108, H_GID = 116, H_SIZE = 124,
	H_MTIME = 136, H_CHKSUM = 148, H_TYPE = 156, H_LINK = 157,
	H_MAGIC = 257, H_VERSION = 263, H_UNAME = 265, H_GNAME = 297,
	H_PREFIX = 345,
};

void tar_writer_init(struct tar_writer *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

static void put(struct tar_writer *w, const void *p, size_t n)
{
	if (w->failed)
		return;
	if (fwrite(p, 1, n, w->f) != n) {
		w->failed = 1;
		w->err_no = errno;
	}
	w->bytes += n;
}

static void octal(char *field, size_t width, uint64_t v)
{
	/* width - 1 digits and a NUL, as ustar writers do */
	snprintf(field, width, "%0*llo", (int)width - 1, (unsigned long long)v);
}

static int header(struct tar_writer *w, const char *name, char type,
		  unsigned mode, uint64_t size, const char *link)
{
	unsigned char h[BLOCK];
	size_t n = strlen(name), cut = 0, i;
	unsigned sum = 0;

	memset(h, 0, sizeof(h));
	if (n > 100) {
		/* split at a '/' so that the name part fits in 100 bytes */
		for (i = n - 1; i > 0; i--)
			if (name[i] == '/' && n - i - 1 <= 100 && i <= 155) {
				cut = i;
				break;
			}
		if (!cut)
			return -1;
		memcpy(h + H_PREFIX, name, cut);
		memcpy(h + H_NAME, name + cut + 1, n - cut - 1);
	} else {
		memcpy(h + H_NAME, name, n);
	}
	if (link) {
		if (strlen(link) > 100)
			return -1;
		memcpy(h + H_LINK, link, strlen(link));
	}
	octal((char *)h + H_MODE, 8, mode);
	octal((char *)h + H_UID, 8, 0);
	octal((char *)h + H_GID, 8, 0);
	octal((char *)h + H_SIZE, 12, size);
	octal((char *)h + H_MTIME, 12, 0);
	h[H_TYPE] = (unsigned char)type;
	memcpy(h + H_MAGIC, "ustar", 6);
	memcpy(h + H_VERSION, "00", 2);
	memcpy(h + H_UNAME, "root", 4);
	memcpy(h + H_GNAME, "root", 4);
	memset(h + H_CHKSUM, ' ', 8);
	for (i = 0; i < BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + H_CHKSUM, 8, "%06o", sum);
	put(w, h, BLOCK);
	return 0;
}

int tar_add_dir(struct tar_writer *w, const char *name)
{
	char buf[300];

	if (snprintf(buf, sizeof(buf), "%s/", name) >= (int)sizeof(buf))
		return -1;
	return header(w, buf, '5', 0755, 0, NULL);
}

int tar_add_file(struct tar_writer *w, const char *name, const void *data, size_t len)
{
	static const unsigned char zero[BLOCK];

	if (header(w, name, '0', 0444, len, NULL))
		return -1;
	put(w, data, len);
	if (len % BLOCK)
		put(w, zero, BLOCK - len % BLOCK);
	return 0;
}

int tar_add_symlink(struct tar_writer *w, const char *name, const char *target)
{
	return header(w, name, '2', 0777, 0, target);
}

int tar_finish(struct tar_writer *w)
{
	static const unsigned char zero[2 * BLOCK];

	put(w, zero, sizeof(zero));
	if (!w->failed && fflush(w->f) != 0) {
		w->failed = 1;
		w->err_no = errno;
	}
	return w->failed ? -1 : 0;
}

/* ---- reading ---- */

static bool all_zero(const unsigned char *b)
{
	for (int i = 0; i < BLOCK; i++)
		if (b[i])
			return false;
	return true;
}

/* An octal field (leading spaces, then digits, then NUL or space); -1 if
 * it is anything else (GNU base-256 numbers included). */
static int64_t parse_octal(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t i = 0;
	bool digits = false;

	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v >> 60)
			return -1;
		v = v * 8 + (uint64_t)(p[i] - '0');
		digits = true;
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != '\0')
			return -1;
	return digits ? (int64_t)v : -1;
}

static bool checksum_ok(const unsigned char *h)
{
	unsigned sum = 0;
	int64_t want = parse_octal(h + H_CHKSUM, 8);

	for (int i = 0; i < BLOCK; i++)
		sum += (i >= H_CHKSUM && i < H_CHKSUM + 8) ? ' ' : h[i];
	return want >= 0 && (uint64_t)want == sum;
}

struct xt {
	const char *path;          /* the archive, for messages */
	struct dmasim_error *err;
	int root;                  /* the target directory */
	uint64_t off;              /* offset of the current header */
};

static int fail(struct xt *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct xt *x, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dmasim_error_set(x->err, DMASIM_EIO, x->path, 0, 0,
				"at byte %llu: %s", (unsigned long long)x->off, msg);
}

/* A name made safe, or NULL: relative, no "..", no empty result; "./" and
 * repeated or trailing slashes dropped.  Written into @out. */
static const char *clean_name(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	const char *p = in;

	if (in[0] == '/')
		return NULL;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return NULL;
		if (n && !(n == 1 && p[0] == '.')) {
			if (o + n + 2 > cap)
				return NULL;
			if (o)
				out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	out[o] = '\0';
	return o ? out : NULL;
}

/* Open (making it if needed) the directory holding @name's last
 * component; no component may be a symbolic link.  Returns a descriptor
 * and sets *last, or -1. */
static int parent_dir(struct xt *x, char *name, const char **last)
{
	int fd = dup(x->root), nfd;
	char *p = name, *slash;

	while (fd >= 0 && (slash = strchr(p, '/'))) {
		*slash = '\0';
		if (mkdirat(fd, p, 0755) && errno != EEXIST) {
			close(fd);
			return -1;
		}
		nfd = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		*slash = '/';
		fd = nfd;
		p = slash + 1;
	}
	*last = p;
	return fd;
}

static int copy_data(struct xt *x, FILE *in, int out, uint64_t size)
{
	unsigned char buf[BLOCK];
	uint64_t left = size;

	while (left) {
		size_t n = left < BLOCK ? (size_t)left : BLOCK;
		if (fread(buf, 1, BLOCK, in) != BLOCK)
			return fail(x, "%s", "the archive ends inside a file");
		if (out >= 0 && write(out, buf, n) != (ssize_t)n)
			return fail(x, "cannot write: %s", strerror(errno));
		left -= n;
	}
	return DMASIM_OK;
}

/* The records "LEN key=value\n" of a pax header: path and linkpath are
 * kept, others ignored (they carry times and owners). */
static int pax(struct xt *x, const char *buf, size_t n, char *path, char *link, size_t cap)
{
	size_t i = 0;

	while (i < n) {
		char *end;
		unsigned long len = strtoul(buf + i, &end, 10);
		const char *kv, *eq;
		if (end == buf + i || *end != ' ' || len == 0 || len > n - i)
			return fail(x, "%s", "a malformed pax extended header");
		kv = end + 1;
		eq = memchr(kv, '=', (size_t)(buf + i + len - kv));
		if (eq && buf[i + len - 1] == '\n') {
			size_t vl = (size_t)(buf + i + len - 1 - (eq + 1));
			char *dst = NULL;
			if ((size_t)(eq - kv) == 4 && memcmp(kv, "path", 4) == 0)
				dst = path;
			else if ((size_t)(eq - kv) == 8 && memcmp(kv, "linkpath", 8) == 0)
				dst = link;
			if (dst) {
				if (vl >= cap || memchr(eq + 1, '\0', vl))
					return fail(x, "%s", "a pax name that is too long");
				memcpy(dst, eq + 1, vl);
				dst[vl] = '\0';
			}
		}
		i += len;
	}
	return DMASIM_OK;
}

int tar_extract(const char *path, const char *dir, uint64_t max_bytes,
		uint64_t max_entries, struct dmasim_error *err)
{
	unsigned char h[BLOCK];
	char longname[1024] = "", longlink[1024] = "", name[1100], link[1100], clean[1100];
	uint64_t entries = 0;
	struct xt x = { path, err, -1, 0 };
	struct stat st;
	FILE *in;
	int rc = DMASIM_OK, fd = -1;

	if (!(in = fopen(path, "rb")))
		return dmasim_error_set(err, DMASIM_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
	if (fstat(fileno(in), &st) || !S_ISREG(st.st_mode)) {
		fclose(in);
		return dmasim_error_set(err, DMASIM_EIO, path, 0, 0, "not a regular file");
	}
	if ((uint64_t)st.st_size > max_bytes) {
		fclose(in);
		return dmasim_error_set(err, DMASIM_ELIMIT, path, 0, 0,
			"the archive is %llu bytes, more than the limit of %llu (--limit file-bytes=N)",
			(unsigned long long)st.st_size, (unsigned long long)max_bytes);
	}
	if ((x.root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fclose(in);
		return dmasim_error_set(err, DMASIM_EIO, dir, 0, 0, "cannot open: %s", strerror(errno));
	}
	for (;;) {
		int64_t size, mode;
		const char *last, *cn;
		char type;
		int pfd;

		x.off = (uint64_t)ftello(in);
		if (fread(h, 1, BLOCK, in) != BLOCK) {
			rc = fail(&x, "%s", x.off ? "the archive ends without its end-of-archive blocks"
						  : "empty file, not a tar archive");
			break;
		}
		if (all_zero(h))
			break;   /* end of archive */
		if (!checksum_ok(h)) {
			rc = fail(&x, "%s", "not a tar header (bad checksum)");
			break;
		}
		if (++entries > max_entries) {
			rc = dmasim_error_set(err, DMASIM_ELIMIT, path, 0, 0,
				"more than %llu entries", (unsigned long long)max_entries);
			break;
		}
		size = parse_octal(h + H_SIZE, 12);
		mode = parse_octal(h + H_MODE, 8);
		type = (char)h[H_TYPE];
		if (size < 0 || mode < 0) {
			rc = fail(&x, "%s", "a header with a malformed size or mode");
			break;
		}
		if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
			char *buf;
			if (size > 65536) {
				rc = fail(&x, "%s", "an extended header larger than 64 KiB");
				break;
			}
			if (!(buf = calloc(1, (size_t)size + BLOCK))) {
				rc = DMASIM_ENOMEM;
				break;
			}
			if (fread(buf, 1, ((size_t)size + BLOCK - 1) / BLOCK * BLOCK, in) !=
			    ((size_t)size + BLOCK - 1) / BLOCK * BLOCK) {
				free(buf);
				rc = fail(&x, "%s", "the archive ends inside an extended header");
				break;
			}
			if (type == 'x')
				rc = pax(&x, buf, (size_t)size, longname, longlink, sizeof(longname));
			else if (type == 'L' || type == 'K') {
				char *dst = type == 'L' ? longname : longlink;
				size_t n = strnlen(buf, (size_t)size);
				if (n >= sizeof(longname))
					rc = fail(&x, "%s", "a GNU long name that is too long");
				else
					memcpy(dst, buf, n + 1);
			}
			free(buf);
			if (rc)
				break;
			continue;
		}
		if (longname[0]) {
			snprintf(name, sizeof(name), "%s", longname);
		} else if (h[H_PREFIX] && memcmp(h + H_MAGIC, "ustar", 5) == 0) {
			snprintf(name, sizeof(name), "%.155s/%.100s", (const char *)h + H_PREFIX,
				 (const char *)h + H_NAME);
		} else {
			snprintf(name, sizeof(name), "%.100s", (const char *)h + H_NAME);
		}
		if (longlink[0])
			snprintf(link, sizeof(link), "%s", longlink);
		else
			snprintf(link, sizeof(link), "%.100s", (const char *)h + H_LINK);
		longname[0] = longlink[0] = '\0';
		if (!(cn = clean_name(name, clean, sizeof(clean)))) {
			rc = fail(&x, "the entry '%.100s' would be written outside the target "
				  "(an absolute name or a '..' component)", name);
			break;
		}
		if (type != '0' && type != '\0' && type != '5' && type != '2') {
			rc = fail(&x, "'%.100s' is a %s; only directories, regular files and "
				  "symbolic links are read", clean,
				  type == '1' ? "hard link" : type == '3' || type == '4' ? "device"
				  : type == '6' ? "FIFO" : "entry of an unknown type");
			break;
		}
		if ((pfd = parent_dir(&x, clean, &last)) < 0) {
			rc = fail(&x, "cannot make the directories of '%.100s' (a symbolic link "
				  "or a file is in the way)", clean);
			break;
		}
		if (type == '5') {
			if (mkdirat(pfd, last, 0755) && errno != EEXIST)
				rc = fail(&x, "cannot make '%.100s'", clean);
			close(pfd);
			if (rc)
				break;
			if (size && (rc = copy_data(&x, in, -1, (uint64_t)size)))
				break;
			continue;
		}
		if (type == '2') {
			if (symlinkat(link, pfd, last))
				rc = fail(&x, "cannot make the link '%.100s' (a second entry of that name?)", clean);
			close(pfd);
			if (rc)
				break;
			continue;
		}
		fd = openat(pfd, last, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		close(pfd);
		if (fd < 0) {
			rc = fail(&x, "cannot write '%.100s' (a second entry of that name?)", clean);
			break;
		}
		rc = copy_data(&x, in, fd, (uint64_t)size);
		close(fd);
		if (rc)
			break;
	}
	close(x.root);
	fclose(in);
	return rc;
}

int tar_is_archive(const char *path)
{
	unsigned char h[BLOCK];
	struct stat st;
	FILE *f;
	int yes;

	if (stat(path, &st) || !S_ISREG(st.st_mode) || !(f = fopen(path, "rb")))
		return 0;
	yes = fread(h, 1, BLOCK, f) == BLOCK && memcmp(h + H_MAGIC, "ustar", 5) == 0 &&
	      checksum_ok(h);
	fclose(f);
	return yes;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(p);
	else
		unlink(p);
	return 0;
}

void rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
