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

typedef struct ft_preset {
  const char *name;            /* "lineart", "sketch", "color" */
  const char *help;            /* one line: what the preset is for */
  const ft_setting *settings;  /* [nsettings] applied in order */
  int nsettings;
  const char *model;           /* NULL, or a U-Net the preset prefers ("sketch"): when
                                  ft_model_find finds it, model_settings are applied
                                  after settings; when it does not, settings alone are
                                  the preset (the classical fallback) */
  const ft_setting *model_settings; /* [nmodel_settings], e.g. segment=unet:sketch */
  int nmodel_settings;
} ft_preset;

/* The presets, in the order --list-presets shows them; the first is the
 * default of the command-line tool.  *n gets their number.  Static storage. */
FT_API const ft_preset *ft_presets(int *n);

/* The preset called name (case ignored), or NULL. */
FT_API const ft_preset *ft_preset_find(const char *name);

/* Apply the preset called name to opt (its settings, in order, through
 * ft_options_set).  A preset with a model looks the model up by name
 * (ft_model_find, so $FIGTRACE_MODEL_PATH counts) and, when the file is
 * there, applies its model_settings too; when it is not, the preset is its
 * settings alone and an FT_LOG_INFO message says so.  The model file is
 * only looked up here, not loaded: a damaged file fails the conversion
 * later, with the loader's message.  FT_ERR_INVAL for an unknown name, with
 * a message listing the known ones; opt may then be partly changed only
 * when a setting of the preset itself failed (a bug). */
FT_API FT_USERESULT ft_status ft_preset_apply(ft_ctx *ctx, const char *name, ft_options *opt);

/* Which branch of a preset with a model ft_preset_apply_with applies. */
typedef enum ft_preset_model {
  FT_PRESET_MODEL_AUTO = 0, /* the model's branch when ft_model_find finds it (ft_preset_apply) */
  FT_PRESET_MODEL_NO = 1,   /* the settings alone: the classical chain */
  FT_PRESET_MODEL_YES = 2   /* settings and model_settings, found or not (a missing
                               model then fails the conversion with the lookup's message) */
} ft_preset_model;

/* ft_preset_apply with the branch chosen by model (an ft_preset_model; it
 * does not matter for presets without a model).  The command-line tool
 * uses FT_PRESET_MODEL_NO when the user asks for --segment threshold, so
 * `-p sketch --segment threshold` is the sketch preset's classical chain.
 * FT_ERR_INVAL for an unknown name or model value. */
FT_API FT_USERESULT ft_status ft_preset_apply_with(ft_ctx *ctx, const char *name, int model,
                                                   ft_options *opt);

/* Set one option by its command-line name:
 *   segment    threshold, or unet[:MODEL][,KEY=VALUE...] (ft_options_set_segment)
 *   denoise    a denoise chain spec, "" for none (ft_options_set_denoise)
 *   threshold  a number, a percentage or a method spec (ft_segment_params_parse)
 *   invert     yes/no (also 1/0, true/false, on/off)
 *   colors     0 for a threshold, 2..64 to quantise into that many colours
 *   min-area   0 or more pixels: ft_segment_params.min_area (rounded up) and
 *              ft_fit_params.min_area
 *   palette    okabe-ito, grayscale or source (ft_style_params.palette)
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
