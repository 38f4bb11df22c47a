/* src/segment/labels_write.c - the instance label image (16-bit PNG or TIFF).
 *
 * Quantification tools (Fiji, CellProfiler, scikit-image regionprops) read
 * an instance segmentation as an integer image whose pixel value is the
 * object's label.  This writes ft_labels that way, 16 bits per pixel, gray:
 * PNG through libpng (big-endian samples, as the PNG specification says) or
 * TIFF through libtiff (deflate, one strip per 64 rows).  Bytes go to an
 * ft_sink from ft_sink_open_file(), which writes a temporary file beside the
 * target and renames it only when complete, so readers never see a partial
 * file.  libtiff needs to seek while writing, so a TIFF is assembled in
 * memory first (a label image compresses to a small fraction of its size).
 */
#include "config.h"

#include "dl/png.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dl/tiff.h"
#include "write/tiffmem.h"
#include "segment/nn_internal.h"

static int has_ext(const char *path, const char *ext) {
  size_t n = strlen(path), m = strlen(ext);
  return n > m && strcasecmp(path + n - m, ext) == 0;
}

/* libpng reports errors through longjmp; the message is kept here. */
typedef struct png_err {
  char msg[200];
} png_err;

static void png_on_error(png_structp png, png_const_charp msg) {
  png_err *e = png_get_error_ptr(png);
  snprintf(e->msg, sizeof e->msg, "%s", msg);
  png_longjmp(png, 1);
}

/* libpng output procedures over an ft_sink. */
static void png_to_sink(png_structp png, png_bytep data, size_t len) {
  ft_sink *sink = png_get_io_ptr(png);
  if (sink->write(sink->user, data, len) != 0) png_error(png, "write failed");
}

static void png_flush_none(png_structp png) {}

static void png_on_warning(png_structp png, png_const_charp msg) {}

static ft_status write_png(ft_ctx *ctx, const ft_labels *lab, ft_sink *sink, const char *path) {
  png_structp png;
  png_infop info = NULL;
  png_err err;
  unsigned char *row = NULL;
  int x, y;
  ft_status st;
  if ((st = ft__png_require(ctx))) return st;
  err.msg[0] = '\0';
  png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, png_on_error, png_on_warning);
  if (!png) return ft__nomem(ctx, "labels");
  info = png_create_info_struct(png);
  row = ft__malloc_n((size_t)lab->width, 2);
  if (!info || !row) {
    png_destroy_write_struct(&png, info ? &info : NULL);
    free(row);
    return ft__nomem(ctx, "labels");
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    free(row);
    return ft__fail(ctx, FT_ERR_IO, "labels: %s: png: %s", path, err.msg);
  }
  png_set_write_fn(png, sink, png_to_sink, png_flush_none);
  png_set_IHDR(png, info, (png_uint_32)lab->width, (png_uint_32)lab->height, 16,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (y = 0; y < lab->height; y++) {
    size_t o = (size_t)y * lab->width;
    for (x = 0; x < lab->width; x++) {
      int32_t v = ft_labels_get(lab, o + (size_t)x);
      row[2 * x] = (unsigned char)(v >> 8);
      row[2 * x + 1] = (unsigned char)(v & 0xff);
    }
    png_write_row(png, row);
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  free(row);
  return FT_OK;
}

static ft_status write_tiff(ft_ctx *ctx, const ft_labels *lab, ft_sink *sink, const char *path) {
  ft__tiffmem m;
  TIFF *t;
  uint16_t *row;
  int x, y, ok;
  ft_status st = FT_OK;
  if ((st = ft__tiff_require(ctx))) return st;
  if (!(t = ft__tiffmem_open(&m, path)))
    return ft__fail(ctx, FT_ERR_IO, "labels: %s: tiff: %s", path, m.msg);
  row = ft__malloc_n((size_t)lab->width, sizeof *row);
  if (!row) {
    TIFFClose(t);
    ft__tiffmem_free(&m);
    return ft__nomem(ctx, "labels");
  }
  ok = TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)lab->width) &&
       TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)lab->height) &&
       TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 16) && TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1) &&
       TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT) &&
       TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK) &&
       TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) &&
       TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE) &&
       TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 64);
  if (ok && lab->pixel_w > 0 && lab->pixel_h > 0)
    ok = TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_CENTIMETER) &&
         TIFFSetField(t, TIFFTAG_XRESOLUTION, (float)(1e4 / lab->pixel_w)) &&
         TIFFSetField(t, TIFFTAG_YRESOLUTION, (float)(1e4 / lab->pixel_h));
  for (y = 0; ok && y < lab->height; y++) {
    size_t o = (size_t)y * lab->width;
    for (x = 0; x < lab->width; x++) row[x] = (uint16_t)ft_labels_get(lab, o + (size_t)x);
    ok = TIFFWriteScanline(t, row, (uint32_t)y, 0) == 1;
  }
  free(row);
  if (ok) ok = TIFFFlush(t) == 1;
  TIFFClose(t);
  if (!ok)
    st = ft__fail(ctx, FT_ERR_IO, "labels: %s: tiff: %s", path,
                  m.msg[0] ? m.msg : "write failed");
  else if (sink->write(sink->user, m.buf, m.len) != 0)
    st = ft__fail(ctx, FT_ERR_IO, "labels: %s: write failed", path);
  ft__tiffmem_free(&m);
  return st;
}

ft_status ft_labels_write(ft_ctx *ctx, const ft_labels *lab, const char *path) {
  int png;
  size_t i, n;
  ft_sink *sink = NULL;
  ft_status st, cst;
  if (!lab || (!lab->label && !lab->label8) || !path || !*path)
    return ft__fail(ctx, FT_ERR_INVAL, "labels: no labels or no path");
  png = has_ext(path, ".png");
  if (!png && !has_ext(path, ".tif") && !has_ext(path, ".tiff"))
    return ft__fail(ctx, FT_ERR_INVAL, "labels: %s: name must end in .png, .tif or .tiff", path);
  if (lab->nlabels - 1 > 65535) {
    for (i = 0, n = (size_t)lab->width * lab->height; i < n; i++)
      if (lab->label[i] > 65535)
        return ft__fail(ctx, FT_ERR_UNSUPPORTED,
                        "labels: %s: %d labels do not fit a 16-bit image", path,
                        lab->nlabels - 1);
  }
  if ((st = ft_sink_open_file(ctx, path, &sink))) return st;
  st = png ? write_png(ctx, lab, sink, path) : write_tiff(ctx, lab, sink, path);
  /* The temporary is renamed onto path only when the image is complete. */
  cst = ft_sink_close(ctx, sink, st == FT_OK);
  return st ? st : cst;
}
