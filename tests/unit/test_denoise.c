/* tests/unit/test_denoise.c - every denoise filter against a direct
 * reference written here (brute-force median, min and max over the window,
 * the 2-D Gaussian sum, direct bilateral and non-local means), on small
 * random images; borders replicate the edge pixels.  Also 1x1, 1xN and Nx1
 * images, 16-bit data, identical output for 1 and 3 threads, the chain
 * runner, cancellation and bad parameters. */
#include "config.h"

#include <math.h>

#include "core/internal.h"
#include "testutil.h"

static ft_ctx *ctx;
static uint32_t rng = 12345u;

static float frand(void) {
  rng = rng * 1664525u + 1013904223u;
  return (float)(rng >> 8) / 16777216.0f;
}

static ft_image *random_image(int w, int h, int c) {
  ft_image *img = NULL;
  size_t i;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, w, h, c, &img), FT_OK);
  for (i = 0; i < (size_t)w * h * c; i++) img->data[i] = frand();
  return img;
}

static float px(const ft_image *img, int x, int y, int c) {
  x = x < 0 ? 0 : (x >= img->width ? img->width - 1 : x);
  y = y < 0 ? 0 : (y >= img->height ? img->height - 1 : y);
  return img->data[((size_t)y * img->width + x) * img->channels + c];
}

static double max_abs_diff(const ft_image *a, const ft_image *b) {
  double m = 0.0;
  size_t i, n = (size_t)a->width * a->height * a->channels;
  for (i = 0; i < n; i++) m = fmax(m, fabs((double)a->data[i] - b->data[i]));
  return m;
}

static int cmp_int(const void *a, const void *b) {
  return *(const int *)a - *(const int *)b;
}

/* Brute-force median of the quantised window (same rounding as median.c). */
static ft_image *ref_median(const ft_image *in, int r, int bits) {
  ft_image *o;
  int L = 1 << bits, d = 2 * r + 1, x, y, c, dx, dy;
  int *win = malloc(sizeof(int) * d * d);
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, in->width, in->height, in->channels, &o), FT_OK);
  for (y = 0; y < in->height; y++)
    for (x = 0; x < in->width; x++)
      for (c = 0; c < in->channels; c++) {
        int k = 0;
        for (dy = -r; dy <= r; dy++)
          for (dx = -r; dx <= r; dx++) win[k++] = (int)(px(in, x + dx, y + dy, c) * (float)(L - 1) + 0.5f);
        qsort(win, (size_t)k, sizeof *win, cmp_int);
        o->data[((size_t)y * in->width + x) * in->channels + c] = (float)win[k / 2] / (float)(L - 1);
      }
  free(win);
  return o;
}

static void check_median(int w, int h, int c, int r, int bits) {
  ft_image *in = random_image(w, h, c), *out = NULL, *ref;
  ft_median_params p;
  ft_median_params_init(&p);
  p.radius = r;
  p.bits = bits;
  CU_ASSERT_EQUAL_FATAL(ft_median(ctx, in, &p, &out), FT_OK);
  ref = ref_median(in, r, bits);
  CU_ASSERT_EQUAL(max_abs_diff(out, ref), 0.0);
  if (max_abs_diff(out, ref) != 0.0)
    fprintf(stderr, "\n  median %dx%dx%d r=%d bits=%d: off by %g\n", w, h, c, r, bits,
            max_abs_diff(out, ref));
  ft_image_free(in), ft_image_free(out), ft_image_free(ref);
}

static void test_median(void) {
  check_median(17, 13, 1, 1, 8);
  check_median(17, 13, 1, 2, 8);
  check_median(23, 19, 3, 3, 8);
  check_median(9, 70, 2, 5, 6);   /* several bands, small levels */
  check_median(12, 11, 1, 2, 12); /* 4096 levels */
  check_median(10, 9, 1, 4, 5);   /* odd bit count: coarse 8, fine 4 */
  check_median(1, 1, 1, 2, 8);
  check_median(1, 15, 1, 2, 8);
  check_median(15, 1, 4, 3, 8);
}

