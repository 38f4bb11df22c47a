/* tests/unit/test_pipeline.c - the pipeline with denoise chains and segment
 * methods, threshold specs, options set by name and presets. */
#include "config.h"

#include <math.h>

#include "core/internal.h"
#include "testutil.h"

/* ---- fixtures ---- */

/* White gray image w x h with a black rectangle [x0,x1) x [y0,y1). */
static ft_image *page_with_square(int w, int h, int x0, int y0, int x1, int y1) {
  ft_image *img = NULL;
  int x, y;
  CU_ASSERT_FATAL(ft_image_new(NULL, w, h, 1, &img) == FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      img->data[(size_t)y * w + x] = (x >= x0 && x < x1 && y >= y0 && y < y1) ? 0.0f : 1.0f;
  return img;
}

static int doc_paths(const ft_doc *doc) {
  int i, n = 0;
  for (i = 0; i < doc->nlayers; i++)
    if (doc->layer[i].paths) n += doc->layer[i].paths->npaths;
  return n;
}

/* ---- pipeline ---- */

static void test_pipeline_denoise(void) {
  /* a square plus isolated black pixels (salt-and-pepper): by default the
   * one-pixel dots merge into the paper (min-area 3); without that and
   * without a denoise chain every dot is a path; a 3x3 median leaves the
   * square */
  ft_image *img = page_with_square(64, 48, 20, 12, 44, 36);
  ft_options opt;
  ft_doc *doc = NULL;
  ft_ctx *ctx = ft_ctx_new();
  static const int dots[][2] = {{3, 3}, {60, 5}, {8, 40}, {50, 44}, {30, 2}, {2, 25}};
  size_t i;
  for (i = 0; i < sizeof dots / sizeof dots[0]; i++)
    img->data[dots[i][1] * 64 + dots[i][0]] = 0.0f;
  ft_options_init(&opt);
  opt.fit.mode = FT_FIT_NONE; /* exact pixel outlines, so segments can be counted */
  CU_ASSERT_EQUAL(opt.ndenoise, 0);
  CU_ASSERT_EQUAL(opt.trace.mode, FT_TRACE_OUTLINE);
  CU_ASSERT_EQUAL(opt.segment.min_area, FT_OPTIONS_MIN_AREA);
  CU_ASSERT_FATAL(ft_pipeline_run(ctx, &opt, img, &doc) == FT_OK);
  CU_ASSERT_EQUAL(doc_paths(doc), 1);
  CU_ASSERT_EQUAL(doc->layer[0].paths->path[0].nseg, 4); /* the square alone */
  ft_doc_free(doc);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "min-area", "0"), FT_OK);
  CU_ASSERT_FATAL(ft_pipeline_run(ctx, &opt, img, &doc) == FT_OK);
  CU_ASSERT_EQUAL(doc_paths(doc), 7);
  ft_doc_free(doc);
  CU_ASSERT_EQUAL(ft_options_set_denoise(ctx, &opt, "median:r=1"), FT_OK);
  CU_ASSERT_EQUAL(opt.ndenoise, 1);
  CU_ASSERT_EQUAL(opt.denoise[0].kind, FT_FILTER_MEDIAN);
  CU_ASSERT_EQUAL(opt.denoise[0].u.median.radius, 1);
  CU_ASSERT_FATAL(ft_pipeline_run(ctx, &opt, img, &doc) == FT_OK);
  CU_ASSERT_EQUAL(doc_paths(doc), 1);
  /* the square, less its four corner pixels (4 of 9 dark in their window) */
  CU_ASSERT_EQUAL(doc->layer[0].paths->path[0].nseg, 12);
  ft_doc_free(doc);
  /* the same effect from the segmenter's min-area instead */
  CU_ASSERT_EQUAL(ft_options_set_denoise(ctx, &opt, ""), FT_OK);
  CU_ASSERT_EQUAL(opt.ndenoise, 0);
  opt.segment.min_area = 2;
  CU_ASSERT_FATAL(ft_pipeline_run(ctx, &opt, img, &doc) == FT_OK);
  CU_ASSERT_EQUAL(doc_paths(doc), 1);
  ft_doc_free(doc);
  ft_ctx_free(ctx);
  ft_image_free(img);
}

