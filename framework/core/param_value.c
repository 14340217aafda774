/* One parameter value: text -> typed value (with type and range checks), and
 * typed value -> canonical text. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include "params_private.h"

void blo_format_double(char *buf, size_t len, double d)
{
    /* Integral values print without exponent: "1000", not "1e+03". */
    if (d == floor(d) && fabs(d) < 1e15) {
        g_snprintf(buf, len, "%.0f", d);
        if (strcmp(buf, "-0") == 0 && !signbit(d))
            g_strlcpy(buf, "0", len);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        char fmt[8];
        g_snprintf(fmt, sizeof fmt, "%%.%dg", prec);
        g_ascii_formatd(buf, (int)len, fmt, d);
        if (g_ascii_strtod(buf, NULL) == d)
            return;
    }
}

void blo_append_word(GString *s, const char *word)
{
    gboolean plain = word[0] != '\0';
    for (const char *c = word; *c && plain; c++)
        plain = blo_is_word_char(*c);
    if (plain) {
        g_string_append(s, word);
        return;
    }
    g_string_append_c(s, '"');
    for (const char *c = word; *c; c++) {
        if (*c == '"' || *c == '\\')
            g_string_append_c(s, '\\');
        g_string_append_c(s, *c);
    }
    g_string_append_c(s, '"');
}

void blo_param_value_clear(blo_param_value *v)
{
    g_clear_pointer(&v->str, g_free);
    g_clear_pointer(&v->list_num, g_array_unref);
    g_clear_pointer(&v->list_str, g_ptr_array_unref);
    g_clear_pointer(&v->node, blo_node_unref);
}

/* "an integer in [1, 100]" / "a number in [0, 1e+06]" */
static char *describe_range(blo_param_type t, double lo, double hi)
{
    char a[40], b[40];
    blo_format_double(a, sizeof a, lo);
    blo_format_double(b, sizeof b, hi);
    return g_strdup_printf("%s in [%s, %s]", t == BLO_PARAM_TYPE_INT ? "an integer" : "a number", a, b);
}

/* Parse one number of type t (DOUBLE or INT) and check it against [lo, hi].
 * On failure sets error with the prefix already given by the caller. */
static gboolean parse_number(const char *text, blo_param_type t, double lo, double hi,
                             double *num, int64_t *inum, const char *prefix, GError **error)
{
    char *end = NULL;
    gboolean syntax_ok = FALSE, in_range = FALSE;
    errno = 0;
    if (t == BLO_PARAM_TYPE_INT) {
        gint64 i = g_ascii_strtoll(text, &end, 10);
        syntax_ok = end != text && *end == '\0';
        in_range = syntax_ok && errno != ERANGE && (double)i >= lo && (double)i <= hi;
        if (inum)
            *inum = i;
        if (num)
            *num = (double)i;
    } else {
        double d = g_ascii_strtod(text, &end);
        syntax_ok = end != text && *end == '\0' && !isnan(d);
        in_range = syntax_ok && d >= lo && d <= hi;
        if (num)
            *num = d;
    }
    if (syntax_ok && in_range)
        return TRUE;
    char *want = describe_range(t, lo, hi);
    g_set_error(error, BLO_ERROR, syntax_ok ? BLO_ERROR_RANGE : BLO_ERROR_TYPE,
                "%s%s %s", prefix, syntax_ok ? "out of range, expected" : "expected", want);
    g_free(want);
    return FALSE;
}

static gboolean parse_bool(const char *t, double *out)
{
    static const char *const yes[] = { "true", "yes", "1", "on" };
    static const char *const no[] = { "false", "no", "0", "off" };
    for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (g_ascii_strcasecmp(t, yes[i]) == 0) { *out = 1.0; return TRUE; }
        if (g_ascii_strcasecmp(t, no[i]) == 0) { *out = 0.0; return TRUE; }
    }
    return FALSE;
}

