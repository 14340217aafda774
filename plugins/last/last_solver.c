/* solver:last — LAST, "Learn from the Past" (arXiv 2310.12713), as the
 * documented reconstruction of README.md: a proxy phi built from the target's
 * history takes a step on the base method's adversarial loss plus a
 * self-distillation term, and the target moves towards the proxy's response.
 *
 *   x_adv         from the base (crafted against theta)
 *   stage 1       m   <- mu m + grad_phi [ L_base(phi; x, x_adv, y) + lambda KL(f_theta(x) || f_phi(x_adv)) ]
 *                 phi' = phi - alpha m
 *   stage 2       theta <- theta - beta (theta - phi')
 *   history       phi <- theta_t (last) | EMA of theta | theta every k steps (snapshot)
 */
#include <blo/blo.h>

#include <string.h>

typedef enum { HISTORY_LAST, HISTORY_EMA, HISTORY_SNAPSHOT } last_history;

typedef struct last_solver {
    blo_object *base;
    const blo_solver_vtable *bvt;
    void *bself;
    blo_trainer *trainer;   /* the base's, after init() */
    last_history history;
    double ema_decay, alpha, beta, lambda, momentum;
    int64_t snapshot_every;
    /* Bound by init(): */
    blo_ctx *ctx;
    blo_object *learner;
    int64_t n_y, planned;
    blo_graph *graph;
    float *proxy, *proxy_new, *mom, *grad, *sd_grad, *theta_old;
    int64_t steps;   /* completed (checkpointed) */
} last_solver;

static const blo_param_spec last_params[] = {
    BLO_PARAM_COMPONENT("base", BLO_KIND_SOLVER, "solver:pgd-at",
                        "adversarial-training base providing batches, attack and loss (fgsm-at, pgd-at, trades)"),
    BLO_PARAM_ENUM("history", "last", BLO_CHOICES("last", "ema", "snapshot"),
                   "proxy source: the previous target state, an EMA of target states, or a snapshot every k steps"),
    BLO_PARAM_DOUBLE("ema_decay", 0.99, 0.0, 1.0, "history=ema: phi <- d phi + (1 - d) theta"),
    BLO_PARAM_INT("snapshot_every", 100, 1, G_MAXINT64, "history=snapshot: steps between proxy refreshes"),
    BLO_PARAM_DOUBLE("alpha", 0.01, 0.0, 1e3, "stage 1: proxy step size"),
    BLO_PARAM_DOUBLE("momentum", 0.9, 0.0, 1.0, "stage 1: momentum of the proxy gradient (0: plain step)"),
    BLO_PARAM_DOUBLE("beta", 0.5, 0.0, 10.0, "stage 2: theta <- theta - beta (theta - phi') (1 with history=last decouples odd and even steps)"),
    BLO_PARAM_DOUBLE("lambda", 1.0, 0.0, 1e6, "weight of the self-distillation term KL(f_theta(x) || f_phi(x_adv))"),
    BLO_PARAM_END
};

static void *last_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    blo_object *base = blo_object_new_from_node(blo_params_get_component(params, "base"), ctx, error);
    if (!base)
        return NULL;
    const blo_solver_vtable *bvt = blo_object_solver(base);
    if (!BLO_SOLVER_HAS_TRAINER(bvt)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "base=solver:%s is not a minibatch trainer (it has no blo_trainer); "
                    "use solver:fgsm-at, solver:pgd-at or solver:trades",
                    blo_object_component(base)->name);
        blo_object_free(base);
        return NULL;
    }
    last_solver *s = g_new0(last_solver, 1);
    s->base = base;
    s->bvt = bvt;
    s->bself = blo_object_self(base);
    const char *h = blo_params_get_string(params, "history");
    s->history = g_str_equal(h, "ema") ? HISTORY_EMA : g_str_equal(h, "snapshot") ? HISTORY_SNAPSHOT : HISTORY_LAST;
    s->ema_decay = blo_params_get_double(params, "ema_decay");
    s->snapshot_every = blo_params_get_int(params, "snapshot_every");
    s->alpha = blo_params_get_double(params, "alpha");
    s->momentum = blo_params_get_double(params, "momentum");
    s->beta = blo_params_get_double(params, "beta");
    s->lambda = blo_params_get_double(params, "lambda");
    return s;
}