static void test_denoise_spec_errors(void) {
  ft_options opt;
  ft_ctx *ctx = ft_ctx_new();
  char spec[512] = "";
  int i;
  ft_options_init(&opt);
  CU_ASSERT_EQUAL(ft_options_set_denoise(ctx, &opt, "median:r=2,flatten:r=40"), FT_OK);
  CU_ASSERT_EQUAL(opt.ndenoise, 2);
  CU_ASSERT_EQUAL(opt.denoise[1].kind, FT_FILTER_FLATTEN);
  CU_ASSERT_EQUAL(opt.denoise[1].u.flatten.radius, 40);
  CU_ASSERT_EQUAL(ft_options_set_denoise(ctx, &opt, "medain:r=2"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "known: median"));
  CU_ASSERT_EQUAL(ft_options_set_denoise(ctx, &opt, "median:rad=2"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "keys: r, bits"));
  CU_ASSERT_EQUAL(opt.ndenoise, 2); /* unchanged by the failures */
  for (i = 0; i < FT_OPTIONS_MAX_FILTERS + 1; i++) strcat(spec, i ? ",median" : "median");
  CU_ASSERT_EQUAL(ft_options_set_denoise(ctx, &opt, spec), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "at most 16"));
  CU_ASSERT_EQUAL(opt.ndenoise, 2);
  opt.ndenoise = FT_OPTIONS_MAX_FILTERS + 1;
  {
    ft_image *img = page_with_square(8, 8, 2, 2, 6, 6);
    ft_doc *doc = (ft_doc *)img;
    CU_ASSERT_EQUAL(ft_pipeline_run(ctx, &opt, img, &doc), FT_ERR_INVAL);
    CU_ASSERT_PTR_NULL(doc);
    ft_image_free(img);
  }
  ft_ctx_free(ctx);
}

static void test_pipeline_colors(void) {
  /* white, a red and a blue block: three region layers, background first */
  ft_image *img = NULL;
  ft_options opt;
  ft_doc *doc = NULL;
  int x, y;
  CU_ASSERT_FATAL(ft_image_new(NULL, 40, 20, 3, &img) == FT_OK);
  for (y = 0; y < 20; y++)
    for (x = 0; x < 40; x++) {
      float *p = img->data + ((size_t)y * 40 + x) * 3;
      int red = x >= 2 && x < 18 && y >= 2 && y < 18, blue = x >= 22 && x < 30 && y >= 5 && y < 15;
      p[0] = red ? 1.0f : blue ? 0.0f : 1.0f;
      p[1] = red || blue ? 0.0f : 1.0f;
      p[2] = red ? 0.0f : 1.0f;
    }
  ft_options_init(&opt);
  CU_ASSERT_EQUAL(ft_options_set(NULL, &opt, "colors", "3"), FT_OK);
  CU_ASSERT_EQUAL(ft_options_set(NULL, &opt, "palette", "source"), FT_OK); /* mean colours */
  CU_ASSERT_FATAL(ft_pipeline_run(NULL, &opt, img, &doc) == FT_OK);
  CU_ASSERT_EQUAL(doc->nlayers, 3);
  CU_ASSERT_STRING_EQUAL(doc->layer[0].id, "color-1");
  CU_ASSERT_DOUBLE_EQUAL(doc->layer[0].fill.g, 1.0, 1e-6); /* white */
  CU_ASSERT_DOUBLE_EQUAL(doc->layer[1].fill.r, 1.0, 1e-6); /* red, the larger */
  CU_ASSERT_DOUBLE_EQUAL(doc->layer[1].fill.g, 0.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(doc->layer[2].fill.b, 1.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(doc->layer[2].fill.r, 0.0, 1e-6);
  /* the background: an outer outline with two holes */
  CU_ASSERT_EQUAL(doc->layer[0].paths->npaths, 3);
  CU_ASSERT_EQUAL(doc->layer[1].paths->npaths, 1);
  CU_ASSERT_EQUAL(doc->layer[2].paths->npaths, 1);
  ft_doc_free(doc);
  ft_image_free(img);
}

/* ---- threshold specs and methods ---- */

static void test_threshold_specs(void) {
  ft_segment_params p;
  ft_ctx *ctx = ft_ctx_new();
  ft_segment_params_init(&p);
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "sauvola:w=31,k=0.3", &p), FT_OK);
  CU_ASSERT_EQUAL(p.method, FT_THRESH_SAUVOLA);
  CU_ASSERT_EQUAL(p.window, 31);
  CU_ASSERT_DOUBLE_EQUAL(p.k, 0.3, 0);
  CU_ASSERT_DOUBLE_EQUAL(p.range, 0.5, 0);
  CU_ASSERT_EQUAL(p.polarity, FT_POLARITY_AUTO);
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "Niblack:ink=light", &p), FT_OK);
  CU_ASSERT_EQUAL(p.method, FT_THRESH_NIBLACK);
  CU_ASSERT_DOUBLE_EQUAL(p.k, -0.2, 0);
  CU_ASSERT_EQUAL(p.window, 25);
  CU_ASSERT_EQUAL(p.polarity, FT_POLARITY_LIGHT);
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "hysteresis:low=0.2,high=0.7", &p), FT_OK);
  CU_ASSERT_EQUAL(p.method, FT_THRESH_HYSTERESIS);
  CU_ASSERT_DOUBLE_EQUAL(p.low, 0.2, 0);
  CU_ASSERT_DOUBLE_EQUAL(p.high, 0.7, 0);
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "45%", &p), FT_OK);
  CU_ASSERT_EQUAL(p.method, FT_THRESH_VALUE);
  CU_ASSERT_DOUBLE_EQUAL(p.value, 0.45, 1e-12);
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "li", &p), FT_OK);
  CU_ASSERT_EQUAL(p.method, FT_THRESH_LI);
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "triangle", &p), FT_OK);
  CU_ASSERT_EQUAL(p.method, FT_THRESH_TRIANGLE);

  /* errors leave p alone and say what is accepted */
  ft_segment_params_init(&p);
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "sauvola:w=30", &p), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "w must be odd"));
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "otsu,li", &p), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "2 methods"));
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "kmeans", &p), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "known: otsu, li, triangle, sauvola"));
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "hysteresis:low=0.8,high=0.2", &p), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "1.5", &p), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "", &p), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(p.method, FT_THRESH_OTSU);
  CU_ASSERT_EQUAL(p.window, 25);
  ft_ctx_free(ctx);
}

