/* dmasim -- private to the command-line tool. */
#ifndef DMASIM_CLI_H
#define DMASIM_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>

#include "dmasim/dmasim.h"

/* Exit codes (docs/architecture.md, "Exit status of every command"). */
enum {
	CLI_OK = 0,     /* ran; every expectation held */
	CLI_FAIL = 1,   /* an expectation failed / a DMA went wrong */
	CLI_USAGE = 2,  /* bad input or usage */
};

/* What every command gets from the global options (main.c). */
struct cli_ctx {
	struct dmasim_limits limits;  /* --limit NAME=VALUE; zero: defaults */
};

/* One subcommand: argv[0] is the command's name. */
struct cli_cmd {
	const char *name;
	const char *summary;
	int (*run)(const struct cli_ctx *cli, int argc, char **argv);
};

/* The whole command line (main.c): global options, then one command;
 * returns the exit status.  main() (cli_entry.c) adds the check that
 * stdout was written; fuzz/fuzz_cli.c calls this directly. */
int cli_main(int argc, char **argv);

int cmd_validate(const struct cli_ctx *cli, int argc, char **argv);
int cmd_show(const struct cli_ctx *cli, int argc, char **argv);
/* Commands of the other layers add their entry points here. */
#include "cli/cmds.h"

/* cli_util.c */
/* Print "dmasim CMD: msg" and a hint to stderr; returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A map type and distance as matrix, diff and report write them: "BUS4",
 * "HB6", "NS", or "BUS"/"HB" alone when there is no distance (seed-2018). */
void cli_map_text(char *buf, size_t size, enum dmasim_map_type t, int dist);
/* The distance of a pair as diff compares it: none (-1) for a refused pair,
 * as pci_p2pdma_distance_many() (drivers/pci/p2pdma.c) returns -1 for it
 * whatever the walk counted. */
int cli_pair_distance(enum dmasim_map_type t, int dist);
/* Option @opt ("policy") of @cmd takes one value: store @arg in *@slot, or,
 * when an earlier one is there, fail with cli_usage() rather than let the
 * last one win silently. */
int cli_opt_once(const char *cmd, const char *opt, const char **slot, const char *arg);
/* After getopt_long() returned '?': name the argument of @argv it refused
 * (an unknown option, or one lacking or refusing a value) via cli_usage(). */
int cli_bad_option(const char *cmd, char **argv);
/* Print an error value as "file:line:col: error: msg" to stderr. */
void cli_print_error(const struct dmasim_error *err);
/* Load a topology or print why not; returns CLI_OK or CLI_USAGE.  A
 * directory or a tar archive (a sysfs snapshot, 'dmasim collect') is
 * refused with a message saying what to do with it instead. */
int cli_load_topo(const struct cli_ctx *cli, const char *path,
		  struct dmasim_topo **out);
/* Find a device by name/BDF or print why not; NULL on failure. */
const struct dmasim_device *cli_find_device(const struct dmasim_topo *topo,
					    const char *cmd, const char *what);
/* Parse a number (dmasim_parse_u64 syntax) or print why not. */
int cli_parse_u64(const char *cmd, const char *what, const char *s,
		  uint64_t *out);
/* All endpoints in pre-order into a new array (caller frees); the count. */
size_t cli_endpoints(const struct dmasim_topo *topo,
		     const struct dmasim_device ***out);
/* Keep, in order, the endpoints of @eps that the all-pairs commands
 * (matrix, diff) look at: no host-bridge function (class 0x0600,
 * dmasim_device_is_host_bridge_function(): the root complex's own
 * function, which the kernel only reads to tell the host bridge by
 * (pci_get_slot(host->bus, PCI_DEVFN(0, 0)) in __host_bridge_whitelist(),
 * drivers/pci/p2pdma.c), no p2pdma client or provider) unless @all, and when @globs is
 * not NULL only those whose name or BDF matches one of its
 * comma-separated fnmatch globs.  Returns how many are kept. */
size_t cli_pick_endpoints(const struct dmasim_device **eps, size_t n, const char *globs,
			  bool all);
/* Refuse an all-pairs run of @pairs endpoint pairs on @file beyond
 * --limit pairs (docs/limits.md); returns CLI_OK or CLI_USAGE. */
int cli_check_pairs(const struct cli_ctx *cli, const char *cmd, const char *file,
		    uint64_t pairs);
/* Where two devices meet in the tree: "same-switch" (their closest
 * common bridge is a switch port), "same-root-port", "same-pci-bridge",
 * "same-host-bridge" (different root ports of one host bridge),
 * "across-host-bridges" (one PCI segment) or "across-segments". */
const char *cli_path_class(const struct dmasim_device *a, const struct dmasim_device *b);
#define CLI_PATH_CLASSES { "same-switch", "same-root-port", "same-pci-bridge", \
			   "same-host-bridge", "across-host-bridges", "across-segments" }
#define CLI_NPATH_CLASSES 6
/* A route's hops, one line each after @indent (the port, the action, the
 * address in and out, what happened), as 'dmasim route' prints them; and
 * as the "hops" key of a JSON object (docs/json.md). */
struct jw;
void cli_print_hops(const struct dmasim_route *r, const char *indent);
void cli_json_hops(struct jw *w, const struct dmasim_route *r);
/* Start a command's JSON document on stdout: an object whose first keys
 * are "format" (CLI_JSON_FORMAT, raised when a key changes meaning or
 * goes away) and "command" (docs/json.md). */
