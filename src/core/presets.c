/* src/core/presets.c - named option tables (-p/--preset) and options set by name.
 *
 * A preset is data: a list of key=value settings in the command line's own
 * words, applied through ft_options_set(), the setter the command-line tool
 * also uses for --denoise, --threshold, --colors and --min-area.  The tool
 * applies the preset before the user's options, so each of those overrides
 * the preset's value for that key alone (as presets work in VTracer).  Every
 * preset sets every key it governs, so `figtrace --list-presets` shows each
 * one's full chain and switching presets never inherits a stray filter.
 *
 * A preset may prefer a trained model (sketch: the ink U-Net): its model
 * chain, a few settings applied over the classical ones, is taken when
 * ft_model_find() resolves the model's name, decided here once by a file
 * lookup (the pipeline loads the model later); the caller may also ask for
 * either chain outright (ft_preset_apply_with).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/internal.h"

#define NSET(a) ((int)(sizeof a / sizeof a[0]))

/* Clean line art and scans of printed figures: exact Otsu outlines, specks
 * and pinholes of one or two pixels merged away (the defaults). */
static const ft_setting lineart[] = {
    {"segment", "threshold"},
    {"denoise", ""},
    {"threshold", "otsu"},
    {"colors", "0"},
    {"min-area", "3"},
    {"palette", "okabe-ito"},
    {"trace", "outline"},
};

/* Pencil or pen on paper, photographed.  With the ink U-Net installed
 * (models/sketch.safetensors) the network reads the photograph as it is
 * (sketch_model below); otherwise, or when the user sets the classical
 * chain's own options, this chain: work on the luminance (a third of
 * the filtering; the colours are not needed), divide by the paper's own
 * brightness (a closing of radius 8 follows light gradients and shadow
 * edges while removing strokes up to 17 px wide), smooth the graphite
 * grain with a 5x5 median (which keeps straight stroke edges in place),
 * then threshold each pixel half way between the local paper and stroke
 * levels, where a blurred stroke edge lies (the local midpoint); drop
 * specks and pinholes.  Chosen on tools/bench/sketches (mean IoU 0.961
 * against 0.945 for the earlier Otsu chain), where it beat Otsu after the
 * same filters, Sauvola after flattening (window 31..51), black-hat +
 * Otsu, a Gaussian instead of the median, and flattening with radius 6
 * and a bilateral filter.  Strokes should be about 3 to 16 px wide.  Both
 * chains then drop the dark triangles a shadow's edge leaves where it
 * meets the image border (ft_drop_border_wedges; degraded 512 px icons of
 * tools/bench/centerline: centre lines 0.912 -> 0.930 classical, 0.904 ->
 * 0.909 U-Net) and end in stroked centre lines.  Outlines (--trace
 * outline) keep the full tolerance on shapes of every size (relative 0):
 * the pixels of a photographed stroke carry the paper's grain, which the
 * size-scaled tolerance would follow (on tools/bench/sketches 420
 * segments against 182 per photo, IoU with the clean drawing 0.9668
 * against 0.9687). */
static const ft_setting sketch[] = {
    {"segment", "threshold"},
    {"denoise", "gray,flatten:r=8,median:r=2"},
    {"threshold", "midpoint:ink=dark"},
    {"colors", "0"},
    {"min-area", "16"},
    {"border-wedges", "drop"},
    {"palette", "okabe-ito"},
    {"trace", "centerline"},
    {"relative", "0"},
};

/* The sketch preset's model chain: the ink U-Net on the unfiltered photo
 * (it normalises and inverts the gray image itself, and runs thin strokes
 * again magnified).  On the 40 photos of tools/bench/sketches, mean / min
 * IoU as centre lines 0.954 / 0.921 against the classical chain's 0.950 /
 * 0.915, as outlines 0.969 / 0.945 against 0.961 / 0.938, with fewer
 * specks, at several times its CPU time (Sketches section of
 * tools/bench/README.md); on the degraded 512 px icons of
 * tools/bench/centerline, centre lines 0.934 against 0.930 (Centerline
 * section). */
