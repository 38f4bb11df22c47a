/* figtrace/denoise.h - the denoise stage: ft_image -> ft_image filters.
 *
 * Every filter is a pure function: the input is const, params may be NULL
 * (defaults), the result is a new image of the same size, channel count and
 * metadata (gray alone returns one channel), returned through an OUT
 * parameter that the caller frees with ft_image_free(); on failure *out is
 * NULL and nothing is leaked.
 *
 * Borders: every filter treats pixels outside the image as copies of the
 * nearest edge pixel ("replicate" / clamp-to-edge), except where a comment
 * says otherwise.  Channels are filtered independently (alpha included)
 * unless a comment says otherwise.
 *
 * Threads: filters split their work over ft_ctx_threads(ctx) pthreads in
 * fixed-size row bands, so the output is bit-identical for any thread count.
 * Progress is reported (and a cancel noticed) per band, from the calling
 * thread only; a cancelled filter returns FT_ERR_CANCELLED.
 *
 * Filters can be chained from a spec string, "median:r=2,flatten:r=40",
 * parsed by ft_denoise_chain_parse (grammar in figtrace/spec.h) and run by
 * ft_denoise.  ft_denoise_describe lists the filters, keys, ranges and
 * defaults.
 *
 * Samples: the single filters (ft_median ... ft_normalize) need
 * FT_STORAGE_FLOAT images and fail with FT_ERR_INVAL on compact ones;
 * ft_denoise and ft_denoise_filter_apply take either (a compact image is
 * filtered as its float copy).  Results are always float.
 */
#ifndef FIGTRACE_DENOISE_H
#define FIGTRACE_DENOISE_H

#include "figtrace/common.h"
#include "figtrace/image.h"
#include "figtrace/spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- median ---- */

typedef struct ft_median_params {
  int radius; /* square window of (2r+1)^2 pixels; 1..100, default 1 ("r") */
  int bits;   /* samples are quantised to 2^bits levels before the median; 4..12,
                 default 8 ("bits") */
} ft_median_params;

FT_API void ft_median_params_init(ft_median_params *p);

/* Median over a (2r+1)x(2r+1) window with the constant-time histogram
 * algorithm of Perreault & Hebert (2007): per-column histograms plus a
 * two-level (coarse/fine) kernel histogram.  Each sample v is quantised to
 * q = round(v * (2^bits - 1)) and the output is q_med / (2^bits - 1), where
 * q_med is the exact median of the window's q; since quantisation is
 * monotone, this is the true median rounded to the nearest of 2^bits levels
 * (error <= 0.5 / (2^bits - 1)).  Use bits=12 for 16-bit data. */
FT_API FT_USERESULT ft_status ft_median(ft_ctx *ctx, const ft_image *in,
                                        const ft_median_params *p, ft_image **out);

/* ---- Gaussian ---- */

typedef enum ft_gauss_method {
  FT_GAUSS_AUTO = 0,     /* FIR below sigma 3, recursive from there */
  FT_GAUSS_FIR = 1,      /* separable kernel truncated at ceil(3 sigma) */
  FT_GAUSS_RECURSIVE = 2 /* Young & van Vliet (1995) third-order recursive filter */
} ft_gauss_method;

typedef struct ft_gaussian_params {
  double sigma; /* standard deviation in pixels; 0.1..500, default 1 ("sigma") */
  int method;   /* ft_gauss_method; default FT_GAUSS_AUTO ("method=auto|fir|recursive") */
} ft_gaussian_params;

FT_API void ft_gaussian_params_init(ft_gaussian_params *p);

/* Gaussian blur.  FIR: separable, normalised kernel exp(-x^2/2s^2) for
 * |x| <= ceil(3s), exactly the 2-D truncated Gaussian sum.  Recursive:
 * Young-van Vliet, cost independent of sigma, within about 1.5% of full
 * scale of the true Gaussian (tested on random data); lines are padded by
 * 4 sigma replicated samples so the passes' start-up does not show. */
FT_API FT_USERESULT ft_status ft_gaussian(ft_ctx *ctx, const ft_image *in,
                                          const ft_gaussian_params *p, ft_image **out);

/* ---- bilateral ---- */

typedef struct ft_bilateral_params {
  double sigma_s; /* spatial sigma in pixels; 0.5..20, default 2 ("sigma_s") */
  double sigma_r; /* range sigma in sample units; 0.001..1, default 0.1 ("sigma_r") */
} ft_bilateral_params;

FT_API void ft_bilateral_params_init(ft_bilateral_params *p);

