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
#include "figtrace/spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- segment: image -> labels ---- */

typedef enum ft_threshold_method {
  FT_THRESH_OTSU = 0,      /* Otsu's between-class variance maximum */
  FT_THRESH_VALUE = 1,     /* the fixed value in ft_segment_params.value */
  FT_THRESH_LI = 2,        /* Li's minimum cross entropy (ft_li_threshold) */
  FT_THRESH_TRIANGLE = 3,  /* Zack's triangle (ft_triangle_threshold) */
  FT_THRESH_SAUVOLA = 4,   /* adaptive, Sauvola (ft_adaptive_threshold) */
  FT_THRESH_NIBLACK = 5,   /* adaptive, Niblack (ft_adaptive_threshold) */
  FT_THRESH_HYSTERESIS = 6 /* two thresholds, weak pixels kept when linked to strong ones */
} ft_threshold_method;

typedef enum ft_polarity {
  FT_POLARITY_AUTO = 0, /* global methods: ink is the minority side; adaptive methods and
                           hysteresis: dark ink */
  FT_POLARITY_DARK = 1, /* ink darker than the threshold (ink on paper) */
  FT_POLARITY_LIGHT = 2 /* ink lighter than the threshold (fluorescence) */
} ft_polarity;

typedef struct ft_segment_params {
  int method;       /* ft_threshold_method; default FT_THRESH_OTSU */
  double value;     /* threshold in [0,1] for FT_THRESH_VALUE; default 0.5 */
  int polarity;     /* ft_polarity; default FT_POLARITY_AUTO */
  int invert;       /* 1 swaps ink and background after polarity is chosen; default 0 */
  int window;       /* Sauvola/Niblack: odd window side in pixels, 3..4095; default 25 */
  double k;         /* Sauvola/Niblack: deviation weight, -1..1; default 0.2 (about -0.2
                       suits Niblack with dark ink) */
  double range;     /* Sauvola: R, the dynamic range of the deviation, (0,1]; default 0.5 */
  double low, high; /* hysteresis: luminance bounds, 0 <= low <= high <= 1; dark ink is
                       strong <= low, weak <= high; defaults 0.3 and 0.6 */
  int colors;       /* 0: threshold into ink and background (the fields above);
                       2..64: quantise into this many colours with k-means in CIELAB
                       (ft_segment_kmeans, fixed seed); default 0 */
  int64_t min_area; /* connected regions of fewer pixels are merged into the neighbour
                       they share the most border with (specks into paper, pinholes
                       into ink, colour islands into their surroundings); 0 keeps all;
                       default 0 */
} ft_segment_params;

/* Fill p with the defaults above. */
FT_API void ft_segment_params_init(ft_segment_params *p);

/* Set p's method and that method's parameters from a --threshold text:
 * a number in [0,1] ("0.45") or a percentage ("45%") selects
 * FT_THRESH_VALUE; otherwise a spec (figtrace/spec.h) naming one method
 * with optional keys, e.g. "otsu", "li", "triangle",
 * "sauvola:w=31,k=0.2,r=0.5", "niblack:w=25,k=-0.2", "hysteresis:low=0.3,high=0.6";
 * every method also takes ink=auto|dark|light (the polarity).  Keys not
 * given take the method's defaults (Niblack: k=-0.2).  Other fields of p
 * (invert, colors, min_area) are left alone.  Errors are FT_ERR_INVAL with
 * a message listing what is accepted; p is then unchanged. */
FT_API FT_USERESULT ft_status ft_segment_params_parse(ft_ctx *ctx, const char *text,
                                                      ft_segment_params *p);

/* Describe the --threshold methods and keys, one line per call of fn (as
 * ft_spec_describe). */
FT_API void ft_segment_describe(ft_spec_line_fn fn, void *user);

/* Segment in into a label map.
 *
 * Thresholds (colors == 0) work on a gray version of in (ft_image_to_gray:
 * luminance, alpha on white) and give a two-label map: 0 background
 * (FT_CLASS_BACKGROUND), 1 ink (FT_CLASS_INK).  With the global methods
 * (Otsu, Li, triangle, a fixed value) a pixel is ink when its luminance is
 * <= t for dark ink, > t for light ink; t comes from a histogram of 256 bins
 * for sources of up to 8 bits and 65536 bins for 16-bit and float sources
 * (one bin per level).  With FT_POLARITY_AUTO the side holding fewer pixels
 * is ink (a tie: dark ink); invert then swaps the sides.  When all pixels
 * fall on one side of t - always so for a uniform image under Otsu - there
 * is no ink (with a fixed value and a forced polarity the comparison decides
 * as usual).  Sauvola, Niblack and hysteresis compare every pixel with its
 * own threshold (figtrace/thresholds.h); their polarity AUTO means dark ink.
 *
 * With colors >= 2 the map comes from ft_segment_kmeans (see there): every
 * pixel gets a label >= 1 of class FT_CLASS_REGION, label 1 the background
 * colour.
 *
 * Then, with min_area > 0, connected regions of one label smaller than
 * min_area pixels are merged into the neighbouring label that shares the
 * most pixel edges with them (smallest regions first; ink regions of a
 * threshold are 8-connected, everything else 4-connected, as ft_trace sees
 * them).  info[].color is the mean RGB (on white) of each label, black for
 * an empty ink label and white for an empty background; info[].area the
 * pixel counts; the pixel size is copied.  Progress is reported and can
 * cancel.  Returns FT_ERR_INVAL for a bad image or parameter (message names
 * it).  OUT: caller frees with ft_labels_free(). */
