#include "stanza.h"

#include "form.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

mxml_node_t *muc_stanza_new(muc_service *svc, const char *name,
                            const char *from, const char *to, const char *type,
                            const char *id)
{
  mxml_node_t *st = muc_xml_new_element(NULL, name);
  if (!st) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return NULL;
  }
  muc_attr(svc, st, "from", from);
  muc_attr(svc, st, "to", to);
  muc_attr(svc, st, "type", type);
  muc_attr(svc, st, "id", id);
  return st;
}

mxml_node_t *muc_el(muc_service *svc, mxml_node_t *parent, const char *name,
                    const char *ns)
{
  if (!parent)
    return NULL;
  mxml_node_t *el = muc_xml_new(parent, name, ns);
  if (!el)
    muc_fail(svc, MUC_ERR_NOMEM);
  return el;
}

void muc_attr(muc_service *svc, mxml_node_t *el, const char *name,
              const char *value)
{
  if (!el || !value)
    return;
  if (muc_xml_set_attr(el, name, value) != MUC_OK)
    muc_fail(svc, MUC_ERR_NOMEM);
}

mxml_node_t *muc_el_text(muc_service *svc, mxml_node_t *parent,
                         const char *name, const char *ns, const char *text)
{
  mxml_node_t *el = muc_el(svc, parent, name, ns);
  if (el && text && *text && muc_xml_add_text(el, text) != MUC_OK)
    muc_fail(svc, MUC_ERR_NOMEM);
  return el;
}

mxml_node_t *muc_el_copy(muc_service *svc, mxml_node_t *parent,
                         const mxml_node_t *n)
{
  mxml_node_t *c = muc_xml_copy(parent, n);
  if (!c)
    muc_fail(svc, MUC_ERR_NOMEM);
  return c;
}

/* The data form builders, recording a failure.  A NULL parent means an
 * earlier step failed and was recorded: nothing more to do or to say. */
static mxml_node_t *built(muc_service *svc, mxml_node_t *n)
{
  if (!n)
    muc_fail(svc, MUC_ERR_NOMEM);
  return n;
}

static void done(muc_service *svc, int rc)
{
  if (rc != MUC_OK)
    muc_fail(svc, MUC_ERR_NOMEM);
}

mxml_node_t *muc_fx_new(muc_service *svc, mxml_node_t *parent, const char *type,
                        const char *title, const char *instructions)
{
  return parent ? built(svc, muc_form_new(parent, type, title, instructions))
                : NULL;
}

mxml_node_t *muc_fx_field(muc_service *svc, mxml_node_t *x, const char *var,
                          const char *type, const char *label)
{
  return x ? built(svc, muc_form_add_field(x, var, type, label)) : NULL;
}

mxml_node_t *muc_fx_form_type(muc_service *svc, mxml_node_t *x,
                              const char *form_type)
{
  return x ? built(svc, muc_form_add_form_type(x, form_type)) : NULL;
}

void muc_fx_value(muc_service *svc, mxml_node_t *field, const char *value)
{
  if (field)
    done(svc, muc_form_add_value(field, value));
}

void muc_fx_option(muc_service *svc, mxml_node_t *field, const char *label,
                   const char *value)
{
  if (field)
    done(svc, muc_form_add_option(field, label, value));
}

void muc_fx_desc(muc_service *svc, mxml_node_t *field, const char *desc)
{
  if (field)
    done(svc, muc_form_add_desc(field, desc));
}

void muc_fx_required(muc_service *svc, mxml_node_t *field)
{
  if (field)
    done(svc, muc_form_set_required(field));
}

char *muc_text(muc_service *svc, const mxml_node_t *el)
{
  char *t = muc_xml_text_dup(&svc->mem, el);
  if (!t)
    muc_fail(svc, MUC_ERR_NOMEM);
  return t;
}

char *muc_child_text(muc_service *svc, const mxml_node_t *parent,
                     const char *name, const char *ns)
{
  const mxml_node_t *c = muc_xml_child(parent, name, ns);
  return c ? muc_text(svc, c) : NULL;
}

/* Once memory has run out during a call, nothing more is queued: what
 * is being built may be missing a part. */
static int may_queue(muc_service *svc)
{
  return !svc->oom;
}

static void queue_whole(muc_service *svc, const char *xml, size_t len,
                        const char *to)
{
  muc_tmpl t;
  if (muc_outq_template(&svc->outq, xml, len, MUC_OUTQ_WHOLE, &t) != MUC_OK ||
      muc_outq_push(&svc->outq, &t, to, 0) != MUC_OK)
    muc_fail(svc, MUC_ERR_NOMEM);
}

