/* The data plugins assembled by the run engine on a full-size generated
 * Fashion-MNIST fixture (60000 + 10000 items whose class is a bright row). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "fmnist_data.h"
#include "idx_fixture.h"
#include "pipeline_runner.h"
#include "run/problem_internal.h"

static char *dir;

static void make_fixture(void) { dir = idx_fixture_dir(60000, 10000); }
static void drop_fixture(void) { idx_fixture_remove_dir(dir); }

TestSuite(pipelines, .init = make_fixture, .fini = drop_fixture, .timeout = 300);

Test(pipelines, standard_training_learns_fixture)
{
    GError *err = NULL;
    blo_run *run = runner_run_fmt(&err, "dataset:fashion-mnist root=%s n_train=1000 n_val=0 n_test=500 corrupt=0 "
                           "! learner:linear ! solver:standard epochs=2 batch_size=50 lr=0.01 "
                           "! metric:accuracy split=test", dir);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    double acc = runner_metric(run, "accuracy.test_accuracy");
    cr_expect_geq(acc, 0.95, "test accuracy %g", acc);
    cr_expect_eq(blo_run_iteration(run), 2 * 20, "one step per minibatch");
    blo_run_free(run);
}

Test(pipelines, sgd_with_cosine_schedule_learns_fixture)
{
    GError *err = NULL;
    blo_run *run = runner_run_fmt(&err, "dataset:fashion-mnist root=%s n_train=1000 n_val=0 n_test=500 corrupt=0 "
                           "! learner:linear ! solver:standard epochs=2 batch_size=50 optimizer=sgd lr=0.1 "
                           "schedule=cosine ! metric:accuracy split=test", dir);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    double acc = runner_metric(run, "accuracy.test_accuracy");
    cr_expect_geq(acc, 0.95, "test accuracy %g", acc);
    blo_run_free(run);
}

Test(pipelines, cnn_on_unflattened_images)
{
    GError *err = NULL;
    blo_run *run = runner_run_fmt(&err, "dataset:fashion-mnist root=%s n_train=200 n_val=0 n_test=100 corrupt=0 "
                           "flatten=false ! learner:cnn c1=4 c2=4 fc_hidden=8 "
                           "! solver:standard epochs=1 batch_size=100 ! metric:accuracy split=test", dir);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    double acc = runner_metric(run, "accuracy.test_accuracy");
    cr_expect(acc >= 0 && acc <= 1);
    blo_run_free(run);
}

Test(pipelines, hyperclean_reports_cleaning_scores)
{
    /* solver:standard leaves x = 0: every sample predicted clean, F1 = 2/3. */
    GError *err = NULL;
    blo_run *run = runner_run_fmt(&err, "dataset:fashion-mnist root=%s n_train=400 n_val=200 n_test=100 corrupt=0.5 "
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

/* objective:hyperclean lets the framework reuse the recorded train-split
 * losses per distinct y (lower_terms): MEHA reuses them twice per iteration
 * (its y step, and the next theta step), and the run ends where a run
 * without reuse ends.  Not bit for bit: in MEHA's y step the gradients of F
 * and f reach y in the other order (F's graph now follows the recorded
 * terms): a few ulp apart after 20 steps; stale terms differ by far more. */
static double max_abs_diff(const float *a, const float *b, size_t n, double *b_max)
{
    double d = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        d = fmax(d, fabs((double)a[i] - b[i]));
        m = fmax(m, fabs((double)b[i]));
    }
    *b_max = m;
    return d;
}

static blo_run *meha_mlp_run(gboolean reuse, int64_t steps)
{
    GError *err = NULL;
    char *text = g_strdup_printf("dataset:fashion-mnist root=%s n_train=600 n_val=300 n_test=200 corrupt=0.5 "
                                 "! learner:mlp hidden=16 ! objective:hyperclean ! solver:meha steps=%" G_GINT64_FORMAT
                                 " eta=0.1 gamma_inv=0.2 alpha=1000 beta=0.1 trace_every=0", dir, steps);
    blo_run *run = runner_new(text, FALSE, &err);
    g_free(text);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    blo_problem *p = blo_run_problem(run, &err);
    cr_assert_not_null(p, "%s", err ? err->message : "");
    if (!reuse)
        cr_assert_not(blo_problem_set_reuse_lower_terms(p, FALSE));
    run = runner_execute(run, &err);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    return run;
}

