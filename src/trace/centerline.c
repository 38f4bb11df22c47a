/* src/trace/centerline.c - centre lines of pen strokes (FT_TRACE_CENTERLINE,
 * FT_TRACE_AUTO).
 *
 * Each label is handled in its bounding box, framed by one pixel of
 * background, in six steps.
 *
 * 1. Distance.  The squared Euclidean distance from every ink pixel centre
 *    to the nearest background pixel centre, by the two-pass lower-envelope
 *    transform of P. Felzenszwalb and D. Huttenlocher, "Distance Transforms
 *    of Sampled Functions", Theory of Computing 8 (2012), Sec. 3 (columns,
 *    then rows).  D - 1/2 approximates the distance to the ink edge.
 *    Pores are filled first (holes of grain size, or small and thinner than
 *    a fifth of the ink around them, as grainy graphite leaves in a marker
 *    stroke), so that a stroke does not become a net of loops; the hole of
 *    an "o" stays.
 * 2. Thinning.  Border pixels are peeled in four directional sub-passes (N,
 *    S, E, W) as long as they are simple points - one 8-connected component
 *    of ink and one 4-connected component of background in their
 *    neighbourhood (T. Y. Kong and A. Rosenfeld, "Digital topology",
 *    CVGIP 48 (1989), Sec. 5) - and not free ends, so the skeleton is one
 *    pixel thin, 8-connected, and keeps every component and every hole.
 * 3. Auto mode only.  Skeleton pixels whose half-width exceeds blob_ratio
 *    times the label's median are seeds; the union of their maximal discs
 *    is the blob part, later traced as outlines, and its skeleton is cut.
 * 4. Graph.  Skeleton pixels with one neighbour are free ends, with three
 *    or more junction pixels (8-connected groups of them form one junction
 *    node); chains of two-neighbour pixels join nodes, and chains without
 *    nodes are rings.  Chain pixels move to the ridge of the distance field
 *    across the chain (a tent of slope 1 through the three samples at -1, 0,
 *    +1 pixel along the normal gives the sub-pixel centre and its height,
 *    hence the half-width, also for strokes of even width).
 * 5. Clean-up.  Spurs - chains from a junction to a free end whose tip
 *    disc sticks out of the discs of the chains it leaves by less than
 *    spur_ratio half-widths plus a pixel (of the junction's disc at a fork,
 *    of the crossing strokes at a crossing) - are removed, least first,
 *    which also removes the forks thinning leaves at square stroke ends and
 *    the branches of ragged edges.  Junctions closer than 1.5 times their
 *    two half-widths are merged (the two forks of an X become one, but no
 *    cascade: every merged fork stays within 1.5 half-widths).  A
 *    junction is moved to the least-squares intersection of the centre
 *    lines of its chains measured just outside its disc, and chain points
 *    inside the disc are dropped.  Corners reach the ink's tip: a junction
 *    left with two chains by a pruned tip branch (a thick V, a star's
 *    point) moves towards that branch's free end, to half a width short of
 *    where the ink ends.  At each junction the
 *    pairs of chains that continue each other within 35 degrees are
 *    paired, most opposite first; at a node left with two chains they are always paired.  Free
 *    ends are moved to half a width short of the ink edge along their
 *    direction, so that the round cap ends where the ink does.
 * 5b. Auto mode only.  A chain with a free end that one stroke width
 *    cannot draw - its stroke against its own maximal discs, junction
 *    discs left out, scores an intersection over union below 0.8, as a
 *    brush stroke tapering to a point or the corners of a filled arrow
 *    head do - is outlined: its discs, grown over the ink that no
 *    remaining stroke draws, join the blob part.
 * 6. Paths.  Following the pairings chains are concatenated into paths
 *    (closed when they come back), smoothed with a [1 2 1]/4 filter (a
 *    Gaussian of a half-width, at most 3 px) except at corners (turns of
 *    57 degrees over 0.8 widths), which move out along their bisector to
 *    half a width short of the ink's extremity, simplified with
 *    Douglas-Peucker (D. Douglas and T. Peucker, Canadian Cartographer 10
 *    (1973)) to simplify x width/10 pixels (at least simplify/5), and given a high median of
 *    their width samples or the fixed width of the params.  An open path
 *    shorter than its half-width is a dot; an isolated dot takes the
 *    centroid and the equal-area disc of its blob.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "trace/internal.h"

/* A path's width is this quantile of its half-width samples, times two:
 * above the median because notches in a ragged edge lower the distance to
 * the edge while bumps do not raise it. */
#define WIDTH_QUANTILE 0.6
/* px: the most a centre line is smoothed (Gaussian sigma), see emit() */
#define SMOOTH_MAX 3.0
/* auto mode: a chain whose stroke covers its own ink with a lower
 * intersection over union is outlined (outline_tapers) */
#define TAPER_IOU 0.8

/* Neighbours in ring order: E, NE, N, NW, W, SW, S, SE (y down). */
static const int nb_dx[8] = {1, 1, 0, -1, -1, -1, 0, 1};
static const int nb_dy[8] = {0, -1, -1, -1, 0, 1, 1, 1};
enum { NB_E = 0, NB_N = 2, NB_W = 4, NB_S = 6 };

typedef struct cpt {
  double x, y, hw; /* position (buffer pixel units, centres at integers), half-width */
} cpt;

typedef struct chain {
  cpt *p;    /* [n] interior points from node a towards node b */
  int n, cap;
  int a, b;  /* end nodes; both -1 for a ring */
  int alive;
  double len;
} chain;

typedef struct node {
  double x, y, hw; /* position and half-width */
  double cx, cy;   /* centroid of its skeleton pixels */
  double ext;      /* merged junctions: farthest member centroid from (cx, cy) */
  double tx, ty;   /* junctions: the free end of the longest spur pruned there */
  int tip;         /* 1 when (tx, ty) is set */
  int deg, alive;
} node;

typedef struct work {
  ft_ctx *ctx;
  const ft_trace_params *par;
  int w, h;       /* buffer size, the label's box plus one pixel all round */
  int ox, oy;     /* image position of buffer pixel (0, 0) */
  int img_w, img_h; /* size of the image, which bounds every point */
  int off[8];     /* index offsets of the neighbours */
  uint8_t *ink;   /* [h][w] 1 on the label */
  uint8_t *sk;    /* [h][w] skeleton */
  uint8_t *blob;  /* [h][w] auto mode: part traced as outline */
  float *dist;    /* [h][w] distance to the nearest background pixel centre */
  int *nid;       /* [h][w] node of a skeleton pixel, -1 none */
  uint8_t *vis;   /* [h][w] chain pixel already walked */
  int *cand;      /* [h*w] scratch */
  node *nd;
  int nn, ncap;
  chain *ch;
  int nc, ccap;
  uint8_t simple[256];
} work;

/* ---- tables ---- */

/* simple[m] for a neighbourhood mask m (bit k = neighbour k is ink): one
 * 8-component of ink neighbours and one 4-component of background
 * neighbours that touches the centre's 4-neighbours. */
static void build_simple(uint8_t *simple) {
  int m, k, j;
  for (m = 0; m < 256; m++) {
    int comp[8], nfg = 0, nbg = 0, changed;
    for (k = 0; k < 8; k++) comp[k] = k;
    do { /* label propagation over the 8 positions */
      changed = 0;
      for (k = 0; k < 8; k++)
        for (j = 0; j < 8; j++) {
          int fk = (m >> k) & 1, fj = (m >> j) & 1, adx, ady, adj;
          if (k == j || fk != fj) continue;
          adx = abs(nb_dx[k] - nb_dx[j]);
          ady = abs(nb_dy[k] - nb_dy[j]);
          adj = fk ? (adx <= 1 && ady <= 1) : (adx + ady == 1);
          if (adj && comp[j] < comp[k]) {
            comp[k] = comp[j];
            changed = 1;
          }
        }
    } while (changed);
    for (k = 0; k < 8; k++) {
      if (comp[k] != k) continue;
      if ((m >> k) & 1) {
        nfg++;
      } else {
        for (j = 0; j < 8; j += 2) /* a background component touching a 4-neighbour */
          if (!((m >> j) & 1) && comp[j] == k) {
            nbg++;
            break;
          }
      }
    }
    simple[m] = (uint8_t)(nfg == 1 && nbg == 1);
  }
}

static inline int nbmask(const work *wk, const uint8_t *s, int i) {
  int k, m = 0;
  for (k = 0; k < 8; k++)
    if (s[i + wk->off[k]]) m |= 1 << k;
  return m;
}

static inline int popcount8(int m) {
  int c = 0;
  while (m) {
    c += m & 1;
    m >>= 1;
  }
  return c;
}

/* ---- 1. distance ---- */

/* wk->dist from wk->ink (ft__edt); FT_ERR_NOMEM when out of memory. */
static ft_status distance(work *wk) {
  return ft__edt(wk->ctx, wk->ink, wk->w, wk->h, wk->dist);
}

/* Bilinear sample of the distance field at (x, y), 0 outside. */
static double dist_at(const work *wk, double x, double y) {
  int x0 = (int)floor(x), y0 = (int)floor(y);
  double fx = x - x0, fy = y - y0;
  double a, b, c, d;
  if (x0 < 0 || y0 < 0 || x0 + 1 >= wk->w || y0 + 1 >= wk->h) return 0.0;
  a = wk->dist[(size_t)y0 * wk->w + x0];
  b = wk->dist[(size_t)y0 * wk->w + x0 + 1];
  c = wk->dist[(size_t)(y0 + 1) * wk->w + x0];
  d = wk->dist[(size_t)(y0 + 1) * wk->w + x0 + 1];
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}

static int cmp_float(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return x < y ? -1 : x > y;
}

/* Flood the 4-connected background component of seed i, marking it in
 * wk->vis (its pixels must be 0 there).  Returns its area, writes its
 * pixels to list[] when given, sets *edge to the number of them with an
 * ink 4-neighbour and *edge_df to the mean of df over those (when given). */
