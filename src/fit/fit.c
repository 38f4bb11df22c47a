/* src/fit/fit.c - the fit stage: pixel outlines to polygons or curves, shared borders once.
 *
 * FT_FIT_NONE keeps the traced outline exactly (a deep copy, after the
 * min_area filter).  FT_FIT_POLYGON and FT_FIT_CURVES replace every pixel
 * staircase by the polygon of polygon.c or the lines and cubics of bezier.c,
 * and every other polyline that is open, or closed and of class
 * FT_CLASS_STROKE (centre lines), by the lines or lines and cubics of
 * stroke.c.  Paths with cubics and closed non-stroke polylines are copied.
 *
 * Shared borders.  In a multi-label map the outlines of two neighbouring
 * labels run along the same unit edges in opposite directions.  To make both
 * sides use one geometry, the unit edges of all staircases go into a hash
 * table recording which paths use each (at most two).  A pixel corner is a
 * junction when an edge there is shared and either its number of incident
 * boundary edges is not two or the two edges are used by different sets of
 * paths; the corners of the image are junctions too, so that a map covering
 * the whole image keeps its frame square.  Outlines are cut at junctions into runs; a run both of whose
 * sides are traced is fitted once, with its end points fixed, by the first
 * path that meets it (the one with the lower index), and the second path
 * takes the same segments in reverse order with swapped controls.  A loop
 * shared all round without junctions is fitted once as a loop and reversed
 * likewise.  With a single label nothing is shared and each outline is
 * fitted as one loop.
 *
 * Per outline, before its runs are fitted (fit_stair): with p->relative
 * the whole region (an outline and its holes) is held to that fraction of
 * its mean width, twice its area over its length (region_tolerances); with
 * p->thin the
 * width of the region at each unit edge, from pixel runs in a map of the
 * regions rebuilt from the outlines (a bit per pixel for a single label),
 * gives each data point its own tolerance, and where it is at most PIX_W
 * the point may be held by the pixel-side rule instead (bezier.c); with
 * p->image, subpixel.c moves each data point
 * off its edge midpoint to where the gray levels put the edge, limited
 * where the region is thin, and the point's tolerance shrinks by the
 * distance it moved (so the tolerance still bounds the distance to the
 * pixel-edge midpoints, without the staircase's wiggle).  Shared runs get
 * the first path's data and are still fitted once, so both sides stay
 * bitwise identical.
 *
 * Threads.  The fit of a path that shares no border (every staircase of a
 * single-label map, every stroke) depends on nothing else, so these are
 * fitted first on ft_ctx_threads(ctx) threads (ft__parallel over chunks of
 * paths), each into its own slot; the paths are then assembled in order,
 * and shared borders are fitted in that serial pass.  The result is
 * identical for any thread count.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit/internal.h"

static const ft_fit_params fit_defaults = {
    .mode = FT_FIT_CURVES,
    .tolerance = 0.8,
    .alphamax = 1.0,
    .min_area = 0.0,
    .thin = 0.25,
    .relative = 0.05,
    .image = NULL,
    .level = -1.0,
};

#define SMALL_LOOP 8 /* loops of at most this many unit edges stay exact */
#define MIN_TOL 0.3  /* px: the width-scaled tolerance goes no lower (the midpoints of
                        a digital straight edge stray about this far from it) */
#define REL_MIN_TOL 0.4 /* px: the size-scaled tolerance goes no lower (the midpoints of a
                           digitised circle stray about this far from it: at 0.4 a ring
                           4 px wide and 60 across takes 43 pieces, at 0.3 81) */
#define MAX_RUN 64   /* px: pixel runs are followed no further when measuring width */
#define LIM_MAX FT__SUBPIXEL_MAX
#define LIM_W0 2.0   /* px: regions this thin or thinner keep their pixel edges */
#define LIM_W1 5.0   /* px: from this width on, offsets reach LIM_MAX */
#define PIX_W 3.0    /* px: where a region is this thin or thinner, the pixel-side rule
                        may hold its points */

void ft_fit_params_init(ft_fit_params *p) { *p = fit_defaults; }

/* ---- staircases ---- */

typedef struct stair {
  ft_point *v; /* [n] pixel corners, one per unit step; NULL when not a staircase */
  int n;
  long *edge;  /* [n] id in the edge table of unit edge k (v[k] -> v[k+1]), when the
                  table exists (several labels) */
  int shared;  /* 1 when some edge is used by another path too */
  float rtol;  /* the tolerance its region's size allows, px (p->tolerance: no less) */
} stair;

static int is_int(double x) { return x == floor(x) && fabs(x) < 1e9; }

/* Expand a closed axis-aligned integer polygon to unit steps; 0 when p is
 * not one (stair left empty), 1 out of memory. */
