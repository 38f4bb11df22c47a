/* src/io/read_tiff.c - TIFF reader on libtiff, from memory.
 *
 * The buffer is opened with TIFFClientOpenExt() and read procedures over
 * memory; libtiff's errors and warnings go to per-open handlers
 * (TIFFOpenOptions, libtiff >= 4.5) that keep the first error message for
 * our own report, so nothing is printed and no global state is touched.
 *
 * Supported (TIFF 6.0 Sec. 4-8, 14, 18, 19): bilevel and gray 1/2/4/8/16-bit
 * unsigned, min-is-black and min-is-white; RGB 8/16-bit; YCbCr with JPEG
 * compression (decoded to RGB by libtiff's JPEG codec); palette 1..8-bit
 * (colour map values are 16-bit, so such images record bit_depth 16); 32-bit
 * IEEE float gray or RGB, clamped to [0,1] because ft_image holds [0,1]
 * (NaN reads as 0; scale such data to [0,1] before saving); any compression
 * libtiff was built with; strips or tiles; planar configuration contiguous
 * or separate.  An extra sample marked as associated or unassociated alpha
 * becomes the alpha channel (associated alpha is divided out, since ft_image
 * alpha is straight); unspecified extra samples are ignored.  The
 * Orientation tag is applied like EXIF's.
 *
 * Multi-page files: params->page picks the directory (0-based).
 *
 * Pixel size: XResolution/YResolution are pixels per ResolutionUnit (inch or
 * centimetre).  ImageJ writes its calibration as "unit=" in an
 * ImageDescription starting with "ImageJ=", with the resolution tags in
 * pixels per that unit; when such a unit is recognised (micron, um, µm, nm,
 * mm, cm, m, inch) it overrides ResolutionUnit.  ImageJ's "spacing=" is the
 * z step and has no place in a 2-D image; it is only logged.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dl/tiff.h"
#include "io/internal.h"

typedef struct tiff_src {
  const unsigned char *data;
  uint64_t len, pos;
  char err[512];
  int have_err;
  int damaged; /* a codec warned that the data is corrupt */
} tiff_src;

static tmsize_t t_read(thandle_t h, void *buf, tmsize_t n) {
  tiff_src *s = (tiff_src *)h;
  uint64_t avail = s->pos < s->len ? s->len - s->pos : 0;
  if (n <= 0) return 0;
  if ((uint64_t)n > avail) n = (tmsize_t)avail;
  memcpy(buf, s->data + s->pos, (size_t)n);
  s->pos += (uint64_t)n;
  return n;
}

static tmsize_t t_write(thandle_t h, void *buf, tmsize_t n) {
  (void)h;
  (void)buf;
  (void)n;
  return -1;
}

static toff_t t_seek(thandle_t h, toff_t off, int whence) {
  tiff_src *s = (tiff_src *)h;
  /* toff_t is unsigned; negative relative offsets wrap, which the unsigned
   * addition undoes. */
  switch (whence) {
    case SEEK_SET: s->pos = off; break;
    case SEEK_CUR: s->pos += off; break;
    case SEEK_END: s->pos = s->len + off; break;
    default: return (toff_t)-1;
  }
  return s->pos;
}

static int t_close(thandle_t h) {
  (void)h;
  return 0;
}

static toff_t t_size(thandle_t h) { return ((tiff_src *)h)->len; }

static int t_map(thandle_t h, void **base, toff_t *size) {
  (void)h;
  (void)base;
  (void)size;
  return 0;
}

static void t_unmap(thandle_t h, void *base, toff_t size) {
  (void)h;
  (void)base;
  (void)size;
}

static int t_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
  tiff_src *s = user;
  (void)tif;
  (void)module;
  if (!s->have_err) {
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    s->have_err = 1;
  }
  return 1;
}

/* Warnings are dropped, except those of libtiff's JPEG codec that mean the
 * compressed data is damaged (libjpeg reports a premature end or corrupt
 * entropy data as a warning and fills the rest with gray): those count as
 * errors, so damaged strips never read as half-gray images. */
