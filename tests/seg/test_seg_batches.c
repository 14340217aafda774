/* Paired augmentation, seeded order, checkpointed position and shards of
 * blo_batches on a split whose label map is a function of its image: every
 * pixel's value codes (item, row, column), so after any crop, flip or
 * transpose the fields of an item still agree pixel by pixel, and the
 * source coordinates of an output image form one rigid crop. */
#include <blo/blo.h>
#include "run/state_internal.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define N_ITEMS 10
#define SIDE 12

typedef struct coded {
    blo_split *split;
    int32_t fg_row[N_ITEMS], fg_col[N_ITEMS];   /* each item's one foreground pixel */
} coded;

static int32_t code_of(int64_t item, int64_t i, int64_t j)
{
    return (int32_t)((item * SIDE + i) * SIDE + j);
}

/* image [2,H,W] = (code, -code), label_map [H,W] = code, mask [H,W] one
 * foreground pixel near a corner (so a random crop often misses it),
 * label [] = item. */
static void coded_init(coded *c, int64_t n)
{
    int64_t hw = SIDE * SIDE, img_shape[3] = { 2, SIDE, SIDE }, map_shape[2] = { SIDE, SIDE };
    float *img = g_new(float, n * 2 * hw);
    int32_t *lab = g_new(int32_t, n * hw), *item = g_new(int32_t, n);
    uint8_t *mask = g_new0(uint8_t, n * hw);
    for (int64_t k = 0; k < n; k++) {
        item[k] = (int32_t)k;
        for (int64_t i = 0; i < SIDE; i++)
            for (int64_t j = 0; j < SIDE; j++) {
                int32_t v = code_of(k, i, j);
                img[(k * 2 + 0) * hw + i * SIDE + j] = (float)v;
                img[(k * 2 + 1) * hw + i * SIDE + j] = -(float)v;
                lab[k * hw + i * SIDE + j] = v;
            }
        c->fg_row[k % N_ITEMS] = (int32_t)(1 + k % 2);
        c->fg_col[k % N_ITEMS] = (int32_t)(SIDE - 2 - k % 3);
        mask[k * hw + c->fg_row[k % N_ITEMS] * SIDE + c->fg_col[k % N_ITEMS]] = 1;
    }
    c->split = blo_split_new("train", n);
    GError *err = NULL;
    cr_assert(blo_split_add_dense(c->split, "image", BLO_DTYPE_F32, img, 3, img_shape, g_free, &err));
    cr_assert(blo_split_add_dense(c->split, "label_map", BLO_DTYPE_I32, lab, 2, map_shape, g_free, &err));
    cr_assert(blo_split_add_dense(c->split, "mask", BLO_DTYPE_U8, mask, 2, map_shape, g_free, &err));
    cr_assert(blo_split_add_dense(c->split, "label", BLO_DTYPE_I32, item, 0, NULL, g_free, &err));
}

static const char *const all_fields[] = { "image", "label_map", "mask", "label", NULL };

static blo_batches *new_batches(const coded *c, int64_t batch_size, const blo_augment *aug)
{
    GError *err = NULL;
    blo_batches *b = blo_batches_new(c->split, all_fields, batch_size, aug, &err);
    cr_assert_not_null(b, "blo_batches_new: %s", err ? err->message : "?");
    return b;
}

static blo_batch next(blo_batches *b, blo_rng *rng)
{
    blo_batch out;
    GError *err = NULL;
    cr_assert(blo_batches_next(b, rng, &out, &err), "blo_batches_next: %s", err ? err->message : "?");
    return out;
}

typedef struct seen {
    int transposed, hflipped, vflipped, fg_missed;
} seen;

/* Checks item k of batch out: every field agrees with the image's codes,
 * they belong to the item, the source pixels form a crop of side ch moved
 * rigidly, and notes which of the flips and transposes it saw. */