static int expand(const ft_path *p, stair *s) {
  long n = 0;
  int i, k;
  ft_point cur = p->start;
  memset(s, 0, sizeof *s);
  if (!p->closed || p->nseg < 4 || !is_int(cur.x) || !is_int(cur.y)) return 0;
  for (i = 0; i < p->nseg; i++) {
    const ft_seg *sg = &p->seg[i];
    double dx = sg->c[2].x - cur.x, dy = sg->c[2].y - cur.y;
    if (sg->type != FT_SEG_LINE || !is_int(sg->c[2].x) || !is_int(sg->c[2].y)) return 0;
    if ((dx != 0) == (dy != 0)) return 0; /* diagonal or empty */
    n += (long)fabs(dx + dy);
    if (n > INT32_MAX / 4) return 0;
    cur = sg->c[2];
  }
  if (cur.x != p->start.x || cur.y != p->start.y) return 0;
  s->v = ft__malloc_n((size_t)n, sizeof *s->v);
  if (!s->v) return 1;
  s->n = (int)n;
  cur = p->start;
  k = 0;
  for (i = 0; i < p->nseg; i++) {
    ft_point e = p->seg[i].c[2];
    int len = (int)fabs(e.x - cur.x + e.y - cur.y), j;
    double ux = (e.x - cur.x) / len, uy = (e.y - cur.y) / len;
    for (j = 0; j < len; j++) {
      s->v[k].x = cur.x + j * ux;
      s->v[k].y = cur.y + j * uy;
      k++;
    }
    cur = e;
  }
  return 0;
}

/* An open polyline, or a closed stroke loop of lines, that stroke.c fits. */
static int is_polyline(const ft_path *p) {
  int i;
  if (p->nseg < 1 || (p->closed && p->class_id != FT_CLASS_STROKE)) return 0;
  for (i = 0; i < p->nseg; i++)
    if (p->seg[i].type != FT_SEG_LINE) return 0;
  return 1;
}

/* ---- the unit-edge table ---- */

typedef struct edge_rec {
  uint64_t key;
  int owner[2]; /* paths using this edge (owner[1] = -1 when one) */
  int run;      /* index of the fitted shared run starting here, -1 none */
} edge_rec;

typedef struct edge_table {
  edge_rec *e;
  long *slot; /* [cap] index into e or -1 */
  long n, cap, ecap;
  double w, h; /* the pixel grid, whose corners are always junctions */
} edge_table;

/* A unit edge is named by its lower-left-most corner and orientation. */
static uint64_t edge_key(ft_point a, ft_point b) {
  uint64_t x = (uint64_t)((int64_t)(a.x < b.x ? a.x : b.x) + (1 << 30));
  uint64_t y = (uint64_t)((int64_t)(a.y < b.y ? a.y : b.y) + (1 << 30));
  return (x << 33) | (y << 1) | (uint64_t)(a.y == b.y);
}

static uint64_t hash64(uint64_t k) {
  uint64_t h = k * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}

static long edge_find(const edge_table *t, uint64_t key) {
  uint64_t h = hash64(key) & (uint64_t)(t->cap - 1);
  while (t->slot[h] >= 0) {
    if (t->e[t->slot[h]].key == key) return t->slot[h];
    h = (h + 1) & (uint64_t)(t->cap - 1);
  }
  return -1;
}

static long edge_insert(edge_table *t, uint64_t key, int path) {
  uint64_t h = hash64(key) & (uint64_t)(t->cap - 1);
  while (t->slot[h] >= 0) {
    edge_rec *r = &t->e[t->slot[h]];
    if (r->key == key) {
      if (r->owner[0] != path && r->owner[1] < 0) r->owner[1] = path;
      return t->slot[h];
    }
    h = (h + 1) & (uint64_t)(t->cap - 1);
  }
  t->slot[h] = t->n;
  t->e[t->n].key = key;
  t->e[t->n].owner[0] = path;
  t->e[t->n].owner[1] = -1;
  t->e[t->n].run = -1;
  return t->n++;
}

static int shared(const edge_table *t, long e) { return t->e[e].owner[1] >= 0; }

/* The other path of edge e as seen from path me (-1 none). */
static int other(const edge_table *t, long e, int me) {
  const edge_rec *r = &t->e[e];
  return r->owner[0] == me ? r->owner[1] : r->owner[0];
}

/* Is pixel corner k of staircase s (between edges k-1 and k) a junction? */
static int junction(const edge_table *t, const stair *s, int k, int me) {
  long ein = s->edge[(k + s->n - 1) % s->n], eout = s->edge[k];
  int deg = 0, any_shared = shared(t, ein) || shared(t, eout), d;
  ft_point c = s->v[k];
  static const int dx[4] = {1, 0, -1, 0}, dy[4] = {0, 1, 0, -1};
  if (other(t, ein, me) != other(t, eout, me)) return 1;
  if ((c.x == 0 || c.x == t->w) && (c.y == 0 || c.y == t->h)) return 1;
  for (d = 0; d < 4; d++) {
    ft_point b = {c.x + dx[d], c.y + dy[d]};
    long e = edge_find(t, edge_key(c, b));
    if (e >= 0) {
      deg++;
      if (shared(t, e)) any_shared = 1;
    }
  }
  return any_shared && deg != 2;
}

/* ---- runs ---- */

typedef struct run_store {
  ft__segbuf *r;
  int n, cap;
} run_store;

