/* Fashion-MNIST loading: four IDX files -> train / val / test splits. */
#include "fmnist_data.h"
#include "idx_file.h"

#include <math.h>
#include <string.h>

const char *const fmnist_split_names[FMNIST_N_SPLITS + 1] = { "train", "val", "test", NULL };

const blo_field_doc fmnist_field_docs[] = {
    { "image", BLO_DTYPE_F32, "all", "[784], or [1,28,28] with flatten=false", "pixels scaled to [0, 1]" },
    { "label", BLO_DTYPE_I32, "all", "[]", "class 0..9 as training sees it (after label noise)" },
    { "true_label", BLO_DTYPE_I32, "train", "[]", "the original class (only with corrupt > 0)" },
    { "corrupted", BLO_DTYPE_U8, "train", "[]", "1 where the label was replaced (only with corrupt > 0)" },
    { NULL },
};

char *fmnist_find_dir(const char *root, GError **error)
{
    char *dir = blo_data_find_dir(root, "fashion-mnist", FMNIST_TRAIN_IMAGES, FMNIST_DEFAULT_DIR,
                                  "or install the Debian package dataset-fashion-mnist", error);
    if (!dir)
        g_prefix_error(error, "fashion-mnist: ");
    return dir;
}

/* Images and labels of one half (training or test files), checked to agree. */
static gboolean read_pair(const char *dir, const char *img_name, const char *lbl_name, uint32_t count,
                          idx_file *img, idx_file *lbl, GError **error)
{
    g_autofree char *img_path = g_build_filename(dir, img_name, NULL);
    g_autofree char *lbl_path = g_build_filename(dir, lbl_name, NULL);
    idx_expect ei = { IDX_MAGIC_IMAGES, 3, { count, FMNIST_SIDE, FMNIST_SIDE } };
    idx_expect el = { IDX_MAGIC_LABELS, 1, { count, 0, 0 } };
    if (!idx_file_read(img_path, &ei, img, error))
        return FALSE;
    if (!idx_file_read(lbl_path, &el, lbl, error)) {
        idx_file_clear(img);
        return FALSE;
    }
    for (size_t i = 0; i < lbl->size; i++) {
        if (lbl->data[i] >= FMNIST_CLASSES) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "%s: label %u at item %zu, expected 0..%d",
                        lbl_path, lbl->data[i], i, FMNIST_CLASSES - 1);
            idx_file_clear(img);
            idx_file_clear(lbl);
            return FALSE;
        }
    }
    return TRUE;
}

/* One split's arrays while it is being built. */
typedef struct raw_split {
    int64_t n;
    float *x;
    int32_t *labels, *true_labels;
    uint8_t *corrupted;
} raw_split;

/* Items idx[0..n) of img/lbl (idx NULL: 0..n-1), pixels scaled to [0, 1]. */
static void fill_raw(raw_split *r, const idx_file *img, const idx_file *lbl, const int64_t *idx, int64_t n)
{
    const size_t item = FMNIST_SIDE * FMNIST_SIDE;
    r->n = n;
    r->x = g_new(float, MAX(n, 1) * item);
    r->labels = g_new(int32_t, MAX(n, 1));
    for (int64_t i = 0; i < n; i++) {
        int64_t src = idx ? idx[i] : i;
        const uint8_t *px = img->data + (size_t)src * item;
        for (size_t k = 0; k < item; k++)
            r->x[(size_t)i * item + k] = px[k] * (1.0f / 255.0f);
        r->labels[i] = lbl->data[src];
    }
}

/* The oracle's train split: the uncorrupted items only, compacted in place.
 * No mask is left (every kept label is clean), so no cleaning scores. */
static void drop_corrupted_items(raw_split *r)
{
    const size_t item = FMNIST_SIDE * FMNIST_SIDE;
    int64_t kept = 0;
    for (int64_t i = 0; i < r->n; i++) {
        if (r->corrupted[i])
            continue;
        memmove(r->x + (size_t)kept * item, r->x + (size_t)i * item, item * sizeof(float));
        r->labels[kept++] = r->labels[i];
    }
    r->n = kept;
    g_clear_pointer(&r->true_labels, g_free);
    g_clear_pointer(&r->corrupted, g_free);
}

