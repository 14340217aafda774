/* blo SDK: float32 tensors and reverse-mode automatic differentiation.
 *
 * Model
 * -----
 * Tensors live in a graph (blo_graph): an arena plus a tape.  Every tensor an
 * op returns is owned by the graph of its inputs and freed by
 * blo_graph_reset() (which keeps the arena's memory for the next step, so a
 * training loop allocates nothing in steady state) or blo_graph_free().
 * Tensors are contiguous, row-major, up to BLO_MAX_DIMS dimensions.
 *
 * Leaves wrap caller-owned memory (parameter buffers, data); no copy is made.
 * Gradients are requested for any chosen set of leaves with blo_grad();
 * with create_graph = TRUE the returned gradients are themselves recorded on
 * the tape, so they can be differentiated again: that gives exact
 * Hessian-vector products and mixed second derivatives.
 *
 * Errors
 * ------
 * Ops never abort.  A shape error (or any other) sets the graph's sticky
 * error and returns NULL; every op given a NULL input returns NULL.  Check
 * the final result and read blo_graph_error() once.
 *
 * Broadcasting follows NumPy rules for the binary elementwise ops.
 * Axis arguments accept negative values (counted from the end).
 */
#ifndef BLO_TENSOR_H
#define BLO_TENSOR_H

#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "rng.h"

G_BEGIN_DECLS

#define BLO_MAX_DIMS 4

typedef struct blo_graph blo_graph;
typedef struct blo_tensor_node blo_tensor_node; /* private: tape record */

typedef struct blo_tensor {
    float *data;                  /* numel contiguous floats */
    int64_t shape[BLO_MAX_DIMS];  /* unused trailing entries are 1 */
    int ndim;
    int64_t numel;
    /* Fields below are private to the framework. */
    blo_graph *graph;
    blo_tensor_node *node;        /* NULL for constants and for results in no-grad mode */
    uint32_t flags;
} blo_tensor;

/* ---- threads ---------------------------------------------------------- */
/* Threads for OpenBLAS and the core's own parallel kernels (results do not
 * depend on it).  n <= 0 means the number of online CPUs. */
void        blo_set_threads(int n);
int         blo_get_threads(void);

/* ---- graphs ---------------------------------------------------------- */
blo_graph  *blo_graph_new(void);
void        blo_graph_free(blo_graph *g);
/* Drop every tensor of the graph (leaf memory stays with its owner). */
void        blo_graph_reset(blo_graph *g);
/* The first error an op hit since the last reset, or NULL. */
const GError *blo_graph_error(const blo_graph *g);
/* Copy the sticky error into *error (if any); TRUE if there was none. */
gboolean    blo_graph_check(const blo_graph *g, GError **error);
/* No-grad mode: while > 0, ops record nothing (cheaper, not differentiable). */
void        blo_graph_push_no_grad(blo_graph *g);
void        blo_graph_pop_no_grad(blo_graph *g);
/* Marks: blo_graph_rewind(g, m) drops every tensor made after
 * blo_graph_get_mark() returned m and keeps those made before, with their
 * tape, so one recorded prefix (a forward pass) can serve several suffixes
 * (backward passes with different seeds), each computed and then dropped.
 * It also clears the no-grad scopes and an error raised after the mark.
 * Marks nest like a stack: rewinding to m drops the marks taken after m, and
 * a reset drops them all.  Rewinding to a dropped mark, or to another
 * graph's, resets the graph.  Under AddressSanitizer dropped memory is
 * poisoned, so a tensor used after its rewind is reported. */
typedef struct blo_graph_mark {  /* fields private */
    uint32_t tape_len;
    gboolean had_error;
    uint64_t serial;
    const void *graph;
    void *block;
    size_t used;
} blo_graph_mark;
blo_graph_mark blo_graph_get_mark(blo_graph *g);
void        blo_graph_rewind(blo_graph *g, blo_graph_mark m);
/* Bytes currently held by the arena (for memory-flatness tests). */
size_t      blo_graph_arena_bytes(const blo_graph *g);

