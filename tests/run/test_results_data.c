/* Metric namespaces on generated Fashion-MNIST-shaped data through blo-host:
 * two robust-accuracy metrics keep both results, and a partial
 * metric:accuracy no longer replaces the objective's full-test accuracy. */
#include <criterion/criterion.h>
#include <string.h>

#include "host_run.h"
#include "shared_fixture_dir.h"

static char *data, *dir;
static void setup(void) { data = shared_fixture_dir(); dir = temp_dir(); }
static void teardown(void) { remove_tree(dir); g_free(dir); g_free(data); }
TestSuite(results_data, .init = setup, .fini = teardown, .timeout = 300);

static double number(GHashTable *j, const char *key)
{
    const char *v = g_hash_table_lookup(j, key);
    cr_assert_not_null(v, "results.json has no %s", key);
    return g_ascii_strtod(v, NULL);
}

/* Runs `pipeline` (a printf format taking the data folder) into DIR/name; returns results.json. */
static GHashTable *run_ok(const char *name, const char *pipeline)
{
    char *out = g_build_filename(dir, name, NULL);
    char *text = g_strdup_printf(pipeline, data);
    host_result r = host_run("run", text, "--out", out, "--threads", "1", "--no-progress", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    GHashTable *j = read_results(out);
    host_result_clear(&r);
    g_free(text);
    g_free(out);
    return j;
}

#define DATA "dataset:fashion-mnist root=%s n_train=512 n_val=128 n_test=256 corrupt=0 "

Test(results_data, two_robust_accuracy_metrics_keep_both_results)
{
    GHashTable *j = run_ok("robust", DATA "! learner:mlp hidden=32 ! solver:standard epochs=2 batch_size=64"
                                     " ! metric:robust-accuracy max_items=256 attack=[ attack:pgd eps=0.01 steps=5 ]"
                                     " ! metric:robust-accuracy max_items=256 attack=[ attack:pgd eps=0.3 steps=10 ]");
    double weak = number(j, "metrics.robust-accuracy.robust_accuracy");
    double strong = number(j, "metrics.robust-accuracy-2.robust_accuracy");
    double clean = number(j, "metrics.robust-accuracy.clean_accuracy");
    cr_expect_eq(number(j, "metrics.robust-accuracy-2.clean_accuracy"), clean, "same model, same items");
    cr_expect_lt(strong, weak - 0.1, "eps 0.3 (%.3f) well below eps 0.01 (%.3f)", strong, weak);
    cr_expect_leq(weak, clean, "robust %.3f <= clean %.3f", weak, clean);
    cr_assert_null(g_hash_table_lookup(j, "metrics.robust_accuracy"), "no unprefixed metric key");
    g_hash_table_destroy(j);
}

/* solver:none: the objective's numbers at the starting point; the metric's
 * 100-item accuracy sits beside the objective's full-test one. */
Test(results_data, partial_accuracy_metric_keeps_the_objectives_accuracy)
{
    GHashTable *j = run_ok("hyperclean", DATA "! learner:linear ! objective:hyperclean holdout=0.25 ! solver:none"
                                          " ! metric:accuracy split=test max_items=100");
    double full = number(j, "metrics.test_accuracy"), part = number(j, "metrics.accuracy.test_accuracy");
    cr_expect(full >= 0 && full <= 1 && part >= 0 && part <= 1, "%g %g", full, part);
    /* 100 of 256 items: an accuracy in hundredths */
    cr_expect_float_eq(part * 100, (double)(int64_t)(part * 100 + 0.5), 1e-9, "%g is k/100", part);
    number(j, "metrics.F");
    cr_expect_eq(number(j, "metrics.iterations"), 0);
    g_hash_table_destroy(j);
}

/* Evaluation of initial weights without an objective. */
Test(results_data, accuracy_of_untrained_learner)
{
    GHashTable *j = run_ok("untrained", DATA "! learner:linear ! solver:none ! metric:accuracy");
    double acc = number(j, "metrics.accuracy.test_accuracy");
    cr_expect(acc >= 0 && acc <= 0.5, "an untrained linear model: %g", acc);
    cr_expect_eq(number(j, "metrics.iterations"), 0);
    cr_assert_null(g_hash_table_lookup(j, "metrics.grad_evals"), "no problem, no counters");
    g_hash_table_destroy(j);
}
