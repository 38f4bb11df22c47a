/* src/segment/merge.c - merging small regions of a label map, label summaries.
 *
 * Regions are found with a two-pass union-find labelling of connected
 * components (A. Rosenfeld and J. L. Pfaltz, J. ACM 13(4), 1966; union by
 * linking to the smaller index with path halving).  Each region small
 * enough to merge is then handled in order of increasing size: the 4-edges
 * between its pixels and other regions are counted per neighbouring label,
 * and the region joins the label with the most edges - the one it is
 * embedded in, for a speck - together with every region of that label it
 * touches, since they are now one connected region.  Regions are kept in a
 * second union-find whose sets carry a linked list of their pixels, so a
 * merge costs O(1) and counting a region's border costs its pixel count.
 * Only regions still below min_area are scanned, so the work after the
 * labelling is O(n) for n pixels plus O(min_area) per small region.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "segment/internal.h"

void ft__pixel_rgb(const ft_image *in, size_t i, double rgb[3]) {
  float s[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  double a = 1.0;
  int c;
  if (in->data8) {
    const uint8_t *b = in->data8 + i * (size_t)in->channels;
    for (c = 0; c < in->channels; c++) s[c] = ft__u8_float[b[c]];
  } else {
    memcpy(s, in->data + i * (size_t)in->channels, (size_t)in->channels * sizeof *s);
  }
  switch (in->channels) {
    case 1: rgb[0] = rgb[1] = rgb[2] = s[0]; break;
    case 2: rgb[0] = rgb[1] = rgb[2] = s[0]; a = s[1]; break;
    case 3: rgb[0] = s[0]; rgb[1] = s[1]; rgb[2] = s[2]; break;
    default: rgb[0] = s[0]; rgb[1] = s[1]; rgb[2] = s[2]; a = s[3]; break;
  }
  if (a < 1.0)
    for (c = 0; c < 3; c++) rgb[c] = rgb[c] * a + (1.0 - a);
}

void ft__labels_summarise(ft_labels *lab, const ft_image *in) {
  size_t i, n = (size_t)lab->width * lab->height;
  double *sum = calloc((size_t)lab->nlabels * 3, sizeof *sum);
  int k, c;
  ft_labels_count(lab);
  if (sum)
    for (i = 0; i < n; i++) {
      double rgb[3];
      int32_t v = ft_labels_get(lab, i);
      ft__pixel_rgb(in, i, rgb);
      for (c = 0; c < 3; c++) sum[(size_t)v * 3 + c] += rgb[c];
    }
  for (k = 0; k < lab->nlabels; k++)
    for (c = 0; c < 3; c++)
      lab->info[k].color[c] = lab->info[k].area && sum
                                  ? (float)(sum[(size_t)k * 3 + c] / (double)lab->info[k].area)
                                  : (k == 0 ? 1.0f : 0.0f);
  free(sum);
}

/* ---- specks of one or two pixels in a two-label map ---- */

typedef struct specks {
  const ft_labels *lab;
  int w, h, fg8;
} specks;

static inline int sp_get(const specks *s, size_t i) {
  return s->lab->label8 ? s->lab->label8[i] : (int)s->lab->label[i];
}

/* The neighbours of pixel (x, y) with label v under v's connectivity, at
 * most two, into nb; returns how many (0, 1 or 2 meaning "two or more").
 * skip (or -1) is not counted. */
static int sp_same(const specks *s, int x, int y, int v, long skip, long nb[2]) {
  static const int dx[8] = {-1, 1, 0, 0, -1, 1, -1, 1}, dy[8] = {0, 0, -1, 1, -1, -1, 1, 1};
  int k, n = 0, nd = v > 0 && s->fg8 ? 8 : 4;
  for (k = 0; k < nd; k++) {
    int qx = x + dx[k], qy = y + dy[k];
    long q;
    if (qx < 0 || qy < 0 || qx >= s->w || qy >= s->h) continue;
    q = (long)qy * s->w + qx;
    if (q == skip || sp_get(s, (size_t)q) != v) continue;
    nb[n++] = q;
    if (n == 2) break;
  }
  return n;
}

