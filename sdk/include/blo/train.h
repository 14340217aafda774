/* blo SDK: shared pieces of minibatch training (solver:standard, the
 * adversarial-training solvers, wrappers such as solver:last).
 *
 *   - BLO_TRAIN_PARAMS: the epochs / batch_size / optimiser parameters every
 *     training solver declares, read back with blo_train_config_from_params();
 *   - (minibatches of named fields: blo_batches in data.h);
 *   - blo_optimizer_save / _load: an optimiser's state under a state key.
 */
#ifndef BLO_TRAIN_H
#define BLO_TRAIN_H

#include <glib.h>
#include <stdint.h>
#include "component.h"
#include "optim.h"

G_BEGIN_DECLS

/* Entries for a solver's parameter array (place before BLO_PARAM_END). */
#define BLO_TRAIN_PARAMS(default_epochs, default_optimizer, default_lr) \
    BLO_PARAM_INT("epochs", (default_epochs), 1, 100000, "passes over the train split"), \
    BLO_PARAM_INT("batch_size", 128, 1, 1 << 20, "items per minibatch (the last one of an epoch may be smaller)"), \
    BLO_PARAM_ENUM("optimizer", (default_optimizer), BLO_CHOICES("sgd", "adam"), "update rule"), \
    BLO_PARAM_DOUBLE("lr", (default_lr), 0.0, 1e3, "learning rate"), \
    BLO_PARAM_ENUM("schedule", "constant", BLO_CHOICES("constant", "cosine"), \
                   "learning-rate schedule over all planned steps (cosine decays to 0)"), \
    BLO_PARAM_DOUBLE("momentum", 0.9, 0.0, 1.0, "SGD momentum"), \
    BLO_PARAM_DOUBLE("weight_decay", 0.0, 0.0, 1.0, "L2 penalty added to the gradient")

typedef struct blo_train_config {
    int64_t epochs, batch_size;
    blo_opt_config opt;     /* opt.lr is the base learning rate */
    gboolean cosine;        /* schedule=cosine */
} blo_train_config;

/* Reads the BLO_TRAIN_PARAMS entries. */
void blo_train_config_from_params(const blo_params *params, blo_train_config *cfg);

/* Set the optimiser's learning rate for the batch at (epoch, index) of an
 * epoch of batches_per_epoch batches, following cfg's schedule. */
void blo_train_update_lr(const blo_train_config *cfg, blo_optimizer *o, int64_t batches_per_epoch,
                         int64_t epoch, int64_t index);

/* ---- optimiser state in checkpoints ------------------------------------ */
void     blo_optimizer_save(const blo_optimizer *o, blo_state *st, const char *key);
gboolean blo_optimizer_load(blo_optimizer *o, const blo_state *st, const char *key, GError **error);

G_END_DECLS

#endif