/* Gray page whose paper darkens from 1.0 (right) to 0.45 (left), with
 * vertical strokes 3 pixels wide at 45% of the local paper. */
static ft_image *shaded_strokes(int *ink_pixels) {
  ft_image *img = NULL;
  int x, y, n = 0;
  CU_ASSERT_FATAL(ft_image_new(NULL, 120, 40, 1, &img) == FT_OK);
  for (y = 0; y < 40; y++)
    for (x = 0; x < 120; x++) {
      double paper = 0.45 + 0.55 * x / 119.0;
      int ink = y >= 5 && y < 35 && x % 20 >= 9 && x % 20 < 12;
      img->data[(size_t)y * 120 + x] = (float)(ink ? 0.45 * paper : paper);
      n += ink;
    }
  *ink_pixels = n;
  return img;
}

static void test_segment_methods(void) {
  ft_segment_params p;
  ft_labels *lab = NULL;
  int nink, x, y, exact = 1;
  ft_image *img = shaded_strokes(&nink);
  ft_segment_params_init(&p);
  /* a global threshold also takes the dark paper on the left */
  CU_ASSERT_FATAL(ft_segment(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT(lab->info[1].area > nink);
  ft_labels_free(lab);
  /* Sauvola follows the paper and finds exactly the strokes */
  CU_ASSERT_EQUAL(ft_segment_params_parse(NULL, "sauvola:w=15,k=0.2", &p), FT_OK);
  CU_ASSERT_FATAL(ft_segment(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, nink);
  for (y = 0; y < 40; y++)
    for (x = 0; x < 120; x++)
      if (lab->label[y * 120 + x] != (y >= 5 && y < 35 && x % 20 >= 9 && x % 20 < 12)) exact = 0;
  CU_ASSERT(exact);
  CU_ASSERT_EQUAL(lab->info[1].class_id, FT_CLASS_INK);
  ft_labels_free(lab);
  /* invert swaps the sides */
  p.invert = 1;
  CU_ASSERT_FATAL(ft_segment(NULL, img, &p, &lab) == FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 120 * 40 - nink);
  ft_labels_free(lab);
  /* hysteresis on a flat page: strong ink <= 0.3, linked weak <= 0.6 */
  {
    ft_image *flat = page_with_square(30, 10, 5, 2, 25, 8);
    int i;
    for (i = 0; i < 300; i++)
      if (flat->data[i] == 0.0f && i % 30 >= 15) flat->data[i] = 0.5f; /* weak half, linked */
    flat->data[0] = 0.5f;                                              /* weak, alone */
    ft_segment_params_init(&p);
    CU_ASSERT_EQUAL(ft_segment_params_parse(NULL, "hysteresis", &p), FT_OK);
    CU_ASSERT_FATAL(ft_segment(NULL, flat, &p, &lab) == FT_OK);
    CU_ASSERT_EQUAL(lab->info[1].area, 120);
    CU_ASSERT_EQUAL(lab->label[0], 0);
    ft_labels_free(lab);
    /* Li and the triangle on the same bimodal page find the square */
    CU_ASSERT_EQUAL(ft_segment_params_parse(NULL, "li", &p), FT_OK);
    flat->data[0] = 1.0f;
    CU_ASSERT_FATAL(ft_segment(NULL, flat, &p, &lab) == FT_OK);
    CU_ASSERT_EQUAL(lab->info[1].area, 120);
    ft_labels_free(lab);
    CU_ASSERT_EQUAL(ft_segment_params_parse(NULL, "triangle", &p), FT_OK);
    CU_ASSERT_FATAL(ft_segment(NULL, flat, &p, &lab) == FT_OK);
    CU_ASSERT_EQUAL(lab->info[1].area, 120);
    ft_labels_free(lab);
    ft_image_free(flat);
  }
  ft_image_free(img);
}

/* ---- options by name and presets ---- */

static void test_options_set(void) {
  ft_options opt;
  ft_ctx *ctx = ft_ctx_new();
  ft_options_init(&opt);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "min-area", "25"), FT_OK);
  CU_ASSERT_EQUAL(opt.segment.min_area, 25);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "invert", "yes"), FT_OK);
  CU_ASSERT_EQUAL(opt.segment.invert, 1);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "colors", "64"), FT_OK);
  CU_ASSERT_EQUAL(opt.segment.colors, 64);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "colors", "1"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "colors", "65"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "trace", "auto"), FT_OK);
  CU_ASSERT_EQUAL(opt.trace.mode, FT_TRACE_AUTO);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "trace", "skeleton"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(opt.trace.mode, FT_TRACE_AUTO);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "min-area", "-1"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "min-area", "3x"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "invert", "maybe"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(opt.segment.colors, 64);
  CU_ASSERT_EQUAL(opt.segment.min_area, 25);
  /* the fit's keys */
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "fit", "polygon"), FT_OK);
  CU_ASSERT_EQUAL(opt.fit.mode, FT_FIT_POLYGON);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "fit", "None"), FT_OK);
  CU_ASSERT_EQUAL(opt.fit.mode, FT_FIT_NONE);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "fit", "curves"), FT_OK);
  CU_ASSERT_EQUAL(opt.fit.mode, FT_FIT_CURVES);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "fit", "spline"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "curves, polygon, none"));
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "tolerance", "0.35"), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(opt.fit.tolerance, 0.35, 1e-12);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "tolerance", "0.01"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "tolerance", " 1"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "tolerance", "nan"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "tolerance", "1px"), FT_ERR_INVAL);
  CU_ASSERT_DOUBLE_EQUAL(opt.fit.tolerance, 0.35, 1e-12);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "alphamax", "0"), FT_OK);
  CU_ASSERT_EQUAL(opt.fit.alphamax, 0.0);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "alphamax", "1.3333"), FT_OK);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "alphamax", "1.34"), FT_ERR_INVAL);
  CU_ASSERT_DOUBLE_EQUAL(opt.fit.alphamax, 1.3333, 1e-12);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "thin", "0"), FT_OK);
  CU_ASSERT_EQUAL(opt.fit.thin, 0.0);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "thin", "10.5"), FT_ERR_INVAL);
  CU_ASSERT_DOUBLE_EQUAL(opt.fit.relative, 0.05, 1e-12); /* the default */
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "relative", "0.1"), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(opt.fit.relative, 0.1, 1e-12);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "relative", "0"), FT_OK);
  CU_ASSERT_EQUAL(opt.fit.relative, 0.0);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "relative", "-0.1"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "relative", "11"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(opt.fit.relative, 0.0);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "colours", "3"), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "keys: denoise, threshold"));
  ft_ctx_free(ctx);
}

