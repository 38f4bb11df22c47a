/* src/denoise/nlm.c - non-local means with integral images.
 *
 * A. Buades, B. Coll and J.-M. Morel, "A non-local algorithm for image
 * denoising", CVPR 2005, evaluated as in J. Darbon, A. Cunha, T. F. Chan,
 * S. Osher and G. J. Jensen, "Fast nonlocal filtering applied to electron
 * cryomicroscopy", ISBI 2008: instead of comparing patches pixel by pixel,
 * loop over the offsets d of the search window; for one d the squared
 * differences E(x) = sum_c (I(x) - I(x+d))^2 over the whole band are summed
 * into an integral image (in double), and the patch distance of every pixel
 * p to p+d is then four look-ups.  Cost per pixel: O(search^2), independent
 * of the patch size.
 *
 * Weights are exp(-dist / h^2), dist the mean of E over the patch and the
 * channels.  Candidates p+d outside the image are skipped; patch samples
 * outside it are replicated edge pixels.  Work is cut into fixed bands of
 * rows, each with its own integral images, so the arithmetic for a pixel
 * does not depend on the thread count.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "denoise/internal.h"

typedef struct nlm_job {
  const ft_image *in;
  float *out;
  int s, f;
  double inv_h2;
} nlm_job;

static int clampi(int v, int lo, int hi) { return v < lo ? lo : (v > hi ? hi : v); }

static int nlm_band(void *arg, int lo, int hi) {
  const nlm_job *j = arg;
  const ft_image *in = j->in;
  const int w = in->width, h = in->height, c = in->channels, s = j->s, f = j->f;
  const int ew = w + 2 * f, iw = ew + 1; /* E columns -f .. w+f-1; integral has a zero column */
  const double norm = 1.0 / ((double)(2 * f + 1) * (2 * f + 1) * c);
  int b;
  double *S = NULL, *W = NULL, *V = NULL;
  int *cxa = NULL, *cxb = NULL;
  S = ft__malloc_n((size_t)(FT__BAND + 2 * f + 1) * iw, sizeof *S);
  W = ft__malloc_n((size_t)FT__BAND * w, sizeof *W);
  V = ft__malloc_n((size_t)FT__BAND * w * c, sizeof *V);
  cxa = ft__malloc_n((size_t)ew, sizeof *cxa);
  cxb = ft__malloc_n((size_t)ew, sizeof *cxb);
  if (!S || !W || !V || !cxa || !cxb) {
    free(S), free(W), free(V), free(cxa), free(cxb);
    return 1;
  }
  for (b = lo; b < hi; b++) {
    const int y0 = b * FT__BAND, y1 = y0 + FT__BAND < h ? y0 + FT__BAND : h, bh = y1 - y0;
    const int eh = bh + 2 * f; /* E rows y0-f .. y1+f-1 */
    int dx, dy, x, y, ch;
    for (x = 0; x < bh * w; x++) W[x] = 0.0;
    for (x = 0; x < bh * w * c; x++) V[x] = 0.0;
    for (dy = -s; dy <= s; dy++)
      for (dx = -s; dx <= s; dx++) {
        /* pixels p of the band whose candidate p+d lies in the image */
        const int px0 = dx < 0 ? -dx : 0, px1 = dx > 0 ? w - dx : w;
        const int py0 = clampi(-dy, y0, y1), py1 = clampi(h - dy, y0, y1);
        if (px0 >= px1 || py0 >= py1) continue;
        for (x = 0; x < ew; x++) {
          cxa[x] = clampi(x - f, 0, w - 1) * c;
          cxb[x] = clampi(x - f + dx, 0, w - 1) * c;
        }
        for (x = 0; x < iw; x++) S[x] = 0.0;
        for (y = 0; y < eh; y++) {
          const int ey = y0 - f + y;
          const float *ra = in->data + (size_t)clampi(ey, 0, h - 1) * w * c;
          const float *rb = in->data + (size_t)clampi(ey + dy, 0, h - 1) * w * c;
          double *srow = S + (size_t)(y + 1) * iw, *sprev = S + (size_t)y * iw, run = 0.0;
          srow[0] = 0.0;
          for (x = 0; x < ew; x++) {
            double e = 0.0;
            for (ch = 0; ch < c; ch++) {
              double t = (double)ra[cxa[x] + ch] - rb[cxb[x] + ch];
              e += t * t;
            }
            run += e;
            srow[x + 1] = sprev[x + 1] + run;
          }
        }
        for (y = py0; y < py1; y++) {
          /* patch rows y-f .. y+f are E rows (y - y0) .. (y - y0 + 2f) */
          const double *top = S + (size_t)(y - y0) * iw, *bot = S + (size_t)(y - y0 + 2 * f + 1) * iw;
          const float *qrow = in->data + (size_t)(y + dy) * w * c;
          double *wrow = W + (size_t)(y - y0) * w, *vrow = V + (size_t)(y - y0) * w * c;
          for (x = px0; x < px1; x++) {
            /* patch columns x-f .. x+f are E columns x .. x+2f */
            double dist = (bot[x + 2 * f + 1] - bot[x] - top[x + 2 * f + 1] + top[x]) * norm;
            double wt = exp(-(dist > 0.0 ? dist : 0.0) * j->inv_h2);
            const float *q = qrow + (size_t)(x + dx) * c;
            wrow[x] += wt;
            for (ch = 0; ch < c; ch++) vrow[(size_t)x * c + ch] += wt * q[ch];
          }
        }
      }
    for (y = y0; y < y1; y++)
      for (x = 0; x < w; x++)
        for (ch = 0; ch < c; ch++)
          j->out[((size_t)y * w + x) * c + ch] =
              (float)(V[((size_t)(y - y0) * w + x) * c + ch] / W[(size_t)(y - y0) * w + x]);
  }
  free(S), free(W), free(V), free(cxa), free(cxb);
  return 0;
}

ft_status ft_nlm(ft_ctx *ctx, const ft_image *in, const ft_nlm_params *p, ft_image **out) {
  ft_nlm_params def;
  ft_image *res;
  nlm_job j;
  ft_status st;
  int nk;
  *out = NULL;
  if (!p) {
    ft_nlm_params_init(&def);
    p = &def;
  }
  if ((st = ft_spec_check(ctx, "denoise", &ft_denoise_kinds(&nk)[FT_FILTER_NLM], p))) return st;
  if ((st = ft__image_like(ctx, in, &res))) return st;
  j.in = in;
  j.out = res->data;
  j.s = p->search;
  j.f = p->patch;
  j.inv_h2 = 1.0 / (p->h * p->h);
  st = ft__parallel(ctx, "nlm", (in->height + FT__BAND - 1) / FT__BAND, 1, nlm_band, &j, 0.0,
                    1.0);
  if (st) {
    ft_image_free(res);
    return st;
  }
  *out = res;
  return FT_OK;
}
