/* src/write/cairo.c - ft_doc to PDF, EPS, PNG and TIFF with Cairo.
 *
 * The same document the SVG writer reads is drawn on a Cairo surface whose
 * size is the figure's physical size: PDF and PostScript surfaces measure
 * in points (1/72 in), so a width of w mm is w * 72 / 25.4 pt; the image
 * surface for PNG has round(w / 25.4 * dpi) pixels.  One scale maps the
 * document's user units (source pixels) onto that page, so every shape
 * keeps the geometry it has in the SVG.
 *
 * Paint order and presentation follow the SVG writer: per layer, all
 * closed paths as one path filled with the layer's fill rule (outlines
 * clockwise, holes counter-clockwise, so holes stay holes under either
 * rule) and stroked when the layer has a stroke; then each open path
 * stroked with its own width (or the layer's, or 1) with round caps and
 * joins; then the rects and texts.  Text is placed with Cairo's "toy" font
 * API, which resolves the family through fontconfig and embeds the font in
 * PDF/PS; with outline_text the glyph outlines are filled instead
 * (cairo_text_path), as PLOS asks for EPS.  Bytes leave through Cairo's
 * write-func streams into the ft_sink.  TIFF (which libtiff writes with
 * seeks) is assembled in memory from the same raster as PNG, RGB 8-bit,
 * LZW-compressed, with the dpi in its resolution tags, then sent to the sink.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dl/cairo.h"
#include "dl/tiff.h"
#include "write/tiffmem.h"
#include "write/internal.h"

static const ft_cairo_params cairo_defaults = {
    .format = FT_OUT_PDF,
    .dpi = 300.0,
    .outline_text = 0,
};

void ft_cairo_params_init(ft_cairo_params *p) { *p = cairo_defaults; }

/* Largest PNG side in pixels (Cairo's image surfaces stop at 32767). */
#define MAX_PNG_SIDE 32767.0

int ft_out_format_from_name(const char *name) {
  static const struct {
    const char *ext;
    int format;
  } exts[] = {{".svg", FT_OUT_SVG},
              {".pdf", FT_OUT_PDF},
              {".eps", FT_OUT_EPS},
              {".png", FT_OUT_PNG},
              {".tif", FT_OUT_TIFF},
              {".tiff", FT_OUT_TIFF}};
  const char *dot;
  size_t i;
  if (!name || !(dot = strrchr(name, '.')) || strchr(dot, '/')) return -1;
  for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
    if (strcasecmp(dot, exts[i].ext) == 0) return exts[i].format;
  return -1;
}

typedef ft__cairo_stream stream;

/* Declared in write/internal.h with an int result so that the header needs
 * no cairo.h; cairo_status_t is an int-sized enum. */
int ft__cairo_stream_write(void *closure, const unsigned char *data, unsigned int len) {
  stream *s = closure;
  if (s->failed) return CAIRO_STATUS_WRITE_ERROR;
  if (len > 0 && s->sink->write(s->sink->user, data, len) != 0) {
    s->failed = 1;
    return CAIRO_STATUS_WRITE_ERROR;
  }
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t stream_write(void *closure, const unsigned char *data, unsigned int len) {
  return (cairo_status_t)ft__cairo_stream_write(closure, data, len);
}

static void set_color(cairo_t *cr, ft_rgba c) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a > 1.0f ? 1.0 : c.a);
}

/* Append path p to the current Cairo path. */
static void add_path(cairo_t *cr, const ft_path *p) {
  int i;
  if (p->nseg < 1) return;
  cairo_move_to(cr, p->start.x, p->start.y);
  for (i = 0; i < p->nseg; i++) {
    const ft_seg *s = &p->seg[i];
    if (s->type == FT_SEG_CUBIC)
      cairo_curve_to(cr, s->c[0].x, s->c[0].y, s->c[1].x, s->c[1].y, s->c[2].x, s->c[2].y);
    else
      cairo_line_to(cr, s->c[2].x, s->c[2].y);
  }
  if (p->closed) cairo_close_path(cr);
}

/* 1 when every coordinate of the path is finite. */
static int path_finite(const ft_path *p) {
  int i, k;
  if (!isfinite(p->start.x) || !isfinite(p->start.y)) return 0;
  for (i = 0; i < p->nseg; i++)
    for (k = 0; k < 3; k++)
      if (!isfinite(p->seg[i].c[k].x) || !isfinite(p->seg[i].c[k].y)) return 0;
  return 1;
}

