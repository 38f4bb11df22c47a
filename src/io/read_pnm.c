/* src/io/read_pnm.c - Netpbm reader: PBM, PGM, PPM (P1-P6) and PAM (P7).
 *
 * Follows the Netpbm format pages (pbm(5), pgm(5), ppm(5), pam(5)): a header
 * of white-space separated ASCII decimals with '#' comments running to the
 * end of the line, then either ASCII samples (P1-P3) or binary samples
 * (P4-P6, P7) after exactly one white-space byte.  maxval is 1..65535;
 * binary samples are one byte when maxval < 256 and two bytes, most
 * significant first, otherwise.  A sample v becomes v / maxval; a sample
 * above maxval is an error.  In PBM 1 is black, so bits are inverted to give
 * gray values (1 = white).  PAM tuple depths 1..4 map to gray, gray+alpha,
 * RGB and RGBA; TUPLTYPE is not needed for that and is ignored.
 *
 * bit_depth is the smallest of 1, 2, 4, 8, 16 bits that holds maxval.  Only
 * the first image of a multi-image stream is read.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/internal.h"

typedef struct pnm_in {
  const unsigned char *b;
  size_t len, pos;
} pnm_in;

static int is_space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Skip white space and comments. */
static void skip_space(pnm_in *in) {
  while (in->pos < in->len) {
    int c = in->b[in->pos];
    if (c == '#') {
      while (in->pos < in->len && in->b[in->pos] != '\n' && in->b[in->pos] != '\r') in->pos++;
    } else if (is_space(c)) {
      in->pos++;
    } else {
      break;
    }
  }
}

/* An unsigned decimal below 2^31.  Returns 0 on success, -1 at the end of
 * the data, -2 when the next thing is not a number or too large. */
static int read_uint(pnm_in *in, uint32_t *v) {
  uint64_t x = 0;
  size_t start;
  skip_space(in);
  if (in->pos >= in->len) return -1;
  start = in->pos;
  while (in->pos < in->len && in->b[in->pos] >= '0' && in->b[in->pos] <= '9') {
    x = x * 10 + (in->b[in->pos] - '0');
    if (x > 0x7fffffffu) return -2;
    in->pos++;
  }
  if (in->pos == start) return -2;
  *v = (uint32_t)x;
  return 0;
}

static int depth_for(uint32_t maxval) {
  if (maxval <= 1) return 1;
  if (maxval <= 3) return 2;
  if (maxval <= 15) return 4;
  if (maxval <= 255) return 8;
  return 16;
}

/* PAM header lines up to ENDHDR: sets w, h, depth and maxval. */
static ft_status pam_header(ft_ctx *ctx, pnm_in *in, const char *name, uint32_t *w, uint32_t *h,
                            uint32_t *depth, uint32_t *maxval) {
  int seen = 0;
  for (;;) {
    size_t start, n;
    const char *key;
    skip_space(in);
    if (in->pos >= in->len)
      return ft__fail(ctx, FT_ERR_FORMAT, "%s: pnm: premature end of data in the PAM header",
                      name);
    start = in->pos;
    while (in->pos < in->len && !is_space(in->b[in->pos])) in->pos++;
    key = (const char *)in->b + start;
    n = in->pos - start;
    if (n == 6 && memcmp(key, "ENDHDR", 6) == 0) break;
    if (n == 8 && memcmp(key, "TUPLTYPE", 8) == 0) {
      while (in->pos < in->len && in->b[in->pos] != '\n') in->pos++;
      continue;
    }
    {
      uint32_t *dst = NULL, v;
      int bit = 0, r;
      if (n == 5 && memcmp(key, "WIDTH", 5) == 0) dst = w, bit = 1;
      else if (n == 6 && memcmp(key, "HEIGHT", 6) == 0) dst = h, bit = 2;
      else if (n == 5 && memcmp(key, "DEPTH", 5) == 0) dst = depth, bit = 4;
      else if (n == 6 && memcmp(key, "MAXVAL", 6) == 0) dst = maxval, bit = 8;
      if (!dst)
        return ft__fail(ctx, FT_ERR_FORMAT, "%s: pnm: unknown PAM header line '%.*s'", name,
                        (int)(n > 20 ? 20 : n), key);
      r = read_uint(in, &v);
      if (r)
        return ft__fail(ctx, FT_ERR_FORMAT, "%s: pnm: %s in the PAM header", name,
                        r == -1 ? "premature end of data" : "bad number");
      *dst = v;
      seen |= bit;
    }
  }
  if (seen != 15)
    return ft__fail(ctx, FT_ERR_FORMAT,
                    "%s: pnm: PAM header lacks WIDTH, HEIGHT, DEPTH or MAXVAL", name);
  return FT_OK;
}

