/* src/segment/midpoint.c - the local-midpoint threshold: half way between
 * the local paper and ink levels.
 *
 * The edge of a pen stroke that has been blurred (by the optics, by
 * anti-aliasing or by a denoising filter) lies where the luminance is half
 * way between the paper and the stroke's own darkness: a blurred step
 * crosses its midpoint exactly at the step, whatever the blur's width, as
 * long as the kernel is symmetric.  A global threshold cannot sit at that
 * midpoint when stroke darkness varies over the page (pencil pressure,
 * faint and heavy strokes): Otsu's split of a flattened pencil page lies on
 * the dark side of half the contrast of most strokes, so they come out
 * thinner than drawn.  This method estimates both levels locally and puts
 * the threshold between them:
 *
 *   1. a first guess: Otsu's threshold (N. Otsu, IEEE Trans. SMC 9(1),
 *      1979) of the luminance histogram, ink on the minority side unless
 *      the polarity is forced;
 *   2. sample pixels: ink samples are the first-guess ink eroded by a
 *      square of radius `core` (stroke interiors, clear of the blurred
 *      edges); paper samples are the pixels farther than core + 1 from
 *      any first-guess ink;
 *   3. levels by normalised convolution (H. Knutsson and C.-F. Westin,
 *      "Normalized and differential convolution", CVPR 1993): the Gaussian
 *      average of the luminance over each sample set, G*(v s) / G*s, with a
 *      small weight e of the set's global mean added to numerator and
 *      denominator so that far from any sample the global level takes over;
 *   4. T = P + fraction (I - P); ink where v <= T (dark) or v > T (light).
 *
 * Binary erosion and dilation are separable running counts over clipped
 * windows (the replicate border of a min/max filter), O(1) per pixel; the
 * Gaussians run on two interleaved channels (value times indicator, and the
 * indicator) with the denoise stage's Gaussian, threaded over bands, so the
 * result does not depend on the thread count.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "denoise/internal.h"
#include "figtrace/thresholds.h"
#include "segment/internal.h"

/* Weight of a sample set's global mean in its local average (in units of
 * the Gaussian-averaged indicator, which is 1 inside a solid region). */
#define GLOBAL_WEIGHT 1e-3

static const ft_midpoint_params midpoint_defaults = {8.0, 1, 0.5, FT_POLARITY_AUTO};

void ft_midpoint_params_init(ft_midpoint_params *p) { *p = midpoint_defaults; }

static ft_status check(ft_ctx *ctx, const ft_midpoint_params *p) {
  if (!(p->sigma >= 0.5 && p->sigma <= 200.0))
    return ft__fail(ctx, FT_ERR_INVAL, "threshold: sigma=%g out of range 0.5..200", p->sigma);
  if (p->core < 0 || p->core > 20)
    return ft__fail(ctx, FT_ERR_INVAL, "threshold: core=%d out of range 0..20", p->core);
  if (!(p->fraction >= 0.05 && p->fraction <= 0.95))
    return ft__fail(ctx, FT_ERR_INVAL, "threshold: fraction=%g out of range 0.05..0.95",
                    p->fraction);
  if (p->polarity < FT_POLARITY_AUTO || p->polarity > FT_POLARITY_LIGHT)
    return ft__fail(ctx, FT_ERR_INVAL, "threshold: unknown polarity %d", p->polarity);
  return FT_OK;
}

/* dst = for every pixel, whether all (all = 1) or any (all = 0) of the
 * pixels of src in the (2r+1)^2 square around it, clipped to the image,
 * are set: binary erosion or dilation with a replicated border.  Rows
 * go from src into tmp, then columns from tmp into dst with one running
 * count per column in cnt (w ints).  src and dst may be the same. */
