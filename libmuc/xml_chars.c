/* Characters and names: strict UTF-8, the XML 1.0 Char production and
 * QNames, for the parser, the checks on host trees and JID validation. */
#include "xml.h"

#include <string.h>

int muc_xml_is_char(uint32_t c)
{
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

int muc_utf8_decode(const unsigned char *s, size_t len, size_t *pos,
                    uint32_t *out)
{
  size_t i = *pos;
  uint32_t c = s[i];
  if (c < 0x80) {
    *out = c;
    *pos = i + 1;
    return 1;
  }
  size_t n;
  uint32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1;
    c &= 0x1F;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2;
    c &= 0x0F;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3;
    c &= 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (len - i <= n)
    return 0;
  for (size_t k = 1; k <= n; k++) {
    uint32_t b = s[i + k];
    if ((b & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *out = c;
  *pos = i + 1 + n;
  return 1;
}

int muc_utf8_xml_valid(const char *s, size_t len)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  if (!s)
    return len == 0;
  while (i < len) {
    unsigned char b = u[i];
    if (b < 0x80) {
      /* Fast path: ASCII needs only the control-character check. */
      if (b < 0x20 && b != '\t' && b != '\n' && b != '\r')
        return 0;
      i++;
      continue;
    }
    uint32_t c;
    if (!muc_utf8_decode(u, len, &i, &c) || !muc_xml_is_char(c))
      return 0;
  }
  return 1;
}

/* XML 1.0 (5th ed.) NameStartChar without ':' (namespaces give the colon
 * its own role).  U+FEFF is excluded although XML allows it: mxml's
 * reader drops it wherever it appears, so a host reading our output back
 * with mxml would see <bo&#xFEFF;dy> as <body>. */
static int is_name_start(uint32_t c)
{
  if (c == 0xFEFF)
    return 0;
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) ||
         (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
         (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
         (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

static int is_name_char(uint32_t c)
{
  return is_name_start(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') ||
         c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
         (c >= 0x203F && c <= 0x2040);
}

/* Is the character at u[*pos] a NameStartChar (|start|) or a NameChar?
 * If so, step over it.  ASCII, nearly every name, needs no decoding. */
static int take_name_char(const unsigned char *u, size_t len, size_t *pos,
                          int start)
{
  unsigned char b = u[*pos];
  if (b < 0x80) {
    int ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' ||
             (!start && ((b >= '0' && b <= '9') || b == '-' || b == '.'));
    *pos += (size_t)ok;
    return ok;
  }
  size_t next = *pos;
  uint32_t c;
  if (!muc_utf8_decode(u, len, &next, &c) ||
      !(start ? is_name_start(c) : is_name_char(c)))
    return 0;
  *pos = next;
  return 1;
}

/* Length of the QName (NCName or NCName:NCName) starting at s[i], stopping
 * at the first byte that cannot continue it; 0 if what is there is not a
 * QName (empty, bad first char, misplaced or second colon). */
size_t muc_xml_scan_qname(const char *s, size_t len, size_t i)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t start = i;
  int colon = 0;
  int at_start = 1; /* at the first char of an NCName */
  while (i < len) {
    if (u[i] == ':') {
      if (colon || at_start)
        return 0;
      colon = 1;
      at_start = 1;
      i++;
      continue;
    }
    if (!take_name_char(u, len, &i, at_start)) {
      if (at_start)
        return 0;
      break;
    }
    at_start = 0;
  }
  if (at_start)
    return 0; /* empty, or ends with a colon */
  return i - start;
}

int muc_xml_qname_valid(const char *s)
{
  size_t len = strlen(s);
  return len > 0 && muc_xml_scan_qname(s, len, 0) == len;
}