static size_t flood_bg(work *wk, int i, const float *df, int *list, size_t *edge,
                       double *edge_df) {
  static const int dx[4] = {1, 0, -1, 0}, dy[4] = {0, -1, 0, 1};
  int w = wk->w, h = wk->h;
  size_t top = 0, area = 0, ne = 0;
  double sdf = 0;
  wk->cand[top++] = i;
  wk->vis[i] = 1;
  while (top) {
    int j = wk->cand[--top], x = j % w, y = j / w, k, touch = 0;
    if (list) list[area] = j;
    area++;
    for (k = 0; k < 4; k++) {
      int qx = x + dx[k], qy = y + dy[k], q;
      if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
      q = qy * w + qx;
      if (wk->ink[q]) {
        touch = 1;
      } else if (!wk->vis[q]) {
        wk->vis[q] = 1;
        wk->cand[top++] = q;
      }
    }
    ne += touch;
    if (touch && df) sdf += df[j];
  }
  if (edge) *edge = ne;
  if (edge_df) *edge_df = ne ? sdf / ne : 0;
  return area;
}

/* Step 1b: fill pinholes, so that grain and pores in a pencil or marker
 * stroke do not split it into a net of loops, while the hole of an "o"
 * stays.  A hole's thickness is twice its area over its edge length (its
 * radius for a disc); the ink around it is the mean distance of its edge
 * pixels from the outside with every hole filled (half the stroke width for
 * a pore in the middle of a stroke, the stroke width for the hole of an
 * "o").  Where that is at least 4 px, a hole at most 2.5 px thick (grain)
 * and thinner than 0.35 times it, or thinner than 0.2 times it with an
 * area under 0.05 times its square, is filled: the holes of letters, rings and grid cells in clean icons
 * measure 0.2 .. 0.5 times it and more in area, pores in a pencil or marker
 * photo 2 .. 4 px and 0.1 .. 0.4 times it.  Returns 1 when a hole was
 * filled (the distance is then recomputed), 0 when none, -1 when out of
 * memory. */
static int fill_pinholes(work *wk) {
  int w = wk->w, h = wk->h, x, y, any = 0, nholes = 0, *list;
  size_t npix = (size_t)w * h, i;
  uint8_t *ink = wk->ink, *filled;
  float *dist = wk->dist, *df;
  memset(wk->vis, 0, npix);
  flood_bg(wk, 0, NULL, NULL, NULL, NULL); /* the outside, from the frame */
  for (i = 0; i < npix; i++) nholes += !ink[i] && !wk->vis[i];
  if (nholes == 0) return 0;
  filled = malloc(npix);
  df = ft__malloc_n(npix, sizeof *df);
  list = ft__malloc_n(npix, sizeof *list);
  if (!filled || !df || !list) {
    free(filled);
    free(df);
    free(list);
    return -1;
  }
  for (i = 0; i < npix; i++) filled[i] = ink[i] || !wk->vis[i];
  wk->ink = filled;
  wk->dist = df;
  if (distance(wk)) any = -1;
  wk->ink = ink;
  wk->dist = dist;
  if (any < 0) {
    free(filled);
    free(df);
    free(list);
    return -1;
  }
  for (y = 1; y < h - 1; y++)
    for (x = 1; x < w - 1; x++) {
      size_t area, edge;
      double thick, around;
      if (ink[y * w + x] || wk->vis[y * w + x]) continue;
      area = flood_bg(wk, y * w + x, df, list, &edge, &around);
      thick = edge ? 2.0 * area / edge : 0;
      if (around >= 4 && ((thick <= 2.5 && thick < 0.35 * around) ||
                          (thick < 0.2 * around && area < 0.05 * around * around))) {
        for (i = 0; i < area; i++) ink[list[i]] = 1;
        any = 1;
      }
    }
  free(filled);
  free(df);
  free(list);
  if (any && distance(wk)) return -1;
  return any;
}

/* ---- 2. thinning ---- */

static void thin(work *wk) {
  static const int dirs[4] = {NB_N, NB_S, NB_E, NB_W};
  int w = wk->w, h = wk->h, changed = 1, d, x, y;
  memcpy(wk->sk, wk->ink, (size_t)w * h);
  while (changed) {
    changed = 0;
    for (d = 0; d < 4; d++) {
      int o = wk->off[dirs[d]];
      size_t nc = 0, k;
      for (y = 1; y < h - 1; y++)
        for (x = 1; x < w - 1; x++) {
          int i = y * w + x, m;
          if (!wk->sk[i] || wk->sk[i + o]) continue;
          m = nbmask(wk, wk->sk, i);
          if (popcount8(m) >= 2 && wk->simple[m]) wk->cand[nc++] = i;
        }
      for (k = 0; k < nc; k++) {
        int i = wk->cand[k], m = nbmask(wk, wk->sk, i);
        if (popcount8(m) >= 2 && wk->simple[m]) {
          wk->sk[i] = 0;
          changed = 1;
        }
      }
    }
  }
}

/* ---- 3. blobs (auto mode) ---- */

/* Mark the union of the maximal discs of the thick skeleton points in
 * wk->blob and cut the skeleton there.  Returns 1 when any blob was found,
 * -1 when out of memory. */
static int find_blobs(work *wk) {
  int w = wk->w, h = wk->h, i, n = 0, any = 0;
  float *vals, med, lim;
  for (i = 0; i < w * h; i++) n += wk->sk[i];
  if (n == 0) return 0;
  vals = malloc((size_t)n * sizeof *vals);
  if (!vals) return -1;
  n = 0;
  for (i = 0; i < w * h; i++)
    if (wk->sk[i]) vals[n++] = wk->dist[i] - 0.5f;
  qsort(vals, (size_t)n, sizeof *vals, cmp_float);
  med = vals[n / 2];
  free(vals);
  lim = (float)(wk->par->blob_ratio * (med > 0.5f ? med : 0.5f));
  if (lim < 2.0f) lim = 2.0f;
  memset(wk->blob, 0, (size_t)w * h);
  for (i = 0; i < w * h; i++) {
    int sx = i % w, sy = i / w, r, x, y;
    double R;
    if (!wk->sk[i] || wk->dist[i] - 0.5f <= lim) continue;
    R = wk->dist[i];
    r = (int)ceil(R);
    for (y = sy - r; y <= sy + r; y++)
      for (x = sx - r; x <= sx + r; x++) {
        double dx = x - sx, dy = y - sy;
        if (x < 0 || y < 0 || x >= w || y >= h) continue;
        if (dx * dx + dy * dy < R * R && wk->ink[(size_t)y * w + x]) wk->blob[(size_t)y * w + x] = 1;
      }
    any = 1;
  }
  if (any)
    for (i = 0; i < w * h; i++)
      if (wk->blob[i]) wk->sk[i] = 0;
  return any;
}

/* ---- 4. graph ---- */

static int add_node(work *wk, double x, double y, double hw) {
  node *n;
  if (wk->nn == INT32_MAX || ft__grow((void **)&wk->nd, &wk->ncap, wk->nn + 1, sizeof *n)) return -1;
  n = &wk->nd[wk->nn];
  memset(n, 0, sizeof *n);
  n->x = n->cx = x;
  n->y = n->cy = y;
  n->hw = hw;
  n->alive = 1;
  return wk->nn++;
}

static int add_chain(work *wk, int a, int b) {
  chain *c;
  if (wk->nc == INT32_MAX || ft__grow((void **)&wk->ch, &wk->ccap, wk->nc + 1, sizeof *c)) return -1;
  c = &wk->ch[wk->nc];
  memset(c, 0, sizeof *c);
  c->a = a;
  c->b = b;
  c->alive = 1;
  return wk->nc++;
}

static int push_pt(chain *c, double x, double y, double hw) {
  if (c->n == INT32_MAX || ft__grow((void **)&c->p, &c->cap, c->n + 1, sizeof *c->p)) return -1;
  c->p[c->n].x = x;
  c->p[c->n].y = y;
  c->p[c->n].hw = hw;
  c->n++;
  return 0;
}

static double pix_hw(const work *wk, int i) {
  double hw = wk->dist[i] - 0.5;
  return hw > 0.5 ? hw : 0.5;
}

/* Junction clusters and free ends become nodes. */
static int make_nodes(work *wk) {
  int w = wk->w, h = wk->h, i;
  for (i = 0; i < w * h; i++) wk->nid[i] = -1;
  for (i = 0; i < w * h; i++) {
    int cnt, id;
    if (!wk->sk[i] || wk->nid[i] >= 0) continue;
    cnt = popcount8(nbmask(wk, wk->sk, i));
    if (cnt == 2) continue;
    id = add_node(wk, i % w, i / w, pix_hw(wk, i));
    if (id < 0) return -1;
    wk->nid[i] = id;
    if (cnt >= 3) { /* flood the junction cluster, with wk->cand as the stack */
      size_t top = 0, npx = 0;
      double sx = 0, sy = 0, maxd = 0;
      wk->cand[top++] = i;
      while (top) {
        int j = wk->cand[--top], k;
        sx += j % w;
        sy += j / w;
        npx++;
        if (wk->dist[j] > maxd) maxd = wk->dist[j];
        for (k = 0; k < 8; k++) {
          int q = j + wk->off[k];
          if (wk->sk[q] && wk->nid[q] < 0 && popcount8(nbmask(wk, wk->sk, q)) >= 3) {
            wk->nid[q] = id;
            wk->cand[top++] = q;
          }
        }
      }
      wk->nd[id].x = wk->nd[id].cx = sx / (double)npx;
      wk->nd[id].y = wk->nd[id].cy = sy / (double)npx;
      wk->nd[id].hw = maxd - 0.5 > 0.5 ? maxd - 0.5 : 0.5;
    }
  }
  return 0;
}

