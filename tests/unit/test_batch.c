/* tests/unit/test_batch.c - the batch helpers of the figtrace program.
 *
 * JSON string escaping for --log (quotes, backslashes, control characters,
 * valid UTF-8 kept, invalid bytes replaced by U+FFFD), the report's folder
 * name, and directory expansion (name order, hidden entries skipped, -r,
 * --include globs, relative paths for mirroring) on a tree made in a fresh
 * temporary directory. */
#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include "cli/batch.h"
#include "testutil.h"

/* json_string(s) as a malloc'd string. */
static char *json_of(const char *s) {
  char *buf = NULL;
  size_t n = 0;
  FILE *m = open_memstream(&buf, &n);
  CU_ASSERT_PTR_NOT_NULL_FATAL(m);
  json_string(m, s);
  fclose(m);
  return buf;
}

static void check_json(const char *in, const char *want) {
  char *got = json_of(in);
  CU_ASSERT_STRING_EQUAL(got, want);
  if (strcmp(got, want) != 0) fprintf(stderr, "\n  json_string: got %s want %s\n", got, want);
  free(got);
}

static void test_json_string(void) {
  check_json("plain.png", "\"plain.png\"");
  check_json("a\"b\\c", "\"a\\\"b\\\\c\"");
  check_json("tab\tnl\ncr\r", "\"tab\\tnl\\ncr\\r\"");
  check_json("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
  check_json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xac", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xac\"");
  check_json("latin\xe9.png", "\"latin\\ufffd.png\"");          /* ISO 8859-1 byte */
  check_json("\xc0\xaf", "\"\\ufffd\\ufffd\"");                  /* overlong */
  check_json("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");       /* surrogate */
  check_json("\xe2\x82", "\"\\ufffd\\ufffd\"");                  /* cut short */
  check_json("", "\"\"");
  {
    char *n = json_of(NULL);
    CU_ASSERT_STRING_EQUAL(n, "null");
    free(n);
  }
}

static void test_files_dir(void) {
  char *s;
  s = report_files_dir("out/run.html");
  CU_ASSERT_STRING_EQUAL(s, "out/run_files");
  free(s);
  s = report_files_dir("run.htm");
  CU_ASSERT_STRING_EQUAL(s, "run_files");
  free(s);
  s = report_files_dir("report");
  CU_ASSERT_STRING_EQUAL(s, "report_files");
  free(s);
  s = report_image_name(0, "vec");
  CU_ASSERT_STRING_EQUAL(s, "00001-vec.png");
  free(s);
}

static char root[256];

static void touch(const char *rel) {
  char p[512];
  FILE *f;
  snprintf(p, sizeof p, "%s/%s", root, rel);
  f = fopen(p, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fclose(f);
}

static void sub(const char *rel) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", root, rel);
  CU_ASSERT_FATAL(mkdir(p, 0777) == 0);
}

/* The expanded list as "rel|rel|..." (path for inputs without rel). */
static char *expand(const cli_walk *w, char *const *args, int nargs) {
  cli_input *in = NULL;
  int n = 0, i;
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  CU_ASSERT_FATAL(cli_expand_inputs(args, nargs, w, &in, &n) == 0);
  for (i = 0; i < n; i++) fprintf(m, "%s%s", i ? "|" : "", in[i].rel ? in[i].rel : in[i].path);
  fclose(m);
  cli_inputs_free(in, n);
  return buf;
}

static void test_expand(void) {
  const char *t = getenv("TMPDIR");
  const char *tif[] = {"*.tif"};
  cli_walk w = {0, NULL, 0};
  char *args[2], *got, link[600], file[600];
  snprintf(root, sizeof root, "%s/ft_batch_XXXXXX", t && *t ? t : "/tmp");
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(root));
  touch("b.png");
  touch("A.TIF");
  touch("a.jpg");
  touch("notes.txt");
  touch(".hidden.png");
  sub("z");
  touch("z/c.pgm");
  sub("z/deeper");
  touch("z/deeper/d.tif");
  sub(".git");
  touch(".git/e.png");
  snprintf(link, sizeof link, "%s/zlink", root);
  snprintf(file, sizeof file, "%s/z", root);
  CU_ASSERT_FATAL(symlink(file, link) == 0);

  args[0] = root;
  got = expand(&w, args, 1);
  CU_ASSERT_STRING_EQUAL(got, "A.TIF|a.jpg|b.png");
  free(got);

  w.recursive = 1;
  got = expand(&w, args, 1);
  CU_ASSERT_STRING_EQUAL(got, "A.TIF|a.jpg|b.png|z/c.pgm|z/deeper/d.tif");
  free(got);

  w.patterns = tif;
  w.npatterns = 1;
  got = expand(&w, args, 1);
  CU_ASSERT_STRING_EQUAL(got, "z/deeper/d.tif");
  free(got);

  /* Files and "-" stand for themselves, with no relative path. */
  args[0] = "-";
  args[1] = "missing.png";
  got = expand(&w, args, 2);
  CU_ASSERT_STRING_EQUAL(got, "-|missing.png");
  free(got);
  {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CU_ASSERT(system(cmd) == 0);
  }
}

static const ft_test_case cases[] = {
    {"JSON strings", test_json_string},
    {"report folder and image names", test_files_dir},
    {"directory expansion", test_expand},
    {NULL, NULL},
};

int main(void) { return ft_test_main("batch", cases); }
