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
  FT_THRESH_HYSTERESIS = 6, /* two thresholds, weak pixels kept when linked to strong ones */
  FT_THRESH_MIDPOINT = 7    /* local: half way between local paper and ink levels
                               (ft_midpoint_threshold) */
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
  double sigma;     /* midpoint: scale in pixels of the local paper and ink levels,
                       0.5..200; default 8 */
  int core;         /* midpoint: erosion radius of the first-guess ink whose pixels give
                       the ink level, 0..20; default 1 */
  double fraction;  /* midpoint: threshold position from paper (0) to ink (1) level,
                       0.05..0.95; default 0.5 */
  int colors;       /* 0: threshold into ink and background (the fields above);
                       2..64: quantise into this many colours with k-means in CIELAB
                       (ft_segment_kmeans, fixed seed); default 0 */
  int64_t min_area; /* connected regions of fewer pixels are merged into the neighbour
                       they share the most border with (specks into paper, pinholes
                       into ink, colour islands into their surroundings); 0 keeps all;
                       default 0 */
  int compact;      /* 1: a two-label result of the global methods (no min_area merge)
                       is a compact map (one byte per pixel in label8, figtrace/labels.h);
                       0: int32 labels.  Default 0; ft_options_init sets 1, as the
                       pipeline reads both */
} ft_segment_params;

/* Fill p with the defaults above. */
FT_API void ft_segment_params_init(ft_segment_params *p);

/* Set p's method and that method's parameters from a --threshold text:
 * a number in [0,1] ("0.45") or a percentage ("45%") selects
 * FT_THRESH_VALUE; otherwise a spec (figtrace/spec.h) naming one method
 * with optional keys, e.g. "otsu", "li", "triangle",
 * "sauvola:w=31,k=0.2,r=0.5", "niblack:w=25,k=-0.2", "hysteresis:low=0.3,high=0.6",
 * "midpoint:sigma=8,core=1,f=0.5";
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
 * as usual).  Sauvola, Niblack, hysteresis and the local midpoint compare
 * every pixel with its own threshold (figtrace/thresholds.h); polarity AUTO
 * means dark ink for the first three and, for the midpoint, the minority
 * side of its first guess (a uniform image: no ink).
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
 * pixel counts; the pixel size is copied.  The image may have either
 * storage (figtrace/image.h); the global methods read it a row at a time
 * without a gray copy, the others on a float copy when it is compact.  With
 * p->compact a global threshold's map is compact (label8).  Progress is
 * reported and can cancel.  Returns FT_ERR_INVAL for a bad image or
 * parameter (message names it).  OUT: caller frees with ft_labels_free(). */
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
  FT_TRACE_OUTLINE = 0,    /* closed boundaries of every region and hole */
  FT_TRACE_CENTERLINE = 1, /* centre lines of pen strokes as stroked open paths */
  FT_TRACE_AUTO = 2        /* centre lines, but regions much wider than the typical
                              stroke (filled blobs, arrow heads) as outlines */
} ft_trace_mode;

typedef struct ft_trace_params {
  int mode;            /* ft_trace_mode; default FT_TRACE_OUTLINE */
  double stroke_width; /* centerline: width in pixels given to every stroke, or 0 to
                          measure each path's own (median of twice the distance to the
                          ink edge along it); >= 0; default 0 */
  double spur_ratio;   /* centerline: a branch from a junction to a free end is pruned
                          when its tip sticks out less than spur_ratio x the half-width
                          of the stroke it leaves (where that covers the tip best),
                          plus 1 px, beyond that stroke's edge; >= 0; default 0.75 */
  double blob_ratio;   /* auto: ink whose local width exceeds blob_ratio x the label's
                          typical stroke width is outlined, not stroked; > 1;
                          default 2.5 */
  double simplify;     /* centerline: Douglas-Peucker tolerance in pixels applied to
                          the sub-pixel centre points of a 10 px wide stroke, scaled
                          by width/10 for other widths (at least simplify/5); >= 0;
                          default 0.5 */
} ft_trace_params;

/* Fill p with the defaults above. */
FT_API void ft_trace_params_init(ft_trace_params *p);

