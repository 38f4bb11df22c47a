/* src/cli/batch.c - convert many inputs at once, report them in order.
 *
 * A fixed pool of worker threads (POSIX threads, -j of them, by default
 * one per online CPU) takes inputs from a shared counter in input order.
 * Each worker owns one ft_ctx and holds at most one decoded image and one
 * document at a time, so memory is bounded by the number of workers, not
 * by the size of the batch.  When there are fewer inputs than CPUs, the
 * CPUs left over go to each file's own stages (ft_ctx_set_threads).
 *
 * Everything a conversion would print (the library's log, warnings, the
 * error, the -v summary) goes into that input's own memory stream.  The
 * main thread prints these streams strictly in input order as soon as the
 * earlier inputs are done, writes the --log line of each in the same order,
 * and keeps the progress bar up to date in between; so the output of a
 * parallel run reads exactly like that of a sequential one.
 *
 * Stopping: SIGINT, SIGTERM or SIGHUP sets a flag.  Workers take no new
 * input; the progress callback of each running conversion returns non-zero,
 * the stage in progress returns FT_ERR_CANCELLED and the output's temporary
 * file is removed (ft_sink_close without commit).  The exit status is then
 * 128 + the signal number.  A second signal kills the process at once
 * (SA_RESETHAND); even then no half-written output can appear under its
 * final name.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/batch.h"
#include "cli/figure.h"

static volatile sig_atomic_t stop_signal = 0;

static void on_signal(int sig) { stop_signal = sig; }

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSTOP ((int)(sizeof stop_signals / sizeof stop_signals[0]))

void batch_install_signal_handlers(void) {
  struct sigaction sa;
  int i;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND; /* no SA_RESTART: a blocked read returns */
  for (i = 0; i < NSTOP; i++) sigaction(stop_signals[i], &sa, NULL);
}

/* Progress callback of every worker's context: cancel once signalled. */
static int progress_cb(void *user, double fraction) { return stop_signal != 0; }

/* ---- messages ---- */

/* How messages name an input: standard input is "stdin", as the readers
 * call it. */
static const char *display_name(const char *input) {
  return strcmp(input, "-") == 0 ? "stdin" : input;
}

/* The library's message already names the input for read errors
 * ("scan.png: png: premature end of data"); add the name only when it is
 * not already there, so it is never printed twice. */
static int names_input(const char *msg, const char *input) {
  static const char *const stdin_names[] = {"-", "stdin", "<stdin>", "(stdin)"};
  size_t i, n;
  n = strlen(input);
  if (strncmp(msg, input, n) == 0 && msg[n] == ':') return 1;
  if (strcmp(input, "stdin") == 0)
    for (i = 0; i < sizeof stdin_names / sizeof stdin_names[0]; i++) {
      n = strlen(stdin_names[i]);
      if (strncmp(msg, stdin_names[i], n) == 0 && msg[n] == ':') return 1;
    }
  return 0;
}

/* ---- directories ---- */

/* Length of path without trailing slashes (but keeping a lone "/"). */
static size_t trimmed_len(const char *path) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  return n;
}

int cli_make_dirs(const char *path) {
  size_t n = trimmed_len(path), i;
  char *p = malloc(n + 1);
  int r = 0;
  if (!p) {
    errno = ENOMEM;
    return -1;
  }
  memcpy(p, path, n);
  p[n] = '\0';
  for (i = 1; i <= n && r == 0; i++) {
    if (i < n && p[i] != '/') continue;
    p[i] = '\0';
    if (mkdir(p, 0777) != 0 && !(errno == EEXIST && cli_is_directory(p))) r = -1;
    if (i < n) p[i] = '/';
  }
  free(p);
  return r;
}

/* Create the directory an output goes into when it is missing (a mirrored
 * tree).  Returns 0, or -1 with errno set and *dir the directory (malloc'd). */
static int make_parent(const char *output, char **dir) {
  size_t n = trimmed_len(output);
  *dir = NULL;
  while (n > 0 && output[n - 1] != '/') n--;
  while (n > 1 && output[n - 1] == '/') n--;
  if (n == 0) return 0;
  if (!(*dir = malloc(n + 1))) return -1;
  memcpy(*dir, output, n);
  (*dir)[n] = '\0';
  if (cli_is_directory(*dir)) return 0;
  return cli_make_dirs(*dir);
}

/* ---- the pool ---- */

typedef struct slot {
  int state;    /* 0 waiting, 1 running, 2 done */
  char *msgs;   /* what the conversion printed, from open_memstream */
  size_t nmsgs;
} slot;

