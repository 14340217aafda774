/* dataset:fashion-mnist on generated fixtures: bad files give clear errors,
 * splits and label noise are exact and seeded. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <zlib.h>

#include "fmnist_data.h"

/* The split's fields as the old struct members read them. */
#define S_N(s) blo_split_len(s)
#define S_X(s) blo_split_f32((s), "image", NULL)
#define S_LABELS(s) blo_split_i32((s), "label", NULL)
#define S_TRUE(s) (blo_split_find((s), "true_label") ? blo_split_i32((s), "true_label", NULL) : NULL)
#define S_CORRUPTED(s) (blo_split_find((s), "corrupted") ? blo_split_u8((s), "corrupted", NULL) : NULL)
#define S_IMAGE(s) blo_split_find((s), "image")
#include "idx_file.h"
#include "idx_fixture.h"

#define N_TRAIN_FILE 200
#define N_TEST_FILE 50

static char *dir;

static void setup_dir(void) { dir = idx_fixture_dir(N_TRAIN_FILE, N_TEST_FILE); }
static void teardown_dir(void) { idx_fixture_remove_dir(dir); }

TestSuite(fashion_mnist, .init = setup_dir, .fini = teardown_dir);

static fmnist_config fixture_config(void)
{
    return (fmnist_config){ .dir = dir, .n_train = 100, .n_val = 60, .n_test = 30, .corrupt = 0.5,
                            .seed = 7, .flatten = TRUE, .expect_train = N_TRAIN_FILE,
                            .expect_test = N_TEST_FILE };
}

/* Loading must fail with `code` and a message naming `file` and containing `what`. */
static void expect_failure(const char *file, int code, const char *what)
{
    fmnist_config cfg = fixture_config();
    GError *err = NULL;
    fmnist_data *d = fmnist_data_load(&cfg, &err);
    cr_assert_null(d, "loading should fail for %s", file);
    cr_assert_not_null(err);
    cr_expect_eq(err->code, code, "code %d, expected %d: %s", err->code, code, err->message);
    cr_expect(strstr(err->message, file) != NULL, "message names the file: %s", err->message);
    cr_expect(strstr(err->message, what) != NULL, "message says '%s': %s", what, err->message);
    g_error_free(err);
}

static int64_t item_index(const blo_split *s, int64_t i)
{
    const float *px = S_X(s) + i * 784;
    return lroundf(px[0] * 255.0f) + 256 * lroundf(px[1] * 255.0f);
}

Test(fashion_mnist, loads_splits_with_scaled_pixels)
{
    fmnist_config cfg = fixture_config();
    cfg.corrupt = 0;
    GError *err = NULL;
    fmnist_data *d = fmnist_data_load(&cfg, &err);
    cr_assert_not_null(d, "%s", err ? err->message : "");
    const blo_split *tr = d->splits[FMNIST_TRAIN], *va = d->splits[FMNIST_VAL], *te = d->splits[FMNIST_TEST];
    cr_expect_eq(S_N(tr), 100);
    cr_expect_eq(S_N(va), 60);
    cr_expect_eq(S_N(te), 30);
    cr_expect_eq(S_IMAGE(tr)->ndim, 2);
    cr_expect_eq(S_IMAGE(tr)->shape[1], 784);
    cr_expect_eq(blo_split_find(tr, "label")->n_classes, 10);
    cr_expect_null(S_CORRUPTED(tr));
    /* Train and val are distinct training items with their own labels. */
    gboolean seen[N_TRAIN_FILE] = { FALSE };
    for (int s = 0; s < 2; s++) {
        const blo_split *sp = s ? va : tr;
        for (int64_t i = 0; i < S_N(sp); i++) {
            int64_t src = item_index(sp, i);
            cr_assert(src >= 0 && src < N_TRAIN_FILE);
            cr_expect(!seen[src], "item %ld drawn twice", (long)src);
            seen[src] = TRUE;
            cr_expect_eq(S_LABELS(sp)[i], src % 10);
        }
    }
    /* Test = the first n_test test items, in order. */
    for (int64_t i = 0; i < S_N(te); i++)
        cr_expect_eq(item_index(te, i), i);
    for (int64_t k = 0; k < 784 * S_N(te); k++)
        cr_assert(S_X(te)[k] >= 0.0f && S_X(te)[k] <= 1.0f);
    cr_expect_float_eq(S_X(te)[5], 5.0f / 255.0f, 1e-6);
    fmnist_data_free(d);
}

