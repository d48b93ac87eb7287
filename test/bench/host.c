/*
 * host.c - the benchmark's host: the service it makes, its callbacks,
 * and per-recipient delivery counters in one array indexed by the
 * recipient's name, so that counting allocates nothing and each room's
 * recipients share a cache line.
 *
 * SPDX-License-Identifier: MIT
 */
#include "bench.h"

#include <mxml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int user_name(char *buf, size_t size, size_t room, size_t user)
{
  int r = room ? snprintf(buf, size, "u%zu_%zu", room, user)
               : snprintf(buf, size, "user%zu", user);
  if (r < 0 || (size_t)r >= size)
    fail("user_name: buffer too small");
  return r;
}

int room_name(char *buf, size_t size, size_t room)
{
  int r = room ? snprintf(buf, size, "room%zu", room)
               : snprintf(buf, size, "bench");
  if (r < 0 || (size_t)r >= size)
    fail("room_name: buffer too small");
  return r;
}

void host_init(host *h, size_t rooms, size_t users)
{
  memset(h, 0, sizeof *h);
  h->now_ms = CLOCK_BASE_MS;
  h->tick = 1;
  h->rooms = rooms;
  h->users = users;
  h->first = rooms ? 1 : 0;
  h->counts = xcalloc((rooms ? rooms : 1) * users, sizeof *h->counts);
  h->save_cap = 4096;
  h->save_buf = xmalloc(h->save_cap);
}

void host_free(host *h)
{
  free(h->counts);
  free(h->save_buf);
  memset(h, 0, sizeof *h);
}

void host_reset(host *h)
{
  h->stanzas = h->bytes = h->messages = h->presences = 0;
  h->others = h->strays = h->malformed = 0;
  memset(h->counts, 0,
         (h->rooms ? h->rooms : 1) * h->users * sizeof *h->counts);
}

/* A decimal number without a leading zero at |*p|, at most |max|;
 * advances |*p|.  0 when there is none or it is out of range. */
static size_t parse_number(const char **p, size_t max)
{
  const char *s = *p;
  if (*s < '1' || *s > '9')
    return 0;
  size_t n = 0;
  for (; *s >= '0' && *s <= '9'; s++) {
    n = n * 10 + (size_t)(*s - '0');
    if (n > max)
      return 0;
  }
  *p = s;
  return n;
}

/* Where |to| is counted: "userK@localhost/r" of the one room, or
 * "uI_K@localhost/r" of room I, exactly as user_name() writes them (so
 * that no two addresses share a counter); NULL for any other address. */
static uint64_t *counter_of(host *h, const char *to)
{
  size_t room = 0;
  if (h->rooms) {
    if (*to++ != 'u' || !(room = parse_number(&to, h->rooms)) || *to++ != '_')
      return NULL;
  } else if (strncmp(to, "user", 4) != 0) {
    return NULL;
  } else {
    to += 4;
  }
  size_t user = parse_number(&to, h->users);
  if (!user || strcmp(to, "@localhost/r") != 0)
    return NULL;
  return &h->counts[(room - h->first) * h->users + user - 1];
}

/* Count one delivery to |to|; no allocation, no table lookup. */
static inline void host_count(host *h, const char *to, char kind)
{
  h->stanzas++;
  if (kind == 'm')
    h->messages++;
  else if (kind == 'p')
    h->presences++;
  else
    h->others++;
  uint64_t *count = to ? counter_of(h, to) : NULL;
  if (count)
    (*count)++;
  else
    h->strays++;
}

/* count: tree form, only counting. */
static int cb_count(const mxml_node_t *stanza, void *ud)
{
  host *h = ud;
  mxml_node_t *st = (mxml_node_t *)(uintptr_t)stanza; /* read-only use */
  const char *name = mxmlGetElement(st);
  host_count(h, mxmlElementGetAttr(st, "to"), name ? name[0] : 0);
  return 0;
}

/* bytes: the library hands the serialized text. */
static int cb_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  host *h = ud;
  if (len < 4 || xml[0] != '<' || xml[len - 1] != '>')
    h->malformed++;
  h->bytes += len;
  host_count(h, to, len > 1 ? xml[1] : 0);
  return 0;
}

/* Serialize |st| into the host's buffer with Mini-XML; its length. */
static size_t save_tree(host *h, mxml_node_t *st)
{
  int r = mxmlSaveString(st, h->save_buf, (int)h->save_cap, MXML_NO_CALLBACK);
  if (r >= 0 && (size_t)r >= h->save_cap) { /* rare: grow, then redo */
    free(h->save_buf);
    h->save_cap = (size_t)r + 4096;
    h->save_buf = xmalloc(h->save_cap);
    r = mxmlSaveString(st, h->save_buf, (int)h->save_cap, MXML_NO_CALLBACK);
  }
  size_t len = r > 0 ? (size_t)r : 0;
  if (len && h->save_buf[len - 1] == '\n')
    len--; /* mxml appends a newline; the library's text has none */
  return len;
}

/* bytes-via-tree: the host serializes each borrowed tree itself. */
static int cb_tree(const mxml_node_t *stanza, void *ud)
{
  host *h = ud;
  mxml_node_t *st = (mxml_node_t *)(uintptr_t)stanza; /* read-only use */
  size_t len = save_tree(h, st);
  if (len < 4 || h->save_buf[0] != '<' || h->save_buf[len - 1] != '>')
    h->malformed++;
  h->bytes += len;
  const char *name = mxmlGetElement(st);
  host_count(h, mxmlElementGetAttr(st, "to"), name ? name[0] : 0);
  return 0;
}

