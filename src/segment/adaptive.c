/* src/segment/adaptive.c - Sauvola and Niblack adaptive thresholds, hysteresis.
 *
 * Adaptive thresholds (J. Sauvola and M. Pietikainen, "Adaptive document
 * image binarization", Pattern Recognition 33, 2000; W. Niblack, 1986) need
 * the mean m and standard deviation s of a window around every pixel.  With
 * integral images of the samples and of their squares (F. Shafait,
 * D. Keysers and T. M. Breuel, "Efficient implementation of local adaptive
 * thresholding techniques using integral images", DRR 2008) each window
 * costs four look-ups.  Samples are quantised to 16-bit integers and summed
 * in uint64, so window sums are exact: a window's sum of squares is below
 * 4095^2 * 65535^2 < 2^56, and should a band's running totals pass 2^64
 * (only for images millions of pixels wide) the unsigned wrap-around cancels
 * in the four-corner differences.  Integral images cover one band of rows (plus the
 * window's reach) at a time to bound memory; exact sums make the result
 * independent of the banding and the thread count.
 *
 * Hysteresis (Canny 1986) floods from strong pixels through weak ones with
 * an explicit stack.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "denoise/internal.h"
#include "figtrace/thresholds.h"
#include "segment/internal.h"

static const ft_adaptive_params adaptive_defaults = {FT_ADAPTIVE_SAUVOLA, 25, 0.2, 0.5,
                                                     FT_POLARITY_DARK};
static const ft_hysteresis_params hysteresis_defaults = {0.3, 0.6, 8, FT_POLARITY_DARK};

void ft_adaptive_params_init(ft_adaptive_params *p) { *p = adaptive_defaults; }
void ft_hysteresis_params_init(ft_hysteresis_params *p) { *p = hysteresis_defaults; }

/* Luminance of in quantised to 16 bits. OUT: *q malloc'd [h][w]. */
static ft_status quantised_gray(ft_ctx *ctx, const ft_image *in, uint16_t **q) {
  ft_image *g = NULL;
  const ft_image *src = in;
  size_t i, n = (size_t)in->width * in->height;
  ft_status st;
  *q = NULL;
  if (in->channels != 1 || !in->data) { /* colour or compact: a float gray copy */
    if ((st = ft_image_to_gray(ctx, in, &g))) return st;
    src = g;
  }
  *q = ft__malloc_n(n, sizeof **q);
  if (!*q) {
    ft_image_free(g);
    return ft__nomem(ctx, "threshold");
  }
  for (i = 0; i < n; i++) {
    float v = src->data[i];
    v = v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
    (*q)[i] = (uint16_t)(v * 65535.0f + 0.5f);
  }
  ft_image_free(g);
  return FT_OK;
}

ft_status ft__mask_labels(ft_ctx *ctx, const ft_image *in, const uint8_t *mask,
                          ft_labels **out) {
  ft_labels *lab;
  double sum[2][3] = {{0, 0, 0}, {0, 0, 0}};
  size_t i, n = (size_t)in->width * in->height;
  int c = in->channels, l, k;
  ft_status st = ft_labels_new(ctx, in->width, in->height, 2, &lab);
  *out = NULL;
  if (st) return st;
  int64_t area1 = 0;
  for (i = 0; i < n; i++) {
    l = mask[i] != 0;
    lab->label[i] = l;
    area1 += l;
  }
  /* mean colours: gray sources give equal R, G and B */
  for (i = 0; i < n; i++) {
    size_t o = i * c; /* float or compact samples alike */
    l = mask[i] != 0;
    sum[l][0] += ft_image_sample(in, o);
    if (c >= 3) sum[l][1] += ft_image_sample(in, o + 1), sum[l][2] += ft_image_sample(in, o + 2);
  }
  if (c < 3)
    for (l = 0; l < 2; l++) sum[l][1] = sum[l][2] = sum[l][0];
  lab->info[0].area = (int64_t)n - area1;
  lab->info[1].area = area1;
  lab->info[1].class_id = FT_CLASS_INK;
  for (l = 0; l < 2; l++)
    for (k = 0; k < 3; k++)
      lab->info[l].color[k] = lab->info[l].area ? (float)(sum[l][k] / lab->info[l].area) : 0.0f;
  lab->pixel_w = in->pixel_w;
  lab->pixel_h = in->pixel_h;
  *out = lab;
  return FT_OK;
}

typedef struct adapt_job {
  const uint16_t *q;
  float *map;     /* threshold surface, or NULL */
  uint8_t *mask;  /* ink mask, or NULL */
  int w, h, r, method, light;
  double k, range;
} adapt_job;

#define ADAPT_BAND 128 /* rows per band; the integral images span band + window */

