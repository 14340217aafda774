/* A short real adversarial-training run through blo-host writes
 * OUT/curves.svg of its per-epoch clean and robust accuracy; a curves.svg
 * that cannot be written is a warning, not a failed run. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>

#include "shared_fixture_dir.h"
#include "../run/host_run.h"
#include "../run/svg_count.h"

static char *data, *dir;
static void setup(void) { data = shared_fixture_dir(); dir = temp_dir(); }
static void teardown(void) { remove_tree(dir); g_free(dir); g_free(data); }
TestSuite(robust_curves, .init = setup, .fini = teardown, .timeout = 300);

/* Two epochs of 4 minibatches, evaluated on the validation split after each. */
static host_result run_at(const char *out, gboolean force)
{
    char *pipeline = g_strdup_printf("dataset:fashion-mnist root=%s n_train=256 n_val=64 n_test=64 corrupt=0 "
                                     "! learner:mlp hidden=16 ! solver:fgsm-at epochs=2 batch_size=64 lr=0.05 "
                                     "eps=0.1 eval_split=val eval_items=64", data);
    host_result r = host_run("run", pipeline, "--out", out, "--threads", "1", "--no-progress",
                             force ? "--force" : NULL, NULL);
    g_free(pipeline);
    return r;
}

Test(robust_curves, fgsm_at_run_writes_accuracy_curves)
{
    char *out = g_build_filename(dir, "fgsm", NULL);
    host_result r = run_at(out, FALSE);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    char *path = g_build_filename(out, "curves.svg", NULL), *svg;
    cr_assert(g_file_get_contents(path, &svg, NULL, NULL), "no %s", path);
    cr_assert_eq(count_substr(svg, "<polyline"), 2, "clean and robust accuracy");
    cr_assert_eq(polyline_points(svg, 0), 2, "one point per epoch");
    cr_assert_eq(polyline_points(svg, 1), 2, "one point per epoch");
    cr_assert(strstr(svg, ">fgsm: clean_accuracy<") && strstr(svg, ">fgsm: robust_accuracy<"), "legend");
    g_free(svg);
    g_free(path);
    host_result_clear(&r);
    g_free(out);
}

Test(robust_curves, unwritable_curves_is_a_warning_not_a_failure)
{
    char *out = g_build_filename(dir, "blocked", NULL);
    char *blocker = g_build_filename(out, "curves.svg", "keep", NULL);
    cr_assert_eq(g_mkdir_with_parents(blocker, 0755), 0, "a folder where curves.svg would go");
    host_result r = run_at(out, TRUE);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "warning: no curves.svg"), "%s", r.err);
    GHashTable *j = read_results(out);
    cr_assert_str_eq(g_hash_table_lookup(j, "status"), "completed");
    g_hash_table_destroy(j);
    host_result_clear(&r);
    g_free(blocker);
    g_free(out);
}
