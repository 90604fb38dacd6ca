/* dmasim -- fleets of machines for diff and audit (fleet.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/fleet.h"
#include "cli/tar.h"
#include "dmasim/scenario.h"
#include "util/jw.h"

int cli_parse_shard(const char *cmd, const char *s, unsigned *k, unsigned *n)
{
	unsigned long a, b;
	char *e1, *e2;

	errno = 0;
	a = strtoul(s, &e1, 10);
	if (e1 == s || *e1 != '/' || s[0] < '0' || s[0] > '9' || e1[1] < '0' || e1[1] > '9')
		return cli_usage(cmd, "--shard takes K/N (shard K of N, K from 1 to N), not '%s'", s);
	b = strtoul(e1 + 1, &e2, 10);
	if (*e2 || errno)
		return cli_usage(cmd, "--shard takes K/N (shard K of N, K from 1 to N), not '%s'", s);
	if (b < 1 || b > 1000000)
		return cli_usage(cmd, "--shard %s: N must be 1 to 1000000", s);
	if (a < 1 || a > b)
		return cli_usage(cmd, "--shard %s: K must be 1 to N (shards count from 1; from a 0-based index such as JOB_COMPLETION_INDEX give $((JOB_COMPLETION_INDEX + 1))/N)",
				 s);
	*k = (unsigned)a;
	*n = (unsigned)b;
	return CLI_OK;
}

bool cli_in_shard(size_t i, unsigned k, unsigned n)
{
	return n == 0 || i % n == (size_t)(k - 1);
}

/* ---- the list ---- */

void cli_fleet_id(char *const *paths, size_t n, char out[17])
{
	unsigned long long h = 0xcbf29ce484222325ULL;   /* FNV-1a 64 offset basis */
	const unsigned char *p;
	size_t i;

	for (i = 0; i < n; i++) {
		for (p = (const unsigned char *)paths[i]; *p; p++)
			h = (h ^ *p) * 0x100000001b3ULL;   /* FNV-1a 64 prime */
		h *= 0x100000001b3ULL;   /* the NUL that ends the path (h ^ 0 == h) */
	}
	snprintf(out, 17, "%016llx", h);
}

struct list {
	char **v;
	size_t n, cap;
};

static int push(struct list *l, char *s)
{
	if (!s)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		char **v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			free(s);
			return -1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	return 0;
}

/* A directory holding sys/bus/pci/devices: a sysfs snapshot. */
static bool is_snapshot(const char *dir)
{
	struct stat st;
	char *p = cli_path_join(dir, "sys/bus/pci/devices");
	bool yes = p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);

	free(p);
	return yes;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcmp(s + a - b, suf) == 0;
}

enum kind { K_MACHINE, K_SUITE, K_OTHER };

/* What a regular file is: a machine (a topology, a tar archive, or YAML
 * that is neither suite nor policy, so that a broken one is reported, not
 * passed over), a suite, or something else. */
static enum kind file_kind(const char *path, bool named)
{
	bool yaml = has_suffix(path, ".yaml") || has_suffix(path, ".yml");
	enum dmasim_file_kind k;

	if (tar_is_archive(path) || has_suffix(path, ".tar"))
		return K_MACHINE;
	if (!yaml && !named)
		return K_OTHER;
	k = dmasim_file_kind_of(path);
	if (k == DMASIM_FILE_SUITE)
		return K_SUITE;
	if (k == DMASIM_FILE_POLICY && !named)
		return K_OTHER;
	return K_MACHINE;
}

struct walk {
	const char *cmd;
	struct list found;
	struct cli_dirs_seen seen;
	size_t suites, skipped;
};

/* Every machine below @root into w->found (unsorted); directories wait on
 * a heap stack, so that any depth costs no C stack. */