/* Walk a chain from node pixel p through q; ring when p < 0 (q starts it). */
static int walk(work *wk, int p, int q) {
  int a = p >= 0 ? wk->nid[p] : -1, prev = p, cur = q, id, k;
  chain *c;
  if ((id = add_chain(wk, a, -1)) < 0) return -1;
  if (p < 0) { /* ring: pretend to come from one of q's neighbours */
    for (k = 0; k < 8; k++)
      if (wk->sk[q + wk->off[k]]) {
        prev = q + wk->off[k];
        break;
      }
  }
  for (;;) {
    int next = -1;
    wk->vis[cur] = 1;
    c = &wk->ch[id];
    if (push_pt(c, cur % wk->w, cur / wk->w, pix_hw(wk, cur))) return -1;
    for (k = 0; k < 8; k++) {
      int r = cur + wk->off[k];
      if (wk->sk[r] && r != prev) {
        next = r;
        if (wk->nid[r] >= 0 && wk->nid[r] != a) break; /* prefer leaving into a node */
      }
    }
    if (next < 0) { /* cannot happen on a thinned skeleton; drop the chain */
      c->alive = 0;
      return 0;
    }
    if (wk->nid[next] >= 0) {
      c->b = wk->nid[next];
      return 0;
    }
    if (p < 0 && next == q) { /* ring closed */
      c->a = c->b = -1;
      return 0;
    }
    if (wk->vis[next]) {
      c->alive = 0;
      return 0;
    }
    prev = cur;
    cur = next;
  }
}

static int make_chains(work *wk) {
  int w = wk->w, h = wk->h, i, k;
  memset(wk->vis, 0, (size_t)w * h);
  for (i = 0; i < w * h; i++) {
    if (!wk->sk[i] || wk->nid[i] < 0) continue;
    for (k = 0; k < 8; k++) {
      int q = i + wk->off[k];
      if (!wk->sk[q] || wk->nid[q] == wk->nid[i]) continue;
      if (wk->nid[q] >= 0) {
        if (wk->nid[i] < wk->nid[q] && add_chain(wk, wk->nid[i], wk->nid[q]) < 0) return -1;
      } else if (!wk->vis[q] && walk(wk, i, q)) {
        return -1;
      }
    }
  }
  for (i = 0; i < w * h; i++)
    if (wk->sk[i] && wk->nid[i] < 0 && !wk->vis[i] && walk(wk, -1, i)) return -1;
  return 0;
}

/* Points of a chain end to end, nodes included: index 0 is node a (or the
 * first point of a ring). */
static int seq_len(const chain *c) { return c->n + (c->a >= 0) + (c->b >= 0); }

static cpt seq_pt(const work *wk, const chain *c, int i) {
  cpt r;
  if (c->a >= 0) {
    if (i == 0) {
      r.x = wk->nd[c->a].x;
      r.y = wk->nd[c->a].y;
      r.hw = wk->nd[c->a].hw;
      return r;
    }
    i--;
  }
  if (i < c->n) return c->p[i];
  r.x = wk->nd[c->b].x;
  r.y = wk->nd[c->b].y;
  r.hw = wk->nd[c->b].hw;
  return r;
}

/* Move chain pixels onto the ridge of the distance field (step 4). */
static void refine(work *wk, chain *c) {
  int n = seq_len(c), i, ring = c->a < 0, first = c->a >= 0;
  cpt *tmp;
  if (c->n == 0) return;
  tmp = malloc((size_t)c->n * sizeof *tmp);
  if (!tmp) return; /* refinement is optional; keep pixel centres */
  for (i = 0; i < c->n; i++) {
    int s = i + first, lo = s - 2, hi = s + 2;
    cpt pl, ph, p0 = c->p[i];
    double tx, ty, tl, nx, ny, f0, fp, fm, cc;
    if (ring) {
      pl = seq_pt(wk, c, ((lo % n) + n) % n);
      ph = seq_pt(wk, c, hi % n);
    } else {
      pl = seq_pt(wk, c, lo < 0 ? 0 : lo);
      ph = seq_pt(wk, c, hi >= n ? n - 1 : hi);
    }
    tx = ph.x - pl.x;
    ty = ph.y - pl.y;
    tl = sqrt(tx * tx + ty * ty);
    tmp[i] = p0;
    if (tl < 1e-9) continue;
    nx = -ty / tl;
    ny = tx / tl;
    f0 = wk->dist[(size_t)p0.y * wk->w + (size_t)p0.x];
    fp = dist_at(wk, p0.x + nx, p0.y + ny);
    fm = dist_at(wk, p0.x - nx, p0.y - ny);
    if (fp >= fm) {
      cc = (1.0 - (f0 - fp)) / 2.0;
      if (cc < 0) cc = 0;
      if (cc > 0.5) cc = 0.5;
    } else {
      cc = -(1.0 - (f0 - fm)) / 2.0;
      if (cc > 0) cc = 0;
      if (cc < -0.5) cc = -0.5;
    }
    tmp[i].x = p0.x + cc * nx;
    tmp[i].y = p0.y + cc * ny;
    /* the edge lies half the spacing of the pixel rows crossed, short of
     * the first background centre: 1/2 across axis-aligned strokes, less
     * across slanted ones */
    tmp[i].hw = f0 + fabs(cc) - 0.5 * (fabs(nx) > fabs(ny) ? fabs(nx) : fabs(ny));
    if (tmp[i].hw < 0.5) tmp[i].hw = 0.5;
  }
  memcpy(c->p, tmp, (size_t)c->n * sizeof *tmp);
  free(tmp);
}

static void chain_length(const work *wk, chain *c) {
  int n = seq_len(c), i;
  double L = 0;
  for (i = 1; i < n; i++) {
    cpt p = seq_pt(wk, c, i - 1), q = seq_pt(wk, c, i);
    L += hypot(q.x - p.x, q.y - p.y);
  }
  c->len = L;
}

/* The point at arc length s from end e (0: a, 1: b), clamped to the chain. */
static cpt point_at(const work *wk, const chain *c, int e, double s) {
  int n = seq_len(c), i;
  cpt p = seq_pt(wk, c, e ? n - 1 : 0);
  for (i = 1; i < n; i++) {
    cpt q = seq_pt(wk, c, e ? n - 1 - i : i);
    double d = hypot(q.x - p.x, q.y - p.y);
    if (d >= s && d > 0) {
      cpt r;
      r.x = p.x + (q.x - p.x) * s / d;
      r.y = p.y + (q.y - p.y) * s / d;
      r.hw = q.hw;
      return r;
    }
    s -= d;
    p = q;
  }
  return p;
}

/* ---- 5. clean-up ---- */

typedef struct spur {
  double reach;
  int c;
} spur;

static int cmp_spur(const void *a, const void *b) {
  const spur *x = a, *y = b;
  if (x->reach != y->reach) return x->reach < y->reach ? -1 : 1;
  return x->c - y->c;
}

/* How far the disc at a spur's tip sticks out of the discs of the chains
 * it leaves at junction j (points within reach of the junction); *rp gets
 * the half-width of the disc that covers it best. */
static double protrusion(const work *wk, const chain *c, int e, int j, double *rp) {
  const node *T = &wk->nd[e], *J = &wk->nd[j];
  double best = hypot(T->x - J->x, T->y - J->y) + T->hw - J->hw, lim = c->len + 2 * J->hw;
  int i, k;
  *rp = J->hw;
  for (i = 0; i < wk->nc; i++) {
    const chain *d = &wk->ch[i];
    int n, from_b;
    double s = 0;
    cpt prev;
    if (d == c || !d->alive || (d->a != j && d->b != j)) continue;
    n = seq_len(d);
    from_b = d->a != j;
    prev = seq_pt(wk, d, from_b ? n - 1 : 0);
    for (k = 1; k < n && s <= lim; k++) {
      cpt q = seq_pt(wk, d, from_b ? n - 1 - k : k);
      double pr = hypot(T->x - q.x, T->y - q.y) + T->hw - q.hw;
      s += hypot(q.x - prev.x, q.y - prev.y);
      prev = q;
      if (pr < best) {
        best = pr;
        *rp = q.hw;
      }
    }
  }
  return best;
}

static double chain_hw(const work *wk, const chain *c);

/* Is chain c a spur now: a chain from a free end to a node with another
 * chain, whose tip sticks out less than spur_ratio half-widths of the
 * stroke it leaves (where it covers the tip best), plus a pixel?  Sets *reach to that protrusion. */
static int is_spur(const work *wk, const chain *c, double *reach) {
  int e, j;
  double thr, rp;
  if (!c->alive || c->a < 0 || c->a == c->b) return 0;
  if (wk->nd[c->a].deg == 1 && wk->nd[c->b].deg >= 2) {
    e = c->a;
    j = c->b;
  } else if (wk->nd[c->b].deg == 1 && wk->nd[c->a].deg >= 2) {
    e = c->b;
    j = c->a;
  } else {
    return 0;
  }
  if (c->len > 2 * wk->nd[j].hw + 2 * wk->par->spur_ratio * wk->nd[j].hw + 4) return 0;
  *reach = protrusion(wk, c, e, j, &rp);
  { /* at a crossing, measured on the strokes it leaves, not on the
       junction: there the junction's disc is wider than either stroke
       (sqrt 2 times for a "+"), and the short arms of a "+" are no spurs;
       at a fork the junction's disc stays the measure, so that the tip
       branch of a thick V or the stub of a T near its end goes (the
       corner then moves out to the tip: place_vertex) */
    double ho = 0;
    int i;
    for (i = 0; i < wk->nc; i++) {
      const chain *d = &wk->ch[i];
      double h;
      if (d == c || !d->alive || (d->a != j && d->b != j)) continue;
      if ((h = chain_hw(wk, d)) > ho) ho = h;
    }
    if (wk->nd[j].deg >= 4 && ho > 0 && ho < rp) rp = ho;
  }
  /* plus a pixel: the tip pixel's own extent is not in its distance */
  thr = wk->par->spur_ratio * rp + 1.0;
  return *reach < thr;
}

static void kill_chain(work *wk, chain *c) {
  c->alive = 0;
  if (c->a >= 0) wk->nd[c->a].deg--;
  if (c->b >= 0) wk->nd[c->b].deg--;
}

