/* What framework/train's robust evaluation reads of an attack target. */
#ifndef BLO_TRAIN_ATTACK_INTERNAL_H
#define BLO_TRAIN_ATTACK_INTERNAL_H

#include <blo/blo.h>

/* The loss object the target maximises (NULL: cross-entropy against `label`). */
blo_object *blo__attack_target_loss(const blo_attack_target *t);
/* The range of field i (lo == hi: unbounded, then the batch field's source applies). */
void        blo__attack_target_range(const blo_attack_target *t, int i, float *lo, float *hi);

#endif
