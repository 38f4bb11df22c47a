/* src/core/pipeline.c - denoise -> segment -> trace -> fit -> style, with progress slices.
 *
 * Each stage is called with the context's progress mapped into its slice;
 * intermediate values are freed as soon as the next one exists, so the peak
 * memory is two adjacent values, never the whole chain (the label map is
 * kept to the end only when ft_pipeline_run_labels is asked for it).  The
 * segment stage is ft_segment or, with FT_SEGMENTER_UNET, ft_segment_unet.
 *
 * Memory.  The input may be compact (one byte per sample) and ft_options_init
 * asks the readers for that and the threshold segmenter for a compact label
 * map, so the default line-art chain holds two bytes per pixel (image and
 * label map) plus the traced outlines, instead of 4 + 4 + 4 for a float
 * image, its gray copy and an int32 map.  Stages that read only floats (the
 * U-Net, the underlay) get a float copy of the input for as long as they run.
 *
 * The fit stage gets the image the labels were thresholded from (and the
 * gray level that splits a two-label map as its labels do) to place edges
 * between pixel corners, when a global threshold or colour quantisation
 * made the labels
 * (opt->fit.image and level are set here; an adaptive threshold or the
 * U-Net does not say where its edge lies in the gray levels); that image
 * then lives until the fit is done.
 */
#include "config.h"

#include <string.h>

#include "core/internal.h"
#include "style/internal.h"

void ft_options_init(ft_options *opt) {
  memset(opt, 0, sizeof *opt);
  ft_read_params_init(&opt->read);
  opt->read.compact = 1; /* the pipeline reads compact images and label maps */
  opt->ndenoise = 0;
  ft_segment_params_init(&opt->segment);
  opt->segment.compact = 1;
  opt->segment.min_area = FT_OPTIONS_MIN_AREA;
  opt->segmenter = FT_SEGMENTER_THRESHOLD;
  strcpy(opt->model, "nuclei");
  ft_unet_params_init(&opt->unet);
  ft_trace_params_init(&opt->trace);
  ft_fit_params_init(&opt->fit);
  opt->fit.min_area = FT_OPTIONS_MIN_AREA;
  ft_style_params_init(&opt->style);
  ft_svg_params_init(&opt->svg);
}

ft_status ft_options_set_denoise(ft_ctx *ctx, ft_options *opt, const char *spec) {
  ft_denoise_chain *chain = NULL;
  ft_status st = ft_denoise_chain_parse(ctx, spec, &chain);
  if (st) return st;
  if (chain->n > FT_OPTIONS_MAX_FILTERS) {
    int n = chain->n;
    ft_denoise_chain_free(chain);
    return ft__fail(ctx, FT_ERR_INVAL, "denoise: %d filters, at most %d in a chain", n,
                    FT_OPTIONS_MAX_FILTERS);
  }
  if (chain->n) memcpy(opt->denoise, chain->filters, (size_t)chain->n * sizeof *chain->filters);
  opt->ndenoise = chain->n;
  ft_denoise_chain_free(chain);
  return FT_OK;
}

ft_status ft_pipeline_run(ft_ctx *ctx, const ft_options *opt, const ft_image *in, ft_doc **out) {
  return ft_pipeline_run_labels(ctx, opt, in, out, NULL);
}

/* Can the fit stage read edge positions from the gray levels the labels came
 * from?  Not from an unfiltered 1-bit image (raw: the input when no denoise
 * filter made another, else NULL): it has none between ink and paper. */
static int gray_edges(const ft_options *opt, const ft_image *raw) {
  const ft_segment_params *sp = &opt->segment;
  if (opt->segmenter != FT_SEGMENTER_THRESHOLD || (raw && raw->bit_depth == 1)) return 0;
  if (sp->colors > 0) return 1;
  return sp->method == FT_THRESH_OTSU || sp->method == FT_THRESH_VALUE ||
         sp->method == FT_THRESH_LI || sp->method == FT_THRESH_TRIANGLE;
}

/* The gray level that splits a two-label threshold map as the labels do:
 * midway between the lightest ink pixel and the darkest background pixel
 * (or the reverse for light ink); -1 when no level does (merged specks). */
