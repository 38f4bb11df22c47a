/* src/cli/segment.h - the program's segmentation options: presets, denoise
 * chains, thresholds, colours, minimum area.  Everything goes through the
 * library's ft_options_set() and ft_preset_apply(), so the options, the
 * presets and library users share one setter. */
#ifndef FT_CLI_SEGMENT_H
#define FT_CLI_SEGMENT_H

#include <stdio.h>

#include "figtrace.h"

/* Set option key (an ft_options_set key) to value.  Returns 0, or -1 with
 * the library's message ("denoise: unknown filter 'x' (known: ...)") in
 * msg[size]. */
int cli_set(ft_options *opt, const char *key, const char *value, char *msg, size_t size);

/* Apply preset name to opt; as cli_set.  classical: take the preset's
 * classical chain even when it prefers a model that is installed (the user
 * asked for --segment threshold). */
int cli_preset(ft_options *opt, const char *name, int classical, char *msg, size_t size);

/* --list-presets: every preset with its description and its settings as
 * command-line options, then the accepted denoise filters and threshold
 * methods with their keys. */
void cli_list_presets(FILE *fp);

/* The preset names, comma-separated, for --help. */
const char *cli_preset_names(void);

#endif
