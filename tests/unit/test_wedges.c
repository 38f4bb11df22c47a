/* tests/unit/test_wedges.c - ft_drop_border_wedges: shadow corners at the
 * border dropped, strokes running off the page and everything inside kept. */
#include "config.h"

#include <math.h>

#include "core/internal.h"
#include "testutil.h"

#define W 200
#define H 200

static void put(ft_labels *lab, int x, int y, int v) {
  if (x < 0 || y < 0 || x >= W || y >= H) return;
  if (lab->label)
    lab->label[(size_t)y * W + x] = v;
  else
    lab->label8[(size_t)y * W + x] = (uint8_t)v;
}

/* Ink of label v for every pixel where inside(x, y) holds. */
static void paint(ft_labels *lab, int v, int (*inside)(int, int)) {
  int x, y;
  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      if (inside(x, y)) put(lab, x, y, v);
}

/* shadow corners: a triangle on the left side (contact 21 rows, 13 deep)
   and one in the top-left corner (both sides) */
static int wedge_left(int x, int y) { return y >= 20 && y <= 40 && x <= (y - 20) * 12 / 20; }
static int wedge_corner(int x, int y) { return x + y < 12; }
/* pen lines running off the page: square to the right edge, at 45 degrees
   through the bottom, at 20 degrees to the bottom (ending 60 px in), and
   along the top edge */
static int off_right(int x, int y) { return y >= 60 && y <= 64 && x >= 150; }
static int off_diag(int x, int y) { return y >= 150 && abs((x - 20) - (y - 150)) <= 3; }
static int off_shallow(int x, int y) {
  double c = 199.0 - 0.364 * (x - 100);
  return x >= 100 && x <= 160 && fabs(y - c) <= 2.66;
}
static int along_top(int x, int y) { return y <= 4 && x >= 60 && x <= 140; }
/* a ring mostly off the right edge (radius 42, width 5): two arcs meeting
   inside the page */
static int ring_right(int x, int y) {
  double r = hypot(x - 232.0, y - 130.0);
  return r >= 39.5 && r <= 44.5;
}
/* a drawing inside the page, and a speck-sized triangle inside */
static int inner_bar(int x, int y) { return y >= 100 && y <= 104 && x >= 40 && x <= 120; }
static int inner_tri(int x, int y) { return x >= 60 && y >= 80 && (x - 60) + (y - 80) < 10; }

static size_t count(const ft_labels *lab, int (*inside)(int, int), int v) {
  size_t n = 0;
  int x, y;
  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      if (inside(x, y) && ft_labels_get(lab, (size_t)y * W + x) == v) n++;
  return n;
}

static size_t area(int (*inside)(int, int)) {
  size_t n = 0;
  int x, y;
  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++) n += inside(x, y) != 0;
  return n;
}

