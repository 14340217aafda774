/* The known behaviours of the solvers side by side (issue 4, must show 2). */
#include "solver_harness.h"

/* T4 (n = 100): every solver within its documented budget.  Budgets
 * (outer steps x inner steps) are the solvers' pipelines below. */
static const char *const t4_solvers[] = {
    "solver:meha steps=3000 eta=0.5 gamma_inv=0.2 c_lower=20 p=0.49 alpha=2 beta=0.5",
    "solver:rhg steps=200 inner_steps=20 inner_lr=0.5 x_lr=0.5",
    "solver:t-rhg steps=200 inner_steps=20 inner_lr=0.5 truncate=10 x_lr=0.5",
    "solver:cg steps=200 inner_steps=20 inner_lr=0.5 cg_steps=10 x_lr=0.5",
    "solver:neumann steps=200 inner_steps=20 inner_lr=0.5 neumann_steps=20 neumann_lr=0.5 x_lr=0.5",
    "solver:bda steps=200 inner_steps=20 inner_lr=0.5 mu=0.1 x_lr=0.5",
    "solver:darts-fd steps=200 inner_steps=20 inner_lr=0.5 xi=1 x_lr=0.5",
    "solver:iaptt-gm steps=200 inner_steps=20 inner_lr=0.5 x_lr=0.5",
    "solver:bome steps=500 inner_steps=10 inner_lr=0.5 eta=0.5 x_lr=0.5 y_lr=0.5",
    "solver:v-pbgd steps=1000 inner_steps=10 inner_lr=0.9 penalty=100 x_lr=0.009 y_lr=0.009",
};

Test(compare, t4_every_solver_within_budget)
{
    for (size_t i = 0; i < G_N_ELEMENTS(t4_solvers); i++) {
        char *text = g_strdup_printf("objective:t4 n=100 ! %s", t4_solvers[i]);
        blo_run *run = harness_solve(text);
        double e = harness_metric(run, "x_rel_error");
        cr_assert_lt(e, 1e-2, "%s: x_rel_error %g", t4_solvers[i], e);
        blo_run_free(run);
        g_free(text);
    }
}

/* T3 from x = y = 0.01: the lower level is flat in y2, so methods that assume a
 * unique lower solution keep y2 at 0.01 and settle at x = (e + 0.01)/2. */
Test(compare, t3_unique_solution_methods_fail_bda_and_meha_succeed)
{
    static const char *const failing[] = {
        "solver:rhg steps=200 inner_steps=20 inner_lr=0.5 x_lr=0.5",
        "solver:cg steps=200 inner_steps=20 inner_lr=0.5 damping=1e-3 x_lr=0.5",
        "solver:neumann steps=200 inner_steps=20 inner_lr=0.5 neumann_lr=0.5 x_lr=0.5",
    };
    static const char *const succeeding[] = {
        "solver:bda steps=200 inner_steps=20 inner_lr=0.5 mu=0.5 x_lr=0.5",
        "solver:meha steps=5000 eta=0.1 gamma_inv=0.2 c_lower=0.6 p=0.49 alpha=0.1 beta=0.1",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(failing) + G_N_ELEMENTS(succeeding); i++) {
        gboolean fails = i < G_N_ELEMENTS(failing);
        const char *s = fails ? failing[i] : succeeding[i - G_N_ELEMENTS(failing)];
        char *text = g_strdup_printf("objective:t3 n=10 x0=0.01 y0=0.01 ! %s", s);
        blo_run *run = harness_solve(text);
        double e = harness_metric(run, "x_rel_error");
        if (fails)
            cr_assert_gt(e, 0.1, "%s: x_rel_error %g", s, e);
        else
            cr_assert_lt(e, 1e-2, "%s: x_rel_error %g", s, e);
        blo_run_free(run);
        g_free(text);
    }
}

/* Second-order methods report their Hessian-vector products. */
Test(compare, second_order_methods_count_hvps)
{
    blo_run *run = harness_solve("objective:t4 n=10 ! solver:rhg steps=3 inner_steps=4");
    /* per outer step: 4 inner gradients + 1 upper gradient + 1 for the trace value (not counted) */
    cr_assert_eq(harness_metric(run, "hvp_evals"), 3 * 4);
    cr_assert_eq(harness_metric(run, "grad_evals"), 3 * (4 + 1));
    blo_run_free(run);
    run = harness_solve("objective:t4 n=10 ! solver:t-rhg steps=3 inner_steps=4 truncate=2");
    cr_assert_eq(harness_metric(run, "hvp_evals"), 3 * 2);
    blo_run_free(run);
}
