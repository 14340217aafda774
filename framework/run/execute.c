/* The step loop, the final evaluation and the output files of a run. */
#include "run_private.h"
#include "core/object.h"
#include "ctx_internal.h"
#include "problem_internal.h"
#include "progress.h"
#include "trace_plot.h"
#include "core/common_params.h"
#include "model/run_weights.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <unistd.h>

const char *blo_run_status_name(blo_run_status s)
{
    switch (s) {
    case BLO_RUN_COMPLETED: return "completed";
    case BLO_RUN_INTERRUPTED: return "interrupted";
    case BLO_RUN_FAILED: return "failed";
    }
    return "unknown";
}

static char *out_path(const blo_run *run, const char *file)
{
    return g_build_filename(run->out_dir, file, NULL);
}

static gboolean write_checkpoint(blo_run *run, GError **error)
{
    if (!run->out_dir)
        return TRUE;
    blo_state *s = blo_run_save_state(run, error);
    if (!s)
        return FALSE;
    char *path = out_path(run, BLO_CHECKPOINT_FILE);
    gboolean ok = blo_state_write_file(s, path, error);
    g_free(path);
    blo_state_free(s);
    return ok;
}

/* A completed run whose files are all written leaves no checkpoint behind:
 * --resume would have nothing to do.  One left over is harmless (a resume
 * rewrites the same files), so failing to remove it is a warning. */
static void remove_checkpoint(blo_run *run)
{
    char *path = out_path(run, BLO_CHECKPOINT_FILE);
    if (unlink(path) != 0 && errno != ENOENT)
        blo_ctx_log(run->ctx, "warning: cannot remove '%s': %s", path, g_strerror(errno));
    g_free(path);
}

/* The namespace of a metric instance: its name= (unique in the pipeline,
 * core/metric_names.c), or the component name for a metric built outside one. */
static const char *metric_namespace(const blo_object *m)
{
    const char *name = blo_params_get_string(blo_object_params(m), BLO_COMMON_PARAM_NAME);
    return name && name[0] ? name : blo_object_component(m)->name;
}

/* One metric's numbers into run->metrics as "<name>.<key>", so two metrics
 * (or a metric and the objective) never overwrite each other. */
static gboolean evaluate_metric(blo_run *run, blo_object *m, GError **error)
{
    blo_metrics *own = blo_metrics_new();
    gboolean ok = blo_object_metric(m)->evaluate(blo_object_self(m), run, own, error);
    if (!ok)
        blo_component_prefix_error(error, blo_object_component(m), NULL);
    const char *ns = metric_namespace(m);
    for (guint k = 0; ok && k < blo_metrics_len(own); k++) {
        char *key = g_strdup_printf("%s.%s", ns, blo_metrics_key(own, k));
        blo_metrics_set(run->metrics, key, blo_metrics_value(own, k));
        g_free(key);
    }
    blo_metrics_free(own);
    return ok;
}

/* A NaN or Inf result is never a silent success: each one becomes a warning
 * (results.json "warnings" and a line on stderr). */
