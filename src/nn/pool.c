/* src/nn/pool.c - a small fork-join thread pool for the forward pass.
 *
 * ft__pool_run() hands items 0..n-1 of one operator (row bands of a
 * convolution, channels of a pool) to the calling thread and the pool's
 * workers, which take them from a shared atomic counter, and returns when all
 * are done.  Workers sleep on a condition variable between operators; a
 * generation counter tells them a new operator has been posted.  The pool
 * lives for one ft_model_run(), so a run creates its threads once.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "nn/internal.h"

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
  if (!p) return ft__nomem(ctx, "unet");
  p->n = nthreads < 1 ? 1 : nthreads;
  p->tid = calloc((size_t)p->n, sizeof *p->tid);
  if (!p->tid || pthread_mutex_init(&p->mu, NULL)) {
    free(p->tid);
    free(p);
    return ft__nomem(ctx, "unet");
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
