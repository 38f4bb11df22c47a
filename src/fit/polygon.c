/* src/fit/polygon.c - the polygon that follows the true edge of a pixel outline.
 *
 * The data are the midpoints of the unit edges, moved by sub-pixel
 * offsets when the caller has them (ft__runinfo).  The idea is that of
 * Selinger's optimal polygon (P. Selinger, "Potrace: a
 * polygon-based tracing algorithm", 2003, Sec. 2.2): a stretch of outline is
 * straight when one line passes close to all of it and it does not use all
 * four step directions; the polygon is the one with the fewest straight
 * edges, and each vertex is then moved to where the fitted lines of its two
 * edges cross.  The formulation here is our own and works on the midpoints
 * of the unit edges:
 *
 *  1. Straightness (the "sleeve" test): from data point q[i], every later
 *     point q[k] at distance r > d confines the direction of an admissible
 *     line through q[i] to an interval of half-width asin(d / r) (d the
 *     smaller of the sleeve and q[k]'s own tolerance); q[i]..q[j]
 *     is straight while the intersection of those intervals contains the
 *     direction of q[j] and at most three step directions occur.  lon[i] is
 *     the furthest such j, found in one forward scan from i, made only for
 *     the points that the greedy walks of stage 2 visit.
 *  2. Fewest edges: jumping greedily to lon[] is optimal from a given
 *     start; for loops a few starts near the first polygon's vertices are
 *     tried and the one with the fewest vertices kept.
 *  3. Adjustment: each vertex moves to the crossing of the least-squares
 *     lines of its two edges (points within a pixel of the ends left out, so
 *     the cut-off staircase corner does not tilt them), when that crossing
 *     is within 1.5 px of the vertex.
 *  4. Corners (Sec. 2.3's alpha, measured in pixels): h is the distance of
 *     a vertex from the chord joining its edges' midpoints; the vertex is a
 *     corner when 4/3 (1 - 1/h) >= alphamax.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit/internal.h"

#define MAX_STEPS_PER_EDGE 100000

void ft__poly_free(ft__poly *pl) {
  free(pl->q);
  free(pl->dir);
  free(pl->idx);
  free(pl->P);
  free(pl->corner);
  free(pl->tl);
  free(pl->pix);
  memset(pl, 0, sizeof *pl);
}

static int step_dir(ft_point a, ft_point b) {
  if (b.x > a.x) return 0;
  if (b.y > a.y) return 1;
  if (b.x < a.x) return 2;
  return 3;
}

/* Direction vectors and their order: cross(a, b) > 0 when b lies
 * counterclockwise of a (within half a turn). */
typedef struct vec2 {
  double x, y;
} vec2;

static double cross2(vec2 a, vec2 b) { return a.x * b.y - a.y * b.x; }

/* b lies in the arc from a counterclockwise to c (an arc under half a turn) */
static int in_arc(vec2 a, vec2 b, vec2 c) { return cross2(a, b) >= 0 && cross2(b, c) >= 0; }

/* Stage 1: the furthest j (as an offset from i) such that q[i..i+off] is
 * straight.  The admissible directions form an arc [lo, hi], kept as two
 * vectors rather than angles (no trigonometry): point k at distance r > d
 * allows the arc of half-width w = asin(d / r) round its direction, whose
 * ends are that direction turned by -w and +w (cos w = sqrt(r^2 - d^2) / r,
 * sin w = d / r; the common factor 1 / r is dropped).  Every such arc is
 * under half a turn, so orders follow from cross products. */
