/* src/fit/bezier.c - lines and cubic Beziers between corners, few and within tolerance.
 *
 * Input is the polygon of a run (polygon.c) and its data points (edge
 * midpoints).  The method combines potrace's curve optimisation idea
 * (Selinger 2003, Sec. 2.4: join curves at edge midpoints with the edge as
 * tangent and merge as many as the error allows) with least-squares cubic
 * fitting to the data (P. J. Schneider, "An algorithm for automatically
 * fitting digitized curves", Graphics Gems, 1990):
 *
 *  1. Join candidates: every corner (tangents of its two edges), and on
 *     every edge not bounded by two corners its midpoint (tangent: the edge
 *     direction), moved onto the data; on an edge more than twice as long as
 *     a neighbour also points 1.5, 3, 6, 12, ... px from either end, so that
 *     a long straight edge can end where a bend begins.  Each candidate is
 *     tied to the data point that projects nearest to it.
 *  2. Fit between two candidates: end points and tangent directions fixed
 *     by the candidates (so smooth joins are G1 by construction), the two
 *     arm lengths solved by least squares on the data between them with
 *     chord-length parameters, refined twice by Newton reparametrisation.
 *     The error is the larger of the data-to-curve and curve-to-data
 *     distances (both sampled, matched in order); in the middle half of a
 *     long straight edge the data must be followed within 0.5 px, so that
 *     straight sides do not wobble, and a data point with its own smaller
 *     tolerance (thin parts, small regions) within that (the curve's side:
 *     within the smallest of the piece).  The pixel-side rule: a point that
 *     pl->pix marks (on a stroke a few pixels wide, whose own tolerance is
 *     0.3-0.4 px) also counts as followed where the curve crosses the line
 *     through it along its pixel edge's normal within FT__PIX_TAU of it, so
 *     that the two pixel centres beside that edge, half a pixel away, stay
 *     on their sides; the curve's side is then held within FT__PIX_TAU too.
 *     The midpoints of a digital straight edge stray up to half a pixel
 *     (Euclidean) from it; where the curve runs nearly along a point's edge
 *     its crossing is about its distance, so there the rule allows 0.45 px:
 *     thin strokes keep their pixels with fewer pieces (the diagram sample
 *     582 segments instead of 606, the sketch 726 instead of 764).  It does
 *     not make a long shallow stroke one line: at each step of its
 *     staircase the rule asks the line to pass the step's vertical edge
 *     within 0.45 px along the row, a few hundredths of a pixel across.  A
 *     fit whose controls lie on its chord becomes a line.
 *  3. Breadth-first search over the candidates in outline order for the
 *     fewest pieces each within tol, ties broken by the sum of squared
 *     errors; a piece may not pass a corner nor turn more than 1.8 rad (so
 *     a circle takes at least four cubics).  Each layer (the candidates
 *     first reached with k pieces) extends only its three furthest
 *     candidates, a beam search: on 40 icons it gives the segments of the
 *     full dynamic programme (31.5 against 31.4 per icon) for half the
 *     work.  Only pieces that can end at a next front or at the last
 *     candidate are fitted: past the previous layer's reach, and once three
 *     ends of the new layer are known, not short of the nearest of them.
 *     A piece is extended until its error passes 4 tol (GIVE_UP); where
 *     the piece one candidate shorter failed, every fourth data point is
 *     measured first, and a piece those already put past tol is refused
 *     with their (lower) error, without measuring the rest.
 *     Loops without corners try a few starts, until one gives the fewest
 *     pieces the loop's total turn allows.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit/internal.h"

#define MAX_TURN 1.8    /* radians one cubic may turn */
#define MAX_WINDOW 64   /* join candidates one piece may span */
#define STRICT_TOL 0.5 /* px: tolerance on long straight edges, which must look straight */
#define GIVE_UP 4.0     /* stop extending a piece whose error exceeds this many tol */
#define BEAM 3          /* candidates per layer that chain extends */
#define PROBE 4         /* data points: the stride of a quick first look at a likely misfit */
#define FIT_POINTS 12   /* data points (evenly spread) the least squares of one piece use */

int ft__segbuf_push(ft__segbuf *b, int type, ft_point c1, ft_point c2, ft_point end) {
  ft_seg *s;
  if (b->n == INT32_MAX || ft__grow((void **)&b->seg, &b->cap, b->n + 1, sizeof *s)) return 1;
  s = &b->seg[b->n++];
  s->type = type;
  if (type == FT_SEG_LINE) {
    memset(s->c, 0, sizeof s->c);
  } else {
    s->c[0] = c1;
    s->c[1] = c2;
  }
  s->c[2] = end;
  return 0;
}

void ft__segbuf_free(ft__segbuf *b) {
  free(b->seg);
  memset(b, 0, sizeof *b);
}

typedef struct join {
  ft_point p;        /* on-curve position */
  ft_point tin, tout; /* unit tangents arriving and leaving (equal unless corner) */
  long di;           /* data index, unwrapped (increasing along the outline) */
  double turn;       /* cumulative absolute turn of the tangents up to here */
  int corner;
} join;

/* A fitted piece, kept small (floats) because one is memoised for every
 * candidate and span length: nj * (MAX_WINDOW + 1) of them. */
