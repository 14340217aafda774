/* blo-host run end to end: results.json, trace.csv, interrupt + resume,
 * corrupt checkpoints, NaN, composition and output-folder errors. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include "host_run.h"

#define OBJECTIVE "objective:t4", "n=4"
#define SOLVER "solver:fixture-gd"
#define METRIC "metric:fixture-norm"

static char *dir;
static void setup(void) { dir = temp_dir(); }
static void teardown(void) { remove_tree(dir); g_free(dir); }
TestSuite(host_run, .init = setup, .fini = teardown, .timeout = 120);

static char *sub(const char *name)
{
    return g_build_filename(dir, name, NULL);
}

static gboolean exists_in(const char *d, const char *file)
{
    char *p = g_build_filename(d, file, NULL);
    gboolean ok = g_file_test(p, G_FILE_TEST_EXISTS);
    g_free(p);
    return ok;
}

static const char *get(GHashTable *j, const char *key)
{
    const char *v = g_hash_table_lookup(j, key);
    cr_assert_not_null(v, "results.json has no %s", key);
    return v;
}

Test(host_run, results_json_has_every_field_and_trace_one_row_per_step)
{
    char *out = sub("a");
    host_result r = host_run("run", OBJECTIVE, "!", SOLVER, "steps=20", "!", METRIC,
                             "--seed", "5", "--threads", "1", "--out", out, NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    GHashTable *j = read_results(out);
    cr_assert(strstr(get(j, "pipeline"), "solver:fixture-gd") != NULL);
    cr_assert_str_eq(get(j, "status"), "completed");
    cr_assert_str_eq(get(j, "seed"), "5");
    cr_assert_str_eq(get(j, "threads"), "1");
    cr_assert_str_eq(get(j, "metrics.iterations"), "20");
    cr_assert_str_eq(get(j, "components.1.plugin"), "run-fixture");
    cr_assert_str_eq(get(j, "components.1.plugin_version"), "0.0.1");
    cr_assert_str_eq(get(j, "components.0.plugin"), "toy-problems");
    cr_assert(g_ascii_strtod(get(j, "metrics.grad_evals"), NULL) == 40, "two gradients per step");
    get(j, "metrics.x_rel_error");
    get(j, "metrics.fixture-norm.y_norm");
    get(j, "blo_version");
    get(j, "started_at");
    get(j, "finished_at");
    double solver_s = g_ascii_strtod(get(j, "timings.solver_s"), NULL);
    double total_s = g_ascii_strtod(get(j, "timings.total_s"), NULL);
    cr_assert(solver_s > 0 && solver_s <= total_s, "solver_s %g total_s %g", solver_s, total_s);
    cr_assert(g_ascii_strtod(get(j, "peak_rss_bytes"), NULL) > 1e5);
    /* stdout: the metrics as key = value */
    cr_assert(strstr(r.out, "iterations = 20\n") != NULL, "%s", r.out);
    char *trace = g_build_filename(out, "trace.csv", NULL);
    cr_assert_eq(count_lines(trace), 21, "header + one row per step");
    char *text;
    cr_assert(g_file_get_contents(trace, &text, NULL, NULL));
    cr_assert(g_str_has_prefix(text, "step,F,f\n1,"), "%.40s", text);
    cr_assert_not(exists_in(out, "checkpoint.blo"), "a completed run leaves no checkpoint");
    g_free(text);
    g_free(trace);
    g_hash_table_destroy(j);
    host_result_clear(&r);
    g_free(out);
}

static char *read_file(const char *d, const char *file)
{
    char *p = g_build_filename(d, file, NULL), *text = NULL;
    cr_assert(g_file_get_contents(p, &text, NULL, NULL), "no %s", p);
    g_free(p);
    return text;
}

