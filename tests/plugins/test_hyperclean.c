/* objective:hyperclean core: cleaning scores, the lower loss and its
 * gradient in x against finite differences and the closed form. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "cleaning_scores.h"
#include "gradcheck_util.h"
#include "hyperclean_core.h"
#include "seq_model.h"

Test(hyperclean, f1_two_thirds_at_zero)
{
    enum { N = 10 };
    float x[N] = { 0 };
    uint8_t corrupted[N] = { 1, 0, 1, 0, 1, 0, 1, 0, 1, 0 };
    cleaning_scores cs;
    cleaning_scores_compute(x, corrupted, N, &cs);
    cr_expect_float_eq(cs.precision, 0.5, 1e-12);
    cr_expect_float_eq(cs.recall, 1.0, 1e-12);
    cr_expect_float_eq(cs.f1, 2.0 / 3.0, 1e-12);
    /* A perfect separation, then one clean sample dropped. */
    for (int i = 0; i < N; i++)
        x[i] = corrupted[i] ? -1.0f : 1.0f;
    cleaning_scores_compute(x, corrupted, N, &cs);
    cr_expect_float_eq(cs.f1, 1.0, 1e-12);
    x[1] = -0.1f;
    cleaning_scores_compute(x, corrupted, N, &cs);
    cr_expect_float_eq(cs.precision, 1.0, 1e-12);
    cr_expect_float_eq(cs.recall, 0.8, 1e-12);
}

/* A small random 3-class problem: D inputs, n_train / n_val items. */
enum { D = 6, C = 3, NT = 20, NV = 12 };

typedef struct fixture {
    float xt[NT * D], xv[NV * D];
    int32_t lt[NT], lv[NV];
    uint8_t corrupted[NT];
    blo_split *train, *val, *test;
    seq_model model;
    hyperclean hc;
    float y[D * C + C];
} fixture;

/* A split viewing x [n, D] and labels [n] (the fixture keeps the data). */
static blo_split *make_split(const char *name, float *x, int32_t *labels, int64_t n)
{
    blo_split *s = blo_split_new(name, n);
    cr_assert(blo_split_add_dense(s, "image", BLO_DTYPE_F32, x, 1, (int64_t[]){ D }, NULL, NULL));
    cr_assert(blo_split_add_dense(s, "label", BLO_DTYPE_I32, labels, 0, NULL, NULL, NULL));
    blo_split_set_classes(s, "label", C, -1);
    return s;
}

static void fixture_init(fixture *f, double holdout)
{
    blo_rng r;
    blo_rng_seed(&r, 42);
    for (int i = 0; i < NT * D; i++)
        f->xt[i] = blo_rng_normal(&r);
    for (int i = 0; i < NV * D; i++)
        f->xv[i] = blo_rng_normal(&r);
    for (int i = 0; i < NT; i++) {
        f->lt[i] = (int32_t)blo_rng_below(&r, C);
        f->corrupted[i] = i % 2;
    }
    for (int i = 0; i < NV; i++)
        f->lv[i] = (int32_t)blo_rng_below(&r, C);
    f->train = make_split("train", f->xt, f->lt, NT);
    cr_assert(blo_split_add_dense(f->train, "corrupted", BLO_DTYPE_U8, f->corrupted, 0, NULL, NULL, NULL));
    f->val = make_split("val", f->xv, f->lv, NV);
    f->test = make_split("test", f->xv, f->lv, NV);
    f->model = (seq_model){ .init = SEQ_INIT_XAVIER };
    seq_add_dense(&f->model, SEQ_OUT_CLASSES);
    cr_assert_eq(seq_setup_shapes(&f->model, 1, (int64_t[]){ D }, C, NULL), D * C + C);
    f->hc = (hyperclean){ .holdout = holdout };
    GError *err = NULL;
    static const blo_learner_vtable lvt = SEQ_LEARNER_VTABLE(NULL);
    cr_assert(hyperclean_bind(&f->hc, f->train, f->val, f->test, &lvt, &f->model, "image", D * C + C, &err),
              "%s", err ? err->message : "");
    cr_assert_eq(f->hc.dim_y, D * C + C);
    seq_init_params(&f->model, f->y, &r, NULL);
}

static fixture fx;

static blo_tensor *lower_of_x(blo_graph *g, blo_tensor *x, void *user)
{
    blo_tensor *y = blo_leaf(g, fx.y, BLO_SHAPE(D * C + C), FALSE);
    return hyperclean_lower(&fx.hc, x, y);
}

