/* src/style/style.c - from traced paths to a journal-ready document.
 *
 * One layer per class present, painted background to foreground: colour
 * regions (one layer per label), ink, nuclei, strokes; each layer carries
 * its presentation (fill, stroke) so editors show one coloured group per
 * class.  The user units stay the pixel grid; the physical size comes from
 * a journal's column width (journals.c) or an explicit width, the aspect
 * kept, shrunk when taller than the journal's page allows.
 *
 * Line widths: one point is 25.4/72 mm, so with W user units over a width
 * of w mm a point is (W / w) * 25.4 / 72 user units.  Strokes thinner than
 * the journal minimum at the final size are widened to it.
 *
 * Colours: by default the Okabe-Ito palette (Okabe & Ito, "Color Universal
 * Design", 2008), distinguishable with the common colour-vision
 * deficiencies; grayscale uses the Rec. 709 luminance of the source colour.
 *
 * Scale bar: the largest 1-2-5 length not above a fifth of the figure width
 * (the usual convention for micrographs), a filled rectangle with its
 * length written above it in the journal's font and label size, placed in
 * the corner whose box overlaps the drawn paths' bounding boxes least.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "style/internal.h"

static const ft_style_params style_defaults = {
    .width_mm = 0.0,
    .ink = {0.0f, 0.0f, 0.0f, 1.0f},
    .fill_rule = FT_FILL_NONZERO,
    .journal = NULL,
    .column = FT_COLUMN_NONE,
    .palette = FT_PALETTE_OKABE_ITO,
    .colors = NULL,
    .ncolors = 0,
    .scale_bar = FT_SCALE_BAR_AUTO,
    .scale_bar_um = 0.0,
    .pixel_um = 0.0,
    .underlay = 0,
    .window_lo = 0.0,
    .window_hi = 0.0,
    .pct_lo = 0.1,
    .pct_hi = 99.9,
    .gamma = 1.0,
    .allow_nonlinear = 0,
};

const ft_style_params *ft__style_defaults(void) { return &style_defaults; }

void ft_style_params_init(ft_style_params *p) { *p = style_defaults; }

/* Okabe-Ito without its black (black is the ink): orange, sky blue, bluish
 * green, yellow, blue, vermillion, reddish purple. */
static const ft_rgba okabe_ito[] = {
    {0xE6 / 255.0f, 0x9F / 255.0f, 0x00 / 255.0f, 1.0f},
    {0x56 / 255.0f, 0xB4 / 255.0f, 0xE9 / 255.0f, 1.0f},
    {0x00 / 255.0f, 0x9E / 255.0f, 0x73 / 255.0f, 1.0f},
    {0xF0 / 255.0f, 0xE4 / 255.0f, 0x42 / 255.0f, 1.0f},
    {0x00 / 255.0f, 0x72 / 255.0f, 0xB2 / 255.0f, 1.0f},
    {0xD5 / 255.0f, 0x5E / 255.0f, 0x00 / 255.0f, 1.0f},
    {0xCC / 255.0f, 0x79 / 255.0f, 0xA7 / 255.0f, 1.0f},
};
#define OKABE_ITO_N ((int)(sizeof okabe_ito / sizeof okabe_ito[0]))
#define OKABE_ITO_BLUE 4

double ft_scale_bar_length(double span_um) {
  static const double steps[] = {5.0, 2.0, 1.0};
  double target, decade;
  int i;
  if (!isfinite(span_um) || !(span_um > 0.0)) return 0.0;
  target = span_um / 5.0;
  decade = pow(10.0, floor(log10(target)));
  for (i = 0; i < 3; i++)
    if (steps[i] * decade <= target * (1.0 + 1e-9)) return steps[i] * decade;
  return decade; /* not reached: 1 x decade <= target */
}

double ft__style_pt_to_user(const ft_doc *doc) {
  return doc->width_mm > 0.0 ? doc->width / doc->width_mm * 25.4 / 72.0 : 96.0 / 72.0;
}

/* Copy the paths of `in` for which keep(path) holds into a new set, with
 * parent indices remapped (a parent outside the subset becomes -1). */
