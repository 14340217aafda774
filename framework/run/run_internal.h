/* framework (private): assembling and executing a pipeline.
 *
 * A run owns its resolved pipeline, the component instances, the variables
 * x and y, and the problem.  blo_run_execute() steps the solver until it is
 * done, spends its planned steps, fails, or is cancelled, then evaluates and
 * (with an out dir) writes results.json, trace.csv and, when interrupted,
 * checkpoint.blo.
 */
#ifndef BLO_FRAMEWORK_RUN_INTERNAL_H
#define BLO_FRAMEWORK_RUN_INTERNAL_H

#include <blo/blo.h>
#include "core/pipeline.h"
#include "metrics_internal.h"
#include "state_internal.h"

G_BEGIN_DECLS

#define BLO_RESULTS_FILE "results.json"
#define BLO_TRACE_FILE "trace.csv"
#define BLO_CHECKPOINT_FILE "checkpoint.blo"
#define BLO_DEFAULT_CHECKPOINT_EVERY_S 60.0

typedef enum {
    BLO_RUN_COMPLETED,
    BLO_RUN_INTERRUPTED,
    BLO_RUN_FAILED,
} blo_run_status;

typedef struct blo_run_options {
    uint64_t seed;
    int threads;                 /* <= 0: all online CPUs */
    const char *out_dir;         /* NULL: write nothing */
    double checkpoint_every_s;   /* solver seconds between checkpoints; <= 0 never */
    gboolean progress;           /* draw the progress line on stderr */
    int64_t eval_every;          /* > 0: every K steps (and at step 0 and the last step) put the
                                  * objective's evaluate() metrics and the elapsed "solver_s" into
                                  * the trace; the evaluation's time is not solver time */
    const char *save_weights;    /* NULL, or where a completed run writes y (framework/model;
                                  * not copied: must outlive the run) */
} blo_run_options;

/* Assemble a resolved pipeline (taken over, freed with the run or on error):
 * instantiate components, load the dataset, set up learner and objective,
 * initialise x and y, create the problem, create and init the solver.
 * Composition errors (two solvers, none, ...) are BLO_ERROR_UNSUPPORTED. */
blo_run *blo_run_new(blo_pipeline *pipeline, const blo_run_options *opts, GError **error);
/* Read DIR/checkpoint.blo, re-resolve its pipeline against `registry`, rebuild
 * the run with the checkpoint's seed and threads and restore its state. */
blo_run *blo_run_resume(const char *dir, const blo_registry *registry, const blo_run_options *opts,
                        GError **error);
void     blo_run_free(blo_run *run);

/* Step, evaluate, write outputs.  The status says how the loop ended; on
 * BLO_RUN_FAILED the error is set too.  An error writing the output files
 * (disk full) is returned as BLO_RUN_FAILED with BLO_ERROR_IO. */
blo_run_status blo_run_execute(blo_run *run, GError **error);
/* Metrics of the last execute (NULL before). */
const blo_metrics *blo_run_metrics(const blo_run *run);
const char *blo_run_status_name(blo_run_status s);
/* Warnings of the last execute: one per NaN / Inf number the objective or a
 * metric reported ("<key>: non-finite value nan"); a completed run with
 * warnings is still BLO_RUN_COMPLETED (blo-host exits with 3). */
guint       blo_run_n_warnings(const blo_run *run);
const char *blo_run_warning(const blo_run *run, guint i);
/* Seconds spent inside the solver's step() (what results.json calls solver_s). */
double blo_run_solver_seconds(const blo_run *run);

/* Peak resident memory of the process (results.json "peak_rss_bytes"), -1 if
 * unknown; the reset lowers the high-water mark to the current size
 * (/proc/self/clear_refs, Linux) so the next peak is one run's; FALSE when the
 * system does not allow it and the peak stays the process's so far. */
int64_t  blo_peak_rss_bytes(void);
gboolean blo_peak_rss_reset(void);

G_END_DECLS

#endif
