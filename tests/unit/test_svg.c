/* tests/unit/test_svg.c - the SVG writer and its compact path data.
 *
 * Documents are built in code, written to a memory sink and parsed back
 * with libxml2; path data is decoded by a small parser written here from
 * the SVG path grammar and compared with the input within half a unit of
 * the last written decimal. */
#include "config.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <math.h>

#include "testutil.h"
#include "write/internal.h"
#include "write/xmlw.h"

/* ---- a path-data parser: d -> absolute commands ---- */

typedef struct pcmd {
  char cmd;        /* 'M', 'L', 'C' or 'Z' */
  double p[3][2];  /* L, M: p[0]; C: p[0], p[1], p[2] (end) */
} pcmd;

typedef struct plist {
  pcmd *c;
  int n, cap;
} plist;

static void push(plist *l, char cmd, const double *xy, int npts) {
  int i;
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 64;
    l->c = realloc(l->c, (size_t)l->cap * sizeof *l->c);
  }
  memset(&l->c[l->n], 0, sizeof l->c[0]);
  l->c[l->n].cmd = cmd;
  for (i = 0; i < npts; i++) {
    l->c[l->n].p[i][0] = xy[2 * i];
    l->c[l->n].p[i][1] = xy[2 * i + 1];
  }
  l->n++;
}

static const char *skip_wsp(const char *s, int comma) {
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || (comma && *s == ',')) {
    if (*s == ',') comma = 0;
    s++;
  }
  return s;
}

/* One number by the SVG grammar (sign? digits? ('.' digits)? exponent?);
 * returns the position after it or NULL. */
static const char *number(const char *s, double *v) {
  const char *b = s;
  int digits = 0;
  char tok[64];
  if (*s == '+' || *s == '-') s++;
  while (isdigit((unsigned char)*s)) s++, digits++;
  if (*s == '.') {
    s++;
    while (isdigit((unsigned char)*s)) s++, digits++;
  }
  if (!digits) return NULL;
  if ((*s == 'e' || *s == 'E') &&
      (isdigit((unsigned char)s[1]) ||
       ((s[1] == '-' || s[1] == '+') && isdigit((unsigned char)s[2])))) {
    s += 2;
    while (isdigit((unsigned char)*s)) s++;
  }
  if ((size_t)(s - b) >= sizeof tok) return NULL;
  memcpy(tok, b, (size_t)(s - b));
  tok[s - b] = '\0';
  *v = strtod(tok, NULL);
  return s;
}

/* Decode d into absolute commands; returns 0 on success, -1 on a grammar
 * error.  Supports m l h v c z in both cases (all the writer emits). */
static int parse_d(const char *d, plist *out) {
  const char *s = skip_wsp(d, 0);
  char cmd = 0;
  double cx = 0, cy = 0, sx = 0, sy = 0;
  int first = 1;
  memset(out, 0, sizeof *out);
  while (*s) {
    double a[6], xy[6];
    int need, i, rel;
    if (isalpha((unsigned char)*s)) {
      cmd = *s++;
      if (first && cmd != 'm' && cmd != 'M') return -1;
      if (cmd == 'z' || cmd == 'Z') {
        push(out, 'Z', NULL, 0);
        cx = sx;
        cy = sy;
        s = skip_wsp(s, 0);
        continue;
      }
      s = skip_wsp(s, 0);
    } else if (!cmd || cmd == 'z' || cmd == 'Z') {
      return -1;
    }
    rel = islower((unsigned char)cmd);
    switch (tolower((unsigned char)cmd)) {
      case 'm': case 'l': need = 2; break;
      case 'h': case 'v': need = 1; break;
      case 'c': need = 6; break;
      default: return -1;
    }
    for (i = 0; i < need; i++) {
      if (!(s = number(s, &a[i]))) return -1;
      s = skip_wsp(s, i + 1 < need);
    }
    switch (tolower((unsigned char)cmd)) {
      case 'm':
      case 'l':
        xy[0] = a[0] + (rel && !first ? cx : 0);
        xy[1] = a[1] + (rel && !first ? cy : 0);
        push(out, tolower((unsigned char)cmd) == 'm' ? 'M' : 'L', xy, 1);
        if (tolower((unsigned char)cmd) == 'm') {
          sx = xy[0];
          sy = xy[1];
          cmd = rel ? 'l' : 'L'; /* implicit lineto after a moveto */
        }
        break;
      case 'h':
        xy[0] = a[0] + (rel ? cx : 0);
        xy[1] = cy;
        push(out, 'L', xy, 1);
        break;
      case 'v':
        xy[0] = cx;
        xy[1] = a[0] + (rel ? cy : 0);
        push(out, 'L', xy, 1);
        break;
      default:
        for (i = 0; i < 6; i++) xy[i] = a[i] + (rel ? (i % 2 ? cy : cx) : 0);
        push(out, 'C', xy, 3);
        break;
    }
    first = 0;
    cx = out->c[out->n - 1].p[tolower((unsigned char)cmd) == 'c' ? 2 : 0][0];
    cy = out->c[out->n - 1].p[tolower((unsigned char)cmd) == 'c' ? 2 : 0][1];
  }
  return 0;
}

/* Compare decoded commands from position *at with path p as the writer
 * emits it at `decimals`: M, the segments (those of zero length after
 * rounding dropped), and for a closed path Z with the closing line left out.
 * Returns the largest coordinate error, or 1e9 on a structural mismatch. */
static double match_path(const plist *l, int *at, const ft_path *p, int decimals) {
  double err = 0.0, q = pow(10.0, decimals);
  double cx = round(p->start.x * q), cy = round(p->start.y * q);
  int i, k, n = p->nseg, j = *at;
#define ERR(ax, ay, bx, by) \
  err = fmax(err, fmax(fabs((ax) - (bx)), fabs((ay) - (by))))
#define SAME(pt) (round((pt).x * q) == cx && round((pt).y * q) == cy)
  if (j >= l->n || l->c[j].cmd != 'M') return 1e9;
  ERR(l->c[j].p[0][0], l->c[j].p[0][1], p->start.x, p->start.y);
  j++;
  if (p->closed && p->seg[n - 1].type == FT_SEG_LINE &&
      round(p->seg[n - 1].c[2].x * q) == round(p->start.x * q) &&
      round(p->seg[n - 1].c[2].y * q) == round(p->start.y * q))
    n--;
  for (i = 0; i < n; i++) {
    const ft_seg *s = &p->seg[i];
    if (s->type == FT_SEG_LINE ? SAME(s->c[2])
                               : SAME(s->c[0]) && SAME(s->c[1]) && SAME(s->c[2]))
      continue;
    if (j >= l->n) return 1e9;
    if (s->type == FT_SEG_LINE) {
      if (l->c[j].cmd != 'L') return 1e9;
      ERR(l->c[j].p[0][0], l->c[j].p[0][1], s->c[2].x, s->c[2].y);
    } else {
      if (l->c[j].cmd != 'C') return 1e9;
      for (k = 0; k < 3; k++) ERR(l->c[j].p[k][0], l->c[j].p[k][1], s->c[k].x, s->c[k].y);
    }
    cx = round(s->c[2].x * q);
    cy = round(s->c[2].y * q);
    j++;
  }
  if (p->closed) {
    if (j >= l->n || l->c[j].cmd != 'Z') return 1e9;
    j++;
  }
  *at = j;
  return err;
#undef ERR
#undef SAME
}

