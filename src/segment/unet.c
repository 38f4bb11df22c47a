/* src/segment/unet.c - the U-Net segmenter: image -> labels through a model.
 *
 * Glue around the inference engine (src/nn): it prepares the image the way
 * the model was trained, runs it tiled and turns probabilities into labels.
 *
 * Polarity.  The shipped models see objects bright on a dark background.
 * Gray is the Rec. 709 luminance (ft_image_to_gray, the conversion the
 * training used); it is inverted when its median lies above the middle of the
 * model's norm_low..norm_high percentile range, which is the case for
 * brightfield and H&E images (dark nuclei on a bright background) and not
 * for fluorescence - the same rule the training data went through.
 *
 * Object size.  A network trained on nuclei of one size fails on the same
 * nuclei magnified a few times; as Cellpose does (Stringer et al., Nature
 * Methods 18, 2021, "size model"), the input is resized so that its typical
 * object gets the diameter the model was trained at (metadata object_size).
 * The diameter is estimated without the network: Otsu's threshold of the
 * lightly smoothed, percentile-normalised gray gives blobs, and the largest
 * inscribed disc of each blob (maximum of the chamfer distance transform,
 * Borgefors 1986, 3-4 weights) gives a width that stays that of one object
 * when several touch; the median over blobs is the estimate.  Resizing uses
 * a separable tent filter whose support widens with the reduction factor
 * (an antialiased bilinear filter), for the image and, reversed, for the
 * probabilities, which stay convex combinations and so still sum to one.
 *
 * Stroke width.  Ink models (sketch) record no object size; they run at
 * native size first.  Thin strokes come out too thin: on the 4 .. 6 px
 * pencil lines of tools/bench/centerline's degraded icons at 512 px the
 * sketch model's ink area is 2.3% short of the truth's, where on the same
 * lines at 1024 px (8 .. 13 px) it is within 0.1%; it was trained on
 * strokes of 2.5 .. 16 px but does best at about 8 .. 13.  So the typical
 * width of what the native pass finds is measured (4 m - 2, m the mean
 * chamfer distance of the ink pixels to the background: k or k + 1/k for
 * a bar k pixels wide), and when it is below STROKE_TARGET /
 * STROKE_MIN_GAIN the network runs once more on the image magnified to
 * bring it to STROKE_TARGET; that map, reduced back, is cut at
 * THIN_INK_CUT, where its ink area matches the true ink's (0.5 leaves it
 * 1.5% short).  Centre lines at 512 px: mean IoU 0.916 -> 0.934 on the 20
 * icons of the benchmark, 0.922 -> 0.937 on 40 others; 1024 px photos are
 * not magnified.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "figtrace/denoise.h"
#include "segment/nn_internal.h"

static const ft_unet_params defaults = {
    .model = "nuclei",
    .loaded = NULL,
    .invert = FT_UNET_INVERT_AUTO,
    .diameter = 0.0,
    .rescale = 1,
    .min_scale = 0.25,
    .max_scale = 4.0,
    /* min_peak 0.8: objects the network is unsure of (interior never above
     * 0.8) are mostly its false positives.  Dropping them, on the training
     * images (every third fluorescence, every second H&E one, --labels,
     * AP@0.5 / mean AP): fluorescence 0.844 / 0.631 -> 0.850 / 0.636, H&E
     * 0.707 / 0.394 -> 0.727 / 0.410 (a trial that also dropped them from
     * the markers of a resized pass: 0.7 0.848 / 0.634 and 0.721 / 0.403,
     * 0.8 0.849 / 0.635 and 0.733 / 0.413, 0.9 0.849 / 0.637 and 0.712 /
     * 0.408). */
    .instances = {.seed_threshold = 0.5, .fg_threshold = 0, .min_peak = 0.8, .min_area = -1,
                  .hole_fraction = 0.25},
    .tile = 0, /* automatic: 1024 + two margins (ft_model_params) */
    .refine = 1,
    .ink_threshold = 0.0,
    .scale = 0.0,
    .flips = FT_UNET_FLIPS_AUTO,
};

void ft_unet_params_init(ft_unet_params *p) { *p = defaults; }

/* The automatic outline level (instances.fg_threshold 0) of 3-class models:
 * FG_DARK on an image whose objects are the bright side as stored
 * (fluorescence), FG_INVERTED on one inverted first (H&E, brightfield).
 * The shipped nuclei model's 0.5 level lies outside the annotated
 * outlines: matched instances 6% larger in area than the annotation
 * (median over the fluorescence validation nuclei).  On 154 fluorescence
 * training images mean AP over IoU 0.5..0.95 goes 0.604 -> 0.631 at 0.6
 * (0.633 at 0.65, where AP@0.5 falls 0.003).  On H&E the outlines are too
 * large as well (10%), but the stains' fainter interiors lose objects at
 * 0.6 (46 training images: AP@0.5 0.707 -> 0.698, mean AP 0.394 -> 0.391;
 * the 16 validation images 0.725 -> 0.698), so the inverted side keeps
 * 0.5.  tools/bench/README.md, Nuclei, "The outline level and unsure objects". */
#define FG_DARK 0.6
#define FG_INVERTED 0.5

/* Enlargements by less than NATIVE_UP run at native size: the shipped
 * models are trained with the object size jittered by 1/1.35..1.35, so a
 * resampling pass with up to 1.69x the pixels through the network buys
 * little there.  Reductions are cheap (fewer pixels), so only those by less
 * than NATIVE_DOWN are skipped (on the nuclei benchmark's validation
 * images, 1.1 instead of 1.3 with SIZE_TOL 1.1 instead of 1.25: AP@0.5 all
 * 0.755 -> 0.762, H&E 0.583 -> 0.615). */
#define NATIVE_UP 1.3
#define NATIVE_DOWN 1.1
/* The automatic min_area of 3-class models: a disc of MIN_AREA_D times the
 * objects' diameter (at least 4 px).  With min_peak dropping the network's
 * unsure objects, a size floor is left to catch specks only: at 0.15
 * instead of 0.3, on the training images (every third fluorescence, every
 * second H&E one, --labels, AP@0.5 / mean AP), fluorescence 0.850 / 0.636
 * -> 0.851 / 0.637, H&E 0.727 / 0.410 -> 0.729 / 0.411: small annotated
 * nuclei (a third of the diameter and less) are the most missed. */
#define MIN_AREA_D 0.15
/* The objects the network finds confirm the scale when their median
 * diameter is within this factor of the model's object size. */
#define SIZE_TOL 1.1

