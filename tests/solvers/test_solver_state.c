/* save_state / load_state: a solver stopped half-way and restored into a fresh
 * run continues exactly as an uninterrupted one. */
#include "solver_harness.h"

#include <string.h>

static void assert_resume_matches(const char *text, int64_t total, int64_t first)
{
    GError *error = NULL;
    blo_run *whole = harness_new_run(text);
    harness_steps(whole, total);

    blo_run *a = harness_new_run(text);
    harness_steps(a, first);
    blo_state *state = blo_state_new();
    cr_assert(blo_object_solver(a->solver)->save_state(blo_object_self(a->solver), state, &error),
              "%s", error ? error->message : "");

    blo_run *b = harness_new_run(text);
    memcpy(b->x, a->x, (size_t)a->dim_x * sizeof(float));
    memcpy(b->y, a->y, (size_t)a->dim_y * sizeof(float));
    cr_assert(blo_object_solver(b->solver)->load_state(blo_object_self(b->solver), state, &error),
              "%s", error ? error->message : "");
    cr_assert_eq(harness_steps(b, total), BLO_STEP_DONE, "%s: the restored step count is wrong", text);
    /* after total - first more steps the solver must have said DONE: it kept k */
    cr_assert_eq(memcmp(b->x, whole->x, (size_t)whole->dim_x * sizeof(float)), 0, "%s: x differs", text);
    cr_assert_eq(memcmp(b->y, whole->y, (size_t)whole->dim_y * sizeof(float)), 0, "%s: y differs", text);
    blo_state_free(state);
    blo_run_free(whole);
    blo_run_free(a);
    blo_run_free(b);
}

Test(solver_state, meha_resumes_exactly)
{
    assert_resume_matches("objective:t3 n=4 ! solver:meha steps=40", 40, 17);
    /* saved before the first step: theta is still taken from y afterwards */
    assert_resume_matches("objective:t3 n=4 ! solver:meha steps=40", 40, 0);
}

Test(solver_state, classic_solvers_resume_exactly)
{
    assert_resume_matches("objective:t4 n=4 ! solver:bda steps=12 inner_steps=3 x_optimizer=adam", 12, 5);
    assert_resume_matches("objective:t4 n=4 ! solver:iaptt-gm steps=12 inner_steps=3", 12, 5);
    assert_resume_matches("objective:t4 n=4 ! solver:cg steps=12 inner_steps=3 warm_start=false", 12, 5);
}

Test(solver_state, missing_state_is_a_format_error)
{
    GError *error = NULL;
    blo_run *run = harness_new_run("objective:t4 n=4 ! solver:meha steps=5");
    blo_state *empty = blo_state_new();
    cr_assert_not(blo_object_solver(run->solver)->load_state(blo_object_self(run->solver), empty, &error));
    cr_assert(g_error_matches(error, BLO_ERROR, BLO_ERROR_FORMAT), "%s", error ? error->message : "");
    g_clear_error(&error);
    blo_state_free(empty);
    blo_run_free(run);
}
