/* conv2d and conv_transpose2d: forward against a direct convolution,
 * gradients (first order and recorded) and Hessian-vector products against
 * finite differences over random shapes and options, and a second-order
 * check of a small CNN. */
#include "reference.h"
#include "hvp_check.h"

#include <criterion/criterion.h>
#include <math.h>

typedef struct conv_case {
    blo_conv2d_opts o;
    gboolean bias, transposed;
} conv_case;

static blo_tensor *conv_fn(blo_graph *g, blo_tensor *const *in, void *ctx)
{
    const conv_case *c = ctx;
    (void)g;
    return c->transposed ? blo_conv_transpose2d(in[0], in[1], c->bias ? in[2] : NULL, &c->o)
                         : blo_conv2d(in[0], in[1], c->bias ? in[2] : NULL, &c->o);
}

static int rand_in(blo_rng *r, int lo, int hi) /* [lo, hi) */
{
    return lo + (int)blo_rng_below(r, (uint64_t)(hi - lo));
}

/* Random options and inputs x, w, b; returns the number of inputs used. */
static int random_case(blo_rng *r, conv_case *c, gc_input *in, gboolean transposed)
{
    *c = (conv_case){.transposed = transposed, .bias = rand_in(r, 0, 2)};
    blo_conv2d_opts *o = &c->o;
    o->groups = rand_in(r, 1, 3);
    o->stride_h = rand_in(r, 1, 3);
    o->stride_w = rand_in(r, 1, 4);
    o->dilation_h = rand_in(r, 1, 3);
    o->dilation_w = rand_in(r, 1, 3);
    o->pad_h = rand_in(r, 0, 3);
    o->pad_w = rand_in(r, 0, 2);
    if (transposed) { /* below max(stride, dilation) */
        o->output_pad_h = rand_in(r, 0, MAX(o->stride_h, o->dilation_h));
        o->output_pad_w = rand_in(r, 0, MAX(o->stride_w, o->dilation_w));
    }
    const int64_t n = rand_in(r, 1, 3), cin = o->groups * rand_in(r, 1, 3), cout = o->groups * rand_in(r, 1, 3),
                  kh = rand_in(r, 1, 4), kw = rand_in(r, 1, 4), h = rand_in(r, 5, 9), w = rand_in(r, 5, 9);
    gc_alloc_uniform(&in[0], r, -1, 1, 4, (int64_t[]){n, cin, h, w});
    if (transposed)
        gc_alloc_uniform(&in[1], r, -1, 1, 4, (int64_t[]){cin, cout / o->groups, kh, kw});
    else
        gc_alloc_uniform(&in[1], r, -1, 1, 4, (int64_t[]){cout, cin / o->groups, kh, kw});
    gc_alloc_uniform(&in[2], r, -1, 1, 1, (int64_t[]){cout});
    return c->bias ? 3 : 2;
}

Test(conv, forward_matches_direct_convolution)
{
    blo_rng r;
    blo_rng_seed(&r, 1);
    for (int trial = 0; trial < 40; trial++) {
        conv_case c;
        gc_input in[3];
        random_case(&r, &c, in, FALSE);
        const blo_conv2d_opts *o = &c.o;
        conv_geom geom = {
            .n = in[0].shape[0], .c = in[0].shape[1], .h = in[0].shape[2], .w = in[0].shape[3],
            .o = in[1].shape[0], .kh = in[1].shape[2], .kw = in[1].shape[3], .sh = o->stride_h,
            .sw = o->stride_w, .ph = o->pad_h, .pw = o->pad_w, .dh = o->dilation_h, .dw = o->dilation_w,
            .groups = o->groups};
        geom.ho = conv_out_size(geom.h, geom.kh, geom.sh, geom.ph, geom.dh);
        geom.wo = conv_out_size(geom.w, geom.kw, geom.sw, geom.pw, geom.dw);
        blo_graph *g = blo_graph_new();
        blo_tensor *x = blo_leaf(g, in[0].data, 4, in[0].shape, FALSE);
        blo_tensor *w = blo_leaf(g, in[1].data, 4, in[1].shape, FALSE);
        blo_tensor *b = blo_leaf(g, in[2].data, 1, in[2].shape, FALSE);
        blo_tensor *y = blo_conv2d(x, w, b, o);
        cr_assert_not_null(y, "%s", blo_graph_error(g) ? blo_graph_error(g)->message : "");
        cr_assert(y->shape[2] == geom.ho && y->shape[3] == geom.wo);
        float *ref = g_new(float, y->numel);
        conv_reference(ref, in[0].data, in[1].data, &geom);
        const int64_t p = geom.ho * geom.wo;
        for (int64_t i = 0; i < y->numel; i++)
            cr_assert(fabsf(y->data[i] - ref[i] - in[2].data[(i / p) % geom.o]) < 1e-4f,
                      "trial %d element %ld", trial, (long)i);
        g_free(ref);
        blo_graph_free(g);
        gc_free(in, 3);
    }
}