static void test_median_16bit(void) {
  /* 16-bit values: bits=12 keeps the median within half a 12-bit step */
  ft_image *in = NULL, *out = NULL;
  ft_median_params p;
  int i;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 5, 1, 1, &in), FT_OK);
  for (i = 0; i < 5; i++) in->data[i] = (float)(1000 + 7 * i) / 65535.0f;
  in->data[2] = 60000.0f / 65535.0f; /* an outlier */
  in->bit_depth = 16;
  ft_median_params_init(&p);
  p.radius = 2;
  p.bits = 12;
  CU_ASSERT_EQUAL_FATAL(ft_median(ctx, in, &p, &out), FT_OK);
  CU_ASSERT_EQUAL(out->bit_depth, 16);
  /* window of x=2 (all five): sorted 1000,1007,1021,1028,60000 -> 1021 */
  CU_ASSERT_DOUBLE_EQUAL(out->data[2], 1021.0 / 65535.0, 0.5 / 4095 + 1e-7);
  ft_image_free(in), ft_image_free(out);
}

/* Direct 2-D Gaussian with the same truncation (radius ceil(3 sigma)) or a wider one. */
static ft_image *ref_gauss(const ft_image *in, double sigma, int R) {
  ft_image *o;
  int x, y, c, dx, dy;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, in->width, in->height, in->channels, &o), FT_OK);
  for (y = 0; y < in->height; y++)
    for (x = 0; x < in->width; x++)
      for (c = 0; c < in->channels; c++) {
        double s = 0.0, ws = 0.0;
        for (dy = -R; dy <= R; dy++)
          for (dx = -R; dx <= R; dx++) {
            double wt = exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
            s += wt * px(in, x + dx, y + dy, c);
            ws += wt;
          }
        o->data[((size_t)y * in->width + x) * in->channels + c] = (float)(s / ws);
      }
  return o;
}

static void check_gauss(int w, int h, int c, double sigma, int method, int R, double tol) {
  ft_image *in = random_image(w, h, c), *out = NULL, *ref;
  ft_gaussian_params p;
  ft_gaussian_params_init(&p);
  p.sigma = sigma;
  p.method = method;
  CU_ASSERT_EQUAL_FATAL(ft_gaussian(ctx, in, &p, &out), FT_OK);
  ref = ref_gauss(in, sigma, R);
  CU_ASSERT(max_abs_diff(out, ref) <= tol);
  if (max_abs_diff(out, ref) > tol)
    fprintf(stderr, "\n  gaussian %dx%dx%d sigma %g method %d: %g > %g\n", w, h, c, sigma, method,
            max_abs_diff(out, ref), tol);
  ft_image_free(in), ft_image_free(out), ft_image_free(ref);
}

static void test_gaussian(void) {
  check_gauss(21, 17, 1, 1.0, FT_GAUSS_FIR, 3, 1e-5);
  check_gauss(21, 17, 3, 2.2, FT_GAUSS_FIR, 7, 1e-5);
  check_gauss(1, 1, 1, 1.5, FT_GAUSS_FIR, 5, 1e-6);
  check_gauss(1, 9, 2, 1.5, FT_GAUSS_AUTO, 5, 1e-5);
  check_gauss(9, 1, 1, 1.5, FT_GAUSS_FIR, 5, 1e-5);
  /* recursive (Young-van Vliet) against the untruncated sum: within 1.5% of full scale */
  check_gauss(40, 37, 1, 4.0, FT_GAUSS_RECURSIVE, 20, 0.015);
  check_gauss(40, 37, 2, 6.0, FT_GAUSS_AUTO, 30, 0.015);
  check_gauss(1, 30, 1, 3.0, FT_GAUSS_RECURSIVE, 15, 0.015);
  {
    /* a constant image stays constant, recursive included */
    ft_image *in = NULL, *out = NULL;
    ft_gaussian_params p;
    size_t i;
    CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 33, 20, 1, &in), FT_OK);
    for (i = 0; i < 33 * 20; i++) in->data[i] = 0.625f;
    ft_gaussian_params_init(&p);
    p.sigma = 5.0;
    CU_ASSERT_EQUAL_FATAL(ft_gaussian(ctx, in, &p, &out), FT_OK);
    for (i = 0; i < 33 * 20; i++) CU_ASSERT_DOUBLE_EQUAL(out->data[i], 0.625, 1e-5);
    ft_image_free(in), ft_image_free(out);
  }
}

