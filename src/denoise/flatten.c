/* src/denoise/flatten.c - background flattening and percentile normalisation.
 *
 * Flattening follows the usual "background by morphology" recipe (as in
 * Sternberg's rolling-ball idea, with a square instead of a ball): a grey
 * closing removes every dark object narrower than the structuring element
 * and leaves the bright background (paper under uneven light); an opening
 * does the same for bright objects on a dark background (fluorescence).
 * The estimate is smoothed with a Gaussian of sigma r/2 to remove the
 * blocky look of square elements, then divided out or subtracted, and the
 * result is stretched linearly to [0,1] per channel.
 *
 * Percentile normalisation builds one 65536-bin histogram of all colour
 * samples and maps the low and high percentiles to 0 and 1.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "denoise/internal.h"

ft_status ft_flatten(ft_ctx *ctx, const ft_image *in, const ft_flatten_params *p,
                     ft_image **out) {
  ft_flatten_params def;
  ft_image *res = NULL;
  float *col = NULL, *t1 = NULL, *t2 = NULL;
  ft_status st;
  int nk, c = in->channels, cc = ft__color_channels(in->channels), ch, first, second;
  size_t np = (size_t)in->width * in->height, i, n;
  *out = NULL;
  if (!p) {
    ft_flatten_params_init(&def);
    p = &def;
  }
  if ((st = ft_spec_check(ctx, "denoise", &ft_denoise_kinds(&nk)[FT_FILTER_FLATTEN], p)))
    return st;
  if ((st = ft__image_like(ctx, in, &res))) return st;
  n = np * cc;
  col = ft__malloc_n(n, sizeof *col);
  t1 = ft__malloc_n(n, sizeof *t1);
  t2 = ft__malloc_n(n, sizeof *t2);
  if (!col || !t1 || !t2) {
    st = ft__nomem(ctx, "flatten");
    goto done;
  }
  for (i = 0; i < np; i++)
    for (ch = 0; ch < cc; ch++) col[i * cc + ch] = in->data[i * c + ch];
  /* background: closing for dark objects, opening for light ones */
  first = p->polarity == FT_FLATTEN_DARK ? FT_MORPH_DILATE : FT_MORPH_ERODE;
  second = first == FT_MORPH_DILATE ? FT_MORPH_ERODE : FT_MORPH_DILATE;
  st = ft__morph_plane(ctx, col, t1, in->width, in->height, cc, first, p->radius, FT_SHAPE_SQUARE,
                       0.0, 0.35);
  if (!st)
    st = ft__morph_plane(ctx, t1, t2, in->width, in->height, cc, second, p->radius,
                         FT_SHAPE_SQUARE, 0.35, 0.7);
  if (!st)
    st = ft__gaussian_plane(ctx, t2, t1, in->width, in->height, cc, p->radius / 2.0,
                            FT_GAUSS_AUTO, 0.7, 0.95);
  if (st) goto done;
  for (i = 0; i < n; i++) {
    if (p->mode == FT_FLATTEN_DIVIDE) {
      float b = t1[i] > 1.0f / 1024 ? t1[i] : 1.0f / 1024;
      col[i] = col[i] / b;
    } else {
      col[i] = col[i] - t1[i];
    }
  }
  for (ch = 0; ch < cc; ch++) {
    float lo = col[ch], hi = col[ch], scale;
    for (i = 0; i < np; i++) {
      float v = col[i * cc + ch];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    scale = hi > lo ? 1.0f / (hi - lo) : 0.0f;
    for (i = 0; i < np; i++) {
      float v = hi > lo ? (col[i * cc + ch] - lo) * scale
                        : (p->polarity == FT_FLATTEN_DARK ? 1.0f : 0.0f);
      res->data[i * c + ch] = v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v);
    }
  }
  if (c == 2 || c == 4)
    for (i = 0; i < np; i++) res->data[i * c + c - 1] = in->data[i * c + c - 1];
done:
  free(col), free(t1), free(t2);
  if (st) {
    ft_image_free(res);
    return st;
  }
  *out = res;
  return FT_OK;
}

#define NORM_BINS 65536

/* Smallest bin value with at least pct% of the count samples at or below it. */
static float percentile(const uint64_t *cum, uint64_t count, double pct) {
  double want = ceil(pct / 100.0 * (double)count);
  uint64_t t = want < 1.0 ? 1 : (uint64_t)want;
  int lo = 0, hi = NORM_BINS - 1;
  if (t > count) t = count;
  while (lo < hi) { /* first bin whose cumulative count reaches t */
    int mid = (lo + hi) / 2;
    if (cum[mid] >= t)
      hi = mid;
    else
      lo = mid + 1;
  }
  return (float)lo / (NORM_BINS - 1);
}

ft_status ft_normalize(ft_ctx *ctx, const ft_image *in, const ft_normalize_params *p,
                       ft_image **out) {
  ft_normalize_params def;
  ft_image *res = NULL;
  uint64_t *cum;
  ft_status st;
  int nk, c = in->channels, cc = ft__color_channels(in->channels), ch, b;
  size_t np = (size_t)in->width * in->height, i;
  float lo, hi, scale;
  *out = NULL;
  if (!p) {
    ft_normalize_params_init(&def);
    p = &def;
  }
  if ((st = ft_spec_check(ctx, "denoise", &ft_denoise_kinds(&nk)[FT_FILTER_NORMALIZE], p)))
    return st;
  if (!in->data)
    return ft__fail(ctx, FT_ERR_INVAL,
                    "denoise: compact (8-bit) samples; convert with ft_image_to_float first");
  cum = ft__calloc_n(NORM_BINS, sizeof *cum);
  if (!cum) return ft__nomem(ctx, "normalize");
  if ((st = ft_image_copy(ctx, in, &res))) {
    free(cum);
    return st;
  }
  for (i = 0; i < np; i++)
    for (ch = 0; ch < cc; ch++) {
      float v = in->data[i * c + ch];
      v = v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
      cum[(int)(v * (NORM_BINS - 1) + 0.5f)]++;
    }
  for (b = 1; b < NORM_BINS; b++) cum[b] += cum[b - 1];
  lo = percentile(cum, cum[NORM_BINS - 1], p->low);
  hi = percentile(cum, cum[NORM_BINS - 1], p->high);
  free(cum);
  if (hi > lo) {
    scale = 1.0f / (hi - lo);
    for (i = 0; i < np; i++)
      for (ch = 0; ch < cc; ch++) {
        float v = (in->data[i * c + ch] - lo) * scale;
        res->data[i * c + ch] = v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v);
      }
  }
  *out = res;
  return FT_OK;
}