/* The size estimate's clump check (ft_estimate_object_diameter): when the
 * objects of the global threshold read more than CLUMP_RATIO times the
 * scale-space blobs (blobs.c, on the image reduced to BLOB_SIDE px a
 * side), Otsu has merged touching nuclei (a dense embryo, a packed
 * brightfield field) and the blobs' size is taken.  On the 664 images of
 * the nuclei data (565 training, 99 validation) the check fires on 12, all
 * clumps of nuclei 10-20 px across read as 62-408 px, and the blobs' size
 * (9.7-24 px) is the nearer to the labelled one on all 12. */
#define CLUMP_RATIO 3.0
#define BLOB_SIDE 512

/* Ink models (one or two classes, no object_size; see "Stroke width"
 * above).  The typical stroke width needs at least STROKE_MIN_PIXELS ink
 * pixels; strokes are magnified to about STROKE_TARGET px (as measured by
 * ft__ink_stroke_width) when that takes a factor of at least
 * STROKE_MIN_GAIN, with at most STROKE_MAX_PIXELS network pixels, and the
 * magnified pass's map is cut at THIN_INK_CUT. */
#define STROKE_MIN_PIXELS 64
#define STROKE_TARGET 8.0
#define STROKE_MIN_GAIN 1.25
#define STROKE_MAX_PIXELS 16.0e6
#define THIN_INK_CUT 0.45

/* ---- resampling ---- */

/* Weights of a 1-D tent resampling from sn to dn samples: output i takes
 * weight[i*k + j] of input start[i] + j (indices clamped to the edge). */
typedef struct taps {
  int k;
  int *start;
  float *weight;
} taps;

static void taps_free(taps *t) {
  free(t->start);
  free(t->weight);
}

static int taps_make(taps *t, int sn, int dn) {
  double scale = (double)dn / sn, support = scale < 1.0 ? 1.0 / scale : 1.0;
  int i, j;
  t->k = 2 * (int)ceil(support) + 2;
  t->start = ft__malloc_n((size_t)dn, sizeof *t->start);
  t->weight = ft__calloc_n((size_t)dn * t->k, sizeof *t->weight);
  if (!t->start || !t->weight) {
    taps_free(t);
    return -1;
  }
  for (i = 0; i < dn; i++) {
    double c = (i + 0.5) / scale - 0.5, sum = 0;
    int s = (int)floor(c - support) + 1;
    float *w = t->weight + (size_t)i * t->k;
    t->start[i] = s;
    for (j = 0; j < t->k; j++) {
      double d = fabs(s + j - c) / support;
      w[j] = d < 1.0 ? (float)(1.0 - d) : 0.0f;
      sum += w[j];
    }
    if (sum <= 0) {
      /* Cannot happen for support >= 1, but keep the nearest sample then. */
      w[0] = 1.0f;
      t->start[i] = (int)floor(c + 0.5);
      sum = 1.0;
    }
    for (j = 0; j < t->k; j++) w[j] = (float)(w[j] / sum);
  }
  return 0;
}

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Resize one channel: src element (x, y) at src[(y*sw + x)*ss], dst element
 * at dst[(y*dw + x)*ds].  Returns -1 when out of memory. */
static int resize_channel(const float *src, int sw, int sh, int ss, float *dst, int dw, int dh,
                          int ds) {
  taps tx, ty;
  float *tmp;
  int x, y, j;
  memset(&tx, 0, sizeof tx);
  memset(&ty, 0, sizeof ty);
  tmp = ft__malloc_n((size_t)dw * sh, sizeof *tmp); /* [sh][dw] */
  if (!tmp || taps_make(&tx, sw, dw) || taps_make(&ty, sh, dh)) {
    free(tmp);
    taps_free(&tx);
    taps_free(&ty);
    return -1;
  }
  for (y = 0; y < sh; y++)
    for (x = 0; x < dw; x++) {
      const float *w = tx.weight + (size_t)x * tx.k;
      double acc = 0;
      for (j = 0; j < tx.k; j++)
        if (w[j] != 0.0f)
          acc += w[j] * src[((size_t)y * sw + clampi(tx.start[x] + j, 0, sw - 1)) * ss];
      tmp[(size_t)y * dw + x] = (float)acc;
    }
  for (y = 0; y < dh; y++) {
    const float *w = ty.weight + (size_t)y * ty.k;
    for (x = 0; x < dw; x++) {
      double acc = 0;
      for (j = 0; j < ty.k; j++)
        if (w[j] != 0.0f) acc += w[j] * tmp[(size_t)clampi(ty.start[y] + j, 0, sh - 1) * dw + x];
      dst[((size_t)y * dw + x) * ds] = (float)acc;
    }
  }
  free(tmp);
  taps_free(&tx);
  taps_free(&ty);
  return 0;
}

/* A resized copy of img (every channel, metadata kept). */
static ft_status resize_image(ft_ctx *ctx, const ft_image *img, int dw, int dh, ft_image **out) {
  ft_image *r = NULL;
  ft_status st;
  int c;
  *out = NULL;
  if ((st = ft_image_new(ctx, dw, dh, img->channels, &r))) return st;
  for (c = 0; c < img->channels; c++)
    if (resize_channel(img->data + c, img->width, img->height, img->channels, r->data + c, dw, dh,
                       img->channels)) {
      ft_image_free(r);
      return ft__nomem(ctx, "unet");
    }
  r->bit_depth = img->bit_depth;
  r->pixel_w = img->pixel_w;
  r->pixel_h = img->pixel_h;
  *out = r;
  return FT_OK;
}

/* ---- percentiles and the object size ---- */

/* Percentiles (in %) of n samples in [0,1] from a 65536-bin histogram:
 * the smallest bin value v with at least P% of the samples <= v. */
static void percentiles(const float *v, size_t n, const double *pct, double *res, int k) {
  enum { BINS = 65536 };
  uint32_t *hist = calloc(BINS, sizeof *hist);
  size_t i, cum;
  int b, j;
  if (!hist) {
    for (j = 0; j < k; j++) res[j] = pct[j] / 100.0;
    return;
  }
  for (i = 0; i < n; i++) {
    float x = v[i];
    int q = x <= 0 ? 0 : x >= 1 ? BINS - 1 : (int)(x * (BINS - 1) + 0.5f);
    hist[q]++;
  }
  for (j = 0; j < k; j++) {
    double need = pct[j] / 100.0 * (double)n;
    cum = 0;
    for (b = 0; b < BINS; b++) {
      cum += hist[b];
      if ((double)cum >= need && cum > 0) break;
    }
    res[j] = (double)(b < BINS ? b : BINS - 1) / (BINS - 1);
  }
  free(hist);
}

static unsigned umin(unsigned a, unsigned b) { return a < b ? a : b; }