/* Bilateral filter (Tomasi & Manduchi 1998), computed directly over a
 * window of radius ceil(2 sigma_s): weight exp(-d^2/2 sigma_s^2) *
 * exp(-D^2/2 sigma_r^2), where D is the Euclidean distance of the colour
 * channels (alpha excluded; alpha is averaged with the same weights).
 * The range weight is read from an 8192-entry table over D^2 in
 * [0, 36 sigma_r^2] (zero beyond 6 sigma_r), the one approximation (weights
 * within 6e-4 relative); cost O(sigma_s^2) per pixel. */
FT_API FT_USERESULT ft_status ft_bilateral(ft_ctx *ctx, const ft_image *in,
                                           const ft_bilateral_params *p, ft_image **out);

/* ---- non-local means ---- */

typedef struct ft_nlm_params {
  int search; /* search window radius; 1..20, default 5 ("search") */
  int patch;  /* patch radius; 0..5, default 1 ("patch") */
  double h;   /* filtering strength in sample units; 0.001..1, default 0.1 ("h") */
} ft_nlm_params;

FT_API void ft_nlm_params_init(ft_nlm_params *p);

/* Non-local means (Buades, Coll & Morel 2005) with the integral-image
 * evaluation of Darbon et al. (2008): for each offset d of the search window,
 * the squared differences E(x) = sum_c (I(x) - I(x+d))^2 are summed into an
 * integral image, so every patch distance is four look-ups.  The weight of
 * candidate q = p + d is exp(-dist / h^2) with dist the mean of E over the
 * (2 patch + 1)^2 patch and the channels; candidates outside the image are
 * skipped, patch samples outside it are replicated edge pixels. */
FT_API FT_USERESULT ft_status ft_nlm(ft_ctx *ctx, const ft_image *in, const ft_nlm_params *p,
                                     ft_image **out);

/* ---- grey morphology ---- */

typedef enum ft_morph_op {
  FT_MORPH_ERODE = 0,   /* minimum over the structuring element */
  FT_MORPH_DILATE = 1,  /* maximum */
  FT_MORPH_OPEN = 2,    /* erode then dilate: removes bright details smaller than it */
  FT_MORPH_CLOSE = 3,   /* dilate then erode: removes dark details */
  FT_MORPH_TOPHAT = 4,  /* white top-hat: in - open (bright details) */
  FT_MORPH_BLACKHAT = 5 /* black top-hat: close - in (dark details) */
} ft_morph_op;

typedef enum ft_morph_shape {
  FT_SHAPE_SQUARE = 0, /* (2r+1)^2 square */
  FT_SHAPE_DISC = 1    /* pixels with dx^2 + dy^2 <= r^2 */
} ft_morph_shape;

typedef struct ft_morph_params {
  int op;     /* ft_morph_op; default FT_MORPH_OPEN (set by the spec name) */
  int radius; /* 1..200, default 1 ("r") */
  int shape;  /* ft_morph_shape; default FT_SHAPE_SQUARE ("shape=square|disc") */
} ft_morph_params;

FT_API void ft_morph_params_init(ft_morph_params *p);

/* Grey-level morphology.  Squares are separable and use the van Herk /
 * Gil-Werman running max/min (three comparisons per sample, any radius);
 * discs are unions of horizontal runs, one van Herk pass per row offset
 * (O(r) per pixel).  Outside the image is ignored (replicate border). */
FT_API FT_USERESULT ft_status ft_morph(ft_ctx *ctx, const ft_image *in, const ft_morph_params *p,
                                       ft_image **out);

/* ---- background flattening ---- */

typedef enum ft_flatten_mode {
  FT_FLATTEN_DIVIDE = 0,  /* in / background (multiplicative shading, paper) */
  FT_FLATTEN_SUBTRACT = 1 /* in - background (additive offset, fluorescence) */
} ft_flatten_mode;

typedef enum ft_flatten_polarity {
  FT_FLATTEN_DARK = 0, /* dark objects on a bright background (ink on paper) */
  FT_FLATTEN_LIGHT = 1 /* bright objects on a dark background (fluorescence) */
} ft_flatten_polarity;

typedef struct ft_flatten_params {
  int radius;   /* background structure size in pixels, larger than the objects;
                   2..1000, default 40 ("r") */
  int mode;     /* ft_flatten_mode; default FT_FLATTEN_DIVIDE ("mode=divide|subtract") */
  int polarity; /* ft_flatten_polarity; default FT_FLATTEN_DARK ("polarity=dark|light") */
} ft_flatten_params;

FT_API void ft_flatten_params_init(ft_flatten_params *p);

/* Flatten uneven illumination.  The background B is the grey closing (dark
 * objects) or opening (light objects) with a square of radius r, which
 * removes every object narrower than 2r+1, smoothed by a Gaussian of sigma
 * r/2.  Divide gives in / B (B floored at 1/1024), subtract gives in - B,
 * for either polarity.
 * The result is then renormalised linearly so that its minimum maps to 0
 * and its maximum to 1, per channel.  Colour channels only; alpha is copied. */
