/* tests/unit/test_trace.c - exact outline tracing.
 *
 * The central check rasterises the traced outlines again, independently of
 * the tracer: for every label, the winding number of all its closed paths
 * at every pixel centre must be exactly 1 on the label's pixels and 0
 * elsewhere, so the nonzero and the even-odd rule both give the mask.  Counts of outlines and holes are compared with a
 * flood-fill reference (8-connected regions, 4-connected holes), and parent
 * links with a containment reference (a path's parent is the smallest other
 * path of its label that strictly contains it).
 */
#include "config.h"

#include <math.h>

#include "core/internal.h"
#include "testutil.h"

/* ---- fixtures ---- */

/* A map from rows of text: '.' or ' ' is 0, '1'..'9' the label. */
static ft_labels *map_from_text(const char *const *rows, int h) {
  ft_labels *lab;
  int w = (int)strlen(rows[0]), x, y, maxl = 0;
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      if (rows[y][x] >= '1' && rows[y][x] <= '9' && rows[y][x] - '0' > maxl) maxl = rows[y][x] - '0';
  if (ft_labels_new(NULL, w, h, maxl + 1, &lab)) return NULL;
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      char c = rows[y][x];
      lab->label[y * w + x] = (c >= '1' && c <= '9') ? c - '0' : 0;
    }
  for (x = 1; x <= maxl; x++) lab->info[x].class_id = FT_CLASS_REGION;
  ft_labels_count(lab);
  return lab;
}

static uint32_t rng_state;
static uint32_t rng(void) {
  /* xorshift32 */
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

/* A random map: each pixel is nonzero with probability density/100, with a
 * label drawn from 1..nl. */
static ft_labels *random_map(int w, int h, int nl, int density, uint32_t seed) {
  ft_labels *lab;
  int i;
  rng_state = seed * 2654435761u + 12345u;
  if (!rng_state) rng_state = 1;
  if (ft_labels_new(NULL, w, h, nl + 1, &lab)) return NULL;
  for (i = 0; i < w * h; i++)
    lab->label[i] = (int)(rng() % 100) < density ? 1 + (int)(rng() % (uint32_t)nl) : 0;
  for (i = 1; i <= nl; i++) lab->info[i].class_id = FT_CLASS_INK;
  ft_labels_count(lab);
  return lab;
}

static ft_paths *trace(const ft_labels *lab) {
  ft_paths *ps = NULL;
  ft_status st = ft_trace(NULL, lab, NULL, &ps);
  CU_ASSERT_EQUAL(st, FT_OK);
  return ps;
}

/* ---- references ---- */

/* Winding numbers at pixel centres of the paths of label `label` (or the
 * single path `only` when >= 0): a vertical segment at x going up adds +1
 * to every pixel of its rows right of x, going down adds -1. */
static void winding(const ft_paths *ps, int label, int only, int w, int h, int *wind) {
  int i, j, x, y;
  memset(wind, 0, sizeof(int) * (size_t)w * h);
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    ft_point a = p->start;
    if (only >= 0 ? i != only : p->label != label) continue;
    for (j = 0; j < p->nseg; j++) {
      ft_point b = p->seg[j].c[2];
      if (a.x == b.x && a.y != b.y) {
        int y0 = (int)(a.y < b.y ? a.y : b.y), y1 = (int)(a.y < b.y ? b.y : a.y);
        int s = b.y < a.y ? 1 : -1;
        for (y = y0; y < y1; y++)
          if ((int)a.x < w) wind[y * w + (int)a.x] += s;
      }
      a = b;
    }
  }
  for (y = 0; y < h; y++)
    for (x = 1; x < w; x++) wind[y * w + x] += wind[y * w + x - 1];
}

/* Flood fill from (x, y) over pixels with (label == L) == inside, 8- or
 * 4-connected; marks comp[] with id; returns 1 when it reached the border. */
static int flood(const ft_labels *lab, int L, int inside, int conn8, int x0, int y0, int *comp,
                 int id, int *stack) {
  int w = lab->width, h = lab->height, n = 0, border = 0;
  stack[n++] = y0 * w + x0;
  comp[y0 * w + x0] = id;
  while (n > 0) {
    int i = stack[--n], x = i % w, y = i / w, dx, dy;
    if (x == 0 || y == 0 || x == w - 1 || y == h - 1) border = 1;
    for (dy = -1; dy <= 1; dy++)
      for (dx = -1; dx <= 1; dx++) {
        int nx = x + dx, ny = y + dy, k;
        if (!dx && !dy) continue;
        if (!conn8 && dx && dy) continue;
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        k = ny * w + nx;
        if (comp[k] || ((lab->label[k] == L) != inside)) continue;
        comp[k] = id;
        stack[n++] = k;
      }
  }
  return border;
}

