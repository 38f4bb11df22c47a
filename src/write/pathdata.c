/* src/write/pathdata.c - compact SVG path data ("d" attributes).
 *
 * Every coordinate is first rounded to the output grid of 10^-decimals user
 * units and kept as a scaled 64-bit integer.  Relative commands are then the
 * exact differences of consecutive ROUNDED absolute points, so a reader that
 * sums them gets back each rounded point exactly and rounding error never
 * accumulates along a path, however long (SVG 1.1, Sec. 8.3 "Path data").
 *
 * The compact forms used, all within the SVG path grammar (Sec. 8.3.9):
 *   - relative m, l, h, v, c and z; axis-aligned lines become h or v;
 *   - the closing line of a closed path is left to z;
 *   - a command letter is written only when it differs from the previous one
 *     (and the first lineto after a moveto is implicit);
 *   - numbers without trailing zeros or a leading "0" (".5"), a minus sign
 *     doubling as separator ("1-2"), and no separator before ".5" when the
 *     previous number already holds a '.' ("1.5.5" reads as 1.5 and .5);
 *   - zero-length segments (after rounding) are dropped.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "write/internal.h"

int ft__buf_append(ft__buf *b, const void *s, size_t n) {
  if (n > SIZE_MAX - 1 - b->len) return -1;
  if (b->len + n + 1 > b->cap) {
    size_t ncap = b->cap ? b->cap : 256;
    char *nd;
    while (ncap < b->len + n + 1) {
      if (ncap > SIZE_MAX / 2) {
        ncap = b->len + n + 1;
        break;
      }
      ncap *= 2;
    }
    nd = realloc(b->data, ncap);
    if (!nd) return -1;
    b->data = nd;
    b->cap = ncap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int ft__buf_putc(ft__buf *b, char c) { return ft__buf_append(b, &c, 1); }

void ft__buf_free(ft__buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

static int64_t pow10i(int d) {
  int64_t s = 1;
  while (d-- > 0) s *= 10;
  return s;
}

int ft__fmt_fixed(char *out, int64_t v, int decimals, int *has_dot) {
  uint64_t scale = (uint64_t)pow10i(decimals);
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  uint64_t ip = u / scale, fp = u % scale;
  char *p = out;
  if (v < 0) *p++ = '-';
  if (fp == 0) {
    p += sprintf(p, "%llu", (unsigned long long)ip);
    *has_dot = 0;
  } else {
    int n = decimals;
    if (ip) p += sprintf(p, "%llu", (unsigned long long)ip);
    while (fp % 10 == 0) { /* drop trailing zeros */
      fp /= 10;
      n--;
    }
    p += sprintf(p, ".%0*llu", n, (unsigned long long)fp);
    *has_dot = 1;
  }
  return (int)(p - out);
}

void ft__fmt_attr(char *out, size_t outsz, double v, int decimals) {
  char tmp[40];
  int dot;
  if (!isfinite(v)) {
    snprintf(out, outsz, "0");
    return;
  }
  if (fabs(v) >= FT__PD_MAX_COORD) {
    snprintf(out, outsz, "%.0f", v);
    return;
  }
  ft__fmt_fixed(tmp, llround(v * (double)pow10i(decimals)), decimals, &dot);
  if (tmp[0] == '.')
    snprintf(out, outsz, "0%s", tmp);
  else if (tmp[0] == '-' && tmp[1] == '.')
    snprintf(out, outsz, "-0%s", tmp + 1);
  else
    snprintf(out, outsz, "%s", tmp);
}

void ft__pd_init(ft__pd *pd, int decimals) {
  memset(pd, 0, sizeof *pd);
  pd->decimals = decimals;
  pd->scale = pow10i(decimals);
}

/* Write command letter c unless it repeats the previous one. */
static int put_cmd(ft__pd *pd, ft__buf *b, char c) {
  if (pd->last_cmd == c) return 0;
  pd->last_cmd = c;
  pd->last_num = 0;
  return ft__buf_putc(b, c);
}

