/* tests/unit/test_sink.c - atomic file sinks, the stdout sink and the
 * memory sink.
 *
 * Each test works in a fresh directory from mkdtemp and checks what is
 * left in it afterwards: the target with the right bytes and mode, or
 * nothing at all - never a temporary. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "write/internal.h"

static char dir[256];

static void make_dir(void) {
  const char *t = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/ft_sink_XXXXXX", t && *t ? t : "/tmp");
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
}

/* Number of entries in d other than . and ..; the first name goes to first. */
static int entries(const char *d, char *first, size_t n) {
  DIR *dp = opendir(d);
  struct dirent *e;
  int k = 0;
  if (first && n) first[0] = '\0';
  if (!dp) return -1;
  while ((e = readdir(dp)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (k == 0 && first) snprintf(first, n, "%s", e->d_name);
    k++;
  }
  closedir(dp);
  return k;
}

/* Remove the test directory and what is in it (one level). */
static void remove_dir(void) {
  DIR *dp = opendir(dir);
  struct dirent *e;
  char p[512];
  if (!dp) return;
  while ((e = readdir(dp)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    if (unlink(p) != 0) rmdir(p);
  }
  closedir(dp);
  rmdir(dir);
}

/* The whole content of a file (caller frees), NULL when it cannot be read. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0, r;
  if (!f) return NULL;
  do {
    if (n == cap) {
      char *nb = realloc(buf, cap = cap ? 2 * cap : 4096);
      if (!nb) break;
      buf = nb;
    }
    r = fread(buf + n, 1, cap - n, f);
    n += r;
  } while (r > 0);
  fclose(f);
  if (len) *len = n;
  return buf;
}

static int write_str(ft_sink *s, const char *text) { return s->write(s->user, text, strlen(text)); }

static void test_commit_writes_target(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_sink *s = NULL;
  char path[512], name[256];
  struct stat sb;
  size_t len;
  char *got;
  mode_t old = umask(027);
  make_dir();
  snprintf(path, sizeof path, "%s/a.svg", dir);
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_file(ctx, path, &s), FT_OK);
  /* while open, only the hidden temporary exists */
  CU_ASSERT_EQUAL(entries(dir, name, sizeof name), 1);
  CU_ASSERT(strncmp(name, ".a.svg.", 7) == 0 && strlen(name) == 13);
  CU_ASSERT_EQUAL(write_str(s, "hello "), 0);
  CU_ASSERT_EQUAL(write_str(s, "world"), 0);
  CU_ASSERT_EQUAL(s->write(s->user, "", 0), 0);
  CU_ASSERT_PTR_NULL(ft_sink_memory_data(s, &len));
  CU_ASSERT_EQUAL(ft_sink_close(ctx, s, 1), FT_OK);
  umask(old);
  CU_ASSERT_EQUAL(entries(dir, name, sizeof name), 1);
  CU_ASSERT_STRING_EQUAL(name, "a.svg");
  got = slurp(path, &len);
  CU_ASSERT_PTR_NOT_NULL_FATAL(got);
  CU_ASSERT_EQUAL(len, 11);
  CU_ASSERT(memcmp(got, "hello world", 11) == 0);
  free(got);
  CU_ASSERT_EQUAL_FATAL(stat(path, &sb), 0);
  CU_ASSERT_EQUAL(sb.st_mode & 0777, 0640); /* 0644 less umask 027 */
  remove_dir();
  ft_ctx_free(ctx);
}

/* A durable commit (fsync of the file and its directory) gives the same
 * file as a plain one, replacing an existing target. */
static void test_commit_sync(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_sink *s = NULL;
  char path[512], name[256];
  size_t len;
  char *got;
  int round;
  make_dir();
  snprintf(path, sizeof path, "%s/durable.svg", dir);
  for (round = 0; round < 2; round++) {
    CU_ASSERT_EQUAL_FATAL(ft_sink_open_file(ctx, path, &s), FT_OK);
    CU_ASSERT_EQUAL(write_str(s, round ? "second" : "first"), 0);
    CU_ASSERT_EQUAL(ft_sink_close(ctx, s, FT_SINK_COMMIT_SYNC), FT_OK);
    CU_ASSERT_EQUAL(entries(dir, name, sizeof name), 1);
    CU_ASSERT_STRING_EQUAL(name, "durable.svg");
    got = slurp(path, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_EQUAL(len, round ? 6u : 5u);
    CU_ASSERT(memcmp(got, round ? "second" : "first", len) == 0);
    free(got);
  }
  remove_dir();
  ft_ctx_free(ctx);
}

/* Replacing an existing file: untouched until commit, replaced after;
 * without commit the old content survives and no temporary is left. */
static void test_replace_and_discard(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_sink *s = NULL;
  char path[512], name[256];
  FILE *f;
  char *got;
  size_t len;
  make_dir();
  snprintf(path, sizeof path, "%s/fig.svg", dir);
  f = fopen(path, "wb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs("old", f);
  fclose(f);
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_file(ctx, path, &s), FT_OK);
  CU_ASSERT_EQUAL(write_str(s, "half a fig"), 0);
  CU_ASSERT_EQUAL(ft_sink_close(ctx, s, 0), FT_OK);
  CU_ASSERT_EQUAL(entries(dir, name, sizeof name), 1);
  got = slurp(path, &len);
  CU_ASSERT(got && len == 3 && memcmp(got, "old", 3) == 0);
  free(got);
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_file(ctx, path, &s), FT_OK);
  CU_ASSERT_EQUAL(write_str(s, "new figure"), 0);
  got = slurp(path, &len);
  CU_ASSERT(got && len == 3); /* still the old file while writing */
  free(got);
  CU_ASSERT_EQUAL(ft_sink_close(ctx, s, 1), FT_OK);
  CU_ASSERT_EQUAL(entries(dir, name, sizeof name), 1);
  got = slurp(path, &len);
  CU_ASSERT(got && len == 10 && memcmp(got, "new figure", 10) == 0);
  free(got);
  /* commit = 0 on a fresh target leaves nothing at all */
  remove_dir();
  make_dir();
  snprintf(path, sizeof path, "%s/none.svg", dir);
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_file(ctx, path, &s), FT_OK);
  CU_ASSERT_EQUAL(write_str(s, "x"), 0);
  CU_ASSERT_EQUAL(ft_sink_close(ctx, s, 0), FT_OK);
  CU_ASSERT_EQUAL(entries(dir, NULL, 0), 0);
  remove_dir();
  ft_ctx_free(ctx);
}

