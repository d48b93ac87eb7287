/*
 * scs - parser for Prosody "scansion" scenario scripts, plus the small XML
 * helpers (parsing an XML block, copying, formatting) that the matcher, the
 * simulated host and the replay share.
 *
 * Format (see ../shared/docs/scansion-format.md):
 *
 *   # Title (the first comment line)
 *   [Client] Romeo
 *           jid: user@localhost
 *           password: password
 *   -----
 *   Romeo connects
 *   Romeo sends:
 *           <presence to='room@conference.localhost/Romeo'/>
 *   Romeo receives:
 *           <presence from='room@conference.localhost/Romeo'/>
 *   Romeo receives: nothing
 *   Romeo disconnects
 *
 * The XML text of a block is kept as written; variables
 * (${NAME's full JID}, ${NAME's JID}) are substituted at replay time, when
 * the resources are bound.  scs_parse() still checks every block: variables
 * must name a declared client and the block must be well-formed XML with at
 * least one element.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SCS_H
#define SCS_H

#include <mxml.h>
#include <stdarg.h>
#include <stddef.h>

/* ------------------------------------------------------------------ */
/* Growable string                                                     */
/* ------------------------------------------------------------------ */

typedef struct scs_buf {
  char *s; /* NUL-terminated once anything was added; may be NULL */
  size_t len;
  size_t cap;
  int oom; /* an allocation failed: content is truncated */
} scs_buf;

void scs_buf_addn(scs_buf *b, const char *s, size_t n);
void scs_buf_add(scs_buf *b, const char *s);
void scs_buf_printf(scs_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void scs_buf_vprintf(scs_buf *b, const char *fmt, va_list ap);
/* |s| with & < > ' " replaced by entities. */
void scs_buf_add_escaped(scs_buf *b, const char *s);
/* The content (never NULL; "" if empty), ownership to the caller. */
char *scs_buf_take(scs_buf *b);
void scs_buf_free(scs_buf *b);

char *scs_strdup(const char *s);
char *scs_strndup(const char *s, size_t n);

/* ------------------------------------------------------------------ */
/* Scripts                                                             */
/* ------------------------------------------------------------------ */

typedef struct scs_client {
  char *name;         /* "Romeo", "Juliet's phone" */
  char *jid;          /* as written: bare, or full with a fixed resource */
  char *password;     /* may be NULL */
  char *resource;     /* "resource:" property, may be NULL */
  char *connect_host; /* may be NULL */
  int connect_port;   /* 0 if absent */
  int line;           /* line of the [Client] header */
} scs_client;

typedef enum scs_action_kind {
  SCS_CONNECT,
  SCS_DISCONNECT,
  SCS_SEND,
  SCS_RECEIVE,
  SCS_RECEIVE_NOTHING
} scs_action_kind;

typedef struct scs_action {
  scs_action_kind kind;
  size_t client;    /* index into scs_script.clients */
  int line;         /* line of the action */
  int xml_line;     /* first line of the XML block (0 if none) */
  char *xml;        /* the block as written (SCS_SEND / SCS_RECEIVE), or NULL */
  size_t nelements; /* top-level elements in the block */
} scs_action;

typedef struct scs_script {
  char *name;  /* file name, for reports */
  char *title; /* first comment, without "# "; "" if none */
  scs_client *clients;
  size_t nclients;
  scs_action *actions;
  size_t nactions;
  int archive; /* a header comment "# libmuc: archive": the host keeps a
                  message archive (muc_service_set_archive) */
} scs_script;

/*
 * scs_parse - parse the script |text| (|len| bytes).  |name| labels
 * reports.  Returns 0 and sets *|out|, or -1 with a message
 * "NAME:LINE: ..." in |err|.
 */
int scs_parse(const char *text, size_t len, const char *name, scs_script **out,
              char *err, size_t errsz);

/* scs_parse_file - read |path| and parse it; -1 with |err| on failure. */
int scs_parse_file(const char *path, scs_script **out, char *err, size_t errsz);

/* scs_read_file - the whole file, NUL-terminated (malloc), or NULL. */
char *scs_read_file(const char *path, size_t *len);

void scs_free(scs_script *s);

/* scs_find_client - index of the client named |name|, or -1. */
int scs_find_client(const scs_script *s, const char *name);

const char *scs_action_verb(scs_action_kind kind);

/* ------------------------------------------------------------------ */
/* Variables                                                           */
/* ------------------------------------------------------------------ */

/*
 * Answer the JID of client |name|: |full| nonzero for "${NAME's full JID}",
 * zero for "${NAME's JID}".  NULL if the client is unknown.
 */
typedef const char *(*scs_jid_lookup)(const char *name, int full, void *ud);

/*
 * scs_substitute - replace every ${...} of |text| by the lookup's answer,
 * XML-escaped.  Returns 0 and a malloc'd *|out|, or -1 with |err|.
 */
int scs_substitute(const char *text, scs_jid_lookup lookup, void *ud,
                   char **out, char *err, size_t errsz);

/* ------------------------------------------------------------------ */
/* XML helpers                                                         */
/* ------------------------------------------------------------------ */

/* The name of the synthetic element wrapping a block. */
#define SCS_BLOCK_ROOT "scansion-block"

/*
 * scs_xml_parse_block - parse an XML block (several top-level elements
 * allowed) with MXML_OPAQUE_CALLBACK inside a synthetic <scansion-block>
 * root, which is returned (free with mxmlDelete).  Comments and
 * processing instructions are removed, CDATA becomes text.  NULL with
 * |err| on malformed XML, text outside elements, or no element at all.
 * While parsing, Mini-XML's error callback of the calling thread is set
 * to capture the message; it is reset to the default (NULL) afterwards.
 */
mxml_node_t *scs_xml_parse_block(const char *text, char *err, size_t errsz);

/* Nonzero if |n| is a real element (not a comment/PI/CDATA node). */
int scs_xml_is_element(const mxml_node_t *n);
/* First / next element child (skipping text). */
mxml_node_t *scs_xml_first_element(const mxml_node_t *parent);
mxml_node_t *scs_xml_next_element(const mxml_node_t *n);
size_t scs_xml_count_elements(const mxml_node_t *parent);

/* Nonzero if |s| is NULL or only XML whitespace. */
int scs_is_blank(const char *s);

/*
 * scs_xml_copy - deep copy of the element |n| (attributes, elements,
 * text) added as the last child of |parent| (NULL: a new tree).
 */
mxml_node_t *scs_xml_copy(mxml_node_t *parent, const mxml_node_t *n);

/*
 * scs_xml_strip_blank - remove the pretty-printing whitespace under |el|:
 * whitespace-only text that sits beside child elements or spans lines.
 */
void scs_xml_strip_blank(mxml_node_t *el);

/*
 * scs_xml_format - append |n| as XML to |out|.  |indent| < 0: one line,
 * whitespace-only text dropped.  |indent| >= 0: pretty-printed, one
 * element per line, each line starting with |indent| spaces, children two
 * more; no final newline.  Attribute values are quoted with ', text and
 * values escaped.
 */
void scs_xml_format(scs_buf *out, const mxml_node_t *n, int indent);
/* Same, into a malloc'd string. */
char *scs_xml_string(const mxml_node_t *n, int indent);

#endif
