/* Attacks on a LIST of fields: a tiny test learner takes two inputs ("ir" in
 * [0, 1] and "vis" in [-1, 1]) and classifies tanh(ir + vis); each field is
 * perturbed within its own budget and range, the target's gradient w.r.t.
 * both matches finite differences (with cross-entropy and with a test loss
 * component), and robust evaluation scores the attacked batches. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "robust_fixture.h"

#define B 16
#define D 24
#define CLASSES 3

/* ---- learner:sum2 and loss:sumsq, registered from the test -------------- */
typedef struct sum2 {
    int64_t d, k;
} sum2;

static void *sum2_create(const blo_params *p, blo_ctx *ctx, GError **error) { return g_new0(sum2, 1); }

static gboolean sum2_setup(void *self, blo_learner_setup *ls, GError **error)
{
    sum2 *s = self;
    const blo_field *ir = blo_split_field(ls->train, "ir", BLO_DTYPE_F32, error);
    const blo_field *lab = ir ? blo_split_field(ls->train, "label", BLO_DTYPE_I32, error) : NULL;
    if (!lab)
        return FALSE;
    s->d = blo_field_item_numel(ir);
    s->k = lab->n_classes;
    ls->n_params = s->k * s->d + s->k;
    ls->n_inputs = 2;
    ls->inputs[0] = "ir";
    ls->inputs[1] = "vis";
    ls->output = BLO_OUTPUT_CLASS_LOGITS;
    ls->n_out = s->k;
    return TRUE;
}

static gboolean sum2_init(void *self, float *y, blo_rng *rng, GError **error)
{
    sum2 *s = self;
    for (int64_t i = 0; i < s->k * s->d + s->k; i++)
        y[i] = (float)blo_rng_normal(rng);
    return TRUE;
}

static blo_tensor *sum2_forward(void *self, const blo_forward *fw)
{
    sum2 *s = self;
    blo_tensor *w = blo_view(fw->y, 0, BLO_SHAPE(s->k, s->d)), *b = blo_view(fw->y, s->k * s->d, BLO_SHAPE(s->k));
    return blo_linear(blo_tanh(blo_add(fw->inputs[0], fw->inputs[1])), w, b);
}

static const blo_learner_vtable sum2_vtable = {
    .struct_size = sizeof(blo_learner_vtable), .create = sum2_create, .setup = sum2_setup, .init = sum2_init,
    .forward = sum2_forward, .destroy = g_free,
};

static void *sumsq_create(const blo_params *p, blo_ctx *ctx, GError **error) { return g_new0(int, 1); }
static const char *const sumsq_fields[] = { "label", NULL };
static const char *const *sumsq_targets(void *self) { return sumsq_fields; }
/* Per item: sum of squared logits (no label needed: the attack still pushes the outputs). */
static blo_tensor *sumsq_each(void *self, blo_tensor *out, const blo_batch *b)
{
    return blo_sum(blo_mul(out, out), -1, FALSE);
}

static const blo_loss_vtable sumsq_vtable = {
    .struct_size = sizeof(blo_loss_vtable), .create = sumsq_create, .targets = sumsq_targets, .each = sumsq_each,
    .destroy = g_free,
};

static const blo_component sum2_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_LEARNER, .name = "test-sum2", .summary = "two inputs summed",
    .vtable = &sum2_vtable,
};
static const blo_component sumsq_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_LOSS, .name = "test-sumsq", .summary = "squared logits",
    .vtable = &sumsq_vtable,
};
static const blo_component *const test_components[] = { &sum2_component, &sumsq_component, NULL };
static const blo_plugin_entry test_entry = {
    BLO_PLUGIN_ENTRY_HEADER, .name = "test-fields", .version = "0", .license = "MIT", .paper = "",
    .description = "test", .components = test_components,
};

/* ---- fixture -------------------------------------------------------------- */
typedef struct fields_fixture {
    float ir[B * D], vis[B * D];
    int32_t labels[B];
    blo_split *split;
    blo_object *learner, *loss;
    float *y;
    int64_t n_y;
    blo_batch_field storage[3];
    blo_batch batch;
} fields_fixture;