/* ---- fixtures ---- */

/* A closed polygon from n points (the closing line added). */
static int add_poly(ft_paths *ps, const double *xy, int n, int hole, int parent, int label) {
  int idx, i;
  ft_path *p;
  if (ft_paths_add(NULL, ps, xy[0], xy[1], &idx)) return -1;
  p = &ps->path[idx];
  for (i = 1; i < n; i++)
    if (ft_path_line_to(NULL, p, xy[2 * i], xy[2 * i + 1])) return -1;
  if (ft_path_line_to(NULL, p, xy[0], xy[1])) return -1;
  p->closed = 1;
  p->hole = hole;
  p->parent = parent;
  p->label = label;
  return idx;
}

/* An axis-aligned rectangle, clockwise on screen or counter-clockwise for holes. */
static int add_box(ft_paths *ps, double x0, double y0, double x1, double y1, int hole,
                   int parent, int label) {
  double cw[8] = {x0, y0, x1, y0, x1, y1, x0, y1};
  double ccw[8] = {x0, y0, x0, y1, x1, y1, x1, y0};
  return add_poly(ps, hole ? ccw : cw, 4, hole, parent, label);
}

/* Write doc with decimals to memory; returns the text (caller frees) or NULL. */
static char *render(ft_ctx *ctx, const ft_doc *doc, int decimals, int pretty, ft_status *st) {
  ft_sink *sink = NULL;
  ft_svg_params p;
  char *copy = NULL;
  size_t len;
  const char *data;
  ft_svg_params_init(&p);
  p.decimals = decimals;
  p.pretty = pretty;
  if (ft_sink_open_memory(ctx, &sink)) return NULL;
  *st = ft_write_svg(ctx, doc, &p, sink);
  data = ft_sink_memory_data(sink, &len);
  if (data && (copy = malloc(len + 1))) memcpy(copy, data, len + 1);
  if (ft_sink_close(ctx, sink, 1)) {
    free(copy);
    return NULL;
  }
  return copy;
}

typedef struct xml {
  xmlDocPtr doc;
  xmlXPathContextPtr xp;
} xml;

static int xml_open(xml *x, const char *text) {
  x->doc = xmlReadMemory(text, (int)strlen(text), "t.svg", NULL, XML_PARSE_NONET);
  if (!x->doc) return -1;
  x->xp = xmlXPathNewContext(x->doc);
  xmlXPathRegisterNs(x->xp, (const xmlChar *)"s", (const xmlChar *)"http://www.w3.org/2000/svg");
  xmlXPathRegisterNs(x->xp, (const xmlChar *)"inkscape",
                     (const xmlChar *)"http://www.inkscape.org/namespaces/inkscape");
  xmlXPathRegisterNs(x->xp, (const xmlChar *)"dc",
                     (const xmlChar *)"http://purl.org/dc/elements/1.1/");
  xmlXPathRegisterNs(x->xp, (const xmlChar *)"figtrace", (const xmlChar *)"urn:figtrace:metadata");
  return 0;
}

static void xml_close(xml *x) {
  xmlXPathFreeContext(x->xp);
  xmlFreeDoc(x->doc);
}

/* Number of nodes an XPath expression selects. */
static int count(xml *x, const char *expr) {
  xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, x->xp);
  int n = o && o->nodesetval ? o->nodesetval->nodeNr : -1;
  xmlXPathFreeObject(o);
  return n;
}

/* The string value of an XPath expression; valid until the next call. */
static const char *str(xml *x, const char *expr) {
  static char *last;
  xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, x->xp);
  xmlChar *s = o ? xmlXPathCastToString(o) : NULL;
  xmlFree(last);
  last = s ? (char *)s : (char *)xmlStrdup((const xmlChar *)"<none>");
  xmlXPathFreeObject(o);
  return last;
}

/* ---- tests ---- */

static void test_params(void) {
  ft_svg_params p;
  ft_ctx *ctx = ft_ctx_new();
  ft_doc *doc = NULL;
  ft_sink *sink = NULL;
  ft_svg_params_init(&p);
  CU_ASSERT_EQUAL(p.decimals, 2);
  CU_ASSERT_EQUAL(p.pretty, 1);
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(ctx, 10, 10, &doc), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_memory(ctx, &sink), FT_OK);
  p.decimals = 7;
  CU_ASSERT_EQUAL(ft_write_svg(ctx, doc, &p, sink), FT_ERR_INVAL);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "svg: decimals=7 out of range 0..6");
  p.decimals = -1;
  CU_ASSERT_EQUAL(ft_write_svg(ctx, doc, &p, sink), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_write_svg(ctx, NULL, NULL, sink), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_write_svg(ctx, doc, NULL, NULL), FT_ERR_INVAL);
  doc->width = NAN;
  CU_ASSERT_EQUAL(ft_write_svg(ctx, doc, NULL, sink), FT_ERR_INVAL);
  /* nothing was written by the refused calls */
  {
    size_t len = 99;
    ft_sink_memory_data(sink, &len);
    CU_ASSERT_EQUAL(len, 0);
  }
  CU_ASSERT_EQUAL(ft_sink_close(ctx, sink, 1), FT_OK);
  ft_doc_free(doc);
  ft_ctx_free(ctx);
}

