/* tests/unit/test_instances.c - ft_split_instances on synthetic probability maps.
 *
 * Maps are drawn in code: discs whose rim (and any overlap with a neighbour)
 * is the boundary class and whose inside is the interior class, on a
 * background.  The results are integers, so assertions are exact.
 */
#include <math.h>

#include "figtrace.h"
#include "testutil.h"

enum { BG = 0, INT = 1, BND = 2 };

/* A 1 x 3 x h x w map, all background. */
static ft_tensor *new_map(int w, int h) {
  ft_tensor *t = NULL;
  size_t n = (size_t)w * h, i;
  CU_ASSERT_FATAL(ft_tensor_new(NULL, 1, 3, h, w, &t) == FT_OK);
  for (i = 0; i < n; i++) {
    t->data[i] = 0.9f;
    t->data[n + i] = 0.05f;
    t->data[2 * n + i] = 0.05f;
  }
  return t;
}

static void set_px(ft_tensor *t, int x, int y, int cls) {
  size_t n = (size_t)t->w * t->h, i = (size_t)y * t->w + x;
  t->data[i] = cls == BG ? 0.9f : 0.05f;
  t->data[n + i] = cls == INT ? 0.9f : cls == BND ? 0.1f : 0.05f;
  t->data[2 * n + i] = cls == BND ? 0.85f : 0.05f;
}

static int get_cls(const ft_tensor *t, int x, int y) {
  size_t n = (size_t)t->w * t->h, i = (size_t)y * t->w + x;
  if (t->data[n + i] > 0.5f) return INT;
  if (t->data[2 * n + i] > 0.5f) return BND;
  return BG;
}

/* Paint a disc: interior inside radius r - rim, boundary on the rim; where
 * the disc meets another object's pixels, both become boundary. */
static void disc(ft_tensor *t, double cx, double cy, double r, double rim) {
  int x, y;
  for (y = 0; y < t->h; y++)
    for (x = 0; x < t->w; x++) {
      double d = hypot(x - cx, y - cy);
      if (d > r) continue;
      if (get_cls(t, x, y) != BG || d > r - rim)
        set_px(t, x, y, BND);
      else
        set_px(t, x, y, INT);
    }
}

static int at(const ft_labels *l, int x, int y) { return l->label[(size_t)y * l->width + x]; }