/* The candidates found: one-pixel regions, and two-pixel ones by their
 * first pixel, each in raster order. */
typedef struct sp_cands {
  long *one, *two;
  int n1, n2, c1, c2;
} sp_cands;

/* Pixel i = (x, y): a candidate when its region has one or two pixels.
 * Returns -1 when out of memory. */
static int sp_consider(const specks *s, size_t i, int x, int y, int64_t min_area, sp_cands *c) {
  long nb[2], nb2[2];
  int v = sp_get(s, i), n = sp_same(s, x, y, v, -1, nb);
  if (n == 0) {
    if (ft__grow((void **)&c->one, &c->c1, c->n1 + 1, sizeof *c->one)) return -1;
    c->one[c->n1++] = (long)i;
  } else if (n == 1 && min_area > 2 && nb[0] > (long)i &&
             sp_same(s, (int)(nb[0] % s->w), (int)(nb[0] / s->w), v, (long)i, nb2) == 0) {
    if (ft__grow((void **)&c->two, &c->c2, c->n2 + 1, sizeof *c->two)) return -1;
    c->two[c->n2++] = (long)i;
  }
  return 0;
}

static void sp_flip(ft_labels *lab, const ft_image *in, size_t i, double sum[2][3]) {
  int v = lab->label8 ? lab->label8[i] : (int)lab->label[i], c;
  double rgb[3];
  if (lab->label8)
    lab->label8[i] = (uint8_t)!v;
  else
    lab->label[i] = !v;
  lab->info[v].area--;
  lab->info[!v].area++;
  ft__pixel_rgb(in, i, rgb);
  for (c = 0; c < 3; c++) {
    sum[v][c] -= rgb[c];
    sum[!v][c] += rgb[c];
  }
}

/* Candidates of rows [y0, y1) into c (see ft__merge_specks): pixels with
 * at most one neighbour of their label; on the inner rows of a compact map
 * sixteen pixels at a time are ruled out when each has two or more of its
 * 4-neighbours alike (for either connectivity).  Returns -1 when out of
 * memory. */
static int sp_rows(const specks *s, int y0, int y1, int64_t min_area, sp_cands *c) {
  const ft_labels *lab = s->lab;
  int x, y;
  for (y = y0; y < y1; y++) {
    const uint8_t *row = lab->label8 ? lab->label8 + (size_t)y * s->w : NULL;
    x = 0;
#if defined(__GNUC__) || defined(__clang__)
    if (row && y > 0 && y + 1 < s->h) {
      typedef signed char v16 __attribute__((vector_size(16)));
      v16 minus2;
      int k;
      for (k = 0; k < 16; k++) minus2[k] = -2;
      if (sp_consider(s, (size_t)y * s->w, 0, y, min_area, c)) return -1;
      for (x = 1; x + 16 < s->w; x += 16) {
        v16 m0, l, r, up, dn, alike;
        uint64_t m[2];
        /* a stretch of 18 equal bytes: both row neighbours alike */
        if (memcmp(row + x - 1, row + x, 16) == 0 && row[x + 16] == row[x + 15]) continue;
        memcpy(&m0, row + x, 16);
        memcpy(&l, row + x - 1, 16);
        memcpy(&r, row + x + 1, 16);
        memcpy(&up, row + x - s->w, 16);
        memcpy(&dn, row + x + s->w, 16);
        alike = (v16)(m0 == l) + (v16)(m0 == r) + (v16)(m0 == up) + (v16)(m0 == dn);
        alike = (v16)(alike > minus2); /* -1 where at most one alike */
        memcpy(m, &alike, 16);
        if (!(m[0] | m[1])) continue;
        for (k = 0; k < 16; k++)
          if (alike[k] && sp_consider(s, (size_t)y * s->w + x + k, x + k, y, min_area, c))
            return -1;
      }
    }
#endif
    for (; x < s->w; x++) {
      if (row && x > 0 && x + 1 < s->w && y > 0 && y + 1 < s->h) {
        const uint8_t u = row[x];
        if ((row[x - 1] == u) + (row[x + 1] == u) + (row[x - s->w] == u) + (row[x + s->w] == u) >= 2)
          continue; /* two or more alike: not a candidate */
      }
      if (sp_consider(s, (size_t)y * s->w + x, x, y, min_area, c)) return -1;
    }
  }
  return 0;
}

