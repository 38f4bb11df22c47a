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

/* ft__parallel, the parallel for of the filters, is in core/internal.h. */

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
