/* figtrace/io.h - reading rasters and writing figures.
 *
 * Readers recognise the format by its magic bytes, never by the file name:
 * PNG, JPEG, TIFF and PNM (P1-P6).  A whole input is read into memory first,
 * so pipes and other unseekable streams work like files.
 *
 * Writers send bytes to an ft_sink.  ft_sink_open_file() gives a sink that
 * writes into a temporary file beside the target and renames it into place
 * on ft_sink_close(..., commit = 1), so a failed conversion never leaves a
 * half-written file behind.
 */
#ifndef FIGTRACE_IO_H
#define FIGTRACE_IO_H

#include <stdio.h>

#include "figtrace/common.h"
#include "figtrace/doc.h"
#include "figtrace/image.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ft_format {
  FT_FORMAT_UNKNOWN = 0,
  FT_FORMAT_PNG,
  FT_FORMAT_JPEG,
  FT_FORMAT_TIFF,
  FT_FORMAT_PNM
} ft_format;

typedef struct ft_read_params {
  uint64_t max_pixels; /* refuse width*height above this before allocating
                          (FT_ERR_TOOBIG); 0 = no limit but FT_MAX_DIMENSION
                          per side; default 2^30 */
  int page;            /* TIFF page (directory) to read, 0-based; default 0.
                          Past the last page: FT_ERR_INVAL naming the page
                          count; other formats have only page 0 */
} ft_read_params;

/* Fill *p with the defaults. */
FT_API void ft_read_params_init(ft_read_params *p);

/* The format the first bytes announce (len may be short: UNKNOWN then). */
FT_API ft_format ft_format_detect(const void *data, size_t len);
/* "png", "jpeg", "tiff", "pnm" or "unknown". */
FT_API const char *ft_format_name(ft_format f);

/* Decode an image held in memory.  name is used in messages and stored in
 * the image ("-" for stdin; may be NULL).  p may be NULL for defaults.
 * Errors name the input: "scan.png: png: premature end of data" ("stdin"
 * stands for "-"): FT_ERR_FORMAT for empty, unknown, truncated or corrupt
 * data, FT_ERR_UNSUPPORTED for valid variants not handled, FT_ERR_TOOBIG
 * from the size guard, FT_ERR_INVAL for a page out of range.
 * OUT: *out, caller frees with ft_image_free(). */
FT_API FT_USERESULT ft_status ft_read_memory(ft_ctx *ctx, const void *data, size_t len,
                                             const char *name, const ft_read_params *p,
                                             ft_image **out);

/* Read a whole stream (a pipe is fine) and decode it. */
FT_API FT_USERESULT ft_status ft_read_stream(ft_ctx *ctx, FILE *fp, const char *name,
                                             const ft_read_params *p, ft_image **out);

/* Read a file by path; "-" reads standard input.  A file that cannot be
 * opened or read is FT_ERR_IO ("scan.png: cannot open: No such file or
 * directory"). */
FT_API FT_USERESULT ft_status ft_read_file(ft_ctx *ctx, const char *path,
                                           const ft_read_params *p, ft_image **out);

/* ---- sinks ---- */

/* A byte sink: write() returns 0 on success, non-zero on failure. */
typedef struct ft_sink {
  int (*write)(void *user, const void *buf, size_t len);
  void *user;
} ft_sink;

/* Open a sink on path: data goes to a temporary file in the same directory
 * (mode 0644 less umask) that ft_sink_close() renames to path when commit is
 * non-zero, and removes otherwise.  path "-" writes to standard output.
 * OUT: *out, released by ft_sink_close() (exactly once). */
FT_API FT_USERESULT ft_status ft_sink_open_file(ft_ctx *ctx, const char *path, ft_sink **out);
/* Finish a file sink.  With commit, flushes, syncs and renames; a failure
 * there is reported and the temporary removed.  Without commit, discards. */
FT_API FT_USERESULT ft_status ft_sink_close(ft_ctx *ctx, ft_sink *sink, int commit);

/* ---- SVG ---- */

typedef struct ft_svg_params {
  int decimals; /* most digits after the decimal point in path data, 0..6; default 2 */
  int pretty;   /* indent elements; default 1 */
} ft_svg_params;

FT_API void ft_svg_params_init(ft_svg_params *p);

/* Write doc as an SVG 1.1 document (libxml2 text writer): XML declaration,
 * viewBox in user units, width/height in mm, one <g> per layer and one
 * <path> per region with its holes as subpaths.  p may be NULL. */
FT_API FT_USERESULT ft_status ft_write_svg(ft_ctx *ctx, const ft_doc *doc,
                                           const ft_svg_params *p, ft_sink *sink);

#ifdef __cplusplus
}
#endif
#endif