/* Write one number with the separator it needs, if any. */
static int put_num(ft__pd *pd, ft__buf *b, int64_t v) {
  char s[32];
  int dot, n = ft__fmt_fixed(s, v, pd->decimals, &dot);
  int need_sep = pd->last_num != 0 && s[0] != '-' && !(s[0] == '.' && pd->last_num == 2);
  if (need_sep && ft__buf_putc(b, ' ')) return -1;
  pd->last_num = dot ? 2 : 1;
  return ft__buf_append(b, s, (size_t)n);
}

static int ok_coord(double v) { return isfinite(v) && fabs(v) <= FT__PD_MAX_COORD; }

static int64_t rnd(const ft__pd *pd, double v) { return llround(v * (double)pd->scale); }

ft_status ft__pathdata(ft__pd *pd, ft__buf *b, const ft_path *p) {
  int64_t sx, sy, ex, ey, x1, y1, x2, y2;
  int i, n, k;
  if (p->nseg <= 0) return FT_OK;
  if (!ok_coord(p->start.x) || !ok_coord(p->start.y)) return FT_ERR_INVAL;
  for (i = 0; i < p->nseg; i++) {
    const ft_seg *s = &p->seg[i];
    if (s->type != FT_SEG_LINE && s->type != FT_SEG_CUBIC) return FT_ERR_INVAL;
    for (k = s->type == FT_SEG_LINE ? 2 : 0; k < 3; k++)
      if (!ok_coord(s->c[k].x) || !ok_coord(s->c[k].y)) return FT_ERR_INVAL;
  }

  sx = rnd(pd, p->start.x);
  sy = rnd(pd, p->start.y);
  if (put_cmd(pd, b, 'm') || put_num(pd, b, sx - pd->cx) || put_num(pd, b, sy - pd->cy))
    return FT_ERR_NOMEM;
  pd->cx = sx;
  pd->cy = sy;
  pd->last_cmd = 'l'; /* coordinates after a moveto are implicit linetos */

  n = p->nseg;
  if (p->closed && p->seg[n - 1].type == FT_SEG_LINE && rnd(pd, p->seg[n - 1].c[2].x) == sx &&
      rnd(pd, p->seg[n - 1].c[2].y) == sy)
    n--; /* the closing line is drawn by z */

  for (i = 0; i < n; i++) {
    const ft_seg *s = &p->seg[i];
    int err = 0;
    ex = rnd(pd, s->c[2].x) - pd->cx;
    ey = rnd(pd, s->c[2].y) - pd->cy;
    if (s->type == FT_SEG_LINE) {
      if (ex == 0 && ey == 0) continue;
      if (ey == 0)
        err = put_cmd(pd, b, 'h') || put_num(pd, b, ex);
      else if (ex == 0)
        err = put_cmd(pd, b, 'v') || put_num(pd, b, ey);
      else
        err = put_cmd(pd, b, 'l') || put_num(pd, b, ex) || put_num(pd, b, ey);
    } else {
      x1 = rnd(pd, s->c[0].x) - pd->cx;
      y1 = rnd(pd, s->c[0].y) - pd->cy;
      x2 = rnd(pd, s->c[1].x) - pd->cx;
      y2 = rnd(pd, s->c[1].y) - pd->cy;
      if (!(ex | ey | x1 | y1 | x2 | y2)) continue;
      err = put_cmd(pd, b, 'c') || put_num(pd, b, x1) || put_num(pd, b, y1) ||
            put_num(pd, b, x2) || put_num(pd, b, y2) || put_num(pd, b, ex) || put_num(pd, b, ey);
    }
    if (err) return FT_ERR_NOMEM;
    pd->cx += ex;
    pd->cy += ey;
  }
  if (p->closed) {
    if (put_cmd(pd, b, 'z')) return FT_ERR_NOMEM;
    pd->cx = sx; /* after z the current point is the subpath's start */
    pd->cy = sy;
  }
  return FT_OK;
}
