/* Private: plain forward/backward kernels of the vision and sequence ops
 * (conv, pooling, resize, rfft, attention pieces, index gathers).
 *
 * They work on raw float arrays with shapes given in the comments (llm.c
 * style) and know nothing about graphs; the differentiable ops in conv.c,
 * pool.c, resize.c, fft.c, attention.c and embedding.c wrap them.  Every
 * linear kernel comes with its adjoint so a backward pass can be written as
 * another op and differentiated again.
 */
#ifndef BLO_VISION_KERNELS_H
#define BLO_VISION_KERNELS_H

#include <stdint.h>
#include <glib.h>

/* `for` loops over independent items, parallel when `cond` holds (small
 * loops stay on one thread: forking costs more than they do). */
#ifdef _OPENMP
#define VK_PRAGMA(x) _Pragma(#x)
#define VK_PARALLEL_FOR_IF(cond) VK_PRAGMA(omp parallel for schedule(static) if (cond))
#else
#define VK_PARALLEL_FOR_IF(cond)
#endif

/* ---- convolution geometry ------------------------------------------------
 * The conv maps the "input space" x [n, c, h, w] to the "output space"
 * y [n, o, ho, wo] with weight w [o, c/groups, kh, kw].  The transposed conv
 * is the adjoint of the same map, so one geometry describes both. */
typedef struct conv_geom {
    int64_t n, c, h, w;     /* input space */
    int64_t o, ho, wo;      /* output space */
    int64_t kh, kw;
    int sh, sw, ph, pw, dh, dw, groups;
} conv_geom;

/* Output extent of a conv along one axis; <= 0 when the kernel does not fit. */
int64_t conv_out_size(int64_t in, int64_t k, int stride, int pad, int dil);
/* Output extent of a transposed conv along one axis (the input extent of the
 * conv it is the adjoint of, plus out_pad). */
int64_t conv_transpose_out_size(int64_t in, int64_t k, int stride, int pad, int dil, int out_pad);
/* Floats of scratch the conv kernels need for geometry g. */
int64_t conv_scratch_floats(const conv_geom *g);

/* y [n,o,ho,wo] = conv(x [n,c,h,w], w [o,c/g,kh,kw]) + bias [o] (may be
 * NULL); y is overwritten. */
void conv2d_forward(float *y, const float *x, const float *w, const float *bias, const conv_geom *g,
                    float *scratch);
/* gb [o] = sum of gy [n,o,ho,wo] over n, ho, wo (the bias gradient). */
void conv2d_backward_bias(float *gb, const float *gy, const conv_geom *g);
/* gx [n,c,h,w] = conv^T(gy [n,o,ho,wo], w): the transposed conv; overwritten. */
void conv2d_backward_input(float *gx, const float *gy, const float *w, const conv_geom *g, float *scratch);
/* gw [o,c/g,kh,kw] = d<gy, conv(x, w)>/dw; overwritten. */
void conv2d_backward_weight(float *gw, const float *x, const float *gy, const conv_geom *g, float *scratch);

/* ---- pooling (NCHW, planes = n*c) ---------------------------------------- */
/* Max pool: y [planes,ho,wo] and idx [planes*ho*wo] = flat index into x of
 * each maximum (padding never wins). */
void max_pool2d_forward(float *y, int64_t *idx, const float *x, int64_t planes, int64_t h, int64_t w,
                        int64_t ho, int64_t wo, int k, int s, int p);
/* Average pool, divisor k*k (padding counts as zeros, as PyTorch's default). */
void avg_pool2d_forward(float *y, const float *x, int64_t planes, int64_t h, int64_t w,
                        int64_t ho, int64_t wo, int k, int s, int p);
/* Its adjoint: gx [planes,h,w] = avg_pool^T(gy [planes,ho,wo]); overwritten. */
void avg_pool2d_adjoint(float *gx, const float *gy, int64_t planes, int64_t h, int64_t w,
                        int64_t ho, int64_t wo, int k, int s, int p);

/* ---- index gathers (blocks of `block` floats) ----------------------------- */
/* out [m, block] = x[idx[i], :] */
void gather_blocks(float *out, const float *x, const int64_t *idx, int64_t m, int64_t block);
/* gx[idx[i], :] += g [m, block]  (gx is not cleared) */
void scatter_add_blocks(float *gx, const float *g, const int64_t *idx, int64_t m, int64_t block);

/* ---- resize ----------------------------------------------------------------- */
/* Source index of each output position for nearest (PyTorch 'nearest'). */
void nearest_source_index(int64_t *src, int64_t in, int64_t out);
/* Bilinear taps along one axis: i0, i1 and the weight of i1. */
void bilinear_taps(int64_t *i0, int64_t *i1, float *l, int64_t in, int64_t out, gboolean align_corners);
/* y [planes, ho, wo] = bilinear(x [planes, h, w]) */
void resize_bilinear_forward(float *y, const float *x, int64_t planes, int64_t h, int64_t w,
                             int64_t ho, int64_t wo, gboolean align_corners);
/* gx [planes, h, w] = bilinear^T(gy [planes, ho, wo]); overwritten. */
void resize_bilinear_adjoint(float *gx, const float *gy, int64_t planes, int64_t h, int64_t w,
                             int64_t ho, int64_t wo, gboolean align_corners);

/* ---- frequency domain ----------------------------------------------------------
 * Spectra are stored as one real tensor [b, h, 2*wh] (wh = w/2+1): the real
 * parts in columns [0, wh), the imaginary parts in [wh, 2*wh). */
/* spec [b,h,2*wh] = rfft2(x [b,h,w]) (unnormalised, as numpy) */
gboolean rfft2_forward(float *spec, const float *x, int64_t b, int64_t h, int64_t w, GError **error);
/* x [b,h,w] = irfft2(spec [b,h,2*wh]) normalised by 1/(h*w); the columns that
 * must be Hermitian (0 and, for even w, w/2) are symmetrised first so the
 * result is a well-defined linear function of every input value. */
gboolean irfft2_forward(float *x, const float *spec, int64_t b, int64_t h, int64_t w, GError **error);
/* Per-column weights c[k] (1 on the Hermitian columns, 2 elsewhere), [wh]. */
void rfft2_column_weights(float *c, int64_t w);

/* ---- attention pieces ---------------------------------------------------------- */
/* x [planes, t, s]: x[.., i, j] = value where j > i + offset (in place allowed). */
void causal_fill(float *y, const float *x, int64_t planes, int64_t t, int64_t s, int64_t offset, float value);
/* Rotary embedding of x [planes, t, d] over pairs (2i, 2i+1) at positions
 * pos0.., angle (pos * theta^(-2i/d)) * sign; sign -1 is the adjoint (inverse). */
void rope_forward(float *y, const float *x, int64_t planes, int64_t t, int64_t d, int64_t pos0,
                  float theta, float sign);

/* ---- dropout ----------------------------------------------------------------- */
struct blo_rng;
/* mask [n] = 1/(1-p) with probability 1-p, else 0, drawn from rng. */
void dropout_mask(float *mask, int64_t n, float p, struct blo_rng *rng);

#endif