static ft_status draw_layer(ft_ctx *ctx, cairo_t *cr, const ft_layer *l) {
  const ft_paths *ps = l->paths;
  int i, any = 0;
  if (!ps) return FT_OK;
  for (i = 0; i < ps->npaths; i++)
    if (!path_finite(&ps->path[i]))
      return ft__fail(ctx, FT_ERR_INVAL, "cairo: layer \"%s\" path %d: bad coordinate",
                      l->id ? l->id : "", i);
  cairo_new_path(cr);
  for (i = 0; i < ps->npaths; i++)
    if (ps->path[i].closed) {
      add_path(cr, &ps->path[i]);
      any = 1;
    }
  if (any) {
    cairo_set_fill_rule(cr, l->fill_rule == FT_FILL_EVENODD ? CAIRO_FILL_RULE_EVEN_ODD
                                                            : CAIRO_FILL_RULE_WINDING);
    if (l->fill.a > 0.0f) {
      set_color(cr, l->fill);
      cairo_fill_preserve(cr);
    }
    if (l->stroke.a > 0.0f) {
      set_color(cr, l->stroke);
      cairo_set_line_width(cr, l->stroke_width > 0.0 ? l->stroke_width : 1.0);
      cairo_stroke_preserve(cr);
    }
    cairo_new_path(cr);
  }
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    double w;
    if (p->closed || p->nseg < 1) continue;
    w = p->stroke_width > 0.0                              ? p->stroke_width
        : l->stroke.a > 0.0f && l->stroke_width > 0.0 ? l->stroke_width
                                                           : 1.0;
    set_color(cr, l->stroke.a > 0.0f ? l->stroke : l->fill);
    cairo_set_line_width(cr, w);
    add_path(cr, p);
    cairo_stroke(cr);
  }
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  return FT_OK;
}

/* The first family of a CSS font-family list, unquoted, into out. */
static void first_family(const char *list, char *out, size_t outsz) {
  const char *s = list ? list : "";
  size_t n = 0;
  while (*s && (isspace((unsigned char)*s) || *s == '"' || *s == '\'')) s++;
  while (s[n] && s[n] != ',' && s[n] != '"' && s[n] != '\'') n++;
  while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
  if (n == 0) {
    s = "sans-serif";
    n = strlen(s);
  }
  if (n >= outsz) n = outsz - 1;
  memcpy(out, s, n);
  out[n] = '\0';
}

static void draw_text(cairo_t *cr, const ft_text *t, int outline) {
  char family[128];
  cairo_text_extents_t ext;
  double x = t->x;
  if (!t->text || !*t->text || !(t->size > 0.0) || !isfinite(t->size) || !isfinite(t->x) ||
      !isfinite(t->y))
    return;
  first_family(t->font, family, sizeof family);
  cairo_select_font_face(cr, family, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, t->size);
  cairo_text_extents(cr, t->text, &ext);
  if (t->anchor == FT_ANCHOR_MIDDLE)
    x -= ext.x_advance / 2.0;
  else if (t->anchor == FT_ANCHOR_END)
    x -= ext.x_advance;
  set_color(cr, t->color);
  cairo_new_path(cr);
  cairo_move_to(cr, x, t->y);
  if (outline) {
    cairo_text_path(cr, t->text);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    cairo_fill(cr);
  } else {
    cairo_show_text(cr, t->text);
  }
}

/* Encode the image surface as TIFF into the stream. */
static ft_status write_tiff(ft_ctx *ctx, cairo_surface_t *surf, double dpi, stream *s) {
  int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
  int stride = cairo_image_surface_get_stride(surf), x, y, ok = 1;
  const unsigned char *px;
  unsigned char *row = NULL;
  ft__tiffmem m;
  TIFF *tif;
  ft_status st = FT_OK;
  cairo_surface_flush(surf);
  px = cairo_image_surface_get_data(surf);
  tif = ft__tiffmem_open(&m, "figure.tif");
  if (!tif || !(row = malloc((size_t)w * 3))) {
    ok = 0;
  } else {
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)w);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)h);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 3);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(tif, 0));
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, (float)dpi);
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, (float)dpi);
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(tif, TIFFTAG_SOFTWARE, "figtrace");
    for (y = 0; y < h && ok; y++) {
      const uint32_t *src = (const uint32_t *)(px + (size_t)y * (size_t)stride);
      for (x = 0; x < w; x++) { /* opaque (painted on white): no unpremultiplying */
        row[3 * x] = (unsigned char)(src[x] >> 16);
        row[3 * x + 1] = (unsigned char)(src[x] >> 8);
        row[3 * x + 2] = (unsigned char)src[x];
      }
      if (TIFFWriteScanline(tif, row, (uint32_t)y, 0) < 0) ok = 0;
    }
  }
  if (tif) {
    if (ok && !TIFFWriteDirectory(tif)) ok = 0;
    TIFFClose(tif);
  }
  free(row);
  if (!ok || m.len > UINT_MAX)
    st = ft__fail(ctx, FT_ERR_NOMEM, "cairo: TIFF encoding failed%s%s", m.msg[0] ? ": " : "",
                  m.msg);
  else if (stream_write(s, m.buf, (unsigned)m.len) != CAIRO_STATUS_SUCCESS)
    st = FT_ERR_IO; /* the caller reports the sink's failure */
  ft__tiffmem_free(&m);
  return st;
}

