/* tests/unit/test_cairo.c - PDF, EPS, PNG and TIFF output through Cairo.
 *
 * A small document (a filled square with a square hole, an open stroke, a
 * scale-bar rect and a text) is written to memory sinks.  PDF: header and a
 * MediaBox of exactly the physical size in points; EPS: the EPSF header and
 * bounding box, fonts embedded unless text is outlined; PNG: decoded again
 * by Cairo, with the size the dpi gives and the pixels where the shapes
 * are; TIFF: read back with figtrace's reader, dpi as pixel size.  Also:
 * bad params, a failing sink, format names.
 */
#include "config.h"

#include <cairo.h>
#include <math.h>
#include <string.h>

#include "figtrace.h"
#include "testutil.h"

/* 100 x 50 user units at 50.8 x 25.4 mm (2 x 1 in): 144 x 72 pt. */
static ft_doc *make_doc(void) {
  ft_doc *d = NULL;
  ft_paths *ps = NULL;
  ft_rgba black = {0, 0, 0, 1};
  int k;
  ft_path *p;
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(NULL, 100, 50, &d), FT_OK);
  d->width_mm = 50.8;
  d->height_mm = 25.4;
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(NULL, 100, 50, &ps), FT_OK);
  /* outline 10..40 clockwise, hole 20..30 counter-clockwise */
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(NULL, ps, 10, 10, &k), FT_OK);
  p = &ps->path[k];
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 40, 10), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 40, 40), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 10, 40), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 10, 10), FT_OK);
  p->closed = 1;
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(NULL, ps, 20, 20, &k), FT_OK);
  p = &ps->path[k];
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 20, 30), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 30, 30), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 30, 20), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 20, 20), FT_OK);
  p->closed = 1;
  p->hole = 1;
  p->parent = 0;
  /* an open stroke 4 units wide along y = 45 */
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(NULL, ps, 50, 45, &k), FT_OK);
  CU_ASSERT_EQUAL(ft_path_cubic_to(NULL, &ps->path[k], 60, 45, 70, 45, 90, 45), FT_OK);
  ps->path[k].stroke_width = 4.0;
  CU_ASSERT_EQUAL_FATAL(ft_doc_add_layer(NULL, d, "ink", "Ink", ps, NULL), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_add_rect(NULL, d, 60, 5, 30, 10, black, "scale-bar"), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_add_text(NULL, d, 75, 30, 8, "Arial, sans-serif", "10 \xC2\xB5m",
                                  FT_ANCHOR_MIDDLE, black, "label"),
                  FT_OK);
  CU_ASSERT_EQUAL(ft_doc_set_string(NULL, &d->title, "square"), FT_OK);
  return d;
}

/* Write d in format to memory; returns a malloc'd copy (NUL-terminated) and
 * its length. */
static char *render(const ft_doc *d, int format, double dpi, int outline, size_t *len) {
  ft_sink *sink = NULL;
  ft_cairo_params p;
  const char *data;
  char *copy = NULL;
  ft_ctx *ctx = ft_ctx_new();
  ft_cairo_params_init(&p);
  p.format = format;
  if (dpi > 0) p.dpi = dpi;
  p.outline_text = outline;
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_memory(ctx, &sink), FT_OK);
  CU_ASSERT_EQUAL(ft_write_cairo(ctx, d, &p, sink), FT_OK);
  data = ft_sink_memory_data(sink, len);
  if (data && *len > 0) {
    copy = malloc(*len + 1);
    memcpy(copy, data, *len);
    copy[*len] = '\0';
  }
  CU_ASSERT_EQUAL(ft_sink_close(ctx, sink, 1), FT_OK);
  ft_ctx_free(ctx);
  return copy;
}

/* memmem for the binary outputs. */
static const char *find(const char *hay, size_t n, const char *needle) {
  size_t m = strlen(needle), i;
  for (i = 0; i + m <= n; i++)
    if (memcmp(hay + i, needle, m) == 0) return hay + i;
  return NULL;
}

static void test_pdf(void) {
  ft_doc *d = make_doc();
  size_t n = 0;
  char *pdf = render(d, FT_OUT_PDF, 0, 0, &n);
  const char *mb;
  double x0, y0, x1, y1;
  CU_ASSERT_PTR_NOT_NULL_FATAL(pdf);
  CU_ASSERT_EQUAL(memcmp(pdf, "%PDF-", 5), 0);
  mb = find(pdf, n, "/MediaBox");
  CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
  CU_ASSERT_EQUAL(sscanf(mb, "/MediaBox [ %lf %lf %lf %lf", &x0, &y0, &x1, &y1), 4);
  CU_ASSERT_DOUBLE_EQUAL(x1 - x0, 144.0, 1e-3);
  CU_ASSERT_DOUBLE_EQUAL(y1 - y0, 72.0, 1e-3);
  CU_ASSERT_PTR_NOT_NULL(find(pdf, n, "/FontFile")); /* the font is embedded */
  free(pdf);
  ft_doc_free(d);
}

