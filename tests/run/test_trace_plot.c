/* trace.csv read back into columns, curves drawn from it (trace_plot.c) and
 * the curves.svg a run writes. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <blo/error.h>
#include "run/trace_plot.h"
#include "host_run.h"
#include "svg_count.h"

static char *dir;
static void setup(void) { dir = temp_dir(); }
static void teardown(void) { remove_tree(dir); g_free(dir); }
TestSuite(trace_plot, .init = setup, .fini = teardown, .timeout = 60);

/* Per-step loss, per-epoch accuracies at steps 2 and 4 only (like fgsm-at). */
static const char *const TRACE =
    "step,loss,clean_accuracy,robust_accuracy,unused\n"
    "1,2.5,,,\n"
    "2,2.0,0.5,0.25,\n"
    "3,1.5,,,\n"
    "4,1.25,0.75,0.5,\n";

static char *write_trace(const char *name, const char *text)
{
    char *p = g_build_filename(dir, name, NULL);
    cr_assert(g_file_set_contents(p, text, -1, NULL));
    return p;
}

Test(trace_plot, reads_columns_with_blank_cells_as_nan)
{
    char *p = write_trace("trace.csv", TRACE);
    GError *err = NULL;
    blo_trace_csv *t = blo_trace_csv_read(p, &err);
    cr_assert_not_null(t, "%s", err ? err->message : "");
    cr_assert_eq(t->names->len, 5);
    cr_assert_eq(t->n_rows, 4);
    int c = blo_trace_csv_find(t, "clean_accuracy");
    cr_assert_eq(c, 2);
    const double *v = blo_trace_csv_values(t, (guint)c);
    cr_assert(isnan(v[0]) && v[1] == 0.5 && isnan(v[2]) && v[3] == 0.75);
    cr_assert(blo_trace_csv_has_values(t, (guint)c));
    cr_assert_not(blo_trace_csv_has_values(t, 4), "an all-blank column has no values");
    cr_assert_eq(blo_trace_csv_find(t, "missing"), -1);
    blo_trace_csv_free(t);
    g_free(p);
}

static blo_trace_csv *read_ok(const char *name, const char *text)
{
    char *p = write_trace(name, text);
    GError *err = NULL;
    blo_trace_csv *t = blo_trace_csv_read(p, &err);
    cr_assert_not_null(t, "%s", err ? err->message : "");
    g_free(p);
    return t;
}

static char *plot(const blo_trace_csv *const *traces, guint n, const char *const *y, guint n_y, guint *n_series,
                  GError **err)
{
    const char *labels[] = { "a", "b", "c" };
    blo_trace_plot_request req = { .traces = traces, .labels = labels, .n_traces = n, .y = y, .n_y = n_y };
    return blo_trace_plot_svg(&req, n_series, err);
}

Test(trace_plot, one_series_per_trace_and_column_with_values_blank_cells_skipped)
{
    blo_trace_csv *t1 = read_ok("one.csv", TRACE), *t2 = read_ok("two.csv", TRACE);
    const blo_trace_csv *traces[] = { t1, t2 };
    const char *y[] = { "clean_accuracy", "robust_accuracy", "unused" };
    GError *err = NULL;
    guint n = 0;
    char *svg = plot(traces, 2, y, 3, &n, &err);
    cr_assert_not_null(svg, "%s", err ? err->message : "");
    cr_assert_eq(n, 4, "2 traces x 2 columns with values (the all-blank one dropped), got %u", n);
    cr_assert_eq(count_substr(svg, "<polyline"), 4);
    for (guint i = 0; i < 4; i++)
        cr_assert_eq(polyline_points(svg, i), 2, "steps 2 and 4 only: blank cells are not zeros");
    cr_assert(strstr(svg, ">a: clean_accuracy<") && strstr(svg, ">b: robust_accuracy<"), "legend label: column");
    cr_assert_null(strstr(svg, "unused<"), "no legend entry for a column without values");
    g_free(svg);
    blo_trace_csv_free(t1);
    blo_trace_csv_free(t2);
}

Test(trace_plot, per_step_column_has_every_point)
{
    blo_trace_csv *t = read_ok("t.csv", TRACE);
    const blo_trace_csv *traces[] = { t };
    const char *y[] = { "loss" };
    char *svg = plot(traces, 1, y, 1, NULL, NULL);
    cr_assert_not_null(svg);
    cr_assert_eq(polyline_points(svg, 0), 4);
    g_free(svg);
    blo_trace_csv_free(t);
}

