/* src/denoise/median.c - constant-time median filter.
 *
 * S. Perreault and P. Hebert, "Median Filtering in Constant Time", IEEE
 * Trans. Image Processing 16(9), 2007.  Samples are quantised to L = 2^bits
 * levels.  Each column keeps a histogram of the 2r+1 samples above and below
 * the current row (Sec. III: one sample removed, one added per row); the
 * kernel histogram is the sum of 2r+1 column histograms, kept in two levels
 * (Sec. IV): a coarse histogram of C = 2^ceil(bits/2) bins updated for every
 * pixel, and fine segments of F = L / C bins updated lazily, only for the
 * coarse bin that holds the median, from the columns that entered and left
 * since that segment was last brought up to date.
 *
 * Radii 1 and 2 (3x3 and 5x5 windows) take a faster route with the same
 * result: a selection network on the quantised samples, built from Batcher's
 * odd-even merge sort (K. E. Batcher, "Sorting networks and their
 * applications", AFIPS 1968) for n = (2r+1)^2 inputs and pruned to the
 * comparators that can reach the middle output, then run on blocks of
 * NET_BLOCK pixels at a time so each comparator is a vector min/max.
 *
 * Borders replicate the edge pixels (the quantised plane is padded by r on
 * every side).  The image is cut into bands of rows; each band starts its
 * own column histograms, and since the result is an exact order statistic of
 * integers it does not depend on the banding or the thread count.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "denoise/internal.h"

#define NET_BLOCK 64
#define NET_MAX 25 /* inputs of the largest network (r = 2) */

/* Comparator pairs of the pruned median network of n inputs; returns their
 * count (at most NET_MAX * NET_MAX / 2 pairs fit in a, b). */
static int median_network(int n, uint8_t *a, uint8_t *b) {
  uint8_t ta[512], tb[512], need[NET_MAX];
  int p, k, j, i, m = 0, kept = 0, t;
  for (p = 1; p < n; p <<= 1)
    for (k = p; k >= 1; k >>= 1)
      for (j = k % p; j + k < n; j += 2 * k)
        for (i = 0; i < k && i < n - j - k; i++)
          if ((i + j) / (2 * p) == (i + j + k) / (2 * p)) ta[m] = (uint8_t)(i + j), tb[m++] = (uint8_t)(i + j + k);
  /* keep, scanning backwards, only comparators that feed the middle wire */
  memset(need, 0, sizeof need);
  need[n / 2] = 1;
  for (t = m - 1; t >= 0; t--)
    if (need[ta[t]] || need[tb[t]]) need[ta[t]] = need[tb[t]] = 1, kept++;
    else ta[t] = tb[t] = 0xff;
  for (t = 0, k = 0; t < m; t++)
    if (ta[t] != 0xff) a[k] = ta[t], b[k++] = tb[t];
  return kept;
}

typedef struct median_job {
  const uint16_t *q; /* padded quantised plane [h + 2r][w + 2r] */
  float *out;        /* output image data, interleaved */
  int w, h, c, ch, r, bits, band;
  int ncmp;               /* network route: number of comparators, 0 for histograms */
  const uint8_t *ca, *cb; /* [ncmp] comparator wires */
} median_job;

