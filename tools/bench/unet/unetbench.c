/* tools/bench/unet/unetbench.c - time figtrace's U-Net forward pass.
 *
 *   unetbench MODEL SIZE [REPS [THREADS [TILE]]]
 *       runs ft_model_run on a SIZE x SIZE synthetic gray image once to warm
 *       up, then REPS times (default 3); prints "ms=<best> gflops=<rate>".
 *   unetbench --check MODEL INPUT.f32 OUTPUT.f32
 *       runs the model on a make_vectors.py input, prints "maxdiff=<max |C - ref|>".
 *   unetbench --sgemm N [THREADS]
 *       the GEMM ceiling: best of 3 cblas_sgemm N x N x N, "gflops=<rate>".
 *
 * Timing is wall-clock (CLOCK_MONOTONIC); FLOPs come from ft_model_flops()
 * (2 per multiply-add, no tile overlap counted).
 */
#include "config.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "figtrace.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int sgemm_ceiling(int n, int threads) {
  size_t nn = (size_t)n * n, i;
  float *a = malloc(nn * sizeof(float)), *b = malloc(nn * sizeof(float)),
        *c = malloc(nn * sizeof(float));
  double best = 1e30;
  int r;
  if (!a || !b || !c) return 1;
  for (i = 0; i < nn; i++) a[i] = b[i] = (float)(i % 7) * 0.1f;
  openblas_set_num_threads(threads);
  for (r = 0; r < 4; r++) {
    double t0 = now();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
    t0 = now() - t0;
    if (r && t0 < best) best = t0; /* the first call warms up */
  }
  printf("gflops=%.1f\n", 2.0 * n * nn / best * 1e-9);
  free(a), free(b), free(c);
  return 0;
}

static void *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *b;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  b = malloc((size_t)n);
  *len = b ? fread(b, 1, (size_t)n, f) : 0;
  fclose(f);
  return b;
}

static int check(const char *model, const char *input, const char *ref) {
  ft_ctx *ctx = ft_ctx_new();
  ft_model *m = NULL;
  ft_image *im = NULL;
  ft_tensor *out = NULL;
  size_t li, lr, i, n;
  unsigned char *bi = slurp(input, &li), *br = slurp(ref, &lr);
  int32_t hi[3], hr[3];
  double e = 0.0;
  if (!bi || !br || li < 12 || lr < 12) return 1;
  memcpy(hi, bi, sizeof hi);
  memcpy(hr, br, sizeof hr);
  if (ft_model_load(ctx, model, &m) || ft_image_new(ctx, hi[1], hi[0], hi[2], &im)) {
    fprintf(stderr, "unetbench: %s\n", ft_ctx_errmsg(ctx));
    return 1;
  }
  memcpy(im->data, bi + 12, sizeof(float) * (size_t)hi[0] * hi[1] * hi[2]);
  if (ft_model_run(ctx, m, im, NULL, &out)) {
    fprintf(stderr, "unetbench: %s\n", ft_ctx_errmsg(ctx));
    return 1;
  }
  n = (size_t)hr[0] * hr[1] * hr[2];
  if (out->c != hr[0] || out->h != hr[1] || out->w != hr[2] || lr != 12 + 4 * n) return 1;
  for (i = 0; i < n; i++) {
    float r;
    memcpy(&r, br + 12 + 4 * i, 4);
    if (fabs(out->data[i] - r) > e) e = fabs(out->data[i] - r);
  }
  printf("maxdiff=%.3g\n", e);
  ft_tensor_free(out);
  ft_image_free(im);
  ft_model_free(m);
  ft_ctx_free(ctx);
  free(bi);
  free(br);
  return 0;
}

int main(int argc, char **argv) {
  ft_ctx *ctx;
  ft_model *m = NULL;
  ft_image *im = NULL;
  ft_model_params p;
  int size, reps, r, x, y;
  double best = 1e30;
  if (argc >= 5 && !strcmp(argv[1], "--check")) return check(argv[2], argv[3], argv[4]);
  if (argc >= 3 && !strcmp(argv[1], "--sgemm"))
    return sgemm_ceiling(atoi(argv[2]), argc > 3 ? atoi(argv[3]) : 1);
  if (argc < 3) {
    fprintf(stderr, "usage: unetbench MODEL SIZE [REPS [THREADS [TILE]]] | --sgemm N [THREADS]\n");
    return 2;
  }
  size = atoi(argv[2]);
  reps = argc > 3 ? atoi(argv[3]) : 3;
  ctx = ft_ctx_new();
  ft_model_params_init(&p);
  if (argc > 4) p.threads = atoi(argv[4]);
  if (argc > 5) p.tile = atoi(argv[5]);
  if (ft_model_load(ctx, argv[1], &m) || ft_image_new(ctx, size, size, 1, &im)) {
    fprintf(stderr, "unetbench: %s\n", ft_ctx_errmsg(ctx));
    return 1;
  }
  for (y = 0; y < size; y++)
    for (x = 0; x < size; x++)
      im->data[(size_t)y * size + x] =
          0.5f + 0.4f * sinf(x * 0.05f) * cosf(y * 0.03f) + 0.05f * (float)((x * 7 + y * 13) % 11) / 11;
  for (r = 0; r <= reps; r++) {
    ft_tensor *out = NULL;
    double t0 = now();
    if (ft_model_run(ctx, m, im, &p, &out)) {
      fprintf(stderr, "unetbench: %s\n", ft_ctx_errmsg(ctx));
      return 1;
    }
    t0 = now() - t0;
    if (r && t0 < best) best = t0;
    ft_tensor_free(out);
  }
  printf("ms=%.1f gflops=%.2f\n", best * 1e3, ft_model_flops(m, size, size) / best * 1e-9);
  ft_image_free(im);
  ft_model_free(m);
  ft_ctx_free(ctx);
  return 0;
}
