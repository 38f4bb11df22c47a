/* src/style/check.c - lint any SVG against a journal's artwork rules.
 *
 * The document is parsed with libxml2 (no network, no entity expansion)
 * and walked depth first.  Final sizes follow SVG 1.1's coordinate system
 * rules (Sec. 7): the root's width/height give the physical size, its
 * viewBox maps user units onto it (preserveAspectRatio's default "meet"
 * takes the smaller of the two scales, Sec. 7.8), and each element's
 * transform list (Sec. 7.6) is composed onto its parent's current
 * transformation matrix.  A length l in user units under the matrix
 * [a c; b d] is drawn between s_min * l and s_max * l, s the singular
 * values: strokes are judged at s_min (their thinnest), text at
 * sqrt(|ad - bc|) (its mean scale).  Stroke and font properties are
 * inherited (Sec. 6.4): presentation attributes first, then declarations
 * in style="" which override them.  Subtrees that are not rendered by
 * themselves (defs, clipPath, mask, pattern, marker, symbol, metadata)
 * and display:none are skipped; <use> references are not followed and a
 * nested <svg> counts as a group (its own viewBox is not applied).
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/internal.h"
#include "dl/xml.h"

#define REL_TOL 0.005 /* values within 0.5% of a limit pass */

/* Inherited properties along the walk. */
typedef struct props {
  double m[6];        /* CTM: x' = m0 x + m2 y + m4, y' = m1 x + m3 y + m5 */
  int stroke;         /* 1 when the stroke paint is not none */
  double stroke_w;    /* user units */
  char font[256];     /* font-family list */
  double font_size;   /* user units */
  int hidden;         /* display:none */
} props;

typedef struct walker {
  ft_ctx *ctx;
  const ft_journal *j;
  int journal_rules; /* 0 for "none" */
  double mm_per_uu;  /* mm per root user unit */
  ft_check_fn fn;
  void *user;
  int n;
} walker;

/* ---- numbers and lengths ---- */

static const char *skip_ws(const char *s) {
  while (*s && (isspace((unsigned char)*s) || *s == ',')) s++;
  return s;
}

/* A length with an optional unit, in CSS pixels (= user units at 96 dpi).
 * Returns 0, or -1 for a percentage or garbage.  *unit_px receives whether
 * the unit was px or absent. */
static int parse_length(const char *s, double *px, int *unit_px) {
  static const struct {
    const char *u;
    double f;
  } units[] = {{"mm", 96.0 / 25.4}, {"cm", 960.0 / 25.4}, {"in", 96.0},
               {"pt", 96.0 / 72.0}, {"pc", 16.0},         {"px", 1.0}};
  char *end;
  double v;
  size_t i;
  if (!s) return -1;
  s = skip_ws(s);
  v = strtod(s, &end);
  if (end == s || !isfinite(v)) return -1;
  while (isspace((unsigned char)*end)) end++;
  if (unit_px) *unit_px = 1;
  if (*end == '\0') {
    *px = v;
    return 0;
  }
  for (i = 0; i < sizeof units / sizeof units[0]; i++) {
    size_t n = strlen(units[i].u);
    if (strncasecmp(end, units[i].u, n) == 0 && end[n] == '\0') {
      *px = v * units[i].f;
      if (unit_px) *unit_px = strcmp(units[i].u, "px") == 0;
      return 0;
    }
  }
  return -1;
}

/* ---- transforms ---- */

static void mat_mul(const double p[6], const double t[6], double out[6]) {
  double r[6];
  r[0] = p[0] * t[0] + p[2] * t[1];
  r[1] = p[1] * t[0] + p[3] * t[1];
  r[2] = p[0] * t[2] + p[2] * t[3];
  r[3] = p[1] * t[2] + p[3] * t[3];
  r[4] = p[0] * t[4] + p[2] * t[5] + p[4];
  r[5] = p[1] * t[4] + p[3] * t[5] + p[5];
  memcpy(out, r, sizeof r);
}

/* Apply the transform list s to m (m = m x T1 x T2 ...).  Returns 0, or -1
 * for a malformed list (m then unchanged). */