/* Rows per band of the parallel candidate scan. */
#define SP_BAND 64

typedef struct sp_job {
  const specks *s;
  int64_t min_area;
  sp_cands *band; /* [bands] */
} sp_job;

static int sp_bands(void *arg, int lo, int hi) {
  const sp_job *J = arg;
  int b;
  for (b = lo; b < hi; b++) {
    int y1 = (b + 1) * SP_BAND < J->s->h ? (b + 1) * SP_BAND : J->s->h;
    if (sp_rows(J->s, b * SP_BAND, y1, J->min_area, &J->band[b])) return -1;
  }
  return 0;
}

ft_status ft__merge_specks(ft_ctx *ctx, ft_labels *lab, int64_t min_area, int fg_conn,
                           const ft_image *in, long *nflipped) {
  specks s;
  sp_cands cand = {NULL, NULL, 0, 0, 0, 0};
  sp_job J;
  long flipped = 0;
  int k, b, nbands;
  double sum[2][3];
  int v, c;
  ft_status st = FT_OK;
  if (nflipped) *nflipped = 0;
  s.lab = lab;
  s.w = lab->width;
  s.h = lab->height;
  s.fg8 = fg_conn == 8;
  /* (a 1 x 1 map's one region has nothing to merge into) */
  if (min_area <= 1 || lab->nlabels != 2 || (size_t)s.w * (size_t)s.h < 2) return FT_OK;
  if ((size_t)s.w * (size_t)s.h > (size_t)INT32_MAX)
    return ft__fail(ctx, FT_ERR_TOOBIG, "segment: image too large");
  /* the colour sums behind info[].color, to move flipped pixels between */
  for (v = 0; v < 2; v++)
    for (c = 0; c < 3; c++) sum[v][c] = (double)lab->info[v].color[c] * (double)lab->info[v].area;
  /* candidates per band of rows, in parallel; then in raster order */
  nbands = (s.h - 1) / SP_BAND + 1;
  J.s = &s;
  J.min_area = min_area;
  J.band = ft__calloc_n((size_t)nbands, sizeof *J.band);
  if (!J.band) return ft__nomem(ctx, "segment");
  /* about 2^20 pixels a chunk: an icon's map is one chunk, on this thread */
  st = ft__parallel(ctx, "segment", nbands, (int)((((size_t)1 << 20) / ((size_t)s.w * SP_BAND)) + 1),
                    sp_bands, &J, 1.0, 1.0);
  for (b = 0; b < nbands && !st; b++) {
    const sp_cands *bc = &J.band[b];
    if ((bc->n1 && ft__grow((void **)&cand.one, &cand.c1, cand.n1 + bc->n1, sizeof *cand.one)) ||
        (bc->n2 && ft__grow((void **)&cand.two, &cand.c2, cand.n2 + bc->n2, sizeof *cand.two))) {
      st = ft__nomem(ctx, "segment");
      break;
    }
    if (bc->n1) memcpy(cand.one + cand.n1, bc->one, (size_t)bc->n1 * sizeof *cand.one);
    if (bc->n2) memcpy(cand.two + cand.n2, bc->two, (size_t)bc->n2 * sizeof *cand.two);
    cand.n1 += bc->n1;
    cand.n2 += bc->n2;
  }
  for (b = 0; b < nbands; b++) {
    free(J.band[b].one);
    free(J.band[b].two);
  }
  free(J.band);
  if (st) goto done;
  /* one-pixel regions, then two-pixel ones, each still that small */
  for (k = 0; k < cand.n1; k++) {
    long nb[2], i = cand.one[k];
    v = sp_get(&s, (size_t)i);
    if (sp_same(&s, (int)(i % s.w), (int)(i / s.w), v, -1, nb) == 0) {
      sp_flip(lab, in, (size_t)i, sum);
      flipped++;
    }
  }
  for (k = 0; k < cand.n2; k++) {
    long nb[2], nb2[2], i = cand.two[k], q;
    v = sp_get(&s, (size_t)i);
    if (sp_same(&s, (int)(i % s.w), (int)(i / s.w), v, -1, nb) != 1) continue;
    q = nb[0];
    if (sp_same(&s, (int)(q % s.w), (int)(q / s.w), v, i, nb2) != 0) continue;
    sp_flip(lab, in, (size_t)i, sum);
    sp_flip(lab, in, (size_t)q, sum);
    flipped += 2;
  }
  for (v = 0; v < 2; v++)
    for (c = 0; c < 3; c++)
      lab->info[v].color[c] = lab->info[v].area ? (float)(sum[v][c] / (double)lab->info[v].area)
                                                : (v == 0 ? 1.0f : 0.0f);
  if (nflipped) *nflipped = flipped;
done:
  free(cand.one);
  free(cand.two);
  return st;
}

