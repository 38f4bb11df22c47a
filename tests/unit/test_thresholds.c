/* tests/unit/test_thresholds.c - Li, triangle, Sauvola/Niblack,
 * hysteresis and local-midpoint thresholds on synthetic histograms and
 * images, against direct references written here. */
#include "config.h"

#include <math.h>

#include "core/internal.h"
#include "testutil.h"

static ft_ctx *ctx;

static void add_gauss(uint64_t *h, int n, double mu, double sd, double count) {
  int i;
  for (i = 0; i < n; i++) {
    double v = (i + 0.5) / n;
    h[i] += (uint64_t)llround(count * exp(-(v - mu) * (v - mu) / (2 * sd * sd)));
  }
}

/* Li's criterion: cross entropy of splitting after bin t (lower = bins <= t). */
static double li_cost(const uint64_t *h, int n, int t) {
  double c0 = 0, s0 = 0, c1 = 0, s1 = 0, e = 0, m0, m1;
  int i;
  for (i = 0; i < n; i++) {
    double v = (i + 0.5) / n;
    if (i <= t)
      c0 += h[i], s0 += h[i] * v;
    else
      c1 += h[i], s1 += h[i] * v;
  }
  if (c0 == 0 || c1 == 0) return INFINITY;
  m0 = s0 / c0, m1 = s1 / c1;
  /* eta = -sum_{lower} h v ln m0 - sum_{upper} h v ln m1 (+ a constant) */
  (void)e;
  return -s0 * log(m0) - s1 * log(m1);
}

static void test_li_bimodal(void) {
  uint64_t h[256] = {0};
  double t;
  int i, best = -1, tb;
  double bc = INFINITY;
  add_gauss(h, 256, 0.25, 0.06, 1000);
  add_gauss(h, 256, 0.70, 0.08, 600);
  t = ft_li_threshold(h, 256);
  CU_ASSERT(t > 0.35 && t < 0.6);
  /* the iteration lands on (or next to) the exhaustive minimum of Li's criterion */
  for (i = 0; i < 255; i++) {
    double c = li_cost(h, 256, i);
    if (c < bc) bc = c, best = i;
  }
  tb = (int)lround(t * 256) - 1;
  CU_ASSERT(abs(tb - best) <= 1);
  if (abs(tb - best) > 1) fprintf(stderr, "\n  li bin %d, exhaustive %d\n", tb, best);
  /* t is a bin edge */
  CU_ASSERT_DOUBLE_EQUAL(t * 256, floor(t * 256 + 0.5), 1e-9);
  /* edge cases */
  memset(h, 0, sizeof h);
  CU_ASSERT_DOUBLE_EQUAL(ft_li_threshold(h, 256), -1.0, 0);
  h[40] = 7;
  CU_ASSERT_DOUBLE_EQUAL(ft_li_threshold(h, 256), 41.0 / 256, 1e-12);
  h[200] = 7;
  t = ft_li_threshold(h, 256);
  CU_ASSERT(t >= 41.0 / 256 && t <= 200.0 / 256);
}

/* Triangle reference: perpendicular distance from the line, computed geometrically. */
static int ref_triangle_bin(const uint64_t *h, int n, int *right) {
  int i, lo = -1, hi = -1, peak = 0, best = -1;
  double x0, y0, x1, y1, bd = -1;
  for (i = 0; i < n; i++)
    if (h[i]) {
      if (lo < 0) lo = i;
      hi = i;
      if (h[i] > h[peak]) peak = i;
    }
  *right = hi - peak >= peak - lo;
  if (*right)
    x0 = peak, y0 = (double)h[peak], x1 = hi + 1, y1 = 0;
  else
    x0 = lo - 1, y0 = 0, x1 = peak, y1 = (double)h[peak];
  for (i = *right ? peak + 1 : lo; *right ? i <= hi : i < peak; i++) {
    /* signed distance of (i, h[i]) below the line through (x0,y0)-(x1,y1) */
    double dx = x1 - x0, dy = y1 - y0;
    double d = (dy * i - dx * (double)h[i] + x1 * y0 - y1 * x0) / sqrt(dx * dx + dy * dy);
    if (d > bd) bd = d, best = i;
  }
  return best;
}

