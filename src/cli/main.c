/* src/cli/main.c - the figtrace program: raster images in, SVG figures out.
 *
 * The only code in the project that parses argv, prints and chooses exit
 * codes.  It runs the library's own pipeline (ft_options + ft_pipeline_run),
 * so a conversion here is the one a library user or a test gets.
 *
 * A run has three phases:
 *   1. parse the options (getopt_long; any mistake is a usage error, exit 2);
 *   2. plan: expand directories into their images (cli_expand_inputs),
 *      give every input its output name - beside it, or under -o DIR with
 *      the input tree mirrored - and check the plan as a whole before
 *      touching anything: stdin at most once, "-o -" only for a single
 *      input, no two inputs writing the same file, no output overwriting an
 *      input (all usage errors, nothing converted);
 *   3. convert (batch_run in batch.c): -j inputs at once, each reported in
 *      input order as "figtrace: INPUT: reason" when it fails while the
 *      others still convert.  Output goes through ft_sink_open_file(), which
 *      writes a temporary file and renames it into place only when
 *      everything succeeded, so a failed or interrupted conversion never
 *      leaves a half-written figure.
 * Exit status: 0 every input converted, 1 some failed, 2 usage error,
 * 128+N when stopped by signal N (SIGINT, SIGTERM, SIGHUP).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#ifdef HAVE_MALLOPT
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "figtrace.h"
#include "cli/figure.h"
#include "cli/batch.h"
#include "cli/labels.h"
#include "cli/options.h"
#include "cli/segment.h"
#include "cli/trace_opts.h"

#define EXIT_USAGE 2

/* What the command line asked for. */
typedef struct cli {
  ft_options opt;      /* the pipeline's parameters */
  const char *out_arg; /* -o argument, NULL when absent */
  const char *labels;  /* --labels FILE (instance label image), NULL when absent */
  int verbosity;       /* -1 quiet, 0 normal, 1 verbose, 2 debug */
  char **args;         /* [nargs] inputs as given, borrowed from argv */
  int nargs;
  cli_input *inputs;   /* [ninputs] after expanding directories; owned */
  int ninputs;
  cli_walk walk;       /* -r, --include */
  batch_config batch;  /* -j, --skip-existing, --progress, --log, --report */
  long shard, nshards; /* --shard K/N: keep inputs K, K+N, ... (1-based); 0/0 all */
} cli;

/* ---- messages ---- */

/* A usage error: "figtrace: PROBLEM" and a pointer to --help, on stderr.
 * The caller returns EXIT_USAGE. */
static void usage_error(const char *fmt, ...) {
  va_list ap;
  fputs("figtrace: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\nTry 'figtrace --help' for more information.\n", stderr);
}

/* --help: every option, the exit status and a few examples.  Keep in step
 * with man/figtrace.1 (tests/e2e/errors.sh checks both list each option). */
