/*
 * Fuzz the command line: the input is up to 24 arguments separated by NUL
 * bytes, given to the whole tool (cli_main(): global options, then any
 * command and its options) in a scratch directory that holds a few small
 * machines, a suite, a policy file and an lspci dump under short names.
 * Properties:
 *  - every command line ends (no crash, leak or hang) with exit status 0,
 *    1 or 2;
 *  - what a command prints with --json, when it succeeds (0 or 1), is one
 *    well-formed JSON document;
 *  - nothing it prints to stdout holds an ESC or BEL byte (names from the
 *    arguments are escaped as the input's are).
 * To stay inside the scratch directory, an input is skipped when an
 * argument names a path ('/'), holds ".." (`audit ..` walks the whole of
 * the scratch directory's parent), or runs `collect` or `import sysfs`
 * (which read this machine's /sys without a root).  Files the commands write
 * there (reports, imports) are removed after each input.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "fuzz.h"
#include "../tests/unit/wellformed.h"

#define MAX_ARGS 24
#define MAX_OUT (1u << 22)

/* The scratch directory's files: name, and source under the tree. */
static const char *const seeds[][2] = {
	{ "t.yaml", "topologies/x86_64/skylake-plx.yaml" },
	{ "a.yaml", "topologies/arm64/altra-smmu.yaml" },
	{ "o.yaml", "tests/data/scenario/arm64-offset.yaml" },
	{ "s.suite.yaml", "tests/data/scenario/inline.suite.yaml" },
	{ "f.suite.yaml", "tests/data/scenario/fail.suite.yaml" },
	{ "p.yaml", "tests/data/policy/allow-amd-genoa.yaml" },
	{ "d.dump", "tests/data/import/small.dump" },
};
#define NSEEDS (sizeof(seeds) / sizeof(seeds[0]))

static int out_fd = -1;
static char scratch[64];

static void copy(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	FUZZ_CHECK(in >= 0, "cannot read the seed %s", from);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	FUZZ_CHECK(out >= 0, "cannot write %s", to);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		FUZZ_CHECK(write(out, buf, (size_t)n) == n, "short write to %s", to);
	close(in);
	close(out);
}

static void clean(void);

/* At exit: the scratch directory goes. */
static void remove_scratch(void)
{
	size_t i;

	if (!scratch[0] || chdir(scratch) != 0)
		return;
	clean();
	for (i = 0; i < NSEEDS; i++)
		unlink(seeds[i][0]);
	unlink(".stdout");
	if (chdir("/") == 0)
		rmdir(scratch);
}

/* A scratch directory, the current one from now on (so inputs and corpora
 * must be named by absolute paths), with the seeds; stdin
 * empty, stdout into a file that each input's output replaces. */
static void setup(void)
{
	char dir[] = "/tmp/dmasim-fuzz-cli.XXXXXX", from[4096];
	int fd;
	size_t i;

	FUZZ_CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	for (i = 0; i < NSEEDS; i++) {
		snprintf(from, sizeof(from), "%s/%s", DMASIM_SOURCE_DIR, seeds[i][1]);
		{
			char to[4096];
			snprintf(to, sizeof(to), "%s/%s", dir, seeds[i][0]);
			copy(from, to);
		}
	}
	FUZZ_CHECK(chdir(dir) == 0, "chdir %s", dir);
	snprintf(scratch, sizeof(scratch), "%s", dir);
	atexit(remove_scratch);
	fd = open("/dev/null", O_RDONLY);
	FUZZ_CHECK(fd >= 0 && dup2(fd, STDIN_FILENO) >= 0, "stdin");
	close(fd);
	out_fd = open(".stdout", O_RDWR | O_CREAT | O_TRUNC, 0644);
	FUZZ_CHECK(out_fd >= 0, "stdout file");
	fflush(stdout);
	FUZZ_CHECK(dup2(out_fd, STDOUT_FILENO) >= 0, "stdout");
}

static bool is_seed(const char *name)
{
	size_t i;

	if (!strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, ".stdout"))
		return true;
	for (i = 0; i < NSEEDS; i++)
		if (!strcmp(name, seeds[i][0]))
			return true;
	return false;
}

/* Remove what the last command wrote (files; directories it made, empty). */
static void clean(void)
{
	DIR *d = opendir(".");
	struct dirent *e;

	FUZZ_CHECK(d != NULL, "opendir .");
	while ((e = readdir(d)) != NULL)
		if (!is_seed(e->d_name) && unlink(e->d_name) != 0)
			rmdir(e->d_name);
	closedir(d);
}

static char *read_output(size_t *len)
{
	char *buf;
	off_t end = lseek(STDOUT_FILENO, 0, SEEK_END);
	ssize_t n;

	if (end < 0)
		end = 0;
	*len = (size_t)end < MAX_OUT ? (size_t)end : MAX_OUT;
	buf = malloc(*len + 1);
	FUZZ_CHECK(buf != NULL, "out of memory");
	n = pread(STDOUT_FILENO, buf, *len, 0);
	*len = n > 0 ? (size_t)n : 0;
	buf[*len] = '\0';
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy_of, *argv[MAX_ARGS + 2], *out;
	size_t argc = 1, i, len;
	bool json = false, help = false;
	int status;

	if (out_fd < 0)
		setup();
	if (size > 4096)
		return 0;
	copy_of = malloc(size + 1);
	FUZZ_CHECK(copy_of != NULL, "out of memory");
	memcpy(copy_of, data, size);
	copy_of[size] = '\0';
	argv[0] = "dmasim";
	for (i = 0; i < size && argc <= MAX_ARGS; i += strlen(copy_of + i) + 1)
		argv[argc++] = copy_of + i;
	argv[argc] = NULL;
	for (i = 1; i < argc; i++) {
		if (strchr(argv[i], '/') || strstr(argv[i], "..") || !strcmp(argv[i], "collect") ||
		    !strcmp(argv[i], "sysfs")) {
			free(copy_of);
			return 0;
		}
		json |= !strcmp(argv[i], "--json");
		help |= !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ||
			!strcmp(argv[i], "help") || !strcmp(argv[i], "--version") ||
			!strcmp(argv[i], "-V") || !strncmp(argv[i], "--he", 4);
	}
	FUZZ_CHECK(ftruncate(STDOUT_FILENO, 0) == 0 && lseek(STDOUT_FILENO, 0, SEEK_SET) == 0,
		   "reset stdout");
	clearerr(stdout);
	optind = 0;   /* getopt starts afresh for every command line */
	status = cli_main((int)argc, argv);
	fflush(stdout);
	out = read_output(&len);
	FUZZ_CHECK(status >= 0 && status <= 2, "exit status %d", status);
	FUZZ_CHECK(!memchr(out, '\033', len) && !memchr(out, '\007', len),
		   "ESC or BEL on stdout");
	if (json && !help && status != 2 && len && out[0] == '{')
		FUZZ_CHECK(strlen(out) == len && wf_json(out),
			   "--json printed something that is not JSON:\n%.2000s", out);
	free(out);
	free(copy_of);
	clean();
	return 0;
}
