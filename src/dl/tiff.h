/* src/dl/tiff.h - libtiff, opened on first use (see dl.h).
 *
 * Include instead of <tiffio.h>; call ft__tiff_require() before the first
 * libtiff call of an entry point.  FT_TIFF_SYMBOLS lists every libtiff
 * function the library calls: a new call needs its name added there.
 */
#ifndef FT_DL_TIFF_H
#define FT_DL_TIFF_H

#include <tiffio.h>

#include "dl/dl.h"

ft_status ft__tiff_require(ft_ctx *ctx);

#if FT_LAZY_LIBS
#define FT_TIFF_SYMBOLS(X) \
  X(TIFFClientOpenExt) \
  X(TIFFClose) \
  X(TIFFComputeStrip) \
  X(TIFFDefaultStripSize) \
  X(TIFFFlush) \
  X(TIFFGetField) \
  X(TIFFGetFieldDefaulted) \
  X(TIFFIsTiled) \
  X(TIFFNumberOfDirectories) \
  X(TIFFOpenOptionsAlloc) \
  X(TIFFOpenOptionsFree) \
  X(TIFFOpenOptionsSetErrorHandlerExtR) \
  X(TIFFOpenOptionsSetWarningHandlerExtR) \
  X(TIFFReadEncodedStrip) \
  X(TIFFReadTile) \
  X(TIFFScanlineSize) \
  X(TIFFSetDirectory) \
  X(TIFFSetField) \
  X(TIFFStripSize) \
  X(TIFFTileRowSize) \
  X(TIFFTileSize) \
  X(TIFFWriteDirectory) \
  X(TIFFWriteScanline)

extern struct ft__tiff_fns {
  FT_TIFF_SYMBOLS(FT__DL_MEMBER)
} ft__tiff;

#ifndef FT_DL_NO_REDIRECT
#define TIFFClientOpenExt (ft__tiff.TIFFClientOpenExt)
#define TIFFClose (ft__tiff.TIFFClose)
#define TIFFComputeStrip (ft__tiff.TIFFComputeStrip)
#define TIFFDefaultStripSize (ft__tiff.TIFFDefaultStripSize)
#define TIFFFlush (ft__tiff.TIFFFlush)
#define TIFFGetField (ft__tiff.TIFFGetField)
#define TIFFGetFieldDefaulted (ft__tiff.TIFFGetFieldDefaulted)
#define TIFFIsTiled (ft__tiff.TIFFIsTiled)
#define TIFFNumberOfDirectories (ft__tiff.TIFFNumberOfDirectories)
#define TIFFOpenOptionsAlloc (ft__tiff.TIFFOpenOptionsAlloc)
#define TIFFOpenOptionsFree (ft__tiff.TIFFOpenOptionsFree)
#define TIFFOpenOptionsSetErrorHandlerExtR (ft__tiff.TIFFOpenOptionsSetErrorHandlerExtR)
#define TIFFOpenOptionsSetWarningHandlerExtR (ft__tiff.TIFFOpenOptionsSetWarningHandlerExtR)
#define TIFFReadEncodedStrip (ft__tiff.TIFFReadEncodedStrip)
#define TIFFReadTile (ft__tiff.TIFFReadTile)
#define TIFFScanlineSize (ft__tiff.TIFFScanlineSize)
#define TIFFSetDirectory (ft__tiff.TIFFSetDirectory)
#define TIFFSetField (ft__tiff.TIFFSetField)
#define TIFFStripSize (ft__tiff.TIFFStripSize)
#define TIFFTileRowSize (ft__tiff.TIFFTileRowSize)
#define TIFFTileSize (ft__tiff.TIFFTileSize)
#define TIFFWriteDirectory (ft__tiff.TIFFWriteDirectory)
#define TIFFWriteScanline (ft__tiff.TIFFWriteScanline)
#endif /* FT_DL_NO_REDIRECT */
#endif /* FT_LAZY_LIBS */

#endif
