/* Benchmarks: timing and the PyTorch comparison run. */
#ifndef BLO_BENCH_COMMON_H
#define BLO_BENCH_COMMON_H

typedef void (*bench_fn)(void *ctx);

/* Fastest run of fn in milliseconds, over at least 1 s and 5 runs after 3
 * warm-ups (the minimum is the robust estimate on a shared machine; the
 * PyTorch side uses the same rule). */
double bench_best_ms(bench_fn fn, void *ctx);
/* Threads for both sides: $BLO_BENCH_THREADS or the number of online CPUs. */
int bench_threads(void);
/* Runs torch_bench.py MODE THREADS; returns 0 and sets *ms, or 77 (torch
 * missing: the message is printed) or 1 (other failure). */
int bench_torch(const char *script, const char *mode, int threads, double *ms);

#endif
