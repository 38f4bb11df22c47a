/* tests/unit/test_sketch.c - the sketch preset: the ink U-Net when its model
 * is found, the classical chain when it is not, the command line's options
 * that pick a chain, and the chain with a model.
 *
 * The model branch runs on the hand-set fixture tests/data/sketch/
 * sketch.safetensors (an intensity classifier named like the shipped model,
 * see make_fixture.py there), put in the shipped model's place through
 * FIGTRACE_MODEL_PATH, which is searched first.  "Not found" is an empty
 * FIGTRACE_MODEL_PATH with FIGTRACE_NO_DEFAULT_MODELS set, which keeps the
 * source tree's models/ (holding the shipped model) and the installed
 * directory out of the search.  The shipped model's quality is measured by
 * tools/bench/sketches and tests/e2e/sketch.sh, not here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cli/segment.h"
#include "figtrace.h"
#include "testutil.h"

static char fixture_dir[4096];

/* The fixture is the model "sketch" (the shipped one is searched after it). */
static void use_fixture(void) {
  snprintf(fixture_dir, sizeof fixture_dir, "%s/tests/data/sketch", ft_test_srcdir());
  setenv(FT_MODEL_PATH_ENV, fixture_dir, 1);
  unsetenv(FT_NO_DEFAULT_MODELS_ENV);
}

/* No model "sketch" anywhere: only FIGTRACE_MODEL_PATH is searched, and it
 * names dir (may be "", nothing). */
static void use_only(const char *dir) {
  setenv(FT_MODEL_PATH_ENV, dir, 1);
  setenv(FT_NO_DEFAULT_MODELS_ENV, "1", 1);
}

/* The same U-Net parameters, field by field (padding is not compared). */
static int same_unet(const ft_unet_params *a, const ft_unet_params *b) {
  const ft_instance_params *i = &a->instances, *j = &b->instances;
  return (a->model == b->model || (a->model && b->model && !strcmp(a->model, b->model))) &&
         a->loaded == b->loaded && a->invert == b->invert && a->diameter == b->diameter &&
         a->rescale == b->rescale && a->min_scale == b->min_scale &&
         a->max_scale == b->max_scale && a->tile == b->tile && a->refine == b->refine &&
         i->seed_threshold == j->seed_threshold && i->fg_threshold == j->fg_threshold &&
         i->min_area == j->min_area && i->hole_fraction == j->hole_fraction;
}

/* The same options: every field, the model name as a string (the bytes
 * after its end are not part of the value). */
static int same_options(const ft_options *a, const ft_options *b) {
  return a->segmenter == b->segmenter && strcmp(a->model, b->model) == 0 &&
         same_unet(&a->unet, &b->unet) &&
         a->ndenoise == b->ndenoise &&
         memcmp(a->denoise, b->denoise, sizeof a->denoise[0] * (size_t)a->ndenoise) == 0 &&
         memcmp(&a->read, &b->read, sizeof a->read) == 0 &&
         memcmp(&a->segment, &b->segment, sizeof a->segment) == 0 &&
         memcmp(&a->trace, &b->trace, sizeof a->trace) == 0 &&
         memcmp(&a->fit, &b->fit, sizeof a->fit) == 0 &&
         memcmp(&a->style, &b->style, sizeof a->style) == 0 &&
         memcmp(&a->svg, &b->svg, sizeof a->svg) == 0;
}

/* The library's log lines, one after the other, for checking what a
 * preset said it chose. */
static char logbuf[4096];

