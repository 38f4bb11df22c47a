/* src/dl/dl.c - open an optional library on first use (see dl.h).
 *
 * One mutex guards every library's state; a library's first user opens it
 * with dlopen(RTLD_NOW | RTLD_LOCAL) by its soname (then, where configure
 * recorded one, by libdir/soname), resolves its table, and records the
 * outcome.  The handle is never closed: the resolved pointers live as long
 * as the process.
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "dl/dl.h"

/* Outcome per library, kept here so the descriptors can stay const. */
#define MAX_LIBS 12
static struct {
  const ft__dl *lib;
  ft_status st;
  char msg[384];
} state[MAX_LIBS];
static int nstate;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void *ft__dl_sym(void *h, const char *name) { return dlsym(h, name); }

static void *open_lib(const ft__dl *lib, char *why, size_t whysz) {
  const char *e;
  void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
  if (h) return h;
  e = dlerror();
  snprintf(why, whysz, "%s", e ? e : "not found");
  if (lib->libdir && lib->libdir[0]) {
    char path[1024];
    if (snprintf(path, sizeof path, "%s/%s", lib->libdir, lib->soname) < (int)sizeof path &&
        (h = dlopen(path, RTLD_NOW | RTLD_LOCAL)))
      return h;
  }
  return NULL;
}

ft_status ft__dl_require(ft_ctx *ctx, const ft__dl *lib) {
  ft_status st;
  char msg[384];
  int i;

  pthread_mutex_lock(&lock);
  for (i = 0; i < nstate; i++)
    if (state[i].lib == lib) break;
  if (i == nstate) {
    void *h;
    const char *missing = NULL;
    char why[320];
    if (nstate == MAX_LIBS) { /* a bug: more descriptors than slots */
      pthread_mutex_unlock(&lock);
      return ft__fail(ctx, FT_ERR_INTERNAL, "%s: too many optional libraries", lib->name);
    }
    state[i].lib = lib;
    state[i].st = FT_OK;
    state[i].msg[0] = '\0';
    nstate++;
    if (!(h = open_lib(lib, why, sizeof why))) {
      state[i].st = FT_ERR_UNSUPPORTED;
      snprintf(state[i].msg, sizeof state[i].msg, "%s: cannot load %s: %s", lib->name,
               lib->soname, why);
    } else if (lib->resolve(h, &missing)) {
      state[i].st = FT_ERR_UNSUPPORTED;
      snprintf(state[i].msg, sizeof state[i].msg, "%s: %s has no symbol %s", lib->name,
               lib->soname, missing);
    }
  }
  st = state[i].st;
  memcpy(msg, state[i].msg, sizeof msg);
  pthread_mutex_unlock(&lock);
  return st ? ft__fail(ctx, st, "%s", msg) : FT_OK;
}
