/* The run folder's lock (run.lock) and identity (run.ini); see run_folder.h. */
#include "run_folder.h"
#include "atomic_file.h"

#include <blo/error.h>
#include <blo/plugin.h>
#include <blo/version.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct blo_run_lock {
    int fd;
    char *path;
};

/* The pid the holder wrote, or 0 when it has not written it yet. */
static long holder_pid(const char *path)
{
    for (int attempt = 0; attempt < 20; attempt++) {
        char *text = NULL;
        if (g_file_get_contents(path, &text, NULL, NULL) && text[0]) {
            long pid = strtol(text, NULL, 10);
            g_free(text);
            if (pid > 0)
                return pid;
        }
        g_free(text);
        g_usleep(5000);
    }
    return 0;
}

/* The lock is only ours if the path still names the file we locked: the
 * previous holder unlinks it before releasing it. */
static gboolean still_linked(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

blo_run_lock *blo_run_folder_lock(const char *dir, GError **error)
{
    char *path = g_build_filename(dir, BLO_LOCK_FILE, NULL);
    for (;;) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            g_set_error(error, BLO_ERROR, BLO_ERROR_IO, "cannot lock run folder '%s' (%s): %s", dir, path,
                        g_strerror(errno));
            g_free(path);
            return NULL;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int err = errno;
            close(fd);
            if (err == EINTR)
                continue;
            if (err == EWOULDBLOCK) {
                long pid = holder_pid(path);
                if (pid > 0)
                    g_set_error(error, BLO_ERROR, BLO_ERROR_IO,
                                "run folder %s is in use by process %ld (it holds %s)", dir, pid, path);
                else
                    g_set_error(error, BLO_ERROR, BLO_ERROR_IO,
                                "run folder %s is in use by another process (it holds %s)", dir, path);
            } else {
                g_set_error(error, BLO_ERROR, BLO_ERROR_IO, "cannot lock run folder '%s' (%s): %s", dir,
                            path, g_strerror(err));
            }
            g_free(path);
            return NULL;
        }
        if (!still_linked(fd, path)) {   /* raced with an unlock: take the new file */
            close(fd);
            continue;
        }
        char pid[32];
        int n = g_snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
        if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
            /* The lock holds without the pid; only the message gets vaguer. */
        }
        blo_run_lock *lock = g_new0(blo_run_lock, 1);
        lock->fd = fd;
        lock->path = path;
        return lock;
    }
}

void blo_run_folder_unlock(blo_run_lock *lock)
{
    if (!lock)
        return;
    unlink(lock->path);   /* while still holding it: see still_linked() */
    close(lock->fd);
    g_free(lock->path);
    g_free(lock);
}

/* ---- run.ini ---------------------------------------------------------------- */

#define GROUP "run"

char *blo_pipeline_digest(const char *text)
{
    return g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
}

void blo_run_identity_init(blo_run_identity *id, const char *pipeline, int64_t seed, int64_t threads)
{
    id->pipeline = g_strdup(pipeline);
    id->pipeline_sha256 = blo_pipeline_digest(pipeline);
    id->seed = seed;
    id->threads = threads;
    id->blo_version = g_strdup(blo_version());
    id->abi_major = BLO_ABI_MAJOR;
    id->abi_minor = BLO_ABI_MINOR;
}

void blo_run_identity_clear(blo_run_identity *id)
{
    g_clear_pointer(&id->pipeline, g_free);
    g_clear_pointer(&id->pipeline_sha256, g_free);
    g_clear_pointer(&id->blo_version, g_free);
}

gboolean blo_run_identity_write(const char *dir, const blo_run_identity *id, GError **error)
{
    GKeyFile *kf = g_key_file_new();
    g_key_file_set_comment(kf, NULL, NULL,
                           " The run this folder belongs to (blo-host run --resume checks it).", NULL);
    g_key_file_set_string(kf, GROUP, "pipeline", id->pipeline);
    g_key_file_set_string(kf, GROUP, "pipeline_sha256", id->pipeline_sha256);
    g_key_file_set_int64(kf, GROUP, "seed", id->seed);
    g_key_file_set_int64(kf, GROUP, "threads", id->threads);
    g_key_file_set_string(kf, GROUP, "blo_version", id->blo_version);
    g_key_file_set_int64(kf, GROUP, "abi_major", id->abi_major);
    g_key_file_set_int64(kf, GROUP, "abi_minor", id->abi_minor);
    gsize len = 0;
    char *text = g_key_file_to_data(kf, &len, NULL);
    char *path = g_build_filename(dir, BLO_IDENTITY_FILE, NULL);
    gboolean ok = blo_write_file_atomic(path, text, len, error);
    g_free(path);
    g_free(text);
    g_key_file_free(kf);
    return ok;
}

static gboolean read_string(GKeyFile *kf, const char *path, const char *key, char **out, GError **error)
{
    *out = g_key_file_get_string(kf, GROUP, key, NULL);
    if (*out && g_utf8_validate(*out, -1, NULL))
        return TRUE;
    g_clear_pointer(out, g_free);
    g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "%s: no usable '%s' in [%s]", path, key, GROUP);
    return FALSE;
}

static gboolean read_int(GKeyFile *kf, const char *path, const char *key, int64_t *out, GError **error)
{
    GError *local = NULL;
    *out = g_key_file_get_int64(kf, GROUP, key, &local);
    if (!local)
        return TRUE;
    g_set_error(error, BLO_ERROR, BLO_ERROR_FORMAT, "%s: no usable '%s' in [%s]: %s", path, key, GROUP,
                local->message);
    g_error_free(local);
    return FALSE;
}

gboolean blo_run_identity_read(const char *dir, blo_run_identity *id, GError **error)
{
    memset(id, 0, sizeof *id);
    char *path = g_build_filename(dir, BLO_IDENTITY_FILE, NULL);
    GKeyFile *kf = g_key_file_new();
    GError *local = NULL;
    gboolean ok = g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &local);
    if (!ok) {
        gboolean missing = g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT);
        g_set_error(error, BLO_ERROR, missing ? BLO_ERROR_IO : BLO_ERROR_FORMAT,
                    "%s: %s (it names the run the folder belongs to; every run writes it when it starts)",
                    path, missing ? "missing" : local->message);
        g_error_free(local);
    }
    ok = ok && read_string(kf, path, "pipeline", &id->pipeline, error) &&
         read_string(kf, path, "pipeline_sha256", &id->pipeline_sha256, error) &&
         read_int(kf, path, "seed", &id->seed, error) && read_int(kf, path, "threads", &id->threads, error) &&
         read_string(kf, path, "blo_version", &id->blo_version, error) &&
         read_int(kf, path, "abi_major", &id->abi_major, error) &&
         read_int(kf, path, "abi_minor", &id->abi_minor, error);
    if (!ok)
        blo_run_identity_clear(id);
    g_key_file_free(kf);
    g_free(path);
    return ok;
}
