/* The monotonic clock in seconds, for the small standalone benchmarks. */
#ifndef BENCH_MONOTONIC_H
#define BENCH_MONOTONIC_H

#include <time.h>

static inline double bench_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
