/* src/nn/load.c - reading a U-Net from a safetensors file.
 *
 * Format (huggingface/safetensors, version-less): u64 little-endian N, then N
 * bytes of JSON mapping each tensor name to {"dtype", "shape", "data_offsets":
 * [begin, end]} (offsets relative to the byte after the header) plus an
 * optional "__metadata__" object of string values, then the data.  The file is
 * read in one block, the header parsed with json-c and every entry validated
 * (dtype F32, offsets inside the data, byte size equal to the shape's) before
 * the architecture in the metadata is checked against the tensors: each layer
 * must be present with exactly the shape the architecture implies, and no
 * unexpected tensor may remain.  Batch norm is folded into the preceding
 * convolution (Ioffe and Szegedy 2015, inference form):
 *   w' = w * g / sqrt(v + eps),  b' = beta + (b - mean) * g / sqrt(v + eps).
 * Every failure is FT_ERR_MODEL with "model: NAME: what" in the context.
 */
#include "config.h"

#include <errno.h>
#include "dl/json.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/model.h"

/* Headers above this are refused before parsing (real ones are a few KB). */
#define MAX_HEADER ((uint64_t)64 << 20)

typedef struct entry {
  const char *name;
  int ndim;
  int64_t shape[8];
  const unsigned char *data; /* little-endian float32, possibly unaligned */
  size_t count;              /* elements */
  int used;
} entry;

typedef struct loader {
  ft_ctx *ctx;
  const char *name;
  json_object *root;
  json_object *meta;
  entry *e;
  int n;
  float *next; /* bump pointer into the model's weight block */
} loader;

static ft_status bad(loader *L, const char *fmt, ...) FT__PRINTF(2, 3);
static ft_status bad(loader *L, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return ft__fail(L->ctx, FT_ERR_MODEL, "model: %s: %s", L->name, msg);
}