static void print_help(FILE *fp) {
  ft_read_params rd;
  ft_fit_params fit;
  ft_read_params_init(&rd);
  ft_fit_params_init(&fit);
  fprintf(fp,
          "Usage: figtrace [OPTION]... INPUT...\n"
          "Convert raster images (PNG, JPEG, TIFF, PNM) into editable SVG figures.\n"
          "\n"
          "Each INPUT is a file name, a directory (its images), or - for standard\n"
          "input.  Without -o, a file DIR/NAME.EXT is written to DIR/NAME.svg and\n"
          "standard input to standard output.\n"
          "\n"
          "Options:\n"
          "  -o, --output=PATH      write to PATH: a file when there is one input, a\n"
          "                         directory (created if missing) when there are\n"
          "                         several, or when PATH ends in / or is a directory;\n"
          "                         - writes the single input's SVG to standard output\n"
          "  -p, --preset=NAME      start from a named set of options: %s\n"
          "                         (default lineart); other options override it;\n"
          "                         sketch takes the ink U-Net when it is installed\n"
          "      --list-presets     show the presets with their settings, the denoise\n"
          "                         filters and the threshold methods, and exit\n"
          "      --denoise=SPEC     filters applied before segmenting, in order, e.g.\n"
          "                         flatten:r=40,median:r=1 ('' for none)\n"
          "      --threshold=VALUE  ink/background threshold: a number from 0 to 1\n"
          "                         (or a percentage such as 45%%), or a method: %s,\n"
          "                         with keys, e.g. sauvola:w=31,k=0.2 (default otsu)\n"
          "      --colors=N         quantise into N colours (2..64, k-means in CIELAB)\n"
          "                         instead of thresholding; 0 thresholds\n"
          "      --min-area=PX      merge regions of fewer than PX pixels into their\n"
          "                         neighbour, and drop fitted outlines and holes\n"
          "                         below PX square pixels (default 3: specks of one\n"
          "                         or two pixels; 0 keeps all)\n"
          "      --border-wedges=drop|keep  drop the dark triangles a shadow's edge\n"
          "                         leaves where it meets the image border (default\n"
          "                         keep; -p sketch drops them)\n"
          "      --segment=SPEC     segmenter: threshold (default), or a U-Net,\n"
          "                         unet[:MODEL][,KEY=VALUE...], MODEL a name (nuclei)\n"
          "                         or a .safetensors path, keys diameter, rescale,\n"
          "                         refine, invert, min-area, min-peak, tile, ink,\n"
          "                         split, flips, scale, foreground; models are\n"
          "                         searched in $FIGTRACE_MODEL_PATH, then\n"
          "                         %s\n"
          "      --labels=FILE      also write the label image (16-bit PNG or TIFF,\n"
          "                         one value per object) to FILE; one input only\n"
          "      --invert           swap ink and background after thresholding\n"
          "      --page=N           TIFF page (directory) to read, counted from 0\n"
          "                         (default 0)\n"
          "      --max-pixels=N     refuse images with more than N pixels before\n"
          "                         decoding them; N may end in k, M or G\n"
          "                         (default %llu)\n"
          "      --tolerance=PX     largest distance of the fitted curves from the\n"
          "                         pixel outline, in pixels (default %.2g)\n"
          "      --alphamax=A       corner threshold from 0 (all corners) to 1.3333\n"
          "                         (no corners) (default %.2g)\n"
          "      --thin=F           hold thin parts to F times their width in\n"
          "                         pixels (at least 0.3), 0 for off (default %.2g)\n"
          "      --relative=F       hold each shape to F times its mean width\n"
          "                         (at least 0.4 px), 0 for off (default %.2g)\n"
          "      --polygon          fit straight segments only\n"
          "      --no-fit           keep the exact pixel outline (no smoothing)\n"
          "      --trace=MODE       outline: filled outlines of the ink (default);\n"
          "                         centerline: pen strokes as stroked centre lines;\n"
          "                         auto: centre lines, filled outlines for ink much\n"
          "                         wider than the typical stroke\n"
          "      --stroke-width=W   width of centre-line strokes: auto (measured per\n"
          "                         stroke, the default) or W pixels for all\n"
          "\n"
          "Figure options:\n"
          "      --journal=NAME     follow a journal's artwork rules: nature, cell,\n"
          "                         science, plos, elife or none (default none)\n"
          "      --width=W          figure width: single, 1.5, double (the journal's\n"
          "                         columns; default single with --journal) or MM\n"
          "      --palette=P        layer colours: okabe-ito (default, colour-blind safe),\n"
          "                         grayscale, source, or a FILE of #RRGGBB lines\n"
          "      --pixel-size=UM    micrometres per pixel (default: from the file)\n"
          "      --scale-bar=LEN    auto (default), off, or a length such as 10um\n"
          "      --format=FMT       svg, pdf, eps, png or tiff (default: from the -o\n"
          "                         name, else svg)\n"
          "      --dpi=N            resolution of png and tiff output (default 300)\n"
          "      --outline-text     draw text as outlines in pdf, eps, png and tiff\n"
          "      --underlay=WHAT    image: embed the original under the vectors, at\n"
          "                         native resolution; none (default)\n"
          "      --window=LO:HI     linear display window of the underlay in sample\n"
          "                         values (default: 0.1 and 99.9 percentiles)\n"
          "      --gamma=G          display gamma of the underlay; needs\n"
          "      --allow-nonlinear  (and is written into the description)\n"
          "\n"
          "Batches:\n"
          "  -r, --recursive        look for images in the subdirectories of a\n"
          "                         directory INPUT too; -o DIR mirrors the tree\n"
          "      --include=GLOB     take the files of directories whose name matches\n"
          "                         GLOB (repeatable; default: the usual image\n"
          "                         extensions); hidden files are skipped\n"
          "  -j, --jobs=N           convert N files at once (default: the number\n"
          "                         of CPUs)\n"
          "      --skip-existing    leave inputs whose output already exists alone,\n"
          "                         to resume an interrupted batch\n"
          "      --sync             flush each output to disk (fsync) before going\n"
          "                         on, so it survives a crash or power loss\n"
          "      --progress=WHEN    progress bar on standard error: auto (when it\n"
          "                         is a terminal; the default), always or never\n"
          "      --log=FILE         append one JSON line per input to FILE\n"
          "      --report=FILE.html write a contact sheet of every input beside its\n"
          "                         vectors, with images in FILE_files/\n"
          "      --shard=K/N        convert only inputs K, K+N, K+2N... of the\n"
          "                         expanded list (split a batch across nodes)\n"
          "\n"
          "Messages:\n"
          "  -q, --quiet            print errors only, no warnings\n"
          "  -v, --verbose          report each conversion and the library's log;\n"
          "                         twice for debugging detail and step times\n"
          "  -h, --help             show this help and exit\n"
          "      --version          show the version and exit\n"
          "\n"
          "Exit status: 0 if every input was converted, 1 if some failed (the others\n"
          "are still converted), 2 for a usage error (nothing is converted).\n"
          "\n"
          "Examples:\n"
          "  figtrace samples/diagram.png                writes samples/diagram.svg\n"
          "  figtrace -o out/ scans/*.png                writes out/NAME.svg for each\n"
          "  figtrace --journal nature -o fig1.pdf cells.tif\n"
          "  figtrace check --journal nature fig1.svg    lint an SVG against the rules\n"
          "  convert photo.heic png:- | figtrace - > photo.svg\n"
          "  figtrace -r --include '*.tif' -j 4 --log run.jsonl -o figs/ scans/\n"
          "\n"
          "See figtrace(1) for details.\n",
          cli_preset_names(), cli_threshold_names(), ft_model_dir(),
          (unsigned long long)rd.max_pixels, fit.tolerance, fit.alphamax, fit.thin,
          fit.relative);
}

