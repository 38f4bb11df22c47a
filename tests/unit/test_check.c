/* tests/unit/test_check.c - ft_check_svg on crafted SVG documents.
 *
 * Each document breaks one rule (or none); the findings are collected and
 * compared by rule, element id and measured value.  The reference frame:
 * 89 mm over a viewBox 89 units wide makes one user unit one millimetre,
 * so a stroke of w units is w * 72 / 25.4 pt.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "figtrace.h"
#include "testutil.h"

typedef struct got {
  int n;
  int rule[16];
  char id[16][32];
  double value[16];
} got;

static void collect(void *user, const ft_check_finding *f) {
  got *g = user;
  if (g->n < 16) {
    g->rule[g->n] = f->rule;
    snprintf(g->id[g->n], sizeof g->id[0], "%s", f->id ? f->id : "");
    g->value[g->n] = f->value;
    CU_ASSERT_PTR_NOT_NULL(f->message);
    CU_ASSERT(f->line > 0);
  }
  g->n++;
}

/* Check text against journal; returns the findings in g. */
static ft_status run(const char *text, const char *journal, got *g) {
  int n = -1;
  ft_status st;
  memset(g, 0, sizeof *g);
  st = ft_check_svg(NULL, text, strlen(text), "t.svg", ft_journal_find(journal), collect, g, &n);
  if (st == FT_OK) CU_ASSERT_EQUAL(n, g->n);
  return st;
}

#define HEAD \
  "<svg xmlns='http://www.w3.org/2000/svg' width='89mm' height='50mm' viewBox='0 0 89 50'>\n"

static void test_clean(void) {
  got g;
  CU_ASSERT_EQUAL(run(HEAD "<path id='a' d='M0 0L10 10' stroke='#000' stroke-width='0.2'/>\n"
                           "<text id='t' x='1' y='1' font-family='Arial' font-size='2.2'>A</text>"
                           "</svg>",
                      "nature", &g),
                  FT_OK);
  CU_ASSERT_EQUAL(g.n, 0); /* 0.2 mm = 0.567 pt, 2.2 mm = 6.24 pt */
}

static void test_stroke(void) {
  got g;
  /* 0.05 mm = 0.142 pt: too thin for Nature's 0.25 pt */
  CU_ASSERT_EQUAL(run(HEAD "<path id='thin' d='M0 0L10 10' stroke='black' stroke-width='0.05'/>"
                           "<path id='nostroke' d='M0 0L10 10' stroke-width='0.01'/></svg>",
                      "nature", &g),
                  FT_OK);
  CU_ASSERT_EQUAL_FATAL(g.n, 1);
  CU_ASSERT_EQUAL(g.rule[0], FT_CHECK_STROKE);
  CU_ASSERT_STRING_EQUAL(g.id[0], "thin");
  CU_ASSERT_DOUBLE_EQUAL(g.value[0], 0.05 * 72 / 25.4, 1e-9);
  /* inherited from a group and scaled down by transforms on the way */
  CU_ASSERT_EQUAL(run(HEAD "<g stroke='#000' stroke-width='0.2' transform='translate(5,5)'>"
                           "<g transform='scale(0.25)'><rect id='r' width='4' height='4'/></g>"
                           "<rect id='ok' width='4' height='4'/></g></svg>",
                      "nature", &g),
                  FT_OK);
  CU_ASSERT_EQUAL_FATAL(g.n, 1);
  CU_ASSERT_STRING_EQUAL(g.id[0], "r");
  CU_ASSERT_DOUBLE_EQUAL(g.value[0], 0.05 * 72 / 25.4, 1e-9);
  /* non-uniform scale: judged at the thinner direction; matrix() and style="" */
  CU_ASSERT_EQUAL(run(HEAD "<path id='m' d='M0 0L1 1' style='stroke: red; stroke-width: 0.2'"
                           " transform='matrix(2 0 0 0.25 0 0)'/>"
                           "<path id='rot' d='M0 0L1 1' stroke='red' stroke-width='0.2'"
                           " transform='rotate(30 5 5) scale(1.5)'/></svg>",
                      "nature", &g),
                  FT_OK);
  CU_ASSERT_EQUAL_FATAL(g.n, 1);
  CU_ASSERT_STRING_EQUAL(g.id[0], "m");
  /* the viewBox scale counts: 89 mm over 890 units */
  CU_ASSERT_EQUAL(run("<svg xmlns='http://www.w3.org/2000/svg' width='89mm' height='50mm'"
                      " viewBox='0 0 890 500'><line id='l' x2='5' stroke='#000'/></svg>",
                      "cell", &g),
                  FT_OK);
  CU_ASSERT_EQUAL_FATAL(g.n, 1); /* 1 unit = 0.1 mm = 0.28 pt < 0.5 pt */
  CU_ASSERT_DOUBLE_EQUAL(g.value[0], 0.1 * 72 / 25.4, 1e-9);
  /* style overrides the attribute; display:none subtrees and defs are skipped */
  CU_ASSERT_EQUAL(run(HEAD "<path id='o' d='M0 0' stroke='#000' stroke-width='0.01'"
                           " style='stroke-width:1mm'/>"
                           "<g style='display:none'><path d='M0 0' stroke='#000' "
                           "stroke-width='0.01'/></g><defs><path d='M0 0' stroke='#000' "
                           "stroke-width='0.01'/></defs></svg>",
                      "nature", &g),
                  FT_OK);
  CU_ASSERT_EQUAL(g.n, 0);
}

