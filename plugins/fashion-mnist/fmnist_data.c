/* Fashion-MNIST loading: four IDX files -> train / val / test splits. */
#include "fmnist_data.h"
#include "idx_file.h"

#include <math.h>
#include <string.h>

const char *const fmnist_split_names[FMNIST_N_SPLITS + 1] = { "train", "val", "test", NULL };

static gboolean dir_has_files(const char *dir)
{
    g_autofree char *p = g_build_filename(dir, FMNIST_TRAIN_IMAGES, NULL);
    return g_file_test(p, G_FILE_TEST_EXISTS);
}

char *fmnist_find_dir(const char *root, GError **error)
{
    if (root && *root)
        return g_strdup(root);   /* explicit: missing files are reported when read */
    GString *searched = g_string_new(NULL);
    const char *env = g_getenv("BLO_DATA_PATH");
    if (env && *env) {
        g_auto(GStrv) parts = g_strsplit(env, ":", -1);
        for (char **p = parts; *p; p++) {
            if (!**p)
                continue;
            char *dir = g_build_filename(*p, "fashion-mnist", NULL);
            if (dir_has_files(dir)) {
                g_string_free(searched, TRUE);
                return dir;
            }
            g_string_append_printf(searched, "%s, ", dir);
            g_free(dir);
        }
    }
    if (dir_has_files(FMNIST_DEFAULT_DIR)) {
        g_string_free(searched, TRUE);
        return g_strdup(FMNIST_DEFAULT_DIR);
    }
    g_string_append(searched, FMNIST_DEFAULT_DIR);
    g_set_error(error, BLO_ERROR, BLO_ERROR_IO,
                "fashion-mnist: %s not found (searched %s); set root= or BLO_DATA_PATH, "
                "or install the Debian package dataset-fashion-mnist", FMNIST_TRAIN_IMAGES, searched->str);
    g_string_free(searched, TRUE);
    return NULL;
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

/* Fills split s with the items idx[0..n) of img/lbl, pixels scaled to [0, 1]. */
static void fill_split(fmnist_data *d, int which, const fmnist_config *cfg, const idx_file *img,
                       const idx_file *lbl, const int64_t *idx, int64_t n)
{
    const size_t item = FMNIST_SIDE * FMNIST_SIDE;
    float *x = g_new(float, MAX(n, 1) * item);
    int32_t *labels = g_new(int32_t, MAX(n, 1));
    for (int64_t i = 0; i < n; i++) {
        int64_t src = idx ? idx[i] : i;
        const uint8_t *px = img->data + (size_t)src * item;
        for (size_t k = 0; k < item; k++)
            x[(size_t)i * item + k] = px[k] * (1.0f / 255.0f);
        labels[i] = lbl->data[src];
    }
    d->x[which] = x;
    d->labels[which] = labels;
    blo_split *s = &d->splits[which];
    s->struct_size = sizeof *s;
    s->name = fmnist_split_names[which];
    s->n = n;
    s->x = x;
    s->labels = labels;
    s->n_classes = FMNIST_CLASSES;
    s->x_min = 0.0f;
    s->x_max = 1.0f;
    if (cfg->flatten) {
        s->x_ndim = 2;
        s->x_shape[0] = n;
        s->x_shape[1] = (int64_t)item;
        s->x_shape[2] = s->x_shape[3] = 1;
    } else {
        s->x_ndim = 4;
        s->x_shape[0] = n;
        s->x_shape[1] = 1;
        s->x_shape[2] = s->x_shape[3] = FMNIST_SIDE;
    }
}

void fmnist_corrupt_labels(int32_t *labels, int32_t *true_labels, uint8_t *corrupted, int64_t n,
                           int32_t n_classes, double rho, blo_rng *rng)
{
    memcpy(true_labels, labels, (size_t)n * sizeof *labels);
    memset(corrupted, 0, (size_t)n);
    int64_t k = (int64_t)llround(rho * (double)n);
    if (k <= 0 || n_classes < 2)
        return;
    int64_t *order = g_new(int64_t, n);
    for (int64_t i = 0; i < n; i++)
        order[i] = i;
    blo_rng_shuffle(rng, order, (size_t)n);
    for (int64_t j = 0; j < k; j++) {
        int64_t i = order[j];
        /* A shift of 1..C-1 classes: uniform over the other classes. */
        int32_t shift = 1 + (int32_t)blo_rng_below(rng, (uint64_t)(n_classes - 1));
        labels[i] = (labels[i] + shift) % n_classes;
        corrupted[i] = 1;
    }
    g_free(order);
}

/* The oracle's train split: the uncorrupted items only, compacted in place.
 * No mask is left (every kept label is clean), so no cleaning scores. */
static void drop_corrupted_items(fmnist_data *d)
{
    blo_split *s = &d->splits[FMNIST_TRAIN];
    size_t item = (size_t)(s->x_ndim == 2 ? s->x_shape[1] : s->x_shape[1] * s->x_shape[2] * s->x_shape[3]);
    int64_t kept = 0;
    for (int64_t i = 0; i < s->n; i++) {
        if (d->corrupted[i])
            continue;
        memmove(d->x[FMNIST_TRAIN] + (size_t)kept * item, d->x[FMNIST_TRAIN] + (size_t)i * item,
                item * sizeof(float));
        d->labels[FMNIST_TRAIN][kept++] = d->labels[FMNIST_TRAIN][i];
    }
    s->n = s->x_shape[0] = kept;
    s->true_labels = NULL;
    s->corrupted = NULL;
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
    fmnist_data *d = g_new0(fmnist_data, 1);
    blo_rng rng;
    blo_rng_seed(&rng, cfg->seed);
    blo_rng split_rng = blo_rng_fork(&rng, 1), noise_rng = blo_rng_fork(&rng, 2);
    int64_t *order = g_new(int64_t, cfg->expect_train);
    for (int64_t i = 0; i < (int64_t)cfg->expect_train; i++)
        order[i] = i;
    blo_rng_shuffle(&split_rng, order, cfg->expect_train);
    fill_split(d, FMNIST_TRAIN, cfg, &img, &lbl, order, cfg->n_train);
    fill_split(d, FMNIST_VAL, cfg, &img, &lbl, order + cfg->n_train, cfg->n_val);
    g_free(order);
    idx_file_clear(&img);
    idx_file_clear(&lbl);

    if (cfg->corrupt > 0) {
        blo_split *s = &d->splits[FMNIST_TRAIN];
        d->true_labels = g_new(int32_t, MAX(s->n, 1));
        d->corrupted = g_new(uint8_t, MAX(s->n, 1));
        fmnist_corrupt_labels(d->labels[FMNIST_TRAIN], d->true_labels, d->corrupted, s->n,
                              FMNIST_CLASSES, cfg->corrupt, &noise_rng);
        s->true_labels = d->true_labels;
        s->corrupted = d->corrupted;
        if (cfg->drop_corrupted)
            drop_corrupted_items(d);
    }

    if (!read_pair(cfg->dir, FMNIST_TEST_IMAGES, FMNIST_TEST_LABELS, cfg->expect_test, &img, &lbl, error)) {
        fmnist_data_free(d);
        return NULL;
    }
    fill_split(d, FMNIST_TEST, cfg, &img, &lbl, NULL, cfg->n_test);
    idx_file_clear(&img);
    idx_file_clear(&lbl);
    return d;
}

void fmnist_data_free(fmnist_data *d)
{
    if (!d)
        return;
    for (int i = 0; i < FMNIST_N_SPLITS; i++) {
        g_free(d->x[i]);
        g_free(d->labels[i]);
    }
    g_free(d->true_labels);
    g_free(d->corrupted);
    g_free(d);
}
