/* src/cli/check.c - "figtrace check": lint SVG files against a journal.
 *
 *   figtrace check [--journal NAME] [-q] FILE.svg...
 *
 * Each finding is one line on standard output, "FILE:LINE: ELEMENT#ID:
 * message", the form compilers use so editors can jump to it; a file that
 * breaks nothing gets "FILE: passes NAME rules" (not with -q).  Files that
 * cannot be read or parsed are reported on standard error.  Exit status:
 * 0 every file passes, 1 some rule broken or a file unreadable, 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/figure.h"

#define MAX_SVG_BYTES ((size_t)1 << 30)

/* Read all of fp; returns a malloc'd buffer and its length, or NULL. */
static char *slurp(FILE *fp, size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap), *nb;
  if (!buf) return NULL;
  for (;;) {
    size_t got;
    if (n == cap) {
      if (cap >= MAX_SVG_BYTES) {
        free(buf);
        errno = EFBIG;
        return NULL;
      }
      cap *= 2;
      if (!(nb = realloc(buf, cap))) {
        free(buf);
        return NULL;
      }
      buf = nb;
    }
    got = fread(buf + n, 1, cap - n, fp);
    n += got;
    if (got == 0) break;
  }
  if (ferror(fp)) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

typedef struct finding_ctx {
  const char *file;
} finding_ctx;

static void print_finding(void *user, const ft_check_finding *f) {
  const finding_ctx *fc = user;
  printf("%s:%ld: %s%s%s: %s\n", fc->file, f->line, f->element, f->id ? "#" : "",
         f->id ? f->id : "", f->message);
}

static void check_usage(const char *fmt, const char *arg) {
  fputs("figtrace check: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nUsage: figtrace check [--journal NAME] [-q] FILE.svg...\n", stderr);
}

int cli_check_main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"journal", required_argument, NULL, 'j'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const ft_journal *j = ft_journal_find("none");
  ft_ctx *ctx;
  int ch, i, quiet = 0, status = 0;

  optind = 1;
  opterr = 0;
  while ((ch = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
    switch (ch) {
      case 'j':
        if (!(j = ft_journal_find(optarg))) {
          check_usage("unknown journal '%s' (nature, cell, science, plos, elife or none)", optarg);
          return 2;
        }
        break;
      case 'q':
        quiet = 1;
        break;
      case 'h':
        printf("Usage: figtrace check [--journal NAME] [-q] FILE.svg...\n"
               "Report every element of the SVG files that breaks the journal's artwork\n"
               "rules: physical size, missing viewBox, strokes below the minimum width,\n"
               "fonts and font sizes, raster images.  - reads standard input.\n"
               "Exit status: 0 all files pass, 1 something breaks a rule, 2 usage.\n");
        return 0;
      case ':':
        check_usage("option '%s' needs an argument", argv[optind - 1]);
        return 2;
      default:
        check_usage("unknown option '%s'", argv[optind - 1]);
        return 2;
    }
  }
  if (optind >= argc) {
    check_usage("%s", "no SVG file to check");
    return 2;
  }
  if (!(ctx = ft_ctx_new())) {
    fputs("figtrace: out of memory\n", stderr);
    return 1;
  }
  for (i = optind; i < argc; i++) {
    const char *file = argv[i];
    int is_stdin = strcmp(file, "-") == 0, n = 0;
    FILE *fp = is_stdin ? stdin : fopen(file, "rb");
    finding_ctx fc;
    char *data;
    size_t len = 0;
    ft_status st;
    if (!fp) {
      fprintf(stderr, "figtrace: %s: cannot open: %s\n", file, strerror(errno));
      status = 1;
      continue;
    }
    data = slurp(fp, &len);
    if (!data) fprintf(stderr, "figtrace: %s: cannot read: %s\n", file, strerror(errno));
    if (!is_stdin) fclose(fp);
    if (!data) {
      status = 1;
      continue;
    }
    fc.file = is_stdin ? "stdin" : file;
    st = ft_check_svg(ctx, data, len, fc.file, j, print_finding, &fc, &n);
    free(data);
    if (st) {
      fprintf(stderr, "figtrace: %s\n", ft_ctx_errmsg(ctx));
      status = 1;
    } else if (n > 0) {
      status = 1;
    } else if (!quiet) {
      printf("%s: passes %s rules\n", fc.file, j->name);
    }
  }
  ft_ctx_free(ctx);
  if (fflush(stdout) != 0) status = 1;
  return status;
}