static int t_warn(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
  tiff_src *s = user;
  char msg[512];
  (void)tif;
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (module && strcmp(module, "JPEGLib") == 0 &&
      (strstr(msg, "Premature end") || strstr(msg, "Corrupt JPEG data"))) {
    if (!s->have_err) {
      snprintf(s->err, sizeof s->err, "%s", msg);
      s->have_err = 1;
    }
    s->damaged = 1;
  }
  return 1;
}

/* How one directory's samples map onto the image being filled. */
typedef struct tdec {
  ft_image *img;
  int bps, is_float, spp, ncolor, alpha_s, min_is_white, palette;
  double maxv;
  const uint16_t *cmap[3];
} tdec;

/* Raw value of sample idx in a row: an integer count or a float. */
static double raw_sample(const unsigned char *row, size_t idx, int bps, int is_float) {
  if (is_float) {
    float f;
    memcpy(&f, row + 4 * idx, 4);
    return f;
  }
  switch (bps) {
    case 8: return row[idx];
    case 16: {
      uint16_t v;
      memcpy(&v, row + 2 * idx, 2);
      return v;
    }
    default: {
      size_t bit = idx * (size_t)bps;
      unsigned shift = 8u - (unsigned)bps - (unsigned)(bit & 7u);
      return (row[bit >> 3] >> shift) & ((1u << bps) - 1u);
    }
  }
}

/* Copy a decoded block (a strip or tile: bh rows of stride bytes) whose top
 * left pixel is (x0, y0) into the image.  plane is the sample held by the
 * block for planar-separate data, -1 for contiguous data. */
static void put_block(const tdec *t, const unsigned char *buf, size_t stride, uint32_t x0,
                      uint32_t y0, uint32_t bw, uint32_t bh, int plane) {
  ft_image *img = t->img;
  int ch = img->channels, s0 = plane < 0 ? 0 : plane, s1 = plane < 0 ? t->spp : plane + 1;
  uint32_t x, y;
  for (y = 0; y < bh; y++) {
    const unsigned char *row = buf + (size_t)y * stride;
    float *d = img->data + ((size_t)(y0 + y) * img->width + x0) * ch;
    for (x = 0; x < bw; x++, d += ch) {
      int s;
      for (s = s0; s < s1; s++) {
        size_t idx = plane < 0 ? (size_t)x * t->spp + s : x;
        double v;
        if (s >= t->ncolor && s != t->alpha_s) continue;
        v = raw_sample(row, idx, t->bps, t->is_float);
        if (t->palette) {
          size_t k = (size_t)v;
          d[0] = t->cmap[0][k] / 65535.0f;
          d[1] = t->cmap[1][k] / 65535.0f;
          d[2] = t->cmap[2][k] / 65535.0f;
          continue;
        }
        if (!t->is_float) v /= t->maxv;
        v = ft__unit(v);
        if (s == t->alpha_s) {
          d[ch - 1] = (float)v;
          continue;
        }
        d[s] = t->min_is_white ? 1.0f - (float)v : (float)v;
      }
    }
  }
}

/* Micrometres per ImageJ unit name, 0 when not a length unit we know. */
static double imagej_unit_um(const char *desc) {
  static const struct {
    const char *name;
    double um;
  } units[] = {
      {"micron", 1.0},  {"microns", 1.0}, {"um", 1.0},         {"\xc2\xb5m", 1.0},
      {"\xb5m", 1.0},   {"\xce\xbcm", 1.0}, {"\\u00B5m", 1.0}, {"\\u00b5m", 1.0},
      {"micrometer", 1.0}, {"nm", 1e-3},  {"nanometer", 1e-3}, {"mm", 1e3},
      {"cm", 1e4},      {"m", 1e6},       {"inch", 25400.0},
  };
  const char *u = NULL, *q;
  size_t n, i;
  for (q = desc; q && *q; q = strchr(q, '\n')) {
    if (*q == '\n') q++;
    if (strncmp(q, "unit=", 5) == 0) {
      u = q + 5;
      break;
    }
  }
  if (!u) return 0.0;
  n = strcspn(u, "\r\n");
  for (i = 0; i < sizeof units / sizeof units[0]; i++)
    if (strlen(units[i].name) == n && strncmp(u, units[i].name, n) == 0) return units[i].um;
  return 0.0;
}

