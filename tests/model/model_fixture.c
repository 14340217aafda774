/* Tests only: the fixture model of model_fixture.h. */
#include "model_fixture.h"
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>

blo_param_layout *fixture_layout(const char *spec)
{
    blo_param_layout *l = blo_param_layout_new();
    char **items = g_strsplit(spec, " ", -1);
    for (char **it = items; *it; it++) {
        char **parts = g_strsplit(*it, ":", 2);
        char **dims = g_strsplit(parts[1], ",", -1);
        int64_t shape[BLO_MAX_DIMS];
        int nd = 0;
        for (; dims[nd] && nd < BLO_MAX_DIMS; nd++)
            shape[nd] = g_ascii_strtoll(dims[nd], NULL, 10);
        GError *e = NULL;
        cr_assert_geq(blo_param_layout_add(l, parts[0], nd, shape, &e), 0, "%s", e ? e->message : "");
        g_strfreev(dims);
        g_strfreev(parts);
    }
    g_strfreev(items);
    return l;
}

void fixture_model_init(fixture_model *f, uint64_t seed)
{
    f->params = fixture_layout("conv.weight:2,1,3,3 conv.bias:2 fc.weight:3,8");
    f->state = fixture_layout("bn.running_mean:2 bn.running_var:2");
    f->n_y = blo_param_layout_size(f->params);
    f->n_state = blo_param_layout_size(f->state);
    f->y = g_new(float, f->n_y);
    f->state_data = g_new(float, f->n_state);
    blo_rng rng;
    blo_rng_seed(&rng, seed);
    blo_init_normal(f->y, (size_t)f->n_y, 0.0f, 1.0f, &rng);
    blo_init_uniform(f->state_data, (size_t)f->n_state, 0.5f, 2.0f, &rng);
    f->y[0] = -0.0f;
    f->y[1] = 1e-40f;
    f->y[2] = INFINITY;
    f->y[3] = NAN;
    f->m = (blo_learner_model){ .params = f->params, .state = f->state, .state_data = f->state_data };
}

void fixture_model_clear(fixture_model *f)
{
    blo_param_layout_free(f->params);
    blo_param_layout_free(f->state);
    g_free(f->y);
    g_free(f->state_data);
}

char *fixture_dir_new(void)
{
    GError *e = NULL;
    char *d = g_dir_make_tmp("blo-model-XXXXXX", &e);
    cr_assert_not_null(d, "%s", e ? e->message : "");
    return d;
}

void fixture_dir_remove(char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *p = g_build_filename(dir, name, NULL);
        g_remove(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
    g_free(dir);
}

GBytes *fixture_read(const char *path)
{
    gchar *buf;
    gsize len;
    cr_assert(g_file_get_contents(path, &buf, &len, NULL), "cannot read %s", path);
    return g_bytes_new_take(buf, len);
}

void fixture_write(const char *path, const void *data, size_t len)
{
    /* No fsync (the fuzz test writes thousands of files). */
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len, "cannot write %s", path);
    cr_assert_eq(fclose(f), 0, "cannot write %s", path);
}
