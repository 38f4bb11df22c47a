/* src/cli/figure.c - figure options: journal, width, palette, scale bar,
 * output format; and the writer they choose.
 *
 * Values are parsed strictly (whole argument, range-checked) like the
 * parsers in options.c; nothing here prints except cli_check_main().  A
 * palette file holds one colour per line, "#RRGGBB" or "RRGGBB"; blank
 * lines and lines starting with "# " or ";" are comments.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/figure.h"

#define MAX_COLORS 64

/* The run's output settings and custom palette. */
static struct {
  int format; /* an ft_out_format, -1 for "from the output name" */
  ft_cairo_params cairo;
  int cairo_ready;
  ft_rgba colors[MAX_COLORS];
} fig = {-1, {0, 0.0, 0}, 0, {{0, 0, 0, 0}}};

static void ensure_cairo(void) {
  if (!fig.cairo_ready) {
    ft_cairo_params_init(&fig.cairo);
    fig.cairo_ready = 1;
  }
}

/* A finite number filling all of s, with an optional suffix (which may be
 * NULL) that is then removed; returns 0 and sets *v, or -1. */
static int parse_number(const char *s, const char *suffix, double *v) {
  char *end;
  if (!s || !*s || isspace((unsigned char)*s)) return -1;
  errno = 0;
  *v = strtod(s, &end);
  if (end == s || errno || !isfinite(*v)) return -1;
  if (*end == '\0') return 0;
  if (suffix && strcmp(end, suffix) == 0) return 0;
  return -1;
}

/* "#RRGGBB" or "RRGGBB". */
static int parse_hex_color(const char *s, size_t n, ft_rgba *c) {
  unsigned v[3];
  size_t i;
  if (n > 0 && *s == '#') s++, n--;
  if (n != 6) return -1;
  for (i = 0; i < 6; i++)
    if (!isxdigit((unsigned char)s[i])) return -1;
  for (i = 0; i < 3; i++) {
    char hex[3] = {s[2 * i], s[2 * i + 1], '\0'};
    v[i] = (unsigned)strtoul(hex, NULL, 16);
  }
  c->r = v[0] / 255.0f;
  c->g = v[1] / 255.0f;
  c->b = v[2] / 255.0f;
  c->a = 1.0f;
  return 0;
}

/* Read a palette file into fig.colors; returns the count or -1 (why set). */
static int read_palette(const char *path, char *why, size_t n) {
  FILE *fp = fopen(path, "r");
  char line[256];
  int count = 0, lineno = 0;
  if (!fp) {
    snprintf(why, n, "cannot open palette '%s': %s", path, strerror(errno));
    return -1;
  }
  while (fgets(line, sizeof line, fp)) {
    char *s = line, *e;
    lineno++;
    while (isspace((unsigned char)*s)) s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) e--;
    if (e == s || *s == ';' || (s[0] == '#' && (s[1] == ' ' || s[1] == '#'))) continue;
    if (count == MAX_COLORS) {
      snprintf(why, n, "palette '%s' has more than %d colours", path, MAX_COLORS);
      fclose(fp);
      return -1;
    }
    if (parse_hex_color(s, (size_t)(e - s), &fig.colors[count])) {
      snprintf(why, n, "palette '%s' line %d: not a colour #RRGGBB", path, lineno);
      fclose(fp);
      return -1;
    }
    count++;
  }
  fclose(fp);
  if (count == 0) {
    snprintf(why, n, "palette '%s' holds no colours", path);
    return -1;
  }
  return count;
}

