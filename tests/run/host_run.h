/* Tests only: run blo-host (built in this tree) with the run fixture plugin. */
#ifndef BLO_TEST_HOST_RUN_H
#define BLO_TEST_HOST_RUN_H

#include <glib.h>

typedef struct host_result {
    int status;        /* exit code, or 128 + signal */
    char *out;         /* stdout */
    char *err;         /* stderr */
} host_result;

/* When > 0, host_run() children cannot write files larger than this (bytes). */
extern long host_file_size_limit;

/* blo-host --plugin-path <fixtures> ARGS... (NULL-terminated); waits. */
host_result host_run(const char *first, ...) G_GNUC_NULL_TERMINATED;
/* Same, started in the background; returns the pid, stdout/stderr discarded. */
GPid        host_spawn(const char *first, ...) G_GNUC_NULL_TERMINATED;
int         host_wait(GPid pid);
/* The raw waitpid() status (to tell exit(143) from death by SIGTERM). */
int         host_wait_status(GPid pid);
void        host_result_clear(host_result *r);

/* A fresh temporary folder and its recursive removal. */
char       *temp_dir(void);
void        remove_tree(const char *path);
/* results.json of DIR flattened (json_check.h); fails the test if invalid. */
GHashTable *read_results(const char *dir);
/* Lines of a text file (0 if missing). */
guint       count_lines(const char *path);

#endif
