/* src/write/preview.c - PNG previews of an ft_doc, rendered with Cairo.
 *
 * The document's user units (source pixels) are scaled uniformly onto a
 * Cairo RGB24 image surface no larger than max_size on its longest side.
 * An optional underlay image is resampled onto the surface first with a
 * box filter (each output pixel the mean of the source pixels it covers,
 * nearest neighbour when enlarging), alpha composited onto white; then the
 * layers are painted back to front as the SVG writer describes them
 * (closed paths filled with the layer's fill rule, open strokes stroked),
 * followed by the rectangles and texts; or, in outline mode, every path is
 * stroked with one thin colour so that the trace can be checked against
 * the pixels beneath.  The surface goes out through
 * cairo_surface_write_to_png_stream into the caller's sink.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dl/cairo.h"
#include "figtrace/preview.h"
#include "write/internal.h"

static const ft_preview_params defaults = {
    512, NULL, 0, {1.0f, 0.0f, 0.0f, 1.0f}, 1.0,
};

void ft_preview_params_init(ft_preview_params *p) {
  if (p) *p = defaults;
}

/* Largest number of pixels a preview may have (a 16384 x 16384 surface). */
#define MAX_PREVIEW_PIXELS (16384.0 * 16384.0)

static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

/* Resample img onto the w x h RGB24 surface s (box filter, onto white). */
static void draw_underlay(cairo_surface_t *s, int w, int h, const ft_image *img) {
  unsigned char *px;
  int stride, ox, oy, ch = img->channels;
  cairo_surface_flush(s);
  px = cairo_image_surface_get_data(s);
  stride = cairo_image_surface_get_stride(s);
  for (oy = 0; oy < h; oy++) {
    long y0 = (long)((double)oy * img->height / h), y1 = (long)((double)(oy + 1) * img->height / h);
    uint32_t *row = (uint32_t *)(px + (size_t)oy * (size_t)stride);
    if (y1 <= y0) y1 = y0 + 1;
    if (y1 > img->height) y1 = img->height;
    for (ox = 0; ox < w; ox++) {
      long x0 = (long)((double)ox * img->width / w), x1 = (long)((double)(ox + 1) * img->width / w);
      double r = 0, g = 0, b = 0;
      long x, y, n = 0;
      if (x1 <= x0) x1 = x0 + 1;
      if (x1 > img->width) x1 = img->width;
      for (y = y0; y < y1; y++) {
        size_t o = ((size_t)y * (size_t)img->width + (size_t)x0) * (size_t)ch;
        for (x = x0; x < x1; x++, o += (size_t)ch) {
          /* ft_image_sample: float or compact samples alike */
          double a = (ch == 2 || ch == 4) ? clamp01(ft_image_sample(img, o + (size_t)ch - 1)) : 1.0;
          double cr = clamp01(ft_image_sample(img, o)),
                 cg = ch >= 3 ? clamp01(ft_image_sample(img, o + 1)) : cr,
                 cb = ch >= 3 ? clamp01(ft_image_sample(img, o + 2)) : cr;
          r += cr * a + (1 - a);
          g += cg * a + (1 - a);
          b += cb * a + (1 - a);
          n++;
        }
      }
      if (n == 0) n = 1;
      row[ox] = (uint32_t)(r / n * 255 + 0.5) << 16 | (uint32_t)(g / n * 255 + 0.5) << 8 |
                (uint32_t)(b / n * 255 + 0.5);
    }
  }
  cairo_surface_mark_dirty(s);
}

static int finite_pt(ft_point p) { return isfinite(p.x) && isfinite(p.y); }

/* Add path p to the current Cairo path.  Returns 0, or -1 when a
 * coordinate is not finite. */
