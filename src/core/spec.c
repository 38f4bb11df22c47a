/* src/core/spec.c - the one parser for stage specifications.
 *
 * A spec ("median:r=2,flatten:r=40,mode=divide") is split at commas into
 * tokens.  A token without '=' starts a new item: its name up to an optional
 * ':' is looked up in the caller's table of kinds, and what follows the ':'
 * is a ':'-separated list of key=value pairs.  A token with '=' is one more
 * key=value pair of the current item.  Every value is converted and checked
 * by the descriptor of its key (type, offsetof, min, max), in the manner of
 * libvips' argument tables, so parsing, defaults, range checks and the help
 * text all come from one table per operation.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/internal.h"
#include "figtrace/spec.h"

#define SPEC_LIST_MAX 512 /* room for the "(known: ...)" part of a message */

int ft__parse_real(const char *s, double *v, const char **rest) {
  char *end;
  double x;
  if (!s || !*s || isspace((unsigned char)*s)) return -1;
  errno = 0;
  x = strtod(s, &end);
  if (end == s || errno == ERANGE || !isfinite(x)) return -1;
  *v = x;
  *rest = end;
  return 0;
}

int ft__parse_real_in(const char *s, double lo, double hi, double *v) {
  const char *rest;
  double x;
  if (ft__parse_real(s, &x, &rest) || *rest || !(x >= lo && x <= hi)) return -1;
  *v = x;
  return 0;
}

static int *int_field(void *p, const ft_spec_arg *a) { return (int *)((char *)p + a->offset); }
static double *dbl_field(void *p, const ft_spec_arg *a) {
  return (double *)((char *)p + a->offset);
}
static int int_value(const void *p, const ft_spec_arg *a) {
  return *(const int *)((const char *)p + a->offset);
}
static double dbl_value(const void *p, const ft_spec_arg *a) {
  return *(const double *)((const char *)p + a->offset);
}

static int nchoices(const ft_spec_arg *a) {
  int n = 0;
  while (a->choices && a->choices[n]) n++;
  return n;
}

void ft_spec_defaults(const ft_spec_kind *k, void *p) {
  int i;
  memset(p, 0, k->params_size);
  for (i = 0; i < k->nargs; i++) {
    const ft_spec_arg *a = &k->args[i];
    if (a->type == FT_ARG_DOUBLE)
      *dbl_field(p, a) = a->def;
    else
      *int_field(p, a) = (int)a->def;
  }
}

/* "%g" without a trailing exponent surprise for the values tables use. */
static void fmt_num(char *buf, size_t size, double v) { snprintf(buf, size, "%.10g", v); }

void ft_spec_format_default(const ft_spec_arg *a, char *buf, size_t size) {
  int d = (int)a->def;
  if (size == 0) return;
  switch (a->type) {
    case FT_ARG_CHOICE:
      snprintf(buf, size, "%s", d >= 0 && d < nchoices(a) ? a->choices[d] : "?");
      break;
    case FT_ARG_BOOL: snprintf(buf, size, "%s", d ? "yes" : "no"); break;
    default: fmt_num(buf, size, a->def); break;
  }
}

/* Append s to buf (of size bytes, already a string), truncating with "...". */
static void append(char *buf, size_t size, const char *s) {
  size_t len = strlen(buf), sl = strlen(s);
  if (len + sl + 4 >= size) {
    if (len + 4 < size && strcmp(buf + (len >= 3 ? len - 3 : 0), "...") != 0)
      memcpy(buf + len, "...", 4);
    return;
  }
  memcpy(buf + len, s, sl + 1);
}

static void list_kinds(char *buf, size_t size, const ft_spec_kind *kinds, int nkinds) {
  int i;
  buf[0] = '\0';
  for (i = 0; i < nkinds; i++) {
    if (i) append(buf, size, ", ");
    append(buf, size, kinds[i].name);
  }
}

static void list_keys(char *buf, size_t size, const ft_spec_kind *k) {
  int i;
  buf[0] = '\0';
  if (k->nargs == 0) append(buf, size, "none");
  for (i = 0; i < k->nargs; i++) {
    if (i) append(buf, size, ", ");
    append(buf, size, k->args[i].name);
  }
}

