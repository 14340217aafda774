/* blo SDK: attacks, perturbation and robust evaluation.
 *
 * An attack target is a (learner, loss, fields) triple: the per-item loss
 * of a loss component on the learner's output for a batch, as a function of
 * a LIST of the batch's float fields (e.g. "ir" and "vis" of an image
 * fusion model), each with its own budget eps and valid range [lo, hi].
 *
 * Perturbation buffers.  The perturbed values of all the target's fields
 * live in one float array, field after field: field f occupies
 * [offset[f], offset[f] + B * D[f]) (blo_perturb_batch), B items of D[f]
 * floats.  For a single field this is just the field's [B, ...] buffer.
 * Gradients use the same layout.  An attack's perturb() writes the result
 * into one caller buffer per field instead.
 *
 * Norms are per item and per field: each field of each item stays in its
 * own eps-ball (L-inf, or L2 over that field's D floats) around its clean
 * value, and in that field's range.
 */
#ifndef BLO_ATTACK_H
#define BLO_ATTACK_H

#include "component.h"

G_BEGIN_DECLS

#define BLO_ATTACK_MAX_FIELDS BLO_MAX_INPUTS

/* ======================================================================
 * Attack targets
 * ==================================================================== */
typedef struct blo_attack_target blo_attack_target;

/* A target over learner (set up) with parameters y (n_y floats, read at
 * every call, so they may change; see also blo_attack_target_set_y).
 * loss: a BLO_KIND_LOSS object whose each() is maximised, or NULL for the
 * cross-entropy of class logits against the batch's i32 `label` field.
 * fields: NULL-terminated names of the float fields to perturb, each an
 * input of the learner (NULL or empty: all the learner's inputs).
 * eps: one budget per field, or NULL when the attack's own eps= applies.
 * ranges_from: the split whose fields' lo/hi bound the perturbed values
 * (NULL: the batch fields' source; lo == hi means unbounded).
 * learner, y, loss and ranges_from must outlive the target.  Errors name
 * the field and the learner's inputs. */
blo_attack_target *blo_attack_target_new(blo_object *learner, const float *y, int64_t n_y, blo_object *loss,
                                         const char *const *fields, const double *eps,
                                         const blo_split *ranges_from, GError **error);
void        blo_attack_target_free(blo_attack_target *t);
/* Points the target at other weights (same n_y), e.g. the training weights of this step. */
void        blo_attack_target_set_y(blo_attack_target *t, const float *y);
/* TRADES' inner maximisation: with ref_logits [B, C] (read at each call;
 * keep it alive) the loss becomes KL(softmax(ref) || softmax(f(x))) per item
 * instead of the loss component; NULL switches back. */
void        blo_attack_target_set_kl(blo_attack_target *t, const float *ref_logits);
/* Overrides the valid range of field i (lo == hi: unbounded). */
void        blo_attack_target_set_range(blo_attack_target *t, int i, float lo, float hi);
int         blo_attack_target_n_fields(const blo_attack_target *t);
const char *blo_attack_target_field(const blo_attack_target *t, int i);
/* The loss object the target maximises (NULL: cross-entropy against `label`). */
blo_object *blo_attack_target_loss(const blo_attack_target *t);
/* The range the target itself sets for field i (lo == hi: none, then the
 * batch field's source range applies). */
void        blo_attack_target_range(const blo_attack_target *t, int i, float *lo, float *hi);
/* The target's budget of field i, or a negative number when it has none. */
double      blo_attack_target_eps(const blo_attack_target *t, int i);
/* The loss of batch b with the target's fields replaced by `inputs` (a
 * perturbation buffer of the layout above for b; NULL: the fields' current
 * data): the sum over items into *loss_sum, each item's into losses[B]
 * (either may be NULL), and d loss_sum / d inputs into grad (same layout;
 * NULL: no gradient). */
gboolean    blo_attack_target_loss_grad(blo_attack_target *t, const blo_batch *b, const float *inputs,
                                        double *loss_sum, double *losses, float *grad, GError **error);

/* ======================================================================
 * Perturbation arithmetic (every attack and adversarial-training solver)
 * ==================================================================== */
typedef enum { BLO_PERTURB_LINF, BLO_PERTURB_L2 } blo_perturb_norm;
/* Parses "linf" / "l2" (anything else: L-inf). */
blo_perturb_norm blo_perturb_norm_from_name(const char *name);

/* The threat model and the PGD loop's settings. */
typedef struct blo_pgd_config {
    blo_perturb_norm norm;
    /* Budgets used when the target has none: n_eps == 1 for every field, or
     * one per target field. */
    int n_eps;
    double eps[BLO_ATTACK_MAX_FIELDS];
    double step;       /* > 0: the step of every field, in input units ... */
    double step_rel;   /* ... else step_rel * that field's eps */
    int64_t steps;
    gboolean random_start;
} blo_pgd_config;