static ft_status subset(ft_ctx *ctx, const ft_paths *in, int class_id, int label, ft_paths **out) {
  ft_paths *ps = NULL;
  int *map = NULL, i;
  ft_status st;
  *out = NULL;
  if ((st = ft_paths_new(ctx, in->width, in->height, &ps))) return st;
  ps->pixel_w = in->pixel_w;
  ps->pixel_h = in->pixel_h;
  if ((st = ft_paths_set_info(ctx, ps, in->info, in->nlabels))) goto fail;
  map = ft__malloc_n((size_t)(in->npaths > 0 ? in->npaths : 1), sizeof *map);
  if (!map) goto nomem;
  for (i = 0; i < in->npaths; i++) {
    const ft_path *src = &in->path[i];
    ft_path *d;
    int k;
    map[i] = -1;
    if (src->class_id != class_id || (label >= 0 && src->label != label)) continue;
    if ((st = ft_paths_add(ctx, ps, src->start.x, src->start.y, &k))) goto fail;
    d = &ps->path[k];
    *d = *src;
    d->seg = NULL;
    d->nseg = d->cap = 0;
    d->parent = src->parent >= 0 && src->parent < i ? map[src->parent] : -1;
    if (src->nseg > 0) {
      d->seg = ft__malloc_n((size_t)src->nseg, sizeof *d->seg);
      if (!d->seg) goto nomem;
      memcpy(d->seg, src->seg, (size_t)src->nseg * sizeof *d->seg);
      d->nseg = d->cap = src->nseg;
    }
    map[i] = k;
  }
  free(map);
  *out = ps;
  return FT_OK;
nomem:
  st = ft__nomem(ctx, "style");
fail:
  free(map);
  ft_paths_free(ps);
  return st;
}

static int has_class(const ft_paths *in, int class_id) {
  int i;
  for (i = 0; i < in->npaths; i++)
    if (in->path[i].class_id == class_id) return 1;
  return 0;
}

static ft_status add_class_layer(ft_ctx *ctx, ft_doc *doc, const ft_paths *in, int class_id,
                                 int label, const char *id, const char *name, ft_rgba fill,
                                 int fill_rule, const char *prefix) {
  ft_paths *sub;
  int k;
  ft_status st = subset(ctx, in, class_id, label, &sub);
  if (st) return st;
  if ((st = ft_doc_add_layer(ctx, doc, id, name, sub, &k))) return st;
  doc->layer[k].fill = fill;
  doc->layer[k].fill_rule = fill_rule;
  if (prefix && (st = ft_doc_set_string(ctx, &doc->layer[k].item_prefix, prefix))) return st;
  return FT_OK;
}


/* Colour of region number k (0-based, in label order) with source colour c. */
static ft_rgba region_color(const ft_style_params *p, int k, const float c[3]) {
  ft_rgba out = {c[0], c[1], c[2], 1.0f};
  switch (p->palette) {
    case FT_PALETTE_OKABE_ITO:
      return okabe_ito[k % OKABE_ITO_N];
    case FT_PALETTE_GRAYSCALE: {
      float y = 0.2126f * c[0] + 0.7152f * c[1] + 0.0722f * c[2];
      out.r = out.g = out.b = y;
      return out;
    }
    case FT_PALETTE_CUSTOM:
      return p->colors[k % p->ncolors]; /* k counts all layers here */
    default:
      return out;
  }
}

/* Colour of the class layer painted as number k (0-based) that the
 * palette would otherwise give `base`: a custom palette colours every layer
 * in paint order; the others keep base. */
static ft_rgba layer_color(const ft_style_params *p, int k, ft_rgba base) {
  return p->palette == FT_PALETTE_CUSTOM ? p->colors[k % p->ncolors] : base;
}

/* Colour of the nuclei layer, painted as number k. */
static ft_rgba nucleus_color(const ft_style_params *p, int k) {
  if (p->palette == FT_PALETTE_OKABE_ITO) return okabe_ito[OKABE_ITO_BLUE];
  return layer_color(p, k, p->ink);
}

/* Widen every stroke below min_uu user units; returns how many were. */
static int raise_strokes(ft_doc *doc, double min_uu) {
  int i, j, n = 0;
  for (i = 0; i < doc->nlayers; i++) {
    ft_layer *l = &doc->layer[i];
    int stroked = l->stroke.a > 0.0f;
    if (stroked && l->stroke_width < min_uu) {
      l->stroke_width = min_uu;
      n++;
    }
    if (!l->paths) continue;
    for (j = 0; j < l->paths->npaths; j++) {
      ft_path *pa = &l->paths->path[j];
      /* an open path is drawn as a stroke, with its own width or the layer's */
      double w;
      if (pa->closed && !(pa->stroke_width > 0.0)) continue;
      /* its width: its own, else the layer's, else SVG's default of 1 */
      w = pa->stroke_width > 0.0                    ? pa->stroke_width
          : stroked && l->stroke_width > 0.0 ? l->stroke_width
                                              : 1.0;
      if (w < min_uu) {
        pa->stroke_width = min_uu;
        n++;
      }
    }
  }
  return n;
}

