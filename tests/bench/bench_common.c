/* Benchmarks: timing and the PyTorch comparison run. */
#include "bench_common.h"
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bench_best_ms(bench_fn fn, void *ctx)
{
    for (int i = 0; i < 3; i++)
        fn(ctx);
    GArray *t = g_array_new(FALSE, FALSE, sizeof(double));
    gint64 start = g_get_monotonic_time();
    while (t->len < 5 || g_get_monotonic_time() - start < 1000000) {
        gint64 t0 = g_get_monotonic_time();
        fn(ctx);
        double ms = (double)(g_get_monotonic_time() - t0) / 1e3;
        g_array_append_val(t, ms);
    }
    qsort(t->data, t->len, sizeof(double), cmp_double);
    /* The fastest step by default; BLO_BENCH_STAT=median gives the typical
     * one, which is what a shared machine's user sees (torch_bench.py too). */
    const char *stat = getenv("BLO_BENCH_STAT");
    guint pick = stat && strcmp(stat, "median") == 0 ? t->len / 2 : 0;
    double m = g_array_index(t, double, pick);
    g_array_free(t, TRUE);
    return m;
}

int bench_threads(void)
{
    const char *e = getenv("BLO_BENCH_THREADS");
    if (e && atoi(e) > 0)
        return atoi(e);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

int bench_torch(const char *script, const char *mode, int threads, double *ms)
{
    char *threads_s = g_strdup_printf("%d", threads);
    char *argv[] = {"/usr/bin/python3", (char *)script, (char *)mode, threads_s, NULL};
    char *out = NULL, *err = NULL;
    int status = 0;
    GError *error = NULL;
    gboolean ok = g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_free(threads_s);
    int rc = 1;
    if (!ok) {
        printf("could not run PyTorch: %s\n", error->message);
        g_error_free(error);
        rc = 77;
    } else if (g_spawn_check_wait_status(status, NULL) && out && strstr(out, "torch_ms:")) {
        *ms = g_ascii_strtod(strstr(out, "torch_ms:") + 9, NULL);
        rc = 0;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
        printf("skipped: %s", out ? out : "torch not available\n");
        rc = 77;
    } else {
        printf("PyTorch run failed: %s%s\n", out ? out : "", err ? err : "");
    }
    g_free(out);
    g_free(err);
    return rc;
}
