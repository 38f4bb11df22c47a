/* src/dl/cairo.h - Cairo, opened on first use (see dl.h).
 *
 * Include instead of <cairo.h>, <cairo-pdf.h> and <cairo-ps.h>; call
 * ft__cairo_require() before the first Cairo call of an entry point.
 * FT_CAIRO_SYMBOLS lists every Cairo function the library calls: a new call
 * needs its name added there.
 */
#ifndef FT_DL_CAIRO_H
#define FT_DL_CAIRO_H

#include <cairo-pdf.h>
#include <cairo-ps.h>
#include <cairo.h>

#include "dl/dl.h"

ft_status ft__cairo_require(ft_ctx *ctx);

#if FT_LAZY_LIBS
#define FT_CAIRO_SYMBOLS(X) \
  X(cairo_close_path) \
  X(cairo_create) \
  X(cairo_curve_to) \
  X(cairo_destroy) \
  X(cairo_fill) \
  X(cairo_fill_preserve) \
  X(cairo_get_source) \
  X(cairo_identity_matrix) \
  X(cairo_image_surface_create) \
  X(cairo_image_surface_create_from_png_stream) \
  X(cairo_image_surface_get_data) \
  X(cairo_image_surface_get_height) \
  X(cairo_image_surface_get_stride) \
  X(cairo_image_surface_get_width) \
  X(cairo_line_to) \
  X(cairo_move_to) \
  X(cairo_new_path) \
  X(cairo_paint) \
  X(cairo_pattern_set_filter) \
  X(cairo_pdf_surface_create_for_stream) \
  X(cairo_ps_surface_create_for_stream) \
  X(cairo_ps_surface_set_eps) \
  X(cairo_rectangle) \
  X(cairo_restore) \
  X(cairo_save) \
  X(cairo_scale) \
  X(cairo_select_font_face) \
  X(cairo_set_fill_rule) \
  X(cairo_set_font_size) \
  X(cairo_set_line_cap) \
  X(cairo_set_line_join) \
  X(cairo_set_line_width) \
  X(cairo_set_source_rgb) \
  X(cairo_set_source_rgba) \
  X(cairo_set_source_surface) \
  X(cairo_show_page) \
  X(cairo_show_text) \
  X(cairo_status) \
  X(cairo_status_to_string) \
  X(cairo_stroke) \
  X(cairo_stroke_preserve) \
  X(cairo_surface_destroy) \
  X(cairo_surface_finish) \
  X(cairo_surface_flush) \
  X(cairo_surface_mark_dirty) \
  X(cairo_surface_status) \
  X(cairo_surface_write_to_png_stream) \
  X(cairo_text_extents) \
  X(cairo_text_path)

#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
#define FT_CAIRO_SYMBOLS_1_16(X) X(cairo_pdf_surface_set_metadata)
#else
#define FT_CAIRO_SYMBOLS_1_16(X)
#endif

extern struct ft__cairo_fns {
  FT_CAIRO_SYMBOLS(FT__DL_MEMBER)
  FT_CAIRO_SYMBOLS_1_16(FT__DL_MEMBER)
} ft__cairo;

#ifndef FT_DL_NO_REDIRECT
#define cairo_close_path (ft__cairo.cairo_close_path)
#define cairo_create (ft__cairo.cairo_create)
#define cairo_curve_to (ft__cairo.cairo_curve_to)
#define cairo_destroy (ft__cairo.cairo_destroy)
#define cairo_fill (ft__cairo.cairo_fill)
#define cairo_fill_preserve (ft__cairo.cairo_fill_preserve)
#define cairo_get_source (ft__cairo.cairo_get_source)
#define cairo_identity_matrix (ft__cairo.cairo_identity_matrix)
#define cairo_image_surface_create (ft__cairo.cairo_image_surface_create)
#define cairo_image_surface_create_from_png_stream (ft__cairo.cairo_image_surface_create_from_png_stream)
#define cairo_image_surface_get_data (ft__cairo.cairo_image_surface_get_data)
#define cairo_image_surface_get_height (ft__cairo.cairo_image_surface_get_height)
#define cairo_image_surface_get_stride (ft__cairo.cairo_image_surface_get_stride)
#define cairo_image_surface_get_width (ft__cairo.cairo_image_surface_get_width)
#define cairo_line_to (ft__cairo.cairo_line_to)
#define cairo_move_to (ft__cairo.cairo_move_to)
#define cairo_new_path (ft__cairo.cairo_new_path)
#define cairo_paint (ft__cairo.cairo_paint)
#define cairo_pattern_set_filter (ft__cairo.cairo_pattern_set_filter)
#define cairo_pdf_surface_create_for_stream (ft__cairo.cairo_pdf_surface_create_for_stream)
#define cairo_ps_surface_create_for_stream (ft__cairo.cairo_ps_surface_create_for_stream)
#define cairo_ps_surface_set_eps (ft__cairo.cairo_ps_surface_set_eps)
#define cairo_rectangle (ft__cairo.cairo_rectangle)
#define cairo_restore (ft__cairo.cairo_restore)
#define cairo_save (ft__cairo.cairo_save)
#define cairo_scale (ft__cairo.cairo_scale)
#define cairo_select_font_face (ft__cairo.cairo_select_font_face)
#define cairo_set_fill_rule (ft__cairo.cairo_set_fill_rule)
#define cairo_set_font_size (ft__cairo.cairo_set_font_size)
#define cairo_set_line_cap (ft__cairo.cairo_set_line_cap)
#define cairo_set_line_join (ft__cairo.cairo_set_line_join)
#define cairo_set_line_width (ft__cairo.cairo_set_line_width)
#define cairo_set_source_rgb (ft__cairo.cairo_set_source_rgb)
#define cairo_set_source_rgba (ft__cairo.cairo_set_source_rgba)
#define cairo_set_source_surface (ft__cairo.cairo_set_source_surface)
#define cairo_show_page (ft__cairo.cairo_show_page)
#define cairo_show_text (ft__cairo.cairo_show_text)
#define cairo_status (ft__cairo.cairo_status)
#define cairo_status_to_string (ft__cairo.cairo_status_to_string)
#define cairo_stroke (ft__cairo.cairo_stroke)
#define cairo_stroke_preserve (ft__cairo.cairo_stroke_preserve)
#define cairo_surface_destroy (ft__cairo.cairo_surface_destroy)
#define cairo_surface_finish (ft__cairo.cairo_surface_finish)
#define cairo_surface_flush (ft__cairo.cairo_surface_flush)
#define cairo_surface_mark_dirty (ft__cairo.cairo_surface_mark_dirty)
#define cairo_surface_status (ft__cairo.cairo_surface_status)
#define cairo_surface_write_to_png_stream (ft__cairo.cairo_surface_write_to_png_stream)
#define cairo_text_extents (ft__cairo.cairo_text_extents)
#define cairo_text_path (ft__cairo.cairo_text_path)
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
#define cairo_pdf_surface_set_metadata (ft__cairo.cairo_pdf_surface_set_metadata)
#endif
#endif /* FT_DL_NO_REDIRECT */
#endif /* FT_LAZY_LIBS */

#endif