static void test_number_format(void) {
  char s[64];
  int dot;
  CU_ASSERT_EQUAL(ft__fmt_fixed(s, 50, 2, &dot), 2);
  CU_ASSERT_STRING_EQUAL(s, ".5");
  CU_ASSERT_EQUAL(dot, 1);
  ft__fmt_fixed(s, -50, 2, &dot);
  CU_ASSERT_STRING_EQUAL(s, "-.5");
  ft__fmt_fixed(s, 100, 2, &dot);
  CU_ASSERT_STRING_EQUAL(s, "1");
  CU_ASSERT_EQUAL(dot, 0);
  ft__fmt_fixed(s, 12345, 2, &dot);
  CU_ASSERT_STRING_EQUAL(s, "123.45");
  ft__fmt_fixed(s, -1, 2, &dot);
  CU_ASSERT_STRING_EQUAL(s, "-.01");
  ft__fmt_fixed(s, 0, 3, &dot);
  CU_ASSERT_STRING_EQUAL(s, "0");
  ft__fmt_fixed(s, 1203000, 6, &dot);
  CU_ASSERT_STRING_EQUAL(s, "1.203");
  ft__fmt_fixed(s, -7, 0, &dot);
  CU_ASSERT_STRING_EQUAL(s, "-7");
  ft__fmt_fixed(s, INT64_MIN, 0, &dot);
  CU_ASSERT_STRING_EQUAL(s, "-9223372036854775808");
  ft__fmt_fixed(s, INT64_MAX, 6, &dot);
  CU_ASSERT_STRING_EQUAL(s, "9223372036854.775807");
  /* against printf's "%.*f" of the exact value, trailing zeros and a
   * leading "0" removed, over values of 1 to 19 digits and 0 to 6 decimals */
  {
    int d, k, sign;
    for (d = 0; d <= 6; d++)
      for (k = 0; k < 400; k++)
        for (sign = -1; sign <= 1; sign += 2) {
          int64_t scale = 1, v, m = (int64_t)(k % 19);
          char want[64], *w = want, *e;
          int i, n;
          for (i = 0; i < d; i++) scale *= 10;
          v = (int64_t)(k * 7919u % 1000003u);
          for (i = 0; i < m && v < INT64_MAX / 10; i++) v *= 10;
          v += k % 3 ? (int64_t)(k % 13) : 0;
          v *= sign;
          n = snprintf(want, sizeof want, "%s%lld", v < 0 ? "-" : "",
                       (long long)(v < 0 ? -(v / scale) : v / scale));
          if (v % scale) {
            snprintf(want + n, sizeof want - (size_t)n, ".%0*lld", d,
                     (long long)(v < 0 ? -(v % scale) : v % scale));
            e = want + strlen(want);
            while (e[-1] == '0') *--e = '\0';
            if (strncmp(want, "0.", 2) == 0) w = want + 1;
            else if (strncmp(want, "-0.", 3) == 0) memmove(want + 1, want + 2, strlen(want + 1));
          }
          n = ft__fmt_fixed(s, v, d, &dot);
          CU_ASSERT_STRING_EQUAL(s, w);
          CU_ASSERT_EQUAL(n, (int)strlen(w));
          CU_ASSERT_EQUAL(dot, strchr(w, '.') != NULL);
        }
  }
  ft__fmt_attr(s, sizeof s, 0.5, 3);
  CU_ASSERT_STRING_EQUAL(s, "0.5");
  ft__fmt_attr(s, sizeof s, -0.25, 3);
  CU_ASSERT_STRING_EQUAL(s, "-0.25");
  ft__fmt_attr(s, sizeof s, 25.4, 3);
  CU_ASSERT_STRING_EQUAL(s, "25.4");
  ft__fmt_attr(s, sizeof s, 1.0 / 3.0, 3);
  CU_ASSERT_STRING_EQUAL(s, "0.333");
}

/* Path data of one path as a string (static buffer). */
static const char *pd_of(const ft_path *p, int decimals) {
  static char out[4096];
  ft__pd pd;
  ft__buf b = {NULL, 0, 0};
  ft__pd_init(&pd, decimals);
  if (ft__pathdata(&pd, &b, p) != FT_OK) return "<error>";
  snprintf(out, sizeof out, "%s", b.data ? b.data : "");
  ft__buf_free(&b);
  return out;
}

static void test_pathdata_compact(void) {
  ft_paths *ps = NULL;
  ft_path *p;
  int i;
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(NULL, 100, 100, &ps), FT_OK);
  /* a square: h/v, closing line left to z */
  i = add_box(ps, 0, 0, 10, 10, 0, -1, 1);
  CU_ASSERT_STRING_EQUAL(pd_of(&ps->path[i], 2), "m0 0h10v10H0z"); /* H0 beats h-10 */
  /* its hole, counter-clockwise, from a fractional start; absolute V where
   * shorter, relative h on a tie */
  i = add_box(ps, 1.5, .5, 3.25, 4, 1, 0, 1);
  CU_ASSERT_STRING_EQUAL(pd_of(&ps->path[i], 2), "m1.5.5V4h1.75V.5z");
  /* diagonals: implicit lineto after m, repeated l omitted, '-' as separator */
  {
    double xy[6] = {1, 2, 4, 0, 6, 3};
    i = add_poly(ps, xy, 3, 0, -1, 2);
    CU_ASSERT_STRING_EQUAL(pd_of(&ps->path[i], 2), "m1 2 3-2 2 3z");
  }
  /* an open stroke with a cubic: no z, relative controls, rounding to 1 decimal */
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(NULL, ps, 10, 10, &i), FT_OK);
  p = &ps->path[i];
  CU_ASSERT_EQUAL(ft_path_cubic_to(NULL, p, 11, 10, 12.04, 11.96, 12, 13), FT_OK);
  CU_ASSERT_EQUAL(ft_path_cubic_to(NULL, p, 12, 14, 13, 15, 14, 15), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 14, 15.001), FT_OK); /* zero-length after rounding */
  CU_ASSERT_STRING_EQUAL(pd_of(p, 1), "m10 10c1 0 2 2 2 3 0 1 1 2 2 2");
  /* decimals 0 */
  CU_ASSERT_STRING_EQUAL(pd_of(p, 0), "m10 10c1 0 2 2 2 3 0 1 1 2 2 2");
  /* a path without segments writes nothing */
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(NULL, ps, 3, 3, &i), FT_OK);
  CU_ASSERT_STRING_EQUAL(pd_of(&ps->path[i], 2), "");
  /* a non-finite coordinate is refused */
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, &ps->path[i], INFINITY, 3), FT_OK);
  CU_ASSERT_STRING_EQUAL(pd_of(&ps->path[i], 2), "<error>");
  ft_paths_free(ps);
}

