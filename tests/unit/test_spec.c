/* tests/unit/test_spec.c - the stage-spec parser: valid chains, every error,
 * table-driven defaults and the --help description. */
#include "config.h"

#include <stddef.h>

#include "core/internal.h"
#include "testutil.h"

typedef struct demo_params {
  int r;
  double sigma;
  int shape;
  int fast;
} demo_params;

static const char *const shapes[] = {"square", "disc", NULL};

static const ft_spec_arg demo_args[] = {
    {"r", FT_ARG_INT, offsetof(demo_params, r), 1, 10, 2, "radius", NULL},
    {"sigma", FT_ARG_DOUBLE, offsetof(demo_params, sigma), 0.5, 4, 1.5, "sigma", NULL},
    {"shape", FT_ARG_CHOICE, offsetof(demo_params, shape), 0, 0, 1, "element", shapes},
    {"fast", FT_ARG_BOOL, offsetof(demo_params, fast), 0, 1, 0, "hurry", NULL},
};

static const char *pair_validate(const void *p) {
  const demo_params *d = p;
  return d->r > 8 && d->sigma > 3 ? "r and sigma too large together" : NULL;
}

static const ft_spec_kind demo_kinds[] = {
    {"alpha", "first", sizeof(demo_params), demo_args, 4, pair_validate},
    {"beta", "second", sizeof(demo_params), demo_args, 2, NULL},
    {"gamma", "no keys", sizeof(demo_params), NULL, 0, NULL},
};

static ft_ctx *ctx;

static ft_status parse(const char *s, ft_spec_list **l) {
  return ft_spec_parse(ctx, "demo", "item", demo_kinds, 3, s, l);
}

static void test_defaults(void) {
  demo_params p;
  ft_spec_defaults(&demo_kinds[0], &p);
  CU_ASSERT_EQUAL(p.r, 2);
  CU_ASSERT_DOUBLE_EQUAL(p.sigma, 1.5, 0);
  CU_ASSERT_EQUAL(p.shape, 1);
  CU_ASSERT_EQUAL(p.fast, 0);
  CU_ASSERT_EQUAL(ft_spec_check(ctx, "demo", &demo_kinds[0], &p), FT_OK);
  p.r = 11;
  CU_ASSERT_EQUAL(ft_spec_check(ctx, "demo", &demo_kinds[0], &p), FT_ERR_INVAL);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "demo: alpha: r=11 out of range 1..10");
  p.r = 9;
  p.sigma = 3.5;
  CU_ASSERT_EQUAL(ft_spec_check(ctx, "demo", &demo_kinds[0], &p), FT_ERR_INVAL);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "demo: alpha: r and sigma too large together");
}

static void test_valid_chains(void) {
  ft_spec_list *l = NULL;
  demo_params *p;
  CU_ASSERT_EQUAL_FATAL(parse("alpha:r=3,beta:sigma=2.25", &l), FT_OK);
  CU_ASSERT_EQUAL_FATAL(l->n, 2);
  p = l->items[0].params;
  CU_ASSERT_EQUAL(l->items[0].kind, 0);
  CU_ASSERT_EQUAL(p->r, 3);
  CU_ASSERT_DOUBLE_EQUAL(p->sigma, 1.5, 0);
  p = l->items[1].params;
  CU_ASSERT_EQUAL(l->items[1].kind, 1);
  CU_ASSERT_EQUAL(p->r, 2);
  CU_ASSERT_DOUBLE_EQUAL(p->sigma, 2.25, 0);
  ft_spec_list_free(l);
  /* keys continue the item after commas or colons; blanks, case, bools, choices */
  CU_ASSERT_EQUAL_FATAL(parse(" Alpha : R = 4 , shape=SQUARE:fast=yes, gamma ,alpha", &l), FT_OK);
  CU_ASSERT_EQUAL_FATAL(l->n, 3);
  p = l->items[0].params;
  CU_ASSERT_EQUAL(p->r, 4);
  CU_ASSERT_EQUAL(p->shape, 0);
  CU_ASSERT_EQUAL(p->fast, 1);
  CU_ASSERT_EQUAL(l->items[1].kind, 2);
  CU_ASSERT_EQUAL(l->items[2].kind, 0);
  CU_ASSERT_EQUAL(((demo_params *)l->items[2].params)->r, 2);
  ft_spec_list_free(l);
  /* a later key wins; numbers in any strtod form */
  CU_ASSERT_EQUAL_FATAL(parse("alpha:r=3:r=5,sigma=2.5e0,fast=off", &l), FT_OK);
  p = l->items[0].params;
  CU_ASSERT_EQUAL(p->r, 5);
  CU_ASSERT_DOUBLE_EQUAL(p->sigma, 2.5, 0);
  CU_ASSERT_EQUAL(p->fast, 0);
  ft_spec_list_free(l);
  /* empty and blank specs are empty lists */
  CU_ASSERT_EQUAL_FATAL(parse("", &l), FT_OK);
  CU_ASSERT_EQUAL(l->n, 0);
  ft_spec_list_free(l);
  CU_ASSERT_EQUAL_FATAL(parse("   ", &l), FT_OK);
  CU_ASSERT_EQUAL(l->n, 0);
  ft_spec_list_free(l);
  CU_ASSERT_EQUAL_FATAL(ft_spec_parse(ctx, "demo", "item", demo_kinds, 3, NULL, &l), FT_OK);
  CU_ASSERT_EQUAL(l->n, 0);
  ft_spec_list_free(l);
}

