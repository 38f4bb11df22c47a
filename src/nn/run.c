/* src/nn/run.c - the U-Net forward pass, tiled and threaded.
 *
 * Network (Ronneberger, Fischer and Brox, "U-Net", MICCAI 2015, with padded
 * convolutions): at each level l < depth two 3x3 conv + ReLU with C(l) =
 * base << l channels, then a 2x2 max-pool; a middle block at level depth;
 * then per level, from the bottom up, an up-sampling to C(l) channels, the
 * concatenation [skip(l), up] and two 3x3 conv + ReLU; finally a 1x1 conv to
 * the classes and softmax (or sigmoid for one class).
 *
 * Memory is planned once per tile size (plan_tile): two ping-pong buffers of
 * base*H*W floats, one concatenation buffer per level that the encoder's
 * second conv and the up-sampling write into directly (so concatenation costs
 * nothing), the tile's input and output, and the im2col scratch.
 *
 * Tiling: the image is padded to a multiple of 2^depth (edge pixels repeated)
 * and covered by n equal tiles per axis whose origins are multiples of 2^depth,
 * so the pooling grid is the same as for the whole image.  Neighbouring tiles
 * overlap by 2*margin; each output pixel is taken from the tile where it lies
 * at least margin from any cut edge (tile edges on the image border are the
 * image's own border, where the whole-image pass pads with zeros too).  With
 * margin >= the receptive radius every kept pixel sees exactly the data the
 * whole-image pass gives it, so tiled output equals untiled output up to
 * floating-point rounding.  Tiles are shared out to worker threads, each with
 * its own planned buffers; OpenBLAS runs single-threaded inside workers, and
 * with all threads when there is a single tile.
 */
#include "config.h"

#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "nn/model.h"

static const ft_model_params default_params = {
    1024, /* tile */
    -1,   /* margin: receptive radius */
    0,    /* threads: ft_ctx_threads */
    1,    /* normalize */
};

void ft_model_params_init(ft_model_params *p) { *p = default_params; }

/* ---- tensors ---- */

ft_status ft_tensor_new(ft_ctx *ctx, int n, int c, int h, int w, ft_tensor **out) {
  ft_tensor *t;
  size_t k;
  *out = NULL;
  if (n < 1 || c < 1 || h < 1 || w < 1)
    return ft__fail(ctx, FT_ERR_INVAL, "tensor: shape %dx%dx%dx%d is empty", n, c, h, w);
  if (ft__mul_overflow((size_t)n, (size_t)c, &k) || ft__mul_overflow(k, (size_t)h, &k) ||
      ft__mul_overflow(k, (size_t)w, &k) || ft__mul_overflow(k, sizeof(float), &k))
    return ft__fail(ctx, FT_ERR_TOOBIG, "tensor: %dx%dx%dx%d is too large", n, c, h, w);
  t = calloc(1, sizeof *t);
  if (!t || !(t->data = calloc(1, k))) {
    free(t);
    return ft__nomem(ctx, "tensor");
  }
  t->n = n;
  t->c = c;
  t->h = h;
  t->w = w;
  *out = t;
  return FT_OK;
}

void ft_tensor_free(ft_tensor *t) {
  if (!t) return;
  free(t->data);
  free(t);
}

/* ---- one tile ---- */

typedef struct workspace {
  int th, tw;                        /* tile size, multiples of 2^depth */
  float *block;                      /* the one allocation everything below lives in */
  float *in;                         /* [in_channels][th][tw] */
  float *a, *b;                      /* ping-pong, base*th*tw each */
  float *cat[FT__NN_MAX_DEPTH];      /* [2 C(l)][th>>l][tw>>l] */
  float *col;                        /* im2col scratch */
  float *out;                        /* [classes][th][tw] */
} workspace;

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

