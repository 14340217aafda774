/* Tests only: counting things in an SVG written by plot_svg.c. */
#ifndef BLO_TEST_SVG_COUNT_H
#define BLO_TEST_SVG_COUNT_H

#include <glib.h>

/* Non-overlapping occurrences of needle. */
guint count_substr(const char *haystack, const char *needle);
/* Points of the i-th <polyline> (0-based); fails the test when there is none. */
guint polyline_points(const char *svg, guint i);

#endif
