/* src/nn/model.h - the loaded U-Net: folded weights per layer (private). */
#ifndef FT_NN_MODEL_H
#define FT_NN_MODEL_H

#include "nn/internal.h"

#define FT__NN_MAX_DEPTH 6

/* One convolution after batch-norm folding. */
typedef struct ft__conv {
  int cin, cout, k; /* k = 3 or 1; k = 2 marks a transposed 2x2 stride-2 convolution */
  float *w;         /* k 3/1: [cout][cin][k][k]; k 2: [cout*4][cin] (ft__convt_weight_pack) */
  float *b;         /* [cout] */
  float *wd;        /* where the direct kernels run: k 3 ft__direct_pack, k 2
                       ft__direct_convt_pack of w; else (and for k 1) NULL */
} ft__conv;

struct ft_model {
  ft_model_info info;
  char *name;
  ft__conv enc[FT__NN_MAX_DEPTH][2]; /* level l: (l ? C(l-1) : in) -> C(l) -> C(l) */
  ft__conv mid[2];                   /* C(depth-1) -> C(depth) -> C(depth) */
  ft__conv up[FT__NN_MAX_DEPTH];     /* C(l+1) -> C(l), to level l */
  ft__conv dec[FT__NN_MAX_DEPTH][2]; /* 2 C(l) -> C(l) -> C(l) */
  ft__conv head;                     /* C(0) -> classes, 1x1 */
  float *weights;                    /* one block holding every w and b above */
  float *packed;                     /* one block holding every wd (NULL without) */
};

#endif
