/* src/dl/png.h - libpng, opened on first use (see dl.h).
 *
 * Include instead of <png.h>; call ft__png_require() before the first
 * libpng call of an entry point (PNG input, the label image as PNG, the
 * SVG underlay).  FT_PNG_SYMBOLS lists every libpng function the library
 * calls; png_jmpbuf() is a macro calling png_set_longjmp_fn, and
 * png_get_uint_32 a macro reading the bytes.
 */
#ifndef FT_DL_PNG_H
#define FT_DL_PNG_H

#include <png.h>

#include "dl/dl.h"

ft_status ft__png_require(ft_ctx *ctx);

#if FT_LAZY_LIBS
#define FT_PNG_SYMBOLS(X)          \
  X(png_create_info_struct)        \
  X(png_create_read_struct)        \
  X(png_create_write_struct)       \
  X(png_destroy_read_struct)       \
  X(png_destroy_write_struct)      \
  X(png_error)                     \
  X(png_get_IHDR)                  \
  X(png_get_PLTE)                  \
  X(png_get_error_ptr)             \
  X(png_get_io_ptr)                \
  X(png_get_pHYs)                  \
  X(png_get_rowbytes)              \
  X(png_get_tRNS)                  \
  X(png_get_valid)                 \
  X(png_longjmp)                   \
  X(png_read_end)                  \
  X(png_read_image)                \
  X(png_read_info)                 \
  X(png_read_update_info)          \
  X(png_set_IHDR)                  \
  X(png_set_interlace_handling)    \
  X(png_set_longjmp_fn)            \
  X(png_set_packing)               \
  X(png_set_read_fn)               \
  X(png_set_user_limits)           \
  X(png_set_write_fn)              \
  X(png_write_end)                 \
  X(png_write_info)                \
  X(png_write_row)

extern struct ft__png_fns {
  FT_PNG_SYMBOLS(FT__DL_MEMBER)
} ft__png;

#ifndef FT_DL_NO_REDIRECT
#define png_create_info_struct (ft__png.png_create_info_struct)
#define png_create_read_struct (ft__png.png_create_read_struct)
#define png_create_write_struct (ft__png.png_create_write_struct)
#define png_destroy_read_struct (ft__png.png_destroy_read_struct)
#define png_destroy_write_struct (ft__png.png_destroy_write_struct)
#define png_error (ft__png.png_error)
#define png_get_IHDR (ft__png.png_get_IHDR)
#define png_get_PLTE (ft__png.png_get_PLTE)
#define png_get_error_ptr (ft__png.png_get_error_ptr)
#define png_get_io_ptr (ft__png.png_get_io_ptr)
#define png_get_pHYs (ft__png.png_get_pHYs)
#define png_get_rowbytes (ft__png.png_get_rowbytes)
#define png_get_tRNS (ft__png.png_get_tRNS)
#define png_get_valid (ft__png.png_get_valid)
#define png_longjmp (ft__png.png_longjmp)
#define png_read_end (ft__png.png_read_end)
#define png_read_image (ft__png.png_read_image)
#define png_read_info (ft__png.png_read_info)
#define png_read_update_info (ft__png.png_read_update_info)
#define png_set_IHDR (ft__png.png_set_IHDR)
#define png_set_interlace_handling (ft__png.png_set_interlace_handling)
#define png_set_longjmp_fn (ft__png.png_set_longjmp_fn)
#define png_set_packing (ft__png.png_set_packing)
#define png_set_read_fn (ft__png.png_set_read_fn)
#define png_set_user_limits (ft__png.png_set_user_limits)
#define png_set_write_fn (ft__png.png_set_write_fn)
#define png_write_end (ft__png.png_write_end)
#define png_write_info (ft__png.png_write_info)
#define png_write_row (ft__png.png_write_row)
#endif /* FT_DL_NO_REDIRECT */
#endif /* FT_LAZY_LIBS */

#endif
