/* Tests only: see durable_common.h. */
#include "durable_common.h"
#include "host_run.h"

#include <criterion/criterion.h>
#include <string.h>

char *durable_path(const char *dir, const char *file)
{
    return g_build_filename(dir, file, NULL);
}

gboolean durable_exists(const char *dir, const char *file)
{
    char *p = durable_path(dir, file);
    gboolean ok = g_file_test(p, G_FILE_TEST_EXISTS);
    g_free(p);
    return ok;
}

char *durable_read(const char *dir, const char *file)
{
    char *p = durable_path(dir, file), *text = NULL;
    cr_assert(g_file_get_contents(p, &text, NULL, NULL), "no %s", p);
    g_free(p);
    return text;
}

const char *durable_field(GHashTable *results, const char *key)
{
    const char *v = g_hash_table_lookup(results, key);
    cr_assert_not_null(v, "results.json has no %s", key);
    return v;
}

void durable_wait_for(const char *dir, const char *file)
{
    for (int i = 0; i < 2000 && !durable_exists(dir, file); i++)
        g_usleep(5000);
    cr_assert(durable_exists(dir, file), "no %s appeared in %s", file, dir);
}

void durable_resume_matches(const char *dir, const char *ref_metrics, const char *ref_trace)
{
    host_result r = host_run("run", "--resume", dir, "--no-progress", NULL);
    cr_assert_eq(r.status, 0, "resume exit %d: %s", r.status, r.err);
    cr_assert_str_eq(r.out, ref_metrics, "resumed metrics differ from the uninterrupted run");
    char *trace = durable_read(dir, "trace.csv");
    cr_assert_str_eq(trace, ref_trace, "resumed trace differs from the uninterrupted run");
    GHashTable *j = read_results(dir);
    cr_assert_str_eq(durable_field(j, "status"), "completed");
    cr_assert_str_eq(durable_field(j, "resumed"), "true");
    cr_assert_not(durable_exists(dir, "checkpoint.blo"), "a completed run leaves no checkpoint");
    g_hash_table_destroy(j);
    g_free(trace);
    host_result_clear(&r);
}
