/* tests/unit/test_nn.c - the U-Net engine: operators against naive loops,
 * the safetensors loader on valid and corrupted files, parity with PyTorch
 * (vectors from tools/train/make_vectors.py) and tiled == whole-image output. */
#include "config.h"

#include <json.h>
#include <math.h>

#include "nn/model.h"
#include "testutil.h"

/* ---- helpers ---- */

static uint32_t rng_state = 12345u;
static float frand(void) { /* uniform in [-1, 1) */
  rng_state = rng_state * 1664525u + 1013904223u;
  return (float)((rng_state >> 8) * (1.0 / 8388608.0)) - 1.0f;
}
static float *rand_buf(size_t n) {
  float *p = malloc(sizeof(float) * (n ? n : 1));
  size_t i;
  for (i = 0; i < n; i++) p[i] = frand();
  return p;
}

/* max |a - b| / (1 + |b|): absolute near zero, relative for large sums */
static double max_err(const float *a, const double *b, size_t n) {
  double e = 0.0;
  size_t i;
  for (i = 0; i < n; i++) {
    double d = fabs((double)a[i] - b[i]) / (1.0 + fabs(b[i]));
    if (d > e || d != d) e = d != d ? 1e30 : d;
  }
  return e;
}

static unsigned char *read_all(const char *rel, size_t *len) {
  char path[1024];
  FILE *f;
  unsigned char *buf;
  long sz;
  snprintf(path, sizeof path, "%s/%s", ft_test_srcdir(), rel);
  f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  sz = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc((size_t)sz);
  *len = fread(buf, 1, (size_t)sz, f);
  fclose(f);
  return buf;
}

/* ---- operators ---- */

static void naive_conv(const float *in, int cin, int h, int w, const float *wt, const float *b,
                       int cout, int k, int relu, double *out) {
  int co, ci, y, x, ky, kx, r = k / 2;
  for (co = 0; co < cout; co++)
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        double s = b ? b[co] : 0.0;
        for (ci = 0; ci < cin; ci++)
          for (ky = 0; ky < k; ky++)
            for (kx = 0; kx < k; kx++) {
              int sy = y + ky - r, sx = x + kx - r;
              if (sy < 0 || sy >= h || sx < 0 || sx >= w) continue;
              s += (double)wt[((co * cin + ci) * k + ky) * k + kx] *
                   in[((size_t)ci * h + sy) * w + sx];
            }
        if (relu && s < 0) s = 0;
        out[((size_t)co * h + y) * w + x] = s;
      }
}

static void check_conv3(int cin, int cout, int h, int w, int relu, int with_bias) {
  size_t n_in = (size_t)cin * h * w, n_out = (size_t)cout * h * w;
  float *in = rand_buf(n_in), *wt = rand_buf((size_t)cout * cin * 9), *b = rand_buf(cout);
  float *out = malloc(sizeof(float) * n_out);
  float *col = malloc(sizeof(float) * (ft__conv3x3_scratch(cin, h, w) + 1));
  double *ref = malloc(sizeof(double) * n_out);
  double e;
  ft__conv3x3(in, cin, h, w, wt, with_bias ? b : NULL, cout, relu, out, col);
  naive_conv(in, cin, h, w, wt, with_bias ? b : NULL, cout, 3, relu, ref);
  e = max_err(out, ref, n_out);
  if (e > 1e-5) printf("\nconv3x3 cin %d cout %d %dx%d: err %g\n", cin, cout, h, w, e);
  CU_ASSERT(e <= 1e-5);
  free(in), free(wt), free(b), free(out), free(col), free(ref);
}

static void test_conv3x3(void) {
  check_conv3(1, 5, 7, 9, 1, 1);   /* the one-channel stencil */
  check_conv3(1, 3, 1, 1, 0, 1);   /* 1x1 image */
  check_conv3(1, 2, 1, 6, 1, 0);   /* one row */
  check_conv3(3, 5, 1, 1, 1, 1);   /* im2col, 1x1 image */
  check_conv3(7, 13, 11, 6, 0, 1); /* odd channel counts */
  check_conv3(5, 9, 6, 1, 1, 0);   /* one column */
  check_conv3(20, 9, 33, 17, 1, 1);
  check_conv3(64, 10, 30, 41, 1, 1); /* several im2col bands */
}

/* The direct kernel (where the CPU has it) against the naive loops, run in
 * bands of band rows, each with scratch of exactly the size it asks for. */
