/* tests/unit/test_read.c - the image readers (src/io).
 *
 * Every fixture is written here with the format's own library (libpng,
 * libjpeg, libtiff) or by hand (PNM, hostile headers), into memory or a
 * mkstemp() file, then read back.  Lossless formats are checked sample by
 * sample against v / maxval; JPEG within a small tolerance.  The hostile
 * half cuts every fixture at 10%..90% of its length, feeds empty, garbage
 * and wrong-magic input, and headers declaring 100000x100000 pixels, which
 * must be refused with FT_ERR_TOOBIG before anything that size is allocated
 * (under ASan an allocation of that size would abort the run).
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <tiffio.h>
#include <unistd.h>

#include <jpeglib.h>

#include "io/internal.h"
#include "testutil.h"

/* ---- small utilities ---- */

typedef struct buf {
  unsigned char *d;
  size_t len, cap;
} buf;

static void buf_put(buf *b, const void *p, size_t n) {
  if (b->len + n > b->cap) {
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->len + n) nc *= 2;
    b->d = realloc(b->d, nc);
    b->cap = nc;
  }
  memcpy(b->d + b->len, p, n);
  b->len += n;
}

static void buf_str(buf *b, const char *s) { buf_put(b, s, strlen(s)); }

/* Deterministic pseudo-random numbers (xorshift32). */
static uint32_t rng_state = 12345u;
static uint32_t rnd(void) {
  uint32_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return rng_state = x;
}

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Read a memory buffer with optional params; returns the status. */
static ft_status rd(ft_ctx *ctx, const buf *b, const char *name, const ft_read_params *p,
                    ft_image **out) {
  return ft_read_memory(ctx, b->d, b->len, name, p, out);
}

static char *temp_path(void) {
  char *path = ft__strdup("/tmp/ft_test_read_XXXXXX");
  int fd = mkstemp(path);
  CU_ASSERT_FATAL(fd >= 0);
  close(fd);
  return path;
}

static buf slurp(const char *path) {
  buf b = {NULL, 0, 0};
  FILE *fp = fopen(path, "rb");
  unsigned char tmp[4096];
  size_t n;
  CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
  while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) buf_put(&b, tmp, n);
  fclose(fp);
  return b;
}

static int global_tiff_messages;
static void global_tiff_message(const char *module, const char *fmt, va_list ap) {
  (void)module;
  (void)fmt;
  (void)ap;
  global_tiff_messages++;
}

/* ---- PNG fixtures ---- */

typedef struct png_spec {
  int w, h, ctype, depth, interlace;
  const uint16_t *samples; /* raw values, w*h*channels (palette: indices) */
  int npal;                /* palette entries (palette images) */
  const png_color *pal;
  const png_byte *trns_alpha; /* palette alpha for the first ntrns entries */
  int ntrns;
  const png_color_16 *trns_color; /* gray/RGB transparent colour */
  png_uint_32 ppm_x, ppm_y;       /* pHYs pixels per metre, 0 = none */
  int header_only;                /* stop after IHDR (hostile sizes) */
} png_spec;

static void png_wr(png_structp png, png_bytep d, size_t n) { buf_put(png_get_io_ptr(png), d, n); }
static void png_fl(png_structp png) { (void)png; }

static int png_nch(int ctype) {
  switch (ctype) {
    case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
    case PNG_COLOR_TYPE_RGB: return 3;
    case PNG_COLOR_TYPE_RGB_ALPHA: return 4;
    default: return 1;
  }
}

static buf png_make(const png_spec *s) {
  buf b = {NULL, 0, 0};
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct(png);
  int nch = png_nch(s->ctype), y, x, c;
  size_t rowbytes;
  unsigned char *row;
  CU_ASSERT_FATAL(png && info);
  if (setjmp(png_jmpbuf(png))) {
    CU_FAIL_FATAL("libpng failed writing a fixture");
  }
  png_set_write_fn(png, &b, png_wr, png_fl);
  png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
  png_set_check_for_invalid_index(png, 0);
  png_set_IHDR(png, info, s->w, s->h, s->depth, s->ctype, s->interlace, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (s->npal) png_set_PLTE(png, info, s->pal, s->npal);
  if (s->ntrns || s->trns_color)
    png_set_tRNS(png, info, s->trns_alpha, s->ntrns, s->trns_color);
  if (s->ppm_x) png_set_pHYs(png, info, s->ppm_x, s->ppm_y, PNG_RESOLUTION_METER);
  png_write_info(png, info);
  if (s->header_only) {
    png_destroy_write_struct(&png, &info);
    return b;
  }
  rowbytes = ((size_t)s->w * nch * s->depth + 7) / 8;
  row = calloc(rowbytes, 1);
  {
    int passes = png_set_interlace_handling(png), pass;
    for (pass = 0; pass < passes; pass++)
      for (y = 0; y < s->h; y++) {
        memset(row, 0, rowbytes);
        for (x = 0; x < s->w; x++)
          for (c = 0; c < nch; c++) {
            size_t i = (size_t)x * nch + c;
            unsigned v = s->samples[((size_t)y * s->w + x) * nch + c];
            if (s->depth == 16) {
              row[2 * i] = v >> 8;
              row[2 * i + 1] = v & 255;
            } else if (s->depth == 8) {
              row[i] = v;
            } else {
              size_t bit = i * s->depth;
              row[bit >> 3] |= v << (8 - s->depth - (bit & 7));
            }
          }
        png_write_row(png, row);
      }
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  free(row);
  return b;
}

static uint16_t *random_samples(size_t n, unsigned maxv) {
  uint16_t *s = malloc(n * sizeof *s);
  size_t i;
  for (i = 0; i < n; i++) s[i] = (uint16_t)(rnd() % (maxv + 1u));
  /* make sure both ends of the range appear */
  s[0] = 0;
  if (n > 1) s[1] = (uint16_t)maxv;
  return s;
}

/* Read b as floats and with ft_read_params.compact: the compact read is
 * FT_STORAGE_U8 exactly when expect_u8 says, with the same size, metadata
 * and sample values. */
static void check_compact(ft_ctx *ctx, const buf *b, const char *name, int expect_u8) {
  ft_read_params p;
  ft_image *f = NULL, *c = NULL;
  size_t i, n, bad = 0;
  ft_read_params_init(&p);
  CU_ASSERT_EQUAL(p.compact, 0);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, b, name, &p, &f), FT_OK);
  p.compact = 1;
  CU_ASSERT_EQUAL_FATAL(rd(ctx, b, name, &p, &c), FT_OK);
  CU_ASSERT_EQUAL(f->storage, FT_STORAGE_FLOAT);
  CU_ASSERT_EQUAL(c->storage, expect_u8 ? FT_STORAGE_U8 : FT_STORAGE_FLOAT);
  CU_ASSERT_EQUAL(c->data8 != NULL, expect_u8);
  CU_ASSERT_EQUAL(c->data == NULL, expect_u8);
  CU_ASSERT_EQUAL_FATAL(c->width, f->width);
  CU_ASSERT_EQUAL_FATAL(c->height, f->height);
  CU_ASSERT_EQUAL_FATAL(c->channels, f->channels);
  CU_ASSERT_EQUAL(c->bit_depth, f->bit_depth);
  CU_ASSERT_EQUAL(c->pixel_w, f->pixel_w);
  CU_ASSERT_EQUAL(c->pixel_h, f->pixel_h);
  CU_ASSERT_STRING_EQUAL(c->name, f->name);
  n = (size_t)f->width * f->height * f->channels;
  for (i = 0; i < n; i++)
    if (ft_image_sample(c, i) != f->data[i]) bad++;
  CU_ASSERT_EQUAL(bad, 0);
  ft_image_free(f);
  ft_image_free(c);
}

static void test_detect(void) {
  ft_read_params p;
  ft_read_params_init(&p);
  CU_ASSERT_EQUAL(p.max_pixels, (uint64_t)1 << 30);
  CU_ASSERT_EQUAL(p.page, 0);
  CU_ASSERT_EQUAL(ft_format_detect("\x89PNG\r\n\x1a\n", 8), FT_FORMAT_PNG);
  CU_ASSERT_EQUAL(ft_format_detect("\x89PNG\r\n\x1a", 7), FT_FORMAT_UNKNOWN);
  CU_ASSERT_EQUAL(ft_format_detect("\xff\xd8\xff\xe0", 4), FT_FORMAT_JPEG);
  CU_ASSERT_EQUAL(ft_format_detect("II*\0", 4), FT_FORMAT_TIFF);
  CU_ASSERT_EQUAL(ft_format_detect("MM\0*", 4), FT_FORMAT_TIFF);
  CU_ASSERT_EQUAL(ft_format_detect("MM\0+", 4), FT_FORMAT_TIFF);
  CU_ASSERT_EQUAL(ft_format_detect("P5\n", 3), FT_FORMAT_PNM);
  CU_ASSERT_EQUAL(ft_format_detect("P7\n", 3), FT_FORMAT_PNM);
  CU_ASSERT_EQUAL(ft_format_detect("P8\n", 3), FT_FORMAT_UNKNOWN);
  CU_ASSERT_EQUAL(ft_format_detect("P5", 2), FT_FORMAT_UNKNOWN);
  CU_ASSERT_EQUAL(ft_format_detect("GIF89a", 6), FT_FORMAT_UNKNOWN);
  CU_ASSERT_EQUAL(ft_format_detect(NULL, 0), FT_FORMAT_UNKNOWN);
  CU_ASSERT_STRING_EQUAL(ft_format_name(FT_FORMAT_PNG), "png");
  CU_ASSERT_STRING_EQUAL(ft_format_name(FT_FORMAT_JPEG), "jpeg");
  CU_ASSERT_STRING_EQUAL(ft_format_name(FT_FORMAT_TIFF), "tiff");
  CU_ASSERT_STRING_EQUAL(ft_format_name(FT_FORMAT_PNM), "pnm");
  CU_ASSERT_STRING_EQUAL(ft_format_name(FT_FORMAT_UNKNOWN), "unknown");
}

