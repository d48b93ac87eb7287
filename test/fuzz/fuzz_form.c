/* libFuzzer target: data forms (libmuc/form.c) and the code that reads
 * submitted forms.  The input is one <x xmlns='jabber:x:data'/> element
 * (or anything else).  It is parsed with libmuc's parser and read with
 * muc_form_parse and the field accessors; then the same text is submitted
 * to the live room of fuzz_room.c as a room configuration (to the
 * configured room and to a new, locked one), a registration, and a voice
 * request and its approval, through the text entry.  Bits 0 and 1 of the
 * length: delivery path and re-entry, as for fuzz_stanza. */
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "fuzz_room.h"
#include "xml.h"

static void read_form(const uint8_t *data, size_t size)
{
  muc_mem m;
  muc_mem_init(&m, NULL);
  mxml_node_t *x = NULL;
  int rc = muc_xml_parse(&m, (const char *)data, size, NULL, &x);
  fuzz_check_rc(rc);
  if (rc != MUC_OK)
    return;
  muc_form *f = NULL;
  rc = muc_form_parse(&m, x, &f);
  if (rc == MUC_ERR_NOMEM || (rc != MUC_OK && rc != MUC_ERR_BAD_STANZA))
    abort();
  if (rc == MUC_OK) {
    for (size_t i = 0; i < f->nfields; i++) {
      const muc_form_field *fld = &f->fields[i];
      if (!fld->var || muc_form_get(f, fld->var) != fld)
        abort(); /* a var given twice is refused, so lookup finds this one */
      const char *v = muc_form_value(f, fld->var);
      if ((v == NULL) != (fld->nvalues == 0))
        abort();
      for (size_t k = 0; k < fld->nvalues; k++)
        if (!fld->values[k] || muc_form_parse_bool(fld->values[k]) < -1)
          abort();
    }
    muc_form_free(&m, f);
  }
  mxmlDelete(x);
  if (m.in_use != 0)
    abort();
}

#define IQ(FROM, TO, NS)                                                       \
  "<iq from='" FROM "' to='" TO "' type='set' id='f'><query xmlns='" NS "'>",  \
      "</query></iq>"
static const char *const wrappers[][2] = {
    {IQ("owner@localhost/o", FUZZ_ROOM,
        "http://jabber.org/protocol/muc#owner")},
    {IQ("x@localhost/x", "new@" FUZZ_DOMAIN,
        "http://jabber.org/protocol/muc#owner")},
    {IQ("c@localhost/c", FUZZ_ROOM, "jabber:iq:register")},
    {IQ("d@localhost/d", FUZZ_ROOM, "jabber:iq:register")},
    {"<message from='b@localhost/b' to='" FUZZ_ROOM "'>", "</message>"},
    {"<message from='owner@localhost/o' to='" FUZZ_ROOM "'>", "</message>"},
};

static const char new_room[] =
    "<presence from='x@localhost/x' to='new@" FUZZ_DOMAIN "/X'><x "
    "xmlns='http://jabber.org/protocol/muc'/></presence>";

static void submit(fuzz_room *fr, const char *open, const uint8_t *data,
                   size_t size, const char *close)
{
  size_t ol = strlen(open), cl = strlen(close);
  char *st = malloc(ol + size + cl);
  if (!st)
    abort();
  memcpy(st, open, ol);
  memcpy(st + ol, data, size);
  memcpy(st + ol + size, close, cl);
  fuzz_room_feed(fr, st, ol + size + cl);
  free(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  read_form(data, size);
  fuzz_room fr;
  fuzz_room_open(&fr, size & 1 ? FUZZ_BYTES : FUZZ_TREES, (int)(size & 2));
  if (fuzz_room_feed(&fr, new_room, strlen(new_room)) != MUC_OK)
    abort();
  for (size_t i = 0; i < sizeof(wrappers) / sizeof(wrappers[0]); i++)
    submit(&fr, wrappers[i][0], data, size, wrappers[i][1]);
  fuzz_room_close(&fr);
  return 0;
}
