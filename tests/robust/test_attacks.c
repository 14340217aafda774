/* Attack properties on a tiny MLP and generated data: every perturbation stays
 * within eps (L-inf and L2) and within the valid range, and raises the loss;
 * the learner attack target's input gradient matches finite differences. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "robust_fixture.h"

#define B 32
#define D 64
#define CLASSES 4

typedef struct attack_fixture {
    blo_object *learner;
    float *y;
    int64_t n_y;
    float x[B * D];
    int32_t labels[B];
    blo_split *split;
    blo_batch_field storage[2];
    blo_batch batch;
    blo_attack_target *target;
} attack_fixture;

/* Inputs in [0, 1] with many pixels exactly at the bounds (clamping matters). */
static void fixture_make(attack_fixture *f)
{
    f->learner = fixture_learner("learner:mlp hidden=16", 1, (const int64_t[]){D}, CLASSES, &f->y, &f->n_y, 7);
    blo_rng rng;
    blo_rng_seed(&rng, 11);
    for (int i = 0; i < B * D; i++) {
        double u = blo_rng_uniform(&rng);
        f->x[i] = u < 0.2 ? 0.0f : u > 0.8 ? 1.0f : (float)blo_rng_uniform(&rng);
    }
    for (int i = 0; i < B; i++)
        f->labels[i] = (int32_t)blo_rng_below(&rng, CLASSES);
    f->split = blo_split_new("test", B);
    cr_assert(blo_split_add_dense(f->split, "image", BLO_DTYPE_F32, f->x, 1, (const int64_t[]){D}, NULL, NULL));
    cr_assert(blo_split_add_dense(f->split, "label", BLO_DTYPE_I32, f->labels, 0, NULL, NULL, NULL));
    blo_split_set_range(f->split, "image", 0.0f, 1.0f);
    GError *err = NULL;
    cr_assert(blo_split_view(f->split, NULL, 0, B, f->storage, 2, &f->batch, &err), "%s", err ? err->message : "");
    f->target = blo_attack_target_new(f->learner, f->y, f->n_y, NULL, NULL, NULL, f->split, &err);
    cr_assert_not_null(f->target, "%s", err ? err->message : "");
}

static void fixture_free(attack_fixture *f)
{
    blo_attack_target_free(f->target);
    blo_split_free(f->split);
    blo_object_free(f->learner);
    g_free(f->y);
}

static double loss_at(attack_fixture *f, const float *in)
{
    double loss = 0;
    GError *err = NULL;
    cr_assert(blo_attack_target_loss_grad(f->target, &f->batch, in, &loss, NULL, NULL, &err), "%s",
              err ? err->message : "");
    return loss;
}

static void perturb(blo_object *a, attack_fixture *f, float *adv, blo_rng *rng, const char *text)
{
    GError *err = NULL;
    cr_assert(blo_attack_perturb(a, f->target, &f->batch, (float *const[]){ adv }, rng, &err), "%s: %s", text,
              err ? err->message : "");
}

static void check_attack(const char *text, double eps, gboolean l2)
{
    attack_fixture f;
    fixture_make(&f);
    blo_object *a = fixture_object(text);
    float adv[B * D];
    blo_rng rng;
    blo_rng_seed(&rng, 3);
    perturb(a, &f, adv, &rng, text);
    double dist = fixture_max_dist(f.x, adv, B, D, l2);
    cr_expect_leq(dist, eps * (1 + 1e-6) + 1e-7, "%s: perturbation %.9g exceeds eps %g", text, dist, eps);
    cr_expect_gt(dist, 0.1 * eps, "%s: perturbation %.3g is (almost) empty", text, dist);
    for (int i = 0; i < B * D; i++)
        cr_assert(adv[i] >= 0.0f && adv[i] <= 1.0f, "%s: adv[%d] = %g outside [0, 1]", text, i, adv[i]);
    double clean = loss_at(&f, f.x), attacked = loss_at(&f, adv);
    cr_expect_gt(attacked, clean, "%s: loss %g -> %g did not increase", text, clean, attacked);
    blo_object_free(a);
    fixture_free(&f);
}

Test(attacks, fgsm_linf) { check_attack("attack:fgsm eps=0.1", 0.1, FALSE); }
Test(attacks, fgsm_random_start) { check_attack("attack:fgsm eps=0.1 random_start=true step_rel=1.25", 0.1, FALSE); }
Test(attacks, fgsm_l2) { check_attack("attack:fgsm norm=l2 eps=0.5", 0.5, TRUE); }
Test(attacks, pgd_linf) { check_attack("attack:pgd eps=0.1 steps=10", 0.1, FALSE); }
Test(attacks, pgd_l2) { check_attack("attack:pgd norm=l2 eps=0.5 steps=10", 0.5, TRUE); }
Test(attacks, pgd_absolute_step) { check_attack("attack:pgd eps=0.05 steps=5 step=0.2", 0.05, FALSE); }
Test(attacks, mifgsm_linf) { check_attack("attack:mifgsm eps=0.1", 0.1, FALSE); }
Test(attacks, mifgsm_l2) { check_attack("attack:mifgsm norm=l2 eps=0.5 random_start=true", 0.5, TRUE); }
Test(attacks, apgd_ce_linf) { check_attack("attack:apgd-ce eps=0.1 steps=20", 0.1, FALSE); }
Test(attacks, apgd_ce_l2) { check_attack("attack:apgd-ce norm=l2 eps=0.5 steps=20", 0.5, TRUE); }

