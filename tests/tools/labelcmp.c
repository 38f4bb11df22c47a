/* tests/tools/labelcmp.c - does a rendered instance SVG match the label image?
 *
 *   labelcmp [--min-iou X] LABELS RENDERING
 *   labelcmp [--min-iou X] --object N LABELS RENDERING
 *
 * LABELS is the 16-bit label image figtrace --labels wrote (pixel value =
 * object number).  RENDERING is the SVG rendered at the image's size after
 * every <path id="nucleus-N"> was given the fill colour that encodes N:
 * red = N mod 256, green = N div 256, blue = 128 (tests/e2e/microscopy.sh
 * rewrites the SVG so).  A rendered pixel belongs to object N when it is
 * opaque and carries that code; anti-aliased edge pixels carry none.
 *
 * Checks: the set of object numbers is the same in both, and for every
 * object the intersection over union of its two masks is at least X
 * (default 0.95).  Prints "objects N, min IoU V, mean IoU W"; exit 0 when
 * all checks hold, 1 otherwise (each mismatch on stderr), 2 for usage
 * errors, unreadable images or different sizes.
 *
 * With --object N, RENDERING holds object N's path alone (any opaque fill
 * on a transparent background): its mask is the pixels at least half
 * covered (alpha >= 0.5), compared with label N; prints "object N IoU V".
 * This is the check for fitted (curved, anti-aliased) outlines, where
 * neighbouring objects' colours would blend along shared edges.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figtrace.h"

static int load(ft_ctx *ctx, const char *path, ft_image **img) {
  if (ft_read_file(ctx, path, NULL, img) != FT_OK) {
    fprintf(stderr, "labelcmp: %s\n", ft_ctx_errmsg(ctx));
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  ft_ctx *ctx = ft_ctx_new();
  ft_image *lab = NULL, *ren = NULL;
  double min_iou = 0.95, worst = 1.0, sum = 0;
  long *a_area = NULL, *b_area = NULL, *both = NULL;
  size_t i, n;
  int argi = 1, maxl = 65535, objects = 0, bad = 0, l, status = 2, object = 0;
  if (argc > argi + 1 && !strcmp(argv[argi], "--min-iou")) {
    min_iou = atof(argv[argi + 1]);
    argi += 2;
  }
  if (argc > argi + 1 && !strcmp(argv[argi], "--object")) {
    object = atoi(argv[argi + 1]);
    argi += 2;
  }
  if (argc - argi != 2 || !ctx) {
    fputs("usage: labelcmp [--min-iou X] [--object N] LABELS RENDERING\n", stderr);
    goto done;
  }
  if (load(ctx, argv[argi], &lab) || load(ctx, argv[argi + 1], &ren)) goto done;
  if (lab->width != ren->width || lab->height != ren->height || lab->channels != 1) {
    fprintf(stderr, "labelcmp: sizes differ (%dx%d, %dx%d) or labels not gray\n", lab->width,
            lab->height, ren->width, ren->height);
    goto done;
  }
  n = (size_t)lab->width * lab->height;
  if (object > 0) {
    long inter = 0, uni = 0;
    double iou;
    for (i = 0; i < n; i++) {
      int a = (int)lrintf(lab->data[i] * 65535.0f) == object;
      int b = ren->channels == 4 || ren->channels == 2
                  ? ren->data[i * ren->channels + ren->channels - 1] >= 0.5f
                  : ren->data[i * ren->channels] <= 0.5f;
      inter += a && b;
      uni += a || b;
    }
    iou = uni ? (double)inter / uni : 1.0;
    printf("object %d IoU %.4f\n", object, iou);
    status = iou >= min_iou ? 0 : 1;
    goto done;
  }
  a_area = calloc((size_t)maxl + 1, sizeof *a_area);
  b_area = calloc((size_t)maxl + 1, sizeof *b_area);
  both = calloc((size_t)maxl + 1, sizeof *both);
  if (!a_area || !b_area || !both) goto done;
  for (i = 0; i < n; i++) {
    int a = (int)lrintf(lab->data[i] * 65535.0f), b = 0, c = ren->channels;
    const float *px = ren->data + i * c;
    if (c >= 3) {
      int r = (int)lrintf(px[0] * 255), g = (int)lrintf(px[1] * 255),
          bl = (int)lrintf(px[2] * 255);
      float alpha = c == 4 ? px[3] : 1.0f;
      if (alpha >= 0.5f && bl == 128) b = r + 256 * g;
    }
    a_area[a]++;
    b_area[b]++;
    if (a == b) both[a]++;
  }
  for (l = 1; l <= maxl; l++) {
    double iou;
    if (!a_area[l] && !b_area[l]) continue;
    objects++;
    if (!a_area[l] || !b_area[l]) {
      fprintf(stderr, "labelcmp: object %d only in the %s\n", l,
              a_area[l] ? "label image" : "rendering");
      bad++;
      worst = 0;
      continue;
    }
    iou = (double)both[l] / (double)(a_area[l] + b_area[l] - both[l]);
    sum += iou;
    if (iou < worst) worst = iou;
    if (iou < min_iou) {
      fprintf(stderr, "labelcmp: object %d: IoU %.4f below %.4f\n", l, iou, min_iou);
      bad++;
    }
  }
  printf("objects %d, min IoU %.4f, mean IoU %.4f\n", objects, objects ? worst : 1.0,
         objects ? sum / objects : 1.0);
  status = bad ? 1 : 0;
done:
  free(a_area);
  free(b_area);
  free(both);
  ft_image_free(lab);
  ft_image_free(ren);
  ft_ctx_free(ctx);
  return status;
}