/* ---- creation -------------------------------------------------------- */
/* A leaf over caller memory; requires_grad marks it as differentiable. */
blo_tensor *blo_leaf(blo_graph *g, float *data, int ndim, const int64_t *shape, gboolean requires_grad);
/* Fresh arena tensors. */
blo_tensor *blo_zeros(blo_graph *g, int ndim, const int64_t *shape);
blo_tensor *blo_full(blo_graph *g, int ndim, const int64_t *shape, float value);
blo_tensor *blo_scalar(blo_graph *g, float value);
/* A constant holding a copy of data. */
blo_tensor *blo_from_data(blo_graph *g, const float *data, int ndim, const int64_t *shape);
blo_tensor *blo_detach(blo_tensor *a);
/* The graph a tensor lives in (to add leaves, e.g. data, beside a given tensor). */
static inline blo_graph *blo_tensor_graph(const blo_tensor *t) { return t ? t->graph : NULL; }
/* Convenience: shape literal, e.g. BLO_SHAPE(128, 784). */
#define BLO_SHAPE(...) (sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t)), ((const int64_t[]){__VA_ARGS__})

/* ---- views and layout (differentiable) -------------------------------- */
blo_tensor *blo_reshape(blo_tensor *a, int ndim, const int64_t *shape);   /* -1 infers one dim */
/* A contiguous slice of a flat leaf: elements [offset, offset + numel(shape)).
 * Models take their weights as views of one flat parameter vector. */
blo_tensor *blo_view(blo_tensor *flat, int64_t offset, int ndim, const int64_t *shape);
blo_tensor *blo_permute(blo_tensor *a, const int *perm);
blo_tensor *blo_transpose(blo_tensor *a, int axis0, int axis1);
blo_tensor *blo_slice(blo_tensor *a, int axis, int64_t start, int64_t stop);
blo_tensor *blo_concat(blo_tensor *const *ts, int n, int axis);
blo_tensor *blo_stack(blo_tensor *const *ts, int n, int axis);
/* Split into n equal parts along axis; out[] receives n tensors. */
gboolean    blo_chunk(blo_tensor *a, int n, int axis, blo_tensor **out);
blo_tensor *blo_broadcast_to(blo_tensor *a, int ndim, const int64_t *shape);

/* ---- elementwise ------------------------------------------------------ */
blo_tensor *blo_add(blo_tensor *a, blo_tensor *b);
blo_tensor *blo_sub(blo_tensor *a, blo_tensor *b);
blo_tensor *blo_mul(blo_tensor *a, blo_tensor *b);
blo_tensor *blo_div(blo_tensor *a, blo_tensor *b);
blo_tensor *blo_add_scalar(blo_tensor *a, float s);
blo_tensor *blo_mul_scalar(blo_tensor *a, float s);
blo_tensor *blo_neg(blo_tensor *a);
blo_tensor *blo_exp(blo_tensor *a);
blo_tensor *blo_log(blo_tensor *a);
blo_tensor *blo_pow_scalar(blo_tensor *a, float p);
blo_tensor *blo_sqrt(blo_tensor *a);
blo_tensor *blo_abs(blo_tensor *a);
blo_tensor *blo_clamp(blo_tensor *a, float lo, float hi);
blo_tensor *blo_relu(blo_tensor *a);
blo_tensor *blo_leaky_relu(blo_tensor *a, float slope);
blo_tensor *blo_prelu(blo_tensor *a, blo_tensor *slope);  /* slope: [C] over axis 1, or [1] */
blo_tensor *blo_sigmoid(blo_tensor *a);
blo_tensor *blo_tanh(blo_tensor *a);
blo_tensor *blo_silu(blo_tensor *a);
blo_tensor *blo_softplus(blo_tensor *a);
blo_tensor *blo_sin(blo_tensor *a);
blo_tensor *blo_cos(blo_tensor *a);
/* Where mask (0/1 constant) is 1 take a, else b. */
blo_tensor *blo_where(blo_tensor *mask, blo_tensor *a, blo_tensor *b);

