#define _POSIX_C_SOURCE 200809L
#include "fakehost.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "xml.h"

static int stored_has(const fakehost *h, const char *text)
{
  for (size_t i = 0; i < h->nstore; i++)
    if (strstr(h->store[i].data, text))
      return 1;
  return 0;
}

static void keep(fakehost *h, const char *xml, size_t len)
{
  if (h->expect_stored && !stored_has(h, h->expect_stored))
    h->sent_unstored++;
  if (h->nsent == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 16;
    h->sent = realloc(h->sent, h->cap * sizeof(*h->sent));
  }
  h->sent[h->nsent++] = strndup(xml, len);
}

static int fh_send_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  fakehost *h = ud;
  (void)to;
  if (h->fail_send)
    return -1;
  keep(h, xml, len);
  if (h->on_send)
    h->on_send(h, h->sent[h->nsent - 1]);
  return 0;
}

static int fh_send_tree(const mxml_node_t *st, void *ud)
{
  fakehost *h = ud;
  if (h->fail_send)
    return -1;
  muc_mem m;
  muc_mem_init(&m, NULL);
  muc_buf b;
  muc_buf_init(&b, &m);
  if (muc_xml_write(&b, st) != MUC_OK)
    abort();
  keep(h, b.data, b.len);
  muc_buf_free(&b);
  return 0;
}

static uint64_t fh_now(void *ud)
{
  return ((fakehost *)ud)->now;
}

static int fh_store(const char *jid, const char *data, size_t len, void *ud)
{
  fakehost *h = ud;
  if (h->on_store)
    h->on_store(h, jid);
  h->stores++;
  if (h->store_fails)
    return -1;
  size_t i;
  for (i = 0; i < h->nstore; i++)
    if (strcmp(h->store[i].jid, jid) == 0)
      break;
  if (i == h->nstore) {
    if (!data)
      return 0;
    if (h->nstore == FAKEHOST_MAX_STORE)
      return -1;
    h->store[h->nstore++].jid = strdup(jid);
  } else {
    free(h->store[i].data);
  }
  if (!data) {
    free(h->store[i].jid);
    h->store[i] = h->store[--h->nstore];
    return 0;
  }
  h->store[i].data = malloc(len + 1);
  memcpy(h->store[i].data, data, len);
  h->store[i].data[len] = 0;
  h->store[i].len = len;
  return 0;
}

static int fh_load(const char *jid, void *ud)
{
  fakehost *h = ud;
  h->loads++;
  if (h->on_load)
    h->on_load(h, jid);
  free(h->load_request);
  h->load_request = strdup(jid);
  if (h->load_fails)
    return -1;
  if (h->async_load)
    return 0;
  size_t len;
  const char *d = fakehost_stored(h, jid, &len);
  int rc = muc_service_room_loaded(h->svc, jid, d, len);
  return rc == MUC_OK ? 0 : -1;
}

static int fh_admin(const char *bare, void *ud)
{
  (void)ud;
  return strcmp(bare, "admin@localhost") == 0;
}

static int fh_may_create(const char *real_jid, const char *room_jid, void *ud)
{
  fakehost *h = ud;
  h->create_asks++;
  snprintf(h->create_real, sizeof(h->create_real), "%s", real_jid);
  snprintf(h->create_room, sizeof(h->create_room), "%s", room_jid);
  if (h->create_fails)
    return -1;
  return !h->refuse_create;
}

int fakehost_init(fakehost *h, const char *domain, const muc_config *cfg,
                  int persistence)
{
  return fakehost_init_mode(h, domain, cfg, persistence, 0);
}

int fakehost_init_mode(fakehost *h, const char *domain, const muc_config *cfg,
                       int persistence, int trees)
{
  memset(h, 0, sizeof(*h));
  h->trees = trees;
  h->now = 1767225600000ull; /* 2026-01-01T00:00:00Z */
  h->persistence = persistence;
  muc_callbacks cb = {0};
  cb.send_bytes = fh_send_bytes;
  cb.now = fh_now;
  cb.is_service_admin = fh_admin;
  cb.may_create_room = fh_may_create;
  if (persistence) {
    cb.store_room = fh_store;
    cb.load_room = fh_load;
  }
  if (h->trees)
    return muc_service_new_tree(&h->svc, domain, fh_send_tree, &cb, cfg, NULL,
                                h);
  return muc_service_new(&h->svc, domain, &cb, cfg, NULL, h);
}

void fakehost_free(fakehost *h)
{
  muc_service_free(h->svc);
  fakehost_clear(h);
  free(h->sent);
  for (size_t i = 0; i < h->nstore; i++) {
    free(h->store[i].jid);
    free(h->store[i].data);
  }
  free(h->load_request);
  memset(h, 0, sizeof(*h));
}

int fakehost_xml(fakehost *h, const char *fmt, ...)
{
  char buf[8192];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof(buf))
    abort();
  return muc_service_handle_xml(h->svc, buf, (size_t)n);
}

int fakehost_join(fakehost *h, const char *user, const char *room,
                  const char *nick, const char *x_inner)
{
  return fakehost_xml(h,
                      "<presence from='%s' to='%s/%s'>"
                      "<x xmlns='http://jabber.org/protocol/muc'>%s</x>"
                      "</presence>",
                      user, room, nick, x_inner);
}

int fakehost_leave(fakehost *h, const char *user, const char *room,
                   const char *nick)
{
  return fakehost_xml(h, "<presence from='%s' to='%s/%s' type='unavailable'/>",
                      user, room, nick);
}

int fakehost_configure(fakehost *h, const char *owner, const char *room,
                       const char *fields)
{
  return fakehost_xml(h,
                      "<iq from='%s' to='%s' id='c1' type='set'>"
                      "<query xmlns='http://jabber.org/protocol/muc#owner'>"
                      "<x xmlns='jabber:x:data' type='submit'>%s</x></query>"
                      "</iq>",
                      owner, room, fields);
}

const char *fakehost_find(const fakehost *h, ...)
{
  for (size_t i = 0; i < h->nsent; i++) {
    va_list ap;
    va_start(ap, h);
    int all = 1;
    for (const char *s; (s = va_arg(ap, const char *));)
      if (!strstr(h->sent[i], s))
        all = 0;
    va_end(ap);
    if (all)
      return h->sent[i];
  }
  return NULL;
}

size_t fakehost_count(const fakehost *h, const char *needle)
{
  size_t n = 0;
  for (size_t i = 0; i < h->nsent; i++)
    n += strstr(h->sent[i], needle) != NULL;
  return n;
}

void fakehost_clear(fakehost *h)
{
  for (size_t i = 0; i < h->nsent; i++)
    free(h->sent[i]);
  h->nsent = 0;
}

const char *fakehost_stored(const fakehost *h, const char *jid, size_t *len)
{
  for (size_t i = 0; i < h->nstore; i++)
    if (strcmp(h->store[i].jid, jid) == 0) {
      if (len)
        *len = h->store[i].len;
      return h->store[i].data;
    }
  if (len)
    *len = 0;
  return NULL;
}

void fakehost_dump(const fakehost *h)
{
  for (size_t i = 0; i < h->nsent; i++)
    fprintf(stderr, "  [%zu] %s\n", i, h->sent[i]);
}

int fakehost_setup(void **state)
{
  fakehost *h = malloc(sizeof(*h));
  if (!h || fakehost_init(h, "conference.localhost", NULL, 0) != MUC_OK) {
    free(h);
    return -1;
  }
  *state = h;
  return 0;
}

int fakehost_teardown(void **state)
{
  fakehost_free(*state);
  free(*state);
  return 0;
}