FT_API FT_USERESULT ft_status ft_segment(ft_ctx *ctx, const ft_image *in,
                                         const ft_segment_params *p, ft_labels **out);

/* Otsu's threshold of a histogram of n bins (bin i stands for the value
 * (i + 0.5) / n): returns the upper edge t in [0,1] of the last bin of the
 * darker class, i.e. values <= t form the lower class.  When several
 * splits share the maximum because the bins between them are empty (two
 * spikes), the middle of that gap is taken.  A histogram with one occupied
 * bin k gives (k + 1) / n (all in the lower class).  Returns -1 when the
 * histogram is empty, hist is NULL or n < 1. */
FT_API double ft_otsu_threshold(const uint64_t *hist, int n);

typedef struct ft_kmeans_params {
  int k;            /* colours, 2..64; default 8 */
  int max_iter;     /* Lloyd iterations on the sample, 1..1000; default 40 */
  double epsilon;   /* stop once no centre moves farther, in CIELAB units; > 0,
                       default 0.01 */
  uint32_t seed;    /* random seed of the sampling and k-means++ seeding; default 1,
                       so the output is reproducible */
  int sample;       /* pixels drawn (with the seed) to fit the centres; 0 = all pixels;
                       otherwise >= 256; default 100000 */
  int64_t min_area; /* 4-connected regions below this many pixels are merged into the
                       neighbour sharing the most border; 0 keeps all; default 0 */
  double merge_delta; /* fitted centres closer than this CIELAB distance (Delta E 1976)
                         are merged, closest pair first, with a refit after each;
                         0..100, default 10; 0 keeps k centres */
} ft_kmeans_params;

/* Fill p with the defaults above. */
FT_API void ft_kmeans_params_init(ft_kmeans_params *p);

/* Colour quantisation.  Pixels (alpha composited onto white) are converted
 * from sRGB to CIELAB (D65); k centres are seeded with k-means++ (D. Arthur
 * and S. Vassilvitskii, SODA 2007) on a random sample and refined by
 * Lloyd's iterations (S. P. Lloyd, IEEE Trans. IT 28(2), 1982) on that
 * sample; centres closer than merge_delta are merged; then every pixel
 * takes its nearest centre.  Fewer than k colours result when the image
 * has fewer distinct colours (seeding stops when every sample pixel
 * coincides with a centre, and near-duplicate centres merge).  Labels: 0 is left empty
 * (FT_CLASS_BACKGROUND, area 0); 1.. are the colours, all FT_CLASS_REGION,
 * label 1 the background colour (the one covering most of the image
 * border; ties go to the larger), the rest by decreasing area, so painting
 * the labels in order puts the background first.  Small regions are merged
 * as min_area says and labels left empty are dropped.  info[].color is the
 * mean sRGB colour of each label's pixels (on white).  The result depends
 * only on the image and the params (never on the thread count).
 * OUT: caller frees with ft_labels_free(). */
FT_API FT_USERESULT ft_status ft_segment_kmeans(ft_ctx *ctx, const ft_image *in,
                                                const ft_kmeans_params *p, ft_labels **out);

/* ---- trace: labels -> paths ---- */

typedef enum ft_trace_mode {
  FT_TRACE_OUTLINE = 0 /* closed boundaries of every region and hole */
} ft_trace_mode;

typedef struct ft_trace_params {
  int mode; /* ft_trace_mode; default FT_TRACE_OUTLINE */
} ft_trace_params;

/* Fill p with the defaults above. */
FT_API void ft_trace_params_init(ft_trace_params *p);

/* Outline tracing: for every label > 0, the boundary of each 8-connected
 * component and of each hole inside it (holes are 4-connected regions of
 * other labels not reaching the image border), exactly on the pixel-corner
 * grid, as closed polygons of FT_SEG_LINE segments with a vertex only where
 * the direction changes (a rectangle has 4 segments).  Two pixels touching
 * only at a corner are one component, whose outline passes that corner
 * twice.  Outlines run clockwise on screen (positive ft_path_area), holes
 * counter-clockwise with hole = 1; filling every path of a label with the
 * nonzero or even-odd rule reproduces the label's pixels exactly.
 *
 * Paths come in the raster order of their top-left edge, each starting at
 * its top-left corner, so a parent always precedes its children.  parent:
 * a hole's is the outline it cuts, an outline's is the hole of the same
 * label it sits in, or -1.  Links never cross labels: each label is traced
 * against everything else, and regions of different labels that touch get
 * coinciding boundaries.  label and class_id are set, info is copied from
 * in, and so are the size and the pixel size.
 *
 * Time is linear in the pixels plus the boundary length, except that an
 * outline inside a hole of its own label looks up the column to the next
 * pixel of that label; scratch memory is two bits per pixel plus a few
 * words per path.  Progress is reported
 * per block of rows and can cancel.  Returns FT_ERR_INVAL for a bad mode or
 * a label outside 0..nlabels-1 (message gives its position).
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
                     * the pixel edges it replaces; > 0, default 0.8 (POLYGON uses at
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