static void check_item(const coded *c, const blo_batch *out, int64_t k, int64_t ch, seen *s)
{
    const blo_batch_field *img = blo_batch_find(out, "image"), *lab = blo_batch_find(out, "label_map"),
                          *mask = blo_batch_find(out, "mask"), *item = blo_batch_find(out, "label");
    cr_assert(img && lab && mask && item);
    cr_assert_eq(img->shape[2], ch);
    cr_assert_eq(img->shape[3], ch);
    cr_assert_eq(lab->shape[1], ch);
    int64_t hw = ch * ch, src = blo_batch_item(out, k);
    cr_assert_eq(((const int32_t *)item->data)[k], src, "the label of batch item %ld is not its item", (long)k);
    const float *x = (const float *)img->data + k * 2 * hw;
    const int32_t *y = (const int32_t *)lab->data + k * hw;
    const uint8_t *m = (const uint8_t *)mask->data + k * hw;
    gboolean fg = FALSE;
    for (int64_t p = 0; p < hw; p++) {
        cr_assert_eq((int32_t)x[p], y[p], "image and label_map disagree at pixel %ld of item %ld", (long)p, (long)src);
        cr_assert_eq((int32_t)-x[hw + p], y[p], "the image's channels disagree at pixel %ld", (long)p);
        cr_assert_eq(y[p] / (SIDE * SIDE), src, "pixel %ld comes from another item", (long)p);
        int32_t si = y[p] / SIDE % SIDE, sj = y[p] % SIDE;
        gboolean want = si == c->fg_row[src % N_ITEMS] && sj == c->fg_col[src % N_ITEMS];
        cr_assert_eq(m[p], want, "the mask moved apart from the label map at pixel %ld", (long)p);
        fg = fg || m[p];
    }
    /* A rigid map: steps along an output row move one source pixel in one
     * axis, steps down a column one pixel in the other axis. */
    int32_t o = y[0], right = y[1], down = y[ch];
    int32_t dr_i = right / SIDE % SIDE - o / SIDE % SIDE, dr_j = right % SIDE - o % SIDE;
    int32_t dd_i = down / SIDE % SIDE - o / SIDE % SIDE, dd_j = down % SIDE - o % SIDE;
    cr_assert_eq(abs(dr_i) + abs(dr_j), 1);
    cr_assert_eq(abs(dd_i) + abs(dd_j), 1);
    cr_assert_eq(abs(dr_i), abs(dd_j), "rows and columns are not swapped together");
    for (int64_t i = 0; i < ch; i++)
        for (int64_t j = 0; j < ch; j++) {
            int32_t v = y[i * ch + j];
            cr_assert_eq(v / SIDE % SIDE, o / SIDE % SIDE + (int32_t)i * dd_i + (int32_t)j * dr_i);
            cr_assert_eq(v % SIDE, o % SIDE + (int32_t)i * dd_j + (int32_t)j * dr_j);
        }
    gboolean transposed = dr_i != 0;
    s->transposed += transposed;
    /* Transposed, output rows walk the source's columns and output columns its rows. */
    s->hflipped += transposed ? dd_j < 0 : dr_j < 0;
    s->vflipped += transposed ? dr_i < 0 : dd_i < 0;
    s->fg_missed += !fg;
}

static void check_epochs(const coded *c, const blo_augment *aug, int64_t epochs, seen *s)
{
    blo_batches *b = new_batches(c, 4, aug);
    blo_rng rng;
    blo_rng_seed(&rng, 7);
    int64_t ch = aug->crop_h ? aug->crop_h : SIDE;
    for (int64_t e = 0; e < epochs; e++) {
        blo_batch out;
        do {
            out = next(b, &rng);
            for (int64_t k = 0; k < out.n; k++)
                check_item(c, &out, k, ch, s);
        } while (!out.last_of_epoch);
    }
    blo_batches_free(b);
}

Test(seg_batches, augmentation_keeps_fields_aligned)
{
    coded c;
    coded_init(&c, N_ITEMS);
    blo_augment aug = { .crop_h = 6, .crop_w = 6, .hflip = TRUE, .vflip = TRUE, .transpose = TRUE };
    seen s = { 0 };
    check_epochs(&c, &aug, 20, &s);
    /* 200 items: each coin must have come up both ways. */
    cr_assert(s.transposed > 50 && s.transposed < 150, "transposed %d of 200", s.transposed);
    cr_assert(s.hflipped > 50 && s.hflipped < 150, "hflipped %d of 200", s.hflipped);
    cr_assert(s.vflipped > 50 && s.vflipped < 150, "vflipped %d of 200", s.vflipped);
    /* Without foreground crops, a 6x6 crop misses the corner pixel most times. */
    cr_assert_gt(s.fg_missed, 100, "only %d of 200 plain crops missed the foreground", s.fg_missed);
    blo_split_free(c.split);
}

