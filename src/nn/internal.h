/* src/nn/internal.h - operators and model internals shared by the files of src/nn.
 *
 * Activations of one image are planar float32 [C][H][W] (n = 1, so the batch
 * dimension is implicit).  Operators write into caller-provided buffers,
 * never allocate, and take a scratch buffer where they need one, so the
 * forward pass plans all memory once per tile size.
 */
#ifndef FT_NN_INTERNAL_H
#define FT_NN_INTERNAL_H

#include <stddef.h>

#include "core/internal.h"
#include "figtrace/nn.h"

/* Floats of im2col scratch a 3x3 convolution works through at a time: the
 * columns are built in bands of whole rows that fit this budget. */
#ifndef FT__NN_COL_BUDGET
#define FT__NN_COL_BUDGET ((size_t)1 << 18)
#endif

/* a / b rounded up, for positive a and b. */
static inline int ft__ceil_div(int a, int b) { return (a + b - 1) / b; }

/* Scratch floats one band of a 3x3 convolution needs for cin input channels
 * and width w, by either path (ft__conv3x3_rows or, where available,
 * ft__direct_rows over ft__conv3x3_band rows). */
size_t ft__conv3x3_scratch(int cin, int h, int w);

/* 3x3 convolution, stride 1, zero "same" padding, plus bias, then ReLU when relu != 0.
 *   in   [cin][h][w]
 *   wt   [cout][cin][3][3]
 *   bias [cout] (may be NULL)
 *   out  [cout][h][w]   (must not alias in)
 *   col  scratch of ft__conv3x3_scratch(cin, h, w) floats (unused when cin == 1)
 * Uses im2col in row bands + cblas_sgemm, or a direct stencil for cin == 1. */
void ft__conv3x3(const float *in, int cin, int h, int w, const float *wt, const float *bias,
                 int cout, int relu, float *out, float *col);

/* Band height ft__conv3x3 uses (rows whose im2col fits FT__NN_COL_BUDGET). */
int ft__conv3x3_band(int cin, int h, int w);
/* The part of ft__conv3x3 producing output rows [r0, r1); col must hold
 * cin*9*(r1-r0)*w floats (none when cin == 1).  Disjoint row ranges may run
 * in parallel, each with its own col. */
void ft__conv3x3_rows(const float *in, int cin, int h, int w, const float *wt, const float *bias,
                      int cout, int relu, float *out, float *col, int r0, int r1);

/* The direct 3x3 kernel (direct.c): the same convolution as ft__conv3x3_rows
 * with weights repacked by ft__direct_pack, for output rows [r0, r1), using
 * ft__direct_scratch(cin, r1 - r0, w) floats of scratch.  Only to be called
 * where ft__direct_available() (AVX2 + FMA on x86-64). */
int ft__direct_available(void);
/* Output channels per register block for cout channels (4, 5 or 6). */
int ft__direct_cob(int cout);
size_t ft__direct_packed_floats(int cin, int cout);
/* wt [cout][cin][3][3] -> packed [ceil(cout/cob)][cin][9][cob], zero-padded. */
void ft__direct_pack(const float *wt, int cin, int cout, float *packed);
size_t ft__direct_scratch(int cin, int rows, int w);
void ft__direct_rows(const float *in, int cin, int h, int w, const float *packed,
                     const float *bias, int cout, int relu, float *out, float *scratch, int r0,
                     int r1);

/* The 2x2 stride-2 transposed convolution of ft__convt2x2_rows for input
 * rows [y0, y1), with weights repacked by ft__direct_convt_pack from
 * ft__convt2x2's [cout*4][cin] to [cout][cin][4]; no scratch. */
void ft__direct_convt_pack(const float *gemm_w, int cin, int cout, float *packed);
void ft__direct_convt_rows(const float *in, int cin, int h, int w, const float *packed,
                           const float *bias, int cout, float *out, int y0, int y1);

/* 1x1 convolution plus bias (+ ReLU): out[cout][hw] = wt[cout][cin] * in[cin][hw] + bias. */
void ft__conv1x1(const float *in, int cin, int hw, const float *wt, const float *bias, int cout,
                 int relu, float *out);

/* The part of ft__conv1x1 producing positions [p0, p1) of every output channel. */
void ft__conv1x1_cols(const float *in, int cin, int hw, const float *wt, const float *bias,
                      int cout, int relu, float *out, int p0, int p1);

/* 2x2 max-pool, stride 2: in [c][h][w] -> out [c][h/2][w/2] (h, w even). */
void ft__maxpool2(const float *in, int c, int h, int w, float *out);

/* 2x2 stride-2 transposed convolution plus bias:
 *   in  [cin][h][w],  wt [cout*4][cin] (rows ordered co, dy, dx),  bias [cout]
 *   out [cout][2h][2w]; tmp scratch of cout*4*h*w floats. */
void ft__convt2x2(const float *in, int cin, int h, int w, const float *wt, const float *bias,
                  int cout, float *out, float *tmp);

/* The part of ft__convt2x2 for input rows [y0, y1) (output rows 2*y0 .. 2*y1). */
void ft__convt2x2_rows(const float *in, int cin, int h, int w, const float *wt,
                       const float *bias, int cout, float *out, float *tmp, int y0, int y1);

/* Nearest-neighbour 2x up-sampling: in [c][h][w] -> out [c][2h][2w]. */
void ft__upsample_nearest2(const float *in, int c, int h, int w, float *out);

/* In place over [c][hw]: softmax across c at every position. */
void ft__softmax_channels(float *x, int c, size_t hw);
/* The same for positions [p0, p1) only. */
void ft__softmax_range(float *x, int c, size_t hw, size_t p0, size_t p1);
/* In place: logistic sigmoid of n values. */
void ft__sigmoid(float *x, size_t n);

/* PyTorch's [cin][cout][2][2] transposed-conv weight to ft__convt2x2's [cout*4][cin]. */
void ft__convt_weight_pack(const float *pt, int cin, int cout, float *packed);

/* The fork-join pool the operators run on (ft__pool) is in core/internal.h. */

#endif