/* Every PNG colour type and bit depth, plain and interlaced, sample-exact. */
static void test_png_variants(void) {
  static const struct {
    int ctype, depth;
  } v[] = {{PNG_COLOR_TYPE_GRAY, 1},       {PNG_COLOR_TYPE_GRAY, 2},
           {PNG_COLOR_TYPE_GRAY, 4},       {PNG_COLOR_TYPE_GRAY, 8},
           {PNG_COLOR_TYPE_GRAY, 16},      {PNG_COLOR_TYPE_GRAY_ALPHA, 8},
           {PNG_COLOR_TYPE_GRAY_ALPHA, 16}, {PNG_COLOR_TYPE_RGB, 8},
           {PNG_COLOR_TYPE_RGB, 16},       {PNG_COLOR_TYPE_RGB_ALPHA, 8},
           {PNG_COLOR_TYPE_RGB_ALPHA, 16}};
  ft_ctx *ctx = ft_ctx_new();
  size_t k;
  int il;
  for (k = 0; k < sizeof v / sizeof v[0]; k++)
    for (il = 0; il < 2; il++) {
      png_spec s;
      int nch = png_nch(v[k].ctype);
      unsigned maxv = (1u << v[k].depth) - 1u;
      size_t n = 13 * 7 * (size_t)nch, i, bad = 0;
      uint16_t *smp = random_samples(n, maxv);
      buf b;
      ft_image *img = NULL;
      memset(&s, 0, sizeof s);
      s.w = 13;
      s.h = 7;
      s.ctype = v[k].ctype;
      s.depth = v[k].depth;
      s.interlace = il ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE;
      s.samples = smp;
      b = png_make(&s);
      check_compact(ctx, &b, "v.png", v[k].depth <= 8);
      CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "v.png", NULL, &img), FT_OK);
      CU_ASSERT_EQUAL(img->width, 13);
      CU_ASSERT_EQUAL(img->height, 7);
      CU_ASSERT_EQUAL(img->channels, nch);
      CU_ASSERT_EQUAL(img->bit_depth, v[k].depth);
      CU_ASSERT_STRING_EQUAL(img->name, "v.png");
      CU_ASSERT_EQUAL(img->pixel_w, 0.0);
      for (i = 0; i < n; i++)
        if (img->data[i] != (float)smp[i] / (float)maxv) bad++;
      CU_ASSERT_EQUAL(bad, 0);
      ft_image_free(img);
      free(smp);
      free(b.d);
    }
  ft_ctx_free(ctx);
}

static void test_png_palette_trns_phys(void) {
  static const png_color pal[5] = {{0, 0, 0}, {255, 0, 0}, {0, 128, 255}, {10, 20, 30}, {1, 2, 3}};
  static const png_byte alpha[3] = {0, 128, 255};
  ft_ctx *ctx = ft_ctx_new();
  int depths[4] = {1, 2, 4, 8}, k;
  for (k = 0; k < 4; k++) {
    int npal = depths[k] == 1 ? 2 : depths[k] == 2 ? 4 : 5, use_trns = k >= 2;
    png_spec s;
    size_t n = 9 * 4, i, bad = 0;
    uint16_t *idx = random_samples(n, (unsigned)npal - 1);
    buf b;
    ft_image *img = NULL;
    memset(&s, 0, sizeof s);
    s.w = 9;
    s.h = 4;
    s.ctype = PNG_COLOR_TYPE_PALETTE;
    s.depth = depths[k];
    s.samples = idx;
    s.npal = npal;
    s.pal = pal;
    s.interlace = k == 3 ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE;
    if (use_trns) {
      s.trns_alpha = alpha;
      s.ntrns = 3;
    }
    s.ppm_x = 2000000; /* 0.5 um */
    s.ppm_y = 4000000; /* 0.25 um */
    b = png_make(&s);
    check_compact(ctx, &b, "pal.png", 1);
    CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "pal.png", NULL, &img), FT_OK);
    CU_ASSERT_EQUAL(img->channels, use_trns ? 4 : 3);
    CU_ASSERT_EQUAL(img->bit_depth, 8);
    CU_ASSERT_DOUBLE_EQUAL(img->pixel_w, 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(img->pixel_h, 0.25, 1e-12);
    for (i = 0; i < n; i++) {
      const float *d = img->data + i * img->channels;
      const png_color *e = &pal[idx[i]];
      if (d[0] != e->red / 255.0f || d[1] != e->green / 255.0f || d[2] != e->blue / 255.0f)
        bad++;
      if (use_trns && d[3] != (idx[i] < 3 ? alpha[idx[i]] / 255.0f : 1.0f)) bad++;
    }
    CU_ASSERT_EQUAL(bad, 0);
    ft_image_free(img);
    free(idx);
    free(b.d);
  }
  /* gray and RGB with one transparent colour */
  {
    static const uint16_t gray[6] = {0, 5, 9, 5, 15, 5};
    static const uint16_t rgb[6] = {1, 2, 3, 1, 2, 4};
    png_color_16 tc;
    png_spec s;
    buf b;
    ft_image *img = NULL;
    memset(&tc, 0, sizeof tc);
    memset(&s, 0, sizeof s);
    tc.gray = 5;
    s.w = 3;
    s.h = 2;
    s.ctype = PNG_COLOR_TYPE_GRAY;
    s.depth = 4;
    s.samples = gray;
    s.trns_color = &tc;
    b = png_make(&s);
    check_compact(ctx, &b, "g.png", 1);
    CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "g.png", NULL, &img), FT_OK);
    CU_ASSERT_EQUAL(img->channels, 2);
    CU_ASSERT_EQUAL(img->bit_depth, 4);
    CU_ASSERT_EQUAL(img->data[0], 0.0f);
    CU_ASSERT_EQUAL(img->data[1], 1.0f);
    CU_ASSERT_EQUAL(img->data[2], 5.0f / 15.0f);
    CU_ASSERT_EQUAL(img->data[3], 0.0f);
    CU_ASSERT_EQUAL(img->data[8], 1.0f);
    CU_ASSERT_EQUAL(img->data[9], 1.0f);
    CU_ASSERT_EQUAL(img->data[11], 0.0f);
    ft_image_free(img);
    free(b.d);
    memset(&tc, 0, sizeof tc);
    tc.red = 1;
    tc.green = 2;
    tc.blue = 3;
    s.w = 2;
    s.h = 1;
    s.ctype = PNG_COLOR_TYPE_RGB;
    s.depth = 16;
    s.samples = rgb;
    b = png_make(&s);
    check_compact(ctx, &b, "c.png", 0); /* 16 bits stay float */
    CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "c.png", NULL, &img), FT_OK);
    CU_ASSERT_EQUAL(img->channels, 4);
    CU_ASSERT_EQUAL(img->bit_depth, 16);
    CU_ASSERT_EQUAL(img->data[3], 0.0f);
    CU_ASSERT_EQUAL(img->data[6], 4.0f / 65535.0f);
    CU_ASSERT_EQUAL(img->data[7], 1.0f);
    ft_image_free(img);
    free(b.d);
  }
  ft_ctx_free(ctx);
}

static void test_png_palette_out_of_range(void) {
  static const png_color pal[2] = {{0, 0, 0}, {255, 255, 255}};
  static const uint16_t idx[4] = {0, 1, 200, 1};
  ft_ctx *ctx = ft_ctx_new();
  png_spec s;
  buf b;
  ft_image *img = (ft_image *)&s;
  memset(&s, 0, sizeof s);
  s.w = 2;
  s.h = 2;
  s.ctype = PNG_COLOR_TYPE_PALETTE;
  s.depth = 8;
  s.samples = idx;
  s.npal = 2;
  s.pal = pal;
  b = png_make(&s);
  CU_ASSERT_EQUAL(rd(ctx, &b, "bad.png", NULL, &img), FT_ERR_FORMAT);
  CU_ASSERT_PTR_NULL(img);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx),
                         "bad.png: png: palette index 200 out of range (palette has 2 entries)");
  free(b.d);
  ft_ctx_free(ctx);
}

/* ---- JPEG fixtures ---- */

typedef struct jpeg_spec {
  int w, h, comps;
  J_COLOR_SPACE cs;
  const unsigned char *pix; /* w*h*comps */
  int orientation;          /* EXIF orientation to embed, 0 = no EXIF */
  int density_unit, xd, yd; /* JFIF density; unit 0 = libjpeg default */
  int no_adobe;             /* CMYK without the Adobe marker */
  int progressive;
} jpeg_spec;

static buf jpeg_make(const jpeg_spec *s) {
  struct jpeg_compress_struct c;
  struct jpeg_error_mgr err;
  unsigned char *mem = NULL;
  unsigned long size = 0;
  buf b = {NULL, 0, 0};
  int y;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  jpeg_mem_dest(&c, &mem, &size);
  c.image_width = s->w;
  c.image_height = s->h;
  c.input_components = s->comps;
  c.in_color_space = s->cs;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 100, TRUE);
  if (s->progressive) jpeg_simple_progression(&c);
  if (s->density_unit) {
    c.density_unit = s->density_unit;
    c.X_density = s->xd;
    c.Y_density = s->yd;
  }
  if (s->no_adobe) c.write_Adobe_marker = FALSE;
  /* full-resolution chroma keeps colour edges sharp */
  c.comp_info[0].h_samp_factor = 1;
  c.comp_info[0].v_samp_factor = 1;
  jpeg_start_compress(&c, TRUE);
  if (s->orientation) {
    /* "Exif\0\0", a big-endian TIFF header, IFD0 with one SHORT entry */
    unsigned char ex[] = {'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1,
                          0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (unsigned char)s->orientation, 0, 0,
                          0, 0, 0, 0};
    jpeg_write_marker(&c, JPEG_APP0 + 1, ex, sizeof ex);
  }
  for (y = 0; y < s->h; y++) {
    JSAMPROW r = (JSAMPROW)(s->pix + (size_t)y * s->w * s->comps);
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  buf_put(&b, mem, size);
  free(mem);
  return b;
}

/* A w x h image of comps components: a white block over x < w/2, y < h/2 on
 * black (per component value hi / lo). */
static unsigned char *quadrant(int w, int h, int comps, unsigned char lo, unsigned char hi) {
  unsigned char *p = malloc((size_t)w * h * comps);
  int x, y, c;
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      for (c = 0; c < comps; c++)
        p[((size_t)y * w + x) * comps + c] = (x < w / 2 && y < h / 2) ? hi : lo;
  return p;
}

static void test_jpeg_gray_rgb_density(void) {
  ft_ctx *ctx = ft_ctx_new();
  jpeg_spec s;
  buf b;
  ft_image *img = NULL;
  unsigned char *pix;
  size_t i;
  int bad = 0;
  memset(&s, 0, sizeof s);
  /* gray, 300 dpi */
  pix = quadrant(32, 16, 1, 20, 230);
  s.w = 32;
  s.h = 16;
  s.comps = 1;
  s.cs = JCS_GRAYSCALE;
  s.pix = pix;
  s.density_unit = 1;
  s.xd = 300;
  s.yd = 300;
  b = jpeg_make(&s);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "g.jpg", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->width, 32);
  CU_ASSERT_EQUAL(img->height, 16);
  CU_ASSERT_EQUAL(img->channels, 1);
  CU_ASSERT_EQUAL(img->bit_depth, 8);
  CU_ASSERT_DOUBLE_EQUAL(img->pixel_w, 25400.0 / 300.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(img->pixel_h, 25400.0 / 300.0, 1e-9);
  for (i = 0; i < 32 * 16; i++)
    if (fabsf(img->data[i] - pix[i] / 255.0f) > 3.0f / 255.0f) bad++;
  CU_ASSERT_EQUAL(bad, 0);
  ft_image_free(img);
  free(b.d);
  free(pix);
  /* RGB, 72 dpi is a placeholder and gives no size; dpcm does */
  pix = quadrant(24, 24, 3, 40, 200);
  for (i = 0; i < 24 * 24; i++) pix[3 * i + 2] = 90;
  s.w = 24;
  s.h = 24;
  s.comps = 3;
  s.cs = JCS_RGB;
  s.pix = pix;
  s.xd = 72;
  s.yd = 72;
  b = jpeg_make(&s);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "c.jpg", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->channels, 3);
  CU_ASSERT_EQUAL(img->pixel_w, 0.0);
  bad = 0;
  for (i = 0; i < 24 * 24 * 3; i++)
    if (fabsf(img->data[i] - pix[i] / 255.0f) > 4.0f / 255.0f) bad++;
  CU_ASSERT_EQUAL(bad, 0);
  ft_image_free(img);
  free(b.d);
  s.density_unit = 2;
  s.xd = 200; /* 50 um */
  s.yd = 100; /* 100 um */
  s.progressive = 1;
  b = jpeg_make(&s);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "p.jpg", NULL, &img), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(img->pixel_w, 50.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(img->pixel_h, 100.0, 1e-9);
  ft_image_free(img);
  free(b.d);
  free(pix);
  ft_ctx_free(ctx);
}

