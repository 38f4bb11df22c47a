/* tools/bench/filters/bench_filters.c - throughput of the denoise filters
 * and adaptive thresholds in megapixels per second per core.
 *
 * Usage: bench_filters [SIZE [REPEATS [CHAIN...]]]   (default 4096 3)
 * Runs each filter on one thread over a SIZE x SIZE gray image of smooth
 * structure plus noise and reports MP / CPU-second (process CPU time, so a
 * busy machine inflates wall time but not the figure), best of REPEATS.
 * CHAIN arguments (denoise specs) replace the default list of filters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "figtrace.h"

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  static const char *const chains[] = {"median:r=1",        "median:r=2",
                                       "median:r=2,bits=12", "median:r=8",
                                       "gaussian:sigma=1",  "gaussian:sigma=2",
                                       "gaussian:sigma=8",  "open:r=3",
                                       "open:r=3,shape=disc", "flatten:r=8",
                                       "flatten:r=40",      "normalize",
                                       "bilateral:sigma_s=2", "nlm:search=5,patch=1", NULL};
  const char *const *list = argc > 3 ? (const char *const *)argv + 3 : chains;
  int size = argc > 1 ? atoi(argv[1]) : 4096, reps = argc > 2 ? atoi(argv[2]) : 3, i, k;
  ft_ctx *ctx = ft_ctx_new();
  ft_image *img = NULL;
  uint32_t rng = 7;
  size_t n;
  double mp;
  if (!ctx || size < 16 || reps < 1 || ft_image_new(ctx, size, size, 1, &img)) return 2;
  ft_ctx_set_threads(ctx, 1);
  n = (size_t)size * size;
  mp = n / 1e6;
  for (i = 0; i < (int)n; i++) {
    int x = i % size, y = i / size;
    rng = rng * 1664525u + 1013904223u;
    img->data[i] = 0.5f + 0.3f * ((x / 37 + y / 53) % 2 ? 1.0f : -1.0f) +
                   0.15f * ((float)(rng >> 8) / 16777216.0f - 0.5f);
  }
  printf("%-24s %10s %10s\n", "filter", "cpu_s", "MP/s/core");
  for (k = 0; list[k]; k++) {
    ft_denoise_chain *ch = NULL;
    double best = 1e30;
    int r = reps;
    if (ft_denoise_chain_parse(ctx, list[k], &ch)) return 1;
    /* the slow filters run once on a quarter of the image */
    if (!strncmp(list[k], "bilateral", 9) || !strncmp(list[k], "nlm", 3)) r = 1;
    for (i = 0; i < r; i++) {
      ft_image *out = NULL, *sub = NULL;
      const ft_image *src = img;
      double t0, t;
      if (r == 1 && reps > 0 && (!strncmp(list[k], "bilateral", 9) || !strncmp(list[k], "nlm", 3))) {
        if (ft_image_new(ctx, size, size / 4, 1, &sub)) return 1;
        memcpy(sub->data, img->data, (size_t)size * (size / 4) * sizeof(float));
        src = sub;
      }
      t0 = cpu_now();
      if (ft_denoise(ctx, src, ch, &out)) {
        fprintf(stderr, "%s: %s\n", list[k], ft_ctx_errmsg(ctx));
        return 1;
      }
      t = cpu_now() - t0;
      if (sub) t *= 4.0;
      if (t < best) best = t;
      ft_image_free(out);
      ft_image_free(sub);
    }
    printf("%-24s %10.3f %10.1f\n", list[k], best, mp / best);
    ft_denoise_chain_free(ch);
  }
  for (k = 0; k < 3 && argc <= 3; k++) { /* the local midpoint at sigma 4 (full grid), 8, 16 */
    ft_midpoint_params p;
    double best = 1e30;
    char name[40];
    ft_midpoint_params_init(&p);
    p.sigma = 4 << k;
    for (i = 0; i < reps; i++) {
      ft_labels *lab = NULL;
      double t0 = cpu_now(), t;
      if (ft_midpoint_threshold(ctx, img, &p, &lab)) return 1;
      t = cpu_now() - t0;
      if (t < best) best = t;
      ft_labels_free(lab);
    }
    snprintf(name, sizeof name, "midpoint:sigma=%d", 4 << k);
    printf("%-24s %10.3f %10.1f\n", name, best, mp / best);
  }
  if (argc <= 3) {
    static const int methods[] = {FT_ADAPTIVE_SAUVOLA, FT_ADAPTIVE_NIBLACK};
    static const char *const names[] = {"sauvola:window=25", "niblack:window=25"};
    for (k = 0; k < 2; k++) {
      ft_adaptive_params p;
      double best = 1e30;
      ft_adaptive_params_init(&p);
      p.method = methods[k];
      for (i = 0; i < reps; i++) {
        ft_labels *lab = NULL;
        double t0 = cpu_now(), t;
        if (ft_adaptive_threshold(ctx, img, &p, &lab)) return 1;
        t = cpu_now() - t0;
        if (t < best) best = t;
        ft_labels_free(lab);
      }
      printf("%-24s %10.3f %10.1f\n", names[k], best, mp / best);
    }
  }
  ft_image_free(img);
  ft_ctx_free(ctx);
  return 0;
}
