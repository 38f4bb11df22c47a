/* src/segment/threshold.c - ft_segment: thresholds, dispatch to k-means, small regions.
 *
 * ft_segment runs one of three families and then merges regions below
 * min_area (merge.c): colour quantisation (colors >= 2, kmeans.c), local
 * thresholds (adaptive.c: Sauvola, Niblack, hysteresis; midpoint.c: the
 * local midpoint), or a global threshold, computed here as follows.
 *
 * The image is reduced to luminance a row at a time, with exactly the
 * values of ft_image_to_gray() (Rec. 709 weights, alpha composited onto
 * white) but no full-size gray copy; a histogram is built and split by
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
 *
 * A compact one-channel image (FT_STORAGE_U8, bit depth <= 8) is the common
 * case of scans and line art: byte v falls in bin v (v / 255.0f * 256
 * truncates to v), so the histogram is counted on the bytes, each byte value
 * is classified once into a 256-entry table, and the areas and colour sums
 * come from the byte counts, with no per-pixel conversion.  These two passes
 * run on bands of rows in parallel (ft_ctx_threads), with the same result
 * for any thread count.
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
    .compact = 0,
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

/* The two passes over a compact one-channel image run on bands of
 * ROW_BLOCK rows in parallel (ft__parallel): pass 1 counts the bytes of
 * each band into its own table, pass 2 writes each band's label rows, so
 * the result does not depend on the threads. */
typedef struct u8_job {
  const ft_image *in;
  uint64_t (*cnt)[256];   /* [nbands][256] byte counts per band (pass 1) */
  const uint8_t *ink_of;  /* [256] label of each byte (pass 2) */
  int thresh, flip;       /* pass 2: ink_of[v] == ((v <= thresh) ^ flip), or thresh -1
                             when it is not of that form */
  ft_labels *lab;
} u8_job;

/* Pass 1 on bands [lo, hi): eight equal bytes (most of a page of line art)
 * count at once; otherwise four sub-counts break the dependency between
 * neighbours of the same value.  No sub-count exceeds ROW_BLOCK * w < 2^32
 * for w <= FT_MAX_DIMENSION. */
static int count_bands(void *arg, int lo, int hi) {
  const u8_job *J = arg;
  int w = J->in->width, h = J->in->height, band, y, x, v;
  for (band = lo; band < hi; band++) {
    uint32_t sub[4][256];
    uint64_t *cnt = J->cnt[band];
    memset(sub, 0, sizeof sub);
    for (y = band * ROW_BLOCK; y < h && y < (band + 1) * ROW_BLOCK; y++) {
      const uint8_t *row = J->in->data8 + (size_t)y * w;
      for (x = 0; x + 8 <= w; x += 8) {
        uint64_t v8;
        memcpy(&v8, row + x, 8);
        if (v8 == (v8 & 255u) * 0x0101010101010101ull) {
          sub[x >> 3 & 3][row[x]] += 8; /* eight equal bytes: paper or ink */
          continue;
        }
        sub[0][row[x]]++;
        sub[1][row[x + 1]]++;
        sub[2][row[x + 2]]++;
        sub[3][row[x + 3]]++;
        sub[0][row[x + 4]]++;
        sub[1][row[x + 5]]++;
        sub[2][row[x + 6]]++;
        sub[3][row[x + 7]]++;
      }
      for (; x < w; x++) sub[0][row[x]]++;
    }
    for (v = 0; v < 256; v++) cnt[v] += (uint64_t)sub[0][v] + sub[1][v] + sub[2][v] + sub[3][v];
  }
  return 0;
}

/* Pass 2 on bands [lo, hi): each pixel's label is the ink flag of its byte.
 * The flag is a threshold on the byte (ink_of is 1 exactly for v <= T, or
 * exactly for v > T, or never: bins and the fixed value are monotone in v),
 * so a compact map is written sixteen bytes at a time with vector compares
 * where the compiler has them, through the table otherwise. */
