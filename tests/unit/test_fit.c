/* tests/unit/test_fit.c - the fit stage: polygons and curves from pixel outlines.
 *
 * Fixtures are rasterised in code (circle, ellipse, rectangle, rounded
 * rectangle, star, shapes with holes, two labels with a wavy border) and
 * outlined by a small crack follower below, which produces what ft_trace
 * promises: closed staircases with a vertex only at direction changes,
 * outlines clockwise on screen, holes counter-clockwise.  The fitted paths
 * are checked against the midpoints of the pixel edges (the staircase
 * midpoint polygon) by dense sampling in both directions.
 */
#include "config.h"

#include <math.h>

#include "core/internal.h"
#include "testutil.h"

/* ---- fixtures ---- */

typedef struct grid {
  int w, h;
  int *l; /* [h][w] */
} grid;

static grid grid_new(int w, int h) {
  grid g = {w, h, calloc((size_t)w * h, sizeof(int))};
  return g;
}

static int at(const grid *g, int x, int y) {
  return x < 0 || y < 0 || x >= g->w || y >= g->h ? 0 : g->l[y * g->w + x];
}

/* Directed boundary edges of label lab, interior on the right (y down), one
 * per pixel side; linked into loops at their shared corners. */
typedef struct dedge {
  int x0, y0, x1, y1, used;
} dedge;

static ft_paths *trace_grid(const grid *g) {
  ft_paths *ps = NULL;
  int lab, maxlab = 0, i;
  for (i = 0; i < g->w * g->h; i++)
    if (g->l[i] > maxlab) maxlab = g->l[i];
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(NULL, g->w, g->h, &ps), FT_OK);
  for (lab = 1; lab <= maxlab; lab++) {
    int cap = 4 * g->w * g->h + 4, n = 0, x, y, e, hole_pass;
    dedge *E = calloc((size_t)cap, sizeof *E);
    int first_path = ps->npaths;
    for (y = 0; y < g->h; y++)
      for (x = 0; x < g->w; x++) {
        if (at(g, x, y) != lab) continue;
        if (at(g, x, y - 1) != lab) E[n++] = (dedge){x, y, x + 1, y, 0};
        if (at(g, x + 1, y) != lab) E[n++] = (dedge){x + 1, y, x + 1, y + 1, 0};
        if (at(g, x, y + 1) != lab) E[n++] = (dedge){x + 1, y + 1, x, y + 1, 0};
        if (at(g, x - 1, y) != lab) E[n++] = (dedge){x, y + 1, x, y, 0};
      }
    /* outlines first, then holes, so that parents precede children */
    for (hole_pass = 0; hole_pass < 2; hole_pass++)
      for (e = 0; e < n; e++) {
        ft_point *pt;
        int np = 0, cur = e, k, idx, j;
        double area = 0;
        if (E[e].used) continue;
        pt = malloc(sizeof *pt * (size_t)(n + 1));
        /* walk without marking to learn the orientation */
        for (k = 0; k < 2; k++) {
          cur = e;
          np = 0;
          area = 0;
          do {
            int best = -1, c, bt = -9;
            if (k) E[cur].used = 1;
            pt[np++] = (ft_point){E[cur].x0, E[cur].y0};
            area += (double)E[cur].x0 * E[cur].y1 - (double)E[cur].x1 * E[cur].y0;
            /* next edge from this end: prefer a right turn (8-connected ink) */
            for (c = 0; c < n; c++) {
              int dx0, dy0, dx1, dy1, turn;
              if (E[c].x0 != E[cur].x1 || E[c].y0 != E[cur].y1 || (k && E[c].used && c != e))
                continue;
              dx0 = E[cur].x1 - E[cur].x0;
              dy0 = E[cur].y1 - E[cur].y0;
              dx1 = E[c].x1 - E[c].x0;
              dy1 = E[c].y1 - E[c].y0;
              turn = dx0 * dy1 - dy0 * dx1; /* +1 right turn on screen */
              if (turn > bt) {
                bt = turn;
                best = c;
              }
            }
            cur = best;
          } while (cur != e && cur >= 0);
          if (k == 0 && ((area < 0) != hole_pass)) break;
        }
        if (k == 0) { /* wrong pass for this loop */
          free(pt);
          continue;
        }
        /* vertices only at direction changes */
        {
          int s0 = -1;
          for (j = 0; j < np; j++) {
            ft_point a = pt[(j + np - 1) % np], b = pt[j], c = pt[(j + 1) % np];
            if ((b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x) != 0) {
              s0 = j;
              break;
            }
          }
          CU_ASSERT_FATAL(s0 >= 0);
          CU_ASSERT_EQUAL_FATAL(ft_paths_add(NULL, ps, pt[s0].x, pt[s0].y, &idx), FT_OK);
          ps->path[idx].closed = 1;
          ps->path[idx].label = lab;
          ps->path[idx].class_id = 2;
          ps->path[idx].hole = hole_pass;
          for (j = 1; j <= np; j++) {
            int q = (s0 + j) % np;
            ft_point a = pt[(q + np - 1) % np], b = pt[q], c = pt[(q + 1) % np];
            if (j == np || (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x) != 0)
              CU_ASSERT_EQUAL_FATAL(ft_path_line_to(NULL, &ps->path[idx], b.x, b.y), FT_OK);
          }
          if (hole_pass) { /* parent: the smallest outline of this label around the start */
            double best = 1e300;
            int o;
            ft_point t = {pt[s0].x + 0.013, pt[s0].y + 0.007};
            for (o = first_path; o < idx; o++) {
              const ft_path *op = &ps->path[o];
              int in = 0, s;
              ft_point a = op->start;
              if (op->hole) continue;
              for (s = 0; s < op->nseg; s++) {
                ft_point b = op->seg[s].c[2];
                if ((a.y > t.y) != (b.y > t.y) &&
                    t.x < a.x + (t.y - a.y) * (b.x - a.x) / (b.y - a.y))
                  in = !in;
                a = b;
              }
              if (in && fabs(ft_path_area(op)) < best) {
                best = fabs(ft_path_area(op));
                ps->path[idx].parent = o;
              }
            }
          }
        }
        free(pt);
      }
    free(E);
  }
  return ps;
}

/* ---- measures ---- */

static ft_point bez(ft_point p0, const ft_seg *s, double t) {
  ft_point r;
  double u = 1 - t;
  if (s->type == FT_SEG_LINE) {
    r.x = p0.x + t * (s->c[2].x - p0.x);
    r.y = p0.y + t * (s->c[2].y - p0.y);
    return r;
  }
  r.x = u * u * u * p0.x + 3 * u * u * t * s->c[0].x + 3 * u * t * t * s->c[1].x + t * t * t * s->c[2].x;
  r.y = u * u * u * p0.y + 3 * u * u * t * s->c[0].y + 3 * u * t * t * s->c[1].y + t * t * t * s->c[2].y;
  return r;
}

/* Dense samples of a path (64 per segment plus the ends). */
static ft_point *sample_path(const ft_path *p, int *n) {
  int per = 64, i, k, m = 0;
  ft_point *s = malloc(sizeof *s * (size_t)(p->nseg * per + 1)), cur = p->start;
  for (i = 0; i < p->nseg; i++) {
    for (k = 0; k < per; k++) s[m++] = bez(cur, &p->seg[i], (double)k / per);
    cur = p->seg[i].c[2];
  }
  s[m++] = cur;
  *n = m;
  return s;
}

/* Midpoints of the unit edges of a staircase path. */
static ft_point *midpoints(const ft_path *p, int *n) {
  int i, m = 0, cap = 16;
  ft_point *s = malloc(sizeof *s * (size_t)cap), cur = p->start;
  for (i = 0; i < p->nseg; i++) {
    ft_point e = p->seg[i].c[2];
    int len = (int)fabs(e.x - cur.x + e.y - cur.y), k;
    double ux = (e.x - cur.x) / len, uy = (e.y - cur.y) / len;
    for (k = 0; k < len; k++) {
      if (m == cap) s = realloc(s, sizeof *s * (size_t)(cap *= 2));
      s[m].x = cur.x + (k + 0.5) * ux;
      s[m].y = cur.y + (k + 0.5) * uy;
      m++;
    }
    cur = e;
  }
  *n = m;
  return s;
}

static double dist_to_polyline(ft_point p, const ft_point *l, int n, int closed) {
  double best = 1e300;
  int i;
  for (i = 0; i < n - 1 + closed; i++) {
    ft_point a = l[i], b = l[(i + 1) % n];
    double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy, t = 0, d;
    if (l2 > 0) t = fmax(0, fmin(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2));
    d = hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
    if (d < best) best = d;
  }
  return best;
}

/* Points (true corners cut off by the raster) near which the fitted path
 * may leave the midpoint polygon: within 3 px of one of them. */
static const double (*exempt)[2];
static int nexempt;

static int is_exempt(ft_point p) {
  int i;
  for (i = 0; i < nexempt; i++)
    if (hypot(p.x - exempt[i][0], p.y - exempt[i][1]) < 3) return 1;
  return 0;
}

/* Symmetric largest distance between a fitted path and the midpoint polygon
 * of the staircase it came from. */
static double deviation(const ft_path *fitted, const ft_path *stair) {
  int ns, nm, i;
  ft_point *s = sample_path(fitted, &ns), *m = midpoints(stair, &nm);
  double worst = 0;
  for (i = 0; i < ns; i++) {
    double d = is_exempt(s[i]) ? 0 : dist_to_polyline(s[i], m, nm, 1);
    if (d > worst) { worst = d; if (getenv("FT_DEBUG")) printf("\n   sample %d/%d (%g,%g) dev %g", i, ns, s[i].x, s[i].y, d); }
  }
  for (i = 0; i < nm; i++) {
    double d = dist_to_polyline(m[i], s, ns, 0);
    if (d > worst) { worst = d; if (getenv("FT_DEBUG")) printf("\n   mid (%g,%g) dev %g", m[i].x, m[i].y, d); }
  }
  free(s);
  free(m);
  return worst;
}

static void count(const ft_path *p, int *lines, int *cubics) {
  int i;
  *lines = *cubics = 0;
  for (i = 0; i < p->nseg; i++) {
    if (p->seg[i].type == FT_SEG_CUBIC)
      (*cubics)++;
    else
      (*lines)++;
  }
}