static int prune(work *wk) {
  spur *s = NULL;
  int i, removed = 1;
  if (wk->nc > 0 && !(s = ft__malloc_n((size_t)wk->nc, sizeof *s))) return -1;
  while (removed) {
    int ns = 0;
    removed = 0;
    for (i = 0; i < wk->nc; i++) {
      double r;
      if (is_spur(wk, &wk->ch[i], &r)) {
        s[ns].reach = r;
        s[ns].c = i;
        ns++;
      }
    }
    if (ns > 1) qsort(s, (size_t)ns, sizeof *s, cmp_spur);
    for (i = 0; i < ns; i++) {
      chain *c = &wk->ch[s[i].c];
      double r;
      if (!is_spur(wk, c, &r)) continue;
      { /* remember where the spur pointed: the tip of a thick V */
        int e = wk->nd[c->a].deg == 1 ? c->a : c->b, j = e == c->a ? c->b : c->a;
        node *J = &wk->nd[j], *T = &wk->nd[e];
        if (!J->tip || hypot(T->x - J->x, T->y - J->y) > hypot(J->tx - J->x, J->ty - J->y)) {
          J->tx = T->x;
          J->ty = T->y;
          J->tip = 1;
        }
      }
      if (wk->nd[c->a].deg == 1) wk->nd[c->a].alive = 0;
      if (wk->nd[c->b].deg == 1) wk->nd[c->b].alive = 0;
      kill_chain(wk, c);
      removed = 1;
    }
  }
  free(s);
  /* a free end whose chain went keeps its node alive: revive nodes with deg > 0 */
  for (i = 0; i < wk->nn; i++)
    if (wk->nd[i].deg > 0) wk->nd[i].alive = 1;
  return 0;
}

/* Merge junctions joined by a chain shorter than 1.5 times their two
 * half-widths (the two forks thinning makes of an acute crossing). */
static void merge_junctions(work *wk) {
  int i, j, merged = 1;
  while (merged) {
    merged = 0;
    for (i = 0; i < wk->nc; i++) {
      chain *c = &wk->ch[i];
      node *A, *B;
      int a, b;
      if (!c->alive || c->a < 0 || c->a == c->b) continue;
      a = c->a;
      b = c->b;
      A = &wk->nd[a];
      B = &wk->nd[b];
      if (A->deg < 3 || B->deg < 3 || c->len >= 1.5 * (A->hw + B->hw)) continue;
      { /* one crossing, not a cascade: every merged fork stays within
           1.5 half-widths of the merged centre */
        double mx = (A->cx + B->cx) / 2, my = (A->cy + B->cy) / 2;
        double ea = A->ext + hypot(A->cx - mx, A->cy - my);
        double eb = B->ext + hypot(B->cx - mx, B->cy - my);
        double e = ea > eb ? ea : eb, hw = A->hw > B->hw ? A->hw : B->hw;
        if (e > 1.5 * hw + 1) continue;
        kill_chain(wk, c);
        A->x = A->cx = mx;
        A->y = A->cy = my;
        A->ext = e;
        A->hw = hw;
        if (!A->tip && B->tip) {
          A->tx = B->tx;
          A->ty = B->ty;
          A->tip = 1;
        }
      }
      for (j = 0; j < wk->nc; j++) {
        chain *d = &wk->ch[j];
        if (!d->alive) continue;
        if (d->a == b) d->a = a, A->deg++;
        if (d->b == b) d->b = a, A->deg++;
      }
      B->deg = 0;
      B->alive = 0;
      merged = 1;
    }
  }
  for (i = 0; i < wk->nc; i++)
    if (wk->ch[i].alive) chain_length(wk, &wk->ch[i]);
}

/* Incident chain ends of every node: ends[off[v]..off[v+1]-1] = 2*chain+end. */
static int incidences(work *wk, int **off_out, int **ends_out) {
  int *off = ft__calloc_n((size_t)wk->nn + 1, sizeof *off), *ends = NULL, *fill, i;
  *off_out = *ends_out = NULL;
  if (!off) return -1;
  for (i = 0; i < wk->nc; i++) {
    chain *c = &wk->ch[i];
    if (!c->alive || c->a < 0) continue;
    off[c->a + 1]++;
    off[c->b + 1]++;
  }
  for (i = 0; i < wk->nn; i++) off[i + 1] += off[i];
  ends = ft__malloc_n((size_t)off[wk->nn] + 1, sizeof *ends);
  fill = ft__malloc_n((size_t)wk->nn + 1, sizeof *fill);
  if (!ends || !fill) {
    free(off);
    free(ends);
    free(fill);
    return -1;
  }
  memcpy(fill, off, (size_t)wk->nn * sizeof *fill);
  for (i = 0; i < wk->nc; i++) {
    chain *c = &wk->ch[i];
    if (!c->alive || c->a < 0) continue;
    ends[fill[c->a]++] = 2 * i;
    ends[fill[c->b]++] = 2 * i + 1;
  }
  free(fill);
  *off_out = off;
  *ends_out = ends;
  return 0;
}

/* Direction out of node along chain end E, measured between arc lengths
 * s0 and s1; returns 0 when degenerate. */
static int end_dir(const work *wk, int E, double s0, double s1, cpt *m, double *dx, double *dy) {
  const chain *c = &wk->ch[E / 2];
  cpt p0 = point_at(wk, c, E & 1, s0), p1 = point_at(wk, c, E & 1, s1);
  double l = hypot(p1.x - p0.x, p1.y - p0.y);
  if (l < 1e-6) {
    p0 = point_at(wk, c, E & 1, 0);
    l = hypot(p1.x - p0.x, p1.y - p0.y);
    if (l < 1e-6) return 0;
  }
  *m = p0;
  *dx = (p1.x - p0.x) / l;
  *dy = (p1.y - p0.y) / l;
  return 1;
}

static int stroke_ink(const work *wk, double x, double y) {
  int ix = (int)floor(x + 0.5), iy = (int)floor(y + 0.5);
  size_t i;
  if (ix < 0 || iy < 0 || ix >= wk->w || iy >= wk->h) return 0;
  i = (size_t)iy * wk->w + ix;
  return wk->ink[i] && !(wk->blob && wk->blob[i]);
}

/* Drop the points of chain end E within arc length s of its node. */
static void trim_end(work *wk, int E, double s) {
  chain *c = &wk->ch[E / 2];
  cpt prev = seq_pt(wk, c, (E & 1) ? seq_len(c) - 1 : 0);
  double acc = 0;
  int k = 0;
  while (k < c->n) {
    cpt q = (E & 1) ? c->p[c->n - 1 - k] : c->p[k];
    acc += hypot(q.x - prev.x, q.y - prev.y);
    if (acc >= s) break;
    prev = q;
    k++;
  }
  if (k == 0) return;
  if (!(E & 1)) memmove(c->p, c->p + k, (size_t)(c->n - k) * sizeof *c->p);
  c->n -= k;
}

/* Fill the gap between chain end E's node and its nearest point with
 * points on the straight line about a pixel apart (best effort: the gap
 * stays when out of memory). */
static void fill_end(work *wk, int E) {
  chain *c = &wk->ch[E / 2];
  const node *N = &wk->nd[(E & 1) ? c->b : c->a];
  cpt q, *p;
  double d;
  int k, m;
  if (c->n == 0) return;
  q = (E & 1) ? c->p[c->n - 1] : c->p[0];
  d = hypot(q.x - N->x, q.y - N->y);
  m = (int)d - 1; /* new points */
  if (m < 1 || c->n > INT32_MAX - m) return;
  if (ft__grow((void **)&c->p, &c->cap, c->n + m, sizeof *c->p)) return;
  p = c->p;
  if (!(E & 1)) memmove(p + m, p, (size_t)c->n * sizeof *p);
  for (k = 1; k <= m; k++) {
    double f = (double)k / (m + 1); /* from the chain point towards the node */
    cpt r = q;
    r.x = q.x + (N->x - q.x) * f;
    r.y = q.y + (N->y - q.y) * f;
    if (E & 1) p[c->n + k - 1] = r;
    else p[m - k] = r;
  }
  c->n += m;
}

/* A junction left with two chains once its spur went is the corner of a V
 * whose tip the spur pointed to: thinning ends the skeleton of a thick
 * acute corner at a junction well inside the vertex (1.7 half-widths for a
 * 36-degree star point) and bends the chains towards it.  The corner goes
 * towards the spur's free end, to half a width short of the ink's
 * extremity (at most a quarter width past the spur's end), so that the
 * round join reaches the tip, and the bent chain points near the junction
 * are replaced by straight lines to it.  Pairs that go straight on, and
 * round joins (where the ink ends half a width out), stay. */
static void place_vertex(work *wk, int v, int E1, int E2) {
  node *N = &wk->nd[v];
  const chain *c1 = &wk->ch[E1 / 2], *c2 = &wk->ch[E2 / 2];
  double s0 = 2 * N->hw, s1, L = c1->len < c2->len ? c1->len : c2->len;
  double x1, y1, x2, y2, ux, uy, ul, hw, S, lim, cut;
  cpt m1, m2;
  if (!N->tip || E1 / 2 == E2 / 2 || L < s0 + 3) return; /* arms, not links of a ragged edge */
  s1 = s0 + 3 * N->hw;
  if (s1 > L) s1 = L;
  if (!end_dir(wk, E1, s0, s1, &m1, &x1, &y1) || !end_dir(wk, E2, s0, s1, &m2, &x2, &y2)) return;
  if (x1 * x2 + y1 * y2 < -cos(30.0 * 3.14159265358979 / 180.0)) return; /* straight on */
  ux = N->tx - N->x;
  uy = N->ty - N->y;
  ul = hypot(ux, uy);
  if (ul < 0.5) return;
  ux /= ul;
  uy /= ul;
  hw = (chain_hw(wk, c1) + chain_hw(wk, c2)) / 2;
  lim = ul + 2 * hw + 2;
  for (S = 0; S < lim; S += 0.25)
    if (!stroke_ink(wk, N->x + (S + 0.25) * ux, N->y + (S + 0.25) * uy)) break;
  S += 0.125 - hw; /* the edge lies about S + 1/8 out */
  if (S < 0.5) return;
  if (S > ul + 0.25 * hw) S = ul + 0.25 * hw; /* not past the spur's own tip */
  cut = S + N->hw < s0 ? S + N->hw : s0;
  trim_end(wk, E1, cut);
  trim_end(wk, E2, cut);
  N->x += S * ux;
  N->y += S * uy;
  fill_end(wk, E1); /* points a pixel apart, as along the rest of the chain */
  fill_end(wk, E2);
}