static ft_status fit_run(const ft_fit_params *p, const ft_point *v, int n, int closed,
                         const ft__runinfo *ri, ft__segbuf *out) {
  ft__poly pl;
  ft_status st;
  double d = p->mode == FT_FIT_POLYGON ? (p->tolerance > 0.5 ? p->tolerance : 0.5) : 0.75;
  ft_point z = {0, 0};
  int i;
  if (closed && n <= SMALL_LOOP) goto exact;
  if ((st = ft__poly_build(v, n, closed, d, p->alphamax, ri, &pl))) return st;
  if (closed && pl.K < 3) {
    ft__poly_free(&pl);
    goto exact;
  }
  st = p->mode == FT_FIT_POLYGON ? ft__fit_polygon(&pl, out) : ft__fit_curves(&pl, p->tolerance, out);
  ft__poly_free(&pl);
  if (st) return st;
  /* exact ends */
  if (out->n > 0) out->seg[out->n - 1].c[2] = closed ? out->start : v[n];
  if (!closed) out->start = v[0];
  return FT_OK;
exact:
  /* keep the pixel outline: a vertex at each change of direction */
  {
    int s0 = 0;
    for (i = 0; i < n; i++) {
      ft_point a = v[(i + n - 1) % n], b = v[i], c = v[(i + 1) % n];
      if ((b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x) != 0) {
        s0 = i;
        break;
      }
    }
    out->start = v[s0];
    for (i = 1; i <= n; i++) {
      int k = (s0 + i) % n;
      ft_point a = v[(k + n - 1) % n], b = v[k], c = v[(k + 1) % n];
      if (i == n || (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x) != 0)
        if (ft__segbuf_push(out, FT_SEG_LINE, z, z, b)) return FT_ERR_NOMEM;
    }
    return FT_OK;
  }
}

/* Append run r to out reversed (r must start where out currently ends). */
static int append_reversed(const ft__segbuf *r, ft__segbuf *out) {
  int i;
  for (i = r->n - 1; i >= 0; i--) {
    const ft_seg *s = &r->seg[i];
    ft_point end = i > 0 ? r->seg[i - 1].c[2] : r->start;
    if (ft__segbuf_push(out, s->type, s->c[1], s->c[0], end)) return 1;
  }
  return 0;
}

static int append(const ft__segbuf *r, ft__segbuf *out) {
  int i;
  for (i = 0; i < r->n; i++)
    if (ft__segbuf_push(out, r->seg[i].type, r->seg[i].c[0], r->seg[i].c[1], r->seg[i].c[2]))
      return 1;
  return 0;
}

static int store_run(run_store *rs, ft__segbuf *b) {
  if (ft__grow((void **)&rs->r, &rs->cap, rs->n + 1, sizeof *rs->r)) return 1;
  rs->r[rs->n++] = *b;
  memset(b, 0, sizeof *b);
  return 0;
}

/* Fit staircase path `me` into out, using and filling the shared runs. */
static ft_status fit_shared(const ft_fit_params *p, edge_table *t, run_store *rs, const stair *s,
                            int me, const ft__runinfo *ri, ft__segbuf *out) {
  int n = s->n, k, s0 = -1, any_shared = 0;
  ft_status st = FT_OK;
  ft__segbuf tmp;
  ft_point *buf = NULL;
  double *boff = NULL;
  float *btol = NULL;
  unsigned char *bpix = NULL;
  ft__runinfo sub = {NULL, NULL, NULL};
  memset(&tmp, 0, sizeof tmp);
  for (k = 0; k < n; k++) {
    if (shared(t, s->edge[k])) any_shared = 1;
    if (s0 < 0 && junction(t, s, k, me)) s0 = k;
  }
  if (!any_shared) return fit_run(p, s->v, n, 1, ri, out);
  if (s0 < 0) {
    /* shared all round with one neighbour, no junction */
    long e0 = s->edge[0];
    int nb = other(t, e0, me);
    if (nb < me && t->e[e0].run >= 0) {
      const ft__segbuf *r = &rs->r[t->e[e0].run];
      out->start = r->start;
      if (append_reversed(r, out)) return FT_ERR_NOMEM;
      return FT_OK;
    }
    if ((st = fit_run(p, s->v, n, 1, ri, &tmp))) goto done;
    if (append(&tmp, out)) goto nomem;
    out->start = tmp.start;
    for (k = 0; k < n; k++) t->e[s->edge[k]].run = rs->n;
    if (store_run(rs, &tmp)) goto nomem;
    return FT_OK;
  }
  buf = ft__malloc_n((size_t)n + 1, sizeof *buf);
  if (!buf) goto nomem;
  if (ri && ri->off && !(sub.off = boff = ft__malloc_n((size_t)n, sizeof *boff))) goto nomem;
  if (ri && ri->tol && !(sub.tol = btol = ft__malloc_n((size_t)n, sizeof *btol))) goto nomem;
  if (ri && ri->pix && !(sub.pix = bpix = ft__malloc_n((size_t)n, 1))) goto nomem;
  out->start = s->v[s0];
  k = 0;
  while (k < n) {
    int a = (s0 + k) % n, len = 1, j;
    long e_first = s->edge[a], e_last;
    int nb = other(t, e_first, me);
    while (k + len < n && !junction(t, s, (s0 + k + len) % n, me)) len++;
    e_last = s->edge[(a + len - 1) % n];
    for (j = 0; j <= len; j++) buf[j] = s->v[(a + j) % n];
    for (j = 0; j < len; j++) {
      if (boff) boff[j] = ri->off[(a + j) % n];
      if (btol) btol[j] = ri->tol[(a + j) % n];
      if (bpix) bpix[j] = ri->pix[(a + j) % n];
    }
    if (nb >= 0 && nb < me && t->e[e_last].run >= 0) {
      /* fitted by the neighbour, which walked it from our last edge to our first */
      const ft__segbuf *r = &rs->r[t->e[e_last].run];
      if (append_reversed(r, out)) goto nomem;
    } else {
      memset(&tmp, 0, sizeof tmp);
      if ((st = fit_run(p, buf, len, 0, &sub, &tmp))) goto done;
      if (append(&tmp, out)) goto nomem;
      if (nb >= 0) {
        t->e[e_first].run = rs->n;
        if (store_run(rs, &tmp)) goto nomem;
      } else {
        ft__segbuf_free(&tmp);
      }
    }
    k += len;
  }
  /* the outline closes exactly at its start */
  if (out->n > 0) out->seg[out->n - 1].c[2] = out->start;
  free(buf);
  free(boff);
  free(btol);
  free(bpix);
  return FT_OK;
nomem:
  st = FT_ERR_NOMEM;
done:
  ft__segbuf_free(&tmp);
  free(buf);
  free(boff);
  free(btol);
  free(bpix);
  return st;
}

