/* SVG line plots: linear x, linear or log y (see plot_svg.h). */
#include "plot_svg.h"

#include <math.h>

#define H 460.0
#define LEFT 80.0
#define PLOT_W 490.0    /* width of the axes box; the legend sits to its right */
#define RIGHT 190.0     /* least room for the legend */
#define CHAR_W 7.0      /* generous average glyph width of the 12 px sans-serif */
#define TOP 36.0
#define BOTTOM 56.0

static const char *const palette[] = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};

typedef struct range { double lo, hi; } range;

/* The y value as plotted: log10 on a log axis, non-positive ones at `floor_`. */
static double plot_y(const blo_plot *p, double y, double floor_)
{
    if (!p->log_y)
        return y;
    return y > 0 ? log10(y) : floor_;
}

static gboolean usable(double x, double y)
{
    return isfinite(x) && isfinite(y);
}

/* Data ranges: x from 0 (times, steps) and y over every usable point. */
static void data_ranges(const blo_plot *p, const blo_plot_series *s, guint ns, range *rx, range *ry)
{
    rx->lo = 0, rx->hi = -INFINITY;
    ry->lo = INFINITY, ry->hi = -INFINITY;
    for (guint i = 0; i < ns; i++)
        for (guint k = 0; k < s[i].n; k++) {
            double x = s[i].x[k], y = s[i].y[k];
            if (!usable(x, y))
                continue;
            rx->hi = fmax(rx->hi, x);
            rx->lo = fmin(rx->lo, x);
            if (p->log_y && y <= 0)     /* drawn at the bottom edge, not a range */
                continue;
            ry->lo = fmin(ry->lo, plot_y(p, y, 0));
            ry->hi = fmax(ry->hi, plot_y(p, y, 0));
        }
    if (!isfinite(rx->hi) || rx->hi <= rx->lo)
        rx->hi = rx->lo + 1;
    if (!isfinite(ry->lo))
        ry->lo = 0, ry->hi = 1;
    if (p->log_y) {           /* whole decades */
        ry->lo = floor(ry->lo);
        ry->hi = ceil(ry->hi);
    }
    if (ry->hi <= ry->lo)
        ry->hi = ry->lo + 1;
}

/* A "nice" tick step (1, 2 or 5 times a power of ten) for about 6 ticks. */
static double nice_step(double span)
{
    double raw = span / 6, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static double sx(const range *rx, double x) { return LEFT + (x - rx->lo) / (rx->hi - rx->lo) * PLOT_W; }
static double sy(const range *ry, double y) { return H - BOTTOM - (y - ry->lo) / (ry->hi - ry->lo) * (H - TOP - BOTTOM); }

static void append_text(GString *s, double x, double y, const char *anchor, const char *extra, const char *text)
{
    char *esc = g_markup_escape_text(text, -1);
    g_string_append_printf(s, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>\n", x, y, anchor,
                           extra, esc);
    g_free(esc);
}

static void append_axes(GString *s, const blo_plot *p, const range *rx, const range *ry)
{
    double x0 = LEFT, x1 = LEFT + PLOT_W, y0 = H - BOTTOM, y1 = TOP;
    g_string_append_printf(s, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                           "stroke=\"#000\"/>\n", x0, y1, x1 - x0, y0 - y1);
    char label[64];
    double xs = nice_step(rx->hi - rx->lo);
    for (double t = ceil(rx->lo / xs) * xs; t <= rx->hi + xs * 1e-9; t += xs) {
        double px = sx(rx, t);
        g_string_append_printf(s, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                               px, y0, px, y1);
        g_snprintf(label, sizeof label, "%g", fabs(t) < xs * 1e-9 ? 0.0 : t);
        append_text(s, px, y0 + 16, "middle", "", label);
    }
    double ys = p->log_y ? 1 : nice_step(ry->hi - ry->lo);
    for (double t = ceil(ry->lo / ys) * ys; t <= ry->hi + ys * 1e-9; t += ys) {
        double py = sy(ry, t);
        g_string_append_printf(s, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                               x0, py, x1, py);
        if (p->log_y)
            g_snprintf(label, sizeof label, "1e%d", (int)lround(t));
        else
            g_snprintf(label, sizeof label, "%g", fabs(t) < ys * 1e-9 ? 0.0 : t);
        append_text(s, x0 - 6, py + 4, "end", "", label);
    }
    if (p->x_label)
        append_text(s, (x0 + x1) / 2, H - 14, "middle", "", p->x_label);
    if (p->y_label) {
        char *rot = g_strdup_printf(" transform=\"rotate(-90 %.1f %.1f)\"", 18.0, (y0 + y1) / 2);
        append_text(s, 18, (y0 + y1) / 2, "middle", rot, p->y_label);
        g_free(rot);
    }
    if (p->title)
        append_text(s, (x0 + x1) / 2, 22, "middle", " font-weight=\"bold\"", p->title);
}

static void append_series(GString *s, const blo_plot *p, const blo_plot_series *ser, const char *color,
                          const range *rx, const range *ry)
{
    GString *pts = g_string_new(NULL);
    for (guint k = 0; k < ser->n; k++) {
        double x = ser->x[k], y = ser->y[k];
        if (!usable(x, y))
            continue;
        double py = fmax(fmin(plot_y(p, y, ry->lo), ry->hi), ry->lo);
        g_string_append_printf(pts, "%s%.2f,%.2f", pts->len ? " " : "", sx(rx, x), sy(ry, py));
    }
    if (pts->len)
        g_string_append_printf(s, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"%s\"/>\n",
                               color, pts->str);
    g_string_free(pts, TRUE);
}

static void append_legend(GString *s, const blo_plot_series *ser, guint ns)
{
    double x = LEFT + PLOT_W + 14, y = TOP + 8;
    for (guint i = 0; i < ns; i++, y += 20) {
        g_string_append_printf(s, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                               "stroke-width=\"3\"/>\n", x, y, x + 22, y, palette[i % G_N_ELEMENTS(palette)]);
        append_text(s, x + 28, y + 4, "start", "", ser[i].name ? ser[i].name : "");
    }
}

/* Canvas width: the legend's longest entry must fit (long run labels). */
static double canvas_width(const blo_plot_series *ser, guint ns)
{
    double need = RIGHT;
    for (guint i = 0; i < ns; i++)
        if (ser[i].name)
            need = fmax(need, 14 + 28 + CHAR_W * (double)g_utf8_strlen(ser[i].name, -1) + 10);
    return LEFT + PLOT_W + need;
}

char *blo_plot_svg(const blo_plot *plot, const blo_plot_series *series, guint n_series)
{
    double W = canvas_width(series, n_series);
    range rx, ry;
    data_ranges(plot, series, n_series, &rx, &ry);
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                           "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
                           "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n", W, H, W, H);
    append_axes(s, plot, &rx, &ry);
    for (guint i = 0; i < n_series; i++)
        append_series(s, plot, &series[i], palette[i % G_N_ELEMENTS(palette)], &rx, &ry);
    append_legend(s, series, n_series);
    g_string_append(s, "</svg>\n");
    return g_string_free(s, FALSE);
}
