/* Tests only: a structural check of an SVG document. */
#ifndef BLO_TEST_SVG_CHECK_H
#define BLO_TEST_SVG_CHECK_H

#include <glib.h>

/* TRUE when every element opened is closed in order (self-closing ones
 * count), nothing is left open and the root is <svg>; *problem says why not. */
gboolean svg_balanced(const char *text, char **problem);
/* Occurrences of the element <name ...> in text. */
guint    svg_count(const char *text, const char *name);

#endif