/* ---- reductions (keepdim = FALSE drops the axis) ----------------------- */
blo_tensor *blo_sum_all(blo_tensor *a);
blo_tensor *blo_mean_all(blo_tensor *a);
blo_tensor *blo_sum(blo_tensor *a, int axis, gboolean keepdim);
blo_tensor *blo_mean(blo_tensor *a, int axis, gboolean keepdim);
blo_tensor *blo_max(blo_tensor *a, int axis, gboolean keepdim);
blo_tensor *blo_var(blo_tensor *a, int axis, gboolean keepdim, gboolean unbiased);
/* Inner product of two equally-shaped tensors, as a scalar. */
blo_tensor *blo_dot(blo_tensor *a, blo_tensor *b);

/* ---- linear algebra ----------------------------------------------------- */
/* [.., M, K] x [.., K, N] -> [.., M, N]; batch dims broadcast; cblas_sgemm. */
blo_tensor *blo_matmul(blo_tensor *a, blo_tensor *b);
/* x [N, in] W [out, in] b [out] (may be NULL) -> [N, out] (x W^T + b). */
blo_tensor *blo_linear(blo_tensor *x, blo_tensor *w, blo_tensor *b);

/* ---- convolution and pooling (NCHW) ------------------------------------ */
typedef struct blo_conv2d_opts {
    int stride_h, stride_w;     /* 0 means 1 */
    int pad_h, pad_w;
    int dilation_h, dilation_w; /* 0 means 1 */
    int groups;                 /* 0 means 1 */
    int output_pad_h, output_pad_w; /* transposed conv only */
} blo_conv2d_opts;
/* x [N,C,H,W], w [O, C/groups, KH, KW], b [O] or NULL. */
blo_tensor *blo_conv2d(blo_tensor *x, blo_tensor *w, blo_tensor *b, const blo_conv2d_opts *o);
/* x [N,C,H,W], w [C, O/groups, KH, KW], b [O] or NULL. */
blo_tensor *blo_conv_transpose2d(blo_tensor *x, blo_tensor *w, blo_tensor *b, const blo_conv2d_opts *o);
blo_tensor *blo_max_pool2d(blo_tensor *x, int kernel, int stride, int pad);
blo_tensor *blo_avg_pool2d(blo_tensor *x, int kernel, int stride, int pad);
blo_tensor *blo_resize_nearest(blo_tensor *x, int64_t out_h, int64_t out_w);
blo_tensor *blo_resize_bilinear(blo_tensor *x, int64_t out_h, int64_t out_w, gboolean align_corners);

/* ---- normalisation ------------------------------------------------------ */
/* Batch norm over (N,H,W) per channel.  In training mode it uses batch
 * statistics and, when running_mean/var are non-NULL, updates them in place
 * with `momentum`; otherwise it uses the running statistics. */
blo_tensor *blo_batch_norm(blo_tensor *x, blo_tensor *gamma, blo_tensor *beta,
                           float *running_mean, float *running_var,
                           gboolean training, float momentum, float eps);
blo_tensor *blo_instance_norm(blo_tensor *x, blo_tensor *gamma, blo_tensor *beta, float eps);
/* Normalises over the last axis. gamma/beta [D] may be NULL. */
blo_tensor *blo_layer_norm(blo_tensor *x, blo_tensor *gamma, blo_tensor *beta, float eps);
blo_tensor *blo_rms_norm(blo_tensor *x, blo_tensor *gamma, float eps);
/* Inverted dropout; identity when !training or p == 0. */
blo_tensor *blo_dropout(blo_tensor *x, float p, gboolean training, blo_rng *rng);

/* ---- classification losses and probabilities (over the last axis) ------ */
blo_tensor *blo_softmax(blo_tensor *a, int axis);
blo_tensor *blo_log_softmax(blo_tensor *a, int axis);
/* logits [N, C], labels [N] (ignore_index skipped; -1 for none).
 * Returns per-sample losses [N] (ignored samples 0). */
