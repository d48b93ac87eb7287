/*
 * service - the libmuc service of the component and the callbacks that
 * tie it to the transport (send_bytes), the storage (store_room,
 * load_room), the message archive (archive.h), the clock and the
 * --admin list.
 * SPDX-License-Identifier: MIT
 */
#ifndef COMPONENT_SERVICE_H
#define COMPONENT_SERVICE_H

#include "archive.h"
#include "bytes.h"
#include "cli.h"
#include "muc/muc.h"
#include "storage.h"
#include "transport.h"

typedef struct app {
  const cli_options *opt;
  muc_service *svc;
  storage *st;
  archive *ar; /* NULL with --archive off */
  transport *tr;
  unsigned long ids;
  uint64_t started; /* wall ms and */
  uint32_t salt;    /* random: with the counter, ids unique across
                       restarts (a stanza-id is an archive's key) */
  int store_failed; /* a store_room of the current call failed */
  int groupchat;    /* the current call handles a groupchat message */
  bytes batch;      /* the current call's deliveries, sent at its end */
} app;

/* app_log - one line on stderr, if |level| reaches --log-level. */
void app_log(int level, const char *msg, void *ud);

/* service_open - create app->svc (with app->ar as its archive, if
 * set); 0, or -1 after a logged error. */
int service_open(app *a);

/* service_handle - one stanza from the server, as text. */
void service_handle(const char *xml, size_t len, void *ud);

/* service_tick - run libmuc's due timers. */
void service_tick(app *a);

/* service_stop - occupants get status 332, rooms are stored. */
void service_stop(app *a);

void service_close(app *a);

#endif
