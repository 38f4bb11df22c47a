/* figtrace/segment_nn.h - segmentation with a U-Net: model lookup, the U-Net
 * segmenter, instance splitting and the instance label image.
 *
 *   ft_image --ft_segment_unet--> ft_labels (one label per nucleus, or ink)
 *
 * A model is named either by a path or by a short name ("nuclei") that
 * ft_model_find() resolves against the model directories.  The segmenter
 * prepares the image the way the shipped models were trained (gray,
 * polarity, object size), runs the network tiled (ft_model_run) and turns
 * the per-pixel class probabilities into labels:
 *   - 3 classes (background, interior, boundary): one label per object
 *     instance, class FT_CLASS_NUCLEUS (ft_split_instances);
 *   - 1 class (sigmoid) or 2 classes (background, ink): label 1 = ink where
 *     the ink probability exceeds 0.5, class FT_CLASS_INK.
 */
#ifndef FIGTRACE_SEGMENT_NN_H
#define FIGTRACE_SEGMENT_NN_H

#include "figtrace/common.h"
#include "figtrace/image.h"
#include "figtrace/labels.h"
#include "figtrace/nn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The segmenter a pipeline runs (ft_options.segmenter). */
typedef enum ft_segmenter {
  FT_SEGMENTER_THRESHOLD = 0, /* ft_segment: thresholds and colour quantisation */
  FT_SEGMENTER_UNET = 1       /* ft_segment_unet */
} ft_segmenter;

/* Longest model name or path ft_options holds, terminating NUL included. */
#define FT_MODEL_NAME_MAX 1024

/* ---- model lookup ---- */

/* Environment variable holding a colon-separated list of model directories,
 * searched first. */
#define FT_MODEL_PATH_ENV "FIGTRACE_MODEL_PATH"

/* Environment variable that, set to a non-empty value, limits the search
 * to $FIGTRACE_MODEL_PATH: neither the source tree's models/ nor the
 * installed model directory is searched (tests; runs that must not depend
 * on the models installed). */
#define FT_NO_DEFAULT_MODELS_ENV "FIGTRACE_NO_DEFAULT_MODELS"

/* Resolve a model name to a file path.  A name that contains '/' or ends in
 * ".safetensors" is a path and is returned as given (it must exist and be
 * readable).  Any other name is looked up as NAME.safetensors in, in order:
 * each directory of $FIGTRACE_MODEL_PATH, the source tree's models/
 * directory (for running from the build tree), and the installed model
 * directory (PKGDATADIR/models); these two not when $FIGTRACE_NO_DEFAULT_MODELS
 * is set.  Names are letters, digits, '-', '_' and
 * '.' only.  Fails with FT_ERR_MODEL and a message listing every place
 * looked in ("model: 'nuclei' not found (looked in: a/nuclei.safetensors,
 * ...)"), FT_ERR_INVAL for an empty or malformed name.
 * OUT: *path, a new string the caller frees with free(). */
FT_API FT_USERESULT ft_status ft_model_find(ft_ctx *ctx, const char *name, char **path);

/* The installed model directory compiled into the library (static string). */
FT_API const char *ft_model_dir(void);

/* ---- instance splitting ---- */

typedef struct ft_instance_params {
  double seed_threshold; /* interior probability above which a pixel seeds an
                            instance; 0..1, default 0.5 */
  double fg_threshold;   /* a pixel is foreground when its background probability
                            is below 1 - fg_threshold, i.e. interior + boundary >
                            fg_threshold; 0..1, default 0.5 */
  double min_peak;       /* instances whose highest interior probability is below
                            this are dropped: objects the network is unsure of
                            (seedless foreground pieces, whose interior stays below
                            seed_threshold, go whenever min_peak > seed_threshold);
                            0..1, default 0 (off) */
  int min_area;          /* instances (and seedless foreground pieces) smaller than
                            this many pixels are dropped; 0..1e9, default 30 */
  double hole_fraction;  /* a background hole enclosed by one instance is filled
                            when its area is below hole_fraction times the
                            instance's area or below min_area; 0..1, default 0.25.
                            Larger holes are kept as real holes. */
  double neck_split;     /* an instance whose distance-to-edge map has two or more
                            separate cores (pixels at least neck_split times the
                            instance's largest distance, cores of 4 pixels or
                            more) is cut between them along the watershed of the
                            distance, when every part keeps min_area pixels: two
                            touching round objects the network drew as one.
                            0 (off, the default) or 0.5..0.99 */
} ft_instance_params;

FT_API void ft_instance_params_init(ft_instance_params *p);