static void test_jpeg_cmyk(void) {
  ft_ctx *ctx = ft_ctx_new();
  int inv;
  for (inv = 0; inv < 2; inv++) {
    /* ink: C = 0.2, M = 0.6, Y = 0, K = 0.5 -> R = 0.4, G = 0.2, B = 0.5 */
    unsigned char ink[4] = {51, 153, 0, 128};
    unsigned char *pix = malloc(16 * 16 * 4);
    jpeg_spec s;
    buf b;
    ft_image *img = NULL;
    int i, c, bad = 0;
    for (i = 0; i < 256; i++)
      for (c = 0; c < 4; c++) pix[4 * i + c] = inv ? 255 - ink[c] : ink[c];
    memset(&s, 0, sizeof s);
    s.w = 16;
    s.h = 16;
    s.comps = 4;
    s.cs = JCS_CMYK;
    s.pix = pix;
    s.no_adobe = !inv; /* libjpeg writes the Adobe marker for CMYK by default */
    b = jpeg_make(&s);
    CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "k.jpg", NULL, &img), FT_OK);
    CU_ASSERT_EQUAL(img->channels, 3);
    for (i = 0; i < 256; i++) {
      const float *d = img->data + 3 * i;
      float k = 1.0f - 128 / 255.0f;
      if (fabsf(d[0] - (1.0f - 51 / 255.0f) * k) > 0.02f ||
          fabsf(d[1] - (1.0f - 153 / 255.0f) * k) > 0.02f || fabsf(d[2] - k) > 0.02f)
        bad++;
    }
    CU_ASSERT_EQUAL(bad, 0);
    ft_image_free(img);
    free(b.d);
    free(pix);
  }
  ft_ctx_free(ctx);
}

static int is_white(const ft_image *img, int x, int y) {
  return img->data[((size_t)y * img->width + x) * img->channels] > 0.8f;
}
static int is_black(const ft_image *img, int x, int y) {
  return img->data[((size_t)y * img->width + x) * img->channels] < 0.2f;
}

/* EXIF orientation: the stored 16x8 image has a white top-left quadrant. */
static void test_jpeg_exif_orientation(void) {
  ft_ctx *ctx = ft_ctx_new();
  unsigned char *pix = quadrant(16, 8, 1, 0, 255);
  jpeg_spec s;
  buf b;
  ft_image *img = NULL;
  memset(&s, 0, sizeof s);
  s.w = 16;
  s.h = 8;
  s.comps = 1;
  s.cs = JCS_GRAYSCALE;
  s.pix = pix;
  s.density_unit = 2;
  s.xd = 100; /* 100 um wide */
  s.yd = 50;  /* 200 um high */
  /* 6: rotate 90 degrees clockwise: the block moves to the top right */
  s.orientation = 6;
  b = jpeg_make(&s);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "r6.jpg", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->width, 8);
  CU_ASSERT_EQUAL(img->height, 16);
  CU_ASSERT(is_white(img, 6, 2));
  CU_ASSERT(is_white(img, 5, 6));
  CU_ASSERT(is_black(img, 1, 2));
  CU_ASSERT(is_black(img, 6, 12));
  CU_ASSERT(is_black(img, 1, 12));
  CU_ASSERT_DOUBLE_EQUAL(img->pixel_w, 200.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(img->pixel_h, 100.0, 1e-9);
  ft_image_free(img);
  free(b.d);
  /* 8: rotate 90 degrees counter-clockwise: bottom left */
  s.orientation = 8;
  b = jpeg_make(&s);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "r8.jpg", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->width, 8);
  CU_ASSERT_EQUAL(img->height, 16);
  CU_ASSERT(is_white(img, 1, 13));
  CU_ASSERT(is_black(img, 6, 13));
  CU_ASSERT(is_black(img, 1, 2));
  ft_image_free(img);
  free(b.d);
  /* 3: rotate 180: bottom right, size unchanged */
  s.orientation = 3;
  b = jpeg_make(&s);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "r3.jpg", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->width, 16);
  CU_ASSERT_EQUAL(img->height, 8);
  CU_ASSERT(is_white(img, 13, 6));
  CU_ASSERT(is_black(img, 2, 1));
  ft_image_free(img);
  free(b.d);
  /* 2: mirrored left-right: top right */
  s.orientation = 2;
  b = jpeg_make(&s);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "r2.jpg", NULL, &img), FT_OK);
  CU_ASSERT(is_white(img, 13, 1));
  CU_ASSERT(is_black(img, 2, 1));
  ft_image_free(img);
  free(b.d);
  /* 1: as stored */
  s.orientation = 1;
  b = jpeg_make(&s);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "r1.jpg", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->width, 16);
  CU_ASSERT(is_white(img, 2, 1));
  CU_ASSERT(is_black(img, 13, 1));
  ft_image_free(img);
  free(b.d);
  free(pix);
  ft_ctx_free(ctx);
}

/* ---- TIFF fixtures ---- */

typedef struct tiff_spec {
  uint32_t w, h;
  uint16_t spp, bps, fmt, photo, planar, compression, resunit, orient;
  uint16_t nextra, extra;   /* one extra sample kind when nextra = 1 */
  uint32_t tile, rps;       /* tile side (0 = strips), rows per strip */
  float xres, yres;         /* 0 = no resolution tags */
  const char *desc;         /* ImageDescription or NULL */
  const double *vals;       /* raw sample values, w*h*spp interleaved */
} tiff_spec;

/* Encode the block (x0, y0, bw, bh) of one plane (-1: all samples, contiguous)
 * into out with rows of stride bytes. */
static void tiff_block(const tiff_spec *s, uint32_t x0, uint32_t y0, uint32_t bw, uint32_t bh,
                       int plane, unsigned char *out, size_t stride) {
  uint32_t x, y;
  int c, c0 = plane < 0 ? 0 : plane, c1 = plane < 0 ? s->spp : plane + 1, per = c1 - c0;
  for (y = 0; y < bh; y++) {
    unsigned char *row = out + (size_t)y * stride;
    if (y0 + y >= s->h) break;
    for (x = 0; x < bw && x0 + x < s->w; x++)
      for (c = c0; c < c1; c++) {
        double v = s->vals[((size_t)(y0 + y) * s->w + x0 + x) * s->spp + c];
        size_t i = (size_t)x * per + (c - c0);
        if (s->fmt == SAMPLEFORMAT_IEEEFP) {
          float f = (float)v;
          memcpy(row + 4 * i, &f, 4);
        } else if (s->bps == 16) {
          uint16_t u = (uint16_t)v;
          memcpy(row + 2 * i, &u, 2);
        } else if (s->bps == 8) {
          row[i] = (unsigned char)v;
        } else {
          size_t bit = i * s->bps;
          row[bit >> 3] |= (unsigned)v << (8 - s->bps - (bit & 7));
        }
      }
  }
}

static void tiff_write_page(TIFF *t, const tiff_spec *s) {
  int nplanes = s->planar == PLANARCONFIG_SEPARATE ? s->spp : 1, plane;
  TIFFSetField(t, TIFFTAG_IMAGEWIDTH, s->w);
  TIFFSetField(t, TIFFTAG_IMAGELENGTH, s->h);
  TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, s->spp);
  TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, s->bps);
  TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, s->fmt ? s->fmt : SAMPLEFORMAT_UINT);
  TIFFSetField(t, TIFFTAG_PHOTOMETRIC, s->photo);
  TIFFSetField(t, TIFFTAG_PLANARCONFIG, s->planar ? s->planar : PLANARCONFIG_CONTIG);
  TIFFSetField(t, TIFFTAG_COMPRESSION, s->compression ? s->compression : COMPRESSION_NONE);
  if (s->photo == PHOTOMETRIC_YCBCR) {
    TIFFSetField(t, TIFFTAG_JPEGQUALITY, 95);
    TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
  }
  if (s->orient) TIFFSetField(t, TIFFTAG_ORIENTATION, s->orient);
  if (s->nextra) {
    uint16_t ex[1];
    ex[0] = s->extra;
    TIFFSetField(t, TIFFTAG_EXTRASAMPLES, 1, ex);
  }
  if (s->xres > 0) {
    TIFFSetField(t, TIFFTAG_XRESOLUTION, s->xres);
    TIFFSetField(t, TIFFTAG_YRESOLUTION, s->yres);
    TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, s->resunit);
  }
  if (s->desc) TIFFSetField(t, TIFFTAG_IMAGEDESCRIPTION, s->desc);
  if (s->tile) {
    uint32_t tx, ty;
    tmsize_t tsz;
    unsigned char *blk;
    TIFFSetField(t, TIFFTAG_TILEWIDTH, s->tile);
    TIFFSetField(t, TIFFTAG_TILELENGTH, s->tile);
    tsz = TIFFTileSize(t);
    blk = malloc((size_t)tsz);
    for (plane = 0; plane < nplanes; plane++)
      for (ty = 0; ty < s->h; ty += s->tile)
        for (tx = 0; tx < s->w; tx += s->tile) {
          memset(blk, 0, (size_t)tsz);
          tiff_block(s, tx, ty, s->tile, s->tile, nplanes > 1 ? plane : -1, blk,
                     (size_t)TIFFTileRowSize(t));
          CU_ASSERT(TIFFWriteTile(t, blk, tx, ty, 0, (uint16_t)plane) > 0);
        }
    free(blk);
  } else {
    uint32_t rps = s->rps ? s->rps : s->h, row;
    tmsize_t line;
    unsigned char *blk;
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, rps);
    line = TIFFScanlineSize(t);
    blk = malloc((size_t)line * rps);
    for (plane = 0; plane < nplanes; plane++)
      for (row = 0; row < s->h; row += rps) {
        uint32_t n = s->h - row < rps ? s->h - row : rps;
        memset(blk, 0, (size_t)line * rps);
        tiff_block(s, 0, row, s->w, n, nplanes > 1 ? plane : -1, blk, (size_t)line);
        CU_ASSERT(TIFFWriteEncodedStrip(t, TIFFComputeStrip(t, row, (uint16_t)plane), blk,
                                        (tmsize_t)line * n) >= 0);
      }
    free(blk);
  }
}

