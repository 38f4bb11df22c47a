/* src/core/pipeline.c - denoise -> segment -> trace -> fit -> style, with progress slices.
 *
 * Each stage is called with the context's progress mapped into its slice;
 * intermediate values are freed as soon as the next one exists, so the peak
 * memory is two adjacent values, never the whole chain.
 */
#include "config.h"

#include <string.h>

#include "core/internal.h"
#include "style/internal.h"

void ft_options_init(ft_options *opt) {
  memset(opt, 0, sizeof *opt);
  ft_read_params_init(&opt->read);
  opt->ndenoise = 0;
  ft_segment_params_init(&opt->segment);
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
  ft_options defaults;
  ft_image *clean = NULL;
  ft_labels *labels = NULL;
  ft_paths *traced = NULL, *fitted = NULL;
  ft_doc *doc = NULL;
  ft_status st;
  double seg0 = 0.0;

  *out = NULL;
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
  if ((st = ft_segment(ctx, clean ? clean : in, &opt->segment, &labels))) goto done;
  ft_image_free(clean);
  clean = NULL;
  ft__progress_slice(ctx, 0.4, 0.6);
  if ((st = ft_trace(ctx, labels, &opt->trace, &traced))) goto done;
  ft_labels_free(labels);
  labels = NULL;
  ft__progress_slice(ctx, 0.6, 0.9);
  if ((st = ft_fit(ctx, traced, &opt->fit, &fitted))) goto done;
  ft_paths_free(traced);
  traced = NULL;
  ft__progress_slice(ctx, 0.9, 1.0);
  if ((st = ft_style(ctx, fitted, &opt->style, &doc))) goto done;
  if (opt->style.underlay && (st = ft_style_underlay(ctx, doc, in, &opt->style))) goto done;
  if ((st = ft_doc_set_string(ctx, &doc->source, in->name))) goto done;
  if ((st = ft__style_describe(ctx, doc))) goto done;
  if ((st = ft__progress(ctx, 1.0))) goto done;
  *out = doc;
  doc = NULL;
done:
  ft__progress_slice(ctx, 0.0, 1.0);
  ft_image_free(clean);
  ft_labels_free(labels);
  ft_paths_free(traced);
  ft_paths_free(fitted);
  ft_doc_free(doc);
  return st;
}
