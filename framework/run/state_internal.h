/* framework (private): checkpoint state and its file format.
 *
 * File layout (little-endian):
 *   "BLOSTATE"  u32 version  u32 n_entries
 *   n_entries x { u32 key_len, key bytes, u8 type, u64 data_len, data }
 *   SHA-256 of every byte before it (32 bytes)
 */
#ifndef BLO_FRAMEWORK_STATE_INTERNAL_H
#define BLO_FRAMEWORK_STATE_INTERNAL_H

#include <blo/blo.h>

G_BEGIN_DECLS

#define BLO_STATE_FORMAT_VERSION 1

blo_state *blo_state_new(void);
void       blo_state_free(blo_state *s);
gboolean   blo_state_has(const blo_state *s, const char *key);
/* Raw data of an entry of any type (NULL if absent); for variable-size entries. */
const void *blo_state_peek(const blo_state *s, const char *key, size_t *len);

GBytes    *blo_state_serialize(const blo_state *s);
/* `name` (usually the file path) appears in error messages. */
blo_state *blo_state_deserialize(const void *data, size_t len, const char *name, GError **error);
/* Atomic write (see atomic_file.h). */
gboolean   blo_state_write_file(const blo_state *s, const char *path, GError **error);
/* BLO_ERROR_IO when unreadable, BLO_ERROR_FORMAT naming the file when truncated or corrupt. */
blo_state *blo_state_read_file(const char *path, GError **error);

G_END_DECLS

#endif