static int adapt_band(void *arg, int lo, int hi) {
  const adapt_job *j = arg;
  const int w = j->w, h = j->h, r = j->r, iw = w + 1;
  const int maxrows = ADAPT_BAND + 2 * r + 1;
  const double unit = 1.0 / 65535.0;
  const int niblack = j->method == FT_ADAPTIVE_NIBLACK;
  const double c0 = 1.0 - j->k, c1 = j->k / j->range;
  uint64_t *S = ft__malloc_n((size_t)maxrows * iw, sizeof *S);
  uint64_t *SS = ft__malloc_n((size_t)maxrows * iw, sizeof *SS);
  double *invx = ft__malloc_n((size_t)w, sizeof *invx);
  int *xa = ft__malloc_n((size_t)w, sizeof *xa), *xb = ft__malloc_n((size_t)w, sizeof *xb);
  int b, x;
  if (!S || !SS || !invx || !xa || !xb) {
    free(S), free(SS), free(invx), free(xa), free(xb);
    return 1;
  }
  /* window columns [xa, xb) clipped to the image, and 1 / their count */
  for (x = 0; x < w; x++) {
    xa[x] = x - r < 0 ? 0 : x - r;
    xb[x] = x + r + 1 > w ? w : x + r + 1;
    invx[x] = 1.0 / (xb[x] - xa[x]);
  }
  for (b = lo; b < hi; b++) {
    const int y0 = b * ADAPT_BAND, y1 = y0 + ADAPT_BAND < h ? y0 + ADAPT_BAND : h;
    const int r0 = y0 - r < 0 ? 0 : y0 - r, r1 = y1 + r > h ? h : y1 + r;
    int y;
    /* integral images of rows r0 .. r1-1: S[(y - r0) * iw + x] sums rows < y, cols < x */
    memset(S, 0, (size_t)iw * sizeof *S);
    memset(SS, 0, (size_t)iw * sizeof *SS);
    for (y = r0; y < r1; y++) {
      const uint16_t *row = j->q + (size_t)y * w;
      uint64_t *s = S + (size_t)(y - r0 + 1) * iw, *sp = s - iw;
      uint64_t *ss = SS + (size_t)(y - r0 + 1) * iw, *ssp = ss - iw;
      uint64_t run = 0, run2 = 0;
      s[0] = ss[0] = 0;
      for (x = 0; x < w; x++) {
        run += row[x];
        run2 += (uint64_t)row[x] * row[x];
        s[x + 1] = sp[x + 1] + run;
        ss[x + 1] = ssp[x + 1] + run2;
      }
    }
    for (y = y0; y < y1; y++) {
      const int ya = (y - r < 0 ? 0 : y - r) - r0, yb = (y + r + 1 > h ? h : y + r + 1) - r0;
      const uint64_t *Sa = S + (size_t)ya * iw, *Sb = S + (size_t)yb * iw;
      const uint64_t *SSa = SS + (size_t)ya * iw, *SSb = SS + (size_t)yb * iw;
      const double invy = 1.0 / (yb - ya);
      const uint16_t *qrow = j->q + (size_t)y * w;
      float *mrow = j->map ? j->map + (size_t)y * w : NULL;
      uint8_t *krow = j->mask ? j->mask + (size_t)y * w : NULL;
      for (x = 0; x < w; x++) {
        const uint64_t s = Sb[xb[x]] - Sa[xb[x]] - Sb[xa[x]] + Sa[xa[x]];
        const uint64_t s2 = SSb[xb[x]] - SSa[xb[x]] - SSb[xa[x]] + SSa[xa[x]];
        const double inv = invx[x] * invy;
        /* window sums are below 2^56: the signed conversion is exact and one instruction */
        double mq = (double)(int64_t)s * inv, var = (double)(int64_t)s2 * inv - mq * mq, m, sd, t;
        m = mq * unit;
        sd = (var > 0.0 ? sqrt(var) : 0.0) * unit;
        /* Niblack: m + k sd; Sauvola: m (1 + k (sd / R - 1)) = m (c0 + c1 sd) */
        t = niblack ? m + j->k * sd : m * (c0 + c1 * sd);
        if (mrow) mrow[x] = (float)t;
        if (krow) {
          double v = qrow[x] * unit;
          krow[x] = (uint8_t)(j->light ? v > t : v <= t);
        }
      }
    }
  }
  free(S), free(SS), free(invx), free(xa), free(xb);
  return 0;
}

