/* src/write/tiffmem.h - a TIFF file assembled in memory (not installed).
 *
 * libtiff seeks while it writes, which a sink (a pipe, a temporary file
 * renamed when complete) cannot follow, so the TIFF writers of the label
 * image and of the figure build the file in memory and hand the bytes to
 * their sink at the end.  Errors and warnings go to handlers of this one
 * file (TIFFClientOpenExt), never to libtiff's process-wide ones, so
 * several threads may write at once.  Call ft__tiff_require() first.
 */
#ifndef FT_WRITE_TIFFMEM_H
#define FT_WRITE_TIFFMEM_H

#include <stddef.h>

#include "dl/tiff.h"

typedef struct ft__tiffmem {
  unsigned char *buf; /* [len] the file so far */
  size_t len, cap, pos;
  char msg[200];      /* libtiff's first error, "" when none */
} ft__tiffmem;

/* Start a TIFF named name (for libtiff's messages) in m; NULL when libtiff
 * cannot, m->msg saying why (m then holds nothing). */
TIFF *ft__tiffmem_open(ft__tiffmem *m, const char *name);

/* Free m's bytes (after TIFFClose() of its TIFF). */
void ft__tiffmem_free(ft__tiffmem *m);

#endif
