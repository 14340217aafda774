/* framework (private): the run folder's lock and identity file.
 *
 * DIR/run.lock exists while a run works in DIR: an exclusive flock() on it,
 * with the owner's pid as its content, is held from the start of the run (or
 * resume) until the run is freed, so a second run or --resume of DIR fails
 * with "run folder DIR is in use by process N".
 *
 * DIR/run.ini (GKeyFile) names the run that owns the folder: its canonical
 * pipeline and that text's SHA-256, the seed and threads and the blo and
 * plugin-ABI versions.  It is written when a fresh run has been assembled;
 * --resume refuses a checkpoint that does not match it.
 */
#ifndef BLO_FRAMEWORK_RUN_FOLDER_H
#define BLO_FRAMEWORK_RUN_FOLDER_H

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

#define BLO_LOCK_FILE "run.lock"
#define BLO_IDENTITY_FILE "run.ini"

typedef struct blo_run_lock blo_run_lock;

/* Take the lock of DIR (which must exist); BLO_ERROR_IO with the holder's
 * pid when another run has it. */
blo_run_lock *blo_run_folder_lock(const char *dir, GError **error);
/* Remove DIR/run.lock and release it (NULL: nothing). */
void          blo_run_folder_unlock(blo_run_lock *lock);

typedef struct blo_run_identity {
    char *pipeline;          /* canonical text */
    char *pipeline_sha256;   /* lower-case hex of the text's SHA-256 */
    int64_t seed, threads;
    char *blo_version;
    int64_t abi_major, abi_minor;
} blo_run_identity;

/* Lower-case hex SHA-256 of `text` (g_free). */
char    *blo_pipeline_digest(const char *text);
/* The identity of a run of `pipeline` (the other fields this blo's). */
void     blo_run_identity_init(blo_run_identity *id, const char *pipeline, int64_t seed, int64_t threads);
void     blo_run_identity_clear(blo_run_identity *id);
gboolean blo_run_identity_write(const char *dir, const blo_run_identity *id, GError **error);
/* BLO_ERROR_IO when DIR/run.ini is missing, BLO_ERROR_FORMAT naming the key
 * when a field is absent or malformed. */
gboolean blo_run_identity_read(const char *dir, blo_run_identity *id, GError **error);

G_END_DECLS

#endif
