/* src/write/sink.c - byte sinks for the writers: atomic files, standard
 * output and memory.
 *
 * A file sink never exposes a half-written figure: bytes go through stdio
 * into a temporary file created with mkstemp(3) beside the target (same
 * directory, so the final rename(2) stays on one file system and is atomic),
 * named ".NAME.XXXXXX" so it stays hidden from globs like *.svg.  Its mode is
 * set to 0644 less the umask, as if the target had been created directly.
 * Closing with commit flushes and renames onto the target (with
 * FT_SINK_COMMIT_SYNC it also fsyncs the file first and the directory
 * afterwards: durability costs a disk flush, often milliseconds, per
 * file, which nothing else in a conversion comes near, so it is the
 * caller's choice); any failure on the way - at a write (ENOSPC, EFBIG,
 * EIO) or at close - is reported with the target's name and the temporary
 * is removed.  Closing without commit only removes the temporary.
 *
 * The standard-output sink ("-") collects the document in memory and writes
 * it to stdout only when closed with commit, so a failed conversion sends
 * nothing down a pipe; it flushes stdout but never closes it.  The memory
 * sink keeps everything in a growing buffer for tests and for library users
 * that want the bytes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "write/internal.h"

enum { SINK_FILE = 1, SINK_STDOUT = 2, SINK_MEMORY = 3 };

typedef struct sink_impl {
  ft_sink pub; /* first member: the public handle points here */
  int kind;    /* SINK_* */
  FILE *fp;    /* SINK_FILE: stream on the temporary */
  char *path;  /* SINK_FILE: the target */
  char *tmp;   /* SINK_FILE: the temporary beside it */
  ft__buf mem; /* SINK_STDOUT, SINK_MEMORY: bytes so far */
  int failed;  /* a write failed; detail holds the message */
  char detail[FT__ERRMSG_MAX];
} sink_impl;

static int file_write(void *user, const void *buf, size_t len);
static int mem_write(void *user, const void *buf, size_t len);

/* The implementation behind a sink made here, NULL for a caller's own. */
static sink_impl *impl_of(const ft_sink *s) {
  if (!s || (s->write != file_write && s->write != mem_write)) return NULL;
  return (sink_impl *)s->user;
}

static void set_failed(sink_impl *s, const char *what, int err) {
  if (s->failed) return; /* keep the first cause */
  s->failed = 1;
  snprintf(s->detail, sizeof s->detail, "%s: %s: %s",
           s->kind == SINK_FILE ? s->path : s->kind == SINK_STDOUT ? "stdout" : "memory sink",
           what, strerror(err));
}

static int file_write(void *user, const void *buf, size_t len) {
  sink_impl *s = user;
  if (s->failed) return -1;
  if (len == 0) return 0;
  errno = 0;
  if (fwrite(buf, 1, len, s->fp) != len) {
    set_failed(s, "cannot write", errno ? errno : EIO);
    return -1;
  }
  return 0;
}

static int mem_write(void *user, const void *buf, size_t len) {
  sink_impl *s = user;
  if (s->failed) return -1;
  if (len && ft__buf_append(&s->mem, buf, len)) {
    set_failed(s, "cannot write", ENOMEM);
    return -1;
  }
  return 0;
}

/* The process umask, read without changing it where Linux allows
 * (/proc/self/status "Umask:"); elsewhere by setting and restoring it. */
static mode_t current_umask(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[128];
  unsigned m;
  mode_t old;
  if (f) {
    while (fgets(line, sizeof line, f))
      if (sscanf(line, "Umask: %o", &m) == 1) {
        fclose(f);
        return (mode_t)(m & 0777);
      }
    fclose(f);
  }
  old = umask(022);
  umask(old);
  return old;
}

static sink_impl *impl_new(int kind) {
  sink_impl *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->kind = kind;
  s->pub.write = kind == SINK_FILE ? file_write : mem_write;
  s->pub.user = s;
  return s;
}

static void impl_free(sink_impl *s) {
  free(s->path);
  free(s->tmp);
  ft__buf_free(&s->mem);
  free(s);
}

ft_status ft_sink_open_memory(ft_ctx *ctx, ft_sink **out) {
  sink_impl *s;
  *out = NULL;
  if (!(s = impl_new(SINK_MEMORY))) return ft__nomem(ctx, "sink");
  *out = &s->pub;
  return FT_OK;
}

const char *ft_sink_memory_data(const ft_sink *sink, size_t *len) {
  sink_impl *s = impl_of(sink);
  if (len) *len = 0;
  if (!s || s->kind != SINK_MEMORY) return NULL;
  if (len) *len = s->mem.len;
  return s->mem.data ? s->mem.data : "";
}

