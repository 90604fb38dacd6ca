/* dmasim -- helpers shared by the subcommands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dmasim %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'dmasim %s --help'.\n", cmd);
	return CLI_USAGE;
}

void cli_print_error(const struct dmasim_error *err)
{
	char buf[512];

	dmasim_error_snprintf(buf, sizeof(buf), err);
	fprintf(stderr, "%s\n", buf);
}

int cli_load_topo(const struct cli_ctx *cli, const char *path,
		  struct dmasim_topo **out)
{
	struct dmasim_error err;

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
