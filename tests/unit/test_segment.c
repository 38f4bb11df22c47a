/* tests/unit/test_segment.c - Otsu's threshold and the threshold segmenter. */
#include "config.h"

#include <math.h>

#include "core/internal.h"
#include "testutil.h"

/* ---- Otsu on histograms ---- */

/* Brute-force Otsu straight from the paper: for each split k, class
 * probabilities and means, sigma_B^2 = w0 w1 (mu0 - mu1)^2; first maximum. */
static int otsu_reference(const uint64_t *hist, int n) {
  double total = 0, best = -1;
  int i, k, arg = -1;
  for (i = 0; i < n; i++) total += (double)hist[i];
  for (k = 0; k < n - 1; k++) {
    double w0 = 0, w1 = 0, m0 = 0, m1 = 0, var;
    for (i = 0; i < n; i++) {
      if (i <= k) {
        w0 += hist[i];
        m0 += (double)i * hist[i];
      } else {
        w1 += hist[i];
        m1 += (double)i * hist[i];
      }
    }
    if (w0 == 0 || w1 == 0) continue;
    m0 /= w0;
    m1 /= w1;
    var = (w0 / total) * (w1 / total) * (m0 - m1) * (m0 - m1);
    if (var > best * (1 + 1e-12)) {
      best = var;
      arg = k;
    }
  }
  return arg;
}

static void test_otsu_histograms(void) {
  uint64_t h[256];
  int i;

  /* empty */
  memset(h, 0, sizeof h);
  CU_ASSERT_DOUBLE_EQUAL(ft_otsu_threshold(h, 256), -1.0, 0);
  CU_ASSERT_DOUBLE_EQUAL(ft_otsu_threshold(NULL, 256), -1.0, 0);
  CU_ASSERT_DOUBLE_EQUAL(ft_otsu_threshold(h, 0), -1.0, 0);

  /* a single value: everything in the lower class, t = upper edge of its bin */
  h[7] = 3;
  CU_ASSERT_DOUBLE_EQUAL(ft_otsu_threshold(h, 256), 8.0 / 256, 0);

  /* two spikes: every split in the gap is as good; the middle is taken */
  memset(h, 0, sizeof h);
  h[10] = 5;
  h[20] = 5;
  CU_ASSERT_DOUBLE_EQUAL(ft_otsu_threshold(h, 32), 15.0 / 32, 0);
  h[10] = 50; /* unequal weights do not move the plateau */
  CU_ASSERT_DOUBLE_EQUAL(ft_otsu_threshold(h, 32), 15.0 / 32, 0);

  /* symmetric bimodal with a gap: exact threshold half way */
  memset(h, 0, sizeof h);
  h[50] = h[51] = h[200] = h[201] = 100;
  CU_ASSERT_DOUBLE_EQUAL(ft_otsu_threshold(h, 256), 126.0 / 256, 0);

  /* adjacent bins: the split is between them */
  memset(h, 0, sizeof h);
  h[99] = 4;
  h[100] = 4;
  CU_ASSERT_DOUBLE_EQUAL(ft_otsu_threshold(h, 256), 100.0 / 256, 0);

  /* a mixture of two Gaussians with every bin occupied: equals the
   * brute-force maximum of the between-class variance */
  for (i = 0; i < 256; i++)
    h[i] = 1 + (uint64_t)(3000 * exp(-0.5 * pow((i - 60) / 12.0, 2)) +
                          800 * exp(-0.5 * pow((i - 170) / 25.0, 2)));
  {
    int k = otsu_reference(h, 256);
    CU_ASSERT(k > 60 && k < 170);
    CU_ASSERT_DOUBLE_EQUAL(ft_otsu_threshold(h, 256), (k + 1) / 256.0, 1e-12);
  }
}

/* ---- the segmenter ---- */

