/* The soak's host: a service on either delivery path, a counting
 * allocator behind its memory hooks, every delivery kept for the checks,
 * and sessions ended from inside the send callback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soak.h"

static char *copy_str(const char *s)
{
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (c)
    memcpy(c, s, n);
  return c;
}

/* ---- counting allocator: a size header before each block ----------------- */

#define HDR 16

static void *count_malloc(size_t n, void *ud)
{
  soak_host *h = ud;
  unsigned char *p = malloc(n + HDR);
  if (!p)
    return NULL;
  memcpy(p, &n, sizeof(n));
  h->live_bytes += n;
  h->live_blocks++;
  if (h->live_bytes > h->peak_bytes)
    h->peak_bytes = h->live_bytes;
  return p + HDR;
}

static void count_free(void *ptr, void *ud)
{
  soak_host *h = ud;
  if (!ptr)
    return;
  unsigned char *p = (unsigned char *)ptr - HDR;
  size_t n;
  memcpy(&n, p, sizeof(n));
  h->live_bytes -= n;
  h->live_blocks--;
  free(p);
}

static void *count_realloc(void *ptr, size_t n, void *ud)
{
  if (!ptr)
    return count_malloc(n, ud);
  soak_host *h = ud;
  unsigned char *p = (unsigned char *)ptr - HDR;
  size_t old;
  memcpy(&old, p, sizeof(old));
  unsigned char *q = realloc(p, n + HDR);
  if (!q)
    return NULL;
  memcpy(q, &n, sizeof(n));
  h->live_bytes = h->live_bytes - old + n;
  if (h->live_bytes > h->peak_bytes)
    h->peak_bytes = h->live_bytes;
  return q + HDR;
}

/* ---- deliveries ------------------------------------------------------------
 */

static void keep(soak_host *h, const char *to, const char *xml, size_t len)
{
  if (h->nout == h->capout) {
    h->capout = h->capout ? h->capout * 2 : 64;
    h->out = realloc(h->out, h->capout * sizeof(*h->out));
    if (!h->out)
      abort();
  }
  delivery *d = &h->out[h->nout++];
  d->to = copy_str(to);
  d->xml = malloc(len + 1);
  if (!d->to || !d->xml)
    abort();
  memcpy(d->xml, xml, len);
  d->xml[len] = '\0';
  d->len = len;
  h->total_out++;
}

/* Maybe end the recipient's session right here, inside the callback. */
static void maybe_end(soak_host *h, const char *to)
{
  if (!h->end_in_callback || !strchr(to, '/') ||
      h->nended == sizeof(h->ended) / sizeof(h->ended[0]) ||
      soak_below(&h->rng, h->end_in_callback) != 0)
    return;
  snprintf(h->ended[h->nended++], sizeof(h->ended[0]), "%s", to);
  int rc = muc_service_session_ended(h->svc, to);
  if (rc != MUC_OK)
    h->callback_rc = rc;
}

static int on_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  soak_host *h = ud;
  keep(h, to, xml, len);
  maybe_end(h, to);
  return 0;
}

static int on_tree(const mxml_node_t *st, void *ud)
{
  soak_host *h = ud;
  char small[4096];
  /* mxmlSaveString returns the length it needs */
  int n =
      mxmlSaveString((mxml_node_t *)st, small, sizeof(small), MXML_NO_CALLBACK);
  if (n < 0)
    abort();
  char *text = small;
  if ((size_t)n >= sizeof(small)) {
    text = malloc((size_t)n + 1);
    if (!text)
      abort();
    mxmlSaveString((mxml_node_t *)st, text, n + 1, MXML_NO_CALLBACK);
  }
  const char *to = mxmlElementGetAttr((mxml_node_t *)st, "to");
  keep(h, to ? to : "", text, (size_t)n);
  if (text != small)
    free(text);
  if (to)
    maybe_end(h, to);
  return 0;
}

static uint64_t on_now(void *ud)
{
  (void)ud;
  return 1700000000000ull; /* fixed: new rooms stay locked until configured */
}