/* Instances from a 3-class probability map prob (n=1, c=3: background,
 * interior, boundary; h, w the map's size):
 *   1. seeds: 4-connected components of pixels with interior > seed_threshold
 *      that are foreground;
 *   2. growth: the seeds are flooded into the foreground (interior + boundary
 *      > fg_threshold) in order of decreasing interior probability, a
 *      priority-flood watershed (Meyer 1991; Beucher and Meyer 1993) with a
 *      256-level hierarchical queue, 4-neighbours, first come first served on
 *      ties, so touching objects are cut where the boundary class lies;
 *   3. foreground components no seed reached become an instance of their own;
 *   4. instances whose interior probability stays below min_peak, and
 *      instances below min_area, are dropped (to background);
 *   5. small holes are filled (see hole_fraction);
 *   6. instances without a real hole are cut at their necks (see neck_split).
 * Labels are numbered 1..N in raster order of each instance's first pixel,
 * class FT_CLASS_NUCLEUS.  colour (optional, may be NULL) is an image of the
 * same size whose mean colour per label fills info[].color (gray is
 * replicated; without an image colours are mid gray); areas are counted.
 * Returns FT_ERR_INVAL when prob is not 3 x h x w or a parameter is out of
 * range.  OUT: caller frees with ft_labels_free(). */
FT_API FT_USERESULT ft_status ft_split_instances(ft_ctx *ctx, const ft_tensor *prob,
                                                 const ft_image *colour,
                                                 const ft_instance_params *p, ft_labels **out);

/* ---- the U-Net segmenter ---- */

typedef enum ft_unet_invert {
  FT_UNET_INVERT_AUTO = 0, /* invert gray when the background is the bright side */
  FT_UNET_INVERT_NO = 1,
  FT_UNET_INVERT_YES = 2
} ft_unet_invert;

typedef struct ft_unet_params {
  const char *model;      /* name ("nuclei") or path, resolved by ft_model_find;
                             borrowed; default "nuclei".  Ignored when loaded is set. */
  const ft_model *loaded; /* an already loaded model to use instead; borrowed;
                             default NULL */
  int invert;             /* ft_unet_invert; default FT_UNET_INVERT_AUTO */
  double diameter;        /* typical object diameter in the input, pixels; 0 (default)
                             estimates it; ignored when the model records no
                             object_size or rescale is 0 */
  int rescale;            /* 1 (default): resize the input so objects get the model's
                             object_size; 0: run at native scale */
  double min_scale, max_scale; /* bounds of the resize factor; defaults 0.25 and 4 */
  ft_instance_params instances; /* for 3-class models; defaults as
                                   ft_instance_params_init except min_peak = 0.8,
                                   fg_threshold = 0
                                   (automatic: the outline level 0.6 where the
                                   objects are the bright side as stored, 0.5 where
                                   the image is inverted first; 0.05..0.95 sets it;
                                   the size checks split at the same level) and
                                   min_area = -1,
                                   which means: the area of a disc of 0.15 times the
                                   object diameter (given, else measured on the first
                                   run's objects, else estimated), at least 4 */
  int tile;               /* ft_model_params.tile; 0 (default): automatic, 1024 + two
                             of the model's margins (1152 for the depth-3 models,
                             1280 at depth 4: a 2048 px side runs as two tiles
                             either way, not three) */
  int refine;             /* 1 (default): with an estimated diameter and a 3-class model,
                             measure the objects the network finds (on probe windows,
                             or a first full run) and correct the scale when their
                             median diameter is more than 10% off the model's
                             object_size (see ft_segment_unet); 0: one run */
  double ink_threshold;   /* 1- and 2-class models: ink where p(ink) > this, 0.01..0.99;
                             0 (default): automatic, 0.5, or 0.45 when thin strokes
                             were magnified (see ft_segment_unet) */
  double scale;           /* > 0: run the network once, on the input resized by this
                             factor (0.25..4), whatever the model's object_size or
                             stroke width; 0 (default): automatic */
  int flips;              /* test-time flips: the image's full passes also run
                             mirrored left-right, top-bottom and both, the four
                             probability maps averaged (4x the network's time).
                             FT_UNET_FLIPS_AUTO (default): for 3-class models when
                             a pass has at most 1 Mpixel at the network's scale;
                             FT_UNET_FLIPS_YES, FT_UNET_FLIPS_NO: always, never */
} ft_unet_params;

enum { FT_UNET_FLIPS_AUTO = 0, FT_UNET_FLIPS_NO = 1, FT_UNET_FLIPS_YES = 2 };

FT_API void ft_unet_params_init(ft_unet_params *p);

