/* figtrace/stages.h - the pipeline stages between reading and writing.
 *
 *   ft_image --segment--> ft_labels --trace--> ft_paths --fit--> ft_paths --style--> ft_doc
 *
 * Every stage is a pure function: its input is const, its params may be NULL
 * (meaning the defaults), its result comes back through an OUT parameter
 * that the caller frees, and on failure *out is left NULL with nothing
 * leaked.  Each params struct has an _init() that copies the documented
 * defaults; callers change fields, never positional arguments.
 */
#ifndef FIGTRACE_STAGES_H
#define FIGTRACE_STAGES_H

#include "figtrace/common.h"
#include "figtrace/doc.h"
#include "figtrace/image.h"
#include "figtrace/labels.h"
#include "figtrace/paths.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- segment: image -> labels ---- */

typedef enum ft_threshold_method {
  FT_THRESH_OTSU = 0, /* Otsu's between-class variance maximum */
  FT_THRESH_VALUE = 1 /* the fixed value in ft_segment_params.value */
} ft_threshold_method;

typedef enum ft_polarity {
  FT_POLARITY_AUTO = 0, /* ink is whichever side of the threshold is the minority */
  FT_POLARITY_DARK = 1, /* ink darker than the threshold (ink on paper) */
  FT_POLARITY_LIGHT = 2 /* ink lighter than the threshold (fluorescence) */
} ft_polarity;

typedef struct ft_segment_params {
  int method;       /* ft_threshold_method; default FT_THRESH_OTSU */
  double value;     /* threshold in [0,1] for FT_THRESH_VALUE; default 0.5 */
  int polarity;     /* ft_polarity; default FT_POLARITY_AUTO */
  int invert;       /* 1 swaps ink and background after polarity is chosen; default 0 */
} ft_segment_params;

FT_API void ft_segment_params_init(ft_segment_params *p);

/* Threshold a gray version of in into a two-label map: 0 background,
 * 1 ink (FT_CLASS_INK), with mean colours of each side in info[].
 * A pixel is ink when its luminance is <= t for dark ink, > t for light
 * ink.  OUT: caller frees with ft_labels_free(). */
FT_API FT_USERESULT ft_status ft_segment(ft_ctx *ctx, const ft_image *in,
                                         const ft_segment_params *p, ft_labels **out);

/* Otsu's threshold of a histogram of n bins (bin i stands for the value
 * (i + 0.5) / n): returns the upper edge t in [0,1] of the last bin of the
 * darker class, i.e. values <= t form the lower class.  Returns -1 when
 * the histogram is empty. */
FT_API double ft_otsu_threshold(const uint64_t *hist, int n);

/* ---- trace: labels -> paths ---- */

typedef enum ft_trace_mode {
  FT_TRACE_OUTLINE = 0 /* closed boundaries of every region and hole */
} ft_trace_mode;

typedef struct ft_trace_params {
  int mode; /* ft_trace_mode; default FT_TRACE_OUTLINE */
} ft_trace_params;

FT_API void ft_trace_params_init(ft_trace_params *p);

/* Outline tracing: for every label > 0, the boundary of each 8-connected
 * component and of each hole inside it (holes are 4-connected regions of
 * other labels), exactly on the pixel grid, as closed polygons with a vertex
 * only at corners.  Orientation and nesting as described in paths.h; paths
 * are ordered so that a parent precedes its children.  Filling every outline
 * of a label and cutting its holes reproduces the label's pixels exactly.
 * OUT: caller frees with ft_paths_free(). */
FT_API FT_USERESULT ft_status ft_trace(ft_ctx *ctx, const ft_labels *in,
                                       const ft_trace_params *p, ft_paths **out);

/* ---- fit: paths -> paths ---- */

typedef enum ft_fit_mode {
  FT_FIT_NONE = 0,    /* keep the exact pixel outline */
  FT_FIT_POLYGON = 1, /* straight segments only: a polygon that follows the true edge */
  FT_FIT_CURVES = 2   /* lines and cubic Beziers between corners, G1 at smooth joins */
} ft_fit_mode;

typedef struct ft_fit_params {
  int mode;         /* ft_fit_mode; default FT_FIT_CURVES */
  double tolerance; /* largest distance, in pixels, of the result from the midpoints of
                     * the pixel edges it replaces; > 0, default 0.6 (POLYGON uses at
                     * least 0.5, so that a digital straight line stays one segment) */
  double alphamax;  /* corner threshold, 0..4/3: a polygon vertex standing out h pixels
                     * from the chord joining its edges' midpoints is a corner when
                     * 4/3 (1 - 1/h) >= alphamax (as potrace's alphamax: 0 makes every
                     * vertex a corner, 4/3 none); default 1.0, i.e. h >= 4 px */
  double min_area;  /* closed paths whose absolute area (pixels) is below this are
                     * dropped with everything nested in them; default 0 (keep all) */
} ft_fit_params;

FT_API void ft_fit_params_init(ft_fit_params *p);

/* Simplify and fit paths.
 *
 * Input paths that are pixel staircases (closed, line segments only, axis
 * aligned, integer vertices - what ft_trace produces) are replaced by a
 * polygon (FT_FIT_POLYGON) or by lines and cubics (FT_FIT_CURVES) within
 * p->tolerance of the midpoints of their pixel edges; other paths are copied
 * unchanged.  Orientation, hole, label, class_id and stroke_width are kept;
 * parent indices are remapped when min_area drops paths.  Where two paths
 * run along the same pixel edges (neighbouring labels), each shared stretch
 * between junctions is fitted once and used by both paths, reversed for the
 * second, so neighbours never gap or overlap.  Loops of at most 8 pixel
 * edges keep their exact outline.  The anti-aliased source image is not
 * consulted: edges are placed from the pixel geometry alone.
 * OUT: caller frees with ft_paths_free(). */
FT_API FT_USERESULT ft_status ft_fit(ft_ctx *ctx, const ft_paths *in, const ft_fit_params *p,
                                     ft_paths **out);

/* ---- style: paths -> doc ---- */

typedef struct ft_style_params {
  double width_mm; /* physical width of the figure; 0 = 96 pixels per inch; default 0 */
  ft_rgba ink;     /* fill of FT_CLASS_INK regions; default opaque black */
  int fill_rule;   /* ft_fill_rule; default FT_FILL_NONZERO */
} ft_style_params;

FT_API void ft_style_params_init(ft_style_params *p);

/* Build a document from traced paths: one layer per class present (ink,
 * regions, nuclei, strokes) with fills from the params, physical size from
 * the params, metadata copied from paths.  The paths are copied.
 * OUT: caller frees with ft_doc_free(). */
FT_API FT_USERESULT ft_status ft_style(ft_ctx *ctx, const ft_paths *in, const ft_style_params *p,
                                       ft_doc **out);

#ifdef __cplusplus
}
#endif
#endif