/* Reference counts of 8-connected regions and enclosed 4-connected holes of L. */
static void ref_counts(const ft_labels *lab, int L, int *regions, int *holes) {
  int n = lab->width * lab->height, i, id = 0;
  int *comp = calloc((size_t)n, sizeof *comp), *stack = malloc(sizeof(int) * (size_t)n);
  *regions = *holes = 0;
  for (i = 0; i < n; i++)
    if (!comp[i] && lab->label[i] == L) {
      flood(lab, L, 1, 1, i % lab->width, i / lab->width, comp, ++id, stack);
      ++*regions;
    }
  memset(comp, 0, sizeof *comp * (size_t)n);
  for (i = 0; i < n; i++)
    if (!comp[i] && lab->label[i] != L) {
      if (!flood(lab, L, 0, 0, i % lab->width, i / lab->width, comp, ++id, stack)) ++*holes;
    }
  free(comp);
  free(stack);
}

/* Structural checks on every path; returns the number of problems. */
static int check_structure(const ft_paths *ps, const ft_labels *lab) {
  int i, j, bad = 0;
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    ft_point a = p->start, b;
    double area = ft_path_area(p);
    int dir0 = -1, dir = -1;
    if (!p->closed || p->nseg < 4 || p->nseg % 2) bad++;
    if (p->label < 1 || p->label >= lab->nlabels) bad++;
    else if (p->class_id != lab->info[p->label].class_id) bad++;
    if (p->hole != (area < 0)) bad++;
    if (area == 0 || area != floor(area)) bad++;
    if (p->parent >= i) bad++;
    if (p->parent >= 0) {
      const ft_path *q = &ps->path[p->parent];
      if (q->label != p->label || q->hole == p->hole) bad++;
    } else if (p->hole) {
      bad++;
    }
    if (p->start.x != floor(p->start.x) || p->start.y != floor(p->start.y)) bad++;
    for (j = 0; j < p->nseg; j++) {
      int d;
      b = p->seg[j].c[2];
      if (p->seg[j].type != FT_SEG_LINE) bad++;
      if (b.x != floor(b.x) || b.y != floor(b.y) || b.x < 0 || b.y < 0 || b.x > ps->width ||
          b.y > ps->height)
        bad++;
      if ((a.x != b.x) == (a.y != b.y)) bad++; /* axis-aligned, non-empty */
      d = a.x < b.x ? 0 : a.y < b.y ? 1 : a.x > b.x ? 2 : 3;
      if (d == dir) bad++; /* a vertex only where the direction changes */
      if (j == 0) dir0 = d;
      dir = d;
      a = b;
    }
    if (a.x != p->start.x || a.y != p->start.y) bad++;
    if (dir == dir0) bad++;
  }
  return bad;
}

/* Parents against the containment reference; returns the number of mismatches. */
static int check_parents(const ft_paths *ps, const ft_labels *lab) {
  int w = lab->width, h = lab->height, n = w * h, i, j, k, bad = 0;
  int *wind = malloc(sizeof(int) * (size_t)n);
  unsigned char *in = calloc((size_t)ps->npaths * (size_t)n + 1, 1);
  int *size = calloc((size_t)ps->npaths + 1, sizeof(int));
  for (i = 0; i < ps->npaths; i++) {
    winding(ps, 0, i, w, h, wind);
    for (k = 0; k < n; k++)
      if (wind[k]) {
        in[(size_t)i * n + k] = 1;
        size[i]++;
      }
  }
  for (i = 0; i < ps->npaths; i++) {
    int best = -1;
    for (j = 0; j < ps->npaths; j++) {
      int sub = 1;
      if (j == i || ps->path[j].label != ps->path[i].label || size[j] <= size[i]) continue;
      for (k = 0; k < n && sub; k++)
        if (in[(size_t)i * n + k] && !in[(size_t)j * n + k]) sub = 0;
      if (sub && (best < 0 || size[j] < size[best])) best = j;
    }
    if (best != ps->path[i].parent) bad++;
  }
  free(wind);
  free(in);
  free(size);
  return bad;
}

/* Everything the tracer promises for one map; returns 1 when all holds. */
static int check_map(const ft_labels *lab, int parents) {
  ft_paths *ps = NULL;
  int w = lab->width, h = lab->height, L, k, ok = 1;
  int *wind;
  if (ft_trace(NULL, lab, NULL, &ps) != FT_OK || !ps) return 0;
  wind = malloc(sizeof(int) * (size_t)w * h);
  if (ps->width != w || ps->height != h || ps->nlabels != lab->nlabels) ok = 0;
  if (check_structure(ps, lab)) ok = 0;
  for (L = 1; L < lab->nlabels; L++) {
    int regions, holes, nout = 0, nhole = 0, i;
    double area = 0;
    winding(ps, L, -1, w, h, wind);
    for (k = 0; k < w * h; k++)
      if (wind[k] != (lab->label[k] == L)) ok = 0;
    ref_counts(lab, L, &regions, &holes);
    for (i = 0; i < ps->npaths; i++)
      if (ps->path[i].label == L) {
        area += ft_path_area(&ps->path[i]);
        if (ps->path[i].hole)
          nhole++;
        else
          nout++;
      }
    if (nout != regions || nhole != holes || area != (double)lab->info[L].area) ok = 0;
  }
  if (parents && check_parents(ps, lab)) ok = 0;
  free(wind);
  ft_paths_free(ps);
  return ok;
}

