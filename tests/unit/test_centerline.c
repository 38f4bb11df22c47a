/* tests/unit/test_centerline.c - centerline and auto tracing.
 *
 * Fixtures are ink masks drawn in code: capsules (all pixels whose centre
 * lies within r of a segment), rectangles, annuli, discs.  Besides the
 * structure of the result (number of paths, open or closed, where they
 * start and end, widths within 0.5 px), the paths are rendered back at
 * pixel centres - a stroke covers the points within half its width of its
 * polyline, an outline the points of nonzero winding - and compared with
 * the ink by intersection over union.
 */
#include "config.h"

#include <math.h>

#include "cli/trace_opts.h"
#include "core/internal.h"
#include "testutil.h"

/* ---- fixtures ---- */

static ft_labels *mask_new(int w, int h) {
  ft_labels *lab;
  if (ft_labels_new(NULL, w, h, 2, &lab)) return NULL;
  lab->info[1].class_id = FT_CLASS_INK;
  return lab;
}

static double seg_dist(double px, double py, double ax, double ay, double bx, double by) {
  double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy, t;
  t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
  if (t < 0) t = 0;
  if (t > 1) t = 1;
  return hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/* Ink every pixel whose centre is within r of segment (ax,ay)-(bx,by). */
static void capsule(ft_labels *lab, double ax, double ay, double bx, double by, double r) {
  int x, y;
  for (y = 0; y < lab->height; y++)
    for (x = 0; x < lab->width; x++)
      if (seg_dist(x + 0.5, y + 0.5, ax, ay, bx, by) <= r) lab->label[y * lab->width + x] = 1;
}

static void rect(ft_labels *lab, int x0, int y0, int x1, int y1) {
  int x, y;
  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++) lab->label[y * lab->width + x] = 1;
}

/* Ink the annulus r0 <= |p - c| <= r1. */
static void annulus(ft_labels *lab, double cx, double cy, double r0, double r1) {
  int x, y;
  for (y = 0; y < lab->height; y++)
    for (x = 0; x < lab->width; x++) {
      double d = hypot(x + 0.5 - cx, y + 0.5 - cy);
      if (d >= r0 && d <= r1) lab->label[y * lab->width + x] = 1;
    }
}

static ft_paths *trace_mode(const ft_labels *lab, int mode) {
  ft_trace_params p;
  ft_paths *ps = NULL;
  ft_status st;
  ft_trace_params_init(&p);
  p.mode = mode;
  st = ft_trace(NULL, lab, &p, &ps);
  CU_ASSERT_EQUAL(st, FT_OK);
  return ps;
}

static ft_point end_point(const ft_path *p) { return p->nseg ? p->seg[p->nseg - 1].c[2] : p->start; }

static int count_class(const ft_paths *ps, int class_id) {
  int i, n = 0;
  for (i = 0; i < ps->npaths; i++) n += ps->path[i].class_id == class_id;
  return n;
}

/* Winding number of the closed paths at (x, y) (line segments only). */
static int winding(const ft_paths *ps, double x, double y) {
  int i, j, wn = 0;
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    ft_point a = p->start;
    if (!p->closed || p->class_id == FT_CLASS_STROKE) continue;
    for (j = 0; j < p->nseg; j++) {
      ft_point b = p->seg[j].c[2];
      if (a.y <= y && b.y > y && (b.x - a.x) * (y - a.y) - (x - a.x) * (b.y - a.y) > 0) wn++;
      if (a.y > y && b.y <= y && (b.x - a.x) * (y - a.y) - (x - a.x) * (b.y - a.y) < 0) wn--;
      a = b;
    }
  }
  return wn;
}

static int covered(const ft_paths *ps, double x, double y) {
  int i, j;
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    ft_point a = p->start;
    if (p->class_id != FT_CLASS_STROKE) continue;
    for (j = 0; j < p->nseg; j++) {
      ft_point b = p->seg[j].c[2];
      if (seg_dist(x, y, a.x, a.y, b.x, b.y) <= p->stroke_width / 2) return 1;
      a = b;
    }
  }
  return winding(ps, x, y) != 0;
}

/* Intersection over union of the rendered paths and the ink. */
static double iou(const ft_labels *lab, const ft_paths *ps) {
  long inter = 0, uni = 0;
  int x, y;
  for (y = 0; y < lab->height; y++)
    for (x = 0; x < lab->width; x++) {
      int a = lab->label[y * lab->width + x] != 0, b = covered(ps, x + 0.5, y + 0.5);
      inter += a && b;
      uni += a || b;
    }
  return uni ? (double)inter / (double)uni : 1.0;
}

static uint32_t rng_state = 12345;
static uint32_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

/* ---- tests ---- */

