/* Stringprep restricted to ASCII, written by hand because libidn has no
 * shortcut for it: every call converts to UCS-4, allocates, runs the NFKC
 * normalizer and every table, then converts back, about 0.3 µs even for
 * three letters, and most JIDs are ASCII.  On ASCII the steps of RFC 3454
 * reduce to this:
 * - mapping: B.1 (mapped to nothing) holds no ASCII; B.2 (case folding,
 *   nodeprep and nameprep only) maps A-Z to a-z and nothing else;
 * - normalization: NFKC leaves ASCII as it is;
 * - prohibition: the ASCII members of the profile's tables (below);
 * - bidi: ASCII has no RandALCat character, so no rule can fail;
 * - unassigned code points (A.1, with STRINGPREP_NO_UNASSIGNED): ASCII is
 *   all assigned, so the flag changes nothing.
 * test/unit/test_jidprep.c checks the result and the return code against
 * libidn on every ASCII string up to three bytes and on millions of
 * longer ones. */
#include "jidprep_ascii.h"

#define BIT(c) (UINT64_C(1) << ((c)&63))
/* C.1.1: ASCII space */
#define C11_LO BIT(' ')
/* C.2.1: ASCII controls, U+0000-U+001F and U+007F */
#define C21_LO UINT64_C(0x00000000ffffffff)
#define C21_HI BIT(0x7f)
/* RFC 3920 Appendix A.5 (RFC 6122 Appendix A.5): the characters nodeprep
 * prohibits beside the stringprep tables */
#define NODE_LO                                                                \
  (BIT('"') | BIT('&') | BIT('\'') | BIT('/') | BIT(':') | BIT('<') | BIT('>'))
#define NODE_HI BIT('@')

/* nodeprep: B.1, B.2; prohibits C.1.1, C.1.2, C.2.1, C.2.2, C.3-C.9 and
 * the characters above */
const muc_prep_profile muc_prep_nodeprep = {
    stringprep_xmpp_nodeprep, 1, {C11_LO | C21_LO | NODE_LO, C21_HI | NODE_HI}};
/* nameprep (RFC 3491): B.1, B.2; prohibits C.1.2, C.2.2, C.3-C.9, none of
 * them ASCII: ASCII space and controls pass (IDNA's STD3 rules, not
 * nameprep, refuse them; jid.c checks domains after preparation) */
const muc_prep_profile muc_prep_nameprep = {stringprep_nameprep, 1, {0, 0}};
/* resourceprep: B.1 only; prohibits C.1.2, C.2.1, C.2.2, C.3-C.9: ASCII
 * space passes, ASCII controls do not */
const muc_prep_profile muc_prep_resourceprep = {
    stringprep_xmpp_resourceprep, 0, {C21_LO, C21_HI}};

int muc_prep_ascii(const muc_prep_profile *p, const char *src, size_t n,
                   char *dst)
{
  /* locals: |dst| may alias |p| as far as the compiler knows */
  const uint64_t lo = p->prohibited[0], hi = p->prohibited[1];
  const unsigned fold = p->fold_case ? 'a' - 'A' : 0;
  uint64_t prohibited = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned c = (unsigned char)src[i];
    if (c - 1 >= 0x7f) /* NUL, or not ASCII */
      return MUC_PREP_NOT_ASCII;
    prohibited |= c < 64 ? lo & BIT(c) : hi & BIT(c);
    dst[i] = (char)(c - 'A' < 26 ? c + fold : c);
  }
  return prohibited ? STRINGPREP_CONTAINS_PROHIBITED : STRINGPREP_OK;
}