static void test_open_errors(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_sink *s = (ft_sink *)&s;
  char path[512], msg[600];
  make_dir();
  snprintf(path, sizeof path, "%s/missing/a.svg", dir);
  CU_ASSERT_EQUAL(ft_sink_open_file(ctx, path, &s), FT_ERR_IO);
  CU_ASSERT_PTR_NULL(s);
  snprintf(msg, sizeof msg, "%s: cannot create: No such file or directory", path);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), msg);
  CU_ASSERT_EQUAL(ft_sink_open_file(ctx, "", &s), FT_ERR_INVAL);
  CU_ASSERT_EQUAL(ft_sink_open_file(ctx, NULL, &s), FT_ERR_INVAL);
  snprintf(path, sizeof path, "%s/", dir);
  CU_ASSERT_EQUAL(ft_sink_open_file(ctx, path, &s), FT_ERR_INVAL);
  snprintf(msg, sizeof msg, "%s/: not a file name", dir);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), msg);
  CU_ASSERT_PTR_NULL(s);
  /* a read-only directory (permissions do not bind root, so only then) */
  if (geteuid() != 0) {
    CU_ASSERT_EQUAL_FATAL(chmod(dir, 0555), 0);
    snprintf(path, sizeof path, "%s/a.svg", dir);
    CU_ASSERT_EQUAL(ft_sink_open_file(ctx, path, &s), FT_ERR_IO);
    snprintf(msg, sizeof msg, "%s: cannot create: Permission denied", path);
    CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), msg);
    chmod(dir, 0755);
  }
  CU_ASSERT_EQUAL(entries(dir, NULL, 0), 0);
  CU_ASSERT_EQUAL(ft_sink_close(ctx, NULL, 1), FT_OK);
  remove_dir();
  ft_ctx_free(ctx);
}