/* The uninterrupted reference: its printed metrics and trace. */
static void reference(const char *out, char **metrics, char **trace)
{
    host_result r = host_run("run", OBJECTIVE, "!", SOLVER, "steps=30", "!", METRIC,
                             "--seed", "9", "--out", out, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    *metrics = g_strdup(r.out);
    *trace = read_file(out, "trace.csv");
    host_result_clear(&r);
}

static void resume_and_compare(const char *out, const char *ref_metrics, const char *ref_trace)
{
    host_result r = host_run("run", "--resume", out, NULL);
    cr_assert_eq(r.status, 0, "resume exit %d: %s", r.status, r.err);
    cr_assert_str_eq(r.out, ref_metrics, "resumed metrics differ from the uninterrupted run");
    char *trace = read_file(out, "trace.csv");
    cr_assert_str_eq(trace, ref_trace);
    GHashTable *j = read_results(out);
    cr_assert_str_eq(get(j, "status"), "completed");
    cr_assert_str_eq(get(j, "resumed"), "true");
    g_hash_table_destroy(j);
    g_free(trace);
    host_result_clear(&r);
}

Test(host_run, interrupt_then_resume_gives_the_uninterrupted_metrics)
{
    char *ref = sub("ref"), *out = sub("cut"), *ref_metrics, *ref_trace;
    reference(ref, &ref_metrics, &ref_trace);
    host_result r = host_run("run", OBJECTIVE, "!", SOLVER, "steps=30", "cancel_at=12", "!", METRIC,
                             "--seed", "9", "--out", out, NULL);
    cr_assert_eq(r.status, 130, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "--resume") != NULL, "%s", r.err);
    GHashTable *j = read_results(out);
    cr_assert_str_eq(get(j, "status"), "interrupted");
    cr_assert_str_eq(get(j, "metrics.iterations"), "12");
    get(j, "metrics.x_rel_error");   /* evaluated at the current point */
    cr_assert(exists_in(out, "checkpoint.blo"));
    g_hash_table_destroy(j);
    host_result_clear(&r);
    resume_and_compare(out, ref_metrics, ref_trace);
    g_free(ref_metrics);
    g_free(ref_trace);
    g_free(ref);
    g_free(out);
}

Test(host_run, sigint_from_outside_then_resume)
{
    char *ref = sub("ref"), *out = sub("slow"), *ref_metrics, *ref_trace;
    reference(ref, &ref_metrics, &ref_trace);
    GPid pid = host_spawn("run", OBJECTIVE, "!", SOLVER, "steps=30", "sleep_ms=40", "!", METRIC,
                          "--seed", "9", "--out", out, "--checkpoint-every", "0.1", NULL);
    /* Wait for the starting checkpoint, let a few steps run, then Ctrl-C. */
    char *ckpt = g_build_filename(out, "checkpoint.blo", NULL);
    for (int i = 0; i < 2000 && !g_file_test(ckpt, G_FILE_TEST_EXISTS); i++)
        g_usleep(5000);
    cr_assert(g_file_test(ckpt, G_FILE_TEST_EXISTS), "no checkpoint appeared");
    g_usleep(300000);
    kill(pid, SIGINT);
    cr_assert_eq(host_wait(pid), 130);
    GHashTable *j = read_results(out);
    cr_assert_str_eq(get(j, "status"), "interrupted");
    int64_t done = g_ascii_strtoll(get(j, "metrics.iterations"), NULL, 10);
    cr_assert(done < 30, "interrupted after %" G_GINT64_FORMAT " steps", done);
    g_hash_table_destroy(j);
    resume_and_compare(out, ref_metrics, ref_trace);
    g_free(ckpt);
    g_free(ref_metrics);
    g_free(ref_trace);
    g_free(ref);
    g_free(out);
}

Test(host_run, corrupt_checkpoint_is_a_clear_error)
{
    char *out = sub("c");
    host_result r = host_run("run", OBJECTIVE, "!", SOLVER, "cancel_at=3", "--out", out, NULL);
    cr_assert_eq(r.status, 130, "%s", r.err);
    host_result_clear(&r);
    char *ckpt = g_build_filename(out, "checkpoint.blo", NULL), *data;
    gsize len;
    cr_assert(g_file_get_contents(ckpt, &data, &len, NULL));
    cr_assert(g_file_set_contents(ckpt, data, (gssize)(len - 10), NULL));
    r = host_run("run", "--resume", out, NULL);
    cr_assert_eq(r.status, 1, "exit %d", r.status);
    cr_assert(strstr(r.err, ckpt) != NULL, "names the file: %s", r.err);
    cr_assert(strstr(r.err, "checksum") != NULL, "says why: %s", r.err);
    host_result_clear(&r);
    g_free(data);
    g_free(ckpt);
    g_free(out);
}