/* ---- hand-made maps ---- */

static void test_single_pixel(void) {
  static const char *const rows[] = {"....", "..1.", "...."};
  ft_labels *lab = map_from_text(rows, 3);
  ft_paths *ps = trace(lab);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  CU_ASSERT_EQUAL(ps->npaths, 1);
  CU_ASSERT_EQUAL(ps->path[0].nseg, 4);
  CU_ASSERT_EQUAL(ps->path[0].start.x, 2);
  CU_ASSERT_EQUAL(ps->path[0].start.y, 1);
  CU_ASSERT_EQUAL(ps->path[0].seg[0].c[2].x, 3); /* first edge runs east: clockwise */
  CU_ASSERT_EQUAL(ps->path[0].seg[0].c[2].y, 1);
  CU_ASSERT_EQUAL(ps->path[0].parent, -1);
  CU_ASSERT_EQUAL(ps->path[0].hole, 0);
  CU_ASSERT_EQUAL(ps->path[0].closed, 1);
  CU_ASSERT_EQUAL(ps->path[0].label, 1);
  CU_ASSERT_EQUAL(ps->path[0].class_id, FT_CLASS_REGION);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[0]), 1.0, 0);
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_rectangle_and_l_shape(void) {
  static const char *const rect[] = {"......", ".1111.", ".1111.", ".1111.", "......"};
  static const char *const ell[] = {"1...", "1...", "1...", "1111"};
  ft_labels *lab = map_from_text(rect, 5);
  ft_paths *ps = trace(lab);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  CU_ASSERT_EQUAL(ps->npaths, 1);
  CU_ASSERT_EQUAL(ps->path[0].nseg, 4);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[0]), 12.0, 0);
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);

  lab = map_from_text(ell, 4);
  ps = trace(lab);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  CU_ASSERT_EQUAL(ps->npaths, 1);
  CU_ASSERT_EQUAL(ps->path[0].nseg, 6);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[0]), 7.0, 0);
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_ring_with_hole(void) {
  static const char *const rows[] = {".....", ".111.", ".1.1.", ".111.", "....."};
  ft_labels *lab = map_from_text(rows, 5);
  ft_paths *ps = trace(lab);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 2);
  CU_ASSERT_EQUAL(ps->path[0].hole, 0);
  CU_ASSERT_EQUAL(ps->path[0].parent, -1);
  CU_ASSERT_EQUAL(ps->path[1].hole, 1);
  CU_ASSERT_EQUAL(ps->path[1].parent, 0);
  CU_ASSERT_EQUAL(ps->path[1].nseg, 4);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[0]), 9.0, 0);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[1]), -1.0, 0);
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_nested_rings(void) {
  static const char *const rows[] = {
      "1111111111111", "1...........1", "1.111111111.1", "1.1.......1.1",
      "1.1.11111.1.1", "1.1.1...1.1.1", "1.1.1.1.1.1.1", "1.1.1...1.1.1",
      "1.1.11111.1.1", "1.1.......1.1", "1.111111111.1", "1...........1",
      "1111111111111"};
  ft_labels *lab = map_from_text(rows, 13);
  ft_paths *ps = trace(lab);
  int i;
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 7);
  /* ring, hole, ring, hole, ring, hole, dot: each the parent of the next */
  for (i = 0; i < 7; i++) {
    CU_ASSERT_EQUAL(ps->path[i].parent, i - 1);
    CU_ASSERT_EQUAL(ps->path[i].hole, i % 2);
    CU_ASSERT_EQUAL(ps->path[i].nseg, 4);
  }
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[0]), 169.0, 0);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[1]), -121.0, 0);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[6]), 1.0, 0);
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_sibling_islands(void) {
  /* islands stacked in one hole: the lower one looks up at the upper one,
   * a sibling, and must still get the hole as parent */
  static const char *const rows[] = {
      "111111111", "1.......1", "1.11111.1", "1.......1", "1...1...1",
      "1.......1", "1.1.1.1.1", "1.......1", "111111111"};
  ft_labels *lab = map_from_text(rows, 9);
  ft_paths *ps = trace(lab);
  int i;
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 7);
  CU_ASSERT_EQUAL(ps->path[0].parent, -1);
  CU_ASSERT_EQUAL(ps->path[1].hole, 1);
  CU_ASSERT_EQUAL(ps->path[1].parent, 0);
  for (i = 2; i < 7; i++) {
    CU_ASSERT_EQUAL(ps->path[i].hole, 0);
    CU_ASSERT_EQUAL(ps->path[i].parent, 1);
  }
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_diagonal_connection(void) {
  static const char *const two[] = {"....", ".1..", "..1.", "...."};
  static const char *const hole_diag[] = {".111.", "1...1", "1.1.1", "1...1", ".111."};
  ft_labels *lab = map_from_text(two, 4);
  ft_paths *ps = trace(lab);
  int j, at_corner = 0;
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  /* one 8-connected region, one outline through the shared corner twice */
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 1);
  CU_ASSERT_EQUAL(ps->path[0].nseg, 8);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[0]), 2.0, 0);
  for (j = 0; j < ps->path[0].nseg; j++)
    if (ps->path[0].seg[j].c[2].x == 2 && ps->path[0].seg[j].c[2].y == 2) at_corner++;
  CU_ASSERT_EQUAL(at_corner, 2);
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);

  /* a ring closed only by diagonal steps: one region with one 4-connected
   * hole holding an island */
  lab = map_from_text(hole_diag, 5);
  ps = trace(lab);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 3);
  CU_ASSERT_EQUAL(ps->path[0].hole, 0);
  CU_ASSERT_EQUAL(ps->path[1].hole, 1);
  CU_ASSERT_EQUAL(ps->path[1].parent, 0);
  CU_ASSERT_EQUAL(ps->path[2].hole, 0);
  CU_ASSERT_EQUAL(ps->path[2].parent, 1);
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_checkerboard(void) {
  ft_labels *lab;
  ft_paths *ps;
  int x, y, n = 8;
  CU_ASSERT_EQUAL_FATAL(ft_labels_new(NULL, n, n, 2, &lab), FT_OK);
  for (y = 0; y < n; y++)
    for (x = 0; x < n; x++) lab->label[y * n + x] = (x + y) % 2 == 0;
  lab->info[1].class_id = FT_CLASS_INK;
  ft_labels_count(lab);
  ps = trace(lab);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  /* all dark squares are one 8-connected region; each inner light square is a hole */
  CU_ASSERT_EQUAL(ps->npaths, 1 + (n - 2) * (n - 2) / 2);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[0]), 32.0 + 18.0, 0);
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_border_regions(void) {
  static const char *const u[] = {"1...1", "1...1", "1...1", "1...1"};
  static const char *const frame[] = {"11111", "1...1", "1...1", "11111"};
  static const char *const full[] = {"111", "111"};
  ft_labels *lab = map_from_text(u, 4);
  ft_paths *ps = trace(lab);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  CU_ASSERT_EQUAL(ps->npaths, 2);
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);

  lab = map_from_text(frame, 4);
  ps = trace(lab);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  CU_ASSERT_EQUAL_FATAL(ps->npaths, 2);
  CU_ASSERT_EQUAL(ps->path[1].hole, 1);
  CU_ASSERT_EQUAL(ps->path[0].start.x, 0);
  CU_ASSERT_EQUAL(ps->path[0].start.y, 0);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[0]), 20.0, 0);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[1]), -6.0, 0);
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);

  lab = map_from_text(full, 2);
  ps = trace(lab);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  CU_ASSERT_EQUAL(ps->npaths, 1);
  CU_ASSERT_EQUAL(ps->path[0].nseg, 4);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&ps->path[0]), 6.0, 0);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_multi_label(void) {
  static const char *const rows[] = {
      "1111111", "1222221", "1233321", "1232321", "1233321", "1222221", "1111111"};
  static const char *const touching[] = {"1122", "1122", "3344", "3.44"};
  ft_labels *lab = map_from_text(rows, 7);
  ft_paths *ps = trace(lab);
  int i, n[4] = {0, 0, 0, 0};
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  /* label 1: frame + hole; 2: frame + hole; 3: ring + hole; the centre 2 an island of 2 */
  CU_ASSERT_EQUAL(ps->npaths, 7);
  for (i = 0; i < ps->npaths; i++) {
    n[ps->path[i].label]++;
    if (ps->path[i].parent >= 0)
      CU_ASSERT_EQUAL(ps->path[ps->path[i].parent].label, ps->path[i].label);
  }
  CU_ASSERT_EQUAL(n[1], 2);
  CU_ASSERT_EQUAL(n[2], 3);
  CU_ASSERT_EQUAL(n[3], 2);
  CU_ASSERT_EQUAL(ps->nlabels, 4);
  CU_ASSERT_EQUAL(ps->info[2].class_id, FT_CLASS_REGION);
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);

  lab = map_from_text(touching, 4);
  ps = trace(lab);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  CU_ASSERT_EQUAL(ps->npaths, 4);
  for (i = 0; i < ps->npaths; i++) CU_ASSERT_EQUAL(ps->path[i].parent, -1);
  CU_ASSERT(check_map(lab, 1));
  ft_paths_free(ps);
  ft_labels_free(lab);
}

