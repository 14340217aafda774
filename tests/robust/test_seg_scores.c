/* Task-neutral scoring: confusion-matrix mIoU with ignore_index, binary IoU,
 * accuracy; and an attack on a dense-map learner (a per-pixel test learner
 * that segments x > 0.5 perfectly, with a per-pixel cross-entropy test loss)
 * lowers its mIoU through blo_robust_eval. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "robust_fixture.h"

Test(scores, confusion_miou)
{
    /* 3 classes; truth 2 never predicted, class 1 half right; -1 ignored */
    const int32_t truth[] = { 0, 0, 1, 1, 2, -1, 1 };
    const int32_t pred[]  = { 0, 0, 1, 0, 1, 2, 1 };
    int64_t cm[9] = { 0 };
    blo_confusion_add(cm, 3, pred, truth, 7, -1);
    cr_expect_eq(cm[0 * 3 + 0], 2);
    cr_expect_eq(cm[1 * 3 + 0], 1);
    cr_expect_eq(cm[2 * 3 + 1], 1);
    /* IoU: class 0 2/3, class 1 2/4, class 2 0/1 */
    double want = (2.0 / 3 + 2.0 / 4 + 0.0) / 3;
    cr_expect(fabs(blo_confusion_miou(cm, 3) - want) < 1e-12, "mIoU %g, want %g", blo_confusion_miou(cm, 3), want);
    int64_t none[4] = { 0 };
    cr_expect(isnan(blo_confusion_miou(none, 2)));
}

Test(scores, argmax_channels)
{
    /* B = 1, c = 3, hw = 2: pixel 0 best channel 2, pixel 1 a tie of 0 and 1 -> 0 */
    const float map[] = { 0.1f, 5.0f, 0.2f, 5.0f, 0.9f, -1.0f };
    int32_t pred[2];
    blo_argmax_channels(map, 1, 3, 2, pred);
    cr_expect_eq(pred[0], 2);
    cr_expect_eq(pred[1], 0);
}

/* ---- a dense test learner and loss --------------------------------------- */
#define B 8
#define H 6
#define W 6
#define HW (H * W)

typedef struct dense { int unused; } dense;
static void *dense_create(const blo_params *p, blo_ctx *ctx, GError **error) { return g_new0(dense, 1); }

static gboolean dense_setup(void *self, blo_learner_setup *ls, GError **error)
{
    ls->n_params = 4;
    ls->n_inputs = 1;
    ls->inputs[0] = "image";
    ls->output = BLO_OUTPUT_DENSE_MAP;
    ls->n_out = 2;
    return TRUE;
}

static gboolean dense_init(void *self, float *y, blo_rng *rng, GError **error)
{
    /* class 0: -10 x + 5, class 1: 10 x - 5 */
    const float w[] = { -10, 10, 5, -5 };
    memcpy(y, w, sizeof w);
    return TRUE;
}

/* [B, 1, H, W] -> [B, 2, H, W]: channel k = w_k x + b_k. */
static blo_tensor *dense_forward(void *self, const blo_forward *fw)
{
    blo_tensor *x = fw->inputs[0], *ch[2];
    for (int k = 0; k < 2; k++)
        ch[k] = blo_add(blo_mul(x, blo_view(fw->y, k, BLO_SHAPE(1))), blo_view(fw->y, 2 + k, BLO_SHAPE(1)));
    return blo_concat(ch, 2, 1);
}

static const blo_learner_vtable dense_vtable = {
    .struct_size = sizeof(blo_learner_vtable), .create = dense_create, .setup = dense_setup, .init = dense_init,
    .forward = dense_forward, .destroy = g_free,
};

static const char *const pixce_fields[] = { "label_map", NULL };
static void *pixce_create(const blo_params *p, blo_ctx *ctx, GError **error) { return g_new0(int, 1); }
static const char *const *pixce_targets(void *self) { return pixce_fields; }
/* Per item: the sum over pixels of the cross-entropy against label_map. */
static blo_tensor *pixce_each(void *self, blo_tensor *out, const blo_batch *b)
{
    int64_t n = out->shape[0], k = out->shape[1];
    blo_tensor *rows = blo_reshape(blo_permute(out, (const int[]){ 0, 2, 3, 1 }), BLO_SHAPE(-1, k));
    blo_tensor *ce = blo_cross_entropy_each(rows, blo_batch_find(b, "label_map")->data, 7);
    return blo_sum(blo_reshape(ce, BLO_SHAPE(n, -1)), -1, FALSE);
}

static const blo_loss_vtable pixce_vtable = {
    .struct_size = sizeof(blo_loss_vtable), .create = pixce_create, .targets = pixce_targets, .each = pixce_each,
    .destroy = g_free,
};

static const blo_component dense_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_LEARNER, .name = "test-dense", .summary = "per-pixel", .vtable = &dense_vtable,
};
static const blo_component pixce_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_LOSS, .name = "test-pixce", .summary = "pixel CE", .vtable = &pixce_vtable,
};
static const blo_component *const seg_components[] = { &dense_component, &pixce_component, NULL };
static const blo_plugin_entry seg_entry = {
    BLO_PLUGIN_ENTRY_HEADER, .name = "test-seg", .version = "0", .license = "MIT", .paper = "", .description = "test",
    .components = seg_components,
};