/* A w x h image of `channels` filled with value v (all channels, alpha 1). */
static ft_image *filled(int w, int h, int channels, float v) {
  ft_image *img;
  size_t i;
  if (ft_image_new(NULL, w, h, channels, &img)) return NULL;
  for (i = 0; i < (size_t)w * h * channels; i++) img->data[i] = v;
  if (channels == 2 || channels == 4)
    for (i = 0; i < (size_t)w * h; i++) img->data[i * channels + channels - 1] = 1.0f;
  return img;
}

/* Paint the square [x0, x0+s) x [y0, y0+s) of a gray image with v. */
static void square(ft_image *img, int x0, int y0, int s, float v) {
  int x, y;
  for (y = y0; y < y0 + s; y++)
    for (x = x0; x < x0 + s; x++) img->data[y * img->width + x] = v;
}

/* 1 when the ink of lab is exactly the square at (x0, y0) of side s. */
static int ink_is_square(const ft_labels *lab, int x0, int y0, int s) {
  int x, y;
  for (y = 0; y < lab->height; y++)
    for (x = 0; x < lab->width; x++) {
      int in = x >= x0 && x < x0 + s && y >= y0 && y < y0 + s;
      if (lab->label[y * lab->width + x] != in) return 0;
    }
  return 1;
}

static void test_polarity_dark_on_light(void) {
  ft_image *img = filled(20, 20, 1, 0.9f);
  ft_labels *lab = NULL;
  ft_segment_params sp;
  CU_ASSERT_PTR_NOT_NULL_FATAL(img);
  square(img, 3, 4, 5, 0.1f);
  img->pixel_w = 0.65;
  img->pixel_h = 0.7;
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, NULL, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 2);
  CU_ASSERT(ink_is_square(lab, 3, 4, 5));
  CU_ASSERT_EQUAL(lab->info[1].area, 25);
  CU_ASSERT_EQUAL(lab->info[0].area, 375);
  CU_ASSERT_EQUAL(lab->info[0].class_id, FT_CLASS_BACKGROUND);
  CU_ASSERT_EQUAL(lab->info[1].class_id, FT_CLASS_INK);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[1].color[0], 0.1, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[1].color[2], 0.1, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[0].color[1], 0.9, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->pixel_w, 0.65, 0);
  CU_ASSERT_DOUBLE_EQUAL(lab->pixel_h, 0.7, 0);
  ft_labels_free(lab);

  /* invert: the paper becomes the ink */
  ft_segment_params_init(&sp);
  sp.invert = 1;
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, &sp, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 375);
  CU_ASSERT_EQUAL(lab->label[0], 1);
  CU_ASSERT_EQUAL(lab->label[4 * 20 + 3], 0);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[1].color[0], 0.9, 1e-6);
  ft_labels_free(lab);

  /* forced light polarity: the majority light side is ink */
  ft_segment_params_init(&sp);
  sp.polarity = FT_POLARITY_LIGHT;
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, &sp, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 375);
  ft_labels_free(lab);
  ft_image_free(img);
}

static void test_polarity_light_on_dark(void) {
  ft_image *img = filled(16, 12, 1, 0.05f);
  ft_labels *lab = NULL;
  ft_segment_params sp;
  CU_ASSERT_PTR_NOT_NULL_FATAL(img);
  square(img, 10, 2, 4, 0.8f);
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, NULL, &lab), FT_OK);
  CU_ASSERT(ink_is_square(lab, 10, 2, 4));
  CU_ASSERT_DOUBLE_EQUAL(lab->info[1].color[0], 0.8, 1e-6);
  ft_labels_free(lab);
  /* forcing dark polarity takes the dark surroundings instead */
  ft_segment_params_init(&sp);
  sp.polarity = FT_POLARITY_DARK;
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, &sp, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 16 * 12 - 16);
  ft_labels_free(lab);
  ft_image_free(img);
  /* a tie goes to dark ink */
  img = filled(4, 2, 1, 0.2f);
  img->data[2] = img->data[3] = img->data[6] = img->data[7] = 0.7f;
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, NULL, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 4);
  CU_ASSERT_EQUAL(lab->label[0], 1);
  CU_ASSERT_EQUAL(lab->label[3], 0);
  ft_labels_free(lab);
  ft_image_free(img);
}

