/* Issue 13: --resume works on its own folder only, one at a time, and
 * refuses a checkpoint from another run or with forged values. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include "durable_common.h"
#include "host_run.h"
#include "run/state_internal.h"

static char *dir;
static void setup(void) { dir = temp_dir(); }
static void teardown(void) { remove_tree(dir); g_free(dir); }
TestSuite(resume_identity, .init = setup, .fini = teardown, .timeout = 120);

/* A run of `steps` interrupted at step 5 in DIR/name (seed `seed`). */
static char *interrupted(const char *name, const char *steps, const char *seed, const char *sleep)
{
    char *out = durable_path(dir, name);
    host_result r = host_run("run", DURABLE_OBJECTIVE, "!", DURABLE_SOLVER, steps, "cancel_at=5", sleep,
                             "--seed", seed, "--threads", "1", "--no-progress", "--out", out, NULL);
    cr_assert_eq(r.status, 130, "exit %d: %s", r.status, r.err);
    cr_assert(durable_exists(out, "checkpoint.blo"));
    host_result_clear(&r);
    return out;
}

static void copy_file(const char *from_dir, const char *to_dir, const char *file)
{
    char *text;
    gsize len;
    char *from = durable_path(from_dir, file), *to = durable_path(to_dir, file);
    cr_assert(g_file_get_contents(from, &text, &len, NULL));
    cr_assert(g_file_set_contents(to, text, (gssize)len, NULL));
    g_free(text);
    g_free(from);
    g_free(to);
}

/* The pid blo-host wrote into DIR/run.lock (waits up to 1 s for it; 0 if none). */
static long lock_holder(const char *out)
{
    for (int i = 0; i < 200; i++) {
        char *p = durable_path(out, "run.lock"), *text = NULL;
        long pid = g_file_get_contents(p, &text, NULL, NULL) ? strtol(text, NULL, 10) : 0;
        g_free(text);
        g_free(p);
        if (pid > 0)
            return pid;
        g_usleep(5000);
    }
    return 0;
}

Test(resume_identity, two_resumes_of_one_folder_the_second_is_refused)
{
    /* 35 steps of 100 ms left: the first resume is still running when the second starts. */
    char *out = interrupted("a", "steps=40", "1", "sleep_ms=100");
    GPid first = host_spawn("run", "--resume", out, "--no-progress", NULL);
    long holder = lock_holder(out);
    host_result r = host_run("run", "--resume", out, "--no-progress", NULL);
    cr_assert_eq(r.status, 1, "the second resume must be refused, exit %d: %s", r.status, r.err);
    cr_assert_eq(holder, (long)first, "run.lock names the resuming process (%ld)", holder);
    char *expect = g_strdup_printf("run folder %s is in use by process %ld", out, holder);
    cr_assert(strstr(r.err, expect) != NULL, "%s", r.err);
    host_result_clear(&r);
    /* A fresh run into the same folder waits its turn too. */
    r = host_run("run", DURABLE_OBJECTIVE, "!", DURABLE_SOLVER, "--force", "--out", out, NULL);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, expect) != NULL, "%s", r.err);
    host_result_clear(&r);
    cr_assert_eq(host_wait(first), 0, "the first resume finishes undisturbed");
    GHashTable *j = read_results(out);
    cr_assert_str_eq(durable_field(j, "status"), "completed");
    cr_assert_str_eq(durable_field(j, "metrics.iterations"), "40");
    cr_assert_not(durable_exists(out, "run.lock"), "the lock goes with its run");
    g_hash_table_destroy(j);
    g_free(expect);
    g_free(out);
}

/* Run A's checkpoint put into run B's folder, then --resume of B. */
static host_result resume_swapped(const char *steps_a, const char *seed_a, const char *steps_b,
                                  const char *seed_b, char **a, char **b, char **b_results)
{
    *a = interrupted("a", steps_a, seed_a, "sleep_ms=0");
    *b = interrupted("b", steps_b, seed_b, "sleep_ms=0");
    *b_results = durable_read(*b, "results.json");
    copy_file(*a, *b, "checkpoint.blo");
    host_result r = host_run("run", "--resume", *b, "--no-progress", NULL);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    char *after = durable_read(*b, "results.json");
    cr_assert_str_eq(after, *b_results, "the folder's results are untouched");
    g_free(after);
    return r;
}

Test(resume_identity, checkpoint_of_another_pipeline_is_refused_naming_both)
{
    char *a, *b, *b_results;
    host_result r = resume_swapped("steps=30", "1", "steps=40", "1", &a, &b, &b_results);
    cr_assert(strstr(r.err, "another pipeline") != NULL, "%s", r.err);
    char *ini_a = durable_read(a, "run.ini"), *ini_b = durable_read(b, "run.ini");
    char *sha_a = strstr(ini_a, "pipeline_sha256="), *sha_b = strstr(ini_b, "pipeline_sha256=");
    cr_assert(sha_a && sha_b);
    sha_a[16 + 64] = sha_b[16 + 64] = '\0';
    cr_assert(strstr(r.err, sha_a + 16) != NULL && strstr(r.err, sha_b + 16) != NULL,
              "both digests: %s", r.err);
    cr_assert(strstr(r.err, "stage 2") != NULL && strstr(r.err, "steps=30") != NULL &&
              strstr(r.err, "steps=40") != NULL, "the first differing stage: %s", r.err);
    host_result_clear(&r);
    g_free(ini_a);
    g_free(ini_b);
    g_free(b_results);
    g_free(a);
    g_free(b);
}