static int walk_dir(struct walk *w, const char *root)
{
	struct list stack = { 0 };
	struct dirent *e;
	struct stat st;
	char *dir, *path;
	DIR *d;
	int rc = CLI_OK;

	if (push(&stack, strdup(root)))
		return cli_usage(w->cmd, "out of memory");
	while (rc == CLI_OK && stack.n) {
		dir = stack.v[--stack.n];
		if (!(d = opendir(dir))) {
			rc = cli_usage(w->cmd, "cannot read the directory %s: %s", dir, strerror(errno));
			free(dir);
			break;
		}
		while (rc == CLI_OK && (e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			if (!(path = cli_path_join(dir, e->d_name))) {
				rc = cli_usage(w->cmd, "out of memory");
				break;
			}
			if (stat(path, &st) != 0) {
				/* a dangling link: said, and a machine that fails */
				rc = push(&w->found, path) ? cli_usage(w->cmd, "out of memory") : CLI_OK;
			} else if (S_ISDIR(st.st_mode)) {
				if (!cli_first_visit(&w->seen, &st)) {
					fprintf(stderr, "dmasim %s: %s: a directory already walked (through a symbolic link); not again\n",
						w->cmd, path);
					free(path);
				} else if (is_snapshot(path)) {
					rc = push(&w->found, path) ? cli_usage(w->cmd, "out of memory") : CLI_OK;
				} else {
					rc = push(&stack, path) ? cli_usage(w->cmd, "out of memory") : CLI_OK;
				}
			} else if (!S_ISREG(st.st_mode)) {
				w->skipped++;   /* a FIFO or a device is never opened */
				free(path);
			} else {
				switch (file_kind(path, false)) {
				case K_MACHINE:
					rc = push(&w->found, path) ? cli_usage(w->cmd, "out of memory") : CLI_OK;
					break;
				case K_SUITE:
					w->suites++;
					free(path);
					break;
				default:
					w->skipped++;
					free(path);
					break;
				}
			}
		}
		closedir(d);
		free(dir);
	}
	while (stack.n)
		free(stack.v[--stack.n]);
	free(stack.v);
	return rc;
}

int cli_fleet_expand(const char *cmd, char *const *args, size_t nargs, unsigned k,
		     unsigned n, struct cli_fleet *out)
{
	struct walk w;
	struct stat st;
	size_t i, before;
	int rc = CLI_OK;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	w.cmd = cmd;
	out->shard_k = k;
	out->shard_n = n;
	for (i = 0; i < nargs && rc == CLI_OK; i++) {
		before = w.found.n;
		if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode) && !is_snapshot(args[i])) {
			out->walked = true;
			cli_first_visit(&w.seen, &st);
			rc = walk_dir(&w, args[i]);
			if (w.found.n - before > 1)
				qsort(w.found.v + before, w.found.n - before, sizeof(char *), cli_cmp_str);
		} else if (stat(args[i], &st) == 0 && S_ISREG(st.st_mode) &&
			   file_kind(args[i], true) == K_SUITE) {
			w.suites++;
		} else if (push(&w.found, strdup(args[i]))) {
			rc = cli_usage(cmd, "out of memory");
		}
	}
	free(w.seen.v);
	out->suites = w.suites;
	out->skipped = w.skipped;
	out->total = w.found.n;
	cli_fleet_id(w.found.v, w.found.n, out->id);
	if (rc == CLI_OK && w.found.n &&
	    !(out->index = malloc(w.found.n * sizeof(*out->index))))
		rc = cli_usage(cmd, "out of memory");
	for (i = 0; i < w.found.n; i++) {
		if (rc == CLI_OK && cli_in_shard(i, k, n)) {
			out->index[out->n] = i;
			w.found.v[out->n++] = w.found.v[i];
		} else {
			free(w.found.v[i]);
		}
	}
	out->path = w.found.v;
	if (rc != CLI_OK)
		cli_fleet_free(out);
	return rc;
}

void cli_fleet_free(struct cli_fleet *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->path[i]);
	free(f->path);
	free(f->index);
	memset(f, 0, sizeof(*f));
}

/* ---- loading ---- */

/* The YAML's header comment names the directory read; name the archive
 * instead of its temporary copy. */
static int name_archive(char **yaml, size_t *ylen, const char *dir, const char *tarball)
{
	char *at = strstr(*yaml, dir), *eol = strchr(*yaml, '\n'), *nb;
	size_t dl = strlen(dir), tl = strlen(tarball), pre;

	if (!at || (eol && eol < at))
		return DMASIM_OK;   /* not in the first line: leave it */
	pre = (size_t)(at - *yaml);
	if (!(nb = malloc(*ylen - dl + tl + 1)))
		return DMASIM_ENOMEM;
	memcpy(nb, *yaml, pre);
	memcpy(nb + pre, tarball, tl);
	memcpy(nb + pre + tl, at + dl, *ylen - pre - dl + 1);
	dmasim_import_free(*yaml);
	*yaml = nb;   /* dmasim_import_free() is free(): the caller's release fits */
	*ylen = *ylen - dl + tl;
	return DMASIM_OK;
}