static int classify_bands(void *arg, int lo, int hi) {
  const u8_job *J = arg;
  int w = J->in->width, h = J->in->height, y, x;
  for (y = lo * ROW_BLOCK; y < h && y < hi * ROW_BLOCK; y++) {
    const uint8_t *row = J->in->data8 + (size_t)y * w;
    if (J->lab->label8) {
      uint8_t *lrow = J->lab->label8 + (size_t)y * w;
      x = 0;
#if defined(__GNUC__) || defined(__clang__)
      if (J->thresh >= 0) {
        typedef uint8_t v16 __attribute__((vector_size(16)));
        v16 t, one, flip;
        int k;
        for (k = 0; k < 16; k++) {
          t[k] = (uint8_t)J->thresh;
          one[k] = 1;
          flip[k] = (uint8_t)J->flip;
        }
        for (; x + 16 <= w; x += 16) {
          v16 v, r;
          memcpy(&v, row + x, 16);
          r = ((v16)(v <= t) & one) ^ flip; /* (v <= T) for dark ink, (v > T) for light */
          memcpy(lrow + x, &r, 16);
        }
      }
#endif
      for (; x < w; x++) lrow[x] = J->ink_of[row[x]];
    } else {
      int32_t *lrow = J->lab->label + (size_t)y * w;
      for (x = 0; x < w; x++) lrow[x] = J->ink_of[row[x]];
    }
  }
  return 0;
}

/* Bands per chunk of the parallel passes: at least about 2^19 pixels, so a
 * small image runs in one chunk on the calling thread and starts no threads. */
static int band_chunk(const ft_image *in) {
  size_t band = (size_t)in->width * ROW_BLOCK, want = (size_t)1 << 19;
  return band >= want ? 1 : (int)((want + band - 1) / band);
}

/* Pass 1 for a compact one-channel image: cnt[v] pixels have byte v. */
static ft_status count_u8(ft_ctx *ctx, const ft_image *in, uint64_t cnt[256]) {
  int nbands = (in->height - 1) / ROW_BLOCK + 1, band, v;
  u8_job J;
  ft_status st;
  memset(&J, 0, sizeof J);
  J.in = in;
  J.cnt = ft__calloc_n((size_t)nbands, sizeof *J.cnt);
  if (!J.cnt) return ft__nomem(ctx, "segment");
  st = ft__parallel(ctx, "segment", nbands, band_chunk(in), count_bands, &J, 0.0, 0.4);
  memset(cnt, 0, 256 * sizeof *cnt);
  for (band = 0; band < nbands; band++)
    for (v = 0; v < 256; v++) cnt[v] += J.cnt[band][v];
  free(J.cnt);
  return st;
}

/* Pass 2 for a compact one-channel image; the areas and colour sums follow
 * from the byte counts of pass 1. */
static ft_status classify_u8(ft_ctx *ctx, const ft_image *in, const uint8_t ink_of[256],
                             const uint64_t cnt[256], ft_labels *lab, double sum[2][3]) {
  int nbands = (in->height - 1) / ROW_BLOCK + 1, v, c;
  u8_job J;
  ft_status st;
  memset(&J, 0, sizeof J);
  J.in = in;
  J.ink_of = ink_of;
  J.lab = lab;
  /* ink_of as a threshold: the last byte equal to ink_of[0], then the rest
   * all the other value */
  for (v = 1; v < 256 && ink_of[v] == ink_of[0]; v++) continue;
  J.thresh = v - 1;
  J.flip = !ink_of[0];
  for (; v < 256; v++)
    if (ink_of[v] == ink_of[0]) J.thresh = -1;
  if ((st = ft__parallel(ctx, "segment", nbands, band_chunk(in), classify_bands, &J, 0.4, 1.0)))
    return st;
  lab->info[0].area = lab->info[1].area = 0;
  for (v = 0; v < 256; v++) {
    lab->info[ink_of[v]].area += (int64_t)cnt[v];
    for (c = 0; c < 3; c++) sum[ink_of[v]][c] += (double)cnt[v] * (double)ft__u8_float[v];
  }
  return FT_OK;
}

/* Whether min_area only merges specks of one or two pixels, which
 * ft__merge_specks does on the map as it is (compact or not) without
 * labelling every region. */
static int specks_only(const ft_segment_params *p, int w, int h) {
  return p->min_area > 1 && p->min_area <= 3 && w >= 2 && h >= 2 &&
         (size_t)w * (size_t)h <= (size_t)INT32_MAX;
}