static ft_image *ref_bilateral(const ft_image *in, double ss, double sr) {
  ft_image *o;
  int R = (int)ceil(2 * ss), x, y, c, dx, dy, nc = in->channels;
  int cc = nc >= 3 ? 3 : 1;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, in->width, in->height, nc, &o), FT_OK);
  for (y = 0; y < in->height; y++)
    for (x = 0; x < in->width; x++) {
      double acc[4] = {0, 0, 0, 0}, ws = 0.0;
      for (dy = -R; dy <= R; dy++)
        for (dx = -R; dx <= R; dx++) {
          double d2 = 0.0, wt;
          for (c = 0; c < cc; c++) {
            double t = px(in, x + dx, y + dy, c) - px(in, x, y, c);
            d2 += t * t;
          }
          wt = exp(-(dx * dx + dy * dy) / (2 * ss * ss)) * exp(-d2 / (2 * sr * sr));
          ws += wt;
          for (c = 0; c < nc; c++) acc[c] += wt * px(in, x + dx, y + dy, c);
        }
      for (c = 0; c < nc; c++) o->data[((size_t)y * in->width + x) * nc + c] = (float)(acc[c] / ws);
    }
  return o;
}

static void check_bilateral(int w, int h, int c, double ss, double sr) {
  ft_image *in = random_image(w, h, c), *out = NULL, *ref;
  ft_bilateral_params p;
  ft_bilateral_params_init(&p);
  p.sigma_s = ss;
  p.sigma_r = sr;
  CU_ASSERT_EQUAL_FATAL(ft_bilateral(ctx, in, &p, &out), FT_OK);
  ref = ref_bilateral(in, ss, sr);
  CU_ASSERT(max_abs_diff(out, ref) <= 1e-3);
  ft_image_free(in), ft_image_free(out), ft_image_free(ref);
}

static void test_bilateral(void) {
  check_bilateral(15, 12, 1, 1.5, 0.1);
  check_bilateral(15, 12, 4, 2.0, 0.2);
  check_bilateral(1, 1, 1, 2.0, 0.1);
  check_bilateral(1, 11, 3, 1.0, 0.05);
  check_bilateral(11, 1, 2, 1.0, 0.3);
  {
    /* an edge survives: a step 0.2 | 0.8 with sigma_r 0.05 stays a step */
    ft_image *in = NULL, *out = NULL;
    ft_bilateral_params p;
    int x, y;
    CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 20, 6, 1, &in), FT_OK);
    for (y = 0; y < 6; y++)
      for (x = 0; x < 20; x++) in->data[y * 20 + x] = x < 10 ? 0.2f : 0.8f;
    ft_bilateral_params_init(&p);
    p.sigma_r = 0.05;
    CU_ASSERT_EQUAL_FATAL(ft_bilateral(ctx, in, &p, &out), FT_OK);
    CU_ASSERT_DOUBLE_EQUAL(out->data[3 * 20 + 9], 0.2, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(out->data[3 * 20 + 10], 0.8, 1e-6);
    ft_image_free(in), ft_image_free(out);
  }
}

static ft_image *ref_nlm(const ft_image *in, int s, int f, double h) {
  ft_image *o;
  int W = in->width, H = in->height, nc = in->channels, x, y, dx, dy, ox, oy, c;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, W, H, nc, &o), FT_OK);
  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++) {
      double acc[4] = {0, 0, 0, 0}, ws = 0.0;
      for (dy = -s; dy <= s; dy++)
        for (dx = -s; dx <= s; dx++) {
          double dist = 0.0, wt;
          if (x + dx < 0 || x + dx >= W || y + dy < 0 || y + dy >= H) continue;
          for (oy = -f; oy <= f; oy++)
            for (ox = -f; ox <= f; ox++)
              for (c = 0; c < nc; c++) {
                double t = (double)px(in, x + ox, y + oy, c) - px(in, x + dx + ox, y + dy + oy, c);
                dist += t * t;
              }
          dist /= (double)(2 * f + 1) * (2 * f + 1) * nc;
          wt = exp(-dist / (h * h));
          ws += wt;
          for (c = 0; c < nc; c++) acc[c] += wt * px(in, x + dx, y + dy, c);
        }
      for (c = 0; c < nc; c++) o->data[((size_t)y * W + x) * nc + c] = (float)(acc[c] / ws);
    }
  return o;
}

