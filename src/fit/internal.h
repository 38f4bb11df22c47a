/* src/fit/internal.h - pieces shared by the fit stage's files.
 *
 * The fit stage works on "runs": stretches of a pixel outline given as the
 * pixel corners it passes, one per unit step.  A closed run is a whole loop
 * (v[0..n-1], edge k from v[k] to v[(k+1) % n]); an open run goes from v[0]
 * to v[n] and keeps both ends fixed (they are junctions where the neighbour
 * across the border changes).  polygon.c turns a run into a polygon with
 * corners marked, bezier.c turns that polygon and the run's edge midpoints
 * into lines and cubics, fit.c splits outlines into runs and reassembles.
 */
#ifndef FT_FIT_INTERNAL_H
#define FT_FIT_INTERNAL_H

#include <math.h>

#include "core/internal.h"

/* The length of (dx, dy): sqrt of the sum of squares, which on pixel
 * coordinates neither overflows nor loses precision, for a fraction of
 * hypot()'s cost. */
static inline double ft__len(double dx, double dy) { return sqrt(dx * dx + dy * dy); }

/* A growing list of segments with its start point. */
typedef struct ft__segbuf {
  ft_point start;
  ft_seg *seg; /* [n] */
  int n, cap;
} ft__segbuf;

int ft__segbuf_push(ft__segbuf *b, int type, ft_point c1, ft_point c2, ft_point end);
void ft__segbuf_free(ft__segbuf *b);

/* The polygon of a run (polygon.c).  Data points q are what the fit must
 * stay close to: for a closed run the midpoints of its n unit edges (N = n);
 * for an open run the fixed start, the n midpoints and the fixed end
 * (N = n + 2).  dir[i] is the direction (0 +x, 1 +y, 2 -x, 3 -y) of the unit
 * edge q[i] lies on. */
typedef struct ft__poly {
  int N, closed;
  ft_point *q;          /* [N] */
  unsigned char *dir;   /* [N] */
  int K;                /* vertices */
  int *idx;             /* [K] data index of each vertex, increasing (cyclic when closed) */
  ft_point *P;          /* [K] vertex positions after adjustment */
  unsigned char *corner; /* [K] 1 where the outline turns sharply */
  float *tl;            /* [N] each data point's own tolerance (px), or NULL: uniform */
  unsigned char *pix;   /* [N] 1 where the pixel-side rule also holds the point (keeping
                           the pixel centres beside its edge on their sides), or NULL */
} ft__poly;

/* What is known about a run's unit edges beyond their pixel corners, each
 * array [n] with entry k for the edge v[k] -> v[k+1] (NULL: nothing). */
typedef struct ft__runinfo {
  const double *off; /* sub-pixel offset of the edge along its outward normal, px */
  const float *tol;  /* tolerance at the edge's data point, px */
  const unsigned char *pix; /* 1 where the pixel-side rule may hold the data point */
} ft__runinfo;

/* Build the polygon of a run: vertices where straight stretches (all data
 * within d pixels of a line, or of the point's own tolerance where smaller,
 * at most three step directions) meet, the fewest such, moved to where the
 * least-squares lines of their two edges cross; corners classified with
 * alphamax (see ft_fit_params).  ri (may be NULL) moves the data points off
 * the edge midpoints and sets pl->tl and pl->pix.  Returns FT_OK or
 * FT_ERR_NOMEM (pl then holds nothing). */
ft_status ft__poly_build(const ft_point *v, int n, int closed, double d, double alphamax,
                         const ft__runinfo *ri, ft__poly *pl);

/* The pixel-side rule (bezier.c): a data point that ft__poly.pix marks also
 * counts as followed where the curve crosses the normal of its pixel edge
 * within this many pixels of it (the pixel centres beside the edge lie half
 * a pixel away).  The polygon (polygon.c) does not use it. */
#define FT__PIX_TAU 0.45

/* Sub-pixel offsets go no further than this (px) from the pixel edge (fit.c
 * says why). */
#define FT__SUBPIXEL_MAX 0.25

/* Where the image puts the edges of a staircase (subpixel.c). */
typedef struct ft__edgesrc {
  const ft_image *img;       /* same size as the label map the staircases came from */
  double level;              /* threshold luminance, or < 0: midway between the labels */
  const ft_label_info *info; /* [ninfo] mean colours of the labels */
  int ninfo;
} ft__edgesrc;

/* off[k] for each unit edge k (v[k] -> v[(k+1) % n]) of a staircase whose
 * inside is label inlabel and whose outside across edge k is outlabel[k]
 * (NULL: label 0 everywhere): the edge's offset along its outward normal,
 * at most lim[k] (NULL: FT__SUBPIXEL_MAX) px either way, 0 on the image border or where
 * the labels' colours do not differ. */
void ft__subpixel_offsets(const ft__edgesrc *es, const ft_point *v, int n, int inlabel,
                          const int *outlabel, const float *lim, double *off);
void ft__poly_free(ft__poly *pl);

/* Lines and cubics through the polygon's corners that stay within tol of its
 * data, as few as the join candidates allow (bezier.c).  For an open run
 * the result starts at q[0] and ends at q[N-1]; for a closed one it starts
 * at a corner (or a smooth join) and ends where it starts.  Appends to out
 * (start set here).  FT_OK or FT_ERR_NOMEM. */
ft_status ft__fit_curves(const ft__poly *pl, double tol, ft__segbuf *out);

/* The polygon itself as line segments, same conventions as ft__fit_curves. */
ft_status ft__fit_polygon(const ft__poly *pl, ft__segbuf *out);

/* A polyline that is not a pixel staircase (an open stroke or a closed
 * stroke loop, line segments only, nseg >= 1) as lines only (polygon != 0,
 * Douglas-Peucker) or lines and G1 cubics within tol of it, corners kept
 * (stroke.c).  Starts at its start and ends at its last point (a closed one
 * where it starts).  Sets out->start, appends.  FT_OK or FT_ERR_NOMEM. */
ft_status ft__fit_stroke(const ft_path *pa, int polygon, double tol, ft__segbuf *out);

#endif