static void check_random_cases(gboolean transposed, gboolean second_order, int trials, uint64_t seed)
{
    blo_rng r;
    blo_rng_seed(&r, seed);
    for (int trial = 0; trial < trials; trial++) {
        conv_case c;
        gc_input in[3];
        const int n = random_case(&r, &c, in, transposed);
        const blo_conv2d_opts *o = &c.o;
        if (second_order)
            cr_expect(hvp_check(conv_fn, &c, n, in), "trial %d", trial);
        else
            cr_expect(gradcheck(conv_fn, &c, n, in, NULL),
                      "trial %d: groups %d stride %dx%d pad %dx%d dilation %dx%d out pad %dx%d bias %d", trial,
                      o->groups, o->stride_h, o->stride_w, o->pad_h, o->pad_w, o->dilation_h, o->dilation_w,
                      o->output_pad_h, o->output_pad_w, c.bias);
        gc_free(in, 3);
    }
}

Test(conv, conv2d_gradients) { check_random_cases(FALSE, FALSE, 10, 2); }
Test(conv, conv_transpose2d_gradients) { check_random_cases(TRUE, FALSE, 10, 3); }
Test(conv, conv2d_hessian_vector_products) { check_random_cases(FALSE, TRUE, 8, 4); }
Test(conv, conv_transpose2d_hessian_vector_products) { check_random_cases(TRUE, TRUE, 8, 5); }

Test(conv, transposed_conv_is_adjoint_of_conv)
{
    /* <conv(x, w), u> = <x, conv_t(u, w)> with matching options */
    blo_rng r;
    blo_rng_seed(&r, 6);
    blo_graph *g = blo_graph_new();
    const blo_conv2d_opts o = {.stride_h = 2, .stride_w = 3, .pad_h = 1, .dilation_w = 2, .groups = 2};
    gc_input x, w;
    gc_alloc_uniform(&x, &r, -1, 1, 4, (int64_t[]){2, 4, 9, 11});
    gc_alloc_uniform(&w, &r, -1, 1, 4, (int64_t[]){6, 2, 3, 2});
    blo_tensor *tx = blo_leaf(g, x.data, 4, x.shape, FALSE), *tw = blo_leaf(g, w.data, 4, w.shape, FALSE);
    blo_tensor *y = blo_conv2d(tx, tw, NULL, &o);
    cr_assert_not_null(y);
    blo_tensor *u = blo_zeros(g, y->ndim, y->shape);
    for (int64_t i = 0; i < u->numel; i++)
        u->data[i] = (float)blo_rng_uniform(&r);
    blo_conv2d_opts ot = o;
    ot.output_pad_h = (int)((9 + 2 * o.pad_h - 3) % o.stride_h);
    ot.output_pad_w = (int)((11 - 2 * 1 - 1) % o.stride_w);
    blo_tensor *xt = blo_conv_transpose2d(u, tw, NULL, &ot);
    cr_assert_not_null(xt, "%s", blo_graph_error(g) ? blo_graph_error(g)->message : "");
    cr_assert(xt->shape[2] == 9 && xt->shape[3] == 11, "got %ld x %ld", (long)xt->shape[2], (long)xt->shape[3]);
    const float lhs = blo_dot(y, u)->data[0], rhs = blo_dot(tx, xt)->data[0];
    cr_assert(fabsf(lhs - rhs) < 1e-4f * (1 + fabsf(lhs)), "%g vs %g", lhs, rhs);
    blo_graph_free(g);
    gc_free(&x, 1);
    gc_free(&w, 1);
}

Test(conv, shape_errors_are_reported)
{
    blo_graph *g = blo_graph_new();
    blo_tensor *x = blo_zeros(g, BLO_SHAPE(1, 3, 5, 5));
    cr_assert_null(blo_conv2d(x, blo_zeros(g, BLO_SHAPE(4, 2, 3, 3)), NULL, NULL));
    cr_assert_eq(blo_graph_error(g)->code, BLO_ERROR_SHAPE);
    cr_assert(strstr(blo_graph_error(g)->message, "blo_conv2d"));
    blo_graph_reset(g);
    x = blo_zeros(g, BLO_SHAPE(1, 3, 5, 5));
    cr_assert_null(blo_conv2d(x, blo_zeros(g, BLO_SHAPE(4, 3, 7, 7)), NULL, NULL));
    cr_assert_not_null(blo_graph_error(g));
    blo_graph_reset(g);
    cr_assert_null(blo_conv2d(blo_zeros(g, BLO_SHAPE(1, 1, 4, 4)), blo_zeros(g, BLO_SHAPE(1, 1, 5, 5)), NULL,
                              &(blo_conv2d_opts){.stride_h = 2, .stride_w = 2}));
    cr_assert_not_null(blo_graph_error(g));
    blo_graph_reset(g);
    x = blo_zeros(g, BLO_SHAPE(1, 3, 5, 5));
    cr_assert_null(blo_conv_transpose2d(x, blo_zeros(g, BLO_SHAPE(3, 2, 3, 3)), NULL,
                                        &(blo_conv2d_opts){.stride_h = 2, .output_pad_h = 2}));
    cr_assert_eq(blo_graph_error(g)->code, BLO_ERROR_INVALID_ARG);
    blo_graph_free(g);
}

