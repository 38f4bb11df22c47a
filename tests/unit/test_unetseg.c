/* tests/unit/test_unetseg.c - model lookup, the U-Net segmenter, the object
 * size estimate and the instance label image.
 *
 * The segmenter runs on the engine's fixture models (tests/data/nn): their
 * weights are random, so the tests check what the glue guarantees - sizes,
 * classes, determinism, agreement with ft_model_run, polarity handling, the
 * resize path - not segmentation quality (tools/bench/nuclei measures that).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "figtrace.h"
#include "segment/nn_internal.h"
#include "testutil.h"

static char model_path[4096];

static const char *fixture(const char *name) {
  snprintf(model_path, sizeof model_path, "%s/tests/data/nn/%s.safetensors", ft_test_srcdir(),
           name);
  return model_path;
}

/* The hand-set intensity classifier tests/data/unetseg/ramp3 (see its
 * make_fixture.py): dark background, bright interior, rims boundary;
 * object_size 16. */
static const char *ramp3(void) {
  snprintf(model_path, sizeof model_path, "%s/tests/data/unetseg/ramp3.safetensors",
           ft_test_srcdir());
  return model_path;
}

/* Its one-class sibling ramp1: ink where the normalised, polarity-corrected
 * intensity exceeds one half; no object_size (as the sketch model). */
static const char *ramp1(void) {
  snprintf(model_path, sizeof model_path, "%s/tests/data/unetseg/ramp1.safetensors",
           ft_test_srcdir());
  return model_path;
}

/* Coverage 0..1 of pixel (x, y) by a disc of radius r centred at (cx, cy)
 * whose rim is a linear ramp ramp px wide across the edge. */
static double soft_disc(int x, int y, double cx, double cy, double r, double ramp) {
  double t = (r - hypot(x + 0.5 - cx, y + 0.5 - cy)) / ramp + 0.5;
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/* Bright discs of diameter d on a dark, slightly textured background, with
 * soft rims (a linear ramp d/4 wide across the edge), in pairs that touch:
 * columns of pairs 5d apart, the two discs of a pair d apart.  The number of
 * discs goes to *count when count is not NULL.  Deterministic. */
static ft_image *disc_image_n(int w, int h, double d, int channels, int *count) {
  ft_image *img = NULL;
  int x, y, c, i, j, n = 0;
  double r = d / 2, ramp = d / 4;
  CU_ASSERT_FATAL(ft_image_new(NULL, w, h, channels, &img) == FT_OK);
  for (j = 0; (j + 1) * 2.5 * d <= h; j++)
    for (i = 0; (i / 2 + 1) * 5.0 * d <= w; i++) n++;
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      double v = 0.0;
      for (j = 0; (j + 1) * 2.5 * d <= h; j++)
        for (i = 0; (i / 2 + 1) * 5.0 * d <= w; i++) {
          double cx = (i / 2) * 5.0 * d + 1.5 * d + (i % 2) * d;
          double cy = (j + 0.5) * 2.5 * d;
          double t = soft_disc(x, y, cx, cy, r, ramp);
          if (t > v) v = t;
        }
      v = 0.1 + 0.02 * ((x * 7 + y * 13) % 5) + 0.7 * v;
      for (c = 0; c < channels; c++) img->data[((size_t)y * w + x) * channels + c] = (float)v;
    }
  img->pixel_w = img->pixel_h = 0.5;
  if (count) *count = n;
  return img;
}

static ft_image *disc_image(int w, int h, double d, int channels) {
  return disc_image_n(w, h, d, channels, NULL);
}

/* A dense clump, as a fluorescent embryo: an ellipse of faint glow (0.3)
 * on a dark field (0.05), packed with nuclei of diameter d (1.0, soft edges)
 * on a hexagonal grid 1.15 d apart, so that the gaps between them stay above
 * the glow and a global threshold takes the whole ellipse as one object. */
static ft_image *clump_image(int w, int h, double d) {
  ft_image *img = NULL;
  int x, y;
  double pitch = 1.15 * d, row = pitch * sqrt(3.0) / 2, ax = 0.4 * w, ay = 0.4 * h;
  CU_ASSERT_FATAL(ft_image_new(NULL, w, h, 1, &img) == FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      double px = x + 0.5, py = y + 0.5, ex = (px - w / 2.0) / ax, ey = (py - h / 2.0) / ay;
      double v = 0.05;
      if (ex * ex + ey * ey <= 1) {
        /* the nearest grid centre */
        int j = (int)floor(py / row + 0.5), dj, di, i;
        double best = 1e9;
        for (dj = -1; dj <= 1; dj++) {
          double cy = (j + dj) * row, o = ((j + dj) % 2 ? pitch / 2 : 0);
          i = (int)floor((px - o) / pitch + 0.5);
          for (di = -1; di <= 1; di++) {
            double cx = (i + di) * pitch + o, dd = hypot(px - cx, py - cy);
            if (dd < best) best = dd;
          }
        }
        v = 0.3 + 0.7 * fmin(1.0, fmax(0.0, (d / 2 - best) / 1.5 + 0.5));
      }
      img->data[(size_t)y * w + x] = (float)v;
    }
  return img;
}

/* Number of distinct non-zero labels at the disc centres of disc_image_n,
 * or -1 when a centre is background. */
static int centre_labels(const ft_labels *lab, double d) {
  int i, j, k, n = 0, seen_any;
  int32_t ids[256];
  for (j = 0; (j + 1) * 2.5 * d <= lab->height; j++)
    for (i = 0; (i / 2 + 1) * 5.0 * d <= lab->width; i++) {
      int cx = (int)((i / 2) * 5.0 * d + 1.5 * d + (i % 2) * d);
      int cy = (int)((j + 0.5) * 2.5 * d);
      int32_t l = lab->label[(size_t)cy * lab->width + cx];
      if (!l) return -1;
      seen_any = 0;
      for (k = 0; k < n; k++) seen_any |= ids[k] == l;
      if (!seen_any && n < 256) ids[n++] = l;
    }
  return n;
}

/* ---- model lookup ---- */

