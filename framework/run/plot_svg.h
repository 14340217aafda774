/* framework (private): a small self-contained SVG line-plot writer (error
 * curves of `blo-host compare`, later accuracy curves). */
#ifndef BLO_FRAMEWORK_PLOT_SVG_H
#define BLO_FRAMEWORK_PLOT_SVG_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct blo_plot_series {
    const char *name;      /* legend entry */
    const double *x, *y;   /* n points; non-finite ones are skipped */
    guint n;
} blo_plot_series;

typedef struct blo_plot {
    const char *title, *x_label, *y_label;
    gboolean log_y;        /* decade ticks; y <= 0 is drawn at the bottom edge */
} blo_plot;

/* A complete SVG document: axes with ticks, one <polyline> per series that
 * has a point, a legend with every series.  Free with g_free(). */
char *blo_plot_svg(const blo_plot *plot, const blo_plot_series *series, guint n_series);

G_END_DECLS

#endif
