/* Names of component kinds and parameter types, and spec lookup. */
#include <string.h>
#include <blo/params.h>

static const char *const kind_names[BLO_KIND_COUNT] = {
    [BLO_KIND_DATASET] = "dataset",
    [BLO_KIND_LEARNER] = "learner",
    [BLO_KIND_OBJECTIVE] = "objective",
    [BLO_KIND_SOLVER] = "solver",
    [BLO_KIND_ATTACK] = "attack",
    [BLO_KIND_METRIC] = "metric",
    [BLO_KIND_LOSS] = "loss",
};

const char *blo_kind_name(blo_kind k)
{
    if ((unsigned)k >= BLO_KIND_COUNT)
        return "invalid-kind";
    return kind_names[k];
}

gboolean blo_kind_from_name(const char *s, blo_kind *out)
{
    if (s == NULL)
        return FALSE;
    for (int k = 0; k < BLO_KIND_COUNT; k++) {
        if (strcmp(s, kind_names[k]) == 0) {
            if (out)
                *out = (blo_kind)k;
            return TRUE;
        }
    }
    return FALSE;
}

const char *blo_param_type_name(blo_param_type t)
{
    switch (t) {
    case BLO_PARAM_TYPE_DOUBLE: return "double";
    case BLO_PARAM_TYPE_INT: return "int";
    case BLO_PARAM_TYPE_BOOL: return "bool";
    case BLO_PARAM_TYPE_STRING: return "string";
    case BLO_PARAM_TYPE_ENUM: return "enum";
    case BLO_PARAM_TYPE_LIST: return "list";
    case BLO_PARAM_TYPE_COMPONENT: return "component";
    }
    return "invalid-type";
}

const blo_param_spec *blo_param_spec_find(const blo_param_spec *specs, const char *name)
{
    if (specs == NULL || name == NULL)
        return NULL;
    for (const blo_param_spec *s = specs; s->name != NULL; s++)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}
