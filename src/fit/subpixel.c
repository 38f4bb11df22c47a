/* src/fit/subpixel.c - where the image says an outline's edges are, between pixel corners.
 *
 * A thresholded outline runs along pixel edges, but an anti-aliased image
 * knows better: a pixel that is 30% ink lies just outside the threshold,
 * and the true edge is 0.3 px beyond the pixel edge.  For each unit edge
 * of a staircase, with the inside pixel I (the path's label) and the
 * outside pixel O across it, the coverage c of a pixel by the inside label
 * is read from its colour: the projection of the colour onto the segment
 * from the outside label's mean colour (c = 0) to the inside label's
 * (c = 1), or, with a threshold level, the luminance mapped piecewise
 * linearly so that the level means half covered.  With area sampling and a
 * straight edge that crosses the two pixels' column, the edge then lies
 * c(O) + c(I) - 1 pixels outward of the pixel edge (the ink O holds minus
 * the ink I lacks), which is exact for such an edge: a pixel's coverage is
 * the height of the edge at its centre line (the trapezoid rule).  Where I is one pixel wide across (the pixel
 * beyond it is outside), the ink it lacks is shared by its two edges, half
 * each; likewise a one-pixel gap shares the ink O holds.  The offset is
 * clamped (FT__SUBPIXEL_MAX, and less on thin parts, see fit.c) so that
 * every pixel keeps its side of the threshold when the result is rendered
 * and thresholded at half coverage, even with the curve a little off the
 * data.  This is the
 * interpolation of the gray profile across the edge, done in coverage
 * (linear in the edge position) rather than between pixel centres.
 *
 * The local width of a region (for the width-scaled tolerance) is measured
 * on the pixel geometry: the run of the label's pixels through I across the
 * edge (h) and along it (v), each looked up in the unit-edge table of all
 * staircases (fit.c), combined as the width of a straight band with those
 * chords, h v / sqrt(h^2 + v^2).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "fit/internal.h"

#define MIN_CONTRAST 0.05 /* labels whose colours differ less give no sub-pixel offsets */

/* The colour of pixel (x, y) on white, as RGB (either storage). */
static void pixel_rgb(const ft_image *img, int x, int y, float rgb[3]) {
  size_t i = ((size_t)y * (size_t)img->width + (size_t)x) * (size_t)img->channels;
  float a;
  switch (img->channels) {
    case 1: rgb[0] = rgb[1] = rgb[2] = ft_image_sample(img, i); return;
    case 2:
      a = ft_image_sample(img, i + 1);
      rgb[0] = rgb[1] = rgb[2] = ft_image_sample(img, i) * a + 1.0f - a;
      return;
    case 3:
      rgb[0] = ft_image_sample(img, i);
      rgb[1] = ft_image_sample(img, i + 1);
      rgb[2] = ft_image_sample(img, i + 2);
      return;
    default:
      a = ft_image_sample(img, i + 3);
      rgb[0] = ft_image_sample(img, i) * a + 1.0f - a;
      rgb[1] = ft_image_sample(img, i + 1) * a + 1.0f - a;
      rgb[2] = ft_image_sample(img, i + 2) * a + 1.0f - a;
      return;
  }
}

static double luma(const float c[3]) { return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; }

/* How to read coverage for one pair of labels. */
typedef struct pair {
  int in, out;     /* the labels, -1 none yet */
  int ok;          /* 0: too little contrast, no offsets */
  double ca[3], cb[3], d[3], inv; /* RGB mode: c = (p - cb).d * inv */
  double ya, yb, st;              /* level mode: luminances and the level's place in 0..1 */
  int bytes;                      /* one byte per pixel: coverage read from tab */
  double tab[256];                /* its coverage for each byte value */
} pair;

static double coverage_of(const ft__edgesrc *es, const pair *pr, const float p[3]);

