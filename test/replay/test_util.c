/*
 * Helpers shared by the runner's test programs (see test_util.h).
 * SPDX-License-Identifier: MIT
 */
#include "test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

scs_script *parse_ok(const char *text)
{
  char err[512] = "";
  scs_script *s = NULL;
  int r = scs_parse(text, strlen(text), "t.scs", &s, err, sizeof err);
  if (r != 0)
    print_error("unexpected parse error: %s\n", err);
  assert_int_equal(r, 0);
  assert_non_null(s);
  return s;
}

size_t each_shared_script(script_fn fn, void *ud)
{
  const char *dir = getenv("SCS_CONFORMANCE_DIR");
  DIR *top = dir ? opendir(dir) : NULL;
  if (!top) {
    print_message("shared conformance folder absent: skipped\n");
    skip();
  }
  size_t n = 0;
  struct dirent *d;
  while ((d = readdir(top)) != NULL) {
    if (d->d_name[0] == '.')
      continue;
    char sub[1024];
    snprintf(sub, sizeof sub, "%s/%s", dir, d->d_name);
    DIR *sd = opendir(sub);
    if (!sd)
      continue;
    struct dirent *f;
    while ((f = readdir(sd)) != NULL) {
      size_t l = strlen(f->d_name);
      if (l < 5 || strcmp(f->d_name + l - 4, ".scs") != 0)
        continue;
      char path[2048];
      snprintf(path, sizeof path, "%s/%s", sub, f->d_name);
      fn(path, d->d_name, f->d_name, ud);
      n++;
    }
    closedir(sd);
  }
  closedir(top);
  return n;
}

char *read_env_file(const char *var, int skip_if_absent)
{
  const char *path = getenv(var);
  char *text = path ? scs_read_file(path, NULL) : NULL;
  if (!text && skip_if_absent) {
    print_message("%s (%s) absent: skipped\n", var, path ? path : "unset");
    skip();
  }
  if (!text)
    print_error("%s (%s) cannot be read\n", var, path ? path : "unset");
  assert_non_null(text);
  return text;
}
