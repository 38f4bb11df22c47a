/* src/trace/contour.c - exact outline tracing of a label map (crack following).
 *
 * Boundaries are followed along the cracks between pixels, on the grid of
 * pixel corners, as in potrace's path decomposition (P. Selinger, "Potrace:
 * a polygon-based tracing algorithm", 2003, Sec. 2.1).  For a label L a
 * boundary edge is a unit edge with an L pixel on one side and a non-L
 * pixel (or the outside of the image) on the other; it is walked with the
 * L pixel on its right as seen on screen (y down), which makes outer
 * boundaries clockwise (positive ft_path_area) and hole boundaries
 * counter-clockwise.  At each corner the walk looks at the two pixels ahead:
 *
 *   ahead-left is L                -> turn left
 *   else ahead-right is L          -> go straight
 *   else                           -> turn right
 *
 * Checking ahead-left first makes two L pixels that touch only at a corner
 * part of one boundary (8-connected regions, 4-connected holes): the walk
 * crosses such a corner twice.  A vertex is emitted only where the direction
 * changes, so a rectangle has 4 segments.
 *
 * Stage 1, scan and trace.  The horizontal edge rows 0..h are scanned in
 * raster order.  Every boundary loop has a horizontal edge, so each loop is
 * found at its first horizontal edge in that order and traced at once; two
 * bitmaps mark the horizontal edges already walked eastward (L below) and
 * westward (L above), so no edge is walked twice and the whole stage is
 * linear in the number of pixels plus the boundary length.  The first edge
 * of a loop is its top-left one: it is walked eastward for an outer boundary
 * and westward for a hole, which is how the hole flag is set.  Loops are
 * numbered in discovery order, all labels together.
 *
 * Stage 2, nesting.  In the spirit of Suzuki and Abe's border following
 * ("Topological structural analysis of digitized binary images by border
 * following", CVGIP 30, 1985, Sec. 3), a loop's parent follows from the
 * loop met just outside its first edge.  From the start corner (x, y) the
 * column x is walked upward in the label map to the nearest horizontal
 * boundary edge Z of the same label:
 *   - outer loop: pixel (x, y-1) is not L; walk up through non-L pixels to
 *     the first L pixel.  None (the top of the image or of L's rows): the
 *     loop is top level.  Otherwise the region above the loop is bounded by
 *     Z's loop: when that is a hole, it is the parent; when it is another
 *     outline, the two are siblings and share its parent.
 *   - hole: pixel (x, y-1) is L; walk up through L pixels to the top of the
 *     run.  Z's loop bounds the same component: when it is the outline, it
 *     is the parent; when it is another hole, the parent is that hole's.
 * Z is found by its edge in a table of horizontal segments built from the
 * traced paths (bucketed by row, sorted by x with two counting passes).
 * Z's loop starts at or above Z, so it was discovered earlier and its
 * parent is already known, and discovery order puts every parent before its
 * children.  The walks of one label never overlap within a column, so their
 * total length is bounded by the area of the rows each label spans.
 *
 * Parent links stay within a label: a label-2 region inside a hole of a
 * label-1 region is top level for label 2.  Labels are traced independently
 * against everything else, so regions of different labels that share a
 * border each get their own (coinciding) boundary.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

static const ft_trace_params trace_defaults = {
    .mode = FT_TRACE_OUTLINE,
};

void ft_trace_params_init(ft_trace_params *p) { *p = trace_defaults; }

/* Directions, clockwise on screen: turning right is +1, left is +3 (mod 4). */
enum { DIR_E = 0, DIR_S = 1, DIR_W = 2, DIR_N = 3 };

/* Offsets from a corner (x, y) to the pixel ahead-left / ahead-right of a
 * walk in each direction; the pixels around the corner are NW (x-1, y-1),
 * NE (x, y-1), SW (x-1, y) and SE (x, y). */
static const int al_dx[4] = {0, 0, -1, -1}, al_dy[4] = {-1, 0, 0, -1};
static const int ar_dx[4] = {0, -1, -1, 0}, ar_dy[4] = {0, 0, -1, -1};

#define STEPS_PER_CHECK (1L << 20) /* edges walked between cancellation checks */

typedef struct tracer {
  ft_ctx *ctx;
  const ft_labels *in;
  const int32_t *lab; /* [h][w] */
  int w, h;
  uint64_t *seen_e;   /* [(h+1) * w] bits: horizontal edge walked eastward */
  uint64_t *seen_w;   /* [(h+1) * w] bits: horizontal edge walked westward */
  ft_paths *ps;
  long steps;         /* edges walked since the last cancellation check */
  double fraction;    /* progress of the scan, 0..1 */
} tracer;

