/* dmasim -- the tool's main(): the command line (cli_main() in main.c),
 * then the check that everything printed reached stdout. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

/* Everything a command printed reached stdout, or say why not: a full
 * disk or a closed pipe must not pass for success (exit 2). */
static int finish_stdout(int rc)
{
	int e = 0;

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		e = errno ? errno : EIO;
	if (fclose(stdout) != 0 && !e)
		e = errno ? errno : EIO;
	if (!e)
		return rc;
	fprintf(stderr, "dmasim: write error on standard output: %s\n", strerror(e));
	return CLI_USAGE;
}

int main(int argc, char **argv)
{
	return finish_stdout(cli_main(argc, argv));
}