static ft_paths *fit_with(const ft_paths *in, int mode, double tol) {
  ft_fit_params p;
  ft_paths *out = NULL;
  ft_ctx *ctx = ft_ctx_new();
  ft_fit_params_init(&p);
  p.mode = mode;
  p.tolerance = tol;
  CU_ASSERT_EQUAL(ft_fit(ctx, in, &p, &out), FT_OK);
  ft_ctx_free(ctx);
  return out;
}

/* Every path closed at its start, orientation kept, within tol of its staircase. */
static void check_common(const ft_paths *in, const ft_paths *out, double tol) {
  int i;
  CU_ASSERT_EQUAL_FATAL(out->npaths, in->npaths);
  for (i = 0; i < out->npaths; i++) {
    const ft_path *o = &out->path[i], *s = &in->path[i];
    double dev;
    CU_ASSERT_FATAL(o->nseg > 0);
    CU_ASSERT_EQUAL(o->seg[o->nseg - 1].c[2].x, o->start.x);
    CU_ASSERT_EQUAL(o->seg[o->nseg - 1].c[2].y, o->start.y);
    CU_ASSERT_EQUAL(o->closed, 1);
    CU_ASSERT_EQUAL(o->hole, s->hole);
    CU_ASSERT_EQUAL(o->label, s->label);
    CU_ASSERT_EQUAL(o->parent, s->parent);
    CU_ASSERT((ft_path_area(o) > 0) == (ft_path_area(s) > 0));
    CU_ASSERT(fabs(ft_path_area(o) - ft_path_area(s)) <= 0.1 * fabs(ft_path_area(s)) + 2);
    dev = deviation(o, s);
    if (dev > tol + 0.02) printf("\n  path %d: deviation %.3f > tol %.3f\n", i, dev, tol);
    CU_ASSERT(dev <= tol + 0.02);
  }
}

/* ---- shapes ---- */

static grid disc(int w, int h, double cx, double cy, double rx, double ry, int lab) {
  grid g = grid_new(w, h);
  int x, y;
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      double dx = (x + 0.5 - cx) / rx, dy = (y + 0.5 - cy) / ry;
      if (dx * dx + dy * dy <= 1) g.l[y * w + x] = lab;
    }
  return g;
}

static void test_circle(void) {
  grid g = disc(60, 60, 30, 30, 20, 20, 1);
  ft_paths *in = trace_grid(&g), *out;
  int l, c;
  CU_ASSERT_EQUAL_FATAL(in->npaths, 1);
  out = fit_with(in, FT_FIT_CURVES, 0.6);
  check_common(in, out, 0.6);
  count(&out->path[0], &l, &c);
  if (getenv("FT_DEBUG")) {
    int s2;
    for (s2 = 0; s2 < out->path[0].nseg; s2++)
      printf("\n  %d -> (%g,%g)", out->path[0].seg[s2].type, out->path[0].seg[s2].c[2].x, out->path[0].seg[s2].c[2].y);
  }
  CU_ASSERT(c >= 4 && c <= 8);
  CU_ASSERT_EQUAL(l, 0);
  /* area close to the disc's */
  CU_ASSERT(fabs(ft_path_area(&out->path[0]) - M_PI * 400) < 15);
  ft_paths_free(out);
  /* polygon mode: straight segments only, far fewer than the staircase */
  out = fit_with(in, FT_FIT_POLYGON, 0.6);
  check_common(in, out, 0.6 + 0.5);
  count(&out->path[0], &l, &c);
  CU_ASSERT_EQUAL(c, 0);
  CU_ASSERT(l >= 8 && l < in->path[0].nseg / 2);
  ft_paths_free(out);
  ft_paths_free(in);
  free(g.l);
}

static void test_ellipse(void) {
  grid g = disc(120, 70, 60, 35, 50, 25, 1);
  ft_paths *in = trace_grid(&g), *out = fit_with(in, FT_FIT_CURVES, 0.6);
  int l, c;
  check_common(in, out, 0.6);
  count(&out->path[0], &l, &c);
  CU_ASSERT(c >= 4 && c <= 10);
  CU_ASSERT(l <= 2);
  ft_paths_free(out);
  ft_paths_free(in);
  free(g.l);
}

static void fill_rect(grid *g, int x0, int y0, int x1, int y1, int lab) {
  int x, y;
  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++) g->l[y * g->w + x] = lab;
}

static void test_rectangle(void) {
  grid g = grid_new(50, 40);
  ft_paths *in, *out;
  int l, c, i, found = 0;
  static const double corners[4][2] = {{5, 7}, {45, 7}, {45, 33}, {5, 33}};
  fill_rect(&g, 5, 7, 45, 33, 1);
  in = trace_grid(&g);
  out = fit_with(in, FT_FIT_CURVES, 0.6);
  check_common(in, out, 0.6);
  count(&out->path[0], &l, &c);
  CU_ASSERT_EQUAL(l, 4);
  CU_ASSERT_EQUAL(c, 0);
  for (i = 0; i < 4; i++) {
    int s;
    for (s = 0; s < out->path[0].nseg; s++) {
      ft_point e = out->path[0].seg[s].c[2];
      if (fabs(e.x - corners[i][0]) <= 0.5 && fabs(e.y - corners[i][1]) <= 0.5) found++;
    }
  }
  CU_ASSERT_EQUAL(found, 4);
  ft_paths_free(out);
  out = fit_with(in, FT_FIT_POLYGON, 0.6);
  count(&out->path[0], &l, &c);
  CU_ASSERT_EQUAL(l, 4);
  ft_paths_free(out);
  ft_paths_free(in);
  free(g.l);
}

static void test_rounded_rectangle(void) {
  grid g = grid_new(100, 70);
  ft_paths *in, *out;
  int x, y, l, c;
  double r = 12;
  for (y = 0; y < 70; y++)
    for (x = 0; x < 100; x++) {
      double px = x + 0.5, py = y + 0.5;
      double cx = fmin(fmax(px, 10 + r), 90 - r), cy = fmin(fmax(py, 10 + r), 60 - r);
      if (px >= 10 && px <= 90 && py >= 10 && py <= 60 && hypot(px - cx, py - cy) <= r)
        g.l[y * 100 + x] = 1;
    }
  in = trace_grid(&g);
  out = fit_with(in, FT_FIT_CURVES, 0.6);
  check_common(in, out, 0.6);
  count(&out->path[0], &l, &c);
  /* at most four sides and four arcs; a cubic may take a side with an arc */
  CU_ASSERT(c >= 4);
  CU_ASSERT(l + c <= 8);
  ft_paths_free(out);
  ft_paths_free(in);
  free(g.l);
}

/* inside test for a star polygon with 5 tips */
static int in_poly(double x, double y, const double (*v)[2], int n) {
  int i, j, in = 0;
  for (i = 0, j = n - 1; i < n; j = i++)
    if ((v[i][1] > y) != (v[j][1] > y) &&
        x < v[j][0] + (y - v[j][1]) * (v[i][0] - v[j][0]) / (v[i][1] - v[j][1]))
      in = !in;
  return in;
}

static void test_star(void) {
  grid g = grid_new(100, 100);
  double v[10][2];
  int i, x, y, tips_found = 0, pass;
  ft_paths *in, *out;
  for (i = 0; i < 10; i++) {
    double a = -M_PI / 2 + i * M_PI / 5, r = i % 2 ? 18 : 45;
    v[i][0] = 50 + r * cos(a);
    v[i][1] = 52 + r * sin(a);
  }
  for (y = 0; y < 100; y++)
    for (x = 0; x < 100; x++)
      if (in_poly(x + 0.5, y + 0.5, (const double(*)[2])v, 10)) g.l[y * 100 + x] = 1;
  in = trace_grid(&g);
  for (pass = 0; pass < 2; pass++) {
    /* pass 0: uniform tolerance; pass 1: the default width-scaled one,
     * which holds the last pixels of each tip tighter (more pieces there) */
    ft_fit_params p;
    ft_fit_params_init(&p);
    p.tolerance = 0.6;
    if (pass == 0) p.thin = 0;
    CU_ASSERT_EQUAL_FATAL(ft_fit(NULL, in, &p, &out), FT_OK);
    exempt = (const double(*)[2])v;
    nexempt = 10;
    check_common(in, out, 0.6);
    nexempt = 0;
    /* every tip is a segment end within 2 px of the true tip (the raster
     * itself cuts a 36-degree tip short by about a pixel) */
    tips_found = 0;
    for (i = 0; i < 10; i += 2) {
      int s, hit = 0;
      for (s = 0; s < out->path[0].nseg; s++) {
        ft_point e = out->path[0].seg[s].c[2];
        if (hypot(e.x - v[i][0], e.y - v[i][1]) <= 2.0) hit = 1;
      }
      tips_found += hit;
    }
    CU_ASSERT_EQUAL(tips_found, 5);
    if (getenv("FT_DEBUG")) printf("\n  star pass %d: %d segments", pass, out->path[0].nseg);
    CU_ASSERT(out->path[0].nseg >= 10 && out->path[0].nseg <= (pass == 0 ? 14 : 25));
    ft_paths_free(out);
  }
  ft_paths_free(in);
  free(g.l);
}

static void test_holes(void) {
  /* a ring (disc with a disc hole) and a square with a square hole */
  grid g = disc(140, 70, 35, 35, 30, 30, 1);
  grid h = disc(140, 70, 35, 35, 15, 15, 1);
  ft_paths *in, *out;
  int i, holes = 0;
  for (i = 0; i < 140 * 70; i++)
    if (h.l[i]) g.l[i] = 0;
  fill_rect(&g, 80, 10, 130, 60, 1);
  fill_rect(&g, 95, 25, 115, 45, 0);
  in = trace_grid(&g);
  CU_ASSERT_EQUAL_FATAL(in->npaths, 4);
  out = fit_with(in, FT_FIT_CURVES, 0.6);
  check_common(in, out, 0.6);
  for (i = 0; i < out->npaths; i++)
    if (out->path[i].hole) {
      holes++;
      CU_ASSERT(ft_path_area(&out->path[i]) < 0);
      CU_ASSERT(out->path[i].parent >= 0 && out->path[i].parent < i);
    } else {
      CU_ASSERT(ft_path_area(&out->path[i]) > 0);
    }
  CU_ASSERT_EQUAL(holes, 2);
  ft_paths_free(out);
  ft_paths_free(in);
  free(g.l);
  free(h.l);
}

