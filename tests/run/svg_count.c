/* Tests only: counting things in an SVG (svg_count.h). */
#include "svg_count.h"

#include <criterion/criterion.h>
#include <string.h>

guint count_substr(const char *haystack, const char *needle)
{
    guint n = 0;
    for (const char *p = haystack; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

guint polyline_points(const char *svg, guint i)
{
    const char *p = svg;
    for (guint k = 0; k <= i; k++) {
        p = strstr(p, "<polyline");
        cr_assert_not_null(p, "no polyline %u", i);
        p++;
    }
    p = strstr(p, "points=\"") + strlen("points=\"");
    const char *end = strchr(p, '"');
    guint n = 1;
    for (; p < end; p++)
        n += *p == ' ';
    return n;
}
