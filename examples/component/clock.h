/*
 * clock - the two clocks: wall time for what libmuc stamps, monotonic
 * time for waiting (a wall clock step must not fire or stall timers).
 * SPDX-License-Identifier: MIT
 */
#ifndef COMPONENT_CLOCK_H
#define COMPONENT_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t clock_ms(clockid_t id)
{
  struct timespec ts;
  clock_gettime(id, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static inline uint64_t wall_ms(void)
{
  return clock_ms(CLOCK_REALTIME);
}

static inline uint64_t mono_ms(void)
{
  return clock_ms(CLOCK_MONOTONIC);
}

#endif
