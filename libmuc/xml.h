/* Namespace-aware helpers over Mini-XML trees, the parser front end and
 * libmuc's one serializer. */
#ifndef MUC_XML_H
#define MUC_XML_H

#include <mxml.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mem.h"

#define MUC_NS_CLIENT "jabber:client"
#define MUC_NS_MUC "http://jabber.org/protocol/muc"
#define MUC_NS_USER "http://jabber.org/protocol/muc#user"
#define MUC_NS_ADMIN "http://jabber.org/protocol/muc#admin"
#define MUC_NS_OWNER "http://jabber.org/protocol/muc#owner"
#define MUC_NS_ROOMCONFIG "http://jabber.org/protocol/muc#roomconfig"
#define MUC_NS_ROOMINFO "http://jabber.org/protocol/muc#roominfo"
#define MUC_NS_REGISTER_FORM "http://jabber.org/protocol/muc#register"
#define MUC_NS_REQUEST "http://jabber.org/protocol/muc#request"
#define MUC_NS_REGISTER "jabber:iq:register"
#define MUC_NS_DATA "jabber:x:data"
#define MUC_NS_DISCO_INFO "http://jabber.org/protocol/disco#info"
#define MUC_NS_DISCO_ITEMS "http://jabber.org/protocol/disco#items"
#define MUC_NS_STANZAS "urn:ietf:params:xml:ns:xmpp-stanzas"
#define MUC_NS_DELAY "urn:xmpp:delay"
#define MUC_NS_CONFERENCE "jabber:x:conference"
#define MUC_NS_COMMANDS "http://jabber.org/protocol/commands"
#define MUC_NS_PING "urn:xmpp:ping"
#define MUC_NS_XML "http://www.w3.org/XML/1998/namespace"

/* Each limit is inclusive; 0 means no limit.  muc_xml_parse() and
 * muc_xml_check() take NULL for the muc_config_default() values. */
typedef struct muc_xml_limits {
  size_t max_bytes;
  size_t max_depth;
  size_t max_attrs;
  size_t max_children;
} muc_xml_limits;

/* The resolved namespace of element |el|: its own xmlns (or xmlns:PFX for
 * a prefixed name), else the nearest ancestor's; NULL if none is declared
 * anywhere up the tree (the caller treats that as the stream default). */
const char *muc_xml_ns(const mxml_node_t *el);
/* The local name of |el| (the part after a prefix); NULL if not an
 * element. */
const char *muc_xml_name(const mxml_node_t *el);
/* Is |el| an element with local name |name| (NULL = any) in namespace |ns|
 * (NULL = any; for the top level a missing namespace equals
 * MUC_NS_CLIENT)? */
int muc_xml_is(const mxml_node_t *el, const char *name, const char *ns);
/* First / next direct element child (text nodes skipped). */
mxml_node_t *muc_xml_first_element(const mxml_node_t *parent);
mxml_node_t *muc_xml_next_element(const mxml_node_t *el);
/* First direct element child named |name| (NULL = any) in |ns| (NULL =
 * any namespace). Never descends further. */
mxml_node_t *muc_xml_child(const mxml_node_t *parent, const char *name,
                           const char *ns);
/* Is |n| an element node? */
int muc_xml_is_element(const mxml_node_t *n);
/* Number of attributes, and the |i|th (value returned, name in *name). */
int muc_xml_attr_count(const mxml_node_t *el);
const char *muc_xml_attr_at(const mxml_node_t *el, int i, const char **name);
/* Attribute value or NULL. */
const char *muc_xml_attr(const mxml_node_t *el, const char *name);
/* The concatenated text of |el|'s direct text children (OPAQUE, TEXT with
 * their whitespace, CDATA), allocated in |m|; "" when there is none; NULL
 * only on out-of-memory. */
char *muc_xml_text_dup(muc_mem *m, const mxml_node_t *el);
/* Text of the direct child |name| in |ns|; NULL if the child is absent
 * (or on OOM: check with the child lookup if it matters). */
char *muc_xml_child_text_dup(muc_mem *m, const mxml_node_t *parent,
                             const char *name, const char *ns);

/* Builders.  muc_xml_new sets xmlns=|ns| when |ns| is not NULL.  NULL on
 * out-of-memory (mxml allocates with malloc); a partly built node is
 * never left in the tree. */
mxml_node_t *muc_xml_new(mxml_node_t *parent, const char *name, const char *ns);
/* Set attribute; |value| NULL deletes it.  0 or MUC_ERR_NOMEM. */
int muc_xml_set_attr(mxml_node_t *el, const char *name, const char *value);
/* Append a text child (kept verbatim, as an OPAQUE node). */
int muc_xml_add_text(mxml_node_t *el, const char *text);
/* New element |name| (in |ns| if not NULL) holding |text|. */
mxml_node_t *muc_xml_new_text(mxml_node_t *parent, const char *name,
                              const char *ns, const char *text);
/* Deep copy of |n| (element, attributes in order, text, children) added
 * under |parent| (may be NULL).  When the copied element's namespace is
 * inherited in the source, the copy gets an explicit xmlns unless it is
 * jabber:client.  NULL on out-of-memory. */
