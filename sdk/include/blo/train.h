/* blo SDK: minibatch training, once for every training solver.
 *
 *   - BLO_TRAIN_PARAMS: the parameters every training solver declares
 *     (epochs, batch size, optimiser, schedule, the loss component and the
 *     paired augmentation of the batches);
 *   - blo_trainer: the minibatch loop built from them (batches, optimiser
 *     and schedule, graph reuse, gradient, finite check, per-epoch numbers,
 *     evaluation every N epochs, the "loss" trace, checkpoint state), which
 *     a solver customises through blo_trainer_hooks;
 *   - blo_optimizer_save / _load: an optimiser's state under a state key.
 */
#ifndef BLO_TRAIN_H
#define BLO_TRAIN_H

#include <glib.h>
#include <stdint.h>
#include "component.h"
#include "optim.h"

G_BEGIN_DECLS

/* Entries for a solver's parameter array (place before BLO_PARAM_END).
 * blo_trainer_new() reads all of them. */
#define BLO_TRAIN_PARAMS(default_epochs, default_optimizer, default_lr) \
    BLO_PARAM_INT("epochs", (default_epochs), 1, 100000, "passes over the train split"), \
    BLO_PARAM_INT("batch_size", 128, 1, 1 << 20, "items per minibatch (the last one of an epoch may be smaller)"), \
    BLO_PARAM_ENUM("optimizer", (default_optimizer), BLO_CHOICES("sgd", "adam"), "update rule"), \
    BLO_PARAM_DOUBLE("lr", (default_lr), 0.0, 1e3, "learning rate"), \
    BLO_PARAM_ENUM("schedule", "constant", BLO_CHOICES("constant", "cosine"), \
                   "learning-rate schedule over all planned steps (cosine decays to 0)"), \
    BLO_PARAM_DOUBLE("momentum", 0.9, 0.0, 1.0, "SGD momentum"), \
    BLO_PARAM_DOUBLE("weight_decay", 0.0, 0.0, 1.0, "L2 penalty added to the gradient"), \
    BLO_PARAM_COMPONENT("loss", BLO_KIND_LOSS, "loss:ce", "training loss of the learner's output and its target fields"), \
    BLO_TRAIN_AUGMENT_PARAMS

/* Paired augmentation of the training batches (blo_augment); all off by
 * default, and then no random numbers are drawn for it. */
#define BLO_TRAIN_AUGMENT_PARAMS \
    BLO_PARAM_INT("crop", 0, 0, 1 << 20, "random square crop of every image-like field to this size (0: none)"), \
    BLO_PARAM_DOUBLE("crop_foreground_p", 0.0, 0.0, 1.0, \
                     "probability that a crop is redrawn until it holds foreground of foreground_field"), \
    BLO_PARAM_STRING("foreground_field", "", "mask or label-map field whose values > 0 are foreground (for crop_foreground_p)"), \
    BLO_PARAM_BOOL("hflip", FALSE, "flip items left-right with probability 1/2"), \
    BLO_PARAM_BOOL("vflip", FALSE, "flip items upside down with probability 1/2"), \
    BLO_PARAM_BOOL("transpose", FALSE, "swap H and W of items with probability 1/2")

/* For solvers with an evaluate hook (read only then). */
#define BLO_TRAIN_EVAL_EVERY_PARAM \
    BLO_PARAM_INT("eval_every", 1, 1, 100000, "epochs between the solver's evaluations")

typedef struct blo_train_config {
    int64_t epochs, batch_size;
    blo_opt_config opt;     /* opt.lr is the base learning rate */
    gboolean cosine;        /* schedule=cosine */
    blo_augment augment;    /* foreground_field points into the params */
    gboolean augmenting;    /* any augmentation on */
} blo_train_config;

/* Reads the BLO_TRAIN_PARAMS entries. */
void blo_train_config_from_params(const blo_params *params, blo_train_config *cfg);

/* Set the optimiser's learning rate for the batch at (epoch, index) of an
 * epoch of batches_per_epoch batches, following cfg's schedule. */
void blo_train_update_lr(const blo_train_config *cfg, blo_optimizer *o, int64_t batches_per_epoch,
                         int64_t epoch, int64_t index);

/* ---- the trainer ----------------------------------------------------------
 * One minibatch loop over the run's train split: the batches hold the
 * learner's input fields, the loss's target fields and hooks->fields; a
 * new epoch reshuffles from the run's rng.  One step:
 *
 *   next batch (rng) -> hooks->prepare(batch, w) -> loss at w and its
 *   gradient (one reusable graph; hooks->loss or the loss component) ->
 *   finite check -> lr schedule -> optimiser step -> statistics ->
 *   trace "loss" -> at the end of an epoch: trace "train_accuracy" (when
 *   the learner gives class logits and the loss's first target is a class
 *   field) and "epoch_loss", hooks->epoch_end(w), and every eval_every
 *   epochs hooks->evaluate(w).
 *
 * A solver creates it in init() and frees it in destroy(); wrappers
 * (solver:last) reach a base solver's trainer through
 * blo_solver_vtable.trainer and drive it with next_batch / loss_grad /
 * epoch_end at weights of their own. */
