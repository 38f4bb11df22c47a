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
 * nothing), the tile's input and output, and the convolution scratch (im2col,
 * or the framed input band of the direct kernel, per pool thread).
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

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dl/blas.h"
#include "nn/model.h"

/* Tile sides allowed, and what the automatic tile keeps of its side after
 * the margins. */
#define TILE_MIN 32
#define TILE_MAX 8192
#define AUTO_TILE_KEEP 1024

static const ft_model_params default_params = {
    0,    /* tile: automatic (AUTO_TILE_KEEP + two margins) */
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
  /* image-sized: in huge pages where the system has them (ft__calloc_n) */
  if (!t || !(t->data = ft__calloc_n(k, 1))) {
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
  float *col;                        /* im2col scratch, col_stride floats per pool thread */
  size_t col_stride;
  float *out;                        /* [classes][th][tw] */
  ft__pool *pool;                    /* threads for the operators; NULL: this thread only */
} workspace;

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

/* Floats needed for a th x tw tile run by nthreads operator threads, and
 * (when ws != NULL) carve ws->block into the buffers. */
static size_t plan_tile(const ft_model *m, int th, int tw, int nthreads, workspace *ws) {
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
    s = ft__conv3x3_scratch(m->dec[l][1].cin, h, w);
    if (s > col) col = s;
  }
  s = ft__conv3x3_scratch(m->mid[0].cin, th >> a->depth, tw >> a->depth);
  if (s > col) col = s;
  s = ft__conv3x3_scratch(m->mid[1].cin, th >> a->depth, tw >> a->depth);
  if (s > col) col = s;
  col = round16(col);
  if (ws) ws->col_stride = col;
  CARVE(ws->col, col * (size_t)nthreads);
#undef CARVE
  return total;
}

/* One operator split into items for ft__pool_run. */
typedef enum op_kind { OP_CONV3, OP_CONV1, OP_CONVT, OP_POOL, OP_UP, OP_SOFTMAX, OP_SIGMOID } op_kind;

typedef struct op {
  op_kind kind;
  const ft__conv *c; /* convolutions */
  const float *in;
  float *out;
  float *scratch;    /* OP_CONV3: col of thread 0; OP_CONVT: tmp */
  size_t col_stride; /* OP_CONV3: floats of col per thread */
  int channels;      /* OP_POOL, OP_UP, OP_SOFTMAX: channel count */
  int h, w;          /* input size */
  int chunk;         /* rows (conv3, convt) or positions (conv1, softmax, sigmoid) per item */
  int relu;
} op;

static void op_item(void *arg, int i, int t) {
  const op *o = arg;
  int hw = o->h * o->w, lo = i * o->chunk, hi;
  switch (o->kind) {
  case OP_CONV3:
    hi = lo + o->chunk < o->h ? lo + o->chunk : o->h;
    if (o->c->wd)
      ft__direct_rows(o->in, o->c->cin, o->h, o->w, o->c->wd, o->c->b, o->c->cout, o->relu,
                      o->out, o->scratch + (size_t)t * o->col_stride, lo, hi);
    else
      ft__conv3x3_rows(o->in, o->c->cin, o->h, o->w, o->c->w, o->c->b, o->c->cout, o->relu,
                       o->out, o->scratch + (size_t)t * o->col_stride, lo, hi);
    break;
  case OP_CONV1:
    hi = lo + o->chunk < hw ? lo + o->chunk : hw;
    ft__conv1x1_cols(o->in, o->c->cin, hw, o->c->w, o->c->b, o->c->cout, o->relu, o->out, lo, hi);
    break;
  case OP_CONVT:
    hi = lo + o->chunk < o->h ? lo + o->chunk : o->h;
    if (o->c->wd)
      ft__direct_convt_rows(o->in, o->c->cin, o->h, o->w, o->c->wd, o->c->b, o->c->cout, o->out,
                            lo, hi);
    else
      ft__convt2x2_rows(o->in, o->c->cin, o->h, o->w, o->c->w, o->c->b, o->c->cout, o->out,
                        o->scratch, lo, hi);
    break;
  case OP_POOL:
    ft__maxpool2(o->in + (size_t)i * hw, 1, o->h, o->w, o->out + (size_t)i * hw / 4);
    break;
  case OP_UP:
    ft__upsample_nearest2(o->in + (size_t)i * hw, 1, o->h, o->w, o->out + (size_t)i * hw * 4);
    break;
  case OP_SOFTMAX:
    hi = lo + o->chunk < hw ? lo + o->chunk : hw;
    ft__softmax_range(o->out, o->channels, (size_t)hw, (size_t)lo, (size_t)hi);
    break;
  case OP_SIGMOID:
    hi = lo + o->chunk < hw ? lo + o->chunk : hw;
    ft__sigmoid(o->out + lo, (size_t)(hi - lo));
    break;
  }
}

