/* src/write/tiffmem.c - a TIFF file assembled in memory (see tiffmem.h). */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "write/tiffmem.h"

static tmsize_t tm_read(thandle_t h, void *data, tmsize_t n) {
  ft__tiffmem *m = (ft__tiffmem *)h;
  size_t k = m->pos < m->len ? m->len - m->pos : 0;
  if (n < 0) return -1;
  if ((size_t)n < k) k = (size_t)n;
  memcpy(data, m->buf + m->pos, k);
  m->pos += k;
  return (tmsize_t)k;
}

static tmsize_t tm_write(thandle_t h, void *data, tmsize_t n) {
  ft__tiffmem *m = (ft__tiffmem *)h;
  size_t end;
  if (n < 0 || m->pos > SIZE_MAX - (size_t)n) return -1;
  end = m->pos + (size_t)n;
  if (end > m->cap) {
    size_t cap = m->cap ? m->cap : 65536;
    unsigned char *nb;
    while (cap < end) {
      if (cap > SIZE_MAX / 2) return -1;
      cap *= 2;
    }
    nb = realloc(m->buf, cap);
    if (!nb) return -1;
    m->buf = nb;
    m->cap = cap;
  }
  if (m->pos > m->len) memset(m->buf + m->len, 0, m->pos - m->len);
  memcpy(m->buf + m->pos, data, (size_t)n);
  m->pos = end;
  if (end > m->len) m->len = end;
  return n;
}

static toff_t tm_seek(thandle_t h, toff_t off, int whence) {
  ft__tiffmem *m = (ft__tiffmem *)h;
  uint64_t base = whence == SEEK_CUR ? m->pos : whence == SEEK_END ? m->len : 0;
  if (off > UINT64_MAX - base || base + off > SIZE_MAX) return (toff_t)-1;
  m->pos = (size_t)(base + off);
  return (toff_t)m->pos;
}

static int tm_close(thandle_t h) {
  (void)h;
  return 0;
}

static toff_t tm_size(thandle_t h) { return (toff_t)((ft__tiffmem *)h)->len; }

static int tm_map(thandle_t h, void **base, toff_t *size) {
  (void)h, (void)base, (void)size;
  return 0;
}

static void tm_unmap(thandle_t h, void *base, toff_t size) { (void)h, (void)base, (void)size; }

static int tm_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
  ft__tiffmem *m = user;
  (void)tif, (void)module;
  if (!m->msg[0]) vsnprintf(m->msg, sizeof m->msg, fmt, ap);
  return 1; /* handled: nothing reaches libtiff's global handler */
}

static int tm_warn(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
  (void)tif, (void)user, (void)module, (void)fmt, (void)ap;
  return 1;
}

TIFF *ft__tiffmem_open(ft__tiffmem *m, const char *name) {
  TIFFOpenOptions *opts;
  TIFF *t;
  memset(m, 0, sizeof *m);
  if (!(opts = TIFFOpenOptionsAlloc())) {
    snprintf(m->msg, sizeof m->msg, "out of memory");
    return NULL;
  }
  TIFFOpenOptionsSetErrorHandlerExtR(opts, tm_error, m);
  TIFFOpenOptionsSetWarningHandlerExtR(opts, tm_warn, m);
  t = TIFFClientOpenExt(name, "wm", (thandle_t)m, tm_read, tm_write, tm_seek, tm_close, tm_size,
                        tm_map, tm_unmap, opts);
  TIFFOpenOptionsFree(opts);
  if (!t) {
    if (!m->msg[0]) snprintf(m->msg, sizeof m->msg, "cannot start the file");
    free(m->buf);
    m->buf = NULL;
    m->len = m->cap = m->pos = 0;
  }
  return t;
}

void ft__tiffmem_free(ft__tiffmem *m) {
  free(m->buf);
  m->buf = NULL;
  m->len = m->cap = m->pos = 0;
}
