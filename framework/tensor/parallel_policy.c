/* When a parallel region is worth opening.
 *
 * On a quiet machine a region pays off above a fixed amount of work.  When
 * the cores are shared (more runnable threads than online CPUs), waking a
 * worker can cost a scheduler time slice: on a 2-CPU VM with five other
 * processes a linear 784->10 step at batch 128 took 12 ms against 0.07 ms
 * quiet, nearly all of it waiting for the partner thread.  So while the
 * machine is busy only regions BUSY_FACTOR times larger than the quiet
 * threshold go parallel.  The decision changes the thread count only, never
 * the numerics: every parallel loop of the core gives results independent of
 * the thread count.
 *
 * "Busy" is the kernel's count of runnable threads (4th field of
 * /proc/loadavg, which includes the reader), sampled at most every
 * SAMPLE_NS.  BLO_LOAD_AWARE=0 turns the check off (always "quiet"). */
#include "internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { BUSY_FACTOR = 64 };
#define SAMPLE_NS 20000000LL /* 20 ms: ~10 us per read, so < 0.1% overhead */

static atomic_llong next_sample_ns = 0;
static atomic_int busy_flag = 0;
static atomic_int enabled = -1; /* -1: environment not read yet */
static atomic_int forced = -1;  /* tests: -1 measure, 0 quiet, 1 busy */

void blo__machine_busy_force(int state)
{
    atomic_store_explicit(&forced, state, memory_order_relaxed);
}

static long long now_ns(void)
{
    struct timespec ts;
#ifdef CLOCK_MONOTONIC_COARSE
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
#else
    clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Runnable threads system-wide, or -1 when /proc is not there. */
static long runnable_threads(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    if (!f)
        return -1;
    double l1, l5, l15;
    long running = -1, total;
    if (fscanf(f, "%lf %lf %lf %ld/%ld", &l1, &l5, &l15, &running, &total) != 5)
        running = -1;
    fclose(f);
    return running;
}

gboolean blo__machine_busy(void)
{
    int f = atomic_load_explicit(&forced, memory_order_relaxed);
    if (f >= 0)
        return f == 1;
    int on = atomic_load_explicit(&enabled, memory_order_relaxed);
    if (on < 0) {
        const char *env = getenv("BLO_LOAD_AWARE");
        on = !(env && strcmp(env, "0") == 0);
        atomic_store_explicit(&enabled, on, memory_order_relaxed);
    }
    if (!on)
        return FALSE;
    long long t = now_ns();
    long long next = atomic_load_explicit(&next_sample_ns, memory_order_relaxed);
    /* One thread wins the exchange and samples; the others keep the last answer. */
    if (t >= next && atomic_compare_exchange_strong(&next_sample_ns, &next, t + SAMPLE_NS)) {
        long running = runnable_threads();
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        atomic_store_explicit(&busy_flag, running > 0 && cpus > 0 && running > cpus, memory_order_relaxed);
    }
    return atomic_load_explicit(&busy_flag, memory_order_relaxed);
}

gboolean blo__par_ok(double work, double quiet_min)
{
    if (work < quiet_min)
        return FALSE;
    if (work >= quiet_min * BUSY_FACTOR)
        return TRUE;
    return !blo__machine_busy();
}
