/* Plain kernels of the vision ops against naive references and adjoint
 * identities <y, A x> = <A^T y, x> (the backward passes rely on them). */
#include "reference.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

static guint32 seed_state = 12345;

static float frand(void)
{
    seed_state = seed_state * 1664525u + 1013904223u;
    return (float)(seed_state >> 8) / (float)(1u << 24) * 2.0f - 1.0f;
}

static float *rand_array(int64_t n)
{
    float *a = g_new(float, n);
    for (int64_t i = 0; i < n; i++)
        a[i] = frand();
    return a;
}

static double dot(const float *a, const float *b, int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++)
        s += (double)a[i] * b[i];
    return s;
}

static void assert_rel_close(double a, double b, double tol)
{
    cr_assert(fabs(a - b) <= tol * (1.0 + fabs(a) + fabs(b)), "%g vs %g", a, b);
}

static conv_geom random_geom(void)
{
    conv_geom g = {0};
    g.groups = 1 + (int)(g_random_int() % 3);
    g.n = 1 + g_random_int() % 3;
    g.c = g.groups * (1 + g_random_int() % 3);
    g.o = g.groups * (1 + g_random_int() % 3);
    g.kh = 1 + g_random_int() % 3;
    g.kw = 1 + g_random_int() % 3;
    g.sh = 1 + (int)(g_random_int() % 2);
    g.sw = 1 + (int)(g_random_int() % 3);
    g.dh = 1 + (int)(g_random_int() % 2);
    g.dw = 1 + (int)(g_random_int() % 2);
    g.ph = (int)(g_random_int() % 3);
    g.pw = (int)(g_random_int() % 2);
    g.h = 5 + g_random_int() % 5;
    g.w = 5 + g_random_int() % 5;
    g.ho = conv_out_size(g.h, g.kh, g.sh, g.ph, g.dh);
    g.wo = conv_out_size(g.w, g.kw, g.sw, g.pw, g.dw);
    return g;
}

Test(vision_kernels, conv_forward_matches_direct_convolution)
{
    g_random_set_seed(7);
    for (int trial = 0; trial < 40; trial++) {
        conv_geom g = random_geom();
        cr_assert_gt(g.ho, 0);
        const int64_t nx = g.n * g.c * g.h * g.w, nw = g.o * (g.c / g.groups) * g.kh * g.kw,
                      ny = g.n * g.o * g.ho * g.wo;
        float *x = rand_array(nx), *w = rand_array(nw), *y = g_new(float, ny), *ref = g_new(float, ny);
        float *scratch = g_new(float, conv_scratch_floats(&g));
        conv2d_forward(y, x, w, NULL, &g, scratch);
        conv_reference(ref, x, w, &g);
        for (int64_t i = 0; i < ny; i++)
            cr_assert(fabsf(y[i] - ref[i]) < 1e-4f, "trial %d at %ld: %g vs %g", trial, (long)i, y[i], ref[i]);
        g_free(x), g_free(w), g_free(y), g_free(ref), g_free(scratch);
    }
}

Test(vision_kernels, conv_backward_kernels_are_adjoints)
{
    g_random_set_seed(8);
    for (int trial = 0; trial < 40; trial++) {
        conv_geom g = random_geom();
        const int64_t nx = g.n * g.c * g.h * g.w, nw = g.o * (g.c / g.groups) * g.kh * g.kw,
                      ny = g.n * g.o * g.ho * g.wo;
        float *x = rand_array(nx), *w = rand_array(nw), *gy = rand_array(ny), *y = g_new(float, ny);
        float *gx = g_new(float, nx), *gw = g_new(float, nw);
        float *scratch = g_new(float, conv_scratch_floats(&g));
        conv2d_forward(y, x, w, NULL, &g, scratch);
        conv2d_backward_input(gx, gy, w, &g, scratch);
        conv2d_backward_weight(gw, x, gy, &g, scratch);
        const double lhs = dot(gy, y, ny);
        assert_rel_close(lhs, dot(gx, x, nx), 1e-5);
        assert_rel_close(lhs, dot(gw, w, nw), 1e-5);
        g_free(x), g_free(w), g_free(gy), g_free(y), g_free(gx), g_free(gw), g_free(scratch);
    }
}