/* Run o over the pool: items small enough that every thread gets a few. */
static void run_op(workspace *ws, op *o) {
  int n = ft__pool_size(ws->pool), items, hw = o->h * o->w;
  switch (o->kind) {
  case OP_CONV3: {
    /* the GEMM path's single-channel stencil needs no scratch and takes any band */
    int band = o->c->cin == 1 && !o->c->wd ? o->h : ft__conv3x3_band(o->c->cin, o->h, o->w);
    int want = n > 1 ? ft__ceil_div(o->h, 4 * n) : o->h;
    o->chunk = want < band ? want : band;
    if (o->chunk < 1) o->chunk = 1;
    items = ft__ceil_div(o->h, o->chunk);
    break;
  }
  case OP_CONVT:
    o->chunk = n > 1 ? ft__ceil_div(o->h, 4 * n) : o->h;
    items = ft__ceil_div(o->h, o->chunk);
    break;
  case OP_POOL:
  case OP_UP:
    o->chunk = 1;
    items = o->channels;
    break;
  default: /* per position */
    o->chunk = n > 1 ? ft__ceil_div(hw, 4 * n) : hw;
    if (o->chunk < 256) o->chunk = 256;
    items = ft__ceil_div(hw, o->chunk);
    break;
  }
  ft__pool_run(ws->pool, op_item, o, items);
}

static void conv(workspace *ws, const ft__conv *c, const float *in, int h, int w, float *out,
                 int relu) {
  op o;
  memset(&o, 0, sizeof o);
  o.kind = c->k == 3 ? OP_CONV3 : OP_CONV1;
  o.c = c;
  o.in = in;
  o.out = out;
  o.scratch = ws->col;
  o.col_stride = ws->col_stride;
  o.h = h;
  o.w = w;
  o.relu = relu;
  run_op(ws, &o);
}

static void simple(workspace *ws, op_kind kind, const ft__conv *c, const float *in, int channels,
                   int h, int w, float *out, float *scratch) {
  op o;
  memset(&o, 0, sizeof o);
  o.kind = kind;
  o.c = c;
  o.in = in;
  o.out = out;
  o.channels = channels;
  o.h = h;
  o.w = w;
  o.scratch = scratch;
  run_op(ws, &o);
}