static void test_min_area(void) {
  /* a big square with a 2x2 hole, a 1-pixel speck inside a ring's hole,
   * and a small square (area 9) whose hole (area 1) must go with it */
  grid g = grid_new(60, 40);
  ft_paths *in, *out;
  ft_fit_params p;
  int i;
  fill_rect(&g, 2, 2, 30, 30, 1);
  fill_rect(&g, 10, 10, 12, 12, 0);
  fill_rect(&g, 40, 5, 43, 8, 1);
  fill_rect(&g, 41, 6, 42, 7, 0);
  in = trace_grid(&g);
  CU_ASSERT_EQUAL_FATAL(in->npaths, 4);
  ft_fit_params_init(&p);
  p.min_area = 5;
  CU_ASSERT_EQUAL_FATAL(ft_fit(NULL, in, &p, &out), FT_OK);
  /* kept: the big square; dropped: its 4-pixel hole, the 8-pixel square
   * (area 9 - 1 is measured per path: 9 >= 5 kept) and its 1-pixel hole */
  for (i = 0; i < out->npaths; i++) {
    CU_ASSERT(fabs(ft_path_area(&out->path[i])) >= 5);
    CU_ASSERT(out->path[i].parent < i);
    if (out->path[i].parent >= 0) CU_ASSERT(!out->path[out->path[i].parent].hole);
  }
  CU_ASSERT_EQUAL(out->npaths, 2);
  ft_paths_free(out);
  /* a parent below min_area takes its children along */
  p.min_area = 20;
  CU_ASSERT_EQUAL_FATAL(ft_fit(NULL, in, &p, &out), FT_OK);
  CU_ASSERT_EQUAL(out->npaths, 1);
  CU_ASSERT_EQUAL(out->path[0].parent, -1);
  ft_paths_free(out);
  /* FT_FIT_NONE with min_area keeps exact outlines of the survivors */
  p.mode = FT_FIT_NONE;
  p.min_area = 2;
  CU_ASSERT_EQUAL_FATAL(ft_fit(NULL, in, &p, &out), FT_OK);
  CU_ASSERT_EQUAL(out->npaths, 3);
  for (i = 0; i < out->npaths; i++) CU_ASSERT_EQUAL(out->path[i].parent, i == 2 ? 0 : -1);
  ft_paths_free(out);
  ft_paths_free(in);
  free(g.l);
}

static int same_point(ft_point a, ft_point b) { return a.x == b.x && a.y == b.y; }

/* Every segment of path 0 off the frame of the 4..76 x 4..56 fixtures has a
 * bitwise reversed twin in path 1. */
static void check_twins(const ft_paths *out) {
  int s, t, matched = 0, interior = 0;
  {
    const ft_path *a = &out->path[0], *b = &out->path[1];
    ft_point pa = a->start;
    for (s = 0; s < a->nseg; s++) {
      const ft_seg *sa = &a->seg[s];
      /* (within half a pixel: sub-pixel edges may move the frame's ends) */
      int on_frame = (fabs(pa.y - 4) < 0.5 && fabs(sa->c[2].y - 4) < 0.5) ||
                     (fabs(pa.y - 56) < 0.5 && fabs(sa->c[2].y - 56) < 0.5) ||
                     (fabs(pa.x - 4) < 0.5 && fabs(sa->c[2].x - 4) < 0.5);
      ft_point pb = b->start;
      int twin = 0;
      for (t = 0; t < b->nseg; t++) {
        const ft_seg *sb = &b->seg[t];
        if (sb->type == sa->type && same_point(pb, sa->c[2]) && same_point(sb->c[2], pa) &&
            (sa->type == FT_SEG_LINE ||
             (same_point(sb->c[0], sa->c[1]) && same_point(sb->c[1], sa->c[0]))))
          twin = 1;
        pb = sb->c[2];
      }
      if (!on_frame) {
        interior++;
        if (!twin) printf("\n  no twin: %d (%g,%g)->(%g,%g)", sa->type, pa.x, pa.y, sa->c[2].x, sa->c[2].y);
        CU_ASSERT(twin);
      }
      matched += twin;
      pa = sa->c[2];
    }
  }
  CU_ASSERT(interior >= 2);
  CU_ASSERT(matched == interior);
}

static void test_shared_border(void) {
  /* labels 1 and 2 side by side with a wavy border, inside background */
  grid g = grid_new(80, 60);
  ft_paths *in, *out;
  int x, y;
  for (y = 4; y < 56; y++)
    for (x = 4; x < 76; x++) g.l[y * 80 + x] = x + 0.5 < 40 + 6 * sin(y / 6.0) ? 1 : 2;
  in = trace_grid(&g);
  CU_ASSERT_EQUAL_FATAL(in->npaths, 2);
  out = fit_with(in, FT_FIT_CURVES, 0.6);
  check_common(in, out, 0.6);
  check_twins(out);
  ft_paths_free(out);
  /* polygon mode shares too */
  out = fit_with(in, FT_FIT_POLYGON, 0.6);
  check_common(in, out, 1.1);
  ft_paths_free(out);
  ft_paths_free(in);
  free(g.l);
}

static void test_shared_island(void) {
  /* a disc of label 2 inside a square of label 1: the hole of 1 and the
   * outline of 2 are one loop, fitted once */
  grid g = disc(60, 60, 30, 30, 15, 15, 2);
  ft_paths *in, *out;
  int y, x, s;
  for (y = 5; y < 55; y++)
    for (x = 5; x < 55; x++)
      if (!g.l[y * 60 + x]) g.l[y * 60 + x] = 1;
  in = trace_grid(&g);
  CU_ASSERT_EQUAL_FATAL(in->npaths, 3); /* outline 1, hole of 1, outline 2 */
  out = fit_with(in, FT_FIT_CURVES, 0.6);
  check_common(in, out, 0.6);
  {
    const ft_path *h = &out->path[1], *o = &out->path[2];
    CU_ASSERT_EQUAL_FATAL(h->nseg, o->nseg);
    CU_ASSERT(same_point(h->start, o->start));
    for (s = 0; s < h->nseg; s++) {
      const ft_seg *a = &h->seg[s], *b = &o->seg[o->nseg - 1 - s];
      ft_point bstart = o->nseg - 2 - s >= 0 ? o->seg[o->nseg - 2 - s].c[2] : o->start;
      CU_ASSERT(same_point(a->c[2], bstart));
      CU_ASSERT(same_point(a->c[0], b->c[1]) && same_point(a->c[1], b->c[0]));
    }
  }
  ft_paths_free(out);
  ft_paths_free(in);
  free(g.l);
}

/* A segment drawn along the frame of a w x h map (both ends on one side). */
static int on_frame(ft_point a, ft_point b, int w, int h) {
  return (a.x == 0 && b.x == 0) || (a.y == 0 && b.y == 0) || (a.x == w && b.x == w) ||
         (a.y == h && b.y == h);
}

static void test_shared_with_trace(void) {
  /* three labels filling the map, meeting at T-junctions, traced by
   * ft_trace: every segment off the frame has a bitwise reversed twin */
  ft_labels *lab = NULL;
  ft_paths *tr = NULL, *out = NULL;
  int w = 90, h = 70, x, y, i, j, s, t, interior = 0, twins = 0;
  CU_ASSERT_EQUAL_FATAL(ft_labels_new(NULL, w, h, 4, &lab), FT_OK);
  for (i = 1; i < 4; i++) lab->info[i].class_id = FT_CLASS_REGION;
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      double bx = 45 + 7 * sin(y / 7.0), by = 35 + 5 * cos(x / 9.0);
      lab->label[y * w + x] = x + 0.5 < bx ? 1 : (y + 0.5 < by ? 2 : 3);
    }
  /* an island of label 1 inside label 3 */
  for (y = 50; y < 62; y++)
    for (x = 65; x < 80; x++)
      if (hypot(x + 0.5 - 72, y + 0.5 - 56) < 5.5) lab->label[y * w + x] = 1;
  CU_ASSERT_EQUAL_FATAL(ft_trace(NULL, lab, NULL, &tr), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_fit(NULL, tr, NULL, &out), FT_OK);
  CU_ASSERT_EQUAL_FATAL(out->npaths, tr->npaths);
  check_common(tr, out, 0.8);
  for (i = 0; i < out->npaths; i++) {
    const ft_path *a = &out->path[i];
    ft_point pa = a->start;
    for (s = 0; s < a->nseg; s++) {
      const ft_seg *sa = &a->seg[s];
      int twin = 0;
      if (!on_frame(pa, sa->c[2], w, h)) {
        interior++;
        for (j = 0; j < out->npaths && !twin; j++) {
          const ft_path *b = &out->path[j];
          ft_point pb = b->start;
          if (j == i) continue;
          for (t = 0; t < b->nseg && !twin; t++) {
            const ft_seg *sb = &b->seg[t];
            if (sb->type == sa->type && same_point(pb, sa->c[2]) && same_point(sb->c[2], pa) &&
                (sa->type == FT_SEG_LINE ||
                 (same_point(sb->c[0], sa->c[1]) && same_point(sb->c[1], sa->c[0]))))
              twin = 1;
            pb = sb->c[2];
          }
        }
        twins += twin;
      }
      pa = sa->c[2];
    }
  }
  CU_ASSERT(interior >= 6);
  CU_ASSERT_EQUAL(twins, interior);
  ft_paths_free(out);
  ft_paths_free(tr);
  ft_labels_free(lab);
}

/* Segments off the frame, and how many of them have a reversed twin in another path. */
static void count_twins(const ft_paths *out, int w, int h, int *interior, int *twins) {
  int i, j, s, t;
  *interior = *twins = 0;
  for (i = 0; i < out->npaths; i++) {
    const ft_path *a = &out->path[i];
    ft_point pa = a->start;
    for (s = 0; s < a->nseg; s++) {
      const ft_seg *sa = &a->seg[s];
      int twin = 0;
      if (!on_frame(pa, sa->c[2], w, h)) {
        (*interior)++;
        for (j = 0; j < out->npaths && !twin; j++) {
          const ft_path *b = &out->path[j];
          ft_point pb = b->start;
          if (j == i) continue;
          for (t = 0; t < b->nseg && !twin; t++) {
            const ft_seg *sb = &b->seg[t];
            if (sb->type == sa->type && same_point(pb, sa->c[2]) && same_point(sb->c[2], pa) &&
                (sa->type == FT_SEG_LINE ||
                 (same_point(sb->c[0], sa->c[1]) && same_point(sb->c[1], sa->c[0]))))
              twin = 1;
            pb = sb->c[2];
          }
        }
        *twins += twin;
        if (!twin && getenv("FT_DEBUG")) printf("\n   path %d seg %d type %d (%g,%g)->(%g,%g)", i, s, sa->type, pa.x, pa.y, sa->c[2].x, sa->c[2].y);
      }
      pa = sa->c[2];
    }
  }
}

