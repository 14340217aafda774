/* MEHA with each reference pipeline's settings (issue 4, must show 1 and 3). */
#include "solver_harness.h"

#include <math.h>

static blo_run *solve_reference(const char *name)
{
    char *text = harness_pipeline_text(name, NULL, NULL);
    blo_run *run = harness_solve(text);
    g_free(text);
    return run;
}

/* No Hessian-vector product and at most 4 gradient evaluations per iteration. */
static void assert_first_order_budget(blo_run *run)
{
    double it = harness_metric(run, "iterations");
    cr_assert_gt(it, 0);
    cr_assert_eq(harness_metric(run, "hvp_evals"), 0);
    cr_assert_leq(harness_metric(run, "grad_evals"), 4 * it, "%g gradient evaluations in %g iterations",
                  harness_metric(run, "grad_evals"), it);
}

Test(meha, t1_reaches_global_solution_from_minus_6)
{
    blo_run *run = solve_reference("meha-t1.blo");
    double x = blo_run_x(run)[0];
    cr_assert_lt(fabs(x - 3 * G_PI / 4), 1e-3, "x = %.7f, x* = %.7f", x, 3 * G_PI / 4);
    cr_assert_lt(fabs(harness_metric(run, "F") - 0.253749), 2e-3);
    assert_first_order_budget(run);
    blo_run_free(run);
}

Test(meha, t3_converges_and_does_not_diverge_later)
{
    blo_run *run = solve_reference("meha-t3.blo");
    cr_assert_eq(harness_metric(run, "iterations"), 5000);
    cr_assert_lt(harness_metric(run, "x_rel_error"), 1e-3);
    cr_assert_lt(harness_metric(run, "y_rel_error"), 1e-3);
    assert_first_order_budget(run);
    blo_run_free(run);

    /* the same settings run four times longer stay converged */
    char *longer = harness_pipeline_text("meha-t3.blo", "steps=5000", "steps=20000");
    run = harness_solve(longer);
    cr_assert_eq(harness_metric(run, "iterations"), 20000);
    cr_assert_lt(harness_metric(run, "x_rel_error"), 1e-3);
    cr_assert_lt(harness_metric(run, "y_rel_error"), 1e-3);
    blo_run_free(run);
    g_free(longer);
}

Test(meha, t5_nonsmooth_reaches_solution_set)
{
    blo_run *run = solve_reference("meha-t5.blo");
    int64_t n = blo_run_dim_x(run);
    const float *x = blo_run_x(run);
    cr_assert_eq(n, 1000);
    cr_assert_lt(fabs(harness_metric(run, "F") + 0.5), 1e-2, "F = %g", harness_metric(run, "F"));
    double dist2 = 0;
    for (int64_t i = 0; i < n; i++) {
        cr_assert(x[i] >= 0.0f && x[i] <= 1.0f, "x[%" G_GINT64_FORMAT "] = %g outside [0, 1]", i, x[i]);
        double d = i < n / 2 ? fmax(1.0 / n - x[i], 0.0) : x[i];   /* distance to the solution set */
        dist2 += d * d;
    }
    cr_assert_lt(sqrt(dist2), 1e-2, "distance to the solution set %g", sqrt(dist2));
    cr_assert_lt(harness_metric(run, "x_rel_error"), 1e-2);
    assert_first_order_budget(run);
    blo_run_free(run);
}

Test(meha, t4_quadratic_n100)
{
    blo_run *run = solve_reference("meha-t4.blo");
    cr_assert_eq(blo_run_dim_x(run), 100);
    cr_assert_lt(harness_metric(run, "x_rel_error"), 1e-3);
    assert_first_order_budget(run);
    blo_run_free(run);
}

/* Exactly four reverse passes per iteration, also with the nonsmooth part. */
Test(meha, one_iteration_costs_four_gradient_evaluations)
{
    const char *const pipelines[] = {
        "objective:t4 n=5 ! solver:meha steps=1",
        "objective:t5 n=10 ! solver:meha steps=1",
        "objective:t5 n=10 ! solver:meha steps=7",
    };
    const double iters[] = { 1, 1, 7 };
    for (size_t i = 0; i < G_N_ELEMENTS(pipelines); i++) {
        blo_run *run = harness_solve(pipelines[i]);
        cr_assert_eq(harness_metric(run, "grad_evals"), 4 * iters[i], "%s", pipelines[i]);
        cr_assert_eq(harness_metric(run, "hvp_evals"), 0, "%s", pipelines[i]);
        blo_run_free(run);
    }
}

/* Every reference pipeline is first order; T2, T6 and T7 (no must-show target)
 * still reach what their pipeline comments claim. */
Test(meha, every_reference_pipeline_is_first_order)
{
    static const struct { const char *metric; double below; } claims[8] = {
        [2] = { "x_rel_error", 1e-3 }, [6] = { "stationarity", 5e-3 }, [7] = { "y_dist", 1e-2 },
    };
    for (int k = 1; k <= 7; k++) {
        char name[32];
        g_snprintf(name, sizeof name, "meha-t%d.blo", k);
        blo_run *run = solve_reference(name);
        assert_first_order_budget(run);
        if (claims[k].metric)
            cr_assert_lt(harness_metric(run, claims[k].metric), claims[k].below, "%s: %s = %g", name,
                         claims[k].metric, harness_metric(run, claims[k].metric));
        blo_run_free(run);
    }
}

Test(meha, tol_stops_early)
{
    blo_run *run = harness_solve("objective:t4 n=10 ! solver:meha steps=100000 eta=0.5 c_lower=20 alpha=2 beta=0.5 tol=1e-7");
    cr_assert_lt(harness_metric(run, "iterations"), 100000);
    blo_run_free(run);
}

Test(meha, gamma_overrides_gamma_inv)
{
    blo_run *a = harness_solve("objective:t4 n=10 ! solver:meha steps=50 gamma=4 gamma_inv=3");
    blo_run *b = harness_solve("objective:t4 n=10 ! solver:meha steps=50 gamma_inv=0.25");
    /* gamma=0 as written by the canonical dump means "use gamma_inv" */
    blo_run *c = harness_solve("objective:t4 n=10 ! solver:meha steps=50 gamma=0 gamma_inv=0.25");
    cr_assert_eq(harness_metric(a, "x_rel_error"), harness_metric(b, "x_rel_error"));
    cr_assert_eq(harness_metric(c, "x_rel_error"), harness_metric(b, "x_rel_error"));
    blo_run_free(a);
    blo_run_free(b);
    blo_run_free(c);
}
