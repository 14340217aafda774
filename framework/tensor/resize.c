/* Nearest and bilinear resize (NCHW) with PyTorch's coordinate rules.
 * Nearest is an index gather (embedding.c); bilinear is linear with a
 * separable 2-tap stencil, whose adjoint is written out below. */
#include "vision_kernels.h"

#include <math.h>
#include <string.h>

void nearest_source_index(int64_t *src, int64_t in, int64_t out)
{
    const float scale = (float)in / (float)out;
    for (int64_t i = 0; i < out; i++) {
        int64_t s = (int64_t)floorf((float)i * scale);
        src[i] = s < in ? s : in - 1;
    }
}

void bilinear_taps(int64_t *i0, int64_t *i1, float *l, int64_t in, int64_t out, gboolean align_corners)
{
    for (int64_t i = 0; i < out; i++) {
        float s;
        if (align_corners)
            s = out > 1 ? (float)i * (float)(in - 1) / (float)(out - 1) : 0.0f;
        else {
            s = ((float)i + 0.5f) * (float)in / (float)out - 0.5f;
            if (s < 0.0f)
                s = 0.0f;
        }
        int64_t a = (int64_t)s;
        if (a > in - 1)
            a = in - 1;
        i0[i] = a;
        i1[i] = a + 1 < in ? a + 1 : in - 1;
        l[i] = s - (float)a;
    }
}

typedef struct taps {
    int64_t *y0, *y1, *x0, *x1;
    float *ly, *lx;
} taps;

static taps taps_new(int64_t h, int64_t w, int64_t ho, int64_t wo, gboolean align_corners)
{
    taps t;
    t.y0 = g_new(int64_t, 2 * ho + 2 * wo);
    t.y1 = t.y0 + ho;
    t.x0 = t.y1 + ho;
    t.x1 = t.x0 + wo;
    t.ly = g_new(float, ho + wo);
    t.lx = t.ly + ho;
    bilinear_taps(t.y0, t.y1, t.ly, h, ho, align_corners);
    bilinear_taps(t.x0, t.x1, t.lx, w, wo, align_corners);
    return t;
}

static void taps_free(taps *t)
{
    g_free(t->y0);
    g_free(t->ly);
}

void resize_bilinear_forward(float *y, const float *x, int64_t planes, int64_t h, int64_t w,
                             int64_t ho, int64_t wo, gboolean align_corners)
{
    taps t = taps_new(h, w, ho, wo, align_corners);
    #pragma omp parallel for schedule(static)
    for (int64_t pl = 0; pl < planes; pl++) {
        const float *xp = x + pl * h * w;
        float *yp = y + pl * ho * wo;
        for (int64_t oy = 0; oy < ho; oy++) {
            const float *r0 = xp + t.y0[oy] * w, *r1 = xp + t.y1[oy] * w;
            const float ly = t.ly[oy];
            for (int64_t ox = 0; ox < wo; ox++) {
                const float lx = t.lx[ox];
                const float top = r0[t.x0[ox]] * (1.0f - lx) + r0[t.x1[ox]] * lx;
                const float bot = r1[t.x0[ox]] * (1.0f - lx) + r1[t.x1[ox]] * lx;
                yp[oy * wo + ox] = top * (1.0f - ly) + bot * ly;
            }
        }
    }
    taps_free(&t);
}

void resize_bilinear_adjoint(float *gx, const float *gy, int64_t planes, int64_t h, int64_t w,
                             int64_t ho, int64_t wo, gboolean align_corners)
{
    taps t = taps_new(h, w, ho, wo, align_corners);
    memset(gx, 0, (size_t)(planes * h * w) * sizeof(float));
    #pragma omp parallel for schedule(static)
    for (int64_t pl = 0; pl < planes; pl++) {
        float *gp = gx + pl * h * w;
        const float *yp = gy + pl * ho * wo;
        for (int64_t oy = 0; oy < ho; oy++) {
            float *r0 = gp + t.y0[oy] * w, *r1 = gp + t.y1[oy] * w;
            const float ly = t.ly[oy];
            for (int64_t ox = 0; ox < wo; ox++) {
                const float g = yp[oy * wo + ox], lx = t.lx[ox];
                r0[t.x0[ox]] += g * (1.0f - ly) * (1.0f - lx);
                r0[t.x1[ox]] += g * (1.0f - ly) * lx;
                r1[t.x0[ox]] += g * ly * (1.0f - lx);
                r1[t.x1[ox]] += g * ly * lx;
            }
        }
    }
    taps_free(&t);
}
