/* figtrace/image.h - ft_image, the raster value that flows from read to segment.
 *
 * Samples are interleaved, rows top to bottom, no padding: sample c of pixel
 * (x, y) has index ((size_t)y * width + x) * channels + c.  They are stored
 * one of two ways (ft_image.storage):
 *   FT_STORAGE_FLOAT  float32 in [0,1] in data (data8 is NULL): the general
 *                     form every stage reads;
 *   FT_STORAGE_U8     one byte per sample in data8 (data is NULL), byte v
 *                     standing for exactly the float v / 255.0f: a compact
 *                     form for sources of at most 8 bits, a quarter of the
 *                     memory.  Readers give it only when asked
 *                     (ft_read_params.compact, set by ft_options_init).
 * ft_image_sample() reads either.  Taking either storage: ft_image_copy
 * (keeps it), ft_image_to_gray and ft_image_to_float (give float),
 * ft_segment (every method; k-means on a float copy), ft_adaptive_threshold,
 * ft_adaptive_threshold_map, ft_hysteresis_threshold, ft_denoise and
 * ft_denoise_filter_apply (on a float copy), the pipeline (ft_pipeline_run*:
 * the U-Net and the underlay get a float copy) and the preview's underlay.
 * Needing FT_STORAGE_FLOAT, failing with FT_ERR_INVAL otherwise (convert
 * first with ft_image_to_float): the single denoise filters (ft_median ...
 * ft_normalize), ft_segment_kmeans, ft_segment_unet, ft_model_run and
 * ft_style_underlay; ft_estimate_object_diameter returns 0.
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

/* How an image holds its samples; see the file comment. */
typedef enum ft_storage {
  FT_STORAGE_FLOAT = 0, /* float *data */
  FT_STORAGE_U8 = 1     /* uint8_t *data8, v meaning v / 255.0f */
} ft_storage;

typedef struct ft_image {
  int width, height; /* pixels, both >= 1 */
  int channels;      /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
  int bit_depth;     /* bits per sample in the source: 1, 2, 4, 8, 16 or 32 (float) */
  double pixel_w;    /* physical pixel width in micrometres; 0 when unknown */
  double pixel_h;    /* physical pixel height in micrometres; 0 when unknown */
  float *data;       /* FT_STORAGE_FLOAT: [height][width][channels], values in [0,1];
                        NULL for FT_STORAGE_U8 */
  char *name;        /* source name for messages ("-" for stdin); may be NULL */
  int storage;       /* ft_storage; FT_STORAGE_FLOAT unless made compact */
  uint8_t *data8;    /* FT_STORAGE_U8: [height][width][channels]; NULL for FT_STORAGE_FLOAT */
} ft_image;

/* Sample i (index as in the file comment) of img as a float in [0,1],
 * whatever the storage. */
static inline float ft_image_sample(const ft_image *img, size_t i) {
  return img->data8 ? (float)img->data8[i] / 255.0f : img->data[i];
}

/* A new zero-filled image (bit_depth 8, no pixel size, no name).  Fails with
 * FT_ERR_INVAL for bad sizes or channel counts, FT_ERR_TOOBIG when
 * width*height*channels does not fit in memory arithmetic.
 * OUT: *out, caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_image_new(ft_ctx *ctx, int width, int height, int channels,
                                           ft_image **out);
FT_API void ft_image_free(ft_image *img);

/* The same as ft_image_new() but FT_STORAGE_U8: a zero-filled byte per
 * sample.  OUT: *out, caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_image_new_u8(ft_ctx *ctx, int width, int height, int channels,
                                              ft_image **out);

/* A deep copy of in (same storage), metadata and name included.
 * OUT: caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_image_copy(ft_ctx *ctx, const ft_image *in, ft_image **out);

/* A copy of in with FT_STORAGE_FLOAT samples (exactly ft_image_sample's
 * values), metadata and name included.  OUT: caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_image_to_float(ft_ctx *ctx, const ft_image *in, ft_image **out);

/* Replace the image's name with a copy of name (NULL clears it). */
FT_API FT_USERESULT ft_status ft_image_set_name(ft_ctx *ctx, ft_image *img, const char *name);

/* Luminance of in as a one-channel image.  RGB uses Rec. 709 weights on the
 * stored values; alpha is composited onto white, so transparent areas read as
 * background.  Any storage in, FT_STORAGE_FLOAT out.  Metadata is carried
 * over.  OUT: caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_image_to_gray(ft_ctx *ctx, const ft_image *in, ft_image **out);

#ifdef __cplusplus
}
#endif
#endif
