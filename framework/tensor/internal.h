/* framework (private): the op-definition mechanism of the tensor core.
 *
 * Every op file of framework/tensor/ includes this header and nothing else
 * private.  The public side is sdk/include/blo/tensor.h.
 *
 * Model
 * -----
 * - A graph owns an arena (bump allocator, 64-byte aligned blocks).  Result
 *   tensors, their data and their tape nodes are all arena memory; the arena
 *   is recycled by blo_graph_reset() (it coalesces into one block, so a
 *   training loop stops allocating after its first step).
 * - A tensor is differentiable iff t->node != NULL.  Leaves created with
 *   requires_grad get a node without backward; an op result gets a node when
 *   the graph is recording (no no-grad scope is active) and at least one
 *   input is differentiable.
 * - The tape is the graph's list of nodes in creation order (node->id), so a
 *   reverse walk is a valid topological order.
 * - A backward function receives the node and the gradient of its output and
 *   writes the gradients of the wanted inputs.  It must compute them WITH THE
 *   PUBLIC DIFFERENTIABLE OPS (blo_mul, blo_matmul, blo__sum_to, ...): the
 *   engine runs it in no-grad mode for a first-order pass and in recording
 *   mode for create_graph, so the same code yields differentiable gradients
 *   (Hessian-vector and mixed products).  When !blo__recording(g) a backward
 *   may instead run a fused kernel on raw floats (nothing is recorded then).
 *
 * How to add an op (see ops_binary.c: blo_mul for the complete example)
 * ---------------------------------------------------------------------
 *   1. Validate inputs:  blo_graph *g = blo__graph_of(2, a, b);
 *                        if (!g) return NULL;        (NULL input / mixed graphs)
 *      Shape errors:     return blo__fail(g, BLO_ERROR_SHAPE, "blo_foo: ...");
 *   2. Allocate the result: blo_tensor *y = blo__new(g, ndim, shape);
 *      (data uninitialised; blo__new_like(a) copies a's shape).  Returns NULL
 *      on allocation failure with the sticky error set.
 *   3. Compute the forward on raw floats (y->data); parallel loops use
 *      BLO__PAR_FOR(n) in front of a `for` over n independent items; results
 *      must not depend on the thread count (no thread-order reductions).
 *   4. Record: blo_tensor_node *n = blo__record(y, "foo", foo_backward, 2,
 *      (blo_tensor *[]){a, b});  When n != NULL store what backward needs:
 *      n->saved[k] (tensors), n->f[k] / n->i[k] (scalars), n->ptr (extra data,
 *      copy it into the arena with blo__arena_dup()).  n->out is y.
 *   5. Write  static void foo_backward(blo_tensor_node *n, blo_tensor *gy,
 *      blo_tensor **gx)  that sets gx[k] for each k with blo__wants(n, k),
 *      each of exactly n->in[k]'s shape (use blo__sum_to() after a broadcast).
 *      Use differentiable ops on n->in[k], n->out, n->saved[k] and gy.
 *   6. Add the file to framework/tensor/meson.build, a gradcheck to
 *      tests/tensor/ (see tests/tensor/gradcheck.h).
 * Ops never modify their inputs (nor gy) in place, and never abort: errors go
 * to the graph's sticky GError (first one wins) and the op returns NULL.
 *
 * Conventions
 * - Matrix products: blo__sgemm (never cblas_sgemm directly: thread-count
 *   independent results), or blo__matmul_t when the product must be
 *   differentiable (transposes by flags, not copies).
 * - Piecewise-constant derivatives (masks: relu, max, pooling argmax,
 *   dropout) are constant tensors (no node) applied with blo__mul_const(),
 *   which is differentiable in its first argument only: exact second order.
 * - A first-order fused backward must equal the composite one; gradcheck()
 *   checks both paths (create_graph FALSE and TRUE).
 * - Views sharing data: blo_reshape and contiguous slices/blo_view return
 *   tensors over their input's memory; arena tensors are immutable once an
 *   op returned them.
 */
#ifndef BLO_FRAMEWORK_TENSOR_INTERNAL_H
#define BLO_FRAMEWORK_TENSOR_INTERNAL_H

#include <blo/tensor.h>
#include <blo/error.h>
#include <stdarg.h>
#include <string.h>

G_BEGIN_DECLS

/* BLO__ASAN: built with AddressSanitizer (gcc defines __SANITIZE_ADDRESS__,
 * clang answers __has_feature); the arena then poisons its free memory. */
#if defined(__SANITIZE_ADDRESS__)
#define BLO__ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BLO__ASAN 1
#endif
#endif