/* Write the pages to a temporary file and return its bytes. */
static buf tiff_make(const tiff_spec *pages, int npages) {
  char *path = temp_path();
  TIFF *t = TIFFOpen(path, "w");
  buf b;
  int i;
  CU_ASSERT_PTR_NOT_NULL_FATAL(t);
  for (i = 0; i < npages; i++) {
    tiff_write_page(t, &pages[i]);
    CU_ASSERT(TIFFWriteDirectory(t) == 1);
  }
  TIFFClose(t);
  b = slurp(path);
  unlink(path);
  free(path);
  return b;
}

static double *random_vals(size_t n, unsigned maxv) {
  double *v = malloc(n * sizeof *v);
  size_t i;
  for (i = 0; i < n; i++) v[i] = rnd() % (maxv + 1u);
  v[0] = 0;
  if (n > 1) v[1] = maxv;
  return v;
}

/* Check img against the fixture: channel c of the image is sample map[c]. */
static int tiff_mismatches(const ft_image *img, const tiff_spec *s, const int *map, int invert) {
  size_t i, n = (size_t)s->w * s->h;
  int c, bad = 0;
  double maxv = s->fmt == SAMPLEFORMAT_IEEEFP ? 1.0 : (double)((1u << s->bps) - 1u);
  for (i = 0; i < n; i++)
    for (c = 0; c < img->channels; c++) {
      double v = s->vals[i * s->spp + map[c]];
      float e;
      if (s->fmt == SAMPLEFORMAT_IEEEFP)
        e = ft__unit((float)v);
      else
        e = ft__unit(v / maxv);
      if (invert && c == 0) e = 1.0f - e;
      if (img->data[i * img->channels + c] != e) bad++;
    }
  return bad;
}

static void test_tiff_variants(void) {
  static const int id[4] = {0, 1, 2, 3};
  static const struct {
    uint16_t spp, bps, fmt, photo, planar, compression, nextra, extra;
    uint32_t tile, rps;
    int channels;
  } v[] = {
      {1, 8, 1, PHOTOMETRIC_MINISBLACK, 1, COMPRESSION_NONE, 0, 0, 0, 0, 1},
      {1, 16, 1, PHOTOMETRIC_MINISBLACK, 1, COMPRESSION_NONE, 0, 0, 0, 3, 1},
      {1, 1, 1, PHOTOMETRIC_MINISBLACK, 1, COMPRESSION_NONE, 0, 0, 0, 0, 1},
      {1, 4, 1, PHOTOMETRIC_MINISBLACK, 1, COMPRESSION_NONE, 0, 0, 0, 0, 1},
      {1, 8, 1, PHOTOMETRIC_MINISWHITE, 1, COMPRESSION_NONE, 0, 0, 0, 0, 1},
      {1, 1, 1, PHOTOMETRIC_MINISWHITE, 1, COMPRESSION_NONE, 0, 0, 0, 5, 1},
      {3, 8, 1, PHOTOMETRIC_RGB, 1, COMPRESSION_NONE, 0, 0, 0, 0, 3},
      {3, 16, 1, PHOTOMETRIC_RGB, 1, COMPRESSION_LZW, 0, 0, 0, 4, 3},
      {4, 8, 1, PHOTOMETRIC_RGB, 1, COMPRESSION_NONE, 1, EXTRASAMPLE_UNASSALPHA, 0, 0, 4},
      {2, 16, 1, PHOTOMETRIC_MINISBLACK, 1, COMPRESSION_NONE, 1, EXTRASAMPLE_UNASSALPHA, 0, 0, 2},
      {2, 8, 1, PHOTOMETRIC_MINISBLACK, 1, COMPRESSION_NONE, 1, EXTRASAMPLE_UNSPECIFIED, 0, 0, 1},
      {1, 8, 1, PHOTOMETRIC_MINISBLACK, 1, COMPRESSION_NONE, 0, 0, 16, 0, 1},
      {3, 16, 1, PHOTOMETRIC_RGB, 1, COMPRESSION_ADOBE_DEFLATE, 0, 0, 16, 0, 3},
      {3, 8, 1, PHOTOMETRIC_RGB, 2, COMPRESSION_NONE, 0, 0, 0, 7, 3},
      {4, 16, 1, PHOTOMETRIC_RGB, 2, COMPRESSION_NONE, 1, EXTRASAMPLE_UNASSALPHA, 16, 0, 4},
      {1, 32, 3, PHOTOMETRIC_MINISBLACK, 1, COMPRESSION_NONE, 0, 0, 0, 0, 1},
      {3, 32, 3, PHOTOMETRIC_RGB, 2, COMPRESSION_NONE, 0, 0, 16, 0, 3},
  };
  ft_ctx *ctx = ft_ctx_new();
  size_t k, tested = 0;
  for (k = 0; k < sizeof v / sizeof v[0]; k++) {
    tiff_spec s;
    buf b;
    ft_image *img = NULL;
    size_t n;
    memset(&s, 0, sizeof s);
    s.w = 37;
    s.h = 21;
    s.spp = v[k].spp;
    s.bps = v[k].bps;
    s.fmt = v[k].fmt;
    s.photo = v[k].photo;
    s.planar = v[k].planar;
    s.compression = v[k].compression;
    s.nextra = v[k].nextra;
    s.extra = v[k].extra;
    s.tile = v[k].tile;
    s.rps = v[k].rps;
    if (!TIFFIsCODECConfigured(s.compression)) continue;
    tested++;
    n = (size_t)s.w * s.h * s.spp;
    if (s.fmt == SAMPLEFORMAT_IEEEFP) {
      double *f = malloc(n * sizeof *f);
      size_t i;
      for (i = 0; i < n; i++) f[i] = (double)(rnd() % 1000) / 500.0 - 0.5; /* -0.5 .. 1.5 */
      f[0] = 0.25;
      s.vals = f;
    } else {
      s.vals = random_vals(n, (1u << s.bps) - 1u);
    }
    b = tiff_make(&s, 1);
    CU_ASSERT_EQUAL(rd(ctx, &b, "v.tif", NULL, &img), FT_OK);
    if (!img) {
      fprintf(stderr, "variant %zu: %s\n", k, ft_ctx_errmsg(ctx));
    } else {
      int bad = tiff_mismatches(img, &s, id, s.photo == PHOTOMETRIC_MINISWHITE);
      CU_ASSERT_EQUAL(img->width, 37);
      CU_ASSERT_EQUAL(img->height, 21);
      CU_ASSERT_EQUAL(img->channels, v[k].channels);
      CU_ASSERT_EQUAL(img->bit_depth, s.bps);
      CU_ASSERT_EQUAL(bad, 0);
      if (bad) fprintf(stderr, "variant %zu: %d mismatches\n", k, bad);
      if (s.fmt == SAMPLEFORMAT_IEEEFP) CU_ASSERT_EQUAL(img->data[0], 0.25f);
      CU_ASSERT_STRING_EQUAL(img->name, "v.tif");
      ft_image_free(img);
    }
    free((void *)s.vals);
    free(b.d);
  }
  /* only the LZW and deflate variants may be skipped, when not built in */
  CU_ASSERT(tested + 2 >= sizeof v / sizeof v[0]);
  ft_ctx_free(ctx);
}

static void test_tiff_assoc_alpha_orientation(void) {
  /* premultiplied gray 0.25 at alpha 0.5 reads as straight 0.5 */
  static const double px[4] = {64, 128, 0, 0};
  static const double q[6] = {10, 20, 30, 40, 50, 60};
  ft_ctx *ctx = ft_ctx_new();
  tiff_spec s;
  buf b;
  ft_image *img = NULL;
  memset(&s, 0, sizeof s);
  s.w = 2;
  s.h = 1;
  s.spp = 2;
  s.bps = 8;
  s.photo = PHOTOMETRIC_MINISBLACK;
  s.nextra = 1;
  s.extra = EXTRASAMPLE_ASSOCALPHA;
  s.vals = px;
  b = tiff_make(&s, 1);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "a.tif", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->channels, 2);
  CU_ASSERT_DOUBLE_EQUAL(img->data[0], 64.0 / 128.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(img->data[1], 128.0 / 255.0, 1e-6);
  CU_ASSERT_EQUAL(img->data[2], 0.0f);
  CU_ASSERT_EQUAL(img->data[3], 0.0f);
  ft_image_free(img);
  free(b.d);
  /* Orientation 3 (bottom right): rotated 180 degrees */
  memset(&s, 0, sizeof s);
  s.w = 3;
  s.h = 2;
  s.spp = 1;
  s.bps = 8;
  s.photo = PHOTOMETRIC_MINISBLACK;
  s.orient = ORIENTATION_BOTRIGHT;
  s.vals = q;
  b = tiff_make(&s, 1);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "o.tif", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->width, 3);
  CU_ASSERT_EQUAL(img->data[0], 60 / 255.0f);
  CU_ASSERT_EQUAL(img->data[5], 10 / 255.0f);
  ft_image_free(img);
  free(b.d);
  ft_ctx_free(ctx);
}

static void test_tiff_pages(void) {
  ft_ctx *ctx = ft_ctx_new();
  tiff_spec s[3];
  double *vals[3];
  buf b;
  ft_read_params p;
  int i;
  ft_image *img = NULL;
  for (i = 0; i < 3; i++) {
    memset(&s[i], 0, sizeof s[i]);
    s[i].w = 5 + i;
    s[i].h = 3 + 2 * i;
    s[i].spp = 1;
    s[i].bps = 8;
    s[i].photo = PHOTOMETRIC_MINISBLACK;
    s[i].tile = i == 2 ? 16 : 0;
    vals[i] = random_vals((size_t)s[i].w * s[i].h, 255);
    vals[i][0] = 100 + i;
    s[i].vals = vals[i];
  }
  b = tiff_make(s, 3);
  ft_read_params_init(&p);
  for (i = 0; i < 3; i++) {
    static const int map[1] = {0};
    p.page = i;
    CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "stack.tif", &p, &img), FT_OK);
    CU_ASSERT_EQUAL(img->width, 5 + i);
    CU_ASSERT_EQUAL(img->height, 3 + 2 * i);
    CU_ASSERT_EQUAL(img->data[0], (100 + i) / 255.0f);
    CU_ASSERT_EQUAL(tiff_mismatches(img, &s[i], map, 0), 0);
    ft_image_free(img);
  }
  p.page = 3;
  img = (ft_image *)&p;
  CU_ASSERT_EQUAL(rd(ctx, &b, "stack.tif", &p, &img), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(img);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx),
                         "stack.tif: tiff: page 3 requested but the file has 3 pages");
  p.page = -1;
  CU_ASSERT_EQUAL(rd(ctx, &b, "stack.tif", &p, &img), FT_ERR_INVAL);
  for (i = 0; i < 3; i++) free(vals[i]);
  free(b.d);
  ft_ctx_free(ctx);
}

