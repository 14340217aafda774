/* blo SDK: component kinds and their vtables.
 *
 * Six kinds compose a pipeline (`kind:name key=value ! ...`):
 *
 *   dataset    loads real or generated data into named splits
 *   learner    the lower-level model; its parameters are the lower variables y
 *   objective  the upper level: upper variables x, F(x, y) and the lower loss
 *              f(x, y) (a self-contained objective, e.g. a synthetic problem,
 *              defines both levels without a learner or dataset)
 *   solver     runs the optimisation one step at a time
 *   attack     perturbs inputs to increase a loss
 *   metric     evaluates the trained result
 *
 * Every vtable starts with struct_size and has create / destroy.  create()
 * receives the resolved parameters; it must not keep the params pointer past
 * destroy().  Instances are used from one thread at a time unless a vtable
 * says otherwise; they may parallelise internally.
 */
#ifndef BLO_COMPONENT_H
#define BLO_COMPONENT_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include "params.h"
#include "plugin.h"
#include "tensor.h"
#include "rng.h"
#include "data.h"
#include "model.h"

G_BEGIN_DECLS

typedef struct blo_ctx blo_ctx;         /* run context: rng, threads, counters, trace */
typedef struct blo_run blo_run;         /* the assembled pipeline being run */
typedef struct blo_problem blo_problem; /* the bi-level problem a solver works on */
typedef struct blo_metrics blo_metrics; /* named numbers */
typedef struct blo_state blo_state;     /* named blobs for checkpoints */
typedef struct blo_object blo_object;   /* an instance of any component */
typedef struct blo_trainer blo_trainer; /* the minibatch training loop (train.h) */

/* ======================================================================
 * Run context (framework-owned, given to every component)
 * ==================================================================== */
