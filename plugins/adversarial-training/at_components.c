/* solver:fgsm-at, solver:pgd-at, solver:trades and the plugin entry. */
#include "at_solver.h"

/* Per-epoch evaluation on a held-out slice (traced as clean_accuracy / robust_accuracy). */
#define AT_EVAL_PARAMS \
    BLO_PARAM_STRING("eval_split", "", "split evaluated after every epoch (\"\": none; e.g. val)"), \
    BLO_PARAM_INT("eval_items", 1000, 0, G_MAXINT64, "items of eval_split evaluated (0: all)"), \
    BLO_PARAM_INT("eval_steps", 20, 1, 100000, "PGD steps of the per-epoch robust accuracy"), \
    BLO_PARAM_DOUBLE("eval_step_rel", 0.125, 0.0, 1e3, "its step as a fraction of eps"), \
    BLO_TRAIN_EVAL_EVERY_PARAM

static const blo_param_spec fgsm_at_params[] = {
    BLO_TRAIN_PARAMS(10, "sgd", 0.01),
    BLO_PERTURB_NORM_PARAM,
    BLO_PERTURB_EPS_PARAM("0.1"),
    BLO_PERTURB_STEP_PARAMS(1.25),
    BLO_PARAM_BOOL("random_start", TRUE, "start the FGSM step from a random point of the ball (fast AT)"),
    AT_EVAL_PARAMS,
    BLO_PARAM_END
};

static const blo_param_spec pgd_at_params[] = {
    BLO_TRAIN_PARAMS(10, "sgd", 0.01),
    BLO_PERTURB_NORM_PARAM,
    BLO_PERTURB_EPS_PARAM("0.1"),
    BLO_PARAM_INT("steps", 7, 1, 100000, "PGD steps of the training attack"),
    BLO_PERTURB_STEP_PARAMS(2.5 / 7),
    BLO_PARAM_BOOL("random_start", TRUE, "start PGD from a random point of the ball"),
    AT_EVAL_PARAMS,
    BLO_PARAM_END
};

static const blo_param_spec trades_params[] = {
    BLO_TRAIN_PARAMS(10, "sgd", 0.01),
    BLO_PERTURB_NORM_PARAM,
    BLO_PERTURB_EPS_PARAM("0.1"),
    BLO_PARAM_INT("steps", 7, 1, 100000, "steps of the KL maximisation"),
    BLO_PERTURB_STEP_PARAMS(2.5 / 7),
    BLO_PARAM_BOOL("random_start", TRUE, "start from a random point of the ball (the KL gradient is 0 at x)"),
    BLO_PARAM_DOUBLE("beta", 6.0, 0.0, 1e6, "weight of KL(f(x) || f(x_adv)) against CE(f(x), y)"),
    AT_EVAL_PARAMS,
    BLO_PARAM_END
};

static void *fgsm_at_create(const blo_params *p, blo_ctx *ctx, GError **e) { return at_create(p, AT_FGSM, e); }
static void *pgd_at_create(const blo_params *p, blo_ctx *ctx, GError **e) { return at_create(p, AT_PGD, e); }
static void *trades_create(const blo_params *p, blo_ctx *ctx, GError **e) { return at_create(p, AT_TRADES, e); }

static const blo_solver_vtable fgsm_at_vtable = AT_SOLVER_VTABLE(fgsm_at_create);
static const blo_solver_vtable pgd_at_vtable = AT_SOLVER_VTABLE(pgd_at_create);
static const blo_solver_vtable trades_vtable = AT_SOLVER_VTABLE(trades_create);

const blo_component at_fgsm_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "fgsm-at",
    .summary = "fast adversarial training: FGSM from a random start, step 1.25 eps (Wong et al. 2020)",
    .params = fgsm_at_params, .vtable = &fgsm_at_vtable,
};
const blo_component at_pgd_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "pgd-at",
    .summary = "PGD adversarial training (Madry et al. 2018): 7 steps of 2.5 eps / 7",
    .params = pgd_at_params, .vtable = &pgd_at_vtable,
};
const blo_component at_trades_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "trades",
    .summary = "TRADES (Zhang et al. 2019): CE(x) + beta KL(f(x) || f(x_adv)), KL inner maximisation",
    .params = trades_params, .vtable = &trades_vtable,
};

BLO_PLUGIN_DEFINE("adversarial-training", "1.0.0", "MIT",
                  "Wong et al. 2020 (fast AT); Madry et al. 2018 (PGD-AT); Zhang et al. 2019 (TRADES)",
                  "Adversarial training solvers on the SDK trainer (wrapped by solver:last)",
                  &at_fgsm_component, &at_pgd_component, &at_trades_component);
