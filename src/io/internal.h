/* src/io/internal.h - what the image readers share.
 *
 * read.c detects the format and hands the whole input, held in memory, to one
 * of the format readers below.  A reader decodes into a new ft_image (samples
 * scaled to [0,1], bit depth and physical pixel size filled in) and reports
 * every failure as "NAME: domain: problem", NAME being the display name that
 * read.c passes in ("stdin" for "-").  The image's own name is set by read.c.
 * Not installed; names use the ft__ prefix and are not exported.
 */
#ifndef FT_IO_INTERNAL_H
#define FT_IO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/internal.h"

/* Signature shared by the format readers.  data/len: the whole input (len >=
 * the magic bytes that selected the reader); name: display name for messages;
 * p: never NULL here.  OUT: *out, caller frees with ft_image_free(); left
 * NULL on failure with nothing leaked. */
typedef ft_status (*ft__reader)(ft_ctx *ctx, const unsigned char *data, size_t len,
                                const char *name, const ft_read_params *p, ft_image **out);

ft_status ft__read_png(ft_ctx *ctx, const unsigned char *data, size_t len, const char *name,
                       const ft_read_params *p, ft_image **out);
ft_status ft__read_jpeg(ft_ctx *ctx, const unsigned char *data, size_t len, const char *name,
                        const ft_read_params *p, ft_image **out);
ft_status ft__read_tiff(ft_ctx *ctx, const unsigned char *data, size_t len, const char *name,
                        const ft_read_params *p, ft_image **out);
ft_status ft__read_pnm(ft_ctx *ctx, const unsigned char *data, size_t len, const char *name,
                       const ft_read_params *p, ft_image **out);
/* ft__read_pnm on a malloc'ed buffer *buf of len bytes that the caller
 * frees afterwards: binary 8-bit samples of maxval 255 read compact take the
 * buffer itself as their pixels (no second buffer, no copy) and set *buf to
 * NULL.  Same results and errors as ft__read_pnm. */
ft_status ft__read_pnm_own(ft_ctx *ctx, unsigned char **buf, size_t len, const char *name,
                           const ft_read_params *p, ft_image **out);

/* Check the size a header declares before anything is allocated for pixels:
 * zero sides are FT_ERR_FORMAT, a side above FT_MAX_DIMENSION or
 * width*height above p->max_pixels (when non-zero) is FT_ERR_TOOBIG.  dom is
 * the reader's domain ("png"). */
ft_status ft__read_check_size(ft_ctx *ctx, const char *name, const char *dom, uint64_t width,
                              uint64_t height, const ft_read_params *p);

/* ft_image_new() (flags FT__READ_COMPACT: ft_image_new_u8()) with the
 * message rewritten as "NAME: dom: ...".  With FT__READ_FILLED the pixels
 * are not zeroed: the reader writes every sample or fails. */
#define FT__READ_COMPACT 1
#define FT__READ_FILLED 2
ft_status ft__read_new_image(ft_ctx *ctx, const char *name, const char *dom, int width,
                             int height, int channels, int flags, ft_image **out);

/* Apply an EXIF/TIFF orientation (1..8, as in TIFF 6.0 tag 274: 1 = rows top
 * to bottom, columns left to right; 6 = the stored image must be turned 90
 * degrees clockwise to display it; 8 = 90 degrees counter-clockwise, 2..5 and
 * 7 flips and transposes).  On success *img is replaced by the displayed
 * image (its pixel width and height swapped for 5..8); on failure *img is
 * left untouched and still owned by the caller.  Values outside 2..8 leave
 * the image as it is. */
ft_status ft__read_orient(ft_ctx *ctx, const char *name, const char *dom, ft_image **img,
                          int orientation);

/* Clamp v to [0,1]; NaN becomes 0. */
static inline float ft__unit(double v) {
  if (!(v > 0.0)) return 0.0f;
  if (v >= 1.0) return 1.0f;
  return (float)v;
}

#endif