/* Floats needed for a th x tw tile, and (when ws != NULL) carve the block. */
static size_t plan_tile(const ft_model *m, int th, int tw, workspace *ws) {
  const ft_model_info *a = &m->info;
  size_t hw = (size_t)th * tw, total = 0, col = 0, s;
  int l;
  float *p = ws ? ws->block : NULL;
#define CARVE(dst, n)                  \
  do {                                 \
    size_t n_ = round16(n);            \
    if (ws) (dst) = p + total;         \
    total += n_;                       \
  } while (0)
  if (ws) {
    ws->th = th;
    ws->tw = tw;
  }
  CARVE(ws->in, (size_t)a->in_channels * hw);
  CARVE(ws->a, (size_t)a->base_channels * hw);
  CARVE(ws->b, (size_t)a->base_channels * hw);
  CARVE(ws->out, (size_t)a->classes * hw);
  for (l = 0; l < a->depth; l++) {
    int h = th >> l, w = tw >> l;
    size_t lhw = (size_t)h * w;
    CARVE(ws->cat[l], 2 * ((size_t)a->base_channels << l) * lhw);
    s = ft__conv3x3_scratch(m->enc[l][0].cin, h, w);
    if (s > col) col = s;
    s = ft__conv3x3_scratch(m->enc[l][1].cin, h, w);
    if (s > col) col = s;
    s = ft__conv3x3_scratch(m->dec[l][0].cin, h, w);
    if (s > col) col = s;
  }
  s = ft__conv3x3_scratch(m->mid[1].cin, th >> a->depth, tw >> a->depth);
  if (s > col) col = s;
  CARVE(ws->col, col);
#undef CARVE
  return total;
}

static void conv(const ft__conv *c, const float *in, int h, int w, float *out, float *col) {
  if (c->k == 3)
    ft__conv3x3(in, c->cin, h, w, c->w, c->b, c->cout, 1, out, col);
  else
    ft__conv1x1(in, c->cin, h * w, c->w, c->b, c->cout, 0, out);
}

/* The forward pass over ws->in, leaving probabilities in ws->out. */
static void forward(const ft_model *m, workspace *ws) {
  const ft_model_info *a = &m->info;
  int l, d = a->depth;
  const float *src = ws->in;
  size_t hw = (size_t)ws->th * ws->tw;
  for (l = 0; l < d; l++) {
    int h = ws->th >> l, w = ws->tw >> l;
    conv(&m->enc[l][0], src, h, w, ws->b, ws->col);  /* [C(l)][h][w] */
    conv(&m->enc[l][1], ws->b, h, w, ws->cat[l], ws->col); /* skip = cat[l][0:C(l)] */
    ft__maxpool2(ws->cat[l], m->enc[l][1].cout, h, w, ws->a); /* [C(l)][h/2][w/2] */
    src = ws->a;
  }
  conv(&m->mid[0], ws->a, ws->th >> d, ws->tw >> d, ws->b, ws->col);
  conv(&m->mid[1], ws->b, ws->th >> d, ws->tw >> d, ws->a, ws->col); /* [C(d)][..] */
  for (l = d - 1; l >= 0; l--) {
    int h = ws->th >> l, w = ws->tw >> l;
    const ft__conv *u = &m->up[l];
    float *upper = ws->cat[l] + (size_t)u->cout * h * w; /* cat[l][C(l):2C(l)] */
    if (u->k == 2) {
      ft__convt2x2(ws->a, u->cin, h / 2, w / 2, u->w, u->b, u->cout, upper, ws->b);
    } else {
      /* a 1x1 conv commutes with nearest up-sampling: run it at the low resolution */
      ft__conv1x1(ws->a, u->cin, (h / 2) * (w / 2), u->w, u->b, u->cout, 0, ws->b);
      ft__upsample_nearest2(ws->b, u->cout, h / 2, w / 2, upper);
    }
    conv(&m->dec[l][0], ws->cat[l], h, w, ws->b, ws->col);
    conv(&m->dec[l][1], ws->b, h, w, ws->a, ws->col); /* [C(l)][h][w] */
  }
  ft__conv1x1(ws->a, m->head.cin, (int)hw, m->head.w, m->head.b, m->head.cout, 0, ws->out);
  if (a->classes == 1)
    ft__sigmoid(ws->out, hw);
  else
    ft__softmax_channels(ws->out, a->classes, hw);
}

/* ---- tiling ---- */

typedef struct axis {
  int len;    /* padded length */
  int n;      /* tiles along the axis */
  int size;   /* tile side */
  int margin; /* overlap kept on each cut side */
} axis;

