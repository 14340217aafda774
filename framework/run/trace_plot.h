/* framework (private): SVG curves from run traces, shared by `blo-host plot`
 * and the curves.svg every run writes. */
#ifndef BLO_FRAMEWORK_TRACE_PLOT_H
#define BLO_FRAMEWORK_TRACE_PLOT_H

#include "trace_csv.h"

G_BEGIN_DECLS

#define BLO_CURVES_FILE "curves.svg"

typedef struct blo_trace_plot_request {
    const blo_trace_csv *const *traces;
    const char *const *labels;   /* legend prefix per trace */
    guint n_traces;
    const char *const *y;        /* column names */
    guint n_y;
    const char *x;               /* NULL: the first column of each trace */
    const char *title;           /* may be NULL */
    gboolean log_y;
} blo_trace_plot_request;

/* The trace of a run: DIR/trace.csv for a directory, else PATH itself. */
char *blo_trace_path(const char *dir_or_file);
/* Default legend label: the run directory's basename (for DIR/trace.csv, DIR). */
char *blo_trace_default_label(const char *dir_or_file);

/* One series per (trace, y column) that has a finite value, legend
 * "label: column"; blank cells are skipped.  A column missing from a trace
 * is BLO_ERROR_UNKNOWN_NAME (naming the file and its columns); no point in
 * any series is BLO_ERROR_FORMAT.  n_series (may be NULL) gets the count. */
char *blo_trace_plot_svg(const blo_trace_plot_request *req, guint *n_series, GError **error);

/* OUT_DIR/curves.svg of clean_accuracy / robust_accuracy against the step,
 * when OUT_DIR/trace.csv has values in either.  *written (may be NULL) tells
 * whether a file was written; FALSE with error when reading or writing failed. */
gboolean blo_run_write_curves(const char *out_dir, gboolean *written, GError **error);

G_END_DECLS

#endif
