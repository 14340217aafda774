/* blo SDK: data as named, typed fields.
 *
 * A dataset offers splits ("train", "val", "test", ...).  A split is n items
 * and a set of named fields that its dataset declares, each an array over
 * the items:
 *
 *   dtype              per item                       examples
 *   BLO_DTYPE_F32      a dense float tensor [...]     image [n,1,28,28], ir, vis, raw
 *   BLO_DTYPE_I32      a dense int32 tensor [...]     label [n], label_map [n,H,W], tokens [n,T]
 *   BLO_DTYPE_U8       a dense byte tensor [...]      corrupted [n] (0/1 flags)
 *   BLO_DTYPE_STRING   one UTF-8 string               sentence, lemma, unit
 *   BLO_DTYPE_RAGGED_I32  a list of int32 of its own length   sense candidates, gold keys
 *   BLO_DTYPE_IMAGES   a float image [C,H,W] of its own size   photos of mixed sizes
 *
 * Consumers ask for a field by name (blo_split_field); a missing field, or
 * one of another dtype, is an error naming the field, the split, the
 * dataset and the fields it has.  Splits are framework objects: a dataset
 * builds them with blo_split_new / blo_split_add and frees them with
 * blo_split_free; they are read-only once the dataset's load() returned.
 *
 * Minibatches (blo_batches) gather any dense fields of a split together,
 * shuffled with a seeded stream, with paired augmentation (random crop,
 * flips, transposes) applied identically to every image-like field of an
 * item, an optional shard (rank of world) and a checkpointable position.
 *
 * Thread-safety: a split may be read from any thread; a blo_batches is used
 * from one thread at a time.
 */
#ifndef BLO_DATA_H
#define BLO_DATA_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include "tensor.h"
#include "rng.h"

G_BEGIN_DECLS

typedef enum {
    BLO_DTYPE_F32,
    BLO_DTYPE_I32,
    BLO_DTYPE_U8,
    BLO_DTYPE_STRING,
    BLO_DTYPE_RAGGED_I32,
    BLO_DTYPE_IMAGES,
} blo_dtype;

const char *blo_dtype_name(blo_dtype t);   /* "f32", "i32", ... */

/* One field of a split.  Dense dtypes (F32, I32, U8): data is contiguous
 * row-major [n, shape[1], ...] and ndim counts the item axis.  STRING:
 * data is `const char *const [n]`.  RAGGED_I32: data is the int32 values of
 * every item back to back, offsets[i] .. offsets[i+1] those of item i.
 * IMAGES: data is `const float *const [n]`, image_shapes[3 i ..] = C, H, W. */
typedef struct blo_field {
    const char *name;               /* [a-z0-9_]+, unique in the split */
    blo_dtype dtype;
    int ndim;                       /* dense: 1 + item dims; others: 1 */
    int64_t shape[BLO_MAX_DIMS];    /* shape[0] = n items */
    const void *data;
    const int64_t *offsets;         /* RAGGED_I32: [n + 1] */
    const int32_t *image_shapes;    /* IMAGES: [n, 3] */
    /* F32 / IMAGES: the valid value range (attacks clamp to it); lo == hi: unknown. */
    float lo, hi;
    /* I32 fields holding class ids: number of classes (0: not a class field),
     * and the id meaning "no label" (pixels to ignore; -1: none). */
    int32_t n_classes;
    int32_t ignore_index;
    const char *doc;                /* one line, may be NULL */
} blo_field;

/* Floats (or ints, bytes) per item of a dense field: product of shape[1..]. */
int64_t blo_field_item_numel(const blo_field *f);
gboolean blo_dtype_is_dense(blo_dtype t);

/* ---- splits ------------------------------------------------------------- */
typedef struct blo_split blo_split;

blo_split  *blo_split_new(const char *name, int64_t n);
void        blo_split_free(blo_split *s);
/* Adds a field (its metadata is copied, its data is not: the dataset keeps
 * the data alive, or passes free_data, called with f->data (and for RAGGED
 * with f->offsets, IMAGES with f->image_shapes freed by g_free) at
 * blo_split_free).  Fails when the name is taken or invalid, or shape[0] != n. */