/* Bounding box of a path's points (controls included, so it contains the
 * curve). */
static void path_bbox(const ft_path *pa, double b[4]) {
  int i, k;
  b[0] = b[2] = pa->start.x;
  b[1] = b[3] = pa->start.y;
  for (i = 0; i < pa->nseg; i++)
    for (k = pa->seg[i].type == FT_SEG_CUBIC ? 0 : 2; k < 3; k++) {
      const ft_point *q = &pa->seg[i].c[k];
      if (q->x < b[0]) b[0] = q->x;
      if (q->y < b[1]) b[1] = q->y;
      if (q->x > b[2]) b[2] = q->x;
      if (q->y > b[3]) b[3] = q->y;
    }
}

/* Area of the box r covered by the bounding boxes of the doc's paths
 * (summed, so overlapping paths count twice: a measure of clutter). */
static double clutter(const ft_doc *doc, const double r[4]) {
  double sum = 0.0, b[4];
  int i, j;
  for (i = 0; i < doc->nlayers; i++) {
    const ft_paths *ps = doc->layer[i].paths;
    if (!ps) continue;
    for (j = 0; j < ps->npaths; j++) {
      double w, h;
      if (ps->path[j].hole) continue;
      path_bbox(&ps->path[j], b);
      w = fmin(b[2], r[2]) - fmax(b[0], r[0]);
      h = fmin(b[3], r[3]) - fmax(b[1], r[1]);
      if (w > 0.0 && h > 0.0) sum += w * h;
    }
  }
  return sum;
}

/* Add the scale bar for a pixel size of um_px micrometres. */
static ft_status add_scale_bar(ft_ctx *ctx, ft_doc *doc, const ft_style_params *p,
                               const ft_journal *j, double um_px) {
  double len_um, len, pt = ft__style_pt_to_user(doc), font, thick, margin, gap, bw, bh;
  double best = -1.0, bx = 0.0, by = 0.0, r[4];
  char label[64];
  int corner;
  ft_status st;

  len_um = p->scale_bar == FT_SCALE_BAR_FIXED ? p->scale_bar_um
                                              : ft_scale_bar_length(doc->width * um_px);
  len = len_um / um_px;
  if (!(len > 0.0) || len > doc->width * 0.9) {
    ft__log(ctx, FT_LOG_WARN,
            "style: a %g um scale bar does not fit a figure %g um wide; none drawn", len_um,
            doc->width * um_px);
    return FT_OK;
  }
  font = j->label_pt * pt;
  thick = fmax(2.0, j->min_stroke_pt) * pt;
  margin = 4.0 * pt;
  gap = 0.3 * font;
  bw = len;
  bh = font + gap + thick;
  /* Corners in order of preference: bottom right, bottom left, top right,
   * top left; the first with the least clutter wins. */
  for (corner = 0; corner < 4; corner++) {
    double x = corner % 2 == 0 ? doc->width - margin - bw : margin;
    double y = corner < 2 ? doc->height - margin - bh : margin;
    double c;
    r[0] = x - margin / 2;
    r[1] = y - margin / 2;
    r[2] = x + bw + margin / 2;
    r[3] = y + bh + margin / 2;
    c = clutter(doc, r);
    if (best < 0.0 || c < best) {
      best = c;
      bx = x;
      by = y;
    }
  }
  if (len_um >= 1000.0 && fmod(len_um, 1000.0) == 0.0)
    snprintf(label, sizeof label, "%g mm", len_um / 1000.0);
  else
    snprintf(label, sizeof label, "%g \xC2\xB5m", len_um);
  if ((st = ft_doc_add_rect(ctx, doc, bx, by + font + gap, bw, thick, p->ink, "scale-bar")))
    return st;
  if ((st = ft_doc_add_text(ctx, doc, bx + bw / 2, by + font, font, j->font, label,
                            FT_ANCHOR_MIDDLE, p->ink, "scale-bar-label")))
    return st;
  doc->scale_bar_um = len_um;
  ft__log(ctx, FT_LOG_INFO, "style: scale bar %s (%.1f px) at %.0f,%.0f", label, len, bx, by);
  return FT_OK;
}

/* Last component of a path without its extension, in out. */
static void base_name(const char *path, char *out, size_t outsz) {
  const char *b = strrchr(path, '/'), *dot;
  size_t n;
  b = b ? b + 1 : path;
  dot = strrchr(b, '.');
  n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
  if (n >= outsz) n = outsz - 1;
  memcpy(out, b, n);
  out[n] = '\0';
}