/* The target's own budgets override the attack's eps. */
Test(attacks, target_budget_wins)
{
    attack_fixture f;
    fixture_make(&f);
    blo_attack_target_free(f.target);
    f.target = blo_attack_target_new(f.learner, f.y, f.n_y, NULL, (const char *const[]){ "image", NULL },
                                     (const double[]){ 0.02 }, f.split, NULL);
    cr_assert_not_null(f.target);
    blo_object *a = fixture_object("attack:pgd eps=0.3 steps=5");
    float adv[B * D];
    blo_rng rng;
    blo_rng_seed(&rng, 3);
    perturb(a, &f, adv, &rng, "pgd");
    double dist = fixture_max_dist(f.x, adv, B, D, FALSE);
    cr_expect(dist <= 0.02 + 1e-7 && dist > 0.01, "perturbation %g, target budget 0.02", dist);
    blo_object_free(a);
    fixture_free(&f);
}

/* Errors: a field that is not a learner input; a wrong number of eps values. */
Test(attacks, bad_fields_and_eps)
{
    attack_fixture f;
    fixture_make(&f);
    GError *err = NULL;
    cr_expect_null(blo_attack_target_new(f.learner, f.y, f.n_y, NULL, (const char *const[]){ "vis", NULL }, NULL,
                                         NULL, &err));
    cr_assert_not_null(err);
    cr_expect(strstr(err->message, "'vis'") && strstr(err->message, "image"), "%s", err->message);
    g_clear_error(&err);
    blo_object *a = fixture_object("attack:pgd eps=0.1,0.2,0.3 steps=2");
    float adv[B * D];
    blo_rng rng;
    blo_rng_seed(&rng, 3);
    cr_expect_not(blo_attack_perturb(a, f.target, &f.batch, (float *const[]){ adv }, &rng, &err));
    cr_assert_not_null(err);
    cr_expect(strstr(err->message, "3 eps values for 1"), "%s", err->message);
    g_clear_error(&err);
    blo_object_free(a);
    fixture_free(&f);
}

/* APGD-CE keeps the best point: its per-batch loss is not below PGD's at the same budget. */
Test(attacks, apgd_not_weaker_than_pgd)
{
    attack_fixture f;
    fixture_make(&f);
    blo_object *pgd = fixture_object("attack:pgd eps=0.1 steps=20"), *apgd = fixture_object("attack:apgd-ce eps=0.1 steps=20");
    float adv_p[B * D], adv_a[B * D];
    blo_rng rng;
    blo_rng_seed(&rng, 5);
    perturb(pgd, &f, adv_p, &rng, "pgd");
    perturb(apgd, &f, adv_a, &rng, "apgd");
    double lp = loss_at(&f, adv_p), la = loss_at(&f, adv_a);
    cr_expect_geq(la, 0.99 * lp, "APGD-CE loss %g below PGD's %g", la, lp);
    blo_object_free(pgd);
    blo_object_free(apgd);
    fixture_free(&f);
}

/* d loss / d input of the learner target (CE and KL modes) against central differences. */
static void check_target_gradient(gboolean kl)
{
    attack_fixture f;
    fixture_make(&f);
    float ref[B * CLASSES];
    for (int i = 0; i < B * CLASSES; i++)
        ref[i] = (float)((i * 7) % 5) * 0.3f;
    if (kl)
        blo_attack_target_set_kl(f.target, ref);
    float grad[B * D], in[B * D];
    double each[B];
    cr_assert(blo_attack_target_loss_grad(f.target, &f.batch, f.x, NULL, each, grad, NULL));
    double sum = 0;
    for (int i = 0; i < B; i++)
        sum += each[i];
    cr_expect(fabs(sum - loss_at(&f, f.x)) < 1e-4 * fmax(1, fabs(sum)), "per-item losses do not add up");
    memcpy(in, f.x, sizeof in);
    const double h = 1e-2;
    for (int k = 0; k < 12; k++) {
        int idx = (k * 173) % (B * D);
        float keep = in[idx];
        in[idx] = keep + (float)h;
        double up = loss_at(&f, in);
        in[idx] = keep - (float)h;
        double down = loss_at(&f, in);
        in[idx] = keep;
        double fd = (up - down) / (2 * h);
        cr_expect(fabs(fd - grad[idx]) < 2e-3 + 2e-2 * fabs(fd), "%s gradient[%d] %g, finite difference %g",
                  kl ? "KL" : "CE", idx, grad[idx], fd);
    }
    fixture_free(&f);
}

Test(attack_target, cross_entropy_gradient) { check_target_gradient(FALSE); }
Test(attack_target, kl_gradient) { check_target_gradient(TRUE); }