static void test_two_touching_discs(void) {
  ft_tensor *t = new_map(80, 50);
  ft_labels *lab = NULL;
  ft_instance_params p;
  int x, y, fg = 0, a, b;
  disc(t, 25, 25, 12, 2);
  disc(t, 47, 25, 12, 2); /* overlaps the first over x = 35..37 */
  ft_instance_params_init(&p);
  CU_ASSERT_FATAL(ft_split_instances(NULL, t, NULL, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 3);
  a = at(lab, 25, 25);
  b = at(lab, 47, 25);
  CU_ASSERT(a >= 1 && b >= 1 && a != b);
  CU_ASSERT_EQUAL(a, 1); /* raster order: the left disc's top pixel comes first */
  CU_ASSERT_EQUAL(lab->info[1].class_id, FT_CLASS_NUCLEUS);
  CU_ASSERT_EQUAL(lab->info[2].class_id, FT_CLASS_NUCLEUS);
  /* Every foreground pixel belongs to an instance, nothing else does; the
   * left disc's own pixels (x < 35) are all a, the right one's (x > 37) b. */
  for (y = 0; y < 50; y++)
    for (x = 0; x < 80; x++) {
      int c = get_cls(t, x, y), l = at(lab, x, y);
      if (c != BG) fg++;
      CU_ASSERT_EQUAL(l != 0, c != BG);
      if (c != BG && x < 35) CU_ASSERT_EQUAL(l, a);
      if (c != BG && x > 37) CU_ASSERT_EQUAL(l, b);
    }
  CU_ASSERT_EQUAL(lab->info[1].area + lab->info[2].area, fg);
  CU_ASSERT_EQUAL(lab->info[0].area, 80 * 50 - fg);
  /* Symmetric pair: the split is within a couple of pixels of even. */
  CU_ASSERT(llabs(lab->info[1].area - lab->info[2].area) <= 2 * 25);
  ft_labels_free(lab);
  ft_tensor_free(t);
}

static void test_fragments_dropped(void) {
  ft_tensor *t = new_map(90, 40);
  ft_labels *lab = NULL;
  ft_instance_params p;
  int x, y;
  disc(t, 15, 20, 10, 2);                       /* a nucleus */
  for (y = 5; y < 8; y++)                       /* a 3x3 interior speck */
    for (x = 40; x < 43; x++) set_px(t, x, y, INT);
  for (y = 25; y < 29; y++)                     /* 20 px of boundary only */
    for (x = 40; x < 45; x++) set_px(t, x, y, BND);
  for (y = 10; y < 20; y++)                     /* 100 px of boundary only */
    for (x = 60; x < 70; x++) set_px(t, x, y, BND);
  ft_instance_params_init(&p);
  p.min_area = 30;
  CU_ASSERT_FATAL(ft_split_instances(NULL, t, NULL, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 3);
  CU_ASSERT_EQUAL(at(lab, 15, 20), 1);
  CU_ASSERT_EQUAL(at(lab, 41, 6), 0);
  CU_ASSERT_EQUAL(at(lab, 42, 26), 0);
  CU_ASSERT_EQUAL(at(lab, 65, 15), 2);
  CU_ASSERT_EQUAL(lab->info[2].area, 100);
  ft_labels_free(lab);
  /* min_area 0 keeps all four. */
  p.min_area = 0;
  CU_ASSERT_FATAL(ft_split_instances(NULL, t, NULL, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 5);
  CU_ASSERT_EQUAL(lab->info[at(lab, 41, 6)].area, 9);
  CU_ASSERT_EQUAL(lab->info[at(lab, 42, 26)].area, 20);
  ft_labels_free(lab);
  ft_tensor_free(t);
}

/* min_peak: an object whose interior probability never passes it goes, a
 * confident one of the same size stays, and so does the unsure one at 0. */
static void test_unsure_dropped(void) {
  ft_tensor *t = new_map(80, 40);
  ft_labels *lab = NULL;
  ft_instance_params p;
  size_t n = (size_t)t->w * t->h;
  int x, y;
  disc(t, 15, 20, 10, 2); /* interior 0.9 */
  disc(t, 55, 20, 10, 2);
  for (y = 0; y < t->h; y++) /* the second one's interior only 0.7 */
    for (x = 40; x < t->w; x++)
      if (get_cls(t, x, y) == INT) {
        t->data[n + (size_t)y * t->w + x] = 0.7f;
        t->data[2 * n + (size_t)y * t->w + x] = 0.25f;
      }
  ft_instance_params_init(&p);
  CU_ASSERT_DOUBLE_EQUAL(p.min_peak, 0, 0);
  CU_ASSERT_FATAL(ft_split_instances(NULL, t, NULL, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 3);
  ft_labels_free(lab);
  p.min_peak = 0.8;
  CU_ASSERT_FATAL(ft_split_instances(NULL, t, NULL, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 2);
  CU_ASSERT_EQUAL(at(lab, 15, 20), 1);
  CU_ASSERT_EQUAL(at(lab, 55, 20), 0);
  CU_ASSERT_EQUAL(at(lab, 64, 20), 0);
  ft_labels_free(lab);
  p.min_peak = 0.65;
  CU_ASSERT_FATAL(ft_split_instances(NULL, t, NULL, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 3);
  ft_labels_free(lab);
  ft_tensor_free(t);
}

static void test_holes(void) {
  ft_tensor *t = new_map(100, 50);
  ft_labels *lab = NULL;
  int x, y, hole_small = 0, hole_big = 0;
  disc(t, 25, 25, 18, 2);
  disc(t, 72, 25, 18, 2);
  /* Punch a small background hole in the first (area about 13) and a large one
   * in the second (radius 11: area about 380, far above a quarter of the rest). */
  for (y = 0; y < 50; y++)
    for (x = 0; x < 100; x++) {
      if (hypot(x - 25, y - 25) <= 2) set_px(t, x, y, BG), hole_small++;
      if (hypot(x - 72, y - 25) <= 11) set_px(t, x, y, BG), hole_big++;
    }
  CU_ASSERT_FATAL(ft_split_instances(NULL, t, NULL, NULL, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 3);
  CU_ASSERT_EQUAL(at(lab, 25, 25), 1); /* filled */
  CU_ASSERT_EQUAL(at(lab, 24, 24), 1);
  CU_ASSERT_EQUAL(at(lab, 72, 25), 0); /* real hole, kept */
  CU_ASSERT_EQUAL(at(lab, 72, 15), 0);
  CU_ASSERT_EQUAL(at(lab, 72, 10), 2);
  CU_ASSERT(hole_small > 0 && hole_big > 300);
  ft_labels_free(lab);
  ft_tensor_free(t);
}

static void test_colours_and_pixel_values(void) {
  ft_tensor *t = new_map(40, 30);
  ft_image *img = NULL;
  ft_labels *lab = NULL;
  int x, y;
  disc(t, 12, 15, 8, 2);
  disc(t, 30, 15, 6, 2);
  CU_ASSERT_FATAL(ft_image_new(NULL, 40, 30, 3, &img) == FT_OK);
  for (y = 0; y < 30; y++)
    for (x = 0; x < 40; x++) {
      float *px = img->data + ((size_t)y * 40 + x) * 3;
      px[0] = x < 21 ? 1.0f : 0.0f;
      px[1] = 0.25f;
      px[2] = x < 21 ? 0.0f : 0.5f;
    }
  CU_ASSERT_FATAL(ft_split_instances(NULL, t, img, NULL, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 3);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[1].color[0], 1.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[1].color[1], 0.25, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[2].color[0], 0.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[2].color[2], 0.5, 1e-6);
  ft_labels_free(lab);
  ft_image_free(img);
  ft_tensor_free(t);
}

static void test_errors(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_tensor *t = NULL, *t1 = NULL;
  ft_image *img = NULL;
  ft_labels *lab = (ft_labels *)&lab;
  ft_instance_params p;
  CU_ASSERT_FATAL(ctx != NULL);
  CU_ASSERT_FATAL(ft_tensor_new(NULL, 1, 2, 8, 8, &t1) == FT_OK);
  CU_ASSERT_EQUAL(ft_split_instances(ctx, t1, NULL, NULL, &lab), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(lab);
  CU_ASSERT(strstr(ft_ctx_errmsg(ctx), "instances:") != NULL);
  t = new_map(8, 8);
  ft_instance_params_init(&p);
  p.seed_threshold = 1.5;
  CU_ASSERT_EQUAL(ft_split_instances(ctx, t, NULL, &p, &lab), FT_ERR_INVAL);
  CU_ASSERT(strstr(ft_ctx_errmsg(ctx), "seed_threshold") != NULL);
  ft_instance_params_init(&p);
  p.min_area = -1;
  CU_ASSERT_EQUAL(ft_split_instances(ctx, t, NULL, &p, &lab), FT_ERR_INVAL);
  CU_ASSERT(strstr(ft_ctx_errmsg(ctx), "min_area") != NULL);
  ft_instance_params_init(&p);
  p.min_peak = 1.2;
  CU_ASSERT_EQUAL(ft_split_instances(ctx, t, NULL, &p, &lab), FT_ERR_INVAL);
  CU_ASSERT(strstr(ft_ctx_errmsg(ctx), "min_peak") != NULL);
  CU_ASSERT_FATAL(ft_image_new(NULL, 7, 8, 1, &img) == FT_OK);
  CU_ASSERT_EQUAL(ft_split_instances(ctx, t, img, NULL, &lab), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(lab);
  /* An empty map gives only the background. */
  CU_ASSERT_FATAL(ft_split_instances(ctx, t, NULL, NULL, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 1);
  CU_ASSERT_EQUAL(lab->info[0].area, 64);
  ft_labels_free(lab);
  ft_image_free(img);
  ft_tensor_free(t);
  ft_tensor_free(t1);
  ft_ctx_free(ctx);
}

/* A chain of five touching discs and a 2x2 grid: each disc one instance. */
static void test_clusters(void) {
  ft_tensor *t = new_map(160, 80);
  ft_labels *lab = NULL;
  int i, j, seen[16] = {0};
  for (i = 0; i < 5; i++) disc(t, 14 + 20 * i, 15, 11, 2);
  for (i = 0; i < 2; i++)
    for (j = 0; j < 2; j++) disc(t, 120 + 18 * i, 40 + 18 * j, 10, 2);
  CU_ASSERT_FATAL(ft_split_instances(NULL, t, NULL, NULL, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 10);
  for (i = 0; i < 5; i++) seen[at(lab, 14 + 20 * i, 15)]++;
  for (i = 0; i < 2; i++)
    for (j = 0; j < 2; j++) seen[at(lab, 120 + 18 * i, 40 + 18 * j)]++;
  for (i = 1; i < 10; i++) CU_ASSERT_EQUAL(seen[i], 1);
  ft_labels_free(lab);
  ft_tensor_free(t);
}

/* Paint the union of discs as one object: interior inside, boundary only on
 * the union's outer rim (no boundary where the discs meet), as a network
 * does when it misses the contact between two nuclei. */
static void merged_discs(ft_tensor *t, const double (*c)[3], int n, double rim) {
  int x, y, k;
  for (y = 0; y < t->h; y++)
    for (x = 0; x < t->w; x++) {
      double depth = -1e9; /* distance inside the union's rim */
      for (k = 0; k < n; k++) {
        double dd = c[k][2] - hypot(x - c[k][0], y - c[k][1]);
        if (dd > depth) depth = dd;
      }
      if (depth >= 0) set_px(t, x, y, depth < rim ? BND : INT);
    }
}

/* Two discs merged through a neck are cut between them along the neck; an
 * ellipse without a neck stays whole; neck_split = 0 (the default) keeps
 * the merged pair as one. */
static void test_neck_split(void) {
  static const double pair[2][3] = {{25, 25, 12}, {45, 25, 12}};
  ft_tensor *t = new_map(80, 50), *e = new_map(80, 50);
  ft_labels *lab = NULL;
  ft_instance_params p;
  int x, y, a, b;
  merged_discs(t, pair, 2, 2);
  ft_instance_params_init(&p);
  CU_ASSERT_EQUAL(p.neck_split, 0);
  p.neck_split = 0.75;
  CU_ASSERT_FATAL(ft_split_instances(NULL, t, NULL, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 3);
  a = at(lab, 25, 25);
  b = at(lab, 45, 25);
  CU_ASSERT(a >= 1 && b >= 1 && a != b);
  /* the cut runs along the neck, x = 35 +- 1, on every row */
  for (y = 0; y < 50; y++)
    for (x = 0; x < 80; x++) {
      int l = at(lab, x, y);
      if (l && x < 34) CU_ASSERT_EQUAL(l, a);
      if (l && x > 36) CU_ASSERT_EQUAL(l, b);
    }
  CU_ASSERT(llabs(lab->info[a].area - lab->info[b].area) <= 50);
  ft_labels_free(lab);
  lab = NULL;
  p.neck_split = 0;
  CU_ASSERT_FATAL(ft_split_instances(NULL, t, NULL, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 2);
  ft_labels_free(lab);
  lab = NULL;
  /* an ellipse 2.5:1, no neck: one instance */
  for (y = 0; y < 50; y++)
    for (x = 0; x < 80; x++) {
      double r = hypot((x - 40) / 25.0, (y - 25) / 10.0);
      if (r <= 1) set_px(e, x, y, r > 0.85 ? BND : INT);
    }
  p.neck_split = 0.75;
  CU_ASSERT_FATAL(ft_split_instances(NULL, e, NULL, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 2);
  ft_labels_free(lab);
  ft_tensor_free(t);
  ft_tensor_free(e);
}

int main(void) {
  static const ft_test_case cases[] = {
      {"two touching discs give two instances", test_two_touching_discs},
      {"fragments below min_area are dropped", test_fragments_dropped},
      {"objects below min_peak are dropped", test_unsure_dropped},
      {"small holes filled, large holes kept", test_holes},
      {"mean colours per instance", test_colours_and_pixel_values},
      {"bad maps and parameters", test_errors},
      {"chains and grids of touching discs", test_clusters},
      {"merged discs cut at their neck, ellipses kept", test_neck_split},
      {NULL, NULL},
  };
  return ft_test_main("instances", cases);
}