/* The forward pass over ws->in, leaving probabilities in ws->out. */
static void forward(const ft_model *m, workspace *ws) {
  const ft_model_info *a = &m->info;
  int l, d = a->depth, hd = ws->th >> d, wd = ws->tw >> d;
  const float *src = ws->in;
  for (l = 0; l < d; l++) {
    int h = ws->th >> l, w = ws->tw >> l;
    conv(ws, &m->enc[l][0], src, h, w, ws->b, 1);       /* [C(l)][h][w] */
    conv(ws, &m->enc[l][1], ws->b, h, w, ws->cat[l], 1); /* skip = cat[l][0:C(l)] */
    simple(ws, OP_POOL, NULL, ws->cat[l], m->enc[l][1].cout, h, w, ws->a, NULL); /* [C(l)][h/2][w/2] */
    src = ws->a;
  }
  conv(ws, &m->mid[0], ws->a, hd, wd, ws->b, 1);
  conv(ws, &m->mid[1], ws->b, hd, wd, ws->a, 1); /* [C(d)][hd][wd] */
  for (l = d - 1; l >= 0; l--) {
    int h = ws->th >> l, w = ws->tw >> l;
    const ft__conv *u = &m->up[l];
    float *upper = ws->cat[l] + (size_t)u->cout * h * w; /* cat[l][C(l):2C(l)] */
    if (u->k == 2) {
      simple(ws, OP_CONVT, u, ws->a, 0, h / 2, w / 2, upper, ws->b);
    } else {
      /* a 1x1 conv commutes with nearest up-sampling: run it at the low resolution */
      conv(ws, u, ws->a, h / 2, w / 2, ws->b, 0);
      simple(ws, OP_UP, NULL, ws->b, u->cout, h / 2, w / 2, upper, NULL);
    }
    conv(ws, &m->dec[l][0], ws->cat[l], h, w, ws->b, 1);
    conv(ws, &m->dec[l][1], ws->b, h, w, ws->a, 1); /* [C(l)][h][w] */
  }
  conv(ws, &m->head, ws->a, ws->th, ws->tw, ws->out, 0); /* [classes][th][tw] */
  simple(ws, a->classes == 1 ? OP_SIGMOID : OP_SOFTMAX, NULL, NULL, a->classes, ws->th, ws->tw,
         ws->out, NULL);
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
  ft__pool *pool = NULL;
  ft_status st;
  *out = NULL;
  if (!m || !image || !image->data) return ft__fail(ctx, FT_ERR_INVAL, "unet: no model or image");
  if ((st = ft__blas_require(ctx))) return st;
  a = &m->info;
  if (params)
    P = *params;
  else
    ft_model_params_init(&P);
  if (P.tile != 0 && (P.tile < TILE_MIN || P.tile > TILE_MAX))
    return ft__fail(ctx, FT_ERR_INVAL, "unet: tile %d out of range %d..%d (0: automatic)",
                    P.tile, TILE_MIN, TILE_MAX);
  if (P.margin < -1 || P.margin > 4096)
    return ft__fail(ctx, FT_ERR_INVAL, "unet: margin %d out of range -1..4096", P.margin);
  if (P.threads < 0 || P.threads > 256)
    return ft__fail(ctx, FT_ERR_INVAL, "unet: threads %d out of range 0..256", P.threads);
  align = 1 << a->depth;
  margin = P.margin < 0 ? a->receptive_radius : P.margin;
  margin = ft__ceil_div(margin, align) * align;
  if (!P.tile)
    P.tile = AUTO_TILE_KEEP + 2 * margin < TILE_MAX ? AUTO_TILE_KEEP + 2 * margin : TILE_MAX;
  Hp = ft__ceil_div(image->height, align) * align;
  Wp = ft__ceil_div(image->width, align) * align;
  memset(&J, 0, sizeof J);
  if (plan_axis(Hp, P.tile, margin, align, &J.ay) || plan_axis(Wp, P.tile, margin, align, &J.ax))
    return ft__fail(ctx, FT_ERR_INVAL,
                    "unet: tile %d too small for margin %d", P.tile,
                    margin);
  if ((long long)J.ay.n * J.ax.n > 1 << 24)
    return ft__fail(ctx, FT_ERR_TOOBIG, "unet: %dx%d needs too many %d-pixel tiles",
                    image->width, image->height, P.tile);
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
  /* fewer tiles than threads: one worker whose operators use all the threads */
  if (nworkers < nthreads) {
    nworkers = 1;
    if ((st = ft__pool_new(ctx, nthreads, &pool))) goto fail;
  }
  floats = plan_tile(m, J.ay.size, J.ax.size, ft__pool_size(pool), NULL);
  for (i = 0; i < nworkers; i++) {
    W[i].J = &J;
    if (!(W[i].ws.block = ft__malloc_n(floats, sizeof(float)))) {
      st = ft__fail(ctx, FT_ERR_NOMEM, "unet: out of memory for a %dx%d tile", J.ay.size,
                    J.ax.size);
      goto fail;
    }
    plan_tile(m, J.ay.size, J.ax.size, ft__pool_size(pool), &W[i].ws);
    W[i].ws.pool = pool;
  }
  W[0].ctx = ctx;
  if (pthread_mutex_init(&J.lock, NULL)) {
    st = ft__fail(ctx, FT_ERR_INTERNAL, "unet: cannot create a mutex");
    goto fail;
  }
  /* OpenBLAS's thread count is process-wide; every GEMM here is one thread's share. */
  blas_prev = openblas_get_num_threads();
  openblas_set_num_threads(1);
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
  ft__pool_free(pool);
  *out = res;
  return FT_OK;
fail:
  if (W)
    for (i = 0; i < nworkers; i++) free(W[i].ws.block);
  free(W);
  free(img);
  ft__pool_free(pool);
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