/* The rename fails when the target is a directory: reported with the path,
 * the temporary removed, the directory untouched. */
static void test_rename_failure(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_sink *s = NULL;
  char path[512], name[256], msg[700];
  make_dir();
  snprintf(path, sizeof path, "%s/out.svg", dir);
  CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_file(ctx, path, &s), FT_OK);
  CU_ASSERT_EQUAL(write_str(s, "<svg/>"), 0);
  CU_ASSERT_EQUAL(ft_sink_close(ctx, s, 1), FT_ERR_IO);
  snprintf(msg, sizeof msg, "%s: cannot rename temporary file into place: Is a directory", path);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), msg);
  CU_ASSERT_EQUAL(entries(dir, name, sizeof name), 1);
  CU_ASSERT_STRING_EQUAL(name, "out.svg");
  remove_dir();
  ft_ctx_free(ctx);
}

/* A write that the file system refuses (EFBIG past RLIMIT_FSIZE stands in
 * for ENOSPC) fails at write time, again at close, and leaves nothing. */
static void test_write_failure(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_sink *s = NULL;
  ft_doc *doc = NULL;
  ft_paths *ps = NULL;
  struct rlimit old, lim;
  void (*old_handler)(int);
  char path[512], msg[700], block[1000];
  int k, failed_at = -1;
  make_dir();
  snprintf(path, sizeof path, "%s/big.svg", dir);
  memset(block, 'x', sizeof block);
  CU_ASSERT_EQUAL_FATAL(getrlimit(RLIMIT_FSIZE, &old), 0);
  old_handler = signal(SIGXFSZ, SIG_IGN);
  lim = old;
  lim.rlim_cur = 20000;
  CU_ASSERT_EQUAL_FATAL(setrlimit(RLIMIT_FSIZE, &lim), 0);

  CU_ASSERT_EQUAL_FATAL(ft_sink_open_file(ctx, path, &s), FT_OK);
  for (k = 0; k < 100 && failed_at < 0; k++)
    if (s->write(s->user, block, sizeof block) != 0) failed_at = k;
  CU_ASSERT(failed_at >= 16 && failed_at < 40); /* after ~20 kB, within stdio's buffering */
  CU_ASSERT_NOT_EQUAL(s->write(s->user, block, 1), 0); /* stays failed */
  CU_ASSERT_EQUAL(ft_sink_close(ctx, s, 1), FT_ERR_IO);
  snprintf(msg, sizeof msg, "%s: cannot write: File too large", path);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), msg);
  CU_ASSERT_EQUAL(entries(dir, NULL, 0), 0);

  /* the SVG writer passes the sink's message on */
  CU_ASSERT_EQUAL_FATAL(ft_doc_new(ctx, 1000, 1000, &doc), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_paths_new(ctx, 1000, 1000, &ps), FT_OK);
  for (k = 0; k < 2000; k++) {
    int i;
    CU_ASSERT_EQUAL_FATAL(ft_paths_add(ctx, ps, k * 0.37, k * 0.21, &i), FT_OK);
    CU_ASSERT_EQUAL_FATAL(ft_path_line_to(ctx, &ps->path[i], k * 0.37 + 5.5, k * 0.21 + 3.25),
                          FT_OK);
  }
  CU_ASSERT_EQUAL_FATAL(ft_doc_add_layer(ctx, doc, "strokes", "Strokes", ps, NULL), FT_OK);
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_file(ctx, path, &s), FT_OK);
  CU_ASSERT_EQUAL(ft_write_svg(ctx, doc, NULL, s), FT_ERR_IO);
  CU_ASSERT_STRING_EQUAL(ft_ctx_errmsg(ctx), msg);
  CU_ASSERT_EQUAL(ft_sink_close(ctx, s, 0), FT_OK);
  CU_ASSERT_EQUAL(entries(dir, NULL, 0), 0);

  CU_ASSERT_EQUAL(setrlimit(RLIMIT_FSIZE, &old), 0);
  signal(SIGXFSZ, old_handler);
  /* with the limit lifted the same document is written in full */
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_file(ctx, path, &s), FT_OK);
  CU_ASSERT_EQUAL(ft_write_svg(ctx, doc, NULL, s), FT_OK);
  CU_ASSERT_EQUAL(ft_sink_close(ctx, s, 1), FT_OK);
  {
    struct stat sb;
    CU_ASSERT_EQUAL(stat(path, &sb), 0);
    CU_ASSERT(sb.st_size > 20000);
  }
  ft_doc_free(doc);
  remove_dir();
  ft_ctx_free(ctx);
}

