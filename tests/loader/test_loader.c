/* Loader: each broken fixture plugin is reported with its path and reason
 * and skipped, while the good plugins in the same directory still load.
 * Every scenario gets its own plugin directory (GStreamer style). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "loader/registry.h"

static GPtrArray *problems;

static void collect(const char *path, const GError *reason, void *user)
{
    (void)user;
    g_ptr_array_add(problems, g_strdup_printf("%s: %s", path, reason->message));
}

static void copy_file(const char *src, const char *dst)
{
    char *data = NULL;
    gsize len = 0;
    cr_assert(g_file_get_contents(src, &data, &len, NULL), "cannot read %s", src);
    cr_assert(g_file_set_contents(dst, data, (gssize)len, NULL), "cannot write %s", dst);
    g_free(data);
}

/* A fresh directory with the two good plugins first and `bad` (a file of
 * FIXTURE_BAD_DIR) last in name order. */
static char *scenario_dir(const char *bad, char **bad_path)
{
    char *dir = g_dir_make_tmp("blo-loader-XXXXXX", NULL);
    cr_assert_not_null(dir);
    const char *good[][2] = { { "fx-good.so", "a-fx-good.so" }, { "fx-other.so", "b-fx-other.so" } };
    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        char *src = g_build_filename(FIXTURE_GOOD_DIR, good[i][0], NULL);
        char *dst = g_build_filename(dir, good[i][1], NULL);
        copy_file(src, dst);
        g_free(src);
        g_free(dst);
    }
    if (bad) {
        char *src = g_build_filename(FIXTURE_BAD_DIR, bad, NULL);
        char *name = g_strconcat("z-", bad, NULL);
        *bad_path = g_build_filename(dir, name, NULL);
        copy_file(src, *bad_path);
        g_free(src);
        g_free(name);
    }
    return dir;
}

