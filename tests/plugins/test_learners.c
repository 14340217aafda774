/* learner:linear / mlp / cnn: parameter layout and gradients of forward + CE
 * against finite differences, at small sizes. */
#include <criterion/criterion.h>
#include <math.h>

#include "gradcheck_util.h"
#include "seq_model.h"

typedef struct learner_case {
    seq_model *m;
    float *input;
    int in_ndim;
    int64_t in_shape[4];    /* with the batch dimension */
    int32_t *labels;
} learner_case;

static blo_tensor *learner_loss(blo_graph *g, blo_tensor *y, void *user)
{
    learner_case *c = user;
    blo_tensor *in = blo_leaf(g, c->input, c->in_ndim, c->in_shape, FALSE);
    blo_forward fw = { .struct_size = sizeof fw, .y = y, .inputs = &in, .mode = BLO_MODE_TRAIN };
    return blo_cross_entropy(seq_forward(c->m, &fw), c->labels, -1);
}

static void fill_normal(float *v, int64_t n, float scale, uint64_t seed)
{
    blo_rng r;
    blo_rng_seed(&r, seed);
    for (int64_t i = 0; i < n; i++)
        v[i] = scale * blo_rng_normal(&r);
}

/* Sets m up for items of in_shape[1..] with 3 classes and checks the gradient. */
static void check_gradient(seq_model *m, int in_ndim, const int64_t *in_shape, int64_t expect_params)
{
    int64_t batch = in_shape[0], item = 1;
    for (int d = 1; d < in_ndim; d++)
        item *= in_shape[d];
    GError *err = NULL;
    int64_t n = seq_setup_shapes(m, in_ndim - 1, in_shape + 1, 3, &err);
    cr_assert_eq(n, expect_params, "parameters: %ld (%s)", (long)n, err ? err->message : "");
    learner_case c = { .m = m, .in_ndim = in_ndim };
    for (int d = 0; d < in_ndim; d++)
        c.in_shape[d] = in_shape[d];
    c.input = g_new(float, batch * item);
    fill_normal(c.input, batch * item, 1.0f, 11);
    c.labels = g_new(int32_t, batch);
    for (int64_t i = 0; i < batch; i++)
        c.labels[i] = (int32_t)(i % 3);
    float *y = g_new(float, n);
    blo_rng r;
    blo_rng_seed(&r, 5);
    seq_init_params(m, y, &r, NULL);
    /* Non-zero biases too, so every parameter matters. */
    float *noise = g_new(float, n);
    fill_normal(noise, n, 0.05f, 9);
    blo_vec_axpy((size_t)n, 1.0f, noise, y);
    int64_t worst = -1;
    double ratio = fd_check(learner_loss, &c, y, n, 1e-2f, 2e-3, 3e-2, &worst);
    cr_expect_leq(ratio, 1.0, "gradient mismatch at parameter %ld (ratio %g)", (long)worst, ratio);
    g_free(noise);
    g_clear_pointer(&m->layout, blo_param_layout_free);
    g_free(y);
    g_free(c.labels);
    g_free(c.input);
}

Test(learners, linear_gradient)
{
    seq_model m = { .init = SEQ_INIT_XAVIER };
    seq_add_dense(&m, SEQ_OUT_CLASSES);
    check_gradient(&m, 2, (int64_t[]){ 5, 7 }, 7 * 3 + 3);
}

Test(learners, linear_on_images_flattens)
{
    seq_model m = { .init = SEQ_INIT_XAVIER };
    seq_add_dense(&m, SEQ_OUT_CLASSES);
    check_gradient(&m, 4, (int64_t[]){ 4, 1, 3, 3 }, 9 * 3 + 3);
}

Test(learners, mlp_gradient)
{
    seq_model m = { .init = SEQ_INIT_KAIMING };
    seq_add_dense(&m, 6);
    seq_add_relu(&m);
    seq_add_dense(&m, SEQ_OUT_CLASSES);
    check_gradient(&m, 2, (int64_t[]){ 6, 8 }, 8 * 6 + 6 + 6 * 3 + 3);
}