/* Distance at (x, y), 0 outside the image. */
static unsigned chamfer_at(const uint16_t *dist, int w, int h, int x, int y) {
  return x < 0 || y < 0 || x >= w || y >= h ? 0u : dist[(size_t)y * w + x];
}

/* Chamfer 3-4 distance (3 per step, 4 per diagonal step) of every pixel
 * with dist != 0 on entry to the nearest pixel with dist == 0 (outside the
 * image counts as such): a forward pass, then a backward one. */
static void chamfer34(uint16_t *dist, int w, int h) {
  int x, y;
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      size_t p = (size_t)y * w + x;
      unsigned d;
      if (!dist[p]) continue;
      d = 3u + chamfer_at(dist, w, h, x - 1, y);
      d = umin(d, 3u + chamfer_at(dist, w, h, x, y - 1));
      d = umin(d, 4u + chamfer_at(dist, w, h, x - 1, y - 1));
      d = umin(d, 4u + chamfer_at(dist, w, h, x + 1, y - 1));
      dist[p] = (uint16_t)umin(d, 65535u);
    }
  for (y = h - 1; y >= 0; y--)
    for (x = w - 1; x >= 0; x--) {
      size_t p = (size_t)y * w + x;
      unsigned d = dist[p];
      if (!d) continue;
      d = umin(d, 3u + chamfer_at(dist, w, h, x + 1, y));
      d = umin(d, 3u + chamfer_at(dist, w, h, x, y + 1));
      d = umin(d, 4u + chamfer_at(dist, w, h, x + 1, y + 1));
      d = umin(d, 4u + chamfer_at(dist, w, h, x - 1, y + 1));
      dist[p] = (uint16_t)umin(d, 65535u);
    }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef struct sized {
  double d, area; /* area: the weight, sqrt of the pixel count */
} sized;

static int cmp_sized(const void *a, const void *b) {
  double x = ((const sized *)a)->d, y = ((const sized *)b)->d;
  return (x > y) - (x < y);
}

/* ft__blob_diameter of gray normalised by the percentiles pr (0..1) and,
 * when larger, reduced to at most BLOB_SIDE px a side; in gray's pixels. */
static double blob_diameter(const ft_image *gray, const double *pr) {
  int w = gray->width, h = gray->height, dw = w, dh = h;
  size_t i, n = (size_t)w * h;
  float *x, *r = NULL;
  double f = 1.0, d = 0;
  if (!(pr[1] > pr[0]) || !(x = ft__malloc_n(n, sizeof *x))) return 0;
  for (i = 0; i < n; i++) x[i] = (float)((gray->data[i] - pr[0]) / (pr[1] - pr[0]));
  if (w > BLOB_SIDE || h > BLOB_SIDE) {
    f = (double)BLOB_SIDE / (w > h ? w : h);
    dw = (int)lround(w * f);
    dh = (int)lround(h * f);
    if (dw < 3) dw = 3;
    if (dh < 3) dh = 3;
    if (!(r = ft__malloc_n((size_t)dw * dh, sizeof *r)) ||
        resize_channel(x, w, h, 1, r, dw, dh, 1)) {
      free(x);
      free(r);
      return 0;
    }
    f = (double)dw / w;
  }
  d = ft__blob_diameter(r ? r : x, dw, dh);
  free(x);
  free(r);
  return d / f;
}

/* ft_estimate_object_diameter, also telling (when not NULL) whether the
 * clump check took the scale-space blobs' size (*clumps 1, *d_threshold the
 * objects' size it replaced) or not (*clumps 0). */
static double estimate_diameter(const ft_image *gray, int *clumps, double *d_threshold);

double ft_estimate_object_diameter(const ft_image *gray) {
  return estimate_diameter(gray, NULL, NULL);
}

static double estimate_diameter(const ft_image *gray, int *clumps, double *d_threshold) {
  static const double pct[2] = {1.0, 99.8};
  ft_gaussian_params gp;
  ft_image *sm = NULL;
  size_t n, i;
  double pr[2], t, result = 0;
  sized *diam = NULL;
  uint64_t hist[256];
  uint8_t *mask = NULL;
  int32_t *comp = NULL, *stack = NULL;
  uint16_t *dist = NULL;
  int w, h, ncomp = 0, nd = 0;
  if (!gray || gray->channels != 1 || gray->width < 3 || gray->height < 3) return 0;
  w = gray->width;
  h = gray->height;
  n = (size_t)w * h;
  ft_gaussian_params_init(&gp);
  gp.sigma = 1.0;
  if (ft_gaussian(NULL, gray, &gp, &sm) != FT_OK) return 0;
  percentiles(sm->data, n, pct, pr, 2);
  memset(hist, 0, sizeof hist);
  for (i = 0; i < n; i++) {
    double v = pr[1] > pr[0] ? (sm->data[i] - pr[0]) / (pr[1] - pr[0]) : 0;
    int b = v <= 0 ? 0 : v >= 1 ? 255 : (int)(v * 256);
    hist[b > 255 ? 255 : b]++;
  }
  t = ft_otsu_threshold(hist, 256);
  /* image-sized: ft__malloc_n puts them in huge pages where the system has them */
  mask = ft__malloc_n(n, 1);
  dist = ft__malloc_n(n, sizeof *dist);
  comp = ft__calloc_n(n, sizeof *comp);
  stack = ft__malloc_n(n, sizeof *stack);
  if (t < 0 || !mask || !dist || !comp || !stack) goto done;
  for (i = 0; i < n; i++) {
    double v = pr[1] > pr[0] ? (sm->data[i] - pr[0]) / (pr[1] - pr[0]) : 0;
    mask[i] = v > t;
  }
  /* Chamfer 3-4 distance to the nearest background pixel; outside the image
   * counts as background. */
  for (i = 0; i < n; i++) dist[i] = mask[i] != 0;
  chamfer34(dist, w, h);
  /* Components; per component the largest distance. */
  diam = ft__malloc_n(n / 9 + 1, sizeof *diam);
  if (!diam) goto done;
  for (i = 0; i < n; i++) {
    size_t top = 0, area = 0;
    unsigned maxd = 0;
    if (!mask[i] || comp[i]) continue;
    comp[i] = ++ncomp;
    stack[top++] = (int32_t)i;
    while (top) {
      size_t p = (size_t)stack[--top];
      int px = (int)(p % (size_t)w), py = (int)(p / (size_t)w);
      area++;
      if (dist[p] > maxd) maxd = dist[p];
      if (px > 0 && mask[p - 1] && !comp[p - 1]) comp[p - 1] = ncomp, stack[top++] = (int32_t)(p - 1);
      if (px + 1 < w && mask[p + 1] && !comp[p + 1])
        comp[p + 1] = ncomp, stack[top++] = (int32_t)(p + 1);
      if (py > 0 && mask[p - w] && !comp[p - w]) comp[p - w] = ncomp, stack[top++] = (int32_t)(p - w);
      if (py + 1 < h && mask[p + w] && !comp[p + w])
        comp[p + w] = ncomp, stack[top++] = (int32_t)(p + w);
    }
    if (area >= 9 && (size_t)nd < n / 9 + 1) {
      /* A blob not much larger than its inscribed disc is one object: its
       * equivalent-circle diameter is the size measure the models were
       * trained with.  A clump keeps the inscribed width. */
      double d_ins = 2.0 * (maxd / 3.0) - 1.0, d_eq = 2.0 * sqrt((double)area / M_PI);
      diam[nd].d = d_eq <= 1.4 * d_ins ? d_eq : d_ins;
      diam[nd++].area = sqrt((double)area);
    }
  }
  if (nd > 0) {
    /* the median weighted by the square root of the area: fragments and
     * specks of texture count less than whole objects (on 150 training
     * images within 25% of the labelled median diameter: fluorescence 91%,
     * H&E 65%; unweighted 86% and 43%; by area 89% and 57%, biased high) */
    double total = 0, cum = 0;
    int k;
    qsort(diam, (size_t)nd, sizeof *diam, cmp_sized);
    for (k = 0; k < nd; k++) total += diam[k].area;
    for (k = 0; k < nd - 1 && cum + diam[k].area < 0.5 * total; k++) cum += diam[k].area;
    result = diam[k].d;
    if (result < 1) result = 1;
  }
  if (clumps) *clumps = 0;
  if (result > 0) {
    /* the clump check: the scale-space blobs, at most BLOB_SIDE px a side */
    double d_blob = blob_diameter(gray, pr);
    if (d_blob > 0 && result > CLUMP_RATIO * d_blob) {
      if (clumps) *clumps = 1;
      if (d_threshold) *d_threshold = result;
      result = d_blob;
    }
  }
done:
  ft_image_free(sm);
  free(mask);
  free(dist);
  free(comp);
  free(stack);
  free(diam);
  return result;
}

