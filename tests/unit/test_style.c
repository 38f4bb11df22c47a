/* tests/unit/test_style.c - journal table, physical size, stroke minimum,
 * palettes, layers, scale bar and metadata of ft_style.
 *
 * Fixtures are small path sets built in code: a filled square (ink), a
 * thin open stroke, nuclei, colour regions.  Sizes and widths are checked
 * against the arithmetic of the rules: one point is (W / width_mm) * 25.4 / 72
 * user units for a drawing W pixels wide.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "figtrace.h"
#include "style/internal.h"
#include "testutil.h"

#define TOL 1e-9

/* A w x h path set with a filled square of class cls at (x, y) side s. */
static void add_square(ft_paths *ps, int cls, int label, double x, double y, double s) {
  int k;
  ft_path *p;
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(NULL, ps, x, y, &k), FT_OK);
  p = &ps->path[k];
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, x + s, y), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, x + s, y + s), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, x, y + s), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, x, y), FT_OK);
  p->closed = 1;
  p->class_id = cls;
  p->label = label;
}

/* An open stroke from (x0,y0) to (x1,y1) of width w pixels. */
static void add_stroke(ft_paths *ps, double x0, double y0, double x1, double y1, double w) {
  int k;
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(NULL, ps, x0, y0, &k), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, &ps->path[k], x1, y1), FT_OK);
  ps->path[k].class_id = FT_CLASS_STROKE;
  ps->path[k].stroke_width = w;
  ps->path[k].label = 1;
}

static ft_paths *fixture(int w, int h) {
  ft_paths *ps = NULL;
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(NULL, w, h, &ps), FT_OK);
  return ps;
}

static const ft_layer *find_layer(const ft_doc *d, const char *id) {
  int i;
  for (i = 0; i < d->nlayers; i++)
    if (strcmp(d->layer[i].id, id) == 0) return &d->layer[i];
  return NULL;
}

