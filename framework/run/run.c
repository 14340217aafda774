/* Assembling a resolved pipeline into a run (see run_internal.h). */
#include "run_private.h"
#include "core/object.h"
#include "ctx_internal.h"
#include "problem_internal.h"
#include "core/common_params.h"
#include "run_folder.h"

#include <string.h>

static const char *node_label(const blo_node *n)
{
    return n->reg->component->name;
}

/* The top-level nodes of one kind. */
static GPtrArray *nodes_of_kind(const blo_pipeline *p, blo_kind kind)
{
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; i < p->nodes->len; i++) {
        blo_node *n = g_ptr_array_index(p->nodes, i);
        if (n->reg->component->kind == kind)
            g_ptr_array_add(out, n);
    }
    return out;
}

/* At most one node of `kind` (exactly one when `required`), or an error
 * naming the extras or the missing kind. */
static gboolean single_node(const blo_pipeline *p, blo_kind kind, gboolean required,
                            const blo_node **out, GError **error)
{
    GPtrArray *found = nodes_of_kind(p, kind);
    gboolean ok = TRUE;
    *out = found->len ? g_ptr_array_index(found, 0) : NULL;
    if (found->len > 1) {
        GString *names = g_string_new(NULL);
        for (guint i = 0; i < found->len; i++)
            g_string_append_printf(names, "%s%s:%s", i ? ", " : "", blo_kind_name(kind),
                                   node_label(g_ptr_array_index(found, i)));
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "the pipeline has %u %s components (%s); it takes %s one",
                    found->len, blo_kind_name(kind), names->str, required ? "exactly" : "at most");
        g_string_free(names, TRUE);
        ok = FALSE;
    } else if (required && found->len == 0) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "the pipeline has no %s; add one (see `blo-host list`)", blo_kind_name(kind));
        ok = FALSE;
    }
    g_ptr_array_free(found, TRUE);
    return ok;
}

/* "kind:name" of a component, for log prefixes and messages. */
static char *component_label(const blo_component *c)
{
    return g_strdup_printf("%s:%s", blo_kind_name(c->kind), c->name);
}

static void set_label(blo_run *run, const blo_component *c)
{
    char *label = component_label(c);
    blo_ctx_set_label(run->ctx, label);
    g_free(label);
}

/* create() errors come back prefixed with kind:name by the object layer. */
static blo_object *instantiate(blo_run *run, const blo_node *node, GError **error)
{
    if (!node)
        return NULL;
    set_label(run, node->reg->component);
    blo_object *o = blo_object_new_from_node(node, run->ctx, error);
    blo_ctx_set_label(run->ctx, NULL);
    return o;
}

static gboolean load_dataset(blo_run *run, GError **error)
{
    const blo_dataset_vtable *vt = blo_object_dataset(run->dataset);
    void *self = blo_object_self(run->dataset);
    set_label(run, blo_object_component(run->dataset));
    gboolean ok = vt->load(self, run->ctx, error);
    blo_ctx_set_label(run->ctx, NULL);
    if (!ok) {
        blo_component_prefix_error(error, blo_object_component(run->dataset), NULL);
        return FALSE;
    }
    /* Field errors name the dataset; the splits are the framework's objects. */
    g_autofree char *owner = g_strdup_printf("dataset:%s", blo_object_component(run->dataset)->name);
    const char *const *names = vt->split_names(self);
    for (int i = 0; names && names[i]; i++) {
        blo_split *s = (blo_split *)vt->split(self, names[i]);
        if (s)
            blo_split_set_owner(s, owner);
    }
    return TRUE;
}

/* Learner: shapes and classes from the dataset's "train" split (if any). */
static int64_t setup_learner(blo_run *run, GError **error)
{
    const blo_split *train = NULL;
    if (run->dataset && !(train = blo_dataset_get_split(run->dataset, "train", error)))
        return -1;
    set_label(run, blo_object_component(run->learner));
    int64_t n = blo_learner_setup_object(run->learner, run->ctx, train, error);
    blo_ctx_set_label(run->ctx, NULL);
    if (n < 0)
        blo_component_prefix_error(error, blo_object_component(run->learner), NULL);
    return n;
}

