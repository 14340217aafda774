/* Minibatches of named dense fields of a split: seeded shuffle per epoch,
 * paired augmentation, shards, checkpointable position. */
#include "augment.h"

#include <string.h>

typedef struct gathered {
    const blo_field *src;
    gboolean spatial;            /* item has >= 2 dims: the last two are H, W */
    int64_t item_numel;          /* source floats (ints, bytes) per item */
    int64_t out_numel;           /* after the crop */
    size_t elem;
    void *buf;                   /* [max_items, ...] */
} gathered;

struct blo_batches {
    const blo_split *split;
    int64_t batch_size, per_epoch, n_mine, max_items;
    int rank, world;
    gboolean shuffle;
    blo_augment aug;
    gboolean augmenting;
    const blo_field *fg;
    int64_t h, w, ch, cw;        /* spatial size of the image-like fields and of the crop */
    int n_fields;
    gathered *g;
    blo_batch_field *bf;
    int64_t *order;              /* this epoch's item order (the whole split) */
    int64_t *items;              /* the current batch's items */
    int64_t epoch, batch;        /* the next minibatch */
    /* Sharded (world > 1): the epoch orders come from this copy of the rng as
     * the first batch found it, forked per epoch, so that ranks which draw
     * different amounts in between (augmentation, their own items) still
     * agree on every epoch's order. */
    blo_rng shard_rng;
    gboolean have_shard_rng;
};

static size_t elem_size(blo_dtype t)
{
    return t == BLO_DTYPE_U8 ? 1 : 4;
}

static gboolean add_field(blo_batches *b, const blo_field *f, GError **error)
{
    for (int i = 0; i < b->n_fields; i++)
        if (b->g[i].src == f)
            return TRUE;   /* asked twice */
    if (!blo_dtype_is_dense(f->dtype)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "field '%s' of split '%s' is %s; minibatches gather "
                    "dense fields only (read it through the batch's item indices)", f->name,
                    blo_split_name(b->split), blo_dtype_name(f->dtype));
        return FALSE;
    }
    gathered *g = &b->g[b->n_fields++];
    g->src = f;
    g->spatial = f->ndim >= 3;
    g->item_numel = blo_field_item_numel(f);
    g->elem = elem_size(f->dtype);
    return TRUE;
}

/* Spatial sizes agree and the crop fits. */
static gboolean check_augment(blo_batches *b, GError **error)
{
    const blo_augment *a = &b->aug;
    b->augmenting = a->crop_h > 0 || a->crop_w > 0 || a->hflip || a->vflip || a->transpose;
    const char *who = blo_split_name(b->split);
    for (int i = 0; i < b->n_fields; i++) {
        const blo_field *f = b->g[i].src;
        if (!b->g[i].spatial)
            continue;
        int64_t h = f->shape[f->ndim - 2], w = f->shape[f->ndim - 1];
        if (b->h == 0) {
            b->h = h;
            b->w = w;
        } else if (b->augmenting && (h != b->h || w != b->w)) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "split '%s': paired augmentation needs one image size, "
                        "but field '%s' is %" G_GINT64_FORMAT "x%" G_GINT64_FORMAT " and another %" G_GINT64_FORMAT
                        "x%" G_GINT64_FORMAT, who, f->name, h, w, b->h, b->w);
            return FALSE;
        }
    }
    b->ch = a->crop_h > 0 ? a->crop_h : b->h;
    b->cw = a->crop_w > 0 ? a->crop_w : b->w;
    if (!b->augmenting)
        return TRUE;
    if (b->h == 0) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "split '%s': augmentation needs image fields "
                    "([C,H,W] or [H,W] items); the batched fields are flat", who);
        return FALSE;
    }
    if (b->ch > b->h || b->cw > b->w || b->ch < 1 || b->cw < 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "split '%s': crop %" G_GINT64_FORMAT "x%" G_GINT64_FORMAT
                    " does not fit its %" G_GINT64_FORMAT "x%" G_GINT64_FORMAT " images", who, b->ch, b->cw, b->h, b->w);
        return FALSE;
    }
    if (a->transpose && b->ch != b->cw) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE, "split '%s': transposes need square images or a square crop",
                    who);
        return FALSE;
    }
    if (a->foreground_field && *a->foreground_field && a->crop_foreground_p > 0) {
        b->fg = blo_split_find(b->split, a->foreground_field);
        if (!b->fg || !blo_dtype_is_dense(b->fg->dtype) || b->fg->ndim < 3 ||
            b->fg->shape[b->fg->ndim - 2] != b->h || b->fg->shape[b->fg->ndim - 1] != b->w) {
            g_autofree char *fields = blo_split_describe(b->split);
            g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "split '%s': foreground field '%s' must be a dense "
                        "map of the images' size; its fields: %s", who, a->foreground_field, fields);
            return FALSE;
        }
    }
    return TRUE;
}

