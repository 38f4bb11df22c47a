/* src/write/svg.c - ft_doc to SVG 1.1.
 *
 * The elements go through the streaming XML writer of xmlw.c, which
 * escapes every string and hands the bytes to an ft_sink (see xmlw.c for
 * why it is not libxml2's xmlTextWriter).
 * The document follows the structure of SVG 1.1 (W3C Recommendation, 2011):
 * the root <svg> carries viewBox "0 0 W H" in user units (the source
 * image's pixels) and width/height in mm (Sec. 7.2, 7.7); each layer is a
 * <g inkscape:groupmode="layer"> that editors show as a layer, with plain
 * presentation attributes (fill, fill-rule, stroke..., Sec. 6.4) rather than
 * CSS so every consumer reads them.  A region - an outline together with
 * the holes whose parent it is - becomes one <path> whose subpaths the fill
 * rule renders with holes (Sec. 11.3); path data comes from pathdata.c.
 *
 * Strings from the document are checked for UTF-8 and for characters XML
 * 1.0 forbids (C0 controls other than tab, CR, LF); offenders are replaced
 * by U+FFFD so the output always parses.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "write/internal.h"
#include "write/xmlw.h"

static const ft_svg_params svg_defaults = {
    .decimals = 2,
    .pretty = 1,
};

void ft_svg_params_init(ft_svg_params *p) { *p = svg_defaults; }

#define NS_SVG "http://www.w3.org/2000/svg"
#define NS_INKSCAPE "http://www.inkscape.org/namespaces/inkscape"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_FIGTRACE "urn:figtrace:metadata"

/* Private status: the xml writer failed; the caller finds out whether the
 * sink refused a write (FT_ERR_IO) or memory ran out. */
#define XMLFAIL ((ft_status)(FT_ERR_INTERNAL + 100))

/* Everything one write needs. */
typedef struct svgw {
  ft_ctx *ctx;
  ft__xw xw;
  int decimals;
  ft__buf d;       /* path data of the element being written */
  ft__buf text;    /* scratch for cleaned strings */
  long done, total; /* paths written / in the document, for progress */
} svgw;

/* ---- strings ---- */

/* Length of the valid UTF-8 sequence XML allows at s, 0 when invalid. */
static int utf8_len(const unsigned char *s) {
  unsigned c = s[0], cp;
  int n, i;
  if (c < 0x80) return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
  if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07;
  else return 0;
  for (i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
  return n;
}

/* s made safe for XML, in w->text (borrowed until the next call); NULL when
 * out of memory. */
static const char *clean(svgw *w, const char *s) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  w->text.len = 0;
  if (ft__buf_append(&w->text, "", 0)) return NULL;
  while (*p) {
    int n = utf8_len(p);
    if (n ? ft__buf_append(&w->text, p, (size_t)n) : ft__buf_append(&w->text, "\xEF\xBF\xBD", 3))
      return NULL;
    p += n ? n : 1;
  }
  return w->text.data;
}

/* ---- small writers; each returns < 0 on failure ---- */

static int attr(svgw *w, const char *name, const char *value) {
  const char *v = clean(w, value);
  if (!v) return -1;
  return ft__xw_attr(&w->xw, name, v);
}

static int attr_num(svgw *w, const char *name, double v, int decimals, const char *unit) {
  char s[64];
  ft__fmt_attr(s, sizeof s, v, decimals);
  if (unit) strncat(s, unit, sizeof s - strlen(s) - 1);
  return ft__xw_attr(&w->xw, name, s);
}

static int start(svgw *w, const char *name) { return ft__xw_start(&w->xw, name); }

static int end(svgw *w) { return ft__xw_end(&w->xw); }

/* <name>text</name> */
static int element_text(svgw *w, const char *name, const char *text) {
  const char *v;
  if (start(w, name) < 0 || !(v = clean(w, text)) || ft__xw_text(&w->xw, v) < 0)
    return -1;
  return end(w);
}

static float clamp01(float v) { return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f; }

/* Colour attribute `name` ("fill", "stroke") and its opacity when not 1;
 * a = 0 writes "none". */