static void test_find_path_and_env(void) {
  ft_ctx *ctx = ft_ctx_new();
  char *path = NULL, env[4200];
  const char *old = getenv(FT_MODEL_PATH_ENV);
  char *saved = old ? strdup(old) : NULL;
  CU_ASSERT_FATAL(ctx != NULL);
  /* A path is returned as given. */
  CU_ASSERT_FATAL(ft_model_find(ctx, fixture("tiny_transpose"), &path) == FT_OK);
  CU_ASSERT_STRING_EQUAL(path, model_path);
  free(path);
  /* A name is searched along FIGTRACE_MODEL_PATH, empty entries skipped. */
  snprintf(env, sizeof env, "/nonexistent-dir::%s/tests/data/nn/", ft_test_srcdir());
  setenv(FT_MODEL_PATH_ENV, env, 1);
  CU_ASSERT_FATAL(ft_model_find(ctx, "tiny_transpose", &path) == FT_OK);
  CU_ASSERT_PTR_NOT_NULL(strstr(path, "/tests/data/nn/tiny_transpose.safetensors"));
  CU_ASSERT_EQUAL(access(path, R_OK), 0);
  free(path);
  path = NULL;
  /* Missing: the message names the model and every place tried. */
  CU_ASSERT_EQUAL(ft_model_find(ctx, "nosuchmodel", &path), FT_ERR_MODEL);
  CU_ASSERT_PTR_NULL(path);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "'nosuchmodel' not found"));
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "/nonexistent-dir/nosuchmodel.safetensors"));
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "/tests/data/nn/nosuchmodel.safetensors"));
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), ft_model_dir()));
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), FT_MODEL_PATH_ENV));
  /* A missing path, a bad name. */
  CU_ASSERT_EQUAL(ft_model_find(ctx, "/nonexistent-dir/x.safetensors", &path), FT_ERR_MODEL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "/nonexistent-dir/x.safetensors"));
  CU_ASSERT_EQUAL(ft_model_find(ctx, "bad name", &path), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_model_find(ctx, "", &path), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_model_find(ctx, ".hidden", &path), FT_ERR_INVAL);
  if (saved) {
    setenv(FT_MODEL_PATH_ENV, saved, 1);
    free(saved);
  } else {
    unsetenv(FT_MODEL_PATH_ENV);
  }
  ft_ctx_free(ctx);
}

/* ---- object size ---- */

static void test_estimate_diameter(void) {
  static const double sizes[] = {8, 15, 24, 45};
  int k;
  for (k = 0; k < 4; k++) {
    double d = sizes[k];
    int side = (int)(d * 10);
    ft_image *img = disc_image(side, side, d, 1);
    double e = ft_estimate_object_diameter(img);
    CU_ASSERT(fabs(e - d) <= 0.12 * d + 1.0);
    if (fabs(e - d) > 0.12 * d + 1.0) fprintf(stderr, "diameter %g estimated %g\n", d, e);
    ft_image_free(img);
  }
  {
    ft_image *flat = NULL;
    CU_ASSERT_FATAL(ft_image_new(NULL, 20, 20, 1, &flat) == FT_OK);
    CU_ASSERT_EQUAL(ft_estimate_object_diameter(flat), 0.0);
    ft_image_free(flat);
  }
  /* the clump check: nuclei of 12 px packed into one thresholded object
   * several times their size read as nuclei, on a small image and on one
   * reduced for the scale-space blobs */
  {
    static const int sides[] = {300, 1100};
    for (k = 0; k < 2; k++) {
      ft_image *img = clump_image(sides[k], sides[k] / 2, 12.0);
      double e = ft_estimate_object_diameter(img);
      if (!(e > 0.75 * 12 && e < 1.35 * 12)) fprintf(stderr, "clump: estimated %g\n", e);
      CU_ASSERT(e > 0.75 * 12 && e < 1.35 * 12);
      ft_image_free(img);
    }
  }
}

/* ---- the segmenter ---- */

static int labels_equal(const ft_labels *a, const ft_labels *b) {
  return a->width == b->width && a->height == b->height && a->nlabels == b->nlabels &&
         memcmp(a->label, b->label, sizeof(int32_t) * a->width * a->height) == 0;
}

static void check_labels_valid(const ft_labels *lab, int w, int h, int cls) {
  size_t i, n = (size_t)w * h;
  int64_t total = 0;
  int l;
  CU_ASSERT_EQUAL(lab->width, w);
  CU_ASSERT_EQUAL(lab->height, h);
  for (i = 0; i < n; i++) CU_ASSERT(lab->label[i] >= 0 && lab->label[i] < lab->nlabels);
  for (l = 0; l < lab->nlabels; l++) {
    total += lab->info[l].area;
    if (l) {
      CU_ASSERT_EQUAL(lab->info[l].class_id, cls);
      CU_ASSERT(lab->info[l].area > 0);
    }
  }
  CU_ASSERT_EQUAL(total, (int64_t)n);
}

static void test_unet_deterministic(void) {
  ft_ctx *ctx = ft_ctx_new();
  int ndiscs;
  ft_image *img = disc_image_n(160, 96, 16, 1, &ndiscs);
  ft_labels *a = NULL, *b = NULL, *c = NULL;
  ft_model *m = NULL;
  ft_unet_params p;
  ft_unet_params_init(&p);
  p.model = ramp3();
  CU_ASSERT_FATAL(ft_segment_unet(ctx, img, &p, &a) == FT_OK);
  ft_ctx_set_threads(ctx, 1);
  CU_ASSERT_FATAL(ft_segment_unet(ctx, img, &p, &b) == FT_OK);
  check_labels_valid(a, 160, 96, FT_CLASS_NUCLEUS);
  /* Every disc is one instance, touching pairs included. */
  CU_ASSERT_EQUAL(ndiscs, 8);
  CU_ASSERT_EQUAL(a->nlabels - 1, ndiscs);
  CU_ASSERT_EQUAL(centre_labels(a, 16), ndiscs);
  CU_ASSERT(labels_equal(a, b));
  CU_ASSERT_DOUBLE_EQUAL(a->pixel_w, 0.5, 0);
  /* A loaded model gives the same as the path. */
  CU_ASSERT_FATAL(ft_model_load(ctx, p.model, &m) == FT_OK);
  p.loaded = m;
  p.model = NULL;
  CU_ASSERT_FATAL(ft_segment_unet(ctx, img, &p, &c) == FT_OK);
  CU_ASSERT(labels_equal(a, c));
  ft_labels_free(a);
  ft_labels_free(b);
  ft_labels_free(c);
  ft_model_free(m);
  ft_image_free(img);
  ft_ctx_free(ctx);
}

