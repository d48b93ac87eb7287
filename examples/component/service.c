/*
 * service - libmuc and its callbacks (see service.h).
 * SPDX-License-Identifier: MIT
 */
#include "service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"

void app_log(int level, const char *msg, void *ud)
{
  static const char *const names[] = {"debug", "info", "warn", "error"};
  const app *a = ud;
  if (level < a->opt->log_level || level < 0 || level > 3)
    return;
  fprintf(stderr, "muc-component: %s: %s\n", names[level], msg);
}

static void logf_(app *a, int level, const char *fmt, const char *s1,
                  const char *s2)
{
  char line[600];
  snprintf(line, sizeof line, fmt, s1, s2);
  app_log(level, line, a);
}

/* Deliveries are kept until the entry point returns, so that the ones
 * of a call whose store_room failed are never sent: a client is not told
 * of a change that is not on disk. */
static int on_send(const char *to, const char *xml, size_t len, void *ud)
{
  app *a = ud;
  return bytes_add(&a->batch, xml, len);
}

static void begin_call(app *a)
{
  a->store_failed = 0;
  a->batch.len = 0;
}

static void end_call(app *a, int rc, const char *what)
{
  if (a->store_failed)
    logf_(a, MUC_LOG_ERROR, "%s: storage failed, %s", what,
          "its answers are not sent");
  else if (a->batch.len && bytes_terminate(&a->batch) == 0)
    transport_send(a->tr, a->batch.data, a->batch.len);
  a->batch.len = 0;
  if (rc != MUC_OK && rc != MUC_ERR_NOT_MINE && rc != MUC_ERR_BAD_STANZA)
    logf_(a, MUC_LOG_WARN, "%s: %s", what, muc_strerror(rc));
}

static uint64_t on_now(void *ud)
{
  return wall_ms();
}

static int on_is_admin(const char *bare, void *ud)
{
  const app *a = ud;
  for (size_t i = 0; i < a->opt->nadmins; i++)
    if (strcasecmp(bare, a->opt->admins[i]) == 0)
      return 1;
  return 0;
}

/* Unique across restarts even when the clock went back or two starts
 * fell in one millisecond: the start time, 32 random bits of this run,
 * a counter. */
static int on_make_id(char *buf, size_t size, void *ud)
{
  app *a = ud;
  if (a->opt->test_ids)
    snprintf(buf, size, "scansion-id-%lu", ++a->ids);
  else
    snprintf(buf, size, "%llx-%08lx-%lu", (unsigned long long)a->started,
             (unsigned long)a->salt, ++a->ids);
  return 0;
}

static uint32_t random_salt(void)
{
  uint32_t salt = 0;
  FILE *f = fopen("/dev/urandom", "rb");
  if (f) {
    if (fread(&salt, sizeof salt, 1, f) != 1)
      salt = 0;
    fclose(f);
  }
  /* without /dev/urandom: the start time's microseconds and the pid-free
   * clock still differ between two starts in practice */
  return salt ? salt : (uint32_t)(clock_ms(CLOCK_MONOTONIC) * 2654435761u);
}

/* A destroyed room's archive goes with it: a room created later under
 * that name must not show the old one's messages.  A failure is logged
 * by the archive. */
static void on_room_destroyed(const char *room, const char *reason,
                              const char *alt_jid, void *ud)
{
  archive_forget_room(((app *)ud)->ar, room);
}

/* The archive installed (archive.h); failures of its statements are
 * logged by the archive itself. */
static int set_archive(app *a)
{
  if (!a->ar)
    return 0;
  muc_archive cb;
  archive_callbacks(&cb);
  muc_hooks hooks;
  memset(&hooks, 0, sizeof hooks);
  hooks.room_destroyed = on_room_destroyed;
  int rc = muc_service_set_hooks(a->svc, MUC_HOOKS_VERSION, &hooks, a);
  if (rc == MUC_OK)
    rc = muc_service_set_archive(a->svc, MUC_ARCHIVE_VERSION, &cb, a->ar);
  if (rc == MUC_OK)
    return 0;
  logf_(a, MUC_LOG_ERROR, "cannot install the archive: %s", muc_strerror(rc),
        "");
  return -1;
}

/* Committed before it returns (storage.h), hence before libmuc hands out
 * the stanzas that announce the change; fsynced unless it is a groupchat
 * message's store and --groupchat-sync normal was asked for. */
