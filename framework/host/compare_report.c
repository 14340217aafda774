/* compare.csv / .json / .md / .svg from the rows of blo-host compare. */
#include "compare_report.h"
#include "run/atomic_file.h"
#include "run/json_writer.h"
#include "run/plot_svg.h"

#include <math.h>

blo_compare_row *blo_compare_row_new(const char *name, const char *solver)
{
    blo_compare_row *row = g_new0(blo_compare_row, 1);
    row->name = g_strdup(name);
    row->solver = g_strdup(solver);
    row->status = g_strdup("not run");
    for (guint i = 0; i < G_N_ELEMENTS(row->metrics); i++)
        row->metrics[i] = NAN;
    row->solver_s = row->peak_rss_bytes = NAN;
    row->curve_t = g_array_new(FALSE, FALSE, sizeof(double));
    row->curve_e = g_array_new(FALSE, FALSE, sizeof(double));
    return row;
}

void blo_compare_row_free(blo_compare_row *row)
{
    if (!row)
        return;
    g_free(row->name);
    g_free(row->solver);
    g_free(row->status);
    g_free(row->message);
    g_array_unref(row->curve_t);
    g_array_unref(row->curve_e);
    g_free(row);
}

static gboolean write_file(const char *dir, const char *file, GString *text, GError **error)
{
    char *path = g_build_filename(dir, file, NULL);
    gboolean ok = blo_write_file_atomic(path, text->str, text->len, error);
    g_free(path);
    g_string_free(text, TRUE);
    return ok;
}

/* A number for the tables: %.17g in CSV, 3-4 significant digits in Markdown, `empty` when absent. */
static void append_num(GString *s, double v, const char *fmt, const char *empty)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append(s, isnan(v) ? empty : g_ascii_formatd(buf, sizeof buf, fmt, v));
}

static void append_csv_field(GString *s, const char *text)
{
    gchar **parts = g_strsplit(text ? text : "", "\"", -1);
    char *escaped = g_strjoinv("\"\"", parts);
    g_string_append_printf(s, "\"%s\"", escaped);
    g_free(escaped);
    g_strfreev(parts);
}

static GString *csv_text(const blo_compare_report *rep)
{
    GString *s = g_string_new("solver,status");
    for (const char *const *k = BLO_COMPARE_METRICS; *k; k++)
        g_string_append_printf(s, ",%s", *k);
    g_string_append(s, ",solver_s,peak_rss_bytes,pipeline\n");
    for (guint r = 0; r < rep->rows->len; r++) {
        const blo_compare_row *row = g_ptr_array_index(rep->rows, r);
        g_string_append_printf(s, "%s,%s", row->name, row->status);
        for (guint i = 0; i < G_N_ELEMENTS(row->metrics); i++) {
            g_string_append_c(s, ',');
            append_num(s, row->metrics[i], "%.17g", "");
        }
        g_string_append_c(s, ',');
        append_num(s, row->solver_s, "%.6g", "");
        g_string_append_c(s, ',');
        append_num(s, row->peak_rss_bytes, "%.0f", "");
        g_string_append_c(s, ',');
        append_csv_field(s, row->solver);
        g_string_append_c(s, '\n');
    }
    return s;
}

static GString *json_text(const blo_compare_report *rep)
{
    GString *s = g_string_new("{\n  \"problem\": ");
    blo_json_append_string(s, rep->problem);
    g_string_append(s, ",\n  \"solvers\": [");
    for (guint r = 0; r < rep->rows->len; r++) {
        const blo_compare_row *row = g_ptr_array_index(rep->rows, r);
        g_string_append(s, r ? ",\n    {" : "\n    {");
        g_string_append(s, "\"name\": ");
        blo_json_append_string(s, row->name);
        g_string_append(s, ", \"pipeline\": ");
        blo_json_append_string(s, row->solver);
        g_string_append(s, ", \"status\": ");
        blo_json_append_string(s, row->status);
        g_string_append(s, ", \"message\": ");
        blo_json_append_string(s, row->message);
        guint i = 0;
        for (const char *const *k = BLO_COMPARE_METRICS; *k; k++, i++) {
            g_string_append_printf(s, ", \"%s\": ", *k);
            blo_json_append_number(s, row->metrics[i]);
        }
        g_string_append(s, ", \"solver_s\": ");
        blo_json_append_number(s, row->solver_s);
        g_string_append(s, ", \"peak_rss_bytes\": ");
        blo_json_append_number(s, row->peak_rss_bytes);
        g_string_append(s, "}");
    }
    g_string_append(s, "\n  ]\n}\n");
    return s;
}

static GString *md_text(const blo_compare_report *rep)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "Problem: `%s`\n\n", rep->problem);
    g_string_append(s, "| solver | status | iterations | solver time (s) | x_rel_error | y_rel_error | F "
                       "| grad evals | HVPs | peak RSS (MiB) |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (guint r = 0; r < rep->rows->len; r++) {
        const blo_compare_row *row = g_ptr_array_index(rep->rows, r);
        const double *m = row->metrics;
        g_string_append_printf(s, "| %s | %s | ", row->name, row->status);
        append_num(s, m[0], "%.0f", "-");
        g_string_append(s, " | ");
        append_num(s, row->solver_s, "%.3g", "-");
        for (guint i = 1; i < 4; i++) {
            g_string_append(s, " | ");
            append_num(s, m[i], "%.3g", "-");
        }
        for (guint i = 4; i < 6; i++) {
            g_string_append(s, " | ");
            append_num(s, m[i], "%.0f", "-");
        }
        g_string_append(s, " | ");
        append_num(s, row->peak_rss_bytes / (1 << 20), "%.1f", "-");
        g_string_append(s, " |\n");
    }
    g_string_append(s, "\nSettings:\n\n");
    for (guint r = 0; r < rep->rows->len; r++) {
        const blo_compare_row *row = g_ptr_array_index(rep->rows, r);
        g_string_append_printf(s, "- %s: `%s`%s%s\n", row->name, row->solver,
                               row->message ? " — " : "", row->message ? row->message : "");
    }
    return s;
}

static GString *svg_text(const blo_compare_report *rep)
{
    blo_plot_series *series = g_new0(blo_plot_series, rep->rows->len ? rep->rows->len : 1);
    for (guint r = 0; r < rep->rows->len; r++) {
        const blo_compare_row *row = g_ptr_array_index(rep->rows, r);
        series[r] = (blo_plot_series){ .name = row->name, .x = (const double *)row->curve_t->data,
                                       .y = (const double *)row->curve_e->data, .n = row->curve_t->len };
    }
    char *title = g_strdup_printf("%s: %s against solver time", rep->problem, rep->plot_metric);
    blo_plot plot = { .title = title, .x_label = "solver time (s)", .y_label = rep->plot_metric, .log_y = TRUE };
    char *svg = blo_plot_svg(&plot, series, rep->rows->len);
    g_free(title);
    g_free(series);
    GString *s = g_string_new(svg);
    g_free(svg);
    return s;
}

gboolean blo_compare_write(const blo_compare_report *rep, const char *dir, GError **error)
{
    return write_file(dir, "compare.csv", csv_text(rep), error) &&
           write_file(dir, "compare.json", json_text(rep), error) &&
           write_file(dir, "compare.md", md_text(rep), error) &&
           write_file(dir, "compare.svg", svg_text(rep), error);
}
