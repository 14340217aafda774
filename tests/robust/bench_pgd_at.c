/* Benchmark: BATCHES minibatches of PGD-AT (CNN, batch 128, 7 steps) in blo
 * against the same loop in PyTorch (pgd_at_torch.py, same threads, same
 * shapes), run side by side.  Prints both times and `ratio: X` (blo / torch).
 * Exit 77 (skip) when torch is missing. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "shared_fixture_dir.h"
#include "loader/registry.h"
#include "core/pipeline.h"
#include "run/run_internal.h"

#define THREADS 2
#define BATCHES 10

static double blo_seconds(const char *dir)
{
    blo_registry *reg = blo_registry_new();
    if (blo_registry_load_dir(reg, BLO_BUILD_PLUGINS_DIR) <= 0)
        return -1;
    blo_registry_set_default(reg);
    char *text = g_strdup_printf("dataset:fashion-mnist root=%s n_train=%d n_val=0 n_test=100 corrupt=0 flatten=false "
                                 "! learner:cnn ! solver:pgd-at epochs=1 batch_size=128 eps=0.1 steps=7",
                                 dir, 128 * BATCHES);
    GError *err = NULL;
    blo_pipeline *p = blo_pipeline_parse(text, &err);
    g_free(text);
    blo_run_options opts = { .seed = 1, .threads = THREADS };
    blo_run *run = p && blo_pipeline_resolve(p, reg, &err) ? blo_run_new(p, &opts, &err) : NULL;
    if (!run) {
        fprintf(stderr, "blo: %s\n", err ? err->message : "?");
        return -1;
    }
    gint64 t0 = g_get_monotonic_time();
    blo_run_status st = blo_run_execute(run, &err);
    double s = (double)(g_get_monotonic_time() - t0) / 1e6;
    blo_run_free(run);
    return st == BLO_RUN_COMPLETED ? s : -1;
}

int main(void)
{
    char *cmd = g_strdup_printf("/usr/bin/python3 %s/tests/robust/pgd_at_torch.py %d %d", BLO_SOURCE_ROOT, THREADS,
                                BATCHES);
    char *out = NULL;
    int status = 0;
    gboolean spawned = g_spawn_command_line_sync(cmd, &out, NULL, &status, NULL);
    g_free(cmd);
    if (!spawned || (WIFEXITED(status) && WEXITSTATUS(status) == 77)) {
        printf("torch missing: skipped\n");
        g_free(out);
        return 77;
    }
    const char *at = out ? strstr(out, "seconds: ") : NULL;
    double torch_s = at ? g_ascii_strtod(at + 9, NULL) : -1;
    g_free(out);
    char *dir = shared_fixture_dir();
    double blo_s = blo_seconds(dir);
    g_free(dir);
    if (torch_s <= 0 || blo_s <= 0) {
        fprintf(stderr, "benchmark failed (torch %.3f s, blo %.3f s)\n", torch_s, blo_s);
        return 1;
    }
    printf("PGD-AT, %d minibatches of 128, %d threads: blo %.2f s, torch %.2f s\n", BATCHES, THREADS, blo_s, torch_s);
    printf("ratio: %.2f\n", blo_s / torch_s);
    return 0;
}