static void build_cnn(seq_model *m)
{
    seq_add_conv(m, 2, 3);
    seq_add_relu(m);
    seq_add_maxpool(m, 2);
    seq_add_conv(m, 3, 3);
    seq_add_relu(m);
    seq_add_maxpool(m, 2);
    seq_add_dense(m, 4);
    seq_add_relu(m);
    seq_add_dense(m, SEQ_OUT_CLASSES);
}

/* 12x12 -> conv 10x10 -> pool 5x5 -> conv 3x3 -> pool 1x1 -> fc 4 -> fc 3 */
#define SMALL_CNN_PARAMS (2 * 9 + 2 + 3 * 2 * 9 + 3 + 3 * 4 + 4 + 4 * 3 + 3)

Test(learners, cnn_gradient)
{
    seq_model m = { .init = SEQ_INIT_KAIMING };
    build_cnn(&m);
    check_gradient(&m, 4, (int64_t[]){ 3, 1, 12, 12 }, SMALL_CNN_PARAMS);
}

Test(learners, cnn_reads_flat_square_items)
{
    seq_model m = { .init = SEQ_INIT_KAIMING };
    build_cnn(&m);
    check_gradient(&m, 2, (int64_t[]){ 3, 144 }, SMALL_CNN_PARAMS);
}

Test(learners, cnn_rejects_non_square_flat_items)
{
    seq_model m = { .init = SEQ_INIT_KAIMING };
    build_cnn(&m);
    GError *err = NULL;
    cr_expect_eq(seq_setup_shapes(&m, 1, (int64_t[]){ 150 }, 3, &err), -1);
    cr_assert_not_null(err);
    cr_expect_eq(err->code, BLO_ERROR_SHAPE);
    g_error_free(err);
    blo_param_layout_free(m.layout);
}

Test(learners, fashion_mnist_sizes)
{
    seq_model lin = { .init = SEQ_INIT_ZERO }, mlp = { .init = SEQ_INIT_KAIMING }, cnn = { .init = SEQ_INIT_KAIMING };
    seq_add_dense(&lin, SEQ_OUT_CLASSES);
    seq_add_dense(&mlp, 300);
    seq_add_relu(&mlp);
    seq_add_dense(&mlp, SEQ_OUT_CLASSES);
    seq_add_conv(&cnn, 32, 3);
    seq_add_relu(&cnn);
    seq_add_maxpool(&cnn, 2);
    seq_add_conv(&cnn, 64, 3);
    seq_add_relu(&cnn);
    seq_add_maxpool(&cnn, 2);
    seq_add_dense(&cnn, 128);
    seq_add_relu(&cnn);
    seq_add_dense(&cnn, SEQ_OUT_CLASSES);
    int64_t flat[1] = { 784 };
    cr_expect_eq(seq_setup_shapes(&lin, 1, flat, 10, NULL), 7850);
    cr_expect_eq(seq_setup_shapes(&mlp, 1, flat, 10, NULL), 784 * 300 + 300 + 3010);
    /* conv 1->32: 320, conv 32->64: 18496, fc 1600->128: 204928, fc 128->10: 1290 */
    cr_expect_eq(seq_setup_shapes(&cnn, 3, (int64_t[]){ 1, 28, 28 }, 10, NULL), 225034);
    /* Zero init really is zero; Kaiming init is not. */
    float *y = g_new(float, 238510);
    blo_rng r;
    blo_rng_seed(&r, 1);
    seq_init_params(&lin, y, &r, NULL);
    cr_expect_eq(blo_vec_nrm2(7850, y), 0.0);
    seq_init_params(&mlp, y, &r, NULL);
    cr_expect_gt(blo_vec_nrm2(784 * 300, y), 1.0);
    cr_expect_eq(blo_vec_nrm2(300, y + 784 * 300), 0.0, "biases start at zero");
    blo_param_layout_free(lin.layout);
    blo_param_layout_free(mlp.layout);
    blo_param_layout_free(cnn.layout);
    g_free(y);
}
