/*
 * bench_archive - what the component's SQLite archive costs: an append
 * (µs per message, synchronous=NORMAL and FULL), one page of 50 from a
 * room of N messages (first, last, middle, by time, by sender), and the
 * disk bytes per message.  Prints figures; not a test.
 *
 *   bench_archive [N] [DIR]    (N = 100000, DIR = /tmp)
 *
 * The big room's messages are interleaved with one in ten of nine other
 * rooms, so its seq range is not the table's.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../libmuc/archive.h"
#include "archive.h"
#include "clock.h"

#define BIG "big@conference.localhost"
#define PAGE 50
#define REPS 2000

static int no_send(const char *to, const char *xml, size_t len, void *ud)
{
  return 0;
}

static uint64_t zero_now(void *ud)
{
  return 0;
}

static double now_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static size_t xml_bytes; /* of every message appended */

/* Message |i| of |room| (ids "r<room>-<i>"), a 60-character body, at
 * one message per 100 ms. */
static void append_one(archive *a, const char *room, int room_no, long i)
{
  char id[32], nick[16], xml[400];
  snprintf(id, sizeof id, "r%d-%ld", room_no, i);
  snprintf(nick, sizeof nick, "nick%ld", i % 10);
  int len = snprintf(xml, sizeof xml,
                     "<message from=\"%s/%s\" type=\"groupchat\" "
                     "id=\"client-%ld\"><body>message number %08ld, "
                     "some words to make a line</body></message>",
                     room, nick, i, i);
  muc_hook_archived m = {
      room, id,          id, nick, "user@localhost/res", (uint64_t)i * 100u,
      xml,  (size_t)len, 1};
  xml_bytes += (size_t)len;
  if (archive_append(&m, a) != 0) {
    fprintf(stderr, "append failed\n");
    exit(1);
  }
}

static archive *open_at(const char *path, int fsync)
{
  archive_options o = {0, 0, fsync, zero_now, NULL, NULL};
  char err[300];
  unlink(path);
  archive *a = archive_open(path, &o, err, sizeof err);
  if (!a) {
    fprintf(stderr, "%s\n", err);
    exit(1);
  }
  return a;
}

/* Fill the big room with |n| messages; returns µs per append. */
static double fill(archive *a, long n)
{
  double t0 = now_us();
  long appended = 0;
  for (long i = 1; i <= n; i++) {
    append_one(a, BIG, 0, i);
    appended++;
    if (i % 10 == 0) {
      char room[64];
      snprintf(room, sizeof room, "small%ld@conference.localhost", i / 10 % 9);
      append_one(a, room, 1 + (int)(i / 10 % 9), i);
      appended++;
    }
  }
  return (now_us() - t0) / (double)appended;
}

static void time_query(muc_service *svc, archive *a, const char *what,
                       muc_archive_query q)
{
  q.room_jid = BIG;
  q.max = PAGE;
  muc_archive_page page;
  uint32_t got = 0;
  double t0 = now_us();
  for (int r = 0; r < REPS; r++) {
    muc_archive_page_init(&page, svc, PAGE);
    if (archive_query(&q, &page, a) != MUC_OK) {
      fprintf(stderr, "query %s failed\n", what);
      exit(1);
    }
    got = page.n;
    muc_archive_page_clear(&page);
  }
  printf("  query %-34s %3u msgs %8.1f µs\n", what, got,
         (now_us() - t0) / REPS);
}

static long file_size(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

int main(int argc, char **argv)
{
  long n = argc > 1 ? atol(argv[1]) : 100000;
  const char *dir = argc > 2 ? argv[2] : "/tmp";
  char path[300], mid[32], mid_before[32];
  snprintf(path, sizeof path, "%s/bench_archive_%ld.sqlite", dir,
           (long)getpid());
  archive *a = open_at(path, 0);
  double us = fill(a, n);
  long total = n + n / 10;
  printf("archive of %ld messages (%ld in the big room), body 60 chars, "
         "xml %.0f bytes on average\n",
         total, n, (double)xml_bytes / (double)total);
  printf("  append (synchronous=NORMAL)        %8.1f µs/message\n", us);
  muc_callbacks cb = {0};
  cb.send_bytes = no_send;
  cb.now = zero_now;
  muc_service *svc = NULL;
  if (muc_service_new(&svc, "conference.localhost", &cb, NULL, NULL, NULL)) {
    fprintf(stderr, "no service\n");
    return 1;
  }
  snprintf(mid, sizeof mid, "r0-%ld", n / 2);
  snprintf(mid_before, sizeof mid_before, "r0-%ld", n / 2 + PAGE);
  time_query(svc, a, "first page", (muc_archive_query){0});
  time_query(svc, a, "last page (empty <before/>)",
             (muc_archive_query){.rsm_before = ""});
  time_query(svc, a, "middle, RSM after",
             (muc_archive_query){.rsm_after = mid});
  time_query(svc, a, "middle, RSM before",
             (muc_archive_query){.rsm_before = mid_before});
  time_query(svc, a, "middle, start time",
             (muc_archive_query){.start = (uint64_t)n / 2 * 100u});
  time_query(svc, a, "middle, after-id (form)",
             (muc_archive_query){.after_id = mid});
  time_query(svc, a, "with one sender (1 in 10), last",
             (muc_archive_query){.with = BIG "/nick3", .rsm_before = ""});
  archive_close(a);
  muc_service_free(svc);
  /* everything in the main file: the WAL folded in at close */
  long bytes = file_size(path);
  printf("  disk                               %8.1f bytes/message "
         "(%ld bytes for %ld)\n",
         (double)bytes / (double)total, bytes, total);
  unlink(path);
  /* fsync per message: a short run */
  long nfull = n < 500 ? n : 500;
  a = open_at(path, 1);
  xml_bytes = 0;
  double t0 = now_us();
  for (long i = 1; i <= nfull; i++)
    append_one(a, BIG, 0, i);
  printf("  append (synchronous=FULL, %ld)     %8.1f µs/message\n", nfull,
         (now_us() - t0) / (double)nfull);
  archive_close(a);
  unlink(path);
  return 0;
}
