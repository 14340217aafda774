/* tests: naive references, see reference.h. */
#include "reference.h"

#include <math.h>

void conv_reference(float *y, const float *x, const float *w, const conv_geom *g)
{
    const int64_t cg = g->c / g->groups, og = g->o / g->groups;
    for (int64_t n = 0; n < g->n; n++)
        for (int64_t o = 0; o < g->o; o++)
            for (int64_t oy = 0; oy < g->ho; oy++)
                for (int64_t ox = 0; ox < g->wo; ox++) {
                    double acc = 0.0;
                    const int64_t gi = o / og;
                    for (int64_t c = 0; c < cg; c++)
                        for (int64_t ki = 0; ki < g->kh; ki++)
                            for (int64_t kj = 0; kj < g->kw; kj++) {
                                const int64_t iy = oy * g->sh - g->ph + ki * g->dh;
                                const int64_t ix = ox * g->sw - g->pw + kj * g->dw;
                                if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w)
                                    continue;
                                acc += (double)x[((n * g->c + gi * cg + c) * g->h + iy) * g->w + ix] *
                                       w[((o * cg + c) * g->kh + ki) * g->kw + kj];
                            }
                    y[((n * g->o + o) * g->ho + oy) * g->wo + ox] = (float)acc;
                }
}

void rfft2_reference(double *re, double *im, const float *x, int64_t b, int64_t h, int64_t w)
{
    const int64_t wh = w / 2 + 1;
    for (int64_t bi = 0; bi < b; bi++)
        for (int64_t k1 = 0; k1 < h; k1++)
            for (int64_t k2 = 0; k2 < wh; k2++) {
                double sr = 0, si = 0;
                for (int64_t n1 = 0; n1 < h; n1++)
                    for (int64_t n2 = 0; n2 < w; n2++) {
                        const double th = -2 * G_PI * ((double)(k1 * n1) / h + (double)(k2 * n2) / w);
                        sr += x[(bi * h + n1) * w + n2] * cos(th);
                        si += x[(bi * h + n1) * w + n2] * sin(th);
                    }
                re[(bi * h + k1) * wh + k2] = sr;
                im[(bi * h + k1) * wh + k2] = si;
            }
}