static void test_table(void) {
  const ft_journal *n = ft_journal_find("nature"), *j;
  int i;
  CU_ASSERT_PTR_NOT_NULL_FATAL(n);
  CU_ASSERT_DOUBLE_EQUAL(n->single_mm, 89.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(n->double_mm, 183.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(n->min_stroke_pt, 0.25, TOL);
  CU_ASSERT_DOUBLE_EQUAL(n->font_min_pt, 5.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(n->font_max_pt, 7.0, TOL);
  CU_ASSERT_PTR_EQUAL(ft_journal_find("NATURE"), n);
  CU_ASSERT_PTR_NULL(ft_journal_find("lancet"));
  CU_ASSERT_PTR_NULL(ft_journal_find(NULL));
  CU_ASSERT_PTR_NULL(ft_journal_at(-1));
  /* every row is usable: widths ordered, label size within the allowed range */
  for (i = 0; (j = ft_journal_at(i)) != NULL; i++) {
    CU_ASSERT(j->single_mm > 0.0 && j->single_mm < j->mid_mm && j->mid_mm < j->double_mm);
    CU_ASSERT(j->font_min_pt <= j->label_pt);
    CU_ASSERT(j->font_max_pt == 0.0 || j->label_pt <= j->font_max_pt);
    CU_ASSERT(strcmp(j->color, "RGB") == 0 || strcmp(j->color, "CMYK") == 0);
    CU_ASSERT_PTR_EQUAL(ft_journal_find(j->name), j);
  }
  CU_ASSERT_EQUAL(i, 6);
  CU_ASSERT_PTR_NOT_NULL(ft_journal_find("cell"));
  CU_ASSERT_PTR_NOT_NULL(ft_journal_find("science"));
  CU_ASSERT_PTR_NOT_NULL(ft_journal_find("plos"));
  CU_ASSERT_PTR_NOT_NULL(ft_journal_find("elife"));
  CU_ASSERT_PTR_NOT_NULL(ft_journal_find("none"));
}

static void test_scale_bar_length(void) {
  CU_ASSERT_DOUBLE_EQUAL(ft_scale_bar_length(100.0), 20.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(ft_scale_bar_length(99.0), 10.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(ft_scale_bar_length(166.4), 20.0, TOL); /* 256 px at 0.65 um */
  CU_ASSERT_DOUBLE_EQUAL(ft_scale_bar_length(250.0), 50.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(ft_scale_bar_length(5.0), 1.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(ft_scale_bar_length(3.0), 0.5, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(ft_scale_bar_length(5000.0), 1000.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(ft_scale_bar_length(0.0), 0.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(ft_scale_bar_length(-1.0), 0.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(ft_scale_bar_length(NAN), 0.0, TOL);
}

/* Column widths, aspect, and the height limit. */
static void test_size(void) {
  ft_paths *ps = fixture(200, 100);
  ft_style_params p;
  ft_doc *d = NULL;
  add_square(ps, FT_CLASS_INK, 1, 10, 10, 20);
  ft_style_params_init(&p);
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(d->width_mm, 200 * 25.4 / 96.0, 1e-9);
  ft_doc_free(d);

  p.journal = "nature";
  p.column = FT_COLUMN_SINGLE;
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(d->width_mm, 89.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(d->height_mm, 44.5, TOL);
  CU_ASSERT_DOUBLE_EQUAL(d->width, 200.0, TOL); /* user units stay pixels */
  CU_ASSERT_STRING_EQUAL(d->preset, "nature");
  ft_doc_free(d);
  p.column = FT_COLUMN_DOUBLE;
  p.journal = "cell";
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(d->width_mm, 174.0, TOL);
  ft_doc_free(d);
  p.column = FT_COLUMN_MID;
  p.journal = "science";
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(d->width_mm, 120.0, TOL);
  ft_doc_free(d);
  ft_paths_free(ps);

  /* a tall figure is shrunk to the page height, aspect kept */
  ps = fixture(100, 400);
  add_square(ps, FT_CLASS_INK, 1, 10, 10, 20);
  p.journal = "nature";
  p.column = FT_COLUMN_DOUBLE;
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(d->height_mm, 247.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(d->width_mm, 247.0 / 4.0, TOL);
  ft_doc_free(d);

  /* explicit width */
  p.journal = NULL;
  p.column = FT_COLUMN_NONE;
  p.width_mm = 50.0;
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(d->width_mm, 50.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(d->height_mm, 200.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(ft__style_pt_to_user(d), 100.0 / 50.0 * 25.4 / 72.0, 1e-12);
  ft_doc_free(d);
  ft_paths_free(ps);
}

static void test_bad_params(void) {
  ft_paths *ps = fixture(10, 10);
  ft_style_params p;
  ft_doc *d = (ft_doc *)1;
  ft_ctx *ctx = ft_ctx_new();
  add_square(ps, FT_CLASS_INK, 1, 1, 1, 2);
  ft_style_params_init(&p);
  p.journal = "lancet";
  CU_ASSERT_EQUAL(ft_style(ctx, ps, &p, &d), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(d);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "lancet"));
  ft_style_params_init(&p);
  p.width_mm = -3;
  CU_ASSERT_EQUAL(ft_style(ctx, ps, &p, &d), FT_ERR_INVAL);
  ft_style_params_init(&p);
  p.palette = FT_PALETTE_CUSTOM;
  CU_ASSERT_EQUAL(ft_style(ctx, ps, &p, &d), FT_ERR_INVAL);
  ft_style_params_init(&p);
  p.scale_bar = FT_SCALE_BAR_FIXED;
  CU_ASSERT_EQUAL(ft_style(ctx, ps, &p, &d), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(d);
  ft_paths_free(ps);
  ft_ctx_free(ctx);
}

/* Strokes thinner than the minimum are widened, thicker ones kept. */
static void test_min_stroke(void) {
  ft_paths *ps = fixture(1000, 500);
  ft_style_params p;
  ft_doc *d = NULL;
  const ft_layer *l;
  double pt;
  add_stroke(ps, 10, 10, 500, 10, 0.5);
  add_stroke(ps, 10, 50, 500, 50, 8.0);
  ft_style_params_init(&p);
  p.journal = "cell"; /* 0.5 pt minimum */
  p.column = FT_COLUMN_SINGLE;
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  pt = 1000.0 / 85.0 * 25.4 / 72.0; /* user units per point */
  CU_ASSERT_DOUBLE_EQUAL(ft__style_pt_to_user(d), pt, 1e-12);
  l = find_layer(d, "strokes");
  CU_ASSERT_PTR_NOT_NULL_FATAL(l);
  CU_ASSERT_EQUAL(l->paths->npaths, 2);
  CU_ASSERT_DOUBLE_EQUAL(l->paths->path[0].stroke_width, 0.5 * pt, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(l->paths->path[1].stroke_width, 8.0, TOL);
  CU_ASSERT(l->stroke_width >= 0.5 * pt - 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(d->min_stroke_pt, 0.5, TOL);
  ft_doc_free(d);
  /* no journal: nothing changes */
  p.journal = "none";
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  l = find_layer(d, "strokes");
  CU_ASSERT_DOUBLE_EQUAL(l->paths->path[0].stroke_width, 0.5, TOL);
  ft_doc_free(d);
  ft_paths_free(ps);
}

/* Log lines seen, for the -v reports. */
typedef struct logbuf {
  int n[4];
  char last[4][256];
} logbuf;

static void log_cb(void *user, ft_log_level level, const char *msg) {
  logbuf *b = user;
  b->n[level]++;
  snprintf(b->last[level], sizeof b->last[level], "%s", msg);
}

/* Widened strokes are reported at INFO, a shrunk tall figure at WARN. */
static void test_log(void) {
  ft_paths *ps = fixture(100, 400);
  ft_style_params p;
  ft_doc *d = NULL;
  ft_ctx *ctx = ft_ctx_new();
  logbuf b;
  memset(&b, 0, sizeof b);
  ft_ctx_set_log(ctx, log_cb, &b, FT_LOG_DEBUG);
  add_stroke(ps, 1, 1, 50, 50, 0.1);
  add_stroke(ps, 1, 9, 50, 59, 0.1);
  ft_style_params_init(&p);
  p.journal = "nature";
  CU_ASSERT_EQUAL_FATAL(ft_style(ctx, ps, &p, &d), FT_OK);
  CU_ASSERT_EQUAL(b.n[FT_LOG_INFO], 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(b.last[FT_LOG_INFO], "2 strokes widened"));
  CU_ASSERT_PTR_NOT_NULL(strstr(b.last[FT_LOG_INFO], "0.25 pt"));
  /* 89 x 356 mm is taller than Nature's 247 mm */
  CU_ASSERT_EQUAL(b.n[FT_LOG_WARN], 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(b.last[FT_LOG_WARN], "shrunk to 61.8 mm wide"));
  ft_doc_free(d);
  p.journal = "none"; /* no height limit, no stroke minimum: nothing to say */
  CU_ASSERT_EQUAL_FATAL(ft_style(ctx, ps, &p, &d), FT_OK);
  CU_ASSERT_EQUAL(b.n[FT_LOG_WARN], 1);
  CU_ASSERT_EQUAL(b.n[FT_LOG_INFO], 1);
  ft_doc_free(d);
  ft_paths_free(ps);
  ft_ctx_free(ctx);
}

/* Layers per class, in paint order, with palette colours. */
static void test_layers_palette(void) {
  ft_paths *ps = fixture(100, 100);
  ft_label_info info[3];
  ft_style_params p;
  ft_doc *d = NULL;
  const ft_layer *l;
  ft_rgba mine[2] = {{1, 0, 0, 1}, {0, 0, 1, 1}};
  memset(info, 0, sizeof info);
  info[1].class_id = FT_CLASS_REGION;
  info[1].color[0] = 1.0f; /* pure red */
  info[2].class_id = FT_CLASS_REGION;
  info[2].color[1] = 1.0f; /* pure green */
  CU_ASSERT_EQUAL_FATAL(ft_paths_set_info(NULL, ps, info, 3), FT_OK);
  add_square(ps, FT_CLASS_REGION, 1, 0, 0, 10);
  add_square(ps, FT_CLASS_REGION, 2, 20, 0, 10);
  add_square(ps, FT_CLASS_NUCLEUS, 3, 40, 40, 10);
  add_square(ps, FT_CLASS_INK, 4, 60, 60, 10);
  ft_style_params_init(&p);
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  CU_ASSERT_EQUAL_FATAL(d->nlayers, 4);
  CU_ASSERT_STRING_EQUAL(d->layer[0].id, "color-1");
  CU_ASSERT_STRING_EQUAL(d->layer[1].id, "color-2");
  CU_ASSERT_STRING_EQUAL(d->layer[2].id, "ink");
  CU_ASSERT_STRING_EQUAL(d->layer[3].id, "nuclei");
  CU_ASSERT_STRING_EQUAL(d->layer[3].label, "Nuclei");
  /* Okabe-Ito: orange, sky blue for the regions, blue for nuclei */
  CU_ASSERT_DOUBLE_EQUAL(d->layer[0].fill.r, 0xE6 / 255.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(d->layer[0].fill.g, 0x9F / 255.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(d->layer[1].fill.b, 0xE9 / 255.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(d->layer[3].fill.b, 0xB2 / 255.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(d->layer[2].fill.r, 0.0, TOL); /* ink stays black */
  CU_ASSERT_EQUAL(d->layer[0].paths->npaths, 1);
  ft_doc_free(d);

  p.palette = FT_PALETTE_GRAYSCALE;
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  l = find_layer(d, "color-2");
  CU_ASSERT_DOUBLE_EQUAL(l->fill.r, 0.7152, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(l->fill.g, 0.7152, 1e-6);
  ft_doc_free(d);

  p.palette = FT_PALETTE_SOURCE;
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  l = find_layer(d, "color-1");
  CU_ASSERT_DOUBLE_EQUAL(l->fill.r, 1.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(l->fill.g, 0.0, TOL);
  ft_doc_free(d);

  p.palette = FT_PALETTE_CUSTOM;
  p.colors = mine;
  p.ncolors = 2;
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(find_layer(d, "color-2")->fill.b, 1.0, TOL);
  /* a custom palette colours the layers in paint order, cycling */
  CU_ASSERT_DOUBLE_EQUAL(find_layer(d, "color-1")->fill.r, 1.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(find_layer(d, "ink")->fill.r, 1.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(find_layer(d, "nuclei")->fill.b, 1.0, TOL);
  ft_doc_free(d);
  ft_paths_free(ps);
}

/* A scale bar of the right length in the emptiest corner, with metadata. */
static void test_scale_bar(void) {
  ft_paths *ps = fixture(256, 128);
  ft_style_params p;
  ft_doc *d = NULL;
  const ft_rect *r;
  add_square(ps, FT_CLASS_NUCLEUS, 1, 200, 90, 50); /* fills the bottom right corner */
  ps->pixel_w = ps->pixel_h = 0.65;
  ft_style_params_init(&p);
  p.journal = "nature";
  p.column = FT_COLUMN_SINGLE;
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  CU_ASSERT_EQUAL_FATAL(d->nrects, 1);
  CU_ASSERT_EQUAL_FATAL(d->ntexts, 1);
  r = &d->rect[0];
  CU_ASSERT_DOUBLE_EQUAL(d->scale_bar_um, 20.0, TOL); /* 166.4 um wide -> 20 um */
  CU_ASSERT_DOUBLE_EQUAL(r->w * 0.65, 20.0, 1e-9);
  CU_ASSERT(r->x + r->w < 128.0); /* moved away from the content: left half */
  CU_ASSERT(r->y > 64.0);         /* still at the bottom */
  CU_ASSERT_STRING_EQUAL(d->text[0].text, "20 \xC2\xB5m");
  CU_ASSERT_DOUBLE_EQUAL(d->text[0].size, 7.0 * ft__style_pt_to_user(d), 1e-9);
  CU_ASSERT_STRING_EQUAL(d->text[0].font, "Arial, Helvetica, sans-serif");
  CU_ASSERT_PTR_NOT_NULL(strstr(d->desc, "Scale bar 20"));
  CU_ASSERT_PTR_NOT_NULL(strstr(d->desc, "Nature"));
  ft_doc_free(d);

  p.scale_bar = FT_SCALE_BAR_FIXED;
  p.scale_bar_um = 50.0;
  p.pixel_um = 1.0; /* overrides the file's */
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(d->rect[0].w, 50.0, TOL);
  CU_ASSERT_DOUBLE_EQUAL(d->pixel_w, 1.0, TOL);
  ft_doc_free(d);

  p.scale_bar = FT_SCALE_BAR_OFF;
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  CU_ASSERT_EQUAL(d->nrects, 0);
  CU_ASSERT_EQUAL(d->ntexts, 0);
  ft_doc_free(d);

  /* unknown pixel size: no bar */
  ps->pixel_w = ps->pixel_h = 0.0;
  ft_style_params_init(&p);
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  CU_ASSERT_EQUAL(d->nrects, 0);
  CU_ASSERT_DOUBLE_EQUAL(d->scale_bar_um, 0.0, TOL);
  ft_doc_free(d);
  ft_paths_free(ps);
}

static void test_describe(void) {
  ft_paths *ps = fixture(10, 10);
  ft_doc *d = NULL;
  add_square(ps, FT_CLASS_INK, 1, 1, 1, 2);
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, NULL, &d), FT_OK);
  CU_ASSERT_STRING_EQUAL(d->title, "figtrace figure");
  CU_ASSERT_EQUAL(ft_doc_set_string(NULL, &d->source, "data/cells.v2.tif"), FT_OK);
  CU_ASSERT_EQUAL(ft__style_describe(NULL, d), FT_OK);
  CU_ASSERT_STRING_EQUAL(d->title, "cells.v2");
  CU_ASSERT_PTR_NOT_NULL(strstr(d->desc, "data/cells.v2.tif"));
  ft_doc_free(d);
  ft_paths_free(ps);
}

/* Decode an 8-bit PNG from memory with libpng's simplified API. */
#include <png.h>
static unsigned char *decode(const unsigned char *data, size_t len, int *w, int *h, int *ch) {
  png_image im;
  unsigned char *buf;
  memset(&im, 0, sizeof im);
  im.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&im, data, len)) return NULL;
  *ch = PNG_IMAGE_SAMPLE_CHANNELS(im.format);
  buf = malloc(PNG_IMAGE_SIZE(im));
  if (!buf || !png_image_finish_read(&im, NULL, buf, 0, NULL)) {
    free(buf);
    png_image_free(&im);
    return NULL;
  }
  *w = (int)im.width;
  *h = (int)im.height;
  return buf;
}

/* The underlay: native size, one linear window, gamma only when allowed,
 * filled layers turned into outlines. */
static void test_underlay(void) {
  ft_paths *ps = fixture(4, 2);
  ft_image *img = NULL;
  ft_style_params p;
  ft_doc *d = NULL;
  ft_ctx *ctx = ft_ctx_new();
  unsigned char *px;
  int w = 0, h = 0, ch = 0, i;
  add_square(ps, FT_CLASS_INK, 1, 0, 0, 1);
  CU_ASSERT_EQUAL_FATAL(ft_image_new(NULL, 4, 2, 1, &img), FT_OK);
  img->bit_depth = 8;
  for (i = 0; i < 8; i++) img->data[i] = (float)(i * 10) / 255.0f; /* 0, 10, ... 70 */
  ft_style_params_init(&p);
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
  p.window_lo = 10;
  p.window_hi = 60;
  CU_ASSERT_EQUAL_FATAL(ft_style_underlay(ctx, d, img, &p), FT_OK);
  CU_ASSERT_PTR_NOT_NULL_FATAL(d->underlay_png);
  CU_ASSERT_DOUBLE_EQUAL(d->window_lo, 10.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(d->window_hi, 60.0, 1e-6);
  px = decode(d->underlay_png, d->underlay_len, &w, &h, &ch);
  CU_ASSERT_PTR_NOT_NULL_FATAL(px);
  CU_ASSERT_EQUAL(w, 4); /* never resampled */
  CU_ASSERT_EQUAL(h, 2);
  CU_ASSERT_EQUAL(ch, 1);
  CU_ASSERT_EQUAL(px[0], 0);   /* below the window */
  CU_ASSERT_EQUAL(px[1], 0);   /* 10 -> 0 */
  CU_ASSERT_EQUAL(px[2], 51);  /* 20 -> 0.2 */
  CU_ASSERT_EQUAL(px[3], 102); /* 30 -> 0.4: linear */
  CU_ASSERT_EQUAL(px[6], 255); /* 60 */
  CU_ASSERT_EQUAL(px[7], 255); /* clamped */
  free(px);
  CU_ASSERT_PTR_NOT_NULL(strstr(d->desc, "linear display window 10 to 60"));
  CU_ASSERT(!(d->layer[0].fill.a > 0.0f)); /* ink drawn as outlines now */
  CU_ASSERT(d->layer[0].stroke.a > 0.0f);

  /* gamma is refused unless allowed, and then stated */
  p.gamma = 0.5;
  CU_ASSERT_EQUAL(ft_style_underlay(ctx, d, img, &p), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "non-linear"));
  p.allow_nonlinear = 1;
  CU_ASSERT_EQUAL_FATAL(ft_style_underlay(ctx, d, img, &p), FT_OK);
  CU_ASSERT_PTR_NOT_NULL(strstr(d->desc, "gamma of 0.5"));
  px = decode(d->underlay_png, d->underlay_len, &w, &h, &ch);
  CU_ASSERT_PTR_NOT_NULL_FATAL(px);
  CU_ASSERT_EQUAL(px[3], 161); /* sqrt(0.4) = 0.632 */
  free(px);

  /* percentile window: 0th to 100th spans the data */
  ft_style_params_init(&p);
  p.pct_lo = 0.0;
  p.pct_hi = 100.0;
  CU_ASSERT_EQUAL_FATAL(ft_style_underlay(ctx, d, img, &p), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(d->window_lo, 0.0, 255.0 / 4096);
  CU_ASSERT_DOUBLE_EQUAL(d->window_hi, 70.0, 255.0 / 4096);
  ft_image_free(img);

  /* size mismatch */
  CU_ASSERT_EQUAL_FATAL(ft_image_new(NULL, 3, 2, 1, &img), FT_OK);
  CU_ASSERT_EQUAL(ft_style_underlay(ctx, d, img, &p), FT_ERR_INVAL);
  ft_image_free(img);

  /* an RGB overlay with an empty blue channel becomes magenta/green */
  CU_ASSERT_EQUAL_FATAL(ft_image_new(NULL, 4, 2, 3, &img), FT_OK);
  img->bit_depth = 8;
  memset(img->data, 0, 4 * 2 * 3 * sizeof(float));
  img->data[0] = 1.0f; /* pixel 0 red */
  img->data[4] = 1.0f; /* pixel 1 green */
  p.window_lo = 0;
  p.window_hi = 255;
  CU_ASSERT_EQUAL_FATAL(ft_style_underlay(ctx, d, img, &p), FT_OK);
  px = decode(d->underlay_png, d->underlay_len, &w, &h, &ch);
  CU_ASSERT_PTR_NOT_NULL_FATAL(px);
  CU_ASSERT_EQUAL(ch, 3);
  CU_ASSERT(px[0] == 255 && px[1] == 0 && px[2] == 255); /* magenta */
  CU_ASSERT(px[3] == 0 && px[4] == 255 && px[5] == 0);   /* green */
  free(px);
  ft_image_free(img);
  ft_doc_free(d);
  ft_paths_free(ps);
  ft_ctx_free(ctx);
}

int main(void) {
  static const ft_test_case cases[] = {
      {"journal table", test_table},
      {"scale bar length", test_scale_bar_length},
      {"physical size", test_size},
      {"bad params", test_bad_params},
      {"minimum stroke", test_min_stroke},
      {"log reports", test_log},
      {"layers and palettes", test_layers_palette},
      {"scale bar", test_scale_bar},
      {"title and description", test_describe},
      {"underlay", test_underlay},
      {NULL, NULL},
  };
  return ft_test_main("style", cases);
}