static void test_eps(void) {
  ft_doc *d = make_doc();
  size_t n = 0;
  char *eps = render(d, FT_OUT_EPS, 0, 0, &n), *outlined;
  const char *bb;
  int x0, y0, x1, y1;
  CU_ASSERT_PTR_NOT_NULL_FATAL(eps);
  CU_ASSERT_PTR_NOT_NULL(strstr(eps, "EPSF-3.0"));
  bb = strstr(eps, "%%BoundingBox:");
  CU_ASSERT_PTR_NOT_NULL_FATAL(bb);
  CU_ASSERT_EQUAL(sscanf(bb, "%%%%BoundingBox: %d %d %d %d", &x0, &y0, &x1, &y1), 4);
  /* EPS bounds the marks drawn, inside the 144 x 72 pt page */
  CU_ASSERT(x0 >= 0 && y0 >= 0 && x1 <= 144 && y1 <= 72 && x1 > x0 && y1 > y0);
  CU_ASSERT_PTR_NOT_NULL(strstr(eps, "FontName"));
  outlined = render(d, FT_OUT_EPS, 0, 1, &n);
  CU_ASSERT_PTR_NOT_NULL_FATAL(outlined);
  CU_ASSERT_PTR_NULL(strstr(outlined, "FontName")); /* no font: glyphs are paths */
  free(eps);
  free(outlined);
  ft_doc_free(d);
}

/* Reading the PNG back from memory. */
typedef struct reader {
  const unsigned char *data;
  size_t len, pos;
} reader;

static cairo_status_t read_fn(void *closure, unsigned char *out, unsigned int n) {
  reader *r = closure;
  if (r->pos + n > r->len) return CAIRO_STATUS_READ_ERROR;
  memcpy(out, r->data + r->pos, n);
  r->pos += n;
  return CAIRO_STATUS_SUCCESS;
}

/* Gray value (0..255) of pixel (x, y) of an image surface, as red. */
static int red_at(cairo_surface_t *s, int x, int y) {
  const unsigned char *px = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  uint32_t v = *(const uint32_t *)(px + (size_t)y * stride + (size_t)x * 4);
  return (int)((v >> 16) & 0xFF);
}

