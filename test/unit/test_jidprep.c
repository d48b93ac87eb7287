/* Unit test: the ASCII shortcut of jidprep_ascii.c against libidn's
 * stringprep(), result and return code, for nodeprep, nameprep and
 * resourceprep: every string of bytes 0x00-0x7f up to three bytes long
 * with flags 0 (strings with a NUL must be left to libidn, which reads C
 * strings), up to two with STRINGPREP_NO_UNASSIGNED (nick_prep's strict
 * flag), then a million random longer ones per profile, both flag sets in
 * turn (fewer under sanitizers and valgrind: test_scale), seeded from
 * MUC_JIDPREP_SEED or a fixed default and printed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jidprep_ascii.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) ||                                        \
    __has_feature(undefined_behavior_sanitizer)
#define SANITIZED 1
#endif
#endif
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND_H 1
#endif
#endif
#define RANDOM_MAX_LEN 48
#define DEFAULT_SEED UINT64_C(0x6a69647072657031)

/* How much of the comparison runs: all of it in a plain build; under
 * sanitizers fewer random strings; under valgrind (where each libidn call
 * costs some 30 times more) also every 61st string of length 3 only (61
 * is odd, so every character still comes at every position). */
typedef struct scale {
  const char *why; /* NULL: the full test */
  size_t random;   /* random strings per profile */
  size_t stride3;  /* one string of length 3 in this many */
} scale;

static scale test_scale(void)
{
#ifdef HAVE_VALGRIND_H
  if (RUNNING_ON_VALGRIND)
    return (scale){"valgrind", 20000, 61};
#endif
#ifdef SANITIZED
  return (scale){"sanitizers", 200000, 1};
#else
  return (scale){NULL, 1000000, 1};
#endif
}

typedef struct profile_case {
  const char *name;
  const muc_prep_profile *p;
} profile_case;

static const profile_case profiles[] = {
    {"nodeprep", &muc_prep_nodeprep},
    {"nameprep", &muc_prep_nameprep},
    {"resourceprep", &muc_prep_resourceprep},
};
static const Stringprep_profile_flags flag_sets[] = {
    (Stringprep_profile_flags)0, STRINGPREP_NO_UNASSIGNED};
#define NPROFILES (sizeof(profiles) / sizeof(profiles[0]))
#define NFLAGS (sizeof(flag_sets) / sizeof(flag_sets[0]))

/* What each comparison found, so that the test shows it covered both
 * outcomes and every ASCII character. */
typedef struct tally {
  size_t compared, ok, prohibited, changed;
  size_t seen[128];
} tally;

/* |s| (|n| bytes, no NUL) through both; fails on any difference. */
static void compare(const profile_case *pc, Stringprep_profile_flags flags,
                    const char *s, size_t n, tally *t)
{
  char idn[4 * RANDOM_MAX_LEN + 16], fast[RANDOM_MAX_LEN + 1];
  memcpy(idn, s, n);
  idn[n] = '\0';
  int want = stringprep(idn, sizeof(idn), flags, pc->p->idn);
  int got = muc_prep_ascii(pc->p, s, n, fast);
  if (got != want || (want == STRINGPREP_OK &&
                      (strlen(idn) != n || memcmp(idn, fast, n) != 0))) {
    fprintf(stderr, "%s flags %d: \"", pc->name, (int)flags);
    for (size_t i = 0; i < n; i++)
      fprintf(stderr, "\\x%02x", (unsigned char)s[i]);
    fprintf(stderr, "\": libidn %d, shortcut %d\n", want, got);
    fail();
  }
  t->compared++;
  if (want == STRINGPREP_OK) {
    t->ok++;
    t->changed += memcmp(s, fast, n) != 0;
  } else {
    t->prohibited++;
  }
  for (size_t i = 0; i < n; i++)
    t->seen[(unsigned char)s[i]]++;
}

static int has_nul(const char *s, size_t n)
{
  return memchr(s, 0, n) != NULL;
}

/* Both outcomes seen where the profile has them (nameprep prohibits no
 * ASCII, resourceprep maps none), and every character tried. */
static void check_coverage(const char *what, const muc_prep_profile *p,
                           const tally *t, size_t from)
{
  printf("jidprep %s: %zu compared, %zu prepared (%zu changed), %zu "
         "prohibited\n",
         what, t->compared, t->ok, t->changed, t->prohibited);
  assert_true(t->ok > 0);
  assert_int_equal(t->changed > 0, p->fold_case);
  assert_int_equal(t->prohibited > 0,
                   (p->prohibited[0] | p->prohibited[1]) != 0);
  for (size_t c = from; c < 128; c++)
    if (t->seen[c] == 0) {
      fprintf(stderr, "%s: character 0x%02zx never tried\n", what, c);
      fail();
    }
}

/* Every byte string over 0x00-0x7f of length 0 to 3: 128^0 + ... + 128^3,
 * each profile, with flags 0; with STRINGPREP_NO_UNASSIGNED (which only
 * matters for unassigned code points, none of them ASCII) up to length 2
 * here, and in every other random string below. */
