/* src/cli/figure.h - the figure options of the figtrace program: journal
 * preset, width, palette, pixel size, scale bar, output format, and the
 * writer they choose.
 *
 * main.c puts CLI_FIGURE_LONGOPTS into its getopt_long table and hands
 * every option with an id in CLI_FIG_FIRST..CLI_FIG_LAST to
 * cli_figure_option().  The output format settings are the program's own
 * (one per run), kept in this file.
 */
#ifndef FT_CLI_FIGURE_H
#define FT_CLI_FIGURE_H

#include <stddef.h>

#include "figtrace.h"

enum {
  CLI_FIG_FIRST = 512,
  CLI_FIG_JOURNAL = CLI_FIG_FIRST,
  CLI_FIG_WIDTH,
  CLI_FIG_PALETTE,
  CLI_FIG_PIXEL_SIZE,
  CLI_FIG_SCALE_BAR,
  CLI_FIG_FORMAT,
  CLI_FIG_DPI,
  CLI_FIG_OUTLINE_TEXT,
  CLI_FIG_UNDERLAY,
  CLI_FIG_WINDOW,
  CLI_FIG_GAMMA,
  CLI_FIG_ALLOW_NONLINEAR,
  CLI_FIG_LAST = CLI_FIG_ALLOW_NONLINEAR
};

#define CLI_FIGURE_LONGOPTS                                         \
  {"journal", required_argument, NULL, CLI_FIG_JOURNAL},            \
      {"width", required_argument, NULL, CLI_FIG_WIDTH},            \
      {"palette", required_argument, NULL, CLI_FIG_PALETTE},        \
      {"pixel-size", required_argument, NULL, CLI_FIG_PIXEL_SIZE},  \
      {"scale-bar", required_argument, NULL, CLI_FIG_SCALE_BAR},    \
      {"format", required_argument, NULL, CLI_FIG_FORMAT},          \
      {"dpi", required_argument, NULL, CLI_FIG_DPI},                \
      {"outline-text", no_argument, NULL, CLI_FIG_OUTLINE_TEXT},    \
      {"underlay", required_argument, NULL, CLI_FIG_UNDERLAY},      \
      {"window", required_argument, NULL, CLI_FIG_WINDOW},          \
      {"gamma", required_argument, NULL, CLI_FIG_GAMMA},            \
      {"allow-nonlinear", no_argument, NULL, CLI_FIG_ALLOW_NONLINEAR}

/* Apply option id with argument arg (NULL for flags) to opt.  Returns 0, or
 * -1 after writing the reason (no "figtrace: " prefix) into why[n]. */
int cli_figure_option(int id, const char *arg, ft_options *opt, char *why, size_t n);

/* Checks across options once all are parsed (--gamma needs
 * --allow-nonlinear and --underlay image).  Returns 0 or -1 with why. */
int cli_figure_finish(const ft_options *opt, char *why, size_t n);

/* The extension of output files named after their input: ".svg", or that
 * of the --format given. */
const char *cli_figure_ext(void);

/* Write doc to sink in the format asked for: --format, else the extension
 * of output (a file name, "-" for standard output), else SVG. */
ft_status cli_figure_write(ft_ctx *ctx, const ft_doc *doc, const ft_options *opt,
                           const char *output, ft_sink *sink);

/* "figtrace check FILE.svg... --journal NAME": lint SVG files against a
 * journal's rules (argv[0] is "check").  Returns the exit status: 0 all
 * pass, 1 some rule broken or a file unreadable, 2 usage. */
int cli_check_main(int argc, char **argv);

#endif