/* ---- tape nodes ---------------------------------------------------------- */
typedef void (*blo_backward_fn)(blo_tensor_node *n, blo_tensor *gy, blo_tensor **gx);
/* Optional, for blo_grad_dot: the scalar <gx[k], v> (v of in[k]'s shape),
 * built with differentiable ops, or NULL to fall back to backward.  Lets a
 * product rearrange <A^T B, V> into <A, B V^T> so the weight gradient itself
 * is never formed (one large product fewer per Hessian-vector product). */
typedef blo_tensor *(*blo_contract_fn)(blo_tensor_node *n, blo_tensor *gy, int k, blo_tensor *v);

#define BLO_NODE_MAX_IN 64      /* inputs per node (concat/stack of more: error) */
#define BLO_NODE_SAVED 4

typedef enum {
    BLO_NODE_LEAF,   /* requires_grad leaf: no backward */
    BLO_NODE_OP,     /* ordinary op */
    BLO_NODE_SLICE,  /* contiguous range [i[0], i[0]+numel) of in[0]: the engine
                      * accumulates gy straight into that range (cheap views of
                      * flat parameter vectors); backward is not called */
} blo_node_kind;

struct blo_tensor_node {
    const char *op;                 /* op name, for error messages */
    blo_node_kind kind;
    blo_backward_fn backward;
    blo_contract_fn contract;       /* optional (NULL: backward + dot) */
    int n_in;
    blo_tensor **in;                /* arena array of n_in inputs */
    blo_tensor *out;
    blo_tensor *saved[BLO_NODE_SAVED];
    float f[4];
    int64_t i[8];
    const void *ptr;
    uint32_t id;                    /* position on the tape */
    uint64_t want;                  /* bit k: engine needs gx[k] (set before backward) */
    uint64_t sunk;                  /* bit k: gx[k] went to a gradient sink (engine) */
};

/* Tensor flags (blo_tensor.flags). */
enum {
    BLO_TF_LEAF = 1u << 0,          /* wraps caller memory */
};

/* ---- graph internals (graph.c) -------------------------------------------- */
/* Bump allocation from g's arena, 64-byte aligned, uninitialised; NULL and a
 * sticky error on failure. */
