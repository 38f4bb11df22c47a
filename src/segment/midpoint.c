/* src/segment/midpoint.c - the local-midpoint threshold: half way between
 * the local paper and ink levels.
 *
 * The edge of a pen stroke that has been blurred (by the optics, by
 * anti-aliasing or by a denoising filter) lies where the luminance is half
 * way between the paper and the stroke's own darkness: a blurred step
 * crosses its midpoint exactly at the step, whatever the blur's width, as
 * long as the kernel is symmetric.  A global threshold cannot sit at that
 * midpoint when stroke darkness varies over the page (pencil pressure,
 * faint and heavy strokes): Otsu's split of a flattened pencil page lies
 * between the paper and the mean ink, away from half the contrast of most
 * strokes, so they come out too thin or too thick.  This method estimates
 * both levels locally and puts the threshold between them:
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
 * windows (the replicate border of a min/max filter), O(1) per pixel.  The
 * levels vary only on the scale of sigma, so from sigma 8 on they are
 * computed on cells of s = floor(sigma / 4) pixels square: the sums of
 * v s and s per cell (four interleaved channels: ink and paper) are
 * smoothed by the denoise stage's Gaussian with sigma / s, threaded over
 * bands, and the levels are interpolated bilinearly between cell centres.
 * The cells' box adds a variance of (s^2 - 1) / 12 px^2 to the Gaussian's
 * sigma^2 (under 0.4% for s = 2, sigma = 8) and cuts the cost of the
 * levels by s^2.  The result does not depend on the thread count.
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

/* The local ink and paper levels, computed on a grid of s x s cells (s =
 * 1 keeps full resolution): per cell the sums of v and of the indicator
 * over each sample set, a Gaussian of sigma / s over the cells, the ratio
 * with the global mean's weight (e per pixel, so e s^2 per cell), then a
 * bilinear interpolation between cell centres back to the pixels.  I gets
 * the ink level, P the paper level (n floats each). */
