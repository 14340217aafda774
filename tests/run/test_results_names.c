/* Results that never overwrite each other (metric name= namespaces), NaN / Inf
 * warnings, solver:none and pipelines without training, the implicit
 * per-kind parameters (name=, weights=) in info and the canonical dump. */
#include <criterion/criterion.h>
#include <string.h>
#include "host_run.h"

#define NORM "metric:fixture-norm"

static char *dir;
static void setup(void) { dir = temp_dir(); }
static void teardown(void) { remove_tree(dir); g_free(dir); }
TestSuite(results_names, .init = setup, .fini = teardown, .timeout = 120);

static char *sub(const char *name)
{
    return g_build_filename(dir, name, NULL);
}

static const char *get(GHashTable *j, const char *key)
{
    const char *v = g_hash_table_lookup(j, key);
    cr_assert_not_null(v, "results.json has no %s", key);
    return v;
}

Test(results_names, repeated_metrics_get_unique_default_names)
{
    char *out = sub("names");
    host_result r = host_run("run", "solver:none", "!", NORM, "!", NORM, "name=fixture-norm-2", "!", NORM, "!",
                             NORM, "name=mine", "--out", out, "--no-progress", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    GHashTable *j = read_results(out);
    cr_assert_str_eq(get(j, "status"), "completed");
    cr_assert_str_eq(get(j, "metrics.iterations"), "0", "solver:none takes no step");
    /* the explicit fixture-norm-2 is kept; the third metric skips it */
    get(j, "metrics.fixture-norm.y_norm");
    get(j, "metrics.fixture-norm-2.y_norm");
    get(j, "metrics.fixture-norm-3.y_norm");
    get(j, "metrics.mine.dim_y");
    cr_assert_null(g_hash_table_lookup(j, "metrics.y_norm"), "no unprefixed metric keys");
    cr_assert_null(g_hash_table_lookup(j, "warnings.0"), "finite numbers warn about nothing");
    cr_assert(strstr(get(j, "pipeline"), "metric:fixture-norm bad=none name=fixture-norm-3 !") != NULL,
              "the canonical pipeline records the default names: %s", get(j, "pipeline"));
    g_hash_table_destroy(j);
    host_result_clear(&r);
    g_free(out);
}

Test(results_names, dump_shows_implicit_parameters_and_round_trips)
{
    host_result r = host_run("run", "--dump-pipeline", "dataset:fixture-blobs", "!", "learner:fixture-linear", "!",
                             "solver:none", "!", NORM, "!", NORM, NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.out, "weights=\"\"") != NULL, "learner weights=: %s", r.out);
    cr_assert(strstr(r.out, "name=fixture-norm ! metric:fixture-norm bad=none name=fixture-norm-2\n") != NULL,
              "%s", r.out);
    char *first = g_strdup(g_strstrip(r.out));
    host_result_clear(&r);
    r = host_run("run", "--dump-pipeline", first, NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert_str_eq(g_strstrip(r.out), first, "the dump reads back to itself");
    host_result_clear(&r);
    g_free(first);
}

Test(results_names, bad_and_duplicate_names_are_usage_errors)
{
    char *out = sub("bad");
    host_result r = host_run("run", "solver:none", "!", NORM, "name=a", "!", NORM, "name=a", "--out", out, NULL);
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "name=a is used by two metrics") != NULL, "%s", r.err);
    host_result_clear(&r);
    r = host_run("run", "solver:none", "!", NORM, "name=a.b", "--out", out, NULL);
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "metric:fixture-norm: name='a.b'") != NULL, "%s", r.err);
    host_result_clear(&r);
    r = host_run("run", "solver:none", "!", NORM, "nam=a", "--out", out, NULL);
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "valid parameters are: bad, name") != NULL, "unknown-key list: %s", r.err);
    host_result_clear(&r);
    g_free(out);
}

