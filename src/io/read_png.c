/* src/io/read_png.c - PNG reader on libpng, from memory.
 *
 * Decodes every colour type and bit depth of the PNG specification (ISO/IEC
 * 15948, W3C PNG 2nd ed. Sec. 6.1): gray 1/2/4/8/16, gray+alpha 8/16, RGB
 * 8/16, RGBA 8/16, palette 1/2/4/8, Adam7-interlaced or not.  libpng only
 * unpacks sub-byte samples (png_set_packing) and de-interlaces; the rest is
 * done here so that values stay exact: a b-bit sample v becomes
 * v / (2^b - 1).  A tRNS chunk becomes an alpha channel (palette: per-entry
 * alpha, Sec. 11.3.2.1; gray/RGB: the one transparent colour).  Palette
 * entries are 8-bit, so palette images record bit_depth 8; a palette index
 * beyond the palette is an error.  Gamma and colour-space chunks are not
 * applied: samples are returned as stored.  pHYs with the metre unit gives
 * the pixel size (1e6 / pixels-per-metre micrometres).  With
 * ft_read_params.compact, sources of up to 8 bits give an FT_STORAGE_U8
 * image holding the same values (v / (2^b - 1) as the byte v * 255 / (2^b - 1));
 * without a palette or tRNS libpng then decodes straight into the image.
 *
 * libpng reports errors by longjmp: everything allocated while it may jump
 * is held in volatile locals and released on the one error path.  The
 * IEND chunk is read too, so data cut anywhere before the end is an error.
 */
#include "config.h"

#include "dl/png.h"
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "io/internal.h"

typedef struct png_src {
  const unsigned char *data;
  size_t len, pos;
  jmp_buf jb;
  char msg[256];
} png_src;

static void png_fail_fn(png_structp png, png_const_charp msg) {
  png_src *s = png_get_error_ptr(png);
  snprintf(s->msg, sizeof s->msg, "%s", msg && *msg ? msg : "corrupt data");
  longjmp(s->jb, 1);
}

static void png_warn_fn(png_structp png, png_const_charp msg) {
  (void)png;
  (void)msg;
}

static void png_read_fn(png_structp png, png_bytep out, size_t n) {
  png_src *s = png_get_io_ptr(png);
  if (n > s->len - s->pos) png_error(png, "premature end of data");
  memcpy(out, s->data + s->pos, n);
  s->pos += n;
}

/* Sample i of a row unpacked to one byte (bit depth <= 8) or two big-endian
 * bytes (16) per sample. */
static unsigned sample_at(const unsigned char *row, size_t i, int bit_depth) {
  if (bit_depth == 16) return (unsigned)row[2 * i] << 8 | row[2 * i + 1];
  return row[i];
}