static void test_fonts(void) {
  got g;
  CU_ASSERT_EQUAL(run(HEAD "<text id='comic' font-family=\"'Comic Sans MS', cursive\""
                           " font-size='2'>x</text>"
                           "<text id='small' font-family='Helvetica' font-size='1'>x</text>"
                           "<g font-size='4' font-family='Arial'><text id='big'>x</text>"
                           "<text id='pt' font-size='6pt' transform='scale(0.2646)'>x</text>"
                           "</g><text id='empty' font-size='1'> </text></svg>",
                      "nature", &g),
                  FT_OK);
  CU_ASSERT_EQUAL_FATAL(g.n, 3);
  CU_ASSERT_EQUAL(g.rule[0], FT_CHECK_FONT);
  CU_ASSERT_STRING_EQUAL(g.id[0], "comic");
  CU_ASSERT_EQUAL(g.rule[1], FT_CHECK_FONT_SIZE);
  CU_ASSERT_STRING_EQUAL(g.id[1], "small");
  CU_ASSERT_DOUBLE_EQUAL(g.value[1], 72 / 25.4, 1e-9);
  CU_ASSERT_EQUAL(g.rule[2], FT_CHECK_FONT_SIZE);
  CU_ASSERT_STRING_EQUAL(g.id[2], "big");
  /* "pt": font-size 6pt is 8 user units (CSS px); scaled by 0.2646 it is
   * 2.117 units = 2.117 mm = 6.0 pt, inside 5-7 pt, so no finding */
}

