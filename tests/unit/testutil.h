/* tests/unit/testutil.h - shared scaffolding for the CUnit suites.
 *
 * A suite file defines its tests and a table, then calls ft_test_main():
 *
 *   static const ft_test_case cases[] = {{"name", fn}, ..., {NULL, NULL}};
 *   int main(void) { return ft_test_main("suite", cases); }
 *
 * The run prints CUnit's verbose report and its summary, and the program
 * exits non-zero when any assertion failed, which is what `make check` reads.
 */
#ifndef FT_TESTUTIL_H
#define FT_TESTUTIL_H

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ft_test_case {
  const char *name;
  void (*fn)(void);
} ft_test_case;

static inline int ft_test_main(const char *suite_name, const ft_test_case *cases) {
  CU_pSuite suite;
  unsigned failed;
  int i;
  if (CU_initialize_registry() != CUE_SUCCESS) return 2;
  suite = CU_add_suite(suite_name, NULL, NULL);
  if (!suite) {
    CU_cleanup_registry();
    return 2;
  }
  for (i = 0; cases[i].name; i++)
    if (!CU_add_test(suite, cases[i].name, cases[i].fn)) {
      CU_cleanup_registry();
      return 2;
    }
  CU_basic_set_mode(CU_BRM_VERBOSE);
  CU_basic_run_tests();
  failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
  CU_cleanup_registry();
  return failed ? 1 : 0;
}

/* Directory of the source tree (for samples/ and tests/data/). */
static inline const char *ft_test_srcdir(void) {
  const char *s = getenv("FT_SRCDIR");
  return s && *s ? s : ".";
}

#endif