static void test_tiff_pixel_size(void) {
  static const struct {
    float xres, yres;
    uint16_t unit;
    const char *desc;
    double pw, ph;
  } v[] = {
      {5000.0f, 2500.0f, RESUNIT_CENTIMETER, NULL, 2.0, 4.0},
      {2540.0f, 2540.0f, RESUNIT_INCH, NULL, 10.0, 10.0},
      {4.0f, 2.0f, RESUNIT_NONE, NULL, 0.0, 0.0},
      {4.0f, 2.0f, RESUNIT_NONE, "ImageJ=1.54f\nimages=1\nunit=micron\nspacing=2.5\n", 0.25, 0.5},
      {4.0f, 4.0f, RESUNIT_NONE, "ImageJ=1.54f\nunit=um\n", 0.25, 0.25},
      {4.0f, 4.0f, RESUNIT_NONE, "ImageJ=1.54f\nunit=\xc2\xb5m\n", 0.25, 0.25},
      {4.0f, 4.0f, RESUNIT_NONE, "ImageJ=1.54f\nunit=\\u00B5m\n", 0.25, 0.25},
      {0.01f, 0.02f, RESUNIT_NONE, "ImageJ=1.54f\nunit=nm\n", 0.1, 0.05},
      {2.0f, 2.0f, RESUNIT_INCH, "ImageJ=1.54f\nunit=mm\n", 500.0, 500.0},
      {2.0f, 2.0f, RESUNIT_NONE, "ImageJ=1.54f\nunit=pixel\n", 0.0, 0.0},
      {0.0f, 0.0f, 0, NULL, 0.0, 0.0},
  };
  static const double px[4] = {1, 2, 3, 4};
  ft_ctx *ctx = ft_ctx_new();
  size_t k;
  for (k = 0; k < sizeof v / sizeof v[0]; k++) {
    tiff_spec s;
    buf b;
    ft_image *img = NULL;
    memset(&s, 0, sizeof s);
    s.w = 2;
    s.h = 2;
    s.spp = 1;
    s.bps = 8;
    s.photo = PHOTOMETRIC_MINISBLACK;
    s.vals = px;
    s.xres = v[k].xres;
    s.yres = v[k].yres;
    s.resunit = v[k].unit;
    s.desc = v[k].desc;
    b = tiff_make(&s, 1);
    CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "cal.tif", NULL, &img), FT_OK);
    CU_ASSERT_DOUBLE_EQUAL(img->pixel_w, v[k].pw, 1e-6 * (1 + v[k].pw));
    CU_ASSERT_DOUBLE_EQUAL(img->pixel_h, v[k].ph, 1e-6 * (1 + v[k].ph));
    ft_image_free(img);
    free(b.d);
  }
  ft_ctx_free(ctx);
}

/* ---- PNM ---- */

/* Compact PNM reads: PBM (P1, P4 with odd widths), PGM/PPM/PAM whose maxval
 * divides 255 come back as bytes with the float read's values; other
 * maxvals stay float. */
static void test_pnm_compact(void) {
  static const unsigned maxvals[] = {1, 3, 5, 15, 17, 51, 85, 255, 7, 100, 254, 1000, 65535};
  ft_ctx *ctx = ft_ctx_new();
  buf b = {NULL, 0, 0};
  int w, k, i;
  buf_str(&b, "P1\n3 2\n101\n0 1 0\n");
  check_compact(ctx, &b, "a.pbm", 1);
  for (w = 1; w <= 19; w += 3) {
    char hdr[64];
    int rowbytes = (w + 7) / 8;
    b.len = 0;
    snprintf(hdr, sizeof hdr, "P4\n%d 3\n", w);
    buf_str(&b, hdr);
    for (i = 0; i < 3 * rowbytes; i++) {
      unsigned char c = (unsigned char)rnd();
      buf_put(&b, &c, 1);
    }
    check_compact(ctx, &b, "b.pbm", 1);
  }
  for (k = 0; k < (int)(sizeof maxvals / sizeof maxvals[0]); k++) {
    unsigned mv = maxvals[k];
    int compact = 255 % mv == 0, kind;
    for (kind = 5; kind <= 7; kind++) {
      char hdr[128];
      int nch = kind == 6 ? 3 : kind == 7 ? 2 : 1, n = 5 * 4 * nch;
      b.len = 0;
      if (kind == 7)
        snprintf(hdr, sizeof hdr, "P7\nWIDTH 5\nHEIGHT 4\nDEPTH 2\nMAXVAL %u\nENDHDR\n", mv);
      else
        snprintf(hdr, sizeof hdr, "P%d\n5 4\n%u\n", kind, mv);
      buf_str(&b, hdr);
      for (i = 0; i < n; i++) {
        unsigned v = i == 0 ? mv : rnd() % (mv + 1);
        unsigned char c[2] = {(unsigned char)(v >> 8), (unsigned char)v};
        if (mv > 255)
          buf_put(&b, c, 2);
        else
          buf_put(&b, c + 1, 1);
      }
      check_compact(ctx, &b, "c.pnm", compact);
    }
  }
  free(b.d);
  ft_ctx_free(ctx);
}

static void test_pnm_variants(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *img = NULL;
  buf b = {NULL, 0, 0};
  /* P1 with comments and digits run together */
  buf_str(&b, "P1\n# a comment\n3 2 # trailing comment\n101\n0 1 0\n");
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "a.pbm", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->width, 3);
  CU_ASSERT_EQUAL(img->height, 2);
  CU_ASSERT_EQUAL(img->channels, 1);
  CU_ASSERT_EQUAL(img->bit_depth, 1);
  CU_ASSERT_EQUAL(img->data[0], 0.0f);
  CU_ASSERT_EQUAL(img->data[1], 1.0f);
  CU_ASSERT_EQUAL(img->data[4], 0.0f);
  CU_ASSERT_EQUAL(img->data[5], 1.0f);
  ft_image_free(img);
  b.len = 0;
  /* P2 with maxval 1000 */
  buf_str(&b, "P2 2 2\n#c\n1000\n0 250\n999 1000\n");
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "a.pgm", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->bit_depth, 16);
  CU_ASSERT_EQUAL(img->data[1], 250.0f / 1000.0f);
  CU_ASSERT_EQUAL(img->data[2], 999.0f / 1000.0f);
  CU_ASSERT_EQUAL(img->data[3], 1.0f);
  ft_image_free(img);
  b.len = 0;
  /* P3 with maxval 15 */
  buf_str(&b, "P3 1 2 15 1 2 3 15 14 0");
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "a.ppm", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->channels, 3);
  CU_ASSERT_EQUAL(img->bit_depth, 4);
  CU_ASSERT_EQUAL(img->data[2], 3.0f / 15.0f);
  CU_ASSERT_EQUAL(img->data[4], 14.0f / 15.0f);
  ft_image_free(img);
  b.len = 0;
  /* P4: 10 pixels wide, rows padded to 2 bytes */
  buf_str(&b, "P4\n10 2\n");
  buf_put(&b, "\xA0\x40\x00\xC0", 4);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "b.pbm", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->data[0], 0.0f);
  CU_ASSERT_EQUAL(img->data[1], 1.0f);
  CU_ASSERT_EQUAL(img->data[2], 0.0f);
  CU_ASSERT_EQUAL(img->data[9], 0.0f);
  CU_ASSERT_EQUAL(img->data[10], 1.0f);
  CU_ASSERT_EQUAL(img->data[18], 0.0f);
  CU_ASSERT_EQUAL(img->data[19], 0.0f);
  CU_ASSERT_EQUAL(img->data[17], 1.0f);
  ft_image_free(img);
  b.len = 0;
  /* P5 8-bit and 16-bit (big-endian) */
  buf_str(&b, "P5 3 1 255\n");
  buf_put(&b, "\x00\x80\xff", 3);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "c.pgm", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->bit_depth, 8);
  CU_ASSERT_EQUAL(img->data[1], 128.0f / 255.0f);
  ft_image_free(img);
  b.len = 0;
  buf_str(&b, "P5 2 1 65535\n");
  buf_put(&b, "\x12\x34\xff\xff", 4);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "d.pgm", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->bit_depth, 16);
  CU_ASSERT_EQUAL(img->data[0], (float)0x1234 / 65535.0f);
  CU_ASSERT_EQUAL(img->data[1], 1.0f);
  ft_image_free(img);
  b.len = 0;
  /* P6 16-bit */
  buf_str(&b, "P6\n1 1\n4095\n");
  buf_put(&b, "\x0f\xff\x00\x01\x08\x00", 6);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "e.ppm", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->channels, 3);
  CU_ASSERT_EQUAL(img->data[0], 1.0f);
  CU_ASSERT_EQUAL(img->data[1], 1.0f / 4095.0f);
  CU_ASSERT_EQUAL(img->data[2], 2048.0f / 4095.0f);
  ft_image_free(img);
  b.len = 0;
  /* P7 RGB_ALPHA and GRAYSCALE_ALPHA */
  buf_str(&b, "P7\nWIDTH 2\nHEIGHT 1\n# comment\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n");
  buf_put(&b, "\x01\x02\x03\x04\x05\x06\x07\xff", 8);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "f.pam", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->channels, 4);
  CU_ASSERT_EQUAL(img->data[3], 4.0f / 255.0f);
  CU_ASSERT_EQUAL(img->data[7], 1.0f);
  ft_image_free(img);
  b.len = 0;
  buf_str(&b, "P7\nWIDTH 1\nHEIGHT 1\nDEPTH 2\nMAXVAL 1000\nTUPLTYPE GRAYSCALE_ALPHA\nENDHDR\n");
  buf_put(&b, "\x01\xf4\x03\xe8", 4);
  CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "g.pam", NULL, &img), FT_OK);
  CU_ASSERT_EQUAL(img->channels, 2);
  CU_ASSERT_EQUAL(img->data[0], 0.5f);
  CU_ASSERT_EQUAL(img->data[1], 1.0f);
  ft_image_free(img);
  b.len = 0;
  /* errors */
  buf_str(&b, "P5 2 1 100\n");
  buf_put(&b, "\x10\x65", 2);
  CU_ASSERT_EQUAL(rd(ctx, &b, "h.pgm", NULL, &img), FT_ERR_FORMAT);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "h.pgm: pnm: sample 101 above maxval 100");
  b.len = 0;
  buf_str(&b, "P5 2 1 0\n\x00\x00");
  CU_ASSERT_EQUAL(rd(ctx, &b, "i.pgm", NULL, &img), FT_ERR_FORMAT);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "i.pgm: pnm: maxval 0 out of range 1..65535");
  b.len = 0;
  buf_str(&b, "P2 2 1 70000\n1 2\n");
  CU_ASSERT_EQUAL(rd(ctx, &b, "j.pgm", NULL, &img), FT_ERR_FORMAT);
  b.len = 0;
  buf_str(&b, "P5 0 4 255\n");
  CU_ASSERT_EQUAL(rd(ctx, &b, "k.pgm", NULL, &img), FT_ERR_FORMAT);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "k.pgm: pnm: image has zero size (0x4)");
  b.len = 0;
  buf_str(&b, "P1 2 1 0 2");
  CU_ASSERT_EQUAL(rd(ctx, &b, "l.pbm", NULL, &img), FT_ERR_FORMAT);
  b.len = 0;
  buf_str(&b, "P3 x 1 255\n");
  CU_ASSERT_EQUAL(rd(ctx, &b, "m.ppm", NULL, &img), FT_ERR_FORMAT);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "m.ppm: pnm: bad number in the header");
  b.len = 0;
  buf_str(&b, "P7\nWIDTH 1\nHEIGHT 1\nDEPTH 5\nMAXVAL 255\nENDHDR\n");
  CU_ASSERT_EQUAL(rd(ctx, &b, "n.pam", NULL, &img), FT_ERR_UNSUPPORTED);
  CU_ASSERT_PTR_NULL(img);
  free(b.d);
  ft_ctx_free(ctx);
}