static ft_status adaptive_run(ft_ctx *ctx, const ft_image *in, const ft_adaptive_params *p,
                              float *map, uint8_t *mask) {
  ft_adaptive_params def;
  adapt_job j;
  uint16_t *q;
  ft_status st;
  if (!p) {
    ft_adaptive_params_init(&def);
    p = &def;
  }
  if (p->method != FT_ADAPTIVE_SAUVOLA && p->method != FT_ADAPTIVE_NIBLACK)
    return ft__fail(ctx, FT_ERR_INVAL, "threshold: method %d (0 sauvola, 1 niblack)", p->method);
  if (p->window < 3 || p->window > 4095 || p->window % 2 == 0)
    return ft__fail(ctx, FT_ERR_INVAL, "threshold: window=%d must be odd in 3..4095", p->window);
  if (!(p->k >= -1.0 && p->k <= 1.0))
    return ft__fail(ctx, FT_ERR_INVAL, "threshold: k=%g out of range -1..1", p->k);
  if (!(p->range > 0.0 && p->range <= 1.0))
    return ft__fail(ctx, FT_ERR_INVAL, "threshold: range=%g out of range (0, 1]", p->range);
  if ((st = quantised_gray(ctx, in, &q))) return st;
  j.q = q;
  j.map = map;
  j.mask = mask;
  j.w = in->width, j.h = in->height, j.r = p->window / 2;
  j.method = p->method;
  j.light = p->polarity == FT_POLARITY_LIGHT;
  j.k = p->k;
  j.range = p->range;
  st = ft__parallel(ctx, "threshold", (in->height + ADAPT_BAND - 1) / ADAPT_BAND, 1, adapt_band,
                    &j, 0.0, 1.0);
  free(q);
  return st;
}

ft_status ft__threshold_map_new(ft_ctx *ctx, const ft_image *in, ft_image **out) {
  ft_status st = ft_image_new(ctx, in->width, in->height, 1, out);
  if (st) return st;
  (*out)->bit_depth = 32;
  (*out)->pixel_w = in->pixel_w;
  (*out)->pixel_h = in->pixel_h;
  return FT_OK;
}

ft_status ft_adaptive_threshold_map(ft_ctx *ctx, const ft_image *in, const ft_adaptive_params *p,
                                    ft_image **out) {
  ft_image *m;
  ft_status st;
  *out = NULL;
  if ((st = ft__threshold_map_new(ctx, in, &m))) return st;
  if ((st = adaptive_run(ctx, in, p, m->data, NULL))) {
    ft_image_free(m);
    return st;
  }
  *out = m;
  return FT_OK;
}

ft_status ft_adaptive_threshold(ft_ctx *ctx, const ft_image *in, const ft_adaptive_params *p,
                                ft_labels **out) {
  uint8_t *mask = ft__malloc_n((size_t)in->width * in->height, 1);
  ft_status st;
  *out = NULL;
  if (!mask) return ft__nomem(ctx, "threshold");
  st = adaptive_run(ctx, in, p, NULL, mask);
  if (!st) st = ft__mask_labels(ctx, in, mask, out);
  free(mask);
  return st;
}

ft_status ft_hysteresis_threshold(ft_ctx *ctx, const ft_image *in, const ft_hysteresis_params *p,
                                  ft_labels **out) {
  ft_hysteresis_params def;
  ft_image *g = NULL;
  const ft_image *src = in;
  uint8_t *mask = NULL; /* 0 off, 1 weak, 2 ink */
  size_t *stack = NULL, top = 0, i, n = (size_t)in->width * in->height;
  const int w = in->width, h = in->height;
  ft_status st = FT_OK;
  int light;
  *out = NULL;
  if (!p) {
    ft_hysteresis_params_init(&def);
    p = &def;
  }
  if (!(p->low >= 0.0 && p->low <= p->high && p->high <= 1.0))
    return ft__fail(ctx, FT_ERR_INVAL, "threshold: need 0 <= low (%g) <= high (%g) <= 1",
                    p->low, p->high);
  if (p->connectivity != 4 && p->connectivity != 8)
    return ft__fail(ctx, FT_ERR_INVAL, "threshold: connectivity=%d (4 or 8)", p->connectivity);
  light = p->polarity == FT_POLARITY_LIGHT;
  if (in->channels != 1 || !in->data) { /* colour or compact: a float gray copy */
    if ((st = ft_image_to_gray(ctx, in, &g))) return st;
    src = g;
  }
  mask = ft__malloc_n(n, 1);
  stack = ft__malloc_n(n, sizeof *stack);
  if (!mask || !stack) {
    st = ft__nomem(ctx, "threshold");
    goto done;
  }
  for (i = 0; i < n; i++) {
    double v = src->data[i];
    int strong = light ? v >= p->high : v <= p->low;
    int weak = light ? v >= p->low : v <= p->high;
    mask[i] = strong ? 2 : (weak ? 1 : 0);
    if (strong) stack[top++] = i;
  }
  while (top) {
    size_t cur = stack[--top];
    int x = (int)(cur % w), y = (int)(cur / w), dx, dy;
    for (dy = -1; dy <= 1; dy++)
      for (dx = -1; dx <= 1; dx++) {
        int nx = x + dx, ny = y + dy;
        size_t ni;
        if ((!dx && !dy) || nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        if (p->connectivity == 4 && dx && dy) continue;
        ni = (size_t)ny * w + nx;
        if (mask[ni] == 1) {
          mask[ni] = 2;
          stack[top++] = ni;
        }
      }
  }
  for (i = 0; i < n; i++) mask[i] = mask[i] == 2;
  st = ft__mask_labels(ctx, in, mask, out);
done:
  free(mask), free(stack);
  ft_image_free(g);
  return st;
}
