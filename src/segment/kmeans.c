/* src/segment/kmeans.c - colour quantisation by k-means in CIELAB.
 *
 * Pixels are composited onto white and converted from sRGB to CIELAB (CIE
 * 15:2004; sRGB per IEC 61966-2-1, D65 white), where Euclidean distance
 * roughly follows perceived colour difference.  A random sample of pixels
 * (a fixed-seed xorshift generator, so runs repeat exactly) fits the
 * centres: k-means++ seeding (D. Arthur and S. Vassilvitskii, "k-means++:
 * the advantages of careful seeding", SODA 2007) draws each new centre with
 * probability proportional to its squared distance from the nearest centre
 * so far, then Lloyd's iterations (S. P. Lloyd, "Least squares quantization
 * in PCM", IEEE Trans. IT 28(2), 1982) move every centre to the mean of its
 * sample pixels until none moves more than epsilon.  An empty cluster is
 * re-seeded at the sample pixel farthest from its centre.  Centres closer
 * than merge_delta (CIELAB Delta E) are then merged pairwise, closest
 * first, with a refit after each merge, so that JPEG noise does not split
 * one flat colour into several clusters when k exceeds the colours present.
 * Every pixel of the image then takes its nearest centre.
 *
 * Labels are ordered so that painting them in order draws the background
 * first: label 1 is the colour owning most border pixels, the rest follow
 * by decreasing area.  Small regions are merged into their neighbours
 * (merge.c) and labels left empty are removed.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "segment/internal.h"

#define KMEANS_MAX_K 64

static const ft_kmeans_params kmeans_defaults = {
    .k = 8,
    .max_iter = 40,
    .epsilon = 0.01,
    .seed = 1,
    .sample = 100000,
    .min_area = 0,
    .merge_delta = 10.0,
};

void ft_kmeans_params_init(ft_kmeans_params *p) { *p = kmeans_defaults; }

/* sRGB decoding (IEC 61966-2-1). */
static double srgb_linear(double v) {
  if (v <= 0.0) return 0.0;
  if (v >= 1.0) return 1.0;
  return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

/* CIELAB f(t) with the linear part below (6/29)^3. */
static double lab_f(double t) {
  const double d = 6.0 / 29.0;
  return t > d * d * d ? cbrt(t) : t / (3.0 * d * d) + 4.0 / 29.0;
}

void ft__rgb_to_lab(const double rgb[3], double lab[3]) {
  /* D65 reference white of sRGB, Y normalised to 1 */
  const double xn = 0.95047, yn = 1.0, zn = 1.08883;
  double r = srgb_linear(rgb[0]), g = srgb_linear(rgb[1]), b = srgb_linear(rgb[2]);
  double X = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  double Y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
  double Z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
  double fx = lab_f(X / xn), fy = lab_f(Y / yn), fz = lab_f(Z / zn);
  lab[0] = 116.0 * fy - 16.0;
  lab[1] = 500.0 * (fx - fy);
  lab[2] = 200.0 * (fy - fz);
}

/* xorshift64* (S. Vigna, 2016); never seeded with 0. */
typedef struct rng {
  uint64_t s;
} rng;

static uint64_t rng_next(rng *g) {
  g->s ^= g->s >> 12;
  g->s ^= g->s << 25;
  g->s ^= g->s >> 27;
  return g->s * 0x2545F4914F6CDD1DULL;
}

/* Uniform double in [0,1). */
static double rng_unit(rng *g) { return (double)(rng_next(g) >> 11) * (1.0 / 9007199254740992.0); }

static inline double dist2(const float *a, const double *c) {
  double d0 = a[0] - c[0], d1 = a[1] - c[1], d2 = a[2] - c[2];
  return d0 * d0 + d1 * d1 + d2 * d2;
}

/* Index of the centre nearest to v among k (ties: the lower index). */
static inline int nearest(const float *v, const double (*c)[3], int k, double *d_out) {
  int j, best = 0;
  double bd = dist2(v, c[0]);
  for (j = 1; j < k; j++) {
    double d = dist2(v, c[j]);
    if (d < bd) bd = d, best = j;
  }
  if (d_out) *d_out = bd;
  return best;
}

static ft_status check_params(ft_ctx *ctx, const ft_kmeans_params *p) {
  if (p->k < 2 || p->k > KMEANS_MAX_K)
    return ft__fail(ctx, FT_ERR_INVAL, "kmeans: k=%d out of range 2..%d", p->k, KMEANS_MAX_K);
  if (p->max_iter < 1 || p->max_iter > 1000)
    return ft__fail(ctx, FT_ERR_INVAL, "kmeans: max_iter=%d out of range 1..1000", p->max_iter);
  if (!(p->epsilon > 0.0) || !isfinite(p->epsilon))
    return ft__fail(ctx, FT_ERR_INVAL, "kmeans: epsilon=%g must be positive", p->epsilon);
  if (p->sample != 0 && p->sample < 256)
    return ft__fail(ctx, FT_ERR_INVAL, "kmeans: sample=%d must be 0 (all) or at least 256",
                    p->sample);
  if (!(p->merge_delta >= 0.0 && p->merge_delta <= 100.0))
    return ft__fail(ctx, FT_ERR_INVAL, "kmeans: merge_delta=%g out of range 0..100",
                    p->merge_delta);
  if (p->min_area < 0)
    return ft__fail(ctx, FT_ERR_INVAL, "kmeans: min_area=%lld is negative",
                    (long long)p->min_area);
  return FT_OK;
}

/* Lloyd's iterations on the sample until no centre moves more than
 * epsilon (or max_iter); cnt gets the final cluster sizes. */
static void lloyd(const float *s, size_t m, int k, const ft_kmeans_params *p, double (*c)[3],
                  double *d2, int *assign, size_t *cnt) {
  size_t i;
  int j, kk, iter;
  for (iter = 0; iter < p->max_iter; iter++) {
    double sum[KMEANS_MAX_K][3], moved = 0.0;
    memset(sum, 0, sizeof sum);
    memset(cnt, 0, (size_t)KMEANS_MAX_K * sizeof *cnt);
    for (i = 0; i < m; i++) {
      int a = nearest(s + i * 3, (const double(*)[3])c, k, &d2[i]);
      assign[i] = a;
      cnt[a]++;
      for (j = 0; j < 3; j++) sum[a][j] += s[i * 3 + j];
    }
    for (kk = 0; kk < k; kk++) {
      double nc[3], mv = 0.0;
      if (cnt[kk] == 0) {
        /* re-seed an empty cluster at the worst-fitted sample pixel */
        size_t far = 0;
        for (i = 1; i < m; i++)
          if (d2[i] > d2[far]) far = i;
        for (j = 0; j < 3; j++) nc[j] = s[far * 3 + j];
        d2[far] = 0.0;
      } else {
        for (j = 0; j < 3; j++) nc[j] = sum[kk][j] / (double)cnt[kk];
      }
      for (j = 0; j < 3; j++) mv += (nc[j] - c[kk][j]) * (nc[j] - c[kk][j]), c[kk][j] = nc[j];
      if (mv > moved) moved = mv;
    }
    if (sqrt(moved) < p->epsilon) break;
  }
}

/* Fit up to k centres to the m sample colours s[m][3]; returns the number
 * found (fewer than k when the sample has fewer distinct colours). */
static int fit_centres(const float *s, size_t m, int k, const ft_kmeans_params *p,
                       double (*c)[3], double *d2, int *assign) {
  rng g;
  size_t i;
  int j, kk;
  g.s = ((uint64_t)p->seed << 1 | 1u) * 0x9E3779B97F4A7C15ULL;
  if (!g.s) g.s = 1;
  /* k-means++ seeding (Arthur & Vassilvitskii, Sec. 2.2) */
  i = (size_t)(rng_unit(&g) * (double)m);
  for (j = 0; j < 3; j++) c[0][j] = s[i * 3 + j];
  for (i = 0; i < m; i++) d2[i] = dist2(s + i * 3, c[0]);
  for (kk = 1; kk < k; kk++) {
    double total = 0.0, r, acc = 0.0;
    for (i = 0; i < m; i++) total += d2[i];
    if (!(total > 1e-12)) break; /* every sample pixel sits on a centre */
    r = rng_unit(&g) * total;
    for (i = 0; i + 1 < m; i++) {
      acc += d2[i];
      if (acc > r && d2[i] > 0.0) break;
    }
    while (d2[i] <= 0.0 && i > 0) i--; /* rounding at the end of the sum */
    for (j = 0; j < 3; j++) c[kk][j] = s[i * 3 + j];
    for (i = 0; i < m; i++) {
      double d = dist2(s + i * 3, c[kk]);
      if (d < d2[i]) d2[i] = d;
    }
  }
  k = kk;
  for (;;) {
    size_t cnt[KMEANS_MAX_K];
    int a = -1, b = -1;
    double best = p->merge_delta * p->merge_delta;
    lloyd(s, m, k, p, c, d2, assign, cnt);
    /* merge the closest pair of centres nearer than merge_delta, then refit */
    for (kk = 0; kk < k; kk++)
      for (j = kk + 1; j < k; j++) {
        double dd = (c[kk][0] - c[j][0]) * (c[kk][0] - c[j][0]) +
                    (c[kk][1] - c[j][1]) * (c[kk][1] - c[j][1]) +
                    (c[kk][2] - c[j][2]) * (c[kk][2] - c[j][2]);
        if (dd < best) best = dd, a = kk, b = j;
      }
    if (a < 0) break;
    for (j = 0; j < 3; j++)
      c[a][j] = cnt[a] + cnt[b] ? (c[a][j] * cnt[a] + c[b][j] * cnt[b]) / (double)(cnt[a] + cnt[b])
                                : c[a][j];
    for (j = b; j + 1 < k; j++) memcpy(c[j], c[j + 1], sizeof c[j]);
    k--;
  }
  return k;
}

typedef struct label_rank {
  int64_t border, area;
  int cluster;
} label_rank;

static int rank_cmp(const void *a, const void *b) {
  const label_rank *x = a, *y = b;
  if (x->area != y->area) return x->area > y->area ? -1 : 1;
  return x->cluster - y->cluster;
}

ft_status ft_segment_kmeans(ft_ctx *ctx, const ft_image *in, const ft_kmeans_params *p,
                            ft_labels **out) {
  ft_labels *lab = NULL;
  float *labpx = NULL, *samp = NULL;
  double *d2 = NULL, c[KMEANS_MAX_K][3];
  int *assign = NULL, k, j, map[KMEANS_MAX_K], bg;
  label_rank rank[KMEANS_MAX_K];
  size_t i, n, m;
  ft_status st;
  int w, h;

  if (!out) return ft__fail(ctx, FT_ERR_INVAL, "kmeans: no output pointer");
  *out = NULL;
  if (!in || !in->data || in->width < 1 || in->height < 1 || in->channels < 1 ||
      in->channels > 4)
    return ft__fail(ctx, FT_ERR_INVAL, "kmeans: invalid input image");
  if (!p) p = &kmeans_defaults;
  if ((st = check_params(ctx, p))) return st;
  w = in->width;
  h = in->height;
  n = (size_t)w * h;

  /* Every pixel in CIELAB, float to halve the memory. */
  labpx = ft__malloc_n(n, 3 * sizeof *labpx);
  if (!labpx) goto nomem;
  for (i = 0; i < n; i++) {
    double rgb[3], l[3];
    ft__pixel_rgb(in, i, rgb);
    ft__rgb_to_lab(rgb, l);
    labpx[i * 3] = (float)l[0], labpx[i * 3 + 1] = (float)l[1], labpx[i * 3 + 2] = (float)l[2];
    if (i % 65536 == 0 && (st = ft__progress(ctx, 0.3 * (double)i / (double)n))) goto fail;
  }

  /* The sample: all pixels, or p->sample drawn with replacement. */
  m = p->sample == 0 || (size_t)p->sample >= n ? n : (size_t)p->sample;
  if (m < n) {
    rng g;
    g.s = ((uint64_t)p->seed * 0xD1B54A32D192ED03ULL) | 1u;
    samp = ft__malloc_n(m, 3 * sizeof *samp);
    if (!samp) goto nomem;
    for (i = 0; i < m; i++) {
      size_t src = (size_t)(rng_unit(&g) * (double)n);
      memcpy(samp + i * 3, labpx + src * 3, 3 * sizeof *samp);
    }
  }
  d2 = ft__malloc_n(m, sizeof *d2);
  assign = ft__malloc_n(m, sizeof *assign);
  if (!d2 || !assign) goto nomem;
  k = fit_centres(samp ? samp : labpx, m, p->k, p, c, d2, assign);
  free(d2), free(assign), free(samp);
  d2 = NULL, assign = NULL, samp = NULL;
  if ((st = ft__progress(ctx, 0.5))) goto fail;

  /* Assign every pixel; count areas and border pixels per cluster. */
  if ((st = ft_labels_new(ctx, w, h, k + 1, &lab))) goto fail;
  for (j = 0; j < k; j++) rank[j].border = rank[j].area = 0, rank[j].cluster = j;
  for (i = 0; i < n; i++) {
    int a = nearest(labpx + i * 3, (const double(*)[3])c, k, NULL);
    size_t x = i % (size_t)w, y = i / (size_t)w;
    lab->label[i] = a;
    rank[a].area++;
    if (x == 0 || y == 0 || x + 1 == (size_t)w || y + 1 == (size_t)h) rank[a].border++;
    if (i % 65536 == 0 && (st = ft__progress(ctx, 0.5 + 0.3 * (double)i / (double)n))) goto fail;
  }
  free(labpx);
  labpx = NULL;

  /* Label order: the border-dominant colour first (ties: the larger), the
   * rest by decreasing area. */
  bg = 0;
  for (j = 1; j < k; j++)
    if (rank[j].border > rank[bg].border ||
        (rank[j].border == rank[bg].border && rank[j].area > rank[bg].area))
      bg = j;
  {
    label_rank tmp = rank[bg];
    rank[bg] = rank[0];
    rank[0] = tmp;
  }
  qsort(rank + 1, (size_t)(k - 1), sizeof *rank, rank_cmp);
  for (j = 0; j < k; j++) map[rank[j].cluster] = j + 1;
  for (i = 0; i < n; i++) lab->label[i] = map[lab->label[i]];

  if ((st = ft__merge_small(ctx, lab, p->min_area, 4, 0.8, 1.0))) goto fail;

  /* Drop labels left empty, keeping the order. */
  ft_labels_count(lab);
  {
    int32_t remap[KMEANS_MAX_K + 1];
    int next = 1;
    remap[0] = 0;
    for (j = 1; j <= k; j++) remap[j] = lab->info[j].area ? next++ : -1;
    if (next != k + 1) {
      for (i = 0; i < n; i++) lab->label[i] = remap[lab->label[i]];
      lab->nlabels = next;
    }
  }
  for (j = 1; j < lab->nlabels; j++) lab->info[j].class_id = FT_CLASS_REGION;
  lab->info[0].class_id = FT_CLASS_BACKGROUND;
  ft__labels_summarise(lab, in);
  lab->pixel_w = in->pixel_w;
  lab->pixel_h = in->pixel_h;
  *out = lab;
  return FT_OK;
nomem:
  st = ft__nomem(ctx, "kmeans");
fail:
  free(labpx), free(samp), free(d2), free(assign);
  ft_labels_free(lab);
  return st;
}