/* ---- the region map: the label covering each pixel ---- */

/* Built from the staircases themselves (the stage sees paths, not the label
 * map): every vertical unit edge of an outline toggles the label index of
 * its region in the pixels right of it (exclusive or), so that a running
 * exclusive or along each row leaves in each pixel the index of the one
 * region covering it, or 0.  This holds for nested outlines and holes
 * (a region's loops around a pixel toggle its index an odd number of times
 * exactly when the pixel is the region's) and for regions that touch
 * (the toggles of two regions at their common edge exchange one index for
 * the other).  Pixels are stored in as few bits as the number of labels
 * needs: one bit for a single label, so an 8192^2 page costs 8 MiB. */
typedef struct region_map {
  int w, h, bits;  /* bits per pixel: 1, 8, 16 or 32 */
  size_t stride;   /* row length in 64-bit words */
  uint64_t *px;    /* [h * stride] */
  int *label;      /* [nlab + 1] the label of each index, 0 for index 0 (no region) */
  int nlab;
} region_map;

static unsigned map_get(const region_map *m, int x, int y) {
  const uint64_t *row;
  if (x < 0 || y < 0 || x >= m->w || y >= m->h) return 0;
  row = m->px + (size_t)y * m->stride;
  switch (m->bits) {
    case 1: return (unsigned)(row[x >> 6] >> (x & 63) & 1);
    case 8: return ((const uint8_t *)row)[x];
    case 16: return ((const uint16_t *)row)[x];
    default: return ((const uint32_t *)row)[x];
  }
}

static void map_toggle(region_map *m, int x, int y, unsigned idx) {
  uint64_t *row = m->px + (size_t)y * m->stride;
  switch (m->bits) {
    case 1: row[x >> 6] ^= (uint64_t)(idx & 1) << (x & 63); break;
    case 8: ((uint8_t *)row)[x] ^= (uint8_t)idx; break;
    case 16: ((uint16_t *)row)[x] ^= (uint16_t)idx; break;
    default: ((uint32_t *)row)[x] ^= (uint32_t)idx; break;
  }
}

/* The running exclusive or along each row. */
static void map_spread(region_map *m) {
  int y, x;
  for (y = 0; y < m->h; y++) {
    uint64_t *row = m->px + (size_t)y * m->stride;
    if (m->bits == 1) {
      uint64_t carry = 0;
      size_t k;
      for (k = 0; k < m->stride; k++) {
        uint64_t v = row[k]; /* bit i: pixel 64k + i; each bit becomes the xor of those below */
        v ^= v << 1;
        v ^= v << 2;
        v ^= v << 4;
        v ^= v << 8;
        v ^= v << 16;
        v ^= v << 32;
        v ^= carry;
        row[k] = v;
        carry = (uint64_t)0 - (v >> 63);
      }
    } else {
      unsigned acc = 0;
      for (x = 0; x < m->w; x++) {
        acc ^= map_get(m, x, y);
        map_toggle(m, x, y, map_get(m, x, y) ^ acc);
      }
    }
  }
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* The index of label lab (present: the labels are sorted and distinct). */
static unsigned map_index(const region_map *m, int lab) {
  int lo = 1, hi = m->nlab;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (m->label[mid] < lab) lo = mid + 1;
    else hi = mid;
  }
  return (unsigned)lo;
}

/* The map of the staircases st_[0..npaths-1] (those with v) of paths in,
 * on the w x h grid: an edge left of it toggles from its first column, one
 * right of, above or below it nothing, and a pixel outside reads 0.
 * Returns 1 when out of memory. */
static int map_build(region_map *m, const ft_paths *in, const stair *st_, int w, int h) {
  int i, k, n = 0;
  memset(m, 0, sizeof *m);
  m->label = ft__malloc_n((size_t)in->npaths + 2, sizeof *m->label);
  if (!m->label) return 1;
  for (i = 0; i < in->npaths; i++)
    if (st_[i].v) m->label[1 + n++] = in->path[i].label;
  qsort(m->label + 1, (size_t)n, sizeof *m->label, cmp_int);
  for (i = 1, k = 0; i <= n; i++)
    if (k == 0 || m->label[i] != m->label[k]) m->label[++k] = m->label[i];
  m->label[0] = 0;
  m->nlab = k;
  m->bits = k <= 1 ? 1 : k < 256 ? 8 : k < 65536 ? 16 : 32;
  m->w = w;
  m->h = h;
  m->stride = ((size_t)w * (size_t)m->bits + 63) / 64;
  m->px = ft__calloc_n((size_t)h * m->stride, sizeof *m->px);
  if (!m->px) return 1;
  for (i = 0; i < in->npaths; i++) {
    const stair *s = &st_[i];
    unsigned idx;
    if (!s->v) continue;
    idx = map_index(m, in->path[i].label);
    for (k = 0; k < s->n; k++) {
      ft_point a = s->v[k], b = s->v[(k + 1) % s->n];
      double y = a.y < b.y ? a.y : b.y;
      if (a.x != b.x || y < 0 || y >= h || a.x >= w) continue;
      map_toggle(m, a.x < 0 ? 0 : (int)a.x, (int)y, idx);
    }
  }
  map_spread(m);
  return 0;
}

