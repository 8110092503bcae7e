// SPDX-License-Identifier: MIT
/* Unit tests: formats/util.c (parsing, escaping, string buffer). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "formats/jsonutil.h"
#include "formats/util.h"

static const struct {
	const char *in;
	int rc;
	uint64_t ns;
} durations[] = {
	{ "500ms", 0, 500000000ULL },
	{ "2s", 0, 2000000000ULL },
	{ "1.5s", 0, 1500000000ULL },
	{ "100us", 0, 100000ULL },
	{ "10ns", 0, 10ULL },
	{ "3m", 0, 180000000000ULL },
	{ "1h", 0, 3600000000000ULL },
	{ "0.25", 0, 250000000ULL }, /* bare = seconds in this table */
	{ "7", 0, 7000000000ULL },
	{ "", -EINVAL, 0 },
	{ "ms", -EINVAL, 0 },
	{ "5 ms", -EINVAL, 0 },
	{ "5parsecs", -EINVAL, 0 },
	{ "-5s", -EINVAL, 0 },
	{ "99999999999999999999s", -ERANGE, 0 },
};

START_TEST(test_parse_duration)
{
	uint64_t v = 12345;
	int rc = fr_parse_duration(durations[_i].in, 1000000000ULL, &v);

	ck_assert_msg(rc == durations[_i].rc, "'%s': rc %d, expected %d", durations[_i].in, rc,
		      durations[_i].rc);
	if (!rc)
		ck_assert_msg(v == durations[_i].ns, "'%s': %llu, expected %llu", durations[_i].in,
			      (unsigned long long)v, (unsigned long long)durations[_i].ns);
}
END_TEST

static const struct {
	const char *in;
	int rc;
	uint64_t v;
} sizes[] = {
	{ "4096", 0, 4096 },         { "64M", 0, 64ULL << 20 }, { "1G", 0, 1ULL << 30 },
	{ "512k", 0, 512ULL << 10 }, { "1.5K", 0, 1536 },       { "2MiB", 0, 2ULL << 20 },
	{ "", -EINVAL, 0 },          { "M", -EINVAL, 0 },       { "12Q", -EINVAL, 0 },
};

START_TEST(test_parse_size)
{
	uint64_t v = 0;
	int rc = fr_parse_size(sizes[_i].in, &v);

	ck_assert_msg(rc == sizes[_i].rc, "'%s': rc %d", sizes[_i].in, rc);
	if (!rc)
		ck_assert_msg(v == sizes[_i].v, "'%s': %llu", sizes[_i].in, (unsigned long long)v);
}
END_TEST

