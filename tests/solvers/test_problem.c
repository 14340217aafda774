/* framework/run/problem.c: values, gradients, Hessian-vector and mixed products
 * against closed forms, evaluation counters and NaN reporting. */
#include "solver_harness.h"

#include <math.h>
#include <string.h>

#include "run/problem_internal.h"

static blo_problem *problem_of(blo_run *run)
{
    GError *error = NULL;
    blo_problem *p = blo_run_problem(run, &error);
    cr_assert_not_null(p, "%s", error ? error->message : "");
    return p;
}

static void assert_vec(const float *got, const double *want, int n, double tol, const char *what)
{
    for (int i = 0; i < n; i++)
        cr_assert(fabs(got[i] - want[i]) <= tol, "%s[%d] = %.7g, expected %.7g", what, i, got[i], want[i]);
}

/* T4 with A = B = D = I: F = 1/2|y|^2 + 1/2|x - e|^2, f = 1/2|y|^2 - x.y. */
Test(problem, t4_gradients_and_second_order_closed_form)
{
    blo_run *run = harness_new_run("objective:t4 n=3 ! solver:meha steps=1");
    blo_problem *p = problem_of(run);
    float x[3] = { 1, 2, 3 }, y[3] = { 0.5f, -1, 2 }, v[3] = { 1, -2, 0.25f };
    float gx[3], gy[3], hyy[3], hxy[3];
    double val;
    GError *error = NULL;
    cr_assert(blo_problem_upper(p, x, y, &val, gx, gy, &error));
    cr_assert_float_eq(val, 0.5 * (0.25 + 1 + 4) + 0.5 * (0 + 1 + 4), 1e-5);
    assert_vec(gx, (double[]){ 0, 1, 2 }, 3, 1e-6, "dF/dx");
    assert_vec(gy, (double[]){ 0.5, -1, 2 }, 3, 1e-6, "dF/dy");
    cr_assert(blo_problem_lower(p, x, y, &val, gx, gy, &error));
    cr_assert_float_eq(val, 0.5 * 5.25 - (0.5 - 2 + 6), 1e-5);
    assert_vec(gx, (double[]){ -0.5, 1, -2 }, 3, 1e-6, "df/dx");
    assert_vec(gy, (double[]){ -0.5, -3, -1 }, 3, 1e-6, "df/dy");
    cr_assert(blo_problem_lower_hvp(p, x, y, v, hyy, hxy, &error), "%s", error ? error->message : "");
    assert_vec(hyy, (double[]){ 1, -2, 0.25 }, 3, 1e-6, "d2f/dy2 v");
    assert_vec(hxy, (double[]){ -1, 2, -0.25 }, 3, 1e-6, "d2f/dxdy v");
    /* 0.3 F + 0.7 f: hyy = v, hxy = -0.7 v */
    cr_assert(blo_problem_hvp(p, x, y, v, 0.3, 0.7, hyy, hxy, &error));
    assert_vec(hyy, (double[]){ 1, -2, 0.25 }, 3, 1e-6, "weighted hyy");
    assert_vec(hxy, (double[]){ -0.7, 1.4, -0.175 }, 3, 1e-6, "weighted hxy");
    /* one pass of 0.5 F + f equals the weighted sum of the separate gradients */
    cr_assert(blo_problem_eval(p, x, y, 0.5, 1, 0, &val, gx, gy, &error));
    assert_vec(gx, (double[]){ -0.5, 1.5, -1 }, 3, 1e-6, "d(F/2 + f)/dx");
    assert_vec(gy, (double[]){ -0.25, -3.5, 0 }, 3, 1e-6, "d(F/2 + f)/dy");
    blo_run_free(run);
}

/* blo_problem_setup.upper_ignores_x (set by objective:hyperclean) leaves F out
 * of requests for the x-gradient alone.  Forced on T4, whose F does depend on
 * x, the dropped term shows: x-only requests give df/dx, requests that also
 * want the value or gy keep F. */
Test(problem, upper_ignores_x_drops_F_from_x_only_requests)
{
    blo_run *run = harness_new_run("objective:t4 n=3 ! solver:meha steps=1");
    blo_problem *p = problem_of(run);
    blo_problem_set_upper_ignores_x(p, TRUE);
    float x[3] = { 1, 2, 3 }, y[3] = { 0.5f, -1, 2 }, gx[3], gy[3];
    double val;
    GError *error = NULL;
    cr_assert(blo_problem_eval(p, x, y, 0.5, 1, 0, NULL, gx, NULL, &error), "%s", error ? error->message : "");
    assert_vec(gx, (double[]){ -0.5, 1, -2 }, 3, 1e-6, "x-only request: df/dx");
    cr_assert(blo_problem_eval(p, x, y, 0.5, 1, 0, &val, gx, gy, &error));
    assert_vec(gx, (double[]){ -0.5, 1.5, -1 }, 3, 1e-6, "with value and gy: d(F/2 + f)/dx");
    cr_assert(blo_problem_upper(p, x, y, NULL, gx, NULL, &error), "%s", error ? error->message : "");
    assert_vec(gx, (double[]){ 0, 0, 0 }, 3, 0, "x-only request of F alone: zero");
    blo_run_free(run);
}