static void test_random_maps(void) {
  /* blobby random maps of four labels covering everything, with pinches
   * and junctions of every kind: fitting succeeds in every mode, loops
   * close, and every border segment is shared bitwise */
  unsigned seed = 12345;
  int round, mode;
  for (round = 0; round < 6; round++) {
    int w = 48, h = 36, x, y, i, k, interior, twins;
    ft_labels *lab = NULL;
    ft_paths *tr = NULL, *out = NULL;
    int *tmp = malloc(sizeof(int) * (size_t)(w * h));
    CU_ASSERT_EQUAL_FATAL(ft_labels_new(NULL, w, h, 5, &lab), FT_OK);
    for (i = 1; i < 5; i++) lab->info[i].class_id = FT_CLASS_REGION;
    for (i = 0; i < w * h; i++) {
      seed = seed * 1103515245u + 12345u;
      lab->label[i] = 1 + (int)((seed >> 16) % 4);
    }
    /* a few majority-vote passes make blobs; fewer passes leave more noise */
    for (k = 0; k < round; k++) {
      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++) {
          int votes[5] = {0}, dx, dy, best = lab->label[y * w + x];
          for (dy = -1; dy <= 1; dy++)
            for (dx = -1; dx <= 1; dx++) {
              int xx = x + dx, yy = y + dy;
              if (xx >= 0 && yy >= 0 && xx < w && yy < h) votes[lab->label[yy * w + xx]]++;
            }
          for (i = 1; i < 5; i++)
            if (votes[i] > votes[best]) best = i;
          tmp[y * w + x] = best;
        }
      memcpy(lab->label, tmp, sizeof(int) * (size_t)(w * h));
    }
    CU_ASSERT_EQUAL_FATAL(ft_trace(NULL, lab, NULL, &tr), FT_OK);
    for (mode = FT_FIT_POLYGON; mode <= FT_FIT_CURVES; mode++) {
      ft_fit_params p;
      ft_fit_params_init(&p);
      p.mode = mode;
      CU_ASSERT_EQUAL_FATAL(ft_fit(NULL, tr, &p, &out), FT_OK);
      CU_ASSERT_EQUAL(out->npaths, tr->npaths);
      for (i = 0; i < out->npaths; i++) {
        const ft_path *o = &out->path[i];
        CU_ASSERT(o->nseg > 0 && same_point(o->seg[o->nseg - 1].c[2], o->start));
      }
      count_twins(out, w, h, &interior, &twins);
      if (getenv("FT_DEBUG")) printf("\n round %d mode %d: %d paths, interior %d twins %d", round, mode, out->npaths, interior, twins);
      CU_ASSERT(interior > 0);
      CU_ASSERT_EQUAL(twins, interior);
      ft_paths_free(out);
    }
    ft_paths_free(tr);
    ft_labels_free(lab);
    free(tmp);
  }
}

static void test_degenerate(void) {
  /* 1-pixel square, 2-pixel line, 1-pixel hole, long 1-pixel line,
   * collinear steps (a 3x1 bar) */
  grid g = grid_new(60, 30);
  ft_paths *in, *out;
  int i, mode;
  g.l[2 * 60 + 2] = 1;
  g.l[5 * 60 + 2] = g.l[5 * 60 + 3] = 1;
  fill_rect(&g, 10, 2, 15, 7, 1);
  g.l[4 * 60 + 12] = 0;
  fill_rect(&g, 2, 12, 55, 13, 1);
  fill_rect(&g, 20, 2, 23, 3, 1);
  in = trace_grid(&g);
  CU_ASSERT_EQUAL_FATAL(in->npaths, 6);
  for (mode = FT_FIT_NONE; mode <= FT_FIT_CURVES; mode++) {
    out = fit_with(in, mode, 0.6);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    check_common(in, out, mode == FT_FIT_POLYGON ? 1.1 : 0.6);
    for (i = 0; i < out->npaths; i++) {
      /* tiny loops stay exact */
      if (fabs(ft_path_area(&in->path[i])) <= 3) {
        CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&out->path[i]), ft_path_area(&in->path[i]), 1e-9);
        CU_ASSERT_EQUAL(out->path[i].nseg, 4);
      }
    }
    ft_paths_free(out);
  }
  ft_paths_free(in);
  free(g.l);
}

static void test_params_and_passthrough(void) {
  ft_fit_params p;
  ft_paths *in = NULL, *out = (ft_paths *)1;
  ft_ctx *ctx = ft_ctx_new();
  int idx;
  ft_fit_params_init(&p);
  CU_ASSERT_EQUAL(p.mode, FT_FIT_CURVES);
  CU_ASSERT_DOUBLE_EQUAL(p.tolerance, 0.8, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(p.alphamax, 1.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(p.min_area, 0.0, 1e-12);
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(ctx, 10, 10, &in), FT_OK);
  p.tolerance = 0;
  CU_ASSERT_EQUAL(ft_fit(ctx, in, &p, &out), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(out);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "fit: tolerance 0 out of range (0, 1000]");
  ft_fit_params_init(&p);
  p.mode = 7;
  CU_ASSERT_EQUAL(ft_fit(ctx, in, &p, &out), FT_ERR_INVAL);
  /* a path that is not a staircase (a diagonal and a cubic) is copied */
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(ctx, in, 1, 1, &idx), FT_OK);
  in->path[idx].closed = 1;
  CU_ASSERT_EQUAL(ft_path_line_to(ctx, &in->path[idx], 5, 3), FT_OK);
  CU_ASSERT_EQUAL(ft_path_cubic_to(ctx, &in->path[idx], 4, 6, 2, 6, 1, 1), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_fit(ctx, in, NULL, &out), FT_OK);
  CU_ASSERT_EQUAL(out->npaths, 1);
  CU_ASSERT_EQUAL(out->path[0].nseg, 2);
  CU_ASSERT_EQUAL(memcmp(out->path[0].seg, in->path[0].seg, 2 * sizeof(ft_seg)), 0);
  ft_paths_free(out);
  ft_paths_free(in);
  ft_ctx_free(ctx);
}

static void test_big_circle_few_segments(void) {
  /* a large disc: one cubic per quarter, not more */
  grid g = disc(420, 420, 210, 210, 200, 200, 1);
  ft_paths *in = trace_grid(&g), *out = fit_with(in, FT_FIT_CURVES, 0.6);
  int l, c;
  check_common(in, out, 0.6);
  count(&out->path[0], &l, &c);
  if (getenv("FT_DEBUG")) printf("\n  big circle: %d cubics, %d lines", c, l);
  CU_ASSERT(c >= 4 && c <= 6);
  ft_paths_free(out);
  ft_paths_free(in);
  free(g.l);
}

/* ---- open strokes and stroke loops (stroke.c) ---- */

/* A path of class FT_CLASS_STROKE through pts[0..n-1] (closed: back to pts[0]). */
static ft_paths *polyline(const ft_point *pts, int n, int closed) {
  ft_paths *ps = NULL;
  int idx, i;
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(NULL, 100, 100, &ps), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(NULL, ps, pts[0].x, pts[0].y, &idx), FT_OK);
  ps->path[idx].closed = closed;
  ps->path[idx].label = 3;
  ps->path[idx].class_id = FT_CLASS_STROKE;
  ps->path[idx].stroke_width = 10;
  for (i = 1; i < n; i++)
    CU_ASSERT_EQUAL_FATAL(ft_path_line_to(NULL, &ps->path[idx], pts[i].x, pts[i].y), FT_OK);
  if (closed) CU_ASSERT_EQUAL_FATAL(ft_path_line_to(NULL, &ps->path[idx], pts[0].x, pts[0].y), FT_OK);
  return ps;
}

static double pt_seg_dist(ft_point p, ft_point a, ft_point b) {
  double abx = b.x - a.x, aby = b.y - a.y, l2 = abx * abx + aby * aby;
  double t = l2 > 0 ? ((p.x - a.x) * abx + (p.y - a.y) * aby) / l2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return hypot(p.x - a.x - t * abx, p.y - a.y - t * aby);
}

/* The path flattened: 64 points per cubic, its ends for lines; *n points. */
static ft_point *flatten(const ft_path *p, int *n) {
  ft_point *f = malloc(((size_t)p->nseg * 64 + 1) * sizeof *f), cur = p->start;
  int i, k, m = 0;
  f[m++] = cur;
  for (i = 0; i < p->nseg; i++) {
    const ft_seg *s = &p->seg[i];
    if (s->type == FT_SEG_CUBIC) {
      for (k = 1; k <= 64; k++) {
        double t = k / 64.0, u = 1 - t;
        f[m].x = u * u * u * cur.x + 3 * u * u * t * s->c[0].x + 3 * u * t * t * s->c[1].x + t * t * t * s->c[2].x;
        f[m].y = u * u * u * cur.y + 3 * u * u * t * s->c[0].y + 3 * u * t * t * s->c[1].y + t * t * t * s->c[2].y;
        m++;
      }
    } else {
      f[m++] = s->c[2];
    }
    cur = s->c[2];
  }
  *n = m;
  return f;
}

/* Largest distance between the fitted path and the polyline a[0..na-1], both ways. */
static double poly_deviation(const ft_path *fit, const ft_point *a, int na) {
  int nf, i, j;
  ft_point *f = flatten(fit, &nf);
  double worst = 0;
  for (i = 0; i < nf; i++) {
    double best = HUGE_VAL;
    for (j = 0; j + 1 < na; j++) best = fmin(best, pt_seg_dist(f[i], a[j], a[j + 1]));
    if (na == 1) best = hypot(f[i].x - a[0].x, f[i].y - a[0].y);
    worst = fmax(worst, best);
  }
  for (j = 0; j < na; j++) {
    double best = HUGE_VAL;
    for (i = 0; i + 1 < nf; i++) best = fmin(best, pt_seg_dist(a[j], f[i], f[i + 1]));
    if (nf == 1) best = hypot(f[0].x - a[j].x, f[0].y - a[j].y);
    worst = fmax(worst, best);
  }
  free(f);
  return worst;
}

