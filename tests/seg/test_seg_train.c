/* Dense outputs end to end on generated shapes (fixtures/): the tiny conv
 * learner trained by solver:standard with a pixel loss and paired
 * augmentation, scored by metric:miou / metric:iou, and attacked by PGD
 * through a pixel cross-entropy target.  One thread, each under 60 s. */
#include "pipeline_runner.h"

#include <criterion/criterion.h>
#include <stdio.h>

#define SHAPES "dataset:fixture-shapes n_train=256 n_val=0 n_test=64 size=32 "
#define SEG_NET "learner:fixture-seg width=16 layers=4 "
#define TRAIN "solver:standard epochs=6 batch_size=16 lr=0.01 "

static blo_run *run_ok(const char *text)
{
    GError *err = NULL;
    gint64 t0 = g_get_monotonic_time();
    blo_run *run = runner_run(text, FALSE, &err);
    cr_assert_not_null(run, "%s: %s", text, err ? err->message : "?");
    fprintf(stderr, "  (%.1f s) %s\n", (double)(g_get_monotonic_time() - t0) / 1e6, text);
    return run;
}

Test(seg_train, untrained_net_scores_low)
{
    /* So that the thresholds below are earned by training. */
    blo_run *run = run_ok(SHAPES "! " SEG_NET "! solver:none ! metric:miou name=seg split=test");
    double miou = runner_metric(run, "seg.miou");
    fprintf(stderr, "untrained mIoU %.4f\n", miou);
    cr_assert_lt(miou, 0.5, "an untrained net already has mIoU %.4f", miou);
    blo_run_free(run);
}

Test(seg_train, pixel_ce_with_flips_and_crops_then_pgd)
{
    blo_run *run = run_ok(SHAPES "! " SEG_NET "! " TRAIN "loss=pixel-ce crop=24 hflip=true vflip=true "
                          "! metric:miou name=seg split=test "
                          "! metric:robust-accuracy name=pgd attack=[ attack:pgd eps=0.1 steps=10 ] metric=miou "
                          "target=label_map loss=pixel-ce split=test");
    double miou = runner_metric(run, "seg.miou"), clean = runner_metric(run, "pgd.clean_miou");
    double robust = runner_metric(run, "pgd.robust_miou");
    fprintf(stderr, "pixel-ce: test mIoU %.4f; PGD eps 0.1: clean %.4f robust %.4f (drop %.4f)\n", miou, clean,
            robust, clean - robust);
    cr_assert_geq(miou, 0.8, "test mIoU %.4f < 0.8", miou);
    cr_assert_float_eq(clean, miou, 1e-9, "the attack metric's clean mIoU %.6f is not metric:miou's %.6f", clean, miou);
    cr_assert_geq(clean - robust, 0.2, "PGD lowered mIoU by only %.4f (%.4f -> %.4f)", clean - robust, clean, robust);
    blo_run_free(run);
}

Test(seg_train, soft_iou_on_the_mask)
{
    blo_run *run = run_ok(SHAPES "! " SEG_NET "target=mask classes=1 ! " TRAIN "loss=soft-iou crop=24 hflip=true "
                          "transpose=true crop_foreground_p=1 foreground_field=mask ! metric:iou name=mask split=test");
    double iou = runner_metric(run, "mask.iou");
    fprintf(stderr, "soft-iou: test IoU %.4f\n", iou);
    cr_assert_geq(iou, 0.7, "test IoU %.4f < 0.7", iou);
    blo_run_free(run);
}
