/* framework (private): constructing the bi-level problem a solver sees
 * (public accessors in sdk/include/blo/component.h). */
#ifndef BLO_FRAMEWORK_PROBLEM_INTERNAL_H
#define BLO_FRAMEWORK_PROBLEM_INTERNAL_H

#include <blo/blo.h>

G_BEGIN_DECLS

/* Wraps an objective instance already set up (its blo_problem_setup filled
 * dim_x / dim_y).  The problem builds one graph per evaluation, computes values
 * and gradients with blo_grad(), Hessian-vector and mixed products by double
 * backward, and counts evaluations.  NaN/Inf in a value or gradient fails with
 * BLO_ERROR_NUMERIC naming the quantity. */
blo_problem *blo_problem_new(blo_object *objective, blo_ctx *ctx, int64_t dim_x, int64_t dim_y,
                             GError **error);
void         blo_problem_free(blo_problem *p);
void         blo_problem_reset_counters(blo_problem *p);
/* For checkpoints: counters are part of the run's state. */
void         blo_problem_set_counters(blo_problem *p, int64_t grad_evals, int64_t hvp_evals);

/* F(x, y) does not depend on x (blo_problem_setup.upper_ignores_x): gradient
 * requests for x alone leave F out. */
void         blo_problem_set_upper_ignores_x(blo_problem *p, gboolean ignores);

/* Reuse recorded lower_terms per distinct y (blo_problem_setup.lower_terms_pure;
 * off by default).  TRUE when reuse is now on: the objective must give
 * lower_terms and lower_combine. */
gboolean     blo_problem_set_reuse_lower_terms(blo_problem *p, gboolean reuse);
/* Evaluations that reused recorded terms so far (0 when reuse is off). */
int64_t      blo_problem_terms_reused(const blo_problem *p);

/* Before solver step `iteration`: the objective's optional begin_step (its
 * minibatch draw), after which recorded lower terms are dropped when the
 * problem is stochastic (blo_problem_setup.stochastic). */
void         blo_problem_set_stochastic(blo_problem *p, gboolean stochastic);
gboolean     blo_problem_begin_step(blo_problem *p, int64_t iteration, blo_rng *rng, GError **error);

/* The run's current iteration, named in NaN/Inf errors (-1: unknown, the default). */
void         blo_problem_set_iteration(blo_problem *p, int64_t iteration);

G_END_DECLS

#endif
