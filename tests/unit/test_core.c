/* tests/unit/test_core.c - the value types, context and document builders. */
#include "config.h"

#include <math.h>

#include "core/internal.h"
#include "testutil.h"

static int cancel_after;
static int progress_calls;
static double last_fraction;

static int progress_cb(void *user, double f) {
  (void)user;
  progress_calls++;
  CU_ASSERT(f >= last_fraction - 1e-12);
  last_fraction = f;
  return progress_calls > cancel_after;
}

static void test_status_text(void) {
  CU_ASSERT_STRING_EQUAL(ft_status_str(FT_OK), "success");
  CU_ASSERT_STRING_EQUAL(ft_status_str(FT_ERR_FORMAT), "corrupt or truncated data");
  CU_ASSERT_STRING_EQUAL(ft_status_str((ft_status)999), "unknown status");
  CU_ASSERT_PTR_NOT_NULL(ft_version());
}

static void test_ctx_error(void) {
  ft_ctx *ctx = ft_ctx_new();
  CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "");
  CU_ASSERT_EQUAL(ft__fail(ctx, FT_ERR_INVAL, "kmeans: k=%d out of range 2..64", 1), FT_ERR_INVAL);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "kmeans: k=1 out of range 2..64");
  ft_ctx_clear_error(ctx);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "");
  /* a NULL context is accepted and the detail dropped */
  CU_ASSERT_EQUAL(ft__fail(NULL, FT_ERR_IO, "x"), FT_ERR_IO);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(NULL), "");
  ft_ctx_set_threads(ctx, 3);
  CU_ASSERT_EQUAL(ft_ctx_threads(ctx), 3);
  ft_ctx_set_threads(ctx, 0);
  CU_ASSERT(ft_ctx_threads(ctx) >= 1);
  ft_ctx_free(ctx);
  ft_ctx_free(NULL);
}

static void test_progress_slices_and_cancel(void) {
  ft_ctx *ctx = ft_ctx_new();
  int i;
  ft_status st = FT_OK;
  cancel_after = 1000;
  progress_calls = 0;
  last_fraction = 0.0;
  ft_ctx_set_progress(ctx, progress_cb, NULL);
  ft__progress_slice(ctx, 0.5, 0.75);
  for (i = 0; i <= 1000 && !st; i++) st = ft__progress(ctx, i / 1000.0);
  CU_ASSERT_EQUAL(st, FT_OK);
  /* throttled to about one call per 1% of the whole run, ending exactly at the slice end */
  CU_ASSERT(progress_calls >= 20 && progress_calls <= 30);
  CU_ASSERT_DOUBLE_EQUAL(last_fraction, 0.75, 1e-12);
  cancel_after = progress_calls + 2;
  ft__progress_slice(ctx, 0.75, 1.0);
  for (i = 0; i <= 1000 && !st; i++) st = ft__progress(ctx, i / 1000.0);
  CU_ASSERT_EQUAL(st, FT_ERR_CANCELLED);
  CU_ASSERT(i < 1000);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), "cancelled");
  ft_ctx_free(ctx);
}