blo_batches *blo_batches_new(const blo_split *s, const char *const *fields, int64_t batch_size,
                             const blo_augment *aug, GError **error)
{
    if (!s || batch_size < 1 || blo_split_len(s) < 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "minibatches need a split with items and a batch size "
                    ">= 1 (split '%s', %" G_GINT64_FORMAT " items, batch size %" G_GINT64_FORMAT ")",
                    s ? blo_split_name(s) : "?", s ? blo_split_len(s) : 0, batch_size);
        return NULL;
    }
    blo_batches *b = g_new0(blo_batches, 1);
    b->split = s;
    b->batch_size = batch_size;
    b->shuffle = TRUE;
    b->world = 1;
    if (aug)
        b->aug = *aug;
    int nf = blo_split_n_fields(s);
    b->g = g_new0(gathered, MAX(nf, 1));
    gboolean ok = TRUE;
    if (fields) {
        for (int i = 0; ok && fields[i]; i++) {
            const blo_field *f = blo_split_find(s, fields[i]);
            if (!f) {
                g_autofree char *all = blo_split_describe(s);
                g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "split '%s' of %s has no field '%s'; its "
                            "fields: %s", blo_split_name(s), blo_split_owner(s), fields[i], all);
                ok = FALSE;
            } else {
                ok = add_field(b, f, error);
            }
        }
    } else {
        for (int i = 0; i < nf; i++)
            if (blo_dtype_is_dense(blo_split_field_at(s, i)->dtype))
                add_field(b, blo_split_field_at(s, i), NULL);
    }
    if (!ok || !check_augment(b, error)) {
        blo_batches_free(b);
        return NULL;
    }
    b->n_mine = blo_split_len(s);
    b->per_epoch = (b->n_mine + batch_size - 1) / batch_size;
    b->max_items = MIN(batch_size, b->n_mine);
    b->order = g_new(int64_t, blo_split_len(s));
    b->items = g_new(int64_t, b->max_items);
    b->bf = g_new0(blo_batch_field, MAX(b->n_fields, 1));
    for (int i = 0; i < b->n_fields; i++) {
        gathered *g = &b->g[i];
        g->out_numel = g->spatial ? g->item_numel / (b->h * b->w) * b->ch * b->cw : g->item_numel;
        g->buf = g_malloc((size_t)(b->max_items * g->out_numel) * g->elem);
    }
    return b;
}

void blo_batches_free(blo_batches *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->n_fields; i++)
        g_free(b->g[i].buf);
    g_free(b->g);
    g_free(b->bf);
    g_free(b->order);
    g_free(b->items);
    g_free(b);
}

void blo_batches_set_shuffle(blo_batches *b, gboolean shuffle)
{
    b->shuffle = shuffle;
}

gboolean blo_batches_set_shard(blo_batches *b, int rank, int world, GError **error)
{
    int64_t n = blo_split_len(b->split);
    if (world < 1 || rank < 0 || rank >= world || n < world) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "shard %d of %d is not possible over the %" G_GINT64_FORMAT
                    " items of split '%s'", rank, world, n, blo_split_name(b->split));
        return FALSE;
    }
    b->rank = rank;
    b->world = world;
    b->n_mine = (n - rank + world - 1) / world;
    b->per_epoch = (b->n_mine + b->batch_size - 1) / b->batch_size;
    return TRUE;
}

