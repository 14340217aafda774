/* framework (private): creating and driving the run context (public
 * accessors in sdk/include/blo/component.h). */
#ifndef BLO_FRAMEWORK_CTX_INTERNAL_H
#define BLO_FRAMEWORK_CTX_INTERNAL_H

#include <blo/blo.h>

G_BEGIN_DECLS

/* The most threads a run (or a checkpoint) may ask for (--threads's bound too). */
#define BLO_RUN_MAX_THREADS 4096

/* A context seeded with `seed`; threads <= 0 means all online CPUs;
 * out_dir may be NULL. */
blo_ctx *blo_ctx_new(uint64_t seed, int threads, const char *out_dir);
void     blo_ctx_free(blo_ctx *ctx);

/* Name of the component the framework is calling into, for blo_ctx_log()
 * prefixes (NULL for the framework itself). */
void     blo_ctx_set_label(blo_ctx *ctx, const char *label);
/* Ask the run to stop after the current step (what Ctrl-C does). */
void     blo_ctx_request_cancel(blo_ctx *ctx);

/* Route SIGINT, SIGTERM and SIGHUP to the cancellation flag of every
 * context, so each ends a run the same way (finish the step, write results
 * and a checkpoint).  The handler only records the signal and resets itself
 * (SA_RESETHAND), so a second one kills the process the usual way.  Also
 * clears a pending request. */
void     blo_ctx_install_stop_handlers(void);
/* Put back the dispositions that were in place before the install. */
void     blo_ctx_restore_stop_handlers(void);
/* The first of those signals received since the install (0: none); exit
 * codes are 128 + it (130, 143, 129). */
int      blo_ctx_stop_signal(void);
/* 128 + that signal, or 130 (SIGINT's) for a stop without one. */
int      blo_ctx_stop_exit_code(void);

/* ---- trace: one row per step, columns in first-seen order ------------- */
/* Start collecting the values blo_ctx_trace() records for step `step`. */
void     blo_ctx_trace_begin_row(blo_ctx *ctx, int64_t step);
/* Store the row (missing columns are NaN). */
void     blo_ctx_trace_end_row(blo_ctx *ctx);
guint    blo_ctx_trace_n_rows(const blo_ctx *ctx);
guint    blo_ctx_trace_n_keys(const blo_ctx *ctx);
const char *blo_ctx_trace_key(const blo_ctx *ctx, guint col);
int64_t  blo_ctx_trace_step(const blo_ctx *ctx, guint row);
/* NaN when the row has no value for the column. */
double   blo_ctx_trace_value(const blo_ctx *ctx, guint row, guint col);
/* Replace the trace (resume): keys[n_keys], steps[n_rows], values row-major
 * [n_rows * n_keys]. */
void     blo_ctx_trace_restore(blo_ctx *ctx, const char *const *keys, guint n_keys,
                               const int64_t *steps, const double *values, guint n_rows);

/* Set when a carriage-return progress line is on the terminal, so log
 * messages start on a fresh line. */
void     blo_ctx_set_progress_shown(blo_ctx *ctx, gboolean shown);

G_END_DECLS

#endif
