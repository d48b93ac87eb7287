/*
 * admin_api.c - what the room administration API costs: R rooms created
 * by muc_service_create_room(); a page of 100 rooms listed from a cursor
 * at the start, the middle and the end of the service (the cursor is a
 * hash look-up, so the three cost the same); a page of a filtered listing
 * where one room in ten matches (the walk covers the rooms skipped); one
 * affiliation change and one read of the occupants of a room of 50.  Not
 * a test: it prints figures.
 *
 * Usage: bench_admin_api [ROOMS]   (default 100000)
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
#define PAGE 100
#define REPEAT 2000

static int on_send(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to, (void)xml, (void)len, (void)ud;
  return 0;
}

static uint64_t on_now(void *ud)
{
  (void)ud;
  return 1767225600000ull;
}

static void die(const char *what, int rc)
{
  fprintf(stderr, "bench_admin_api: %s: %s\n", what, muc_strerror(rc));
  exit(1);
}

/* Microseconds per page of |filter| listed after the room |after|. */
static double page_us(muc_service *svc, const char *after, unsigned filter)
{
  muc_room_info page[PAGE];
  size_t n;
  double t0 = bench_seconds();
  for (int i = 0; i < REPEAT; i++) {
    int rc = muc_service_list_rooms(svc, after, filter, page, PAGE, &n);
    if (rc != MUC_OK)
      die("list_rooms", rc);
  }
  return (bench_seconds() - t0) * 1e6 / REPEAT;
}

int main(int argc, char **argv)
{
  long rooms = argc > 1 ? atol(argv[1]) : 100000;
  muc_callbacks cb = {0};
  cb.send_bytes = on_send;
  cb.now = on_now;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.max_rooms = (uint32_t)rooms + 1;
  muc_service *svc;
  int rc = muc_service_new(&svc, DOMAIN, &cb, &cfg, NULL, NULL);
  if (rc != MUC_OK)
    die("service", rc);
  muc_room_options o;
  muc_room_options_default(svc, &o);
  char name[32];
  double t0 = bench_seconds();
  for (long i = 0; i < rooms; i++) {
    o.public_room = i % 10 == 0;
    snprintf(name, sizeof(name), "r%ld", i);
    if ((rc = muc_service_create_room(svc, name, "owner@localhost", &o, 0)))
      die("create_room", rc);
  }
  printf("create_room: %.2f us per room (%ld rooms)\n",
         (bench_seconds() - t0) * 1e6 / (double)rooms, rooms);
  char mid[32], end[32];
  snprintf(mid, sizeof(mid), "r%ld", rooms / 2);
  snprintf(end, sizeof(end), "r%ld", rooms - PAGE - 1);
  printf("list_rooms, page of %d: first %.2f us, from the middle %.2f us, "
         "near the end %.2f us\n",
         PAGE, page_us(svc, NULL, 0), page_us(svc, mid, 0),
         page_us(svc, end, 0));
  printf("list_rooms, public only (1 room in 10), page of %d: %.2f us\n", PAGE,
         page_us(svc, mid, MUC_LIST_PUBLIC));

  /* a room of 50 occupants */
  for (int i = 0; i < 50; i++) {
    char xml[256];
    int len = snprintf(xml, sizeof(xml),
                       "<presence from='u%d@localhost/r' to='r0@" DOMAIN
                       "/u%d'><x xmlns='http://jabber.org/protocol/muc'/>"
                       "</presence>",
                       i, i);
    muc_service_handle_xml(svc, xml, (size_t)len);
  }
  t0 = bench_seconds();
  for (int i = 0; i < REPEAT; i++) {
    rc = muc_service_set_affiliation(svc, "r0", "u7@localhost",
                                     i % 2 ? MUC_AFFIL_MEMBER : MUC_AFFIL_NONE,
                                     NULL);
    if (rc != MUC_OK)
      die("set_affiliation", rc);
  }
  printf("set_affiliation in a room of 50 (50 presences each): %.2f us\n",
         (bench_seconds() - t0) * 1e6 / REPEAT);
  muc_occupant_info occ[50];
  size_t n;
  t0 = bench_seconds();
  for (int i = 0; i < REPEAT; i++)
    if ((rc = muc_service_list_occupants(svc, "r0", 0, occ, 50, &n)))
      die("list_occupants", rc);
  printf("list_occupants of 50: %.2f us\n", (bench_seconds() - t0) * 1e6 / REPEAT);
  printf("memory: %zu bytes for %ld rooms\n", muc_service_get_memory_usage(svc),
         rooms);
  muc_service_free(svc);
  return 0;
}