static void test_triangle_unimodal(void) {
  uint64_t h[256] = {0};
  int i, right, b;
  double t;
  /* background peak at 0.12, long right tail of bright objects */
  for (i = 0; i < 256; i++) {
    double v = (i + 0.5) / 256;
    h[i] = (uint64_t)llround(5000 * exp(-(v - 0.12) * (v - 0.12) / (2 * 0.03 * 0.03)) +
                             (v > 0.12 && v < 0.9 ? 40 * (0.9 - v) : 0));
  }
  t = ft_triangle_threshold(h, 256);
  b = ref_triangle_bin(h, 256, &right);
  CU_ASSERT(right);
  CU_ASSERT_DOUBLE_EQUAL(t, (b + 1) / 256.0, 1e-12);
  CU_ASSERT(t > 0.15 && t < 0.35); /* just past the foot of the peak */
  /* mirrored: ink on bright paper, tail towards the dark */
  {
    uint64_t m[256];
    for (i = 0; i < 256; i++) m[i] = h[255 - i];
    t = ft_triangle_threshold(m, 256);
    b = ref_triangle_bin(m, 256, &right);
    CU_ASSERT(!right);
    CU_ASSERT_DOUBLE_EQUAL(t, b / 256.0, 1e-12);
    CU_ASSERT(t > 0.65 && t < 0.85);
  }
  memset(h, 0, sizeof h);
  CU_ASSERT_DOUBLE_EQUAL(ft_triangle_threshold(h, 256), -1.0, 0);
  h[9] = 3;
  CU_ASSERT_DOUBLE_EQUAL(ft_triangle_threshold(h, 256), 10.0 / 256, 1e-12);
}

static uint32_t rng = 99u;
static float frand(void) {
  rng = rng * 1664525u + 1013904223u;
  return (float)(rng >> 8) / 16777216.0f;
}

/* Paper under a left-to-right light gradient with dark strokes. */
static ft_image *paper(int w, int h) {
  ft_image *img = NULL;
  int x, y;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, w, h, 1, &img), FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      float light = 0.35f + 0.6f * x / (w - 1);
      int ink = (x % 17 < 2) || (y % 23 == 5);
      img->data[y * w + x] = light * (ink ? 0.3f : 0.95f) + 0.02f * (frand() - 0.5f);
    }
  return img;
}

static double ref_T(const ft_image *img, int x, int y, int r, int method, double k, double R) {
  double s = 0, s2 = 0, cnt = 0, m, sd;
  int dx, dy;
  for (dy = -r; dy <= r; dy++)
    for (dx = -r; dx <= r; dx++) {
      int xx = x + dx, yy = y + dy;
      double q;
      if (xx < 0 || yy < 0 || xx >= img->width || yy >= img->height) continue;
      q = (double)(uint16_t)(img->data[yy * img->width + xx] * 65535.0f + 0.5f) / 65535.0;
      s += q, s2 += q * q, cnt++;
    }
  m = s / cnt;
  sd = sqrt(fmax(s2 / cnt - m * m, 0));
  return method == FT_ADAPTIVE_NIBLACK ? m + k * sd : m * (1 + k * (sd / R - 1));
}

