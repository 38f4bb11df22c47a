/* src/segment/instances.c - object instances from a U-Net's three-class output.
 *
 * The network predicts, per pixel, the probabilities of background, object
 * interior and object boundary (the boundary class marks the rim of every
 * object, so two touching objects are separated by a band of boundary
 * pixels).  Instances follow the marker-controlled watershed (Beucher and
 * Meyer, "The morphological approach to segmentation: the watershed
 * transformation", 1993) computed by priority flooding (Meyer, "Un
 * algorithme optimal de ligne de partage des eaux", 1991):
 *   1. markers: 4-connected components of confident interior pixels;
 *   2. flooding: markers grow into the foreground mask in order of decreasing
 *      interior probability, using a hierarchical queue of 256 levels (FIFO
 *      inside a level, so the result is deterministic); a pixel takes the
 *      label of the neighbour that reached it first, and a pixel of higher
 *      level than the current one is processed at the current level, which
 *      keeps the flooding monotone;
 *   3. foreground pieces no marker reached become instances of their own;
 *   4. instances whose highest interior probability stays below min_peak
 *      (the network unsure of them), and fragments below a minimum area,
 *      are dropped;
 *   5. background holes enclosed by a single instance are filled unless they
 *      are large relative to it (a real hole);
 *   6. optionally (neck_split > 0), an instance without a real hole whose
 *      Euclidean distance-to-edge map
 *      (its pixels next to another label or the background are its edge)
 *      has several separate cores above a fraction of its maximum is two or
 *      more objects joined by a neck: it is flooded again from those cores in
 *      order of decreasing distance, the classical distance-transform
 *      watershed, applied here only where the network left one object.
 * Memory: 14 bytes per pixel, 27 during the neck split.  Time: linear in
 * the pixels.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "segment/nn_internal.h"

static const ft_instance_params defaults = {
    .seed_threshold = 0.5,
    .fg_threshold = 0.5,
    .min_peak = 0,
    .min_area = 30,
    .hole_fraction = 0.25,
    .neck_split = 0,
};

void ft_instance_params_init(ft_instance_params *p) { *p = defaults; }

void ft__labels_mean_colors(ft_labels *lab, const ft_image *img) {
  size_t n = (size_t)lab->width * lab->height, i;
  double *sum;
  int l, c;
  ft_labels_count(lab);
  for (l = 0; l < lab->nlabels; l++)
    for (c = 0; c < 3; c++) lab->info[l].color[c] = l ? 0.5f : 1.0f;
  if (!img || img->width != lab->width || img->height != lab->height) return;
  sum = calloc((size_t)lab->nlabels * 3, sizeof *sum);
  if (!sum) return; /* colours stay the defaults; areas are already right */
  for (i = 0; i < n; i++) {
    const float *px = img->data + i * img->channels;
    double *s = sum + (size_t)lab->label[i] * 3;
    if (img->channels >= 3) {
      s[0] += px[0];
      s[1] += px[1];
      s[2] += px[2];
    } else {
      s[0] += px[0];
      s[1] += px[0];
      s[2] += px[0];
    }
  }
  for (l = 0; l < lab->nlabels; l++)
    if (lab->info[l].area > 0)
      for (c = 0; c < 3; c++)
        lab->info[l].color[c] = (float)(sum[(size_t)l * 3 + c] / (double)lab->info[l].area);
  free(sum);
}

static ft_status check_params(ft_ctx *ctx, const ft_instance_params *p) {
  if (!(p->seed_threshold >= 0 && p->seed_threshold <= 1))
    return ft__fail(ctx, FT_ERR_INVAL, "instances: seed_threshold=%g out of range 0..1",
                    p->seed_threshold);
  if (!(p->fg_threshold >= 0 && p->fg_threshold <= 1))
    return ft__fail(ctx, FT_ERR_INVAL, "instances: fg_threshold=%g out of range 0..1",
                    p->fg_threshold);
  if (!(p->min_peak >= 0 && p->min_peak <= 1))
    return ft__fail(ctx, FT_ERR_INVAL, "instances: min_peak=%g out of range 0..1", p->min_peak);
  if (p->min_area < 0 || p->min_area > 1000000000)
    return ft__fail(ctx, FT_ERR_INVAL, "instances: min_area=%d out of range 0..1000000000",
                    p->min_area);
  if (!(p->hole_fraction >= 0 && p->hole_fraction <= 1))
    return ft__fail(ctx, FT_ERR_INVAL, "instances: hole_fraction=%g out of range 0..1",
                    p->hole_fraction);
  if (!(p->neck_split == 0 || (p->neck_split >= 0.5 && p->neck_split <= 0.99)))
    return ft__fail(ctx, FT_ERR_INVAL, "instances: neck_split=%g is not 0 (off) or 0.5..0.99",
                    p->neck_split);
  return FT_OK;
}