/* Lay tiles along a padded axis of length len (multiple of align). */
static int plan_axis(int len, int tile, int margin, int align, axis *ax) {
  int inner;
  tile -= tile % align;
  ax->len = len;
  ax->margin = margin;
  if (len <= tile) {
    ax->n = 1;
    ax->size = len;
    return 0;
  }
  inner = tile - 2 * margin;
  if (inner < align) return -1;
  ax->n = (len - 2 * margin + inner - 1) / inner;
  ax->size = (len - 2 * margin + ax->n - 1) / ax->n + 2 * margin;
  ax->size = (ax->size + align - 1) / align * align;
  if (ax->size > len) ax->size = len;
  return 0;
}

/* Origin of tile k: a multiple of align, the last one flush with the end. */
static int tile_origin(const axis *ax, int k) {
  int o = k * (ax->size - 2 * ax->margin);
  return o > ax->len - ax->size ? ax->len - ax->size : o;
}

/* The part [*own0, *own1) of the padded axis that tile k supplies. */
static void tile_own(const axis *ax, int k, int *own0, int *own1) {
  *own0 = k == 0 ? 0 : tile_origin(ax, k - 1) + ax->size - ax->margin;
  *own1 = k == ax->n - 1 ? ax->len : tile_origin(ax, k) + ax->size - ax->margin;
}

typedef struct job {
  const ft_model *m;
  const float *img; /* [in_channels][H][W], normalised */
  int H, W;
  axis ay, ax;
  ft_tensor *out;
  pthread_mutex_t lock;
  int next, done, stop;
} job;

static void run_tile(job *J, workspace *ws, int t) {
  const ft_model_info *a = &J->m->info;
  int ty = t / J->ax.n, tx = t % J->ax.n;
  int oy = tile_origin(&J->ay, ty), ox = tile_origin(&J->ax, tx);
  int th = ws->th, tw = ws->tw, c, y, x, y0, y1, x0, x1;
  tile_own(&J->ay, ty, &y0, &y1);
  tile_own(&J->ax, tx, &x0, &x1);
  /* input: rows/columns past the image repeat its last row/column */
  for (c = 0; c < a->in_channels; c++)
    for (y = 0; y < th; y++) {
      int sy = oy + y < J->H ? oy + y : J->H - 1;
      const float *src = J->img + ((size_t)c * J->H + sy) * J->W;
      float *dst = ws->in + ((size_t)c * th + y) * tw;
      int nx = J->W - ox < tw ? J->W - ox : tw;
      memcpy(dst, src + ox, sizeof(float) * (size_t)nx);
      for (x = nx; x < tw; x++) dst[x] = src[J->W - 1];
    }
  forward(J->m, ws);
  if (y1 > J->H) y1 = J->H;
  if (x1 > J->W) x1 = J->W;
  for (c = 0; c < a->classes; c++)
    for (y = y0; y < y1; y++)
      memcpy(J->out->data + ((size_t)c * J->H + y) * J->W + x0,
             ws->out + ((size_t)c * th + (y - oy)) * tw + (x0 - ox),
             sizeof(float) * (size_t)(x1 - x0));
}

typedef struct worker {
  job *J;
  workspace ws;
  ft_ctx *ctx; /* only the calling thread's worker reports progress */
  ft_status st;
  pthread_t tid;
} worker;

static void *work(void *arg) {
  worker *w = arg;
  job *J = w->J;
  int ntiles = J->ay.n * J->ax.n;
  for (;;) {
    int t, done;
    pthread_mutex_lock(&J->lock);
    t = J->stop ? ntiles : J->next++;
    pthread_mutex_unlock(&J->lock);
    if (t >= ntiles) break;
    run_tile(J, &w->ws, t);
    pthread_mutex_lock(&J->lock);
    done = ++J->done;
    pthread_mutex_unlock(&J->lock);
    if (w->ctx && (w->st = ft__progress(w->ctx, (double)done / ntiles))) {
      pthread_mutex_lock(&J->lock);
      J->stop = 1;
      pthread_mutex_unlock(&J->lock);
      break;
    }
  }
  return NULL;
}