static void test_empty_and_metadata(void) {
  ft_labels *lab;
  ft_paths *ps;
  CU_ASSERT_EQUAL_FATAL(ft_labels_new(NULL, 7, 3, 2, &lab), FT_OK);
  lab->pixel_w = 0.5;
  lab->pixel_h = 0.25;
  lab->info[1].class_id = FT_CLASS_INK;
  lab->info[1].color[0] = 0.75f;
  ps = trace(lab);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
  CU_ASSERT_EQUAL(ps->npaths, 0);
  CU_ASSERT_EQUAL(ps->width, 7);
  CU_ASSERT_EQUAL(ps->height, 3);
  CU_ASSERT_DOUBLE_EQUAL(ps->pixel_w, 0.5, 0);
  CU_ASSERT_DOUBLE_EQUAL(ps->pixel_h, 0.25, 0);
  CU_ASSERT_EQUAL_FATAL(ps->nlabels, 2);
  CU_ASSERT_EQUAL(ps->info[1].class_id, FT_CLASS_INK);
  CU_ASSERT_DOUBLE_EQUAL(ps->info[1].color[0], 0.75, 0);
  ft_paths_free(ps);
  ft_labels_free(lab);
}

/* ---- random maps ---- */

static void test_random_small(void) {
  static const int sizes[][2] = {{1, 1}, {1, 7}, {9, 1}, {1, 40}, {40, 1}, {2, 2}, {3, 5},
                                 {6, 4}, {8, 8}, {13, 11}, {17, 23}, {24, 24}};
  int s, d, seed, fails = 0, runs = 0;
  for (s = 0; s < (int)(sizeof sizes / sizeof sizes[0]); s++)
    for (d = 10; d <= 90; d += 20)
      for (seed = 1; seed <= 6; seed++) {
        ft_labels *lab = random_map(sizes[s][0], sizes[s][1], 1, d, (uint32_t)(seed * 1000 + s * 10 + d));
        CU_ASSERT_PTR_NOT_NULL_FATAL(lab);
        runs++;
        if (!check_map(lab, 1)) {
          fails++;
          printf("\n  mismatch: %dx%d density %d seed %d\n", sizes[s][0], sizes[s][1], d, seed);
        }
        ft_labels_free(lab);
      }
  CU_ASSERT_EQUAL(fails, 0);
  CU_ASSERT_EQUAL(runs, 12 * 5 * 6);
}

