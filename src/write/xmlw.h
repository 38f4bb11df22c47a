/* src/write/xmlw.h - the streaming XML writer under the SVG writer (not
 * installed).
 *
 * Writes one XML 1.0 document, element by element, into an ft_sink:
 * the declaration, start tags with their attributes, character data and
 * end tags, in the layout libxml2's xmlTextWriter gives with indentation
 * (each element on its own line, two spaces a level, an element with only
 * text on one line) or without it.  Attribute values and text are escaped
 * here (& < > " always; tab, LF and CR as character references in
 * attribute values, where a parser would otherwise fold them into
 * spaces); the caller hands in valid UTF-8 without the control characters
 * XML forbids (svg.c's clean()).  Names are the caller's string literals.
 *
 * Every function returns 0, or -1 once anything failed; after a failure
 * every later call fails too, and xw->failed says why: FT__XW_NOMEM or
 * FT__XW_SINK (the sink refused a write).  Bytes go to the sink in pieces
 * of about 64 KiB and at ft__xw_finish().
 */
#ifndef FT_WRITE_XMLW_H
#define FT_WRITE_XMLW_H

#include "write/internal.h"

#define FT__XW_MAX_DEPTH 16
#define FT__XW_NOMEM 1
#define FT__XW_SINK 2
#define FT__XW_MISUSE 3 /* nesting deeper than FT__XW_MAX_DEPTH, or an end without start */

typedef struct ft__xw {
  ft_sink *sink;
  ft__buf out;   /* bytes not yet written to the sink */
  int indent;    /* lay elements out one per line */
  int depth;     /* open elements */
  int in_tag;    /* the last start tag is not closed yet: attributes may follow */
  int has_text;  /* the innermost open element has character data */
  int failed;    /* 0, or FT__XW_* */
  const char *open[FT__XW_MAX_DEPTH];
} ft__xw;

/* Start a document on sink: writes the XML declaration. */
int ft__xw_begin(ft__xw *xw, ft_sink *sink, int indent);
int ft__xw_start(ft__xw *xw, const char *name);
int ft__xw_attr(ft__xw *xw, const char *name, const char *value);
int ft__xw_text(ft__xw *xw, const char *text);
int ft__xw_end(ft__xw *xw);
/* Close the elements still open and write what is buffered. */
int ft__xw_finish(ft__xw *xw);
/* Free the buffer (after ft__xw_finish, or instead of it on failure). */
void ft__xw_free(ft__xw *xw);

#endif