Test(fashion_mnist, images_unflattened)
{
    fmnist_config cfg = fixture_config();
    cfg.flatten = FALSE;
    fmnist_data *d = fmnist_data_load(&cfg, NULL);
    cr_assert_not_null(d);
    const blo_split *s = d->splits[FMNIST_VAL];
    cr_expect_eq(S_IMAGE(s)->ndim, 4);
    cr_expect(S_IMAGE(s)->shape[0] == 60 && S_IMAGE(s)->shape[1] == 1 && S_IMAGE(s)->shape[2] == 28 && S_IMAGE(s)->shape[3] == 28);
    fmnist_data_free(d);
}

Test(fashion_mnist, split_depends_on_seed_only)
{
    fmnist_config cfg = fixture_config();
    fmnist_data *a = fmnist_data_load(&cfg, NULL), *b = fmnist_data_load(&cfg, NULL);
    cfg.seed = 8;
    fmnist_data *c = fmnist_data_load(&cfg, NULL);
    cr_assert(a && b && c);
    size_t bytes = 100 * 784 * sizeof(float);
    cr_expect_eq(memcmp(S_X(a->splits[FMNIST_TRAIN]), S_X(b->splits[FMNIST_TRAIN]), bytes), 0);
    cr_expect_eq(memcmp(S_LABELS(a->splits[FMNIST_TRAIN]), S_LABELS(b->splits[FMNIST_TRAIN]), 100 * 4), 0);
    cr_expect_neq(memcmp(S_X(a->splits[FMNIST_TRAIN]), S_X(c->splits[FMNIST_TRAIN]), bytes), 0);
    fmnist_data_free(a);
    fmnist_data_free(b);
    fmnist_data_free(c);
}

Test(fashion_mnist, corruption_is_exact)
{
    const double rhos[] = { 0.0, 0.25, 0.5, 0.77, 1.0 };
    for (size_t r = 0; r < G_N_ELEMENTS(rhos); r++) {
        fmnist_config cfg = fixture_config();
        cfg.n_train = 99;
        cfg.corrupt = rhos[r];
        fmnist_data *d = fmnist_data_load(&cfg, NULL);
        cr_assert_not_null(d);
        const blo_split *s = d->splits[FMNIST_TRAIN];
        if (rhos[r] == 0) {
            cr_expect_null(S_CORRUPTED(s));
            fmnist_data_free(d);
            continue;
        }
        cr_assert(S_CORRUPTED(s) && S_TRUE(s));
        int64_t changed = 0, marked = 0;
        for (int64_t i = 0; i < S_N(s); i++) {
            cr_expect_eq(S_TRUE(s)[i], item_index(s, i) % 10, "true label kept");
            cr_expect(S_LABELS(s)[i] >= 0 && S_LABELS(s)[i] < 10);
            changed += S_LABELS(s)[i] != S_TRUE(s)[i];
            marked += S_CORRUPTED(s)[i];
            cr_expect_eq(S_CORRUPTED(s)[i], S_LABELS(s)[i] != S_TRUE(s)[i],
                         "mask marks exactly the changed labels (item %ld)", (long)i);
        }
        cr_expect_eq(changed, llround(rhos[r] * 99), "rho=%g: %ld changed", rhos[r], (long)changed);
        cr_expect_eq(marked, changed);
        fmnist_data_free(d);
    }
}

