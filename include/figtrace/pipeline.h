/* figtrace/pipeline.h - the stages chained, as the CLI and tests run them.
 *
 * ft_options holds one params struct per stage.  ft_options_init() fills in
 * every stage's defaults; a caller (or a preset) then changes fields.  The
 * same ft_options drive the command-line tool, library users and tests, so
 * all three run the identical pipeline.
 */
#ifndef FIGTRACE_PIPELINE_H
#define FIGTRACE_PIPELINE_H

#include "figtrace/common.h"
#include "figtrace/denoise.h"
#include "figtrace/doc.h"
#include "figtrace/image.h"
#include "figtrace/io.h"
#include "figtrace/segment_nn.h"
#include "figtrace/stages.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most filters a pipeline's denoise chain holds. */
#define FT_OPTIONS_MAX_FILTERS 16

typedef struct ft_options {
  ft_read_params read;
  int ndenoise;                                   /* filters in denoise[]; default 0 */
  ft_denoise_filter denoise[FT_OPTIONS_MAX_FILTERS]; /* applied in order before segment */
  ft_segment_params segment;
  int segmenter;                    /* ft_segmenter; default FT_SEGMENTER_THRESHOLD */
  char model[FT_MODEL_NAME_MAX];    /* FT_SEGMENTER_UNET: model name or path; default "nuclei" */
  ft_unet_params unet;              /* FT_SEGMENTER_UNET: its parameters (model and loaded
                                       are not used: the pipeline loads model[]) */
  int border_wedges;                /* 1: ft_drop_border_wedges after either segmenter
                                       (key "border-wedges" drop|keep); default 0 */
  ft_trace_params trace;
  ft_fit_params fit;                /* fit.image and fit.level are set by the pipeline */
  ft_style_params style;
  ft_svg_params svg;
} ft_options;

/* Every stage's defaults, except that read.compact and segment.compact are
 * 1: images of up to 8 bits are read one byte per sample and the threshold
 * segmenter's two-label map is one byte per pixel (figtrace/image.h,
 * figtrace/labels.h); the pipeline handles both forms.  And specks go:
 * segment.min_area and fit.min_area are FT_OPTIONS_MIN_AREA (option
 * "min-area"), so regions of one or two pixels merge into their
 * surroundings and fitted outlines and holes under 3 square pixels are
 * dropped. */
#define FT_OPTIONS_MIN_AREA 3
FT_API void ft_options_init(ft_options *opt);

/* Replace opt's denoise chain with the one spec describes
 * ("flatten:r=40,median:r=1"; grammar in figtrace/spec.h, filters in
 * figtrace/denoise.h); an empty spec clears it.  Errors are FT_ERR_INVAL
 * with a message listing what is accepted (also for more than
 * FT_OPTIONS_MAX_FILTERS filters); opt is then unchanged. */
FT_API FT_USERESULT ft_status ft_options_set_denoise(ft_ctx *ctx, ft_options *opt,
                                                     const char *spec);

/* Choose the segmenter from a --segment text (figtrace/segment_nn.h):
 * "threshold" (ft_segment with opt->segment), or "unet" / "unet:MODEL"
 * followed by optional ",KEY=VALUE" items: diameter=PX (0 estimates),
 * rescale=yes|no, refine=yes|no, invert=auto|yes|no, min-area=PX (-1 automatic),
 * tile=PX.  MODEL defaults to "nuclei".  Errors are FT_ERR_INVAL with a
 * message saying what is accepted; opt is then unchanged. */
FT_API FT_USERESULT ft_status ft_options_set_segment(ft_ctx *ctx, ft_options *opt,
                                                     const char *spec);

/* Run denoise -> segment -> trace -> fit -> style on an image, of either
 * storage (figtrace/image.h).  Progress is
 * reported through the context in slices (denoise 0-0.2 when the chain is
 * not empty, then segment up to 0.4, trace 0.4-0.6, fit 0.6-0.9, style
 * 0.9-1).  OUT: *out, caller frees with ft_doc_free(). */
FT_API FT_USERESULT ft_status ft_pipeline_run(ft_ctx *ctx, const ft_options *opt,
                                              const ft_image *in, ft_doc **out);

/* The same, also handing back the segmenter's label map (the instance
 * image for quantification, see ft_labels_write) through labels when it is
 * not NULL; it may be compact (read it with ft_labels_get or widen it with
 * ft_labels_widen).  OUT: *out (ft_doc_free) and *labels (ft_labels_free);
 * both NULL on failure. */
FT_API FT_USERESULT ft_status ft_pipeline_run_labels(ft_ctx *ctx, const ft_options *opt,
                                                     const ft_image *in, ft_doc **out,
                                                     ft_labels **labels);

#ifdef __cplusplus
}
#endif
#endif
