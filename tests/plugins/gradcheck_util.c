#include "gradcheck_util.h"

#include <criterion/criterion.h>
#include <math.h>

static double value_at(fd_scalar_fn fn, void *user, float *v, int64_t n)
{
    blo_graph *g = blo_graph_new();
    blo_graph_push_no_grad(g);
    blo_tensor *leaf = blo_leaf(g, v, BLO_SHAPE(n), FALSE);
    blo_tensor *s = fn(g, leaf, user);
    cr_assert_not_null(s, "forward failed: %s", blo_graph_error(g) ? blo_graph_error(g)->message : "?");
    double out = s->data[0];
    blo_graph_pop_no_grad(g);
    blo_graph_free(g);
    return out;
}

double fd_check(fd_scalar_fn fn, void *user, float *v, int64_t n, float eps, double abs_tol,
                double rel_tol, int64_t *worst)
{
    float *grad = g_new0(float, n);
    blo_graph *g = blo_graph_new();
    blo_tensor *leaf = blo_leaf(g, v, BLO_SHAPE(n), TRUE);
    blo_tensor *s = fn(g, leaf, user);
    cr_assert_not_null(s, "forward failed: %s", blo_graph_error(g) ? blo_graph_error(g)->message : "?");
    GError *err = NULL;
    cr_assert(blo_backward_into(s, leaf, grad, &err), "backward: %s", err ? err->message : "");
    blo_graph_free(g);
    double ratio = 0;
    for (int64_t i = 0; i < n; i++) {
        float keep = v[i];
        v[i] = keep + eps;
        double up = value_at(fn, user, v, n);
        v[i] = keep - eps;
        double down = value_at(fn, user, v, n);
        v[i] = keep;
        double fd = (up - down) / (2.0 * eps);
        double r = fabs(grad[i] - fd) / (abs_tol + rel_tol * fabs(fd));
        if (r > ratio) {
            ratio = r;
            if (worst)
                *worst = i;
        }
    }
    g_free(grad);
    return ratio;
}
