/* src/segment/threshold.c - ft_segment: thresholds, dispatch to k-means, small regions.
 *
 * ft_segment runs one of three families and then merges regions below
 * min_area (merge.c): colour quantisation (colors >= 2, kmeans.c), local
 * thresholds (adaptive.c: Sauvola, Niblack, hysteresis; midpoint.c: the
 * local midpoint), or a global threshold, computed here as follows.
 *
 * The image is reduced to luminance with ft_image_to_gray() (Rec. 709
 * weights, alpha composited onto white), a histogram is built and split by
 * Otsu's method: the threshold that maximises the between-class variance
 * sigma_B^2(k) = w0(k) w1(k) (mu0(k) - mu1(k))^2 of the two classes it makes
 * (N. Otsu, "A threshold selection method from gray-level histograms",
 * IEEE Trans. SMC 9(1), 1979, eq. 18-19).  The side that holds the
 * minority of pixels is taken as ink unless a polarity is forced; a tie
 * goes to dark ink.  The result is a two-label map: 0 background, 1 ink.
 *
 * Histogram resolution follows the source: 256 bins for bit depths up to 8
 * (one bin per 8-bit level), 65536 bins for 16-bit and float sources (one
 * bin per 16-bit level), so 12-bit data stored in 16 bits is not crushed
 * into a few bins.  With Otsu the pixels are classified by their bin, which
 * is the same as comparing with the returned threshold t (luminance <= t)
 * but immune to rounding at the bin edge.  Li's and the triangle threshold
 * (global.c) split the same histogram.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "figtrace/thresholds.h"
#include "segment/internal.h"

#define ROW_BLOCK 64 /* rows between progress reports / cancellation checks */

static const ft_segment_params segment_defaults = {
    .method = FT_THRESH_OTSU,
    .value = 0.5,
    .polarity = FT_POLARITY_AUTO,
    .invert = 0,
    .window = 25,
    .k = 0.2,
    .range = 0.5,
    .low = 0.3,
    .high = 0.6,
    .sigma = 8.0,
    .core = 1,
    .fraction = 0.5,
    .colors = 0,
    .min_area = 0,
};

void ft_segment_params_init(ft_segment_params *p) { *p = segment_defaults; }

/* Otsu's split of hist[0..n-1]: the last bin of the lower class, or -1
 * when the histogram is empty.  With a single occupied bin that bin is
 * returned (everything falls in the lower class).  When several splits
 * reach the same maximum because the bins between them are empty (two
 * spikes with a gap), the middle of that plateau is taken, so the
 * threshold sits half way across the gap. */
static int otsu_split(const uint64_t *hist, int n) {
  double total = 0.0, sum = 0.0, w0 = 0.0, s0 = 0.0, best = -1.0;
  int i, k = -1, end = -1, last = -1;
  if (!hist || n < 1) return -1;
  for (i = 0; i < n; i++) {
    total += (double)hist[i];
    sum += (double)i * (double)hist[i];
    if (hist[i]) last = i;
  }
  if (last < 0) return -1;
  for (i = 0; i < n - 1; i++) {
    double d, var;
    w0 += (double)hist[i];
    s0 += (double)i * (double)hist[i];
    if (w0 <= 0.0 || w0 >= total) continue;
    /* sigma_B^2 * total^2 = (sum * w0 - total * s0)^2 / (w0 * (total - w0));
     * an empty bin leaves w0 and s0 unchanged, so a plateau over a gap
     * yields bit-identical values */
    d = sum * w0 - total * s0;
    var = d * d / (w0 * (total - w0));
    if (var > best) {
      best = var;
      k = end = i;
    } else if (var == best && end == i - 1) {
      end = i;
    }
  }
  if (k < 0) return last; /* a single occupied bin */
  return k + (end - k) / 2;
}

double ft_otsu_threshold(const uint64_t *hist, int n) {
  int k = otsu_split(hist, n);
  return k < 0 ? -1.0 : (double)(k + 1) / (double)n;
}

/* Bin of a luminance value in an n-bin histogram over [0,1]. */
static inline int bin_of(float v, int n) {
  int b;
  if (!(v > 0.0f)) return 0; /* also catches NaN */
  b = (int)((double)v * n);
  return b >= n ? n - 1 : b;
}

