/* JIDs: split as RFC 7622 §3.1 says, then prepare each part with the
 * stringprep profiles of RFC 3920 (nodeprep, nameprep, resourceprep) as
 * libidn implements them (ASCII through jidprep_ascii.c, which gives the
 * same results without libidn). */
#include "jid.h"

#include <string.h>
#include <stringprep.h>

#include "jidprep_ascii.h"
#include "xml.h"

#define JID_PART_MAX MUC_JID_PART_MAX

/* Prepare the |n| bytes at |s| with |prof| into |buf| (JID_PART_MAX + 1
 * bytes): ASCII through the exact shortcut of jidprep_ascii.c, anything
 * else through libidn.  The size limit holds before and after
 * preparation: before, so that megabytes of characters mapped to nothing
 * are not fed to libidn; after, through the buffer size. */
static int prep_part(char *buf, const char *s, size_t n,
                     const muc_prep_profile *prof,
                     Stringprep_profile_flags flags, size_t *outlen)
{
  if (n == 0 || n > JID_PART_MAX)
    return MUC_ERR_INVALID_ARG;
  int rc = muc_prep_ascii(prof, s, n, buf);
  if (rc != MUC_PREP_NOT_ASCII) {
    buf[n] = '\0';
    *outlen = n; /* one byte for one byte */
    return rc == STRINGPREP_OK ? MUC_OK : MUC_ERR_INVALID_ARG;
  }
  memcpy(buf, s, n);
  buf[n] = '\0';
  rc = stringprep(buf, JID_PART_MAX + 1, flags, prof->idn);
  if (rc == STRINGPREP_MALLOC_ERROR)
    return MUC_ERR_NOMEM;
  if (rc != STRINGPREP_OK) /* prohibited, bidi, or too long after prep */
    return MUC_ERR_INVALID_ARG;
  *outlen = strlen(buf);
  return *outlen ? MUC_OK : MUC_ERR_INVALID_ARG;
}

static int is_alnum(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

/* Nameprep allows ASCII that cannot appear in a host name (space, '<',
 * '"', ...); refuse it as IDNA's STD3 rules would, except that '_' is
 * tolerated (common in internal deployments).  Also refuses empty labels.
 * IP literals ("[::1]") are accepted. */
static int domain_ok(const char *d, size_t len)
{
  if (d[0] == '[') {
    if (len < 3 || d[len - 1] != ']')
      return 0;
    for (size_t i = 1; i + 1 < len; i++) {
      char c = d[i];
      if (!is_alnum(c) && c != ':' && c != '.')
        return 0;
    }
    return 1;
  }
  size_t label = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)d[i];
    if (c == '.') {
      if (label == 0)
        return 0;
      label = 0;
      continue;
    }
    if (c < 0x80 && !is_alnum((char)c) && c != '-' && c != '_')
      return 0;
    label++;
  }
  return label > 0;
}

/* The prepared parts of a JID, each NUL-terminated; an absent node or
 * resource has length 0 (a present one never has). */
typedef struct jid_parts {
  char node[JID_PART_MAX + 1], domain[JID_PART_MAX + 1];
  char res[JID_PART_MAX + 1];
  size_t nl, dl, rl;
} jid_parts;

/* Split |s| as RFC 7622 §3.1 says and prepare each part.  MUC_OK,
 * MUC_ERR_INVALID_ARG (malformed) or MUC_ERR_NOMEM. */
static int prep_parts(const char *s, jid_parts *p)
{
  size_t len = strlen(s);
  if (len == 0 || len > 3 * JID_PART_MAX + 2 || !muc_utf8_xml_valid(s, len))
    return MUC_ERR_INVALID_ARG;

  /* The resource is everything after the first '/', and may itself hold
   * '@' and '/'; the node ends at the first '@' before that slash. */
  const char *slash = memchr(s, '/', len);
  size_t bare_len = slash ? (size_t)(slash - s) : len;
  const char *at = memchr(s, '@', bare_len);
  const char *d = at ? at + 1 : s;
  size_t dlen = bare_len - (size_t)(d - s);
  if (dlen > 0 && d[dlen - 1] == '.')
    dlen--; /* the fully qualified form names the same domain */

  p->nl = p->rl = 0;
  int rc;
  Stringprep_profile_flags none = (Stringprep_profile_flags)0;
  if (at && (rc = prep_part(p->node, s, (size_t)(at - s), &muc_prep_nodeprep,
                            none, &p->nl)) != MUC_OK)
    return rc;
  if ((rc = prep_part(p->domain, d, dlen, &muc_prep_nameprep, none, &p->dl)) !=
      MUC_OK)
    return rc;
  if (!domain_ok(p->domain, p->dl))
    return MUC_ERR_INVALID_ARG;
  if (slash && (rc = prep_part(p->res, slash + 1, len - bare_len - 1,
                               &muc_prep_resourceprep, none, &p->rl)) != MUC_OK)
    return rc;
  return MUC_OK;
}