static void test_size_viewbox_raster(void) {
  got g;
  CU_ASSERT_EQUAL(run("<svg xmlns='http://www.w3.org/2000/svg' width='200mm' height='300mm'>"
                      "<image id='img' href='data:image/png;base64,AAAA' width='1' height='1'/>"
                      "</svg>",
                      "nature", &g),
                  FT_OK);
  CU_ASSERT_EQUAL_FATAL(g.n, 4);
  CU_ASSERT_EQUAL(g.rule[0], FT_CHECK_VIEWBOX);
  CU_ASSERT_EQUAL(g.rule[1], FT_CHECK_SIZE);
  CU_ASSERT_DOUBLE_EQUAL(g.value[1], 200.0, 1e-9);
  CU_ASSERT_EQUAL(g.rule[2], FT_CHECK_SIZE);
  CU_ASSERT_DOUBLE_EQUAL(g.value[2], 300.0, 1e-9);
  CU_ASSERT_EQUAL(g.rule[3], FT_CHECK_RASTER);
  CU_ASSERT_STRING_EQUAL(g.id[3], "img");
  /* pixels instead of a physical size; a missing size */
  CU_ASSERT_EQUAL(run("<svg xmlns='http://www.w3.org/2000/svg' width='300' height='200px'"
                      " viewBox='0 0 300 200'/>",
                      "none", &g),
                  FT_OK);
  CU_ASSERT_EQUAL_FATAL(g.n, 1);
  CU_ASSERT_EQUAL(g.rule[0], FT_CHECK_SIZE);
  CU_ASSERT_EQUAL(run("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 3 2'/>", "none", &g),
                  FT_OK);
  CU_ASSERT_EQUAL_FATAL(g.n, 1);
  CU_ASSERT_EQUAL(g.rule[0], FT_CHECK_SIZE);
  /* inches and cm are physical; 3.5 in = 88.9 mm fits Nature */
  CU_ASSERT_EQUAL(run("<svg xmlns='http://www.w3.org/2000/svg' width='3.5in' height='5cm'"
                      " viewBox='0 0 3 2'/>",
                      "nature", &g),
                  FT_OK);
  CU_ASSERT_EQUAL(g.n, 0);
  /* journal "none": no stroke or font rules */
  CU_ASSERT_EQUAL(run(HEAD "<path d='M0 0' stroke='#000' stroke-width='0.001'/></svg>", "none", &g),
                  FT_OK);
  CU_ASSERT_EQUAL(g.n, 0);
}

static void test_bad_input(void) {
  ft_ctx *ctx = ft_ctx_new();
  int n = 7;
  const char *notsvg = "<html/>", *broken = "<svg><g></svg>";
  CU_ASSERT_EQUAL(ft_check_svg(ctx, notsvg, strlen(notsvg), "a", NULL, NULL, NULL, &n),
                  FT_ERR_FORMAT);
  CU_ASSERT_EQUAL(n, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(ft_ctx_errmsg(ctx), "<svg>"));
  CU_ASSERT_EQUAL(ft_check_svg(ctx, broken, strlen(broken), "b", NULL, NULL, NULL, &n),
                  FT_ERR_FORMAT);
  CU_ASSERT_EQUAL(ft_check_svg(ctx, NULL, 0, "c", NULL, NULL, NULL, &n), FT_ERR_INVAL);
  ft_ctx_free(ctx);
}

/* figtrace's own output, styled for each journal, passes that journal. */
static void test_own_output(void) {
  int i;
  const ft_journal *j;
  for (i = 0; (j = ft_journal_at(i)) != NULL; i++) {
    ft_paths *ps = NULL;
    ft_style_params p;
    ft_doc *d = NULL;
    ft_sink *sink = NULL;
    const char *svg;
    size_t len;
    int k, n = -1;
    CU_ASSERT_EQUAL_FATAL(ft_paths_new(NULL, 400, 300, &ps), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_paths_add(NULL, ps, 10, 10, &k), FT_OK);
    CU_ASSERT_EQUAL(ft_path_line_to(NULL, &ps->path[k], 300, 200), FT_OK);
    ps->path[k].class_id = FT_CLASS_STROKE;
    ps->path[k].stroke_width = 0.1; /* far below every minimum */
    ps->pixel_w = ps->pixel_h = 0.5;
    ft_style_params_init(&p);
    p.journal = j->name;
    p.column = FT_COLUMN_DOUBLE;
    CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &p, &d), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_sink_open_memory(NULL, &sink), FT_OK);
    CU_ASSERT_EQUAL(ft_write_svg(NULL, d, NULL, sink), FT_OK);
    svg = ft_sink_memory_data(sink, &len);
    CU_ASSERT_EQUAL(ft_check_svg(NULL, svg, len, "own.svg", j, NULL, NULL, &n), FT_OK);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(ft_sink_close(NULL, sink, 0), FT_OK);
    ft_doc_free(d);
    ft_paths_free(ps);
  }
}

int main(void) {
  static const ft_test_case cases[] = {
      {"clean document", test_clean},
      {"strokes and transforms", test_stroke},
      {"fonts and sizes", test_fonts},
      {"size, viewBox, raster", test_size_viewbox_raster},
      {"bad input", test_bad_input},
      {"figtrace output passes", test_own_output},
      {NULL, NULL},
  };
  return ft_test_main("check", cases);
}
