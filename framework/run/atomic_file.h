/* framework (private): crash-safe file replacement. */
#ifndef BLO_FRAMEWORK_ATOMIC_FILE_H
#define BLO_FRAMEWORK_ATOMIC_FILE_H

#include <glib.h>

G_BEGIN_DECLS

/* Write `len` bytes to PATH.tmp.PID.N (unique per process and call), fsync, and rename over PATH (then fsync the
 * directory), so PATH is either the old or the complete new content.  A
 * short write (ENOSPC, EIO, ...) fails with BLO_ERROR_IO naming PATH and the
 * reason, and removes the temporary file. */
gboolean blo_write_file_atomic(const char *path, const void *data, size_t len, GError **error);

G_END_DECLS

#endif
