/* src/core/labels.c - ft_labels construction. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

ft_status ft_labels_new(ft_ctx *ctx, int width, int height, int nlabels, ft_labels **out) {
  ft_labels *lab;
  size_t n;
  *out = NULL;
  if (width < 1 || height < 1 || nlabels < 1)
    return ft__fail(ctx, FT_ERR_INVAL, "labels: bad size %dx%d with %d labels", width, height,
                    nlabels);
  if (width > FT_MAX_DIMENSION || height > FT_MAX_DIMENSION ||
      ft__mul_overflow((size_t)width, (size_t)height, &n))
    return ft__fail(ctx, FT_ERR_TOOBIG, "labels: %dx%d is too large", width, height);
  lab = calloc(1, sizeof *lab);
  if (!lab) return ft__nomem(ctx, "labels");
  lab->label = ft__calloc_n(n, sizeof(int32_t));
  lab->info = ft__calloc_n((size_t)nlabels, sizeof(ft_label_info));
  if (!lab->label || !lab->info) {
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

void ft_labels_free(ft_labels *lab) {
  if (!lab) return;
  free(lab->label);
  free(lab->info);
  free(lab);
}

void ft_labels_count(ft_labels *lab) {
  size_t i, n = (size_t)lab->width * lab->height;
  int k;
  for (k = 0; k < lab->nlabels; k++) lab->info[k].area = 0;
  for (i = 0; i < n; i++) {
    int32_t v = lab->label[i];
    if (v >= 0 && v < lab->nlabels) lab->info[v].area++;
  }
}
