/* framework (private): does a checkpoint belong to this run, and are its
 * values sane?  Run before anything of it is restored (run_state.c), and by
 * the checkpoint fuzzer (tests/fuzz/fuzz_checkpoint.c).
 *
 * Every message names the entry and, for a value, the value and its range.
 * Errors are BLO_ERROR_FORMAT.
 */
#ifndef BLO_FRAMEWORK_CHECKPOINT_CHECK_H
#define BLO_FRAMEWORK_CHECKPOINT_CHECK_H

#include "ctx_internal.h"
#include "run_folder.h"
#include "state_internal.h"

G_BEGIN_DECLS

/* Framework entries; solvers' own entries must not start with "blo.". */
#define BLO_K_PIPELINE "blo.pipeline"
#define BLO_K_PIPELINE_SHA256 "blo.pipeline_sha256"
#define BLO_K_VERSION "blo.version"
#define BLO_K_ABI_MAJOR "blo.abi_major"
#define BLO_K_ABI_MINOR "blo.abi_minor"
#define BLO_K_PLUGINS "blo.plugins"          /* "name version\n" per plugin of the pipeline */
#define BLO_K_SEED "blo.seed"
#define BLO_K_THREADS "blo.threads"
#define BLO_K_ITERATION "blo.iteration"
#define BLO_K_FINISHED "blo.finished"        /* 1: the step loop had ended (only outputs were left) */
#define BLO_K_RNG "blo.rng"
#define BLO_K_X "blo.x"
#define BLO_K_Y "blo.y"
#define BLO_K_GRAD_EVALS "blo.grad_evals"
#define BLO_K_HVP_EVALS "blo.hvp_evals"
#define BLO_K_SOLVER_S "blo.solver_s"
#define BLO_K_TOTAL_S "blo.total_s"
#define BLO_K_TRACE_KEYS "blo.trace.keys"      /* NUL-terminated names, concatenated */
#define BLO_K_TRACE_STEPS "blo.trace.steps"    /* int64 per row */
#define BLO_K_TRACE_VALUES "blo.trace.values"  /* double per row and key */

/* The identity entries: the pipeline text matches its digest, the blo and
 * ABI versions are this blo's, seed and threads are in range, and (when
 * `folder` is given) pipeline, seed and threads are the folder's run.ini.
 * A different pipeline is named by both digests; the caller may add the
 * first differing stage. */
gboolean blo_checkpoint_check_identity(const blo_state *s, const blo_run_identity *folder, GError **error);
/* blo.plugins equals `plugins` (the same list for the re-resolved pipeline). */
gboolean blo_checkpoint_check_plugins(const blo_state *s, const char *plugins, GError **error);
/* The run's values: iteration in 0..planned (planned < 0: unknown), x and
 * y of dim_x / dim_y finite floats, counters and timings non-negative and
 * finite, a usable rng state, a trace whose sizes match and whose steps are
 * ordered and within 0..iteration. */
gboolean blo_checkpoint_check_values(const blo_state *s, int64_t dim_x, int64_t dim_y, int64_t planned,
                                     GError **error);

/* The context's trace into / out of the blo.trace.* entries (checkpoint_trace.c);
 * the load checks sizes only (blo_checkpoint_check_values checks the rest). */
void     blo_checkpoint_save_trace(const blo_ctx *ctx, blo_state *s);
gboolean blo_checkpoint_load_trace(blo_ctx *ctx, const blo_state *s, GError **error);

G_END_DECLS

#endif