/* Fit pts as a stroke; check what is kept; return the result. */
static ft_paths *fit_stroke(const ft_point *pts, int n, int closed, int mode, double tol) {
  ft_paths *in = polyline(pts, n, closed), *out = fit_with(in, mode, tol);
  const ft_path *o;
  ft_point last = in->path[0].seg[in->path[0].nseg - 1].c[2];
  CU_ASSERT_PTR_NOT_NULL_FATAL(out);
  CU_ASSERT_EQUAL_FATAL(out->npaths, 1);
  o = &out->path[0];
  CU_ASSERT_FATAL(o->nseg > 0);
  CU_ASSERT_EQUAL(o->closed, closed);
  CU_ASSERT_EQUAL(o->label, 3);
  CU_ASSERT_EQUAL(o->class_id, FT_CLASS_STROKE);
  CU_ASSERT_EQUAL(o->parent, -1);
  CU_ASSERT_DOUBLE_EQUAL(o->stroke_width, 10, 1e-12);
  if (closed) {
    CU_ASSERT_EQUAL(o->seg[o->nseg - 1].c[2].x, o->start.x);
    CU_ASSERT_EQUAL(o->seg[o->nseg - 1].c[2].y, o->start.y);
  } else {
    CU_ASSERT_EQUAL(o->start.x, pts[0].x);
    CU_ASSERT_EQUAL(o->start.y, pts[0].y);
    CU_ASSERT_EQUAL(o->seg[o->nseg - 1].c[2].x, last.x);
    CU_ASSERT_EQUAL(o->seg[o->nseg - 1].c[2].y, last.y);
  }
  if (mode != FT_FIT_NONE) {
    ft_point *a = malloc(((size_t)n + 1) * sizeof *a);
    double dev;
    memcpy(a, pts, (size_t)n * sizeof *a);
    a[n] = pts[0];
    dev = poly_deviation(o, a, closed ? n + 1 : n);
    CU_ASSERT(dev <= tol + 0.02);
    free(a);
  }
  ft_paths_free(in);
  return out;
}

static void test_stroke_arc(void) {
  ft_point pts[121];
  ft_paths *out;
  int i, l, c;
  for (i = 0; i <= 120; i++) {
    double a = 2.4 * i / 120; /* about 137 degrees of a radius-30 circle */
    pts[i].x = 50 + 30 * cos(a);
    pts[i].y = 50 + 30 * sin(a);
  }
  out = fit_stroke(pts, 121, 0, FT_FIT_CURVES, 0.5);
  count(&out->path[0], &l, &c);
  CU_ASSERT(l == 0 && c >= 1 && c <= 3);
  ft_paths_free(out);
  out = fit_stroke(pts, 121, 0, FT_FIT_CURVES, 0.05);
  count(&out->path[0], &l, &c);
  CU_ASSERT(c >= 2 && c <= 8);
  ft_paths_free(out);
  /* polygon: lines only, within tolerance, far fewer than the input */
  out = fit_stroke(pts, 121, 0, FT_FIT_POLYGON, 0.5);
  count(&out->path[0], &l, &c);
  CU_ASSERT(c == 0 && l >= 4 && l <= 16);
  ft_paths_free(out);
  /* none: unchanged */
  out = fit_stroke(pts, 121, 0, FT_FIT_NONE, 0.5);
  CU_ASSERT_EQUAL(out->path[0].nseg, 120);
  CU_ASSERT_EQUAL(out->path[0].seg[57].c[2].x, pts[58].x);
  CU_ASSERT_EQUAL(out->path[0].seg[57].c[2].y, pts[58].y);
  ft_paths_free(out);
}

static void test_stroke_arc_joins_smooth(void) {
  /* an S of two half circles fitted tightly: cubics meet with one tangent */
  ft_point pts[201];
  ft_paths *out;
  const ft_path *o;
  int i, smooth = 0, joins = 0;
  for (i = 0; i <= 200; i++) {
    double a = M_PI * (i < 100 ? i : i - 100) / 100.0;
    if (i < 100) {
      pts[i].x = 30 - 15 * cos(a);
      pts[i].y = 50 - 15 * sin(a);
    } else {
      pts[i].x = 60 - 15 * cos(a);
      pts[i].y = 50 + 15 * sin(a);
    }
  }
  out = fit_stroke(pts, 201, 0, FT_FIT_CURVES, 0.1);
  o = &out->path[0];
  for (i = 0; i + 1 < o->nseg; i++) {
    const ft_seg *s = &o->seg[i], *t = &o->seg[i + 1];
    double ax, ay, bx, by, cr;
    if (s->type != FT_SEG_CUBIC || t->type != FT_SEG_CUBIC) continue;
    joins++;
    ax = s->c[2].x - s->c[1].x;
    ay = s->c[2].y - s->c[1].y;
    bx = t->c[0].x - s->c[2].x;
    by = t->c[0].y - s->c[2].y;
    cr = (ax * by - ay * bx) / (hypot(ax, ay) * hypot(bx, by));
    if (fabs(cr) < 1e-9 && ax * bx + ay * by > 0) smooth++;
  }
  CU_ASSERT(joins >= 2);
  CU_ASSERT_EQUAL(smooth, joins);
  ft_paths_free(out);
}

static void test_stroke_coarse_arc(void) {
  /* a half circle of radius 100 given by 13 vertices (chords 25 px deep
   * 0.78 px, as the tracer simplifies a stroke 20 px wide): the curve
   * passes each vertex within tolerance and may bow from the chords like
   * the circle does; two to four cubics, not 12 */
  ft_point pts[13];
  ft_paths *in, *out;
  const ft_path *o;
  ft_point *f;
  int i, j, nf, l, c;
  double worst = 0;
  for (i = 0; i < 13; i++) {
    double a = M_PI * i / 12;
    pts[i].x = 150 + 100 * cos(a);
    pts[i].y = 150 - 100 * sin(a);
  }
  in = polyline(pts, 13, 0);
  in->path[0].stroke_width = 20;
  out = fit_with(in, FT_FIT_CURVES, 0.5);
  CU_ASSERT_PTR_NOT_NULL_FATAL(out);
  o = &out->path[0];
  count(o, &l, &c);
  CU_ASSERT(l == 0 && c >= 2 && c <= 4);
  f = flatten(o, &nf);
  for (j = 0; j < 13; j++) {
    double best = HUGE_VAL;
    for (i = 0; i + 1 < nf; i++) best = fmin(best, pt_seg_dist(pts[j], f[i], f[i + 1]));
    worst = fmax(worst, best);
  }
  CU_ASSERT(worst <= 0.5);
  for (i = 0; i < nf; i++) /* and it stays near the circle the chords approximate */
    CU_ASSERT(fabs(hypot(f[i].x - 150, f[i].y - 150) - 100) <= 1.0);
  free(f);
  ft_paths_free(out);
  ft_paths_free(in);
}

/* A thin stroke is held to a tenth of its width: the same arc fitted at
 * tolerance 0.8 stays within 0.8 px when it is 10 px wide, within 0.3 px
 * (and takes more cubics) when it is 3 px wide. */
static void test_stroke_thin(void) {
  ft_point pts[121];
  ft_paths *in, *out;
  int i, l, c, c10;
  for (i = 0; i <= 120; i++) {
    double a = 2.4 * i / 120;
    pts[i].x = 50 + 30 * cos(a) + (i % 2 ? 0.15 : -0.15); /* some jitter */
    pts[i].y = 50 + 30 * sin(a);
  }
  in = polyline(pts, 121, 0);
  out = fit_with(in, FT_FIT_CURVES, 0.8);
  CU_ASSERT_PTR_NOT_NULL_FATAL(out);
  count(&out->path[0], &l, &c10);
  CU_ASSERT(poly_deviation(&out->path[0], pts, 121) <= 0.8 + 0.02);
  ft_paths_free(out);
  in->path[0].stroke_width = 3;
  out = fit_with(in, FT_FIT_CURVES, 0.8);
  CU_ASSERT_PTR_NOT_NULL_FATAL(out);
  count(&out->path[0], &l, &c);
  CU_ASSERT(poly_deviation(&out->path[0], pts, 121) <= 0.3 + 0.02);
  CU_ASSERT(c + l > c10);
  CU_ASSERT_DOUBLE_EQUAL(out->path[0].stroke_width, 3, 1e-12);
  ft_paths_free(out);
  ft_paths_free(in);
}

static void test_stroke_straight(void) {
  ft_point pts[40];
  ft_paths *out;
  int i, mode;
  for (i = 0; i < 40; i++) {
    pts[i].x = 3 + 1.5 * i;
    pts[i].y = 7 + 0.75 * i + (i % 2 ? 0.2 : -0.2); /* a little jitter */
  }
  for (mode = FT_FIT_POLYGON; mode <= FT_FIT_CURVES; mode++) {
    out = fit_stroke(pts, 40, 0, mode, 0.5);
    CU_ASSERT_EQUAL(out->path[0].nseg, 1);
    CU_ASSERT_EQUAL(out->path[0].seg[0].type, FT_SEG_LINE);
    ft_paths_free(out);
  }
}

static void test_stroke_corner(void) {
  /* an L of dense points: two lines meeting exactly at the corner */
  ft_point pts[81];
  ft_paths *out;
  int i, mode;
  for (i = 0; i <= 80; i++) {
    pts[i].x = 10 + (i < 40 ? 0.5 * i : 20);
    pts[i].y = 10 + (i < 40 ? 0 : 0.5 * (i - 40));
  }
  for (mode = FT_FIT_POLYGON; mode <= FT_FIT_CURVES; mode++) {
    out = fit_stroke(pts, 81, 0, mode, 0.8);
    CU_ASSERT_EQUAL_FATAL(out->path[0].nseg, 2);
    CU_ASSERT_EQUAL(out->path[0].seg[0].type, FT_SEG_LINE);
    CU_ASSERT_EQUAL(out->path[0].seg[1].type, FT_SEG_LINE);
    CU_ASSERT_EQUAL(out->path[0].seg[0].c[2].x, 30);
    CU_ASSERT_EQUAL(out->path[0].seg[0].c[2].y, 10);
    ft_paths_free(out);
  }
}

