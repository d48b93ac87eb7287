#!/bin/sh
# Line coverage of what a corpus reaches, per target:
#   coverage.sh BUILD_DIR CORPUS_ROOT [TARGET...]
# Sets up BUILD_DIR (if new) as a clang build with source-based coverage
# (-fprofile-instr-generate -fcoverage-mapping, no sanitizer), builds the
# replay drivers (fuzz_replay_NAME), replays CORPUS_ROOT/NAME through each
# and prints llvm-cov's line coverage of libmuc/ (all of it, and the file
# the target is about) or, for scs, of test/replay/scs.c.  Targets default
# to every one whose corpus folder exists.  Needs clang and llvm
# (llvm-profdata, llvm-cov).
set -eu
build=$1 corpora=$2
shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
# meson's compiler checks run programs built with these flags: their
# profiles go nowhere
export LLVM_PROFILE_FILE=/dev/null
if [ ! -d "$build" ]; then
  CC=clang meson setup "$build" "$src" -Db_sanitize=none \
    -Dc_args='-fprofile-instr-generate -fcoverage-mapping' \
    -Dc_link_args='-fprofile-instr-generate' >/dev/null
fi
targets=${*:-stanza tree jid form store scs}
for t in $targets; do
  [ -d "$corpora/$t" ] || continue
  ninja -C "$build" "test/fuzz/fuzz_replay_$t" >/dev/null
  bin="$build/test/fuzz/fuzz_replay_$t"
  prof="$build/cov-$t"
  rm -rf "$prof" && mkdir -p "$prof"
  LLVM_PROFILE_FILE="$prof/%p.profraw" "$bin" "$corpora/$t" >/dev/null 2>&1
  llvm-profdata merge -sparse "$prof"/*.profraw -o "$prof/all.profdata"
  case $t in
    stanza|tree) focus=libmuc/route.c ;;
    jid) focus=libmuc/jid.c ;;
    form) focus=libmuc/form.c ;;
    store) focus=libmuc/store.c ;;
    scs) focus=test/replay/scs.c ;;
  esac
  n=$(find "$corpora/$t" -type f | wc -l)
  llvm-cov report "$bin" -instr-profile="$prof/all.profdata" "$src/libmuc" \
    "$src/test/replay/scs.c" > "$prof/report.txt"
  # columns: name, regions (3), functions (3), lines: count, missed, cover
  lines() { awk -v f="$1" '$1 ~ f { c += $8; m += $9 }
    END { if (c) printf "%d/%d lines (%.1f%%)", c - m, c, 100 * (c - m) / c }' \
    "$prof/report.txt"; }
  if [ "$t" = scs ]; then
    echo "$t: $n inputs; scs.c $(lines '(^|/)scs[.]c$')"
  else
    # libmuc/: the objects linked into the target
    echo "$t: $n inputs; libmuc/ $(lines '^libmuc/');" \
      "$(basename "$focus") $(lines "(^|/)$(basename "$focus" .c)[.]c$")"
  fi
done