Test(pipelines, meha_hyperclean_reuses_lower_terms_with_the_same_result)
{
    enum { STEPS = 20 };
    blo_run *with = meha_mlp_run(TRUE, STEPS), *without = meha_mlp_run(FALSE, STEPS);
    blo_problem *pw = blo_run_problem(with, NULL), *po = blo_run_problem(without, NULL);
    cr_expect_eq(blo_problem_terms_reused(pw), 2 * STEPS, "reused %ld times", (long)blo_problem_terms_reused(pw));
    cr_expect_eq(blo_problem_terms_reused(po), 0);
    cr_expect_eq(blo_problem_grad_evals(pw), 4 * STEPS, "still four reverse passes per iteration");
    cr_expect_eq(blo_problem_grad_evals(po), 4 * STEPS);
    double xmax, ymax;
    size_t nx = (size_t)blo_run_dim_x(with), ny = (size_t)blo_run_dim_y(with);
    cr_assert_eq(nx, 600);
    double dx = max_abs_diff(blo_run_x(with), blo_run_x(without), nx, &xmax);
    double dy = max_abs_diff(blo_run_y(with), blo_run_y(without), ny, &ymax);
    cr_expect_gt(xmax, 0.01, "x moved (max |x| %g)", xmax);
    cr_expect_leq(dx, 1e-5 * xmax, "x: max difference %g of max |x| %g", dx, xmax);
    cr_expect_leq(dy, 1e-5 * ymax, "y: max difference %g of max |y| %g", dy, ymax);
    blo_run_free(with);
    blo_run_free(without);
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

/* The run fails with BLO_ERROR_UNSUPPORTED and a message holding every needle. */
static void expect_error_naming(const char *const *needles, const char *text)
{
    GError *err = NULL;
    blo_run *run = runner_run(text, FALSE, &err);
    cr_assert_null(run, "should fail: %s", text);
    cr_assert_not_null(err);
    cr_expect_eq(err->code, BLO_ERROR_UNSUPPORTED, "code %d: %s", err->code, err->message);
    for (const char *const *n = needles; *n; n++)
        cr_expect(strstr(err->message, *n) != NULL, "'%s' in: %s", *n, err->message);
    g_error_free(err);
}

/* A learner or objective asking for a field the dataset lacks: the message
 * names the field, the dataset and the fields it has. */
Test(pipelines, learner_input_field_the_dataset_lacks)
{
    const char *needles[] = { "learner:mlp", "no field 'rgb'", "dataset:fashion-mnist", "split 'train'",
                              "image f32 [100,784]", "label i32 [100]", NULL };
    char *text = g_strdup_printf("dataset:fashion-mnist root=%s n_train=100 n_val=100 n_test=100 "
                                 "! learner:mlp input=rgb hidden=8 ! solver:standard epochs=1", dir);
    expect_error_naming(needles, text);
    g_free(text);
}

Test(pipelines, learner_input_field_of_the_wrong_dtype)
{
    /* 'label' as the input: an i32 field, not f32 */
    const char *needles[] = { "learner:linear", "field 'label'", "is i32, expected f32", "dataset:fashion-mnist",
                              "its fields: image", NULL };
    char *text = g_strdup_printf("dataset:fashion-mnist root=%s n_train=100 n_val=100 n_test=100 corrupt=0.5 "
                                 "! learner:linear input=label ! objective:hyperclean ! solver:meha steps=1", dir);
    expect_error_naming(needles, text);
    g_free(text);
}

/* The trainer's loss= and augmentation parameters (sdk train.h). */
#define TRAIN_DATA "dataset:fashion-mnist root=%s n_train=500 n_val=0 n_test=200 "

Test(pipelines, explicit_ce_loss_is_the_default)
{
    double acc[2];
    for (int i = 0; i < 2; i++) {
        GError *err = NULL;
        blo_run *run = runner_run_fmt(&err, TRAIN_DATA "! learner:linear ! solver:standard epochs=1 batch_size=50 %s "
                                      "! metric:accuracy", dir, i ? "loss=[ loss:ce target=label ]" : "");
        cr_assert_not_null(run, "%s", err ? err->message : "");
        acc[i] = runner_metric(run, "accuracy.test_accuracy");
        blo_run_free(run);
    }
    cr_expect_eq(acc[0], acc[1], "loss:ce %g vs default %g", acc[1], acc[0]);
}

Test(pipelines, loss_bind_error_names_the_field)
{
    expect_error(BLO_ERROR_UNSUPPORTED, "loss:mse: no target field 'target'",
                 TRAIN_DATA "! learner:linear ! solver:standard loss=mse", dir);
}

Test(pipelines, augmentation_needs_image_fields)
{
    expect_error(BLO_ERROR_UNSUPPORTED, "augmentation needs image fields",
                 TRAIN_DATA "! learner:linear ! solver:standard hflip=true", dir);
}

Test(pipelines, flips_train_a_cnn)
{
    GError *err = NULL;
    blo_run *run = runner_run_fmt(&err, TRAIN_DATA "flatten=false ! learner:cnn c1=4 c2=4 fc_hidden=8 "
                                  "! solver:standard epochs=1 batch_size=100 hflip=true ! metric:accuracy", dir);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    double acc = runner_metric(run, "accuracy.test_accuracy");
    cr_expect(acc >= 0 && acc <= 1);
    blo_run_free(run);
}