/* NaN and Inf complete, but with warnings, a stderr line each and exit 3. */
Test(results_names, non_finite_metrics_warn)
{
    const char *bad[] = { "bad=nan", "bad=inf" };
    const char *word[] = { "nan", "inf" };
    for (int i = 0; i < 2; i++) {
        char *out = sub(word[i]);
        host_result r = host_run("run", "solver:none", "!", NORM, "name=m", bad[i], "--out", out, "--no-progress",
                                 NULL);
        cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
        char *line = g_strdup_printf("warning: m.bad: non-finite value %s\n", word[i]);
        cr_assert(strstr(r.err, line) != NULL, "stderr: %s", r.err);
        GHashTable *j = read_results(out);
        cr_assert_str_eq(get(j, "status"), "completed");
        cr_assert_str_eq(get(j, "metrics.m.bad"), "null");
        cr_assert(g_str_has_prefix(get(j, "warnings.0"), "m.bad: non-finite value"), "%s", get(j, "warnings.0"));
        cr_assert_null(g_hash_table_lookup(j, "warnings.1"), "only the non-finite key");
        g_hash_table_destroy(j);
        g_free(line);
        host_result_clear(&r);
        g_free(out);
    }
}

/* Evaluation of the initial weights: no objective, no training. */
Test(results_names, learner_without_training)
{
    char *out = sub("eval");
    host_result r = host_run("run", "dataset:fixture-blobs", "n=30", "d=4", "classes=3", "!", "learner:fixture-linear",
                             "!", "solver:none", "!", NORM, "--out", out, "--no-progress", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.out, "fixture-norm.dim_y = 15\n") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "fixture-norm.y_norm = 0\n") == NULL, "the learner initialised y: %s", r.out);
    cr_assert(strstr(r.out, "iterations = 0\n") != NULL, "%s", r.out);
    char *ckpt = g_build_filename(out, "checkpoint.blo", NULL);
    cr_assert_not(g_file_test(ckpt, G_FILE_TEST_EXISTS), "a completed run leaves no checkpoint");
    g_free(ckpt);
    host_result_clear(&r);
    g_free(out);
}

/* y_norm of a solver:none run of fixture-linear with the given seed (and weights=). */
static char *y_norm_of(const char *name, const char *seed, const char *weights, char **out_dir)
{
    *out_dir = sub(name);
    char *w = g_strdup_printf("weights=%s", weights ? weights : "");
    host_result r = host_run("run", "dataset:fixture-blobs", "!", "learner:fixture-linear", w, "!", "solver:none",
                             "!", NORM, "--seed", seed, "--out", *out_dir, "--no-progress", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    GHashTable *j = read_results(*out_dir);
    char *v = g_strdup(get(j, "metrics.fixture-norm.y_norm"));
    g_hash_table_destroy(j);
    host_result_clear(&r);
    g_free(w);
    return v;
}

Test(results_names, weights_start_a_learner_from_a_saved_run)
{
    char *d1, *d2, *d3;
    char *first = y_norm_of("w1", "1", NULL, &d1), *other = y_norm_of("w2", "2", NULL, &d2);
    cr_assert_str_neq(first, other, "another seed draws other weights");
    char *saved = g_build_filename(d1, "weights.npz", NULL);
    char *loaded = y_norm_of("w3", "2", saved, &d3);
    cr_expect_str_eq(loaded, first, "weights= replaces the seed-2 initialisation by run 1's weights");
    /* a missing file is an error naming the learner and the file */
    g_free(d3);
    d3 = sub("w4");
    host_result r = host_run("run", "dataset:fixture-blobs", "!", "learner:fixture-linear", "weights=/nonexistent/w.npz",
                             "!", "solver:none", "--out", d3, NULL);
    cr_assert_neq(r.status, 0, "%s", r.out);
    cr_expect(strstr(r.err, "learner:fixture-linear: ") != NULL && strstr(r.err, "/nonexistent/w.npz") != NULL,
              "%s", r.err);
    host_result_clear(&r);
    g_free(saved);
    g_free(first);
    g_free(other);
    g_free(loaded);
    g_free(d1);
    g_free(d2);
    g_free(d3);
}

Test(results_names, info_lists_the_implicit_parameters)
{
    host_result r = host_run("info", "metric:fixture-norm", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.out, "  name ") != NULL && strstr(r.out, "<name>.<key>") != NULL, "%s", r.out);
    host_result_clear(&r);
    r = host_run("info", "learner:fixture-linear", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.out, "  weights ") != NULL, "%s", r.out);
    host_result_clear(&r);
    r = host_run("info", "solver:none", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.out, "parameters: none") != NULL, "solvers have no implicit parameters: %s", r.out);
    host_result_clear(&r);
}
