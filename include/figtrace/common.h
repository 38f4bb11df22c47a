/* figtrace/common.h - status codes, the context object, logging and progress.
 *
 * Every library call that can fail returns an ft_status.  The human-readable
 * detail ("png: premature end of data") is kept in the ft_ctx passed to the
 * call, never in a global, so one context per thread is all a program needs.
 * A NULL context is accepted everywhere: the call then runs with defaults and
 * the detail message is simply dropped.
 *
 * Ownership rule for the whole API: whoever calls a function that returns a
 * new object through an OUT parameter owns it and frees it with the matching
 * ft_<type>_free(); every free function accepts NULL.
 */
#ifndef FIGTRACE_COMMON_H
#define FIGTRACE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define FT_API __attribute__((visibility("default")))
#define FT_USERESULT __attribute__((warn_unused_result))
#else
#define FT_API
#define FT_USERESULT
#endif

/* Result of every call that can fail.  FT_OK is zero. */
typedef enum ft_status {
  FT_OK = 0,
  FT_ERR_NOMEM,       /* out of memory */
  FT_ERR_INVAL,       /* invalid argument or parameter out of range */
  FT_ERR_IO,          /* read or write failed (errno-level problem) */
  FT_ERR_FORMAT,      /* input data is corrupt, truncated or not understood */
  FT_ERR_UNSUPPORTED, /* valid data in a variant figtrace does not handle */
  FT_ERR_TOOBIG,      /* dimensions above the configured limit */
  FT_ERR_MODEL,       /* a model file is missing, corrupt or incompatible */
  FT_ERR_CANCELLED,   /* the progress callback asked to stop */
  FT_ERR_INTERNAL     /* a bug: an internal invariant did not hold */
} ft_status;

/* Static English text for a status, e.g. "corrupt or truncated data".  Never NULL. */
FT_API const char *ft_status_str(ft_status s);

/* Opaque per-thread context: error detail, log and progress callbacks,
 * thread count.  Create with ft_ctx_new(), free with ft_ctx_free(). */
typedef struct ft_ctx ft_ctx;

typedef enum ft_log_level {
  FT_LOG_ERROR = 0,
  FT_LOG_WARN = 1,
  FT_LOG_INFO = 2,
  FT_LOG_DEBUG = 3
} ft_log_level;

/* Log callback: msg is one line without a trailing newline, valid during the call. */
typedef void (*ft_log_fn)(void *user, ft_log_level level, const char *msg);

/* Progress callback: fraction runs from 0 to 1 over a whole pipeline run and
 * is reported at most every 1% or so.  Return 0 to continue, any other value
 * to cancel: the running stage then frees what it allocated and returns
 * FT_ERR_CANCELLED. */
typedef int (*ft_progress_fn)(void *user, double fraction);

/* A new context (silent, no progress, threads = number of online CPUs).
 * Returns NULL only when out of memory.  Free with ft_ctx_free(). */
FT_API ft_ctx *ft_ctx_new(void);
FT_API void ft_ctx_free(ft_ctx *ctx);

/* Messages up to and including max_level go to fn; fn NULL silences the log. */
FT_API void ft_ctx_set_log(ft_ctx *ctx, ft_log_fn fn, void *user, ft_log_level max_level);
FT_API void ft_ctx_set_progress(ft_ctx *ctx, ft_progress_fn fn, void *user);

/* Worker threads stages may use; n <= 0 means the number of online CPUs. */
FT_API void ft_ctx_set_threads(ft_ctx *ctx, int n);
FT_API int ft_ctx_threads(const ft_ctx *ctx);

/* Detail of the last failure on this context ("" when none).  The pointer
 * stays valid until the next call that uses ctx. */
FT_API const char *ft_ctx_errmsg(const ft_ctx *ctx);
FT_API void ft_ctx_clear_error(ft_ctx *ctx);

/* Library version as "MAJOR.MINOR.PATCH". */
FT_API const char *ft_version(void);

#ifdef __cplusplus
}
#endif
#endif
