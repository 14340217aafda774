/* Tests only: a small model (three parameters, two state entries) with
 * awkward values, and file helpers. */
#ifndef BLO_TEST_MODEL_FIXTURE_H
#define BLO_TEST_MODEL_FIXTURE_H

#include <blo/blo.h>

typedef struct fixture_model {
    blo_param_layout *params, *state;
    float *y, *state_data;
    int64_t n_y, n_state;
    blo_learner_model m;
} fixture_model;

/* conv.weight [2,1,3,3], conv.bias [2], fc.weight [3,8]; state bn.running_mean [2],
 * bn.running_var [2].  Values: seeded, plus -0, a denormal, inf, NaN. */
void   fixture_model_init(fixture_model *f, uint64_t seed);
void   fixture_model_clear(fixture_model *f);
/* A layout from "name:d0,d1 name:d0 ..." (fails the test on error). */
blo_param_layout *fixture_layout(const char *spec);
/* A fresh folder, removed (with its files) by fixture_dir_remove. */
char  *fixture_dir_new(void);
void   fixture_dir_remove(char *dir);
/* Whole-file helpers that fail the test on error. */
GBytes *fixture_read(const char *path);
void    fixture_write(const char *path, const void *data, size_t len);

#endif