/* Reading the underlay PNG from memory. */
typedef struct png_reader {
  const unsigned char *data;
  size_t len, pos;
} png_reader;

static cairo_status_t png_read(void *closure, unsigned char *out, unsigned int n) {
  png_reader *r = closure;
  if (n > r->len - r->pos) return CAIRO_STATUS_READ_ERROR;
  memcpy(out, r->data + r->pos, n);
  r->pos += n;
  return CAIRO_STATUS_SUCCESS;
}

/* The underlay, one image pixel per user unit, without smoothing. */
static ft_status draw_underlay(ft_ctx *ctx, cairo_t *cr, const ft_doc *doc) {
  png_reader r = {doc->underlay_png, doc->underlay_len, 0};
  cairo_surface_t *img = cairo_image_surface_create_from_png_stream(png_read, &r);
  cairo_status_t cs = cairo_surface_status(img);
  if (cs != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(img);
    return cs == CAIRO_STATUS_NO_MEMORY ? ft__nomem(ctx, "cairo")
                                        : ft__fail(ctx, FT_ERR_INVAL, "cairo: bad underlay image");
  }
  cairo_save(cr);
  cairo_scale(cr, doc->width / cairo_image_surface_get_width(img),
              doc->height / cairo_image_surface_get_height(img));
  cairo_set_source_surface(cr, img, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(img);
  return FT_OK;
}

static ft_status draw_doc(ft_ctx *ctx, cairo_t *cr, const ft_doc *doc, int outline) {
  ft_status st;
  int i;
  if (doc->underlay_png && doc->underlay_len > 0 && (st = draw_underlay(ctx, cr, doc))) return st;
  for (i = 0; i < doc->nlayers; i++) {
    if ((st = draw_layer(ctx, cr, &doc->layer[i]))) return st;
    if ((st = ft__progress(ctx, 0.9 * (i + 1) / doc->nlayers))) return st;
  }
  for (i = 0; i < doc->nrects; i++) {
    const ft_rect *r = &doc->rect[i];
    if (!isfinite(r->x) || !isfinite(r->y) || !isfinite(r->w) || !isfinite(r->h)) continue;
    set_color(cr, r->fill);
    cairo_rectangle(cr, r->x, r->y, r->w, r->h);
    cairo_fill(cr);
  }
  for (i = 0; i < doc->ntexts; i++) draw_text(cr, &doc->text[i], outline);
  return FT_OK;
}

ft_status ft_write_cairo(ft_ctx *ctx, const ft_doc *doc, const ft_cairo_params *p,
                         ft_sink *sink) {
  cairo_surface_t *surf = NULL;
  cairo_t *cr = NULL;
  cairo_status_t cs;
  stream s;
  double wmm, hmm, wpt, hpt;
  ft_status st = FT_OK;
  int raster;

  if (!p) p = &cairo_defaults;
  raster = p->format == FT_OUT_PNG || p->format == FT_OUT_TIFF;
  if (!doc || !sink || !sink->write)
    return ft__fail(ctx, FT_ERR_INVAL, "cairo: missing %s", !doc ? "document" : "sink");
  if (p->format != FT_OUT_PDF && p->format != FT_OUT_EPS && p->format != FT_OUT_PNG &&
      p->format != FT_OUT_TIFF)
    return ft__fail(ctx, FT_ERR_INVAL, "cairo: format=%d is not PDF, EPS, PNG or TIFF",
                    p->format);
  if (!isfinite(p->dpi) || p->dpi < 10.0 || p->dpi > 10000.0)
    return ft__fail(ctx, FT_ERR_INVAL, "cairo: dpi=%g out of range 10..10000", p->dpi);
  if (!isfinite(doc->width) || !isfinite(doc->height) || !(doc->width > 0.0) ||
      !(doc->height > 0.0) || !isfinite(doc->width_mm) || !isfinite(doc->height_mm) ||
      doc->width_mm < 0.0 || doc->height_mm < 0.0 || doc->nlayers < 0 || doc->nrects < 0 ||
      doc->ntexts < 0 || (doc->nlayers && !doc->layer) || (doc->nrects && !doc->rect) ||
      (doc->ntexts && !doc->text))
    return ft__fail(ctx, FT_ERR_INVAL, "cairo: malformed document");
  wmm = doc->width_mm > 0.0 ? doc->width_mm : doc->width * 25.4 / 96.0;
  hmm = doc->height_mm > 0.0 ? doc->height_mm : doc->height * 25.4 / 96.0;
  if (wmm > 5080.0 || hmm > 5080.0) /* PDF's page limit is 200 in */
    return ft__fail(ctx, FT_ERR_INVAL, "cairo: page %.1f x %.1f mm is too large", wmm, hmm);
  if ((st = ft__cairo_require(ctx)) || (p->format == FT_OUT_TIFF && (st = ft__tiff_require(ctx))))
    return st;
  s.sink = sink;
  s.failed = 0;

  if (raster) {
    double pw = round(wmm / 25.4 * p->dpi), ph = round(hmm / 25.4 * p->dpi);
    if (pw < 1.0) pw = 1.0;
    if (ph < 1.0) ph = 1.0;
    if (pw > MAX_PNG_SIDE || ph > MAX_PNG_SIDE)
      return ft__fail(ctx, FT_ERR_INVAL, "cairo: %.0f x %.0f pixels at %g dpi is too large for a raster",
                      pw, ph, p->dpi);
    surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)pw, (int)ph);
    wpt = pw;
    hpt = ph;
  } else {
    wpt = wmm * 72.0 / 25.4;
    hpt = hmm * 72.0 / 25.4;
    if (p->format == FT_OUT_PDF) {
      surf = cairo_pdf_surface_create_for_stream(stream_write, &s, wpt, hpt);
    } else {
      surf = cairo_ps_surface_create_for_stream(stream_write, &s, wpt, hpt);
      if (cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS) cairo_ps_surface_set_eps(surf, 1);
    }
  }
  if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
    st = ft__nomem(ctx, "cairo");
    goto done;
  }
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
  if (p->format == FT_OUT_PDF) {
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "figtrace");
    if (doc->title) cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, doc->title);
    if (doc->desc) cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_SUBJECT, doc->desc);
  }
