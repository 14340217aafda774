/* blo SDK: error reporting.
 *
 * Every fallible call takes a trailing `GError **error` (may be NULL) and
 * returns FALSE / NULL / a negative value on failure.  Library and plugin code
 * never calls exit() or abort(): it sets the error and returns.
 */
#ifndef BLO_ERROR_H
#define BLO_ERROR_H

#include <glib.h>

G_BEGIN_DECLS

#define BLO_ERROR (blo_error_quark())
GQuark blo_error_quark(void);

typedef enum {
    BLO_ERROR_FAILED,        /* generic failure */
    BLO_ERROR_INVALID_ARG,   /* a caller passed something out of contract */
    BLO_ERROR_PARSE,         /* pipeline text could not be parsed */
    BLO_ERROR_UNKNOWN_NAME,  /* no component / parameter of that name */
    BLO_ERROR_TYPE,          /* a value of the wrong type */
    BLO_ERROR_RANGE,         /* a value outside its declared range */
    BLO_ERROR_SHAPE,         /* tensor shapes do not fit */
    BLO_ERROR_IO,            /* file missing, unreadable, disk full */
    BLO_ERROR_FORMAT,        /* a file exists but its content is malformed */
    BLO_ERROR_NUMERIC,       /* NaN / Inf appeared during a computation */
    BLO_ERROR_PLUGIN,        /* a plugin could not be loaded */
    BLO_ERROR_CANCELLED,     /* the user interrupted the run (Ctrl-C) */
    BLO_ERROR_UNSUPPORTED,   /* the combination of components cannot work */
} blo_error_code;

G_END_DECLS

#endif
