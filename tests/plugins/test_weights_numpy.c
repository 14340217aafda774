/* The weights file of a trained MLP read by numpy alone (mlp_accuracy.py)
 * reproduces the run's test accuracy, and weights= starts a run from it.
 * Skips when /usr/bin/python3 has no numpy. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "idx_fixture.h"
#include "model/run_weights.h"
#include "pipeline_runner.h"

#define PYTHON "/usr/bin/python3"
#define N_TEST 500

static gboolean have_numpy(void)
{
    int status = -1;
    return g_spawn_command_line_sync(PYTHON " -c 'import numpy'", NULL, NULL, &status, NULL) && status == 0;
}

Test(weights_numpy, numpy_reproduces_the_mlp_test_accuracy, .timeout = 300)
{
    if (!have_numpy())
        cr_skip_test("numpy for " PYTHON " absent (apt-get install python3-numpy)");
    char *dir = idx_fixture_dir(60000, 10000);
    GError *err = NULL;
    blo_run *run = runner_run_fmt(&err, "dataset:fashion-mnist root=%s n_train=1000 n_test=%d ! learner:mlp hidden=24 "
                                  "! solver:standard epochs=2 ! metric:accuracy", dir, N_TEST);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    double acc = runner_metric(run, "accuracy.test_accuracy");
    cr_assert_gt(acc, 0.5, "the MLP learned the fixture (%g)", acc);
    char *weights = g_build_filename(dir, "mlp.npz", NULL);
    blo_learner_model model;
    const blo_learner_model *m = blo_run_learner_model(run, &model);
    cr_assert_not_null(m, "learner:mlp names its parameters");
    cr_assert(blo_weights_write(weights, m, blo_run_y(run), blo_run_dim_y(run), "learner:mlp hidden=24", &err), "%s",
              err ? err->message : "");
    blo_run_free(run);

    char *cmd = g_strdup_printf(PYTHON " %s/tests/plugins/mlp_accuracy.py %s %s %d", BLO_SOURCE_ROOT, weights, dir, N_TEST);
    char *out = NULL, *errs = NULL;
    int status = -1;
    cr_assert(g_spawn_command_line_sync(cmd, &out, &errs, &status, NULL) && status == 0, "%s: %s", cmd, errs);
    double np_acc = strtod(out, NULL);
    fprintf(stderr, "blo test accuracy %.4f, numpy %.4f\n", acc, np_acc);
    /* float32 sums in another order may flip at most a near-tie */
    cr_expect_leq(fabs(np_acc - acc), 1.0 / N_TEST + 1e-12, "numpy %g against blo %g", np_acc, acc);

    run = runner_run_fmt(&err, "dataset:fashion-mnist root=%s n_train=1000 n_test=%d ! learner:mlp hidden=24 weights=%s "
                         "! solver:none ! metric:accuracy", dir, N_TEST, weights);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    cr_expect_eq(runner_metric(run, "accuracy.test_accuracy"), acc, "weights= gives back the trained model");
    blo_run_free(run);
    g_free(cmd);
    g_free(out);
    g_free(errs);
    g_free(weights);
    idx_fixture_remove_dir(dir);
}