static int apply_transform(const char *s, double m[6]) {
  double acc[6];
  memcpy(acc, m, sizeof acc);
  s = skip_ws(s);
  while (*s) {
    static const char *const names[] = {"matrix", "translate", "scale", "rotate", "skewX", "skewY"};
    double a[6] = {0}, t[6] = {1, 0, 0, 1, 0, 0};
    int k, na = 0;
    size_t len = 0;
    for (k = 0; k < 6; k++) {
      len = strlen(names[k]);
      if (strncmp(s, names[k], len) == 0) break;
    }
    if (k == 6) return -1;
    s += len;
    while (isspace((unsigned char)*s)) s++;
    if (*s++ != '(') return -1;
    for (;;) {
      char *end;
      s = skip_ws(s);
      if (*s == ')') {
        s++;
        break;
      }
      if (na == 6) return -1;
      a[na] = strtod(s, &end);
      if (end == s || !isfinite(a[na])) return -1;
      na++;
      s = end;
    }
    switch (k) {
      case 0:
        if (na != 6) return -1;
        memcpy(t, a, sizeof t);
        break;
      case 1:
        if (na < 1 || na > 2) return -1;
        t[4] = a[0];
        t[5] = na == 2 ? a[1] : 0.0;
        break;
      case 2:
        if (na < 1 || na > 2) return -1;
        t[0] = a[0];
        t[3] = na == 2 ? a[1] : a[0];
        break;
      case 3: {
        double r = a[0] * M_PI / 180.0, c = cos(r), sn = sin(r);
        if (na != 1 && na != 3) return -1;
        t[0] = c;
        t[1] = sn;
        t[2] = -sn;
        t[3] = c;
        if (na == 3) { /* translate(cx,cy) rotate translate(-cx,-cy) */
          t[4] = a[1] - c * a[1] + sn * a[2];
          t[5] = a[2] - sn * a[1] - c * a[2];
        }
        break;
      }
      case 4:
        if (na != 1) return -1;
        t[2] = tan(a[0] * M_PI / 180.0);
        break;
      default:
        if (na != 1) return -1;
        t[1] = tan(a[0] * M_PI / 180.0);
        break;
    }
    mat_mul(acc, t, acc);
    s = skip_ws(s);
  }
  memcpy(m, acc, sizeof acc);
  return 0;
}

/* Smallest singular value of the linear part of m. */
static double min_scale(const double m[6]) {
  double p = m[0] * m[0] + m[1] * m[1] + m[2] * m[2] + m[3] * m[3];
  double q = fabs(m[0] * m[3] - m[1] * m[2]);
  double disc = p * p - 4.0 * q * q;
  double v = (p - sqrt(disc > 0.0 ? disc : 0.0)) / 2.0;
  return sqrt(v > 0.0 ? v : 0.0);
}

/* ---- properties ---- */

/* Set one property from name: value. */
static void set_prop(props *pr, const char *name, const char *value) {
  double v;
  while (isspace((unsigned char)*value)) value++;
  if (strcmp(name, "stroke") == 0) {
    pr->stroke = strncmp(value, "none", 4) != 0 && *value;
  } else if (strcmp(name, "stroke-width") == 0) {
    if (parse_length(value, &v, NULL) == 0 && v >= 0.0) pr->stroke_w = v;
  } else if (strcmp(name, "font-family") == 0) {
    snprintf(pr->font, sizeof pr->font, "%s", value);
  } else if (strcmp(name, "font-size") == 0) {
    if (parse_length(value, &v, NULL) == 0 && v > 0.0) pr->font_size = v;
  } else if (strcmp(name, "display") == 0) {
    if (strncmp(value, "none", 4) == 0) pr->hidden = 1;
  } else if (strcmp(name, "font") == 0) {
    /* shorthand: "[style] SIZE FAMILY..." - take the first length and the rest */
    const char *s = value;
    while (*s) {
      const char *e = s;
      char word[64];
      size_t n;
      while (*e && !isspace((unsigned char)*e)) e++;
      n = (size_t)(e - s) < sizeof word ? (size_t)(e - s) : sizeof word - 1;
      memcpy(word, s, n);
      word[n] = '\0';
      if (isdigit((unsigned char)word[0]) || word[0] == '.') {
        char *slash = strchr(word, '/');
        if (slash) *slash = '\0';
        if (parse_length(word, &v, NULL) == 0 && v > 0.0) pr->font_size = v;
        snprintf(pr->font, sizeof pr->font, "%s", skip_ws(e));
        break;
      }
      s = skip_ws(e);
    }
  }
}

