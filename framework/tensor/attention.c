/* Attention pieces: scaled scores, causal mask, rotary embedding. */
#include "vision_kernels.h"

#include <math.h>

void causal_fill(float *y, const float *x, int64_t planes, int64_t t, int64_t s, int64_t offset, float value)
{
    for (int64_t pl = 0; pl < planes; pl++)
        for (int64_t i = 0; i < t; i++)
            for (int64_t j = 0; j < s; j++) {
                const int64_t o = (pl * t + i) * s + j;
                y[o] = j > i + offset ? value : x[o];
            }
}

void rope_forward(float *y, const float *x, int64_t planes, int64_t t, int64_t d, int64_t pos0,
                  float theta, float sign)
{
    #pragma omp parallel for schedule(static)
    for (int64_t pl = 0; pl < planes; pl++)
        for (int64_t i = 0; i < t; i++)
            for (int64_t j = 0; j < d / 2; j++) {
                const double freq = pow((double)theta, -2.0 * (double)j / (double)d);
                const double angle = (double)(pos0 + i) * freq * sign;
                const float c = (float)cos(angle), s = (float)sin(angle);
                const int64_t o = (pl * t + i) * d + 2 * j;
                const float x0 = x[o], x1 = x[o + 1];
                y[o] = x0 * c - x1 * s;
                y[o + 1] = x0 * s + x1 * c;
            }
}