/* Fills out with items[0..n) gathered (augmented when aug_rng is non-NULL). */
static void gather(blo_batches *b, int64_t n, blo_rng *aug_rng, blo_batch *out)
{
    for (int k = 0; k < b->n_fields; k++) {
        gathered *g = &b->g[k];
        const char *src = g->src->data;
        char *dst = g->buf;
        for (int64_t i = 0; i < n; i++) {
            if (!aug_rng || !g->spatial)
                memcpy(dst + (size_t)(i * g->out_numel) * g->elem, src + (size_t)(b->items[i] * g->item_numel) * g->elem,
                       (size_t)g->item_numel * g->elem);
        }
    }
    if (aug_rng) {
        for (int64_t i = 0; i < n; i++) {
            aug_draw d;
            aug_draw_item(&b->aug, b->h, b->w, b->fg, b->items[i], aug_rng, &d);
            for (int k = 0; k < b->n_fields; k++) {
                gathered *g = &b->g[k];
                if (!g->spatial)
                    continue;
                int64_t planes = g->item_numel / (b->h * b->w);
                aug_apply(&d, (const char *)g->src->data + (size_t)(b->items[i] * g->item_numel) * g->elem, planes,
                          b->h, b->w, g->elem, b->ch, b->cw, (char *)g->buf + (size_t)(i * g->out_numel) * g->elem);
            }
        }
    }
    for (int k = 0; k < b->n_fields; k++) {
        gathered *g = &b->g[k];
        blo_batch_field *f = &b->bf[k];
        *f = (blo_batch_field){ .name = g->src->name, .dtype = g->src->dtype, .ndim = g->src->ndim,
                                .data = g->buf, .clean = g->buf, .source = g->src };
        memcpy(f->shape, g->src->shape, sizeof f->shape);
        f->shape[0] = n;
        if (g->spatial) {
            f->shape[f->ndim - 2] = b->ch;
            f->shape[f->ndim - 1] = b->cw;
        }
    }
    *out = (blo_batch){ .n = n, .n_fields = b->n_fields, .fields = b->bf, .items = b->items, .split = b->split };
}

gboolean blo_batches_next(blo_batches *b, blo_rng *rng, blo_batch *out, GError **error)
{
    int64_t n_all = blo_split_len(b->split);
    if (b->batch == 0) {
        for (int64_t i = 0; i < n_all; i++)
            b->order[i] = i;
        if (b->shuffle && b->world > 1) {
            if (!b->have_shard_rng) {
                b->shard_rng = *rng;
                b->have_shard_rng = TRUE;
            }
            blo_rng epoch_rng = blo_rng_fork(&b->shard_rng, (uint64_t)b->epoch);
            blo_rng_shuffle(&epoch_rng, b->order, (size_t)n_all);
        } else if (b->shuffle) {
            blo_rng_shuffle(rng, b->order, (size_t)n_all);
        }
    }
    int64_t first = b->batch * b->batch_size, n = MIN(b->batch_size, b->n_mine - first);
    for (int64_t i = 0; i < n; i++)
        b->items[i] = b->order[(first + i) * b->world + b->rank];
    gather(b, n, b->augmenting ? rng : NULL, out);
    out->epoch = b->epoch;
    out->index = b->batch;
    out->last_of_epoch = ++b->batch == b->per_epoch;
    if (out->last_of_epoch) {
        b->batch = 0;
        b->epoch++;
    }
    return TRUE;
}

/* Evaluation batches are neither cropped nor flipped. */
static gboolean check_plain(const blo_batches *b, GError **error)
{
    if (b->augmenting && (b->ch != b->h || b->cw != b->w)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "split '%s': batches of chosen items are not cropped; "
                    "use a batches object without a crop", blo_split_name(b->split));
        return FALSE;
    }
    return TRUE;
}

gboolean blo_batches_gather(blo_batches *b, const int64_t *items, int64_t n, blo_batch *out, GError **error)
{
    int64_t n_all = blo_split_len(b->split);
    if (n < 1 || n > b->max_items) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "a batch of %" G_GINT64_FORMAT " items of split '%s' "
                    "(batches hold 1..%" G_GINT64_FORMAT ")", n, blo_split_name(b->split), b->max_items);
        return FALSE;
    }
    if (!check_plain(b, error))
        return FALSE;
    for (int64_t i = 0; i < n; i++) {
        if (items[i] < 0 || items[i] >= n_all) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "item %" G_GINT64_FORMAT " is outside split '%s' "
                        "(%" G_GINT64_FORMAT " items)", items[i], blo_split_name(b->split), n_all);
            return FALSE;
        }
        b->items[i] = items[i];
    }
    gather(b, n, NULL, out);
    out->epoch = out->index = -1;
    out->last_of_epoch = FALSE;
    return TRUE;
}

