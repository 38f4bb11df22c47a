/* src/io/read.c - reading rasters: format detection, dispatch, streams.
 *
 * The format is taken from the first bytes (the signatures of PNG [ISO/IEC
 * 15948 Sec. 5.2], JPEG [ITU-T T.81 B.1.1.2, SOI followed by a marker], TIFF
 * [TIFF 6.0 Sec. 2, "II*\0"/"MM\0*", and BigTIFF "II+\0"/"MM\0+"] and Netpbm
 * ("P1".."P7" followed by white space)), never from a file name.  Every input
 * is read completely into memory first, so pipes and sockets behave like
 * files, and then decoded by the reader the signature selects; a binary
 * 8-bit PNM read compact keeps that buffer as its pixels (no second buffer
 * whose every page faults in when the samples are copied).  The size
 * guard (max_pixels, FT_MAX_DIMENSION) lives here and every reader calls it
 * on the header's dimensions before allocating any pixel memory.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/internal.h"

static const ft_read_params read_defaults = {
    .max_pixels = (uint64_t)1 << 30,
    .page = 0,
    .compact = 0,
};

void ft_read_params_init(ft_read_params *p) {
  if (p) *p = read_defaults;
}

static int pnm_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

ft_format ft_format_detect(const void *data, size_t len) {
  const unsigned char *b = data;
  if (!b) return FT_FORMAT_UNKNOWN;
  if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) return FT_FORMAT_PNG;
  if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return FT_FORMAT_JPEG;
  if (len >= 4 && ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0) ||
                   (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43))))
    return FT_FORMAT_TIFF;
  if (len >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7' && pnm_space(b[2]))
    return FT_FORMAT_PNM;
  return FT_FORMAT_UNKNOWN;
}

const char *ft_format_name(ft_format f) {
  switch (f) {
    case FT_FORMAT_PNG: return "png";
    case FT_FORMAT_JPEG: return "jpeg";
    case FT_FORMAT_TIFF: return "tiff";
    case FT_FORMAT_PNM: return "pnm";
    default: return "unknown";
  }
}

/* The name used in messages: "stdin" for "-", "input" when none was given. */
static const char *display_name(const char *name) {
  if (!name) return "input";
  if (strcmp(name, "-") == 0) return "stdin";
  return name;
}

ft_status ft__read_check_size(ft_ctx *ctx, const char *name, const char *dom, uint64_t width,
                              uint64_t height, const ft_read_params *p) {
  if (width == 0 || height == 0)
    return ft__fail(ctx, FT_ERR_FORMAT, "%s: %s: image has zero size (%" PRIu64 "x%" PRIu64 ")",
                    name, dom, width, height);
  if (width > FT_MAX_DIMENSION || height > FT_MAX_DIMENSION)
    return ft__fail(ctx, FT_ERR_TOOBIG,
                    "%s: %s: %" PRIu64 "x%" PRIu64 " exceeds the largest side of %d pixels", name,
                    dom, width, height, FT_MAX_DIMENSION);
  /* both sides are below 2^24, so the product fits in 64 bits */
  if (p->max_pixels && width * height > p->max_pixels)
    return ft__fail(ctx, FT_ERR_TOOBIG,
                    "%s: %s: %" PRIu64 "x%" PRIu64 " is %" PRIu64
                    " pixels, above the limit of %" PRIu64 " (max_pixels)",
                    name, dom, width, height, width * height, p->max_pixels);
  return FT_OK;
}

ft_status ft__read_new_image(ft_ctx *ctx, const char *name, const char *dom, int width,
                             int height, int channels, int flags, ft_image **out) {
  ft_status st = ft__image_alloc(ctx, width, height, channels,
                                 flags & FT__READ_COMPACT ? FT_STORAGE_U8 : FT_STORAGE_FLOAT,
                                 !(flags & FT__READ_FILLED), out);
  if (st == FT_ERR_NOMEM)
    return ft__fail(ctx, st, "%s: %s: out of memory for %dx%d pixels", name, dom, width, height);
  if (st) return ft__fail(ctx, st, "%s: %s: cannot make a %dx%d image with %d channels", name,
                          dom, width, height, channels);
  return FT_OK;
}

