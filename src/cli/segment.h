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

/* Which chain of a preset with a model the command line asks for
 * (an ft_preset_chain): the last --segment given (segment, NULL if none)
 * picks the chain it names, threshold the classical one and unet[:MODEL]
 * the model one; without --segment, any option of the classical chain
 * (classical_opt, the first such option given, e.g. "--threshold"; NULL if
 * none) picks the classical chain; otherwise the preset decides
 * (FT_PRESET_CHAIN_AUTO).  *why gets the option that decided, or NULL. */
int cli_preset_chain(const char *segment, const char *classical_opt, const char **why);

/* Apply preset name to opt with the chain chosen by cli_preset_chain (why:
 * its reason); as cli_set.  At verbosity 1 or more the library's log of the
 * choice, or the reason, goes to standard error. */
int cli_preset(ft_options *opt, const char *name, int chain, const char *why, int verbosity,
               char *msg, size_t size);

/* --list-presets: every preset with its description and its settings as
 * command-line options, then the accepted denoise filters and threshold
 * methods with their keys. */
void cli_list_presets(FILE *fp);

/* The preset names, comma-separated, for --help. */
const char *cli_preset_names(void);

#endif
