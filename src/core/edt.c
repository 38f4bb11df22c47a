/* src/core/edt.c - exact Euclidean distance transform of a binary image.
 *
 * The squared distance of every pixel to the nearest background pixel,
 * computed separably: a one-dimensional transform along every column, then
 * along every row of its result.  Each one-dimensional pass is the lower
 * envelope of parabolas rooted at the samples (P. Felzenszwalb and D.
 * Huttenlocher, "Distance Transforms of Sampled Functions", Theory of
 * Computing 8, 2012, Sec. 3), linear in the samples.  Pixels outside the
 * image are not background: a region touching the border is measured from
 * its edges inside the image only.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "core/internal.h"

#define BIG 1e20

/* The squared distance transform of the sampled function f[0..n) into d,
 * with scratch v[n] and z[n + 1]. */
static void edt_1d(const double *f, int n, double *d, int *v, double *z) {
  int k = 0, q;
  v[0] = 0;
  z[0] = -BIG;
  z[1] = BIG;
  for (q = 1; q < n; q++) {
    double s;
    for (;;) {
      s = ((f[q] + (double)q * q) - (f[v[k]] + (double)v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
      if (s <= z[k] && k > 0) {
        k--;
        continue;
      }
      break;
    }
    if (s <= z[k]) { /* k == 0: the new parabola replaces the first */
      v[0] = q;
      z[0] = -BIG;
      z[1] = BIG;
      continue;
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = BIG;
  }
  k = 0;
  for (q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    d[q] = (double)(q - v[k]) * (q - v[k]) + f[v[k]];
  }
}

ft_status ft__edt(ft_ctx *ctx, const uint8_t *inside, int w, int h, float *dist) {
  int m = w > h ? w : h, x, y;
  double *f, *g, *z;
  int *v;
  if (w < 1 || h < 1) return FT_OK;
  f = ft__malloc_n((size_t)m, sizeof *f);
  g = ft__malloc_n((size_t)m, sizeof *g);
  z = ft__malloc_n((size_t)m + 1, sizeof *z);
  v = ft__malloc_n((size_t)m, sizeof *v);
  if (!f || !g || !z || !v) {
    free(f);
    free(g);
    free(z);
    free(v);
    return ft__nomem(ctx, "distance transform");
  }
  for (x = 0; x < w; x++) {
    for (y = 0; y < h; y++) f[y] = inside[(size_t)y * w + x] ? BIG : 0.0;
    edt_1d(f, h, g, v, z);
    for (y = 0; y < h; y++) dist[(size_t)y * w + x] = (float)g[y];
  }
  for (y = 0; y < h; y++) {
    float *row = dist + (size_t)y * w;
    for (x = 0; x < w; x++) f[x] = row[x];
    edt_1d(f, w, g, v, z);
    for (x = 0; x < w; x++) row[x] = (float)sqrt(g[x]);
  }
  free(f);
  free(g);
  free(z);
  free(v);
  return FT_OK;
}