typedef struct blo_trainer_hooks {
    size_t struct_size;
    void *user;              /* passed to every hook */
    /* Optional: more batch fields the hooks read (NULL-terminated). */
    const char *const *fields;
    /* Optional: called on every new batch with the weights w (n_params
     * floats) it is trained at, e.g. to craft adversarial inputs and point
     * the field's data at them (its clean member keeps the gathered values). */
    gboolean (*prepare)(void *user, blo_trainer *t, blo_batch *b, const float *w, GError **error);
    /* Optional: the scalar training loss of b at w (a 1-D leaf in the
     * trainer's graph); NULL with the graph's sticky error on failure.  May
     * set *output to class logits [B, K] for train_accuracy.  Default:
     * blo_loss_value(loss, output = blo_learner_forward(learner, w, b, TRAIN, rng), b). */
    blo_tensor *(*loss)(void *user, blo_trainer *t, const blo_batch *b, blo_tensor *w, blo_tensor **output);
    /* Optional: after the last batch of an epoch, with the trained weights. */
    gboolean (*epoch_end)(void *user, blo_trainer *t, const float *w, GError **error);
    /* Optional: after epoch_end every eval_every epochs (BLO_TRAIN_EVAL_EVERY_PARAM
     * must then be declared), e.g. accuracy on a held-out split. */
    gboolean (*evaluate)(void *user, blo_trainer *t, const float *w, GError **error);
} blo_trainer_hooks;

/* From params (BLO_TRAIN_PARAMS of the solver) and the run's dataset
 * ("train" split) and learner; hooks may be NULL and are copied.  Fails
 * naming what the pipeline lacks, a field the batches cannot gather, or
 * what the loss's bind() rejects. */
blo_trainer *blo_trainer_new(blo_run *run, const blo_params *params, const blo_trainer_hooks *hooks,
                             GError **error);
void         blo_trainer_free(blo_trainer *t);
/* One minibatch of training of w (n_params floats, updated in place):
 * BLO_STEP_DONE once every epoch is done. */
blo_step_status blo_trainer_step(blo_trainer *t, float *w, GError **error);
/* Pieces for wrappers.  next_batch draws the next minibatch and runs
 * hooks->prepare against w; the batch's buffers are the trainer's until the
 * next call. */
gboolean     blo_trainer_next_batch(blo_trainer *t, const float *w, blo_batch *out, GError **error);
/* The training loss of b at any weights w and d loss / d w into grad
 * (n_params floats, overwritten); a non-finite loss or gradient is an error
 * naming the batch's epoch and index.  Records no statistics (only
 * blo_trainer_step's own weights count in epoch_loss). */
gboolean     blo_trainer_loss_grad(blo_trainer *t, const blo_batch *b, const float *w, double *loss, float *grad,
                                   GError **error);
/* The end-of-epoch work of a step (traces, epoch_end and evaluate hooks)
 * for weights w; call after the batch marked last_of_epoch. */
gboolean     blo_trainer_epoch_end(blo_trainer *t, const float *w, GError **error);
int64_t      blo_trainer_planned_steps(const blo_trainer *t);   /* epochs x batches per epoch */
int64_t      blo_trainer_epoch(const blo_trainer *t);           /* epochs completed */
gboolean     blo_trainer_done(const blo_trainer *t);            /* every planned epoch completed */
/* What hooks may need. */
blo_ctx     *blo_trainer_ctx(const blo_trainer *t);
blo_object  *blo_trainer_learner(const blo_trainer *t);
blo_object  *blo_trainer_loss(const blo_trainer *t);
const blo_split *blo_trainer_split(const blo_trainer *t);
int64_t      blo_trainer_n_params(const blo_trainer *t);
int64_t      blo_trainer_max_batch(const blo_trainer *t);       /* items of the largest batch */
const blo_train_config *blo_trainer_config(const blo_trainer *t);
/* Checkpoint: optimiser, batch position and the epoch's running numbers. */
void         blo_trainer_save(const blo_trainer *t, blo_state *st);
gboolean     blo_trainer_load(blo_trainer *t, const blo_state *st, GError **error);

/* ---- optimiser state in checkpoints ------------------------------------ */
void     blo_optimizer_save(const blo_optimizer *o, blo_state *st, const char *key);
gboolean blo_optimizer_load(blo_optimizer *o, const blo_state *st, const char *key, GError **error);

G_END_DECLS

#endif