static inline int bit_get(const uint64_t *b, size_t i) { return (int)((b[i >> 6] >> (i & 63)) & 1u); }
static inline void bit_set(uint64_t *b, size_t i) { b[i >> 6] |= (uint64_t)1 << (i & 63); }

static inline int is_label(const tracer *t, int x, int y, int32_t L) {
  return (unsigned)x < (unsigned)t->w && (unsigned)y < (unsigned)t->h &&
         t->lab[(size_t)y * (size_t)t->w + (size_t)x] == L;
}

/* New direction at corner (x, y) for a walk arriving in direction d. */
static inline int turn(const tracer *t, int x, int y, int d, int32_t L) {
  if (is_label(t, x + al_dx[d], y + al_dy[d], L)) return (d + 3) & 3;
  if (is_label(t, x + ar_dx[d], y + ar_dy[d], L)) return d;
  return (d + 1) & 3;
}

/* Walk one boundary loop of label L from corner (sx, sy), leaving it in
 * direction sd; (sx, sy) must be a corner of the loop.  Appends the loop
 * to t->ps as a closed path of line segments. */
static ft_status trace_loop(tracer *t, int sx, int sy, int sd, int32_t L, int hole) {
  ft_status st;
  ft_path *p;
  size_t w = (size_t)t->w;
  int idx, x = sx, y = sy, d = sd, nd;

  if ((st = ft_paths_add(t->ctx, t->ps, sx, sy, &idx))) return st;
  p = &t->ps->path[idx];
  p->closed = 1;
  p->hole = hole;
  p->label = L;
  p->class_id = t->in->info ? t->in->info[L].class_id : 0;
  for (;;) {
    switch (d) {
      case DIR_E: bit_set(t->seen_e, (size_t)y * w + (size_t)x); x++; break;
      case DIR_S: y++; break;
      case DIR_W: x--; bit_set(t->seen_w, (size_t)y * w + (size_t)x); break;
      default: y--; break;
    }
    nd = turn(t, x, y, d, L);
    if (nd != d && (st = ft_path_line_to(t->ctx, p, x, y))) return st;
    if (nd == sd && x == sx && y == sy) break;
    d = nd;
    if (++t->steps >= STEPS_PER_CHECK) {
      t->steps = 0;
      if ((st = ft__progress(t->ctx, 0.9 * t->fraction))) return st;
    }
  }
  return FT_OK;
}

/* Fail unless every label of row y is in 0..nlabels-1. */
static ft_status check_row(const tracer *t, const int32_t *row, int y) {
  int32_t lo = row[0], hi = row[0];
  int x;
  for (x = 1; x < t->w; x++) {
    lo = row[x] < lo ? row[x] : lo;
    hi = row[x] > hi ? row[x] : hi;
  }
  if (lo >= 0 && hi < t->in->nlabels) return FT_OK;
  for (x = 0; row[x] >= 0 && row[x] < t->in->nlabels; x++) continue;
  return ft__fail(t->ctx, FT_ERR_INVAL, "trace: label %ld at (%d,%d) out of range 0..%d",
                  (long)row[x], x, y, t->in->nlabels - 1);
}

/* Stage 1: scan the horizontal edge rows and trace every loop at its first edge. */
static ft_status scan(tracer *t) {
  int32_t *zero;
  int x, y, w = t->w, h = t->h;
  ft_status st = FT_OK;

  zero = ft__calloc_n((size_t)w, sizeof *zero);
  if (!zero) return ft__nomem(t->ctx, "trace");
  for (y = 0; y <= h && !st; y++) {
    const int32_t *above = y > 0 ? t->lab + (size_t)(y - 1) * w : zero;
    const int32_t *below = y < h ? t->lab + (size_t)y * w : zero;
    size_t row = (size_t)y * (size_t)w;
    t->fraction = (double)y / (h + 1);
    if ((y & 15) == 0 && (st = ft__progress(t->ctx, 0.9 * t->fraction))) break;
    /* Labels are checked a row at a time, before any loop starts in that
     * row: a loop indexes per-label data only with the label it starts
     * with, and only compares the rows below for equality. */
    if (y < h && (st = check_row(t, below, y))) break;
    for (x = 0; x < w; x++) {
      int32_t a = above[x], b = below[x];
      if (a == b) continue;
      /* L below, not above: the top edge of an outline, walked eastward
       * from its left corner */
      if (b > 0 && !bit_get(t->seen_e, row + x) && (st = trace_loop(t, x, y, DIR_E, b, 0)))
        break;
      /* L above, not below: the top edge of a hole, walked westward; its
       * left corner (x, y) is where the loop turns, so it starts there */
      if (a > 0 && !bit_get(t->seen_w, row + x) &&
          (st = trace_loop(t, x, y, turn(t, x, y, DIR_W, a), a, 1)))
        break;
    }
  }
  free(zero);
  return st;
}