static void test_presets(void) {
  ft_options opt, def;
  ft_ctx *ctx = ft_ctx_new();
  const ft_preset *list;
  int n, i, j;
  list = ft_presets(&n);
  CU_ASSERT_EQUAL(n, 4);
  CU_ASSERT_STRING_EQUAL(list[0].name, "lineart");
  CU_ASSERT_STRING_EQUAL(list[3].name, "microscopy");
  CU_ASSERT_PTR_EQUAL(ft_preset_find("SKETCH"), &list[1]);
  CU_ASSERT_PTR_NULL(ft_preset_find("poster"));
  /* every setting of every preset is accepted */
  for (i = 0; i < n; i++) {
    ft_options_init(&opt);
    for (j = 0; j < list[i].nsettings; j++)
      CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, list[i].settings[j].key, list[i].settings[j].value),
                      FT_OK);
  }
  /* the default preset is the defaults */
  ft_options_init(&def);
  ft_options_init(&opt);
  CU_ASSERT_EQUAL(ft_preset_apply(ctx, "lineart", &opt), FT_OK);
  CU_ASSERT(memcmp(&opt.segment, &def.segment, sizeof opt.segment) == 0);
  CU_ASSERT_EQUAL(opt.ndenoise, 0);
  /* sketch's classical chain: gray + flatten + median, the local midpoint
   * with dark ink; a later setting overrides one key only (its model chain
   * is tests/unit/test_sketch.c's) */
  CU_ASSERT_EQUAL(ft_preset_apply_with(ctx, "sketch", FT_PRESET_CHAIN_CLASSICAL, &opt, NULL),
                  FT_OK);
  CU_ASSERT_EQUAL(opt.segment.polarity, FT_POLARITY_DARK);
  CU_ASSERT_EQUAL(opt.segment.method, FT_THRESH_MIDPOINT);
  CU_ASSERT(opt.ndenoise >= 3);
  CU_ASSERT_EQUAL(opt.denoise[0].kind, FT_FILTER_GRAY);
  CU_ASSERT_EQUAL(opt.denoise[1].kind, FT_FILTER_FLATTEN);
  CU_ASSERT_EQUAL(opt.trace.mode, FT_TRACE_CENTERLINE); /* pen lines as stroked centre lines */
  CU_ASSERT(opt.segment.min_area > 0);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "threshold", "sauvola:w=31"), FT_OK);
  CU_ASSERT_EQUAL(opt.segment.method, FT_THRESH_SAUVOLA);
  CU_ASSERT_EQUAL(opt.segment.window, 31);
  CU_ASSERT(opt.ndenoise >= 2);
  /* switching presets replaces what the previous one set */
  CU_ASSERT_EQUAL(ft_preset_apply(ctx, "color", &opt), FT_OK);
  CU_ASSERT(opt.segment.colors >= 2);
  CU_ASSERT_EQUAL(opt.style.palette, FT_PALETTE_SOURCE);
  CU_ASSERT_EQUAL(opt.ndenoise, 0);
  CU_ASSERT_EQUAL(ft_preset_apply(ctx, "poster", &opt), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "known: lineart, sketch, color"));
  CU_ASSERT(opt.segment.colors >= 2);
  ft_ctx_free(ctx);
}