static void test_fixed_value(void) {
  ft_image *img;
  ft_labels *lab = NULL;
  ft_segment_params sp;
  int x, y, ok = 1;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(NULL, 20, 3, 1, &img), FT_OK);
  for (y = 0; y < 3; y++)
    for (x = 0; x < 20; x++) img->data[y * 20 + x] = x / 19.0f;
  ft_segment_params_init(&sp);
  sp.method = FT_THRESH_VALUE;
  sp.value = 0.5;
  sp.polarity = FT_POLARITY_DARK;
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, &sp, &lab), FT_OK);
  for (y = 0; y < 3; y++)
    for (x = 0; x < 20; x++)
      if (lab->label[y * 20 + x] != (x <= 9)) ok = 0;
  CU_ASSERT(ok);
  CU_ASSERT_EQUAL(lab->info[1].area, 30);
  ft_labels_free(lab);
  /* auto polarity with value 0.2: the 4 darkest columns are the minority */
  sp.polarity = FT_POLARITY_AUTO;
  sp.value = 0.2;
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, &sp, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 12);
  CU_ASSERT_EQUAL(lab->label[3], 1);
  CU_ASSERT_EQUAL(lab->label[4], 0);
  ft_labels_free(lab);
  /* light polarity with 0.8: values above it (16/19 ...) */
  sp.polarity = FT_POLARITY_LIGHT;
  sp.value = 0.8;
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, &sp, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 12);
  CU_ASSERT_EQUAL(lab->label[15], 0);
  CU_ASSERT_EQUAL(lab->label[16], 1);
  ft_labels_free(lab);
  ft_image_free(img);
}

static void test_rgba_transparent_background(void) {
  ft_image *img;
  ft_labels *lab = NULL;
  int x, y;
  /* transparent black everywhere, an opaque dark red 3x3 patch */
  CU_ASSERT_EQUAL_FATAL(ft_image_new(NULL, 10, 8, 4, &img), FT_OK);
  for (y = 2; y < 5; y++)
    for (x = 5; x < 8; x++) {
      float *px = img->data + (y * 10 + x) * 4;
      px[0] = 0.5f;
      px[3] = 1.0f;
    }
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, NULL, &lab), FT_OK);
  CU_ASSERT(ink_is_square(lab, 5, 2, 3));
  CU_ASSERT_DOUBLE_EQUAL(lab->info[1].color[0], 0.5, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[1].color[1], 0.0, 1e-6);
  /* the transparent background reads as white paper */
  CU_ASSERT_DOUBLE_EQUAL(lab->info[0].color[0], 1.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[0].color[2], 1.0, 1e-6);
  ft_labels_free(lab);
  ft_image_free(img);
}

static void test_sixteen_bit(void) {
  ft_image *img;
  ft_labels *lab = NULL;
  int i;
  /* 12-bit-like data in 16 bits: background 1010, objects 1000 and 1002
   * (of 65535); an 8-bit histogram would put all of them in one bin */
  img = filled(32, 32, 1, 1010.0f / 65535.0f);
  CU_ASSERT_PTR_NOT_NULL_FATAL(img);
  img->bit_depth = 16;
  square(img, 4, 4, 6, 1000.0f / 65535.0f);
  square(img, 20, 18, 7, 1002.0f / 65535.0f);
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, NULL, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 36 + 49);
  CU_ASSERT_EQUAL(lab->label[4 * 32 + 4], 1);
  CU_ASSERT_EQUAL(lab->label[18 * 32 + 20], 1);
  CU_ASSERT_EQUAL(lab->label[0], 0);
  ft_labels_free(lab);
  /* the same data declared 8-bit cannot be separated: one bin, no ink */
  img->bit_depth = 8;
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, NULL, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 0);
  ft_labels_free(lab);
  /* full-range 16-bit levels each get their own bin */
  for (i = 0; i < 32 * 32; i++) img->data[i] = (float)(i % 2 ? 40000 : 40001) / 65535.0f;
  img->data[0] = 40000.0f / 65535.0f;
  img->bit_depth = 16;
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, NULL, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 511); /* the brighter minority */
  CU_ASSERT_EQUAL(lab->label[0], 0);
  CU_ASSERT_EQUAL(lab->label[2], 1);
  ft_labels_free(lab);
  ft_image_free(img);
}

