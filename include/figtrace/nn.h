/* figtrace/nn.h - the U-Net inference engine: model files and the forward pass.
 *
 * A model is a U-Net stored in the safetensors format: an 8-byte little-endian
 * header length, a JSON header naming every tensor (dtype, shape, byte range)
 * plus a "__metadata__" object that describes the architecture, then the raw
 * little-endian float32 data.  tools/train/unet.py defines the same network in
 * PyTorch and writes such files.  Batch normalisation is stored as PyTorch keeps
 * it and folded into the convolution weights when the model is loaded.
 *
 * ft_model_run() normalises the image as the model's metadata asks, runs the
 * network on overlapping tiles (in parallel, in bounded memory, with no seams)
 * and returns per-pixel class probabilities.  Looking models up by a shipped
 * name (models/ directory) is left to the segment stage.
 */
#ifndef FIGTRACE_NN_H
#define FIGTRACE_NN_H

#include "figtrace/common.h"
#include "figtrace/image.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A dense float32 tensor in n, c, h, w order (planar, rows top to bottom):
 * element (n, c, y, x) is data[((n * c_count + c) * h + y) * w + x]. */
typedef struct ft_tensor {
  int n, c, h, w; /* all >= 1 */
  float *data;    /* [n][c][h][w], owned by the tensor */
} ft_tensor;

/* A new zero-filled tensor; FT_ERR_INVAL for sizes < 1, FT_ERR_TOOBIG when the
 * element count overflows.  OUT: *out, caller frees with ft_tensor_free(). */
FT_API FT_USERESULT ft_status ft_tensor_new(ft_ctx *ctx, int n, int c, int h, int w,
                                            ft_tensor **out);
FT_API void ft_tensor_free(ft_tensor *t);

/* A loaded model (opaque).  It is read-only once loaded, so one model may be
 * run from several threads at once, each with its own ctx. */
typedef struct ft_model ft_model;

/* Up-sampling in the decoder. */
typedef enum ft_upsample_kind {
  FT_UPSAMPLE_TRANSPOSE = 0, /* 2x2 stride-2 transposed convolution ("transpose") */
  FT_UPSAMPLE_NEAREST = 1    /* 1x1 convolution then nearest 2x ("nearest") */
} ft_upsample_kind;

/* The architecture and input conventions read from a model's metadata. */
typedef struct ft_model_info {
  int depth;          /* number of 2x2 poolings, 1..6 */
  int base_channels;  /* channels at full resolution, 1..1024; level l has base << l */
  int in_channels;    /* input channels, 1..4 */
  int classes;        /* output channels, 1..64; 1 = sigmoid, otherwise softmax */
  int upsample;       /* ft_upsample_kind */
  int batch_norm;     /* 1 when convolutions were followed by batch norm (folded at load) */
  int input_percentile; /* 1: input scaled so percentiles (norm_low, norm_high) map to 0, 1 */
  double norm_low, norm_high; /* percentiles in [0,100] used when input_percentile is 1 */
  double object_size; /* typical object diameter in pixels at training scale; 0 unknown */
  double train_scale; /* scale the training images were resized by; 0 unknown */
  long long parameters; /* number of weights after folding */
  int receptive_radius; /* pixels each output depends on to either side (conservative) */
} ft_model_info;

/* Load a model file (read in one block).  Every structural problem - short
 * file, header length beyond the file, malformed JSON, dtype other than F32,
 * wrong shapes, missing tensors, unknown architecture - fails with
 * FT_ERR_MODEL and a message naming the file and the problem; FT_ERR_IO when
 * the file cannot be read.  OUT: *out, caller frees with ft_model_free(). */
FT_API FT_USERESULT ft_status ft_model_load(ft_ctx *ctx, const char *path, ft_model **out);

/* The same from len bytes at data (copied; data may be freed afterwards).
 * name (may be NULL) is used in messages.  OUT: caller frees with ft_model_free(). */
FT_API FT_USERESULT ft_status ft_model_load_memory(ft_ctx *ctx, const void *data, size_t len,
                                                   const char *name, ft_model **out);
FT_API void ft_model_free(ft_model *m);

/* Architecture of a loaded model; the pointer lives as long as the model. */
FT_API const ft_model_info *ft_model_get_info(const ft_model *m);

typedef struct ft_model_params {
  int tile;    /* largest tile side in pixels, margins included, 32..8192; 0 (default):
                * automatic, 1024 + two margins (at most 8192), so each tile keeps
                * 1024 px of its side whatever the model's margin (a 2048 px side
                * is two tiles).  Images up to the tile size (after padding to a
                * multiple of 2^depth) run as one tile. */
  int margin;  /* overlap kept on each side of a tile, in pixels; -1 (default) uses the
                * model's receptive radius rounded up to a multiple of 2^depth, which
                * makes tiled output equal to whole-image output up to rounding */
  int threads; /* worker threads; 0 (default) uses ft_ctx_threads(ctx) */
  int normalize; /* 1 (default): apply the model's input normalisation; 0: feed as is */
} ft_model_params;

/* Copy the defaults into p. */
FT_API void ft_model_params_init(ft_model_params *p);

/* Run the model on image (channels converted to the model's: gray from RGB by
 * ft_image_to_gray's weights, alpha dropped, gray replicated to RGB).  The
 * image is padded to a multiple of 2^depth by repeating its edge pixels.
 * params may be NULL (defaults).  Result: a tensor n=1, c=classes, h, w equal
 * to the image, holding probabilities (softmax over classes, or a sigmoid when
 * the model has one class).  Returns FT_ERR_INVAL for bad params,
 * FT_ERR_NOMEM, FT_ERR_CANCELLED when the progress callback stops it.
 * Threads: tiles run in parallel when there are at least as many tiles as
 * threads, otherwise each operator is split over the threads; OpenBLAS is
 * set to one thread for the duration of the call (a process-wide setting,
 * restored on return).  Progress is reported per finished tile.
 * OUT: *out, caller frees with ft_tensor_free(). */
FT_API FT_USERESULT ft_status ft_model_run(ft_ctx *ctx, const ft_model *m, const ft_image *image,
                                           const ft_model_params *params, ft_tensor **out);

/* Floating-point operations (2 per multiply-add) of one forward pass over a
 * height x width input (padded as ft_model_run pads it), without tile overlap. */
FT_API double ft_model_flops(const ft_model *m, int height, int width);

#ifdef __cplusplus
}
#endif
#endif
