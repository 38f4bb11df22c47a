/* src/denoise/gaussian.c - Gaussian blur, FIR or recursive.
 *
 * FIR: the 2-D Gaussian is separable, so a horizontal then a vertical pass
 * with the normalised 1-D kernel k[i] ~ exp(-i^2 / 2 sigma^2), |i| <= R =
 * ceil(3 sigma), gives exactly the truncated 2-D sum (the product kernel is
 * normalised because each factor is).  The vertical pass works on whole
 * rows, so it runs over contiguous memory.
 *
 * Recursive: I. T. Young and L. J. van Vliet, "Recursive implementation of
 * the Gaussian filter", Signal Processing 44, 1995: a causal then an
 * anti-causal third-order IIR pass per axis, with q(sigma) and b0..b3 from
 * their Eqs. 11b and 8c; the cost does not depend on sigma.  Each line is
 * extended by 4 sigma replicated samples at both ends and each pass starts
 * from the steady state of its first sample, so the start-up transient has
 * died out before the image begins (a replicate border, to within the
 * method's own 1-1.5% error).
 *
 * Both passes of both methods cut the image into fixed bands (rows for the
 * horizontal pass, column strips for the vertical one); each output sample
 * is computed by the same arithmetic whatever the thread count.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "denoise/internal.h"

typedef struct gauss_job {
  const float *src;
  float *dst;
  int w, h, c;
  int R;           /* FIR radius */
  const float *k;  /* FIR kernel k[0..R] (symmetric) */
  double a1, a2, a3, B; /* recursive coefficients, normalised by b0 */
  int P;           /* recursive: replicated samples added at each end of a line */
} gauss_job;

/* ---- FIR ---- */

static int fir_rows(void *arg, int lo, int hi) {
  const gauss_job *j = arg;
  const int c = j->c, R = j->R, n = j->w * c;
  float *pad = ft__malloc_n((size_t)(j->w + 2 * R) * c, sizeof *pad);
  int y;
  if (!pad) return 1;
  for (y = lo; y < hi; y++) {
    const float *s = j->src + (size_t)y * n;
    float *d = j->dst + (size_t)y * n;
    float *p = pad + (size_t)R * c;
    int x, i, ch;
    memcpy(p, s, (size_t)n * sizeof *p);
    for (x = 1; x <= R; x++)
      for (ch = 0; ch < c; ch++) {
        p[-x * c + ch] = s[ch];
        p[(j->w - 1 + x) * c + ch] = s[(j->w - 1) * c + ch];
      }
    for (x = 0; x < n; x++) {
      float acc = j->k[0] * p[x];
      for (i = 1; i <= R; i++) acc += j->k[i] * (p[x - i * c] + p[x + i * c]);
      d[x] = acc;
    }
  }
  free(pad);
  return 0;
}

static int fir_cols(void *arg, int lo, int hi) {
  const gauss_job *j = arg;
  const int n = j->w * j->c, R = j->R;
  int y;
  for (y = lo; y < hi; y++) {
    float *d = j->dst + (size_t)y * n;
    const float *s0 = j->src + (size_t)y * n;
    int x, i;
    for (x = 0; x < n; x++) d[x] = j->k[0] * s0[x];
    for (i = 1; i <= R; i++) {
      int ya = y - i < 0 ? 0 : y - i, yb = y + i >= j->h ? j->h - 1 : y + i;
      const float *sa = j->src + (size_t)ya * n, *sb = j->src + (size_t)yb * n;
      const float ki = j->k[i];
      for (x = 0; x < n; x++) d[x] += ki * (sa[x] + sb[x]);
    }
  }
  return 0;
}

/* ---- recursive ---- */

/* Lines are padded by IIR_PAD * sigma replicated samples at each end, so the
 * passes' start-up transients (the filter's memory of the steady state it
 * was started in) die out before the image begins. */
#define IIR_PAD 4.0

static void yvv_coefficients(double sigma, gauss_job *j) {
  double q, q2, q3, b0, b1, b2, b3;
  if (sigma >= 2.5)
    q = 0.98711 * sigma - 0.96330;
  else
    q = 3.97156 - 4.14554 * sqrt(1.0 - 0.26891 * sigma);
  q2 = q * q;
  q3 = q2 * q;
  b0 = 1.57825 + 2.44413 * q + 1.4281 * q2 + 0.422205 * q3;
  b1 = 2.44413 * q + 2.85619 * q2 + 1.26661 * q3;
  b2 = -(1.4281 * q2 + 1.26661 * q3);
  b3 = 0.422205 * q3;
  j->a1 = b1 / b0;
  j->a2 = b2 / b0;
  j->a3 = b3 / b0;
  j->B = 1.0 - (j->a1 + j->a2 + j->a3);
}

