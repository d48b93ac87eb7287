/* Room avatars (XEP-0486 over XEP-0054 and XEP-0153): what a room's
 * vCard says of its avatar.  Pure functions of the vCard's tree. */
#ifndef MUC_AVATAR_H
#define MUC_AVATAR_H

#include "buf.h"
#include "xml.h"

#define MUC_NS_VCARD "vcard-temp"
#define MUC_NS_VCARD_UPDATE "vcard-temp:x:update"

/* The avatar hashes of the <vCard/> |vcard|: for each <PHOTO/> with a
 * <BINVAL/>, the hex SHA-1 of the decoded image (XEP-0153 §4), appended
 * to |out| separated by one space (nothing when it has no photo).
 * MUC_OK, MUC_ERR_INVALID_ARG (a BINVAL that is not base64) or
 * MUC_ERR_NOMEM (|out| ran out). */
int muc_avatar_hashes(const mxml_node_t *vcard, muc_buf *out);

#endif
