/* Fashion-MNIST as blo splits: loading, seeded train/val split, label noise.
 * Independent of the plugin machinery so tests can drive it directly. */
#ifndef BLO_FMNIST_DATA_H
#define BLO_FMNIST_DATA_H

#include <blo/blo.h>

#define FMNIST_TRAIN_IMAGES "train-images-idx3-ubyte.gz"
#define FMNIST_TRAIN_LABELS "train-labels-idx1-ubyte.gz"
#define FMNIST_TEST_IMAGES  "t10k-images-idx3-ubyte.gz"
#define FMNIST_TEST_LABELS  "t10k-labels-idx1-ubyte.gz"
#define FMNIST_SIDE 28
#define FMNIST_CLASSES 10
#define FMNIST_DEFAULT_DIR "/usr/share/datasets/fashion-mnist"

typedef struct fmnist_config {
    const char *dir;          /* folder holding the four files */
    int64_t n_train, n_val, n_test;
    double corrupt;           /* fraction of train labels replaced by another class */
    uint64_t seed;            /* drives the split shuffle and the corruption */
    gboolean flatten;         /* [n, 784] rather than [n, 1, 28, 28] */
    gboolean drop_corrupted;  /* keep only the clean train items (the oracle baseline) */
    /* Item counts the files must hold (60000 / 10000; tests use small fixtures). */
    uint32_t expect_train, expect_test;
} fmnist_config;

enum { FMNIST_TRAIN, FMNIST_VAL, FMNIST_TEST, FMNIST_N_SPLITS };

/* Each split has the fields image (f32 [n,784] or [n,1,28,28], in [0,1]) and
 * label (i32 [n], 10 classes); the train split, when corrupt > 0 and the
 * corrupted items are kept, also true_label (i32) and corrupted (u8, 0/1). */
typedef struct fmnist_data {
    blo_split *splits[FMNIST_N_SPLITS];
} fmnist_data;

extern const blo_field_doc fmnist_field_docs[];

extern const char *const fmnist_split_names[FMNIST_N_SPLITS + 1];

/* The folder to read from: root if given, else the first BLO_DATA_PATH entry
 * with a fashion-mnist/ subfolder holding the files, else the Debian location.
 * NULL (BLO_ERROR_IO listing what was searched) when none has the files. */
char *fmnist_find_dir(const char *root, GError **error);

fmnist_data *fmnist_data_load(const fmnist_config *cfg, GError **error);
void         fmnist_data_free(fmnist_data *d);

#endif
