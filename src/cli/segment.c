/* src/cli/segment.c - presets and the segmentation options of the program.
 *
 * The values are parsed and checked by the library (ft_options_set,
 * ft_preset_apply) on a scratch context whose message becomes the usage
 * error, so the program reports exactly what the library accepts.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/segment.h"

static int with_ctx(ft_options *opt, const char *key, const char *value, const char *preset,
                    int classical, char *msg, size_t size) {
  ft_ctx *ctx = ft_ctx_new();
  ft_status st;
  if (!ctx) {
    snprintf(msg, size, "out of memory");
    return -1;
  }
  st = preset ? ft_preset_apply_with(ctx, preset,
                                     classical ? FT_PRESET_MODEL_NO : FT_PRESET_MODEL_AUTO, opt)
              : ft_options_set(ctx, opt, key, value);
  if (st) snprintf(msg, size, "%s", *ft_ctx_errmsg(ctx) ? ft_ctx_errmsg(ctx) : ft_status_str(st));
  ft_ctx_free(ctx);
  return st ? -1 : 0;
}

int cli_set(ft_options *opt, const char *key, const char *value, char *msg, size_t size) {
  return with_ctx(opt, key, value, NULL, 0, msg, size);
}

int cli_preset(ft_options *opt, const char *name, int classical, char *msg, size_t size) {
  return with_ctx(opt, NULL, NULL, name, classical, msg, size);
}

const char *cli_preset_names(void) {
  static char buf[256];
  const ft_preset *p;
  int n, i;
  if (buf[0]) return buf;
  p = ft_presets(&n);
  for (i = 0; i < n; i++) {
    if (i) strncat(buf, ", ", sizeof buf - strlen(buf) - 1);
    strncat(buf, p[i].name, sizeof buf - strlen(buf) - 1);
  }
  return buf;
}

static void print_line(void *user, const char *line) { fprintf(user, "    %s\n", line); }

void cli_list_presets(FILE *fp) {
  const ft_preset *p;
  int n, i, j;
  p = ft_presets(&n);
  fputs("Presets (-p NAME; options given on the command line override them):\n", fp);
  for (i = 0; i < n; i++) {
    fprintf(fp, "  %-8s %s%s\n          ", p[i].name, p[i].help, i == 0 ? " (default)" : "");
    for (j = 0; j < p[i].nsettings; j++)
      fprintf(fp, " --%s=%s", p[i].settings[j].key,
              *p[i].settings[j].value ? p[i].settings[j].value : "''");
    fputc('\n', fp);
    if (p[i].model) {
      fprintf(fp, "           when the model '%s' is found and --segment is not threshold:",
              p[i].model);
      for (j = 0; j < p[i].nmodel_settings; j++)
        fprintf(fp, " --%s=%s", p[i].model_settings[j].key,
                *p[i].model_settings[j].value ? p[i].model_settings[j].value : "''");
      fputc('\n', fp);
    }
  }
  fputs("\nDenoise filters (--denoise=NAME[:KEY=VALUE...][,NAME...]):\n", fp);
  ft_denoise_describe(print_line, fp);
  fputs("\nThreshold methods (--threshold=NAME[:KEY=VALUE...] or a number in 0..1):\n", fp);
  ft_segment_describe(print_line, fp);
}
