/* blo-host: list, describe and run pipelines of plugin components. */
#include <stdio.h>
#include <string.h>
#include <blo/version.h>
#include "commands.h"

static const char usage[] =
    "usage: blo-host [--plugin-path DIR]... [--version] [--help] COMMAND ...\n"
    "\n"
    "commands:\n"
    "  list                       one line per component: kind:name, plugin, paper, summary\n"
    "  info NAME                  a component's plugin and parameters (NAME is kind:name or a unique name)\n"
    "  run PIPELINE [OPTIONS]     run a pipeline (options may come before or after it)\n"
    "      --seed N --threads N --out DIR [--force] --resume DIR --checkpoint-every SECONDS\n"
    "      --no-progress          no progress line on a terminal\n"
    "      --eval-every K         put the objective's metrics into trace.csv every K steps\n"
    "      --dump-pipeline        print the canonical pipeline on one line and exit\n"
    "  compare PROBLEM --solvers \"SOLVER ; SOLVER ; ...\" --out DIR\n"
    "  compare FILE --out DIR     several solvers on one problem (FILE: \"PROBLEM ; SOLVER ; ...\");\n"
    "                             DIR/<solver>/ per run, DIR/compare.{csv,json,md,svg}\n"
    "      --seed N --threads N --eval-every K (default 10) --plot-metric KEY --force\n"
    "      --dump-pipeline        print each solver's canonical pipeline, one a line, and exit\n"
    "  plot RUN_DIR|TRACE_CSV... --y COL[,COL...]\n"
    "                             curves from trace.csv: one series per run and column\n"
    "      --x COL (default: the first column, the step) --out FILE.svg (default: stdout)\n"
    "      --title T --label NAME (one per run, in order; default: the run directory's name) --log-y\n"
    "\n"
    "PIPELINE is `kind:name key=value ! kind:name ...` as arguments, one quoted string,\n"
    "or a file (.blo, same grammar, # comments).  A component-valued parameter takes\n"
    "a nested element: `solver:last base=[ solver:pgd-at steps=7 ]`.\n"
    "\n"
    "plugins are searched in --plugin-path, BLO_PLUGIN_PATH (colon list), the build tree\n"
    "(when run from it), " BLO_PLUGINS_INSTALL_DIR " (or the same folder relative to blo-host)\n"
    "and ~/.local/share/" BLO_ABI_DIR "/plugins; a missing --plugin-path folder is a warning.\n"
    "\n"
    "exit status: 0 ok, 1 run failed, 2 usage error (unknown name, bad pipeline, bad option),\n"
    "3 completed with a NaN / Inf metric (results.json \"warnings\"),\n"
    "130 / 143 / 129 stopped by SIGINT (Ctrl-C) / SIGTERM / SIGHUP (results.json and a\n"
    "checkpoint for --resume are written; see share/doc/run-folder.md).\n"
    "plot: 2 also for a missing file or column, 1 for a malformed trace or nothing to plot.\n";

/* Removes every --plugin-path DIR / --plugin-path=DIR from argv (they may
 * appear anywhere) into dirs; returns the new argc, or -1 on a missing DIR. */
static int take_plugin_paths(int argc, char **argv, GPtrArray *dirs)
{
    int out = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--plugin-path") == 0) {
            if (i + 1 >= argc)
                return -1;
            g_ptr_array_add(dirs, argv[++i]);
        } else if (g_str_has_prefix(argv[i], "--plugin-path=")) {
            g_ptr_array_add(dirs, argv[i] + strlen("--plugin-path="));
        } else {
            argv[out++] = argv[i];
        }
    }
    return out;
}

static int run_command(blo_registry *r, int argc, char **argv)
{
    const char *cmd = argv[0];
    if (strcmp(cmd, "list") == 0)
        return blo_cmd_list(r, argc, argv);
    if (strcmp(cmd, "info") == 0)
        return blo_cmd_info(r, argc, argv);
    if (strcmp(cmd, "compare") == 0)
        return blo_cmd_compare(r, argc, argv);
    /* run: --dump-pipeline is answered here, without running anything. */
    blo_host_args a = { 0 };
    GError *err = NULL;
    int rc;
    if (!blo_host_args_split(argc, argv, 1, BLO_HOST_RUN_VALUE_OPTS, &a, &err)) {
        blo_host_error("run: %s", err->message);
        g_error_free(err);
        rc = BLO_EXIT_USAGE;
    } else if (blo_host_args_get(&a, "--dump-pipeline")) {
        const char *unknown = blo_host_args_unknown(&a, BLO_HOST_RUN_VALUE_OPTS, BLO_HOST_RUN_FLAG_OPTS);
        if (unknown) {
            blo_host_error("run: unknown option %s (see --help)", unknown);
            rc = BLO_EXIT_USAGE;
        } else {
            rc = blo_host_dump_pipeline(r, &a);
        }
    } else {
        rc = blo_cmd_run(r, argc, argv);
    }
    blo_host_args_clear(&a);
    return rc;
}

int main(int argc, char **argv)
{
    blo_host_prefer_passive_omp_wait(argv);
    GPtrArray *dirs = g_ptr_array_new();
    int n = take_plugin_paths(argc - 1, argv + 1, dirs);
    int rc = BLO_EXIT_USAGE;
    char **args = argv + 1;
    if (n < 0) {
        blo_host_error("--plugin-path needs a directory");
    } else if (n == 0) {
        fputs(usage, stderr);
    } else if (strcmp(args[0], "--help") == 0 || strcmp(args[0], "-h") == 0 || strcmp(args[0], "help") == 0) {
        fputs(usage, stdout);
        rc = BLO_EXIT_OK;
    } else if (strcmp(args[0], "--version") == 0) {
        printf("blo-host %s (libblo %s, plugin ABI %d.%d)\n", BLO_VERSION, blo_version(), BLO_ABI_MAJOR,
               BLO_ABI_MINOR);
        rc = BLO_EXIT_OK;
    } else if (strcmp(args[0], "plot") == 0) {   /* traces only: no plugins to load */
        rc = blo_cmd_plot(n, args);
    } else if (strcmp(args[0], "list") != 0 && strcmp(args[0], "info") != 0 && strcmp(args[0], "run") != 0 &&
               strcmp(args[0], "compare") != 0) {
        blo_host_error("unknown command '%s' (expected list, info, run, compare or plot; see --help)", args[0]);
    } else {
        g_ptr_array_add(dirs, NULL);
        blo_registry *r = blo_registry_new();
        blo_registry_load_default(r, (const char *const *)dirs->pdata);
        blo_registry_set_default(r);
        rc = run_command(r, n, args);
        blo_registry_free(r);
    }
    g_ptr_array_unref(dirs);
    return rc;
}
