/* src/fit/stroke.c - lines and cubics for polylines that are not pixel staircases.
 *
 * The centerline tracer emits open polylines with sub-pixel points (and
 * closed stroke loops).  Here such a polyline is cut at its corners and each
 * piece between corners is replaced by one line when all its points lie
 * within the tolerance of the chord, otherwise by G1-continuous cubics
 * fitted with the method of P. J. Schneider, "An algorithm for automatically
 * fitting digitized curves" (Graphics Gems, 1990): end tangents estimated
 * from the data, chord-length parameters, the two arm lengths solved by
 * least squares, up to four rounds of Newton reparametrisation when the
 * error is close, and otherwise a split at the worst point with a shared
 * tangent there, recursively.  The error of a cubic is the larger, over the
 * data, of the distance from each point to the curve at its parameter and
 * the distance from the curve at the middle parameter of each polyline edge
 * to that edge less an eighth of the edge's length, but no more than
 * 0.035 stroke widths: the tracer's polylines are themselves simplified (at
 * 0.05 widths; a chord of length c cuts a circle of radius r at depth
 * c^2 / 8r), so the curve may bow from a long chord but not stray from a
 * short one, nor bulge from a long straight edge.  The tolerance is at
 * most a tenth of the stroke width (at least 0.1 px): what shows of a
 * stroke's error is its share of the width.  A cubic whose controls lie on
 * its chord becomes a line.
 *
 * Corners: the turn at a vertex is measured between its arms to the
 * vertices at least CORNER_ARM px away along the polyline; a vertex turning
 * more than CORNER_TURN radians, and most among the vertices within an arm
 * of it, is a corner and stays one.  FT_FIT_POLYGON uses Douglas-Peucker
 * (at least as strict as the tolerance) between corners instead.  End
 * points are kept exactly; a closed loop ends exactly at its start.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit/internal.h"

#define CORNER_ARM 2.0  /* px along the polyline on either side of a vertex */
#define CORNER_TURN 1.2 /* radians (about 69 degrees) */
#define MAX_REPARAM 4
#define STRAIGHT_EPS 0.05 /* px: controls this close to the chord make a line */
#define EDGE_SLACK 0.125  /* of an edge's length: how far its middle may bow from it */
#define SLACK_W 0.035     /* of the stroke width: the most an edge's middle may bow */
#define TOL_W 0.1         /* of the stroke width: the tolerance of a thin stroke */
#define TOL_MIN 0.1       /* px: the width-scaled tolerance goes no lower */

typedef struct fitter {
  const ft_point *d; /* data */
  double tol;
  double slack_max; /* px: the most an edge's middle may bow (see error()) */
  double *u;  /* [n] parameters, scratch */
  double *u2; /* [n] */
  ft__segbuf *out;
} fitter;

static ft_point pt(double x, double y) {
  ft_point r = {x, y};
  return r;
}
static ft_point sub(ft_point a, ft_point b) { return pt(a.x - b.x, a.y - b.y); }
static ft_point add(ft_point a, ft_point b) { return pt(a.x + b.x, a.y + b.y); }
static ft_point scale(ft_point a, double s) { return pt(a.x * s, a.y * s); }
static double dot(ft_point a, ft_point b) { return a.x * b.x + a.y * b.y; }
static double len(ft_point a) { return hypot(a.x, a.y); }
static ft_point unit(ft_point a) {
  double l = len(a);
  return l > 0 ? scale(a, 1 / l) : pt(0, 0);
}

/* Distance from p to segment ab (to a when a == b). */
static double seg_dist(ft_point p, ft_point a, ft_point b) {
  ft_point ab = sub(b, a), ap = sub(p, a);
  double l2 = dot(ab, ab), t = l2 > 0 ? dot(ap, ab) / l2 : 0;
  if (t < 0) t = 0;
  if (t > 1) t = 1;
  return len(sub(ap, scale(ab, t)));
}

static ft_point bez(const ft_point *b, double t) {
  double s = 1 - t;
  return pt(s * s * s * b[0].x + 3 * s * s * t * b[1].x + 3 * s * t * t * b[2].x + t * t * t * b[3].x,
            s * s * s * b[0].y + 3 * s * s * t * b[1].y + 3 * s * t * t * b[2].y + t * t * t * b[3].y);
}

