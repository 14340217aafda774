/* Real Fashion-MNIST: the MLP and CNN reference pipelines reach the issue-3
 * test accuracies within three epochs of solver:standard.  Skipped when the
 * Debian dataset is not installed. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "pipeline_runner.h"

#define FMNIST_DIR "/usr/share/datasets/fashion-mnist"

static double run_reference(const char *file)
{
    if (!g_file_test(FMNIST_DIR "/train-images-idx3-ubyte.gz", G_FILE_TEST_EXISTS))
        cr_skip_test("real Fashion-MNIST absent (" FMNIST_DIR "); install dataset-fashion-mnist");
    char *path = g_build_filename(BLO_SOURCE_ROOT, "share", "pipelines", file, NULL);
    GError *err = NULL;
    gint64 t0 = g_get_monotonic_time();
    blo_run *run = runner_run(path, TRUE, &err);
    cr_assert_not_null(run, "%s: %s", path, err ? err->message : "");
    double acc = runner_metric(run, "accuracy.test_accuracy");
    fprintf(stderr, "%s: test_accuracy %.4f in %.1f s\n", file, acc, (g_get_monotonic_time() - t0) / 1e6);
    blo_run_free(run);
    g_free(path);
    return acc;
}

Test(realdata, mlp_three_epochs, .timeout = 3000)
{
    double acc = run_reference("mlp-fashion-mnist.blo");
    cr_expect_geq(acc, 0.85, "MLP test accuracy %.4f", acc);
}

Test(realdata, cnn_three_epochs, .timeout = 3000)
{
    double acc = run_reference("cnn-fashion-mnist.blo");
    cr_expect_geq(acc, 0.89, "CNN test accuracy %.4f", acc);
}