static void check_nlm(int w, int h, int c, int s, int f, double hh) {
  ft_image *in = random_image(w, h, c), *out = NULL, *ref;
  ft_nlm_params p;
  ft_nlm_params_init(&p);
  p.search = s;
  p.patch = f;
  p.h = hh;
  CU_ASSERT_EQUAL_FATAL(ft_nlm(ctx, in, &p, &out), FT_OK);
  ref = ref_nlm(in, s, f, hh);
  CU_ASSERT(max_abs_diff(out, ref) <= 1e-5);
  ft_image_free(in), ft_image_free(out), ft_image_free(ref);
}

static void test_nlm(void) {
  check_nlm(14, 13, 1, 3, 1, 0.2);
  check_nlm(12, 70, 3, 2, 2, 0.3); /* crosses a band boundary */
  check_nlm(10, 9, 2, 4, 0, 0.15);
  check_nlm(1, 1, 1, 2, 1, 0.1);
  check_nlm(1, 12, 1, 3, 1, 0.2);
  check_nlm(12, 1, 3, 3, 2, 0.2);
}

/* Brute-force min or max over the square or disc. */
static ft_image *ref_minmax(const ft_image *in, int r, int disc, int is_max) {
  ft_image *o;
  int x, y, c, dx, dy;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, in->width, in->height, in->channels, &o), FT_OK);
  for (y = 0; y < in->height; y++)
    for (x = 0; x < in->width; x++)
      for (c = 0; c < in->channels; c++) {
        float m = px(in, x, y, c);
        for (dy = -r; dy <= r; dy++)
          for (dx = -r; dx <= r; dx++) {
            float v;
            if (disc && dx * dx + dy * dy > r * r) continue;
            v = px(in, x + dx, y + dy, c);
            m = is_max ? fmaxf(m, v) : fminf(m, v);
          }
        o->data[((size_t)y * in->width + x) * in->channels + c] = m;
      }
  return o;
}

static ft_image *run_morph(const ft_image *in, int op, int r, int shape) {
  ft_image *out = NULL;
  ft_morph_params p;
  ft_morph_params_init(&p);
  p.op = op;
  p.radius = r;
  p.shape = shape;
  CU_ASSERT_EQUAL_FATAL(ft_morph(ctx, in, &p, &out), FT_OK);
  return out;
}

static void check_morph(int w, int h, int c, int r, int shape) {
  ft_image *in = random_image(w, h, c), *e, *d, *o, *cl, *th, *bh, *re, *rd, *ro, *rc;
  size_t i, n = (size_t)w * h * c;
  e = run_morph(in, FT_MORPH_ERODE, r, shape);
  d = run_morph(in, FT_MORPH_DILATE, r, shape);
  o = run_morph(in, FT_MORPH_OPEN, r, shape);
  cl = run_morph(in, FT_MORPH_CLOSE, r, shape);
  th = run_morph(in, FT_MORPH_TOPHAT, r, shape);
  bh = run_morph(in, FT_MORPH_BLACKHAT, r, shape);
  re = ref_minmax(in, r, shape, 0);
  rd = ref_minmax(in, r, shape, 1);
  ro = ref_minmax(re, r, shape, 1);
  rc = ref_minmax(rd, r, shape, 0);
  CU_ASSERT_EQUAL(max_abs_diff(e, re), 0.0);
  CU_ASSERT_EQUAL(max_abs_diff(d, rd), 0.0);
  CU_ASSERT_EQUAL(max_abs_diff(o, ro), 0.0);
  CU_ASSERT_EQUAL(max_abs_diff(cl, rc), 0.0);
  for (i = 0; i < n; i++) {
    CU_ASSERT_EQUAL(th->data[i], in->data[i] - ro->data[i]);
    CU_ASSERT_EQUAL(bh->data[i], rc->data[i] - in->data[i]);
  }
  ft_image_free(in), ft_image_free(e), ft_image_free(d), ft_image_free(o), ft_image_free(cl);
  ft_image_free(th), ft_image_free(bh), ft_image_free(re), ft_image_free(rd), ft_image_free(ro);
  ft_image_free(rc);
}