static int attr_color(svgw *w, const char *name, ft_rgba c) {
  char s[16];
  if (!(c.a > 0.0f)) return attr(w, name, "none");
  snprintf(s, sizeof s, "#%02x%02x%02x", (unsigned)lroundf(clamp01(c.r) * 255.0f),
           (unsigned)lroundf(clamp01(c.g) * 255.0f), (unsigned)lroundf(clamp01(c.b) * 255.0f));
  if (attr(w, name, s) < 0) return -1;
  if (c.a < 1.0f) {
    char oname[32];
    snprintf(oname, sizeof oname, "%s-opacity", name);
    return attr_num(w, oname, c.a, 3, NULL);
  }
  return 0;
}

/* Append the base64 encoding (RFC 4648, padded) of data[0..n) to b, for
 * the underlay's data URI.  0, or -1 when out of memory. */
static int base64(ft__buf *b, const unsigned char *data, size_t n) {
  static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char q[4];
  size_t i;
  for (i = 0; i < n; i += 3) {
    unsigned v = (unsigned)data[i] << 16;
    if (i + 1 < n) v |= (unsigned)data[i + 1] << 8;
    if (i + 2 < n) v |= data[i + 2];
    q[0] = tab[(v >> 18) & 63];
    q[1] = tab[(v >> 12) & 63];
    q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
    q[3] = i + 2 < n ? tab[v & 63] : '=';
    if (ft__buf_append(b, q, 4)) return -1;
  }
  return 0;
}

/* ---- layers ---- */

/* Elements of a layer.  Holes are chained after their outline
 * (first_hole/next_hole, in path order), everything else is an element
 * head.  Sorting the heads by (open, label, index) puts all outlines of a
 * label next to each other, which the item-prefix mode needs to gather them
 * into one <path>, and numbers each label's strokes (rank).
 *
 * An element head: an outline (or a hole whose parent is missing) or an
 * open stroke, ordered for grouping by (open, label, index). */
typedef struct head {
  int open, label, index;
} head;

static int head_cmp(const void *a, const void *b) {
  const head *x = a, *y = b;
  if (x->open != y->open) return x->open - y->open;
  if (x->label != y->label) return x->label < y->label ? -1 : 1;
  return x->index - y->index;
}

/* Append path i of the layer and the holes chained after it to w->d. */
static ft_status add_region(svgw *w, ft__pd *pd, const ft_paths *ps, const int *first_hole,
                            const int *next_hole, int i, const ft_layer *l) {
  ft_status st;
  int j = i;
  while (j >= 0) {
    if ((st = ft__pathdata(pd, &w->d, &ps->path[j]))) {
      if (st == FT_ERR_INVAL)
        return ft__fail(w->ctx, st, "svg: layer \"%s\" path %d: bad segment or coordinate",
                        l->id ? l->id : "", j);
      return ft__nomem(w->ctx, "svg");
    }
    w->done++;
    j = j == i ? first_hole[i] : next_hole[j];
  }
  return ft__progress(w->ctx, w->total ? (double)w->done / (double)w->total : 1.0);
}

/* Write the <path> element held in w->d (nothing when d is empty).
 * stroke_path is the stroke it draws (an open path, or a closed one with
 * its own stroke_width), NULL for a region. */
static int path_element(svgw *w, const char *id, const ft_layer *l, const ft_path *stroke_path) {
  if (w->d.len == 0) return 0;
  if (start(w, "path") < 0 || (id && attr(w, "id", id) < 0)) return -1;
  if (stroke_path) {
    if (attr(w, "fill", "none") < 0) return -1;
    if (!(l->stroke.a > 0.0f)) { /* the layer has no stroke: draw in its fill colour */
      if (attr_color(w, "stroke", l->fill) < 0 || attr(w, "stroke-linecap", "round") < 0 ||
          attr(w, "stroke-linejoin", "round") < 0)
        return -1;
    }
    if (stroke_path->stroke_width > 0.0 &&
        attr_num(w, "stroke-width", stroke_path->stroke_width, 3, NULL) < 0)
      return -1;
  }
  if (ft__xw_attr(&w->xw, "d", w->d.data) < 0) return -1;
  return end(w);
}

