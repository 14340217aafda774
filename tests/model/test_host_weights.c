/* blo-host run --save-weights FILE and OUT/weights.npz, end to end with the
 * run fixture plugin (learner:fixture-linear has no layout: the flat fallback). */
#include <criterion/criterion.h>
#include <blo/blo.h>
#include <math.h>
#include <string.h>
#include "../run/host_run.h"

#define DATA "dataset:fixture-blobs", "n=30", "d=4", "classes=3"
#define LEARNER "learner:fixture-linear"
#define SOLVER "solver:fixture-gd", "steps=3"
#define METRIC "metric:fixture-norm"
#define N_Y 15   /* (4 + 1) * 3 */

static char *dir;
static void setup(void) { dir = temp_dir(); }
static void teardown(void) { remove_tree(dir); g_free(dir); }
TestSuite(host_weights, .init = setup, .fini = teardown, .timeout = 120);

static char *sub(const char *name) { return g_build_filename(dir, name, NULL); }

static double printed(const char *out, const char *key)
{
    const char *p = strstr(out, key);
    cr_assert_not_null(p, "no %s in: %s", key, out);
    return g_ascii_strtod(p + strlen(key), NULL);
}

Test(host_weights, save_weights_and_the_out_dir_copy_hold_the_final_y)
{
    char *out = sub("run"), *file = sub("final.npz");
    host_result r = host_run("run", DATA, "!", LEARNER, "!", SOLVER, "!", METRIC, "--out", out,
                             "--save-weights", file, "--no-progress", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    float y[N_Y], y2[N_Y];
    GError *e = NULL;
    cr_assert(blo_weights_read(file, NULL, y, N_Y, &e), "%s", e ? e->message : "");
    char *beside = g_build_filename(out, "weights.npz", NULL);
    cr_assert(blo_weights_read(beside, NULL, y2, N_Y, &e), "%s", e ? e->message : "");
    cr_assert_eq(memcmp(y, y2, sizeof y), 0, "the two copies differ");
    double norm = 0;
    for (int i = 0; i < N_Y; i++)
        norm += (double)y[i] * y[i];
    double want = printed(r.out, "y_norm = ");
    cr_assert(fabs(sqrt(norm) - want) <= 1e-6 * want, "|y| of the file %g, the run's %g", sqrt(norm), want);
    g_free(beside);
    host_result_clear(&r);
    g_free(out);
    g_free(file);
}

Test(host_weights, a_run_without_learner_writes_no_default_file)
{
    char *out = sub("nolearner");
    host_result r = host_run("run", "objective:t4", "n=4", "!", SOLVER, "--out", out, "--no-progress", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    char *beside = g_build_filename(out, "weights.npz", NULL);
    cr_assert_not(g_file_test(beside, G_FILE_TEST_EXISTS), "weights.npz without a learner");
    g_free(beside);
    host_result_clear(&r);
    g_free(out);
}

Test(host_weights, an_unwritable_save_weights_fails_the_run_naming_the_file)
{
    char *out = sub("bad"), *file = g_build_filename(dir, "missing-folder", "w.npz", NULL);
    host_result r = host_run("run", DATA, "!", LEARNER, "!", SOLVER, "--out", out, "--save-weights", file,
                             "--no-progress", NULL);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, file) != NULL, "the error does not name %s: %s", file, r.err);
    GHashTable *j = read_results(out);
    cr_assert_str_eq(g_hash_table_lookup(j, "status"), "failed");
    g_hash_table_destroy(j);
    host_result_clear(&r);
    g_free(out);
    g_free(file);
}