blo_rng    *blo_ctx_rng(blo_ctx *ctx);          /* the run's seeded stream */
uint64_t    blo_ctx_seed(const blo_ctx *ctx);
int         blo_ctx_threads(const blo_ctx *ctx);
/* TRUE once the user asked to stop (Ctrl-C); long loops inside one step poll it. */
gboolean    blo_ctx_cancelled(const blo_ctx *ctx);
/* The output directory of the run (may be NULL for library use). */
const char *blo_ctx_out_dir(const blo_ctx *ctx);
/* Record a number for the current step's row of trace.csv (and the progress line). */
void        blo_ctx_trace(blo_ctx *ctx, const char *key, double value);
/* Informational message to stderr (prefixed with the component), never to stdout. */
void        blo_ctx_log(blo_ctx *ctx, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* ======================================================================
 * Named numbers (results.json "metrics")
 * ==================================================================== */
void     blo_metrics_set(blo_metrics *m, const char *key, double value);
gboolean blo_metrics_get(const blo_metrics *m, const char *key, double *value);

/* ======================================================================
 * Checkpoint state: named arrays, written and read back in any order
 * ==================================================================== */
void     blo_state_put_floats(blo_state *s, const char *key, const float *v, size_t n);
void     blo_state_put_int(blo_state *s, const char *key, int64_t v);
void     blo_state_put_double(blo_state *s, const char *key, double v);
void     blo_state_put_bytes(blo_state *s, const char *key, const void *v, size_t n);
/* Readers fail with BLO_ERROR_FORMAT when the key is missing or the size differs. */
gboolean blo_state_get_floats(const blo_state *s, const char *key, float *v, size_t n, GError **error);
gboolean blo_state_get_int(const blo_state *s, const char *key, int64_t *v, GError **error);
gboolean blo_state_get_double(const blo_state *s, const char *key, double *v, GError **error);
gboolean blo_state_get_bytes(const blo_state *s, const char *key, void *v, size_t n, GError **error);

/* ======================================================================
 * dataset
 * ==================================================================== */
typedef struct blo_dataset_vtable {
    size_t struct_size;
    void *(*create)(const blo_params *params, blo_ctx *ctx, GError **error);
    /* Read or generate the data; errors name the file and what was expected. */
    gboolean (*load)(void *self, blo_ctx *ctx, GError **error);
    /* A split by name, or NULL (and the framework lists split_names) if absent. */
    const blo_split *(*split)(void *self, const char *name);
    /* NULL-terminated names of the available splits. */
    const char *const *(*split_names)(void *self);
    void (*destroy)(void *self);
    /* Optional: the fields its splits have, for `blo-host info` (NULL-name terminated). */
    const blo_field_doc *field_docs;
} blo_dataset_vtable;

/* ======================================================================
 * learner (lower level model; parameters = lower variables y)
 * ==================================================================== */
typedef enum { BLO_MODE_EVAL = 0, BLO_MODE_TRAIN = 1 } blo_mode;

/* What a learner's forward() returns. */
typedef enum {
    BLO_OUTPUT_CLASS_LOGITS,  /* [B, K] scores of K classes */
    BLO_OUTPUT_DENSE_MAP,     /* [B, C, H, W] per-pixel scores (C = classes or channels) */
    BLO_OUTPUT_TOKEN_LOGITS,  /* [B, T, V] per-token scores */
    BLO_OUTPUT_FEATURES,      /* [B, D] features */
} blo_output_kind;
const char *blo_output_kind_name(blo_output_kind k);

#define BLO_MAX_INPUTS 4

/* What a learner is given at setup and declares back. */
typedef struct blo_learner_setup {
    size_t struct_size;
    blo_ctx *ctx;
    /* The dataset's train split (shapes, ranges and classes of its fields),
     * NULL when the pipeline has no dataset; valid during setup only. */
    const blo_split *train;
    /* Filled in by the learner: */
    int64_t n_params;                       /* floats in y */
    int n_inputs;                           /* float fields forward() takes ... */
    const char *inputs[BLO_MAX_INPUTS];     /* ... by name, in order (live as long as the learner) */
    blo_output_kind output;
    int64_t n_out;                          /* classes, channels or feature width */
} blo_learner_setup;

/* One forward pass. */
typedef struct blo_forward {
    size_t struct_size;
    blo_tensor *y;                   /* all parameters, a 1-D tensor (weights are blo_view()s of it) */
    blo_tensor *const *inputs;       /* one tensor [B, ...] per declared input, in order */
    const blo_batch *batch;          /* the batch (integer fields such as tokens); may be NULL */
    blo_mode mode;                   /* TRAIN: dropout on, batch statistics */
    blo_rng *rng;                    /* the stream dropout draws from (NULL: deterministic) */
} blo_forward;

typedef struct blo_learner_vtable {
    size_t struct_size;
    /* required */
    void *(*create)(const blo_params *params, blo_ctx *ctx, GError **error);
    /* required: fix shapes from ls->train, fill ls (n_params, inputs, output, n_out). */
    gboolean (*setup)(void *self, blo_learner_setup *ls, GError **error);
    /* required: initialise y (n_params floats); may fail (e.g. reading a file). */
    gboolean (*init)(void *self, float *y, blo_rng *rng, GError **error);
    /* required: the output for a batch; NULL with the graph's sticky error on failure. */
    blo_tensor *(*forward)(void *self, const blo_forward *fw);
    /* required */
    void (*destroy)(void *self);
    /* Optional (NULL: no): TRUE when forward() is a pure function of y and
     * the inputs in both modes (no dropout, no running statistics), so a
     * recorded forward may be reused for an equal y. */
    gboolean (*forward_is_pure)(void *self);
    /* Optional, for probes: the hidden state after each layer for the batch
     * (layers[i] [B, T, D] or [B, D]), at most max_layers; returns how many, -1 on error. */
    int (*hidden_states)(void *self, const blo_forward *fw, blo_tensor **layers, int max_layers);
    /* Optional, for text learners: token ids of text into *ids (g_free), their count into *n. */
    gboolean (*encode_text)(void *self, const char *text, int32_t **ids, int64_t *n, GError **error);
    /* Optional: the named layout of y (and of non-trainable state) after
     * setup, so weights files hold each parameter by name (model.h);
     * without it a weights file holds one flat array "y". */
    void (*model)(void *self, blo_learner_model *out);
} blo_learner_vtable;

/* ======================================================================
 * objective (upper level F, lower loss f, structure of the problem)
 * ==================================================================== */
/* What an objective is given at setup and what it declares back. */
typedef struct blo_problem_setup {
    size_t struct_size;
    blo_ctx *ctx;
    blo_object *dataset;   /* NULL when the pipeline has none */
    blo_object *learner;   /* NULL when the pipeline has none */
    /* Filled in by the objective: */
    int64_t dim_x;         /* number of upper variables */
    int64_t dim_y;         /* number of lower variables (learner's n_params if a learner is used) */
    /* Optional: TRUE when F(x, y) does not depend on x (hyper-cleaning: the
     * validation loss of the model y).  Requests for the gradient w.r.t. x
     * alone then skip building F, whose x-gradient is zero. */
    gboolean upper_ignores_x;
    /* Optional: TRUE when the objective's lower_terms(y) is a pure function
     * of y (see blo_objective_vtable), so the framework may reuse it. */
    gboolean lower_terms_pure;
    /* Optional: TRUE when the objective's begin_step draws new data (a
     * minibatch), so F and f change from one solver step to the next. */
    gboolean stochastic;
} blo_problem_setup;

typedef struct blo_objective_vtable {
    size_t struct_size;
    void *(*create)(const blo_params *params, blo_ctx *ctx, GError **error);
    gboolean (*setup)(void *self, blo_problem_setup *ps, GError **error);
    /* Initial values of x (dim_x) and y (dim_y). */
    void (*init)(void *self, float *x, float *y, blo_rng *rng);
    /* Upper objective F(x, y) as a scalar tensor; x, y are 1-D leaves. */
    blo_tensor *(*upper)(void *self, blo_tensor *x, blo_tensor *y);
    /* Smooth part of the lower objective f(x, y). */
    blo_tensor *(*lower)(void *self, blo_tensor *x, blo_tensor *y);
    /* Optional nonsmooth convex part g(x, y) of the lower level (scalar
     * tensor, differentiable in x), with the prox of step*g(x, .) applied to y
     * in place.  Both NULL for a smooth problem. */
    blo_tensor *(*lower_nonsmooth)(void *self, blo_tensor *x, blo_tensor *y);
    void (*prox_lower)(void *self, const float *x, float *y, double step);
    /* Optional projections onto the feasible sets of x and y (in place). */
    void (*project_upper)(void *self, float *x);
    void (*project_lower)(void *self, float *y);
    /* Metrics of a point, e.g. x_rel_error, y_rel_error, F, test_accuracy. */
    gboolean (*evaluate)(void *self, const float *x, const float *y, blo_metrics *m, GError **error);
    void (*destroy)(void *self);
    /* Optional, both or neither: the lower loss split as
     *   lower(x, y) == lower_combine(x, lower_terms(y)),
     * lower_terms being the costly part that depends on y alone (e.g. the
     * per-sample losses of the model y on the training split) and
     * lower_combine the cheap part that brings in x (e.g. their weighted mean).
     * When setup also declares lower_terms_pure, the framework records the
     * terms once per distinct y and reuses that recording, forward and
     * backward, while y is unchanged (MEHA asks for f at (x_k, y_k) and then
     * at (x_{k+1}, y_k)); lower() is still used everywhere else. */
    blo_tensor *(*lower_terms)(void *self, blo_tensor *y);
    blo_tensor *(*lower_combine)(void *self, blo_tensor *x, blo_tensor *terms);
    /* Optional: called by the framework before every solver step (iteration
     * counts from 1), e.g. to draw this step's minibatches from rng, so that
     * solvers work on stochastic hypergradients.  When setup declared
     * stochastic, the framework drops what it cached of the previous step. */
    gboolean (*begin_step)(void *self, int64_t iteration, blo_rng *rng, GError **error);
} blo_objective_vtable;

/* TRUE when *ps, any struct starting with struct_size (a vtable, or the
 * host's blo_problem_setup), is recent enough to have member `field`.
 * Members added at the end are read, or written, only when this holds, so
 * plugins and hosts built against different minor SDK versions work together. */
#define BLO_STRUCT_HAS(ps, type, field) \
    ((ps)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

/* ======================================================================
 * The bi-level problem as a solver sees it (framework-implemented).
 * Each call is counted: a gradient evaluation is one reverse pass of F or f
 * w.r.t. all inputs; a second-order evaluation is one Hessian-vector or mixed
 * product.  Buffers: x has dim_x floats, y and v dim_y; NULL outputs are skipped.
 * ==================================================================== */
int64_t  blo_problem_dim_x(const blo_problem *p);
int64_t  blo_problem_dim_y(const blo_problem *p);
/* F(x, y) and its gradients. Returns FALSE on error (NaN is BLO_ERROR_NUMERIC). */
gboolean blo_problem_upper(blo_problem *p, const float *x, const float *y,
                           double *value, float *gx, float *gy, GError **error);
/* f(x, y) (smooth part) and its gradients. */
gboolean blo_problem_lower(blo_problem *p, const float *x, const float *y,
                           double *value, float *gx, float *gy, GError **error);
/* hyy = d2f/dy2 . v and hxy = d2f/dxdy . v (dim_x), exact, by double backward. */
gboolean blo_problem_lower_hvp(blo_problem *p, const float *x, const float *y, const float *v,
                               float *hyy, float *hxy, GError **error);
/* Nonsmooth part: TRUE if the problem has one. */
gboolean blo_problem_has_nonsmooth(const blo_problem *p);
/* g(x, y) and its x-gradient (gx may be NULL). */
gboolean blo_problem_nonsmooth(blo_problem *p, const float *x, const float *y,
                               double *value, float *gx, GError **error);
void     blo_problem_prox_lower(blo_problem *p, const float *x, float *y, double step);
void     blo_problem_project_upper(blo_problem *p, float *x);
void     blo_problem_project_lower(blo_problem *p, float *y);
/* Weighted sum w_upper*F + w_lower*f + w_nonsmooth*g at one point, built as one
 * graph and differentiated in ONE reverse pass (counted as one gradient
 * evaluation when gx or gy is requested; a value-only call is not counted).
 * Lets single-loop methods evaluate a penalised objective such as
 * (1/c_k) F + f at a point with one pass instead of two. */
gboolean blo_problem_eval(blo_problem *p, const float *x, const float *y,
                          double w_upper, double w_lower, double w_nonsmooth,
                          double *value, float *gx, float *gy, GError **error);
/* Hessian-vector and mixed products of w_upper*F + w_lower*f (one second-order
 * evaluation), e.g. for BDA's aggregated lower steps. */
gboolean blo_problem_hvp(blo_problem *p, const float *x, const float *y, const float *v,
                         double w_upper, double w_lower, float *hyy, float *hxy, GError **error);
/* Counters, reported in results.json as grad_evals and hvp_evals. */
int64_t  blo_problem_grad_evals(const blo_problem *p);
int64_t  blo_problem_hvp_evals(const blo_problem *p);

/* ======================================================================
 * solver
 * ==================================================================== */
typedef enum {
    BLO_STEP_CONTINUE = 0,  /* call step() again */
    BLO_STEP_DONE = 1,      /* converged or budget spent */
    BLO_STEP_ERROR = -1,    /* error set */
} blo_step_status;

typedef struct blo_solver_vtable {
    size_t struct_size;
    void *(*create)(const blo_params *params, blo_ctx *ctx, GError **error);
    /* Bind to the run: look up the problem / dataset / learner / attack it needs
     * and allocate state.  Fails with BLO_ERROR_UNSUPPORTED when the pipeline
     * lacks a component it needs, naming it. */
    gboolean (*init)(void *self, blo_run *run, GError **error);
    /* One iteration; reads and updates blo_run_x() / blo_run_y() in place. */
    blo_step_status (*step)(void *self, blo_run *run, GError **error);
    /* Planned number of steps (for ETA), or -1 if unknown. */
    int64_t (*planned_steps)(void *self);
    /* Extra state beyond x, y and the rng (which the framework saves). */
    gboolean (*save_state)(void *self, blo_state *state, GError **error);
    gboolean (*load_state)(void *self, const blo_state *state, GError **error);
    void (*destroy)(void *self);
    /* Optional (check with BLO_SOLVER_HAS_TRAINER; NULL when the solver is
     * not a minibatch trainer): the solver's blo_trainer (train.h), valid
     * after init() until destroy(), NULL before.  A wrapper (solver:last)
     * calls the base's init(), then drives this trainer's next_batch /
     * loss_grad / epoch_end with its own weights and update; the base's
     * step() is not called, and its save/load_state keep the position. */
    blo_trainer *(*trainer)(void *self);
} blo_solver_vtable;

#define BLO_SOLVER_HAS_TRAINER(vt) \
    ((vt)->struct_size >= offsetof(blo_solver_vtable, trainer) + sizeof(void *) && (vt)->trainer)

/* ======================================================================
 * loss (what training solvers minimise and attacks maximise)
 * ==================================================================== */
typedef struct blo_loss_vtable {
    size_t struct_size;
    /* required */
    void *(*create)(const blo_params *params, blo_ctx *ctx, GError **error);
    /* optional: check once that the learner's output (kind, n_out) and the
     * split's fields suit the loss, naming what is wrong. */
    gboolean (*bind)(void *self, const blo_learner_setup *learner, const blo_split *split, GError **error);
    /* required: the batch fields the loss reads (NULL-terminated, e.g. {"label", NULL}). */
    const char *const *(*targets)(void *self);
    /* required: per-item losses [B] of output (the learner's, for batch b);
     * NULL with the graph's sticky error on failure. */
    blo_tensor *(*each)(void *self, blo_tensor *output, const blo_batch *b);
    /* required */
    void (*destroy)(void *self);
    /* optional: the batch loss, when it is not the mean of each() (e.g. a
     * pixel mean over all labelled pixels) or is cheaper to form directly. */
    blo_tensor *(*batch_value)(void *self, blo_tensor *output, const blo_batch *b);
} blo_loss_vtable;

/* The loss of a batch: batch_value when the loss has it, else mean(each). */
blo_tensor *blo_loss_value(blo_object *loss, blo_tensor *output, const blo_batch *b);
blo_tensor *blo_loss_each(blo_object *loss, blo_tensor *output, const blo_batch *b);
const char *const *blo_loss_targets(blo_object *loss);
/* For loss implementations: sets the sticky error (BLO_ERROR_SHAPE) of
 * output's graph and returns NULL, e.g. when a batch's target field does not
 * match the output; name the field and both shapes. */
blo_tensor *blo_loss_fail(blo_tensor *output, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* ======================================================================
 * attack
 * ==================================================================== */
/* What an attack differentiates: a loss of a batch of inputs. */
typedef struct blo_attack_target {
    /* loss(input) summed over the batch (so per-sample gradients are not
     * scaled by 1/B), and d loss / d input into grad (same size as input). */
    gboolean (*loss_grad)(void *user, const float *input, int ndim, const int64_t *shape,
                          const int32_t *labels, double *loss, float *grad, GError **error);
    void *user;
    float x_min, x_max;   /* valid input range */
    /* Optional (NULL when unavailable): as loss_grad, but each item's loss goes
     * to losses[B].  Attacks that track per-item progress (APGD-CE) need it. */
    gboolean (*loss_grad_each)(void *user, const float *input, int ndim, const int64_t *shape,
                               const int32_t *labels, double *losses, float *grad, GError **error);
} blo_attack_target;

/* An attack target over any learner: the cross-entropy of learner(y; input)
 * against the labels (training = FALSE), or, after
 * blo_learner_attack_target_set_kl(), KL(softmax(ref) || softmax(learner(input)))
 * per item (TRADES' inner maximisation).  y is read at every call, so it may
 * change between calls; learner and y must outlive the target.  Both
 * loss_grad and loss_grad_each are provided.  Free with
 * blo_learner_attack_target_free(). */
blo_attack_target *blo_learner_attack_target_new(blo_object *learner, const float *y, int64_t n_y,
                                                 float x_min, float x_max);
/* ref_logits [B, C] is read at each call (keep it alive while attacking);
 * NULL switches back to cross-entropy. */
void               blo_learner_attack_target_set_kl(blo_attack_target *t, const float *ref_logits);
/* Points the target at other weights (same n_y), e.g. a proxy model's. */
void               blo_learner_attack_target_set_y(blo_attack_target *t, const float *y);
void               blo_learner_attack_target_free(blo_attack_target *t);

typedef struct blo_attack_vtable {
    size_t struct_size;
    void *(*create)(const blo_params *params, blo_ctx *ctx, GError **error);
    /* Write adversarial inputs for the batch `input` [shape] into adv. */
    gboolean (*perturb)(void *self, const blo_attack_target *target, const float *input,
                        int ndim, const int64_t *shape, const int32_t *labels, float *adv,
                        blo_rng *rng, GError **error);
    void (*destroy)(void *self);
} blo_attack_vtable;

/* ======================================================================
 * metric
 * ==================================================================== */
typedef struct blo_metric_vtable {
    size_t struct_size;
    void *(*create)(const blo_params *params, blo_ctx *ctx, GError **error);
    /* Evaluate the run's current result, adding named numbers to m. */
    gboolean (*evaluate)(void *self, blo_run *run, blo_metrics *m, GError **error);
    void (*destroy)(void *self);
} blo_metric_vtable;

/* ======================================================================
 * Objects: instances of components, for nesting and composition
 * ==================================================================== */
/* Instantiate a nested component value (a BLO_PARAM_TYPE_COMPONENT parameter). */
blo_object *blo_object_new_from_node(const blo_node *node, blo_ctx *ctx, GError **error);
void        blo_object_free(blo_object *o);
const blo_component *blo_object_component(const blo_object *o);
void       *blo_object_self(const blo_object *o);   /* the instance create() returned */
const blo_params *blo_object_params(const blo_object *o);

/* Typed vtable access; NULL if the object is of another kind. */
const blo_dataset_vtable   *blo_object_dataset(const blo_object *o);
const blo_learner_vtable   *blo_object_learner(const blo_object *o);
const blo_objective_vtable *blo_object_objective(const blo_object *o);
const blo_solver_vtable    *blo_object_solver(const blo_object *o);
const blo_attack_vtable    *blo_object_attack(const blo_object *o);
const blo_metric_vtable    *blo_object_metric(const blo_object *o);
const blo_loss_vtable      *blo_object_loss(const blo_object *o);

/* Dataset convenience: the split of that name, or NULL with an error that lists the splits. */
const blo_split *blo_dataset_get_split(blo_object *dataset, const char *name, GError **error);

/* ---- learners (framework-implemented helpers) ---------------------------- */
/* What the learner declared at setup (inputs, output kind, n_out); NULL
 * before setup or for other kinds. */
const blo_learner_setup *blo_learner_info(const blo_object *learner);
/* Runs setup on the learner object with split `train` (may be NULL) and keeps
 * what it declared for blo_learner_info(); n_params on success, -1 on error. */
int64_t     blo_learner_setup_object(blo_object *learner, blo_ctx *ctx, const blo_split *train, GError **error);
/* Forward on batch b: leaves over the learner's input fields of b (their
 * current data), y a 1-D tensor of all parameters. */
blo_tensor *blo_learner_forward(blo_object *learner, blo_tensor *y, const blo_batch *b, blo_mode mode,
                                blo_rng *rng);
/* Forward on given input tensors (one per declared input; e.g. leaves an
 * attack differentiates), with b for any integer fields (may be NULL). */
blo_tensor *blo_learner_forward_inputs(blo_object *learner, blo_tensor *y, blo_tensor *const *inputs,
                                       const blo_batch *b, blo_mode mode, blo_rng *rng);
/* The batch fields a learner reads: its inputs, then `extra` (NULL-terminated,
 * may be NULL), without repeats; g_free the array (not the strings). */
const char **blo_learner_fields(const blo_object *learner, const char *const *extra);

/* Evaluation on a split (for objectives, solvers and metrics): items
 * [start, start + count) of s (count < 0: to the end) in batches, no
 * gradients.  Either output may be NULL: accuracy = share of
 * argmax(class logits) == the `label` field, mean_loss = mean cross-entropy. */
gboolean blo_learner_eval_range(blo_object *learner, const float *y, int64_t n_y, const blo_split *s,
                                int64_t start, int64_t count, double *accuracy, double *mean_loss,
                                GError **error);
/* Rows of logits [n, c] whose argmax (first on ties) equals the label. */
int64_t  blo_count_correct(const float *logits, int64_t n, int64_t c, const int32_t *labels);
/* Accuracy of the learner with parameters y (n_y floats) on the first
 * max_items items of s (max_items <= 0: all); negative with error set on failure. */
double   blo_learner_accuracy(blo_object *learner, const float *y, int64_t n_y, const blo_split *s,
                              int64_t max_items, GError **error);

/* ======================================================================
 * The run: what a solver or metric can reach
 * ==================================================================== */
blo_ctx     *blo_run_ctx(blo_run *run);
/* Components of the pipeline (NULL when absent). */
blo_object  *blo_run_dataset(blo_run *run);
blo_object  *blo_run_learner(blo_run *run);
blo_object  *blo_run_objective(blo_run *run);
blo_object  *blo_run_attack(blo_run *run);
/* The bi-level problem (objective + learner + dataset); NULL with an error
 * naming what is missing when the pipeline has no objective. */
blo_problem *blo_run_problem(blo_run *run, GError **error);
/* Current upper and lower variables (owned by the run, checkpointed by it).
 * A pipeline with a learner but no objective has dim_x = 0. */
float       *blo_run_x(blo_run *run);
float       *blo_run_y(blo_run *run);
int64_t      blo_run_dim_x(const blo_run *run);
int64_t      blo_run_dim_y(const blo_run *run);
/* Iteration counter (steps completed so far). */
int64_t      blo_run_iteration(const blo_run *run);

G_END_DECLS

#endif
