/* src/segment/methods.c - the --threshold text: a value or a method spec.
 *
 * "0.45" and "45%" are fixed thresholds; anything else is parsed by the
 * project's one spec parser (src/core/spec.c) against a table of methods,
 * each with its own keys, ranges and defaults, so --help, the manual and
 * the error messages list exactly what is accepted.  All methods share one
 * params struct (threshold_spec); a method's table simply exposes the
 * fields it uses.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "segment/internal.h"

typedef struct threshold_spec {
  int window;
  double k, range, low, high;
  int ink; /* an ft_polarity */
  double sigma, fraction;
  int core;
} threshold_spec;

static const char *const ink_words[] = {"auto", "dark", "light", NULL};

#define INK_ARG                                                                         \
  {"ink", FT_ARG_CHOICE, offsetof(threshold_spec, ink), 0, 0, 0,                        \
   "which side is ink (auto: global methods and midpoint the minority, others dark)", \
   ink_words}

static const ft_spec_arg global_args[] = {INK_ARG};

static const ft_spec_arg sauvola_args[] = {
    {"w", FT_ARG_INT, offsetof(threshold_spec, window), 3, 4095, 25,
     "window side in pixels, odd", NULL},
    {"k", FT_ARG_DOUBLE, offsetof(threshold_spec, k), -1, 1, 0.2, "weight of the deviation",
     NULL},
    {"r", FT_ARG_DOUBLE, offsetof(threshold_spec, range), 0.001, 1, 0.5,
     "dynamic range R of the deviation", NULL},
    INK_ARG,
};

static const ft_spec_arg niblack_args[] = {
    {"w", FT_ARG_INT, offsetof(threshold_spec, window), 3, 4095, 25,
     "window side in pixels, odd", NULL},
    {"k", FT_ARG_DOUBLE, offsetof(threshold_spec, k), -1, 1, -0.2, "weight of the deviation",
     NULL},
    INK_ARG,
};

static const ft_spec_arg hysteresis_args[] = {
    {"low", FT_ARG_DOUBLE, offsetof(threshold_spec, low), 0, 1, 0.3,
     "dark ink: strong at or below (light ink: weak at or above)", NULL},
    {"high", FT_ARG_DOUBLE, offsetof(threshold_spec, high), 0, 1, 0.6,
     "dark ink: weak at or below (light ink: strong at or above)", NULL},
    INK_ARG,
};

static const ft_spec_arg midpoint_args[] = {
    {"sigma", FT_ARG_DOUBLE, offsetof(threshold_spec, sigma), 0.5, 200, 8,
     "scale in pixels of the local paper and ink levels", NULL},
    {"core", FT_ARG_INT, offsetof(threshold_spec, core), 0, 20, 1,
     "ink level from first-guess ink eroded by this radius", NULL},
    {"f", FT_ARG_DOUBLE, offsetof(threshold_spec, fraction), 0.05, 0.95, 0.5,
     "threshold position from paper (0) to ink (1) level", NULL},
    INK_ARG,
};

static const char *odd_window(const void *p) {
  return ((const threshold_spec *)p)->window % 2 ? NULL : "w must be odd";
}

static const char *low_high(const void *p) {
  const threshold_spec *t = p;
  return t->low <= t->high ? NULL : "low must not exceed high";
}

#define NARGS(a) ((int)(sizeof a / sizeof a[0]))

/* In the order of ft_threshold_method from FT_THRESH_LI on, after otsu. */
static const ft_spec_kind methods[] = {
    {"otsu", "global: Otsu's between-class variance", sizeof(threshold_spec), global_args,
     NARGS(global_args), NULL},
    {"li", "global: Li's minimum cross entropy", sizeof(threshold_spec), global_args,
     NARGS(global_args), NULL},
    {"triangle", "global: Zack's triangle, for skewed histograms", sizeof(threshold_spec),
     global_args, NARGS(global_args), NULL},
    {"sauvola", "adaptive: T = m (1 + k (s / R - 1)) over a window (paper, uneven light)",
     sizeof(threshold_spec), sauvola_args, NARGS(sauvola_args), odd_window},
    {"niblack", "adaptive: T = m + k s over a window", sizeof(threshold_spec), niblack_args,
     NARGS(niblack_args), odd_window},
    {"hysteresis", "two thresholds: weak pixels kept where linked to strong ones",
     sizeof(threshold_spec), hysteresis_args, NARGS(hysteresis_args), low_high},
    {"midpoint", "local: half way between local paper and ink levels (pencil, blurred strokes)",
     sizeof(threshold_spec), midpoint_args, NARGS(midpoint_args), NULL},
};

static const int method_of_kind[] = {FT_THRESH_OTSU,    FT_THRESH_LI,         FT_THRESH_TRIANGLE,
                                     FT_THRESH_SAUVOLA, FT_THRESH_NIBLACK,    FT_THRESH_HYSTERESIS,
                                     FT_THRESH_MIDPOINT};

#define NMETHODS NARGS(methods)

/* "0.45" or "45%" in [0,1]; returns 0 and sets *v, or -1. */
static int parse_value(const char *s, double *v) {
  const char *end;
  double x;
  if (ft__parse_real(s, &x, &end)) return -1;
  if (end[0] == '%' && end[1] == '\0')
    x /= 100.0;
  else if (*end)
    return -1;
  if (x < 0.0 || x > 1.0) return -1;
  *v = x;
  return 0;
}

ft_status ft_segment_params_parse(ft_ctx *ctx, const char *text, ft_segment_params *p) {
  ft_spec_list *list = NULL;
  const threshold_spec *t;
  double v;
  ft_status st;
  if (!text || !p) return ft__fail(ctx, FT_ERR_INVAL, "threshold: no text");
  if ((isdigit((unsigned char)text[0]) || text[0] == '.' || text[0] == '-' || text[0] == '+')) {
    if (parse_value(text, &v))
      return ft__fail(ctx, FT_ERR_INVAL,
                      "threshold: '%s' is not a number from 0 to 1 or a percentage", text);
    p->method = FT_THRESH_VALUE;
    p->value = v;
    return FT_OK;
  }
  if ((st = ft_spec_parse(ctx, "threshold", "method", methods, NMETHODS, text, &list)))
    return st;
  if (list->n != 1) {
    int n = list->n;
    ft_spec_list_free(list);
    return ft__fail(ctx, FT_ERR_INVAL, "threshold: '%s' names %d methods; give one", text, n);
  }
  t = list->items[0].params;
  p->method = method_of_kind[list->items[0].kind];
  p->polarity = t->ink;
  switch (p->method) {
    case FT_THRESH_SAUVOLA:
      p->window = t->window, p->k = t->k, p->range = t->range;
      break;
    case FT_THRESH_NIBLACK:
      p->window = t->window, p->k = t->k;
      break;
    case FT_THRESH_HYSTERESIS:
      p->low = t->low, p->high = t->high;
      break;
    case FT_THRESH_MIDPOINT:
      p->sigma = t->sigma, p->core = t->core, p->fraction = t->fraction;
      break;
    default: break;
  }
  ft_spec_list_free(list);
  return FT_OK;
}

void ft_segment_describe(ft_spec_line_fn fn, void *user) {
  ft_spec_describe(methods, NMETHODS, fn, user);
}
