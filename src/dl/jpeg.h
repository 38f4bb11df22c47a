/* src/dl/jpeg.h - libjpeg and libexif, opened on first use (see dl.h).
 *
 * Include instead of <jpeglib.h>, <jerror.h> and <libexif/exif-data.h>
 * (after <stdio.h>, which jpeglib.h needs); call ft__jpeg_require(), which
 * opens both, before the first call of an entry point.  FT_JPEG_SYMBOLS and
 * FT_EXIF_SYMBOLS list every function of the two libraries the library
 * calls (jpeg_create_decompress is a macro calling jpeg_CreateDecompress).
 */
#ifndef FT_DL_JPEG_H
#define FT_DL_JPEG_H

#include <stdio.h>

#include <jerror.h>
#include <jpeglib.h>
#include <libexif/exif-data.h>

#include "dl/dl.h"

ft_status ft__jpeg_require(ft_ctx *ctx);

#if FT_LAZY_LIBS
#define FT_JPEG_SYMBOLS(X) \
  X(jpeg_std_error)          \
  X(jpeg_CreateDecompress)   \
  X(jpeg_destroy_decompress) \
  X(jpeg_finish_decompress)  \
  X(jpeg_mem_src)            \
  X(jpeg_read_header)        \
  X(jpeg_read_scanlines)     \
  X(jpeg_save_markers)       \
  X(jpeg_start_decompress)

#define FT_EXIF_SYMBOLS(X)    \
  X(exif_content_get_entry)   \
  X(exif_data_get_byte_order) \
  X(exif_data_new_from_data)  \
  X(exif_data_unref)          \
  X(exif_get_short)

extern struct ft__jpeg_fns {
  FT_JPEG_SYMBOLS(FT__DL_MEMBER)
} ft__jpeg;

extern struct ft__exif_fns {
  FT_EXIF_SYMBOLS(FT__DL_MEMBER)
} ft__exif;

#ifndef FT_DL_NO_REDIRECT
#define jpeg_std_error (ft__jpeg.jpeg_std_error)
#define jpeg_CreateDecompress (ft__jpeg.jpeg_CreateDecompress)
#define jpeg_destroy_decompress (ft__jpeg.jpeg_destroy_decompress)
#define jpeg_finish_decompress (ft__jpeg.jpeg_finish_decompress)
#define jpeg_mem_src (ft__jpeg.jpeg_mem_src)
#define jpeg_read_header (ft__jpeg.jpeg_read_header)
#define jpeg_read_scanlines (ft__jpeg.jpeg_read_scanlines)
#define jpeg_save_markers (ft__jpeg.jpeg_save_markers)
#define jpeg_start_decompress (ft__jpeg.jpeg_start_decompress)
#define exif_content_get_entry (ft__exif.exif_content_get_entry)
#define exif_data_get_byte_order (ft__exif.exif_data_get_byte_order)
#define exif_data_new_from_data (ft__exif.exif_data_new_from_data)
#define exif_data_unref (ft__exif.exif_data_unref)
#define exif_get_short (ft__exif.exif_get_short)
#endif /* FT_DL_NO_REDIRECT */
#endif /* FT_LAZY_LIBS */

#endif