/* Write one layer <g> with its elements.  Returns FT_OK, an ft_status
 * already recorded, or XMLFAIL when the xml writer failed. */
static ft_status write_layer(svgw *w, const ft_layer *l) {
  const ft_paths *ps = l->paths;
  int n = ps ? ps->npaths : 0, i, k, nh = 0;
  int *first_hole = NULL, *next_hole = NULL, *last_hole = NULL, *pos = NULL, *rank = NULL;
  head *h = NULL;
  ft_status st = FT_OK;
  ft__pd pd;
  char id[512];

  if (start(w, "g") < 0) goto xmlfail;
  if (l->id && attr(w, "id", l->id) < 0) goto xmlfail;
  if (attr(w, "inkscape:groupmode", "layer") < 0) goto xmlfail;
  if (attr(w, "inkscape:label", l->label ? l->label : l->id ? l->id : "") < 0) goto xmlfail;
  if (attr_color(w, "fill", l->fill) < 0) goto xmlfail;
  if (attr(w, "fill-rule", l->fill_rule == FT_FILL_EVENODD ? "evenodd" : "nonzero") < 0)
    goto xmlfail;
  if (attr_color(w, "stroke", l->stroke) < 0) goto xmlfail;
  if (l->stroke.a > 0.0f) {
    if (l->stroke_width > 0.0 && attr_num(w, "stroke-width", l->stroke_width, 3, NULL) < 0)
      goto xmlfail;
    if (attr(w, "stroke-linecap", "round") < 0 || attr(w, "stroke-linejoin", "round") < 0)
      goto xmlfail;
  }

  if (n > 0) {
    first_hole = ft__malloc_n((size_t)n, sizeof *first_hole);
    next_hole = ft__malloc_n((size_t)n, sizeof *next_hole);
    last_hole = ft__malloc_n((size_t)n, sizeof *last_hole);
    pos = ft__malloc_n((size_t)n, sizeof *pos);
    rank = ft__malloc_n((size_t)n, sizeof *rank);
    h = ft__malloc_n((size_t)n, sizeof *h);
    if (!first_hole || !next_hole || !last_hole || !pos || !rank || !h) {
      st = ft__nomem(w->ctx, "svg");
      goto done;
    }
  }
  /* Chain each hole after the outline it cuts; a hole without a valid
   * closed outline as parent stands alone. */
  for (i = 0; i < n; i++) {
    const ft_path *p = &ps->path[i];
    int par = p->parent;
    first_hole[i] = next_hole[i] = last_hole[i] = -1;
    pos[i] = -1;
    if (p->closed && p->hole && par >= 0 && par < i && ps->path[par].closed &&
        !ps->path[par].hole) {
      if (last_hole[par] < 0)
        first_hole[par] = i;
      else
        next_hole[last_hole[par]] = i;
      last_hole[par] = i;
      continue;
    }
    h[nh].open = !p->closed;
    h[nh].label = p->label;
    h[nh].index = i;
    nh++;
  }
  if (nh > 1) qsort(h, (size_t)nh, sizeof *h, head_cmp);
  for (k = 0; k < nh; k++) {
    pos[h[k].index] = k;
    rank[h[k].index] = (k > 0 && h[k - 1].open == h[k].open && h[k - 1].label == h[k].label)
                           ? rank[h[k - 1].index] + 1
                           : 1;
  }

  /* Elements in path order; with an item prefix, the first outline of a
   * label gathers all outlines of that label. */
  for (i = 0; i < n; i++) {
    const ft_path *p = &ps->path[i];
    const char *eid = NULL;
    if (pos[i] < 0) continue; /* a hole, written with its outline */
    ft__pd_init(&pd, w->decimals);
    w->d.len = 0;
    if (l->item_prefix) {
      if (!p->closed)
        snprintf(id, sizeof id, "%s-%d-%d", l->item_prefix, p->label, rank[i]);
      else
        snprintf(id, sizeof id, "%s-%d", l->item_prefix, p->label);
      eid = id;
    }
    if (p->closed && l->item_prefix) {
      if (rank[i] != 1) continue; /* already written with the label's first outline */
      for (k = pos[i]; k < nh && !h[k].open && h[k].label == p->label; k++)
        if ((st = add_region(w, &pd, ps, first_hole, next_hole, h[k].index, l))) goto done;
    } else if ((st = add_region(w, &pd, ps, first_hole, next_hole, i, l))) {
      goto done;
    }
    /* a closed centre line (stroke_width set) is stroked like an open one */
    if (path_element(w, eid, l, p->closed && !(p->stroke_width > 0.0) ? NULL : p) < 0)
      goto xmlfail;
  }
  if (end(w) < 0) goto xmlfail;
  goto done;
xmlfail:
  st = XMLFAIL;
done:
  free(first_hole);
  free(next_hole);
  free(last_hole);
  free(pos);
  free(rank);
  free(h);
  return st;
}

