/* framework (private to framework/data): paired spatial augmentation of one
 * item, the same draw for every image-like field. */
#ifndef BLO_FRAMEWORK_DATA_AUGMENT_H
#define BLO_FRAMEWORK_DATA_AUGMENT_H

#include <blo/blo.h>

/* One item's draw: crop origin and the three coin flips. */
typedef struct aug_draw {
    int64_t top, left;
    gboolean hflip, vflip, transpose;
} aug_draw;

/* Draws for an item of spatial size h x w (crop_h/crop_w 0: the full size).
 * fg: the item's foreground field (int32 or byte or float, [fh, fw] per
 * channel-less plane, may be NULL) for crop_foreground_p. */
void aug_draw_item(const blo_augment *a, int64_t h, int64_t w, const blo_field *fg, int64_t item,
                   blo_rng *rng, aug_draw *out);
/* Copies one item's field [planes, h, w] (elem bytes each) into out
 * [planes, oh, ow] applying the draw; oh x ow is the crop size (transposed
 * when d->transpose). */
void aug_apply(const aug_draw *d, const void *src, int64_t planes, int64_t h, int64_t w, size_t elem,
               int64_t ch, int64_t cw, void *out);

#endif