static void test_random_multi_label(void) {
  int nl, d, seed, fails = 0;
  for (nl = 2; nl <= 4; nl++)
    for (d = 30; d <= 100; d += 35)
      for (seed = 1; seed <= 8; seed++) {
        int w = 5 + (seed * 7) % 20, h = 5 + (seed * 11) % 19;
        ft_labels *lab = random_map(w, h, nl, d, (uint32_t)(seed + 100 * nl + d));
        CU_ASSERT_PTR_NOT_NULL_FATAL(lab);
        if (!check_map(lab, 1)) {
          fails++;
          printf("\n  mismatch: %dx%d labels %d density %d seed %d\n", w, h, nl, d, seed);
        }
        ft_labels_free(lab);
      }
  CU_ASSERT_EQUAL(fails, 0);
}

/* Blobs: a smoothed random field, so regions are large, with holes, islands
 * in holes and holes in islands. */
static int blob_map_ok(int w, int h, uint32_t seed, int parents) {
  ft_labels *lab = random_map(w, h, 1, 50, seed);
  int32_t *tmp = malloc(sizeof(int32_t) * (size_t)w * h);
  int pass, x, y, ok;
  for (pass = 0; pass < 3; pass++) {
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        int dx, dy, c = 0;
        for (dy = -1; dy <= 1; dy++)
          for (dx = -1; dx <= 1; dx++) {
            int nx = x + dx, ny = y + dy;
            if (nx >= 0 && ny >= 0 && nx < w && ny < h) c += lab->label[ny * w + nx];
          }
        tmp[y * w + x] = c >= 5;
      }
    memcpy(lab->label, tmp, sizeof(int32_t) * (size_t)w * h);
  }
  ft_labels_count(lab);
  ok = check_map(lab, parents);
  if (!ok) printf("\n  mismatch: blobs %dx%d seed %u\n", w, h, (unsigned)seed);
  free(tmp);
  ft_labels_free(lab);
  return ok;
}

static void test_random_blobs(void) {
  int seed, fails = 0;
  for (seed = 1; seed <= 12; seed++) fails += !blob_map_ok(48, 40, (uint32_t)seed, 1);
  for (seed = 1; seed <= 3; seed++) fails += !blob_map_ok(200, 150, (uint32_t)seed, 0);
  CU_ASSERT_EQUAL(fails, 0);
}

/* Painted targets, large to small: discs or squares made of concentric bands
 * 1-3 pixels wide, alternately background and a random label, so the maps
 * hold rings in rings, islands in holes, stacked siblings, diagonal contacts
 * and borders shared between labels. */
static ft_labels *painted_map(int w, int h, int nl, uint32_t seed) {
  ft_labels *lab;
  int n, k, x, y;
  rng_state = seed * 2246822519u + 7u;
  if (!rng_state) rng_state = 1;
  if (ft_labels_new(NULL, w, h, nl + 1, &lab)) return NULL;
  n = 8 + (int)(rng() % 12);
  for (k = 0; k < n; k++) {
    int r = 2 + (int)((double)(w < h ? w : h) * 0.4 * (n - k) / n);
    int cx = (int)(rng() % (uint32_t)w), cy = (int)(rng() % (uint32_t)h);
    int sq = rng() % 3 == 0, nb = 0, band[64], b, v0 = rng() % 2;
    int lv[64];
    /* bands from the outside in: band[b] is the inner radius of band b */
    for (b = r; b > 0 && nb < 64; nb++) {
      b -= 1 + (int)(rng() % 3);
      band[nb] = b < 0 ? -1 : b;
      lv[nb] = (nb + v0) % 2 ? 1 + (int)(rng() % (uint32_t)nl) : 0;
    }
    for (y = cy - r; y <= cy + r; y++)
      for (x = cx - r; x <= cx + r; x++) {
        int dist, i;
        if (x < 0 || y < 0 || x >= w || y >= h) continue;
        if (sq) {
          dist = abs(x - cx) > abs(y - cy) ? abs(x - cx) : abs(y - cy);
        } else {
          dist = (int)floor(sqrt((double)((x - cx) * (x - cx) + (y - cy) * (y - cy))));
          if (dist > r) continue;
        }
        for (i = 0; i < nb && dist <= band[i]; i++) continue;
        if (i < nb) lab->label[y * w + x] = lv[i];
      }
  }
  for (k = 1; k <= nl; k++) lab->info[k].class_id = FT_CLASS_REGION;
  ft_labels_count(lab);
  return lab;
}

