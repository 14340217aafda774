/* blo-host as a subprocess: list, info, --dump-pipeline, usage errors. */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    int status;
    char *out, *err;
} result;

/* Runs blo-host --plugin-path FIXTURE_GOOD_DIR ARGS... */
static result host(const char *first, ...)
{
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)BLO_HOST_PATH);
    g_ptr_array_add(argv, (char *)"--plugin-path");
    g_ptr_array_add(argv, (char *)FIXTURE_GOOD_DIR);
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        g_ptr_array_add(argv, (char *)a);
    va_end(ap);
    g_ptr_array_add(argv, NULL);
    result r = { 0 };
    int wait_status = 0;
    GError *err = NULL;
    cr_assert(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                           &wait_status, &err), "spawn: %s", err ? err->message : "");
    cr_assert(WIFEXITED(wait_status));
    r.status = WEXITSTATUS(wait_status);
    g_ptr_array_unref(argv);
    return r;
}

static void result_clear(result *r)
{
    g_free(r->out);
    g_free(r->err);
}

static void assert_has(const char *text, const char *needle)
{
    cr_assert(strstr(text, needle) != NULL, "output lacks '%s':\n%s", needle, text);
}

TestSuite(host, .timeout = 60);

Test(host, list_shows_every_component)
{
    result r = host("list", NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    char **lines = g_strsplit(r.out, "\n", -1);
    int n = 0;
    for (char **l = lines; *l && **l; l++, n++)
        cr_assert(g_str_has_prefix(*l, "dataset:") || g_str_has_prefix(*l, "learner:") ||
                  g_str_has_prefix(*l, "objective:") || g_str_has_prefix(*l, "solver:") ||
                  g_str_has_prefix(*l, "attack:") || g_str_has_prefix(*l, "metric:") ||
                  g_str_has_prefix(*l, "loss:"), "line '%s'", *l);
    cr_assert_geq(n, 10);
    g_strfreev(lines);
    assert_has(r.out, "solver:fx-solver ");
    assert_has(r.out, "fx-good");
    assert_has(r.out, "Fixture et al., Tests 2026");
    assert_has(r.out, "fixture solver with every parameter type");
    assert_has(r.out, "metric:fx-other ");
    result_clear(&r);
}

Test(host, info_shows_parameters)
{
    result r = host("info", "fx-solver", NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    assert_has(r.out, "solver:fx-solver");
    assert_has(r.out, "fx-good 1.2.3 (MIT)");
    assert_has(r.out, "Fixture et al., Tests 2026");
    assert_has(r.out, "steps");
    assert_has(r.out, "[1, 10000000]");
    assert_has(r.out, "iterations to run");
    assert_has(r.out, "fast|slow|exact");
    assert_has(r.out, "list<int>");
    assert_has(r.out, "\"run one\"");
    assert_has(r.out, " attack:fx-attack eps=0.25 ");
    result_clear(&r);
}

Test(host, info_unknown_name_is_usage_error)
{
    result r = host("info", "nope", NULL);
    cr_assert_eq(r.status, 2);
    assert_has(r.err, "unknown component 'nope'");
    assert_has(r.err, "solver:fx-solver");
    result_clear(&r);
    r = host("info", "fx-twin", NULL);
    cr_assert_eq(r.status, 2);
    assert_has(r.err, "ambiguous");
    result_clear(&r);
}

Test(host, dump_pipeline_round_trips)
{
    result a = host("run", "--seed", "3", "solver:fx-wrap", "rounds=3", "base=[", "solver:fx-solver",
                    "tag=two words", "]", "!", "metric:fx-metric", "--dump-pipeline", NULL);
    cr_assert_eq(a.status, 0, "stderr: %s", a.err);
    cr_assert_eq(strchr(a.out, '\n'), a.out + strlen(a.out) - 1, "one line: %s", a.out);
    assert_has(a.out, "tag=\"two words\"");
    a.out[strlen(a.out) - 1] = '\0';
    result b = host("run", a.out, "--dump-pipeline", NULL);
    cr_assert_eq(b.status, 0, "stderr: %s", b.err);
    b.out[strlen(b.out) - 1] = '\0';
    cr_assert_str_eq(a.out, b.out);
    result_clear(&a);
    result_clear(&b);
}

Test(host, dump_pipeline_reads_files)
{
    char *path = NULL;
    int fd = g_file_open_tmp("blo-host-XXXXXX.blo", &path, NULL);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_assert(g_file_set_contents(path, "# a comment\nsolver:fx-solver steps=7  # inline\n! metric:fx-other\n", -1, NULL));
    result r = host("run", "--dump-pipeline", path, NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    assert_has(r.out, "solver:fx-solver steps=7 eta=0.1");
    assert_has(r.out, " ! metric:fx-other name=fx-other\n");
    result_clear(&r);
    unlink(path);
    g_free(path);
}

Test(host, bad_pipeline_is_usage_error)
{
    result r = host("run", "--dump-pipeline", "solver:fx-solver", "steps=abc", NULL);
    cr_assert_eq(r.status, 2);
    assert_has(r.err, "solver:fx-solver: steps=abc: expected an integer in [1, 10000000]");
    result_clear(&r);
    r = host("run", "--dump-pipeline", "solver:nope", NULL);
    cr_assert_eq(r.status, 2);
    /* (build-tree plugins may add names around the fixture's) */
    assert_has(r.err, "unknown solver 'nope'; valid solver names are: ");
    assert_has(r.err, "fx-solver, fx-wrap");
    result_clear(&r);
}

Test(host, version_help_and_usage)
{
    result r = host("--version", NULL);
    cr_assert_eq(r.status, 0);
    assert_has(r.out, "blo-host ");
    result_clear(&r);
    r = host("--help", NULL);
    cr_assert_eq(r.status, 0);
    assert_has(r.out, "usage: blo-host");
    result_clear(&r);
    r = host("frobnicate", NULL);
    cr_assert_eq(r.status, 2);
    assert_has(r.err, "unknown command 'frobnicate'");
    result_clear(&r);
    r = host(NULL);
    cr_assert_eq(r.status, 2);
    result_clear(&r);
}

Test(host, broken_plugins_reported_and_skipped)
{
    result r = host("--plugin-path", FIXTURE_BAD_DIR, "list", NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    assert_has(r.out, "solver:fx-solver");
    assert_has(r.err, "blo: skipping plugin " FIXTURE_BAD_DIR "/not-elf.so: not a loadable plugin");
    assert_has(r.err, FIXTURE_BAD_DIR "/bad-major.so: built for plugin ABI 2.0");
    result_clear(&r);
}

/* Must-show: for every .blo file in share/pipelines, --dump-pipeline output given
 * back as one argument dumps to the same line (build-tree plugins are found
 * because blo-host runs from the build tree). */
Test(host, share_pipelines_round_trip)
{
    GDir *d = g_dir_open(SHARE_PIPELINES_DIR, 0, NULL);
    cr_assert_not_null(d);
    int n = 0;
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL) {
        if (!g_str_has_suffix(name, ".blo"))
            continue;
        char *path = g_build_filename(SHARE_PIPELINES_DIR, name, NULL);
        result a = host("run", path, "--dump-pipeline", NULL);
        cr_assert_eq(a.status, 0, "%s: %s", name, a.err);
        g_strchomp(a.out);
        result b = host("run", a.out, "--dump-pipeline", NULL);
        cr_assert_eq(b.status, 0, "%s canonical: %s", name, b.err);
        g_strchomp(b.out);
        cr_assert_str_eq(a.out, b.out, "%s", name);
        result_clear(&a);
        result_clear(&b);
        g_free(path);
        n++;
    }
    g_dir_close(d);
    if (n == 0)
        cr_skip_test("no pipelines in %s yet", SHARE_PIPELINES_DIR);
}

Test(host, dump_rejects_unknown_options)
{
    result r = host("run", "solver:fx-solver", "--dump-pipeline", "--frobnicate", NULL);
    cr_assert_eq(r.status, 2);
    assert_has(r.err, "unknown option --frobnicate");
    result_clear(&r);
}

Test(host, info_shows_nested_component_default)
{
    result r = host("info", "solver:fx-wrap", NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    assert_has(r.out, " fx-solver ");
    assert_has(r.out, "any solver");
    result_clear(&r);
}
