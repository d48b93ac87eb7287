/*
 * match - compare an expected stanza (from a scansion script) with a
 * received one, by the rules of ../shared/docs/scansion-format.md,
 * "Matching an expected element E against a received element R":
 *
 *  1. Same local name and same namespace.  Namespaces are resolved: an
 *     element without its own xmlns has its parent's; a prefixed name
 *     (p:x) uses the nearest xmlns:p; the top-level stanza without xmlns
 *     is in jabber:client (jabber:server and jabber:component:accept on a
 *     top-level element count as jabber:client).
 *  2. Every attribute of E is on R with the same value; the value
 *     "{scansion:any}" means present with any value.  xmlns / xmlns:*
 *     declarations and scansion:* attributes are never compared.
 *  3. Non-strict E: R may have extra attributes and children; each child
 *     element of E must match a DISTINCT child of R, in any order (found
 *     by maximum bipartite matching, so no greedy choice can cause a
 *     false failure).
 *  4. Strict E: additionally no extra attributes on R, the same number of
 *     child elements, in the same order, matching pairwise.
 *  5. Strictness: the top-level stanza and its descendants in the same
 *     namespace are non-strict; an element whose namespace differs from
 *     its parent's is strict, and its descendants inherit that.
 *     scansion:strict="true"|"false" on E sets it for E and ALL of its
 *     descendants (a descendant may override it again with its own
 *     scansion:strict; a namespace change below does not).
 *  6. Text: an element's direct text is its text children, whitespace-only
 *     pieces dropped, then trimmed.  If E has text, R's must be equal.  If
 *     E has none, R may have any text when E is non-strict, and must have
 *     none when E is strict.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MATCH_H
#define MATCH_H

#include <mxml.h>
#include <stddef.h>

#define MATCH_ANY "{scansion:any}"
#define MATCH_STREAM_NS "jabber:client"

/*
 * match_element - 1 if the expected top-level element |expected| matches
 * |received|, else 0.  On a mismatch, if |diff| is not NULL, *|diff| gets a
 * malloc'd one-line description of the first difference, starting with its
 * path, e.g. "presence/x/item@role: expected 'moderator', got 'none'".
 */
int match_element(const mxml_node_t *expected, const mxml_node_t *received,
                  char **diff);

/*
 * match_score - how close |received| is to |expected| (higher is closer;
 * 0 when the top-level names differ).  Used to pick the candidate a
 * failure report shows.
 */
unsigned match_score(const mxml_node_t *expected, const mxml_node_t *received);

/*
 * match_closest - index of the candidate with the best match_score (the
 * first one on ties), or 0 if |n| is 0.
 */
size_t match_closest(const mxml_node_t *expected,
                     const mxml_node_t *const *cands, size_t n);

/*
 * match_report - a readable multi-line report of a failed expectation:
 * the expected element, the received candidate |cand| (NULL: nothing was
 * received) introduced by |cand_label| (e.g. "closest of 3 skipped
 * stanzas"), and the first difference.  malloc'd.
 */
char *match_report(const mxml_node_t *expected, const mxml_node_t *cand,
                   const char *cand_label);

/*
 * match_namespace - the resolved namespace of |el| within its own tree
 * (walking up the real parents; a parent named SCS_BLOCK_ROOT or no
 * parent makes |el| top-level).  Never NULL ("" for an unbound prefix).
 */
const char *match_namespace(const mxml_node_t *el);

#endif