/* Place junctions, trim chain points inside junction discs, pair chain ends
 * through nodes (partner[E] = E' or -1). */
static int junctions(work *wk, int *partner) {
  int *off, *ends, v, i;
  if (incidences(wk, &off, &ends)) return -1;
  for (i = 0; i < 2 * wk->nc; i++) partner[i] = -1;
  for (v = 0; v < wk->nn; v++) {
    node *N = &wk->nd[v];
    int d = off[v + 1] - off[v], k, l;
    double s0 = N->hw + 0.5, s1 = s0 + (2 * N->hw > 3 ? 2 * N->hw : 3);
    if (!N->alive) continue;
    if (d == 2) {
      partner[ends[off[v]]] = ends[off[v] + 1];
      partner[ends[off[v] + 1]] = ends[off[v]];
      place_vertex(wk, v, ends[off[v]], ends[off[v] + 1]);
      continue;
    }
    if (d < 3) continue;
    { /* least-squares intersection of the chains' centre lines */
      double a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0, det;
      for (k = off[v]; k < off[v + 1]; k++) {
        cpt m;
        double dx, dy;
        if (!end_dir(wk, ends[k], s0, s1, &m, &dx, &dy)) continue;
        a11 += 1 - dx * dx;
        a12 += -dx * dy;
        a22 += 1 - dy * dy;
        b1 += (1 - dx * dx) * m.x - dx * dy * m.y;
        b2 += -dx * dy * m.x + (1 - dy * dy) * m.y;
      }
      det = a11 * a22 - a12 * a12;
      if (det > 1e-3) {
        double x = (a22 * b1 - a12 * b2) / det, y = (a11 * b2 - a12 * b1) / det;
        if (hypot(x - N->cx, y - N->cy) <= 2 * N->hw + 1) {
          N->x = x;
          N->y = y;
        }
      }
    }
    /* drop chain points inside the junction disc */
    for (k = off[v]; k < off[v + 1]; k++) {
      chain *c = &wk->ch[ends[k] / 2];
      int cut = 0;
      if (ends[k] & 1) {
        while (c->n > 0 && hypot(c->p[c->n - 1].x - N->x, c->p[c->n - 1].y - N->y) < N->hw)
          c->n--;
      } else {
        while (cut < c->n && hypot(c->p[cut].x - N->x, c->p[cut].y - N->y) < N->hw) cut++;
        if (cut > 0) {
          memmove(c->p, c->p + cut, (size_t)(c->n - cut) * sizeof *c->p);
          c->n -= cut;
        }
      }
    }
    /* pair the best continuations, most opposite first */
    for (;;) {
      double best = -cos(35.0 * 3.14159265358979 / 180.0);
      int bk = -1, bl = -1;
      for (k = off[v]; k < off[v + 1]; k++) {
        cpt mk;
        double xk, yk;
        if (partner[ends[k]] >= 0 || !end_dir(wk, ends[k], 0, s1, &mk, &xk, &yk)) continue;
        for (l = k + 1; l < off[v + 1]; l++) {
          cpt ml;
          double xl, yl, dot;
          if (partner[ends[l]] >= 0 || ends[l] / 2 == ends[k] / 2) continue;
          if (!end_dir(wk, ends[l], 0, s1, &ml, &xl, &yl)) continue;
          dot = xk * xl + yk * yl;
          if (dot < best) {
            best = dot;
            bk = k;
            bl = l;
          }
        }
      }
      if (bk < 0) break;
      partner[ends[bk]] = ends[bl];
      partner[ends[bl]] = ends[bk];
    }
  }
  free(off);
  free(ends);
  return 0;
}

/* Median half-width of a chain's interior points (its nodes when none). */
static double chain_hw(const work *wk, const chain *c) {
  double *v, m;
  int i;
  if (c->n == 0) {
    if (c->a < 0) return 0.5;
    return (wk->nd[c->a].hw + wk->nd[c->b].hw) / 2;
  }
  v = malloc((size_t)c->n * sizeof *v);
  if (!v) return c->p[c->n / 2].hw;
  for (i = 0; i < c->n; i++) v[i] = c->p[i].hw;
  for (i = 1; i < c->n; i++) { /* insertion sort: chains are short */
    double t = v[i];
    int j = i - 1;
    while (j >= 0 && v[j] > t) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = t;
  }
  m = v[c->n / 2];
  free(v);
  return m;
}


/* Move free ends out to half a width short of the ink edge. */
static void extend_ends(work *wk) {
  int i, e;
  for (i = 0; i < wk->nc; i++) {
    chain *c = &wk->ch[i];
    double hw;
    if (!c->alive || c->a < 0) continue;
    hw = chain_hw(wk, c);
    for (e = 0; e < 2; e++) {
      node *N = &wk->nd[e ? c->b : c->a];
      cpt q, o;
      double tx, ty, tl, s, lim = 4 * hw + 3, ex;
      if (N->deg != 1) continue;
      q = point_at(wk, c, e, 2 * hw + 2 < c->len ? 2 * hw + 2 : c->len);
      tx = N->x - q.x;
      ty = N->y - q.y;
      tl = hypot(tx, ty);
      if (tl < 1e-6) continue;
      tx /= tl;
      ty /= tl;
      /* start from the refined chain point nearest the end, on the centre line */
      if (c->n > 0) {
        o = e ? c->p[c->n - 1] : c->p[0];
      } else {
        o.x = N->x;
        o.y = N->y;
      }
      ex = (N->x - o.x) * tx + (N->y - o.y) * ty;
      for (s = 0; s < lim && stroke_ink(wk, o.x + (s + 0.25) * tx, o.y + (s + 0.25) * ty);
           s += 0.25) {
      }
      /* the edge lies about s + 1/8 out: the end goes hw short of it, so
       * that the round cap ends at the edge; points beyond it are dropped */
      s += 0.125 - hw;
      if (s < ex - hw) s = ex - hw; /* a round cap: never more than hw back */
      N->x = o.x + s * tx;
      N->y = o.y + s * ty;
      if (e) {
        while (c->n > 0 && (c->p[c->n - 1].x - N->x) * tx + (c->p[c->n - 1].y - N->y) * ty > -0.5)
          c->n--;
      } else {
        int cut = 0;
        while (cut < c->n && (c->p[cut].x - N->x) * tx + (c->p[cut].y - N->y) * ty > -0.5) cut++;
        if (cut > 0) {
          memmove(c->p, c->p + cut, (size_t)(c->n - cut) * sizeof *c->p);
          c->n -= cut;
        }
      }
    }
  }
}

/* ---- 5b. tapers (auto mode) ---- */

static int cmp_double(const void *a, const void *b);

/* The width chain c would be drawn with; hw is scratch of c->n values. */
static double chain_width(const work *wk, const chain *c, double *hw) {
  int k;
  if (wk->par->stroke_width > 0) return wk->par->stroke_width;
  if (c->n == 0) return 2 * chain_hw(wk, c);
  for (k = 0; k < c->n; k++) hw[k] = c->p[k].hw;
  qsort(hw, (size_t)c->n, sizeof *hw, cmp_double);
  return 2 * hw[(int)(c->n * WIDTH_QUANTILE)];
}

/* Set bit in m[] at the pixels within r of chain c's polyline (r < 0: its
 * maximal discs, the ink pixels within half-width + 1/2 of its points),
 * and grow the box b[4] (x0, y0, x1, y1) over them. */
static void stamp_chain(const work *wk, const chain *c, double r, uint8_t *m, int bit, int *b) {
  int n = seq_len(c), k, x, y;
  cpt a = seq_pt(wk, c, 0);
  for (k = 0; k < n; k++) {
    cpt q = seq_pt(wk, c, k);
    double R = r < 0 ? q.hw + 0.5 : r, dx = q.x - a.x, dy = q.y - a.y, l2 = dx * dx + dy * dy;
    int x0 = (int)floor((a.x < q.x ? a.x : q.x) - R), x1 = (int)ceil((a.x > q.x ? a.x : q.x) + R);
    int y0 = (int)floor((a.y < q.y ? a.y : q.y) - R), y1 = (int)ceil((a.y > q.y ? a.y : q.y) + R);
    if (r < 0) { /* a disc */
      a = q;
      dx = dy = l2 = 0;
    }
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 >= wk->w ? wk->w - 1 : x1;
    y1 = y1 >= wk->h ? wk->h - 1 : y1;
    for (y = y0; y <= y1; y++)
      for (x = x0; x <= x1; x++) {
        size_t j = (size_t)y * wk->w + x;
        double t = l2 > 0 ? ((x - a.x) * dx + (y - a.y) * dy) / l2 : 0, ex, ey;
        if ((m[j] & bit) || (r < 0 && !wk->ink[j])) continue;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        ex = x - (a.x + t * dx);
        ey = y - (a.y + t * dy);
        if (ex * ex + ey * ey > R * R) continue;
        m[j] |= (uint8_t)bit;
        if (x < b[0]) b[0] = x;
        if (y < b[1]) b[1] = y;
        if (x > b[2]) b[2] = x;
        if (y > b[3]) b[3] = y;
      }
    a = q;
  }
}

/* The blob part grows from the discs of the chains outline_tapers took
 * (bit 4 of m[]) over the ink that no remaining stroke draws, so that the
 * corners and the tip of a filled head, whose branches went as spurs, are
 * outlined with it.  m[] is left zeroed. */