/* mode FT_TRACE_CENTERLINE: every label > 0 is thinned to a one-pixel,
 * topology-preserving skeleton; the skeleton becomes a graph of junctions,
 * free ends and chains between them; spurs are pruned (spur_ratio), nearby
 * junctions merged and placed where the strokes' centre lines meet, and
 * the chains through a junction that continue each other best (within 35
 * degrees of straight) are joined, so a line crossing another stays one
 * path.  Each path is an open polyline of FT_SEG_LINE segments through
 * sub-pixel centre points (closed for a loop without free ends), simplified
 * to `simplify` x width/10 pixels, with class_id FT_CLASS_STROKE, the label it came
 * from, parent -1 and stroke_width set; drawn with that width and round
 * caps and joins it covers the stroke.  A dot (an isolated pixel, or an
 * open path shorter than its half-width, such as a filled disc) is one
 * horizontal segment 0.5 px long centred on it; an isolated one is as
 * wide as a disc of its area, centred on its centroid.
 *
 * mode FT_TRACE_AUTO: as centerline, but for each label the parts that are
 * wider than blob_ratio x its median skeleton width (the union of the
 * maximal discs of those skeleton points), and the parts that one stroke
 * width cannot draw (a chain with a free end whose stroke covers its own
 * ink with an intersection over union below 0.8: a wedge, a brush stroke
 * tapering to a point, a filled arrow head; its ink and the ink next to it
 * that no remaining stroke draws), are traced as outlines, exactly as in
 * outline mode, and come first in the result (with their class and
 * nesting); strokes follow.
 *
 * Outline tracing: for every label > 0, the boundary of each 8-connected
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
                     * the pixel edges it replaces (held tighter on thin parts and
                     * small shapes, see thin and relative; with image, each point
                     * moved off its midpoint is held
                     * that much tighter to where it moved); > 0, default 0.8 (POLYGON
                     * uses at least 0.5, so that a digital straight line stays one
                     * segment) */
  double alphamax;  /* corner threshold, 0..4/3: a polygon vertex standing out h pixels
                     * from the chord joining its edges' midpoints is a corner when
                     * 4/3 (1 - 1/h) >= alphamax (as potrace's alphamax: 0 makes every
                     * vertex a corner, 4/3 none); default 1.0, i.e. h >= 4 px */
  double min_area;  /* closed paths whose absolute area (pixels) is below this are
                     * dropped with everything nested in them; default 0 (keep all) */
  double thin;      /* width-scaled tolerance: where a region is w pixels wide across
                     * a boundary point, that point is held to min(tolerance, thin x w,
                     * at least 0.3) pixels (straight stretches of the polygon too), so
                     * 1-2 px strokes keep their pixels while wide shapes keep the full
                     * tolerance; pixel staircases only; 0 turns it off; 0..10,
                     * default 0.25.  Where a region is at most 3 px wide a point also
                     * counts as followed where the curve crosses its pixel edge's
                     * normal within 0.45 px of the midpoint (the pixel centres beside
                     * the edge stay on their sides), which saves pieces on thin
                     * strokes */
  double relative;  /* size-scaled tolerance: a region (an outline and its holes) whose
                     * mean width is m pixels (twice its area over its outline's
                     * length) is held to min(tolerance, relative x m, at least 0.4)
                     * pixels, so small shapes (a 10 px nucleus, a glyph) keep their
                     * form as well as large ones; pixel staircases only; 0 turns it
                     * off; 0..10, default 0.05 (the full 0.8 px from a mean width of
                     * 16 px, e.g. a disc of radius 16) */
  const ft_image *image; /* optional, not owned: the image the paths' labels were
                     * segmented from (same size), whose anti-aliased gray levels place
                     * edges between pixel corners (see ft_fit); default NULL (pixel
                     * geometry only) */
  double level;     /* with image: the gray level (luminance, 0..1) the labels were
                     * thresholded at, where an edge lies; negative: midway between the
                     * mean colours of the two labels it separates (ft_label_info.color
                     * of the paths' info); default -1 */
} ft_fit_params;

FT_API void ft_fit_params_init(ft_fit_params *p);

