/* src/write/internal.h - helpers shared by the writers (not installed).
 *
 * ft__buf is a growing, always NUL-terminated byte buffer.  ft__pathdata
 * appends the compact SVG path data of one ft_path to it (see pathdata.c);
 * ft__sink_detail gives the message a sink recorded when a write failed,
 * so a writer can pass on "out/a.svg: cannot write: No space left on device"
 * instead of a generic failure.
 */
#ifndef FT_WRITE_INTERNAL_H
#define FT_WRITE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/internal.h"

typedef struct ft__buf {
  char *data; /* [cap]; data[len] == '\0' once anything was appended */
  size_t len, cap;
} ft__buf;

/* Append n bytes (0 on success, -1 when out of memory or on overflow). */
int ft__buf_append(ft__buf *b, const void *s, size_t n);
int ft__buf_putc(ft__buf *b, char c);
void ft__buf_free(ft__buf *b);

/* State of the path-data encoder across the paths of one `d` attribute:
 * the current point (in units of 10^-decimals, already rounded), the last
 * command letter written (0 at the start of the attribute) and whether the
 * last thing written was a number containing a '.', which decides whether
 * the next number needs a separator. */
typedef struct ft__pd {
  int decimals;   /* 0..6 */
  int64_t scale;  /* 10^decimals */
  int64_t cx, cy; /* current point, rounded, scaled */
  char last_cmd;  /* last command letter written, 0 when none */
  int last_num;   /* 0 nothing / letter last, 1 integer last, 2 number with '.' last */
} ft__pd;

/* Largest |coordinate| the encoder accepts (scaled values fit in int64). */
#define FT__PD_MAX_COORD 1e12

void ft__pd_init(ft__pd *pd, int decimals);

/* Append path p as one subpath (moveto, segments, 'z' when closed) to b.
 * Paths without segments append nothing.  Returns FT_OK, FT_ERR_NOMEM, or
 * FT_ERR_INVAL for a coordinate that is not finite or exceeds
 * FT__PD_MAX_COORD (no message is recorded; the caller names the path). */
ft_status ft__pathdata(ft__pd *pd, ft__buf *b, const ft_path *p);

/* Format v (a value in units of 10^-decimals) the compact way: no trailing
 * zeros, no leading "0" before '.', "-" sign.  out needs 32 bytes; returns
 * the length and sets *has_dot. */
int ft__fmt_fixed(char *out, int64_t v, int decimals, int *has_dot);

/* Format a double with at most `decimals` digits after the point, compactly
 * as above but keeping the leading zero ("0.5", for attributes). */
void ft__fmt_attr(char *out, size_t outsz, double v, int decimals);

/* Detail recorded by a sink from ft_sink_open_*() after a failed write, or
 * NULL (also for caller-made sinks). */
const char *ft__sink_detail(const ft_sink *sink);

/* Cairo writes its streams (PNG, PDF, PS) through a callback; this one
 * feeds an ft_sink and remembers a failed write, after which every call
 * fails.  closure is an ft__cairo_stream. */
typedef struct ft__cairo_stream {
  ft_sink *sink;
  int failed;
} ft__cairo_stream;
int ft__cairo_stream_write(void *closure, const unsigned char *data, unsigned int len);

#endif
