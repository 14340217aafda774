/* Attention pieces: scaled scores, causal mask, rotary embedding. */
#include "hvp_check.h"

#include <criterion/criterion.h>
#include <math.h>

static blo_tensor *scores_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    (void)g, (void)ctx;
    return blo_attention_scores(x[0], x[1], 0.5f);
}

/* softmax over the masked scores (the way the mask is used) */
static blo_tensor *masked_softmax_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    (void)g;
    return blo_softmax(blo_causal_mask(x[0], *(const int64_t *)ctx), -1);
}

static blo_tensor *rope_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    (void)g;
    return blo_rope(x[0], *(const int64_t *)ctx, 10000.0f);
}

Test(attention, scores_values_and_gradients)
{
    blo_rng r;
    blo_rng_seed(&r, 1);
    gc_input in[2];
    gc_alloc_uniform(&in[0], &r, -1, 1, 4, (int64_t[]){2, 2, 3, 4});
    gc_alloc_uniform(&in[1], &r, -1, 1, 4, (int64_t[]){2, 2, 5, 4});
    blo_graph *g = blo_graph_new();
    blo_tensor *s = blo_attention_scores(blo_leaf(g, in[0].data, 4, in[0].shape, FALSE),
                                         blo_leaf(g, in[1].data, 4, in[1].shape, FALSE), 0.5f);
    cr_assert_not_null(s);
    cr_assert(s->shape[2] == 3 && s->shape[3] == 5);
    /* batch 1, head 1, t 2, s 4 */
    double want = 0;
    for (int d = 0; d < 4; d++)
        want += in[0].data[((1 * 2 + 1) * 3 + 2) * 4 + d] * in[1].data[((1 * 2 + 1) * 5 + 4) * 4 + d];
    cr_expect(fabs(s->data[((1 * 2 + 1) * 3 + 2) * 5 + 4] - 0.5 * want) < 1e-5);
    cr_expect_null(blo_attention_scores(blo_zeros(g, BLO_SHAPE(1, 1, 2, 4)), blo_zeros(g, BLO_SHAPE(1, 1, 2, 3)), 1));
    blo_graph_free(g);
    cr_expect(gradcheck(scores_fn, NULL, 2, in, NULL));
    cr_expect(hvp_check(scores_fn, NULL, 2, in));
    gc_free(in, 2);
}

Test(attention, causal_mask)
{
    blo_rng r;
    blo_rng_seed(&r, 2);
    for (int64_t offset = 0; offset <= 2; offset++) {
        gc_input in;
        gc_alloc_uniform(&in, &r, -1, 1, 4, (int64_t[]){1, 2, 3, 5});
        blo_graph *g = blo_graph_new();
        blo_tensor *m = blo_causal_mask(blo_leaf(g, in.data, 4, in.shape, FALSE), offset);
        cr_assert_not_null(m);
        for (int64_t i = 0; i < m->numel; i++) {
            const int64_t t = (i / 5) % 3, s = i % 5;
            if (s > t + offset)
                cr_expect(isinf(m->data[i]) && m->data[i] < 0);
            else
                cr_expect_eq(m->data[i], in.data[i]);
        }
        blo_graph_free(g);
        cr_expect(gradcheck(masked_softmax_fn, &offset, 1, &in, NULL), "offset %ld", (long)offset);
        cr_expect(hvp_check(masked_softmax_fn, &offset, 1, &in), "offset %ld", (long)offset);
        gc_free(&in, 1);
    }
}

Test(attention, rope_rotates_pairs_by_relative_position)
{
    blo_rng r;
    blo_rng_seed(&r, 3);
    gc_input in;
    gc_alloc_uniform(&in, &r, -1, 1, 4, (int64_t[]){1, 2, 4, 6});
    const int64_t pos0 = 5;
    cr_expect(gradcheck(rope_fn, (void *)&pos0, 1, &in, NULL));
    cr_expect(hvp_check(rope_fn, (void *)&pos0, 1, &in));

    /* <rope(q) at m, rope(k) at n> depends on m - n only */
    float q[4] = {0.3f, -1.0f, 0.7f, 0.2f}, k[4] = {-0.4f, 0.5f, 0.9f, -0.6f};
    blo_graph *g = blo_graph_new();
    float dots[2];
    for (int c = 0; c < 2; c++) {
        blo_tensor *tq = blo_rope(blo_leaf(g, q, BLO_SHAPE(1, 1, 1, 4), FALSE), 7 + 3 * c, 100.0f);
        blo_tensor *tk = blo_rope(blo_leaf(g, k, BLO_SHAPE(1, 1, 1, 4), FALSE), 4 + 3 * c, 100.0f);
        dots[c] = blo_dot(tq, tk)->data[0];
    }
    cr_expect(fabsf(dots[0] - dots[1]) < 1e-5f, "%g vs %g", dots[0], dots[1]);
    /* the first pair at position 1 rotates by exactly 1 radian */
    blo_tensor *one = blo_rope(blo_leaf(g, q, BLO_SHAPE(1, 1, 1, 4), FALSE), 1, 100.0f);
    cr_expect(fabsf(one->data[0] - (q[0] * cosf(1) - q[1] * sinf(1))) < 1e-6f);
    cr_expect_null(blo_rope(blo_zeros(g, BLO_SHAPE(1, 1, 2, 3)), 0, 100.0f));
    blo_graph_free(g);
    gc_free(&in, 1);
}