static const ft_setting sketch_model[] = {
    {"segment", "unet:sketch"},
    {"denoise", ""},
};

/* Multi-colour figures and diagrams: quantise, merge colour specks, fill
 * each region with its own mean colour. */
static const ft_setting color[] = {
    {"segment", "threshold"},
    {"denoise", ""},
    {"threshold", "otsu"},
    {"colors", "8"},
    {"min-area", "16"},
    {"palette", "source"},
    {"trace", "outline"},
};

/* Microscopy nuclei: the U-Net (its own percentile normalisation, polarity
 * and object-size rescaling), one instance per nucleus; the threshold keys
 * are reset so --segment threshold falls back to a plain Otsu. */
static const ft_setting microscopy[] = {
    {"segment", "unet:nuclei"},
    {"denoise", ""},
    {"threshold", "otsu"},
    {"colors", "0"},
    {"min-area", "0"},
    {"trace", "outline"},
};

static const ft_preset presets[] = {
    {"lineart", "line art and clean scans: global Otsu threshold, outlines fitted with curves", lineart,
     NSET(lineart), NULL, NULL, 0},
    {"sketch",
     "photographed pencil/pen sketches: ink U-Net if installed, else flatten the paper, median "
     "and local midpoint; centre lines",
     sketch, NSET(sketch), "sketch", sketch_model, NSET(sketch_model)},
    {"color", "colour figures: k-means colour quantisation in CIELAB", color, NSET(color), NULL,
     NULL, 0},
    {"microscopy", "stained nuclei: U-Net (model nuclei), one outlined instance per nucleus",
     microscopy, NSET(microscopy), NULL, NULL, 0},
};

#define NPRESETS ((int)(sizeof presets / sizeof presets[0]))

const ft_preset *ft_presets(int *n) {
  if (n) *n = NPRESETS;
  return presets;
}

const ft_preset *ft_preset_find(const char *name) {
  int i;
  for (i = 0; name && i < NPRESETS; i++)
    if (!strcasecmp(presets[i].name, name)) return &presets[i];
  return NULL;
}

/* Settings as command-line words ("--segment=unet:sketch --denoise=''")
 * into buf[size], cut short with "..." when they do not fit. */
static const char *settings_text(const ft_setting *set, int n, char *buf, size_t size) {
  size_t len = 0;
  int i, k;
  buf[0] = '\0';
  for (i = 0; i < n && len < size; i++) {
    k = snprintf(buf + len, size - len, "%s--%s=%s", i ? " " : "", set[i].key,
                 *set[i].value ? set[i].value : "''");
    if (k < 0) break;
    len += (size_t)k;
  }
  if (len >= size && size > 4) memcpy(buf + size - 4, "...", 4);
  return buf;
}

/* Apply the chain of p to opt in one go: opt changes only on success. */
static ft_status apply_chain(ft_ctx *ctx, const ft_preset *p, int model_chain, ft_options *opt) {
  ft_options tmp = *opt;
  ft_status st;
  int i;
  for (i = 0; i < p->nsettings; i++)
    if ((st = ft_options_set(ctx, &tmp, p->settings[i].key, p->settings[i].value))) return st;
  for (i = 0; model_chain && i < p->nmodel_settings; i++)
    if ((st = ft_options_set(ctx, &tmp, p->model_settings[i].key, p->model_settings[i].value)))
      return st;
  *opt = tmp;
  return FT_OK;
}

