/* src/cli/main.c - the figtrace program: raster images in, SVG figures out.
 *
 * The only code in the project that parses argv, prints and chooses exit
 * codes.  It runs the library's own pipeline (ft_options + ft_pipeline_run),
 * so a conversion here is the one a library user or a test gets.
 *
 * A run has three phases:
 *   1. parse the options (getopt_long; any mistake is a usage error, exit 2);
 *   2. plan: give every input its output name and check the plan as a whole
 *      before touching anything - stdin at most once, "-o -" only for a
 *      single input, no two inputs writing the same file, no output
 *      overwriting an input (all usage errors, nothing converted);
 *   3. convert the inputs one after another.  A failing input is reported as
 *      "figtrace: INPUT: reason" and the others still convert.  Output goes
 *      through ft_sink_open_file(), which writes a temporary file and renames
 *      it into place only when everything succeeded, so a failed or
 *      interrupted conversion never leaves a half-written figure.
 * Exit status: 0 every input converted, 1 some failed, 2 usage error,
 * 128+N when stopped by signal N (SIGINT, SIGTERM, SIGHUP).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "figtrace.h"
#include "cli/labels.h"
#include "cli/options.h"
#include "cli/segment.h"

#define EXIT_USAGE 2

/* What the command line asked for. */
typedef struct cli {
  ft_options opt;      /* the pipeline's parameters */
  const char *out_arg; /* -o argument, NULL when absent */
  const char *labels;  /* --labels FILE (instance label image), NULL when absent */
  int verbosity;       /* -1 quiet, 0 normal, 1 verbose, 2 debug */
  char **inputs;       /* [ninputs] borrowed from argv */
  int ninputs;
} cli;

/* One conversion of the plan. */
typedef struct job {
  const char *input; /* file name, "-" for standard input */
  char *output;      /* file name, "-" for standard output; owned */
} job;

/* State the log callback needs: which input is being converted. */
typedef struct log_state {
  const char *input;
} log_state;

static volatile sig_atomic_t stop_signal = 0;

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
          "Each INPUT is a file name, or - for standard input.  Without -o, a file\n"
          "DIR/NAME.EXT is written to DIR/NAME.svg and standard input to standard output.\n"
          "\n"
          "Options:\n"
          "  -o, --output=PATH      write to PATH: a file when there is one input, a\n"
          "                         directory (created if missing) when there are\n"
          "                         several, or when PATH ends in / or is a directory;\n"
          "                         - writes the single input's SVG to standard output\n"
          "  -p, --preset=NAME      start from a named set of options: %s\n"
          "                         (default lineart); other options override it\n"
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
          "                         below PX square pixels (default 0, keep all)\n"
          "      --segment=SPEC     segmenter: threshold (default), or a U-Net,\n"
          "                         unet[:MODEL][,KEY=VALUE...], MODEL a name (nuclei)\n"
          "                         or a .safetensors path, keys diameter, rescale,\n"
          "                         refine, invert, min-area, tile; models are searched\n"
          "                         in $FIGTRACE_MODEL_PATH, then %s\n"
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
          "      --polygon          fit straight segments only\n"
          "      --no-fit           keep the exact pixel outline (no smoothing)\n"
          "  -q, --quiet            print errors only, no warnings\n"
          "  -v, --verbose          report each conversion and the library's log;\n"
          "                         twice for debugging detail\n"
          "  -h, --help             show this help and exit\n"
          "      --version          show the version and exit\n"
          "\n"
          "Exit status: 0 if every input was converted, 1 if some failed (the others\n"
          "are still converted), 2 for a usage error (nothing is converted).\n"
          "\n"
          "Examples:\n"
          "  figtrace samples/diagram.png                writes samples/diagram.svg\n"
          "  figtrace -o out/ scans/*.png                writes out/NAME.svg for each\n"
          "  convert photo.heic png:- | figtrace - > photo.svg\n"
          "\n"
          "See figtrace(1) for details.\n",
          cli_preset_names(), cli_threshold_names(), ft_model_dir(),
          (unsigned long long)rd.max_pixels, fit.tolerance, fit.alphamax);
}

/* The library's message already names the input for read errors
 * ("scan.png: png: premature end of data"); add the name only when it is
 * not already there, so it is never printed twice. */