/* ---- option parsing ---- */

enum {
  OPT_THRESHOLD = 256,
  OPT_INVERT,
  OPT_PAGE,
  OPT_MAX_PIXELS,
  OPT_VERSION,
  OPT_INCLUDE,
  OPT_SKIP_EXISTING,
  OPT_SYNC,
  OPT_PROGRESS,
  OPT_LOG,
  OPT_REPORT,
  OPT_SHARD,
  OPT_TOLERANCE,
  OPT_ALPHAMAX,
  OPT_THIN,
  OPT_RELATIVE,
  OPT_MIN_AREA,
  OPT_BORDER_WEDGES,
  OPT_POLYGON,
  OPT_NO_FIT,
  OPT_TRACE,
  OPT_STROKE_WIDTH,
  OPT_LIST_PRESETS,
  OPT_DENOISE,
  OPT_COLORS,
  OPT_SEGMENT,
  OPT_LABELS
};

/* Parse argv into c.  Returns -1 to go on, otherwise the exit status
 * (0 after --help or --version, EXIT_USAGE after a mistake). */
static int parse_args(cli *c, int argc, char **argv) {
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'},
      {"threshold", required_argument, NULL, OPT_THRESHOLD},
      {"invert", no_argument, NULL, OPT_INVERT},
      {"page", required_argument, NULL, OPT_PAGE},
      {"max-pixels", required_argument, NULL, OPT_MAX_PIXELS},
      {"recursive", no_argument, NULL, 'r'},
      {"include", required_argument, NULL, OPT_INCLUDE},
      {"jobs", required_argument, NULL, 'j'},
      {"skip-existing", no_argument, NULL, OPT_SKIP_EXISTING},
      {"sync", no_argument, NULL, OPT_SYNC},
      {"progress", required_argument, NULL, OPT_PROGRESS},
      {"log", required_argument, NULL, OPT_LOG},
      {"report", required_argument, NULL, OPT_REPORT},
      {"shard", required_argument, NULL, OPT_SHARD},
      {"trace", required_argument, NULL, OPT_TRACE},
      {"stroke-width", required_argument, NULL, OPT_STROKE_WIDTH},
      {"quiet", no_argument, NULL, 'q'},
      {"verbose", no_argument, NULL, 'v'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, OPT_VERSION},
      {"tolerance", required_argument, NULL, OPT_TOLERANCE},
      {"alphamax", required_argument, NULL, OPT_ALPHAMAX},
      {"thin", required_argument, NULL, OPT_THIN},
      {"relative", required_argument, NULL, OPT_RELATIVE},
      {"min-area", required_argument, NULL, OPT_MIN_AREA},
      {"border-wedges", required_argument, NULL, OPT_BORDER_WEDGES},
      {"polygon", no_argument, NULL, OPT_POLYGON},
      {"no-fit", no_argument, NULL, OPT_NO_FIT},
      CLI_FIGURE_LONGOPTS,
      {"preset", required_argument, NULL, 'p'},
      {"list-presets", no_argument, NULL, OPT_LIST_PRESETS},
      {"denoise", required_argument, NULL, OPT_DENOISE},
      {"colors", required_argument, NULL, OPT_COLORS},
      {"segment", required_argument, NULL, OPT_SEGMENT},
      {"labels", required_argument, NULL, OPT_LABELS},
      {NULL, 0, NULL, 0},
  };
  static const char shortopts[] = ":o:p:qvhrj:";
  const char *preset = NULL, *segment = NULL, *classical_opt = NULL;
  char msg[1024];
  int ch, verbosity = 0;
  long n;

  memset(c, 0, sizeof *c);
  ft_options_init(&c->opt);
  c->walk.patterns = calloc((size_t)argc + 1, sizeof *c->walk.patterns);
  if (!c->walk.patterns) {
    fputs("figtrace: out of memory\n", stderr);
    return 1;
  }
  opterr = 0;
  /* The preset (the last -p given) is applied before every other option,
   * wherever it stands, so options on the command line override it one by
   * one; mistakes are reported by the full pass below.  For a preset with
   * a model, the segmentation options given pick its chain
   * (cli_preset_chain): --segment names it, and the classical chain's own
   * options select that chain, so each acts on the chain it belongs to. */
  while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
    if (ch == 'p') preset = optarg;
    if (ch == OPT_SEGMENT) segment = optarg;
    if (!classical_opt)
      classical_opt = ch == OPT_DENOISE     ? "--denoise"
                      : ch == OPT_THRESHOLD ? "--threshold"
                      : ch == OPT_COLORS    ? "--colors"
                      : ch == OPT_INVERT    ? "--invert"
                                            : NULL;
    if (ch == 'q') verbosity = -1;
    if (ch == 'v') verbosity = verbosity < 0 ? 1 : verbosity + 1;
  }
  optind = 0;
  if (preset) {
    const char *why;
    int chain = cli_preset_chain(segment, classical_opt, &why);
    if (cli_preset(&c->opt, preset, chain, why, verbosity, msg, sizeof msg)) {
      usage_error("%s", msg);
      return EXIT_USAGE;
    }
  }
  while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
    if (ch >= CLI_FIG_FIRST && ch <= CLI_FIG_LAST) { /* figure options: src/cli/figure.c */
      char why[512];
      if (cli_figure_option(ch, optarg, &c->opt, why, sizeof why)) {
        usage_error("%s", why);
        return EXIT_USAGE;
      }
      continue;
    }
    switch (ch) {
      case 'o':
        if (c->out_arg) {
          usage_error("option -o/--output given twice");
          return EXIT_USAGE;
        }
        if (!*optarg) {
          usage_error("empty output name");
          return EXIT_USAGE;
        }
        c->out_arg = optarg;
        break;
      case OPT_THRESHOLD:
        if (cli_set(&c->opt, "threshold", optarg, msg, sizeof msg)) {
          usage_error("invalid threshold '%s': %s", optarg, msg);
          return EXIT_USAGE;
        }
        break;
      case 'p': /* applied above */
        break;
      case OPT_LIST_PRESETS:
        cli_list_presets(stdout);
        return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
      case OPT_DENOISE:
        if (cli_set(&c->opt, "denoise", optarg, msg, sizeof msg)) {
          usage_error("%s", msg);
          return EXIT_USAGE;
        }
        break;
      case OPT_COLORS:
        if (cli_set(&c->opt, "colors", optarg, msg, sizeof msg)) {
          usage_error("%s", msg);
          return EXIT_USAGE;
        }
        break;
      case OPT_MIN_AREA:
        if (cli_set(&c->opt, "min-area", optarg, msg, sizeof msg)) {
          usage_error("%s", msg);
          return EXIT_USAGE;
        }
        break;
      case OPT_BORDER_WEDGES:
        if (cli_set(&c->opt, "border-wedges", optarg, msg, sizeof msg)) {
          usage_error("%s", msg);
          return EXIT_USAGE;
        }
        break;
      case OPT_SEGMENT:
        if (cli_set(&c->opt, "segment", optarg, msg, sizeof msg)) {
          usage_error("%s", msg);
          return EXIT_USAGE;
        }
        break;
      case OPT_LABELS:
        if (!cli_labels_name_ok(optarg)) {
          usage_error("--labels '%s': the name must end in .png, .tif or .tiff", optarg);
          return EXIT_USAGE;
        }
        c->labels = optarg;
        c->batch.labels_path = optarg;
        break;
      case OPT_INVERT:
        c->opt.segment.invert = 1;
        break;
      case OPT_PAGE:
        if (cli_parse_long(optarg, 0, INT_MAX, &n)) {
          usage_error("invalid page '%s' (a whole number, 0 for the first page)", optarg);
          return EXIT_USAGE;
        }
        c->opt.read.page = (int)n;
        break;
      case OPT_MAX_PIXELS:
        if (cli_parse_pixels(optarg, &c->opt.read.max_pixels)) {
          usage_error("invalid pixel count '%s' (a positive whole number, may end in k, M or G)",
                      optarg);
          return EXIT_USAGE;
        }
        break;
      case 'r':
        c->walk.recursive = 1;
        break;
      case OPT_INCLUDE:
        if (!*optarg) {
          usage_error("empty --include pattern");
          return EXIT_USAGE;
        }
        c->walk.patterns[c->walk.npatterns++] = optarg;
        break;
      case 'j':
        if (cli_parse_long(optarg, 1, 1024, &n)) {
          usage_error("invalid job count '%s' (a whole number from 1 to 1024)", optarg);
          return EXIT_USAGE;
        }
        c->batch.jobs = (int)n;
        break;
      case OPT_SKIP_EXISTING:
        c->batch.skip_existing = 1;
        break;
      case OPT_SYNC:
        c->batch.sync = 1;
        break;
      case OPT_PROGRESS:
        if (strcmp(optarg, "auto") == 0)
          c->batch.progress = 0;
        else if (strcmp(optarg, "always") == 0)
          c->batch.progress = 1;
        else if (strcmp(optarg, "never") == 0)
          c->batch.progress = -1;
        else {
          usage_error("invalid --progress '%s' (auto, always or never)", optarg);
          return EXIT_USAGE;
        }
        break;
      case OPT_LOG:
        if (!*optarg) {
          usage_error("empty log file name");
          return EXIT_USAGE;
        }
        c->batch.log_path = optarg;
        break;
      case OPT_REPORT:
        if (!*optarg || strcmp(optarg, "-") == 0) {
          usage_error("--report needs a file name");
          return EXIT_USAGE;
        }
        c->batch.report_path = optarg;
        break;
      case OPT_SHARD: {
        char *slash = strchr(optarg, '/');
        if (!slash || (*slash = '\0', cli_parse_long(optarg, 1, INT_MAX, &c->shard)) ||
            cli_parse_long(slash + 1, 1, INT_MAX, &c->nshards) || c->shard > c->nshards) {
          if (slash) *slash = '/';
          usage_error("invalid shard '%s' (K/N with 1 <= K <= N)", optarg);
          return EXIT_USAGE;
        }
        *slash = '/';
        break;
      }
      case OPT_TOLERANCE:
      case OPT_ALPHAMAX:
      case OPT_THIN:
      case OPT_RELATIVE:
      case OPT_POLYGON:
      case OPT_NO_FIT: {
        const char *key = ch == OPT_TOLERANCE  ? "tolerance"
                          : ch == OPT_ALPHAMAX ? "alphamax"
                          : ch == OPT_THIN     ? "thin"
                          : ch == OPT_RELATIVE ? "relative"
                                               : "fit";
        const char *value = ch == OPT_POLYGON ? "polygon" : ch == OPT_NO_FIT ? "none" : optarg;
        if (cli_set(&c->opt, key, value, msg, sizeof msg)) {
          usage_error("%s", msg);
          return EXIT_USAGE;
        }
        break;
      }
      case OPT_TRACE:
        if (cli_parse_trace(optarg, &c->opt.trace)) {
          usage_error("invalid trace mode '%s' (one of: outline, centerline, auto)", optarg);
          return EXIT_USAGE;
        }
        break;
      case OPT_STROKE_WIDTH:
        if (cli_parse_stroke_width(optarg, &c->opt.trace)) {
          usage_error("invalid stroke width '%s' (auto, or pixels greater than 0)", optarg);
          return EXIT_USAGE;
        }
        break;
      case 'q':
        c->verbosity = -1;
        break;
      case 'v':
        c->verbosity = c->verbosity < 0 ? 1 : c->verbosity + 1;
        break;
      case 'h':
        print_help(stdout);
        return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
      case OPT_VERSION:
        printf("figtrace %s\n", ft_version());
        return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
      case ':':
        if (optopt > 0 && optopt < 128 && isalpha(optopt))
          usage_error("option -%c needs an argument", optopt);
        else
          usage_error("option '%s' needs an argument", argv[optind - 1]);
        return EXIT_USAGE;
      default:
        /* getopt sets optopt to the character of a bad short option, and
         * to the long option's value when a long option got an argument it
         * does not take; argv[optind - 1] is the word at fault then. */
        if (optopt > 0 && optopt < 128 && isalpha(optopt))
          usage_error("unknown option -%c", optopt);
        else if (optopt)
          usage_error("option '%s' takes no argument", argv[optind - 1]);
        else
          usage_error("unknown option '%s'", argv[optind - 1]);
        return EXIT_USAGE;
    }
  }
  {
    char why[512];
    if (cli_figure_finish(&c->opt, why, sizeof why)) {
      usage_error("%s", why);
      return EXIT_USAGE;
    }
  }
  c->args = argv + optind;
  c->nargs = argc - optind;
  if (c->nargs < 1) {
    usage_error("no input file (use - for standard input)");
    return EXIT_USAGE;
  }
  if (c->labels && c->ninputs > 1) {
    usage_error("--labels takes a single input, not %d", c->ninputs);
    return EXIT_USAGE;
  }
  return -1;
}

