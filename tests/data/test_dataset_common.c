/* What every dataset shares (framework/data/dataset_common.c): the data
 * folder search over root=, BLO_DATA_PATH and the default, its error listing
 * every folder searched, seeded permutations and label corruption (whose
 * determinism and uniform draw tests/plugins/test_fashion_mnist.c checks). */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>

#include <blo/blo.h>

static char *tmp;

static void make_tmp(void) { tmp = g_dir_make_tmp("blo-data-XXXXXX", NULL); }
static void drop_tmp(void)
{
    /* the tests make at most two levels of folders holding one file each */
    const char *subs[] = { "a/ds", "b/ds", "def", "a", "b", NULL };
    for (const char **s = subs; *s; s++) {
        char *d = g_build_filename(tmp, *s, NULL), *f = g_build_filename(d, "probe.gz", NULL);
        g_remove(f);
        g_rmdir(d);
        g_free(f);
        g_free(d);
    }
    g_rmdir(tmp);
    g_free(tmp);
}

TestSuite(find_dir, .init = make_tmp, .fini = drop_tmp);

/* TMP/rel, with probe.gz inside when with_probe. */
static char *folder(const char *rel, gboolean with_probe)
{
    char *d = g_build_filename(tmp, rel, NULL);
    cr_assert_eq(g_mkdir_with_parents(d, 0700), 0);
    if (with_probe) {
        char *f = g_build_filename(d, "probe.gz", NULL);
        cr_assert(g_file_set_contents(f, "x", 1, NULL));
        g_free(f);
    }
    return d;
}

static void set_path(const char *a, const char *b)
{
    char *v = g_strdup_printf("%s:%s", a, b);
    g_setenv("BLO_DATA_PATH", v, TRUE);
    g_free(v);
}

Test(find_dir, root_wins_even_when_missing)
{
    GError *err = NULL;
    char *d = blo_data_find_dir("/nonexistent-root", "ds", "probe.gz", NULL, NULL, &err);
    cr_expect_str_eq(d, "/nonexistent-root", "missing files are reported when read");
    cr_expect_null(err);
    g_free(d);
}

Test(find_dir, first_path_entry_holding_the_file)
{
    char *a = folder("a", FALSE), *b = folder("b", FALSE);
    char *bds = folder("b/ds", TRUE), *ads = folder("a/ds", FALSE);
    set_path(a, b);
    GError *err = NULL;
    char *d = blo_data_find_dir(NULL, "ds", "probe.gz", NULL, NULL, &err);
    cr_assert_not_null(d, "%s", err ? err->message : "");
    cr_expect_str_eq(d, bds, "a/ds has no probe.gz: b/ds");
    g_free(d);
    /* with the file in both, the first entry wins; empty root= is no root */
    g_free(folder("a/ds", TRUE));
    d = blo_data_find_dir("", "ds", "probe.gz", NULL, NULL, &err);
    cr_expect_str_eq(d, ads);
    g_free(d);
    g_free(a), g_free(b), g_free(ads), g_free(bds);
}

Test(find_dir, default_after_the_path)
{
    char *a = folder("a", FALSE), *def = folder("def", TRUE);
    set_path(a, "");
    GError *err = NULL;
    char *d = blo_data_find_dir(NULL, "ds", "probe.gz", def, NULL, &err);
    cr_assert_not_null(d, "%s", err ? err->message : "");
    cr_expect_str_eq(d, def);
    g_free(d);
    g_free(a), g_free(def);
}

