/*
 * muc-component - libmuc as an XEP-0114 external component: the main
 * loop (see docs/deploying.md).
 *
 * Exit status: 0 after SIGTERM/SIGINT (occupants told, rooms stored), 1
 * when it cannot start (server unreachable, wrong secret, database not
 * writable), 2 for a bad command line.
 * SPDX-License-Identifier: MIT
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "service.h"

#define CONNECT_TIMEOUT_MS 10000u
#define CLOSE_TIMEOUT_MS 3000u
#define MAX_WAIT_MS 1000u /* the loop wakes at least this often */

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
  stop_requested = sig;
}

static void catch_signals(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
}

/* How long the loop may sleep: until libmuc's next deadline, measured on
 * the monotonic clock from the moment the deadline was read. */
static unsigned long wait_ms(const app *a)
{
  uint64_t due = muc_service_next_deadline(a->svc), now = wall_ms();
  if (due <= now)
    return 0;
  return due - now < MAX_WAIT_MS ? (unsigned long)(due - now) : MAX_WAIT_MS;
}

static void run(app *a)
{
  uint64_t fire_at = 0; /* monotonic; 0: nothing scheduled */
  while (!stop_requested) {
    unsigned long w = wait_ms(a);
    /* an earlier deadline (a new room's lock) moves the timer forward */
    if (w < MAX_WAIT_MS && (!fire_at || mono_ms() + w < fire_at))
      fire_at = mono_ms() + w;
    transport_run(a->tr, w);
    if (fire_at && mono_ms() >= fire_at) {
      fire_at = 0;
      service_tick(a);
    }
  }
}

static uint64_t archive_now(void *ud)
{
  return wall_ms();
}

static int start(app *a, cli_options *opt)
{
  char err[300];
  a->st = storage_open(opt->db, err, sizeof err);
  if (!a->st) {
    fprintf(stderr, "muc-component: cannot use the database %s\n", err);
    return -1;
  }
  if (opt->archive) {
    archive_options ao = {opt->archive_max,
                          (uint64_t)opt->archive_max_age_s * 1000u,
                          !opt->groupchat_sync_normal,
                          archive_now,
                          app_log,
                          a};
    if (!(a->ar = archive_open(opt->db, &ao, err, sizeof err))) {
      fprintf(stderr, "muc-component: cannot use the archive in %s\n", err);
      return -1;
    }
  }
  if (service_open(a) < 0)
    return -1;
  transport_config tc = {
      opt->server,    opt->port,      opt->domain, opt->secret,
      opt->log_level, service_handle, app_log,     a};
  a->tr = transport_new(&tc);
  if (!a->tr) {
    fprintf(stderr, "muc-component: out of memory\n");
    return -1;
  }
  if (transport_connect(a->tr, CONNECT_TIMEOUT_MS, err, sizeof err) < 0) {
    fprintf(stderr, "muc-component: %s\n", err);
    return -1;
  }
  return 0;
}

int main(int argc, char **argv)
{
  cli_options opt;
  int r = cli_parse(argc, argv, &opt);
  if (r != 0) {
    cli_free(&opt);
    return r > 0 ? 0 : 2;
  }
  catch_signals();
  app a;
  memset(&a, 0, sizeof a);
  a.opt = &opt;
  int status = 1;
  if (start(&a, &opt) == 0) {
    app_log(MUC_LOG_INFO, "serving rooms", &a);
    run(&a);
    app_log(MUC_LOG_INFO, "stopping: telling occupants, storing rooms", &a);
    service_stop(&a);
    transport_close(a.tr, CLOSE_TIMEOUT_MS);
    status = 0;
  }
  if (a.svc)
    service_close(&a);
  transport_free(a.tr);
  archive_close(a.ar);
  storage_close(a.st);
  cli_free(&opt);
  return status;
}
