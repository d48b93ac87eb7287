/* A fake host for unit tests: fake clock, in-memory storage (synchronous
 * or asynchronous), and every stanza the library sends, serialized. */
#ifndef FAKEHOST_H
#define FAKEHOST_H

#include <stddef.h>
#include <stdint.h>

#include "muc/muc_mxml.h"

#define FAKEHOST_MAX_STORE 16

typedef struct fakehost {
  muc_service *svc;
  uint64_t now;
  char **sent;
  size_t nsent, cap;
  int fail_send;      /* send returns failure */
  int async_load;     /* load_room only records the request */
  int load_fails;     /* load_room returns failure */
  char *load_request; /* last room asked for */
  size_t loads;       /* load_room calls */
  size_t stores;      /* store_room calls */
  int store_fails;    /* store_room returns failure */
  struct {
    char *jid;
    char *data;
    size_t len;
  } store[FAKEHOST_MAX_STORE];
  size_t nstore;
  int refuse_create;     /* may_create_room says no */
  int create_fails;      /* may_create_room reports a failed look-up */
  size_t create_asks;    /* may_create_room calls */
  char create_real[256]; /* its last arguments */
  char create_room[256];
  /* when set: deliveries made while no stored record contains this text
   * are counted (what a client saw must be stored before it saw it) */
  const char *expect_stored;
  size_t sent_unstored;
  int persistence; /* set the storage hooks at init */
  int trees;       /* deliveries as trees (muc_mxml.h) */
  /* when set: called from inside send_bytes after each delivery was kept,
   * and from inside store_room after each store (calls from callbacks) */
  void (*on_send)(struct fakehost *h, const char *xml);
  void (*on_store)(struct fakehost *h, const char *jid);
  void (*on_load)(struct fakehost *h, const char *jid); /* in load_room */
} fakehost;

/* Create |h->svc| for |domain| with |cfg| (NULL: defaults), taking
 * deliveries as bytes (fakehost_init) or as trees (|trees|). */
int fakehost_init(fakehost *h, const char *domain, const muc_config *cfg,
                  int persistence);
int fakehost_init_mode(fakehost *h, const char *domain, const muc_config *cfg,
                       int persistence, int trees);
void fakehost_free(fakehost *h);
/* Format a stanza and hand it to muc_service_handle_xml. */
int fakehost_xml(fakehost *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* |user| joins |room| as |nick| (<x xmlns='...muc'>|x_inner|</x>, "" for
 * none), or leaves it: fakehost_xml's return code. */
int fakehost_join(fakehost *h, const char *user, const char *room,
                  const char *nick, const char *x_inner);
int fakehost_leave(fakehost *h, const char *user, const char *room,
                   const char *nick);
/* |owner| submits the room configuration form of |room| with the
 * <field/> elements |fields| ("" for none): fakehost_xml's return code. */
int fakehost_configure(fakehost *h, const char *owner, const char *room,
                       const char *fields);
/* The first sent stanza containing every one of the NULL-terminated
 * substrings, or NULL. */
const char *fakehost_find(const fakehost *h, ...);
size_t fakehost_count(const fakehost *h, const char *needle);
void fakehost_clear(fakehost *h);
/* Stored record of |jid| or NULL. */
const char *fakehost_stored(const fakehost *h, const char *jid, size_t *len);
void fakehost_dump(const fakehost *h);
/* cmocka fixtures: *state = a fakehost for conference.localhost with the
 * default configuration and no storage; freed by the teardown. */
int fakehost_setup(void **state);
int fakehost_teardown(void **state);

#endif