static void check_adaptive(int method, double k, int window, int w, int h) {
  ft_image *img = paper(w, h), *map = NULL;
  ft_labels *lab = NULL;
  ft_adaptive_params p;
  int x, y, bad = 0, wrong = 0;
  ft_adaptive_params_init(&p);
  p.method = method;
  p.k = k;
  p.window = window;
  CU_ASSERT_EQUAL_FATAL(ft_adaptive_threshold_map(ctx, img, &p, &map), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_adaptive_threshold(ctx, img, &p, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->nlabels, 2);
  CU_ASSERT_EQUAL(lab->info[1].class_id, FT_CLASS_INK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      double T = ref_T(img, x, y, window / 2, method, k, p.range);
      double v = (double)(uint16_t)(img->data[y * w + x] * 65535.0f + 0.5f) / 65535.0;
      int ink = (x % 17 < 2) || (y % 23 == 5);
      if (fabs(map->data[y * w + x] - T) > 1e-6) bad++;
      if (fabs(v - T) > 1e-6 && lab->label[y * w + x] != (v <= T)) bad++;
      if (lab->label[y * w + x] != ink) wrong++;
    }
  CU_ASSERT_EQUAL(bad, 0);
  /* Sauvola separates ink from paper under the gradient almost everywhere */
  if (method == FT_ADAPTIVE_SAUVOLA) CU_ASSERT(wrong * 50 <= w * h);
  ft_image_free(img), ft_image_free(map);
  ft_labels_free(lab);
}

static void test_adaptive(void) {
  check_adaptive(FT_ADAPTIVE_SAUVOLA, 0.2, 25, 90, 150); /* several bands */
  check_adaptive(FT_ADAPTIVE_SAUVOLA, 0.4, 7, 31, 20);
  check_adaptive(FT_ADAPTIVE_NIBLACK, -0.2, 15, 40, 33);
  check_adaptive(FT_ADAPTIVE_SAUVOLA, 0.2, 5, 1, 1);
  check_adaptive(FT_ADAPTIVE_SAUVOLA, 0.2, 5, 1, 40);
  check_adaptive(FT_ADAPTIVE_NIBLACK, 0.1, 9, 40, 1);
}

static void test_adaptive_threads_and_errors(void) {
  ft_image *img = paper(70, 200), *a = NULL, *b = NULL, *rgb = NULL;
  ft_labels *la = NULL, *lb = NULL;
  ft_adaptive_params p;
  size_t i;
  ft_adaptive_params_init(&p);
  ft_ctx_set_threads(ctx, 1);
  CU_ASSERT_EQUAL_FATAL(ft_adaptive_threshold_map(ctx, img, &p, &a), FT_OK);
  ft_ctx_set_threads(ctx, 3);
  CU_ASSERT_EQUAL_FATAL(ft_adaptive_threshold_map(ctx, img, &p, &b), FT_OK);
  CU_ASSERT(memcmp(a->data, b->data, 70 * 200 * sizeof(float)) == 0);
  /* RGB input thresholds its luminance: a gray-valued RGB copy gives the same labels */
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 70, 200, 3, &rgb), FT_OK);
  for (i = 0; i < 70 * 200; i++) rgb->data[3 * i] = rgb->data[3 * i + 1] = rgb->data[3 * i + 2] = img->data[i];
  CU_ASSERT_EQUAL_FATAL(ft_adaptive_threshold(ctx, img, &p, &la), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_adaptive_threshold(ctx, rgb, &p, &lb), FT_OK);
  {
    int diff = 0;
    for (i = 0; i < 70 * 200; i++) diff += la->label[i] != lb->label[i];
    CU_ASSERT(diff <= 70 * 200 / 200); /* rounding of the Rec. 709 sum only */
  }
  CU_ASSERT(la->info[1].area > 0 && la->info[0].area > 0);
  CU_ASSERT(la->info[1].color[0] < la->info[0].color[0]);
  /* light polarity is the complement wherever v != T */
  ft_labels_free(lb);
  lb = NULL;
  p.polarity = FT_POLARITY_LIGHT;
  CU_ASSERT_EQUAL_FATAL(ft_adaptive_threshold(ctx, img, &p, &lb), FT_OK);
  {
    int same = 0;
    for (i = 0; i < 70 * 200; i++) {
      double v = (double)(uint16_t)(img->data[i] * 65535.0f + 0.5f) / 65535.0;
      if (fabs(v - a->data[i]) > 1e-6) same += la->label[i] == lb->label[i];
    }
    CU_ASSERT_EQUAL(same, 0);
  }
  ft_labels_free(lb);
  lb = (ft_labels *)1;
  p.window = 4;
  CU_ASSERT_EQUAL(ft_adaptive_threshold(ctx, img, &p, &lb), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(lb);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "threshold: window=4 must be odd in 3..4095");
  p.window = 25;
  p.range = 0;
  ft_image_free(b);
  b = (ft_image *)1;
  CU_ASSERT_EQUAL(ft_adaptive_threshold_map(ctx, img, &p, &b), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(b);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "threshold: range=0 out of range (0, 1]");
  p.range = 0.5;
  p.method = 7;
  CU_ASSERT_EQUAL(ft_adaptive_threshold_map(ctx, img, &p, &b), FT_ERR_INVAL);
  ft_image_free(a);
  ft_ctx_set_threads(ctx, 2);
  ft_image_free(img), ft_image_free(b), ft_image_free(rgb);
  ft_labels_free(la);
}