static void pair_set(const ft__edgesrc *es, pair *pr, int in, int out) {
  static const float white[3] = {1, 1, 1}, black[3] = {0, 0, 0};
  const float *ca = in >= 0 && in < es->ninfo ? es->info[in].color : black;
  const float *cb = out >= 0 && out < es->ninfo ? es->info[out].color : white;
  double n2 = 0;
  int k;
  pr->in = in;
  pr->out = out;
  for (k = 0; k < 3; k++) {
    pr->ca[k] = ca[k];
    pr->cb[k] = cb[k];
    pr->d[k] = ca[k] - cb[k];
    n2 += pr->d[k] * pr->d[k];
  }
  pr->ya = luma(ca);
  pr->yb = luma(cb);
  if (es->level >= 0) {
    pr->ok = fabs(pr->ya - pr->yb) >= MIN_CONTRAST;
    if (pr->ok) {
      pr->st = (es->level - pr->yb) / (pr->ya - pr->yb);
      if (pr->st < 0.05) pr->st = 0.05;
      if (pr->st > 0.95) pr->st = 0.95;
    }
  } else {
    pr->ok = n2 >= MIN_CONTRAST * MIN_CONTRAST;
    pr->inv = pr->ok ? 1.0 / n2 : 0.0;
  }
  /* a compact gray image has 256 pixel values: their coverages once */
  pr->bytes = pr->ok && es->img->channels == 1 && es->img->data8;
  if (pr->bytes)
    for (k = 0; k < 256; k++) {
      float p[3];
      p[0] = p[1] = p[2] = (float)k / 255.0f; /* as ft_image_sample reads a byte */
      pr->tab[k] = coverage_of(es, pr, p);
    }
}

/* Coverage by the inside label, 0..1, of a pixel of colour p. */
static double coverage_of(const ft__edgesrc *es, const pair *pr, const float p[3]) {
  double s;
  if (es->level >= 0) {
    s = (luma(p) - pr->yb) / (pr->ya - pr->yb);
    s = s < pr->st ? 0.5 * s / pr->st : 0.5 + 0.5 * (s - pr->st) / (1.0 - pr->st);
  } else {
    s = ((p[0] - pr->cb[0]) * pr->d[0] + (p[1] - pr->cb[1]) * pr->d[1] +
         (p[2] - pr->cb[2]) * pr->d[2]) * pr->inv;
  }
  return s < 0 ? 0 : (s > 1 ? 1 : s);
}

/* Coverage of pixel (x, y) by the inside label, 0..1. */
static double coverage(const ft__edgesrc *es, const pair *pr, int x, int y) {
  float p[3];
  if (pr->bytes) return pr->tab[es->img->data8[(size_t)y * (size_t)es->img->width + (size_t)x]];
  pixel_rgb(es->img, x, y, p);
  return coverage_of(es, pr, p);
}

void ft__subpixel_offsets(const ft__edgesrc *es, const ft_point *v, int n, int inlabel,
                          const int *outlabel, const float *lim, double *off) {
  const ft_image *img = es->img;
  const int W = img->width, H = img->height;
  pair pr;
  int k;
  pr.in = pr.out = -2;
  pr.ok = 0;
  for (k = 0; k < n; k++) {
    ft_point a = v[k], b = v[(k + 1) % n];
    int dx = (int)(b.x - a.x), dy = (int)(b.y - a.y); /* unit step */
    int nx = dy, ny = -dx;                            /* outward normal */
    /* inside pixel: right of the step; outside: across the edge */
    int ix = (int)floor(a.x + 0.5 * dx - 0.5 * dy), iy = (int)floor(a.y + 0.5 * dy + 0.5 * dx);
    int ox = ix + nx, oy = iy + ny, out = outlabel ? outlabel[k] : 0;
    double ci, co, lack, hold, d;
    off[k] = 0.0;
    if (ix < 0 || iy < 0 || ix >= W || iy >= H || ox < 0 || oy < 0 || ox >= W || oy >= H)
      continue; /* the image border stays where it is */
    if (pr.in != inlabel || pr.out != out) pair_set(es, &pr, inlabel, out);
    if (!pr.ok) continue;
    ci = coverage(es, &pr, ix, iy);
    co = coverage(es, &pr, ox, oy);
    lack = 1.0 - ci;
    hold = co;
    if (ix - nx >= 0 && iy - ny >= 0 && ix - nx < W && iy - ny < H &&
        coverage(es, &pr, ix - nx, iy - ny) < 0.5)
      lack *= 0.5; /* one pixel wide: its other edge takes the other half */
    if (ox + nx >= 0 && oy + ny >= 0 && ox + nx < W && oy + ny < H &&
        coverage(es, &pr, ox + nx, oy + ny) >= 0.5)
      hold *= 0.5; /* a one-pixel gap */
    d = hold - lack;
    {
      double l = lim ? lim[k] : FT__SUBPIXEL_MAX;
      off[k] = d < -l ? -l : (d > l ? l : d);
    }
  }
}