/* After "z" the next subpath's m is relative to the previous subpath's start. */
static void test_pathdata_subpaths(void) {
  ft_paths *ps = NULL;
  ft__pd pd;
  ft__buf b = {NULL, 0, 0};
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(NULL, 100, 100, &ps), FT_OK);
  add_box(ps, 10, 10, 20, 20, 0, -1, 1);
  add_box(ps, 12, 12, 14, 14, 1, 0, 1);
  ft__pd_init(&pd, 2);
  CU_ASSERT_EQUAL(ft__pathdata(&pd, &b, &ps->path[0]), FT_OK);
  CU_ASSERT_EQUAL(ft__pathdata(&pd, &b, &ps->path[1]), FT_OK);
  CU_ASSERT_STRING_EQUAL(b.data, "m10 10h10v10H10zm2 2v2h2v-2z");
  ft__buf_free(&b);
  ft_paths_free(ps);
}

/* Root element, layer group and presentation attributes. */
static void test_document_structure(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_doc *doc = NULL;
  ft_paths *ps = NULL;
  ft_status st;
  char *svg;
  xml x;
  int k;
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(ctx, 96, 48, &doc), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(ctx, 96, 48, &ps), FT_OK);
  add_box(ps, 0, 0, 10, 10, 0, -1, 1);
  CU_ASSERT_EQUAL_FATAL(ft_doc_add_layer(ctx, doc, "ink", "Ink", ps, &k), FT_OK);
  doc->layer[k].fill = (ft_rgba){1.0f, 0.5f, 0.0f, 0.5f};
  doc->layer[k].fill_rule = FT_FILL_EVENODD;
  CU_ASSERT_EQUAL_FATAL(ft_doc_add_layer(ctx, doc, "empty", NULL, NULL, NULL), FT_OK);
  svg = render(ctx, doc, 2, 1, &st);
  CU_ASSERT_EQUAL_FATAL(st, FT_OK);
  CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
  CU_ASSERT(strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 38) == 0);
  CU_ASSERT_PTR_NULL(strstr(svg, "style=")); /* presentation attributes, not CSS */
  CU_ASSERT_EQUAL_FATAL(xml_open(&x, svg), 0);
  CU_ASSERT_EQUAL(count(&x, "/s:svg"), 1);
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/@version"), "1.1");
  /* 96 user units per inch when the document has no physical size */
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/@width"), "25.4mm");
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/@height"), "12.7mm");
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/@viewBox"), "0 0 96 48");
  CU_ASSERT_EQUAL(count(&x, "/s:svg/s:g[@inkscape:groupmode='layer']"), 2);
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/s:g[1]/@id"), "ink");
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/s:g[1]/@inkscape:label"), "Ink");
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/s:g[1]/@fill"), "#ff8000");
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/s:g[1]/@fill-opacity"), "0.5");
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/s:g[1]/@fill-rule"), "evenodd");
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/s:g[1]/@stroke"), "none");
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/s:g[1]/s:path/@d"), "m0 0h10v10H0z");
  /* the label falls back to the id; an empty layer stays as an empty group */
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/s:g[2]/@inkscape:label"), "empty");
  CU_ASSERT_EQUAL(count(&x, "/s:svg/s:g[2]/*"), 0);
  CU_ASSERT_EQUAL(count(&x, "//s:metadata"), 0);
  CU_ASSERT_EQUAL(count(&x, "//s:title"), 0);
  xml_close(&x);
  free(svg);
  /* explicit physical size; compact output without indentation */
  doc->width_mm = 89;
  doc->height_mm = 44.5;
  svg = render(ctx, doc, 2, 0, &st);
  CU_ASSERT_EQUAL_FATAL(st, FT_OK);
  CU_ASSERT_PTR_NULL(strstr(svg, "\n  <"));
  CU_ASSERT_EQUAL_FATAL(xml_open(&x, svg), 0);
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/@width"), "89mm");
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/@height"), "44.5mm");
  xml_close(&x);
  free(svg);
  ft_doc_free(doc);
  ft_ctx_free(ctx);
}

/* A region with two holes, an island in one hole and a second region:
 * the holes are subpaths of their outline's <path>, the island and the
 * other region are <path>s of their own. */
static void test_regions_and_holes(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_doc *doc = NULL;
  ft_paths *ps = NULL;
  ft_status st;
  char *svg;
  xml x;
  plist l;
  int at;
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(ctx, 100, 100, &doc), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(ctx, 100, 100, &ps), FT_OK);
  add_box(ps, 10, 10, 60, 60, 0, -1, 1);    /* 0 outline */
  add_box(ps, 20, 20, 40, 40, 1, 0, 1);     /* 1 hole of 0 */
  add_box(ps, 70, 10, 90, 30, 0, -1, 2);    /* 2 another region */
  add_box(ps, 45.25, 45, 55, 55.125, 1, 0, 1); /* 3 second hole of 0 */
  add_box(ps, 25, 25, 35, 35, 0, 1, 3);     /* 4 island in hole 1 */
  CU_ASSERT_EQUAL_FATAL(ft_doc_add_layer(ctx, doc, "ink", "Ink", ps, NULL), FT_OK);
  svg = render(ctx, doc, 3, 1, &st);
  CU_ASSERT_EQUAL_FATAL(st, FT_OK);
  CU_ASSERT_EQUAL_FATAL(xml_open(&x, svg), 0);
  CU_ASSERT_EQUAL(count(&x, "//s:path"), 3);
  CU_ASSERT_EQUAL(count(&x, "//s:path[@id]"), 0);
  /* first <path>: outline 0 with holes 1 and 3, in that order */
  CU_ASSERT_EQUAL_FATAL(parse_d(str(&x, "(//s:path)[1]/@d"), &l), 0);
  at = 0;
  CU_ASSERT(match_path(&l, &at, &ps->path[0], 3) <= 0.0005);
  CU_ASSERT(match_path(&l, &at, &ps->path[1], 3) <= 0.0005);
  CU_ASSERT(match_path(&l, &at, &ps->path[3], 3) <= 0.0005);
  CU_ASSERT_EQUAL(at, l.n);
  free(l.c);
  /* then the other region, then the island */
  CU_ASSERT_EQUAL_FATAL(parse_d(str(&x, "(//s:path)[2]/@d"), &l), 0);
  at = 0;
  CU_ASSERT(match_path(&l, &at, &ps->path[2], 3) <= 0.0005);
  CU_ASSERT_EQUAL(at, l.n);
  free(l.c);
  CU_ASSERT_EQUAL_FATAL(parse_d(str(&x, "(//s:path)[3]/@d"), &l), 0);
  at = 0;
  CU_ASSERT(match_path(&l, &at, &ps->path[4], 3) <= 0.0005);
  CU_ASSERT_EQUAL(at, l.n);
  free(l.c);
  xml_close(&x);
  free(svg);
  ft_doc_free(doc);
  ft_ctx_free(ctx);
}