/* Quickselect: the k-th smallest of v[0..n) (v is reordered). */
static float select_kth(float *v, size_t n, size_t k) {
  size_t lo = 0, hi = n - 1;
  while (lo < hi) {
    float pivot = v[lo + (hi - lo) / 2];
    size_t i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        float t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        if (j == 0) break;
        j--;
      }
    }
    if (k <= j)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      return v[k];
  }
  return v[k];
}

/* numpy.percentile (linear interpolation) of the n values, q in [0,100]. */
static double percentile(float *v, size_t n, double q) {
  double pos = q / 100.0 * (double)(n - 1), f = floor(pos);
  size_t k = (size_t)f;
  double a = select_kth(v, n, k), b = a;
  if (pos > f && k + 1 < n) b = select_kth(v, n, k + 1);
  return a + (pos - f) * (b - a);
}

/* The image as planar [in_channels][H][W], converted and normalised. */
static ft_status prepare_input(ft_ctx *ctx, const ft_model *m, const ft_image *im, int normalize,
                               float **out) {
  const ft_model_info *a = &m->info;
  size_t hw = (size_t)im->width * im->height, i, n;
  int c, want = a->in_channels, have = im->channels, src_c;
  ft_image *gray = NULL;
  const ft_image *src = im;
  float *p;
  ft_status st;
  *out = NULL;
  if (want == 1 && have != 1) {
    if ((st = ft_image_to_gray(ctx, im, &gray))) return st;
    src = gray;
    have = 1;
  } else if (!(want == have || (want == 3 && (have == 1 || have == 2 || have == 4)))) {
    return ft__fail(ctx, FT_ERR_UNSUPPORTED, "unet: model takes %d channels, image has %d", want,
                    have);
  }
  if (ft__mul_overflow(hw, (size_t)want, &n) || !(p = ft__malloc_n(n, sizeof(float)))) {
    ft_image_free(gray);
    return ft__nomem(ctx, "unet");
  }
  for (c = 0; c < want; c++) {
    src_c = want == have || have == 4 ? c : 0; /* gray(+alpha) -> RGB, or RGBA -> RGB */
    for (i = 0; i < hw; i++) p[(size_t)c * hw + i] = src->data[i * have + src_c];
  }
  ft_image_free(gray);
  if (normalize && a->input_percentile) {
    float *tmp = ft__malloc_n(n, sizeof(float));
    double lo, hi, scale;
    if (!tmp) {
      free(p);
      return ft__nomem(ctx, "unet");
    }
    memcpy(tmp, p, n * sizeof(float));
    lo = percentile(tmp, n, a->norm_low);
    hi = percentile(tmp, n, a->norm_high);
    free(tmp);
    scale = 1.0 / (hi - lo > 1e-6 ? hi - lo : 1e-6);
    for (i = 0; i < n; i++) p[i] = (float)((p[i] - lo) * scale);
  }
  *out = p;
  return FT_OK;
}