static void test_hysteresis(void) {
  /* a bright line whose middle fades below high but stays above low, a weak
   * blob not touching any strong pixel, and a diagonal link */
  static const char *const rows[] = {
      "..........",
      ".SSwwwSS..",
      "..........",
      ".ww.......",
      ".ww...S...",
      ".......w..",
      "........w.",
      NULL};
  ft_image *img = NULL;
  ft_labels *lab = NULL;
  ft_hysteresis_params p;
  int x, y, w = 10, h = 7;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, w, h, 1, &img), FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      img->data[y * w + x] = rows[y][x] == 'S' ? 0.9f : (rows[y][x] == 'w' ? 0.5f : 0.1f);
  ft_hysteresis_params_init(&p);
  p.polarity = FT_POLARITY_LIGHT;
  p.low = 0.4;
  p.high = 0.8;
  CU_ASSERT_EQUAL_FATAL(ft_hysteresis_threshold(ctx, img, &p, &lab), FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      int want = rows[y][x] == 'S' || (rows[y][x] == 'w' && y != 3 && y != 4);
      CU_ASSERT_EQUAL(lab->label[y * w + x], want);
    }
  ft_labels_free(lab);
  /* 4-connectivity drops the diagonal chain */
  p.connectivity = 4;
  CU_ASSERT_EQUAL_FATAL(ft_hysteresis_threshold(ctx, img, &p, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->label[5 * w + 7], 0);
  CU_ASSERT_EQUAL(lab->label[1 * w + 4], 1);
  CU_ASSERT_EQUAL(lab->info[1].area, 8);
  ft_labels_free(lab);
  /* dark polarity on the inverted image gives the same map */
  for (x = 0; x < w * h; x++) img->data[x] = 1.0f - img->data[x];
  p.polarity = FT_POLARITY_DARK;
  p.low = 0.2;
  p.high = 0.6;
  p.connectivity = 8;
  CU_ASSERT_EQUAL_FATAL(ft_hysteresis_threshold(ctx, img, &p, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 10);
  CU_ASSERT_EQUAL(lab->label[6 * w + 8], 1);
  ft_labels_free(lab);
  lab = (ft_labels *)1;
  p.low = 0.7;
  CU_ASSERT_EQUAL(ft_hysteresis_threshold(ctx, img, &p, &lab), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(lab);
  p.low = 0.2;
  p.connectivity = 6;
  CU_ASSERT_EQUAL(ft_hysteresis_threshold(ctx, img, &p, &lab), FT_ERR_INVAL);
  ft_image_free(img);
}

/* ---- local midpoint ---- */

/* A pencil-like page: paper 0.92 under a vertical gradient, with strokes
 * (horizontal bars and a diagonal) whose darkness changes along x, plus
 * noise.  w or h may be 1. */
static ft_image *pencil_page(int w, int h) {
  ft_image *img = NULL;
  int x, y;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, w, h, 1, &img), FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      float light = 0.8f + 0.2f * (float)y / (float)(h > 1 ? h - 1 : 1);
      float depth = 0.3f + 0.5f * (float)x / (float)(w > 1 ? w - 1 : 1);
      int ink = (y % 11 >= 4 && y % 11 < 8) || abs(x - y) <= 1;
      img->data[y * w + x] =
          light * (0.92f - (ink ? depth * 0.7f : 0.0f)) + 0.03f * (frand() - 0.5f);
    }
  return img;
}

/* Direct reference of ft_midpoint_threshold_map for sigma < 3 (where the
 * Gaussian is the exact truncated FIR): Otsu first guess, windowed erosion
 * and dilation, 2-D Gaussian sums with a replicated border.  Returns 1 for
 * dark ink, 0 for light. */