/* ---- output names ---- */

/* Length of path without trailing slashes (but keeping a lone "/"). */
static size_t trimmed_len(const char *path) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  return n;
}

/* Offset of the last path component of path[0..n). */
static size_t base_offset(const char *path, size_t n) {
  size_t i = n;
  while (i > 0 && path[i - 1] != '/') i--;
  return i;
}

/* malloc'd a + b + c, or NULL. */
static char *concat3(const char *a, size_t na, const char *b, size_t nb, const char *c) {
  size_t nc = strlen(c);
  char *s;
  if (na > SIZE_MAX - nb - nc - 1) return NULL;
  s = malloc(na + nb + nc + 1);
  if (!s) return NULL;
  memcpy(s, a, na);
  memcpy(s + na, b, nb);
  memcpy(s + na + nb, c, nc + 1);
  return s;
}

/* The SVG name for input: its last component with the extension (from the
 * last dot not at the start) replaced by .svg, placed in dir (dir NULL:
 * beside the input).  Standard input in a directory is called stdin.svg. */
static char *output_name(const char *input, const char *dir) {
  size_t n, b, e;
  if (strcmp(input, "-") == 0) {
    n = trimmed_len(dir);
    char *head = concat3(dir, n, "/", dir[n - 1] == '/' ? 0 : 1, "stdin"), *s;
    if (!head) return NULL;
    s = concat3(head, strlen(head), "", 0, cli_figure_ext());
    free(head);
    return s;
  }
  n = trimmed_len(input);
  b = base_offset(input, n);
  e = n;
  while (e > b + 1 && input[e - 1] != '.') e--;
  if (e <= b + 1) e = n + 1; /* no extension: keep the whole name */
  e--;                       /* drop the dot itself */
  if (!dir) return concat3(input, e, "", 0, cli_figure_ext());
  n = trimmed_len(dir);
  {
    char *head = concat3(dir, n, "/", dir[n - 1] == '/' ? 0 : 1, "");
    char *s;
    if (!head) return NULL;
    s = concat3(head, strlen(head), input + b, e - b, cli_figure_ext());
    free(head);
    return s;
  }
}