/* With an item prefix each label is one element, whatever its outline count. */
static void test_item_ids(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_doc *doc = NULL;
  ft_paths *ps = NULL;
  ft_status st;
  char *svg;
  xml x;
  plist l;
  int at, k;
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(ctx, 100, 100, &doc), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(ctx, 100, 100, &ps), FT_OK);
  add_box(ps, 0, 0, 10, 10, 0, -1, 7);   /* 0 label 7 */
  add_box(ps, 20, 0, 30, 10, 0, -1, 5);  /* 1 label 5 */
  add_box(ps, 40, 0, 60, 20, 0, -1, 7);  /* 2 label 7 again */
  add_box(ps, 45, 5, 50, 10, 1, 2, 7);   /* 3 hole of 2 */
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(ctx, ps, 70, 70, &k), FT_OK); /* 4, 5 strokes of label 7 */
  CU_ASSERT_EQUAL(ft_path_line_to(ctx, &ps->path[k], 80, 75), FT_OK);
  ps->path[k].label = 7;
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(ctx, ps, 70, 90, &k), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(ctx, &ps->path[k], 80, 95), FT_OK);
  ps->path[k].label = 7;
  CU_ASSERT_EQUAL_FATAL(ft_doc_add_layer(ctx, doc, "nuclei", "Nuclei", ps, &k), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_doc_set_string(ctx, &doc->layer[k].item_prefix, "nucleus"), FT_OK);
  svg = render(ctx, doc, 2, 1, &st);
  CU_ASSERT_EQUAL_FATAL(st, FT_OK);
  CU_ASSERT_EQUAL_FATAL(xml_open(&x, svg), 0);
  CU_ASSERT_EQUAL(count(&x, "//s:path"), 4);
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:path)[1]/@id"), "nucleus-7");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:path)[2]/@id"), "nucleus-5");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:path)[3]/@id"), "nucleus-7-1");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:path)[4]/@id"), "nucleus-7-2");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:path)[4]/@d"), "m70 90 10 5");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:path)[4]/@fill"), "none");
  /* the layer has no stroke colour, so strokes are drawn in its fill */
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:path)[4]/@stroke"), "#000000");
  CU_ASSERT_EQUAL_FATAL(parse_d(str(&x, "//s:path[@id='nucleus-7']/@d"), &l), 0);
  at = 0;
  CU_ASSERT(match_path(&l, &at, &ps->path[0], 2) <= 0.005);
  CU_ASSERT(match_path(&l, &at, &ps->path[2], 2) <= 0.005);
  CU_ASSERT(match_path(&l, &at, &ps->path[3], 2) <= 0.005);
  CU_ASSERT_EQUAL(at, l.n);
  free(l.c);
  xml_close(&x);
  free(svg);
  ft_doc_free(doc);
  ft_ctx_free(ctx);
}

/* Open strokes: one <path fill="none"> each, with the path's own width. */
static void test_strokes(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_doc *doc = NULL;
  ft_paths *ps = NULL;
  ft_status st;
  char *svg;
  xml x;
  plist l;
  int at, i, k;
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(ctx, 50, 50, &doc), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(ctx, 50, 50, &ps), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(ctx, ps, 1, 1, &i), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(ctx, &ps->path[i], 20, 1), FT_OK);
  CU_ASSERT_EQUAL(ft_path_cubic_to(ctx, &ps->path[i], 25, 1, 30, 6, 30.333, 11.667), FT_OK);
  ps->path[i].stroke_width = 2.5;
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(ctx, ps, 5, 40, &i), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(ctx, &ps->path[i], 5, 45), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_doc_add_layer(ctx, doc, "strokes", "Strokes", ps, &k), FT_OK);
  doc->layer[k].fill = (ft_rgba){0, 0, 0, 0};
  doc->layer[k].stroke = (ft_rgba){0, 0, 1, 1};
  doc->layer[k].stroke_width = 1.0;
  svg = render(ctx, doc, 2, 1, &st);
  CU_ASSERT_EQUAL_FATAL(st, FT_OK);
  CU_ASSERT_EQUAL_FATAL(xml_open(&x, svg), 0);
  CU_ASSERT_STRING_EQUAL(str(&x, "//s:g/@stroke"), "#0000ff");
  CU_ASSERT_STRING_EQUAL(str(&x, "//s:g/@stroke-width"), "1");
  CU_ASSERT_STRING_EQUAL(str(&x, "//s:g/@stroke-linecap"), "round");
  CU_ASSERT_STRING_EQUAL(str(&x, "//s:g/@stroke-linejoin"), "round");
  CU_ASSERT_STRING_EQUAL(str(&x, "//s:g/@fill"), "none");
  CU_ASSERT_EQUAL(count(&x, "//s:path"), 2);
  CU_ASSERT_EQUAL(count(&x, "//s:path[@fill='none']"), 2);
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:path)[1]/@stroke-width"), "2.5");
  CU_ASSERT_EQUAL(count(&x, "(//s:path)[2]/@stroke-width"), 0); /* inherits the layer's */
  CU_ASSERT_EQUAL(count(&x, "//s:path[contains(@d,'z')]"), 0);
  CU_ASSERT_EQUAL_FATAL(parse_d(str(&x, "(//s:path)[1]/@d"), &l), 0);
  at = 0;
  CU_ASSERT(match_path(&l, &at, &ps->path[0], 2) <= 0.005);
  CU_ASSERT_EQUAL(at, l.n);
  free(l.c);
  xml_close(&x);
  free(svg);
  ft_doc_free(doc);
  ft_ctx_free(ctx);
}

/* Title, desc, text and ids with markup characters come back intact;
 * bytes that are not valid UTF-8 or XML become U+FFFD. */
