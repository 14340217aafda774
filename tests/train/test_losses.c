/* The losses of plugins/losses: gradients w.r.t. the output by finite
 * differences, values against hand-computed numbers, shape errors. */
#include <criterion/criterion.h>
#include <math.h>

#include "gradcheck.h"
#include "losses.h"

static const blo_loss_vtable *vt_of(const blo_component *c) { return c->vtable; }

/* A loss instance without params: target field, ignore_index, smooth. */
static loss_self *self_new(const char *target, int32_t ignore, double smooth)
{
    loss_self *l = g_new0(loss_self, 1);
    l->target = g_strdup(target);
    l->targets[0] = l->target;
    l->ignore_index = ignore;
    l->smooth = smooth;
    return l;
}

/* A one-field batch over data (dtype, shape with the item axis first). */
typedef struct one_batch {
    blo_batch b;
    blo_batch_field f;
} one_batch;

static void batch_make(one_batch *ob, const char *name, blo_dtype dt, void *data, int ndim, const int64_t *shape)
{
    memset(ob, 0, sizeof *ob);
    ob->f = (blo_batch_field){ .name = name, .dtype = dt, .ndim = ndim, .data = data, .clean = data };
    memcpy(ob->f.shape, shape, (size_t)ndim * sizeof *shape);
    ob->b = (blo_batch){ .n = shape[0], .n_fields = 1, .fields = &ob->f };
}

typedef struct loss_case {
    const blo_loss_vtable *vt;
    loss_self *self;
    one_batch *batch;
    gboolean batch_value;   /* check batch_value instead of each */
} loss_case;

static blo_tensor *case_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    loss_case *c = ctx;
    if (c->batch_value)
        return c->vt->batch_value ? c->vt->batch_value(c->self, x[0], &c->batch->b)
                                  : blo_mean_all(c->vt->each(c->self, x[0], &c->batch->b));
    return c->vt->each(c->self, x[0], &c->batch->b);
}

/* Gradchecks each() and the batch value of loss c at a random output of shape. */
static void check_grads(loss_case *c, int ndim, const int64_t *shape, float lo, float hi)
{
    blo_rng r;
    blo_rng_seed(&r, 7);
    gc_input in = { 0 };
    gc_alloc_uniform(&in, &r, lo, hi, ndim, shape);
    for (int bv = 0; bv < 2; bv++) {
        c->batch_value = bv;
        cr_expect(gradcheck(case_fn, c, 1, &in, NULL), "gradient of %s", bv ? "the batch value" : "each()");
    }
    gc_free(&in, 1);
}

/* Value of each() (item i) or of the batch (i < 0) at the given output. */
static double value_at(const blo_loss_vtable *vt, loss_self *self, one_batch *ob, float *out, int ndim,
                       const int64_t *shape, int item)
{
    blo_graph *g = blo_graph_new();
    blo_tensor *o = blo_leaf(g, out, ndim, shape, FALSE);
    blo_tensor *v = item < 0 ? (vt->batch_value ? vt->batch_value(self, o, &ob->b) : blo_mean_all(vt->each(self, o, &ob->b)))
                             : vt->each(self, o, &ob->b);
    GError *err = NULL;
    cr_assert(v && blo_graph_check(g, &err), "%s", err ? err->message : "no value");
    double x = v->data[item < 0 ? 0 : item];
    blo_graph_free(g);
    return x;
}

#define NEAR(a, b) cr_expect(fabs((a) - (b)) < 1e-5, "%s = %.7f, expected %.7f", #a, (a), (double)(b))

Test(losses, ce_values_and_gradient)
{
    const blo_loss_vtable *vt = vt_of(&losses_ce_component);
    loss_self *l = self_new("label", -1, 0);
    int32_t labels[] = { 2, 0 };
    one_batch ob;
    batch_make(&ob, "label", BLO_DTYPE_I32, labels, 1, (int64_t[]){ 2 });
    float out[] = { 0, 0, 0, 1, 0, 0 };
    int64_t shape[] = { 2, 3 };
    NEAR(value_at(vt, l, &ob, out, 2, shape, 0), log(3.0));
    NEAR(value_at(vt, l, &ob, out, 2, shape, 1), log(1 + 2 / M_E));
    NEAR(value_at(vt, l, &ob, out, 2, shape, -1), (log(3.0) + log(1 + 2 / M_E)) / 2);
    labels[1] = 7;           /* ignore_index=7: the batch mean skips item 1 */
    l->ignore_index = 7;
    NEAR(value_at(vt, l, &ob, out, 2, shape, -1), log(3.0));
    labels[1] = 1;
    loss_case c = { vt, l, &ob, FALSE };
    check_grads(&c, 2, shape, -2, 2);
    loss_self_free(l);
}