static uint64_t cb_now(void *ud)
{
  host *h = ud;
  uint64_t t = h->now_ms;
  h->now_ms += h->tick;
  return t;
}

/* ------------------------------------------------------------------ */
/* Checks                                                              */
/* ------------------------------------------------------------------ */

void check_total(const host *h, const char *what, uint64_t total)
{
  if (h->stanzas != total)
    fail("%s: delivered %llu stanzas, expected %llu", what,
         (unsigned long long)h->stanzas, (unsigned long long)total);
  if (h->strays)
    fail("%s: %llu stanzas delivered to an address that is not one of the "
         "users",
         what, (unsigned long long)h->strays);
  if (h->malformed)
    fail("%s: %llu serialized stanzas do not look like <...>", what,
         (unsigned long long)h->malformed);
}

void check_counts(const host *h, const char *what, uint64_t total,
                  uint64_t msgs, uint64_t pres, uint64_t a, uint64_t b,
                  int variant)
{
  check_total(h, what, total);
  if (h->messages != msgs || h->presences != pres || h->others != 0)
    fail("%s: delivered %llu messages / %llu presences / %llu others, "
         "expected %llu / %llu / 0",
         what, (unsigned long long)h->messages,
         (unsigned long long)h->presences, (unsigned long long)h->others,
         (unsigned long long)msgs, (unsigned long long)pres);
  if (variant != V_COUNT && h->bytes == 0 && total)
    fail("%s: no bytes delivered", what);
  for (size_t room = h->first; room <= h->rooms; room++)
    for (size_t user = 1; user <= h->users; user++) {
      uint64_t want = a + b * (uint64_t)user;
      uint64_t have = h->counts[(room - h->first) * h->users + user - 1];
      if (have != want) {
        char name[32];
        user_name(name, sizeof name, room, user);
        fail("%s: %s@localhost/r got %llu stanzas, expected %llu", what, name,
             (unsigned long long)have, (unsigned long long)want);
      }
    }
}

void check_occupants(muc_service *svc, const char *what, size_t room,
                     size_t want)
{
  char name[32];
  room_name(name, sizeof name, room);
  muc_room *r = muc_service_find_room(svc, name);
  size_t have = r ? muc_room_get_occupant_count(r) : 0;
  if (have != want)
    fail("%s: room %s has %zu occupants (%s), expected %zu", what, name, have,
         r ? "present" : "room absent", want);
}

/* ------------------------------------------------------------------ */
/* Service                                                             */
/* ------------------------------------------------------------------ */

int g_ids;

muc_service *service_new(host *h, int variant, int lock)
{
  muc_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.send_bytes = cb_bytes;
  cb.now = cb_now;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_lock_new = lock;
  cfg.room_public = 1;
  /* the workloads go to 10,000 occupants, 100,000 rooms, one creator
   * per room or one for all */
  cfg.max_occupants_per_room = 0;
  cfg.max_rooms = 0;
  cfg.max_rooms_per_creator = 0;
  if (g_ids) {
    static const char secret[] = "the benchmark's occupant-id secret";
    cfg.occupant_id_secret = (const uint8_t *)secret;
    cfg.occupant_id_secret_len = sizeof(secret) - 1;
    cfg.stanza_id = 1;
  }
  const muc_allocator *mem = &counting_allocator;
  muc_service *svc = NULL;
  int rc;
  if (variant == V_BYTES)
    rc = muc_service_new(&svc, DOMAIN, &cb, &cfg, mem, h);
  else
    rc = muc_service_new_tree(&svc, DOMAIN,
                              variant == V_COUNT ? cb_count : cb_tree, &cb,
                              &cfg, mem, h);
  if (rc != MUC_OK || !svc)
    fail("muc_service_new: %d (%s)", rc, muc_strerror(rc));
  return svc;
}

/* ------------------------------------------------------------------ */
/* Host callback cost (reported so that it can be subtracted)          */
/* ------------------------------------------------------------------ */

double callback_ns(int variant)
{
  host h;
  host_init(&h, 0, 1000);
  const size_t iters = 1000000;
  static const seq away = {IN_AWAY, 0, 1000};
  char text[512];
  size_t len = seq_text(&away, 500, text, sizeof text);
  /* a delivered-like stanza: 'to' is a recipient */
  mxml_node_t *t = tree_of_text(text, len);
  mxmlElementSetAttr(t, "to", "user500@localhost/r");
  int (*volatile send)(const mxml_node_t *, void *) = cb_count;
  int (*volatile send_bytes)(const char *, const char *, size_t, void *) =
      cb_bytes;
  uint64_t t0 = mono_ns();
  for (size_t i = 0; i < iters; i++) {
    if (variant == V_COUNT)
      send(t, &h);
    else
      send_bytes("user500@localhost/r", text, len, &h);
  }
  uint64_t ns = mono_ns() - t0;
  if (h.stanzas != iters || h.strays)
    fail("callback self-test: counted %llu (strays %llu) of %zu",
         (unsigned long long)h.stanzas, (unsigned long long)h.strays, iters);
  mxmlDelete(t);
  host_free(&h);
  return (double)ns / (double)iters;
}