/* The outline level (option foreground): the soft-rimmed discs keep their
 * count and centres at every level, and a higher level draws them smaller,
 * each level's objects inside the lower one's.  The automatic level is 0.6
 * on a dark background and 0.5 on a bright one (the image inverted). */
static void test_unet_foreground_level(void) {
  int ndiscs, k;
  const double level[4] = {0.4, 0.5, 0.6, 0.8};
  size_t area[4], i, n;
  ft_image *img = disc_image_n(160, 96, 16, 1, &ndiscs);
  ft_labels *lab[4] = {NULL, NULL, NULL, NULL}, *aut = NULL;
  ft_unet_params p;
  ft_unet_params_init(&p);
  CU_ASSERT_DOUBLE_EQUAL(p.instances.fg_threshold, 0, 0);
  p.model = ramp3();
  n = (size_t)img->width * img->height;
  for (k = 0; k < 4; k++) {
    p.instances.fg_threshold = level[k];
    CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &lab[k]) == FT_OK);
    CU_ASSERT_EQUAL(lab[k]->nlabels - 1, ndiscs);
    CU_ASSERT_EQUAL(centre_labels(lab[k], 16), ndiscs);
    for (area[k] = 0, i = 0; i < n; i++) area[k] += lab[k]->label[i] != 0;
    if (k) {
      int inside = 1;
      for (i = 0; i < n; i++) inside &= !lab[k]->label[i] || lab[k - 1]->label[i];
      CU_ASSERT(inside);
      CU_ASSERT(area[k] < area[k - 1]);
    }
  }
  /* automatic: 0.6 here; 0.5 on the negative image */
  p.instances.fg_threshold = 0;
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &aut) == FT_OK);
  CU_ASSERT(labels_equal(aut, lab[2]));
  ft_labels_free(aut);
  aut = NULL;
  for (i = 0; i < n; i++) img->data[i] = 1.0f - img->data[i];
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &aut) == FT_OK);
  CU_ASSERT(labels_equal(aut, lab[1]));
  ft_labels_free(aut);
  for (k = 0; k < 4; k++) ft_labels_free(lab[k]);
  ft_image_free(img);
}

/* With rescale off the segmenter's instances are exactly ft_split_instances
 * of ft_model_run's output. */
static void test_unet_matches_engine(void) {
  ft_image *img = disc_image(64, 48, 10, 1);
  ft_model *m = NULL;
  ft_tensor *prob = NULL;
  ft_labels *a = NULL, *b = NULL;
  ft_unet_params p;
  ft_instance_params ip;
  CU_ASSERT_FATAL(ft_model_load(NULL, fixture("tiny_transpose"), &m) == FT_OK);
  ft_unet_params_init(&p);
  p.loaded = m;
  p.rescale = 0;
  p.invert = FT_UNET_INVERT_NO;
  p.flips = FT_UNET_FLIPS_NO;
  p.instances.min_area = 7;
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &a) == FT_OK);
  CU_ASSERT_FATAL(ft_model_run(NULL, m, img, NULL, &prob) == FT_OK);
  ft_instance_params_init(&ip);
  ip.min_area = 7;
  ip.fg_threshold = 0.6; /* the automatic level of a dark background */
  ip.min_peak = p.instances.min_peak;
  CU_ASSERT_FATAL(ft_split_instances(NULL, prob, img, &ip, &b) == FT_OK);
  CU_ASSERT(labels_equal(a, b));
  ft_labels_free(a);
  ft_labels_free(b);
  ft_tensor_free(prob);
  ft_model_free(m);
  ft_image_free(img);
}

/* With test-time flips the segmenter commutes with mirroring: the mirrored
 * image gives the mirrored objects (up to the rounding of the four maps'
 * sum in another order).  The fixture model alone is no mirror-symmetric
 * function; the flips make it one. */
static void test_unet_flips(void) {
  int ndiscs, x, y, w = 160, h = 96, diff = 0, fg = 0;
  ft_image *img = disc_image_n(w, h, 16, 1, &ndiscs), *mir = NULL;
  ft_labels *a = NULL, *b = NULL;
  ft_unet_params p;
  CU_ASSERT_FATAL(ft_image_new(NULL, w, h, 1, &mir) == FT_OK);
  /* an asymmetric brightness ramp, so mirroring changes the input */
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) img->data[(size_t)y * w + x] *= 0.6f + 0.4f * (float)x / w;
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) mir->data[(size_t)y * w + x] = img->data[(size_t)y * w + (w - 1 - x)];
  ft_unet_params_init(&p);
  CU_ASSERT_EQUAL(p.flips, FT_UNET_FLIPS_AUTO);
  p.model = ramp3();
  p.rescale = 0;
  p.flips = FT_UNET_FLIPS_YES;
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &a) == FT_OK);
  CU_ASSERT_FATAL(ft_segment_unet(NULL, mir, &p, &b) == FT_OK);
  CU_ASSERT_EQUAL(a->nlabels, b->nlabels);
  CU_ASSERT(a->nlabels - 1 >= ndiscs / 2);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      int la = a->label[(size_t)y * w + x] != 0, lb = b->label[(size_t)y * w + (w - 1 - x)] != 0;
      fg += la;
      diff += la != lb;
    }
  CU_ASSERT(fg > 1000);
  CU_ASSERT(diff <= 4);
  ft_labels_free(a);
  ft_labels_free(b);
  /* a bad value is refused */
  p.flips = 7;
  CU_ASSERT_EQUAL(ft_segment_unet(NULL, img, &p, &a), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(a);
  ft_image_free(img);
  ft_image_free(mir);
}

