/* src/style/underlay.c - the source image as an underlay of the figure.
 *
 * Journals' image-integrity rules (e.g. Nature's and Cell's "image
 * manipulation" policies) allow brightness and contrast changes only when
 * applied to the whole image and linear; non-linear adjustments (gamma)
 * must be disclosed in the legend.  So the underlay is the original pixel
 * grid, never resampled, with one linear display window for all pixels
 * and channels: v' = (v - lo) / (hi - lo), clamped to [0,1].  The window is
 * given or taken from percentiles of all samples (a 4096-bin histogram, so
 * the percentile is exact to 1/4096 of full scale).  A gamma is applied
 * only when the caller allows non-linear display, and is written into the
 * document's description.  The result is an 8-bit PNG (libpng, written to
 * memory) that both writers embed unchanged.  Filled layers turn into
 * outlines so they do not hide the image they trace.
 */
#include "config.h"

#include <math.h>
#include "dl/png.h"
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "style/internal.h"

#define NBINS 4096

/* Growing memory buffer for libpng's write callback. */
typedef struct membuf {
  unsigned char *data;
  size_t len, cap;
  int failed;
} membuf;

static void png_write_mem(png_structp png, png_bytep data, png_size_t n) {
  membuf *m = png_get_io_ptr(png);
  if (m->failed) return;
  if (m->len + n > m->cap) {
    size_t cap = m->cap ? m->cap : 65536;
    unsigned char *d;
    while (cap < m->len + n) {
      if (cap > ((size_t)-1) / 2) {
        m->failed = 1;
        return;
      }
      cap *= 2;
    }
    if (!(d = realloc(m->data, cap))) {
      m->failed = 1;
      return;
    }
    m->data = d;
    m->cap = cap;
  }
  memcpy(m->data + m->len, data, n);
  m->len += n;
}

static void png_flush_mem(png_structp png) { (void)png; }

/* libpng reports errors by longjmp; warnings are dropped (never printed). */
static void png_err(png_structp png, png_const_charp msg) {
  (void)msg;
  png_longjmp(png, 1);
}
static void png_warn(png_structp png, png_const_charp msg) {
  (void)png;
  (void)msg;
}

/* Encode rows (h rows of w * ch bytes, ch 1 or 3) as PNG into *out. */
static ft_status encode_png(ft_ctx *ctx, const unsigned char *pix, int w, int h, int ch,
                            unsigned char **out, size_t *outlen) {
  png_structp png;
  png_infop info;
  membuf m = {NULL, 0, 0, 0};
  int y;
  ft_status st;
  if ((st = ft__png_require(ctx))) return st;
  png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_err, png_warn);
  if (!png) return ft__nomem(ctx, "underlay");
  info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, NULL);
    return ft__nomem(ctx, "underlay");
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    free(m.data);
    return ft__fail(ctx, FT_ERR_NOMEM, "underlay: PNG encoding failed");
  }
  png_set_write_fn(png, &m, png_write_mem, png_flush_mem);
  png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
               ch == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (y = 0; y < h; y++) png_write_row(png, pix + (size_t)y * (size_t)w * (size_t)ch);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  if (m.failed) {
    free(m.data);
    return ft__nomem(ctx, "underlay");
  }
  *out = m.data;
  *outlen = m.len;
  return FT_OK;
}

/* Full-scale value of the source's integer samples (1 for float data). */
static double full_scale(const ft_image *img) {
  return img->bit_depth >= 1 && img->bit_depth <= 16 ? ldexp(1.0, img->bit_depth) - 1.0 : 1.0;
}

/* The pct-th percentile of the colour samples, in [0,1]. */
static double percentile(const unsigned *hist, size_t total, double pct) {
  size_t want = (size_t)floor(pct / 100.0 * (double)(total - 1)), seen = 0;
  int b;
  for (b = 0; b < NBINS; b++) {
    seen += hist[b];
    if (seen > want) return (b + 0.5) / NBINS;
  }
  return 1.0;
}

/* Scale bar and labels drawn on a dark part of the underlay turn white:
 * the mean displayed value under each rect and text box decides. */
static void recolor_annotations(ft_doc *doc, const unsigned char *pix, int w, int h, int ch) {
  int i;
  for (i = 0; i < doc->nrects + doc->ntexts; i++) {
    double x0, y0, x1, y1, sum = 0.0;
    long cnt = 0;
    int x, y, c;
    ft_rgba *col;
    if (i < doc->nrects) {
      const ft_rect *r = &doc->rect[i];
      x0 = r->x, y0 = r->y, x1 = r->x + r->w, y1 = r->y + r->h;
      col = &doc->rect[i].fill;
    } else {
      ft_text *t = &doc->text[i - doc->nrects];
      x0 = t->x - t->size, x1 = t->x + t->size, y0 = t->y - t->size, y1 = t->y;
      col = &t->color;
    }
    for (y = (int)fmax(0.0, floor(y0)); y < (int)fmin(h, ceil(y1)); y++)
      for (x = (int)fmax(0.0, floor(x0)); x < (int)fmin(w, ceil(x1)); x++)
        for (c = 0; c < ch; c++) {
          sum += pix[((size_t)y * (size_t)w + (size_t)x) * (size_t)ch + (size_t)c];
          cnt++;
        }
    if (cnt > 0 && sum / (double)cnt < 128.0) col->r = col->g = col->b = 1.0f;
  }
}

/* Over an underlay, filled shapes would hide the image: each filled layer
 * becomes outlines in its colour (black, invisible on dark micrographs,
 * turns Okabe-Ito yellow), 0.5 pt or the journal minimum if thicker. */
