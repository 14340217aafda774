/* Adversarial training, LAST and the robust-accuracy metric through the run
 * engine on a small generated Fashion-MNIST-shaped fixture. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "shared_fixture_dir.h"
#include "pipeline_runner.h"

static char *dir;

/* The reader wants full-size files: written once per machine and reused. */
static void setup(void) { dir = shared_fixture_dir(); }
static void teardown(void) { g_free(dir); }

TestSuite(robust_pipelines, .init = setup, .fini = teardown);

#define DATA "dataset:fashion-mnist root=%s n_train=512 n_val=128 n_test=256 corrupt=0 ! learner:mlp hidden=32 "
#define METRIC " ! metric:robust-accuracy max_items=256 attack=[ attack:pgd eps=0.1 steps=5 ]"

/* Runs a solver for 2 epochs of 8 minibatches; returns its clean accuracy. */
static double check_runs(const char *solver)
{
    GError *err = NULL;
    blo_run *run = runner_run_fmt(&err, DATA "! %s" METRIC, dir, solver);
    cr_assert_not_null(run, "%s: %s", solver, err ? err->message : "");
    double clean = runner_metric(run, "robust-accuracy.clean_accuracy"),
           robust = runner_metric(run, "robust-accuracy.robust_accuracy");
    cr_expect(clean >= 0 && clean <= 1 && robust >= 0, "%s: accuracies %g %g", solver, clean, robust);
    cr_expect_leq(robust, clean + 0.02, "%s: robust %.3f above clean %.3f", solver, robust, clean);
    cr_expect_eq(blo_run_iteration(run), 2 * 8, "%s: one step per minibatch", solver);
    blo_run_free(run);
    return clean;
}

#define AT " epochs=2 batch_size=64 lr=0.05 eps=0.1 eval_split=val eval_items=128"

Test(robust_pipelines, fgsm_at_runs, .timeout = 300) { check_runs("solver:fgsm-at" AT); }
Test(robust_pipelines, trades_runs, .timeout = 300) { check_runs("solver:trades steps=3" AT); }
Test(robust_pipelines, last_pgd_at_ema_runs, .timeout = 300)
{
    check_runs("solver:last alpha=0.05 history=ema ema_decay=0.5 base=[ solver:pgd-at steps=3" AT " ]");
}
Test(robust_pipelines, last_trades_snapshot_runs, .timeout = 300)
{
    check_runs("solver:last alpha=0.05 history=snapshot snapshot_every=2 base=[ solver:trades steps=3" AT " ]");
}

/* With eps = 0 PGD-AT is standard training: same batches, same updates. */
Test(robust_pipelines, pgd_at_with_zero_eps_is_standard_training, .timeout = 300)
{
    double standard = check_runs("solver:standard epochs=2 batch_size=64 optimizer=sgd lr=0.05 momentum=0.9");
    double at = check_runs("solver:pgd-at steps=3 epochs=2 batch_size=64 lr=0.05 eps=0");
    cr_expect_eq(at, standard, "PGD-AT eps=0 %.4f vs standard %.4f", at, standard);
    cr_expect_gt(standard, 0.15, "standard training learns something (%.3f)", standard);
}

/* LAST with lambda = 0, beta = 1 and the proxy refreshed from theta every
 * step is the base's SGD with momentum (alpha = lr, same momentum). */
Test(robust_pipelines, last_reduces_to_its_base, .timeout = 300)
{
    double base = check_runs("solver:pgd-at steps=3" AT);
    double last = check_runs("solver:last history=snapshot snapshot_every=1 lambda=0 beta=1 alpha=0.05 momentum=0.9"
                             " base=[ solver:pgd-at steps=3" AT " ]");
    cr_expect(fabs(last - base) <= 0.01, "LAST reduced to its base: %.4f vs base %.4f", last, base);
}

Test(robust_pipelines, last_rejects_non_trainer_base)
{
    GError *err = NULL;
    blo_run *run = runner_run_fmt(&err, DATA "! solver:last base=rhg" METRIC, dir);
    cr_assert_null(run);
    cr_assert_not_null(err);
    cr_expect_eq(err->code, BLO_ERROR_UNSUPPORTED);
    cr_expect_not_null(strstr(err->message, "not a minibatch trainer"), "%s", err->message);
    g_error_free(err);
}

/* A strong enough attack brings an undefended model's accuracy down. */
Test(robust_pipelines, robust_metric_hurts_standard_model, .timeout = 300)
{
    GError *err = NULL;
    blo_run *run = runner_run_fmt(&err, DATA "! solver:standard epochs=2 batch_size=64"
                           " ! metric:robust-accuracy max_items=256 attack=[ attack:pgd eps=0.3 steps=10 ]", dir);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    double clean = runner_metric(run, "robust-accuracy.clean_accuracy"),
           robust = runner_metric(run, "robust-accuracy.robust_accuracy");
    cr_expect_lt(robust, clean - 0.1, "PGD eps 0.3: robust %.3f vs clean %.3f", robust, clean);
    blo_run_free(run);
}
