/* tests/unit/test_pool.c - the thread pool (ft__pool) and the parallel for on it. */
#include "config.h"

#include <stdatomic.h>

#include "core/internal.h"
#include "testutil.h"

#define NITEMS 1000

typedef struct count_arg {
  atomic_int hits[NITEMS];
  atomic_int bad_thread;
  int nthreads;
} count_arg;

static void count_item(void *arg, int item, int thread) {
  count_arg *a = arg;
  atomic_fetch_add(&a->hits[item], 1);
  if (thread < 0 || thread >= a->nthreads) atomic_fetch_add(&a->bad_thread, 1);
}

/* Every item runs exactly once, with a thread index in range, for several
 * pool sizes and several jobs on one pool. */
static void test_pool_runs_every_item_once(void) {
  static const int sizes[] = {1, 2, 3, 8};
  ft_ctx *ctx = ft_ctx_new();
  count_arg *a = calloc(1, sizeof *a);
  int s, job, i;
  CU_ASSERT_PTR_NOT_NULL_FATAL(a);
  for (s = 0; s < 4; s++) {
    ft__pool *p = NULL;
    CU_ASSERT_EQUAL_FATAL(ft__pool_new(ctx, sizes[s], &p), FT_OK);
    CU_ASSERT(ft__pool_size(p) >= 1 && ft__pool_size(p) <= sizes[s]);
    a->nthreads = ft__pool_size(p);
    for (job = 0; job < 3; job++) {
      int items = job == 0 ? NITEMS : job == 1 ? 1 : 17;
      for (i = 0; i < NITEMS; i++) atomic_store(&a->hits[i], 0);
      atomic_store(&a->bad_thread, 0);
      ft__pool_run(p, count_item, a, items);
      for (i = 0; i < NITEMS; i++) CU_ASSERT_EQUAL(atomic_load(&a->hits[i]), i < items ? 1 : 0);
      CU_ASSERT_EQUAL(atomic_load(&a->bad_thread), 0);
    }
    ft__pool_free(p);
  }
  /* a NULL pool runs everything on the caller */
  a->nthreads = 1;
  for (i = 0; i < NITEMS; i++) atomic_store(&a->hits[i], 0);
  ft__pool_run(NULL, count_item, a, 5);
  CU_ASSERT_EQUAL(ft__pool_size(NULL), 1);
  for (i = 0; i < 5; i++) CU_ASSERT_EQUAL(atomic_load(&a->hits[i]), 1);
  free(a);
  ft_ctx_free(ctx);
}

typedef struct square_arg {
  double *out;
  int fail_at; /* item whose chunk reports out of memory, -1 none */
} square_arg;

static int square_items(void *arg, int lo, int hi) {
  square_arg *a = arg;
  int i;
  for (i = lo; i < hi; i++) {
    if (i == a->fail_at) return 1;
    a->out[i] = (double)i * i + 0.5;
  }
  return 0;
}

static int progress_calls, cancel_at;
static double last_fraction;
static int progress_cb(void *user, double f) {
  (void)user;
  progress_calls++;
  CU_ASSERT(f >= last_fraction - 1e-12);
  last_fraction = f;
  return cancel_at > 0 && progress_calls >= cancel_at;
}

/* The parallel for gives the same output for 1..8 threads, reports
 * progress up to its end, fails with FT_ERR_NOMEM when a chunk does and
 * with FT_ERR_CANCELLED when the callback asks. */
/* A context with t threads and the progress callback (a fresh one, as the
 * throttle remembers the last fraction reported). */
static ft_ctx *fresh(int t) {
  ft_ctx *ctx = ft_ctx_new();
  if (ctx) {
    ft_ctx_set_threads(ctx, t);
    ft_ctx_set_progress(ctx, progress_cb, NULL);
  }
  progress_calls = 0;
  last_fraction = 0.0;
  return ctx;
}

static void test_parallel_for(void) {
  ft_ctx *ctx;
  double *ref = calloc(NITEMS, sizeof *ref), *out = calloc(NITEMS, sizeof *out);
  square_arg a;
  int t, i;
  CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
  CU_ASSERT_PTR_NOT_NULL_FATAL(out);
  for (i = 0; i < NITEMS; i++) ref[i] = (double)i * i + 0.5;
  for (t = 1; t <= 8; t++) {
    memset(out, 0, NITEMS * sizeof *out);
    a.out = out;
    a.fail_at = -1;
    cancel_at = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx = fresh(t));
    CU_ASSERT_EQUAL(ft__parallel(ctx, "test", NITEMS, 7, square_items, &a, 0.0, 1.0), FT_OK);
    CU_ASSERT(memcmp(out, ref, NITEMS * sizeof *out) == 0);
    CU_ASSERT(progress_calls >= 1);
    CU_ASSERT_DOUBLE_EQUAL(last_fraction, 1.0, 1e-12);
    ft_ctx_free(ctx);

    a.fail_at = 500;
    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx = fresh(t));
    CU_ASSERT_EQUAL(ft__parallel(ctx, "test", NITEMS, 7, square_items, &a, 0.0, 1.0),
                    FT_ERR_NOMEM);
    CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "test: out of memory");
    ft_ctx_free(ctx);

    /* cancelled at the first report (from a chunk of the caller's, or the
     * final one when the workers took every chunk) */
    a.fail_at = -1;
    cancel_at = 1;
    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx = fresh(t));
    CU_ASSERT_EQUAL(ft__parallel(ctx, "test", NITEMS, 7, square_items, &a, 0.0, 1.0),
                    FT_ERR_CANCELLED);
    ft_ctx_free(ctx);
  }
  /* one thread: chunks run in order and none starts after the cancel (the
   * second report, after chunk 3 of 143: the throttle skips chunk 2) */
  memset(out, 0, NITEMS * sizeof *out);
  cancel_at = 2;
  CU_ASSERT_PTR_NOT_NULL_FATAL(ctx = fresh(1));
  CU_ASSERT_EQUAL(ft__parallel(ctx, "test", NITEMS, 7, square_items, &a, 0.0, 1.0),
                  FT_ERR_CANCELLED);
  CU_ASSERT_EQUAL(progress_calls, 2);
  CU_ASSERT(out[20] == ref[20]);
  CU_ASSERT(out[21] == 0.0 && out[NITEMS - 1] == 0.0);
  ft_ctx_free(ctx);
  cancel_at = 0;
  CU_ASSERT_PTR_NOT_NULL_FATAL(ctx = fresh(2));
  CU_ASSERT_EQUAL(ft__parallel(ctx, "test", 0, 7, square_items, &a, 0.0, 1.0), FT_OK);
  ft_ctx_free(ctx);
  free(ref);
  free(out);
}

int main(void) {
  static const ft_test_case cases[] = {
      {"pool runs every item once", test_pool_runs_every_item_once},
      {"parallel for", test_parallel_for},
      {NULL, NULL},
  };
  return ft_test_main("pool", cases);
}