/* Simplify and fit paths.
 *
 * Input paths that are pixel staircases (closed, line segments only, axis
 * aligned, integer vertices - what ft_trace produces) are replaced by a
 * polygon (FT_FIT_POLYGON) or by lines and cubics (FT_FIT_CURVES) within
 * p->tolerance of the midpoints of their pixel edges.  Other polylines (line
 * segments only) that are open, or closed with class_id FT_CLASS_STROKE
 * (centre lines), are replaced by lines (FT_FIT_POLYGON, Douglas-Peucker) or
 * lines and G1 cubics (FT_FIT_CURVES) within p->tolerance of the polyline
 * (a stroke within a tenth of its stroke_width when that is less, but at
 * least 0.1 px), sharp turns kept as corners, end points exact; all other paths are copied
 * unchanged.  Orientation, hole, label, class_id and stroke_width are kept;
 * parent indices are remapped when min_area drops paths.  Where two paths
 * run along the same pixel edges (neighbouring labels), each shared stretch
 * between junctions is fitted once and used by both paths, reversed for the
 * second, so neighbours never gap or overlap.  Loops of at most 8 pixel
 * edges keep their exact outline.
 *
 * Sub-pixel edges: with p->image, the data a staircase is fitted to are
 * not the midpoints of its pixel edges but the points where the image says
 * the edge is: each midpoint moves along its edge's normal by the ink the
 * outside pixel holds minus the ink the inside pixel lacks (coverages read
 * from the gray level between the two labels' mean colours, mapped so
 * that p->level means half covered; a pixel one wide across shares its
 * coverage between its two edges), at most a quarter pixel, so that the
 * drawing, rendered again and thresholded at half coverage, keeps giving
 * back the same pixels with the curve a little off its data; where the
 * region is at most 2 px wide (with p->thin > 0) the edges stay on the
 * pixel grid, from 5 px on they move the full quarter.  A point moved by d
 * is fitted within its tolerance minus d (at least 0.3 px), so the result
 * stays within the tolerance of the pixel-edge midpoints.  Edges on the
 * image border stay put.  The fixed ends of
 * shared stretches stay on pixel corners, and shared stretches are still
 * fitted once.  p->image must have the size of in (else FT_ERR_INVAL).
 * With p->thin > 0 each data point's tolerance shrinks with the local width
 * of its region (the pixel runs through the pixel inside it, across and
 * along the edge, combined as the width of a straight band with those
 * chords: h v / sqrt(h^2 + v^2)).
 * OUT: caller frees with ft_paths_free(). */
FT_API FT_USERESULT ft_status ft_fit(ft_ctx *ctx, const ft_paths *in, const ft_fit_params *p,
                                     ft_paths **out);

/* ---- style: paths -> doc ---- */

/* One journal's artwork rules (see src/style/journals.c for the sources).
 * Lengths in mm, line widths and font sizes in points (1 pt = 1/72 in). */
typedef struct ft_journal {
  const char *name;     /* key for --journal: "nature", "cell", ... "none" */
  const char *title;    /* display name, "Nature" */
  double single_mm;     /* single-column figure width */
  double mid_mm;        /* 1.5-column width */
  double double_mm;     /* full-page (double-column) width; the widest allowed */
  double max_height_mm; /* tallest figure; 0 = no limit */
  double min_stroke_pt; /* thinnest line; 0 = no limit */
  const char *fonts;    /* allowed families, comma-separated ("Arial, Helvetica") */
  const char *font;     /* font-family list written into the SVG */
  double font_min_pt;   /* smallest allowed text; 0 = no limit */
  double font_max_pt;   /* largest allowed text; 0 = no limit */
  double label_pt;      /* size figtrace uses for its own labels (scale bar) */
  const char *color;    /* colour mode asked for in submitted artwork: "RGB" or "CMYK" */
} ft_journal;

/* The journal called name (case-insensitive), NULL when unknown.  "none"
 * names the neutral entry with generic widths and no limits.  Borrowed:
 * static storage. */
FT_API const ft_journal *ft_journal_find(const char *name);

/* Entry i of the table (0..), NULL past the end; for listings. */
FT_API const ft_journal *ft_journal_at(int i);

