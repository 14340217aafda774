#include "robust_fixture.h"
#include "core/registry_private.h"

#include <criterion/criterion.h>
#include <math.h>

static void ensure_registry(void)
{
    if (blo_registry_get_default())
        return;
    blo_registry *reg = blo_registry_new();
    cr_assert_gt(blo_registry_load_dir(reg, BLO_BUILD_PLUGINS_DIR), 0, "no plugins in " BLO_BUILD_PLUGINS_DIR);
    blo_registry_set_default(reg);
}

void fixture_register(const blo_plugin_entry *e)
{
    ensure_registry();
    blo_registry_add_plugin(blo_registry_get_default(), e, "(test)");
}

blo_object *fixture_object(const char *text)
{
    ensure_registry();
    GError *err = NULL;
    blo_pipeline *p = blo_pipeline_parse(text, &err);
    cr_assert_not_null(p, "%s: %s", text, err ? err->message : "");
    cr_assert(blo_pipeline_resolve(p, blo_registry_get_default(), &err), "%s: %s", text, err ? err->message : "");
    blo_object *o = blo_object_new_from_node(g_ptr_array_index(p->nodes, 0), NULL, &err);
    cr_assert_not_null(o, "%s: %s", text, err ? err->message : "");
    blo_pipeline_free(p);
    return o;
}

blo_object *fixture_learner(const char *text, int in_ndim, const int64_t *in_shape, int64_t n_out,
                            float **y, int64_t *n_y, uint64_t seed)
{
    blo_object *l = fixture_object(text);
    const blo_learner_vtable *vt = blo_object_learner(l);
    cr_assert_not_null(vt);
    GError *err = NULL;
    /* a one-item split declares the shapes and classes the learner is set up for */
    int64_t numel = 1;
    for (int d = 0; d < in_ndim; d++)
        numel *= in_shape[d];
    blo_split *shapes = blo_split_new("train", 1);
    cr_assert(blo_split_add_dense(shapes, "image", BLO_DTYPE_F32, g_new0(float, numel), in_ndim, in_shape, g_free, NULL));
    cr_assert(blo_split_add_dense(shapes, "label", BLO_DTYPE_I32, g_new0(int32_t, 1), 0, NULL, g_free, NULL));
    blo_split_set_classes(shapes, "label", (int32_t)n_out, -1);
    *n_y = blo_learner_setup_object(l, NULL, shapes, &err);
    blo_split_free(shapes);
    cr_assert_gt(*n_y, 0, "%s", err ? err->message : "");
    *y = g_new(float, *n_y);
    blo_rng rng;
    blo_rng_seed(&rng, seed);
    cr_assert(vt->init(blo_object_self(l), *y, &rng, NULL));
    return l;
}

double fixture_max_dist(const float *x, const float *adv, int64_t B, int64_t D, gboolean l2)
{
    double worst = 0;
    for (int64_t i = 0; i < B; i++) {
        double d = 0;
        for (int64_t j = 0; j < D; j++) {
            double e = fabs((double)adv[i * D + j] - x[i * D + j]);
            d = l2 ? d + e * e : fmax(d, e);
        }
        worst = fmax(worst, l2 ? sqrt(d) : d);
    }
    return worst;
}
