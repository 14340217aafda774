/* Checkpoints of the adversarial-training solvers and LAST: stepping k
 * minibatches, saving, and continuing in a fresh run from the saved state
 * gives bit-identical weights to an uninterrupted run. */
#include <criterion/criterion.h>
#include <string.h>

#include "pipeline_runner.h"
#include "run/run_private.h"
#include "run/state_internal.h"
#include "run/ctx_internal.h"
#include "shared_fixture_dir.h"

#define STEPS 10     /* 2 epochs of 5 minibatches */
#define SAVE_AT 3

static blo_run *new_run(const char *solver)
{
    char *dir = shared_fixture_dir();
    char *text = g_strdup_printf("dataset:fashion-mnist root=%s n_train=320 n_val=64 n_test=64 corrupt=0 "
                                 "! learner:mlp hidden=16 ! %s", dir, solver);
    GError *err = NULL;
    blo_registry *reg = blo_registry_get_default();
    if (!reg) {
        reg = blo_registry_new();
        cr_assert_gt(blo_registry_load_dir(reg, BLO_BUILD_PLUGINS_DIR), 0);
        blo_registry_set_default(reg);
    }
    blo_pipeline *p = blo_pipeline_parse(text, &err);
    cr_assert(p && blo_pipeline_resolve(p, reg, &err), "%s", err ? err->message : "");
    blo_run_options opts = { .seed = 3, .threads = 1 };
    blo_run *run = blo_run_new(p, &opts, &err);
    cr_assert_not_null(run, "%s: %s", solver, err ? err->message : "");
    g_free(text);
    g_free(dir);
    return run;
}

static void step_n(blo_run *run, int n)
{
    const blo_solver_vtable *vt = blo_object_solver(run->solver);
    for (int i = 0; i < n; i++) {
        GError *err = NULL;
        blo_ctx_trace_begin_row(run->ctx, run->iteration + 1);   /* as the run engine does */
        blo_step_status st = vt->step(blo_object_self(run->solver), run, &err);
        cr_assert_neq(st, BLO_STEP_ERROR, "%s", err ? err->message : "");
        blo_ctx_trace_end_row(run->ctx);
        run->iteration++;
    }
}

static void check_resume(const char *solver)
{
    blo_run *a = new_run(solver);
    step_n(a, SAVE_AT);
    GError *err = NULL;
    blo_state *saved = blo_run_save_state(a, &err);
    cr_assert_not_null(saved, "%s", err ? err->message : "");
    step_n(a, STEPS - SAVE_AT);

    blo_run *b = new_run(solver);
    cr_assert(blo_run_load_state(b, saved, &err), "%s: %s", solver, err ? err->message : "");
    step_n(b, STEPS - SAVE_AT);
    cr_assert_eq(a->dim_y, b->dim_y);
    cr_expect(memcmp(a->y, b->y, (size_t)a->dim_y * sizeof(float)) == 0, "%s: resumed weights differ", solver);
    blo_state_free(saved);
    blo_run_free(a);
    blo_run_free(b);
}

#define AT "epochs=2 batch_size=64 lr=0.05 eps=0.1"

Test(robust_resume, pgd_at, .timeout = 300) { check_resume("solver:pgd-at steps=2 " AT); }
Test(robust_resume, trades, .timeout = 300) { check_resume("solver:trades steps=2 " AT); }
Test(robust_resume, last_ema_fgsm_at, .timeout = 300)
{
    check_resume("solver:last history=ema ema_decay=0.5 base=[ solver:fgsm-at " AT " ]");
}