static void map_free(region_map *m) {
  free(m->px);
  free(m->label);
}

/* ---- the tolerance a region's size allows ---- */

/* The path whose region path i's staircase bounds: its parent when it is a
 * hole of a traced outline, else itself; -1 when it is not a staircase. */
static int region_of(const ft_paths *in, const stair *st_, int i) {
  int par = in->path[i].parent;
  if (!st_[i].v) return -1;
  return in->path[i].hole && par >= 0 && par < i && st_[par].v ? par : i;
}

/* rtol of every staircase: p->relative times the mean width of its region,
 * at least REL_MIN_TOL, at most p->tolerance.  A region is an outline with the
 * holes nested in it (whose parent it is); its mean width is twice its area
 * over its length, the length of its staircases times pi/4 (a staircase is
 * 4/pi times longer than the curve it digitises, averaged over directions):
 * about w for a stroke w pixels wide, r for a disc of radius r.  The error
 * a tolerance allows costs a region about its length times the error over
 * its area, so the same fraction of every region's width keeps the
 * drawing's overlap with its pixels alike for small shapes and large.
 * Returns 1 when out of memory. */
static int region_tolerances(const ft_paths *in, stair *st_, const ft_fit_params *p) {
  double *area, *len;
  int i;
  for (i = 0; i < in->npaths; i++) st_[i].rtol = (float)p->tolerance;
  if (!(p->relative > 0)) return 0;
  area = ft__calloc_n((size_t)in->npaths + 1, sizeof *area);
  len = ft__calloc_n((size_t)in->npaths + 1, sizeof *len);
  if (!area || !len) {
    free(area);
    free(len);
    return 1;
  }
  for (i = 0; i < in->npaths; i++) {
    int r = region_of(in, st_, i);
    if (r < 0) continue;
    area[r] += (r == i ? 1.0 : -1.0) * fabs(ft_path_area(&in->path[i]));
    len[r] += st_[i].n;
  }
  for (i = 0; i < in->npaths; i++) {
    int r = region_of(in, st_, i);
    double tl;
    if (r < 0) continue;
    tl = p->relative * 2.0 * area[r] / (len[r] * (M_PI / 4.0));
    if (tl < REL_MIN_TOL) tl = REL_MIN_TOL;
    if (tl < p->tolerance) st_[i].rtol = (float)tl;
  }
  free(area);
  free(len);
  return 0;
}

/* ---- what the image and the region's width add to one staircase ---- */

/* Pixels of index idx from pixel (x, y) (one of them) along (ux, uy), at
 * most cap. */
static int pixel_run(const region_map *m, int x, int y, int ux, int uy, unsigned idx, int cap) {
  int j;
  for (j = 1; j < cap; j++)
    if (map_get(m, x + j * ux, y + j * uy) != idx) return j;
  return cap;
}

/* The width of region idx at pixel (px, py), one of its pixels next to a
 * unit edge along (dx, dy) with (mx, my) pointing into the region: h pixels
 * of the region straight in, v along the edge through the first of them,
 * h v / |(h, v)|, at most cap. */
static double width_at(const region_map *m, int px, int py, int dx, int dy, int mx, int my,
                       unsigned idx, int cap) {
  double h = pixel_run(m, px, py, mx, my, idx, cap), v = 1.0;
  if (h >= cap) return cap;
  if (map_get(m, px + dx, py + dy) == idx) v += pixel_run(m, px + dx, py + dy, dx, dy, idx, cap);
  if (map_get(m, px - dx, py - dy) == idx) v += pixel_run(m, px - dx, py - dy, -dx, -dy, idx, cap);
  return h * v / sqrt(h * h + v * v);
}

/* w[k] for each unit edge of staircase s: the width of its region there
 * (see subpixel.c), in pixels, at most cap.  Only the region's own width
 * counts: a border shared with another traced region is fitted once, by the
 * first of the two, to its widths.  (Taking the smaller of both sides'
 * widths held thin regions tighter but, on the colour benchmark, cost 41%
 * more segments for +0.06 dB mean and -0.35 dB on the worst figure.) */
static void widths(const region_map *m, const ft_paths *in, const stair *s, int me, int cap,
                   float *w) {
  int k;
  unsigned idx = map_index(m, in->path[me].label);
  for (k = 0; k < s->n; k++) {
    ft_point a = s->v[k], b = s->v[(k + 1) % s->n];
    int dx = (int)(b.x - a.x), dy = (int)(b.y - a.y), mx = -dy, my = dx; /* m: inward */
    int px = (int)a.x + (dx + mx < 0 ? -1 : 0), py = (int)a.y + (dy + my < 0 ? -1 : 0);
    w[k] = (float)width_at(m, px, py, dx, dy, mx, my, idx, cap);
  }
}

