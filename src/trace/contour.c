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
 * numbered in discovery order, all labels together.  A map of a megapixel
 * or more is scanned in bands of edge rows, one a thread (bands()): each
 * band keeps the loops whose first edge lies in it, so the loops of the
 * bands one after the other are those of one scan, in the same order.
 *
 * Stage 2, nesting.  In the spirit of Suzuki and Abe's border following
 * ("Topological structural analysis of digitized binary images by border
 * following", CVGIP 30, 1985, Sec. 3), a loop's parent follows from the
 * loop met just outside its first edge.  From the start corner (x, y) the
 * column x is walked upward in the label map to the nearest horizontal
 * boundary edge Z of the same label:
 *   - outer loop: pixel (x, y-1) is not L; walk up through non-L pixels to
 *     the first L pixel.  None (the top of the image, or above the first
 *     hole of L): the loop is top level.  Otherwise the region above the loop is bounded by
 *     Z's loop: when that is a hole, it is the parent; when it is another
 *     outline, the two are siblings and share its parent.
 *   - hole: pixel (x, y-1) is L; walk up through L pixels to the top of the
 *     run.  Z's loop bounds the same component: when it is the outline, it
 *     is the parent; when it is another hole, the parent is that hole's.
 * The walks only collect these edges as queries; Z is then found for all
 * of them in one sweep over the horizontal segments of the traced paths,
 * with the queries sorted by row and x (two counting passes).  Z's loop
 * starts at or above Z, so it was discovered earlier and its parent is
 * known when the parents are assigned in discovery order; discovery order
 * also puts every parent before its children.  The walks of one label
 * never overlap within a column.  Hole walks cross only pixels of their
 * own label, so together they visit each pixel at most once; an outline
 * only walks when it lies inside the rows and columns spanned by its
 * label's holes, and stops at the top of them, so labels without holes
 * (most labels of a speckled multi-label map) cost nothing.
 *
 * A compact label map (one byte per pixel) is read in place.  The scan
 * compares the rows above and below eight bytes at a time and stops only
 * where they differ.
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
#include "trace/internal.h"

static const ft_trace_params trace_defaults = {
    .mode = FT_TRACE_OUTLINE,
    .stroke_width = 0.0,
    .spur_ratio = 0.75,
    .blob_ratio = 2.5,
    .simplify = 0.5,
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
  const int32_t *lab; /* [h][w], or NULL for a compact map */
  const uint8_t *lab8; /* [h][w] of a compact map, else NULL */
  int w, h;
  uint64_t *seen_e;   /* [(h+1) * w] bits: horizontal edge walked eastward */
  uint64_t *seen_w;   /* [(h+1) * w] bits: horizontal edge walked westward */
  ft_paths *ps;
  int32_t *vbuf;      /* [vcap][2] corners of the loop being traced, reused */
  int vcap;
  long steps;         /* edges walked since the last cancellation check */
  double fraction;    /* progress of the scan, 0..1 */
  int y0;             /* a band's first edge row: loops reaching above it are another band's */
} tracer;

static inline int bit_get(const uint64_t *b, size_t i) { return (int)((b[i >> 6] >> (i & 63)) & 1u); }
static inline void bit_set(uint64_t *b, size_t i) { b[i >> 6] |= (uint64_t)1 << (i & 63); }

/* Label of pixel i (= y * w + x), either storage. */
static inline int32_t lab_at(const tracer *t, size_t i) {
  return t->lab ? t->lab[i] : (int32_t)t->lab8[i];
}

static inline int is_label(const tracer *t, int x, int y, int32_t L) {
  return (unsigned)x < (unsigned)t->w && (unsigned)y < (unsigned)t->h &&
         lab_at(t, (size_t)y * (size_t)t->w + (size_t)x) == L;
}

/* New direction at corner (x, y) for a walk arriving in direction d. */
static inline int turn(const tracer *t, int x, int y, int d, int32_t L) {
  if (is_label(t, x + al_dx[d], y + al_dy[d], L)) return (d + 3) & 3;
  if (is_label(t, x + ar_dx[d], y + ar_dy[d], L)) return d;
  return (d + 1) & 3;
}

/* Walk one boundary loop of label L from corner (sx, sy), leaving it in
 * direction sd; (sx, sy) must be a corner of the loop.  The corners are
 * gathered in t->vbuf and the loop is appended to t->ps as a closed path
 * of line segments, allocated once at its exact size. */
static ft_status trace_loop(tracer *t, int sx, int sy, int sd, int32_t L, int hole) {
  ft_status st;
  ft_path *p;
  size_t w = (size_t)t->w;
  int idx, x = sx, y = sy, d = sd, nd, n = 0, i;

  for (;;) {
    switch (d) {
      case DIR_E:
        /* in a band, an edge walked before belongs to a loop found above
         * the band (a loop of its own is walked once, from its first edge) */
        if (t->y0 > 0 && bit_get(t->seen_e, (size_t)y * w + (size_t)x)) return FT_OK;
        bit_set(t->seen_e, (size_t)y * w + (size_t)x);
        x++;
        break;
      case DIR_S: y++; break;
      case DIR_W:
        x--;
        if (t->y0 > 0 && bit_get(t->seen_w, (size_t)y * w + (size_t)x)) return FT_OK;
        bit_set(t->seen_w, (size_t)y * w + (size_t)x);
        break;
      default:
        if (--y < t->y0) return FT_OK; /* reaches above the band: not its loop */
        break;
    }
    nd = turn(t, x, y, d, L);
    if (nd != d) {
      if (n == t->vcap && ft__grow((void **)&t->vbuf, &t->vcap, n + 1, 2 * sizeof *t->vbuf))
        return ft__nomem(t->ctx, "trace");
      t->vbuf[2 * n] = x;
      t->vbuf[2 * n + 1] = y;
      n++;
    }
    if (nd == sd && x == sx && y == sy) break;
    d = nd;
    if (++t->steps >= STEPS_PER_CHECK) {
      t->steps = 0;
      if ((st = ft__progress(t->ctx, 0.9 * t->fraction))) return st;
    }
  }

  if ((st = ft_paths_add(t->ctx, t->ps, sx, sy, &idx))) return st;
  p = &t->ps->path[idx];
  p->closed = 1;
  p->hole = hole;
  p->label = L;
  p->class_id = t->in->info ? t->in->info[L].class_id : 0;
  p->seg = ft__malloc_n((size_t)n, sizeof *p->seg);
  if (!p->seg) return ft__nomem(t->ctx, "trace");
  p->cap = p->nseg = n;
  for (i = 0; i < n; i++) {
    ft_seg *sg = &p->seg[i];
    memset(sg, 0, sizeof *sg);
    sg->type = FT_SEG_LINE;
    sg->c[2].x = t->vbuf[2 * i];
    sg->c[2].y = t->vbuf[2 * i + 1];
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

/* The first x >= x0 (< w) where rows a and b of elem-byte labels differ, or
 * w: eight bytes compared at a time, as most of a page is the same label
 * above and below. */
static inline int next_diff(const void *a, const void *b, int x, int w, int elem) {
  const unsigned char *pa = a, *pb = b;
  int step = 8 / elem;
  while (x + step <= w) {
    uint64_t u, v;
    memcpy(&u, pa + (size_t)x * elem, 8);
    memcpy(&v, pb + (size_t)x * elem, 8);
    if (u != v) break;
    x += step;
  }
  if (elem == 1)
    while (x < w && pa[x] == pb[x]) x++;
  else
    while (x < w && ((const int32_t *)a)[x] == ((const int32_t *)b)[x]) x++;
  return x;
}

/* Fail unless every byte of compact row y is below nlabels.  The bytes are
 * OR-ed eight at a time first: no byte exceeds the OR of all, so an OR below
 * nlabels (always so for a 0/1 map) settles it without a per-byte maximum. */
static ft_status check_row8(const tracer *t, const uint8_t *row, int y) {
  unsigned hi = 0;
  uint64_t acc = 0;
  int x;
  if (t->in->nlabels >= 256) return FT_OK;
  for (x = 0; x + 8 <= t->w; x += 8) {
    uint64_t v;
    memcpy(&v, row + x, 8);
    acc |= v;
  }
  for (; x < t->w; x++) acc |= row[x];
  for (x = 0; x < 8; x++) hi |= (unsigned)(acc >> (8 * x)) & 255u;
  if ((int)hi < t->in->nlabels) return FT_OK;
  for (hi = 0, x = 0; x < t->w; x++) hi = row[x] > hi ? row[x] : hi;
  if ((int)hi < t->in->nlabels) return FT_OK;
  for (x = 0; row[x] < t->in->nlabels; x++) continue;
  return ft__fail(t->ctx, FT_ERR_INVAL, "trace: label %d at (%d,%d) out of range 0..%d",
                  (int)row[x], x, y, t->in->nlabels - 1);
}

/* Stage 1: scan the horizontal edge rows y0..y1-1 and trace every loop at
 * its first edge. */
static ft_status scan(tracer *t, int y0, int y1) {
  void *zero;
  int x, y, w = t->w, h = t->h, elem = t->lab ? 4 : 1;
  ft_status st = FT_OK;

  zero = ft__calloc_n((size_t)w, (size_t)elem);
  if (!zero) return ft__nomem(t->ctx, "trace");
  for (y = y0; y < y1 && !st; y++) {
    const void *above, *below;
    size_t row = (size_t)y * (size_t)w;
    if (t->lab) {
      above = y > 0 ? (const void *)(t->lab + row - w) : zero;
      below = y < h ? (const void *)(t->lab + row) : zero;
    } else {
      above = y > 0 ? (const void *)(t->lab8 + row - w) : zero;
      below = y < h ? (const void *)(t->lab8 + row) : zero;
    }
    t->fraction = (double)y / (h + 1);
    if ((y & 15) == 0 && (st = ft__progress(t->ctx, 0.9 * t->fraction))) break;
    /* Labels are checked a row at a time, before any loop starts in that
     * row: a loop indexes per-label data only with the label it starts
     * with, and only compares the rows below for equality. */
    if (y < h && (st = t->lab ? check_row(t, below, y) : check_row8(t, below, y))) break;
    for (x = next_diff(above, below, 0, w, elem); x < w;
         x = next_diff(above, below, x + 1, w, elem)) {
      int32_t a = t->lab ? ((const int32_t *)above)[x] : ((const uint8_t *)above)[x];
      int32_t b = t->lab ? ((const int32_t *)below)[x] : ((const uint8_t *)below)[x];
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

/* One lookup of stage 2: which loop walks edge x of edge row `row`
 * (eastward when a hole asks, westward when an outline asks). */
typedef struct query {
  int32_t row, x, path, owner;
} query;

/* Sort q[0..n-1] by (row, x) with two stable counting passes, by x then by
 * row; off[row] .. off[row+1] are then the queries of a row ([h+2]). */
static ft_status sort_queries(tracer *t, query *q, size_t n, size_t *off) {
  size_t *cx, m, acc, c;
  query *tmp;
  int v;
  cx = ft__calloc_n((size_t)t->w + 1, sizeof *cx);
  tmp = ft__malloc_n(n, sizeof *tmp);
  if (!cx || !tmp) {
    free(cx);
    free(tmp);
    return ft__nomem(t->ctx, "trace");
  }
  for (m = 0; m < n; m++) cx[q[m].x]++;
  for (acc = 0, v = 0; v <= t->w; v++) {
    c = cx[v];
    cx[v] = acc;
    acc += c;
  }
  for (m = 0; m < n; m++) tmp[cx[q[m].x]++] = q[m];
  memset(off, 0, ((size_t)t->h + 2) * sizeof *off);
  for (m = 0; m < n; m++) off[tmp[m].row + 1]++;
  for (v = 1; v <= t->h + 1; v++) off[v] += off[v - 1];
  for (m = 0; m < n; m++) q[off[tmp[m].row]++] = tmp[m];
  /* off[row] now ends row `row`; shift back to starts */
  for (v = t->h + 1; v > 0; v--) off[v] = off[v - 1];
  off[0] = 0;
  free(cx);
  free(tmp);
  return FT_OK;
}

/* Stage 2: parent links (see the file comment). */
static ft_status nest(tracer *t) {
  ft_paths *ps = t->ps;
  size_t w = (size_t)t->w, nq = 0, m, *off = NULL;
  int32_t *hbox = NULL; /* [nlabels][3]: highest row an enclosed outline's walk can reach, x range of the holes */
  int32_t *owner = NULL; /* [npaths]: the loop Z found for each path, -1 none */
  query *q = NULL;
  ft_status st = FT_OK;
  int i, j;

  if (ps->npaths == 0) return FT_OK;
  hbox = ft__malloc_n((size_t)t->in->nlabels, 3 * sizeof *hbox);
  owner = ft__malloc_n((size_t)ps->npaths, sizeof *owner);
  q = ft__malloc_n((size_t)ps->npaths, sizeof *q);
  off = ft__malloc_n((size_t)t->h + 2, sizeof *off);
  if (!hbox || !owner || !q || !off) goto nomem;

  /* An outline has a parent only inside one of its label's holes.  For
   * each label: the x range [x0, x1) spanned by its holes, and the row just
   * above its first hole (holes come in raster order), the highest row
   * where the walk from an enclosed outline can meet the label.  An outline
   * outside that range is top level without walking, and walks stop at
   * that row; so labels without holes cost nothing here. */
  for (i = 0; i < t->in->nlabels; i++) {
    hbox[3 * i] = INT32_MAX;
    hbox[3 * i + 1] = INT32_MAX;
    hbox[3 * i + 2] = -1;
  }
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    int32_t *hb = &hbox[3 * p->label];
    if (!p->hole) continue;
    if (hb[0] == INT32_MAX) hb[0] = (int32_t)p->start.y - 1;
    for (j = 0; j < p->nseg; j++) {
      int32_t x = (int32_t)p->seg[j].c[2].x;
      if (x < hb[1]) hb[1] = x;
      if (x > hb[2]) hb[2] = x;
    }
  }

  /* The walks: each yields the edge whose loop Z decides the parent. */
  for (i = 0; i < ps->npaths; i++) {
    const ft_path *p = &ps->path[i];
    int32_t L = p->label, *hb = &hbox[3 * L];
    int x = (int)p->start.x, y = (int)p->start.y, py;
    owner[i] = -1;
    if ((i & 4095) == 0 && (st = ft__progress(t->ctx, 0.9 + 0.08 * i / ps->npaths))) goto done;
    if (!p->hole) {
      /* up through non-L pixels to the first L pixel: a westward edge */
      if (y - 1 < hb[0] || x < hb[1] || x >= hb[2]) continue;
      for (py = y - 1; py >= hb[0] && lab_at(t, (size_t)py * w + x) != L; py--) continue;
      if (py < hb[0]) continue;
      py++;
    } else {
      /* up through L pixels to the top of the column run: an eastward edge */
      for (py = y - 1; py > 0 && lab_at(t, (size_t)(py - 1) * w + x) == L; py--) continue;
    }
    q[nq].row = py;
    q[nq].x = x;
    q[nq].path = i;
    q[nq].owner = -1;
    nq++;
  }

  /* Find the owners: one sweep over the horizontal segments of all paths,
   * each looking up the queries of its row that fall inside it. */
  if (nq > 0) {
    if ((st = sort_queries(t, q, nq, off))) goto done;
    for (i = 0; i < ps->npaths; i++) {
      const ft_path *p = &ps->path[i];
      ft_point a = p->start;
      for (j = 0; j < p->nseg; j++) {
        ft_point b = p->seg[j].c[2];
        int row = (int)b.y;
        if (a.y == b.y && off[row] < off[row + 1]) {
          int east = b.x > a.x;
          int32_t x0 = (int32_t)(east ? a.x : b.x), x1 = (int32_t)(east ? b.x : a.x);
          size_t lo = off[row], hi = off[row + 1];
          while (lo < hi) { /* first query of the row with x >= x0 */
            size_t mid = lo + (hi - lo) / 2;
            if (q[mid].x < x0)
              lo = mid + 1;
            else
              hi = mid;
          }
          for (; lo < off[row + 1] && q[lo].x < x1; lo++)
            if (ps->path[q[lo].path].hole == east) q[lo].owner = i;
        }
        a = b;
      }
    }
    for (m = 0; m < nq; m++) {
      if (q[m].owner < 0 || q[m].owner >= q[m].path) {
        st = ft__fail(t->ctx, FT_ERR_INTERNAL, "trace: no enclosing boundary for path %d",
                      (int)q[m].path);
        goto done;
      }
      owner[q[m].path] = q[m].owner;
    }
  }

  /* Parents in discovery order, so Z's parent is known when it is needed:
   * an outline below a hole is in it, below another outline is its
   * sibling; a hole below the outline is in it, below another hole is its
   * sibling. */
  for (i = 0; i < ps->npaths; i++) {
    ft_path *p = &ps->path[i];
    int z = owner[i];
    if (z < 0)
      p->parent = -1;
    else if (ps->path[z].hole == p->hole)
      p->parent = ps->path[z].parent;
    else
      p->parent = z;
  }
  goto done;
nomem:
  st = ft__nomem(t->ctx, "trace");
done:
  free(hbox);
  free(owner);
  free(q);
  free(off);
  return st;
}

/* ---- stage 1 on several threads ---- */

#define BAND_MIN_PIXELS ((size_t)1 << 20) /* smaller maps are scanned in one band */
#define BAND_MIN_ROWS 64

/* One band of edge rows, scanned on its own: a tracer of its own (edge
 * bitmaps, paths, a context without callbacks for its errors). */
typedef struct band {
  tracer t;
  int y1;
  ft_status st;
} band;

typedef struct band_job {
  band *b;
} band_job;

/* ft__work_fn: scan bands [lo, hi). */
static int scan_bands(void *arg, int lo, int hi) {
  band_job *J = arg;
  int i;
  for (i = lo; i < hi; i++) J->b[i].st = scan(&J->b[i].t, J->b[i].t.y0, J->b[i].y1);
  return 0;
}

static void band_free(band *b) {
  free(b->t.vbuf);
  free(b->t.seen_e);
  free(b->t.seen_w);
  ft_paths_free(b->t.ps);
  ft_ctx_free(b->t.ctx);
}

/* Stage 1 into t->ps.  A large map is cut into bands of edge rows, one a
 * thread, each scanned as the whole map would be, with its own edge
 * bitmaps.  A band keeps the loops whose first edge (the top-left one,
 * where the whole scan finds them) lies in it: a walk that reaches above
 * the band, or onto an edge the band walked before, is a loop found above
 * and is left (its edges stay marked, so the band meets it no more).  The
 * bands' loops one after the other are the whole scan's, in its order, so
 * the result is the same for any number of threads. */
static ft_status bands(tracer *t) {
  size_t nbits = (size_t)t->w * ((size_t)t->h + 1), npix = (size_t)t->w * (size_t)t->h;
  int n = ft_ctx_threads(t->ctx), i, rows = t->h + 1;
  band *b;
  band_job J;
  ft_status st = FT_OK;
  if (n > rows / BAND_MIN_ROWS) n = rows / BAND_MIN_ROWS;
  if (npix < BAND_MIN_PIXELS || n < 2) {
    t->seen_e = ft__calloc_n(nbits / 64 + 1, sizeof(uint64_t));
    t->seen_w = ft__calloc_n(nbits / 64 + 1, sizeof(uint64_t));
    if (!t->seen_e || !t->seen_w) st = ft__nomem(t->ctx, "trace");
    else st = scan(t, 0, rows);
    free(t->vbuf);
    free(t->seen_e);
    free(t->seen_w);
    t->vbuf = NULL;
    t->seen_e = t->seen_w = NULL;
    return st;
  }
  if (!(b = ft__calloc_n((size_t)n, sizeof *b))) return ft__nomem(t->ctx, "trace");
  for (i = 0; i < n && !st; i++) {
    b[i].t = *t;
    b[i].t.ps = NULL;
    b[i].t.y0 = (int)((long)rows * i / n);
    b[i].y1 = (int)((long)rows * (i + 1) / n);
    b[i].t.ctx = ft_ctx_new();
    b[i].t.seen_e = ft__calloc_n(nbits / 64 + 1, sizeof(uint64_t));
    b[i].t.seen_w = ft__calloc_n(nbits / 64 + 1, sizeof(uint64_t));
    if (!b[i].t.ctx || !b[i].t.seen_e || !b[i].t.seen_w ||
        ft_paths_new(b[i].t.ctx, t->w, t->h, &b[i].t.ps) != FT_OK)
      st = ft__nomem(t->ctx, "trace");
  }
  J.b = b;
  if (!st) st = ft__parallel(t->ctx, "trace", n, 1, scan_bands, &J, 0.0, 0.9);
  /* the first band's error is the whole scan's first */
  for (i = 0; i < n && !st; i++)
    if (b[i].st) st = ft__fail(t->ctx, b[i].st, "%s", ft_ctx_errmsg(b[i].t.ctx));
  for (i = 0; i < n && !st; i++) {
    ft_paths *bp = b[i].t.ps;
    if (bp->npaths > INT32_MAX - t->ps->npaths ||
        ft__grow((void **)&t->ps->path, &t->ps->cap, t->ps->npaths + bp->npaths,
                 sizeof *t->ps->path)) {
      st = ft__nomem(t->ctx, "trace");
      break;
    }
    memcpy(t->ps->path + t->ps->npaths, bp->path, (size_t)bp->npaths * sizeof *bp->path);
    t->ps->npaths += bp->npaths;
    bp->npaths = 0; /* the segments are t->ps's now */
  }
  for (i = 0; i < n; i++) band_free(&b[i]);
  free(b);
  return st;
}

ft_status ft_trace(ft_ctx *ctx, const ft_labels *in, const ft_trace_params *p, ft_paths **out) {
  tracer t;
  size_t npix, nbits; /* the edge bitmaps' size, checked here */
  ft_status st;

  if (!out) return ft__fail(ctx, FT_ERR_INVAL, "trace: no output pointer");
  *out = NULL;
  if (!p) p = &trace_defaults;
  if (p->mode == FT_TRACE_CENTERLINE || p->mode == FT_TRACE_AUTO)
    return ft__trace_centerline(ctx, in, p, out);
  if (p->mode != FT_TRACE_OUTLINE)
    return ft__fail(ctx, FT_ERR_INVAL, "trace: unknown mode %d", p->mode);
  if (!in || (!in->label && !in->label8) || in->width < 1 || in->height < 1 || in->nlabels < 1 ||
      in->width > FT_MAX_DIMENSION || in->height > FT_MAX_DIMENSION)
    return ft__fail(ctx, FT_ERR_INVAL, "trace: invalid label map");

  memset(&t, 0, sizeof t);
  t.ctx = ctx;
  t.in = in;
  t.lab = in->label;
  t.lab8 = in->label8;
  t.w = in->width;
  t.h = in->height;
  if (ft__mul_overflow((size_t)t.w, (size_t)t.h, &npix) ||
      ft__mul_overflow((size_t)t.w, (size_t)t.h + 1, &nbits))
    return ft__fail(ctx, FT_ERR_TOOBIG, "trace: %dx%d is too large", t.w, t.h);

  if ((st = ft_paths_new(ctx, t.w, t.h, &t.ps))) goto fail;
  t.ps->pixel_w = in->pixel_w;
  t.ps->pixel_h = in->pixel_h;
  if (in->info && (st = ft_paths_set_info(ctx, t.ps, in->info, in->nlabels))) goto fail;

  if ((st = bands(&t))) goto fail;
  if ((st = nest(&t))) goto fail;
  if ((st = ft__progress(ctx, 1.0))) goto fail;
  *out = t.ps;
  return FT_OK;
fail:
  ft_paths_free(t.ps);
  return st;
}
