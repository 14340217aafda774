/* blo_trainer: accessors and checkpoint state. */
#include "trainer_private.h"

int64_t blo_trainer_planned_steps(const blo_trainer *t)
{
    return t->cfg.epochs * blo_batches_per_epoch(t->batches);
}

int64_t blo_trainer_epoch(const blo_trainer *t) { return blo_batches_epoch(t->batches); }
gboolean blo_trainer_done(const blo_trainer *t) { return blo_batches_epoch(t->batches) >= t->cfg.epochs; }
blo_ctx *blo_trainer_ctx(const blo_trainer *t) { return t->ctx; }
blo_object *blo_trainer_learner(const blo_trainer *t) { return t->learner; }
blo_object *blo_trainer_loss(const blo_trainer *t) { return t->loss; }
const blo_split *blo_trainer_split(const blo_trainer *t) { return t->train; }
int64_t blo_trainer_n_params(const blo_trainer *t) { return t->n_y; }
int64_t blo_trainer_max_batch(const blo_trainer *t) { return blo_batches_max_items(t->batches); }
const blo_train_config *blo_trainer_config(const blo_trainer *t) { return &t->cfg; }

void blo_trainer_save(const blo_trainer *t, blo_state *st)
{
    blo_optimizer_save(t->opt, st, "optimizer");
    blo_batches_save(t->batches, st, "");
    blo_state_put_int(st, "epoch_correct", t->epoch_correct);
    blo_state_put_int(st, "epoch_seen", t->epoch_seen);
    blo_state_put_double(st, "epoch_loss", t->epoch_loss);
}

gboolean blo_trainer_load(blo_trainer *t, const blo_state *st, GError **error)
{
    return blo_optimizer_load(t->opt, st, "optimizer", error) && blo_batches_load(t->batches, st, "", error) &&
           blo_state_get_int(st, "epoch_correct", &t->epoch_correct, error) &&
           blo_state_get_int(st, "epoch_seen", &t->epoch_seen, error) &&
           blo_state_get_double(st, "epoch_loss", &t->epoch_loss, error);
}