Test(seg_batches, foreground_crops_hold_foreground)
{
    coded c;
    coded_init(&c, N_ITEMS);
    blo_augment aug = { .crop_h = 6, .crop_w = 6, .hflip = TRUE, .transpose = TRUE,
                        .crop_foreground_p = 1.0, .foreground_field = "mask" };
    seen s = { 0 };
    check_epochs(&c, &aug, 20, &s);
    cr_assert_eq(s.fg_missed, 0, "%d of 200 foreground crops hold no foreground", s.fg_missed);
    blo_split_free(c.split);
}

Test(seg_batches, unknown_foreground_field_is_named)
{
    coded c;
    coded_init(&c, N_ITEMS);
    blo_augment aug = { .crop_h = 6, .crop_w = 6, .crop_foreground_p = 0.5, .foreground_field = "masks" };
    GError *err = NULL;
    cr_assert_null(blo_batches_new(c.split, all_fields, 4, &aug, &err));
    cr_assert(err && strstr(err->message, "'masks'"), "%s", err ? err->message : "no error");
    g_error_free(err);
    blo_split_free(c.split);
}

/* Items and gathered values of a batch, to compare two streams. */
static void assert_same_batch(const blo_batch *a, const blo_batch *b)
{
    cr_assert_eq(a->n, b->n);
    cr_assert_eq(a->epoch, b->epoch);
    cr_assert_eq(a->index, b->index);
    for (int64_t k = 0; k < a->n; k++)
        cr_assert_eq(blo_batch_item(a, k), blo_batch_item(b, k), "batch item %ld differs", (long)k);
    const blo_batch_field *fa = blo_batch_find(a, "label_map"), *fb = blo_batch_find(b, "label_map");
    cr_assert_eq(memcmp(fa->data, fb->data, (size_t)(a->n * fa->shape[1] * fa->shape[2]) * sizeof(int32_t)), 0,
                 "the augmented label maps differ");
}

static const blo_augment full_aug = { .crop_h = 8, .crop_w = 8, .hflip = TRUE, .vflip = TRUE, .transpose = TRUE,
                                      .crop_foreground_p = 0.5, .foreground_field = "mask" };

Test(seg_batches, order_is_reproducible_for_a_seed)
{
    coded c;
    coded_init(&c, N_ITEMS);
    blo_batches *b1 = new_batches(&c, 3, &full_aug), *b2 = new_batches(&c, 3, &full_aug);
    blo_batches *b3 = new_batches(&c, 3, &full_aug);
    blo_rng r1, r2, r3;
    blo_rng_seed(&r1, 11);
    blo_rng_seed(&r2, 11);
    blo_rng_seed(&r3, 12);
    int differ = 0;
    for (int t = 0; t < 3 * (int)blo_batches_per_epoch(b1); t++) {
        blo_batch a = next(b1, &r1), b = next(b2, &r2), o = next(b3, &r3);
        assert_same_batch(&a, &b);
        for (int64_t k = 0; k < a.n; k++)
            differ += blo_batch_item(&a, k) != blo_batch_item(&o, k);
    }
    cr_assert_gt(differ, 0, "another seed gave the same order");
    blo_batches_free(b1);
    blo_batches_free(b2);
    blo_batches_free(b3);
    blo_split_free(c.split);
}

/* Saved after `before` batches (with the rng, as the run saves it), a new
 * batches object resumes to the batch the first one draws next. */
