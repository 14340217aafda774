/* The one table of each kind's required vtable members, checked when a
 * plugin loads so the framework may call them without testing for NULL.
 * (component.h marks the same members "required" in its comments.) */
#include <stddef.h>
#include <string.h>
#include "registry_private.h"

typedef struct {
    const char *name;
    size_t offset;   /* of the function pointer within the kind's vtable */
} member;

#define M(type, field) { #field, offsetof(type, field) }

static const member dataset_required[] = {
    M(blo_dataset_vtable, create), M(blo_dataset_vtable, load), M(blo_dataset_vtable, split),
    M(blo_dataset_vtable, split_names), M(blo_dataset_vtable, destroy), { NULL, 0 } };
static const member learner_required[] = {
    M(blo_learner_vtable, create), M(blo_learner_vtable, setup), M(blo_learner_vtable, init),
    M(blo_learner_vtable, forward), M(blo_learner_vtable, destroy), { NULL, 0 } };
static const member objective_required[] = {
    M(blo_objective_vtable, create), M(blo_objective_vtable, setup), M(blo_objective_vtable, init),
    M(blo_objective_vtable, upper), M(blo_objective_vtable, lower), M(blo_objective_vtable, destroy),
    { NULL, 0 } };
static const member solver_required[] = {
    M(blo_solver_vtable, create), M(blo_solver_vtable, init), M(blo_solver_vtable, step),
    M(blo_solver_vtable, destroy), { NULL, 0 } };
static const member attack_required[] = {
    M(blo_attack_vtable, create), M(blo_attack_vtable, perturb), M(blo_attack_vtable, destroy), { NULL, 0 } };
static const member metric_required[] = {
    M(blo_metric_vtable, create), M(blo_metric_vtable, evaluate), M(blo_metric_vtable, destroy), { NULL, 0 } };

static const member loss_required[] = {
    M(blo_loss_vtable, create), M(blo_loss_vtable, targets), M(blo_loss_vtable, each), M(blo_loss_vtable, destroy),
    { NULL, 0 } };

static const member *const required[BLO_KIND_COUNT] = {
    [BLO_KIND_DATASET] = dataset_required, [BLO_KIND_LEARNER] = learner_required,
    [BLO_KIND_OBJECTIVE] = objective_required, [BLO_KIND_SOLVER] = solver_required,
    [BLO_KIND_ATTACK] = attack_required, [BLO_KIND_METRIC] = metric_required,
    [BLO_KIND_LOSS] = loss_required,
};
/* A new kind must get its row here. */
_Static_assert(BLO_KIND_COUNT == 7, "required_members.c: add the new kind's required members");

const char *blo_vtable_missing_member(const blo_component *c)
{
    const unsigned char *vt = c->vtable;
    size_t size = *(const size_t *)c->vtable;   /* every vtable starts with struct_size */
    for (const member *m = required[c->kind]; m && m->name; m++) {
        void *fn = NULL;
        /* A member past the plugin's struct_size is absent, as if NULL. */
        if (m->offset + sizeof fn <= size)
            memcpy(&fn, vt + m->offset, sizeof fn);
        if (fn == NULL)
            return m->name;
    }
    return NULL;
}