static void check_bar(int width) {
  ft_labels *lab = mask_new(80, 30);
  ft_paths *ps;
  const ft_path *p;
  ft_point e;
  rect(lab, 10, 10, 70, 10 + width);
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 1);
  p = &ps->path[0];
  CU_ASSERT_EQUAL(p->closed, 0);
  CU_ASSERT_EQUAL(p->nseg, 1);
  CU_ASSERT_EQUAL(p->class_id, FT_CLASS_STROKE);
  CU_ASSERT_EQUAL(p->label, 1);
  CU_ASSERT_DOUBLE_EQUAL(p->stroke_width, width, 0.5);
  e = end_point(p);
  CU_ASSERT_DOUBLE_EQUAL(p->start.y, 10 + width / 2.0, 0.25);
  CU_ASSERT_DOUBLE_EQUAL(e.y, 10 + width / 2.0, 0.25);
  /* round caps reach the bar's ends */
  CU_ASSERT_DOUBLE_EQUAL(fmin(p->start.x, e.x) - p->stroke_width / 2, 10, 1.0);
  CU_ASSERT_DOUBLE_EQUAL(fmax(p->start.x, e.x) + p->stroke_width / 2, 70, 1.0);
  CU_ASSERT(iou(lab, ps) > 0.93);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_bar_odd(void) { check_bar(5); }
static void test_bar_even(void) { check_bar(4); }
static void test_bar_thin(void) { check_bar(1); }
static void test_bar_wide(void) { check_bar(9); }

static void test_diagonal(void) {
  ft_labels *lab = mask_new(100, 100);
  ft_paths *ps;
  capsule(lab, 10, 15, 85, 80, 3.0);
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 1);
  CU_ASSERT(ps->path[0].nseg <= 2);
  CU_ASSERT_DOUBLE_EQUAL(ps->path[0].stroke_width, 6.0, 0.5);
  CU_ASSERT(iou(lab, ps) > 0.9);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_L(void) {
  ft_labels *lab = mask_new(80, 80);
  ft_paths *ps;
  capsule(lab, 15, 10, 15, 65, 2.5);
  capsule(lab, 15, 65, 70, 65, 2.5);
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 1);
  CU_ASSERT_EQUAL(ps->path[0].closed, 0);
  /* two sides and the round corner (simplified to 0.3 px: 0.05 widths) */
  CU_ASSERT(ps->path[0].nseg >= 2 && ps->path[0].nseg <= 6);
  CU_ASSERT_DOUBLE_EQUAL(ps->path[0].stroke_width, 6.0, 0.5);
  CU_ASSERT(iou(lab, ps) > 0.9);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* T: the bar stays one path through the junction, the stem ends on it. */
static void test_T(void) {
  ft_labels *lab = mask_new(100, 80);
  ft_paths *ps;
  int i, through = 0;
  capsule(lab, 10, 15, 90, 15, 2.5);
  capsule(lab, 50, 15, 50, 70, 2.5);
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 2);
  for (i = 0; i < 2; i++) {
    const ft_path *p = &ps->path[i];
    ft_point e = end_point(p);
    if (fabs(p->start.x - e.x) > 70) {
      through++;
      CU_ASSERT_DOUBLE_EQUAL(p->start.y, 15.0, 0.25);
      CU_ASSERT_DOUBLE_EQUAL(e.y, 15.0, 0.25);
    } else {
      /* the stem meets the bar's centre line */
      double ty = fmin(p->start.y, e.y);
      CU_ASSERT_DOUBLE_EQUAL(ty, 15.0, 0.5);
      CU_ASSERT_DOUBLE_EQUAL(p->start.x, 50.0, 0.25);
    }
    CU_ASSERT_DOUBLE_EQUAL(p->stroke_width, 6.0, 0.5);
  }
  CU_ASSERT_EQUAL(through, 1);
  CU_ASSERT(iou(lab, ps) > 0.9);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* X: two strokes crossing, each one path straight through. */
static void check_X(double angle_deg, double r) {
  ft_labels *lab = mask_new(120, 120);
  ft_paths *ps;
  double a = angle_deg * 3.14159265358979 / 180, c = cos(a / 2), s = sin(a / 2);
  int i;
  capsule(lab, 60 - 50 * c, 60 - 50 * s, 60 + 50 * c, 60 + 50 * s, r);
  capsule(lab, 60 - 50 * c, 60 + 50 * s, 60 + 50 * c, 60 - 50 * s, r);
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 2);
  for (i = 0; i < 2; i++) {
    const ft_path *p = &ps->path[i];
    ft_point e = end_point(p);
    CU_ASSERT(hypot(e.x - p->start.x, e.y - p->start.y) > 85);
    CU_ASSERT(p->nseg <= 6);
    /* across slanted strokes the pixel rows quantise each edge by up to
     * 0.35 px, so allow 0.6 px on the nominal width */
    CU_ASSERT_DOUBLE_EQUAL(p->stroke_width, 2 * r, 0.6);
  }
  CU_ASSERT(iou(lab, ps) > 0.9);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_X(void) { check_X(90, 3.0); }