Test(losses, pixel_ce_values_and_gradient)
{
    const blo_loss_vtable *vt = vt_of(&losses_pixel_ce_component);
    loss_self *l = self_new("label_map", 255, 0);
    /* B=2, C=2, H=1, W=2; item 1's second pixel is unlabelled. */
    int32_t lab[] = { 0, 1, 1, 255 };
    one_batch ob;
    batch_make(&ob, "label_map", BLO_DTYPE_I32, lab, 3, (int64_t[]){ 2, 1, 2 });
    /* [b][c][h][w]: item 1 pixel 0 scores class 0 at 2, class 1 at 0. */
    float out[] = { 0, 0, 0, 0, 2, 5, 0, -3 };
    int64_t shape[] = { 2, 2, 1, 2 };
    double l_hard = log(1 + exp(2.0));
    NEAR(value_at(vt, l, &ob, out, 4, shape, 0), log(2.0));
    NEAR(value_at(vt, l, &ob, out, 4, shape, 1), l_hard);
    NEAR(value_at(vt, l, &ob, out, 4, shape, -1), (2 * log(2.0) + l_hard) / 3);
    loss_case c = { vt, l, &ob, FALSE };
    check_grads(&c, 4, (int64_t[]){ 2, 2, 1, 2 }, -2, 2);
    /* A larger map exercises the permute to pixels. */
    int32_t lab2[2 * 3 * 4];
    for (int i = 0; i < 24; i++)
        lab2[i] = i % 5 == 0 ? 255 : i % 3;
    batch_make(&ob, "label_map", BLO_DTYPE_I32, lab2, 3, (int64_t[]){ 2, 3, 4 });
    check_grads(&c, 4, (int64_t[]){ 2, 3, 3, 4 }, -2, 2);
    loss_self_free(l);
}

Test(losses, bce_values_and_gradient)
{
    const blo_loss_vtable *vt = vt_of(&losses_bce_component);
    loss_self *l = self_new("mask", -1, 0);
    uint8_t mask[] = { 1, 0, 0, 1 };
    one_batch ob;
    batch_make(&ob, "mask", BLO_DTYPE_U8, mask, 3, (int64_t[]){ 2, 1, 2 });
    float out[] = { 0, 2, -1, 3 };
    int64_t shape[] = { 2, 1, 1, 2 };
    /* softplus(x) - x t */
    NEAR(value_at(vt, l, &ob, out, 4, shape, 0), (log(2.0) + log(1 + exp(2.0))) / 2);
    NEAR(value_at(vt, l, &ob, out, 4, shape, 1), (log(1 + exp(-1.0)) + log(1 + exp(3.0)) - 3) / 2);
    loss_case c = { vt, l, &ob, FALSE };
    check_grads(&c, 4, shape, -3, 3);
    /* Logits [B,K] against an f32 target. */
    float soft[] = { 0.25f, 1, 0, 0.5f, 0.75f, 1 };
    batch_make(&ob, "mask", BLO_DTYPE_F32, soft, 2, (int64_t[]){ 2, 3 });
    check_grads(&c, 2, (int64_t[]){ 2, 3 }, -3, 3);
    loss_self_free(l);
}

Test(losses, soft_iou_values_and_gradient)
{
    const blo_loss_vtable *vt = vt_of(&losses_soft_iou_component);
    loss_self *l = self_new("mask", -1, 0);
    int32_t mask[] = { 1, 0, 1, 1 };
    one_batch ob;
    batch_make(&ob, "mask", BLO_DTYPE_I32, mask, 3, (int64_t[]){ 2, 1, 2 });
    float out[] = { 0, 0, 0, 0 };
    int64_t shape[] = { 2, 1, 1, 2 };
    /* p = 0.5 everywhere: item 0 I = 0.5, U = 1 + 1 - 0.5; item 1 I = 1, U = 1 + 2 - 1. */
    NEAR(value_at(vt, l, &ob, out, 4, shape, 0), 1 - 0.5 / 1.5);
    NEAR(value_at(vt, l, &ob, out, 4, shape, 1), 1 - 1.0 / 2.0);
    l->smooth = 1;
    NEAR(value_at(vt, l, &ob, out, 4, shape, 0), 1 - 1.5 / 2.5);
    loss_case c = { vt, l, &ob, FALSE };
    check_grads(&c, 4, shape, -2, 2);
    loss_self_free(l);
}

