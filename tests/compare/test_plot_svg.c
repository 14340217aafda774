/* The SVG plot writer directly: ranges, the log floor, skipped points, escaping. */
#include "run/plot_svg.h"
#include "svg_check.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define PLOT_LEFT 80.0
#define PLOT_RIGHT 570.0
#define PLOT_TOP 36.0
#define PLOT_BOTTOM 404.0

/* Every polyline point inside the plot area; returns the number of points. */
static guint points_inside(const char *svg)
{
    guint n = 0;
    for (const char *p = strstr(svg, "points=\""); p; p = strstr(p + 1, "points=\"")) {
        const char *q = p + strlen("points=\"");
        double x, y;
        int used;
        while (sscanf(q, "%lf,%lf%n", &x, &y, &used) == 2) {
            cr_assert(x >= PLOT_LEFT - 0.01 && x <= PLOT_RIGHT + 0.01 && y >= PLOT_TOP - 0.01 &&
                      y <= PLOT_BOTTOM + 0.01, "point %g,%g outside the plot", x, y);
            n++;
            q += used;
        }
    }
    return n;
}

Test(plot_svg, log_floor_nan_and_ranges)
{
    const double t1[] = { 0, 1, 2, 3 }, e1[] = { 1, 1e-2, 1e-4, 0 };       /* exact 0 at the end */
    const double t2[] = { 0, 0.5, 4 }, e2[] = { 2, NAN, 0.5 };             /* a NaN point skipped */
    const blo_plot_series s[] = {
        { .name = "a<b>", .x = t1, .y = e1, .n = 4 },
        { .name = "second", .x = t2, .y = e2, .n = 3 },
        { .name = "empty", .x = NULL, .y = NULL, .n = 0 },
    };
    blo_plot p = { .title = "T & x", .x_label = "time (s)", .y_label = "error", .log_y = TRUE };
    char *svg = blo_plot_svg(&p, s, 3), *problem = NULL;
    cr_assert(svg_balanced(svg, &problem), "%s", problem);
    cr_assert_eq(svg_count(svg, "polyline"), 2, "no line for a series without points");
    cr_assert_eq(points_inside(svg), 4 + 2);
    cr_assert(strstr(svg, ">a&lt;b&gt;</text>") && strstr(svg, ">T &amp; x</text>"), "escaped text");
    cr_assert(strstr(svg, ">1e-4</text>") && strstr(svg, ">1e0</text>") && strstr(svg, ">1e1</text>"),
              "decade ticks span 1e-4 .. 2");
    cr_assert(strstr(svg, ">empty</text>"), "every series is in the legend");
    g_free(svg);
}

Test(plot_svg, linear_axis_and_no_data)
{
    const double x[] = { 0, 10 }, y[] = { -1, 1 };
    const blo_plot_series s = { .name = "line", .x = x, .y = y, .n = 2 };
    blo_plot p = { .title = "linear", .log_y = FALSE };
    char *svg = blo_plot_svg(&p, &s, 1), *problem = NULL;
    cr_assert(svg_balanced(svg, &problem), "%s", problem);
    cr_assert_eq(points_inside(svg), 2);
    cr_assert(strstr(svg, ">-1</text>") && strstr(svg, ">10</text>"), "nice ticks at the data ends");
    g_free(svg);
    svg = blo_plot_svg(&p, NULL, 0);
    cr_assert(svg_balanced(svg, &problem), "an empty plot is still a document: %s", problem);
    g_free(svg);
}