static void fixture_make(fields_fixture *f)
{
    static gboolean registered;
    if (!registered)
        fixture_register(&test_entry);
    registered = TRUE;
    blo_rng rng;
    blo_rng_seed(&rng, 21);
    for (int i = 0; i < B * D; i++) {
        double u = blo_rng_uniform(&rng);
        f->ir[i] = u < 0.2 ? 0.0f : u > 0.8 ? 1.0f : (float)blo_rng_uniform(&rng);
        f->vis[i] = (float)(2 * blo_rng_uniform(&rng) - 1);
    }
    for (int i = 0; i < B; i++)
        f->labels[i] = (int32_t)blo_rng_below(&rng, CLASSES);
    f->split = blo_split_new("test", B);
    cr_assert(blo_split_add_dense(f->split, "ir", BLO_DTYPE_F32, f->ir, 1, (const int64_t[]){D}, NULL, NULL));
    cr_assert(blo_split_add_dense(f->split, "vis", BLO_DTYPE_F32, f->vis, 1, (const int64_t[]){D}, NULL, NULL));
    cr_assert(blo_split_add_dense(f->split, "label", BLO_DTYPE_I32, f->labels, 0, NULL, NULL, NULL));
    blo_split_set_range(f->split, "ir", 0.0f, 1.0f);
    blo_split_set_range(f->split, "vis", -1.0f, 1.0f);
    blo_split_set_classes(f->split, "label", CLASSES, -1);
    f->learner = fixture_object("learner:test-sum2");
    GError *err = NULL;
    f->n_y = blo_learner_setup_object(f->learner, NULL, f->split, &err);
    cr_assert_gt(f->n_y, 0, "%s", err ? err->message : "");
    f->y = g_new(float, f->n_y);
    cr_assert(blo_object_learner(f->learner)->init(blo_object_self(f->learner), f->y, &rng, NULL));
    f->loss = fixture_object("loss:test-sumsq");
    cr_assert(blo_split_view(f->split, NULL, 0, B, f->storage, 3, &f->batch, &err), "%s", err ? err->message : "");
}

static void fixture_free(fields_fixture *f)
{
    blo_object_free(f->loss);
    blo_object_free(f->learner);
    blo_split_free(f->split);
    g_free(f->y);
}

static blo_attack_target *target_new(fields_fixture *f, blo_object *loss, const double *eps)
{
    GError *err = NULL;
    blo_attack_target *t = blo_attack_target_new(f->learner, f->y, f->n_y, loss,
                                                 (const char *const[]){ "ir", "vis", NULL }, eps, f->split, &err);
    cr_assert_not_null(t, "%s", err ? err->message : "");
    return t;
}

static double field_dist(const float *x, const float *adv, gboolean l2)
{
    return fixture_max_dist(x, adv, B, D, l2);
}

static void check_fields(const char *text, double eps_ir, double eps_vis, gboolean l2)
{
    fields_fixture f;
    fixture_make(&f);
    blo_attack_target *t = target_new(&f, NULL, NULL);
    blo_object *a = fixture_object(text);
    float adv_ir[B * D], adv_vis[B * D];
    blo_rng rng;
    blo_rng_seed(&rng, 4);
    GError *err = NULL;
    cr_assert(blo_attack_perturb(a, t, &f.batch, (float *const[]){ adv_ir, adv_vis }, &rng, &err), "%s: %s", text,
              err ? err->message : "");
    double d_ir = field_dist(f.ir, adv_ir, l2), d_vis = field_dist(f.vis, adv_vis, l2);
    cr_expect_leq(d_ir, eps_ir * (1 + 1e-6) + 1e-7, "%s: ir moved %.9g, budget %g", text, d_ir, eps_ir);
    cr_expect_leq(d_vis, eps_vis * (1 + 1e-6) + 1e-7, "%s: vis moved %.9g, budget %g", text, d_vis, eps_vis);
    /* both fields used a good part of their own budget (not one shared radius) */
    cr_expect_gt(d_ir, 0.5 * eps_ir, "%s: ir moved only %g of %g", text, d_ir, eps_ir);
    cr_expect_gt(d_vis, 0.5 * eps_vis, "%s: vis moved only %g of %g", text, d_vis, eps_vis);
    for (int i = 0; i < B * D; i++) {
        cr_assert(adv_ir[i] >= 0.0f && adv_ir[i] <= 1.0f, "%s: ir[%d] = %g outside [0, 1]", text, i, adv_ir[i]);
        cr_assert(adv_vis[i] >= -1.0f && adv_vis[i] <= 1.0f, "%s: vis[%d] = %g outside [-1, 1]", text, i, adv_vis[i]);
    }
    float buf[2 * B * D];
    memcpy(buf, adv_ir, sizeof adv_ir);
    memcpy(buf + B * D, adv_vis, sizeof adv_vis);
    double clean, attacked;
    cr_assert(blo_attack_target_loss_grad(t, &f.batch, NULL, &clean, NULL, NULL, NULL));
    cr_assert(blo_attack_target_loss_grad(t, &f.batch, buf, &attacked, NULL, NULL, NULL));
    cr_expect_gt(attacked, clean, "%s: loss %g -> %g did not increase", text, clean, attacked);
    blo_object_free(a);
    blo_attack_target_free(t);
    fixture_free(&f);
}

