/* Paired augmentation: random crop (optionally holding foreground), flips
 * and transposes, drawn once per item and applied to each of its fields. */
#include "augment.h"

#include <string.h>

#define FOREGROUND_TRIES 50

static gboolean is_foreground(const blo_field *fg, int64_t at)
{
    return fg->dtype == BLO_DTYPE_I32 ? ((const int32_t *)fg->data)[at] > 0
         : fg->dtype == BLO_DTYPE_U8  ? ((const uint8_t *)fg->data)[at] > 0
                                      : ((const float *)fg->data)[at] > 0.0f;
}

static gboolean crop_has_foreground(const blo_field *fg, int64_t item, int64_t h, int64_t w, int64_t top,
                                    int64_t left, int64_t ch, int64_t cw)
{
    int64_t plane = h * w, planes = blo_field_item_numel(fg) / plane;
    for (int64_t p = 0; p < planes; p++)
        for (int64_t i = top; i < top + ch; i++)
            for (int64_t j = left; j < left + cw; j++) {
                if (is_foreground(fg, item * planes * plane + p * plane + i * w + j))
                    return TRUE;
            }
    return FALSE;
}

/* When the redraws found no foreground: a crop around a foreground pixel
 * drawn uniformly (FALSE when the item has none). */
static gboolean crop_around_foreground(const blo_field *fg, int64_t item, int64_t h, int64_t w, int64_t ch,
                                       int64_t cw, blo_rng *rng, aug_draw *out)
{
    int64_t plane = h * w, planes = blo_field_item_numel(fg) / plane, base = item * planes * plane, count = 0;
    for (int64_t k = 0; k < planes * plane; k++)
        count += is_foreground(fg, base + k);
    if (count == 0)
        return FALSE;
    int64_t pick = (int64_t)blo_rng_below(rng, (uint64_t)count), k = 0;
    for (;; k++)
        if (is_foreground(fg, base + k) && pick-- == 0)
            break;
    int64_t i = k % plane / w, j = k % w;
    int64_t top_lo = MAX(0, i - ch + 1), top_hi = MIN(i, h - ch);
    int64_t left_lo = MAX(0, j - cw + 1), left_hi = MIN(j, w - cw);
    out->top = top_lo + (int64_t)blo_rng_below(rng, (uint64_t)(top_hi - top_lo + 1));
    out->left = left_lo + (int64_t)blo_rng_below(rng, (uint64_t)(left_hi - left_lo + 1));
    return TRUE;
}

void aug_draw_item(const blo_augment *a, int64_t h, int64_t w, const blo_field *fg, int64_t item,
                   blo_rng *rng, aug_draw *out)
{
    *out = (aug_draw){ 0 };
    int64_t ch = a->crop_h > 0 ? a->crop_h : h, cw = a->crop_w > 0 ? a->crop_w : w;
    if (ch < h || cw < w) {
        gboolean want_fg = fg && a->crop_foreground_p > 0 && blo_rng_uniform(rng) < a->crop_foreground_p;
        gboolean found = FALSE;
        for (int t = 0; t < (want_fg ? FOREGROUND_TRIES : 1) && !found; t++) {
            out->top = (int64_t)blo_rng_below(rng, (uint64_t)(h - ch + 1));
            out->left = (int64_t)blo_rng_below(rng, (uint64_t)(w - cw + 1));
            found = !want_fg || crop_has_foreground(fg, item, h, w, out->top, out->left, ch, cw);
        }
        /* Small foreground can escape every redraw; keep the promise anyway. */
        if (!found)
            crop_around_foreground(fg, item, h, w, ch, cw, rng, out);
    }
    if (a->hflip)
        out->hflip = blo_rng_below(rng, 2) == 1;
    if (a->vflip)
        out->vflip = blo_rng_below(rng, 2) == 1;
    if (a->transpose)
        out->transpose = blo_rng_below(rng, 2) == 1;
}

void aug_apply(const aug_draw *d, const void *src, int64_t planes, int64_t h, int64_t w, size_t elem,
               int64_t ch, int64_t cw, void *out)
{
    const char *s = src;
    char *o = out;
    /* out is [planes, oh, ow]; (oh, ow) = (cw, ch) when transposed */
    int64_t oh = d->transpose ? cw : ch, ow = d->transpose ? ch : cw;
    for (int64_t p = 0; p < planes; p++) {
        const char *plane = s + (size_t)(p * h * w) * elem;
        for (int64_t i = 0; i < oh; i++)
            for (int64_t j = 0; j < ow; j++) {
                int64_t a = d->transpose ? j : i, b = d->transpose ? i : j;   /* crop coordinates */
                if (d->vflip)
                    a = ch - 1 - a;
                if (d->hflip)
                    b = cw - 1 - b;
                memcpy(o + (size_t)((p * oh + i) * ow + j) * elem,
                       plane + (size_t)((d->top + a) * w + d->left + b) * elem, elem);
            }
    }
}