static void test_uniform(void) {
  ft_image *img = filled(9, 7, 3, 0.3f);
  ft_labels *lab = NULL;
  ft_segment_params sp;
  CU_ASSERT_PTR_NOT_NULL_FATAL(img);
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, NULL, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 0);
  CU_ASSERT_EQUAL(lab->info[0].area, 63);
  CU_ASSERT_DOUBLE_EQUAL(lab->info[0].color[0], 0.3, 1e-6);
  ft_labels_free(lab);
  ft_segment_params_init(&sp);
  sp.invert = 1;
  sp.polarity = FT_POLARITY_DARK;
  CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, img, &sp, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 0);
  ft_labels_free(lab);
  ft_image_free(img);
}

static int progress_calls, cancel_at;
static int progress_cb(void *user, double f) {
  (void)user;
  (void)f;
  return ++progress_calls >= cancel_at;
}

static void test_errors_and_cancel(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *img = filled(64, 400, 1, 0.5f);
  ft_labels *lab = (ft_labels *)1;
  ft_segment_params sp;
  CU_ASSERT_PTR_NOT_NULL_FATAL(img);
  square(img, 0, 0, 30, 0.0f);
  ft_segment_params_init(&sp);
  CU_ASSERT_EQUAL(sp.method, FT_THRESH_OTSU);
  CU_ASSERT_EQUAL(sp.polarity, FT_POLARITY_AUTO);
  CU_ASSERT_DOUBLE_EQUAL(sp.value, 0.5, 0);
  CU_ASSERT_EQUAL(sp.invert, 0);
  sp.method = 9;
  CU_ASSERT_EQUAL(ft_segment(ctx, img, &sp, &lab), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(lab);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "segment: unknown method 9");
  ft_segment_params_init(&sp);
  sp.method = FT_THRESH_VALUE;
  sp.value = 1.5;
  CU_ASSERT_EQUAL(ft_segment(ctx, img, &sp, &lab), FT_ERR_INVAL);
  sp.value = NAN;
  CU_ASSERT_EQUAL(ft_segment(ctx, img, &sp, &lab), FT_ERR_INVAL);
  ft_segment_params_init(&sp);
  sp.polarity = 3;
  CU_ASSERT_EQUAL(ft_segment(ctx, img, &sp, &lab), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_segment(ctx, NULL, NULL, &lab), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_segment(ctx, img, NULL, NULL), FT_ERR_INVAL);

  progress_calls = 0;
  cancel_at = 1 << 30;
  ft_ctx_set_progress(ctx, progress_cb, NULL);
  CU_ASSERT_EQUAL_FATAL(ft_segment(ctx, img, NULL, &lab), FT_OK);
  CU_ASSERT(progress_calls >= 5);
  CU_ASSERT_EQUAL(lab->info[1].area, 900);
  ft_labels_free(lab);

  progress_calls = 0;
  cancel_at = 3;
  ft_ctx_set_progress(ctx, progress_cb, NULL);
  lab = (ft_labels *)1;
  CU_ASSERT_EQUAL(ft_segment(ctx, img, NULL, &lab), FT_ERR_CANCELLED);
  CU_ASSERT_PTR_NULL(lab);
  CU_ASSERT_EQUAL(progress_calls, 3);
  ft_image_free(img);
  ft_ctx_free(ctx);
}

/* ---- compact images and maps ---- */

