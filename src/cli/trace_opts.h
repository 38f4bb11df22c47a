/* src/cli/trace_opts.h - values of --trace and --stroke-width.
 *
 * Like options.h, the parsers take the whole argument, fail on trailing
 * garbage, empty strings and values out of range, and never print. */
#ifndef FT_CLI_TRACE_OPTS_H
#define FT_CLI_TRACE_OPTS_H

#include "figtrace.h"

/* --trace MODE: "outline", "centerline" or "auto"; sets tp->mode.
 * Returns 0 on success, -1 for another word. */
int cli_parse_trace(const char *s, ft_trace_params *tp);

/* --stroke-width WIDTH: "auto" (measure each stroke: tp->stroke_width = 0)
 * or a number of pixels greater than 0 and at most 10000 given to every
 * stroke.  Returns 0 on success, -1 otherwise. */
int cli_parse_stroke_width(const char *s, ft_trace_params *tp);

#endif
