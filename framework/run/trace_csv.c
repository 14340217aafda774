/* trace.csv read back into columns (see trace_csv.h). */
#include "trace_csv.h"

#include <blo/error.h>
#include <math.h>
#include <string.h>

static void free_column(gpointer a)
{
    g_array_unref(a);
}

/* One cell: empty is "not recorded" (NAN); anything else must be a whole number. */
static gboolean parse_cell(const char *cell, double *out)
{
    const char *s = cell;
    while (g_ascii_isspace(*s))
        s++;
    if (!*s) {
        *out = NAN;
        return TRUE;
    }
    char *end;
    *out = g_ascii_strtod(s, &end);
    while (g_ascii_isspace(*end))
        end++;
    return end != s && !*end;
}

static gboolean read_header(blo_trace_csv *t, const char *line, GError **error)
{
    char **names = g_strsplit(line, ",", -1);
    gboolean ok = TRUE;
    for (char **n = names; *n; n++) {
        char *name = g_strstrip(g_strdup(*n));
        if (!*name) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                        "%s:1: header cell %u is empty; expected a row of column names such as "
                        "`step,loss,clean_accuracy`", t->path, (guint)(n - names) + 1);
            g_free(name);
            ok = FALSE;
            break;
        }
        g_ptr_array_add(t->names, name);
        g_ptr_array_add(t->columns, g_array_new(FALSE, FALSE, sizeof(double)));
    }
    g_strfreev(names);
    return ok;
}

static gboolean read_row(blo_trace_csv *t, const char *line, guint lineno, GError **error)
{
    char **cells = g_strsplit(line, ",", -1);
    guint n = g_strv_length(cells);
    gboolean ok = n == t->names->len;
    if (!ok)
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "%s:%u: %u cells, expected %u (one per header column)",
                    t->path, lineno, n, t->names->len);
    for (guint c = 0; ok && c < n; c++) {
        double v;
        if (!parse_cell(cells[c], &v)) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT,
                        "%s:%u: column %s: '%s' is not a number (expected a number or an empty cell)",
                        t->path, lineno, (const char *)t->names->pdata[c], cells[c]);
            ok = FALSE;
        } else {
            g_array_append_val((GArray *)t->columns->pdata[c], v);
        }
    }
    if (!ok)   /* keep every column the same length */
        for (guint c = 0; c < t->columns->len; c++)
            g_array_set_size(t->columns->pdata[c], t->n_rows);
    else
        t->n_rows++;
    g_strfreev(cells);
    return ok;
}

blo_trace_csv *blo_trace_csv_read(const char *path, GError **error)
{
    char *text = NULL;
    GError *io = NULL;
    if (!g_file_get_contents(path, &text, NULL, &io)) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_IO, "cannot read trace '%s': %s", path, io->message);
        g_error_free(io);
        return NULL;
    }
    blo_trace_csv *t = g_new0(blo_trace_csv, 1);
    t->path = g_strdup(path);
    t->names = g_ptr_array_new_with_free_func(g_free);
    t->columns = g_ptr_array_new_with_free_func(free_column);
    char **lines = g_strsplit(text, "\n", -1);
    g_free(text);
    gboolean ok = TRUE;
    guint lineno = 0;
    for (char **l = lines; ok && *l; l++) {
        lineno++;
        char *line = g_strchomp(*l);    /* also a \r of CRLF files */
        if (lineno == 1)
            ok = read_header(t, line, error);
        else if (*line)                 /* the final newline leaves an empty piece */
            ok = read_row(t, line, lineno, error);
    }
    g_strfreev(lines);
    if (ok && t->names->len == 0) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "%s: empty file; expected a header row of column names",
                    path);
        ok = FALSE;
    }
    if (!ok) {
        blo_trace_csv_free(t);
        return NULL;
    }
    return t;
}

void blo_trace_csv_free(blo_trace_csv *t)
{
    if (!t)
        return;
    g_ptr_array_free(t->columns, TRUE);
    g_ptr_array_free(t->names, TRUE);
    g_free(t->path);
    g_free(t);
}

int blo_trace_csv_find(const blo_trace_csv *t, const char *name)
{
    for (guint c = 0; c < t->names->len; c++)
        if (strcmp(t->names->pdata[c], name) == 0)
            return (int)c;
    return -1;
}

const double *blo_trace_csv_values(const blo_trace_csv *t, guint column)
{
    return (const double *)((GArray *)t->columns->pdata[column])->data;
}

gboolean blo_trace_csv_has_values(const blo_trace_csv *t, guint column)
{
    const double *v = blo_trace_csv_values(t, column);
    for (guint r = 0; r < t->n_rows; r++)
        if (isfinite(v[r]))
            return TRUE;
    return FALSE;
}

gboolean blo_trace_csv_require(const blo_trace_csv *t, const char *name, guint *column, GError **error)
{
    int c = blo_trace_csv_find(t, name);
    if (c >= 0) {
        *column = (guint)c;
        return TRUE;
    }
    g_ptr_array_add(t->names, NULL);
    char *have = g_strjoinv(", ", (char **)t->names->pdata);
    g_ptr_array_remove_index(t->names, t->names->len - 1);
    g_set_error(error, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME, "%s has no column '%s'; its columns are: %s", t->path,
                name, have);
    g_free(have);
    return FALSE;
}
