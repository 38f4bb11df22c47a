/* src/segment/wedges.c - drop the dark wedges a shadow leaves at the image border.
 *
 * A photographed page often has a shadow (a hand, the phone) or the dark
 * table at its edge.  Where the shadow's edge meets the image border at an
 * acute angle, the corner of the shadow is narrower than any background
 * estimate's window (a closing cannot fit into it, a network sees a dark
 * sliver), so it comes out of the segmentation as a small dark triangle
 * sitting on the border.  Such a piece is told from a pen line running off
 * the page by its shape, measured against each image side it touches:
 * with c its pixels on that side (its contact) and h its depth (rows or
 * columns from that side to its deepest pixel, inclusive), a straight
 * stroke crossing the border at any angle is a parallelogram of area about
 * c * h and reaches deep into the page, a line along the edge is a band of
 * area c * h, while a wedge is a triangle of area about c * h / 2 no deeper
 * than a few contacts.  A connected ink component (8-connected, all labels
 * other than 0) touching the border is set to background when, for some
 * side, h <= 2 c and its area is at most 0.8 c h.  Everything else,
 * including every component away from the border, is copied unchanged.
 * Connected components by a breadth-first flood fill with an explicit
 * queue.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "figtrace/stages.h"

/* A copy of in with the same storage and info. */
static ft_status copy_labels(ft_ctx *ctx, const ft_labels *in, ft_labels **out) {
  size_t n = (size_t)in->width * (size_t)in->height;
  ft_labels *lab = NULL;
  ft_status st = in->label ? ft_labels_new(ctx, in->width, in->height, in->nlabels, &lab)
                           : ft_labels_new_compact(ctx, in->width, in->height, in->nlabels, &lab);
  if (st) return st;
  if (in->label)
    memcpy(lab->label, in->label, n * sizeof *in->label);
  else
    memcpy(lab->label8, in->label8, n);
  memcpy(lab->info, in->info, (size_t)in->nlabels * sizeof *in->info);
  lab->pixel_w = in->pixel_w;
  lab->pixel_h = in->pixel_h;
  *out = lab;
  return FT_OK;
}

static void set_label(ft_labels *lab, size_t i, int32_t v) {
  if (lab->label)
    lab->label[i] = v;
  else
    lab->label8[i] = (uint8_t)v;
}

/* The component's shape against the four sides (top, bottom, left, right):
 * 1 when it is a wedge on one of them. */
static int is_wedge(int64_t area, const int64_t contact[4], const int64_t depth[4]) {
  int s;
  for (s = 0; s < 4; s++) {
    double c = (double)contact[s], h = (double)depth[s] + 1.0;
    if (contact[s] > 0 && h <= 2.0 * c && (double)area <= 0.8 * c * h) return 1;
  }
  return 0;
}

ft_status ft_drop_border_wedges(ft_ctx *ctx, const ft_labels *in, ft_labels **out) {
  ft_labels *lab = NULL;
  uint8_t *seen = NULL;
  size_t *queue = NULL;
  size_t n, i;
  int w, h, b, dropped = 0;
  ft_status st;

  *out = NULL;
  if (!in || in->width <= 0 || in->height <= 0 || (!in->label && !in->label8))
    return ft__fail(ctx, FT_ERR_INVAL, "wedges: no label map");
  w = in->width;
  h = in->height;
  if (ft__mul_overflow((size_t)w, (size_t)h, &n)) return ft__nomem(ctx, "wedges");
  if ((st = copy_labels(ctx, in, &lab))) return st;
  seen = ft__calloc_n(n, 1);
  queue = ft__malloc_n(n, sizeof *queue);
  if (!seen || !queue) {
    st = ft__nomem(ctx, "wedges");
    goto done;
  }
  /* every border pixel in turn: rows 0 and h-1, then columns 0 and w-1 */
  for (b = 0; b < 2 * w + 2 * h; b++) {
    size_t start, head = 0, tail = 0;
    int64_t contact[4] = {0, 0, 0, 0}, depth[4] = {0, 0, 0, 0}, area = 0;
    if (b < w)
      start = (size_t)b;
    else if (b < 2 * w)
      start = (size_t)(h - 1) * (size_t)w + (size_t)(b - w);
    else if (b < 2 * w + h)
      start = (size_t)(b - 2 * w) * (size_t)w;
    else
      start = (size_t)(b - 2 * w - h) * (size_t)w + (size_t)(w - 1);
    if (seen[start] || ft_labels_get(in, start) == 0) continue;
    seen[start] = 1;
    queue[tail++] = start;
    while (head < tail) {
      size_t p = queue[head++];
      int x = (int)(p % (size_t)w), y = (int)(p / (size_t)w), dx, dy, s;
      int64_t d[4];
      d[0] = y;
      d[1] = h - 1 - y;
      d[2] = x;
      d[3] = w - 1 - x;
      area++;
      for (s = 0; s < 4; s++) {
        if (d[s] == 0) contact[s]++;
        if (d[s] > depth[s]) depth[s] = d[s];
      }
      for (dy = -1; dy <= 1; dy++)
        for (dx = -1; dx <= 1; dx++) {
          int nx = x + dx, ny = y + dy;
          size_t q;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          q = (size_t)ny * (size_t)w + (size_t)nx;
          if (seen[q] || ft_labels_get(in, q) == 0) continue;
          seen[q] = 1;
          queue[tail++] = q;
        }
    }
    if (is_wedge(area, contact, depth)) {
      for (i = 0; i < tail; i++) set_label(lab, queue[i], 0);
      dropped++;
    }
  }
  if (dropped) ft_labels_count(lab);
  ft__log(ctx, FT_LOG_DEBUG, "wedges: %d border wedge(s) dropped", dropped);
  st = FT_OK;
done:
  free(seen);
  free(queue);
  if (st)
    ft_labels_free(lab);
  else
    *out = lab;
  return st;
}
