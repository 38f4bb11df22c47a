/* src/denoise/morph.c - grey-level erosion, dilation, opening, closing, top-hats.
 *
 * Square structuring elements are separable: a running max (or min) along
 * every row, then along every column.  Each 1-D pass uses the algorithm of
 * M. van Herk, "A fast algorithm for local minimum and maximum filters on
 * rectangular and octagonal kernels", Pattern Recognition Letters 13, 1992,
 * and J. Gil and M. Werman, IEEE PAMI 15(5), 1993: the padded line is cut
 * into blocks of k = 2r+1 samples; g holds prefix maxima within each block
 * from the left, h suffix maxima from the right, and the maximum of the
 * window starting at i is max(h[i], g[i+k-1]) - three comparisons per
 * sample whatever r is.
 *
 * A disc of radius r (pixels with dx^2 + dy^2 <= r^2) is the union of the
 * horizontal runs of half-width floor(sqrt(r^2 - dy^2)) at each row offset
 * dy, so it is one van Herk row pass per dy combined by max: O(r) per pixel.
 *
 * The column pass works on strips of whole rows (row-vector operations)
 * rather than on strided columns, to stay within the cache.
 *
 * Samples outside the image replicate the edge, which for max and min is the
 * same as ignoring them.  Rows (and column strips) are independent, so the
 * output does not depend on the thread count.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "denoise/internal.h"

static inline float op2(float a, float b, int is_max) {
  return is_max ? (a > b ? a : b) : (a < b ? a : b);
}

/* Scratch floats vh_line needs for a line of n samples and radius r. */
static size_t vh_scratch(int n, int r) {
  size_t k = (size_t)2 * r + 1, m = ((size_t)n + 2 * r + k - 1) / k * k;
  return 3 * m;
}

/* dst[x * ds] = max (or min) of src[clamp(x + i) * ss], |i| <= r, x in [0, n).
 * Blocks are walked by nested loops (no modulo per sample); vh_line_max and
 * vh_line_min below are this body with is_max a constant. */
static inline void vh_line_body(const float *src, ptrdiff_t ss, int n, int r, float *dst,
                                ptrdiff_t ds, float *buf, int is_max) {
  const int k = 2 * r + 1;
  const int m = (n + 2 * r + k - 1) / k * k;
  float *pad = buf, *g = buf + m, *hh = buf + 2 * m;
  int i, b;
  if (r == 0) {
    for (i = 0; i < n; i++) dst[i * ds] = src[i * ss];
    return;
  }
  for (i = 0; i < r; i++) pad[i] = src[0];
  if (ss == 1)
    memcpy(pad + r, src, (size_t)n * sizeof *pad);
  else
    for (i = 0; i < n; i++) pad[r + i] = src[i * ss];
  for (i = r + n; i < m; i++) pad[i] = src[(ptrdiff_t)(n - 1) * ss];
  for (b = 0; b < m; b += k) { /* prefix max from each block's left end */
    g[b] = pad[b];
    for (i = b + 1; i < b + k; i++) g[i] = op2(g[i - 1], pad[i], is_max);
  }
  for (b = m - k; b >= 0; b -= k) { /* suffix max from each block's right end */
    hh[b + k - 1] = pad[b + k - 1];
    for (i = b + k - 2; i >= b; i--) hh[i] = op2(hh[i + 1], pad[i], is_max);
  }
  if (ds == 1)
    for (i = 0; i < n; i++) dst[i] = op2(hh[i], g[i + 2 * r], is_max);
  else
    for (i = 0; i < n; i++) dst[i * ds] = op2(hh[i], g[i + 2 * r], is_max);
}

static void vh_line_max(const float *src, ptrdiff_t ss, int n, int r, float *dst, ptrdiff_t ds,
                        float *buf) {
  vh_line_body(src, ss, n, r, dst, ds, buf, 1);
}

static void vh_line_min(const float *src, ptrdiff_t ss, int n, int r, float *dst, ptrdiff_t ds,
                        float *buf) {
  vh_line_body(src, ss, n, r, dst, ds, buf, 0);
}