static void box_test(const uint8_t *src, uint8_t *dst, uint8_t *tmp, int *cnt, int w, int h,
                     int r, int all) {
  int x, y;
  for (y = 0; y < h; y++) {
    const uint8_t *s = src + (size_t)y * w;
    uint8_t *d = tmp + (size_t)y * w;
    int run = 0;
    for (x = 0; x < r && x < w; x++) run += s[x];
    for (x = 0; x < w; x++) { /* run counts s[x - r .. x + r] within the row */
      int xa = x - r < 0 ? 0 : x - r, xb = x + r + 1 > w ? w : x + r + 1;
      if (x + r < w) run += s[x + r];
      if (x - r - 1 >= 0) run -= s[x - r - 1];
      d[x] = (uint8_t)(all ? run == xb - xa : run > 0);
    }
  }
  memset(cnt, 0, (size_t)w * sizeof *cnt);
  for (y = 0; y < r && y < h; y++)
    for (x = 0; x < w; x++) cnt[x] += tmp[(size_t)y * w + x];
  for (y = 0; y < h; y++) { /* cnt counts tmp rows y - r .. y + r */
    const int ya = y - r < 0 ? 0 : y - r, yb = y + r + 1 > h ? h : y + r + 1, n = yb - ya;
    uint8_t *d = dst + (size_t)y * w;
    if (y + r < h) {
      const uint8_t *add = tmp + (size_t)(y + r) * w;
      for (x = 0; x < w; x++) cnt[x] += add[x];
    }
    if (y - r - 1 >= 0) {
      const uint8_t *sub = tmp + (size_t)(y - r - 1) * w;
      for (x = 0; x < w; x++) cnt[x] -= sub[x];
    }
    if (all)
      for (x = 0; x < w; x++) d[x] = (uint8_t)(cnt[x] == n);
    else
      for (x = 0; x < w; x++) d[x] = (uint8_t)(cnt[x] > 0);
  }
}

/* Local level of one sample set: lv[i] = (G*(v s) + e m) / (G*s + e), m
 * the mean of v over the set (which must not be empty).  xy and gy are
 * scratch planes of 2n floats; lv (n floats) may be xy, not gy. */
static ft_status level(ft_ctx *ctx, const float *v, const uint8_t *set, int w, int h,
                       double sigma, float *xy, float *gy, float *lv, double f0, double f1) {
  const size_t n = (size_t)w * h;
  double sum = 0.0, cnt = 0.0;
  float m, e = (float)GLOBAL_WEIGHT, em;
  size_t i;
  ft_status st;
  for (i = 0; i < n; i++) {
    float s = set[i] ? 1.0f : 0.0f;
    xy[2 * i] = v[i] * s;
    xy[2 * i + 1] = s;
    if (set[i]) sum += v[i], cnt += 1.0;
  }
  m = (float)(sum / cnt);
  if ((st = ft__gaussian_plane(ctx, xy, gy, w, h, 2, sigma, FT_GAUSS_AUTO, f0, f1))) return st;
  em = e * m;
  for (i = 0; i < n; i++) lv[i] = (gy[2 * i] + em) / (gy[2 * i + 1] + e);
  return FT_OK;
}

/* Bin of a luminance value in an n-bin histogram over [0,1] (as ft_segment). */
static inline int bin_of(float v, int n) {
  int b;
  if (!(v > 0.0f)) return 0; /* also catches NaN */
  b = (int)((double)v * n);
  return b >= n ? n - 1 : b;
}

/* The threshold surface into T (n floats) and, when mask is not NULL, the
 * ink mask (1 ink). */