ft_status ft__style_describe(ft_ctx *ctx, ft_doc *doc) {
  const ft_journal *j = doc->preset ? ft_journal_find(doc->preset) : NULL;
  char title[256], desc[1024];
  size_t n = 0;
  ft_status st;

  if (doc->source && *doc->source) {
    char base[200];
    base_name(doc->source, base, sizeof base);
    snprintf(title, sizeof title, "%s", base);
  } else {
    snprintf(title, sizeof title, "figtrace figure");
  }
  n += (size_t)snprintf(desc + n, sizeof desc - n, "Vector tracing%s%s by figtrace %s.",
                        doc->source ? " of " : "", doc->source ? doc->source : "", ft_version());
  if (n < sizeof desc && j && strcmp(j->name, "none") != 0)
    n += (size_t)snprintf(desc + n, sizeof desc - n,
                          " Sized for %s: %.1f x %.1f mm, lines at least %g pt.", j->title,
                          doc->width_mm, doc->height_mm, j->min_stroke_pt);
  else if (n < sizeof desc)
    n += (size_t)snprintf(desc + n, sizeof desc - n, " Size %.1f x %.1f mm.", doc->width_mm,
                          doc->height_mm);
  if (n < sizeof desc && doc->pixel_w > 0.0)
    n += (size_t)snprintf(desc + n, sizeof desc - n, " Pixel size %g \xC2\xB5m.", doc->pixel_w);
  if (n < sizeof desc && doc->scale_bar_um > 0.0)
    n += (size_t)snprintf(desc + n, sizeof desc - n, " Scale bar %g \xC2\xB5m.",
                          doc->scale_bar_um);
  if (n < sizeof desc && doc->underlay_png)
    n += (size_t)snprintf(desc + n, sizeof desc - n,
                          " Underlay: the original image at native resolution, one linear"
                          " display window %g to %g applied to the whole image.",
                          doc->window_lo, doc->window_hi);
  if (n < sizeof desc && doc->underlay_png && doc->gamma != 1.0)
    n += (size_t)snprintf(desc + n, sizeof desc - n,
                          " A non-linear display gamma of %g was applied to the underlay.",
                          doc->gamma);
  if ((st = ft_doc_set_string(ctx, &doc->title, title))) return st;
  return ft_doc_set_string(ctx, &doc->desc, desc);
}

/* The params checked; returns the journal or NULL after recording why. */
static const ft_journal *check_params(ft_ctx *ctx, const ft_style_params *p, ft_status *st) {
  const ft_journal *j = ft_journal_find(p->journal ? p->journal : "none");
  *st = FT_ERR_INVAL;
  if (!j) {
    ft__fail(ctx, FT_ERR_INVAL, "style: unknown journal '%s'", p->journal);
    return NULL;
  }
  if (!isfinite(p->width_mm) || p->width_mm < 0.0 || p->width_mm > 10000.0) {
    ft__fail(ctx, FT_ERR_INVAL, "style: width %g mm out of range 0..10000", p->width_mm);
    return NULL;
  }
  if (p->column < FT_COLUMN_NONE || p->column > FT_COLUMN_DOUBLE) {
    ft__fail(ctx, FT_ERR_INVAL, "style: column=%d out of range", p->column);
    return NULL;
  }
  if (p->palette < FT_PALETTE_OKABE_ITO || p->palette > FT_PALETTE_CUSTOM ||
      (p->palette == FT_PALETTE_CUSTOM && (p->ncolors < 1 || !p->colors))) {
    ft__fail(ctx, FT_ERR_INVAL, "style: palette=%d needs %s", p->palette,
             p->palette == FT_PALETTE_CUSTOM ? "colours" : "a known palette");
    return NULL;
  }
  if (p->scale_bar < FT_SCALE_BAR_AUTO || p->scale_bar > FT_SCALE_BAR_FIXED ||
      (p->scale_bar == FT_SCALE_BAR_FIXED &&
       (!isfinite(p->scale_bar_um) || !(p->scale_bar_um > 0.0)))) {
    ft__fail(ctx, FT_ERR_INVAL, "style: scale bar length %g um is not positive", p->scale_bar_um);
    return NULL;
  }
  if (!isfinite(p->pixel_um) || p->pixel_um < 0.0) {
    ft__fail(ctx, FT_ERR_INVAL, "style: pixel size %g um is negative", p->pixel_um);
    return NULL;
  }
  *st = FT_OK;
  return j;
}