static void outline_layers(ft_doc *doc) {
  static const ft_rgba yellow = {0xF0 / 255.0f, 0xE4 / 255.0f, 0x42 / 255.0f, 1.0f};
  double w = fmax(0.5, doc->min_stroke_pt) * ft__style_pt_to_user(doc);
  int i;
  for (i = 0; i < doc->nlayers; i++) {
    ft_layer *l = &doc->layer[i];
    if (!(l->fill.a > 0.0f)) continue;
    l->stroke = l->fill.r + l->fill.g + l->fill.b < 0.05f ? yellow : l->fill;
    l->stroke_width = fmax(l->stroke_width, w);
    l->fill.a = 0.0f;
  }
}

ft_status ft_style_underlay(ft_ctx *ctx, ft_doc *doc, const ft_image *img,
                            const ft_style_params *p) {
  int cc, och, magenta_green = 0, c;
  size_t n, i, total = 0;
  unsigned *hist = NULL;
  unsigned char *pix = NULL, *png = NULL;
  size_t pnglen = 0;
  double scale, lo, hi, gamma;
  ft_status st;

  if (!p) p = ft__style_defaults();
  if (!doc || !img || !img->data)
    return ft__fail(ctx, FT_ERR_INVAL, "underlay: missing %s", !doc ? "document" : "image");
  if (img->width != (int)doc->width || img->height != (int)doc->height ||
      doc->width != (double)img->width || doc->height != (double)img->height)
    return ft__fail(ctx, FT_ERR_INVAL, "underlay: image %dx%d does not match the figure %gx%g",
                    img->width, img->height, doc->width, doc->height);
  gamma = p->gamma;
  if (!isfinite(gamma) || !(gamma > 0.0) || gamma > 10.0)
    return ft__fail(ctx, FT_ERR_INVAL, "underlay: gamma %g out of range (0, 10]", gamma);
  if (gamma != 1.0 && !p->allow_nonlinear)
    return ft__fail(ctx, FT_ERR_INVAL,
                    "underlay: gamma %g is a non-linear display change; refused unless "
                    "non-linear display is allowed (it must then be stated in the legend)",
                    gamma);
  if (!isfinite(p->window_lo) || !isfinite(p->window_hi) || !isfinite(p->pct_lo) ||
      !isfinite(p->pct_hi) || p->pct_lo < 0.0 || p->pct_hi > 100.0 || p->pct_lo >= p->pct_hi)
    return ft__fail(ctx, FT_ERR_INVAL, "underlay: display window or percentiles out of range");
  cc = img->channels == 2 || img->channels == 4 ? img->channels - 1 : img->channels;
  if (cc != 1 && cc != 3)
    return ft__fail(ctx, FT_ERR_INVAL, "underlay: %d channels", img->channels);
  if (ft__mul_overflow((size_t)img->width, (size_t)img->height, &n) ||
      ft__mul_overflow(n, 3, &i))
    return ft__fail(ctx, FT_ERR_TOOBIG, "underlay: image too large");
  scale = full_scale(img);

  /* Two-channel overlay stored as RGB with an empty blue channel. */
  if (cc == 3) {
    magenta_green = 1;
    for (i = 0; i < n && magenta_green; i++)
      if (img->data[i * (size_t)img->channels + 2] != 0.0f) magenta_green = 0;
  }

  if (p->window_hi > p->window_lo) {
    lo = p->window_lo / scale;
    hi = p->window_hi / scale;
  } else {
    if (!(hist = calloc(NBINS, sizeof *hist))) return ft__nomem(ctx, "underlay");
    for (i = 0; i < n; i++)
      for (c = 0; c < (magenta_green ? 2 : cc); c++) {
        float v = img->data[i * (size_t)img->channels + (size_t)c];
        int b = v <= 0.0f ? 0 : v >= 1.0f ? NBINS - 1 : (int)(v * NBINS);
        hist[b]++;
        total++;
      }
    lo = percentile(hist, total, p->pct_lo);
    hi = percentile(hist, total, p->pct_hi);
    free(hist);
    if (!(hi > lo)) { /* flat image: show it as it is */
      lo = 0.0;
      hi = 1.0;
    }
  }

  och = cc == 1 ? 1 : 3;
  if (!(pix = ft__malloc_n(n, (size_t)och))) return ft__nomem(ctx, "underlay");
  for (i = 0; i < n; i++) {
    const float *s = &img->data[i * (size_t)img->channels];
    double v[3];
    for (c = 0; c < cc; c++) {
      double t = (s[c] - lo) / (hi - lo);
      t = t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
      if (gamma != 1.0) t = pow(t, gamma);
      v[c] = t;
    }
    if (och == 1) {
      pix[i] = (unsigned char)lround(v[0] * 255.0);
    } else if (magenta_green) { /* red channel -> magenta (R+B), green -> green */
      pix[3 * i] = (unsigned char)lround(v[0] * 255.0);
      pix[3 * i + 1] = (unsigned char)lround(v[1] * 255.0);
      pix[3 * i + 2] = (unsigned char)lround(v[0] * 255.0);
    } else {
      for (c = 0; c < 3; c++) pix[3 * i + (size_t)c] = (unsigned char)lround(v[c] * 255.0);
    }
  }
  recolor_annotations(doc, pix, img->width, img->height, och);
  outline_layers(doc);
  st = encode_png(ctx, pix, img->width, img->height, och, &png, &pnglen);
  free(pix);
  if (st) return st;
  free(doc->underlay_png);
  doc->underlay_png = png;
  doc->underlay_len = pnglen;
  doc->window_lo = lo * scale;
  doc->window_hi = hi * scale;
  doc->gamma = gamma;
  ft__log(ctx, FT_LOG_INFO, "underlay: display window %g to %g%s", doc->window_lo,
          doc->window_hi, magenta_green ? ", two channels as magenta/green" : "");
  return ft__style_describe(ctx, doc);
}