gboolean    blo_split_add(blo_split *s, const blo_field *f, GDestroyNotify free_data, GError **error);
/* Convenience: a dense field of n items of item shape item_shape[0..item_ndim). */
gboolean    blo_split_add_dense(blo_split *s, const char *name, blo_dtype dtype, const void *data, int item_ndim,
                                const int64_t *item_shape, GDestroyNotify free_data, GError **error);
/* Sets range / classes on an added field (FALSE if absent). */
gboolean    blo_split_set_range(blo_split *s, const char *name, float lo, float hi);
gboolean    blo_split_set_classes(blo_split *s, const char *name, int32_t n_classes, int32_t ignore_index);

const char *blo_split_name(const blo_split *s);
int64_t     blo_split_len(const blo_split *s);
int         blo_split_n_fields(const blo_split *s);
const blo_field *blo_split_field_at(const blo_split *s, int i);
/* The field, or NULL (no error) when absent. */
const blo_field *blo_split_find(const blo_split *s, const char *name);
/* The field checked to be of dtype, or NULL with BLO_ERROR_UNSUPPORTED naming
 * the field, the split, its dataset and the fields it has. */
const blo_field *blo_split_field(const blo_split *s, const char *name, blo_dtype dtype, GError **error);
/* Typed shortcuts of blo_split_field for dense fields. */
const float   *blo_split_f32(const blo_split *s, const char *name, GError **error);
const int32_t *blo_split_i32(const blo_split *s, const char *name, GError **error);
const uint8_t *blo_split_u8(const blo_split *s, const char *name, GError **error);
/* "image f32 [n,784] in [0,1], label i32 [n] 10 classes, ..." (g_free it). */
char       *blo_split_describe(const blo_split *s);
/* The dataset the split belongs to, for messages ("dataset:fashion-mnist"). */
const char *blo_split_owner(const blo_split *s);
void        blo_split_set_owner(blo_split *s, const char *owner);

/* What a dataset component declares about its fields (for `blo-host info`),
 * a NULL-name-terminated array. */
typedef struct blo_field_doc {
    const char *name;
    blo_dtype dtype;
    const char *splits;   /* "train,val,test", or "all" */
    const char *shape;    /* per item, e.g. "[784] or [1,28,28] (flatten=false)" */
    const char *doc;
} blo_field_doc;

/* ---- what every dataset shares ------------------------------------------ */
/* The folder a dataset reads: root when given (missing files are then
 * reported when read); else the first BLO_DATA_PATH entry whose `subdir`
 * holds `probe_file`; else default_dir if it holds it.  NULL with
 * BLO_ERROR_IO naming the file, every folder searched and `hint` otherwise. */
char *blo_data_find_dir(const char *root, const char *subdir, const char *probe_file, const char *default_dir,
                        const char *hint, GError **error);
/* Label noise: replaces round(rho n) labels, chosen uniformly without
 * replacement, by a uniformly drawn different class; true_labels receives
 * the originals and corrupted[i] = 1 where label i was replaced. */
void  blo_corrupt_labels(int32_t *labels, int32_t *true_labels, uint8_t *corrupted, int64_t n, int32_t n_classes,
                         double rho, blo_rng *rng);
/* The seeded split of n_all items: a permutation of 0..n_all-1 into order
 * (n_all entries), from which a dataset takes consecutive runs. */
void  blo_data_permutation(int64_t *order, int64_t n_all, blo_rng *rng);

/* ---- minibatches ----------------------------------------------------------- */
/* Paired augmentation, applied to every image-like field of an item (dense
 * fields whose item has 2 or more dims: the last two are H and W) with the
 * same draws.  All zero: none. */
typedef struct blo_augment {
    int64_t crop_h, crop_w;          /* random crop to this size (0: no crop) */
    /* With probability crop_foreground_p the crop is redrawn (up to 50 times)
     * until it holds a value > 0 of foreground_field (a mask or label map),
     * then placed around a foreground pixel drawn uniformly, so it holds
     * foreground whenever the item has any. */
    double crop_foreground_p;
    const char *foreground_field;
    gboolean hflip, vflip, transpose; /* each with probability 1/2 per item */
} blo_augment;

