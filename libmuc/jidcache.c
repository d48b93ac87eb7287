#include "jidcache.h"

#include <string.h>

#include "map.h"

static void slot_clear(muc_service *svc, muc_jid_slot *slot)
{
  muc_mem_free(&svc->mem, slot->raw);
  muc_jid_clear(&svc->mem, &slot->jid);
  slot->raw = NULL;
}

/* A full slot is simply replaced. */
int muc_jidcache_parse(muc_service *svc, const char *raw, muc_jid *out)
{
  muc_jid_slot *slot = &svc->jids[muc_hash_str(raw) % MUC_JID_CACHE];
  if (slot->raw && strcmp(slot->raw, raw) == 0)
    return muc_jid_copy(&svc->mem, &slot->jid, out);
  int rc = muc_jid_parse(&svc->mem, raw, out);
  if (rc != MUC_OK)
    return rc;
  slot_clear(svc, slot);
  slot->raw = muc_mem_strdup(&svc->mem, raw);
  if (!slot->raw || muc_jid_copy(&svc->mem, out, &slot->jid) != MUC_OK) {
    /* only the cache lost an entry: the stanza goes on, nothing failed */
    muc_mem_free(&svc->mem, slot->raw);
    slot->raw = NULL;
  }
  return MUC_OK;
}

void muc_jidcache_free(muc_service *svc)
{
  for (size_t i = 0; i < MUC_JID_CACHE; i++)
    slot_clear(svc, &svc->jids[i]);
}

int muc_addr_canonical(const muc_service *svc, const char *jid)
{
  for (size_t i = 0; jid[0] && i < MUC_ADDR_PROVEN; i++)
    if (strcmp(svc->proven[i], jid) == 0)
      return 1;
  return muc_jid_is_canonical(jid);
}