Test(fashion_mnist, drop_corrupted_keeps_exactly_the_clean_items)
{
    fmnist_config cfg = fixture_config();
    fmnist_data *all = fmnist_data_load(&cfg, NULL);
    cfg.drop_corrupted = TRUE;
    fmnist_data *clean = fmnist_data_load(&cfg, NULL);
    cr_assert(all && clean);
    const blo_split *a = all->splits[FMNIST_TRAIN], *c = clean->splits[FMNIST_TRAIN];
    cr_expect_eq(S_N(c), 50, "half of 100 dropped, %ld kept", (long)S_N(c));
    cr_expect_eq(S_IMAGE(c)->shape[0], S_N(c));
    cr_expect_null(S_CORRUPTED(c), "no mask once every label is clean");
    int64_t j = 0;
    for (int64_t i = 0; i < S_N(a) && j < S_N(c); i++) {
        if (S_CORRUPTED(a)[i])
            continue;
        cr_expect_eq(item_index(c, j), item_index(a, i), "kept item %ld is clean item %ld", (long)j, (long)i);
        cr_expect_eq(S_LABELS(c)[j], item_index(c, j) % 10, "kept label is the true one");
        j++;
    }
    cr_expect_eq(j, S_N(c));
    cr_expect_eq(S_N(clean->splits[FMNIST_VAL]), 60, "val untouched");
    fmnist_data_free(all);
    fmnist_data_free(clean);
}

Test(fashion_mnist, corruption_deterministic_and_uniform_over_other_classes)
{
    enum { N = 20000 };
    int32_t *a = g_new(int32_t, N), *b = g_new(int32_t, N), *t = g_new(int32_t, N);
    uint8_t *ma = g_new(uint8_t, N), *mb = g_new(uint8_t, N);
    for (int i = 0; i < N; i++)
        a[i] = b[i] = i % 10;
    blo_rng r1, r2;
    blo_rng_seed(&r1, 3);
    blo_rng_seed(&r2, 3);
    blo_corrupt_labels(a, t, ma, N, 10, 1.0, &r1);
    blo_corrupt_labels(b, t, mb, N, 10, 1.0, &r2);
    cr_expect_eq(memcmp(a, b, N * sizeof *a), 0, "same seed, same noise");
    cr_expect_eq(memcmp(ma, mb, N), 0);
    /* Shifts 1..9 each about N/9 times. */
    int counts[10] = { 0 };
    for (int i = 0; i < N; i++)
        counts[(a[i] - i % 10 + 10) % 10]++;
    cr_expect_eq(counts[0], 0, "never the same class");
    for (int k = 1; k < 10; k++)
        cr_expect(fabs(counts[k] - N / 9.0) < 5 * sqrt(N / 9.0), "shift %d drawn %d times", k, counts[k]);
    g_free(a); g_free(b); g_free(t); g_free(ma); g_free(mb);
}

Test(fashion_mnist, missing_file)
{
    char *p = idx_fixture_path(dir, FMNIST_TEST_LABELS);
    g_unlink(p);
    g_free(p);
    expect_failure(FMNIST_TEST_LABELS, BLO_ERROR_IO, "cannot open");
}

Test(fashion_mnist, wrong_magic)
{
    char *p = idx_fixture_path(dir, FMNIST_TRAIN_IMAGES);
    idx_fixture_images(p, &(idx_fixture_opts){ .count = N_TRAIN_FILE, .magic = 0x00000801 });
    g_free(p);
    expect_failure(FMNIST_TRAIN_IMAGES, BLO_ERROR_FORMAT, "expected 0x00000803");
}

Test(fashion_mnist, wrong_label_magic)
{
    char *p = idx_fixture_path(dir, FMNIST_TRAIN_LABELS);
    idx_fixture_labels(p, &(idx_fixture_opts){ .count = N_TRAIN_FILE, .magic = 0x00000803 });
    g_free(p);
    expect_failure(FMNIST_TRAIN_LABELS, BLO_ERROR_FORMAT, "expected 0x00000801");
}

Test(fashion_mnist, wrong_count)
{
    char *p = idx_fixture_path(dir, FMNIST_TRAIN_LABELS);
    idx_fixture_labels(p, &(idx_fixture_opts){ .count = N_TRAIN_FILE - 1 });
    g_free(p);
    expect_failure(FMNIST_TRAIN_LABELS, BLO_ERROR_FORMAT, "item count is 199, expected 200");
}

Test(fashion_mnist, wrong_image_size)
{
    char *p = idx_fixture_path(dir, FMNIST_TEST_IMAGES);
    idx_fixture_images(p, &(idx_fixture_opts){ .count = N_TEST_FILE, .rows = 27 });
    g_free(p);
    expect_failure(FMNIST_TEST_IMAGES, BLO_ERROR_FORMAT, "rows is 27, expected 28");
}

