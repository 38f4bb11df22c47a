/* src/denoise/chain.c - filter descriptor tables, parameter defaults and
 * the chain runner.
 *
 * The runner gives each filter an equal share of the stage's progress
 * range.  Each filter's parameters are declared once, in the tables below
 * ({name, type, offsetof, min, max, default, help}); the same tables give
 * the _init() defaults, the range checks every filter runs first, the spec
 * parser's keys and the --help text, so the four cannot disagree.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "denoise/internal.h"

static const char *const gauss_methods[] = {"auto", "fir", "recursive", NULL};
static const char *const morph_shapes[] = {"square", "disc", NULL};
static const char *const flatten_modes[] = {"divide", "subtract", NULL};
static const char *const flatten_polarities[] = {"dark", "light", NULL};

static const ft_spec_arg median_args[] = {
    {"r", FT_ARG_INT, offsetof(ft_median_params, radius), 1, 100, 1,
     "window radius in pixels (window 2r+1 square)", NULL},
    {"bits", FT_ARG_INT, offsetof(ft_median_params, bits), 4, 12, 8,
     "quantise to 2^bits levels (12 for 16-bit data)", NULL},
};

static const ft_spec_arg gaussian_args[] = {
    {"sigma", FT_ARG_DOUBLE, offsetof(ft_gaussian_params, sigma), 0.1, 500, 1,
     "standard deviation in pixels", NULL},
    {"method", FT_ARG_CHOICE, offsetof(ft_gaussian_params, method), 0, 0, FT_GAUSS_AUTO,
     "kernel (auto: fir below sigma 3)", gauss_methods},
};

static const ft_spec_arg bilateral_args[] = {
    {"sigma_s", FT_ARG_DOUBLE, offsetof(ft_bilateral_params, sigma_s), 0.5, 20, 2,
     "spatial sigma in pixels", NULL},
    {"sigma_r", FT_ARG_DOUBLE, offsetof(ft_bilateral_params, sigma_r), 0.001, 1, 0.1,
     "range sigma in intensity units [0,1]", NULL},
};

static const ft_spec_arg nlm_args[] = {
    {"search", FT_ARG_INT, offsetof(ft_nlm_params, search), 1, 20, 5,
     "search window radius in pixels", NULL},
    {"patch", FT_ARG_INT, offsetof(ft_nlm_params, patch), 0, 5, 1, "patch radius in pixels",
     NULL},
    {"h", FT_ARG_DOUBLE, offsetof(ft_nlm_params, h), 0.001, 1, 0.1,
     "filtering strength in intensity units", NULL},
};

/* op is not a key: the filter name sets it. */
static const ft_spec_arg morph_args[] = {
    {"r", FT_ARG_INT, offsetof(ft_morph_params, radius), 1, 200, 1,
     "structuring element radius in pixels", NULL},
    {"shape", FT_ARG_CHOICE, offsetof(ft_morph_params, shape), 0, 0, FT_SHAPE_SQUARE,
     "structuring element", morph_shapes},
};

static const ft_spec_arg flatten_args[] = {
    {"r", FT_ARG_INT, offsetof(ft_flatten_params, radius), 2, 1000, 40,
     "background scale in pixels, above the object size", NULL},
    {"mode", FT_ARG_CHOICE, offsetof(ft_flatten_params, mode), 0, 0, FT_FLATTEN_DIVIDE,
     "how the background is removed", flatten_modes},
    {"polarity", FT_ARG_CHOICE, offsetof(ft_flatten_params, polarity), 0, 0, FT_FLATTEN_DARK,
     "objects darker or lighter than the background", flatten_polarities},
};

static const ft_spec_arg normalize_args[] = {
    {"low", FT_ARG_DOUBLE, offsetof(ft_normalize_params, low), 0, 100, 0.5,
     "percentile mapped to 0", NULL},
    {"high", FT_ARG_DOUBLE, offsetof(ft_normalize_params, high), 0, 100, 99.5,
     "percentile mapped to 1", NULL},
};

static const char *normalize_validate(const void *p) {
  const ft_normalize_params *n = p;
  return n->low < n->high ? NULL : "low must be below high";
}

