/* plugins/adversarial-training: minibatch adversarial training (fast FGSM-AT,
 * PGD-AT, TRADES) on the SDK's blo_trainer.  One solver type, three
 * attack/loss choices given to the trainer as hooks; its trainer is exposed
 * (blo_solver_vtable.trainer) so that wrappers such as solver:last reuse its
 * batches, attack and loss.  Every perturbation call is in at_batch.c. */
#ifndef BLO_AT_SOLVER_H
#define BLO_AT_SOLVER_H

#include <blo/blo.h>

typedef enum { AT_FGSM, AT_PGD, AT_TRADES } at_method;

typedef struct at_solver {
    at_method method;
    const blo_params *params;   /* read by init(); lives until destroy() */
    blo_pgd_config attack;      /* the training attack */
    double beta;                /* TRADES weight of the KL term */
    char *eval_split;           /* per-epoch clean/robust evaluation ("" = none) */
    int64_t eval_items;
    blo_pgd_config eval_attack; /* the per-epoch PGD (its step: eval_step_rel * eps) */
    /* Bound by init(): */
    blo_trainer *trainer;
    blo_ctx *ctx;
    blo_object *learner;
    int64_t n_y;
    const blo_split *eval;
    const char *input;          /* the learner's input field (perturbed) */
    blo_graph *graph;           /* TRADES' clean reference logits */
    blo_attack_target *target;       /* training attack: ranges of the training split */
    blo_attack_target *eval_target;  /* evaluation: ranges of eval_split, never KL */
    float *adv, *attack_grad, *clean_logits;
    int64_t adv_cap, clean_logits_cap;
} at_solver;

extern const blo_component at_fgsm_component;
extern const blo_component at_pgd_component;
extern const blo_component at_trades_component;

/* Shared vtable entries (at_solver.c). */
void            *at_create(const blo_params *params, at_method method, GError **error);
gboolean         at_init(void *self, blo_run *run, GError **error);
blo_step_status  at_step(void *self, blo_run *run, GError **error);
int64_t          at_planned(void *self);
gboolean         at_save(void *self, blo_state *st, GError **error);
gboolean         at_load(void *self, const blo_state *st, GError **error);
blo_trainer     *at_trainer(void *self);
void             at_destroy(void *self);

/* The trainer hooks of the method (at_batch.c). */
void             at_hooks(at_solver *s, blo_trainer_hooks *h);

#define AT_SOLVER_VTABLE(create_fn) { \
    .struct_size = sizeof(blo_solver_vtable), .create = (create_fn), .init = at_init, .step = at_step, \
    .planned_steps = at_planned, .save_state = at_save, .load_state = at_load, .destroy = at_destroy, \
    .trainer = at_trainer }

#endif