typedef struct err_case {
  const char *spec, *msg;
} err_case;

static void test_errors(void) {
  static const err_case cases[] = {
      {"alpah:r=2", "demo: unknown item 'alpah' (known: alpha, beta, gamma)"},
      {"alpha:rad=2", "demo: alpha: unknown key 'rad' (keys: r, sigma, shape, fast)"},
      {"gamma:r=1", "demo: gamma: unknown key 'r' (keys: none)"},
      {"beta:shape=disc", "demo: beta: unknown key 'shape' (keys: r, sigma)"},
      {"alpha:r=x", "demo: alpha: r='x' is not a number"},
      {"alpha:r=2x", "demo: alpha: r='2x' is not a number"},
      {"alpha:r=2.5", "demo: alpha: r='2.5' is not a whole number"},
      {"alpha:r=11", "demo: alpha: r=11 out of range 1..10"},
      {"alpha:sigma=0.25", "demo: alpha: sigma=0.25 out of range 0.5..4"},
      {"alpha:sigma=nan", "demo: alpha: sigma='nan' is not a number"},
      {"alpha:sigma=1e999", "demo: alpha: sigma='1e999' is not a number"},
      {"alpha:shape=ball", "demo: alpha: shape='ball' is not one of: square, disc"},
      {"alpha:fast=maybe", "demo: alpha: fast='maybe' is not yes/no/true/false/1/0"},
      {"alpha:r=", "demo: alpha: r has an empty value"},
      {"alpha:=3", "demo: alpha: missing or overlong key in '=3'"},
      {"alpha:r", "demo: alpha: expected key=value, got 'r'"},
      {"r=2,alpha", "demo: 'r=2' comes before any item name"},
      {"alpha,,beta", "demo: empty item in 'alpha,,beta'"},
      {"alpha,", "demo: empty item in 'alpha,'"},
      {":r=2", "demo: empty item name (known: alpha, beta, gamma)"},
      {"alpha:r=9,sigma=3.5", "demo: alpha: r and sigma too large together"},
      {NULL, NULL}};
  int i;
  for (i = 0; cases[i].spec; i++) {
    ft_spec_list *l = (ft_spec_list *)1;
    ft_status st = parse(cases[i].spec, &l);
    CU_ASSERT_EQUAL(st, FT_ERR_INVAL);
    CU_ASSERT_PTR_NULL(l);
    if (strcmp(ft_ctx_errmsg(ctx), cases[i].msg) != 0)
      fprintf(stderr, "\n  spec '%s': got '%s'\n", cases[i].spec, ft_ctx_errmsg(ctx));
    CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), cases[i].msg);
  }
}

static char described[4096];

static void collect(void *user, const char *line) {
  int *count = user;
  (*count)++;
  strncat(described, line, sizeof described - strlen(described) - 2);
  strcat(described, "\n");
}