#define NARGS(a) ((int)(sizeof a / sizeof a[0]))
#define MORPH(name, help) {name, help, sizeof(ft_morph_params), morph_args, NARGS(morph_args), NULL}

/* Indexed by ft_filter_kind. */
static const ft_spec_kind kinds[FT_FILTER_COUNT] = {
    {"median", "constant-time histogram median", sizeof(ft_median_params), median_args,
     NARGS(median_args), NULL},
    {"gaussian", "Gaussian blur (separable FIR or recursive)", sizeof(ft_gaussian_params),
     gaussian_args, NARGS(gaussian_args), NULL},
    {"bilateral", "edge-preserving bilateral filter", sizeof(ft_bilateral_params),
     bilateral_args, NARGS(bilateral_args), NULL},
    {"nlm", "non-local means (integral images)", sizeof(ft_nlm_params), nlm_args,
     NARGS(nlm_args), NULL},
    MORPH("erode", "grey erosion (minimum)"),
    MORPH("dilate", "grey dilation (maximum)"),
    MORPH("open", "opening: removes bright specks smaller than the element"),
    MORPH("close", "closing: removes dark specks smaller than the element"),
    MORPH("tophat", "white top-hat: image minus its opening"),
    MORPH("blackhat", "black top-hat: closing minus the image"),
    {"flatten", "remove uneven background (illumination)", sizeof(ft_flatten_params),
     flatten_args, NARGS(flatten_args), NULL},
    {"normalize", "percentile contrast stretch to [0,1]", sizeof(ft_normalize_params),
     normalize_args, NARGS(normalize_args), normalize_validate},
    {"gray", "luminance, one channel (first in a chain before a threshold: 3x less work)",
     sizeof(int), NULL, 0, NULL},
};

const ft_spec_kind *ft_denoise_kinds(int *n) {
  if (n) *n = FT_FILTER_COUNT;
  return kinds;
}

void ft_median_params_init(ft_median_params *p) { ft_spec_defaults(&kinds[FT_FILTER_MEDIAN], p); }
void ft_gaussian_params_init(ft_gaussian_params *p) {
  ft_spec_defaults(&kinds[FT_FILTER_GAUSSIAN], p);
}
void ft_bilateral_params_init(ft_bilateral_params *p) {
  ft_spec_defaults(&kinds[FT_FILTER_BILATERAL], p);
}
void ft_nlm_params_init(ft_nlm_params *p) { ft_spec_defaults(&kinds[FT_FILTER_NLM], p); }
void ft_morph_params_init(ft_morph_params *p) {
  ft_spec_defaults(&kinds[FT_FILTER_OPEN], p);
  p->op = FT_MORPH_OPEN;
}
void ft_flatten_params_init(ft_flatten_params *p) {
  ft_spec_defaults(&kinds[FT_FILTER_FLATTEN], p);
}
void ft_normalize_params_init(ft_normalize_params *p) {
  ft_spec_defaults(&kinds[FT_FILTER_NORMALIZE], p);
}

void ft_denoise_chain_free(ft_denoise_chain *chain) {
  if (!chain) return;
  free(chain->filters);
  free(chain);
}

ft_status ft_denoise_chain_parse(ft_ctx *ctx, const char *spec, ft_denoise_chain **out) {
  ft_spec_list *list;
  ft_denoise_chain *chain;
  ft_status st;
  int i;
  *out = NULL;
  if ((st = ft_spec_parse(ctx, "denoise", "filter", kinds, FT_FILTER_COUNT, spec, &list)))
    return st;
  chain = calloc(1, sizeof *chain);
  if (chain && list->n) chain->filters = ft__calloc_n((size_t)list->n, sizeof *chain->filters);
  if (!chain || (list->n && !chain->filters)) {
    ft_spec_list_free(list);
    ft_denoise_chain_free(chain);
    return ft__nomem(ctx, "denoise");
  }
  for (i = 0; i < list->n; i++) {
    ft_denoise_filter *f = &chain->filters[i];
    int k = list->items[i].kind;
    f->kind = k;
    memcpy(&f->u, list->items[i].params, kinds[k].params_size);
    if (k >= FT_FILTER_ERODE && k <= FT_FILTER_BLACKHAT)
      f->u.morph.op = FT_MORPH_ERODE + (k - FT_FILTER_ERODE);
  }
  chain->n = list->n;
  ft_spec_list_free(list);
  *out = chain;
  return FT_OK;
}