/* Root of x with path halving. */
static inline int32_t find(int32_t *parent, int32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

static inline void unite(int32_t *parent, int32_t a, int32_t b) {
  a = find(parent, a);
  b = find(parent, b);
  if (a < b)
    parent[b] = a;
  else if (b < a)
    parent[a] = b;
}

typedef struct region_order {
  int64_t area;
  int32_t id;
} region_order;

static int order_cmp(const void *a, const void *b) {
  const region_order *x = a, *y = b;
  if (x->area != y->area) return x->area < y->area ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

ft_status ft__merge_small(ft_ctx *ctx, ft_labels *lab, int64_t min_area, int fg_conn,
                          double f0, double f1) {
  const int w = lab->width, h = lab->height;
  const size_t n = (size_t)w * h;
  int32_t *pix = NULL;  /* [n] pixel union-find, then region id of each pixel */
  int32_t *next = NULL; /* [n] next pixel of the same region set, -1 at the end */
  int32_t *rpar = NULL, *head = NULL, *tail = NULL, *rlab = NULL;
  int64_t *rarea = NULL, *count = NULL;
  int32_t *touched = NULL, ntouched = 0;
  region_order *order = NULL;
  int32_t nreg = 0, nsmall = 0, r, i32;
  ft_status st = FT_OK;
  size_t i;
  int x, y;

  if (min_area <= 1 || n == 0) return FT_OK;
  if (n > (size_t)INT32_MAX) return ft__fail(ctx, FT_ERR_TOOBIG, "segment: image too large");
  pix = ft__malloc_n(n, sizeof *pix);
  next = ft__malloc_n(n, sizeof *next);
  if (!pix || !next) goto nomem;

  /* Pass 1: union each pixel with its earlier neighbours of the same label. */
  for (y = 0; y < h; y++) {
    const int32_t *row = lab->label + (size_t)y * w, *up = y ? row - w : NULL;
    for (x = 0; x < w; x++) {
      int32_t p = (int32_t)((size_t)y * w + x), v = row[x];
      int eight = v > 0 && fg_conn == 8;
      pix[p] = p;
      if (x && row[x - 1] == v) unite(pix, p, p - 1);
      if (up) {
        if (up[x] == v) unite(pix, p, p - w);
        if (eight && x && up[x - 1] == v) unite(pix, p, p - w - 1);
        if (eight && x + 1 < w && up[x + 1] == v) unite(pix, p, p - w + 1);
      }
    }
    if (y % 256 == 0 && (st = ft__progress(ctx, f0 + (f1 - f0) * 0.5 * y / h))) goto fail;
  }
  /* Pass 2: number the regions in raster order.  Links always point to a
   * smaller index, so a pixel's parent is already numbered when the pixel
   * is reached: a root takes the next id, any other pixel its parent's. */
  for (i = 0; i < n; i++) pix[i] = pix[i] == (int32_t)i ? nreg++ : pix[pix[i]];

  rpar = ft__malloc_n((size_t)nreg, sizeof *rpar);
  head = ft__malloc_n((size_t)nreg, sizeof *head);
  tail = ft__malloc_n((size_t)nreg, sizeof *tail);
  rlab = ft__malloc_n((size_t)nreg, sizeof *rlab);
  rarea = ft__calloc_n((size_t)nreg, sizeof *rarea);
  count = ft__calloc_n((size_t)lab->nlabels, sizeof *count);
  touched = ft__malloc_n((size_t)lab->nlabels, sizeof *touched);
  if (!rpar || !head || !tail || !rlab || !rarea || !count || !touched) goto nomem;
  for (r = 0; r < nreg; r++) rpar[r] = r, head[r] = tail[r] = -1;
  for (i = 0; i < n; i++) {
    r = pix[i];
    rarea[r]++;
    rlab[r] = lab->label[i];
    next[i] = -1;
    if (tail[r] < 0)
      head[r] = (int32_t)i;
    else
      next[tail[r]] = (int32_t)i;
    tail[r] = (int32_t)i;
  }
  for (r = 0; r < nreg; r++)
    if (rarea[r] < min_area) nsmall++;
  order = ft__malloc_n((size_t)(nsmall ? nsmall : 1), sizeof *order);
  if (!order) goto nomem;
  nsmall = 0;
  for (r = 0; r < nreg; r++)
    if (rarea[r] < min_area) order[nsmall].area = rarea[r], order[nsmall++].id = r;
  qsort(order, (size_t)nsmall, sizeof *order, order_cmp);

  for (i32 = 0; i32 < nsmall; i32++) {
    int32_t c = find(rpar, order[i32].id), p, best = -1, keep;
    int t;
    if (rarea[c] >= min_area) continue;
    if (i32 % 1024 == 0 && (st = ft__progress(ctx, f0 + (f1 - f0) * (0.5 + 0.5 * i32 / nsmall)))) goto fail;
    /* count the edges to each neighbouring label */
    for (p = head[c]; p >= 0; p = next[p]) {
      int px = p % w, py = p / w, d;
      for (d = 0; d < 4; d++) {
        int qx = px + (d == 0) - (d == 1), qy = py + (d == 2) - (d == 3);
        int32_t q, rq, lq;
        if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
        q = (int32_t)((size_t)qy * w + qx);
        rq = find(rpar, pix[q]);
        if (rq == c) continue;
        lq = rlab[rq];
        if (!count[lq]) touched[ntouched++] = lq;
        count[lq]++;
      }
    }
    for (t = 0; t < ntouched; t++) {
      int32_t l = touched[t];
      if (best < 0 || count[l] > count[best] || (count[l] == count[best] && l < best)) best = l;
    }
    for (t = 0; t < ntouched; t++) count[touched[t]] = 0;
    ntouched = 0;
    if (best < 0) continue; /* the only region of the image */
    /* join every touching region of label best; the largest becomes the root */
    keep = c;
    for (p = head[c]; p >= 0; p = next[p]) {
      int px = p % w, py = p / w, d;
      for (d = 0; d < 4; d++) {
        int qx = px + (d == 0) - (d == 1), qy = py + (d == 2) - (d == 3);
        int32_t rq;
        if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
        rq = find(rpar, pix[(size_t)qy * w + qx]);
        if (rq == keep || rlab[rq] != best) continue;
        /* merge sets keep and rq: root is the larger, lists concatenated */
        {
          int32_t a = rarea[rq] > rarea[keep] ? rq : keep, b = a == rq ? keep : rq;
          rpar[b] = a;
          rarea[a] += rarea[b];
          next[tail[a]] = head[b];
          tail[a] = tail[b];
          keep = a;
        }
      }
    }
    rlab[keep] = best;
  }
  for (i = 0; i < n; i++) lab->label[i] = rlab[find(rpar, pix[i])];
  st = ft__progress(ctx, f1);
  goto fail; /* common cleanup */
nomem:
  st = ft__nomem(ctx, "segment");
fail:
  free(pix), free(next), free(rpar), free(head), free(tail), free(rlab);
  free(rarea), free(count), free(touched), free(order);
  return st;
}