static ft_status midpoint_run(ft_ctx *ctx, const ft_image *in, const ft_midpoint_params *p,
                              float *T, uint8_t *mask) {
  ft_midpoint_params def;
  ft_image *g = NULL;
  const float *v;
  const int w = in->width, h = in->height;
  const size_t n = (size_t)w * h;
  uint64_t *hist = NULL, n_low = 0;
  uint8_t *ink = NULL, *set = NULL, *tmp = NULL;
  int *cnt = NULL;
  float *xy = NULL, *gy = NULL;
  int nbins, split, dark, b;
  size_t i, n_set;
  ft_status st;
  if (!p) {
    ft_midpoint_params_init(&def);
    p = &def;
  }
  if ((st = check(ctx, p))) return st;
  if (in->channels != 1) {
    if ((st = ft_image_to_gray(ctx, in, &g))) return st;
    v = g->data;
  } else {
    v = in->data;
  }
  nbins = in->bit_depth > 8 ? 65536 : 256;
  hist = ft__calloc_n((size_t)nbins, sizeof *hist);
  ink = ft__malloc_n(n, 1);
  set = ft__malloc_n(n, 1);
  tmp = ft__malloc_n(n, 1);
  cnt = ft__malloc_n((size_t)w, sizeof *cnt);
  if (!hist || !ink || !set || !tmp || !cnt) goto nomem;

  /* 1. first guess: Otsu's split, ink on the minority side unless forced */
  for (i = 0; i < n; i++) hist[bin_of(v[i], nbins)]++;
  {
    double t = ft_otsu_threshold(hist, nbins);
    split = (int)floor(t * nbins + 0.5) - 1;
  }
  for (b = 0; b <= split && b < nbins; b++) n_low += hist[b];
  free(hist);
  hist = NULL;
  if (p->polarity == FT_POLARITY_DARK)
    dark = 1;
  else if (p->polarity == FT_POLARITY_LIGHT)
    dark = 0;
  else
    dark = n_low <= n - n_low;
  if (n_low == 0 || n_low == n) { /* one side only: no ink */
    for (i = 0; i < n; i++) T[i] = dark ? -1.0f : 2.0f;
    if (mask) memset(mask, 0, n);
    st = FT_OK;
    goto done;
  }
  for (i = 0; i < n; i++) {
    int low = bin_of(v[i], nbins) <= split;
    ink[i] = (uint8_t)(dark ? low : !low);
  }
  if ((st = ft__progress(ctx, 0.1))) goto done;
  xy = ft__malloc_n(2 * n, sizeof *xy);
  gy = ft__malloc_n(2 * n, sizeof *gy);
  if (!xy || !gy) goto nomem;

  /* 2-3. ink samples: the eroded first guess (all of it if nothing is left);
   * their level goes into T for now */
  if (p->core > 0) {
    box_test(ink, set, tmp, cnt, w, h, p->core, 1);
    for (n_set = 0, i = 0; i < n; i++) n_set += set[i];
    if (!n_set) memcpy(set, ink, n);
  } else {
    memcpy(set, ink, n);
  }
  if ((st = level(ctx, v, set, w, h, p->sigma, xy, gy, T, 0.1, 0.5))) goto done;

  /* paper samples: farther than core + 1 from the first-guess ink (all of
   * its background if nothing is left) */
  box_test(ink, set, tmp, cnt, w, h, p->core + 1, 0);
  for (n_set = 0, i = 0; i < n; i++) n_set += (set[i] = !set[i]);
  if (!n_set)
    for (i = 0; i < n; i++) set[i] = !ink[i];
  if ((st = level(ctx, v, set, w, h, p->sigma, xy, gy, xy, 0.5, 0.9))) goto done;

  /* 4. T = P + fraction (I - P); the paper level was left in xy[0 .. n) */
  {
    const float f = (float)p->fraction, *P = xy;
    for (i = 0; i < n; i++) T[i] = P[i] + f * (T[i] - P[i]);
  }
  if (mask) {
    if (dark)
      for (i = 0; i < n; i++) mask[i] = (uint8_t)(v[i] <= T[i]);
    else
      for (i = 0; i < n; i++) mask[i] = (uint8_t)(v[i] > T[i]);
  }
  st = ft__progress(ctx, 1.0);
  goto done;
nomem:
  st = ft__nomem(ctx, "threshold");
done:
  free(hist), free(ink), free(set), free(tmp), free(cnt), free(xy), free(gy);
  ft_image_free(g);
  return st;
}

ft_status ft_midpoint_threshold_map(ft_ctx *ctx, const ft_image *in, const ft_midpoint_params *p,
                                    ft_image **out) {
  ft_image *m;
  ft_status st = ft_image_new(ctx, in->width, in->height, 1, &m);
  *out = NULL;
  if (st) return st;
  m->bit_depth = 32;
  m->pixel_w = in->pixel_w;
  m->pixel_h = in->pixel_h;
  if ((st = midpoint_run(ctx, in, p, m->data, NULL))) {
    ft_image_free(m);
    return st;
  }
  *out = m;
  return FT_OK;
}

ft_status ft_midpoint_threshold(ft_ctx *ctx, const ft_image *in, const ft_midpoint_params *p,
                                ft_labels **out) {
  const size_t n = (size_t)in->width * in->height;
  float *T = ft__malloc_n(n, sizeof *T);
  uint8_t *mask = ft__malloc_n(n, 1);
  ft_status st;
  *out = NULL;
  if (!T || !mask) {
    free(T), free(mask);
    return ft__nomem(ctx, "threshold");
  }
  st = midpoint_run(ctx, in, p, T, mask);
  free(T);
  if (!st) st = ft__mask_labels(ctx, in, mask, out);
  free(mask);
  return st;
}