static int ref_midpoint(const ft_image *img, const ft_midpoint_params *p, double *T) {
  const int w = img->width, h = img->height, n = w * h, R = (int)ceil(3 * p->sigma);
  uint64_t hist[256] = {0};
  unsigned char *ink = calloc(n, 1), *core = calloc(n, 1), *pap = calloc(n, 1);
  double *k = calloc(R + 1, sizeof *k), ksum = 0, lev[2][2] = {{0, 0}, {0, 0}};
  int i, x, y, split, nlow = 0, dark, side;
  for (i = 0; i < n; i++) {
    int b = (int)(img->data[i] * 256.0);
    hist[b < 0 ? 0 : (b > 255 ? 255 : b)]++;
  }
  split = (int)floor(ft_otsu_threshold(hist, 256) * 256 + 0.5) - 1;
  for (i = 0; i <= split; i++) nlow += (int)hist[i];
  dark = p->polarity == FT_POLARITY_DARK || (p->polarity == FT_POLARITY_AUTO && 2 * nlow <= n);
  if (nlow == 0 || nlow == n) {
    for (i = 0; i < n; i++) T[i] = dark ? -1 : 2;
    goto out;
  }
  for (i = 0; i < n; i++) {
    int b = (int)(img->data[i] * 256.0);
    b = b < 0 ? 0 : (b > 255 ? 255 : b);
    ink[i] = dark ? b <= split : b > split;
  }
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      int all = 1, any = 0, dx, dy, r2 = p->core + 1;
      for (dy = -r2; dy <= r2; dy++)
        for (dx = -r2; dx <= r2; dx++) {
          int xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          if (abs(dx) <= p->core && abs(dy) <= p->core) all &= ink[yy * w + xx];
          any |= ink[yy * w + xx];
        }
      core[y * w + x] = (unsigned char)all;
      pap[y * w + x] = (unsigned char)!any;
    }
  {
    int nc = 0, np = 0;
    for (i = 0; i < n; i++) nc += core[i], np += pap[i];
    for (i = 0; i < n; i++) {
      if (!nc) core[i] = ink[i];
      if (!np) pap[i] = !ink[i];
    }
  }
  for (i = 0; i <= R; i++) {
    k[i] = exp(-(double)i * i / (2 * p->sigma * p->sigma));
    ksum += i ? 2 * k[i] : k[i];
  }
  for (side = 0; side < 2; side++) { /* global means: 0 ink, 1 paper */
    const unsigned char *set = side ? pap : core;
    for (i = 0; i < n; i++)
      if (set[i]) lev[side][0] += img->data[i], lev[side][1] += 1;
  }
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      double a[2] = {0, 0}, c[2] = {0, 0}, L[2];
      int dx, dy;
      for (dy = -R; dy <= R; dy++)
        for (dx = -R; dx <= R; dx++) {
          int xx = x + dx, yy = y + dy, j;
          double g = k[abs(dx)] * k[abs(dy)] / (ksum * ksum);
          xx = xx < 0 ? 0 : (xx >= w ? w - 1 : xx);
          yy = yy < 0 ? 0 : (yy >= h ? h - 1 : yy);
          j = yy * w + xx;
          a[0] += g * img->data[j] * core[j], c[0] += g * core[j];
          a[1] += g * img->data[j] * pap[j], c[1] += g * pap[j];
        }
      for (side = 0; side < 2; side++)
        L[side] = (a[side] + 1e-3 * lev[side][0] / lev[side][1]) / (c[side] + 1e-3);
      T[y * w + x] = L[1] + p->fraction * (L[0] - L[1]);
    }
out:
  free(ink), free(core), free(pap), free(k);
  return dark;
}

/* The map against ref_midpoint within tol: 1e-5 (float rounding) below
 * sigma 3, where both use the same FIR kernel; from sigma 3 the recursive
 * Gaussian (within about 1.5% of full scale) and from sigma 8 the cell
 * grid move the levels by up to about 3% of the stroke contrast (0.5
 * here), so 0.02.  Labels must agree wherever v is farther than tol from T. */