/* A key that is equal for two names of the same file: the real path of the
 * containing directory (when it exists) plus the last component. */
static char *file_key(const char *path) {
  size_t n = trimmed_len(path), b = base_offset(path, n);
  char *dir, *real, *key;
  if (b == 0)
    dir = concat3(".", 1, "", 0, "");
  else
    dir = concat3(path, b, "", 0, "");
  if (!dir) return NULL;
  real = realpath(dir, NULL);
  if (real) {
    key = concat3(real, strlen(real), "/", 1, "");
    free(real);
    if (key) {
      char *k2 = concat3(key, strlen(key), path + b, n - b, "");
      free(key);
      key = k2;
    }
  } else {
    key = concat3(path, n, "", 0, "");
  }
  free(dir);
  return key;
}

typedef struct key_entry {
  char *key;
  int job;      /* index in the plan */
  int is_input; /* 1: the key names an input, 0: an output */
} key_entry;

/* qsort order: by key; within equal keys outputs first, then by position. */
static int key_cmp(const void *a, const void *b) {
  const key_entry *x = a, *y = b;
  int r = strcmp(x->key, y->key);
  if (r) return r;
  if (x->is_input != y->is_input) return x->is_input - y->is_input;
  return x->job - y->job;
}

/* Refuse plans where two inputs write the same file or an output would
 * replace an input.  Returns 0 when the plan is sound, EXIT_USAGE after
 * printing the conflict, 1 when out of memory. */