static void check_direct(int cin, int cout, int h, int w, int relu, int with_bias, int band) {
  size_t n_in = (size_t)cin * h * w, n_out = (size_t)cout * h * w;
  float *in = rand_buf(n_in), *wt = rand_buf((size_t)cout * cin * 9), *b = rand_buf(cout);
  float *packed = malloc(sizeof(float) * ft__direct_packed_floats(cin, cout));
  float *scratch = malloc(sizeof(float) * ft__direct_scratch(cin, band, w));
  float *out = malloc(sizeof(float) * n_out);
  double *ref = malloc(sizeof(double) * n_out);
  double e;
  int r0;
  ft__direct_pack(wt, cin, cout, packed);
  for (r0 = 0; r0 < h; r0 += band)
    ft__direct_rows(in, cin, h, w, packed, with_bias ? b : NULL, cout, relu, out, scratch, r0,
                    r0 + band < h ? r0 + band : h);
  naive_conv(in, cin, h, w, wt, with_bias ? b : NULL, cout, 3, relu, ref);
  e = max_err(out, ref, n_out);
  if (e > 1e-5) printf("\ndirect cin %d cout %d %dx%d band %d: err %g\n", cin, cout, h, w, band, e);
  CU_ASSERT(e <= 1e-5);
  free(in), free(wt), free(b), free(packed), free(scratch), free(out), free(ref);
}

static void test_conv3x3_direct(void) {
  int cout;
  /* register blocks of 4, 5 or 6 channels, whichever pads least */
  CU_ASSERT_EQUAL(ft__direct_cob(10), 5);
  CU_ASSERT_EQUAL(ft__direct_cob(12), 6);
  CU_ASSERT_EQUAL(ft__direct_cob(16), 4);
  CU_ASSERT_EQUAL(ft__direct_cob(7), 4); /* 8 = 7 + 1 padded */
  CU_ASSERT(ft__direct_packed_floats(3, 7) == 3 * 9 * 8);
  if (!ft__direct_available()) return; /* the GEMM path serves; nothing else to run */
  for (cout = 1; cout <= 13; cout++) check_direct(3, cout, 5, 19, cout & 1, cout % 3 != 0, 2);
  check_direct(1, 10, 7, 9, 1, 1, 7);    /* one input channel, one band */
  check_direct(1, 10, 1, 1, 0, 1, 1);    /* 1x1 image */
  check_direct(10, 10, 1, 16, 1, 1, 1);  /* one row, width a whole block */
  check_direct(10, 10, 9, 1, 1, 0, 4);   /* one column */
  check_direct(20, 10, 12, 33, 1, 1, 5); /* two blocks and a tail */
  check_direct(40, 20, 6, 48, 0, 1, 6);
}

static void test_conv1x1(void) {
  int cin = 13, cout = 7, h = 9, w = 5;
  size_t n_out = (size_t)cout * h * w;
  float *in = rand_buf((size_t)cin * h * w), *wt = rand_buf((size_t)cout * cin), *b = rand_buf(cout);
  float *out = malloc(sizeof(float) * n_out);
  double *ref = malloc(sizeof(double) * n_out);
  ft__conv1x1(in, cin, h * w, wt, b, cout, 1, out);
  naive_conv(in, cin, h, w, wt, b, cout, 1, 1, ref);
  CU_ASSERT(max_err(out, ref, n_out) <= 1e-5);
  ft__conv1x1(in, cin, 1, wt, b, cout, 0, out); /* a single pixel */
  naive_conv(in, cin, 1, 1, wt, b, cout, 1, 0, ref);
  CU_ASSERT(max_err(out, ref, cout) <= 1e-5);
  free(in), free(wt), free(b), free(out), free(ref);
}

static void test_maxpool(void) {
  int c = 3, h = 10, w = 6, ch, y, x;
  float *in = rand_buf((size_t)c * h * w), *out = malloc(sizeof(float) * c * (h / 2) * (w / 2));
  int bad = 0;
  ft__maxpool2(in, c, h, w, out);
  for (ch = 0; ch < c; ch++)
    for (y = 0; y < h / 2; y++)
      for (x = 0; x < w / 2; x++) {
        const float *p = in + ((size_t)ch * h + 2 * y) * w + 2 * x;
        float m = fmaxf(fmaxf(p[0], p[1]), fmaxf(p[w], p[w + 1]));
        bad += out[((size_t)ch * (h / 2) + y) * (w / 2) + x] != m;
      }
  CU_ASSERT_EQUAL(bad, 0);
  ft__maxpool2(in, 1, 2, 2, out); /* 2x2 -> 1x1 */
  CU_ASSERT_EQUAL(out[0], fmaxf(fmaxf(in[0], in[1]), fmaxf(in[2], in[3])));
  free(in), free(out);
}