/* Fit staircase path `me`: its sub-pixel offsets and tolerances (when the
 * image and p->thin ask for them), then the whole loop or its runs.  t and
 * rs are only read (and rs may be NULL) when the path shares no edge, so
 * such paths can be fitted on several threads at once.
 *
 * The offsets stay within LIM_MAX of the pixel edge, so that a curve
 * within a quarter pixel of them still leaves every pixel on its side of
 * the threshold (on the icons benchmark, offsets up to 0.5 px gave lower
 * IoU than 0.25 px at the same tolerance).  With widths known, they are
 * limited further where the region is thin: across a stroke of one or two
 * pixels the gray levels mix both of its edges, and each pixel's side of
 * the threshold is much of its shape, so there the thresholded pixels are
 * trusted (the limit grows from 0 at LIM_W0 px wide to LIM_MAX at LIM_W1
 * px). */
static ft_status fit_stair(const ft_fit_params *p, const ft__edgesrc *es, const region_map *rm,
                           edge_table *t, run_store *rs, const ft_paths *in, const stair *s,
                           int me, ft__segbuf *out) {
  ft__runinfo ri = {NULL, NULL, NULL};
  double *off = NULL;
  float *w = NULL, *tol = NULL, *lim = NULL;
  unsigned char *pix = NULL;
  int *outl = NULL, k;
  ft_status st = FT_ERR_NOMEM;
  if (rm || s->rtol < p->tolerance) {
    tol = ft__malloc_n((size_t)s->n, sizeof *tol);
    if (!tol) goto done;
    for (k = 0; k < s->n; k++) tol[k] = s->rtol;
    ri.tol = tol;
  }
  if (rm) {
    int cap = (int)ceil(p->tolerance / p->thin) + 1;
    if (cap > MAX_RUN) cap = MAX_RUN;
    if (cap < 6) cap = 6;
    w = ft__malloc_n((size_t)s->n, sizeof *w);
    pix = ft__malloc_n((size_t)s->n, 1);
    if (!w || !pix) goto done;
    widths(rm, in, s, me, cap, w);
    for (k = 0; k < s->n; k++) {
      double tl = p->thin * w[k];
      if (tl < MIN_TOL) tl = MIN_TOL;
      if (tl < tol[k]) tol[k] = (float)tl;
      pix[k] = w[k] <= PIX_W;
      if (pix[k]) ri.pix = pix; /* only when some point is that thin */
    }
  }
  if (es->img) {
    off = ft__malloc_n((size_t)s->n, sizeof *off);
    if (!off) goto done;
    if (s->edge) {
      outl = ft__malloc_n((size_t)s->n, sizeof *outl);
      if (!outl) goto done;
      for (k = 0; k < s->n; k++) {
        int o = other(t, s->edge[k], me);
        outl[k] = o >= 0 ? in->path[o].label : 0;
      }
    }
    if (w) {
      lim = w; /* reused in place: w is not needed past here */
      for (k = 0; k < s->n; k++) {
        double l = LIM_MAX * (w[k] - LIM_W0) / (LIM_W1 - LIM_W0);
        lim[k] = (float)(l < 0 ? 0 : (l > LIM_MAX ? LIM_MAX : l));
      }
    }
    ft__subpixel_offsets(es, s->v, s->n, in->path[me].label, outl, lim, off);
    ri.off = off;
    /* a point moved off its midpoint is held that much tighter, so that the
     * curve stays within the tolerance of the pixel-edge midpoints: the
     * staircase's own wiggle, which the offsets remove, no longer counts */
    if (!tol && !(tol = ft__malloc_n((size_t)s->n, sizeof *tol))) goto done;
    for (k = 0; k < s->n; k++) {
      double tl = (ri.tol ? tol[k] : p->tolerance) - fabs(off[k]);
      tol[k] = (float)(tl > MIN_TOL ? tl : MIN_TOL);
    }
    ri.tol = tol;
  }
  st = s->shared ? fit_shared(p, t, rs, s, me, &ri, out) : fit_run(p, s->v, s->n, 1, &ri, out);
done:
  free(pix);
  free(off);
  free(outl);
  free(w);
  free(tol);
  return st;
}

/* ---- independent fits, in parallel ---- */

#define FIT_CHUNK 4 /* paths per chunk of the parallel loop */

/* The fit of one path that shares no border, made before the paths are
 * assembled in order. */
typedef struct fit_result {
  ft__segbuf b;
  ft_status st;
  int done; /* 1: b and st hold this path's result */
} fit_result;

typedef struct fit_job {
  const ft_paths *in;
  const ft_fit_params *p;
  const ft__edgesrc *es;
  const region_map *rm; /* NULL unless p->thin asks for widths */
  edge_table *t; /* only read for paths that share no border */
  const stair *st_;
  const int *newidx;
  const int *order; /* [npaths] the paths, longest first: item k is path order[k] */
  fit_result *res; /* [npaths], path i writes only res[i] */
} fit_job;

/* Longest staircase (or polyline) first, so that no long path starts last
 * and leaves the other threads idle; ties in path order. */
typedef struct by_len {
  long len;
  int i;
} by_len;

static int cmp_len(const void *a, const void *b) {
  const by_len *x = a, *y = b;
  if (x->len != y->len) return x->len < y->len ? 1 : -1;
  return (x->i > y->i) - (x->i < y->i);
}

/* ft__work_fn: fit paths order[lo..hi) that depend on no other path - staircases
 * without shared edges (no edge table) and stroke polylines; the rest are
 * left for the serial pass.  Errors are kept per path, so the first one in
 * path order is reported whatever the threads did. */