typedef struct seg_fixture {
    float x[B * HW];
    int32_t map[B * HW];
    uint8_t mask[B * HW];
    blo_split *split;
    blo_object *learner, *loss;
    float y[4];
} seg_fixture;

static void seg_make(seg_fixture *f)
{
    fixture_register(&seg_entry);
    blo_rng rng;
    blo_rng_seed(&rng, 9);
    for (int i = 0; i < B * HW; i++) {
        f->x[i] = (float)blo_rng_uniform(&rng);
        f->map[i] = f->x[i] > 0.5f;
        f->mask[i] = (uint8_t)f->map[i];
    }
    f->map[3] = 7;   /* an ignored pixel */
    f->split = blo_split_new("test", B);
    cr_assert(blo_split_add_dense(f->split, "image", BLO_DTYPE_F32, f->x, 3, (const int64_t[]){ 1, H, W }, NULL, NULL));
    cr_assert(blo_split_add_dense(f->split, "label_map", BLO_DTYPE_I32, f->map, 2, (const int64_t[]){ H, W }, NULL, NULL));
    cr_assert(blo_split_add_dense(f->split, "mask", BLO_DTYPE_U8, f->mask, 2, (const int64_t[]){ H, W }, NULL, NULL));
    blo_split_set_range(f->split, "image", 0.0f, 1.0f);
    blo_split_set_classes(f->split, "label_map", 2, 7);
    f->learner = fixture_object("learner:test-dense");
    cr_assert_eq(blo_learner_setup_object(f->learner, NULL, f->split, NULL), 4);
    cr_assert(blo_object_learner(f->learner)->init(blo_object_self(f->learner), f->y, NULL, NULL));
    f->loss = fixture_object("loss:test-pixce");
}

static void seg_free(seg_fixture *f)
{
    blo_object_free(f->loss);
    blo_object_free(f->learner);
    blo_split_free(f->split);
}

/* PGD on the pixel loss: clean mIoU 1, attacked at least 0.2 lower. */
Test(scores, pgd_lowers_miou)
{
    seg_fixture f;
    seg_make(&f);
    GError *err = NULL;
    blo_attack_target *t = blo_attack_target_new(f.learner, f.y, 4, f.loss, NULL, NULL, f.split, &err);
    cr_assert_not_null(t, "%s", err ? err->message : "");
    blo_scorer *clean = blo_scorer_new(BLO_SCORE_MIOU, f.split, "label_map", &err);
    blo_scorer *robust = blo_scorer_new(BLO_SCORE_MIOU, f.split, "label_map", &err);
    cr_assert_not_null(robust, "%s", err ? err->message : "");
    blo_object *a = fixture_object("attack:pgd eps=0.2 steps=10");
    blo_rng rng;
    blo_rng_seed(&rng, 1);
    cr_assert(blo_robust_eval(f.learner, t, f.y, 4, f.split, 0, 3, blo_craft_attack, a, &rng, NULL, clean, robust,
                              &err), "%s", err ? err->message : "");
    double c = blo_scorer_value(clean), r = blo_scorer_value(robust);
    cr_expect(fabs(c - 1.0) < 1e-12, "clean mIoU %g", c);
    cr_expect_leq(r, c - 0.2, "attacked mIoU %g, clean %g", r, c);
    blo_scorer_free(clean);
    blo_scorer_free(robust);
    blo_object_free(a);
    blo_attack_target_free(t);
    seg_free(&f);
}

/* Binary IoU of a 1-channel logit map vs a u8 mask, by hand. */
Test(scores, binary_iou)
{
    seg_fixture f;
    seg_make(&f);
    GError *err = NULL;
    blo_scorer *sc = blo_scorer_new(BLO_SCORE_IOU, f.split, "mask", &err);
    cr_assert_not_null(sc, "%s", err ? err->message : "");
    blo_batch_field storage[3];
    blo_batch b;
    cr_assert(blo_split_view(f.split, NULL, 0, B, storage, 3, &b, &err), "%s", err ? err->message : "");
    /* logits x - 0.7: predicts x > 0.7, so IoU = #(x > 0.7) / #(x > 0.5) */
    float logit[B * HW];
    int64_t inter = 0, uni = 0;
    for (int i = 0; i < B * HW; i++) {
        logit[i] = f.x[i] - 0.7f;
        inter += logit[i] > 0 && f.mask[i];
        uni += logit[i] > 0 || f.mask[i];
    }
    blo_graph *g = blo_graph_new();
    blo_tensor *out = blo_from_data(g, logit, 4, (const int64_t[]){ B, 1, H, W });
    cr_assert(blo_scorer_add(sc, out, &b, &err), "%s", err ? err->message : "");
    cr_expect(fabs(blo_scorer_value(sc) - (double)inter / (double)uni) < 1e-12, "IoU %g, want %g",
              blo_scorer_value(sc), (double)inter / (double)uni);
    /* two channels are refused, naming the count */
    blo_scorer *sc2 = blo_scorer_new(BLO_SCORE_IOU, f.split, "mask", NULL);
    float two[2 * B * HW] = { 0 };
    cr_expect_not(blo_scorer_add(sc2, blo_from_data(g, two, 4, (const int64_t[]){ B, 2, H, W }), &b, &err));
    cr_expect(err && strstr(err->message, "2 channels"), "%s", err ? err->message : "(no error)");
    g_clear_error(&err);
    blo_scorer_free(sc2);
    blo_graph_free(g);
    blo_scorer_free(sc);
    seg_free(&f);
}