/* The transposed convolution of cin x h x w by both paths (GEMM, and the
 * direct kernel where the CPU has it, in bands of band input rows) against
 * PyTorch's definition. */
static void check_convt(int cin, int cout, int h, int w, int band) {
  int co, ci, y, x, y0;
  size_t n_out = (size_t)cout * 4 * h * w;
  float *in = rand_buf((size_t)cin * h * w), *pt = rand_buf((size_t)cin * cout * 4);
  float *b = rand_buf(cout), *packed = malloc(sizeof(float) * cin * cout * 4);
  float *direct = malloc(sizeof(float) * cin * cout * 4);
  float *out = malloc(sizeof(float) * n_out), *tmp = malloc(sizeof(float) * n_out);
  double *ref = calloc(n_out, sizeof(double));
  double e;
  ft__convt_weight_pack(pt, cin, cout, packed);
  ft__convt2x2(in, cin, h, w, packed, b, cout, out, tmp);
  /* PyTorch ConvTranspose2d(k=2, s=2): out[co][2y+dy][2x+dx] += in[ci][y][x] * W[ci][co][dy][dx] */
  for (co = 0; co < cout; co++)
    for (y = 0; y < 2 * h; y++)
      for (x = 0; x < 2 * w; x++) {
        double s = b[co];
        for (ci = 0; ci < cin; ci++)
          s += (double)in[((size_t)ci * h + y / 2) * w + x / 2] *
               pt[((ci * cout + co) * 2 + (y & 1)) * 2 + (x & 1)];
        ref[((size_t)co * 2 * h + y) * 2 * w + x] = s;
      }
  CU_ASSERT(max_err(out, ref, n_out) <= 1e-5);
  if (ft__direct_available()) {
    ft__direct_convt_pack(packed, cin, cout, direct);
    memset(out, 0, sizeof(float) * n_out);
    for (y0 = 0; y0 < h; y0 += band)
      ft__direct_convt_rows(in, cin, h, w, direct, b, cout, out, y0, y0 + band < h ? y0 + band : h);
    e = max_err(out, ref, n_out);
    if (e > 1e-5) printf("\ndirect convt cin %d cout %d %dx%d: err %g\n", cin, cout, h, w, e);
    CU_ASSERT(e <= 1e-5);
  }
  free(in), free(pt), free(b), free(packed), free(direct), free(out), free(tmp), free(ref);
}

static void test_convt(void) {
  check_convt(5, 3, 3, 7, 3);    /* narrower than a vector block */
  check_convt(20, 10, 5, 16, 2); /* one whole block */
  check_convt(7, 4, 4, 37, 1);   /* two blocks and a tail */
  check_convt(3, 2, 1, 1, 1);    /* one pixel */
}

static void test_upsample_softmax_sigmoid(void) {
  int c = 2, h = 3, w = 1, ch, y, x, bad = 0;
  float *in = rand_buf((size_t)c * h * w), *out = malloc(sizeof(float) * c * 4 * h * w);
  float s[3 * 5];
  size_t i;
  ft__upsample_nearest2(in, c, h, w, out);
  for (ch = 0; ch < c; ch++)
    for (y = 0; y < 2 * h; y++)
      for (x = 0; x < 2 * w; x++)
        bad += out[((size_t)ch * 2 * h + y) * 2 * w + x] != in[((size_t)ch * h + y / 2) * w + x / 2];
  CU_ASSERT_EQUAL(bad, 0);
  for (i = 0; i < 15; i++) s[i] = frand() * 30.0f;
  {
    float orig[15];
    memcpy(orig, s, sizeof s);
    ft__softmax_channels(s, 3, 5);
    for (i = 0; i < 5; i++) {
      double z = exp(orig[i]) + exp(orig[5 + i]) + exp(orig[10 + i]);
      CU_ASSERT_DOUBLE_EQUAL(s[i], exp(orig[i]) / z, 1e-6);
      CU_ASSERT_DOUBLE_EQUAL(s[i] + s[5 + i] + s[10 + i], 1.0, 1e-6);
    }
    memcpy(s, orig, sizeof s);
    ft__sigmoid(s, 15);
    for (i = 0; i < 15; i++) CU_ASSERT_DOUBLE_EQUAL(s[i], 1.0 / (1.0 + exp(-orig[i])), 1e-6);
  }
  free(in), free(out);
}

