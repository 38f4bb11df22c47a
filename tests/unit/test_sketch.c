/* tests/unit/test_sketch.c - the sketch preset: the ink U-Net when its model
 * is found, the classical chain when it is not, and the chain with a model.
 *
 * The model branch runs on the hand-set fixture tests/data/sketch/
 * sketch.safetensors (an intensity classifier named like the shipped model,
 * see make_fixture.py there), put in the shipped model's place through
 * FIGTRACE_MODEL_PATH, which is searched first.  The shipped model's quality
 * is measured by tools/bench/sketches and tests/e2e/sketch.sh, not here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figtrace.h"
#include "testutil.h"

static char fixture_dir[4096];

static void use_fixture(void) {
  snprintf(fixture_dir, sizeof fixture_dir, "%s/tests/data/sketch", ft_test_srcdir());
  setenv(FT_MODEL_PATH_ENV, fixture_dir, 1);
}

/* A pencil drawing on paper: a rectangle outline, a diagonal and a small
 * ring, strokes w px wide at darkness 0.45 on paper 0.92 under a light
 * gradient (to 80% across the page) and a fixed pseudo-random grain.
 * truth (w x h, may be NULL) gets the ink mask. */
static ft_image *drawing(int w, int h, double sw, unsigned char *truth) {
  ft_image *img = NULL;
  int x, y;
  CU_ASSERT_FATAL(ft_image_new(NULL, w, h, 1, &img) == FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      double px = x + 0.5, py = y + 0.5, r = sw / 2, d, v;
      /* rectangle outline 0.15..0.85 of the page */
      double x0 = 0.15 * w, x1 = 0.85 * w, y0 = 0.15 * h, y1 = 0.85 * h;
      int ink = 0;
      if (px > x0 - r && px < x1 + r && py > y0 - r && py < y1 + r &&
          !(px > x0 + r && px < x1 - r && py > y0 + r && py < y1 - r))
        ink = 1;
      d = fabs((px - x0) * (y1 - y0) - (py - y0) * (x1 - x0)) / hypot(x1 - x0, y1 - y0);
      if (d < r && px > x0 && px < x1) ink = 1;
      d = fabs(hypot(px - 0.7 * w, py - 0.35 * h) - 0.08 * w);
      if (d < r) ink = 1;
      v = 0.92 * (1.0 - 0.2 * px / w) * (ink ? 0.55 : 1.0) + 0.02 * (((x * 7 + y * 13) % 5) - 2) / 2.0;
      img->data[(size_t)y * w + x] = (float)v;
      if (truth) truth[(size_t)y * w + x] = (unsigned char)ink;
    }
  return img;
}

/* The sketch preset, optionally with the ink U-Net in place of its
 * classical segmentation (the command line's `-p sketch --segment=unet:sketch
 * --denoise=`): the network reads the photograph as it is. */
static void apply(ft_ctx *ctx, ft_options *opt, int unet) {
  ft_options_init(opt);
  CU_ASSERT_FATAL(ft_preset_apply(ctx, "sketch", opt) == FT_OK);
  if (unet) {
    CU_ASSERT_FATAL(ft_options_set(ctx, opt, "segment", "unet:sketch") == FT_OK);
    CU_ASSERT_FATAL(ft_options_set(ctx, opt, "denoise", "") == FT_OK);
  }
}

/* The preset itself is the classical chain; choosing the U-Net changes the
 * segmenter and the denoise chain and nothing else. */
static void test_branches(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_options classical, model;
  apply(ctx, &classical, 0);
  apply(ctx, &model, 1);
  CU_ASSERT_EQUAL(classical.segmenter, FT_SEGMENTER_THRESHOLD);
  CU_ASSERT_EQUAL(classical.segment.polarity, FT_POLARITY_DARK);
  CU_ASSERT(classical.ndenoise >= 1);
  CU_ASSERT_EQUAL(model.segmenter, FT_SEGMENTER_UNET);
  CU_ASSERT_STRING_EQUAL(model.model, "sketch");
  CU_ASSERT_EQUAL(model.ndenoise, 0);
  CU_ASSERT(memcmp(&model.segment, &classical.segment, sizeof model.segment) == 0);
  CU_ASSERT(memcmp(&model.trace, &classical.trace, sizeof model.trace) == 0);
  CU_ASSERT(memcmp(&model.fit, &classical.fit, sizeof model.fit) == 0);
  CU_ASSERT(memcmp(&model.style, &classical.style, sizeof model.style) == 0);
  ft_ctx_free(ctx);
}

/* The model is found by name: with FIGTRACE_MODEL_PATH naming the
 * fixture's folder, the fixture is the one found. */