static void check_midpoint(int w, int h, double sigma, int core, double f, int polarity,
                           double tol) {
  ft_image *img = pencil_page(w, h), *map = NULL;
  ft_labels *lab = NULL;
  ft_midpoint_params p;
  double *T = calloc((size_t)w * h, sizeof *T);
  int i, bad = 0, badlab = 0, dark;
  double worst = 0;
  ft_midpoint_params_init(&p);
  p.sigma = sigma, p.core = core, p.fraction = f, p.polarity = polarity;
  if (polarity == FT_POLARITY_LIGHT)
    for (i = 0; i < w * h; i++) img->data[i] = 1.0f - img->data[i];
  dark = ref_midpoint(img, &p, T);
  CU_ASSERT_EQUAL_FATAL(ft_midpoint_threshold_map(ctx, img, &p, &map), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_midpoint_threshold(ctx, img, &p, &lab), FT_OK);
  CU_ASSERT_EQUAL(map->width, w);
  CU_ASSERT_EQUAL(map->channels, 1);
  CU_ASSERT_EQUAL(lab->nlabels, 2);
  for (i = 0; i < w * h; i++) {
    double v = img->data[i];
    worst = fmax(worst, fabs(map->data[i] - T[i]));
    if (fabs(map->data[i] - T[i]) > tol) bad++;
    if (fabs(v - T[i]) > tol && lab->label[i] != (dark ? v <= T[i] : v > T[i])) badlab++;
  }
  CU_ASSERT_EQUAL(bad, 0);
  CU_ASSERT_EQUAL(badlab, 0);
  if (bad || badlab)
    fprintf(stderr, "\n  midpoint %dx%d sigma %g core %d: %d map (worst %g), %d label mismatches\n",
            w, h, sigma, core, bad, worst, badlab);
  free(T);
  ft_image_free(img), ft_image_free(map);
  ft_labels_free(lab);
}

static void test_midpoint_reference(void) {
  check_midpoint(60, 45, 2.0, 1, 0.5, FT_POLARITY_AUTO, 1e-5);
  check_midpoint(60, 45, 1.0, 0, 0.4, FT_POLARITY_DARK, 1e-5);
  check_midpoint(33, 70, 2.5, 2, 0.6, FT_POLARITY_AUTO, 1e-5);
  check_midpoint(40, 30, 1.5, 1, 0.5, FT_POLARITY_LIGHT, 1e-5); /* white strokes on dark */
  check_midpoint(9, 9, 2.0, 5, 0.5, FT_POLARITY_DARK, 1e-5);    /* erosion leaves nothing */
  check_midpoint(1, 1, 2.0, 1, 0.5, FT_POLARITY_AUTO, 1e-5);
  check_midpoint(1, 50, 2.0, 1, 0.5, FT_POLARITY_AUTO, 1e-5);
  check_midpoint(50, 1, 1.0, 1, 0.5, FT_POLARITY_DARK, 1e-5);
  check_midpoint(64, 48, 5.0, 1, 0.5, FT_POLARITY_AUTO, 0.02);  /* recursive Gaussian */
  check_midpoint(80, 61, 8.0, 1, 0.5, FT_POLARITY_AUTO, 0.02);  /* 2 x 2 cells */
  check_midpoint(75, 90, 12.0, 1, 0.5, FT_POLARITY_DARK, 0.02); /* 3 x 3 cells */
  check_midpoint(1, 40, 8.0, 1, 0.5, FT_POLARITY_AUTO, 0.02);
  check_midpoint(41, 1, 16.0, 1, 0.5, FT_POLARITY_AUTO, 0.02);
}

/* Two blurred bars of the same width, one faint and one dark, on flat
 * paper: the midpoint gives both their true width (coverage >= 0.5),
 * a global Otsu split makes the faint one thinner. */
static void test_midpoint_faint_strokes(void) {
  const int w = 64, h = 40;
  ft_image *img = NULL, *blur = NULL;
  ft_labels *mid = NULL, *otsu = NULL;
  ft_gaussian_params gp;
  ft_segment_params sp;
  int x, y, miss_mid = 0, miss_otsu = 0;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, w, h, 1, &img), FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      int faint = x >= 12 && x < 20, dark = x >= 40 && x < 48;
      img->data[y * w + x] = faint ? 0.55f : (dark ? 0.15f : 0.95f);
    }
  ft_gaussian_params_init(&gp);
  gp.sigma = 1.0;
  CU_ASSERT_EQUAL_FATAL(ft_gaussian(ctx, img, &gp, &blur), FT_OK);
  ft_segment_params_init(&sp);
  CU_ASSERT_EQUAL_FATAL(ft_segment_params_parse(ctx, "midpoint:sigma=6", &sp), FT_OK);
  CU_ASSERT_EQUAL(sp.method, FT_THRESH_MIDPOINT);
  CU_ASSERT_EQUAL_FATAL(ft_segment(ctx, blur, &sp, &mid), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_segment_params_parse(ctx, "otsu", &sp), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_segment(ctx, blur, &sp, &otsu), FT_OK);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      int want = (x >= 12 && x < 20) || (x >= 40 && x < 48);
      miss_mid += mid->label[y * w + x] != want;
      miss_otsu += otsu->label[y * w + x] != want;
    }
  if (miss_mid || miss_otsu < 2 * h)
    fprintf(stderr, "\n  wrong pixels: midpoint %d, otsu %d\n", miss_mid, miss_otsu);
  CU_ASSERT_EQUAL(miss_mid, 0);
  CU_ASSERT(miss_otsu >= 2 * h); /* at least a column on each side of a bar */
  CU_ASSERT_EQUAL(mid->info[1].area, 16 * h);
  CU_ASSERT_EQUAL(mid->info[1].class_id, FT_CLASS_INK);
  ft_image_free(img), ft_image_free(blur);
  ft_labels_free(mid), ft_labels_free(otsu);
}

