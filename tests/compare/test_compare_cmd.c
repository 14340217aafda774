/* blo-host compare end to end on T4 with two fast solvers, its usage errors,
 * and the run engine's --eval-every trace rows. */
#include "../run/host_run.h"
#include "../run/json_check.h"
#include "svg_check.h"

#include <criterion/criterion.h>
#include <string.h>

#define RHG "solver:rhg steps=20 inner_steps=5 inner_lr=0.5 x_lr=0.5"
#define BDA "solver:bda steps=20 inner_steps=5 inner_lr=0.5 mu=0.1 x_lr=0.5"

static char *read_text(const char *dir, const char *file)
{
    char *path = g_build_filename(dir, file, NULL), *text = NULL;
    cr_assert(g_file_get_contents(path, &text, NULL, NULL), "%s missing", path);
    g_free(path);
    return text;
}

/* The tables and the plot of a finished two-solver compare in dir. */
static void check_outputs(const char *dir)
{
    char *csv = read_text(dir, "compare.csv");
    char **lines = g_strsplit(csv, "\n", -1);
    cr_assert_eq(g_strv_length(lines), 4, "header, 2 rows, final newline:\n%s", csv);
    cr_assert(g_str_has_prefix(lines[0], "solver,status,iterations,x_rel_error,y_rel_error,F,grad_evals,"
                                         "hvp_evals,solver_s,peak_rss_bytes,pipeline"), "%s", lines[0]);
    cr_assert(g_str_has_prefix(lines[1], "rhg,completed,20,"), "%s", lines[1]);
    cr_assert(g_str_has_prefix(lines[2], "bda,completed,20,"), "%s", lines[2]);
    g_strfreev(lines);
    g_free(csv);

    char *json = read_text(dir, "compare.json");
    size_t at = 0;
    GHashTable *j = json_flatten(json, &at);
    cr_assert(j, "compare.json invalid at byte %zu", at);
    cr_assert_str_eq(g_hash_table_lookup(j, "solvers.0.name"), "rhg");
    cr_assert_str_eq(g_hash_table_lookup(j, "solvers.1.name"), "bda");
    cr_assert_null(g_hash_table_lookup(j, "solvers.2.name"));
    cr_assert_str_eq(g_hash_table_lookup(j, "solvers.1.hvp_evals"), "100");   /* 20 outer x 5 reversed inner steps */
    double e = g_ascii_strtod(g_hash_table_lookup(j, "solvers.0.x_rel_error"), NULL);
    cr_assert(e > 0 && e < 1, "rhg x_rel_error %g", e);
    cr_assert(g_ascii_strtod(g_hash_table_lookup(j, "solvers.0.peak_rss_bytes"), NULL) > 1e6);
    g_hash_table_unref(j);
    g_free(json);

    char *md = read_text(dir, "compare.md");
    cr_assert(strstr(md, "| rhg | completed | 20 |") && strstr(md, "| bda | completed | 20 |"), "%s", md);
    g_free(md);

    char *svg = read_text(dir, "compare.svg"), *problem = NULL;
    cr_assert(svg_balanced(svg, &problem), "compare.svg: %s", problem);
    cr_assert_eq(svg_count(svg, "polyline"), 2, "one polyline per solver");
    cr_assert(strstr(svg, ">rhg</text>") && strstr(svg, ">bda</text>"), "legend names both solvers");
    cr_assert(strstr(svg, ">1e0</text>"), "log-y decade ticks");
    g_free(svg);

    for (const char *const *s = (const char *const[]){ "rhg", "bda", NULL }; *s; s++) {
        char *sub = g_build_filename(dir, *s, NULL);
        GHashTable *r = read_results(sub);
        cr_assert_str_eq(g_hash_table_lookup(r, "status"), "completed");
        g_hash_table_unref(r);
        char *trace = read_text(sub, "trace.csv");
        cr_assert(g_str_has_prefix(trace, "step,solver_s,x_rel_error"), "%.60s", trace);
        g_free(trace);
        g_free(sub);
    }
}

