/* src/core/pool.c - the library's one fork-join thread pool, and a parallel for on it.
 *
 * ft__pool_run() hands items 0..n-1 of one job (row bands of a convolution,
 * channels of a pool, bands of a filter, outlines to fit) to the calling
 * thread and the pool's workers, which take them in order from a shared
 * atomic counter, and returns when all are done.  Workers sleep on a
 * condition variable between jobs; a generation counter tells them a new
 * job has been posted.  A user keeps a pool for as long as it has jobs (the
 * U-Net for one ft_model_run, so a run creates its threads once).
 *
 * ft__parallel() is a parallel for over chunks of items with progress and
 * cancel: only the calling thread (thread 0) reports progress, so the
 * callback never runs on a worker, and after a cancel or a failure no new
 * chunk starts.  Each item is processed once, by a call that sees the same
 * inputs whatever the thread count, so work that writes each item's output
 * independently gives identical results for 1 or N threads.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "core/internal.h"

struct ft__pool {
  int n; /* threads, the caller included */
  pthread_t *tid;
  int started;
  pthread_mutex_t mu;
  pthread_cond_t go, done;
  void (*fn)(void *arg, int item, int thread);
  void *arg;
  int items;
  atomic_int next;
  int pending;  /* workers still busy with the current generation */
  unsigned gen; /* bumped for every operator posted */
  int quit;
};

typedef struct slot {
  ft__pool *p;
  int index;
} slot;

static void drain(ft__pool *p, int thread) {
  int i;
  while ((i = atomic_fetch_add(&p->next, 1)) < p->items) p->fn(p->arg, i, thread);
}

static void *worker(void *arg) {
  slot *s = arg;
  ft__pool *p = s->p;
  int index = s->index;
  unsigned seen = 0;
  free(s);
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (p->gen == seen && !p->quit) pthread_cond_wait(&p->go, &p->mu);
    if (p->quit) break;
    seen = p->gen;
    pthread_mutex_unlock(&p->mu);
    drain(p, index);
    pthread_mutex_lock(&p->mu);
    if (--p->pending == 0) pthread_cond_signal(&p->done);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

ft_status ft__pool_new(ft_ctx *ctx, int nthreads, ft__pool **out) {
  ft__pool *p;
  int i;
  *out = NULL;
  p = calloc(1, sizeof *p);
  if (!p) return ft__nomem(ctx, "threads");
  p->n = nthreads < 1 ? 1 : nthreads;
  p->tid = calloc((size_t)p->n, sizeof *p->tid);
  if (!p->tid || pthread_mutex_init(&p->mu, NULL)) {
    free(p->tid);
    free(p);
    return ft__nomem(ctx, "threads");
  }
  pthread_cond_init(&p->go, NULL);
  pthread_cond_init(&p->done, NULL);
  atomic_init(&p->next, 0);
  for (i = 1; i < p->n; i++) {
    slot *s = malloc(sizeof *s);
    if (!s) break;
    s->p = p;
    s->index = i;
    if (pthread_create(&p->tid[i], NULL, worker, s)) {
      free(s);
      break;
    }
    p->started++;
  }
  p->n = p->started + 1; /* run with the threads we got */
  *out = p;
  return FT_OK;
}

int ft__pool_size(const ft__pool *p) { return p ? p->n : 1; }

void ft__pool_run(ft__pool *p, void (*fn)(void *arg, int item, int thread), void *arg, int items) {
  int i;
  if (!p || p->n == 1 || items <= 1) {
    for (i = 0; i < items; i++) fn(arg, i, 0);
    return;
  }
  pthread_mutex_lock(&p->mu);
  p->fn = fn;
  p->arg = arg;
  p->items = items;
  atomic_store(&p->next, 0);
  p->pending = p->n - 1;
  p->gen++;
  pthread_cond_broadcast(&p->go);
  pthread_mutex_unlock(&p->mu);
  drain(p, 0);
  pthread_mutex_lock(&p->mu);
  while (p->pending > 0) pthread_cond_wait(&p->done, &p->mu);
  pthread_mutex_unlock(&p->mu);
}

void ft__pool_free(ft__pool *p) {
  int i;
  if (!p) return;
  pthread_mutex_lock(&p->mu);
  p->quit = 1;
  pthread_cond_broadcast(&p->go);
  pthread_mutex_unlock(&p->mu);
  for (i = 1; i <= p->started; i++) pthread_join(p->tid[i], NULL);
  pthread_cond_destroy(&p->go);
  pthread_cond_destroy(&p->done);
  pthread_mutex_destroy(&p->mu);
  free(p->tid);
  free(p);
}

/* ---- the parallel for ---- */

typedef struct job {
  int n, chunk, nchunks;
  ft__work_fn fn;
  void *arg;
  ft_ctx *ctx; /* progress goes through it, from the calling thread only */
  double f0, f1;
  atomic_int done;   /* chunks finished */
  atomic_int failed; /* 1 out of memory, 2 cancelled: no new chunks start */
  ft_status cancel_status;
} job;

static void run_chunk(void *arg, int item, int thread) {
  job *j = arg;
  int lo = item * j->chunk, hi = lo + j->chunk < j->n ? lo + j->chunk : j->n, done;
  if (atomic_load(&j->failed)) return;
  if (j->fn(j->arg, lo, hi)) {
    int zero = 0;
    atomic_compare_exchange_strong(&j->failed, &zero, 1);
    return;
  }
  done = atomic_fetch_add(&j->done, 1) + 1;
  if (thread == 0) {
    ft_status st = ft__progress(j->ctx, j->f0 + (j->f1 - j->f0) * done / j->nchunks);
    int zero = 0;
    /* cancel_status is read only after ft__pool_run returns */
    if (st && atomic_compare_exchange_strong(&j->failed, &zero, 2)) j->cancel_status = st;
  }
}

ft_status ft__parallel(ft_ctx *ctx, const char *domain, int n, int chunk, ft__work_fn fn,
                       void *arg, double f0, double f1) {
  job j;
  ft__pool *pool = NULL;
  int nthreads = ft_ctx_threads(ctx);
  if (n <= 0) return FT_OK;
  if (chunk < 1) chunk = 1;
  j.n = n;
  j.chunk = chunk;
  j.nchunks = (n - 1) / chunk + 1;
  j.fn = fn;
  j.arg = arg;
  j.ctx = ctx;
  j.f0 = f0;
  j.f1 = f1;
  j.cancel_status = FT_OK;
  atomic_init(&j.done, 0);
  atomic_init(&j.failed, 0);
  if (nthreads > j.nchunks) nthreads = j.nchunks;
  if (nthreads > 256) nthreads = 256;
  /* without a pool (out of memory) the caller does every chunk itself */
  if (nthreads > 1 && ft__pool_new(ctx, nthreads, &pool)) pool = NULL;
  ft__pool_run(pool, run_chunk, &j, j.nchunks);
  ft__pool_free(pool);
  if (atomic_load(&j.failed) == 2) return j.cancel_status;
  if (atomic_load(&j.failed)) return ft__nomem(ctx, domain);
  /* the job's end, reported even when the workers took every chunk */
  return ft__progress(ctx, f1);
}