ft_status ft_style(ft_ctx *ctx, const ft_paths *in, const ft_style_params *p, ft_doc **out) {
  const ft_journal *j;
  ft_doc *doc = NULL;
  ft_status st;
  double um_px;
  int lab, raised;
  *out = NULL;
  if (!p) p = &style_defaults;
  if (!(j = check_params(ctx, p, &st))) return st;
  if (in->width < 1 || in->height < 1)
    return ft__fail(ctx, FT_ERR_INVAL, "style: empty drawing %dx%d", in->width, in->height);
  if ((st = ft_doc_new(ctx, in->width, in->height, &doc))) return st;
  /* a journal without a width: its single column */
  switch (p->column == FT_COLUMN_NONE && !(p->width_mm > 0.0) && strcmp(j->name, "none") != 0
              ? FT_COLUMN_SINGLE
              : p->column) {
    case FT_COLUMN_SINGLE: doc->width_mm = j->single_mm; break;
    case FT_COLUMN_MID: doc->width_mm = j->mid_mm; break;
    case FT_COLUMN_DOUBLE: doc->width_mm = j->double_mm; break;
    default: doc->width_mm = p->width_mm > 0.0 ? p->width_mm : in->width * 25.4 / 96.0;
  }
  doc->height_mm = doc->width_mm * in->height / in->width;
  if (j->max_height_mm > 0.0 && doc->height_mm > j->max_height_mm) {
    ft__log(ctx, FT_LOG_WARN,
            "style: %.1f mm tall is more than %s allows (%g mm); shrunk to %.1f mm wide",
            doc->height_mm, j->title, j->max_height_mm,
            j->max_height_mm * in->width / in->height);
    doc->height_mm = j->max_height_mm;
    doc->width_mm = j->max_height_mm * in->width / in->height;
  }
  um_px = p->pixel_um > 0.0 ? p->pixel_um : in->pixel_w;
  doc->pixel_w = um_px;
  doc->pixel_h = p->pixel_um > 0.0 ? p->pixel_um : in->pixel_h > 0.0 ? in->pixel_h : um_px;
  doc->min_stroke_pt = j->min_stroke_pt;
  if ((st = ft_doc_set_string(ctx, &doc->preset, j->name))) goto fail;

  /* Colour regions, back to front in label order. */
  for (lab = 1; lab < in->nlabels; lab++) {
    char id[32];
    if (in->info[lab].class_id != FT_CLASS_REGION) continue;
    snprintf(id, sizeof id, "color-%d", lab);
    if ((st = add_class_layer(ctx, doc, in, FT_CLASS_REGION, lab, id, id,
                              region_color(p, doc->nlayers, in->info[lab].color),
                              p->fill_rule, NULL)))
      goto fail;
  }
  if (has_class(in, FT_CLASS_INK) &&
      (st = add_class_layer(ctx, doc, in, FT_CLASS_INK, -1, "ink", "Ink",
                            layer_color(p, doc->nlayers, p->ink), p->fill_rule, NULL)))
    goto fail;
  if (has_class(in, FT_CLASS_NUCLEUS) &&
      (st = add_class_layer(ctx, doc, in, FT_CLASS_NUCLEUS, -1, "nuclei", "Nuclei",
                            nucleus_color(p, doc->nlayers), p->fill_rule, "nucleus")))
    goto fail;
  if (has_class(in, FT_CLASS_STROKE)) {
    ft_rgba none = {0, 0, 0, 0};
    int k = 0;
    if ((st = add_class_layer(ctx, doc, in, FT_CLASS_STROKE, -1, "strokes", "Strokes", none,
                              p->fill_rule, NULL)))
      goto fail;
    k = doc->nlayers - 1;
    doc->layer[k].stroke = layer_color(p, k, p->ink);
    doc->layer[k].stroke_width = 1.0;
  }
  if (j->min_stroke_pt > 0.0 &&
      (raised = raise_strokes(doc, j->min_stroke_pt * ft__style_pt_to_user(doc))) > 0)
    ft__log(ctx, FT_LOG_INFO, "style: %d stroke%s widened to the %s minimum of %g pt", raised,
            raised == 1 ? "" : "s", j->title, j->min_stroke_pt);
  if (p->scale_bar != FT_SCALE_BAR_OFF && um_px > 0.0 &&
      (st = add_scale_bar(ctx, doc, p, j, um_px)))
    goto fail;
  if ((st = ft__style_describe(ctx, doc))) goto fail;
  *out = doc;
  return FT_OK;
fail:
  ft_doc_free(doc);
  return st;
}
