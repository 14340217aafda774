/* blo-host plot end to end: series from hand-written traces, stdout or
 * --out, every error with its exit code; a run without accuracy columns
 * writes no curves.svg. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>
#include "host_run.h"
#include "svg_count.h"

static char *dir;
static void setup(void) { dir = temp_dir(); }
static void teardown(void) { remove_tree(dir); g_free(dir); }
TestSuite(host_plot, .init = setup, .fini = teardown, .timeout = 120);

/* Per-step loss, per-epoch accuracies at steps 2 and 4 (as solver:fgsm-at writes). */
static const char *const TRACE =
    "step,loss,epoch_loss,clean_accuracy,robust_accuracy\n"
    "1,2.5,,,\n"
    "2,2.0,2.2,0.5,0.25\n"
    "3,1.5,,,\n"
    "4,1.25,1.4,0.75,0.5\n";

/* DIR/NAME/trace.csv with TEXT; returns DIR/NAME. */
static char *make_run(const char *name, const char *text)
{
    char *run = g_build_filename(dir, name, NULL);
    cr_assert_eq(g_mkdir_with_parents(run, 0755), 0);
    char *p = g_build_filename(run, "trace.csv", NULL);
    cr_assert(g_file_set_contents(p, text, -1, NULL));
    g_free(p);
    return run;
}

Test(host_plot, two_runs_two_columns_to_a_file)
{
    char *a = make_run("fgsm", TRACE), *b = make_run("pgd", TRACE);
    char *out = g_build_filename(dir, "acc.svg", NULL);
    host_result r = host_run("plot", a, b, "--y", "clean_accuracy,robust_accuracy", "--out", out, "--label", "FGSM",
                             "--title", "accuracy per epoch", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    char *svg;
    cr_assert(g_file_get_contents(out, &svg, NULL, NULL));
    cr_assert_eq(count_substr(svg, "<polyline"), 4, "one series per run and column");
    cr_assert(strstr(svg, ">FGSM: clean_accuracy<"), "--label names the first run");
    cr_assert(strstr(svg, ">pgd: robust_accuracy<"), "default label: the run directory's name");
    cr_assert(strstr(svg, ">accuracy per epoch<"));
    cr_assert_str_eq(r.out, "", "nothing on stdout with --out");
    g_free(svg);
    host_result_clear(&r);
    g_free(out), g_free(a), g_free(b);
}

Test(host_plot, trace_file_to_stdout_with_x_and_log_y)
{
    char *a = make_run("run", TRACE);
    char *csv = g_build_filename(a, "trace.csv", NULL);
    host_result r = host_run("plot", csv, "--y=loss", "--x", "step", "--log-y", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert(g_str_has_prefix(r.out, "<?xml"), "%.60s", r.out);
    cr_assert_eq(count_substr(r.out, "<polyline"), 1);
    cr_assert(strstr(r.out, ">run: loss<") && strstr(r.out, ">1e0<"), "label and decade ticks");
    host_result_clear(&r);
    g_free(csv), g_free(a);
}

/* Runs blo-host plot ARGS, expects exit `status` and `needle` on stderr. */
#define EXPECT_ERROR(status_, needle, ...) do {                                              \
        host_result r_ = host_run("plot", __VA_ARGS__, NULL);                              \
        cr_assert_eq(r_.status, status_, "exit %d: %s", r_.status, r_.err);                \
        cr_assert(strstr(r_.err, needle), "'%s' not in: %s", needle, r_.err);              \
        host_result_clear(&r_);                                                            \
    } while (0)

Test(host_plot, errors_name_the_problem_and_exit_like_the_other_commands)
{
    char *ok = make_run("ok", TRACE);
    char *bad = make_run("bad", "step,loss\n1,0.5\n2,oops\n");
    char *blank = make_run("blank", "step,loss,clean_accuracy\n1,0.5,\n");
    char *missing = g_build_filename(dir, "nope", NULL);
    EXPECT_ERROR(2, "nope", missing, "--y", "loss");
    EXPECT_ERROR(2, "has no column 'acc'; its columns are: step, loss, epoch_loss, clean_accuracy, robust_accuracy",
                 ok, "--y", "loss,acc");
    EXPECT_ERROR(2, "has no column 'time'", ok, "--y", "loss", "--x", "time");
    EXPECT_ERROR(1, "bad/trace.csv:3: column loss: 'oops' is not a number", ok, bad, "--y", "loss");
    EXPECT_ERROR(1, "nothing to plot", blank, "--y", "clean_accuracy");
    EXPECT_ERROR(2, "--y COL", ok);
    EXPECT_ERROR(2, "no run directory", "--y", "loss");
    EXPECT_ERROR(2, "unknown option '--bogus'", ok, "--y", "loss", "--bogus");
    EXPECT_ERROR(2, "more --label than inputs", ok, "--y", "loss", "--label", "a", "--label", "b");
    EXPECT_ERROR(2, "empty column name", ok, "--y", "loss,");
    g_free(ok), g_free(bad), g_free(blank), g_free(missing);
}

Test(host_plot, run_without_accuracy_columns_writes_no_curves)
{
    char *out = g_build_filename(dir, "run", NULL);
    host_result r = host_run("run", "objective:t4", "n=4", "!", "solver:fixture-gd", "steps=5", "--out", out,
                             "--no-progress", NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    char *curves = g_build_filename(out, "curves.svg", NULL);
    cr_assert_not(g_file_test(curves, G_FILE_TEST_EXISTS), "trace has F and f only");
    cr_assert_null(strstr(r.err, "warning"), "%s", r.err);
    g_free(curves);
    host_result_clear(&r);
    g_free(out);
}