/* ---- streams and files ---- */

static void test_stream_pipe_and_file(void) {
  ft_ctx *ctx = ft_ctx_new();
  uint16_t *smp = random_samples(64 * 40 * 3, 255);
  png_spec s;
  buf b;
  int fds[2], status = 0;
  pid_t pid;
  FILE *fp;
  ft_image *img = NULL;
  char *path;
  memset(&s, 0, sizeof s);
  s.w = 64;
  s.h = 40;
  s.ctype = PNG_COLOR_TYPE_RGB;
  s.depth = 8;
  s.samples = smp;
  b = png_make(&s);
  /* a real pipe, written by a child process in small pieces */
  CU_ASSERT_FATAL(pipe(fds) == 0);
  pid = fork();
  CU_ASSERT_FATAL(pid >= 0);
  if (pid == 0) {
    size_t off = 0;
    close(fds[0]);
    while (off < b.len) {
      size_t n = b.len - off < 1000 ? b.len - off : 1000;
      ssize_t w = write(fds[1], b.d + off, n);
      if (w <= 0) _exit(1);
      off += (size_t)w;
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  fp = fdopen(fds[0], "rb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
  CU_ASSERT_EQUAL(ft_read_stream(ctx, fp, "pipe.png", NULL, &img), FT_OK);
  fclose(fp);
  waitpid(pid, &status, 0);
  CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL(img);
  CU_ASSERT_EQUAL(img->width, 64);
  CU_ASSERT_EQUAL(img->height, 40);
  CU_ASSERT_EQUAL(img->data[3 * 64 * 40 - 1], smp[3 * 64 * 40 - 1] / 255.0f);
  ft_image_free(img);

  /* "-" reads standard input; messages call it stdin */
  {
    int saved = dup(0);
    CU_ASSERT_FATAL(pipe(fds) == 0);
    CU_ASSERT(write(fds[1], "junk data", 9) == 9);
    close(fds[1]);
    dup2(fds[0], 0);
    close(fds[0]);
    clearerr(stdin);
    CU_ASSERT_EQUAL(ft_read_file(ctx, "-", NULL, &img), FT_ERR_FORMAT);
    CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "stdin: not a PNG, JPEG, TIFF or PNM image");
    CU_ASSERT_FATAL(pipe(fds) == 0);
    CU_ASSERT(write(fds[1], "P5 1 1 255\n\x40", 12) == 12);
    close(fds[1]);
    dup2(fds[0], 0);
    close(fds[0]);
    clearerr(stdin);
    CU_ASSERT_EQUAL(ft_read_file(ctx, "-", NULL, &img), FT_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(img);
    CU_ASSERT_STRING_EQUAL(img->name, "-");
    CU_ASSERT_EQUAL(img->data[0], 64.0f / 255.0f);
    ft_image_free(img);
    dup2(saved, 0);
    close(saved);
    clearerr(stdin);
  }

  /* a file by path, a missing file, a directory */
  path = temp_path();
  fp = fopen(path, "wb");
  CU_ASSERT_FATAL(fp != NULL);
  fwrite(b.d, 1, b.len, fp);
  fclose(fp);
  CU_ASSERT_EQUAL(ft_read_file(ctx, path, NULL, &img), FT_OK);
  CU_ASSERT_PTR_NOT_NULL_FATAL(img);
  CU_ASSERT_STRING_EQUAL(img->name, path);
  ft_image_free(img);
  unlink(path);
  img = (ft_image *)&s;
  CU_ASSERT_EQUAL(ft_read_file(ctx, path, NULL, &img), FT_ERR_IO);
  CU_ASSERT_PTR_NULL(img);
  CU_ASSERT(starts_with(ft_ctx_errmsg(ctx), path));
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "No such file"));
  CU_ASSERT_EQUAL(ft_read_file(ctx, "/tmp", NULL, &img), FT_ERR_IO);
  CU_ASSERT(starts_with(ft_ctx_errmsg(ctx), "/tmp: "));
  free(path);
  free(b.d);
  free(smp);
  ft_ctx_free(ctx);
}

/* ---- a file's buffer as the pixels ---- */

/* Binary 8-bit PNM files read compact by path: maxval 255 (where the read
 * buffer becomes the pixels) with a header comment and bytes after the
 * samples, maxval 15 (mapped, not taken) and a P6, each equal sample for
 * sample to the same bytes read from memory, with the name set. */
static void test_pnm_file_compact(void) {
  static const struct {
    const char *head;
    int w, h, ch, maxval, tail;
  } v[] = {{"P5\n# c\n301 7\n255\n", 301, 7, 1, 255, 5},
           {"P5 64 33 15\n", 64, 33, 1, 15, 0},
           {"P6\n33 20 255\n", 33, 20, 3, 255, 0},
           {"P5 1 1 255\n", 1, 1, 1, 255, 0}};
  ft_ctx *ctx = ft_ctx_new();
  ft_read_params p;
  size_t k;
  CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
  ft_read_params_init(&p);
  p.compact = 1;
  for (k = 0; k < sizeof v / sizeof v[0]; k++) {
    buf b = {NULL, 0, 0};
    ft_image *a = NULL, *f = NULL;
    char *path = temp_path();
    int w = v[k].w, h = v[k].h;
    size_t n, i;
    FILE *fp;
    buf_put(&b, v[k].head, strlen(v[k].head));
    n = (size_t)w * h * v[k].ch;
    for (i = 0; i < n + (size_t)v[k].tail; i++) {
      unsigned char c = (unsigned char)((i * 37 + i / 7) % (unsigned)(v[k].maxval + 1));
      buf_put(&b, &c, 1);
    }
    fp = fopen(path, "wb");
    CU_ASSERT_FATAL(fp != NULL);
    fwrite(b.d, 1, b.len, fp);
    fclose(fp);
    CU_ASSERT_EQUAL(rd(ctx, &b, "m.pgm", &p, &a), FT_OK);
    CU_ASSERT_EQUAL(ft_read_file(ctx, path, &p, &f), FT_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(f->storage, FT_STORAGE_U8);
    CU_ASSERT_EQUAL(f->width, w);
    CU_ASSERT_EQUAL(f->height, h);
    CU_ASSERT_EQUAL(f->channels, v[k].ch);
    CU_ASSERT_STRING_EQUAL(f->name, path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f->data8);
    CU_ASSERT(memcmp(a->data8, f->data8, n) == 0);
    ft_image_free(a);
    ft_image_free(f);
    unlink(path);
    free(path);
    free(b.d);
  }
  ft_ctx_free(ctx);
}

/* ---- hostile input ---- */

/* Every prefix of 10%..90% must fail cleanly with a message naming the input. */
static void check_truncations(ft_ctx *ctx, const buf *b, const char *name, const char *dom) {
  int pct;
  char prefix[128];
  ft_image *img = NULL;
  snprintf(prefix, sizeof prefix, "%s: %s: ", name, dom);
  /* the whole file reads */
  CU_ASSERT_EQUAL(rd(ctx, b, name, NULL, &img), FT_OK);
  ft_image_free(img);
  for (pct = 10; pct <= 90; pct += 10) {
    size_t n = b->len * pct / 100;
    unsigned char *cut = malloc(n);
    ft_status st;
    memcpy(cut, b->d, n);
    img = (ft_image *)cut;
    st = ft_read_memory(ctx, cut, n, name, NULL, &img);
    CU_ASSERT(st == FT_ERR_FORMAT);
    CU_ASSERT_PTR_NULL(img);
    CU_ASSERT(starts_with(ft_ctx_errmsg(ctx), prefix));
    if (st != FT_ERR_FORMAT || !starts_with(ft_ctx_errmsg(ctx), prefix))
      fprintf(stderr, "%s cut at %d%% (%zu of %zu bytes): status %d, '%s'\n", name, pct, n,
              b->len, st, ft_ctx_errmsg(ctx));
    ft_image_free(img);
    free(cut);
  }
}

static void test_truncated(void) {
  ft_ctx *ctx = ft_ctx_new();
  uint16_t *smp = random_samples(40 * 30 * 4, 65535);
  unsigned char *pix = malloc(48 * 32 * 3);
  double *tv = random_vals(40 * 30 * 3, 255);
  png_spec ps;
  jpeg_spec js;
  tiff_spec ts;
  buf b;
  size_t i;
  int k;
  /* PNG: 16-bit RGBA plain, 8-bit gray interlaced, 1-bit */
  memset(&ps, 0, sizeof ps);
  ps.w = 40;
  ps.h = 30;
  ps.samples = smp;
  for (k = 0; k < 3; k++) {
    ps.ctype = k == 0 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_GRAY;
    ps.depth = k == 0 ? 16 : k == 1 ? 8 : 1;
    ps.interlace = k == 1 ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE;
    if (k == 1) {
      uint16_t *g = random_samples(40 * 30, 255);
      ps.samples = g;
      b = png_make(&ps);
      free(g);
    } else if (k == 2) {
      uint16_t *g = random_samples(40 * 30, 1);
      ps.samples = g;
      b = png_make(&ps);
      free(g);
    } else {
      b = png_make(&ps);
    }
    check_truncations(ctx, &b, "t.png", "png");
    free(b.d);
  }
  /* JPEG baseline and progressive, gray and RGB */
  for (i = 0; i < 48 * 32 * 3; i++) pix[i] = (unsigned char)rnd();
  memset(&js, 0, sizeof js);
  js.w = 48;
  js.h = 32;
  js.pix = pix;
  for (k = 0; k < 4; k++) {
    js.comps = k & 1 ? 3 : 1;
    js.cs = k & 1 ? JCS_RGB : JCS_GRAYSCALE;
    js.progressive = k >= 2;
    js.orientation = k == 3 ? 6 : 0;
    b = jpeg_make(&js);
    check_truncations(ctx, &b, "t.jpg", "jpeg");
    free(b.d);
  }
  /* TIFF: strips, tiles, LZW, planar separate */
  memset(&ts, 0, sizeof ts);
  ts.w = 40;
  ts.h = 30;
  ts.spp = 3;
  ts.bps = 8;
  ts.photo = PHOTOMETRIC_RGB;
  ts.vals = tv;
  for (k = 0; k < 4; k++) {
    ts.rps = k == 0 ? 4 : 0;
    ts.tile = k == 1 ? 16 : 0;
    ts.compression = k == 2 ? COMPRESSION_LZW : COMPRESSION_NONE;
    ts.planar = k == 3 ? PLANARCONFIG_SEPARATE : PLANARCONFIG_CONTIG;
    b = tiff_make(&ts, 1);
    check_truncations(ctx, &b, "t.tif", "tiff");
    free(b.d);
  }
  /* PNM: binary gray, 16-bit RGB, ASCII, bitmap, PAM */
  {
    static const char *heads[5] = {"P5 40 30 255\n", "P6 40 30 65535\n", "P2 40 30 255\n",
                                   "P4 40 30\n",
                                   "P7\nWIDTH 40\nHEIGHT 30\nDEPTH 2\nMAXVAL 255\nENDHDR\n"};
    static const size_t bytes[5] = {1200, 7200, 0, 150, 2400};
    for (k = 0; k < 5; k++) {
      buf p = {NULL, 0, 0};
      buf_str(&p, heads[k]);
      if (k == 2) {
        for (i = 0; i < 1200; i++) {
          char num[8];
          snprintf(num, sizeof num, "%u ", (unsigned)(rnd() % 256));
          buf_str(&p, num);
        }
      } else {
        for (i = 0; i < bytes[k]; i++) {
          unsigned char c = (unsigned char)rnd();
          buf_put(&p, &c, 1);
        }
      }
      check_truncations(ctx, &p, "t.pnm", "pnm");
      free(p.d);
    }
  }
  free(smp);
  free(pix);
  free(tv);
  ft_ctx_free(ctx);
}

static void test_garbage_and_empty(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *img = (ft_image *)ctx;
  unsigned char junk[512];
  size_t i;
  CU_ASSERT_EQUAL(ft_read_memory(ctx, "", 0, "z.png", NULL, &img), FT_ERR_FORMAT);
  CU_ASSERT_PTR_NULL(img);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "z.png: empty input");
  for (i = 0; i < sizeof junk; i++) junk[i] = (unsigned char)rnd();
  junk[0] = 'x';
  CU_ASSERT_EQUAL(ft_read_memory(ctx, junk, sizeof junk, "j.png", NULL, &img), FT_ERR_FORMAT);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "j.png: not a PNG, JPEG, TIFF or PNM image");
  /* each format's magic followed by garbage */
  {
    static const struct {
      const char *magic;
      size_t n;
      const char *prefix;
    } m[] = {{"\x89PNG\r\n\x1a\n", 8, "j: png: "},
             {"\xff\xd8\xff", 3, "j: jpeg: "},
             {"II*\0", 4, "j: tiff: "},
             {"MM\0*", 4, "j: tiff: "},
             {"P6\n", 3, "j: pnm: "},
             {"P7\n", 3, "j: pnm: "}};
    size_t k;
    for (k = 0; k < sizeof m / sizeof m[0]; k++) {
      ft_status st;
      memcpy(junk, m[k].magic, m[k].n);
      img = (ft_image *)ctx;
      st = ft_read_memory(ctx, junk, sizeof junk, "j", NULL, &img);
      CU_ASSERT(st == FT_ERR_FORMAT || st == FT_ERR_UNSUPPORTED);
      CU_ASSERT_PTR_NULL(img);
      CU_ASSERT(starts_with(ft_ctx_errmsg(ctx), m[k].prefix));
      /* the magic alone */
      st = ft_read_memory(ctx, junk, m[k].n, "j", NULL, &img);
      CU_ASSERT(st == FT_ERR_FORMAT);
      CU_ASSERT(starts_with(ft_ctx_errmsg(ctx), m[k].prefix));
    }
  }
  /* wrong magic: a PNG with one signature byte changed */
  {
    uint16_t smp[4] = {1, 2, 3, 4};
    png_spec s;
    buf b;
    memset(&s, 0, sizeof s);
    s.w = 2;
    s.h = 2;
    s.ctype = PNG_COLOR_TYPE_GRAY;
    s.depth = 8;
    s.samples = smp;
    b = png_make(&s);
    b.d[1] = 'Q';
    CU_ASSERT_EQUAL(rd(ctx, &b, "w.png", NULL, &img), FT_ERR_FORMAT);
    CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "w.png: not a PNG, JPEG, TIFF or PNM image");
    /* a page other than 0 of a one-page format */
    b.d[1] = 'P';
    {
      ft_read_params p;
      ft_read_params_init(&p);
      p.page = 1;
      CU_ASSERT_EQUAL(rd(ctx, &b, "w.png", &p, &img), FT_ERR_INVAL);
      CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx),
                             "w.png: png: page 1 requested but the file has 1 page");
      /* the name may be NULL */
      CU_ASSERT_EQUAL(ft_read_memory(ctx, b.d, b.len, NULL, NULL, &img), FT_OK);
      CU_ASSERT_PTR_NOT_NULL(img);
      CU_ASSERT_PTR_NULL(img->name);
      ft_image_free(img);
    }
    free(b.d);
  }
  ft_ctx_free(ctx);
}