/* Where stored pixel (x, y) of a w x h image lands in the displayed image for
 * each orientation (TIFF 6.0 Orientation; EXIF 2.3 Sec. 4.6.4). */
static void orient_xy(int o, int x, int y, int w, int h, int *ox, int *oy) {
  switch (o) {
    case 2: *ox = w - 1 - x; *oy = y; break;          /* mirror left-right */
    case 3: *ox = w - 1 - x; *oy = h - 1 - y; break;  /* rotate 180 */
    case 4: *ox = x; *oy = h - 1 - y; break;          /* mirror top-bottom */
    case 5: *ox = y; *oy = x; break;                  /* transpose */
    case 6: *ox = h - 1 - y; *oy = x; break;          /* rotate 90 clockwise */
    case 7: *ox = h - 1 - y; *oy = w - 1 - x; break;  /* transverse */
    case 8: *ox = y; *oy = w - 1 - x; break;          /* rotate 90 counter-clockwise */
    default: *ox = x; *oy = y; break;
  }
}

ft_status ft__read_orient(ft_ctx *ctx, const char *name, const char *dom, ft_image **img,
                          int orientation) {
  const ft_image *in = *img;
  ft_image *o;
  int x, y, c, ch = in->channels, swap = orientation >= 5 && orientation <= 8;
  ft_status st;
  if (orientation < 2 || orientation > 8) return FT_OK;
  st = ft__read_new_image(ctx, name, dom, swap ? in->height : in->width,
                          swap ? in->width : in->height, ch, 0, &o);
  if (st) return st;
  for (y = 0; y < in->height; y++)
    for (x = 0; x < in->width; x++) {
      int ox, oy;
      const float *s = in->data + ((size_t)y * in->width + x) * ch;
      float *d;
      orient_xy(orientation, x, y, in->width, in->height, &ox, &oy);
      d = o->data + ((size_t)oy * o->width + ox) * ch;
      for (c = 0; c < ch; c++) d[c] = s[c];
    }
  o->bit_depth = in->bit_depth;
  o->pixel_w = swap ? in->pixel_h : in->pixel_w;
  o->pixel_h = swap ? in->pixel_w : in->pixel_h;
  ft_image_free(*img);
  *img = o;
  return FT_OK;
}

/* ft_read_memory; own, when not NULL, is the address of the malloc'ed buffer
 * holding data, which the PNM reader may take (see ft__read_pnm_own). */
static ft_status read_buffer(ft_ctx *ctx, const void *data, size_t len, const char *name,
                             const ft_read_params *p, unsigned char **own, ft_image **out) {
  ft_read_params defaults;
  const char *dn = display_name(name);
  ft_format f;
  ft__reader rd;
  ft_image *img = NULL;
  ft_status st;
  if (!out) return ft__fail(ctx, FT_ERR_INVAL, "%s: read: no place for the result", dn);
  *out = NULL;
  if (!p) {
    ft_read_params_init(&defaults);
    p = &defaults;
  }
  if (p->page < 0)
    return ft__fail(ctx, FT_ERR_INVAL, "%s: read: page %d is negative", dn, p->page);
  if (!data || len == 0) return ft__fail(ctx, FT_ERR_FORMAT, "%s: empty input", dn);
  f = ft_format_detect(data, len);
  switch (f) {
    case FT_FORMAT_PNG: rd = ft__read_png; break;
    case FT_FORMAT_JPEG: rd = ft__read_jpeg; break;
    case FT_FORMAT_TIFF: rd = ft__read_tiff; break;
    case FT_FORMAT_PNM: rd = ft__read_pnm; break;
    default:
      return ft__fail(ctx, FT_ERR_FORMAT, "%s: not a PNG, JPEG, TIFF or PNM image", dn);
  }
  /* Only TIFF holds several pages; the others have exactly one. */
  if (f != FT_FORMAT_TIFF && p->page != 0)
    return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: page %d requested but the file has 1 page", dn,
                    ft_format_name(f), p->page);
  st = own && f == FT_FORMAT_PNM ? ft__read_pnm_own(ctx, own, len, dn, p, &img)
                                 : rd(ctx, data, len, dn, p, &img);
  if (st) return st;
  if (name && (st = ft_image_set_name(ctx, img, name))) {
    ft_image_free(img);
    return ft__fail(ctx, st, "%s: read: out of memory", dn);
  }
  *out = img;
  return FT_OK;
}

