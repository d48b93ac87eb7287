/* flood - 100,000 stanzas from one client (one account, a few of its
 * resources) across many rooms and nicks: joins that create rooms, nick
 * changes, messages, admin requests, extra sessions.  Asserts that the
 * rooms, sessions, affiliations and history stay within the configured
 * limits (docs/limits.md), that the flooder gets the documented errors,
 * and that another user's room keeps delivering its messages during and
 * after the flood.  Prints its figures; exit 0 or 1.
 *
 *   flood [--stanzas N] [--path text|tree] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soak.h"
#include "stanza.h"

#define FLOODER "flood@evil.example"
#define MAX_ROOMS 40
#define MAX_ROOMS_PER_CREATOR 10
#define MAX_SESSIONS 4
#define MAX_AFFILIATIONS 30
#define MAX_HISTORY 100
#define MAX_HISTORY_BYTES 8192
#define FLOOD_ROOMS 500 /* names the flooder draws from */

typedef struct flood {
  soak_host h;
  uint64_t rng;
  unsigned long stanzas, sent_out;
  /* errors the flooder got, by condition and by whom */
  unsigned long rc_service, rc_sessions, rc_affiliations, other_errors, errors;
  char other[160];
  size_t max_rooms, max_usage, usage_half;
  unsigned long victim_checks, history_checks;
  size_t max_history_bytes_seen, max_history_seen;
  int failed;
} flood;

#define CHECK(f, cond, ...)                                                    \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "flood: FAILED after %lu stanzas: ", (f)->stanzas);      \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
      (f)->failed = 1;                                                         \
    }                                                                          \
  } while (0)

/* Errors a flood may earn: the limits' own (docs/limits.md), and the
 * ordinary answers to what a flooder does to locked or unknown rooms. */
static const char *const expected_conditions[] = {
    "item-not-found", "conflict", "not-acceptable", "forbidden"};

static void tally_errors(flood *f)
{
  for (size_t i = 0; i < f->h.nout; i++) {
    stanza_info in;
    const delivery *d = &f->h.out[i];
    stanza_read(d->xml, d->len, &in);
    CHECK(f, in.well_formed, "not well-formed: %s", d->xml);
    if (strncmp(d->to, FLOODER "/", strlen(FLOODER) + 1) != 0 ||
        strcmp(in.type, "error") != 0)
      continue;
    f->errors++;
    if (strcmp(in.cond, "resource-constraint") == 0) {
      CHECK(f, strstr(d->xml, "type=\"wait\"") != NULL,
            "resource-constraint not of type wait: %s", d->xml);
      /* 'from' is the address refused; 'by' who refused */
      if (strstr(d->xml, "by=\"" SOAK_DOMAIN "\""))
        f->rc_service++;
      else if (strcmp(in.name, "presence") == 0)
        f->rc_sessions++; /* max_sessions_per_occupant */
      else
        f->rc_affiliations++; /* max_affiliations_per_room */
      continue;
    }
    int known = 0;
    for (size_t k = 0; k < sizeof(expected_conditions) / sizeof(char *); k++)
      known |= strcmp(in.cond, expected_conditions[k]) == 0;
    if (!known) {
      f->other_errors++;
      snprintf(f->other, sizeof(f->other), "%s", d->xml);
    }
  }
}

static void send(flood *f, const char *xml)
{
  int rc = soak_host_send(&f->h, xml, 0);
  CHECK(f, rc == MUC_OK, "%s returned %d", xml, rc);
}

