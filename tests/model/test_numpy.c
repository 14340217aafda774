/* numpy reads what blo writes (read_weights.py), and blo reads what numpy
 * writes (savez_compressed: deflated entries, zip64 local extra fields).
 * Skipped with a message when /usr/bin/python3 has no numpy. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "model_fixture.h"

static gboolean have_numpy(void)
{
    const char *argv[] = { "/usr/bin/python3", "-c", "import numpy", NULL };
    int status = -1;
    return g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL) && g_spawn_check_wait_status(status, NULL);
}

static void write_reference(const char *path, const fixture_model *f)
{
    GString *s = g_string_new(NULL);
    const blo_param_layout *layouts[] = { f->params, f->state };
    const float *data[] = { f->y, f->state_data };
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < blo_param_layout_len(layouts[k]); i++) {
            const blo_param_info *e = blo_param_layout_get(layouts[k], i);
            g_string_append_printf(s, "%s%s ", k ? "state/" : "", e->name);
            for (int d = 0; d < e->ndim; d++)
                g_string_append_printf(s, "%s%" G_GINT64_FORMAT, d ? "," : "", e->shape[d]);
            for (int64_t j = 0; j < e->numel; j++) {
                guint32 bits;
                memcpy(&bits, data[k] + e->offset + j, 4);
                g_string_append_printf(s, " %08x", bits);
            }
            g_string_append_c(s, '\n');
        }
    }
    fixture_write(path, s->str, s->len);
    g_string_free(s, TRUE);
}

Test(numpy, numpy_loads_names_shapes_and_values_and_blo_reads_numpy_files, .timeout = 60)
{
    if (!have_numpy())
        cr_skip_test("/usr/bin/python3 with numpy not found: the numpy interoperability check is skipped");
    char *dir = fixture_dir_new();
    fixture_model fm;
    fixture_model_init(&fm, 5);
    char *w = g_build_filename(dir, "w.npz", NULL), *ref = g_build_filename(dir, "ref.txt", NULL),
         *resaved = g_build_filename(dir, "numpy.npz", NULL);
    GError *e = NULL;
    cr_assert(blo_weights_write(w, &fm.m, fm.y, fm.n_y, "learner:fixture", &e), "%s", e ? e->message : "");
    write_reference(ref, &fm);
    const char *argv[] = { "/usr/bin/python3", READ_WEIGHTS_PY, w, ref, resaved, NULL };
    char *out = NULL, *err = NULL;
    int status = -1;
    cr_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &e),
              "%s", e ? e->message : "");
    cr_assert(g_spawn_check_wait_status(status, NULL), "read_weights.py failed:\n%s%s", out, err);
    cr_assert(strstr(out, "numpy read 5 arrays of learner:fixture") != NULL, "%s", out);
    fixture_model back;
    fixture_model_init(&back, 6);
    cr_assert(blo_weights_read(resaved, &back.m, back.y, back.n_y, &e), "numpy's file: %s",
              e ? e->message : "");
    cr_assert_eq(memcmp(back.y, fm.y, (size_t)fm.n_y * 4), 0);
    cr_assert_eq(memcmp(back.state_data, fm.state_data, (size_t)fm.n_state * 4), 0);
    fixture_model_clear(&back);
    fixture_model_clear(&fm);
    g_free(out);
    g_free(err);
    g_free(w);
    g_free(ref);
    g_free(resaved);
    fixture_dir_remove(dir);
}
