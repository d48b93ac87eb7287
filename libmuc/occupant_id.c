/* XEP-0421 occupant ids.  Nettle's HMAC-SHA256 is pure (no global
 * initialisation, no state outside the context), so the engine stays
 * free of globals; the context keyed once per service is copied for each
 * occupant, which saves hashing the key again. */
#include "occupant_id.h"

#include <nettle/base64.h>
#include <nettle/hmac.h>
#include <string.h>

#include "stanza.h"

/* Bytes of the MAC kept: 144 bits, which base64url writes in exactly
 * MUC_OCCUPANT_ID_CHARS characters. */
#define MAC_KEPT 18

struct muc_occupant_key {
  struct hmac_sha256_ctx keyed;
};

int muc_occupant_key_new(muc_mem *mem, const uint8_t *secret, size_t len,
                         muc_occupant_key **out)
{
  *out = NULL;
  if (!secret || len < MUC_OCCUPANT_ID_MIN_SECRET)
    return MUC_ERR_INVALID_ARG;
  muc_occupant_key *k = muc_mem_malloc(mem, sizeof(*k));
  if (!k)
    return MUC_ERR_NOMEM;
  hmac_sha256_set_key(&k->keyed, len, secret);
  *out = k;
  return MUC_OK;
}

void muc_occupant_key_free(muc_mem *mem, muc_occupant_key *key)
{
  if (key)
    memset(key, 0, sizeof(*key)); /* the keyed state is as good as the key */
  muc_mem_free(mem, key);
}

void muc_occupant_id_el(const muc_occupant_key *key, const char *room_jid,
                        const char *bare_jid, char *el)
{
  struct hmac_sha256_ctx c = key->keyed;
  /* room JID, NUL, bare JID: a NUL is in no JID, so no two pairs give
   * the same input */
  hmac_sha256_update(&c, strlen(room_jid) + 1, (const uint8_t *)room_jid);
  hmac_sha256_update(&c, strlen(bare_jid), (const uint8_t *)bare_jid);
  uint8_t mac[SHA256_DIGEST_SIZE];
  hmac_sha256_digest(&c, sizeof(mac), mac);
  memset(&c, 0, sizeof(c));
  size_t head = sizeof(MUC_OCCUPANT_ID_EL_HEAD) - 1;
  memcpy(el, MUC_OCCUPANT_ID_EL_HEAD, head);
  struct base64_encode_ctx b;
  base64url_encode_init(&b);
  char *id = el + head;
  size_t n = base64_encode_update(&b, id, MAC_KEPT, mac);
  n += base64_encode_final(&b, id + n); /* nothing: 18 is a multiple of 3 */
  memcpy(id + n, "\"/>", 4);
}

int muc_occupant_id_is(const mxml_node_t *c)
{
  return muc_xml_is(c, "occupant-id", MUC_NS_OCCUPANT_ID);
}

void muc_occupant_id_add(muc_service *svc, mxml_node_t *parent, const char *el)
{
  char id[MUC_OCCUPANT_ID_CHARS + 1];
  memcpy(id, muc_occupant_id_of_el(el), MUC_OCCUPANT_ID_CHARS);
  id[MUC_OCCUPANT_ID_CHARS] = 0;
  muc_attr(svc, muc_el(svc, parent, "occupant-id", MUC_NS_OCCUPANT_ID), "id",
           id);
}
