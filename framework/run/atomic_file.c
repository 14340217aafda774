/* Crash-safe file replacement: write a temporary, fsync, rename. */
#include "atomic_file.h"

#include <blo/error.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static gboolean fail_errno(const char *path, const char *what, int err, GError **error)
{
    g_set_error(error, BLO_ERROR, BLO_ERROR_IO, "cannot %s '%s': %s", what, path, g_strerror(err));
    return FALSE;
}

static gboolean write_all(int fd, const char *data, size_t len, int *err)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *err = errno;
            return FALSE;
        }
        data += n;
        len -= (size_t)n;
    }
    return TRUE;
}

/* Make the rename itself durable; failure here is not worth losing a run over. */
static void fsync_parent_dir(const char *path)
{
    char *dir = g_path_get_dirname(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    g_free(dir);
}

/* PATH.tmp.PID.N: two writers (processes or threads) never share a temporary. */
static char *temp_name(const char *path)
{
    static gint counter;
    return g_strdup_printf("%s.tmp.%ld.%d", path, (long)getpid(), g_atomic_int_add(&counter, 1));
}

gboolean blo_write_file_atomic(const char *path, const void *data, size_t len, GError **error)
{
    char *tmp = temp_name(path);
    int err = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        fail_errno(path, "create", errno, error);
        g_free(tmp);
        return FALSE;
    }
    gboolean ok = write_all(fd, data, len, &err);
    if (ok && fsync(fd) != 0) {
        err = errno;
        ok = FALSE;
    }
    if (close(fd) != 0 && ok) {
        err = errno;
        ok = FALSE;
    }
    if (ok && rename(tmp, path) != 0) {
        err = errno;
        ok = FALSE;
    }
    if (!ok) {
        unlink(tmp);
        fail_errno(path, "write", err, error);
        g_free(tmp);
        return FALSE;
    }
    fsync_parent_dir(path);
    g_free(tmp);
    return TRUE;
}
