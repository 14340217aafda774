/* Real 2-D FFT over the last two axes with FFTW3 (single precision).
 *
 * Plans are created once per (direction, batch, h, w) and cached; creating
 * plans is not thread-safe in FFTW, so it happens under a mutex, while
 * executing a plan on new arrays (fftwf_execute_dft_*) is.  Plans are made
 * with FFTW_UNALIGNED so any arena pointer may be used.
 *
 * Linear algebra used by the backward passes (wh = w/2+1, c = column weights):
 *   irfft2 = (1/hw) sum_k c_k Re(Y_k e^{+i theta}),
 *   rfft2^T(G)  = hw * irfft2(G / c),     irfft2^T(g) = rfft2(g) * c / hw.
 */
#include "vision_kernels.h"

#include "blo/error.h"

#include <fftw3.h>
#include <string.h>

typedef struct plan_entry {
    int inverse;
    int64_t b, h, w;
    fftwf_plan plan;
    struct plan_entry *next;
} plan_entry;

static GMutex plan_lock;
static plan_entry *plans;

static fftwf_plan plan_get(int inverse, int64_t b, int64_t h, int64_t w, GError **error)
{
    g_mutex_lock(&plan_lock);
    for (plan_entry *e = plans; e; e = e->next)
        if (e->inverse == inverse && e->b == b && e->h == h && e->w == w) {
            g_mutex_unlock(&plan_lock);
            return e->plan;
        }
    const int64_t wh = w / 2 + 1;
    const int n[2] = {(int)h, (int)w};
    float *re = fftwf_alloc_real((size_t)(b * h * w));
    fftwf_complex *cx = fftwf_alloc_complex((size_t)(b * h * wh));
    const unsigned flags = FFTW_ESTIMATE | FFTW_UNALIGNED;
    fftwf_plan p = inverse
        ? fftwf_plan_many_dft_c2r(2, n, (int)b, cx, NULL, 1, (int)(h * wh), re, NULL, 1, (int)(h * w), flags)
        : fftwf_plan_many_dft_r2c(2, n, (int)b, re, NULL, 1, (int)(h * w), cx, NULL, 1, (int)(h * wh), flags);
    fftwf_free(re);
    fftwf_free(cx);
    if (p) {
        plan_entry *e = g_new(plan_entry, 1);
        *e = (plan_entry){inverse, b, h, w, p, plans};
        plans = e;
    } else
        g_set_error(error, BLO_ERROR, BLO_ERROR_FAILED,
                    "FFTW could not plan a %s FFT of %" G_GINT64_FORMAT " x %" G_GINT64_FORMAT " x %" G_GINT64_FORMAT,
                    inverse ? "inverse real" : "real", b, h, w);
    g_mutex_unlock(&plan_lock);
    return p;
}

void rfft2_column_weights(float *c, int64_t w)
{
    const int64_t wh = w / 2 + 1;
    for (int64_t k = 0; k < wh; k++)
        c[k] = (k == 0 || (w % 2 == 0 && k == w / 2)) ? 1.0f : 2.0f;
}

gboolean rfft2_forward(float *spec, const float *x, int64_t b, int64_t h, int64_t w, GError **error)
{
    const int64_t wh = w / 2 + 1;
    fftwf_plan p = plan_get(0, b, h, w, error);
    if (!p)
        return FALSE;
    fftwf_complex *cx = fftwf_alloc_complex((size_t)(b * h * wh));
    fftwf_execute_dft_r2c(p, (float *)x, cx);
    /* interleaved complex [b*h, wh] -> [b*h, re | im] */
    for (int64_t r = 0; r < b * h; r++)
        for (int64_t k = 0; k < wh; k++) {
            spec[r * 2 * wh + k] = cx[r * wh + k][0];
            spec[r * 2 * wh + wh + k] = cx[r * wh + k][1];
        }
    fftwf_free(cx);
    return TRUE;
}

gboolean irfft2_forward(float *x, const float *spec, int64_t b, int64_t h, int64_t w, GError **error)
{
    const int64_t wh = w / 2 + 1;
    fftwf_plan p = plan_get(1, b, h, w, error);
    if (!p)
        return FALSE;
    fftwf_complex *cx = fftwf_alloc_complex((size_t)(b * h * wh));
    for (int64_t r = 0; r < b * h; r++)
        for (int64_t k = 0; k < wh; k++) {
            cx[r * wh + k][0] = spec[r * 2 * wh + k];
            cx[r * wh + k][1] = spec[r * 2 * wh + wh + k];
        }
    /* Hermitian columns: H[k1] = (G[k1] + conj(G[-k1])) / 2 */
    const int64_t edge[2] = {0, w / 2};
    const int n_edge = (w % 2 == 0 && w > 1) ? 2 : 1;
    for (int64_t bi = 0; bi < b; bi++)
        for (int e = 0; e < n_edge; e++)
            for (int64_t k1 = 0; k1 <= h / 2; k1++) {
                const int64_t m1 = (h - k1) % h;
                fftwf_complex *u = &cx[(bi * h + k1) * wh + edge[e]];
                fftwf_complex *v = &cx[(bi * h + m1) * wh + edge[e]];
                const float re = 0.5f * ((*u)[0] + (*v)[0]), im = 0.5f * ((*u)[1] - (*v)[1]);
                (*u)[0] = re;
                (*u)[1] = im;
                (*v)[0] = re;
                (*v)[1] = -im;
            }
    fftwf_execute_dft_c2r(p, cx, x);
    fftwf_free(cx);
    const float inv = 1.0f / (float)(h * w);
    for (int64_t i = 0; i < b * h * w; i++)
        x[i] *= inv;
    return TRUE;
}
