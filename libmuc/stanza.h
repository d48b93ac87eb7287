/* Building, sending and bouncing stanzas. */
#ifndef MUC_STANZA_H
#define MUC_STANZA_H

#include "affiliation.h"
#include "core.h"

/* New top-level stanza (attributes NULL = omitted).  Records NOMEM in
 * svc->err and returns NULL on failure. */
mxml_node_t *muc_stanza_new(muc_service *svc, const char *name,
                            const char *from, const char *to, const char *type,
                            const char *id);
/* Child element (NULL if |parent| is NULL or on NOMEM, recorded). */
mxml_node_t *muc_el(muc_service *svc, mxml_node_t *parent, const char *name,
                    const char *ns);
/* Set an attribute (no-op if |el| is NULL). */
void muc_attr(muc_service *svc, mxml_node_t *el, const char *name,
              const char *value);
/* Child with text. */
mxml_node_t *muc_el_text(muc_service *svc, mxml_node_t *parent,
                         const char *name, const char *ns, const char *text);
/* Data forms (XEP-0004) through form.c's builders, recording NOMEM.  A
 * NULL parent or field is a no-op (the failure that made it NULL was
 * recorded). */
mxml_node_t *muc_fx_new(muc_service *svc, mxml_node_t *parent, const char *type,
                        const char *title, const char *instructions);
mxml_node_t *muc_fx_field(muc_service *svc, mxml_node_t *x, const char *var,
                          const char *type, const char *label);
mxml_node_t *muc_fx_form_type(muc_service *svc, mxml_node_t *x,
                              const char *form_type);
void muc_fx_value(muc_service *svc, mxml_node_t *field, const char *value);
void muc_fx_option(muc_service *svc, mxml_node_t *field, const char *label,
                   const char *value);
void muc_fx_desc(muc_service *svc, mxml_node_t *field, const char *desc);
void muc_fx_required(muc_service *svc, mxml_node_t *field);
/* Text of the direct child |name| in |ns| (NULL if there is no such
 * child; NULL with NOMEM recorded if the copy failed). */
char *muc_child_text(muc_service *svc, const mxml_node_t *parent,
                     const char *name, const char *ns);
/* Text of |el| ("" if none; NULL with NOMEM recorded). */
char *muc_text(muc_service *svc, const mxml_node_t *el);
/* Copy |n| under |parent| (recording NOMEM). */
mxml_node_t *muc_el_copy(muc_service *svc, mxml_node_t *parent,
                         const mxml_node_t *n);

/* Queue |st| for delivery to its 'to' (st stays the caller's).  Records
 * failures. */
void muc_send(muc_service *svc, const mxml_node_t *st);
/* Send and free. */
void muc_send_free(muc_service *svc, mxml_node_t *st);

/* An <iq type='result'/> answering |iq|, from |from| (the address the iq
 * was sent to).  Caller adds a payload and sends. */
mxml_node_t *muc_iq_result(muc_service *svc, const mxml_node_t *iq);

/* Bounce |orig| with an error: from/to swapped, same id, type='error'.
 * Presence and message bounces echo the original payload (XEP-0045
 * examples); iq bounces do not.  |by| is the entity that generated the
 * error (room or service JID).  |text| may be NULL.  Errors and iq
 * results are never bounced.  The handlers call it through refusal.h. */
void muc_send_error(muc_service *svc, const mxml_node_t *orig, const char *type,
                    const char *cond, const char *text, const char *by);
/* The same with |cond_text| (NULL: none) as the content of the condition
 * element (<gone/>'s new address, RFC 6120 §8.3.3.5). */
void muc_send_error_with(muc_service *svc, const mxml_node_t *orig,
                         const char *type, const char *cond,
                         const char *cond_text, const char *text,
                         const char *by);

/* A stanza serialized once and sent to many: its text (without 'to') is
 * a template in the outgoing queue; each recipient's ' to="..."' is
 * spliced in at the end of the root's attributes when it is delivered,
 * which is exactly where the serializer puts a 'to' that is set last on
 * the tree. */
typedef struct muc_wire {
  muc_tmpl t;
  int ok; /* the template is queued */
} muc_wire;

/* Serialize |st| (its 'to' attribute is removed) into |w|.  MUC_OK or
 * MUC_ERR_NOMEM (recorded). */
int muc_wire_from_tree(muc_service *svc, muc_wire *w, mxml_node_t *st);
/* Take |len| bytes of serialized stanza (no 'to') as the template. */
int muc_wire_from_text(muc_service *svc, muc_wire *w, const char *text,
                       size_t len);
/* Queue a delivery of |w| to |to|. */
void muc_wire_send(muc_service *svc, muc_wire *w, const char *to);
/* The same, |plain|: |to| is known to need no escaping (a session's
 * JID, muc_session.plain), so no delivery looks at it again. */
void muc_wire_send_plain(muc_service *svc, muc_wire *w, const char *to,
                         int plain);
void muc_wire_clear(muc_service *svc, muc_wire *w);
/* Offset of the end of the root element's attributes in serialized text
 * (where '>' or '/>' of the start tag begins). */
size_t muc_wire_splice_point(const char *text, size_t len);
/* A tree parsed from our own serialized text (NULL on NOMEM, recorded). */
mxml_node_t *muc_tree_of_text(muc_service *svc, const char *xml, size_t len);
/* Queue a complete serialized stanza (with its 'to') addressed to |to|. */
void muc_send_text(muc_service *svc, const char *xml, size_t len,
                   const char *to);

/* Stanza kind helpers. */
const char *muc_stanza_type(const mxml_node_t *st); /* NULL if absent */
/* The first <error/> child's condition element name, or NULL. */
const char *muc_stanza_error_condition(const mxml_node_t *st);
/* Fresh id into |buf| (make_id hook or counter). */
void muc_new_id(muc_service *svc, char *buf, size_t size);
/* XEP-0082 timestamp "YYYY-MM-DDThh:mm:ssZ" of |ms|. buf >= 21 bytes */
void muc_format_stamp(uint64_t ms, char *buf, size_t size);
/* Parse a XEP-0082 DateTime into ms; 0 on success, -1 if invalid. */
int muc_parse_stamp(const char *s, uint64_t *ms);
/* Log through the host hook, printf-style. */
void muc_log(muc_service *svc, muc_log_level level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
