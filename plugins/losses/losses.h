/* plugins/losses: the loss registry (loss:ce, loss:pixel-ce, loss:bce,
 * loss:soft-iou, loss:mse, loss:l1).  Each loss reads one target field,
 * checks it against the learner's output in bind() and per batch, and
 * gives per-item losses [B] in each(). */
#ifndef BLO_LOSSES_H
#define BLO_LOSSES_H

#include <blo/blo.h>

/* The state every loss here has. */
typedef struct loss_self {
    char *target;              /* the target field */
    const char *targets[2];    /* {target, NULL} for targets() */
    int32_t ignore_index;      /* class losses: -1 means the field's own */
    double smooth;             /* soft-iou */
} loss_self;

/* create(): reads "target", and "ignore_index" / "smooth" when asked. */
loss_self *loss_self_new(const blo_params *p, gboolean ignore_index, gboolean smooth);
const char *const *loss_self_targets(void *self);
void loss_self_free(void *self);

/* bind(): the split's target field, of one of the dtypes allowed (mask of
 * 1 << blo_dtype), else an error naming it, its dtype and the fields. */
const blo_field *loss_bind_field(const loss_self *l, const blo_split *s, unsigned dtypes, GError **error);
/* bind(): every value of a dense field lies in [0, 1] (0/1 for integers). */
gboolean loss_check_unit(const blo_field *f, GError **error);
/* "[4,1,28,28]" into buf (64 bytes). */
const char *loss_shape_str(int ndim, const int64_t *shape, char *buf);

/* each(): the batch's target field of output's batch size, else NULL and
 * the graph's error naming the field and the shapes. */
const blo_batch_field *loss_batch_field(const loss_self *l, blo_tensor *output, const blo_batch *b);
/* The id ignored by a class loss reading f. */
int32_t loss_ignore_index(const loss_self *l, const blo_batch_field *f);
/* The target as a float constant of output's shape (same numel per item),
 * else NULL and the graph's error. */
blo_tensor *loss_target_like(const loss_self *l, blo_tensor *output, const blo_batch *b);
/* Per-item mean of terms [B, ...] -> [B]. */
blo_tensor *loss_item_mean(blo_tensor *terms);
/* Per-item sum of terms [B, ...] -> [B]. */
blo_tensor *loss_item_sum(blo_tensor *terms);

extern const blo_component losses_ce_component, losses_pixel_ce_component, losses_bce_component,
    losses_soft_iou_component, losses_mse_component, losses_l1_component;

#endif