static void pixel_size(ft_ctx *ctx, TIFF *tif, const char *name, ft_image *img) {
  float xr = 0.0f, yr = 0.0f;
  uint16_t ru = RESUNIT_INCH;
  char *desc = NULL;
  double um = 0.0;
  if (!TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xr) || !TIFFGetField(tif, TIFFTAG_YRESOLUTION, &yr))
    return;
  TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &ru);
  if (TIFFGetField(tif, TIFFTAG_IMAGEDESCRIPTION, &desc) && desc &&
      strncmp(desc, "ImageJ=", 7) == 0) {
    const char *sp = strstr(desc, "\nspacing=");
    um = imagej_unit_um(desc);
    if (sp) ft__log(ctx, FT_LOG_DEBUG, "%s: tiff: ImageJ z spacing %.*s ignored", name,
                    (int)strcspn(sp + 9, "\r\n"), sp + 9);
  }
  if (um == 0.0) um = ru == RESUNIT_INCH ? 25400.0 : ru == RESUNIT_CENTIMETER ? 10000.0 : 0.0;
  if (um > 0.0 && xr > 0.0f && yr > 0.0f && isfinite(xr) && isfinite(yr)) {
    img->pixel_w = um / xr;
    img->pixel_h = um / yr;
  }
}

static ft_status tiff_err(ft_ctx *ctx, const tiff_src *src, const char *name, const char *what) {
  return ft__fail(ctx, FT_ERR_FORMAT, "%s: tiff: %s", name, src->have_err ? src->err : what);
}

