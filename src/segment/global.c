/* src/segment/global.c - Li and triangle thresholds on histograms.
 *
 * Li: minimum cross entropy between the image and its two-level
 * approximation (C. H. Li and C. K. Lee, 1993), minimised by the fixed-point
 * iteration of Li and Tam (1998): with m0 and m1 the means below and above
 * t, the optimum satisfies t = (m0 - m1) / (ln m0 - ln m1), iterated from
 * the overall mean until t settles.  Bin values are the bin centres
 * (i + 0.5) / n, always positive, so the logarithms are defined.
 *
 * Triangle: G. W. Zack, W. E. Rogers and S. A. Latt (1977), the line from
 * the peak to just past the end of the longer tail, and the bin lying
 * furthest below it.
 */
#include "config.h"

#include <math.h>

#include "core/internal.h"
#include "figtrace/thresholds.h"

double ft_li_threshold(const uint64_t *hist, int n) {
  double total = 0.0, sum = 0.0, t, tol = 1e-6 / n;
  int i, iter, first = -1, last = -1, lastlow;
  if (!hist || n < 1) return -1.0;
  for (i = 0; i < n; i++)
    if (hist[i]) {
      if (first < 0) first = i;
      last = i;
      total += (double)hist[i];
      sum += (double)hist[i] * (i + 0.5) / n;
    }
  if (first < 0) return -1.0;
  if (first == last) return (double)(first + 1) / n;
  t = sum / total;
  for (iter = 0; iter < 1000; iter++) {
    double c0 = 0.0, s0 = 0.0, m0, m1, tn;
    for (i = 0; i < n && (i + 0.5) / n <= t; i++) {
      c0 += (double)hist[i];
      s0 += (double)hist[i] * (i + 0.5) / n;
    }
    if (c0 <= 0.0 || c0 >= total) break;
    m0 = s0 / c0;
    m1 = (sum - s0) / (total - c0);
    tn = (m0 - m1) / (log(m0) - log(m1));
    if (fabs(tn - t) < tol) {
      t = tn;
      break;
    }
    t = tn;
  }
  /* the last bin whose centre is <= t closes the lower class */
  lastlow = (int)floor(t * n - 0.5);
  if (lastlow < first) lastlow = first;
  if (lastlow >= last) lastlow = last - 1;
  return (double)(lastlow + 1) / n;
}

double ft_triangle_threshold(const uint64_t *hist, int n) {
  int i, lo = -1, hi = -1, peak = 0, best;
  double hp, bestd;
  if (!hist || n < 1) return -1.0;
  for (i = 0; i < n; i++)
    if (hist[i]) {
      if (lo < 0) lo = i;
      hi = i;
      if (hist[i] > hist[peak]) peak = i;
    }
  if (lo < 0) return -1.0;
  if (!hist[peak]) peak = lo;
  hp = (double)hist[peak];
  if (lo == hi) return (double)(lo + 1) / n;
  if (hi - peak >= peak - lo) {
    /* tail above the peak: line (peak, hp) -> (hi + 1, 0) */
    double span = (double)(hi + 1 - peak);
    best = peak;
    bestd = 0.0;
    for (i = peak + 1; i <= hi; i++) {
      double d = hp * (hi + 1 - i) / span - (double)hist[i];
      if (d > bestd) bestd = d, best = i;
    }
    return (double)(best + 1) / n;
  } else {
    /* tail below the peak: line (lo - 1, 0) -> (peak, hp) */
    double span = (double)(peak - lo + 1);
    best = peak;
    bestd = 0.0;
    for (i = lo; i < peak; i++) {
      double d = hp * (i - lo + 1) / span - (double)hist[i];
      if (d > bestd) bestd = d, best = i;
    }
    return (double)best / n;
  }
}