/* AUTO polarity: a dark-on-bright image gives what its negative gives. */
static void test_unet_polarity(void) {
  int ndiscs;
  ft_image *img = disc_image_n(160, 96, 16, 1, &ndiscs), *neg = NULL;
  ft_labels *a = NULL, *b = NULL, *c = NULL;
  ft_unet_params p;
  size_t i, n = 160 * 96, same = 0;
  CU_ASSERT_FATAL(ft_image_copy(NULL, img, &neg) == FT_OK);
  for (i = 0; i < n; i++) neg->data[i] = 1.0f - img->data[i];
  ft_unet_params_init(&p);
  p.model = ramp3();
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &a) == FT_OK);
  CU_ASSERT_FATAL(ft_segment_unet(NULL, neg, &p, &b) == FT_OK);
  CU_ASSERT_EQUAL(b->nlabels - 1, ndiscs);
  for (i = 0; i < n; i++) same += (a->label[i] != 0) == (b->label[i] != 0);
  CU_ASSERT(same >= n * 99 / 100);
  /* Forcing the wrong polarity makes the background the object. */
  p.invert = FT_UNET_INVERT_YES;
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &c) == FT_OK);
  CU_ASSERT_NOT_EQUAL(c->nlabels - 1, ndiscs);
  CU_ASSERT_NOT_EQUAL(c->label[0], 0);
  ft_labels_free(a);
  ft_labels_free(b);
  ft_labels_free(c);
  ft_image_free(neg);
  ft_image_free(img);
}

/* The resize path: discs 2x and 3x the model's object size are resized to
 * it and still come out one instance each, at the input's size; a given
 * diameter is used as is, and the scale-1 run equals rescale off.  Small
 * discs (10 px) are enlarged; this intensity-only fixture cannot part such
 * small touching pairs at any scale, so there only every disc is found. */
static void test_unet_rescale(void) {
  static const double sizes[] = {32, 48, 10};
  int k;
  for (k = 0; k < 3; k++) {
    double d = sizes[k];
    int ndiscs, w = (int)(10 * d), h = (int)(5 * d);
    ft_image *img = disc_image_n(w, h, d, 1, &ndiscs);
    ft_labels *a = NULL, *b = NULL;
    ft_unet_params p;
    ft_unet_params_init(&p);
    p.model = ramp3();
    CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &a) == FT_OK);
    check_labels_valid(a, w, h, FT_CLASS_NUCLEUS);
    p.diameter = d;
    CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &b) == FT_OK);
    CU_ASSERT_EQUAL(ndiscs, 8);
    if (d > 16) {
      CU_ASSERT_EQUAL(a->nlabels - 1, ndiscs);
      CU_ASSERT_EQUAL(centre_labels(a, d), ndiscs);
      CU_ASSERT_EQUAL(b->nlabels - 1, ndiscs);
    } else {
      CU_ASSERT(centre_labels(a, d) >= ndiscs / 2);
      CU_ASSERT(centre_labels(b, d) >= ndiscs / 2);
    }
    ft_labels_free(a);
    ft_labels_free(b);
    ft_image_free(img);
  }
  {
    ft_image *img = disc_image(160, 80, 16, 1);
    ft_labels *c = NULL, *d = NULL;
    ft_unet_params p;
    ft_unet_params_init(&p);
    p.model = ramp3();
    p.diameter = 16; /* scale 1: the native-scale run */
    CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &c) == FT_OK);
    p.rescale = 0;
    CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &d) == FT_OK);
    CU_ASSERT(labels_equal(c, d));
    ft_labels_free(c);
    ft_labels_free(d);
    ft_image_free(img);
  }
}

/* The automatic minimum area of a 3-class model is a disc of 0.15 times the
 * object diameter: beside 32 px discs (a given diameter, run at native
 * scale) a 7 px nucleus is kept - the floor is 18 px, where a floor of 0.3
 * times the diameter (72 px) would drop it - and the automatic result is
 * that of min_area 18. */
static void test_unet_min_area(void) {
  int ndiscs, w = 320, h = 160, x, y;
  ft_image *img = disc_image_n(w, h, 32, 1, &ndiscs);
  ft_labels *aut = NULL, *floor18 = NULL, *floor72 = NULL;
  ft_unet_params p;
  for (y = 0; y < h; y++)
    for (x = 256; x < w; x++) {
      double t = soft_disc(x, y, 290, 80, 3.5, 1.75);
      if (t > 0) img->data[(size_t)y * w + x] = (float)(0.1 + 0.7 * t);
    }
  ft_unet_params_init(&p);
  p.model = ramp3();
  p.diameter = 32;
  p.scale = 1;
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &aut) == FT_OK);
  CU_ASSERT_EQUAL(aut->nlabels - 1, ndiscs + 1);
  CU_ASSERT_NOT_EQUAL(aut->label[80 * w + 290], 0);
  p.instances.min_area = 18;
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &floor18) == FT_OK);
  CU_ASSERT(labels_equal(aut, floor18));
  p.instances.min_area = 72;
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &floor72) == FT_OK);
  CU_ASSERT_EQUAL(floor72->nlabels - 1, ndiscs);
  CU_ASSERT_EQUAL(floor72->label[80 * w + 290], 0);
  ft_labels_free(aut);
  ft_labels_free(floor18);
  ft_labels_free(floor72);
  ft_image_free(img);
}

/* On an image larger than the probe window the probes set the scale: 24 px
 * discs with bright 2x2 specks between them (dust) come out one instance
 * each, and the estimate is not misled by the specks. */
static void test_unet_probe(void) {
  int w = 960, h = 480, ndiscs, x, y, nspecks = 0;
  double d = 24, est;
  ft_image *img = disc_image_n(w, h, d, 1, &ndiscs);
  ft_labels *a = NULL;
  ft_unet_params p;
  for (y = 2; y + 4 < h; y += 9)
    for (x = 2; x + 4 < w; x += 9) {
      int i, j, clear = 1;
      for (j = -2; j < 5; j++)
        for (i = -2; i < 5; i++) clear &= img->data[(size_t)(y + j) * w + x + i] < 0.3f;
      if (!clear) continue;
      for (j = 0; j < 2; j++)
        for (i = 0; i < 2; i++) img->data[(size_t)(y + j) * w + x + i] = 1.0f;
      nspecks++;
    }
  CU_ASSERT(nspecks > 10 * ndiscs);
  est = ft_estimate_object_diameter(img);
  CU_ASSERT(est > 0.8 * d && est < 1.25 * d);
  ft_unet_params_init(&p);
  p.model = ramp3();
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &a) == FT_OK);
  CU_ASSERT_EQUAL(centre_labels(a, d), ndiscs);
  ft_labels_free(a);
  ft_image_free(img);
}