static gboolean parse_list(blo_param_value *out, const blo_param_spec *spec, const char *text,
                           const char *prefix, GError **error)
{
    if (spec->elem_type == BLO_PARAM_TYPE_STRING)
        out->list_str = g_ptr_array_new_with_free_func(g_free);
    else
        out->list_num = g_array_new(FALSE, FALSE, sizeof(double));
    if (text[0] == '\0')
        return TRUE;
    char **items = g_strsplit(text, ",", -1);
    gboolean ok = TRUE;
    for (char **it = items; *it && ok; it++) {
        if (out->list_str) {
            g_ptr_array_add(out->list_str, g_strdup(*it));
            continue;
        }
        double d = 0;
        char *elem_prefix = g_strdup_printf("%selement '%s': ", prefix, *it);
        ok = parse_number(*it, spec->elem_type, spec->min_num, spec->max_num, &d, NULL, elem_prefix, error);
        g_free(elem_prefix);
        if (ok)
            g_array_append_val(out->list_num, d);
    }
    g_strfreev(items);
    return ok;
}

static gboolean check_node_kind(const blo_param_spec *spec, const blo_node *node, const char *prefix,
                                GError **error)
{
    blo_kind k;
    if (blo_kind_from_name(node->kind_name, &k) && k == spec->component_kind)
        return TRUE;
    g_set_error(error, BLO_ERROR, BLO_ERROR_TYPE, "%sexpected a component of kind %s, got '%s:%s'", prefix,
                blo_kind_name(spec->component_kind), node->kind_name, node->name);
    return FALSE;
}

gboolean blo_param_value_set_node(blo_param_value *out, const blo_param_spec *spec, blo_node *node,
                                  const blo_registry *r, const char *label, int depth, GError **error)
{
    char *prefix = g_strdup_printf("%s: %s: ", label, spec->name);
    gboolean ok = check_node_kind(spec, node, prefix, error) &&
                  blo_node_resolve_depth(node, r, depth + 1, error);
    if (!ok && error && *error && !g_str_has_prefix((*error)->message, prefix))
        g_prefix_error(error, "%s", prefix);
    g_free(prefix);
    if (ok)
        out->node = blo_node_ref(node);
    return ok;
}

/* A component written as a word: "" is none, "pgd" is "attack:pgd", and
 * "attack:pgd eps=0.1" (e.g. a default) is one element of the grammar. */
static gboolean parse_component(blo_param_value *out, const blo_param_spec *spec, const char *text,
                                const blo_registry *r, const char *label, const char *prefix,
                                int depth, GError **error)
{
    if (text[0] == '\0')
        return TRUE;
    char *full = strchr(text, ':') ? g_strdup(text)
                                   : g_strdup_printf("%s:%s", blo_kind_name(spec->component_kind), text);
    GError *err = NULL;
    blo_pipeline *p = blo_pipeline_parse(full, &err);
    g_free(full);
    if (p && p->nodes->len != 1) {
        g_set_error(&err, BLO_ERROR, BLO_ERROR_PARSE, "a component value holds one element, not %u",
                    p->nodes->len);
    }
    gboolean ok = err == NULL &&
                  blo_param_value_set_node(out, spec, g_ptr_array_index(p->nodes, 0), r, label, depth, &err);
    blo_pipeline_free(p);
    if (!ok) {
        if (!g_str_has_prefix(err->message, label))
            g_prefix_error(&err, "%s", prefix);
        g_propagate_error(error, err);
    }
    return ok;
}

