/* What every dataset shares: finding its folder, seeded permutations, label noise. */
#include <blo/blo.h>

#include <math.h>
#include <string.h>

static gboolean has_file(const char *dir, const char *file)
{
    g_autofree char *p = g_build_filename(dir, file, NULL);
    return g_file_test(p, G_FILE_TEST_EXISTS);
}

char *blo_data_find_dir(const char *root, const char *subdir, const char *probe_file, const char *default_dir,
                        const char *hint, GError **error)
{
    if (root && *root)
        return g_strdup(root);
    GString *searched = g_string_new(NULL);
    const char *env = g_getenv("BLO_DATA_PATH");
    g_auto(GStrv) parts = g_strsplit(env ? env : "", ":", -1);
    for (char **p = parts; *p; p++) {
        if (!**p)
            continue;
        char *dir = g_build_filename(*p, subdir, NULL);
        if (has_file(dir, probe_file)) {
            g_string_free(searched, TRUE);
            return dir;
        }
        g_string_append_printf(searched, "%s, ", dir);
        g_free(dir);
    }
    if (default_dir && has_file(default_dir, probe_file)) {
        g_string_free(searched, TRUE);
        return g_strdup(default_dir);
    }
    if (default_dir)
        g_string_append(searched, default_dir);
    else if (searched->len)
        g_string_truncate(searched, searched->len - 2);
    g_set_error(error, BLO_ERROR, BLO_ERROR_IO, "%s not found (searched %s); set root= or BLO_DATA_PATH%s%s",
                probe_file, searched->len ? searched->str : "no folder: BLO_DATA_PATH is empty", hint ? ", " : "",
                hint ? hint : "");
    g_string_free(searched, TRUE);
    return NULL;
}

void blo_data_permutation(int64_t *order, int64_t n_all, blo_rng *rng)
{
    for (int64_t i = 0; i < n_all; i++)
        order[i] = i;
    blo_rng_shuffle(rng, order, (size_t)n_all);
}

void blo_corrupt_labels(int32_t *labels, int32_t *true_labels, uint8_t *corrupted, int64_t n, int32_t n_classes,
                        double rho, blo_rng *rng)
{
    memcpy(true_labels, labels, (size_t)n * sizeof *labels);
    memset(corrupted, 0, (size_t)n);
    int64_t k = (int64_t)llround(rho * (double)n);
    if (k <= 0 || n_classes < 2)
        return;
    int64_t *order = g_new(int64_t, n);
    blo_data_permutation(order, n, rng);
    for (int64_t j = 0; j < k; j++) {
        int64_t i = order[j];
        /* A shift of 1..C-1 classes: uniform over the other classes. */
        int32_t shift = 1 + (int32_t)blo_rng_below(rng, (uint64_t)(n_classes - 1));
        labels[i] = (labels[i] + shift) % n_classes;
        corrupted[i] = 1;
    }
    g_free(order);
}