static void test_morph(void) {
  check_morph(19, 16, 1, 1, FT_SHAPE_SQUARE);
  check_morph(19, 16, 2, 3, FT_SHAPE_SQUARE);
  check_morph(19, 16, 1, 3, FT_SHAPE_DISC);
  check_morph(25, 70, 3, 5, FT_SHAPE_DISC);
  check_morph(8, 7, 1, 12, FT_SHAPE_SQUARE); /* radius beyond the image */
  check_morph(1, 1, 1, 2, FT_SHAPE_SQUARE);
  check_morph(1, 14, 1, 2, FT_SHAPE_DISC);
  check_morph(14, 1, 4, 3, FT_SHAPE_SQUARE);
}

static void test_flatten(void) {
  /* paper lit from the left (0.5 .. 1.0) with dark 3x3 dots of 40% reflectance */
  const int w = 80, h = 60;
  ft_image *in = NULL, *out = NULL, *out2 = NULL;
  ft_flatten_params p;
  int x, y;
  double bmin = 1, bmax = 0, dmax = 0;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, w, h, 2, &in), FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      float light = 0.5f + 0.5f * x / (w - 1), refl = (x % 10 < 3 && y % 10 < 3) ? 0.4f : 1.0f;
      in->data[(y * w + x) * 2] = light * refl;
      in->data[(y * w + x) * 2 + 1] = 0.75f;
    }
  ft_flatten_params_init(&p);
  p.radius = 6;
  CU_ASSERT_EQUAL_FATAL(ft_flatten(ctx, in, &p, &out), FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      double v = out->data[(y * w + x) * 2];
      CU_ASSERT_EQUAL(out->data[(y * w + x) * 2 + 1], 0.75f);
      if (x % 10 < 3 && y % 10 < 3)
        dmax = fmax(dmax, v);
      else if (x % 10 >= 4 && x % 10 <= 8 && y % 10 >= 4 && y % 10 <= 8)
        bmin = fmin(bmin, v), bmax = fmax(bmax, v);
    }
  /* the raw paper spans 0.5..1.0; flattened it is nearly uniform and well above the dots */
  CU_ASSERT(bmax - bmin < 0.1);
  CU_ASSERT(bmin > 0.85);
  CU_ASSERT(dmax < 0.5);
  p.mode = FT_FLATTEN_SUBTRACT;
  CU_ASSERT_EQUAL_FATAL(ft_flatten(ctx, in, &p, &out2), FT_OK);
  CU_ASSERT(out2->data[(5 * w + 5) * 2] > out2->data[(1 * w + 1) * 2] + 0.3);
  ft_image_free(in), ft_image_free(out), ft_image_free(out2);
}