Test(compare, t4_two_solvers_tables_and_plot)
{
    char *dir = temp_dir(), *out = g_build_filename(dir, "cmp", NULL);
    host_result r = host_run("compare", "objective:t4", "n=10", "--solvers", RHG " ; " BDA, "--out", out,
                             "--no-progress", "--threads", "1", NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    check_outputs(out);
    host_result_clear(&r);
    remove_tree(dir);
    g_free(out);
    g_free(dir);
}

/* The same from one file "PROBLEM ; SOLVER ; SOLVER" with comments. */
Test(compare, compare_file)
{
    char *dir = temp_dir(), *out = g_build_filename(dir, "cmp", NULL);
    char *file = g_build_filename(dir, "t4.blo", NULL);
    cr_assert(g_file_set_contents(file, "# T4, two solvers\nobjective:t4 n=10   # the problem\n;\n" RHG
                                        "  # first\n; " BDA "\n", -1, NULL));
    host_result r = host_run("compare", file, "--out", out, "--no-progress", "--threads", "1", NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    check_outputs(out);
    host_result_clear(&r);
    remove_tree(dir);
    g_free(file);
    g_free(out);
    g_free(dir);
}

/* Exit 2, the reason naming the bad token, and nothing run. */
static void expect_usage_error(const char *solvers, const char *token)
{
    char *dir = temp_dir(), *out = g_build_filename(dir, "cmp", NULL);
    host_result r = host_run("compare", "objective:t4", "n=10", "--solvers", solvers, "--out", out,
                             "--no-progress", NULL);
    cr_assert_eq(r.status, 2, "'%s': exit %d, stderr: %s", solvers, r.status, r.err);
    cr_assert(strstr(r.err, token), "'%s': stderr should name '%s': %s", solvers, token, r.err);
    cr_assert_not(g_file_test(out, G_FILE_TEST_EXISTS), "nothing runs before the list is valid");
    host_result_clear(&r);
    remove_tree(dir);
    g_free(out);
    g_free(dir);
}

Test(compare, bad_solver_lists)
{
    expect_usage_error(RHG " ; solver:no-such-solver steps=3", "no-such-solver");
    expect_usage_error(RHG " ; solver:bda bogus_key=1", "bogus_key");
    expect_usage_error(RHG " ; ; " BDA, "entry 2 is empty");
    expect_usage_error(RHG " ; objective:t1", "objective:t1");
    expect_usage_error(RHG " ; solver:bda steps=many", "many");
}

Test(compare, problem_with_a_solver_or_no_out)
{
    host_result r = host_run("compare", "objective:t4 ! " RHG, "--solvers", BDA, "--out", "unused", NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "has a solver (solver:rhg)"), "%s", r.err);
    host_result_clear(&r);
    r = host_run("compare", "objective:t4", "--solvers", BDA, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--out"), "%s", r.err);
    host_result_clear(&r);
}

/* blo-host run --eval-every 4: rows 0, 4, 8, 10 carry the objective's metrics and solver_s. */
Test(compare, run_eval_every_traces_metrics)
{
    char *dir = temp_dir();
    host_result r = host_run("run", "objective:t4", "n=10", "!", "solver:rhg", "steps=10", "inner_steps=2",
                             "--eval-every", "4", "--out", dir, "--force", "--no-progress", NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    char *trace = read_text(dir, "trace.csv");
    char **lines = g_strsplit(trace, "\n", -1);
    cr_assert(g_str_has_prefix(lines[0], "step,solver_s,x_rel_error,y_rel_error"), "%s", lines[0]);
    cr_assert(g_str_has_prefix(lines[1], "0,0,1,1,"), "start row: %s", lines[1]);
    guint evaluated = 0;
    double last_t = 0;
    for (guint i = 1; lines[i] && *lines[i]; i++) {
        char **f = g_strsplit(lines[i], ",", -1);
        gint64 step = g_ascii_strtoll(f[0], NULL, 10);
        gboolean has = *f[1] != '\0';
        cr_assert_eq(has, step % 4 == 0 || step == 10, "row %s", lines[i]);
        if (has) {
            double t = g_ascii_strtod(f[1], NULL);
            cr_assert_geq(t, last_t, "solver time never decreases");
            last_t = t;
            evaluated++;
        }
        g_strfreev(f);
    }
    cr_assert_eq(evaluated, 4);
    g_strfreev(lines);
    g_free(trace);
    host_result_clear(&r);
    r = host_run("run", "objective:t4", "!", "solver:rhg", "--eval-every", "-1", NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--eval-every"), "%s", r.err);
    host_result_clear(&r);
    remove_tree(dir);
    g_free(dir);
}

/* A solver that fails (NaN) is a failed row; the others still run; exit 1. */
Test(compare, failing_solver_keeps_the_others)
{
    char *dir = temp_dir(), *out = g_build_filename(dir, "cmp", NULL);
    host_result r = host_run("compare", "objective:t4", "n=10", "--solvers",
                             "solver:meha alpha=1e6 eta=1e6 beta=1e6 steps=50 ; " BDA, "--out", out,
                             "--no-progress", "--threads", "1", NULL);
    cr_assert_eq(r.status, 1, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "meha: step"), "%s", r.err);
    char *csv = read_text(out, "compare.csv");
    cr_assert(strstr(csv, "\nmeha,failed,") && strstr(csv, "\nbda,completed,20,"), "%s", csv);
    g_free(csv);
    char *md = read_text(out, "compare.md");
    cr_assert(strstr(md, "not finite"), "the failure message is in the settings list: %s", md);
    g_free(md);
    host_result_clear(&r);
    remove_tree(dir);
    g_free(out);
    g_free(dir);
}

/* The reference comparisons parse and resolve: ten pipelines each, all on the file's problem. */
Test(compare, reference_files_resolve)
{
    for (int k = 1; k <= 5; k++) {
        char *file = g_strdup_printf("%s/compare-t%d.blo", COMPARE_FILES_DIR, k);
        char *objective = g_strdup_printf("objective:t%d ", k);
        host_result r = host_run("compare", file, "--dump-pipeline", NULL);
        cr_assert_eq(r.status, 0, "%s: %s", file, r.err);
        char **lines = g_strsplit(g_strchomp(r.out), "\n", -1);
        cr_assert_eq(g_strv_length(lines), 10, "%s: MEHA and nine classic solvers:\n%s", file, r.out);
        for (char **l = lines; *l; l++)
            cr_assert(g_str_has_prefix(*l, objective) && strstr(*l, " ! solver:"), "%s: %s", file, *l);
        cr_assert(strstr(lines[0], "! solver:meha "), "%s: MEHA first", file);
        g_strfreev(lines);
        host_result_clear(&r);
        g_free(objective);
        g_free(file);
    }
}