static gboolean last_init(void *self, blo_run *run, GError **error)
{
    last_solver *s = self;
    if (!s->bvt->init(s->bself, run, error))
        return FALSE;
    if (!(s->trainer = s->bvt->trainer(s->bself))) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "base=solver:%s gave no trainer after init",
                    blo_object_component(s->base)->name);
        return FALSE;
    }
    s->ctx = blo_run_ctx(run);
    s->learner = blo_run_learner(run);
    s->n_y = blo_run_dim_y(run);
    s->planned = blo_trainer_planned_steps(s->trainer);
    s->graph = blo_graph_new();
    size_t n = (size_t)s->n_y;
    s->proxy = g_new(float, n);
    s->proxy_new = g_new(float, n);
    s->mom = g_new0(float, n);
    s->grad = g_new(float, n);
    s->sd_grad = g_new(float, n);
    s->theta_old = g_new(float, n);
    blo_vec_copy(n, blo_run_y(run), s->proxy);   /* the first proxy is the initial model */
    return TRUE;
}

/* Teacher logits f_theta(x) (no gradient), then lambda KL(teacher || f_phi(x_adv))
 * and its phi-gradient into s->sd_grad. */
static gboolean self_distillation(last_solver *s, const blo_batch *b, const float *theta, double *value,
                                  GError **error)
{
    const blo_learner_setup *ls = blo_learner_info(s->learner);
    const blo_batch_field *x = blo_batch_find(b, ls->inputs[0]);
    blo_graph *g = s->graph;
    blo_graph_reset(g);
    blo_graph_push_no_grad(g);
    blo_tensor *clean = blo_leaf(g, (float *)x->clean, x->ndim, x->shape, FALSE);
    blo_tensor *teacher = blo_learner_forward_inputs(s->learner, blo_leaf(g, (float *)theta, BLO_SHAPE(s->n_y), FALSE),
                                                     &clean, b, BLO_MODE_EVAL, NULL);
    blo_graph_pop_no_grad(g);
    if (!teacher || !blo_graph_check(g, error))
        return FALSE;
    blo_tensor *phi = blo_leaf(g, s->proxy, BLO_SHAPE(s->n_y), TRUE);
    blo_tensor *adv = blo_leaf(g, x->data, x->ndim, x->shape, FALSE);
    blo_tensor *student = blo_learner_forward_inputs(s->learner, phi, &adv, b, BLO_MODE_TRAIN, NULL);
    blo_tensor *kl = blo_kl_div_log(blo_log_softmax(blo_detach(teacher), -1), blo_log_softmax(student, -1), -1);
    blo_tensor *sd = blo_mul_scalar(kl, (float)s->lambda);
    blo_vec_zero((size_t)s->n_y, s->sd_grad);
    if (!sd || !blo_graph_check(g, error) || !blo_backward_into(sd, phi, s->sd_grad, error))
        return FALSE;
    *value = sd->data[0];
    return TRUE;
}

static void update_history(last_solver *s, const float *theta_new)
{
    size_t n = (size_t)s->n_y;
    switch (s->history) {
    case HISTORY_LAST:
        blo_vec_copy(n, s->theta_old, s->proxy);
        break;
    case HISTORY_EMA:
        blo_vec_axpby(n, (float)(1 - s->ema_decay), theta_new, (float)s->ema_decay, s->proxy);
        break;
    case HISTORY_SNAPSHOT:
        if (s->steps % s->snapshot_every == 0)
            blo_vec_copy(n, theta_new, s->proxy);
        break;
    }
}