Test(trace_plot, unknown_column_names_the_file_and_its_columns)
{
    blo_trace_csv *t = read_ok("t.csv", TRACE);
    const blo_trace_csv *traces[] = { t };
    const char *y[] = { "loss", "acc" };
    GError *err = NULL;
    cr_assert_null(plot(traces, 1, y, 2, NULL, &err));
    cr_assert(g_error_matches(err, BLO_ERROR, BLO_ERROR_UNKNOWN_NAME));
    cr_assert(strstr(err->message, "t.csv") && strstr(err->message, "'acc'") &&
              strstr(err->message, "step, loss, clean_accuracy, robust_accuracy, unused"), "%s", err->message);
    g_error_free(err);
    blo_trace_csv_free(t);
}

Test(trace_plot, no_points_at_all_is_an_error)
{
    blo_trace_csv *t = read_ok("t.csv", TRACE);
    const blo_trace_csv *traces[] = { t };
    const char *y[] = { "unused" };
    GError *err = NULL;
    cr_assert_null(plot(traces, 1, y, 1, NULL, &err));
    cr_assert(g_error_matches(err, BLO_ERROR, BLO_ERROR_FORMAT));
    cr_assert(strstr(err->message, "nothing to plot") && strstr(err->message, "unused"), "%s", err->message);
    g_error_free(err);
    blo_trace_csv_free(t);
}

static void expect_format_error(const char *text, const char *where)
{
    char *p = write_trace("bad.csv", text);
    GError *err = NULL;
    cr_assert_null(blo_trace_csv_read(p, &err));
    cr_assert(g_error_matches(err, BLO_ERROR, BLO_ERROR_FORMAT), "%s", err ? err->message : "no error");
    cr_assert(strstr(err->message, where), "'%s' not in: %s", where, err->message);
    g_error_free(err);
    g_free(p);
}

Test(trace_plot, malformed_rows_name_file_and_line)
{
    expect_format_error("step,a\n1,2\n2,x\n", "bad.csv:3: column a: 'x' is not a number");
    expect_format_error("step,a\n1,2\n2,3,4\n", "bad.csv:3: 3 cells, expected 2");
    expect_format_error("step,a\n1\n", "bad.csv:2: 1 cells");
    expect_format_error("step,,a\n", "bad.csv:1: header cell 2 is empty");
    expect_format_error("", "empty file");
}

Test(trace_plot, missing_file_is_an_io_error)
{
    char *p = g_build_filename(dir, "none.csv", NULL);
    GError *err = NULL;
    cr_assert_null(blo_trace_csv_read(p, &err));
    cr_assert(g_error_matches(err, BLO_ERROR, BLO_ERROR_IO));
    cr_assert(strstr(err->message, "none.csv"), "%s", err->message);
    g_error_free(err);
    g_free(p);
}

Test(trace_plot, run_curves_from_accuracy_columns)
{
    g_free(write_trace("trace.csv", TRACE));
    gboolean written = FALSE;
    GError *err = NULL;
    cr_assert(blo_run_write_curves(dir, &written, &err), "%s", err ? err->message : "");
    cr_assert(written);
    char *p = g_build_filename(dir, BLO_CURVES_FILE, NULL), *svg;
    cr_assert(g_file_get_contents(p, &svg, NULL, NULL));
    cr_assert_eq(count_substr(svg, "<polyline"), 2, "clean and robust accuracy");
    cr_assert(strstr(svg, "clean_accuracy<") && strstr(svg, "robust_accuracy<"));
    cr_assert_null(strstr(svg, ": loss<"), "the loss is not an accuracy curve");
    g_free(svg);
    g_free(p);
}

Test(trace_plot, run_without_accuracies_writes_no_curves)
{
    g_free(write_trace("trace.csv", "step,F,f\n1,2,3\n2,1,2\n"));
    gboolean written = TRUE;
    cr_assert(blo_run_write_curves(dir, &written, NULL));
    cr_assert_not(written);
    char *p = g_build_filename(dir, BLO_CURVES_FILE, NULL);
    cr_assert_not(g_file_test(p, G_FILE_TEST_EXISTS));
    g_free(p);
}

Test(trace_plot, default_label_is_the_run_directory_name)
{
    char *run = g_build_filename(dir, "myrun", NULL);
    cr_assert_eq(g_mkdir(run, 0755), 0);
    char *csv = g_build_filename(run, "trace.csv", NULL);
    char *slash = g_strconcat(run, "/", NULL);
    char *l1 = blo_trace_default_label(run), *l2 = blo_trace_default_label(csv), *l3 = blo_trace_default_label(slash);
    cr_assert_str_eq(l1, "myrun");
    cr_assert_str_eq(l2, "myrun");
    cr_assert_str_eq(l3, "myrun");
    char *tp = blo_trace_path(run);
    cr_assert_str_eq(tp, csv);
    g_free(tp);
    g_free(l1), g_free(l2), g_free(l3);
    g_free(slash);
    g_free(csv);
    g_rmdir(run);
    g_free(run);
}
