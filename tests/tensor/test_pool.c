/* Pooling, resizing and index gathers: values, gradients (first order and
 * recorded) and Hessian-vector products against finite differences. */
#include "hvp_check.h"

#include <criterion/criterion.h>
#include <math.h>

/* Distinct values 0.05 apart, shuffled: a max or a nearest pick never
 * changes under the gradcheck's 1e-2 steps. */
static void alloc_distinct(gc_input *in, blo_rng *r, int ndim, const int64_t *shape)
{
    gc_alloc_uniform(in, r, 0, 1, ndim, shape);
    const int64_t n = gc_numel(in);
    for (int64_t i = 0; i < n; i++)
        in->data[i] = 0.05f * (float)(i - n / 2);
    for (int64_t i = n - 1; i > 0; i--) {
        const int64_t j = (int64_t)blo_rng_below(r, (uint64_t)i + 1);
        const float t = in->data[i];
        in->data[i] = in->data[j];
        in->data[j] = t;
    }
}

typedef struct pool_case {
    int kernel, stride, pad;
    int64_t out_h, out_w;
    gboolean align_corners;
} pool_case;

static blo_tensor *max_pool_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    const pool_case *c = ctx;
    (void)g;
    return blo_max_pool2d(x[0], c->kernel, c->stride, c->pad);
}

static blo_tensor *avg_pool_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    const pool_case *c = ctx;
    (void)g;
    return blo_avg_pool2d(x[0], c->kernel, c->stride, c->pad);
}

static blo_tensor *nearest_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    const pool_case *c = ctx;
    (void)g;
    return blo_resize_nearest(x[0], c->out_h, c->out_w);
}

static blo_tensor *bilinear_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    const pool_case *c = ctx;
    (void)g;
    return blo_resize_bilinear(x[0], c->out_h, c->out_w, c->align_corners);
}

/* Random windows / sizes over random shapes; distinct inputs for max/nearest. */
static void check_op(gc_fn f, gboolean distinct, uint64_t seed)
{
    blo_rng r;
    blo_rng_seed(&r, seed);
    for (int trial = 0; trial < 12; trial++) {
        pool_case c = {.kernel = 1 + (int)blo_rng_below(&r, 3), .stride = (int)blo_rng_below(&r, 3)};
        c.pad = (int)blo_rng_below(&r, (uint64_t)c.kernel / 2 + 1);
        c.out_h = 1 + (int64_t)blo_rng_below(&r, 9);
        c.out_w = 1 + (int64_t)blo_rng_below(&r, 9);
        c.align_corners = (gboolean)blo_rng_below(&r, 2);
        const int64_t shape[4] = {1 + (int64_t)blo_rng_below(&r, 2), 1 + (int64_t)blo_rng_below(&r, 3),
                                  3 + (int64_t)blo_rng_below(&r, 5), 3 + (int64_t)blo_rng_below(&r, 5)};
        gc_input in;
        if (distinct)
            alloc_distinct(&in, &r, 4, shape);
        else
            gc_alloc_uniform(&in, &r, -1, 1, 4, shape);
        cr_expect(gradcheck(f, &c, 1, &in, NULL), "trial %d: kernel %d stride %d pad %d out %ldx%ld ac %d", trial,
                  c.kernel, c.stride, c.pad, (long)c.out_h, (long)c.out_w, c.align_corners);
        if (trial < 4)
            cr_expect(hvp_check(f, &c, 1, &in), "second order, trial %d", trial);
        gc_free(&in, 1);
    }
}

Test(pool, max_pool_gradients) { check_op(max_pool_fn, TRUE, 1); }
Test(pool, avg_pool_gradients) { check_op(avg_pool_fn, FALSE, 2); }
Test(pool, resize_nearest_gradients) { check_op(nearest_fn, TRUE, 3); }
Test(pool, resize_bilinear_gradients) { check_op(bilinear_fn, FALSE, 4); }

