/* libFuzzer target: the tree adapter.  The input is read into a Mini-XML
 * tree the way a host with a lax parser would (mxmlLoadString, inside a
 * stream element that declares the default namespace), and each child
 * node of the stream, whatever its type, is handed to
 * muc_service_handle_stanza against the live room of fuzz_room.c.  The
 * library must check the tree itself: invalid UTF-8 from character
 * references, comments, CDATA, processing instructions and DOCTYPE all
 * come through Mini-XML.  Bit 0 of the length picks the delivery path,
 * bit 1 the type callback (opaque text, or Mini-XML's word-split text),
 * bit 2 whether deliveries end sessions from inside the callback. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_room.h"

static const char stream_open[] =
    "<stream:stream xmlns='jabber:component:accept' "
    "xmlns:stream='http://etherx.jabber.org/streams' to='" FUZZ_DOMAIN "'>";
static const char stream_close[] = "</stream:stream>";

/* A host would log Mini-XML's complaints; the target has no use for them. */
static void quiet(const char *msg)
{
  (void)msg;
}

static mxml_node_t *load_stream(const uint8_t *data, size_t size, int opaque)
{
  size_t open = sizeof(stream_open) - 1, close = sizeof(stream_close) - 1;
  char *doc = malloc(open + size + close + 1);
  if (!doc)
    abort();
  memcpy(doc, stream_open, open);
  memcpy(doc + open, data, size);
  memcpy(doc + open + size, stream_close, close + 1);
  mxmlSetErrorCallback(quiet);
  mxml_node_t *top = mxmlLoadString(
      NULL, doc, opaque ? MXML_OPAQUE_CALLBACK : MXML_NO_CALLBACK);
  mxmlSetErrorCallback(NULL);
  free(doc);
  return top;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_room fr;
  fuzz_room_open(&fr, size & 1 ? FUZZ_BYTES : FUZZ_TREES, (int)(size & 4));
  mxml_node_t *top = load_stream(data, size, !(size & 2));
  /* <?xml ...?> in front becomes the root, the stream its child */
  mxml_node_t *stream = top;
  while (stream && mxmlGetType(stream) == MXML_ELEMENT &&
         strcmp(mxmlGetElement(stream), "stream:stream") != 0)
    stream = mxmlGetFirstChild(stream);
  for (mxml_node_t *n = stream ? mxmlGetFirstChild(stream) : NULL; n;
       n = mxmlGetNextSibling(n))
    fuzz_check_rc(muc_service_handle_stanza(fr.svc, n));
  mxmlDelete(top);
  fuzz_room_close(&fr);
  return 0;
}