static int fit_items(void *arg, int lo, int hi) {
  const fit_job *J = arg;
  int k;
  for (k = lo; k < hi; k++) {
    int i = J->order[k];
    const ft_path *pa = &J->in->path[i];
    const stair *s = &J->st_[i];
    fit_result *r = &J->res[i];
    if (J->newidx[i] < 0 || J->p->mode == FT_FIT_NONE) continue;
    if (s->v && !s->shared)
      r->st = fit_stair(J->p, J->es, J->rm, J->t, NULL, J->in, s, i, &r->b);
    else if (!s->v && is_polyline(pa))
      r->st = ft__fit_stroke(pa, J->p->mode == FT_FIT_POLYGON, J->p->tolerance, &r->b)
                  ? FT_ERR_NOMEM
                  : FT_OK;
    else
      continue;
    r->done = 1;
  }
  return 0;
}

/* ---- the stage ---- */

static ft_status check_params(ft_ctx *ctx, const ft_fit_params *p) {
  if (p->mode != FT_FIT_NONE && p->mode != FT_FIT_POLYGON && p->mode != FT_FIT_CURVES)
    return ft__fail(ctx, FT_ERR_INVAL, "fit: unknown mode %d", p->mode);
  if (!(p->tolerance > 0 && p->tolerance <= 1000))
    return ft__fail(ctx, FT_ERR_INVAL, "fit: tolerance %g out of range (0, 1000]", p->tolerance);
  if (!(p->alphamax >= 0 && p->alphamax <= 10))
    return ft__fail(ctx, FT_ERR_INVAL, "fit: alphamax %g out of range 0..10", p->alphamax);
  if (!(p->min_area >= 0 && p->min_area < 1e18))
    return ft__fail(ctx, FT_ERR_INVAL, "fit: min_area %g out of range", p->min_area);
  if (!(p->thin >= 0 && p->thin <= 10))
    return ft__fail(ctx, FT_ERR_INVAL, "fit: thin %g out of range 0..10", p->thin);
  if (!(p->relative >= 0 && p->relative <= 10))
    return ft__fail(ctx, FT_ERR_INVAL, "fit: relative %g out of range 0..10", p->relative);
  if (!(p->level <= 1))
    return ft__fail(ctx, FT_ERR_INVAL, "fit: level %g above 1", p->level);
  return FT_OK;
}