/* Working state: w x h pixels, indices as uint32. */
typedef struct work {
  int w, h;
  uint32_t n;
  int32_t *lab;    /* [n] current label, 0 none */
  uint32_t *link;  /* [n] next pixel in a queue bucket, or BFS queue storage */
  uint8_t *level;  /* [n] interior probability quantised to 0..255 */
  uint8_t *fg;     /* [n] 1 foreground */
  const int32_t *region; /* [n] or NULL: a pixel may only take a label from a
                            neighbour of the same region (the neck split) */
} work;

/* The 4-neighbours of pixel i: writes up to 4 indices into nb, returns count. */
static int neighbours4(const work *W, uint32_t i, uint32_t *nb) {
  int x = (int)(i % (uint32_t)W->w), y = (int)(i / (uint32_t)W->w), k = 0;
  if (y > 0) nb[k++] = i - (uint32_t)W->w;
  if (x > 0) nb[k++] = i - 1;
  if (x + 1 < W->w) nb[k++] = i + 1;
  if (y + 1 < W->h) nb[k++] = i + (uint32_t)W->w;
  return k;
}

/* Label every 4-connected component of pixels with mask[i] set and lab 0,
 * starting at label *next; *next is advanced.  Uses W->link as the queue. */
static void components(work *W, const uint8_t *mask, int32_t *next) {
  uint32_t i, head, tail, nb[4];
  int k, m;
  for (i = 0; i < W->n; i++) {
    if (!mask[i] || W->lab[i]) continue;
    head = tail = 0;
    W->lab[i] = *next;
    W->link[tail++] = i;
    while (head < tail) {
      uint32_t p = W->link[head++];
      m = neighbours4(W, p, nb);
      for (k = 0; k < m; k++)
        if (mask[nb[k]] && !W->lab[nb[k]]) {
          W->lab[nb[k]] = *next;
          W->link[tail++] = nb[k];
        }
    }
    (*next)++;
  }
}

/* Whether unlabelled pixel q may take the label of its neighbour p: q is
 * foreground and, during the neck split, of p's region. */
static inline int may_take(const work *W, uint32_t q, uint32_t p) {
  return W->fg[q] && !W->lab[q] && (!W->region || W->region[q] == W->region[p]);
}

/* Step 2: priority flood from the labelled markers into the foreground. */
static void flood(work *W) {
  uint32_t head[256], tail[256], i, nb[4];
  const uint32_t none = UINT32_MAX;
  int cur, k, m;
  for (k = 0; k < 256; k++) head[k] = tail[k] = none;
#define PUSH(px, lv)                    \
  do {                                  \
    uint32_t p_ = (px);                 \
    int l_ = (lv);                      \
    W->link[p_] = none;                 \
    if (tail[l_] == none)               \
      head[l_] = p_;                    \
    else                                \
      W->link[tail[l_]] = p_;           \
    tail[l_] = p_;                      \
  } while (0)
  /* Every marker pixel with an unlabelled foreground neighbour enters the
   * queue at its own level.  (Claiming the neighbours here, in raster
   * order, would let each claimed pixel claim the next one in the same scan:
   * the first marker in raster order would take the object's pixels up to
   * the next marker, whatever their levels.) */
  for (i = 0; i < W->n; i++) {
    if (!W->lab[i]) continue;
    m = neighbours4(W, i, nb);
    for (k = 0; k < m; k++)
      if (may_take(W, nb[k], i)) {
        PUSH(i, W->level[i]);
        break;
      }
  }
  for (cur = 255; cur >= 0;) {
    uint32_t p = head[cur];
    if (p == none) {
      cur--;
      continue;
    }
    head[cur] = W->link[p];
    if (head[cur] == none) tail[cur] = none;
    m = neighbours4(W, p, nb);
    for (k = 0; k < m; k++)
      if (may_take(W, nb[k], p)) {
        int lv = W->level[nb[k]];
        W->lab[nb[k]] = W->lab[p];
        PUSH(nb[k], lv > cur ? cur : lv);
      }
  }
#undef PUSH
}

