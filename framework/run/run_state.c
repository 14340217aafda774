/* The run's checkpoint: everything needed to continue bit-for-bit. */
#include "run_private.h"
#include "core/object.h"
#include "ctx_internal.h"
#include "problem_internal.h"

#include <string.h>

/* Framework entries; solvers' own entries must not start with "blo.". */
#define K_PIPELINE "blo.pipeline"
#define K_SEED "blo.seed"
#define K_THREADS "blo.threads"
#define K_ITERATION "blo.iteration"
#define K_RNG "blo.rng"
#define K_X "blo.x"
#define K_Y "blo.y"
#define K_GRAD_EVALS "blo.grad_evals"
#define K_HVP_EVALS "blo.hvp_evals"
#define K_SOLVER_S "blo.solver_s"
#define K_TOTAL_S "blo.total_s"
#define K_TRACE_KEYS "blo.trace.keys"      /* NUL-terminated names, concatenated */
#define K_TRACE_STEPS "blo.trace.steps"    /* int64 per row */
#define K_TRACE_VALUES "blo.trace.values"  /* double per row and key */

static void save_trace(const blo_ctx *ctx, blo_state *s)
{
    guint n_keys = blo_ctx_trace_n_keys(ctx), n_rows = blo_ctx_trace_n_rows(ctx);
    GString *keys = g_string_new(NULL);
    for (guint c = 0; c < n_keys; c++)
        g_string_append_len(keys, blo_ctx_trace_key(ctx, c), (gssize)strlen(blo_ctx_trace_key(ctx, c)) + 1);
    int64_t *steps = g_new(int64_t, n_rows ? n_rows : 1);
    double *values = g_new(double, (size_t)n_rows * n_keys + 1);
    for (guint r = 0; r < n_rows; r++) {
        steps[r] = blo_ctx_trace_step(ctx, r);
        for (guint c = 0; c < n_keys; c++)
            values[(size_t)r * n_keys + c] = blo_ctx_trace_value(ctx, r, c);
    }
    blo_state_put_bytes(s, K_TRACE_KEYS, keys->str, keys->len);
    blo_state_put_bytes(s, K_TRACE_STEPS, steps, n_rows * sizeof *steps);
    blo_state_put_bytes(s, K_TRACE_VALUES, values, (size_t)n_rows * n_keys * sizeof *values);
    g_string_free(keys, TRUE);
    g_free(steps);
    g_free(values);
}

static gboolean load_trace(blo_ctx *ctx, const blo_state *s, GError **error)
{
    size_t keys_len = 0, steps_len = 0, values_len = 0;
    const char *keys = blo_state_peek(s, K_TRACE_KEYS, &keys_len);
    const int64_t *steps = blo_state_peek(s, K_TRACE_STEPS, &steps_len);
    const double *values = blo_state_peek(s, K_TRACE_VALUES, &values_len);
    if (!keys || !steps || !values || (keys_len && keys[keys_len - 1] != '\0')) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "checkpoint has no usable trace entries");
        return FALSE;
    }
    GPtrArray *names = g_ptr_array_new();
    for (size_t off = 0; off < keys_len; off += strlen(keys + off) + 1)
        g_ptr_array_add(names, (gpointer)(keys + off));
    guint n_rows = (guint)(steps_len / sizeof *steps);
    gboolean ok = steps_len % sizeof *steps == 0 &&
                  values_len == (size_t)n_rows * names->len * sizeof *values;
    if (ok)
        blo_ctx_trace_restore(ctx, (const char *const *)names->pdata, names->len, steps, values, n_rows);
    else
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                    "checkpoint trace sizes do not match (%zu step bytes, %zu value bytes, %u keys)",
                    steps_len, values_len, names->len);
    g_ptr_array_free(names, TRUE);
    return ok;
}

