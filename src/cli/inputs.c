/* src/cli/inputs.c - expand the command line's inputs into a list of files.
 *
 * A file name or "-" stands for itself.  A directory stands for the image
 * files in it: names are read with readdir, hidden entries (a leading dot)
 * are skipped, the rest sorted bytewise so that a batch runs and reports in
 * the same order on every machine.  With -r subdirectories are walked
 * depth-first in that order; a symbolic link to a directory is not followed
 * (as find(1) does by default), which also rules out cycles.  Which files
 * count as images: those matching any --include glob (fnmatch on the file
 * name), or without --include the usual raster extensions, in any case.
 * Each file found keeps its path relative to the directory argument, so
 * that outputs can mirror the input tree.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli/batch.h"

typedef struct list {
  cli_input *v;
  int n, cap;
} list;

int cli_is_directory(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* malloc'd a + "/" + b (no slash doubled), or NULL. */
static char *join(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  int slash = na > 0 && a[na - 1] != '/';
  char *s = malloc(na + nb + 2);
  if (!s) return NULL;
  memcpy(s, a, na);
  if (slash) s[na] = '/';
  memcpy(s + na + slash, b, nb + 1);
  return s;
}

static int push(list *l, char *path, char *rel) {
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 16;
    cli_input *v = realloc(l->v, (size_t)cap * sizeof *v);
    if (!v) return -1;
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n].path = path;
  l->v[l->n].rel = rel;
  l->n++;
  return 0;
}

/* 1 when a file name is taken from a directory. */
static int wanted(const char *name, const cli_walk *w) {
  static const char *const exts[] = {"png", "jpg",  "jpeg", "jpe", "tif", "tiff",
                                     "pnm", "pbm",  "pgm",  "ppm"};
  const char *dot;
  size_t i;
  if (w->npatterns > 0) {
    for (i = 0; i < (size_t)w->npatterns; i++)
      if (fnmatch(w->patterns[i], name, 0) == 0) return 1;
    return 0;
  }
  dot = strrchr(name, '.');
  if (!dot) return 0;
  for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
    if (strcasecmp(dot + 1, exts[i]) == 0) return 1;
  return 0;
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the images of directory dir (relative path rel, "" at the top). */
static int walk(list *l, const char *dir, const char *rel, const cli_walk *w) {
  DIR *d = opendir(dir);
  struct dirent *de;
  char **names = NULL;
  size_t n = 0, cap = 0, i;
  int r = 0;

  if (!d) {
    fprintf(stderr, "figtrace: %s: cannot open directory: %s\n", dir, strerror(errno));
    return -1;
  }
  while ((de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.') continue;
    if (n == cap) {
      size_t c2 = cap ? cap * 2 : 32;
      char **v = realloc(names, c2 * sizeof *v);
      if (!v) goto nomem;
      names = v;
      cap = c2;
    }
    if (!(names[n] = strdup(de->d_name))) goto nomem;
    n++;
  }
  closedir(d);
  d = NULL;
  if (n) qsort(names, n, sizeof *names, name_cmp);

  for (i = 0; i < n && r == 0; i++) {
    char *path = join(dir, names[i]);
    char *sub = *rel ? join(rel, names[i]) : strdup(names[i]);
    struct stat sb, lsb;
    if (!path || !sub) {
      free(path);
      free(sub);
      goto nomem;
    }
    if (stat(path, &sb) != 0) {
      /* A dangling link or a file removed meanwhile: let it fail visibly
       * only when it would have been taken. */
      if (wanted(names[i], w)) {
        if (push(l, path, sub)) goto nomem_ps;
        continue;
      }
    } else if (S_ISDIR(sb.st_mode)) {
      if (w->recursive && lstat(path, &lsb) == 0 && S_ISDIR(lsb.st_mode))
        r = walk(l, path, sub, w);
    } else if (S_ISREG(sb.st_mode) && wanted(names[i], w)) {
      if (push(l, path, sub)) goto nomem_ps;
      continue;
    }
    free(path);
    free(sub);
    continue;
  nomem_ps:
    free(path);
    free(sub);
    goto nomem;
  }
  for (i = 0; i < n; i++) free(names[i]);
  free(names);
  return r;

nomem:
  if (d) closedir(d);
  for (i = 0; i < n; i++) free(names[i]);
  free(names);
  fputs("figtrace: out of memory\n", stderr);
  return -1;
}

int cli_expand_inputs(char *const *args, int nargs, const cli_walk *w, cli_input **out,
                      int *n) {
  list l = {NULL, 0, 0};
  int i;
  *out = NULL;
  *n = 0;
  for (i = 0; i < nargs; i++) {
    if (strcmp(args[i], "-") != 0 && cli_is_directory(args[i])) {
      int before = l.n;
      if (walk(&l, args[i], "", w) != 0) goto fail;
      if (l.n == before)
        fprintf(stderr, "figtrace: %s: warning: no images found%s\n", args[i],
                w->recursive ? "" : " (use -r to look in subdirectories)");
    } else {
      char *p = strdup(args[i]);
      if (!p || push(&l, p, NULL)) {
        free(p);
        fputs("figtrace: out of memory\n", stderr);
        goto fail;
      }
    }
  }
  *out = l.v;
  *n = l.n;
  return 0;
fail:
  cli_inputs_free(l.v, l.n);
  return -1;
}

void cli_inputs_free(cli_input *in, int n) {
  int i;
  if (!in) return;
  for (i = 0; i < n; i++) {
    free(in[i].path);
    free(in[i].rel);
  }
  free(in);
}
