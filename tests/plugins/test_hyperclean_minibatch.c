/* Minibatch hyper-cleaning (objective:hyperclean batch_size=) on a generated
 * Fashion-MNIST fixture: MEHA runs on minibatch hypergradients, is
 * deterministic for a seed, differs from the full-batch run, and a run
 * checkpointed part-way and continued in a fresh run ends bit for bit where
 * the uninterrupted run ends (the minibatch draws come from the run's
 * checkpointed stream).  RHG runs on the same objective. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "pipeline_runner.h"
#include "run/ctx_internal.h"
#include "run/problem_internal.h"
#include "run/run_private.h"
#include "shared_fixture_dir.h"

static char *dir;
static void get_fixture(void) { dir = shared_fixture_dir(); }
static void drop_fixture(void) { g_free(dir); }
TestSuite(hyperclean_minibatch, .init = get_fixture, .fini = drop_fixture, .timeout = 300);

#define STEPS 20
#define MEHA "solver:meha steps=%d eta=0.2 gamma_inv=0.2 c_lower=1 p=0.49 alpha=1000 beta=0.2 trace_every=0"

static char *pipeline(int batch_size, const char *solver)
{
    char *s = g_strdup_printf(solver, STEPS);
    char *text = g_strdup_printf("dataset:fashion-mnist root=%s n_train=600 n_val=300 n_test=200 corrupt=0.5 "
                                 "! learner:linear ! objective:hyperclean batch_size=%d ! %s", dir, batch_size, s);
    g_free(s);
    return text;
}

static blo_run *run_to_end(int batch_size, const char *solver)
{
    GError *err = NULL;
    char *text = pipeline(batch_size, solver);
    blo_run *run = runner_run(text, FALSE, &err);
    cr_assert_not_null(run, "%s: %s", text, err ? err->message : "");
    g_free(text);
    return run;
}

static gboolean same_floats(const float *a, const float *b, int64_t n)
{
    return memcmp(a, b, (size_t)n * sizeof(float)) == 0;
}

static gboolean all_finite(const float *v, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return FALSE;
    return TRUE;
}

Test(hyperclean_minibatch, meha_runs_and_is_deterministic)
{
    blo_run *a = run_to_end(100, MEHA), *b = run_to_end(100, MEHA), *full = run_to_end(0, MEHA);
    cr_expect_eq(runner_metric(a, "iterations"), STEPS);
    cr_assert_eq(blo_run_dim_x(a), 600, "one weight per training item, not per batch item");
    double acc = runner_metric(a, "test_accuracy"), f1 = runner_metric(a, "f1");
    cr_expect(acc > 0.3 && acc <= 1, "the fixture is easy: test accuracy %g", acc);
    cr_expect(f1 >= 0 && f1 <= 1, "f1 %g", f1);
    cr_expect(all_finite(blo_run_x(a), blo_run_dim_x(a)) && all_finite(blo_run_y(a), blo_run_dim_y(a)));
    cr_expect(same_floats(blo_run_x(a), blo_run_x(b), blo_run_dim_x(a)), "same seed, same x");
    cr_expect(same_floats(blo_run_y(a), blo_run_y(b), blo_run_dim_y(a)), "same seed, same y");
    cr_expect_eq(runner_metric(a, "test_accuracy"), runner_metric(b, "test_accuracy"));
    cr_expect_not(same_floats(blo_run_y(a), blo_run_y(full), blo_run_dim_y(a)),
                  "minibatches give another path than the full batch");
    /* a step touches only the weights of its batch items: after 20 steps of
     * 100 of 600, some items were never drawn ((5/6)^20 ~ 2.6%, ~16 items) */
    int untouched = 0;
    for (int64_t i = 0; i < blo_run_dim_x(a); i++)
        untouched += blo_run_x(a)[i] == 0.0f;
    cr_expect(untouched > 0 && untouched < 100, "%d of 600 weights untouched", untouched);
    blo_run_free(a);
    blo_run_free(b);
    blo_run_free(full);
}

