/* src/write/xmlw.c - the streaming XML writer under the SVG writer (see
 * xmlw.h).
 *
 * Why not libxml2's xmlTextWriter: the SVG writer is on the path of every
 * conversion, and Debian's libxml2 brings ICU, libstdc++ and liblzma with
 * it.  Opening them cost 3.5-4 ms and about 125 page faults per process on
 * the development machine (a program that only dlopen()s libxml2.so.2:
 * 5.3 ms against 1.5 ms for an empty one), more than half of what potrace
 * takes for a whole 512 px icon.  What the text writer did for us is
 * escaping and layout, both small and fixed by the XML 1.0 grammar
 * (Sec. 2.4 character data, 3.3.3 attribute-value normalisation); the
 * checks of the strings themselves (UTF-8, forbidden characters) were
 * already svg.c's.  libxml2 stays the parser: `figtrace check` reads SVG
 * with it, and the unit tests read every document this writer makes with
 * it.
 */
#include "config.h"

#include <string.h>

#include "write/xmlw.h"

#define FLUSH_AT ((size_t)64 << 10)

static int put(ft__xw *xw, const char *s, size_t n) {
  if (xw->failed) return -1;
  if (ft__buf_append(&xw->out, s, n)) {
    xw->failed = FT__XW_NOMEM;
    return -1;
  }
  return 0;
}

#define PUTS(xw, lit) put(xw, lit, sizeof lit - 1)

static int flush(ft__xw *xw) {
  if (xw->failed) return -1;
  if (xw->out.len > 0 && xw->sink->write(xw->sink->user, xw->out.data, xw->out.len) != 0) {
    xw->failed = FT__XW_SINK;
    return -1;
  }
  xw->out.len = 0;
  return 0;
}

static int maybe_flush(ft__xw *xw) { return xw->out.len >= FLUSH_AT ? flush(xw) : 0; }

/* Two spaces per open element outside the one being written. */
static int indent(ft__xw *xw, int level) {
  static const char spaces[] = "                                "; /* 2 * FT__XW_MAX_DEPTH */
  return put(xw, spaces, (size_t)level * 2);
}

/* s with XML's special characters as references: & < > " everywhere, and
 * in attribute values also tab, LF and CR, which a parser would otherwise
 * normalise to spaces; CR in text too, which a parser would drop. */
static int escaped(ft__xw *xw, const char *s, int attr) {
  const char *run = s;
  for (;; s++) {
    const char *ref;
    switch (*s) {
      case '\0': return put(xw, run, (size_t)(s - run));
      case '&': ref = "&amp;"; break;
      case '<': ref = "&lt;"; break;
      case '>': ref = "&gt;"; break;
      case '"': ref = "&quot;"; break;
      case '\r': ref = "&#13;"; break;
      case '\t':
        if (!attr) continue;
        ref = "&#9;";
        break;
      case '\n':
        if (!attr) continue;
        ref = "&#10;";
        break;
      default: continue;
    }
    if (put(xw, run, (size_t)(s - run)) || put(xw, ref, strlen(ref))) return -1;
    run = s + 1;
  }
}

/* Close a start tag still open, before content. */
static int close_tag(ft__xw *xw, int newline) {
  if (!xw->in_tag) return 0;
  xw->in_tag = 0;
  return newline && xw->indent ? PUTS(xw, ">\n") : PUTS(xw, ">");
}

int ft__xw_begin(ft__xw *xw, ft_sink *sink, int indent_) {
  memset(xw, 0, sizeof *xw);
  xw->sink = sink;
  xw->indent = indent_ != 0;
  return PUTS(xw, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
}

int ft__xw_start(ft__xw *xw, const char *name) {
  if (xw->failed) return -1;
  if (xw->depth == FT__XW_MAX_DEPTH) {
    xw->failed = FT__XW_MISUSE;
    return -1;
  }
  if (close_tag(xw, 1) || (xw->indent && indent(xw, xw->depth)) || PUTS(xw, "<") ||
      put(xw, name, strlen(name)))
    return -1;
  xw->open[xw->depth++] = name;
  xw->in_tag = 1;
  xw->has_text = 0;
  return 0;
}

int ft__xw_attr(ft__xw *xw, const char *name, const char *value) {
  if (xw->failed) return -1;
  if (!xw->in_tag) {
    xw->failed = FT__XW_MISUSE;
    return -1;
  }
  if (PUTS(xw, " ") || put(xw, name, strlen(name)) || PUTS(xw, "=\"") ||
      escaped(xw, value, 1) || PUTS(xw, "\""))
    return -1;
  return maybe_flush(xw);
}

int ft__xw_text(ft__xw *xw, const char *text) {
  if (xw->failed) return -1;
  if (xw->depth == 0) {
    xw->failed = FT__XW_MISUSE;
    return -1;
  }
  if (close_tag(xw, 0) || escaped(xw, text, 0)) return -1;
  xw->has_text = 1;
  return maybe_flush(xw);
}

int ft__xw_end(ft__xw *xw) {
  const char *name;
  if (xw->failed) return -1;
  if (xw->depth == 0) {
    xw->failed = FT__XW_MISUSE;
    return -1;
  }
  name = xw->open[--xw->depth];
  if (xw->in_tag) {
    xw->in_tag = 0;
    if (PUTS(xw, "/>")) return -1;
  } else if ((xw->indent && !xw->has_text && indent(xw, xw->depth)) || PUTS(xw, "</") ||
             put(xw, name, strlen(name)) || PUTS(xw, ">")) {
    return -1;
  }
  xw->has_text = 0;
  if (xw->indent && PUTS(xw, "\n")) return -1;
  return maybe_flush(xw);
}

int ft__xw_finish(ft__xw *xw) {
  while (xw->depth > 0)
    if (ft__xw_end(xw)) return -1;
  if (!xw->indent && PUTS(xw, "\n")) return -1;
  return flush(xw);
}

void ft__xw_free(ft__xw *xw) { ft__buf_free(&xw->out); }
