/* figtrace/thresholds.h - threshold methods beyond Otsu, as standalone functions.
 *
 * Global thresholds work on a histogram of n bins over [0,1] (bin i stands
 * for the value (i + 0.5) / n) and return, like ft_otsu_threshold, the upper
 * edge t of the last bin of the lower (darker) class: values <= t form the
 * lower class.  Adaptive thresholds compare each pixel with a threshold from
 * the mean and standard deviation of its window, computed from integral
 * images.  Hysteresis keeps weak pixels connected to strong ones.  The
 * local midpoint puts the threshold half way between local paper and ink
 * levels.  The functions producing maps return two-label ft_labels (0
 * background, 1 ink of class FT_CLASS_INK with mean colours) on the
 * luminance of the input.
 */
#ifndef FIGTRACE_THRESHOLDS_H
#define FIGTRACE_THRESHOLDS_H

#include "figtrace/common.h"
#include "figtrace/image.h"
#include "figtrace/labels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Li's minimum cross entropy threshold (C. H. Li and C. K. Lee, Pattern
 * Recognition 26(4), 1993), found with the iteration of C. H. Li and
 * P. K. S. Tam (Pattern Recognition Letters 19, 1998):
 * t <- (m_low - m_high) / (ln m_low - ln m_high), m the class means, until
 * t moves less than 1e-6 of a bin.  Returns -1 when the histogram is empty,
 * and the edge of the single occupied bin when only one is occupied. */
FT_API double ft_li_threshold(const uint64_t *hist, int n);

/* Zack's triangle threshold (G. W. Zack, W. E. Rogers and S. A. Latt,
 * J. Histochem. Cytochem. 25(7), 1977): draw a line from the histogram peak
 * to one bin past the far end of the longer tail; the threshold bin is the
 * one of greatest vertical distance below that line (same as the greatest
 * perpendicular distance).  For a tail above the peak (bright objects on a
 * dark background) the threshold bin joins the lower class; for a tail below
 * it (dark ink on bright paper) it joins the upper class.  Suited to
 * unimodal, skewed histograms.  Returns -1 when the histogram is empty. */
FT_API double ft_triangle_threshold(const uint64_t *hist, int n);

typedef enum ft_adaptive_method {
  FT_ADAPTIVE_SAUVOLA = 0, /* T = m (1 + k (s / R - 1)); J. Sauvola and M. Pietikainen,
                              Pattern Recognition 33, 2000 */
  FT_ADAPTIVE_NIBLACK = 1  /* T = m + k s; W. Niblack, An Introduction to Digital Image
                              Processing, 1986 */
} ft_adaptive_method;

typedef struct ft_adaptive_params {
  int method;   /* ft_adaptive_method; default FT_ADAPTIVE_SAUVOLA */
  int window;   /* odd window side in pixels, 3..4095; default 25 */
  double k;     /* weight of the deviation, -1..1; default 0.2 (Sauvola; use about
                   -0.2 with Niblack for dark ink) */
  double range; /* Sauvola's R, the dynamic range of s, in (0, 1]; default 0.5 */
  int polarity; /* ft_polarity (stages.h): FT_POLARITY_LIGHT makes pixels > T ink;
                   anything else makes pixels <= T ink (dark ink on paper); default dark */
} ft_adaptive_params;

/* Defaults: Sauvola, window 25, k 0.2, range 0.5, dark ink. */
FT_API void ft_adaptive_params_init(ft_adaptive_params *p);

/* The threshold surface T(x, y) of the luminance of in, one channel.  The
 * window is clipped at the borders (mean and deviation of the pixels that
 * lie inside).  Luminance is quantised to 16 bits (v * 65535 rounded) and
 * summed into 64-bit integer integral images, per band of rows, so the sums
 * are exact for any image size and any thread count.  Params are checked:
 * window odd and in 3..4095, k in [-1, 1], range in (0, 1].
 * OUT: caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_adaptive_threshold_map(ft_ctx *ctx, const ft_image *in,
                                                        const ft_adaptive_params *p,
                                                        ft_image **out);

/* Binarise with the adaptive threshold: ink where the quantised luminance
 * q / 65535 <= T (dark polarity) or > T (light).
 * OUT: caller frees with ft_labels_free(). */
FT_API FT_USERESULT ft_status ft_adaptive_threshold(ft_ctx *ctx, const ft_image *in,
                                                    const ft_adaptive_params *p,
                                                    ft_labels **out);