static blo_step_status last_step(void *self, blo_run *run, GError **error)
{
    last_solver *s = self;
    if (s->planned >= 0 && s->steps >= s->planned)
        return BLO_STEP_DONE;
    float *theta = blo_run_y(run);
    size_t n = (size_t)s->n_y;
    blo_batch b;
    double loss, sd;
    if (!blo_trainer_next_batch(s->trainer, theta, &b, error) ||
        !blo_trainer_loss_grad(s->trainer, &b, s->proxy, &loss, s->grad, error) ||
        !self_distillation(s, &b, theta, &sd, error))
        return BLO_STEP_ERROR;
    /* Stage 1: the proxy's response. */
    blo_vec_axpy(n, 1.0f, s->sd_grad, s->grad);
    blo_vec_axpby(n, 1.0f, s->grad, (float)s->momentum, s->mom);
    blo_vec_copy(n, s->proxy, s->proxy_new);
    blo_vec_axpy(n, (float)-s->alpha, s->mom, s->proxy_new);
    /* Stage 2: theta <- (1 - beta) theta + beta phi'. */
    blo_vec_copy(n, theta, s->theta_old);
    blo_vec_axpby(n, (float)s->beta, s->proxy_new, (float)(1 - s->beta), theta);
    if (!blo_vec_all_finite(n, theta)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_NUMERIC, "non-finite weights at step %" G_GINT64_FORMAT
                    " (lower alpha or beta?)", s->steps);
        return BLO_STEP_ERROR;
    }
    s->steps++;
    update_history(s, theta);
    blo_ctx_trace(s->ctx, "loss", loss);
    blo_ctx_trace(s->ctx, "sd_loss", sd);
    if (b.last_of_epoch && !blo_trainer_epoch_end(s->trainer, theta, error))
        return BLO_STEP_ERROR;
    return s->planned >= 0 && s->steps >= s->planned ? BLO_STEP_DONE : BLO_STEP_CONTINUE;
}

static int64_t last_planned(void *self)
{
    return ((last_solver *)self)->planned;
}

static gboolean last_save(void *self, blo_state *st, GError **error)
{
    last_solver *s = self;
    if (s->bvt->save_state && !s->bvt->save_state(s->bself, st, error))
        return FALSE;
    blo_state_put_floats(st, "last_proxy", s->proxy, (size_t)s->n_y);
    blo_state_put_floats(st, "last_momentum", s->mom, (size_t)s->n_y);
    blo_state_put_int(st, "last_steps", s->steps);
    return TRUE;
}

static gboolean last_load(void *self, const blo_state *st, GError **error)
{
    last_solver *s = self;
    return (!s->bvt->load_state || s->bvt->load_state(s->bself, st, error)) &&
           blo_state_get_floats(st, "last_proxy", s->proxy, (size_t)s->n_y, error) &&
           blo_state_get_floats(st, "last_momentum", s->mom, (size_t)s->n_y, error) &&
           blo_state_get_int(st, "last_steps", &s->steps, error);
}

static void last_destroy(void *self)
{
    last_solver *s = self;
    blo_object_free(s->base);
    if (s->graph)
        blo_graph_free(s->graph);
    g_free(s->proxy);
    g_free(s->proxy_new);
    g_free(s->mom);
    g_free(s->grad);
    g_free(s->sd_grad);
    g_free(s->theta_old);
    g_free(s);
}

static const blo_solver_vtable last_vtable = {
    .struct_size = sizeof(blo_solver_vtable),
    .create = last_create,
    .init = last_init,
    .step = last_step,
    .planned_steps = last_planned,
    .save_state = last_save,
    .load_state = last_load,
    .destroy = last_destroy,
};

static const blo_component last_component = {
    BLO_COMPONENT_HEADER, .kind = BLO_KIND_SOLVER, .name = "last",
    .summary = "LAST: proxy from the model's past + self-distillation around an AT base (reconstruction)",
    .params = last_params, .vtable = &last_vtable,
};

BLO_PLUGIN_DEFINE("last", "0.1.0", "MIT",
                  "Learn from the Past: a proxy-guided adversarial defense (arXiv 2310.12713); reconstruction",
                  "solver:last wrapping fgsm-at, pgd-at or trades (the paper's code was never released)",
                  &last_component);