/* On x86-64 with GCC and glibc (ifunc) the network also gets an AVX2
 * clone, picked at load time when the CPU has it: 16 samples per min/max
 * instead of 8.  The results are integer order statistics, identical on
 * either path. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__)
#define NET_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define NET_CLONES
#endif

/* Network route for r <= 2: rows lo..hi-1 of the output. */
NET_CLONES static int median_net_rows(void *arg, int lo, int hi) {
  const median_job *j = arg;
  const int r = j->r, d = 2 * r + 1, n = d * d, pw = j->w + 2 * r, mid = n / 2;
  const float lm1 = (float)((1 << j->bits) - 1);
  int16_t v[NET_MAX][NET_BLOCK]; /* samples < 2^12 fit; signed min/max are single SSE2 ops */
  int y, x0, i, k, t;
  for (y = lo; y < hi; y++) {
    float *orow = j->out + (size_t)y * j->w * j->c + j->ch;
    for (x0 = 0; x0 < j->w; x0 += NET_BLOCK) {
      const int m = j->w - x0 < NET_BLOCK ? j->w - x0 : NET_BLOCK;
      for (k = 0; k < n; k++) {
        const uint16_t *src = j->q + (size_t)(y + k / d) * pw + x0 + k % d;
        for (i = 0; i < m; i++) v[k][i] = (int16_t)src[i];
        for (i = m; i < NET_BLOCK; i++) v[k][i] = 0;
      }
      for (t = 0; t < j->ncmp; t++) {
        int16_t *pa = v[j->ca[t]], *pb = v[j->cb[t]];
        for (i = 0; i < NET_BLOCK; i++) {
          int16_t lo16 = pa[i] < pb[i] ? pa[i] : pb[i], hi16 = pa[i] < pb[i] ? pb[i] : pa[i];
          pa[i] = lo16, pb[i] = hi16;
        }
      }
      for (i = 0; i < m; i++) orow[(size_t)(x0 + i) * j->c] = (float)v[mid][i] / lm1;
    }
  }
  return 0;
}

static int median_band(void *arg, int lo, int hi) {
  const median_job *j = arg;
  const int r = j->r, d = 2 * r + 1, pw = j->w + 2 * r;
  const int fb = j->bits / 2, cbits = j->bits - fb;
  const int F = 1 << fb, C = 1 << cbits, L = C * F;
  const unsigned rank = (unsigned)((d * d - 1) / 2);
  uint16_t *colf, *colc, *hf, *hc;
  int *last;
  int b;
  colf = ft__calloc_n((size_t)pw * L, sizeof *colf);
  colc = ft__calloc_n((size_t)pw * C, sizeof *colc);
  hf = ft__malloc_n((size_t)L, sizeof *hf);
  hc = ft__malloc_n((size_t)C, sizeof *hc);
  last = ft__malloc_n((size_t)C, sizeof *last);
  if (!colf || !colc || !hf || !hc || !last) {
    free(colf), free(colc), free(hf), free(hc), free(last);
    return 1;
  }
  for (b = lo; b < hi; b++) {
    const int y0 = b * j->band, y1 = y0 + j->band < j->h ? y0 + j->band : j->h;
    int x, y, k;
    /* column histograms of padded rows y0 .. y0 + 2r (the window of row y0) */
    memset(colf, 0, (size_t)pw * L * sizeof *colf);
    memset(colc, 0, (size_t)pw * C * sizeof *colc);
    for (k = 0; k < d; k++) {
      const uint16_t *row = j->q + (size_t)(y0 + k) * pw;
      for (x = 0; x < pw; x++) {
        colf[(size_t)x * L + row[x]]++;
        colc[(size_t)x * C + (row[x] >> fb)]++;
      }
    }
    for (y = y0; y < y1; y++) {
      float *orow = j->out + (size_t)y * j->w * j->c + j->ch;
      if (y > y0) { /* slide every column down one row (Sec. III) */
        const uint16_t *rm = j->q + (size_t)(y - 1) * pw, *ad = j->q + (size_t)(y + 2 * r) * pw;
        for (x = 0; x < pw; x++) {
          colf[(size_t)x * L + rm[x]]--;
          colc[(size_t)x * C + (rm[x] >> fb)]--;
          colf[(size_t)x * L + ad[x]]++;
          colc[(size_t)x * C + (ad[x] >> fb)]++;
        }
      }
      /* kernel coarse histogram of columns 0 .. 2r; fine segments invalid */
      memset(hc, 0, (size_t)C * sizeof *hc);
      for (k = 0; k < d; k++)
        for (int i = 0; i < C; i++) hc[i] += colc[(size_t)k * C + i];
      for (int i = 0; i < C; i++) last[i] = -d - 1;
      for (x = 0; x < j->w; x++) {
        unsigned acc = 0;
        int cb = 0, f = 0;
        uint16_t *seg;
        if (x > 0) {
          const uint16_t *in_c = colc + (size_t)(x + 2 * r) * C, *out_c = colc + (size_t)(x - 1) * C;
          for (int i = 0; i < C; i++) hc[i] = (uint16_t)(hc[i] + in_c[i] - out_c[i]);
        }
        while (acc + hc[cb] <= rank) acc += hc[cb++];
        seg = hf + (size_t)cb * F;
        if (x - last[cb] >= d) { /* stale: rebuild the segment from the window */
          memset(seg, 0, (size_t)F * sizeof *seg);
          for (k = x; k < x + d; k++) {
            const uint16_t *cf = colf + (size_t)k * L + (size_t)cb * F;
            for (int i = 0; i < F; i++) seg[i] += cf[i];
          }
        } else { /* bring it up to date column by column (Sec. IV) */
          for (k = last[cb] + 1; k <= x; k++) {
            const uint16_t *ci = colf + (size_t)(k + 2 * r) * L + (size_t)cb * F;
            const uint16_t *co = colf + (size_t)(k - 1) * L + (size_t)cb * F;
            for (int i = 0; i < F; i++) seg[i] = (uint16_t)(seg[i] + ci[i] - co[i]);
          }
        }
        last[cb] = x;
        while (acc + seg[f] <= rank) acc += seg[f++];
        orow[(size_t)x * j->c] = (float)(cb * F + f) / (float)(L - 1);
      }
    }
  }
  free(colf), free(colc), free(hf), free(hc), free(last);
  return 0;
}