static int check_plan(const job *jobs, int njobs) {
  key_entry *e;
  int i, n = 0, status = 0;
  e = calloc((size_t)njobs * 2 + 1, sizeof *e);
  if (!e) goto nomem;
  for (i = 0; i < njobs; i++) {
    if (strcmp(jobs[i].output, "-") != 0) {
      if (!(e[n].key = file_key(jobs[i].output))) goto nomem;
      e[n].job = i;
      e[n++].is_input = 0;
    }
    if (strcmp(jobs[i].input, "-") != 0) {
      if (!(e[n].key = file_key(jobs[i].input))) goto nomem;
      e[n].job = i;
      e[n++].is_input = 1;
    }
  }
  qsort(e, (size_t)n, sizeof *e, key_cmp);
  /* Equal keys are adjacent; outputs sort before inputs within a group. */
  for (i = 0; i + 1 < n && !status; i++) {
    if (strcmp(e[i].key, e[i + 1].key) != 0 || e[i].is_input) continue;
    if (!e[i + 1].is_input) {
      usage_error("inputs '%s' and '%s' would both be written to '%s'", jobs[e[i].job].input,
                  jobs[e[i + 1].job].input, jobs[e[i].job].output);
      status = EXIT_USAGE;
    } else {
      usage_error("output '%s' would overwrite the input '%s'", jobs[e[i].job].output,
                  jobs[e[i + 1].job].input);
      status = EXIT_USAGE;
    }
  }
  for (i = 0; i < n; i++) free(e[i].key);
  free(e);
  return status;
nomem:
  if (e)
    for (i = 0; i < n; i++) free(e[i].key);
  free(e);
  fputs("figtrace: out of memory\n", stderr);
  return 1;
}