static float x0[NT];

static blo_tensor *lower_of_y(blo_graph *g, blo_tensor *y, void *user)
{
    return hyperclean_lower(&fx.hc, blo_leaf(g, x0, BLO_SHAPE(NT), FALSE), y);
}

static blo_tensor *upper_of_y(blo_graph *g, blo_tensor *y, void *user)
{
    return hyperclean_upper(&fx.hc, blo_leaf(g, x0, BLO_SHAPE(NT), FALSE), y);
}

Test(hyperclean, lower_gradient_in_x)
{
    fixture_init(&fx, 0);
    float x[NT];
    blo_rng r;
    blo_rng_seed(&r, 3);
    for (int i = 0; i < NT; i++)
        x[i] = blo_rng_normal(&r);
    int64_t worst = -1;
    double ratio = fd_check(lower_of_x, NULL, x, NT, 1e-2f, 1e-5, 2e-2, &worst);
    cr_expect_leq(ratio, 1.0, "df/dx mismatch at %ld (ratio %g)", (long)worst, ratio);

    /* Closed form: df/dx_i = sigma'(x_i) CE_i / n, with CE_i from the logits. */
    blo_graph *g = blo_graph_new();
    blo_tensor *xl = blo_leaf(g, x, BLO_SHAPE(NT), TRUE);
    blo_tensor *f = lower_of_x(g, xl, NULL);
    float gx[NT] = { 0 };
    cr_assert(blo_backward_into(f, xl, gx, NULL));
    blo_graph_reset(g);
    blo_graph_push_no_grad(g);
    blo_tensor *in = blo_leaf(g, fx.xt, BLO_SHAPE(NT, D), FALSE);
    blo_forward fw = { .struct_size = sizeof fw, .y = blo_leaf(g, fx.y, BLO_SHAPE(D * C + C), FALSE), .inputs = &in };
    blo_tensor *logits = seq_forward(&fx.model, &fw);
    blo_tensor *ce = blo_cross_entropy_each(logits, fx.lt, -1);
    for (int i = 0; i < NT; i++) {
        double s = 1.0 / (1.0 + exp(-x[i]));
        cr_expect_float_eq(gx[i], s * (1 - s) * ce->data[i] / NT, 1e-6, "item %d", i);
    }
    blo_graph_pop_no_grad(g);
    blo_graph_free(g);
}

Test(hyperclean, gradients_in_y)
{
    fixture_init(&fx, 0);
    blo_rng r;
    blo_rng_seed(&r, 4);
    for (int i = 0; i < NT; i++)
        x0[i] = blo_rng_normal(&r);
    int64_t worst = -1;
    double ratio = fd_check(lower_of_y, NULL, fx.y, D * C + C, 1e-2f, 1e-4, 2e-2, &worst);
    cr_expect_leq(ratio, 1.0, "df/dy mismatch at %ld (ratio %g)", (long)worst, ratio);
    ratio = fd_check(upper_of_y, NULL, fx.y, D * C + C, 1e-2f, 1e-4, 2e-2, &worst);
    cr_expect_leq(ratio, 1.0, "dF/dy mismatch at %ld (ratio %g)", (long)worst, ratio);
}

Test(hyperclean, holdout_shrinks_upper_set)
{
    fixture_init(&fx, 0.25);
    cr_expect_eq(fx.hc.n_upper, NV - 3);
}

Test(hyperclean, missing_split_is_unsupported)
{
    fixture f;
    f.train = make_split("train", f.xt, f.lt, NT);
    f.val = make_split("val", f.xv, f.lv, NV);
    f.model = (seq_model){ .init = SEQ_INIT_ZERO };
    seq_add_dense(&f.model, SEQ_OUT_CLASSES);
    f.hc = (hyperclean){ 0 };
    static const blo_learner_vtable lvt = SEQ_LEARNER_VTABLE(NULL);
    GError *err = NULL;
    cr_expect_not(hyperclean_bind(&f.hc, f.train, f.val, NULL, &lvt, &f.model, "image", D * C + C, &err));
    blo_split_free(f.train);
    blo_split_free(f.val);
    cr_assert_not_null(err);
    cr_expect_eq(err->code, BLO_ERROR_UNSUPPORTED);
    cr_expect(strstr(err->message, "'test'") != NULL, "%s", err->message);
    g_error_free(err);
}
