/* Tests only: spawning blo-host and reading what it wrote. */
#include "host_run.h"
#include "json_check.h"

#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

long host_file_size_limit;

/* In the child: cap file sizes so writes fail part-way, like a full disk. */
static void limit_file_size(gpointer unused)
{
    if (host_file_size_limit <= 0)
        return;
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = { .rlim_cur = (rlim_t)host_file_size_limit, .rlim_max = RLIM_INFINITY };
    setrlimit(RLIMIT_FSIZE, &rl);
}

static GPtrArray *host_argv(const char *first, va_list ap)
{
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)BLO_HOST);
    g_ptr_array_add(argv, (gpointer)"--plugin-path");
    g_ptr_array_add(argv, (gpointer)RUN_FIXTURE_DIR);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        g_ptr_array_add(argv, (gpointer)a);
    g_ptr_array_add(argv, NULL);
    return argv;
}

static int exit_code(int wait_status)
{
    if (WIFEXITED(wait_status))
        return WEXITSTATUS(wait_status);
    return 128 + WTERMSIG(wait_status);
}

host_result host_run(const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    GPtrArray *argv = host_argv(first, ap);
    va_end(ap);
    host_result r = { 0 };
    int ws = 0;
    GError *e = NULL;
    cr_assert(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, limit_file_size, NULL,
                           &r.out, &r.err, &ws, &e), "spawn: %s", e ? e->message : "");
    r.status = exit_code(ws);
    g_ptr_array_free(argv, TRUE);
    return r;
}

GPid host_spawn(const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    GPtrArray *argv = host_argv(first, ap);
    va_end(ap);
    GPid pid;
    GError *e = NULL;
    cr_assert(g_spawn_async(NULL, (char **)argv->pdata, NULL,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                            NULL, NULL, &pid, &e), "spawn: %s", e ? e->message : "");
    g_ptr_array_free(argv, TRUE);
    return pid;
}

int host_wait_status(GPid pid)
{
    int ws = 0;
    cr_assert_eq(waitpid(pid, &ws, 0), pid);
    g_spawn_close_pid(pid);
    return ws;
}

int host_wait(GPid pid)
{
    return exit_code(host_wait_status(pid));
}

void host_result_clear(host_result *r)
{
    g_free(r->out);
    g_free(r->err);
}

char *temp_dir(void)
{
    char *d = g_dir_make_tmp("blo-run-XXXXXX", NULL);
    cr_assert_not_null(d);
    return d;
}

void remove_tree(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    const char *n;
    while (d && (n = g_dir_read_name(d))) {
        char *p = g_build_filename(path, n, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR))
            remove_tree(p);
        else
            g_unlink(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(path);
}

GHashTable *read_results(const char *dir)
{
    char *path = g_build_filename(dir, "results.json", NULL);
    char *text = NULL;
    cr_assert(g_file_get_contents(path, &text, NULL, NULL), "no %s", path);
    size_t at = 0;
    GHashTable *j = json_flatten(text, &at);
    cr_assert_not_null(j, "%s is not valid JSON at byte %zu:\n%s", path, at, text);
    g_free(text);
    g_free(path);
    return j;
}

guint count_lines(const char *path)
{
    char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return 0;
    guint n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    g_free(text);
    return n;
}
