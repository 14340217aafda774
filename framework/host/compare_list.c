/* Splitting compare lists on ';' (see compare_list.h). */
#include "compare_list.h"

#include <blo/error.h>
#include <string.h>

/* Appends `seg` trimmed to out; FALSE when it is empty. */
static gboolean add_segment(GPtrArray *out, GString *seg)
{
    char *s = g_strstrip(g_strdup(seg->str));
    g_string_truncate(seg, 0);
    if (!*s) {
        g_free(s);
        return FALSE;
    }
    g_ptr_array_add(out, s);
    return TRUE;
}

GPtrArray *blo_compare_split(const char *text, const char *what, GError **error)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    GString *seg = g_string_new(NULL);
    gboolean quoted = FALSE, ok = TRUE;
    for (const char *p = text; ok; p++) {
        if (*p == '\0' || (*p == ';' && !quoted)) {
            if (!add_segment(out, seg)) {
                g_set_error(error, BLO_ERROR, BLO_ERROR_PARSE,
                            "%s: entry %u is empty; expected `kind:name key=value ...` between the ';'",
                            what, out->len + 1);
                ok = FALSE;
            }
            if (*p == '\0')
                break;
            continue;
        }
        if (*p == '#' && !quoted) {          /* comment to the end of the line */
            while (p[1] && p[1] != '\n')
                p++;
            continue;
        }
        if (*p == '\\' && quoted && p[1]) {  /* keep \" and \\ for the pipeline parser */
            g_string_append_c(seg, *p++);
        } else if (*p == '"') {
            quoted = !quoted;
        }
        g_string_append_c(seg, *p == '\n' ? ' ' : *p);
    }
    g_string_free(seg, TRUE);
    if (!ok) {
        g_ptr_array_free(out, TRUE);
        return NULL;
    }
    return out;
}

char *blo_compare_text(const char *arg, GError **error)
{
    if (!g_str_has_suffix(arg, ".blo") && !g_file_test(arg, G_FILE_TEST_IS_REGULAR))
        return g_strdup(arg);
    char *text = NULL;
    if (!g_file_get_contents(arg, &text, NULL, error))
        return NULL;
    return text;
}