/* Decode the current directory. */
static ft_status decode_dir(ft_ctx *ctx, TIFF *tif, tiff_src *src, const char *name,
                            const ft_read_params *p, ft_image **out) {
  uint32_t w = 0, h = 0;
  uint16_t bps = 1, spp = 1, fmt = SAMPLEFORMAT_UINT, photo, planar = PLANARCONFIG_CONTIG;
  uint16_t orient = ORIENTATION_TOPLEFT, nextra = 0, *extra = NULL, compression = 1;
  tdec t;
  int channels, assoc = 0, nplanes, plane;
  unsigned char *buf = NULL;
  ft_image *img = NULL;
  ft_status st;

  if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h))
    return tiff_err(ctx, src, name, "missing image width or length");
  if ((st = ft__read_check_size(ctx, name, "tiff", w, h, p))) return st;
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &fmt);
  TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &orient);
  TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
  TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &nextra, &extra);
  if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo))
    photo = spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;

  memset(&t, 0, sizeof t);
  t.bps = bps;
  t.spp = spp;
  t.alpha_s = -1;
  if (fmt == SAMPLEFORMAT_IEEEFP) {
    if (bps != 32)
      return ft__fail(ctx, FT_ERR_UNSUPPORTED, "%s: tiff: %u-bit floating point not supported",
                      name, (unsigned)bps);
    t.is_float = 1;
  } else if (fmt == SAMPLEFORMAT_UINT || fmt == SAMPLEFORMAT_VOID) {
    if (bps != 1 && bps != 2 && bps != 4 && bps != 8 && bps != 16)
      return ft__fail(ctx, FT_ERR_UNSUPPORTED, "%s: tiff: %u-bit samples not supported", name,
                      (unsigned)bps);
    t.maxv = (double)((1u << bps) - 1u);
  } else {
    return ft__fail(ctx, FT_ERR_UNSUPPORTED, "%s: tiff: sample format %u (signed or complex) not supported", name,
                    (unsigned)fmt);
  }
  switch (photo) {
    case PHOTOMETRIC_MINISWHITE: t.min_is_white = 1; t.ncolor = 1; break;
    case PHOTOMETRIC_MINISBLACK: t.ncolor = 1; break;
    case PHOTOMETRIC_RGB: t.ncolor = 3; break;
    case PHOTOMETRIC_YCBCR:
      /* JPEG-compressed YCbCr (TIFF Technical Note 2): libjpeg converts to
       * RGB and upsamples when asked, and the strip and tile sizes follow. */
      if (compression != COMPRESSION_JPEG || bps != 8 || planar != PLANARCONFIG_CONTIG ||
          !TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB))
        return ft__fail(ctx, FT_ERR_UNSUPPORTED,
                        "%s: tiff: YCbCr is supported only with JPEG compression", name);
      t.ncolor = 3;
      break;
    case PHOTOMETRIC_PALETTE: {
      uint16_t *r, *g, *b;
      if (t.is_float || bps > 8)
        return ft__fail(ctx, FT_ERR_UNSUPPORTED, "%s: tiff: %u-bit palette not supported", name,
                        (unsigned)bps);
      if (!TIFFGetField(tif, TIFFTAG_COLORMAP, &r, &g, &b))
        return tiff_err(ctx, src, name, "palette image without a colour map");
      t.cmap[0] = r;
      t.cmap[1] = g;
      t.cmap[2] = b;
      t.palette = 1;
      t.ncolor = 1;
      break;
    }
    default:
      return ft__fail(ctx, FT_ERR_UNSUPPORTED,
                      "%s: tiff: photometric interpretation %u not supported (gray, RGB and "
                      "palette are)",
                      name, (unsigned)photo);
  }
  if (spp < t.ncolor)
    return ft__fail(ctx, FT_ERR_FORMAT, "%s: tiff: %u samples per pixel, %d needed", name,
                    (unsigned)spp, t.ncolor);
  if (spp > 16)
    return ft__fail(ctx, FT_ERR_UNSUPPORTED, "%s: tiff: %u samples per pixel not supported", name,
                    (unsigned)spp);
  if (spp > t.ncolor && nextra >= 1 && extra &&
      (extra[0] == EXTRASAMPLE_ASSOCALPHA || extra[0] == EXTRASAMPLE_UNASSALPHA)) {
    t.alpha_s = t.ncolor;
    assoc = extra[0] == EXTRASAMPLE_ASSOCALPHA;
  }
  channels = (t.palette ? 3 : t.ncolor) + (t.alpha_s >= 0);
  if ((st = ft__read_new_image(ctx, name, "tiff", (int)w, (int)h, channels, 0, &img))) return st;
  t.img = img;
  nplanes = planar == PLANARCONFIG_SEPARATE ? spp : 1;

  if (TIFFIsTiled(tif)) {
    uint32_t tw = 0, th = 0, tx, ty;
    tmsize_t tsz = TIFFTileSize(tif), trow = TIFFTileRowSize(tif);
    if (!TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw) || !TIFFGetField(tif, TIFFTAG_TILELENGTH, &th) ||
        tw == 0 || th == 0 || tsz <= 0 || trow <= 0) {
      st = tiff_err(ctx, src, name, "bad tile layout");
      goto fail;
    }
    if (!(buf = malloc((size_t)tsz))) goto nomem;
    for (plane = 0; plane < nplanes; plane++)
      for (ty = 0; ty < h; ty += th)
        for (tx = 0; tx < w; tx += tw) {
          tmsize_t n = TIFFReadTile(tif, buf, tx, ty, 0, (uint16_t)plane);
          if (n < 0 || (uint64_t)n < (uint64_t)trow * th || src->damaged) {
            st = tiff_err(ctx, src, name, "tile data is short");
            goto fail;
          }
          put_block(&t, buf, (size_t)trow, tx, ty, w - tx < tw ? w - tx : tw,
                    h - ty < th ? h - ty : th, nplanes > 1 ? plane : -1);
        }
  } else {
    uint32_t rps = 0, row;
    tmsize_t ssz = TIFFStripSize(tif), line = TIFFScanlineSize(tif);
    TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rps);
    if (rps == 0 || rps > h) rps = h;
    if (ssz <= 0 || line <= 0) {
      st = tiff_err(ctx, src, name, "bad strip layout");
      goto fail;
    }
    if (!(buf = malloc((size_t)ssz))) goto nomem;
    for (plane = 0; plane < nplanes; plane++)
      for (row = 0; row < h; row += rps) {
        uint32_t nrows = h - row < rps ? h - row : rps;
        tmsize_t n = TIFFReadEncodedStrip(tif, TIFFComputeStrip(tif, row, (uint16_t)plane), buf,
                                          ssz);
        if (n < 0 || (uint64_t)n < (uint64_t)line * nrows || src->damaged) {
          st = tiff_err(ctx, src, name, "strip data is short");
          goto fail;
        }
        put_block(&t, buf, (size_t)line, 0, row, w, nrows, nplanes > 1 ? plane : -1);
      }
  }
  free(buf);
  buf = NULL;

  if (assoc) {
    size_t i, n = (size_t)w * h;
    for (i = 0; i < n; i++) {
      float *d = img->data + i * channels, a = d[channels - 1];
      int c;
      for (c = 0; c < channels - 1; c++) d[c] = a > 0.0f ? ft__unit(d[c] / a) : 0.0f;
    }
  }
  img->bit_depth = t.palette ? 16 : bps;
  pixel_size(ctx, tif, name, img);
  if ((st = ft__read_orient(ctx, name, "tiff", &img, orient))) goto fail;
  *out = img;
  return FT_OK;