static void list_choices(char *buf, size_t size, const ft_spec_arg *a) {
  int i, n = nchoices(a);
  buf[0] = '\0';
  for (i = 0; i < n; i++) {
    if (i) append(buf, size, ", ");
    append(buf, size, a->choices[i]);
  }
}

static ft_status range_error(ft_ctx *ctx, const char *domain, const ft_spec_kind *k,
                             const ft_spec_arg *a, double v) {
  char lo[32], hi[32], val[32];
  fmt_num(lo, sizeof lo, a->min);
  fmt_num(hi, sizeof hi, a->max);
  fmt_num(val, sizeof val, v);
  return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: %s=%s out of range %s..%s", domain, k->name,
                  a->name, val, lo, hi);
}

ft_status ft_spec_check(ft_ctx *ctx, const char *domain, const ft_spec_kind *k, const void *p) {
  int i;
  const char *why;
  for (i = 0; i < k->nargs; i++) {
    const ft_spec_arg *a = &k->args[i];
    double v;
    switch (a->type) {
      case FT_ARG_INT:
        v = int_value(p, a);
        if (v < a->min || v > a->max) return range_error(ctx, domain, k, a, v);
        break;
      case FT_ARG_DOUBLE:
        v = dbl_value(p, a);
        if (!isfinite(v) || v < a->min || v > a->max) return range_error(ctx, domain, k, a, v);
        break;
      case FT_ARG_BOOL:
        if (int_value(p, a) != 0 && int_value(p, a) != 1)
          return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: %s=%d is not 0 or 1", domain, k->name,
                          a->name, int_value(p, a));
        break;
      case FT_ARG_CHOICE:
        if (int_value(p, a) < 0 || int_value(p, a) >= nchoices(a)) {
          char buf[SPEC_LIST_MAX];
          list_choices(buf, sizeof buf, a);
          return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: %s=%d is not a valid choice (%s)", domain,
                          k->name, a->name, int_value(p, a), buf);
        }
        break;
    }
  }
  if (k->validate && (why = k->validate(p)) != NULL)
    return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: %s", domain, k->name, why);
  return FT_OK;
}

/* Trim blanks at both ends of [s, s+len); returns the new start, sets *len. */
static const char *trim(const char *s, size_t *len) {
  while (*len && isspace((unsigned char)*s)) s++, (*len)--;
  while (*len && isspace((unsigned char)s[*len - 1])) (*len)--;
  return s;
}

static int bool_word(const char *s, int *v) {
  static const char *const yes[] = {"1", "yes", "true", "on"};
  static const char *const no[] = {"0", "no", "false", "off"};
  size_t i;
  for (i = 0; i < 4; i++) {
    if (!strcasecmp(s, yes[i])) return *v = 1, 1;
    if (!strcasecmp(s, no[i])) return *v = 0, 1;
  }
  return 0;
}

