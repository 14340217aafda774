/* classic-solvers: the pieces every baseline shares — common parameters, the
 * lower-level gradient-descent inner loop (optionally recording its
 * trajectory), the reverse (RHG) recursion through that loop, and the x
 * update with an optimiser. */
#ifndef CLASSIC_H
#define CLASSIC_H

#include <blo/blo.h>

typedef struct classic {
    blo_ctx *ctx;
    const char *name;            /* "solver:rhg", ... for messages */
    /* parameters */
    int64_t steps, inner_steps;
    double inner_lr, x_lr;
    blo_opt_kind x_opt;
    gboolean warm_start;
    gboolean mu_decay;           /* aggregation weight mu / (t + 1) at inner step t (BDA) */
    /* bound state */
    blo_problem *prob;
    int64_t nx, ny;
    blo_optimizer *opt;
    float *y_init;               /* the lower start when not warm-starting */
    float *gx, *gy;              /* scratch gradients (dim_x, dim_y) */
    float *traj;                 /* (inner_steps + 1) * ny lower iterates, when recorded */
    float *sy[4], *sx[3];        /* per-solver scratch vectors (dim_y, dim_x) */
    double *F_values;            /* F along the trajectory, when a solver needs it */
    int64_t k;                   /* outer iterations done */
} classic;

/* Parameters every classic solver has (steps, inner_steps, inner_lr, x_lr,
 * x_optimizer, warm_start), with per-solver defaults. */
#define CLASSIC_PARAMS(steps_, inner_, inner_lr_, x_lr_)                                              \
    BLO_PARAM_INT("steps", (steps_), 1, 100000000, "outer (x) iterations"),                          \
    BLO_PARAM_INT("inner_steps", (inner_), 0, 1000000, "lower gradient steps per outer iteration"),  \
    BLO_PARAM_DOUBLE("inner_lr", (inner_lr_), 0.0, 1e6, "lower-level step size"),                    \
    BLO_PARAM_DOUBLE("x_lr", (x_lr_), 0.0, 1e9, "upper (x) step size"),                              \
    BLO_PARAM_ENUM("x_optimizer", "sgd", BLO_CHOICES("sgd", "adam"), "optimiser of x"),              \
    BLO_PARAM_BOOL("warm_start", TRUE, "start each inner loop from the last y (else from the initial y)")

/* Reads CLASSIC_PARAMS into c (allocated by the caller as the first member). */
void     classic_read_params(classic *c, const blo_params *params, blo_ctx *ctx, const char *name);
/* Binds to the run's problem; record_trajectory allocates traj. */
gboolean classic_bind(classic *c, blo_run *run, gboolean record_trajectory, GError **error);
/* Frees a solver whose struct starts with a classic (vtable destroy). */
void     classic_destroy(void *self);

/* Starts the inner loop: y = y_init unless warm-starting. */
void     classic_lower_start(classic *c, float *y);
/* `steps` steps of y -= lr grad_y (mu_t F + (1 - mu_t) f)(x, y) (mu_t = mu, or mu / (t + 1)
 * with c->mu_decay), each followed by the
 * prox of the nonsmooth part and the lower projection; when c->traj is set,
 * stores y_0 .. y_steps there.  F_values (steps + 1 doubles, may be NULL)
 * receives F(x, y_t) (value only, not a counted evaluation). */
gboolean classic_lower_descent(classic *c, const float *x, float *y, int64_t steps, double lr,
                               double mu, double *F_values, GError **error);
/* Reverse-mode hypergradient through the recorded steps [first, last) of the
 * trajectory, starting from grad F(x, y_last):
 *   a = grad_y F, g = grad_x F;  for t = last-1 .. first:
 *   g -= lr d2(mu_t F + (1-mu_t) f)/dxdy(y_t) a;  a -= lr d2(mu_t F + (1-mu_t) f)/dy2(y_t) a.
 * Writes g into gx and, if a0 is non-NULL, a (the gradient w.r.t. y_first) into a0. */
gboolean classic_reverse(classic *c, const float *x, int64_t first, int64_t last, double lr, double mu,
                         float *gx, float *a0, GError **error);
/* x = Proj_X(x - optimiser(gx)). */
void     classic_update_x(classic *c, float *x, const float *gx);
/* Ends an outer iteration: traces F and the hypergradient norm, counts it. */
blo_step_status classic_finish_step(classic *c, blo_run *run, const float *gx, GError **error);

/* vtable save_state / load_state: optimiser state, initial y, k. */
gboolean classic_save_state(void *self, blo_state *state, GError **error);
gboolean classic_load_state(void *self, const blo_state *state, GError **error);
int64_t  classic_planned_steps(void *self);

/* The vtable of a classic solver: its own create / init / step, shared rest. */
#define CLASSIC_VTABLE(create_, init_, step_)                                                         \
    { .struct_size = sizeof(blo_solver_vtable), .create = (create_), .init = (init_), .step = (step_), \
      .planned_steps = classic_planned_steps, .save_state = classic_save_state,                      \
      .load_state = classic_load_state, .destroy = classic_destroy }

/* Components of the plugin. */
extern const blo_component classic_rhg, classic_trhg, classic_cg, classic_neumann, classic_bda,
    classic_darts_fd, classic_iaptt_gm, classic_bome, classic_vpbgd;

#endif