/* Presentation attributes, then style="" declarations. */
static void read_props(xmlNodePtr node, props *pr) {
  static const char *const attrs[] = {"stroke", "stroke-width", "font-family", "font-size",
                                      "display"};
  xmlChar *v;
  size_t i;
  for (i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
    if ((v = xmlGetProp(node, (const xmlChar *)attrs[i]))) {
      set_prop(pr, attrs[i], (const char *)v);
      xmlFree(v);
    }
  if ((v = xmlGetProp(node, (const xmlChar *)"style"))) {
    char *s = (char *)v, *decl;
    char *save = NULL;
    for (decl = strtok_r(s, ";", &save); decl; decl = strtok_r(NULL, ";", &save)) {
      char *colon = strchr(decl, ':'), *name = decl, *e;
      if (!colon) continue;
      *colon = '\0';
      while (isspace((unsigned char)*name)) name++;
      e = name + strlen(name);
      while (e > name && isspace((unsigned char)e[-1])) *--e = '\0';
      e = colon + 1 + strlen(colon + 1);
      while (e > colon + 1 && isspace((unsigned char)e[-1])) *--e = '\0';
      if ((e = strstr(colon + 1, "!important"))) *e = '\0';
      set_prop(pr, name, colon + 1);
    }
    xmlFree(v);
  }
}

/* ---- findings ---- */

static void report(walker *w, int rule, xmlNodePtr node, double value, double limit,
                   const char *fmt, ...) FT__PRINTF(6, 7);

static void report(walker *w, int rule, xmlNodePtr node, double value, double limit,
                   const char *fmt, ...) {
  ft_check_finding f;
  char msg[512];
  xmlChar *id = node ? xmlGetProp(node, (const xmlChar *)"id") : NULL;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  f.rule = rule;
  f.element = node ? (const char *)node->name : "svg";
  f.id = (const char *)id;
  f.line = node ? xmlGetLineNo(node) : 0;
  f.value = value;
  f.limit = limit;
  f.message = msg;
  w->n++;
  if (w->fn) w->fn(w->user, &f);
  if (id) xmlFree(id);
}

/* First family of a font-family list, unquoted, lower case. */
static void first_family(const char *list, char *out, size_t n) {
  size_t k = 0;
  const char *s = list;
  while (*s && (isspace((unsigned char)*s) || *s == '"' || *s == '\'')) s++;
  while (*s && *s != ',' && *s != '"' && *s != '\'' && k + 1 < n)
    out[k++] = (char)tolower((unsigned char)*s++);
  while (k > 0 && isspace((unsigned char)out[k - 1])) k--;
  out[k] = '\0';
}

/* 1 when family (lower case) is in the comma-separated list. */
static int family_allowed(const char *family, const char *list) {
  char item[128];
  const char *s = list;
  while (*s) {
    first_family(s, item, sizeof item);
    if (strcmp(item, family) == 0) return 1;
    s = strchr(s, ',');
    if (!s) break;
    s++;
  }
  return 0;
}

/* 1 when the node has non-blank text directly inside it. */
static int has_own_text(xmlNodePtr node) {
  xmlNodePtr c;
  for (c = node->children; c; c = c->next)
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      const xmlChar *p = c->content;
      while (*p && isspace(*p)) p++;
      if (*p) return 1;
    }
  return 0;
}

static int is_shape(const char *n) {
  static const char *const shapes[] = {"path", "rect", "circle", "ellipse",
                                       "line", "polyline", "polygon"};
  size_t i;
  for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
    if (strcmp(n, shapes[i]) == 0) return 1;
  return 0;
}