/* A one-class (sigmoid) model gives ink where p > 0.5. */
static void test_unet_ink_model(void) {
  ft_image *img = disc_image(40, 32, 8, 3);
  ft_model *m = NULL;
  ft_tensor *prob = NULL;
  ft_labels *lab = NULL;
  ft_unet_params p;
  size_t i;
  CU_ASSERT_FATAL(ft_model_load(NULL, fixture("tiny_nearest"), &m) == FT_OK);
  ft_unet_params_init(&p);
  p.loaded = m;
  p.rescale = 0;
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_FATAL(ft_model_run(NULL, m, img, NULL, &prob) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 2);
  CU_ASSERT_EQUAL(lab->info[1].class_id, FT_CLASS_INK);
  for (i = 0; i < 40 * 32; i++) CU_ASSERT_EQUAL(lab->label[i], prob->data[i] > 0.5f);
  ft_labels_free(lab);
  lab = NULL;
  /* another cut: ink where p > ink_threshold */
  p.ink_threshold = 0.3;
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &lab) == FT_OK);
  {
    size_t more = 0;
    for (i = 0; i < 40 * 32; i++) {
      CU_ASSERT_EQUAL(lab->label[i], prob->data[i] > 0.3f);
      more += prob->data[i] > 0.3f && !(prob->data[i] > 0.5f);
    }
    CU_ASSERT(more > 0);
  }
  ft_labels_free(lab);
  lab = NULL;
  p.ink_threshold = 1.5;
  CU_ASSERT_EQUAL(ft_segment_unet(NULL, img, &p, &lab), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(lab);
  ft_tensor_free(prob);
  ft_model_free(m);
  ft_image_free(img);
}

/* ---- stroke width (ink models) ---- */

/* A w x h map, 0 everywhere but v inside a bar of width bw px along the
 * axis from (x0, y0) to (x1, y1) (pixel centres within bw / 2 of the
 * segment). */
static float *bar_map(int w, int h, double x0, double y0, double x1, double y1, double bw,
                      float v) {
  float *m = calloc((size_t)w * h, sizeof *m);
  double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
  int x, y;
  CU_ASSERT_FATAL(m != NULL);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      double t = ((x + 0.5 - x0) * dx + (y + 0.5 - y0) * dy) / len2, px, py;
      if (t < 0 || t > 1) continue;
      px = x0 + t * dx - (x + 0.5);
      py = y0 + t * dy - (y + 0.5);
      if (px * px + py * py <= bw * bw / 4) m[(size_t)y * w + x] = v;
    }
  return m;
}

/* 4 m - 2 is k for bars k (even) or k + 1/k (odd) pixels wide along an
 * axis (up to their ends), close for a diagonal one; too few pixels or none
 * above the cut give 0. */
static void test_ink_stroke_width(void) {
  static const int widths[] = {3, 4, 5, 8, 11};
  float *m;
  int k;
  for (k = 0; k < 5; k++) {
    int bw = widths[k];
    double want = bw % 2 ? bw + 1.0 / bw : bw; /* the ends lower it a little */
    /* horizontal: rows 20 .. 20 + bw - 1 */
    m = bar_map(240, 48, 10, 20 + bw / 2.0, 230, 20 + bw / 2.0, bw, 0.9f);
    CU_ASSERT_DOUBLE_EQUAL(ft__ink_stroke_width(m, 240, 48, 0.5f), want, 0.25);
    free(m);
    /* vertical */
    m = bar_map(48, 240, 20 + bw / 2.0, 10, 20 + bw / 2.0, 230, bw, 0.9f);
    CU_ASSERT_DOUBLE_EQUAL(ft__ink_stroke_width(m, 48, 240, 0.5f), want, 0.25);
    free(m);
  }
  /* a 45-degree bar 6 px wide: within a pixel */
  m = bar_map(200, 200, 20, 20, 180, 180, 6, 0.9f);
  CU_ASSERT_DOUBLE_EQUAL(ft__ink_stroke_width(m, 200, 200, 0.5f), 6, 1.0);
  /* the cut decides what is ink: nothing above 0.95 */
  CU_ASSERT_EQUAL(ft__ink_stroke_width(m, 200, 200, 0.95f), 0);
  free(m);
  /* 5 x 12 = 60 ink pixels: too few to say */
  m = bar_map(40, 40, 10, 20.5, 22, 20.5, 5, 1.0f);
  CU_ASSERT_EQUAL(ft__ink_stroke_width(m, 40, 40, 0.5f), 0);
  free(m);
  CU_ASSERT_EQUAL(ft__ink_stroke_width(NULL, 40, 40, 0.5f), 0);
}

/* Dark pen lines bw px wide on bright paper, soft-edged (the darkness is
 * the pixel's coverage, 4x4 supersampled): a grid of horizontal and
 * vertical lines 24 px apart and one diagonal. */
static ft_image *pen_image(int w, int h, double bw) {
  ft_image *img = NULL;
  int x, y, i, j;
  CU_ASSERT_FATAL(ft_image_new(NULL, w, h, 1, &img) == FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      int hit = 0;
      for (j = 0; j < 4; j++)
        for (i = 0; i < 4; i++) {
          double sx = x + (i + 0.5) / 4, sy = y + (j + 0.5) / 4;
          double gx = fmod(sx - 12, 24), gy = fmod(sy - 12, 24);
          int on = (gx >= 0 && gx < bw && sx > 8 && sx < w - 8) ||
                   (gy >= 0 && gy < bw && sy > 8 && sy < h - 8) ||
                   fabs(sx - sy) * M_SQRT1_2 < bw / 2;
          hit += on && sx > 8 && sx < w - 8 && sy > 8 && sy < h - 8;
        }
      img->data[(size_t)y * w + x] = (float)(0.92 - 0.7 * hit / 16.0);
    }
  return img;
}

typedef struct scale_log {
  int magnified, native, given;
  double scale;
} scale_log;

