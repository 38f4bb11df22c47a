/* src/core/paths.c - ft_paths construction, copying and measures. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

ft_status ft_paths_new(ft_ctx *ctx, int width, int height, ft_paths **out) {
  ft_paths *ps;
  *out = NULL;
  if (width < 0 || height < 0)
    return ft__fail(ctx, FT_ERR_INVAL, "paths: bad size %dx%d", width, height);
  ps = calloc(1, sizeof *ps);
  if (!ps) return ft__nomem(ctx, "paths");
  ps->width = width;
  ps->height = height;
  *out = ps;
  return FT_OK;
}

void ft_paths_free(ft_paths *ps) {
  int i;
  if (!ps) return;
  for (i = 0; i < ps->npaths; i++) free(ps->path[i].seg);
  free(ps->path);
  free(ps->info);
  free(ps);
}

ft_status ft_paths_set_info(ft_ctx *ctx, ft_paths *ps, const ft_label_info *info, int n) {
  ft_label_info *copy = NULL;
  if (n > 0) {
    copy = ft__malloc_n((size_t)n, sizeof *copy);
    if (!copy) return ft__nomem(ctx, "paths");
    memcpy(copy, info, (size_t)n * sizeof *copy);
  }
  free(ps->info);
  ps->info = copy;
  ps->nlabels = n > 0 ? n : 0;
  return FT_OK;
}

ft_status ft_paths_add(ft_ctx *ctx, ft_paths *ps, double x, double y, int *index) {
  ft_path *p;
  if (ps->npaths == INT32_MAX || ft__grow((void **)&ps->path, &ps->cap, ps->npaths + 1, sizeof *p))
    return ft__nomem(ctx, "paths");
  p = &ps->path[ps->npaths];
  memset(p, 0, sizeof *p);
  p->start.x = x;
  p->start.y = y;
  p->parent = -1;
  if (index) *index = ps->npaths;
  ps->npaths++;
  return FT_OK;
}

static ft_status add_seg(ft_ctx *ctx, ft_path *p, const ft_seg *s) {
  if (p->nseg == INT32_MAX || ft__grow((void **)&p->seg, &p->cap, p->nseg + 1, sizeof *s))
    return ft__nomem(ctx, "paths");
  p->seg[p->nseg++] = *s;
  return FT_OK;
}

ft_status ft_path_line_to(ft_ctx *ctx, ft_path *p, double x, double y) {
  ft_seg s;
  memset(&s, 0, sizeof s);
  s.type = FT_SEG_LINE;
  s.c[2].x = x;
  s.c[2].y = y;
  return add_seg(ctx, p, &s);
}

ft_status ft_path_cubic_to(ft_ctx *ctx, ft_path *p, double x1, double y1, double x2, double y2,
                           double x, double y) {
  ft_seg s;
  s.type = FT_SEG_CUBIC;
  s.c[0].x = x1;
  s.c[0].y = y1;
  s.c[1].x = x2;
  s.c[1].y = y2;
  s.c[2].x = x;
  s.c[2].y = y;
  return add_seg(ctx, p, &s);
}

static double cross(ft_point a, ft_point b) { return a.x * b.y - a.y * b.x; }

/* Half the line integral of x dy - y dx.  For a cubic P0..P3 the integral
 * is exact: (6 P0xP1 + 3 P0xP2 + P0xP3 + 3 P1xP2 + 3 P1xP3 + 6 P2xP3) / 10,
 * which reduces to the chord term P0xP3 when the controls lie on the chord.
 * With y pointing down, clockwise on screen comes out positive. */
double ft_path_area(const ft_path *p) {
  double a = 0.0;
  ft_point cur = p->start;
  int i;
  for (i = 0; i < p->nseg; i++) {
    const ft_seg *s = &p->seg[i];
    ft_point e = s->c[2];
    if (s->type == FT_SEG_CUBIC) {
      ft_point c1 = s->c[0], c2 = s->c[1];
      a += (6 * cross(cur, c1) + 3 * cross(cur, c2) + cross(cur, e) + 3 * cross(c1, c2) +
            3 * cross(c1, e) + 6 * cross(c2, e)) / 10.0;
    } else {
      a += cross(cur, e);
    }
    cur = e;
  }
  return a * 0.5;
}

ft_status ft_paths_copy(ft_ctx *ctx, const ft_paths *in, ft_paths **out) {
  ft_paths *ps;
  ft_status st;
  int i;
  *out = NULL;
  if ((st = ft_paths_new(ctx, in->width, in->height, &ps))) return st;
  ps->pixel_w = in->pixel_w;
  ps->pixel_h = in->pixel_h;
  if ((st = ft_paths_set_info(ctx, ps, in->info, in->nlabels))) goto fail;
  if (in->npaths > 0) {
    ps->path = ft__calloc_n((size_t)in->npaths, sizeof *ps->path);
    if (!ps->path) goto nomem;
    ps->cap = in->npaths;
  }
  for (i = 0; i < in->npaths; i++) {
    ft_path *d = &ps->path[i];
    *d = in->path[i];
    d->seg = NULL;
    d->cap = d->nseg = 0;
    ps->npaths = i + 1;
    if (in->path[i].nseg > 0) {
      d->seg = ft__malloc_n((size_t)in->path[i].nseg, sizeof *d->seg);
      if (!d->seg) goto nomem;
      memcpy(d->seg, in->path[i].seg, (size_t)in->path[i].nseg * sizeof *d->seg);
      d->nseg = d->cap = in->path[i].nseg;
    }
  }
  *out = ps;
  return FT_OK;
nomem:
  st = ft__nomem(ctx, "paths");
fail:
  ft_paths_free(ps);
  return st;
}

void ft_paths_count(const ft_paths *ps, long *lines, long *cubics) {
  long l = 0, c = 0;
  int i, j;
  for (i = 0; i < ps->npaths; i++)
    for (j = 0; j < ps->path[i].nseg; j++) {
      if (ps->path[i].seg[j].type == FT_SEG_CUBIC)
        c++;
      else
        l++;
    }
  if (lines) *lines = l;
  if (cubics) *cubics = c;
}