#define IIR_LANES 4 /* lines filtered together by iir_rows */

/* The horizontal recursive pass.  Each line is a serial recursion, so
 * IIR_LANES lines (rows, or channels of a row) run side by side, one per
 * lane of an interleaved buffer: the lanes are independent and the loop
 * over them vectorises, while every line still sees exactly the arithmetic
 * of a line filtered alone. */
static int iir_rows(void *arg, int lo, int hi) {
  const gauss_job *j = arg;
  const int w = j->w, c = j->c, P = j->P, n2 = w + 2 * P;
  const double B = j->B, a1 = j->a1, a2 = j->a2, a3 = j->a3;
  const int nl = (hi - lo) * c; /* lines: (row, channel) pairs */
  double *t = ft__malloc_n((size_t)n2 * IIR_LANES, sizeof *t);
  int l0, x, q;
  if (!t) return 1;
  for (l0 = 0; l0 < nl; l0 += IIR_LANES) {
    const float *s[IIR_LANES];
    float *d[IIR_LANES];
    double w1[IIR_LANES], w2[IIR_LANES], w3[IIR_LANES];
    const int nq = nl - l0 < IIR_LANES ? nl - l0 : IIR_LANES;
    for (q = 0; q < IIR_LANES; q++) { /* spare lanes repeat the last line */
      const int l = l0 + (q < nq ? q : nq - 1), y = lo + l / c, ch = l % c;
      s[q] = j->src + (size_t)y * w * c + ch;
      d[q] = j->dst + (size_t)y * w * c + ch;
    }
    /* the padded input, lane-interleaved */
    for (x = 0; x < n2; x++) {
      const int sx = x - P < 0 ? 0 : (x - P >= w ? w - 1 : x - P);
      for (q = 0; q < IIR_LANES; q++) t[(size_t)x * IIR_LANES + q] = s[q][(size_t)sx * c];
    }
    /* causal pass, in place */
    for (q = 0; q < IIR_LANES; q++) w1[q] = w2[q] = w3[q] = t[q];
    for (x = 0; x < n2; x++) {
      double *tx = t + (size_t)x * IIR_LANES;
      for (q = 0; q < IIR_LANES; q++) {
        const double v = B * tx[q] + a1 * w1[q] + a2 * w2[q] + a3 * w3[q];
        tx[q] = v, w3[q] = w2[q], w2[q] = w1[q], w1[q] = v;
      }
    }
    /* anti-causal pass, written out from the image's first sample on */
    for (q = 0; q < IIR_LANES; q++) w1[q] = w2[q] = w3[q] = t[(size_t)(n2 - 1) * IIR_LANES + q];
    for (x = n2 - 1; x >= P; x--) {
      const double *tx = t + (size_t)x * IIR_LANES;
      double o[IIR_LANES];
      for (q = 0; q < IIR_LANES; q++) {
        o[q] = B * tx[q] + a1 * w1[q] + a2 * w2[q] + a3 * w3[q];
        w3[q] = w2[q], w2[q] = w1[q], w1[q] = o[q];
      }
      if (x < P + w)
        for (q = 0; q < nq; q++) d[q][(size_t)(x - P) * c] = (float)o[q];
    }
  }
  free(t);
  return 0;
}

#define IIR_STRIP 256 /* samples per column strip of the vertical pass */

