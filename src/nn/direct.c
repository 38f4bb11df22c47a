/* src/nn/direct.c - direct convolution kernels for AVX2 + FMA.
 *
 * The im2col + GEMM lowering of ops.c spends most of its time around the
 * multiplication when the channel counts are small (10 to 80 here): the
 * unrolled matrix is written, OpenBLAS packs it again, beta = 0 zeroes the
 * output, and bias + ReLU is one more pass.  This kernel reads the input
 * planes directly and keeps a block of output in registers: COB output
 * channels x 16 pixels of one row (2 x 8-float vectors).  For every input
 * channel and each of the 9 taps it loads two input vectors and broadcasts
 * COB weights, so each load feeds COB or 2 fused multiply-adds; bias is the
 * accumulators' start and ReLU is applied before the one store.  The band's
 * input rows are first copied into a zero-framed scratch (one column each
 * side, width rounded up to the block), so the inner loop has no edge cases.
 *
 * Weights are repacked at model load to [groups][cin][9][COB], output
 * channels padded with zeros to a multiple of COB; COB is 4, 5 or 6,
 * whichever pads least (the shipped models have 10 << l or 12 << l channels).
 *
 * The 2x2 stride-2 transposed convolution gets the same treatment: four taps
 * of one output channel for 16 input pixels in registers, interleaved into
 * the two output rows as they are stored, instead of a GEMM into scratch and
 * a scatter pass.
 *
 * Only built for x86-64 with GCC or Clang; the kernels are compiled for AVX2 +
 * FMA with a target attribute and used when the CPU has both (asked at run
 * time), so the library still runs on any x86-64.  Elsewhere ft__direct_available()
 * is 0 and the GEMM path serves.
 */
#include "config.h"

#include <string.h>

#include "nn/internal.h"

#define XV 2        /* vectors of 8 floats per block row */
#define XB (8 * XV) /* pixels per block */
#define COB_MAX 6

int ft__direct_cob(int cout) {
  int best = 0, c, waste = 1 << 30;
  for (c = COB_MAX; c >= 4; c--) {
    int w = ft__ceil_div(cout, c) * c - cout;
    if (w < waste) {
      waste = w;
      best = c;
    }
  }
  return best;
}

size_t ft__direct_packed_floats(int cin, int cout) {
  int cob = ft__direct_cob(cout);
  return (size_t)ft__ceil_div(cout, cob) * cob * cin * 9;
}

void ft__direct_pack(const float *wt, int cin, int cout, float *p) {
  int cob = ft__direct_cob(cout), ng = ft__ceil_div(cout, cob), g, ci, k, c;
  for (g = 0; g < ng; g++)
    for (ci = 0; ci < cin; ci++)
      for (k = 0; k < 9; k++)
        for (c = 0; c < cob; c++) {
          int co = g * cob + c;
          *p++ = co < cout ? wt[((size_t)co * cin + ci) * 9 + k] : 0.0f;
        }
}

static int padded_width(int w) { return ft__ceil_div(w, XB) * XB + 2; }

void ft__direct_convt_pack(const float *gemm_w, int cin, int cout, float *p) {
  int co, ci, t;
  for (co = 0; co < cout; co++)
    for (ci = 0; ci < cin; ci++)
      for (t = 0; t < 4; t++) *p++ = gemm_w[((size_t)co * 4 + t) * cin + ci];
}

/* Output pixels of input pixels [x0, w) of row y, one channel: the plain loop
 * for the part of a row too short for a vector block. */
static void convt_tail(const float *in, int cin, int h, int w, const float *wc, float b,
                       float *o0, float *o1, int y, int x0) {
  size_t hw = (size_t)h * w;
  int x, ci, t;
  for (x = x0; x < w; x++) {
    float s[4] = {b, b, b, b};
    for (ci = 0; ci < cin; ci++) {
      float v = in[(size_t)ci * hw + (size_t)y * w + x];
      for (t = 0; t < 4; t++) s[t] += wc[ci * 4 + t] * v;
    }
    o0[2 * x] = s[0];
    o0[2 * x + 1] = s[1];
    o1[2 * x] = s[2];
    o1[2 * x + 1] = s[3];
  }
}

size_t ft__direct_scratch(int cin, int rows, int w) {
  return (size_t)cin * (size_t)(rows + 2) * (size_t)padded_width(w) + XB;
}

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma")))

/* Copy input rows r0-1 .. r1 of every channel into pad [cin][nr][pw], with a
 * zero column on the left, zeros past the right edge, zero rows off the image. */
static void frame_band(const float *in, int cin, int h, int w, int r0, int r1, float *pad) {
  int pw = padded_width(w), nr = r1 - r0 + 2, ci, r;
  size_t hw = (size_t)h * w;
  for (ci = 0; ci < cin; ci++)
    for (r = 0; r < nr; r++) {
      float *d = pad + ((size_t)ci * nr + r) * pw;
      int sy = r0 - 1 + r;
      if (sy < 0 || sy >= h) {
        memset(d, 0, sizeof(float) * (size_t)pw);
        continue;
      }
      d[0] = 0.0f;
      memcpy(d + 1, in + (size_t)ci * hw + (size_t)sy * w, sizeof(float) * (size_t)w);
      memset(d + 1 + w, 0, sizeof(float) * (size_t)(pw - 1 - w));
    }
}