/* ---- document ---- */

static int write_metadata(svgw *w, const ft_doc *doc) {
  char s[128], a[48], b[48];
  if (!doc->source && !doc->preset && !(doc->pixel_w > 0.0) && !doc->incomplete &&
      !doc->underlay_png)
    return 0;
  if (start(w, "metadata") < 0 || start(w, "rdf:RDF") < 0 || attr(w, "xmlns:rdf", NS_RDF) < 0 ||
      attr(w, "xmlns:dc", NS_DC) < 0 || attr(w, "xmlns:figtrace", NS_FIGTRACE) < 0 ||
      start(w, "rdf:Description") < 0 || attr(w, "rdf:about", "") < 0 ||
      element_text(w, "dc:format", "image/svg+xml") < 0)
    return -1;
  if (doc->title && element_text(w, "dc:title", doc->title) < 0) return -1;
  if (doc->source && element_text(w, "dc:source", doc->source) < 0) return -1;
  if (doc->preset && element_text(w, "figtrace:preset", doc->preset) < 0) return -1;
  if (doc->pixel_w > 0.0) {
    ft__fmt_attr(a, sizeof a, doc->pixel_w, 6);
    ft__fmt_attr(b, sizeof b, doc->pixel_h > 0.0 ? doc->pixel_h : doc->pixel_w, 6);
    snprintf(s, sizeof s, "%s %s", a, b);
    if (start(w, "figtrace:pixelSize") < 0 || attr(w, "unit", "um") < 0 ||
        ft__xw_text(&w->xw, s) < 0 || end(w) < 0)
      return -1;
  }
  if (doc->underlay_png) {
    ft__fmt_attr(a, sizeof a, doc->window_lo, 6);
    ft__fmt_attr(b, sizeof b, doc->window_hi, 6);
    snprintf(s, sizeof s, "%s %s", a, b);
    if (start(w, "figtrace:displayWindow") < 0 || attr(w, "mapping", "linear") < 0 ||
        ft__xw_text(&w->xw, s) < 0 || end(w) < 0)
      return -1;
    if (doc->gamma != 1.0 && doc->gamma > 0.0) {
      ft__fmt_attr(a, sizeof a, doc->gamma, 4);
      if (element_text(w, "figtrace:displayGamma", a) < 0) return -1;
    }
  }
  if (doc->incomplete && element_text(w, "figtrace:incomplete", "true") < 0) return -1;
  return end(w) < 0 || end(w) < 0 || end(w) < 0 ? -1 : 0; /* Description, RDF, metadata */
}

static const char *anchor_name(int a) {
  return a == FT_ANCHOR_MIDDLE ? "middle" : a == FT_ANCHOR_END ? "end" : "start";
}

/* The whole document after the XML declaration; XMLFAIL for an xml writer
 * failure, else an ft_status. */