static void test_painted_nesting(void) {
  int seed, nl, fails = 0, islands = 0, deep = 0;
  for (nl = 1; nl <= 3; nl++)
    for (seed = 1; seed <= 25; seed++) {
      int w = 30 + (seed * 13) % 25, h = 28 + (seed * 7) % 23, i;
      ft_labels *lab = painted_map(w, h, nl, (uint32_t)(seed + 1000 * nl));
      ft_paths *ps;
      CU_ASSERT_PTR_NOT_NULL_FATAL(lab);
      if (!check_map(lab, 1)) {
        fails++;
        printf("\n  mismatch: painted %dx%d labels %d seed %d\n", w, h, nl, seed);
      }
      ps = trace(lab);
      CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
      for (i = 0; i < ps->npaths; i++) {
        int p = ps->path[i].parent, depth = 0;
        if (!ps->path[i].hole && p >= 0) islands++;
        while (p >= 0) {
          depth++;
          p = ps->path[p].parent;
        }
        if (depth >= 3) deep++;
      }
      ft_paths_free(ps);
      ft_labels_free(lab);
    }
  CU_ASSERT_EQUAL(fails, 0);
  /* the fixtures do exercise nesting */
  CU_ASSERT(islands >= 50);
  CU_ASSERT(deep >= 10);
}

/* A larger random map, exactness and counts only. */
static void test_random_large(void) {
  ft_labels *lab = random_map(300, 260, 1, 45, 99);
  CU_ASSERT_PTR_NOT_NULL_FATAL(lab);
  CU_ASSERT(check_map(lab, 0));
  ft_labels_free(lab);
}

/* Segment then trace: a thresholded drawing is traced exactly. */
static void test_segment_then_trace(void) {
  ft_image *img;
  ft_labels *lab = NULL;
  ft_paths *ps = NULL;
  int x, y, i, holes = 0;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(NULL, 64, 48, 3, &img), FT_OK);
  for (y = 0; y < 48; y++)
    for (x = 0; x < 64; x++) {
      double d = hypot(x - 30.5, y - 22.5);
      /* two dark rings (with holes) and a dot, on light paper */
      float v = ((d > 8 && d < 12) || (d > 16 && d < 19) || d < 3) ? 0.15f : 0.85f;
      for (i = 0; i < 3; i++) img->data[(y * 64 + x) * 3 + i] = v;
    }
  img->pixel_w = img->pixel_h = 0.5;
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, NULL, &lab), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_trace(NULL, lab, NULL, &ps), FT_OK);
  CU_ASSERT(check_map(lab, 1));
  CU_ASSERT_EQUAL(ps->npaths, 5); /* ring, hole, ring, hole, dot */
  for (i = 0; i < ps->npaths; i++) {
    holes += ps->path[i].hole;
    CU_ASSERT_EQUAL(ps->path[i].parent, i - 1);
    CU_ASSERT_EQUAL(ps->path[i].class_id, FT_CLASS_INK);
  }
  CU_ASSERT_EQUAL(holes, 2);
  CU_ASSERT_DOUBLE_EQUAL(ps->pixel_w, 0.5, 0);
  ft_paths_free(ps);
  ft_labels_free(lab);
  ft_image_free(img);
}

/* ---- errors, progress and cancellation ---- */

static int progress_calls, cancel_at;
static double last_f;
static int progress_cb(void *user, double f) {
  (void)user;
  CU_ASSERT(f >= last_f);
  last_f = f;
  return ++progress_calls >= cancel_at;
}