/* One Newton step for the parameter of the point on b nearest p. */
static double newton(const ft_point *b, ft_point p, double t) {
  ft_point q1[3], q2[2], q, d1, d2, diff;
  double num, den;
  int i;
  for (i = 0; i < 3; i++) q1[i] = scale(sub(b[i + 1], b[i]), 3);
  for (i = 0; i < 2; i++) q2[i] = scale(sub(q1[i + 1], q1[i]), 2);
  q = bez(b, t);
  d1 = add(add(scale(q1[0], (1 - t) * (1 - t)), scale(q1[1], 2 * t * (1 - t))), scale(q1[2], t * t));
  d2 = add(scale(q2[0], 1 - t), scale(q2[1], t));
  diff = sub(q, p);
  num = dot(diff, d1);
  den = dot(d1, d1) + dot(diff, d2);
  if (!(fabs(den) > 1e-12)) return t;
  t -= num / den;
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/* Least-squares arm lengths along t1 (leaving d[a]) and t2 (arriving at d[b],
 * pointing back) for parameters u[a..b]. */
static void solve(const fitter *f, int a, int b, ft_point t1, ft_point t2, ft_point *bz) {
  const ft_point *d = f->d;
  double C00 = 0, C01 = 0, C11 = 0, X0 = 0, X1 = 0, chord = len(sub(d[b], d[a]));
  double det, al, ar, eps = 1e-6 * (chord > 0 ? chord : 1);
  int i;
  for (i = a; i <= b; i++) {
    double t = f->u[i - a], s = 1 - t;
    double b0 = s * s * s, b1 = 3 * s * s * t, b2 = 3 * s * t * t, b3 = t * t * t;
    ft_point A0 = scale(t1, b1), A1 = scale(t2, b2);
    ft_point tmp = sub(d[i], add(scale(d[a], b0 + b1), scale(d[b], b2 + b3)));
    C00 += dot(A0, A0);
    C01 += dot(A0, A1);
    C11 += dot(A1, A1);
    X0 += dot(A0, tmp);
    X1 += dot(A1, tmp);
  }
  det = C00 * C11 - C01 * C01;
  if (fabs(det) > 1e-12 * (C00 * C11 + 1e-300)) {
    al = (X0 * C11 - X1 * C01) / det;
    ar = (C00 * X1 - C01 * X0) / det;
  } else {
    al = ar = chord / 3;
  }
  if (!(al > eps && ar > eps) || al > 2 * chord + 1 || ar > 2 * chord + 1) al = ar = chord / 3;
  bz[0] = d[a];
  bz[3] = d[b];
  bz[1] = add(d[a], scale(t1, al));
  bz[2] = add(d[b], scale(t2, ar));
}

/* Largest error of bz against d[a..b] with parameters u; *worst its index. */
static double error(const fitter *f, int a, int b, const ft_point *bz, int *worst) {
  double best = -1;
  int i;
  *worst = (a + b) / 2;
  for (i = a; i <= b; i++) {
    double e = len(sub(bez(bz, f->u[i - a]), f->d[i]));
    if (i < b) {
      double sl = EDGE_SLACK * len(sub(f->d[i + 1], f->d[i]));
      double m = seg_dist(bez(bz, 0.5 * (f->u[i - a] + f->u[i + 1 - a])), f->d[i], f->d[i + 1]) -
                 (sl < f->slack_max ? sl : f->slack_max);
      if (m > e) e = m;
    }
    if (e > best && i > a && i < b) {
      best = e;
      *worst = i;
    } else if (e > best) {
      best = e;
    }
  }
  return best;
}

static void chord_params(const fitter *f, int a, int b) {
  double total;
  int i;
  f->u[0] = 0;
  for (i = a + 1; i <= b; i++) f->u[i - a] = f->u[i - 1 - a] + len(sub(f->d[i], f->d[i - 1]));
  total = f->u[b - a];
  for (i = a + 1; i <= b; i++) f->u[i - a] = total > 0 ? f->u[i - a] / total : (double)(i - a) / (b - a);
}

static int push_line(ft__segbuf *out, ft_point e) {
  ft_point z = {0, 0};
  return ft__segbuf_push(out, FT_SEG_LINE, z, z, e);
}

/* Is the cubic straight (controls on the chord, between its ends)? */
static int straight(const ft_point *bz) {
  return seg_dist(bz[1], bz[0], bz[3]) < STRAIGHT_EPS && seg_dist(bz[2], bz[0], bz[3]) < STRAIGHT_EPS;
}

/* Fit d[a..b] with tangents t1 (leaving a) and t2 (at b, pointing back). */
static int fit_cubic(fitter *f, int a, int b, ft_point t1, ft_point t2) {
  ft_point bz[4], tc;
  double err;
  int worst, it, i;
  if (b - a < 2) {
    /* one edge: Schneider's arms of a third of the chord keep the joins G1 */
    double l3 = len(sub(f->d[b], f->d[a])) / 3;
    bz[0] = f->d[a];
    bz[3] = f->d[b];
    bz[1] = add(bz[0], scale(t1, l3));
    bz[2] = add(bz[3], scale(t2, l3));
    if (straight(bz)) return push_line(f->out, f->d[b]);
    return ft__segbuf_push(f->out, FT_SEG_CUBIC, bz[1], bz[2], bz[3]);
  }
  chord_params(f, a, b);
  solve(f, a, b, t1, t2, bz);
  err = error(f, a, b, bz, &worst);
  for (it = 0; err > f->tol && err < 4 * f->tol && it < MAX_REPARAM; it++) {
    for (i = a; i <= b; i++) f->u[i - a] = newton(bz, f->d[i], f->u[i - a]);
    for (i = a + 1; i < b; i++)
      if (f->u[i - a] < f->u[i - 1 - a]) f->u[i - a] = f->u[i - 1 - a];
    solve(f, a, b, t1, t2, bz);
    err = error(f, a, b, bz, &worst);
  }
  if (err <= f->tol) {
    if (straight(bz)) return push_line(f->out, f->d[b]);
    return ft__segbuf_push(f->out, FT_SEG_CUBIC, bz[1], bz[2], bz[3]);
  }
  tc = unit(sub(f->d[worst - 1], f->d[worst + 1]));
  if (len(tc) == 0) tc = unit(sub(f->d[a], f->d[b]));
  if (fit_cubic(f, a, worst, t1, tc)) return 1;
  return fit_cubic(f, worst, b, scale(tc, -1), t2);
}

/* Unit direction from d[i] towards the data at least CORNER_ARM px away,
 * walking by step (+1/-1) within [lo, hi]. */
static ft_point arm(const ft_point *d, int i, int step, int lo, int hi) {
  int j = i;
  double acc = 0;
  while (j + step >= lo && j + step <= hi) {
    acc += len(sub(d[j + step], d[j]));
    j += step;
    if (acc >= CORNER_ARM) break;
  }
  return unit(sub(d[j], d[i]));
}

/* Douglas-Peucker on d[a..b] at tol, appending lines. */
static int dp(const ft_point *d, int a, int b, double tol, ft__segbuf *out) {
  double best = -1;
  int i, w = a;
  for (i = a + 1; i < b; i++) {
    double e = seg_dist(d[i], d[a], d[b]);
    if (e > best) {
      best = e;
      w = i;
    }
  }
  if (best <= tol || w == a) return push_line(out, d[b]);
  return dp(d, a, w, tol, out) || dp(d, w, b, tol, out);
}

/* One piece d[a..b] between corners (or a whole loop), with end tangents. */
static int fit_piece(fitter *f, int polygon, int a, int b, ft_point t1, ft_point t2) {
  double best = 0;
  int i;
  if (polygon) return dp(f->d, a, b, f->tol, f->out);
  for (i = a + 1; i < b; i++) {
    double e = seg_dist(f->d[i], f->d[a], f->d[b]);
    if (e > best) best = e;
  }
  if (best <= f->tol && len(sub(f->d[b], f->d[a])) > 0) return push_line(f->out, f->d[b]);
  return fit_cubic(f, a, b, t1, t2);
}

ft_status ft__fit_stroke(const ft_path *pa, int polygon, double tol, ft__segbuf *out) {
  ft_point *d = NULL;
  double *turn = NULL;
  int *corner = NULL, n = 0, i, nc = 0, closed = pa->closed, rot = 0;
  fitter f;
  ft_status st = FT_ERR_NOMEM;
  memset(&f, 0, sizeof f);
  /* the distinct points, with the loop's repeated start dropped; room for a
   * rotated loop closed again (n + 1) */
  d = ft__malloc_n((size_t)pa->nseg + 2, sizeof *d);
  if (!d) return FT_ERR_NOMEM;
  d[n++] = pa->start;
  for (i = 0; i < pa->nseg; i++) {
    ft_point e = pa->seg[i].c[2];
    if (e.x != d[n - 1].x || e.y != d[n - 1].y) d[n++] = e;
  }
  if (closed && n > 1 && d[n - 1].x == d[0].x && d[n - 1].y == d[0].y) n--;
  out->start = pa->start;
  if (n < 2 || (closed && n < 3)) {
    /* a dot or a doubled line: its distinct points as lines */
    for (i = 1; i < n; i++)
      if (push_line(out, d[i])) goto done;
    if (closed || n < 2)
      if (push_line(out, closed ? pa->start : pa->seg[pa->nseg - 1].c[2])) goto done;
    st = FT_OK;
    goto done;
  }
  turn = ft__malloc_n((size_t)n, sizeof *turn);
  corner = ft__calloc_n((size_t)n, sizeof *corner);
  f.u = ft__malloc_n((size_t)n + 1, sizeof *f.u);
  if (!turn || !corner || !f.u) goto done;
  /* turns: arms within the polyline (open) or over a doubled copy (closed) */
  for (i = 0; i < n; i++) {
    ft_point ain, aout;
    double c;
    if (!closed && (i == 0 || i == n - 1)) {
      turn[i] = 0;
      continue;
    }
    if (closed) {
      /* walk cyclically: a small local copy window is avoided by modular arms */
      int j = i, k = i;
      double acc = 0;
      do {
        acc += len(sub(d[(j + n - 1) % n], d[j]));
        j = (j + n - 1) % n;
      } while (acc < CORNER_ARM && j != (i + 1) % n);
      acc = 0;
      do {
        acc += len(sub(d[(k + 1) % n], d[k]));
        k = (k + 1) % n;
      } while (acc < CORNER_ARM && k != (i + n - 1) % n);
      ain = unit(sub(d[i], d[j]));
      aout = unit(sub(d[k], d[i]));
    } else {
      ain = scale(arm(d, i, -1, 0, n - 1), -1);
      aout = arm(d, i, 1, 0, n - 1);
    }
    c = dot(ain, aout);
    turn[i] = acos(c > 1 ? 1 : c < -1 ? -1 : c);
  }
  /* corners: sharp turns that are the largest within an arm on either side */
  for (i = 0; i < n; i++) {
    int s, ok = turn[i] > CORNER_TURN;
    for (s = -1; ok && s <= 1; s += 2) {
      int j = i;
      double acc = 0;
      for (;;) {
        int k = j + s;
        if (closed) k = (k + n) % n;
        else if (k < 0 || k >= n) break;
        if (k == i) break;
        acc += len(sub(d[k], d[j]));
        j = k;
        if (acc > CORNER_ARM) break;
        if (turn[j] > turn[i] || (turn[j] == turn[i] && s < 0)) {
          ok = 0;
          break;
        }
      }
    }
    if (ok) {
      corner[i] = 1;
      if (!nc++) rot = i;
    }
  }
  f.d = d;
  /* a stroke's visible error is relative to its width: a 0.8 px shift of a
   * 4 px pencil line moves a pixel column or two in or out of it, so a
   * thin stroke is held to a tenth of its width */
  if (pa->stroke_width > 0 && TOL_W * pa->stroke_width < tol)
    tol = TOL_W * pa->stroke_width > TOL_MIN ? TOL_W * pa->stroke_width : TOL_MIN;
  f.tol = tol;
  /* the tracer simplified at 0.05 widths: a chord lies about that far from
   * the stroke it stands for where it cuts a curve, less where the line is
   * straight, so the curve may bow from a long chord by a little less */
  f.slack_max = SLACK_W * pa->stroke_width;
  f.out = out;
  if (closed) {
    /* rotate so that the loop starts at its first corner (or stays at its
     * start) and append the start again to close it */
    ft_point *r = ft__malloc_n((size_t)n + 1, sizeof *r);
    int *rc = ft__malloc_n((size_t)n + 1, sizeof *rc);
    if (!r || !rc) {
      free(r);
      free(rc);
      goto done;
    }
    for (i = 0; i < n; i++) {
      r[i] = d[(i + rot) % n];
      rc[i] = corner[(i + rot) % n];
    }
    r[n] = r[0];
    rc[n] = rc[0];
    free(d);
    free(corner);
    d = r;
    corner = rc;
    f.d = d;
    out->start = d[0];
    n++;
  } else {
    corner[0] = corner[n - 1] = 1;
  }
  {
    int a = 0, b;
    ft_point tseam = {0, 0};
    if (closed && !nc) {
      /* a smooth loop: one tangent at the seam for both ends */
      int k = 1, j = n - 2;
      double acc = 0;
      while (k < n - 1 && (acc += len(sub(d[k], d[k - 1]))) < CORNER_ARM) k++;
      acc = 0;
      while (j > 0 && (acc += len(sub(d[j + 1], d[j]))) < CORNER_ARM) j--;
      tseam = unit(sub(d[k], d[j]));
    }
    for (b = 1; b < n; b++) {
      ft_point t1, t2;
      if (!corner[b] && b != n - 1) continue;
      if (closed && !nc) {
        t1 = tseam;
        t2 = scale(tseam, -1);
      } else {
        t1 = arm(d, a, 1, a, b);
        t2 = arm(d, b, -1, a, b);
      }
      if (fit_piece(&f, polygon, a, b, t1, t2)) goto done;
      a = b;
    }
  }
  /* exact ends */
  if (out->n > 0) out->seg[out->n - 1].c[2] = closed ? out->start : pa->seg[pa->nseg - 1].c[2];
  st = FT_OK;
done:
  free(d);
  free(turn);
  free(corner);
  free(f.u);
  return st;
}
