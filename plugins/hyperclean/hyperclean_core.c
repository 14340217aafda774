#include "hyperclean_core.h"

static gboolean check_split(const blo_split *s, const char *name, GError **error)
{
    if (!s) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "objective:hyperclean needs a dataset with a '%s' split", name);
        return FALSE;
    }
    if (!s->x || !s->labels || s->x_ndim < 2 || s->n_classes < 2) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "objective:hyperclean: split '%s' needs dense inputs and class labels", name);
        return FALSE;
    }
    return TRUE;
}

gboolean hyperclean_bind(hyperclean *hc, const blo_split *train, const blo_split *val,
                         const blo_split *test, const blo_learner_vtable *lvt, void *lself,
                         GError **error)
{
    if (!check_split(train, "train", error) || !check_split(val, "val", error) ||
        !check_split(test, "test", error))
        return FALSE;
    if (train->n < 1 || val->n < 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "objective:hyperclean needs non-empty train and val splits (have %" G_GINT64_FORMAT
                    " and %" G_GINT64_FORMAT " items)", train->n, val->n);
        return FALSE;
    }
    hc->train = train;
    hc->val = val;
    hc->test = test;
    hc->lvt = lvt;
    hc->lself = lself;
    hc->n_upper = val->n - (int64_t)(hc->holdout * (double)val->n + 0.5);
    if (hc->n_upper < 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_RANGE,
                    "objective:hyperclean: holdout=%g leaves no validation items for the upper loss", hc->holdout);
        return FALSE;
    }
    hc->dim_y = lvt->setup(lself, train->x_ndim - 1, train->x_shape + 1, train->n_classes, error);
    return hc->dim_y > 0;
}

/* Items [0, n) of split s as a constant leaf in y's graph (no copy). */
static blo_tensor *split_input(const blo_split *s, int64_t n, blo_tensor *like)
{
    int64_t shape[BLO_MAX_DIMS];
    for (int d = 0; d < s->x_ndim; d++)
        shape[d] = s->x_shape[d];
    shape[0] = n;
    return blo_leaf(blo_tensor_graph(like), (float *)s->x, s->x_ndim, shape, FALSE);
}

blo_tensor *hyperclean_lower_terms(hyperclean *hc, blo_tensor *y)
{
    blo_tensor *logits = hc->lvt->forward(hc->lself, y, split_input(hc->train, hc->train->n, y), TRUE);
    return blo_cross_entropy_each(logits, hc->train->labels, -1);   /* [n_train] */
}

blo_tensor *hyperclean_lower_combine(hyperclean *hc, blo_tensor *x, blo_tensor *ce)
{
    return blo_mean_all(blo_mul(blo_sigmoid(x), ce));
}

blo_tensor *hyperclean_lower(hyperclean *hc, blo_tensor *x, blo_tensor *y)
{
    return hyperclean_lower_combine(hc, x, hyperclean_lower_terms(hc, y));
}

blo_tensor *hyperclean_upper(hyperclean *hc, blo_tensor *x, blo_tensor *y)
{
    blo_tensor *logits = hc->lvt->forward(hc->lself, y, split_input(hc->val, hc->n_upper, y), TRUE);
    return blo_cross_entropy(logits, hc->val->labels, -1);
}
