/* Binary elementwise ops: values and gradchecks with NumPy broadcasting. */
#include <criterion/criterion.h>
#include "gradcheck.h"

typedef blo_tensor *(*binop)(blo_tensor *, blo_tensor *);

static blo_tensor *apply_binop(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    return ((binop)ctx)(x[0], x[1]);
}

/* Shape pairs that broadcast: equal, scalar, row, column, 4-d mixed. */
static const int64_t pairs[][2][4] = {
    {{3, 4, 1, 1}, {3, 4, 1, 1}},
    {{3, 4, 1, 1}, {1, 1, 1, 1}},
    {{3, 4, 1, 1}, {4, 1, 1, 1}},
    {{3, 1, 1, 1}, {2, 3, 4, 1}},
    {{2, 1, 3, 1}, {1, 4, 1, 5}},
};
static const int pair_nd[][2] = {{2, 2}, {2, 0}, {2, 1}, {2, 3}, {4, 4}};

/* A random shape and a random broadcast-compatible partner: some dims set
 * to 1, some leading dims dropped, operands possibly swapped. */
static void random_pair(blo_rng *r, int *nd0, int64_t *s0, int *nd1, int64_t *s1)
{
    int nd = 1 + (int)blo_rng_below(r, 4);
    gc_random_shape(r, nd, 3, s0);
    int drop = (int)blo_rng_below(r, (uint64_t)nd + 1);
    for (int d = drop; d < nd; d++)
        s1[d - drop] = blo_rng_below(r, 2) ? 1 : s0[d];
    *nd0 = nd;
    *nd1 = nd - drop;
}

static void check_binop(binop op, float lo, float hi)
{
    blo_rng r;
    blo_rng_seed(&r, 7);
    for (size_t p = 0; p < G_N_ELEMENTS(pairs); p++) {
        gc_input in[2];
        gc_alloc_uniform(&in[0], &r, lo, hi, pair_nd[p][0], pairs[p][0]);
        gc_alloc_uniform(&in[1], &r, lo, hi, pair_nd[p][1], pairs[p][1]);
        cr_expect(gradcheck(apply_binop, (void *)op, 2, in, NULL), "shape pair %zu", p);
        gc_free(in, 2);
    }
    for (int k = 0; k < 6; k++) {
        int nd[2];
        int64_t s[2][4];
        random_pair(&r, &nd[0], s[0], &nd[1], s[1]);
        int swap = k & 1;
        gc_input in[2];
        gc_alloc_uniform(&in[0], &r, lo, hi, nd[swap], s[swap]);
        gc_alloc_uniform(&in[1], &r, lo, hi, nd[!swap], s[!swap]);
        cr_expect(gradcheck(apply_binop, (void *)op, 2, in, NULL), "random pair %d", k);
        gc_free(in, 2);
    }
}

Test(binary, add_grad) { check_binop(blo_add, -2, 2); }
Test(binary, sub_grad) { check_binop(blo_sub, -2, 2); }
Test(binary, mul_grad) { check_binop(blo_mul, -2, 2); }
Test(binary, div_grad) { check_binop(blo_div, 0.5f, 2); }

Test(binary, broadcast_values)
{
    blo_graph *g = blo_graph_new();
    float a[6] = {1, 2, 3, 4, 5, 6}, b[3] = {10, 20, 30}, c[2] = {100, 200};
    blo_tensor *ta = blo_leaf(g, a, BLO_SHAPE(2, 3), FALSE);
    blo_tensor *tb = blo_leaf(g, b, BLO_SHAPE(3), FALSE);
    blo_tensor *tc = blo_leaf(g, c, BLO_SHAPE(2, 1), FALSE);
    blo_tensor *y = blo_add(blo_mul(ta, tb), tc);
    cr_assert_not_null(y);
    cr_assert_eq(y->ndim, 2);
    float want[6] = {110, 140, 190, 240, 300, 380};
    for (int i = 0; i < 6; i++)
        cr_expect_float_eq(y->data[i], want[i], 1e-5f, "element %d", i);
    blo_graph_free(g);
}

Test(binary, shape_error_is_sticky)
{
    blo_graph *g = blo_graph_new();
    float a[6] = {0}, b[4] = {0};
    blo_tensor *y = blo_add(blo_leaf(g, a, BLO_SHAPE(2, 3), FALSE), blo_leaf(g, b, BLO_SHAPE(4), FALSE));
    cr_assert_null(y);
    cr_assert_null(blo_exp(y));
    const GError *e = blo_graph_error(g);
    cr_assert_not_null(e);
    cr_expect_eq(e->code, BLO_ERROR_SHAPE);
    cr_expect(strstr(e->message, "[2, 3]") && strstr(e->message, "[4]"), "message: %s", e->message);
    blo_graph_reset(g);
    cr_expect_null(blo_graph_error(g));
    blo_graph_free(g);
}

static blo_tensor *where_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    return blo_where(x[0], x[1], x[2]);
}

Test(binary, where_grad)
{
    blo_rng r;
    blo_rng_seed(&r, 3);
    gc_input in[3];
    gc_alloc_uniform(&in[0], &r, 0, 1, BLO_SHAPE(3, 4));
    for (int i = 0; i < 12; i++)
        in[0].data[i] = in[0].data[i] > 0.5f;
    in[0].constant = 1;
    gc_alloc_uniform(&in[1], &r, -1, 1, BLO_SHAPE(3, 4));
    gc_alloc_uniform(&in[2], &r, -1, 1, BLO_SHAPE(4));
    cr_expect(gradcheck(where_fn, NULL, 3, in, NULL));
    gc_free(in, 3);
}
