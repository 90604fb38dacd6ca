/* dmasim tests -- the YAML loader: formats, errors and robustness. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

START_TEST(test_load_numbers)
{
	uint64_t v;

	ck_assert_int_eq(dmasim_parse_u64("0x10", &v), 0);
	ck_assert_uint_eq(v, 16);
	ck_assert_int_eq(dmasim_parse_u64("4K", &v), 0);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(dmasim_parse_u64("0x2M", &v), 0);
	ck_assert_uint_eq(v, 2u << 20);
	ck_assert_int_eq(dmasim_parse_u64("1T", &v), 0);
	ck_assert_uint_eq(v, 1ull << 40);
	ck_assert_int_eq(dmasim_parse_u64("18446744073709551615", &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_ne(dmasim_parse_u64("18446744073709551616", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("0x10000000000000000", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("16777216T", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("0x", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("-1", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("12k", &v), 0);
	ck_assert_int_ne(dmasim_parse_u64("1 G", &v), 0);
}
END_TEST

START_TEST(test_load_bdf)
{
	uint16_t seg;
	uint8_t bus, devfn;

	ck_assert_int_eq(dmasim_parse_bdf("03:1f.7", &seg, &bus, &devfn), 0);
	ck_assert_uint_eq(seg, 0);
	ck_assert_uint_eq(bus, 3);
	ck_assert_uint_eq(devfn, 0x1f << 3 | 7);
	ck_assert_int_eq(dmasim_parse_bdf("0001:a0:00.0", &seg, &bus, &devfn), 0);
	ck_assert_uint_eq(seg, 1);
	ck_assert_uint_eq(bus, 0xa0);
	ck_assert_int_ne(dmasim_parse_bdf("03:20.0", &seg, &bus, &devfn), 0);
	ck_assert_int_ne(dmasim_parse_bdf("03:00.8", &seg, &bus, &devfn), 0);
	ck_assert_int_ne(dmasim_parse_bdf("3:00.0", &seg, &bus, &devfn), 0);
	ck_assert_int_ne(dmasim_parse_bdf("03:00.0x", &seg, &bus, &devfn), 0);
}
END_TEST

/* Every prefix of a valid topology either loads or fails cleanly (run
 * under DMASIM_SANITIZE=ON this also proves there is no leak or overrun). */
START_TEST(test_load_survives_truncation_at_every_byte)
{
	size_t len, i;
	char *text = tu_read_file(DMASIM_TOPOLOGIES "/x86_64/skylake-plx.yaml", &len);
	unsigned failed = 0;

	for (i = 0; i <= len; i++) {
		struct dmasim_topo *t = NULL;
		struct dmasim_error err;

		dmasim_error_init(&err);
		if (dmasim_topo_load_string(text, i, "cut.yaml", &t, &err) != DMASIM_OK) {
			ck_assert_msg(err.msg[0] != '\0', "error without a message at %zu", i);
			ck_assert_ptr_null(t);
			failed++;
		}
		dmasim_topo_destroy(t);
	}
	ck_assert_uint_gt(failed, len / 2);
	free(text);
}
END_TEST

static Suite *load_suite(void)
{
	Suite *s = suite_create("load");
	TCase *tc = tcase_create("Formats");

	tcase_add_test(tc, test_load_numbers);
	tcase_add_test(tc, test_load_bdf);
	suite_add_tcase(s, tc);
	tc = tcase_create("Robustness");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_load_survives_truncation_at_every_byte);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(load_suite());
}
