/* src/dl/blas.h - OpenBLAS, opened on first use (see dl.h).
 *
 * Include instead of <cblas.h>.  Only the U-Net needs a BLAS: loading it
 * up front would also start OpenBLAS's threads in every process.  Entry
 * points call ft__blas_require() to report a missing library; the three
 * functions used (cblas_sgemm, openblas_get/set_num_threads) go through
 * wrappers that open OpenBLAS themselves when nobody did, so the operators
 * stay callable on their own, and that fall back to a plain loop (and to
 * one thread) when it cannot be opened.
 */
#ifndef FT_DL_BLAS_H
#define FT_DL_BLAS_H

#include <cblas.h>

#include "dl/dl.h"

ft_status ft__blas_require(ft_ctx *ctx);

#if FT_LAZY_LIBS
void ft__cblas_sgemm(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE ta,
                     const enum CBLAS_TRANSPOSE tb, const blasint m, const blasint n,
                     const blasint k, const float alpha, const float *a, const blasint lda,
                     const float *b, const blasint ldb, const float beta, float *c,
                     const blasint ldc);
int ft__openblas_get_num_threads(void);
void ft__openblas_set_num_threads(int n);

#ifndef FT_DL_NO_REDIRECT
#define cblas_sgemm ft__cblas_sgemm
#define openblas_get_num_threads ft__openblas_get_num_threads
#define openblas_set_num_threads ft__openblas_set_num_threads
#endif
#endif /* FT_LAZY_LIBS */

#endif
