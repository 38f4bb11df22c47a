/* src/nn/ops.c - the tensor operators of the U-Net forward pass.
 *
 * Convolutions follow the im2col + GEMM formulation (Chellapilla, Puri and
 * Simard, "High performance convolutional neural networks for document
 * processing", 2006; the same lowering as Caffe and ggml_conv_2d): the 3x3
 * neighbourhoods of a band of rows are unrolled into a [cin*9][rows*w] matrix
 * and multiplied by the [cout][cin*9] weights with cblas_sgemm, writing
 * straight into the band's rows of the output.  Bands keep the unrolled
 * matrix small enough to stay in cache, and bias and ReLU are applied to the
 * band right after its GEMM, while it is still hot.  A 1-channel input (the
 * first layer on gray images) gains nothing from GEMM (K = 9) and uses a
 * direct stencil instead.  A 2x2 stride-2 transposed convolution is one GEMM
 * giving, for every input pixel, the four output pixels it covers, scattered
 * afterwards.  Every layout is planar [C][H][W].
 *
 * On CPUs with AVX2 + FMA the forward pass runs its 3x3 convolutions with the
 * direct kernel of direct.c instead (3x faster at 10 channels, still 1.2x
 * at 80); this GEMM path serves everywhere else and is what it is tested
 * against.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "dl/blas.h"
#include "nn/internal.h"

static int band_rows(int cin, int h, int w) {
  size_t k = (size_t)cin * 9;
  size_t per_row = k * (size_t)w;
  size_t rows = FT__NN_COL_BUDGET / (per_row ? per_row : 1);
  if (rows < 1) rows = 1;
  if (rows > (size_t)h) rows = (size_t)h;
  return (int)rows;
}

size_t ft__conv3x3_scratch(int cin, int h, int w) {
  int rows = band_rows(cin, h, w);
  size_t im2col = cin == 1 ? 0 : (size_t)cin * 9 * (size_t)w * (size_t)rows;
  size_t direct = ft__direct_available() ? ft__direct_scratch(cin, rows, w) : 0;
  return im2col > direct ? im2col : direct;
}

/* Unroll rows [r0, r1) of in [cin][h][w] into col [cin*9][(r1-r0)*w]. */
static void im2col_band(const float *in, int cin, int h, int w, int r0, int r1, float *col) {
  size_t ncols = (size_t)(r1 - r0) * (size_t)w;
  int ci, ky, kx, r;
  for (ci = 0; ci < cin; ci++) {
    const float *plane = in + (size_t)ci * h * w;
    for (ky = 0; ky < 3; ky++)
      for (kx = 0; kx < 3; kx++) {
        float *dst = col + ((size_t)ci * 9 + ky * 3 + kx) * ncols;
        int dx = kx - 1;
        for (r = r0; r < r1; r++, dst += w) {
          int sy = r + ky - 1;
          const float *src;
          if (sy < 0 || sy >= h) {
            memset(dst, 0, sizeof(float) * (size_t)w);
            continue;
          }
          src = plane + (size_t)sy * w;
          if (w == 1) {
            dst[0] = dx == 0 ? src[0] : 0.0f;
          } else if (dx < 0) {
            dst[0] = 0.0f;
            memcpy(dst + 1, src, sizeof(float) * (size_t)(w - 1));
          } else if (dx > 0) {
            memcpy(dst, src + 1, sizeof(float) * (size_t)(w - 1));
            dst[w - 1] = 0.0f;
          } else {
            memcpy(dst, src, sizeof(float) * (size_t)w);
          }
        }
      }
  }
}

/* Add bias[co] to n values of each of cout planes (stride apart), then ReLU. */
static void bias_relu(float *out, int cout, size_t stride, size_t n, const float *bias, int relu) {
  int co;
  size_t i;
  for (co = 0; co < cout; co++) {
    float *o = out + (size_t)co * stride;
    float b = bias ? bias[co] : 0.0f;
    if (relu)
      for (i = 0; i < n; i++) {
        float v = o[i] + b;
        o[i] = v > 0.0f ? v : 0.0f;
      }
    else if (b != 0.0f)
      for (i = 0; i < n; i++) o[i] += b;
  }
}

