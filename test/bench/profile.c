/*
 * profile - a fixed run of the workloads for profilers (callgrind, perf):
 * no clock, no calibration, only the text entry and a send_bytes host
 * that counts, so that the instructions of one operation are the
 * profile's total over the operations.
 *
 *   profile w6 R M    R rooms "roomI" of 5 users "uI_K" (W6 joins, K outer
 *                     and I inner), then M messages (W6 fan-out)
 *   profile room N M  one room of N (W1 joins), M messages (W2), N
 *                     presence updates (W3), N leaves (W5)
 *   ... ids           either, with occupant-id and stanza-id on
 *
 * Every delivered count is checked as the benchmark does (in total); a
 * difference or a call not returning MUC_OK exits non-zero.  With
 *   valgrind --tool=callgrind --toggle-collect=muc_service_handle_xml
 * only the entry point is counted; run it with M = 0 as well and take the
 * difference for the messages alone (docs/performance.md, "Profile").
 *
 * SPDX-License-Identifier: MIT
 */
#include <muc/muc.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOMAIN "conference.localhost"
#define JOIN_TAIL "><x xmlns='http://jabber.org/protocol/muc'/></presence>"

static uint64_t delivered, clock_ms = UINT64_C(1700000000000);

static int count(const char *to, const char *xml, size_t len, void *ud)
{
  (void)to, (void)xml, (void)len, (void)ud;
  delivered++;
  return 0;
}

static uint64_t now(void *ud)
{
  (void)ud;
  return clock_ms++;
}

static void die(const char *what)
{
  fprintf(stderr, "profile: %s\n", what);
  exit(1);
}

static void handle(muc_service *svc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void handle(muc_service *svc, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof buf)
    die("stanza too long");
  int rc = muc_service_handle_xml(svc, buf, (size_t)n);
  if (rc != MUC_OK) {
    fprintf(stderr, "profile: %s: %s\n", buf, muc_strerror(rc));
    exit(1);
  }
}

static void expect(uint64_t want, const char *what)
{
  if (delivered != want) {
    fprintf(stderr, "profile: %s delivered %llu stanzas, expected %llu\n", what,
            (unsigned long long)delivered, (unsigned long long)want);
    exit(1);
  }
  delivered = 0;
}

static void w6(muc_service *svc, unsigned long r, unsigned long m)
{
  for (unsigned long k = 1; k <= 5; k++)
    for (unsigned long i = 1; i <= r; i++)
      handle(svc,
             "<presence from='u%lu_%lu@localhost/r' "
             "to='room%lu@" DOMAIN "/u%lu_%lu'" JOIN_TAIL,
             i, k, i, i, k);
  expect(30 * (uint64_t)r, "W6 joins");
  for (unsigned long j = 1; j <= m; j++)
    handle(svc,
           "<message from='u%lu_%lu@localhost/r' to='room%lu@" DOMAIN
           "' type='groupchat'><body>hello world %lu</body></message>",
           (j - 1) % r + 1, (j - 1) % 5 + 1, (j - 1) % r + 1, j);
  expect(5 * (uint64_t)m, "W6 messages");
}

static void room(muc_service *svc, unsigned long n, unsigned long m)
{
  for (unsigned long k = 1; k <= n; k++)
    handle(svc,
           "<presence from='user%lu@localhost/r' "
           "to='bench@" DOMAIN "/user%lu'" JOIN_TAIL,
           k, k);
  expect((uint64_t)n * n + n, "W1");
  for (unsigned long j = 1; j <= m; j++)
    handle(svc,
           "<message from='user%lu@localhost/r' to='bench@" DOMAIN
           "' type='groupchat'><body>hello world %lu</body></message>",
           (j - 1) % n + 1, j);
  expect((uint64_t)m * n, "W2");
  if (!m)
    return; /* the joins alone */
  for (unsigned long k = 1; k <= n; k++)
    handle(svc,
           "<presence from='user%lu@localhost/r' to='bench@" DOMAIN
           "/user%lu'><show>away</show></presence>",
           k, k);
  expect((uint64_t)n * n, "W3");
  for (unsigned long k = 1; k <= n; k++)
    handle(svc,
           "<presence from='user%lu@localhost/r' to='bench@" DOMAIN
           "/user%lu' type='unavailable'/>",
           k, k);
  expect((uint64_t)n * (n + 1) / 2, "W5");
}

int main(int argc, char **argv)
{
  int ids = argc == 5 && strcmp(argv[4], "ids") == 0;
  if ((argc != 4 && !ids) || (strcmp(argv[1], "w6") && strcmp(argv[1], "room")))
    die("usage: profile w6 ROOMS MESSAGES [ids] | profile room N MESSAGES "
        "[ids]");
  unsigned long a = strtoul(argv[2], NULL, 10);
  unsigned long m = strtoul(argv[3], NULL, 10);
  if (!a)
    die("ROOMS and N are at least 1");
  muc_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.send_bytes = count;
  cb.now = now;
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.room_lock_new = 0;
  cfg.room_public = 1;
  cfg.max_occupants_per_room = 0;
  cfg.max_rooms = 0;
  cfg.max_rooms_per_creator = 0;
  static const char secret[] = "the profile's occupant-id secret";
  if (ids) {
    cfg.occupant_id_secret = (const uint8_t *)secret;
    cfg.occupant_id_secret_len = sizeof(secret) - 1;
    cfg.stanza_id = 1;
  }
  muc_service *svc = NULL;
  if (muc_service_new(&svc, DOMAIN, &cb, &cfg, NULL, NULL) != MUC_OK)
    die("muc_service_new failed");
  if (argv[1][0] == 'w')
    w6(svc, a, m);
  else
    room(svc, a, m);
  muc_service_free(svc);
  return 0;
}