static void test_describe(void) {
  int lines = 0;
  char buf[32];
  described[0] = '\0';
  ft_spec_describe(demo_kinds, 3, collect, &lines);
  CU_ASSERT_EQUAL(lines, 3 + 4 + 2);
  CU_ASSERT_PTR_NOT_NULL(strstr(described, "alpha      first\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(described, "    r=INT          radius (1..10, default 2)\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(described, "    sigma=NUM      sigma (0.5..4, default 1.5)\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(described, "shape=WORD     element (square, disc; default disc)"));
  CU_ASSERT_PTR_NOT_NULL(strstr(described, "fast=yes|no    hurry (default no)"));
  ft_spec_format_default(&demo_args[2], buf, sizeof buf);
  CU_ASSERT_STRING_EQUAL(buf, "disc");
}

static void test_denoise_chain(void) {
  ft_denoise_chain *c = NULL;
  int n, lines = 0;
  CU_ASSERT_EQUAL_FATAL(ft_denoise_chain_parse(ctx, "median:r=2,flatten:r=40,mode=subtract", &c),
                        FT_OK);
  CU_ASSERT_EQUAL_FATAL(c->n, 2);
  CU_ASSERT_EQUAL(c->filters[0].kind, FT_FILTER_MEDIAN);
  CU_ASSERT_EQUAL(c->filters[0].u.median.radius, 2);
  CU_ASSERT_EQUAL(c->filters[0].u.median.bits, 8);
  CU_ASSERT_EQUAL(c->filters[1].kind, FT_FILTER_FLATTEN);
  CU_ASSERT_EQUAL(c->filters[1].u.flatten.radius, 40);
  CU_ASSERT_EQUAL(c->filters[1].u.flatten.mode, FT_FLATTEN_SUBTRACT);
  CU_ASSERT_EQUAL(c->filters[1].u.flatten.polarity, FT_FLATTEN_DARK);
  ft_denoise_chain_free(c);
  CU_ASSERT_EQUAL_FATAL(ft_denoise_chain_parse(ctx, "close:r=3:shape=disc,tophat,normalize:low=1", &c), FT_OK);
  CU_ASSERT_EQUAL(c->filters[0].u.morph.op, FT_MORPH_CLOSE);
  CU_ASSERT_EQUAL(c->filters[0].u.morph.shape, FT_SHAPE_DISC);
  CU_ASSERT_EQUAL(c->filters[1].u.morph.op, FT_MORPH_TOPHAT);
  CU_ASSERT_EQUAL(c->filters[1].u.morph.radius, 1);
  CU_ASSERT_DOUBLE_EQUAL(c->filters[2].u.normalize.low, 1.0, 0);
  CU_ASSERT_DOUBLE_EQUAL(c->filters[2].u.normalize.high, 99.5, 0);
  ft_denoise_chain_free(c);
  c = (ft_denoise_chain *)1;
  CU_ASSERT_EQUAL(ft_denoise_chain_parse(ctx, "medain:r=2", &c), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(c);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx),
                         "denoise: unknown filter 'medain' (known: median, gaussian, bilateral, "
                         "nlm, erode, dilate, open, close, tophat, blackhat, flatten, normalize, gray)");
  CU_ASSERT_EQUAL(ft_denoise_chain_parse(ctx, "normalize:low=50,high=10", &c), FT_ERR_INVAL);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "denoise: normalize: low must be below high");
  CU_ASSERT_EQUAL(ft_denoise_chain_parse(ctx, "median:r=0", &c), FT_ERR_INVAL);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "denoise: median: r=0 out of range 1..100");
  /* the tables drive the _init defaults and the help text */
  {
    const ft_spec_kind *k = ft_denoise_kinds(&n);
    ft_median_params mp;
    ft_flatten_params fp;
    CU_ASSERT_EQUAL(n, FT_FILTER_COUNT);
    CU_ASSERT_STRING_EQUAL(k[FT_FILTER_NLM].name, "nlm");
    ft_median_params_init(&mp);
    CU_ASSERT_EQUAL(mp.radius, 1);
    CU_ASSERT_EQUAL(mp.bits, 8);
    ft_flatten_params_init(&fp);
    CU_ASSERT_EQUAL(fp.radius, 40);
    CU_ASSERT_EQUAL(fp.mode, FT_FLATTEN_DIVIDE);
  }
  described[0] = '\0';
  ft_denoise_describe(collect, &lines);
  CU_ASSERT(lines > FT_FILTER_COUNT);
  CU_ASSERT_PTR_NOT_NULL(strstr(described, "mode=WORD      how the background is removed (divide, subtract; default divide)"));
}

/* The one number syntax of option and metadata text. */
static void test_parse_real(void) {
  static const char *const bad[] = {"", " 1", "\t2", "x", "1e999", "1e-999", "nan", "inf",
                                    "-inf", "+", "."};
  double v = -7;
  const char *rest = NULL;
  size_t i;
  CU_ASSERT_EQUAL(ft__parse_real("0.45%", &v, &rest), 0);
  CU_ASSERT_DOUBLE_EQUAL(v, 0.45, 1e-15);
  CU_ASSERT_STRING_EQUAL(rest, "%");
  CU_ASSERT_EQUAL(ft__parse_real("-3e2", &v, &rest), 0);
  CU_ASSERT_DOUBLE_EQUAL(v, -300, 1e-12);
  CU_ASSERT_STRING_EQUAL(rest, "");
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    v = -7;
    CU_ASSERT_EQUAL(ft__parse_real(bad[i], &v, &rest), -1);
    CU_ASSERT_EQUAL(v, -7); /* unchanged */
  }
  CU_ASSERT_EQUAL(ft__parse_real(NULL, &v, &rest), -1);
  CU_ASSERT_EQUAL(ft__parse_real_in("12", 0, 100, &v), 0);
  CU_ASSERT_EQUAL(v, 12);
  CU_ASSERT_EQUAL(ft__parse_real_in("100", 0, 100, &v), 0);
  CU_ASSERT_EQUAL(ft__parse_real_in("100.5", 0, 100, &v), -1);
  CU_ASSERT_EQUAL(ft__parse_real_in("12 ", 0, 100, &v), -1);
  CU_ASSERT_EQUAL(ft__parse_real_in("12px", 0, 100, &v), -1);
  CU_ASSERT_EQUAL(ft__parse_real_in(" 12", 0, 100, &v), -1);
  CU_ASSERT_EQUAL(v, 100);
}

int main(void) {
  static const ft_test_case cases[] = {{"defaults and checks", test_defaults},
                                       {"numbers", test_parse_real},
                                       {"valid chains", test_valid_chains},
                                       {"errors", test_errors},
                                       {"describe", test_describe},
                                       {"denoise chain", test_denoise_chain},
                                       {NULL, NULL}};
  int rc;
  ctx = ft_ctx_new();
  rc = ft_test_main("spec", cases);
  ft_ctx_free(ctx);
  return rc;
}
