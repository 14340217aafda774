/* toy-problems: the reported errors vanish at the known solutions, and the
 * prox and projections do what the problems define. */
#include "solver_harness.h"
#include "run/metrics_internal.h"

#include <math.h>

/* Evaluate the run's objective at (x, y); returns the metrics (caller frees). */
static blo_metrics *evaluate_at(blo_run *run, const float *x, const float *y)
{
    blo_object *o = blo_run_objective(run);
    blo_metrics *m = blo_metrics_new();
    GError *error = NULL;
    cr_assert(blo_object_objective(o)->evaluate(blo_object_self(o), x, y, m, &error));
    return m;
}

static double get(const blo_metrics *m, const char *key)
{
    double v;
    cr_assert(blo_metrics_get(m, key, &v), "no %s", key);
    return v;
}

Test(toy, t1_solution)
{
    blo_run *run = harness_new_run("objective:t1 ! solver:meha steps=1");
    float x[1] = { (float)(3 * G_PI / 4) }, y[1] = { (float)(2 + 3 * G_PI / 4) };
    blo_metrics *m = evaluate_at(run, x, y);
    cr_assert_lt(get(m, "x_rel_error"), 1e-6);
    cr_assert_lt(get(m, "y_rel_error"), 1e-6);
    cr_assert_float_eq(get(m, "F"), 0.253749, 1e-5);
    blo_metrics_free(m);
    blo_run_free(run);
}

/* For n > 1 the optimum moves: x* = (2 + n (3pi/2 - 2)) / (1 + n); check it
 * minimises the reduced objective (x-2)^2 + n (3pi/2 - 2 - x)^2 numerically. */
Test(toy, t1_solution_for_n_3)
{
    blo_run *run = harness_new_run("objective:t1 n=3 ! solver:meha steps=1");
    double xs = (2 + 3 * (1.5 * G_PI - 2)) / 4;
    for (int k = -1; k <= 1; k += 2) {
        double a = xs + k * 1e-3, r0 = pow(xs - 2, 2) + 3 * pow(1.5 * G_PI - 2 - xs, 2);
        cr_assert_gt(pow(a - 2, 2) + 3 * pow(1.5 * G_PI - 2 - a, 2), r0);
    }
    float x[1] = { (float)xs }, y[3];
    for (int i = 0; i < 3; i++)
        y[i] = (float)(2 - xs + 1.5 * G_PI);
    blo_metrics *m = evaluate_at(run, x, y);
    cr_assert_lt(get(m, "x_rel_error"), 1e-6);
    cr_assert_lt(get(m, "y_rel_error"), 1e-6);
    blo_metrics_free(m);
    blo_run_free(run);
}

Test(toy, t2_solution_and_boxes)
{
    blo_run *run = harness_new_run("objective:t2 ! solver:meha steps=1");
    float x[1] = { (float)(11 * G_PI / 4) }, y[1] = { -2 };
    blo_metrics *m = evaluate_at(run, x, y);
    cr_assert_lt(get(m, "x_rel_error"), 1e-6);
    cr_assert_eq(get(m, "y_rel_error"), 0);
    blo_metrics_free(m);
    blo_problem *p = blo_run_problem(run, NULL);
    float bx[1] = { 12 }, by[1] = { -3 };
    blo_problem_project_upper(p, bx);
    blo_problem_project_lower(p, by);
    cr_assert_eq(bx[0], 10);
    cr_assert_eq(by[0], -2);
    blo_run_free(run);
}