/* The SVG of a document, in a malloc'ed string (NULL on failure). */
static char *svg_of(const ft_doc *doc) {
  ft_sink *sink = NULL;
  const char *d;
  char *r = NULL;
  size_t len;
  if (ft_sink_open_memory(NULL, &sink)) return NULL;
  if (ft_write_svg(NULL, doc, NULL, sink) == FT_OK && (d = ft_sink_memory_data(sink, &len)) &&
      (r = malloc(len + 1)))
    memcpy(r, d, len + 1);
  if (ft_sink_close(NULL, sink, 0) != FT_OK) {
    free(r);
    r = NULL;
  }
  return r;
}

/* A 1-bit image gives the fit no gray levels to read, so it skips them -
 * with the same SVG as the same pixels marked 8-bit, whose gray edges sit
 * exactly on the pixel edges - unless a denoise filter made gray levels:
 * then it reads them as an 8-bit image's (the filtered copy keeps the
 * input's bit depth). */
static void test_one_bit_input(void) {
  ft_image *one = page_with_square(80, 60, 0, 0, 0, 0), *eight = NULL;
  int x, y, blur;
  for (y = 0; y < 60; y++)
    for (x = 0; x < 80; x++)
      one->data[(size_t)y * 80 + x] =
          (x - 30) * (x - 30) + 3 * (y - 28) * (y - 28) < 500 || (x > 50 && x + y < 110) ? 0.0f : 1.0f;
  one->bit_depth = 1;
  CU_ASSERT_EQUAL_FATAL(ft_image_copy(NULL, one, &eight), FT_OK);
  eight->bit_depth = 8;
  for (blur = 0; blur < 2; blur++) {
    ft_options opt;
    ft_doc *d1 = NULL, *d8 = NULL;
    char *s1, *s8;
    ft_options_init(&opt);
    if (blur) CU_ASSERT_EQUAL(ft_options_set_denoise(NULL, &opt, "gaussian:sigma=1.5"), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_pipeline_run(NULL, &opt, one, &d1), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_pipeline_run(NULL, &opt, eight, &d8), FT_OK);
    s1 = svg_of(d1);
    s8 = svg_of(d8);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s8);
    CU_ASSERT(doc_paths(d1) >= 1);
    CU_ASSERT_STRING_EQUAL(s1, s8);
    free(s1);
    free(s8);
    ft_doc_free(d1);
    ft_doc_free(d8);
  }
  ft_image_free(one);
  ft_image_free(eight);
}