int soak_host_init(soak_host *h, int tree_path, const muc_config *cfg)
{
  memset(h, 0, sizeof(*h));
  h->tree_path = tree_path;
  h->rng = 0x9e3779b97f4a7c15ull;
  mxmlSetWrapMargin(0); /* one line per stanza, as the text path sends */
  muc_callbacks cb = {0};
  cb.send_bytes = on_bytes;
  cb.now = on_now;
  muc_allocator mem = {count_malloc, count_realloc, count_free, h};
  if (tree_path)
    return muc_service_new_tree(&h->svc, SOAK_DOMAIN, on_tree, &cb, cfg, &mem,
                                h);
  return muc_service_new(&h->svc, SOAK_DOMAIN, &cb, cfg, &mem, h);
}

void soak_host_clear(soak_host *h)
{
  for (size_t i = 0; i < h->nout; i++) {
    free(h->out[i].to);
    free(h->out[i].xml);
  }
  h->nout = 0;
  h->nended = 0;
  h->callback_rc = MUC_OK;
}

void soak_host_free(soak_host *h)
{
  soak_host_clear(h);
  free(h->out);
  muc_service_free(h->svc);
  h->svc = NULL;
}

int soak_host_send(soak_host *h, const char *xml, int as_text)
{
  if (!h->tree_path || as_text)
    return muc_service_handle_xml(h->svc, xml, strlen(xml));
  mxml_node_t *st = mxmlLoadString(NULL, xml, MXML_OPAQUE_CALLBACK);
  if (!st) {
    fprintf(stderr, "soak: the generator wrote no XML: %s\n", xml);
    abort();
  }
  int rc = muc_service_handle_stanza(h->svc, st);
  mxmlDelete(st);
  return rc;
}

/* ---- random numbers and names ----------------------------------------------
 */

uint64_t soak_rand(uint64_t *s)
{
  uint64_t x = *s ? *s : 0x2545f4914f6cdd1dull;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545f4914f6cdd1dull;
}

uint32_t soak_below(uint64_t *s, uint32_t n)
{
  return (uint32_t)((soak_rand(s) >> 32) % n);
}

void soak_session_jid(int session, char *buf, size_t size)
{
  snprintf(buf, size, "u%d@example.org/r%d", session / SOAK_RES,
           session % SOAK_RES);
}

void soak_user_jid(int user, char *buf, size_t size)
{
  snprintf(buf, size, "u%d@example.org", user);
}

/* "u<N>@example.org" then "/r<K>" or the end; -1 if not of that form. */
static int parse_user(const char *jid, const char **rest)
{
  unsigned u;
  int n = 0;
  if (sscanf(jid, "u%u@example.org%n", &u, &n) != 1 || n == 0 ||
      u >= SOAK_USERS)
    return -1;
  *rest = jid + n;
  return (int)u;
}

int soak_session_of(const char *jid)
{
  const char *rest;
  int u = parse_user(jid, &rest);
  unsigned r;
  int n = 0;
  if (u < 0 || sscanf(rest, "/r%u%n", &r, &n) != 1 || rest[n] || r >= SOAK_RES)
    return -1;
  return u * SOAK_RES + (int)r;
}

int soak_user_of(const char *jid)
{
  const char *rest;
  int u = parse_user(jid, &rest);
  return u >= 0 && !*rest ? u : -1;
}

int soak_room_of(const char *jid, int *nick)
{
  unsigned r;
  int n = 0;
  *nick = -1;
  if (sscanf(jid, "room%u@" SOAK_DOMAIN "%n", &r, &n) != 1 || n == 0 ||
      r >= SOAK_ROOMS)
    return -1;
  const char *rest = jid + n;
  if (!*rest)
    return (int)r;
  unsigned k;
  int m = 0;
  if (sscanf(rest, "/n%u%n", &k, &m) == 1 && !rest[m] && k < SOAK_NICKS)
    *nick = (int)k;
  else
    *nick = -2; /* a nick outside the universe */
  return (int)r;
}
