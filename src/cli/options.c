/* src/cli/options.c - parsing of command-line option values.
 *
 * Numbers go through strtod/strtol/strtoull with the end pointer checked, so
 * "0.5x", "", " 3" and "1e999" are rejected rather than silently cut short.
 * Thresholds are parsed by the library (ft_segment_params_parse), so the
 * program, the test tool and the library accept the same texts.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"

const char *cli_threshold_names(void) { return "otsu, li, triangle, sauvola, niblack, hysteresis, midpoint"; }

int cli_parse_threshold(const char *s, ft_segment_params *seg) {
  return s && ft_segment_params_parse(NULL, s, seg) == FT_OK ? 0 : -1;
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
