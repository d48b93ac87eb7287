/*
 * host_lib - the simulated server's glue to the library: the service, the
 * callbacks it is given, stanzas handed in and deliveries taken out (see
 * host.h, "Library", and host_int.h).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_int.h"
#include "scs.h"

static int cb_send(const mxml_node_t *stanza, void *ud)
{
  host *h = ud;
  mxml_node_t *copy = scs_xml_copy(NULL, stanza);
  if (!copy || q_push(&h->fifo, copy) < 0) {
    mxmlDelete(copy);
    host_set_fatal(h, "out of memory while copying a stanza from the library");
    return -1;
  }
  return 0;
}

static uint64_t cb_now(void *ud)
{
  return ((host *)ud)->now;
}

static int cb_is_admin(const char *bare_jid, void *ud)
{
  host *h = ud;
  return bare_jid && host_eq_nocase(bare_jid, h->admin_jid);
}

static int cb_make_id(char *buf, size_t size, void *ud)
{
  host *h = ud;
  int n = snprintf(buf, size, "scansion-id-%lu", ++h->ids);
  return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

static void cb_log(int level, const char *msg, void *ud)
{
  static const char *names[] = {"debug", "info", "warn", "error"};
  host *h = ud;
  scs_buf b = {0};
  scs_buf_printf(&b, "[%s] %s", (unsigned)level < 4 ? names[level] : "?",
                 msg ? msg : "");
  host_emit(h, HOST_EV_LOG, -1, NULL, b.s ? b.s : "");
  scs_buf_free(&b);
}

void host_lib_result(host *h, int r, const char *what)
{
  if (r == MUC_OK)
    return;
  scs_buf b = {0};
  scs_buf_printf(&b, "%s returned %d (%s)", what, r, muc_strerror(r));
  host_emit(h, HOST_EV_LIB_ERROR, -1, NULL, b.s ? b.s : what);
  if (muc_error_is_fatal(r))
    host_set_fatal(h, b.s ? b.s : what);
  scs_buf_free(&b);
}

int host_lib_open(host *h, const host_options *opt, char *err, size_t errsz)
{
  muc_config cfg;
  if (opt->config)
    cfg = *opt->config;
  else
    muc_config_default(&cfg);
  muc_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.now = cb_now;
  cb.is_service_admin = cb_is_admin;
  cb.make_id = cb_make_id;
  cb.log = cb_log;
  int r =
      muc_service_new_tree(&h->svc, h->muc_domain, cb_send, &cb, &cfg, NULL, h);
  if (r != MUC_OK) {
    snprintf(err, errsz, "muc_service_new: %s", muc_strerror(r));
    h->svc = NULL;
    return -1;
  }
  return 0;
}

void host_lib_handle(host *h, const mxml_node_t *st)
{
  host_emit(h, HOST_EV_TO_MUC, -1, st, NULL);
  host_lib_result(h, muc_service_handle_stanza(h->svc, st),
                  "muc_service_handle_stanza");
}
