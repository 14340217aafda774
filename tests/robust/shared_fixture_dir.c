#include "shared_fixture_dir.h"

#include <glib.h>
#include <glib/gstdio.h>

#include "idx_fixture.h"

char *shared_fixture_dir(void)
{
    char *dir = g_build_filename(g_get_tmp_dir(), "blo-robust-fmnist-fixture-v1", NULL);
    if (g_file_test(dir, G_FILE_TEST_IS_DIR))
        return dir;
    char *tmp = idx_fixture_dir(60000, 10000);
    if (g_rename(tmp, dir) != 0)
        idx_fixture_remove_dir(tmp);   /* another process won the race */
    else
        g_free(tmp);
    return dir;
}