static void test_gray(void) {
  /* RGBA and gray-alpha: the filter is ft_image_to_gray, one channel out */
  static const int chans[] = {1, 2, 3, 4};
  ft_denoise_chain *ch = NULL;
  int k;
  CU_ASSERT_EQUAL_FATAL(ft_denoise_chain_parse(ctx, "gray", &ch), FT_OK);
  CU_ASSERT_EQUAL(ch->n, 1);
  CU_ASSERT_EQUAL(ch->filters[0].kind, FT_FILTER_GRAY);
  for (k = 0; k < 4; k++) {
    ft_image *in = random_image(17, 9, chans[k]), *a = NULL, *ref = NULL;
    size_t i;
    in->bit_depth = 16;
    CU_ASSERT_EQUAL_FATAL(ft_denoise(ctx, in, ch, &a), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_image_to_gray(ctx, in, &ref), FT_OK);
    CU_ASSERT_EQUAL(a->channels, 1);
    CU_ASSERT_EQUAL(a->width, 17);
    CU_ASSERT_EQUAL(a->height, 9);
    CU_ASSERT_EQUAL(a->bit_depth, 16);
    CU_ASSERT_EQUAL(max_abs_diff(a, ref), 0.0);
    if (chans[k] == 3) /* Rec. 709 weights of the stored values */
      for (i = 0; i < 17 * 9; i++)
        CU_ASSERT_DOUBLE_EQUAL(a->data[i], 0.2126 * in->data[3 * i] + 0.7152 * in->data[3 * i + 1] +
                                               0.0722 * in->data[3 * i + 2], 1e-6);
    ft_image_free(in), ft_image_free(a), ft_image_free(ref);
  }
  ft_denoise_chain_free(ch);
  /* later filters of a chain see one channel: gray then median equals median of the luminance */
  {
    ft_image *in = random_image(1, 23, 3), *a = NULL, *g = NULL, *ref = NULL;
    ft_median_params mp;
    ft_median_params_init(&mp);
    CU_ASSERT_EQUAL_FATAL(ft_denoise_chain_parse(ctx, "gray,median:r=1", &ch), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_denoise(ctx, in, ch, &a), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_image_to_gray(ctx, in, &g), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_median(ctx, g, &mp, &ref), FT_OK);
    CU_ASSERT_EQUAL(a->channels, 1);
    CU_ASSERT_EQUAL(max_abs_diff(a, ref), 0.0);
    ft_image_free(in), ft_image_free(a), ft_image_free(g), ft_image_free(ref);
    ft_denoise_chain_free(ch);
  }
  /* gray takes no keys */
  ch = (ft_denoise_chain *)1;
  CU_ASSERT_EQUAL(ft_denoise_chain_parse(ctx, "gray:r=1", &ch), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(ch);
}

static void test_normalize(void) {
  /* 12-bit data in 16 bits: samples 0..4095 of 65535, each once */
  ft_image *in = NULL, *out = NULL;
  ft_normalize_params p;
  int i;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 64, 64, 1, &in), FT_OK);
  in->bit_depth = 16;
  for (i = 0; i < 4096; i++) in->data[i] = (float)i / 65535.0f;
  ft_normalize_params_init(&p);
  p.low = 0;
  p.high = 100;
  CU_ASSERT_EQUAL_FATAL(ft_normalize(ctx, in, &p, &out), FT_OK);
  CU_ASSERT_EQUAL(out->data[0], 0.0f);
  CU_ASSERT_DOUBLE_EQUAL(out->data[4095], 1.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(out->data[2048], 2048.0 / 4095.0, 1e-5);
  ft_image_free(out);
  /* 10% / 90%: samples 410 (ceil(409.6)th) and 3687 (ceil(3686.4)th) -> 409 and 3686 */
  p.low = 10;
  p.high = 90;
  CU_ASSERT_EQUAL_FATAL(ft_normalize(ctx, in, &p, &out), FT_OK);
  CU_ASSERT_EQUAL(out->data[100], 0.0f);
  CU_ASSERT_EQUAL(out->data[409], 0.0f);
  CU_ASSERT_DOUBLE_EQUAL(out->data[410], 1.0 / 3277.0, 1e-5);
  CU_ASSERT_EQUAL(out->data[3686], 1.0f);
  CU_ASSERT_EQUAL(out->data[4000], 1.0f);
  ft_image_free(out);
  /* RGB + alpha: one pair for all colours, alpha untouched */
  ft_image_free(in);
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 2, 1, 4, &in), FT_OK);
  in->data[0] = 0.2f, in->data[1] = 0.3f, in->data[2] = 0.4f, in->data[3] = 0.5f;
  in->data[4] = 0.6f, in->data[5] = 0.3f, in->data[6] = 0.25f, in->data[7] = 0.9f;
  p.low = 0;
  p.high = 100;
  CU_ASSERT_EQUAL_FATAL(ft_normalize(ctx, in, &p, &out), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(out->data[0], 0.0, 1e-4);
  CU_ASSERT_DOUBLE_EQUAL(out->data[1], 0.25, 1e-4);
  CU_ASSERT_DOUBLE_EQUAL(out->data[4], 1.0, 1e-4);
  CU_ASSERT_EQUAL(out->data[3], 0.5f);
  CU_ASSERT_EQUAL(out->data[7], 0.9f);
  ft_image_free(in), ft_image_free(out);
}

