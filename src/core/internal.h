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

/* Monotonic wall-clock seconds from an arbitrary origin (for timing logs). */
double ft__seconds(void);

/* ft_image_new (storage FT_STORAGE_FLOAT) or ft_image_new_u8, and
 * ft_labels_new or ft_labels_new_compact, with the pixels zeroed only when
 * zero is 1.  Zero 0 is for a caller that writes every pixel: an image-sized
 * buffer is then first touched where it is written (in parallel, where the
 * writing is), not once more by a clearing pass. */
ft_status ft__image_alloc(ft_ctx *ctx, int width, int height, int channels, int storage,
                          int zero, ft_image **out);
ft_status ft__labels_alloc(ft_ctx *ctx, int width, int height, int nlabels, int compact,
                           int zero, ft_labels **out);

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
/* Images (image.c).  ft__u8_float[v] = v / 255.0f, the value of a compact
 * sample.  ft__image_float: *tmp = NULL when in already has float samples
 * (or is NULL), else a float copy (ft_image_to_float) the caller frees; read
 * the samples from `*tmp ? *tmp : in`.  ft__image_gray_row: row y of in as
 * luminance, exactly the values ft_image_to_gray stores ([width] floats). */
extern const float ft__u8_float[256];
ft_status ft__image_float(ft_ctx *ctx, const ft_image *in, ft_image **tmp);
void ft__image_gray_row(const ft_image *in, int y, float *out);

/* Threads (pool.c).  A fork-join pool of nthreads (the caller counts as
 * one); NULL works as a pool of one.  The pool of the U-Net's operators,
 * of the denoise filters' bands and of the fit stage's outlines.
 * OUT: *out, free with ft__pool_free(). */
typedef struct ft__pool ft__pool;
ft_status ft__pool_new(ft_ctx *ctx, int nthreads, ft__pool **out);
void ft__pool_free(ft__pool *p);
int ft__pool_size(const ft__pool *p);
/* Call fn(arg, item, thread) for every item in [0, items), thread in
 * [0, ft__pool_size(p)), and return when all calls have returned.  Thread 0
 * is the caller.  Items are taken in increasing order from a shared counter,
 * each exactly once. */
void ft__pool_run(ft__pool *p, void (*fn)(void *arg, int item, int thread), void *arg, int items);

/* Work function of ft__parallel: handles items [lo, hi) of a job; arg is
 * shared and read-only except for the disjoint output each item owns.
 * Returns 0, or nonzero when out of memory (the job then fails with
 * FT_ERR_NOMEM). */
typedef int (*ft__work_fn)(void *arg, int lo, int hi);

/* A parallel for with progress, on a pool of ft_ctx_threads(ctx) made for
 * the call: fn over items 0..n-1 in chunks of `chunk` items (the calling
 * thread included).  Each item is processed exactly once and by one call,
 * so outputs written per item are identical for any thread count.  If a
 * thread cannot be started its work is done by the others.  Progress: the
 * calling thread reports f0 + (f1 - f0) * chunks_done / chunks after each
 * chunk it finishes, and f1 at the end (so a cancel is seen even when the
 * workers took every chunk); callers give each pass its own share of 0..1,
 * so fractions only grow.  When the callback cancels, no further chunks
 * start and FT_ERR_CANCELLED is returned.  Otherwise returns FT_OK or
 * FT_ERR_NOMEM (message under domain).  Worker threads never call the ctx
 * callbacks. */
ft_status ft__parallel(ft_ctx *ctx, const char *domain, int n, int chunk, ft__work_fn fn,
                       void *arg, double f0, double f1);

/* Exact Euclidean distance transform (edt.c): dist[y * w + x] = distance
 * from pixel (x, y) to the nearest pixel with inside == 0 (0 there; pixels
 * beyond the image do not count; about 1e10 when every pixel is inside). */
ft_status ft__edt(ft_ctx *ctx, const uint8_t *inside, int w, int h, float *dist);

/* strdup that accepts NULL (returns NULL) - check the result when s != NULL. */
char *ft__strdup(const char *s);

/* Numbers in option and metadata text (spec.c), one syntax everywhere:
 * strtod's decimal (or hex) number at the very start of s - no leading
 * blanks - that is finite and neither overflows nor underflows.
 * ft__parse_real sets *v and *rest (what follows the number) and returns 0,
 * or returns -1 with *v unchanged.  ft__parse_real_in accepts only a number
 * filling all of s within [lo, hi]. */
int ft__parse_real(const char *s, double *v, const char **rest);
int ft__parse_real_in(const char *s, double lo, double hi, double *v);

#endif
