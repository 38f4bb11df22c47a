/* src/dl/libs.c - the optional libraries' descriptors, function tables and
 * require functions (see dl.h), and the OpenBLAS wrappers with their
 * plain-loop fallback (blas.h).
 *
 * Sonames and library directories come from configure (FT_SONAME_*,
 * FT_LIBDIR_*), which reads them from a test program linked with each
 * library's pkg-config flags.
 */
#include "config.h"

#define FT_DL_NO_REDIRECT 1

#include <pthread.h>

#include "dl/blas.h"
#include "dl/cairo.h"
#include "dl/jpeg.h"
#include "dl/json.h"
#include "dl/png.h"
#include "dl/tiff.h"
#include "dl/xml.h"

#if !FT_LAZY_LIBS

ft_status ft__cairo_require(ft_ctx *ctx) { return (void)ctx, FT_OK; }
ft_status ft__tiff_require(ft_ctx *ctx) { return (void)ctx, FT_OK; }
ft_status ft__xml_require(ft_ctx *ctx) { return (void)ctx, FT_OK; }
ft_status ft__jpeg_require(ft_ctx *ctx) { return (void)ctx, FT_OK; }
ft_status ft__blas_require(ft_ctx *ctx) { return (void)ctx, FT_OK; }
ft_status ft__png_require(ft_ctx *ctx) { return (void)ctx, FT_OK; }
ft_status ft__json_require(ft_ctx *ctx) { return (void)ctx, FT_OK; }

#else

/* ---- Cairo ---- */

struct ft__cairo_fns ft__cairo;

static int cairo_resolve(void *h, const char **missing) {
#define R(f) FT__DL_RESOLVE(ft__cairo, f)
  FT_CAIRO_SYMBOLS(R)
  FT_CAIRO_SYMBOLS_1_16(R)
#undef R
  return 0;
}

static const ft__dl cairo_lib = {"cairo", FT_SONAME_CAIRO, FT_LIBDIR_CAIRO, cairo_resolve};

ft_status ft__cairo_require(ft_ctx *ctx) { return ft__dl_require(ctx, &cairo_lib); }

/* ---- libtiff ---- */

struct ft__tiff_fns ft__tiff;

static int tiff_resolve(void *h, const char **missing) {
#define R(f) FT__DL_RESOLVE(ft__tiff, f)
  FT_TIFF_SYMBOLS(R)
#undef R
  return 0;
}

static const ft__dl tiff_lib = {"tiff", FT_SONAME_TIFF, FT_LIBDIR_TIFF, tiff_resolve};

ft_status ft__tiff_require(ft_ctx *ctx) { return ft__dl_require(ctx, &tiff_lib); }

/* ---- libxml2 ---- */

struct ft__xml_fns ft__xml;

static int xml_resolve(void *h, const char **missing) {
#define R(f) FT__DL_RESOLVE(ft__xml, f)
  FT_XML_SYMBOLS(R)
#undef R
#ifdef LIBXML_THREAD_ALLOC_ENABLED
  if (!(*(void **)&ft__xml.free_fn = ft__dl_sym(h, "__xmlFree"))) {
    *missing = "__xmlFree";
    return -1;
  }
#else
  if (!(ft__xml.free_var = ft__dl_sym(h, "xmlFree"))) {
    *missing = "xmlFree";
    return -1;
  }
#endif
  return 0;
}

static const ft__dl xml_lib = {"xml", FT_SONAME_XML, FT_LIBDIR_XML, xml_resolve};

ft_status ft__xml_require(ft_ctx *ctx) { return ft__dl_require(ctx, &xml_lib); }

/* ---- libjpeg and libexif ---- */

struct ft__jpeg_fns ft__jpeg;
struct ft__exif_fns ft__exif;

static int jpeg_resolve(void *h, const char **missing) {
#define R(f) FT__DL_RESOLVE(ft__jpeg, f)
  FT_JPEG_SYMBOLS(R)
#undef R
  return 0;
}