static void flood_one(flood *f)
{
  char xml[2048], body[601];
  unsigned room = soak_below(&f->rng, FLOOD_ROOMS);
  unsigned nick = soak_below(&f->rng, 50);
  unsigned res = soak_below(&f->rng, 3) ? 0 : soak_below(&f->rng, 8);
  unsigned kind = soak_below(&f->rng, 100);
  if (kind < 30) { /* a join, most of the time to a new room; the other
                      resources share nick0, the first one's */
    if (res)
      nick = 0;
    snprintf(xml, sizeof(xml),
             "<presence from='" FLOODER "/r%u' to='f%u@" SOAK_DOMAIN
             "/nick%u'><x xmlns='http://jabber.org/protocol/muc'/>"
             "</presence>",
             res, room % 60, nick);
  } else if (kind < 45) { /* a nick change (or a join without <x/>) */
    snprintf(xml, sizeof(xml),
             "<presence from='" FLOODER "/r0' to='f%u@" SOAK_DOMAIN
             "/other%u'/>",
             room % 60, nick);
  } else if (kind < 75) { /* a message with a large body */
    memset(body, 'a' + (int)(nick % 26), 600);
    body[600] = '\0';
    snprintf(xml, sizeof(xml),
             "<message from='" FLOODER "/r0' to='f%u@" SOAK_DOMAIN
             "' type='groupchat'><body>%s</body></message>",
             room % 60, body);
  } else if (kind < 87) { /* a member more */
    snprintf(xml, sizeof(xml),
             "<iq from='" FLOODER "/r0' to='f%u@" SOAK_DOMAIN
             "' type='set' id='a%lu'><query "
             "xmlns='http://jabber.org/protocol/muc#admin'><item "
             "affiliation='member' jid='m%lu@evil.example'/></query></iq>",
             room % 60, f->stanzas, f->stanzas);
  } else if (kind < 93) { /* open its room: an instant room */
    snprintf(xml, sizeof(xml),
             "<iq from='" FLOODER "/r0' to='f%u@" SOAK_DOMAIN
             "' type='set' id='c%lu'><query "
             "xmlns='http://jabber.org/protocol/muc#owner'><x "
             "xmlns='jabber:x:data' type='submit'/></query></iq>",
             room % 60, f->stanzas);
  } else if (kind < 97) { /* leave */
    snprintf(xml, sizeof(xml),
             "<presence from='" FLOODER "/r%u' to='f%u@" SOAK_DOMAIN
             "/x' type='unavailable'/>",
             res, room % 60);
  } else { /* the other user's room: it is not the flooder's to run */
    snprintf(xml, sizeof(xml),
             "<iq from='" FLOODER "/r0' to='calm@" SOAK_DOMAIN
             "' type='set' id='v%lu'><query "
             "xmlns='http://jabber.org/protocol/muc#owner'><destroy/></query>"
             "</iq>",
             f->stanzas);
  }
  send(f, xml);
  f->stanzas++;
}

/* alice's message in her room still reaches bob (and herself), once. */
static void check_victim(flood *f)
{
  soak_host_clear(&f->h);
  send(f, "<message from='alice@example.org/home' to='calm@" SOAK_DOMAIN
          "' type='groupchat'><body>still here</body></message>");
  int bob = 0, alice = 0;
  for (size_t i = 0; i < f->h.nout; i++) {
    bob += strcmp(f->h.out[i].to, "bob@example.org/work") == 0;
    alice += strcmp(f->h.out[i].to, "alice@example.org/home") == 0;
  }
  CHECK(f, bob == 1 && alice == 1 && f->h.nout == 2,
        "the other room's message went to bob %d, alice %d times (%zu "
        "deliveries)",
        bob, alice, f->h.nout);
  f->victim_checks++;
  soak_host_clear(&f->h);
}

/* A newcomer to one of the flooder's open rooms gets at most the history
 * the limits allow. */
static void check_history(flood *f)
{
  for (unsigned room = 0; room < 60; room++) {
    char name[16];
    snprintf(name, sizeof(name), "f%u", room);
    muc_room *r = muc_service_find_room(f->h.svc, name);
    if (!r || muc_room_get_occupant_count(r) == 0)
      continue;
    char xml[256];
    soak_host_clear(&f->h);
    snprintf(xml, sizeof(xml),
             "<presence from='carol@example.org/x' to='f%u@" SOAK_DOMAIN
             "/carol'><x xmlns='http://jabber.org/protocol/muc'/></presence>",
             room);
    send(f, xml);
    size_t bytes = 0, count = 0;
    for (size_t i = 0; i < f->h.nout; i++)
      if (strstr(f->h.out[i].xml, "urn:xmpp:delay") &&
          strstr(f->h.out[i].xml, "<body>")) {
        bytes += f->h.out[i].len;
        count++;
      }
    /* what is kept is the message as the room broadcast it, before the
     * delay stamp and the recipient: allow for those */
    CHECK(f, count <= MAX_HISTORY, "%zu history messages", count);
    CHECK(f, bytes <= MAX_HISTORY_BYTES + count * 200,
          "%zu bytes of history in %zu messages", bytes, count);
    if (bytes > f->max_history_bytes_seen)
      f->max_history_bytes_seen = bytes;
    if (count > f->max_history_seen)
      f->max_history_seen = count;
    snprintf(xml, sizeof(xml),
             "<presence from='carol@example.org/x' to='f%u@" SOAK_DOMAIN
             "/carol' type='unavailable'/>",
             room);
    send(f, xml);
    soak_host_clear(&f->h);
    f->history_checks++;
    return;
  }
}

