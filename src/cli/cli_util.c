/* dmasim -- helpers shared by the subcommands. */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/tar.h"
#include "util/jw.h"

/* Messages quote names from the command line and the files: escaped
 * (cli_put_text), a terminal shows them and is not driven by them. */
int cli_usage(const char *cmd, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "dmasim %s: ", cmd);
	cli_put_text(stderr, buf);
	fprintf(stderr, "\nTry 'dmasim %s --help'.\n", cmd);
	return CLI_USAGE;
}

void cli_map_text(char *buf, size_t size, enum dmasim_map_type t, int dist)
{
	const char *k = t == DMASIM_MAP_BUS_ADDR ? "BUS" : "HB";

	if (t == DMASIM_MAP_NOT_SUPPORTED)
		snprintf(buf, size, "NS");
	else if (dist < 0)
		snprintf(buf, size, "%s", k);
	else
		snprintf(buf, size, "%s%d", k, dist);
}

int cli_pair_distance(enum dmasim_map_type t, int dist)
{
	return t == DMASIM_MAP_NOT_SUPPORTED || dist < 0 ? -1 : dist;
}

int cli_bad_option(const char *cmd, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : NULL;
	const char *eq;

	if (arg && strncmp(arg, "--", 2) == 0) {
		eq = strchr(arg, '=');
		if (!optopt)
			return cli_usage(cmd, "unknown option '%.*s'",
					 (int)(eq ? (size_t)(eq - arg) : strlen(arg)), arg);
		if (eq)
			return cli_usage(cmd, "option '%.*s' takes no value", (int)(eq - arg), arg);
		return cli_usage(cmd, "option '%s' needs a value", arg);
	}
	if (optopt >= '0' && optopt <= '9')
		return cli_usage(cmd, "unknown option '-%c' (a negative number? addresses, sizes "
				 "and offsets are unsigned)", optopt);
	if (optopt > ' ' && optopt < 0x7f)
		return cli_usage(cmd, "unknown option '-%c', or it needs a value", optopt);
	return cli_usage(cmd, "unknown option");
}

int cli_opt_once(const char *cmd, const char *opt, const char **slot, const char *arg)
{
	if (*slot)
		return cli_usage(cmd, "--%s given twice ('%s', then '%s'); it takes one value",
				 opt, *slot, arg);
	*slot = arg;
	return CLI_OK;
}

void cli_print_error(const struct dmasim_error *err)
{
	char buf[512];

	dmasim_error_snprintf(buf, sizeof(buf), err);
	if (!err->file[0])   /* no file to name: say who speaks */
		fputs("dmasim: ", stderr);
	cli_put_text(stderr, buf);
	fputc('\n', stderr);
}

/* What a user gives a one-topology command by mistake: a snapshot of
 * sysfs, as a directory or as the tar archive 'dmasim collect' writes
 * (known by its ustar header, tar_is_archive(), not by its name).  The
 * loader would call one "a directory" and the other "a NUL byte". */
static int not_a_topology(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: error: a directory, not a topology file (a sysfs snapshot? "
			"'dmasim import sysfs DIR'; diff and audit take directories)\n", CLI_TEXT(path));
		return CLI_USAGE;
	}
	if (tar_is_archive(path)) {
		fprintf(stderr, "%s: error: a tar archive (dmasim collect?): make a topology with "
			"'dmasim import sysfs FILE -o T.yaml' first\n", CLI_TEXT(path));
		return CLI_USAGE;
	}
	return CLI_OK;
}

int cli_load_topo(const struct cli_ctx *cli, const char *path,
		  struct dmasim_topo **out)
{
	struct dmasim_error err;

	*out = NULL;
	if (not_a_topology(path))
		return CLI_USAGE;
	dmasim_error_init(&err);
	if (dmasim_topo_load_file_limited(path, &cli->limits, out, &err) != DMASIM_OK) {
		cli_print_error(&err);
		return CLI_USAGE;
	}
	return CLI_OK;
}

const struct dmasim_device *cli_find_device(const struct dmasim_topo *topo,
					    const char *cmd, const char *what)
{
	const struct dmasim_device *d = dmasim_topo_find_device(topo, what);

	if (!d)
		cli_usage(cmd, "no device '%s' in %s (give a name or a BDF)", what,
			  dmasim_topo_machine(topo)->file);
	return d;
}