START_TEST(test_parse_u64)
{
	uint64_t v;

	ck_assert_int_eq(fr_parse_u64("0", &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(fr_parse_u64("18446744073709551615", &v), 0);
	ck_assert(v == UINT64_MAX);
	ck_assert_int_eq(fr_parse_u64("18446744073709551616", &v), -ERANGE);
	ck_assert_int_eq(fr_parse_u64("12a", &v), -EINVAL);
	ck_assert_int_eq(fr_parse_u64("", &v), -EINVAL);
	ck_assert_int_eq(fr_parse_u64("-1", &v), -EINVAL);
}
END_TEST

static const struct {
	const char *data;
	size_t len, full, max;
	const char *out;
} escapes[] = {
	{ "hello\n", 6, 6, 32, "\"hello\\n\"" },
	{ "a\tb\r\"\\", 6, 6, 32, "\"a\\tb\\r\\\"\\\\\"" },
	{ "\x01\x7f\xff", 3, 3, 32, "\"\\1\\177\\377\"" },
	{ "\x01" "2", 2, 2, 32, "\"\\0012\"" }, /* a digit follows: three octal digits */
	{ "abcdef", 6, 6, 3, "\"abc\"..." },    /* shown part limited by max */
	{ "abc", 3, 10, 32, "\"abc\"..." },     /* captured less than the full length */
	{ "", 0, 0, 32, "\"\"" },
};

START_TEST(test_escape)
{
	struct fr_sb sb;

	fr_sb_init(&sb);
	fr_sb_escape(&sb, (const uint8_t *)escapes[_i].data, escapes[_i].len, escapes[_i].full,
		     escapes[_i].max);
	ck_assert_str_eq(fr_sb_str(&sb), escapes[_i].out);
	fr_sb_free(&sb);
}
END_TEST

START_TEST(test_escape_every_byte)
{
	/* every byte value escapes to something that contains no raw control
	 * character, and printable ASCII stays itself */
	struct fr_sb sb;
	unsigned c;

	fr_sb_init(&sb);
	for (c = 0; c < 256; c++) {
		uint8_t b = (uint8_t)c;
		size_t i;

		fr_sb_reset(&sb);
		fr_sb_escape(&sb, &b, 1, 1, 32);
		for (i = 0; i < sb.len; i++)
			ck_assert_msg(sb.buf[i] >= 0x20 && sb.buf[i] < 0x7f,
				      "byte %u escaped to a raw control char", c);
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			ck_assert_int_eq(sb.len, 3);
	}
	fr_sb_free(&sb);
}
END_TEST

START_TEST(test_sb_growth)
{
	struct fr_sb sb;
	int i;

	fr_sb_init(&sb);
	ck_assert_str_eq(fr_sb_str(&sb), "");
	for (i = 0; i < 10000; i++)
		fr_sb_printf(&sb, "%d,", i);
	ck_assert(!sb.oom);
	ck_assert(strncmp(fr_sb_str(&sb), "0,1,2,3,", 8) == 0);
	ck_assert(strstr(fr_sb_str(&sb), ",9999,") != NULL);
	fr_sb_reset(&sb);
	ck_assert_str_eq(fr_sb_str(&sb), "");
	fr_sb_free(&sb);
}
END_TEST

START_TEST(test_fmt)
{
	char b[64];

	fr_fmt_duration(b, sizeof(b), 999);
	ck_assert_str_eq(b, "999 ns");
	fr_fmt_duration(b, sizeof(b), 812000000);
	ck_assert_str_eq(b, "812.0 ms");
	fr_fmt_duration(b, sizeof(b), 12500000000ULL);
	ck_assert_str_eq(b, "12.50 s");
	fr_fmt_size(b, sizeof(b), 1536);
	ck_assert_str_eq(b, "1.5 KiB");
	fr_fmt_utc(b, sizeof(b), 1000000000ULL, 1795000000000000000LL);
	ck_assert_str_eq(b, "2026-11-18T11:06:41.000000000Z");
}
END_TEST

START_TEST(test_json_bytes)
{
	static const char *const in[] = { "plain", "caf\xc3\xa9", "bad\xff\xfe", "\xc0\x80", "" };
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		json_t *j = fr_json_str(in[i]);
		char *back = NULL;

		ck_assert_ptr_nonnull(j);
		ck_assert_int_eq(fr_json_get_str(j, 100, &back), 0);
		ck_assert_str_eq(back, in[i]);
		/* invalid UTF-8 is stored as hex, valid as a string */
		ck_assert(json_is_string(j) == (i != 2 && i != 3));
		free(back);
		json_decref(j);
	}
}
END_TEST

START_TEST(test_json_bytes_hostile)
{
	char *s = NULL;
	json_t *j;

	j = json_pack("{s:s}", "hex", "4");
	ck_assert_int_eq(fr_json_get_str(j, 100, &s), -EINVAL); /* odd length */
	json_decref(j);
	j = json_pack("{s:s}", "hex", "zz");
	ck_assert_int_eq(fr_json_get_str(j, 100, &s), -EINVAL);
	json_decref(j);
	j = json_pack("{s:s}", "hex", "6100");
	ck_assert_int_eq(fr_json_get_str(j, 100, &s), -EINVAL); /* embedded NUL */
	json_decref(j);
	j = json_string("abcdef");
	ck_assert_int_eq(fr_json_get_str(j, 3, &s), -EINVAL); /* over the cap */
	json_decref(j);
	j = json_integer(5);
	ck_assert_int_eq(fr_json_get_str(j, 3, &s), -EINVAL);
	json_decref(j);
	ck_assert_ptr_null(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_parse_duration, 0, sizeof(durations) / sizeof(durations[0]));
	tcase_add_loop_test(tc, test_parse_size, 0, sizeof(sizes) / sizeof(sizes[0]));
	tcase_add_test(tc, test_parse_u64);
	tcase_add_loop_test(tc, test_escape, 0, sizeof(escapes) / sizeof(escapes[0]));
	tcase_add_test(tc, test_escape_every_byte);
	tcase_add_test(tc, test_sb_growth);
	tcase_add_test(tc, test_fmt);
	tcase_add_test(tc, test_json_bytes);
	tcase_add_test(tc, test_json_bytes_hostile);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
