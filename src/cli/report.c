/* src/cli/report.c - the --log JSON lines and the --report HTML contact sheet.
 *
 * --log FILE appends one JSON object per input (JSON Lines), in input
 * order, each written with a single write so that several figtrace runs
 * (Slurm array tasks) may share one log on a local file system:
 *
 *   {"input":"a.png","output":"out/a.svg","status":"ok","error":null,
 *    "width":480,"height":320,"paths":41,"segments":1234,"seconds":0.052}
 *
 * status is "ok", "failed", "skipped" (--skip-existing) or "cancelled".
 * Strings follow RFC 8259: quote, backslash and control characters are
 * escaped, and bytes that are not valid UTF-8 (file names may hold any
 * byte) become U+FFFD, so every line parses.
 *
 * --report FILE.html writes a contact sheet: for every input its original,
 * the vector rendering and the outlines drawn over the original, with the
 * figures of the log.  The images are PNG files (ft_render_png, at most
 * 384 pixels on a side) in FILE_files/ beside the page rather than data URIs,
 * so a sheet of thousands of inputs stays a small page that a browser loads
 * incrementally.  The page carries a short script that, once the window
 * has loaded, counts the images that decoded and writes the count into a
 * marker element (used by the end-to-end test in headless Chromium).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/batch.h"

#define PREVIEW_SIZE 384

/* ---- JSON ---- */

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid. */
static int utf8_len(const unsigned char *s) {
  if (s[0] < 0x80) return 1;
  if (s[0] >= 0xc2 && s[0] <= 0xdf) return (s[1] & 0xc0) == 0x80 ? 2 : 0;
  if (s[0] >= 0xe0 && s[0] <= 0xef) {
    if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80) return 0;
    if (s[0] == 0xe0 && s[1] < 0xa0) return 0; /* overlong */
    if (s[0] == 0xed && s[1] >= 0xa0) return 0; /* surrogates */
    return 3;
  }
  if (s[0] >= 0xf0 && s[0] <= 0xf4) {
    if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80) return 0;
    if (s[0] == 0xf0 && s[1] < 0x90) return 0;
    if (s[0] == 0xf4 && s[1] >= 0x90) return 0;
    return 4;
  }
  return 0;
}

