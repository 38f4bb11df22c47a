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
  opt->segmenter = FT_SEGMENTER_THRESHOLD;
  strcpy(opt->model, "nuclei");
  ft_unet_params_init(&opt->unet);
  ft_trace_params_init(&opt->trace);
  ft_fit_params_init(&opt->fit);
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

ft_status ft_pipeline_run_labels(ft_ctx *ctx, const ft_options *opt, const ft_image *in,
                                 ft_doc **out, ft_labels **labels_out) {
  ft_options defaults;
  ft_image *clean = NULL;
  ft_labels *labels = NULL;
  ft_paths *traced = NULL, *fitted = NULL;
  ft_doc *doc = NULL;
  ft_status st;
  double seg0 = 0.0;

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
    seg0 = 0.2;
  }
  ft__progress_slice(ctx, seg0, 0.4);
  if ((st = run_segmenter(ctx, opt, clean ? clean : in, &labels))) goto done;
  ft_image_free(clean);
  clean = NULL;
  ft__progress_slice(ctx, 0.4, 0.6);
  if ((st = ft_trace(ctx, labels, &opt->trace, &traced))) goto done;
  if (!labels_out) {
    ft_labels_free(labels);
    labels = NULL;
  }
  ft__progress_slice(ctx, 0.6, 0.9);
  if ((st = ft_fit(ctx, traced, &opt->fit, &fitted))) goto done;
  ft_paths_free(traced);
  traced = NULL;
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