Test(vision_kernels, transposed_conv_size_inverts_conv_size)
{
    cr_assert_eq(conv_out_size(4, 5, 2, 0, 1), 0, "a kernel larger than the input never fits");
    cr_assert_eq(conv_out_size(5, 5, 2, 0, 1), 1);
    for (int64_t in = 1; in < 12; in++)
        for (int k = 1; k < 4; k++)
            for (int s = 1; s < 4; s++)
                for (int p = 0; p < k; p++) {
                    int64_t out = conv_out_size(in + 2 * k, k, s, p, 1);
                    if (out <= 0)
                        continue;
                    int64_t back = conv_transpose_out_size(out, k, s, p, 1, 0);
                    cr_assert(back <= in + 2 * k && back > in + 2 * k - s);
                }
}

Test(vision_kernels, max_pool_picks_window_maximum)
{
    const float x[16] = {1, 2, 3, 4, 8, 7, 6, 5, -1, -2, -3, -4, 0, 9, 0, -9};
    float y[4];
    int64_t idx[4];
    max_pool2d_forward(y, idx, x, 1, 4, 4, 2, 2, 2, 2, 0);
    const float want[4] = {8, 6, 9, 0};
    const int64_t want_idx[4] = {4, 6, 13, 14};
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(y[i], want[i]);
        cr_assert_eq(idx[i], want_idx[i]);
    }
}

Test(vision_kernels, avg_pool_adjoint)
{
    const int64_t planes = 3, h = 7, w = 6;
    for (int k = 1; k <= 3; k++)
        for (int s = 1; s <= 3; s++)
            for (int p = 0; p <= k / 2; p++) {
                const int64_t ho = conv_out_size(h, k, s, p, 1), wo = conv_out_size(w, k, s, p, 1);
                float *x = rand_array(planes * h * w), *gy = rand_array(planes * ho * wo);
                float *y = g_new(float, planes * ho * wo), *gx = g_new(float, planes * h * w);
                avg_pool2d_forward(y, x, planes, h, w, ho, wo, k, s, p);
                avg_pool2d_adjoint(gx, gy, planes, h, w, ho, wo, k, s, p);
                assert_rel_close(dot(gy, y, planes * ho * wo), dot(gx, x, planes * h * w), 1e-5);
                g_free(x), g_free(gy), g_free(y), g_free(gx);
            }
}

Test(vision_kernels, bilinear_adjoint_and_identity)
{
    const int64_t planes = 2, h = 5, w = 7;
    const int64_t outs[][2] = {{5, 7}, {10, 14}, {3, 4}, {8, 3}, {1, 1}};
    for (int ac = 0; ac < 2; ac++)
        for (size_t t = 0; t < G_N_ELEMENTS(outs); t++) {
            const int64_t ho = outs[t][0], wo = outs[t][1];
            float *x = rand_array(planes * h * w), *gy = rand_array(planes * ho * wo);
            float *y = g_new(float, planes * ho * wo), *gx = g_new(float, planes * h * w);
            resize_bilinear_forward(y, x, planes, h, w, ho, wo, ac);
            resize_bilinear_adjoint(gx, gy, planes, h, w, ho, wo, ac);
            assert_rel_close(dot(gy, y, planes * ho * wo), dot(gx, x, planes * h * w), 1e-5);
            if (ho == h && wo == w)
                for (int64_t i = 0; i < planes * h * w; i++)
                    cr_assert(fabsf(y[i] - x[i]) < 1e-6f);
            g_free(x), g_free(gy), g_free(y), g_free(gx);
        }
}

Test(vision_kernels, bilinear_matches_pytorch_coordinates)
{
    /* torch.nn.functional.interpolate(arange(4.).view(1,1,1,4), size=(1,8), mode='bilinear') */
    const float x[4] = {0, 1, 2, 3};
    const float want_half[8] = {0, 0.25f, 0.75f, 1.25f, 1.75f, 2.25f, 2.75f, 3};
    const float want_ac[8] = {0, 3.f / 7, 6.f / 7, 9.f / 7, 12.f / 7, 15.f / 7, 18.f / 7, 3};
    float y[8];
    resize_bilinear_forward(y, x, 1, 1, 4, 1, 8, FALSE);
    for (int i = 0; i < 8; i++)
        cr_assert(fabsf(y[i] - want_half[i]) < 1e-6f, "%d: %g", i, y[i]);
    resize_bilinear_forward(y, x, 1, 1, 4, 1, 8, TRUE);
    for (int i = 0; i < 8; i++)
        cr_assert(fabsf(y[i] - want_ac[i]) < 1e-6f, "%d: %g", i, y[i]);
}