/* Flip a few random bytes of a fixture many times: each read either gives a
 * sane image with samples in [0,1] or fails with *out NULL and a message that
 * names the input. */
static void check_corruptions(ft_ctx *ctx, const buf *b, int rounds) {
  ft_read_params p;
  unsigned char *c = malloc(b->len);
  int r, ok = 0, failed = 0, bad = 0;
  ft_read_params_init(&p);
  p.max_pixels = 1 << 16;
  for (r = 0; r < rounds; r++) {
    int flips = 1 + (int)(rnd() % 4), f;
    ft_image *img = (ft_image *)c;
    ft_status st;
    memcpy(c, b->d, b->len);
    for (f = 0; f < flips; f++) c[rnd() % b->len] ^= (unsigned char)(1 + rnd() % 255);
    st = ft_read_memory(ctx, c, b->len, "f", &p, &img);
    if (st == FT_OK) {
      size_t i, n;
      if (!img || img->width < 1 || img->height < 1 || img->channels < 1 || img->channels > 4) {
        bad++;
        continue;
      }
      n = (size_t)img->width * img->height * img->channels;
      for (i = 0; i < n; i++)
        if (!(img->data[i] >= 0.0f && img->data[i] <= 1.0f)) break;
      if (i < n) bad++;
      ok++;
      ft_image_free(img);
    } else {
      if (img != NULL || !starts_with(ft_ctx_errmsg(ctx), "f: ")) bad++;
      failed++;
    }
  }
  CU_ASSERT_EQUAL(bad, 0);
  CU_ASSERT_EQUAL(ok + failed, rounds);
  free(c);
}

static void test_corrupted(void) {
  ft_ctx *ctx = ft_ctx_new();
  uint16_t *smp = random_samples(24 * 16 * 3, 255);
  unsigned char *pix = quadrant(24, 16, 3, 30, 220);
  double *tv = random_vals(24 * 16 * 3, 255);
  png_spec ps;
  jpeg_spec js;
  tiff_spec ts;
  buf b;
  int k;
  memset(&ps, 0, sizeof ps);
  ps.w = 24;
  ps.h = 16;
  ps.samples = smp;
  ps.ctype = PNG_COLOR_TYPE_RGB;
  ps.depth = 8;
  b = png_make(&ps);
  check_corruptions(ctx, &b, 300);
  free(b.d);
  memset(&js, 0, sizeof js);
  js.w = 24;
  js.h = 16;
  js.comps = 3;
  js.cs = JCS_RGB;
  js.pix = pix;
  for (k = 0; k < 2; k++) {
    js.progressive = k;
    js.orientation = k ? 6 : 0;
    b = jpeg_make(&js);
    check_corruptions(ctx, &b, 300);
    free(b.d);
  }
  memset(&ts, 0, sizeof ts);
  ts.w = 24;
  ts.h = 16;
  ts.spp = 3;
  ts.bps = 8;
  ts.photo = PHOTOMETRIC_RGB;
  ts.vals = tv;
  for (k = 0; k < 2; k++) {
    ts.tile = k ? 16 : 0;
    ts.rps = k ? 0 : 5;
    ts.compression = k ? COMPRESSION_NONE : COMPRESSION_LZW;
    b = tiff_make(&ts, 1);
    check_corruptions(ctx, &b, 300);
    free(b.d);
  }
  b.d = NULL;
  b.len = b.cap = 0;
  buf_str(&b, "P7\nWIDTH 4\nHEIGHT 4\nDEPTH 3\nMAXVAL 65535\nENDHDR\n");
  for (k = 0; k < 96; k++) {
    unsigned char x = (unsigned char)rnd();
    buf_put(&b, &x, 1);
  }
  check_corruptions(ctx, &b, 300);
  free(b.d);
  free(smp);
  free(pix);
  free(tv);
  ft_ctx_free(ctx);
}