/* Estimate the typical diameter in pixels of bright objects in a gray image
 * already oriented so objects are bright: Otsu's threshold on the 1..99.8
 * percentile range (after a Gaussian of sigma 1), 4-connected components,
 * and per component the largest inscribed disc (twice the maximum of the
 * chamfer distance transform).  A component not much larger than that disc
 * (equivalent-circle diameter 2 sqrt(area/pi) at most 1.4 times its width)
 * is one object and reports its equivalent-circle diameter, the measure the
 * models were trained with; a larger one (a clump of touching objects)
 * reports the inscribed width, one object's.  The result is the median over
 * components of at least 9 pixels weighted by the square root of their area
 * (fragments and specks of texture count less than whole objects).  The
 * clump check: where touching objects leave no gap below the threshold (a
 * dense embryo, a packed field) the components are several objects wide
 * however measured, so the result is compared with the typical size of the
 * image's blobs in a scale-normalised Laplacian-of-Gaussian scale space
 * (2 sqrt 2 times the median scale of its maxima above 0.3 of the
 * percentile range, on the image reduced to at most 512 px a side), which
 * finds each object of a clump; when the components read more than 3 times
 * that, the blobs' size is returned.
 * Returns 0 when no such component exists.  Reliable on fluorescence;
 * textured stains (H&E, brightfield) can break into fragments and read small,
 * which the segmenter's size probes correct. */
FT_API double ft_estimate_object_diameter(const ft_image *gray);

/* Segment in with a U-Net.  Steps:
 *   1. gray: the image's luminance (ft_image_to_gray, the weights the models
 *      were trained with), inverted when invert says so - under AUTO when its
 *      median lies above the middle of the model's norm_low..norm_high
 *      percentile range (bright background: brightfield, H&E), the rule the
 *      shipped models were trained with.  Models with 3 input channels get
 *      the colour image as is.
 *   2. scale: when the model records object_size and rescale is on, the
 *      object diameter d (params or ft_estimate_object_diameter) gives the
 *      factor s = object_size / d, clamped to [min_scale, max_scale]; the
 *      image is resized by s (antialiased tent filter).  Enlargements by
 *      less than 1.3 are not applied (the shipped models are trained with
 *      the size jittered by up to a factor 1.35), reductions by less than
 *      1.1 neither.
 *   3. the model runs tiled (ft_model_run, which applies its percentile
 *      normalisation).  With refine (3-class models, estimated diameter)
 *      the network is its own size model (as Cellpose's is): the median
 *      equivalent diameter of the instances it finds is compared with
 *      object_size.  On an image larger than 384^2 network pixels this is
 *      done first on probes - in each quadrant the window of at most 192^2
 *      network pixels with the most signal, the sizes pooled; at the
 *      estimated scale, then at the scale that suggests, then native,
 *      stopping at one within 10% - and the
 *      full pass runs once at the best probe's scale (held to 4 Mpixel, or
 *      the image's size, when no probe was within 10%).  On a smaller image,
 *      or when no probe found 3 whole objects, the full pass is repeated
 *      once at the corrected scale when more than 10% off.  At a
 *      scale other than 1 the instances are split at the network's scale
 *      and serve as markers at the input's scale, where the probabilities,
 *      resized back, give the final outlines.
 *      Ink models (1 or 2 classes, no object_size), rescale on: the
 *      typical stroke width w of the native pass's ink (4 m - 2, m the mean
 *      chamfer distance of its pixels to the background) decides a second
 *      pass: when 8 / w >= 1.25, the network runs again on the image
 *      magnified by 8 / w (at most max_scale and 16 Mpixel), whose map,
 *      resized back, replaces the first (thin strokes come out too thin at
 *      native size).  A given scale (params) runs once at that scale.
 *   4. 3-class models: ft_split_instances; 1- or 2-class models: ink where
 *      p(ink) > ink_threshold (automatic: 0.5 at native size, 0.45 after
 *      the magnified pass, where the ink area then matches the true ink's).
 * Label colours are the means of in; the pixel size is copied.  Errors:
 * lookup and load errors of the model (FT_ERR_MODEL, FT_ERR_IO), FT_ERR_INVAL
 * for parameters, FT_ERR_UNSUPPORTED for a model whose class count is not
 * 1, 2 or 3, FT_ERR_CANCELLED.  OUT: caller frees with ft_labels_free(). */
FT_API FT_USERESULT ft_status ft_segment_unet(ft_ctx *ctx, const ft_image *in,
                                              const ft_unet_params *p, ft_labels **out);

/* ---- label image ---- */

/* Write lab's label array as a 16-bit gray image for quantification (pixel
 * value = label, 0 background): PNG when path ends in .png, TIFF (deflate)
 * for .tif/.tiff, case-insensitive.  The file is written to a temporary
 * name in the same directory and renamed, so it is complete or absent.
 * FT_ERR_INVAL for another extension, FT_ERR_UNSUPPORTED when a label
 * exceeds 65535, FT_ERR_IO on write errors. */
FT_API FT_USERESULT ft_status ft_labels_write(ft_ctx *ctx, const ft_labels *lab,
                                              const char *path);

#ifdef __cplusplus
}
#endif
#endif