static int grow_tapers(work *wk, uint8_t *m) {
  int i, k, b[4] = {0, 0, 0, 0}, hwcap = 0; /* b: unused box */
  size_t npix = (size_t)wk->w * wk->h, top = 0, j;
  double *hw = NULL;
  for (i = 0; i < wk->nc; i++) { /* what the remaining strokes draw: bit 8 */
    const chain *c = &wk->ch[i];
    if (!c->alive) continue;
    if (c->n > 0 && ft__grow((void **)&hw, &hwcap, c->n, sizeof *hw)) {
      free(hw);
      return -1;
    }
    stamp_chain(wk, c, chain_width(wk, c, hw) / 2, m, 8, b);
  }
  free(hw);
  for (j = 0; j < npix; j++)
    if (m[j] & 4) {
      m[j] |= 16; /* 16: reached */
      wk->cand[top++] = (int)j;
    }
  while (top) {
    int q = wk->cand[--top];
    wk->blob[q] = 1;
    for (k = 0; k < 8; k++) {
      int r = q + wk->off[k];
      if (r < 0 || (size_t)r >= npix || (m[r] & (8 | 16)) || !wk->ink[r]) continue;
      m[r] |= 16;
      wk->cand[top++] = r;
    }
  }
  memset(m, 0, npix);
  return 0;
}

/* Auto mode: a chain that one stroke width cannot draw - a wedge, a brush
 * stroke tapering to a point, the corners of a filled arrow head - is
 * outlined instead.  Its own ink is the union of the maximal discs of its
 * points; its stroke the pixels within half the width it would be drawn
 * with (the WIDTH_QUANTILE of its half-widths, or the fixed width) of its
 * polyline.  Ink of other chains that the stroke covers counts neither
 * way, nor do the discs of its junctions (shared by all their chains).
 * Only chains with a free end (a taper's point, a head's corner) and at
 * least a width long are judged.  When the intersection over union of its
 * ink and its stroke is below TAPER_IOU (a uniform stroke with ragged
 * edges scores 0.85 and more, a stroke tapering linearly from a width to
 * nothing about 0.65), the chain goes, its pairings undone, and its discs
 * seed the blob part (grow_tapers).  Returns 1 when a chain went, 0 when
 * none, -1 when out of memory. */
static int outline_tapers(work *wk, int *partner) {
  int i, any = 0, w = wk->w, h = wk->h, hwcap = 0;
  double *hw = NULL;
  uint8_t *m = calloc((size_t)w * h, 1); /* bits: 1 own ink, 2 drawn, 4 seed */
  if (!m) return -1;
  for (i = 0; i < wk->nc; i++) {
    chain *c = &wk->ch[i];
    int k, x, y, b[4] = {w, h, -1, -1};
    long inter = 0, uni = 0;
    double width;
    if (!c->alive || c->a < 0 || c->n < 2) continue;
    if (ft__grow((void **)&hw, &hwcap, c->n, sizeof *hw)) {
      free(hw);
      free(m);
      return -1;
    }
    width = chain_width(wk, c, hw);
    if (c->len < width || (wk->nd[c->a].deg != 1 && wk->nd[c->b].deg != 1)) continue;
    stamp_chain(wk, c, -1, m, 1, b);
    stamp_chain(wk, c, width / 2, m, 2, b);
    for (y = b[1]; y <= b[3]; y++)
      for (x = b[0]; x <= b[2]; x++) {
        size_t j = (size_t)y * w + x;
        int own = m[j] & 1, drawn = (m[j] & 2) != 0, e;
        m[j] &= (uint8_t)~3;
        if (!own && !drawn) continue;
        if (drawn && !own && wk->ink[j]) continue; /* another chain's ink */
        for (e = 0; e < 2; e++) {
          const node *N = &wk->nd[e ? c->b : c->a];
          if (N->deg >= 2 && hypot(x - N->x, y - N->y) < N->hw + 1) break;
        }
        if (e < 2) continue;
        inter += own && drawn;
        uni++;
      }
    if (uni < width * width || (double)inter / uni >= TAPER_IOU) continue;
    b[0] = w;
    b[1] = h;
    b[2] = b[3] = -1;
    stamp_chain(wk, c, -1, m, 4, b);
    for (k = 0; k < 2; k++) {
      int E = 2 * i + k;
      if (partner[E] >= 0) partner[partner[E]] = -1;
      partner[E] = -1;
    }
    kill_chain(wk, c);
    if (wk->nd[c->a].deg == 0) wk->nd[c->a].alive = 0; /* no dot left behind */
    if (wk->nd[c->b].deg == 0) wk->nd[c->b].alive = 0;
    any = 1;
  }
  free(hw);
  if (any && grow_tapers(wk, m)) any = -1;
  free(m);
  return any;
}

/* ---- 6. paths ---- */

typedef struct poly {
  cpt *p;
  int n, cap;
  double *hw; /* half-width samples */
  int nhw, hwcap;
} poly;

static int poly_push(poly *pl, cpt q) {
  if (pl->n > 0 && pl->p[pl->n - 1].x == q.x && pl->p[pl->n - 1].y == q.y) return 0;
  if (pl->n == INT32_MAX || ft__grow((void **)&pl->p, &pl->cap, pl->n + 1, sizeof q)) return -1;
  pl->p[pl->n++] = q;
  return 0;
}

static int poly_hw(poly *pl, double hw) {
  if (pl->nhw == INT32_MAX || ft__grow((void **)&pl->hw, &pl->hwcap, pl->nhw + 1, sizeof hw))
    return -1;
  pl->hw[pl->nhw++] = hw;
  return 0;
}

/* Append chain c entered at end e (its far node included, the near one too
 * when first). */