int64_t blo_batches_per_epoch(const blo_batches *b) { return b->per_epoch; }
int64_t blo_batches_epoch(const blo_batches *b) { return b->epoch; }
int64_t blo_batches_max_items(const blo_batches *b) { return b->max_items; }

void blo_batches_save(const blo_batches *b, blo_state *st, const char *prefix)
{
    g_autofree char *k_epoch = g_strconcat(prefix, "epoch", NULL);
    g_autofree char *k_batch = g_strconcat(prefix, "batch", NULL);
    g_autofree char *k_order = g_strconcat(prefix, "order", NULL);
    blo_state_put_int(st, k_epoch, b->epoch);
    blo_state_put_int(st, k_batch, b->batch);
    blo_state_put_bytes(st, k_order, b->order, (size_t)blo_split_len(b->split) * sizeof *b->order);
    if (b->world > 1 && b->have_shard_rng) {
        g_autofree char *k_shard = g_strconcat(prefix, "shard_rng", NULL);
        blo_state_put_bytes(st, k_shard, &b->shard_rng, sizeof b->shard_rng);
    }
}

gboolean blo_batches_load(blo_batches *b, const blo_state *st, const char *prefix, GError **error)
{
    g_autofree char *k_epoch = g_strconcat(prefix, "epoch", NULL);
    g_autofree char *k_batch = g_strconcat(prefix, "batch", NULL);
    g_autofree char *k_order = g_strconcat(prefix, "order", NULL);
    int64_t epoch, batch, n = blo_split_len(b->split);
    if (!blo_state_get_int(st, k_epoch, &epoch, error) || !blo_state_get_int(st, k_batch, &batch, error) ||
        !blo_state_get_bytes(st, k_order, b->order, (size_t)n * sizeof *b->order, error))
        return FALSE;
    if (epoch < 0 || batch < 0 || batch >= b->per_epoch) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "checkpoint: minibatch position %" G_GINT64_FORMAT
                    " is outside 0..%" G_GINT64_FORMAT, batch, b->per_epoch - 1);
        return FALSE;
    }
    for (int64_t i = 0; i < n; i++)
        if (b->order[i] < 0 || b->order[i] >= n) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "checkpoint: minibatch order holds item %" G_GINT64_FORMAT
                        ", outside the split's %" G_GINT64_FORMAT " items", b->order[i], n);
            return FALSE;
        }
    if (b->world > 1 && (epoch > 0 || batch > 0)) {
        g_autofree char *k_shard = g_strconcat(prefix, "shard_rng", NULL);
        if (!blo_state_get_bytes(st, k_shard, &b->shard_rng, sizeof b->shard_rng, error))
            return FALSE;
        b->have_shard_rng = TRUE;
    }
    b->epoch = epoch;
    b->batch = batch;
    return TRUE;
}

blo_batch_field *blo_batch_find(const blo_batch *b, const char *name)
{
    for (int i = 0; b && name && i < b->n_fields; i++)
        if (strcmp(b->fields[i].name, name) == 0)
            return &b->fields[i];
    return NULL;
}

blo_batch_field *blo_batch_field_get(const blo_batch *b, const char *name, blo_dtype dtype, GError **error)
{
    blo_batch_field *f = blo_batch_find(b, name);
    if (f && f->dtype == dtype)
        return f;
    GString *names = g_string_new(NULL);
    for (int i = 0; i < b->n_fields; i++)
        g_string_append_printf(names, "%s%s (%s)", i ? ", " : "", b->fields[i].name, blo_dtype_name(b->fields[i].dtype));
    g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "the batch has no %s field '%s'; its fields: %s",
                blo_dtype_name(dtype), name, names->len ? names->str : "(none)");
    g_string_free(names, TRUE);
    return NULL;
}

blo_tensor *blo_batch_leaf(blo_graph *g, const blo_batch_field *f, gboolean requires_grad)
{
    if (!f || f->dtype != BLO_DTYPE_F32)
        return NULL;
    return blo_leaf(g, f->data, f->ndim, f->shape, requires_grad);
}
