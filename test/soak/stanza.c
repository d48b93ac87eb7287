/* Reading delivered stanzas with expat: well-formedness (namespaces
 * checked too) and the few facts the invariants need. */
#include "stanza.h"

#include <expat.h>
#include <stdio.h>
#include <string.h>

#define NS_USER "http://jabber.org/protocol/muc#user"
#define NS_STANZAS "urn:ietf:params:xml:ns:xmpp-stanzas"
#define SEP '|'

typedef struct reader {
  stanza_info *info;
  int depth;
  int user_depth;  /* depth of the muc#user <x/>, 0 if outside */
  int error_depth; /* depth of <error/>, 0 if outside */
  int roots;       /* top-level elements: exactly one */
} reader;

static XML_Parser parser;

static void copy(char *dst, size_t size, const char *src)
{
  snprintf(dst, size, "%s", src ? src : "");
}

/* "ns|local" -> local, and whether ns is |want|. */
static const char *local_name(const char *name, const char *want, int *in_ns)
{
  const char *bar = strchr(name, SEP);
  if (!bar) {
    *in_ns = want == NULL;
    return name;
  }
  *in_ns = want && (size_t)(bar - name) == strlen(want) &&
           strncmp(name, want, (size_t)(bar - name)) == 0;
  return bar + 1;
}

static const char *attr(const char **atts, const char *name)
{
  for (size_t i = 0; atts[i]; i += 2)
    if (strcmp(atts[i], name) == 0)
      return atts[i + 1];
  return NULL;
}

static void add_jid(stanza_info *info, const char *jid)
{
  if (jid && info->njids < STANZA_MAX_JIDS)
    copy(info->jids[info->njids++], sizeof(info->jids[0]), jid);
}

static void on_start(void *ud, const char *name, const char **atts)
{
  reader *r = ud;
  stanza_info *info = r->info;
  r->depth++;
  int user_ns, stanzas_ns, client_ns;
  const char *local = local_name(name, NS_USER, &user_ns);
  local_name(name, NS_STANZAS, &stanzas_ns);
  local_name(name, "jabber:client", &client_ns);
  if (r->depth == 1) {
    r->roots++;
    copy(info->name, sizeof(info->name), local);
    copy(info->from, sizeof(info->from), attr(atts, "from"));
    copy(info->to, sizeof(info->to), attr(atts, "to"));
    copy(info->type, sizeof(info->type), attr(atts, "type"));
    return;
  }
  if (r->depth == 2 && client_ns && strcmp(local, "error") == 0) {
    r->error_depth = 2;
    copy(info->etype, sizeof(info->etype), attr(atts, "type"));
  }
  if (r->error_depth && r->depth == 3 && stanzas_ns &&
      strcmp(local, "text") != 0)
    copy(info->cond, sizeof(info->cond), local);
  if (!r->user_depth && user_ns && strcmp(local, "x") == 0)
    r->user_depth = r->depth;
  if (r->user_depth && user_ns && strcmp(local, "item") == 0) {
    const char *role = attr(atts, "role");
    info->items++;
    info->roleless_items += !role || strcmp(role, "none") == 0;
    add_jid(info, attr(atts, "jid"));
  }
  if (r->user_depth && user_ns && strcmp(local, "actor") == 0)
    add_jid(info, attr(atts, "jid"));
}

static void on_end(void *ud, const char *name)
{
  (void)name;
  reader *r = ud;
  if (r->depth == r->user_depth)
    r->user_depth = 0;
  if (r->depth == r->error_depth)
    r->error_depth = 0;
  r->depth--;
}

int stanza_read(const char *xml, size_t len, stanza_info *info)
{
  memset(info, 0, sizeof(*info));
  if (!parser)
    parser = XML_ParserCreateNS("UTF-8", SEP);
  else
    XML_ParserReset(parser, "UTF-8");
  if (!parser)
    return 0;
  /* the stream's default namespace, as the stanza is read on the wire */
  static const char prefix[] = "<stream xmlns='jabber:client'>";
  static const char suffix[] = "</stream>";
  reader r = {info, -1, 0, 0, 0};
  XML_SetUserData(parser, &r);
  XML_SetElementHandler(parser, on_start, on_end);
  int ok = XML_Parse(parser, prefix, (int)sizeof(prefix) - 1, 0) &&
           XML_Parse(parser, xml, (int)len, 0) && r.depth == 0 &&
           XML_Parse(parser, suffix, (int)sizeof(suffix) - 1, 1);
  if (ok && r.roots != 1) {
    snprintf(info->error_text, sizeof(info->error_text),
             "%d top-level elements", r.roots);
    info->well_formed = 0;
    return 0;
  }
  if (!ok)
    snprintf(info->error_text, sizeof(info->error_text), "%s at byte %lu",
             XML_ErrorString(XML_GetErrorCode(parser)),
             (unsigned long)XML_GetCurrentByteIndex(parser));
  info->well_formed = ok;
  return ok;
}

void stanza_reader_free(void)
{
  if (parser)
    XML_ParserFree(parser);
  parser = NULL;
}
