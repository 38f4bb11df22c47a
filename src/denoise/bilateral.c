/* src/denoise/bilateral.c - bilateral filter.
 *
 * C. Tomasi and R. Manduchi, "Bilateral filtering for gray and color
 * images", ICCV 1998.  Each output pixel is the normalised sum of its
 * neighbours q within radius R = ceil(2 sigma_s), weighted by
 * exp(-|p-q|^2 / 2 sigma_s^2) * exp(-D^2 / 2 sigma_r^2), D the Euclidean
 * distance of the colour channels (alpha excluded and averaged with the same
 * weights).  Spatial weights are precomputed per offset; range weights are
 * read from a table of RANGE_LUT entries over D^2 in [0, 36 sigma_r^2] by
 * rounding to the nearest entry (relative weight error below 6e-4), and are
 * zero beyond 6 sigma_r (where the exact weight is below 1.6e-8).  This is
 * the direct O(R^2)-per-pixel method, chosen for exactness over speed: the
 * figures it serves are small, and NLM or median cover heavy noise.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "denoise/internal.h"

#define RANGE_LUT 8192

typedef struct bil_job {
  const ft_image *in;
  float *out;
  int R, cc;
  const float *ws;  /* [(2R+1)^2] spatial weights */
  const float *lut; /* [RANGE_LUT] range weights */
  float lut_scale;  /* entries per unit of D^2 */
} bil_job;

static int bil_rows(void *arg, int lo, int hi) {
  const bil_job *j = arg;
  const int w = j->in->width, h = j->in->height, c = j->in->channels, R = j->R, cc = j->cc;
  const float *d = j->in->data;
  int y, x, dx, dy, ch;
  for (y = lo; y < hi; y++)
    for (x = 0; x < w; x++) {
      const float *p = d + ((size_t)y * w + x) * c;
      double acc[4] = {0, 0, 0, 0}, wsum = 0.0;
      for (dy = -R; dy <= R; dy++) {
        int qy = y + dy < 0 ? 0 : (y + dy >= h ? h - 1 : y + dy);
        const float *row = d + (size_t)qy * w * c;
        const float *wrow = j->ws + (size_t)(dy + R) * (2 * R + 1) + R;
        for (dx = -R; dx <= R; dx++) {
          int qx = x + dx < 0 ? 0 : (x + dx >= w ? w - 1 : x + dx);
          const float *q = row + (size_t)qx * c;
          float d2 = 0.0f, wt;
          int idx;
          for (ch = 0; ch < cc; ch++) d2 += (q[ch] - p[ch]) * (q[ch] - p[ch]);
          idx = (int)(d2 * j->lut_scale + 0.5f);
          if (idx >= RANGE_LUT) continue;
          wt = wrow[dx] * j->lut[idx];
          wsum += wt;
          for (ch = 0; ch < c; ch++) acc[ch] += wt * q[ch];
        }
      }
      for (ch = 0; ch < c; ch++) j->out[((size_t)y * w + x) * c + ch] = (float)(acc[ch] / wsum);
    }
  return 0;
}

ft_status ft_bilateral(ft_ctx *ctx, const ft_image *in, const ft_bilateral_params *p,
                       ft_image **out) {
  ft_bilateral_params def;
  ft_image *res = NULL;
  float *ws = NULL, *lut = NULL;
  bil_job j;
  ft_status st;
  int nk, i, dx, dy, R;
  double range_max;
  *out = NULL;
  if (!p) {
    ft_bilateral_params_init(&def);
    p = &def;
  }
  if ((st = ft_spec_check(ctx, "denoise", &ft_denoise_kinds(&nk)[FT_FILTER_BILATERAL], p)))
    return st;
  R = (int)ceil(2.0 * p->sigma_s);
  ws = ft__malloc_n((size_t)(2 * R + 1) * (2 * R + 1), sizeof *ws);
  lut = ft__malloc_n(RANGE_LUT, sizeof *lut);
  if (!ws || !lut) {
    st = ft__nomem(ctx, "bilateral");
    goto fail;
  }
  for (dy = -R; dy <= R; dy++)
    for (dx = -R; dx <= R; dx++)
      ws[(dy + R) * (2 * R + 1) + dx + R] =
          (float)exp(-(double)(dx * dx + dy * dy) / (2.0 * p->sigma_s * p->sigma_s));
  range_max = 36.0 * p->sigma_r * p->sigma_r;
  for (i = 0; i < RANGE_LUT; i++)
    lut[i] = (float)exp(-(range_max * i / (RANGE_LUT - 1)) / (2.0 * p->sigma_r * p->sigma_r));
  if ((st = ft__image_like(ctx, in, &res))) goto fail;
  j.in = in;
  j.out = res->data;
  j.R = R;
  j.cc = ft__color_channels(in->channels);
  j.ws = ws;
  j.lut = lut;
  j.lut_scale = (float)((RANGE_LUT - 1) / range_max);
  if ((st = ft__parallel(ctx, "bilateral", in->height, FT__BAND, bil_rows, &j, 0.0, 1.0))) goto fail;
  free(ws), free(lut);
  *out = res;
  return FT_OK;
fail:
  free(ws), free(lut);
  ft_image_free(res);
  return st;
}