Test(attack_fields, pgd_linf) { check_fields("attack:pgd eps=0.05,0.2 steps=10", 0.05, 0.2, FALSE); }
Test(attack_fields, pgd_l2) { check_fields("attack:pgd norm=l2 eps=0.3,1.0 steps=10", 0.3, 1.0, TRUE); }
Test(attack_fields, fgsm) { check_fields("attack:fgsm eps=0.05,0.2", 0.05, 0.2, FALSE); }
Test(attack_fields, mifgsm) { check_fields("attack:mifgsm eps=0.05,0.2", 0.05, 0.2, FALSE); }
Test(attack_fields, apgd_ce) { check_fields("attack:apgd-ce eps=0.05,0.2 steps=10", 0.05, 0.2, FALSE); }
/* one eps for all fields */
Test(attack_fields, one_eps) { check_fields("attack:pgd eps=0.1 steps=10", 0.1, 0.1, FALSE); }

/* The attack's fields= picks the fields: only vis moves. */
Test(attack_fields, fields_param)
{
    fields_fixture f;
    fixture_make(&f);
    blo_object *a = fixture_object("attack:pgd eps=0.2 steps=5 fields=vis");
    GError *err = NULL;
    blo_attack_target *t = blo_attack_target_for(a, f.learner, f.y, f.n_y, NULL, f.split, &err);
    cr_assert_not_null(t, "%s", err ? err->message : "");
    cr_assert_eq(blo_attack_target_n_fields(t), 1);
    cr_expect_str_eq(blo_attack_target_field(t, 0), "vis");
    float adv[B * D];
    blo_rng rng;
    blo_rng_seed(&rng, 4);
    cr_assert(blo_attack_perturb(a, t, &f.batch, (float *const[]){ adv }, &rng, &err), "%s", err ? err->message : "");
    double d = field_dist(f.vis, adv, FALSE);
    cr_expect(d > 0.1 && d <= 0.2 + 1e-7, "vis moved %g, budget 0.2", d);
    blo_attack_target_free(t);
    blo_object_free(a);
    fixture_free(&f);
}

/* d loss / d (ir, vis) against central differences, with CE and with a loss component. */
static void check_gradient(gboolean with_loss)
{
    fields_fixture f;
    fixture_make(&f);
    blo_attack_target *t = target_new(&f, with_loss ? f.loss : NULL, (const double[]){ 0.1, 0.1 });
    float in[2 * B * D], grad[2 * B * D];
    memcpy(in, f.ir, sizeof f.ir);
    memcpy(in + B * D, f.vis, sizeof f.vis);
    double sum, each[B];
    GError *err = NULL;
    cr_assert(blo_attack_target_loss_grad(t, &f.batch, in, &sum, each, grad, &err), "%s", err ? err->message : "");
    double total = 0;
    for (int i = 0; i < B; i++)
        total += each[i];
    cr_expect(fabs(total - sum) < 1e-4 * fmax(1, fabs(sum)), "per-item losses %g do not add up to %g", total, sum);
    const double h = 1e-2;
    for (int k = 0; k < 16; k++) {
        int idx = (k * 97) % (2 * B * D);
        float keep = in[idx];
        double up, down;
        in[idx] = keep + (float)h;
        cr_assert(blo_attack_target_loss_grad(t, &f.batch, in, &up, NULL, NULL, NULL));
        in[idx] = keep - (float)h;
        cr_assert(blo_attack_target_loss_grad(t, &f.batch, in, &down, NULL, NULL, NULL));
        in[idx] = keep;
        double fd = (up - down) / (2 * h);
        cr_expect(fabs(fd - grad[idx]) < 2e-3 + 2e-2 * fabs(fd), "%s: gradient[%d] (%s) %g, finite difference %g",
                  with_loss ? "loss:test-sumsq" : "CE", idx, idx < B * D ? "ir" : "vis", grad[idx], fd);
    }
    blo_attack_target_free(t);
    fixture_free(&f);
}

Test(attack_fields, gradient_ce) { check_gradient(FALSE); }
Test(attack_fields, gradient_loss_component) { check_gradient(TRUE); }

/* Robust evaluation over two fields: attacked accuracy not above clean. */
Test(attack_fields, robust_eval)
{
    fields_fixture f;
    fixture_make(&f);
    blo_attack_target *t = target_new(&f, NULL, NULL);
    blo_object *a = fixture_object("attack:pgd eps=0.3,0.5 steps=10");
    GError *err = NULL;
    blo_scorer *clean = blo_scorer_new(BLO_SCORE_ACCURACY, f.split, "label", &err);
    blo_scorer *robust = blo_scorer_new(BLO_SCORE_ACCURACY, f.split, "label", &err);
    cr_assert_not_null(robust);
    blo_rng rng;
    blo_rng_seed(&rng, 4);
    cr_assert(blo_robust_eval(f.learner, t, f.y, f.n_y, f.split, 0, 5, blo_craft_attack, a, &rng, NULL, clean,
                              robust, &err), "%s", err ? err->message : "");
    double c = blo_scorer_value(clean), r = blo_scorer_value(robust);
    cr_expect(c > 0 && r < c, "clean %g, robust %g", c, r);
    blo_scorer_free(clean);
    blo_scorer_free(robust);
    blo_object_free(a);
    blo_attack_target_free(t);
    fixture_free(&f);
}