static void test_lookup(void) {
  ft_ctx *ctx = ft_ctx_new();
  char *path = NULL, want[4200];
  use_fixture();
  CU_ASSERT_FATAL(ft_model_find(ctx, "sketch", &path) == FT_OK);
  snprintf(want, sizeof want, "%s/sketch.safetensors", fixture_dir);
  CU_ASSERT_STRING_EQUAL(path, want);
  free(path);
  ft_ctx_free(ctx);
}

/* The model branch end to end with the fixture: deterministic, the labels
 * are the segmenter's, the ink is found; the classical branch finds it too. */
static void test_chain(void) {
  enum { W = 160, H = 120 };
  static unsigned char truth[W * H];
  ft_ctx *ctx = ft_ctx_new();
  ft_image *img = drawing(W, H, 4.0, truth);
  ft_options opt;
  ft_doc *doc1 = NULL, *doc2 = NULL;
  ft_labels *lab1 = NULL, *lab2 = NULL, *direct = NULL;
  ft_unet_params up;
  int branch, i, inter, uni, npaths;
  use_fixture();
  for (branch = 1; branch >= 0; branch--) {
    apply(ctx, &opt, branch);
    CU_ASSERT_FATAL(ft_pipeline_run_labels(ctx, &opt, img, &doc1, &lab1) == FT_OK);
    CU_ASSERT_FATAL(ft_pipeline_run_labels(ctx, &opt, img, &doc2, &lab2) == FT_OK);
    CU_ASSERT_FATAL(lab1->width == W && lab1->height == H);
    CU_ASSERT_EQUAL(lab1->nlabels, lab2->nlabels);
    CU_ASSERT(memcmp(lab1->label, lab2->label, sizeof *lab1->label * W * H) == 0);
    CU_ASSERT_EQUAL(doc1->nlayers, doc2->nlayers);
    npaths = 0;
    for (i = 0; i < doc1->nlayers; i++) {
      CU_ASSERT_EQUAL(doc1->layer[i].paths ? doc1->layer[i].paths->npaths : 0,
                      doc2->layer[i].paths ? doc2->layer[i].paths->npaths : 0);
      npaths += doc1->layer[i].paths ? doc1->layer[i].paths->npaths : 0;
    }
    /* the rectangle with its two triangles' holes and the ring with its hole */
    CU_ASSERT(npaths >= 4);
    inter = uni = 0;
    for (i = 0; i < W * H; i++) {
      int ink = lab1->label[i] > 0;
      inter += ink && truth[i];
      uni += ink || truth[i];
    }
    CU_ASSERT(uni > 0 && (double)inter / uni >= 0.9);
    if (branch) {
      CU_ASSERT_EQUAL(lab1->nlabels, 2);
      CU_ASSERT_EQUAL(lab1->info[1].class_id, FT_CLASS_INK);
      ft_unet_params_init(&up);
      up.model = "sketch";
      CU_ASSERT_FATAL(ft_segment_unet(ctx, img, &up, &direct) == FT_OK);
      CU_ASSERT(memcmp(lab1->label, direct->label, sizeof *lab1->label * W * H) == 0);
      ft_labels_free(direct);
      direct = NULL;
    }
    ft_doc_free(doc1);
    ft_doc_free(doc2);
    ft_labels_free(lab1);
    ft_labels_free(lab2);
    doc1 = doc2 = NULL;
    lab1 = lab2 = NULL;
  }
  ft_image_free(img);
  ft_ctx_free(ctx);
}

/* Asking for a model that is not there fails the run and says where it was
 * looked for; a damaged file under the model's name fails with the loader's
 * message (the preset looks the file up, it does not load it). */
static void test_missing_model(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *img = drawing(64, 48, 3.0, NULL);
  ft_options opt;
  ft_doc *doc = NULL;
  use_fixture();
  ft_options_init(&opt);
  CU_ASSERT_FATAL(ft_options_set(ctx, &opt, "segment", "unet:sketch-nosuch") == FT_OK);
  CU_ASSERT_EQUAL(ft_pipeline_run(ctx, &opt, img, &doc), FT_ERR_MODEL);
  CU_ASSERT_PTR_NULL(doc);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "'sketch-nosuch' not found"));
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), fixture_dir));
  ft_image_free(img);
  ft_ctx_free(ctx);
}

int main(void) {
  static const ft_test_case cases[] = {
      {"sketch preset with and without the U-Net", test_branches},
      {"sketch model found by name", test_lookup},
      {"sketch preset chain with a fixture model", test_chain},
      {"missing model asked for explicitly", test_missing_model},
      {NULL, NULL},
  };
  return ft_test_main("sketch", cases);
}
