/* framework (private): the two JSON value forms results.json needs. */
#ifndef BLO_FRAMEWORK_JSON_WRITER_H
#define BLO_FRAMEWORK_JSON_WRITER_H

#include <glib.h>

G_BEGIN_DECLS

/* A quoted JSON string with every control character, quote and backslash
 * escaped (NULL becomes null).  Invalid UTF-8 bytes become U+FFFD. */
void blo_json_append_string(GString *out, const char *s);
/* A number that round-trips (%.17g); NaN and infinities become null,
 * which JSON has no literal for. */
void blo_json_append_number(GString *out, double v);

G_END_DECLS

#endif
