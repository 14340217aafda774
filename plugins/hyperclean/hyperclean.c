/* objective:hyperclean — the plugin face of hyperclean_core. */
#include "cleaning_scores.h"
#include "hyperclean_core.h"

typedef struct hyperclean_plugin {
    hyperclean core;
    blo_object *learner;
} hyperclean_plugin;

static const blo_param_spec hyperclean_params[] = {
    BLO_PARAM_DOUBLE("holdout", 0.0, 0.0, 0.9,
                     "fraction of the val split kept out of F, reported as holdout_accuracy (for model selection)"),
    BLO_PARAM_INT("batch_size", 0, 0, 1 << 24,
                  "items of train and of val per solver step, drawn anew each step (0: full batch)"),
    BLO_PARAM_END
};

static void *hc_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    hyperclean_plugin *p = g_new0(hyperclean_plugin, 1);
    p->core.holdout = blo_params_get_double(params, "holdout");
    p->core.batch_size = blo_params_get_int(params, "batch_size");
    return p;
}

static gboolean hc_setup(void *self, blo_problem_setup *ps, GError **error)
{
    hyperclean_plugin *p = self;
    if (!ps->dataset || !ps->learner) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "needs %s in the pipeline (e.g. dataset:fashion-mnist corrupt=0.5 ! learner:linear ! "
                    "objective:hyperclean)", !ps->dataset ? "a dataset" : "a learner");
        return FALSE;
    }
    const blo_learner_vtable *lvt = blo_object_learner(ps->learner);
    const blo_split *s[3];
    static const char *const names[3] = { "train", "val", "test" };
    for (int i = 0; i < 3; i++) {
        GError *missing = NULL;
        s[i] = blo_dataset_get_split(ps->dataset, names[i], &missing);
        if (!s[i]) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "needs a '%s' split: %s",
                        names[i], missing ? missing->message : "absent");
            g_clear_error(&missing);
            return FALSE;
        }
    }
    const blo_learner_setup *ls = blo_learner_info(ps->learner);
    if (!ls || ls->output != BLO_OUTPUT_CLASS_LOGITS || ls->n_inputs != 1) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED, "needs a learner with one input giving class logits");
        return FALSE;
    }
    if (!hyperclean_bind(&p->core, s[0], s[1], s[2], lvt, blo_object_self(ps->learner), ls->inputs[0],
                         ls->n_params, error) ||
        !hyperclean_next_batches(&p->core, blo_ctx_rng(ps->ctx), error))
        return FALSE;
    p->learner = ps->learner;
    ps->dim_x = blo_split_len(s[0]);
    ps->dim_y = p->core.dim_y;
    /* optional declarations, written only when the host's struct has them */
    if (BLO_STRUCT_HAS(ps, blo_problem_setup, upper_ignores_x))
        ps->upper_ignores_x = TRUE;   /* F = validation CE of y */
    if (BLO_STRUCT_HAS(ps, blo_problem_setup, stochastic))
        ps->stochastic = p->core.batch_size > 0;
    /* the train CE may be reused for an equal y when the learner's forward is pure */
    if (BLO_STRUCT_HAS(ps, blo_problem_setup, lower_terms_pure))
        ps->lower_terms_pure = BLO_STRUCT_HAS(lvt, blo_learner_vtable, forward_is_pure) &&
                               lvt->forward_is_pure && lvt->forward_is_pure(p->core.lself);
    return TRUE;
}

static void hc_init(void *self, float *x, float *y, blo_rng *rng)
{
    hyperclean_plugin *p = self;
    blo_vec_zero((size_t)blo_split_len(p->core.train), x);
    /* A second draw of y, as every recorded hyper-cleaning result was made
     * (the learner's own init ran before, on the same stream); the seq
     * learners' init cannot fail. */
    p->core.lvt->init(p->core.lself, y, rng, NULL);
}

static gboolean hc_begin_step(void *self, int64_t iteration, blo_rng *rng, GError **error)
{
    return hyperclean_next_batches(&((hyperclean_plugin *)self)->core, rng, error);
}

static blo_tensor *hc_upper(void *self, blo_tensor *x, blo_tensor *y)
{
    return hyperclean_upper(&((hyperclean_plugin *)self)->core, x, y);
}

static blo_tensor *hc_lower(void *self, blo_tensor *x, blo_tensor *y)
{
    return hyperclean_lower(&((hyperclean_plugin *)self)->core, x, y);
}

static blo_tensor *hc_lower_terms(void *self, blo_tensor *y)
{
    return hyperclean_lower_terms(&((hyperclean_plugin *)self)->core, y);
}

static blo_tensor *hc_lower_combine(void *self, blo_tensor *x, blo_tensor *terms)
{
    return hyperclean_lower_combine(&((hyperclean_plugin *)self)->core, x, terms);
}

static gboolean hc_evaluate(void *self, const float *x, const float *y, blo_metrics *m, GError **error)
{
    hyperclean_plugin *p = self;
    hyperclean *hc = &p->core;
    double acc, loss;
    if (!blo_learner_eval_range(p->learner, y, hc->dim_y, hc->test, 0, -1, &acc, NULL, error))
        return FALSE;
    blo_metrics_set(m, "test_accuracy", acc);
    if (!blo_learner_eval_range(p->learner, y, hc->dim_y, hc->val, 0, hc->n_upper, &acc, &loss, error))
        return FALSE;
    blo_metrics_set(m, "val_accuracy", acc);
    blo_metrics_set(m, "F", loss);
    if (hc->n_upper < blo_split_len(hc->val)) {
        if (!blo_learner_eval_range(p->learner, y, hc->dim_y, hc->val, hc->n_upper, -1, &acc, NULL, error))
            return FALSE;
        blo_metrics_set(m, "holdout_accuracy", acc);
    }
    const uint8_t *corrupted = blo_split_find(hc->train, "corrupted") ? blo_split_u8(hc->train, "corrupted", NULL) : NULL;
    if (corrupted) {
        cleaning_scores cs;
        cleaning_scores_compute(x, corrupted, blo_split_len(hc->train), &cs);
        blo_metrics_set(m, "f1", cs.f1);
        blo_metrics_set(m, "precision", cs.precision);
        blo_metrics_set(m, "recall", cs.recall);
    }
    return TRUE;
}

static void hc_destroy(void *self)
{
    hyperclean_clear(&((hyperclean_plugin *)self)->core);
    g_free(self);
}

static const blo_objective_vtable hyperclean_vtable = {
    .struct_size = sizeof(blo_objective_vtable),
    .create = hc_create,
    .setup = hc_setup,
    .init = hc_init,
    .upper = hc_upper,
    .lower = hc_lower,
    .lower_terms = hc_lower_terms,
    .lower_combine = hc_lower_combine,
    .evaluate = hc_evaluate,
    .destroy = hc_destroy,
    .begin_step = hc_begin_step,
};

static const blo_component hyperclean_component = {
    BLO_COMPONENT_HEADER,
    .kind = BLO_KIND_OBJECTIVE,
    .name = "hyperclean",
    .summary = "data hyper-cleaning: per-sample weights sigma(x_i) on noisy labels, CE on clean validation",
    .params = hyperclean_params,
    .vtable = &hyperclean_vtable,
};

BLO_PLUGIN_DEFINE("hyperclean", "1.0.0", "MIT",
                  "Franceschi et al., ICML 2017 (data hyper-cleaning protocol); Liu et al., ICML 2024",
                  "Data hyper-cleaning objective on a labelled dataset and a learner",
                  &hyperclean_component);