/* One block for |out|: full, bare, node, domain, resource, each
 * NUL-terminated; |full| is its start, so muc_jid_clear() frees through
 * it.  |node| and |res| are NULL when absent. */
static int assemble_in(muc_mem *m, const char *node, size_t nl,
                       const char *domain, size_t dl, const char *res,
                       size_t rl, muc_jid_room *room, muc_jid *out)
{
  size_t bl = (node ? nl + 1 : 0) + dl;
  size_t fl = bl + (res ? rl + 1 : 0);
  size_t need = fl + 1 + bl + 1 + nl + 1 + dl + 1 + rl + 1;
  char *blk = room && need <= sizeof(room->bytes) ? room->bytes
                                                  : muc_mem_malloc(m, need);
  if (!blk)
    return MUC_ERR_NOMEM;
  char *p = blk;
  out->full = p;
  if (node) {
    memcpy(p, node, nl);
    p[nl] = '@';
    p += nl + 1;
  }
  memcpy(p, domain, dl);
  p += dl;
  if (res) {
    *p++ = '/';
    memcpy(p, res, rl);
    p += rl;
  }
  *p++ = '\0';
  out->bare = p;
  memcpy(p, out->full, bl);
  p += bl;
  *p++ = '\0';
  if (node) {
    out->node = p;
    memcpy(p, node, nl);
    p += nl;
  }
  *p++ = '\0';
  out->domain = p;
  memcpy(p, domain, dl);
  p += dl;
  *p++ = '\0';
  if (res) {
    out->resource = p;
    memcpy(p, res, rl);
    p += rl;
  }
  *p = '\0';
  return MUC_OK;
}

int muc_jid_parse(muc_mem *m, const char *s, muc_jid *out)
{
  if (!out)
    return MUC_ERR_INVALID_ARG;
  memset(out, 0, sizeof(*out));
  if (!m || !s)
    return MUC_ERR_INVALID_ARG;
  jid_parts p;
  int rc = prep_parts(s, &p);
  if (rc != MUC_OK)
    return rc;
  return assemble_in(m, p.nl ? p.node : NULL, p.nl, p.domain, p.dl,
                     p.rl ? p.res : NULL, p.rl, NULL, out);
}

/* |s| split at its first '/' and the first '@' before it. */
static void split(const char *s, const char **at, const char **slash)
{
  *slash = strchr(s, '/');
  size_t bare_len = *slash ? (size_t)(*slash - s) : strlen(s);
  *at = memchr(s, '@', bare_len);
}

int muc_jid_is_canonical(const char *s)
{
  jid_parts p;
  if (!s || prep_parts(s, &p) != MUC_OK)
    return 0;
  const char *at, *slash;
  split(s, &at, &slash);
  /* the parts prepared are the parts split: a prepared node holds no '@'
   * or '/', a prepared domain neither (domain_ok) */
  const char *d = at ? at + 1 : s;
  size_t dl = slash ? (size_t)(slash - d) : strlen(d);
  return (at ? p.nl == (size_t)(at - s) && memcmp(p.node, s, p.nl) == 0
             : p.nl == 0) &&
         p.dl == dl && memcmp(p.domain, d, dl) == 0 &&
         (slash ? strcmp(p.res, slash + 1) == 0 : p.rl == 0);
}

int muc_jid_from_canonical(muc_mem *m, const char *s, muc_jid *out)
{
  return muc_jid_from_canonical_in(m, s, NULL, out);
}