/* Horizontal path segments of one direction, bucketed by row (edge row
 * 0..h) and sorted by x within a row; run r covers edges x0..x1-1. */
typedef struct hrun {
  int32_t x0, x1, path, row;
} hrun;

typedef struct runtab {
  size_t *off; /* [h+2]: runs of row y are r[off[y] .. off[y+1]) */
  hrun *r;     /* [n] */
} runtab;

static void runtab_free(runtab *rt) {
  free(rt->off);
  free(rt->r);
}

/* Build the tables of eastward (dir 0) and westward (dir 1) segments with
 * two stable counting passes: by x, then by row. */
static ft_status runtab_build(tracer *t, runtab rt[2]) {
  const ft_paths *ps = t->ps;
  size_t n[2] = {0, 0}, *cx[2] = {NULL, NULL};
  hrun *tmp[2] = {NULL, NULL};
  int i, j, k, w = t->w, h = t->h;

  memset(rt, 0, 2 * sizeof *rt);
  for (k = 0; k < 2; k++) {
    cx[k] = ft__calloc_n((size_t)w + 1, sizeof(size_t));
    rt[k].off = ft__calloc_n((size_t)h + 2, sizeof(size_t));
    if (!cx[k] || !rt[k].off) goto nomem;
  }
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    ft_point prev = p->start;
    for (j = 0; j < p->nseg; j++) {
      ft_point e = p->seg[j].c[2];
      if (e.y == prev.y) {
        k = e.x > prev.x ? 0 : 1;
        n[k]++;
        cx[k][(int)(k ? e.x : prev.x)]++;
        rt[k].off[(int)e.y]++;
      }
      prev = e;
    }
  }
  for (k = 0; k < 2; k++) {
    size_t acc = 0, c;
    int v;
    for (v = 0; v <= w; v++) {
      c = cx[k][v];
      cx[k][v] = acc;
      acc += c;
    }
    acc = 0;
    for (v = 0; v <= h + 1; v++) {
      c = rt[k].off[v];
      rt[k].off[v] = acc;
      acc += c;
    }
    tmp[k] = ft__malloc_n(n[k], sizeof(hrun));
    rt[k].r = ft__malloc_n(n[k], sizeof(hrun));
    if (!tmp[k] || !rt[k].r) goto nomem;
  }
  /* pass 1: by x */
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    ft_point prev = p->start;
    for (j = 0; j < p->nseg; j++) {
      ft_point e = p->seg[j].c[2];
      if (e.y == prev.y) {
        hrun r;
        k = e.x > prev.x ? 0 : 1;
        r.x0 = (int32_t)(k ? e.x : prev.x);
        r.x1 = (int32_t)(k ? prev.x : e.x);
        r.path = i;
        r.row = (int32_t)e.y;
        tmp[k][cx[k][r.x0]++] = r;
      }
      prev = e;
    }
  }
  /* pass 2: by row, stable, so rows stay sorted by x; off[] ends up shifted
   * by one row and is shifted back */
  for (k = 0; k < 2; k++) {
    size_t m;
    int v;
    for (m = 0; m < n[k]; m++) rt[k].r[rt[k].off[tmp[k][m].row]++] = tmp[k][m];
    for (v = h + 1; v > 0; v--) rt[k].off[v] = rt[k].off[v - 1];
    rt[k].off[0] = 0;
    free(tmp[k]);
    free(cx[k]);
  }
  return FT_OK;
nomem:
  for (k = 0; k < 2; k++) {
    free(tmp[k]);
    free(cx[k]);
  }
  runtab_free(&rt[0]);
  runtab_free(&rt[1]);
  return ft__nomem(t->ctx, "trace");
}

/* The path owning horizontal edge x of edge row y in table rt, or -1. */
static int runtab_find(const runtab *rt, int y, int x) {
  size_t lo = rt->off[y], hi = rt->off[y + 1];
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (rt->r[mid].x0 <= x)
      lo = mid;
    else
      hi = mid;
  }
  if (lo < rt->off[y + 1] && rt->r[lo].x0 <= x && x < rt->r[lo].x1) return rt->r[lo].path;
  return -1;
}