static void test_escaping(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_doc *doc = NULL;
  ft_status st;
  char *svg;
  xml x;
  ft_rgba red = {1, 0, 0, 1};
  const char *nasty = "a<b & \"c\" 'd'> ]]> &amp;";
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(ctx, 10, 10, &doc), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_set_string(ctx, &doc->title, nasty), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_set_string(ctx, &doc->desc, "line1\nline2 \xc2\xb5m"), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_add_text(ctx, doc, 5, 9, 2, "\"Font\" <x>", nasty, FT_ANCHOR_MIDDLE,
                                  red, NULL), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_add_text(ctx, doc, 1, 1, 1, NULL, "bad\x01\xff\xc3(", 0, red, "t2"),
                  FT_OK);
  svg = render(ctx, doc, 2, 1, &st);
  CU_ASSERT_EQUAL_FATAL(st, FT_OK);
  CU_ASSERT_EQUAL_FATAL(xml_open(&x, svg), 0);
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/s:title"), nasty);
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/s:desc"), "line1\nline2 \xc2\xb5m");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:text)[1]"), nasty);
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:text)[1]/@font-family"), "\"Font\" <x>");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:text)[1]/@text-anchor"), "middle");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:text)[1]/@x"), "5");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:text)[1]/@font-size"), "2");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:text)[1]/@fill"), "#ff0000");
  CU_ASSERT_STRING_EQUAL(str(&x, "//s:text[@id='t2']"),
                         "bad\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd(");
  CU_ASSERT_STRING_EQUAL(str(&x, "//s:text[@id='t2']/@text-anchor"), "start");
  CU_ASSERT_EQUAL(count(&x, "//s:text[@id='t2']/@font-family"), 0);
  xml_close(&x);
  free(svg);
  ft_doc_free(doc);
  ft_ctx_free(ctx);
}

/* A memory sink that keeps what it was given, for the writer's own tests;
 * refuses every write after `budget` bytes when limited. */
typedef struct collect {
  char buf[4096];
  size_t len, budget;
  int limited, writes;
} collect;

static int collect_write(void *user, const void *data, size_t n) {
  collect *c = user;
  c->writes++;
  if ((c->limited && c->len + n > c->budget) || c->len + n >= sizeof c->buf) return -1;
  memcpy(c->buf + c->len, data, n);
  c->len += n;
  c->buf[c->len] = '\0';
  return 0;
}

/* The XML writer itself: its exact layout with and without indentation
 * (one element per line, two spaces a level, text elements on one line,
 * empty elements closed with "/>"), escapes in attributes and text that a
 * parser reads back as the same strings, refusals of misuse, and a sink
 * that fails. */
static void test_xml_writer(void) {
  static const char attr_value[] = "tab\there\nnew line\r& <\"q\"> 'a' \xc2\xb5m";
  static const char text_value[] = "x < y & \"z\" > ]]>\nline\t\r\xc2\xb5";
  collect c;
  ft_sink sink = {collect_write, &c};
  ft__xw xw;
  xmlDocPtr doc;
  xmlNodePtr root, kid;
  xmlChar *v;
  int pretty;
  for (pretty = 1; pretty >= 0; pretty--) {
    memset(&c, 0, sizeof c);
    CU_ASSERT_EQUAL(ft__xw_begin(&xw, &sink, pretty), 0);
    CU_ASSERT_EQUAL(ft__xw_start(&xw, "svg"), 0);
    CU_ASSERT_EQUAL(ft__xw_attr(&xw, "a", "1"), 0);
    CU_ASSERT_EQUAL(ft__xw_start(&xw, "title"), 0);
    CU_ASSERT_EQUAL(ft__xw_text(&xw, "T"), 0);
    CU_ASSERT_EQUAL(ft__xw_end(&xw), 0);
    CU_ASSERT_EQUAL(ft__xw_start(&xw, "g"), 0);
    CU_ASSERT_EQUAL(ft__xw_start(&xw, "path"), 0);
    CU_ASSERT_EQUAL(ft__xw_attr(&xw, "d", "m0 0h1"), 0);
    CU_ASSERT_EQUAL(ft__xw_end(&xw), 0);
    CU_ASSERT_EQUAL(ft__xw_end(&xw), 0);
    CU_ASSERT_EQUAL(ft__xw_start(&xw, "g"), 0);
    CU_ASSERT_EQUAL(ft__xw_end(&xw), 0);
    CU_ASSERT_EQUAL(c.writes, 0); /* all still buffered */
    CU_ASSERT_EQUAL(ft__xw_finish(&xw), 0); /* closes <svg> */
    ft__xw_free(&xw);
    CU_ASSERT_EQUAL(c.writes, 1);
    if (pretty) {
      CU_ASSERT_STRING_EQUAL(c.buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                    "<svg a=\"1\">\n"
                                    "  <title>T</title>\n"
                                    "  <g>\n"
                                    "    <path d=\"m0 0h1\"/>\n"
                                    "  </g>\n"
                                    "  <g/>\n"
                                    "</svg>\n");
    } else {
      CU_ASSERT_STRING_EQUAL(c.buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                    "<svg a=\"1\"><title>T</title><g><path d=\"m0 0h1\"/></g><g/>"
                                    "</svg>\n");
    }
  }

  /* escapes: the parser gives back exactly what was written */
  memset(&c, 0, sizeof c);
  CU_ASSERT_EQUAL(ft__xw_begin(&xw, &sink, 1), 0);
  CU_ASSERT_EQUAL(ft__xw_start(&xw, "r"), 0);
  CU_ASSERT_EQUAL(ft__xw_attr(&xw, "v", attr_value), 0);
  CU_ASSERT_EQUAL(ft__xw_start(&xw, "t"), 0);
  CU_ASSERT_EQUAL(ft__xw_text(&xw, text_value), 0);
  CU_ASSERT_EQUAL(ft__xw_text(&xw, "+more"), 0);
  CU_ASSERT_EQUAL(ft__xw_finish(&xw), 0);
  ft__xw_free(&xw);
  CU_ASSERT_PTR_NULL(strstr(c.buf, "]]>"));
  doc = xmlReadMemory(c.buf, (int)c.len, "w.xml", NULL, XML_PARSE_NONET);
  CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
  root = xmlDocGetRootElement(doc);
  v = xmlGetProp(root, (const xmlChar *)"v");
  CU_ASSERT_STRING_EQUAL((const char *)v, attr_value);
  xmlFree(v);
  for (kid = root->children; kid && kid->type != XML_ELEMENT_NODE; kid = kid->next) continue;
  CU_ASSERT_PTR_NOT_NULL_FATAL(kid);
  v = xmlNodeGetContent(kid);
  CU_ASSERT_STRING_EQUAL((const char *)v, "x < y & \"z\" > ]]>\nline\t\r\xc2\xb5+more");
  xmlFree(v);
  xmlFreeDoc(doc);

  /* misuse is refused, and every later call fails */
  memset(&c, 0, sizeof c);
  CU_ASSERT_EQUAL(ft__xw_begin(&xw, &sink, 0), 0);
  CU_ASSERT_EQUAL(ft__xw_text(&xw, "outside"), -1);
  CU_ASSERT_EQUAL(xw.failed, FT__XW_MISUSE);
  CU_ASSERT_EQUAL(ft__xw_start(&xw, "a"), -1);
  CU_ASSERT_EQUAL(ft__xw_finish(&xw), -1);
  ft__xw_free(&xw);
  CU_ASSERT_EQUAL(c.writes, 0);
  memset(&c, 0, sizeof c);
  CU_ASSERT_EQUAL(ft__xw_begin(&xw, &sink, 0), 0);
  CU_ASSERT_EQUAL(ft__xw_start(&xw, "a"), 0);
  CU_ASSERT_EQUAL(ft__xw_text(&xw, "t"), 0);
  CU_ASSERT_EQUAL(ft__xw_attr(&xw, "late", "1"), -1); /* an attribute after content */
  ft__xw_free(&xw);
  memset(&c, 0, sizeof c);
  CU_ASSERT_EQUAL(ft__xw_begin(&xw, &sink, 0), 0);
  for (pretty = 0; pretty < FT__XW_MAX_DEPTH; pretty++) CU_ASSERT_EQUAL(ft__xw_start(&xw, "d"), 0);
  CU_ASSERT_EQUAL(ft__xw_start(&xw, "d"), -1);
  CU_ASSERT_EQUAL(xw.failed, FT__XW_MISUSE);
  ft__xw_free(&xw);

  /* a sink that refuses: the failure is the sink's */
  memset(&c, 0, sizeof c);
  c.limited = 1;
  c.budget = 10;
  CU_ASSERT_EQUAL(ft__xw_begin(&xw, &sink, 1), 0);
  CU_ASSERT_EQUAL(ft__xw_start(&xw, "a"), 0);
  CU_ASSERT_EQUAL(ft__xw_finish(&xw), -1);
  CU_ASSERT_EQUAL(xw.failed, FT__XW_SINK);
  CU_ASSERT_EQUAL(ft__xw_end(&xw), -1);
  ft__xw_free(&xw);
}