int cli_figure_option(int id, const char *arg, ft_options *opt, char *why, size_t n) {
  ft_style_params *st = &opt->style;
  double v;
  switch (id) {
    case CLI_FIG_JOURNAL: {
      const ft_journal *j = ft_journal_find(arg);
      if (!j) {
        snprintf(why, n, "unknown journal '%s' (nature, cell, science, plos, elife or none)", arg);
        return -1;
      }
      st->journal = j->name;
      return 0;
    }
    case CLI_FIG_WIDTH:
      if (strcmp(arg, "single") == 0) {
        st->column = FT_COLUMN_SINGLE;
      } else if (strcmp(arg, "1.5") == 0) {
        st->column = FT_COLUMN_MID;
      } else if (strcmp(arg, "double") == 0) {
        st->column = FT_COLUMN_DOUBLE;
      } else if (parse_number(arg, "mm", &v) == 0 && v >= 1.0 && v <= 2000.0) {
        st->column = FT_COLUMN_NONE;
        st->width_mm = v;
      } else {
        snprintf(why, n, "invalid width '%s' (single, 1.5, double, or millimetres 1 to 2000)",
                 arg);
        return -1;
      }
      return 0;
    case CLI_FIG_PALETTE:
      if (strcasecmp(arg, "okabe-ito") == 0) {
        st->palette = FT_PALETTE_OKABE_ITO;
      } else if (strcasecmp(arg, "grayscale") == 0 || strcasecmp(arg, "greyscale") == 0) {
        st->palette = FT_PALETTE_GRAYSCALE;
      } else if (strcasecmp(arg, "source") == 0) {
        st->palette = FT_PALETTE_SOURCE;
      } else {
        int k = read_palette(arg, why, n);
        if (k < 0) return -1;
        st->palette = FT_PALETTE_CUSTOM;
        st->colors = fig.colors;
        st->ncolors = k;
      }
      return 0;
    case CLI_FIG_PIXEL_SIZE:
      if (parse_number(arg, "um", &v) || !(v > 0.0) || v > 1e6) {
        snprintf(why, n, "invalid pixel size '%s' (micrometres per pixel, above 0)", arg);
        return -1;
      }
      st->pixel_um = v;
      return 0;
    case CLI_FIG_SCALE_BAR:
      if (strcmp(arg, "auto") == 0) {
        st->scale_bar = FT_SCALE_BAR_AUTO;
      } else if (strcmp(arg, "off") == 0) {
        st->scale_bar = FT_SCALE_BAR_OFF;
      } else {
        double scale = 1.0;
        if (parse_number(arg, "um", &v) == 0 || parse_number(arg, "\xC2\xB5m", &v) == 0)
          scale = 1.0;
        else if (parse_number(arg, "mm", &v) == 0)
          scale = 1000.0;
        else if (parse_number(arg, "nm", &v) == 0)
          scale = 0.001;
        else
          v = -1.0;
        if (!(v > 0.0) || v * scale > 1e9) {
          snprintf(why, n, "invalid scale bar '%s' (auto, off, or a length such as 10um)", arg);
          return -1;
        }
        st->scale_bar = FT_SCALE_BAR_FIXED;
        st->scale_bar_um = v * scale;
      }
      return 0;
    case CLI_FIG_FORMAT:
      if (strcasecmp(arg, "svg") == 0) fig.format = FT_OUT_SVG;
      else if (strcasecmp(arg, "pdf") == 0) fig.format = FT_OUT_PDF;
      else if (strcasecmp(arg, "eps") == 0) fig.format = FT_OUT_EPS;
      else if (strcasecmp(arg, "png") == 0) fig.format = FT_OUT_PNG;
      else if (strcasecmp(arg, "tiff") == 0 || strcasecmp(arg, "tif") == 0)
        fig.format = FT_OUT_TIFF;
      else {
        snprintf(why, n, "unknown format '%s' (svg, pdf, eps, png or tiff)", arg);
        return -1;
      }
      return 0;
    case CLI_FIG_DPI:
      ensure_cairo();
      if (parse_number(arg, NULL, &v) || v < 10.0 || v > 10000.0) {
        snprintf(why, n, "invalid dpi '%s' (10 to 10000)", arg);
        return -1;
      }
      fig.cairo.dpi = v;
      return 0;
    case CLI_FIG_OUTLINE_TEXT:
      ensure_cairo();
      fig.cairo.outline_text = 1;
      return 0;
    case CLI_FIG_UNDERLAY:
      if (strcmp(arg, "image") == 0) {
        st->underlay = 1;
      } else if (strcmp(arg, "none") == 0) {
        st->underlay = 0;
      } else {
        snprintf(why, n, "invalid underlay '%s' (image or none)", arg);
        return -1;
      }
      return 0;
    case CLI_FIG_WINDOW: {
      const char *colon = strchr(arg, ':');
      char lo[64];
      double a, b;
      size_t k = colon ? (size_t)(colon - arg) : 0;
      if (!colon || k >= sizeof lo) goto bad_window;
      memcpy(lo, arg, k);
      lo[k] = '\0';
      if (parse_number(lo, NULL, &a) || parse_number(colon + 1, NULL, &b) || a < 0.0 || b <= a)
        goto bad_window;
      st->window_lo = a;
      st->window_hi = b;
      return 0;
    bad_window:
      snprintf(why, n, "invalid window '%s' (LO:HI in the image's sample values, LO < HI)", arg);
      return -1;
    }
    case CLI_FIG_GAMMA:
      if (parse_number(arg, NULL, &v) || !(v > 0.0) || v > 10.0) {
        snprintf(why, n, "invalid gamma '%s' (above 0, at most 10)", arg);
        return -1;
      }
      st->gamma = v;
      return 0;
    case CLI_FIG_ALLOW_NONLINEAR:
      st->allow_nonlinear = 1;
      return 0;
    default:
      snprintf(why, n, "internal error: figure option %d", id);
      return -1;
  }
}

const char *cli_figure_ext(void) {
  switch (fig.format) {
    case FT_OUT_PDF: return ".pdf";
    case FT_OUT_EPS: return ".eps";
    case FT_OUT_PNG: return ".png";
    case FT_OUT_TIFF: return ".tif";
    default: return ".svg";
  }
}

ft_status cli_figure_write(ft_ctx *ctx, const ft_doc *doc, const ft_options *opt,
                           const char *output, ft_sink *sink) {
  int format = fig.format;
  if (format < 0) format = ft_out_format_from_name(output);
  if (format <= FT_OUT_SVG) return ft_write_svg(ctx, doc, &opt->svg, sink);
  ensure_cairo();
  fig.cairo.format = format;
  return ft_write_cairo(ctx, doc, &fig.cairo, sink);
}

int cli_figure_finish(const ft_options *opt, char *why, size_t n) {
  const ft_style_params *st = &opt->style;
  if (st->gamma != 1.0 && !st->allow_nonlinear) {
    snprintf(why, n,
             "--gamma changes the display non-linearly; add --allow-nonlinear and state it "
             "in the figure legend");
    return -1;
  }
  if ((st->gamma != 1.0 || st->window_hi > st->window_lo) && !st->underlay) {
    snprintf(why, n, "--window and --gamma apply to the underlay: add --underlay image");
    return -1;
  }
  return 0;
}