Test(resume_identity, checkpoint_of_another_seed_is_refused)
{
    char *a, *b, *b_results;
    host_result r = resume_swapped("steps=30", "1", "steps=30", "2", &a, &b, &b_results);
    cr_assert(strstr(r.err, "seed 1") != NULL && strstr(r.err, "seed 2") != NULL, "%s", r.err);
    host_result_clear(&r);
    g_free(b_results);
    g_free(a);
    g_free(b);
}

/* Rewrite one entry of DIR/checkpoint.blo (a valid file: the digest is recomputed). */
typedef void (*forge_fn)(blo_state *s);

static void expect_refused(forge_fn forge, const char *needle)
{
    char *out = interrupted("f", "steps=30", "1", "sleep_ms=0");
    char *path = durable_path(out, "checkpoint.blo");
    GError *e = NULL;
    blo_state *s = blo_state_read_file(path, &e);
    cr_assert_not_null(s, "%s", e ? e->message : "");
    forge(s);
    cr_assert(blo_state_write_file(s, path, &e), "%s", e ? e->message : "");
    blo_state_free(s);
    host_result r = host_run("run", "--resume", out, "--no-progress", NULL);
    cr_assert_eq(r.status, 1, "a forged checkpoint is refused, exit %d: %s%s", r.status, r.out, r.err);
    cr_assert(strstr(r.err, needle) != NULL, "names the value (%s): %s", needle, r.err);
    host_result_clear(&r);
    g_free(path);
    g_free(out);
}

static void iteration_huge(blo_state *s) { blo_state_put_int(s, "blo.iteration", 1000000000000); }
static void iteration_negative(blo_state *s) { blo_state_put_int(s, "blo.iteration", -5); }
static void threads_huge(blo_state *s) { blo_state_put_int(s, "blo.threads", 100000); }
static void y_nan(blo_state *s)
{
    float y[4] = { 0, NAN, 0, 0 };
    blo_state_put_floats(s, "blo.y", y, 4);
}
static void solver_s_negative(blo_state *s) { blo_state_put_double(s, "blo.solver_s", -1.0); }

Test(resume_identity, forged_iteration_1e12_is_refused)
{
    expect_refused(iteration_huge, "blo.iteration = 1000000000000");
}

Test(resume_identity, forged_iteration_minus_5_is_refused)
{
    expect_refused(iteration_negative, "blo.iteration = -5");
}

Test(resume_identity, forged_100000_threads_is_refused)
{
    expect_refused(threads_huge, "blo.threads = 100000");
}

Test(resume_identity, forged_nan_in_y_is_refused)
{
    expect_refused(y_nan, "blo.y[1]");
}

Test(resume_identity, forged_negative_solver_time_is_refused)
{
    expect_refused(solver_s_negative, "blo.solver_s");
}

static void version_other(blo_state *s) { blo_state_put_bytes(s, "blo.version", "0.0.9", 5); }
static void plugin_other(blo_state *s)
{
    const char *list = "run-fixture 0.0.0\ntoy-problems 1.0.0\n";
    blo_state_put_bytes(s, "blo.plugins", list, strlen(list));
}
static void pipeline_edited(blo_state *s)
{
    size_t len = 0;
    const char *text = blo_state_peek(s, "blo.pipeline", &len);
    char *edited = g_strndup(text, len);
    char *at = strstr(edited, "steps=30");
    cr_assert_not_null(at);
    at[6] = '9';   /* steps=90, the digest left as it was */
    blo_state_put_bytes(s, "blo.pipeline", edited, len);
    g_free(edited);
}

Test(resume_identity, checkpoint_of_another_blo_version_is_refused)
{
    expect_refused(version_other, "written by blo 0.0.9");
}

Test(resume_identity, checkpoint_of_another_plugin_version_is_refused)
{
    expect_refused(plugin_other, "run-fixture 0.0.0");
}

Test(resume_identity, pipeline_edited_without_its_digest_is_refused)
{
    expect_refused(pipeline_edited, "does not match its digest");
}

Test(resume_identity, folder_without_run_ini_is_refused)
{
    char *out = interrupted("n", "steps=30", "1", "sleep_ms=0");
    char *ini = durable_path(out, "run.ini");
    cr_assert_eq(g_unlink(ini), 0);
    host_result r = host_run("run", "--resume", out, "--no-progress", NULL);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, ini) != NULL && strstr(r.err, "missing") != NULL, "%s", r.err);
    host_result_clear(&r);
    g_free(ini);
    g_free(out);
}
