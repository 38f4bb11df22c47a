/* src/fit/fit.c - the fit stage's entry point and parameters.
 *
 * FT_FIT_NONE keeps the traced outline exactly (a deep copy), which is what
 * a pixel-exact conversion wants.  Curve fitting modes are added here as
 * further ft_fit_mode values. */
#include "config.h"

#include "core/internal.h"

static const ft_fit_params fit_defaults = {
    .mode = FT_FIT_NONE,
};

void ft_fit_params_init(ft_fit_params *p) { *p = fit_defaults; }

ft_status ft_fit(ft_ctx *ctx, const ft_paths *in, const ft_fit_params *p, ft_paths **out) {
  *out = NULL;
  if (!p) p = &fit_defaults;
  switch (p->mode) {
    case FT_FIT_NONE:
      return ft_paths_copy(ctx, in, out);
    default:
      return ft__fail(ctx, FT_ERR_INVAL, "fit: unknown mode %d", p->mode);
  }
}