void json_string(FILE *fp, const char *str) {
  const unsigned char *s = (const unsigned char *)str;
  if (!s) {
    fputs("null", fp);
    return;
  }
  fputc('"', fp);
  while (*s) {
    int n = utf8_len(s);
    if (n == 0) {
      fputs("\\ufffd", fp);
      s++;
    } else if (n > 1) {
      fwrite(s, 1, (size_t)n, fp);
      s += n;
    } else {
      switch (*s) {
        case '"': fputs("\\\"", fp); break;
        case '\\': fputs("\\\\", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\r': fputs("\\r", fp); break;
        case '\t': fputs("\\t", fp); break;
        default:
          if (*s < 0x20 || *s == 0x7f)
            fprintf(fp, "\\u%04x", *s);
          else
            fputc(*s, fp);
      }
      s++;
    }
  }
  fputc('"', fp);
}

static const char *outcome_name(job_outcome o) {
  switch (o) {
    case OUTCOME_OK: return "ok";
    case OUTCOME_FAILED: return "failed";
    case OUTCOME_SKIPPED: return "skipped";
    case OUTCOME_CANCELLED: return "cancelled";
  }
  return "failed";
}

int report_log_line(FILE *fp, const job *j, const job_result *r) {
  char *line = NULL;
  size_t n = 0;
  FILE *m = open_memstream(&line, &n);
  int rc;
  if (!m) return -1;
  fputs("{\"input\":", m);
  json_string(m, j->input);
  fputs(",\"output\":", m);
  json_string(m, j->output);
  fprintf(m, ",\"status\":\"%s\",\"error\":", outcome_name(r->outcome));
  json_string(m, r->error);
  fprintf(m, ",\"width\":%d,\"height\":%d,\"paths\":%ld,\"segments\":%ld,\"seconds\":%.3f}\n",
          r->width, r->height, r->paths, r->segments, r->seconds);
  if (fclose(m) != 0) {
    free(line);
    return -1;
  }
  /* One write per line: the stream is unbuffered for this. */
  rc = fwrite(line, 1, n, fp) == n && fflush(fp) == 0 ? 0 : -1;
  free(line);
  return rc;
}

/* ---- files ---- */

char *report_files_dir(const char *report_path) {
  size_t n = strlen(report_path);
  char *s;
  if (n > 5 && strcmp(report_path + n - 5, ".html") == 0)
    n -= 5;
  else if (n > 4 && strcmp(report_path + n - 4, ".htm") == 0)
    n -= 4;
  s = malloc(n + 7);
  if (!s) return NULL;
  memcpy(s, report_path, n);
  memcpy(s + n, "_files", 7);
  return s;
}

char *report_image_name(int i, const char *kind) {
  char *s = malloc(48);
  if (s) snprintf(s, 48, "%05d-%s.png", i + 1, kind);
  return s;
}

/* Render one preview into dir/NAME through an atomic file sink. */
static ft_status write_png(ft_ctx *ctx, const char *dir, int i, const char *kind,
                           const ft_doc *doc, const ft_preview_params *pp) {
  char *name = report_image_name(i, kind), *path;
  ft_sink *sink = NULL;
  ft_status st, cst;
  size_t n;
  if (!name) return FT_ERR_NOMEM;
  n = strlen(dir) + strlen(name) + 2;
  path = malloc(n);
  if (!path) {
    free(name);
    return FT_ERR_NOMEM;
  }
  snprintf(path, n, "%s/%s", dir, name);
  free(name);
  st = ft_sink_open_file(ctx, path, &sink);
  free(path);
  if (st) return st;
  st = ft_render_png(ctx, doc, pp, sink);
  cst = ft_sink_close(ctx, sink, st == FT_OK);
  return st ? st : cst;
}

ft_status report_write_previews(ft_ctx *ctx, const char *dir, int i, const ft_image *img,
                                const ft_doc *doc) {
  ft_preview_params pp;
  ft_status st;
  ft_preview_params_init(&pp);
  pp.max_size = PREVIEW_SIZE;
  pp.underlay = img;
  if ((st = write_png(ctx, dir, i, "orig", NULL, &pp))) return st;
  pp.underlay = NULL;
  if ((st = write_png(ctx, dir, i, "vec", doc, &pp))) return st;
  pp.underlay = img;
  pp.outlines = 1;
  return write_png(ctx, dir, i, "overlay", doc, &pp);
}

/* ---- HTML ---- */

static void html_text(FILE *fp, const char *s) {
  for (; s && *s; s++) switch (*s) {
      case '&': fputs("&amp;", fp); break;
      case '<': fputs("&lt;", fp); break;
      case '>': fputs("&gt;", fp); break;
      case '"': fputs("&quot;", fp); break;
      case '\'': fputs("&#39;", fp); break;
      default: fputc(*s, fp);
    }
}

/* A relative URL: every byte outside the unreserved set percent-encoded
 * ('/' kept as the separator). */
static void url_path(FILE *fp, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '_' || c == '.' || c == '~' || c == '/')
      fputc(c, fp);
    else
      fprintf(fp, "%%%c%c", hex[c >> 4], hex[c & 15]);
  }
}

static void img_cell(FILE *fp, const char *files_base, int i, const char *kind, const char *alt) {
  char *name = report_image_name(i, kind);
  fputs("<td><img src=\"", fp);
  url_path(fp, files_base);
  fputc('/', fp);
  if (name) url_path(fp, name);
  fputs("\" alt=\"", fp);
  html_text(fp, alt);
  fputs("\"></td>", fp);
  free(name);
}

static const char *page_head =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>figtrace report</title>\n<style>\n"
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\n"
    "table{border-collapse:collapse}\n"
    "td,th{border-top:1px solid #ccc;padding:6px;vertical-align:top;text-align:left}\n"
    "td img{max-width:384px;max-height:384px;background:#fff;border:1px solid #ddd}\n"
    ".failed{color:#b00020}.skipped,.cancelled{color:#777}\n"
    ".name{max-width:16em;word-break:break-all}\n"
    "</style>\n</head>\n<body>\n";

/* Counts the images that decoded once everything has loaded and writes the
 * result into #ft-check (data-loaded / data-total). */