typedef struct piece {
  signed char line;
  float err;
  float c[4]; /* control points: x1, y1, x2, y2 */
} piece;

/* one segment of a polyline: direction and inverse squared length */
typedef struct segd {
  double dx, dy, il2;
} segd;

typedef struct fitter {
  const ft__poly *pl;
  double tol;
  join *J;     /* [nj] */
  int nj;      /* candidates in one traversal (cyclic when closed) */
  piece *memo; /* [nj][MAX_WINDOW + 1], valid where tried */
  unsigned char *tried; /* [nj][MAX_WINDOW + 1] 1 where memo holds the fit (kept apart so
                           that only this small array starts zeroed) */
  double lap;  /* absolute turn over a whole loop */
  unsigned char *strict; /* [N] 1 for data inside a long straight edge */
  float strict_w2;       /* (tol / STRICT_TOL)^2: weight of their squared errors */
  ft_point *qq; /* [2N] the data twice over, so that every piece's data is contiguous */
  unsigned char *ax; /* [2N] for the pixel-side rule: 1 where the point's edge runs along x,
                        2 along y, 0 where the rule does not apply; NULL: nowhere */
  float pix_w2;      /* (tol / FT__PIX_TAU)^2: weight of the squared crossing distances */
  float *ww;    /* [2N] weights of their squared errors: strict_w2 where strict, and
                   (tol / tl)^2 where the point's own tolerance tl is smaller */
  float *tw;    /* [2N] (tol / tl)^2 alone (1 where tl >= tol), for the curve's side */
  double *cum;  /* [2N] length of the data polyline qq from qq[0] */
  ft_point *buf; /* scratch: data and samples */
  segd *seg;
  segd *qseg;   /* [2N - 1] the segments qq[k] -> qq[k + 1] */
  size_t bufcap;
} fitter;

