#include "idx_fixture.h"
#include "fmnist_data.h"
#include "idx_file.h"

#include <glib/gstdio.h>
#include <string.h>
#include <zlib.h>

static void put_be32(uint8_t *b, uint32_t v)
{
    b[0] = v >> 24; b[1] = v >> 16; b[2] = v >> 8; b[3] = v;
}

static void write_file(const char *path, const uint8_t *data, size_t n, gboolean plain)
{
    if (plain) {
        g_assert_true(g_file_set_contents(path, (const char *)data, (gssize)n, NULL));
        return;
    }
    gzFile gz = gzopen(path, "wb1");
    g_assert_nonnull(gz);
    g_assert_cmpint(gzwrite(gz, data, (unsigned)n), ==, (int)n);
    gzclose(gz);
}

void idx_fixture_images(const char *path, const idx_fixture_opts *o)
{
    uint32_t rows = o->rows ? o->rows : 28, items = o->items ? o->items : o->count;
    size_t item = (size_t)rows * 28, n = 16 + (size_t)items * item;
    uint8_t *b = g_malloc(n);
    put_be32(b, o->magic ? o->magic : IDX_MAGIC_IMAGES);
    put_be32(b + 4, o->count);
    put_be32(b + 8, rows);
    put_be32(b + 12, 28);
    for (uint32_t i = 0; i < items; i++) {
        uint8_t *px = b + 16 + i * item;
        for (size_t k = 0; k < item; k++)
            px[k] = (uint8_t)((i * 7 + k) % 64);   /* dim background */
        px[0] = (uint8_t)(i % 256);
        px[1] = (uint8_t)(i / 256);
        /* A bright row that gives the class away, so a model can learn it. */
        if (rows >= 24)
            memset(px + (size_t)(4 + 2 * (i % 10)) * 28, 255, 28);
    }
    write_file(path, b, n, o->plain);
    g_free(b);
}

void idx_fixture_labels(const char *path, const idx_fixture_opts *o)
{
    uint32_t items = o->items ? o->items : o->count;
    size_t n = 8 + items;
    uint8_t *b = g_malloc(n);
    put_be32(b, o->magic ? o->magic : IDX_MAGIC_LABELS);
    put_be32(b + 4, o->count);
    for (uint32_t i = 0; i < items; i++)
        b[8 + i] = (uint8_t)(i % 10);
    write_file(path, b, n, o->plain);
    g_free(b);
}

char *idx_fixture_path(const char *dir, const char *name)
{
    return g_build_filename(dir, name, NULL);
}

char *idx_fixture_dir(uint32_t n_train, uint32_t n_test)
{
    char *dir = g_dir_make_tmp("blo-fmnist-XXXXXX", NULL);
    g_assert_nonnull(dir);
    const char *names[4] = { FMNIST_TRAIN_IMAGES, FMNIST_TRAIN_LABELS, FMNIST_TEST_IMAGES, FMNIST_TEST_LABELS };
    for (int f = 0; f < 4; f++) {
        char *p = idx_fixture_path(dir, names[f]);
        idx_fixture_opts o = { .count = f < 2 ? n_train : n_test };
        if (f % 2 == 0)
            idx_fixture_images(p, &o);
        else
            idx_fixture_labels(p, &o);
        g_free(p);
    }
    return dir;
}

void idx_fixture_remove_dir(char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *p = g_build_filename(dir, name, NULL);
        g_unlink(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
    g_free(dir);
}
