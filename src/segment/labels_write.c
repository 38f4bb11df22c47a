/* src/segment/labels_write.c - the instance label image (16-bit PNG or TIFF).
 *
 * Quantification tools (Fiji, CellProfiler, scikit-image regionprops) read
 * an instance segmentation as an integer image whose pixel value is the
 * object's label.  This writes ft_labels that way, 16 bits per pixel, gray:
 * PNG through libpng (big-endian samples, as the PNG specification says) or
 * TIFF through libtiff (deflate, one strip per 64 rows).  The image goes to
 * a temporary file beside the target (mkstemp) that is renamed over the
 * target once complete, so readers never see a partial file.
 */
#include "config.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>

#include "segment/nn_internal.h"

/* The process umask, read without changing it where Linux allows
 * (/proc/self/status "Umask:"), elsewhere by setting and restoring it. */
static mode_t current_umask(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[128];
  unsigned m;
  mode_t old;
  if (f) {
    while (fgets(line, sizeof line, f))
      if (sscanf(line, "Umask: %o", &m) == 1) {
        fclose(f);
        return (mode_t)(m & 0777);
      }
    fclose(f);
  }
  old = umask(022);
  umask(old);
  return old;
}

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

static void png_on_warning(png_structp png, png_const_charp msg) {}

static ft_status write_png(ft_ctx *ctx, const ft_labels *lab, FILE *f, const char *path) {
  png_structp png;
  png_infop info = NULL;
  png_err err;
  unsigned char *row = NULL;
  int x, y;
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
  png_init_io(png, f);
  png_set_IHDR(png, info, (png_uint_32)lab->width, (png_uint_32)lab->height, 16,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (y = 0; y < lab->height; y++) {
    const int32_t *src = lab->label + (size_t)y * lab->width;
    for (x = 0; x < lab->width; x++) {
      row[2 * x] = (unsigned char)(src[x] >> 8);
      row[2 * x + 1] = (unsigned char)(src[x] & 0xff);
    }
    png_write_row(png, row);
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  free(row);
  return FT_OK;
}

static ft_status write_tiff(ft_ctx *ctx, const ft_labels *lab, int fd, const char *path) {
  TIFF *t;
  uint16_t *row;
  int x, y, ok = 1;
  TIFFSetErrorHandler(NULL);
  TIFFSetWarningHandler(NULL);
  t = TIFFFdOpen(fd, path, "w");
  if (!t) return ft__fail(ctx, FT_ERR_IO, "labels: %s: cannot open TIFF for writing", path);
  row = ft__malloc_n((size_t)lab->width, sizeof *row);
  if (!row) {
    TIFFCleanup(t);
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
    const int32_t *src = lab->label + (size_t)y * lab->width;
    for (x = 0; x < lab->width; x++) row[x] = (uint16_t)src[x];
    ok = TIFFWriteScanline(t, row, (uint32_t)y, 0) == 1;
  }
  free(row);
  if (ok) ok = TIFFFlush(t) == 1;
  /* TIFFCleanup frees the handle without closing fd, which the caller owns. */
  TIFFCleanup(t);
  return ok ? FT_OK : ft__fail(ctx, FT_ERR_IO, "labels: %s: TIFF write failed", path);
}

ft_status ft_labels_write(ft_ctx *ctx, const ft_labels *lab, const char *path) {
  int png, fd = -1, i;
  size_t n;
  char *tmp = NULL;
  FILE *f = NULL;
  ft_status st;
  if (!lab || !lab->label || !path || !*path)
    return ft__fail(ctx, FT_ERR_INVAL, "labels: no labels or no path");
  png = has_ext(path, ".png");
  if (!png && !has_ext(path, ".tif") && !has_ext(path, ".tiff"))
    return ft__fail(ctx, FT_ERR_INVAL, "labels: %s: name must end in .png, .tif or .tiff", path);
  if (lab->nlabels - 1 > 65535) {
    for (i = 0, n = (size_t)lab->width * lab->height; (size_t)i < n; i++)
      if (lab->label[i] > 65535)
        return ft__fail(ctx, FT_ERR_UNSUPPORTED,
                        "labels: %s: %d labels do not fit a 16-bit image", path,
                        lab->nlabels - 1);
  }
  n = strlen(path);
  tmp = malloc(n + 8);
  if (!tmp) return ft__nomem(ctx, "labels");
  memcpy(tmp, path, n);
  memcpy(tmp + n, ".XXXXXX", 8);
  fd = mkstemp(tmp);
  if (fd < 0) {
    st = ft__fail(ctx, FT_ERR_IO, "labels: %s: %s", path, strerror(errno));
    free(tmp);
    return st;
  }
  /* mkstemp makes 0600; give the file the mode a plain creat() would. */
  (void)fchmod(fd, 0644 & ~current_umask());
  if (png) {
    f = fdopen(fd, "wb");
    if (!f) {
      st = ft__fail(ctx, FT_ERR_IO, "labels: %s: %s", path, strerror(errno));
      close(fd);
      goto fail;
    }
    st = write_png(ctx, lab, f, path);
    if (fclose(f) != 0 && st == FT_OK)
      st = ft__fail(ctx, FT_ERR_IO, "labels: %s: %s", path, strerror(errno));
  } else {
    st = write_tiff(ctx, lab, fd, path);
    if (close(fd) != 0 && st == FT_OK)
      st = ft__fail(ctx, FT_ERR_IO, "labels: %s: %s", path, strerror(errno));
  }
  if (st) goto fail;
  if (rename(tmp, path) != 0) {
    st = ft__fail(ctx, FT_ERR_IO, "labels: %s: %s", path, strerror(errno));
    goto fail;
  }
  free(tmp);
  return FT_OK;
fail:
  unlink(tmp);
  free(tmp);
  return st;
}