/* Stage 2: parent links (see the file comment). */
static ft_status nest(tracer *t) {
  runtab rt[2];
  ft_paths *ps = t->ps;
  size_t w = (size_t)t->w;
  int32_t *top;
  ft_status st;
  int i;

  /* The first row holding each label, where the upward walks of that
   * label stop: the first loop found of a label is an outline starting
   * on its top row. */
  top = ft__malloc_n((size_t)t->in->nlabels, sizeof *top);
  if (!top) return ft__nomem(t->ctx, "trace");
  for (i = 0; i < t->in->nlabels; i++) top[i] = t->h;
  for (i = ps->npaths - 1; i >= 0; i--) top[ps->path[i].label] = (int32_t)ps->path[i].start.y;
  if ((st = runtab_build(t, rt))) {
    free(top);
    return st;
  }
  for (i = 0; i < ps->npaths; i++) {
    ft_path *p = &ps->path[i];
    int32_t L = p->label;
    int x = (int)p->start.x, y = (int)p->start.y, py, z;
    if ((i & 4095) == 0 && (st = ft__progress(t->ctx, 0.9 + 0.1 * i / ps->npaths))) break;
    p->parent = -1;
    if (!p->hole) {
      if (y == 0) continue;
      for (py = y - 1; py >= top[L] && t->lab[(size_t)py * w + x] != L; py--) continue;
      if (py < top[L]) continue;
      z = runtab_find(&rt[1], py + 1, x);
      if (z < 0 || z >= i) goto internal;
      p->parent = ps->path[z].hole ? z : ps->path[z].parent;
    } else {
      for (py = y - 1; py > 0 && t->lab[(size_t)(py - 1) * w + x] == L; py--) continue;
      z = runtab_find(&rt[0], py, x);
      if (z < 0 || z >= i) goto internal;
      p->parent = ps->path[z].hole ? ps->path[z].parent : z;
    }
  }
  runtab_free(&rt[0]);
  runtab_free(&rt[1]);
  free(top);
  return st;
internal:
  runtab_free(&rt[0]);
  runtab_free(&rt[1]);
  free(top);
  return ft__fail(t->ctx, FT_ERR_INTERNAL, "trace: no enclosing boundary for path %d", i);
}

ft_status ft_trace(ft_ctx *ctx, const ft_labels *in, const ft_trace_params *p, ft_paths **out) {
  tracer t;
  size_t npix, nbits;
  ft_status st;

  if (!out) return ft__fail(ctx, FT_ERR_INVAL, "trace: no output pointer");
  *out = NULL;
  if (!p) p = &trace_defaults;
  if (p->mode != FT_TRACE_OUTLINE)
    return ft__fail(ctx, FT_ERR_INVAL, "trace: unknown mode %d", p->mode);
  if (!in || !in->label || in->width < 1 || in->height < 1 || in->nlabels < 1 ||
      in->width > FT_MAX_DIMENSION || in->height > FT_MAX_DIMENSION)
    return ft__fail(ctx, FT_ERR_INVAL, "trace: invalid label map");

  memset(&t, 0, sizeof t);
  t.ctx = ctx;
  t.in = in;
  t.lab = in->label;
  t.w = in->width;
  t.h = in->height;
  if (ft__mul_overflow((size_t)t.w, (size_t)t.h, &npix) ||
      ft__mul_overflow((size_t)t.w, (size_t)t.h + 1, &nbits))
    return ft__fail(ctx, FT_ERR_TOOBIG, "trace: %dx%d is too large", t.w, t.h);

  t.seen_e = ft__calloc_n(nbits / 64 + 1, sizeof(uint64_t));
  t.seen_w = ft__calloc_n(nbits / 64 + 1, sizeof(uint64_t));
  if (!t.seen_e || !t.seen_w) goto nomem;
  if ((st = ft_paths_new(ctx, t.w, t.h, &t.ps))) goto fail;
  t.ps->pixel_w = in->pixel_w;
  t.ps->pixel_h = in->pixel_h;
  if (in->info && (st = ft_paths_set_info(ctx, t.ps, in->info, in->nlabels))) goto fail;

  if ((st = scan(&t))) goto fail;
  free(t.seen_e);
  free(t.seen_w);
  t.seen_e = t.seen_w = NULL;
  if ((st = nest(&t))) goto fail;
  if ((st = ft__progress(ctx, 1.0))) goto fail;
  *out = t.ps;
  return FT_OK;
nomem:
  st = ft__nomem(ctx, "trace");
fail:
  free(t.seen_e);
  free(t.seen_w);
  ft_paths_free(t.ps);
  return st;
}