/* T3: f = 1/2|y1|^2 - x.y1 is flat in y2, so the Hessian is singular. */
Test(problem, t3_singular_hessian)
{
    blo_run *run = harness_new_run("objective:t3 n=2 ! solver:meha steps=1");
    blo_problem *p = problem_of(run);
    float x[2] = { 1, 2 }, y[4] = { 3, 4, 5, 6 }, v[4] = { 1, 2, 3, 4 }, hyy[4], hxy[2];
    cr_assert(blo_problem_lower_hvp(p, x, y, v, hyy, hxy, NULL));
    assert_vec(hyy, (double[]){ 1, 2, 0, 0 }, 4, 1e-6, "hyy");
    assert_vec(hxy, (double[]){ -1, -2 }, 2, 1e-6, "hxy");
    blo_run_free(run);
}

/* T1: f = sin(x + y - 2), d2f/dy2 = d2f/dxdy = -sin(x + y - 2). */
Test(problem, t1_nonconvex_second_order)
{
    blo_run *run = harness_new_run("objective:t1 ! solver:meha steps=1");
    blo_problem *p = problem_of(run);
    float x[1] = { 0.3f }, y[1] = { 1.1f }, v[1] = { 2 }, hyy[1], hxy[1];
    double s = sin(0.3 + 1.1 - 2);
    cr_assert(blo_problem_lower_hvp(p, x, y, v, hyy, hxy, NULL));
    cr_assert_float_eq(hyy[0], -2 * s, 1e-5);
    cr_assert_float_eq(hxy[0], -2 * s, 1e-5);
    blo_run_free(run);
}

Test(problem, counters_count_reverse_passes_only)
{
    blo_run *run = harness_new_run("objective:t5 n=4 ! solver:meha steps=1");
    blo_problem *p = problem_of(run);
    float x[4] = { 0.1f, 0.2f, 0.3f, 0.4f }, y[4] = { 1, -2, 0, 3 }, gx[4], gy[4], hyy[4], hxy[4];
    double val;
    int64_t g0 = blo_problem_grad_evals(p), h0 = blo_problem_hvp_evals(p);
    cr_assert(blo_problem_upper(p, x, y, &val, NULL, NULL, NULL));           /* value only */
    cr_assert_eq(blo_problem_grad_evals(p), g0);
    cr_assert(blo_problem_upper(p, x, y, &val, gx, gy, NULL));
    cr_assert(blo_problem_lower(p, x, y, NULL, NULL, gy, NULL));
    cr_assert(blo_problem_has_nonsmooth(p));
    cr_assert(blo_problem_nonsmooth(p, x, y, &val, gx, NULL));
    cr_assert_float_eq(val, 0.1 + 0.4 + 0 + 1.2, 1e-6);
    assert_vec(gx, (double[]){ 1, 2, 0, 3 }, 4, 1e-6, "dg/dx = |y|");
    cr_assert_eq(blo_problem_grad_evals(p), g0 + 3);
    cr_assert(blo_problem_lower_hvp(p, x, y, y, hyy, hxy, NULL));
    cr_assert_eq(blo_problem_hvp_evals(p), h0 + 1);
    cr_assert_eq(blo_problem_grad_evals(p), g0 + 3);
    blo_run_free(run);
}

Test(problem, nan_is_a_numeric_error_naming_the_quantity)
{
    blo_run *run = harness_new_run("objective:t4 n=2 ! solver:meha steps=1");
    blo_problem *p = problem_of(run);
    float x[2] = { NAN, 0 }, y[2] = { 0, 0 }, gx[2], gy[2];
    GError *error = NULL;
    cr_assert_not(blo_problem_upper(p, x, y, NULL, gx, gy, &error));
    cr_assert(g_error_matches(error, BLO_ERROR, BLO_ERROR_NUMERIC));
    cr_assert_not_null(strstr(error->message, "of F"), "%s", error->message);
    g_clear_error(&error);
    float xi[2] = { INFINITY, 0 };
    cr_assert_not(blo_problem_lower(p, x, y, NULL, gx, NULL, &error));
    cr_assert(g_error_matches(error, BLO_ERROR, BLO_ERROR_NUMERIC));
    cr_assert_not_null(strstr(error->message, "of f"), "%s", error->message);
    g_clear_error(&error);
    cr_assert_not(blo_problem_lower(p, xi, y, NULL, gx, NULL, &error));
    g_clear_error(&error);
    blo_run_free(run);
}

Test(problem, nan_during_a_run_names_the_iteration)
{
    GError *error = NULL;
    /* a far too large step makes T4 overflow within a few iterations */
    blo_run *run = harness_new_run("objective:t4 n=2 ! solver:meha steps=1000 alpha=1e6 beta=1e6");
    cr_assert_eq(blo_run_execute(run, &error), BLO_RUN_FAILED);
    cr_assert(g_error_matches(error, BLO_ERROR, BLO_ERROR_NUMERIC), "%s", error ? error->message : "");
    cr_assert_not_null(strstr(error->message, "iteration"), "%s", error->message);
    g_clear_error(&error);
    blo_run_free(run);
}
