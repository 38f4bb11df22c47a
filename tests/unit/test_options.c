/* tests/unit/test_options.c - the CLI's option-value parsers (src/cli/options.c).
 *
 * Accepted spellings set exactly the expected fields; everything else (empty,
 * out of range, trailing text, leading blanks, overflow) is refused and
 * leaves the destination untouched.
 */
#include "config.h"

#include "cli/options.h"
#include "testutil.h"

static void test_threshold_numbers(void) {
  ft_segment_params p;
  ft_segment_params_init(&p);
  CU_ASSERT_EQUAL(cli_parse_threshold("0.45", &p), 0);
  CU_ASSERT_EQUAL(p.method, FT_THRESH_VALUE);
  CU_ASSERT_DOUBLE_EQUAL(p.value, 0.45, 1e-12);
  CU_ASSERT_EQUAL(cli_parse_threshold("0", &p), 0);
  CU_ASSERT_DOUBLE_EQUAL(p.value, 0.0, 0.0);
  CU_ASSERT_EQUAL(cli_parse_threshold("1", &p), 0);
  CU_ASSERT_DOUBLE_EQUAL(p.value, 1.0, 0.0);
  CU_ASSERT_EQUAL(cli_parse_threshold("30%", &p), 0);
  CU_ASSERT_DOUBLE_EQUAL(p.value, 0.30, 1e-12);
  CU_ASSERT_EQUAL(cli_parse_threshold("100%", &p), 0);
  CU_ASSERT_DOUBLE_EQUAL(p.value, 1.0, 1e-12);
}

static void test_threshold_names(void) {
  ft_segment_params p;
  ft_segment_params_init(&p);
  p.method = FT_THRESH_VALUE;
  CU_ASSERT_EQUAL(cli_parse_threshold("otsu", &p), 0);
  CU_ASSERT_EQUAL(p.method, FT_THRESH_OTSU);
  CU_ASSERT_PTR_NOT_NULL(strstr(cli_threshold_names(), "otsu"));
}

static void test_threshold_rejects(void) {
  static const char *const bad[] = {"", " 0.5", "0.5 ", "0.5x", "1.01", "-0.1", "101%",
                                    "50%%", "nan", "inf", "1e999", "otsu:w=3", "abc", "%"};
  ft_segment_params p;
  size_t i;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ft_segment_params_init(&p);
    p.value = 0.25;
    CU_ASSERT_EQUAL(cli_parse_threshold(bad[i], &p), -1);
    CU_ASSERT_EQUAL(p.method, FT_THRESH_OTSU);
    CU_ASSERT_DOUBLE_EQUAL(p.value, 0.25, 0.0);
  }
  CU_ASSERT_EQUAL(cli_parse_threshold(NULL, &p), -1);
}

static void test_long(void) {
  long v = 7;
  CU_ASSERT_EQUAL(cli_parse_long("0", 0, 10, &v), 0);
  CU_ASSERT_EQUAL(v, 0);
  CU_ASSERT_EQUAL(cli_parse_long("10", 0, 10, &v), 0);
  CU_ASSERT_EQUAL(v, 10);
  v = 7;
  CU_ASSERT_EQUAL(cli_parse_long("11", 0, 10, &v), -1);
  CU_ASSERT_EQUAL(cli_parse_long("-1", 0, 10, &v), -1);
  CU_ASSERT_EQUAL(cli_parse_long("", 0, 10, &v), -1);
  CU_ASSERT_EQUAL(cli_parse_long(" 3", 0, 10, &v), -1);
  CU_ASSERT_EQUAL(cli_parse_long("3a", 0, 10, &v), -1);
  CU_ASSERT_EQUAL(cli_parse_long("99999999999999999999999", 0, 10, &v), -1);
  CU_ASSERT_EQUAL(v, 7);
}

static void test_pixels(void) {
  uint64_t v = 5;
  CU_ASSERT_EQUAL(cli_parse_pixels("1000", &v), 0);
  CU_ASSERT_EQUAL(v, 1000u);
  CU_ASSERT_EQUAL(cli_parse_pixels("50M", &v), 0);
  CU_ASSERT_EQUAL(v, 50000000u);
  CU_ASSERT_EQUAL(cli_parse_pixels("2k", &v), 0);
  CU_ASSERT_EQUAL(v, 2000u);
  CU_ASSERT_EQUAL(cli_parse_pixels("3G", &v), 0);
  CU_ASSERT_EQUAL(v, 3000000000u);
  v = 5;
  CU_ASSERT_EQUAL(cli_parse_pixels("0", &v), -1);
  CU_ASSERT_EQUAL(cli_parse_pixels("-5", &v), -1);
  CU_ASSERT_EQUAL(cli_parse_pixels("12Q", &v), -1);
  CU_ASSERT_EQUAL(cli_parse_pixels("12MM", &v), -1);
  CU_ASSERT_EQUAL(cli_parse_pixels("", &v), -1);
  CU_ASSERT_EQUAL(cli_parse_pixels("M", &v), -1);
  CU_ASSERT_EQUAL(cli_parse_pixels("18446744073709551615G", &v), -1);
  CU_ASSERT_EQUAL(cli_parse_pixels("99999999999999999999999", &v), -1);
  CU_ASSERT_EQUAL(v, 5u);
}

static const ft_test_case cases[] = {
    {"threshold numbers and percentages", test_threshold_numbers},
    {"threshold method names", test_threshold_names},
    {"threshold rejects malformed values", test_threshold_rejects},
    {"whole numbers in a range", test_long},
    {"pixel counts with suffixes", test_pixels},
    {NULL, NULL},
};

int main(void) { return ft_test_main("cli options", cases); }
