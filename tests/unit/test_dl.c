/* tests/unit/test_dl.c - optional libraries opened on first use (src/dl). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dl/blas.h"
#include "dl/cairo.h"
#include "dl/dl.h"
#include "dl/jpeg.h"
#include "dl/json.h"
#include "dl/png.h"
#include "dl/tiff.h"
#include "dl/xml.h"
#include "testutil.h"

static int never_called(void *h, const char **missing) {
  (void)h;
  *missing = "nothing";
  return -1;
}

static int lacks_symbol(void *h, const char **missing) {
  if (!ft__dl_sym(h, "cairo_create")) {
    *missing = "cairo_create";
    return -1;
  }
  if (!ft__dl_sym(h, "ft_no_such_function")) {
    *missing = "ft_no_such_function";
    return -1;
  }
  return 0;
}

/* A library that is not there: a clear message, the same on every call. */
static void test_missing_library(void) {
  static const ft__dl lib = {"demo", "libfigtrace-no-such-library.so.7", "/nonexistent",
                             never_called};
  ft_ctx *ctx = ft_ctx_new();
  char first[FT__ERRMSG_MAX];
  CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
  CU_ASSERT_EQUAL(ft__dl_require(ctx, &lib), FT_ERR_UNSUPPORTED);
  snprintf(first, sizeof first, "%s", ft_ctx_errmsg(ctx));
  CU_ASSERT_PTR_NOT_NULL(strstr(first, "demo: cannot load libfigtrace-no-such-library.so.7"));
  CU_ASSERT_EQUAL(ft__dl_require(ctx, &lib), FT_ERR_UNSUPPORTED);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), first);
  CU_ASSERT_EQUAL(ft__dl_require(NULL, &lib), FT_ERR_UNSUPPORTED);
  ft_ctx_free(ctx);
}

#if FT_LAZY_LIBS
/* A library that loads but lacks a symbol names the symbol. */
static void test_missing_symbol(void) {
  static const ft__dl lib = {"demo", FT_SONAME_CAIRO, NULL, lacks_symbol};
  ft_ctx *ctx = ft_ctx_new();
  CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
  CU_ASSERT_EQUAL(ft__dl_require(ctx, &lib), FT_ERR_UNSUPPORTED);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "has no symbol ft_no_such_function"));
  ft_ctx_free(ctx);
}
#endif

/* The real libraries open (repeatedly) on this build. */
static void test_real_libraries(void) {
  ft_ctx *ctx = ft_ctx_new();
  CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
  CU_ASSERT_EQUAL(ft__cairo_require(ctx), FT_OK);
  CU_ASSERT_EQUAL(ft__tiff_require(ctx), FT_OK);
  CU_ASSERT_EQUAL(ft__xml_require(ctx), FT_OK);
  CU_ASSERT_EQUAL(ft__jpeg_require(ctx), FT_OK);
  CU_ASSERT_EQUAL(ft__blas_require(ctx), FT_OK);
  CU_ASSERT_EQUAL(ft__png_require(ctx), FT_OK);
  CU_ASSERT_EQUAL(ft__json_require(ctx), FT_OK);
  CU_ASSERT_EQUAL(ft__cairo_require(ctx), FT_OK);
  ft_ctx_free(ctx);
}

/* cblas_sgemm through the wrapper: C = A B exactly for small integers. */
static void test_sgemm(void) {
  const float a[2 * 3] = {1, 2, 3, 4, 5, 6};
  const float b[3 * 2] = {7, 8, 9, 10, 11, 12};
  float c[2 * 4] = {-1, -1, 99, 99, -1, -1, 99, 99}; /* ldc 4: columns 2, 3 untouched */
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 3, 1.0f, a, 3, b, 2, 0.0f, c, 4);
  CU_ASSERT_EQUAL(c[0], 58.0f);
  CU_ASSERT_EQUAL(c[1], 64.0f);
  CU_ASSERT_EQUAL(c[4], 139.0f);
  CU_ASSERT_EQUAL(c[5], 154.0f);
  CU_ASSERT_EQUAL(c[2], 99.0f);
  CU_ASSERT_EQUAL(c[7], 99.0f);
  CU_ASSERT(openblas_get_num_threads() >= 1);
}

static const ft_test_case cases[] = {
    {"missing library", test_missing_library},
#if FT_LAZY_LIBS
    {"missing symbol", test_missing_symbol},
#endif
    {"real libraries", test_real_libraries},
    {"sgemm", test_sgemm},
    {NULL, NULL}};

int main(void) { return ft_test_main("dl", cases); }