static void check_resume(int before)
{
    coded c;
    coded_init(&c, N_ITEMS);
    blo_batches *b1 = new_batches(&c, 3, &full_aug);
    blo_rng r1;
    blo_rng_seed(&r1, 5);
    for (int t = 0; t < before; t++)
        next(b1, &r1);
    blo_state *st = blo_state_new();
    blo_batches_save(b1, st, "train.");
    blo_rng r2 = r1;
    GBytes *bytes = blo_state_serialize(st);
    blo_state_free(st);
    GError *err = NULL;
    gsize len;
    const void *data = g_bytes_get_data(bytes, &len);
    blo_state *back = blo_state_deserialize(data, len, "test", &err);
    cr_assert_not_null(back, "%s", err ? err->message : "?");
    blo_batches *b2 = new_batches(&c, 3, &full_aug);
    cr_assert(blo_batches_load(b2, back, "train.", &err), "blo_batches_load: %s", err ? err->message : "?");
    cr_assert_eq(blo_batches_epoch(b2), blo_batches_epoch(b1));
    for (int t = 0; t < 2 * (int)blo_batches_per_epoch(b1); t++) {
        blo_batch a = next(b1, &r1), b = next(b2, &r2);
        assert_same_batch(&a, &b);
    }
    blo_state_free(back);
    g_bytes_unref(bytes);
    blo_batches_free(b1);
    blo_batches_free(b2);
    blo_split_free(c.split);
}

Test(seg_batches, resume_mid_epoch)
{
    check_resume(5);   /* 4 batches an epoch: the second batch of epoch 1 */
}

Test(seg_batches, resume_at_epoch_start)
{
    check_resume(4);
}

Test(seg_batches, resume_rejects_another_split_size)
{
    coded c, d;
    coded_init(&c, N_ITEMS);
    coded_init(&d, N_ITEMS - 1);
    blo_batches *b1 = new_batches(&c, 3, NULL), *b2 = new_batches(&d, 3, NULL);
    blo_rng r;
    blo_rng_seed(&r, 1);
    next(b1, &r);
    blo_state *st = blo_state_new();
    blo_batches_save(b1, st, "");
    GError *err = NULL;
    cr_assert_not(blo_batches_load(b2, st, "", &err));
    cr_assert_not_null(err);
    g_error_free(err);
    blo_state_free(st);
    blo_batches_free(b1);
    blo_batches_free(b2);
    blo_split_free(c.split);
    blo_split_free(d.split);
}

/* Two ranks with the same seed: each epoch, their items together are the
 * split's items, each exactly once. */
static void check_shards(int64_t n, const blo_augment *aug, int epochs)
{
    coded c;
    coded_init(&c, n);
    blo_batches *rank[2];
    blo_rng rng[2];
    GError *err = NULL;
    for (int r = 0; r < 2; r++) {
        rank[r] = new_batches(&c, 2, aug);
        cr_assert(blo_batches_set_shard(rank[r], r, 2, &err), "%s", err ? err->message : "?");
        blo_rng_seed(&rng[r], 3);
    }
    for (int e = 0; e < epochs; e++) {
        int *count = g_new0(int, n);
        for (int r = 0; r < 2; r++) {
            blo_batch out;
            int64_t got = 0;
            do {
                out = next(rank[r], &rng[r]);
                cr_assert_eq(out.epoch, e);
                for (int64_t k = 0; k < out.n; k++)
                    count[blo_batch_item(&out, k)]++;
                got += out.n;
            } while (!out.last_of_epoch);
            cr_assert_eq(got, (n - r + 1) / 2, "rank %d had %ld items in epoch %d", r, (long)got, e);
        }
        for (int64_t i = 0; i < n; i++)
            cr_assert_eq(count[i], 1, "epoch %d: item %ld seen %d times over the two ranks", e, (long)i, count[i]);
        g_free(count);
    }
    for (int r = 0; r < 2; r++)
        blo_batches_free(rank[r]);
    blo_split_free(c.split);
}

Test(seg_batches, shards_cover_each_epoch_once)
{
    check_shards(N_ITEMS, NULL, 4);
    check_shards(N_ITEMS + 1, NULL, 4);
}

Test(seg_batches, augmented_shards_cover_each_epoch_once)
{
    check_shards(N_ITEMS, &full_aug, 4);
    check_shards(N_ITEMS + 1, &full_aug, 4);
}

Test(seg_batches, bad_shard_is_refused)
{
    coded c;
    coded_init(&c, N_ITEMS);
    blo_batches *b = new_batches(&c, 2, NULL);
    GError *err = NULL;
    cr_assert_not(blo_batches_set_shard(b, 2, 2, &err));
    cr_assert(err && strstr(err->message, "shard 2 of 2"), "%s", err ? err->message : "no error");
    g_error_free(err);
    blo_batches_free(b);
    blo_split_free(c.split);
}