static void test_midpoint_edges_and_errors(void) {
  ft_image *img = NULL, *a = NULL, *b = NULL, *rgb = NULL;
  ft_labels *lab = NULL, *lb = NULL;
  ft_midpoint_params p;
  ft_segment_params sp;
  size_t i;
  /* a uniform image has no ink, and its surface classifies nothing: all of
   * it is the lower class, so auto takes the empty upper side as ink */
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 20, 10, 1, &img), FT_OK);
  for (i = 0; i < 200; i++) img->data[i] = 0.6f;
  CU_ASSERT_EQUAL_FATAL(ft_midpoint_threshold(ctx, img, NULL, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[1].area, 0);
  CU_ASSERT_EQUAL_FATAL(ft_midpoint_threshold_map(ctx, img, NULL, &a), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(a->data[0], 2.0, 0);
  ft_image_free(a);
  ft_midpoint_params_init(&p);
  p.polarity = FT_POLARITY_DARK;
  CU_ASSERT_EQUAL_FATAL(ft_midpoint_threshold_map(ctx, img, &p, &a), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(a->data[199], -1.0, 0);
  ft_labels_free(lab), ft_image_free(a), ft_image_free(img);
  /* thread count does not change the result; an RGB gray copy gives the same map */
  img = pencil_page(90, 150);
  ft_midpoint_params_init(&p);
  ft_ctx_set_threads(ctx, 1);
  CU_ASSERT_EQUAL_FATAL(ft_midpoint_threshold_map(ctx, img, &p, &a), FT_OK);
  ft_ctx_set_threads(ctx, 3);
  CU_ASSERT_EQUAL_FATAL(ft_midpoint_threshold_map(ctx, img, &p, &b), FT_OK);
  CU_ASSERT(memcmp(a->data, b->data, 90 * 150 * sizeof(float)) == 0);
  ft_ctx_set_threads(ctx, 2);
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 90, 150, 3, &rgb), FT_OK);
  for (i = 0; i < 90 * 150; i++)
    rgb->data[3 * i] = rgb->data[3 * i + 1] = rgb->data[3 * i + 2] = img->data[i];
  ft_image_free(b);
  CU_ASSERT_EQUAL_FATAL(ft_midpoint_threshold_map(ctx, rgb, &p, &b), FT_OK);
  {
    float worst = 0.0f;
    for (i = 0; i < 90 * 150; i++) worst = fmaxf(worst, fabsf(a->data[i] - b->data[i]));
    CU_ASSERT(worst < 1e-3f); /* Rec. 709 rounding only, unless a pixel crosses a bin */
  }
  /* a compact (8-bit) copy gives the map of its float twin */
  {
    ft_image *c8 = NULL, *f8 = NULL, *m8 = NULL, *mf = NULL;
    CU_ASSERT_EQUAL_FATAL(ft_image_new_u8(ctx, 90, 150, 1, &c8), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 90, 150, 1, &f8), FT_OK);
    for (i = 0; i < 90 * 150; i++) {
      float v = img->data[i];
      c8->data8[i] = (uint8_t)(v <= 0 ? 0 : (v >= 1 ? 255 : v * 255.0f + 0.5f));
      f8->data[i] = c8->data8[i] / 255.0f;
    }
    CU_ASSERT_EQUAL_FATAL(ft_midpoint_threshold_map(ctx, c8, &p, &m8), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_midpoint_threshold_map(ctx, f8, &p, &mf), FT_OK);
    CU_ASSERT(memcmp(m8->data, mf->data, 90 * 150 * sizeof(float)) == 0);
    ft_image_free(c8), ft_image_free(f8), ft_image_free(m8), ft_image_free(mf);
  }
  /* through ft_segment with min_area: same as the function, specks merged */
  CU_ASSERT_EQUAL_FATAL(ft_midpoint_threshold(ctx, img, &p, &lab), FT_OK);
  ft_segment_params_init(&sp);
  CU_ASSERT_EQUAL_FATAL(ft_segment_params_parse(ctx, "midpoint:sigma=8,core=1,f=0.5", &sp), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(sp.sigma, 8.0, 0);
  CU_ASSERT_EQUAL(sp.core, 1);
  CU_ASSERT_DOUBLE_EQUAL(sp.fraction, 0.5, 0);
  CU_ASSERT_EQUAL(sp.polarity, FT_POLARITY_AUTO);
  CU_ASSERT_EQUAL_FATAL(ft_segment(ctx, img, &sp, &lb), FT_OK);
  CU_ASSERT(memcmp(lab->label, lb->label, 90 * 150 * sizeof(int32_t)) == 0);
  CU_ASSERT_EQUAL(lab->info[1].area, lb->info[1].area);
  ft_labels_free(lb);
  sp.min_area = 1000000; /* every region is small: one side swallows the other */
  CU_ASSERT_EQUAL_FATAL(ft_segment(ctx, img, &sp, &lb), FT_OK);
  CU_ASSERT(lb->info[0].area == 0 || lb->info[1].area == 0);
  CU_ASSERT_EQUAL(lb->info[0].area + lb->info[1].area, 90 * 150);
  ft_labels_free(lb);
  /* bad params: INVAL, a message naming the field, *out NULL */
  lb = (ft_labels *)1;
  p.sigma = 0.2;
  CU_ASSERT_EQUAL(ft_midpoint_threshold(ctx, img, &p, &lb), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(lb);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "threshold: sigma=0.2 out of range 0.5..200");
  p.sigma = 8, p.core = 21;
  ft_image_free(b);
  b = (ft_image *)1;
  CU_ASSERT_EQUAL(ft_midpoint_threshold_map(ctx, img, &p, &b), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(b);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "threshold: core=21 out of range 0..20");
  p.core = 1, p.fraction = 1.0;
  CU_ASSERT_EQUAL(ft_midpoint_threshold(ctx, img, &p, &lb), FT_ERR_INVAL);
  ft_segment_params_init(&sp);
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "midpoint:f=0.99", &sp), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(sp.method, FT_THRESH_OTSU);
  CU_ASSERT_EQUAL(ft_segment_params_parse(ctx, "midpoint:w=5", &sp), FT_ERR_INVAL);
  sp.method = FT_THRESH_MIDPOINT, sp.sigma = 0.1;
  CU_ASSERT_EQUAL(ft_segment(ctx, img, &sp, &lb), FT_ERR_INVAL);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "segment: sigma 0.1 out of range 0.5..200");
  ft_image_free(img), ft_image_free(a), ft_image_free(rgb);
  ft_labels_free(lab);
}

int main(void) {
  static const ft_test_case cases[] = {{"li on a bimodal histogram", test_li_bimodal},
                                       {"triangle on a unimodal skewed histogram", test_triangle_unimodal},
                                       {"sauvola and niblack vs direct windows", test_adaptive},
                                       {"adaptive: threads, colour, errors", test_adaptive_threads_and_errors},
                                       {"hysteresis", test_hysteresis},
                                       {"midpoint vs a direct reference", test_midpoint_reference},
                                       {"midpoint: faint and dark blurred strokes", test_midpoint_faint_strokes},
                                       {"midpoint: edges, threads, errors", test_midpoint_edges_and_errors},
                                       {NULL, NULL}};
  int rc;
  ctx = ft_ctx_new();
  ft_ctx_set_threads(ctx, 2);
  rc = ft_test_main("thresholds", cases);
  ft_ctx_free(ctx);
  return rc;
}