void muc_send(muc_service *svc, const mxml_node_t *st)
{
  if (!st || !may_queue(svc))
    return;
  muc_buf_reset(&svc->scratch);
  if (muc_xml_write(&svc->scratch, st) != MUC_OK) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return;
  }
  const char *to = muc_xml_attr(st, "to");
  queue_whole(svc, svc->scratch.data, svc->scratch.len, to ? to : "");
}

void muc_send_free(muc_service *svc, mxml_node_t *st)
{
  if (!st)
    return;
  muc_send(svc, st);
  mxmlDelete(st);
}

size_t muc_wire_splice_point(const char *text, size_t len)
{
  /* attribute values are escaped: the first '>' ends the start tag */
  const char *gt = memchr(text, '>', len);
  if (!gt)
    return len;
  size_t at = (size_t)(gt - text);
  if (at > 0 && text[at - 1] == '/')
    at--;
  return at;
}

int muc_wire_from_text(muc_service *svc, muc_wire *w, const char *text,
                       size_t len)
{
  memset(w, 0, sizeof(*w));
  if (!may_queue(svc))
    return MUC_ERR_NOMEM;
  uint32_t splice = (uint32_t)muc_wire_splice_point(text, len);
  if (muc_outq_template(&svc->outq, text, len, splice, &w->t) != MUC_OK) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return MUC_ERR_NOMEM;
  }
  w->ok = 1;
  return MUC_OK;
}

int muc_wire_from_tree(muc_service *svc, muc_wire *w, mxml_node_t *st)
{
  memset(w, 0, sizeof(*w));
  if (!st)
    return MUC_ERR_NOMEM;
  mxmlElementDeleteAttr(st, "to");
  muc_buf_reset(&svc->scratch);
  if (muc_xml_write(&svc->scratch, st) != MUC_OK) {
    muc_fail(svc, MUC_ERR_NOMEM);
    return MUC_ERR_NOMEM;
  }
  return muc_wire_from_text(svc, w, svc->scratch.data, svc->scratch.len);
}

void muc_wire_clear(muc_service *svc, muc_wire *w)
{
  (void)svc; /* the text lives in the queue until it is delivered */
  memset(w, 0, sizeof(*w));
}

mxml_node_t *muc_tree_of_text(muc_service *svc, const char *xml, size_t len)
{
  muc_xml_limits lim = {len + 1, 0, 0, 0};
  mxml_node_t *t = NULL;
  int rc = muc_xml_parse(&svc->mem, xml, len, &lim, &t);
  if (rc != MUC_OK) {
    /* our own output always parses: only memory can fail here */
    muc_fail(svc, MUC_ERR_NOMEM);
    return NULL;
  }
  return t;
}

void muc_wire_send_plain(muc_service *svc, muc_wire *w, const char *to,
                         int plain)
{
  if (!w->ok || !may_queue(svc))
    return;
  if (muc_outq_push(&svc->outq, &w->t, to, plain) != MUC_OK)
    muc_fail(svc, MUC_ERR_NOMEM);
}

void muc_wire_send(muc_service *svc, muc_wire *w, const char *to)
{
  muc_wire_send_plain(svc, w, to, 0);
}

void muc_send_text(muc_service *svc, const char *xml, size_t len,
                   const char *to)
{
  if (may_queue(svc))
    queue_whole(svc, xml, len, to);
}

mxml_node_t *muc_iq_result(muc_service *svc, const mxml_node_t *iq)
{
  return muc_stanza_new(svc, "iq", muc_xml_attr(iq, "to"),
                        muc_xml_attr(iq, "from"), "result",
                        muc_xml_attr(iq, "id"));
}

void muc_send_error(muc_service *svc, const mxml_node_t *orig, const char *type,
                    const char *cond, const char *text, const char *by)
{
  muc_send_error_with(svc, orig, type, cond, NULL, text, by);
}

void muc_send_error_with(muc_service *svc, const mxml_node_t *orig,
                         const char *type, const char *cond,
                         const char *cond_text, const char *text,
                         const char *by)
{
  const char *otype = muc_stanza_type(orig);
  const char *name = muc_xml_name(orig);
  /* never answer an error with an error, nor an iq result (RFC 6120
   * §8.2.3, §8.3.1) */
  if (otype && (strcmp(otype, "error") == 0 ||
                (strcmp(otype, "result") == 0 && strcmp(name, "iq") == 0)))
    return;
  mxml_node_t *st = muc_stanza_new(svc, name, muc_xml_attr(orig, "to"),
                                   muc_xml_attr(orig, "from"), "error",
                                   muc_xml_attr(orig, "id"));
  if (!st)
    return;
  if (strcmp(name, "iq") != 0) {
    for (mxml_node_t *c = muc_xml_first_element(orig); c;
         c = muc_xml_next_element(c))
      muc_el_copy(svc, st, c);
  }
  mxml_node_t *err = muc_el(svc, st, "error", NULL);
  muc_attr(svc, err, "type", type);
  muc_attr(svc, err, "by", by);
  if (cond_text)
    muc_el_text(svc, err, cond, MUC_NS_STANZAS, cond_text);
  else
    muc_el(svc, err, cond, MUC_NS_STANZAS);
  if (text)
    muc_el_text(svc, err, "text", MUC_NS_STANZAS, text);
  muc_send_free(svc, st);
}

