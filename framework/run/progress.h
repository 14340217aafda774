/* framework (private): the carriage-return progress line on stderr. */
#ifndef BLO_FRAMEWORK_PROGRESS_H
#define BLO_FRAMEWORK_PROGRESS_H

#include <blo/blo.h>

G_BEGIN_DECLS

typedef struct blo_progress {
    gboolean enabled;
    int64_t last_draw_us;
    int64_t start_us;
    int64_t start_step;      /* steps already done when this session began */
} blo_progress;

/* Enabled when `want` and stderr is a terminal. */
void blo_progress_init(blo_progress *pr, gboolean want, int64_t start_step);
/* Redraw at most ten times a second (always when `force`). */
void blo_progress_update(blo_progress *pr, blo_ctx *ctx, int64_t step, int64_t planned, gboolean force);
/* End the line so later output starts fresh. */
void blo_progress_finish(blo_progress *pr, blo_ctx *ctx);

G_END_DECLS

#endif
