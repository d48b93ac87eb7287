#include "host_fields.h"

#include <string.h>

#include "feed.h"
#include "store.h"
#include "xml.h"

int muc_host_var_is_libmucs(const char *var)
{
  return strcmp(var, "FORM_TYPE") == 0 || strncmp(var, "muc#", 4) == 0;
}

static void field_clear(muc_mem *m, muc_hook_field *f)
{
  for (size_t i = 0; i < f->nvalues; i++)
    muc_mem_free(m, (char *)f->values[i]);
  muc_mem_free(m, (void *)f->values);
  muc_mem_free(m, (char *)f->var);
  memset(f, 0, sizeof(*f));
}

void muc_host_fields_free(muc_room *room)
{
  muc_host_fields *hf = room->host_fields;
  if (!hf)
    return;
  muc_mem *m = &room->svc->mem;
  for (size_t i = 0; i < hf->n; i++)
    field_clear(m, &hf->f[i]);
  muc_mem_free(m, hf->f);
  muc_mem_free(m, hf);
  room->host_fields = NULL;
}

const muc_hook_field *muc_host_fields_all(const muc_room *room, size_t *n)
{
  const muc_host_fields *hf = room->host_fields;
  *n = hf ? hf->n : 0;
  return hf ? hf->f : NULL;
}

int muc_host_fields_has(const muc_room *room, const char *var)
{
  const muc_host_fields *hf = room->host_fields;
  for (size_t i = 0; hf && i < hf->n; i++)
    if (strcmp(hf->f[i].var, var) == 0)
      return 1;
  return 0;
}

/* The slot of |var|, added empty if it is new; NULL on NOMEM. */
static muc_hook_field *slot_of(muc_room *room, const char *var)
{
  muc_mem *m = &room->svc->mem;
  if (!room->host_fields &&
      !(room->host_fields = muc_mem_calloc(m, 1, sizeof(muc_host_fields))))
    return NULL;
  muc_host_fields *hf = room->host_fields;
  for (size_t i = 0; i < hf->n; i++)
    if (strcmp(hf->f[i].var, var) == 0)
      return &hf->f[i];
  muc_hook_field *grown =
      muc_mem_realloc(m, hf->f, (hf->n + 1) * sizeof(*hf->f));
  if (!grown)
    return NULL;
  hf->f = grown;
  muc_hook_field *f = &hf->f[hf->n];
  memset(f, 0, sizeof(*f));
  if (!(f->var = muc_mem_strdup(m, var)))
    return NULL;
  hf->n++;
  return f;
}

int muc_host_fields_set(muc_room *room, const char *var,
                        const char *const *values, size_t n)
{
  muc_mem *m = &room->svc->mem;
  muc_hook_field *f = slot_of(room, var);
  if (!f)
    return MUC_ERR_NOMEM;
  char **copy = n ? muc_mem_calloc(m, n, sizeof(*copy)) : NULL;
  if (n && !copy)
    return MUC_ERR_NOMEM;
  for (size_t i = 0; i < n; i++) {
    if (!(copy[i] = muc_mem_strdup(m, values[i]))) {
      while (i--)
        muc_mem_free(m, copy[i]);
      muc_mem_free(m, copy);
      return MUC_ERR_NOMEM;
    }
  }
  for (size_t i = 0; i < f->nvalues; i++)
    muc_mem_free(m, (char *)f->values[i]);
  muc_mem_free(m, (void *)f->values);
  f->values = (const char *const *)copy;
  f->nvalues = n;
  muc_feed_touch_part(room, MUC_FEED_PART_HOSTFIELDS);
  return MUC_OK;
}

MUC_EXTERN const char *muc_room_get_host_value(const muc_room *room,
                                               const char *var, size_t index)
{
  if (!room || !var)
    return NULL;
  size_t n;
  const muc_hook_field *f = muc_host_fields_all(room, &n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(f[i].var, var) == 0)
      return index < f[i].nvalues ? f[i].values[index] : NULL;
  return NULL;
}

/* The bytes muc_xml_write gives, as for the rest of the record
 * (store_write.c). */
void muc_host_fields_write(const muc_room *room, muc_buf *b)
{
  size_t n;
  const muc_hook_field *f = muc_host_fields_all(room, &n);
  for (size_t i = 0; i < n; i++) {
    muc_buf_puts(b, "<hostfield");
    muc_buf_put_attr(b, "var", f[i].var);
    if (!f[i].nvalues) {
      muc_buf_puts(b, "/>");
      continue;
    }
    muc_buf_putc(b, '>');
    for (size_t j = 0; j < f[i].nvalues; j++) {
      const char *v = f[i].values[j];
      if (!*v) {
        muc_buf_puts(b, "<value/>");
        continue;
      }
      muc_buf_puts(b, "<value>");
      muc_buf_append_escaped(b, v, strlen(v), 0);
      muc_buf_puts(b, "</value>");
    }
    muc_buf_puts(b, "</hostfield>");
  }
}

/* The values of one <hostfield/> into |room|. */
static int read_one(muc_room *room, const mxml_node_t *e)
{
  muc_mem *m = &room->svc->mem;
  const char *var = muc_xml_attr(e, "var");
  if (!var || !*var)
    return MUC_ERR_STORAGE;
  size_t n = 0;
  for (const mxml_node_t *v = muc_xml_first_element(e); v;
       v = muc_xml_next_element(v))
    n += muc_xml_is(v, "value", MUC_NS_STORE);
  char **vals = n ? muc_mem_calloc(m, n, sizeof(*vals)) : NULL;
  if (n && !vals)
    return MUC_ERR_NOMEM;
  size_t k = 0;
  int rc = MUC_OK;
  for (const mxml_node_t *v = muc_xml_first_element(e); v && rc == MUC_OK;
       v = muc_xml_next_element(v))
    if (muc_xml_is(v, "value", MUC_NS_STORE) &&
        !(vals[k++] = muc_xml_text_dup(m, v)))
      rc = MUC_ERR_NOMEM;
  if (rc == MUC_OK)
    rc = muc_host_fields_set(room, var, (const char *const *)vals, n);
  for (size_t i = 0; i < k; i++)
    muc_mem_free(m, vals[i]);
  muc_mem_free(m, vals);
  return rc;
}

int muc_host_fields_read(muc_room *room, const mxml_node_t *r)
{
  for (const mxml_node_t *e = muc_xml_first_element(r); e;
       e = muc_xml_next_element(e)) {
    if (!muc_xml_is(e, "hostfield", MUC_NS_STORE))
      continue;
    int rc = read_one(room, e);
    if (rc != MUC_OK)
      return rc;
  }
  return MUC_OK;
}
