/*
 * host_store - the simulated server's storage, for replays that evict
 * (host_options.evict): every record store_room gives is kept in memory
 * and handed back from inside load_room (synchronous storage), and after
 * every stanza the library handles, every room that can be evicted is
 * (muc_service_hibernate_now).  A replay so run must deliver the same
 * bytes as one that keeps every room in memory.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "host_int.h"
#include "scs.h"

struct host_record {
  struct host_record *next;
  char *jid, *data;
  size_t len;
};

static host_record **find(host *h, const char *jid)
{
  host_record **r = &h->records;
  while (*r && strcmp((*r)->jid, jid) != 0)
    r = &(*r)->next;
  return r;
}

static void record_free(host_record *r)
{
  free(r->jid);
  free(r->data);
  free(r);
}

static int cb_store(const char *jid, const char *data, size_t len, void *ud)
{
  host *h = ud;
  host_record **r = find(h, jid);
  if (!data) {
    host_record *gone = *r;
    if (gone) {
      *r = gone->next;
      record_free(gone);
    }
    return 0;
  }
  char *copy = scs_strndup(data, len);
  if (!copy)
    return -1;
  if (!*r) {
    host_record *n = calloc(1, sizeof(*n));
    if (!n || !(n->jid = scs_strdup(jid))) {
      free(n);
      free(copy);
      return -1;
    }
    *r = n;
  }
  free((*r)->data);
  (*r)->data = copy;
  (*r)->len = len;
  return 0;
}

static int cb_load(const char *jid, void *ud)
{
  host *h = ud;
  const host_record *r = *find(h, jid);
  host_lib_result(
      h,
      muc_service_room_loaded(h->svc, jid, r ? r->data : NULL, r ? r->len : 0),
      "muc_service_room_loaded");
  return 0;
}

void host_store_callbacks(host *h, muc_callbacks *cb)
{
  if (!h->evict)
    return;
  cb->store_room = cb_store;
  cb->load_room = cb_load;
}

void host_store_evict(host *h)
{
  if (h->evict && h->svc)
    host_lib_result(h, muc_service_hibernate_now(h->svc),
                    "muc_service_hibernate_now");
}

void host_store_free(host *h)
{
  while (h->records) {
    host_record *n = h->records->next;
    record_free(h->records);
    h->records = n;
  }
}