/* The first of the n bytes above maxval (the caller knows there is one). */
static unsigned first_above(const unsigned char *b, size_t n, uint32_t maxval) {
  size_t i;
  for (i = 0; i < n; i++)
    if (b[i] > maxval) return b[i];
  return 0;
}

/* own: NULL, or the address of the caller's malloc'ed buffer holding data,
 * which this may take as the pixels (setting *own to NULL). */
static ft_status read_pnm(ft_ctx *ctx, const unsigned char *data, size_t len, const char *name,
                          const ft_read_params *p, unsigned char **own, ft_image **out) {
  pnm_in in = {data, len, 2};
  int kind = data[1] - '0', r, ascii = kind <= 3, compact;
  uint32_t w = 0, h = 0, maxval = 1, depth = 1;
  ft_image *img;
  ft_status st;
  size_t n, i;

  *out = NULL;
  if (kind == 7) {
    if ((st = pam_header(ctx, &in, name, &w, &h, &depth, &maxval))) return st;
    if (depth < 1 || depth > 4)
      return ft__fail(ctx, FT_ERR_UNSUPPORTED, "%s: pnm: PAM depth %u not supported (1 to 4)",
                      name, (unsigned)depth);
  } else {
    if ((r = read_uint(&in, &w)) || (r = read_uint(&in, &h)) ||
        (kind != 1 && kind != 4 && (r = read_uint(&in, &maxval))))
      return ft__fail(ctx, FT_ERR_FORMAT, "%s: pnm: %s in the header", name,
                      r == -1 ? "premature end of data" : "bad number");
    depth = kind == 3 || kind == 6 ? 3 : 1;
  }
  if ((st = ft__read_check_size(ctx, name, "pnm", w, h, p))) return st;
  if (maxval < 1 || maxval > 65535)
    return ft__fail(ctx, FT_ERR_FORMAT, "%s: pnm: maxval %u out of range 1..65535", name,
                    (unsigned)maxval);
  if (!ascii) {
    /* exactly one white-space byte ends the header (PAM: the ENDHDR line) */
    if (in.pos >= in.len || !is_space(in.b[in.pos]))
      return ft__fail(ctx, FT_ERR_FORMAT, "%s: pnm: premature end of data after the header",
                      name);
    in.pos++;
  }
  /* compact when every sample value v / maxval is a byte's b / 255 */
  compact = p && p->compact && 255 % maxval == 0;
  /* every branch below writes all samples or fails */
  if ((st = ft__read_new_image(ctx, name, "pnm", (int)w, (int)h, (int)depth,
                               (compact ? FT__READ_COMPACT : 0) | FT__READ_FILLED, &img)))
    return st;
  img->bit_depth = kind == 1 || kind == 4 ? 1 : depth_for(maxval);
  n = (size_t)w * h * depth;

  if (kind == 4) {
    size_t rowbytes = ((size_t)w + 7) / 8, y, x;
    uint8_t expand[256][8]; /* compact: the 8 pixels of each packed byte */
    if (rowbytes * h > in.len - in.pos) goto truncated;
    if (compact) {
      int b, k;
      for (b = 0; b < 256; b++)
        for (k = 0; k < 8; k++) expand[b][k] = (b >> (7 - k) & 1) ? 0 : 255; /* 1 is black */
    }
    for (y = 0; y < h; y++) {
      const unsigned char *row = in.b + in.pos + y * rowbytes;
      if (compact) {
        uint8_t *d = img->data8 + y * w;
        for (x = 0; x + 8 <= w; x += 8) memcpy(d + x, expand[row[x >> 3]], 8);
        for (; x < w; x++) d[x] = (row[x >> 3] >> (7 - (x & 7)) & 1) ? 0 : 255;
      } else {
        for (x = 0; x < w; x++)
          img->data[y * w + x] = (row[x >> 3] >> (7 - (x & 7)) & 1) ? 0.0f : 1.0f;
      }
    }
  } else if (kind == 1) {
    for (i = 0; i < n; i++) {
      skip_space(&in);
      if (in.pos >= in.len) goto truncated;
      if (in.b[in.pos] != '0' && in.b[in.pos] != '1') {
        ft_image_free(img);
        return ft__fail(ctx, FT_ERR_FORMAT, "%s: pnm: bad bit '%c' in PBM data", name,
                        in.b[in.pos] >= 32 && in.b[in.pos] < 127 ? in.b[in.pos] : '?');
      }
      if (compact)
        img->data8[i] = in.b[in.pos++] == '1' ? 0 : 255;
      else
        img->data[i] = in.b[in.pos++] == '1' ? 0.0f : 1.0f;
    }
  } else if (!ascii && maxval <= 255) {
    /* binary bytes: checked against maxval in one pass, then copied (compact
     * with maxval 255) or mapped through a table of the 256 sample values */
    const unsigned char *src = in.b + in.pos;
    unsigned char top = 0;
    if (n > in.len - in.pos) goto truncated;
    if (maxval < 255) {
      for (i = 0; i < n; i++) top = src[i] > top ? src[i] : top;
      if (top > maxval) {
        ft_image_free(img);
        return ft__fail(ctx, FT_ERR_FORMAT, "%s: pnm: sample %u above maxval %u", name,
                        (unsigned)first_above(src, n, maxval), (unsigned)maxval);
      }
    }
    if (compact && maxval == 255 && own && *own == data) {
      /* the caller's buffer becomes the pixels: moved down over the header
       * in pages the read has touched already, where a copy would fault in
       * every page of a fresh one */
      unsigned char *b = *own, *nb;
      memmove(b, src, n);
      nb = realloc(b, n);
      free(img->data8);
      img->data8 = nb ? nb : b;
      *own = NULL;
    } else if (compact && maxval == 255) {
      memcpy(img->data8, src, n);
    } else if (compact) {
      uint8_t map[256];
      uint32_t v;
      for (v = 0; v < 256; v++) map[v] = (uint8_t)(v * (255 / maxval));
      for (i = 0; i < n; i++) img->data8[i] = map[src[i]];
    } else {
      float map[256], scale = (float)maxval;
      uint32_t v;
      for (v = 0; v < 256; v++) map[v] = (float)v / scale;
      for (i = 0; i < n; i++) img->data[i] = map[src[i]];
    }
  } else {
    /* ASCII samples, or two bytes each, most significant first */
    float scale = (float)maxval;
    if (!ascii && 2 * n > in.len - in.pos) goto truncated;
    for (i = 0; i < n; i++) {
      uint32_t v;
      if (ascii) {
        r = read_uint(&in, &v);
        if (r == -1) goto truncated;
        if (r) {
          ft_image_free(img);
          return ft__fail(ctx, FT_ERR_FORMAT, "%s: pnm: bad sample in ASCII data", name);
        }
      } else {
        v = (uint32_t)in.b[in.pos] << 8 | in.b[in.pos + 1];
        in.pos += 2;
      }
      if (v > maxval) {
        ft_image_free(img);
        return ft__fail(ctx, FT_ERR_FORMAT, "%s: pnm: sample %u above maxval %u", name,
                        (unsigned)v, (unsigned)maxval);
      }
      if (compact)
        img->data8[i] = (uint8_t)(v * (255 / maxval));
      else
        img->data[i] = (float)v / scale;
    }
  }
  *out = img;
  return FT_OK;
truncated:
  ft_image_free(img);
  return ft__fail(ctx, FT_ERR_FORMAT, "%s: pnm: premature end of data", name);
}

ft_status ft__read_pnm(ft_ctx *ctx, const unsigned char *data, size_t len, const char *name,
                       const ft_read_params *p, ft_image **out) {
  return read_pnm(ctx, data, len, name, p, NULL, out);
}

ft_status ft__read_pnm_own(ft_ctx *ctx, unsigned char **buf, size_t len, const char *name,
                           const ft_read_params *p, ft_image **out) {
  return read_pnm(ctx, *buf, len, name, p, buf, out);
}