static void log_into(void *user, ft_log_level level, const char *msg) {
  size_t n = strlen(logbuf);
  (void)user;
  (void)level;
  snprintf(logbuf + n, sizeof logbuf - n, "%s\n", msg);
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

/* The sketch preset with its model chain (unet 1: the ink U-Net on the
 * photograph as it is, `-p sketch --segment=unet:sketch`) or its classical
 * chain (unet 0, `-p sketch --segment=threshold`), whether the model is
 * installed or not. */
static void apply(ft_ctx *ctx, ft_options *opt, int unet) {
  int used = -1;
  ft_options_init(opt);
  CU_ASSERT_FATAL(ft_preset_apply_with(ctx, "sketch",
                                       unet ? FT_PRESET_CHAIN_MODEL : FT_PRESET_CHAIN_CLASSICAL,
                                       opt, &used) == FT_OK);
  CU_ASSERT_EQUAL(used, unet ? FT_PRESET_CHAIN_MODEL : FT_PRESET_CHAIN_CLASSICAL);
}

/* The classical chain: gray, flatten, median, the local midpoint; the
 * model chain changes the segmenter and the denoise chain and nothing
 * else, both trace centre lines.  Asked for outright, neither looks for
 * the model. */
static void test_branches(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_options classical, model;
  use_only("");
  apply(ctx, &classical, 0);
  apply(ctx, &model, 1);
  CU_ASSERT_EQUAL(classical.segmenter, FT_SEGMENTER_THRESHOLD);
  CU_ASSERT_EQUAL(classical.segment.polarity, FT_POLARITY_DARK);
  CU_ASSERT_EQUAL(classical.segment.method, FT_THRESH_MIDPOINT);
  CU_ASSERT_EQUAL(classical.ndenoise, 3);
  CU_ASSERT_EQUAL(classical.denoise[0].kind, FT_FILTER_GRAY);
  CU_ASSERT_EQUAL(classical.denoise[1].kind, FT_FILTER_FLATTEN);
  CU_ASSERT_EQUAL(classical.trace.mode, FT_TRACE_CENTERLINE);
  CU_ASSERT_EQUAL(model.segmenter, FT_SEGMENTER_UNET);
  CU_ASSERT_STRING_EQUAL(model.model, "sketch");
  CU_ASSERT_EQUAL(model.ndenoise, 0);
  CU_ASSERT(memcmp(&model.segment, &classical.segment, sizeof model.segment) == 0);
  CU_ASSERT(memcmp(&model.trace, &classical.trace, sizeof model.trace) == 0);
  CU_ASSERT(memcmp(&model.fit, &classical.fit, sizeof model.fit) == 0);
  CU_ASSERT(memcmp(&model.style, &classical.style, sizeof model.style) == 0);
  /* the preset says which model it prefers */
  CU_ASSERT_PTR_NOT_NULL_FATAL(ft_preset_find("sketch")->model);
  CU_ASSERT_STRING_EQUAL(ft_preset_find("sketch")->model, "sketch");
  CU_ASSERT_PTR_NULL(ft_preset_find("lineart")->model);
  ft_ctx_free(ctx);
}

/* ft_preset_apply decides by a lookup: the model chain with the fixture on
 * FIGTRACE_MODEL_PATH, the classical chain with nothing to find, each
 * logged at the info level; the context's error stays empty either way.
 * A bad chain value fails and leaves the options alone; presets without a
 * model take their settings whatever the chain. */
static void test_choice(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_options opt, model, classical, before;
  char tmp[] = "/tmp/ft-sketch-XXXXXX";
  int used;
  CU_ASSERT_FATAL(ctx != NULL);
  ft_ctx_set_log(ctx, log_into, NULL, FT_LOG_INFO);
  apply(ctx, &model, 1);
  apply(ctx, &classical, 0);

  use_fixture();
  logbuf[0] = '\0';
  ft_options_init(&opt);
  CU_ASSERT_EQUAL_FATAL(ft_preset_apply(ctx, "sketch", &opt), FT_OK);
  CU_ASSERT(same_options(&opt, &model));
  CU_ASSERT_EQUAL(opt.segmenter, FT_SEGMENTER_UNET);
  CU_ASSERT_EQUAL(opt.trace.mode, FT_TRACE_CENTERLINE);
  CU_ASSERT_PTR_NOT_NULL(strstr(logbuf, "preset sketch: model 'sketch' found"));
  CU_ASSERT_PTR_NOT_NULL(strstr(logbuf, fixture_dir));
  CU_ASSERT_PTR_NOT_NULL(strstr(logbuf, "--segment=unet:sketch --denoise=''"));
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "");
  used = -1;
  ft_options_init(&opt);
  CU_ASSERT_EQUAL(ft_preset_apply_with(ctx, "sketch", FT_PRESET_CHAIN_AUTO, &opt, &used), FT_OK);
  CU_ASSERT_EQUAL(used, FT_PRESET_CHAIN_MODEL);

  /* nothing to find: an empty path, and a path naming an empty folder */
  use_only("");
  logbuf[0] = '\0';
  ft_options_init(&opt);
  CU_ASSERT_EQUAL_FATAL(ft_preset_apply_with(ctx, "sketch", FT_PRESET_CHAIN_AUTO, &opt, &used),
                        FT_OK);
  CU_ASSERT_EQUAL(used, FT_PRESET_CHAIN_CLASSICAL);
  CU_ASSERT(same_options(&opt, &classical));
  CU_ASSERT_EQUAL(opt.segmenter, FT_SEGMENTER_THRESHOLD);
  CU_ASSERT_PTR_NOT_NULL(
      strstr(logbuf, "preset sketch: model 'sketch' not found, the classical chain: "
                     "--segment=threshold --denoise=gray,flatten:r=8,median:r=2"));
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "");
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmp));
  use_only(tmp);
  ft_options_init(&opt);
  CU_ASSERT_EQUAL(ft_preset_apply(ctx, "sketch", &opt), FT_OK);
  CU_ASSERT(same_options(&opt, &classical));
  rmdir(tmp);

  /* the lookup alone: with the default directories left out only the
   * fixture folder counts, and an empty search says why it is empty */
  {
    char *path = NULL;
    use_only("");
    CU_ASSERT_EQUAL(ft_model_find(ctx, "sketch", &path), FT_ERR_MODEL);
    CU_ASSERT_PTR_NULL(path);
    CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), FT_NO_DEFAULT_MODELS_ENV " is set"));
    snprintf(fixture_dir, sizeof fixture_dir, "%s/tests/data/sketch", ft_test_srcdir());
    use_only(fixture_dir);
    CU_ASSERT_EQUAL(ft_model_find(ctx, "sketch", &path), FT_OK);
    CU_ASSERT_PTR_NOT_NULL(path && strstr(path, "/tests/data/sketch/sketch.safetensors"));
    free(path);
  }

  /* bad chain values and presets without a model */
  before = opt;
  CU_ASSERT_EQUAL(ft_preset_apply_with(ctx, "sketch", 3, &opt, NULL), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "chain 3 out of range"));
  CU_ASSERT_EQUAL(ft_preset_apply_with(ctx, "sketch", -1, &opt, NULL), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_preset_apply_with(ctx, "poster", FT_PRESET_CHAIN_AUTO, &opt, NULL),
                  FT_ERR_INVAL);
  CU_ASSERT(same_options(&opt, &before));
  used = -1;
  CU_ASSERT_EQUAL(ft_preset_apply_with(ctx, "lineart", FT_PRESET_CHAIN_MODEL, &opt, &used), FT_OK);
  CU_ASSERT_EQUAL(used, FT_PRESET_CHAIN_CLASSICAL);
  CU_ASSERT_EQUAL(opt.segmenter, FT_SEGMENTER_THRESHOLD);
  CU_ASSERT_EQUAL(opt.ndenoise, 0);
  ft_ctx_free(ctx);
}