static void remove_dir(char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *p = g_build_filename(dir, name, NULL);
        unlink(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    rmdir(dir);
    g_free(dir);
}

static void setup(void)
{
    problems = g_ptr_array_new_with_free_func(g_free);
}

static void teardown(void)
{
    g_ptr_array_unref(problems);
}

TestSuite(loader, .init = setup, .fini = teardown, .timeout = 60);

static void assert_good_loaded(const blo_registry *r)
{
    cr_assert_not_null(blo_registry_find(r, BLO_KIND_SOLVER, "fx-solver"));
    cr_assert_not_null(blo_registry_find(r, BLO_KIND_DATASET, "fx-data"));
    cr_assert_not_null(blo_registry_find(r, BLO_KIND_METRIC, "fx-other"));
}

/* Load a directory holding the good plugins and `bad`; expect exactly one
 * problem naming the bad file and containing `reason`. */
static void expect_skipped(const char *bad, const char *reason)
{
    char *bad_path = NULL;
    char *dir = scenario_dir(bad, &bad_path);
    blo_registry *r = blo_registry_new();
    blo_registry_set_problem_handler(r, collect, NULL);
    int loaded = blo_registry_load_dir(r, dir);
    cr_assert_eq(loaded, 2, "loaded %d plugins, expected the 2 good ones", loaded);
    cr_assert_eq(problems->len, 1, "expected one problem, got %u", problems->len);
    const char *msg = g_ptr_array_index(problems, 0);
    cr_assert(g_str_has_prefix(msg, bad_path), "'%s' does not name %s", msg, bad_path);
    cr_assert(strstr(msg, reason) != NULL, "'%s' does not say '%s'", msg, reason);
    assert_good_loaded(r);
    cr_assert_null(blo_registry_find(r, BLO_KIND_METRIC, "fx-bad"));
    cr_assert_null(blo_registry_find(r, BLO_KIND_METRIC, "fx-dup-extra"));

    /* The single-file API reports the same reason, prefixed with the path. */
    GError *err = NULL;
    cr_assert_not(blo_registry_load_file(r, bad_path, &err));
    cr_assert(g_error_matches(err, BLO_ERROR, BLO_ERROR_PLUGIN));
    cr_assert(g_str_has_prefix(err->message, bad_path) && strstr(err->message, reason),
              "load_file said '%s'", err->message);
    g_error_free(err);
    blo_registry_free(r);
    g_free(bad_path);
    remove_dir(dir);
}

Test(loader, good_plugins_load)
{
    char *dir = scenario_dir(NULL, NULL);
    blo_registry *r = blo_registry_new();
    blo_registry_set_problem_handler(r, collect, NULL);
    cr_assert_eq(blo_registry_load_dir(r, dir), 2);
    cr_assert_eq(problems->len, 0);
    assert_good_loaded(r);
    const blo_registered *e = blo_registry_find(r, BLO_KIND_SOLVER, "fx-solver");
    cr_assert_str_eq(e->plugin->name, "fx-good");
    cr_assert(g_str_has_suffix(e->path, "a-fx-good.so"), "path %s", e->path);
    blo_registry_free(r);
    remove_dir(dir);
}

Test(loader, wrong_abi_major)
{
    char *want = g_strdup_printf("plugin ABI %d.0, this host supports ABI %d.%d (major version must match)",
                                 BLO_ABI_MAJOR + 1, BLO_ABI_MAJOR, BLO_ABI_MINOR);
    expect_skipped("bad-major.so", want);
    g_free(want);
}

Test(loader, newer_abi_minor)
{
    char *want = g_strdup_printf("plugin ABI %d.%d, newer than this host's ABI %d.%d", BLO_ABI_MAJOR,
                                 BLO_ABI_MINOR + 1, BLO_ABI_MAJOR, BLO_ABI_MINOR);
    expect_skipped("bad-minor.so", want);
    g_free(want);
}

Test(loader, missing_entry_symbol)
{
    expect_skipped("no-entry.so", "not a blo plugin: no 'blo_plugin_entry_v1' symbol");
}

Test(loader, unresolved_symbol)
{
    expect_skipped("unresolved.so", "blo_fixture_function_that_does_not_exist");
}

Test(loader, unresolved_symbol_says_not_loadable)
{
    expect_skipped("unresolved.so", "not a loadable plugin");
}

Test(loader, duplicate_component_rejects_whole_plugin)
{
    expect_skipped("duplicate.so", "component solver:fx-solver is already provided by plugin fx-good");
}

Test(loader, failing_init)
{
    expect_skipped("init-fail.so", "init() failed: fixture refuses to start");
}

Test(loader, default_outside_its_range)
{
    expect_skipped("bad-default.so", "component metric:fx-bad: default of parameter: steps=0: out of range");
}

Test(loader, component_declaring_a_common_parameter)
{
    expect_skipped("common-param.so", "component metric:fx-bad: parameter #0 'name' is declared by the framework");
}

Test(loader, not_an_elf_file)
{
    expect_skipped("not-elf.so", "not a loadable plugin: not an ELF shared object");
}

Test(loader, missing_file_names_path)
{
    blo_registry *r = blo_registry_new();
    GError *err = NULL;
    cr_assert_not(blo_registry_load_file(r, "/nonexistent/x.so", &err));
    cr_assert(g_str_has_prefix(err->message, "/nonexistent/x.so: "), "%s", err->message);
    g_error_free(err);
    cr_assert_eq(blo_registry_load_dir(r, "/nonexistent"), 0, "a missing dir is not an error");
    blo_registry_free(r);
}

Test(loader, same_file_through_two_dirs_is_not_a_duplicate)
{
    char *dir = scenario_dir(NULL, NULL);
    char *link = g_strconcat(dir, "-link", NULL);
    cr_assert_eq(symlink(dir, link), 0);
    blo_registry *r = blo_registry_new();
    blo_registry_set_problem_handler(r, collect, NULL);
    const char *dirs[] = { dir, link, NULL };
    blo_registry_load_default(r, dirs);
    cr_assert_eq(problems->len, 0, "first problem: %s",
                 problems->len ? (char *)g_ptr_array_index(problems, 0) : "");
    assert_good_loaded(r);
    blo_registry_free(r);
    unlink(link);
    g_free(link);
    remove_dir(dir);
}

Test(loader, broken_file_through_two_dirs_is_reported_once)
{
    char *bad_path = NULL;
    char *dir = scenario_dir("bad-major.so", &bad_path);
    blo_registry *r = blo_registry_new();
    blo_registry_set_problem_handler(r, collect, NULL);
    const char *dirs[] = { dir, dir, NULL };
    blo_registry_load_default(r, dirs);
    cr_assert_eq(problems->len, 1);
    assert_good_loaded(r);
    blo_registry_free(r);
    g_free(bad_path);
    remove_dir(dir);
}

Test(loader, plugin_path_environment_adds_dirs)
{
    char *dir = scenario_dir(NULL, NULL);
    char *env = g_strconcat("/nonexistent:", dir, NULL);
    g_setenv("BLO_PLUGIN_PATH", env, TRUE);
    blo_registry *r = blo_registry_new();
    blo_registry_set_problem_handler(r, collect, NULL);
    cr_assert_geq(blo_registry_load_default(r, NULL), 2);
    assert_good_loaded(r);
    blo_registry_free(r);
    g_unsetenv("BLO_PLUGIN_PATH");
    g_free(env);
    remove_dir(dir);
}

Test(loader, default_handler_prints_path_and_reason)
{
    char *bad_path = NULL;
    char *dir = scenario_dir("init-fail.so", &bad_path);
    cr_redirect_stderr();
    blo_registry *r = blo_registry_new();
    cr_assert_eq(blo_registry_load_dir(r, dir), 2);
    blo_registry_free(r);
    fflush(stderr);
    char *expected = g_strdup_printf("blo: skipping plugin %s: plugin fx-bad: init() failed: fixture refuses to start\n",
                                     bad_path);
    cr_assert_stderr_eq_str(expected);
    g_free(expected);
    g_free(bad_path);
    remove_dir(dir);
}