/* ---- the stroke width of an ink map ---- */

double ft__ink_stroke_width(const float *prob, int w, int h, float cut) {
  size_t n = (size_t)w * h, i, count = 0;
  uint16_t *dist;
  double sum = 0;
  if (!prob || w < 1 || h < 1) return 0;
  if (!(dist = ft__malloc_n(n, sizeof *dist))) return 0;
  /* Chamfer 3-4 distance of each ink pixel to the nearest background pixel
   * (outside the map counts as background). */
  for (i = 0; i < n; i++) dist[i] = prob[i] > cut;
  chamfer34(dist, w, h);
  for (i = 0; i < n; i++)
    if (dist[i]) {
      sum += dist[i] / 3.0;
      count++;
    }
  free(dist);
  return count >= STROKE_MIN_PIXELS ? 4.0 * sum / (double)count - 2.0 : 0;
}

/* ---- the segmenter ---- */

static ft_status check_params(ft_ctx *ctx, const ft_unet_params *p) {
  if (!p->loaded && (!p->model || !*p->model))
    return ft__fail(ctx, FT_ERR_INVAL, "unet: no model given");
  if (p->invert < FT_UNET_INVERT_AUTO || p->invert > FT_UNET_INVERT_YES)
    return ft__fail(ctx, FT_ERR_INVAL, "unet: invert=%d out of range 0..2", p->invert);
  if (!(p->diameter >= 0 && p->diameter <= 1e5))
    return ft__fail(ctx, FT_ERR_INVAL, "unet: diameter=%g out of range 0..100000", p->diameter);
  if (!(p->min_scale > 0 && p->min_scale <= 1 && p->max_scale >= 1 && p->max_scale <= 16))
    return ft__fail(ctx, FT_ERR_INVAL,
                    "unet: scale bounds %g..%g out of range (min in (0,1], max in [1,16])",
                    p->min_scale, p->max_scale);
  if (p->tile != 0 && (p->tile < 32 || p->tile > 8192))
    return ft__fail(ctx, FT_ERR_INVAL, "unet: tile=%d out of range 32..8192 (0: automatic)",
                    p->tile);
  if (!(p->instances.fg_threshold == 0 ||
        (p->instances.fg_threshold >= 0.05 && p->instances.fg_threshold <= 0.95)))
    return ft__fail(ctx, FT_ERR_INVAL,
                    "unet: foreground level %g out of range 0.05..0.95 (0: automatic)",
                    p->instances.fg_threshold);
  if (p->instances.min_area < -1)
    return ft__fail(ctx, FT_ERR_INVAL, "unet: min_area=%d must be -1 (automatic) or >= 0",
                    p->instances.min_area);
  if (!(p->scale == 0 || (p->scale >= 0.25 && p->scale <= 4)))
    return ft__fail(ctx, FT_ERR_INVAL, "unet: scale %g out of range 0.25..4 (0: automatic)",
                    p->scale);
  if (!(p->ink_threshold == 0 || (p->ink_threshold >= 0.01 && p->ink_threshold <= 0.99)))
    return ft__fail(ctx, FT_ERR_INVAL,
                    "unet: ink threshold %g out of range 0.01..0.99 (0: automatic)",
                    p->ink_threshold);
  if (p->flips != FT_UNET_FLIPS_AUTO && p->flips != FT_UNET_FLIPS_NO &&
      p->flips != FT_UNET_FLIPS_YES)
    return ft__fail(ctx, FT_ERR_INVAL, "unet: flips=%d is not auto, no or yes", p->flips);
  return FT_OK;
}

/* Set the context's progress slice to [a, b] of the slice [lo, hi]. */
static void sub_slice(ft_ctx *ctx, double lo, double hi, double a, double b) {
  ft__progress_slice(ctx, lo + a * (hi - lo), lo + b * (hi - lo));
}

/* Ink labels from a 1-class (sigmoid) or 2-class (softmax) map: p(ink) > cut. */
static ft_status ink_labels(ft_ctx *ctx, const ft_tensor *prob, const ft_image *in,
                            double cut, ft_labels **out) {
  size_t n = (size_t)prob->w * prob->h, i;
  const float *p = prob->data + (prob->c == 2 ? n : 0);
  ft_labels *lab;
  ft_status st = ft_labels_new(ctx, prob->w, prob->h, 2, &lab);
  if (st) return st;
  for (i = 0; i < n; i++) lab->label[i] = p[i] > (float)cut;
  lab->info[1].class_id = FT_CLASS_INK;
  ft__labels_mean_colors(lab, in);
  *out = lab;
  return FT_OK;
}

