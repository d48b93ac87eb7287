/* The model-based soak and the flood test: shared types.
 *
 * The soak drives one service with random operations from a fixed universe
 * of users, resources, rooms and nicks (small on purpose, so that
 * operations collide), keeps a reference model of what every room should
 * look like, and after each step compares the library's observable state
 * with the model and checks every delivered stanza against the
 * invariants (see README.md). */
#ifndef SOAK_H
#define SOAK_H

#include <stddef.h>
#include <stdint.h>

#include "muc/muc_mxml.h"

#define SOAK_DOMAIN "conference.example.org"
#define SOAK_USERS 12 /* u0@example.org ... */
#define SOAK_RES 4    /* resources r0..r3 of each user */
#define SOAK_SESSIONS (SOAK_USERS * SOAK_RES)
#define SOAK_ROOMS 6  /* room0@conference.example.org ... */
#define SOAK_NICKS 10 /* n0 ... n9 */

/* Limits the soak configures so that the operations reach them. */
#define SOAK_MAX_SESSIONS 3  /* max_sessions_per_occupant */
#define SOAK_MAX_OCCUPANTS 8 /* max_occupants_per_room */

/* ---- host: a service, a counting allocator, the deliveries -------------- */

typedef struct delivery {
  char *to;
  char *xml;
  size_t len;
} delivery;

typedef struct soak_host {
  muc_service *svc;
  int tree_path; /* deliveries as trees (muc_mxml.h), stanzas in as trees */
  /* the counting allocator behind the service's memory hooks */
  size_t live_bytes, peak_bytes, live_blocks;
  /* deliveries of the current step */
  delivery *out;
  size_t nout, capout;
  size_t total_out;
  /* muc_service_session_ended() from inside the send callback: each
   * delivery to a full JID ends that session with probability
   * 1/end_in_callback (0: never); the sessions so ended, in order */
  uint32_t end_in_callback;
  uint64_t rng;
  char ended[64][80];
  size_t nended;
  int callback_rc; /* a failing nested call */
} soak_host;

int soak_host_init(soak_host *h, int tree_path, const muc_config *cfg);
void soak_host_free(soak_host *h);
/* Hand |xml| to the service: as text, or parsed into a tree on the tree
 * path (|as_text| forces text, for input that is not XML). */
int soak_host_send(soak_host *h, const char *xml, int as_text);
void soak_host_clear(soak_host *h);

/* ---- the random source (xorshift64*, seeded from --seed) ---------------- */
uint64_t soak_rand(uint64_t *state);
/* A number in [0, n). */
uint32_t soak_below(uint64_t *state, uint32_t n);

/* ---- names ----------------------------------------------------------------
 */
void soak_session_jid(int session, char *buf, size_t size);
void soak_user_jid(int user, char *buf, size_t size);
/* -1 if |jid| is no session (or user) of the universe. */
int soak_session_of(const char *jid);
int soak_user_of(const char *jid);
/* "roomN@domain" -> N, "roomN@domain/nick" -> N and *nick (or -1). */
int soak_room_of(const char *jid, int *nick);

#endif
