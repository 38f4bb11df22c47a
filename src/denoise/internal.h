/* src/denoise/internal.h - helpers shared by the denoise filters.
 * Not installed; names use the ft__ prefix and are not exported. */
#ifndef FT_DENOISE_INTERNAL_H
#define FT_DENOISE_INTERNAL_H

#include "core/internal.h"
#include "figtrace/denoise.h"

/* The filters' inner loops are plain loops over rows written to be
 * vectorised.  GCC 12 at -O2 vectorises only with its "very cheap" cost
 * model, which rejects them; the full vectoriser makes the median, Gaussian
 * and Sauvola 2-5x faster (tools/bench/filters), with bit-identical results
 * since only integer and min/max loops, or float loops in the same order,
 * are affected (no -ffast-math reassociation). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize", "vect-cost-model=dynamic")
#endif

/* Rows per band of work.  Work is cut into bands of this fixed height
 * whatever the thread count, so results never depend on it. */
#define FT__BAND 64

/* Work function: handles items [lo, hi) of a job; arg is shared and read-only
 * except for the disjoint output each item owns.  Returns 0, or nonzero when
 * out of memory (the job then fails with FT_ERR_NOMEM). */
typedef int (*ft__work_fn)(void *arg, int lo, int hi);

/* Run fn over items 0..n-1 in chunks of `chunk` items on up to
 * ft_ctx_threads(ctx) threads (the calling thread included).  Chunks are
 * handed out in order from a shared counter; each item is processed exactly
 * once and by one call, so outputs written per item are identical for any
 * thread count.  If a thread cannot be started its work is done by the
 * others.  The calling thread reports progress after each chunk it
 * finishes and once at the end of the job (so at least once even when the
 * workers took every chunk), as the stage fraction f0 + (f1 - f0) * done /
 * chunks; callers give each pass its own share of 0..1, so fractions only
 * grow.  When the callback cancels, no further chunks start and
 * FT_ERR_CANCELLED is returned.  Otherwise returns FT_OK or FT_ERR_NOMEM
 * (message under domain).  Worker threads never call the ctx callbacks. */
ft_status ft__parallel(ft_ctx *ctx, const char *domain, int n, int chunk, ft__work_fn fn,
                       void *arg, double f0, double f1);

/* A new image shaped like in (size, channels, metadata, name), zero-filled.
 * OUT: caller frees with ft_image_free(). */
ft_status ft__image_like(ft_ctx *ctx, const ft_image *in, ft_image **out);

/* Internal Gaussian on a float plane of w*h*c interleaved samples, writing
 * dst (may not alias src).  Used by flatten.  Progress runs from f0 to f1
 * of the stage.  Returns FT_OK, FT_ERR_NOMEM or FT_ERR_CANCELLED. */
ft_status ft__gaussian_plane(ft_ctx *ctx, const float *src, float *dst, int w, int h, int c,
                             double sigma, int method, double f0, double f1);

/* Internal grey morphology (erode/dilate only) on one interleaved plane;
 * progress from f0 to f1 as for ft__gaussian_plane. */
ft_status ft__morph_plane(ft_ctx *ctx, const float *src, float *dst, int w, int h, int c, int op,
                          int radius, int shape, double f0, double f1);

/* Number of colour channels of an image (alpha excluded): 1, 1, 3, 3. */
static inline int ft__color_channels(int channels) { return channels >= 3 ? 3 : 1; }

#endif
