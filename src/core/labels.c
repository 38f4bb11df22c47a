/* src/core/labels.c - ft_labels construction, compact and int32 forms, counts. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

ft_status ft__labels_alloc(ft_ctx *ctx, int width, int height, int nlabels, int compact,
                           int zero, ft_labels **out) {
  ft_labels *lab;
  size_t n;
  *out = NULL;
  if (width < 1 || height < 1 || nlabels < 1 || (compact && nlabels > 256))
    return ft__fail(ctx, FT_ERR_INVAL, "labels: bad size %dx%d with %d labels%s", width, height,
                    nlabels, compact ? " (compact: at most 256)" : "");
  if (width > FT_MAX_DIMENSION || height > FT_MAX_DIMENSION ||
      ft__mul_overflow((size_t)width, (size_t)height, &n))
    return ft__fail(ctx, FT_ERR_TOOBIG, "labels: %dx%d is too large", width, height);
  lab = calloc(1, sizeof *lab);
  if (!lab) return ft__nomem(ctx, "labels");
  if (compact)
    lab->label8 = zero ? ft__calloc_n(n, 1) : ft__malloc_n(n, 1);
  else
    lab->label = zero ? ft__calloc_n(n, sizeof(int32_t)) : ft__malloc_n(n, sizeof(int32_t));
  lab->info = ft__calloc_n((size_t)nlabels, sizeof(ft_label_info));
  if ((!lab->label && !lab->label8) || !lab->info) {
    ft_labels_free(lab);
    return ft__nomem(ctx, "labels");
  }
  lab->width = width;
  lab->height = height;
  lab->nlabels = nlabels;
  lab->info[0].area = (int64_t)n;
  *out = lab;
  return FT_OK;
}

ft_status ft_labels_new(ft_ctx *ctx, int width, int height, int nlabels, ft_labels **out) {
  return ft__labels_alloc(ctx, width, height, nlabels, 0, 1, out);
}

ft_status ft_labels_new_compact(ft_ctx *ctx, int width, int height, int nlabels,
                                ft_labels **out) {
  return ft__labels_alloc(ctx, width, height, nlabels, 1, 1, out);
}

void ft_labels_free(ft_labels *lab) {
  if (!lab) return;
  free(lab->label);
  free(lab->label8);
  free(lab->info);
  free(lab);
}

ft_status ft_labels_widen(ft_ctx *ctx, ft_labels *lab) {
  size_t i, n = (size_t)lab->width * lab->height;
  int32_t *l;
  if (lab->label) return FT_OK;
  if (!(l = ft__malloc_n(n, sizeof *l))) return ft__nomem(ctx, "labels");
  for (i = 0; i < n; i++) l[i] = lab->label8[i];
  free(lab->label8);
  lab->label8 = NULL;
  lab->label = l;
  return FT_OK;
}

void ft_labels_count(ft_labels *lab) {
  size_t i, n = (size_t)lab->width * lab->height;
  int k;
  for (k = 0; k < lab->nlabels; k++) lab->info[k].area = 0;
  if (!lab->label) {
    /* counts per byte value, then per label */
    uint64_t c[256] = {0};
    for (i = 0; i < n; i++) c[lab->label8[i]]++;
    for (k = 0; k < 256 && k < lab->nlabels; k++) lab->info[k].area = (int64_t)c[k];
    return;
  }
  for (i = 0; i < n; i++) {
    int32_t v = lab->label[i];
    if (v >= 0 && v < lab->nlabels) lab->info[v].area++;
  }
}