static void test_errors_and_cancel(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_labels *lab = random_map(300, 200, 2, 50, 7);
  ft_paths *ps = (ft_paths *)1;
  ft_trace_params tp;
  CU_ASSERT_PTR_NOT_NULL_FATAL(lab);

  ft_trace_params_init(&tp);
  CU_ASSERT_EQUAL(tp.mode, FT_TRACE_OUTLINE);
  tp.mode = 7;
  CU_ASSERT_EQUAL(ft_trace(ctx, lab, &tp, &ps), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(ps);
  CU_ASSERT(strncmp(ft_ctx_errmsg(ctx), "trace: ", 7) == 0);
  CU_ASSERT_EQUAL(ft_trace(ctx, NULL, NULL, &ps), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_trace(ctx, lab, NULL, NULL), FT_ERR_INVAL);

  lab->label[5] = 3; /* nlabels is 3 */
  CU_ASSERT_EQUAL(ft_trace(ctx, lab, NULL, &ps), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(ps);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "trace: label 3 at (5,0) out of range 0..2");
  lab->label[5] = -1;
  CU_ASSERT_EQUAL(ft_trace(ctx, lab, NULL, &ps), FT_ERR_INVAL);
  lab->label[5] = 1;

  /* progress runs to 1 without cancelling */
  progress_calls = 0;
  last_f = 0;
  cancel_at = 1 << 30;
  ft_ctx_set_progress(ctx, progress_cb, NULL);
  CU_ASSERT_EQUAL(ft_trace(ctx, lab, NULL, &ps), FT_OK);
  CU_ASSERT(progress_calls >= 10);
  CU_ASSERT_DOUBLE_EQUAL(last_f, 1.0, 1e-12);
  ft_paths_free(ps);

  /* cancelled part way: nothing returned, nothing leaked (ASan checks) */
  progress_calls = 0;
  last_f = 0;
  cancel_at = 5;
  ft_ctx_set_progress(ctx, progress_cb, NULL);
  ps = (ft_paths *)1;
  CU_ASSERT_EQUAL(ft_trace(ctx, lab, NULL, &ps), FT_ERR_CANCELLED);
  CU_ASSERT_PTR_NULL(ps);
  CU_ASSERT_EQUAL(progress_calls, 5);

  ft_labels_free(lab);
  ft_ctx_free(ctx);
}

/* Field-by-field equality of two traces. */
static int same_trace(const ft_paths *a, const ft_paths *b) {
  int i, j;
  if (a->npaths != b->npaths) return 0;
  for (i = 0; i < a->npaths; i++) {
    const ft_path *p = &a->path[i], *q = &b->path[i];
    if (p->nseg != q->nseg || p->start.x != q->start.x || p->start.y != q->start.y ||
        p->hole != q->hole || p->parent != q->parent || p->label != q->label ||
        p->class_id != q->class_id || p->closed != q->closed ||
        p->stroke_width != q->stroke_width)
      return 0;
    for (j = 0; j < p->nseg; j++)
      if (p->seg[j].type != q->seg[j].type || p->seg[j].c[2].x != q->seg[j].c[2].x ||
          p->seg[j].c[2].y != q->seg[j].c[2].y)
        return 0;
  }
  return 1;
}

/* Trace lab with ctx set to the given threads. */
static ft_paths *trace_threads(const ft_labels *lab, int threads) {
  ft_ctx *ctx = ft_ctx_new();
  ft_paths *ps = NULL;
  ft_ctx_set_threads(ctx, threads);
  CU_ASSERT_EQUAL(ft_trace(ctx, lab, NULL, &ps), FT_OK);
  ft_ctx_free(ctx);
  return ps;
}

/* Maps of a megapixel and more are scanned in bands of rows, one a thread:
 * the paths are the same, in the same order, for 1, 2, 3 and 7 threads, on
 * painted rings and islands larger than a band, a random speckle of
 * crossing loops (int32 and compact), and the first bad label is still the
 * one reported. */
static void test_bands(void) {
  ft_labels *maps[3];
  int m, k, x, y;
  static const int threads[] = {2, 3, 7};
  maps[0] = painted_map(1200, 1000, 3, 77);
  maps[1] = random_map(1100, 1000, 1, 45, 5); /* above 8-connected percolation: spans bands */
  CU_ASSERT_PTR_NOT_NULL_FATAL(maps[0]);
  CU_ASSERT_PTR_NOT_NULL_FATAL(maps[1]);
  CU_ASSERT_EQUAL_FATAL(ft_labels_new_compact(NULL, 1100, 1000, 2, &maps[2]), FT_OK);
  for (y = 0; y < 1000; y++)
    for (x = 0; x < 1100; x++) maps[2]->label8[y * 1100 + x] = (uint8_t)maps[1]->label[y * 1100 + x];
  maps[2]->info[1].class_id = FT_CLASS_INK;
  for (m = 0; m < 3; m++) {
    ft_paths *ref = trace_threads(maps[m], 1);
    int crossing = 0, i;
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
    /* loops that span the middle rows, so bands do meet loops found above */
    for (i = 0; i < ref->npaths; i++) {
      int j, lo = (int)ref->path[i].start.y, hi = lo;
      for (j = 0; j < ref->path[i].nseg; j++) {
        int yy = (int)ref->path[i].seg[j].c[2].y;
        lo = yy < lo ? yy : lo;
        hi = yy > hi ? yy : hi;
      }
      if (lo < 480 && hi > 520) crossing++;
    }
    CU_ASSERT(crossing >= 2);
    for (k = 0; k < 3; k++) {
      ft_paths *ps = trace_threads(maps[m], threads[k]);
      CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
      if (!same_trace(ref, ps)) printf("\n  map %d: %d threads differ from one\n", m, threads[k]);
      CU_ASSERT(same_trace(ref, ps));
      ft_paths_free(ps);
    }
    ft_paths_free(ref);
  }
  /* bad labels in the first and last thirds: the first is reported */
  {
    ft_ctx *ctx = ft_ctx_new();
    ft_paths *ps = (ft_paths *)1;
    ft_ctx_set_threads(ctx, 3);
    maps[1]->label[900 * 1100 + 10] = 9;
    maps[1]->label[100 * 1100 + 20] = 8;
    CU_ASSERT_EQUAL(ft_trace(ctx, maps[1], NULL, &ps), FT_ERR_INVAL);
    CU_ASSERT_PTR_NULL(ps);
    CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "trace: label 8 at (20,100) out of range 0..1");
    ft_ctx_free(ctx);
  }
  /* cancelled while the bands run: nothing returned, nothing leaked */
  {
    ft_ctx *ctx = ft_ctx_new();
    ft_paths *ps = (ft_paths *)1;
    ft_ctx_set_threads(ctx, 2);
    progress_calls = 0;
    cancel_at = 1;
    ft_ctx_set_progress(ctx, progress_cb, NULL);
    CU_ASSERT_EQUAL(ft_trace(ctx, maps[0], NULL, &ps), FT_ERR_CANCELLED);
    CU_ASSERT_PTR_NULL(ps);
    ft_ctx_free(ctx);
  }
  for (m = 0; m < 3; m++) ft_labels_free(maps[m]);
}

