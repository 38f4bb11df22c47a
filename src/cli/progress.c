/* src/cli/progress.c - the batch progress bar on standard error.
 *
 * One terminal line, redrawn in place with a carriage return and an
 * erase-to-end-of-line (ECMA-48 "CSI K"):
 *
 *   [##########--------------]  42/100 files  3.1 files/s  ETA 0:19
 *
 * The rate counts converted files only (skipped ones finish instantly and
 * would inflate it); the ETA divides the files left by that rate.  Only the
 * reporting thread draws, so no locking is needed here.  Anything else
 * printed on stderr first erases the bar (progress_clear) so that messages
 * never share a line with it.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "cli/batch.h"

#define BAR_WIDTH 24

double cli_now(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0.0;
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void progress_start(progress_bar *pb, int enabled, int total) {
  pb->enabled = enabled;
  pb->total = total;
  pb->done = 0;
  pb->converted = 0;
  pb->t0 = cli_now();
  pb->shown = 0;
}

/* h:mm:ss or m:ss. */
static void format_duration(char *buf, size_t n, double s) {
  long t = s < 0 ? 0 : s > 359999 ? 359999 : (long)(s + 0.5);
  if (t >= 3600)
    snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else
    snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

void progress_draw(progress_bar *pb) {
  char bar[BAR_WIDTH + 1], eta[32];
  double el, rate;
  int i, fill;
  if (!pb->enabled || pb->total <= 0) return;
  el = cli_now() - pb->t0;
  rate = el > 0 ? pb->converted / el : 0.0;
  fill = (int)((long long)pb->done * BAR_WIDTH / pb->total);
  for (i = 0; i < BAR_WIDTH; i++) bar[i] = i < fill ? '#' : '-';
  bar[BAR_WIDTH] = '\0';
  if (pb->done >= pb->total)
    format_duration(eta, sizeof eta, el);
  else if (rate > 0)
    format_duration(eta, sizeof eta, (pb->total - pb->done) / rate);
  else
    snprintf(eta, sizeof eta, "?");
  fprintf(stderr, "\r[%s] %*d/%d files  %.1f files/s  %s %s\033[K", bar,
          pb->total >= 10000 ? 5 : pb->total >= 1000 ? 4 : pb->total >= 100 ? 3 : 2, pb->done,
          pb->total, rate, pb->done >= pb->total ? "took" : "ETA", eta);
  fflush(stderr);
  pb->shown = 1;
}

void progress_clear(progress_bar *pb) {
  if (!pb->shown) return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
  pb->shown = 0;
}
