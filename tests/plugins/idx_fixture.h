/* Tiny Fashion-MNIST-shaped IDX fixtures written by the tests themselves. */
#ifndef BLO_TEST_IDX_FIXTURE_H
#define BLO_TEST_IDX_FIXTURE_H

#include <glib.h>
#include <stdint.h>

/* Item i of a fixture: pixel 0 and 1 encode i (i % 256, i / 256), row
 * 4 + 2 (i % 10) is bright, the rest a pattern; label i % 10. */
typedef struct idx_fixture_opts {
    uint32_t magic;        /* 0: the right one */
    uint32_t count;        /* count written in the header */
    uint32_t items;        /* items actually written (0: count) */
    uint32_t rows;         /* 0: 28 */
    gboolean plain;        /* write uncompressed */
} idx_fixture_opts;

void idx_fixture_images(const char *path, const idx_fixture_opts *o);
void idx_fixture_labels(const char *path, const idx_fixture_opts *o);
/* A folder with all four files: n_train training and n_test test items. */
char *idx_fixture_dir(uint32_t n_train, uint32_t n_test);
/* Path of name inside dir (g_free). */
char *idx_fixture_path(const char *dir, const char *name);
void idx_fixture_remove_dir(char *dir);

#endif