static int not_rendered(const char *n) {
  static const char *const skip[] = {"defs",   "clipPath", "mask",     "pattern", "marker",
                                     "symbol", "metadata", "title",    "desc",    "style",
                                     "script", "linearGradient", "radialGradient", "filter"};
  size_t i;
  for (i = 0; i < sizeof skip / sizeof skip[0]; i++)
    if (strcmp(n, skip[i]) == 0) return 1;
  return 0;
}

static void check_element(walker *w, xmlNodePtr node, const props *pr) {
  const char *name = (const char *)node->name;
  const ft_journal *j = w->j;
  double to_pt = w->mm_per_uu * 72.0 / 25.4;
  if (strcmp(name, "image") == 0) {
    report(w, FT_CHECK_RASTER, node, 0.0, 0.0,
           "raster image inside the figure (journals want vector artwork; supply it at "
           "full resolution separately)");
    return;
  }
  if (!w->journal_rules) return;
  if (is_shape(name) && pr->stroke && pr->stroke_w > 0.0 && j->min_stroke_pt > 0.0) {
    double pt = pr->stroke_w * min_scale(pr->m) * to_pt;
    if (pt < j->min_stroke_pt * (1.0 - REL_TOL))
      report(w, FT_CHECK_STROKE, node, pt, j->min_stroke_pt,
             "stroke %.3g pt is thinner than the %s minimum of %g pt", pt, j->title,
             j->min_stroke_pt);
  }
  if ((strcmp(name, "text") == 0 || strcmp(name, "tspan") == 0 ||
       strcmp(name, "textPath") == 0) &&
      has_own_text(node)) {
    double pt = pr->font_size * sqrt(fabs(pr->m[0] * pr->m[3] - pr->m[1] * pr->m[2])) * to_pt;
    char fam[128];
    if (j->fonts && *j->fonts) {
      first_family(pr->font, fam, sizeof fam);
      if (!*fam)
        report(w, FT_CHECK_FONT, node, 0.0, 0.0,
               "text without a font-family (renders in the viewer's default; %s asks for %s)",
               j->title, j->fonts);
      else if (!family_allowed(fam, j->fonts))
        report(w, FT_CHECK_FONT, node, 0.0, 0.0, "font '%s' is not one %s allows (%s)", fam,
               j->title, j->fonts);
    }
    if (j->font_min_pt > 0.0 && pt < j->font_min_pt * (1.0 - REL_TOL))
      report(w, FT_CHECK_FONT_SIZE, node, pt, j->font_min_pt,
             "text %.3g pt is smaller than the %s minimum of %g pt", pt, j->title, j->font_min_pt);
    else if (j->font_max_pt > 0.0 && pt > j->font_max_pt * (1.0 + REL_TOL))
      report(w, FT_CHECK_FONT_SIZE, node, pt, j->font_max_pt,
             "text %.3g pt is larger than the %s maximum of %g pt", pt, j->title, j->font_max_pt);
  }
}

static void walk(walker *w, xmlNodePtr node, const props *parent, int depth) {
  xmlNodePtr c;
  props pr;
  xmlChar *t;
  if (depth > 256) return; /* pathological nesting: stop rather than overflow */
  pr = *parent;
  read_props(node, &pr);
  if (pr.hidden) return;
  if ((t = xmlGetProp(node, (const xmlChar *)"transform"))) {
    apply_transform((const char *)t, pr.m);
    xmlFree(t);
  }
  check_element(w, node, &pr);
  for (c = node->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && !not_rendered((const char *)c->name))
      walk(w, c, &pr, depth + 1);
}

