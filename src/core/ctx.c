/* src/core/ctx.c - the context: error detail, logging, progress, threads. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYS_MMAN_H
#include <sys/mman.h>
#endif

#include "core/internal.h"

static const char *const status_text[] = {
    [FT_OK] = "success",
    [FT_ERR_NOMEM] = "out of memory",
    [FT_ERR_INVAL] = "invalid argument",
    [FT_ERR_IO] = "input/output error",
    [FT_ERR_FORMAT] = "corrupt or truncated data",
    [FT_ERR_UNSUPPORTED] = "unsupported variant",
    [FT_ERR_TOOBIG] = "image too large",
    [FT_ERR_MODEL] = "bad model",
    [FT_ERR_CANCELLED] = "cancelled",
    [FT_ERR_INTERNAL] = "internal error",
};

const char *ft_status_str(ft_status s) {
  if ((unsigned)s < sizeof status_text / sizeof status_text[0] && status_text[s])
    return status_text[s];
  return "unknown status";
}

const char *ft_version(void) { return PACKAGE_VERSION; }

static int online_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (n > 256 ? 256 : (int)n);
}

ft_ctx *ft_ctx_new(void) {
  ft_ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx) return NULL;
  ctx->slice_lo = 0.0;
  ctx->slice_hi = 1.0;
  ctx->last_reported = -1.0;
  ctx->threads = online_cpus();
  ctx->log_level = FT_LOG_WARN;
  return ctx;
}

void ft_ctx_free(ft_ctx *ctx) { free(ctx); }

void ft_ctx_set_log(ft_ctx *ctx, ft_log_fn fn, void *user, ft_log_level max_level) {
  if (!ctx) return;
  ctx->log_fn = fn;
  ctx->log_user = user;
  ctx->log_level = max_level;
}

void ft_ctx_set_progress(ft_ctx *ctx, ft_progress_fn fn, void *user) {
  if (!ctx) return;
  ctx->progress_fn = fn;
  ctx->progress_user = user;
  ctx->last_reported = -1.0;
}

void ft_ctx_set_threads(ft_ctx *ctx, int n) {
  if (!ctx) return;
  ctx->threads = n > 0 ? (n > 256 ? 256 : n) : online_cpus();
}

int ft_ctx_threads(const ft_ctx *ctx) { return ctx ? ctx->threads : 1; }

const char *ft_ctx_errmsg(const ft_ctx *ctx) { return ctx ? ctx->errmsg : ""; }

void ft_ctx_clear_error(ft_ctx *ctx) {
  if (ctx) ctx->errmsg[0] = '\0';
}

ft_status ft__vfail(ft_ctx *ctx, ft_status s, const char *fmt, va_list ap) {
  if (ctx) {
    vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
    if (ctx->log_fn && ctx->log_level >= FT_LOG_DEBUG)
      ctx->log_fn(ctx->log_user, FT_LOG_DEBUG, ctx->errmsg);
  }
  return s;
}

ft_status ft__fail(ft_ctx *ctx, ft_status s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ft__vfail(ctx, s, fmt, ap);
  va_end(ap);
  return s;
}

ft_status ft__nomem(ft_ctx *ctx, const char *domain) {
  return ft__fail(ctx, FT_ERR_NOMEM, "%s: out of memory", domain);
}

void ft__log(ft_ctx *ctx, ft_log_level level, const char *fmt, ...) {
  char buf[FT__ERRMSG_MAX];
  va_list ap;
  if (!ctx || !ctx->log_fn || level > ctx->log_level) return;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  ctx->log_fn(ctx->log_user, level, buf);
}

double ft__seconds(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0.0;
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void ft__progress_slice(ft_ctx *ctx, double lo, double hi) {
  if (!ctx) return;
  ctx->slice_lo = lo;
  ctx->slice_hi = hi;
}

ft_status ft__progress(ft_ctx *ctx, double f) {
  double whole;
  if (!ctx || !ctx->progress_fn) return FT_OK;
  if (f < 0.0) f = 0.0;
  if (f > 1.0) f = 1.0;
  whole = ctx->slice_lo + f * (ctx->slice_hi - ctx->slice_lo);
  /* Throttle: report each 1% step once, and always the end of a slice. */
  if (whole < ctx->last_reported + 0.01 && f < 1.0 && ctx->last_reported >= 0.0) return FT_OK;
  ctx->last_reported = whole;
  if (ctx->progress_fn(ctx->progress_user, whole) != 0)
    return ft__fail(ctx, FT_ERR_CANCELLED, "cancelled");
  return FT_OK;
}

/* Buffers of an image's size (BIG_BYTES and more) are aligned to a huge
 * page and marked for transparent huge pages where the system has them.
 * A fresh buffer's pages are otherwise faulted in 4 KiB at a time, and
 * on a virtual machine each fault is dear: filling 64 MiB (an 8192^2
 * page's bytes) took 0.22 s that way and 0.01-0.04 s in 2 MiB pages.
 * They are freed with free() like any other. */
#define BIG_BYTES ((size_t)4 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

static void *big_alloc(size_t bytes) {
#if defined(HAVE_POSIX_MEMALIGN) && defined(HAVE_MADVISE) && defined(MADV_HUGEPAGE)
  void *p;
  if (posix_memalign(&p, HUGE_PAGE, bytes) != 0) return NULL;
  (void)madvise(p, bytes & ~(HUGE_PAGE - 1), MADV_HUGEPAGE); /* advice only */
  return p;
#else
  return malloc(bytes);
#endif
}

void *ft__malloc_n(size_t n, size_t size) {
  size_t bytes;
  if (ft__mul_overflow(n, size, &bytes)) return NULL;
  if (bytes >= BIG_BYTES) return big_alloc(bytes);
  return malloc(bytes ? bytes : 1);
}

void *ft__calloc_n(size_t n, size_t size) {
  size_t bytes;
  void *p;
  if (ft__mul_overflow(n, size, &bytes)) return NULL;
  if (bytes < BIG_BYTES) return calloc(n ? n : 1, size ? size : 1);
  if ((p = big_alloc(bytes))) memset(p, 0, bytes);
  return p;
}

int ft__grow(void **buf, int *cap, int need, size_t size) {
  int ncap;
  void *nb;
  if (need <= *cap) return 0;
  if (need < 0) return -1;
  ncap = *cap < 8 ? 8 : *cap;
  while (ncap < need) {
    if (ncap > INT32_MAX / 2) {
      ncap = need;
      break;
    }
    ncap *= 2;
  }
  nb = NULL;
  {
    size_t bytes;
    if (ft__mul_overflow((size_t)ncap, size, &bytes)) return -1;
    nb = realloc(*buf, bytes);
  }
  if (!nb) return -1;
  *buf = nb;
  *cap = ncap;
  return 0;
}

char *ft__strdup(const char *s) {
  size_t n;
  char *d;
  if (!s) return NULL;
  n = strlen(s) + 1;
  d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}