/* The split object over r's arrays (which it then owns). */
static blo_split *make_split(const char *name, raw_split *r, gboolean flatten)
{
    blo_split *s = blo_split_new(name, r->n);
    const int64_t flat[] = { FMNIST_SIDE * FMNIST_SIDE }, image[] = { 1, FMNIST_SIDE, FMNIST_SIDE };
    /* only programming errors can fail here: the names and shapes are fixed */
    blo_split_add_dense(s, "image", BLO_DTYPE_F32, r->x, flatten ? 1 : 3, flatten ? flat : image, g_free, NULL);
    blo_split_add_dense(s, "label", BLO_DTYPE_I32, r->labels, 0, NULL, g_free, NULL);
    blo_split_set_range(s, "image", 0.0f, 1.0f);
    blo_split_set_classes(s, "label", FMNIST_CLASSES, -1);
    if (r->true_labels) {
        blo_split_add_dense(s, "true_label", BLO_DTYPE_I32, r->true_labels, 0, NULL, g_free, NULL);
        blo_split_set_classes(s, "true_label", FMNIST_CLASSES, -1);
        blo_split_add_dense(s, "corrupted", BLO_DTYPE_U8, r->corrupted, 0, NULL, g_free, NULL);
    }
    *r = (raw_split){ 0 };
    return s;
}

static void raw_clear(raw_split *r)
{
    g_free(r->x);
    g_free(r->labels);
    g_free(r->true_labels);
    g_free(r->corrupted);
}

fmnist_data *fmnist_data_load(const fmnist_config *cfg, GError **error)
{
    if (cfg->n_train + cfg->n_val > (int64_t)cfg->expect_train) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_RANGE,
                    "fashion-mnist: n_train + n_val = %" G_GINT64_FORMAT ", at most %u training images exist",
                    cfg->n_train + cfg->n_val, cfg->expect_train);
        return NULL;
    }
    if (cfg->n_test > (int64_t)cfg->expect_test) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_RANGE,
                    "fashion-mnist: n_test = %" G_GINT64_FORMAT ", at most %u test images exist",
                    cfg->n_test, cfg->expect_test);
        return NULL;
    }
    idx_file img = { 0 }, lbl = { 0 };
    if (!read_pair(cfg->dir, FMNIST_TRAIN_IMAGES, FMNIST_TRAIN_LABELS, cfg->expect_train, &img, &lbl, error))
        return NULL;
    raw_split raw[FMNIST_N_SPLITS] = { { 0 } };
    blo_rng rng;
    blo_rng_seed(&rng, cfg->seed);
    blo_rng split_rng = blo_rng_fork(&rng, 1), noise_rng = blo_rng_fork(&rng, 2);
    int64_t *order = g_new(int64_t, cfg->expect_train);
    blo_data_permutation(order, cfg->expect_train, &split_rng);
    fill_raw(&raw[FMNIST_TRAIN], &img, &lbl, order, cfg->n_train);
    fill_raw(&raw[FMNIST_VAL], &img, &lbl, order + cfg->n_train, cfg->n_val);
    g_free(order);
    idx_file_clear(&img);
    idx_file_clear(&lbl);

    if (cfg->corrupt > 0) {
        raw_split *r = &raw[FMNIST_TRAIN];
        r->true_labels = g_new(int32_t, MAX(r->n, 1));
        r->corrupted = g_new(uint8_t, MAX(r->n, 1));
        blo_corrupt_labels(r->labels, r->true_labels, r->corrupted, r->n, FMNIST_CLASSES, cfg->corrupt, &noise_rng);
        if (cfg->drop_corrupted)
            drop_corrupted_items(r);
    }

    if (!read_pair(cfg->dir, FMNIST_TEST_IMAGES, FMNIST_TEST_LABELS, cfg->expect_test, &img, &lbl, error)) {
        for (int i = 0; i < FMNIST_N_SPLITS; i++)
            raw_clear(&raw[i]);
        return NULL;
    }
    fill_raw(&raw[FMNIST_TEST], &img, &lbl, NULL, cfg->n_test);
    idx_file_clear(&img);
    idx_file_clear(&lbl);
    fmnist_data *d = g_new0(fmnist_data, 1);
    for (int i = 0; i < FMNIST_N_SPLITS; i++)
        d->splits[i] = make_split(fmnist_split_names[i], &raw[i], cfg->flatten);
    return d;
}

void fmnist_data_free(fmnist_data *d)
{
    if (!d)
        return;
    for (int i = 0; i < FMNIST_N_SPLITS; i++)
        blo_split_free(d->splits[i]);
    g_free(d);
}
