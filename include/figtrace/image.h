/* figtrace/image.h - ft_image, the raster value that flows from read to segment.
 *
 * Samples are float32 in [0,1], interleaved, rows top to bottom, no padding:
 * sample c of pixel (x, y) is data[((size_t)y * width + x) * channels + c].
 * Alpha, when present, is straight (not premultiplied).
 */
#ifndef FIGTRACE_IMAGE_H
#define FIGTRACE_IMAGE_H

#include "figtrace/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Hard limit on either side, whatever --max-pixels says (2^24 = 16 777 216). */
#define FT_MAX_DIMENSION (1 << 24)

typedef struct ft_image {
  int width, height; /* pixels, both >= 1 */
  int channels;      /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
  int bit_depth;     /* bits per sample in the source: 1, 2, 4, 8, 16 or 32 (float) */
  double pixel_w;    /* physical pixel width in micrometres; 0 when unknown */
  double pixel_h;    /* physical pixel height in micrometres; 0 when unknown */
  float *data;       /* [height][width][channels], values in [0,1] */
  char *name;        /* source name for messages ("-" for stdin); may be NULL */
} ft_image;

/* A new zero-filled image (bit_depth 8, no pixel size, no name).  Fails with
 * FT_ERR_INVAL for bad sizes or channel counts, FT_ERR_TOOBIG when
 * width*height*channels does not fit in memory arithmetic.
 * OUT: *out, caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_image_new(ft_ctx *ctx, int width, int height, int channels,
                                           ft_image **out);
FT_API void ft_image_free(ft_image *img);

/* A deep copy of in, metadata and name included.  OUT: caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_image_copy(ft_ctx *ctx, const ft_image *in, ft_image **out);

/* Replace the image's name with a copy of name (NULL clears it). */
FT_API FT_USERESULT ft_status ft_image_set_name(ft_ctx *ctx, ft_image *img, const char *name);

/* Luminance of in as a one-channel image.  RGB uses Rec. 709 weights on the
 * stored values; alpha is composited onto white, so transparent areas read as
 * background.  Metadata is carried over.  OUT: caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_image_to_gray(ft_ctx *ctx, const ft_image *in, ft_image **out);

#ifdef __cplusplus
}
#endif
#endif