const char *muc_stanza_type(const mxml_node_t *st)
{
  return muc_xml_attr(st, "type");
}

const char *muc_stanza_error_condition(const mxml_node_t *st)
{
  mxml_node_t *err = muc_xml_child(st, "error", NULL);
  if (!err)
    return NULL;
  for (mxml_node_t *c = muc_xml_first_element(err); c;
       c = muc_xml_next_element(c)) {
    const char *ns = muc_xml_ns(c);
    if (ns && strcmp(ns, MUC_NS_STANZAS) == 0 &&
        strcmp(muc_xml_name(c), "text") != 0)
      return muc_xml_name(c);
  }
  return NULL;
}

void muc_new_id(muc_service *svc, char *buf, size_t size)
{
  if (svc->cb.make_id && svc->cb.make_id(buf, size, svc->ud) == 0 &&
      memchr(buf, 0, size) && buf[0])
    return;
  /* "muc-N", written by hand: this is on the path of every groupchat
   * message that comes without an id */
  char digits[24];
  size_t n = 0;
  uint64_t v = ++svc->idc;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  if (size < n + 5) {
    if (size)
      buf[0] = 0;
    return;
  }
  memcpy(buf, "muc-", 4);
  for (size_t i = 0; i < n; i++)
    buf[4 + i] = digits[n - 1 - i];
  buf[4 + n] = 0;
}

/* Days since 1970-01-01 to civil date (proleptic Gregorian). */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t yy = (int64_t)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)(yy + (*m <= 2));
}

static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

/* |v| as |n| decimal digits at |p| (zero-padded). */
static char *put_digits(char *p, unsigned v, int n)
{
  for (int i = n - 1; i >= 0; i--) {
    p[i] = (char)('0' + v % 10);
    v /= 10;
  }
  return p + n;
}

void muc_format_stamp(uint64_t ms, char *buf, size_t size)
{
  /* written by hand: snprintf was a tenth of a groupchat message's cost */
  uint64_t s = ms / 1000;
  int y;
  unsigned mo, d;
  civil_from_days((int64_t)(s / 86400), &y, &mo, &d);
  unsigned sec = (unsigned)(s % 86400);
  char t[21], *p = t;
  p = put_digits(p, y < 0 ? 0 : (y > 9999 ? 9999 : (unsigned)y), 4);
  *p++ = '-';
  p = put_digits(p, mo, 2);
  *p++ = '-';
  p = put_digits(p, d, 2);
  *p++ = 'T';
  p = put_digits(p, sec / 3600, 2);
  *p++ = ':';
  p = put_digits(p, sec / 60 % 60, 2);
  *p++ = ':';
  p = put_digits(p, sec % 60, 2);
  *p++ = 'Z';
  *p = 0;
  if (size) {
    size_t n = (size_t)(p - t) < size ? (size_t)(p - t) : size - 1;
    memcpy(buf, t, n);
    buf[n] = 0;
  }
}

static int digits(const char *s, int n, unsigned *out)
{
  unsigned v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (unsigned)(s[i] - '0');
  }
  *out = v;
  return 0;
}

int muc_parse_stamp(const char *s, uint64_t *ms)
{
  unsigned y, mo, d, h, mi, se;
  if (!s || strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' ||
      digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
      s[10] != 'T' || digits(s + 11, 2, &h) || s[13] != ':' ||
      digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &se))
    return -1;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 ||
      y < 1970)
    return -1;
  const char *p = s + 19;
  if (*p == '.') {
    p++;
    if (*p < '0' || *p > '9')
      return -1;
    while (*p >= '0' && *p <= '9')
      p++;
  }
  int64_t off = 0;
  if (*p == 'Z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    unsigned oh, om;
    if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om))
      return -1;
    off = (int64_t)(oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
    p += 6;
  } else {
    return -1;
  }
  if (*p)
    return -1;
  int64_t secs = days_from_civil((int)y, mo, d) * 86400 +
                 (int64_t)(h * 3600 + mi * 60 + se) - off;
  if (secs < 0)
    return -1;
  *ms = (uint64_t)secs * 1000;
  return 0;
}

void muc_log(muc_service *svc, muc_log_level level, const char *fmt, ...)
{
  if (!svc->cb.log)
    return;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  svc->cb.log(level, msg, svc->ud);
}
