/* The blo_trainer struct, shared by trainer.c and trainer_state.c. */
#ifndef BLO_TRAINER_PRIVATE_H
#define BLO_TRAINER_PRIVATE_H

#include <blo/blo.h>

struct blo_trainer {
    blo_train_config cfg;
    blo_trainer_hooks hooks;
    int64_t eval_every;          /* 0: no evaluate hook */
    blo_ctx *ctx;
    blo_object *learner;
    blo_object *loss;            /* owned */
    const blo_split *train;
    const char *accuracy_field;  /* class field for train_accuracy, or NULL */
    int64_t n_y;
    blo_batches *batches;
    blo_optimizer *opt;
    blo_graph *graph;            /* reset for every loss evaluation */
    float *grad;
    blo_batch batch;             /* the current minibatch */
    /* This epoch's running numbers (checkpointed): */
    int64_t epoch_correct, epoch_seen;
    double epoch_loss;
};

#endif