static uint64_t rd_u64le(const unsigned char *p) {
  uint64_t v = 0;
  int i;
  for (i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

static float rd_f32le(const unsigned char *p) {
  uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

/* Parse the header's tensor entries into L->e. */
static ft_status parse_entries(loader *L, const unsigned char *data, uint64_t data_len) {
  int cap = json_object_object_length(L->root);
  L->e = calloc((size_t)(cap > 0 ? cap : 1), sizeof *L->e);
  if (!L->e) return ft__nomem(L->ctx, "model");
  json_object_object_foreach(L->root, key, val) {
    json_object *dt, *sh, *off, *o0, *o1;
    entry *t;
    uint64_t b, en;
    size_t i, nd, bytes = 4;
    if (!strcmp(key, "__metadata__")) {
      if (!json_object_is_type(val, json_type_object)) return bad(L, "__metadata__ is not an object");
      L->meta = val;
      continue;
    }
    if (!json_object_is_type(val, json_type_object)) return bad(L, "entry '%s' is not an object", key);
    if (!json_object_object_get_ex(val, "dtype", &dt) || !json_object_is_type(dt, json_type_string))
      return bad(L, "tensor '%s' has no dtype", key);
    if (strcmp(json_object_get_string(dt), "F32"))
      return bad(L, "tensor '%s' has dtype %s (only F32 is supported)", key,
                 json_object_get_string(dt));
    if (!json_object_object_get_ex(val, "shape", &sh) || !json_object_is_type(sh, json_type_array))
      return bad(L, "tensor '%s' has no shape", key);
    if (!json_object_object_get_ex(val, "data_offsets", &off) ||
        !json_object_is_type(off, json_type_array) || json_object_array_length(off) != 2)
      return bad(L, "tensor '%s' has no data_offsets pair", key);
    t = &L->e[L->n];
    t->name = key;
    nd = json_object_array_length(sh);
    if (nd > 8) return bad(L, "tensor '%s' has %zu dimensions", key, nd);
    t->ndim = (int)nd;
    for (i = 0; i < nd; i++) {
      json_object *d = json_object_array_get_idx(sh, i);
      int64_t v;
      if (!json_object_is_type(d, json_type_int)) return bad(L, "tensor '%s' has a bad shape", key);
      v = json_object_get_int64(d);
      if (v < 0 || v > (int64_t)1 << 31) return bad(L, "tensor '%s' has a bad shape", key);
      t->shape[i] = v;
      if (ft__mul_overflow(bytes, (size_t)v, &bytes))
        return bad(L, "tensor '%s' is too large", key);
    }
    o0 = json_object_array_get_idx(off, 0);
    o1 = json_object_array_get_idx(off, 1);
    if (!json_object_is_type(o0, json_type_int) || !json_object_is_type(o1, json_type_int) ||
        json_object_get_int64(o0) < 0 || json_object_get_int64(o1) < 0)
      return bad(L, "tensor '%s' has bad data_offsets", key);
    b = (uint64_t)json_object_get_int64(o0);
    en = (uint64_t)json_object_get_int64(o1);
    if (b > en || en > data_len)
      return bad(L, "tensor '%s' data [%llu, %llu) lies outside the %llu data bytes (truncated?)",
                 key, (unsigned long long)b, (unsigned long long)en,
                 (unsigned long long)data_len);
    if (en - b != (uint64_t)bytes)
      return bad(L, "tensor '%s' holds %llu bytes, its shape needs %llu", key,
                 (unsigned long long)(en - b), (unsigned long long)bytes);
    t->data = data + b;
    t->count = (size_t)(bytes / 4);
    L->n++;
  }
  return FT_OK;
}

static entry *find(loader *L, const char *name) {
  int i;
  for (i = 0; i < L->n; i++)
    if (!strcmp(L->e[i].name, name)) return &L->e[i];
  return NULL;
}

/* Fetch tensor name with exactly the given shape (ndim values in dims). */
static ft_status get(loader *L, const char *name, int ndim, const int *dims, entry **out) {
  entry *t = find(L, name);
  int i;
  char want[96] = "", have[96] = "";
  *out = NULL;
  if (!t) return bad(L, "missing tensor '%s'", name);
  for (i = 0; i < ndim; i++)
    snprintf(want + strlen(want), sizeof want - strlen(want), "%s%d", i ? "," : "", dims[i]);
  for (i = 0; i < t->ndim; i++)
    snprintf(have + strlen(have), sizeof have - strlen(have), "%s%lld", i ? "," : "",
             (long long)t->shape[i]);
  if (t->ndim != ndim) return bad(L, "tensor '%s' has shape [%s], expected [%s]", name, have, want);
  for (i = 0; i < ndim; i++)
    if (t->shape[i] != dims[i])
      return bad(L, "tensor '%s' has shape [%s], expected [%s]", name, have, want);
  t->used = 1;
  *out = t;
  return FT_OK;
}

static float *take(loader *L, size_t n) {
  float *p = L->next;
  L->next += n;
  return p;
}

static void copy_f32(float *dst, const entry *t) {
  size_t i;
  for (i = 0; i < t->count; i++) dst[i] = rd_f32le(t->data + 4 * i);
}

static int find_bias(loader *L, const char *prefix) {
  char nm[128];
  snprintf(nm, sizeof nm, "%s.conv.bias", prefix);
  return find(L, nm) != NULL;
}

/* Load conv PREFIX (k = 3 or 1) with optional batch norm into c. */
static ft_status load_conv(loader *L, const char *prefix, int cin, int cout, int k, int bn,
                           double eps, ft__conv *c) {
  char nm[128];
  int wd[4] = {cout, cin, k, k}, vd[1] = {cout};
  entry *w, *g, *bb, *mu, *var, *cb = NULL;
  size_t per = (size_t)cin * k * k, i;
  int co;
  ft_status st;
  snprintf(nm, sizeof nm, "%s.conv.weight", prefix);
  if ((st = get(L, nm, 4, wd, &w))) return st;
  c->cin = cin;
  c->cout = cout;
  c->k = k;
  c->w = take(L, (size_t)cout * per);
  c->b = take(L, (size_t)cout);
  copy_f32(c->w, w);
  if (!bn || find_bias(L, prefix)) {
    snprintf(nm, sizeof nm, "%s.conv.bias", prefix);
    if ((st = get(L, nm, 1, vd, &cb))) return st;
    copy_f32(c->b, cb);
  } else {
    memset(c->b, 0, sizeof(float) * (size_t)cout);
  }
  if (!bn) return FT_OK;
  snprintf(nm, sizeof nm, "%s.bn.weight", prefix);
  if ((st = get(L, nm, 1, vd, &g))) return st;
  snprintf(nm, sizeof nm, "%s.bn.bias", prefix);
  if ((st = get(L, nm, 1, vd, &bb))) return st;
  snprintf(nm, sizeof nm, "%s.bn.running_mean", prefix);
  if ((st = get(L, nm, 1, vd, &mu))) return st;
  snprintf(nm, sizeof nm, "%s.bn.running_var", prefix);
  if ((st = get(L, nm, 1, vd, &var))) return st;
  for (co = 0; co < cout; co++) {
    double v = rd_f32le(var->data + 4 * co);
    double s, m = rd_f32le(mu->data + 4 * co);
    if (!(v >= 0.0) || !isfinite(v)) return bad(L, "'%s.bn.running_var' is negative or not finite", prefix);
    s = rd_f32le(g->data + 4 * co) / sqrt(v + eps);
    for (i = 0; i < per; i++) c->w[co * per + i] = (float)(c->w[co * per + i] * s);
    c->b[co] = (float)(rd_f32le(bb->data + 4 * co) + (c->b[co] - m) * s);
  }
  return FT_OK;
}

/* Load the up-sampling layer "up.L" from cin = C(l+1) to cout = C(l). */
static ft_status load_up(loader *L, int l, int cin, int cout, int kind, ft__conv *c) {
  char nm[64];
  int vd[1] = {cout};
  entry *w, *b;
  ft_status st;
  c->cin = cin;
  c->cout = cout;
  snprintf(nm, sizeof nm, "up.%d.weight", l);
  if (kind == FT_UPSAMPLE_TRANSPOSE) {
    int wd[4] = {cin, cout, 2, 2}; /* PyTorch ConvTranspose2d: [in][out][kh][kw] */
    float *tmp;
    if ((st = get(L, nm, 4, wd, &w))) return st;
    c->k = 2;
    c->w = take(L, (size_t)cin * cout * 4);
    tmp = malloc(sizeof(float) * w->count);
    if (!tmp) return ft__nomem(L->ctx, "model");
    copy_f32(tmp, w);
    ft__convt_weight_pack(tmp, cin, cout, c->w);
    free(tmp);
  } else {
    int wd[4] = {cout, cin, 1, 1};
    if ((st = get(L, nm, 4, wd, &w))) return st;
    c->k = 1;
    c->w = take(L, (size_t)cin * cout);
    copy_f32(c->w, w);
  }
  c->b = take(L, (size_t)cout);
  snprintf(nm, sizeof nm, "up.%d.bias", l);
  if ((st = get(L, nm, 1, vd, &b))) return st;
  copy_f32(c->b, b);
  return FT_OK;
}

static const char *meta_str(loader *L, const char *key) {
  json_object *v;
  if (!L->meta || !json_object_object_get_ex(L->meta, key, &v)) return NULL;
  return json_object_get_string(v);
}

/* Metadata number key into *v; missing -> def, or an error when required. */
static ft_status meta_num(loader *L, const char *key, int required, double lo, double hi,
                          double def, double *v) {
  const char *s = meta_str(L, key);
  *v = def;
  if (!s) return required ? bad(L, "metadata lacks '%s' (unknown architecture)", key) : FT_OK;
  if (ft__parse_real_in(s, lo, hi, v))
    return bad(L, "metadata '%s' = '%s' is not a number in %g..%g", key, s, lo, hi);
  return FT_OK;
}

static ft_status meta_int(loader *L, const char *key, int lo, int hi, int *v) {
  double d;
  ft_status st = meta_num(L, key, 1, lo, hi, 0, &d);
  if (st) return st;
  if (d != floor(d)) return bad(L, "metadata '%s' is not an integer", key);
  *v = (int)d;
  return FT_OK;
}

/* Read and check the architecture description in __metadata__. */
static ft_status read_arch(loader *L, ft_model_info *in, double *eps) {
  const char *s;
  ft_status st;
  if (!L->meta) return bad(L, "no __metadata__ (unknown architecture)");
  s = meta_str(L, "format");
  if (!s || strcmp(s, "figtrace-unet"))
    return bad(L, "metadata format '%s' is not figtrace-unet (unknown architecture)", s ? s : "");
  s = meta_str(L, "version");
  if (!s || strcmp(s, "1")) return bad(L, "architecture version '%s' unsupported", s ? s : "");
  if ((st = meta_int(L, "depth", 1, FT__NN_MAX_DEPTH, &in->depth)) ||
      (st = meta_int(L, "base_channels", 1, 1024, &in->base_channels)) ||
      (st = meta_int(L, "in_channels", 1, 4, &in->in_channels)) ||
      (st = meta_int(L, "classes", 1, 64, &in->classes)))
    return st;
  if ((long long)in->base_channels << in->depth > 8192)
    return bad(L, "base_channels %d at depth %d is too wide", in->base_channels, in->depth);
  s = meta_str(L, "upsample");
  if (s && !strcmp(s, "transpose"))
    in->upsample = FT_UPSAMPLE_TRANSPOSE;
  else if (s && !strcmp(s, "nearest"))
    in->upsample = FT_UPSAMPLE_NEAREST;
  else
    return bad(L, "unknown upsample '%s' (transpose or nearest)", s ? s : "");
  s = meta_str(L, "norm");
  if (s && !strcmp(s, "batch"))
    in->batch_norm = 1;
  else if (s && !strcmp(s, "none"))
    in->batch_norm = 0;
  else
    return bad(L, "unknown norm '%s' (batch or none)", s ? s : "");
  if ((st = meta_num(L, "bn_eps", 0, 0, 1, 1e-5, eps))) return st;
  s = meta_str(L, "input_norm");
  if (!s || !strcmp(s, "none"))
    in->input_percentile = 0;
  else if (!strcmp(s, "percentile"))
    in->input_percentile = 1;
  else
    return bad(L, "unknown input_norm '%s' (percentile or none)", s);
  if ((st = meta_num(L, "norm_low", 0, 0, 100, 1.0, &in->norm_low)) ||
      (st = meta_num(L, "norm_high", 0, 0, 100, 99.8, &in->norm_high)) ||
      (st = meta_num(L, "object_size", 0, 0, 1e6, 0, &in->object_size)) ||
      (st = meta_num(L, "train_scale", 0, 0, 1e6, 0, &in->train_scale)))
    return st;
  if (in->input_percentile && !(in->norm_low < in->norm_high))
    return bad(L, "norm_low %g is not below norm_high %g", in->norm_low, in->norm_high);
  return FT_OK;
}

/* Floats the folded weights of the architecture occupy. */
static size_t weight_floats(const ft_model_info *a) {
  size_t n = 0;
  int l;
  for (l = 0; l <= a->depth; l++) {
    size_t c = (size_t)a->base_channels << l;
    size_t cin = l == 0 ? (size_t)a->in_channels : c / 2;
    n += c * cin * 9 + c + c * c * 9 + c; /* encoder block (or the middle one) */
    if (l < a->depth) {
      n += 2 * c * c * 9 + c + c * c * 9 + c; /* decoder block */
      n += 2 * c * c * (a->upsample == FT_UPSAMPLE_TRANSPOSE ? 4 : 1) + c; /* up from C(l+1) */
    }
  }
  return n + (size_t)a->classes * a->base_channels + a->classes;
}

/* Conservative receptive radius: each 3x3 conv at stride j adds j, a pool at
 * stride j adds j, an up-sampling from stride j adds j/2. */
static int receptive_radius(const ft_model_info *a) {
  int r = 0, j = 1, l;
  for (l = 0; l < a->depth; l++, j *= 2) r += 3 * j;
  r += 2 * j;
  for (l = a->depth - 1; l >= 0; l--) {
    j /= 2;
    r += j + 2 * j;
  }
  return r;
}

/* Every 3x3 convolution of m, for pack_direct. */
static int conv3_list(ft_model *m, ft__conv **list) {
  int l, i, n = 0;
  for (l = 0; l < m->info.depth; l++)
    for (i = 0; i < 2; i++) {
      list[n++] = &m->enc[l][i];
      list[n++] = &m->dec[l][i];
    }
  list[n++] = &m->mid[0];
  list[n++] = &m->mid[1];
  return n;
}

/* Where the direct kernels run, give every 3x3 convolution and every
 * transposed one its repacked weights. */
static ft_status pack_direct(ft_ctx *ctx, ft_model *m) {
  ft__conv *list[4 * FT__NN_MAX_DEPTH + 2];
  int n = conv3_list(m, list), i, l;
  size_t total = 0;
  float *p;
  if (!ft__direct_available()) return FT_OK;
  for (i = 0; i < n; i++) total += ft__direct_packed_floats(list[i]->cin, list[i]->cout);
  for (l = 0; l < m->info.depth; l++)
    if (m->up[l].k == 2) total += (size_t)m->up[l].cin * m->up[l].cout * 4;
  if (!(m->packed = ft__malloc_n(total, sizeof(float)))) return ft__nomem(ctx, "model");
  for (p = m->packed, i = 0; i < n; i++) {
    list[i]->wd = p;
    ft__direct_pack(list[i]->w, list[i]->cin, list[i]->cout, p);
    p += ft__direct_packed_floats(list[i]->cin, list[i]->cout);
  }
  for (l = 0; l < m->info.depth; l++)
    if (m->up[l].k == 2) {
      m->up[l].wd = p;
      ft__direct_convt_pack(m->up[l].w, m->up[l].cin, m->up[l].cout, p);
      p += (size_t)m->up[l].cin * m->up[l].cout * 4;
    }
  return FT_OK;
}

static ft_status build(loader *L, ft_model *m, double eps) {
  ft_model_info *a = &m->info;
  int l, i, bn = a->batch_norm;
  char nm[64];
  ft_status st;
  size_t nw = weight_floats(a);
  m->weights = ft__malloc_n(nw, sizeof(float));
  if (!m->weights) return ft__nomem(L->ctx, "model");
  L->next = m->weights;
  for (l = 0; l < a->depth; l++) {
    int c = a->base_channels << l, cin = l ? c / 2 : a->in_channels;
    for (i = 0; i < 2; i++) {
      snprintf(nm, sizeof nm, "enc.%d.%d", l, i);
      if ((st = load_conv(L, nm, i ? c : cin, c, 3, bn, eps, &m->enc[l][i]))) return st;
      snprintf(nm, sizeof nm, "dec.%d.%d", l, i);
      if ((st = load_conv(L, nm, i ? c : 2 * c, c, 3, bn, eps, &m->dec[l][i]))) return st;
    }
    if ((st = load_up(L, l, 2 * c, c, a->upsample, &m->up[l]))) return st;
  }
  for (i = 0; i < 2; i++) {
    int c = a->base_channels << a->depth;
    snprintf(nm, sizeof nm, "mid.%d", i);
    if ((st = load_conv(L, nm, i ? c : c / 2, c, 3, bn, eps, &m->mid[i]))) return st;
  }
  if ((st = load_conv(L, "head", a->base_channels, a->classes, 1, 0, eps, &m->head))) return st;
  for (i = 0; i < L->n; i++) {
    const char *nmi = L->e[i].name;
    size_t ln = strlen(nmi), suf = strlen("num_batches_tracked");
    if (L->e[i].used) continue;
    if (ln >= suf && !strcmp(nmi + ln - suf, "num_batches_tracked")) continue;
    return bad(L, "unexpected tensor '%s' for this architecture", nmi);
  }
  a->parameters = (long long)(L->next - m->weights);
  a->receptive_radius = receptive_radius(a);
  return pack_direct(L->ctx, m);
}

ft_status ft_model_load_memory(ft_ctx *ctx, const void *data, size_t len, const char *name,
                               ft_model **out) {
  const unsigned char *p = data;
  loader L;
  ft_model *m = NULL;
  uint64_t hlen;
  double eps = 1e-5;
  ft_status st;
  json_tokener *tok = NULL;
  enum json_tokener_error jerr;
  memset(&L, 0, sizeof L);
  L.ctx = ctx;
  L.name = name ? name : "(memory)";
  *out = NULL;
  if (!data && len) return ft__fail(ctx, FT_ERR_INVAL, "model: NULL data");
  if (len < 8) return bad(&L, "file of %zu bytes is too short for a safetensors header", len);
  hlen = rd_u64le(p);
  if (hlen > len - 8)
    return bad(&L, "header length %llu runs past the end of the %zu-byte file",
               (unsigned long long)hlen, len);
  if (hlen < 2 || hlen > MAX_HEADER)
    return bad(&L, "header length %llu is implausible", (unsigned long long)hlen);
  if ((st = ft__json_require(ctx))) return st;
  tok = json_tokener_new();
  if (!tok) return ft__nomem(ctx, "model");
  L.root = json_tokener_parse_ex(tok, (const char *)p + 8, (int)hlen);
  jerr = json_tokener_get_error(tok);
  if (!L.root || jerr != json_tokener_success) {
    st = bad(&L, "header is not valid JSON (%s)",
             jerr == json_tokener_continue ? "unexpected end" : json_tokener_error_desc(jerr));
    goto fail;
  }
  if ((size_t)json_tokener_get_parse_end(tok) < hlen) {
    size_t k;
    for (k = json_tokener_get_parse_end(tok); k < hlen; k++)
      if (p[8 + k] != ' ') {
        st = bad(&L, "trailing bytes after the JSON header");
        goto fail;
      }
  }
  if (!json_object_is_type(L.root, json_type_object)) {
    st = bad(&L, "header is not a JSON object");
    goto fail;
  }
  if ((st = parse_entries(&L, p + 8 + hlen, (uint64_t)(len - 8 - hlen)))) goto fail;
  m = calloc(1, sizeof *m);
  if (!m) {
    st = ft__nomem(ctx, "model");
    goto fail;
  }
  if ((st = read_arch(&L, &m->info, &eps))) goto fail;
  if ((st = build(&L, m, eps))) goto fail;
  m->name = ft__strdup(L.name);
  if (!m->name) {
    st = ft__nomem(ctx, "model");
    goto fail;
  }
  json_object_put(L.root);
  json_tokener_free(tok);
  free(L.e);
  *out = m;
  return FT_OK;
fail:
  ft_model_free(m);
  if (L.root) json_object_put(L.root);
  json_tokener_free(tok);
  free(L.e);
  return st;
}

ft_status ft_model_load(ft_ctx *ctx, const char *path, ft_model **out) {
  FILE *f;
  unsigned char *buf = NULL;
  long sz;
  size_t got;
  ft_status st;
  *out = NULL;
  if (!path) return ft__fail(ctx, FT_ERR_INVAL, "model: no path");
  f = fopen(path, "rb");
  if (!f) return ft__fail(ctx, FT_ERR_IO, "model: %s: %s", path, strerror(errno));
  if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
    fclose(f);
    return ft__fail(ctx, FT_ERR_IO, "model: %s: cannot determine size", path);
  }
  buf = malloc(sz > 0 ? (size_t)sz : 1);
  if (!buf) {
    fclose(f);
    return ft__nomem(ctx, "model");
  }
  got = fread(buf, 1, (size_t)sz, f);
  if (got != (size_t)sz || ferror(f)) {
    free(buf);
    fclose(f);
    return ft__fail(ctx, FT_ERR_IO, "model: %s: read error", path);
  }
  fclose(f);
  st = ft_model_load_memory(ctx, buf, got, path, out);
  free(buf);
  return st;
}

void ft_model_free(ft_model *m) {
  if (!m) return;
  free(m->weights);
  free(m->packed);
  free(m->name);
  free(m);
}

const ft_model_info *ft_model_get_info(const ft_model *m) { return m ? &m->info : NULL; }
