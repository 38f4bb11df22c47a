/* figtrace/preview.h - small PNG previews of a figure, rendered with Cairo.
 *
 * Meant for contact sheets and quick looks, not for print: the picture is
 * scaled to fit a bounding box, optionally drawn over the source image
 * (an underlay), and either rendered the way the SVG would look (fills,
 * strokes, rectangles, texts) or as thin outlines only, for checking how
 * the vectors follow the pixels.
 */
#ifndef FIGTRACE_PREVIEW_H
#define FIGTRACE_PREVIEW_H

#include "figtrace/common.h"
#include "figtrace/doc.h"
#include "figtrace/image.h"
#include "figtrace/io.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ft_preview_params {
  int max_size;            /* longest side of the PNG in pixels, 0 for the document's own
                              size (rounded up), else 1..16384; default 512.  Never
                              enlarges: a smaller document keeps its size */
  const ft_image *underlay; /* drawn first, stretched over the whole document (its pixel
                              grid); borrowed, may be NULL (the default: white) */
  int outlines;            /* 0 (default): paint the document as the SVG does;
                              1: stroke every path with outline_color only */
  ft_rgba outline_color;   /* default opaque red (1, 0, 0, 1) */
  double outline_width;    /* in PNG pixels, > 0 and <= 64; default 1 */
} ft_preview_params;

/* Fill *p with the defaults. */
FT_API void ft_preview_params_init(ft_preview_params *p);

/* Render doc (may be NULL to show the underlay alone, which then sets the
 * size) as an 8-bit RGB PNG into sink.  The sink is not closed: the caller
 * closes it, committing only on FT_OK.  Returns FT_ERR_INVAL for bad params
 * or when there is neither doc nor underlay, FT_ERR_TOOBIG when the
 * document has no finite positive size, FT_ERR_NOMEM, FT_ERR_IO when the
 * sink fails. */
FT_API FT_USERESULT ft_status ft_render_png(ft_ctx *ctx, const ft_doc *doc,
                                            const ft_preview_params *p, ft_sink *sink);

#ifdef __cplusplus
}
#endif

#endif