#define CLI_JSON_FORMAT 1
void cli_json_begin(struct jw *w, bool pretty, const char *command);
/* cli_inferred.c: the inferred values (`inferred:` keys, docs/topology.md)
 * a verdict rests on, as phrases: port types on the pair's upstream
 * walks and the root complexes a request turns in (cli_inferred_path;
 * cli_inferred_pair adds p2pmem assumed on provider @a),
 * the root complexes and host-bridge windows a route went through
 * (cli_inferred_route), a landing BAR's size and window
 * (cli_inferred_landing).  Printed as "depends on inferred: a; b", and
 * in JSON as "depends_on_inferred": [...], both only when there are any. */
#define CLI_INFERRED_MAX 8
struct cli_inferred {
	size_t n;
	char item[CLI_INFERRED_MAX][160];
};
void cli_inferred_pair(struct cli_inferred *o, const struct dmasim_device *a,
		       const struct dmasim_device *b, enum dmasim_map_type map);
void cli_inferred_path(struct cli_inferred *o, const struct dmasim_device *a,
		       const struct dmasim_device *b, enum dmasim_map_type map);
void cli_inferred_landing(struct cli_inferred *o, const struct dmasim_landing *l);
void cli_inferred_route(struct cli_inferred *o, const struct dmasim_machine *m,
			const struct dmasim_device *from, const struct dmasim_route *r);
void cli_inferred_print(const struct cli_inferred *o, const char *indent);
void cli_inferred_json(struct jw *w, const struct cli_inferred *o);
/* The inferred values of many verdicts (a diff's changes, a matrix's
 * cells), each phrase once with how many verdicts rest on it, in the
 * order first met.  Zero-initialised; cli_inferred_tally_free() frees. */
struct cli_inferred_tally {
	struct cli_inferred_count { char text[sizeof(((struct cli_inferred *)0)->item[0])];
				    size_t count; } *v;
	size_t n, cap;
};
int cli_inferred_tally_add(struct cli_inferred_tally *t, const struct cli_inferred *o);
/* One line per phrase: "INDENTphrase (count)". */
void cli_inferred_tally_print(const struct cli_inferred_tally *t, const char *indent);
void cli_inferred_tally_free(struct cli_inferred_tally *t);
/* Progress of a long pair loop on stderr, only on a terminal and only
 * for large runs; call with done == total at the end to clear the line. */
void cli_progress(const char *cmd, size_t done, size_t total);
/* Text that came from an input (device, case, policy and file names) as
 * it may be printed: control characters (C0, DEL, C1) and bytes that are
 * not valid UTF-8 become \xNN, so that no name moves a terminal's cursor
 * or breaks a line.  cli_put_tap() also escapes '\' and '#' as TAP 14
 * asks of a test point's description. */
void cli_put_text(FILE *f, const char *s);
void cli_put_tap(FILE *f, const char *s);
/* The same into @buf (truncated with "..." when it does not fit), for
 * printf; CLI_TEXT(s) gives each use its own buffer in the caller's
 * block. */
const char *cli_text(char *buf, size_t size, const char *s);
#define CLI_TEXT_MAX 1024
#define CLI_TEXT(s) cli_text((char[CLI_TEXT_MAX]){ 0 }, CLI_TEXT_MAX, (s))
/* -o OUT of the commands that write a file: NULL (no -o) and "-" are
 * standard output.  cli_open_out() prints "dmasim CMD: cannot write OUT:
 * why" and returns NULL on failure; cli_close_out(), called right after
 * the last write (a failed write's errno is the reason it gives), closes
 * what it opened (standard output is left to main(), which checks it) and
 * returns CLI_OK or CLI_USAGE after printing why; cli_out_name() is OUT as
 * messages name it ("standard output"). */
bool cli_is_stdout(const char *out);
FILE *cli_open_out(const char *cmd, const char *out, const char *mode);
int cli_close_out(const char *cmd, const char *out, FILE *f);
const char *cli_out_name(const char *out);
/* Write @help to stdout; returns CLI_OK. */
int cli_help(const char *help);
/* A built-in policy name or a policy file (NULL: the default, linux-6.12),
 * or print why not; returns CLI_OK or CLI_USAGE. */
int cli_load_policy(const struct cli_ctx *cli, const char *what,
		    struct dmasim_policy *out);
/* `ctrl: auto` ACS words and what follows from them, as @policy's kernel
 * sets them (dmasim_topo_apply_policy); prints the error. */
int cli_apply_policy(struct dmasim_topo *t, const struct dmasim_policy *policy);

/* Directories met so far while walking file trees (check, and the fleets
 * of diff and audit), by device and inode: one reached again through a
 * symbolic link is not walked twice, nor forever around a loop. */
struct cli_dirs_seen {
	/* an open-addressed hash set: cap slots (0 or a power of two), n used */
	struct cli_dir_id { dev_t dev; ino_t ino; bool used; } *v;
	size_t n, cap;
};
/* True the first time @st is met (and remembers it; out of memory: true,
 * not remembered).  Free @s->v when done. */
bool cli_first_visit(struct cli_dirs_seen *s, const struct stat *st);
/* "@dir/@name" in malloc'ed memory, one '/' between them ("topologies/"
 * + "x" is "topologies/x"), or NULL. */
char *cli_path_join(const char *dir, const char *name);
/* qsort() comparison of two char * by strcmp(). */
int cli_cmp_str(const void *a, const void *b);

#endif
