/* The privilege rules as data: every case is written out by hand from
 * XEP-0045 §5.1-§5.2 (and Prosody where the XEP leaves a choice), and the
 * functions must agree with each row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "affiliation.h"

#define OUT MUC_AFFIL_OUTCAST
#define NON MUC_AFFIL_NONE
#define MEM MUC_AFFIL_MEMBER
#define ADM MUC_AFFIL_ADMIN
#define OWN MUC_AFFIL_OWNER

static void test_names(void **state)
{
  (void)state;
  const char *roles[] = {"none", "visitor", "participant", "moderator"};
  for (int i = 0; i < 4; i++) {
    muc_role r;
    assert_string_equal(muc_role_name((muc_role)i), roles[i]);
    assert_int_equal(muc_role_parse(roles[i], &r), 0);
    assert_int_equal(r, i);
  }
  const char *affs[] = {"outcast", "none", "member", "admin", "owner"};
  for (int i = -1; i <= 3; i++) {
    muc_affiliation a;
    assert_string_equal(muc_affiliation_name((muc_affiliation)i), affs[i + 1]);
    assert_int_equal(muc_affiliation_parse(affs[i + 1], &a), 0);
    assert_int_equal(a, i);
  }
  muc_role r;
  muc_affiliation a;
  assert_int_equal(muc_role_parse("Moderator", &r), -1);
  assert_int_equal(muc_role_parse("", &r), -1);
  assert_int_equal(muc_role_parse(NULL, &r), -1);
  assert_int_equal(muc_affiliation_parse("banned", &a), -1);
  assert_string_equal(muc_role_name((muc_role)9), "none");
}

static void test_default_role(void **state)
{
  (void)state;
  static const struct {
    muc_affiliation aff;
    int members_only, moderated;
    muc_role want;
  } rows[] = {
      {OWN, 0, 0, MUC_ROLE_MODERATOR},   {OWN, 1, 1, MUC_ROLE_MODERATOR},
      {ADM, 0, 0, MUC_ROLE_MODERATOR},   {ADM, 1, 1, MUC_ROLE_MODERATOR},
      {MEM, 0, 0, MUC_ROLE_PARTICIPANT}, {MEM, 1, 1, MUC_ROLE_PARTICIPANT},
      {MEM, 0, 1, MUC_ROLE_PARTICIPANT}, {NON, 0, 0, MUC_ROLE_PARTICIPANT},
      {NON, 0, 1, MUC_ROLE_VISITOR},     {NON, 1, 0, MUC_ROLE_NONE},
      {NON, 1, 1, MUC_ROLE_NONE},        {OUT, 0, 0, MUC_ROLE_NONE},
      {OUT, 1, 1, MUC_ROLE_NONE},
  };
  for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
    assert_int_equal(
        muc_default_role(rows[i].aff, rows[i].members_only, rows[i].moderated),
        rows[i].want);
}

/* Affiliation changes by actor affiliation: the XEP-0045 §5.2 table. */
static void test_set_affiliation(void **state)
{
  (void)state;
  muc_affiliation all[] = {OUT, NON, MEM, ADM, OWN};
  for (size_t a = 0; a < 5; a++)
    for (size_t t = 0; t < 5; t++)
      for (size_t w = 0; w < 5; w++) {
        muc_affiliation actor = all[a], target = all[t], wanted = all[w];
        muc_verdict want;
        if (actor == OWN)
          want = MUC_ALLOW;
        else if (actor != ADM || wanted >= ADM)
          want = MUC_DENY_FORBIDDEN; /* §9, §10.3, §10.6 */
        else if (target < ADM)
          want = MUC_ALLOW; /* admins: outcast/none/member only */
        else /* an admin or owner: banned (§9.1) or relisted (§10.7) */
          want = wanted == OUT ? MUC_DENY_NOT_ALLOWED : MUC_DENY_FORBIDDEN;
        assert_int_equal(muc_may_set_affiliation(actor, target, wanted, 0, 1),
                         want);
      }
  /* the last owner cannot step down (§10.6 / §10.7) */
  assert_int_equal(muc_may_set_affiliation(OWN, OWN, ADM, 1, 0),
                   MUC_DENY_CONFLICT);
  assert_int_equal(muc_may_set_affiliation(OWN, OWN, NON, 1, 0),
                   MUC_DENY_CONFLICT);
  assert_int_equal(muc_may_set_affiliation(OWN, OWN, OUT, 1, 0),
                   MUC_DENY_CONFLICT);
  assert_int_equal(muc_may_set_affiliation(OWN, OWN, ADM, 1, 1), MUC_ALLOW);
  assert_int_equal(muc_may_set_affiliation(OWN, OWN, OWN, 1, 0), MUC_ALLOW);
  /* another owner may remove the last other owner */
  assert_int_equal(muc_may_set_affiliation(OWN, OWN, NON, 0, 0), MUC_ALLOW);
  /* nobody bans himself (§9.1), whatever the other owners */
  assert_int_equal(muc_may_set_affiliation(OWN, OWN, OUT, 1, 1),
                   MUC_DENY_CONFLICT);
  assert_int_equal(muc_may_set_affiliation(ADM, ADM, OUT, 1, 1),
                   MUC_DENY_CONFLICT);
}