Test(host_run, non_empty_out_dir_is_a_usage_error_unless_forced)
{
    char *out = sub("full"), *junk = g_build_filename(out, "old.txt", NULL);
    g_mkdir(out, 0755);
    cr_assert(g_file_set_contents(junk, "x", -1, NULL));
    host_result r = host_run("run", OBJECTIVE, "!", SOLVER, "steps=2", "--out", out, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, out) != NULL, "names the folder: %s", r.err);
    cr_assert_not(exists_in(out, "results.json"));
    host_result_clear(&r);
    r = host_run("run", "--force", OBJECTIVE, "!", SOLVER, "steps=2", "--out", out, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(exists_in(out, "results.json"));
    host_result_clear(&r);
    g_free(junk);
    g_free(out);
}

Test(host_run, nan_fails_the_run_but_writes_results)
{
    char *out = sub("nan");
    host_result r = host_run("run", OBJECTIVE, "!", SOLVER, "steps=20", "poison_at=5", "--out", out, NULL);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "step 5") != NULL, "%s", r.err);
    GHashTable *j = read_results(out);
    cr_assert_str_eq(get(j, "status"), "failed");
    cr_assert(strstr(get(j, "message"), "step 5") != NULL);
    cr_assert_str_eq(get(j, "metrics.iterations"), "4");
    cr_assert(exists_in(out, "checkpoint.blo"), "the last good checkpoint is kept");
    g_hash_table_destroy(j);
    host_result_clear(&r);
    g_free(out);
}

Test(host_run, pipeline_composition_errors_name_the_kind)
{
    char *out = sub("x");
    host_result r = host_run("run", OBJECTIVE, "!", SOLVER, "!", SOLVER, "--out", out, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "2 solver components") != NULL, "%s", r.err);
    host_result_clear(&r);
    r = host_run("run", OBJECTIVE, "!", METRIC, "--out", out, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "no solver") != NULL, "%s", r.err);
    host_result_clear(&r);
    r = host_run("run", "solver:meha", "--out", out, NULL);
    cr_assert_eq(r.status, 2, "a bi-level solver without an objective: %s", r.err);
    cr_assert(strstr(r.err, "objective") != NULL, "%s", r.err);
    host_result_clear(&r);
    g_free(out);
}

Test(host_run, bad_options_are_usage_errors)
{
    host_result r = host_run("run", OBJECTIVE, "!", SOLVER, "--seed", "-3", NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--seed") != NULL, "%s", r.err);
    host_result_clear(&r);
    r = host_run("run", "--resume", dir, OBJECTIVE, NULL);
    cr_assert_eq(r.status, 2);
    host_result_clear(&r);
    r = host_run("run", NULL);
    cr_assert_eq(r.status, 2);
    host_result_clear(&r);
    r = host_run("run", "--resume", dir, "--seed", "4", NULL);
    cr_assert_eq(r.status, 2, "the seed comes from the checkpoint");
    host_result_clear(&r);
    r = host_run("run", "--resume", dir, NULL);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "no checkpoint.blo in") != NULL, "%s", r.err);
    host_result_clear(&r);
}

Test(host_run, write_failure_is_reported_and_fails_the_run)
{
    char *out = sub("full-disk");
    host_file_size_limit = 600;   /* run.ini and trace.csv fit, results.json does not */
    host_result r = host_run("run", OBJECTIVE, "!", SOLVER, "steps=2", "--out", out, NULL);
    host_file_size_limit = 0;
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "results.json") != NULL, "names the file: %s", r.err);
    cr_assert(strstr(r.err, "too large") != NULL || strstr(r.err, "space") != NULL, "%s", r.err);
    cr_assert_not(exists_in(out, "results.json"), "no truncated results.json");
    host_result_clear(&r);
    g_free(out);
}

Test(host_run, dataset_shapes_the_learner)
{
    char *out = sub("learner");
    host_result r = host_run("run", "dataset:fixture-blobs", "n=30", "d=4", "classes=3", "!",
                             "learner:fixture-linear", "!", SOLVER, "steps=3", "!", METRIC,
                             "--out", out, NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.out, "fixture-norm.dim_y = 15\n") != NULL, "(4 + 1) * 3 parameters: %s", r.out);
    cr_assert(strstr(r.out, "fixture-norm.y_norm = 0\n") == NULL, "the learner initialised y: %s", r.out);
    cr_assert(strstr(r.out, "iterations = 3\n") != NULL, "%s", r.out);
    host_result_clear(&r);
    g_free(out);
}

Test(host_run, learner_without_dataset_is_refused)
{
    char *out = sub("nodata");
    host_result r = host_run("run", "learner:fixture-linear", "!", SOLVER, "--out", out, NULL);
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "needs a dataset") != NULL, "%s", r.err);
    host_result_clear(&r);
    g_free(out);
}