static ft_status check_params(ft_ctx *ctx, const ft_segment_params *p) {
  if (p->method < FT_THRESH_OTSU || p->method > FT_THRESH_MIDPOINT)
    return ft__fail(ctx, FT_ERR_INVAL, "segment: unknown method %d", p->method);
  if (!(p->value >= 0.0 && p->value <= 1.0))
    return ft__fail(ctx, FT_ERR_INVAL, "segment: value %g out of range 0..1", p->value);
  if (p->polarity < FT_POLARITY_AUTO || p->polarity > FT_POLARITY_LIGHT)
    return ft__fail(ctx, FT_ERR_INVAL, "segment: unknown polarity %d", p->polarity);
  if (p->window < 3 || p->window > 4095 || p->window % 2 == 0)
    return ft__fail(ctx, FT_ERR_INVAL, "segment: window %d must be odd in 3..4095", p->window);
  if (!(p->k >= -1.0 && p->k <= 1.0))
    return ft__fail(ctx, FT_ERR_INVAL, "segment: k %g out of range -1..1", p->k);
  if (!(p->range > 0.0 && p->range <= 1.0))
    return ft__fail(ctx, FT_ERR_INVAL, "segment: range %g out of range (0, 1]", p->range);
  if (!(p->low >= 0.0 && p->low <= p->high && p->high <= 1.0))
    return ft__fail(ctx, FT_ERR_INVAL, "segment: need 0 <= low (%g) <= high (%g) <= 1", p->low,
                    p->high);
  if (!(p->sigma >= 0.5 && p->sigma <= 200.0))
    return ft__fail(ctx, FT_ERR_INVAL, "segment: sigma %g out of range 0.5..200", p->sigma);
  if (p->core < 0 || p->core > 20)
    return ft__fail(ctx, FT_ERR_INVAL, "segment: core %d out of range 0..20", p->core);
  if (!(p->fraction >= 0.05 && p->fraction <= 0.95))
    return ft__fail(ctx, FT_ERR_INVAL, "segment: fraction %g out of range 0.05..0.95",
                    p->fraction);
  if (p->colors != 0 && (p->colors < 2 || p->colors > 64))
    return ft__fail(ctx, FT_ERR_INVAL, "segment: colors %d must be 0 or 2..64", p->colors);
  if (p->min_area < 0)
    return ft__fail(ctx, FT_ERR_INVAL, "segment: min_area %lld is negative",
                    (long long)p->min_area);
  return FT_OK;
}

/* Swap ink and background of a two-label map (counts and colours follow). */
static void swap_sides(ft_labels *lab) {
  size_t i, n = (size_t)lab->width * lab->height;
  for (i = 0; i < n; i++) lab->label[i] = !lab->label[i];
}

/* Sauvola, Niblack, hysteresis (adaptive.c) or the local midpoint
 * (midpoint.c) into a two-label map. */
static ft_status segment_local(ft_ctx *ctx, const ft_image *in, const ft_segment_params *p,
                               ft_labels **out) {
  int light = p->polarity == FT_POLARITY_LIGHT;
  ft_status st;
  if (p->method == FT_THRESH_MIDPOINT) {
    ft_midpoint_params mp;
    ft_midpoint_params_init(&mp);
    mp.sigma = p->sigma;
    mp.core = p->core;
    mp.fraction = p->fraction;
    mp.polarity = p->polarity;
    st = ft_midpoint_threshold(ctx, in, &mp, out);
  } else if (p->method == FT_THRESH_HYSTERESIS) {
    ft_hysteresis_params hp;
    ft_hysteresis_params_init(&hp);
    hp.low = p->low;
    hp.high = p->high;
    hp.polarity = light ? FT_POLARITY_LIGHT : FT_POLARITY_DARK;
    st = ft_hysteresis_threshold(ctx, in, &hp, out);
  } else {
    ft_adaptive_params ap;
    ft_adaptive_params_init(&ap);
    ap.method = p->method == FT_THRESH_NIBLACK ? FT_ADAPTIVE_NIBLACK : FT_ADAPTIVE_SAUVOLA;
    ap.window = p->window;
    ap.k = p->k;
    ap.range = p->range;
    ap.polarity = light ? FT_POLARITY_LIGHT : FT_POLARITY_DARK;
    st = ft_adaptive_threshold(ctx, in, &ap, out);
  }
  if (st) return st;
  if (p->invert) swap_sides(*out);
  return FT_OK;
}

/* The last bin of the lower class for a global method. */
static int global_split(const ft_segment_params *p, const uint64_t *hist, int nbins) {
  double t;
  if (p->method == FT_THRESH_OTSU) return otsu_split(hist, nbins);
  t = p->method == FT_THRESH_LI ? ft_li_threshold(hist, nbins) : ft_triangle_threshold(hist, nbins);
  return t < 0.0 ? -1 : (int)floor(t * nbins + 0.5) - 1;
}