/* Which width of the journal the figure gets. */
typedef enum ft_column {
  FT_COLUMN_NONE = 0,   /* use width_mm (0: 96 pixels per inch) */
  FT_COLUMN_SINGLE = 1, /* the journal's single-column width */
  FT_COLUMN_MID = 2,    /* 1.5 columns */
  FT_COLUMN_DOUBLE = 3  /* full page width */
} ft_column;

/* Colours of the class layers. */
typedef enum ft_palette {
  FT_PALETTE_OKABE_ITO = 0, /* colour-blind safe (Okabe & Ito 2008): regions and nuclei */
  FT_PALETTE_GRAYSCALE = 1, /* regions get the luminance of their source colour */
  FT_PALETTE_SOURCE = 2,    /* regions keep their mean source colour */
  FT_PALETTE_CUSTOM = 3     /* colours[] given to the layers in paint order, cycling */
} ft_palette;

typedef enum ft_scale_bar {
  FT_SCALE_BAR_AUTO = 0, /* a round length near 1/5 of the width, when the pixel size is known */
  FT_SCALE_BAR_OFF = 1,
  FT_SCALE_BAR_FIXED = 2 /* scale_bar_um long */
} ft_scale_bar;

typedef struct ft_style_params {
  double width_mm;      /* physical width when column is NONE; 0 = 96 pixels per inch; default 0 */
  ft_rgba ink;          /* fill of FT_CLASS_INK regions and strokes; default opaque black */
  int fill_rule;        /* ft_fill_rule; default FT_FILL_NONZERO */
  const char *journal;  /* journal rules to follow (ft_journal_find); NULL = "none"; borrowed */
  int column;           /* ft_column; default FT_COLUMN_NONE, which with a journal and no
                           width_mm means FT_COLUMN_SINGLE */
  int palette;          /* ft_palette; default FT_PALETTE_OKABE_ITO */
  const ft_rgba *colors; /* [ncolors] for FT_PALETTE_CUSTOM; borrowed */
  int ncolors;
  int scale_bar;        /* ft_scale_bar; default FT_SCALE_BAR_AUTO */
  double scale_bar_um;  /* length for FT_SCALE_BAR_FIXED, micrometres, > 0 */
  double pixel_um;      /* pixel size overriding the file's, micrometres; 0 = the file's */
  int underlay;         /* 1: the pipeline embeds the source image (ft_style_underlay); default 0 */
  double window_lo, window_hi; /* display window in source units (0..2^bits-1, or 0..1 for
                                  float); lo >= hi (default 0, 0) = percentiles below */
  double pct_lo, pct_hi; /* percentiles for the automatic window; default 0.1, 99.9 */
  double gamma;         /* display gamma; default 1 (linear); other values need allow_nonlinear */
  int allow_nonlinear;  /* 1 permits gamma != 1; default 0 */
} ft_style_params;

FT_API void ft_style_params_init(ft_style_params *p);

/* Build a document from traced paths: one layer per class present (colour
 * regions, ink, nuclei, strokes; ids "color-N", "ink", "nuclei", "strokes")
 * with colours from the palette and the presentation on the layer group.
 * Physical size: the journal's column width (or width_mm), height from the
 * aspect; a figure taller than the journal allows is shrunk to fit (logged
 * as a warning).  Every stroke thinner than the journal minimum at that
 * size is widened to it (logged at INFO).  With a known pixel size a scale
 * bar (rect "scale-bar" and text "scale-bar-label" in the journal's font
 * and label size; the SVG writer puts rects and texts in an "annotations"
 * layer) goes into the emptiest corner.  title/desc
 * describe the figure; the pipeline completes them with the source name.
 * The paths are copied.  OUT: caller frees with ft_doc_free(). */
FT_API FT_USERESULT ft_status ft_style(ft_ctx *ctx, const ft_paths *in, const ft_style_params *p,
                                       ft_doc **out);

/* ---- check: lint an SVG against a journal's rules ---- */