typedef struct ft_hysteresis_params {
  double low, high;  /* 0 <= low <= high <= 1; defaults 0.3 and 0.6 */
  int connectivity;  /* 4 or 8; default 8 */
  int polarity;      /* ft_polarity: FT_POLARITY_DARK (default) or FT_POLARITY_LIGHT */
} ft_hysteresis_params;

FT_API void ft_hysteresis_params_init(ft_hysteresis_params *p);

/* Hysteresis thresholding (J. Canny, IEEE PAMI 8(6), 1986) on the
 * luminance.  Light polarity: strong pixels are >= high, weak >= low;
 * dark: strong <= low, weak <= high.  Ink is every weak or strong pixel
 * connected (4- or 8-) through weak or strong pixels to a strong one.
 * OUT: caller frees with ft_labels_free(). */
FT_API FT_USERESULT ft_status ft_hysteresis_threshold(ft_ctx *ctx, const ft_image *in,
                                                      const ft_hysteresis_params *p,
                                                      ft_labels **out);

typedef struct ft_midpoint_params {
  double sigma;    /* Gaussian scale in pixels over which the paper and ink levels are
                      averaged; 0.5..200, default 8 */
  int core;        /* the ink level is read from first-guess ink eroded by a square of
                      this radius (the stroke interiors, away from blurred edges);
                      0..20, default 1 */
  double fraction; /* where the threshold sits from the paper level (0) to the ink
                      level (1); 0.05..0.95, default 0.5 */
  int polarity;    /* ft_polarity: FT_POLARITY_AUTO (default) takes the minority side of
                      the first guess as ink, DARK and LIGHT force it */
} ft_midpoint_params;

/* Defaults: sigma 8, core 1, fraction 0.5, polarity auto. */
FT_API void ft_midpoint_params_init(ft_midpoint_params *p);

/* The threshold surface of the local-midpoint method on the luminance of in
 * (one channel, luminance units): T = P + fraction (I - P), where P and I
 * are the local paper and ink levels, each a normalised Gaussian average
 * (sigma) of the luminance over its own sample pixels:
 *   - a first guess splits the image with Otsu's threshold (the histogram
 *     of ft_segment: 256 bins up to 8 bits, 65536 above);
 *   - ink samples: first-guess ink eroded by a (2 core + 1)^2 square (the
 *     image border replicated);
 *   - paper samples: pixels farther than core + 1 (Chebyshev distance)
 *     from any first-guess ink;
 *   - P(x) = ((G*(v s_p))(x) + e P0) / ((G*s_p)(x) + e) with s_p the paper
 *     indicator, G the Gaussian blur of ft_gaussian (FIR below sigma 3,
 *     recursive from there; replicate border), e = 1e-3 and P0 the mean of
 *     all paper samples, and likewise I(x) with
 *     the ink samples; where a side has no samples of its own nearby, its
 *     global mean takes over.  When the erosion leaves no ink sample the
 *     ink samples are the whole first-guess ink; without paper samples,
 *     the whole first-guess background.
 * When the first guess puts every pixel on one side (a uniform image),
 * there is no ink: the surface is -1 (dark ink) or 2 (light ink)
 * everywhere.  With a flattened page (flatten filter) the paper level is
 * about 1 and ink level is the local stroke darkness, so the threshold
 * sits at half the local stroke contrast, where an anti-aliased or
 * blurred edge of a pen stroke lies.  From sigma 8 on, the two levels are
 * computed on cells of floor(sigma / 4) pixels square (sums per cell,
 * Gaussian of sigma / cell over the cells, bilinear interpolation back),
 * which changes them by under about 3% of the contrast and costs a
 * fraction of a full-resolution Gaussian.  A stroke that the first guess
 * misses entirely stays paper.  OUT: caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_midpoint_threshold_map(ft_ctx *ctx, const ft_image *in,
                                                        const ft_midpoint_params *p,
                                                        ft_image **out);

/* Binarise with the local midpoint: ink where the luminance v <= T (dark
 * ink) or v > T (light ink), with the polarity of the params (auto: the
 * minority side of the first guess).  A uniform image gives no ink.
 * OUT: caller frees with ft_labels_free(). */
FT_API FT_USERESULT ft_status ft_midpoint_threshold(ft_ctx *ctx, const ft_image *in,
                                                    const ft_midpoint_params *p,
                                                    ft_labels **out);

#ifdef __cplusplus
}
#endif
#endif
