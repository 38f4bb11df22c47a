/* src/cli/segment.c - presets and the segmentation options of the program.
 *
 * The values are parsed and checked by the library (ft_options_set,
 * ft_preset_apply_with) on a scratch context whose message becomes the
 * usage error, so the program reports exactly what the library accepts.
 * The preset's log (which chain a preset with a model took) goes to
 * standard error at -v, as the conversions' logs do.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/segment.h"

static void log_line(void *user, ft_log_level level, const char *msg) {
  (void)user;
  fprintf(stderr, "figtrace: %s%s\n", level == FT_LOG_WARN ? "warning: " : "", msg);
}

int cli_set(ft_options *opt, const char *key, const char *value, char *msg, size_t size) {
  ft_ctx *ctx = ft_ctx_new();
  ft_status st;
  if (!ctx) {
    snprintf(msg, size, "out of memory");
    return -1;
  }
  st = ft_options_set(ctx, opt, key, value);
  if (st) snprintf(msg, size, "%s", *ft_ctx_errmsg(ctx) ? ft_ctx_errmsg(ctx) : ft_status_str(st));
  ft_ctx_free(ctx);
  return st ? -1 : 0;
}

int cli_preset_chain(const char *segment, const char *classical_opt, const char **why) {
  *why = NULL;
  if (segment) {
    if (!strcasecmp(segment, "threshold")) {
      *why = "--segment=threshold";
      return FT_PRESET_CHAIN_CLASSICAL;
    }
    if (!strncasecmp(segment, "unet", 4) && (segment[4] == '\0' || segment[4] == ':' ||
                                              segment[4] == ',')) {
      *why = "--segment=unet";
      return FT_PRESET_CHAIN_MODEL;
    }
    return FT_PRESET_CHAIN_AUTO; /* not a segmenter: the usage error comes later */
  }
  if (classical_opt) {
    *why = classical_opt;
    return FT_PRESET_CHAIN_CLASSICAL;
  }
  return FT_PRESET_CHAIN_AUTO;
}

int cli_preset(ft_options *opt, const char *name, int chain, const char *why, int verbosity,
               char *msg, size_t size) {
  ft_ctx *ctx = ft_ctx_new();
  const ft_preset *p = ft_preset_find(name);
  ft_status st;
  int used = 0;
  if (!ctx) {
    snprintf(msg, size, "out of memory");
    return -1;
  }
  if (verbosity > 0)
    ft_ctx_set_log(ctx, log_line, NULL, verbosity >= 2 ? FT_LOG_DEBUG : FT_LOG_INFO);
  st = ft_preset_apply_with(ctx, name, chain, opt, &used);
  if (st)
    snprintf(msg, size, "%s", *ft_ctx_errmsg(ctx) ? ft_ctx_errmsg(ctx) : ft_status_str(st));
  else if (verbosity > 0 && p && p->model && chain != FT_PRESET_CHAIN_AUTO)
    fprintf(stderr, "figtrace: preset %s: the %s chain, as %s was given\n", p->name,
            used == FT_PRESET_CHAIN_MODEL ? "model" : "classical", why ? why : "asked");
  ft_ctx_free(ctx);
  return st ? -1 : 0;
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
      fprintf(fp, "           when the model '%s' is found and no option picks the chain "
                  "above:\n          ",
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