ft_status ft_segment(ft_ctx *ctx, const ft_image *in, const ft_segment_params *p,
                     ft_labels **out) {
  ft_image *fin = NULL;
  ft_labels *lab = NULL;
  uint64_t *hist = NULL;
  uint64_t n_low = 0, n_high = 0, cnt[256];
  double sum[2][3] = {{0, 0, 0}, {0, 0, 0}};
  float *grow = NULL;
  int nbins = 0, split = -1, dark, none = 0, x, y, c, fast;
  int w, h;
  ft_status st;

  if (!out) return ft__fail(ctx, FT_ERR_INVAL, "segment: no output pointer");
  *out = NULL;
  if (!in || (!in->data && !in->data8) || in->width < 1 || in->height < 1 ||
      in->channels < 1 || in->channels > 4)
    return ft__fail(ctx, FT_ERR_INVAL, "segment: invalid input image");
  if (!p) p = &segment_defaults;
  if ((st = check_params(ctx, p))) return st;
  w = in->width;
  h = in->height;

  if (p->colors >= 2) {
    /* k-means reads float samples */
    ft_kmeans_params kp;
    if ((st = ft__image_float(ctx, in, &fin))) return st;
    ft_kmeans_params_init(&kp);
    kp.k = p->colors;
    kp.min_area = p->min_area;
    st = ft_segment_kmeans(ctx, fin ? fin : in, &kp, out);
    ft_image_free(fin);
    return st;
  }
  if (p->method >= FT_THRESH_SAUVOLA) {
    /* the local methods read either storage */
    if ((st = segment_local(ctx, in, p, &lab))) return st;
    goto finish;
  }

  /* the byte fast path: one channel, one byte per sample, 256 bins */
  fast = in->data8 && in->channels == 1 && in->bit_depth <= 8;
  /* pass 2 below writes every pixel (no zeroing pass first) */
  if ((st = ft__labels_alloc(ctx, w, h, 2, p->compact && (p->min_area <= 1 || specks_only(p, w, h)),
                             0, &lab)))
    goto fail;
  if (!fast && !(grow = ft__malloc_n((size_t)w, sizeof *grow))) goto nomem;

  /* Pass 1: histogram (Otsu) or side counts (fixed value). */
  if (p->method != FT_THRESH_VALUE) {
    nbins = in->bit_depth > 8 ? 65536 : 256;
    hist = ft__calloc_n((size_t)nbins, sizeof *hist);
    if (!hist) goto nomem;
  }
  if (fast) {
    /* byte v is bin v of the 256 */
    int v;
    if ((st = count_u8(ctx, in, cnt))) goto fail;
    for (v = 0; v < 256; v++) {
      if (hist)
        hist[v] = cnt[v];
      else if (ft__u8_float[v] <= p->value)
        n_low += cnt[v];
      else
        n_high += cnt[v];
    }
  }
  for (y = 0; y < h && !fast; y++) {
    const float *row = grow;
    if (y % ROW_BLOCK == 0 && (st = ft__progress(ctx, 0.4 * y / h))) goto fail;
    ft__image_gray_row(in, y, grow);
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
  if (fast) {
    uint8_t ink_of[256];
    int v;
    for (v = 0; v < 256; v++) {
      int low = hist ? bin_of(ft__u8_float[v], nbins) <= split : ft__u8_float[v] <= p->value;
      ink_of[v] = (uint8_t)(!none && (dark ? low : !low));
    }
    if ((st = classify_u8(ctx, in, ink_of, cnt, lab, sum))) goto fail;
  } else {
    for (y = 0; y < h; y++) {
      const float *row = grow;
      int32_t *lrow = lab->label ? lab->label + (size_t)y * w : NULL;
      uint8_t *lrow8 = lab->label8 ? lab->label8 + (size_t)y * w : NULL;
      if (y % ROW_BLOCK == 0 && (st = ft__progress(ctx, 0.4 + 0.6 * y / h))) goto fail;
      ft__image_gray_row(in, y, grow);
      for (x = 0; x < w; x++) {
        int low, ink;
        double rgb[3];
        low = hist ? bin_of(row[x], nbins) <= split : row[x] <= p->value;
        ink = !none && (dark ? low : !low);
        if (lrow)
          lrow[x] = ink;
        else
          lrow8[x] = (uint8_t)ink;
        ft__pixel_rgb(in, (size_t)y * w + x, rgb);
        for (c = 0; c < 3; c++) sum[ink][c] += rgb[c];
      }
    }
    ft_labels_count(lab);
  }
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
  if (p->method < FT_THRESH_SAUVOLA && specks_only(p, w, h)) {
    /* the areas and colours are known here, and move with the flips */
    if ((st = ft__merge_specks(ctx, lab, p->min_area, 8, in, NULL))) goto fail;
  } else if (p->min_area > 1) {
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
  free(grow);
  *out = lab;
  return FT_OK;
nomem:
  st = ft__nomem(ctx, "segment");
fail:
  free(hist);
  free(grow);
  ft_labels_free(lab);
  return st;
}