static void check_map(int compact) {
  ft_ctx *ctx = ft_ctx_new();
  ft_labels *in = NULL, *out = NULL;
  int (*kept[])(int, int) = {off_right, off_diag, off_shallow, along_top, inner_bar, inner_tri};
  size_t i, nin = 0;
  CU_ASSERT_FATAL(ctx != NULL);
  CU_ASSERT_EQUAL_FATAL(compact ? ft_labels_new_compact(ctx, W, H, 3, &in)
                                : ft_labels_new(ctx, W, H, 3, &in),
                        FT_OK);
  in->info[1].class_id = FT_CLASS_INK;
  in->info[2].class_id = FT_CLASS_INK;
  paint(in, 1, wedge_left);
  paint(in, 1, wedge_corner);
  for (i = 0; i < sizeof kept / sizeof *kept; i++) paint(in, 1, kept[i]);
  paint(in, 2, ring_right); /* a second label: labels are not merged or renumbered */
  ft_labels_count(in);
  nin = (size_t)in->info[1].area;

  CU_ASSERT_EQUAL_FATAL(ft_drop_border_wedges(ctx, in, &out), FT_OK);
  CU_ASSERT_FATAL(out != NULL);
  CU_ASSERT_EQUAL(out->label == NULL, compact);
  CU_ASSERT_EQUAL(out->nlabels, 3);
  /* the wedges are background now, every pixel of them */
  CU_ASSERT_EQUAL(count(out, wedge_left, 0), area(wedge_left));
  CU_ASSERT_EQUAL(count(out, wedge_corner, 0), area(wedge_corner));
  /* the strokes, the ring and the inner drawing are untouched */
  for (i = 0; i < sizeof kept / sizeof *kept; i++)
    CU_ASSERT_EQUAL(count(out, kept[i], 1), area(kept[i]));
  CU_ASSERT_EQUAL(count(out, ring_right, 2), area(ring_right));
  CU_ASSERT_EQUAL((size_t)out->info[1].area, nin - area(wedge_left) - area(wedge_corner));
  CU_ASSERT_EQUAL(out->info[2].area, in->info[2].area);
  CU_ASSERT_EQUAL(out->info[1].class_id, FT_CLASS_INK);
  /* the input is left as it was */
  CU_ASSERT_EQUAL(count(in, wedge_left, 1), area(wedge_left));
  CU_ASSERT_EQUAL((size_t)in->info[1].area, nin);
  ft_labels_free(out);
  ft_labels_free(in);
  ft_ctx_free(ctx);
}

static void test_compact(void) { check_map(1); }
static void test_int32(void) { check_map(0); }

/* A blank map comes back blank; no map is an error with OUT left NULL. */
static void test_blank_and_errors(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_labels *in = NULL, *out = (ft_labels *)&out;
  size_t i;
  CU_ASSERT_FATAL(ctx != NULL);
  CU_ASSERT_EQUAL(ft_drop_border_wedges(ctx, NULL, &out), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(out);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "wedges: no label map");
  CU_ASSERT_EQUAL_FATAL(ft_labels_new_compact(ctx, W, H, 2, &in), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_drop_border_wedges(ctx, in, &out), FT_OK);
  for (i = 0; i < (size_t)W * H; i++)
    if (out->label8[i]) break;
  CU_ASSERT_EQUAL(i, (size_t)W * H);
  CU_ASSERT_EQUAL(out->info[0].area, (int64_t)W * H);
  ft_labels_free(out);
  ft_labels_free(in);
  ft_ctx_free(ctx);
}

/* The option the sketch preset sets. */
static void test_option(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_options opt;
  CU_ASSERT_FATAL(ctx != NULL);
  ft_options_init(&opt);
  CU_ASSERT_EQUAL(opt.border_wedges, 0);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "border-wedges", "drop"), FT_OK);
  CU_ASSERT_EQUAL(opt.border_wedges, 1);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "border-wedges", "maybe"), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(opt.border_wedges, 1);
  CU_ASSERT_EQUAL(ft_options_set(ctx, &opt, "border-wedges", "keep"), FT_OK);
  CU_ASSERT_EQUAL(opt.border_wedges, 0);
  ft_options_init(&opt);
  CU_ASSERT_EQUAL(ft_preset_apply_with(ctx, "sketch", FT_PRESET_CHAIN_CLASSICAL, &opt, NULL), FT_OK);
  CU_ASSERT_EQUAL(opt.border_wedges, 1);
  ft_options_init(&opt);
  CU_ASSERT_EQUAL(ft_preset_apply(ctx, "lineart", &opt), FT_OK);
  CU_ASSERT_EQUAL(opt.border_wedges, 0);
  ft_ctx_free(ctx);
}

int main(void) {
  static const ft_test_case cases[] = {
      {"wedges dropped, strokes off the page kept (compact map)", test_compact},
      {"the same on an int32 map with two labels", test_int32},
      {"blank map and errors", test_blank_and_errors},
      {"border-wedges option and the sketch preset", test_option},
      {NULL, NULL}};
  return ft_test_main("wedges", cases);
}
