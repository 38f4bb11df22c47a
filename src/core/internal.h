/* src/core/internal.h - helpers shared by the library's source files.
 * Not installed; names use the ft__ prefix and are not exported. */
#ifndef FT_CORE_INTERNAL_H
#define FT_CORE_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "figtrace.h"

#if defined(__GNUC__) || defined(__clang__)
#define FT__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FT__PRINTF(a, b)
#endif

#define FT__ERRMSG_MAX 1024

struct ft_ctx {
  char errmsg[FT__ERRMSG_MAX];
  ft_log_fn log_fn;
  void *log_user;
  ft_log_level log_level;
  ft_progress_fn progress_fn;
  void *progress_user;
  double slice_lo, slice_hi; /* current stage's share of the whole run */
  double last_reported;      /* last fraction passed to progress_fn */
  int threads;
};

/* Record a failure on ctx (ctx may be NULL) and return s, so callers write
 * `return ft__fail(ctx, FT_ERR_FORMAT, "png: %s", why);`.  Messages start
 * with a domain prefix ("png:", "trace:"). */
ft_status ft__fail(ft_ctx *ctx, ft_status s, const char *fmt, ...) FT__PRINTF(3, 4);
ft_status ft__vfail(ft_ctx *ctx, ft_status s, const char *fmt, va_list ap);
/* Shorthand for the out-of-memory case: "DOMAIN: out of memory". */
ft_status ft__nomem(ft_ctx *ctx, const char *domain);

void ft__log(ft_ctx *ctx, ft_log_level level, const char *fmt, ...) FT__PRINTF(3, 4);

/* Progress: a stage reports its own fraction 0..1; the context maps it into
 * the slice set by the pipeline and throttles calls to the callback.
 * Returns FT_ERR_CANCELLED (with a message) when the callback asks to stop. */
ft_status ft__progress(ft_ctx *ctx, double stage_fraction);
void ft__progress_slice(ft_ctx *ctx, double lo, double hi);

/* *r = a * b; returns 0 on success, 1 on overflow. */
static inline int ft__mul_overflow(size_t a, size_t b, size_t *r) {
  if (a != 0 && b > SIZE_MAX / a) return 1;
  *r = a * b;
  return 0;
}

/* malloc/calloc of n elements of size bytes, NULL on overflow or failure. */
void *ft__malloc_n(size_t n, size_t size);
void *ft__calloc_n(size_t n, size_t size);
/* Grow *buf (of *cap elements of size bytes) to hold at least need elements. */
int ft__grow(void **buf, int *cap, int need, size_t size);
/* strdup that accepts NULL (returns NULL) - check the result when s != NULL. */
char *ft__strdup(const char *s);

#endif
