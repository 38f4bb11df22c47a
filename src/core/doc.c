/* src/core/doc.c - ft_doc construction. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

ft_status ft_doc_new(ft_ctx *ctx, double width, double height, ft_doc **out) {
  ft_doc *doc;
  *out = NULL;
  if (!(width > 0.0) || !(height > 0.0))
    return ft__fail(ctx, FT_ERR_INVAL, "doc: size %gx%g is empty", width, height);
  doc = calloc(1, sizeof *doc);
  if (!doc) return ft__nomem(ctx, "doc");
  doc->width = width;
  doc->height = height;
  *out = doc;
  return FT_OK;
}

void ft_doc_free(ft_doc *doc) {
  int i;
  if (!doc) return;
  for (i = 0; i < doc->nlayers; i++) {
    free(doc->layer[i].id);
    free(doc->layer[i].label);
    free(doc->layer[i].item_prefix);
    ft_paths_free(doc->layer[i].paths);
  }
  free(doc->layer);
  for (i = 0; i < doc->nrects; i++) free(doc->rect[i].id);
  free(doc->rect);
  for (i = 0; i < doc->ntexts; i++) {
    free(doc->text[i].font);
    free(doc->text[i].text);
    free(doc->text[i].id);
  }
  free(doc->text);
  free(doc->title);
  free(doc->desc);
  free(doc->source);
  free(doc->preset);
  free(doc->underlay_png);
  free(doc);
}

ft_status ft_doc_set_string(ft_ctx *ctx, char **field, const char *value) {
  char *d = ft__strdup(value);
  if (value && !d) return ft__nomem(ctx, "doc");
  free(*field);
  *field = d;
  return FT_OK;
}

ft_status ft_doc_add_layer(ft_ctx *ctx, ft_doc *doc, const char *id, const char *label,
                           ft_paths *paths, int *index) {
  int cap = doc->nlayers; /* exact-size growth keeps the array simple */
  ft_layer *l;
  char *did = ft__strdup(id), *dlabel = ft__strdup(label);
  if ((id && !did) || (label && !dlabel) ||
      ft__grow((void **)&doc->layer, &cap, doc->nlayers + 1, sizeof *l)) {
    free(did);
    free(dlabel);
    ft_paths_free(paths);
    return ft__nomem(ctx, "doc");
  }
  l = &doc->layer[doc->nlayers];
  memset(l, 0, sizeof *l);
  l->id = did;
  l->label = dlabel;
  l->fill.a = 1.0f; /* opaque black */
  l->paths = paths;
  if (index) *index = doc->nlayers;
  doc->nlayers++;
  return FT_OK;
}

ft_status ft_doc_add_rect(ft_ctx *ctx, ft_doc *doc, double x, double y, double w, double h,
                          ft_rgba fill, const char *id) {
  int cap = doc->nrects;
  ft_rect *r;
  char *did = ft__strdup(id);
  if ((id && !did) || ft__grow((void **)&doc->rect, &cap, doc->nrects + 1, sizeof *r)) {
    free(did);
    return ft__nomem(ctx, "doc");
  }
  r = &doc->rect[doc->nrects++];
  r->x = x;
  r->y = y;
  r->w = w;
  r->h = h;
  r->fill = fill;
  r->id = did;
  return FT_OK;
}

ft_status ft_doc_add_text(ft_ctx *ctx, ft_doc *doc, double x, double y, double size,
                          const char *font, const char *text, int anchor, ft_rgba color,
                          const char *id) {
  int cap = doc->ntexts;
  ft_text *t;
  char *dfont = ft__strdup(font), *dtext = ft__strdup(text ? text : ""), *did = ft__strdup(id);
  if ((font && !dfont) || !dtext || (id && !did) ||
      ft__grow((void **)&doc->text, &cap, doc->ntexts + 1, sizeof *t)) {
    free(dfont);
    free(dtext);
    free(did);
    return ft__nomem(ctx, "doc");
  }
  t = &doc->text[doc->ntexts++];
  t->x = x;
  t->y = y;
  t->size = size;
  t->font = dfont;
  t->text = dtext;
  t->anchor = anchor;
  t->color = color;
  t->id = did;
  return FT_OK;
}