/* Role changes: §5.1 and the kick/voice rules of §8. */
static void test_set_role(void **state)
{
  (void)state;
  static const struct {
    muc_affiliation actor_aff;
    muc_role actor_role;
    muc_affiliation target_aff;
    muc_role target_role, wanted;
    muc_verdict want;
  } rows[] = {
      /* a moderator kicks a participant / revokes and grants voice */
      {NON, MUC_ROLE_MODERATOR, NON, MUC_ROLE_PARTICIPANT, MUC_ROLE_NONE,
       MUC_ALLOW},
      {NON, MUC_ROLE_MODERATOR, NON, MUC_ROLE_PARTICIPANT, MUC_ROLE_VISITOR,
       MUC_ALLOW},
      {NON, MUC_ROLE_MODERATOR, NON, MUC_ROLE_VISITOR, MUC_ROLE_PARTICIPANT,
       MUC_ALLOW},
      /* not a moderator: nothing (§8: forbidden) */
      {MEM, MUC_ROLE_PARTICIPANT, NON, MUC_ROLE_PARTICIPANT, MUC_ROLE_NONE,
       MUC_DENY_FORBIDDEN},
      {NON, MUC_ROLE_VISITOR, NON, MUC_ROLE_PARTICIPANT, MUC_ROLE_VISITOR,
       MUC_DENY_FORBIDDEN},
      {ADM, MUC_ROLE_NONE, NON, MUC_ROLE_PARTICIPANT, MUC_ROLE_NONE,
       MUC_DENY_FORBIDDEN},
      /* nobody acts on a higher affiliation */
      {MEM, MUC_ROLE_MODERATOR, ADM, MUC_ROLE_PARTICIPANT, MUC_ROLE_NONE,
       MUC_DENY_NOT_ALLOWED},
      {ADM, MUC_ROLE_MODERATOR, OWN, MUC_ROLE_MODERATOR, MUC_ROLE_NONE,
       MUC_DENY_NOT_ALLOWED},
      /* granting moderator is an admin use case (§9.6: forbidden),
       * revoking it needs admin or owner too (§5.1.3: not-allowed) */
      {MEM, MUC_ROLE_MODERATOR, NON, MUC_ROLE_PARTICIPANT, MUC_ROLE_MODERATOR,
       MUC_DENY_FORBIDDEN},
      {ADM, MUC_ROLE_MODERATOR, NON, MUC_ROLE_PARTICIPANT, MUC_ROLE_MODERATOR,
       MUC_ALLOW},
      {OWN, MUC_ROLE_MODERATOR, MEM, MUC_ROLE_MODERATOR, MUC_ROLE_PARTICIPANT,
       MUC_ALLOW},
      {NON, MUC_ROLE_MODERATOR, NON, MUC_ROLE_MODERATOR, MUC_ROLE_NONE,
       MUC_DENY_NOT_ALLOWED},
      /* an admin may kick another admin (same affiliation) */
      {ADM, MUC_ROLE_MODERATOR, ADM, MUC_ROLE_MODERATOR, MUC_ROLE_NONE,
       MUC_ALLOW},
      /* nobody takes voice or moderator status from an admin or owner
       * (§8.4, §9.8) */
      {OWN, MUC_ROLE_MODERATOR, ADM, MUC_ROLE_MODERATOR, MUC_ROLE_VISITOR,
       MUC_DENY_NOT_ALLOWED},
      {OWN, MUC_ROLE_MODERATOR, OWN, MUC_ROLE_MODERATOR, MUC_ROLE_PARTICIPANT,
       MUC_DENY_NOT_ALLOWED},
  };
  for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
    assert_int_equal(muc_may_set_role(rows[i].actor_aff, rows[i].actor_role,
                                      rows[i].target_aff, rows[i].target_role,
                                      rows[i].wanted),
                     rows[i].want);
}

static void test_lists(void **state)
{
  (void)state;
  /* §9.2, §9.5: admins read the outcast and member lists; §10.8: the
   * admin list is the owners' in semi-anonymous rooms; owners read all */
  muc_affiliation lists[] = {OUT, MEM, ADM, OWN};
  muc_affiliation actors[] = {OUT, NON, MEM, ADM, OWN};
  for (size_t a = 0; a < 5; a++)
    for (size_t l = 0; l < 4; l++) {
      int may = actors[a] == OWN || (actors[a] == ADM && lists[l] < ADM);
      muc_verdict want = may ? MUC_ALLOW : MUC_DENY_FORBIDDEN;
      assert_int_equal(muc_may_get_affiliation_list(actors[a], lists[l], 0, 0),
                       want);
    }
  /* §10.8: in a non-anonymous room an admin reads the admin list */
  assert_int_equal(muc_may_get_affiliation_list(ADM, ADM, 0, 1), MUC_ALLOW);
  assert_int_equal(muc_may_get_affiliation_list(ADM, OWN, 0, 1),
                   MUC_DENY_FORBIDDEN);
  /* members-only, non-anonymous rooms show lists to members */
  assert_int_equal(muc_may_get_affiliation_list(MEM, MEM, 1, 1), MUC_ALLOW);
  assert_int_equal(muc_may_get_affiliation_list(MEM, OWN, 1, 1), MUC_ALLOW);
  assert_int_equal(muc_may_get_affiliation_list(MEM, MEM, 1, 0),
                   MUC_DENY_FORBIDDEN);
  assert_int_equal(muc_may_get_affiliation_list(NON, MEM, 1, 1),
                   MUC_DENY_FORBIDDEN);
  assert_int_equal(muc_may_get_role_list(MUC_ROLE_MODERATOR), MUC_ALLOW);
  assert_int_equal(muc_may_get_role_list(MUC_ROLE_PARTICIPANT),
                   MUC_DENY_FORBIDDEN);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_default_role),
      cmocka_unit_test(test_set_affiliation),
      cmocka_unit_test(test_set_role),
      cmocka_unit_test(test_lists),
  };
  return cmocka_run_group_tests_name("affiliation", tests, NULL, NULL);
}