static void note_scale(void *user, ft_log_level level, const char *msg) {
  scale_log *sl = user;
  const char *s;
  (void)level;
  if ((s = strstr(msg, "network at scale ")) != NULL) {
    sl->magnified++;
    sl->scale = atof(s + strlen("network at scale "));
  }
  if (strstr(msg, "wide: native scale")) sl->native++;
  if (strstr(msg, "(given)")) sl->given++;
}

static size_t ink_count(const ft_labels *lab) {
  size_t i, n = 0;
  for (i = 0; i < (size_t)lab->width * lab->height; i++) n += ft_labels_get(lab, i) != 0;
  return n;
}

/* Ink models: thin strokes make a second, magnified pass (to about 8 px);
 * wide ones, rescale=no and a given scale do not. */
static void test_unet_thin_strokes(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *thin = pen_image(192, 160, 3), *wide = pen_image(192, 160, 12);
  ft_labels *a = NULL, *b = NULL;
  ft_unet_params p;
  scale_log sl;
  size_t na, nb;
  memset(&sl, 0, sizeof sl);
  ft_ctx_set_log(ctx, note_scale, &sl, FT_LOG_INFO);
  ft_unet_params_init(&p);
  CU_ASSERT_DOUBLE_EQUAL(p.ink_threshold, 0, 0);
  CU_ASSERT_DOUBLE_EQUAL(p.scale, 0, 0);
  p.model = ramp1();
  /* 3 px lines: magnified about 8 / 3 times */
  CU_ASSERT_FATAL(ft_segment_unet(ctx, thin, &p, &a) == FT_OK);
  check_labels_valid(a, 192, 160, FT_CLASS_INK);
  CU_ASSERT_EQUAL(sl.magnified, 1);
  CU_ASSERT(sl.scale > 2.2 && sl.scale < 3.2);
  /* one pass at native size: the same lines within a few percent */
  p.rescale = 0;
  CU_ASSERT_FATAL(ft_segment_unet(ctx, thin, &p, &b) == FT_OK);
  CU_ASSERT_EQUAL(sl.magnified, 1);
  na = ink_count(a);
  nb = ink_count(b);
  CU_ASSERT(nb > 0 && fabs((double)na / nb - 1) < 0.08);
  ft_labels_free(a);
  ft_labels_free(b);
  a = b = NULL;
  /* a given scale runs once, at that scale */
  p.rescale = 1;
  p.scale = 2;
  CU_ASSERT_FATAL(ft_segment_unet(ctx, thin, &p, &a) == FT_OK);
  CU_ASSERT_EQUAL(sl.magnified, 1);
  CU_ASSERT_EQUAL(sl.given, 1);
  ft_labels_free(a);
  a = NULL;
  /* 12 px lines: native, the same labels as rescale=no with the 0.5 cut */
  p.scale = 0;
  CU_ASSERT_FATAL(ft_segment_unet(ctx, wide, &p, &a) == FT_OK);
  CU_ASSERT_EQUAL(sl.magnified, 1);
  CU_ASSERT_EQUAL(sl.native, 1);
  p.rescale = 0;
  p.ink_threshold = 0.5;
  CU_ASSERT_FATAL(ft_segment_unet(ctx, wide, &p, &b) == FT_OK);
  CU_ASSERT(labels_equal(a, b));
  ft_labels_free(a);
  ft_labels_free(b);
  p.scale = 0.1;
  a = (ft_labels *)&a;
  CU_ASSERT_EQUAL(ft_segment_unet(ctx, wide, &p, &a), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(a);
  ft_image_free(thin);
  ft_image_free(wide);
  ft_ctx_free(ctx);
}

static void test_unet_errors(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *img = disc_image(32, 32, 8, 1);
  ft_labels *lab = (ft_labels *)&lab;
  ft_unet_params p;
  char bad[] = "/tmp/ft-unetseg-XXXXXX";
  int fd = mkstemp(bad);
  char badpath[64];
  CU_ASSERT_FATAL(fd >= 0);
  CU_ASSERT_EQUAL(write(fd, "not a model at all", 18), 18);
  close(fd);
  snprintf(badpath, sizeof badpath, "%s.safetensors", bad);
  CU_ASSERT_FATAL(rename(bad, badpath) == 0);
  ft_unet_params_init(&p);
  p.model = badpath;
  CU_ASSERT_EQUAL(ft_segment_unet(ctx, img, &p, &lab), FT_ERR_MODEL);
  CU_ASSERT_PTR_NULL(lab);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), badpath));
  p.model = "nosuchmodel";
  CU_ASSERT_EQUAL(ft_segment_unet(ctx, img, &p, &lab), FT_ERR_MODEL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "not found"));
  ft_unet_params_init(&p);
  p.model = fixture("tiny_transpose");
  p.tile = 8;
  CU_ASSERT_EQUAL(ft_segment_unet(ctx, img, &p, &lab), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "tile"));
  ft_unet_params_init(&p);
  p.model = NULL;
  CU_ASSERT_EQUAL(ft_segment_unet(ctx, img, &p, &lab), FT_ERR_INVAL);
  unlink(badpath);
  ft_image_free(img);
  ft_ctx_free(ctx);
}

/* ---- label image ---- */