typedef struct batch {
  const batch_config *cfg;
  const job *jobs;
  int njobs;
  job_result *res; /* [njobs] */
  slot *slots;     /* [njobs] */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int next;      /* next input to start */
  int running;   /* workers still running */
  int finished;  /* inputs finished, in any order */
  int converted; /* of which converted */
  int threads;   /* stage threads per file */
  char *files_dir; /* report images, NULL without --report */
} batch;

typedef struct worker {
  batch *b;
  ft_ctx *ctx;
  FILE *err;        /* the current input's message stream */
  const char *name; /* the current input's display name */
  pthread_t tid;
  int started;
} worker;

/* Log printer installed on each worker's context. */
static void log_to_stream(void *user, ft_log_level level, const char *msg) {
  const worker *w = user;
  const char *tag = level == FT_LOG_WARN ? "warning: " : "";
  if (w->name && !names_input(msg, w->name))
    fprintf(w->err, "figtrace: %s: %s%s\n", w->name, tag, msg);
  else
    fprintf(w->err, "figtrace: %s%s\n", tag, msg);
}

/* Record a failure: the message (without "figtrace: ") into r->error and
 * on the input's stream. */
static void fail_with(worker *w, job_result *r, job_outcome outcome, const char *msg) {
  size_t n = strlen(w->name) + strlen(msg) + 3;
  r->outcome = outcome;
  free(r->error);
  r->error = malloc(n);
  if (r->error) {
    if (names_input(msg, w->name))
      snprintf(r->error, n, "%s", msg);
    else
      snprintf(r->error, n, "%s: %s", w->name, msg);
  }
  if (outcome != OUTCOME_CANCELLED || w->b->cfg->verbosity >= 0)
    fprintf(w->err, "figtrace: %s\n", r->error ? r->error : msg);
}

/* Convert input i; the outcome goes into b->res[i]. */
static void convert_one(worker *w, int i) {
  batch *b = w->b;
  const batch_config *cfg = b->cfg;
  const job *j = &b->jobs[i];
  job_result *r = &b->res[i];
  ft_image *img = NULL;
  ft_doc *doc = NULL;
  ft_labels *labels = NULL;
  ft_sink *sink = NULL;
  ft_status st, cst;
  double t0 = cli_now(), t1;
  char *dir = NULL;
  int k;

  w->name = display_name(j->input);
  ft_ctx_clear_error(w->ctx);
  r->outcome = OUTCOME_OK;

  if (cfg->skip_existing && strcmp(j->output, "-") != 0 && access(j->output, F_OK) == 0) {
    r->outcome = OUTCOME_SKIPPED;
    if (cfg->verbosity > 0) fprintf(w->err, "figtrace: %s: skipped, %s exists\n", w->name, j->output);
    return;
  }

  if ((st = ft_read_file(w->ctx, j->input, &cfg->opt->read, &img))) goto fail;
  if (cfg->verbosity > 1) fprintf(w->err, "figtrace: %s: read: %.3f s\n", w->name, cli_now() - t0);
  r->width = img->width;
  r->height = img->height;
  if ((st = ft_pipeline_run_labels(w->ctx, cfg->opt, img, &doc,
                                   cfg->labels_path ? &labels : NULL)))
    goto fail;
  if (doc->incomplete && cfg->verbosity >= 0)
    fprintf(w->err,
            "figtrace: %s: warning: conversion incomplete, part of the image was skipped\n",
            w->name);
  if (strcmp(j->output, "-") != 0 && make_parent(j->output, &dir) != 0) {
    char msg[512];
    snprintf(msg, sizeof msg, "%s: cannot create directory: %s", dir ? dir : j->output,
             strerror(errno));
    free(dir);
    fail_with(w, r, OUTCOME_FAILED, msg);
    goto done;
  }
  free(dir);
  if ((st = ft_sink_open_file(w->ctx, j->output, &sink))) goto fail;
  t1 = cli_now();
  st = cli_figure_write(w->ctx, doc, cfg->opt, j->output, sink);
  if (st == FT_OK && stop_signal) st = FT_ERR_CANCELLED;
  /* Commit only a complete document; otherwise the temporary is removed. */
  cst = ft_sink_close(w->ctx, sink,
                      st != FT_OK   ? FT_SINK_DISCARD
                      : cfg->sync ? FT_SINK_COMMIT_SYNC
                                  : FT_SINK_COMMIT);
  sink = NULL;
  if (st == FT_OK) st = cst;
  if (st) goto fail;
  if (cfg->verbosity > 1) fprintf(w->err, "figtrace: %s: write: %.3f s\n", w->name, cli_now() - t1);
  /* --labels: the label image, written (atomically) once the figure is. */
  if (labels && (st = ft_labels_write(w->ctx, labels, cfg->labels_path))) goto fail;

  for (k = 0; k < doc->nlayers; k++)
    if (doc->layer[k].paths) {
      long lines = 0, cubics = 0;
      ft_paths_count(doc->layer[k].paths, &lines, &cubics);
      r->paths += doc->layer[k].paths->npaths;
      r->segments += lines + cubics;
    }
  if (b->files_dir) {
    ft_ctx_clear_error(w->ctx);
    if (report_write_previews(w->ctx, b->files_dir, i, img, doc) == FT_OK)
      r->has_previews = 1;
    else if (cfg->verbosity >= 0)
      fprintf(w->err, "figtrace: %s: warning: no report preview: %s\n", w->name,
              ft_ctx_errmsg(w->ctx));
  }
  r->seconds = cli_now() - t0;
  if (cfg->verbosity > 0)
    fprintf(w->err, "figtrace: %s: %dx%d, %d channel%s, %d-bit -> %s (%ld path%s, %.3f s)\n",
            w->name, img->width, img->height, img->channels, img->channels == 1 ? "" : "s",
            img->bit_depth, strcmp(j->output, "-") == 0 ? "standard output" : j->output,
            r->paths, r->paths == 1 ? "" : "s", r->seconds);
  goto done;

fail:
  if (st == FT_ERR_CANCELLED && stop_signal) {
    fail_with(w, r, OUTCOME_CANCELLED, "interrupted");
  } else {
    const char *msg = ft_ctx_errmsg(w->ctx);
    fail_with(w, r, OUTCOME_FAILED, msg && *msg ? msg : ft_status_str(st));
  }
done:
  r->seconds = cli_now() - t0;
  ft_labels_free(labels);
  ft_doc_free(doc);
  ft_image_free(img);
}