/* Physical size of the root, mm per user unit, and its findings. */
static void check_root(walker *w, xmlNodePtr root, const char *name) {
  xmlChar *wa = xmlGetProp(root, (const xmlChar *)"width");
  xmlChar *ha = xmlGetProp(root, (const xmlChar *)"height");
  xmlChar *vb = xmlGetProp(root, (const xmlChar *)"viewBox");
  double wpx = 0.0, hpx = 0.0, v[4] = {0, 0, 0, 0};
  int wu = 1, hu = 1, okw, okh, okvb = 0;
  const ft_journal *j = w->j;

  okw = wa && parse_length((const char *)wa, &wpx, &wu) == 0 && wpx > 0.0;
  okh = ha && parse_length((const char *)ha, &hpx, &hu) == 0 && hpx > 0.0;
  if (vb) {
    const char *s = (const char *)vb;
    char *end;
    int k;
    okvb = 1;
    for (k = 0; k < 4 && okvb; k++) {
      s = skip_ws(s);
      v[k] = strtod(s, &end);
      if (end == s || !isfinite(v[k])) okvb = 0;
      s = end;
    }
    if (okvb && !(v[2] > 0.0 && v[3] > 0.0)) okvb = 0;
  }
  if (!okvb)
    report(w, FT_CHECK_VIEWBOX, root, 0.0, 0.0,
           vb ? "viewBox \"%s\" is not four numbers with a positive size"
              : "no viewBox: the drawing does not scale with its physical size%s",
           vb ? (const char *)vb : "");
  if (!okw || !okh) {
    report(w, FT_CHECK_SIZE, root, 0.0, 0.0,
           "no physical size: width and height must be lengths such as \"89mm\"");
  } else if (wu || hu) {
    report(w, FT_CHECK_SIZE, root, 0.0, 0.0,
           "width/height in pixels (%s x %s): give the physical size in mm, cm, in or pt",
           (const char *)wa, (const char *)ha);
  }
  if (okw && okh) {
    double wmm = wpx * 25.4 / 96.0, hmm = hpx * 25.4 / 96.0;
    if (w->journal_rules && wmm > j->double_mm + 0.05)
      report(w, FT_CHECK_SIZE, root, wmm, j->double_mm,
             "%.1f mm wide is wider than the %s page width of %g mm", wmm, j->title,
             j->double_mm);
    if (w->journal_rules && j->max_height_mm > 0.0 && hmm > j->max_height_mm + 0.05)
      report(w, FT_CHECK_SIZE, root, hmm, j->max_height_mm,
             "%.1f mm tall is taller than the %s maximum of %g mm", hmm, j->title,
             j->max_height_mm);
    w->mm_per_uu = okvb ? fmin(wmm / v[2], hmm / v[3]) : 25.4 / 96.0;
  } else {
    w->mm_per_uu = 25.4 / 96.0;
  }
  (void)name;
  if (wa) xmlFree(wa);
  if (ha) xmlFree(ha);
  if (vb) xmlFree(vb);
}

/* Once per process, and complete before any thread goes on: libxml2 2.9
 * publishes its lazily built tables without a memory barrier, so
 * concurrent first calls from several threads would race. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

ft_status ft_check_svg(ft_ctx *ctx, const char *data, size_t len, const char *name,
                       const ft_journal *j, ft_check_fn fn, void *user, int *nfindings) {
  xmlDocPtr doc;
  xmlNodePtr root;
  walker w;
  props pr;
  ft_status st;
  if (nfindings) *nfindings = 0;
  if (!name) name = "svg";
  if (!data || len > (size_t)0x7FFFFFFF)
    return ft__fail(ctx, FT_ERR_INVAL, "%s: check: no data or too large", name);
  if (!j) j = ft_journal_find("none");
  if ((st = ft__xml_require(ctx))) return st;
  pthread_once(&xml_once, xmlInitParser);
  doc = xmlReadMemory(data, (int)len, name, NULL,
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) return ft__fail(ctx, FT_ERR_FORMAT, "%s: check: not well-formed XML", name);
  root = xmlDocGetRootElement(doc);
  if (!root || strcmp((const char *)root->name, "svg") != 0) {
    xmlFreeDoc(doc);
    return ft__fail(ctx, FT_ERR_FORMAT, "%s: check: the root element is not <svg>", name);
  }
  memset(&w, 0, sizeof w);
  w.ctx = ctx;
  w.j = j;
  w.journal_rules = strcmp(j->name, "none") != 0;
  w.fn = fn;
  w.user = user;
  check_root(&w, root, name);
  memset(&pr, 0, sizeof pr);
  pr.m[0] = pr.m[3] = 1.0;
  pr.stroke_w = 1.0;    /* SVG initial values */
  pr.font_size = 16.0;  /* CSS "medium" */
  walk(&w, root, &pr, 0);
  xmlFreeDoc(doc);
  if (nfindings) *nfindings = w.n;
  return FT_OK;
}