static void test_image_new_and_limits(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *img = (ft_image *)1;
  CU_ASSERT_EQUAL(ft_image_new(ctx, 0, 5, 1, &img), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(img);
  CU_ASSERT_EQUAL(ft_image_new(ctx, 5, 5, 5, &img), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_image_new(ctx, FT_MAX_DIMENSION + 1, 1, 1, &img), FT_ERR_TOOBIG);
  CU_ASSERT_EQUAL(ft_image_new(ctx, 3, 2, 4, &img), FT_OK);
  CU_ASSERT_PTR_NOT_NULL_FATAL(img);
  CU_ASSERT_EQUAL(img->width, 3);
  CU_ASSERT_EQUAL(img->channels, 4);
  CU_ASSERT_EQUAL(img->data[3 * 2 * 4 - 1], 0.0f);
  ft_image_free(img);
  ft_image_free(NULL);
  ft_ctx_free(ctx);
}

static void test_gray_conversion(void) {
  ft_image *rgba, *g, *copy;
  CU_ASSERT_EQUAL_FATAL(ft_image_new(NULL, 3, 1, 4, &rgba), FT_OK);
  /* opaque red, transparent black, half-transparent black */
  rgba->data[0] = 1.0f; rgba->data[3] = 1.0f;
  rgba->data[4 + 3] = 0.0f;
  rgba->data[8 + 3] = 0.5f;
  rgba->pixel_w = rgba->pixel_h = 0.25;
  CU_ASSERT_EQUAL(ft_image_set_name(NULL, rgba, "a.png"), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_image_to_gray(NULL, rgba, &g), FT_OK);
  CU_ASSERT_EQUAL(g->channels, 1);
  CU_ASSERT_DOUBLE_EQUAL(g->data[0], 0.2126, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(g->data[1], 1.0, 1e-6); /* transparent reads as white */
  CU_ASSERT_DOUBLE_EQUAL(g->data[2], 0.5, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(g->pixel_w, 0.25, 0);
  CU_ASSERT_STRING_EQUAL(g->name, "a.png");
  CU_ASSERT_EQUAL_FATAL(ft_image_copy(NULL, g, &copy), FT_OK);
  CU_ASSERT_EQUAL(memcmp(copy->data, g->data, 3 * sizeof(float)), 0);
  CU_ASSERT_STRING_EQUAL(copy->name, "a.png");
  ft_image_free(copy);
  ft_image_free(g);
  ft_image_free(rgba);
}

static void test_labels(void) {
  ft_labels *lab;
  CU_ASSERT_EQUAL_FATAL(ft_labels_new(NULL, 4, 3, 3, &lab), FT_OK);
  CU_ASSERT_EQUAL(lab->info[0].area, 12);
  lab->label[0] = 1;
  lab->label[5] = 2;
  lab->label[6] = 2;
  ft_labels_count(lab);
  CU_ASSERT_EQUAL(lab->info[0].area, 9);
  CU_ASSERT_EQUAL(lab->info[1].area, 1);
  CU_ASSERT_EQUAL(lab->info[2].area, 2);
  ft_labels_free(lab);
  CU_ASSERT_EQUAL(ft_labels_new(NULL, 4, 3, 0, &lab), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(lab);
}

static void test_paths_area_and_copy(void) {
  ft_paths *ps, *copy;
  ft_path *p;
  int k;
  long lines, cubics;
  const double kappa = 0.5522847498307936;
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(NULL, 10, 10, &ps), FT_OK);
  /* clockwise square on screen: area +4 */
  CU_ASSERT_EQUAL(ft_paths_add(NULL, ps, 1, 1, &k), FT_OK);
  p = &ps->path[k];
  p->closed = 1;
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 3, 1), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 3, 3), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 1, 3), FT_OK);
  CU_ASSERT_EQUAL(ft_path_line_to(NULL, p, 1, 1), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(p), 4.0, 1e-12);
  /* a circle of radius 2 from four cubics, counter-clockwise: about -4 pi */
  CU_ASSERT_EQUAL(ft_paths_add(NULL, ps, 7, 5, &k), FT_OK);
  p = &ps->path[k];
  p->closed = 1;
  p->hole = 1;
  p->parent = 0;
  CU_ASSERT_EQUAL(ft_path_cubic_to(NULL, p, 7, 5 - 2 * kappa, 5 + 2 * kappa, 3, 5, 3), FT_OK);
  CU_ASSERT_EQUAL(ft_path_cubic_to(NULL, p, 5 - 2 * kappa, 3, 3, 5 - 2 * kappa, 3, 5), FT_OK);
  CU_ASSERT_EQUAL(ft_path_cubic_to(NULL, p, 3, 5 + 2 * kappa, 5 - 2 * kappa, 7, 5, 7), FT_OK);
  CU_ASSERT_EQUAL(ft_path_cubic_to(NULL, p, 5 + 2 * kappa, 7, 7, 5 + 2 * kappa, 7, 5), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(p), -4.0 * M_PI, 4.0 * M_PI * 3e-4);
  ft_paths_count(ps, &lines, &cubics);
  CU_ASSERT_EQUAL(lines, 4);
  CU_ASSERT_EQUAL(cubics, 4);
  CU_ASSERT_EQUAL_FATAL(ft_paths_copy(NULL, ps, &copy), FT_OK);
  CU_ASSERT_EQUAL(copy->npaths, 2);
  CU_ASSERT_EQUAL(copy->path[1].parent, 0);
  CU_ASSERT_EQUAL(copy->path[1].hole, 1);
  CU_ASSERT_PTR_NOT_EQUAL(copy->path[1].seg, ps->path[1].seg);
  CU_ASSERT_DOUBLE_EQUAL(ft_path_area(&copy->path[1]), ft_path_area(&ps->path[1]), 0);
  ft_paths_free(copy);
  ft_paths_free(ps);
}