int cli_parse_u64(const char *cmd, const char *what, const char *s,
		  uint64_t *out)
{
	if (dmasim_parse_u64(s, out) != DMASIM_OK)
		return cli_usage(cmd, "%s '%s' is not a number (decimal or 0x-hex, optionally with K, M, G or T)",
				 what, s);
	return CLI_OK;
}

bool cli_is_stdout(const char *out)
{
	return !out || strcmp(out, "-") == 0;
}

const char *cli_out_name(const char *out)
{
	return cli_is_stdout(out) ? "standard output" : out;
}

FILE *cli_open_out(const char *cmd, const char *out, const char *mode)
{
	FILE *f;

	if (cli_is_stdout(out))
		return stdout;
	if (!(f = fopen(out, mode)))
		fprintf(stderr, "dmasim %s: cannot write %s: %s\n", cmd, CLI_TEXT(out), strerror(errno));
	return f;
}

int cli_close_out(const char *cmd, const char *out, FILE *f)
{
	int e = errno;   /* from the write that failed, when one did */

	if (f == stdout)
		return CLI_OK;
	if (!ferror(f)) {
		errno = 0;
		if (fclose(f) == 0)
			return CLI_OK;
		e = errno;
	} else {
		fclose(f);
	}
	fprintf(stderr, "dmasim %s: cannot write %s: %s\n", cmd, CLI_TEXT(out), strerror(e ? e : EIO));
	return CLI_USAGE;
}

int cli_help(const char *help)
{
	fputs(help, stdout);
	return CLI_OK;
}

int cli_load_policy(const struct cli_ctx *cli, const char *what,
		    struct dmasim_policy *out)
{
	struct dmasim_error err;

	if (!what) {
		*out = *dmasim_policy_default();
		return CLI_OK;
	}
	dmasim_error_init(&err);
	if (dmasim_policy_load_limited(what, &cli->limits, out, &err) != DMASIM_OK) {
		cli_print_error(&err);
		return CLI_USAGE;
	}
	return CLI_OK;
}

size_t cli_endpoints(const struct dmasim_topo *topo,
		     const struct dmasim_device ***out)
{
	const struct dmasim_machine *m = dmasim_topo_machine(topo);
	size_t i, n = 0;

	*out = malloc((m->ndevices + 1) * sizeof(**out));
	if (!*out)
		return 0;
	for (i = 0; i < m->ndevices; i++)
		if (m->devices[i].type == DMASIM_DEV_ENDPOINT)
			(*out)[n++] = &m->devices[i];
	return n;
}

/* Does @d's name or BDF (with or without its domain) match one of the
 * comma-separated fnmatch @globs? */
static bool picked(const struct dmasim_device *d, const char *globs)
{
	char g[256];
	const char *p = globs, *e;

	for (; *p; p = *e ? e + 1 : e) {
		size_t len;

		e = strchr(p, ',');
		if (!e)
			e = p + strlen(p);
		len = (size_t)(e - p) < sizeof(g) - 1 ? (size_t)(e - p) : sizeof(g) - 1;
		memcpy(g, p, len);
		g[len] = '\0';
		if (len && (fnmatch(g, d->name, 0) == 0 || fnmatch(g, d->bdf, 0) == 0 ||
			    fnmatch(g, d->bdf + 5, 0) == 0))
			return true;
	}
	return false;
}

size_t cli_pick_endpoints(const struct dmasim_device **eps, size_t n, const char *globs,
			  bool all)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if ((all || !dmasim_device_is_host_bridge_function(eps[i])) &&
		    (!globs || picked(eps[i], globs)))
			eps[k++] = eps[i];
	return k;
}

void cli_progress(const char *cmd, size_t done, size_t total)
{
	static const size_t min_total = 20000; /* pairs worth telling about */

	if (total < min_total || !isatty(STDERR_FILENO))
		return;
	if (done < total)
		fprintf(stderr, "\rdmasim %s: %zu of %zu pairs (%zu%%)", cmd, done, total,
			done * 100 / total);
	else
		fprintf(stderr, "\r%-60s\r", "");
}

/* One byte as \n, \r, \t or \xNN, or the valid UTF-8 sequence at @s as it is; @tap adds
 * TAP's escapes of '\' and '#'.  Returns the bytes consumed. */