static int longest_straight(const ft__poly *pl, int i, double d0) {
  const int N = pl->N;
  int limit = pl->closed ? N - 1 : N - 1 - i;
  int off, best = 1, bounded = 0, dirs = 1 << pl->dir[i], k;
  vec2 lo = {0, 0}, hi = {0, 0};
  ft_point o = pl->q[i];
  if (limit > MAX_STEPS_PER_EDGE) limit = MAX_STEPS_PER_EDGE;
  /* k = (i + off) mod N, stepped without a division (open: never wraps) */
  for (off = 1, k = i + 1 < N ? i + 1 : 0; off <= limit; off++, k = k + 1 < N ? k + 1 : 0) {
    vec2 v = {pl->q[k].x - o.x, pl->q[k].y - o.y};
    double r2 = v.x * v.x + v.y * v.y, d = pl->tl && pl->tl[k] < d0 ? pl->tl[k] : d0, d2 = d * d;
    dirs |= 1 << pl->dir[k];
    if (dirs == 15) break;
    if (r2 <= 1e-18 || !bounded || in_arc(lo, v, hi)) best = off;
    if (r2 > d2) {
      double c = sqrt(r2 - d2);
      vec2 l = {v.x * c + v.y * d, -v.x * d + v.y * c}, h = {v.x * c - v.y * d, v.x * d + v.y * c};
      if (!bounded) {
        lo = l;
        hi = h;
        bounded = 1;
      } else {
        /* intersect the arcs [lo, hi] and [l, h]: each end is the one of
         * the pair that lies inside the other arc; none means empty */
        if (in_arc(l, lo, h))
          ;
        else if (in_arc(lo, l, hi))
          lo = l;
        else
          break;
        if (in_arc(l, hi, h))
          ;
        else if (in_arc(lo, h, hi))
          hi = h;
        else
          break;
        if (cross2(lo, hi) < 0) break;
      }
    }
  }
  return best;
}

/* lon[i], computed on first use (0 = not yet): the greedy walks visit only
 * a fraction of the data points, and each scan costs the length of its
 * straight stretch. */
static int lon_at(const ft__poly *pl, int *lon, int i, double d) {
  if (!lon[i]) lon[i] = longest_straight(pl, i, d);
  return lon[i];
}

/* Stage 2 for a loop: greedy jumps from start s; returns the vertex count
 * and fills idx (when not NULL) with up to cap indices. */
static int greedy_loop(const ft__poly *pl, int *lon, double d, int s, int *idx, int cap) {
  const int N = pl->N;
  long pos = s, end = (long)s + N;
  int K = 0;
  while (pos < end) {
    if (idx && K < cap) idx[K] = (int)(pos % N);
    K++;
    pos += lon_at(pl, lon, (int)(pos % N), d);
  }
  return K;
}

/* Least-squares line through q[a..b] (indices taken mod N): centroid c and
 * unit direction u.  Points closer than skip px to q[a] or q[b] are left
 * out when at least three others remain. */
static void fit_line(const ft__poly *pl, int a, int b, double skip, ft_point *c, ft_point *u) {
  const int N = pl->N;
  int pass, k, cnt = 0, len = b - a;
  ft_point qa, qb;
  if (len < 0) len += N;
  qa = pl->q[a % N];
  qb = pl->q[b % N];
  for (pass = 0; pass < 2; pass++) {
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, mx, my;
    cnt = 0;
    for (k = 0; k <= len; k++) {
      ft_point p = pl->q[(a + k) % N];
      if (pass == 0 && (ft__len(p.x - qa.x, p.y - qa.y) < skip || ft__len(p.x - qb.x, p.y - qb.y) < skip))
        continue;
      sx += p.x;
      sy += p.y;
      sxx += p.x * p.x;
      syy += p.y * p.y;
      sxy += p.x * p.y;
      cnt++;
    }
    if (cnt < 3 && pass == 0) continue;
    mx = sx / cnt;
    my = sy / cnt;
    sxx = sxx / cnt - mx * mx;
    syy = syy / cnt - my * my;
    sxy = sxy / cnt - mx * my;
    c->x = mx;
    c->y = my;
    {
      /* principal axis of the 2x2 covariance */
      double th = 0.5 * atan2(2 * sxy, sxx - syy);
      u->x = cos(th);
      u->y = sin(th);
      /* exact axis directions, so that axis-aligned corners land on integers */
      if (fabs(u->x) < 1e-9) u->x = 0, u->y = u->y > 0 ? 1 : -1;
      if (fabs(u->y) < 1e-9) u->y = 0, u->x = u->x > 0 ? 1 : -1;
    }
    if (sxx + syy < 1e-12) { /* all points coincide: use the chord */
      double dx = qb.x - qa.x, dy = qb.y - qa.y, l = ft__len(dx, dy);
      u->x = l > 0 ? dx / l : 1;
      u->y = l > 0 ? dy / l : 0;
    }
    return;
  }
}