FT_API FT_USERESULT ft_status ft_flatten(ft_ctx *ctx, const ft_image *in,
                                         const ft_flatten_params *p, ft_image **out);

/* ---- percentile normalisation ---- */

typedef struct ft_normalize_params {
  double low;  /* lower percentile mapped to 0; 0..100, default 0.5 ("low") */
  double high; /* upper percentile mapped to 1; 0..100, > low, default 99.5 ("high") */
} ft_normalize_params;

FT_API void ft_normalize_params_init(ft_normalize_params *p);

/* Contrast stretch: the low and high percentiles of all colour samples
 * (alpha excluded; one pair for all colour channels so hues are kept) map to
 * 0 and 1, the rest linearly, clipped to [0,1].  Percentiles come from a
 * 65536-bin histogram, exact for 8- and 16-bit data: percentile P is the
 * smallest bin value v with at least P% of samples <= v.  A flat image
 * (both percentiles equal) is returned unchanged. */
FT_API FT_USERESULT ft_status ft_normalize(ft_ctx *ctx, const ft_image *in,
                                           const ft_normalize_params *p, ft_image **out);

/* ---- luminance ---- */

/* The filter "gray" (no keys) is ft_image_to_gray (image.h): Rec. 709
 * luminance, alpha composited onto white, one channel; the one filter that
 * changes the channel count.  Thresholds read the luminance anyway, so
 * putting it first in a chain that ends in a threshold divides the work of
 * the later filters by three (colour quantisation needs the colours). */

/* ---- chains ---- */

typedef enum ft_filter_kind {
  FT_FILTER_MEDIAN = 0,
  FT_FILTER_GAUSSIAN,
  FT_FILTER_BILATERAL,
  FT_FILTER_NLM,
  FT_FILTER_ERODE,
  FT_FILTER_DILATE,
  FT_FILTER_OPEN,
  FT_FILTER_CLOSE,
  FT_FILTER_TOPHAT,
  FT_FILTER_BLACKHAT,
  FT_FILTER_FLATTEN,
  FT_FILTER_NORMALIZE,
  FT_FILTER_GRAY,
  FT_FILTER_COUNT
} ft_filter_kind;

typedef struct ft_denoise_filter {
  int kind; /* ft_filter_kind */
  union {
    ft_median_params median;
    ft_gaussian_params gaussian;
    ft_bilateral_params bilateral;
    ft_nlm_params nlm;
    ft_morph_params morph; /* the six morphology kinds; op matches the kind */
    ft_flatten_params flatten;
    ft_normalize_params normalize;
  } u;
} ft_denoise_filter;

typedef struct ft_denoise_chain {
  int n;
  ft_denoise_filter *filters; /* [n], applied in order */
} ft_denoise_chain;

/* Parse a chain spec such as "median:r=2,flatten:r=40,mode=divide"; filter
 * names are the lower-case ft_filter_kind names (median, gaussian,
 * bilateral, nlm, erode, dilate, open, close, tophat, blackhat, flatten,
 * normalize, gray).  Errors are FT_ERR_INVAL with a message listing what is
 * accepted.  An empty spec gives an empty chain.
 * OUT: *out, caller frees with ft_denoise_chain_free(). */
FT_API FT_USERESULT ft_status ft_denoise_chain_parse(ft_ctx *ctx, const char *spec,
                                                     ft_denoise_chain **out);
FT_API void ft_denoise_chain_free(ft_denoise_chain *chain);

/* Apply the chain's filters in order (params checked first).  A NULL or
 * empty chain gives a copy of in (same storage).  Each filter gets an equal share of the
 * progress range and reports per band of rows; when the progress callback
 * cancels, the running filter stops at its next band and FT_ERR_CANCELLED
 * is returned with nothing leaked.  OUT: caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_denoise(ft_ctx *ctx, const ft_image *in,
                                         const ft_denoise_chain *chain, ft_image **out);

/* Apply one filter.  OUT: caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_denoise_filter_apply(ft_ctx *ctx, const ft_image *in,
                                                      const ft_denoise_filter *f,
                                                      ft_image **out);

/* The descriptor tables of the filters, indexed by ft_filter_kind; *n gets
 * FT_FILTER_COUNT.  Static storage. */
FT_API const ft_spec_kind *ft_denoise_kinds(int *n);

/* Describe every filter, key, range and default for --help, one line per
 * call of fn (see ft_spec_describe). */
FT_API void ft_denoise_describe(ft_spec_line_fn fn, void *user);

#ifdef __cplusplus
}
#endif
#endif
