/* src/segment/blobs.c - the typical size of bright blobs, from a scale-normalised
 * Laplacian-of-Gaussian scale space.
 *
 * A disc of radius r in a dark field gives the response -sigma^2 (LoG * I)
 * its largest value at its centre at sigma = r / sqrt(2) (T. Lindeberg,
 * "Feature detection with automatic scale selection", IJCV 30, 1998).  Each
 * nucleus of a clump is such a blob as long as the gaps between the nuclei
 * are darker than the nuclei, which a global threshold does not need to see:
 * on a dense embryo or a packed brightfield field Otsu's mask is one blob
 * several times a nucleus across, while the scale-space maxima are the
 * nuclei.  The method follows the usual blob detector: BLOB_SCALES scales
 * from BLOB_SIGMA0 to BLOB_SIGMA1 px spaced evenly in log sigma; a blob is
 * a point of the (x, y, scale) stack at least BLOB_THRESHOLD (the image in
 * 0..1) and no smaller than any of its 26 neighbours; blobs whose discs
 * (radius sigma sqrt 2) overlap by more than half of the smaller one lose
 * the smaller one.  The answer is 2 sqrt 2 times the median sigma of the
 * blobs left.  The caller passes an image of at most 512 px a side (larger
 * ones reduced), so one scale costs one recursive Gaussian of a quarter
 * megapixel at most.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "figtrace/denoise.h"
#include "segment/nn_internal.h"

#define BLOB_SCALES 24
#define BLOB_SIGMA0 1.0
#define BLOB_SIGMA1 40.0
#define BLOB_THRESHOLD 0.3 /* of the normalised image: gaps fainter than this between
                              nuclei, and the texture inside a large nucleus, make no blob */
#define BLOB_OVERLAP 0.5
#define BLOB_MAX 200000    /* blobs recorded at most (a noise field's maxima) */

typedef struct blob {
  float x, y, sigma;
} blob;

/* -sigma^2 times the Laplacian of x blurred with sigma, into out (w x h).
 * Returns -1 when out of memory. */
static int log_plane(const ft_image *x, double sigma, float *out) {
  ft_gaussian_params gp;
  ft_image *g = NULL;
  int w = x->width, h = x->height, px, py;
  ft_gaussian_params_init(&gp);
  gp.sigma = sigma;
  if (ft_gaussian(NULL, x, &gp, &g) != FT_OK) return -1;
  for (py = 0; py < h; py++) {
    const float *row = g->data + (size_t)py * w;
    const float *up = g->data + (size_t)(py > 0 ? py - 1 : 0) * w;
    const float *dn = g->data + (size_t)(py + 1 < h ? py + 1 : h - 1) * w;
    for (px = 0; px < w; px++) {
      float c = row[px], l = row[px > 0 ? px - 1 : 0], r = row[px + 1 < w ? px + 1 : w - 1];
      out[(size_t)py * w + px] = (float)(-sigma * sigma * (l + r + up[px] + dn[px] - 4.0f * c));
    }
  }
  ft_image_free(g);
  return 0;
}

/* Is plane cur's value at (px, py) at least threshold and no smaller than its
 * neighbours in the planes given (prev and next may be NULL at the ends of
 * the scale range)? */
static int is_peak(const float *prev, const float *cur, const float *next, int w, int h, int px,
                   int py) {
  const float v = cur[(size_t)py * w + px];
  const float *pl[3] = {prev, cur, next};
  int k, dx, dy;
  if (v < BLOB_THRESHOLD) return 0;
  for (k = 0; k < 3; k++) {
    if (!pl[k]) continue;
    for (dy = -1; dy <= 1; dy++) {
      int y = py + dy;
      if (y < 0 || y >= h) continue;
      for (dx = -1; dx <= 1; dx++) {
        int x = px + dx;
        if (x < 0 || x >= w || (k == 1 && dx == 0 && dy == 0)) continue;
        if (pl[k][(size_t)y * w + x] > v) return 0;
      }
    }
  }
  return 1;
}

static int cmp_sigma_desc(const void *a, const void *b) {
  float x = ((const blob *)a)->sigma, y = ((const blob *)b)->sigma;
  return (x < y) - (x > y);
}