static int add_path(cairo_t *cr, const ft_path *p) {
  int k;
  if (!finite_pt(p->start)) return -1;
  cairo_move_to(cr, p->start.x, p->start.y);
  for (k = 0; k < p->nseg; k++) {
    const ft_seg *sg = &p->seg[k];
    if (!finite_pt(sg->c[2])) return -1;
    if (sg->type == FT_SEG_CUBIC) {
      if (!finite_pt(sg->c[0]) || !finite_pt(sg->c[1])) return -1;
      cairo_curve_to(cr, sg->c[0].x, sg->c[0].y, sg->c[1].x, sg->c[1].y, sg->c[2].x, sg->c[2].y);
    } else {
      cairo_line_to(cr, sg->c[2].x, sg->c[2].y);
    }
  }
  if (p->closed) cairo_close_path(cr);
  return 0;
}

static void set_rgba(cairo_t *cr, ft_rgba c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

/* Paint (or outline) one layer.  Returns 0 or -1 for a non-finite point. */
static int draw_layer(cairo_t *cr, const ft_layer *L, const ft_preview_params *p) {
  const ft_paths *ps = L->paths;
  int i;
  if (!ps) return 0;
  if (p->outlines) {
    for (i = 0; i < ps->npaths; i++)
      if (add_path(cr, &ps->path[i])) return -1;
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_set_line_width(cr, p->outline_width);
    set_rgba(cr, p->outline_color);
    cairo_stroke(cr);
    cairo_restore(cr);
    return 0;
  }
  /* Closed paths: one fill for the layer, so holes cut through. */
  for (i = 0; i < ps->npaths; i++)
    if (ps->path[i].closed && add_path(cr, &ps->path[i])) return -1;
  cairo_set_fill_rule(cr, L->fill_rule == FT_FILL_EVENODD ? CAIRO_FILL_RULE_EVEN_ODD
                                                          : CAIRO_FILL_RULE_WINDING);
  if (L->fill.a > 0) {
    set_rgba(cr, L->fill);
    cairo_fill_preserve(cr);
  }
  if (L->stroke.a > 0 && L->stroke_width > 0) {
    set_rgba(cr, L->stroke);
    cairo_set_line_width(cr, L->stroke_width);
    cairo_stroke_preserve(cr);
  }
  cairo_new_path(cr);
  /* Open strokes, each with its own width when it has one. */
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *pa = &ps->path[i];
    double wdt = pa->stroke_width > 0 ? pa->stroke_width : L->stroke_width;
    if (pa->closed) continue;
    if (add_path(cr, pa)) return -1;
    set_rgba(cr, L->stroke.a > 0 ? L->stroke : L->fill);
    cairo_set_line_width(cr, wdt > 0 ? wdt : 1.0);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
  }
  return 0;
}

static void draw_extras(cairo_t *cr, const ft_doc *doc) {
  int i;
  for (i = 0; i < doc->nrects; i++) {
    const ft_rect *r = &doc->rect[i];
    if (!isfinite(r->x) || !isfinite(r->y) || !isfinite(r->w) || !isfinite(r->h)) continue;
    cairo_rectangle(cr, r->x, r->y, r->w, r->h);
    set_rgba(cr, r->fill);
    cairo_fill(cr);
  }
  for (i = 0; i < doc->ntexts; i++) {
    const ft_text *t = &doc->text[i];
    cairo_text_extents_t ext;
    double x = t->x;
    if (!t->text || !isfinite(t->x) || !isfinite(t->y) || !(t->size > 0 && t->size < 1e6))
      continue;
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, t->size);
    cairo_text_extents(cr, t->text, &ext);
    if (t->anchor == FT_ANCHOR_MIDDLE) x -= ext.x_advance / 2;
    if (t->anchor == FT_ANCHOR_END) x -= ext.x_advance;
    cairo_move_to(cr, x, t->y);
    set_rgba(cr, t->color);
    cairo_show_text(cr, t->text);
  }
}

/* PNG bytes go to the sink through the writers' shared Cairo adapter. */
static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int len) {
  return (cairo_status_t)ft__cairo_stream_write(closure, data, len);
}