ft_status ft_fit(ft_ctx *ctx, const ft_paths *in, const ft_fit_params *p, ft_paths **out) {
  ft_paths *ps = NULL;
  fit_result *res = NULL;
  int *newidx = NULL, *order = NULL, i, j, nlab = 0, first_label = 0;
  stair *st_ = NULL;
  edge_table t;
  region_map rm;
  int use_map = 0;
  run_store rs;
  ft__edgesrc es;
  ft_status st;
  *out = NULL;
  memset(&t, 0, sizeof t);
  memset(&rm, 0, sizeof rm);
  memset(&rs, 0, sizeof rs);
  if (!p) p = &fit_defaults;
  if (!in) return ft__fail(ctx, FT_ERR_INVAL, "fit: no input");
  if ((st = check_params(ctx, p))) return st;
  if (p->image && (p->image->width != in->width || p->image->height != in->height ||
                   p->image->channels < 1 || p->image->channels > 4 ||
                   (!p->image->data && !p->image->data8)))
    return ft__fail(ctx, FT_ERR_INVAL, "fit: image %dx%d does not match the paths' %dx%d",
                    p->image->width, p->image->height, in->width, in->height);
  es.img = p->mode != FT_FIT_NONE ? p->image : NULL;
  es.level = p->level;
  es.info = in->info;
  es.ninfo = in->nlabels;
  if ((st = ft_paths_new(ctx, in->width, in->height, &ps))) return st;
  ps->pixel_w = in->pixel_w;
  ps->pixel_h = in->pixel_h;
  if ((st = ft_paths_set_info(ctx, ps, in->info, in->nlabels))) goto fail;

  /* min_area: drop small closed paths and everything nested in them */
  newidx = ft__malloc_n((size_t)in->npaths + 1, sizeof *newidx);
  st_ = ft__calloc_n((size_t)in->npaths + 1, sizeof *st_);
  if (!newidx || !st_) goto nomem;
  for (i = 0, j = 0; i < in->npaths; i++) {
    const ft_path *pa = &in->path[i];
    int par = pa->parent;
    int drop = pa->closed && fabs(ft_path_area(pa)) < p->min_area;
    if (par >= 0 && par < i && newidx[par] < 0) drop = 1;
    newidx[i] = drop ? -1 : j++;
  }

  /* staircases, the region map when widths are wanted and, with more than
   * one label, the shared-edge table */
  if (p->mode != FT_FIT_NONE) {
    long total = 0;
    for (i = 0; i < in->npaths; i++) {
      if (newidx[i] < 0) continue;
      if (expand(&in->path[i], &st_[i])) goto nomem;
      if (!st_[i].v) continue;
      total += st_[i].n;
      if (nlab == 0) {
        first_label = in->path[i].label;
        nlab = 1;
      } else if (in->path[i].label != first_label) {
        nlab = 2;
      }
    }
    if (region_tolerances(in, st_, p)) goto nomem;
    if (nlab > 0 && p->thin > 0) {
      use_map = 1;
      if (map_build(&rm, in, st_, in->width, in->height)) goto nomem;
    }
    if (nlab > 1) {
      long cap = 16;
      while (cap < 2 * total + 16) cap *= 2;
      t.cap = cap;
      t.w = in->width;
      t.h = in->height;
      t.slot = ft__malloc_n((size_t)cap, sizeof *t.slot);
      t.e = ft__malloc_n((size_t)total + 1, sizeof *t.e);
      if (!t.slot || !t.e) goto nomem;
      for (i = 0; i < cap; i++) t.slot[i] = -1;
      for (i = 0; i < in->npaths; i++) {
        stair *s = &st_[i];
        int k;
        if (!s->v) continue;
        s->edge = ft__malloc_n((size_t)s->n, sizeof *s->edge);
        if (!s->edge) goto nomem;
        for (k = 0; k < s->n; k++)
          s->edge[k] = edge_insert(&t, edge_key(s->v[k], s->v[(k + 1) % s->n]), i);
      }
      for (i = 0; i < in->npaths; i++) {
        stair *s = &st_[i];
        int k;
        for (k = 0; s->v && k < s->n && !s->shared; k++) s->shared = shared(&t, s->edge[k]);
      }
    }
  }

  /* Independent fits in parallel: every path that does not share borders
   * (staircases when there is no edge table, strokes) into res[i] */
  res = ft__calloc_n((size_t)in->npaths + 1, sizeof *res);
  order = ft__malloc_n((size_t)in->npaths + 1, sizeof *order);
  if (!res || !order) goto nomem;
  {
    fit_job J;
    by_len *bl = ft__malloc_n((size_t)in->npaths + 1, sizeof *bl);
    if (!bl) goto nomem;
    for (i = 0; i < in->npaths; i++) {
      bl[i].len = st_[i].v ? st_[i].n : in->path[i].nseg;
      bl[i].i = i;
    }
    qsort(bl, (size_t)in->npaths, sizeof *bl, cmp_len);
    for (i = 0; i < in->npaths; i++) order[i] = bl[i].i;
    free(bl);
    J.in = in;
    J.p = p;
    J.es = &es;
    J.rm = use_map ? &rm : NULL;
    J.t = &t;
    J.st_ = st_;
    J.newidx = newidx;
    J.order = order;
    J.res = res;
    if ((st = ft__parallel(ctx, "fit", in->npaths, FIT_CHUNK, fit_items, &J, 0.0, 0.9)))
      goto fail;
  }

  /* In order: the paths, with the shared borders fitted here (the first
   * path to meet a border fits it, so this stays serial) */
  for (i = 0; i < in->npaths; i++) {
    const ft_path *pa = &in->path[i];
    ft_path *d;
    int idx;
    if (newidx[i] < 0) continue;
    if ((i & 1023) == 0 && (st = ft__progress(ctx, 0.9 + 0.1 * i / in->npaths))) goto fail;
    if ((st = ft_paths_add(ctx, ps, pa->start.x, pa->start.y, &idx))) goto fail;
    d = &ps->path[idx];
    d->closed = pa->closed;
    d->hole = pa->hole;
    d->label = pa->label;
    d->class_id = pa->class_id;
    d->stroke_width = pa->stroke_width;
    d->parent = pa->parent >= 0 && pa->parent < i ? newidx[pa->parent] : -1;
    if (res[i].done) {
      if (res[i].st == FT_ERR_NOMEM) goto nomem;
      if (res[i].st) {
        st = ft__fail(ctx, res[i].st, "fit: internal error on path %d", i);
        goto fail;
      }
      d->start = res[i].b.start;
      d->seg = res[i].b.seg;
      d->nseg = res[i].b.n;
      d->cap = res[i].b.cap;
      memset(&res[i].b, 0, sizeof res[i].b);
    } else if (!st_[i].v) {
      if (pa->nseg > 0) {
        d->seg = ft__malloc_n((size_t)pa->nseg, sizeof *d->seg);
        if (!d->seg) goto nomem;
        memcpy(d->seg, pa->seg, (size_t)pa->nseg * sizeof *d->seg);
        d->nseg = d->cap = pa->nseg;
      }
    } else {
      ft__segbuf b;
      memset(&b, 0, sizeof b);
      st = fit_stair(p, &es, use_map ? &rm : NULL, &t, &rs, in, &st_[i], i, &b);
      if (st) {
        ft__segbuf_free(&b);
        if (st == FT_ERR_NOMEM) goto nomem;
        st = ft__fail(ctx, st, "fit: internal error on path %d", i);
        goto fail;
      }
      d->start = b.start;
      d->seg = b.seg;
      d->nseg = b.n;
      d->cap = b.cap;
    }
  }
  if ((st = ft__progress(ctx, 1.0))) goto fail;
  *out = ps;
  ps = NULL;
  st = FT_OK;
  goto done;
nomem:
  st = ft__nomem(ctx, "fit");
fail:
  ft_paths_free(ps);
done:
  if (st_)
    for (i = 0; i < in->npaths; i++) {
      free(st_[i].v);
      free(st_[i].edge);
    }
  for (i = 0; i < rs.n; i++) ft__segbuf_free(&rs.r[i]);
  if (res)
    for (i = 0; i < in->npaths; i++) ft__segbuf_free(&res[i].b);
  free(res);
  free(order);
  free(rs.r);
  free(st_);
  free(newidx);
  free(t.slot);
  free(t.e);
  map_free(&rm);
  return st;
}