/* Apply one "key=value" (pair, of length len) to params p of kind k. */
static ft_status set_pair(ft_ctx *ctx, const char *domain, const ft_spec_kind *k, void *p,
                          const char *pair, size_t len) {
  const char *eq = memchr(pair, '=', len), *key, *val;
  size_t klen, vlen;
  char kbuf[64], vbuf[64], list[SPEC_LIST_MAX];
  const ft_spec_arg *a = NULL;
  int i;
  if (!eq)
    return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: expected key=value, got '%.*s'", domain,
                    k->name, (int)(len > 40 ? 40 : len), pair);
  klen = (size_t)(eq - pair);
  vlen = len - klen - 1;
  key = trim(pair, &klen);
  val = trim(eq + 1, &vlen);
  if (klen == 0 || klen >= sizeof kbuf)
    return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: missing or overlong key in '%.*s'", domain,
                    k->name, (int)(len > 40 ? 40 : len), pair);
  memcpy(kbuf, key, klen);
  kbuf[klen] = '\0';
  for (i = 0; i < k->nargs; i++)
    if (!strcasecmp(k->args[i].name, kbuf)) a = &k->args[i];
  if (!a) {
    list_keys(list, sizeof list, k);
    return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: unknown key '%s' (keys: %s)", domain, k->name,
                    kbuf, list);
  }
  if (vlen == 0 || vlen >= sizeof vbuf)
    return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: %s has %s value", domain, k->name, kbuf,
                    vlen ? "an overlong" : "an empty");
  memcpy(vbuf, val, vlen);
  vbuf[vlen] = '\0';
  if (a->type == FT_ARG_CHOICE) {
    int n = nchoices(a);
    for (i = 0; i < n; i++)
      if (!strcasecmp(a->choices[i], vbuf)) {
        *int_field(p, a) = i;
        return FT_OK;
      }
    list_choices(list, sizeof list, a);
    return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: %s='%s' is not one of: %s", domain, k->name,
                    kbuf, vbuf, list);
  }
  if (a->type == FT_ARG_BOOL) {
    int b;
    if (!bool_word(vbuf, &b))
      return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: %s='%s' is not yes/no/true/false/1/0", domain,
                      k->name, kbuf, vbuf);
    *int_field(p, a) = b;
    return FT_OK;
  } else {
    const char *end;
    double v;
    if (ft__parse_real(vbuf, &v, &end) || *end != '\0')
      return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: %s='%s' is not a number", domain, k->name,
                      kbuf, vbuf);
    if (a->type == FT_ARG_INT && v != floor(v))
      return ft__fail(ctx, FT_ERR_INVAL, "%s: %s: %s='%s' is not a whole number", domain,
                      k->name, kbuf, vbuf);
    if (v < a->min || v > a->max) return range_error(ctx, domain, k, a, v);
    if (a->type == FT_ARG_INT)
      *int_field(p, a) = (int)v;
    else
      *dbl_field(p, a) = v;
  }
  return FT_OK;
}

void ft_spec_list_free(ft_spec_list *list) {
  int i;
  if (!list) return;
  for (i = 0; i < list->n; i++) free(list->items[i].params);
  free(list->items);
  free(list);
}

/* Start a new item from "name[:k=v[:k=v...]]". */
static ft_status start_item(ft_ctx *ctx, const char *domain, const char *item_word,
                            const ft_spec_kind *kinds, int nkinds, ft_spec_list *list, int *cap,
                            const char *tok, size_t len) {
  const char *colon = memchr(tok, ':', len), *name;
  size_t nlen = colon ? (size_t)(colon - tok) : len;
  int i, kind = -1;
  ft_spec_item *it;
  name = trim(tok, &nlen);
  for (i = 0; i < nkinds; i++)
    if (strlen(kinds[i].name) == nlen && !strncasecmp(kinds[i].name, name, nlen)) kind = i;
  if (kind < 0) {
    char list_buf[SPEC_LIST_MAX];
    list_kinds(list_buf, sizeof list_buf, kinds, nkinds);
    if (nlen == 0)
      return ft__fail(ctx, FT_ERR_INVAL, "%s: empty %s name (known: %s)", domain, item_word,
                      list_buf);
    return ft__fail(ctx, FT_ERR_INVAL, "%s: unknown %s '%.*s' (known: %s)", domain, item_word,
                    (int)(nlen > 40 ? 40 : nlen), name, list_buf);
  }
  if (ft__grow((void **)&list->items, cap, list->n + 1, sizeof *list->items))
    return ft__nomem(ctx, domain);
  it = &list->items[list->n];
  it->kind = kind;
  it->params = ft__calloc_n(1, kinds[kind].params_size);
  if (!it->params) return ft__nomem(ctx, domain);
  list->n++;
  ft_spec_defaults(&kinds[kind], it->params);
  /* the rest: ':'-separated pairs */
  while (colon) {
    const char *p = colon + 1, *next = memchr(p, ':', (size_t)(tok + len - p));
    size_t plen = next ? (size_t)(next - p) : (size_t)(tok + len - p);
    ft_status st = set_pair(ctx, domain, &kinds[kind], it->params, p, plen);
    if (st) return st;
    colon = next;
  }
  return FT_OK;
}