nomem:
  st = ft__fail(ctx, FT_ERR_NOMEM, "%s: tiff: out of memory", name);
fail:
  free(buf);
  ft_image_free(img);
  return st;
}

ft_status ft__read_tiff(ft_ctx *ctx, const unsigned char *data, size_t len, const char *name,
                        const ft_read_params *p, ft_image **out) {
  tiff_src src;
  TIFFOpenOptions *opts;
  TIFF *tif;
  tdir_t npages;
  ft_status st;

  *out = NULL;
  if ((st = ft__tiff_require(ctx))) return st;
  memset(&src, 0, sizeof src);
  src.data = data;
  src.len = len;
  opts = TIFFOpenOptionsAlloc();
  if (!opts) return ft__fail(ctx, FT_ERR_NOMEM, "%s: tiff: out of memory", name);
  TIFFOpenOptionsSetErrorHandlerExtR(opts, t_error, &src);
  TIFFOpenOptionsSetWarningHandlerExtR(opts, t_warn, &src);
  /* "m": no memory mapping; the procedures below already serve the buffer. */
  tif = TIFFClientOpenExt(name, "rm", (thandle_t)&src, t_read, t_write, t_seek, t_close, t_size,
                          t_map, t_unmap, opts);
  TIFFOpenOptionsFree(opts);
  if (!tif) return tiff_err(ctx, &src, name, "cannot read the header");
  npages = TIFFNumberOfDirectories(tif);
  if ((tdir_t)p->page >= npages || p->page < 0) {
    st = ft__fail(ctx, FT_ERR_INVAL, "%s: tiff: page %d requested but the file has %u page%s",
                  name, p->page, (unsigned)npages, npages == 1 ? "" : "s");
  } else if (p->page > 0 && !TIFFSetDirectory(tif, (tdir_t)p->page)) {
    st = tiff_err(ctx, &src, name, "cannot read the page's directory");
  } else {
    st = decode_dir(ctx, tif, &src, name, p, out);
  }
  TIFFClose(tif);
  return st;
}