/* n solver steps as the run engine takes them: the objective's minibatch
 * draw (begin_step), then the step. */
static void step_n(blo_run *run, int n)
{
    const blo_solver_vtable *vt = blo_object_solver(run->solver);
    for (int i = 0; i < n; i++) {
        GError *err = NULL;
        blo_ctx_trace_begin_row(run->ctx, run->iteration + 1);
        blo_problem_set_iteration(run->problem, run->iteration + 1);
        cr_assert(blo_problem_begin_step(run->problem, run->iteration + 1, blo_ctx_rng(run->ctx), &err), "%s",
                  err ? err->message : "");
        blo_step_status st = vt->step(blo_object_self(run->solver), run, &err);
        cr_assert_neq(st, BLO_STEP_ERROR, "%s", err ? err->message : "");
        blo_ctx_trace_end_row(run->ctx);
        run->iteration++;
    }
}

static void check_resume(const char *solver, int save_at)
{
    blo_run *ref = run_to_end(100, solver);
    char *text = pipeline(100, solver);
    GError *err = NULL;
    blo_run *cut = runner_new(text, FALSE, &err);
    cr_assert_not_null(cut, "%s", err ? err->message : "");
    step_n(cut, save_at);
    blo_state *saved = blo_run_save_state(cut, &err);
    cr_assert_not_null(saved, "%s", err ? err->message : "");
    blo_run_free(cut);

    /* a fresh run (its setup draws a batch of its own) from the saved state,
     * continued by the run engine */
    blo_run *resumed = runner_new(text, FALSE, &err);
    cr_assert_not_null(resumed, "%s", err ? err->message : "");
    cr_assert(blo_run_load_state(resumed, saved, &err), "%s", err ? err->message : "");
    cr_assert_eq(resumed->iteration, save_at);
    resumed = runner_execute(resumed, &err);
    cr_assert_not_null(resumed, "%s", err ? err->message : "");
    cr_expect_eq(runner_metric(resumed, "iterations"), STEPS);
    cr_expect(same_floats(blo_run_x(ref), blo_run_x(resumed), blo_run_dim_x(ref)), "%s: resumed x differs", solver);
    cr_expect(same_floats(blo_run_y(ref), blo_run_y(resumed), blo_run_dim_y(ref)), "%s: resumed y differs", solver);
    cr_expect_eq(runner_metric(ref, "f1"), runner_metric(resumed, "f1"));
    blo_state_free(saved);
    blo_run_free(resumed);
    blo_run_free(ref);
    g_free(text);
}

Test(hyperclean_minibatch, meha_resumed_ends_where_the_uninterrupted_run_ends)
{
    check_resume(MEHA, 7);
}

#define RHG "solver:rhg steps=%d inner_steps=5 inner_lr=0.1 x_lr=10"

Test(hyperclean_minibatch, rhg_runs_on_minibatches)
{
    blo_run *a = run_to_end(100, RHG), *b = run_to_end(100, RHG);
    cr_expect_eq(runner_metric(a, "iterations"), STEPS);
    double acc = runner_metric(a, "test_accuracy"), f = runner_metric(a, "F");
    cr_expect(acc > 0.3 && acc <= 1 && isfinite(f), "test accuracy %g, F %g", acc, f);
    cr_expect(all_finite(blo_run_x(a), blo_run_dim_x(a)) && all_finite(blo_run_y(a), blo_run_dim_y(a)));
    double xmax = 0;
    for (int64_t i = 0; i < blo_run_dim_x(a); i++)
        xmax = fmax(xmax, fabs(blo_run_x(a)[i]));
    cr_expect_gt(xmax, 0.0, "the hypergradient moved x");
    cr_expect(same_floats(blo_run_y(a), blo_run_y(b), blo_run_dim_y(a)), "same seed, same y");
    blo_run_free(a);
    blo_run_free(b);
}

Test(hyperclean_minibatch, rhg_resumed_ends_where_the_uninterrupted_run_ends)
{
    check_resume(RHG, 7);
}
