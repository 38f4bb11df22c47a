/* figtrace/doc.h - ft_doc, the styled figure the writers turn into files.
 *
 * User units are the source image's pixels: the drawing covers the rectangle
 * 0..width x 0..height (the SVG viewBox); width_mm/height_mm give its
 * physical size on the page.  Layers are painted in order, first at the back.
 * Everything a document holds is owned by it and freed by ft_doc_free().
 */
#ifndef FIGTRACE_DOC_H
#define FIGTRACE_DOC_H

#include "figtrace/common.h"
#include "figtrace/paths.h"

struct ft_sink;

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ft_rgba {
  float r, g, b, a; /* [0,1]; a = 0 means "none" */
} ft_rgba;

typedef enum ft_fill_rule { FT_FILL_NONZERO = 0, FT_FILL_EVENODD = 1 } ft_fill_rule;

typedef struct ft_layer {
  char *id;            /* XML id, e.g. "ink"; unique in the document */
  char *label;         /* human name shown by editors (inkscape:label) */
  ft_rgba fill;        /* fill of the closed paths; a = 0 for none */
  ft_rgba stroke;      /* stroke colour; a = 0 for none */
  double stroke_width; /* user units (pixels) for paths whose own width is 0 */
  int fill_rule;       /* an ft_fill_rule */
  char *item_prefix;   /* when set, each drawn item gets id="<prefix>-<label>" */
  ft_paths *paths;     /* owned; may be NULL for an empty layer */
} ft_layer;

typedef enum ft_anchor { FT_ANCHOR_START = 0, FT_ANCHOR_MIDDLE = 1, FT_ANCHOR_END = 2 } ft_anchor;

typedef struct ft_text {
  double x, y;   /* baseline anchor point, user units */
  double size;   /* font size in user units */
  char *font;    /* font family list, e.g. "Arial, Helvetica, sans-serif" */
  char *text;    /* UTF-8 */
  int anchor;    /* an ft_anchor */
  ft_rgba color;
  char *id;      /* may be NULL */
} ft_text;

typedef struct ft_rect {
  double x, y, w, h; /* user units */
  ft_rgba fill;
  char *id;          /* may be NULL */
} ft_rect;

typedef struct ft_doc {
  double width, height;       /* user units: the viewBox is 0 0 width height */
  double width_mm, height_mm; /* physical size; 0 lets the writer use 96 user units per inch */
  int nlayers;
  ft_layer *layer;            /* [nlayers] back to front */
  int nrects;
  ft_rect *rect;              /* [nrects] drawn above the layers (scale bars) */
  int ntexts;
  ft_text *text;              /* [ntexts] drawn last */
  char *title;                /* <title>; may be NULL */
  char *desc;                 /* <desc>; may be NULL */
  char *source;               /* source file name; may be NULL */
  char *preset;               /* preset the pipeline ran; may be NULL */
  double pixel_w, pixel_h;    /* micrometres per pixel, 0 unknown */
  int incomplete;             /* 1 when a stage gave up on part of the input */
  double scale_bar_um;        /* length of the scale bar drawn, micrometres; 0 none */
  double min_stroke_pt;       /* thinnest stroke the style allowed, points; 0 no limit */
  /* Underlay: the source image, drawn under the layers over the whole
   * 0..width x 0..height frame, one image pixel per user unit. */
  unsigned char *underlay_png; /* owned 8-bit PNG of the display-mapped image; NULL none */
  size_t underlay_len;         /* bytes in underlay_png */
  double window_lo, window_hi; /* display window in source units: lo black, hi full */
  double gamma;                /* display gamma applied after the window; 1 linear */
} ft_doc;

/* An empty document of width x height user units.  OUT: free with ft_doc_free(). */
FT_API FT_USERESULT ft_status ft_doc_new(ft_ctx *ctx, double width, double height, ft_doc **out);
FT_API void ft_doc_free(ft_doc *doc);

/* Append a layer with the given id and label (copied) that takes ownership
 * of paths (also on failure, when paths is freed).  Fill black, no stroke.
 * *index (may be NULL) receives the layer's position. */
FT_API FT_USERESULT ft_status ft_doc_add_layer(ft_ctx *ctx, ft_doc *doc, const char *id,
                                               const char *label, ft_paths *paths, int *index);

/* Append a filled rectangle (id may be NULL). */
FT_API FT_USERESULT ft_status ft_doc_add_rect(ft_ctx *ctx, ft_doc *doc, double x, double y,
                                              double w, double h, ft_rgba fill, const char *id);

/* Append a text item; strings are copied (font and id may be NULL). */
FT_API FT_USERESULT ft_status ft_doc_add_text(ft_ctx *ctx, ft_doc *doc, double x, double y,
                                              double size, const char *font, const char *text,
                                              int anchor, ft_rgba color, const char *id);

/* Set one of the document's strings (a copy of value; NULL clears). */
FT_API FT_USERESULT ft_status ft_doc_set_string(ft_ctx *ctx, char **field, const char *value);

/* ---- PDF, EPS, PNG and TIFF through Cairo ---- */

typedef enum ft_out_format {
  FT_OUT_SVG = 0, /* ft_write_svg (the editable master) */
  FT_OUT_PDF = 1, /* one page of exactly width_mm x height_mm, text kept with embedded fonts */
  FT_OUT_EPS = 2, /* Encapsulated PostScript, bounding box of the figure */
  FT_OUT_PNG = 3, /* 8-bit raster at dpi on a white background */
  FT_OUT_TIFF = 4 /* the same raster as LZW-compressed RGB TIFF with the dpi in its tags */
} ft_out_format;

typedef struct ft_cairo_params {
  int format;       /* FT_OUT_PDF, _EPS, _PNG or _TIFF; default FT_OUT_PDF */
  double dpi;       /* raster resolution for PNG, 10..10000; default 300 */
  int outline_text; /* 1: draw text as filled outlines instead of font text; default 0 */
} ft_cairo_params;

FT_API void ft_cairo_params_init(ft_cairo_params *p);

/* The format named by a file name's extension (".pdf", ".eps", ".png",
 * ".tif", ".tiff", ".svg", any case), or -1 when there is none of these. */
FT_API int ft_out_format_from_name(const char *name);

/* Write doc through Cairo to sink (a write-func stream, so the sink's atomic
 * temporary-and-rename applies).  The page is width_mm x height_mm
 * (96 user units per inch when the doc gives 0) and the drawing the same as
 * the SVG: layers back to front, then rects and texts.  Text uses the first
 * family of each text's font list through fontconfig.  p may be NULL.
 * Returns FT_ERR_INVAL for bad params or an undrawable document
 * (FT_OUT_SVG included: use ft_write_svg), FT_ERR_IO when the sink
 * fails, FT_ERR_NOMEM, FT_ERR_CANCELLED from the progress callback.  The
 * sink is not closed. */
FT_API FT_USERESULT ft_status ft_write_cairo(ft_ctx *ctx, const ft_doc *doc,
                                             const ft_cairo_params *p, struct ft_sink *sink);

#ifdef __cplusplus
}
#endif
#endif