/* Step 6: cut instances at their necks (file comment).  Cores are
 * the 4-connected components of pixels at least p->neck_split times their
 * instance's largest distance from its edge (instances whose largest
 * distance is 2 px or less are left whole); cores under 4 pixels do not
 * count.  An instance with two or more cores is flooded again from them in
 * order of decreasing distance, confined to its own pixels; it stays whole
 * when a part would fall below min_area.  Instances with a real hole
 * (holed[label]) are left whole. */
static ft_status split_necks(ft_ctx *ctx, work *W, int32_t *next, const ft_instance_params *p,
                             const uint8_t *holed) {
  const int min_core = 4;
  struct core {
    int32_t owner; /* the instance the core lies in */
    int64_t size;  /* its pixels */
  } *cores = NULL;
  uint8_t *inside = NULL;
  float *d = NULL, *dmax = NULL;
  int32_t *core = NULL, *region = NULL, *ncores = NULL, ncore = 0, l;
  int64_t *parea = NULL;
  int cap = 0, k, m, any = 0;
  uint32_t i, nb[4];
  ft_status st = FT_OK;

  if (p->neck_split <= 0 || *next <= 1) return FT_OK;
  inside = ft__malloc_n(W->n, 1);
  d = ft__malloc_n(W->n, sizeof *d);
  core = ft__calloc_n(W->n, sizeof *core);
  dmax = ft__calloc_n((size_t)*next, sizeof *dmax);
  ncores = ft__calloc_n((size_t)*next, sizeof *ncores);
  if (!inside || !d || !core || !dmax || !ncores) goto nomem;
  for (i = 0; i < W->n; i++) {
    l = W->lab[i];
    inside[i] = l != 0;
    if (l) {
      m = neighbours4(W, i, nb);
      for (k = 0; k < m; k++)
        if (W->lab[nb[k]] != l) inside[i] = 0;
    }
  }
  if ((st = ft__edt(ctx, inside, W->w, W->h, d))) goto done;
  for (i = 0; i < W->n; i++)
    if (W->lab[i] && d[i] > dmax[W->lab[i]]) dmax[W->lab[i]] = d[i];
  for (i = 0; i < W->n; i++) {
    l = W->lab[i];
    inside[i] = l && !holed[l] && dmax[l] > 2 && d[i] >= (float)p->neck_split * dmax[l];
  }
  /* cores: components of inside[] (they never touch another label's core:
   * an instance's edge pixels are at distance 0) */
  for (i = 0; i < W->n; i++) {
    uint32_t head = 0, tail = 0;
    if (!inside[i] || core[i]) continue;
    if (ft__grow((void **)&cores, &cap, ncore + 2, sizeof *cores)) goto nomem;
    ncore++;
    cores[ncore].owner = W->lab[i];
    core[i] = ncore;
    W->link[tail++] = i;
    while (head < tail) {
      uint32_t q = W->link[head++];
      m = neighbours4(W, q, nb);
      for (k = 0; k < m; k++)
        if (inside[nb[k]] && !core[nb[k]]) {
          core[nb[k]] = ncore;
          W->link[tail++] = nb[k];
        }
    }
    cores[ncore].size = tail;
    if (tail >= (uint32_t)min_core && ++ncores[cores[ncore].owner] == 2) any = 1;
  }
  if (!any || *next > INT32_MAX - ncore) goto done;
  /* flood the split instances again from their cores */
  region = ft__malloc_n(W->n, sizeof *region);
  parea = ft__calloc_n((size_t)ncore + 1, sizeof *parea);
  if (!region || !parea) goto nomem;
  memcpy(region, W->lab, (size_t)W->n * sizeof *region);
  for (i = 0; i < W->n; i++) {
    l = region[i];
    W->fg[i] = l && ncores[l] >= 2;
    if (!W->fg[i]) continue;
    W->lab[i] = core[i] && cores[core[i]].size >= min_core ? *next + core[i] - 1 : 0;
    W->level[i] = (uint8_t)(d[i] >= dmax[l] ? 255 : (int)(d[i] / dmax[l] * 255.0f));
  }
  W->region = region;
  flood(W);
  W->region = NULL;
  /* keep a cut only when every part keeps min_area pixels */
  for (i = 0; i < W->n; i++)
    if (W->fg[i]) {
      if (!W->lab[i])
        ncores[region[i]] = -1; /* not reached: leave the instance whole */
      else
        parea[W->lab[i] - *next + 1]++;
    }
  for (k = 1; k <= ncore; k++)
    if (cores[k].size >= min_core && parea[k] < p->min_area && ncores[cores[k].owner] >= 2)
      ncores[cores[k].owner] = -1;
  for (i = 0; i < W->n; i++)
    if (W->fg[i] && ncores[region[i]] < 0) W->lab[i] = region[i];
  *next += ncore;
  goto done;
nomem:
  st = ft__nomem(ctx, "instances");
done:
  free(inside);
  free(d);
  free(core);
  free(dmax);
  free(ncores);
  free(cores);
  free(region);
  free(parea);
  return st;
}