static void *worker_main(void *arg) {
  worker *w = arg;
  batch *b = w->b;
  for (;;) {
    int i;
    slot *s;
    pthread_mutex_lock(&b->mu);
    if (stop_signal || b->next >= b->njobs) {
      pthread_mutex_unlock(&b->mu);
      break;
    }
    i = b->next++;
    s = &b->slots[i];
    s->state = 1;
    pthread_mutex_unlock(&b->mu);

    w->err = open_memstream(&s->msgs, &s->nmsgs);
    if (!w->err) w->err = stderr; /* out of memory: print unordered */
    convert_one(w, i);
    if (w->err != stderr) fclose(w->err);
    w->err = stderr;

    pthread_mutex_lock(&b->mu);
    s->state = 2;
    b->finished++;
    if (b->res[i].outcome == OUTCOME_OK) b->converted++;
    pthread_cond_signal(&b->cv);
    pthread_mutex_unlock(&b->mu);
  }
  pthread_mutex_lock(&b->mu);
  b->running--;
  pthread_cond_signal(&b->cv);
  pthread_mutex_unlock(&b->mu);
  return NULL;
}

static int online_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}

int batch_run(const batch_config *cfg, const job *jobs, int njobs) {
  batch b;
  worker *ws = NULL;
  progress_bar pb;
  FILE *logf = NULL;
  int nworkers, cpus = online_cpus(), i, reported = 0, status = 1, nfailed = 0;
  sigset_t stopset, oldset;
  double t0 = cli_now(), last_draw = 0.0;

  memset(&b, 0, sizeof b);
  b.cfg = cfg;
  b.jobs = jobs;
  b.njobs = njobs;
  nworkers = cfg->jobs > 0 ? cfg->jobs : cpus;
  if (nworkers > njobs) nworkers = njobs;
  if (nworkers < 1) nworkers = 1;
  b.threads = cpus / nworkers > 1 ? cpus / nworkers : 1;

  b.res = calloc((size_t)njobs + 1, sizeof *b.res);
  b.slots = calloc((size_t)njobs + 1, sizeof *b.slots);
  ws = calloc((size_t)nworkers, sizeof *ws);
  if (!b.res || !b.slots || !ws) {
    fputs("figtrace: out of memory\n", stderr);
    goto out;
  }
  if (cfg->log_path && !(logf = fopen(cfg->log_path, "a"))) {
    fprintf(stderr, "figtrace: %s: cannot open log: %s\n", cfg->log_path, strerror(errno));
    goto out;
  }
  if (cfg->report_path) {
    if (!(b.files_dir = report_files_dir(cfg->report_path))) {
      fputs("figtrace: out of memory\n", stderr);
      goto out;
    }
    if (cli_make_dirs(b.files_dir) != 0) {
      fprintf(stderr, "figtrace: %s: cannot create directory: %s\n", b.files_dir,
              strerror(errno));
      goto out;
    }
  }
  for (i = 0; i < nworkers; i++) {
    if (!(ws[i].ctx = ft_ctx_new())) {
      fputs("figtrace: out of memory\n", stderr);
      goto out;
    }
    ws[i].b = &b;
    ws[i].err = stderr;
    if (cfg->verbosity >= 0)
      ft_ctx_set_log(ws[i].ctx, log_to_stream, &ws[i],
                     cfg->verbosity >= 2   ? FT_LOG_DEBUG
                     : cfg->verbosity == 1 ? FT_LOG_INFO
                                           : FT_LOG_WARN);
    else
      ft_ctx_set_log(ws[i].ctx, NULL, NULL, FT_LOG_ERROR);
    ft_ctx_set_progress(ws[i].ctx, progress_cb, NULL);
    ft_ctx_set_threads(ws[i].ctx, b.threads);
  }

  progress_start(&pb, cfg->verbosity >= 0 && (cfg->progress > 0 ||
                                              (cfg->progress == 0 && isatty(STDERR_FILENO))),
                 njobs);
  pthread_mutex_init(&b.mu, NULL);
  pthread_cond_init(&b.cv, NULL);
  b.running = 0;
  for (i = 0; i < nworkers; i++) {
    if (pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]) != 0) break;
    ws[i].started = 1;
    b.running++;
  }
  if (b.running == 0) {
    /* No thread could be started (a process or memory limit): convert
     * everything in this thread instead; the loop below then reports. */
    b.running = 1;
    worker_main(&ws[0]);
  }
  /* Signals go to the workers, so that one blocked reading standard input
   * is interrupted; this thread only polls the flag. */
  sigemptyset(&stopset);
  for (i = 0; i < NSTOP; i++) sigaddset(&stopset, stop_signals[i]);
  pthread_sigmask(SIG_BLOCK, &stopset, &oldset);

  pthread_mutex_lock(&b.mu);
  for (;;) {
    struct timespec until;
    while (reported < njobs && b.slots[reported].state == 2) {
      slot *s = &b.slots[reported];
      progress_clear(&pb);
      if (s->msgs && s->nmsgs) fwrite(s->msgs, 1, s->nmsgs, stderr);
      fflush(stderr);
      free(s->msgs);
      s->msgs = NULL;
      if (b.res[reported].outcome == OUTCOME_FAILED) nfailed++;
      if (logf && report_log_line(logf, &jobs[reported], &b.res[reported]) != 0) {
        fprintf(stderr, "figtrace: %s: cannot write log: %s\n", cfg->log_path, strerror(errno));
        fclose(logf);
        logf = NULL;
        nfailed++;
      }
      reported++;
    }
    pb.done = b.finished;
    pb.converted = b.converted;
    if (reported == njobs || (b.running == 0 && b.slots[reported].state != 2)) break;
    if (cli_now() - last_draw >= 0.2) { /* at most five redraws a second */
      progress_draw(&pb);
      last_draw = cli_now();
    }
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 250000000L;
    if (until.tv_nsec >= 1000000000L) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&b.cv, &b.mu, &until);
  }
  pthread_mutex_unlock(&b.mu);
  for (i = 0; i < nworkers; i++)
    if (ws[i].started) pthread_join(ws[i].tid, NULL);
  pthread_sigmask(SIG_SETMASK, &oldset, NULL);
  if (pb.enabled && njobs > 0) {
    progress_draw(&pb);
    fputc('\n', stderr);
  }
  pthread_cond_destroy(&b.cv);
  pthread_mutex_destroy(&b.mu);

  if (cfg->report_path &&
      report_write_html(cfg->report_path, jobs, b.res, reported, cli_now() - t0) != 0)
    nfailed++;
  if (stop_signal)
    status = 128 + (int)stop_signal;
  else
    status = nfailed ? 1 : 0;

out:
  if (logf && fclose(logf) != 0 && status == 0) {
    fprintf(stderr, "figtrace: %s: cannot write log: %s\n", cfg->log_path, strerror(errno));
    status = 1;
  }
  if (ws)
    for (i = 0; i < nworkers; i++) ft_ctx_free(ws[i].ctx);
  free(ws);
  if (b.res)
    for (i = 0; i < njobs; i++) free(b.res[i].error);
  if (b.slots)
    for (i = 0; i < njobs; i++) free(b.slots[i].msgs);
  free(b.res);
  free(b.slots);
  free(b.files_dir);
  return status;
}
