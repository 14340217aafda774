/* The per-kind parameters the framework declares for every component (see common_params.h). */
#include "common_params.h"

static const blo_param_spec no_params[] = { BLO_PARAM_END };

static const blo_param_spec metric_params[] = {
    BLO_PARAM_STRING(BLO_COMMON_PARAM_NAME, "",
                     "result namespace: numbers go to results.json as <name>.<key> "
                     "(default: the component name, -2, -3 ... when repeated in the pipeline)"),
    BLO_PARAM_END
};

static const blo_param_spec learner_params[] = {
    BLO_PARAM_STRING(BLO_COMMON_PARAM_WEIGHTS, "",
                     "start from the weights saved in this file (\"\": the learner's own initialisation)"),
    BLO_PARAM_END
};

const blo_param_spec *blo_common_params(blo_kind kind)
{
    switch (kind) {
    case BLO_KIND_METRIC: return metric_params;
    case BLO_KIND_LEARNER: return learner_params;
    default: return no_params;
    }
}

const blo_param_spec **blo_component_specs(const blo_component *c, size_t *n)
{
    const blo_param_spec *common = blo_common_params(c->kind);
    size_t k = 0;
    for (const blo_param_spec *sp = c->params; sp && sp->name; sp++)
        k++;
    for (const blo_param_spec *sp = common; sp->name; sp++)
        k++;
    const blo_param_spec **out = g_new0(const blo_param_spec *, k + 1);
    size_t i = 0;
    for (const blo_param_spec *sp = c->params; sp && sp->name; sp++)
        out[i++] = sp;
    /* A component declaring a common key was refused at load; keep its own
     * spec if one slips through (a component built in a test, say). */
    for (const blo_param_spec *sp = common; sp->name; sp++)
        if (!blo_param_spec_find(c->params, sp->name))
            out[i++] = sp;
    *n = i;
    return out;
}
