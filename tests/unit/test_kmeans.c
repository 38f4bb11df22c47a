/* tests/unit/test_kmeans.c - CIELAB conversion, k-means colour quantisation
 * and the merging of small regions. */
#include "config.h"

#include <math.h>

#include "segment/internal.h"
#include "testutil.h"

/* ---- fixtures ---- */

/* A w x h RGB image filled with rgb. */
static ft_image *solid(int w, int h, float r, float g, float b) {
  ft_image *img = NULL;
  size_t i;
  CU_ASSERT_FATAL(ft_image_new(NULL, w, h, 3, &img) == FT_OK);
  for (i = 0; i < (size_t)w * h; i++) {
    img->data[i * 3] = r;
    img->data[i * 3 + 1] = g;
    img->data[i * 3 + 2] = b;
  }
  return img;
}

static void fill_rect(ft_image *img, int x0, int y0, int x1, int y1, float r, float g, float b) {
  int x, y;
  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++) {
      float *p = img->data + ((size_t)y * img->width + x) * 3;
      p[0] = r, p[1] = g, p[2] = b;
    }
}

static int32_t label_at(const ft_labels *lab, int x, int y) {
  return lab->label[(size_t)y * lab->width + x];
}

/* ---- CIELAB ---- */

static void check_lab(double r, double g, double b, double L, double A, double B) {
  double rgb[3] = {r, g, b}, lab[3];
  ft__rgb_to_lab(rgb, lab);
  CU_ASSERT_DOUBLE_EQUAL(lab[0], L, 0.01);
  CU_ASSERT_DOUBLE_EQUAL(lab[1], A, 0.01);
  CU_ASSERT_DOUBLE_EQUAL(lab[2], B, 0.01);
}

static void test_lab_reference(void) {
  /* reference values for sRGB primaries under D65 (CIE 15:2004 formulas) */
  check_lab(1, 1, 1, 100.0, 0.0, 0.0);
  check_lab(0, 0, 0, 0.0, 0.0, 0.0);
  check_lab(1, 0, 0, 53.2408, 80.0925, 67.2032);
  check_lab(0, 1, 0, 87.7347, -86.1827, 83.1793);
  check_lab(0, 0, 1, 32.2970, 79.1875, -107.8602);
  /* mid grey: sRGB 0.5 decodes to 0.21404 linear, L = 116 Y^(1/3) - 16 */
  check_lab(0.5, 0.5, 0.5, 53.3890, 0.0, 0.0);
  /* a dark grey in the linear part of both curves: sRGB 0.02 -> Y = 0.02 / 12.92 */
  check_lab(0.02, 0.02, 0.02, 903.2963 * (0.02 / 12.92), 0.0, 0.0);
}

/* ---- k-means on known colours ---- */

/* White page; a red block (the largest coloured area), a blue block, a
 * green block; sizes chosen so the areas differ. */
static ft_image *four_colours(void) {
  ft_image *img = solid(40, 30, 1, 1, 1);
  fill_rect(img, 2, 2, 22, 17, 1, 0, 0);   /* red 20x15 = 300 */
  fill_rect(img, 25, 2, 37, 14, 0, 0, 1);  /* blue 12x12 = 144 */
  fill_rect(img, 4, 20, 14, 28, 0, 1, 0);  /* green 10x8 = 80 */
  return img;
}

