/* Tests only: a strict little JSON reader that flattens a document into
 * "a.b.0.c" -> value text (strings unescaped, numbers / true / false / null
 * as written), enough to check results.json without a JSON library. */
#ifndef BLO_TEST_JSON_CHECK_H
#define BLO_TEST_JSON_CHECK_H

#include <glib.h>

/* NULL (and *error_at set to the byte offset) when text is not valid JSON. */
GHashTable *json_flatten(const char *text, size_t *error_at);

#endif