ft_status ft_preset_apply_with(ft_ctx *ctx, const char *name, int chain, ft_options *opt,
                               int *used) {
  const ft_preset *p = ft_preset_find(name);
  char text[512];
  int i, model_chain = 0;
  ft_status st;
  if (!p) {
    char list[256] = "";
    for (i = 0; i < NPRESETS; i++) {
      if (i) strcat(list, ", ");
      strcat(list, presets[i].name);
    }
    return ft__fail(ctx, FT_ERR_INVAL, "preset: unknown preset '%s' (known: %s)",
                    name ? name : "", list);
  }
  if (chain < FT_PRESET_CHAIN_AUTO || chain > FT_PRESET_CHAIN_MODEL)
    return ft__fail(ctx, FT_ERR_INVAL, "preset: chain %d out of range 0..2", chain);
  if (!opt) return ft__fail(ctx, FT_ERR_INVAL, "preset: no options");
  if (p->model && chain == FT_PRESET_CHAIN_AUTO) {
    /* A lookup, not a load: the pipeline loads the file (and reports a
     * damaged one) when it runs.  The lookup's own message is kept out of
     * the context's error, which must stay clean for a success. */
    ft_ctx *quiet = ft_ctx_new();
    char *path = NULL;
    if (!quiet) return ft__nomem(ctx, "preset");
    st = ft_model_find(quiet, p->model, &path);
    if (st == FT_OK) {
      model_chain = 1;
      ft__log(ctx, FT_LOG_INFO, "preset %s: model '%s' found (%s): %s", p->name, p->model, path,
              settings_text(p->model_settings, p->nmodel_settings, text, sizeof text));
    } else if (st == FT_ERR_NOMEM) {
      ft_ctx_free(quiet);
      return ft__nomem(ctx, "preset");
    } else {
      ft__log(ctx, FT_LOG_INFO, "preset %s: model '%s' not found, the classical chain: %s",
              p->name, p->model, settings_text(p->settings, p->nsettings, text, sizeof text));
      ft__log(ctx, FT_LOG_DEBUG, "preset %s: %s", p->name, ft_ctx_errmsg(quiet));
    }
    free(path);
    ft_ctx_free(quiet);
  } else if (p->model) {
    model_chain = chain == FT_PRESET_CHAIN_MODEL;
  }
  if ((st = apply_chain(ctx, p, model_chain, opt))) return st;
  if (used) *used = model_chain ? FT_PRESET_CHAIN_MODEL : FT_PRESET_CHAIN_CLASSICAL;
  return FT_OK;
}

ft_status ft_preset_apply(ft_ctx *ctx, const char *name, ft_options *opt) {
  return ft_preset_apply_with(ctx, name, FT_PRESET_CHAIN_AUTO, opt, NULL);
}

static const char *const option_keys =
    "denoise, threshold, invert, colors, min-area, border-wedges, segment, palette, trace, fit, "
    "tolerance, alphamax, thin, relative";

const char *ft_options_keys(void) { return option_keys; }

/* A decimal integer in [lo, hi] filling the whole string. */
static int whole_number(const char *s, long long lo, long long hi, long long *v) {
  char *end;
  long long x;
  if (!s || !*s || (*s != '-' && *s != '+' && (*s < '0' || *s > '9'))) return -1;
  errno = 0;
  x = strtoll(s, &end, 10);
  if (*end || errno == ERANGE || x < lo || x > hi) return -1;
  *v = x;
  return 0;
}

/* The fit's keys that take a number: its range, field and description. */
typedef struct fit_real {
  const char *key;
  double lo, hi;
  size_t off; /* in ft_fit_params */
  const char *what;
} fit_real;

static const fit_real fit_reals[] = {
    {"tolerance", 0.05, 100.0, offsetof(ft_fit_params, tolerance),
     "a number of pixels from 0.05 to 100"},
    {"alphamax", 0.0, 4.0 / 3.0, offsetof(ft_fit_params, alphamax),
     "a number from 0 (all corners) to 1.3333 (none)"},
    {"thin", 0.0, 10.0, offsetof(ft_fit_params, thin), "a number from 0 (off) to 10"},
    {"relative", 0.0, 10.0, offsetof(ft_fit_params, relative), "a number from 0 (off) to 10"},
};

/* The keys that take one of a few words (any case), each setting an int
 * field of ft_options to the value beside it; what the message lists. */
