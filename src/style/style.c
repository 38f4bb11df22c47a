/* src/style/style.c - from traced paths to a document with layers.
 *
 * One layer per class present, painted background to foreground: colour
 * regions (one layer per label, filled with the label's mean colour), ink,
 * nuclei, strokes.  The document's user units stay the pixel grid; its
 * physical size comes from width_mm (aspect kept) or 96 pixels per inch.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

static const ft_style_params style_defaults = {
    .width_mm = 0.0,
    .ink = {0.0f, 0.0f, 0.0f, 1.0f},
    .fill_rule = FT_FILL_NONZERO,
};

void ft_style_params_init(ft_style_params *p) { *p = style_defaults; }

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

ft_status ft_style(ft_ctx *ctx, const ft_paths *in, const ft_style_params *p, ft_doc **out) {
  ft_doc *doc = NULL;
  ft_status st;
  int lab;
  *out = NULL;
  if (!p) p = &style_defaults;
  if (p->width_mm < 0.0)
    return ft__fail(ctx, FT_ERR_INVAL, "style: width %g mm is negative", p->width_mm);
  if (in->width < 1 || in->height < 1)
    return ft__fail(ctx, FT_ERR_INVAL, "style: empty drawing %dx%d", in->width, in->height);
  if ((st = ft_doc_new(ctx, in->width, in->height, &doc))) return st;
  doc->width_mm = p->width_mm > 0.0 ? p->width_mm : in->width * 25.4 / 96.0;
  doc->height_mm = doc->width_mm * in->height / in->width;
  doc->pixel_w = in->pixel_w;
  doc->pixel_h = in->pixel_h;

  /* Colour regions, back to front in label order. */
  for (lab = 1; lab < in->nlabels; lab++) {
    char id[32];
    ft_rgba c;
    if (in->info[lab].class_id != FT_CLASS_REGION) continue;
    snprintf(id, sizeof id, "color-%d", lab);
    c.r = in->info[lab].color[0];
    c.g = in->info[lab].color[1];
    c.b = in->info[lab].color[2];
    c.a = 1.0f;
    if ((st = add_class_layer(ctx, doc, in, FT_CLASS_REGION, lab, id, id, c, p->fill_rule, NULL)))
      goto fail;
  }
  if (has_class(in, FT_CLASS_INK) &&
      (st = add_class_layer(ctx, doc, in, FT_CLASS_INK, -1, "ink", "Ink", p->ink, p->fill_rule,
                            NULL)))
    goto fail;
  if (has_class(in, FT_CLASS_NUCLEUS) &&
      (st = add_class_layer(ctx, doc, in, FT_CLASS_NUCLEUS, -1, "nuclei", "Nuclei", p->ink,
                            p->fill_rule, "nucleus")))
    goto fail;
  if (has_class(in, FT_CLASS_STROKE)) {
    ft_rgba none = {0, 0, 0, 0};
    int k = 0;
    if ((st = add_class_layer(ctx, doc, in, FT_CLASS_STROKE, -1, "strokes", "Strokes", none,
                              p->fill_rule, NULL)))
      goto fail;
    k = doc->nlayers - 1;
    doc->layer[k].stroke = p->ink;
    doc->layer[k].stroke_width = 1.0;
  }
  *out = doc;
  return FT_OK;
fail:
  ft_doc_free(doc);
  return st;
}