/* A w x h compact image of c channels: blobs of dark ink on paper with
 * noise, so every method finds ink; alpha (c = 2, 4) partly transparent. */
static ft_image *compact_page(int w, int h, int c, unsigned seed) {
  ft_image *img = NULL;
  int x, y, k;
  if (ft_image_new_u8(NULL, w, h, c, &img)) return NULL;
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      int ink = ((x / 7) + (y / 5)) % 4 == 0 || (x - 30) * (x - 30) + (y - 20) * (y - 20) < 90;
      for (k = 0; k < c; k++) {
        unsigned v;
        seed = seed * 1103515245u + 12345u;
        v = (seed >> 16) % 40;
        if ((c == 2 && k == 1) || (c == 4 && k == 3))
          v = x < 4 ? (seed >> 16) % 256 : 255; /* alpha */
        else
          v = ink ? 20 + v + 10 * k : 200 + v / 2 - 5 * k;
        img->data8[((size_t)y * w + x) * c + k] = (uint8_t)v;
      }
    }
  return img;
}

/* ft_segment on a compact image equals ft_segment on its float copy:
 * labels exactly, areas exactly, colours to float rounding; with p.compact
 * the map is one byte per pixel. */
static void test_compact_same_as_float(void) {
  static const int methods[] = {FT_THRESH_OTSU,     FT_THRESH_VALUE,   FT_THRESH_LI,
                                FT_THRESH_TRIANGLE, FT_THRESH_SAUVOLA, FT_THRESH_NIBLACK,
                                FT_THRESH_HYSTERESIS};
  ft_ctx *ctx = ft_ctx_new();
  int c, m, variant;
  for (c = 1; c <= 4; c++) {
    ft_image *u = compact_page(61, 143, c, 99u + (unsigned)c), *f = NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(u);
    CU_ASSERT_EQUAL_FATAL(ft_image_to_float(ctx, u, &f), FT_OK);
    for (m = 0; m < 7; m++)
      for (variant = 0; variant < 6; variant++) {
        ft_segment_params p;
        ft_labels *lu = NULL, *lf = NULL;
        size_t i, n = 61 * 143, bad = 0;
        int k, j;
        ft_segment_params_init(&p);
        p.method = methods[m];
        p.value = 0.45;
        p.invert = variant == 1;
        p.polarity = variant == 2 ? FT_POLARITY_LIGHT : FT_POLARITY_AUTO;
        p.min_area = variant == 3 ? 5 : variant == 5 ? 3 : 0;
        p.compact = variant != 4;
        CU_ASSERT_EQUAL_FATAL(ft_segment(ctx, u, &p, &lu), FT_OK);
        CU_ASSERT_EQUAL_FATAL(ft_segment(ctx, f, &p, &lf), FT_OK);
        /* compact output only for a global method without the general
         * merge (specks of one or two pixels merge on the compact map) */
        CU_ASSERT_EQUAL(lu->label8 != NULL, p.compact && m < 4 && p.min_area <= 3);
        CU_ASSERT_EQUAL(lf->label8 != NULL, p.compact && m < 4 && p.min_area <= 3);
        CU_ASSERT_EQUAL_FATAL(lu->nlabels, lf->nlabels);
        for (i = 0; i < n; i++)
          if (ft_labels_get(lu, i) != ft_labels_get(lf, i)) bad++;
        CU_ASSERT_EQUAL(bad, 0);
        for (k = 0; k < lu->nlabels; k++) {
          CU_ASSERT_EQUAL(lu->info[k].area, lf->info[k].area);
          CU_ASSERT_EQUAL(lu->info[k].class_id, lf->info[k].class_id);
          for (j = 0; j < 3; j++) CU_ASSERT(fabs(lu->info[k].color[j] - lf->info[k].color[j]) < 1e-6);
        }
        /* some ink and some paper */
        CU_ASSERT(lu->info[1].area > 0 && lu->info[0].area > 0);
        if (m >= 4 && variant == 0) CU_ASSERT(lu->info[1].area < (int64_t)n / 2);
        ft_labels_free(lu);
        ft_labels_free(lf);
      }
    ft_image_free(u);
    ft_image_free(f);
  }
  ft_ctx_free(ctx);
}