/* Rects (scale bars) and metadata. */
static void test_rects_and_metadata(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_doc *doc = NULL;
  ft_status st;
  char *svg;
  xml x;
  ft_rgba white = {1, 1, 1, 1};
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(ctx, 512, 512, &doc), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_add_rect(ctx, doc, 400.5, 480, 76.923, 4, white, "scalebar"), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_add_rect(ctx, doc, 1, 10, 2, -4, (ft_rgba){0, 0, 0, 0.25f}, NULL), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_set_string(ctx, &doc->source, "cells & nuclei.tif"), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_set_string(ctx, &doc->preset, "nature"), FT_OK);
  doc->pixel_w = doc->pixel_h = 0.65;
  doc->incomplete = 1;
  svg = render(ctx, doc, 2, 1, &st);
  CU_ASSERT_EQUAL_FATAL(st, FT_OK);
  CU_ASSERT_EQUAL_FATAL(xml_open(&x, svg), 0);
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:rect)[1]/@id"), "scalebar");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:rect)[1]/@x"), "400.5");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:rect)[1]/@width"), "76.923");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:rect)[1]/@fill"), "#ffffff");
  /* a rect given with a negative height covers the same area */
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:rect)[2]/@y"), "6");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:rect)[2]/@height"), "4");
  CU_ASSERT_STRING_EQUAL(str(&x, "(//s:rect)[2]/@fill-opacity"), "0.25");
  CU_ASSERT_EQUAL(count(&x, "/s:svg/s:metadata"), 1);
  CU_ASSERT_STRING_EQUAL(str(&x, "//dc:source"), "cells & nuclei.tif");
  CU_ASSERT_STRING_EQUAL(str(&x, "//figtrace:preset"), "nature");
  CU_ASSERT_STRING_EQUAL(str(&x, "//figtrace:pixelSize"), "0.65 0.65");
  CU_ASSERT_STRING_EQUAL(str(&x, "//figtrace:pixelSize/@unit"), "um");
  CU_ASSERT_STRING_EQUAL(str(&x, "//figtrace:incomplete"), "true");
  xml_close(&x);
  free(svg);
  ft_doc_free(doc);
  ft_ctx_free(ctx);
}

/* An empty document is a valid SVG with only the root element. */
static void test_empty_doc(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_doc *doc = NULL;
  ft_status st;
  char *svg;
  xml x;
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(ctx, 3, 2, &doc), FT_OK);
  svg = render(ctx, doc, 2, 1, &st);
  CU_ASSERT_EQUAL_FATAL(st, FT_OK);
  CU_ASSERT_EQUAL_FATAL(xml_open(&x, svg), 0);
  CU_ASSERT_EQUAL(count(&x, "/s:svg"), 1);
  CU_ASSERT_EQUAL(count(&x, "/s:svg/*"), 0);
  CU_ASSERT_STRING_EQUAL(str(&x, "/s:svg/@viewBox"), "0 0 3 2");
  xml_close(&x);
  free(svg);
  ft_doc_free(doc);
  ft_ctx_free(ctx);
}

/* Relative coordinates come from the previously rounded point, so along a
 * 10 000-segment path every decoded point stays within half a unit of the
 * last decimal of the input: no drift. */
static void test_no_accumulated_rounding(void) {
  static const int decs[] = {0, 1, 2, 3, 6};
  ft_ctx *ctx = ft_ctx_new();
  ft_doc *doc = NULL;
  ft_paths *ps = NULL;
  ft_path *p;
  int i, k, d;
  uint32_t seed = 12345;
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(ctx, 4000, 4000, &doc), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(ctx, 4000, 4000, &ps), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_paths_add(ctx, ps, 100.0 / 3.0, 7.0 / 9.0, &i), FT_OK);
  p = &ps->path[i];
  /* a walk of steps that all round the same way (+0.3333 px, +0.1667 px
   * plus noise): naive rounding of each delta would drift by ~1000 px */
  {
    double x = p->start.x, y = p->start.y;
    for (k = 0; k < 10000; k++) {
      seed = seed * 1664525u + 1013904223u;
      x += 1.0 / 3.0 + (seed >> 8) / 16777216.0 * 1e-3;
      y += (k % 2 ? 1.0 / 6.0 : 0.2) + ((k / 100) % 2 ? -0.1 : 0.1);
      if (k % 7 == 3) {
        CU_ASSERT_EQUAL_FATAL(ft_path_cubic_to(ctx, p, x - 0.123456, y + 0.654321, x - 0.0711,
                                               y - 0.0077, x + 0.01, y), FT_OK);
      } else {
        CU_ASSERT_EQUAL_FATAL(ft_path_line_to(ctx, p, x, y), FT_OK);
      }
    }
  }
  CU_ASSERT_EQUAL_FATAL(ft_doc_add_layer(ctx, doc, "walk", NULL, ps, NULL), FT_OK);
  for (d = 0; d < (int)(sizeof decs / sizeof decs[0]); d++) {
    ft_status st;
    char *svg = render(ctx, doc, decs[d], 0, &st);
    xml x;
    plist l;
    int at = 0;
    double err, tol = 0.5 * pow(10.0, -decs[d]) + 1e-9;
    CU_ASSERT_EQUAL_FATAL(st, FT_OK);
    CU_ASSERT_EQUAL_FATAL(xml_open(&x, svg), 0);
    CU_ASSERT_EQUAL_FATAL(parse_d(str(&x, "//s:path/@d"), &l), 0);
    if (decs[d] >= 2) CU_ASSERT_EQUAL(l.n, 10001); /* no segment rounds to nothing */
    err = match_path(&l, &at, &doc->layer[0].paths->path[0], decs[d]);
    CU_ASSERT(err <= tol);
    if (err > tol) fprintf(stderr, "decimals %d: max error %g > %g\n", decs[d], err, tol);
    CU_ASSERT_EQUAL(at, l.n);
    free(l.c);
    xml_close(&x);
    free(svg);
  }
  ft_doc_free(doc);
  ft_ctx_free(ctx);
}

