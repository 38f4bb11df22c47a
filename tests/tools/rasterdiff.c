/* tests/tools/rasterdiff.c - how well a rendered SVG covers the input's ink.
 *
 *   rasterdiff [--threshold V] [--invert] [--page N] [--min-iou X]
 *              [--diff OUT.ppm] [--reference] INPUT RENDERING
 *
 * The end-to-end tests convert INPUT with figtrace, render the SVG with
 * rsvg-convert at the input's size, and run this tool on the pair.  It
 * thresholds INPUT with ft_segment() and the same options figtrace got (the
 * value parsers are figtrace's own, src/cli/options.c), so its ink mask is
 * exactly the one the program traced.  RENDERING is composited onto white
 * and a pixel counts as ink when the drawing covers at least half of it
 * (luminance <= 0.5 for the black ink the default style uses).  The score is
 * the intersection over union of the two masks (1 when both are empty);
 * this is the raster comparison potrace's test suite makes with pgmdiff,
 * reduced to one number.
 *
 * With --reference, INPUT is instead a clean drawing of the expected ink
 * (e.g. samples/pencil-clean.png for the photographed samples/pencil.jpg):
 * its ink is taken the same way as the rendering's, luminance <= 0.5.
 *
 * Prints one line "IoU 0.999812 ..." on standard output.  Exit status 0
 * when IoU >= --min-iou (default 0.999), 1 below it, 2 for usage errors,
 * unreadable images or sizes that differ.  --diff writes a PPM of the two
 * masks: black both, red input only, blue rendering only, white neither.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figtrace.h"
#include "cli/options.h"

static int usage(void) {
  fputs("usage: rasterdiff [--threshold V] [--invert] [--page N] [--min-iou X]\n"
        "                  [--diff OUT.ppm] [--reference] INPUT RENDERING\n",
        stderr);
  return 2;
}

static int fail(ft_ctx *ctx, const char *what, ft_status st) {
  const char *msg = ft_ctx_errmsg(ctx);
  fprintf(stderr, "rasterdiff: %s: %s\n", what, msg && *msg ? msg : ft_status_str(st));
  return 2;
}

/* Write the comparison as a binary PPM; returns 0 on success. */
static int write_diff(const char *path, const unsigned char *a, const unsigned char *b, int w,
                      int h) {
  FILE *fp = fopen(path, "wb");
  size_t i, n = (size_t)w * (size_t)h;
  int ok;
  if (!fp) return -1;
  fprintf(fp, "P6\n%d %d\n255\n", w, h);
  for (i = 0; i < n; i++) {
    unsigned char px[3];
    if (a[i] && b[i])
      px[0] = px[1] = px[2] = 0;
    else if (a[i]) {
      px[0] = 255;
      px[1] = px[2] = 0;
    } else if (b[i]) {
      px[0] = px[1] = 0;
      px[2] = 255;
    } else
      px[0] = px[1] = px[2] = 255;
    fwrite(px, 1, 3, fp);
  }
  ok = !ferror(fp);
  return fclose(fp) == 0 && ok ? 0 : -1;
}

