#!/bin/sh
# docs/errors.md is what test/errors_doc.c prints from the refusal table.
# Usage: check_errors_doc.sh path/to/errors_doc path/to/docs/errors.md
set -eu
if "$1" | diff -u "$2" -; then
  echo "docs/errors.md agrees with libmuc/refusal.c"
else
  echo "docs/errors.md differs from the table: run ninja -C <build> errors-doc"
  exit 1
fi