static void test_threads_identical(void) {
  static const char *const chains[] = {"median:r=2",  "median:r=3,bits=12", "gaussian:sigma=1.7",
                                       "gaussian:sigma=5", "bilateral:sigma_s=1.5",
                                       "nlm:search=2,patch=1", "open:r=2", "close:r=3:shape=disc",
                                       "flatten:r=8", "normalize", NULL};
  ft_image *in = random_image(67, 150, 2);
  int i;
  for (i = 0; chains[i]; i++) {
    ft_denoise_chain *ch = NULL;
    ft_image *a = NULL, *b = NULL;
    CU_ASSERT_EQUAL_FATAL(ft_denoise_chain_parse(ctx, chains[i], &ch), FT_OK);
    ft_ctx_set_threads(ctx, 1);
    CU_ASSERT_EQUAL_FATAL(ft_denoise(ctx, in, ch, &a), FT_OK);
    ft_ctx_set_threads(ctx, 3);
    CU_ASSERT_EQUAL_FATAL(ft_denoise(ctx, in, ch, &b), FT_OK);
    CU_ASSERT(memcmp(a->data, b->data, (size_t)67 * 150 * 2 * sizeof(float)) == 0);
    ft_image_free(a), ft_image_free(b);
    ft_denoise_chain_free(ch);
  }
  ft_ctx_set_threads(ctx, 2);
  ft_image_free(in);
}

static int cancel_cb(void *user, double f) {
  (void)f;
  return ++*(int *)user >= 2;
}

static void test_chain(void) {
  ft_image *in = random_image(30, 20, 3), *a = NULL, *b = NULL, *c = NULL;
  ft_denoise_chain *ch = NULL;
  ft_median_params mp;
  ft_gaussian_params gp;
  ft_ctx *cctx = ft_ctx_new();
  int calls = 0;
  CU_ASSERT_EQUAL_FATAL(ft_denoise_chain_parse(ctx, "median:r=2,gaussian:sigma=0.8", &ch), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_denoise(ctx, in, ch, &a), FT_OK);
  ft_median_params_init(&mp);
  mp.radius = 2;
  ft_gaussian_params_init(&gp);
  gp.sigma = 0.8;
  CU_ASSERT_EQUAL_FATAL(ft_median(ctx, in, &mp, &b), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_gaussian(ctx, b, &gp, &c), FT_OK);
  CU_ASSERT_EQUAL(max_abs_diff(a, c), 0.0);
  ft_image_free(a), ft_image_free(b), ft_image_free(c);
  /* empty or NULL chain: a copy */
  CU_ASSERT_EQUAL_FATAL(ft_denoise(ctx, in, NULL, &a), FT_OK);
  CU_ASSERT_EQUAL(max_abs_diff(a, in), 0.0);
  ft_image_free(a);
  /* the progress callback cancels after the first filter; nothing leaks */
  ft_ctx_set_progress(cctx, cancel_cb, &calls);
  a = (ft_image *)1;
  CU_ASSERT_EQUAL(ft_denoise(cctx, in, ch, &a), FT_ERR_CANCELLED);
  CU_ASSERT_PTR_NULL(a);
  ft_denoise_chain_free(ch);
  ft_ctx_free(cctx);
  ft_image_free(in);
}

typedef struct progress_log {
  int calls, cancel_at, monotonic;
  double last;
} progress_log;

static int log_cb(void *user, double f) {
  progress_log *l = user;
  if (f < l->last) l->monotonic = 0;
  l->last = f;
  return ++l->calls == l->cancel_at;
}