int main(int argc, char **argv) {
  enum { OPT_THRESHOLD = 256, OPT_INVERT, OPT_PAGE, OPT_MIN_IOU, OPT_DIFF, OPT_REFERENCE };
  static const struct option longopts[] = {
      {"threshold", required_argument, NULL, OPT_THRESHOLD},
      {"invert", no_argument, NULL, OPT_INVERT},
      {"page", required_argument, NULL, OPT_PAGE},
      {"min-iou", required_argument, NULL, OPT_MIN_IOU},
      {"diff", required_argument, NULL, OPT_DIFF},
      {"reference", no_argument, NULL, OPT_REFERENCE},
      {NULL, 0, NULL, 0},
  };
  ft_options opt;
  ft_segment_params bound;
  const char *diff_path = NULL;
  double min_iou = 0.999, iou;
  ft_ctx *ctx = NULL;
  ft_image *in = NULL, *ren = NULL, *gray = NULL;
  ft_labels *lab = NULL;
  unsigned char *ma = NULL, *mb = NULL;
  long page;
  uint64_t inter = 0, uni = 0, na = 0, nb = 0;
  size_t i, n;
  ft_status st;
  int ch, status = 2, reference = 0;

  ft_options_init(&opt);
  while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (ch) {
      case OPT_THRESHOLD:
        if (cli_parse_threshold(optarg, &opt.segment)) return usage();
        break;
      case OPT_INVERT:
        opt.segment.invert = 1;
        break;
      case OPT_PAGE:
        if (cli_parse_long(optarg, 0, 1 << 30, &page)) return usage();
        opt.read.page = (int)page;
        break;
      case OPT_MIN_IOU:
        /* The threshold parser doubles as a checker for a number in [0,1]. */
        ft_segment_params_init(&bound);
        if (cli_parse_threshold(optarg, &bound) || bound.method != FT_THRESH_VALUE)
          return usage();
        min_iou = bound.value;
        break;
      case OPT_DIFF:
        diff_path = optarg;
        break;
      case OPT_REFERENCE:
        reference = 1;
        break;
      default:
        return usage();
    }
  }
  if (argc - optind != 2) return usage();

  if (!(ctx = ft_ctx_new())) return fail(NULL, "context", FT_ERR_NOMEM);
  if ((st = ft_read_file(ctx, argv[optind], &opt.read, &in))) {
    status = fail(ctx, argv[optind], st);
    goto done;
  }
  if (reference) {
    /* the clean drawing's ink, as a two-label map */
    ft_image *g = NULL;
    if ((st = ft_image_to_gray(ctx, in, &g)) ||
        (st = ft_labels_new(ctx, in->width, in->height, 2, &lab))) {
      ft_image_free(g);
      status = fail(ctx, argv[optind], st);
      goto done;
    }
    for (i = 0; i < (size_t)in->width * (size_t)in->height; i++) lab->label[i] = g->data[i] <= 0.5f;
    ft_image_free(g);
  } else if ((st = ft_segment(ctx, in, &opt.segment, &lab))) {
    status = fail(ctx, argv[optind], st);
    goto done;
  }
  if ((st = ft_read_file(ctx, argv[optind + 1], NULL, &ren)) ||
      (st = ft_image_to_gray(ctx, ren, &gray))) {
    status = fail(ctx, argv[optind + 1], st);
    goto done;
  }
  if (gray->width != lab->width || gray->height != lab->height) {
    fprintf(stderr, "rasterdiff: sizes differ: %s is %dx%d, %s is %dx%d\n", argv[optind],
            lab->width, lab->height, argv[optind + 1], gray->width, gray->height);
    goto done;
  }

  n = (size_t)lab->width * (size_t)lab->height;
  ma = malloc(n);
  mb = malloc(n);
  if (!ma || !mb) {
    fputs("rasterdiff: out of memory\n", stderr);
    goto done;
  }
  for (i = 0; i < n; i++) {
    ma[i] = ft_labels_get(lab, i) > 0;
    mb[i] = gray->data[i] <= 0.5f;
    na += ma[i];
    nb += mb[i];
    inter += ma[i] & mb[i];
    uni += ma[i] | mb[i];
  }
  iou = uni ? (double)inter / (double)uni : 1.0;
  printf("IoU %.6f (intersection %llu, union %llu; input ink %llu, rendered ink %llu, %dx%d) %s\n",
         iou, (unsigned long long)inter, (unsigned long long)uni, (unsigned long long)na,
         (unsigned long long)nb, lab->width, lab->height, argv[optind]);
  if (diff_path && write_diff(diff_path, ma, mb, lab->width, lab->height) != 0)
    fprintf(stderr, "rasterdiff: %s: cannot write the difference image\n", diff_path);
  status = iou >= min_iou ? 0 : 1;
  if (status)
    fprintf(stderr, "rasterdiff: %s: IoU %.6f is below %.6f\n", argv[optind], iou, min_iou);

done:
  free(ma);
  free(mb);
  ft_labels_free(lab);
  ft_image_free(gray);
  ft_image_free(ren);
  ft_image_free(in);
  ft_ctx_free(ctx);
  return status;
}
