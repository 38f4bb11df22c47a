/* figtrace/presets.h - named option sets (-p/--preset) and setting options by name.
 *
 * A preset is a named table of settings, each a key and a value in the
 * words the command line uses ("threshold" = "sauvola:w=31,k=0.2").  Applying
 * a preset runs every setting through ft_options_set(), the same setter the
 * command-line tool uses for its own options, so a preset says nothing the
 * user could not say, and applying the preset first and the user's options
 * after lets any of them be overridden one by one.
 */
#ifndef FIGTRACE_PRESETS_H
#define FIGTRACE_PRESETS_H

#include "figtrace/common.h"
#include "figtrace/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One option as key and value. */
typedef struct ft_setting {
  const char *key;   /* an ft_options_set() key, e.g. "denoise" */
  const char *value; /* its value, e.g. "flatten:r=40,median:r=1" ("" for an empty chain) */
} ft_setting;

/* A preset may prefer a model: when ft_model_find() resolves its name, its
 * model_settings are applied after its settings (the model chain);
 * otherwise the settings alone are the preset (the classical chain).  The
 * choice is a file lookup, made once when the preset is applied; the model
 * is loaded later by the pipeline, which fails the conversion with the
 * loader's message if the file found is damaged. */
typedef struct ft_preset {
  const char *name;            /* "lineart", "sketch", "color" */
  const char *help;            /* one line: what the preset is for */
  const ft_setting *settings;  /* [nsettings] applied in order */
  int nsettings;
  const char *model;                /* model name the preset prefers, or NULL */
  const ft_setting *model_settings; /* [nmodel_settings] applied after settings
                                       when the model chain is chosen */
  int nmodel_settings;
} ft_preset;

/* The presets, in the order --list-presets shows them; the first is the
 * default of the command-line tool.  *n gets their number.  Static storage. */
FT_API const ft_preset *ft_presets(int *n);

/* The preset called name (case ignored), or NULL. */
FT_API const ft_preset *ft_preset_find(const char *name);

/* Apply the preset called name to opt (its settings, in order, through
 * ft_options_set; for a preset with a model, then its model_settings when
 * the model is found, see ft_preset_apply_with).  FT_ERR_INVAL for an
 * unknown name, with a message listing the known ones; opt is unchanged
 * on failure. */
FT_API FT_USERESULT ft_status ft_preset_apply(ft_ctx *ctx, const char *name, ft_options *opt);

/* Which chain of a preset with a model ft_preset_apply_with applies. */
typedef enum ft_preset_chain {
  FT_PRESET_CHAIN_AUTO = 0,      /* the model chain when ft_model_find finds the
                                    model, else the classical one (ft_preset_apply);
                                    the choice is logged at FT_LOG_INFO */
  FT_PRESET_CHAIN_CLASSICAL = 1, /* the settings alone */
  FT_PRESET_CHAIN_MODEL = 2      /* settings and model_settings, found or not (a
                                    missing model then fails the conversion with
                                    the lookup's message) */
} ft_preset_chain;

/* ft_preset_apply with the chain chosen by chain (an ft_preset_chain; it
 * does not matter for presets without a model).  *used (may be NULL) gets
 * the chain applied: FT_PRESET_CHAIN_MODEL or FT_PRESET_CHAIN_CLASSICAL
 * (also for presets without a model).  The command-line tool asks for the
 * classical chain when the user sets the classical chain's own options
 * (--segment=threshold, --threshold, --denoise, --colors, --invert) and for
 * the model chain with --segment=unet..., so those options act on the chain
 * they belong to.  FT_ERR_INVAL for an unknown name or chain value; opt is
 * then unchanged. */
FT_API FT_USERESULT ft_status ft_preset_apply_with(ft_ctx *ctx, const char *name, int chain,
                                                   ft_options *opt, int *used);

/* Set one option by its command-line name:
 *   segment    threshold, or unet[:MODEL][,KEY=VALUE...] (ft_options_set_segment)
 *   denoise    a denoise chain spec, "" for none (ft_options_set_denoise)
 *   threshold  a number, a percentage or a method spec (ft_segment_params_parse)
 *   invert     yes/no (also 1/0, true/false, on/off)
 *   colors     0 for a threshold, 2..64 to quantise into that many colours
 *   min-area   0 or more pixels: ft_segment_params.min_area (rounded up) and
 *              ft_fit_params.min_area
 *   border-wedges  drop or keep: ft_options.border_wedges (ft_drop_border_wedges)
 *   palette    okabe-ito, grayscale or source (ft_style_params.palette)
 *   trace      outline, centerline or auto (ft_trace_params.mode)
 *   fit        curves, polygon or none (ft_fit_params.mode)
 *   tolerance  0.05..100 pixels (ft_fit_params.tolerance)
 *   alphamax   0 (every vertex a corner)..4/3 (none) (ft_fit_params.alphamax)
 *   thin       0 (off)..10 (ft_fit_params.thin)
 *   relative   0 (off)..10 (ft_fit_params.relative)
 * Errors are FT_ERR_INVAL with a message naming the key and what is
 * accepted (an unknown key lists the keys); opt is then unchanged. */
FT_API FT_USERESULT ft_status ft_options_set(ft_ctx *ctx, ft_options *opt, const char *key,
                                             const char *value);

/* The keys ft_options_set accepts, comma-separated ("denoise, threshold, ..."). */
FT_API const char *ft_options_keys(void);

#ifdef __cplusplus
}
#endif
#endif
