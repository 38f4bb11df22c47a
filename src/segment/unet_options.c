/* src/segment/unet_options.c - the --segment option: which segmenter a
 * pipeline runs, and the U-Net's model and parameters.
 *
 *   segment := "threshold" | "unet" [ ":" MODEL ] { "," KEY "=" VALUE }
 *
 * MODEL is a name looked up by ft_model_find ("nuclei") or a path; it ends
 * at the first comma.  Keys, names and words match without regard to case.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "segment/nn_internal.h"

#define KEYS \
  "diameter, rescale, refine, invert, min-area, min-peak, tile, ink, split, flips, scale, " \
  "foreground"

static int word_is(const char *s, size_t n, const char *w) {
  return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

/* val "auto", "yes" or "no" (any case) -> *out = a, y or n; -1 for anything
 * else (*out unchanged). */
static int auto_yes_no(const char *val, int a, int y, int n, int *out) {
  if (!strcasecmp(val, "auto"))
    *out = a;
  else if (!strcasecmp(val, "yes"))
    *out = y;
  else if (!strcasecmp(val, "no"))
    *out = n;
  else
    return -1;
  return 0;
}

/* val "auto" (any case) -> *v = 0, or a number in [lo, hi] -> *v; -1 for
 * anything else. */
static int auto_or_real(const char *val, double lo, double hi, double *v) {
  if (!strcasecmp(val, "auto")) {
    *v = 0;
    return 0;
  }
  return ft__parse_real_in(val, lo, hi, v);
}

/* One KEY=VALUE item of length n at s into p. */
static ft_status set_key(ft_ctx *ctx, const char *s, size_t n, ft_unet_params *p) {
  char item[128], *val;
  double v;
  if (n >= sizeof item) return ft__fail(ctx, FT_ERR_INVAL, "segment: item '%.*s...' too long", 40, s);
  memcpy(item, s, n);
  item[n] = '\0';
  val = strchr(item, '=');
  if (!val)
    return ft__fail(ctx, FT_ERR_INVAL, "segment: unet: '%s' is not KEY=VALUE (keys: " KEYS ")",
                    item);
  *val++ = '\0';
  if (!strcasecmp(item, "diameter")) {
    if (ft__parse_real_in(val, 0, 1e5, &v))
      return ft__fail(ctx, FT_ERR_INVAL,
                      "segment: unet: diameter='%s' is not a number of pixels 0..100000 (0 "
                      "estimates it)",
                      val);
    p->diameter = v;
  } else if (!strcasecmp(item, "rescale") || !strcasecmp(item, "refine")) {
    int *field = !strcasecmp(item, "rescale") ? &p->rescale : &p->refine;
    if (!strcasecmp(val, "yes") || !strcasecmp(val, "on") || !strcasecmp(val, "true") ||
        !strcmp(val, "1"))
      *field = 1;
    else if (!strcasecmp(val, "no") || !strcasecmp(val, "off") || !strcasecmp(val, "false") ||
             !strcmp(val, "0"))
      *field = 0;
    else
      return ft__fail(ctx, FT_ERR_INVAL, "segment: unet: %s='%s' is not yes or no", item, val);
  } else if (!strcasecmp(item, "flips")) {
    if (auto_yes_no(val, FT_UNET_FLIPS_AUTO, FT_UNET_FLIPS_YES, FT_UNET_FLIPS_NO, &p->flips))
      return ft__fail(ctx, FT_ERR_INVAL, "segment: unet: flips='%s' is not auto, yes or no",
                      val);
  } else if (!strcasecmp(item, "invert")) {
    if (auto_yes_no(val, FT_UNET_INVERT_AUTO, FT_UNET_INVERT_YES, FT_UNET_INVERT_NO, &p->invert))
      return ft__fail(ctx, FT_ERR_INVAL, "segment: unet: invert='%s' is not auto, yes or no",
                      val);
  } else if (!strcasecmp(item, "min-area") || !strcasecmp(item, "min_area")) {
    if (ft__parse_real_in(val, -1, 1e9, &v) || v != floor(v))
      return ft__fail(ctx, FT_ERR_INVAL,
                      "segment: unet: min-area='%s' is not a whole number -1..1000000000 (-1 "
                      "automatic)",
                      val);
    p->instances.min_area = (int)v;
  } else if (!strcasecmp(item, "min-peak") || !strcasecmp(item, "min_peak")) {
    if (ft__parse_real_in(val, 0, 0.99, &v))
      return ft__fail(ctx, FT_ERR_INVAL,
                      "segment: unet: min-peak='%s' is not a probability 0..0.99 (0 off)", val);
    p->instances.min_peak = v;
  } else if (!strcasecmp(item, "ink")) {
    if (auto_or_real(val, 0.01, 0.99, &v))
      return ft__fail(ctx, FT_ERR_INVAL,
                      "segment: unet: ink='%s' is not a probability 0.01..0.99 or auto", val);
    p->ink_threshold = v;
  } else if (!strcasecmp(item, "scale")) {
    if (ft__parse_real_in(val, 0, 4, &v) || (v > 0 && v < 0.25))
      return ft__fail(ctx, FT_ERR_INVAL,
                      "segment: unet: scale='%s' is not a factor 0.25..4 (0 automatic)", val);
    p->scale = v;
  } else if (!strcasecmp(item, "foreground")) {
    if (auto_or_real(val, 0.05, 0.95, &v))
      return ft__fail(ctx, FT_ERR_INVAL,
                      "segment: unet: foreground='%s' is not a probability 0.05..0.95 or auto",
                      val);
    p->instances.fg_threshold = v;
  } else if (!strcasecmp(item, "split")) {
    if (ft__parse_real_in(val, 0, 0.99, &v) || (v != 0 && v < 0.5))
      return ft__fail(ctx, FT_ERR_INVAL,
                      "segment: unet: split='%s' is not 0 (off) or a fraction 0.5..0.99", val);
    p->instances.neck_split = v;
  } else if (!strcasecmp(item, "tile")) {
    if (ft__parse_real_in(val, 0, 8192, &v) || v != floor(v) || (v != 0 && v < 32))
      return ft__fail(ctx, FT_ERR_INVAL,
                      "segment: unet: tile='%s' is not 0 (automatic) or a whole number 32..8192",
                      val);
    p->tile = (int)v;
  } else {
    return ft__fail(ctx, FT_ERR_INVAL, "segment: unet: unknown key '%s' (keys: " KEYS ")", item);
  }
  return FT_OK;
}

