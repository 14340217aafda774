/* blo-host subcommands; each parses its own options from argv (argv[0] is the
 * subcommand name) and returns the process exit code: 0 ok, 1 run failed,
 * 2 usage error. */
#ifndef BLO_HOST_COMMANDS_H
#define BLO_HOST_COMMANDS_H

#include "loader/registry.h"
#include "core/pipeline.h"

#define BLO_EXIT_OK 0
#define BLO_EXIT_FAILED 1
#define BLO_EXIT_USAGE 2
#define BLO_EXIT_WARNINGS 3   /* completed, with a NaN / Inf metric (results.json "warnings") */

int blo_cmd_list(blo_registry *r, int argc, char **argv);
int blo_cmd_info(blo_registry *r, int argc, char **argv);
int blo_cmd_run(blo_registry *r, int argc, char **argv);
int blo_cmd_compare(blo_registry *r, int argc, char **argv);
/* plot reads traces only: no plugins, so no registry. */
int blo_cmd_plot(int argc, char **argv);

/* ---- shared argv handling (host_args.c) --------------------------------
 * Options (tokens starting with "--") may come before or after the pipeline.
 * An option listed in value_opts takes a value, either as "--opt=VALUE" or as
 * the next token; other options are flags.  Everything else, in order, is the
 * pipeline. */
typedef struct blo_host_option {
    char *name;    /* "--seed" */
    char *value;   /* "5", or NULL for a flag */
} blo_host_option;

typedef struct blo_host_args {
    GPtrArray *options;    /* blo_host_option*, in order */
    GPtrArray *pipeline;   /* char*, the pipeline tokens in order */
} blo_host_args;

/* Options of `blo-host run` that take a value. */
#define BLO_HOST_RUN_VALUE_OPTS \
    ((const char *const[]){ "--seed", "--threads", "--out", "--resume", "--checkpoint-every", "--eval-every", "--plugin-path", \
                            "--save-weights", NULL })

/* Flags of `blo-host run` (no value); cmd_run.c may add its own here. */
#define BLO_HOST_RUN_FLAG_OPTS ((const char *const[]){ "--dump-pipeline", "--force", "--no-progress", NULL })

/* Split argv[first..argc-1].  FALSE (usage error) when a value option has no value. */
gboolean     blo_host_args_split(int argc, char **argv, int first, const char *const *value_opts,
                                 blo_host_args *out, GError **error);
void         blo_host_args_clear(blo_host_args *a);
/* Value of the last occurrence of an option: its value, "" for a flag, NULL if absent. */
const char  *blo_host_args_get(const blo_host_args *a, const char *name);
/* The first option in neither NULL-terminated list (either may be NULL), or NULL. */
const char  *blo_host_args_unknown(const blo_host_args *a, const char *const *known, const char *const *known2);
/* Parse the pipeline tokens: one token that ends in ".blo" or names an
 * existing file is read as a file; one other token is parsed as a string;
 * several tokens as argv.  Not resolved.  No tokens is a BLO_ERROR_PARSE. */
blo_pipeline *blo_host_args_pipeline(const blo_host_args *a, GError **error);

/* `blo-host run ... --dump-pipeline`: resolve the pipeline of `a` against r
 * and print its canonical form on one line to stdout.  Returns the exit code
 * (0, or 2 with the reason on stderr).  main.c calls this before blo_cmd_run,
 * so cmd_run.c never sees --dump-pipeline. */
int          blo_host_dump_pipeline(blo_registry *r, const blo_host_args *a);

/* TRUE when PATH is missing or has no entries (an output folder safe to use). */
gboolean     blo_host_dir_is_empty(const char *path);

/* "blo-host: message" on stderr. */
void         blo_host_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* omp_wait.c: unless the user chose an OpenMP wait policy, re-execute with
 * OMP_WAIT_POLICY=passive (returns only when it does not re-execute). */
void         blo_host_prefer_passive_omp_wait(char **argv);

#endif