/* A compact gray page large enough for several chunks of the parallel
 * passes (1024 x 1100: three chunks of 8 bands): 1, 2 and 3 threads give
 * the same map and info, bit for bit. */
static void test_compact_threads(void) {
  ft_image *u = compact_page(1024, 1100, 1, 5u);
  ft_labels *ref = NULL;
  int t, m;
  CU_ASSERT_PTR_NOT_NULL_FATAL(u);
  for (m = 0; m < 2; m++, ft_labels_free(ref), ref = NULL)
    for (t = 1; t <= 3; t++) {
      ft_ctx *ctx = ft_ctx_new();
      ft_segment_params p;
      ft_labels *lab = NULL;
      ft_segment_params_init(&p);
      p.compact = 1;
      p.method = m ? FT_THRESH_VALUE : FT_THRESH_OTSU;
      ft_ctx_set_threads(ctx, t);
      CU_ASSERT_EQUAL_FATAL(ft_segment(ctx, u, &p, &lab), FT_OK);
      CU_ASSERT_PTR_NOT_NULL_FATAL(lab->label8);
      if (t == 1) {
        ref = lab;
        CU_ASSERT(ref->info[1].area > 1000);
      } else {
        CU_ASSERT(memcmp(lab->label8, ref->label8, (size_t)1024 * 1100) == 0);
        CU_ASSERT(memcmp(lab->info, ref->info, 2 * sizeof *lab->info) == 0);
        ft_labels_free(lab);
      }
      ft_ctx_free(ctx);
    }
  ft_image_free(u);
  /* a bilevel page (runs of eight equal bytes counted at once) of odd
   * width: exact areas and labels */
  {
    int w = 1021, h = 700, x, y;
    int64_t ink = 0;
    size_t bad = 0;
    ft_labels *lab = NULL;
    ft_segment_params p;
    CU_ASSERT_EQUAL_FATAL(ft_image_new_u8(NULL, w, h, 1, &u), FT_OK);
    u->bit_depth = 1;
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        int on = (x >= 13 && x < 500 && y >= 7 && y < 300) || (x % 97 == 5 && y % 3 == 0);
        u->data8[(size_t)y * w + x] = on ? 0 : 255;
        ink += on;
      }
    ft_segment_params_init(&p);
    p.compact = 1;
    CU_ASSERT_EQUAL_FATAL(ft_segment(NULL, u, &p, &lab), FT_OK);
    CU_ASSERT_EQUAL(lab->info[1].area, ink);
    CU_ASSERT_EQUAL(lab->info[0].area, (int64_t)w * h - ink);
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++)
        if (lab->label8[(size_t)y * w + x] != (u->data8[(size_t)y * w + x] == 0)) bad++;
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(lab->info[1].color[0], 0.0f);
    CU_ASSERT_EQUAL(lab->info[0].color[0], 1.0f);
    ft_labels_free(lab);
    ft_image_free(u);
  }
}

int main(void) {
  static const ft_test_case cases[] = {
      {"Otsu on known histograms", test_otsu_histograms},
      {"dark ink on light paper, invert, forced polarity", test_polarity_dark_on_light},
      {"light ink on dark, forced dark, tie", test_polarity_light_on_dark},
      {"fixed threshold value", test_fixed_value},
      {"RGBA with transparent background", test_rgba_transparent_background},
      {"16-bit data", test_sixteen_bit},
      {"uniform image has no ink", test_uniform},
      {"errors, progress and cancellation", test_errors_and_cancel},
      {"compact image: same map as its float copy", test_compact_same_as_float},
      {"compact image: same map on 1-3 threads", test_compact_threads},
      {NULL, NULL}};
  return ft_test_main("segment", cases);
}