static double split_level(const ft_image *img, const ft_labels *lab) {
  size_t i, n = (size_t)lab->width * (size_t)lab->height;
  double ink_lo = 2, ink_hi = -1, bg_lo = 2, bg_hi = -1;
  if (lab->nlabels != 2 || img->width != lab->width || img->height != lab->height) return -1;
  if (img->channels == 1 && img->data8 && lab->label8) {
    /* the common compact case, in bytes */
    int ilo = 256, ihi = -1, blo = 256, bhi = -1;
    i = 0;
#if defined(__GNUC__) || defined(__clang__)
    {
      /* 16 pixels at a time: each label's byte range, the other label's
       * pixels masked to a value that moves neither end */
      typedef uint8_t v16 __attribute__((vector_size(16)));
      v16 zero = {0}, full = ~zero, mil = full, mih = zero, mbl = full, mbh = zero;
      v16 anyi = zero, anyb = zero;
      int k;
      for (; i + 16 <= n; i += 16) {
        v16 v, l, m, x, c;
        memcpy(&v, img->data8 + i, 16);
        memcpy(&l, lab->label8 + i, 16);
        m = (v16)(l != zero); /* 0xff on ink */
        x = v | ~m;
        c = (v16)(x < mil);
        mil = (x & c) | (mil & ~c);
        x = v & m;
        c = (v16)(x > mih);
        mih = (x & c) | (mih & ~c);
        x = v | m;
        c = (v16)(x < mbl);
        mbl = (x & c) | (mbl & ~c);
        x = v & ~m;
        c = (v16)(x > mbh);
        mbh = (x & c) | (mbh & ~c);
        anyi |= m;
        anyb |= ~m;
      }
      for (k = 0; k < 16; k++) {
        if (anyi[k]) {
          ilo = mil[k] < ilo ? mil[k] : ilo;
          ihi = mih[k] > ihi ? mih[k] : ihi;
        }
        if (anyb[k]) {
          blo = mbl[k] < blo ? mbl[k] : blo;
          bhi = mbh[k] > bhi ? mbh[k] : bhi;
        }
      }
    }
#endif
    for (; i < n; i++) {
      int v = img->data8[i];
      if (lab->label8[i]) {
        ilo = v < ilo ? v : ilo;
        ihi = v > ihi ? v : ihi;
      } else {
        blo = v < blo ? v : blo;
        bhi = v > bhi ? v : bhi;
      }
    }
    /* as ft_image_sample reads them, so both storages give one level */
    if (ihi >= 0) ink_lo = (float)ilo / 255.0f, ink_hi = (float)ihi / 255.0f;
    if (bhi >= 0) bg_lo = (float)blo / 255.0f, bg_hi = (float)bhi / 255.0f;
    n = 0;
  }
  for (i = 0; i < n; i++) {
    size_t o = i * (size_t)img->channels;
    double y = img->channels < 3 ? ft_image_sample(img, o)
                                 : 0.2126 * ft_image_sample(img, o) +
                                       0.7152 * ft_image_sample(img, o + 1) +
                                       0.0722 * ft_image_sample(img, o + 2);
    double a = img->channels == 2 ? ft_image_sample(img, o + 1)
                                  : (img->channels == 4 ? ft_image_sample(img, o + 3) : 1.0);
    y = y * a + 1.0 - a;
    if (ft_labels_get(lab, i)) {
      if (y < ink_lo) ink_lo = y;
      if (y > ink_hi) ink_hi = y;
    } else {
      if (y < bg_lo) bg_lo = y;
      if (y > bg_hi) bg_hi = y;
    }
  }
  if (ink_hi < 0 || bg_hi < 0) return -1;
  if (ink_hi < bg_lo) return 0.5 * (ink_hi + bg_lo);
  if (bg_hi < ink_lo) return 0.5 * (bg_hi + ink_lo);
  return -1;
}

/* The segment stage the options choose. */
static ft_status run_segmenter(ft_ctx *ctx, const ft_options *opt, const ft_image *in,
                               ft_labels **labels) {
  ft_unet_params up;
  if (opt->segmenter == FT_SEGMENTER_THRESHOLD) return ft_segment(ctx, in, &opt->segment, labels);
  if (opt->segmenter != FT_SEGMENTER_UNET)
    return ft__fail(ctx, FT_ERR_INVAL, "pipeline: segmenter=%d out of range 0..1",
                    opt->segmenter);
  if (!memchr(opt->model, '\0', sizeof opt->model))
    return ft__fail(ctx, FT_ERR_INVAL, "pipeline: model name not terminated");
  up = opt->unet;
  up.model = opt->model;
  up.loaded = NULL;
  {
    /* the U-Net reads float samples */
    ft_image *fin;
    ft_status st = ft__image_float(ctx, in, &fin);
    if (st) return st;
    st = ft_segment_unet(ctx, fin ? fin : in, &up, labels);
    ft_image_free(fin);
    return st;
  }
}