static void test_stroke_ring(void) {
  /* a closed stroke loop: closed result ending at its start, few cubics */
  ft_point pts[90];
  ft_paths *out;
  int i, l, c;
  for (i = 0; i < 90; i++) {
    double a = 2 * M_PI * i / 90;
    pts[i].x = 50 + 20 * cos(a);
    pts[i].y = 50 + 20 * sin(a);
  }
  out = fit_stroke(pts, 90, 1, FT_FIT_CURVES, 0.5);
  count(&out->path[0], &l, &c);
  CU_ASSERT(l == 0 && c >= 2 && c <= 8);
  CU_ASSERT_DOUBLE_EQUAL(fabs(ft_path_area(&out->path[0])), M_PI * 400, 0.05 * M_PI * 400);
  ft_paths_free(out);
  /* a triangle loop keeps its three corners */
  {
    ft_point tri[60];
    for (i = 0; i < 60; i++) {
      int side = i / 20;
      double t = (i % 20) / 20.0;
      static const ft_point v[4] = {{10, 10}, {50, 10}, {30, 45}, {10, 10}};
      tri[i].x = v[side].x + t * (v[side + 1].x - v[side].x);
      tri[i].y = v[side].y + t * (v[side + 1].y - v[side].y);
    }
    out = fit_stroke(tri, 60, 1, FT_FIT_CURVES, 0.5);
    count(&out->path[0], &l, &c);
    CU_ASSERT_EQUAL(l, 3);
    CU_ASSERT_EQUAL(c, 0);
    ft_paths_free(out);
  }
}

static void test_stroke_degenerate(void) {
  ft_point two[2] = {{1.5, 2.25}, {9.75, 4}};
  ft_point same[4] = {{3, 3}, {3, 3}, {3, 3}, {3, 3}};
  ft_point dup[7] = {{0, 0}, {0, 0}, {5, 0}, {5, 0}, {10, 0}, {10, 0}, {10, 0}};
  ft_point back[3] = {{2, 2}, {8, 2}, {2, 2}};
  ft_paths *out;
  int mode;
  for (mode = FT_FIT_POLYGON; mode <= FT_FIT_CURVES; mode++) {
    out = fit_stroke(two, 2, 0, mode, 0.8);
    CU_ASSERT_EQUAL(out->path[0].nseg, 1);
    ft_paths_free(out);
    out = fit_stroke(same, 4, 0, mode, 0.8); /* a dot: one zero-length line */
    CU_ASSERT_EQUAL(out->path[0].nseg, 1);
    CU_ASSERT_EQUAL(out->path[0].seg[0].c[2].x, 3);
    ft_paths_free(out);
    out = fit_stroke(dup, 7, 0, mode, 0.8);
    CU_ASSERT_EQUAL(out->path[0].nseg, 1);
    CU_ASSERT_EQUAL(out->path[0].seg[0].type, FT_SEG_LINE);
    ft_paths_free(out);
    out = fit_stroke(back, 3, 0, mode, 0.8); /* there and back: the turn is kept */
    CU_ASSERT_EQUAL(out->path[0].nseg, 2);
    ft_paths_free(out);
    out = fit_stroke(same, 2, 1, mode, 0.8); /* a closed dot */
    CU_ASSERT_EQUAL(out->path[0].nseg, 1);
    ft_paths_free(out);
    out = fit_stroke(back, 2, 1, mode, 0.8); /* a closed doubled line */
    CU_ASSERT_EQUAL(out->path[0].nseg, 2);
    ft_paths_free(out);
  }
}

/* ---- sub-pixel edges and the width-scaled tolerance ---- */

/* A gray image whose pixel (x, y) is the mean of shade() over ss x ss
 * sub-samples: area-sampled anti-aliasing, as a renderer produces it. */
typedef double (*shade_fn)(double x, double y);

static ft_image *aa_image(int w, int h, shade_fn shade, int ss) {
  ft_image *img = NULL;
  int x, y, i, j;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(NULL, w, h, 1, &img), FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      double sum = 0;
      for (j = 0; j < ss; j++)
        for (i = 0; i < ss; i++) sum += shade(x + (i + 0.5) / ss, y + (j + 0.5) / ss);
      img->data[y * w + x] = (float)(sum / (ss * ss));
    }
  return img;
}

/* Label 1 where the image is at most level (dark ink), inside a frame of
 * `margin` pixels. */
static grid threshold_grid(const ft_image *img, double level, int margin) {
  grid g = grid_new(img->width, img->height);
  int x, y;
  for (y = margin; y < img->height - margin; y++)
    for (x = margin; x < img->width - margin; x++)
      if (img->data[y * img->width + x] <= level) g.l[y * g.w + x] = 1;
  return g;
}

static ft_paths *fit_image(const ft_paths *in, const ft_image *img, double level, double thin) {
  ft_fit_params p;
  ft_paths *out = NULL;
  ft_fit_params_init(&p);
  p.image = img;
  p.level = level;
  p.thin = thin;
  CU_ASSERT_EQUAL(ft_fit(NULL, in, &p, &out), FT_OK);
  return out;
}

#define DISC_X 40.3
#define DISC_Y 38.6
#define DISC_R 17.35
static double disc_shade(double x, double y) {
  return hypot(x - DISC_X, y - DISC_Y) <= DISC_R ? 0.0 : 1.0;
}

/* Largest distance of the fitted outline from the true circle. */
static double circle_error(const ft_path *p) {
  int n, i;
  ft_point *s = sample_path(p, &n);
  double worst = 0;
  for (i = 0; i < n; i++) {
    double e = fabs(hypot(s[i].x - DISC_X, s[i].y - DISC_Y) - DISC_R);
    if (e > worst) worst = e;
  }
  free(s);
  return worst;
}

static void test_subpixel_disc(void) {
  ft_image *img = aa_image(80, 80, disc_shade, 16);
  grid g = threshold_grid(img, 0.5, 0);
  ft_paths *in = trace_grid(&g), *out, *plain;
  double e_img, e_plain;
  CU_ASSERT_EQUAL_FATAL(in->npaths, 1);
  out = fit_image(in, img, 0.5, 0.25);
  plain = fit_with(in, FT_FIT_CURVES, 0.8);
  e_img = circle_error(&out->path[0]);
  e_plain = circle_error(&plain->path[0]);
  if (getenv("FT_DEBUG")) printf("\n  disc: error %.3f px with the image, %.3f without", e_img, e_plain);
  CU_ASSERT(e_img <= 0.1);
  CU_ASSERT(e_img < e_plain);
  /* the tolerance keeps its meaning: within 0.8 px of the pixel-edge midpoints */
  CU_ASSERT(deviation(&out->path[0], &in->path[0]) <= 0.8 + 0.02);
  /* still a few cubics, and the same with the level left to the labels' colours */
  CU_ASSERT(out->path[0].nseg >= 4 && out->path[0].nseg <= 8);
  ft_paths_free(out);
  out = fit_image(in, img, -1, 0.25);
  CU_ASSERT(circle_error(&out->path[0]) <= 0.1);
  ft_paths_free(out);
  /* --no-fit stays exact: the image is not consulted */
  {
    ft_fit_params p;
    ft_fit_params_init(&p);
    p.mode = FT_FIT_NONE;
    p.image = img;
    CU_ASSERT_EQUAL(ft_fit(NULL, in, &p, &out), FT_OK);
    CU_ASSERT_EQUAL(out->path[0].nseg, in->path[0].nseg);
    CU_ASSERT(memcmp(out->path[0].seg, in->path[0].seg, sizeof *out->path[0].seg * (size_t)in->path[0].nseg) == 0);
    ft_paths_free(out);
  }
  ft_paths_free(plain);
  ft_paths_free(in);
  ft_image_free(img);
  free(g.l);
}

#define HALF_Y0 20.4
#define HALF_SLOPE 0.27
static double half_shade(double x, double y) {
  return y >= HALF_Y0 + HALF_SLOPE * (x - 32) ? 0.0 : 1.0;
}

static void test_subpixel_half_plane(void) {
  ft_image *img = aa_image(64, 48, half_shade, 16);
  grid g = threshold_grid(img, 0.5, 0);
  ft_paths *in = trace_grid(&g), *out;
  int n, i, on_edge = 0;
  ft_point *s;
  double worst = 0, c = 1 / hypot(1, HALF_SLOPE);
  CU_ASSERT_EQUAL_FATAL(in->npaths, 1);
  out = fit_image(in, img, -1, 0.25);
  s = sample_path(&out->path[0], &n);
  for (i = 0; i < n; i++) {
    double d = (s[i].y - HALF_Y0 - HALF_SLOPE * (s[i].x - 32)) * c;
    if (s[i].x < 2 || s[i].x > 62 || fabs(d) > 3) continue; /* the image border */
    on_edge++;
    if (fabs(d) > worst) worst = fabs(d);
  }
  if (getenv("FT_DEBUG")) printf("\n  half-plane: %d samples, worst %.3f px", on_edge, worst);
  CU_ASSERT(on_edge > 30);
  CU_ASSERT(worst <= 0.1);
  /* the image border stays on the pixel grid */
  {
    ft_point p = out->path[0].start;
    int k, on_border = 0;
    for (k = 0; k < out->path[0].nseg; k++) {
      ft_point e = out->path[0].seg[k].c[2];
      if ((p.x == 0 && e.x == 0) || (p.x == 64 && e.x == 64) || (p.y == 48 && e.y == 48)) on_border++;
      p = e;
    }
    CU_ASSERT(on_border >= 3);
  }
  free(s);
  ft_paths_free(out);
  ft_paths_free(in);
  ft_image_free(img);
  free(g.l);
}

/* Two gray labels (0.2 and 0.7) with an anti-aliased wavy border between
 * them, inside a white frame: the shared border is fitted once. */
static double two_shade(double x, double y) {
  if (x < 4 || x >= 76 || y < 4 || y >= 56) return 1.0;
  return x < 40 + 6 * sin(y / 6.0) ? 0.2 : 0.7;
}

static void test_subpixel_shared(void) {
  ft_image *img = aa_image(80, 60, two_shade, 16);
  grid g = grid_new(80, 60);
  ft_paths *in, *out, *plain;
  ft_label_info info[3];
  int x, y, k, moved = 0;
  for (y = 4; y < 56; y++)
    for (x = 4; x < 76; x++) g.l[y * 80 + x] = img->data[y * 80 + x] <= 0.45 ? 1 : 2;
  in = trace_grid(&g);
  CU_ASSERT_EQUAL_FATAL(in->npaths, 2);
  memset(info, 0, sizeof info);
  for (k = 0; k < 3; k++) {
    float v = k == 0 ? 1.0f : (k == 1 ? 0.2f : 0.7f);
    info[k].color[0] = info[k].color[1] = info[k].color[2] = v;
    info[k].class_id = k ? FT_CLASS_REGION : FT_CLASS_BACKGROUND;
  }
  CU_ASSERT_EQUAL_FATAL(ft_paths_set_info(NULL, in, info, 3), FT_OK);
  out = fit_image(in, img, -1, 0.25);
  check_twins(out);
  /* the image did move the border: not the geometry of the plain fit */
  plain = fit_with(in, FT_FIT_CURVES, 0.8);
  if (plain->path[0].nseg != out->path[0].nseg) moved = 1;
  for (k = 0; !moved && k < out->path[0].nseg; k++)
    if (!same_point(plain->path[0].seg[k].c[2], out->path[0].seg[k].c[2])) moved = 1;
  CU_ASSERT(moved);
  ft_paths_free(plain);
  ft_paths_free(out);
  ft_paths_free(in);
  ft_image_free(img);
  free(g.l);
}