/* ---- loader ---- */

static void test_load_valid(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_model *m = NULL;
  char path[1024];
  const ft_model_info *in;
  snprintf(path, sizeof path, "%s/tests/data/nn/tiny_transpose.safetensors", ft_test_srcdir());
  CU_ASSERT_EQUAL_FATAL(ft_model_load(ctx, path, &m), FT_OK);
  in = ft_model_get_info(m);
  CU_ASSERT_EQUAL(in->depth, 2);
  CU_ASSERT_EQUAL(in->base_channels, 4);
  CU_ASSERT_EQUAL(in->in_channels, 1);
  CU_ASSERT_EQUAL(in->classes, 3);
  CU_ASSERT_EQUAL(in->upsample, FT_UPSAMPLE_TRANSPOSE);
  CU_ASSERT_EQUAL(in->batch_norm, 1);
  CU_ASSERT_EQUAL(in->input_percentile, 1);
  CU_ASSERT_DOUBLE_EQUAL(in->norm_high, 99.8, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(in->object_size, 12.0, 1e-12);
  CU_ASSERT_EQUAL(in->receptive_radius, 26);
  /* folded weights + biases, layer by layer: enc 40 148 296 584, mid 1168 2320,
   * up 520 132, dec 1160 584 292 148, head 15 */
  CU_ASSERT_EQUAL(in->parameters, 7407);
  CU_ASSERT(ft_model_flops(m, 37, 29) > 0.0);
  ft_model_free(m);
  CU_ASSERT_EQUAL(ft_model_load(ctx, "/nonexistent/model.safetensors", &m), FT_ERR_IO);
  CU_ASSERT_PTR_NULL(m);
  ft_ctx_free(ctx);
}

/* Rebuild a safetensors buffer from the fixture after edit() changes its header. */
static unsigned char *rebuild(const unsigned char *src, size_t len, void (*edit)(json_object *),
                              size_t *out_len) {
  uint64_t hl = 0;
  int i;
  json_object *root;
  const char *js;
  size_t jl, data_len;
  unsigned char *buf;
  for (i = 7; i >= 0; i--) hl = (hl << 8) | src[i];
  {
    char *h = malloc(hl + 1);
    memcpy(h, src + 8, hl);
    h[hl] = 0;
    root = json_tokener_parse(h);
    free(h);
  }
  edit(root);
  js = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
  jl = strlen(js);
  data_len = len - 8 - hl;
  buf = malloc(8 + jl + data_len);
  for (i = 0; i < 8; i++) buf[i] = (unsigned char)((uint64_t)jl >> (8 * i));
  memcpy(buf + 8, js, jl);
  memcpy(buf + 8 + jl, src + 8 + hl, data_len);
  json_object_put(root);
  *out_len = 8 + jl + data_len;
  return buf;
}

static json_object *meta_of(json_object *root) {
  json_object *m = NULL;
  json_object_object_get_ex(root, "__metadata__", &m);
  return m;
}
static void edit_dtype(json_object *r) {
  json_object *t;
  json_object_object_get_ex(r, "enc.1.0.conv.weight", &t);
  json_object_object_add(t, "dtype", json_object_new_string("F16"));
}
static void edit_shape(json_object *r) {
  json_object *t, *sh;
  json_object_object_get_ex(r, "dec.0.1.conv.weight", &t);
  json_object_object_get_ex(t, "shape", &sh);
  json_object_array_put_idx(sh, 0, json_object_new_int(2)); /* bytes no longer match */
}
static void edit_shape_swap(json_object *r) { /* same byte count, wrong shape: [4,4,3,3]->[4,4,9,1] */
  json_object *t, *sh;
  json_object_object_get_ex(r, "dec.0.1.conv.weight", &t);
  json_object_object_get_ex(t, "shape", &sh);
  json_object_array_put_idx(sh, 2, json_object_new_int(9));
  json_object_array_put_idx(sh, 3, json_object_new_int(1));
}
static void edit_missing(json_object *r) { json_object_object_del(r, "mid.1.bn.running_var"); }
static void edit_arch(json_object *r) {
  json_object_object_add(meta_of(r), "format", json_object_new_string("resnet"));
}
static void edit_depth(json_object *r) {
  json_object_object_add(meta_of(r), "depth", json_object_new_string("3"));
}
static void edit_upsample(json_object *r) {
  json_object_object_add(meta_of(r), "upsample", json_object_new_string("pixelshuffle"));
}
static void edit_nometa(json_object *r) { json_object_object_del(r, "__metadata__"); }
static void edit_offsets(json_object *r) {
  json_object *t, *off;
  json_object_object_get_ex(r, "head.conv.bias", &t);
  off = json_object_new_array();
  json_object_array_add(off, json_object_new_int(0));
  json_object_array_add(off, json_object_new_int64(1 << 30));
  json_object_object_add(t, "data_offsets", off);
}
static void edit_extra(json_object *r) {
  json_object *t, *copy = NULL;
  json_object_object_get_ex(r, "head.conv.bias", &t);
  json_object_deep_copy(t, &copy, NULL);
  json_object_object_add(r, "head.extra", copy);
}
static void edit_none(json_object *r) { (void)r; }

static void expect_model_error(const unsigned char *buf, size_t len, const char *what) {
  ft_ctx *ctx = ft_ctx_new();
  ft_model *m = (ft_model *)1;
  ft_status st = ft_model_load_memory(ctx, buf, len, "t.safetensors", &m);
  if (getenv("FT_TEST_VERBOSE") || st != FT_ERR_MODEL)
    printf("\n%s: status %d (%s)", what, st, ft_ctx_errmsg(ctx));
  CU_ASSERT_EQUAL(st, FT_ERR_MODEL);
  CU_ASSERT_PTR_NULL(m);
  CU_ASSERT(strncmp(ft_ctx_errmsg(ctx), "model: t.safetensors: ", 22) == 0);
  ft_ctx_free(ctx);
}

static void test_load_corrupt(void) {
  size_t len = 0, l2, cut;
  unsigned char *buf = read_all("tests/data/nn/tiny_transpose.safetensors", &len), *b2;
  static void (*const edits[])(json_object *) = {edit_dtype,    edit_shape,  edit_shape_swap,
                                                  edit_missing,  edit_arch,   edit_depth,
                                                  edit_upsample, edit_nometa, edit_offsets,
                                                  edit_extra};
  static const char *const names[] = {"dtype", "shape", "shape swap", "missing", "arch",
                                      "depth", "upsample", "no metadata", "offsets", "extra"};
  size_t i;
  ft_model *m = NULL;
  CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
  /* the rebuilt but unchanged file still loads */
  b2 = rebuild(buf, len, edit_none, &l2);
  CU_ASSERT_EQUAL(ft_model_load_memory(NULL, b2, l2, NULL, &m), FT_OK);
  ft_model_free(m);
  free(b2);
  /* truncation at several points: inside the length, the header, the data, the last byte */
  {
    const size_t cuts[] = {0, 5, 8, 9, 100, len / 2, len - 4, len - 1};
    for (i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
      cut = cuts[i];
      expect_model_error(buf, cut, "truncated");
    }
  }
  /* header length beyond the file, and absurdly large */
  b2 = malloc(len);
  memcpy(b2, buf, len);
  b2[0] = 0xff, b2[1] = 0xff, b2[2] = 0x7f;
  expect_model_error(b2, len, "header length");
  memset(b2, 0, 8);
  b2[7] = 0x80;
  expect_model_error(b2, len, "header length 2^63");
  /* bad JSON: break a brace */
  memcpy(b2, buf, len);
  b2[8] = '[';
  expect_model_error(b2, len, "json");
  memcpy(b2, buf, len);
  *(unsigned char *)memchr(b2 + 8, ':', len - 8) = ','; /* {"__metadata__",{... */
  expect_model_error(b2, len, "json separator");
  free(b2);
  for (i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    b2 = rebuild(buf, len, edits[i], &l2);
    expect_model_error(b2, l2, names[i]);
    free(b2);
  }
  free(buf);
}

/* ---- whole model ---- */

static ft_image *load_input(const char *rel) {
  size_t len;
  unsigned char *buf = read_all(rel, &len);
  int32_t hdr[3];
  ft_image *im = NULL;
  if (!buf) return NULL;
  memcpy(hdr, buf, sizeof hdr);
  if (ft_image_new(NULL, hdr[1], hdr[0], hdr[2], &im) == FT_OK)
    memcpy(im->data, buf + 12, sizeof(float) * (size_t)hdr[0] * hdr[1] * hdr[2]);
  free(buf);
  return im;
}

static void check_parity(const char *name, int tile) {
  char rel[256];
  ft_ctx *ctx = ft_ctx_new();
  ft_model *m = NULL;
  ft_image *im;
  ft_tensor *out = NULL;
  ft_model_params p;
  size_t len, i, n;
  unsigned char *ref;
  int32_t hdr[3];
  double e = 0.0;
  snprintf(rel, sizeof rel, "%s/tests/data/nn/%s.safetensors", ft_test_srcdir(), name);
  CU_ASSERT_EQUAL_FATAL(ft_model_load(ctx, rel, &m), FT_OK);
  snprintf(rel, sizeof rel, "tests/data/nn/%s.input.f32", name);
  im = load_input(rel);
  CU_ASSERT_PTR_NOT_NULL_FATAL(im);
  snprintf(rel, sizeof rel, "tests/data/nn/%s.output.f32", name);
  ref = read_all(rel, &len);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
  memcpy(hdr, ref, sizeof hdr);
  ft_model_params_init(&p);
  p.tile = tile;
  CU_ASSERT_EQUAL_FATAL(ft_model_run(ctx, m, im, &p, &out), FT_OK);
  CU_ASSERT_EQUAL(out->n, 1);
  CU_ASSERT_EQUAL(out->c, hdr[0]);
  CU_ASSERT_EQUAL(out->h, hdr[1]);
  CU_ASSERT_EQUAL(out->w, hdr[2]);
  n = (size_t)hdr[0] * hdr[1] * hdr[2];
  CU_ASSERT_EQUAL_FATAL(len, 12 + 4 * n);
  for (i = 0; i < n; i++) {
    float r;
    memcpy(&r, ref + 12 + 4 * i, 4);
    if (fabs(out->data[i] - r) > e) e = fabs(out->data[i] - r);
  }
  printf("[%s tile %d: max |C - PyTorch| = %.2g] ", name, tile, e);
  CU_ASSERT(e <= 1e-4);
  ft_tensor_free(out);
  free(ref);
  ft_image_free(im);
  ft_model_free(m);
  ft_ctx_free(ctx);
}

static void test_parity(void) {
  check_parity("tiny_transpose", 1024);
  check_parity("tiny_nearest", 1024);
}

static int cancel_cb(void *user, double f) {
  (void)f;
  return ++*(int *)user >= 2;
}

static void test_tiled_equals_whole(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_model *m = NULL;
  ft_image *im = NULL;
  ft_tensor *whole = NULL, *tiled = NULL, *t2 = NULL;
  ft_model_params p;
  char path[1024];
  size_t i, n;
  double e = 0.0, e2 = 0.0;
  int x, y, calls = 0;
  snprintf(path, sizeof path, "%s/tests/data/nn/tiny_transpose.safetensors", ft_test_srcdir());
  CU_ASSERT_EQUAL_FATAL(ft_model_load(ctx, path, &m), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 237, 301, 1, &im), FT_OK);
  for (y = 0; y < im->height; y++)
    for (x = 0; x < im->width; x++)
      im->data[(size_t)y * im->width + x] =
          0.5f + 0.3f * sinf(x * 0.11f) * cosf(y * 0.07f) + 0.1f * frand();
  ft_model_params_init(&p);
  p.threads = 1;
  CU_ASSERT_EQUAL_FATAL(ft_model_run(ctx, m, im, &p, &whole), FT_OK);
  p.tile = 96; /* margin 28: 40-pixel steps, several tiles each way */
  p.threads = 3;
  CU_ASSERT_EQUAL_FATAL(ft_model_run(ctx, m, im, &p, &tiled), FT_OK);
  p.tile = 64;
  p.threads = 1;
  CU_ASSERT_EQUAL_FATAL(ft_model_run(ctx, m, im, &p, &t2), FT_OK);
  n = (size_t)whole->c * whole->h * whole->w;
  for (i = 0; i < n; i++) {
    if (fabs(whole->data[i] - tiled->data[i]) > e) e = fabs(whole->data[i] - tiled->data[i]);
    if (fabs(whole->data[i] - t2->data[i]) > e2) e2 = fabs(whole->data[i] - t2->data[i]);
  }
  printf("[tiled vs whole: %.2g, %.2g] ", e, e2);
  CU_ASSERT(e <= 1e-4);
  CU_ASSERT(e2 <= 1e-4);
  ft_tensor_free(t2);
  t2 = NULL;
  /* more threads than tiles: tiles one after another, operators split over 64 threads */
  p.tile = 96;
  p.threads = 64;
  CU_ASSERT_EQUAL_FATAL(ft_model_run(ctx, m, im, &p, &t2), FT_OK);
  e2 = 0.0;
  for (i = 0; i < n; i++)
    if (fabs(whole->data[i] - t2->data[i]) > e2) e2 = fabs(whole->data[i] - t2->data[i]);
  CU_ASSERT(e2 <= 1e-4);
  ft_tensor_free(t2);
  t2 = NULL;
  /* a tile that leaves no room inside its margins is refused */
  p.tile = 56;
  CU_ASSERT_EQUAL(ft_model_run(ctx, m, im, &p, &t2), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(t2);
  p.tile = 16;
  CU_ASSERT_EQUAL(ft_model_run(ctx, m, im, &p, &t2), FT_ERR_INVAL);
  /* cancelling through progress stops the run with nothing returned */
  ft_model_params_init(&p);
  p.tile = 64;
  ft_ctx_set_progress(ctx, cancel_cb, &calls);
  CU_ASSERT_EQUAL(ft_model_run(ctx, m, im, &p, &t2), FT_ERR_CANCELLED);
  CU_ASSERT_PTR_NULL(t2);
  ft_tensor_free(whole);
  ft_tensor_free(tiled);
  ft_image_free(im);
  ft_model_free(m);
  ft_ctx_free(ctx);
}

/* Progress callback that keeps the first (smallest) fraction reported: with
 * one thread the first tile reports 1 / tiles. */
static int first_fraction_cb(void *user, double f) {
  double *first = user;
  if (*first < 0 || f < *first) *first = f;
  return 0;
}

/* Tiles of one ft_model_run over a height x width image (1 thread). */
static int count_tiles(ft_ctx *ctx, const ft_model *m, int height, int width, int tile,
                       ft_tensor **out) {
  ft_image *im = NULL;
  ft_model_params p;
  double first = -1;
  int x, y;
  *out = NULL;
  if (ft_image_new(ctx, width, height, 1, &im) != FT_OK) return -1;
  for (y = 0; y < height; y++)
    for (x = 0; x < width; x++)
      im->data[(size_t)y * width + x] = 0.5f + 0.4f * sinf(x * 0.05f + y * 0.13f);
  ft_model_params_init(&p);
  p.threads = 1;
  p.tile = tile;
  ft_ctx_set_progress(ctx, first_fraction_cb, &first);
  if (ft_model_run(ctx, m, im, &p, out) != FT_OK) first = -1;
  ft_ctx_set_progress(ctx, NULL, NULL);
  ft_image_free(im);
  return first > 0 ? (int)lround(1.0 / first) : -1;
}

static void test_auto_tile(void) {
  /* the default tile keeps 1024 px after the margins (28 here, so 1080 in
   * all): a 1060 px side is one tile (a plain 1024 would cut it in two),
   * 2100 px two (it would be three), and the result equals the whole
   * image's */
  ft_ctx *ctx = ft_ctx_new();
  ft_model *m = NULL;
  ft_tensor *a = NULL, *b = NULL;
  ft_model_params p;
  char path[1024];
  size_t i, n;
  double e = 0.0;
  snprintf(path, sizeof path, "%s/tests/data/nn/tiny_transpose.safetensors", ft_test_srcdir());
  CU_ASSERT_EQUAL_FATAL(ft_model_load(ctx, path, &m), FT_OK);
  ft_model_params_init(&p);
  CU_ASSERT_EQUAL(p.tile, 0);
  CU_ASSERT_EQUAL(count_tiles(ctx, m, 24, 1060, 0, &a), 1);
  ft_tensor_free(a);
  CU_ASSERT_EQUAL(count_tiles(ctx, m, 24, 1060, 1024, &a), 2);
  ft_tensor_free(a);
  CU_ASSERT_EQUAL(count_tiles(ctx, m, 24, 2100, 1024, &a), 3);
  ft_tensor_free(a);
  CU_ASSERT_EQUAL(count_tiles(ctx, m, 24, 2100, 0, &a), 2);
  CU_ASSERT_EQUAL(count_tiles(ctx, m, 24, 2100, 8192, &b), 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL(a);
  CU_ASSERT_PTR_NOT_NULL_FATAL(b);
  n = (size_t)a->c * a->h * a->w;
  for (i = 0; i < n; i++)
    if (fabs(a->data[i] - b->data[i]) > e) e = fabs(a->data[i] - b->data[i]);
  CU_ASSERT(e <= 1e-4);
  ft_tensor_free(a);
  ft_tensor_free(b);
  /* anything else below 32 is refused, 0 included only as "automatic" */
  CU_ASSERT_EQUAL(count_tiles(ctx, m, 24, 100, -1, &a), -1);
  CU_ASSERT_PTR_NULL(a);
  CU_ASSERT_EQUAL(count_tiles(ctx, m, 24, 100, 31, &a), -1);
  CU_ASSERT_PTR_NULL(a);
  ft_model_free(m);
  ft_ctx_free(ctx);
}

static void test_channels(void) {
  /* the 3-channel model takes gray (replicated) and RGBA (alpha dropped) */
  ft_ctx *ctx = ft_ctx_new();
  ft_model *m = NULL;
  ft_image *g = NULL, *rgb = NULL, *rgba = NULL;
  ft_tensor *a = NULL, *b = NULL;
  char path[1024];
  size_t i, n = 20 * 17;
  int same = 1;
  snprintf(path, sizeof path, "%s/tests/data/nn/tiny_nearest.safetensors", ft_test_srcdir());
  CU_ASSERT_EQUAL_FATAL(ft_model_load(ctx, path, &m), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 17, 20, 1, &g), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 17, 20, 3, &rgb), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_image_new(ctx, 17, 20, 4, &rgba), FT_OK);
  for (i = 0; i < n; i++) {
    g->data[i] = 0.5f + 0.5f * frand();
    rgb->data[3 * i] = rgb->data[3 * i + 1] = rgb->data[3 * i + 2] = g->data[i];
    rgba->data[4 * i] = rgba->data[4 * i + 1] = rgba->data[4 * i + 2] = g->data[i];
    rgba->data[4 * i + 3] = 0.25f;
  }
  CU_ASSERT_EQUAL_FATAL(ft_model_run(ctx, m, g, NULL, &a), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_model_run(ctx, m, rgba, NULL, &b), FT_OK);
  CU_ASSERT_EQUAL(a->c, 1);
  for (i = 0; i < n; i++) {
    same &= a->data[i] == b->data[i];
    CU_ASSERT(a->data[i] > 0.0f && a->data[i] < 1.0f);
  }
  CU_ASSERT(same);
  ft_tensor_free(a);
  ft_tensor_free(b);
  ft_image_free(g);
  ft_image_free(rgb);
  ft_image_free(rgba);
  ft_model_free(m);
  ft_ctx_free(ctx);
}