/* Logs (debug) the wall time of the stage just done and restarts the clock. */
static void stage_done(ft_ctx *ctx, const char *stage, double *t) {
  double now = ft__seconds();
  ft__log(ctx, FT_LOG_DEBUG, "%s: %.3f s", stage, now - *t);
  *t = now;
}

ft_status ft_pipeline_run_labels(ft_ctx *ctx, const ft_options *opt, const ft_image *in,
                                 ft_doc **out, ft_labels **labels_out) {
  ft_options defaults;
  ft_image *clean = NULL;
  ft_labels *labels = NULL;
  ft_paths *traced = NULL, *fitted = NULL;
  ft_doc *doc = NULL;
  ft_fit_params fit;
  ft_status st;
  double seg0 = 0.0, t = ft__seconds();

  *out = NULL;
  if (labels_out) *labels_out = NULL;
  if (!opt) {
    ft_options_init(&defaults);
    opt = &defaults;
  }
  if (opt->ndenoise < 0 || opt->ndenoise > FT_OPTIONS_MAX_FILTERS)
    return ft__fail(ctx, FT_ERR_INVAL, "pipeline: ndenoise=%d out of range 0..%d", opt->ndenoise,
                    FT_OPTIONS_MAX_FILTERS);
  if (opt->ndenoise > 0) {
    ft_denoise_chain chain;
    chain.n = opt->ndenoise;
    chain.filters = (ft_denoise_filter *)opt->denoise;
    ft__progress_slice(ctx, 0.0, 0.2);
    if ((st = ft_denoise(ctx, in, &chain, &clean))) goto done;
    stage_done(ctx, "denoise", &t);
    seg0 = 0.2;
  }
  ft__progress_slice(ctx, seg0, 0.4);
  if ((st = run_segmenter(ctx, opt, clean ? clean : in, &labels))) goto done;
  if (opt->border_wedges) {
    ft_labels *kept = NULL;
    if ((st = ft_drop_border_wedges(ctx, labels, &kept))) goto done;
    ft_labels_free(labels);
    labels = kept;
  }
  stage_done(ctx, "segment", &t);
  fit = opt->fit;
  fit.image = NULL;
  fit.level = -1.0;
  if (gray_edges(opt, clean ? NULL : in) && fit.mode != FT_FIT_NONE) {
    fit.image = clean ? clean : in;
    if (opt->segment.colors == 0) fit.level = split_level(fit.image, labels);
  } else {
    ft_image_free(clean);
    clean = NULL;
  }
  ft__progress_slice(ctx, 0.4, 0.6);
  if ((st = ft_trace(ctx, labels, &opt->trace, &traced))) goto done;
  stage_done(ctx, "trace", &t);
  if (!labels_out) {
    ft_labels_free(labels);
    labels = NULL;
  }
  ft__progress_slice(ctx, 0.6, 0.9);
  if ((st = ft_fit(ctx, traced, &fit, &fitted))) goto done;
  stage_done(ctx, "fit", &t);
  ft_paths_free(traced);
  traced = NULL;
  ft_image_free(clean);
  clean = NULL;
  ft__progress_slice(ctx, 0.9, 1.0);
  if ((st = ft_style(ctx, fitted, &opt->style, &doc))) goto done;
  if (opt->style.underlay) {
    /* the underlay encoder reads float samples */
    if ((st = ft__image_float(ctx, in, &clean))) goto done;
    if ((st = ft_style_underlay(ctx, doc, clean ? clean : in, &opt->style))) goto done;
    ft_image_free(clean);
    clean = NULL;
  }
  if ((st = ft_doc_set_string(ctx, &doc->source, in->name))) goto done;
  if ((st = ft__style_describe(ctx, doc))) goto done;
  stage_done(ctx, "style", &t);
  if ((st = ft__progress(ctx, 1.0))) goto done;
  *out = doc;
  doc = NULL;
  if (labels_out) {
    *labels_out = labels;
    labels = NULL;
  }
done:
  ft__progress_slice(ctx, 0.0, 1.0);
  ft_image_free(clean);
  ft_labels_free(labels);
  ft_paths_free(traced);
  ft_paths_free(fitted);
  ft_doc_free(doc);
  return st;
}