/* Pixel centres of the grid (x + 0.5, y + 0.5) that path p (closed, flattened
 * densely) puts on the other side than the grid's label lab does. */
static int centre_flips(const ft_path *p, const grid *g, int lab) {
  int ns, x, y, flips = 0;
  ft_point *s = sample_path(p, &ns);
  for (y = 0; y < g->h; y++)
    for (x = 0; x < g->w; x++) {
      double cx = x + 0.5, cy = y + 0.5;
      int i, j, in = 0;
      for (i = 0, j = ns - 1; i < ns; j = i++)
        if ((s[i].y > cy) != (s[j].y > cy) &&
            cx < s[j].x + (cy - s[j].y) * (s[i].x - s[j].x) / (s[i].y - s[j].y))
          in = !in;
      if (in != (at(g, x, y) == lab)) flips++;
    }
  free(s);
  return flips;
}

/* A wavy bar two pixels thick: its region's mean width (2 px) times
 * `relative` is below the 0.4 px floor, and 0.25 x its local width is
 * 0.5 px or less, so each data point is held to 0.4 px, or (the bar being
 * under 3 px wide) keeps the pixel centres beside its edge on their sides;
 * a uniform tolerance of 0.8 px lets the curve wander across 40% of the bar
 * and puts pixel centres on the wrong side. */
static void test_thin_bar(void) {
  grid g = grid_new(80, 60);
  ft_paths *in, *thin, *flat;
  int x, y;
  double d_thin, d_flat;
  for (y = 0; y < 60; y++)
    for (x = 5; x < 75; x++)
      if (fabs(y + 0.5 - (30 + 8 * sin((x + 0.5) / 9.0))) < 1.0) g.l[y * 80 + x] = 1;
  in = trace_grid(&g);
  CU_ASSERT_EQUAL_FATAL(in->npaths, 1);
  thin = fit_with(in, FT_FIT_CURVES, 0.8);
  {
    ft_fit_params p;
    ft_fit_params_init(&p);
    p.thin = 0;
    p.relative = 0;
    CU_ASSERT_EQUAL(ft_fit(NULL, in, &p, &flat), FT_OK);
  }
  d_thin = deviation(&thin->path[0], &in->path[0]);
  d_flat = deviation(&flat->path[0], &in->path[0]);
  if (getenv("FT_DEBUG"))
    printf("\n  thin bar: deviation %.3f with %d segments, %d flips; uniform %.3f with %d, %d flips",
           d_thin, thin->path[0].nseg, centre_flips(&thin->path[0], &g, 1), d_flat,
           flat->path[0].nseg, centre_flips(&flat->path[0], &g, 1));
  /* beyond 0.4 px only across an edge, short of the pixel centres */
  CU_ASSERT(d_thin <= 0.45 + 0.02);
  CU_ASSERT(d_flat > 0.5 + 0.02);
  CU_ASSERT(4 * centre_flips(&thin->path[0], &g, 1) <= centre_flips(&flat->path[0], &g, 1));
  CU_ASSERT(thin->path[0].nseg > flat->path[0].nseg);
  ft_paths_free(thin);
  ft_paths_free(flat);
  ft_paths_free(in);
  free(g.l);
  /* a wide shape keeps the full tolerance: the same fit either way */
  {
    grid d = disc(60, 60, 30, 30, 20, 20, 1);
    ft_fit_params p;
    int k;
    in = trace_grid(&d);
    thin = fit_with(in, FT_FIT_CURVES, 0.8);
    ft_fit_params_init(&p);
    p.thin = 0;
    p.relative = 0;
    CU_ASSERT_EQUAL(ft_fit(NULL, in, &p, &flat), FT_OK);
    CU_ASSERT_EQUAL_FATAL(thin->path[0].nseg, flat->path[0].nseg);
    for (k = 0; k < thin->path[0].nseg; k++)
      CU_ASSERT(same_point(thin->path[0].seg[k].c[2], flat->path[0].seg[k].c[2]));
    ft_paths_free(thin);
    ft_paths_free(flat);
    ft_paths_free(in);
    free(d.l);
  }
}

/* fit with the default parameters but thin and relative as given */
static ft_paths *fit_scaled(const ft_paths *in, double thin, double relative) {
  ft_fit_params p;
  ft_paths *out = NULL;
  ft_fit_params_init(&p);
  p.thin = thin;
  p.relative = relative;
  CU_ASSERT_EQUAL(ft_fit(NULL, in, &p, &out), FT_OK);
  return out;
}

/* The size-scaled tolerance: a disc of radius 6 (mean width 6 px: 0.05 x 6
 * is under the 0.4 px floor) and a ring 4 px wide, whose hole counts with its
 * outline (so both are held as a 4 px band, not as a 60 px disc), are held
 * to 0.4 px; without it they get the full 0.8 px.  The small disc is still
 * a few cubics.  (A disc of radius 20 keeps the full tolerance:
 * test_thin_bar.) */
static void test_relative(void) {
  grid g = disc(20, 20, 10, 10, 6, 6, 1);
  grid outer = disc(70, 70, 35, 35, 30, 30, 1), inner = disc(70, 70, 35, 35, 26, 26, 1);
  ft_paths *in, *held, *loose;
  double d_held, d_loose, worst_held = 0, worst_loose = 0;
  int i, lines, cubics;
  in = trace_grid(&g);
  CU_ASSERT_EQUAL_FATAL(in->npaths, 1);
  held = fit_scaled(in, 0, 0.05);
  loose = fit_scaled(in, 0, 0);
  d_held = deviation(&held->path[0], &in->path[0]);
  d_loose = deviation(&loose->path[0], &in->path[0]);
  count(&held->path[0], &lines, &cubics);
  if (getenv("FT_DEBUG"))
    printf("\n  disc r 6: deviation %.3f with %d segments, without %.3f with %d", d_held,
           held->path[0].nseg, d_loose, loose->path[0].nseg);
  CU_ASSERT(d_held <= 0.4 + 0.02);
  CU_ASSERT(d_loose > 0.4);
  CU_ASSERT(cubics >= 4 && lines + cubics <= 8);
  ft_paths_free(held);
  ft_paths_free(loose);
  ft_paths_free(in);
  /* the ring: outline and hole */
  for (i = 0; i < 70 * 70; i++)
    if (inner.l[i]) outer.l[i] = 0;
  in = trace_grid(&outer);
  CU_ASSERT_EQUAL_FATAL(in->npaths, 2);
  CU_ASSERT_EQUAL(in->path[1].hole, 1);
  held = fit_scaled(in, 0, 0.05);
  loose = fit_scaled(in, 0, 0);
  for (i = 0; i < 2; i++) {
    worst_held = fmax(worst_held, deviation(&held->path[i], &in->path[i]));
    worst_loose = fmax(worst_loose, deviation(&loose->path[i], &in->path[i]));
  }
  if (getenv("FT_DEBUG"))
    printf("\n  ring: deviation %.3f with %d + %d segments, without %.3f", worst_held,
           held->path[0].nseg, held->path[1].nseg, worst_loose);
  CU_ASSERT(worst_held <= 0.4 + 0.02);
  CU_ASSERT(worst_loose > 0.5);
  ft_paths_free(held);
  ft_paths_free(loose);
  ft_paths_free(in);
  free(g.l);
  free(outer.l);
  free(inner.l);
}

/* The wavy bar of test_thin_bar, label lab, in a 120 x 100 map, fitted:
 * returns the fitted path of the bar (its staircase in *stair_out), the
 * rest of the map as made by what (0 alone, 1 inside the hole of a ring of
 * the same label, 2 under a wide region of label 1 that it touches, 3
 * among 360 specks of labels 3...).  *fitted and *in are freed by the
 * caller. */
static const ft_path *bar_in(int what, int lab, ft_paths **in, ft_paths **fitted,
                             const ft_path **stair_out) {
  grid g = grid_new(120, 100);
  int x, y, i, next = 3;
  for (y = 0; y < 100; y++)
    for (x = 25; x < 95; x++)
      if (fabs(y + 0.5 - (50 + 8 * sin((x + 0.5) / 9.0))) < 1.0) g.l[y * 120 + x] = lab;
  if (what == 1) {
    fill_rect(&g, 5, 5, 115, 9, 1);
    fill_rect(&g, 5, 91, 115, 95, 1);
    fill_rect(&g, 5, 5, 9, 95, 1);
    fill_rect(&g, 111, 5, 115, 95, 1);
  } else if (what == 2) {
    /* label 1 down to the bar from above, over its middle */
    for (x = 40; x < 80; x++)
      for (y = 20; y < 100 && g.l[y * 120 + x] != lab; y++) g.l[y * 120 + x] = 1;
  } else if (what == 3) {
    for (y = 2; y < 100; y += 4) {
      if (y > 22 && y < 74) continue;
      for (x = 2; x + 2 <= 120; x += 4) fill_rect(&g, x, y, x + 2, y + 2, next++);
    }
    CU_ASSERT(next > 300); /* more labels than one byte holds */
  }
  *in = trace_grid(&g);
  free(g.l);
  *fitted = fit_with(*in, FT_FIT_CURVES, 0.8);
  for (i = 0; i < (*in)->npaths; i++)
    if ((*in)->path[i].label == lab && !(*in)->path[i].hole &&
        (*in)->path[i].start.x >= 25 && (*in)->path[i].start.x <= 95 &&
        (*in)->path[i].start.y >= 38 && (*in)->path[i].start.y <= 62) {
      *stair_out = &(*in)->path[i];
      return &(*fitted)->path[i];
    }
  CU_FAIL_FATAL("no bar");
  return NULL;
}

/* The widths behind the thin tolerance come from a map of the regions
 * rebuilt from the outlines: the bar is measured alike alone, nested in a
 * ring's hole and among hundreds of labels.  Beside a wide neighbour it
 * touches, their shared border is fitted once, by the neighbour (the first
 * path) to its own width: the bar stays within the plain tolerance. */
