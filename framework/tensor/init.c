/* Weight initialisers (PyTorch conventions). */
#include <blo/optim.h>
#include <math.h>

void blo_init_uniform(float *w, size_t n, float lo, float hi, blo_rng *r)
{
    for (size_t i = 0; i < n; i++)
        w[i] = lo + (hi - lo) * (float)blo_rng_uniform(r);
}

void blo_init_normal(float *w, size_t n, float mean, float std, blo_rng *r)
{
    for (size_t i = 0; i < n; i++)
        w[i] = mean + std * blo_rng_normal(r);
}

/* U(-a, a) with a = sqrt(6 / (fan_in + fan_out)). */
void blo_init_xavier_uniform(float *w, size_t n, int64_t fan_in, int64_t fan_out, blo_rng *r)
{
    float a = (float)sqrt(6.0 / (double)MAX(fan_in + fan_out, 1));
    blo_init_uniform(w, n, -a, a, r);
}

/* ReLU gain sqrt(2): U(-b, b) with b = sqrt(6 / fan_in). */
void blo_init_kaiming_uniform(float *w, size_t n, int64_t fan_in, blo_rng *r)
{
    float b = (float)sqrt(6.0 / (double)MAX(fan_in, 1));
    blo_init_uniform(w, n, -b, b, r);
}

/* N(0, 2 / fan_in). */
void blo_init_kaiming_normal(float *w, size_t n, int64_t fan_in, blo_rng *r)
{
    blo_init_normal(w, n, 0.0f, (float)sqrt(2.0 / (double)MAX(fan_in, 1)), r);
}