static void test_png(void) {
  ft_doc *d = make_doc();
  size_t n = 0;
  char *png = render(d, FT_OUT_PNG, 100.0, 0, &n); /* 2 x 1 in at 100 dpi */
  reader r;
  cairo_surface_t *s;
  CU_ASSERT_PTR_NOT_NULL_FATAL(png);
  r.data = (const unsigned char *)png;
  r.len = n;
  r.pos = 0;
  s = cairo_image_surface_create_from_png_stream(read_fn, &r);
  CU_ASSERT_EQUAL_FATAL(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
  cairo_surface_flush(s);
  CU_ASSERT_EQUAL(cairo_image_surface_get_width(s), 200);
  CU_ASSERT_EQUAL(cairo_image_surface_get_height(s), 100);
  /* 2 pixels per user unit */
  CU_ASSERT_EQUAL(red_at(s, 30, 30), 0);     /* inside the outline (user 15,15) */
  CU_ASSERT_EQUAL(red_at(s, 50, 50), 255);   /* in the hole (25,25) */
  CU_ASSERT_EQUAL(red_at(s, 5, 5), 255);     /* background */
  CU_ASSERT_EQUAL(red_at(s, 140, 90), 0);    /* on the stroke (70,45) */
  CU_ASSERT_EQUAL(red_at(s, 140, 84), 255);  /* 3 units above it: outside the 4-wide line */
  CU_ASSERT_EQUAL(red_at(s, 150, 20), 0);    /* in the rect (75,10) */
  cairo_surface_destroy(s);
  free(png);
  ft_doc_free(d);
}

/* TIFF: read back with figtrace's own reader; the dpi comes back as the
 * pixel size (25400 / dpi micrometres). */
static void test_tiff(void) {
  ft_doc *d = make_doc();
  size_t n = 0;
  char *tif = render(d, FT_OUT_TIFF, 100.0, 0, &n);
  FILE *fp;
  ft_image *img = NULL;
  CU_ASSERT_PTR_NOT_NULL_FATAL(tif);
  CU_ASSERT(memcmp(tif, "II*\0", 4) == 0 || memcmp(tif, "MM\0*", 4) == 0);
  fp = fmemopen(tif, n, "rb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
  CU_ASSERT_EQUAL_FATAL(ft_read_stream(NULL, fp, "t.tif", NULL, &img), FT_OK);
  fclose(fp);
  CU_ASSERT_EQUAL(img->width, 200);
  CU_ASSERT_EQUAL(img->height, 100);
  CU_ASSERT_EQUAL(img->channels, 3);
  CU_ASSERT_DOUBLE_EQUAL(img->pixel_w, 254.0, 1e-3);
  CU_ASSERT_DOUBLE_EQUAL(img->data[(30 * 200 + 30) * 3], 0.0, 1e-6); /* in the square */
  CU_ASSERT_DOUBLE_EQUAL(img->data[(50 * 200 + 50) * 3], 1.0, 1e-6); /* in the hole */
  ft_image_free(img);
  free(tif);
  ft_doc_free(d);
}

static int failing_write(void *user, const void *buf, size_t len) { return 1; }

static void test_errors(void) {
  ft_doc *d = make_doc();
  ft_ctx *ctx = ft_ctx_new();
  ft_sink bad = {failing_write, NULL}, *mem = NULL;
  ft_cairo_params p;
  ft_cairo_params_init(&p);
  CU_ASSERT_EQUAL(p.format, FT_OUT_PDF);
  CU_ASSERT_DOUBLE_EQUAL(p.dpi, 300.0, 0.0);
  CU_ASSERT_EQUAL(ft_write_cairo(ctx, d, &p, &bad), FT_ERR_IO);
  p.format = FT_OUT_PNG;
  CU_ASSERT_EQUAL(ft_write_cairo(ctx, d, &p, &bad), FT_ERR_IO);
  p.format = FT_OUT_TIFF;
  CU_ASSERT_EQUAL(ft_write_cairo(ctx, d, &p, &bad), FT_ERR_IO);
  p.format = FT_OUT_PNG;
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_memory(ctx, &mem), FT_OK);
  p.format = FT_OUT_SVG;
  CU_ASSERT_EQUAL(ft_write_cairo(ctx, d, &p, mem), FT_ERR_INVAL);
  p.format = FT_OUT_PNG;
  p.dpi = 0.5;
  CU_ASSERT_EQUAL(ft_write_cairo(ctx, d, &p, mem), FT_ERR_INVAL);
  p.dpi = 10000; /* 20000 x 10000 pixels: fine; 2 m wide would not be */
  d->width_mm = 2000.0;
  CU_ASSERT_EQUAL(ft_write_cairo(ctx, d, &p, mem), FT_ERR_INVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "too large"));
  d->width_mm = 50.8;
  d->layer[0].paths->path[0].seg[1].c[2].x = NAN;
  p.format = FT_OUT_PDF;
  CU_ASSERT_EQUAL(ft_write_cairo(ctx, d, &p, mem), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_sink_close(ctx, mem, 0), FT_OK);
  CU_ASSERT_EQUAL(ft_write_cairo(ctx, NULL, &p, &bad), FT_ERR_INVAL);
  ft_ctx_free(ctx);
  ft_doc_free(d);
}

static void test_format_names(void) {
  CU_ASSERT_EQUAL(ft_out_format_from_name("a/b.pdf"), FT_OUT_PDF);
  CU_ASSERT_EQUAL(ft_out_format_from_name("B.EPS"), FT_OUT_EPS);
  CU_ASSERT_EQUAL(ft_out_format_from_name("x.png"), FT_OUT_PNG);
  CU_ASSERT_EQUAL(ft_out_format_from_name("x.svg"), FT_OUT_SVG);
  CU_ASSERT_EQUAL(ft_out_format_from_name("x.tif"), FT_OUT_TIFF);
  CU_ASSERT_EQUAL(ft_out_format_from_name("x.TIFF"), FT_OUT_TIFF);
  CU_ASSERT_EQUAL(ft_out_format_from_name("x.jpg"), -1);
  CU_ASSERT_EQUAL(ft_out_format_from_name("dir.pdf/x"), -1);
  CU_ASSERT_EQUAL(ft_out_format_from_name("-"), -1);
  CU_ASSERT_EQUAL(ft_out_format_from_name(NULL), -1);
}

/* Under --enable-sanitizers: fontconfig, which Cairo uses for text, keeps
 * process-wide caches that LeakSanitizer reports at exit; they are not
 * figtrace's.  (A weak hook LSan calls at start; unused otherwise.) */
const char *__lsan_default_suppressions(void);
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void) {
  return "leak:libfontconfig.so\n"; }

int main(void) {
  static const ft_test_case cases[] = {
      {"pdf page size", test_pdf},
      {"eps bounding box and outlined text", test_eps},
      {"png size and pixels", test_png},
      {"tiff read back", test_tiff},
      {"errors", test_errors},
      {"format from file name", test_format_names},
      {NULL, NULL},
  };
  return ft_test_main("cairo", cases);
}