static ft_point lerp(ft_point a, ft_point b, double t) {
  ft_point r = {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
  return r;
}

static ft_point unit(ft_point a, ft_point b) {
  double dx = b.x - a.x, dy = b.y - a.y, l = ft__len(dx, dy);
  ft_point r = {1, 0};
  if (l > 1e-12) {
    r.x = dx / l;
    r.y = dy / l;
  }
  return r;
}

static inline ft_point bez(const ft_point c[4], double t) {
  double s = 1 - t, b0 = s * s * s, b1 = 3 * s * s * t, b2 = 3 * s * t * t, b3 = t * t * t;
  ft_point r = {b0 * c[0].x + b1 * c[1].x + b2 * c[2].x + b3 * c[3].x,
                b0 * c[0].y + b1 * c[1].y + b2 * c[2].y + b3 * c[3].y};
  return r;
}

static void set_seg(segd *sg, ft_point a, ft_point b) {
  double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
  sg->dx = dx;
  sg->dy = dy;
  sg->il2 = l2 > 0 ? 1.0 / l2 : 0.0;
}

/* Squared distance from (x, y) to the segment from l0 along sg. */
static inline double seg_dist2(double x, double y, ft_point l0, const segd *sg) {
  double px = x - l0.x, py = y - l0.y;
  double t = (px * sg->dx + py * sg->dy) * sg->il2, ex, ey;
  if (t < 0) t = 0;
  if (t > 1) t = 1;
  ex = px - t * sg->dx;
  ey = py - t * sg->dy;
  return ex * ex + ey * ey;
}

/* Largest distance from the points pts[0..np-1] to the polyline
 * line[0..nl-1], matching both in order (the nearest segment is searched a
 * few steps ahead of the previous one, stopping where the distance starts
 * to grow again).  Point i's squared distance is
 * multiplied by w2[i] when w2 is not NULL.  Where ax[i] is 1 or 2 (ax not
 * NULL) and that weight exceeds pix_w2, the point counts with the smaller of
 * that and its squared crossing distance (along its edge's normal, from
 * the nearest segment's direction) times pix_w2: the pixel-side rule.
 * Stops early once past stop.
 * seg[0..nl-2] holds the segments' direction and inverse squared length:
 * computed here, once rather than for every point, unless given (filled). */
static double ordered_dist(const ft_point *pts, int np, int step, const ft_point *line, int nl,
                           const float *w2, const unsigned char *ax, double pix_w2, double stop,
                           segd *seg, int filled) {
  int i, s = 0, k, ahead = 4 * step;
  double worst = 0, stop2 = stop * stop;
  if (nl < 2) return 0;
  if (!filled)
    for (k = 0; k < nl - 1; k++) set_seg(&seg[k], line[k], line[k + 1]);
  /* the first segment tried always sets the best; after it, each one either
   * improves on its predecessor or ends the search */
  for (i = 0; i < np; i += step) {
    const double x = pts[i].x, y = pts[i].y;
    int kend = s + ahead < nl - 2 ? s + ahead : nl - 2;
    double best = seg_dist2(x, y, line[s], &seg[s]);
    for (k = s + 1; k <= kend; k++) {
      double dd = seg_dist2(x, y, line[k], &seg[k]);
      if (!(dd < best)) break; /* past the nearest: the distance grows again */
      best = dd;
      s = k;
    }
    if (w2) {
      const double d2 = best;
      best *= w2[i];
      if (ax && ax[i] && w2[i] > pix_w2) {
        /* the crossing distance: the distance over the cosine between the
         * segment and the edge (the segment's component along the edge) */
        const segd *g = &seg[s];
        double along = ax[i] == 1 ? g->dx : g->dy, l2 = g->dx * g->dx + g->dy * g->dy;
        if (along * along > 1e-12 * l2) {
          double c = d2 * l2 / (along * along) * pix_w2;
          if (c < best) best = c;
        }
      }
    }
    if (best > worst) {
      worst = best;
      if (worst > stop2) break; /* bad enough: the exact value is not needed */
    }
  }
  return sqrt(worst);
}

/* The curve at t = i / ns for i = 0..ns into smp[0..ns] by forward
 * differences of its power form (exact ends), and the segments between
 * consecutive samples into seg[0..ns - 1]. */
static void sample_curve(const ft_point c[4], int ns, ft_point *smp, segd *seg) {
  const double h = 1.0 / ns, h2 = h * h, h3 = h2 * h;
  const double cx = 3 * (c[1].x - c[0].x), cy = 3 * (c[1].y - c[0].y);
  const double bx = 3 * (c[2].x - 2 * c[1].x + c[0].x), by = 3 * (c[2].y - 2 * c[1].y + c[0].y);
  const double ax = c[3].x - 3 * c[2].x + 3 * c[1].x - c[0].x;
  const double ay = c[3].y - 3 * c[2].y + 3 * c[1].y - c[0].y;
  double x = c[0].x, y = c[0].y;
  double d1x = ax * h3 + bx * h2 + cx * h, d1y = ay * h3 + by * h2 + cy * h;
  double d2x = 6 * ax * h3 + 2 * bx * h2, d2y = 6 * ay * h3 + 2 * by * h2;
  const double d3x = 6 * ax * h3, d3y = 6 * ay * h3;
  int i;
  smp[0] = c[0];
  for (i = 1; i <= ns; i++) {
    x += d1x;
    y += d1y;
    d1x += d2x;
    d1y += d2y;
    d2x += d3x;
    d2y += d3y;
    if (i == ns) x = c[3].x, y = c[3].y;
    smp[i].x = x;
    smp[i].y = y;
    set_seg(&seg[i - 1], smp[i - 1], smp[i]);
  }
}

static int ensure_buf(fitter *f, size_t n) {
  if (n <= f->bufcap) return 0;
  free(f->buf);
  f->buf = ft__malloc_n(n, sizeof *f->buf);
  free(f->seg);
  f->seg = ft__malloc_n(n, sizeof *f->seg);
  if (!f->buf || !f->seg) {
    f->bufcap = 0;
    return 1;
  }
  f->bufcap = n;
  return 0;
}

/* Step 2: fit the piece from candidate a to candidate b (b > a, unwrapped
 * indices into the cyclic list).  Returns 1 when out of memory. */
static int fit_piece(fitter *f, long a, long b, piece *out) {
  const ft__poly *pl = f->pl;
  const join *ja = &f->J[a % f->nj], *jb = &f->J[b % f->nj];
  long da = ja->di + (a / f->nj) * (long)pl->N, db = jb->di + (b / f->nj) * (long)pl->N;
  long m = db - da - 1, k, q0; /* interior data points, the first of them */
  int nsub;
  ft_point c[4], t0 = ja->tout, t1 = jb->tin, *d, *smp, sd[FIT_POINTS];
  double chord = ft__len(jb->p.x - ja->p.x, jb->p.y - ja->p.y), al = chord / 3, be = chord / 3;
  double st[FIT_POINTS];
  size_t at = (size_t)(a % f->nj) * (MAX_WINDOW + 1) + (size_t)(b - a); /* in memo */
  int iter, ns;
  if (m < 0) m = 0;
  /* samples about 2 px apart on long pieces (where the curve between two
   * of them strays from their chord by L^2 / 8r, 0.01 px at r = 50 px),
   * closer on short ones, which bend most */
  ns = (int)(chord * 0.5) + 8;
  if (ns > 4000) ns = 4000;
  if (ensure_buf(f, (size_t)(m + 2 > ns + 1 ? m + 2 : ns + 1) * 2)) return 1;
  smp = f->buf + f->bufcap / 2;
  /* the interior data, contiguous in the doubled copy: qq[q0 .. q0 + m - 1] */
  q0 = (da + 1) % pl->N;
  c[0] = ja->p;
  c[3] = jb->p;
  /* the least squares and reparametrisation use at most FIT_POINTS of the
   * interior points, evenly spread, with chord-length parameters from the
   * cumulative lengths; the error below looks at all of them */
  nsub = m < FIT_POINTS ? (int)m : FIT_POINTS;
  if (m > 0) {
    const ft_point *qa = &f->qq[q0], *qb = &f->qq[q0 + m - 1];
    double h0 = ft__len(qa->x - c[0].x, qa->y - c[0].y), mid = f->cum[q0 + m - 1] - f->cum[q0];
    double tot = h0 + mid + ft__len(c[3].x - qb->x, c[3].y - qb->y);
    double inv = tot > 0 ? 1.0 / tot : 0.0;
    for (k = 0; k < nsub; k++) {
      long ix = q0 + k * m / nsub;
      sd[k] = f->qq[ix];
      st[k] = (h0 + f->cum[ix] - f->cum[q0]) * inv;
    }
  }
  for (iter = 0; iter < 3 && m > 0; iter++) {
    double C00 = 0, C01 = 0, C11 = 0, X0 = 0, X1 = 0, det;
    for (k = 0; k < nsub; k++) {
      double t = st[k], s = 1 - t, b0 = s * s * s, b1 = 3 * s * s * t, b2 = 3 * s * t * t,
             b3 = t * t * t;
      ft_point A1 = {t0.x * b1, t0.y * b1}, A2 = {-t1.x * b2, -t1.y * b2};
      double rx = sd[k].x - (c[0].x * (b0 + b1) + c[3].x * (b2 + b3));
      double ry = sd[k].y - (c[0].y * (b0 + b1) + c[3].y * (b2 + b3));
      C00 += A1.x * A1.x + A1.y * A1.y;
      C01 += A1.x * A2.x + A1.y * A2.y;
      C11 += A2.x * A2.x + A2.y * A2.y;
      X0 += A1.x * rx + A1.y * ry;
      X1 += A2.x * rx + A2.y * ry;
    }
    det = C00 * C11 - C01 * C01;
    al = be = chord / 3;
    if (fabs(det) > 1e-9 * (C00 * C11 + 1e-12)) {
      double a1 = (X0 * C11 - X1 * C01) / det, a2 = (C00 * X1 - C01 * X0) / det;
      if (a1 > 1e-3 * chord && a2 > 1e-3 * chord && a1 < 2 * chord && a2 < 2 * chord) {
        al = a1;
        be = a2;
      }
    }
    c[1].x = c[0].x + al * t0.x;
    c[1].y = c[0].y + al * t0.y;
    c[2].x = c[3].x - be * t1.x;
    c[2].y = c[3].y - be * t1.y;
    if (iter == 2) break;
    /* Newton reparametrisation (Schneider) */
    for (k = 0; k < nsub; k++) {
      double t = st[k], s = 1 - t, num, den;
      ft_point p = bez(c, t);
      ft_point d1 = {3 * (s * s * (c[1].x - c[0].x) + 2 * s * t * (c[2].x - c[1].x) +
                          t * t * (c[3].x - c[2].x)),
                     3 * (s * s * (c[1].y - c[0].y) + 2 * s * t * (c[2].y - c[1].y) +
                          t * t * (c[3].y - c[2].y))};
      ft_point d2 = {6 * (s * (c[2].x - 2 * c[1].x + c[0].x) + t * (c[3].x - 2 * c[2].x + c[1].x)),
                     6 * (s * (c[2].y - 2 * c[1].y + c[0].y) + t * (c[3].y - 2 * c[2].y + c[1].y))};
      num = (p.x - sd[k].x) * d1.x + (p.y - sd[k].y) * d1.y;
      den = d1.x * d1.x + d1.y * d1.y + (p.x - sd[k].x) * d2.x + (p.y - sd[k].y) * d2.y;
      if (fabs(den) > 1e-12) {
        t -= num / den;
        if (t < 0) t = 0;
        if (t > 1) t = 1;
        st[k] = t;
      }
    }
  }
  if (m == 0) {
    c[1] = lerp(c[0], c[3], 1.0 / 3);
    c[2] = lerp(c[0], c[3], 2.0 / 3);
  }
  sample_curve(c, ns, smp, f->seg);
  {
    double stop = GIVE_UP * f->tol, e1, e2 = 0.0;
    e1 = -1.0;
    if (m >= 4 * PROBE && b > a + 1 && f->tried[at - 1] && f->memo[at - 1].err > f->tol) {
      /* the piece one candidate shorter failed: likely this one too, which
       * every PROBE-th data point usually shows (their error cannot exceed
       * all the points') */
      double lb = ordered_dist(f->qq + q0, (int)m, PROBE, smp, ns + 1, f->ww + q0,
                               f->ax ? f->ax + q0 : NULL, f->pix_w2, stop, f->seg, 1);
      if (lb > f->tol) e1 = lb;
    }
    if (e1 < 0 && m > 0)
      e1 = ordered_dist(f->qq + q0, (int)m, 1, smp, ns + 1, f->ww + q0,
                        f->ax ? f->ax + q0 : NULL, f->pix_w2, stop, f->seg, 1);
    if (e1 < 0) e1 = 0.0;
    /* past tol the piece is refused; e1 alone then bounds the error from below */
    if (e1 <= f->tol) {
      if (m == 0) {
        d = f->buf; /* the chord alone */
        d[0] = ja->p;
        d[1] = jb->p;
        e2 = ordered_dist(smp + 1, ns - 1, 1, d, 2, NULL, NULL, 0, stop, f->seg, 0);
      } else {
        /* the polyline start, interior data, end, without copying the data
         * or its segments (the same for every piece): qq[r - 1] and the
         * first and last segments of qseg[r - 1 .. r + m - 1] stand in for
         * the piece's ends while it is measured, r being q0 or, in the second
         * lap, the same data there (q0 + N <= 2N - 1 - m as m < N) */
        long r = q0 > 0 ? q0 : q0 + pl->N;
        ft_point keep_q = f->qq[r - 1];
        segd keep_first = f->qseg[r - 1], keep_last = f->qseg[r + m - 1];
        f->qq[r - 1] = ja->p;
        set_seg(&f->qseg[r - 1], ja->p, f->qq[r]);
        set_seg(&f->qseg[r + m - 1], f->qq[r + m - 1], jb->p);
        e2 = ordered_dist(smp + 1, ns - 1, 1, f->qq + r - 1, (int)m + 2, NULL, NULL, 0, stop,
                          f->qseg + r - 1, 1);
        f->qq[r - 1] = keep_q;
        f->qseg[r - 1] = keep_first;
        f->qseg[r + m - 1] = keep_last;
      }
      if (f->pl->tl) {
        /* the curve is held to the tightest tolerance of the data it spans
         * (FT__PIX_TAU at most where the pixel-side rule holds the point) */
        float w = 1.0f;
        for (k = 0; k < m; k++) {
          float wk = f->tw[q0 + k];
          if (f->ax && f->ax[q0 + k] && wk > f->pix_w2) wk = f->pix_w2;
          if (wk > w) w = wk;
        }
        e2 *= sqrt((double)w);
      }
    }
    out->err = (float)(e1 > e2 ? e1 : e2);
  }
  out->c[0] = (float)c[1].x;
  out->c[1] = (float)c[1].y;
  out->c[2] = (float)c[2].x;
  out->c[3] = (float)c[2].y;
  /* a line when both controls lie on the chord (within a tenth of tol) */
  {
    double lim = 0.1 * f->tol;
    ft_point u = unit(c[0], c[3]);
    double h1 = fabs((c[1].x - c[0].x) * u.y - (c[1].y - c[0].y) * u.x);
    double h2 = fabs((c[2].x - c[0].x) * u.y - (c[2].y - c[0].y) * u.x);
    double p1 = (c[1].x - c[0].x) * u.x + (c[1].y - c[0].y) * u.y;
    double p2 = (c[2].x - c[0].x) * u.x + (c[2].y - c[0].y) * u.y;
    out->line = h1 <= lim && h2 <= lim && p1 >= -lim && p2 <= chord + lim;
  }
  return 0;
}

/* cumulative turn at unwrapped candidate k */
static double cum_turn(const fitter *f, long k) {
  return f->J[k % f->nj].turn + (double)(k / f->nj) * f->lap;
}

static piece *get_piece(fitter *f, long a, long b, int *nomem) {
  size_t at = (size_t)(a % f->nj) * (MAX_WINDOW + 1) + (size_t)(b - a);
  piece *pc = &f->memo[at];
  if (!f->tried[at]) {
    if (fit_piece(f, a, b, pc))
      *nomem = 1;
    else
      f->tried[at] = 1;
  }
  return pc;
}

/* Keeps far[0..*n-1] the up to BEAM largest distinct values added, largest first. */
static void far_add(int *far, int *n, int j) {
  int k;
  for (k = 0; k < *n; k++)
    if (far[k] == j) return;
  if (*n < BEAM) (*n)++;
  else if (j < far[BEAM - 1]) return;
  for (k = *n - 1; k > 0 && far[k - 1] < j; k--) far[k] = far[k - 1];
  far[k] = j;
}

/* Step 3: the chain from candidate s to s + len (unwrapped) in layers:
 * layer k holds the candidates first reached with k pieces, and only its
 * BEAM furthest are extended (a full dynamic programme would extend every
 * candidate).  Fills prev[0..len]; returns the number of pieces or -1 when
 * out of memory; *cost receives the sum of squared errors. */
static int chain(fitter *f, long s, int len, int *prev, int *cnt, double *cst, double *cost) {
  int front[BEAM], nf = 1, k, i, j, nomem = 0, layer = 0, top = 0;
  for (i = 0; i <= len; i++) {
    cnt[i] = INT32_MAX;
    cst[i] = 0;
    prev[i] = -1;
  }
  cnt[0] = 0;
  front[0] = 0;
  while (cnt[len] == INT32_MAX) {
    int reach = top, far[BEAM], nfar = 0;
    for (k = 0; k < nf; k++) {
      /* Only the ends that can be the next layer's fronts, or the last
       * candidate, need their pieces: those past top (the rest were
       * reached with fewer pieces) and, once BEAM ends of this layer are
       * known, not before the nearest of them.  The walk starts there,
       * stopping at a corner on the way; the pieces it passes over could
       * only have ended it earlier (an error past GIVE_UP tol). */
      int from = nfar == BEAM && far[BEAM - 1] - 1 > top ? far[BEAM - 1] - 1 : top;
      i = front[k];
      for (j = i + 1; j <= from && j < len; j++)
        if (f->J[(s + j) % f->nj].corner) break;
      if (j <= from && j < len) continue;
      for (j = j > from ? j : from + 1; j <= len && j - i <= MAX_WINDOW; j++) {
        long a = s + i, b = s + j;
        piece *pc;
        if (j > i + 1 && cum_turn(f, b) - cum_turn(f, a) > MAX_TURN) break;
        pc = get_piece(f, a, b, &nomem);
        if (nomem) return -1;
        if (pc->err <= f->tol || j == i + 1) {
          double c2 = cst[i] + (double)pc->err * pc->err;
          if (j > reach) reach = j;
          far_add(far, &nfar, j);
          if (cnt[i] + 1 < cnt[j] || (cnt[i] + 1 == cnt[j] && c2 < cst[j])) {
            cnt[j] = cnt[i] + 1;
            cst[j] = c2;
            prev[j] = i;
          }
        } else if (pc->err > GIVE_UP * f->tol) {
          break;
        }
        if (f->J[b % f->nj].corner) break;
      }
    }
    /* next layer: the furthest ends first reached with layer + 1 pieces */
    layer++;
    nf = 0;
    for (j = reach; j > top && nf < BEAM; j--)
      if (cnt[j] == layer) front[nf++] = j;
    top = reach;
  }
  *cost = cst[len];
  return cnt[len];
}

/* Step 1: join candidates for the polygon; the corner or smooth vertex
 * order starts at polygon vertex r. */
static int add_join(join **J, int *n, int *cap, ft_point p, ft_point tin, ft_point tout, long di,
                    int corner) {
  join *jn;
  if (ft__grow((void **)J, cap, *n + 1, sizeof **J)) return 1;
  jn = &(*J)[(*n)++];
  jn->p = p;
  jn->tin = tin;
  jn->tout = tout;
  jn->di = di;
  jn->corner = corner;
  jn->turn = 0;
  return 0;
}

/* data index in [a, b] (unwrapped) whose projection on P0->P1 is nearest fraction t */
static long nearest_data(const ft__poly *pl, long a, long b, ft_point p0, ft_point p1, double t) {
  double dx = p1.x - p0.x, dy = p1.y - p0.y, l2 = dx * dx + dy * dy, best = 1e300;
  long k, bk = a;
  for (k = a; k <= b; k++) {
    ft_point q = pl->q[k % pl->N];
    double u = l2 > 0 ? ((q.x - p0.x) * dx + (q.y - p0.y) * dy) / l2 : 0;
    double e = fabs(u - t);
    if (e < best) {
      best = e;
      bk = k;
    }
  }
  return bk;
}

static int build_joins(const ft__poly *pl, int r, join **J, int *nj) {
  const int K = pl->K, N = pl->N, closed = pl->closed;
  int cap = 0, e, nedge = closed ? K : K - 1;
  long base = 0, prev_idx = -1;
  long *ui = ft__malloc_n((size_t)K + 1, sizeof *ui);
  if (!ui) return 1;
  *J = NULL;
  *nj = 0;
  /* unwrapped data indices of the vertices in traversal order from r */
  for (e = 0; e <= nedge; e++) {
    int k = closed ? (r + e) % K : e;
    long id = pl->idx[k];
    if (e == nedge && closed) id = pl->idx[r];
    if (id + base < prev_idx) base += N;
    if (e == nedge && closed) {
      id = pl->idx[r] + base;
      if (id <= prev_idx) id += N;
      ui[e] = id;
      break;
    }
    ui[e] = id + base;
    prev_idx = ui[e];
  }
  for (e = 0; e < nedge; e++) {
    int k0 = closed ? (r + e) % K : e, k1 = closed ? (k0 + 1) % K : e + 1;
    ft_point p0 = pl->P[k0], p1 = pl->P[k1], u = unit(p0, p1);
    double len = ft__len(p1.x - p0.x, p1.y - p0.y);
    if (pl->corner[k0]) {
      int kp = closed ? (k0 + K - 1) % K : (k0 > 0 ? k0 - 1 : 0);
      ft_point tin = k0 == kp ? u : unit(pl->P[kp], p0);
      if (add_join(J, nj, &cap, p0, tin, u, ui[e], 1)) goto nomem;
    }
    if (!(pl->corner[k0] && pl->corner[k1])) {
      double fr[64];
      int nf = 0, a, b2;
      double dist;
      /* candidates from the start end, the midpoint, then from the far end;
       * the extra ones only on an edge longer than twice a neighbour, where
       * a straight stretch may meet a bend */
      int kp = closed ? (k0 + K - 1) % K : k0 - 1, kn = closed ? (k1 + 1) % K : k1 + 1;
      double lp = kp >= 0 ? ft__len(pl->P[k0].x - pl->P[kp].x, pl->P[k0].y - pl->P[kp].y) : 0;
      double ln = kn < K ? ft__len(pl->P[kn].x - pl->P[k1].x, pl->P[kn].y - pl->P[k1].y) : 0;
      int extra = kp < 0 || kn >= K || len > 2 * lp || len > 2 * ln;
      for (dist = 1.5; extra && dist < 0.5 * len - 0.75 && nf < 30; dist *= 2) fr[nf++] = dist / len;
      fr[nf++] = 0.5;
      for (a = nf - 2; a >= 0; a--) fr[nf++] = 1 - fr[a];
      for (b2 = 0; b2 < nf; b2++) {
        long di = nearest_data(pl, ui[e], ui[e + 1], p0, p1, fr[b2]), k2, lo, hi;
        ft_point x = lerp(p0, p1, fr[b2]);
        double off = 0;
        /* move onto the data: the mean normal offset of the nearby points */
        lo = di - 2 > ui[e] ? di - 2 : ui[e];
        hi = di + 2 < ui[e + 1] ? di + 2 : ui[e + 1];
        for (k2 = lo; k2 <= hi; k2++) {
          ft_point q = pl->q[k2 % N];
          off += (q.x - x.x) * -u.y + (q.y - x.y) * u.x;
        }
        off /= (double)(hi - lo + 1);
        x.x += off * -u.y;
        x.y += off * u.x;
        if (add_join(J, nj, &cap, x, u, u, di, 0)) goto nomem;
      }
    }
  }
  if (!closed) {
    int k = K - 1;
    ft_point tin = unit(pl->P[k - 1], pl->P[k]);
    if (add_join(J, nj, &cap, pl->P[k], tin, tin, ui[nedge], 1)) goto nomem;
  }
  free(ui);
  return 0;
nomem:
  free(ui);
  free(*J);
  *J = NULL;
  return 1;
}

static double angle_between(ft_point a, ft_point b) {
  return fabs(atan2(a.x * b.y - a.y * b.x, a.x * b.x + a.y * b.y));
}

static int emit(fitter *f, long s, int len, const int *prev, ft__segbuf *out) {
  int *path = ft__malloc_n((size_t)len + 1, sizeof *path), np = 0, j = len, k;
  if (!path) return 1;
  while (j > 0) {
    path[np++] = j;
    j = prev[j];
  }
  path[np++] = 0;
  out->start = f->J[s % f->nj].p;
  for (k = np - 1; k > 0; k--) {
    long a = s + path[k], b = s + path[k - 1];
    int nomem = 0;
    piece *pc = get_piece(f, a, b, &nomem);
    ft_point end = f->J[b % f->nj].p, c1 = {pc->c[0], pc->c[1]}, c2 = {pc->c[2], pc->c[3]};
    if (nomem || ft__segbuf_push(out, pc->line ? FT_SEG_LINE : FT_SEG_CUBIC, c1, c2, end)) {
      free(path);
      return 1;
    }
  }
  free(path);
  return 0;
}

/* Data inside long straight edges (at least 8 px and more than 4 times a
 * neighbour), in the middle half of the edge: a curve must follow those
 * within STRICT_TOL so that straight sides stay visibly straight. */
static void mark_strict(const ft__poly *pl, unsigned char *strict) {
  const int K = pl->K, N = pl->N, closed = pl->closed;
  int e, nedge = closed ? K : K - 1;
  for (e = 0; e < nedge; e++) {
    int k0 = e, k1 = closed ? (e + 1) % K : e + 1;
    int kp = closed ? (k0 + K - 1) % K : k0 - 1, kn = closed ? (k1 + 1) % K : k1 + 1;
    ft_point p0 = pl->P[k0], p1 = pl->P[k1];
    double len = ft__len(p1.x - p0.x, p1.y - p0.y), lp, ln;
    long a, b, k;
    if (len < 8) continue;
    lp = kp >= 0 ? ft__len(p0.x - pl->P[kp].x, p0.y - pl->P[kp].y) : 0;
    ln = kn < K ? ft__len(pl->P[kn].x - p1.x, pl->P[kn].y - p1.y) : 0;
    if (!(len > 4 * lp || len > 4 * ln)) continue;
    a = pl->idx[k0];
    b = pl->idx[k1];
    if (b < a) b += N;
    for (k = a; k <= b; k++) {
      ft_point q = pl->q[k % N];
      double m = len / 4 > 2 ? len / 4 : 2;
      if (ft__len(q.x - p0.x, q.y - p0.y) > m && ft__len(q.x - p1.x, q.y - p1.y) > m) strict[k % N] = 1;
    }
  }
}

ft_status ft__fit_curves(const ft__poly *pl, double tol, ft__segbuf *out) {
  fitter f;
  int r = 0, k, len, *prev = NULL, *cnt = NULL, ret = 1, any_corner = 0;
  double *cst = NULL, cost;
  memset(&f, 0, sizeof f);
  f.pl = pl;
  f.tol = tol;
  f.strict_w2 = tol > STRICT_TOL ? (float)((tol / STRICT_TOL) * (tol / STRICT_TOL)) : 1.0f;
  f.strict = ft__calloc_n((size_t)pl->N, 1);
  if (!f.strict) return FT_ERR_NOMEM;
  mark_strict(pl, f.strict);
  f.qq = ft__malloc_n((size_t)pl->N, 2 * sizeof *f.qq);
  f.pix_w2 = (float)((tol / FT__PIX_TAU) * (tol / FT__PIX_TAU));
  if (pl->pix) f.ax = ft__malloc_n((size_t)pl->N, 2);
  f.ww = ft__malloc_n((size_t)pl->N, 2 * sizeof *f.ww);
  f.tw = ft__malloc_n((size_t)pl->N, 2 * sizeof *f.tw);
  f.cum = ft__malloc_n((size_t)pl->N, 2 * sizeof *f.cum);
  f.qseg = ft__malloc_n((size_t)pl->N, 2 * sizeof *f.qseg);
  if (!f.qq || (pl->pix && !f.ax) || !f.ww || !f.tw || !f.cum || !f.qseg) {
    free(f.qseg);
    free(f.qq);
    free(f.ax);
    free(f.ww);
    free(f.tw);
    free(f.cum);
    free(f.strict);
    return FT_ERR_NOMEM;
  }
  for (k = 0; k < 2 * pl->N; k++) {
    const ft_point q = pl->q[k % pl->N];
    f.qq[k] = q;
    if (f.ax) f.ax[k] = !pl->pix[k % pl->N] ? 0 : (pl->dir[k % pl->N] & 1) ? 2 : 1;
    f.ww[k] = f.strict[k % pl->N] ? f.strict_w2 : 1.0f;
    f.tw[k] = 1.0f;
    if (pl->tl && pl->tl[k % pl->N] < tol) {
      double ratio = tol / pl->tl[k % pl->N];
      f.tw[k] = (float)(ratio * ratio);
      if (f.tw[k] > f.ww[k]) f.ww[k] = f.tw[k];
    }
  }
  /* lengths and segments of the steps; the second lap repeats the first's,
   * so its step lengths wait in its own slots of cum until summed */
  f.cum[0] = 0.0;
  for (k = 1; k <= pl->N && k < 2 * pl->N; k++) {
    const ft_point q = f.qq[k], p = f.qq[k - 1];
    double step = ft__len(q.x - p.x, q.y - p.y);
    set_seg(&f.qseg[k - 1], p, q);
    f.cum[k] = f.cum[k - 1] + step;
    if (k < pl->N) f.cum[pl->N + k] = step;
  }
  for (k = pl->N + 1; k < 2 * pl->N; k++) {
    f.qseg[k - 1] = f.qseg[k - 1 - pl->N];
    f.cum[k] += f.cum[k - 1];
  }
  if (pl->closed)
    for (k = 0; k < pl->K; k++)
      if (pl->corner[k]) {
        r = k;
        any_corner = 1;
        break;
      }
  if (build_joins(pl, r, &f.J, &f.nj)) goto done;
  /* cumulative absolute turn along the candidates, and over a whole lap */
  f.J[0].turn = 0;
  for (k = 1; k < f.nj; k++)
    f.J[k].turn = f.J[k - 1].turn + angle_between(f.J[k - 1].tout, f.J[k].tin);
  f.lap = f.J[f.nj - 1].turn + angle_between(f.J[f.nj - 1].tout, f.J[0].tin);
  len = pl->closed ? f.nj : f.nj - 1;
  f.memo = ft__malloc_n((size_t)f.nj * (MAX_WINDOW + 1), sizeof *f.memo);
  f.tried = ft__calloc_n((size_t)f.nj * (MAX_WINDOW + 1), 1);
  prev = ft__malloc_n((size_t)len + 1, sizeof *prev);
  cnt = ft__malloc_n((size_t)len + 1, sizeof *cnt);
  cst = ft__malloc_n((size_t)len + 1, sizeof *cst);
  if (!f.memo || !f.tried || !prev || !cnt || !cst) goto done;
  {
    long best_s = 0;
    int best_n, n2;
    double best_cost;
    best_n = chain(&f, 0, len, prev, cnt, cst, &best_cost);
    if (best_n < 0) goto done;
    if (pl->closed && !any_corner && best_n > 1) {
      /* The pieces' feasibility depends on where the candidates fall, so
       * try other starts: the breaks of the first solution and 16 starts
       * spread round the loop (fits are memoised, so these are cheap),
       * until one reaches the fewest pieces any start can give: no piece
       * of more than one step turns more than MAX_TURN, so the loop needs
       * at least lap / MAX_TURN (a circle four).  The first start to reach
       * that count is kept, not the one of least error among all. */
      int starts[32], ns = 0, t, fewest = (int)ceil(f.lap / MAX_TURN - 1e-9);
      k = len;
      while (k > 0 && ns < 16) {
        if (prev[k] > 0) starts[ns++] = prev[k];
        k = prev[k];
      }
      for (t = 1; t <= 16 && t < len; t++) starts[ns++] = (int)((long)t * len / 17);
      for (t = 0; t < ns && best_n > fewest; t++) {
        n2 = chain(&f, starts[t], len, prev, cnt, cst, &cost);
        if (n2 < 0) goto done;
        if (n2 < best_n || (n2 == best_n && cost < best_cost)) {
          best_n = n2;
          best_cost = cost;
          best_s = starts[t];
        }
      }
      if (chain(&f, best_s, len, prev, cnt, cst, &cost) < 0) goto done;
    }
    if (emit(&f, best_s, len, prev, out)) goto done;
  }
  ret = 0;
done:
  free(f.J);
  free(f.memo);
  free(f.tried);
  free(f.buf);
  free(f.seg);
  free(f.qseg);
  free(f.qq);
  free(f.ax);
  free(f.ww);
  free(f.tw);
  free(f.cum);
  free(f.strict);
  free(prev);
  free(cnt);
  free(cst);
  return ret ? FT_ERR_NOMEM : FT_OK;
}
