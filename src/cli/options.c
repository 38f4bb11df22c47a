/* src/cli/options.c - parsing of command-line option values.
 *
 * Numbers go through strtod/strtol/strtoull with the end pointer checked, so
 * "0.5x", "", " 3" and "1e999" are rejected rather than silently cut short.
 * Threshold method names sit in one table so that the parser, --help and
 * the error message list the same names.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"

static const struct {
  const char *name;
  int method; /* an ft_threshold_method */
} threshold_methods[] = {
    {"otsu", FT_THRESH_OTSU},
};

#define N_METHODS (sizeof threshold_methods / sizeof threshold_methods[0])

const char *cli_threshold_names(void) { return "otsu"; }

int cli_parse_threshold(const char *s, ft_segment_params *seg) {
  char *end;
  double v;
  size_t i, len;
  if (!s || !*s) return -1;
  for (i = 0; i < N_METHODS; i++)
    if (strcmp(s, threshold_methods[i].name) == 0) {
      seg->method = threshold_methods[i].method;
      return 0;
    }
  if (isspace((unsigned char)s[0])) return -1;
  errno = 0;
  v = strtod(s, &end);
  if (end == s || errno == ERANGE || !isfinite(v)) return -1;
  len = strlen(end);
  if (len == 1 && end[0] == '%')
    v /= 100.0;
  else if (len != 0)
    return -1;
  if (v < 0.0 || v > 1.0) return -1;
  seg->method = FT_THRESH_VALUE;
  seg->value = v;
  return 0;
}

int cli_parse_long(const char *s, long min, long max, long *out) {
  char *end;
  long v;
  if (!s || !*s || isspace((unsigned char)s[0])) return -1;
  errno = 0;
  v = strtol(s, &end, 10);
  if (end == s || *end || errno == ERANGE || v < min || v > max) return -1;
  *out = v;
  return 0;
}

int cli_parse_double(const char *s, double min, double max, double *out) {
  char *end;
  double v;
  if (!s || !*s || isspace((unsigned char)s[0])) return -1;
  errno = 0;
  v = strtod(s, &end);
  if (end == s || *end || errno == ERANGE || !(v >= min && v <= max)) return -1;
  *out = v;
  return 0;
}

int cli_parse_pixels(const char *s, uint64_t *out) {
  char *end;
  unsigned long long v;
  uint64_t mult = 1;
  if (!s || !isdigit((unsigned char)s[0])) return -1;
  errno = 0;
  v = strtoull(s, &end, 10);
  if (end == s || errno == ERANGE) return -1;
  if (*end) {
    if (end[1]) return -1;
    switch (*end) {
      case 'k': case 'K': mult = 1000u; break;
      case 'm': case 'M': mult = 1000000u; break;
      case 'g': case 'G': mult = 1000000000u; break;
      default: return -1;
    }
  }
  if (v == 0 || v > UINT64_MAX / mult) return -1;
  *out = (uint64_t)v * mult;
  return 0;
}