int muc_jid_from_canonical_in(muc_mem *m, const char *s, muc_jid_room *room,
                              muc_jid *out)
{
  memset(out, 0, sizeof(*out));
  const char *at, *slash;
  split(s, &at, &slash);
  const char *d = at ? at + 1 : s;
  size_t dl = slash ? (size_t)(slash - d) : strlen(d);
  return assemble_in(m, at ? s : NULL, at ? (size_t)(at - s) : 0, d, dl,
                     slash ? slash + 1 : NULL, slash ? strlen(slash + 1) : 0,
                     room, out);
}

int muc_jid_parse_after_bare(muc_mem *m, const char *s, size_t bare_len,
                             muc_jid_room *room, muc_jid *out)
{
  memset(out, 0, sizeof(*out));
  const char *res = s + bare_len + 1;
  size_t rl = strlen(res);
  if (!muc_utf8_xml_valid(res, rl))
    return MUC_ERR_INVALID_ARG;
  char prepped[JID_PART_MAX + 1];
  size_t pl;
  int rc = prep_part(prepped, res, rl, &muc_prep_resourceprep,
                     (Stringprep_profile_flags)0, &pl);
  if (rc != MUC_OK)
    return rc;
  const char *at = memchr(s, '@', bare_len);
  size_t nl = at ? (size_t)(at - s) : 0;
  const char *d = at ? at + 1 : s;
  return assemble_in(m, at ? s : NULL, nl, d, bare_len - (size_t)(d - s),
                     prepped, pl, room, out);
}

void muc_jid_clear(muc_mem *m, muc_jid *j)
{
  if (!j)
    return;
  muc_mem_free(m, j->full);
  memset(j, 0, sizeof(*j));
}

void muc_jid_release(muc_mem *m, muc_jid *j, const muc_jid_room *room)
{
  if (room && j->full == room->bytes)
    memset(j, 0, sizeof(*j));
  else
    muc_jid_clear(m, j);
}

int muc_jid_copy(muc_mem *m, const muc_jid *src, muc_jid *dst)
{
  memset(dst, 0, sizeof(*dst));
  /* the block ends with the resource (empty when absent) and its NUL */
  const char *last =
      src->resource ? src->resource : src->domain + strlen(src->domain) + 1;
  size_t len = (size_t)(last - src->full) + strlen(last) + 1;
  char *blk = muc_mem_malloc(m, len);
  if (!blk)
    return MUC_ERR_NOMEM;
  memcpy(blk, src->full, len);
  dst->full = blk;
  dst->bare = blk + (src->bare - src->full);
  dst->domain = blk + (src->domain - src->full);
  dst->node = src->node ? blk + (src->node - src->full) : NULL;
  dst->resource = src->resource ? blk + (src->resource - src->full) : NULL;
  return MUC_OK;
}

int muc_nick_prep(muc_mem *m, const char *nick, int strict, size_t max_bytes,
                  char **out)
{
  if (!out)
    return MUC_ERR_INVALID_ARG;
  *out = NULL;
  if (!m || !nick)
    return MUC_ERR_INVALID_ARG;
  /* a nick is the resource of an occupant JID: past JID_PART_MAX, before
   * or after preparation, it is malformed whatever the limit says */
  if (max_bytes == 0 || max_bytes > JID_PART_MAX)
    max_bytes = JID_PART_MAX;
  size_t len = strlen(nick);
  if (!muc_utf8_xml_valid(nick, len))
    return MUC_ERR_INVALID_ARG;
  char buf[JID_PART_MAX + 1];
  int rc = prep_part(
      buf, nick, len, &muc_prep_resourceprep,
      strict ? STRINGPREP_NO_UNASSIGNED : (Stringprep_profile_flags)0, &len);
  if (rc != MUC_OK)
    return rc;
  if (len > max_bytes)
    return MUC_ERR_LIMIT; /* a valid nick, longer than the service takes */
  *out = muc_mem_strdup(m, buf);
  return *out ? MUC_OK : MUC_ERR_NOMEM;
}

char *muc_jid_bare_of(muc_mem *m, const char *full)
{
  if (!m || !full)
    return NULL;
  const char *slash = strchr(full, '/');
  return muc_mem_strndup(m, full,
                         slash ? (size_t)(slash - full) : strlen(full));
}