static const char *const median_name = "median";

ft_status ft_median(ft_ctx *ctx, const ft_image *in, const ft_median_params *p, ft_image **out) {
  ft_median_params def;
  ft_image *res = NULL;
  uint16_t *q = NULL;
  uint8_t ca[512], cb[512];
  int ncmp = 0;
  ft_status st;
  int r, w = in->width, h = in->height, c = in->channels, ch, pw, ph, L;
  int nkinds;
  *out = NULL;
  if (!p) {
    ft_median_params_init(&def);
    p = &def;
  }
  if ((st = ft_spec_check(ctx, "denoise", &ft_denoise_kinds(&nkinds)[FT_FILTER_MEDIAN], p)))
    return st;
  r = p->radius;
  L = 1 << p->bits;
  if (r <= 2) ncmp = median_network((2 * r + 1) * (2 * r + 1), ca, cb);
  pw = w + 2 * r;
  ph = h + 2 * r;
  if ((st = ft__image_like(ctx, in, &res))) return st;
  q = ft__malloc_n((size_t)pw * ph, sizeof *q);
  if (!q) {
    ft_image_free(res);
    return ft__nomem(ctx, median_name);
  }
  for (ch = 0; ch < c && !st; ch++) {
    median_job j;
    int x, y;
    /* quantise channel ch into the padded plane, replicating edges */
    for (y = 0; y < ph; y++) {
      int sy = y - r < 0 ? 0 : (y - r >= h ? h - 1 : y - r);
      const float *srow = in->data + (size_t)sy * w * c + ch;
      uint16_t *qrow = q + (size_t)y * pw;
      for (x = 0; x < pw; x++) {
        int sx = x - r < 0 ? 0 : (x - r >= w ? w - 1 : x - r);
        float v = srow[(size_t)sx * c];
        v = v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
        qrow[x] = (uint16_t)(v * (float)(L - 1) + 0.5f);
      }
    }
    j.q = q;
    j.out = res->data;
    j.w = w, j.h = h, j.c = c, j.ch = ch, j.r = r, j.bits = p->bits;
    j.band = p->bits <= 8 ? FT__BAND : 8 * FT__BAND;
    j.ncmp = ncmp, j.ca = ca, j.cb = cb;
    if (ncmp)
      st = ft__parallel(ctx, median_name, h, FT__BAND, median_net_rows, &j, (double)ch / c,
                        (double)(ch + 1) / c);
    else
      st = ft__parallel(ctx, median_name, (h + j.band - 1) / j.band, 1, median_band, &j,
                        (double)ch / c, (double)(ch + 1) / c);
  }
  free(q);
  if (st) {
    ft_image_free(res);
    return st;
  }
  *out = res;
  return FT_OK;
}