Test(vision_kernels, rfft2_matches_naive_dft_and_inverts)
{
    const int64_t sizes[][3] = {{2, 4, 6}, {1, 5, 5}, {3, 3, 8}, {1, 1, 1}, {2, 6, 7}};
    for (size_t t = 0; t < G_N_ELEMENTS(sizes); t++) {
        const int64_t b = sizes[t][0], h = sizes[t][1], w = sizes[t][2], wh = w / 2 + 1;
        float *x = rand_array(b * h * w), *spec = g_new(float, b * h * 2 * wh), *back = g_new(float, b * h * w);
        cr_assert(rfft2_forward(spec, x, b, h, w, NULL));
        double *sr = g_new(double, b * h * wh), *si = g_new(double, b * h * wh);
        rfft2_reference(sr, si, x, b, h, w);
        for (int64_t r = 0; r < b * h; r++)
            for (int64_t k = 0; k < wh; k++)
                cr_assert(fabs(spec[r * 2 * wh + k] - sr[r * wh + k]) < 1e-4 &&
                          fabs(spec[r * 2 * wh + wh + k] - si[r * wh + k]) < 1e-4);
        g_free(sr);
        g_free(si);
        cr_assert(irfft2_forward(back, spec, b, h, w, NULL));
        for (int64_t i = 0; i < b * h * w; i++)
            cr_assert(fabsf(back[i] - x[i]) < 1e-5f);
        g_free(x), g_free(spec), g_free(back);
    }
}

Test(vision_kernels, irfft2_adjoint_is_weighted_rfft2)
{
    /* irfft2^T(g) = rfft2(g) * c / hw on any (also non-Hermitian) spectrum */
    const int64_t sizes[][3] = {{2, 4, 6}, {1, 5, 5}, {1, 3, 2}};
    for (size_t t = 0; t < G_N_ELEMENTS(sizes); t++) {
        const int64_t b = sizes[t][0], h = sizes[t][1], w = sizes[t][2], wh = w / 2 + 1, ns = b * h * 2 * wh;
        float *spec = rand_array(ns), *g = rand_array(b * h * w), *x = g_new(float, b * h * w);
        float *gs = g_new(float, ns), *c = g_new(float, wh);
        cr_assert(irfft2_forward(x, spec, b, h, w, NULL));
        cr_assert(rfft2_forward(gs, g, b, h, w, NULL));
        rfft2_column_weights(c, w);
        for (int64_t i = 0; i < ns; i++)
            gs[i] *= c[(i % (2 * wh)) % wh] / (float)(h * w);
        assert_rel_close(dot(g, x, b * h * w), dot(gs, spec, ns), 1e-5);
        g_free(spec), g_free(g), g_free(x), g_free(gs), g_free(c);
    }
}

Test(vision_kernels, rope_inverse_and_norm)
{
    const int64_t planes = 3, t = 5, d = 8;
    float *x = rand_array(planes * t * d), *y = g_new(float, planes * t * d), *back = g_new(float, planes * t * d);
    rope_forward(y, x, planes, t, d, 3, 10000.0f, 1.0f);
    rope_forward(back, y, planes, t, d, 3, 10000.0f, -1.0f);
    for (int64_t i = 0; i < planes * t * d; i++)
        cr_assert(fabsf(back[i] - x[i]) < 1e-5f);
    assert_rel_close(dot(x, x, planes * t * d), dot(y, y, planes * t * d), 1e-5);
    /* position 0 with pos0 = 0 is the identity */
    rope_forward(y, x, planes, t, d, 0, 10000.0f, 1.0f);
    for (int64_t j = 0; j < d; j++)
        cr_assert(fabsf(y[j] - x[j]) < 1e-7f);
    g_free(x), g_free(y), g_free(back);
}

Test(vision_kernels, gather_and_scatter_are_adjoints)
{
    const int64_t idx[5] = {3, 0, 3, 1, 2};
    float *x = rand_array(4 * 3), *g = rand_array(5 * 3), *out = g_new(float, 5 * 3), *gx = g_new0(float, 4 * 3);
    gather_blocks(out, x, idx, 5, 3);
    scatter_add_blocks(gx, g, idx, 5, 3);
    cr_assert_eq(out[3], x[0]);
    assert_rel_close(dot(g, out, 15), dot(gx, x, 12), 1e-6);
    g_free(x), g_free(g), g_free(out), g_free(gx);
}
