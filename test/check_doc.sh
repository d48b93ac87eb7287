#!/bin/sh
# A generated doc is what its generator prints from its table.
# Usage: check_doc.sh path/to/generator path/to/docs/X.md X-target
#   (docs/errors.md from libmuc/refusal.c, docs/permissions.md from
#   libmuc/permission.c)
set -eu
if "$1" | diff -u "$2" -; then
  echo "$2 agrees with its table"
else
  echo "$2 differs from its table: run ninja -C <build> $3"
  exit 1
fi