static void test_known_colours(void) {
  ft_image *img = four_colours();
  ft_kmeans_params p;
  ft_labels *lab = NULL, *again = NULL;
  int x, y, ok = 1;
  ft_kmeans_params_init(&p);
  p.k = 4;
  CU_ASSERT_FATAL(ft_segment_kmeans(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 5);
  CU_ASSERT_EQUAL(lab->info[0].area, 0);
  CU_ASSERT_EQUAL(lab->info[0].class_id, FT_CLASS_BACKGROUND);
  /* 1 white (border), then by area: red, blue, green */
  for (y = 0; y < 30; y++)
    for (x = 0; x < 40; x++) {
      int want = 1;
      if (x >= 2 && x < 22 && y >= 2 && y < 17) want = 2;
      if (x >= 25 && x < 37 && y >= 2 && y < 14) want = 3;
      if (x >= 4 && x < 14 && y >= 20 && y < 28) want = 4;
      if (label_at(lab, x, y) != want) ok = 0;
    }
  CU_ASSERT(ok);
  CU_ASSERT_EQUAL(lab->info[1].area, 1200 - 300 - 144 - 80);
  CU_ASSERT_EQUAL(lab->info[2].area, 300);
  CU_ASSERT_EQUAL(lab->info[3].area, 144);
  CU_ASSERT_EQUAL(lab->info[4].area, 80);
  for (x = 1; x < 5; x++) CU_ASSERT_EQUAL(lab->info[x].class_id, FT_CLASS_REGION);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[1].color[1], 1.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[2].color[0], 1.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[2].color[1], 0.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[3].color[2], 1.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[4].color[1], 1.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[4].color[0], 0.0, 1e-6);

  /* the same seed gives the same map, also through ft_segment */
  {
    ft_segment_params sp;
    ft_segment_params_init(&sp);
    sp.colors = 4;
    CU_ASSERT_FATAL(ft_segment(NULL, img, &sp, &again) == FT_OK);
    CU_ASSERT_EQUAL(again->nlabels, lab->nlabels);
    CU_ASSERT(memcmp(again->label, lab->label, 1200 * sizeof *lab->label) == 0);
  }
  ft_labels_free(again);
  ft_labels_free(lab);
  ft_image_free(img);
}