blo_state *blo_run_save_state(blo_run *run, GError **error)
{
    blo_state *s = blo_state_new();
    blo_state_put_bytes(s, K_PIPELINE, run->canonical, strlen(run->canonical));
    blo_state_put_int(s, K_SEED, (int64_t)blo_ctx_seed(run->ctx));
    blo_state_put_int(s, K_THREADS, blo_ctx_threads(run->ctx));
    blo_state_put_int(s, K_ITERATION, run->iteration);
    blo_state_put_bytes(s, K_RNG, blo_ctx_rng(run->ctx), sizeof(blo_rng));
    blo_state_put_floats(s, K_X, run->x, (size_t)run->dim_x);
    blo_state_put_floats(s, K_Y, run->y, (size_t)run->dim_y);
    blo_state_put_int(s, K_GRAD_EVALS, run->problem ? blo_problem_grad_evals(run->problem) : 0);
    blo_state_put_int(s, K_HVP_EVALS, run->problem ? blo_problem_hvp_evals(run->problem) : 0);
    blo_state_put_double(s, K_SOLVER_S, run->solver_s);
    blo_state_put_double(s, K_TOTAL_S, run->total_s_before +
                         (double)(g_get_monotonic_time() - run->started_us) / G_USEC_PER_SEC);
    save_trace(run->ctx, s);
    const blo_solver_vtable *vt = blo_object_solver(run->solver);
    if (vt->save_state && !vt->save_state(blo_object_self(run->solver), s, error)) {
        blo_component_prefix_error(error, blo_object_component(run->solver), "saving its state");
        blo_state_free(s);
        return NULL;
    }
    return s;
}

gboolean blo_run_load_state(blo_run *run, const blo_state *s, GError **error)
{
    int64_t iteration, grad_evals, hvp_evals;
    blo_rng rng;
    if (!blo_state_get_int(s, K_ITERATION, &iteration, error) ||
        !blo_state_get_bytes(s, K_RNG, &rng, sizeof rng, error) ||
        !blo_state_get_floats(s, K_X, run->x, (size_t)run->dim_x, error) ||
        !blo_state_get_floats(s, K_Y, run->y, (size_t)run->dim_y, error) ||
        !blo_state_get_int(s, K_GRAD_EVALS, &grad_evals, error) ||
        !blo_state_get_int(s, K_HVP_EVALS, &hvp_evals, error) ||
        !blo_state_get_double(s, K_SOLVER_S, &run->solver_s, error) ||
        !blo_state_get_double(s, K_TOTAL_S, &run->total_s_before, error) ||
        !load_trace(run->ctx, s, error))
        return FALSE;
    run->iteration = iteration;
    *blo_ctx_rng(run->ctx) = rng;
    if (run->problem)
        blo_problem_set_counters(run->problem, grad_evals, hvp_evals);
    const blo_solver_vtable *vt = blo_object_solver(run->solver);
    if (vt->load_state && !vt->load_state(blo_object_self(run->solver), s, error)) {
        blo_component_prefix_error(error, blo_object_component(run->solver), "restoring its state");
        return FALSE;
    }
    return TRUE;
}

blo_run *blo_run_resume(const char *dir, const blo_registry *registry, const blo_run_options *opts,
                        GError **error)
{
    char *path = g_build_filename(dir, BLO_CHECKPOINT_FILE, NULL);
    blo_state *s = NULL;
    blo_run *run = NULL;
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_IO,
                    "no %s in '%s' to resume from (a completed run removes it)", BLO_CHECKPOINT_FILE, dir);
        goto out;
    }
    if (!(s = blo_state_read_file(path, error)))
        goto out;
    size_t len = 0;
    const char *text = blo_state_peek(s, K_PIPELINE, &len);
    int64_t seed, threads;
    if (!text) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "checkpoint '%s' has no pipeline", path);
        goto out;
    }
    if (!blo_state_get_int(s, K_SEED, &seed, error) || !blo_state_get_int(s, K_THREADS, &threads, error)) {
        g_prefix_error(error, "%s: ", path);
        goto out;
    }
    char *pipeline_text = g_strndup(text, len);
    blo_pipeline *p = blo_pipeline_parse(pipeline_text, error);
    g_free(pipeline_text);
    if (!p || !blo_pipeline_resolve(p, registry, error)) {
        g_prefix_error(error, "pipeline of checkpoint '%s': ", path);
        if (p)
            blo_pipeline_free(p);
        goto out;
    }
    blo_run_options o = *opts;
    o.seed = (uint64_t)seed;
    o.threads = (int)threads;
    o.out_dir = dir;
    run = blo_run_new(p, &o, error);
    if (run && !blo_run_load_state(run, s, error)) {
        g_prefix_error(error, "%s: ", path);
        blo_run_free(run);
        run = NULL;
    }
    if (run)
        run->resumed = TRUE;
out:
    blo_state_free(s);
    g_free(path);
    return run;
}