static const char *page_script =
    "<script>\n"
    "window.addEventListener('load', function () {\n"
    "  var imgs = document.images, ok = 0;\n"
    "  for (var i = 0; i < imgs.length; i++)\n"
    "    if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;\n"
    "  var m = document.getElementById('ft-check');\n"
    "  m.setAttribute('data-loaded', ok);\n"
    "  m.setAttribute('data-total', imgs.length);\n"
    "  m.textContent = ok + ' of ' + imgs.length + ' images loaded';\n"
    "});\n"
    "</script>\n";

int report_write_html(const char *report_path, const job *jobs, const job_result *res, int njobs,
                      double seconds) {
  char *page = NULL, *dir = report_files_dir(report_path);
  const char *base;
  size_t n = 0;
  FILE *m;
  ft_ctx *ctx = NULL;
  ft_sink *sink = NULL;
  ft_status st;
  int i, nok = 0, nfail = 0, nskip = 0;

  if (!dir || !(m = open_memstream(&page, &n))) {
    free(dir);
    fputs("figtrace: out of memory\n", stderr);
    return -1;
  }
  base = strrchr(dir, '/');
  base = base ? base + 1 : dir;
  for (i = 0; i < njobs; i++) {
    if (res[i].outcome == OUTCOME_OK) nok++;
    if (res[i].outcome == OUTCOME_FAILED) nfail++;
    if (res[i].outcome == OUTCOME_SKIPPED) nskip++;
  }
  fputs(page_head, m);
  fprintf(m, "<h1>figtrace report</h1>\n<p>%d input%s: %d converted, %d failed, %d skipped, "
             "in %.1f s (figtrace %s).</p>\n",
          njobs, njobs == 1 ? "" : "s", nok, nfail, nskip, seconds, ft_version());
  fputs("<p id=\"ft-check\">images not checked yet</p>\n<table>\n<thead><tr><th>input</th>"
        "<th>original</th><th>vectors</th><th>outlines over the original</th></tr></thead>\n"
        "<tbody>\n",
        m);
  for (i = 0; i < njobs; i++) {
    const job_result *r = &res[i];
    fprintf(m, "<tr class=\"%s\"><td class=\"name\"><b>", r->outcome == OUTCOME_OK ? "ok"
                                                          : r->outcome == OUTCOME_FAILED ? "failed"
                                                          : r->outcome == OUTCOME_SKIPPED ? "skipped"
                                                                                          : "cancelled");
    html_text(m, strcmp(jobs[i].input, "-") == 0 ? "stdin" : jobs[i].input);
    fputs("</b><br>", m);
    if (r->outcome == OUTCOME_OK) {
      fputs("&rarr; ", m);
      html_text(m, jobs[i].output);
      fprintf(m, "<br>%d&times;%d px<br>%ld paths, %ld segments<br>%.3f s</td>", r->width,
              r->height, r->paths, r->segments, r->seconds);
      if (r->has_previews) {
        img_cell(m, base, i, "orig", "original");
        img_cell(m, base, i, "vec", "vector rendering");
        img_cell(m, base, i, "overlay", "outlines over the original");
      } else {
        fputs("<td colspan=\"3\">no preview</td>", m);
      }
    } else if (r->outcome == OUTCOME_SKIPPED) {
      fputs("skipped: output exists</td><td colspan=\"3\"></td>", m);
    } else {
      html_text(m, r->error ? r->error : "failed");
      fputs("</td><td colspan=\"3\"></td>", m);
    }
    fputs("</tr>\n", m);
  }
  fputs("</tbody>\n</table>\n", m);
  fputs(page_script, m);
  fputs("</body>\n</html>\n", m);
  free(dir);
  if (fclose(m) != 0) {
    free(page);
    fputs("figtrace: out of memory\n", stderr);
    return -1;
  }
  if (!(ctx = ft_ctx_new())) {
    free(page);
    fputs("figtrace: out of memory\n", stderr);
    return -1;
  }
  st = ft_sink_open_file(ctx, report_path, &sink);
  if (st == FT_OK) {
    st = sink->write(sink->user, page, n) ? FT_ERR_IO : FT_OK;
    {
      ft_status cst = ft_sink_close(ctx, sink, st == FT_OK);
      if (st == FT_OK) st = cst;
    }
  }
  if (st) fprintf(stderr, "figtrace: %s\n", ft_ctx_errmsg(ctx)[0] ? ft_ctx_errmsg(ctx) : report_path);
  ft_ctx_free(ctx);
  free(page);
  return st ? -1 : 0;
}
