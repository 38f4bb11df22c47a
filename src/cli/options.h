/* src/cli/options.h - parsing of command-line option values.
 *
 * Shared by the figtrace program and the test tool tests/tools/rasterdiff,
 * so that both read --threshold, --page and --max-pixels the same way and
 * the test thresholds its input exactly as the program did.  Every parser
 * takes the whole argument string and fails on trailing garbage, empty
 * strings and values out of range; none of them prints.
 */
#ifndef FT_CLI_OPTIONS_H
#define FT_CLI_OPTIONS_H

#include <stdint.h>

#include "figtrace.h"

/* --threshold VALUE: a number in [0,1] ("0.45"), a percentage ("45%"), or a
 * method spec ("otsu", "sauvola:w=31,k=0.2"; ft_segment_params_parse).
 * Sets seg->method and the method's fields.  Returns 0 on success, -1 when
 * s is not one of these (seg unchanged). */
int cli_parse_threshold(const char *s, ft_segment_params *seg);

/* Method names accepted by cli_parse_threshold besides numbers, as one
 * comma-separated line for help texts ("otsu, li, ..."). */
const char *cli_threshold_names(void);

/* A decimal integer in [min, max].  Returns 0 and sets *out, or -1. */
int cli_parse_long(const char *s, long min, long max, long *out);

/* A positive pixel count, optionally followed by k, M or G (multiples of
 * 1000, 1000^2, 1000^3): "50M" is 50 000 000.  Returns 0 or -1. */
int cli_parse_pixels(const char *s, uint64_t *out);

#endif