/* The filter of f on a float image. */
static ft_status apply_float(ft_ctx *ctx, const ft_image *in, const ft_denoise_filter *f,
                             ft_image **out) {
  switch (f->kind) {
    case FT_FILTER_MEDIAN: return ft_median(ctx, in, &f->u.median, out);
    case FT_FILTER_GAUSSIAN: return ft_gaussian(ctx, in, &f->u.gaussian, out);
    case FT_FILTER_BILATERAL: return ft_bilateral(ctx, in, &f->u.bilateral, out);
    case FT_FILTER_NLM: return ft_nlm(ctx, in, &f->u.nlm, out);
    case FT_FILTER_ERODE:
    case FT_FILTER_DILATE:
    case FT_FILTER_OPEN:
    case FT_FILTER_CLOSE:
    case FT_FILTER_TOPHAT:
    case FT_FILTER_BLACKHAT: {
      ft_morph_params m = f->u.morph;
      m.op = FT_MORPH_ERODE + (f->kind - FT_FILTER_ERODE);
      return ft_morph(ctx, in, &m, out);
    }
    case FT_FILTER_FLATTEN: return ft_flatten(ctx, in, &f->u.flatten, out);
    case FT_FILTER_NORMALIZE: return ft_normalize(ctx, in, &f->u.normalize, out);
    case FT_FILTER_GRAY: return ft_image_to_gray(ctx, in, out);
    default:
      return ft__fail(ctx, FT_ERR_INVAL, "denoise: unknown filter kind %d (0..%d)", f->kind,
                      FT_FILTER_COUNT - 1);
  }
}

ft_status ft_denoise_filter_apply(ft_ctx *ctx, const ft_image *in, const ft_denoise_filter *f,
                                  ft_image **out) {
  ft_image *fin;
  ft_status st;
  *out = NULL;
  /* a compact image is filtered as its float copy */
  if ((st = ft__image_float(ctx, in, &fin))) return st;
  st = apply_float(ctx, fin ? fin : in, f, out);
  ft_image_free(fin);
  return st;
}

ft_status ft_denoise(ft_ctx *ctx, const ft_image *in, const ft_denoise_chain *chain,
                     ft_image **out) {
  ft_image *cur = NULL, *next;
  ft_status st = FT_OK;
  double lo = ctx ? ctx->slice_lo : 0.0, hi = ctx ? ctx->slice_hi : 1.0;
  int i;
  *out = NULL;
  if (!chain || chain->n == 0) return ft_image_copy(ctx, in, out);
  for (i = 0; i < chain->n && !st; i++) {
    /* filter i reports its own 0..1 within the i-th share of the stage */
    ft__progress_slice(ctx, lo + (hi - lo) * i / chain->n, lo + (hi - lo) * (i + 1) / chain->n);
    st = ft_denoise_filter_apply(ctx, cur ? cur : in, &chain->filters[i], &next);
    ft_image_free(cur);
    cur = NULL;
    if (!st) {
      cur = next;
      st = ft__progress(ctx, 1.0);
    }
  }
  ft__progress_slice(ctx, lo, hi);
  if (st) {
    ft_image_free(cur);
    return st;
  }
  *out = cur;
  return FT_OK;
}

void ft_denoise_describe(ft_spec_line_fn fn, void *user) {
  ft_spec_describe(kinds, FT_FILTER_COUNT, fn, user);
}

/* ---- shared by the filters ---- */

ft_status ft__image_like(ft_ctx *ctx, const ft_image *in, ft_image **out) {
  ft_image *img;
  ft_status st;
  *out = NULL;
  if (!in->data)
    return ft__fail(ctx, FT_ERR_INVAL,
                    "denoise: compact (8-bit) samples; convert with ft_image_to_float first");
  st = ft_image_new(ctx, in->width, in->height, in->channels, &img);
  if (st) return st;
  img->bit_depth = in->bit_depth;
  img->pixel_w = in->pixel_w;
  img->pixel_h = in->pixel_h;
  if ((st = ft_image_set_name(ctx, img, in->name))) {
    ft_image_free(img);
    return st;
  }
  *out = img;
  return FT_OK;
}
