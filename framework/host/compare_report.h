/* blo-host compare: one row per solver run, and the files written from them. */
#ifndef BLO_HOST_COMPARE_REPORT_H
#define BLO_HOST_COMPARE_REPORT_H

#include <glib.h>

/* Table columns after solver and status: results.json metrics except solver_s
 * and peak_rss_bytes, which come from the run itself. */
#define BLO_COMPARE_METRICS \
    ((const char *const[]){ "iterations", "x_rel_error", "y_rel_error", "F", "grad_evals", "hvp_evals", NULL })

typedef struct blo_compare_row {
    char *name;          /* solver name, "-2", "-3" ... when repeated; also its folder */
    char *solver;        /* canonical solver element */
    char *status;        /* completed / interrupted / failed / not run */
    char *message;       /* failure message or NULL */
    double metrics[6];   /* BLO_COMPARE_METRICS order; NaN when absent */
    double solver_s;
    double peak_rss_bytes;
    GArray *curve_t, *curve_e;   /* double: solver seconds and the plotted metric per traced row */
} blo_compare_row;

typedef struct blo_compare_report {
    const char *problem;       /* the problem fragment as given */
    const char *plot_metric;   /* "x_rel_error" */
    GPtrArray *rows;           /* blo_compare_row* */
} blo_compare_report;

blo_compare_row *blo_compare_row_new(const char *name, const char *solver);
void             blo_compare_row_free(blo_compare_row *row);

/* DIR/compare.csv, compare.json, compare.md and compare.svg. */
gboolean blo_compare_write(const blo_compare_report *rep, const char *dir, GError **error);

#endif