void *blo__arena_alloc(blo_graph *g, size_t bytes);
void *blo__arena_dup(blo_graph *g, const void *src, size_t bytes);
/* Set g's sticky error (if none yet) and return NULL. */
void *blo__fail(blo_graph *g, blo_error_code code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
gboolean blo__failed(const blo_graph *g);
/* TRUE when ops currently record tape nodes. */
gboolean blo__recording(const blo_graph *g);
/* Set the no-grad depth, returning the previous one (autodiff engine). */
int      blo__swap_no_grad(blo_graph *g, int depth);
/* The tape (for the autodiff engine). */
uint32_t blo__tape_len(const blo_graph *g);
blo_tensor_node *blo__tape_at(const blo_graph *g, uint32_t id);

/* The common graph of n tensors (varargs blo_tensor *), or NULL when one is
 * NULL (error already set by whoever produced it) or they differ. */
blo_graph *blo__graph_of(int n, ...);
blo_graph *blo__graph_of_array(blo_tensor *const *ts, int n);

/* A fresh arena tensor of the given shape (data uninitialised). */
blo_tensor *blo__new(blo_graph *g, int ndim, const int64_t *shape);
blo_tensor *blo__new_like(const blo_tensor *a);
blo_tensor *blo__new_zeros_like(const blo_tensor *a);
/* A tensor header over existing data (no copy, no node). */
blo_tensor *blo__wrap(blo_graph *g, float *data, int ndim, const int64_t *shape);

/* Record y as the result of op `op` with inputs in[0..n_in); returns the node,
 * or NULL when nothing is recorded (no-grad or no differentiable input). */
blo_tensor_node *blo__record(blo_tensor *y, const char *op, blo_backward_fn backward,
                             int n_in, blo_tensor *const *in);
static inline gboolean blo__wants(const blo_tensor_node *n, int k)
{
    return (n->want >> k) & 1u;
}
/* First-order fast path (autodiff.c): when input k is a view (blo_view) of a
 * flat leaf whose gradient the engine is building, the floats of that slice
 * of the gradient (in[k]->numel of them), else NULL.  A backward that gets a
 * sink must ADD gx[k] into it (e.g. sgemm with beta = 1) and leave gx[k]
 * NULL.  Never non-NULL while recording. */
float *blo__grad_sink(blo_tensor_node *n, int k);

/* ---- shapes (shape.c) ------------------------------------------------------ */
int64_t  blo__numel(int ndim, const int64_t *shape);
gboolean blo__same_shape(const blo_tensor *a, const blo_tensor *b);
/* Shape as text "[2, 3]" for error messages (static per-thread ring buffer). */
const char *blo__shape_str(const blo_tensor *a);
/* Normalise a possibly negative axis; -1 and a sticky error when out of range. */
int      blo__axis(blo_graph *g, const char *op, int axis, int ndim);
/* a viewed as [outer, len, inner] around `axis` (len = extent of axis). */
void     blo__split_axis(const blo_tensor *a, int axis, int64_t *outer, int64_t *len, int64_t *inner);
/* NumPy broadcast of two shapes; FALSE (and error naming op) if incompatible. */
gboolean blo__broadcast_shape(blo_graph *g, const char *op, const blo_tensor *a,
                              const blo_tensor *b, int *ndim, int64_t *shape);
/* Right-align a shape into 4 dims (leading 1s) and its row-major strides;
 * strides of broadcast (size-1) dims are 0 when `zero_bcast`. */
void     blo__shape4(const blo_tensor *a, int64_t s4[4]);
void     blo__strides4(const blo_tensor *a, const int64_t out4[4], int64_t st4[4]);
/* Differentiable: sum t over broadcast dims down to (ndim, shape); returns t
 * itself when shapes already match. */
blo_tensor *blo__sum_to(blo_tensor *t, int ndim, const int64_t *shape);
/* Same, to the shape of `like`. */
blo_tensor *blo__sum_to_like(blo_tensor *t, const blo_tensor *like);

/* ---- internal ops used by backward formulas (differentiable) -------------- */
/* op(A) op(B), transposes on the last two dims, batch dims broadcast. */
blo_tensor *blo__matmul_t(blo_tensor *a, blo_tensor *b, gboolean ta, gboolean tb);
/* A tensor of shape (ndim, shape) holding base (may be NULL: zeros) plus each
 * parts[k] added into the flat range starting at offsets[k]. */
blo_tensor *blo__scatter_add(blo_tensor *base, int ndim, const int64_t *shape,
                             int n, blo_tensor *const *parts, const int64_t *offsets);
/* Zero-padded inverse of blo_slice: g placed at [start, start + g.shape[axis])
 * of axis in a tensor of `shape`. */
blo_tensor *blo__pad_axis(blo_tensor *g, int axis, int64_t start, int ndim, const int64_t *shape);
/* a * mask where mask is a constant (not differentiated). */
blo_tensor *blo__mul_const(blo_tensor *a, blo_tensor *mask);

/* ---- BLAS (gemm.c) ---------------------------------------------------------- */
/* Row-major C = alpha op(A) op(B) + beta C, like cblas_sgemm, but split into
 * shape-determined tiles so results do not depend on the thread count.  Use it
 * instead of cblas_sgemm in ops, and call it OUTSIDE your own OpenMP parallel
 * regions (it parallelises over its tiles; batch loops call it in sequence or
 * fold the batch into M). */
void blo__sgemm(gboolean ta, gboolean tb, int64_t M, int64_t N, int64_t K, float alpha, const float *A,
                int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc);
/* Skinny products (gemm_skinny.c): A B^T with N <= BLO_SKINNY_MAX or A^T B with
 * M <= BLO_SKINNY_MAX, computed in one pass over the big operand; FALSE (nothing
 * done) for other shapes.  blo__sgemm tries it first. */
#define BLO_SKINNY_MAX 16
gboolean blo__sgemm_skinny(gboolean ta, gboolean tb, int64_t M, int64_t N, int64_t K, float alpha, const float *A,
                           int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc);
/* Tests: run the portable C kernels even where AVX2 + FMA exist. */
void blo__sgemm_skinny_force_portable(gboolean on);

/* ---- parallel loops -------------------------------------------------------- */
/* Whether a region of `work` units (items, multiply-adds) goes parallel:
 * work >= quiet_min on a quiet machine, much more while the cores are shared
 * (parallel_policy.c).  Changes thread counts only, never results. */
gboolean blo__par_ok(double work, double quiet_min);
gboolean blo__machine_busy(void);
/* Tests: -1 measures the machine again, 0 forces quiet, 1 forces busy. */
void blo__machine_busy_force(int state);

/* Loops of fewer than BLO__PAR_MIN items stay on one thread. */
#define BLO__PAR_MIN 131072
#ifdef _OPENMP
#define BLO__PRAGMA(x) _Pragma(#x)
#define BLO__PAR_FOR(n) BLO__PRAGMA(omp parallel for schedule(static) if (blo__par_ok((double)(n), 131072.0)))
/* Loops calling exp/log per item (softmax, cross-entropy) pay off on two
 * threads from 8192 items: measured, 5000x10 logits spent ~5 ms of a 25 ms
 * hyper-cleaning iteration on one thread. */
#define BLO__PAR_FOR_COSTLY(n) BLO__PRAGMA(omp parallel for schedule(static) if (blo__par_ok((double)(n), 8192.0)))
#else
#define BLO__PAR_FOR(n)
#define BLO__PAR_FOR_COSTLY(n)
#endif
/* Deterministic parallel sum of x[0..n) in double (fixed block partition). */
double blo__sum_f(const float *x, int64_t n);

G_END_DECLS

#endif
