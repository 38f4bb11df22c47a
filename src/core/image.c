/* src/core/image.c - ft_image construction, copy, float and gray conversion.
 *
 * An image holds float samples or, in the compact FT_STORAGE_U8 form, one
 * byte per sample standing for v / 255.0f (figtrace/image.h).  The gray
 * conversion works a row at a time (ft__image_gray_row), so that ft_segment
 * can reduce a row to luminance without a full-size gray copy and still get
 * exactly the values ft_image_to_gray stores.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

/* Check the size and return the number of samples in *n. */
static ft_status check_size(ft_ctx *ctx, int width, int height, int channels, size_t elem,
                            size_t *n) {
  if (width < 1 || height < 1)
    return ft__fail(ctx, FT_ERR_INVAL, "image: size %dx%d is empty", width, height);
  if (channels < 1 || channels > 4)
    return ft__fail(ctx, FT_ERR_INVAL, "image: %d channels (1 to 4 allowed)", channels);
  if (width > FT_MAX_DIMENSION || height > FT_MAX_DIMENSION ||
      ft__mul_overflow((size_t)width, (size_t)height, n) ||
      ft__mul_overflow(*n, (size_t)channels, n) || *n > SIZE_MAX / elem)
    return ft__fail(ctx, FT_ERR_TOOBIG, "image: %dx%d is too large", width, height);
  return FT_OK;
}

ft_status ft__image_alloc(ft_ctx *ctx, int width, int height, int channels, int storage,
                          int zero, ft_image **out) {
  ft_image *img;
  size_t n = 0, elem = storage == FT_STORAGE_U8 ? 1 : sizeof(float);
  ft_status st;
  *out = NULL;
  if ((st = check_size(ctx, width, height, channels, elem, &n))) return st;
  img = calloc(1, sizeof *img);
  if (!img) return ft__nomem(ctx, "image");
  if (storage == FT_STORAGE_U8)
    img->data8 = zero ? ft__calloc_n(n, 1) : ft__malloc_n(n, 1);
  else
    img->data = zero ? ft__calloc_n(n, elem) : ft__malloc_n(n, elem);
  if (!img->data && !img->data8) {
    free(img);
    return ft__fail(ctx, FT_ERR_NOMEM, "image: out of memory for %dx%d", width, height);
  }
  img->width = width;
  img->height = height;
  img->channels = channels;
  img->bit_depth = 8;
  img->storage = storage;
  *out = img;
  return FT_OK;
}

ft_status ft_image_new(ft_ctx *ctx, int width, int height, int channels, ft_image **out) {
  return ft__image_alloc(ctx, width, height, channels, FT_STORAGE_FLOAT, 1, out);
}

ft_status ft_image_new_u8(ft_ctx *ctx, int width, int height, int channels, ft_image **out) {
  return ft__image_alloc(ctx, width, height, channels, FT_STORAGE_U8, 1, out);
}

void ft_image_free(ft_image *img) {
  if (!img) return;
  free(img->data);
  free(img->data8);
  free(img->name);
  free(img);
}

ft_status ft_image_set_name(ft_ctx *ctx, ft_image *img, const char *name) {
  char *d = ft__strdup(name);
  if (name && !d) return ft__nomem(ctx, "image");
  free(img->name);
  img->name = d;
  return FT_OK;
}

static ft_status copy_meta(ft_ctx *ctx, const ft_image *in, ft_image *out) {
  out->bit_depth = in->bit_depth;
  out->pixel_w = in->pixel_w;
  out->pixel_h = in->pixel_h;
  return ft_image_set_name(ctx, out, in->name);
}

ft_status ft_image_copy(ft_ctx *ctx, const ft_image *in, ft_image **out) {
  ft_image *img;
  int u8 = in->data8 != NULL;
  ft_status st = ft__image_alloc(ctx, in->width, in->height, in->channels,
                                 u8 ? FT_STORAGE_U8 : FT_STORAGE_FLOAT, 0, &img); /* copied over */
  size_t n = (size_t)in->width * in->height * in->channels;
  *out = NULL;
  if (st) return st;
  if (u8)
    memcpy(img->data8, in->data8, n);
  else
    memcpy(img->data, in->data, n * sizeof(float));
  if ((st = copy_meta(ctx, in, img))) {
    ft_image_free(img);
    return st;
  }
  *out = img;
  return FT_OK;
}

