/*
 * Helpers shared by the runner's test programs (test_replay_core.c,
 * test_replay.c, test_mutation.c): parsing a script that must parse,
 * walking the shared conformance folder, reading a script named by an
 * environment variable.  They fail the calling cmocka test on error.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stddef.h>

#include "scs.h"

/* Parse |text| (named "t.scs"); the test fails if it does not parse. */
scs_script *parse_ok(const char *text);

/* Call |fn| for every .scs script in every subfolder of the shared
 * conformance folder (SCS_CONFORMANCE_DIR); skip the test visibly when the
 * folder is absent.  Returns the number of scripts. */
typedef void (*script_fn)(const char *path, const char *folder,
                          const char *file, void *ud);
size_t each_shared_script(script_fn fn, void *ud);

/* The file named by the environment variable |var| (malloc'd).  Absent:
 * the test is skipped if |skip_if_absent|, else it fails. */
char *read_env_file(const char *var, int skip_if_absent);

#endif
