/* A word filter: banned words in groupchat bodies are masked with '*'
 * (MUC_HOOK_MODIFY); a body with nothing left but masks and spaces is
 * refused with <policy-violation/> (MUC_HOOK_REFUSE). */
#include <ctype.h>
#include <string.h>

#include "hook_examples.h"

/* Does |word| start at |s| as a whole word (ASCII, any case)? */
static int word_at(const char *body, const char *s, const char *word)
{
  size_t n = strlen(word);
  if (s > body && isalnum((unsigned char)s[-1]))
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!s[i] ||
        tolower((unsigned char)s[i]) != tolower((unsigned char)word[i]))
      return 0;
  return !isalnum((unsigned char)s[n]);
}

/* Copy |body| into |out| with every banned word masked; the number of
 * words masked, or -1 if the body does not fit. */
static int mask(const example_host *x, const char *body, char *out, size_t size)
{
  size_t len = strlen(body);
  if (len >= size)
    return -1;
  memcpy(out, body, len + 1);
  int n = 0;
  for (char *s = out; *s; s++)
    for (const char *const *w = x->banned_words; w && *w; w++)
      if (**w && word_at(out, s, *w)) {
        memset(s, '*', strlen(*w));
        n++;
      }
  return n;
}

static int only_masks(const char *s)
{
  for (; *s; s++)
    if (*s != '*' && !isspace((unsigned char)*s))
      return 0;
  return 1;
}

static int filter(const muc_hook_message *msg, muc_hook_rewrite *rw, void *ud)
{
  example_host *x = ud;
  if (!msg->body)
    return MUC_HOOK_PASS;
  int n = mask(x, msg->body, x->rewritten, sizeof(x->rewritten));
  if (n <= 0)
    return MUC_HOOK_PASS; /* clean, or too long to rewrite here */
  if (only_masks(x->rewritten)) {
    x->refused++;
    rw->error.condition = "policy-violation";
    rw->error.text = "That message is not welcome here";
    return MUC_HOOK_REFUSE;
  }
  x->masked++;
  rw->body = x->rewritten;
  return MUC_HOOK_MODIFY;
}

void word_filter_attach(muc_hooks *hooks)
{
  hooks->pre_groupchat = filter;
}