static int exif_resolve(void *h, const char **missing) {
#define R(f) FT__DL_RESOLVE(ft__exif, f)
  FT_EXIF_SYMBOLS(R)
#undef R
  return 0;
}

static const ft__dl jpeg_lib = {"jpeg", FT_SONAME_JPEG, FT_LIBDIR_JPEG, jpeg_resolve};
static const ft__dl exif_lib = {"exif", FT_SONAME_EXIF, FT_LIBDIR_EXIF, exif_resolve};

ft_status ft__jpeg_require(ft_ctx *ctx) {
  ft_status st = ft__dl_require(ctx, &jpeg_lib);
  return st ? st : ft__dl_require(ctx, &exif_lib);
}

/* ---- libpng ---- */

struct ft__png_fns ft__png;

static int png_resolve(void *h, const char **missing) {
#define R(f) FT__DL_RESOLVE(ft__png, f)
  FT_PNG_SYMBOLS(R)
#undef R
  return 0;
}

static const ft__dl png_lib = {"png", FT_SONAME_PNG, FT_LIBDIR_PNG, png_resolve};

ft_status ft__png_require(ft_ctx *ctx) { return ft__dl_require(ctx, &png_lib); }

/* ---- json-c ---- */

struct ft__json_fns ft__json;

static int json_resolve(void *h, const char **missing) {
#define R(f) FT__DL_RESOLVE(ft__json, f)
  FT_JSON_SYMBOLS(R)
#undef R
  return 0;
}

static const ft__dl json_lib = {"json-c", FT_SONAME_JSONC, FT_LIBDIR_JSONC, json_resolve};

ft_status ft__json_require(ft_ctx *ctx) { return ft__dl_require(ctx, &json_lib); }

/* ---- OpenBLAS ---- */

#define FT_BLAS_SYMBOLS(X) X(cblas_sgemm) X(openblas_get_num_threads) X(openblas_set_num_threads)

static struct {
  FT_BLAS_SYMBOLS(FT__DL_MEMBER)
} blas;

static int blas_resolve(void *h, const char **missing) {
#define R(f) FT__DL_RESOLVE(blas, f)
  FT_BLAS_SYMBOLS(R)
#undef R
  return 0;
}

static const ft__dl blas_lib = {"openblas", FT_SONAME_BLAS, FT_LIBDIR_BLAS, blas_resolve};

ft_status ft__blas_require(ft_ctx *ctx) { return ft__dl_require(ctx, &blas_lib); }

/* The wrappers open OpenBLAS once by themselves; blas_ok then says for
 * good whether the table can be used. */
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;
static int blas_ok;

static void blas_open(void) { blas_ok = ft__dl_require(NULL, &blas_lib) == FT_OK; }

void ft__cblas_sgemm(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE ta,
                     const enum CBLAS_TRANSPOSE tb, const blasint m, const blasint n,
                     const blasint k, const float alpha, const float *a, const blasint lda,
                     const float *b, const blasint ldb, const float beta, float *c,
                     const blasint ldc) {
  blasint i, j, l;
  pthread_once(&blas_once, blas_open);
  if (blas_ok) {
    blas.cblas_sgemm(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  /* Without OpenBLAS: C = alpha A B + beta C in row-major order, the only
   * form the operators use (no transposes). */
  for (i = 0; i < m; i++) {
    float *ci = c + (size_t)i * ldc;
    for (j = 0; j < n; j++) ci[j] = beta == 0.0f ? 0.0f : beta * ci[j];
    for (l = 0; l < k; l++) {
      float s = alpha * a[(size_t)i * lda + l];
      const float *bl = b + (size_t)l * ldb;
      for (j = 0; j < n; j++) ci[j] += s * bl[j];
    }
  }
  (void)order, (void)ta, (void)tb;
}

int ft__openblas_get_num_threads(void) {
  pthread_once(&blas_once, blas_open);
  return blas_ok ? blas.openblas_get_num_threads() : 1;
}

void ft__openblas_set_num_threads(int n) {
  pthread_once(&blas_once, blas_open);
  if (blas_ok) blas.openblas_set_num_threads(n);
}

#endif /* FT_LAZY_LIBS */