ft_status ft__read_png(ft_ctx *ctx, const unsigned char *data, size_t len, const char *name,
                       const ft_read_params *p, ft_image **out) {
  png_src src;
  png_structp png = NULL;
  png_infop info = NULL;
  unsigned char *volatile raw = NULL;
  png_bytepp volatile rows = NULL;
  ft_image *volatile img = NULL;
  png_uint_32 w, h;
  int depth, ctype, interlace, channels, in_ch, has_trns, ch, compact, direct;
  unsigned mul;
  size_t rowbytes, total, y;
  png_bytep trns_alpha = NULL;
  int num_trns = 0;
  png_color_16p trns_color = NULL;
  png_colorp palette = NULL;
  int num_palette = 0;
  float maxv;
  ft_status st;

  *out = NULL;
  /* Refuse oversized images from the IHDR bytes themselves (Sec. 11.2.2:
   * IHDR comes first, width and height big-endian), before libpng reads on. */
  if (len >= 24 && memcmp(data + 12, "IHDR", 4) == 0) {
    png_uint_32 hw = png_get_uint_32(data + 16), hh = png_get_uint_32(data + 20);
    if ((st = ft__read_check_size(ctx, name, "png", hw, hh, p))) return st;
  }
  if ((st = ft__png_require(ctx))) return st;
  memset(&src, 0, sizeof src);
  src.data = data;
  src.len = len;
  png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_fail_fn, png_warn_fn);
  if (!png) return ft__fail(ctx, FT_ERR_NOMEM, "%s: png: out of memory", name);
  info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, NULL, NULL);
    return ft__fail(ctx, FT_ERR_NOMEM, "%s: png: out of memory", name);
  }
  if (setjmp(src.jb)) {
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    free(raw);
    ft_image_free(img);
    return ft__fail(ctx, FT_ERR_FORMAT, "%s: png: %s", name, src.msg);
  }
  png_set_read_fn(png, &src, png_read_fn);
  /* The size guard below is ours; libpng's own default cap (1e6 per side)
   * would turn legitimate limits into format errors. */
  png_set_user_limits(png, 0x7fffffffU, 0x7fffffffU);
  png_read_info(png, info);
  png_get_IHDR(png, info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
  if ((st = ft__read_check_size(ctx, name, "png", w, h, p))) {
    png_destroy_read_struct(&png, &info, NULL);
    return st;
  }

  switch (ctype) {
    case PNG_COLOR_TYPE_GRAY: in_ch = 1; break;
    case PNG_COLOR_TYPE_GRAY_ALPHA: in_ch = 2; break;
    case PNG_COLOR_TYPE_RGB: in_ch = 3; break;
    case PNG_COLOR_TYPE_RGB_ALPHA: in_ch = 4; break;
    case PNG_COLOR_TYPE_PALETTE: in_ch = 1; break;
    default:
      png_destroy_read_struct(&png, &info, NULL);
      return ft__fail(ctx, FT_ERR_UNSUPPORTED, "%s: png: colour type %d not supported", name,
                      ctype);
  }
  has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0 &&
             png_get_tRNS(png, info, &trns_alpha, &num_trns, &trns_color) != 0;
  if (ctype == PNG_COLOR_TYPE_PALETTE) {
    if (!png_get_PLTE(png, info, &palette, &num_palette) || num_palette < 1) {
      png_destroy_read_struct(&png, &info, NULL);
      return ft__fail(ctx, FT_ERR_FORMAT, "%s: png: palette image without a palette", name);
    }
    channels = has_trns ? 4 : 3;
  } else if (ctype == PNG_COLOR_TYPE_GRAY || ctype == PNG_COLOR_TYPE_RGB) {
    channels = in_ch + (has_trns ? 1 : 0);
  } else {
    channels = in_ch;
    has_trns = 0;
  }

  if (depth < 8) png_set_packing(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  rowbytes = png_get_rowbytes(png, info);
  if (ft__mul_overflow(rowbytes, h, &total)) {
    png_destroy_read_struct(&png, &info, NULL);
    return ft__fail(ctx, FT_ERR_TOOBIG, "%s: png: image too large", name);
  }
  compact = p && p->compact && depth <= 8;
  /* compact gray, gray+alpha, RGB or RGBA without tRNS: libpng writes the
   * rows straight into the image, with no intermediate copy */
  direct = compact && ctype != PNG_COLOR_TYPE_PALETTE && !has_trns &&
           rowbytes == (size_t)w * (size_t)channels;
  if (direct) {
    ft_image *im;
    st = ft__read_new_image(ctx, name, "png", (int)w, (int)h, channels, 1, &im);
    if (st) {
      png_destroy_read_struct(&png, &info, NULL);
      return st;
    }
    img = im;
  } else {
    raw = malloc(total ? total : 1);
  }
  rows = ft__malloc_n(h, sizeof *rows);
  if ((!direct && !raw) || !rows) {
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    free(raw);
    ft_image_free(img);
    return ft__fail(ctx, FT_ERR_NOMEM, "%s: png: out of memory for %ux%u pixels", name,
                    (unsigned)w, (unsigned)h);
  }
  for (y = 0; y < h; y++) rows[y] = (direct ? img->data8 : raw) + y * rowbytes;
  png_read_image(png, rows);
  png_read_end(png, NULL);

  /* compact: a b-bit sample v is the byte v * 255 / (2^b - 1), whose value
   * v * (255 / (2^b - 1)) / 255.0f is the float v / (2^b - 1) itself */
  mul = depth <= 8 ? 255u / ((1u << depth) - 1u) : 1u;
  if (direct) {
    if (mul != 1) {
      size_t i, n = total;
      for (i = 0; i < n; i++) img->data8[i] = (uint8_t)(img->data8[i] * mul);
    }
    goto meta;
  }
  {
    ft_image *im;
    st = ft__read_new_image(ctx, name, "png", (int)w, (int)h, channels, compact, &im);
    if (st) {
      png_destroy_read_struct(&png, &info, NULL);
      free(rows);
      free(raw);
      return st;
    }
    img = im;
  }
  maxv = (float)((1u << depth) - 1u);
  for (y = 0; y < h; y++) {
    const unsigned char *row = rows[y];
    float *d = compact ? NULL : img->data + (size_t)y * w * channels;
    uint8_t *d8 = compact ? img->data8 + (size_t)y * w * channels : NULL;
    size_t x;
    for (x = 0; x < w; x++) {
      if (ctype == PNG_COLOR_TYPE_PALETTE) {
        unsigned idx = row[x];
        if ((int)idx >= num_palette) {
          png_destroy_read_struct(&png, &info, NULL);
          free(rows);
          free(raw);
          ft_image_free(img);
          return ft__fail(ctx, FT_ERR_FORMAT,
                          "%s: png: palette index %u out of range (palette has %d entries)",
                          name, idx, num_palette);
        }
        if (compact) {
          d8[0] = palette[idx].red;
          d8[1] = palette[idx].green;
          d8[2] = palette[idx].blue;
          if (has_trns) d8[3] = (int)idx < num_trns ? trns_alpha[idx] : 255;
          d8 += channels;
        } else {
          d[0] = palette[idx].red / 255.0f;
          d[1] = palette[idx].green / 255.0f;
          d[2] = palette[idx].blue / 255.0f;
          if (has_trns) d[3] = (int)idx < num_trns ? trns_alpha[idx] / 255.0f : 1.0f;
          d += channels;
        }
        continue;
      }
      if (compact)
        for (ch = 0; ch < in_ch; ch++) d8[ch] = (uint8_t)(row[x * in_ch + ch] * mul);
      else
        for (ch = 0; ch < in_ch; ch++) d[ch] = sample_at(row, x * in_ch + ch, depth) / maxv;
      if (has_trns) {
        int transparent;
        if (ctype == PNG_COLOR_TYPE_GRAY)
          transparent = sample_at(row, x, depth) == trns_color->gray;
        else
          transparent = sample_at(row, 3 * x, depth) == trns_color->red &&
                        sample_at(row, 3 * x + 1, depth) == trns_color->green &&
                        sample_at(row, 3 * x + 2, depth) == trns_color->blue;
        if (compact)
          d8[in_ch] = transparent ? 0 : 255;
        else
          d[in_ch] = transparent ? 0.0f : 1.0f;
      }
      if (compact)
        d8 += channels;
      else
        d += channels;
    }
  }
meta:
  img->bit_depth = ctype == PNG_COLOR_TYPE_PALETTE ? 8 : depth;
  {
    png_uint_32 rx, ry;
    int unit;
    if (png_get_pHYs(png, info, &rx, &ry, &unit) && unit == PNG_RESOLUTION_METER && rx > 0 &&
        ry > 0) {
      img->pixel_w = 1e6 / rx;
      img->pixel_h = 1e6 / ry;
    }
  }
  png_destroy_read_struct(&png, &info, NULL);
  free(rows);
  free(raw);
  *out = img;
  return FT_OK;
}