static void test_fewer_colours_than_k(void) {
  ft_image *img = four_colours();
  ft_kmeans_params p;
  ft_labels *lab = NULL;
  ft_kmeans_params_init(&p);
  p.k = 12;
  p.sample = 0; /* every pixel */
  CU_ASSERT_FATAL(ft_segment_kmeans(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 5); /* four colours found, no empty labels */
  CU_ASSERT_EQUAL(lab->info[2].area, 300);
  ft_labels_free(lab);
  ft_image_free(img);
}

static void test_background_is_border_colour(void) {
  /* the red square covers most of the image, but the white frame owns the border */
  ft_image *img = solid(20, 20, 1, 1, 1);
  ft_labels *lab = NULL;
  ft_kmeans_params p;
  fill_rect(img, 2, 2, 18, 18, 0.8f, 0.1f, 0.1f);
  ft_kmeans_params_init(&p);
  p.k = 2;
  CU_ASSERT_FATAL(ft_segment_kmeans(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 3);
  CU_ASSERT_EQUAL(label_at(lab, 0, 0), 1);
  CU_ASSERT_EQUAL(label_at(lab, 10, 10), 2);
  CU_ASSERT_EQUAL(lab->info[1].area, 400 - 256);
  ft_labels_free(lab);
  ft_image_free(img);
}

static void test_alpha_on_white(void) {
  /* transparent pixels read as white paper */
  ft_image *img = NULL;
  ft_labels *lab = NULL;
  ft_kmeans_params p;
  int i;
  CU_ASSERT_FATAL(ft_image_new(NULL, 8, 8, 4, &img) == FT_OK);
  for (i = 0; i < 64; i++) {
    float *px = img->data + i * 4;
    int inside = (i % 8) >= 2 && (i % 8) < 6 && i / 8 >= 2 && i / 8 < 6;
    px[0] = 0, px[1] = 0, px[2] = inside ? 1.0f : 0.0f, px[3] = inside ? 1.0f : 0.0f;
  }
  ft_kmeans_params_init(&p);
  p.k = 2;
  CU_ASSERT_FATAL(ft_segment_kmeans(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 3);
  CU_ASSERT_EQUAL(lab->info[1].area, 48);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[1].color[0], 1.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[2].color[2], 1.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[2].color[0], 0.0, 1e-6);
  ft_labels_free(lab);
  ft_image_free(img);
}

static void test_kmeans_params(void) {
  ft_image *img = solid(4, 4, 1, 1, 1);
  ft_labels *lab = (ft_labels *)img; /* must be reset to NULL */
  ft_kmeans_params p;
  ft_ctx *ctx = ft_ctx_new();
  ft_kmeans_params_init(&p);
  CU_ASSERT_EQUAL(p.k, 8);
  CU_ASSERT_EQUAL(p.seed, 1u);
  p.k = 1;
  CU_ASSERT_EQUAL(ft_segment_kmeans(ctx, img, &p, &lab), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(lab);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "k=1"));
  p.k = 65;
  CU_ASSERT_EQUAL(ft_segment_kmeans(ctx, img, &p, &lab), FT_ERR_INVAL);
  ft_kmeans_params_init(&p);
  p.sample = 100;
  CU_ASSERT_EQUAL(ft_segment_kmeans(ctx, img, &p, &lab), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "sample"));
  ft_kmeans_params_init(&p);
  p.min_area = -1;
  CU_ASSERT_EQUAL(ft_segment_kmeans(ctx, img, &p, &lab), FT_ERR_INVAL);
  /* a uniform image: one colour */
  ft_kmeans_params_init(&p);
  CU_ASSERT_FATAL(ft_segment_kmeans(ctx, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 2);
  CU_ASSERT_EQUAL(lab->info[1].area, 16);
  ft_labels_free(lab);
  ft_ctx_free(ctx);
  ft_image_free(img);
}

static void test_sampled_fit(void) {
  /* 300x200 with four colours and sampling on: the same labels as fitting
   * on every pixel */
  ft_image *img = solid(300, 200, 1, 1, 1);
  ft_labels *a = NULL, *b = NULL;
  ft_kmeans_params p;
  fill_rect(img, 10, 10, 150, 120, 0.9f, 0.6f, 0.0f);
  fill_rect(img, 160, 30, 290, 190, 0.0f, 0.45f, 0.7f);
  fill_rect(img, 20, 130, 100, 190, 0.35f, 0.7f, 0.9f);
  ft_kmeans_params_init(&p);
  p.k = 4;
  p.sample = 1000;
  CU_ASSERT_FATAL(ft_segment_kmeans(NULL, img, &p, &a) == FT_OK);
  p.sample = 0;
  CU_ASSERT_FATAL(ft_segment_kmeans(NULL, img, &p, &b) == FT_OK);
  CU_ASSERT_EQUAL(a->nlabels, 5);
  CU_ASSERT_EQUAL(b->nlabels, 5);
  CU_ASSERT(memcmp(a->label, b->label, 60000 * sizeof *a->label) == 0);
  CU_ASSERT_EQUAL(a->info[2].area, 130 * 160); /* the blue block, the largest */
  ft_labels_free(a);
  ft_labels_free(b);
  ft_image_free(img);
}

static void test_merge_delta(void) {
  /* two blues 3 Delta E apart and an orange: with k = 4 the blues become one
   * colour (merge_delta 10); with merge_delta 0 they stay apart */
  ft_image *img = solid(30, 20, 1, 1, 1);
  ft_labels *lab = NULL;
  ft_kmeans_params p;
  double b1[3] = {0.0, 0.45, 0.70}, b2[3] = {0.0, 0.47, 0.73}, l1[3], l2[3];
  ft__rgb_to_lab(b1, l1);
  ft__rgb_to_lab(b2, l2);
  CU_ASSERT(sqrt((l1[0] - l2[0]) * (l1[0] - l2[0]) + (l1[1] - l2[1]) * (l1[1] - l2[1]) +
                 (l1[2] - l2[2]) * (l1[2] - l2[2])) < 10.0);
  fill_rect(img, 2, 2, 12, 18, 0.0f, 0.45f, 0.70f);
  fill_rect(img, 12, 2, 20, 18, 0.0f, 0.47f, 0.73f);
  fill_rect(img, 22, 2, 28, 18, 0.9f, 0.6f, 0.0f);
  ft_kmeans_params_init(&p);
  p.k = 4;
  CU_ASSERT_DOUBLE_EQUAL(p.merge_delta, 10.0, 0);
  CU_ASSERT_FATAL(ft_segment_kmeans(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 4); /* white, blue, orange */
  CU_ASSERT_EQUAL(label_at(lab, 3, 3), label_at(lab, 15, 3));
  CU_ASSERT_EQUAL(lab->info[label_at(lab, 3, 3)].area, 288);
  ft_labels_free(lab);
  p.merge_delta = 0.0;
  CU_ASSERT_FATAL(ft_segment_kmeans(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 5);
  CU_ASSERT_NOT_EQUAL(label_at(lab, 3, 3), label_at(lab, 15, 3));
  ft_labels_free(lab);
  p.merge_delta = -1.0;
  CU_ASSERT_EQUAL(ft_segment_kmeans(NULL, img, &p, &lab), FT_ERR_INVAL);
  ft_image_free(img);
}

/* ---- merging small regions ---- */

static void test_min_area_colour(void) {
  /* a 2x2 red speck inside a blue square: merged into blue at min_area 5,
   * kept at 4 */
  ft_image *img = solid(30, 30, 1, 1, 1);
  ft_labels *lab = NULL;
  ft_kmeans_params p;
  fill_rect(img, 5, 5, 25, 25, 0, 0, 1);
  fill_rect(img, 10, 10, 12, 12, 1, 0, 0);
  ft_kmeans_params_init(&p);
  p.k = 3;
  p.min_area = 4;
  CU_ASSERT_FATAL(ft_segment_kmeans(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 4);
  CU_ASSERT_EQUAL(lab->info[3].area, 4);
  ft_labels_free(lab);
  p.min_area = 5;
  CU_ASSERT_FATAL(ft_segment_kmeans(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 3);
  CU_ASSERT_EQUAL(label_at(lab, 10, 10), label_at(lab, 5, 5));
  CU_ASSERT_EQUAL(lab->info[2].area, 400);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[2].color[2], 0.99, 0.011); /* mean now includes the speck */
  CU_ASSERT_DOUBLE_EQUAL(lab->info[2].color[0], 0.01, 0.011);
  ft_labels_free(lab);
  ft_image_free(img);
}

/* A label map from rows of digits. */
static ft_labels *map_from(const char *const *rows, int w, int h, int nlabels) {
  ft_labels *lab = NULL;
  int x, y;
  CU_ASSERT_FATAL(ft_labels_new(NULL, w, h, nlabels, &lab) == FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) lab->label[(size_t)y * w + x] = rows[y][x] - '0';
  return lab;
}

static int same_map(const ft_labels *lab, const char *const *rows) {
  int x, y;
  for (y = 0; y < lab->height; y++)
    for (x = 0; x < lab->width; x++)
      if (label_at(lab, x, y) != rows[y][x] - '0') return 0;
  return 1;
}

static void test_merge_most_border(void) {
  /* the 2-pixel region of 3 shares 2 edges with 1 and 4 with 2: joins 2 */
  static const char *const in[] = {
      "111111",
      "111322",
      "112322",
      "222222",
  };
  static const char *const want[] = {
      "111111",
      "111222",
      "112222",
      "222222",
  };
  ft_labels *lab = map_from(in, 6, 4, 4);
  CU_ASSERT_EQUAL(ft__merge_small(NULL, lab, 4, 4, 0, 1), FT_OK);
  CU_ASSERT(same_map(lab, want));
  ft_labels_free(lab);
}

static void test_merge_joins_regions(void) {
  /* the lone 2 separates 1-regions of 4 and 2 pixels; it shares 3 edges
   * with label 1 and 1 with label 0, so it joins 1, and the three form one
   * region of 7, which then stays though each part was below min_area */
  static const char *const in[] = {
      "0000000",
      "0112110",
      "0011000",
      "0000000",
  };
  static const char *const want[] = {
      "0000000",
      "0111110",
      "0011000",
      "0000000",
  };
  ft_labels *lab = map_from(in, 7, 4, 3);
  CU_ASSERT_EQUAL(ft__merge_small(NULL, lab, 5, 4, 0, 1), FT_OK);
  CU_ASSERT(same_map(lab, want));
  ft_labels_free(lab);
}

/* ft__merge_specks (two labels, min_area 2 or 3, on the map as it is)
 * gives the general merge's map, areas and colours on random maps: sparse
 * and dense noise, noise on shapes, 1 x N strips excluded (the caller sends
 * those to the general merge), compact and int32 maps, 4- and 8-connected
 * ink. */
static void test_merge_specks_same(void) {
  static const int sizes[][2] = {{2, 2}, {3, 5}, {17, 9}, {40, 37}, {64, 3}, {9, 70}};
  unsigned seed = 12345u;
  long flips = 0;
  int si, dens, ma, conn, trial, compact;
  for (si = 0; si < (int)(sizeof sizes / sizeof sizes[0]); si++)
    for (dens = 0; dens < 5; dens++)
      for (trial = 0; trial < 6; trial++) {
        int w = sizes[si][0], h = sizes[si][1], x, y;
        size_t n = (size_t)w * h, i;
        ft_image *img = NULL;
        uint8_t *bits = malloc(n);
        CU_ASSERT_PTR_NOT_NULL_FATAL(bits);
        CU_ASSERT_EQUAL_FATAL(ft_image_new_u8(NULL, w, h, 1, &img), FT_OK);
        for (y = 0; y < h; y++)
          for (x = 0; x < w; x++) {
            /* dens 0-2: noise of 5, 30 and 70% ink; 3-4: a disc and a bar with 3%
             * of the pixels flipped */
            unsigned r;
            int v;
            seed = seed * 1103515245u + 12345u;
            r = (seed >> 8) % 1000;
            if (dens < 3) {
              v = (int)r < (dens == 0 ? 50 : dens == 1 ? 300 : 700);
            } else {
              double dx = x - w / 2.0, dy = y - h / 2.0;
              v = dx * dx + dy * dy < (w * w + h * h) / 16.0 || (dens == 4 && y == h / 3);
              if (r < 30) v = !v;
            }
            bits[(size_t)y * w + x] = (uint8_t)v;
            img->data8[(size_t)y * w + x] = (uint8_t)(v ? 30 + r % 40 : 200 + r % 50);
          }
        for (ma = 2; ma <= 3; ma++)
          for (conn = 4; conn <= 8; conn += 4)
            for (compact = 0; compact <= 1; compact++) {
              ft_labels *a = NULL, *b = NULL;
              long bad = 0;
              int k, c;
              CU_ASSERT_EQUAL_FATAL(ft_labels_new(NULL, w, h, 2, &a), FT_OK);
              CU_ASSERT_EQUAL_FATAL(compact ? ft_labels_new_compact(NULL, w, h, 2, &b)
                                            : ft_labels_new(NULL, w, h, 2, &b),
                                    FT_OK);
              for (i = 0; i < n; i++) {
                a->label[i] = bits[i];
                if (compact)
                  b->label8[i] = bits[i];
                else
                  b->label[i] = bits[i];
              }
              ft__labels_summarise(b, img);
              CU_ASSERT_EQUAL(ft__merge_small(NULL, a, ma, conn, 0, 1), FT_OK);
              ft__labels_summarise(a, img);
              {
                long f = 0;
                CU_ASSERT_EQUAL(ft__merge_specks(NULL, b, ma, conn, img, &f), FT_OK);
                flips += f;
              }
              for (i = 0; i < n; i++) bad += ft_labels_get(a, i) != ft_labels_get(b, i);
              CU_ASSERT_EQUAL(bad, 0);
              for (k = 0; k < 2; k++) {
                CU_ASSERT_EQUAL(a->info[k].area, b->info[k].area);
                for (c = 0; c < 3; c++)
                  CU_ASSERT(fabs(a->info[k].color[c] - b->info[k].color[c]) < 1e-5);
              }
              ft_labels_free(a);
              ft_labels_free(b);
            }
        free(bits);
        ft_image_free(img);
      }
  CU_ASSERT(flips > 1000); /* the maps had specks to merge */
  {
    /* a map of several chunks of bands on three threads: the same */
    ft_ctx *ctx = ft_ctx_new();
    ft_labels *a = NULL, *b = NULL;
    ft_image *img = NULL;
    const int w = 1100, h = 1000;
    size_t i, n = (size_t)w * h;
    long bad = 0, f = 0;
    ft_ctx_set_threads(ctx, 3);
    CU_ASSERT_EQUAL_FATAL(ft_image_new_u8(NULL, w, h, 1, &img), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_labels_new(NULL, w, h, 2, &a), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_labels_new_compact(NULL, w, h, 2, &b), FT_OK);
    for (i = 0; i < n; i++) {
      int v;
      seed = seed * 1103515245u + 12345u;
      v = (int)((seed >> 8) % 1000) < 40 || (i / w) % 97 < 30;
      a->label[i] = v;
      b->label8[i] = (uint8_t)v;
      img->data8[i] = (uint8_t)(v ? 20 : 230);
    }
    ft__labels_summarise(b, img);
    CU_ASSERT_EQUAL(ft__merge_small(NULL, a, 3, 8, 0, 1), FT_OK);
    ft__labels_summarise(a, img);
    CU_ASSERT_EQUAL(ft__merge_specks(ctx, b, 3, 8, img, &f), FT_OK);
    CU_ASSERT(f > 10000);
    for (i = 0; i < n; i++) bad += ft_labels_get(a, i) != ft_labels_get(b, i);
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(a->info[1].area, b->info[1].area);
    ft_labels_free(a);
    ft_labels_free(b);
    ft_image_free(img);
    ft_ctx_free(ctx);
  }
}

static void test_merge_connectivity(void) {
  /* a diagonal line of 5 ink pixels is one 8-connected region (kept at
   * min_area 3) but five 4-connected specks (all removed) */
  static const char *const in[] = {
      "1000000",
      "0100000",
      "0010000",
      "0001000",
      "0000100",
  };
  static const char *const blank[] = {
      "0000000", "0000000", "0000000", "0000000", "0000000",
  };
  ft_labels *lab = map_from(in, 7, 5, 2);
  CU_ASSERT_EQUAL(ft__merge_small(NULL, lab, 3, 8, 0, 1), FT_OK);
  CU_ASSERT(same_map(lab, in));
  CU_ASSERT_EQUAL(ft__merge_small(NULL, lab, 3, 4, 0, 1), FT_OK);
  CU_ASSERT(same_map(lab, blank));
  ft_labels_free(lab);
}

static void test_threshold_min_area(void) {
  /* gray image: a 10x10 black square with a 2-pixel hole, a 1-pixel speck
   * and a 3-pixel speck; min_area 3 fills the hole, drops the small speck
   * and keeps the 3-pixel one */
  ft_image *img = NULL;
  ft_labels *lab = NULL;
  ft_segment_params p;
  int i;
  CU_ASSERT_FATAL(ft_image_new(NULL, 20, 16, 1, &img) == FT_OK);
  for (i = 0; i < 320; i++) img->data[i] = 1.0f;
  for (i = 0; i < 320; i++) {
    int x = i % 20, y = i / 20;
    if (x >= 2 && x < 12 && y >= 2 && y < 12) img->data[i] = 0.0f;
  }
  img->data[5 * 20 + 5] = img->data[5 * 20 + 6] = 1.0f; /* hole */
  img->data[14 * 20 + 16] = 0.0f;                      /* speck of 1 */
  img->data[3 * 20 + 16] = img->data[3 * 20 + 17] = img->data[3 * 20 + 18] = 0.0f;
  ft_segment_params_init(&p);
  p.min_area = 3;
  CU_ASSERT_FATAL(ft_segment(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 100 + 3);
  CU_ASSERT_EQUAL(label_at(lab, 5, 5), 1);
  CU_ASSERT_EQUAL(label_at(lab, 16, 14), 0);
  CU_ASSERT_EQUAL(label_at(lab, 17, 3), 1);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[1].color[0], 2.0 / 103, 1e-6); /* the filled hole was white */
  CU_ASSERT_EQUAL(lab->info[1].class_id, FT_CLASS_INK);
  ft_labels_free(lab);
  ft_image_free(img);
}

int main(void) {
  static const ft_test_case cases[] = {
      {"CIELAB reference values", test_lab_reference},
      {"k-means labels known colours exactly", test_known_colours},
      {"fewer distinct colours than k", test_fewer_colours_than_k},
      {"background is the border colour", test_background_is_border_colour},
      {"alpha composited onto white", test_alpha_on_white},
      {"k-means parameter checks", test_kmeans_params},
      {"sampled fit equals the full fit", test_sampled_fit},
      {"near centres merge (merge_delta)", test_merge_delta},
      {"min-area merges a colour speck", test_min_area_colour},
      {"specks merged on the map as the general merge does", test_merge_specks_same},
      {"merge into the label sharing most border", test_merge_most_border},
      {"merge joins the regions it connects", test_merge_joins_regions},
      {"merge connectivity 8 vs 4", test_merge_connectivity},
      {"threshold with min-area", test_threshold_min_area},
      {NULL, NULL},
  };
  return ft_test_main("kmeans", cases);
}
