/* src/cli/trace_opts.c - parsers for the tracing options (--trace,
 * --stroke-width); see trace_opts.h. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/trace_opts.h"

int cli_parse_trace(const char *s, ft_trace_params *tp) {
  static const struct {
    const char *name;
    int mode;
  } modes[] = {{"outline", FT_TRACE_OUTLINE},
               {"centerline", FT_TRACE_CENTERLINE},
               {"auto", FT_TRACE_AUTO}};
  size_t i;
  if (!s) return -1;
  for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
    if (strcmp(s, modes[i].name) == 0) {
      tp->mode = modes[i].mode;
      return 0;
    }
  return -1;
}

int cli_parse_stroke_width(const char *s, ft_trace_params *tp) {
  char *end;
  double v;
  if (!s || !*s) return -1;
  if (strcmp(s, "auto") == 0) {
    tp->stroke_width = 0.0;
    return 0;
  }
  errno = 0;
  v = strtod(s, &end);
  if (errno || *end || end == s || !isfinite(v) || !(v > 0.0) || v > 10000.0) return -1;
  tp->stroke_width = v;
  return 0;
}
