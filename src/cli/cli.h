/* dmasim -- private to the command-line tool. */
#ifndef DMASIM_CLI_H
#define DMASIM_CLI_H

#include <stdbool.h>
#include <stdio.h>

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

int cmd_validate(const struct cli_ctx *cli, int argc, char **argv);
int cmd_show(const struct cli_ctx *cli, int argc, char **argv);
/* Commands of the other layers add their entry points here. */
#include "cli/cmds.h"

/* cli_util.c */
/* Print "dmasim CMD: msg" and a hint to stderr; returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print an error value as "file:line:col: error: msg" to stderr. */
void cli_print_error(const struct dmasim_error *err);
/* Load a topology or print why not; returns CLI_OK or CLI_USAGE. */
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
/* Progress of a long pair loop on stderr, only on a terminal and only
 * for large runs; call with done == total at the end to clear the line. */
void cli_progress(const char *cmd, size_t done, size_t total);
/* Write @help to stdout; returns CLI_OK. */
int cli_help(const char *help);
/* A built-in policy name or a policy file (NULL: the default, linux-6.12),
 * or print why not; returns CLI_OK or CLI_USAGE. */
int cli_load_policy(const struct cli_ctx *cli, const char *what,
		    struct dmasim_policy *out);

#endif