Test(find_dir, error_lists_every_folder_searched_and_the_hint)
{
    char *a = folder("a", FALSE), *b = folder("b", FALSE), *def = folder("def", FALSE);
    set_path(a, b);
    GError *err = NULL;
    cr_expect_null(blo_data_find_dir(NULL, "ds", "probe.gz", def, "or install the package", &err));
    cr_assert_not_null(err);
    cr_expect_eq(err->domain, BLO_ERROR);
    cr_expect_eq(err->code, BLO_ERROR_IO);
    char *expected = g_strdup_printf("probe.gz not found (searched %s/ds, %s/ds, %s); set root= or BLO_DATA_PATH, "
                                     "or install the package", a, b, def);
    cr_expect_str_eq(err->message, expected);
    g_free(expected);
    g_clear_error(&err);
    /* without a default: the path entries only, no trailing comma */
    cr_expect_null(blo_data_find_dir(NULL, "ds", "probe.gz", NULL, NULL, &err));
    cr_assert_not_null(err);
    expected = g_strdup_printf("probe.gz not found (searched %s/ds, %s/ds); set root= or BLO_DATA_PATH", a, b);
    cr_expect_str_eq(err->message, expected);
    g_free(expected);
    g_error_free(err);
    g_free(a), g_free(b), g_free(def);
}

Test(find_dir, empty_path_says_so)
{
    g_unsetenv("BLO_DATA_PATH");
    GError *err = NULL;
    cr_expect_null(blo_data_find_dir(NULL, "ds", "probe.gz", NULL, NULL, &err));
    cr_assert_not_null(err);
    cr_expect(strstr(err->message, "no folder: BLO_DATA_PATH is empty") != NULL, "%s", err->message);
    g_error_free(err);
}

Test(data, permutation_is_seeded_and_complete)
{
    enum { N = 1000 };
    int64_t a[N], b[N];
    blo_rng r1, r2;
    blo_rng_seed(&r1, 7);
    blo_rng_seed(&r2, 7);
    blo_data_permutation(a, N, &r1);
    blo_data_permutation(b, N, &r2);
    cr_expect(memcmp(a, b, sizeof a) == 0, "same seed, same order");
    gboolean seen[N] = { FALSE };
    int moved = 0;
    for (int i = 0; i < N; i++) {
        cr_assert(a[i] >= 0 && a[i] < N && !seen[a[i]], "entry %d = %ld", i, (long)a[i]);
        seen[a[i]] = TRUE;
        moved += a[i] != i;
    }
    cr_expect_gt(moved, N / 2, "shuffled");
}

/* labels i % classes, corrupted with rho; checks the contract and returns how many changed. */
static int64_t corrupt_and_check(int64_t n, int32_t classes, double rho, uint64_t seed)
{
    int32_t *labels = g_new(int32_t, n), *truth = g_new(int32_t, n);
    uint8_t *mask = g_new(uint8_t, n);
    for (int64_t i = 0; i < n; i++) {
        labels[i] = (int32_t)(i % classes);
        truth[i] = -7;
        mask[i] = 9;
    }
    blo_rng rng;
    blo_rng_seed(&rng, seed);
    blo_corrupt_labels(labels, truth, mask, n, classes, rho, &rng);
    int64_t changed = 0;
    for (int64_t i = 0; i < n; i++) {
        cr_assert_eq(truth[i], (int32_t)(i % classes), "true_labels keeps the original of item %ld", (long)i);
        cr_assert(mask[i] == 0 || mask[i] == 1, "mask[%ld] = %d", (long)i, mask[i]);
        cr_assert(labels[i] >= 0 && labels[i] < classes, "label %d", labels[i]);
        cr_assert_eq(mask[i] == 1, labels[i] != truth[i], "item %ld: mask %d, label %d, true %d", (long)i, mask[i],
                     labels[i], truth[i]);
        changed += mask[i];
    }
    g_free(labels), g_free(truth), g_free(mask);
    return changed;
}

Test(data, corrupt_labels_changes_exactly_round_rho_n_to_another_class)
{
    cr_expect_eq(corrupt_and_check(1000, 10, 0.5, 1), 500);
    cr_expect_eq(corrupt_and_check(1000, 10, 0.3, 2), 300);
    cr_expect_eq(corrupt_and_check(7, 10, 0.5, 3), 4, "round(3.5) = 4");
    cr_expect_eq(corrupt_and_check(100, 2, 1.0, 4), 100, "two classes: every label flipped");
    cr_expect_eq(corrupt_and_check(100, 10, 0.0, 5), 0);
    cr_expect_eq(corrupt_and_check(100, 1, 0.5, 6), 0, "one class: nothing to change to");
}
