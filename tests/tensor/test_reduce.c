/* Reductions: values and gradchecks over every axis, keepdim or not. */
#include <criterion/criterion.h>
#include <math.h>
#include "gradcheck.h"

typedef struct { int op, axis, keepdim; } red_case;

static blo_tensor *red_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    const red_case *c = ctx;
    blo_tensor *a = blo_mul(x[0], x[0]);
    switch (c->op) {
    case 0: return blo_sum(a, c->axis, c->keepdim);
    case 1: return blo_mean(a, c->axis, c->keepdim);
    case 2: return blo_mul(blo_max(x[0], c->axis, c->keepdim), blo_sum_all(a));
    case 3: return blo_var(x[0], c->axis, c->keepdim, TRUE);
    case 4: return blo_var(x[0], c->axis, c->keepdim, FALSE);
    case 5: return blo_sum_all(a);
    case 6: return blo_mean_all(a);
    default: return blo_dot(a, x[1]);
    }
}

Test(reduce, axes_grad)
{
    blo_rng r;
    blo_rng_seed(&r, 21);
    gc_input in[2];
    gc_alloc_uniform(&in[0], &r, -1, 1, BLO_SHAPE(3, 4, 2));
    gc_alloc_uniform(&in[1], &r, -1, 1, BLO_SHAPE(3, 4, 2));
    for (int op = 0; op < 5; op++) {
        if (op == 2) {
            /* max: well separated values (no ties within h) in shuffled order */
            int64_t perm[24];
            for (int i = 0; i < 24; i++)
                perm[i] = i;
            blo_rng_shuffle(&r, perm, 24);
            for (int i = 0; i < 24; i++)
                in[0].data[i] = -1.0f + 0.08f * (float)perm[i];
        }
        for (int axis = -3; axis < 3; axis++) {
            red_case c = {op, axis, axis & 1};
            cr_expect(gradcheck(red_fn, &c, 1, in, NULL), "op %d axis %d", op, axis);
        }
    }
    for (int op = 5; op < 8; op++) {
        red_case c = {op, 0, 0};
        cr_expect(gradcheck(red_fn, &c, op == 7 ? 2 : 1, in, NULL), "op %d", op);
    }
    gc_free(in, 2);
}

Test(reduce, values)
{
    blo_graph *g = blo_graph_new();
    float a[6] = {1, 5, 3, 4, 2, 6};
    blo_tensor *x = blo_leaf(g, a, BLO_SHAPE(2, 3), FALSE);
    blo_tensor *s = blo_sum(x, 1, FALSE), *m = blo_max(x, 0, TRUE), *v = blo_var(x, 1, FALSE, TRUE);
    cr_assert_eq(s->ndim, 1);
    cr_expect_float_eq(s->data[0], 9, 1e-6f);
    cr_expect_float_eq(s->data[1], 12, 1e-6f);
    cr_assert_eq(m->ndim, 2);
    cr_expect(m->data[0] == 4 && m->data[1] == 5 && m->data[2] == 6);
    cr_expect_float_eq(v->data[0], 4, 1e-5f);
    cr_expect_float_eq(v->data[1], 4, 1e-5f);
    cr_expect_float_eq(blo_mean_all(x)->data[0], 3.5f, 1e-6f);
    blo_graph_free(g);
}