blo_tensor *blo_cross_entropy_each(blo_tensor *logits, const int32_t *labels, int32_t ignore_index);
/* Mean over non-ignored samples. */
blo_tensor *blo_cross_entropy(blo_tensor *logits, const int32_t *labels, int32_t ignore_index);
blo_tensor *blo_mse(blo_tensor *a, blo_tensor *b);                  /* mean */
blo_tensor *blo_l1(blo_tensor *a, blo_tensor *b);                   /* mean */
blo_tensor *blo_bce_with_logits(blo_tensor *logits, blo_tensor *targets); /* mean */
/* KL(p || q) with p, q given as log-probabilities over `axis`, mean over the rest. */
blo_tensor *blo_kl_div_log(blo_tensor *log_p, blo_tensor *log_q, int axis);

/* ---- indexing ----------------------------------------------------------- */
/* Rows of table [V, D] picked by ids [n] -> [n, D]. */
blo_tensor *blo_embedding(blo_tensor *table, const int32_t *ids, int64_t n);
/* a [N, C], idx [N] -> [N]: a[i, idx[i]]. */
blo_tensor *blo_gather_rows(blo_tensor *a, const int32_t *idx);

/* ---- frequency domain ---------------------------------------------------- */
/* Real 2-D FFT over the last two axes of x [.., H, W]: returns real and
 * imaginary parts [.., H, W/2+1] (differentiable). */
gboolean    blo_rfft2(blo_tensor *x, blo_tensor **re, blo_tensor **im);
blo_tensor *blo_irfft2(blo_tensor *re, blo_tensor *im, int64_t w);

/* ---- attention pieces ------------------------------------------------------ */
/* q [B,H,T,D] k [B,H,S,D] -> scores [B,H,T,S] = q k^T * scale. */
blo_tensor *blo_attention_scores(blo_tensor *q, blo_tensor *k, float scale);
/* Sets scores[.., t, s] = -inf for s > t + offset. */
blo_tensor *blo_causal_mask(blo_tensor *scores, int64_t offset);
/* Rotary embedding on x [B,H,T,D] (D even) at positions pos0..pos0+T-1. */
blo_tensor *blo_rope(blo_tensor *x, int64_t pos0, float theta);

/* ---- differentiation ------------------------------------------------------- */
/* Gradients of the scalar `y` with respect to each of wrt[0..n). grads[i]
 * receives a tensor of wrt[i]'s shape (zeros if y does not depend on it).
 * With create_graph the gradients are recorded and can be differentiated. */
gboolean blo_grad(blo_tensor *y, blo_tensor *const *wrt, int n, blo_tensor **grads,
                  gboolean create_graph, GError **error);
/* The recorded scalar sum_i <d y / d wrt[i], v[i]> (v[i] of wrt[i]'s shape,
 * not differentiated), i.e. blo_dot of create_graph gradients with v, but
 * without forming the gradients of requires_grad leaves (and blo_view()s of
 * them) where an op can contract directly: for a weight used in blo_linear /
 * blo_matmul, <g^T x, V> is computed as <g, x V^T>.  Differentiate it with
 * blo_grad for Hessian-vector and mixed products.  NULL and the graph's
 * sticky error on failure. */
blo_tensor *blo_grad_dot(blo_tensor *y, blo_tensor *const *wrt, int n, blo_tensor *const *v);
/* Hessian-vector products: hv[i] = d/d wrt[i] of blo_grad_dot(y, wrt, n, v)
 * (not recorded). */
gboolean blo_hvp(blo_tensor *y, blo_tensor *const *wrt, int n, blo_tensor *const *v, blo_tensor **hv,
                 GError **error);
/* First-order convenience: y's gradient w.r.t. `leaf`, added into out
 * (leaf->numel floats) without recording anything. */
gboolean blo_backward_into(blo_tensor *y, blo_tensor *leaf, float *out, GError **error);

G_END_DECLS

#endif
