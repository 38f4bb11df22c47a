/* src/dl/json.h - json-c, opened on first use (see dl.h).
 *
 * Include instead of <json.h>; call ft__json_require() before the first
 * json-c call of an entry point (only the U-Net loader reads JSON: the
 * safetensors header).  FT_JSON_SYMBOLS lists every json-c function the
 * library calls; json_object_object_foreach() is a macro over
 * json_object_get_object and linkhash.h's inline accessors.
 */
#ifndef FT_DL_JSON_H
#define FT_DL_JSON_H

#include <json.h>

#include "dl/dl.h"

ft_status ft__json_require(ft_ctx *ctx);

#if FT_LAZY_LIBS
#define FT_JSON_SYMBOLS(X)        \
  X(json_object_array_get_idx)    \
  X(json_object_array_length)     \
  X(json_object_get_int64)        \
  X(json_object_get_object)       \
  X(json_object_get_string)       \
  X(json_object_is_type)          \
  X(json_object_object_get_ex)    \
  X(json_object_object_length)    \
  X(json_object_put)              \
  X(json_tokener_error_desc)      \
  X(json_tokener_free)            \
  X(json_tokener_get_error)       \
  X(json_tokener_get_parse_end)   \
  X(json_tokener_new)             \
  X(json_tokener_parse_ex)

extern struct ft__json_fns {
  FT_JSON_SYMBOLS(FT__DL_MEMBER)
} ft__json;

#ifndef FT_DL_NO_REDIRECT
#define json_object_array_get_idx (ft__json.json_object_array_get_idx)
#define json_object_array_length (ft__json.json_object_array_length)
#define json_object_get_int64 (ft__json.json_object_get_int64)
#define json_object_get_object (ft__json.json_object_get_object)
#define json_object_get_string (ft__json.json_object_get_string)
#define json_object_is_type (ft__json.json_object_is_type)
#define json_object_object_get_ex (ft__json.json_object_object_get_ex)
#define json_object_object_length (ft__json.json_object_object_length)
#define json_object_put (ft__json.json_object_put)
#define json_tokener_error_desc (ft__json.json_tokener_error_desc)
#define json_tokener_free (ft__json.json_tokener_free)
#define json_tokener_get_error (ft__json.json_tokener_get_error)
#define json_tokener_get_parse_end (ft__json.json_tokener_get_parse_end)
#define json_tokener_new (ft__json.json_tokener_new)
#define json_tokener_parse_ex (ft__json.json_tokener_parse_ex)
#endif /* FT_DL_NO_REDIRECT */
#endif /* FT_LAZY_LIBS */

#endif