static int names_input(const char *msg, const char *input) {
  static const char *const stdin_names[] = {"-", "stdin", "<stdin>", "(stdin)"};
  size_t i, n;
  n = strlen(input);
  if (strncmp(msg, input, n) == 0 && msg[n] == ':') return 1;
  if (strcmp(input, "stdin") == 0)
    for (i = 0; i < sizeof stdin_names / sizeof stdin_names[0]; i++) {
      n = strlen(stdin_names[i]);
      if (strncmp(msg, stdin_names[i], n) == 0 && msg[n] == ':') return 1;
    }
  return 0;
}

/* One line for a failed input: the context's detail, or the status text
 * when a stage left none. */
static void report_failure(ft_ctx *ctx, const char *input, ft_status st) {
  const char *msg = ft_ctx_errmsg(ctx);
  if (!msg || !*msg) msg = ft_status_str(st);
  if (names_input(msg, input))
    fprintf(stderr, "figtrace: %s\n", msg);
  else
    fprintf(stderr, "figtrace: %s: %s\n", input, msg);
}

/* Log printer installed on the context: "figtrace: INPUT: message". */
static void log_to_stderr(void *user, ft_log_level level, const char *msg) {
  const log_state *ls = user;
  const char *tag = level == FT_LOG_WARN ? "warning: " : "";
  if (ls && ls->input && !names_input(msg, ls->input))
    fprintf(stderr, "figtrace: %s: %s%s\n", ls->input, tag, msg);
  else
    fprintf(stderr, "figtrace: %s%s\n", tag, msg);
}

/* ---- signals ---- */

static void on_signal(int sig) { stop_signal = sig; }

/* The first SIGINT/SIGTERM/SIGHUP asks the running conversion to stop (the
 * progress callback cancels it and its temporary file is removed); a second
 * one kills the process the ordinary way.  No SA_RESTART, so a blocked read
 * of standard input returns. */
static void install_signal_handlers(void) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction sa;
  size_t i;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;
  for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
}

/* Progress callback: non-zero (cancel) once a signal has arrived. */
static int progress_cb(void *user, double fraction) { return stop_signal != 0; }

/* ---- option parsing ---- */