static void test_exhaustive_short(void **state)
{
  (void)state;
  scale sc = test_scale();
  if (sc.why)
    printf("jidprep: one string of length 3 in %zu (%s)\n", sc.stride3, sc.why);
  for (size_t pi = 0; pi < NPROFILES; pi++)
    for (size_t fi = 0; fi < NFLAGS; fi++) {
      tally t = {0};
      size_t deferred = 0;
      char s[3], out[3];
      size_t max_len = flag_sets[fi] ? 2 : 3, all = 0;
      for (size_t len = 0; len <= max_len; len++) {
        size_t total = (size_t)1 << (7 * len);
        size_t stride = len == 3 ? sc.stride3 : 1;
        all += (total + stride - 1) / stride;
        for (size_t code = 0; code < total; code += stride) {
          for (size_t i = 0; i < len; i++)
            s[i] = (char)((code >> (7 * i)) & 0x7f);
          if (has_nul(s, len)) {
            /* a C string ends there: libidn never sees the rest */
            assert_int_equal(muc_prep_ascii(profiles[pi].p, s, len, out),
                             MUC_PREP_NOT_ASCII);
            deferred++;
            continue;
          }
          compare(&profiles[pi], flag_sets[fi], s, len, &t);
        }
      }
      char what[64];
      snprintf(what, sizeof(what), "%s flags %d, lengths 0-%zu",
               profiles[pi].name, (int)flag_sets[fi], max_len);
      assert_int_equal(t.compared + deferred, all);
      check_coverage(what, profiles[pi].p, &t, 1);
    }
}

/* xorshift64*: the test's own generator, reproducible from the seed. */
static uint64_t next_random(uint64_t *x)
{
  *x ^= *x >> 12;
  *x ^= *x << 25;
  *x ^= *x >> 27;
  return *x * UINT64_C(2685821657736338717);
}

/* The characters some profile prohibits, or that case folding maps. */
static const char special[] = " \"&'/:<>@\x01\x09\x0a\x0d\x1f\x7f";

/* A random string of 4 to RANDOM_MAX_LEN bytes 0x01-0x7f: mostly letters
 * of both cases; about one in three strings also holds characters of
 * |special| (string |k| the |k|-th of them, so that each comes often),
 * the others none, so that preparation succeeds often too. */
static size_t random_string(uint64_t *x, size_t k, char *s)
{
  size_t len = 4 + (size_t)(next_random(x) % (RANDOM_MAX_LEN - 3));
  int specials = next_random(x) % 3 == 0;
  for (size_t i = 0; i < len; i++) {
    uint64_t r = next_random(x);
    unsigned kind = (unsigned)(r % 8);
    unsigned char c;
    if (kind < 3)
      c = (unsigned char)('a' + (r >> 8) % 26);
    else if (kind < 6)
      c = (unsigned char)('A' + (r >> 8) % 26);
    else
      c = (unsigned char)(1 + (r >> 8) % 127); /* any ASCII */
    if (!specials && strchr(special, c))
      c = (unsigned char)('0' + (r >> 16) % 10);
    s[i] = (char)c;
  }
  if (specials) {
    s[next_random(x) % len] = special[k % (sizeof(special) - 1)];
    if (next_random(x) % 2)
      s[next_random(x) % len] = special[next_random(x) % (sizeof(special) - 1)];
  }
  return len;
}

static void test_random_long(void **state)
{
  (void)state;
  uint64_t seed = DEFAULT_SEED;
  const char *env = getenv("MUC_JIDPREP_SEED");
  if (env && *env)
    seed = strtoull(env, NULL, 0);
  if (seed == 0)
    seed = DEFAULT_SEED; /* xorshift needs a non-zero state */
  scale sc = test_scale();
  printf("jidprep random: seed 0x%016llx (MUC_JIDPREP_SEED), %zu strings of "
         "4-%d bytes per profile, flags 0 and NO_UNASSIGNED in turn%s%s%s\n",
         (unsigned long long)seed, sc.random, RANDOM_MAX_LEN,
         sc.why ? " (scaled down from 1000000: " : "", sc.why ? sc.why : "",
         sc.why ? ")" : "");
  for (size_t pi = 0; pi < NPROFILES; pi++) {
    uint64_t x = seed + pi;
    tally t = {0};
    char s[RANDOM_MAX_LEN];
    for (size_t k = 0; k < sc.random; k++) {
      size_t len = random_string(&x, k, s);
      compare(&profiles[pi], flag_sets[k % NFLAGS], s, len, &t);
    }
    char what[64];
    snprintf(what, sizeof(what), "%s, random", profiles[pi].name);
    check_coverage(what, profiles[pi].p, &t, 1);
  }
}

/* Any byte >= 0x80 anywhere leaves the string to libidn. */
static void test_non_ascii_deferred(void **state)
{
  (void)state;
  char out[8];
  for (size_t pi = 0; pi < NPROFILES; pi++)
    for (unsigned c = 0x80; c <= 0xff; c++)
      for (size_t pos = 0; pos < 4; pos++) {
        char s[4] = {'A', 'b', '@', 'c'};
        s[pos] = (char)c;
        assert_int_equal(muc_prep_ascii(profiles[pi].p, s, 4, out),
                         MUC_PREP_NOT_ASCII);
      }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exhaustive_short),
      cmocka_unit_test(test_random_long),
      cmocka_unit_test(test_non_ascii_deferred),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