ft_status ft_options_set_segment(ft_ctx *ctx, ft_options *opt, const char *spec) {
  ft_unet_params up;
  char model[FT_MODEL_NAME_MAX] = "nuclei"; /* the rest zero: opt->model is all defined */
  const char *s, *e;
  size_t n;
  ft_status st;
  if (!opt || !spec) return ft__fail(ctx, FT_ERR_INVAL, "segment: no options or no text");
  while (*spec == ' ') spec++;
  n = strlen(spec);
  while (n > 0 && spec[n - 1] == ' ') n--;
  if (word_is(spec, n, "threshold")) {
    opt->segmenter = FT_SEGMENTER_THRESHOLD;
    return FT_OK;
  }
  if (n < 4 || strncasecmp(spec, "unet", 4) || (n > 4 && spec[4] != ':' && spec[4] != ','))
    return ft__fail(ctx, FT_ERR_INVAL,
                    "segment: unknown segmenter '%.*s' (threshold, or unet[:MODEL][,KEY=VALUE...] "
                    "with keys " KEYS ")",
                    (int)(n > 200 ? 200 : n), spec);
  ft_unet_params_init(&up);
  s = spec + 4;
  if (*s == ':') {
    s++;
    e = strchr(s, ',');
    n = e ? (size_t)(e - s) : strlen(s);
    while (n > 0 && s[n - 1] == ' ') n--;
    if (n == 0) return ft__fail(ctx, FT_ERR_INVAL, "segment: unet: empty model name");
    if (n >= sizeof model)
      return ft__fail(ctx, FT_ERR_INVAL, "segment: unet: model name longer than %d bytes",
                      FT_MODEL_NAME_MAX - 1);
    memcpy(model, s, n);
    memset(model + n, 0, sizeof model - n);
    s = e ? e : s + strlen(s);
  }
  while (*s == ',') {
    s++;
    while (*s == ' ') s++;
    e = strchr(s, ',');
    n = e ? (size_t)(e - s) : strlen(s);
    while (n > 0 && s[n - 1] == ' ') n--;
    if (n && (st = set_key(ctx, s, n, &up))) return st;
    s = e ? e : s + strlen(s);
  }
  opt->segmenter = FT_SEGMENTER_UNET;
  memcpy(opt->model, model, sizeof model);
  opt->unet = up;
  return FT_OK;
}
