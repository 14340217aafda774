/* framework (private): trace.csv of a run read back into columns (for
 * `blo-host plot` and a run's curves.svg). */
#ifndef BLO_FRAMEWORK_TRACE_CSV_H
#define BLO_FRAMEWORK_TRACE_CSV_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct blo_trace_csv {
    char *path;            /* as given */
    GPtrArray *names;      /* char*, header order; the first is the step */
    GPtrArray *columns;    /* GArray of double per name; NAN for an empty cell */
    guint n_rows;
} blo_trace_csv;

/* Reads a trace written by blo_run_write_trace (header row, then one row of
 * numbers per step, empty cells allowed).  A missing or unreadable file is
 * BLO_ERROR_IO; a header without names, a row with the wrong number of cells
 * or a cell that is not a number is BLO_ERROR_FORMAT naming path:line. */
blo_trace_csv *blo_trace_csv_read(const char *path, GError **error);
void           blo_trace_csv_free(blo_trace_csv *t);
/* Index of the column NAME, or -1. */
int            blo_trace_csv_find(const blo_trace_csv *t, const char *name);
/* The column's values (n_rows of them). */
const double  *blo_trace_csv_values(const blo_trace_csv *t, guint column);
/* TRUE when the column has at least one finite value. */
gboolean       blo_trace_csv_has_values(const blo_trace_csv *t, guint column);
/* Fails with BLO_ERROR_UNKNOWN_NAME, naming the file and its columns, when
 * NAME is not a column; else its index. */
gboolean       blo_trace_csv_require(const blo_trace_csv *t, const char *name, guint *column, GError **error);

G_END_DECLS

#endif