/* Unpack into a new temporary directory, import that, remove it.  The
 * machine is named after the archive. */
int cli_import_tarball(const char *tarball, const struct dmasim_limits *lim,
		       struct dmasim_import_opts *opts, char **yaml, size_t *ylen,
		       struct dmasim_error *err)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], name[4200];
	int rc;

	snprintf(dir, sizeof(dir), "%s/dmasim-import-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return dmasim_error_set(err, DMASIM_EIO, dir, 0, 0,
					"cannot make a temporary directory: %s", strerror(errno));
	rc = tar_extract(tarball, dir, lim->file_bytes, (uint64_t)lim->devices * 16 + 4096, err);
	if (rc == DMASIM_OK) {
		if (!opts->name) {
			snprintf(name, sizeof(name), "imported from %s", tarball);
			opts->name = name;
		}
		rc = dmasim_import_sysfs(dir, opts, yaml, ylen, err);
		if (rc && err && strncmp(err->file, dir, strlen(dir)) == 0) {
			/* name the archive's member, not the temporary copy */
			char member[sizeof(err->file)];
			snprintf(member, sizeof(member), "%s", err->file + strlen(dir) + 1);
			if (snprintf(err->file, sizeof(err->file), "%s(%s)", tarball, member) >=
			    (int)sizeof(err->file))
				snprintf(err->file, sizeof(err->file), "%s", member);
		}
		if (opts->name == name)
			opts->name = NULL;
		if (rc == DMASIM_OK)
			rc = name_archive(yaml, ylen, dir, tarball);
	}
	rm_tree(dir);
	return rc;
}

int cli_load_machine(const struct cli_ctx *cli, const char *path, struct dmasim_topo **out,
		     struct dmasim_error *err)
{
	struct dmasim_limits lim = dmasim_limits_resolve(&cli->limits);
	struct dmasim_import_opts opts;
	struct stat st;
	char *yaml = NULL;
	size_t ylen = 0;
	int rc;

	dmasim_error_init(err);
	*out = NULL;
	memset(&opts, 0, sizeof(opts));
	opts.limits = &cli->limits;
	if (stat(path, &st) != 0)
		return dmasim_error_set(err, DMASIM_EIO, path, 0, 0, "cannot read: %s",
					strerror(errno));
	if (S_ISDIR(st.st_mode))
		rc = dmasim_import_sysfs(path, &opts, &yaml, &ylen, err);
	else if (S_ISREG(st.st_mode) && tar_is_archive(path))
		rc = cli_import_tarball(path, &lim, &opts, &yaml, &ylen, err);
	else
		return dmasim_topo_load_file_limited(path, &cli->limits, out, err);
	if (rc == DMASIM_OK)
		rc = dmasim_topo_load_string_limited(yaml, ylen, path, &cli->limits, out, err);
	dmasim_import_free(yaml);
	return rc;
}

/* ---- progress ---- */

bool cli_fleet_progress_on(bool forced, size_t n)
{
	return forced || (n > 1 && isatty(STDERR_FILENO));
}

void cli_fleet_progress(bool on, size_t i, size_t n, const char *path)
{
	bool tty = isatty(STDERR_FILENO);

	if (!on)
		return;
	if (i > n) {
		if (tty)
			fprintf(stderr, "\r%-79s\r", "");
		return;
	}
	if (tty) {
		fprintf(stderr, "\r[%zu/%zu] %-60.60s", i, n, CLI_TEXT(path));
	} else {
		fprintf(stderr, "[%zu/%zu] ", i, n);
		cli_put_text(stderr, path);
		fputc('\n', stderr);
	}
	fflush(stderr);
}

/* ---- the table ---- */