/* Step 5: fill holes.  Background components not touching the border whose
 * only neighbouring label is one instance L are filled when small. */
static ft_status fill_holes(ft_ctx *ctx, work *W, const int64_t *area, int min_area,
                            double fraction, uint8_t *holed) {
  uint8_t *seen = calloc(W->n, 1);
  uint32_t i, head, tail, nb[4];
  int k, m;
  if (!seen) return ft__nomem(ctx, "instances");
  for (i = 0; i < W->n; i++) {
    int32_t only = 0;
    int border = 0, several = 0;
    if (W->lab[i] || seen[i]) continue;
    head = tail = 0;
    seen[i] = 1;
    W->link[tail++] = i;
    while (head < tail) {
      uint32_t p = W->link[head++];
      int x = (int)(p % (uint32_t)W->w), y = (int)(p / (uint32_t)W->w);
      if (x == 0 || y == 0 || x == W->w - 1 || y == W->h - 1) border = 1;
      m = neighbours4(W, p, nb);
      for (k = 0; k < m; k++) {
        int32_t l = W->lab[nb[k]];
        if (l) {
          if (!only)
            only = l;
          else if (l != only)
            several = 1;
        } else if (!seen[nb[k]]) {
          seen[nb[k]] = 1;
          W->link[tail++] = nb[k];
        }
      }
    }
    if (border || several || !only) continue;
    if ((double)tail < fraction * (double)area[only] || tail < (uint32_t)min_area) {
      uint32_t j;
      for (j = 0; j < tail; j++) W->lab[W->link[j]] = only;
    } else {
      holed[only] = 1;
    }
  }
  free(seen);
  return FT_OK;
}

ft_status ft_split_instances(ft_ctx *ctx, const ft_tensor *prob, const ft_image *colour,
                             const ft_instance_params *p, ft_labels **out) {
  return ft__split_instances_marked(ctx, prob, colour, p, NULL, out);
}