enum {
  OPT_THRESHOLD = 256, OPT_INVERT, OPT_PAGE, OPT_MAX_PIXELS, OPT_VERSION,
  OPT_TOLERANCE, OPT_ALPHAMAX, OPT_MIN_AREA, OPT_POLYGON, OPT_NO_FIT,
  OPT_LIST_PRESETS, OPT_DENOISE, OPT_COLORS, OPT_SEGMENT, OPT_LABELS
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
      {"quiet", no_argument, NULL, 'q'},
      {"verbose", no_argument, NULL, 'v'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, OPT_VERSION},
      {"tolerance", required_argument, NULL, OPT_TOLERANCE},
      {"alphamax", required_argument, NULL, OPT_ALPHAMAX},
      {"min-area", required_argument, NULL, OPT_MIN_AREA},
      {"polygon", no_argument, NULL, OPT_POLYGON},
      {"no-fit", no_argument, NULL, OPT_NO_FIT},
      {"preset", required_argument, NULL, 'p'},
      {"list-presets", no_argument, NULL, OPT_LIST_PRESETS},
      {"denoise", required_argument, NULL, OPT_DENOISE},
      {"colors", required_argument, NULL, OPT_COLORS},
      {"segment", required_argument, NULL, OPT_SEGMENT},
      {"labels", required_argument, NULL, OPT_LABELS},
      {NULL, 0, NULL, 0},
  };
  static const char shortopts[] = ":o:p:qvh";
  const char *preset = NULL;
  char msg[1024];
  int ch;
  long n;

  memset(c, 0, sizeof *c);
  ft_options_init(&c->opt);
  opterr = 0;
  /* The preset (the last -p given) is applied before every other option,
   * wherever it stands, so options on the command line override it one by
   * one; mistakes are reported by the full pass below. */
  while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1)
    if (ch == 'p') preset = optarg;
  optind = 0;
  if (preset && cli_preset(&c->opt, preset, msg, sizeof msg)) {
    usage_error("%s", msg);
    return EXIT_USAGE;
  }
  while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
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
      case OPT_TOLERANCE:
        if (cli_parse_double(optarg, 0.05, 100.0, &c->opt.fit.tolerance)) {
          usage_error("invalid tolerance '%s' (pixels, from 0.05 to 100)", optarg);
          return EXIT_USAGE;
        }
        break;
      case OPT_ALPHAMAX:
        if (cli_parse_double(optarg, 0.0, 4.0 / 3.0, &c->opt.fit.alphamax)) {
          usage_error("invalid alphamax '%s' (from 0 to 1.3333)", optarg);
          return EXIT_USAGE;
        }
        break;
      case OPT_POLYGON:
        c->opt.fit.mode = FT_FIT_POLYGON;
        break;
      case OPT_NO_FIT:
        c->opt.fit.mode = FT_FIT_NONE;
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
  c->inputs = argv + optind;
  c->ninputs = argc - optind;
  if (c->ninputs < 1) {
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

/* 1 when path names a directory (following symbolic links). */
static int is_directory(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

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
    return concat3(dir, n, "/", dir[n - 1] == '/' ? 0 : 1, "stdin.svg");
  }
  n = trimmed_len(input);
  b = base_offset(input, n);
  e = n;
  while (e > b + 1 && input[e - 1] != '.') e--;
  if (e <= b + 1) e = n + 1; /* no extension: keep the whole name */
  e--;                       /* drop the dot itself */
  if (!dir) return concat3(input, e, "", 0, ".svg");
  n = trimmed_len(dir);
  {
    char *head = concat3(dir, n, "/", dir[n - 1] == '/' ? 0 : 1, "");
    char *s;
    if (!head) return NULL;
    s = concat3(head, strlen(head), input + b, e - b, ".svg");
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

/* mkdir -p: create path and its missing parents (mode 0777 less umask). */
static int make_dirs(const char *path) {
  size_t n = trimmed_len(path), i;
  char *p = concat3(path, n, "", 0, "");
  int r = 0;
  if (!p) {
    errno = ENOMEM;
    return -1;
  }
  for (i = 1; i <= n && r == 0; i++) {
    if (i < n && p[i] != '/') continue;
    p[i] = '\0';
    if (mkdir(p, 0777) != 0 && !(errno == EEXIST && is_directory(p))) r = -1;
    if (i < n) p[i] = '/';
  }
  free(p);
  return r;
}

/* Build the plan: one job per input.  Returns -1 to go on, else an exit
 * status (messages printed).  *dir_out receives the directory to create
 * (borrowed from the command line) or NULL. */
static int plan(const cli *c, job *jobs, const char **dir_out) {
  int i, nstdin = 0, to_dir = 0;
  *dir_out = NULL;
  for (i = 0; i < c->ninputs; i++)
    if (strcmp(c->inputs[i], "-") == 0) nstdin++;
  if (nstdin > 1) {
    usage_error("standard input (-) can be read only once");
    return EXIT_USAGE;
  }
  if (c->out_arg && strcmp(c->out_arg, "-") == 0 && c->ninputs > 1) {
    usage_error("-o - (standard output) takes a single input, not %d", c->ninputs);
    return EXIT_USAGE;
  }
  if (c->out_arg && strcmp(c->out_arg, "-") != 0) {
    size_t n = strlen(c->out_arg);
    struct stat sb;
    to_dir = c->ninputs > 1 || c->out_arg[n - 1] == '/' || is_directory(c->out_arg);
    if (c->ninputs > 1 && stat(c->out_arg, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
      usage_error("-o '%s' is not a directory; several inputs need one", c->out_arg);
      return EXIT_USAGE;
    }
  }
  for (i = 0; i < c->ninputs; i++) {
    const char *in = c->inputs[i];
    jobs[i].input = in;
    if (!c->out_arg)
      jobs[i].output = strcmp(in, "-") == 0 ? concat3("-", 1, "", 0, "") : output_name(in, NULL);
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

/* ---- conversion ---- */

/* Monotonic clock in seconds, for the -v report only. */
static double now_seconds(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0.0;
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* How messages name an input: standard input is "stdin", as the readers
 * call it. */
static const char *display_name(const char *input) {
  return strcmp(input, "-") == 0 ? "stdin" : input;
}

/* Convert one input.  Returns 0 on success, 1 on failure (reported). */
static int convert(ft_ctx *ctx, const cli *c, const job *j) {
  ft_image *img = NULL;
  ft_doc *doc = NULL;
  ft_labels *labels = NULL;
  ft_sink *sink = NULL;
  ft_status st, cst;
  double t0 = now_seconds();
  const char *name = display_name(j->input);
  int npaths = 0, i;

  ft_ctx_clear_error(ctx);
  if ((st = ft_read_file(ctx, j->input, &c->opt.read, &img))) goto fail;
  if ((st = ft_pipeline_run_labels(ctx, &c->opt, img, &doc, c->labels ? &labels : NULL)))
    goto fail;
  if (doc->incomplete && c->verbosity >= 0)
    fprintf(stderr, "figtrace: %s: warning: conversion incomplete, part of the image was skipped\n",
            name);
  if ((st = ft_sink_open_file(ctx, j->output, &sink))) goto fail;
  st = ft_write_svg(ctx, doc, &c->opt.svg, sink);
  if (st == FT_OK && stop_signal) st = FT_ERR_CANCELLED;
  /* Commit only a complete document; otherwise the temporary is removed. */
  cst = ft_sink_close(ctx, sink, st == FT_OK);
  sink = NULL;
  if (st == FT_OK) st = cst;
  if (st) goto fail;
  /* --labels: the label image, written (atomically) once the figure is. */
  if (labels && (st = ft_labels_write(ctx, labels, c->labels))) goto fail;

  if (c->verbosity > 0) {
    for (i = 0; i < doc->nlayers; i++)
      if (doc->layer[i].paths) npaths += doc->layer[i].paths->npaths;
    fprintf(stderr, "figtrace: %s: %dx%d, %d channel%s, %d-bit -> %s (%d path%s, %.3f s)\n",
            name, img->width, img->height, img->channels, img->channels == 1 ? "" : "s",
            img->bit_depth, strcmp(j->output, "-") == 0 ? "standard output" : j->output, npaths,
            npaths == 1 ? "" : "s", now_seconds() - t0);
  }
  ft_labels_free(labels);
  ft_doc_free(doc);
  ft_image_free(img);
  return 0;

fail:
  if (st == FT_ERR_CANCELLED && stop_signal) {
    if (c->verbosity >= 0) fprintf(stderr, "figtrace: %s: interrupted\n", name);
  } else {
    report_failure(ctx, name, st);
  }
  ft_labels_free(labels);
  ft_doc_free(doc);
  ft_image_free(img);
  return 1;
}

int main(int argc, char **argv) {
  cli c;
  job *jobs = NULL;
  const char *dir = NULL;
  ft_ctx *ctx = NULL;
  log_state ls = {NULL};
  int status, i, failed = 0;

  if ((status = parse_args(&c, argc, argv)) >= 0) return status;

  jobs = calloc((size_t)c.ninputs, sizeof *jobs);
  if (!jobs) {
    fputs("figtrace: out of memory\n", stderr);
    return 1;
  }
  if ((status = plan(&c, jobs, &dir)) >= 0) goto done;
  if ((status = check_plan(jobs, c.ninputs)) != 0) goto done;
  if (dir && make_dirs(dir) != 0) {
    fprintf(stderr, "figtrace: %s: cannot create directory: %s\n", dir, strerror(errno));
    status = 1;
    goto done;
  }

  if (!(ctx = ft_ctx_new())) {
    fputs("figtrace: out of memory\n", stderr);
    status = 1;
    goto done;
  }
  if (c.verbosity >= 0)
    ft_ctx_set_log(ctx, log_to_stderr, &ls,
                   c.verbosity >= 2 ? FT_LOG_DEBUG : c.verbosity == 1 ? FT_LOG_INFO : FT_LOG_WARN);
  else
    ft_ctx_set_log(ctx, NULL, NULL, FT_LOG_ERROR);
  ft_ctx_set_progress(ctx, progress_cb, NULL);
  install_signal_handlers();

  for (i = 0; i < c.ninputs && !stop_signal; i++) {
    ls.input = display_name(jobs[i].input);
    failed += convert(ctx, &c, &jobs[i]);
  }
  status = stop_signal ? 128 + (int)stop_signal : failed ? 1 : 0;

done:
  if (jobs)
    for (i = 0; i < c.ninputs; i++) free(jobs[i].output);
  free(jobs);
  ft_ctx_free(ctx);
  return status;
}