void cli_fleet_footer(const struct cli_fleet *f)
{
	if (f->shard_n)
		printf("(shard %u/%u: %zu of %zu machines)\n", f->shard_k, f->shard_n, f->n, f->total);
	if (f->skipped)
		printf("(%zu file%s below the directories %s no machine)\n", f->skipped,
		       f->skipped == 1 ? "" : "s", f->skipped == 1 ? "is" : "are");
	if (f->suites)
		printf("(%zu suite file%s skipped: a suite is no machine)\n", f->suites,
		       f->suites == 1 ? "" : "s");
}

void cli_fleet_table(const struct cli_fleet_row *rows, size_t n, const char *const *cols,
		     size_t ncols, size_t flag_col, const char *flag_name)
{
	size_t i, c, nw = strlen("machine"), w[4], sum[4] = { 0 }, failed = 0, flagged = 0;
	char total[96];

	for (i = 0; i < n; i++) {
		size_t l = strlen(CLI_TEXT(rows[i].file));
		if (l > nw)
			nw = l;
		if (rows[i].error[0])
			failed++;
		else if (rows[i].v[flag_col])
			flagged++;
		for (c = 0; c < ncols && !rows[i].error[0]; c++)
			sum[c] += rows[i].v[c];
	}
	snprintf(total, sizeof(total), "total (%zu machine%s)", n, n == 1 ? "" : "s");
	if (strlen(total) > nw)
		nw = strlen(total);
	if (nw > 60)
		nw = 60;
	for (c = 0; c < ncols; c++) {
		char buf[32];
		w[c] = strlen(cols[c]);
		snprintf(buf, sizeof(buf), "%zu", sum[c]);
		if (strlen(buf) > w[c])
			w[c] = strlen(buf);
	}
	printf("\n%-*s", (int)nw, "machine");
	for (c = 0; c < ncols; c++)
		printf("  %*s", (int)w[c], cols[c]);
	putchar('\n');
	for (i = 0; i < n; i++) {
		printf("%-*s", (int)nw, CLI_TEXT(rows[i].file));
		if (rows[i].error[0]) {
			printf("  not loaded: %s\n", CLI_TEXT(rows[i].error));
			continue;
		}
		for (c = 0; c < ncols; c++)
			printf("  %*zu", (int)w[c], rows[i].v[c]);
		putchar('\n');
	}
	printf("%-*s", (int)nw, total);
	for (c = 0; c < ncols; c++)
		printf("  %*zu", (int)w[c], sum[c]);
	printf("\n%zu of %zu machine%s %s, %zu not loaded\n", flagged, n, n == 1 ? "" : "s",
	       flag_name, failed);
}

void cli_fleet_json_rows(struct jw *w, const struct cli_fleet_row *rows, size_t n,
			 const char *const *cols, size_t ncols)
{
	size_t i, c;

	dmasim__jw_key(w, "machines");
	dmasim__jw_arr_begin(w);
	for (i = 0; i < n; i++) {
		dmasim__jw_obj_begin(w);
		dmasim__jw_kstr(w, "file", rows[i].file);
		dmasim__jw_kint(w, "index", (long long)rows[i].index);
		if (rows[i].error[0])
			dmasim__jw_kstr(w, "error", rows[i].error);
		else
			for (c = 0; c < ncols; c++)
				dmasim__jw_kint(w, cols[c], (long long)rows[i].v[c]);
		dmasim__jw_obj_end(w);
	}
	dmasim__jw_arr_end(w);
}

void cli_fleet_json_shard(struct jw *w, unsigned k, unsigned n, const char *id)
{
	char sh[32];

	if (n) {
		snprintf(sh, sizeof(sh), "%u/%u", k, n);
		dmasim__jw_kstr(w, "shard", sh);
	} else {
		dmasim__jw_kstr(w, "shard", NULL);
	}
	dmasim__jw_kstr(w, "fleet", id);
}

void cli_fleet_json_info(struct jw *w, const struct cli_fleet *f)
{
	dmasim__jw_kint(w, "machines_total", (long long)f->total);
	dmasim__jw_kint(w, "skipped_suites", (long long)f->suites);
	dmasim__jw_kint(w, "skipped_files", (long long)f->skipped);
	cli_fleet_json_shard(w, f->shard_k, f->shard_n, f->id);
	dmasim__jw_kstr(w, "options", f->options ? f->options : "");
}