static ft_status write_doc(svgw *w, const ft_doc *doc) {
  double wmm = doc->width_mm > 0.0 ? doc->width_mm : doc->width * 25.4 / 96.0;
  double hmm = doc->height_mm > 0.0 ? doc->height_mm : doc->height * 25.4 / 96.0;
  char vb[160], a[48], b[48];
  ft_status st;
  int i;

  if (start(w, "svg") < 0 || attr(w, "xmlns", NS_SVG) < 0 ||
      attr(w, "xmlns:inkscape", NS_INKSCAPE) < 0 ||
      (doc->underlay_png && attr(w, "xmlns:xlink", "http://www.w3.org/1999/xlink") < 0) ||
      attr(w, "version", "1.1") < 0 ||
      attr_num(w, "width", wmm, 3, "mm") < 0 || attr_num(w, "height", hmm, 3, "mm") < 0)
    return XMLFAIL;
  ft__fmt_attr(a, sizeof a, doc->width, 6);
  ft__fmt_attr(b, sizeof b, doc->height, 6);
  snprintf(vb, sizeof vb, "0 0 %s %s", a, b);
  if (attr(w, "viewBox", vb) < 0) return XMLFAIL;
  if (doc->title && element_text(w, "title", doc->title) < 0) return XMLFAIL;
  if (doc->desc && element_text(w, "desc", doc->desc) < 0) return XMLFAIL;
  if (write_metadata(w, doc) < 0) return XMLFAIL;

  if (doc->underlay_png && doc->underlay_len > 0) {
    /* the source image, one pixel per user unit, under the vector layers */
    ft__buf uri = {NULL, 0, 0};
    int r;
    if (ft__buf_append(&uri, "data:image/png;base64,", 22) ||
        base64(&uri, doc->underlay_png, doc->underlay_len)) {
      ft__buf_free(&uri);
      return ft__nomem(w->ctx, "svg");
    }
    r = start(w, "g") < 0 || attr(w, "id", "underlay") < 0 ||
        attr(w, "inkscape:groupmode", "layer") < 0 ||
        attr(w, "inkscape:label", "Underlay") < 0 || start(w, "image") < 0 ||
        attr(w, "x", "0") < 0 || attr(w, "y", "0") < 0 ||
        attr_num(w, "width", doc->width, 6, NULL) < 0 ||
        attr_num(w, "height", doc->height, 6, NULL) < 0 ||
        attr(w, "preserveAspectRatio", "none") < 0 ||
        attr(w, "image-rendering", "optimizeSpeed") < 0 ||
        ft__xw_attr(&w->xw, "xlink:href", uri.data) < 0 ||
        end(w) < 0 || end(w) < 0;
    ft__buf_free(&uri);
    if (r) return XMLFAIL;
  }
  for (i = 0; i < doc->nlayers; i++)
    if ((st = write_layer(w, &doc->layer[i]))) return st;

  /* Scale bars and labels go into their own layer above the drawing. */
  if ((doc->nrects > 0 || doc->ntexts > 0) &&
      (start(w, "g") < 0 || attr(w, "id", "annotations") < 0 ||
       attr(w, "inkscape:groupmode", "layer") < 0 || attr(w, "inkscape:label", "Annotations") < 0))
    return XMLFAIL;
  for (i = 0; i < doc->nrects; i++) {
    const ft_rect *r = &doc->rect[i];
    /* SVG forbids a negative width or height: span the same area instead */
    double x = r->w < 0.0 ? r->x + r->w : r->x, y = r->h < 0.0 ? r->y + r->h : r->y;
    if (start(w, "rect") < 0 || (r->id && attr(w, "id", r->id) < 0) ||
        attr_num(w, "x", x, 3, NULL) < 0 || attr_num(w, "y", y, 3, NULL) < 0 ||
        attr_num(w, "width", fabs(r->w), 3, NULL) < 0 ||
        attr_num(w, "height", fabs(r->h), 3, NULL) < 0 ||
        attr_color(w, "fill", r->fill) < 0 || end(w) < 0)
      return XMLFAIL;
  }
  for (i = 0; i < doc->ntexts; i++) {
    const ft_text *t = &doc->text[i];
    const char *v;
    if (start(w, "text") < 0 || (t->id && attr(w, "id", t->id) < 0) ||
        attr_num(w, "x", t->x, 3, NULL) < 0 || attr_num(w, "y", t->y, 3, NULL) < 0 ||
        (t->font && attr(w, "font-family", t->font) < 0) ||
        attr_num(w, "font-size", t->size, 3, NULL) < 0 ||
        attr(w, "text-anchor", anchor_name(t->anchor)) < 0 || attr_color(w, "fill", t->color) < 0)
      return XMLFAIL;
    if (!(v = clean(w, t->text)) || ft__xw_text(&w->xw, v) < 0 || end(w) < 0)
      return XMLFAIL;
  }
  if ((doc->nrects > 0 || doc->ntexts > 0) && end(w) < 0) return XMLFAIL;
  if (ft__xw_finish(&w->xw) < 0) return XMLFAIL;
  return FT_OK;
}

