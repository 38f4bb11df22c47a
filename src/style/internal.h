/* src/style/internal.h - style helpers shared with the pipeline and the
 * writers (not installed). */
#ifndef FT_STYLE_INTERNAL_H
#define FT_STYLE_INTERNAL_H

#include "core/internal.h"

/* User units per point of the document: (width / width_mm) * 25.4 / 72,
 * or 96/72 when the document has no physical width. */
double ft__style_pt_to_user(const ft_doc *doc);

/* (Re)write doc->title and doc->desc from its source, preset, size, pixel
 * size and scale bar: the title is the source's base name, the description
 * a few sentences for the figure legend. */
ft_status ft__style_describe(ft_ctx *ctx, ft_doc *doc);

/* The static defaults of ft_style_params. */
const ft_style_params *ft__style_defaults(void);

#endif
