/* blo_object: one instance of a component (any kind) with its parameters. */
#include <string.h>
#include "object.h"

struct blo_object {
    const blo_registered *reg;
    blo_params *params;   /* own reference */
    void *self;           /* what create() returned */
    blo_learner_setup *learner_setup;   /* learners: what setup() declared */
};

/* Every vtable starts with struct_size and create (component.h); destroy
 * sits at a kind-specific place. */
typedef struct {
    size_t struct_size;
    void *(*create)(const blo_params *params, blo_ctx *ctx, GError **error);
} vtable_head;

static void (*destroy_fn(const blo_component *c))(void *)
{
    switch (c->kind) {
    case BLO_KIND_DATASET: return ((const blo_dataset_vtable *)c->vtable)->destroy;
    case BLO_KIND_LEARNER: return ((const blo_learner_vtable *)c->vtable)->destroy;
    case BLO_KIND_OBJECTIVE: return ((const blo_objective_vtable *)c->vtable)->destroy;
    case BLO_KIND_SOLVER: return ((const blo_solver_vtable *)c->vtable)->destroy;
    case BLO_KIND_ATTACK: return ((const blo_attack_vtable *)c->vtable)->destroy;
    case BLO_KIND_METRIC: return ((const blo_metric_vtable *)c->vtable)->destroy;
    case BLO_KIND_LOSS: return ((const blo_loss_vtable *)c->vtable)->destroy;
    default: return NULL;
    }
}

void blo_component_prefix_error(GError **error, const blo_component *c, const char *what)
{
    if (error == NULL || *error == NULL)
        return;
    char *label = g_strdup_printf("%s:%s", blo_kind_name(c->kind), c->name);
    const char *msg = (*error)->message;
    size_t n = strlen(label);
    /* "solver:x: ...", "solver:x needs ..." or just "solver:x" name it already. */
    gboolean named = strncmp(msg, label, n) == 0 && (msg[n] == '\0' || msg[n] == ':' || msg[n] == ' ');
    if (!named) {
        g_prefix_error(error, "%s: %s%s", label, what ? what : "", what ? ": " : "");
    } else if (what) {
        const char *rest = msg + n + (msg[n] == ':');
        rest += *rest == ' ';
        char *text = g_strdup_printf("%s: %s: %s", label, what, rest);
        g_free((*error)->message);
        (*error)->message = text;
    }
    g_free(label);
}

blo_object *blo_object_new(const blo_registered *reg, blo_params *params, blo_ctx *ctx, GError **error)
{
    g_return_val_if_fail(reg != NULL && params != NULL, NULL);
    const blo_component *c = reg->component;
    const vtable_head *vt = c->vtable;
    GError *err = NULL;
    void *self = vt->create(params, ctx, &err);
    if (self == NULL) {
        if (err == NULL)
            g_set_error(&err, BLO_ERROR, BLO_ERROR_FAILED, "create() failed without a reason");
        blo_component_prefix_error(&err, c, NULL);
        g_propagate_error(error, err);
        return NULL;
    }
    if (err != NULL) /* a component that set an error but still succeeded */
        g_error_free(err);
    blo_object *o = g_new0(blo_object, 1);
    o->reg = reg;
    o->params = blo_params_ref(params);
    o->self = self;
    return o;
}

blo_object *blo_object_new_from_node(const blo_node *node, blo_ctx *ctx, GError **error)
{
    g_return_val_if_fail(node != NULL, NULL);
    if (node->reg == NULL || node->params == NULL) {
        /* An unresolved node: resolve it against the process-wide registry. */
        blo_registry *r = blo_registry_get_default();
        if (r == NULL) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "%s:%s: not resolved and no default registry set",
                        node->kind_name, node->name);
            return NULL;
        }
        if (!blo_node_resolve((blo_node *)node, r, error))
            return NULL;
    }
    return blo_object_new(node->reg, node->params, ctx, error);
}

void blo_object_free(blo_object *o)
{
    if (o == NULL)
        return;
    void (*destroy)(void *) = destroy_fn(o->reg->component);
    if (destroy)
        destroy(o->self);
    blo_params_free(o->params);
    g_free(o->learner_setup);
    g_free(o);
}

const blo_component *blo_object_component(const blo_object *o)
{
    return o ? o->reg->component : NULL;
}

void *blo_object_self(const blo_object *o)
{
    return o ? o->self : NULL;
}

const blo_params *blo_object_params(const blo_object *o)
{
    return o ? o->params : NULL;
}

static const void *vtable_of(const blo_object *o, blo_kind kind)
{
    if (o == NULL || o->reg->component->kind != kind)
        return NULL;
    return o->reg->component->vtable;
}

const blo_dataset_vtable *blo_object_dataset(const blo_object *o) { return vtable_of(o, BLO_KIND_DATASET); }
const blo_learner_vtable *blo_object_learner(const blo_object *o) { return vtable_of(o, BLO_KIND_LEARNER); }
const blo_objective_vtable *blo_object_objective(const blo_object *o) { return vtable_of(o, BLO_KIND_OBJECTIVE); }
const blo_solver_vtable *blo_object_solver(const blo_object *o) { return vtable_of(o, BLO_KIND_SOLVER); }
const blo_attack_vtable *blo_object_attack(const blo_object *o) { return vtable_of(o, BLO_KIND_ATTACK); }
const blo_metric_vtable *blo_object_metric(const blo_object *o) { return vtable_of(o, BLO_KIND_METRIC); }
const blo_loss_vtable *blo_object_loss(const blo_object *o) { return vtable_of(o, BLO_KIND_LOSS); }

const blo_learner_setup *blo_learner_info(const blo_object *o)
{
    return o ? o->learner_setup : NULL;
}

int64_t blo_learner_setup_object(blo_object *o, blo_ctx *ctx, const blo_split *train, GError **error)
{
    const blo_learner_vtable *vt = blo_object_learner(o);
    g_return_val_if_fail(vt != NULL, -1);
    blo_learner_setup *ls = g_new0(blo_learner_setup, 1);
    *ls = (blo_learner_setup){ .struct_size = sizeof *ls, .ctx = ctx, .train = train };
    GError *err = NULL;
    if (!vt->setup(o->self, ls, &err) || ls->n_params < 0 || ls->n_inputs < 0 || ls->n_inputs > BLO_MAX_INPUTS) {
        if (!err)
            g_set_error(&err, BLO_ERROR, BLO_ERROR_FAILED, "setup declared %" G_GINT64_FORMAT " parameters and %d inputs",
                        ls->n_params, ls->n_inputs);
        g_propagate_error(error, err);
        g_free(ls);
        return -1;
    }
    g_free(o->learner_setup);
    o->learner_setup = ls;
    return ls->n_params;
}

const blo_split *blo_dataset_get_split(blo_object *dataset, const char *name, GError **error)
{
    const blo_dataset_vtable *vt = blo_object_dataset(dataset);
    if (vt == NULL) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "blo_dataset_get_split: '%s' is not a dataset",
                    dataset ? dataset->reg->component->name : "(null)");
        return NULL;
    }
    const blo_split *s = vt->split ? vt->split(dataset->self, name) : NULL;
    if (s != NULL)
        return s;
    const char *const *names = vt->split_names ? vt->split_names(dataset->self) : NULL;
    char *all = names ? g_strjoinv(", ", (char **)names) : g_strdup("");
    g_set_error(error, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME, "dataset:%s has no split '%s'; its splits are: %s",
                dataset->reg->component->name, name, all[0] ? all : "(none)");
    g_free(all);
    return NULL;
}
