/* libFuzzer target: the scenario parser of test/replay (scs.c).  The input
 * is a script; when it parses, every XML block is substituted with the
 * clients' addresses, parsed as the replay would, written back (one line
 * and pretty-printed) and the one-line form parsed again: what the
 * replay prints for a block must be a block it reads. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *lookup(const char *name, int full, void *ud)
{
  (void)ud;
  (void)name;
  return full ? "romeo@localhost/balcony" : "romeo@localhost";
}

static void check_block(const char *xml)
{
  char err[256];
  char *text = NULL;
  if (scs_substitute(xml, lookup, NULL, &text, err, sizeof err) != 0)
    return;
  mxml_node_t *root = scs_xml_parse_block(text, err, sizeof err);
  free(text);
  if (!root)
    abort(); /* scs_parse checked the block: it must parse */
  scs_buf line = {0};
  for (mxml_node_t *el = scs_xml_first_element(root); el;
       el = scs_xml_next_element(el)) {
    mxml_node_t *copy = scs_xml_copy(NULL, el);
    if (!copy)
      abort();
    scs_xml_strip_blank(copy);
    char *pretty = scs_xml_string(copy, 2);
    free(pretty);
    scs_xml_format(&line, copy, -1);
    mxmlDelete(copy);
  }
  mxmlDelete(root);
  if (line.oom)
    abort();
  mxml_node_t *again =
      scs_xml_parse_block(line.s ? line.s : "", err, sizeof err);
  if (!again)
    abort();
  mxmlDelete(again);
  scs_buf_free(&line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char err[256];
  scs_script *s = NULL;
  if (scs_parse((const char *)data, size, "fuzz", &s, err, sizeof err) != 0)
    return 0;
  for (size_t i = 0; i < s->nactions; i++) {
    const scs_action *a = &s->actions[i];
    if (a->client >= s->nclients)
      abort();
    if (a->xml)
      check_block(a->xml);
  }
  scs_free(s);
  return 0;
}
