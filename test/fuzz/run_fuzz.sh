#!/bin/sh
# One fuzz target for a while, as suite fuzz runs it (and the long run):
#   run_fuzz.sh TARGET_BINARY NAME SECONDS MAX_LEN SCRIPT_FOLDER...
# The corpus is made at run time in a fresh folder: the committed seeds and
# past findings of NAME, and what extract_seeds.py takes from the scenario
# scripts (the team's and the shared ones; a missing folder is said, not
# fatal: the committed seeds still run).  libFuzzer stops at the first
# finding (crash, sanitizer report, leak, timeout) and the script fails;
# the input is kept under FUZZ_ARTIFACTS (default: ./fuzz-artifacts/NAME/).
# FUZZ_CORPUS names a folder to keep the grown corpus in (default: a
# temporary one, removed).
set -eu
bin=$1 name=$2 seconds=$3 max_len=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
artifacts=${FUZZ_ARTIFACTS:-$PWD/fuzz-artifacts/$name}
mkdir -p "$artifacts"
if [ -n "${FUZZ_CORPUS:-}" ]; then
  corpus=$FUZZ_CORPUS
  mkdir -p "$corpus"
else
  corpus=$(mktemp -d)
  trap 'rm -rf "$corpus"' EXIT
fi
for d in "$here/seeds/$name" "$here/regressions/$name"; do
  if [ -d "$d" ]; then
    find "$d" -type f -exec cp {} "$corpus/" \;
  fi
done
for d in "$@"; do
  [ -d "$d" ] || echo "run_fuzz: no scripts at $d (seeds from it skipped)"
done
python3 "$here/extract_seeds.py" "$name" "$corpus" "$@"
[ -n "$(ls -A "$corpus")" ] || { echo "run_fuzz: empty corpus"; exit 1; }
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
exec "$bin" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -error_exitcode=1 \
  -rss_limit_mb=2048 -print_final_stats=1 -dict="$here/xmpp.dict" \
  -artifact_prefix="$artifacts/" "$corpus"
