/* dataset:fashion-mnist — the plugin face of fmnist_data. */
#include "fmnist_data.h"

typedef struct fmnist_plugin {
    fmnist_config cfg;
    char *root;
    int64_t data_seed;
    fmnist_data *data;
} fmnist_plugin;

static const blo_param_spec fmnist_params[] = {
    BLO_PARAM_STRING("root", "", "folder with the four IDX .gz files (default: BLO_DATA_PATH, then " FMNIST_DEFAULT_DIR ")"),
    BLO_PARAM_INT("n_train", 60000, 0, 60000, "training items drawn from the 60000 training images"),
    BLO_PARAM_INT("n_val", 0, 0, 60000, "validation items drawn from the rest of the training images"),
    BLO_PARAM_INT("n_test", 10000, 0, 10000, "test items: the first n_test of the 10000 test images"),
    BLO_PARAM_DOUBLE("corrupt", 0.0, 0.0, 1.0, "fraction of train labels replaced by a different class (label noise)"),
    BLO_PARAM_INT("data_seed", -1, -1, G_MAXINT64, "seed of the split and the label noise (-1: the run's seed)"),
    BLO_PARAM_BOOL("flatten", TRUE, "items as [784] vectors (else [1, 28, 28] images)"),
    BLO_PARAM_BOOL("drop_corrupted", FALSE,
                   "drop the corrupted train items after the noise is drawn (the 'clean samples only' oracle)"),
    BLO_PARAM_END
};

static void *fmnist_create(const blo_params *params, blo_ctx *ctx, GError **error)
{
    fmnist_plugin *p = g_new0(fmnist_plugin, 1);
    p->root = g_strdup(blo_params_get_string(params, "root"));
    p->cfg.n_train = blo_params_get_int(params, "n_train");
    p->cfg.n_val = blo_params_get_int(params, "n_val");
    p->cfg.n_test = blo_params_get_int(params, "n_test");
    p->cfg.corrupt = blo_params_get_double(params, "corrupt");
    p->cfg.flatten = blo_params_get_bool(params, "flatten");
    p->cfg.drop_corrupted = blo_params_get_bool(params, "drop_corrupted");
    p->cfg.expect_train = 60000;
    p->cfg.expect_test = 10000;
    p->data_seed = blo_params_get_int(params, "data_seed");
    return p;
}

static gboolean fmnist_load(void *self, blo_ctx *ctx, GError **error)
{
    fmnist_plugin *p = self;
    g_autofree char *dir = fmnist_find_dir(p->root, error);
    if (!dir)
        return FALSE;
    p->cfg.dir = dir;
    /* A fixed mix of the run seed so the data stream differs from the solver's. */
    p->cfg.seed = p->data_seed >= 0 ? (uint64_t)p->data_seed : blo_ctx_seed(ctx) ^ 0x6d6e697374ull;
    fmnist_data_free(p->data);
    p->data = fmnist_data_load(&p->cfg, error);
    p->cfg.dir = NULL;
    return p->data != NULL;
}

static const blo_split *fmnist_split(void *self, const char *name)
{
    fmnist_plugin *p = self;
    for (int i = 0; p->data && i < FMNIST_N_SPLITS; i++)
        if (g_strcmp0(name, fmnist_split_names[i]) == 0)
            return p->data->splits[i];
    return NULL;
}

static const char *const *fmnist_names(void *self)
{
    return fmnist_split_names;
}

static void fmnist_destroy(void *self)
{
    fmnist_plugin *p = self;
    fmnist_data_free(p->data);
    g_free(p->root);
    g_free(p);
}

static const blo_dataset_vtable fmnist_vtable = {
    .struct_size = sizeof(blo_dataset_vtable),
    .create = fmnist_create,
    .load = fmnist_load,
    .split = fmnist_split,
    .split_names = fmnist_names,
    .destroy = fmnist_destroy,
    .field_docs = fmnist_field_docs,
};

static const blo_component fmnist_component = {
    BLO_COMPONENT_HEADER,
    .kind = BLO_KIND_DATASET,
    .name = "fashion-mnist",
    .summary = "Fashion-MNIST (IDX gzip): seeded train/val split, test split, optional label noise",
    .params = fmnist_params,
    .vtable = &fmnist_vtable,
};

BLO_PLUGIN_DEFINE("fashion-mnist", "1.0.0", "MIT",
                  "Xiao, Rasul, Vollgraf 2017, arXiv 1708.07747",
                  "Fashion-MNIST dataset reader with the data hyper-cleaning splits",
                  &fmnist_component);
