/* src/trace/internal.h - entry points shared between the trace sources. */
#ifndef FT_TRACE_INTERNAL_H
#define FT_TRACE_INTERNAL_H

#include "figtrace.h"

/* Centerline and auto tracing (src/trace/centerline.c), called by ft_trace
 * for FT_TRACE_CENTERLINE and FT_TRACE_AUTO with p non-NULL and out set to
 * NULL; same contract as ft_trace. */
ft_status ft__trace_centerline(ft_ctx *ctx, const ft_labels *in, const ft_trace_params *p,
                               ft_paths **out);

#endif