/* Where an input found below a directory argument goes under -o DIR: the
 * same relative path, extension replaced by .svg. */
static char *mirror_name(const char *rel, const char *dir) {
  char *tail = output_name(rel, NULL), *head, *s;
  size_t n = trimmed_len(dir);
  if (!tail) return NULL;
  head = concat3(dir, n, "/", dir[n - 1] == '/' ? 0 : 1, "");
  s = head ? concat3(head, strlen(head), tail, strlen(tail), "") : NULL;
  free(head);
  free(tail);
  return s;
}

/* Build the plan: one job per input.  Returns -1 to go on, else an exit
 * status (messages printed).  *dir_out receives the directory to create
 * (borrowed from the command line) or NULL. */
static int plan(const cli *c, job *jobs, const char **dir_out) {
  int i, nstdin = 0, to_dir = 0, found = 0;
  *dir_out = NULL;
  for (i = 0; i < c->ninputs; i++) {
    if (strcmp(c->inputs[i].path, "-") == 0 && !c->inputs[i].rel) nstdin++;
    if (c->inputs[i].rel) found = 1;
  }
  if (nstdin > 1) {
    usage_error("standard input (-) can be read only once");
    return EXIT_USAGE;
  }
  if (c->out_arg && strcmp(c->out_arg, "-") == 0 && (c->ninputs > 1 || found)) {
    usage_error("-o - (standard output) takes a single input file, not %d%s", c->ninputs,
                found ? " from a directory" : "");
    return EXIT_USAGE;
  }
  if (c->out_arg && strcmp(c->out_arg, "-") != 0) {
    size_t n = strlen(c->out_arg);
    struct stat sb;
    to_dir = c->ninputs > 1 || found || c->out_arg[n - 1] == '/' || cli_is_directory(c->out_arg);
    if (to_dir && stat(c->out_arg, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
      usage_error("-o '%s' is not a directory; several inputs need one", c->out_arg);
      return EXIT_USAGE;
    }
  }
  for (i = 0; i < c->ninputs; i++) {
    const char *in = c->inputs[i].path;
    jobs[i].input = in;
    if (!c->out_arg)
      jobs[i].output = strcmp(in, "-") == 0 && !c->inputs[i].rel ? concat3("-", 1, "", 0, "")
                                                                 : output_name(in, NULL);
    else if (to_dir && c->inputs[i].rel)
      jobs[i].output = mirror_name(c->inputs[i].rel, c->out_arg);
    else if (to_dir)
      jobs[i].output = output_name(in, c->out_arg);
    else
      jobs[i].output = concat3(c->out_arg, strlen(c->out_arg), "", 0, "");
    if (!jobs[i].output) {
      fputs("figtrace: out of memory\n", stderr);
      return 1;
    }
  }
  if (to_dir) *dir_out = c->out_arg;
  return -1;
}

/* Keep freed image-sized buffers for the next one.  With glibc's defaults
 * every buffer above 128 KiB (a 512 px icon's 8-bit image and label map
 * are 256 KiB each, a float image 1 MiB) is a fresh mmap() whose pages
 * fault in one by one and go back to the system when freed; up to 32 MiB
 * they now come from the heap and are reused, within one conversion and
 * across a batch. */
static void tune_malloc(void) {
#if defined(HAVE_MALLOPT) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

int main(int argc, char **argv) {
  cli c;
  job *jobs = NULL;
  const char *dir = NULL;
  int status, i, njobs;

  tune_malloc();
  if (argc > 1 && strcmp(argv[1], "check") == 0) return cli_check_main(argc - 1, argv + 1);

  if ((status = parse_args(&c, argc, argv)) >= 0) goto done;
  if (cli_expand_inputs(c.args, c.nargs, &c.walk, &c.inputs, &c.ninputs) != 0) {
    status = 1;
    goto done;
  }
  if (c.ninputs == 0) { /* only empty directories: nothing to do */
    status = 0;
    goto done;
  }
  jobs = calloc((size_t)c.ninputs, sizeof *jobs);
  if (!jobs) {
    fputs("figtrace: out of memory\n", stderr);
    status = 1;
    goto done;
  }
  if ((status = plan(&c, jobs, &dir)) >= 0) goto done;
  if ((status = check_plan(jobs, c.ninputs)) != 0) goto done;
  njobs = c.ninputs;
  if (dir && cli_make_dirs(dir) != 0) {
    fprintf(stderr, "figtrace: %s: cannot create directory: %s\n", dir, strerror(errno));
    status = 1;
    goto done;
  }

  if (c.nshards > 0) { /* keep this shard's jobs, checked as a whole above */
    int k = 0;
    for (i = 0; i < c.ninputs; i++) {
      if (i % c.nshards == c.shard - 1)
        jobs[k++] = jobs[i];
      else
        free(jobs[i].output);
    }
    for (i = k; i < c.ninputs; i++) jobs[i].output = NULL;
    njobs = k;
  }
  c.batch.opt = &c.opt;
  c.batch.verbosity = c.verbosity;
  batch_install_signal_handlers();
  status = njobs > 0 ? batch_run(&c.batch, jobs, njobs) : 0;

done:
  if (jobs)
    for (i = 0; i < c.ninputs; i++) free(jobs[i].output);
  free(jobs);
  cli_inputs_free(c.inputs, c.ninputs);
  free(c.walk.patterns);
  return status;
}