ft_status ft_sink_open_file(ft_ctx *ctx, const char *path, ft_sink **out) {
  sink_impl *s;
  const char *slash, *base;
  size_t dirlen, n;
  int fd, e;
  *out = NULL;
  if (!path || !*path) return ft__fail(ctx, FT_ERR_INVAL, "sink: empty output path");
  if (strcmp(path, "-") == 0) {
    if (!(s = impl_new(SINK_STDOUT))) return ft__nomem(ctx, "sink");
    *out = &s->pub;
    return FT_OK;
  }
  slash = strrchr(path, '/');
  base = slash ? slash + 1 : path;
  if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
    return ft__fail(ctx, FT_ERR_INVAL, "%s: not a file name", path);
  dirlen = (size_t)(base - path);
  n = strlen(path) + 9; /* "." + ".XXXXXX" + NUL */
  if (!(s = impl_new(SINK_FILE)) || !(s->path = ft__strdup(path)) || !(s->tmp = malloc(n))) {
    if (s) impl_free(s);
    return ft__nomem(ctx, "sink");
  }
  snprintf(s->tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
  if ((fd = mkstemp(s->tmp)) < 0) {
    e = errno;
    impl_free(s);
    return ft__fail(ctx, FT_ERR_IO, "%s: cannot create: %s", path, strerror(e));
  }
  (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
  /* mkstemp makes 0600; give the figure the mode a plain creat() would.
   * File systems without modes refuse fchmod, which is harmless here. */
  (void)fchmod(fd, 0644 & ~current_umask());
  if (!(s->fp = fdopen(fd, "wb"))) {
    e = errno;
    close(fd);
    unlink(s->tmp);
    impl_free(s);
    return ft__fail(ctx, FT_ERR_IO, "%s: cannot create: %s", path, strerror(e));
  }
  *out = &s->pub;
  return FT_OK;
}

/* Make the rename durable: fsync the directory holding the target.
 * Best effort; some file systems refuse to sync a directory. */
static void sync_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir;
  int fd;
  if (!slash)
    dir = ft__strdup(".");
  else if (slash == path)
    dir = ft__strdup("/");
  else if ((dir = malloc((size_t)(slash - path) + 1)) != NULL) {
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
  }
  if (!dir) return;
  fd = open(dir, O_RDONLY);
  free(dir);
  if (fd < 0) return;
  (void)fsync(fd);
  close(fd);
}

static ft_status close_file(ft_ctx *ctx, sink_impl *s, int commit) {
  int sync = commit == FT_SINK_COMMIT_SYNC;
  if (commit && !s->failed) {
    if (fflush(s->fp) != 0)
      set_failed(s, "cannot write", errno);
    else if (sync && fsync(fileno(s->fp)) != 0 && errno != EINVAL && errno != EROFS)
      set_failed(s, "cannot write", errno);
  }
  if (fclose(s->fp) != 0 && commit) set_failed(s, "cannot write", errno);
  s->fp = NULL;
  if (commit && !s->failed) {
    if (rename(s->tmp, s->path) == 0) {
      if (sync) sync_dir(s->path);
      return FT_OK;
    }
    set_failed(s, "cannot rename temporary file into place", errno);
  }
  unlink(s->tmp);
  if (!commit) return FT_OK;
  return ft__fail(ctx, FT_ERR_IO, "%s", s->detail);
}

static ft_status close_stdout(ft_ctx *ctx, sink_impl *s, int commit) {
  if (!commit) return FT_OK;
  if (!s->failed) {
    errno = 0;
    if (s->mem.len && fwrite(s->mem.data, 1, s->mem.len, stdout) != s->mem.len)
      set_failed(s, "cannot write", errno ? errno : EIO);
    else if (fflush(stdout) != 0)
      set_failed(s, "cannot write", errno ? errno : EIO);
  }
  return s->failed ? ft__fail(ctx, FT_ERR_IO, "%s", s->detail) : FT_OK;
}

ft_status ft_sink_close(ft_ctx *ctx, ft_sink *sink, int commit) {
  sink_impl *s;
  ft_status st = FT_OK;
  if (!sink) return FT_OK;
  if (!(s = impl_of(sink)))
    return ft__fail(ctx, FT_ERR_INVAL, "sink: not opened by ft_sink_open_file or _memory");
  if (s->kind == SINK_FILE)
    st = close_file(ctx, s, commit);
  else if (s->kind == SINK_STDOUT)
    st = close_stdout(ctx, s, commit);
  impl_free(s);
  return st;
}

const char *ft__sink_detail(const ft_sink *sink) {
  sink_impl *s = impl_of(sink);
  return s && s->failed ? s->detail : NULL;
}