static gboolean setup_objective(blo_run *run, int64_t learner_params, GError **error)
{
    const blo_objective_vtable *vt = blo_object_objective(run->objective);
    const char *name = blo_object_component(run->objective)->name;
    blo_problem_setup ps = {
        .struct_size = sizeof ps, .ctx = run->ctx, .dataset = run->dataset, .learner = run->learner,
        .dim_x = 0, .dim_y = learner_params > 0 ? learner_params : 0,
    };
    if (!vt->setup(blo_object_self(run->objective), &ps, error))
        return FALSE;
    if (ps.dim_x < 0 || ps.dim_y < 0 || (run->learner && ps.dim_y != learner_params)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_SHAPE,
                    "objective:%s declared dim_x=%" G_GINT64_FORMAT " dim_y=%" G_GINT64_FORMAT
                    "; expected non-negative sizes%s", name, ps.dim_x, ps.dim_y,
                    run->learner ? " and dim_y equal to the learner's parameter count" : "");
        return FALSE;
    }
    run->dim_x = ps.dim_x;
    run->dim_y = ps.dim_y;
    run->upper_ignores_x = ps.upper_ignores_x;
    run->lower_terms_pure = ps.lower_terms_pure;
    run->stochastic = ps.stochastic;
    return TRUE;
}

/* Everything up to a solver ready to step. */
static gboolean assemble(blo_run *run, GError **error)
{
    const blo_pipeline *p = run->pipeline;
    const blo_node *n_dataset, *n_learner, *n_objective, *n_attack;
    if (!single_node(p, BLO_KIND_DATASET, FALSE, &n_dataset, error) ||
        !single_node(p, BLO_KIND_LEARNER, FALSE, &n_learner, error) ||
        !single_node(p, BLO_KIND_OBJECTIVE, FALSE, &n_objective, error) ||
        !single_node(p, BLO_KIND_ATTACK, FALSE, &n_attack, error) ||
        !single_node(p, BLO_KIND_SOLVER, TRUE, &run->solver_node, error))
        return FALSE;

    if (n_dataset && !(run->dataset = instantiate(run, n_dataset, error)))
        return FALSE;
    if (run->dataset && !load_dataset(run, error))
        return FALSE;

    int64_t learner_params = 0;
    if (n_learner) {
        if (!(run->learner = instantiate(run, n_learner, error)))
            return FALSE;
        if ((learner_params = setup_learner(run, error)) < 0)
            return FALSE;
        run->dim_y = learner_params;
    }
    if (n_objective) {
        if (!(run->objective = instantiate(run, n_objective, error)))
            return FALSE;
        if (!setup_objective(run, learner_params, error))
            return FALSE;
    }
    run->x = g_new0(float, run->dim_x > 0 ? run->dim_x : 1);
    run->y = g_new0(float, run->dim_y > 0 ? run->dim_y : 1);
    /* The learner initialises y first; the objective then sets x and may
     * leave y as the learner made it. */
    if (run->learner && !blo_object_learner(run->learner)->init(blo_object_self(run->learner), run->y,
                                                                 blo_ctx_rng(run->ctx), error)) {
        blo_component_prefix_error(error, blo_object_component(run->learner), "init");
        return FALSE;
    }
    if (run->objective) {
        blo_object_objective(run->objective)->init(blo_object_self(run->objective), run->x,
                                                   run->y, blo_ctx_rng(run->ctx));
        run->problem = blo_problem_new(run->objective, run->ctx, run->dim_x, run->dim_y, error);
        if (!run->problem)
            return FALSE;
        blo_problem_set_upper_ignores_x(run->problem, run->upper_ignores_x);
        blo_problem_set_stochastic(run->problem, run->stochastic);
        if (!blo_problem_set_reuse_lower_terms(run->problem, run->lower_terms_pure) && run->lower_terms_pure) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG,
                        "objective:%s declared lower_terms_pure but gives no lower_terms / lower_combine",
                        blo_object_component(run->objective)->name);
            return FALSE;
        }
    }
    /* weights= (every learner has it) replaces the initial y, whoever drew it. */
    const char *weights = run->learner ? blo_params_get_string(blo_object_params(run->learner),
                                                               BLO_COMMON_PARAM_WEIGHTS) : NULL;
    if (weights && weights[0] && !blo_run_load_learner_weights(run, weights, error)) {
        blo_component_prefix_error(error, blo_object_component(run->learner), NULL);
        return FALSE;
    }
    if (n_attack && !(run->attack = instantiate(run, n_attack, error)))
        return FALSE;
    GPtrArray *metric_nodes = nodes_of_kind(p, BLO_KIND_METRIC);
    for (guint i = 0; i < metric_nodes->len; i++) {
        blo_object *m = instantiate(run, g_ptr_array_index(metric_nodes, i), error);
        if (!m) {
            g_ptr_array_free(metric_nodes, TRUE);
            return FALSE;
        }
        g_ptr_array_add(run->metric_objects, m);
    }
    g_ptr_array_free(metric_nodes, TRUE);

    if (!(run->solver = instantiate(run, run->solver_node, error)))
        return FALSE;
    set_label(run, run->solver_node->reg->component);
    gboolean ok = blo_object_solver(run->solver)->init(blo_object_self(run->solver), run, error);
    blo_ctx_set_label(run->ctx, NULL);
    if (!ok)
        blo_component_prefix_error(error, run->solver_node->reg->component, NULL);
    return ok;
}

