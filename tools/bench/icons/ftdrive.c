/* tools/bench/icons/ftdrive.c - run threshold -> trace -> fit on a PGM and print SVG.
 *
 * A stand-in for the figtrace program in the icon benchmark: reads a binary
 * 8-bit PGM (P5), thresholds it at 50% (dark ink, as potrace is fed), traces
 * and fits with the library, and writes one SVG path (M/L/C/Z, two
 * decimals, nonzero fill) to stdout.
 *
 *   ftdrive [--tolerance T] [--alphamax A] [--polygon|--no-fit] IN.pgm > OUT.svg
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figtrace.h"

static int read_pgm(const char *path, ft_image **out) {
  FILE *f = fopen(path, "rb");
  int w, h, maxv, c, i;
  unsigned char *buf;
  if (!f) return 1;
  if (fscanf(f, "P5 %d %d %d", &w, &h, &maxv) != 3 || maxv != 255) {
    fclose(f);
    return 1;
  }
  c = fgetc(f);
  (void)c;
  buf = malloc((size_t)w * h);
  if (!buf || fread(buf, 1, (size_t)w * h, f) != (size_t)w * h || ft_image_new(NULL, w, h, 1, out)) {
    free(buf);
    fclose(f);
    return 1;
  }
  for (i = 0; i < w * h; i++) (*out)->data[i] = buf[i] / 255.0f;
  free(buf);
  fclose(f);
  return 0;
}

int main(int argc, char **argv) {
  ft_fit_params fp;
  ft_segment_params sp;
  ft_trace_params tp;
  ft_image *img = NULL;
  ft_labels *lab = NULL;
  ft_paths *tr = NULL, *fit = NULL;
  ft_ctx *ctx = ft_ctx_new();
  const char *in = NULL;
  int i, j;
  ft_fit_params_init(&fp);
  ft_segment_params_init(&sp);
  ft_trace_params_init(&tp);
  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--tolerance") && i + 1 < argc)
      fp.tolerance = atof(argv[++i]);
    else if (!strcmp(argv[i], "--alphamax") && i + 1 < argc)
      fp.alphamax = atof(argv[++i]);
    else if (!strcmp(argv[i], "--polygon"))
      fp.mode = FT_FIT_POLYGON;
    else if (!strcmp(argv[i], "--no-fit"))
      fp.mode = FT_FIT_NONE;
    else
      in = argv[i];
  }
  if (!in || read_pgm(in, &img)) {
    fprintf(stderr, "ftdrive: cannot read %s\n", in ? in : "(none)");
    return 1;
  }
  sp.method = FT_THRESH_VALUE;
  sp.value = 0.5;
  sp.polarity = FT_POLARITY_DARK;
  if (ft_segment(ctx, img, &sp, &lab) || ft_trace(ctx, lab, &tp, &tr) ||
      ft_fit(ctx, tr, &fp, &fit)) {
    fprintf(stderr, "ftdrive: %s\n", ft_ctx_errmsg(ctx));
    return 1;
  }
  printf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n"
         "<path fill=\"#000\" d=\"",
         img->width, img->height, img->width, img->height);
  for (i = 0; i < fit->npaths; i++) {
    const ft_path *p = &fit->path[i];
    printf("M%.2f %.2f", p->start.x, p->start.y);
    for (j = 0; j < p->nseg; j++) {
      const ft_seg *s = &p->seg[j];
      if (j == p->nseg - 1 && p->closed && s->type == FT_SEG_LINE) break;
      if (s->type == FT_SEG_CUBIC)
        printf("C%.2f %.2f %.2f %.2f %.2f %.2f", s->c[0].x, s->c[0].y, s->c[1].x, s->c[1].y,
               s->c[2].x, s->c[2].y);
      else
        printf("L%.2f %.2f", s->c[2].x, s->c[2].y);
    }
    if (p->closed) printf("Z");
  }
  printf("\"/>\n</svg>\n");
  ft_paths_free(fit);
  ft_paths_free(tr);
  ft_labels_free(lab);
  ft_image_free(img);
  ft_ctx_free(ctx);
  return 0;
}
