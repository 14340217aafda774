/* framework/run/terms_cache.c: a recording per distinct y (bitwise), least
 * recently used slot rebuilt, a failing lower_terms leaves no slot behind. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "run/terms_cache.h"

enum { NY = 4 };

typedef struct counter {
    int calls;
    gboolean fail;
} counter;

/* terms = 2 y, counting the recordings; fails on request like a bad objective. */
static blo_tensor *double_y(void *self, blo_tensor *y)
{
    counter *c = self;
    c->calls++;
    if (c->fail)
        return blo_add(y, blo_zeros(blo_tensor_graph(y), BLO_SHAPE(NY + 1)));   /* shape error */
    return blo_mul_scalar(y, 2.0f);
}

static blo_graph *get(blo_terms_cache *c, const float *y, blo_tensor **terms)
{
    blo_tensor *ty;
    GError *error = NULL;
    blo_graph *g = blo_terms_cache_get(c, y, &ty, terms, &error);
    cr_assert_not_null(g, "%s", error ? error->message : "");
    cr_assert(memcmp(ty->data, y, sizeof(float) * NY) == 0, "the leaf holds the asked-for y");
    for (int i = 0; i < NY; i++)
        cr_assert_float_eq((*terms)->data[i], 2 * y[i], 0);
    return g;
}

Test(terms_cache, reuses_equal_y_and_evicts_the_least_recent)
{
    counter cnt = { 0 };
    blo_terms_cache *c = blo_terms_cache_new(NY, 2, double_y, &cnt);
    float a[NY] = { 1, 2, 3, 4 }, b[NY] = { -1, 0, 1, 2 }, d[NY] = { 5, 5, 5, 5 };
    blo_tensor *terms;
    get(c, a, &terms);
    get(c, b, &terms);
    get(c, a, &terms);                       /* hit: a is now the most recent */
    cr_expect_eq(cnt.calls, 2);
    get(c, d, &terms);                       /* evicts b */
    get(c, a, &terms);
    cr_expect_eq(cnt.calls, 3, "a stayed cached");
    get(c, b, &terms);
    cr_expect_eq(cnt.calls, 4, "b was evicted");
    cr_expect_eq(blo_terms_cache_hits(c), 2);
    cr_expect_eq(blo_terms_cache_misses(c), 4);
    /* the caller's buffer is copied: changing it in place is a new y */
    a[2] = nextafterf(a[2], 10.0f);
    get(c, a, &terms);
    cr_expect_eq(cnt.calls, 5, "one ulp apart is another y");
    blo_terms_cache_free(c);
}

Test(terms_cache, a_hit_drops_the_previous_suffix)
{
    counter cnt = { 0 };
    blo_terms_cache *c = blo_terms_cache_new(NY, 1, double_y, &cnt);
    float a[NY] = { 1, 2, 3, 4 };
    blo_tensor *terms;
    blo_graph *g = get(c, a, &terms);
    cr_assert_null(blo_add(terms, blo_zeros(g, BLO_SHAPE(NY + 2))), "a failing suffix");
    cr_assert_not_null(blo_graph_error(g));
    g = get(c, a, &terms);
    cr_expect_null(blo_graph_error(g), "the suffix's error went with it");
    blo_tensor *wrt, *grad;
    blo_tensor *ty;
    cr_assert_not_null(blo_terms_cache_get(c, a, &ty, &terms, NULL));
    wrt = ty;
    cr_assert(blo_grad(blo_sum_all(terms), &wrt, 1, &grad, FALSE, NULL));
    for (int i = 0; i < NY; i++)
        cr_expect_float_eq(grad->data[i], 2.0f, 0, "d(sum 2y)/dy");
    cr_expect_eq(cnt.calls, 1);
    blo_terms_cache_free(c);
}

Test(terms_cache, failing_terms_are_an_error_and_leave_no_slot)
{
    counter cnt = { .fail = TRUE };
    blo_terms_cache *c = blo_terms_cache_new(NY, 2, double_y, &cnt);
    float a[NY] = { 1, 2, 3, 4 };
    blo_tensor *ty, *terms;
    GError *error = NULL;
    cr_assert_null(blo_terms_cache_get(c, a, &ty, &terms, &error));
    cr_assert_not_null(error);
    cr_expect(strstr(error->message, "blo_add") != NULL, "the op's error: %s", error->message);
    g_clear_error(&error);
    cnt.fail = FALSE;
    get(c, a, &terms);
    cr_expect_eq(cnt.calls, 2, "the failed recording was not kept");
    cr_expect_eq(blo_terms_cache_hits(c), 0);
    blo_terms_cache_free(c);
}
