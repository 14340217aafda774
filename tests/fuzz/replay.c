/* Runs the fuzz harness over files given as arguments, so the seed corpus
 * is checked in ordinary (non-libFuzzer) builds too. */
#include <stdint.h>
#include <stdio.h>
#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char *data = NULL;
        gsize len = 0;
        if (!g_file_get_contents(argv[i], &data, &len, NULL)) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 1;
        }
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        g_free(data);
    }
    printf("replayed %d inputs\n", argc - 1);
    return 0;
}