/* Run fn with stdout redirected to a file; returns what reached it. */
static char *capture_stdout(void (*fn)(void), size_t *len) {
  char path[512];
  int saved, fd;
  char *got;
  make_dir();
  snprintf(path, sizeof path, "%s/stdout", dir);
  fflush(stdout);
  saved = dup(1);
  fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (saved < 0 || fd < 0) return NULL;
  dup2(fd, 1);
  close(fd);
  fn();
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  got = slurp(path, len);
  remove_dir();
  return got;
}

static ft_status stdout_status;

static void stdout_commit(void) {
  ft_sink *s = NULL;
  stdout_status = ft_sink_open_file(NULL, "-", &s);
  if (stdout_status) return;
  write_str(s, "to ");
  write_str(s, "stdout");
  stdout_status = ft_sink_close(NULL, s, 1);
}

static void stdout_discard(void) {
  ft_sink *s = NULL;
  stdout_status = ft_sink_open_file(NULL, "-", &s);
  if (stdout_status) return;
  write_str(s, "never seen");
  stdout_status = ft_sink_close(NULL, s, 0);
}

static void test_stdout(void) {
  size_t len = 0;
  char *got = capture_stdout(stdout_commit, &len);
  CU_ASSERT_EQUAL(stdout_status, FT_OK);
  CU_ASSERT(got && len == 9 && memcmp(got, "to stdout", 9) == 0);
  free(got);
  got = capture_stdout(stdout_discard, &len);
  CU_ASSERT_EQUAL(stdout_status, FT_OK);
  CU_ASSERT_EQUAL(len, 0);
  free(got);
  /* standard output is still open and usable */
  CU_ASSERT_NOT_EQUAL(fcntl(1, F_GETFD), -1);
  CU_ASSERT(!ferror(stdout));
}

static void test_memory(void) {
  ft_ctx *ctx = ft_ctx_new();
  ft_sink *s = NULL;
  size_t len = 7;
  const char *d;
  char big[5000];
  int k;
  CU_ASSERT_EQUAL_FATAL(ft_sink_open_memory(ctx, &s), FT_OK);
  d = ft_sink_memory_data(s, &len);
  CU_ASSERT_STRING_EQUAL(d, "");
  CU_ASSERT_EQUAL(len, 0);
  CU_ASSERT_EQUAL(write_str(s, "abc"), 0);
  memset(big, 'z', sizeof big);
  for (k = 0; k < 100; k++) CU_ASSERT_EQUAL(s->write(s->user, big, sizeof big), 0);
  d = ft_sink_memory_data(s, &len);
  CU_ASSERT_EQUAL(len, 3 + 100 * sizeof big);
  CU_ASSERT(memcmp(d, "abcz", 4) == 0 && d[len - 1] == 'z' && d[len] == '\0');
  CU_ASSERT_EQUAL(ft_sink_close(ctx, s, 1), FT_OK);
  CU_ASSERT_PTR_NULL(ft_sink_memory_data(NULL, &len));
  CU_ASSERT_EQUAL(len, 0);
  ft_ctx_free(ctx);
}

static const ft_test_case cases[] = {
    {"commit writes target", test_commit_writes_target},
    {"durable commit", test_commit_sync},
    {"replace and discard", test_replace_and_discard},
    {"open errors", test_open_errors},
    {"rename failure", test_rename_failure},
    {"write failure", test_write_failure},
    {"stdout", test_stdout},
    {"memory", test_memory},
    {NULL, NULL},
};

int main(void) { return ft_test_main("sink", cases); }