static void test_progress_and_cancel(void) {
  static const char *const specs[] = {"nlm:search=2", "median:r=4", "gaussian:sigma=4",
                                      "close:r=2:shape=disc", "flatten:r=5", NULL};
  ft_image *in = random_image(40, 300, 1), *out = NULL;
  ft_denoise_chain *ch = NULL;
  ft_ctx *c2 = ft_ctx_new();
  progress_log l = {0, -1, 1, 0.0};
  int i, threads;
  /* a whole chain: fractions only grow and end at 1 */
  CU_ASSERT_EQUAL_FATAL(ft_denoise_chain_parse(ctx, "median:r=2,nlm:search=1,open:r=2,gaussian:sigma=5", &ch), FT_OK);
  ft_ctx_set_threads(c2, 3);
  ft_ctx_set_progress(c2, log_cb, &l);
  CU_ASSERT_EQUAL_FATAL(ft_denoise(c2, in, ch, &out), FT_OK);
  CU_ASSERT(l.monotonic);
  CU_ASSERT(l.calls >= 8);
  CU_ASSERT_DOUBLE_EQUAL(l.last, 1.0, 1e-12);
  ft_image_free(out);
  ft_denoise_chain_free(ch);
  /* a cancel inside one filter stops it: FT_ERR_CANCELLED, nothing returned */
  for (threads = 1; threads <= 3; threads += 2)
    for (i = 0; specs[i]; i++) {
      ft_ctx_set_threads(c2, threads);
      CU_ASSERT_EQUAL_FATAL(ft_denoise_chain_parse(ctx, specs[i], &ch), FT_OK);
      l.calls = 0, l.cancel_at = 2, l.last = 0.0;
      ft_ctx_set_progress(c2, log_cb, &l);
      out = (ft_image *)1;
      CU_ASSERT_EQUAL(ft_denoise(c2, in, ch, &out), FT_ERR_CANCELLED);
      CU_ASSERT_PTR_NULL(out);
      CU_ASSERT_EQUAL(l.calls, 2);
      CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(c2), "cancelled");
      ft_denoise_chain_free(ch);
    }
  ft_ctx_free(c2);
  ft_image_free(in);
}

static void test_bad_params_and_defaults(void) {
  ft_image *in = random_image(8, 8, 1), *out = (ft_image *)1;
  ft_median_params mp;
  ft_morph_params mo;
  ft_normalize_params np;
  ft_denoise_filter f;
  ft_median_params_init(&mp);
  mp.radius = 0;
  CU_ASSERT_EQUAL(ft_median(ctx, in, &mp, &out), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(out);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "denoise: median: r=0 out of range 1..100");
  mp.radius = 1;
  mp.bits = 13;
  CU_ASSERT_EQUAL(ft_median(ctx, in, &mp, &out), FT_ERR_INVAL);
  ft_morph_params_init(&mo);
  mo.op = 9;
  CU_ASSERT_EQUAL(ft_morph(ctx, in, &mo, &out), FT_ERR_INVAL);
  ft_normalize_params_init(&np);
  np.low = 99.9;
  CU_ASSERT_EQUAL(ft_normalize(ctx, in, &np, &out), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(out);
  f.kind = 77;
  CU_ASSERT_EQUAL(ft_denoise_filter_apply(ctx, in, &f, &out), FT_ERR_INVAL);
  /* NULL params mean the defaults */
  CU_ASSERT_EQUAL(ft_median(ctx, in, NULL, &out), FT_OK);
  ft_image_free(out);
  CU_ASSERT_EQUAL(ft_gaussian(ctx, in, NULL, &out), FT_OK);
  ft_image_free(out);
  CU_ASSERT_EQUAL(ft_bilateral(ctx, in, NULL, &out), FT_OK);
  ft_image_free(out);
  CU_ASSERT_EQUAL(ft_nlm(ctx, in, NULL, &out), FT_OK);
  ft_image_free(out);
  CU_ASSERT_EQUAL(ft_morph(ctx, in, NULL, &out), FT_OK);
  ft_image_free(out);
  CU_ASSERT_EQUAL(ft_flatten(ctx, in, NULL, &out), FT_OK);
  ft_image_free(out);
  CU_ASSERT_EQUAL(ft_normalize(ctx, in, NULL, &out), FT_OK);
  ft_image_free(out);
  ft_image_free(in);
}

int main(void) {
  static const ft_test_case cases[] = {{"median vs brute force", test_median},
                                       {"median 16-bit", test_median_16bit},
                                       {"gaussian vs direct sum", test_gaussian},
                                       {"bilateral vs direct", test_bilateral},
                                       {"nlm vs direct", test_nlm},
                                       {"morphology vs brute force", test_morph},
                                       {"flatten", test_flatten},
                                       {"gray", test_gray},
                                       {"normalize", test_normalize},
                                       {"1 vs 3 threads identical", test_threads_identical},
                                       {"chain runner", test_chain},
                                       {"progress and cancel", test_progress_and_cancel},
                                       {"bad params and defaults", test_bad_params_and_defaults},
                                       {NULL, NULL}};
  int rc;
  ctx = ft_ctx_new();
  ft_ctx_set_threads(ctx, 2);
  rc = ft_test_main("denoise", cases);
  ft_ctx_free(ctx);
  return rc;
}