typedef enum ft_check_rule {
  FT_CHECK_SIZE = 1,      /* no physical width/height, wider or taller than allowed */
  FT_CHECK_VIEWBOX = 2,   /* the root has no viewBox */
  FT_CHECK_STROKE = 3,    /* a stroke thinner than the minimum at final size */
  FT_CHECK_FONT = 4,      /* a font family the journal does not list */
  FT_CHECK_FONT_SIZE = 5, /* text smaller or larger than allowed at final size */
  FT_CHECK_RASTER = 6     /* an embedded or linked raster <image> */
} ft_check_rule;

/* One broken rule, valid only during the callback. */
typedef struct ft_check_finding {
  int rule;            /* an ft_check_rule */
  const char *element; /* element name, "path" */
  const char *id;      /* its id attribute, or NULL */
  long line;           /* line in the file, 0 when unknown */
  double value;        /* what was measured (mm for sizes, pt for strokes and text), 0 n/a */
  double limit;        /* the limit it breaks, same unit, 0 n/a */
  const char *message; /* a sentence: "stroke 0.12 pt is thinner than 0.25 pt" */
} ft_check_finding;

typedef void (*ft_check_fn)(void *user, const ft_check_finding *f);

/* Lint the SVG document data[0..len) (name is used in messages) against
 * journal j (NULL: "none", which checks only viewBox, physical size and
 * raster images).  Lengths are converted to their final size through the
 * root's width/height and viewBox and every transform (translate, scale,
 * rotate, skewX, skewY, matrix) on the element and its ancestors; stroke
 * and font properties are read from presentation attributes and style=""
 * with inheritance.  A stroke counts at its thinnest (the smaller singular
 * value of the transform); values within 0.5% of a limit pass, for rounding
 * in files.  fn (may be NULL) is called for each finding in document order;
 * *nfindings (may be NULL) receives their number.  Returns FT_ERR_FORMAT
 * when data is not well-formed XML with an <svg> root, FT_ERR_NOMEM. */
FT_API FT_USERESULT ft_status ft_check_svg(ft_ctx *ctx, const char *data, size_t len,
                                           const char *name, const ft_journal *j,
                                           ft_check_fn fn, void *user, int *nfindings);

/* Embed img (the image the paths were traced from, same size as doc) under
 * doc's layers, never resampled: each channel mapped through one global
 * linear display window (p->window_lo..window_hi, or the p->pct_lo and
 * pct_hi percentiles of all samples), then gamma when allowed, and encoded
 * as an 8-bit PNG into doc->underlay_png.  Gray stays gray; an RGB image
 * whose blue channel is empty (a two-channel overlay) is shown as magenta
 * (red channel) and green, colour-blind safe.  Alpha is dropped.  The
 * window and gamma are recorded in the doc and in its description.  Filled
 * layers become outlines (black ones in yellow) of at least 0.5 pt, and the
 * scale bar and labels turn white where the image under them is dark.
 * FT_ERR_INVAL for a size mismatch, gamma != 1 without allow_nonlinear or a
 * bad window; on failure doc is unchanged. */
FT_API FT_USERESULT ft_status ft_style_underlay(ft_ctx *ctx, ft_doc *doc, const ft_image *img,
                                                const ft_style_params *p);

/* The scale-bar length ft_style picks for a figure span_um micrometres wide:
 * the largest of 1, 2, 5 x 10^k (k any integer) not above span_um / 5.
 * 0 when span_um is not positive and finite. */
FT_API double ft_scale_bar_length(double span_um);

/* Cleanup after segmentation for photographed pages: a copy of in where
 * every ink component (8-connected pixels of labels other than 0) that
 * touches the image border and has the shape of a shadow's corner there is
 * background (label 0).  For a side it touches with c pixels and reaches h
 * rows or columns deep (inclusive), it is such a wedge when h <= 2 c and
 * its area is at most 0.8 c h (a triangle is 0.5; a stroke running off
 * the page, at any angle, or along the edge is about 1).  Components not
 * touching the border are unchanged; info[].area is recomputed.  in may be
 * compact (the copy is too).  Errors: FT_ERR_INVAL (no map), FT_ERR_NOMEM.
 * OUT: caller frees with ft_labels_free(). */
FT_API FT_USERESULT ft_status ft_drop_border_wedges(ft_ctx *ctx, const ft_labels *in,
                                                    ft_labels **out);

#ifdef __cplusplus
}
#endif
#endif
