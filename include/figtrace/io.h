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
  int compact;         /* 1: PNG of up to 8 bits per sample and PNM whose maxval
                          divides 255 (PBM, 8-bit PGM/PPM) come back as
                          FT_STORAGE_U8 images, one byte per sample with the
                          same values (figtrace/image.h); other sources stay
                          float.  0: always float.  Default 0; ft_options_init
                          sets 1, as the pipeline reads both */
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

/* A byte sink: write() returns 0 on success, non-zero on failure (after
 * which the writer stops and reports FT_ERR_IO).  A caller may fill one in
 * with its own callback; such a sink is never passed to ft_sink_close(). */
typedef struct ft_sink {
  int (*write)(void *user, const void *buf, size_t len);
  void *user;
} ft_sink;

/* Open a sink on path.  Data goes through a buffer into a temporary file
 * ".NAME.XXXXXX" in the target's directory (mode 0644 less the umask) that
 * ft_sink_close() renames onto path when commit is non-zero and removes
 * otherwise, so path is either untouched or holds the complete output.
 * path "-" is standard output: the bytes are held in memory and written to
 * stdout only on a commit (stdout is flushed, never closed).  Errors name
 * the path: "out/a.svg: cannot create: No such file or directory"; a failed
 * write (ENOSPC, EFBIG...) fails that write and is reported again by
 * ft_sink_close().
 * OUT: *out, released by ft_sink_close() (exactly once). */
FT_API FT_USERESULT ft_status ft_sink_open_file(ft_ctx *ctx, const char *path, ft_sink **out);

/* Open a sink that keeps everything written in a growing memory buffer;
 * read it with ft_sink_memory_data() before closing.
 * OUT: *out, released by ft_sink_close() (commit is ignored). */
FT_API FT_USERESULT ft_status ft_sink_open_memory(ft_ctx *ctx, ft_sink **out);

/* The bytes a memory sink holds, followed by a NUL that is not counted;
 * *len (may be NULL) receives their number.  Borrowed: valid until the next
 * write to the sink or ft_sink_close().  NULL for any other sink. */
FT_API const char *ft_sink_memory_data(const ft_sink *sink, size_t *len);

/* ft_sink_close()'s commit argument: discard the output, rename it into
 * place, or rename it durably. */
#define FT_SINK_DISCARD 0
#define FT_SINK_COMMIT 1
#define FT_SINK_COMMIT_SYNC 2

/* Finish a sink from ft_sink_open_file() or ft_sink_open_memory() and free
 * it (NULL is a no-op).  With commit non-zero, a file sink flushes and
 * renames its temporary onto the target, which readers then see complete
 * or not at all; FT_SINK_COMMIT_SYNC also fsyncs the file before and its
 * directory after the rename, so the figure survives a system crash or
 * power loss (at a cost of milliseconds per file on most disks).  Any
 * failure then, or an earlier failed write, returns FT_ERR_IO with the
 * path in the message and removes the temporary.  Without commit the
 * output is discarded and FT_OK returned.  A caller-made sink gives
 * FT_ERR_INVAL and is left alone. */
FT_API FT_USERESULT ft_status ft_sink_close(ft_ctx *ctx, ft_sink *sink, int commit);

/* ---- SVG ---- */

typedef struct ft_svg_params {
  int decimals; /* most digits after the decimal point in path data, 0..6; default 2 */
  int pretty;   /* indent elements; default 1 */
} ft_svg_params;

/* Fill *p with the defaults. */
FT_API void ft_svg_params_init(ft_svg_params *p);

/* Write doc as an SVG 1.1 document (libxml2 text writer) to sink: XML
 * declaration, viewBox "0 0 width height" in user units (pixels) and
 * width/height in mm (96 user units per inch when the doc gives 0), title,
 * desc and metadata when set, one Inkscape layer <g> per ft_layer carrying
 * the presentation attributes (fill, fill-rule, stroke...), then rects and
 * texts.  Each region is one <path>: an outline with the holes whose parent
 * it is as subpaths; islands are their own <path>; open strokes are one
 * <path fill="none"> each.  When the layer has an item_prefix, all outlines
 * of one label share one <path id="PREFIX-LABEL"> and the label's open
 * strokes get ids PREFIX-LABEL-1, PREFIX-LABEL-2...  Path data is compact
 * (relative, absolute where shorter), rounded to p->decimals digits
 * without accumulating error.
 * p may be NULL for defaults.  Returns FT_ERR_INVAL for bad params or a
 * non-finite coordinate, FT_ERR_IO when the sink fails (the sink's own
 * detail is kept), FT_ERR_CANCELLED from the progress callback.  The sink
 * is not closed: the caller closes it, with commit only on FT_OK. */
FT_API FT_USERESULT ft_status ft_write_svg(ft_ctx *ctx, const ft_doc *doc,
                                           const ft_svg_params *p, ft_sink *sink);

#ifdef __cplusplus
}
#endif
#endif