static int on_store(const char *room, const char *data, size_t len, void *ud)
{
  app *a = ud;
  char err[300];
  int fsync = !(a->groupchat && a->opt->groupchat_sync_normal);
  if (storage_put(a->st, room, data, len, fsync, err, sizeof err) == 0)
    return 0;
  logf_(a, MUC_LOG_ERROR, "room %s not stored: %s", room, err);
  a->store_failed = 1;
  return -1;
}

/* Synchronous: the answer is given from inside the callback. */
static int on_load(const char *room, void *ud)
{
  app *a = ud;
  char err[300], *data = NULL;
  size_t len = 0;
  int found = storage_get(a->st, room, &data, &len, err, sizeof err);
  if (found < 0) {
    logf_(a, MUC_LOG_ERROR, "room %s not loaded: %s", room, err);
    return -1;
  }
  int rc = muc_service_room_loaded(a->svc, room, found ? data : NULL,
                                   found ? len : 0);
  free(data);
  if (rc != MUC_OK)
    logf_(a, MUC_LOG_ERROR, "room %s: stored record refused: %s", room,
          muc_strerror(rc));
  return 0;
}

int service_open(app *a)
{
  muc_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.send_bytes = on_send;
  cb.now = on_now;
  cb.is_service_admin = on_is_admin;
  cb.make_id = on_make_id;
  cb.store_room = on_store;
  cb.load_room = on_load;
  cb.log = app_log;
  muc_config cfg = a->opt->config; /* the defaults, and the options */
  /* the public rooms in the database are listed after a restart, before
   * anyone uses them (stored under the domain as key, docs/deploying.md) */
  cfg.store_room_list = 1;
  cfg.hibernate_idle_ms = a->opt->hibernate_after_s * 1000u;
  /* XEP-0421 and XEP-0359 (docs/ids.md) */
  if (a->opt->occupant_id_secret) {
    cfg.occupant_id_secret = (const uint8_t *)a->opt->occupant_id_secret;
    cfg.occupant_id_secret_len = strlen(a->opt->occupant_id_secret);
  }
  cfg.stanza_id = a->opt->stanza_id;
  a->started = wall_ms();
  a->salt = random_salt();
  int rc = muc_service_new(&a->svc, a->opt->domain, &cb, &cfg, NULL, a);
  if (rc != MUC_OK) {
    logf_(a, MUC_LOG_ERROR, "cannot serve %s: %s", a->opt->domain,
          muc_strerror(rc));
    return -1;
  }
  return set_archive(a);
}

/* Is |xml| a <message type='groupchat'>: a start tag "<message" whose
 * attributes (before its first '>') say so?  Room history and subject
 * changes are stored for such stanzas only. */
static int is_groupchat(const char *xml, size_t len)
{
  static const char start[] = "<message";
  size_t n = sizeof(start) - 1;
  if (len <= n || memcmp(xml, start, n) != 0 ||
      (xml[n] != ' ' && xml[n] != '\t' && xml[n] != '\n'))
    return 0;
  const char *gt = memchr(xml, '>', len);
  char tag[1024];
  size_t tl = gt ? (size_t)(gt - xml) : len;
  if (tl >= sizeof tag)
    tl = sizeof tag - 1;
  memcpy(tag, xml, tl);
  tag[tl] = '\0';
  return strstr(tag, " type=\"groupchat\"") || strstr(tag, " type='groupchat'");
}

void service_handle(const char *xml, size_t len, void *ud)
{
  app *a = ud;
  begin_call(a);
  a->groupchat = is_groupchat(xml, len);
  int rc = muc_service_handle_xml(a->svc, xml, len);
  a->groupchat = 0;
  end_call(a, rc, "a stanza");
  if (rc == MUC_ERR_NOT_MINE || rc == MUC_ERR_BAD_STANZA) {
    char head[200];
    snprintf(head, sizeof head, "%.*s", len < 160 ? (int)len : 160, xml);
    logf_(a, MUC_LOG_DEBUG, "stanza not handled (%s): %s", muc_strerror(rc),
          head);
  }
}

void service_tick(app *a)
{
  begin_call(a);
  end_call(a, muc_service_handle_timeout(a->svc), "timers");
}

void service_stop(app *a)
{
  begin_call(a);
  end_call(a, muc_service_shutdown(a->svc), "shutdown");
}

void service_close(app *a)
{
  muc_service_free(a->svc);
  a->svc = NULL;
  bytes_free(&a->batch);
}