/* A small CNN loss of one flat parameter vector over 2 fixed 6x6 images:
 * conv 1->3 3x3 pad 1, tanh, avg pool 2, conv 3->2 3x3 pad 1, tanh,
 * max pool 2 stride 1, fc 8->3, cross-entropy. */
enum { CNN_W1 = 0, CNN_B1 = 27, CNN_W2 = 30, CNN_B2 = 84, CNN_W3 = 86, CNN_N = 86 + 3 * 8 };

static blo_tensor *cnn_loss(blo_graph *g, blo_tensor *const *in, void *ctx)
{
    static const int32_t labels[2] = {0, 2};
    blo_tensor *p = in[0], *x = in[1];
    const blo_conv2d_opts pad1 = {.pad_h = 1, .pad_w = 1};
    (void)g, (void)ctx;
    blo_tensor *h = blo_conv2d(x, blo_view(p, CNN_W1, BLO_SHAPE(3, 1, 3, 3)), blo_view(p, CNN_B1, BLO_SHAPE(3)), &pad1);
    h = blo_avg_pool2d(blo_tanh(h), 2, 2, 0);                                       /* [2,3,3,3] */
    h = blo_conv2d(h, blo_view(p, CNN_W2, BLO_SHAPE(2, 3, 3, 3)), blo_view(p, CNN_B2, BLO_SHAPE(2)), &pad1);
    h = blo_max_pool2d(blo_tanh(h), 2, 1, 0);                                       /* [2,2,2,2] */
    h = blo_reshape(h, BLO_SHAPE(2, 8));
    h = blo_linear(h, blo_view(p, CNN_W3, BLO_SHAPE(3, 8)), NULL);
    return blo_cross_entropy(h, labels, -1);
}

Test(conv, cnn_hessian_vector_product_matches_finite_differences)
{
    blo_rng r;
    blo_rng_seed(&r, 8);
    gc_input in[2];
    gc_alloc_uniform(&in[0], &r, -1, 1, 1, (int64_t[]){CNN_N});
    gc_alloc_uniform(&in[1], &r, -1, 1, 4, (int64_t[]){2, 1, 6, 6});
    in[1].constant = 1;
    cr_expect(gradcheck(cnn_loss, NULL, 2, in, NULL));
    cr_expect(hvp_check(cnn_loss, NULL, 2, in));
    gc_free(in, 2);
}

static float *copy_floats(const blo_tensor *t)
{
    float *c = g_new(float, t->numel);
    memcpy(c, t->data, (size_t)t->numel * sizeof(float));
    return c;
}

/* y, dL/dx, dL/dw, dL/db of a conv at `threads` threads into out[0..3]. */
static void conv_grads_at(int threads, gc_input *in, float **out)
{
    blo_set_threads(threads);
    blo_graph *g = blo_graph_new();
    blo_tensor *leaves[3], *grads[3];
    for (int i = 0; i < 3; i++)
        leaves[i] = blo_leaf(g, in[i].data, in[i].ndim, in[i].shape, TRUE);
    blo_tensor *y = blo_conv2d(leaves[0], leaves[1], leaves[2], &(blo_conv2d_opts){.pad_h = 1, .pad_w = 1});
    cr_assert_not_null(y);
    cr_assert(blo_grad(blo_dot(y, y), leaves, 3, grads, FALSE, NULL));
    out[0] = copy_floats(y);
    for (int i = 0; i < 3; i++)
        out[1 + i] = copy_floats(grads[i]);
    blo_graph_free(g);
}

Test(conv, results_do_not_depend_on_the_thread_count)
{
    blo_rng r;
    blo_rng_seed(&r, 9);
    gc_input in[3];
    gc_alloc_uniform(&in[0], &r, -1, 1, 4, (int64_t[]){16, 8, 12, 12});
    gc_alloc_uniform(&in[1], &r, -1, 1, 4, (int64_t[]){16, 8, 3, 3});
    gc_alloc_uniform(&in[2], &r, -1, 1, 1, (int64_t[]){16});
    float *one[4], *three[4];
    conv_grads_at(1, in, one);
    conv_grads_at(3, in, three);
    const int64_t sizes[4] = {16 * 16 * 144, gc_numel(&in[0]), gc_numel(&in[1]), 16};
    for (int k = 0; k < 4; k++) {
        cr_expect(memcmp(one[k], three[k], (size_t)sizes[k] * sizeof(float)) == 0, "output %d differs", k);
        g_free(one[k]), g_free(three[k]);
    }
    blo_set_threads(1);
    gc_free(in, 3);
}