Test(pool, values)
{
    blo_graph *g = blo_graph_new();
    float x[16] = {1, 2, 3, 4, 8, 7, 6, 5, -1, -2, -3, -4, 0, 9, 0, -9};
    blo_tensor *t = blo_leaf(g, x, BLO_SHAPE(1, 1, 4, 4), FALSE);
    blo_tensor *mx = blo_max_pool2d(t, 2, 0, 0), *av = blo_avg_pool2d(t, 2, 2, 0);
    blo_tensor *mp = blo_max_pool2d(t, 3, 2, 1);   /* windows clipped by the padding */
    const float want_max[4] = {8, 6, 9, 0}, want_avg[4] = {4.5f, 4.5f, 1.5f, -4}, want_mp[4] = {8, 7, 9, 9};
    cr_assert(mx && av && mp);
    for (int i = 0; i < 4; i++) {
        cr_expect_float_eq(mx->data[i], want_max[i], 1e-6f);
        cr_expect_float_eq(av->data[i], want_avg[i], 1e-6f);
        cr_expect_float_eq(mp->data[i], want_mp[i], 1e-6f, "padded max %d: %g", i, mp->data[i]);
    }
    float small[4] = {1, 2, 3, 4};
    blo_tensor *up = blo_resize_nearest(blo_leaf(g, small, BLO_SHAPE(1, 1, 2, 2), FALSE), 4, 4);
    const float want_up[16] = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4};
    for (int i = 0; i < 16; i++)
        cr_expect_float_eq(up->data[i], want_up[i], 1e-6f);
    blo_graph_free(g);
}

Test(pool, errors)
{
    blo_graph *g = blo_graph_new();
    blo_tensor *x = blo_zeros(g, BLO_SHAPE(1, 1, 4, 4));
    cr_expect_null(blo_max_pool2d(x, 3, 1, 2));               /* pad > kernel / 2 */
    cr_expect_eq(blo_graph_error(g)->code, BLO_ERROR_INVALID_ARG);
    blo_graph_reset(g);
    cr_expect_null(blo_avg_pool2d(blo_zeros(g, BLO_SHAPE(4, 4)), 2, 2, 0));
    cr_expect_eq(blo_graph_error(g)->code, BLO_ERROR_SHAPE);
    blo_graph_reset(g);
    cr_expect_null(blo_resize_bilinear(blo_zeros(g, BLO_SHAPE(1, 1, 4, 4)), 0, 3, FALSE));
    cr_expect_not_null(blo_graph_error(g));
    blo_graph_free(g);
}

/* ---- embedding and gather_rows ---- */

static const int32_t ids[6] = {2, 0, 2, 3, 1, 2};

static blo_tensor *embedding_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    (void)g, (void)ctx;
    return blo_embedding(x[0], ids, 6);
}

static blo_tensor *gather_rows_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    (void)g, (void)ctx;
    return blo_gather_rows(x[0], ids);
}

Test(index, embedding_and_gather_rows)
{
    blo_rng r;
    blo_rng_seed(&r, 5);
    gc_input table, a;
    gc_alloc_uniform(&table, &r, -1, 1, 2, (int64_t[]){4, 5});
    gc_alloc_uniform(&a, &r, -1, 1, 2, (int64_t[]){6, 4});
    cr_expect(gradcheck(embedding_fn, NULL, 1, &table, NULL));
    cr_expect(hvp_check(embedding_fn, NULL, 1, &table));
    cr_expect(gradcheck(gather_rows_fn, NULL, 1, &a, NULL));
    cr_expect(hvp_check(gather_rows_fn, NULL, 1, &a));
    blo_graph *g = blo_graph_new();
    blo_tensor *e = blo_embedding(blo_leaf(g, table.data, 2, table.shape, FALSE), ids, 6);
    cr_assert_not_null(e);
    cr_expect_eq(e->data[5 * 3 + 4], table.data[5 * 3 + 4]);  /* row 3 of the output is table row 3 */
    blo_tensor *gr = blo_gather_rows(blo_leaf(g, a.data, 2, a.shape, FALSE), ids);
    cr_expect_eq(gr->data[1], a.data[4 + 0]);
    cr_expect_null(blo_embedding(blo_leaf(g, table.data, 2, table.shape, FALSE), (int32_t[]){4}, 1));
    cr_expect_eq(blo_graph_error(g)->code, BLO_ERROR_RANGE);
    blo_graph_free(g);
    gc_free(&table, 1);
    gc_free(&a, 1);
}