static void vh_line(const float *src, ptrdiff_t ss, int n, int r, float *dst, ptrdiff_t ds,
                    float *buf, int is_max) {
  if (is_max)
    vh_line_max(src, ss, n, r, dst, ds, buf);
  else
    vh_line_min(src, ss, n, r, dst, ds, buf);
}

typedef struct morph_job {
  const float *src;
  float *dst;
  int w, h, c, r, is_max;
} morph_job;

static int rows_pass(void *arg, int lo, int hi) {
  const morph_job *j = arg;
  float *buf = ft__malloc_n(vh_scratch(j->w, j->r), sizeof *buf);
  int y, ch;
  if (!buf) return 1;
  for (y = lo; y < hi; y++)
    for (ch = 0; ch < j->c; ch++)
      vh_line(j->src + (size_t)y * j->w * j->c + ch, j->c, j->w, j->r,
              j->dst + (size_t)y * j->w * j->c + ch, j->c, buf, j->is_max);
  free(buf);
  return 0;
}

#define COL_STRIP 128 /* samples per column strip of the vertical pass */

/* The vertical pass runs van Herk down a strip of COL_STRIP samples of
 * every row at once, so each step is a contiguous row operation. */
static int cols_pass(void *arg, int lo, int hi) {
  const morph_job *j = arg;
  const int n = j->w * j->c, h = j->h, r = j->r, k = 2 * r + 1;
  const int M = (h + 2 * r + k - 1) / k * k; /* padded rows, a whole number of blocks */
  float *g = ft__malloc_n((size_t)M * COL_STRIP, sizeof *g);
  float *hh = ft__malloc_n((size_t)M * COL_STRIP, sizeof *hh);
  int strip, i, x, y;
  if (!g || !hh) {
    free(g), free(hh);
    return 1;
  }
  for (strip = lo; strip < hi; strip++) {
    const int x0 = strip * COL_STRIP, m = n - x0 < COL_STRIP ? n - x0 : COL_STRIP;
#define PROW(i) (j->src + (size_t)((i) - r < 0 ? 0 : ((i) - r >= h ? h - 1 : (i) - r)) * n + x0)
    for (i = 0; i < M; i++) {
      const float *p = PROW(i);
      float *gi = g + (size_t)i * COL_STRIP;
      if (i % k == 0)
        memcpy(gi, p, (size_t)m * sizeof *gi);
      else
        for (x = 0; x < m; x++) gi[x] = op2(gi[x - COL_STRIP], p[x], j->is_max);
    }
    for (i = M - 1; i >= 0; i--) {
      const float *p = PROW(i);
      float *hi_row = hh + (size_t)i * COL_STRIP;
      if (i % k == k - 1)
        memcpy(hi_row, p, (size_t)m * sizeof *hi_row);
      else
        for (x = 0; x < m; x++) hi_row[x] = op2(hi_row[x + COL_STRIP], p[x], j->is_max);
    }
#undef PROW
    for (y = 0; y < h; y++) {
      const float *a = hh + (size_t)y * COL_STRIP, *b = g + (size_t)(y + 2 * r) * COL_STRIP;
      float *d = j->dst + (size_t)y * n + x0;
      for (x = 0; x < m; x++) d[x] = op2(a[x], b[x], j->is_max);
    }
  }
  free(g), free(hh);
  return 0;
}

static int disc_pass(void *arg, int lo, int hi) {
  const morph_job *j = arg;
  const int w = j->w, c = j->c, r = j->r;
  float *buf = ft__malloc_n(vh_scratch(w, r), sizeof *buf);
  float *line = ft__malloc_n((size_t)w, sizeof *line);
  int y, ch, dy, x;
  if (!buf || !line) {
    free(buf), free(line);
    return 1;
  }
  for (y = lo; y < hi; y++)
    for (ch = 0; ch < c; ch++) {
      float *d = j->dst + (size_t)y * w * c + ch;
      for (dy = -r; dy <= r; dy++) {
        int sy = y + dy < 0 ? 0 : (y + dy >= j->h ? j->h - 1 : y + dy);
        int hw = (int)floor(sqrt((double)r * r - (double)dy * dy) + 1e-9);
        vh_line(j->src + (size_t)sy * w * c + ch, c, w, hw, line, 1, buf, j->is_max);
        if (dy == -r)
          for (x = 0; x < w; x++) d[(size_t)x * c] = line[x];
        else
          for (x = 0; x < w; x++) d[(size_t)x * c] = op2(d[(size_t)x * c], line[x], j->is_max);
      }
    }
  free(buf), free(line);
  return 0;
}

