/* framework (private to framework/run): the run's fields, shared by the
 * files that assemble, step, checkpoint and report it. */
#ifndef BLO_FRAMEWORK_RUN_PRIVATE_H
#define BLO_FRAMEWORK_RUN_PRIVATE_H

#include "run_internal.h"

G_BEGIN_DECLS

struct blo_run {
    blo_ctx *ctx;
    blo_pipeline *pipeline;
    char *canonical;             /* blo_pipeline_to_string() of it */
    blo_run_options opts;        /* out_dir copied below */
    char *out_dir;
    blo_object *dataset, *learner, *objective, *solver, *attack;
    const blo_node *solver_node;
    GPtrArray *metric_objects;   /* blo_object* */
    blo_problem *problem;
    float *x, *y;
    int64_t dim_x, dim_y;
    gboolean upper_ignores_x;   /* from blo_problem_setup */
    gboolean lower_terms_pure;  /* from blo_problem_setup */
    gboolean stochastic;        /* from blo_problem_setup */
    int64_t iteration;
    double solver_s;             /* inside step() only, accumulated over resumes */
    double total_s_before;       /* wall time of earlier sessions (resume) */
    int64_t started_us;          /* g_get_monotonic_time() at blo_run_new */
    char *started_at;            /* ISO 8601 */
    gboolean resumed;
    gboolean finished;           /* the step loop ended (a resume only writes the outputs) */
    struct blo_run_lock *lock;   /* run_folder.h; held while the run exists (with an out dir) */
    blo_metrics *metrics;
    GPtrArray *warnings;         /* char*: "<key>: non-finite value nan" per NaN / Inf metric */
    char *message;               /* failure message for results.json */
};

/* blo_run_new() with the folder's lock already taken (resume); the run
 * takes the lock over (released on error). */
blo_run   *blo_run_new_locked(blo_pipeline *pipeline, const blo_run_options *opts, struct blo_run_lock *lock,
                              GError **error);
/* Put the run's full state into a checkpoint / take it back (run_state.c). */
blo_state *blo_run_save_state(blo_run *run, GError **error);
gboolean   blo_run_load_state(blo_run *run, const blo_state *state, GError **error);
/* Fill run->y from the learner's weights= file (weights.c; the reader is still to come). */
gboolean   blo_run_load_learner_weights(blo_run *run, const char *path, GError **error);
/* Write results.json and trace.csv into the out dir (results.c). */
gboolean   blo_run_write_results(blo_run *run, blo_run_status status, GError **error);
gboolean   blo_run_write_trace(blo_run *run, GError **error);

G_END_DECLS

#endif