/* Run the model on img resized by s (s == 1: as is).  OUT: *prob at the
 * resized size. */
static ft_status run_scaled(ft_ctx *ctx, const ft_model *m, const ft_image *img, double s,
                            const ft_model_params *mp, ft_tensor **prob) {
  ft_image *scaled = NULL;
  double dw = floor(img->width * s + 0.5), dh = floor(img->height * s + 0.5);
  ft_status st;
  *prob = NULL;
  if (s == 1.0) return ft_model_run(ctx, m, img, mp, prob);
  if (dw < 1) dw = 1;
  if (dh < 1) dh = 1;
  if (dw > FT_MAX_DIMENSION || dh > FT_MAX_DIMENSION)
    return ft__fail(ctx, FT_ERR_TOOBIG, "unet: resized image %.0fx%.0f is too large", dw, dh);
  if ((st = resize_image(ctx, img, (int)dw, (int)dh, &scaled))) return st;
  st = ft_model_run(ctx, m, scaled, mp, prob);
  ft_image_free(scaled);
  return st;
}

/* Full passes of at most this many network pixels run with test-time flips
 * when p->flips is automatic (3-class models): on the nuclei validation
 * images at their labelled scale, AP@0.5 0.793 -> 0.805 (fluorescence
 * 0.824 -> 0.832, H&E 0.676 -> 0.703) for four times the network's time,
 * which on an image this small is a fraction of a second. */
#define FLIPS_MAX_PIXELS 1.0e6

/* img mirrored left-right (fx) and/or top-bottom (fy), as float samples. */
static ft_status flipped(ft_ctx *ctx, const ft_image *img, int fx, int fy, ft_image **out) {
  int w = img->width, h = img->height, ch = img->channels, x, y, c;
  ft_image *r = NULL;
  ft_status st;
  if ((st = ft_image_new(ctx, w, h, ch, &r))) return st;
  r->bit_depth = img->bit_depth;
  for (y = 0; y < h; y++) {
    int sy = fy ? h - 1 - y : y;
    for (x = 0; x < w; x++) {
      size_t src = ((size_t)sy * w + (size_t)(fx ? w - 1 - x : x)) * ch;
      size_t dst = ((size_t)y * w + x) * ch;
      for (c = 0; c < ch; c++) r->data[dst + c] = ft_image_sample(img, src + c);
    }
  }
  *out = r;
  return FT_OK;
}

/* run_scaled, and with flips the mean of the four mirrored passes (each
 * map mirrored back before it is added).  OUT: *prob. */
static ft_status run_full(ft_ctx *ctx, const ft_model *m, const ft_image *img, double s,
                          const ft_model_params *mp, int flips, ft_tensor **prob) {
  ft_tensor *t = NULL, *acc = NULL;
  ft_status st;
  int f, c, x, y;
  *prob = NULL;
  if ((st = run_scaled(ctx, m, img, s, mp, &acc))) return st;
  for (f = 1; f < 4 && flips; f++) {
    ft_image *fl = NULL;
    int fx = f & 1, fy = f & 2;
    if ((st = flipped(ctx, img, fx, fy, &fl))) break;
    st = run_scaled(ctx, m, fl, s, mp, &t);
    ft_image_free(fl);
    if (st) break;
    if (t->c != acc->c || t->h != acc->h || t->w != acc->w) {
      st = ft__fail(ctx, FT_ERR_INTERNAL, "unet: mirrored pass of another size");
      break;
    }
    for (c = 0; c < acc->c; c++)
      for (y = 0; y < acc->h; y++) {
        const float *srow = t->data + ((size_t)c * t->h + (size_t)(fy ? t->h - 1 - y : y)) * t->w;
        float *drow = acc->data + ((size_t)c * acc->h + y) * acc->w;
        for (x = 0; x < acc->w; x++) drow[x] += srow[fx ? t->w - 1 - x : x];
      }
    ft_tensor_free(t);
    t = NULL;
  }
  ft_tensor_free(t);
  if (st) {
    ft_tensor_free(acc);
    return st;
  }
  if (flips) {
    size_t i, n = (size_t)acc->n * acc->c * acc->h * acc->w;
    for (i = 0; i < n; i++) acc->data[i] *= 0.25f;
  }
  *prob = acc;
  return FT_OK;
}

/* Whether a full pass of img at scale s runs with flips (see flips). */
static int use_flips(const ft_unet_params *p, const ft_model_info *mi, const ft_image *img,
                     double s) {
  if (p->flips == FT_UNET_FLIPS_YES) return 1;
  if (p->flips == FT_UNET_FLIPS_NO || mi->classes != 3) return 0;
  return s * s * img->width * img->height <= FLIPS_MAX_PIXELS;
}

/* Append to *dd (*n entries, *cap allocated) the equivalent-circle diameters
 * 2 sqrt(area / pi) of the instances in a 3-class map, split with the final
 * split's parameters fin (its levels; minimum area and neck split aside),
 * ignoring those below a disc of 0.3 object_size and, with skip_border,
 * those cut by the map's edge (they look smaller than they are).  Returns
 * 0, or -1 out of memory. */
static int instance_diameters(ft_ctx *ctx, const ft_tensor *prob, const ft_instance_params *fin,
                              double object_size, int skip_border, double **dd, int *n, int *cap) {
  ft_instance_params ip = *fin;
  ft_labels *lab = NULL;
  uint8_t *cut = NULL;
  int l, x, y, rc = 0;
  ip.min_area = (int)floor(M_PI / 4 * (0.3 * object_size) * (0.3 * object_size) + 0.5);
  ip.neck_split = 0;
  if (ft_split_instances(ctx, prob, NULL, &ip, &lab) != FT_OK) return 0;
  if (skip_border && !(cut = ft__calloc_n((size_t)lab->nlabels, 1))) rc = -1;
  if (cut) {
    for (x = 0; x < lab->width; x++) {
      cut[ft_labels_get(lab, (size_t)x)] = 1;
      cut[ft_labels_get(lab, (size_t)(lab->height - 1) * lab->width + x)] = 1;
    }
    for (y = 0; y < lab->height; y++) {
      cut[ft_labels_get(lab, (size_t)y * lab->width)] = 1;
      cut[ft_labels_get(lab, (size_t)y * lab->width + lab->width - 1)] = 1;
    }
  }
  for (l = 1; rc == 0 && l < lab->nlabels; l++) {
    if (cut && cut[l]) continue;
    if (ft__grow((void **)dd, cap, *n + 1, sizeof **dd)) {
      rc = -1;
      break;
    }
    (*dd)[(*n)++] = 2.0 * sqrt((double)lab->info[l].area / M_PI);
  }
  free(cut);
  ft_labels_free(lab);
  return rc;
}

