/* blo-host info NAME: a component's plugin, its parameters and a dataset's fields. */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "core/params_private.h"
#include "core/common_params.h"

/* "[1, 1000]", "one of: a, b", "component of kind solver", or "". */
static char *describe_constraint(const blo_param_spec *p)
{
    char lo[40], hi[40];
    blo_format_double(lo, sizeof lo, p->min_num);
    blo_format_double(hi, sizeof hi, p->max_num);
    switch (p->type) {
    case BLO_PARAM_TYPE_DOUBLE:
    case BLO_PARAM_TYPE_INT:
        return g_strdup_printf("[%s, %s]", lo, hi);
    case BLO_PARAM_TYPE_ENUM:
        return g_strjoinv("|", (char **)p->choices);
    case BLO_PARAM_TYPE_LIST:
        if (p->elem_type == BLO_PARAM_TYPE_STRING)
            return g_strdup("");
        return g_strdup_printf("each in [%s, %s]", lo, hi);
    case BLO_PARAM_TYPE_COMPONENT:
        return g_strdup_printf("any %s", blo_kind_name(p->component_kind));
    default:
        return g_strdup("");
    }
}

static char *describe_type(const blo_param_spec *p)
{
    if (p->type == BLO_PARAM_TYPE_LIST)
        return g_strdup_printf("list<%s>", blo_param_type_name(p->elem_type));
    return g_strdup(blo_param_type_name(p->type));
}

/* The declared default as written, for when it does not resolve (e.g. a
 * default component from a plugin that is not loaded). */
static void describe_raw_default(GString *s, const blo_param_spec *p)
{
    if (p->type == BLO_PARAM_TYPE_DOUBLE || p->type == BLO_PARAM_TYPE_INT) {
        char buf[40];
        blo_format_double(buf, sizeof buf, p->def_num);
        g_string_append(s, buf);
    } else if (p->type == BLO_PARAM_TYPE_BOOL) {
        g_string_append(s, p->def_num != 0.0 ? "true" : "false");
    } else {
        blo_append_word(s, p->def_str ? p->def_str : "");
    }
}

static void print_params(const blo_registered *e, const blo_params *defaults)
{
    /* The component's own parameters, then the ones every component of its kind takes. */
    size_t n_specs;
    const blo_param_spec **specs = blo_component_specs(e->component, &n_specs);
    int n = (int)n_specs;
    if (n == 0) {
        printf("parameters: none\n");
        g_free(specs);
        return;
    }
    char **cells = g_new0(char *, 4 * n);
    int w[4] = { 4, 4, 7, 5 }; /* the header words */
    for (int i = 0; i < n; i++) {
        GString *def = g_string_new(NULL);
        if (specs[i]->type == BLO_PARAM_TYPE_COMPONENT) /* as declared: the expansion is long */
            g_string_append(def, specs[i]->def_str && specs[i]->def_str[0] ? specs[i]->def_str : "none");
        else if (defaults)
            blo_param_value_append(def, &defaults->v[i]);
        else
            describe_raw_default(def, specs[i]);
        cells[4 * i] = g_strdup(specs[i]->name);
        cells[4 * i + 1] = describe_type(specs[i]);
        cells[4 * i + 2] = g_string_free(def, FALSE);
        cells[4 * i + 3] = describe_constraint(specs[i]);
        for (int c = 0; c < 4; c++)
            w[c] = MAX(w[c], (int)strlen(cells[4 * i + c]));
    }
    printf("parameters:\n  %-*s  %-*s  %-*s  %-*s  %s\n", w[0], "name", w[1], "type", w[2], "default", w[3],
           "range", "description");
    for (int i = 0; i < n; i++)
        printf("  %-*s  %-*s  %-*s  %-*s  %s\n", w[0], cells[4 * i], w[1], cells[4 * i + 1], w[2],
               cells[4 * i + 2], w[3], cells[4 * i + 3], specs[i]->doc ? specs[i]->doc : "");
    for (int i = 0; i < 4 * n; i++)
        g_free(cells[i]);
    g_free(cells);
    g_free(specs);
}

/* A dataset's declared fields (blo_dataset_vtable.field_docs), one row each. */
static void print_fields(const blo_component *c)
{
    const blo_dataset_vtable *vt = c->vtable;
    if (c->kind != BLO_KIND_DATASET || !vt)
        return;
    const blo_field_doc *d = BLO_STRUCT_HAS(vt, blo_dataset_vtable, field_docs) ? vt->field_docs : NULL;
    if (!d || !d->name) {
        printf("fields: not declared\n");
        return;
    }
    int w[4] = { 4, 5, 6, 5 }; /* the header words */
    for (const blo_field_doc *f = d; f->name; f++) {
        w[0] = MAX(w[0], (int)strlen(f->name));
        w[1] = MAX(w[1], (int)strlen(blo_dtype_name(f->dtype)));
        w[2] = MAX(w[2], (int)strlen(f->splits ? f->splits : ""));
        w[3] = MAX(w[3], (int)strlen(f->shape ? f->shape : ""));
    }
    printf("fields:\n  %-*s  %-*s  %-*s  %-*s  %s\n", w[0], "name", w[1], "dtype", w[2], "splits", w[3], "shape",
           "description");
    for (const blo_field_doc *f = d; f->name; f++)
        printf("  %-*s  %-*s  %-*s  %-*s  %s\n", w[0], f->name, w[1], blo_dtype_name(f->dtype), w[2],
               f->splits ? f->splits : "", w[3], f->shape ? f->shape : "", f->doc ? f->doc : "");
}

int blo_cmd_info(blo_registry *r, int argc, char **argv)
{
    if (argc != 2) {
        blo_host_error("usage: blo-host info NAME (kind:name or a unique name)");
        return BLO_EXIT_USAGE;
    }
    GError *err = NULL;
    const blo_registered *e = blo_registry_lookup(r, argv[1], &err);
    if (e == NULL) {
        blo_host_error("%s", err->message);
        g_error_free(err);
        return BLO_EXIT_USAGE;
    }
    char *label = g_strdup_printf("%s:%s", blo_kind_name(e->component->kind), e->component->name);
    blo_params *defaults = blo_params_new_defaults(e->component, r, label, &err);
    const blo_plugin_entry *pl = e->plugin;
    printf("%s\n", label);
    printf("  summary:  %s\n", e->component->summary ? e->component->summary : "");
    printf("  plugin:   %s %s (%s)  %s\n", pl->name, pl->version ? pl->version : "?",
           pl->license ? pl->license : "?", e->path);
    printf("  about:    %s\n", pl->description ? pl->description : "");
    printf("  paper:    %s\n", pl->paper && pl->paper[0] ? pl->paper : "-");
    print_params(e, defaults);
    print_fields(e->component);
    int rc = BLO_EXIT_OK;
    if (defaults == NULL) {
        blo_host_error("warning: the defaults do not resolve: %s", err->message);
        g_error_free(err);
        rc = BLO_EXIT_FAILED;
    }
    blo_params_free(defaults);
    g_free(label);
    return rc;
}