ft_status ft_render_png(ft_ctx *ctx, const ft_doc *doc, const ft_preview_params *p,
                        ft_sink *sink) {
  ft_preview_params def;
  cairo_surface_t *s = NULL;
  cairo_t *cr = NULL;
  cairo_status_t cs;
  ft__cairo_stream o;
  double W, H, scale = 1.0;
  int w, h, i;
  ft_status st = FT_OK;

  if (!p) {
    ft_preview_params_init(&def);
    p = &def;
  }
  if (!sink || !sink->write) return ft__fail(ctx, FT_ERR_INVAL, "preview: no sink");
  if (!doc && !p->underlay) return ft__fail(ctx, FT_ERR_INVAL, "preview: nothing to draw");
  if (p->max_size < 0 || p->max_size > 16384)
    return ft__fail(ctx, FT_ERR_INVAL, "preview: max_size=%d out of range 0..16384", p->max_size);
  if (!(p->outline_width > 0 && p->outline_width <= 64))
    return ft__fail(ctx, FT_ERR_INVAL, "preview: outline_width=%g out of range (0, 64]",
                    p->outline_width);
  if (p->underlay && ((!p->underlay->data && !p->underlay->data8) || p->underlay->width < 1 || p->underlay->height < 1 ||
                      p->underlay->channels < 1 || p->underlay->channels > 4))
    return ft__fail(ctx, FT_ERR_INVAL, "preview: invalid underlay image");
  W = doc ? doc->width : p->underlay->width;
  H = doc ? doc->height : p->underlay->height;
  if (!(isfinite(W) && isfinite(H) && W > 0 && H > 0))
    return ft__fail(ctx, FT_ERR_TOOBIG, "preview: document size %gx%g cannot be drawn", W, H);
  if (p->max_size > 0 && (W > p->max_size || H > p->max_size))
    scale = p->max_size / (W > H ? W : H);
  if (ceil(W * scale) * ceil(H * scale) > MAX_PREVIEW_PIXELS || ceil(W * scale) > 32767 ||
      ceil(H * scale) > 32767)
    return ft__fail(ctx, FT_ERR_TOOBIG, "preview: %gx%g is too large for a preview", W * scale,
                    H * scale);
  if ((st = ft__cairo_require(ctx))) return st;
  w = (int)ceil(W * scale - 1e-9);
  h = (int)ceil(H * scale - 1e-9);
  if (w < 1) w = 1;
  if (h < 1) h = 1;

  s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return ft__nomem(ctx, "preview");
  }
  cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  if (p->underlay) draw_underlay(s, w, h, p->underlay);
  if (doc) {
    cairo_scale(cr, w / W, h / H);
    for (i = 0; i < doc->nlayers && st == FT_OK; i++) {
      cairo_save(cr);
      if (draw_layer(cr, &doc->layer[i], p))
        st = ft__fail(ctx, FT_ERR_INVAL, "preview: layer %d has a coordinate that is not finite", i);
      cairo_new_path(cr);
      cairo_restore(cr);
    }
    if (st == FT_OK && !p->outlines) draw_extras(cr, doc);
  }
  if (st == FT_OK && (cs = cairo_status(cr)) != CAIRO_STATUS_SUCCESS)
    st = cs == CAIRO_STATUS_NO_MEMORY ? ft__nomem(ctx, "preview")
                                      : ft__fail(ctx, FT_ERR_INTERNAL, "preview: cairo: %s",
                                                 cairo_status_to_string(cs));
  cairo_destroy(cr);
  if (st == FT_OK) {
    o.sink = sink;
    o.failed = 0;
    cs = cairo_surface_write_to_png_stream(s, png_write, &o);
    if (o.failed) {
      const char *d = ft__sink_detail(sink);
      st = ft__fail(ctx, FT_ERR_IO, "%s", d && *d ? d : "preview: cannot write the PNG");
    } else if (cs != CAIRO_STATUS_SUCCESS) {
      st = cs == CAIRO_STATUS_NO_MEMORY ? ft__nomem(ctx, "preview")
                                        : ft__fail(ctx, FT_ERR_INTERNAL, "preview: cairo: %s",
                                                   cairo_status_to_string(cs));
    }
  }
  cairo_surface_destroy(s);
  return st;
}
