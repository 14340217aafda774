/* Real Fashion-MNIST: the MLP and CNN reference pipelines reach the issue-3
 * test accuracies within three epochs of solver:standard.  Skipped when the
 * Debian dataset is not installed. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "loader/registry.h"
#include "run/run_internal.h"

#define FMNIST_DIR "/usr/share/datasets/fashion-mnist"

static double run_pipeline(const char *file)
{
    if (!g_file_test(FMNIST_DIR "/train-images-idx3-ubyte.gz", G_FILE_TEST_EXISTS))
        cr_skip_test("real Fashion-MNIST absent (" FMNIST_DIR "); install dataset-fashion-mnist");
    blo_registry *reg = blo_registry_new();
    cr_assert_gt(blo_registry_load_dir(reg, BLO_BUILD_PLUGINS_DIR), 0, "no plugins in " BLO_BUILD_PLUGINS_DIR);
    blo_registry_set_default(reg);
    GError *err = NULL;
    char *path = g_build_filename(BLO_SOURCE_ROOT, "share", "pipelines", file, NULL);
    blo_pipeline *p = blo_pipeline_parse_file(path, &err);
    cr_assert_not_null(p, "%s: %s", path, err ? err->message : "");
    cr_assert(blo_pipeline_resolve(p, reg, &err), "%s", err ? err->message : "");
    blo_run_options opts = { .seed = 1, .threads = 2 };
    gint64 t0 = g_get_monotonic_time();
    blo_run *run = blo_run_new(p, &opts, &err);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    blo_run_status st = blo_run_execute(run, &err);
    cr_assert_eq(st, BLO_RUN_COMPLETED, "%s", err ? err->message : blo_run_status_name(st));
    double acc = -1;
    cr_assert(blo_metrics_get(blo_run_metrics(run), "test_accuracy", &acc), "no test_accuracy metric");
    fprintf(stderr, "%s: test_accuracy %.4f in %.1f s\n", file, acc, (g_get_monotonic_time() - t0) / 1e6);
    blo_run_free(run);
    blo_registry_set_default(NULL);
    blo_registry_free(reg);
    g_free(path);
    return acc;
}

Test(realdata, mlp_three_epochs, .timeout = 3000)
{
    double acc = run_pipeline("mlp-fashion-mnist.blo");
    cr_expect_geq(acc, 0.85, "MLP test accuracy %.4f", acc);
}

Test(realdata, cnn_three_epochs, .timeout = 3000)
{
    double acc = run_pipeline("cnn-fashion-mnist.blo");
    cr_expect_geq(acc, 0.89, "CNN test accuracy %.4f", acc);
}