static int iir_cols(void *arg, int lo, int hi) {
  const gauss_job *j = arg;
  const int n = j->w * j->c, h = j->h, P = j->P, h2 = h + 2 * P;
  const int x0 = lo * IIR_STRIP, x1 = hi * IIR_STRIP < n ? hi * IIR_STRIP : n, m = x1 - x0;
  double *t = ft__malloc_n((size_t)h2 * m, sizeof *t);
  double *s1 = ft__malloc_n((size_t)3 * m, sizeof *s1);
  int v, x;
  if (!t || !s1) {
    free(t), free(s1);
    return 1;
  }
  /* causal pass down the strip (padded by P replicated rows), whole rows at a time */
  for (v = 0; v < h2; v++) {
    const int sy = v - P < 0 ? 0 : (v - P >= h ? h - 1 : v - P);
    const float *s = j->src + (size_t)sy * n + x0, *e = j->src + x0;
    double *tv = t + (size_t)v * m;
    const double *p1 = v >= 1 ? tv - m : NULL, *p2 = v >= 2 ? tv - 2 * m : NULL;
    const double *p3 = v >= 3 ? tv - 3 * m : NULL;
    for (x = 0; x < m; x++) {
      double v1 = p1 ? p1[x] : e[x], v2 = p2 ? p2[x] : e[x], v3 = p3 ? p3[x] : e[x];
      tv[x] = j->B * s[x] + j->a1 * v1 + j->a2 * v2 + j->a3 * v3;
    }
  }
  /* anti-causal pass up the strip; s1 holds the last three outputs */
  for (v = h2 - 1; v >= P; v--) {
    const double *tv = t + (size_t)v * m, *e = t + (size_t)(h2 - 1) * m;
    double *o1 = s1, *o2 = s1 + m, *o3 = s1 + 2 * m;
    const int k = h2 - 1 - v; /* rows already produced */
    float *d = v < P + h ? j->dst + (size_t)(v - P) * n + x0 : NULL;
    for (x = 0; x < m; x++) {
      double v1 = k >= 1 ? o1[x] : e[x], v2 = k >= 2 ? o2[x] : e[x], v3 = k >= 3 ? o3[x] : e[x];
      double o = j->B * tv[x] + j->a1 * v1 + j->a2 * v2 + j->a3 * v3;
      o3[x] = v2, o2[x] = v1, o1[x] = o;
      if (d) d[x] = (float)o;
    }
  }
  free(t), free(s1);
  return 0;
}

ft_status ft__gaussian_plane(ft_ctx *ctx, const float *src, float *dst, int w, int h, int c,
                             double sigma, int method, double f0, double f1) {
  const double fm = (f0 + f1) / 2;
  gauss_job j;
  float *tmp, *k = NULL;
  ft_status st;
  size_t n = (size_t)w * h * c;
  const int n_row = w * c;
  memset(&j, 0, sizeof j);
  j.w = w, j.h = h, j.c = c;
  if (method == FT_GAUSS_AUTO) method = sigma < 3.0 ? FT_GAUSS_FIR : FT_GAUSS_RECURSIVE;
  tmp = ft__malloc_n(n, sizeof *tmp);
  if (!tmp) return ft__nomem(ctx, "gaussian");
  if (method == FT_GAUSS_FIR) {
    double sum = 0.0;
    int i;
    j.R = (int)ceil(3.0 * sigma);
    k = ft__malloc_n((size_t)j.R + 1, sizeof *k);
    if (!k) {
      free(tmp);
      return ft__nomem(ctx, "gaussian");
    }
    {
      double *kd = ft__malloc_n((size_t)j.R + 1, sizeof *kd);
      if (!kd) {
        free(tmp), free(k);
        return ft__nomem(ctx, "gaussian");
      }
      for (i = 0; i <= j.R; i++) {
        kd[i] = exp(-(double)i * i / (2.0 * sigma * sigma));
        sum += i ? 2.0 * kd[i] : kd[i];
      }
      for (i = 0; i <= j.R; i++) k[i] = (float)(kd[i] / sum);
      free(kd);
    }
    j.k = k;
    j.src = src, j.dst = tmp;
    st = ft__parallel(ctx, "gaussian", h, FT__BAND, fir_rows, &j, f0, fm);
    if (!st) {
      j.src = tmp, j.dst = dst;
      st = ft__parallel(ctx, "gaussian", h, FT__BAND, fir_cols, &j, fm, f1);
    }
  } else {
    yvv_coefficients(sigma, &j);
    j.P = (int)ceil(IIR_PAD * sigma);
    j.src = src, j.dst = tmp;
    st = ft__parallel(ctx, "gaussian", h, FT__BAND, iir_rows, &j, f0, fm);
    if (!st) {
      j.src = tmp, j.dst = dst;
      st = ft__parallel(ctx, "gaussian", (n_row + IIR_STRIP - 1) / IIR_STRIP, 1, iir_cols, &j, fm,
                        f1);
    }
  }
  free(k);
  free(tmp);
  return st;
}

ft_status ft_gaussian(ft_ctx *ctx, const ft_image *in, const ft_gaussian_params *p,
                      ft_image **out) {
  ft_gaussian_params def;
  ft_image *res;
  ft_status st;
  int nk;
  *out = NULL;
  if (!p) {
    ft_gaussian_params_init(&def);
    p = &def;
  }
  if ((st = ft_spec_check(ctx, "denoise", &ft_denoise_kinds(&nk)[FT_FILTER_GAUSSIAN], p)))
    return st;
  if ((st = ft__image_like(ctx, in, &res))) return st;
  st = ft__gaussian_plane(ctx, in->data, res->data, in->width, in->height, in->channels,
                          p->sigma, p->method, 0.0, 1.0);
  if (st) {
    ft_image_free(res);
    return st;
  }
  *out = res;
  return FT_OK;
}
