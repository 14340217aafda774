/* Finding plugins: one directory, and the default search path. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include "registry_private.h"

/* meson names the folders blo-N after its abi_major; it must be this ABI. */
_Static_assert(BLO_BUILD_ABI_MAJOR == BLO_ABI_MAJOR, "meson.build abi_major differs from BLO_ABI_MAJOR");

static gint compare_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted names in dir; entries ending in ".so" or (with dirs) subdirectories. */
static GPtrArray *sorted_entries(const char *dir, gboolean want_dirs)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d == NULL)
        return out;
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL) {
        char *full = g_build_filename(dir, name, NULL);
        gboolean is_dir = g_file_test(full, G_FILE_TEST_IS_DIR);
        if (want_dirs ? is_dir : (!is_dir && g_str_has_suffix(name, ".so")))
            g_ptr_array_add(out, full);
        else
            g_free(full);
    }
    g_dir_close(d);
    g_ptr_array_sort(out, compare_str);
    return out;
}

/* Load *.so in dir, and in its subdirectories down to `depth` levels. */
static int load_tree(blo_registry *r, const char *dir, int depth)
{
    int loaded = 0;
    GPtrArray *files = sorted_entries(dir, FALSE);
    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index(files, i);
        GError *reason = NULL;
        if (blo_registry_load_file_reason(r, path, &reason)) {
            loaded++;
            continue;
        }
        /* A broken file reached through two search dirs is reported once. */
        char *real = realpath(path, NULL);
        if (real == NULL || g_hash_table_add(r->reported, g_strdup(real)))
            blo_registry_report(r, path, reason);
        free(real);
        g_error_free(reason);
    }
    g_ptr_array_unref(files);
    if (depth > 0) {
        GPtrArray *dirs = sorted_entries(dir, TRUE);
        for (guint i = 0; i < dirs->len; i++)
            loaded += load_tree(r, g_ptr_array_index(dirs, i), depth - 1);
        g_ptr_array_unref(dirs);
    }
    return loaded;
}

int blo_registry_load_dir(blo_registry *r, const char *dir)
{
    return load_tree(r, dir, 0);
}

/* TRUE when this process's executable lives in the build tree, so the
 * build's plugins (not only installed ones) should be found. */
static gboolean running_from_build_tree(void)
{
    char *root = g_path_get_dirname(BLO_BUILD_PLUGINS_DIR);
    char *real_root = realpath(root, NULL);
    char *exe = realpath("/proc/self/exe", NULL);
    gboolean inside = FALSE;
    if (real_root && exe) {
        size_t n = strlen(real_root);
        inside = strncmp(exe, real_root, n) == 0 && exe[n] == '/';
    }
    free(exe);
    free(real_root);
    g_free(root);
    return inside;
}

/* The install folder relative to where this code was loaded from: beside
 * libblo ($libdir/blo-N/plugins), or, when the framework is linked into an
 * executable (blo-host), BLO_BINDIR_TO_PLUGINS from its folder.  NULL when
 * unknown.  Lets an installed tree run from any prefix. */
static char *relocated_plugins_dir(void)
{
    Dl_info info;
    if (dladdr((void *)relocated_plugins_dir, &info) == 0 || info.dli_fname == NULL)
        return NULL;
    char *self = realpath(info.dli_fname, NULL);
    char *exe = realpath("/proc/self/exe", NULL);
    char *out = NULL;
    if (self) {
        char *dir = g_path_get_dirname(self);
        gboolean in_exe = exe && strcmp(self, exe) == 0;
        if (!in_exe)
            out = g_build_filename(dir, BLO_ABI_DIR, "plugins", NULL);
        else if (BLO_BINDIR_TO_PLUGINS[0])
            out = g_build_filename(dir, BLO_BINDIR_TO_PLUGINS, NULL);
        g_free(dir);
    }
    free(self);
    free(exe);
    char *real = out ? realpath(out, NULL) : NULL;   /* without "bin/..", for messages */
    if (real) {
        g_free(out);
        out = g_strdup(real);
        free(real);
    }
    return out;
}

int blo_registry_load_default(blo_registry *r, const char *const *extra_dirs)
{
    int loaded = 0;
    for (const char *const *d = extra_dirs; d && *d; d++) {
        /* A folder the user named must exist: say so rather than find nothing. */
        if (!g_file_test(*d, G_FILE_TEST_IS_DIR))
            g_printerr("blo: warning: plugin path %s %s; no plugins loaded from it\n", *d,
                       g_file_test(*d, G_FILE_TEST_EXISTS) ? "is not a folder" : "does not exist");
        loaded += blo_registry_load_dir(r, *d);
    }
    const char *env = g_getenv("BLO_PLUGIN_PATH");
    if (env && *env) {
        char **dirs = g_strsplit(env, ":", -1);
        for (char **d = dirs; *d; d++)
            if (**d)
                loaded += blo_registry_load_dir(r, *d);
        g_strfreev(dirs);
    }
    /* Plugins are built as <build>/plugins/<dir>/<name>.so: one level down. */
    if (running_from_build_tree())
        loaded += load_tree(r, BLO_BUILD_PLUGINS_DIR, 1);
    loaded += blo_registry_load_dir(r, BLO_PLUGINS_INSTALL_DIR);
    char *moved = relocated_plugins_dir();   /* the same folder loads once (by realpath) */
    if (moved)
        loaded += blo_registry_load_dir(r, moved);
    g_free(moved);
    char *user = g_build_filename(g_get_user_data_dir(), BLO_ABI_DIR, "plugins", NULL);
    loaded += blo_registry_load_dir(r, user);
    g_free(user);
    return loaded;
}