static void check_limits(flood *f, unsigned long total)
{
  size_t rooms = muc_service_get_room_count(f->h.svc);
  /* the flooder's rooms, and calm */
  CHECK(f, rooms <= MAX_ROOMS_PER_CREATOR + 1 && rooms <= MAX_ROOMS,
        "%zu rooms", rooms);
  if (rooms > f->max_rooms)
    f->max_rooms = rooms;
  size_t use = muc_service_get_memory_usage(f->h.svc);
  if (use > f->max_usage)
    f->max_usage = use;
  if (f->stanzas == total / 2)
    f->usage_half = f->max_usage;
}

static int parse_args(int argc, char **argv, unsigned long *n, int *tree)
{
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--stanzas") == 0)
      *n = strtoul(argv[i + 1], NULL, 10);
    else if (strcmp(argv[i], "--path") == 0)
      *tree = strcmp(argv[i + 1], "tree") == 0;
    else
      return -1;
  }
  return argc % 2 ? 0 : -1;
}

int main(int argc, char **argv)
{
  static flood f;
  unsigned long total = 100000;
  int tree = 0;
  if (parse_args(argc, argv, &total, &tree) != 0) {
    fprintf(stderr, "usage: flood [--stanzas N] [--path text|tree]\n");
    return 2;
  }
  muc_config cfg;
  muc_config_default(&cfg);
  cfg.max_rooms = MAX_ROOMS;
  cfg.max_rooms_per_creator = MAX_ROOMS_PER_CREATOR;
  cfg.max_sessions_per_occupant = MAX_SESSIONS;
  cfg.max_affiliations_per_room = MAX_AFFILIATIONS;
  cfg.max_history = MAX_HISTORY;
  cfg.room_history_length = MAX_HISTORY;
  cfg.max_history_bytes = MAX_HISTORY_BYTES;
  if (soak_host_init(&f.h, tree, &cfg) != MUC_OK)
    return 1;
  f.rng = 12;
  /* the other user's room, open, with two occupants */
  send(&f, "<presence from='alice@example.org/home' to='calm@" SOAK_DOMAIN
           "/alice'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
  send(&f, "<iq from='alice@example.org/home' to='calm@" SOAK_DOMAIN
           "' type='set' id='c'><query "
           "xmlns='http://jabber.org/protocol/muc#owner'><x "
           "xmlns='jabber:x:data' type='submit'/></query></iq>");
  send(&f, "<presence from='bob@example.org/work' to='calm@" SOAK_DOMAIN
           "/bob'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
  soak_host_clear(&f.h);
  check_victim(&f);
  while (f.stanzas < total && !f.failed) {
    flood_one(&f);
    tally_errors(&f);
    f.sent_out += f.h.nout;
    soak_host_clear(&f.h);
    check_limits(&f, total);
    if (f.stanzas % 1000 == 0)
      check_victim(&f);
    if (f.stanzas % 5000 == 0)
      check_history(&f);
  }
  check_victim(&f);
  CHECK(&f, f.rc_service > 0,
        "no resource-constraint for max_rooms_per_creator");
  CHECK(&f, f.rc_sessions > 0,
        "no resource-constraint for max_sessions_per_occupant");
  CHECK(&f, f.rc_affiliations > 0,
        "no resource-constraint for max_affiliations_per_room");
  CHECK(&f, f.other_errors == 0, "%lu unexpected errors, the last: %s",
        f.other_errors, f.other);
  /* no growth with the number of stanzas: the second half stays where
   * the first half's peak was (the limits bound it) */
  CHECK(&f, f.max_usage <= f.usage_half + f.usage_half / 4,
        "memory grew from %zu to %zu bytes in the second half", f.usage_half,
        f.max_usage);
  printf("flood: %lu stanzas (%s path), %lu deliveries, %lu errors to the "
         "flooder (resource-constraint: %lu for rooms per creator, %lu for "
         "sessions, "
         "%lu for affiliations)\n",
         f.stanzas, tree ? "tree" : "text", f.sent_out, f.errors, f.rc_service,
         f.rc_sessions, f.rc_affiliations);
  printf("  max rooms %zu (limits %d per creator, %d in all); memory peak %zu "
         "bytes (%zu at half-time), allocator peak %zu\n",
         f.max_rooms, MAX_ROOMS_PER_CREATOR, MAX_ROOMS, f.max_usage,
         f.usage_half, f.h.peak_bytes);
  printf("  history to a newcomer at most %zu messages, %zu bytes (limit %d "
         "bytes); other room checked %lu times, history %lu times\n",
         f.max_history_seen, f.max_history_bytes_seen, MAX_HISTORY_BYTES,
         f.victim_checks, f.history_checks);
  soak_host_free(&f.h);
  stanza_reader_free();
  return f.failed ? 1 : 0;
}