ft_status ft_spec_parse(ft_ctx *ctx, const char *domain, const char *item_word,
                        const ft_spec_kind *kinds, int nkinds, const char *text,
                        ft_spec_list **out) {
  ft_spec_list *list;
  const char *s = text ? text : "";
  int cap = 0, i;
  ft_status st = FT_OK;
  *out = NULL;
  list = calloc(1, sizeof *list);
  if (!list) return ft__nomem(ctx, domain);
  {
    size_t all = strlen(s);
    if (trim(s, &all), all == 0) {
      *out = list;
      return FT_OK;
    }
  }
  for (;;) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s), tlen = len;
    const char *tok = trim(s, &tlen);
    const char *eq = memchr(tok, '=', tlen), *colon = memchr(tok, ':', tlen);
    if (tlen == 0) {
      st = ft__fail(ctx, FT_ERR_INVAL, "%s: empty item in '%s'", domain, text);
      break;
    }
    if (eq && (!colon || eq < colon)) {
      if (list->n == 0) {
        st = ft__fail(ctx, FT_ERR_INVAL, "%s: '%.*s' comes before any %s name", domain,
                      (int)(tlen > 40 ? 40 : tlen), tok, item_word);
        break;
      }
      /* more pairs of the current item, ':' or ',' separated */
      {
        const ft_spec_kind *k = &kinds[list->items[list->n - 1].kind];
        void *p = list->items[list->n - 1].params;
        const char *q = tok, *end = tok + tlen;
        while (!st) {
          const char *c = memchr(q, ':', (size_t)(end - q));
          st = set_pair(ctx, domain, k, p, q, c ? (size_t)(c - q) : (size_t)(end - q));
          if (!c) break;
          q = c + 1;
        }
      }
    } else {
      st = start_item(ctx, domain, item_word, kinds, nkinds, list, &cap, tok, tlen);
    }
    if (st || !comma) break;
    s = comma + 1;
  }
  for (i = 0; !st && i < list->n; i++)
    st = ft_spec_check(ctx, domain, &kinds[list->items[i].kind], list->items[i].params);
  if (st) {
    ft_spec_list_free(list);
    return st;
  }
  *out = list;
  return FT_OK;
}

void ft_spec_describe(const ft_spec_kind *kinds, int nkinds, ft_spec_line_fn fn, void *user) {
  char line[SPEC_LIST_MAX + 256], key[96], def[64], lo[32], hi[32], ch[SPEC_LIST_MAX];
  int i, j;
  for (i = 0; i < nkinds; i++) {
    const ft_spec_kind *k = &kinds[i];
    snprintf(line, sizeof line, "%-10s %s", k->name, k->help ? k->help : "");
    fn(user, line);
    for (j = 0; j < k->nargs; j++) {
      const ft_spec_arg *a = &k->args[j];
      ft_spec_format_default(a, def, sizeof def);
      fmt_num(lo, sizeof lo, a->min);
      fmt_num(hi, sizeof hi, a->max);
      switch (a->type) {
        case FT_ARG_INT:
          snprintf(key, sizeof key, "%s=INT", a->name);
          snprintf(line, sizeof line, "    %-14s %s (%s..%s, default %s)", key,
                   a->help ? a->help : "", lo, hi, def);
          break;
        case FT_ARG_DOUBLE:
          snprintf(key, sizeof key, "%s=NUM", a->name);
          snprintf(line, sizeof line, "    %-14s %s (%s..%s, default %s)", key,
                   a->help ? a->help : "", lo, hi, def);
          break;
        case FT_ARG_BOOL:
          snprintf(key, sizeof key, "%s=yes|no", a->name);
          snprintf(line, sizeof line, "    %-14s %s (default %s)", key, a->help ? a->help : "",
                   def);
          break;
        case FT_ARG_CHOICE:
          list_choices(ch, sizeof ch, a);
          snprintf(key, sizeof key, "%s=WORD", a->name);
          snprintf(line, sizeof line, "    %-14s %s (%s; default %s)", key,
                   a->help ? a->help : "", ch, def);
          break;
      }
      fn(user, line);
    }
  }
}