/* Stage 3: the crossing of two lines (c1,u1), (c2,u2); returns 0 when they
 * are (nearly) parallel. */
static int cross_lines(ft_point c1, ft_point u1, ft_point c2, ft_point u2, ft_point *x) {
  double den = u1.x * u2.y - u1.y * u2.x, t;
  if (fabs(den) < 1e-6) return 0;
  t = ((c2.x - c1.x) * u2.y - (c2.y - c1.y) * u2.x) / den;
  x->x = c1.x + t * u1.x;
  x->y = c1.y + t * u1.y;
  return 1;
}

static ft_point project(ft_point p, ft_point c, ft_point u) {
  double t = (p.x - c.x) * u.x + (p.y - c.y) * u.y;
  ft_point r = {c.x + t * u.x, c.y + t * u.y};
  return r;
}

ft_status ft__poly_build(const ft_point *v, int n, int closed, double d, double alphamax,
                         const ft__runinfo *ri, ft__poly *pl) {
  int N, i, K, *lon = NULL, *tmp = NULL;
  memset(pl, 0, sizeof *pl);
  if (n < 1) return FT_ERR_INTERNAL;
  N = closed ? n : n + 2;
  pl->N = N;
  pl->closed = closed;
  pl->q = ft__malloc_n((size_t)N, sizeof *pl->q);
  pl->dir = ft__malloc_n((size_t)N, 1);
  lon = ft__calloc_n((size_t)N, sizeof *lon);
  tmp = ft__malloc_n((size_t)N + 1, sizeof *tmp);
  if (!pl->q || !pl->dir || !lon || !tmp) goto nomem;
  if (ri && ri->tol) {
    pl->tl = ft__malloc_n((size_t)N, sizeof *pl->tl);
    if (!pl->tl) goto nomem;
  }
  if (ri && ri->pix) {
    pl->pix = ft__calloc_n((size_t)N, 1);
    if (!pl->pix) goto nomem;
  }

  /* data points: edge midpoints, moved along the outward normal (dy, -dx)
   * by the sub-pixel offsets (and the fixed ends of an open run) */
  for (i = 0; i < n; i++) {
    ft_point a = v[i], b = v[closed ? (i + 1) % n : i + 1];
    int k = closed ? i : i + 1;
    double o = ri && ri->off ? ri->off[i] : 0.0;
    pl->q[k].x = 0.5 * (a.x + b.x) + o * (b.y - a.y);
    pl->q[k].y = 0.5 * (a.y + b.y) - o * (b.x - a.x);
    pl->dir[k] = (unsigned char)step_dir(a, b);
    if (pl->tl) pl->tl[k] = ri->tol[i];
    if (pl->pix) pl->pix[k] = ri->pix[i];
  }
  if (!closed) {
    pl->q[0] = v[0];
    pl->dir[0] = pl->dir[1];
    pl->q[N - 1] = v[n];
    pl->dir[N - 1] = pl->dir[N - 2];
    if (pl->tl) {
      pl->tl[0] = pl->tl[1];
      pl->tl[N - 1] = pl->tl[N - 2];
    }
  }

  if (closed) {
    int best_s = 0, best_K, t, nt;
    best_K = greedy_loop(pl, lon, d, 0, tmp, N);
    nt = best_K < 16 ? best_K : 16;
    /* Stage 2: try starting at (and just before) the first polygon's vertices */
    {
      int cand[48], nc = 0;
      for (t = 0; t < nt; t++) {
        cand[nc++] = tmp[t];
        cand[nc++] = (tmp[t] + N - 1) % N;
        cand[nc++] = (tmp[t] + N - 2) % N;
      }
      for (t = 0; t < nc; t++) {
        int k2 = greedy_loop(pl, lon, d, cand[t], NULL, 0);
        if (k2 < best_K) {
          best_K = k2;
          best_s = cand[t];
        }
      }
    }
    K = best_K;
    pl->idx = ft__malloc_n((size_t)K, sizeof *pl->idx);
    if (!pl->idx) goto nomem;
    greedy_loop(pl, lon, d, best_s, pl->idx, K);
  } else {
    int pos = 0;
    K = 0;
    while (pos < N - 1) {
      tmp[K++] = pos;
      pos += lon_at(pl, lon, pos, d);
      if (pos > N - 1) pos = N - 1;
    }
    tmp[K++] = N - 1;
    pl->idx = ft__malloc_n((size_t)K, sizeof *pl->idx);
    if (!pl->idx) goto nomem;
    memcpy(pl->idx, tmp, (size_t)K * sizeof *tmp);
  }
  pl->K = K;
  pl->P = ft__malloc_n((size_t)K, sizeof *pl->P);
  pl->corner = ft__calloc_n((size_t)K, 1);
  if (!pl->P || !pl->corner) goto nomem;

  /* Stage 3: adjust vertices */
  {
    ft_point *lc = ft__malloc_n((size_t)K, sizeof *lc), *lu = ft__malloc_n((size_t)K, sizeof *lu);
    int nedge = closed ? K : K - 1;
    if (!lc || !lu) {
      free(lc);
      free(lu);
      goto nomem;
    }
    for (i = 0; i < nedge; i++) fit_line(pl, pl->idx[i], pl->idx[(i + 1) % K], 1.0, &lc[i], &lu[i]);
    for (i = 0; i < K; i++) {
      ft_point q0 = pl->q[pl->idx[i]], x;
      int ein = closed ? (i + K - 1) % K : i - 1, eout = i;
      pl->P[i] = q0;
      if (!closed && (i == 0 || i == K - 1)) continue;
      if (K < 3) continue;
      if (cross_lines(lc[ein], lu[ein], lc[eout], lu[eout], &x) &&
          ft__len(x.x - q0.x, x.y - q0.y) <= 1.5) {
        pl->P[i] = x;
      } else {
        ft_point a = project(q0, lc[ein], lu[ein]), b = project(q0, lc[eout], lu[eout]);
        pl->P[i].x = 0.5 * (a.x + b.x);
        pl->P[i].y = 0.5 * (a.y + b.y);
      }
    }
    free(lc);
    free(lu);
  }

  /* Stage 4: corners.  The fixed ends of an open run always are. */
  for (i = 0; i < K; i++) {
    ft_point a, b, p = pl->P[i];
    double h, l, alpha;
    if (!closed && (i == 0 || i == K - 1)) {
      pl->corner[i] = 1;
      continue;
    }
    if (K < 3) continue;
    a = pl->P[closed ? (i + K - 1) % K : i - 1];
    b = pl->P[closed ? (i + 1) % K : i + 1];
    a.x = 0.5 * (a.x + p.x);
    a.y = 0.5 * (a.y + p.y);
    b.x = 0.5 * (b.x + p.x);
    b.y = 0.5 * (b.y + p.y);
    l = ft__len(b.x - a.x, b.y - a.y);
    h = l > 1e-12 ? fabs((p.x - a.x) * (b.y - a.y) - (p.y - a.y) * (b.x - a.x)) / l
                  : ft__len(p.x - a.x, p.y - a.y);
    alpha = h > 1.0 ? 4.0 / 3.0 * (1.0 - 1.0 / h) : 0.0;
    pl->corner[i] = alpha >= alphamax;
  }
  free(lon);
  free(tmp);
  return FT_OK;
nomem:
  free(lon);
  free(tmp);
  ft__poly_free(pl);
  return FT_ERR_NOMEM;
}

ft_status ft__fit_polygon(const ft__poly *pl, ft__segbuf *out) {
  int i;
  ft_point z = {0, 0};
  out->start = pl->P[0];
  for (i = 1; i < pl->K; i++)
    if (ft__segbuf_push(out, FT_SEG_LINE, z, z, pl->P[i])) return FT_ERR_NOMEM;
  if (pl->closed && ft__segbuf_push(out, FT_SEG_LINE, z, z, pl->P[0])) return FT_ERR_NOMEM;
  return FT_OK;
}