ft_status ft__split_instances_marked(ft_ctx *ctx, const ft_tensor *prob, const ft_image *colour,
                                     const ft_instance_params *p, const int32_t *markers,
                                     ft_labels **out) {
  work W;
  ft_instance_params defs;
  ft_labels *lab = NULL;
  uint8_t *seedmask = NULL;
  int64_t *area = NULL;
  uint8_t *holed = NULL;
  int32_t *map = NULL, next = 1, nl, l;
  size_t n;
  uint32_t i;
  const float *pi, *pr;
  ft_status st;

  memset(&W, 0, sizeof W);
  if (!out) return ft__fail(ctx, FT_ERR_INVAL, "instances: no output pointer");
  *out = NULL;
  if (!p) {
    ft_instance_params_init(&defs);
    p = &defs;
  }
  if ((st = check_params(ctx, p))) return st;
  if (!prob || !prob->data || prob->n != 1 || prob->c != 3 || prob->w < 1 || prob->h < 1)
    return ft__fail(ctx, FT_ERR_INVAL,
                    "instances: expected a 1 x 3 x H x W probability map (background, "
                    "interior, boundary)");
  if (colour && (colour->width != prob->w || colour->height != prob->h))
    return ft__fail(ctx, FT_ERR_INVAL, "instances: colour image is %dx%d, the map %dx%d",
                    colour->width, colour->height, prob->w, prob->h);
  if (ft__mul_overflow((size_t)prob->w, (size_t)prob->h, &n) || n >= UINT32_MAX)
    return ft__fail(ctx, FT_ERR_TOOBIG, "instances: %dx%d map is too large", prob->w, prob->h);
  W.w = prob->w;
  W.h = prob->h;
  W.n = (uint32_t)n;
  W.lab = ft__calloc_n(n, sizeof *W.lab);
  W.link = ft__malloc_n(n, sizeof *W.link);
  W.level = ft__malloc_n(n, 1);
  W.fg = ft__malloc_n(n, 1);
  seedmask = ft__malloc_n(n, 1);
  if (!W.lab || !W.link || !W.level || !W.fg || !seedmask) {
    st = ft__nomem(ctx, "instances");
    goto fail;
  }
  pi = prob->data + n;
  pr = pi + n;
  for (i = 0; i < W.n; i++) {
    float v = pi[i];
    W.fg[i] = (double)pi[i] + (double)pr[i] > p->fg_threshold;
    seedmask[i] = W.fg[i] && (double)v > p->seed_threshold;
    W.level[i] = (uint8_t)(v <= 0 ? 0 : v >= 1 ? 255 : (int)(v * 255.0f + 0.5f));
  }
  /* 1. markers: given ones (restricted to the foreground), or seed components */
  if (markers) {
    int32_t mx = 0;
    for (i = 0; i < W.n; i++)
      if (W.fg[i] && markers[i] > 0) {
        W.lab[i] = markers[i];
        if (markers[i] > mx) mx = markers[i];
      }
    if (mx == INT32_MAX) {
      st = ft__fail(ctx, FT_ERR_INVAL, "instances: marker label too large");
      goto fail;
    }
    next = mx + 1;
  } else {
    components(&W, seedmask, &next);
  }
  if ((st = ft__progress(ctx, 0.3))) goto fail;
  /* 2. flooding */
  flood(&W);
  if ((st = ft__progress(ctx, 0.6))) goto fail;
  /* 3. seedless foreground pieces */
  components(&W, W.fg, &next);
  /* 4. drop unsure instances and fragments */
  area = calloc((size_t)next, sizeof *area);
  holed = calloc((size_t)next, 1);
  if (!area || !holed) {
    st = ft__nomem(ctx, "instances");
    goto fail;
  }
  if (p->min_peak > 0) {
    float *peak = ft__calloc_n((size_t)next, sizeof *peak);
    if (!peak) {
      st = ft__nomem(ctx, "instances");
      goto fail;
    }
    for (i = 0; i < W.n; i++)
      if (W.lab[i] && pi[i] > peak[W.lab[i]]) peak[W.lab[i]] = pi[i];
    for (i = 0; i < W.n; i++)
      if (W.lab[i] && (double)peak[W.lab[i]] < p->min_peak) W.lab[i] = 0;
    free(peak);
  }
  for (i = 0; i < W.n; i++) area[W.lab[i]]++;
  for (i = 0; i < W.n; i++)
    if (W.lab[i] && area[W.lab[i]] < p->min_area) W.lab[i] = 0;
  for (l = 1; l < next; l++)
    if (area[l] < p->min_area) area[l] = 0;
  /* 5. holes */
  if ((st = fill_holes(ctx, &W, area, p->min_area, p->hole_fraction, holed))) goto fail;
  /* 6. instances with a neck cut there */
  if ((st = split_necks(ctx, &W, &next, p, holed))) goto fail;
  if (!(map = calloc((size_t)next, sizeof *map))) {
    st = ft__nomem(ctx, "instances");
    goto fail;
  }
  if ((st = ft__progress(ctx, 0.9))) goto fail;
  /* Renumber in raster order of first pixels. */
  nl = 1;
  for (i = 0; i < W.n; i++) {
    int32_t v = W.lab[i];
    if (v && !map[v]) map[v] = nl++;
  }
  if ((st = ft_labels_new(ctx, W.w, W.h, nl, &lab))) goto fail;
  for (i = 0; i < W.n; i++) lab->label[i] = W.lab[i] ? map[W.lab[i]] : 0;
  for (l = 1; l < nl; l++) lab->info[l].class_id = FT_CLASS_NUCLEUS;
  ft__labels_mean_colors(lab, colour);
  if ((st = ft__progress(ctx, 1.0))) goto fail;
  *out = lab;
  lab = NULL;
fail:
  ft_labels_free(lab);
  free(W.lab);
  free(W.link);
  free(W.level);
  free(W.fg);
  free(seedmask);
  free(area);
  free(holed);
  free(map);
  return st;
}
