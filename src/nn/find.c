/* src/nn/find.c - resolving a model name ("nuclei") to a model file.
 *
 * The search order follows the usual data-file convention of tools that ship
 * weights next to their program: an explicit path wins; otherwise
 * NAME.safetensors is looked for in each directory of $FIGTRACE_MODEL_PATH
 * (colon-separated, empty entries skipped), then in the source tree's models/
 * directory (FT_SRCDIR_MODELS, so that a program run from the build tree finds
 * the models before they are installed), then in the installed directory
 * FT_MODELDIR (PKGDATADIR/models).  Both directories are compile-time
 * defines set by the makefile; $FIGTRACE_NO_DEFAULT_MODELS (non-empty)
 * leaves them out, so tests and pinned runs see only the directories they
 * name.  A failed lookup names every file it tried.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/internal.h"
#include "figtrace/segment_nn.h"

#ifndef FT_MODELDIR
#define FT_MODELDIR "/usr/local/share/figtrace/models"
#endif
#ifndef FT_SRCDIR_MODELS
#define FT_SRCDIR_MODELS ""
#endif

#define SUFFIX ".safetensors"

const char *ft_model_dir(void) { return FT_MODELDIR; }

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Names of shipped models: [A-Za-z0-9._-]+, not starting with '.'. */
static int valid_name(const char *s) {
  const char *c;
  if (!*s || *s == '.') return 0;
  for (c = s; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
          *c == '.' || *c == '_' || *c == '-'))
      return 0;
  return 1;
}

/* A growing string of the places tried, for the error message. */
typedef struct tried {
  char buf[FT__ERRMSG_MAX - 128];
  size_t len;
} tried;

static void note(tried *t, const char *path) {
  int n;
  if (t->len + 8 >= sizeof t->buf) return;
  n = snprintf(t->buf + t->len, sizeof t->buf - t->len, "%s%s", t->len ? ", " : "", path);
  if (n < 0) return;
  if ((size_t)n >= sizeof t->buf - t->len) {
    t->len = sizeof t->buf - 1;
    memcpy(t->buf + sizeof t->buf - 5, "...", 4);
  } else {
    t->len += (size_t)n;
  }
}

/* Try DIR/NAME.safetensors (dir of length dlen).  Returns 1 and sets *path
 * when it is readable, 0 when not, -1 when out of memory. */
static int try_dir(const char *dir, size_t dlen, const char *name, tried *t, char **path) {
  size_t nlen = strlen(name), total;
  char *p;
  while (dlen > 1 && dir[dlen - 1] == '/') dlen--;
  total = dlen + 1 + nlen + sizeof SUFFIX;
  p = malloc(total);
  if (!p) return -1;
  memcpy(p, dir, dlen);
  p[dlen] = '/';
  memcpy(p + dlen + 1, name, nlen);
  memcpy(p + dlen + 1 + nlen, SUFFIX, sizeof SUFFIX);
  if (access(p, R_OK) == 0) {
    *path = p;
    return 1;
  }
  note(t, p);
  free(p);
  return 0;
}

ft_status ft_model_find(ft_ctx *ctx, const char *name, char **path) {
  tried t;
  const char *env, *s;
  int r;
  if (!path) return ft__fail(ctx, FT_ERR_INVAL, "model: no output pointer");
  *path = NULL;
  if (!name || !*name) return ft__fail(ctx, FT_ERR_INVAL, "model: empty model name");
  if (strchr(name, '/') || ends_with(name, SUFFIX)) {
    if (access(name, R_OK) != 0)
      return ft__fail(ctx, errno == ENOENT ? FT_ERR_MODEL : FT_ERR_IO, "model: %s: %s", name,
                      strerror(errno));
    *path = ft__strdup(name);
    return *path ? FT_OK : ft__nomem(ctx, "model");
  }
  if (!valid_name(name))
    return ft__fail(ctx, FT_ERR_INVAL,
                    "model: '%s' is not a model name (letters, digits, '.', '_', '-') or a path",
                    name);
  t.len = 0;
  t.buf[0] = '\0';
  env = getenv(FT_MODEL_PATH_ENV);
  for (s = env; s && *s;) {
    const char *e = strchr(s, ':');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    if (n > 0) {
      if ((r = try_dir(s, n, name, &t, path)) != 0) goto found;
    }
    s = e ? e + 1 : s + n;
  }
  env = getenv(FT_NO_DEFAULT_MODELS_ENV);
  if (!env || !*env) {
    if (*FT_SRCDIR_MODELS &&
        (r = try_dir(FT_SRCDIR_MODELS, strlen(FT_SRCDIR_MODELS), name, &t, path)) != 0)
      goto found;
    if ((r = try_dir(FT_MODELDIR, strlen(FT_MODELDIR), name, &t, path)) != 0) goto found;
  }
  if (!t.len) note(&t, "no directory, " FT_NO_DEFAULT_MODELS_ENV " is set");
  return ft__fail(ctx, FT_ERR_MODEL,
                  "model: '%s' not found (looked in: %s; set " FT_MODEL_PATH_ENV
                  " or give a path)",
                  name, t.buf);
found:
  if (r < 0) return ft__nomem(ctx, "model");
  return FT_OK;
}