static void test_thin_bar_neighbours(void) {
  ft_paths *in0, *f0;
  const ft_path *st0, *ref = bar_in(0, 1, &in0, &f0, &st0);
  int what, k;
  CU_ASSERT(deviation(ref, st0) <= 0.5 + 0.02);
  for (what = 1; what <= 3; what++) {
    ft_paths *in, *f;
    const ft_path *st, *bar = bar_in(what, what == 2 ? 2 : 1, &in, &f, &st);
    double dev = deviation(bar, st);
    if (getenv("FT_DEBUG"))
      printf("\n  bar %d: deviation %.3f, %d segments (alone %d)", what, dev, bar->nseg,
             ref->nseg);
    CU_ASSERT(dev <= (what == 2 ? 0.8 : 0.5) + 0.02);
    if (what != 2) { /* nothing within reach of the widths: the same fit */
      CU_ASSERT_EQUAL_FATAL(bar->nseg, ref->nseg);
      for (k = 0; k < bar->nseg; k++)
        CU_ASSERT(same_point(bar->seg[k].c[2], ref->seg[k].c[2]));
    }
    ft_paths_free(f);
    ft_paths_free(in);
  }
  ft_paths_free(f0);
  ft_paths_free(in0);
}

/* Bitwise equality of two path sets (field by field: ft_seg has padding). */
static int same_paths(const ft_paths *a, const ft_paths *b) {
  int i, j;
  if (a->npaths != b->npaths) return 0;
  for (i = 0; i < a->npaths; i++) {
    const ft_path *p = &a->path[i], *q = &b->path[i];
    if (p->nseg != q->nseg || memcmp(&p->start, &q->start, sizeof p->start) ||
        p->closed != q->closed || p->hole != q->hole || p->parent != q->parent ||
        p->label != q->label || p->class_id != q->class_id ||
        memcmp(&p->stroke_width, &q->stroke_width, sizeof(double)))
      return 0;
    for (j = 0; j < p->nseg; j++)
      if (p->seg[j].type != q->seg[j].type || memcmp(p->seg[j].c, q->seg[j].c, sizeof p->seg[j].c))
        return 0;
  }
  return 1;
}

/* Sub-pixel edges read from a compact (one byte per sample) gray image give
 * the same paths, bit for bit, as from the float image of the same values
 * b / 255, with the level given and with it left to the labels' colours;
 * and they do read the gray levels (not the same paths as without them). */
static void test_subpixel_bytes_as_floats(void) {
  ft_image *aa = aa_image(80, 80, disc_shade, 16), *f = NULL, *u = NULL;
  grid g = threshold_grid(aa, 0.5, 0);
  ft_paths *in = trace_grid(&g), *a, *b, *plain;
  int i, round;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(NULL, 80, 80, 1, &f), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_image_new_u8(NULL, 80, 80, 1, &u), FT_OK);
  CU_ASSERT_PTR_NOT_NULL_FATAL(u->data8);
  for (i = 0; i < 80 * 80; i++) {
    int v = (int)lrint(aa->data[i] * 255.0);
    u->data8[i] = (uint8_t)v;
    f->data[i] = (float)v / 255.0f;
  }
  plain = fit_with(in, FT_FIT_CURVES, 0.8);
  for (round = 0; round < 2; round++) {
    double level = round == 0 ? 0.5 : -1;
    a = fit_image(in, f, level, 0.25);
    b = fit_image(in, u, level, 0.25);
    CU_ASSERT(same_paths(a, b));
    CU_ASSERT(!same_paths(a, plain));
    ft_paths_free(a);
    ft_paths_free(b);
  }
  ft_paths_free(plain);
  ft_paths_free(in);
  ft_image_free(aa);
  ft_image_free(f);
  ft_image_free(u);
  free(g.l);
}

/* The fit on 1, 2 and 7 threads gives the same paths, bit for bit: a
 * single-label map of many blobs with holes (fitted in parallel), the same
 * with strokes mixed in, and a multi-label map (shared borders, serial). */
static void test_threads_same_result(void) {
  int w = 160, h = 120, x, y, i, k, mode, multi;
  unsigned seed = 777;
  for (multi = 0; multi < 2; multi++) {
    ft_labels *lab = NULL;
    ft_paths *tr = NULL, *ref = NULL;
    ft_image *img = NULL;
    CU_ASSERT_EQUAL_FATAL(ft_labels_new(NULL, w, h, multi ? 4 : 2, &lab), FT_OK);
    for (i = 1; i < lab->nlabels; i++) lab->info[i].class_id = FT_CLASS_INK;
    /* 60 discs and rings of random size and label */
    for (k = 0; k < 60; k++) {
      double cx, cy, r;
      int L;
      seed = seed * 1103515245u + 12345u;
      cx = (seed >> 8) % w;
      seed = seed * 1103515245u + 12345u;
      cy = (seed >> 8) % h;
      seed = seed * 1103515245u + 12345u;
      r = 2 + (seed >> 8) % 14;
      L = multi ? 1 + (int)((seed >> 20) % 3) : 1;
      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++) {
          double d = hypot(x + 0.5 - cx, y + 0.5 - cy);
          if (d < r && !(k % 3 == 0 && d < r / 2)) lab->label[y * w + x] = L;
        }
    }
    CU_ASSERT_EQUAL_FATAL(ft_trace(NULL, lab, NULL, &tr), FT_OK);
    CU_ASSERT(tr->npaths > 20);
    /* a few open strokes too */
    for (k = 0; k < 5; k++) {
      int idx, j;
      ft_path *p;
      CU_ASSERT_EQUAL_FATAL(ft_paths_add(NULL, tr, 3.0 + k, 5.0, &idx), FT_OK);
      p = &tr->path[idx];
      p->label = 1;
      p->class_id = FT_CLASS_STROKE;
      p->parent = -1;
      p->stroke_width = 1.5;
      p->seg = calloc(20, sizeof *p->seg);
      CU_ASSERT_PTR_NOT_NULL_FATAL(p->seg);
      p->nseg = p->cap = 20;
      for (j = 0; j < 20; j++) {
        p->seg[j].type = FT_SEG_LINE;
        p->seg[j].c[2].x = 3.0 + k + 4.0 * (j + 1);
        p->seg[j].c[2].y = 5.0 + 10.0 * sin(0.3 * (j + 1) + k);
      }
    }
    /* a blurred gray image of the labels, for sub-pixel edges */
    CU_ASSERT_EQUAL_FATAL(ft_image_new(NULL, w, h, 1, &img), FT_OK);
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        double sum = 0;
        int dx, dy;
        for (dy = -1; dy <= 1; dy++)
          for (dx = -1; dx <= 1; dx++) {
            int xx = x + dx < 0 ? 0 : (x + dx >= w ? w - 1 : x + dx);
            int yy = y + dy < 0 ? 0 : (y + dy >= h ? h - 1 : y + dy);
            int L = lab->label[yy * w + xx];
            sum += L ? 0.25 * L : 1.0;
          }
        img->data[y * w + x] = (float)(sum / 9);
      }
    for (mode = FT_FIT_NONE; mode <= 2 * FT_FIT_CURVES + 1; mode++) {
      int threads[3] = {1, 2, 7}, t;
      ft_fit_params p;
      ft_fit_params_init(&p);
      p.mode = mode % (FT_FIT_CURVES + 1);
      p.min_area = 3.0;
      if (mode > FT_FIT_CURVES) p.image = img; /* second round: with the image */
      for (t = 0; t < 3; t++) {
        ft_ctx *ctx = ft_ctx_new();
        ft_paths *out = NULL;
        ft_ctx_set_threads(ctx, threads[t]);
        CU_ASSERT_EQUAL_FATAL(ft_fit(ctx, tr, &p, &out), FT_OK);
        if (t == 0)
          ref = out;
        else {
          CU_ASSERT(same_paths(ref, out));
          ft_paths_free(out);
        }
        ft_ctx_free(ctx);
      }
      CU_ASSERT(ref->npaths > 20);
      ft_paths_free(ref);
      ref = NULL;
    }
    ft_paths_free(tr);
    ft_labels_free(lab);
    ft_image_free(img);
  }
}

int main(void) {
  static const ft_test_case cases[] = {
      {"circle r=20: 4-8 cubics within tolerance", test_circle},
      {"ellipse", test_ellipse},
      {"rectangle: 4 lines, corners kept", test_rectangle},
      {"rounded rectangle: lines and arcs", test_rounded_rectangle},
      {"star: tips kept as corners", test_star},
      {"holes keep orientation and parents", test_holes},
      {"min_area drops paths with their children", test_min_area},
      {"shared wavy border fitted once", test_shared_border},
      {"island in a hole shared as one loop", test_shared_island},
      {"three labels traced by ft_trace share borders", test_shared_with_trace},
      {"random four-label maps: borders shared", test_random_maps},
      {"degenerate outlines", test_degenerate},
      {"params and non-staircase paths", test_params_and_passthrough},
      {"large circle stays four to six cubics", test_big_circle_few_segments},
      {"open arc: few cubics within tolerance", test_stroke_arc},
      {"open S curve: cubics join smoothly", test_stroke_arc_joins_smooth},
      {"coarse arc polyline: a few cubics near its vertices", test_stroke_coarse_arc},
      {"thin stroke: a tenth of its width as tolerance", test_stroke_thin},
      {"straight polyline: one line", test_stroke_straight},
      {"L polyline: two lines, corner kept", test_stroke_corner},
      {"closed stroke ring and triangle", test_stroke_ring},
      {"degenerate strokes", test_stroke_degenerate},
      {"sub-pixel edges: anti-aliased disc within 0.1 px", test_subpixel_disc},
      {"sub-pixel edges: anti-aliased half-plane within 0.1 px", test_subpixel_half_plane},
      {"sub-pixel edges: shared gray border still fitted once", test_subpixel_shared},
      {"sub-pixel edges: a byte image reads as its float copy", test_subpixel_bytes_as_floats},
      {"width-scaled tolerance on a thin bar", test_thin_bar},
      {"size-scaled tolerance: a small disc, a ring with its hole", test_relative},
      {"thin bar: widths beside neighbours, in holes, among many labels", test_thin_bar_neighbours},
      {"1, 2 and 7 threads: the same paths (also with sub-pixel edges)", test_threads_same_result},
      {NULL, NULL}};
  return ft_test_main("fit", cases);
}