static void test_labels_write_roundtrip(void) {
  static const char *const exts[] = {".png", ".tif", ".TIFF"};
  ft_ctx *ctx = ft_ctx_new();
  ft_labels *lab = NULL;
  char dir[] = "/tmp/ft-labels-XXXXXX", path[128];
  int k, x, y;
  CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
  CU_ASSERT_FATAL(ft_labels_new(NULL, 300, 7, 1000, &lab) == FT_OK);
  for (y = 0; y < 7; y++)
    for (x = 0; x < 300; x++) lab->label[y * 300 + x] = (x * 7 + y * 300) % 1000;
  lab->label[5] = 999;
  for (k = 0; k < 3; k++) {
    ft_image *img = NULL;
    size_t i;
    int bad = 0;
    snprintf(path, sizeof path, "%s/labels%s", dir, exts[k]);
    CU_ASSERT_FATAL(ft_labels_write(ctx, lab, path) == FT_OK);
    CU_ASSERT_FATAL(ft_read_file(ctx, path, NULL, &img) == FT_OK);
    CU_ASSERT_EQUAL(img->width, 300);
    CU_ASSERT_EQUAL(img->height, 7);
    CU_ASSERT_EQUAL(img->channels, 1);
    CU_ASSERT_EQUAL(img->bit_depth, 16);
    for (i = 0; i < 300 * 7; i++)
      if ((int)lrintf(img->data[i] * 65535.0f) != lab->label[i]) bad++;
    CU_ASSERT_EQUAL(bad, 0);
    ft_image_free(img);
    unlink(path);
  }
  snprintf(path, sizeof path, "%s/labels.jpg", dir);
  CU_ASSERT_EQUAL(ft_labels_write(ctx, lab, path), FT_ERR_INVAL);
  snprintf(path, sizeof path, "%s/no/such/dir/labels.png", dir);
  CU_ASSERT_EQUAL(ft_labels_write(ctx, lab, path), FT_ERR_IO);
  lab->label[3] = 70000;
  lab->nlabels = 70001;
  snprintf(path, sizeof path, "%s/labels.png", dir);
  CU_ASSERT_EQUAL(ft_labels_write(ctx, lab, path), FT_ERR_UNSUPPORTED);
  CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
  lab->nlabels = 1000;
  ft_labels_free(lab);
  CU_ASSERT_EQUAL(rmdir(dir), 0); /* nothing left behind, temporaries included */
  ft_ctx_free(ctx);
}

/* ---- labels and traced paths agree ---- */

/* 1 when pixel centre (px, py) is inside the paths of label l (even-odd over
 * all of that label's closed polygons). */
static int inside(const ft_paths *ps, int l, double px, double py) {
  int i, j, in = 0;
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    ft_point a = p->start;
    if (p->label != l) continue;
    for (j = 0; j < p->nseg; j++) {
      ft_point b = p->seg[j].c[2];
      if ((a.y > py) != (b.y > py) && px < a.x + (py - a.y) * (b.x - a.x) / (b.y - a.y)) in ^= 1;
      a = b;
    }
    {
      ft_point b = p->start;
      if ((a.y > py) != (b.y > py) && px < a.x + (py - a.y) * (b.x - a.x) / (b.y - a.y)) in ^= 1;
    }
  }
  return in;
}

static void test_labels_match_paths(void) {
  int ndiscs;
  ft_image *img = disc_image_n(160, 96, 16, 1, &ndiscs);
  ft_labels *lab = NULL;
  ft_paths *ps = NULL;
  ft_unet_params p;
  int l, x, y, nseen = 0, *seen;
  ft_unet_params_init(&p);
  p.model = ramp3();
  CU_ASSERT_FATAL(ft_segment_unet(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels - 1, ndiscs);
  CU_ASSERT_FATAL(ft_trace(NULL, lab, NULL, &ps) == FT_OK);
  seen = calloc((size_t)lab->nlabels, sizeof *seen);
  for (l = 0; l < ps->npaths; l++) seen[ps->path[l].label]++;
  for (l = 1; l < lab->nlabels; l++) nseen += seen[l] > 0;
  CU_ASSERT_EQUAL(nseen, lab->nlabels - 1);
  for (l = 1; l < lab->nlabels; l++) {
    long inter = 0, uni = 0;
    for (y = 0; y < 96; y++)
      for (x = 0; x < 160; x++) {
        int a = lab->label[y * 160 + x] == l, b = inside(ps, l, x + 0.5, y + 0.5);
        inter += a && b;
        uni += a || b;
      }
    CU_ASSERT(uni > 0 && (double)inter / uni >= 0.95);
  }
  free(seen);
  ft_paths_free(ps);
  ft_labels_free(lab);
  ft_image_free(img);
}

/* ---- the pipeline's --segment option and preset ---- */

static void test_options_segment(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_options opt, before;
  ft_options_init(&opt);
  CU_ASSERT_EQUAL(opt.segmenter, FT_SEGMENTER_THRESHOLD);
  CU_ASSERT_STRING_EQUAL(opt.model, "nuclei");
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, "unet") == FT_OK);
  CU_ASSERT_EQUAL(opt.segmenter, FT_SEGMENTER_UNET);
  CU_ASSERT_STRING_EQUAL(opt.model, "nuclei");
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt,
                                         "UNet:/x/m.safetensors,diameter=30,rescale=no,"
                                         "invert=yes,min-area=12,tile=256,ink=0.35") == FT_OK);
  CU_ASSERT_STRING_EQUAL(opt.model, "/x/m.safetensors");
  CU_ASSERT_DOUBLE_EQUAL(opt.unet.diameter, 30, 0);
  CU_ASSERT_EQUAL(opt.unet.rescale, 0);
  CU_ASSERT_EQUAL(opt.unet.invert, FT_UNET_INVERT_YES);
  CU_ASSERT_EQUAL(opt.unet.instances.min_area, 12);
  CU_ASSERT_EQUAL(opt.unet.tile, 256);
  CU_ASSERT_DOUBLE_EQUAL(opt.unet.ink_threshold, 0.35, 0);
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, "unet:sketch,scale=2.5,ink=auto") == FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(opt.unet.scale, 2.5, 0);
  CU_ASSERT_DOUBLE_EQUAL(opt.unet.ink_threshold, 0, 0);
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, "unet,split=0.8,flips=no") == FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(opt.unet.instances.neck_split, 0.8, 0);
  CU_ASSERT_EQUAL(opt.unet.flips, FT_UNET_FLIPS_NO);
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, "unet,split=0,flips=yes") == FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(opt.unet.instances.neck_split, 0, 0);
  CU_ASSERT_EQUAL(opt.unet.flips, FT_UNET_FLIPS_YES);
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, "unet,foreground=0.45") == FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(opt.unet.instances.fg_threshold, 0.45, 0);
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, "unet,foreground=AUTO") == FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(opt.unet.instances.fg_threshold, 0, 0);
  CU_ASSERT_DOUBLE_EQUAL(opt.unet.instances.min_peak, 0.8, 0);
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, "unet,min-peak=0") == FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(opt.unet.instances.min_peak, 0, 0);
  /* Keys not given take the defaults again. */
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, "unet:nuclei, diameter=20 ") == FT_OK);
  CU_ASSERT_EQUAL(opt.unet.rescale, 1);
  CU_ASSERT_EQUAL(opt.unet.instances.min_area, -1);
  CU_ASSERT_DOUBLE_EQUAL(opt.unet.instances.fg_threshold, 0, 0);
  CU_ASSERT_DOUBLE_EQUAL(opt.unet.diameter, 20, 0);
  /* Errors leave opt unchanged. */
  before = opt;
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:x,diameter=abc"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "diameter"));
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:x,ink=1"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "ink"));
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:x,size=3"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "unknown key 'size'"));
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unetx"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "watershed"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "unknown segmenter 'watershed'"));
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:x,tile=16"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:x,tile=-1"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:x,scale=0.1"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "scale"));
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:x,scale=5"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:x,split=0.3"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "split"));
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:x,foreground=1"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "foreground"));
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:x,foreground=0"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:x,min-peak=1"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "min-peak"));
  CU_ASSERT_EQUAL(ft_options_set_segment(ctx, &opt, "unet:x,flips=maybe"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "flips"));
  CU_ASSERT_EQUAL(memcmp(&before, &opt, sizeof opt), 0);
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, "unet:x,tile=0") == FT_OK);
  CU_ASSERT_EQUAL(opt.unet.tile, 0);
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, "threshold") == FT_OK);
  CU_ASSERT_EQUAL(opt.segmenter, FT_SEGMENTER_THRESHOLD);
  /* The preset and the generic setter. */
  ft_options_init(&opt);
  CU_ASSERT_FATAL(ft_preset_apply(ctx, "microscopy", &opt) == FT_OK);
  CU_ASSERT_EQUAL(opt.segmenter, FT_SEGMENTER_UNET);
  CU_ASSERT_STRING_EQUAL(opt.model, "nuclei");
  CU_ASSERT_EQUAL(opt.ndenoise, 0);
  CU_ASSERT_FATAL(ft_preset_apply(ctx, "lineart", &opt) == FT_OK);
  CU_ASSERT_EQUAL(opt.segmenter, FT_SEGMENTER_THRESHOLD);
  CU_ASSERT_FATAL(ft_options_set(ctx, &opt, "segment", "unet:ramp3") == FT_OK);
  CU_ASSERT_STRING_EQUAL(opt.model, "ramp3");
  ft_ctx_free(ctx);
}