/* The command line's options pick the chain they belong to
 * (cli_preset_chain, src/cli/segment.c), then override the preset one by
 * one as the program does after applying it.  The outcome is the same
 * whether the model is found or not, except for the preset alone. */
static void test_cli_choice(void) {
  ft_options opt, model, classical, want;
  char msg[512];
  const char *why;
  ft_ctx *ctx = ft_ctx_new();
  int found;
  apply(ctx, &model, 1);
  apply(ctx, &classical, 0);

  /* which chain each option asks for */
  CU_ASSERT_EQUAL(cli_preset_chain(NULL, NULL, &why), FT_PRESET_CHAIN_AUTO);
  CU_ASSERT_PTR_NULL(why);
  CU_ASSERT_EQUAL(cli_preset_chain("threshold", NULL, &why), FT_PRESET_CHAIN_CLASSICAL);
  CU_ASSERT_STRING_EQUAL(why, "--segment=threshold");
  CU_ASSERT_EQUAL(cli_preset_chain("Threshold", "--denoise", &why), FT_PRESET_CHAIN_CLASSICAL);
  CU_ASSERT_EQUAL(cli_preset_chain("unet:sketch", NULL, &why), FT_PRESET_CHAIN_MODEL);
  CU_ASSERT_STRING_EQUAL(why, "--segment=unet");
  CU_ASSERT_EQUAL(cli_preset_chain("unet", NULL, &why), FT_PRESET_CHAIN_MODEL);
  CU_ASSERT_EQUAL(cli_preset_chain("UNET,tile=64", NULL, &why), FT_PRESET_CHAIN_MODEL);
  CU_ASSERT_EQUAL(cli_preset_chain("unet:other", "--threshold", &why), FT_PRESET_CHAIN_MODEL);
  CU_ASSERT_EQUAL(cli_preset_chain("unetx", NULL, &why), FT_PRESET_CHAIN_AUTO);
  CU_ASSERT_EQUAL(cli_preset_chain(NULL, "--threshold", &why), FT_PRESET_CHAIN_CLASSICAL);
  CU_ASSERT_STRING_EQUAL(why, "--threshold");
  CU_ASSERT_EQUAL(cli_preset_chain(NULL, "--denoise", &why), FT_PRESET_CHAIN_CLASSICAL);

  for (found = 1; found >= 0; found--) {
    if (found)
      use_fixture();
    else
      use_only("");
    /* -p sketch */
    ft_options_init(&opt);
    CU_ASSERT_EQUAL_FATAL(
        cli_preset(&opt, "sketch", FT_PRESET_CHAIN_AUTO, NULL, 0, msg, sizeof msg), 0);
    CU_ASSERT(same_options(&opt, (found ? &model : &classical)));
    /* -p sketch --segment=threshold: the classical chain */
    ft_options_init(&opt);
    CU_ASSERT_EQUAL_FATAL(cli_preset(&opt, "sketch", cli_preset_chain("threshold", NULL, &why),
                                     why, 0, msg, sizeof msg),
                          0);
    CU_ASSERT_EQUAL(cli_set(&opt, "segment", "threshold", msg, sizeof msg), 0);
    CU_ASSERT(same_options(&opt, &classical));
    /* -p sketch --segment=unet:sketch: the model chain, found or not */
    ft_options_init(&opt);
    CU_ASSERT_EQUAL_FATAL(cli_preset(&opt, "sketch", cli_preset_chain("unet:sketch", NULL, &why),
                                     why, 0, msg, sizeof msg),
                          0);
    CU_ASSERT_EQUAL(cli_set(&opt, "segment", "unet:sketch", msg, sizeof msg), 0);
    CU_ASSERT(same_options(&opt, &model));
    /* -p sketch --threshold=otsu: the classical chain with Otsu */
    ft_options_init(&opt);
    CU_ASSERT_EQUAL_FATAL(cli_preset(&opt, "sketch", cli_preset_chain(NULL, "--threshold", &why),
                                     why, 0, msg, sizeof msg),
                          0);
    CU_ASSERT_EQUAL(cli_set(&opt, "threshold", "otsu", msg, sizeof msg), 0);
    want = classical;
    CU_ASSERT_EQUAL_FATAL(ft_options_set(ctx, &want, "threshold", "otsu"), FT_OK);
    CU_ASSERT(same_options(&opt, &want));
    CU_ASSERT_EQUAL(opt.segmenter, FT_SEGMENTER_THRESHOLD);
    CU_ASSERT_EQUAL(opt.segment.method, FT_THRESH_OTSU);
    CU_ASSERT_EQUAL(opt.ndenoise, 3);
    /* -p sketch --denoise=median:r=1: the classical chain, that filter */
    ft_options_init(&opt);
    CU_ASSERT_EQUAL_FATAL(cli_preset(&opt, "sketch", cli_preset_chain(NULL, "--denoise", &why),
                                     why, 0, msg, sizeof msg),
                          0);
    CU_ASSERT_EQUAL(cli_set(&opt, "denoise", "median:r=1", msg, sizeof msg), 0);
    CU_ASSERT_EQUAL(opt.segmenter, FT_SEGMENTER_THRESHOLD);
    CU_ASSERT_EQUAL(opt.segment.method, FT_THRESH_MIDPOINT);
    CU_ASSERT_EQUAL(opt.ndenoise, 1);
    CU_ASSERT_EQUAL(opt.denoise[0].kind, FT_FILTER_MEDIAN);
    /* -p sketch --trace=outline keeps the preset's choice */
    ft_options_init(&opt);
    CU_ASSERT_EQUAL_FATAL(cli_preset(&opt, "sketch", cli_preset_chain(NULL, NULL, &why), why, 0,
                                     msg, sizeof msg),
                          0);
    CU_ASSERT_EQUAL(cli_set(&opt, "trace", "outline", msg, sizeof msg), 0);
    CU_ASSERT_EQUAL(opt.segmenter, found ? FT_SEGMENTER_UNET : FT_SEGMENTER_THRESHOLD);
    CU_ASSERT_EQUAL(opt.trace.mode, FT_TRACE_OUTLINE);
  }
  /* an unknown preset is the library's usage message */
  ft_options_init(&opt);
  CU_ASSERT_EQUAL(cli_preset(&opt, "poster", FT_PRESET_CHAIN_AUTO, NULL, 0, msg, sizeof msg), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(msg, "unknown preset 'poster'"));
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

/* A damaged file under the model's name: the preset finds it (a lookup)
 * and takes the model chain, and the conversion fails with the loader's
 * message naming the file; it does not fall back to the classical chain. */
static void test_damaged_model(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *img = drawing(64, 48, 3.0, NULL);
  ft_options opt;
  ft_doc *doc = NULL;
  char dir[] = "/tmp/ft-sketch-XXXXXX", file[64];
  FILE *fp;
  int used = -1;
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
  snprintf(file, sizeof file, "%s/sketch.safetensors", dir);
  fp = fopen(file, "wb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
  fputs("\x40\x00\x00\x00\x00\x00\x00\x00{\"not\": \"a model\"", fp);
  fclose(fp);
  use_only(dir);
  ft_options_init(&opt);
  CU_ASSERT_EQUAL_FATAL(ft_preset_apply_with(ctx, "sketch", FT_PRESET_CHAIN_AUTO, &opt, &used),
                        FT_OK);
  CU_ASSERT_EQUAL(used, FT_PRESET_CHAIN_MODEL);
  CU_ASSERT_EQUAL(ft_pipeline_run(ctx, &opt, img, &doc), FT_ERR_MODEL);
  CU_ASSERT_PTR_NULL(doc);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "model: "));
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), file));
  remove(file);
  rmdir(dir);
  ft_image_free(img);
  ft_ctx_free(ctx);
}

int main(void) {
  static const ft_test_case cases[] = {
      {"sketch preset with and without the U-Net", test_branches},
      {"sketch preset chooses by a model lookup", test_choice},
      {"command-line options pick the chain", test_cli_choice},
      {"damaged model: the conversion fails", test_damaged_model},
      {"sketch model found by name", test_lookup},
      {"sketch preset chain with a fixture model", test_chain},
      {"missing model asked for explicitly", test_missing_model},
      {NULL, NULL},
  };
  return ft_test_main("sketch", cases);
}