typedef struct word_key {
  const char *key;
  size_t off; /* in ft_options */
  const char *words[9];
  int values[9];
  const char *what;
} word_key;

static const word_key word_keys[] = {
    {"invert",
     offsetof(ft_options, segment.invert),
     {"yes", "true", "on", "1", "no", "false", "off", "0", NULL},
     {1, 1, 1, 1, 0, 0, 0, 0},
     "yes/no/true/false/on/off/1/0"},
    {"border-wedges", offsetof(ft_options, border_wedges), {"drop", "keep", NULL}, {1, 0},
     "drop or keep"},
    {"trace",
     offsetof(ft_options, trace.mode),
     {"outline", "centerline", "auto", NULL},
     {FT_TRACE_OUTLINE, FT_TRACE_CENTERLINE, FT_TRACE_AUTO},
     "one of: outline, centerline, auto"},
    {"fit",
     offsetof(ft_options, fit.mode),
     {"curves", "polygon", "none", NULL},
     {FT_FIT_CURVES, FT_FIT_POLYGON, FT_FIT_NONE},
     "one of: curves, polygon, none"},
    {"palette",
     offsetof(ft_options, style.palette),
     {"okabe-ito", "grayscale", "greyscale", "source", NULL},
     {FT_PALETTE_OKABE_ITO, FT_PALETTE_GRAYSCALE, FT_PALETTE_GRAYSCALE, FT_PALETTE_SOURCE},
     "one of: okabe-ito, grayscale, source"},
};

ft_status ft_options_set(ft_ctx *ctx, ft_options *opt, const char *key, const char *value) {
  long long v;
  int i;
  if (!key || !value || !opt) return ft__fail(ctx, FT_ERR_INVAL, "options: no key or value");
  if (!strcmp(key, "segment")) return ft_options_set_segment(ctx, opt, value);
  if (!strcmp(key, "denoise")) return ft_options_set_denoise(ctx, opt, value);
  if (!strcmp(key, "threshold")) return ft_segment_params_parse(ctx, value, &opt->segment);
  if (!strcmp(key, "colors")) {
    if (whole_number(value, 0, 64, &v) || v == 1)
      return ft__fail(ctx, FT_ERR_INVAL,
                      "colors: '%s' is not 0 (threshold) or a number of colours 2..64", value);
    opt->segment.colors = (int)v;
    return FT_OK;
  }
  if (!strcmp(key, "min-area")) {
    double a;
    if (ft__parse_real_in(value, 0.0, 1e12, &a))
      return ft__fail(ctx, FT_ERR_INVAL, "min-area: '%s' is not a number of pixels from 0 to 1e12",
                      value);
    opt->segment.min_area = (int64_t)ceil(a); /* fewer than a pixels: fewer than ceil(a) */
    opt->fit.min_area = a;
    return FT_OK;
  }
  for (i = 0; i < (int)(sizeof word_keys / sizeof word_keys[0]); i++) {
    const word_key *wk = &word_keys[i];
    int j;
    if (strcmp(key, wk->key)) continue;
    for (j = 0; wk->words[j]; j++)
      if (!strcasecmp(value, wk->words[j])) {
        *(int *)((char *)opt + wk->off) = wk->values[j];
        return FT_OK;
      }
    return ft__fail(ctx, FT_ERR_INVAL, "%s: '%s' is not %s", key, value, wk->what);
  }
  for (i = 0; i < (int)(sizeof fit_reals / sizeof fit_reals[0]); i++) {
    const fit_real *r = &fit_reals[i];
    if (strcmp(key, r->key)) continue;
    if (ft__parse_real_in(value, r->lo, r->hi, (double *)((char *)&opt->fit + r->off)))
      return ft__fail(ctx, FT_ERR_INVAL, "%s: '%s' is not %s", key, value, r->what);
    return FT_OK;
  }
  return ft__fail(ctx, FT_ERR_INVAL, "options: unknown key '%s' (keys: %s)", key, option_keys);
}