/* A batch being attacked: the target's fields of b with their budgets. */
typedef struct blo_perturb_batch {
    blo_attack_target *target;
    const blo_batch *batch;
    blo_perturb_norm norm;
    int n_fields;
    int64_t B;                                  /* items */
    int64_t numel;                              /* floats of a perturbation buffer */
    const float *x[BLO_ATTACK_MAX_FIELDS];      /* clean values (the batch field's `clean`) */
    int64_t D[BLO_ATTACK_MAX_FIELDS];           /* floats per item */
    int64_t offset[BLO_ATTACK_MAX_FIELDS];      /* where the field starts in a buffer */
    double eps[BLO_ATTACK_MAX_FIELDS], step[BLO_ATTACK_MAX_FIELDS];
    float lo[BLO_ATTACK_MAX_FIELDS], hi[BLO_ATTACK_MAX_FIELDS];
} blo_perturb_batch;

/* Resolves the target's fields in b (F32, [B, ...]), their budgets (the
 * target's, else cfg's) and steps.  Errors name the field or the count. */
gboolean blo_perturb_batch_make(blo_perturb_batch *pb, blo_attack_target *t, const blo_batch *b,
                                const blo_pgd_config *cfg, GError **error);
/* The clean values in a perturbation buffer. */
void     blo_perturb_clean(const blo_perturb_batch *pb, float *buf);
/* Item i of every field from src to dst (both perturbation buffers). */
void     blo_perturb_copy_item(const blo_perturb_batch *pb, float *dst, const float *src, int64_t i);
/* A perturbation buffer into one buffer per field (out[f]: B * D[f] floats). */
void     blo_perturb_scatter(const blo_perturb_batch *pb, const float *buf, float *const *out);
/* adv = a uniformly random point of each eps-ball (L2: uniform direction,
 * uniform radius), projected.  Draws field by field, item by item. */
void     blo_perturb_random_start(const blo_perturb_batch *pb, float *adv, blo_rng *rng);
/* adv += step direction(g) per item and field: sign(g) for L-inf,
 * g / ||g||_2 for L2.  The step of field f for item i is
 * field_step[f] (NULL: pb->step[f]) times item_scale[i] (NULL: 1). */
void     blo_perturb_ascent(const blo_perturb_batch *pb, const double *field_step, const double *item_scale,
                            const float *g, float *adv);
/* adv back into each eps-ball and range. */
void     blo_perturb_project(const blo_perturb_batch *pb, float *adv);
/* The target's loss at adv (sum, per item) and gradient, as blo_attack_target_loss_grad. */
gboolean blo_perturb_loss_grad(const blo_perturb_batch *pb, const float *adv, double *loss_sum, double *losses,
                               float *grad, GError **error);
/* Projected gradient ascent from the clean values (or a random start when
 * cfg->random_start and eps > 0): cfg->steps steps, each projected.  adv and
 * grad (scratch) are perturbation buffers of pb->numel floats. */
gboolean blo_perturb_pgd(const blo_perturb_batch *pb, const blo_pgd_config *cfg, float *adv, float *grad,
                         blo_rng *rng, GError **error);

/* Parameters the PGD-family attacks and the training solvers share. */
#define BLO_PERTURB_NORM_PARAM BLO_PARAM_ENUM("norm", "linf", BLO_CHOICES("linf", "l2"), "threat model")
#define BLO_PERTURB_EPS_PARAM(def) \
    BLO_PARAM_LIST("eps", BLO_PARAM_TYPE_DOUBLE, def, 0.0, 1e6, \
                   "radius of the ball in input units: one for every field, or one per field")
#define BLO_PERTURB_FIELDS_PARAM \
    BLO_PARAM_LIST("fields", BLO_PARAM_TYPE_STRING, "", 0, 0, "float fields to perturb (empty: the learner's inputs)")
/* step > 0: absolute step; otherwise step_rel * eps. */
#define BLO_PERTURB_STEP_PARAMS(def_rel) \
    BLO_PARAM_DOUBLE("step", 0.0, 0.0, 1e6, "step size in input units (0: use step_rel)"), \
    BLO_PARAM_DOUBLE("step_rel", (def_rel), 0.0, 1e3, "step size as a fraction of eps (when step is 0)")

/* Reads norm and eps (a list; all other members zero).  Fails when eps has
 * no value or more than BLO_ATTACK_MAX_FIELDS. */
gboolean blo_perturb_budget_from_params(const blo_params *params, blo_pgd_config *cfg, GError **error);
/* As blo_perturb_budget_from_params, plus step and step_rel (both must be
 * declared); steps and random_start are given. */
gboolean blo_pgd_config_from_params(const blo_params *params, blo_pgd_config *cfg, int64_t steps,
                                    gboolean random_start, GError **error);

/* ======================================================================
 * attack components
 * ==================================================================== */