static int poly_chain(const work *wk, poly *pl, int ci, int e, int first) {
  const chain *c = &wk->ch[ci];
  int n = seq_len(c), i;
  for (i = first ? 0 : 1; i < n; i++)
    if (poly_push(pl, seq_pt(wk, c, e ? n - 1 - i : i))) return -1;
  for (i = 0; i < c->n; i++)
    if (poly_hw(pl, c->p[i].hw)) return -1;
  if (c->n == 0 && poly_hw(pl, chain_hw(wk, c))) return -1;
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Douglas-Peucker: keep[] marks the points to keep between i and j. */
static void dp(const cpt *p, int i, int j, double tol, uint8_t *keep) {
  int k, best = -1;
  double bd = tol, dx = p[j].x - p[i].x, dy = p[j].y - p[i].y, L = hypot(dx, dy);
  if (j <= i + 1) return;
  for (k = i + 1; k < j; k++) {
    double d = L > 1e-12 ? fabs((p[k].x - p[i].x) * dy - (p[k].y - p[i].y) * dx) / L
                         : hypot(p[k].x - p[i].x, p[k].y - p[i].y);
    if (d > bd) {
      bd = d;
      best = k;
    }
  }
  if (best < 0) return;
  keep[best] = 1;
  dp(p, i, best, tol, keep);
  dp(p, best, j, tol, keep);
}

/* Unit vector from p[i] to the first point at least reach away, walking
 * by step (cyclically when closed); zero when none. */
static void arm_dir(const cpt *p, int n, int closed, int i, int step, double reach, double *ux,
                    double *uy) {
  int j = i, k;
  double d = 0;
  *ux = *uy = 0;
  for (k = 1; k < n; k++) {
    j += step;
    if (closed) j = (j + n) % n;
    else if (j < 0 || j >= n) return;
    d = hypot(p[j].x - p[i].x, p[j].y - p[i].y);
    if (d >= reach) break;
  }
  if (d > 0) {
    *ux = (p[j].x - p[i].x) / d;
    *uy = (p[j].y - p[i].y) / d;
  }
}

/* Mark in corner[] the points where the path turns by more than 1
 * radian (57 degrees) between its arms to the points 0.8 widths (at
 * least 2 px) away (the skeleton rounds a thick corner over about a half
 * width), the most within that reach; such corners are not
 * smoothed away.  corner[] is zeroed first. */
static void mark_corners(const cpt *p, int n, int closed, double width, uint8_t *corner) {
  double reach = 0.8 * width > 2 ? 0.8 * width : 2, *turn;
  int i, j;
  memset(corner, 0, (size_t)n + 1);
  if (n < 3 || !(turn = malloc((size_t)n * sizeof *turn))) return;
  for (i = 0; i < n; i++) {
    double ax, ay, bx, by, c;
    turn[i] = 0;
    if (!closed && (i == 0 || i == n - 1)) continue;
    arm_dir(p, n, closed, i, -1, reach, &ax, &ay);
    arm_dir(p, n, closed, i, 1, reach, &bx, &by);
    if ((ax == 0 && ay == 0) || (bx == 0 && by == 0)) continue;
    c = -(ax * bx + ay * by);
    turn[i] = acos(c > 1 ? 1 : c < -1 ? -1 : c);
  }
  for (i = 0; i < n; i++) {
    int ok = turn[i] > 1.0, s;
    for (s = -1; ok && s <= 1; s += 2)
      for (j = i + s;; j += s) {
        int k = closed ? (j + n) % n : j;
        if (k < 0 || k >= n || k == i || hypot(p[k].x - p[i].x, p[k].y - p[i].y) > reach) break;
        if (turn[k] > turn[i] || (turn[k] == turn[i] && s < 0)) {
          ok = 0;
          break;
        }
      }
    corner[i] = (uint8_t)ok;
  }
  free(turn);
}

/* Move each corner q[i] (corner[i] set) out along the bisector of its
 * arms to half a width short of the ink's extremity there, so that the
 * round join reaches the tip of a sharp V or a star's point: thinning ends
 * the skeleton of a thick acute corner at a junction inside the vertex and
 * the short branch from it to the tip is pruned as a spur.  On a round join
 * or a curve the ink ends half a width out and nothing moves. */
static void reach_corners(const work *wk, cpt *q, int n, int closed, double width,
                          const uint8_t *corner) {
  double hw = width / 2, reach = 0.8 * width > 2 ? 0.8 * width : 2;
  int i;
  for (i = 0; i < n; i++) {
    double ax, ay, bx, by, ux, uy, ul, s, lim = 6 * hw + 3;
    if (!corner[i] || (!closed && (i == 0 || i == n - 1))) continue;
    arm_dir(q, n, closed, i, -1, reach, &ax, &ay);
    arm_dir(q, n, closed, i, 1, reach, &bx, &by);
    ux = -(ax + bx);
    uy = -(ay + by);
    ul = hypot(ux, uy);
    if (ul < 1e-6) continue;
    ux /= ul;
    uy /= ul;
    for (s = 0; s < lim && stroke_ink(wk, q[i].x + (s + 0.25) * ux, q[i].y + (s + 0.25) * uy);
         s += 0.25) {
    }
    s += 0.125 - hw; /* the edge lies about s + 1/8 out */
    if (s > 0.5) {
      q[i].x += s * ux;
      q[i].y += s * uy;
    }
  }
}

/* passes of [1 2 1]/4 over q[0..n-1], points with fixed[i] and the ends
 * of an open path kept. */
static void smooth(cpt *q, int n, int closed, int passes, const uint8_t *fixed) {
  int i, k;
  for (k = 0; k < passes; k++) {
    cpt prev = q[closed ? n - 1 : 0], first = q[0];
    for (i = 0; i < n; i++) {
      cpt c = q[i], b = i + 1 < n ? q[i + 1] : first;
      if (!fixed[i] && (closed || (i > 0 && i < n - 1))) {
        q[i].x = (prev.x + 2 * c.x + b.x) / 4;
        q[i].y = (prev.y + 2 * c.y + b.y) / 4;
      }
      prev = c;
    }
  }
}

/* Smooth, simplify and append pl to ps. */
static ft_status emit(work *wk, ft_paths *ps, poly *pl, int closed, int label) {
  ft_ctx *ctx = wk->ctx;
  cpt *q;
  uint8_t *keep;
  int n = pl->n, i, idx, passes;
  double width, tol, ox = wk->ox + 0.5, oy = wk->oy + 0.5;
  ft_path *path;
  ft_status st;
  if (closed && n > 1 && pl->p[0].x == pl->p[n - 1].x && pl->p[0].y == pl->p[n - 1].y) n--;
  if (n < 3) closed = 0;
  if (n == 0) return FT_OK;
  if (!closed && n > 1) { /* shorter than its half-width: a round blob, drawn as one dot */
    double len = 0, mhw = 0;
    int im = 0;
    for (i = 0; i < n; i++) {
      if (i > 0) len += hypot(pl->p[i].x - pl->p[i - 1].x, pl->p[i].y - pl->p[i - 1].y);
      if (pl->p[i].hw > mhw) {
        mhw = pl->p[i].hw;
        im = i;
      }
    }
    if (len < mhw) {
      pl->p[0] = pl->p[im];
      n = 1;
      pl->hw[0] = mhw;
      pl->nhw = 1;
    }
  }
  if (n == 1) { /* a dot goes to the deepest ink point near it: thinning leaves
                   the skeleton of a disc a pixel or two off its centre */
    int cx = (int)floor(pl->p[0].x + 0.5), cy = (int)floor(pl->p[0].y + 0.5);
    int r = (int)ceil(pl->hw[0] > 0 ? pl->hw[0] : 0) / 2 + 1, x, y;
    double best = -1;
    for (y = cy - r; y <= cy + r; y++)
      for (x = cx - r; x <= cx + r; x++) {
        double d;
        if (x < 0 || y < 0 || x >= wk->w || y >= wk->h) continue;
        d = wk->dist[(size_t)y * wk->w + x];
        if (d > best) {
          best = d;
          pl->p[0].x = x;
          pl->p[0].y = y;
        }
      }
    if (best - 0.5 > pl->hw[0]) pl->hw[0] = best - 0.5;
    pl->nhw = 1;
    { /* an isolated round blob: centroid and the width of a disc of its area */
      double R = pl->hw[0] + 2, sx = 0, sy = 0, area = 0;
      int rr = (int)ceil(R + 1.5), ring = 0;
      cx = (int)floor(pl->p[0].x + 0.5);
      cy = (int)floor(pl->p[0].y + 0.5);
      for (y = cy - rr; y <= cy + rr; y++)
        for (x = cx - rr; x <= cx + rr; x++) {
          double d = hypot(x - cx, y - cy);
          if (x < 0 || y < 0 || x >= wk->w || y >= wk->h || !wk->ink[(size_t)y * wk->w + x] ||
              d > R + 1.5)
            continue;
          if (d > R) {
            ring = 1;
          } else {
            sx += x;
            sy += y;
            area += 1;
          }
        }
      if (!ring && area > 0) {
        pl->p[0].x = sx / area;
        pl->p[0].y = sy / area;
        pl->hw[0] = sqrt(area / 3.14159265358979);
      }
    }
  }
  q = ft__malloc_n((size_t)n + 1, sizeof *q);
  keep = ft__calloc_n((size_t)n + 1, 1);
  if (!q || !keep) {
    free(q);
    free(keep);
    return ft__nomem(ctx, "trace");
  }
  if (wk->par->stroke_width > 0) {
    width = wk->par->stroke_width;
  } else if (pl->nhw > 0) {
    qsort(pl->hw, (size_t)pl->nhw, sizeof *pl->hw, cmp_double);
    width = 2 * pl->hw[(int)(pl->nhw * WIDTH_QUANTILE)];
  } else {
    width = 1.0;
  }
  if (width < 1.0 && !(wk->par->stroke_width > 0)) width = 1.0;
  /* [1 2 1]/4 passes: a Gaussian of sigma sqrt(passes / 2) point spacings,
   * a half-width but at most 3 px (the jitter of a centre line traced from
   * a ragged edge is a pixel or two; a stroke shows no finer detail than
   * its width).  Corners and the ends of open paths stay fixed. */
  {
    double sig = width / 2 < SMOOTH_MAX ? width / 2 : SMOOTH_MAX;
    passes = (int)(2 * sig * sig + 0.5);
    if (passes < 1) passes = 1;
  }
  /* corners found on a fully smoothed copy (no jitter), kept on the path */
  memcpy(q, pl->p, (size_t)n * sizeof *q);
  memset(keep, 0, (size_t)n + 1);
  smooth(q, n, closed, passes, keep);
  mark_corners(q, n, closed, width, keep);
  memcpy(q, pl->p, (size_t)n * sizeof *q);
  smooth(q, n, closed, passes, keep);
  reach_corners(wk, q, n, closed, width, keep);
  /* a stroke's visible error is relative to its width: simplify is the
   * tolerance for a 10 px stroke and scales with the width (a 0.5 px shift
   * of a 4 px pencil line moves a whole pixel column in or out of it) */
  tol = wk->par->simplify * width / 10;
  if (tol < wk->par->simplify / 5) tol = wk->par->simplify / 5;
  if (closed) { /* split at the point farthest from the first */
    int far = 0;
    double fd = -1;
    for (i = 1; i < n; i++) {
      double d = hypot(q[i].x - q[0].x, q[i].y - q[0].y);
      if (d > fd) {
        fd = d;
        far = i;
      }
    }
    q[n] = q[0];
    keep[0] = keep[far] = keep[n] = 1;
    dp(q, 0, far, tol, keep);
    dp(q, far, n, tol, keep);
  } else {
    keep[0] = keep[n - 1] = 1;
    dp(q, 0, n - 1, tol, keep);
  }
  for (i = 0; i < n; i++) { /* to image coordinates, inside the image */
    q[i].x += ox;
    q[i].y += oy;
    q[i].x = q[i].x < 0 ? 0 : q[i].x > wk->img_w ? wk->img_w : q[i].x;
    q[i].y = q[i].y < 0 ? 0 : q[i].y > wk->img_h ? wk->img_h : q[i].y;
  }
  if ((st = ft_paths_add(ctx, ps, n == 1 ? q[0].x - 0.25 : q[0].x, q[0].y, &idx))) goto done;
  path = &ps->path[idx];
  path->closed = closed;
  path->label = label;
  path->class_id = FT_CLASS_STROKE;
  path->stroke_width = width;
  if (n == 1) { /* a dot: half a pixel across, as writers drop zero-length segments */
    st = ft_path_line_to(ctx, path, q[0].x + 0.25, q[0].y);
    goto done;
  }
  for (i = 1; i < (closed ? n : n - 1); i++)
    if (keep[i] && (st = ft_path_line_to(ctx, path, q[i].x, q[i].y))) goto done;
  if (closed)
    st = ft_path_line_to(ctx, path, q[0].x, q[0].y);
  else
    st = ft_path_line_to(ctx, path, q[n - 1].x, q[n - 1].y);
done:
  free(q);
  free(keep);
  return st;
}

static ft_status make_paths(work *wk, ft_paths *ps, const int *partner, int label) {
  uint8_t *used = ft__calloc_n((size_t)wk->nc + 1, 1);
  poly pl;
  int i, pass;
  ft_status st = FT_OK;
  memset(&pl, 0, sizeof pl);
  if (!used) return ft__nomem(wk->ctx, "trace");
  /* open paths from unpaired ends, then cycles */
  for (pass = 0; pass < 2; pass++)
    for (i = 0; i < 2 * wk->nc; i++) {
      int ci = i / 2, e = i & 1, first = 1, closed = 0;
      if (!wk->ch[ci].alive || used[ci] || wk->ch[ci].a < 0) continue;
      if (pass == 0 && partner[i] >= 0) continue;
      pl.n = pl.nhw = 0;
      for (;;) {
        int nxt;
        used[ci] = 1;
        if (poly_chain(wk, &pl, ci, e, first)) goto nomem;
        first = 0;
        nxt = partner[2 * ci + (1 - e)];
        if (nxt < 0) break;
        if (nxt == i) {
          closed = 1;
          break;
        }
        if (used[nxt / 2]) break;
        ci = nxt / 2;
        e = nxt & 1;
      }
      if ((st = emit(wk, ps, &pl, closed, label))) goto done;
    }
  for (i = 0; i < wk->nc; i++) { /* rings without nodes */
    chain *c = &wk->ch[i];
    if (!c->alive || c->a >= 0) continue;
    pl.n = pl.nhw = 0;
    if (poly_chain(wk, &pl, i, 0, 1)) goto nomem;
    if ((st = emit(wk, ps, &pl, 1, label))) goto done;
  }
  for (i = 0; i < wk->nn; i++) { /* isolated dots */
    node *N = &wk->nd[i];
    cpt d;
    if (!N->alive || N->deg != 0) continue;
    d.x = N->x;
    d.y = N->y;
    d.hw = N->hw;
    pl.n = pl.nhw = 0;
    if (poly_push(&pl, d) || poly_hw(&pl, N->hw)) goto nomem;
    if ((st = emit(wk, ps, &pl, 0, label))) goto done;
  }
  goto done;
nomem:
  st = ft__nomem(wk->ctx, "trace");
done:
  free(pl.p);
  free(pl.hw);
  free(used);
  return st;
}

/* ---- driver ---- */

static void reset_graph(work *wk) {
  int i;
  for (i = 0; i < wk->nc; i++) free(wk->ch[i].p);
  wk->nc = 0;
  wk->nn = 0;
}

/* Trace label L in box [x0,x1] x [y0,y1]; blob pixels go into blobmap. */
static ft_status trace_label(work *wk, const ft_labels *in, int32_t L, int x0, int y0, int x1,
                             int y1, ft_paths *ps, int32_t *blobmap, int *any_blob) {
  int w = x1 - x0 + 3, h = y1 - y0 + 3, x, y, i, *partner = NULL;
  size_t npix;
  ft_status st = FT_OK;
  if (ft__mul_overflow((size_t)w, (size_t)h, &npix))
    return ft__fail(wk->ctx, FT_ERR_TOOBIG, "trace: label %d too large", (int)L);
  wk->w = w;
  wk->h = h;
  wk->ox = x0 - 1;
  wk->oy = y0 - 1;
  for (i = 0; i < 8; i++) wk->off[i] = nb_dx[i] + nb_dy[i] * w;
  wk->ink = calloc(npix, 1);
  wk->sk = malloc(npix);
  wk->blob = in && blobmap ? calloc(npix, 1) : NULL;
  wk->dist = ft__malloc_n(npix, sizeof *wk->dist);
  wk->nid = ft__malloc_n(npix, sizeof *wk->nid);
  wk->vis = malloc(npix);
  wk->cand = ft__malloc_n(npix, sizeof *wk->cand);
  if (!wk->ink || !wk->sk || (blobmap && !wk->blob) || !wk->dist || !wk->nid || !wk->vis ||
      !wk->cand)
    goto nomem;
  for (y = y0; y <= y1; y++)
    for (x = x0; x <= x1; x++)
      wk->ink[(size_t)(y - y0 + 1) * w + (x - x0 + 1)] =
          ft_labels_get(in, (size_t)y * in->width + x) == L;
  if (distance(wk) || fill_pinholes(wk) < 0) goto nomem;
  thin(wk);
  if (blobmap && find_blobs(wk) < 0) goto nomem;
  if (make_nodes(wk) || make_chains(wk)) goto nomem;
  for (i = 0; i < wk->nc; i++) {
    chain *c = &wk->ch[i];
    if (!c->alive) continue;
    if (c->a >= 0 && c->a == c->b && c->n < 3) { /* a thinning artefact loop */
      c->alive = 0;
      continue;
    }
    if (c->a >= 0) {
      wk->nd[c->a].deg++;
      wk->nd[c->b].deg++;
    }
    refine(wk, c);
    chain_length(wk, c);
  }
  if (prune(wk)) goto nomem;
  merge_junctions(wk);
  partner = ft__malloc_n(2 * (size_t)wk->nc + 1, sizeof *partner);
  if (!partner || junctions(wk, partner)) goto nomem;
  for (i = 0; i < wk->nc; i++)
    if (wk->ch[i].alive) chain_length(wk, &wk->ch[i]);
  extend_ends(wk);
  if (blobmap) {
    int r = outline_tapers(wk, partner), any = 0;
    if (r < 0) goto nomem;
    for (y = 1; y < h - 1; y++)
      for (x = 1; x < w - 1; x++)
        if (wk->blob[(size_t)y * w + x]) {
          blobmap[(size_t)(y + wk->oy) * in->width + (x + wk->ox)] = L;
          any = 1;
        }
    if (any) *any_blob = 1;
  }
  st = make_paths(wk, ps, partner, L);
  goto done;
nomem:
  st = ft__nomem(wk->ctx, "trace");
done:
  free(partner);
  reset_graph(wk);
  free(wk->ink);
  free(wk->sk);
  free(wk->blob);
  free(wk->dist);
  free(wk->nid);
  free(wk->vis);
  free(wk->cand);
  wk->ink = wk->sk = wk->blob = wk->vis = NULL;
  wk->dist = NULL;
  wk->nid = wk->cand = NULL;
  return st;
}

ft_status ft__trace_centerline(ft_ctx *ctx, const ft_labels *in, const ft_trace_params *p,
                               ft_paths **out) {
  work wk;
  ft_paths *ps = NULL, *outl = NULL;
  ft_labels *blobs = NULL;
  int *box = NULL, n, i, any_blob = 0, auto_mode = p->mode == FT_TRACE_AUTO;
  size_t npix;
  ft_status st;

  *out = NULL;
  if (!in || (!in->label && !in->label8) || in->width < 1 || in->height < 1 ||
      in->nlabels < 1 || in->width > FT_MAX_DIMENSION || in->height > FT_MAX_DIMENSION)
    return ft__fail(ctx, FT_ERR_INVAL, "trace: invalid label map");
  if (!(p->stroke_width >= 0) || !(p->stroke_width < 1e6))
    return ft__fail(ctx, FT_ERR_INVAL, "trace: stroke_width %g out of range", p->stroke_width);
  if (!(p->spur_ratio >= 0) || !(p->spur_ratio < 1e6))
    return ft__fail(ctx, FT_ERR_INVAL, "trace: spur_ratio %g out of range", p->spur_ratio);
  if (!(p->blob_ratio > 1) || !(p->blob_ratio < 1e6))
    return ft__fail(ctx, FT_ERR_INVAL, "trace: blob_ratio %g out of range (> 1)", p->blob_ratio);
  if (!(p->simplify >= 0) || !(p->simplify < 1e6))
    return ft__fail(ctx, FT_ERR_INVAL, "trace: simplify %g out of range", p->simplify);
  if (ft__mul_overflow((size_t)in->width, (size_t)in->height, &npix))
    return ft__fail(ctx, FT_ERR_TOOBIG, "trace: %dx%d is too large", in->width, in->height);

  memset(&wk, 0, sizeof wk);
  wk.ctx = ctx;
  wk.par = p;
  wk.img_w = in->width;
  wk.img_h = in->height;
  build_simple(wk.simple);
  n = in->nlabels;
  /* bounding box of every label: x0, y0, x1, y1 */
  box = ft__malloc_n((size_t)n, 4 * sizeof *box);
  if (!box) return ft__nomem(ctx, "trace");
  for (i = 0; i < n; i++) {
    box[4 * i] = box[4 * i + 1] = INT32_MAX;
    box[4 * i + 2] = box[4 * i + 3] = -1;
  }
  for (i = 0; (size_t)i < npix; i++) {
    int32_t L = ft_labels_get(in, (size_t)i);
    int x = i % in->width, y = i / in->width;
    if (L < 0 || L >= n) {
      free(box);
      return ft__fail(ctx, FT_ERR_INVAL, "trace: label %d at (%d,%d) outside 0..%d", (int)L, x,
                      y, n - 1);
    }
    if (x < box[4 * L]) box[4 * L] = x;
    if (y < box[4 * L + 1]) box[4 * L + 1] = y;
    if (x > box[4 * L + 2]) box[4 * L + 2] = x;
    if (y > box[4 * L + 3]) box[4 * L + 3] = y;
  }
  if (auto_mode && (st = ft_labels_new(ctx, in->width, in->height, n, &blobs))) goto fail;
  if (blobs && in->info) memcpy(blobs->info, in->info, (size_t)n * sizeof *blobs->info);
  if (blobs) {
    blobs->pixel_w = in->pixel_w;
    blobs->pixel_h = in->pixel_h;
  }
  if ((st = ft_paths_new(ctx, in->width, in->height, &ps))) goto fail;
  ps->pixel_w = in->pixel_w;
  ps->pixel_h = in->pixel_h;
  if (in->info && (st = ft_paths_set_info(ctx, ps, in->info, n))) goto fail;

  for (i = 1; i < n; i++) {
    if (box[4 * i + 2] < 0) continue;
    if ((st = trace_label(&wk, in, i, box[4 * i], box[4 * i + 1], box[4 * i + 2],
                          box[4 * i + 3], ps, blobs ? blobs->label : NULL, &any_blob)))
      goto fail;
    if ((st = ft__progress(ctx, 0.9 * i / n))) goto fail;
  }

  if (any_blob) { /* outlines first, then the strokes after them */
    ft_trace_params op;
    int k, base;
    ft_trace_params_init(&op);
    if ((st = ft_trace(ctx, blobs, &op, &outl))) goto fail;
    base = outl->npaths;
    for (k = 0; k < ps->npaths; k++) {
      int idx;
      ft_path *d;
      if ((st = ft_paths_add(ctx, outl, 0, 0, &idx))) goto fail;
      d = &outl->path[idx];
      *d = ps->path[k];
      ps->path[k].seg = NULL; /* moved */
      ps->path[k].nseg = ps->path[k].cap = 0;
      if (d->parent >= 0) d->parent += base;
    }
    ft_paths_free(ps);
    ps = outl;
    outl = NULL;
  }
  if ((st = ft__progress(ctx, 1.0))) goto fail;
  free(box);
  ft_labels_free(blobs);
  free(wk.nd);
  free(wk.ch);
  *out = ps;
  return FT_OK;
fail:
  free(box);
  ft_labels_free(blobs);
  ft_paths_free(ps);
  ft_paths_free(outl);
  free(wk.nd);
  free(wk.ch);
  return st;
}
