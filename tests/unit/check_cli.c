/* dmasim tests -- the command line's own helpers (src/cli/cli_util.c). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "cli/cli.h"

static struct stat dir_id(dev_t dev, ino_t ino)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_dev = dev;
	st.st_ino = ino;
	return st;
}

/* The directory walks of check and the fleets remember every directory and
 * file met, so a symbolic link never makes them read one twice or loop. */
START_TEST(test_first_visit_remembers_each_directory_once)
{
	struct cli_dirs_seen seen = { 0 };
	struct stat st;
	size_t i;

	for (i = 0; i < 50000; i++) {
		st = dir_id((dev_t)(i % 3), (ino_t)(i * 7919));
		ck_assert_msg(cli_first_visit(&seen, &st), "entry %zu met first", i);
	}
	for (i = 0; i < 50000; i++) {
		st = dir_id((dev_t)(i % 3), (ino_t)(i * 7919));
		ck_assert_msg(!cli_first_visit(&seen, &st), "entry %zu met again", i);
	}
	/* the same inode on another device is another directory */
	st = dir_id(7, 7919);
	ck_assert(cli_first_visit(&seen, &st));
	ck_assert(!cli_first_visit(&seen, &st));
	ck_assert_uint_eq(seen.n, 50001);
	ck_assert_uint_le(2 * seen.n, seen.cap);
	free(seen.v);
}
END_TEST

START_TEST(test_path_join_puts_one_slash)
{
	char *p = cli_path_join("topologies/", "x.yaml"), *q = cli_path_join("a", "b");

	ck_assert_str_eq(p, "topologies/x.yaml");
	ck_assert_str_eq(q, "a/b");
	free(p);
	free(q);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("Helpers");

	tcase_add_test(tc, test_first_visit_remembers_each_directory_once);
	tcase_add_test(tc, test_path_join_puts_one_slash);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(cli_suite());
}
