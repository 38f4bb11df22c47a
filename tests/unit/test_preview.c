/* tests/unit/test_preview.c - ft_render_png: size, colours, outlines, underlay, errors.
 *
 * Each preview is rendered into a memory sink and decoded again with the
 * library's own PNG reader, so the assertions look at pixels: a 40x20
 * document with a black 10x10 square (with a 4x4 hole) at (5,5), rendered
 * at full size and scaled down; outlines over a gray underlay; a failing
 * sink; bad parameters. */
#include "config.h"

#include "figtrace.h"
#include "testutil.h"

/* A closed axis-aligned rectangle path, clockwise on screen (or counter-
 * clockwise for a hole). */
static void rect_path(ft_paths *ps, double x0, double y0, double x1, double y1, int hole,
                      int parent) {
  int k;
  ft_path *p;
  CU_ASSERT_FATAL(ft_paths_add(NULL, ps, x0, y0, &k) == FT_OK);
  p = &ps->path[k];
  if (!hole) {
    CU_ASSERT_FATAL(ft_path_line_to(NULL, p, x1, y0) == FT_OK);
    CU_ASSERT_FATAL(ft_path_line_to(NULL, p, x1, y1) == FT_OK);
    CU_ASSERT_FATAL(ft_path_line_to(NULL, p, x0, y1) == FT_OK);
  } else {
    CU_ASSERT_FATAL(ft_path_line_to(NULL, p, x0, y1) == FT_OK);
    CU_ASSERT_FATAL(ft_path_line_to(NULL, p, x1, y1) == FT_OK);
    CU_ASSERT_FATAL(ft_path_line_to(NULL, p, x1, y0) == FT_OK);
  }
  CU_ASSERT_FATAL(ft_path_line_to(NULL, p, x0, y0) == FT_OK);
  p->closed = 1;
  p->hole = hole;
  p->parent = parent;
}

static ft_doc *square_doc(void) {
  ft_doc *doc = NULL;
  ft_paths *ps = NULL;
  CU_ASSERT_FATAL(ft_doc_new(NULL, 40, 20, &doc) == FT_OK);
  CU_ASSERT_FATAL(ft_paths_new(NULL, 40, 20, &ps) == FT_OK);
  rect_path(ps, 5, 5, 15, 15, 0, -1);
  rect_path(ps, 8, 8, 12, 12, 1, 0);
  CU_ASSERT_FATAL(ft_doc_add_layer(NULL, doc, "ink", "Ink", ps, NULL) == FT_OK);
  return doc;
}

/* Render and decode; returns the decoded image (caller frees) or NULL. */
static ft_image *render(const ft_doc *doc, const ft_preview_params *pp, ft_status *st_out) {
  ft_sink *sink = NULL;
  ft_image *img = NULL;
  ft_status st;
  size_t len = 0;
  const char *data;
  CU_ASSERT_FATAL(ft_sink_open_memory(NULL, &sink) == FT_OK);
  st = ft_render_png(NULL, doc, pp, sink);
  if (st_out) *st_out = st;
  if (st == FT_OK) {
    data = ft_sink_memory_data(sink, &len);
    CU_ASSERT(len > 8 && memcmp(data, "\x89PNG", 4) == 0);
    CU_ASSERT(ft_read_memory(NULL, data, len, "preview", NULL, &img) == FT_OK);
  }
  CU_ASSERT(ft_sink_close(NULL, sink, 0) == FT_OK);
  return img;
}

/* Sample c of pixel (x, y), 0..255. */
static int px(const ft_image *im, int x, int y, int c) {
  return (int)(im->data[((size_t)y * im->width + x) * im->channels + c] * 255.0f + 0.5f);
}

