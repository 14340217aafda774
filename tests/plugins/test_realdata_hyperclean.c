/* Real Fashion-MNIST: MEHA data hyper-cleaning with the linear learner
 * (share/pipelines/meha-hyperclean.blo settings) cuts to 200 of its 1000
 * iterations so the check takes well under a minute.  The full run reaches
 * test_accuracy 0.8256 / F1 0.928 (seed 0); 200 iterations gave 0.806 / 0.941
 * (seed 1, the runner's), so the thresholds leave room for rounding only.
 * Skipped when the Debian dataset is not installed. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "pipeline_runner.h"

#define FMNIST_DIR "/usr/share/datasets/fashion-mnist"

Test(realdata, meha_hyperclean_linear_200_iterations, .timeout = 1200)
{
    if (!g_file_test(FMNIST_DIR "/train-images-idx3-ubyte.gz", G_FILE_TEST_EXISTS))
        cr_skip_test("real Fashion-MNIST absent (" FMNIST_DIR "); install dataset-fashion-mnist");
    GError *err = NULL;
    gint64 t0 = g_get_monotonic_time();
    blo_run *run = runner_run("dataset:fashion-mnist n_train=5000 n_val=5000 n_test=10000 corrupt=0.5"
                              " ! learner:linear ! objective:hyperclean"
                              " ! solver:meha steps=200 eta=0.2 gamma_inv=0.2 c_lower=1 p=0.49 alpha=1000"
                              " beta=0.2 trace_every=0", FALSE, &err);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    double acc = runner_metric(run, "test_accuracy"), f1 = runner_metric(run, "f1");
    fprintf(stderr, "meha hyperclean (200 it): test_accuracy %.4f, f1 %.4f in %.1f s\n", acc, f1,
            (g_get_monotonic_time() - t0) / 1e6);
    cr_expect_geq(acc, 0.80, "test accuracy %.4f", acc);
    cr_expect_geq(f1, 0.93, "F1 %.4f", f1);
    cr_expect_eq(runner_metric(run, "iterations"), 200);
    blo_run_free(run);
}
