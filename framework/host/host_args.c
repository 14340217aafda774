/* argv handling shared by blo-host commands: options anywhere, the rest is the pipeline. */
#include <stdio.h>
#include <string.h>
#include "commands.h"

void blo_host_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_printerr("blo-host: %s\n", msg);
    g_free(msg);
}

static void option_free(gpointer p)
{
    blo_host_option *o = p;
    g_free(o->name);
    g_free(o->value);
    g_free(o);
}

gboolean blo_host_args_split(int argc, char **argv, int first, const char *const *value_opts,
                             blo_host_args *out, GError **error)
{
    out->options = g_ptr_array_new_with_free_func(option_free);
    out->pipeline = g_ptr_array_new_with_free_func(g_free);
    for (int i = first; i < argc; i++) {
        if (!g_str_has_prefix(argv[i], "--")) {
            g_ptr_array_add(out->pipeline, g_strdup(argv[i]));
            continue;
        }
        blo_host_option *o = g_new0(blo_host_option, 1);
        const char *eq = strchr(argv[i], '=');
        o->name = eq ? g_strndup(argv[i], eq - argv[i]) : g_strdup(argv[i]);
        gboolean takes_value = value_opts && g_strv_contains(value_opts, o->name);
        if (eq) {
            o->value = g_strdup(eq + 1);
        } else if (takes_value) {
            if (i + 1 >= argc) {
                g_set_error(error, BLO_ERROR, BLO_ERROR_INVALID_ARG, "option %s needs a value", o->name);
                option_free(o);
                return FALSE;
            }
            o->value = g_strdup(argv[++i]);
        }
        g_ptr_array_add(out->options, o);
    }
    return TRUE;
}

void blo_host_args_clear(blo_host_args *a)
{
    g_clear_pointer(&a->options, g_ptr_array_unref);
    g_clear_pointer(&a->pipeline, g_ptr_array_unref);
}

const char *blo_host_args_get(const blo_host_args *a, const char *name)
{
    for (guint i = a->options->len; i-- > 0;) {
        const blo_host_option *o = g_ptr_array_index(a->options, i);
        if (strcmp(o->name, name) == 0)
            return o->value ? o->value : "";
    }
    return NULL;
}

const char *blo_host_args_unknown(const blo_host_args *a, const char *const *known, const char *const *known2)
{
    for (guint i = 0; i < a->options->len; i++) {
        const blo_host_option *o = g_ptr_array_index(a->options, i);
        if (!(known && g_strv_contains(known, o->name)) && !(known2 && g_strv_contains(known2, o->name)))
            return o->name;
    }
    return NULL;
}

blo_pipeline *blo_host_args_pipeline(const blo_host_args *a, GError **error)
{
    if (a->pipeline->len == 0) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_PARSE, "no pipeline given");
        return NULL;
    }
    if (a->pipeline->len == 1) {
        const char *one = g_ptr_array_index(a->pipeline, 0);
        if (g_str_has_suffix(one, ".blo") || g_file_test(one, G_FILE_TEST_IS_REGULAR))
            return blo_pipeline_parse_file(one, error);
        return blo_pipeline_parse(one, error);
    }
    return blo_pipeline_parse_argv((int)a->pipeline->len, (char *const *)a->pipeline->pdata, error);
}

int blo_host_dump_pipeline(blo_registry *r, const blo_host_args *a)
{
    GError *err = NULL;
    blo_pipeline *p = blo_host_args_pipeline(a, &err);
    if (p && blo_pipeline_resolve(p, r, &err)) {
        char *text = blo_pipeline_to_string(p);
        printf("%s\n", text);
        g_free(text);
    }
    blo_pipeline_free(p);
    if (err == NULL)
        return BLO_EXIT_OK;
    blo_host_error("%s", err->message);
    g_error_free(err);
    return BLO_EXIT_USAGE;
}
