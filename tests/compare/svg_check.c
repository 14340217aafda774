/* Tag balance of an SVG document (see svg_check.h). */
#include "svg_check.h"

#include <string.h>

/* The element name starting at p (after '<' or '</'). */
static char *tag_name(const char *p)
{
    size_t n = strcspn(p, " \t\n/>");
    return g_strndup(p, n);
}

gboolean svg_balanced(const char *text, char **problem)
{
    GPtrArray *open = g_ptr_array_new_with_free_func(g_free);
    gboolean ok = TRUE, root_seen = FALSE;
    *problem = NULL;
    for (const char *p = strchr(text, '<'); ok && p; p = strchr(p + 1, '<')) {
        const char *end = strchr(p, '>');
        if (!end) {
            *problem = g_strdup("unterminated tag");
            ok = FALSE;
        } else if (p[1] == '?' || p[1] == '!') {
            continue;                                /* declaration, comment */
        } else if (p[1] == '/') {
            char *name = tag_name(p + 2);
            const char *top = open->len ? g_ptr_array_index(open, open->len - 1) : NULL;
            if (!top || strcmp(top, name) != 0) {
                *problem = g_strdup_printf("</%s> closes <%s>", name, top ? top : "nothing");
                ok = FALSE;
            } else {
                g_ptr_array_remove_index(open, open->len - 1);
            }
            g_free(name);
        } else {
            char *name = tag_name(p + 1);
            if (!root_seen && strcmp(name, "svg") != 0) {
                *problem = g_strdup_printf("root element is <%s>, not <svg>", name);
                ok = FALSE;
            }
            root_seen = TRUE;
            if (end[-1] == '/')
                g_free(name);
            else
                g_ptr_array_add(open, name);
        }
    }
    if (ok && (open->len || !root_seen)) {
        *problem = g_strdup_printf("%u element(s) left open", open->len);
        ok = FALSE;
    }
    g_ptr_array_free(open, TRUE);
    return ok;
}

guint svg_count(const char *text, const char *name)
{
    char *needle = g_strdup_printf("<%s ", name);
    guint n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    g_free(needle);
    return n;
}