gboolean blo_param_value_parse(blo_param_value *out, const blo_param_spec *spec, const char *text,
                               const blo_registry *r, const char *label, int depth, GError **error)
{
    out->spec = spec;
    char *prefix = g_strdup_printf("%s: %s=%s: ", label, spec->name, text);
    gboolean ok = TRUE;
    switch (spec->type) {
    case BLO_PARAM_TYPE_DOUBLE:
    case BLO_PARAM_TYPE_INT:
        ok = parse_number(text, spec->type, spec->min_num, spec->max_num, &out->num, &out->i, prefix, error);
        break;
    case BLO_PARAM_TYPE_BOOL:
        ok = parse_bool(text, &out->num);
        if (!ok)
            g_set_error(error, BLO_ERROR, BLO_ERROR_TYPE, "%sexpected a boolean (true/false, yes/no, 1/0)", prefix);
        break;
    case BLO_PARAM_TYPE_STRING:
        out->str = g_strdup(text);
        break;
    case BLO_PARAM_TYPE_ENUM:
        ok = spec->choices && g_strv_contains((const char *const *)spec->choices, text);
        if (ok) {
            out->str = g_strdup(text);
        } else {
            char *all = spec->choices ? g_strjoinv(", ", (char **)spec->choices) : g_strdup("");
            g_set_error(error, BLO_ERROR, BLO_ERROR_TYPE, "%sexpected one of: %s", prefix, all);
            g_free(all);
        }
        break;
    case BLO_PARAM_TYPE_LIST:
        ok = parse_list(out, spec, text, prefix, error);
        break;
    case BLO_PARAM_TYPE_COMPONENT:
        ok = parse_component(out, spec, text, r, label, prefix, depth, error);
        break;
    default:
        ok = FALSE;
        g_set_error(error, BLO_ERROR, BLO_ERROR_TYPE, "%sparameter has an invalid type", prefix);
    }
    g_free(prefix);
    return ok;
}

static void append_list(GString *s, const blo_param_value *v)
{
    GString *joined = g_string_new(NULL);
    size_t n = v->list_num ? v->list_num->len : v->list_str->len;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            g_string_append_c(joined, ',');
        if (v->list_str) {
            g_string_append(joined, g_ptr_array_index(v->list_str, i));
        } else {
            char buf[40];
            blo_format_double(buf, sizeof buf, g_array_index(v->list_num, double, i));
            g_string_append(joined, buf);
        }
    }
    blo_append_word(s, joined->str);
    g_string_free(joined, TRUE);
}

void blo_param_value_append(GString *s, const blo_param_value *v)
{
    char buf[40];
    switch (v->spec->type) {
    case BLO_PARAM_TYPE_DOUBLE:
        blo_format_double(buf, sizeof buf, v->num);
        g_string_append(s, buf);
        break;
    case BLO_PARAM_TYPE_INT:
        g_string_append_printf(s, "%" PRId64, v->i);
        break;
    case BLO_PARAM_TYPE_BOOL:
        g_string_append(s, v->num != 0.0 ? "true" : "false");
        break;
    case BLO_PARAM_TYPE_STRING:
    case BLO_PARAM_TYPE_ENUM:
        blo_append_word(s, v->str ? v->str : "");
        break;
    case BLO_PARAM_TYPE_LIST:
        append_list(s, v);
        break;
    case BLO_PARAM_TYPE_COMPONENT:
        if (v->node == NULL) {
            g_string_append(s, "\"\"");
        } else {
            char *inner = blo_node_to_string(v->node);
            g_string_append_printf(s, "[ %s ]", inner);
            g_free(inner);
        }
        break;
    }
}

gboolean blo_param_value_equal(const blo_param_value *a, const blo_param_value *b)
{
    switch (a->spec->type) {
    case BLO_PARAM_TYPE_DOUBLE:
    case BLO_PARAM_TYPE_BOOL:
        return a->num == b->num;
    case BLO_PARAM_TYPE_INT:
        return a->i == b->i;
    case BLO_PARAM_TYPE_STRING:
    case BLO_PARAM_TYPE_ENUM:
        return g_strcmp0(a->str, b->str) == 0;
    case BLO_PARAM_TYPE_LIST:
        if ((a->list_num == NULL) != (b->list_num == NULL))
            return FALSE;
        if (a->list_num) {
            if (a->list_num->len != b->list_num->len)
                return FALSE;
            for (guint i = 0; i < a->list_num->len; i++)
                if (g_array_index(a->list_num, double, i) != g_array_index(b->list_num, double, i))
                    return FALSE;
            return TRUE;
        }
        if (a->list_str->len != b->list_str->len)
            return FALSE;
        for (guint i = 0; i < a->list_str->len; i++)
            if (strcmp(g_ptr_array_index(a->list_str, i), g_ptr_array_index(b->list_str, i)) != 0)
                return FALSE;
        return TRUE;
    case BLO_PARAM_TYPE_COMPONENT:
        if (a->node == NULL || b->node == NULL)
            return a->node == b->node;
        return blo_node_equal(a->node, b->node);
    }
    return FALSE;
}
