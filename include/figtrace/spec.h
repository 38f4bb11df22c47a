/* figtrace/spec.h - stage specifications such as "median:r=2,flatten:r=40".
 *
 * A spec is an ordered list of items; each item names an operation of a
 * stage (a filter, a threshold method, ...) and sets some of its parameters:
 *
 *   spec  := item { "," item }
 *   item  := name [ ":" key "=" value { ("," | ":") key "=" value } ]
 *
 * A comma-separated token that contains '=' continues the current item; one
 * without '=' starts a new item, so "median:r=2,bits=12,gaussian:sigma=1"
 * is a median (r=2, bits=12) followed by a Gaussian.  Blanks around names,
 * keys and values are ignored; names, keys and choice words are matched
 * without regard to case.
 *
 * One parser serves every stage.  A stage describes each of its operations
 * with a table of ft_spec_arg entries {name, type, offset, min, max,
 * default, help} (as libvips declares its arguments); the same table gives
 * the params struct's defaults (ft_spec_defaults, used by the _init
 * functions), its range checks (ft_spec_check) and the text for --help and
 * the manual page (ft_spec_describe), so these cannot drift apart.
 */
#ifndef FIGTRACE_SPEC_H
#define FIGTRACE_SPEC_H

#include "figtrace/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ft_arg_type {
  FT_ARG_INT = 0,    /* int field; value must be a whole number in [min, max] */
  FT_ARG_DOUBLE = 1, /* double field; finite value in [min, max] */
  FT_ARG_BOOL = 2,   /* int field set to 0 or 1; accepts 0/1/yes/no/true/false/on/off */
  FT_ARG_CHOICE = 3  /* int field holding an index into choices[] (min and max unused) */
} ft_arg_type;

/* One parameter of an operation. */
typedef struct ft_spec_arg {
  const char *name;            /* key in the spec, e.g. "r" */
  ft_arg_type type;            /* how the field is stored and parsed */
  size_t offset;               /* offsetof(params struct, field) */
  double min, max;             /* accepted range (INT, DOUBLE) */
  double def;                  /* default; for CHOICE the index of the default choice */
  const char *help;            /* one line, e.g. "radius in pixels" */
  const char *const *choices;  /* CHOICE only: NULL-terminated names, stored as their index */
} ft_spec_arg;

/* One operation a spec item may name. */
typedef struct ft_spec_kind {
  const char *name;          /* e.g. "median" */
  const char *help;          /* one line describing the operation */
  size_t params_size;        /* sizeof its params struct */
  const ft_spec_arg *args;   /* [nargs] */
  int nargs;
  /* Optional check across fields (e.g. low < high), run after the range
   * checks; returns NULL when p is fine, else a static message naming the
   * fields ("low must be below high"). */
  const char *(*validate)(const void *p);
} ft_spec_kind;

/* One parsed item: the index of its kind in the table passed to
 * ft_spec_parse and a params struct of that kind's params_size, holding the
 * defaults overridden by the item's keys. */
typedef struct ft_spec_item {
  int kind;
  void *params;
} ft_spec_item;

typedef struct ft_spec_list {
  int n;
  ft_spec_item *items; /* [n] */
} ft_spec_list;

/* Fill the params struct p (of kind k) with the defaults of k's table. */
FT_API void ft_spec_defaults(const ft_spec_kind *k, void *p);

/* Check every field of p against k's ranges and validate hook.  Errors are
 * FT_ERR_INVAL with a message "DOMAIN: NAME: KEY=VALUE out of range MIN..MAX". */
FT_API FT_USERESULT ft_status ft_spec_check(ft_ctx *ctx, const char *domain,
                                            const ft_spec_kind *k, const void *p);

/* Parse text against the nkinds operations in kinds.  domain prefixes error
 * messages ("denoise").  An empty or blank text gives an empty list.
 * Errors (FT_ERR_INVAL) name what was accepted, e.g.
 *   "denoise: unknown filter 'medain' (known: median, gaussian, ...)",
 *   "denoise: median: unknown key 'rad' (keys: r, bits)",
 *   "denoise: median: r='x' is not a number",
 *   "denoise: median: r=900 out of range 0..100".
 * item_word names an item in messages ("filter", "method").
 * OUT: *out, caller frees with ft_spec_list_free(); NULL on failure. */
FT_API FT_USERESULT ft_status ft_spec_parse(ft_ctx *ctx, const char *domain,
                                            const char *item_word, const ft_spec_kind *kinds,
                                            int nkinds, const char *text, ft_spec_list **out);
FT_API void ft_spec_list_free(ft_spec_list *list);

/* Line sink for ft_spec_describe: line has no trailing newline and is valid
 * during the call only. */
typedef void (*ft_spec_line_fn)(void *user, const char *line);

/* Describe the accepted names, keys, types, ranges and defaults, one line at
 * a time, for --help and the manual page:
 *   "median  histogram median of the window"
 *   "    r=INT     radius in pixels (1..100, default 1)"
 *   "    shape=square|disc  structuring element (default square)"
 * The library never prints; the caller decides where the lines go. */
FT_API void ft_spec_describe(const ft_spec_kind *kinds, int nkinds, ft_spec_line_fn fn,
                             void *user);

/* Format the default of one argument into buf ("1", "0.5", "square"). */
FT_API void ft_spec_format_default(const ft_spec_arg *a, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
