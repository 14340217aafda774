/* framework (private): named numbers in insertion order (results.json "metrics"). */
#ifndef BLO_FRAMEWORK_METRICS_INTERNAL_H
#define BLO_FRAMEWORK_METRICS_INTERNAL_H

#include <blo/blo.h>

G_BEGIN_DECLS

blo_metrics *blo_metrics_new(void);
void         blo_metrics_free(blo_metrics *m);
/* Entries in the order their keys were first set. */
guint        blo_metrics_len(const blo_metrics *m);
const char  *blo_metrics_key(const blo_metrics *m, guint i);
double       blo_metrics_value(const blo_metrics *m, guint i);

G_END_DECLS

#endif
