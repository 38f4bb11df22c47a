/* src/dl/dl.h - optional libraries opened on first use (not installed).
 *
 * Most conversions need neither OpenBLAS (only the U-Net), Cairo (PDF, EPS,
 * PNG and TIFF output, previews), libtiff (TIFF input and output), libjpeg
 * with libexif (JPEG input) nor libxml2 (`figtrace check`), yet linking them makes every process map and
 * relocate them and their own dependencies (ICU, libstdc++, libgfortran, X11,
 * fontconfig...) and start OpenBLAS's threads: several milliseconds per
 * process, more than a whole small conversion.  With lazy binding
 * (configure's default where dlopen() works, FT_LAZY_LIBS), the code that
 * uses such a library includes its header here (src/dl/cairo.h, tiff.h,
 * jpeg.h, xml.h, blas.h), which turns each call of the library's functions into a
 * call through a pointer resolved by dlopen()/dlsym() on the first
 * ft__<lib>_require(), the soname recorded at configure time.  Call sites
 * keep the library's own names.  Without lazy binding (--disable-lazy-libs,
 * or no dlopen) the headers only include the library's own headers, the
 * require functions return FT_OK and the linker binds as usual.
 *
 * Every entry point that reaches such a library calls its require function
 * first; on failure it returns FT_ERR_UNSUPPORTED with a message naming the
 * library and dlerror()'s reason ("cairo: cannot load libcairo.so.2: ...").
 * A library is opened once per process (thread-safe) and never closed; a
 * failure is remembered and reported again on later calls.
 */
#ifndef FT_DL_DL_H
#define FT_DL_DL_H

#include "core/internal.h"

/* One optional library. */
typedef struct ft__dl {
  const char *name;   /* domain for messages: "cairo" */
  const char *soname; /* dlopen()ed first: "libcairo.so.2" */
  const char *libdir; /* tried next when not NULL: libdir/soname */
  /* Resolve every symbol from handle h; 0, or -1 with *missing set to the
   * first name dlsym() did not find. */
  int (*resolve)(void *h, const char **missing);
} ft__dl;

/* Open lib once per process and resolve its symbols.  FT_OK, or
 * FT_ERR_UNSUPPORTED with the reason recorded on ctx (ctx may be NULL). */
ft_status ft__dl_require(ft_ctx *ctx, const ft__dl *lib);

/* Declares a member of a library's function table: a pointer with the type
 * of the library's own declaration. */
#define FT__DL_MEMBER(f) __typeof__(f) *f;
/* Resolves a member (inside a resolve function with handle h, table T). */
#define FT__DL_RESOLVE(T, f)                     \
  if (!(*(void **)&(T).f = ft__dl_sym(h, #f))) { \
    *missing = #f;                               \
    return -1;                                   \
  }

void *ft__dl_sym(void *h, const char *name);

#endif