static void note_non_finite(blo_run *run)
{
    g_ptr_array_set_size(run->warnings, 0);
    for (guint i = 0; i < blo_metrics_len(run->metrics); i++) {
        double v = blo_metrics_value(run->metrics, i);
        if (isfinite(v))
            continue;
        char *w = g_strdup_printf("%s: non-finite value %s", blo_metrics_key(run->metrics, i),
                                  isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
        blo_ctx_log(run->ctx, "warning: %s", w);
        g_ptr_array_add(run->warnings, w);
    }
}

/* Objective and metric numbers at the current point, then the counters. */
static gboolean evaluate(blo_run *run, gboolean components, GError **error)
{
    blo_metrics_free(run->metrics);
    run->metrics = blo_metrics_new();
    gboolean ok = TRUE;
    if (components && run->objective) {
        const blo_objective_vtable *vt = blo_object_objective(run->objective);
        if (vt->evaluate)
            ok = vt->evaluate(blo_object_self(run->objective), run->x, run->y, run->metrics, error);
    }
    for (guint i = 0; ok && components && i < run->metric_objects->len; i++)
        ok = evaluate_metric(run, g_ptr_array_index(run->metric_objects, i), error);
    if (ok && components)
        note_non_finite(run);
    blo_metrics_set(run->metrics, "iterations", (double)run->iteration);
    if (run->problem) {
        blo_metrics_set(run->metrics, "grad_evals", (double)blo_problem_grad_evals(run->problem));
        blo_metrics_set(run->metrics, "hvp_evals", (double)blo_problem_hvp_evals(run->problem));
    }
    return ok;
}

/* --eval-every: the objective's metrics at the current point, with the solver
 * time so far, into the current trace row.  Runs outside the timed step. */
static gboolean trace_evaluation(blo_run *run, GError **error)
{
    if (!run->objective || !blo_object_objective(run->objective)->evaluate)
        return TRUE;
    blo_metrics *m = blo_metrics_new();
    gboolean ok = blo_object_objective(run->objective)->evaluate(blo_object_self(run->objective),
                                                                 run->x, run->y, m, error);
    if (ok) {
        blo_ctx_trace(run->ctx, "solver_s", run->solver_s);
        for (guint i = 0; i < blo_metrics_len(m); i++)
            blo_ctx_trace(run->ctx, blo_metrics_key(m, i), blo_metrics_value(m, i));
    } else {
        blo_component_prefix_error(error, blo_object_component(run->objective), "evaluate");
    }
    blo_metrics_free(m);
    return ok;
}

/* A step-0 row with the starting point's metrics, so error curves start at t = 0. */
static gboolean trace_start(blo_run *run, GError **error)
{
    if (run->opts.eval_every <= 0 || run->iteration != 0)
        return TRUE;
    blo_ctx_trace_begin_row(run->ctx, 0);
    gboolean ok = trace_evaluation(run, error);
    blo_ctx_trace_end_row(run->ctx);
    return ok;
}

/* The objective's per-step hook (its minibatch draw), inside solver time. */
static gboolean begin_step(blo_run *run, GError **error)
{
    if (!run->problem)
        return TRUE;
    blo_problem_set_iteration(run->problem, run->iteration + 1);
    if (blo_problem_begin_step(run->problem, run->iteration + 1, blo_ctx_rng(run->ctx), error))
        return TRUE;
    blo_component_prefix_error(error, blo_object_component(run->objective), NULL);
    return FALSE;
}

/* The loop; returns how it ended and sets *step_error on failure. */
static blo_run_status step_loop(blo_run *run, GError **step_error)
{
    const blo_solver_vtable *vt = blo_object_solver(run->solver);
    void *self = blo_object_self(run->solver);
    int64_t planned = vt->planned_steps ? vt->planned_steps(self) : -1;
    /* A fresh run checkpoints after its first step (solvers may have no
     * state before it), so a crash or a NaN before the first periodic
     * checkpoint still leaves a good state to resume from. */
    double last_checkpoint = run->resumed ? run->solver_s : -INFINITY;
    blo_progress pr;
    blo_progress_init(&pr, run->opts.progress, run->iteration);
    blo_run_status status = BLO_RUN_COMPLETED;
    if (run->finished) {   /* resumed only to write the outputs a full disk lost */
        blo_progress_finish(&pr, run->ctx);
        return status;
    }
    if (!trace_start(run, step_error)) {
        blo_progress_finish(&pr, run->ctx);
        return BLO_RUN_FAILED;
    }
    char *label = g_strdup_printf("solver:%s", blo_object_component(run->solver)->name);
    blo_ctx_set_label(run->ctx, label);
    for (;;) {
        if (planned >= 0 && run->iteration >= planned)
            break;
        if (blo_ctx_cancelled(run->ctx)) {
            status = BLO_RUN_INTERRUPTED;
            break;
        }
        blo_ctx_trace_begin_row(run->ctx, run->iteration + 1);
        int64_t t0 = g_get_monotonic_time();
        blo_step_status st = begin_step(run, step_error) ? vt->step(self, run, step_error) : BLO_STEP_ERROR;
        run->solver_s += (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;
        if (st == BLO_STEP_ERROR) {
            if (step_error && !*step_error)
                g_set_error(step_error, BLO_ERROR, BLO_ERROR_FAILED, "the solver's step failed");
            char *what = g_strdup_printf("step %" G_GINT64_FORMAT, run->iteration + 1);
            blo_component_prefix_error(step_error, blo_object_component(run->solver), what);
            g_free(what);
            status = BLO_RUN_FAILED;
            break;
        }
        run->iteration++;
        int64_t k = run->opts.eval_every;
        if (k > 0 && (run->iteration % k == 0 || st == BLO_STEP_DONE || run->iteration == planned) &&
            !trace_evaluation(run, step_error)) {
            blo_ctx_trace_end_row(run->ctx);
            status = BLO_RUN_FAILED;
            break;
        }
        blo_ctx_trace_end_row(run->ctx);
        blo_progress_update(&pr, run->ctx, run->iteration, planned, FALSE);
        if (st == BLO_STEP_DONE)
            break;
        if (run->opts.checkpoint_every_s > 0 &&
            run->solver_s - last_checkpoint >= run->opts.checkpoint_every_s) {
            /* A full disk now may have room later: keep stepping (the
             * final checkpoint and results.json report it if it stays full). */
            GError *e = NULL;
            if (!write_checkpoint(run, &e)) {
                blo_ctx_set_label(run->ctx, NULL);   /* the framework's warning, not the solver's */
                blo_ctx_log(run->ctx, "warning: periodic checkpoint not written: %s", e->message);
                blo_ctx_set_label(run->ctx, label);
                g_error_free(e);
            }
            last_checkpoint = run->solver_s;
        }
    }
    blo_progress_update(&pr, run->ctx, run->iteration, planned, TRUE);
    blo_progress_finish(&pr, run->ctx);
    blo_ctx_set_label(run->ctx, NULL);
    g_free(label);
    return status;
}

/* OUT/curves.svg of the per-epoch accuracies, if the trace has them.  A plot
 * is a convenience: failing to draw it is a warning, never a failed run. */
static void write_curves(blo_run *run)
{
    GError *err = NULL;
    if (!blo_run_write_curves(run->out_dir, NULL, &err)) {
        blo_ctx_log(run->ctx, "warning: no %s: %s", BLO_CURVES_FILE, err->message);
        g_error_free(err);
    }
}

/* Append one output's failure to *io (each file is tried, whatever failed before). */
static void note_output(GError **io, GError *e)
{
    if (!e)
        return;
    if (!*io) {
        *io = e;
        return;
    }
    char *both = g_strdup_printf("%s; %s", (*io)->message, e->message);
    g_free((*io)->message);
    (*io)->message = both;
    g_error_free(e);
}

/* The output files, most precious first: the final state (unless the step
 * failed: then the last good checkpoint stays), the weights, the trace, the
 * plot, and results.json last, so it can say what could not be written.
 * Returns the first failure's error with the others appended. */
static GError *write_outputs(blo_run *run, blo_run_status *status, gboolean state_good)
{
    GError *io = NULL, *e = NULL;
    gboolean checkpointed = FALSE;
    if (state_good) {
        checkpointed = write_checkpoint(run, &e);
        note_output(&io, e), e = NULL;
    }
    if (*status == BLO_RUN_COMPLETED && !blo_run_save_weights(run, &e))
        note_output(&io, e), e = NULL;
    if (blo_run_write_trace(run, &e))
        write_curves(run);   /* drawn from trace.csv */
    else
        note_output(&io, e), e = NULL;
    if (io) {
        g_prefix_error(&io, "output incomplete: ");
        char *msg = checkpointed
            ? g_strdup_printf("%s; the final state is in %s: blo-host run --resume %s writes the rest",
                              io->message, BLO_CHECKPOINT_FILE, run->out_dir)
            : g_strdup(io->message);
        g_free(io->message);   /* stderr says what results.json says */
        io->message = g_strdup(msg);
        g_free(run->message);
        run->message = *status == BLO_RUN_FAILED && run->message
            ? g_strdup_printf("%s; and then: %s", run->message, msg) : g_strdup(msg);
        g_free(msg);
        *status = BLO_RUN_FAILED;
    }
    if (!blo_run_write_results(run, *status, &e))
        note_output(&io, e), e = NULL;
    if (!io && *status == BLO_RUN_COMPLETED)
        remove_checkpoint(run);
    return io;
}

/* results.json's message of an interrupted run: who stopped it, and where. */
static char *stop_message(const blo_run *run)
{
    int sig = blo_ctx_stop_signal();
    const char *by = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" : NULL;
    return by ? g_strdup_printf("stopped by %s after step %" G_GINT64_FORMAT, by, run->iteration)
              : g_strdup_printf("cancelled after step %" G_GINT64_FORMAT, run->iteration);
}

blo_run_status blo_run_execute(blo_run *run, GError **error)
{
    GError *failure = NULL;
    blo_run_status status = step_loop(run, &failure);
    /* A failed step leaves the variables suspect (NaN): report the counters
     * only, and keep the last good checkpoint rather than overwrite it. */
    gboolean state_good = status != BLO_RUN_FAILED;
    run->finished = status == BLO_RUN_COMPLETED;
    if (status != BLO_RUN_FAILED && !evaluate(run, TRUE, &failure))
        status = BLO_RUN_FAILED;
    if (status == BLO_RUN_FAILED) {
        evaluate(run, FALSE, NULL);
        g_free(run->message);
        run->message = g_strdup(failure->message);
    }
    if (status == BLO_RUN_INTERRUPTED) {
        g_free(run->message);
        run->message = stop_message(run);
    }
    GError *io = run->out_dir ? write_outputs(run, &status, state_good) : NULL;
    if (!run->out_dir && status == BLO_RUN_COMPLETED && !blo_run_save_weights(run, &failure))
        status = BLO_RUN_FAILED;
    if (failure && io) {
        g_set_error(error, failure->domain, failure->code, "%s; and then: %s", failure->message, io->message);
        g_error_free(failure);
        g_error_free(io);
    } else if (failure || io) {
        g_propagate_error(error, failure ? failure : io);
    }
    return failure || io ? BLO_RUN_FAILED : status;
}
