#!/bin/sh
# libmuc is a pure state machine: its objects may not call I/O, clock,
# thread, randomness, environment or process functions, and may not hold
# writable global or static data (two services must never interfere).
# Usage: check_purity.sh path/to/libmuc.a
set -eu
lib="$1"
[ -f "$lib" ] || { echo "no such archive: $lib"; exit 1; }
bad=$(nm -u "$lib" | awk '{print $2}' | sed 's/@.*//' | sort -u | grep -E -x \
  '(open|open64|openat|fopen|fopen64|fdopen|freopen|close|fclose|read|write|pread|pwrite|fread|fwrite|fgets|fputs|puts|putchar|getchar|printf|fprintf|vprintf|vfprintf|dprintf|perror|fflush|socket|connect|bind|listen|accept|accept4|send|sendto|sendmsg|recv|recvfrom|recvmsg|select|poll|ppoll|epoll_.*|ioctl|fcntl|time|clock|clock_gettime|gettimeofday|localtime|localtime_r|gmtime|gmtime_r|mktime|strftime|sleep|usleep|nanosleep|pthread_.*|thrd_.*|mtx_.*|cnd_.*|rand|rand_r|srand|random|srandom|drand48|lrand48|getrandom|getentropy|arc4random.*|getenv|secure_getenv|setenv|system|popen|fork|exec.*|exit|_exit|abort|atexit|signal|raise|kill|mmap|munmap|dlopen|stat|fstat|lstat|unlink|rename|mkdir|opendir|readdir|stdin|stdout|stderr|__stack_chk_fail_dummy)' || true)
if [ -n "$bad" ]; then
  echo "libmuc references forbidden functions:"
  echo "$bad"
  exit 1
fi
# Writable data: symbols in .data, .bss or common.  (Tables of pointers
# live in .data.rel.ro: read-only once relocated.)  Sanitizer
# instrumentation is not ours (clang names the metadata of ASan and UBSan
# __unnamed_N; C gives no way to write an unnamed global).
data=$(nm -f sysv --defined-only "$lib" 2>/dev/null | awk -F'|' '
  { sec=$7; gsub(/ /, "", sec); name=$1; gsub(/ /, "", name) }
  sec ~ /^(\.data|\.bss|COMMON|\*COM\*)(\.|$)/ && sec !~ /^\.data\.rel\.ro/ { print name " (" sec ")" }' \
  | grep -v -E '^(__odr_asan|__asan|__ubsan|\.L|_sub_I_|__sancov|__unnamed_)' || true)
if [ -n "$data" ]; then
  echo "libmuc holds writable global or static data:"
  echo "$data"
  exit 1
fi
echo "purity: $(nm -u "$lib" | wc -l) external references checked, no writable data"