static void test_X_acute(void) { check_X(50, 2.5); }
static void test_X_thick(void) { check_X(70, 6.0); }

/* Y: three arms at 120 degrees end at one junction near the centre. */
static void test_Y(void) {
  ft_labels *lab = mask_new(120, 120);
  ft_paths *ps;
  int i, k;
  for (k = 0; k < 3; k++) {
    double a = (90 + 120 * k) * 3.14159265358979 / 180;
    capsule(lab, 60, 60, 60 + 45 * cos(a), 60 + 45 * sin(a), 3.0);
  }
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 3);
  for (i = 0; i < 3; i++) {
    const ft_path *p = &ps->path[i];
    ft_point e = end_point(p);
    double d0 = hypot(p->start.x - 60, p->start.y - 60), d1 = hypot(e.x - 60, e.y - 60);
    CU_ASSERT(fmin(d0, d1) < 2.0); /* the junction sits where the centre lines meet */
    CU_ASSERT(fmax(d0, d1) > 38);
    CU_ASSERT_DOUBLE_EQUAL(p->stroke_width, 6.0, 0.5);
  }
  CU_ASSERT(iou(lab, ps) > 0.9);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_ring(void) {
  ft_labels *lab = mask_new(100, 100);
  ft_paths *ps;
  const ft_path *p;
  int j;
  annulus(lab, 50, 50, 27.5, 32.5);
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 1);
  p = &ps->path[0];
  CU_ASSERT_EQUAL(p->closed, 1);
  CU_ASSERT(p->nseg >= 8 && p->nseg <= 60);
  CU_ASSERT_DOUBLE_EQUAL(p->stroke_width, 5.0, 0.5);
  for (j = 0; j < p->nseg; j++)
    CU_ASSERT_DOUBLE_EQUAL(hypot(p->seg[j].c[2].x - 50, p->seg[j].c[2].y - 50), 30.0, 0.75);
  CU_ASSERT_DOUBLE_EQUAL(p->seg[p->nseg - 1].c[2].x, p->start.x, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(p->seg[p->nseg - 1].c[2].y, p->start.y, 1e-12);
  CU_ASSERT(iou(lab, ps) > 0.9);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_spiral(void) {
  ft_labels *lab = mask_new(140, 140);
  ft_paths *ps;
  double t, px = 70, py = 70;
  for (t = 0.3; t < 4 * 3.14159265358979; t += 0.05) {
    double r = 8 + 4.5 * t, x = 70 + r * cos(t), y = 70 + r * sin(t);
    capsule(lab, px, py, x, y, 2.0);
    px = x;
    py = y;
  }
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 1);
  CU_ASSERT_EQUAL(ps->path[0].closed, 0);
  CU_ASSERT_DOUBLE_EQUAL(ps->path[0].stroke_width, 4.0, 0.5);
  CU_ASSERT(iou(lab, ps) > 0.85);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* Two strokes touching side by side at one point (a V whose arms touch a bar). */
static void test_touching(void) {
  ft_labels *lab = mask_new(120, 60);
  ft_paths *ps;
  capsule(lab, 10, 20, 110, 20, 2.5);
  capsule(lab, 30, 50, 60, 24, 2.5); /* ends just touching the bar */
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL(ps->npaths, 2);
  CU_ASSERT(iou(lab, ps) > 0.9);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* Ragged edges: one path, no spurs, width within 0.5 px. */
static void test_noisy(void) {
  ft_labels *lab = mask_new(140, 40);
  ft_paths *ps;
  int x, y, trial;
  for (trial = 0; trial < 5; trial++) {
    memset(lab->label, 0, (size_t)140 * 40 * sizeof *lab->label);
    rect(lab, 10, 15, 130, 22); /* width 7 */
    for (x = 10; x < 130; x++) { /* each edge moves out or in by a pixel, 1/3 each */
      uint32_t r = rng() % 3, s = rng() % 3;
      if (r == 1) lab->label[14 * 140 + x] = 1;
      if (r == 2) lab->label[15 * 140 + x] = 0;
      if (s == 1) lab->label[22 * 140 + x] = 1;
      if (s == 2) lab->label[21 * 140 + x] = 0;
    }
    (void)y;
    ps = trace_mode(lab, FT_TRACE_CENTERLINE);
    CU_ASSERT_EQUAL(ps->npaths, 1);
    if (ps->npaths >= 1) {
      const ft_path *p = &ps->path[0];
      ft_point e = end_point(p);
      int j;
      /* notches lower the distance to the edge, bumps do not raise it: the
       * width lies between the clean core (5) and the mean width (7) */
      CU_ASSERT(p->stroke_width >= 5.0 && p->stroke_width <= 7.5);
      CU_ASSERT(fabs(e.x - p->start.x) > 105);
      for (j = 0; j + 1 < p->nseg; j++) /* inner points on the centre line */
        CU_ASSERT_DOUBLE_EQUAL(p->seg[j].c[2].y, 18.5, 1.0);
      CU_ASSERT(p->nseg <= 30);
    }
    ft_paths_free(ps);
  }
  ft_labels_free(lab);
}

/* A pencil line 5 px wide whose edges move in or out by a pixel in half
 * of the columns, traced and fitted at the default tolerance (0.8 px, held
 * to a tenth of the width for so thin a stroke): the line stays on the
 * centre (0.4 px on average along it, at most a pixel where both edges
 * move the same way over several columns), at about the measured width,
 * in a few dozen segments at most. */
static void test_noisy_thin_fitted(void) {
  ft_labels *lab = mask_new(240, 40);
  int x, trial;
  for (trial = 0; trial < 5; trial++) {
    ft_paths *ps, *fitted = NULL;
    ft_fit_params fp;
    memset(lab->label, 0, (size_t)240 * 40 * sizeof *lab->label);
    rect(lab, 10, 18, 230, 23); /* width 5, centre y = 20.5 */
    for (x = 10; x < 230; x++) { /* each edge moves out or in by a pixel, 1/4 each */
      uint32_t r = rng() % 4, s = rng() % 4;
      if (r == 1) lab->label[17 * 240 + x] = 1;
      if (r == 2) lab->label[18 * 240 + x] = 0;
      if (s == 1) lab->label[23 * 240 + x] = 1;
      if (s == 2) lab->label[22 * 240 + x] = 0;
    }
    ps = trace_mode(lab, FT_TRACE_CENTERLINE);
    ft_fit_params_init(&fp);
    CU_ASSERT_EQUAL_FATAL(ft_fit(NULL, ps, &fp, &fitted), FT_OK);
    CU_ASSERT_EQUAL(fitted->npaths, 1);
    if (fitted->npaths == 1) {
      const ft_path *p = &fitted->path[0];
      ft_point a = p->start;
      int j, k, ns = 0;
      double worst = 0, sum = 0;
      CU_ASSERT(p->nseg <= 24);
      CU_ASSERT(p->stroke_width >= 4.0 && p->stroke_width <= 5.5);
      for (j = 0; j < p->nseg; j++) {
        const ft_seg *sg = &p->seg[j];
        for (k = 0; k <= 16; k++) {
          double t = k / 16.0, u = 1 - t, y, xx;
          if (sg->type == FT_SEG_CUBIC) {
            y = u * u * u * a.y + 3 * u * u * t * sg->c[0].y + 3 * u * t * t * sg->c[1].y +
                t * t * t * sg->c[2].y;
            xx = u * u * u * a.x + 3 * u * u * t * sg->c[0].x + 3 * u * t * t * sg->c[1].x +
                 t * t * t * sg->c[2].x;
          } else {
            y = u * a.y + t * sg->c[2].y;
            xx = u * a.x + t * sg->c[2].x;
          }
          if (xx >= 20 && xx <= 220) { /* the caps aside */
            worst = fmax(worst, fabs(y - 20.5));
            sum += fabs(y - 20.5);
            ns++;
          }
        }
        a = sg->c[2];
      }
      CU_ASSERT(ns > 100 && sum / ns <= 0.4);
      CU_ASSERT(worst <= 1.1);
    }
    ft_paths_free(fitted);
    ft_paths_free(ps);
  }
  ft_labels_free(lab);
}

/* Distance from (x, y) to the nearest vertex of any stroke. */
static double nearest_vertex(const ft_paths *ps, double x, double y) {
  double best = 1e30;
  int i, j;
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    double d = hypot(p->start.x - x, p->start.y - y);
    if (d < best) best = d;
    for (j = 0; j < p->nseg; j++)
      if ((d = hypot(p->seg[j].c[2].x - x, p->seg[j].c[2].y - y)) < best) best = d;
  }
  return best;
}

/* A thick sharp V (53 degrees, round join): the skeleton's junction sits
 * well inside the vertex and its branch to the tip is pruned; the corner
 * must still reach the tip, so that the round join covers it. */
static void test_sharp_v(void) {
  ft_labels *lab = mask_new(200, 140);
  ft_paths *ps;
  capsule(lab, 100, 20, 60, 100, 7);
  capsule(lab, 100, 20, 140, 100, 7);
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL(ps->npaths, 1);
  CU_ASSERT(nearest_vertex(ps, 100, 20) <= 1.0);
  CU_ASSERT(nearest_vertex(ps, 60, 100) <= 1.5);
  CU_ASSERT(nearest_vertex(ps, 140, 100) <= 1.5);
  CU_ASSERT(iou(lab, ps) >= 0.95);
  ft_paths_free(ps);
  /* the same V at a right angle and a star-like 36 degrees */
  memset(lab->label, 0, (size_t)200 * 140 * sizeof *lab->label);
  capsule(lab, 100, 20, 60, 60, 7);
  capsule(lab, 100, 20, 140, 60, 7);
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL(ps->npaths, 1);
  CU_ASSERT(nearest_vertex(ps, 100, 20) <= 1.0);
  ft_paths_free(ps);
  memset(lab->label, 0, (size_t)200 * 140 * sizeof *lab->label);
  capsule(lab, 100, 15, 74, 95, 7);
  capsule(lab, 100, 15, 126, 95, 7);
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL(ps->npaths, 1);
  CU_ASSERT(nearest_vertex(ps, 100, 15) <= 1.0);
  CU_ASSERT(iou(lab, ps) >= 0.94);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* An arrow head: the three strokes meet at one junction near the tip (the
 * least-squares meeting point of their centre lines measured outside the
 * junction's disc, which the bend of the skeleton there pulls back by
 * about a fifth of the width). */
static void test_arrow_head(void) {
  ft_labels *lab = mask_new(200, 120);
  ft_paths *ps;
  capsule(lab, 20, 60, 160, 60, 6);
  capsule(lab, 160, 60, 125, 25, 6);
  capsule(lab, 160, 60, 125, 95, 6);
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT(ps->npaths >= 2 && ps->npaths <= 3);
  CU_ASSERT(nearest_vertex(ps, 160, 60) <= 3.0);
  CU_ASSERT(nearest_vertex(ps, 20, 60) <= 1.5);
  CU_ASSERT(nearest_vertex(ps, 125, 25) <= 1.5);
  CU_ASSERT(nearest_vertex(ps, 125, 95) <= 1.5);
  CU_ASSERT(iou(lab, ps) >= 0.95);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* A fat "+" whose arms stick out only a width beyond the crossing: the
 * crossing's disc is wider than either stroke, but the arms are strokes,
 * not spurs. */
static void test_short_plus(void) {
  ft_labels *lab = mask_new(160, 120);
  ft_paths *ps;
  capsule(lab, 40, 60, 120, 60, 10);
  capsule(lab, 80, 20, 80, 100, 10);
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL(ps->npaths, 2);
  CU_ASSERT(nearest_vertex(ps, 80, 20) <= 2.0);
  CU_ASSERT(nearest_vertex(ps, 80, 100) <= 2.0);
  CU_ASSERT(nearest_vertex(ps, 40, 60) <= 2.0);
  CU_ASSERT(nearest_vertex(ps, 120, 60) <= 2.0);
  CU_ASSERT(iou(lab, ps) >= 0.95);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* A marker stroke riddled with pores (as Otsu leaves grainy graphite) is
 * one stroke, not a net of loops; a ring's real hole stays. */
static void test_pores(void) {
  ft_labels *lab = mask_new(200, 100);
  ft_paths *ps;
  int k;
  rect(lab, 20, 35, 180, 65); /* width 30 */
  for (k = 0; k < 12; k++) { /* 2x2 .. 3x4 pores, spread over the bar */
    int x = 30 + 12 * k, y = 40 + (int)(rng() % 18), x1 = x + 2 + k % 2, y1 = y + 2 + k % 3, xx, yy;
    for (yy = y; yy < y1; yy++)
      for (xx = x; xx < x1; xx++) lab->label[yy * 200 + xx] = 0;
  }
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL(ps->npaths, 1);
  if (ps->npaths >= 1) {
    CU_ASSERT(!ps->path[0].closed);
    CU_ASSERT_DOUBLE_EQUAL(ps->path[0].stroke_width, 30.0, 2.0);
  }
  ft_paths_free(ps);
  memset(lab->label, 0, (size_t)200 * 100 * sizeof *lab->label);
  annulus(lab, 100, 50, 10, 30); /* hole radius 10, stroke 20 */
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL(ps->npaths, 1);
  if (ps->npaths >= 1) CU_ASSERT(ps->path[0].closed);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* Auto: a filled disc with a tail - the disc outlined, the tail stroked. */
static void test_blob_tail(void) {
  ft_labels *lab = mask_new(140, 80);
  ft_paths *ps;
  int i, x, y, nstroke = 0;
  for (y = 0; y < 80; y++)
    for (x = 0; x < 140; x++)
      if (hypot(x + 0.5 - 35, y + 0.5 - 40) <= 20) lab->label[y * 140 + x] = 1;
  capsule(lab, 50, 40, 130, 40, 2.0);
  ps = trace_mode(lab, FT_TRACE_AUTO);
  CU_ASSERT(count_class(ps, FT_CLASS_INK) >= 1);
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    if (p->class_id == FT_CLASS_INK) {
      CU_ASSERT_EQUAL(p->closed, 1);
      CU_ASSERT(i < ps->npaths - nstroke);
    } else {
      CU_ASSERT_EQUAL(p->class_id, FT_CLASS_STROKE);
      CU_ASSERT_DOUBLE_EQUAL(p->stroke_width, 4.0, 0.5);
      nstroke++;
    }
  }
  CU_ASSERT_EQUAL(nstroke, 1);
  CU_ASSERT(iou(lab, ps) > 0.95);
  ft_paths_free(ps);
  /* the plain centerline mode strokes everything */
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL(count_class(ps, FT_CLASS_INK), 0);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* Ink the triangle (ax,ay), (bx,by), (cx,cy) (pixel centres inside). */
static void triangle(ft_labels *lab, double ax, double ay, double bx, double by, double cx,
                     double cy) {
  int x, y;
  for (y = 0; y < lab->height; y++)
    for (x = 0; x < lab->width; x++) {
      double px = x + 0.5, py = y + 0.5;
      double d1 = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
      double d2 = (cx - bx) * (py - by) - (cy - by) * (px - bx);
      double d3 = (ax - cx) * (py - cy) - (ay - cy) * (px - cx);
      if ((d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0))
        lab->label[y * lab->width + x] = 1;
    }
}

/* Fraction of the ink in box [x0,x1) x [y0,y1) covered by outlines (not
 * strokes). */
static double outlined(const ft_labels *lab, const ft_paths *ps, int x0, int y0, int x1, int y1) {
  long n = 0, in = 0;
  int x, y;
  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++)
      if (lab->label[y * lab->width + x]) {
        n++;
        in += winding(ps, x + 0.5, y + 0.5) != 0;
      }
  return n ? (double)in / n : 0;
}

/* Auto: an arrow with a filled head - no one stroke width covers the
 * wedge, so the head is outlined, while the shaft stays one stroke. */
static void test_auto_arrow(void) {
  ft_labels *lab = mask_new(220, 100);
  ft_paths *ps;
  int i, nstroke = 0;
  capsule(lab, 15, 50, 170, 50, 3.0);
  triangle(lab, 205, 50, 160, 30, 160, 70);
  ps = trace_mode(lab, FT_TRACE_AUTO);
  CU_ASSERT(count_class(ps, FT_CLASS_INK) >= 1);
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    if (p->class_id != FT_CLASS_STROKE) continue;
    nstroke++;
    CU_ASSERT_DOUBLE_EQUAL(p->stroke_width, 6.0, 0.75);
  }
  CU_ASSERT_EQUAL(nstroke, 1);
  CU_ASSERT(nearest_vertex(ps, 15, 50) <= 1.5); /* the shaft starts at its cap's centre */
  CU_ASSERT(outlined(lab, ps, 168, 0, 220, 100) >= 0.95); /* the head is filled */
  CU_ASSERT(outlined(lab, ps, 0, 0, 150, 100) <= 0.05); /* the shaft is not */
  CU_ASSERT(iou(lab, ps) >= 0.95);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* Auto: a brush stroke tapering from 16 px to a point is outlined; a
 * uniform stroke next to it stays a stroke. */
static void test_auto_taper(void) {
  ft_labels *lab = mask_new(220, 120);
  ft_paths *ps;
  int x, y;
  for (y = 0; y < 120; y++) /* the taper: half-width 8 at x = 20 down to 0.5 at x = 200 */
    for (x = 20; x < 200; x++) {
      double hw = 8 - 7.5 * (x + 0.5 - 20) / 180;
      if (fabs(y + 0.5 - 30) <= hw) lab->label[y * 220 + x] = 1;
    }
  capsule(lab, 20, 90, 200, 90, 3.0);
  ps = trace_mode(lab, FT_TRACE_AUTO);
  CU_ASSERT_EQUAL(count_class(ps, FT_CLASS_STROKE), 1);
  CU_ASSERT(outlined(lab, ps, 0, 0, 220, 60) >= 0.95);
  CU_ASSERT(outlined(lab, ps, 0, 60, 220, 120) <= 0.05);
  CU_ASSERT(iou(lab, ps) >= 0.95);
  ft_paths_free(ps);
  /* the plain centerline mode strokes it, and covers it worse */
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL(count_class(ps, FT_CLASS_INK), 0);
  CU_ASSERT(iou(lab, ps) < 0.9);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* Auto on pure strokes outlines nothing. */
static void test_auto_strokes(void) {
  ft_labels *lab = mask_new(100, 80);
  ft_paths *ps;
  capsule(lab, 10, 15, 90, 15, 2.5);
  capsule(lab, 50, 15, 50, 70, 2.5);
  ps = trace_mode(lab, FT_TRACE_AUTO);
  CU_ASSERT_EQUAL(ps->npaths, 2);
  CU_ASSERT_EQUAL(count_class(ps, FT_CLASS_STROKE), 2);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_dot_and_fixed_width(void) {
  ft_labels *lab = mask_new(20, 20);
  ft_paths *ps = NULL;
  ft_trace_params p;
  lab->label[5 * 20 + 7] = 1;
  rect(lab, 2, 12, 18, 15);
  ft_trace_params_init(&p);
  p.mode = FT_TRACE_CENTERLINE;
  p.stroke_width = 2.25;
  CU_ASSERT_EQUAL_FATAL(ft_trace(NULL, lab, &p, &ps), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 2);
  CU_ASSERT_DOUBLE_EQUAL(ps->path[0].stroke_width, 2.25, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(ps->path[1].stroke_width, 2.25, 1e-12);
  ft_paths_free(ps);
  p.stroke_width = 0;
  CU_ASSERT_EQUAL_FATAL(ft_trace(NULL, lab, &p, &ps), FT_OK);
  { /* the dot: half a pixel centred on the pixel centre */
    int i, found = 0;
    for (i = 0; i < ps->npaths; i++) {
      const ft_path *q = &ps->path[i];
      if (q->nseg == 1 && q->start.x == 7.25 && q->start.y == 5.5 && q->seg[0].c[2].x == 7.75 &&
          q->seg[0].c[2].y == 5.5) {
        found = 1;
        /* the width of a disc of one pixel's area */
        CU_ASSERT_DOUBLE_EQUAL(q->stroke_width, 2 / sqrt(3.14159265358979), 1e-9);
      }
    }
    CU_ASSERT(found);
  }
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* A filled disc is one dot as wide as the disc. */
static void test_disc(void) {
  ft_labels *lab = mask_new(60, 60);
  ft_paths *ps;
  int x, y;
  for (y = 0; y < 60; y++)
    for (x = 0; x < 60; x++)
      if (hypot(x + 0.5 - 30, y + 0.5 - 30) <= 12) lab->label[y * 60 + x] = 1;
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 1);
  CU_ASSERT_EQUAL(ps->path[0].nseg, 1);
  CU_ASSERT_DOUBLE_EQUAL(ps->path[0].stroke_width, 24.0, 1.0);
  CU_ASSERT_DOUBLE_EQUAL((ps->path[0].start.x + ps->path[0].seg[0].c[2].x) / 2, 30.0, 1.0);
  CU_ASSERT_DOUBLE_EQUAL(ps->path[0].start.y, 30.0, 1.0);
  CU_ASSERT(iou(lab, ps) > 0.93);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_empty_and_labels(void) {
  ft_labels *lab = mask_new(30, 30);
  ft_paths *ps;
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL(ps->npaths, 0);
  CU_ASSERT_EQUAL(ps->width, 30);
  CU_ASSERT_EQUAL(ps->nlabels, 2);
  ft_paths_free(ps);
  ft_labels_free(lab);
  /* two labels: each traced on its own */
  if (ft_labels_new(NULL, 40, 20, 3, &lab)) return;
  lab->info[1].class_id = lab->info[2].class_id = FT_CLASS_REGION;
  rect(lab, 2, 5, 38, 8);
  {
    int x;
    for (x = 2; x < 38; x++) lab->label[12 * 40 + x] = lab->label[13 * 40 + x] = 2;
  }
  ps = trace_mode(lab, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 2);
  CU_ASSERT_EQUAL(ps->path[0].label, 1);
  CU_ASSERT_EQUAL(ps->path[1].label, 2);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_bad_params(void) {
  ft_labels *lab = mask_new(10, 10);
  ft_paths *ps = (ft_paths *)1;
  ft_trace_params p;
  ft_ctx *ctx;
  ctx = ft_ctx_new();
  CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
  ft_trace_params_init(&p);
  CU_ASSERT_EQUAL(p.mode, FT_TRACE_OUTLINE);
  CU_ASSERT_DOUBLE_EQUAL(p.spur_ratio, 0.75, 0);
  CU_ASSERT_DOUBLE_EQUAL(p.blob_ratio, 2.5, 0);
  CU_ASSERT_DOUBLE_EQUAL(p.simplify, 0.5, 0);
  CU_ASSERT_DOUBLE_EQUAL(p.stroke_width, 0.0, 0);
  p.mode = FT_TRACE_AUTO;
  p.blob_ratio = 1.0;
  CU_ASSERT_EQUAL(ft_trace(ctx, lab, &p, &ps), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(ps);
  CU_ASSERT(strstr(ft_ctx_errmsg(ctx), "blob_ratio") != NULL);
  ft_trace_params_init(&p);
  p.mode = FT_TRACE_CENTERLINE;
  p.stroke_width = -1;
  CU_ASSERT_EQUAL(ft_trace(ctx, lab, &p, &ps), FT_ERR_INVAL);
  p.stroke_width = NAN;
  CU_ASSERT_EQUAL(ft_trace(ctx, lab, &p, &ps), FT_ERR_INVAL);
  ft_trace_params_init(&p);
  p.mode = FT_TRACE_CENTERLINE;
  lab->label[3] = 7;
  CU_ASSERT_EQUAL(ft_trace(ctx, lab, &p, &ps), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(ps);
  ft_ctx_free(ctx);
  ft_labels_free(lab);
}

/* Random speckle of several densities: tracing succeeds in both modes and
 * every coordinate and width is finite and inside the image. */
static void test_random(void) {
  int density, mode, i, j;
  for (density = 10; density <= 90; density += 20)
    for (mode = FT_TRACE_CENTERLINE; mode <= FT_TRACE_AUTO; mode++) {
      ft_labels *lab = mask_new(64, 48);
      ft_paths *ps;
      for (i = 0; i < 64 * 48; i++) lab->label[i] = (int)(rng() % 100) < density;
      ps = trace_mode(lab, mode);
      CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
      for (i = 0; i < ps->npaths; i++) {
        const ft_path *p = &ps->path[i];
        ft_point q = p->start;
        CU_ASSERT(p->nseg >= 1);
        if (p->class_id == FT_CLASS_STROKE) CU_ASSERT(p->stroke_width >= 1.0 && p->stroke_width < 64);
        for (j = -1; j < p->nseg; j++) {
          if (j >= 0) q = p->seg[j].c[2];
          CU_ASSERT(q.x >= 0 && q.x <= 64 && q.y >= 0 && q.y <= 48);
        }
      }
      ft_paths_free(ps);
      ft_labels_free(lab);
    }
}

/* The command-line parsers of --trace and --stroke-width. */
static void test_cli_parsers(void) {
  ft_trace_params p;
  ft_trace_params_init(&p);
  CU_ASSERT_EQUAL(cli_parse_trace("centerline", &p), 0);
  CU_ASSERT_EQUAL(p.mode, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL(cli_parse_trace("auto", &p), 0);
  CU_ASSERT_EQUAL(p.mode, FT_TRACE_AUTO);
  CU_ASSERT_EQUAL(cli_parse_trace("outline", &p), 0);
  CU_ASSERT_EQUAL(p.mode, FT_TRACE_OUTLINE);
  CU_ASSERT_EQUAL(cli_parse_trace("center", &p), -1);
  CU_ASSERT_EQUAL(cli_parse_trace("", &p), -1);
  CU_ASSERT_EQUAL(p.mode, FT_TRACE_OUTLINE);
  CU_ASSERT_EQUAL(cli_parse_stroke_width("2.5", &p), 0);
  CU_ASSERT_DOUBLE_EQUAL(p.stroke_width, 2.5, 0);
  CU_ASSERT_EQUAL(cli_parse_stroke_width("auto", &p), 0);
  CU_ASSERT_DOUBLE_EQUAL(p.stroke_width, 0.0, 0);
  CU_ASSERT_EQUAL(cli_parse_stroke_width("0", &p), -1);
  CU_ASSERT_EQUAL(cli_parse_stroke_width("-1", &p), -1);
  CU_ASSERT_EQUAL(cli_parse_stroke_width("3px", &p), -1);
  CU_ASSERT_EQUAL(cli_parse_stroke_width("nan", &p), -1);
  CU_ASSERT_EQUAL(cli_parse_stroke_width("", &p), -1);
  CU_ASSERT_EQUAL(cli_parse_stroke_width("1e9", &p), -1);
  CU_ASSERT_DOUBLE_EQUAL(p.stroke_width, 0.0, 0);
}

int main(void) {
  static const ft_test_case cases[] = {{"bar of odd width", test_bar_odd},
                                       {"bar of even width", test_bar_even},
                                       {"bar one pixel wide", test_bar_thin},
                                       {"wide bar", test_bar_wide},
                                       {"diagonal stroke", test_diagonal},
                                       {"L", test_L},
                                       {"T", test_T},
                                       {"X at right angles", test_X},
                                       {"X at an acute angle", test_X_acute},
                                       {"X of thick strokes", test_X_thick},
                                       {"Y", test_Y},
                                       {"ring", test_ring},
                                       {"spiral", test_spiral},
                                       {"touching strokes", test_touching},
                                       {"noisy edges", test_noisy},
                                       {"thin noisy line, fitted", test_noisy_thin_fitted},
                                       {"sharp V reaches its tip", test_sharp_v},
                                       {"arrow head", test_arrow_head},
                                       {"short arms of a fat plus", test_short_plus},
                                       {"pores filled, real holes kept", test_pores},
                                       {"blob with a tail", test_blob_tail},
                                       {"auto: arrow with a filled head", test_auto_arrow},
                                       {"auto: tapering brush stroke", test_auto_taper},
                                       {"auto on strokes only", test_auto_strokes},
                                       {"dot and fixed width", test_dot_and_fixed_width},
                                       {"filled disc", test_disc},
                                       {"empty map and two labels", test_empty_and_labels},
                                       {"bad parameters", test_bad_params},
                                       {"random speckle", test_random},
                                       {"command-line parsers", test_cli_parsers},
                                       {NULL, NULL}};
  return ft_test_main("centerline", cases);
}
