/* rfft2 / irfft2: values against a direct DFT, round trip, gradients and
 * Hessian-vector products (also through a spectral filter block). */
#include "hvp_check.h"
#include "reference.h"

#include <criterion/criterion.h>
#include <math.h>

static blo_tensor *rfft_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    blo_tensor *re, *im;
    (void)g, (void)ctx;
    if (!blo_rfft2(x[0], &re, &im))
        return NULL;
    return blo_concat((blo_tensor *[]){re, im}, 2, -1);
}

static blo_tensor *irfft_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    (void)g;
    return blo_irfft2(x[0], x[1], *(const int64_t *)ctx);
}

/* A spatial-frequency block: irfft2(rfft2(x) * filter) with a complex
 * filter (fr, fi) [H, W/2+1], then tanh. */
static blo_tensor *spectral_block_fn(blo_graph *g, blo_tensor *const *x, void *ctx)
{
    blo_tensor *re, *im;
    (void)g, (void)ctx;
    if (!blo_rfft2(x[0], &re, &im))
        return NULL;
    blo_tensor *fr = x[1], *fi = x[2];
    blo_tensor *yr = blo_sub(blo_mul(re, fr), blo_mul(im, fi)), *yi = blo_add(blo_mul(re, fi), blo_mul(im, fr));
    return blo_tanh(blo_irfft2(yr, yi, x[0]->shape[x[0]->ndim - 1]));
}

static const int64_t shapes[][4] = {{2, 4, 6, 0}, {1, 2, 5, 5}, {3, 3, 8, 0}, {2, 7, 0, 0}, {1, 1, 3, 2}};
static const int ndims[] = {3, 4, 3, 2, 4};

Test(fft, values_match_direct_dft_and_round_trip)
{
    blo_rng r;
    blo_rng_seed(&r, 1);
    for (size_t s = 0; s < G_N_ELEMENTS(ndims); s++) {
        gc_input x;
        gc_alloc_uniform(&x, &r, -1, 1, ndims[s], shapes[s]);
        const int64_t h = x.shape[ndims[s] - 2], w = x.shape[ndims[s] - 1], wh = w / 2 + 1, b = gc_numel(&x) / (h * w);
        blo_graph *g = blo_graph_new();
        blo_tensor *re, *im;
        cr_assert(blo_rfft2(blo_leaf(g, x.data, x.ndim, x.shape, FALSE), &re, &im));
        cr_assert_eq(re->shape[re->ndim - 1], wh);
        double *sr = g_new(double, b * h * wh), *si = g_new(double, b * h * wh);
        rfft2_reference(sr, si, x.data, b, h, w);
        for (int64_t i = 0; i < b * h * wh; i++)
            cr_assert(fabs(re->data[i] - sr[i]) < 1e-4 && fabs(im->data[i] - si[i]) < 1e-4, "shape %zu bin %ld", s,
                      (long)i);
        g_free(sr);
        g_free(si);
        blo_tensor *back = blo_irfft2(re, im, w);
        cr_assert_not_null(back);
        for (int64_t i = 0; i < gc_numel(&x); i++)
            cr_assert(fabsf(back->data[i] - x.data[i]) < 1e-5f);
        blo_graph_free(g);
        gc_free(&x, 1);
    }
}

Test(fft, gradients_and_second_order)
{
    blo_rng r;
    blo_rng_seed(&r, 2);
    for (size_t s = 0; s < G_N_ELEMENTS(ndims); s++) {
        gc_input x[3];
        gc_alloc_uniform(&x[0], &r, -1, 1, ndims[s], shapes[s]);
        int64_t w = x[0].shape[ndims[s] - 1], spec[4];
        memcpy(spec, x[0].shape, sizeof spec);
        spec[ndims[s] - 1] = w / 2 + 1;
        cr_expect(gradcheck(rfft_fn, NULL, 1, x, NULL), "rfft2, shape %zu", s);
        cr_expect(hvp_check(rfft_fn, NULL, 1, x), "rfft2 second order, shape %zu", s);
        gc_input sp[2];  /* arbitrary (non-Hermitian) spectra */
        gc_alloc_uniform(&sp[0], &r, -1, 1, ndims[s], spec);
        gc_alloc_uniform(&sp[1], &r, -1, 1, ndims[s], spec);
        cr_expect(gradcheck(irfft_fn, &w, 2, sp, NULL), "irfft2, shape %zu", s);
        cr_expect(hvp_check(irfft_fn, &w, 2, sp), "irfft2 second order, shape %zu", s);
        const int64_t filt[2] = {spec[ndims[s] - 2], spec[ndims[s] - 1]};
        gc_alloc_uniform(&x[1], &r, -1, 1, 2, filt);
        gc_alloc_uniform(&x[2], &r, -1, 1, 2, filt);
        cr_expect(gradcheck(spectral_block_fn, NULL, 3, x, NULL), "spectral block, shape %zu", s);
        cr_expect(hvp_check(spectral_block_fn, NULL, 3, x), "spectral block second order, shape %zu", s);
        gc_free(x, 3);
        gc_free(sp, 2);
    }
}

Test(fft, shape_errors)
{
    blo_graph *g = blo_graph_new();
    blo_tensor *re, *im;
    cr_expect_not(blo_rfft2(blo_zeros(g, BLO_SHAPE(5)), &re, &im));
    cr_expect_eq(blo_graph_error(g)->code, BLO_ERROR_SHAPE);
    blo_graph_reset(g);
    cr_expect_null(blo_irfft2(blo_zeros(g, BLO_SHAPE(4, 3)), blo_zeros(g, BLO_SHAPE(4, 3)), 6));
    cr_expect_not_null(blo_graph_error(g));
    blo_graph_free(g);
}
