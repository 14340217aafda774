/* blo_params: storage, reference counting and the typed getters of params.h. */
#include <string.h>
#include "params_private.h"

blo_params *blo_params_ref(blo_params *p)
{
    if (p)
        g_atomic_int_inc(&p->ref_count);
    return p;
}

void blo_params_free(blo_params *p)
{
    if (p == NULL || !g_atomic_int_dec_and_test(&p->ref_count))
        return;
    for (size_t i = 0; i < p->n; i++)
        blo_param_value_clear(&p->v[i]);
    g_free(p->v);
    g_free(p->label);
    g_free(p);
}

const char *blo_params_label(const blo_params *p)
{
    return p ? p->label : "";
}

/* The value of `name`, or NULL with a critical warning when the name is not
 * declared or the caller expects another type (a programming error). */
static const blo_param_value *lookup(const blo_params *p, const char *name, int want_type)
{
    if (p == NULL || name == NULL) {
        g_critical("blo_params: NULL params or name");
        return NULL;
    }
    for (size_t i = 0; i < p->n; i++) {
        const blo_param_value *v = &p->v[i];
        if (strcmp(v->spec->name, name) != 0)
            continue;
        if (want_type >= 0 && (int)v->spec->type != want_type) {
            g_critical("%s: parameter '%s' is a %s, not a %s", p->label, name,
                       blo_param_type_name(v->spec->type), blo_param_type_name((blo_param_type)want_type));
            return NULL;
        }
        return v;
    }
    g_critical("%s: no parameter named '%s'", p->label, name);
    return NULL;
}

double blo_params_get_double(const blo_params *p, const char *name)
{
    const blo_param_value *v = lookup(p, name, BLO_PARAM_TYPE_DOUBLE);
    return v ? v->num : 0.0;
}

int64_t blo_params_get_int(const blo_params *p, const char *name)
{
    const blo_param_value *v = lookup(p, name, BLO_PARAM_TYPE_INT);
    return v ? v->i : 0;
}

gboolean blo_params_get_bool(const blo_params *p, const char *name)
{
    const blo_param_value *v = lookup(p, name, BLO_PARAM_TYPE_BOOL);
    return v ? v->num != 0.0 : FALSE;
}

const char *blo_params_get_string(const blo_params *p, const char *name)
{
    const blo_param_value *v = lookup(p, name, -1);
    if (v == NULL)
        return NULL;
    if (v->spec->type != BLO_PARAM_TYPE_STRING && v->spec->type != BLO_PARAM_TYPE_ENUM) {
        g_critical("%s: parameter '%s' is a %s, not a string or enum", p->label, name,
                   blo_param_type_name(v->spec->type));
        return NULL;
    }
    return v->str;
}

size_t blo_params_list_len(const blo_params *p, const char *name)
{
    const blo_param_value *v = lookup(p, name, BLO_PARAM_TYPE_LIST);
    if (v == NULL)
        return 0;
    return v->list_num ? v->list_num->len : v->list_str->len;
}

double blo_params_list_double(const blo_params *p, const char *name, size_t i)
{
    const blo_param_value *v = lookup(p, name, BLO_PARAM_TYPE_LIST);
    if (v == NULL)
        return 0.0;
    if (v->list_num == NULL || i >= v->list_num->len) {
        g_critical("%s: %s[%zu] is not a number in the list", p->label, name, i);
        return 0.0;
    }
    return g_array_index(v->list_num, double, i);
}

const char *blo_params_list_string(const blo_params *p, const char *name, size_t i)
{
    const blo_param_value *v = lookup(p, name, BLO_PARAM_TYPE_LIST);
    if (v == NULL)
        return NULL;
    if (v->list_str == NULL || i >= v->list_str->len) {
        g_critical("%s: %s[%zu] is not a string in the list", p->label, name, i);
        return NULL;
    }
    return g_ptr_array_index(v->list_str, i);
}

const blo_node *blo_params_get_component(const blo_params *p, const char *name)
{
    const blo_param_value *v = lookup(p, name, BLO_PARAM_TYPE_COMPONENT);
    return v ? v->node : NULL;
}

gboolean blo_params_is_set(const blo_params *p, const char *name)
{
    const blo_param_value *v = lookup(p, name, -1);
    return v ? v->set : FALSE;
}

gboolean blo_params_equal(const blo_params *a, const blo_params *b)
{
    if (a == b)
        return TRUE;
    if (a == NULL || b == NULL || a->n != b->n)
        return FALSE;
    for (size_t i = 0; i < a->n; i++) {
        if (strcmp(a->v[i].spec->name, b->v[i].spec->name) != 0 ||
            a->v[i].spec->type != b->v[i].spec->type ||
            !blo_param_value_equal(&a->v[i], &b->v[i]))
            return FALSE;
    }
    return TRUE;
}

char *blo_params_to_string(const blo_params *p)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; p && i < p->n; i++) {
        if (i > 0)
            g_string_append_c(s, ' ');
        g_string_append_printf(s, "%s=", p->v[i].spec->name);
        blo_param_value_append(s, &p->v[i]);
    }
    return g_string_free(s, FALSE);
}
