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
#include "mem_archive.h"
#include "scs.h"
/* libmuc internal: its serializer (linked from the base archive) */
#include "xml.h"

/* ------------------------------------------------------------------ */
/* Serialized stanzas                                                  */
/* ------------------------------------------------------------------ */

/* |n| written by the library's own serializer, malloc'd (NULL: out of
 * memory).  The text path hands the library what a client sends in this
 * form, and the tree path writes what it receives with it, so the
 * deliveries of the two paths can be compared byte for byte. */
static char *write_tree(const mxml_node_t *n)
{
  muc_mem mem;
  muc_buf b;
  muc_mem_init(&mem, NULL);
  muc_buf_init(&b, &mem);
  char *s = NULL;
  if (muc_xml_write(&b, n) == MUC_OK)
    s = scs_strndup(b.data ? b.data : "", b.len);
  muc_buf_free(&b);
  return s;
}

/* What the library sent could not be taken as it is: that is the
 * library's fault, and the replay stops. */
static int library_bug(host *h, const char *what, const char *text)
{
  scs_buf b = {0};
  scs_buf_printf(&b, "the library delivered %s: %s", what, text);
  host_set_fatal(h, b.s ? b.s : what);
  scs_buf_free(&b);
  return -1;
}

/* The stanza of the delivery |text|, parsed as the client's queue holds
 * it; NULL (the host fatal) if it is not one well-formed element. */
static mxml_node_t *parse_delivery(host *h, const char *text)
{
  char err[300];
  mxml_node_t *root = scs_xml_parse_block(text, err, sizeof err);
  mxml_node_t *st = root ? scs_xml_first_element(root) : NULL;
  if (!st || scs_xml_next_element(st)) {
    library_bug(h, root ? "more than one element" : err, text);
    mxmlDelete(root);
    return NULL;
  }
  mxmlRemove(st);
  mxmlDelete(root);
  return st;
}

/* A delivery, reported with its serialized form and queued for routing
 * (|tree| owned).  0, or -1 (the host fatal). */
static int take_delivery(host *h, mxml_node_t *tree, const char *text)
{
  host_emit(h, HOST_EV_FROM_MUC, -1, tree, text);
  return host_enqueue(h, tree);
}

/* ------------------------------------------------------------------ */
/* Library callbacks                                                   */
/* ------------------------------------------------------------------ */

/* The tree path: the tree is borrowed, so it is copied. */
static int cb_send_tree(const mxml_node_t *stanza, void *ud)
{
  host *h = ud;
  mxml_node_t *copy = scs_xml_copy(NULL, stanza);
  char *text = write_tree(stanza);
  int r;
  if (!copy || !text) {
    mxmlDelete(copy);
    host_set_fatal(h, "out of memory while copying a stanza from the library");
    r = -1;
  } else {
    r = take_delivery(h, copy, text);
  }
  free(text);
  return r;
}

/* The text path: the bytes are parsed into a tree for the client's queue,
 * after the checks send_bytes promises (no NUL, 'to' is the recipient). */
static int cb_send_bytes(const char *to, const char *xml, size_t len, void *ud)
{
  host *h = ud;
  char *text = scs_strndup(xml, len);
  if (!text) {
    host_set_fatal(h, "out of memory while copying a stanza from the library");
    return -1;
  }
  mxml_node_t *st = NULL;
  if (memchr(xml, '\0', len))
    library_bug(h, "a NUL byte", text);
  else
    st = parse_delivery(h, text);
  const char *st_to = st ? mxmlElementGetAttr(st, "to") : NULL;
  if (st && (!to || !st_to || strcmp(to, st_to) != 0)) {
    scs_buf b = {0};
    scs_buf_printf(&b, "a stanza whose 'to' is not the recipient '%s'",
                   to ? to : "(NULL)");
    library_bug(h, b.s ? b.s : "a stanza to someone else", text);
    scs_buf_free(&b);
    mxmlDelete(st);
    st = NULL;
  }
  int r = st ? take_delivery(h, st, text) : -1;
  free(text);
  return r;
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
  if (opt->archive) {
    if (!(h->archive = malloc(sizeof(*h->archive)))) {
      snprintf(err, errsz, "out of memory");
      return -1;
    }
    mem_archive_init(h->archive);
  }
  if (opt->config)
    h->cfg = *opt->config;
  else
    muc_config_default(&h->cfg);
  int r = host_lib_new_service(h, &h->svc);
  if (r != MUC_OK) {
    snprintf(err, errsz, "muc_service_new: %s", muc_strerror(r));
    h->svc = NULL;
    return -1;
  }
  return 0;
}

/* The host's archive, if it keeps one, into the new |svc|. */
static int with_archive(host *h, muc_service *svc)
{
  return h->archive ? mem_archive_install(h->archive, svc) : MUC_OK;
}

int host_lib_new_service(host *h, muc_service **out)
{
  muc_config cfg = h->cfg;
  muc_callbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.now = cb_now;
  cb.is_service_admin = cb_is_admin;
  cb.make_id = cb_make_id;
  cb.log = cb_log;
  host_store_callbacks(h, &cb);
  if (h->path == HOST_PATH_TREE) {
    int r = muc_service_new_tree(out, h->muc_domain, cb_send_tree, &cb, &cfg,
                                 NULL, h);
    return r == MUC_OK ? with_archive(h, *out) : r;
  }
  cb.send_bytes = cb_send_bytes;
  int r = muc_service_new(out, h->muc_domain, &cb, &cfg, NULL, h);
  return r == MUC_OK ? with_archive(h, *out) : r;
}

void host_lib_handle(host *h, const mxml_node_t *st)
{
  if (h->path == HOST_PATH_TREE) {
    host_emit(h, HOST_EV_TO_MUC, -1, st, NULL);
    host_lib_result(h, muc_service_handle_stanza(h->svc, st),
                    "muc_service_handle_stanza");
    host_store_evict(h);
    return;
  }
  char *text = write_tree(st);
  if (!text) {
    host_set_fatal(h, "out of memory while serializing a stanza");
    return;
  }
  host_emit(h, HOST_EV_TO_MUC, -1, st, text);
  host_lib_result(h, muc_service_handle_xml(h->svc, text, strlen(text)),
                  "muc_service_handle_xml");
  free(text);
  host_store_evict(h);
}
