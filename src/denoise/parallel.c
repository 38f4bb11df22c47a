/* src/denoise/parallel.c - a small parallel-for over pthreads.
 *
 * Items are grouped into fixed chunks and handed out through a mutex-guarded
 * counter; the calling thread works too, and is the only one that reports
 * progress (so the callback never runs on a worker thread) and notices a
 * cancel, after which no new chunk starts.  Each item is processed once, by a
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
  int next, n, chunk, done; /* next item to hand out; chunks finished */
  int failed;               /* 1 out of memory, 2 cancelled: no new chunks start */
  ft__work_fn fn;
  void *arg;
  ft_ctx *ctx;              /* progress goes through it, from the calling thread only */
  double f0, f1;
  ft_status cancel_status;
} job;

static void run_chunks(job *j, int is_caller) {
  const int nchunks = (j->n + j->chunk - 1) / j->chunk;
  for (;;) {
    int lo, hi, failed, done;
    pthread_mutex_lock(&j->lock);
    lo = j->next;
    failed = j->failed;
    if (lo < j->n && !failed) j->next = lo + j->chunk;
    pthread_mutex_unlock(&j->lock);
    if (lo >= j->n || failed) break;
    hi = lo + j->chunk < j->n ? lo + j->chunk : j->n;
    failed = j->fn(j->arg, lo, hi) ? 1 : 0;
    pthread_mutex_lock(&j->lock);
    if (failed && !j->failed) j->failed = 1;
    done = ++j->done;
    pthread_mutex_unlock(&j->lock);
    if (is_caller && !failed) {
      ft_status st = ft__progress(j->ctx, j->f0 + (j->f1 - j->f0) * done / nchunks);
      if (st) {
        pthread_mutex_lock(&j->lock);
        if (!j->failed) j->failed = 2, j->cancel_status = st;
        pthread_mutex_unlock(&j->lock);
      }
    }
  }
}

static void *worker(void *p) {
  run_chunks(p, 0);
  return NULL;
}

ft_status ft__parallel(ft_ctx *ctx, const char *domain, int n, int chunk, ft__work_fn fn,
                       void *arg, double f0, double f1) {
  job j;
  pthread_t tid[256];
  int nthreads = ft_ctx_threads(ctx), started = 0, i;
  if (n <= 0) return FT_OK;
  if (chunk < 1) chunk = 1;
  if (nthreads > (n + chunk - 1) / chunk) nthreads = (n + chunk - 1) / chunk;
  if (nthreads > 256) nthreads = 256;
  memset(&j, 0, sizeof j);
  if (pthread_mutex_init(&j.lock, NULL))
    return ft__fail(ctx, FT_ERR_INTERNAL, "%s: cannot create a mutex", domain);
  j.n = n;
  j.chunk = chunk;
  j.fn = fn;
  j.arg = arg;
  j.ctx = ctx;
  j.f0 = f0;
  j.f1 = f1;
  for (i = 0; i < nthreads - 1; i++) {
    if (pthread_create(&tid[started], NULL, worker, &j)) break;
    started++;
  }
  run_chunks(&j, 1);
  for (i = 0; i < started; i++) pthread_join(tid[i], NULL);
  pthread_mutex_destroy(&j.lock);
  if (j.failed == 2) return j.cancel_status;
  if (j.failed) return ft__nomem(ctx, domain);
  /* the job's end, reported even when the workers took every chunk */
  return ft__progress(ctx, f1);
}

ft_status ft__image_like(ft_ctx *ctx, const ft_image *in, ft_image **out) {
  ft_image *img;
  ft_status st;
  *out = NULL;
  if (!in->data)
    return ft__fail(ctx, FT_ERR_INVAL,
                    "denoise: compact (8-bit) samples; convert with ft_image_to_float first");
  st = ft_image_new(ctx, in->width, in->height, in->channels, &img);
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
