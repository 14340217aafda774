/* blo SDK: flat parameter vectors, optimisers, schedules, initialisers.
 *
 * Parameters of a model (the lower variables y) and upper variables x are flat
 * float buffers; models view them as tensors with blo_view().  Solvers do their
 * algebra on the flat buffers with the blo_vec_* helpers.
 */
#ifndef BLO_OPTIM_H
#define BLO_OPTIM_H

#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "rng.h"

G_BEGIN_DECLS

/* ---- flat vector algebra (n floats; dot products accumulate in double) -- */
void   blo_vec_zero(size_t n, float *x);
void   blo_vec_copy(size_t n, const float *src, float *dst);
void   blo_vec_scale(size_t n, float a, float *x);               /* x = a x */
void   blo_vec_axpy(size_t n, float a, const float *x, float *y); /* y += a x */
void   blo_vec_axpby(size_t n, float a, const float *x, float b, float *y); /* y = a x + b y */
double blo_vec_dot(size_t n, const float *x, const float *y);
double blo_vec_nrm2(size_t n, const float *x);
/* TRUE when every element is finite. */
gboolean blo_vec_all_finite(size_t n, const float *x);

/* ---- initialisers ------------------------------------------------------ */
void blo_init_uniform(float *w, size_t n, float lo, float hi, blo_rng *r);
void blo_init_normal(float *w, size_t n, float mean, float std, blo_rng *r);
void blo_init_xavier_uniform(float *w, size_t n, int64_t fan_in, int64_t fan_out, blo_rng *r);
void blo_init_kaiming_uniform(float *w, size_t n, int64_t fan_in, blo_rng *r); /* ReLU gain */
void blo_init_kaiming_normal(float *w, size_t n, int64_t fan_in, blo_rng *r);

/* ---- optimisers over a flat buffer -------------------------------------- */
typedef enum { BLO_OPT_SGD, BLO_OPT_ADAM, BLO_OPT_ADAMW } blo_opt_kind;

typedef struct blo_opt_config {
    blo_opt_kind kind;
    double lr;
    double momentum;      /* SGD */
    gboolean nesterov;    /* SGD */
    double weight_decay;  /* SGD, Adam: L2 added to the gradient; AdamW: decoupled */
    double beta1, beta2, eps; /* Adam/AdamW; 0 means the usual 0.9 / 0.999 / 1e-8 */
} blo_opt_config;

typedef struct blo_optimizer blo_optimizer;

blo_optimizer *blo_optimizer_new(size_t n, const blo_opt_config *cfg);
void           blo_optimizer_free(blo_optimizer *o);
/* params -= update(grad) ; grad is not modified. */
void           blo_optimizer_step(blo_optimizer *o, float *params, const float *grad);
void           blo_optimizer_set_lr(blo_optimizer *o, double lr);
double         blo_optimizer_get_lr(const blo_optimizer *o);
void           blo_optimizer_reset(blo_optimizer *o);
/* The optimiser's state (moments, step count) as one float buffer, for
 * checkpoints: state_len floats. */
size_t         blo_optimizer_state_len(const blo_optimizer *o);
void           blo_optimizer_get_state(const blo_optimizer *o, float *out);
void           blo_optimizer_set_state(blo_optimizer *o, const float *in);

/* ---- learning-rate schedules -------------------------------------------- */
typedef enum { BLO_SCHED_CONSTANT, BLO_SCHED_STEP, BLO_SCHED_COSINE, BLO_SCHED_POLY_WARMUP } blo_sched_kind;

typedef struct blo_schedule {
    blo_sched_kind kind;
    double base_lr;
    int64_t total_steps;   /* cosine, poly */
    int64_t step_size;     /* step: decay every step_size steps */
    double gamma;          /* step: factor */
    int64_t warmup_steps;  /* poly: linear warm-up */
    double power;          /* poly */
    double min_lr;         /* cosine, poly floor */
} blo_schedule;

double blo_schedule_lr(const blo_schedule *s, int64_t step);

G_END_DECLS

#endif
