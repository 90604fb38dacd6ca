/*
 * dmasim -- private to the command-line tool: fleets of machines for
 * 'dmasim diff' and 'dmasim audit' (docs/fleet.md).
 *
 * A machine is a topology YAML file, a sysfs snapshot directory (one that
 * holds sys/bus/pci/devices) or a tar archive of one as 'dmasim collect'
 * writes it.  A directory that is no snapshot is walked: every machine
 * below it, in the byte order of the paths.  The list can be cut into
 * shards (--shard K/N) so that N processes share it.
 */
#ifndef DMASIM_CLI_FLEET_H
#define DMASIM_CLI_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "dmasim/import.h"

struct cli_fleet {
	char **path;       /* this shard's machines, in order */
	size_t *index;     /* each one's position in the whole list, from 0 */
	size_t n;
	size_t total;      /* machines in the whole list (all shards) */
	size_t suites;     /* suite files met (no machines; skipped) */
	size_t skipped;    /* other files below the directories (no machines) */
	bool walked;       /* a directory was walked (print the fleet table) */
	unsigned shard_k, shard_n;   /* 0/0: not sharded */
	char id[17];       /* the whole list's fingerprint (cli_fleet_id) */
	const char *options;   /* the command's options that shape each machine's
				* result, as text ("" or NULL: none); set by
				* the command, written as "options" */
};

/* The fingerprint of a whole list of @n machines (or suites) in their
 * order, before it is cut into shards: FNV-1a 64 of each path's bytes and
 * a NUL after each, as 16 lowercase hex digits in @out.  Every shard of
 * one run has the same; shards of other directories, other contents or
 * other arguments have another (docs/fleet.md, "Merging"). */
void cli_fleet_id(char *const *paths, size_t n, char out[17]);

/* "K/N" with 1 <= K <= N <= 1,000,000, or print why not (CLI_USAGE). */
int cli_parse_shard(const char *cmd, const char *s, unsigned *k, unsigned *n);
/* Is item @i (from 0) of a sorted list in shard @k of @n?  (i % n == k - 1;
 * n == 0: not sharded, everything is.) */
bool cli_in_shard(size_t i, unsigned k, unsigned n);
/* The machines named by @args (files and directories), then cut to shard
 * @k of @n (0/0: all).  CLI_OK or CLI_USAGE after printing why. */
int cli_fleet_expand(const char *cmd, char *const *args, size_t nargs, unsigned k,
		     unsigned n, struct cli_fleet *out);
void cli_fleet_free(struct cli_fleet *f);
/* Load one machine: a topology file, a snapshot directory or archive
 * (imported as 'dmasim import sysfs' does).  DMASIM_OK, or an error value
 * in @err (not printed). */
int cli_load_machine(const struct cli_ctx *cli, const char *path, struct dmasim_topo **out,
		     struct dmasim_error *err);
/* `import sysfs FILE.tar`: the archive's snapshot as topology YAML. */
int cli_import_tarball(const char *tarball, const struct dmasim_limits *lim,
		       struct dmasim_import_opts *opts, char **yaml, size_t *ylen,
		       struct dmasim_error *err);
/* One machine's line in the fleet table: its counts (@v, as many as the
 * table has columns), or the error that kept it from loading. */
struct cli_fleet_row {
	const char *file;
	size_t index;
	char error[512];   /* "" when loaded */
	size_t v[4];
};
/* The table on stdout: a header line (machine and @cols), one line per
 * row, then "total" with the column sums and the count of machines,
 * those with a nonzero count in column @flag_col named @flag_name, and
 * those that failed. */
void cli_fleet_table(const struct cli_fleet_row *rows, size_t n, const char *const *cols,
		     size_t ncols, size_t flag_col, const char *flag_name);
/* After the table: the shard's share of the fleet, the files below the
 * directories that are no machine, the suite files skipped; a line each,
 * only when there are any. */
void cli_fleet_footer(const struct cli_fleet *f);
/* The rows as the JSON array "machines": {"file", "index", one key per
 * column} or {"file", "index", "error"} (docs/json.md). */
struct jw;
void cli_fleet_json_rows(struct jw *w, const struct cli_fleet_row *rows, size_t n,
			 const char *const *cols, size_t ncols);
/* The fleet's keys of a JSON document: "machines_total", "skipped_suites",
 * "skipped_files", "shard" ("K/N" or null), "fleet" (f->id), "options". */
void cli_fleet_json_info(struct jw *w, const struct cli_fleet *f);
/* "shard" ("K/N", or null when @n is 0) and "fleet" (@id): what tells the
 * shards of one run from those of another (docs/json.md). */
void cli_fleet_json_shard(struct jw *w, unsigned k, unsigned n, const char *id);
/* "[I/N] PATH" on stderr before machine I (from 1) when @on (--progress,
 * or stderr is a terminal); with I > N the line is ended. */
void cli_fleet_progress(bool on, size_t i, size_t n, const char *path);
/* Progress wanted: --progress, or stderr is a terminal and n > 1. */
bool cli_fleet_progress_on(bool forced, size_t n);

#endif
