/* max and average pooling (NCHW, square windows).
 *
 * Max pool is a gather at the arg-max positions, so its backward is a
 * scatter-add with the same indices (embedding.c); average pool is linear
 * and its backward is its adjoint kernel.
 */
#include "tensor/vision_kernels.h"

#include <math.h>
#include <string.h>

/* The window of output position o along an axis of extent n, clipped to
 * the image: [*lo, *hi). */
static void window(int64_t o, int s, int p, int k, int64_t n, int64_t *lo, int64_t *hi)
{
    const int64_t a = o * s - p;
    *lo = a < 0 ? 0 : a;
    *hi = a + k < n ? a + k : n;
}

void max_pool2d_forward(float *y, int64_t *idx, const float *x, int64_t planes, int64_t h, int64_t w,
                        int64_t ho, int64_t wo, int k, int s, int p)
{
    #pragma omp parallel for schedule(static)
    for (int64_t pl = 0; pl < planes; pl++) {
        const float *xp = x + pl * h * w;
        for (int64_t oy = 0; oy < ho; oy++)
            for (int64_t ox = 0; ox < wo; ox++) {
                int64_t y0, y1, x0, x1, arg = -1;
                window(oy, s, p, k, h, &y0, &y1);
                window(ox, s, p, k, w, &x0, &x1);
                float best = -INFINITY;
                for (int64_t iy = y0; iy < y1; iy++)
                    for (int64_t ix = x0; ix < x1; ix++) {
                        const float v = xp[iy * w + ix];
                        if (arg < 0 || v > best || isnan(v)) {
                            best = v;
                            arg = iy * w + ix;
                        }
                    }
                const int64_t o = (pl * ho + oy) * wo + ox;
                y[o] = best;
                idx[o] = pl * h * w + arg;
            }
    }
}

void avg_pool2d_forward(float *y, const float *x, int64_t planes, int64_t h, int64_t w,
                        int64_t ho, int64_t wo, int k, int s, int p)
{
    const float inv = 1.0f / (float)(k * k);
    #pragma omp parallel for schedule(static)
    for (int64_t pl = 0; pl < planes; pl++) {
        const float *xp = x + pl * h * w;
        for (int64_t oy = 0; oy < ho; oy++)
            for (int64_t ox = 0; ox < wo; ox++) {
                int64_t y0, y1, x0, x1;
                window(oy, s, p, k, h, &y0, &y1);
                window(ox, s, p, k, w, &x0, &x1);
                float acc = 0.0f;
                for (int64_t iy = y0; iy < y1; iy++)
                    for (int64_t ix = x0; ix < x1; ix++)
                        acc += xp[iy * w + ix];
                y[(pl * ho + oy) * wo + ox] = acc * inv;
            }
    }
}

void avg_pool2d_adjoint(float *gx, const float *gy, int64_t planes, int64_t h, int64_t w,
                        int64_t ho, int64_t wo, int k, int s, int p)
{
    const float inv = 1.0f / (float)(k * k);
    memset(gx, 0, (size_t)(planes * h * w) * sizeof(float));
    #pragma omp parallel for schedule(static)
    for (int64_t pl = 0; pl < planes; pl++) {
        float *gp = gx + pl * h * w;
        for (int64_t oy = 0; oy < ho; oy++)
            for (int64_t ox = 0; ox < wo; ox++) {
                int64_t y0, y1, x0, x1;
                window(oy, s, p, k, h, &y0, &y1);
                window(ox, s, p, k, w, &x0, &x1);
                const float g = gy[(pl * ho + oy) * wo + ox] * inv;
                for (int64_t iy = y0; iy < y1; iy++)
                    for (int64_t ix = x0; ix < x1; ix++)
                        gp[iy * w + ix] += g;
            }
    }
}