blo_run *blo_run_new_locked(blo_pipeline *pipeline, const blo_run_options *opts, blo_run_lock *lock,
                            GError **error)
{
    blo_run *run = g_new0(blo_run, 1);
    run->lock = lock;
    run->started_us = g_get_monotonic_time();
    GDateTime *now = g_date_time_new_now_utc();
    run->started_at = g_date_time_format_iso8601(now);
    g_date_time_unref(now);
    run->pipeline = pipeline;
    run->canonical = blo_pipeline_to_string(pipeline);
    run->opts = *opts;
    run->out_dir = g_strdup(opts->out_dir);
    run->opts.out_dir = run->out_dir;
    run->ctx = blo_ctx_new(opts->seed, opts->threads, opts->out_dir);
    blo_set_threads(blo_ctx_threads(run->ctx));
    run->metric_objects = g_ptr_array_new_with_free_func((GDestroyNotify)blo_object_free);
    run->warnings = g_ptr_array_new_with_free_func(g_free);
    if (!assemble(run, error)) {
        blo_run_free(run);
        return NULL;
    }
    return run;
}

/* A fresh run owns its folder: the lock, then (once it is assembled, so a
 * pipeline that cannot start leaves the folder as it was) run.ini. */
blo_run *blo_run_new(blo_pipeline *pipeline, const blo_run_options *opts, GError **error)
{
    blo_run_lock *lock = NULL;
    if (opts->out_dir && !(lock = blo_run_folder_lock(opts->out_dir, error))) {
        blo_pipeline_free(pipeline);
        return NULL;
    }
    blo_run *run = blo_run_new_locked(pipeline, opts, lock, error);
    if (run && run->out_dir) {
        blo_run_identity id;
        blo_run_identity_init(&id, run->canonical, (int64_t)blo_ctx_seed(run->ctx), blo_ctx_threads(run->ctx));
        gboolean ok = blo_run_identity_write(run->out_dir, &id, error);
        blo_run_identity_clear(&id);
        if (!ok) {
            blo_run_free(run);
            return NULL;
        }
    }
    return run;
}

void blo_run_free(blo_run *run)
{
    if (!run)
        return;
    /* Consumers first: the solver may point into the problem and the data. */
    blo_object_free(run->solver);
    g_ptr_array_free(run->metric_objects, TRUE);
    blo_object_free(run->attack);
    blo_problem_free(run->problem);
    blo_object_free(run->objective);
    blo_object_free(run->learner);
    blo_object_free(run->dataset);
    g_free(run->x);
    g_free(run->y);
    blo_metrics_free(run->metrics);
    g_ptr_array_free(run->warnings, TRUE);
    blo_ctx_free(run->ctx);
    blo_pipeline_free(run->pipeline);
    g_free(run->canonical);
    g_free(run->out_dir);
    g_free(run->started_at);
    g_free(run->message);
    blo_run_folder_unlock(run->lock);   /* last: the folder is consistent now */
    g_free(run);
}

/* ---- what a solver or metric can reach (component.h) ---------------------- */

blo_ctx *blo_run_ctx(blo_run *run) { return run->ctx; }
blo_object *blo_run_dataset(blo_run *run) { return run->dataset; }
blo_object *blo_run_learner(blo_run *run) { return run->learner; }
blo_object *blo_run_objective(blo_run *run) { return run->objective; }
blo_object *blo_run_attack(blo_run *run) { return run->attack; }
float *blo_run_x(blo_run *run) { return run->x; }
float *blo_run_y(blo_run *run) { return run->y; }
int64_t blo_run_dim_x(const blo_run *run) { return run->dim_x; }
int64_t blo_run_dim_y(const blo_run *run) { return run->dim_y; }
int64_t blo_run_iteration(const blo_run *run) { return run->iteration; }
const blo_metrics *blo_run_metrics(const blo_run *run) { return run->metrics; }
guint blo_run_n_warnings(const blo_run *run) { return run->warnings->len; }
const char *blo_run_warning(const blo_run *run, guint i) { return g_ptr_array_index(run->warnings, i); }
double blo_run_solver_seconds(const blo_run *run) { return run->solver_s; }

blo_problem *blo_run_problem(blo_run *run, GError **error)
{
    if (!run->problem)
        g_set_error(error, BLO_ERROR, BLO_ERROR_UNSUPPORTED,
                    "the pipeline has no objective, so there is no bi-level problem to solve; "
                    "add an objective:... component");
    return run->problem;
}