Test(fashion_mnist, truncated_payload)
{
    char *p = idx_fixture_path(dir, FMNIST_TRAIN_IMAGES);
    idx_fixture_images(p, &(idx_fixture_opts){ .count = N_TRAIN_FILE, .items = N_TRAIN_FILE - 3 });
    g_free(p);
    expect_failure(FMNIST_TRAIN_IMAGES, BLO_ERROR_FORMAT, "truncated");
}

Test(fashion_mnist, trailing_bytes)
{
    char *p = idx_fixture_path(dir, FMNIST_TEST_LABELS);
    idx_fixture_labels(p, &(idx_fixture_opts){ .count = N_TEST_FILE, .items = N_TEST_FILE + 1 });
    g_free(p);
    expect_failure(FMNIST_TEST_LABELS, BLO_ERROR_FORMAT, "longer than its header");
}

Test(fashion_mnist, truncated_gzip_stream)
{
    char *p = idx_fixture_path(dir, FMNIST_TRAIN_IMAGES);
    char *buf;
    gsize len;
    cr_assert(g_file_get_contents(p, &buf, &len, NULL));
    cr_assert(g_file_set_contents(p, buf, (gssize)(len / 2), NULL));
    g_free(buf);
    g_free(p);
    expect_failure(FMNIST_TRAIN_IMAGES, BLO_ERROR_FORMAT, "truncated");
}

Test(fashion_mnist, unreadable_gzip)
{
    char *p = idx_fixture_path(dir, FMNIST_TRAIN_LABELS);
    /* A gzip header followed by bytes that are no deflate stream. */
    static const unsigned char junk[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff,
                                          0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0xf9, 0xf8, 0xf7, 0xf6, 0xf5 };
    cr_assert(g_file_set_contents(p, (const char *)junk, sizeof junk, NULL));
    g_free(p);
    expect_failure(FMNIST_TRAIN_LABELS, BLO_ERROR_IO, "cannot decompress");
}

Test(fashion_mnist, empty_file)
{
    char *p = idx_fixture_path(dir, FMNIST_TEST_IMAGES);
    cr_assert(g_file_set_contents(p, "", 0, NULL));
    g_free(p);
    expect_failure(FMNIST_TEST_IMAGES, BLO_ERROR_FORMAT, "truncated header");
}

Test(fashion_mnist, uncompressed_files_accepted)
{
    char *p = idx_fixture_path(dir, FMNIST_TEST_LABELS);
    idx_fixture_labels(p, &(idx_fixture_opts){ .count = N_TEST_FILE, .plain = TRUE });
    g_free(p);
    fmnist_config cfg = fixture_config();
    fmnist_data *d = fmnist_data_load(&cfg, NULL);
    cr_assert_not_null(d);
    cr_expect_eq(S_LABELS(d->splits[FMNIST_TEST])[13], 3);
    fmnist_data_free(d);
}

Test(fashion_mnist, too_many_items_requested)
{
    fmnist_config cfg = fixture_config();
    cfg.n_train = 150;
    GError *err = NULL;
    cr_expect_null(fmnist_data_load(&cfg, &err));
    cr_assert_not_null(err);
    cr_expect_eq(err->code, BLO_ERROR_RANGE, "%s", err->message);
    g_error_free(err);
}

Test(fashion_mnist, data_path_search)
{
    /* BLO_DATA_PATH entries are parents of a fashion-mnist/ folder. */
    char *parent = g_dir_make_tmp("blo-data-XXXXXX", NULL);
    char *sub = g_build_filename(parent, "fashion-mnist", NULL);
    cr_assert_eq(g_rename(dir, sub), 0);
    char *env = g_strdup_printf("/nonexistent-blo:%s", parent);
    g_setenv("BLO_DATA_PATH", env, TRUE);
    char *found = fmnist_find_dir(NULL, NULL);
    cr_expect_str_eq(found, sub);
    g_unsetenv("BLO_DATA_PATH");
    char *explicit_root = fmnist_find_dir("/some/root", NULL);
    cr_expect_str_eq(explicit_root, "/some/root");
    g_free(explicit_root);
    g_free(found);
    g_free(env);
    cr_assert_eq(g_rename(sub, dir), 0);
    g_free(sub);
    g_rmdir(parent);
    g_free(parent);
}