/* The pipeline with the U-Net: one nucleus layer path per instance, and the
 * labels it hands back are the segmenter's. */
static void test_pipeline_unet(void) {
  ft_ctx *ctx = ft_ctx_new();
  int ndiscs, i, l, nuclei_layer = -1;
  ft_image *img = disc_image_n(160, 96, 16, 1, &ndiscs);
  ft_options opt;
  ft_doc *doc = NULL;
  ft_labels *lab = NULL, *direct = NULL;
  ft_unet_params p;
  ft_options_init(&opt);
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, "unet:") != FT_OK);
  {
    char spec[4200];
    snprintf(spec, sizeof spec, "unet:%s", ramp3());
    CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, spec) == FT_OK);
  }
  CU_ASSERT_FATAL(ft_pipeline_run_labels(ctx, &opt, img, &doc, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels - 1, ndiscs);
  ft_unet_params_init(&p);
  p.model = ramp3();
  CU_ASSERT_FATAL(ft_segment_unet(ctx, img, &p, &direct) == FT_OK);
  CU_ASSERT(labels_equal(lab, direct));
  for (i = 0; i < doc->nlayers; i++)
    if (doc->layer[i].paths && doc->layer[i].paths->npaths &&
        doc->layer[i].paths->path[0].class_id == FT_CLASS_NUCLEUS)
      nuclei_layer = i;
  CU_ASSERT_FATAL(nuclei_layer >= 0);
  {
    const ft_paths *ps = doc->layer[nuclei_layer].paths;
    int *seen = calloc((size_t)lab->nlabels, sizeof *seen), distinct = 0;
    for (i = 0; i < ps->npaths; i++)
      if (ps->path[i].label > 0 && ps->path[i].label < lab->nlabels) seen[ps->path[i].label] = 1;
    for (l = 1; l < lab->nlabels; l++) distinct += seen[l];
    CU_ASSERT_EQUAL(distinct, ndiscs);
    free(seen);
  }
  ft_doc_free(doc);
  ft_labels_free(lab);
  ft_labels_free(direct);
  /* A missing model fails the run with the lookup's message. */
  CU_ASSERT_FATAL(ft_options_set_segment(ctx, &opt, "unet:nosuchmodel") == FT_OK);
  doc = (ft_doc *)&doc;
  lab = (ft_labels *)&lab;
  CU_ASSERT_EQUAL(ft_pipeline_run_labels(ctx, &opt, img, &doc, &lab), FT_ERR_MODEL);
  CU_ASSERT_PTR_NULL(doc);
  CU_ASSERT_PTR_NULL(lab);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "'nosuchmodel' not found"));
  ft_image_free(img);
  ft_ctx_free(ctx);
}

int main(void) {
  static const ft_test_case cases[] = {
      {"model lookup: path, FIGTRACE_MODEL_PATH, missing", test_find_path_and_env},
      {"object diameter estimate", test_estimate_diameter},
      {"segmenter is deterministic", test_unet_deterministic},
      {"foreground level draws the outlines", test_unet_foreground_level},
      {"segmenter equals engine + splitting", test_unet_matches_engine},
      {"test-time flips: mirrored in, mirrored out", test_unet_flips},
      {"automatic polarity", test_unet_polarity},
      {"object-size rescaling", test_unet_rescale},
      {"automatic minimum area", test_unet_min_area},
      {"specks do not decide the size; probes", test_unet_probe},
      {"one-class ink model", test_unet_ink_model},
      {"stroke width of an ink map", test_ink_stroke_width},
      {"ink model: thin strokes magnified", test_unet_thin_strokes},
      {"bad models and parameters", test_unet_errors},
      {"label image round trip", test_labels_write_roundtrip},
      {"label image and traced paths agree", test_labels_match_paths},
      {"--segment option and microscopy preset", test_options_segment},
      {"pipeline with the U-Net", test_pipeline_unet},
      {NULL, NULL},
  };
  return ft_test_main("unetseg", cases);
}