/* Median of dd[0..n-1] (sorted in place); 0 when fewer than 3 (too few to say). */
static double median_of(double *dd, int n) {
  if (n < 3) return 0;
  qsort(dd, (size_t)n, sizeof *dd, cmp_double);
  return n % 2 ? dd[n / 2] : 0.5 * (dd[n / 2 - 1] + dd[n / 2]);
}

/* Median diameter of the instances of a 3-class map (see above). */
static double median_instance_diameter(ft_ctx *ctx, const ft_tensor *prob,
                                       const ft_instance_params *fin, double object_size) {
  double *dd = NULL, res;
  int n = 0, cap = 0;
  res = instance_diameters(ctx, prob, fin, object_size, 0, &dd, &n, &cap) ? 0 : median_of(dd, n);
  free(dd);
  return res;
}

/* Side (network pixels) of the size probe's window. */
#define PROBE_SIDE 384
/* Most network pixels of a pass whose scale no probe confirmed. */
#define MAX_UNSURE_PIXELS 4.0e6

/* The ww x wh window inside the region rx, ry, rw x rh of g (gray, objects
 * bright) with the most signal: the largest sum over windows placed on a
 * grid of quarter-window steps. */
static void probe_window(const ft_image *g, int rx, int ry, int rw, int rh, int ww, int wh,
                         int *x0, int *y0) {
  int sx = ww / 4 > 0 ? ww / 4 : 1, sy = wh / 4 > 0 ? wh / 4 : 1;
  int cw = (rw + sx - 1) / sx, ch = (rh + sy - 1) / sy, x, y, i, j;
  double *cell = ft__calloc_n((size_t)cw * ch, sizeof *cell), best = -1;
  *x0 = rx + (rw - ww) / 2;
  *y0 = ry + (rh - wh) / 2;
  if (!cell) return;
  for (y = 0; y < rh; y++) {
    double *row = cell + (size_t)(y / sy) * cw;
    size_t base = (size_t)(ry + y) * g->width + rx;
    for (x = 0; x < rw; x++) row[x / sx] += ft_image_sample(g, base + x);
  }
  for (j = 0; j * sy + wh <= rh; j++)
    for (i = 0; i * sx + ww <= rw; i++) {
      double sum = 0;
      int a, b;
      for (b = j; b < j + wh / sy && b < ch; b++)
        for (a = i; a < i + ww / sx && a < cw; a++) sum += cell[(size_t)b * cw + a];
      if (sum > best) {
        best = sum;
        *x0 = rx + i * sx;
        *y0 = ry + j * sy;
      }
    }
  free(cell);
}

/* The w x h window of img at (x0, y0), same storage.  OUT: *out. */
static ft_status crop_image(ft_ctx *ctx, const ft_image *img, int x0, int y0, int w, int h,
                            ft_image **out) {
  size_t es = img->data8 ? 1 : sizeof(float), row = (size_t)w * img->channels * es;
  const uint8_t *src = img->data8 ? img->data8 : (const uint8_t *)img->data;
  uint8_t *dst;
  ft_status st = img->data8 ? ft_image_new_u8(ctx, w, h, img->channels, out)
                            : ft_image_new(ctx, w, h, img->channels, out);
  int y;
  if (st) return st;
  dst = (*out)->data8 ? (*out)->data8 : (uint8_t *)(*out)->data;
  (*out)->bit_depth = img->bit_depth;
  for (y = 0; y < h; y++)
    memcpy(dst + (size_t)y * row,
           src + (((size_t)(y0 + y) * img->width + x0) * img->channels) * es, row);
  return FT_OK;
}

/* Median diameter (network pixels) of the objects the network finds at scale
 * s in four windows of img, one in each quadrant, each of at most
 * (PROBE_SIDE/2)^2 network pixels where its quadrant has the most signal
 * (see probe_window): spread over the image, so that one crowded or unusual
 * region does not decide.  Objects cut by a window's edge are left out; 0
 * when fewer than 3 remain.  OUT: *dm. */
static ft_status probe(ft_ctx *ctx, const ft_model *m, const ft_image *img, const ft_image *gray,
                       double s, const ft_instance_params *fin, double object_size,
                       const ft_model_params *mp, double *dm) {
  int side = (int)ceil(PROBE_SIDE / 2 / s), q, n = 0, cap = 0;
  double *dd = NULL;
  ft_status st = FT_OK;
  *dm = 0;
  for (q = 0; q < 4 && !st; q++) {
    int rx = q % 2 ? img->width / 2 : 0, ry = q / 2 ? img->height / 2 : 0;
    int rw = q % 2 ? img->width - img->width / 2 : img->width / 2;
    int rh = q / 2 ? img->height - img->height / 2 : img->height / 2;
    int ww = side < rw ? side : rw, wh = side < rh ? side : rh, x0, y0;
    ft_image *win = NULL;
    ft_tensor *prob = NULL;
    if (ww < 8 || wh < 8) continue;
    probe_window(gray, rx, ry, rw, rh, ww, wh, &x0, &y0);
    if ((st = crop_image(ctx, img, x0, y0, ww, wh, &win))) break;
    st = run_scaled(ctx, m, win, s, mp, &prob);
    ft_image_free(win);
    if (!st && instance_diameters(ctx, prob, fin, object_size, 1, &dd, &n, &cap))
      st = ft__nomem(ctx, "unet");
    ft_tensor_free(prob);
  }
  if (!st) *dm = median_of(dd, n);
  free(dd);
  return st;
}

static int was_tried(const double *tried, int n, double s) {
  int k;
  for (k = 0; k < n; k++)
    if (tried[k] == s) return 1;
  return 0;
}

/* Clip a scale to the parameters' range; near 1, 1. */
static double clip_scale(const ft_unet_params *p, double s) {
  if (s < p->min_scale) s = p->min_scale;
  if (s > p->max_scale) s = p->max_scale;
  return s < NATIVE_UP && s > 1.0 / NATIVE_DOWN ? 1.0 : s;
}

/* Markers at the input's size (w x h) from a 3-class map at the network's
 * scale: the map is split there (nothing dropped or filled), and each input
 * pixel whose nearest network pixel is a seed (interior above the seed
 * threshold) gets that pixel's instance.  OUT: *markers, [h][w], free(). */
