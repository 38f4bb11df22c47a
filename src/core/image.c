/* src/core/image.c - ft_image construction, copy and gray conversion. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

ft_status ft_image_new(ft_ctx *ctx, int width, int height, int channels, ft_image **out) {
  ft_image *img;
  size_t n;
  *out = NULL;
  if (width < 1 || height < 1)
    return ft__fail(ctx, FT_ERR_INVAL, "image: size %dx%d is empty", width, height);
  if (channels < 1 || channels > 4)
    return ft__fail(ctx, FT_ERR_INVAL, "image: %d channels (1 to 4 allowed)", channels);
  if (width > FT_MAX_DIMENSION || height > FT_MAX_DIMENSION ||
      ft__mul_overflow((size_t)width, (size_t)height, &n) ||
      ft__mul_overflow(n, (size_t)channels * sizeof(float), &n))
    return ft__fail(ctx, FT_ERR_TOOBIG, "image: %dx%d is too large", width, height);
  img = calloc(1, sizeof *img);
  if (!img) return ft__nomem(ctx, "image");
  img->data = calloc(1, n);
  if (!img->data) {
    free(img);
    return ft__fail(ctx, FT_ERR_NOMEM, "image: out of memory for %dx%d", width, height);
  }
  img->width = width;
  img->height = height;
  img->channels = channels;
  img->bit_depth = 8;
  *out = img;
  return FT_OK;
}

void ft_image_free(ft_image *img) {
  if (!img) return;
  free(img->data);
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
  ft_status st = ft_image_new(ctx, in->width, in->height, in->channels, &img);
  *out = NULL;
  if (st) return st;
  memcpy(img->data, in->data,
         (size_t)in->width * in->height * in->channels * sizeof(float));
  if ((st = copy_meta(ctx, in, img))) {
    ft_image_free(img);
    return st;
  }
  *out = img;
  return FT_OK;
}

ft_status ft_image_to_gray(ft_ctx *ctx, const ft_image *in, ft_image **out) {
  ft_image *g;
  size_t i, n = (size_t)in->width * in->height;
  const float *s = in->data;
  ft_status st = ft_image_new(ctx, in->width, in->height, 1, &g);
  *out = NULL;
  if (st) return st;
  if ((st = copy_meta(ctx, in, g))) {
    ft_image_free(g);
    return st;
  }
  for (i = 0; i < n; i++) {
    float y, a;
    switch (in->channels) {
      case 1: y = s[i]; a = 1.0f; break;
      case 2: y = s[2 * i]; a = s[2 * i + 1]; break;
      case 3: y = 0.2126f * s[3 * i] + 0.7152f * s[3 * i + 1] + 0.0722f * s[3 * i + 2]; a = 1.0f; break;
      default:
        y = 0.2126f * s[4 * i] + 0.7152f * s[4 * i + 1] + 0.0722f * s[4 * i + 2];
        a = s[4 * i + 3];
        break;
    }
    /* composite onto white: y*a + 1*(1-a) */
    y = y * a + (1.0f - a);
    g->data[i] = y < 0.0f ? 0.0f : (y > 1.0f ? 1.0f : y);
  }
  *out = g;
  return FT_OK;
}
