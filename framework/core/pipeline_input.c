/* Pipelines from argv and from files: both become one text for the parser. */
#include <string.h>
#include "params_private.h"

/* A KEY=VALUE argument whose VALUE the shell kept whole (e.g. 'tag=a b')
 * must stay one value once the arguments are joined with spaces. */
static void append_arg(GString *s, const char *arg)
{
    const char *eq = strchr(arg, '=');
    gboolean key_ok = eq != NULL && eq != arg;
    for (const char *c = arg; key_ok && c < eq; c++)
        key_ok = blo_is_word_char(*c);
    if (key_ok && eq[1] != '[' && eq[1] != '"') {
        g_string_append_len(s, arg, eq + 1 - arg);
        blo_append_word(s, eq + 1);
        return;
    }
    g_string_append(s, arg);
}

blo_pipeline *blo_pipeline_parse_argv(int argc, char *const *argv, GError **error)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < argc; i++) {
        if (i > 0)
            g_string_append_c(s, ' ');
        append_arg(s, argv[i]);
    }
    blo_pipeline *p = blo_pipeline_parse(s->str, error);
    g_string_free(s, TRUE);
    return p;
}

blo_pipeline *blo_pipeline_parse_file(const char *path, GError **error)
{
    char *text = NULL;
    GError *err = NULL;
    if (!g_file_get_contents(path, &text, NULL, &err)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_IO, "cannot read pipeline file %s: %s", path, err->message);
        g_error_free(err);
        return NULL;
    }
    blo_pipeline *p = blo_pipeline_parse(text, &err);
    g_free(text);
    if (p == NULL) {
        g_prefix_error(&err, "%s: ", path);
        g_propagate_error(error, err);
    }
    return p;
}
