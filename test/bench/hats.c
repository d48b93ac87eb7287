/*
 * hats.c - what hats (XEP-0317) add to presences: a room of N occupants,
 * first without hats, then with every occupant's JID wearing one; the
 * time of a join (the newcomer gets N presences, each with the hats its
 * JID wears) and of a presence change (one broadcast to N), in both
 * cases.  The hats an occupant wears are found by a walk over the room's
 * assignments, so a join with hats costs O(N x assignments).  Not a test:
 * it prints figures.
 *
 * Usage: bench_hats [OCCUPANTS]   (default 1000)
 *
 * SPDX-License-Identifier: MIT
 */
#include <muc/muc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "monotonic.h"

#define DOMAIN "conference.localhost"
#define ROOM "bench@" DOMAIN
#define REPEAT 20

static int on_send(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to, (void)xml, (void)ud;
  *(size_t *)ud += len;
  return 0;
}

static uint64_t on_now(void *ud)
{
  (void)ud;
  return 1767225600000ull;
}

static void xml(muc_service *svc, const char *s)
{
  int rc = muc_service_handle_xml(svc, s, strlen(s));
  if (rc != MUC_OK) {
    fprintf(stderr, "bench_hats: %s: %s\n", s, muc_strerror(rc));
    exit(1);
  }
}

static void join(muc_service *svc, long i, int leave)
{
  char s[256];
  snprintf(s, sizeof(s),
           "<presence from='u%ld@localhost/r' to='" ROOM
           "/u%ld'%s>%s</presence>",
           i, i, leave ? " type='unavailable'" : "",
           leave ? "" : "<x xmlns='http://jabber.org/protocol/muc'/>");
  xml(svc, s);
}

/* Microseconds per join (and leave) of a newcomer, and per presence
 * change of occupant 0. */
static void measure(muc_service *svc, long n, const char *what, size_t *bytes)
{
  double t0 = bench_seconds();
  for (int k = 0; k < REPEAT; k++) {
    join(svc, n, 0);
    join(svc, n, 1);
  }
  double join_us = (bench_seconds() - t0) * 1e6 / REPEAT;
  size_t before = *bytes;
  t0 = bench_seconds();
  for (int k = 0; k < REPEAT; k++)
    xml(svc, k % 2 ? "<presence from='u0@localhost/r' to='" ROOM
                     "/u0'><show>away</show></presence>"
                   : "<presence from='u0@localhost/r' to='" ROOM "/u0'/>");
  double change_us = (bench_seconds() - t0) * 1e6 / REPEAT;
  printf("%-12s join+leave %9.1f us   presence change %8.1f us (%zu bytes "
         "each)\n",
         what, join_us, change_us, (*bytes - before) / REPEAT);
}

int main(int argc, char **argv)
{
  long n = argc > 1 ? atol(argv[1]) : 1000;
  size_t bytes = 0;
  muc_callbacks cb = {0};
  cb.send_bytes = on_send;
  cb.now = on_now;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_lock_new = 0;
  cfg.max_occupants_per_room = (uint32_t)n + 10;
  cfg.max_affiliations_per_room = (uint32_t)n + 10;
  muc_service *svc;
  int rc = muc_service_new(&svc, DOMAIN, &cb, &cfg, NULL, &bytes);
  if (rc != MUC_OK)
    return 1;
  for (long i = 0; i < n; i++)
    join(svc, i, 0);
  printf("room of %ld occupants\n", n);
  measure(svc, n, "no hats", &bytes);
  if ((rc = muc_service_define_room_hat(svc, ROOM, "urn:bench:hat", "Hat",
                                        "200")) != MUC_OK)
    return 1;
  char jid[64];
  for (long i = 0; i < n; i++) {
    snprintf(jid, sizeof(jid), "u%ld@localhost", i);
    if (muc_service_set_room_hat_worn(svc, ROOM, jid, "urn:bench:hat", 1) !=
        MUC_OK)
      return 1;
  }
  measure(svc, n, "one hat each", &bytes);
  muc_service_free(svc);
  return 0;
}