/* A sink whose callback fails after `budget` bytes. */
typedef struct failing {
  size_t budget, got;
  int calls_after_failure;
  int failed;
} failing;

static int failing_write(void *user, const void *buf, size_t len) {
  failing *f = user;
  (void)buf;
  if (f->failed) f->calls_after_failure++;
  if (f->got + len > f->budget) {
    f->failed = 1;
    return -1;
  }
  f->got += len;
  return 0;
}

static void test_sink_failure(void) {
  size_t budgets[4];
  ft_ctx *ctx = ft_ctx_new();
  ft_doc *doc = NULL;
  ft_paths *ps = NULL;
  ft_status st;
  char *svg;
  int b, k;
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(ctx, 1000, 1000, &doc), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(ctx, 1000, 1000, &ps), FT_OK);
  for (k = 0; k < 500; k++) add_box(ps, k, k, k + 1.5, k + 2.25, 0, -1, k + 1);
  CU_ASSERT_EQUAL_FATAL(ft_doc_add_layer(ctx, doc, "ink", "Ink", ps, NULL), FT_OK);
  /* fail at the first byte, early, half way and at the very last byte */
  svg = render(ctx, doc, 2, 1, &st);
  CU_ASSERT_EQUAL_FATAL(st, FT_OK);
  budgets[0] = 0;
  budgets[1] = 100;
  budgets[2] = strlen(svg) / 2;
  budgets[3] = strlen(svg) - 1;
  free(svg);
  for (b = 0; b < (int)(sizeof budgets / sizeof budgets[0]); b++) {
    failing f = {budgets[b], 0, 0, 0};
    ft_sink sink = {failing_write, &f};
    ft_ctx_clear_error(ctx);
    CU_ASSERT_EQUAL(ft_write_svg(ctx, doc, NULL, &sink), FT_ERR_IO);
    CU_ASSERT(f.failed);
    CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "svg: output sink refused a write");
    /* a caller-made sink cannot be closed through the library */
    CU_ASSERT_EQUAL(ft_sink_close(ctx, &sink, 1), FT_ERR_INVAL);
  }
  ft_doc_free(doc);
  ft_ctx_free(ctx);
}

static int cancel_cb(void *user, double f) {
  (void)f;
  return ++*(int *)user > 3;
}

static int record_cb(void *user, double f) {
  *(double *)user = f;
  return 0;
}

static void test_cancel_and_bad_coordinates(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_doc *doc = NULL;
  ft_paths *ps = NULL;
  ft_sink *sink = NULL;
  int k, calls = 0;
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(ctx, 1000, 1000, &doc), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(ctx, 1000, 1000, &ps), FT_OK);
  for (k = 0; k < 500; k++) add_box(ps, k, k, k + 1, k + 1, 0, -1, k + 1);
  CU_ASSERT_EQUAL_FATAL(ft_doc_add_layer(ctx, doc, "ink", "Ink", ps, NULL), FT_OK);
  ft_ctx_set_progress(ctx, cancel_cb, &calls);
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_memory(ctx, &sink), FT_OK);
  CU_ASSERT_EQUAL(ft_write_svg(ctx, doc, NULL, sink), FT_ERR_CANCELLED);
  CU_ASSERT(calls > 3 && calls < 50);
  CU_ASSERT_EQUAL(ft_sink_close(ctx, sink, 0), FT_OK);
  /* uncancelled, progress runs to the end */
  {
    double last = -1.0;
    ft_ctx_set_progress(ctx, record_cb, &last);
    CU_ASSERT_EQUAL_FATAL(ft_sink_open_memory(ctx, &sink), FT_OK);
    CU_ASSERT_EQUAL(ft_write_svg(ctx, doc, NULL, sink), FT_OK);
    CU_ASSERT_DOUBLE_EQUAL(last, 1.0, 1e-12);
    CU_ASSERT_EQUAL(ft_sink_close(ctx, sink, 1), FT_OK);
  }
  ft_ctx_set_progress(ctx, NULL, NULL);
  /* a NaN coordinate is refused with the layer and path named */
  ps->path[42].seg[1].c[2].y = NAN;
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_memory(ctx, &sink), FT_OK);
  CU_ASSERT_EQUAL(ft_write_svg(ctx, doc, NULL, sink), FT_ERR_INVAL);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx),
                         "svg: layer \"ink\" path 42: bad segment or coordinate");
  CU_ASSERT_EQUAL(ft_sink_close(ctx, sink, 0), FT_OK);
  ft_doc_free(doc);
  ft_ctx_free(ctx);
}

static const ft_test_case cases[] = {
    {"params", test_params},
    {"number format", test_number_format},
    {"path data compact", test_pathdata_compact},
    {"path data subpaths", test_pathdata_subpaths},
    {"document structure", test_document_structure},
    {"regions and holes", test_regions_and_holes},
    {"item ids", test_item_ids},
    {"strokes", test_strokes},
    {"escaping", test_escaping},
    {"xml writer", test_xml_writer},
    {"rects and metadata", test_rects_and_metadata},
    {"empty doc", test_empty_doc},
    {"no accumulated rounding", test_no_accumulated_rounding},
    {"sink failure", test_sink_failure},
    {"cancel and bad coordinates", test_cancel_and_bad_coordinates},
    {NULL, NULL},
};

int main(void) { return ft_test_main("svg", cases); }
