/* The data plugins assembled by the run engine on a full-size generated
 * Fashion-MNIST fixture (60000 + 10000 items whose class is a bright row). */
#include <criterion/criterion.h>
#include <string.h>

#include "fmnist_data.h"
#include "idx_fixture.h"
#include "pipeline_runner.h"

static char *dir;

static void make_fixture(void) { dir = idx_fixture_dir(60000, 10000); }
static void drop_fixture(void) { idx_fixture_remove_dir(dir); }

TestSuite(pipelines, .init = make_fixture, .fini = drop_fixture, .timeout = 300);

static blo_run *run_fmt(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static blo_run *run_fmt(GError **error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    blo_run *run = runner_run(text, FALSE, error);
    g_free(text);
    return run;
}

Test(pipelines, standard_training_learns_fixture)
{
    GError *err = NULL;
    blo_run *run = run_fmt(&err, "dataset:fashion-mnist root=%s n_train=1000 n_val=0 n_test=500 corrupt=0 "
                           "! learner:linear ! solver:standard epochs=2 batch_size=50 lr=0.01 "
                           "! metric:accuracy split=test", dir);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    double acc = runner_metric(run, "test_accuracy");
    cr_expect_geq(acc, 0.95, "test accuracy %g", acc);
    cr_expect_eq(blo_run_iteration(run), 2 * 20, "one step per minibatch");
    blo_run_free(run);
}

Test(pipelines, sgd_with_cosine_schedule_learns_fixture)
{
    GError *err = NULL;
    blo_run *run = run_fmt(&err, "dataset:fashion-mnist root=%s n_train=1000 n_val=0 n_test=500 corrupt=0 "
                           "! learner:linear ! solver:standard epochs=2 batch_size=50 optimizer=sgd lr=0.1 "
                           "schedule=cosine ! metric:accuracy split=test", dir);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    double acc = runner_metric(run, "test_accuracy");
    cr_expect_geq(acc, 0.95, "test accuracy %g", acc);
    blo_run_free(run);
}

Test(pipelines, cnn_on_unflattened_images)
{
    GError *err = NULL;
    blo_run *run = run_fmt(&err, "dataset:fashion-mnist root=%s n_train=200 n_val=0 n_test=100 corrupt=0 "
                           "flatten=false ! learner:cnn c1=4 c2=4 fc_hidden=8 "
                           "! solver:standard epochs=1 batch_size=100 ! metric:accuracy split=test", dir);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    double acc = runner_metric(run, "test_accuracy");
    cr_expect(acc >= 0 && acc <= 1);
    blo_run_free(run);
}

Test(pipelines, hyperclean_reports_cleaning_scores)
{
    /* solver:standard leaves x = 0: every sample predicted clean, F1 = 2/3. */
    GError *err = NULL;
    blo_run *run = run_fmt(&err, "dataset:fashion-mnist root=%s n_train=400 n_val=200 n_test=100 corrupt=0.5 "
                           "! learner:linear ! objective:hyperclean holdout=0.25 "
                           "! solver:standard epochs=1 batch_size=100", dir);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    cr_expect_eq(blo_run_dim_x(run), 400);
    cr_expect_float_eq(runner_metric(run, "f1"), 2.0 / 3.0, 1e-9);
    cr_expect_float_eq(runner_metric(run, "precision"), 0.5, 1e-9);
    cr_expect_float_eq(runner_metric(run, "recall"), 1.0, 1e-9);
    double holdout = runner_metric(run, "holdout_accuracy"), test = runner_metric(run, "test_accuracy");
    cr_expect(holdout >= 0 && holdout <= 1 && test >= 0 && test <= 1);
    cr_expect_gt(runner_metric(run, "F"), 0.0);
    blo_run_free(run);
}

static void expect_error(int code, const char *needle, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void expect_error(int code, const char *needle, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    GError *err = NULL;
    blo_run *run = runner_run(text, FALSE, &err);
    cr_assert_null(run, "should fail: %s", text);
    cr_assert_not_null(err);
    cr_expect_eq(err->code, code, "code %d: %s", err->code, err->message);
    cr_expect(strstr(err->message, needle) != NULL, "'%s' in: %s", needle, err->message);
    g_error_free(err);
    g_free(text);
}

Test(pipelines, hyperclean_without_learner)
{
    expect_error(BLO_ERROR_UNSUPPORTED, "learner",
                 "dataset:fashion-mnist root=%s n_train=100 n_val=100 n_test=100 ! objective:hyperclean "
                 "! solver:standard", dir);
}

Test(pipelines, standard_without_learner)
{
    expect_error(BLO_ERROR_UNSUPPORTED, "learner",
                 "dataset:fashion-mnist root=%s n_train=100 n_val=100 n_test=100 ! solver:standard", dir);
}

Test(pipelines, bad_file_through_the_plugin)
{
    char *p = idx_fixture_path(dir, FMNIST_TEST_IMAGES);
    idx_fixture_images(p, &(idx_fixture_opts){ .count = 9999 });
    g_free(p);
    expect_error(BLO_ERROR_FORMAT, FMNIST_TEST_IMAGES ": item count is 9999, expected 10000",
                 "dataset:fashion-mnist root=%s ! learner:linear ! solver:standard", dir);
}

Test(pipelines, missing_root)
{
    expect_error(BLO_ERROR_IO, "/nonexistent-blo-data/" FMNIST_TRAIN_IMAGES,
                 "dataset:fashion-mnist root=/nonexistent-blo-data ! learner:linear ! solver:standard");
}
