/* blo-host compare: the problem and solver list texts.
 *
 * A list is elements separated by ';' (outside "quoted" values), with the
 * pipeline grammar's # comments; it is given as a string or as a file. */
#ifndef BLO_HOST_COMPARE_LIST_H
#define BLO_HOST_COMPARE_LIST_H

#include <glib.h>

/* The ';'-separated segments of `text`, comments removed, each trimmed; an
 * empty segment (";;", a trailing ';') is a BLO_ERROR_PARSE naming its place. */
GPtrArray *blo_compare_split(const char *text, const char *what, GError **error);
/* The text of `arg`: the file's contents when it ends in ".blo" or names an
 * existing file, else `arg` itself. */
char      *blo_compare_text(const char *arg, GError **error);

#endif
