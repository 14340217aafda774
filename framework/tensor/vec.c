/* Flat vector algebra for parameter sets; dot products accumulate in double
 * over a fixed block partition, so results do not depend on the thread count. */
#include <blo/optim.h>
#include <math.h>
#include "internal.h"

void blo_vec_zero(size_t n, float *x)
{
    memset(x, 0, n * sizeof(float));
}

void blo_vec_copy(size_t n, const float *src, float *dst)
{
    if (src != dst)
        memmove(dst, src, n * sizeof(float));
}

void blo_vec_scale(size_t n, float a, float *x)
{
    int64_t m = (int64_t)n;
    BLO__PAR_FOR(m)
    for (int64_t i = 0; i < m; i++)
        x[i] *= a;
}

void blo_vec_axpy(size_t n, float a, const float *x, float *y)
{
    int64_t m = (int64_t)n;
    BLO__PAR_FOR(m)
    for (int64_t i = 0; i < m; i++)
        y[i] += a * x[i];
}

void blo_vec_axpby(size_t n, float a, const float *x, float b, float *y)
{
    int64_t m = (int64_t)n;
    BLO__PAR_FOR(m)
    for (int64_t i = 0; i < m; i++)
        y[i] = a * x[i] + b * y[i];
}

double blo_vec_dot(size_t n, const float *x, const float *y)
{
    enum { BLOCK = 4096 };
    int64_t m = (int64_t)n, nb = (m + BLOCK - 1) / BLOCK;
    double part_small[64], *part = nb <= 64 ? part_small : g_new(double, nb);
    BLO__PAR_FOR(m)
    for (int64_t k = 0; k < nb; k++) {
        double s = 0;
        int64_t hi = MIN(m, (k + 1) * BLOCK);
        for (int64_t i = k * BLOCK; i < hi; i++)
            s += (double)x[i] * y[i];
        part[k] = s;
    }
    double s = 0;
    for (int64_t k = 0; k < nb; k++)
        s += part[k];
    if (part != part_small)
        g_free(part);
    return s;
}

double blo_vec_nrm2(size_t n, const float *x)
{
    return sqrt(blo_vec_dot(n, x, x));
}

gboolean blo_vec_all_finite(size_t n, const float *x)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        bad |= !isfinite(x[i]);
    return !bad;
}
