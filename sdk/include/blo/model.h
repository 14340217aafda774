/* blo SDK: the model kit: named parameter layouts and the weights file.
 *
 * Layouts
 * -------
 * A learner's parameters are one flat float vector y (the lower variables).
 * A blo_param_layout names its pieces, in the spirit of llm.c's
 * ParameterTensors: at setup the learner adds each tensor once,
 *
 *     blo_param_layout *l = blo_param_layout_new();
 *     self->w1 = blo_param_layout_add(l, "fc1.weight", BLO_SHAPE(hidden, in), error);
 *     self->b1 = blo_param_layout_add(l, "fc1.bias", BLO_SHAPE(hidden), error);
 *     ...
 *     ls->n_params = blo_param_layout_size(l);  // in setup()
 *
 * and in forward takes them as views of the flat leaf y:
 *
 *     blo_tensor *w1 = blo_layout_view(fw->y, self->layout, self->w1);  // [hidden, in]
 *
 * Entries are packed in the order added (offset of entry k = sum of the
 * sizes before it), so the layout is the single source of the offsets.
 * Names match [a-z0-9][a-z0-9_.]* (at most BLO_PARAM_NAME_MAX bytes) and are
 * unique within a layout; a bad or repeated name is a BLO_ERROR_INVALID_ARG
 * naming it.  Shapes have 1..BLO_MAX_DIMS dimensions, each >= 1.
 *
 * State
 * -----
 * Non-trainable buffers (batch-norm running mean and variance, step
 * counters kept as floats) are not part of y.  A learner describes them in a
 * second layout over a buffer of its own, so the run can checkpoint that
 * buffer and the weights file stores it beside the parameters (see below):
 * a model saved with its running statistics evaluates the same when loaded.
 *
 * The learner contract
 * --------------------
 * A learner exposes both through blo_learner_model (filled by an optional
 * learner member of type blo_learner_model_fn).  A learner without one is
 * saved and loaded by the "flat fallback": a single array "y" [n_params].
 *
 * Weights file (format version 1; share/doc/weights-format.md)
 * --------------------------------------------------------------
 * A NumPy .npz: an uncompressed zip (entries stored; the reader also takes
 * deflated ones, as numpy.savez_compressed writes) of .npy arrays:
 *     NAME.npy          each parameter: little-endian float32 ('<f4'), C order,
 *                       with its layout shape (flat fallback: y.npy [n_params])
 *     state/NAME.npy    each state entry, likewise
 *     __blo__.npy       a 0-d bytes array ('|S<n>') holding UTF-8 JSON:
 *                       {"format": "blo-weights", "format_version": 1,
 *                        "blo_version": "0.1.0", "learner": "learner:mlp hidden=128",
 *                        "params": <count>, "state": <count>}
 * numpy reads it with
 *     f = numpy.load("weights.npz"); w = f["fc1.weight"]
 *     meta = json.loads(f["__blo__"].item())
 * The file is written deterministically (fixed timestamps, entries in layout
 * order) and atomically (PATH.tmp, fsync, rename).  A reader of a newer
 * format_version refuses the file; a file without __blo__ (made with numpy)
 * is accepted if its arrays match.
 */
#ifndef BLO_MODEL_H
#define BLO_MODEL_H

#include <stdint.h>
#include <glib.h>
#include "tensor.h"

G_BEGIN_DECLS

#define BLO_WEIGHTS_FORMAT_VERSION 1
#define BLO_PARAM_NAME_MAX 128

/* ---- layouts --------------------------------------------------------- */
typedef struct blo_param_layout blo_param_layout;

/* One entry, as blo_param_layout_get() returns it (valid while the layout lives). */
typedef struct blo_param_info {
    const char *name;
    int ndim;
    int64_t shape[BLO_MAX_DIMS];  /* unused trailing entries are 1 */
    int64_t offset;               /* first element in the flat vector */
    int64_t numel;
} blo_param_info;

blo_param_layout *blo_param_layout_new(void);
void              blo_param_layout_free(blo_param_layout *l);
/* Append NAME with the given shape.  Returns the entry's index (0, 1, ...:
 * the handle blo_layout_view() takes), or -1 with error set (bad or
 * duplicate name, bad shape, size overflow). */
int               blo_param_layout_add(blo_param_layout *l, const char *name, int ndim,
                                       const int64_t *shape, GError **error);
/* Number of entries, and the total number of floats (the flat vector's length). */
int               blo_param_layout_len(const blo_param_layout *l);
int64_t           blo_param_layout_size(const blo_param_layout *l);
/* Entry `index` (0 <= index < len), or NULL out of range. */
const blo_param_info *blo_param_layout_get(const blo_param_layout *l, int index);
/* Index of NAME, or -1 when absent. */
int               blo_param_layout_find(const blo_param_layout *l, const char *name);
/* Offset of entry `index` in the flat vector, or -1 out of range. */
int64_t           blo_param_layout_offset(const blo_param_layout *l, int index);
/* Entry `index` of the flat tensor `flat` [size] as a differentiable
 * blo_view() with the entry's shape.  A bad index, or a flat tensor of a
 * different length than the layout, sets the graph's sticky error (naming
 * the entry) and returns NULL, like any op. */
blo_tensor       *blo_layout_view(blo_tensor *flat, const blo_param_layout *l, int index);

/* ---- the learner contract ------------------------------------------------ */
/* What a learner's weights are: the layout of y and its optional state. */
typedef struct blo_learner_model {
    const blo_param_layout *params;  /* layout of y; NULL: flat fallback "y" [n_params] */
    const blo_param_layout *state;   /* layout of state_data; NULL: no state */
    float *state_data;               /* blo_param_layout_size(state) floats, owned by the learner */
} blo_learner_model;
/* Optional learner member: fill *out after setup (pointers stay owned by,
 * and valid as long as, the learner). */
typedef void (*blo_learner_model_fn)(void *self, blo_learner_model *out);

/* ---- weights files ----------------------------------------------------- */
/* Write the parameters y (n_y floats) and the model's state to PATH as
 * described above.  m NULL, or m->params NULL, is the flat fallback; with a
 * layout, n_y must equal its size.  `learner` (may be NULL) is the learner's
 * canonical text for the metadata.  A failed write (disk full) is
 * BLO_ERROR_IO naming PATH and leaves any old PATH in place. */
gboolean blo_weights_write(const char *path, const blo_learner_model *m, const float *y, int64_t n_y,
                           const char *learner, GError **error);
/* Fill y (n_y floats) and m->state_data from PATH, by name.  Every array
 * the model expects must be present with its shape and dtype float32, and
 * the file must hold no other arrays; otherwise (and for a missing,
 * truncated or corrupt file: bad zip structure, CRC mismatch, bad .npy
 * header) it fails with an error naming PATH and the array (both shapes
 * for a mismatch): BLO_ERROR_IO, BLO_ERROR_FORMAT or BLO_ERROR_SHAPE.
 * On failure y and the state are left unchanged. */
gboolean blo_weights_read(const char *path, const blo_learner_model *m, float *y, int64_t n_y,
                          GError **error);

G_END_DECLS

#endif
