/* Layout ops: values and gradchecks (reshape, view, permute, transpose,
 * slice, concat, stack, chunk, broadcast_to). Each result is multiplied by a
 * function of itself so gradients depend on where elements land. */
#include <criterion/criterion.h>
#include "gradcheck.h"

static blo_tensor *sq(blo_tensor *y)
{
    return blo_mul(y, blo_sin(y));
}

static void alloc(gc_input *in, int ndim, const int64_t *shape, uint64_t seed)
{
    blo_rng r;
    blo_rng_seed(&r, seed);
    gc_alloc_uniform(in, &r, -1, 1, ndim, shape);
}

static blo_tensor *reshape_fn(blo_graph *g, blo_tensor *const *x, void *c) { return sq(blo_reshape(x[0], BLO_SHAPE(4, -1))); }
static blo_tensor *permute_fn(blo_graph *g, blo_tensor *const *x, void *c) { return sq(blo_permute(x[0], (int[]){2, 0, 3, 1})); }
static blo_tensor *transpose_fn(blo_graph *g, blo_tensor *const *x, void *c) { return sq(blo_transpose(x[0], 0, -1)); }
static blo_tensor *slice0_fn(blo_graph *g, blo_tensor *const *x, void *c) { return sq(blo_slice(x[0], 0, 1, 3)); }
static blo_tensor *slice2_fn(blo_graph *g, blo_tensor *const *x, void *c) { return sq(blo_slice(x[0], -2, 1, 2)); }
static blo_tensor *bcast_fn(blo_graph *g, blo_tensor *const *x, void *c) { return sq(blo_broadcast_to(x[0], BLO_SHAPE(2, 3, 4, 5))); }

Test(layout, views_grad)
{
    gc_input in;
    alloc(&in, BLO_SHAPE(3, 2, 4, 2), 1);
    cr_expect(gradcheck(reshape_fn, NULL, 1, &in, NULL), "reshape");
    cr_expect(gradcheck(permute_fn, NULL, 1, &in, NULL), "permute");
    cr_expect(gradcheck(transpose_fn, NULL, 1, &in, NULL), "transpose");
    cr_expect(gradcheck(slice0_fn, NULL, 1, &in, NULL), "slice axis 0 (shared data)");
    cr_expect(gradcheck(slice2_fn, NULL, 1, &in, NULL), "slice axis 2 (copy)");
    gc_free(&in, 1);
    alloc(&in, BLO_SHAPE(3, 1, 5), 2);
    cr_expect(gradcheck(bcast_fn, NULL, 1, &in, NULL), "broadcast_to");
    gc_free(&in, 1);
}

/* Two views of one flat vector, used in an expression together with the flat. */
static blo_tensor *view_fn(blo_graph *g, blo_tensor *const *x, void *c)
{
    blo_tensor *w = blo_view(x[0], 2, BLO_SHAPE(2, 3));
    blo_tensor *b = blo_view(x[0], 8, BLO_SHAPE(3));
    blo_tensor *y = blo_add(blo_mul(w, w), b);
    return blo_add(blo_sum_all(sq(y)), blo_dot(x[0], x[0]));
}

Test(layout, view_of_flat_grad)
{
    gc_input in;
    alloc(&in, BLO_SHAPE(12), 3);
    cr_expect(gradcheck(view_fn, NULL, 1, &in, NULL));
    gc_free(&in, 1);
}

static blo_tensor *concat_fn(blo_graph *g, blo_tensor *const *x, void *c)
{
    int axis = *(int *)c;
    blo_tensor *y = blo_concat((blo_tensor *[]){x[0], x[1], x[0]}, 3, axis);
    return sq(y);
}

Test(layout, concat_grad)
{
    gc_input in[2];
    int axis = 1;
    alloc(&in[0], BLO_SHAPE(2, 3, 2), 4);
    alloc(&in[1], BLO_SHAPE(2, 1, 2), 5);
    cr_expect(gradcheck(concat_fn, &axis, 2, in, NULL), "axis 1");
    gc_free(in, 2);
    axis = 0;
    alloc(&in[0], BLO_SHAPE(2, 3), 6);
    alloc(&in[1], BLO_SHAPE(4, 3), 7);
    cr_expect(gradcheck(concat_fn, &axis, 2, in, NULL), "axis 0");
    gc_free(in, 2);
}

static blo_tensor *stack_chunk_fn(blo_graph *g, blo_tensor *const *x, void *c)
{
    blo_tensor *s = blo_stack((blo_tensor *[]){x[0], x[1]}, 2, 1); /* [3, 2, 4] */
    blo_tensor *parts[2];
    if (!blo_chunk(s, 2, -1, parts))
        return NULL;
    return blo_mul(sq(parts[0]), parts[1]);
}

Test(layout, stack_chunk_grad)
{
    gc_input in[2];
    alloc(&in[0], BLO_SHAPE(3, 4), 8);
    alloc(&in[1], BLO_SHAPE(3, 4), 9);
    cr_expect(gradcheck(stack_chunk_fn, NULL, 2, in, NULL));
    gc_free(in, 2);
}

Test(layout, values)
{
    blo_graph *g = blo_graph_new();
    float a[6] = {0, 1, 2, 3, 4, 5};
    blo_tensor *x = blo_leaf(g, a, BLO_SHAPE(2, 3), FALSE);
    blo_tensor *t = blo_transpose(x, 0, 1);
    cr_assert_eq(t->shape[0], 3);
    float want[6] = {0, 3, 1, 4, 2, 5};
    for (int i = 0; i < 6; i++)
        cr_expect_eq(t->data[i], want[i]);
    blo_tensor *s = blo_slice(x, 1, 1, 3);
    cr_expect(s->data[0] == 1 && s->data[1] == 2 && s->data[2] == 4 && s->data[3] == 5);
    blo_tensor *v = blo_view(x, 4, BLO_SHAPE(2));
    cr_expect(v->data == a + 4, "views share the flat buffer");
    cr_expect_null(blo_view(x, 5, BLO_SHAPE(2)));
    cr_expect_eq(blo_graph_error(g)->code, BLO_ERROR_SHAPE);
    blo_graph_free(g);
}