static size_t esc_one(char out[8], const char *s, bool tap)
{
	unsigned char c = (unsigned char)*s;
	size_t n = dmasim__utf8_len(s);

	/* C1 controls (U+0080..U+009F) act on terminals as ESC does */
	if (n == 2 && c == 0xc2 && (unsigned char)s[1] < 0xa0)
		n = 0;
	if (n == 0 || c < 0x20 || c == 0x7f) {
		if (c == '\n' || c == '\r' || c == '\t')
			snprintf(out, 8, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		else
			snprintf(out, 8, "\\x%02x", c);
		return 1;
	}
	if (tap && (c == '\\' || c == '#')) {
		snprintf(out, 8, "\\%c", c);
		return 1;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}

static void put_escaped(FILE *f, const char *s, bool tap)
{
	char one[8];

	while (*s) {
		s += esc_one(one, s, tap);
		fputs(one, f);
	}
}

void cli_put_text(FILE *f, const char *s)
{
	put_escaped(f, s, false);
}

void cli_put_tap(FILE *f, const char *s)
{
	put_escaped(f, s, true);
}

const char *cli_text(char *buf, size_t size, const char *s)
{
	static const char more[] = "...";
	size_t len = 0, k;
	char one[8];

	if (size < sizeof(more) + 8) {
		if (size)
			buf[0] = '\0';
		return buf;
	}
	while (*s) {
		k = esc_one(one, s, false);
		if (len + strlen(one) + sizeof(more) > size) {
			memcpy(buf + len, more, sizeof(more));
			return buf;
		}
		memcpy(buf + len, one, strlen(one));
		len += strlen(one);
		s += k;
	}
	buf[len] = '\0';
	return buf;
}

int cli_check_pairs(const struct cli_ctx *cli, const char *cmd, const char *file,
		    uint64_t pairs)
{
	struct dmasim_limits lim = dmasim_limits_resolve(&cli->limits);

	if (pairs <= lim.pairs)
		return CLI_OK;
	fprintf(stderr, "%s: error: dmasim %s would evaluate %llu pairs of endpoints, more than the limit of %llu (raise it with --limit pairs=N)\n",
		CLI_TEXT(file), cmd, (unsigned long long)pairs, (unsigned long long)lim.pairs);
	return CLI_USAGE;
}

const char *cli_path_class(const struct dmasim_device *a, const struct dmasim_device *b)
{
	const struct dmasim_device *x = a->parent, *y = b->parent;

	if (a->hb != b->hb)
		return a->segment != b->segment ? "across-segments" : "across-host-bridges";
	while (x && y && x != y) {
		if (x->depth >= y->depth)
			x = x->parent;
		else
			y = y->parent;
	}
	if (!x || !y || x != y)
		return "same-host-bridge";
	switch (x->type) {
	case DMASIM_DEV_ROOT_PORT: return "same-root-port";
	case DMASIM_DEV_PCI_BRIDGE: return "same-pci-bridge";
	default: return "same-switch";
	}
}

static void port_label(char *buf, size_t size, const struct dmasim_hop *h)
{
	if (!h->dev)
		snprintf(buf, size, "%s", h->hb ? h->hb->name : "?");
	else if (strcmp(h->dev->name, h->dev->bdf) == 0)
		snprintf(buf, size, "%s", h->dev->bdf);
	else
		snprintf(buf, size, "%s %s", h->dev->bdf, h->dev->name);
}

static const char *hop_text(const struct dmasim_route *r, size_t i)
{
	const struct dmasim_hop *h = &r->hops[i];

	switch (h->action) {
	case DMASIM_HOP_UP: return "forwarded upstream";
	case DMASIM_HOP_ACS_REDIRECT: return "ACS Request Redirect: sent upstream";
	case DMASIM_HOP_ACS_UF: return "own window, ACS Upstream Forwarding: sent upstream";
	case DMASIM_HOP_SIBLING: return "routed to a peer on the same bus (peer-to-peer)";
	case DMASIM_HOP_IOMMU: return "IOMMU: IOVA translated to CPU address";
	case DMASIM_HOP_IDENTITY: return "no IOMMU translation: bus = CPU address";
	case DMASIM_HOP_INBOUND: return "inbound dma_ranges: bus to CPU address";
	case DMASIM_HOP_RC_P2P: return "root complex: host-bridge window, CPU to bus address";
	case DMASIM_HOP_DOWN: return "window decodes it downward";
	case DMASIM_HOP_BAR: return "claimed by a BAR";
	case DMASIM_HOP_RAM: return "system RAM";
	case DMASIM_HOP_INTER_SOCKET: return "inter-socket link to the target's socket";
	case DMASIM_HOP_FAULT:
	default: return dmasim_fault_name(r->land.fault);
	}
}

void cli_print_hops(const struct dmasim_route *r, const char *indent)
{
	char port[64];
	size_t i;

	for (i = 0; i < r->nhops; i++) {
		const struct dmasim_hop *h = &r->hops[i];

		port_label(port, sizeof(port), h);
		printf("%s%-24s %-13s 0x%llx", indent, CLI_TEXT(port),
		       dmasim_hop_action_name(h->action),
		       (unsigned long long)h->addr);
		if (h->addr_out != h->addr)
			printf(" -> 0x%llx", (unsigned long long)h->addr_out);
		printf("  %s\n", hop_text(r, i));
	}
}

void cli_json_hops(struct jw *w, const struct dmasim_route *r)
{
	size_t i;

	dmasim__jw_key(w, "hops");
	dmasim__jw_arr_begin(w);
	for (i = 0; i < r->nhops; i++) {
		const struct dmasim_hop *h = &r->hops[i];

		dmasim__jw_obj_begin(w);
		dmasim__jw_kstr(w, "action", dmasim_hop_action_name(h->action));
		if (h->dev) {
			dmasim__jw_kstr(w, "bdf", h->dev->bdf);
			dmasim__jw_kstr(w, "name", h->dev->name);
		} else {
			dmasim__jw_kstr(w, "host_bridge", h->hb ? h->hb->name : NULL);
		}
		dmasim__jw_khex(w, "addr", h->addr);
		dmasim__jw_khex(w, "addr_out", h->addr_out);
		dmasim__jw_obj_end(w);
	}
	dmasim__jw_arr_end(w);
}

void cli_json_begin(struct jw *w, bool pretty, const char *command)
{
	dmasim__jw_init(w, stdout, pretty);
	dmasim__jw_obj_begin(w);
	dmasim__jw_kint(w, "format", CLI_JSON_FORMAT);
	dmasim__jw_kstr(w, "command", command);
}

int cli_apply_policy(struct dmasim_topo *t, const struct dmasim_policy *policy)
{
	struct dmasim_error err;

	dmasim_error_init(&err);
	if (dmasim_topo_apply_policy(t, policy, &err) != DMASIM_OK) {
		cli_print_error(&err);
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* A slot of the open-addressed table: splitmix64's finaliser over the
 * device and inode numbers, so a walk of a large tree stays linear. */
static size_t dir_slot(const struct cli_dir_id *id, size_t cap)
{
	uint64_t x = (uint64_t)id->ino * 0x9e3779b97f4a7c15u ^ (uint64_t)id->dev;

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
	return (size_t)(x ^ (x >> 31)) & (cap - 1);
}

static void dir_put(struct cli_dir_id *v, size_t cap, struct cli_dir_id id)
{
	size_t i = dir_slot(&id, cap);

	while (v[i].used)
		i = (i + 1) & (cap - 1);
	v[i] = id;
}

bool cli_first_visit(struct cli_dirs_seen *s, const struct stat *st)
{
	struct cli_dir_id id = { st->st_dev, st->st_ino, true };
	size_t i;

	if (s->cap) {
		for (i = dir_slot(&id, s->cap); s->v[i].used; i = (i + 1) & (s->cap - 1))
			if (s->v[i].dev == id.dev && s->v[i].ino == id.ino)
				return false;
	}
	if (2 * (s->n + 1) > s->cap) {   /* at most half full */
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct cli_dir_id *v = calloc(cap, sizeof(*v));

		if (!v)
			return true;
		for (i = 0; i < s->cap; i++)
			if (s->v[i].used)
				dir_put(v, cap, s->v[i]);
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	dir_put(s->v, s->cap, id);
	s->n++;
	return true;
}

char *cli_path_join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);

	if (a && dir[a - 1] == '/')
		a--;
	if (p) {
		memcpy(p, dir, a);
		p[a] = '/';
		memcpy(p + a + 1, name, b + 1);
	}
	return p;
}

int cli_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}