ft_status ft__morph_plane(ft_ctx *ctx, const float *src, float *dst, int w, int h, int c, int op,
                          int radius, int shape, double f0, double f1) {
  const double fm = (f0 + f1) / 2;
  morph_job j;
  ft_status st;
  j.w = w, j.h = h, j.c = c, j.r = radius, j.is_max = op == FT_MORPH_DILATE;
  if (shape == FT_SHAPE_DISC) {
    j.src = src, j.dst = dst;
    return ft__parallel(ctx, "morph", h, 16, disc_pass, &j, f0, f1);
  } else {
    float *tmp = ft__malloc_n((size_t)w * h * c, sizeof *tmp);
    if (!tmp) return ft__nomem(ctx, "morph");
    j.src = src, j.dst = tmp;
    st = ft__parallel(ctx, "morph", h, FT__BAND, rows_pass, &j, f0, fm);
    if (!st) {
      j.src = tmp, j.dst = dst;
      st = ft__parallel(ctx, "morph", (w * c + COL_STRIP - 1) / COL_STRIP, 1, cols_pass, &j, fm,
                        f1);
    }
    free(tmp);
    return st;
  }
}

ft_status ft_morph(ft_ctx *ctx, const ft_image *in, const ft_morph_params *p, ft_image **out) {
  ft_morph_params def;
  ft_image *res = NULL;
  float *tmp = NULL;
  ft_status st;
  int nk, op, first, second;
  size_t n = (size_t)in->width * in->height * in->channels, i;
  *out = NULL;
  if (!p) {
    ft_morph_params_init(&def);
    p = &def;
  }
  if (p->op < FT_MORPH_ERODE || p->op > FT_MORPH_BLACKHAT)
    return ft__fail(ctx, FT_ERR_INVAL, "denoise: morphology op %d out of range 0..5", p->op);
  if ((st = ft_spec_check(ctx, "denoise", &ft_denoise_kinds(&nk)[FT_FILTER_OPEN], p))) return st;
  op = p->op;
  if ((st = ft__image_like(ctx, in, &res))) return st;
#define PLANE(s, d, o, f0, f1) \
  ft__morph_plane(ctx, s, d, in->width, in->height, in->channels, o, p->radius, p->shape, f0, f1)
  if (op == FT_MORPH_ERODE || op == FT_MORPH_DILATE) {
    st = PLANE(in->data, res->data, op, 0.0, 1.0);
  } else {
    /* open and white top-hat erode first; close and black top-hat dilate first */
    first = (op == FT_MORPH_OPEN || op == FT_MORPH_TOPHAT) ? FT_MORPH_ERODE : FT_MORPH_DILATE;
    second = first == FT_MORPH_ERODE ? FT_MORPH_DILATE : FT_MORPH_ERODE;
    tmp = ft__malloc_n(n, sizeof *tmp);
    if (!tmp) st = ft__nomem(ctx, "morph");
    if (!st) st = PLANE(in->data, tmp, first, 0.0, 0.5);
    if (!st) st = PLANE(tmp, res->data, second, 0.5, 1.0);
    if (!st && op == FT_MORPH_TOPHAT)
      for (i = 0; i < n; i++) res->data[i] = in->data[i] - res->data[i];
    if (!st && op == FT_MORPH_BLACKHAT)
      for (i = 0; i < n; i++) res->data[i] = res->data[i] - in->data[i];
  }
#undef PLANE
  free(tmp);
  if (st) {
    ft_image_free(res);
    return st;
  }
  *out = res;
  return FT_OK;
}