/* Direct 3x3 stencil for one input channel over output rows [r0, r1). */
static void conv3x3_c1(const float *in, int h, int w, const float *wt, const float *bias,
                       int cout, int relu, float *out, int r0, int r1) {
  int co, y, ky, x;
  size_t hw = (size_t)h * w;
  for (co = 0; co < cout; co++) {
    const float *k = wt + (size_t)co * 9;
    float *o = out + (size_t)co * hw;
    for (y = r0; y < r1; y++) {
      float *orow = o + (size_t)y * w;
      memset(orow, 0, sizeof(float) * (size_t)w);
      for (ky = 0; ky < 3; ky++) {
        int sy = y + ky - 1;
        const float *s;
        float k0 = k[ky * 3], k1 = k[ky * 3 + 1], k2 = k[ky * 3 + 2];
        if (sy < 0 || sy >= h) continue;
        s = in + (size_t)sy * w;
        if (w == 1) {
          orow[0] += k1 * s[0];
          continue;
        }
        orow[0] += k1 * s[0] + k2 * s[1];
        for (x = 1; x < w - 1; x++) orow[x] += k0 * s[x - 1] + k1 * s[x] + k2 * s[x + 1];
        orow[w - 1] += k0 * s[w - 2] + k1 * s[w - 1];
      }
    }
  }
  bias_relu(out + (size_t)r0 * w, cout, hw, (size_t)(r1 - r0) * w, bias, relu);
}

int ft__conv3x3_band(int cin, int h, int w) { return band_rows(cin, h, w); }

void ft__conv3x3_rows(const float *in, int cin, int h, int w, const float *wt, const float *bias,
                      int cout, int relu, float *out, float *col, int r0, int r1) {
  size_t hw = (size_t)h * w;
  int k = cin * 9, ncols = (r1 - r0) * w;
  float *ob = out + (size_t)r0 * w;
  if (cin == 1) {
    conv3x3_c1(in, h, w, wt, bias, cout, relu, out, r0, r1);
    return;
  }
  im2col_band(in, cin, h, w, r0, r1, col);
  /* out band [cout][ncols] (row stride hw) = wt [cout][k] x col [k][ncols] */
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, cout, ncols, k, 1.0f, wt, k, col, ncols,
              0.0f, ob, (int)hw);
  bias_relu(ob, cout, hw, (size_t)ncols, bias, relu);
}

void ft__conv3x3(const float *in, int cin, int h, int w, const float *wt, const float *bias,
                 int cout, int relu, float *out, float *col) {
  int rows = cin == 1 ? h : band_rows(cin, h, w), r0;
  for (r0 = 0; r0 < h; r0 += rows)
    ft__conv3x3_rows(in, cin, h, w, wt, bias, cout, relu, out, col, r0,
                     r0 + rows < h ? r0 + rows : h);
}

void ft__conv1x1_cols(const float *in, int cin, int hw, const float *wt, const float *bias,
                      int cout, int relu, float *out, int p0, int p1) {
  /* out [cout][p0:p1] (row stride hw) = wt [cout][cin] x in [cin][p0:p1] */
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, cout, p1 - p0, cin, 1.0f, wt, cin,
              in + p0, hw, 0.0f, out + p0, hw);
  bias_relu(out + p0, cout, (size_t)hw, (size_t)(p1 - p0), bias, relu);
}

void ft__conv1x1(const float *in, int cin, int hw, const float *wt, const float *bias, int cout,
                 int relu, float *out) {
  ft__conv1x1_cols(in, cin, hw, wt, bias, cout, relu, out, 0, hw);
}

void ft__maxpool2(const float *in, int c, int h, int w, float *out) {
  int ch, y, x, oh = h / 2, ow = w / 2;
  for (ch = 0; ch < c; ch++) {
    const float *p = in + (size_t)ch * h * w;
    float *o = out + (size_t)ch * oh * ow;
    for (y = 0; y < oh; y++) {
      const float *a = p + (size_t)(2 * y) * w, *b = a + w;
      float *orow = o + (size_t)y * ow;
      for (x = 0; x < ow; x++) {
        float m0 = a[2 * x] > a[2 * x + 1] ? a[2 * x] : a[2 * x + 1];
        float m1 = b[2 * x] > b[2 * x + 1] ? b[2 * x] : b[2 * x + 1];
        orow[x] = m0 > m1 ? m0 : m1;
      }
    }
  }
}