/* A compact label map traces exactly like its int32 form, in outline,
 * centerline and auto mode, at widths that do and do not fill the 8-byte
 * steps of the scan; a byte out of range is refused. */
static void test_compact_map(void) {
  static const int widths[] = {1, 7, 8, 9, 33, 64};
  unsigned seed = 4242;
  int wi, mode;
  for (wi = 0; wi < 6; wi++) {
    int w = widths[wi], h = 23, nl = wi % 2 ? 3 : 2, x, y;
    ft_labels *wide = NULL, *small = NULL;
    size_t i, n = (size_t)w * h;
    CU_ASSERT_EQUAL_FATAL(ft_labels_new(NULL, w, h, nl, &wide), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_labels_new_compact(NULL, w, h, nl, &small), FT_OK);
    for (i = 1; i < (size_t)nl; i++) wide->info[i].class_id = small->info[i].class_id = FT_CLASS_INK;
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        int v;
        seed = seed * 1103515245u + 12345u;
        v = ((x / 3 + y / 4) % 3 == 0 || (seed >> 16) % 7 == 0) ? 1 + (int)((seed >> 20) % (nl - 1)) : 0;
        wide->label[(size_t)y * w + x] = v;
        small->label8[(size_t)y * w + x] = (uint8_t)v;
      }
    for (mode = FT_TRACE_OUTLINE; mode <= FT_TRACE_AUTO; mode++) {
      ft_trace_params p;
      ft_paths *a = NULL, *b = NULL;
      ft_trace_params_init(&p);
      p.mode = mode;
      CU_ASSERT_EQUAL_FATAL(ft_trace(NULL, wide, &p, &a), FT_OK);
      CU_ASSERT_EQUAL_FATAL(ft_trace(NULL, small, &p, &b), FT_OK);
      CU_ASSERT(a->npaths > 0);
      CU_ASSERT(same_trace(a, b));
      ft_paths_free(a);
      ft_paths_free(b);
    }
    /* a byte beyond nlabels */
    {
      ft_ctx *ctx = ft_ctx_new();
      ft_paths *b = NULL;
      small->label8[n - 1] = (uint8_t)nl;
      CU_ASSERT_EQUAL(ft_trace(ctx, small, NULL, &b), FT_ERR_INVAL);
      CU_ASSERT_PTR_NULL(b);
      CU_ASSERT(strstr(ft_ctx_errmsg(ctx), "out of range") != NULL);
      ft_ctx_free(ctx);
    }
    ft_labels_free(wide);
    ft_labels_free(small);
  }
}

int main(void) {
  static const ft_test_case cases[] = {
      {"single pixel is a unit square", test_single_pixel},
      {"rectangle 4 segments, L-shape 6", test_rectangle_and_l_shape},
      {"ring with a hole", test_ring_with_hole},
      {"rings in rings in rings", test_nested_rings},
      {"islands stacked in one hole", test_sibling_islands},
      {"diagonal-only connections", test_diagonal_connection},
      {"checkerboard", test_checkerboard},
      {"regions on the image border", test_border_regions},
      {"multi-label maps", test_multi_label},
      {"empty map and metadata", test_empty_and_metadata},
      {"random bitmaps, exact", test_random_small},
      {"random multi-label maps, exact", test_random_multi_label},
      {"random blobs, exact", test_random_blobs},
      {"painted nested shapes, exact with parents", test_painted_nesting},
      {"large random map, exact", test_random_large},
      {"large maps in bands of rows: the same for any threads", test_bands},
      {"segment then trace", test_segment_then_trace},
      {"errors, progress and cancellation", test_errors_and_cancel},
      {"compact label map traces the same", test_compact_map},
      {NULL, NULL}};
  return ft_test_main("trace", cases);
}
