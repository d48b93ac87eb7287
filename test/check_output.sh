#!/bin/sh
# Run a program and check that it exits 0 and that its output holds every
# given line fragment.  Usage: check_output.sh PROGRAM FRAGMENT...
set -u
prog="$1"
shift
out=$("$prog" 2>&1)
rc=$?
if [ "$rc" != 0 ]; then
  printf '%s\n' "$out"
  echo "FAIL: $prog exited $rc"
  exit 1
fi
for want in "$@"; do
  if ! printf '%s\n' "$out" | grep -F -q -- "$want"; then
    printf '%s\n' "$out"
    echo "FAIL: no line with: $want"
    exit 1
  fi
done
echo "ok: $prog ($# fragments found)"