ft_status ft_segment(ft_ctx *ctx, const ft_image *in, const ft_segment_params *p,
                     ft_labels **out) {
  ft_image *gray = NULL;
  ft_labels *lab = NULL;
  uint64_t *hist = NULL;
  uint64_t n_low = 0, n_high = 0;
  double sum[2][3] = {{0, 0, 0}, {0, 0, 0}};
  int nbins = 0, split = -1, dark, none = 0, x, y, c;
  int w, h;
  ft_status st;

  if (!out) return ft__fail(ctx, FT_ERR_INVAL, "segment: no output pointer");
  *out = NULL;
  if (!in || !in->data || in->width < 1 || in->height < 1 || in->channels < 1 ||
      in->channels > 4)
    return ft__fail(ctx, FT_ERR_INVAL, "segment: invalid input image");
  if (!p) p = &segment_defaults;
  if ((st = check_params(ctx, p))) return st;
  w = in->width;
  h = in->height;

  if (p->colors >= 2) {
    ft_kmeans_params kp;
    ft_kmeans_params_init(&kp);
    kp.k = p->colors;
    kp.min_area = p->min_area;
    return ft_segment_kmeans(ctx, in, &kp, out);
  }
  if (p->method >= FT_THRESH_SAUVOLA) {
    if ((st = segment_local(ctx, in, p, &lab))) return st;
    goto finish;
  }

  if ((st = ft_image_to_gray(ctx, in, &gray))) return st;
  if ((st = ft_labels_new(ctx, w, h, 2, &lab))) goto fail;

  /* Pass 1: histogram (Otsu) or side counts (fixed value). */
  if (p->method != FT_THRESH_VALUE) {
    nbins = in->bit_depth > 8 ? 65536 : 256;
    hist = ft__calloc_n((size_t)nbins, sizeof *hist);
    if (!hist) goto nomem;
  }
  for (y = 0; y < h; y++) {
    const float *row = gray->data + (size_t)y * w;
    if (y % ROW_BLOCK == 0 && (st = ft__progress(ctx, 0.4 * y / h))) goto fail;
    if (hist) {
      for (x = 0; x < w; x++) hist[bin_of(row[x], nbins)]++;
    } else {
      for (x = 0; x < w; x++) {
        if (row[x] <= p->value)
          n_low++;
        else
          n_high++;
      }
    }
  }
  if (hist) {
    int b;
    split = global_split(p, hist, nbins);
    for (b = 0; b < nbins; b++) {
      if (b <= split)
        n_low += hist[b];
      else
        n_high += hist[b];
    }
  }

  /* Polarity: ink is the minority side unless forced; a tie is dark ink.
   * With every pixel on one side (a uniform image under Otsu) there is no
   * ink at all, whatever invert says, unless a polarity was forced with a
   * fixed value. */
  if (p->polarity == FT_POLARITY_DARK)
    dark = 1;
  else if (p->polarity == FT_POLARITY_LIGHT)
    dark = 0;
  else
    dark = n_low <= n_high;
  if (n_low == 0 || n_high == 0)
    none = p->method != FT_THRESH_VALUE || p->polarity == FT_POLARITY_AUTO;
  if (p->invert) dark = !dark;

  /* Pass 2: classify, count and average colours. */
  for (y = 0; y < h; y++) {
    const float *row = gray->data + (size_t)y * w;
    int32_t *lrow = lab->label + (size_t)y * w;
    if (y % ROW_BLOCK == 0 && (st = ft__progress(ctx, 0.4 + 0.6 * y / h))) goto fail;
    for (x = 0; x < w; x++) {
      int low, ink;
      double rgb[3];
      low = hist ? bin_of(row[x], nbins) <= split : row[x] <= p->value;
      ink = !none && (dark ? low : !low);
      lrow[x] = ink;
      ft__pixel_rgb(in, (size_t)y * w + x, rgb);
      for (c = 0; c < 3; c++) sum[ink][c] += rgb[c];
    }
  }
  ft_labels_count(lab);
  lab->info[0].class_id = FT_CLASS_BACKGROUND;
  lab->info[1].class_id = FT_CLASS_INK;
  for (c = 0; c < 3; c++) {
    /* an empty side keeps white for background, black for ink */
    lab->info[0].color[c] =
        lab->info[0].area ? (float)(sum[0][c] / (double)lab->info[0].area) : 1.0f;
    lab->info[1].color[c] =
        lab->info[1].area ? (float)(sum[1][c] / (double)lab->info[1].area) : 0.0f;
  }

finish:
  if (p->min_area > 1) {
    if ((st = ft__merge_small(ctx, lab, p->min_area, 8, 1.0, 1.0))) goto fail;
    ft__labels_summarise(lab, in);
  }
  lab->info[0].class_id = FT_CLASS_BACKGROUND;
  lab->info[1].class_id = FT_CLASS_INK;
  if (p->method >= FT_THRESH_SAUVOLA && p->min_area <= 1) ft__labels_summarise(lab, in);
  lab->pixel_w = in->pixel_w;
  lab->pixel_h = in->pixel_h;
  if ((st = ft__progress(ctx, 1.0))) goto fail;

  free(hist);
  ft_image_free(gray);
  *out = lab;
  return FT_OK;
nomem:
  st = ft__nomem(ctx, "segment");
fail:
  free(hist);
  ft_image_free(gray);
  ft_labels_free(lab);
  return st;
}