static void test_tensor(void) {
  ft_tensor *t = NULL;
  CU_ASSERT_EQUAL(ft_tensor_new(NULL, 1, 2, 3, 4, &t), FT_OK);
  CU_ASSERT_EQUAL(t->data[23], 0.0f);
  ft_tensor_free(t);
  CU_ASSERT_EQUAL(ft_tensor_new(NULL, 1, 0, 3, 4, &t), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(t);
  CU_ASSERT_EQUAL(ft_tensor_new(NULL, 1 << 30, 1 << 30, 1 << 30, 1 << 30, &t), FT_ERR_TOOBIG);
  ft_tensor_free(NULL);
}

int main(void) {
  static const ft_test_case cases[] = {
      {"conv 3x3 vs naive", test_conv3x3},
      {"conv 3x3 direct kernel vs naive", test_conv3x3_direct},
      {"conv 1x1 vs naive", test_conv1x1},
      {"max-pool 2x2", test_maxpool},
      {"transposed conv 2x2 vs naive", test_convt},
      {"upsample, softmax, sigmoid", test_upsample_softmax_sigmoid},
      {"tensor new/free", test_tensor},
      {"load valid model", test_load_valid},
      {"load corrupt models", test_load_corrupt},
      {"parity with PyTorch", test_parity},
      {"tiled equals whole image", test_tiled_equals_whole},
      {"automatic tile keeps 1024 px", test_auto_tile},
      {"channel conversion", test_channels},
      {NULL, NULL}};
  return ft_test_main("nn", cases);
}
