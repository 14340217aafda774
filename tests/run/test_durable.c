/* Issue 13: a run's results survive a full disk and SIGTERM / SIGHUP.
 *
 * The full disk is a file-size limit in the child (RLIMIT_FSIZE: write()
 * fails part-way with EFBIG, as it does with ENOSPC on a full disk); a
 * trace.csv that is a folder fails the rename instead. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include "durable_common.h"
#include "host_run.h"

#define STEPS "steps=3000"

static char *dir;
static void setup(void) { dir = temp_dir(); }
static void teardown(void) { remove_tree(dir); g_free(dir); }
TestSuite(durable, .init = setup, .fini = teardown, .timeout = 120);

/* The uninterrupted run: its printed metrics and trace.csv. */
static void reference(const char *steps, char **metrics, char **trace)
{
    char *out = durable_path(dir, "ref");
    host_result r = host_run("run", DURABLE_OBJECTIVE, "!", DURABLE_SOLVER, steps, "--seed", "3",
                             "--threads", "1", "--no-progress", "--out", out, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    *metrics = g_strdup(r.out);
    *trace = durable_read(out, "trace.csv");
    host_result_clear(&r);
    g_free(out);
}

static host_result run_limited(const char *out, long limit)
{
    host_file_size_limit = limit;
    host_result r = host_run("run", DURABLE_OBJECTIVE, "!", DURABLE_SOLVER, STEPS, "--seed", "3",
                             "--threads", "1", "--no-progress", "--force", "--out", out, NULL);
    host_file_size_limit = 0;
    return r;
}

Test(durable, full_disk_at_the_end_keeps_results_and_the_final_state)
{
    char *ref_metrics, *ref_trace, *out = durable_path(dir, "full");
    reference(STEPS, &ref_metrics, &ref_trace);
    /* 3000 steps: the checkpoint (~75 KB) fits in 100 KB, trace.csv (~140 KB) does not. */
    host_result r = run_limited(out, 100000);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "trace.csv") != NULL, "names the file: %s", r.err);
    GHashTable *j = read_results(out);
    cr_assert_str_eq(durable_field(j, "status"), "failed");
    cr_assert_str_eq(durable_field(j, "metrics.iterations"), "3000", "the finished steps are reported");
    const char *msg = durable_field(j, "message");
    cr_assert(strstr(msg, "trace.csv") != NULL && strstr(msg, "--resume") != NULL, "%s", msg);
    cr_assert(durable_exists(out, "checkpoint.blo"), "the final state is checkpointed first");
    g_hash_table_destroy(j);
    host_result_clear(&r);
    /* With room again, --resume writes what was lost, without stepping again. */
    durable_resume_matches(out, ref_metrics, ref_trace);
    g_free(ref_metrics);
    g_free(ref_trace);
    g_free(out);
}

Test(durable, tiny_disk_still_gets_results_json)
{
    char *out = durable_path(dir, "tiny");
    /* 4 KB: run.ini and results.json fit; the checkpoint and trace.csv do not. */
    host_result r = run_limited(out, 4096);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    GHashTable *j = read_results(out);
    cr_assert_str_eq(durable_field(j, "status"), "failed");
    const char *msg = durable_field(j, "message");
    cr_assert(strstr(msg, "trace.csv") != NULL, "each failed file is named: %s", msg);
    cr_assert(strstr(msg, "checkpoint.blo") != NULL, "each failed file is named: %s", msg);
    cr_assert(strstr(r.err, "trace.csv") != NULL && strstr(r.err, "checkpoint.blo") != NULL, "%s", r.err);
    g_hash_table_destroy(j);
    host_result_clear(&r);
    g_free(out);
}

Test(durable, trace_csv_that_is_a_folder_does_not_lose_the_run)
{
    char *ref_metrics, *ref_trace, *out = durable_path(dir, "folder");
    reference(STEPS, &ref_metrics, &ref_trace);
    char *trace = durable_path(out, "trace.csv");
    cr_assert_eq(g_mkdir_with_parents(trace, 0755), 0);
    host_result r = run_limited(out, 0);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    GHashTable *j = read_results(out);
    cr_assert_str_eq(durable_field(j, "status"), "failed");
    cr_assert(strstr(durable_field(j, "message"), "trace.csv") != NULL);
    cr_assert(durable_exists(out, "checkpoint.blo"));
    g_hash_table_destroy(j);
    host_result_clear(&r);
    cr_assert_eq(g_rmdir(trace), 0);
    durable_resume_matches(out, ref_metrics, ref_trace);
    g_free(trace);
    g_free(ref_metrics);
    g_free(ref_trace);
    g_free(out);
}

/* A slow run stopped by `sig` from outside: it finishes the step, writes
 * results.json and a checkpoint, exits with 128 + sig (not killed by it),
 * and a resume ends where the uninterrupted run does. */
static void stop_then_resume(int sig, const char *name)
{
    char *ref_metrics, *ref_trace, *out = durable_path(dir, name);
    reference("steps=40", &ref_metrics, &ref_trace);
    GPid pid = host_spawn("run", DURABLE_OBJECTIVE, "!", DURABLE_SOLVER, "steps=40", "sleep_ms=30",
                          "--seed", "3", "--threads", "1", "--no-progress", "--out", out,
                          "--checkpoint-every", "0.05", NULL);
    durable_wait_for(out, "checkpoint.blo");
    g_usleep(200000);
    kill(pid, sig);
    int ws = host_wait_status(pid);
    cr_assert(WIFEXITED(ws), "%s killed blo-host (signal %d) instead of stopping the run", name,
              WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    cr_assert_eq(WEXITSTATUS(ws), 128 + sig, "exit %d", WEXITSTATUS(ws));
    GHashTable *j = read_results(out);
    cr_assert_str_eq(durable_field(j, "status"), "interrupted");
    cr_assert(strstr(durable_field(j, "message"), name) != NULL, "%s", durable_field(j, "message"));
    int64_t done = g_ascii_strtoll(durable_field(j, "metrics.iterations"), NULL, 10);
    cr_assert(done > 0 && done < 40, "stopped after %" G_GINT64_FORMAT " steps", done);
    cr_assert(durable_exists(out, "checkpoint.blo"));
    g_hash_table_destroy(j);
    durable_resume_matches(out, ref_metrics, ref_trace);
    g_free(ref_metrics);
    g_free(ref_trace);
    g_free(out);
}

Test(durable, sigterm_ends_the_run_like_ctrl_c)
{
    stop_then_resume(SIGTERM, "SIGTERM");
}

Test(durable, sighup_ends_the_run_like_ctrl_c)
{
    stop_then_resume(SIGHUP, "SIGHUP");
}

Test(durable, a_periodic_checkpoint_that_cannot_be_written_does_not_stop_the_run)
{
    char *out = durable_path(dir, "periodic");
    /* 600 bytes: run.ini and the 3-row trace.csv fit, no checkpoint (~1.1 KB) does. */
    host_file_size_limit = 600;
    host_result r = host_run("run", DURABLE_OBJECTIVE, "!", DURABLE_SOLVER, "steps=3", "--no-progress",
                             "--out", out, NULL);
    host_file_size_limit = 0;
    cr_assert(strstr(r.err, "periodic checkpoint not written") != NULL, "%s", r.err);
    char *trace = durable_path(out, "trace.csv");
    cr_assert_eq(count_lines(trace), 4, "all 3 steps ran: %s", r.err);
    g_free(trace);
    host_result_clear(&r);
    g_free(out);
}