mxml_node_t *muc_xml_copy(mxml_node_t *parent, const mxml_node_t *n);

/* Would muc_xml_copy(|n|) carry nothing over (no namespace declaration
 * from above, no CDATA or special node to convert)?  Then serializing |n|
 * where it is gives the bytes of serializing its copy. */
int muc_xml_copy_is_plain(const mxml_node_t *n);

/* Serialize |n| and its subtree: no line breaks added, "<a/>" for empty
 * elements, attributes in tree order with double quotes, escaping per
 * muc_buf_append_escaped.  Text is written verbatim-escaped.  Returns
 * MUC_OK or MUC_ERR_NOMEM. */
int muc_xml_write(muc_buf *out, const mxml_node_t *n);

/* Strict UTF-8 (RFC 3629: no overlongs, surrogates or > U+10FFFF) whose
 * code points are all XML 1.0 Chars.  1 if valid. */
int muc_utf8_xml_valid(const char *s, size_t len);

/* Parse one stanza from text in a single pass that builds the tree.
 * len > max_bytes is MUC_ERR_LIMIT.  Surrounding whitespace is trimmed.
 * Refused as MUC_ERR_BAD_STANZA: NUL, invalid UTF-8 or non-XML chars,
 * entities other than the five predefined ones, character references to
 * non-Chars, comments, PIs, DOCTYPE, an XML declaration, duplicate
 * attributes, mismatched or missing tags, junk after the root, unbound
 * or misused namespace prefixes, and going over the depth/attrs/children
 * limits.  The tree is what a conforming parser reports, in the shape
 * mxmlLoadString(MXML_OPAQUE_CALLBACK) gives: each run of character data
 * between tags is one OPAQUE node, with entities and character references
 * decoded, CDATA sections merged in as text, CRLF/CR turned into LF, and
 * TAB/LF/CR in attribute values turned into spaces.  On success *out is
 * the element (caller frees with mxmlDelete); on failure *out is NULL and
 * nothing is left allocated.  Returns MUC_OK, MUC_ERR_BAD_STANZA,
 * MUC_ERR_LIMIT or MUC_ERR_NOMEM (mxml or |m| ran out of memory). */
int muc_xml_parse(muc_mem *m, const char *buf, size_t len,
                  const muc_xml_limits *lim, mxml_node_t **out);
/* muc_xml_parse into the nodes of |old| (owned: reused or freed), a tree
 * this parser made, when the text has the same shape: the same elements,
 * attribute names in the same order and text nodes, the values aside.
 * The result is the tree muc_xml_parse would give. */
int muc_xml_parse_reusing(muc_mem *m, const char *buf, size_t len,
                          const muc_xml_limits *lim, mxml_node_t *old,
                          mxml_node_t **out);
/* Check a host-built tree against the structural limits and refuse
 * comment/PI/DOCTYPE nodes.  MUC_OK or MUC_ERR_BAD_STANZA. */
int muc_xml_check(const mxml_node_t *n, const muc_xml_limits *lim);

/* ---- shared by xml.c and xml_parse.c only ------------------------------ */

/* mxml's getters take non-const pointers although they only read: cast
 * once here. */
static inline mxml_node_t *muc_xml_nc(const mxml_node_t *n)
{
  return (mxml_node_t *)(uintptr_t)n;
}
/* Is |n| an ELEMENT node that mxml uses for a comment, PI, DOCTYPE or
 * CDATA section (name starting with '!' or '?'), or one without a name? */
int muc_xml_is_special(const mxml_node_t *n);
/* mxmlNewElement / mxmlNewOpaque that return NULL rather than a node
 * whose string copy failed. */
mxml_node_t *muc_xml_new_element(mxml_node_t *parent, const char *name);
mxml_node_t *muc_xml_new_opaque(mxml_node_t *parent, const char *text);
/* The value declared for prefix |pfx| (|plen| bytes; 0 = the default
 * namespace) on |el| or its ancestors, stopping after |stop| (NULL = go
 * to the top).  *|decl| (if not NULL) gets the declaring attribute's
 * name.  NULL if not declared. */
const char *muc_xml_ns_decl(const mxml_node_t *el, const char *pfx, size_t plen,
                            const mxml_node_t *stop, const char **decl);
/* The namespace of |el| as muc_xml_ns() resolves it; *|unbound| is set
 * when |el| has a prefix that nothing declares. */
const char *muc_xml_resolve_ns(const mxml_node_t *el, int *unbound);
/* xml_chars.c.  Is |c| an XML 1.0 Char? */
int muc_xml_is_char(uint32_t c);
/* Decode one strict UTF-8 sequence at s[*pos] (RFC 3629: no overlongs,
 * surrogates or values above U+10FFFF) and step over it.  0 if invalid. */
int muc_utf8_decode(const unsigned char *s, size_t len, size_t *pos,
                    uint32_t *out);
/* Length of the QName (NCName or NCName:NCName) at s[i], stopping at the
 * first byte that cannot continue it; 0 if there is none there. */
size_t muc_xml_scan_qname(const char *s, size_t len, size_t i);
/* Is the whole of |s| one QName? */
int muc_xml_qname_valid(const char *s);

#endif