ft_status ft_model_run(ft_ctx *ctx, const ft_model *m, const ft_image *image,
                       const ft_model_params *params, ft_tensor **out) {
  ft_model_params P;
  const ft_model_info *a;
  job J;
  worker *W = NULL;
  int align, margin, Hp, Wp, ntiles, nthreads, nworkers, i, started = 0, blas_prev;
  size_t floats;
  float *img = NULL;
  ft_tensor *res = NULL;
  ft_status st;
  *out = NULL;
  if (!m || !image || !image->data) return ft__fail(ctx, FT_ERR_INVAL, "unet: no model or image");
  a = &m->info;
  if (params)
    P = *params;
  else
    ft_model_params_init(&P);
  if (P.tile < 32 || P.tile > 8192)
    return ft__fail(ctx, FT_ERR_INVAL, "unet: tile %d out of range 32..8192", P.tile);
  if (P.margin < -1 || P.margin > 4096)
    return ft__fail(ctx, FT_ERR_INVAL, "unet: margin %d out of range -1..4096", P.margin);
  if (P.threads < 0 || P.threads > 256)
    return ft__fail(ctx, FT_ERR_INVAL, "unet: threads %d out of range 0..256", P.threads);
  align = 1 << a->depth;
  margin = P.margin < 0 ? a->receptive_radius : P.margin;
  margin = (margin + align - 1) / align * align;
  Hp = (image->height + align - 1) / align * align;
  Wp = (image->width + align - 1) / align * align;
  memset(&J, 0, sizeof J);
  if (plan_axis(Hp, P.tile, margin, align, &J.ay) || plan_axis(Wp, P.tile, margin, align, &J.ax))
    return ft__fail(ctx, FT_ERR_INVAL,
                    "unet: tile %d too small for margin %d", P.tile,
                    margin);
  ntiles = J.ay.n * J.ax.n;
  nthreads = P.threads ? P.threads : ft_ctx_threads(ctx);
  nworkers = nthreads < ntiles ? nthreads : ntiles;
  if ((st = ft_tensor_new(ctx, 1, a->classes, image->height, image->width, &res))) return st;
  if ((st = prepare_input(ctx, m, image, P.normalize, &img))) goto fail;
  J.m = m;
  J.img = img;
  J.H = image->height;
  J.W = image->width;
  J.out = res;
  W = calloc((size_t)nworkers, sizeof *W);
  if (!W) {
    st = ft__nomem(ctx, "unet");
    goto fail;
  }
  floats = plan_tile(m, J.ay.size, J.ax.size, NULL);
  for (i = 0; i < nworkers; i++) {
    W[i].J = &J;
    if (!(W[i].ws.block = ft__malloc_n(floats, sizeof(float)))) {
      st = ft__fail(ctx, FT_ERR_NOMEM, "unet: out of memory for a %dx%d tile", J.ay.size,
                    J.ax.size);
      goto fail;
    }
    plan_tile(m, J.ay.size, J.ax.size, &W[i].ws);
  }
  W[0].ctx = ctx;
  if (pthread_mutex_init(&J.lock, NULL)) {
    st = ft__fail(ctx, FT_ERR_INTERNAL, "unet: cannot create a mutex");
    goto fail;
  }
  /* OpenBLAS's thread count is process-wide: one thread per worker, or all of them for one. */
  blas_prev = openblas_get_num_threads();
  openblas_set_num_threads(nworkers > 1 ? 1 : nthreads);
  for (i = 1; i < nworkers; i++, started++)
    if (pthread_create(&W[i].tid, NULL, work, &W[i])) break;
  work(&W[0]);
  for (i = 1; i <= started; i++) pthread_join(W[i].tid, NULL);
  openblas_set_num_threads(blas_prev);
  pthread_mutex_destroy(&J.lock);
  st = W[0].st;
  if (!st && J.done != ntiles) st = ft__fail(ctx, FT_ERR_INTERNAL, "unet: tiles left undone");
  if (st) goto fail;
  for (i = 0; i < nworkers; i++) free(W[i].ws.block);
  free(W);
  free(img);
  *out = res;
  return FT_OK;
fail:
  if (W)
    for (i = 0; i < nworkers; i++) free(W[i].ws.block);
  free(W);
  free(img);
  ft_tensor_free(res);
  return st;
}

double ft_model_flops(const ft_model *m, int height, int width) {
  const ft_model_info *a;
  int align, l, i;
  double hw, f = 0.0;
  if (!m || height < 1 || width < 1) return 0.0;
  a = &m->info;
  align = 1 << a->depth;
  hw = (double)((height + align - 1) / align * align) * ((width + align - 1) / align * align);
  for (l = 0; l < a->depth; l++) {
    double lhw = hw / (double)(1 << (2 * l));
    for (i = 0; i < 2; i++) {
      f += 2.0 * 9 * m->enc[l][i].cin * m->enc[l][i].cout * lhw;
      f += 2.0 * 9 * m->dec[l][i].cin * m->dec[l][i].cout * lhw;
    }
    /* both kinds are one GEMM at the lower resolution: 4 or 1 outputs per input pixel */
    f += 2.0 * m->up[l].cin * m->up[l].cout * (m->up[l].k == 2 ? 4 : 1) * lhw / 4;
  }
  for (i = 0; i < 2; i++)
    f += 2.0 * 9 * m->mid[i].cin * m->mid[i].cout * hw / (double)(1 << (2 * a->depth));
  return f + 2.0 * m->head.cin * m->head.cout * hw;
}