Test(toy, t3_and_t4_solutions)
{
    blo_run *run = harness_new_run("objective:t3 n=4 ! solver:meha steps=1");
    cr_assert_eq(blo_run_dim_y(run), 8);
    float e[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
    blo_metrics *m = evaluate_at(run, e, e);
    cr_assert_eq(get(m, "x_rel_error"), 0);
    cr_assert_eq(get(m, "y_rel_error"), 0);
    cr_assert_eq(get(m, "F"), 0);
    blo_metrics_free(m);
    blo_run_free(run);

    /* A = 2I, B = D = I: x* = d xh / (b^2/a + d) = 2/3, y* = x* / 2 */
    run = harness_new_run("objective:t4 n=2 a=2 ! solver:meha steps=1");
    float x[2] = { 2.0f / 3, 2.0f / 3 }, y[2] = { 1.0f / 3, 1.0f / 3 };
    m = evaluate_at(run, x, y);
    cr_assert_lt(get(m, "x_rel_error"), 1e-6);
    cr_assert_lt(get(m, "y_rel_error"), 1e-6);
    blo_metrics_free(m);
    blo_run_free(run);
}

Test(toy, t5_solution_set_prox_and_box)
{
    blo_run *run = harness_new_run("objective:t5 n=4 ! solver:meha steps=1");
    /* any x with x_i >= 1/4 on the first half and 0 on the second is optimal */
    float x[4] = { 0.25f, 0.9f, 0, 0 }, y[4] = { 0, 0, -0.25f, -0.25f };
    blo_metrics *m = evaluate_at(run, x, y);
    cr_assert_eq(get(m, "x_rel_error"), 0);
    cr_assert_eq(get(m, "y_rel_error"), 0);
    cr_assert_float_eq(get(m, "F"), -0.5, 1e-7);
    blo_metrics_free(m);
    /* distance to the set, relative to |x_ref| = |(1/4, 1/4, 0, 0)| */
    float off[4] = { 0.15f, 0.25f, 0.1f, 0 };
    m = evaluate_at(run, off, y);
    cr_assert_float_eq(get(m, "x_rel_error"), sqrt(0.01 + 0.01) / sqrt(0.125), 1e-6);
    blo_metrics_free(m);
    blo_problem *p = blo_run_problem(run, NULL);
    float yy[4] = { 1, -1, 0.05f, -0.05f }, w[4] = { 0.5f, 0.5f, 1, 1 };
    blo_problem_prox_lower(p, w, yy, 0.2);   /* soft threshold by 0.2 * w_i */
    const float want[4] = { 0.9f, -0.9f, 0, 0 };
    for (int i = 0; i < 4; i++)
        cr_assert_float_eq(yy[i], want[i], 1e-6, "prox[%d]", i);
    float bx[4] = { -1, 2, 0.5f, 0 };
    blo_problem_project_upper(p, bx);
    cr_assert(bx[0] == 0 && bx[1] == 1 && bx[2] == 0.5f);
    blo_run_free(run);
}

Test(toy, t6_and_t7_reports)
{
    blo_run *run = harness_new_run("objective:t6 ! solver:meha steps=1");
    float x[1] = { 1.2f }, y[1] = { -1.2f };
    blo_metrics *m = evaluate_at(run, x, y);
    cr_assert_lt(get(m, "y_error"), 1e-7);
    cr_assert_float_eq(get(m, "F"), get(m, "F_reduced"), 1e-9);
    /* stationarity against a central difference of the reduced objective */
    double h = 1e-5, xv = 1.2, d;
    double hp = cos(2 - 4 * (xv + h)) / (1 + exp(2 - 4 * (xv + h))) + 0.5 * log(pow(4 * (xv + h) - 2, 2) + 1);
    double hm = cos(2 - 4 * (xv - h)) / (1 + exp(2 - 4 * (xv - h))) + 0.5 * log(pow(4 * (xv - h) - 2, 2) + 1);
    d = (hp - hm) / (2 * h);
    double step = fmin(fmax(xv - d, 0), 3);
    cr_assert_float_eq(get(m, "stationarity"), fabs(xv - step), 1e-4);
    blo_metrics_free(m);
    blo_run_free(run);

    run = harness_new_run("objective:t7 ! solver:meha steps=1");
    float x7[4] = { 0, 0, 0, 0 }, y7[2] = { 1.8f, 0.4f };
    m = evaluate_at(run, x7, y7);
    cr_assert_lt(get(m, "y_dist"), 1e-6);
    cr_assert_float_eq(get(m, "F"), 0.72, 1e-6);
    blo_metrics_free(m);
    blo_run_free(run);
}