static ft_status scaled_markers(ft_ctx *ctx, const ft_tensor *prob, const ft_instance_params *ip,
                                int w, int h, int32_t **markers) {
  ft_instance_params raw = *ip;
  ft_labels *lab = NULL;
  const float *pint = prob->data + (size_t)prob->w * prob->h;
  int32_t *mk;
  int x, y;
  ft_status st;
  *markers = NULL;
  raw.min_area = 0;
  raw.min_peak = 0;
  raw.hole_fraction = 0;
  raw.neck_split = 0;
  if ((st = ft_split_instances(ctx, prob, NULL, &raw, &lab))) return st;
  mk = ft__calloc_n((size_t)w * h, sizeof *mk);
  if (!mk) {
    ft_labels_free(lab);
    return ft__nomem(ctx, "unet");
  }
  for (y = 0; y < h; y++) {
    int ys = clampi((int)((y + 0.5) * prob->h / h), 0, prob->h - 1);
    for (x = 0; x < w; x++) {
      int xs = clampi((int)((x + 0.5) * prob->w / w), 0, prob->w - 1);
      size_t q = (size_t)ys * prob->w + xs;
      if ((double)pint[q] > ip->seed_threshold) mk[(size_t)y * w + x] = lab->label[q];
    }
  }
  ft_labels_free(lab);
  *markers = mk;
  return FT_OK;
}

