/* src/denoise/parallel.c - a small parallel-for over pthreads.
 *
 * Items are grouped into fixed chunks and handed out through a mutex-guarded
 * counter; the calling thread works too.  Each item is processed once, by a
 * call that sees the same inputs whatever the thread count, so filters that
 * write each item's output independently give identical results for 1 or
 * N threads.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "denoise/internal.h"

typedef struct job {
  pthread_mutex_t lock;
  int next, n, chunk, failed;
  ft__work_fn fn;
  void *arg;
} job;

static void *worker(void *p) {
  job *j = p;
  for (;;) {
    int lo, hi, failed;
    pthread_mutex_lock(&j->lock);
    lo = j->next;
    failed = j->failed;
    if (lo < j->n) j->next = lo + j->chunk;
    pthread_mutex_unlock(&j->lock);
    if (lo >= j->n || failed) break;
    hi = lo + j->chunk < j->n ? lo + j->chunk : j->n;
    if (j->fn(j->arg, lo, hi)) {
      pthread_mutex_lock(&j->lock);
      j->failed = 1;
      pthread_mutex_unlock(&j->lock);
    }
  }
  return NULL;
}

ft_status ft__parallel(ft_ctx *ctx, const char *domain, int n, int chunk, ft__work_fn fn,
                       void *arg) {
  job j;
  pthread_t tid[256];
  int nthreads = ft_ctx_threads(ctx), started = 0, i;
  if (n <= 0) return FT_OK;
  if (chunk < 1) chunk = 1;
  if (nthreads > (n + chunk - 1) / chunk) nthreads = (n + chunk - 1) / chunk;
  if (nthreads > 256) nthreads = 256;
  if (nthreads <= 1) {
    for (i = 0; i < n; i += chunk)
      if (fn(arg, i, i + chunk < n ? i + chunk : n)) return ft__nomem(ctx, domain);
    return FT_OK;
  }
  memset(&j, 0, sizeof j);
  if (pthread_mutex_init(&j.lock, NULL)) return ft__fail(ctx, FT_ERR_INTERNAL, "%s: mutex", domain);
  j.n = n;
  j.chunk = chunk;
  j.fn = fn;
  j.arg = arg;
  for (i = 0; i < nthreads - 1; i++) {
    if (pthread_create(&tid[started], NULL, worker, &j)) break;
    started++;
  }
  worker(&j);
  for (i = 0; i < started; i++) pthread_join(tid[i], NULL);
  pthread_mutex_destroy(&j.lock);
  return j.failed ? ft__nomem(ctx, domain) : FT_OK;
}

ft_status ft__image_like(ft_ctx *ctx, const ft_image *in, ft_image **out) {
  ft_image *img;
  ft_status st = ft_image_new(ctx, in->width, in->height, in->channels, &img);
  *out = NULL;
  if (st) return st;
  img->bit_depth = in->bit_depth;
  img->pixel_w = in->pixel_w;
  img->pixel_h = in->pixel_h;
  if ((st = ft_image_set_name(ctx, img, in->name))) {
    ft_image_free(img);
    return st;
  }
  *out = img;
  return FT_OK;
}