Test(losses, mse_and_l1_values_and_gradient)
{
    loss_self *l = self_new("target", -1, 0);
    float target[] = { 0, 4, 1, 1 };
    one_batch ob;
    batch_make(&ob, "target", BLO_DTYPE_F32, target, 2, (int64_t[]){ 2, 2 });
    float out[] = { 1, 2, 1, 3 };
    int64_t shape[] = { 2, 2 };
    const blo_loss_vtable *mse = vt_of(&losses_mse_component), *l1 = vt_of(&losses_l1_component);
    NEAR(value_at(mse, l, &ob, out, 2, shape, 0), 2.5);
    NEAR(value_at(mse, l, &ob, out, 2, shape, 1), 2.0);
    NEAR(value_at(l1, l, &ob, out, 2, shape, 0), 1.5);
    NEAR(value_at(l1, l, &ob, out, 2, shape, -1), 1.25);
    loss_case c = { mse, l, &ob, FALSE };
    check_grads(&c, 2, shape, -3, 3);
    /* L1 has a kink where output == target: keep away from the targets. */
    c.vt = l1;
    float far[] = { 10, 10, 10, 10 };
    batch_make(&ob, "target", BLO_DTYPE_F32, far, 2, (int64_t[]){ 2, 2 });
    check_grads(&c, 2, shape, -3, 3);
    loss_self_free(l);
}

/* A batch whose target does not fit the output: the graph's error names both. */
Test(losses, shape_errors_name_the_field_and_shapes)
{
    loss_self *l = self_new("label", -1, 0);
    int32_t labels[] = { 0, 1, 2 };
    one_batch ob;
    batch_make(&ob, "label", BLO_DTYPE_I32, labels, 1, (int64_t[]){ 3 });
    float out[6] = { 0 };
    blo_graph *g = blo_graph_new();
    blo_tensor *o = blo_leaf(g, out, BLO_SHAPE(2, 3), FALSE);
    cr_expect_null(vt_of(&losses_ce_component)->each(l, o, &ob.b));
    GError *err = NULL;
    cr_assert_not(blo_graph_check(g, &err));
    cr_expect(strstr(err->message, "'label'") && strstr(err->message, "[2,3]") && strstr(err->message, "[3]"),
              "%s", err->message);
    g_clear_error(&err);
    blo_graph_free(g);
    loss_self_free(l);
}

/* bind() rejects a learner output or field the loss cannot score. */
Test(losses, bind_checks_output_kind_and_field)
{
    blo_split *s = blo_split_new("train", 2);
    static int32_t labels[] = { 0, 1 };
    static uint8_t mask[] = { 0, 2, 1, 1 };
    GError *err = NULL;
    cr_assert(blo_split_add_dense(s, "label", BLO_DTYPE_I32, labels, 0, NULL, NULL, &err));
    cr_assert(blo_split_add_dense(s, "mask", BLO_DTYPE_U8, mask, 2, (int64_t[]){ 1, 2 }, NULL, &err));
    blo_learner_setup ls = { .struct_size = sizeof ls, .output = BLO_OUTPUT_CLASS_LOGITS, .n_out = 3,
                             .n_inputs = 1, .inputs = { "image" } };
    loss_self *pix = self_new("label", -1, 0);
    cr_expect_not(vt_of(&losses_pixel_ce_component)->bind(pix, &ls, s, &err));
    cr_expect(err && strstr(err->message, "dense map") && strstr(err->message, "'label'"), "%s", err->message);
    g_clear_error(&err);
    loss_self *ce = self_new("labels", -1, 0);
    cr_expect_not(vt_of(&losses_ce_component)->bind(ce, &ls, s, &err));
    cr_expect(err && strstr(err->message, "'labels'") && strstr(err->message, "label i32"), "%s", err->message);
    g_clear_error(&err);
    ls.output = BLO_OUTPUT_DENSE_MAP;
    ls.n_out = 1;
    loss_self *bce = self_new("mask", -1, 0);
    cr_expect_not(vt_of(&losses_bce_component)->bind(bce, &ls, s, &err));   /* the 2 in the mask */
    cr_expect(err && strstr(err->message, "0 or 1"), "%s", err ? err->message : "");
    g_clear_error(&err);
    mask[1] = 0;
    cr_expect(vt_of(&losses_bce_component)->bind(bce, &ls, s, &err), "%s", err ? err->message : "");
    loss_self_free(pix);
    loss_self_free(ce);
    loss_self_free(bce);
    blo_split_free(s);
}
