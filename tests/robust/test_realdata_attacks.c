/* Real Fashion-MNIST: on a model trained for one quick epoch and the first
 * 2000 test images, robust accuracy under PGD-20 is at most FGSM's + 0.5
 * points, and under APGD-CE at most PGD's + 0.5 points at the same number of
 * iterations (eps = 0.1, L-inf).  Skipped without the Debian dataset. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "pipeline_runner.h"
#include "robust_fixture.h"

#define FMNIST_DIR "/usr/share/datasets/fashion-mnist"
#define N_ITEMS 2000
#define BATCH 500

/* Share of the first N_ITEMS test items the learner still classifies after the attack. */
static double robust_accuracy(blo_run *run, const char *attack_text)
{
    blo_object *attack = fixture_object(attack_text), *learner = blo_run_learner(run);
    const blo_split *test = blo_dataset_get_split(blo_run_dataset(run), "test", NULL);
    cr_assert_not_null(test);
    const float *y = blo_run_y(run);
    const blo_field *xf = blo_split_find(test, "image");
    const int32_t *labels = blo_split_i32(test, "label", NULL);
    int64_t n_y = blo_run_dim_y(run), D = blo_field_item_numel(xf);
    GError *err = NULL;
    blo_attack_target *t = blo_attack_target_for(attack, learner, y, n_y, NULL, test, &err);
    cr_assert_not_null(t, "%s", err ? err->message : "");
    float *adv = g_new(float, BATCH * D);
    blo_rng rng;
    blo_rng_seed(&rng, 2024);
    double correct = 0;
    for (int64_t at = 0; at < N_ITEMS; at += BATCH) {
        blo_batch_field storage[2];
        blo_batch b;
        cr_assert(blo_split_view(test, (const char *const[]){ "image", "label", NULL }, at, BATCH, storage, 2, &b,
                                 &err), "%s", err ? err->message : "");
        cr_assert(blo_attack_perturb(attack, t, &b, (float *const[]){ adv }, &rng, &err), "%s: %s", attack_text,
                  err ? err->message : "");
        /* the adversarial batch as a split of its own */
        blo_split *view = blo_split_new("adversarial", BATCH);
        cr_assert(blo_split_add_dense(view, "image", BLO_DTYPE_F32, adv, xf->ndim - 1, xf->shape + 1, NULL, NULL));
        cr_assert(blo_split_add_dense(view, "label", BLO_DTYPE_I32, labels + at, 0, NULL, NULL, NULL));
        double acc = 0;
        cr_assert(blo_learner_eval_range(learner, y, n_y, view, 0, BATCH, &acc, NULL, &err), "%s",
                  err ? err->message : "");
        blo_split_free(view);
        correct += acc * BATCH;
    }
    g_free(adv);
    blo_attack_target_free(t);
    blo_object_free(attack);
    double acc = correct / N_ITEMS;
    fprintf(stderr, "%-60s robust accuracy %.4f\n", attack_text, acc);
    return acc;
}

Test(realdata, attack_strength_ordering, .timeout = 3000)
{
    if (!g_file_test(FMNIST_DIR "/train-images-idx3-ubyte.gz", G_FILE_TEST_EXISTS))
        cr_skip_test("real Fashion-MNIST absent (" FMNIST_DIR "); install dataset-fashion-mnist");
    GError *err = NULL;
    blo_run *run = runner_run("dataset:fashion-mnist n_train=60000 n_val=0 n_test=10000 corrupt=0 "
                              "! learner:mlp hidden=300 ! solver:standard epochs=1 batch_size=128 "
                              "! metric:accuracy split=test max_items=2000", FALSE, &err);
    cr_assert_not_null(run, "%s", err ? err->message : "");
    fprintf(stderr, "clean accuracy (first 2000) %.4f\n", runner_metric(run, "accuracy.test_accuracy"));
    double fgsm = robust_accuracy(run, "attack:fgsm eps=0.1");
    double pgd = robust_accuracy(run, "attack:pgd eps=0.1 steps=20 step_rel=0.125 random_start=true");
    double apgd = robust_accuracy(run, "attack:apgd-ce eps=0.1 steps=20");
    cr_expect_leq(pgd, fgsm + 0.005, "PGD-20 %.4f vs FGSM %.4f", pgd, fgsm);
    cr_expect_leq(apgd, pgd + 0.005, "APGD-CE-20 %.4f vs PGD-20 %.4f", apgd, pgd);
    blo_run_free(run);
}
