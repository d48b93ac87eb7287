/*
 * libmuc - the Mini-XML adapter, for hosts that hold parsed stanzas as
 * Mini-XML trees.  Everything else is in <muc/muc.h>, which this header
 * includes.  Link with `pkg-config --cflags --libs libmuc-mxml`.
 *
 * Trees are Mini-XML's (allocated with malloc()); libmuc never calls
 * Mini-XML's per-thread setters (mxmlSetWrapMargin, mxmlSetErrorCallback,
 * ...): those stay the host's.  Mini-XML may print to stderr when it runs
 * out of memory unless the host set an error callback on its thread.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MUC_MUC_MXML_H
#define MUC_MUC_MXML_H

#include <mxml.h>

#include "muc.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * muc_send_tree_fn - deliver |stanza| to the address in its 'to'
 * attribute.  |stanza| is borrowed: valid only during the call; the host
 * must not modify or keep it (copy or serialize what it needs).  The
 * top-level element carries no xmlns (it is in the stream's default
 * namespace).  Consecutive deliveries of one broadcast reuse one tree in
 * which only 'to' changes.  Returns 0 on success; any other value makes
 * the entry point return MUC_ERR_CALLBACK_FAILURE.  May call any entry
 * point (see "Re-entrancy" in muc.h).
 */
typedef int (*muc_send_tree_fn)(const mxml_node_t *stanza, void *user_data);

/**
 * muc_service_new_tree_versioned - as muc_service_new_versioned(), for a
 * host that takes deliveries as trees: |send_tree| (required) is called
 * for every delivery and |cb->send_bytes| is ignored (may be NULL).  The
 * stanzas are the same, byte for byte once serialized, as a send_bytes
 * host receives.  Use the muc_service_new_tree() macro.
 * Returns what muc_service_new_versioned() returns (MUC_ERR_INVALID_ARG
 * also for a NULL |send_tree|).
 * Since: 0.2
 */
MUC_EXTERN int muc_service_new_tree_versioned(
    muc_service **psvc, const char *domain, muc_send_tree_fn send_tree,
    int callbacks_version, const muc_callbacks *cb, int config_version,
    const muc_config *cfg, const muc_allocator *mem, void *user_data);

#define muc_service_new_tree(PSVC, DOMAIN, SEND_TREE, CB, CFG, MEM, UD)        \
  muc_service_new_tree_versioned((PSVC), (DOMAIN), (SEND_TREE),                \
                                 MUC_CALLBACKS_VERSION, (CB),                  \
                                 MUC_CONFIG_VERSION, (CFG), (MEM), (UD))

/**
 * muc_service_handle_stanza - handle one parsed stanza, as
 * muc_service_handle_xml() does with text.  |stanza| is a <message/>,
 * <presence/> or <iq/> element (borrowed for the call: libmuc copies what
 * it keeps).  Any service may use it, whichever way it delivers.  The tree
 * is checked against the same limits (depth, attributes, children; no
 * comment, processing-instruction or DOCTYPE nodes).
 * Returns what muc_service_handle_xml() returns (never MUC_ERR_LIMIT for
 * the size, which a tree does not have).
 * Since: 0.1
 */
MUC_EXTERN int muc_service_handle_stanza(muc_service *svc,
                                         const mxml_node_t *stanza);

#ifdef __cplusplus
}
#endif

#endif /* MUC_MUC_MXML_H */