static int cmp_float(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

/* The area two discs of radii r1 and r2 whose centres are d apart share. */
static double disc_overlap(double r1, double r2, double d) {
  double a1, a2;
  if (d >= r1 + r2) return 0;
  if (d <= fabs(r1 - r2)) {
    double r = r1 < r2 ? r1 : r2;
    return M_PI * r * r;
  }
  a1 = acos((d * d + r1 * r1 - r2 * r2) / (2 * d * r1));
  a2 = acos((d * d + r2 * r2 - r1 * r1) / (2 * d * r2));
  return r1 * r1 * a1 + r2 * r2 * a2 -
         0.5 * sqrt((-d + r1 + r2) * (d + r1 - r2) * (d - r1 + r2) * (d + r1 + r2));
}

#define GRID 8 /* px: the cells that kept blobs are filed in while pruning */

/* Drop every blob that a larger kept one covers by more than BLOB_OVERLAP of
 * its own disc; b sorted largest first, centres within w x h.  Kept blobs
 * are filed by the GRID cell of their centre, so a blob is compared only
 * with those near enough to cover it.  Returns the count kept (moved to the
 * front), or -1 when out of memory. */
static int prune(blob *b, int n, int w, int h) {
  int gw = w / GRID + 1, gh = h / GRID + 1, i, kept = 0;
  int *head = ft__malloc_n((size_t)gw * gh, sizeof *head), *next = ft__malloc_n((size_t)n, sizeof *next);
  double rmax = n > 0 ? b[0].sigma * M_SQRT2 : 0;
  if (!head || !next) {
    free(head);
    free(next);
    return -1;
  }
  for (i = 0; i < gw * gh; i++) head[i] = -1;
  for (i = 0; i < n; i++) {
    double ri = b[i].sigma * M_SQRT2, reach = ri + rmax;
    int cx0 = (int)((b[i].x - reach) / GRID), cx1 = (int)((b[i].x + reach) / GRID);
    int cy0 = (int)((b[i].y - reach) / GRID), cy1 = (int)((b[i].y + reach) / GRID);
    int cx, cy, covered = 0;
    if (cx0 < 0) cx0 = 0;
    if (cy0 < 0) cy0 = 0;
    if (cx1 >= gw) cx1 = gw - 1;
    if (cy1 >= gh) cy1 = gh - 1;
    for (cy = cy0; cy <= cy1 && !covered; cy++)
      for (cx = cx0; cx <= cx1 && !covered; cx++) {
        int j;
        for (j = head[cy * gw + cx]; j >= 0 && !covered; j = next[j]) {
          double rj = b[j].sigma * M_SQRT2, dx = b[i].x - b[j].x, dy = b[i].y - b[j].y;
          double d = sqrt(dx * dx + dy * dy);
          if (d < ri + rj && disc_overlap(ri, rj, d) > BLOB_OVERLAP * M_PI * ri * ri) covered = 1;
        }
      }
    if (!covered) {
      int c = (int)(b[i].y / GRID) * gw + (int)(b[i].x / GRID);
      b[kept] = b[i];
      next[kept] = head[c];
      head[c] = kept++;
    }
  }
  free(head);
  free(next);
  return kept;
}

double ft__blob_diameter(const float *x, int w, int h) {
  float *plane[3] = {NULL, NULL, NULL}, *sig = NULL;
  blob *b = NULL;
  ft_image *img = NULL;
  int nb = 0, cap = 0, k, px, py, kept;
  double result = 0;
  if (!x || w < 3 || h < 3) return 0;
  if (ft_image_new(NULL, w, h, 1, &img) != FT_OK) return 0;
  for (k = 0; k < w * h; k++) img->data[k] = x[k] < 0 ? 0.0f : x[k] > 1 ? 1.0f : x[k];
  for (k = 0; k < 3; k++)
    if (!(plane[k] = ft__malloc_n((size_t)w * h, sizeof **plane))) goto done;
  /* planes roll: plane[0] the previous scale, [1] the current, [2] the next */
  if (log_plane(img, BLOB_SIGMA0, plane[1])) goto done;
  for (k = 0; k < BLOB_SCALES; k++) {
    double s = BLOB_SIGMA0 * pow(BLOB_SIGMA1 / BLOB_SIGMA0, (double)k / (BLOB_SCALES - 1));
    int last = k == BLOB_SCALES - 1;
    if (!last) {
      double s1 = BLOB_SIGMA0 * pow(BLOB_SIGMA1 / BLOB_SIGMA0, (double)(k + 1) / (BLOB_SCALES - 1));
      if (log_plane(img, s1, plane[2])) goto done;
    }
    for (py = 0; py < h; py++)
      for (px = 0; px < w; px++) {
        if (plane[1][(size_t)py * w + px] < BLOB_THRESHOLD) continue;
        if (!is_peak(k > 0 ? plane[0] : NULL, plane[1], last ? NULL : plane[2], w, h, px, py))
          continue;
        if (nb == BLOB_MAX) continue;
        if (nb == cap && ft__grow((void **)&b, &cap, nb + 1, sizeof *b)) goto done;
        b[nb].x = (float)px;
        b[nb].y = (float)py;
        b[nb++].sigma = (float)s;
      }
    {
      float *t = plane[0];
      plane[0] = plane[1];
      plane[1] = plane[2];
      plane[2] = t;
    }
  }
  if (nb == 0) goto done;
  qsort(b, (size_t)nb, sizeof *b, cmp_sigma_desc);
  kept = prune(b, nb, w, h);
  if (kept <= 0 || !(sig = ft__malloc_n((size_t)kept, sizeof *sig))) goto done;
  for (k = 0; k < kept; k++) sig[k] = b[k].sigma;
  qsort(sig, (size_t)kept, sizeof *sig, cmp_float);
  result = 2.0 * M_SQRT2 * sig[kept / 2];
done:
  ft_image_free(img);
  for (k = 0; k < 3; k++) free(plane[k]);
  free(b);
  free(sig);
  return result;
}
