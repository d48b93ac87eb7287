#include "avatar.h"

#include <nettle/base64.h>
#include <nettle/sha1.h>
#include <string.h>

#include "mem.h"
#include "types.h"

/* Feed the base64 text |s| decoded to |sha|, a chunk at a time (no copy
 * of the image is made).  Whitespace between the characters is allowed:
 * vCards wrap BINVAL in lines (RFC 2426 §2.6). */
static int hash_base64(struct sha1_ctx *sha, const char *s)
{
  struct base64_decode_ctx b64;
  base64_decode_init(&b64);
  uint8_t chunk[BASE64_DECODE_LENGTH(256)];
  for (size_t left = strlen(s); left;) {
    size_t n = left < 256 ? left : 256;
    size_t out = sizeof(chunk);
    if (!base64_decode_update(&b64, &out, chunk, n, s))
      return MUC_ERR_INVALID_ARG;
    sha1_update(sha, out, chunk);
    s += n;
    left -= n;
  }
  return base64_decode_final(&b64) ? MUC_OK : MUC_ERR_INVALID_ARG;
}

static int photo_hash(const mxml_node_t *binval, muc_buf *out)
{
  struct sha1_ctx sha;
  sha1_init(&sha);
  /* the text of every piece (entities may split it) */
  char *text = muc_xml_text_dup(out->mem, binval);
  if (!text)
    return MUC_ERR_NOMEM;
  int rc = hash_base64(&sha, text);
  muc_mem_free(out->mem, text);
  if (rc != MUC_OK)
    return rc;
  uint8_t digest[SHA1_DIGEST_SIZE];
  sha1_digest(&sha, sizeof(digest), digest);
  static const char hex[] = "0123456789abcdef";
  if (out->len)
    muc_buf_putc(out, ' ');
  for (size_t i = 0; i < sizeof(digest); i++) {
    muc_buf_putc(out, hex[digest[i] >> 4]);
    muc_buf_putc(out, hex[digest[i] & 15]);
  }
  return out->oom ? MUC_ERR_NOMEM : MUC_OK;
}

int muc_avatar_hashes(const mxml_node_t *vcard, muc_buf *out)
{
  for (mxml_node_t *p = muc_xml_first_element(vcard); p;
       p = muc_xml_next_element(p)) {
    if (!muc_xml_is(p, "PHOTO", MUC_NS_VCARD))
      continue;
    mxml_node_t *binval = muc_xml_child(p, "BINVAL", MUC_NS_VCARD);
    int rc = binval ? photo_hash(binval, out) : MUC_OK;
    if (rc != MUC_OK)
      return rc;
  }
  return MUC_OK;
}