ft_status ft_read_memory(ft_ctx *ctx, const void *data, size_t len, const char *name,
                         const ft_read_params *p, ft_image **out) {
  return read_buffer(ctx, data, len, name, p, NULL, out);
}

/* The whole stream into memory, then decoded.  hint, when not 0, is the
 * expected size (a regular file's): the buffer starts one byte larger, so
 * that a file read whole needs neither a second buffer nor a copy. */
static ft_status read_stream(ft_ctx *ctx, FILE *fp, const char *name, const ft_read_params *p,
                             size_t hint, ft_image **out) {
  const char *dn = display_name(name);
  unsigned char *buf = NULL;
  size_t len = 0, cap = 0;
  ft_status st;
  if (!out) return ft__fail(ctx, FT_ERR_INVAL, "%s: read: no place for the result", dn);
  *out = NULL;
  if (!fp) return ft__fail(ctx, FT_ERR_INVAL, "%s: read: no stream", dn);
  errno = 0;
  for (;;) {
    size_t got;
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : (hint && hint < SIZE_MAX ? hint + 1 : 65536);
      unsigned char *nb;
      if (ncap < cap) {
        free(buf);
        return ft__fail(ctx, FT_ERR_TOOBIG, "%s: read: input too large", dn);
      }
      /* the first buffer, when large, in huge pages (ft__malloc_n) */
      nb = buf ? realloc(buf, ncap) : ft__malloc_n(ncap, 1);
      if (!nb) {
        free(buf);
        return ft__fail(ctx, FT_ERR_NOMEM, "%s: read: out of memory after %zu bytes", dn, len);
      }
      buf = nb;
      cap = ncap;
    }
    got = fread(buf + len, 1, cap - len, fp);
    len += got;
    if (ferror(fp)) {
      int e = errno;
      free(buf);
      return ft__fail(ctx, FT_ERR_IO, "%s: read error: %s", dn, e ? strerror(e) : "stream error");
    }
    if (got == 0 || feof(fp)) break;
  }
  st = read_buffer(ctx, buf, len, name, p, &buf, out);
  free(buf);
  return st;
}

ft_status ft_read_stream(ft_ctx *ctx, FILE *fp, const char *name, const ft_read_params *p,
                         ft_image **out) {
  return read_stream(ctx, fp, name, p, 0, out);
}

ft_status ft_read_file(ft_ctx *ctx, const char *path, const ft_read_params *p, ft_image **out) {
  FILE *fp;
  ft_status st;
  if (!out) return ft__fail(ctx, FT_ERR_INVAL, "read: no place for the result");
  *out = NULL;
  if (!path) return ft__fail(ctx, FT_ERR_INVAL, "read: no file name");
  if (strcmp(path, "-") == 0) return ft_read_stream(ctx, stdin, path, p, out);
  errno = 0;
  fp = fopen(path, "rb");
  if (!fp) return ft__fail(ctx, FT_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
  {
    struct stat sb;
    size_t hint = 0;
    if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (uintmax_t)sb.st_size < (uintmax_t)SIZE_MAX / 2)
      hint = (size_t)sb.st_size;
    st = read_stream(ctx, fp, path, p, hint, out);
  }
  fclose(fp);
  return st;
}