static void test_doc_builders(void) {
  ft_doc *doc;
  ft_paths *ps;
  ft_rgba red = {1, 0, 0, 1};
  CU_ASSERT_EQUAL(ft_doc_new(NULL, 0, 10, &doc), FT_ERR_INVAL);
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(NULL, 20, 10, &doc), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(NULL, 20, 10, &ps), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_add_layer(NULL, doc, "ink", "Ink", ps, NULL), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_add_layer(NULL, doc, "empty", NULL, NULL, NULL), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_add_rect(NULL, doc, 1, 2, 3, 4, red, "bar"), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_add_text(NULL, doc, 1, 2, 8, NULL, "10 \xc2\xb5m", 1, red, NULL), FT_OK);
  CU_ASSERT_EQUAL(ft_doc_set_string(NULL, &doc->title, "t & <x>"), FT_OK);
  CU_ASSERT_EQUAL(doc->nlayers, 2);
  CU_ASSERT_STRING_EQUAL(doc->layer[0].id, "ink");
  CU_ASSERT_EQUAL(doc->layer[0].fill.a, 1.0f);
  CU_ASSERT_STRING_EQUAL(doc->text[0].text, "10 \xc2\xb5m");
  CU_ASSERT_STRING_EQUAL(doc->rect[0].id, "bar");
  ft_doc_free(doc);
}

static void test_style_layers(void) {
  ft_paths *ps;
  ft_doc *doc;
  ft_label_info info[3];
  ft_style_params sp;
  int k;
  memset(info, 0, sizeof info);
  info[1].class_id = FT_CLASS_INK;
  info[2].class_id = FT_CLASS_NUCLEUS;
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(NULL, 96, 48, &ps), FT_OK);
  CU_ASSERT_EQUAL(ft_paths_set_info(NULL, ps, info, 3), FT_OK);
  CU_ASSERT_EQUAL(ft_paths_add(NULL, ps, 0, 0, &k), FT_OK);
  ps->path[k].label = 2; ps->path[k].class_id = FT_CLASS_NUCLEUS;
  CU_ASSERT_EQUAL(ft_paths_add(NULL, ps, 0, 0, &k), FT_OK);
  ps->path[k].label = 1; ps->path[k].class_id = FT_CLASS_INK;
  CU_ASSERT_EQUAL(ft_paths_add(NULL, ps, 1, 1, &k), FT_OK);
  ps->path[k].label = 1; ps->path[k].class_id = FT_CLASS_INK;
  ps->path[k].hole = 1; ps->path[k].parent = 1;
  ft_style_params_init(&sp);
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &sp, &doc), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(doc->width_mm, 25.4, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(doc->height_mm, 12.7, 1e-9);
  CU_ASSERT_EQUAL_FATAL(doc->nlayers, 2);
  CU_ASSERT_STRING_EQUAL(doc->layer[0].id, "ink");
  CU_ASSERT_EQUAL(doc->layer[0].paths->npaths, 2);
  CU_ASSERT_EQUAL(doc->layer[0].paths->path[1].parent, 0); /* remapped */
  CU_ASSERT_STRING_EQUAL(doc->layer[1].id, "nuclei");
  CU_ASSERT_STRING_EQUAL(doc->layer[1].item_prefix, "nucleus");
  ft_doc_free(doc);
  sp.width_mm = 89.0;
  CU_ASSERT_EQUAL_FATAL(ft_style(NULL, ps, &sp, &doc), FT_OK);
  CU_ASSERT_DOUBLE_EQUAL(doc->height_mm, 44.5, 1e-9);
  ft_doc_free(doc);
  ft_paths_free(ps);
}