ft_status ft_image_to_float(ft_ctx *ctx, const ft_image *in, ft_image **out) {
  ft_image *img;
  size_t i, n = (size_t)in->width * in->height * in->channels;
  ft_status st;
  *out = NULL;
  if (!in->data8) return ft_image_copy(ctx, in, out);
  if ((st = ft_image_new(ctx, in->width, in->height, in->channels, &img))) return st;
  if ((st = copy_meta(ctx, in, img))) {
    ft_image_free(img);
    return st;
  }
  for (i = 0; i < n; i++) img->data[i] = ft__u8_float[in->data8[i]];
  *out = img;
  return FT_OK;
}

ft_status ft__image_float(ft_ctx *ctx, const ft_image *in, ft_image **tmp) {
  *tmp = NULL;
  if (!in || in->data) return FT_OK;
  if (!in->data8) return ft__fail(ctx, FT_ERR_INVAL, "image: no samples");
  return ft_image_to_float(ctx, in, tmp);
}

/* Luminance of the first n pixels of s (c channels), composited onto white. */
#define GRAY_ROW(s, n, c, out)                                                          \
  do {                                                                                  \
    size_t i_;                                                                          \
    for (i_ = 0; i_ < (n); i_++) {                                                      \
      float g_, a_;                                                                       \
      switch (c) {                                                                      \
        case 1: g_ = S(s, i_); a_ = 1.0f; break;                                          \
        case 2: g_ = S(s, 2 * i_); a_ = S(s, 2 * i_ + 1); break;                          \
        case 3:                                                                         \
          g_ = 0.2126f * S(s, 3 * i_) + 0.7152f * S(s, 3 * i_ + 1) +                     \
              0.0722f * S(s, 3 * i_ + 2);                                               \
          a_ = 1.0f;                                                                     \
          break;                                                                        \
        default:                                                                        \
          g_ = 0.2126f * S(s, 4 * i_) + 0.7152f * S(s, 4 * i_ + 1) +                     \
              0.0722f * S(s, 4 * i_ + 2);                                               \
          a_ = S(s, 4 * i_ + 3);                                                         \
          break;                                                                        \
      }                                                                                 \
      /* composite onto white: g*a + 1*(1-a) */                                         \
      g_ = g_ * a_ + (1.0f - a_);                                                           \
      (out)[i_] = g_ < 0.0f ? 0.0f : (g_ > 1.0f ? 1.0f : g_);                              \
    }                                                                                   \
  } while (0)

void ft__image_gray_row(const ft_image *in, int y, float *out) {
  size_t w = (size_t)in->width, off = (size_t)y * w * (size_t)in->channels;
  if (in->data8) {
    const uint8_t *s = in->data8 + off;
#define S(s, i) ft__u8_float[(s)[i]]
    GRAY_ROW(s, w, in->channels, out);
#undef S
  } else {
    const float *s = in->data + off;
#define S(s, i) (s)[i]
    GRAY_ROW(s, w, in->channels, out);
#undef S
  }
}

ft_status ft_image_to_gray(ft_ctx *ctx, const ft_image *in, ft_image **out) {
  ft_image *g;
  int y;
  ft_status st = ft_image_new(ctx, in->width, in->height, 1, &g);
  *out = NULL;
  if (st) return st;
  if ((st = copy_meta(ctx, in, g))) {
    ft_image_free(g);
    return st;
  }
  for (y = 0; y < in->height; y++) ft__image_gray_row(in, y, g->data + (size_t)y * in->width);
  *out = g;
  return FT_OK;
}

/* v / 255.0f for every byte v: the value of a compact sample. */
const float ft__u8_float[256] = {
#define V4(b) (b) / 255.0f, (b + 1) / 255.0f, (b + 2) / 255.0f, (b + 3) / 255.0f
#define V16(b) V4(b), V4(b + 4), V4(b + 8), V4(b + 12)
#define V64(b) V16(b), V16(b + 16), V16(b + 32), V16(b + 48)
    V64(0.0f), V64(64.0f), V64(128.0f), V64(192.0f)
#undef V64
#undef V16
#undef V4
};
