/* Tests only: strict JSON validation and flattening (see json_check.h). */
#include "json_check.h"

#include <string.h>

typedef struct parser {
    const char *s, *p;
    GHashTable *out;
} parser;

static gboolean value(parser *ps, const char *path);

static void skip_ws(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r')
        ps->p++;
}

static char *string(parser *ps)
{
    if (*ps->p != '"')
        return NULL;
    ps->p++;
    GString *o = g_string_new(NULL);
    while (*ps->p && *ps->p != '"') {
        unsigned char c = (unsigned char)*ps->p;
        if (c < 0x20)
            goto bad;
        if (c != '\\') {
            g_string_append_c(o, (char)c);
            ps->p++;
            continue;
        }
        ps->p++;
        switch (*ps->p) {
        case '"': case '\\': case '/': g_string_append_c(o, *ps->p); break;
        case 'n': g_string_append_c(o, '\n'); break;
        case 't': g_string_append_c(o, '\t'); break;
        case 'r': g_string_append_c(o, '\r'); break;
        case 'b': g_string_append_c(o, '\b'); break;
        case 'f': g_string_append_c(o, '\f'); break;
        case 'u':
            for (int i = 1; i <= 4; i++)
                if (!g_ascii_isxdigit(ps->p[i]))
                    goto bad;
            g_string_append_unichar(o, (gunichar)g_ascii_strtoull(ps->p + 1, NULL, 16) & 0xffff);
            ps->p += 4;
            break;
        default:
            goto bad;
        }
        ps->p++;
    }
    if (*ps->p != '"')
        goto bad;
    ps->p++;
    return g_string_free(o, FALSE);
bad:
    g_string_free(o, TRUE);
    return NULL;
}

static gboolean scalar(parser *ps, const char *path)
{
    const char *start = ps->p;
    static const char *const words[] = { "true", "false", "null" };
    for (int i = 0; i < 3; i++)
        if (strncmp(ps->p, words[i], strlen(words[i])) == 0) {
            ps->p += strlen(words[i]);
            g_hash_table_insert(ps->out, g_strdup(path), g_strdup(words[i]));
            return TRUE;
        }
    if (*ps->p == '-')
        ps->p++;
    if (!g_ascii_isdigit(*ps->p))
        return FALSE;
    if (*ps->p == '0' && g_ascii_isdigit(ps->p[1]))
        return FALSE;
    while (g_ascii_isdigit(*ps->p))
        ps->p++;
    if (*ps->p == '.') {
        ps->p++;
        if (!g_ascii_isdigit(*ps->p))
            return FALSE;
        while (g_ascii_isdigit(*ps->p))
            ps->p++;
    }
    if (*ps->p == 'e' || *ps->p == 'E') {
        ps->p++;
        if (*ps->p == '+' || *ps->p == '-')
            ps->p++;
        if (!g_ascii_isdigit(*ps->p))
            return FALSE;
        while (g_ascii_isdigit(*ps->p))
            ps->p++;
    }
    g_hash_table_insert(ps->out, g_strdup(path), g_strndup(start, (gsize)(ps->p - start)));
    return TRUE;
}

static char *child(const char *path, const char *key)
{
    return *path ? g_strconcat(path, ".", key, NULL) : g_strdup(key);
}

static gboolean container(parser *ps, const char *path, char close)
{
    ps->p++;
    skip_ws(ps);
    if (*ps->p == close) {
        ps->p++;
        return TRUE;
    }
    for (int i = 0;; i++) {
        char *key;
        skip_ws(ps);
        if (close == '}') {
            if (!(key = string(ps)))
                return FALSE;
            skip_ws(ps);
            if (*ps->p++ != ':') {
                g_free(key);
                return FALSE;
            }
        } else {
            key = g_strdup_printf("%d", i);
        }
        char *sub = child(path, key);
        gboolean ok = value(ps, sub);
        g_free(sub);
        g_free(key);
        if (!ok)
            return FALSE;
        skip_ws(ps);
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p != close)
            return FALSE;
        ps->p++;
        return TRUE;
    }
}

static gboolean value(parser *ps, const char *path)
{
    skip_ws(ps);
    if (*ps->p == '{')
        return container(ps, path, '}');
    if (*ps->p == '[')
        return container(ps, path, ']');
    if (*ps->p == '"') {
        char *s = string(ps);
        if (!s)
            return FALSE;
        g_hash_table_insert(ps->out, g_strdup(path), s);
        return TRUE;
    }
    return scalar(ps, path);
}

GHashTable *json_flatten(const char *text, size_t *error_at)
{
    parser ps = { text, text, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free) };
    gboolean ok = value(&ps, "");
    skip_ws(&ps);
    if (ok && *ps.p == '\0')
        return ps.out;
    if (error_at)
        *error_at = (size_t)(ps.p - text);
    g_hash_table_destroy(ps.out);
    return NULL;
}