/* Output rows [r0, r1) from the framed band; cob is a constant in each caller,
 * so the loops over it and over the block's vectors unroll into registers. */
static inline __attribute__((always_inline)) TARGET void
rows_cob(const float *pad, int cin, int h, int w, const float *wd, const float *bias, int cout,
         int relu, float *out, float *tmp, int r0, int r1, const int cob) {
  int pw = padded_width(w), nr = r1 - r0 + 2, ng = ft__ceil_div(cout, cob), y, xb, g, ci, k, c, v;
  size_t hw = (size_t)h * w;
  for (y = r0; y < r1; y++)
    for (xb = 0; xb < w; xb += XB)
      for (g = 0; g < ng; g++) {
        __m256 acc[COB_MAX][XV];
        const float *wv = wd + (size_t)g * cin * 9 * cob;
#pragma GCC unroll 8
        for (c = 0; c < cob; c++) {
          __m256 b = _mm256_set1_ps(bias && g * cob + c < cout ? bias[g * cob + c] : 0.0f);
#pragma GCC unroll 4
          for (v = 0; v < XV; v++) acc[c][v] = b;
        }
        for (ci = 0; ci < cin; ci++) {
          const float *p0 = pad + ((size_t)ci * nr + (size_t)(y - r0)) * pw + xb;
#pragma GCC unroll 9
          for (k = 0; k < 9; k++, wv += cob) {
            const float *p = p0 + (k / 3) * pw + k % 3;
            __m256 iv[XV];
#pragma GCC unroll 4
            for (v = 0; v < XV; v++) iv[v] = _mm256_loadu_ps(p + 8 * v);
#pragma GCC unroll 8
            for (c = 0; c < cob; c++) {
              __m256 b = _mm256_broadcast_ss(wv + c);
#pragma GCC unroll 4
              for (v = 0; v < XV; v++) acc[c][v] = _mm256_fmadd_ps(b, iv[v], acc[c][v]);
            }
          }
        }
#pragma GCC unroll 8
        for (c = 0; c < cob; c++) {
          float *o;
          if (g * cob + c >= cout) break;
          o = out + (size_t)(g * cob + c) * hw + (size_t)y * w + xb;
          if (relu)
#pragma GCC unroll 4
            for (v = 0; v < XV; v++) acc[c][v] = _mm256_max_ps(acc[c][v], _mm256_setzero_ps());
          if (xb + XB <= w) {
#pragma GCC unroll 4
            for (v = 0; v < XV; v++) _mm256_storeu_ps(o + 8 * v, acc[c][v]);
          } else {
#pragma GCC unroll 4
            for (v = 0; v < XV; v++) _mm256_storeu_ps(tmp + 8 * v, acc[c][v]);
            memcpy(o, tmp, sizeof(float) * (size_t)(w - xb));
          }
        }
      }
}

TARGET static void rows4(const float *pad, int cin, int h, int w, const float *wd,
                         const float *bias, int cout, int relu, float *out, float *tmp, int r0,
                         int r1) {
  rows_cob(pad, cin, h, w, wd, bias, cout, relu, out, tmp, r0, r1, 4);
}

TARGET static void rows5(const float *pad, int cin, int h, int w, const float *wd,
                         const float *bias, int cout, int relu, float *out, float *tmp, int r0,
                         int r1) {
  rows_cob(pad, cin, h, w, wd, bias, cout, relu, out, tmp, r0, r1, 5);
}

TARGET static void rows6(const float *pad, int cin, int h, int w, const float *wd,
                         const float *bias, int cout, int relu, float *out, float *tmp, int r0,
                         int r1) {
  rows_cob(pad, cin, h, w, wd, bias, cout, relu, out, tmp, r0, r1, 6);
}

/* The 2x2 stride-2 transposed convolution for input rows [y0, y1): 16 input
 * pixels of one row and one output channel per block, the four taps in
 * registers, interleaved into the two output rows' 32 pixels at the store. */