/* JPEG-compressed YCbCr, as scanners and slide scanners write it. */
static void test_tiff_ycbcr_jpeg(void) {
  ft_ctx *ctx = ft_ctx_new();
  double *v = malloc(48 * 32 * 3 * sizeof *v);
  tiff_spec s;
  buf b;
  ft_image *img = NULL;
  size_t i;
  int bad = 0, tiled;
  for (i = 0; i < 48 * 32; i++) {
    size_t x = i % 48, y = i / 48;
    v[3 * i] = x < 24 ? 200 : 40;
    v[3 * i + 1] = y < 16 ? 180 : 60;
    v[3 * i + 2] = 120;
  }
  if (!TIFFIsCODECConfigured(COMPRESSION_JPEG)) {
    free(v);
    ft_ctx_free(ctx);
    return;
  }
  for (tiled = 0; tiled < 2; tiled++) {
    memset(&s, 0, sizeof s);
    s.w = 48;
    s.h = 32;
    s.spp = 3;
    s.bps = 8;
    s.photo = PHOTOMETRIC_YCBCR;
    s.compression = COMPRESSION_JPEG;
    s.rps = 16;
    s.tile = tiled ? 16 : 0;
    s.vals = v;
    b = tiff_make(&s, 1);
    CU_ASSERT_EQUAL_FATAL(rd(ctx, &b, "y.tif", NULL, &img), FT_OK);
    CU_ASSERT_EQUAL(img->width, 48);
    CU_ASSERT_EQUAL(img->height, 32);
    CU_ASSERT_EQUAL(img->channels, 3);
    CU_ASSERT_EQUAL(img->bit_depth, 8);
    /* away from the colour edges, where chroma subsampling blurs */
    for (i = 0; i < 48 * 32; i++) {
      size_t x = i % 48, y = i / 48, c;
      if ((x >= 20 && x < 28) || (y >= 12 && y < 20)) continue;
      for (c = 0; c < 3; c++)
        if (fabsf(img->data[3 * i + c] - (float)(v[3 * i + c] / 255.0)) > 6.0f / 255.0f) bad++;
    }
    CU_ASSERT_EQUAL(bad, 0);
    ft_image_free(img);
    /* an EOI marker in the middle of the first strip's entropy-coded data */
    {
      char *path = temp_path();
      FILE *fp = fopen(path, "wb");
      TIFF *t;
      uint64_t *off = NULL, *cnt = NULL;
      fwrite(b.d, 1, b.len, fp);
      fclose(fp);
      t = TIFFOpen(path, "r");
      CU_ASSERT_PTR_NOT_NULL_FATAL(t);
      CU_ASSERT_FATAL(TIFFGetField(t, tiled ? TIFFTAG_TILEOFFSETS : TIFFTAG_STRIPOFFSETS, &off) &&
                      TIFFGetField(t, tiled ? TIFFTAG_TILEBYTECOUNTS : TIFFTAG_STRIPBYTECOUNTS,
                                   &cnt));
      b.d[off[0] + cnt[0] - 40] = 0xFF;
      b.d[off[0] + cnt[0] - 39] = 0xD9;
      TIFFClose(t);
      unlink(path);
      free(path);
    }
    img = (ft_image *)&s;
    CU_ASSERT_EQUAL(rd(ctx, &b, "y.tif", NULL, &img), FT_ERR_FORMAT);
    CU_ASSERT_PTR_NULL(img);
    CU_ASSERT(starts_with(ft_ctx_errmsg(ctx), "y.tif: tiff: "));
    free(b.d);
  }
  free(v);
  ft_ctx_free(ctx);
}

static void test_tiff_unsupported(void) {
  static const double px[4] = {1, 2, 3, 4};
  ft_ctx *ctx = ft_ctx_new();
  tiff_spec s;
  buf b;
  ft_image *img = NULL;
  memset(&s, 0, sizeof s);
  s.w = 2;
  s.h = 2;
  s.spp = 1;
  s.bps = 16;
  s.fmt = SAMPLEFORMAT_INT;
  s.photo = PHOTOMETRIC_MINISBLACK;
  s.vals = px;
  b = tiff_make(&s, 1);
  CU_ASSERT_EQUAL(rd(ctx, &b, "s.tif", NULL, &img), FT_ERR_UNSUPPORTED);
  CU_ASSERT_PTR_NULL(img);
  CU_ASSERT(starts_with(ft_ctx_errmsg(ctx), "s.tif: tiff: sample format 2"));
  free(b.d);
  s.fmt = SAMPLEFORMAT_UINT;
  s.bps = 8;
  s.spp = 4;
  s.photo = PHOTOMETRIC_SEPARATED;
  {
    double q[16] = {0};
    s.vals = q;
    b = tiff_make(&s, 1);
  }
  CU_ASSERT_EQUAL(rd(ctx, &b, "k.tif", NULL, &img), FT_ERR_UNSUPPORTED);
  CU_ASSERT(starts_with(ft_ctx_errmsg(ctx), "k.tif: tiff: photometric interpretation 5"));
  free(b.d);
  ft_ctx_free(ctx);
}

/* A little-endian TIFF header declaring w x h 8-bit gray with one strip. */
static buf tiff_header(uint32_t w, uint32_t h) {
  static const uint16_t tags[9] = {256, 257, 258, 259, 262, 273, 277, 278, 279};
  buf b = {NULL, 0, 0};
  uint32_t vals[9];
  uint16_t n = 9;
  int i;
  vals[0] = w;
  vals[1] = h;
  vals[2] = 8;
  vals[3] = 1;
  vals[4] = 1;
  vals[5] = 200;
  vals[6] = 1;
  vals[7] = h;
  vals[8] = 64;
  buf_put(&b, "II*\0\x08\0\0\0", 8);
  buf_put(&b, &n, 2);
  for (i = 0; i < 9; i++) {
    uint16_t type = (tags[i] == 256 || tags[i] == 257 || tags[i] >= 273) && tags[i] != 277 ? 4 : 3;
    uint32_t count = 1;
    buf_put(&b, &tags[i], 2);
    buf_put(&b, &type, 2);
    buf_put(&b, &count, 4);
    buf_put(&b, &vals[i], 4);
  }
  buf_put(&b, "\0\0\0\0", 4);
  while (b.len < 264) buf_put(&b, "\x80", 1);
  return b;
}

static void test_huge_dimensions(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *img = NULL;
  ft_read_params p;
  buf b = {NULL, 0, 0};
  png_spec s;
  ft_read_params_init(&p);
  /* PNG header claiming 100000 x 100000 */
  memset(&s, 0, sizeof s);
  s.w = 100000;
  s.h = 100000;
  s.ctype = PNG_COLOR_TYPE_RGB_ALPHA;
  s.depth = 16;
  s.header_only = 1;
  b = png_make(&s);
  img = (ft_image *)&s;
  CU_ASSERT_EQUAL(rd(ctx, &b, "big.png", NULL, &img), FT_ERR_TOOBIG);
  CU_ASSERT_PTR_NULL(img);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx),
                         "big.png: png: 100000x100000 is 10000000000 pixels, above the limit "
                         "of 1073741824 (max_pixels)");
  free(b.d);
  /* PNM, including a side above FT_MAX_DIMENSION */
  b.d = NULL;
  b.len = b.cap = 0;
  buf_str(&b, "P6 100000 100000 255\n");
  CU_ASSERT_EQUAL(rd(ctx, &b, "big.ppm", NULL, &img), FT_ERR_TOOBIG);
  b.len = 0;
  buf_str(&b, "P5 20000000 1 255\n");
  p.max_pixels = 0; /* no pixel limit: the side limit still holds */
  CU_ASSERT_EQUAL(rd(ctx, &b, "wide.pgm", &p, &img), FT_ERR_TOOBIG);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx),
                         "wide.pgm: pnm: 20000000x1 exceeds the largest side of 16777216 pixels");
  p.max_pixels = (uint64_t)1 << 30;
  free(b.d);
  /* TIFF */
  b = tiff_header(100000, 100000);
  CU_ASSERT_EQUAL(rd(ctx, &b, "big.tif", NULL, &img), FT_ERR_TOOBIG);
  CU_ASSERT(starts_with(ft_ctx_errmsg(ctx), "big.tif: tiff: 100000x100000"));
  free(b.d);
  /* the same header at a sane size gets past the guard and fails on its data */
  b = tiff_header(8, 8);
  CU_ASSERT_EQUAL(rd(ctx, &b, "ok.tif", NULL, &img), FT_OK);
  ft_image_free(img);
  free(b.d);
  /* JPEG with its SOF patched to 60000 x 60000 */
  {
    unsigned char *pix = quadrant(16, 16, 1, 0, 255);
    jpeg_spec js;
    size_t i;
    memset(&js, 0, sizeof js);
    js.w = 16;
    js.h = 16;
    js.comps = 1;
    js.cs = JCS_GRAYSCALE;
    js.pix = pix;
    b = jpeg_make(&js);
    for (i = 2; i + 9 < b.len; i++)
      if (b.d[i] == 0xFF && b.d[i + 1] == 0xC0) {
        b.d[i + 5] = 0xEA;
        b.d[i + 6] = 0x60;
        b.d[i + 7] = 0xEA;
        b.d[i + 8] = 0x60;
        break;
      }
    CU_ASSERT_EQUAL(rd(ctx, &b, "big.jpg", NULL, &img), FT_ERR_TOOBIG);
    CU_ASSERT(starts_with(ft_ctx_errmsg(ctx), "big.jpg: jpeg: 60000x60000"));
    free(b.d);
    free(pix);
  }
  /* a small max_pixels: 13 x 7 = 91 pixels */
  {
    uint16_t *smp = random_samples(91, 255);
    memset(&s, 0, sizeof s);
    s.w = 13;
    s.h = 7;
    s.ctype = PNG_COLOR_TYPE_GRAY;
    s.depth = 8;
    s.samples = smp;
    b = png_make(&s);
    p.max_pixels = 90;
    CU_ASSERT_EQUAL(rd(ctx, &b, "s.png", &p, &img), FT_ERR_TOOBIG);
    CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx),
                           "s.png: png: 13x7 is 91 pixels, above the limit of 90 (max_pixels)");
    p.max_pixels = 91;
    CU_ASSERT_EQUAL(rd(ctx, &b, "s.png", &p, &img), FT_OK);
    ft_image_free(img);
    free(b.d);
    free(smp);
  }
  ft_ctx_free(ctx);
}

/* Runs last: nothing above went through libtiff's global handlers. */
static void test_tiff_quiet(void) { CU_ASSERT_EQUAL(global_tiff_messages, 0); }

static const ft_test_case cases[] = {
    {"format detection and defaults", test_detect},
    {"png: every colour type and depth, interlaced", test_png_variants},
    {"png: palette, tRNS, pHYs", test_png_palette_trns_phys},
    {"png: palette index out of range", test_png_palette_out_of_range},
    {"jpeg: gray, RGB, progressive, density", test_jpeg_gray_rgb_density},
    {"jpeg: CMYK plain and Adobe-inverted", test_jpeg_cmyk},
    {"jpeg: EXIF orientation", test_jpeg_exif_orientation},
    {"tiff: depths, photometrics, strips, tiles, planes", test_tiff_variants},
    {"tiff: associated alpha, orientation", test_tiff_assoc_alpha_orientation},
    {"tiff: page selection", test_tiff_pages},
    {"tiff: resolution and ImageJ pixel size", test_tiff_pixel_size},
    {"pnm: P1-P7", test_pnm_variants},
    {"pnm: compact reads", test_pnm_compact},
    {"streams: pipe, stdin, files", test_stream_pipe_and_file},
    {"pnm: compact reads of files", test_pnm_file_compact},
    {"hostile: truncated at 10%..90%", test_truncated},
    {"hostile: empty, garbage, wrong magic", test_garbage_and_empty},
    {"hostile: huge declared dimensions", test_huge_dimensions},
    {"hostile: corrupted bytes", test_corrupted},
    {"tiff: unsupported variants", test_tiff_unsupported},
    {"tiff: JPEG-compressed YCbCr", test_tiff_ycbcr_jpeg},
    {"tiff: no message reaches libtiff's global handlers", test_tiff_quiet},
    {NULL, NULL}};

int main(void) {
  /* The reader must route every libtiff message into the context; count
   * anything that still reaches the process-wide handlers. */
  TIFFSetWarningHandler(global_tiff_message);
  TIFFSetErrorHandler(global_tiff_message);
  return ft_test_main("read", cases);
}