/* A compact input gives the same SVG as its float copy, with compact label
 * maps (the defaults) or without, plain, after a denoise chain and with an
 * underlay; the label map handed back is compact and has the same labels. */
static void test_compact_input(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *u = NULL, *f = NULL;
  int x, y, variant;
  CU_ASSERT_EQUAL_FATAL(ft_image_new_u8(ctx, 90, 70, 3, &u), FT_OK);
  for (y = 0; y < 70; y++)
    for (x = 0; x < 90; x++) {
      int ink = (x - 30) * (x - 30) + (y - 30) * (y - 30) < 300 || (x > 55 && x < 80 && y > 10 && y < 60 && (x + y) % 9 > 2);
      int k;
      for (k = 0; k < 3; k++) u->data8[((size_t)y * 90 + x) * 3 + k] = (uint8_t)(ink ? 30 + 20 * k : 230 - 10 * k + (x * y) % 7);
    }
  CU_ASSERT_EQUAL(ft_image_set_name(ctx, u, "c.png"), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_image_to_float(ctx, u, &f), FT_OK);
  for (variant = 0; variant < 3; variant++) {
    ft_options opt, wide;
    ft_doc *du = NULL, *df = NULL, *dw = NULL;
    ft_labels *lu = NULL, *lw = NULL;
    char *su, *sf, *sw;
    size_t i, bad = 0;
    ft_options_init(&opt);
    CU_ASSERT_EQUAL(opt.read.compact, 1);
    CU_ASSERT_EQUAL(opt.segment.compact, 1);
    if (variant == 1) CU_ASSERT_EQUAL(ft_options_set_denoise(ctx, &opt, "median:r=1"), FT_OK);
    if (variant == 2) opt.style.underlay = 1;
    wide = opt;
    wide.segment.compact = 0;
    CU_ASSERT_EQUAL_FATAL(ft_pipeline_run_labels(ctx, &opt, u, &du, &lu), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_pipeline_run(ctx, &opt, f, &df), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_pipeline_run_labels(ctx, &wide, f, &dw, &lw), FT_OK);
    CU_ASSERT(doc_paths(du) > 0);
    CU_ASSERT_PTR_NOT_NULL(lu->label8); /* a global threshold, even after denoise */
    CU_ASSERT_PTR_NOT_NULL(lw->label);
    for (i = 0; i < 90 * 70; i++)
      if (ft_labels_get(lu, i) != lw->label[i]) bad++;
    CU_ASSERT_EQUAL(bad, 0);
    su = svg_of(du);
    sf = svg_of(df);
    sw = svg_of(dw);
    CU_ASSERT_PTR_NOT_NULL_FATAL(su);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sf);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sw);
    CU_ASSERT_STRING_EQUAL(su, sf);
    CU_ASSERT_STRING_EQUAL(su, sw);
    if (variant == 2) CU_ASSERT(strstr(su, "<image") != NULL);
    free(su);
    free(sf);
    free(sw);
    ft_doc_free(du);
    ft_doc_free(df);
    ft_doc_free(dw);
    ft_labels_free(lu);
    ft_labels_free(lw);
  }
  ft_image_free(u);
  ft_image_free(f);
  ft_ctx_free(ctx);
}

int main(void) {
  static const ft_test_case cases[] = {
      {"pipeline runs the denoise chain", test_pipeline_denoise},
      {"denoise spec errors", test_denoise_spec_errors},
      {"pipeline with colour quantisation", test_pipeline_colors},
      {"threshold specs", test_threshold_specs},
      {"segment methods", test_segment_methods},
      {"options set by name", test_options_set},
      {"presets", test_presets},
      {"compact input: the same SVG", test_compact_input},
      {"1-bit input: gray edges only from a filtered copy", test_one_bit_input},
      {NULL, NULL},
  };
  return ft_test_main("pipeline", cases);
}
