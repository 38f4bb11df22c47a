/* src/write/pathdata.c - compact SVG path data ("d" attributes).
 *
 * Every coordinate is first rounded to the output grid of 10^-decimals user
 * units and kept as a scaled 64-bit integer.  Relative commands are then the
 * exact differences of consecutive ROUNDED absolute points, so a reader that
 * sums them gets back each rounded point exactly and rounding error never
 * accumulates along a path, however long (SVG 1.1, Sec. 8.3 "Path data").
 *
 * The compact forms used, all within the SVG path grammar (Sec. 8.3.9):
 *   - relative m, l, h, v, c and z; axis-aligned lines become h or v; a
 *     command switches to its absolute form (M, L, H, V, C) where that is
 *     shorter (e.g. "H0" for "h-10"), the values still exact rounded points;
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

/* The decimal digits of x at p, exactly w of them (leading zeros) when w > 0,
 * else as many as it takes; returns their count.  (sprintf's work without
 * its format parsing: path data formats a number per coordinate.) */
static int put_digits(char *p, uint64_t x, int w) {
  int n = w, i;
  if (n <= 0) {
    uint64_t t = x;
    n = 1;
    while (t >= 10) {
      t /= 10;
      n++;
    }
  }
  for (i = n - 1; i >= 0; i--) {
    p[i] = (char)('0' + x % 10);
    x /= 10;
  }
  return n;
}

int ft__fmt_fixed(char *out, int64_t v, int decimals, int *has_dot) {
  uint64_t scale = (uint64_t)pow10i(decimals);
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  uint64_t ip = u / scale, fp = u % scale;
  char *p = out;
  if (v < 0) *p++ = '-';
  if (fp == 0) {
    p += put_digits(p, ip, 0);
    *has_dot = 0;
  } else {
    int n = decimals;
    if (ip) p += put_digits(p, ip, 0);
    while (fp % 10 == 0) { /* drop trailing zeros */
      fp /= 10;
      n--;
    }
    *p++ = '.';
    p += put_digits(p, fp, n);
    *has_dot = 1;
  }
  *p = '\0';
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

/* One command's text, built before it is chosen. */
typedef struct scratch {
  char s[256]; /* a letter and at most 6 numbers of <= 22 characters */
  int n;
} scratch;

/* Add command letter c unless it repeats the previous one. */
static void put_cmd(ft__pd *pd, scratch *o, char c) {
  if (pd->last_cmd == c) return;
  pd->last_cmd = c;
  pd->last_num = 0;
  o->s[o->n++] = c;
}

/* Add one number with the separator it needs, if any. */
static void put_num(ft__pd *pd, scratch *o, int64_t v) {
  char s[32];
  int dot, n = ft__fmt_fixed(s, v, pd->decimals, &dot);
  if (pd->last_num != 0 && s[0] != '-' && !(s[0] == '.' && pd->last_num == 2))
    o->s[o->n++] = ' ';
  pd->last_num = dot ? 2 : 1;
  memcpy(o->s + o->n, s, (size_t)n);
  o->n += n;
}

/* Encode one command of `kind` ('m' moveto, 'l' lineto, 'c' cubic) to the
 * absolute scaled points pts ([2] or [6], end point last), in relative
 * (abs = 0) or absolute form, advancing pd. */
static void encode(ft__pd *pd, scratch *o, int abs, char kind, const int64_t *pts) {
  int64_t ox = abs ? 0 : pd->cx, oy = abs ? 0 : pd->cy;
  int i;
  switch (kind) {
    case 'm':
      put_cmd(pd, o, abs ? 'M' : 'm');
      put_num(pd, o, pts[0] - ox);
      put_num(pd, o, pts[1] - oy);
      pd->last_cmd = abs ? 'L' : 'l'; /* coordinates after a moveto are implicit linetos */
      break;
    case 'l':
      if (pts[1] == pd->cy) {
        put_cmd(pd, o, abs ? 'H' : 'h');
        put_num(pd, o, pts[0] - ox);
      } else if (pts[0] == pd->cx) {
        put_cmd(pd, o, abs ? 'V' : 'v');
        put_num(pd, o, pts[1] - oy);
      } else {
        put_cmd(pd, o, abs ? 'L' : 'l');
        put_num(pd, o, pts[0] - ox);
        put_num(pd, o, pts[1] - oy);
      }
      break;
    default:
      put_cmd(pd, o, abs ? 'C' : 'c');
      for (i = 0; i < 6; i++) put_num(pd, o, pts[i] - (i % 2 ? oy : ox));
      break;
  }
}

/* Append the shorter of the relative and absolute forms (relative on a
 * tie) and move the current point to the command's end. */
static int emit(ft__pd *pd, ft__buf *b, char kind, const int64_t *pts) {
  ft__pd rel = *pd, abs = *pd;
  scratch r, a;
  int nend = kind == 'c' ? 4 : 0;
  r.n = a.n = 0;
  encode(&rel, &r, 0, kind, pts);
  encode(&abs, &a, 1, kind, pts);
  if (a.n < r.n) {
    *pd = abs;
    if (ft__buf_append(b, a.s, (size_t)a.n)) return -1;
  } else {
    *pd = rel;
    if (ft__buf_append(b, r.s, (size_t)r.n)) return -1;
  }
  pd->cx = pts[nend];
  pd->cy = pts[nend + 1];
  return 0;
}

static int ok_coord(double v) { return isfinite(v) && fabs(v) <= FT__PD_MAX_COORD; }

static int64_t rnd(const ft__pd *pd, double v) { return llround(v * (double)pd->scale); }

ft_status ft__pathdata(ft__pd *pd, ft__buf *b, const ft_path *p) {
  int64_t sx, sy, pts[6];
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
  pts[0] = sx;
  pts[1] = sy;
  if (emit(pd, b, 'm', pts)) return FT_ERR_NOMEM;

  n = p->nseg;
  if (p->closed && p->seg[n - 1].type == FT_SEG_LINE && rnd(pd, p->seg[n - 1].c[2].x) == sx &&
      rnd(pd, p->seg[n - 1].c[2].y) == sy)
    n--; /* the closing line is drawn by z */

  for (i = 0; i < n; i++) {
    const ft_seg *s = &p->seg[i];
    for (k = s->type == FT_SEG_LINE ? 2 : 0; k < 3; k++) {
      pts[2 * k] = rnd(pd, s->c[k].x);
      pts[2 * k + 1] = rnd(pd, s->c[k].y);
    }
    if (s->type == FT_SEG_LINE) {
      if (pts[4] == pd->cx && pts[5] == pd->cy) continue; /* zero length */
      if (emit(pd, b, 'l', pts + 4)) return FT_ERR_NOMEM;
    } else {
      int zero = 1;
      for (k = 0; k < 3; k++) zero &= pts[2 * k] == pd->cx && pts[2 * k + 1] == pd->cy;
      if (zero) continue;
      if (emit(pd, b, 'c', pts)) return FT_ERR_NOMEM;
    }
  }
  if (p->closed) {
    if (ft__buf_putc(b, 'z')) return FT_ERR_NOMEM;
    pd->last_cmd = 'z';
    pd->last_num = 0;
    pd->cx = sx; /* after z the current point is the subpath's start */
    pd->cy = sy;
  }
  return FT_OK;
}