TARGET void ft__direct_convt_rows(const float *in, int cin, int h, int w, const float *wd,
                                  const float *bias, int cout, float *out, int y0, int y1) {
  size_t hw = (size_t)h * w, ow = 2 * (size_t)w;
  int y, co, xb, ci, t, v, wv = w / XB * XB;
  for (y = y0; y < y1; y++)
    for (co = 0; co < cout; co++) {
      const float *wc = wd + (size_t)co * cin * 4;
      float b = bias ? bias[co] : 0.0f;
      float *o0 = out + (size_t)co * 4 * hw + (size_t)(2 * y) * ow, *o1 = o0 + ow;
      for (xb = 0; xb < wv; xb += XB) {
        __m256 acc[4][XV];
#pragma GCC unroll 4
        for (t = 0; t < 4; t++)
#pragma GCC unroll 4
          for (v = 0; v < XV; v++) acc[t][v] = _mm256_set1_ps(b);
        for (ci = 0; ci < cin; ci++) {
          const float *p = in + (size_t)ci * hw + (size_t)y * w + xb;
          __m256 iv[XV];
#pragma GCC unroll 4
          for (v = 0; v < XV; v++) iv[v] = _mm256_loadu_ps(p + 8 * v);
#pragma GCC unroll 4
          for (t = 0; t < 4; t++) {
            __m256 k = _mm256_broadcast_ss(wc + ci * 4 + t);
#pragma GCC unroll 4
            for (v = 0; v < XV; v++) acc[t][v] = _mm256_fmadd_ps(k, iv[v], acc[t][v]);
          }
        }
#pragma GCC unroll 4
        for (v = 0; v < XV; v++) {
          /* [a0 b0 a1 b1 | a4 b4 a5 b5] and [a2 b2 a3 b3 | a6 b6 a7 b7] -> x0..3, x4..7 */
          __m256 lo0 = _mm256_unpacklo_ps(acc[0][v], acc[1][v]);
          __m256 hi0 = _mm256_unpackhi_ps(acc[0][v], acc[1][v]);
          __m256 lo1 = _mm256_unpacklo_ps(acc[2][v], acc[3][v]);
          __m256 hi1 = _mm256_unpackhi_ps(acc[2][v], acc[3][v]);
          float *d0 = o0 + 2 * (xb + 8 * v), *d1 = o1 + 2 * (xb + 8 * v);
          _mm256_storeu_ps(d0, _mm256_permute2f128_ps(lo0, hi0, 0x20));
          _mm256_storeu_ps(d0 + 8, _mm256_permute2f128_ps(lo0, hi0, 0x31));
          _mm256_storeu_ps(d1, _mm256_permute2f128_ps(lo1, hi1, 0x20));
          _mm256_storeu_ps(d1 + 8, _mm256_permute2f128_ps(lo1, hi1, 0x31));
        }
      }
      convt_tail(in, cin, h, w, wc, b, o0, o1, y, wv);
    }
}

int ft__direct_available(void) {
  __builtin_cpu_init(); /* normally done by a constructor already; cheap if so */
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

void ft__direct_rows(const float *in, int cin, int h, int w, const float *wd, const float *bias,
                     int cout, int relu, float *out, float *scratch, int r0, int r1) {
  int cob = ft__direct_cob(cout);
  float *tmp = scratch + (size_t)cin * (size_t)(r1 - r0 + 2) * (size_t)padded_width(w);
  frame_band(in, cin, h, w, r0, r1, scratch);
  if (cob == 4)
    rows4(scratch, cin, h, w, wd, bias, cout, relu, out, tmp, r0, r1);
  else if (cob == 5)
    rows5(scratch, cin, h, w, wd, bias, cout, relu, out, tmp, r0, r1);
  else
    rows6(scratch, cin, h, w, wd, bias, cout, relu, out, tmp, r0, r1);
}

#else

int ft__direct_available(void) { return 0; }

/* Never chosen where ft__direct_available() is 0; kept correct all the same. */
void ft__direct_convt_rows(const float *in, int cin, int h, int w, const float *wd,
                           const float *bias, int cout, float *out, int y0, int y1) {
  int co, y;
  for (co = 0; co < cout; co++)
    for (y = y0; y < y1; y++) {
      float *o0 = out + (size_t)co * 4 * h * w + (size_t)(2 * y) * 2 * w;
      convt_tail(in, cin, h, w, wd + (size_t)co * cin * 4, bias ? bias[co] : 0.0f, o0,
                 o0 + 2 * w, y, 0);
    }
}

void ft__direct_rows(const float *in, int cin, int h, int w, const float *wd, const float *bias,
                     int cout, int relu, float *out, float *scratch, int r0, int r1) {
  int cob = ft__direct_cob(cout), y, x, co, ci, k;
  size_t hw = (size_t)h * w;
  (void)scratch;
  for (co = 0; co < cout; co++) {
    const float *wg = wd + (size_t)(co / cob) * cin * 9 * cob + co % cob;
    for (y = r0; y < r1; y++)
      for (x = 0; x < w; x++) {
        float s = bias ? bias[co] : 0.0f;
        for (ci = 0; ci < cin; ci++)
          for (k = 0; k < 9; k++) {
            int sy = y + k / 3 - 1, sx = x + k % 3 - 1;
            if (sy >= 0 && sy < h && sx >= 0 && sx < w)
              s += wg[((size_t)ci * 9 + k) * cob] * in[(size_t)ci * hw + (size_t)sy * w + sx];
          }
        out[(size_t)co * hw + (size_t)y * w + x] = relu && s < 0.0f ? 0.0f : s;
      }
  }
}

#endif