ft_status ft_segment_unet(ft_ctx *ctx, const ft_image *in, const ft_unet_params *p,
                          ft_labels **out) {
  ft_unet_params defs;
  ft_model *owned = NULL;
  const ft_model *m;
  const ft_model_info *mi;
  ft_image *gray = NULL;
  const ft_image *net_in;
  ft_tensor *prob = NULL, *back = NULL;
  ft_model_params mp;
  ft_instance_params ip;
  char *path = NULL;
  int32_t *markers = NULL;
  double lo = 0, hi = 1, d = 0, s = 1, ref;
  ft_status st;
  int c, refine;

  if (!out) return ft__fail(ctx, FT_ERR_INVAL, "unet: no output pointer");
  *out = NULL;
  if (!p) {
    ft_unet_params_init(&defs);
    p = &defs;
  }
  if ((st = check_params(ctx, p))) return st;
  ip = p->instances; /* fg_threshold and min_area resolved below */
  if (!in || !in->data || in->width < 1 || in->height < 1 || in->channels < 1 ||
      in->channels > 4)
    return ft__fail(ctx, FT_ERR_INVAL, "unet: bad input image");
  if (ctx) {
    lo = ctx->slice_lo;
    hi = ctx->slice_hi;
  }
  if (p->loaded) {
    m = p->loaded;
  } else {
    if ((st = ft_model_find(ctx, p->model, &path))) goto done;
    if ((st = ft_model_load(ctx, path, &owned))) goto done;
    m = owned;
  }
  mi = ft_model_get_info(m);
  if (mi->classes > 3) {
    st = ft__fail(ctx, FT_ERR_UNSUPPORTED,
                  "unet: model with %d classes (1 or 2: ink, 3: background, interior, boundary)",
                  mi->classes);
    goto done;
  }

  /* 1. gray and polarity */
  if ((st = ft_image_to_gray(ctx, in, &gray))) goto done;
  {
    size_t n = (size_t)gray->width * gray->height, i;
    double pct[3], res[3];
    int inv;
    pct[0] = mi->input_percentile ? mi->norm_low : 1.0;
    pct[1] = mi->input_percentile ? mi->norm_high : 99.8;
    pct[2] = 50.0;
    percentiles(gray->data, n, pct, res, 3);
    inv = p->invert == FT_UNET_INVERT_YES ||
          (p->invert == FT_UNET_INVERT_AUTO && res[2] > 0.5 * (res[0] + res[1]));
    if (inv)
      for (i = 0; i < n; i++) gray->data[i] = 1.0f - gray->data[i];
    if (ip.fg_threshold <= 0) ip.fg_threshold = inv ? FG_INVERTED : FG_DARK;
    ft__log(ctx, FT_LOG_DEBUG, "unet: gray median %.4f, range %.4f..%.4f%s", res[2], res[0],
            res[1], inv ? ", inverted" : "");
  }
  net_in = mi->in_channels == 1 ? gray : in;

  /* 2. object size */
  if (p->rescale && mi->object_size > 0) {
    int clumps = 0;
    double d_thr = 0;
    d = p->diameter > 0 ? p->diameter : estimate_diameter(gray, &clumps, &d_thr);
    if (d > 0) s = clip_scale(p, mi->object_size / d);
    if (clumps)
      ft__log(ctx, FT_LOG_INFO,
              "unet: the threshold's objects read %.1f px, its scale-space blobs %.1f px: "
              "touching objects merged, the blobs' size taken",
              d_thr, d);
    ft__log(ctx, FT_LOG_INFO, "unet: object diameter %.1f px%s, model %.1f px: scale %.3f", d,
            p->diameter > 0 ? " (given)" : " (estimated)", mi->object_size, s);
  }
  if (p->scale > 0) {
    s = p->scale;
    ft__log(ctx, FT_LOG_INFO, "unet: scale %.3f (given)", s);
  }
  ft_model_params_init(&mp);
  mp.tile = p->tile;
  refine = p->refine && p->rescale && p->diameter <= 0 && p->scale <= 0 && mi->classes == 3 &&
           mi->object_size > 0;
  /* 2b. size probes.  The median size of what the network finds says how
   * far the estimate was off (textured tissue gives Otsu fragments: a 3.9 px
   * "nucleus" would send a 1024^2 image through the network at 4096^2).  On
   * an image larger than a probe, the network first runs on four windows of
   * at most (PROBE_SIDE/2)^2 network pixels (see probe):
   * at the estimate's scale, then at the scale that suggests, then native;
   * the probe whose objects come closest to the model's size sets the scale,
   * and the full pass runs once.  When no probe agrees with the model within
   * SIZE_TOL, the full pass is held to MAX_UNSURE_PIXELS (or the image's size). */
  if (refine) {
    double tried[3], best_err = HUGE_VAL, best_s = s, best_dm = 0;
    int nt = 0, ww = (int)ceil(PROBE_SIDE / s);
    if (ww < net_in->width || ww < net_in->height) {
      double cur = s;
      while (nt < 3) {
        double dm, err;
        if (was_tried(tried, nt, cur)) { /* nothing new suggested: native, if not yet */
          if (was_tried(tried, nt, 1.0)) break;
          cur = 1.0;
        }
        tried[nt++] = cur;
        if ((st = probe(ctx, m, net_in, gray, cur, &ip, mi->object_size, &mp, &dm))) goto done;
        if (dm <= 0) {
          ft__log(ctx, FT_LOG_INFO, "unet: probe at scale %.3f: too few objects", cur);
          cur = 1.0;
          continue;
        }
        err = fabs(log(dm / mi->object_size));
        ft__log(ctx, FT_LOG_INFO, "unet: probe at scale %.3f: objects %.1f px", cur, dm);
        if (err < best_err) {
          best_err = err;
          best_dm = dm;
          best_s = err > log(SIZE_TOL) ? clip_scale(p, cur * mi->object_size / dm) : cur;
          d = dm / cur; /* the objects' size in input pixels, for min_area */
        }
        if (err <= log(SIZE_TOL)) break;
        /* the suggested scale; the last probe native if not yet tried */
        cur = nt == 2 && !was_tried(tried, nt, 1.0) ? 1.0
                                                   : clip_scale(p, cur * mi->object_size / dm);
      }
      if (best_dm > 0) {
        double cap = MAX_UNSURE_PIXELS > (double)net_in->width * net_in->height
                         ? MAX_UNSURE_PIXELS
                         : (double)net_in->width * net_in->height;
        s = best_s;
        if (best_err > log(SIZE_TOL) && s * s * net_in->width * net_in->height > cap) {
          s = sqrt(cap / ((double)net_in->width * net_in->height));
          ft__log(ctx, FT_LOG_WARN,
                  "unet: object size uncertain (%.1f px found); network held to scale %.3f", d,
                  s);
        }
        ft__log(ctx, FT_LOG_INFO, "unet: scale %.3f", s);
        refine = 0;
      }
    }
  }
  /* 3. the network, at scale s */
  sub_slice(ctx, lo, hi, 0.05, 0.45);
  if ((st = run_full(ctx, m, net_in, s, &mp, use_flips(p, mi, net_in, s), &prob))) goto done;
  /* 3b. refinement (no probe): one more run at the corrected scale. */
  if (refine) {
    double dm = median_instance_diameter(ctx, prob, &ip, mi->object_size), s2 = s;
    if (dm > 0 && fabs(log(dm / mi->object_size)) > log(SIZE_TOL))
      s2 = clip_scale(p, s * mi->object_size / dm);
    if (dm > 0) d = dm / s; /* the objects' size in input pixels, for min_area */
    if (s2 != s && fabs(s2 / s - 1.0) > 0.1) {
      ft__log(ctx, FT_LOG_INFO, "unet: objects found %.1f px at scale %.3f: refined to %.3f",
              dm, s, s2);
      ft_tensor_free(prob);
      prob = NULL;
      s = s2;
      sub_slice(ctx, lo, hi, 0.45, 0.85);
      if ((st = run_full(ctx, m, net_in, s, &mp, use_flips(p, mi, net_in, s), &prob))) goto done;
    } else {
      ft__log(ctx, FT_LOG_INFO, "unet: objects found %.1f px at scale %.3f: kept", dm, s);
    }
  }
  /* 3c. ink models: thin strokes once more, magnified (see STROKE_TARGET) */
  if (mi->classes < 3 && mi->object_size <= 0 && p->rescale && p->scale <= 0) {
    size_t n = (size_t)prob->w * prob->h;
    double sw = ft__ink_stroke_width(prob->data + (prob->c == 2 ? n : 0), prob->w, prob->h,
                                     p->ink_threshold > 0 ? (float)p->ink_threshold : 0.5f),
           npix = (double)net_in->width * net_in->height, s2 = 1.0;
    if (sw > 0) s2 = STROKE_TARGET / sw;
    if (s2 > p->max_scale) s2 = p->max_scale;
    if (s2 * s2 * npix > STROKE_MAX_PIXELS) s2 = sqrt(STROKE_MAX_PIXELS / npix);
    if (s2 >= STROKE_MIN_GAIN) {
      ft__log(ctx, FT_LOG_INFO, "unet: strokes %.2f px wide: network at scale %.3f", sw, s2);
      ft_tensor_free(prob);
      prob = NULL;
      s = s2;
      sub_slice(ctx, lo, hi, 0.45, 0.85);
      if ((st = run_full(ctx, m, net_in, s, &mp, use_flips(p, mi, net_in, s), &prob)))
        goto done;
    } else {
      ft__log(ctx, FT_LOG_INFO, "unet: strokes %.2f px wide: native scale", sw);
    }
  }
  ft__progress_slice(ctx, lo, hi);
  if (mi->classes == 3) {
    if (ip.min_area < 0) {
      ref = d > 0 ? d : mi->object_size;
      ip.min_area = ref > 0 ? (int)floor(M_PI / 4 * (MIN_AREA_D * ref) * (MIN_AREA_D * ref) + 0.5)
                            : 30;
      if (ip.min_area < 4) ip.min_area = 4;
    }
    /* Resized, the thin boundary bands between touching objects blur away,
     * so the markers come from a split at the network's scale. */
    if (s != 1.0 && (st = scaled_markers(ctx, prob, &ip, in->width, in->height, &markers)))
      goto done;
  }
  if (s != 1.0) {
    if ((st = ft_tensor_new(ctx, 1, prob->c, in->height, in->width, &back))) goto done;
    for (c = 0; c < prob->c; c++)
      if (resize_channel(prob->data + (size_t)c * prob->h * prob->w, prob->w, prob->h, 1,
                         back->data + (size_t)c * in->height * in->width, in->width, in->height,
                         1)) {
        st = ft__nomem(ctx, "unet");
        goto done;
      }
    ft_tensor_free(prob);
    prob = back;
    back = NULL;
  }
  if ((st = ft__progress(ctx, 0.9))) goto done;

  /* 4. labels */
  if (mi->classes == 3) {
    sub_slice(ctx, lo, hi, 0.9, 1.0);
    st = ft__split_instances_marked(ctx, prob, in, &ip, markers, out);
    ft__progress_slice(ctx, lo, hi);
    if (st) goto done;
    ft__log(ctx, FT_LOG_INFO,
            "unet: %d instances (min area %d px, min peak %.2f, outlines at %.2f)",
            (*out)->nlabels - 1, ip.min_area, ip.min_peak, ip.fg_threshold);
  } else {
    double cut = p->ink_threshold > 0 ? p->ink_threshold : s > 1.0 ? THIN_INK_CUT : 0.5;
    if ((st = ink_labels(ctx, prob, in, cut, out))) goto done;
  }
  (*out)->pixel_w = in->pixel_w;
  (*out)->pixel_h = in->pixel_h;
done:
  if (ctx) ft__progress_slice(ctx, lo, hi);
  free(path);
  ft_model_free(owned);
  ft_image_free(gray);
  ft_tensor_free(prob);
  ft_tensor_free(back);
  free(markers);
  return st;
}
