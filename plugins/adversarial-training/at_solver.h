/* plugins/adversarial-training: minibatch adversarial training (fast FGSM-AT,
 * PGD-AT, TRADES).  One solver type, three loss/attack choices; it implements
 * the optional trainer interface of blo_solver_vtable so that wrappers such
 * as solver:last can reuse its batches, attack and loss. */
#ifndef BLO_AT_SOLVER_H
#define BLO_AT_SOLVER_H

#include "../attacks/perturb.h"

typedef enum { AT_FGSM, AT_PGD, AT_TRADES } at_method;

typedef struct at_solver {
    at_method method;
    const char *name;           /* "solver:pgd-at", for messages */
    blo_train_config cfg;
    pgd_config attack;          /* the training attack */
    double beta;                /* TRADES weight of the KL term */
    char *eval_split;           /* per-epoch clean/robust evaluation ("" = none) */
    int64_t eval_items;
    pgd_config eval_attack;
    /* Bound by init(): */
    blo_ctx *ctx;
    blo_object *learner;
    int64_t n_y;
    const blo_split *eval;
    const char *input;          /* the learner's input field (perturbed) */
    blo_batches *batches;
    blo_optimizer *opt;
    blo_graph *graph;
    blo_attack_target *target;
    float *grad, *adv, *attack_grad, *clean_logits;
    int64_t clean_logits_cap;
    blo_batch batch;            /* the current minibatch */
    const float *batch_weights; /* the weights it was crafted against */
    /* Running numbers of the epoch (checkpointed): */
    double epoch_loss;
    int64_t epoch_seen;
} at_solver;

extern const blo_component at_fgsm_component;
extern const blo_component at_pgd_component;
extern const blo_component at_trades_component;

/* Shared vtable entries. */
void            *at_create(const blo_params *params, at_method method, const char *name);
gboolean         at_init(void *self, blo_run *run, GError **error);
blo_step_status  at_step(void *self, blo_run *run, GError **error);
int64_t          at_planned(void *self);
gboolean         at_save(void *self, blo_state *st, GError **error);
gboolean         at_load(void *self, const blo_state *st, GError **error);
void             at_destroy(void *self);
gboolean         at_next_batch(void *self, blo_run *run, const float *w, blo_batch *out, GError **error);
gboolean         at_batch_loss_grad(void *self, const blo_batch *b, const float *w, double *loss,
                                    float *grad, GError **error);
gboolean         at_epoch_end(void *self, blo_run *run, const float *w, GError **error);

#define AT_SOLVER_VTABLE(create_fn) { \
    .struct_size = sizeof(blo_solver_vtable), .create = (create_fn), .init = at_init, .step = at_step, \
    .planned_steps = at_planned, .save_state = at_save, .load_state = at_load, .destroy = at_destroy, \
    .next_batch = at_next_batch, .batch_loss_grad = at_batch_loss_grad, .epoch_end = at_epoch_end }

#endif