/* Compact images: construction, exact values, copies and gray rows. */
static void test_image_compact(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *u = NULL, *f = NULL, *c = NULL, *gu = NULL, *gf = NULL;
  size_t i, n;
  int v;
  CU_ASSERT_EQUAL(ft_image_new_u8(ctx, 0, 3, 1, &u), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(u);
  CU_ASSERT_EQUAL(ft_image_new_u8(ctx, 3, 3, 5, &u), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_image_new_u8(ctx, (1 << 24) + 1, 2, 4, &u), FT_ERR_TOOBIG);
  /* 16 x 16 RGBA: every byte value appears in every channel */
  CU_ASSERT_EQUAL_FATAL(ft_image_new_u8(ctx, 16, 16, 4, &u), FT_OK);
  CU_ASSERT_EQUAL(u->storage, FT_STORAGE_U8);
  CU_ASSERT_PTR_NULL(u->data);
  CU_ASSERT_PTR_NOT_NULL_FATAL(u->data8);
  CU_ASSERT_EQUAL(u->data8[0], 0);
  n = 16 * 16 * 4;
  for (i = 0; i < n; i++) u->data8[i] = (uint8_t)((i * 7 + i / 4) & 255);
  u->bit_depth = 4;
  u->pixel_w = 0.5;
  CU_ASSERT_EQUAL(ft_image_set_name(ctx, u, "u8"), FT_OK);
  for (v = 0; v < 256; v++) CU_ASSERT(ft__u8_float[v] == (float)v / 255.0f);
  CU_ASSERT(ft__u8_float[255] == 1.0f && ft__u8_float[0] == 0.0f);

  CU_ASSERT_EQUAL_FATAL(ft_image_to_float(ctx, u, &f), FT_OK);
  CU_ASSERT_EQUAL(f->storage, FT_STORAGE_FLOAT);
  CU_ASSERT_PTR_NULL(f->data8);
  CU_ASSERT_EQUAL(f->bit_depth, 4);
  CU_ASSERT_EQUAL(f->pixel_w, 0.5);
  CU_ASSERT_STRING_EQUAL(f->name, "u8");
  for (i = 0; i < n; i++) {
    CU_ASSERT(f->data[i] == (float)u->data8[i] / 255.0f);
    CU_ASSERT(ft_image_sample(u, i) == f->data[i]);
    CU_ASSERT(ft_image_sample(f, i) == f->data[i]);
  }

  /* a copy keeps the storage */
  CU_ASSERT_EQUAL_FATAL(ft_image_copy(ctx, u, &c), FT_OK);
  CU_ASSERT_EQUAL(c->storage, FT_STORAGE_U8);
  CU_ASSERT_PTR_NULL(c->data);
  CU_ASSERT(memcmp(c->data8, u->data8, n) == 0);
  CU_ASSERT_STRING_EQUAL(c->name, "u8");

  /* gray of the compact image == gray of its float copy, bit for bit */
  CU_ASSERT_EQUAL_FATAL(ft_image_to_gray(ctx, u, &gu), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_image_to_gray(ctx, f, &gf), FT_OK);
  CU_ASSERT_EQUAL(gu->storage, FT_STORAGE_FLOAT);
  CU_ASSERT(memcmp(gu->data, gf->data, 16 * 16 * sizeof(float)) == 0);
  {
    float row[16];
    ft__image_gray_row(u, 5, row);
    CU_ASSERT(memcmp(row, gf->data + 5 * 16, sizeof row) == 0);
  }

  /* ft__image_float: nothing for float input, a copy for compact input */
  {
    ft_image *tmp = (ft_image *)1;
    CU_ASSERT_EQUAL(ft__image_float(ctx, f, &tmp), FT_OK);
    CU_ASSERT_PTR_NULL(tmp);
    CU_ASSERT_EQUAL(ft__image_float(ctx, u, &tmp), FT_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
    CU_ASSERT(memcmp(tmp->data, f->data, n * sizeof(float)) == 0);
    ft_image_free(tmp);
  }
  ft_image_free(u);
  ft_image_free(f);
  ft_image_free(c);
  ft_image_free(gu);
  ft_image_free(gf);
  ft_ctx_free(ctx);
}

/* Compact label maps: get, count, widen, limits. */
static void test_labels_compact(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_labels *lab = NULL;
  size_t i;
  CU_ASSERT_EQUAL(ft_labels_new_compact(ctx, 4, 4, 257, &lab), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(lab);
  CU_ASSERT_EQUAL(ft_labels_new_compact(ctx, 4, 0, 2, &lab), FT_ERR_INVAL);
  CU_ASSERT_EQUAL_FATAL(ft_labels_new_compact(ctx, 7, 5, 256, &lab), FT_OK);
  CU_ASSERT_PTR_NULL(lab->label);
  CU_ASSERT_PTR_NOT_NULL_FATAL(lab->label8);
  CU_ASSERT_EQUAL(lab->info[0].area, 35);
  for (i = 0; i < 35; i++) lab->label8[i] = (uint8_t)(i % 3 == 0 ? 255 : i % 3);
  ft_labels_count(lab);
  CU_ASSERT_EQUAL(lab->info[0].area, 0);
  CU_ASSERT_EQUAL(lab->info[1].area, 12);
  CU_ASSERT_EQUAL(lab->info[2].area, 11);
  CU_ASSERT_EQUAL(lab->info[255].area, 12);
  CU_ASSERT_EQUAL(ft_labels_get(lab, 3), 255);
  CU_ASSERT_EQUAL(ft_labels_get(lab, 4), 1);
  CU_ASSERT_EQUAL(ft_labels_widen(ctx, lab), FT_OK);
  CU_ASSERT_PTR_NULL(lab->label8);
  CU_ASSERT_PTR_NOT_NULL_FATAL(lab->label);
  for (i = 0; i < 35; i++) CU_ASSERT_EQUAL(lab->label[i], i % 3 == 0 ? 255 : (int32_t)(i % 3));
  CU_ASSERT_EQUAL(ft_labels_get(lab, 3), 255);
  CU_ASSERT_EQUAL(ft_labels_widen(ctx, lab), FT_OK); /* already wide: unchanged */
  CU_ASSERT_EQUAL(lab->label[3], 255);
  ft_labels_count(lab);
  CU_ASSERT_EQUAL(lab->info[255].area, 12);
  ft_labels_free(lab);
  ft_ctx_free(ctx);
}

/* Functions that need float samples refuse a compact image cleanly; the
 * denoise entry points that convert give the float image's result. */
static void test_compact_refused_or_converted(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *u = NULL, *f = NULL, *r = NULL, *rf = NULL;
  ft_labels *lab = NULL;
  ft_denoise_filter flt;
  ft_denoise_chain chain;
  size_t i;
  CU_ASSERT_EQUAL_FATAL(ft_image_new_u8(ctx, 20, 10, 1, &u), FT_OK);
  for (i = 0; i < 200; i++) u->data8[i] = (uint8_t)(i * 37 % 256);
  CU_ASSERT_EQUAL_FATAL(ft_image_to_float(ctx, u, &f), FT_OK);
  CU_ASSERT_EQUAL(ft_median(ctx, u, NULL, &r), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(r);
  CU_ASSERT(strstr(ft_ctx_errmsg(ctx), "ft_image_to_float") != NULL);
  CU_ASSERT_EQUAL(ft_normalize(ctx, u, NULL, &r), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(r);
  CU_ASSERT_EQUAL(ft_segment_kmeans(ctx, u, NULL, &lab), FT_ERR_INVAL);
  CU_ASSERT_PTR_NULL(lab);
  CU_ASSERT_EQUAL(ft_estimate_object_diameter(u), 0.0);
  /* ft_denoise_filter_apply and ft_denoise filter the float copy */
  memset(&flt, 0, sizeof flt);
  flt.kind = FT_FILTER_MEDIAN;
  ft_median_params_init(&flt.u.median);
  CU_ASSERT_EQUAL_FATAL(ft_denoise_filter_apply(ctx, u, &flt, &r), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_denoise_filter_apply(ctx, f, &flt, &rf), FT_OK);
  CU_ASSERT_EQUAL(r->storage, FT_STORAGE_FLOAT);
  CU_ASSERT(memcmp(r->data, rf->data, 200 * sizeof(float)) == 0);
  ft_image_free(r);
  r = NULL;
  chain.n = 1;
  chain.filters = &flt;
  CU_ASSERT_EQUAL_FATAL(ft_denoise(ctx, u, &chain, &r), FT_OK);
  CU_ASSERT(memcmp(r->data, rf->data, 200 * sizeof(float)) == 0);
  ft_image_free(r);
  /* an empty chain copies, keeping the storage */
  chain.n = 0;
  CU_ASSERT_EQUAL_FATAL(ft_denoise(ctx, u, &chain, &r), FT_OK);
  CU_ASSERT_EQUAL(r->storage, FT_STORAGE_U8);
  CU_ASSERT(memcmp(r->data8, u->data8, 200) == 0);
  ft_image_free(r);
  ft_image_free(rf);
  ft_image_free(u);
  ft_image_free(f);
  ft_ctx_free(ctx);
}

/* ft__edt against brute force on a seeded random mask: exact Euclidean
 * distance to the nearest 0 pixel, pixels beyond the image not counting. */
static void test_edt(void) {
  enum { W = 37, H = 23 };
  uint8_t in[W * H];
  float d[W * H];
  unsigned seed = 12345;
  int x, y, u, v, all_in = 1;
  for (x = 0; x < W * H; x++) {
    seed = seed * 1103515245u + 12345u;
    in[x] = ((seed >> 16) % 100) < 93;
  }
  CU_ASSERT_FATAL(ft__edt(NULL, in, W, H, d) == FT_OK);
  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++) {
      double best = 1e30;
      for (v = 0; v < H; v++)
        for (u = 0; u < W; u++)
          if (!in[v * W + u]) {
            double dd = (double)(u - x) * (u - x) + (double)(v - y) * (v - y);
            if (dd < best) best = dd;
          }
      CU_ASSERT_DOUBLE_EQUAL(d[y * W + x], sqrt(best), 1e-4);
    }
  /* all inside: every distance very large */
  for (x = 0; x < W * H; x++) in[x] = 1;
  CU_ASSERT_FATAL(ft__edt(NULL, in, W, H, d) == FT_OK);
  for (x = 0; x < W * H; x++) all_in &= d[x] > 1e6f;
  CU_ASSERT(all_in);
}

int main(void) {
  static const ft_test_case cases[] = {
      {"status text", test_status_text},
      {"context error detail", test_ctx_error},
      {"progress slices and cancel", test_progress_slices_and_cancel},
      {"image new and limits", test_image_new_and_limits},
      {"gray conversion", test_gray_conversion},
      {"labels", test_labels},
      {"compact images", test_image_compact},
      {"compact label maps", test_labels_compact},
      {"compact images: refused or converted", test_compact_refused_or_converted},
      {"paths area and copy", test_paths_area_and_copy},
      {"doc builders", test_doc_builders},
      {"style layers", test_style_layers},
      {"Euclidean distance transform", test_edt},
      {NULL, NULL},
  };
  return ft_test_main("core", cases);
}