void ft__convt_weight_pack(const float *pt, int cin, int cout, float *packed) {
  int ci, co, t;
  for (ci = 0; ci < cin; ci++)
    for (co = 0; co < cout; co++)
      for (t = 0; t < 4; t++)
        packed[((size_t)co * 4 + t) * cin + ci] = pt[((size_t)ci * cout + co) * 4 + t];
}

void ft__convt2x2_rows(const float *in, int cin, int h, int w, const float *wt,
                       const float *bias, int cout, float *out, float *tmp, int y0, int y1) {
  int hw = h * w, co, t, y, x, ow = 2 * w, n = (y1 - y0) * w;
  /* tmp [cout*4][y0*w : y1*w] (row stride hw) = wt [cout*4][cin] x in [cin][y0*w : y1*w] */
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, cout * 4, n, cin, 1.0f, wt, cin,
              in + (size_t)y0 * w, hw, 0.0f, tmp + (size_t)y0 * w, hw);
  for (co = 0; co < cout; co++) {
    float b = bias ? bias[co] : 0.0f;
    float *o = out + (size_t)co * 4 * hw;
    for (t = 0; t < 4; t++) {
      const float *s = tmp + ((size_t)co * 4 + t) * hw;
      int dy = t >> 1, dx = t & 1;
      for (y = y0; y < y1; y++) {
        float *orow = o + (size_t)(2 * y + dy) * ow + dx;
        const float *srow = s + (size_t)y * w;
        for (x = 0; x < w; x++) orow[2 * x] = srow[x] + b;
      }
    }
  }
}

void ft__convt2x2(const float *in, int cin, int h, int w, const float *wt, const float *bias,
                  int cout, float *out, float *tmp) {
  ft__convt2x2_rows(in, cin, h, w, wt, bias, cout, out, tmp, 0, h);
}

void ft__upsample_nearest2(const float *in, int c, int h, int w, float *out) {
  int ch, y, x, ow = 2 * w;
  for (ch = 0; ch < c; ch++) {
    const float *p = in + (size_t)ch * h * w;
    float *o = out + (size_t)ch * 4 * h * w;
    for (y = 0; y < h; y++) {
      float *r0 = o + (size_t)(2 * y) * ow;
      const float *s = p + (size_t)y * w;
      for (x = 0; x < w; x++) r0[2 * x] = r0[2 * x + 1] = s[x];
      memcpy(r0 + ow, r0, sizeof(float) * (size_t)ow);
    }
  }
}

void ft__softmax_channels(float *x, int c, size_t hw) { ft__softmax_range(x, c, hw, 0, hw); }

void ft__softmax_range(float *x, int c, size_t hw, size_t q0, size_t q1) {
  enum { BLOCK = 256 };
  float mx[BLOCK], sum[BLOCK];
  size_t p0, i;
  int ch;
  for (p0 = q0; p0 < q1; p0 += BLOCK) {
    size_t n = q1 - p0 < BLOCK ? q1 - p0 : BLOCK;
    for (i = 0; i < n; i++) {
      mx[i] = -FLT_MAX;
      sum[i] = 0.0f;
    }
    for (ch = 0; ch < c; ch++) {
      const float *v = x + (size_t)ch * hw + p0;
      for (i = 0; i < n; i++)
        if (v[i] > mx[i]) mx[i] = v[i];
    }
    for (ch = 0; ch < c; ch++) {
      float *v = x + (size_t)ch * hw + p0;
      for (i = 0; i < n; i++) {
        v[i] = expf(v[i] - mx[i]);
        sum[i] += v[i];
      }
    }
    for (ch = 0; ch < c; ch++) {
      float *v = x + (size_t)ch * hw + p0;
      for (i = 0; i < n; i++) v[i] /= sum[i];
    }
  }
}

void ft__sigmoid(float *x, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) x[i] = 1.0f / (1.0f + expf(-x[i]));
}
