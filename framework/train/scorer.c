/* Scoring a learner's outputs against a field: accuracy, mean IoU, binary IoU. */
#include <blo/blo.h>

#include <math.h>
#include <string.h>

struct blo_scorer {
    blo_score_kind kind;
    char *target;
    int64_t k;               /* classes (MIOU: 0 until the first output) */
    int32_t ignore_index;
    int64_t *cm;             /* MIOU: k x k; IOU: 2 x 2 */
    int64_t correct, total;  /* ACCURACY */
    int32_t *pred;
    int64_t pred_cap;
};

gboolean blo_score_kind_from_name(const char *name, blo_score_kind *out)
{
    static const char *const names[] = { "accuracy", "miou", "iou" };
    for (int i = 0; i < 3; i++)
        if (g_strcmp0(name, names[i]) == 0) {
            *out = (blo_score_kind)i;
            return TRUE;
        }
    return FALSE;
}

void blo_confusion_add(int64_t *cm, int64_t k, const int32_t *pred, const int32_t *truth, int64_t n,
                       int32_t ignore_index)
{
    for (int64_t i = 0; i < n; i++) {
        int32_t t = truth[i], p = pred[i];
        if (t != ignore_index && t >= 0 && t < k && p >= 0 && p < k)
            cm[t * k + p]++;
    }
}

double blo_confusion_miou(const int64_t *cm, int64_t k)
{
    double sum = 0;
    int64_t classes = 0;
    for (int64_t c = 0; c < k; c++) {
        int64_t tp = cm[c * k + c], row = 0, col = 0;
        for (int64_t j = 0; j < k; j++) {
            row += cm[c * k + j];
            col += cm[j * k + c];
        }
        int64_t uni = row + col - tp;
        if (uni > 0) {
            sum += (double)tp / (double)uni;
            classes++;
        }
    }
    return classes ? sum / (double)classes : NAN;
}

void blo_argmax_channels(const float *map, int64_t B, int64_t c, int64_t hw, int32_t *pred)
{
    for (int64_t b = 0; b < B; b++)
        for (int64_t p = 0; p < hw; p++) {
            const float *v = map + b * c * hw + p;
            int32_t best = 0;
            for (int64_t k = 1; k < c; k++)
                if (v[k * hw] > v[best * hw])
                    best = (int32_t)k;
            pred[b * hw + p] = best;
        }
}

blo_scorer *blo_scorer_new(blo_score_kind kind, const blo_split *s, const char *target, GError **error)
{
    const blo_field *f = blo_split_find(s, target);
    if (!f) {
        blo_split_field(s, target, BLO_DTYPE_I32, error);   /* the error naming the fields it has */
        return NULL;
    }
    gboolean mask_ok = kind == BLO_SCORE_IOU && f->dtype == BLO_DTYPE_U8;
    if (f->dtype != BLO_DTYPE_I32 && !mask_ok) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "field '%s' of split '%s' is %s, expected i32%s",
                    target, blo_split_name(s), blo_dtype_name(f->dtype), kind == BLO_SCORE_IOU ? " or u8" : "");
        return NULL;
    }
    blo_scorer *sc = g_new0(blo_scorer, 1);
    sc->kind = kind;
    sc->target = g_strdup(target);
    sc->k = kind == BLO_SCORE_IOU ? 2 : f->n_classes;
    sc->ignore_index = kind == BLO_SCORE_IOU ? -1 : f->ignore_index;
    if (sc->k > 0 && kind != BLO_SCORE_ACCURACY)
        sc->cm = g_new0(int64_t, sc->k * sc->k);
    return sc;
}

void blo_scorer_free(blo_scorer *sc)
{
    if (!sc)
        return;
    g_free(sc->target);
    g_free(sc->cm);
    g_free(sc->pred);
    g_free(sc);
}

const char *blo_scorer_target(const blo_scorer *sc) { return sc->target; }

static int32_t *pred_buffer(blo_scorer *sc, int64_t n)
{
    if (n > sc->pred_cap) {
        g_free(sc->pred);
        sc->pred = g_new(int32_t, n);
        sc->pred_cap = n;
    }
    return sc->pred;
}

/* Dense map [B, C, H, W] against a per-pixel field [B, H, W]. */
static gboolean add_dense(blo_scorer *sc, const blo_tensor *out, const blo_batch_field *tf, GError **error)
{
    int64_t B = out->shape[0], C = out->ndim == 4 ? out->shape[1] : 0, hw = C ? out->numel / (B * C) : 0;
    if (!C || tf->shape[0] != B || tf->ndim < 2) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "scoring '%s' needs a dense map [B, C, H, W] "
                    "and a per-pixel field", sc->target);
        return FALSE;
    }
    int64_t per_item = 1;
    for (int d = 1; d < tf->ndim; d++)
        per_item *= tf->shape[d];
    if (per_item != hw) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "the output has %" G_GINT64_FORMAT " pixels per item, "
                    "field '%s' %" G_GINT64_FORMAT, hw, sc->target, per_item);
        return FALSE;
    }
    int32_t *pred = pred_buffer(sc, B * hw);
    if (sc->kind == BLO_SCORE_IOU) {
        if (C != 1) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "binary IoU needs a 1-channel logit map, "
                        "the output has %" G_GINT64_FORMAT " channels", C);
            return FALSE;
        }
        for (int64_t i = 0; i < B * hw; i++) {
            int64_t t = tf->dtype == BLO_DTYPE_U8 ? ((const uint8_t *)tf->data)[i] : ((const int32_t *)tf->data)[i];
            pred[i] = out->data[i] > 0;
            if (t == 0 || t == 1)
                sc->cm[t * 2 + pred[i]]++;
        }
        return TRUE;
    }
    if (!sc->cm) {
        sc->k = C;
        sc->cm = g_new0(int64_t, C * C);
    }
    if (C != sc->k) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "the output has %" G_GINT64_FORMAT " channels, field '%s' "
                    "%" G_GINT64_FORMAT " classes", C, sc->target, sc->k);
        return FALSE;
    }
    blo_argmax_channels(out->data, B, C, hw, pred);
    blo_confusion_add(sc->cm, sc->k, pred, tf->data, B * hw, sc->ignore_index);
    return TRUE;
}

gboolean blo_scorer_add(blo_scorer *sc, const blo_tensor *output, const blo_batch *b, GError **error)
{
    const blo_batch_field *tf = blo_batch_find(b, sc->target);
    if (!tf) {
        blo_batch_field_get(b, sc->target, BLO_DTYPE_I32, error);
        return FALSE;
    }
    if (sc->kind != BLO_SCORE_ACCURACY)
        return add_dense(sc, output, tf, error);
    if (output->ndim != 2 || output->shape[0] != b->n || tf->ndim != 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "accuracy needs class logits [B, K] and a class field [B] "
                    "('%s')", sc->target);
        return FALSE;
    }
    sc->correct += blo_count_correct(output->data, b->n, output->shape[1], tf->data);
    sc->total += b->n;
    return TRUE;
}

double blo_scorer_value(const blo_scorer *sc)
{
    switch (sc->kind) {
    case BLO_SCORE_ACCURACY:
        return sc->total ? (double)sc->correct / (double)sc->total : NAN;
    case BLO_SCORE_MIOU:
        return sc->cm ? blo_confusion_miou(sc->cm, sc->k) : NAN;
    case BLO_SCORE_IOU: {
        int64_t tp = sc->cm[3], uni = sc->cm[1] + sc->cm[2] + sc->cm[3];
        return uni ? (double)tp / (double)uni : NAN;
    }
    }
    return NAN;
}