typedef struct blo_attack_vtable {
    size_t struct_size;
    /* required */
    void *(*create)(const blo_params *params, blo_ctx *ctx, GError **error);
    /* required: the adversarial version of each of the target's fields of
     * batch b (perturbed around the fields' clean values) into adv[f]
     * (B * item floats of field f; the batch is not modified). */
    gboolean (*perturb)(void *self, blo_attack_target *target, const blo_batch *b, float *const *adv,
                        blo_rng *rng, GError **error);
    /* required */
    void (*destroy)(void *self);
} blo_attack_vtable;

/* The fields an attack object was told to perturb (its fields= parameter),
 * NULL-terminated (g_free the array, not the strings), or NULL when it has
 * none (then the learner's inputs). */
const char **blo_attack_fields(const blo_object *attack);
/* A target for attack object `attack` (its fields=; budgets: its eps=). */
blo_attack_target *blo_attack_target_for(blo_object *attack, blo_object *learner, const float *y, int64_t n_y,
                                         blo_object *loss, const blo_split *ranges_from, GError **error);
/* attack->perturb through its vtable. */
gboolean blo_attack_perturb(blo_object *attack, blo_attack_target *t, const blo_batch *b, float *const *adv,
                            blo_rng *rng, GError **error);

/* ======================================================================
 * Scoring outputs (task-neutral evaluation)
 * ==================================================================== */
typedef enum {
    BLO_SCORE_ACCURACY,   /* class logits [B, K] vs an i32 class field [B] */
    BLO_SCORE_MIOU,       /* dense map [B, K, H, W] vs an i32 label map [B, H, W], ignore_index skipped */
    BLO_SCORE_IOU,        /* 1-channel logit map [B, 1, H, W] > 0 vs a 0/1 mask [B, H, W] (i32 or u8) */
} blo_score_kind;

/* Parses "accuracy" / "miou" / "iou"; FALSE for anything else. */
gboolean blo_score_kind_from_name(const char *name, blo_score_kind *out);

typedef struct blo_scorer blo_scorer;
/* A scorer of outputs against field `target` of split s (classes and
 * ignore_index from the field; n_classes 0 is taken from the output). */
blo_scorer *blo_scorer_new(blo_score_kind kind, const blo_split *s, const char *target, GError **error);
void        blo_scorer_free(blo_scorer *sc);
/* Adds a batch: output is the learner's output for b, b holds the target field. */
gboolean    blo_scorer_add(blo_scorer *sc, const blo_tensor *output, const blo_batch *b, GError **error);
/* The score so far (accuracy, mIoU over the classes present, or IoU); NaN before any item. */
double      blo_scorer_value(const blo_scorer *sc);
const char *blo_scorer_target(const blo_scorer *sc);

/* Confusion matrix cm[truth * k + pred] += 1 over n labels, skipping truth
 * == ignore_index and labels outside [0, k). */
void    blo_confusion_add(int64_t *cm, int64_t k, const int32_t *pred, const int32_t *truth, int64_t n,
                          int32_t ignore_index);
/* Mean over classes with truth or prediction of IoU = tp / (tp + fp + fn); NaN when none. */
double  blo_confusion_miou(const int64_t *cm, int64_t k);
/* pred[b * hw + p] = argmax over the c channels of map [B, c, hw] (first on ties). */
void    blo_argmax_channels(const float *map, int64_t B, int64_t c, int64_t hw, int32_t *pred);

/* ======================================================================
 * Robust evaluation
 * ==================================================================== */
/* Writes the adversarial version of the target's fields of b into adv[f]. */
typedef gboolean (*blo_craft_fn)(void *user, blo_attack_target *t, const blo_batch *b, float *const *adv,
                                 blo_rng *rng, GError **error);
/* A blo_craft_fn running blo_perturb_pgd with the blo_pgd_config given as user. */
gboolean blo_craft_pgd(void *user, blo_attack_target *t, const blo_batch *b, float *const *adv, blo_rng *rng,
                       GError **error);
/* A blo_craft_fn calling the attack object given as user. */
gboolean blo_craft_attack(void *user, blo_attack_target *t, const blo_batch *b, float *const *adv, blo_rng *rng,
                          GError **error);

/* Clean and adversarial scores of the learner with weights y (the
 * target's) on the first max_items items of s (<= 0: all), batch_size at a
 * time (blo_split_view, no copy).  The scorers receive the clean and the
 * attacked outputs (clean may be NULL); the target decides what is
 * perturbed.  The batches hold the learner's inputs, the target's fields,
 * the loss targets (or `label`) and extra (NULL-terminated, may be NULL). */
gboolean blo_robust_eval(blo_object *learner, blo_attack_target *t, const float *y, int64_t n_y,
                         const blo_split *s, int64_t max_items, int64_t batch_size, blo_craft_fn craft,
                         void *user, blo_rng *rng, const char *const *extra, blo_scorer *clean,
                         blo_scorer *robust, GError **error);

G_END_DECLS

#endif