static ft_status check_doc(ft_ctx *ctx, const ft_doc *doc) {
  int i;
  if (!isfinite(doc->width) || !isfinite(doc->height) || !(doc->width > 0.0) ||
      !(doc->height > 0.0) || doc->width > FT__PD_MAX_COORD || doc->height > FT__PD_MAX_COORD)
    return ft__fail(ctx, FT_ERR_INVAL, "svg: document size %gx%g is not drawable", doc->width,
                    doc->height);
  if (!isfinite(doc->width_mm) || !isfinite(doc->height_mm) || doc->width_mm < 0.0 ||
      doc->height_mm < 0.0)
    return ft__fail(ctx, FT_ERR_INVAL, "svg: physical size %gx%g mm is invalid", doc->width_mm,
                    doc->height_mm);
  if (doc->nlayers < 0 || doc->nrects < 0 || doc->ntexts < 0 ||
      (doc->nlayers && !doc->layer) || (doc->nrects && !doc->rect) || (doc->ntexts && !doc->text))
    return ft__fail(ctx, FT_ERR_INVAL, "svg: malformed document");
  for (i = 0; i < doc->nlayers; i++) {
    const ft_paths *ps = doc->layer[i].paths;
    if (ps && (ps->npaths < 0 || (ps->npaths && !ps->path)))
      return ft__fail(ctx, FT_ERR_INVAL, "svg: layer %d has a malformed path set", i);
  }
  return FT_OK;
}

ft_status ft_write_svg(ft_ctx *ctx, const ft_doc *doc, const ft_svg_params *p, ft_sink *sink) {
  svgw w;
  ft_status st;
  int i;

  if (!p) p = &svg_defaults;
  if (!doc || !sink || !sink->write)
    return ft__fail(ctx, FT_ERR_INVAL, "svg: missing %s", !doc ? "document" : "sink");
  if (p->decimals < 0 || p->decimals > 6)
    return ft__fail(ctx, FT_ERR_INVAL, "svg: decimals=%d out of range 0..6", p->decimals);
  if ((st = check_doc(ctx, doc))) return st;

  memset(&w, 0, sizeof w);
  w.ctx = ctx;
  w.decimals = p->decimals;
  for (i = 0; i < doc->nlayers; i++)
    if (doc->layer[i].paths) w.total += doc->layer[i].paths->npaths;
  st = ft__xw_begin(&w.xw, sink, p->pretty) < 0 ? XMLFAIL : write_doc(&w, doc);
  if (st == XMLFAIL) {
    const char *detail = ft__sink_detail(sink);
    if (w.xw.failed == FT__XW_SINK)
      st = detail ? ft__fail(ctx, FT_ERR_IO, "%s", detail)
                  : ft__fail(ctx, FT_ERR_IO, "svg: output sink refused a write");
    else if (w.xw.failed == FT__XW_NOMEM || w.xw.failed == 0)
      st = ft__nomem(ctx, "svg");
    else
      st = ft__fail(ctx, FT_ERR_INTERNAL, "svg: elements nested too deep");
  }
  ft__xw_free(&w.xw);
  ft__buf_free(&w.d);
  ft__buf_free(&w.text);
  return st;
}