static void test_full_size_fill_and_hole(void) {
  ft_doc *doc = square_doc();
  ft_preview_params pp;
  ft_image *im;
  ft_preview_params_init(&pp);
  pp.max_size = 0;
  im = render(doc, &pp, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(im);
  CU_ASSERT_EQUAL(im->width, 40);
  CU_ASSERT_EQUAL(im->height, 20);
  CU_ASSERT_EQUAL(im->channels, 3);
  CU_ASSERT_EQUAL(px(im, 6, 6, 0), 0);     /* ink */
  CU_ASSERT_EQUAL(px(im, 14, 14, 1), 0);   /* ink */
  CU_ASSERT_EQUAL(px(im, 10, 10, 0), 255); /* the hole is white */
  CU_ASSERT_EQUAL(px(im, 2, 2, 2), 255);   /* background */
  CU_ASSERT_EQUAL(px(im, 30, 10, 0), 255);
  ft_image_free(im);
  ft_doc_free(doc);
}

static void test_scaled_down(void) {
  ft_doc *doc = square_doc();
  ft_preview_params pp;
  ft_image *im;
  ft_preview_params_init(&pp);
  pp.max_size = 20; /* half size */
  im = render(doc, &pp, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(im);
  CU_ASSERT_EQUAL(im->width, 20);
  CU_ASSERT_EQUAL(im->height, 10);
  CU_ASSERT_EQUAL(px(im, 3, 3, 0), 0);   /* (6.5,6.5) in document units */
  CU_ASSERT_EQUAL(px(im, 5, 5, 0), 255); /* hole centre */
  ft_image_free(im);
  /* Never enlarged. */
  pp.max_size = 512;
  im = render(doc, &pp, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(im);
  CU_ASSERT_EQUAL(im->width, 40);
  ft_image_free(im);
  ft_doc_free(doc);
}

static void test_outlines_over_underlay(void) {
  ft_doc *doc = square_doc();
  ft_image *under = NULL, *im;
  ft_preview_params pp;
  size_t i;
  CU_ASSERT_FATAL(ft_image_new(NULL, 80, 40, 1, &under) == FT_OK); /* twice the doc */
  for (i = 0; i < 80 * 40; i++) under->data[i] = 0.5f;
  ft_preview_params_init(&pp);
  pp.max_size = 0;
  pp.underlay = under;
  pp.outlines = 1;
  im = render(doc, &pp, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(im);
  /* Inside the square, away from edges: the underlay's gray, not ink. */
  CU_ASSERT(abs(px(im, 6, 10, 0) - 128) <= 1);
  CU_ASSERT(abs(px(im, 6, 10, 1) - 128) <= 1);
  /* On the outline (x = 5 is the edge; the 1-pixel line covers 4.5..5.5). */
  CU_ASSERT(px(im, 5, 10, 0) > 150 && px(im, 5, 10, 1) < 110);
  CU_ASSERT(px(im, 14, 10, 0) > 150 && px(im, 14, 10, 2) < 110);
  ft_image_free(im);

  /* The underlay alone sets the size. */
  pp.outlines = 0;
  pp.max_size = 64;
  im = render(NULL, &pp, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(im);
  CU_ASSERT_EQUAL(im->width, 64);
  CU_ASSERT_EQUAL(im->height, 32);
  CU_ASSERT(abs(px(im, 30, 15, 0) - 128) <= 1);
  ft_image_free(im);
  ft_image_free(under);
  ft_doc_free(doc);
}

static int failing_write(void *user, const void *buf, size_t len) {
  (*(int *)user)++;
  return -1;
}

static void test_errors(void) {
  ft_doc *doc = square_doc();
  ft_preview_params pp;
  ft_status st;
  ft_ctx *ctx = ft_ctx_new();
  int calls = 0;
  ft_sink bad = {failing_write, &calls};
  CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
  CU_ASSERT_EQUAL(ft_render_png(ctx, doc, NULL, &bad), FT_ERR_IO);
  CU_ASSERT(calls >= 1);
  CU_ASSERT(strlen(ft_ctx_errmsg(ctx)) > 0);
  ft_preview_params_init(&pp);
  pp.max_size = -1;
  CU_ASSERT_PTR_NULL(render(doc, &pp, &st));
  CU_ASSERT_EQUAL(st, FT_ERR_INVAL);
  ft_preview_params_init(&pp);
  pp.outline_width = 0;
  CU_ASSERT_PTR_NULL(render(doc, &pp, &st));
  CU_ASSERT_EQUAL(st, FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(render(NULL, NULL, &st));
  CU_ASSERT_EQUAL(st, FT_ERR_INVAL);
  /* A coordinate that is not finite is refused, not drawn. */
  doc->layer[0].paths->path[0].seg[1].c[2].x = 1.0 / 0.0;
  CU_ASSERT_PTR_NULL(render(doc, NULL, &st));
  CU_ASSERT_EQUAL(st, FT_ERR_INVAL);
  ft_ctx_free(ctx);
  ft_doc_free(doc);
}

static const ft_test_case cases[] = {
    {"full size: fill and hole", test_full_size_fill_and_hole},
    {"scaled down, never enlarged", test_scaled_down},
    {"outlines over an underlay; underlay alone", test_outlines_over_underlay},
    {"errors: failing sink, bad params, non-finite points", test_errors},
    {NULL, NULL},
};

int main(void) { return ft_test_main("preview", cases); }