/* One gathered field of a batch: dense, [n, ...]. */
typedef struct blo_batch_field {
    const char *name;
    blo_dtype dtype;
    int ndim;
    int64_t shape[BLO_MAX_DIMS];
    /* What the model sees.  An attack or a solver may point data at a
     * perturbed copy; clean keeps the gathered values (== data otherwise). */
    void *data;
    const void *clean;
    const blo_field *source;         /* the split's field (range, classes) */
} blo_batch_field;

typedef struct blo_batch {
    int64_t n;                       /* items in the batch */
    int n_fields;
    blo_batch_field *fields;
    const int64_t *items;            /* [n] the split's item indices (for non-dense fields); */
    int64_t start;                   /* ... NULL: the items are start .. start + n - 1 */
    const blo_split *split;
    int64_t epoch, index;            /* which epoch, which batch in it */
    gboolean last_of_epoch;
} blo_batch;

/* Item i of batch b as an index into its split. */
static inline int64_t blo_batch_item(const blo_batch *b, int64_t i) { return b->items ? b->items[i] : b->start + i; }

/* A batch viewing items [start, start + count) of s in place (no copy) with
 * the dense fields `names` (NULL-terminated; NULL: every dense field);
 * storage holds max_fields entries for out->fields. */
gboolean blo_split_view(const blo_split *s, const char *const *names, int64_t start, int64_t count,
                        blo_batch_field *storage, int max_fields, blo_batch *out, GError **error);

/* The batch field of that name, or NULL (no error) when absent. */
blo_batch_field *blo_batch_find(const blo_batch *b, const char *name);
/* Checked: present and of dtype, else NULL with an error naming the field and the batch's fields. */
blo_batch_field *blo_batch_field_get(const blo_batch *b, const char *name, blo_dtype dtype, GError **error);

typedef struct blo_batches blo_batches;

/* Minibatches of `fields` (NULL-terminated names; NULL: every dense field)
 * of split s, batch_size items each (the last batch of an epoch may be
 * smaller), shuffled per epoch unless blo_batches_set_shuffle(FALSE).  aug
 * may be NULL.  The split must outlive it.  Errors name the missing field. */
blo_batches *blo_batches_new(const blo_split *s, const char *const *fields, int64_t batch_size,
                             const blo_augment *aug, GError **error);
void         blo_batches_free(blo_batches *b);
void         blo_batches_set_shuffle(blo_batches *b, gboolean shuffle);
/* Data-parallel shard: of each epoch's order, this batches object yields the
 * items at positions p with p % world == rank (world >= 1).  Call before the
 * first batch.  With world > 1 the epoch orders derive from the rng as the
 * first blo_batches_next() finds it (ranks pass equal streams then), not
 * from its later state, so ranks agree however much else they draw. */
gboolean     blo_batches_set_shard(blo_batches *b, int rank, int world, GError **error);
/* The next minibatch; a new epoch starts with a fresh shuffle drawn from rng
 * (which also draws the augmentation).  Its buffers belong to b and are
 * overwritten by the next call. */
gboolean     blo_batches_next(blo_batches *b, blo_rng *rng, blo_batch *out, GError **error);
/* The batch of the given items (at most blo_batches_max_items), in that
 * order, without augmentation; does not move the position. */
gboolean     blo_batches_gather(blo_batches *b, const int64_t *items, int64_t n, blo_batch *out, GError **error);
int64_t      blo_batches_per_epoch(const blo_batches *b);
int64_t      blo_batches_epoch(const blo_batches *b);   /* epochs completed */
int64_t      blo_batches_max_items(const blo_batches *b);  /* the largest batch it yields */
/* Position (epoch, batch, this epoch's order) under keys prefixed by prefix. */
typedef struct blo_state blo_state;
void         blo_batches_save(const blo_batches *b, blo_state *st, const char *prefix);
gboolean     blo_batches_load(blo_batches *b, const blo_state *st, const char *prefix, GError **error);

/* A leaf over a batch field's data (F32 only), in graph g. */
blo_tensor  *blo_batch_leaf(blo_graph *g, const blo_batch_field *f, gboolean requires_grad);

G_END_DECLS

#endif
