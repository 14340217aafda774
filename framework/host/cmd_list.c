/* blo-host list: one component per line, `kind:name  plugin  paper  summary`. */
#include <stdio.h>
#include <string.h>
#include "commands.h"

static char *label_of(const blo_registered *e)
{
    return g_strdup_printf("%s:%s", blo_kind_name(e->component->kind), e->component->name);
}

int blo_cmd_list(blo_registry *r, int argc, char **argv)
{
    if (argc > 1) {
        blo_host_error("list takes no arguments (got '%s')", argv[1]);
        return BLO_EXIT_USAGE;
    }
    GPtrArray *all = blo_registry_list(r);
    int w_label = 0, w_plugin = 0, w_paper = 0;
    for (guint i = 0; i < all->len; i++) {
        const blo_registered *e = g_ptr_array_index(all, i);
        char *label = label_of(e);
        w_label = MAX(w_label, (int)strlen(label));
        w_plugin = MAX(w_plugin, (int)strlen(e->plugin->name));
        w_paper = MAX(w_paper, (int)strlen(e->plugin->paper ? e->plugin->paper : ""));
        g_free(label);
    }
    for (guint i = 0; i < all->len; i++) {
        const blo_registered *e = g_ptr_array_index(all, i);
        char *label = label_of(e);
        const char *paper = e->plugin->paper && e->plugin->paper[0] ? e->plugin->paper : "-";
        printf("%-*s  %-*s  %-*s  %s\n", w_label, label, w_plugin, e->plugin->name, MAX(w_paper, 1), paper,
               e->component->summary ? e->component->summary : "");
        g_free(label);
    }
    if (all->len == 0)
        blo_host_error("no plugins found (see --help for the search path)");
    g_ptr_array_unref(all);
    return BLO_EXIT_OK;
}