static ft_status levels(ft_ctx *ctx, const float *v, const uint8_t *ink_set,
                        const uint8_t *paper_set, int w, int h, double sigma, int s, float *I,
                        float *P) {
  const int W = (w + s - 1) / s, H = (h + s - 1) / s;
  const size_t N = (size_t)W * H;
  const double e = GLOBAL_WEIGHT * s * s;
  float *cell = ft__calloc_n(4 * N, sizeof *cell), *blur = ft__malloc_n(4 * N, sizeof *blur);
  float *lv = ft__malloc_n(2 * N, sizeof *lv), *cfx = ft__malloc_n((size_t)w, sizeof *cfx);
  int *cx0 = ft__malloc_n((size_t)w, sizeof *cx0), *cx1 = ft__malloc_n((size_t)w, sizeof *cx1);
  double sum[2] = {0, 0}, cnt[2] = {0, 0};
  int x, y, k;
  size_t c;
  ft_status st;
  if (!cell || !blur || !lv || !cfx || !cx0 || !cx1) {
    st = ft__nomem(ctx, "threshold");
    goto done;
  }
  /* cell sums: {v ink, ink, v paper, paper} */
  for (y = 0; y < h; y++) {
    float *crow = cell + (size_t)(y / s) * W * 4;
    const float *vr = v + (size_t)y * w;
    const uint8_t *ir = ink_set + (size_t)y * w, *pr = paper_set + (size_t)y * w;
    for (x = 0; x < w; x++) {
      float *q = crow + (size_t)(x / s) * 4;
      if (ir[x]) q[0] += vr[x], q[1] += 1.0f;
      if (pr[x]) q[2] += vr[x], q[3] += 1.0f;
    }
  }
  for (c = 0; c < N; c++)
    for (k = 0; k < 2; k++) sum[k] += cell[4 * c + 2 * k], cnt[k] += cell[4 * c + 2 * k + 1];
  if ((st = ft__gaussian_plane(ctx, cell, blur, W, H, 4, sigma / s, FT_GAUSS_AUTO, 0.3, 0.8)))
    goto done;
  for (k = 0; k < 2; k++) {
    const double em = e * (sum[k] / cnt[k]); /* both sets are non-empty */
    for (c = 0; c < N; c++)
      lv[k * N + c] = (float)((blur[4 * c + 2 * k] + em) / (blur[4 * c + 2 * k + 1] + e));
  }
  /* bilinear between cell centres (cell X's centre is pixel X s + (s - 1) / 2),
   * clamped at the outer centres; the column weights are computed once */
  for (x = 0; x < w; x++) {
    double t = (x - (s - 1) * 0.5) / s;
    int x0 = (int)floor(t);
    if (t <= 0.0) x0 = 0, t = 0.0;
    if (x0 >= W - 1) x0 = W - 1, t = x0;
    cx0[x] = x0;
    cx1[x] = x0 + 1 < W ? x0 + 1 : x0;
    cfx[x] = (float)(t - x0);
  }
  for (y = 0; y < h; y++) {
    double u = (y - (s - 1) * 0.5) / s;
    int y0 = (int)floor(u), y1;
    float fy;
    if (u <= 0.0) y0 = 0, u = 0.0;
    if (y0 >= H - 1) y0 = H - 1, u = y0;
    y1 = y0 + 1 < H ? y0 + 1 : y0;
    fy = (float)(u - y0);
    for (k = 0; k < 2; k++) {
      const float *L0 = lv + k * N + (size_t)y0 * W, *L1 = lv + k * N + (size_t)y1 * W;
      float *out = (k ? P : I) + (size_t)y * w;
      for (x = 0; x < w; x++) {
        float a = L0[cx0[x]] + cfx[x] * (L0[cx1[x]] - L0[cx0[x]]);
        float b = L1[cx0[x]] + cfx[x] * (L1[cx1[x]] - L1[cx0[x]]);
        out[x] = a + fy * (b - a);
      }
    }
  }
  st = FT_OK;
done:
  free(cell), free(blur), free(lv), free(cfx), free(cx0), free(cx1);
  return st;
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
  uint8_t *ink = NULL, *set = NULL, *pap = NULL, *tmp = NULL;
  int *cnt = NULL;
  float *P = NULL;
  int nbins, split, dark, b, cell;
  size_t i, n_set;
  ft_status st;
  if (!p) {
    ft_midpoint_params_init(&def);
    p = &def;
  }
  if ((st = check(ctx, p))) return st;
  if (in->channels != 1 || !in->data) { /* colour or compact: a float gray copy */
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
  pap = ft__malloc_n(n, 1);
  P = ft__malloc_n(n, sizeof *P);
  if (!pap || !P) goto nomem;

  /* 2. ink samples: the eroded first guess (all of it if nothing is left);
   * paper samples: farther than core + 1 from the first-guess ink (all of
   * its background if nothing is left) */
  if (p->core > 0) {
    box_test(ink, set, tmp, cnt, w, h, p->core, 1);
    for (n_set = 0, i = 0; i < n; i++) n_set += set[i];
    if (!n_set) memcpy(set, ink, n);
  } else {
    memcpy(set, ink, n);
  }
  box_test(ink, pap, tmp, cnt, w, h, p->core + 1, 0);
  for (n_set = 0, i = 0; i < n; i++) n_set += (pap[i] = !pap[i]);
  if (!n_set)
    for (i = 0; i < n; i++) pap[i] = !ink[i];
  if ((st = ft__progress(ctx, 0.3))) goto done;

  /* 3. the levels, on cells of sigma / 4 pixels (the Gaussian of sigma
   * hardly changes by the cells' box of variance (s^2 - 1) / 12); the ink
   * level goes into T for now */
  cell = p->sigma >= 8.0 ? (int)(p->sigma / 4.0) : 1;
  if ((st = levels(ctx, v, set, pap, w, h, p->sigma, cell, T, P))) goto done;

  /* 4. T = P + fraction (I - P) */
  {
    const float f = (float)p->fraction;
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
  free(hist), free(ink), free(set), free(pap), free(tmp), free(cnt), free(P);
  ft_image_free(g);
  return st;
}

ft_status ft_midpoint_threshold_map(ft_ctx *ctx, const ft_image *in, const ft_midpoint_params *p,
                                    ft_image **out) {
  ft_image *m;
  ft_status st;
  *out = NULL;
  if ((st = ft__threshold_map_new(ctx, in, &m))) return st;
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