#endif
  cr = cairo_create(surf);
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    st = ft__nomem(ctx, "cairo");
    goto done;
  }
  if (raster) {
    cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
    cairo_paint(cr);
  }
  cairo_scale(cr, wpt / doc->width, hpt / doc->height);
  if ((st = draw_doc(ctx, cr, doc, p->outline_text))) goto done;
  cairo_show_page(cr);
  if ((cs = cairo_status(cr)) != CAIRO_STATUS_SUCCESS && cs != CAIRO_STATUS_WRITE_ERROR) {
    st = ft__fail(ctx, FT_ERR_INTERNAL, "cairo: %s", cairo_status_to_string(cs));
    goto done;
  }
  cairo_destroy(cr);
  cr = NULL;
  if (p->format == FT_OUT_TIFF) {
    st = write_tiff(ctx, surf, p->dpi, &s);
    if (st && st != FT_ERR_IO) goto done;
    cs = st ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
  } else if (p->format == FT_OUT_PNG) {
    cs = cairo_surface_write_to_png_stream(surf, stream_write, &s);
  } else {
    cairo_surface_finish(surf);
    cs = cairo_surface_status(surf);
  }
  if (s.failed || cs == CAIRO_STATUS_WRITE_ERROR) {
    const char *detail = ft__sink_detail(sink);
    st = detail ? ft__fail(ctx, FT_ERR_IO, "%s", detail)
                : ft__fail(ctx, FT_ERR_IO, "cairo: output sink refused a write");
  } else if (cs != CAIRO_STATUS_SUCCESS) {
    st = cs == CAIRO_STATUS_NO_MEMORY ? ft__nomem(ctx, "cairo")
                                      : ft__fail(ctx, FT_ERR_INTERNAL, "cairo: %s",
                                                 cairo_status_to_string(cs));
  } else {
    st = ft__progress(ctx, 1.0);
  }
done:
  if (cr) cairo_destroy(cr);
  if (surf) cairo_surface_destroy(surf);
  return st;
}
